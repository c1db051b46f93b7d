//! One voice for every message the crate reports: "expected …, but found
//! …", in JSON's words (object, array, number), never serde's (map,
//! sequence, struct).
//!
//! serde and serde_json word their errors their own way (`invalid type:
//! integer `5`, expected a string`, `missing field `id``, `EOF while parsing
//! a value`). The crate's own readers say what they expected in the first
//! place; what reaches a report from serde passes through [`serde_message`]
//! (a type error) or [`syntax_message`] (text that is not JSON) first. A
//! message already in the voice, or one this module does not know, is kept
//! as it is.

use crate::json::Value;

/// A serde or serde_json error message in the crate's voice. serde_json's
/// position suffix (` at line 1 column 8`) becomes ` (line 1, column 8)`.
pub(crate) fn serde_message(message: &str) -> String {
    let (body, position) = split_position(message);
    reword(body) + &position_suffix(position)
}

/// The position as the crate's messages end: ` (line 1, column 8)`, or
/// nothing.
pub(crate) fn position_suffix<L: std::fmt::Display, C: std::fmt::Display>(
    position: Option<(L, C)>,
) -> String {
    match position {
        Some((line, column)) => format!(" (line {line}, column {column})"),
        None => String::new(),
    }
}

/// The message for text that is not JSON, in the crate's voice, naming what
/// stands at the place serde_json stopped (`text` is the document it read),
/// with the position.
pub(crate) fn syntax_message(err: &serde_json::Error, text: &str) -> String {
    error_sentence(err, text) + &position_suffix(Some((err.line(), err.column())))
}

/// What a serde_json error says, in the crate's voice and without the
/// position: a syntax error names what stands where the reader stopped in
/// `text` (the document it read), a type error is reworded as
/// [`serde_message`] does.
pub(crate) fn error_sentence(err: &serde_json::Error, text: &str) -> String {
    let message = err.to_string();
    let (body, _) = split_position(&message);
    syntax_sentence(body, || found_at(text, err.line(), err.column()))
        .unwrap_or_else(|| reword(body))
}

/// serde_json's words for a syntax error (`body`, without the position) as
/// an "expected …, but found …" sentence; `found` names what stands where
/// the reader stopped. `None` for words this module does not know.
pub(crate) fn syntax_sentence(body: &str, found: impl FnOnce() -> String) -> Option<String> {
    let expected = match body {
        "EOF while parsing a value" | "expected value" => "a JSON value",
        "EOF while parsing a list" => "the rest of an array (`,` and a value, or `]`)",
        "EOF while parsing an object" => "the rest of an object (`,` and a member, or `}`)",
        "EOF while parsing a string" => "the closing `\"` of a string",
        "trailing characters" => "the end of the document (one JSON document)",
        "trailing comma" => "a value after `,`",
        "expected `,` or `]`" => "`,` or `]`",
        "expected `,` or `}`" => "`,` or `}`",
        "expected `:`" => "`:` after an object's key",
        "key must be a string" => "an object's key as a string in `\"`",
        "expected ident" => "`true`, `false` or `null`",
        "invalid number" => "a number",
        "number out of range" => "a number the reader can hold",
        "invalid escape" => "an escape such as `\\n`, `\\\"` or `\\u00e9`",
        "invalid unicode code point" | "lone leading surrogate in hex escape" => {
            "a `\\u` escape of a Unicode character (a surrogate pair for one above U+FFFF)"
        }
        "unexpected end of hex escape" => "four hex digits after `\\u`",
        "control character (\\u0000-\\u001F) found while parsing a string" => {
            return Some(
                "expected a string with its control characters escaped (`\\n`, `\\u0000`), \
                 but found a raw control character"
                    .to_owned(),
            );
        }
        "recursion limit exceeded" => {
            return Some("expected at most 128 levels of nesting, but found more".to_owned());
        }
        _ => return None,
    };
    let found = if body.starts_with("EOF while parsing") {
        "the end of the input".to_owned()
    } else {
        found()
    };
    Some(format!("expected {expected}, but found {found}"))
}

/// What stands at byte `at` of `text`, for a message.
pub(crate) fn found_at_byte(text: &str, at: usize) -> String {
    match text.get(at..).map(|rest| rest.chars().next()) {
        Some(Some(c)) => describe_char(c),
        Some(None) => "the end of the input".to_owned(),
        None => "a byte inside a character".to_owned(),
    }
}

/// What stands at serde_json's (1-based line, byte column) in `text`.
fn found_at(text: &str, line: usize, column: usize) -> String {
    // serde_json's column counts the bytes read on the line: the byte it
    // stopped at is the one before, or the line's first for column 0.
    let mut line_start = 0usize;
    for _ in 1..line {
        match text.get(line_start..).and_then(|rest| rest.find('\n')) {
            Some(i) => line_start = line_start.saturating_add(i).saturating_add(1),
            None => return "the end of the input".to_owned(),
        }
    }
    found_at_byte(text, line_start.saturating_add(column.saturating_sub(1)))
}

fn describe_char(c: char) -> String {
    match c {
        '`' => "a backtick".to_owned(),
        c if c.is_control() || c.is_whitespace() => format!("the character U+{:04X}", u32::from(c)),
        c => format!("`{c}`"),
    }
}

/// The message without serde_json's ` at line L column C`, and the position.
pub(crate) fn split_position(message: &str) -> (&str, Option<(&str, &str)>) {
    let Some(i) = message.rfind(" at line ") else {
        return (message, None);
    };
    let (body, tail) = message.split_at(i);
    let rest = tail.trim_start_matches(" at line ");
    let Some((line, column)) = rest.split_once(" column ") else {
        return (message, None);
    };
    let digits = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if digits(line) && digits(column) { (body, Some((line, column))) } else { (message, None) }
}

fn reword(body: &str) -> String {
    if let Some(rest) =
        body.strip_prefix("invalid type: ").or_else(|| body.strip_prefix("invalid value: "))
        && let Some((found, expected)) = rest.split_once(", expected ")
    {
        return format!("expected {}, but found {}", expected_words(expected), found_words(found));
    }
    if let Some(rest) = body.strip_prefix("invalid length ")
        && let Some((n, expected)) = rest.split_once(", expected ")
    {
        let n = n.trim();
        let what = if n == "1" { "element" } else { "elements" };
        return format!("expected {}, but found {n} {what}", expected_words(expected));
    }
    if let Some(rest) = body.strip_prefix("missing field `")
        && let Some(field) = rest.strip_suffix('`')
    {
        return format!("expected the field `{field}`, but found none");
    }
    if let Some(rest) = body.strip_prefix("duplicate field `")
        && let Some(field) = rest.strip_suffix('`')
    {
        return format!("expected the field `{field}` once, but found it twice");
    }
    if let Some(rest) = body.strip_prefix("unknown field `")
        && let Some((field, tail)) = rest.split_once('`')
    {
        let allowed = match tail.strip_prefix(", expected ") {
            Some(list) => format!("one of the fields {}", list.trim_start_matches("one of ")),
            None => "no fields".to_owned(),
        };
        return format!("expected {allowed}, but found the unknown field `{field}`");
    }
    if let Some(rest) = body.strip_prefix("unknown variant `")
        && let Some((variant, tail)) = rest.split_once('`')
    {
        let allowed = tail.strip_prefix(", expected ").unwrap_or("no value");
        return format!("expected {allowed}, but found `{variant}`");
    }
    if let Some(rest) = body.strip_prefix("data did not match any variant of untagged enum ") {
        return format!("expected one of the forms of {rest}, but found a value that fits none");
    }
    body.to_owned()
}

/// serde's name for what a visitor expected, in JSON's words.
fn expected_words(expected: &str) -> String {
    if let Some(name) = expected.strip_prefix("struct ") {
        return format!("an object ({name})");
    }
    if let Some(name) = expected.strip_prefix("tuple struct ") {
        return name.to_owned();
    }
    match expected {
        "a sequence" => "an array".to_owned(),
        "a map" => "an object".to_owned(),
        "a boolean" => "`true` or `false`".to_owned(),
        "unit" => "null".to_owned(),
        other => other.to_owned(),
    }
}

/// serde's `Unexpected` in JSON's words.
fn found_words(found: &str) -> String {
    let tick = |s: &str| s.trim_start_matches('`').trim_end_matches('`').to_owned();
    if let Some(n) =
        found.strip_prefix("integer ").or_else(|| found.strip_prefix("floating point "))
    {
        return format!("the number {}", tick(n));
    }
    if let Some(b) = found.strip_prefix("boolean ") {
        return format!("`{}`", tick(b));
    }
    if let Some(s) = found.strip_prefix("string ") {
        return format!("the string {s}");
    }
    match found {
        "map" => "an object".to_owned(),
        "sequence" => "an array".to_owned(),
        "null" | "unit" | "unit value" => "null".to_owned(),
        other => other.to_owned(),
    }
}

/// A value found where another kind was expected, as a mapping error names
/// it: by its kind and size, never its text, since vendor values may be a
/// person's name, e-mail address or account number (`docs/privacy.md`).
/// Numbers and `true`/`false` are shown; objects name up to five of their
/// keys (field names, not data).
///
/// `null`, `true`, `the number 12.5`, `a string of 14 characters`,
/// `` an object with the keys `id`, `name` ``, `an array of 3 items`.
pub(crate) fn found_json(value: &Value) -> String {
    const KEYS_SHOWN: usize = 5;
    match value {
        Value::Null => "null".to_owned(),
        Value::Bool(b) => b.to_string(),
        Value::Number(n) => format!("the number {n}"),
        Value::String(s) => match s.chars().count() {
            0 => "an empty string".to_owned(),
            1 => "a string of 1 character".to_owned(),
            n => format!("a string of {n} characters"),
        },
        Value::Array(items) => match items.len() {
            0 => "an empty array".to_owned(),
            1 => "an array of 1 item".to_owned(),
            n => format!("an array of {n} items"),
        },
        Value::Object(map) if map.is_empty() => "an empty object".to_owned(),
        Value::Object(map) => {
            let shown: Vec<String> = map
                .keys()
                .take(KEYS_SHOWN)
                .map(|k| format!("`{}`", crate::money::escape(k)))
                .collect();
            let more = map.len().saturating_sub(KEYS_SHOWN);
            let tail = if more > 0 { format!(" and {more} more") } else { String::new() };
            let noun = if map.len() == 1 { "key" } else { "keys" };
            format!("an object with the {noun} {}{tail}", shown.join(", "))
        }
    }
}

/// A value found where a code, an amount, a date or a constant was
/// expected: a string or number as written (at most 40 characters, since
/// such fields hold codes, not people's data), anything else as
/// [`found_json`] names it.
pub(crate) fn found_code(value: &Value) -> String {
    match value {
        Value::String(_) | Value::Number(_) => {
            let text = value.to_string();
            if text.chars().count() > 40 {
                format!("{}…", text.chars().take(40).collect::<String>())
            } else {
                text
            }
        }
        other => found_json(other),
    }
}

#[cfg(test)]
mod tests {

    #[test]
    fn vendor_values_are_named_by_kind_never_by_their_text() {
        let v = |t: &str| crate::json::parse(t).unwrap();
        assert_eq!(found_json(&v(r#""Ada Lovelace""#)), "a string of 12 characters");
        assert_eq!(found_json(&v("12.5")), "the number 12.5");
        assert_eq!(found_json(&v("[1, 2]")), "an array of 2 items");
        assert_eq!(
            found_json(&v(r#"{"name": "Ada", "email": "ada@example.com"}"#)),
            "an object with the keys `name`, `email`"
        );
        assert_eq!(
            found_json(&v(r#"{"a":1,"b":2,"c":3,"d":4,"e":5,"f":6,"g":7}"#)),
            "an object with the keys `a`, `b`, `c`, `d`, `e` and 2 more"
        );
        assert_eq!(found_code(&v(r#""EURO""#)), r#""EURO""#);
        assert_eq!(found_code(&v(r#"{"x": "secret"}"#)), "an object with the key `x`");
    }

    use super::*;

    #[test]
    fn type_errors_say_what_was_expected_and_what_was_found() {
        for (serde, ours) in [
            (
                "invalid type: integer `5`, expected a string at line 1 column 8",
                "expected a string, but found the number 5 (line 1, column 8)",
            ),
            ("invalid type: map, expected a sequence", "expected an array, but found an object"),
            (
                "invalid type: sequence, expected struct Contact",
                "expected an object (Contact), but found an array",
            ),
            ("invalid type: null, expected a string", "expected a string, but found null"),
            (
                "invalid type: boolean `true`, expected a decimal",
                "expected a decimal, but found `true`",
            ),
            (
                r#"invalid value: string "x", expected a currency"#,
                r#"expected a currency, but found the string "x""#,
            ),
            ("missing field `id`", "expected the field `id`, but found none"),
            ("duplicate field `id`", "expected the field `id` once, but found it twice"),
            (
                "unknown field `foo`, expected one of `id`, `kind`",
                "expected one of the fields `id`, `kind`, but found the unknown field `foo`",
            ),
            (
                "unknown field `note`, expected `amount` or `currency`",
                "expected one of the fields `amount` or `currency`, but found the unknown field `note`",
            ),
            (
                "unknown field `x`, there are no fields",
                "expected no fields, but found the unknown field `x`",
            ),
            (
                "unknown variant `weird`, expected one of `active`, `inactive`",
                "expected one of `active`, `inactive`, but found `weird`",
            ),
            ("invalid length 3, expected 2 elements", "expected 2 elements, but found 3 elements"),
            // Already in the voice, or unknown: kept.
            (
                "expected a date as YYYY-MM-DD, but found `x`",
                "expected a date as YYYY-MM-DD, but found `x`",
            ),
            ("something else entirely", "something else entirely"),
        ] {
            assert_eq!(serde_message(serde), ours, "{serde}");
        }
    }

    #[test]
    fn syntax_errors_name_what_stands_where_the_reader_stopped() {
        let cases = [
            (r#"{"id":"c1" "x":1}"#, "expected `,` or `}`, but found `\"` (line 1, column 12)"),
            (
                "{\"id\":\"c1\"",
                "expected the rest of an object (`,` and a member, or `}`), but found the end of the input (line 1, column 10)",
            ),
            (
                "{\"id\":\"c1\",",
                "expected a JSON value, but found the end of the input (line 1, column 11)",
            ),
            (
                r#"{"id":"c1"} x"#,
                "expected the end of the document (one JSON document), but found `x` (line 1, column 13)",
            ),
            ("[tru]", "expected `true`, `false` or `null`, but found `]` (line 1, column 5)"),
            (
                "{\"a\":\"\u{1}\"}",
                "expected a string with its control characters escaped (`\\n`, `\\u0000`), but found a raw control character (line 1, column 7)",
            ),
        ];
        for (text, ours) in cases {
            let Err(err) = serde_json::from_str::<serde_json::Value>(text) else {
                panic!("{text} is JSON");
            };
            assert_eq!(syntax_message(&err, text), ours, "{text}: {err}");
        }
    }
}
