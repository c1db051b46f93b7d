//! Allocation: sharing out an amount by weights without losing or inventing
//! a minor unit.

use canonical_finance::money::{Currency, Money, MoneyError, WeightProblem};
use rust_decimal::Decimal;
use rust_decimal_macros::dec;

use super::{decimal, message, money, shown};

fn allocate(amount: &str, weights: &[Decimal]) -> Vec<String> {
    let m = money(amount);
    let parts = m.allocate(weights).unwrap_or_else(|e| panic!("{amount} by {weights:?}: {e}"));
    assert_eq!(parts.len(), weights.len());
    assert_eq!(Money::checked_sum(m.currency(), &parts).unwrap(), m, "{amount} by {weights:?}");
    shown(&parts)
}

fn weights_error(weights: &[Decimal]) -> MoneyError {
    money("100.00 EUR").allocate(weights).unwrap_err()
}

#[test]
fn thirds_give_the_leftover_cent_to_the_first_part() {
    let expected = ["33.34 EUR", "33.33 EUR", "33.33 EUR"];
    assert_eq!(allocate("100.00 EUR", &[dec!(1), dec!(1), dec!(1)]), expected);
    assert_eq!(shown(&money("100.00 EUR").split(3).unwrap()), expected);
    assert_eq!(
        shown(&money("100 EUR").split(3).unwrap()),
        expected,
        "parts have the currency's scale"
    );
    assert_eq!(shown(&money("100 JPY").split(3).unwrap()), ["34 JPY", "33 JPY", "33 JPY"]);
    assert_eq!(
        shown(&money("100.000 KWD").split(3).unwrap()),
        ["33.334 KWD", "33.333 KWD", "33.333 KWD"]
    );
}

#[test]
fn seventy_thirty_of_five_cents() {
    // Exact shares 0.035 and 0.015: equal remainders, so the earlier part
    // gets the leftover cent.
    assert_eq!(allocate("0.05 USD", &[dec!(70), dec!(30)]), ["0.04 USD", "0.01 USD"]);
    assert_eq!(allocate("0.05 USD", &[dec!(30), dec!(70)]), ["0.02 USD", "0.03 USD"]);
    // Exact 0.036 and 0.014: the larger remainder wins.
    assert_eq!(allocate("0.05 USD", &[dec!(72), dec!(28)]), ["0.04 USD", "0.01 USD"]);
    assert_eq!(allocate("0.05 USD", &[dec!(28), dec!(72)]), ["0.01 USD", "0.04 USD"]);
}

#[test]
fn percentages_ratios_and_fractions_give_the_same_parts() {
    for amount in ["100.01 EUR", "0.03 EUR", "-7.77 EUR", "1000000.99 EUR"] {
        let ratios = allocate(amount, &[dec!(1), dec!(1), dec!(2)]);
        assert_eq!(allocate(amount, &[dec!(25), dec!(25), dec!(50)]), ratios, "{amount}");
        assert_eq!(allocate(amount, &[dec!(0.25), dec!(0.25), dec!(0.5)]), ratios, "{amount}");
        assert_eq!(allocate(amount, &[dec!(2.50), dec!(2.5), dec!(5.000)]), ratios, "{amount}");
    }
    assert_eq!(
        allocate("100.00 EUR", &[dec!(33.3), dec!(33.3), dec!(33.4)]),
        allocate("100.00 EUR", &[dec!(333), dec!(333), dec!(334)])
    );
    assert_eq!(
        allocate("100.01 EUR", &[dec!(1), dec!(1), dec!(2)]),
        ["25.00 EUR", "25.00 EUR", "50.01 EUR"]
    );
}

#[test]
fn a_negative_amount_allocates_as_the_negation() {
    assert_eq!(
        allocate("-100.00 EUR", &[dec!(1), dec!(1), dec!(1)]),
        ["-33.34 EUR", "-33.33 EUR", "-33.33 EUR"]
    );
    assert_eq!(shown(&money("-10 JPY").split(3).unwrap()), ["-4 JPY", "-3 JPY", "-3 JPY"]);
    assert_eq!(allocate("-0.05 USD", &[dec!(70), dec!(30)]), ["-0.04 USD", "-0.01 USD"]);
    let weights = [dec!(3), dec!(0), dec!(5), dec!(7)];
    let positive = money("12.34 USD").allocate(&weights).unwrap();
    let negative = money("-12.34 USD").allocate(&weights).unwrap();
    assert_eq!(negative, positive.iter().map(|p| -*p).collect::<Vec<_>>());
}

#[test]
fn a_zero_amount_gives_zero_parts() {
    assert_eq!(allocate("0.00 USD", &[dec!(1), dec!(2)]), ["0.00 USD", "0.00 USD"]);
    assert_eq!(allocate("0 USD", &[dec!(1), dec!(2)]), ["0.00 USD", "0.00 USD"]);
    assert_eq!(allocate("0 JPY", &[dec!(1)]), ["0 JPY"]);
}

#[test]
fn a_zero_weight_gets_zero() {
    assert_eq!(
        allocate("100.00 EUR", &[dec!(1), dec!(0), dec!(1)]),
        ["50.00 EUR", "0.00 EUR", "50.00 EUR"]
    );
    assert_eq!(
        allocate("0.01 USD", &[dec!(0), dec!(1), dec!(1)]),
        ["0.00 USD", "0.01 USD", "0.00 USD"]
    );
    assert_eq!(
        allocate("0.03 USD", &[dec!(0), dec!(0), dec!(1)]),
        ["0.00 USD", "0.00 USD", "0.03 USD"]
    );
    // A negative zero is a zero, not a negative weight.
    let negative_zero = -dec!(0);
    assert_eq!(allocate("1.00 USD", &[negative_zero, dec!(1)]), ["0.00 USD", "1.00 USD"]);
}

#[test]
fn invalid_weights_name_the_problem() {
    let err = weights_error(&[]);
    assert_eq!(err, MoneyError::InvalidWeights { problem: WeightProblem::Empty });
    assert_eq!(err.to_string(), "invalid allocation weights: expected at least one weight");

    let err = weights_error(&[dec!(0), dec!(0.00)]);
    assert_eq!(err, MoneyError::InvalidWeights { problem: WeightProblem::AllZero });
    assert_eq!(
        err.to_string(),
        "invalid allocation weights: expected at least one weight greater than zero, but all are zero"
    );

    let err = weights_error(&[dec!(1), dec!(2), dec!(-1)]);
    assert_eq!(err, MoneyError::InvalidWeights { problem: WeightProblem::Negative { index: 2 } });
    assert_eq!(
        err.to_string(),
        "invalid allocation weights: expected weights of zero or more, but the weight at index 2 is negative"
    );
    // The first negative weight is named.
    assert_eq!(
        weights_error(&[dec!(-1), dec!(-2)]),
        MoneyError::InvalidWeights { problem: WeightProblem::Negative { index: 0 } }
    );
}

#[test]
fn split_into_zero_parts_is_an_error() {
    let err = money("100.00 EUR").split(0).unwrap_err();
    assert_eq!(err, MoneyError::InvalidWeights { problem: WeightProblem::Empty });
    assert_eq!(err.to_string(), "invalid allocation weights: expected at least one weight");
}

#[test]
fn allocation_needs_minor_units() {
    let err = money("1.5 XAU").split(2).unwrap_err();
    assert_eq!(err, MoneyError::NoMinorUnits { currency: Currency::XAU, operation: "allocate" });
    assert_eq!(err.to_string(), "XAU has no minor units, so it cannot be used to allocate");
}

#[test]
fn split_into_a_hundred_parts() {
    let parts = money("1.00 USD").split(100).unwrap();
    assert_eq!(parts.len(), 100);
    assert!(parts.iter().all(|p| p.to_string() == "0.01 USD"));

    let parts = money("1.50 USD").split(100).unwrap();
    assert_eq!(Money::checked_sum(Currency::USD, &parts).unwrap(), money("1.50 USD"));
    assert!(parts[..50].iter().all(|p| p.to_string() == "0.02 USD"));
    assert!(parts[50..].iter().all(|p| p.to_string() == "0.01 USD"));

    let parts = money("0.99 USD").split(100).unwrap();
    assert!(parts[..99].iter().all(|p| p.to_string() == "0.01 USD"));
    assert_eq!(parts[99].to_string(), "0.00 USD");

    let parts = money("-12345.67 EUR").split(100).unwrap();
    assert_eq!(Money::checked_sum(Currency::EUR, &parts).unwrap(), money("-12345.67 EUR"));
    assert!(parts[..67].iter().all(|p| p.to_string() == "-123.46 EUR"));
    assert!(parts[67..].iter().all(|p| p.to_string() == "-123.45 EUR"));
}

#[test]
fn ties_go_to_the_earlier_part_and_larger_remainders_first() {
    assert_eq!(shown(&money("0.02 USD").split(3).unwrap()), ["0.01 USD", "0.01 USD", "0.00 USD"]);
    assert_eq!(shown(&money("0.01 USD").split(2).unwrap()), ["0.01 USD", "0.00 USD"]);
    // Exact 0.005, 0.01, 0.005: the tie between the first and last goes first.
    assert_eq!(
        allocate("0.02 USD", &[dec!(1), dec!(2), dec!(1)]),
        ["0.01 USD", "0.01 USD", "0.00 USD"]
    );
    // Exact 0.0025 and 0.0075: the larger remainder wins over the earlier part.
    assert_eq!(allocate("0.01 USD", &[dec!(1), dec!(3)]), ["0.00 USD", "0.01 USD"]);
}

#[test]
fn more_decimals_than_the_currency_allocate_in_the_amounts_own_unit() {
    assert_eq!(
        shown(&money("10.005 USD").split(3).unwrap()),
        ["3.335 USD", "3.335 USD", "3.335 USD"]
    );
    assert_eq!(allocate("10.005 USD", &[dec!(1), dec!(1)]), ["5.003 USD", "5.002 USD"]);
    assert_eq!(
        allocate("10.005 USD", &[dec!(1), dec!(1), dec!(1), dec!(1)]),
        ["2.502 USD", "2.501 USD", "2.501 USD", "2.501 USD"]
    );
    assert_eq!(allocate("-10.005 USD", &[dec!(1), dec!(1)]), ["-5.003 USD", "-5.002 USD"]);
    assert_eq!(
        allocate("0.5 JPY", &[dec!(1), dec!(1), dec!(1)]),
        ["0.2 JPY", "0.2 JPY", "0.1 JPY"]
    );
}

#[test]
fn weights_with_28_decimal_places() {
    let third = decimal("0.3333333333333333333333333333");
    let rest = decimal("0.3333333333333333333333333334");
    // The last weight is a hair larger, so its remainder is the largest.
    assert_eq!(
        allocate("100.00 EUR", &[third, third, rest]),
        ["33.33 EUR", "33.33 EUR", "33.34 EUR"]
    );
    let tiny = decimal("0.0000000000000000000000000001");
    assert_eq!(allocate("1.00 USD", &[dec!(1), tiny]), ["1.00 USD", "0.00 USD"]);
    assert_eq!(allocate("1.00 USD", &[tiny, tiny]), ["0.50 USD", "0.50 USD"]);
    assert_eq!(allocate("1.00 USD", &[Decimal::MAX, Decimal::MAX]), ["0.50 USD", "0.50 USD"]);
}

#[test]
fn weights_whose_exact_sum_exceeds_128_bits_are_too_precise() {
    let tiny = decimal("0.0000000000000000000000000001");
    let half_max = decimal("7922816251426433759354395033.5");
    for weights in
        [vec![Decimal::MAX, tiny], vec![half_max, half_max, tiny], vec![tiny, Decimal::MAX]]
    {
        let err = money("1.00 USD").allocate(&weights).unwrap_err();
        assert_eq!(err, MoneyError::InvalidWeights { problem: WeightProblem::TooPrecise });
        assert_eq!(
            err.to_string(),
            "invalid allocation weights: the weights have too many digits to be summed exactly; scale them down"
        );
    }
}

#[test]
fn the_largest_amounts_allocate_exactly() {
    // Products of units and weights beyond 128 bits.
    assert_eq!(
        allocate("79228162514264337593543950.335 USD", &[Decimal::MAX, Decimal::MAX, Decimal::MAX]),
        [
            "26409387504754779197847983.445 USD",
            "26409387504754779197847983.445 USD",
            "26409387504754779197847983.445 USD"
        ]
    );
    assert_eq!(
        allocate("79228162514264337593543950.335 USD", &[dec!(1), dec!(2)]),
        ["26409387504754779197847983.445 USD", "52818775009509558395695966.890 USD"]
    );
    assert_eq!(
        allocate("-79228162514264337593543950335 JPY", &[Decimal::MAX, decimal("1")]),
        ["-79228162514264337593543950334 JPY", "-1 JPY"]
    );
}

#[test]
fn parts_whose_total_exceeds_96_bits_at_minor_units_still_sum_exactly() {
    // 108965058013134813400947480100 fils do not fit a decimal, but each
    // ninth does. Summed in integers, the parts give back every fils.
    let total = money("-1089650580131348134009474801.0 AED");
    let parts = total.split(9).unwrap();
    assert_eq!(shown(&parts[..]).first().unwrap(), "-121072286681260903778830533.45 AED");
    assert_eq!(shown(&parts[..]).last().unwrap(), "-121072286681260903778830533.44 AED");
    assert!(parts.iter().all(|p| p.amount().scale() == 2));
    let fils: i128 = parts.iter().map(|p| p.amount().mantissa()).sum();
    assert_eq!(fils, -108_965_058_013_134_813_400_947_480_100);
}

#[test]
fn parts_that_cannot_be_written_at_minor_units_are_an_error_not_a_panic() {
    // 79228162514264337593543950335.00 USD does not fit a decimal.
    let max = Money::new(Decimal::MAX, Currency::USD);
    assert_eq!(message(max.split(1)), "allocate overflows the decimal range");
    assert_eq!(message(max.split(3)), "allocate overflows the decimal range");
}
