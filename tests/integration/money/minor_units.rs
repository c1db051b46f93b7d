//! Constructors and minor-unit conversion: `Money::new`, `Money::zero`,
//! `from_minor`, `to_minor`, `is_whole_minor_units`.

use canonical_finance::money::{Currency, Money, MoneyError};
use rust_decimal::Decimal;
use rust_decimal_macros::dec;

use super::{message, money};

#[test]
fn new_keeps_the_scale_and_drops_the_sign_of_zero() {
    let m = Money::new(dec!(1234.50), Currency::EUR);
    assert_eq!(m.to_string(), "1234.50 EUR");
    assert_eq!(m.amount().scale(), 2);
    assert_eq!(m.currency(), Currency::EUR);

    let zero = Money::new(dec!(-0.00), Currency::EUR);
    assert_eq!(zero.to_string(), "0.00 EUR");
    assert!(zero.is_zero() && !zero.is_negative() && !zero.is_positive());
    assert!(zero.amount().is_sign_positive());

    assert_eq!(Money::zero(Currency::JPY).to_string(), "0 JPY");
    assert_eq!(Money::zero(Currency::XAU).to_string(), "0 XAU");

    let debt = money("-0.01 USD");
    assert!(debt.is_negative() && !debt.is_positive() && !debt.is_zero());
    assert!(money("0.01 USD").is_positive());
}

#[test]
fn from_minor_uses_the_currency_scale() {
    let cases = [
        (1999, Currency::USD, "19.99 USD"),
        (1999, Currency::JPY, "1999 JPY"),
        (1999, Currency::KWD, "1.999 KWD"),
        (1999, Currency::CLF, "0.1999 CLF"),
        (5, Currency::EUR, "0.05 EUR"),
        (-5, Currency::EUR, "-0.05 EUR"),
        (0, Currency::USD, "0.00 USD"),
        (0, Currency::JPY, "0 JPY"),
        (i64::MAX, Currency::USD, "92233720368547758.07 USD"),
        (i64::MIN, Currency::USD, "-92233720368547758.08 USD"),
        (i64::MIN, Currency::CLF, "-922337203685477.5808 CLF"),
    ];
    for (minor, currency, expected) in cases {
        let m = Money::from_minor(minor, currency).unwrap();
        assert_eq!(m.to_string(), expected);
        assert_eq!(Some(m.amount().scale()), currency.minor_units());
        assert_eq!(m.to_minor(), Ok(minor), "{expected}");
    }
}

#[test]
fn from_minor_needs_minor_units() {
    for currency in [Currency::XAU, Currency::XXX] {
        let err = Money::from_minor(1999, currency).unwrap_err();
        assert_eq!(err, MoneyError::NoMinorUnits { currency, operation: "count minor units" });
        assert_eq!(
            err.to_string(),
            format!("{currency} has no minor units, so it cannot be used to count minor units")
        );
    }
}

#[test]
fn to_minor_counts_minor_units() {
    let cases = [
        ("19.99 USD", 1999),
        ("19.90000 USD", 1990),
        ("19.9 USD", 1990),
        ("20 USD", 2000),
        ("-0.01 USD", -1),
        ("0 USD", 0),
        ("1999 JPY", 1999),
        ("1999.000 JPY", 1999),
        ("1.999 KWD", 1999),
        ("1.5 KWD", 1500),
        ("0.1999 CLF", 1999),
        ("92233720368547758.07 USD", i64::MAX),
        ("-92233720368547758.08 USD", i64::MIN),
    ];
    for (text, minor) in cases {
        assert_eq!(money(text).to_minor(), Ok(minor), "{text}");
    }
}

#[test]
fn to_minor_rejects_fractions_of_a_minor_unit() {
    let err = money("19.999 USD").to_minor().unwrap_err();
    assert_eq!(
        err,
        MoneyError::NotWholeMinorUnits {
            amount: dec!(19.999),
            currency: Currency::USD,
            minor_units: 2
        }
    );
    assert_eq!(
        err.to_string(),
        "19.999 USD is not a whole number of minor units: expected at most 2 decimal places"
    );
    assert_eq!(
        message(money("1234.5 JPY").to_minor()),
        "1234.5 JPY is not a whole number of minor units: expected at most 0 decimal places"
    );
    assert_eq!(
        message(money("1.23456 CLF").to_minor()),
        "1.23456 CLF is not a whole number of minor units: expected at most 4 decimal places"
    );
}

#[test]
fn to_minor_rejects_counts_beyond_i64() {
    let err = money("92233720368547758.08 USD").to_minor().unwrap_err();
    assert_eq!(
        err,
        MoneyError::MinorUnitsOutOfRange {
            amount: dec!(92233720368547758.08),
            currency: Currency::USD
        }
    );
    assert!(err.is_overflow());
    assert_eq!(
        err.to_string(),
        "92233720368547758.08 USD counted in minor units does not fit a 64-bit integer"
    );
    assert_eq!(
        message(money("-92233720368547758.09 USD").to_minor()),
        "-92233720368547758.09 USD counted in minor units does not fit a 64-bit integer"
    );
    assert_eq!(
        message(Money::new(Decimal::MAX, Currency::JPY).to_minor()),
        "79228162514264337593543950335 JPY counted in minor units does not fit a 64-bit integer"
    );
}

#[test]
fn to_minor_needs_minor_units() {
    assert_eq!(
        money("1 XAU").to_minor(),
        Err(MoneyError::NoMinorUnits { currency: Currency::XAU, operation: "count minor units" })
    );
}

#[test]
fn whole_minor_units_ignore_trailing_zeros() {
    assert_eq!(money("19.990 USD").is_whole_minor_units(), Ok(true));
    assert_eq!(money("19.999 USD").is_whole_minor_units(), Ok(false));
    assert_eq!(money("1234 JPY").is_whole_minor_units(), Ok(true));
    assert_eq!(money("1234.1 JPY").is_whole_minor_units(), Ok(false));
    assert_eq!(
        message(money("1 XAU").is_whole_minor_units()),
        "XAU has no minor units, so it cannot be used to check minor units"
    );
}
