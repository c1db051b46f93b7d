//! Small JSON helpers for the glue: read typed values, write and remove by
//! JSON Pointer, walk leaves. None of them panics.

use crate::json::Value;
use rust_decimal::Decimal;

use serde::Deserialize;

use crate::money::{Currency, Money, parse_decimal, parse_json_number};

/// The value at `pointer`, a null counting as absent.
pub(super) fn get<'v>(value: &'v Value, pointer: &str) -> Option<&'v Value> {
    if pointer.is_empty() {
        return Some(value);
    }
    crate::mapping::pointer::get(value, pointer).filter(|v| !v.is_null())
}

/// The integer at `pointer`.
pub(super) fn int(value: &Value, pointer: &str) -> Option<i64> {
    get(value, pointer).and_then(Value::as_i64)
}

/// The string at `pointer`.
pub(super) fn text<'v>(value: &'v Value, pointer: &str) -> Option<&'v str> {
    get(value, pointer).and_then(Value::as_str)
}

/// The array at `pointer`, or an empty slice.
pub(super) fn array<'v>(value: &'v Value, pointer: &str) -> &'v [Value] {
    get(value, pointer).and_then(Value::as_array).map_or(&[], Vec::as_slice)
}

/// A JSON number or decimal string, read exactly.
pub(super) fn decimal(value: &Value) -> Option<Decimal> {
    match value {
        Value::Number(n) => parse_json_number(&n.to_string()).ok(),
        Value::String(s) => parse_decimal(s).ok(),
        _ => None,
    }
}

/// The id of a reference: the string, or the expanded object's `id`.
pub(super) fn id_of(value: &Value) -> Option<&str> {
    match value {
        Value::String(s) => Some(s),
        Value::Object(o) => o.get("id").and_then(Value::as_str),
        _ => None,
    }
}

/// Canonical money JSON for `minor` minor units at exponent `exp`.
pub(super) fn money(minor: i64, exp: u32, currency: Currency) -> Option<Value> {
    let amount = Decimal::try_new(minor, exp).ok()?;
    Some(money_of(amount, currency))
}

/// Canonical money JSON for an amount: the `Money` wire form itself.
pub(super) fn money_of(amount: Decimal, currency: Currency) -> Value {
    crate::json::to_value(&Money::new(amount, currency)).unwrap_or(Value::Null)
}

/// The amount of canonical money JSON in `currency`, as minor units at
/// exponent `exp`, when it is a whole number of them. The JSON is read as
/// `Money` reads it: strictly.
pub(super) fn minor_of(money: &Value, exp: u32, currency: Currency) -> Option<i64> {
    let money = Money::deserialize(money).ok()?;
    if money.currency() != currency {
        return None;
    }
    let factor = Decimal::from(10i64.checked_pow(exp)?);
    let minor = money.amount().checked_mul(factor)?;
    if minor.fract().is_zero() { i64::try_from(minor.trunc()).ok() } else { None }
}

/// Writes `to` at `pointer` where the text there is `from`: a glued status
/// taken back to the one the mapping file knows.
pub(super) fn replace_text(value: &mut Value, pointer: &str, from: &str, to: &str) {
    if text(value, pointer) == Some(from) {
        put(value, pointer, Value::from(to.to_owned()));
    }
}

/// A decimal as a rate string: `19`, `8.875`, `0`.
pub(super) fn rate_text(rate: Decimal) -> String {
    rate.normalize().to_string()
}

pub(super) use crate::mapping::pointer::set as put;

/// Removes the object member at `pointer`, if there is one.
pub(super) fn remove(root: &mut Value, pointer: &str) {
    let _removed = crate::mapping::pointer::take(root, pointer);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn put_and_remove() {
        let mut v = crate::json!({"lines": [{}, {"a": 1}]});
        assert!(put(&mut v, "/lines/1/pricing/unit", crate::json!("4900")));
        assert!(put(&mut v, "/x/y", crate::json!(true)));
        assert!(!put(&mut v, "/lines/5/a", crate::json!(1)));
        assert!(put(&mut v, "/lines/-", crate::json!({"b": 2})));
        assert_eq!(
            v,
            crate::json!({"lines": [{}, {"a": 1, "pricing": {"unit": "4900"}}, {"b": 2}], "x": {"y": true}})
        );
        remove(&mut v, "/lines/1/a");
        remove(&mut v, "/nothing/here");
        assert_eq!(v["lines"][1], crate::json!({"pricing": {"unit": "4900"}}));
    }

    #[test]
    fn money_both_ways() {
        let usd = Currency::USD;
        assert_eq!(
            money(28307, 2, usd),
            Some(crate::json!({"amount": "283.07", "currency": "USD"}))
        );
        assert_eq!(
            minor_of(&crate::json!({"amount": "283.07", "currency": "USD"}), 2, usd),
            Some(28307)
        );
        assert_eq!(minor_of(&crate::json!({"amount": "283.075", "currency": "USD"}), 2, usd), None);
        assert_eq!(minor_of(&crate::json!({"amount": "1", "currency": "EUR"}), 2, usd), None);
        assert_eq!(rate_text(Decimal::new(19000, 3)), "19");
    }
}
