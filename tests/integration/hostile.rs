//! Hostile input, one behaviour in the library: the mapping layer's parser
//! (`json::parse_with`) and `validate_json_with` refuse the same documents
//! (a key twice, nesting past the limit, more bytes than the limit) for the
//! same reason, at the same JSON Pointer.

use canonical_finance::json::{self, Limits, ParseErrorKind, Value};
use canonical_finance::model::Entity;
use canonical_finance::validate::{Profile, validate_json_with};
use proptest::prelude::*;

/// The parser's refusal (kind, pointer) and the report's (code, path) pairs.
type Verdicts = (Option<(ParseErrorKind, String)>, Vec<(String, String)>);

fn verdicts(text: &str, limits: Limits) -> Verdicts {
    let parsed = json::parse_with(text, limits).err().map(|e| (e.kind(), e.pointer().to_owned()));
    let report = validate_json_with(Entity::Customer, text, Profile::Exact, limits).unwrap();
    let violations =
        report.violations().iter().map(|v| (v.code.to_owned(), v.path.clone())).collect();
    (parsed, violations)
}

#[test]
fn a_key_twice_is_json_duplicate_key_at_the_second_one_in_both_readers() {
    for (text, pointer) in [
        (r#"{"id": "c1", "id": "c2"}"#, "/id"),
        (
            r#"{"id": "c1", "kind": "organization", "status": "active", "display_name": "A",
            "extensions": {"acme": {"a": [1, {"x": 1, "x": 2}]}}}"#,
            "/extensions/acme/a/1/x",
        ),
        (r#"{"id": "c1", "unknown": {"k": 1, "k": 1}}"#, "/unknown/k"),
        (r#"{"id": "c1", "extensions": {"acme": {}, "acme": {}}}"#, "/extensions/acme"),
    ] {
        let (parsed, violations) = verdicts(text, Limits::new());
        assert_eq!(parsed, Some((ParseErrorKind::DuplicateKey, pointer.to_owned())), "{text}");
        assert_eq!(violations, [("JSON-DUPLICATE-KEY".to_owned(), pointer.to_owned())], "{text}");
    }
}

#[test]
fn nesting_past_the_limit_is_json_limit_at_the_value_too_deep_in_both_readers() {
    let text = r#"{"id": "c1", "extensions": {"acme": [[{"a": [1]}]]}}"#;
    let limits = Limits::new().with_max_depth(4);
    let (parsed, violations) = verdicts(text, limits);
    assert_eq!(parsed, Some((ParseErrorKind::TooDeep, "/extensions/acme/0/0".to_owned())));
    assert_eq!(violations, [("JSON-LIMIT".to_owned(), "/extensions/acme/0/0".to_owned())]);
    // One level more is allowed: the document is then read (and lacks fields).
    let (parsed, violations) = verdicts(text, Limits::new().with_max_depth(6));
    assert_eq!(parsed, None);
    assert!(violations.iter().all(|(code, _)| code != "JSON-LIMIT"), "{violations:?}");
    // More than serde_json's 128 is taken as 128.
    assert_eq!(Limits::new().with_max_depth(1_000).max_depth(), json::MAX_DEPTH);
}

#[test]
fn more_bytes_than_the_limit_is_json_limit_before_anything_is_read() {
    let text = format!("{{\"id\": \"{}\"}}", "x".repeat(100));
    let limits = Limits::new().with_max_bytes(50);
    let err = json::parse_with(&text, limits).unwrap_err();
    assert_eq!(err.kind(), ParseErrorKind::TooLarge);
    assert_eq!(
        err.to_string(),
        "expected a document of at most 50 bytes, but found more (line 1, column 1)"
    );
    let report = validate_json_with(Entity::Customer, &text, Profile::Exact, limits).unwrap();
    assert_eq!(report.codes(), ["JSON-LIMIT"]);
    assert_eq!(
        report.violations()[0].message,
        "expected a document of at most 50 bytes, but found more"
    );
    assert_eq!(Limits::default(), Limits::DEFAULT);
    assert_eq!(Limits::DEFAULT.max_bytes(), 16 * 1024 * 1024);
}

#[test]
fn a_journal_entrys_other_references_take_each_key_once() {
    let text = r#"{"id": "je_1", "other": {"batch": "1", "batch": "2"}}"#;
    let report =
        validate_json_with(Entity::JournalEntry, text, Profile::Exact, Limits::new()).unwrap();
    assert_eq!(report.codes(), ["JSON-DUPLICATE-KEY"]);
    assert_eq!(report.violations()[0].path, "/other/batch");
}

#[test]
fn a_tree_built_in_code_100_000_levels_deep_drops_without_overflowing() {
    let mut value = Value::Null;
    for i in 0..100_000 {
        value = if i % 3 == 0 {
            Value::Array(vec![value, Value::from(i)])
        } else {
            let mut map = json::Map::new();
            map.insert("next", value);
            Value::Object(map)
        };
    }
    drop(value);
}

proptest! {
    /// Whatever the keys and the depth, the two readers agree on whether a
    /// document is refused, why, and where.
    #[test]
    fn both_readers_give_the_same_verdict(
        keys in prop::collection::vec("[ab]", 1..4),
        depth in 0usize..6,
        limit in 1usize..6,
    ) {
        let mut inner = String::from("1");
        for _ in 0..depth {
            inner = format!("[{inner}]");
        }
        let members: Vec<String> = keys.iter().map(|k| format!("\"{k}\": {inner}")).collect();
        let text = format!("{{\"id\": \"c1\", \"extensions\": {{\"acme\": {{{}}}}}}}", members.join(", "));
        let (parsed, violations) = verdicts(&text, Limits::new().with_max_depth(limit));
        match parsed {
            Some((kind, pointer)) => {
                let code = match kind {
                    ParseErrorKind::DuplicateKey => "JSON-DUPLICATE-KEY",
                    _ => "JSON-LIMIT",
                };
                prop_assert_eq!(violations, vec![(code.to_owned(), pointer)]);
            }
            None => prop_assert!(violations.iter().all(|(c, _)| !c.starts_with("JSON-"))),
        }
    }
}
