//! Checked arithmetic: add, subtract, negate, abs, multiply, sum, compare.

use std::cmp::Ordering;

use canonical_finance::money::{Currency, Money, MoneyError};
use rust_decimal::Decimal;
use rust_decimal_macros::dec;

use super::{message, money};

#[test]
fn add_and_subtract_keep_the_larger_scale() {
    let cases = [
        ("10.50 EUR", "0.25 EUR", "10.75 EUR", "10.25 EUR"),
        ("1.5 EUR", "1.25 EUR", "2.75 EUR", "0.25 EUR"),
        ("1.50 EUR", "1 EUR", "2.50 EUR", "0.50 EUR"),
        ("1 EUR", "2.5 EUR", "3.5 EUR", "-1.5 EUR"),
        ("10.00 EUR", "10.00 EUR", "20.00 EUR", "0.00 EUR"),
        ("-0.01 USD", "0.01 USD", "0.00 USD", "-0.02 USD"),
        ("1000 JPY", "1 JPY", "1001 JPY", "999 JPY"),
    ];
    for (a, b, sum, difference) in cases {
        assert_eq!(money(a).checked_add(money(b)).unwrap().to_string(), sum, "{a} + {b}");
        assert_eq!(money(a).checked_sub(money(b)).unwrap().to_string(), difference, "{a} - {b}");
    }
}

#[test]
fn mixing_currencies_is_an_error_naming_both() {
    let eur = money("10.50 EUR");
    let usd = money("1.00 USD");

    let err = eur.checked_add(usd).unwrap_err();
    assert_eq!(
        err,
        MoneyError::CurrencyMismatch {
            operation: "add",
            left: Currency::EUR,
            right: Currency::USD
        }
    );
    assert_eq!(err.to_string(), "cannot add EUR and USD: the currencies differ");
    assert!(err.is_currency_mismatch() && !err.is_parse() && !err.is_overflow());

    assert_eq!(message(usd.checked_sub(eur)), "cannot subtract USD and EUR: the currencies differ");
    assert_eq!(message(eur.checked_cmp(&usd)), "cannot compare EUR and USD: the currencies differ");
    // Even zero does not mix.
    assert_eq!(
        message(eur.checked_add(Money::zero(Currency::USD))),
        "cannot add EUR and USD: the currencies differ"
    );
}

#[test]
fn overflow_is_an_error() {
    let max = Money::new(Decimal::MAX, Currency::USD);
    let min = Money::new(Decimal::MIN, Currency::USD);

    let err = max.checked_add(money("1 USD")).unwrap_err();
    assert_eq!(err, MoneyError::Overflow { operation: "add" });
    assert_eq!(err.to_string(), "add overflows the decimal range");
    assert!(err.is_overflow() && !err.is_currency_mismatch());

    assert_eq!(message(min.checked_sub(money("1 USD"))), "subtract overflows the decimal range");
    assert_eq!(message(max.checked_sub(min)), "subtract overflows the decimal range");
    assert_eq!(message(max.checked_mul(dec!(2))), "multiply overflows the decimal range");
    assert_eq!(
        Money::checked_sum(Currency::USD, [max, money("1 USD")]),
        Err(MoneyError::Overflow { operation: "add" })
    );

    // The edges themselves are fine.
    assert_eq!(max.checked_add(money("0 USD")).unwrap(), max);
    assert_eq!(max.checked_add(min).unwrap().to_string(), "0 USD");
}

#[test]
fn add_and_subtract_are_exact_or_an_error() {
    let cases = [
        ("0.0000000000000000000000000001 USD", "10 USD"),
        ("79228162514264337593543950335 USD", "0.1 USD"),
        ("10 USD", "-0.0000000000000000000000000001 USD"),
    ];
    for (a, b) in cases {
        let (a, b) = (money(a), money(b));
        match a.checked_add(b) {
            Ok(sum) => {
                let back = sum.checked_sub(b);
                assert_eq!(back, Ok(a), "{a:?} + {b:?} gave {sum:?}, which is not exact");
            }
            Err(err) => assert!(err.is_overflow(), "{err}"),
        }
    }
}

#[test]
fn sum_of_split_parts_is_exact_or_an_error() {
    let total = money("1089650580131348134009474801.0 USD");
    let parts = total.split(9).unwrap();
    match Money::checked_sum(Currency::USD, &parts) {
        Ok(sum) => assert_eq!(sum, total, "parts {parts:?}"),
        Err(err) => assert!(err.is_overflow(), "{err}"),
    }
}

#[test]
fn multiply_is_exact_and_keeps_scale() {
    let unit = money("19.99 USD");
    assert_eq!(unit.checked_mul(dec!(3)).unwrap().to_string(), "59.97 USD");
    assert_eq!(unit.checked_mul(dec!(3.5)).unwrap().to_string(), "69.965 USD");
    assert_eq!(unit.checked_mul(dec!(0.19)).unwrap().to_string(), "3.7981 USD");
    assert_eq!(unit.checked_mul(dec!(-1)).unwrap().to_string(), "-19.99 USD");
    assert!(unit.checked_mul(dec!(0)).unwrap().is_zero());
    assert!(!money("-0.00 USD").checked_mul(dec!(-1)).unwrap().is_negative());
    assert_eq!(money("1 XAU").checked_mul(dec!(1.5)).unwrap().to_string(), "1.5 XAU");
}

#[test]
fn negate_and_abs() {
    let m = money("10.50 EUR");
    assert_eq!((-m).to_string(), "-10.50 EUR");
    assert_eq!(m.negate().to_string(), "-10.50 EUR");
    assert_eq!(m.negate().negate(), m);
    assert_eq!((-money("-3.10 EUR")).to_string(), "3.10 EUR");
    assert_eq!((-money("0.00 EUR")).to_string(), "0.00 EUR");
    assert!(!(-money("0.00 EUR")).is_negative());
    assert_eq!(money("-3.10 EUR").abs().to_string(), "3.10 EUR");
    assert_eq!(money("3.10 EUR").abs().to_string(), "3.10 EUR");
    // The decimal range is symmetric.
    assert_eq!(-Money::new(Decimal::MIN, Currency::USD), Money::new(Decimal::MAX, Currency::USD));
    assert_eq!(Money::new(Decimal::MIN, Currency::USD).abs().amount(), Decimal::MAX);
}

#[test]
fn sum_of_nothing_is_zero() {
    let none: Vec<Money> = Vec::new();
    let sum = Money::checked_sum(Currency::EUR, &none).unwrap();
    assert_eq!(sum, Money::zero(Currency::EUR));
    assert_eq!(sum.to_string(), "0 EUR");
    assert_eq!(Money::checked_sum(Currency::JPY, none).unwrap().to_string(), "0 JPY");
}

#[test]
fn sum_adds_owned_and_borrowed_items() {
    let lines = vec![money("10.00 EUR"), money("2.50 EUR"), money("-0.125 EUR")];
    assert_eq!(Money::checked_sum(Currency::EUR, &lines).unwrap().to_string(), "12.375 EUR");
    assert_eq!(Money::checked_sum(Currency::EUR, lines).unwrap().to_string(), "12.375 EUR");
}

#[test]
fn sum_rejects_another_currency() {
    let lines = [money("1.00 EUR"), money("2.00 USD"), money("3.00 GBP")];
    assert_eq!(
        Money::checked_sum(Currency::EUR, lines),
        Err(MoneyError::CurrencyMismatch {
            operation: "add",
            left: Currency::EUR,
            right: Currency::USD
        })
    );
    assert_eq!(
        message(Money::checked_sum(Currency::USD, [money("1.00 EUR")])),
        "cannot add USD and EUR: the currencies differ"
    );
}

#[test]
fn compare_within_one_currency_only() {
    let a = money("1.50 EUR");
    let b = money("1.5 EUR");
    let c = money("2 EUR");
    assert_eq!(a.checked_cmp(&b), Ok(Ordering::Equal));
    assert_eq!(a, b, "equal amounts are equal whatever their scale");
    assert_eq!(a.checked_cmp(&c), Ok(Ordering::Less));
    assert!(a < c && c > b);
    assert!(money("-1 EUR") < money("0 EUR"));

    let usd = money("1.50 USD");
    assert_ne!(a, usd);
    assert_eq!(a.partial_cmp(&usd), None);
    let comparisons = [a < usd, a > usd, a <= usd, a >= usd];
    assert_eq!(comparisons, [false; 4], "amounts in different currencies do not compare");
}
