use proptest::prelude::*;

use super::*;
use crate::voice::syntax_message;

#[test]
fn numbers_keep_their_text() {
    for text in [
        "0",
        "-0",
        "1.50",
        "12345678901234567890.0123456789",
        "1e400",
        "-2.5E-3",
        "99999999999999999999",
    ] {
        let v = parse(text).unwrap_or_default();
        assert_eq!(v.as_number().map(Number::as_str), Some(text));
        assert_eq!(to_string(&v), text);
    }
    assert_eq!(parse("12").ok().and_then(|v| v.as_i64()), Some(12));
    assert_eq!(parse("12.0").ok().and_then(|v| v.as_i64()), None);
}

#[test]
fn errors_read_as_serde_json_reads_them() {
    for bad in [
        "",
        "[",
        "[1,",
        "[1 2]",
        "{",
        "{\"a\"",
        "{\"a\":",
        "{\"a\" 1}",
        "{1:2}",
        "{\"a\":1,}",
        "[1,]",
        "tru",
        "nul",
        "-",
        "01",
        "1.",
        ".5",
        "1e",
        "\"abc",
        "\"a\\x\"",
        "\"\\ud800\"",
        "\"\\udc00\"",
        "\"\\ud800\\u0041\"",
        "\"\\ud800x\"",
        "\"a\u{1}\"",
        "[] x",
        "+1",
        "NaN",
        "\"\\u12\"",
        "{\"a\":1 \"b\":2}",
        "  \n  [1,\n  ?]",
    ] {
        let ours = parse(bad).map(|_| ()).map_err(|e| e.to_string());
        let theirs = serde_json::from_str::<serde_json::Value>(bad)
            .map(|_| ())
            .map_err(|e| syntax_message(&e, bad));
        assert_eq!(ours, theirs, "{bad:?}");
    }
    // EOF is told apart, as serde_json's `is_eof`.
    assert!(parse("[1, 2").is_err_and(|e| e.is_eof()));
    assert!(parse("[1, x]").is_err_and(|e| !e.is_eof()));
}

#[test]
fn nesting_deeper_than_the_limit_is_an_error_not_a_crash() {
    let deep = "[".repeat(MAX_DEPTH + 1) + &"]".repeat(MAX_DEPTH + 1);
    let err = parse(&deep).unwrap_err();
    assert_eq!(err.message(), "expected at most 128 levels of nesting, but found more");
    assert_eq!(err.kind(), super::ParseErrorKind::TooDeep);
    assert_eq!(err.pointer(), "/0".repeat(MAX_DEPTH));
    let ok = "[".repeat(MAX_DEPTH) + &"]".repeat(MAX_DEPTH);
    assert!(parse(&ok).is_ok());
    let very_deep = "[".repeat(100_000);
    assert!(parse(&very_deep).is_err());
}

#[test]
fn strings_unescape_and_escape_as_serde_json_does() {
    let text = r#""a\"b\\c\/d\b\f\n\r\t\u00e9\ud83d\ude00\u0001""#;
    let v = parse(text).unwrap_or_default();
    let theirs: String = serde_json::from_str(text).unwrap_or_default();
    assert_eq!(v.as_str(), Some(theirs.as_str()));
    assert_eq!(to_string(&v), serde_json::to_string(&theirs).unwrap_or_default());
}

#[test]
fn serde_json_reads_and_writes_values_exactly() {
    #[derive(::serde::Deserialize, ::serde::Serialize)]
    struct Holder {
        extra: Value,
    }
    let text = r#"{"extra":{"big":123456789012345678901234567890.123,"list":[1.50,-0,"x"]}}"#;
    let h: Holder = serde_json::from_str(text).unwrap_or(Holder { extra: Value::Null });
    assert_eq!(
        h.extra["big"].as_number().map(Number::as_str),
        Some("123456789012345678901234567890.123")
    );
    assert_eq!(serde_json::to_string(&h).ok().as_deref(), Some(text));
    // From a serde_json::Value (its own numbers), and back.
    let sj = serde_json::json!({"a": 1, "b": [true, null, "s", 2.5]});
    let ours = Value::from(sj.clone());
    assert_eq!(ours.to_serde_json().unwrap(), sj);
    assert_eq!(ours, json!({"a": 1, "b": [true, null, "s", ours["b"][3].clone()]}));
}

#[test]
fn pretty_output_is_serde_json_pretty_output() {
    let text = r#"{"a":[],"b":{},"c":[1,{"d":"e"}],"f":null}"#;
    let ours = parse(text).unwrap_or_default();
    let theirs: serde_json::Value = serde_json::from_str(text).unwrap_or_default();
    assert_eq!(to_string_pretty(&ours), serde_json::to_string_pretty(&theirs).unwrap_or_default());
}

fn arb_json() -> impl Strategy<Value = serde_json::Value> {
    let leaf = prop_oneof![
        Just(serde_json::Value::Null),
        any::<bool>().prop_map(serde_json::Value::Bool),
        any::<i64>().prop_map(|n| serde_json::json!(n)),
        any::<u64>().prop_map(|n| serde_json::json!(n)),
        (-1e15f64..1e15).prop_map(|f| serde_json::json!(f)),
        any::<String>().prop_map(serde_json::Value::String),
    ];
    leaf.prop_recursive(4, 64, 8, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..8).prop_map(serde_json::Value::Array),
            prop::collection::btree_map(any::<String>(), inner, 0..8)
                .prop_map(|m| serde_json::Value::Object(m.into_iter().collect())),
        ]
    })
}

proptest! {
    /// Strings full of what must be escaped (quotes, backslashes, control
    /// characters at every offset of the eight-byte scan): serde_json's
    /// literal byte for byte.
    #[test]
    fn strings_are_escaped_as_serde_json_escapes(s in "[\\x00-\\x7f\"\\\\a\u{e9}\u{1f600}]{0,40}") {
        let mut ours = String::new();
        super::write::write_str(&s, &mut ours);
        prop_assert_eq!(Some(ours), serde_json::to_string(&s).ok());
    }

    /// serde_json's text reads back into the same value, and is written
    /// back byte for byte.
    #[test]
    fn round_trips_through_serde_json_text(v in arb_json()) {
        let text = serde_json::to_string(&v).unwrap_or_default();
        let ours = parse(&text);
        prop_assert!(ours.is_ok(), "{text}");
        let ours = ours.unwrap_or_default();
        prop_assert_eq!(to_string(&ours), text);
        prop_assert_eq!(ours.to_serde_json().unwrap(), v);
    }

    /// Arbitrary text: never a panic, and the same verdict and message as
    /// serde_json reading a `serde_json::Value`.
    #[test]
    fn arbitrary_text_gets_serde_json_verdict(text in "[\\[\\]{}\":,0-9a-z.eE+\\- \\\\]{0,24}") {
        let ours = parse(&text).map(|_| ()).map_err(|e| e.to_string());
        let theirs = serde_json::from_str::<serde_json::Value>(&text).map(|_| ()).map_err(|e| syntax_message(&e, &text));
        // serde_json's own type cannot hold 1e400; ours keeps its text.
        if !theirs.as_ref().is_err_and(|e| e.starts_with("expected a number the reader can hold")) {
            prop_assert_eq!(ours, theirs);
        }
    }
}

#[test]
fn a_bad_hex_escape_is_reported_where_serde_json_reports_it() {
    // serde_json reads the four digits at once and points at the last one
    // (a proptest finding: `"\u+0}0`).
    for text in ["\"\\u+0}0", "\"\\u00g0\"", "\"\\uD83D\\u+000\"", "\"\\u12"] {
        let ours = parse(text).map(|_| ()).map_err(|e| e.to_string());
        let theirs = serde_json::from_str::<serde_json::Value>(text)
            .map(|_| ())
            .map_err(|e| syntax_message(&e, text));
        assert_eq!(ours, theirs, "{text}");
    }
}

#[test]
fn to_value_is_the_value_of_serde_json_text() {
    use crate::model::{Contract, Customer, Invoice, JournalEntry, Payment};
    fn same<T: ::serde::de::DeserializeOwned + ::serde::Serialize>(dir: &str) -> usize {
        let root = concat!(env!("CARGO_MANIFEST_DIR"), "/schemas/examples/");
        let mut seen = 0;
        for entry in std::fs::read_dir(format!("{root}{dir}")).into_iter().flatten().flatten() {
            let text = std::fs::read_to_string(entry.path()).unwrap_or_default();
            let Ok(typed) = serde_json::from_str::<T>(&text) else { continue };
            let direct = to_value(&typed).ok();
            let through_text = serde_json::to_string(&typed).ok().and_then(|t| parse(&t).ok());
            assert!(direct.is_some());
            assert_eq!(direct, through_text, "{}", entry.path().display());
            seen += 1;
        }
        seen
    }
    let n = same::<Customer>("customer")
        + same::<Contract>("contract")
        + same::<Invoice>("invoice")
        + same::<Payment>("payment")
        + same::<JournalEntry>("journal_entry");
    assert!(n >= 15, "{n}");
    // A Value inside a typed record stays exact.
    let Ok(id) = crate::model::CustomerId::new("c1") else { return };
    let mut c = Customer::new(id, crate::model::CustomerKind::Organization, "Acme");
    c.extensions
        .insert("x", json!({"big": parse("123456789012345678901234567890.5").unwrap_or_default()}));
    let v = to_value(&c).unwrap_or_default();
    assert_eq!(to_string(&v["extensions"]["x"]), r#"{"big":123456789012345678901234567890.5}"#);
}

/// A tree `depth` levels deep, built in code (no parser's limit).
fn deep_tree(depth: usize) -> Value {
    let mut value = Value::Null;
    for i in 0..depth {
        value = if i % 2 == 0 {
            Value::Array(vec![Value::from(1), value])
        } else {
            let mut map = Map::new();
            map.insert("k", value);
            Value::Object(map)
        };
    }
    value
}

#[test]
fn a_tree_100_000_levels_deep_built_in_code_drops_without_overflowing_the_stack() {
    // The test thread's stack is small (2 MiB): recursion would overflow.
    let tree = deep_tree(100_000);
    let copy = tree.clone();
    assert!(copy == tree, "a copy is equal");
    let mut other = deep_tree(100_000);
    if let Value::Object(map) = &mut other {
        map.insert("more", Value::Null);
    }
    assert!(other != tree);
    let text = to_string(&tree);
    assert!(text.starts_with("{\"k\":[1,{\"k\":[1,"), "{}", text.get(..20).unwrap_or_default());
    assert_eq!(
        parse(&to_string_pretty(&json!({"a": [1, {"b": []}], "c": {}}))).ok(),
        Some(json!({"a": [1, {"b": []}], "c": {}}))
    );
    // Depth, Debug, serde and serde_json's Value: bounded, never a crash.
    assert_eq!(tree.depth(), 100_000);
    assert_eq!(deep_tree(3).depth(), 3);
    assert_eq!(Value::from(1).depth(), 0);
    let debug = format!("{tree:?}");
    assert!(
        debug.starts_with(r#"Object {"k": Array [Number(1), Object {"k": "#),
        "{}",
        debug.get(..60).unwrap_or_default()
    );
    assert!(debug.contains('…'), "the part below NESTING_BOUND is elided");
    assert_eq!(format!("{:?}", deep_tree(2)), r#"Object {"k": Array [Number(1), Null]}"#);
    let err = serde_json::to_string(&tree).unwrap_err().to_string();
    assert_eq!(err, "expected at most 256 levels of nested arrays and objects, but found 100000");
    let err = tree.to_serde_json().unwrap_err().to_string();
    assert_eq!(err, "expected at most 256 levels of nested arrays and objects, but found 100000");
    let at_limit = deep_tree(crate::json::NESTING_BOUND);
    assert!(serde_json::to_string(&at_limit).is_ok());
    assert!(at_limit.to_serde_json().is_ok());
    assert!(!format!("{at_limit:?}").contains('…'));
    drop(copy);
    drop(tree);
    assert_eq!(
        json!({"a": [1, {"b": "c"}], "d": {}}).clone(),
        json!({"a": [1, {"b": "c"}], "d": {}})
    );
    assert_eq!(json!({"a": 1, "b": 2}), json!({"b": 2, "a": 1}), "members in any order");
    assert_ne!(json!([1, 2]), json!([2, 1]));
    let mut nested = Value::Null;
    for _ in 0..100_000 {
        nested = Value::Array(vec![nested]);
    }
    drop(nested);
}

#[test]
fn a_struct_read_from_a_tree_is_an_object_never_an_array_of_its_fields() {
    use crate::model::{Address, Customer};
    let err = from_value::<Address>(&json!(["DE", ["Hafenstraße 1"], "Hamburg"])).unwrap_err();
    assert_eq!(
        crate::voice::serde_message(&err.to_string()),
        "expected an object (Address), but found an array"
    );
    let customer = json!({"id": "c1", "kind": "organization", "display_name": "Acme",
        "addresses": [["DE", ["Hafenstraße 1"], "Hamburg"]]});
    assert!(from_value::<Customer>(&customer).is_err());
    let fine = json!({"country": "DE", "city": "Hamburg"});
    assert!(from_value::<Address>(&fine).is_ok());
}
