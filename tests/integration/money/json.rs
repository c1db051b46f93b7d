//! The JSON form of `Money`, `{"amount": "1234.50", "currency": "EUR"}`,
//! and the decimal wire form for fields of your own (`serde_decimal`).

use canonical_finance::money::{Currency, Money};
use rust_decimal::Decimal;
use rust_decimal_macros::dec;
use serde::{Deserialize, Serialize};
use serde_json::Value;

fn from_json(json: &str) -> Money {
    serde_json::from_str(json).unwrap_or_else(|e| panic!("{json}: {e}"))
}

/// Money read through the crate's own JSON tree, which keeps numbers as
/// text (a `serde_json::Value` cannot without serde_json's global
/// `arbitrary_precision` feature, which the crate does not turn on).
fn from_value(json: &str) -> Money {
    let value = canonical_finance::json::parse(json).unwrap();
    canonical_finance::json::from_value(&value).unwrap_or_else(|e| panic!("{json} as a Value: {e}"))
}

fn with_amount(amount: &str) -> String {
    format!(r#"{{"amount": {amount}, "currency": "EUR"}}"#)
}

#[test]
fn money_json_both_ways() {
    let m = Money::new(dec!(1234.50), Currency::EUR);
    assert_eq!(serde_json::to_string(&m).unwrap(), r#"{"amount":"1234.50","currency":"EUR"}"#);
    assert_eq!(
        serde_json::to_value(m).unwrap(),
        serde_json::json!({"amount": "1234.50", "currency": "EUR"})
    );

    let read = from_json(r#"{"amount": "1234.50", "currency": "EUR"}"#);
    assert_eq!(read, m);
    assert_eq!(read.to_string(), "1234.50 EUR");
    assert_eq!(from_json(r#"{"currency":"EUR","amount":"1234.50"}"#).to_string(), "1234.50 EUR");
    assert_eq!(
        from_value(r#"{"amount": "1234.50", "currency": "EUR"}"#).to_string(),
        "1234.50 EUR"
    );

    let negative = Money::new(dec!(-0.05), Currency::KWD);
    assert_eq!(serde_json::to_string(&negative).unwrap(), r#"{"amount":"-0.05","currency":"KWD"}"#);
    assert_eq!(from_json(r#"{"amount":"-0.00","currency":"EUR"}"#).to_string(), "0.00 EUR");
}

#[test]
fn json_numbers_are_read_exactly() {
    for text in [
        "12345678901234567.89",
        "0.1",
        "1234.50",
        "-0.5",
        "19.99",
        "0.30000000000000004",
        "9999999999999999999999999999",
        "-9999999999999999999999999999",
        "7.922816251426433759354395033",
        "0.0000000000000000000000000001",
        "0.1234567890123456789012345678",
        "0",
        "0.00",
        "42",
    ] {
        let m = from_json(&with_amount(text));
        assert_eq!(m.amount().to_string(), text, "{text}");
        assert_eq!(
            serde_json::to_string(&m).unwrap(),
            format!(r#"{{"amount":"{text}","currency":"EUR"}}"#),
            "{text}"
        );
    }
}

#[test]
fn json_numbers_apply_their_exponent() {
    let cases = [
        ("1e3", "1000"),
        ("1E3", "1000"),
        ("1.5E+3", "1500"),
        ("15e-1", "1.5"),
        ("-2.50e0", "-2.50"),
        ("1e-28", "0.0000000000000000000000000001"),
        ("-0", "0"),
        ("-0.0", "0.0"),
    ];
    for (text, expected) in cases {
        assert_eq!(from_json(&with_amount(text)).amount().to_string(), expected, "{text}");
    }
}

#[test]
fn json_numbers_through_a_value() {
    // Integers, and numbers that f64 cannot carry, keep their text.
    for (text, expected) in [
        ("12345678901234567.89", "12345678901234567.89"),
        ("1234.50", "1234.50"),
        ("9999999999999999999999999999", "9999999999999999999999999999"),
        ("42", "42"),
        ("-42", "-42"),
        ("1e3", "1000"),
    ] {
        assert_eq!(from_value(&with_amount(text)).amount().to_string(), expected, "{text}");
    }
}

/// A `serde_json::Value` holds numbers as f64 (serde_json without
/// `arbitrary_precision`): what it holds exactly, money reads exactly.
#[test]
fn json_numbers_through_a_value_that_look_like_f64() {
    for (text, expected) in [
        ("0.1", "0.1"),
        ("19.99", "19.99"),
        ("2.5", "2.5"),
        ("-0.5", "-0.5"),
        ("1e-7", "0.0000001"),
    ] {
        let value: Value = serde_json::from_str(&with_amount(text)).unwrap();
        let read = serde_json::from_value::<Money>(value);
        assert_eq!(
            read.as_ref().map(|m| m.amount().to_string()).map_err(ToString::to_string),
            Ok(expected.to_owned()),
            "{text}"
        );
    }
}

#[test]
fn json_round_trips_through_a_value() {
    for m in [
        Money::new(dec!(1234.50), Currency::EUR),
        Money::new(dec!(0.1), Currency::USD),
        Money::new(Decimal::new(-999_999_999_999_999_999, 0), Currency::XAU),
        Money::new(dec!(0.0000000000000000000000000001), Currency::JPY),
    ] {
        let value = serde_json::to_value(m).unwrap();
        let back: Money = serde_json::from_value(value).unwrap();
        assert_eq!(back.to_string(), m.to_string());
    }
}

/// The message of a rejected JSON document, which must be a data error.
fn rejected(json: &str) -> String {
    let err = serde_json::from_str::<Money>(json).expect_err(json);
    assert!(err.is_data(), "{json}: {err} is not a data error");
    err.to_string()
}

fn assert_rejected(json: &str, expected: &str) {
    let got = rejected(json);
    assert!(got.contains(expected), "{json}:\n got {got}\n expected {expected}");
}

#[test]
fn rejects_an_empty_amount() {
    assert_rejected(
        r#"{"amount": "", "currency": "EUR"}"#,
        "invalid amount ``: expected a decimal number, but found an empty string",
    );
}

#[test]
fn rejects_a_decimal_comma() {
    assert_rejected(
        r#"{"amount": "12,50", "currency": "EUR"}"#,
        "invalid amount `12,50`: expected `.` as the decimal point and no thousands separators, such as `1234.50`",
    );
}

#[test]
fn rejects_a_non_numeric_amount() {
    assert_rejected(
        r#"{"amount": "abc", "currency": "EUR"}"#,
        "invalid amount `abc`: expected digits with an optional leading `-` and an optional `.` decimal point, such as `-1234.50`",
    );
}

#[test]
fn rejects_nan() {
    assert_rejected(
        r#"{"amount": "NaN", "currency": "EUR"}"#,
        "invalid amount `NaN`: expected a finite decimal number, such as `1234.50`",
    );
}

#[test]
fn rejects_infinity() {
    assert_rejected(
        r#"{"amount": "Infinity", "currency": "EUR"}"#,
        "invalid amount `Infinity`: expected a finite decimal number, such as `1234.50`",
    );
    assert_rejected(
        r#"{"amount": "-Infinity", "currency": "EUR"}"#,
        "invalid amount `-Infinity`: expected a finite decimal number, such as `1234.50`",
    );
}

#[test]
fn rejects_an_exponent_in_a_string() {
    assert_rejected(
        r#"{"amount": "1e3", "currency": "EUR"}"#,
        "invalid amount `1e3`: expected a plain decimal string without an exponent, such as `1234.50`",
    );
}

#[test]
fn rejects_leading_zeros_in_a_string() {
    assert_rejected(
        r#"{"amount": "007.50", "currency": "EUR"}"#,
        "invalid amount `007.50`: expected no leading zeros, such as `7.50`",
    );
}

#[test]
fn rejects_an_exponent_out_of_range() {
    let got = rejected(r#"{"amount": 1e400, "currency": "EUR"}"#);
    assert!(got.starts_with("invalid amount `1e"), "{got}");
    assert!(got.contains("`: the exponent is out of range for a decimal amount"), "{got}");
}

/// What the canonical JSON form holds: 28 significant digits, 28 decimal
/// places (the pattern of the published schemas), whatever a `Decimal` holds.
const TOO_MANY_DIGITS: &str = "expected at most 28 significant digits and at most 28 decimal places, the most the canonical JSON form holds";

#[test]
fn rejects_a_number_beyond_the_decimal_range() {
    for amount in [
        "79228162514264337593543950336",
        "-79228162514264337593543950336",
        "79228162514264337593543950335",
        "10000000000000000000000000000",
        "1e28",
        "1e-400",
        "1.2345678901234567890123456789",
    ] {
        assert_rejected(
            &with_amount(amount),
            &format!("invalid amount `{amount}`: {TOO_MANY_DIGITS}"),
        );
    }
}

#[test]
fn rejects_a_string_beyond_the_decimal_range() {
    for amount in [
        "79228162514264337593543950336",
        "79228162514264337593543950335",
        "-10000000000000000000000000000",
        "1.2345678901234567890123456789",
        "9999999999999999999999999999.0",
    ] {
        assert_rejected(
            &format!(r#"{{"amount": "{amount}", "currency": "EUR"}}"#),
            &format!("invalid amount `{amount}`: {TOO_MANY_DIGITS}"),
        );
    }
}

#[test]
fn does_not_write_what_it_would_not_read() {
    // 10 / 3 to 28 places has 29 significant digits: a `Decimal`, not an amount in JSON.
    let third = Money::new(dec!(10).checked_div(dec!(3)).unwrap(), Currency::EUR);
    assert_eq!(third.amount().to_string(), "3.3333333333333333333333333333");
    assert_eq!(
        serde_json::to_string(&third).unwrap_err().to_string(),
        "cannot write the amount 3.3333333333333333333333333333: the canonical JSON form holds at most 28 significant digits; round it first"
    );
}

#[test]
fn rejects_more_than_28_decimal_places() {
    assert_rejected(
        r#"{"amount": "0.12345678901234567890123456789", "currency": "EUR"}"#,
        &format!("invalid amount `0.12345678901234567890123456789`: {TOO_MANY_DIGITS}"),
    );
    assert_rejected(
        r#"{"amount": 0.12345678901234567890123456789, "currency": "EUR"}"#,
        &format!("invalid amount `0.12345678901234567890123456789`: {TOO_MANY_DIGITS}"),
    );
}

#[test]
fn rejects_an_unknown_currency() {
    assert_rejected(
        r#"{"amount": "1234.50", "currency": "eur"}"#,
        "unknown currency code `eur`, did you mean `EUR`?",
    );
    assert_rejected(
        r#"{"amount": "1234.50", "currency": "QQQ"}"#,
        "unknown currency code `QQQ`: expected a three-letter ISO 4217 code such as `EUR`",
    );
}

#[test]
fn rejects_a_missing_amount() {
    assert_rejected(r#"{"currency": "EUR"}"#, "missing field `amount`");
}

#[test]
fn rejects_a_missing_currency() {
    assert_rejected(r#"{"amount": "1234.50"}"#, "missing field `currency`");
}

#[test]
fn rejects_an_unknown_field() {
    assert_rejected(
        r#"{"amount": "1234.50", "currency": "EUR", "note": "x"}"#,
        "unknown field `note`, expected `amount` or `currency`",
    );
}

#[test]
fn rejects_a_duplicate_field() {
    assert_rejected(
        r#"{"amount": "1234.50", "amount": "1.00", "currency": "EUR"}"#,
        "duplicate field `amount`",
    );
    assert_rejected(
        r#"{"amount": "1234.50", "currency": "EUR", "currency": "USD"}"#,
        "duplicate field `currency`",
    );
}

const EXPECTING_DECIMAL: &str =
    r#"expected a decimal number as a string such as "1234.50", or a JSON number"#;

#[test]
fn rejects_a_boolean_amount() {
    assert_rejected(
        r#"{"amount": true, "currency": "EUR"}"#,
        &format!("invalid type: boolean `true`, {EXPECTING_DECIMAL}"),
    );
}

#[test]
fn rejects_a_null_amount() {
    assert_rejected(
        r#"{"amount": null, "currency": "EUR"}"#,
        &format!("invalid type: null, {EXPECTING_DECIMAL}"),
    );
}

#[test]
fn rejects_an_object_amount() {
    assert_rejected(
        r#"{"amount": {"value": "1.00"}, "currency": "EUR"}"#,
        &format!("invalid type: map, {EXPECTING_DECIMAL}"),
    );
    assert_rejected(
        r#"{"amount": {}, "currency": "EUR"}"#,
        &format!("invalid type: map, {EXPECTING_DECIMAL}"),
    );
}

#[test]
fn rejects_an_array_amount() {
    assert_rejected(
        r#"{"amount": ["1.00"], "currency": "EUR"}"#,
        &format!("invalid type: sequence, {EXPECTING_DECIMAL}"),
    );
}

#[test]
fn rejects_money_as_a_string() {
    assert_rejected(
        r#""1234.50 EUR""#,
        r#"invalid type: string "1234.50 EUR", expected money as {"amount": "1234.50", "currency": "EUR"}"#,
    );
}

#[test]
fn rejections_through_a_value_carry_the_same_message() {
    let cases = [
        (
            r#"{"amount": "12,50", "currency": "EUR"}"#,
            "invalid amount `12,50`: expected `.` as the decimal point",
        ),
        (
            r#"{"amount": 79228162514264337593543950336, "currency": "EUR"}"#,
            "invalid amount `79228162514264337593543950336`",
        ),
        (
            r#"{"amount": "1.00", "currency": "eur"}"#,
            "unknown currency code `eur`, did you mean `EUR`?",
        ),
        (r#"{"amount": "1.00"}"#, "missing field `currency`"),
        (r#"{"amount": "1.00", "currency": "EUR", "x": 1}"#, "unknown field `x`"),
        (r#"{"amount": true, "currency": "EUR"}"#, "invalid type: boolean `true`"),
    ];
    for (json, expected) in cases {
        let value = canonical_finance::json::parse(json).unwrap();
        let err = canonical_finance::json::from_value::<Money>(&value).unwrap_err();
        assert!(err.to_string().contains(expected), "{json}: {err}");
    }
}

#[derive(Debug, PartialEq, Serialize, Deserialize)]
struct Line {
    #[serde(with = "canonical_finance::money::serde_decimal")]
    quantity: Decimal,
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "canonical_finance::money::serde_decimal::option"
    )]
    discount: Option<Decimal>,
}

#[test]
fn serde_decimal_for_fields_of_your_own() {
    let line: Line = serde_json::from_str(r#"{"quantity": 2.50}"#).unwrap();
    assert_eq!(line, Line { quantity: dec!(2.50), discount: None });
    assert_eq!(serde_json::to_string(&line).unwrap(), r#"{"quantity":"2.50"}"#);

    let line: Line = serde_json::from_str(r#"{"quantity": "3", "discount": "0.10"}"#).unwrap();
    assert_eq!(serde_json::to_string(&line).unwrap(), r#"{"quantity":"3","discount":"0.10"}"#);
    let line: Line = serde_json::from_str(r#"{"quantity": "3", "discount": null}"#).unwrap();
    assert_eq!(line.discount, None);
    let line: Line = serde_json::from_str(r#"{"quantity": "3", "discount": 1e-2}"#).unwrap();
    assert_eq!(line.discount.map(|d| d.to_string()), Some("0.01".to_owned()));

    let err = serde_json::from_str::<Line>(r#"{"quantity": "2,5"}"#).unwrap_err();
    assert!(err.to_string().contains("invalid amount `2,5`"), "{err}");
    let err = serde_json::from_str::<Line>(r#"{"quantity": "1", "discount": "NaN"}"#).unwrap_err();
    assert!(err.to_string().contains("invalid amount `NaN`"), "{err}");
}
