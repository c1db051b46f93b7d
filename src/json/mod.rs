//! JSON for the mapping layer and the model's extensions: a [`Value`]
//! whose numbers keep the text they were written with.
//!
//! Vendor payloads carry amounts as JSON numbers (`"amount": 1999`,
//! `"UnitPrice": 12.3456`, a 20-digit total), and a finance crate may not
//! read them through `f64`. serde_json keeps a number's text only with its
//! `arbitrary_precision` feature, and that feature is global: Cargo turns
//! it on for every crate in the program, where it changes how
//! `#[serde(untagged)]` and `#[serde(flatten)]` types read numbers. This
//! module keeps numbers exact without it:
//!
//! - [`parse`] reads JSON text into a [`Value`], each [`Number`] as its
//!   text, with serde_json's error messages and its depth limit
//!   ([`MAX_DEPTH`]; [`parse_with`] takes lower [`Limits`] and a size
//!   limit), refusing duplicate keys; strings without escapes and numbers are slices of
//!   one shared copy of the input ([`Str`]), not an allocation each;
//! - a [`Map`] keeps its members in the order they were read or inserted
//!   (serde_json's `preserve_order` order), without hashing or sorting
//!   keys;
//! - [`to_string`] and [`to_string_pretty`] write it back in that order,
//!   byte for byte as serde_json with `preserve_order` would;
//! - `Value` implements serde's traits: inside a type read by serde_json it
//!   is exact too (through serde_json's additive `raw_value` feature);
//! - [`json!`](crate::json!) builds one in code, like `serde_json::json!`;
//! - `From<serde_json::Value>` and [`Value::to_serde_json`] convert, for
//!   code that works with serde_json's type.
//!
//! ```
//! use canonical_finance::json::{self, Value};
//!
//! let payload = json::parse(r#"{"total": 12345678901234567890, "memo": "ok"}"#)?;
//! assert_eq!(json::to_string(&payload), r#"{"total":12345678901234567890,"memo":"ok"}"#);
//! let built = canonical_finance::json!({"total": payload["total"].clone(), "memo": "ok"});
//! assert_eq!(built, payload);
//! // serde_json's own type, for code that wants it:
//! let v: serde_json::Value = payload["memo"].to_serde_json()?;
//! assert_eq!(v, serde_json::json!("ok"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod conform;
mod de;
mod limits;
mod map;
mod number;
mod parse;
mod scan;
mod ser;
mod serde;
mod str;
mod value;
mod write;

pub(crate) use conform::conform;
pub use limits::Limits;
pub(crate) use limits::too_deep_at;
pub use map::{Entry, Iter, IterMut, Map, OccupiedEntry, VacantEntry};
pub use number::Number;
pub use parse::{MAX_DEPTH, ParseError, ParseErrorKind, parse, parse_bytes, parse_with};
pub(crate) use serde::RAW_VALUE_TOKEN;
pub use str::Str;
pub use value::{Index, ToValue, Value};
pub use write::{to_string, to_string_pretty, to_writer, write_compact};

/// How deep a [`Value`] tree may be for what recurses by design: serde's
/// `Serialize`, [`Value::to_serde_json`] and `{:?}` (which elides below
/// it). Twice the parser's [`MAX_DEPTH`]: a parsed vendor tree placed inside
/// a record's `extensions` still fits, and 256 levels of recursion fit any
/// thread's stack.
pub const NESTING_BOUND: usize = 2 * MAX_DEPTH;

/// Any serializable value as a [`Value`], without text in between: for
/// model types (enums, dates, amounts written as strings). A `Value`
/// inside stays exact.
///
/// # Errors
///
/// For types that are not JSON (maps with keys that are not strings).
pub fn to_value<T: ::serde::Serialize + ?Sized>(value: &T) -> Result<Value, serde_json::Error> {
    value.serialize(ser::ValueSerializer)
}

/// A typed value from a [`Value`], read in place: exact for amounts.
///
/// # Errors
///
/// serde's message for a value of the wrong shape.
pub fn from_value<T: ::serde::de::DeserializeOwned>(value: &Value) -> Result<T, serde_json::Error> {
    T::deserialize(value)
}

/// Builds a [`Value`] from JSON-like syntax, as `serde_json::json!` does:
/// `null`, arrays, objects with string-literal (or parenthesised) keys, and
/// any expression of a type that is [`ToValue`] (strings, integers,
/// booleans, `Option`, `Vec`, `Decimal`, `Value`, `Map`), taken by
/// reference as serde_json's macro takes it.
///
/// ```
/// use canonical_finance::json;
///
/// let id = "cus_1";
/// let v = json!({"id": id, "lines": [1, null, {"qty": 2}], "paid": false});
/// assert_eq!(v.to_string(), r#"{"id":"cus_1","lines":[1,null,{"qty":2}],"paid":false}"#);
/// ```
#[macro_export]
macro_rules! json {
    (null) => { $crate::json::Value::Null };
    ([]) => { $crate::json::Value::Array(::std::vec::Vec::new()) };
    ([ $($tt:tt)+ ]) => {
        $crate::json::Value::Array($crate::__json_array!([] $($tt)+))
    };
    ({}) => { $crate::json::Value::Object($crate::json::Map::new()) };
    ({ $($tt:tt)+ }) => {{
        let mut map = $crate::json::Map::new();
        $crate::__json_object!(map $($tt)+);
        $crate::json::Value::Object(map)
    }};
    ($other:expr) => { $crate::json::ToValue::to_value(&$other) };
}

#[doc(hidden)]
#[macro_export]
macro_rules! __json_array {
    ([$($done:expr,)*]) => { ::std::vec![$($done,)*] };
    ([$($done:expr,)*] null $(, $($rest:tt)*)?) => {
        $crate::__json_array!([$($done,)* $crate::json::Value::Null,] $($($rest)*)?)
    };
    ([$($done:expr,)*] [$($inner:tt)*] $(, $($rest:tt)*)?) => {
        $crate::__json_array!([$($done,)* $crate::json!([$($inner)*]),] $($($rest)*)?)
    };
    ([$($done:expr,)*] {$($inner:tt)*} $(, $($rest:tt)*)?) => {
        $crate::__json_array!([$($done,)* $crate::json!({$($inner)*}),] $($($rest)*)?)
    };
    ([$($done:expr,)*] $next:expr $(, $($rest:tt)*)?) => {
        $crate::__json_array!([$($done,)* $crate::json::ToValue::to_value(&$next),] $($($rest)*)?)
    };
}

#[doc(hidden)]
#[macro_export]
macro_rules! __json_object {
    ($map:ident) => {};
    ($map:ident $key:literal : null $(, $($rest:tt)*)?) => {
        $map.insert($crate::json::Str::from_static($key), $crate::json::Value::Null);
        $crate::__json_object!($map $($($rest)*)?);
    };
    ($map:ident $key:literal : [$($inner:tt)*] $(, $($rest:tt)*)?) => {
        $map.insert($crate::json::Str::from_static($key), $crate::json!([$($inner)*]));
        $crate::__json_object!($map $($($rest)*)?);
    };
    ($map:ident $key:literal : {$($inner:tt)*} $(, $($rest:tt)*)?) => {
        $map.insert($crate::json::Str::from_static($key), $crate::json!({$($inner)*}));
        $crate::__json_object!($map $($($rest)*)?);
    };
    ($map:ident $key:literal : $value:expr $(, $($rest:tt)*)?) => {
        $map.insert($crate::json::Str::from_static($key), $crate::json::ToValue::to_value(&$value));
        $crate::__json_object!($map $($($rest)*)?);
    };
    ($map:ident ($key:expr) : null $(, $($rest:tt)*)?) => {
        $map.insert($key, $crate::json::Value::Null);
        $crate::__json_object!($map $($($rest)*)?);
    };
    ($map:ident ($key:expr) : [$($inner:tt)*] $(, $($rest:tt)*)?) => {
        $map.insert($key, $crate::json!([$($inner)*]));
        $crate::__json_object!($map $($($rest)*)?);
    };
    ($map:ident ($key:expr) : {$($inner:tt)*} $(, $($rest:tt)*)?) => {
        $map.insert($key, $crate::json!({$($inner)*}));
        $crate::__json_object!($map $($($rest)*)?);
    };
    ($map:ident ($key:expr) : $value:expr $(, $($rest:tt)*)?) => {
        $map.insert($key, $crate::json::ToValue::to_value(&$value));
        $crate::__json_object!($map $($($rest)*)?);
    };
}

#[cfg(test)]
mod tests;
