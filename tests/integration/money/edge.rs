//! `Money::checked_add`, `checked_sub` and `checked_sum` near the 28-digit
//! edge: the result is the exact sum or an error, never a rounded value.
//! The exact sum comes from digit strings, not from `Decimal`.

use canonical_finance::money::{Currency, Money};
use proptest::prelude::*;
use rust_decimal::Decimal;

/// The largest mantissa a decimal holds, 2^96 - 1.
const MAX_MANTISSA: i128 = (1 << 96) - 1;

/// A decimal near the edge: a mantissa of 27 to 29 digits, or a small one,
/// at any scale.
fn edge_decimal() -> impl Strategy<Value = Decimal> {
    let mantissa = prop_oneof![
        10i128.pow(26)..=MAX_MANTISSA,
        -MAX_MANTISSA..=-(10i128.pow(26)),
        -1000i128..=1000,
    ];
    (mantissa, 0u32..=28).prop_map(|(m, scale)| Decimal::from_i128_with_scale(m, scale))
}

/// `value` as (negative, digits of |mantissa| scaled to `scale`).
fn aligned(value: Decimal, scale: u32) -> (bool, Vec<u8>) {
    let mut digits: Vec<u8> =
        value.mantissa().unsigned_abs().to_string().bytes().map(|b| b - b'0').collect();
    digits.extend(std::iter::repeat_n(0, (scale - value.scale()) as usize));
    (value.is_sign_negative() && !value.is_zero(), digits)
}

fn strip(mut d: Vec<u8>) -> Vec<u8> {
    while d.len() > 1 && d[0] == 0 {
        d.remove(0);
    }
    d
}

fn cmp_digits(a: &[u8], b: &[u8]) -> std::cmp::Ordering {
    a.len().cmp(&b.len()).then_with(|| a.cmp(b))
}

fn add_digits(a: &[u8], b: &[u8]) -> Vec<u8> {
    let (mut out, mut carry) = (Vec::new(), 0);
    for i in 0..a.len().max(b.len()) {
        let x = if i < a.len() { a[a.len() - 1 - i] } else { 0 };
        let y = if i < b.len() { b[b.len() - 1 - i] } else { 0 };
        let s = x + y + carry;
        out.push(s % 10);
        carry = s / 10;
    }
    out.push(carry);
    out.reverse();
    strip(out)
}

/// `a - b` for `a >= b`.
fn sub_digits(a: &[u8], b: &[u8]) -> Vec<u8> {
    let (mut out, mut borrow) = (Vec::new(), 0i8);
    for i in 0..a.len() {
        let x = a[a.len() - 1 - i] as i8;
        let y = if i < b.len() { b[b.len() - 1 - i] as i8 } else { 0 };
        let mut d = x - y - borrow;
        borrow = i8::from(d < 0);
        if d < 0 {
            d += 10;
        }
        out.push(d as u8);
    }
    out.reverse();
    strip(out)
}

/// The exact value of `a + b` as text, normalized (no trailing zeros after
/// the point, no sign on zero).
fn exact_sum(a: Decimal, b: Decimal) -> String {
    let scale = a.scale().max(b.scale());
    let ((na, da), (nb, db)) = (aligned(a, scale), aligned(b, scale));
    let (da, db) = (strip(da), strip(db));
    let (negative, digits) = if na == nb {
        (na, add_digits(&da, &db))
    } else if cmp_digits(&da, &db).is_ge() {
        (na, sub_digits(&da, &db))
    } else {
        (nb, sub_digits(&db, &da))
    };
    let mut text: String = digits.iter().map(|d| char::from(b'0' + d)).collect();
    let scale = scale as usize;
    if text.len() <= scale {
        text = format!("{}{text}", "0".repeat(scale + 1 - text.len()));
    }
    let (int, frac) = text.split_at(text.len() - scale);
    let frac = frac.trim_end_matches('0');
    let body = if frac.is_empty() { int.to_owned() } else { format!("{int}.{frac}") };
    if negative && !body.trim_matches(['0', '.']).is_empty() { format!("-{body}") } else { body }
}

fn normalized(value: Decimal) -> String {
    let n = value.normalize();
    if n.is_zero() { "0".to_owned() } else { n.to_string() }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    #[test]
    fn sums_near_the_edge_are_exact_or_an_error(a in edge_decimal(), b in edge_decimal()) {
        let (ma, mb) = (Money::new(a, Currency::EUR), Money::new(b, Currency::EUR));
        if let Ok(sum) = ma.checked_add(mb) {
            prop_assert_eq!(normalized(sum.amount()), exact_sum(a, b), "{} + {}", a, b);
        }
        if let Ok(sum) = Money::checked_sum(Currency::EUR, [ma, mb]) {
            prop_assert_eq!(normalized(sum.amount()), exact_sum(a, b), "sum of {} and {}", a, b);
        }
        if let Ok(diff) = ma.checked_sub(mb) {
            prop_assert_eq!(normalized(diff.amount()), exact_sum(a, -b), "{} - {}", a, b);
        }
    }
}

#[test]
fn a_small_amount_is_not_lost_next_to_a_large_one() {
    // 79228162514264337593543950330 + 0.1 rounds back to the large amount.
    let large = Money::new(Decimal::from_i128_with_scale(MAX_MANTISSA - 5, 0), Currency::EUR);
    let small = Money::new(Decimal::new(1, 1), Currency::EUR);
    let message = |e: canonical_finance::money::MoneyError| e.to_string();
    assert_eq!(
        large.checked_add(small).map_err(message),
        Err("add needs more than 28 significant digits to be exact".to_owned())
    );
    assert_eq!(
        small.checked_add(large).map_err(message),
        Err("add needs more than 28 significant digits to be exact".to_owned())
    );
    assert_eq!(
        large.checked_sub(small).map_err(message),
        Err("subtract needs more than 28 significant digits to be exact".to_owned())
    );
}
