//! Properties over generated amounts, currencies, weights and strings.

use std::str::FromStr;

use canonical_finance::money::{
    Currency, Money, MoneyError, Rounding, WeightProblem, parse_decimal, parse_json_number,
};
use proptest::prelude::*;
use proptest::sample::select;
use rust_decimal::Decimal;

/// The largest mantissa a decimal holds, 2^96 - 1.
const MAX_MANTISSA: i128 = (1 << 96) - 1;

/// Any decimal: a mantissa (often small, sometimes up to 96 bits) and a
/// scale of 0 to 28.
fn any_decimal() -> impl Strategy<Value = Decimal> {
    let mantissa = prop_oneof![any::<i64>().prop_map(i128::from), -MAX_MANTISSA..=MAX_MANTISSA];
    (mantissa, 0u32..=28).prop_map(|(m, scale)| Decimal::from_i128_with_scale(m, scale))
}

/// A decimal whose sums and differences with another such decimal are
/// exact: at most 12 digits before and 14 after the point.
fn small_decimal() -> impl Strategy<Value = Decimal> {
    (-1_000_000_000_000i64..=1_000_000_000_000, 0u32..=14)
        .prop_map(|(m, scale)| Decimal::new(m, scale))
}

fn any_currency() -> impl Strategy<Value = Currency> {
    select(Currency::all().collect::<Vec<_>>())
}

fn currency_with_minor_units() -> impl Strategy<Value = Currency> {
    select(Currency::all().filter(|c| c.minor_units().is_some()).collect::<Vec<_>>())
}

fn any_rounding() -> impl Strategy<Value = Rounding> {
    select(Rounding::ALL.to_vec())
}

/// Bounded weights (mantissa up to 10^6, up to 4 decimal places), at least
/// one of them above zero.
fn bounded_weights() -> impl Strategy<Value = Vec<Decimal>> {
    prop::collection::vec(
        prop_oneof![
            1 => Just(Decimal::ZERO),
            4 => (0i64..=1_000_000, 0u32..=4).prop_map(|(m, s)| Decimal::new(m, s)),
        ],
        1..=24,
    )
    .prop_filter("at least one weight above zero", |w| w.iter().any(|w| !w.is_zero()))
}

/// `value` as an integer count of `10^-scale`, for `value.scale() <= scale`.
fn units_at(value: Decimal, scale: u32) -> i128 {
    assert!(value.scale() <= scale);
    value.mantissa() * 10i128.pow(scale - value.scale())
}

/// True when parts that share one scale sum exactly to `amount`, in integer
/// arithmetic: `Money::checked_sum` may round once the running total passes
/// 96 bits, and the exact total may not even fit a decimal at that scale.
fn sums_exactly_to(parts: &[Money], amount: Money) -> bool {
    let Some(scale) = parts.first().map(|p| p.amount().scale()) else {
        return false;
    };
    assert!(parts.iter().all(|p| p.amount().scale() == scale), "{parts:?}");
    let total: i128 = parts.iter().map(|p| p.amount().mantissa()).sum();
    total == units_at(amount.amount(), scale)
}

/// The text inputs most likely to reach deep into the parsers.
fn parser_text() -> impl Strategy<Value = String> {
    prop_oneof![
        any::<String>(),
        "[-+0-9.,eE $€£¥a-zA-Z\t\n`\\\\\u{0}]{0,40}",
        "-?[0-9]{0,35}(\\.[0-9]{0,35})?([eE][-+]?[0-9]{0,25})?( [A-Za-z$€]{0,4})?",
    ]
}

proptest! {
    #[test]
    fn allocation_conserves_the_sum_and_is_fair(
        mantissa in -1_000_000_000_000_000i64..=1_000_000_000_000_000,
        scale in 0u32..=6,
        currency in currency_with_minor_units(),
        weights in bounded_weights(),
    ) {
        let amount = Money::new(Decimal::new(mantissa, scale), currency);
        let parts = amount.allocate(&weights).unwrap();
        prop_assert_eq!(parts.len(), weights.len());
        prop_assert_eq!(Money::checked_sum(currency, &parts).unwrap(), amount);
        prop_assert!(sums_exactly_to(&parts, amount), "{:?} from {}", parts, amount);

        let unit_scale = currency.minor_units().unwrap().max(amount.amount().scale());
        let units = units_at(amount.amount(), unit_scale);
        let weight_scale = weights.iter().map(|w| w.normalize().scale()).max().unwrap();
        let integer_weights: Vec<i128> =
            weights.iter().map(|w| units_at(w.normalize(), weight_scale)).collect();
        let total: i128 = integer_weights.iter().sum();
        for ((part, weight), w) in parts.iter().zip(&integer_weights).zip(&weights) {
            prop_assert_eq!(part.currency(), currency);
            prop_assert_eq!(part.amount().scale(), unit_scale);
            let p = units_at(part.amount(), unit_scale);
            // |part - amount * weight / total| < one unit
            prop_assert!(
                (p * total - units * weight).abs() < total,
                "part {} of {} for weight {} of {:?}", part, amount, w, weights
            );
            if *weight == 0 {
                prop_assert!(part.is_zero());
            }
            prop_assert!(p == 0 || (p < 0) == (units < 0));
        }

        let negated = (-amount).allocate(&weights).unwrap();
        prop_assert_eq!(negated, parts.iter().map(|p| -*p).collect::<Vec<_>>());
    }

    #[test]
    fn split_parts_differ_by_at_most_one_unit_largest_first(
        amount in any_decimal(),
        currency in currency_with_minor_units(),
        n in 1usize..=40,
    ) {
        let amount = Money::new(amount, currency);
        match amount.split(n) {
            Ok(parts) => {
                prop_assert!(sums_exactly_to(&parts, amount), "{:?} from {}", parts, amount);
                let scale = parts[0].amount().scale();
                let units: Vec<i128> = parts.iter().map(|p| units_at(p.amount().abs(), scale)).collect();
                prop_assert!(units.windows(2).all(|w| w[0] >= w[1]), "{:?}", parts);
                prop_assert!(units[0] - units[n - 1] <= 1, "{:?}", parts);
            }
            // Parts of the largest amounts may not fit at the minor units.
            Err(err) => prop_assert_eq!(err, MoneyError::Overflow { operation: "allocate" }),
        }
    }

    #[test]
    fn allocation_never_panics(
        amount in any_decimal(),
        currency in any_currency(),
        weights in prop::collection::vec(any_decimal(), 0..=8),
    ) {
        let amount = Money::new(amount, currency);
        match amount.allocate(&weights) {
            Ok(parts) => {
                prop_assert_eq!(parts.len(), weights.len());
                prop_assert!(sums_exactly_to(&parts, amount), "{:?} from {}", parts, amount);
            }
            Err(MoneyError::InvalidWeights { problem }) => {
                let expected_problem = if weights.is_empty() {
                    Some(WeightProblem::Empty)
                } else if let Some(index) = weights.iter().position(|w| w.is_sign_negative() && !w.is_zero()) {
                    Some(WeightProblem::Negative { index })
                } else if weights.iter().all(|w| w.is_zero()) {
                    Some(WeightProblem::AllZero)
                } else {
                    None
                };
                match expected_problem {
                    Some(expected) => prop_assert_eq!(problem, expected),
                    None => prop_assert_eq!(problem, WeightProblem::TooPrecise),
                }
            }
            Err(MoneyError::NoMinorUnits { .. }) => prop_assert!(currency.minor_units().is_none()),
            Err(MoneyError::Overflow { .. }) => {}
            Err(other) => prop_assert!(false, "unexpected error {other:?}"),
        }
    }

    #[test]
    fn minor_units_round_trip(minor in any::<i64>(), currency in currency_with_minor_units()) {
        let m = Money::from_minor(minor, currency).unwrap();
        prop_assert_eq!(Some(m.amount().scale()), currency.minor_units());
        prop_assert_eq!(m.to_minor(), Ok(minor));
        prop_assert_eq!(m.is_whole_minor_units(), Ok(true));
        prop_assert_eq!(Money::from_str(&m.to_string()).unwrap().to_minor(), Ok(minor));
    }

    #[test]
    fn json_round_trip_keeps_amount_and_scale(amount in any_decimal(), currency in any_currency()) {
        let m = Money::new(amount, currency);
        // The canonical JSON form holds 28 significant digits; more is an
        // error on the way out, never a value written that is not read back.
        if amount.mantissa().unsigned_abs() >= 10u128.pow(28) {
            prop_assert!(serde_json::to_string(&m).is_err());
            return Ok(());
        }
        let json = serde_json::to_string(&m).unwrap();
        let back: Money = serde_json::from_str(&json).unwrap();
        prop_assert_eq!(back, m);
        prop_assert_eq!(back.to_string(), m.to_string());

        // The same amount sent as a JSON number.
        let number = format!(r#"{{"amount":{},"currency":"{}"}}"#, m.amount(), currency);
        let back: Money = serde_json::from_str(&number).unwrap();
        prop_assert_eq!(back.to_string(), m.to_string());

        // And through a `serde_json::Value`.
        let back: Money = serde_json::from_value(serde_json::to_value(m).unwrap()).unwrap();
        prop_assert_eq!(back.to_string(), m.to_string());
    }

    #[test]
    fn add_then_subtract_gives_back_the_original(
        a in small_decimal(),
        b in small_decimal(),
        currency in any_currency(),
    ) {
        let (a, b) = (Money::new(a, currency), Money::new(b, currency));
        let sum = a.checked_add(b).unwrap();
        prop_assert_eq!(sum.checked_sub(b).unwrap(), a);
        prop_assert_eq!(sum, b.checked_add(a).unwrap());
        prop_assert_eq!(a.checked_sub(b).unwrap(), -(b.checked_sub(a).unwrap()));
        prop_assert!(a.checked_sub(a).unwrap().is_zero());
        prop_assert_eq!(Money::checked_sum(currency, [a, b]).unwrap(), sum);
    }

    #[test]
    fn add_and_subtract_never_panic(a in any_decimal(), b in any_decimal(), currency in any_currency()) {
        let (a, b) = (Money::new(a, currency), Money::new(b, currency));
        for result in [a.checked_add(b), a.checked_sub(b)] {
            if let Err(err) = result {
                prop_assert_eq!(err.is_overflow(), true, "{}", err);
            }
        }
    }

    #[test]
    fn rounding_is_idempotent_and_moves_less_than_one_unit(
        amount in any_decimal(),
        currency in currency_with_minor_units(),
        rounding in any_rounding(),
    ) {
        let m = Money::new(amount, currency);
        let once = m.round(rounding).unwrap();
        let twice = once.round(rounding).unwrap();
        prop_assert_eq!(once.to_string(), twice.to_string());
        for other in Rounding::ALL {
            prop_assert_eq!(once.round(other).unwrap().to_string(), once.to_string());
        }

        let minor_units = currency.minor_units().unwrap();
        if amount.abs() < Decimal::from(10i64.pow(12)) {
            prop_assert_eq!(once.amount().scale(), minor_units);
            let unit = Decimal::new(1, minor_units);
            let moved = once.amount() - amount;
            prop_assert!(moved.abs() < unit, "{} moved {}", m, moved);
            let direction_ok = match rounding {
                Rounding::Floor => moved <= Decimal::ZERO,
                Rounding::Ceiling => moved >= Decimal::ZERO,
                Rounding::Down => once.amount().abs() <= amount.abs(),
                Rounding::Up => once.amount().abs() >= amount.abs(),
                _ => moved.abs() * Decimal::TWO <= unit,
            };
            prop_assert!(direction_ok, "{} rounded {:?} to {}", m, rounding, once);
        }
    }

    #[test]
    fn cash_rounding_to_one_minor_unit_is_plain_rounding(
        amount in small_decimal(),
        currency in currency_with_minor_units(),
        rounding in any_rounding(),
    ) {
        let m = Money::new(amount, currency);
        let unit = Decimal::new(1, currency.minor_units().unwrap());
        prop_assert_eq!(
            m.round_to_increment(unit, rounding).unwrap().to_string(),
            m.round(rounding).unwrap().to_string()
        );
    }

    #[test]
    fn display_and_from_str_round_trip(amount in any_decimal(), currency in any_currency()) {
        let m = Money::new(amount, currency);
        let text = m.to_string();
        let back: Money = text.parse().unwrap();
        prop_assert_eq!(back, m);
        prop_assert_eq!(back.to_string(), text.clone());
        let code_first: Money = format!("{currency} {}", m.amount()).parse().unwrap();
        prop_assert_eq!(code_first.to_string(), text);
        prop_assert_eq!(parse_decimal(&m.amount().to_string()).unwrap().to_string(), m.amount().to_string());
    }

    #[test]
    fn parsers_never_panic(text in parser_text()) {
        let _ = Money::from_str(&text);
        let _ = Currency::from_str(&text);
        let _ = parse_json_number(&text);
        let _ = serde_json::from_str::<Money>(&text);
        let as_string = serde_json::to_string(&text).unwrap();
        let _ = serde_json::from_str::<Money>(&format!(r#"{{"amount":{as_string},"currency":"EUR"}}"#));
        let _ = serde_json::from_str::<Money>(&format!(r#"{{"amount":{text},"currency":"EUR"}}"#));
        let _ = serde_json::from_str::<Money>(&format!(r#"{{"amount":"1","currency":{as_string}}}"#));

        // What parses prints back the same way.
        if let Ok(d) = parse_decimal(&text) {
            prop_assert_eq!(parse_decimal(&d.to_string()), Ok(d));
        }
        if let Ok(m) = Money::from_str(&text) {
            prop_assert_eq!(Money::from_str(&m.to_string()), Ok(m));
        }
    }

    #[test]
    fn error_messages_are_escaped_and_bounded(text in parser_text()) {
        let errors = [
            parse_decimal(&text).err(),
            Money::from_str(&text).err(),
            Currency::from_str(&text).err(),
            parse_json_number(&text).err(),
        ];
        for err in errors.into_iter().flatten() {
            let message = err.to_string();
            prop_assert!(!message.chars().any(char::is_control), "{:?}", message);
            prop_assert!(message.chars().count() < 800, "{:?}", message);
        }
    }
}
