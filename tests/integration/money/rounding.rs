//! Rounding to minor units (the table in `tests/vectors/rounding.csv`),
//! to decimal places, and to cash increments.

use std::collections::BTreeSet;
use std::path::PathBuf;

use canonical_finance::money::{Currency, Money, MoneyError, Rounding, parse_decimal};
use rust_decimal::{Decimal, RoundingStrategy};
use rust_decimal_macros::dec;

use super::{message, money};

/// One row of `rounding.csv`.
struct Row {
    line: usize,
    currency: String,
    amount: String,
    strategy: String,
    expected: String,
    error: String,
}

fn rounding_table() -> Vec<Row> {
    let path: PathBuf =
        [env!("CARGO_MANIFEST_DIR"), "tests", "vectors", "rounding.csv"].iter().collect();
    let text = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    let mut lines = text.lines().enumerate();
    let (_, header) = lines.next().expect("rounding.csv is empty");
    assert_eq!(header.trim_end(), "currency,amount,strategy,expected,error");
    lines
        .filter(|(_, line)| !line.trim().is_empty())
        .map(|(index, line)| {
            let fields: Vec<&str> = line.trim_end().split(',').collect();
            assert_eq!(fields.len(), 5, "rounding.csv line {}: {line:?}", index + 1);
            Row {
                line: index + 1,
                currency: fields[0].to_owned(),
                amount: fields[1].to_owned(),
                strategy: fields[2].to_owned(),
                expected: fields[3].to_owned(),
                error: fields[4].to_owned(),
            }
        })
        .collect()
}

fn strategy(name: &str) -> Rounding {
    let rounding = Rounding::ALL
        .into_iter()
        .find(|r| r.as_str() == name)
        .unwrap_or_else(|| panic!("unknown strategy {name:?}"));
    // The CSV uses the JSON names.
    let from_json: Rounding = serde_json::from_value(serde_json::json!(name)).unwrap();
    assert_eq!(from_json, rounding);
    rounding
}

fn error_kind(err: &MoneyError) -> &'static str {
    match err {
        MoneyError::NoMinorUnits { .. } => "no_minor_units",
        MoneyError::Overflow { .. } => "overflow",
        MoneyError::InvalidIncrement { .. } => "invalid_increment",
        _ => "other",
    }
}

#[test]
fn rounding_table_from_csv() {
    let rows = rounding_table();
    let mut failures = Vec::new();
    for row in &rows {
        let currency: Currency = row.currency.parse().unwrap();
        let amount = parse_decimal(&row.amount).unwrap();
        let rounding = strategy(&row.strategy);
        let input = Money::new(amount, currency);
        let got = match input.round(rounding) {
            Ok(m) => {
                assert_eq!(m.currency(), currency);
                assert_eq!(
                    Some(m.amount().scale()),
                    currency.minor_units(),
                    "line {}: the result has the currency's scale",
                    row.line
                );
                (m.amount().to_string(), String::new())
            }
            Err(err) => {
                if err == (MoneyError::NoMinorUnits { currency, operation: "round to minor units" })
                {
                    assert_eq!(
                        err.to_string(),
                        format!(
                            "{currency} has no minor units, so it cannot be used to round to minor units"
                        )
                    );
                }
                (String::new(), error_kind(&err).to_owned())
            }
        };
        if got != (row.expected.clone(), row.error.clone()) {
            failures.push(format!(
                "line {}: {} {} {}: expected {:?} {:?}, got {:?} {:?}",
                row.line,
                row.amount,
                row.currency,
                row.strategy,
                row.expected,
                row.error,
                got.0,
                got.1
            ));
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} rows differ:\n{}",
        failures.len(),
        rows.len(),
        failures.join("\n")
    );
}

#[test]
fn rounding_table_covers_every_strategy_currency_and_sign() {
    let rows = rounding_table();
    let covered: BTreeSet<(String, String, bool)> = rows
        .iter()
        .filter(|r| r.error.is_empty())
        .map(|r| (r.currency.clone(), r.strategy.clone(), r.amount.starts_with('-')))
        .collect();
    for currency in ["USD", "EUR", "JPY", "KWD", "BHD", "CLF"] {
        for rounding in Rounding::ALL {
            for negative in [false, true] {
                let key = (currency.to_owned(), rounding.as_str().to_owned(), negative);
                assert!(covered.contains(&key), "rounding.csv lacks {key:?}");
            }
        }
    }
    for rounding in Rounding::ALL {
        assert!(
            rows.iter().any(|r| r.currency == "XAU"
                && r.strategy == rounding.as_str()
                && r.error == "no_minor_units"),
            "rounding.csv lacks XAU {}",
            rounding.as_str()
        );
    }
    let required = [
        ("USD", "2.345", "half_up", "2.35"),
        ("USD", "2.345", "half_even", "2.34"),
        ("USD", "-2.345", "half_up", "-2.35"),
        ("JPY", "1234.5", "half_up", "1235"),
        ("JPY", "1234.5", "half_even", "1234"),
        ("KWD", "1.2345", "half_up", "1.235"),
        ("USD", "2.3", "half_up", "2.30"),
    ];
    for (currency, amount, strategy, expected) in required {
        assert!(
            rows.iter().any(|r| r.currency == currency
                && r.amount == amount
                && r.strategy == strategy
                && r.expected == expected),
            "rounding.csv lacks {currency},{amount},{strategy},{expected}"
        );
    }
}

#[test]
fn strategies_have_json_names_and_decimal_equivalents() {
    let cases = [
        (Rounding::HalfUp, "half_up", RoundingStrategy::MidpointAwayFromZero),
        (Rounding::HalfEven, "half_even", RoundingStrategy::MidpointNearestEven),
        (Rounding::HalfDown, "half_down", RoundingStrategy::MidpointTowardZero),
        (Rounding::Up, "up", RoundingStrategy::AwayFromZero),
        (Rounding::Down, "down", RoundingStrategy::ToZero),
        (Rounding::Ceiling, "ceiling", RoundingStrategy::ToPositiveInfinity),
        (Rounding::Floor, "floor", RoundingStrategy::ToNegativeInfinity),
    ];
    assert_eq!(Rounding::ALL.to_vec(), cases.iter().map(|c| c.0).collect::<Vec<_>>());
    for (rounding, name, decimal_strategy) in cases {
        assert_eq!(rounding.as_str(), name);
        assert_eq!(rounding.to_decimal_strategy(), decimal_strategy);
        assert_eq!(serde_json::to_string(&rounding).unwrap(), format!("\"{name}\""));
        assert_eq!(serde_json::from_str::<Rounding>(&format!("\"{name}\"")).unwrap(), rounding);
    }
    for bad in [r#""HalfUp""#, r#""HALF_UP""#, r#""half-up""#, r#""""#, "0"] {
        assert!(serde_json::from_str::<Rounding>(bad).is_err(), "{bad} accepted");
    }
}

#[test]
fn round_dp_rounds_any_currency_to_fixed_places() {
    assert_eq!(money("0.123456 USD").round_dp(4, Rounding::HalfEven).to_string(), "0.1235 USD");
    assert_eq!(money("0.12345 USD").round_dp(4, Rounding::HalfEven).to_string(), "0.1234 USD");
    assert_eq!(money("1234.5678 JPY").round_dp(2, Rounding::HalfUp).to_string(), "1234.57 JPY");
    assert_eq!(money("1.23456 XAU").round_dp(3, Rounding::Floor).to_string(), "1.234 XAU");
    assert_eq!(money("-1.23456 XAU").round_dp(3, Rounding::Floor).to_string(), "-1.235 XAU");
    assert_eq!(money("2.3 USD").round_dp(4, Rounding::Down).to_string(), "2.3000 USD");
    assert_eq!(money("-0.001 USD").round_dp(2, Rounding::HalfUp).to_string(), "0.00 USD");
    // Above 28 places is treated as 28.
    assert_eq!(
        money("1.5 USD").round_dp(40, Rounding::HalfUp).to_string(),
        "1.5000000000000000000000000000 USD"
    );
}

#[test]
fn rounding_near_the_decimal_limits() {
    // Huge amounts keep as many places as fit.
    let max = Money::new(Decimal::MAX, Currency::USD);
    assert_eq!(max.round(Rounding::Up).unwrap(), max);
    let tiny = money("0.0000000000000000000000000001 USD");
    assert_eq!(tiny.round(Rounding::Up).unwrap().to_string(), "0.01 USD");
    assert_eq!(tiny.round(Rounding::HalfUp).unwrap().to_string(), "0.00 USD");
    assert_eq!((-tiny).round(Rounding::Floor).unwrap().to_string(), "-0.01 USD");
    assert_eq!((-tiny).round(Rounding::Ceiling).unwrap().to_string(), "0.00 USD");
}

fn cash(amount: &str, increment: Decimal, rounding: Rounding) -> String {
    money(amount).round_to_increment(increment, rounding).unwrap().to_string()
}

#[test]
fn cash_rounding_to_five_rappen() {
    let cases = [
        ("10.024 CHF", Rounding::HalfUp, "10.00 CHF"),
        ("10.025 CHF", Rounding::HalfUp, "10.05 CHF"),
        ("10.025 CHF", Rounding::HalfDown, "10.00 CHF"),
        ("10.025 CHF", Rounding::HalfEven, "10.00 CHF"),
        ("10.075 CHF", Rounding::HalfEven, "10.10 CHF"),
        ("10.03 CHF", Rounding::HalfUp, "10.05 CHF"),
        ("10.02 CHF", Rounding::HalfUp, "10.00 CHF"),
        ("-10.025 CHF", Rounding::HalfUp, "-10.05 CHF"),
        ("-10.025 CHF", Rounding::HalfEven, "-10.00 CHF"),
        ("10.01 CHF", Rounding::Up, "10.05 CHF"),
        ("10.04 CHF", Rounding::Down, "10.00 CHF"),
        ("-10.01 CHF", Rounding::Up, "-10.05 CHF"),
        ("-10.01 CHF", Rounding::Ceiling, "-10.00 CHF"),
        ("-10.01 CHF", Rounding::Floor, "-10.05 CHF"),
        ("10.04 CHF", Rounding::Floor, "10.00 CHF"),
        ("10.01 CHF", Rounding::Ceiling, "10.05 CHF"),
        ("10 CHF", Rounding::HalfUp, "10.00 CHF"),
        ("10.05 CHF", Rounding::Up, "10.05 CHF"),
        ("0.02 CHF", Rounding::HalfUp, "0.00 CHF"),
        ("-0.02 CHF", Rounding::HalfUp, "0.00 CHF"),
    ];
    for (amount, rounding, expected) in cases {
        assert_eq!(cash(amount, dec!(0.05), rounding), expected, "{amount} {rounding:?}");
        // Trailing zeros in the increment change nothing.
        assert_eq!(cash(amount, dec!(0.0500), rounding), expected, "{amount} {rounding:?}");
    }
}

#[test]
fn cash_rounding_to_whole_kronor() {
    let cases = [
        ("99.50 SEK", Rounding::HalfEven, "100.00 SEK"),
        ("98.50 SEK", Rounding::HalfEven, "98.00 SEK"),
        ("98.50 SEK", Rounding::HalfUp, "99.00 SEK"),
        ("98.49 SEK", Rounding::HalfUp, "98.00 SEK"),
        ("-98.50 SEK", Rounding::HalfUp, "-99.00 SEK"),
        ("12.3456 SEK", Rounding::Floor, "12.00 SEK"),
        ("-12.3456 SEK", Rounding::Floor, "-13.00 SEK"),
        ("12.01 SEK", Rounding::Up, "13.00 SEK"),
        ("0.49 SEK", Rounding::HalfUp, "0.00 SEK"),
    ];
    for (amount, rounding, expected) in cases {
        assert_eq!(cash(amount, dec!(1.00), rounding), expected, "{amount} {rounding:?}");
        assert_eq!(cash(amount, dec!(1), rounding), expected, "{amount} {rounding:?}");
    }
}

#[test]
fn cash_rounding_in_currencies_without_decimals() {
    assert_eq!(cash("1234 JPY", dec!(10), Rounding::HalfUp), "1230 JPY");
    assert_eq!(cash("1235 JPY", dec!(10), Rounding::HalfEven), "1240 JPY");
    assert_eq!(cash("1245 JPY", dec!(10), Rounding::HalfEven), "1240 JPY");
    assert_eq!(cash("1234.5 JPY", dec!(5), Rounding::Ceiling), "1235 JPY");
}

#[test]
fn cash_rounding_rejects_invalid_increments() {
    let cases = [
        (
            "10.00 CHF",
            dec!(0),
            "invalid rounding increment 0 for CHF: expected an amount greater than zero with at most 2 decimal places",
        ),
        (
            "10.00 CHF",
            dec!(-0.05),
            "invalid rounding increment -0.05 for CHF: expected an amount greater than zero with at most 2 decimal places",
        ),
        (
            "10.00 CHF",
            dec!(0.001),
            "invalid rounding increment 0.001 for CHF: expected an amount greater than zero with at most 2 decimal places",
        ),
        (
            "1000 JPY",
            dec!(0.5),
            "invalid rounding increment 0.5 for JPY: expected an amount greater than zero with at most 0 decimal places",
        ),
        (
            "1.000 KWD",
            dec!(0.0005),
            "invalid rounding increment 0.0005 for KWD: expected an amount greater than zero with at most 3 decimal places",
        ),
    ];
    for (amount, increment, expected) in cases {
        let m = money(amount);
        let err = m.round_to_increment(increment, Rounding::HalfUp).unwrap_err();
        assert_eq!(err.to_string(), expected);
        assert_eq!(
            err,
            MoneyError::InvalidIncrement {
                increment,
                currency: m.currency(),
                minor_units: m.currency().minor_units().unwrap()
            }
        );
    }
}

#[test]
fn cash_rounding_needs_minor_units_and_range() {
    assert_eq!(
        money("1.5 XAU").round_to_increment(dec!(1), Rounding::HalfUp),
        Err(MoneyError::NoMinorUnits {
            currency: Currency::XAU,
            operation: "round to a cash increment"
        })
    );
    assert_eq!(
        message(money("1.5 XAU").round_to_increment(dec!(1), Rounding::HalfUp)),
        "XAU has no minor units, so it cannot be used to round to a cash increment"
    );
    let max = Money::new(Decimal::MAX, Currency::CHF);
    assert_eq!(
        message(max.round_to_increment(dec!(0.05), Rounding::HalfUp)),
        "round to a cash increment overflows the decimal range"
    );
}

#[test]
fn cash_rounding_is_exact_for_long_amounts() {
    let cases = [
        ("4.0249999999999999999999999999 CHF", Rounding::HalfUp, "4.00 CHF"),
        ("4.0250000000000000000000000001 CHF", Rounding::HalfEven, "4.05 CHF"),
        ("4.0250000000000000000000000001 CHF", Rounding::HalfDown, "4.05 CHF"),
        ("5.0000000000000000000000000001 CHF", Rounding::Up, "5.05 CHF"),
        ("5.0000000000000000000000000001 CHF", Rounding::Ceiling, "5.05 CHF"),
        ("-5.0000000000000000000000000001 CHF", Rounding::Floor, "-5.05 CHF"),
    ];
    let failures: Vec<String> = cases
        .iter()
        .filter_map(|(amount, rounding, expected)| {
            let got = cash(amount, dec!(0.05), *rounding);
            (got != *expected)
                .then(|| format!("{amount} {rounding:?}: expected {expected}, got {got}"))
        })
        .collect();
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
