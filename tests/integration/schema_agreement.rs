//! One list of edge values, run through serde (the typed `Payment`) and
//! through the published `schemas/payment.schema.json` (with the
//! `jsonschema` crate, draft 2020-12, `format` asserted): both must give
//! the same verdict on every value.
//!
//! The one place they may differ is stated on `DecimalSchema`: for an
//! amount sent as a JSON number the schema can only bound the value
//! (validators read numbers as binary floats), so it cannot count digits or
//! decimal places. Those numbers are listed in `NUMBERS_ONLY_SERDE_REFUSES`,
//! and the test checks that they do differ, in that direction only.

use std::path::PathBuf;

use canonical_finance::model::Payment;
use jsonschema::{Draft, Validator};
use serde_json::Value;

fn validator() -> Validator {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(root.join("schemas/payment.schema.json")).unwrap();
    let schema: Value = serde_json::from_str(&text).unwrap();
    jsonschema::options()
        .with_draft(Draft::Draft202012)
        .should_validate_formats(true)
        .build(&schema)
        .unwrap()
}

fn example() -> Value {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let path = root.join("schemas/examples/payment/card_payment_with_fee.json");
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// (by the schema, by serde) for `doc`, read from its text as a user's
/// program would.
fn verdicts(validator: &Validator, doc: &Value) -> (bool, bool) {
    let text = serde_json::to_string(doc).unwrap();
    (validator.is_valid(doc), serde_json::from_str::<Payment>(&text).is_ok())
}

const DATES: &[(&str, bool)] = &[
    ("0000-01-01", false),
    ("0001-01-01", true),
    ("9999-12-31", true),
    ("10000-01-01", false),
    ("+10000-01-01", false),
    ("-0001-01-01", false),
    ("2023-02-29", false),
    ("2024-02-29", true),
    ("2000-02-29", true),
    ("1900-02-29", false),
    ("2024-04-31", false),
    ("2024-04-30", true),
    ("2024-02-30", false),
    ("2024-1-01", false),
    ("2024-01-1", false),
    ("2024-00-10", false),
    ("2024-13-10", false),
    ("2024-01-00", false),
    ("2024-01-32", false),
    ("24-01-01", false),
    ("2024/01/01", false),
    ("20240101", false),
    (" 2024-01-01", false),
    ("2024-01-01 ", false),
    ("2024-01-01T00:00:00Z", false),
    ("", false),
];

const INSTANTS: &[(&str, bool)] = &[
    ("2026-12-03T18:41:12Z", true),
    ("2026-12-03t18:41:12Z", false),
    ("2026-12-03T18:41:12z", false),
    ("2026-12-03 18:41:12Z", false),
    ("2016-12-31T23:59:60Z", false),
    ("2026-12-03T24:00:00Z", false),
    ("2026-12-03T18:60:00Z", false),
    ("2026-12-03T18:41Z", false),
    ("2026-12-03T18:41:12", false),
    ("2026-12-03T18:41:12+01:00", true),
    ("2026-12-03T18:41:12-00:00", true),
    ("2026-12-03T18:41:12+23:59", true),
    ("2026-12-03T18:41:12+24:00", false),
    ("2026-12-03T18:41:12+01:60", false),
    ("2026-12-03T18:41:12+0100", false),
    ("2026-12-03T18:41:12+01", false),
    ("2026-12-03T18:41:12.5Z", true),
    ("2026-12-03T18:41:12.123456789Z", true),
    ("2026-12-03T18:41:12.1234567890Z", false),
    ("2026-12-03T18:41:12.Z", false),
    ("2026-12-03T18:41:12,5Z", false),
    ("0000-01-01T00:00:00Z", false),
    ("0001-01-01T00:00:00Z", true),
    ("0001-01-01T00:00:00-01:00", true),
    ("0001-01-01T00:30:00+00:00", true),
    ("0001-01-01T00:30:00+00:30", false),
    ("0001-01-01T23:00:00+01:00", false),
    ("9999-12-31T23:59:59.999999999Z", true),
    ("9999-12-31T23:59:59+01:00", true),
    ("9999-12-31T00:00:00-00:00", true),
    ("9999-12-31T20:00:00-01:00", false),
    ("10000-01-01T00:00:00Z", false),
    ("-0001-01-01T00:00:00Z", false),
    ("2023-02-29T00:00:00Z", false),
    ("2024-02-29T00:00:00Z", true),
    ("2026-12-03", false),
    ("", false),
];

/// Amounts as strings: the schema's pattern and serde agree on every one.
const AMOUNT_STRINGS: &[(&str, bool)] = &[
    ("212.12", true),
    ("0", true),
    ("-0", true),
    ("-0.00", true),
    ("9999999999999999999999999999", true),
    ("-9999999999999999999999999999", true),
    ("10000000000000000000000000000", false),
    ("79228162514264337593543950335", false),
    ("79228162514264337593543950336", false),
    ("0.1234567890123456789012345678", true),
    ("0.12345678901234567890123456789", false),
    ("0.0000000000000000000000000001", true),
    ("0.00000000000000000000000000001", false),
    ("1.234567890123456789012345678", true),
    ("1.2345678901234567890123456789", false),
    ("9999999999999999999999999999.0", false),
    ("1e-400", false),
    ("1E5", false),
    ("1e5", false),
    ("+1", false),
    ("01", false),
    ("00.5", false),
    (".5", false),
    ("5.", false),
    (" 5", false),
    ("5 ", false),
    ("1,5", false),
    ("1_000", false),
    ("NaN", false),
    ("Infinity", false),
    ("", false),
    ("-", false),
];

/// Amounts as JSON numbers (their text), on which both agree.
const AMOUNT_NUMBERS: &[(&str, bool)] = &[
    ("212.12", true),
    ("0", true),
    ("-0", true),
    ("1E5", true),
    ("1e5", true),
    ("1.5e-3", true),
    ("9999999999999999999999999999", true),
    ("0.1234567890123456789012345678", true),
    ("1e400", false),
    ("-1e400", false),
    ("79228162514264337593543950336", false),
    ("1e29", false),
];

/// Amounts as JSON numbers that serde refuses and the schema cannot: more
/// than 28 significant digits or decimal places, which a bound on a binary
/// float does not see (documented on `DecimalSchema`).
const NUMBERS_ONLY_SERDE_REFUSES: &[&str] = &[
    "1e-400",
    "1e-29",
    "1e28",
    "10000000000000000000000000000",
    "0.12345678901234567890123456789",
    "1.2345678901234567890123456789",
];

fn check(field: &[&str], cases: &[(&str, bool)]) -> Vec<String> {
    let validator = validator();
    let mut wrong = Vec::new();
    for (value, expected) in cases {
        let mut doc = example();
        let mut at = &mut doc;
        for key in field {
            at = &mut at[*key];
        }
        *at = Value::from(*value);
        let (by_schema, by_serde) = verdicts(&validator, &doc);
        if (by_schema, by_serde) != (*expected, *expected) {
            wrong.push(format!(
                "{field:?} = {value:?}: schema {by_schema}, serde {by_serde}, expected {expected}"
            ));
        }
    }
    wrong
}

#[test]
fn dates_get_the_same_verdict_from_schema_and_serde() {
    let wrong = check(&["payment_date"], DATES);
    assert!(wrong.is_empty(), "{wrong:#?}");
}

#[test]
fn instants_get_the_same_verdict_from_schema_and_serde() {
    let wrong = check(&["created_at"], INSTANTS);
    assert!(wrong.is_empty(), "{wrong:#?}");
}

#[test]
fn amount_strings_get_the_same_verdict_from_schema_and_serde() {
    let wrong = check(&["amount", "amount"], AMOUNT_STRINGS);
    assert!(wrong.is_empty(), "{wrong:#?}");
}

/// Numbers are put into the document's text as they are: a
/// `serde_json::Value` would hold them as `f64`.
fn number_verdicts(validator: &Validator, number: &str) -> (bool, bool) {
    let mut doc = example();
    doc["amount"]["amount"] = Value::from("NUMBER");
    let text = serde_json::to_string(&doc).unwrap().replace("\"NUMBER\"", number);
    let by_serde = serde_json::from_str::<Payment>(&text).is_ok();
    let by_schema = serde_json::from_str::<Value>(&text).is_ok_and(|v| validator.is_valid(&v));
    (by_schema, by_serde)
}

#[test]
fn amount_numbers_get_the_same_verdict_except_where_documented() {
    let validator = validator();
    let mut wrong = Vec::new();
    for (number, expected) in AMOUNT_NUMBERS {
        let got = number_verdicts(&validator, number);
        if got != (*expected, *expected) {
            wrong.push(format!("{number}: (schema, serde) = {got:?}, expected {expected}"));
        }
    }
    for number in NUMBERS_ONLY_SERDE_REFUSES {
        let got = number_verdicts(&validator, number);
        if got != (true, false) {
            wrong.push(format!("{number}: (schema, serde) = {got:?}, documented (true, false)"));
        }
    }
    assert!(wrong.is_empty(), "{wrong:#?}");
}

/// What the crate writes, the schema accepts: the edges written back.
#[test]
fn what_serde_writes_back_passes_the_schema() {
    let validator = validator();
    for (field, value) in [
        ("payment_date", "0001-01-01"),
        ("payment_date", "9999-12-31"),
        ("created_at", "0001-01-01T00:00:00-23:59"),
        ("created_at", "9999-12-31T23:59:59.999999999+23:59"),
        ("created_at", "2026-12-03T18:41:12.1-00:00"),
    ] {
        let mut doc = example();
        doc[field] = Value::from(value);
        let payment: Payment = serde_json::from_value(doc).unwrap();
        let written = serde_json::to_value(&payment).unwrap();
        assert!(validator.is_valid(&written), "{field} = {value} written as {}", written[field]);
    }
}
