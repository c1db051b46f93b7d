//! `ExchangeRate`: construction, conversion with explicit rounding, the
//! inverse rate, and the JSON form.

use canonical_finance::money::{Currency, ExchangeRate, MoneyError, Rounding};
use rust_decimal::Decimal;
use rust_decimal_macros::dec;

use super::{date, message, money};

const ECB_JSON: &str =
    r#"{"from":"EUR","to":"USD","rate":"1.0842","as_of":"2026-11-25","source":"ECB"}"#;

fn eur_usd() -> ExchangeRate {
    ExchangeRate::new(Currency::EUR, Currency::USD, dec!(1.0842), date(2026, 11, 25))
        .unwrap()
        .with_source("ECB")
}

#[test]
fn a_rate_knows_its_parts() {
    let rate = eur_usd();
    assert_eq!(rate.from(), Currency::EUR);
    assert_eq!(rate.to(), Currency::USD);
    assert_eq!(rate.rate(), dec!(1.0842));
    assert_eq!(rate.rate().to_string(), "1.0842");
    assert_eq!(rate.as_of(), date(2026, 11, 25));
    assert_eq!(rate.source(), Some("ECB"));
    let plain =
        ExchangeRate::new(Currency::EUR, Currency::USD, dec!(1.0842), date(2026, 11, 25)).unwrap();
    assert_eq!(plain.source(), None);
    assert_ne!(plain, rate);
}

#[test]
fn convert_rounds_with_the_named_strategy() {
    let rate = eur_usd();
    assert_eq!(
        rate.convert(money("100.00 EUR"), Rounding::HalfEven).unwrap().to_string(),
        "108.42 USD"
    );
    // 1234.50 × 1.0842 = 1338.444900
    let net = money("1234.50 EUR");
    assert_eq!(rate.convert_unrounded(net).unwrap().to_string(), "1338.444900 USD");
    assert_eq!(rate.convert(net, Rounding::HalfUp).unwrap().to_string(), "1338.44 USD");
    assert_eq!(rate.convert(net, Rounding::Up).unwrap().to_string(), "1338.45 USD");
    assert_eq!(rate.convert(net, Rounding::Floor).unwrap().to_string(), "1338.44 USD");
    assert_eq!(rate.convert(-net, Rounding::Floor).unwrap().to_string(), "-1338.45 USD");
    // The result always has the target's scale.
    assert_eq!(rate.convert(money("1 EUR"), Rounding::HalfUp).unwrap().to_string(), "1.08 USD");
    assert_eq!(rate.convert(money("0 EUR"), Rounding::HalfUp).unwrap().to_string(), "0.00 USD");

    let yen =
        ExchangeRate::new(Currency::EUR, Currency::JPY, dec!(162.31), date(2026, 11, 25)).unwrap();
    // 1234.50 × 162.31 = 200371.6950
    assert_eq!(yen.convert(net, Rounding::HalfUp).unwrap().to_string(), "200372 JPY");
    assert_eq!(yen.convert(net, Rounding::Down).unwrap().to_string(), "200371 JPY");

    let usd_jpy =
        ExchangeRate::new(Currency::USD, Currency::JPY, dec!(151.237), date(2026, 11, 25)).unwrap();
    assert_eq!(
        usd_jpy.convert(money("108.42 USD"), Rounding::HalfUp).unwrap().to_string(),
        "16397 JPY"
    );

    let dinar =
        ExchangeRate::new(Currency::USD, Currency::KWD, dec!(0.30725), date(2026, 11, 25)).unwrap();
    // 10.00 × 0.30725 = 3.0725000
    assert_eq!(
        dinar.convert(money("10.00 USD"), Rounding::HalfEven).unwrap().to_string(),
        "3.072 KWD"
    );
    assert_eq!(
        dinar.convert(money("10.00 USD"), Rounding::HalfUp).unwrap().to_string(),
        "3.073 KWD"
    );
}

#[test]
fn converting_into_a_currency_without_minor_units_needs_convert_unrounded() {
    let gold =
        ExchangeRate::new(Currency::USD, Currency::XAU, dec!(0.0005), date(2026, 11, 25)).unwrap();
    assert_eq!(
        gold.convert(money("2 USD"), Rounding::HalfUp),
        Err(MoneyError::NoMinorUnits {
            currency: Currency::XAU,
            operation: "receive a converted amount"
        })
    );
    assert_eq!(
        message(gold.convert(money("2 USD"), Rounding::HalfUp)),
        "XAU has no minor units, so it cannot be used to receive a converted amount"
    );
    assert_eq!(gold.convert_unrounded(money("2 USD")).unwrap().to_string(), "0.0010 XAU");
}

#[test]
fn converting_money_in_another_currency_is_an_error() {
    let rate = eur_usd();
    let err = rate.convert(money("1.00 GBP"), Rounding::HalfUp).unwrap_err();
    assert_eq!(
        err,
        MoneyError::RateCurrencyMismatch {
            from: Currency::EUR,
            to: Currency::USD,
            found: Currency::GBP
        }
    );
    assert_eq!(
        err.to_string(),
        "cannot convert GBP with a EUR/USD rate: expected an amount in EUR"
    );
    assert!(err.is_currency_mismatch());
    // Converting the result again is the commonest slip.
    assert_eq!(
        message(rate.convert_unrounded(money("1.00 USD"))),
        "cannot convert USD with a EUR/USD rate: expected an amount in EUR"
    );
}

#[test]
fn conversion_overflow_is_an_error() {
    let rate = ExchangeRate::new(Currency::EUR, Currency::USD, dec!(2), date(2026, 1, 2)).unwrap();
    let max = canonical_finance::money::Money::new(Decimal::MAX, Currency::EUR);
    assert_eq!(
        rate.convert(max, Rounding::HalfUp),
        Err(MoneyError::Overflow { operation: "convert" })
    );
    assert_eq!(message(rate.convert_unrounded(max)), "convert overflows the decimal range");
}

#[test]
fn rates_must_be_positive_and_between_two_currencies() {
    let day = date(2026, 11, 25);
    for rate in [dec!(0), dec!(0.0000), dec!(-1.5)] {
        let err = ExchangeRate::new(Currency::EUR, Currency::USD, rate, day).unwrap_err();
        assert_eq!(err, MoneyError::InvalidRate { rate });
        assert_eq!(
            err.to_string(),
            format!("invalid exchange rate {rate}: expected a rate greater than zero")
        );
    }
    assert_eq!(
        message(ExchangeRate::new(Currency::EUR, Currency::USD, dec!(-1.5), day)),
        "invalid exchange rate -1.5: expected a rate greater than zero"
    );
    let err = ExchangeRate::new(Currency::EUR, Currency::EUR, dec!(1), day).unwrap_err();
    assert_eq!(err, MoneyError::SameCurrency { currency: Currency::EUR });
    assert_eq!(
        err.to_string(),
        "invalid exchange rate: expected two different currencies, but found EUR on both sides"
    );
}

#[test]
fn inverse_swaps_the_currencies_and_keeps_date_and_source() {
    let chf = ExchangeRate::new(Currency::EUR, Currency::CHF, dec!(0.8), date(2026, 1, 2))
        .unwrap()
        .with_source("SNB");
    let inverse = chf.inverse().unwrap();
    assert_eq!((inverse.from(), inverse.to()), (Currency::CHF, Currency::EUR));
    assert_eq!(inverse.rate().to_string(), "1.25");
    assert_eq!(inverse.as_of(), date(2026, 1, 2));
    assert_eq!(inverse.source(), Some("SNB"));
    assert_eq!(inverse.inverse().unwrap().rate().to_string(), "0.8");

    let thirds =
        ExchangeRate::new(Currency::EUR, Currency::USD, dec!(3), date(2026, 1, 2)).unwrap();
    assert_eq!(thirds.inverse().unwrap().rate().to_string(), "0.3333333333333333333333333333");

    // There and back, rounded to minor units.
    let usd = eur_usd().convert(money("100.00 EUR"), Rounding::HalfEven).unwrap();
    let back = eur_usd().inverse().unwrap().convert(usd, Rounding::HalfEven).unwrap();
    assert_eq!(back.to_string(), "100.00 EUR");
}

#[test]
fn an_inverse_below_the_decimal_range_is_an_error() {
    let huge =
        ExchangeRate::new(Currency::EUR, Currency::USD, Decimal::MAX, date(2026, 1, 2)).unwrap();
    assert_eq!(huge.inverse(), Err(MoneyError::Overflow { operation: "invert a rate" }));
    assert_eq!(message(huge.inverse()), "invert a rate overflows the decimal range");
    // The smallest rate inverts to a large but representable one.
    let tiny = ExchangeRate::new(
        Currency::EUR,
        Currency::USD,
        super::decimal("0.0000000000000000000000000001"),
        date(2026, 1, 2),
    )
    .unwrap();
    assert_eq!(tiny.inverse().unwrap().rate().to_string(), "10000000000000000000000000000");
}

#[test]
fn json_round_trip() {
    let rate = eur_usd();
    assert_eq!(serde_json::to_string(&rate).unwrap(), ECB_JSON);
    assert_eq!(serde_json::from_str::<ExchangeRate>(ECB_JSON).unwrap(), rate);
    let value: serde_json::Value = serde_json::from_str(ECB_JSON).unwrap();
    assert_eq!(serde_json::to_value(&rate).unwrap(), value);
    assert_eq!(serde_json::from_value::<ExchangeRate>(value).unwrap(), rate);

    // Without a source the field is left out; the rate keeps its scale.
    let plain = ExchangeRate::new(Currency::USD, Currency::JPY, dec!(151.2370), date(2026, 11, 25))
        .unwrap();
    let json = r#"{"from":"USD","to":"JPY","rate":"151.2370","as_of":"2026-11-25"}"#;
    assert_eq!(serde_json::to_string(&plain).unwrap(), json);
    assert_eq!(serde_json::from_str::<ExchangeRate>(json).unwrap().rate().to_string(), "151.2370");
    let with_null =
        r#"{"from":"USD","to":"JPY","rate":"151.2370","as_of":"2026-11-25","source":null}"#;
    assert_eq!(serde_json::from_str::<ExchangeRate>(with_null).unwrap(), plain);
}

#[test]
fn json_rate_may_be_an_exact_number() {
    let json = r#"{"from":"EUR","to":"USD","rate":1.0842,"as_of":"2026-11-25","source":"ECB"}"#;
    let rate: ExchangeRate = serde_json::from_str(json).unwrap();
    assert_eq!(rate, eur_usd());
    assert_eq!(serde_json::to_string(&rate).unwrap(), ECB_JSON);
}

fn rejects(json: &str, expected: &str) {
    let err = serde_json::from_str::<ExchangeRate>(json).unwrap_err();
    assert!(err.is_data(), "{err}");
    assert!(err.to_string().contains(expected), "{json}: got {err}, expected {expected}");
}

#[test]
fn json_rejects_a_zero_rate() {
    rejects(
        r#"{"from":"EUR","to":"USD","rate":"0","as_of":"2026-11-25","source":"ECB"}"#,
        "invalid exchange rate 0: expected a rate greater than zero",
    );
    rejects(
        r#"{"from":"EUR","to":"USD","rate":0,"as_of":"2026-11-25"}"#,
        "invalid exchange rate 0: expected a rate greater than zero",
    );
}

#[test]
fn json_rejects_a_negative_rate() {
    rejects(
        r#"{"from":"EUR","to":"USD","rate":"-1.0842","as_of":"2026-11-25"}"#,
        "invalid exchange rate -1.0842: expected a rate greater than zero",
    );
}

#[test]
fn json_rejects_the_same_currency_twice() {
    rejects(
        r#"{"from":"EUR","to":"EUR","rate":"1","as_of":"2026-11-25"}"#,
        "invalid exchange rate: expected two different currencies, but found EUR on both sides",
    );
}

#[test]
fn json_rejects_a_malformed_rate() {
    rejects(
        r#"{"from":"EUR","to":"USD","rate":"1,0842","as_of":"2026-11-25"}"#,
        "invalid amount `1,0842`: expected `.` as the decimal point",
    );
}

#[test]
fn json_rejects_an_unknown_currency() {
    rejects(
        r#"{"from":"eur","to":"USD","rate":"1.0842","as_of":"2026-11-25"}"#,
        "unknown currency code `eur`, did you mean `EUR`?",
    );
}

#[test]
fn json_rejects_unknown_and_missing_fields() {
    rejects(
        r#"{"from":"EUR","to":"USD","rate":"1.0842","as_of":"2026-11-25","provider":"ECB"}"#,
        "unknown field `provider`",
    );
    rejects(r#"{"from":"EUR","to":"USD","rate":"1.0842"}"#, "missing field `as_of`");
    rejects(r#"{"from":"EUR","to":"USD","as_of":"2026-11-25"}"#, "missing field `rate`");
}

#[test]
fn json_rejects_an_impossible_date() {
    let err = serde_json::from_str::<ExchangeRate>(
        r#"{"from":"EUR","to":"USD","rate":"1.0842","as_of":"2026-13-01"}"#,
    )
    .unwrap_err();
    assert!(err.is_data(), "{err}");
}
