//! Whether a [`Value`] is already what serializing a typed record gives.
//!
//! Checking a mapping result reads it as its typed entity; writing the
//! entity back into a fresh [`Value`] then builds the whole tree again,
//! member by member, to get the canonical form (fields in declaration
//! order, empty optional parts left out). Most results already are that
//! form, but for the order of their members. [`conform`] serializes the
//! typed record against the tree it was read from instead: each field is
//! looked up and moved into its declared place, each scalar compared with
//! the text the serializer would write, and nothing is allocated. When
//! it succeeds the tree is exactly (member order included) what
//! [`to_value`](super::to_value) would have built; when it fails (a
//! `null` where the record leaves a part out, a number spelled `1.0`
//! where the record writes `1`, anything it does not know) the caller
//! builds the tree the long way. Either way the answer is the same.

use std::fmt;
use std::io::Write as _;

use serde::ser::{self, Serialize};

use super::{Number, RAW_VALUE_TOKEN, Value};

/// Serializes `record` against `value`, moving object members into the
/// order the record writes them. `Ok` when `value` is now exactly what
/// serializing `record` into a [`Value`] gives; `Err` when it is not
/// (then its members may be partly reordered, and nothing else changed).
pub(crate) fn conform<T: Serialize + ?Sized>(record: &T, value: &mut Value) -> Result<(), Differs> {
    record.serialize(Conform(value))
}

/// The tree is not in the record's form (or holds something this check
/// does not compare); build it from the record instead.
#[derive(Debug)]
pub(crate) struct Differs;

impl fmt::Display for Differs {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("the tree is not in the record's serialized form")
    }
}

impl std::error::Error for Differs {}

impl ser::Error for Differs {
    fn custom<M: fmt::Display>(_: M) -> Differs {
        Differs
    }
}

fn same(ok: bool) -> Result<(), Differs> {
    if ok { Ok(()) } else { Err(Differs) }
}

/// Whether `number` is spelled as `v` is written (`Number::from(v)`),
/// formatted on the stack.
fn integer_is(number: &Value, v: impl fmt::Display) -> Result<(), Differs> {
    let Value::Number(n) = number else { return Err(Differs) };
    let mut buf = [0u8; 48];
    let mut cursor = std::io::Cursor::new(&mut buf[..]);
    write!(cursor, "{v}").map_err(|_| Differs)?;
    let end = usize::try_from(cursor.position()).map_err(|_| Differs)?;
    same(buf.get(..end) == Some(n.as_str().as_bytes()))
}

struct Conform<'a>(&'a mut Value);

macro_rules! integer {
    ($($f:ident $t:ty),*) => {$(
        fn $f(self, v: $t) -> Result<(), Differs> {
            integer_is(self.0, v)
        }
    )*};
}

impl<'a> ser::Serializer for Conform<'a> {
    type Ok = ();
    type Error = Differs;
    type SerializeSeq = Items<'a>;
    type SerializeTuple = Items<'a>;
    type SerializeTupleStruct = Items<'a>;
    type SerializeTupleVariant = Items<'a>;
    type SerializeMap = Members<'a>;
    type SerializeStruct = Fields<'a>;
    type SerializeStructVariant = Fields<'a>;

    fn serialize_bool(self, v: bool) -> Result<(), Differs> {
        same(*self.0 == Value::Bool(v))
    }

    integer!(serialize_i8 i8, serialize_i16 i16, serialize_i32 i32, serialize_i64 i64,
        serialize_i128 i128, serialize_u8 u8, serialize_u16 u16, serialize_u32 u32,
        serialize_u64 u64, serialize_u128 u128);

    // Floats, characters and bytes are not in the model: the long way.
    fn serialize_f32(self, _: f32) -> Result<(), Differs> {
        Err(Differs)
    }

    fn serialize_f64(self, _: f64) -> Result<(), Differs> {
        Err(Differs)
    }

    fn serialize_char(self, _: char) -> Result<(), Differs> {
        Err(Differs)
    }

    fn serialize_bytes(self, _: &[u8]) -> Result<(), Differs> {
        Err(Differs)
    }

    fn serialize_str(self, v: &str) -> Result<(), Differs> {
        same(matches!(self.0, Value::String(s) if s.as_str() == v))
    }

    fn serialize_none(self) -> Result<(), Differs> {
        same(self.0.is_null())
    }

    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<(), Differs> {
        value.serialize(self)
    }

    fn serialize_unit(self) -> Result<(), Differs> {
        same(self.0.is_null())
    }

    fn serialize_unit_struct(self, _name: &'static str) -> Result<(), Differs> {
        same(self.0.is_null())
    }

    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> Result<(), Differs> {
        self.serialize_str(variant)
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        value: &T,
    ) -> Result<(), Differs> {
        value.serialize(self)
    }

    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<(), Differs> {
        value.serialize(Conform(only_member(self.0, variant)?))
    }

    fn serialize_seq(self, _len: Option<usize>) -> Result<Items<'a>, Differs> {
        match self.0 {
            Value::Array(items) => Ok(Items { items, at: 0 }),
            _ => Err(Differs),
        }
    }

    fn serialize_tuple(self, len: usize) -> Result<Items<'a>, Differs> {
        self.serialize_seq(Some(len))
    }

    fn serialize_tuple_struct(self, _name: &'static str, len: usize) -> Result<Items<'a>, Differs> {
        self.serialize_seq(Some(len))
    }

    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Items<'a>, Differs> {
        Conform(only_member(self.0, variant)?).serialize_seq(Some(len))
    }

    fn serialize_map(self, _len: Option<usize>) -> Result<Members<'a>, Differs> {
        match self.0 {
            Value::Object(map) => Ok(Members { map, at: 0, pending: None }),
            _ => Err(Differs),
        }
    }

    fn serialize_struct(self, name: &'static str, _len: usize) -> Result<Fields<'a>, Differs> {
        if name == RAW_VALUE_TOKEN {
            return Ok(Fields::Raw(self.0));
        }
        match self.0 {
            Value::Object(map) => Ok(Fields::Named { map, at: 0 }),
            _ => Err(Differs),
        }
    }

    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<Fields<'a>, Differs> {
        Conform(only_member(self.0, variant)?).serialize_struct(variant, len)
    }
}

/// The value of the one member of an object whose only key is `key` (an
/// enum variant with data, as serde writes it).
fn only_member<'v>(value: &'v mut Value, key: &str) -> Result<&'v mut Value, Differs> {
    match value {
        Value::Object(map) if map.len() == 1 => map.get_mut(key).ok_or(Differs),
        _ => Err(Differs),
    }
}

/// An array's items, compared in order.
pub(crate) struct Items<'a> {
    items: &'a mut Vec<Value>,
    at: usize,
}

impl Items<'_> {
    fn next<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Differs> {
        let item = self.items.get_mut(self.at).ok_or(Differs)?;
        self.at = self.at.saturating_add(1);
        value.serialize(Conform(item))
    }

    fn finish(self) -> Result<(), Differs> {
        same(self.at == self.items.len())
    }
}

macro_rules! items {
    ($($trait:ident $method:ident),*) => {$(
        impl ser::$trait for Items<'_> {
            type Ok = ();
            type Error = Differs;
            fn $method<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Differs> {
                self.next(value)
            }
            fn end(self) -> Result<(), Differs> {
                self.finish()
            }
        }
    )*};
}
items!(SerializeSeq serialize_element, SerializeTuple serialize_element,
    SerializeTupleStruct serialize_field, SerializeTupleVariant serialize_field);

/// A struct's fields, each moved into its place; or serde_json's
/// `RawValue` (its one field is a number's text).
pub(crate) enum Fields<'a> {
    Named { map: &'a mut super::Map, at: usize },
    Raw(&'a mut Value),
}

impl Fields<'_> {
    fn field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), Differs> {
        match self {
            Fields::Named { map, at } => {
                let slot = map.move_member(key, *at).ok_or(Differs)?;
                *at = at.saturating_add(1);
                value.serialize(Conform(slot))
            }
            // The long way parses the text; only a number's is compared.
            Fields::Raw(slot) => value.serialize(StrOnly(|text: &str| {
                same(
                    Number::is_valid(text)
                        && matches!(&**slot, Value::Number(n) if n.as_str() == text),
                )
            })),
        }
    }

    fn finish(self) -> Result<(), Differs> {
        match self {
            Fields::Named { map, at } => {
                map.reindex();
                same(at == map.len())
            }
            Fields::Raw(_) => Ok(()),
        }
    }
}

macro_rules! fields {
    ($($trait:ident),*) => {$(
        impl ser::$trait for Fields<'_> {
            type Ok = ();
            type Error = Differs;
            fn serialize_field<T: Serialize + ?Sized>(
                &mut self,
                key: &'static str,
                value: &T,
            ) -> Result<(), Differs> {
                self.field(key, value)
            }
            fn end(self) -> Result<(), Differs> {
                self.finish()
            }
        }
    )*};
}
fields!(SerializeStruct, SerializeStructVariant);

/// A map's members: each key moved into the place it is written in.
pub(crate) struct Members<'a> {
    map: &'a mut super::Map,
    at: usize,
    pending: Option<usize>,
}

impl ser::SerializeMap for Members<'_> {
    type Ok = ();
    type Error = Differs;

    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), Differs> {
        let at = self.at;
        let map = &mut *self.map;
        key.serialize(StrOnly(|k: &str| map.move_member(k, at).map(drop).ok_or(Differs)))?;
        self.pending = Some(at);
        self.at = at.saturating_add(1);
        Ok(())
    }

    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Differs> {
        let at = self.pending.take().ok_or(Differs)?;
        let slot = self.map.value_at_mut(at).ok_or(Differs)?;
        value.serialize(Conform(slot))
    }

    fn end(self) -> Result<(), Differs> {
        self.map.reindex();
        same(self.pending.is_none() && self.at == self.map.len())
    }
}

/// A serializer that takes a string (a map key, a `RawValue`'s text, or
/// a newtype or unit variant around one) and refuses everything else.
struct StrOnly<F>(F);

/// Everything but a string is refused.
macro_rules! refuse {
    ($($f:ident $t:ty),*) => {$(
        fn $f(self, _: $t) -> Result<(), Differs> {
            Err(Differs)
        }
    )*};
}

impl<F: FnOnce(&str) -> Result<(), Differs>> ser::Serializer for StrOnly<F> {
    type Ok = ();
    type Error = Differs;
    type SerializeSeq = ser::Impossible<(), Differs>;
    type SerializeTuple = ser::Impossible<(), Differs>;
    type SerializeTupleStruct = ser::Impossible<(), Differs>;
    type SerializeTupleVariant = ser::Impossible<(), Differs>;
    type SerializeMap = ser::Impossible<(), Differs>;
    type SerializeStruct = ser::Impossible<(), Differs>;
    type SerializeStructVariant = ser::Impossible<(), Differs>;

    fn serialize_str(self, v: &str) -> Result<(), Differs> {
        (self.0)(v)
    }

    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> Result<(), Differs> {
        self.serialize_str(variant)
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        value: &T,
    ) -> Result<(), Differs> {
        value.serialize(self)
    }

    refuse!(serialize_bool bool, serialize_i8 i8, serialize_i16 i16, serialize_i32 i32,
        serialize_i64 i64, serialize_i128 i128, serialize_u8 u8, serialize_u16 u16,
        serialize_u32 u32, serialize_u64 u64, serialize_u128 u128, serialize_f32 f32,
        serialize_f64 f64, serialize_char char, serialize_bytes &[u8]);

    fn serialize_none(self) -> Result<(), Differs> {
        Err(Differs)
    }
    fn serialize_some<T: Serialize + ?Sized>(self, _: &T) -> Result<(), Differs> {
        Err(Differs)
    }
    fn serialize_unit(self) -> Result<(), Differs> {
        Err(Differs)
    }
    fn serialize_unit_struct(self, _: &'static str) -> Result<(), Differs> {
        Err(Differs)
    }
    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: &T,
    ) -> Result<(), Differs> {
        Err(Differs)
    }
    fn serialize_seq(self, _: Option<usize>) -> Result<Self::SerializeSeq, Differs> {
        Err(Differs)
    }
    fn serialize_tuple(self, _: usize) -> Result<Self::SerializeTuple, Differs> {
        Err(Differs)
    }
    fn serialize_tuple_struct(
        self,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleStruct, Differs> {
        Err(Differs)
    }
    fn serialize_tuple_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeTupleVariant, Differs> {
        Err(Differs)
    }
    fn serialize_map(self, _: Option<usize>) -> Result<Self::SerializeMap, Differs> {
        Err(Differs)
    }
    fn serialize_struct(self, _: &'static str, _: usize) -> Result<Self::SerializeStruct, Differs> {
        Err(Differs)
    }
    fn serialize_struct_variant(
        self,
        _: &'static str,
        _: u32,
        _: &'static str,
        _: usize,
    ) -> Result<Self::SerializeStructVariant, Differs> {
        Err(Differs)
    }
}

#[cfg(test)]
mod tests {
    use serde::Serialize;

    use super::conform;
    use crate::json::{self, Value};

    #[derive(Serialize)]
    enum Kind {
        #[serde(rename = "organization")]
        Organization,
    }

    /// An amount as the model writes one: its text.
    struct Amount(rust_decimal::Decimal);

    impl Serialize for Amount {
        fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
            s.collect_str(&self.0)
        }
    }

    #[derive(Serialize)]
    struct Part {
        name: String,
        #[serde(skip_serializing_if = "Option::is_none")]
        note: Option<String>,
        count: u32,
    }

    #[derive(Serialize)]
    struct Record {
        id: String,
        kind: Kind,
        amount: Amount,
        #[serde(skip_serializing_if = "Vec::is_empty")]
        parts: Vec<Part>,
        tags: std::collections::BTreeMap<String, bool>,
        exact: Value,
    }

    fn record() -> Record {
        Record {
            id: "r_1".into(),
            kind: Kind::Organization,
            amount: Amount(rust_decimal::Decimal::new(1050, 2)),
            parts: vec![Part { name: "a".into(), note: None, count: 3 }],
            tags: [("x".to_owned(), true), ("a".to_owned(), false)].into_iter().collect(),
            exact: json::parse("123456789012345678901.50").unwrap_or(Value::Null),
        }
    }

    /// Conforms exactly when the long way gives the same text, and then
    /// the tree is that text, member order included.
    fn verdict(text: &str) -> bool {
        let mut tree = json::parse(text).unwrap_or(Value::Null);
        let long = json::to_value(&record()).map(|v| json::to_string(&v)).unwrap_or_default();
        let ok = conform(&record(), &mut tree).is_ok();
        if ok {
            assert_eq!(json::to_string(&tree), long);
        }
        ok
    }

    #[test]
    fn members_in_any_order_are_put_in_the_records_order() {
        assert!(verdict(
            r#"{"exact": 123456789012345678901.50, "tags": {"x": true, "a": false},
                "parts": [{"count": 3, "name": "a"}], "amount": "10.50",
                "kind": "organization", "id": "r_1"}"#
        ));
    }

    #[test]
    fn anything_the_record_writes_otherwise_differs() {
        let base = r#"{"id": "r_1", "kind": "organization", "amount": "10.50",
            "parts": [{"name": "a", "count": 3}], "tags": {"a": false, "x": true},
            "exact": 123456789012345678901.50}"#;
        assert!(verdict(base));
        for (from, to) in [
            (r#""count": 3"#, r#""count": 3.0"#),
            (r#""count": 3"#, r#""count": "3""#),
            (r#""count": 3"#, r#""count": 3, "note": null"#),
            (r#""amount": "10.50""#, r#""amount": "10.5""#),
            (r#""amount": "10.50""#, r#""amount": 10.50"#),
            (r#""kind": "organization""#, r#""kind": "Organization""#),
            (r#""id": "r_1""#, r#""id": "r_1", "extra": 1"#),
            (r#""a": false"#, r#""a": false, "b": true"#),
            ("123456789012345678901.50", "123456789012345678901.5"),
            (
                r#"{"name": "a", "count": 3}"#,
                r#"{"name": "a", "count": 3}, {"name": "b", "count": 1}"#,
            ),
        ] {
            assert!(base.contains(from), "{from}");
            assert!(!verdict(&base.replace(from, to)), "{to}");
        }
        assert!(!verdict(&base.replace(r#""parts": [{"name": "a", "count": 3}], "#, "")));
    }
}
