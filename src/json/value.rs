//! [`Value`]: a JSON value whose numbers keep their text.

use std::fmt;

use super::{Map, Number, Str};

/// A JSON value, as the mapping layer and the model's extensions hold it.
/// Like `serde_json::Value`, with one difference that matters for money:
/// a [`Number`] is the text it was written with, so no amount passes
/// through `f64`, and no global serde_json feature is needed for it.
///
/// Build one with [`json!`](crate::json!), [`parse`](super::parse) text, or
/// convert a `serde_json::Value` with `From`; [`Value::to_serde_json`]
/// goes the other way.
///
/// A tree of any depth built in code is safe to drop, clone, compare and
/// write as text: those walk it without recursion (the parser's
/// [`MAX_DEPTH`](super::MAX_DEPTH) does not hold for trees built in code).
/// What recurses by design (serde, [`Value::to_serde_json`]) refuses a tree
/// deeper than [`NESTING_BOUND`] levels, and `{:?}` elides below it.
///
/// [`NESTING_BOUND`]: super::NESTING_BOUND
#[derive(Default)]
pub enum Value {
    /// `null`.
    #[default]
    Null,
    /// `true` or `false`.
    Bool(bool),
    /// A number, as written.
    Number(Number),
    /// A string.
    String(Str),
    /// An array.
    Array(Vec<Value>),
    /// An object.
    Object(Map),
}

static NULL: Value = Value::Null;

impl Value {
    /// The member `key` of an object, or item `key` of an array when `key`
    /// is an index ([`Index`]).
    pub fn get<I: Index>(&self, key: I) -> Option<&Value> {
        key.index_into(self)
    }

    /// The member or item at `key`, to change in place.
    pub fn get_mut<I: Index>(&mut self, key: I) -> Option<&mut Value> {
        key.index_into_mut(self)
    }

    /// The value at an RFC 6901 JSON Pointer (`/lines/0/amount`).
    pub fn pointer(&self, pointer: &str) -> Option<&Value> {
        crate::mapping::pointer::get(self, pointer)
    }

    /// The value at a JSON Pointer, to change in place.
    pub fn pointer_mut(&mut self, pointer: &str) -> Option<&mut Value> {
        crate::mapping::pointer::get_mut(self, pointer)
    }

    /// The value, leaving `null` in its place.
    pub fn take(&mut self) -> Value {
        std::mem::take(self)
    }

    /// The items of an array, or the value itself when it is not one.
    ///
    /// `Value` drops its tree without recursion (see its `Drop`), so its
    /// contents are taken out with these `into_*` methods rather than by
    /// moving out of a `match`.
    ///
    /// ```
    /// use canonical_finance::json;
    ///
    /// let items = json!([1, 2]).into_array();
    /// assert_eq!(items.map(|items| items.len()), Ok(2));
    /// assert_eq!(json!("a").into_array(), Err(json!("a")));
    /// ```
    pub fn into_array(mut self) -> Result<Vec<Value>, Value> {
        match &mut self {
            Value::Array(items) => Ok(std::mem::take(items)),
            _ => Err(self),
        }
    }

    /// The members of an object, or the value itself when it is not one.
    pub fn into_object(mut self) -> Result<Map, Value> {
        match &mut self {
            Value::Object(map) => Ok(std::mem::take(map)),
            _ => Err(self),
        }
    }

    /// The text of a string, or the value itself when it is not one.
    pub fn into_string(mut self) -> Result<Str, Value> {
        match &mut self {
            Value::String(s) => Ok(std::mem::take(s)),
            _ => Err(self),
        }
    }

    /// The text of a string.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Value::String(s) => Some(s),
            _ => None,
        }
    }

    /// A boolean.
    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Value::Bool(b) => Some(*b),
            _ => None,
        }
    }

    /// A number.
    pub fn as_number(&self) -> Option<&Number> {
        match self {
            Value::Number(n) => Some(n),
            _ => None,
        }
    }

    /// An integer number that fits an `i64` ([`Number::as_i64`]).
    pub fn as_i64(&self) -> Option<i64> {
        self.as_number().and_then(Number::as_i64)
    }

    /// An integer number that fits a `u64` ([`Number::as_u64`]).
    pub fn as_u64(&self) -> Option<u64> {
        self.as_number().and_then(Number::as_u64)
    }

    /// The nearest `f64` of a number; never for money ([`Number::as_f64`]).
    pub fn as_f64(&self) -> Option<f64> {
        self.as_number().and_then(Number::as_f64)
    }

    /// The items of an array.
    pub fn as_array(&self) -> Option<&Vec<Value>> {
        match self {
            Value::Array(items) => Some(items),
            _ => None,
        }
    }

    /// The items of an array, to change in place.
    pub fn as_array_mut(&mut self) -> Option<&mut Vec<Value>> {
        match self {
            Value::Array(items) => Some(items),
            _ => None,
        }
    }

    /// The members of an object.
    pub fn as_object(&self) -> Option<&Map> {
        match self {
            Value::Object(map) => Some(map),
            _ => None,
        }
    }

    /// The members of an object, to change in place.
    pub fn as_object_mut(&mut self) -> Option<&mut Map> {
        match self {
            Value::Object(map) => Some(map),
            _ => None,
        }
    }

    /// The same value with every string, key and number in a buffer of its
    /// own: a value read by [`parse`](super::parse) shares the document's
    /// text, and keeps all of it alive while any part is kept. Detach a
    /// small part of a large document before keeping it for long.
    #[must_use]
    pub fn detach(&self) -> Value {
        match self {
            Value::Null => Value::Null,
            Value::Bool(b) => Value::Bool(*b),
            Value::Number(n) => Value::Number(n.detached()),
            Value::String(s) => Value::String(s.detached()),
            Value::Array(items) => Value::Array(items.iter().map(Value::detach).collect()),
            Value::Object(map) => {
                Value::Object(map.iter().map(|(k, v)| (k.detached(), v.detach())).collect())
            }
        }
    }

    /// True for `null`.
    pub fn is_null(&self) -> bool {
        matches!(self, Value::Null)
    }

    /// True for a boolean.
    pub fn is_boolean(&self) -> bool {
        matches!(self, Value::Bool(_))
    }

    /// True for a number.
    pub fn is_number(&self) -> bool {
        matches!(self, Value::Number(_))
    }

    /// True for a string.
    pub fn is_string(&self) -> bool {
        matches!(self, Value::String(_))
    }

    /// True for an array.
    pub fn is_array(&self) -> bool {
        matches!(self, Value::Array(_))
    }

    /// True for an object.
    pub fn is_object(&self) -> bool {
        matches!(self, Value::Object(_))
    }

    /// True for an integer that fits an `i64`.
    pub fn is_i64(&self) -> bool {
        self.as_i64().is_some()
    }

    /// True for an integer that fits a `u64`.
    pub fn is_u64(&self) -> bool {
        self.as_u64().is_some()
    }

    /// How many arrays and objects are nested here: 0 for a scalar, 1 for
    /// `[1, 2]` or `{}`, 2 for `[[1]]`. Counted without recursion, so it
    /// is safe on any tree, however deep.
    pub fn depth(&self) -> usize {
        let mut deepest = 0;
        let mut stack: Vec<(&Value, usize)> = vec![(self, 0)];
        while let Some((value, above)) = stack.pop() {
            let level = match value {
                Value::Array(items) => {
                    let level = above.saturating_add(1);
                    stack.extend(items.iter().map(|item| (item, level)));
                    level
                }
                Value::Object(map) => {
                    let level = above.saturating_add(1);
                    stack.extend(map.iter().map(|(_, item)| (item, level)));
                    level
                }
                _ => above,
            };
            deepest = deepest.max(level);
        }
        deepest
    }

    /// The same value as a `serde_json::Value`. Exact for everything but
    /// numbers that no `f64`, `i64` or `u64` holds (more than 17 significant
    /// digits, or integers past `u64`): serde_json without its
    /// `arbitrary_precision` feature cannot hold those, and they become the
    /// nearest `f64` (or `null` when out of range). Read amounts from this
    /// value, not from the conversion.
    ///
    /// # Errors
    ///
    /// A tree nested deeper than [`NESTING_BOUND`](super::NESTING_BOUND)
    /// levels (only a tree built in code can be):
    /// `serde_json::Value` converts and drops by recursion, and such a tree
    /// could overflow the stack.
    pub fn to_serde_json(&self) -> Result<serde_json::Value, serde_json::Error> {
        let depth = self.depth();
        if depth > super::NESTING_BOUND {
            return Err(<serde_json::Error as serde::ser::Error>::custom(too_deep(depth)));
        }
        Ok(self.to_serde_json_within())
    }

    /// [`Value::to_serde_json`] of a tree known to be at most
    /// [`NESTING_BOUND`](super::NESTING_BOUND) deep.
    fn to_serde_json_within(&self) -> serde_json::Value {
        match self {
            Value::Null => serde_json::Value::Null,
            Value::Bool(b) => serde_json::Value::Bool(*b),
            Value::Number(n) => serde_json::from_str(n.as_str()).unwrap_or(serde_json::Value::Null),
            Value::String(s) => serde_json::Value::String(s.as_str().to_owned()),
            Value::Array(items) => {
                serde_json::Value::Array(items.iter().map(Value::to_serde_json_within).collect())
            }
            Value::Object(map) => serde_json::Value::Object(
                map.iter()
                    .map(|(k, v)| (k.as_str().to_owned(), v.to_serde_json_within()))
                    .collect(),
            ),
        }
    }
}

/// The message for a tree too deep to hand to recursive code.
pub(crate) fn too_deep(depth: usize) -> String {
    format!(
        "expected at most {} levels of nested arrays and objects, but found {depth}",
        super::NESTING_BOUND
    )
}

/// What indexes a [`Value`]: `&str` (an object's member) or `usize` (an
/// array's item).
pub trait Index: private::Sealed {
    #[doc(hidden)]
    fn index_into<'v>(&self, v: &'v Value) -> Option<&'v Value>;
    #[doc(hidden)]
    fn index_into_mut<'v>(&self, v: &'v mut Value) -> Option<&'v mut Value>;
}

mod private {
    pub trait Sealed {}
    impl Sealed for usize {}
    impl Sealed for str {}
    impl Sealed for String {}
    impl Sealed for super::Str {}
    impl<T: Sealed + ?Sized> Sealed for &T {}
}

impl Index for usize {
    fn index_into<'v>(&self, v: &'v Value) -> Option<&'v Value> {
        v.as_array().and_then(|items| items.get(*self))
    }
    fn index_into_mut<'v>(&self, v: &'v mut Value) -> Option<&'v mut Value> {
        v.as_array_mut().and_then(|items| items.get_mut(*self))
    }
}

impl Index for str {
    fn index_into<'v>(&self, v: &'v Value) -> Option<&'v Value> {
        v.as_object().and_then(|map| map.get(self))
    }
    fn index_into_mut<'v>(&self, v: &'v mut Value) -> Option<&'v mut Value> {
        v.as_object_mut().and_then(|map| map.get_mut(self))
    }
}

impl Index for String {
    fn index_into<'v>(&self, v: &'v Value) -> Option<&'v Value> {
        self.as_str().index_into(v)
    }
    fn index_into_mut<'v>(&self, v: &'v mut Value) -> Option<&'v mut Value> {
        self.as_str().index_into_mut(v)
    }
}

impl Index for Str {
    fn index_into<'v>(&self, v: &'v Value) -> Option<&'v Value> {
        self.as_str().index_into(v)
    }
    fn index_into_mut<'v>(&self, v: &'v mut Value) -> Option<&'v mut Value> {
        self.as_str().index_into_mut(v)
    }
}

impl<T: Index + ?Sized> Index for &T {
    fn index_into<'v>(&self, v: &'v Value) -> Option<&'v Value> {
        (**self).index_into(v)
    }
    fn index_into_mut<'v>(&self, v: &'v mut Value) -> Option<&'v mut Value> {
        (**self).index_into_mut(v)
    }
}

impl<I: Index> std::ops::Index<I> for Value {
    type Output = Value;

    /// The member or item, or `null` when there is none (never a panic).
    fn index(&self, key: I) -> &Value {
        key.index_into(self).unwrap_or(&NULL)
    }
}

// The two `IndexMut` impls panic as serde_json's do: they are for tests and
// for code editing a value it built itself, never used by the crate on
// input (which uses `get_mut` and the pointer functions).
#[allow(clippy::panic)]
impl std::ops::IndexMut<&str> for Value {
    /// The member `key`, inserted as `null` when missing; a `null` value
    /// becomes an empty object first. Panics on any other value, like
    /// `serde_json::Value`: for tests and code that built the value itself.
    fn index_mut(&mut self, key: &str) -> &mut Value {
        if self.is_null() {
            *self = Value::Object(Map::new());
        }
        match self {
            Value::Object(map) => map.entry(key).or_insert(Value::Null),
            other => panic!("cannot index {} with the key `{key}`", kind(other)),
        }
    }
}

#[allow(clippy::panic)]
impl std::ops::IndexMut<usize> for Value {
    /// Item `index` of an array. Panics when there is none, like
    /// `serde_json::Value`.
    fn index_mut(&mut self, index: usize) -> &mut Value {
        match self {
            Value::Array(items) => {
                let len = items.len();
                items
                    .get_mut(index)
                    .unwrap_or_else(|| panic!("cannot index an array of {len} items with {index}"))
            }
            other => panic!("cannot index {} with {index}", kind(other)),
        }
    }
}

/// What kind of value `v` is, in words.
pub(crate) fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

impl fmt::Debug for Value {
    /// `Array [Number(1), String("a")]`, `Object {"k": Null}`. Arrays and
    /// objects nested deeper than [`NESTING_BOUND`](super::NESTING_BOUND) levels
    /// (only trees built in code are) print as `…`, so `{:?}` never
    /// overflows the stack.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(&Bounded { value: self, level: 0 }, f)
    }
}

/// A value at `level` arrays and objects below the one being printed.
struct Bounded<'v> {
    value: &'v Value,
    level: usize,
}

impl fmt::Debug for Bounded<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let inner = self.level.saturating_add(1);
        let bounded = |value| Bounded { value, level: inner };
        match self.value {
            Value::Null => f.write_str("Null"),
            Value::Bool(b) => write!(f, "Bool({b})"),
            Value::Number(n) => write!(f, "Number({n})"),
            Value::String(s) => write!(f, "String({s:?})"),
            Value::Array(_) | Value::Object(_) if self.level >= super::NESTING_BOUND => {
                f.write_str("…")
            }
            Value::Array(items) => {
                f.write_str("Array ")?;
                f.debug_list().entries(items.iter().map(bounded)).finish()
            }
            Value::Object(map) => {
                f.write_str("Object ")?;
                f.debug_map().entries(map.iter().map(|(k, v)| (k, bounded(v)))).finish()
            }
        }
    }
}

impl fmt::Display for Value {
    /// Compact JSON; `{:#}` is indented by two spaces.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let text =
            if f.alternate() { super::to_string_pretty(self) } else { super::to_string(self) };
        f.write_str(&text)
    }
}

impl schemars::JsonSchema for Value {
    fn schema_name() -> std::borrow::Cow<'static, str> {
        "AnyValue".into()
    }

    fn inline_schema() -> bool {
        true
    }

    /// Any JSON value (`true`), as for `serde_json::Value`.
    fn json_schema(_generator: &mut schemars::SchemaGenerator) -> schemars::Schema {
        schemars::Schema::default()
    }
}

// Conversions -----------------------------------------------------------

impl From<bool> for Value {
    fn from(b: bool) -> Value {
        Value::Bool(b)
    }
}

impl From<String> for Value {
    fn from(s: String) -> Value {
        Value::String(Str::from(s))
    }
}

impl From<&String> for Value {
    fn from(s: &String) -> Value {
        Value::String(Str::from(s.as_str()))
    }
}

impl From<&str> for Value {
    fn from(s: &str) -> Value {
        Value::String(Str::from(s))
    }
}

impl From<Str> for Value {
    fn from(s: Str) -> Value {
        Value::String(s)
    }
}

impl From<&Str> for Value {
    fn from(s: &Str) -> Value {
        Value::String(s.clone())
    }
}

impl From<std::borrow::Cow<'_, str>> for Value {
    fn from(s: std::borrow::Cow<'_, str>) -> Value {
        Value::String(Str::from(s))
    }
}

impl From<Number> for Value {
    fn from(n: Number) -> Value {
        Value::Number(n)
    }
}

impl From<Map> for Value {
    fn from(m: Map) -> Value {
        Value::Object(m)
    }
}

impl From<&Value> for Value {
    fn from(v: &Value) -> Value {
        v.clone()
    }
}

impl<T: Into<Value>> From<Vec<T>> for Value {
    fn from(items: Vec<T>) -> Value {
        Value::Array(items.into_iter().map(Into::into).collect())
    }
}

impl<T: Clone + Into<Value>> From<&[T]> for Value {
    fn from(items: &[T]) -> Value {
        Value::Array(items.iter().cloned().map(Into::into).collect())
    }
}

impl<T: Into<Value>> From<Option<T>> for Value {
    fn from(v: Option<T>) -> Value {
        v.map_or(Value::Null, Into::into)
    }
}

impl From<rust_decimal::Decimal> for Value {
    /// The decimal as a JSON number, scale kept (`1.50`).
    fn from(d: rust_decimal::Decimal) -> Value {
        Value::Number(Number::from(d))
    }
}

macro_rules! from_integer {
    ($($t:ty),*) => {$(
        impl From<$t> for Value {
            fn from(n: $t) -> Value {
                Value::Number(Number::from(n))
            }
        }
    )*};
}
from_integer!(i8, i16, i32, i64, i128, isize, u8, u16, u32, u64, u128, usize);

impl From<serde_json::Value> for Value {
    /// Exact: a serde_json number's text is kept as it prints.
    fn from(v: serde_json::Value) -> Value {
        match v {
            serde_json::Value::Null => Value::Null,
            serde_json::Value::Bool(b) => Value::Bool(b),
            serde_json::Value::Number(n) => Value::Number(Number::from_checked(&n.to_string())),
            serde_json::Value::String(s) => Value::String(Str::from(s)),
            serde_json::Value::Array(items) => {
                Value::Array(items.into_iter().map(Value::from).collect())
            }
            serde_json::Value::Object(map) => {
                Value::Object(map.into_iter().map(|(k, v)| (k, Value::from(v))).collect())
            }
        }
    }
}

impl From<&serde_json::Value> for Value {
    fn from(v: &serde_json::Value) -> Value {
        Value::from(v.clone())
    }
}

impl TryFrom<Value> for serde_json::Value {
    type Error = serde_json::Error;

    /// [`Value::to_serde_json`].
    fn try_from(v: Value) -> Result<serde_json::Value, serde_json::Error> {
        v.to_serde_json()
    }
}

impl PartialEq<str> for Value {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == Some(other)
    }
}

impl PartialEq<&str> for Value {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == Some(*other)
    }
}

impl PartialEq<bool> for Value {
    fn eq(&self, other: &bool) -> bool {
        self.as_bool() == Some(*other)
    }
}

impl PartialEq<i64> for Value {
    fn eq(&self, other: &i64) -> bool {
        self.as_i64() == Some(*other)
    }
}

impl PartialEq<serde_json::Value> for Value {
    /// Equal when the serde_json value converts to this one (a number:
    /// when serde_json prints it as this number's text).
    fn eq(&self, other: &serde_json::Value) -> bool {
        match (self, other) {
            (Value::Null, serde_json::Value::Null) => true,
            (Value::Bool(a), serde_json::Value::Bool(b)) => a == b,
            (Value::Number(a), serde_json::Value::Number(b)) => a.as_str() == b.to_string(),
            (Value::String(a), serde_json::Value::String(b)) => a == b,
            (Value::Array(a), serde_json::Value::Array(b)) => {
                a.len() == b.len() && a.iter().zip(b).all(|(x, y)| x == y)
            }
            (Value::Object(a), serde_json::Value::Object(b)) => {
                a.len() == b.len()
                    && a.iter().all(|(k, v)| b.get(k.as_str()).is_some_and(|w| v == w))
            }
            _ => false,
        }
    }
}

impl PartialEq<Value> for serde_json::Value {
    fn eq(&self, other: &Value) -> bool {
        other == self
    }
}

/// What [`json!`](crate::json!) takes by reference, as `serde_json::json!`
/// does: strings, booleans, integers, decimals, numbers, values, maps, and
/// options, slices and vectors of them.
pub trait ToValue {
    /// The value, cloned where it must be.
    fn to_value(&self) -> Value;
}

impl<T: ToValue + ?Sized> ToValue for &T {
    fn to_value(&self) -> Value {
        (**self).to_value()
    }
}

impl ToValue for Value {
    fn to_value(&self) -> Value {
        self.clone()
    }
}

impl ToValue for Map {
    fn to_value(&self) -> Value {
        Value::Object(self.clone())
    }
}

impl ToValue for Number {
    fn to_value(&self) -> Value {
        Value::Number(self.clone())
    }
}

impl ToValue for str {
    fn to_value(&self) -> Value {
        Value::String(Str::from(self))
    }
}

impl ToValue for String {
    fn to_value(&self) -> Value {
        Value::String(Str::from(self.as_str()))
    }
}

impl ToValue for Str {
    fn to_value(&self) -> Value {
        Value::String(self.clone())
    }
}

impl ToValue for std::borrow::Cow<'_, str> {
    fn to_value(&self) -> Value {
        Value::String(Str::from(self.as_ref()))
    }
}

impl ToValue for bool {
    fn to_value(&self) -> Value {
        Value::Bool(*self)
    }
}

impl ToValue for rust_decimal::Decimal {
    fn to_value(&self) -> Value {
        Value::from(*self)
    }
}

impl<T: ToValue> ToValue for Option<T> {
    fn to_value(&self) -> Value {
        self.as_ref().map_or(Value::Null, ToValue::to_value)
    }
}

impl<T: ToValue> ToValue for [T] {
    fn to_value(&self) -> Value {
        Value::Array(self.iter().map(ToValue::to_value).collect())
    }
}

impl<T: ToValue> ToValue for Vec<T> {
    fn to_value(&self) -> Value {
        self.as_slice().to_value()
    }
}

impl ToValue for serde_json::Value {
    fn to_value(&self) -> Value {
        Value::from(self)
    }
}

macro_rules! to_value_integer {
    ($($t:ty),*) => {$(
        impl ToValue for $t {
            fn to_value(&self) -> Value {
                Value::from(*self)
            }
        }
    )*};
}
to_value_integer!(i8, i16, i32, i64, i128, isize, u8, u16, u32, u64, u128, usize);

impl ToValue for f64 {
    /// The float's shortest round-trip text, as `serde_json::json!` writes
    /// a float literal (`10.50` becomes `10.5`); `null` for NaN and the
    /// infinities. Not for money: write amounts as strings or decimals.
    fn to_value(&self) -> Value {
        serde_json::Number::from_f64(*self)
            .map_or(Value::Null, |n| Value::Number(Number::from_checked(&n.to_string())))
    }
}

impl ToValue for f32 {
    fn to_value(&self) -> Value {
        f64::from(*self).to_value()
    }
}

impl Drop for Value {
    /// Drops the tree without recursion, so that a tree of any depth (one
    /// built in code has no parser's depth limit) cannot overflow the
    /// stack: the children of a container are moved onto a heap stack and
    /// dropped from there once they hold no children of their own.
    fn drop(&mut self) {
        let mut stack = match self {
            Value::Array(items) if items.iter().any(has_children) => std::mem::take(items),
            Value::Object(map) if map.values().any(has_children) => map.take_values(),
            _ => return,
        };
        while let Some(mut value) = stack.pop() {
            match &mut value {
                Value::Array(items) => stack.append(items),
                Value::Object(map) => stack.extend(map.take_values()),
                _ => {}
            }
        }
    }
}

/// True for a non-empty array or object.
fn has_children(value: &Value) -> bool {
    match value {
        Value::Array(items) => !items.is_empty(),
        Value::Object(map) => !map.is_empty(),
        _ => false,
    }
}

impl PartialEq for Value {
    /// The same value; objects are equal with the same members in any
    /// order. Compared without recursion, at any depth.
    fn eq(&self, other: &Value) -> bool {
        let mut pending: Vec<(&Value, &Value)> = Vec::new();
        let (mut a, mut b) = (self, other);
        loop {
            match (a, b) {
                (Value::Null, Value::Null) => {}
                (Value::Bool(x), Value::Bool(y)) if x == y => {}
                (Value::Number(x), Value::Number(y)) if x == y => {}
                (Value::String(x), Value::String(y)) if x == y => {}
                (Value::Array(x), Value::Array(y)) if x.len() == y.len() => {
                    pending.extend(x.iter().zip(y));
                }
                (Value::Object(x), Value::Object(y)) if x.len() == y.len() => {
                    for (k, v) in x.iter() {
                        match y.get(k) {
                            Some(w) => pending.push((v, w)),
                            None => return false,
                        }
                    }
                }
                _ => return false,
            }
            match pending.pop() {
                Some((x, y)) => (a, b) = (x, y),
                None => return true,
            }
        }
    }
}

impl Eq for Value {}

/// A container being copied by [`Value::clone`]: what is built so far, the
/// source's members still to copy, and the key it goes under in its parent.
enum Copying<'a> {
    Array(Vec<Value>, std::slice::Iter<'a, Value>, Option<Str>),
    Object(Vec<(Str, Value)>, super::Iter<'a>, Option<Str>),
}

impl<'a> Copying<'a> {
    /// The frame for `value` when it is a non-empty container.
    fn of(value: &'a Value, key: Option<Str>) -> Option<Copying<'a>> {
        match value {
            Value::Array(items) if !items.is_empty() => {
                Some(Copying::Array(Vec::with_capacity(items.len()), items.iter(), key))
            }
            Value::Object(map) if !map.is_empty() => {
                Some(Copying::Object(Vec::with_capacity(map.len()), map.iter(), key))
            }
            _ => None,
        }
    }

    /// The next member to copy, with its key in an object.
    fn next(&mut self) -> Option<(Option<Str>, &'a Value)> {
        match self {
            Copying::Array(_, items, _) => items.next().map(|v| (None, v)),
            Copying::Object(_, members, _) => members.next().map(|(k, v)| (Some(k.clone()), v)),
        }
    }

    /// Adds a copied member.
    fn push(&mut self, key: Option<Str>, value: Value) {
        match self {
            Copying::Array(items, _, _) => items.push(value),
            Copying::Object(members, _, _) => members.push((key.unwrap_or_default(), value)),
        }
    }

    /// The finished copy, and its key in its parent.
    fn finish(self) -> (Option<Str>, Value) {
        match self {
            Copying::Array(items, _, key) => (key, Value::Array(items)),
            Copying::Object(members, _, key) => (key, Value::Object(Map::from_distinct(members))),
        }
    }
}

/// A copy of a leaf or an empty container.
fn shallow_clone(value: &Value) -> Value {
    match value {
        Value::Null => Value::Null,
        Value::Bool(b) => Value::Bool(*b),
        Value::Number(n) => Value::Number(n.clone()),
        Value::String(s) => Value::String(s.clone()),
        Value::Array(_) => Value::Array(Vec::new()),
        Value::Object(_) => Value::Object(Map::new()),
    }
}

impl Clone for Value {
    /// A copy, made without recursion, at any depth.
    fn clone(&self) -> Value {
        let Some(root) = Copying::of(self, None) else { return shallow_clone(self) };
        let mut stack = vec![root];
        while let Some(top) = stack.last_mut() {
            match top.next() {
                Some((key, child)) => match Copying::of(child, key.clone()) {
                    Some(frame) => stack.push(frame),
                    None => top.push(key, shallow_clone(child)),
                },
                None => {
                    let Some(done) = stack.pop() else { break };
                    let (key, value) = done.finish();
                    match stack.last_mut() {
                        Some(parent) => parent.push(key, value),
                        None => return value,
                    }
                }
            }
        }
        Value::Null
    }
}
