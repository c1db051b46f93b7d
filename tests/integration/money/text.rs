//! The text forms: `Display`/`FromStr` of `Money`, and the strict decimal
//! parsers `parse_decimal` and `parse_json_number`.

use canonical_finance::money::{
    AmountProblem, Currency, Money, MoneyError, parse_decimal, parse_json_number,
};
use rust_decimal_macros::dec;

use super::{message, money};

#[test]
fn display_keeps_the_scale() {
    assert_eq!(Money::new(dec!(1234.50), Currency::EUR).to_string(), "1234.50 EUR");
    assert_eq!(Money::new(dec!(0.10), Currency::USD).to_string(), "0.10 USD");
    assert_eq!(Money::new(dec!(-0.50), Currency::EUR).to_string(), "-0.50 EUR");
    assert_eq!(Money::new(dec!(1999), Currency::JPY).to_string(), "1999 JPY");
    assert_eq!(Money::new(dec!(1.2300), Currency::KWD).to_string(), "1.2300 KWD");
    assert_eq!(format!("{:?}", Money::new(dec!(1234.50), Currency::EUR)), "Money(1234.50 EUR)");
}

#[test]
fn from_str_reads_amount_and_code_in_either_order() {
    let expected = Money::new(dec!(1234.50), Currency::EUR);
    for text in ["1234.50 EUR", "EUR 1234.50", "  1234.50   EUR ", "1234.50\tEUR", "EUR\n1234.50"] {
        let m: Money = text.parse().unwrap_or_else(|e| panic!("{text:?}: {e}"));
        assert_eq!(m, expected, "{text:?}");
        assert_eq!(m.to_string(), "1234.50 EUR", "{text:?}");
    }
    assert_eq!(money("-1234.50 EUR").to_string(), "-1234.50 EUR");
    assert_eq!(money("EUR -1234.50").to_string(), "-1234.50 EUR");
    assert_eq!(money("-0.00 EUR").to_string(), "0.00 EUR");
    assert_eq!(money("0 JPY").to_string(), "0 JPY");
    assert_eq!(money("1.5 XAU").to_string(), "1.5 XAU");
    assert_eq!(
        money("0.0000000000000000000000000001 USD").amount().to_string(),
        "0.0000000000000000000000000001"
    );
}

#[test]
fn from_str_rejects_text_without_an_amount_and_a_code() {
    for input in [
        "1234.50",
        "EUR",
        "",
        "   ",
        "1234.50 EUR extra",
        "EUR USD",
        "12 34",
        "1 234.50 EUR",
        "$12.50",
        "NaN EUR",
    ] {
        let err = input.parse::<Money>().unwrap_err();
        assert_eq!(err, MoneyError::InvalidMoneyText { input: input.to_owned() }, "{input:?}");
        assert!(err.is_parse());
    }
    assert_eq!(
        message("1234.50".parse::<Money>()),
        "invalid money `1234.50`: expected an amount and a currency code, such as `1234.50 EUR` or `EUR 1234.50`"
    );
    assert_eq!(
        message("EUR".parse::<Money>()),
        "invalid money `EUR`: expected an amount and a currency code, such as `1234.50 EUR` or `EUR 1234.50`"
    );
    assert_eq!(
        message("".parse::<Money>()),
        "invalid money ``: expected an amount and a currency code, such as `1234.50 EUR` or `EUR 1234.50`"
    );
}

#[test]
fn from_str_names_a_bad_amount() {
    let err = "12,50 EUR".parse::<Money>().unwrap_err();
    assert_eq!(
        err,
        MoneyError::InvalidAmount { input: "12,50".to_owned(), problem: AmountProblem::Comma }
    );
    assert_eq!(
        err.to_string(),
        "invalid amount `12,50`: expected `.` as the decimal point and no thousands separators, such as `1234.50`"
    );
    assert_eq!(
        message("1e3 EUR".parse::<Money>()),
        "invalid amount `1e3`: expected a plain decimal string without an exponent, such as `1234.50`"
    );
    assert_eq!(
        message("007.50 EUR".parse::<Money>()),
        "invalid amount `007.50`: expected no leading zeros, such as `7.50`"
    );
    assert_eq!(
        message("EUR 1.2.3".parse::<Money>()),
        "invalid amount `1.2.3`: expected digits with an optional leading `-` and an optional `.` decimal point, such as `-1234.50`"
    );
}

#[test]
fn from_str_suggests_the_code() {
    let err = "1234.50 eur".parse::<Money>().unwrap_err();
    assert_eq!(
        err,
        MoneyError::UnknownCurrency { input: "eur".to_owned(), suggestion: Some(Currency::EUR) }
    );
    assert_eq!(err.to_string(), "unknown currency code `eur`, did you mean `EUR`?");
    assert_eq!(
        message("12.50 $".parse::<Money>()),
        "unknown currency code `$`, did you mean `USD`?"
    );
    assert_eq!(
        message("12.50 QQQ".parse::<Money>()),
        "unknown currency code `QQQ`: expected a three-letter ISO 4217 code such as `EUR`"
    );
}

#[test]
fn parse_decimal_keeps_the_scale() {
    for text in [
        "0",
        "0.00",
        "1234.50",
        "-1234.5",
        "0.1",
        "12345678901234567.89",
        "79228162514264337593543950335",
        "-79228162514264337593543950335",
        "0.0000000000000000000000000001",
        "7.9228162514264337593543950335",
    ] {
        assert_eq!(parse_decimal(text).unwrap().to_string(), text);
    }
    assert_eq!(parse_decimal("-0").unwrap().to_string(), "0");
    assert_eq!(parse_decimal("1234.50").unwrap().scale(), 2);
}

#[test]
fn parse_decimal_names_each_problem() {
    let cases = [
        ("", AmountProblem::Empty, "expected a decimal number, but found an empty string"),
        ("NaN", AmountProblem::NotFinite, "expected a finite decimal number, such as `1234.50`"),
        ("nan", AmountProblem::NotFinite, "expected a finite decimal number, such as `1234.50`"),
        (
            "Infinity",
            AmountProblem::NotFinite,
            "expected a finite decimal number, such as `1234.50`",
        ),
        ("-inf", AmountProblem::NotFinite, "expected a finite decimal number, such as `1234.50`"),
        (
            "12,50",
            AmountProblem::Comma,
            "expected `.` as the decimal point and no thousands separators, such as `1234.50`",
        ),
        (
            "1,234.50",
            AmountProblem::Comma,
            "expected `.` as the decimal point and no thousands separators, such as `1234.50`",
        ),
        (
            "1e3",
            AmountProblem::ExponentInString,
            "expected a plain decimal string without an exponent, such as `1234.50`",
        ),
        ("007.50", AmountProblem::LeadingZeros, "expected no leading zeros, such as `7.50`"),
        ("-00", AmountProblem::LeadingZeros, "expected no leading zeros, such as `7.50`"),
        (
            "abc",
            AmountProblem::Malformed,
            "expected digits with an optional leading `-` and an optional `.` decimal point, such as `-1234.50`",
        ),
        (
            "+1",
            AmountProblem::Malformed,
            "expected digits with an optional leading `-` and an optional `.` decimal point, such as `-1234.50`",
        ),
        (
            "1.",
            AmountProblem::Malformed,
            "expected digits with an optional leading `-` and an optional `.` decimal point, such as `-1234.50`",
        ),
        (
            ".5",
            AmountProblem::Malformed,
            "expected digits with an optional leading `-` and an optional `.` decimal point, such as `-1234.50`",
        ),
        (
            " 1",
            AmountProblem::Malformed,
            "expected digits with an optional leading `-` and an optional `.` decimal point, such as `-1234.50`",
        ),
        (
            "1_000",
            AmountProblem::Malformed,
            "expected digits with an optional leading `-` and an optional `.` decimal point, such as `-1234.50`",
        ),
        (
            "١٢",
            AmountProblem::Malformed,
            "expected digits with an optional leading `-` and an optional `.` decimal point, such as `-1234.50`",
        ),
        (
            "79228162514264337593543950336",
            AmountProblem::OutOfRange,
            "expected at most 28 decimal places and a magnitude of at most 79228162514264337593543950335",
        ),
        (
            "100000000000000000000000000000",
            AmountProblem::OutOfRange,
            "expected at most 28 decimal places and a magnitude of at most 79228162514264337593543950335",
        ),
        (
            "0.12345678901234567890123456789",
            AmountProblem::OutOfRange,
            "expected at most 28 decimal places and a magnitude of at most 79228162514264337593543950335",
        ),
    ];
    for (input, problem, text) in cases {
        let err = parse_decimal(input).unwrap_err();
        assert_eq!(
            err,
            MoneyError::InvalidAmount { input: input.to_owned(), problem },
            "{input:?}"
        );
        assert_eq!(err.to_string(), format!("invalid amount `{input}`: {text}"), "{input:?}");
        assert!(err.is_parse());
    }
}

#[test]
fn parse_decimal_rejects_a_29th_decimal_place_even_when_zero() {
    for input in ["1.00000000000000000000000000000", "0.00000000000000000000000000000"] {
        assert_eq!(
            parse_decimal(input),
            Err(MoneyError::InvalidAmount {
                input: input.to_owned(),
                problem: AmountProblem::OutOfRange
            }),
            "{input}"
        );
    }
}

#[test]
fn rejected_input_is_escaped_and_shortened() {
    assert_eq!(
        message(parse_decimal("1`2\n")),
        "invalid amount `1\\`2\\n`: expected digits with an optional leading `-` and an optional `.` decimal point, such as `-1234.50`"
    );
    let long = "x".repeat(10_000);
    assert_eq!(
        message(parse_decimal(&long)),
        format!(
            "invalid amount `{}…`: expected digits with an optional leading `-` and an optional `.` decimal point, such as `-1234.50`",
            "x".repeat(64)
        )
    );
    let long_money = format!("{long} EUR extra");
    assert!(message(long_money.parse::<Money>()).len() < 300);
}

#[test]
fn parse_json_number_applies_the_exponent() {
    let cases = [
        ("12345678901234567.89", "12345678901234567.89"),
        ("0.1", "0.1"),
        ("1e3", "1000"),
        ("1E3", "1000"),
        ("1.5e3", "1500"),
        ("1.5E+3", "1500"),
        ("15e-1", "1.5"),
        ("-2.50e0", "-2.50"),
        ("1e-28", "0.0000000000000000000000000001"),
        ("1e28", "10000000000000000000000000000"),
        ("1.000000000000000000000000000000", "1.0000000000000000000000000000"),
    ];
    for (text, expected) in cases {
        assert_eq!(parse_json_number(text).unwrap().to_string(), expected, "{text}");
    }
}

#[test]
fn parse_json_number_rejects_out_of_range_values() {
    assert_eq!(
        message(parse_json_number("1e400")),
        "invalid amount `1e400`: the exponent is out of range for a decimal amount"
    );
    assert_eq!(
        message(parse_json_number("1e99999999999999999999")),
        "invalid amount `1e99999999999999999999`: the exponent is out of range for a decimal amount"
    );
    assert_eq!(
        message(parse_json_number("1e-29")),
        "invalid amount `1e-29`: expected at most 28 decimal places and a magnitude of at most 79228162514264337593543950335"
    );
    assert_eq!(
        message(parse_json_number("8e28")),
        "invalid amount `8e28`: expected at most 28 decimal places and a magnitude of at most 79228162514264337593543950335"
    );
    assert!(parse_json_number("1.").is_err());
    assert!(parse_json_number("01").is_err());
    assert!(parse_json_number("1e").is_err());
    assert!(parse_json_number("").is_err());
}
