//! A serde `Serializer` into [`Value`]: typed records to JSON values
//! without text in between, numbers exact (a `RawValue`, as [`Value`]
//! writes its numbers, becomes the number it holds).

use serde::ser::{self, Serialize};

use super::{Map, Number, RAW_VALUE_TOKEN, Value};

type Error = serde_json::Error;

fn err(message: impl std::fmt::Display) -> Error {
    <Error as ser::Error>::custom(message)
}

/// Serializes any value into a [`Value`].
pub(crate) struct ValueSerializer;

macro_rules! integer {
    ($($f:ident $t:ty),*) => {$(
        fn $f(self, v: $t) -> Result<Value, Error> {
            Ok(Value::from(v))
        }
    )*};
}

impl ser::Serializer for ValueSerializer {
    type Ok = Value;
    type Error = Error;
    type SerializeSeq = Seq;
    type SerializeTuple = Seq;
    type SerializeTupleStruct = Seq;
    type SerializeTupleVariant = TupleVariant;
    type SerializeMap = Object;
    type SerializeStruct = Struct;
    type SerializeStructVariant = StructVariant;

    fn serialize_bool(self, v: bool) -> Result<Value, Error> {
        Ok(Value::Bool(v))
    }

    integer!(serialize_i8 i8, serialize_i16 i16, serialize_i32 i32, serialize_i64 i64,
        serialize_i128 i128, serialize_u8 u8, serialize_u16 u16, serialize_u32 u32,
        serialize_u64 u64, serialize_u128 u128);

    fn serialize_f32(self, v: f32) -> Result<Value, Error> {
        Ok(super::ToValue::to_value(&v))
    }

    fn serialize_f64(self, v: f64) -> Result<Value, Error> {
        Ok(super::ToValue::to_value(&v))
    }

    fn serialize_char(self, v: char) -> Result<Value, Error> {
        Ok(Value::from(v.to_string()))
    }

    fn serialize_str(self, v: &str) -> Result<Value, Error> {
        Ok(Value::from(v))
    }

    fn serialize_bytes(self, v: &[u8]) -> Result<Value, Error> {
        Ok(Value::Array(v.iter().map(|b| Value::from(*b)).collect()))
    }

    fn serialize_none(self) -> Result<Value, Error> {
        Ok(Value::Null)
    }

    fn serialize_some<T: Serialize + ?Sized>(self, value: &T) -> Result<Value, Error> {
        value.serialize(self)
    }

    fn serialize_unit(self) -> Result<Value, Error> {
        Ok(Value::Null)
    }

    fn serialize_unit_struct(self, _name: &'static str) -> Result<Value, Error> {
        Ok(Value::Null)
    }

    fn serialize_unit_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
    ) -> Result<Value, Error> {
        Ok(Value::String(super::Str::from_static(variant)))
    }

    fn serialize_newtype_struct<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        value: &T,
    ) -> Result<Value, Error> {
        value.serialize(self)
    }

    fn serialize_newtype_variant<T: Serialize + ?Sized>(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        value: &T,
    ) -> Result<Value, Error> {
        let mut map = Map::new();
        map.insert(super::Str::from_static(variant), value.serialize(ValueSerializer)?);
        Ok(Value::Object(map))
    }

    fn serialize_seq(self, len: Option<usize>) -> Result<Seq, Error> {
        Ok(Seq(Vec::with_capacity(len.unwrap_or(0))))
    }

    fn serialize_tuple(self, len: usize) -> Result<Seq, Error> {
        self.serialize_seq(Some(len))
    }

    fn serialize_tuple_struct(self, _name: &'static str, len: usize) -> Result<Seq, Error> {
        self.serialize_seq(Some(len))
    }

    fn serialize_tuple_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        len: usize,
    ) -> Result<TupleVariant, Error> {
        Ok(TupleVariant { variant, items: Vec::with_capacity(len) })
    }

    fn serialize_map(self, _len: Option<usize>) -> Result<Object, Error> {
        Ok(Object { map: Map::new(), key: None })
    }

    fn serialize_struct(self, name: &'static str, _len: usize) -> Result<Struct, Error> {
        Ok(if name == RAW_VALUE_TOKEN { Struct::Raw(None) } else { Struct::Fields(Map::new()) })
    }

    fn serialize_struct_variant(
        self,
        _name: &'static str,
        _index: u32,
        variant: &'static str,
        _len: usize,
    ) -> Result<StructVariant, Error> {
        Ok(StructVariant { variant, map: Map::new() })
    }
}

pub(crate) struct Seq(Vec<Value>);

impl ser::SerializeSeq for Seq {
    type Ok = Value;
    type Error = Error;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        self.0.push(value.serialize(ValueSerializer)?);
        Ok(())
    }
    fn end(self) -> Result<Value, Error> {
        Ok(Value::Array(self.0))
    }
}

impl ser::SerializeTuple for Seq {
    type Ok = Value;
    type Error = Error;
    fn serialize_element<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        ser::SerializeSeq::serialize_element(self, value)
    }
    fn end(self) -> Result<Value, Error> {
        ser::SerializeSeq::end(self)
    }
}

impl ser::SerializeTupleStruct for Seq {
    type Ok = Value;
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        ser::SerializeSeq::serialize_element(self, value)
    }
    fn end(self) -> Result<Value, Error> {
        ser::SerializeSeq::end(self)
    }
}

pub(crate) struct TupleVariant {
    variant: &'static str,
    items: Vec<Value>,
}

impl ser::SerializeTupleVariant for TupleVariant {
    type Ok = Value;
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        self.items.push(value.serialize(ValueSerializer)?);
        Ok(())
    }
    fn end(self) -> Result<Value, Error> {
        let mut map = Map::new();
        map.insert(super::Str::from_static(self.variant), Value::Array(self.items));
        Ok(Value::Object(map))
    }
}

pub(crate) struct Object {
    map: Map,
    key: Option<super::Str>,
}

impl ser::SerializeMap for Object {
    type Ok = Value;
    type Error = Error;
    fn serialize_key<T: Serialize + ?Sized>(&mut self, key: &T) -> Result<(), Error> {
        match &mut key.serialize(ValueSerializer)? {
            Value::String(s) => self.key = Some(std::mem::take(s)),
            Value::Number(n) => self.key = Some(super::Str::from(n.as_str())),
            Value::Bool(b) => {
                self.key = Some(super::Str::from_static(if *b { "true" } else { "false" }))
            }
            _ => return Err(err("key must be a string")),
        }
        Ok(())
    }
    fn serialize_value<T: Serialize + ?Sized>(&mut self, value: &T) -> Result<(), Error> {
        let key = self.key.take().ok_or_else(|| err("a map value came before its key"))?;
        self.map.insert(key, value.serialize(ValueSerializer)?);
        Ok(())
    }
    fn end(self) -> Result<Value, Error> {
        Ok(Value::Object(self.map))
    }
}

/// A struct's fields, or serde_json's `RawValue` (one field: the text).
pub(crate) enum Struct {
    Fields(Map),
    Raw(Option<Value>),
}

impl ser::SerializeStruct for Struct {
    type Ok = Value;
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        match self {
            Struct::Fields(map) => {
                // A struct's fields are distinct: no key to look for.
                map.push_new(super::Str::from_static(key), value.serialize(ValueSerializer)?);
            }
            Struct::Raw(slot) => {
                let Some(text) = value.serialize(ValueSerializer)?.into_string().ok() else {
                    return Err(err("expected the raw JSON text of a value"));
                };
                let parsed = if Number::is_valid(&text) {
                    Value::Number(Number::from_checked(&text))
                } else {
                    super::parse(&text).map_err(err)?
                };
                *slot = Some(parsed);
            }
        }
        Ok(())
    }
    fn end(self) -> Result<Value, Error> {
        match self {
            Struct::Fields(map) => Ok(Value::Object(map)),
            Struct::Raw(v) => Ok(v.unwrap_or(Value::Null)),
        }
    }
}

pub(crate) struct StructVariant {
    variant: &'static str,
    map: Map,
}

impl ser::SerializeStructVariant for StructVariant {
    type Ok = Value;
    type Error = Error;
    fn serialize_field<T: Serialize + ?Sized>(
        &mut self,
        key: &'static str,
        value: &T,
    ) -> Result<(), Error> {
        self.map.push_new(super::Str::from_static(key), value.serialize(ValueSerializer)?);
        Ok(())
    }
    fn end(self) -> Result<Value, Error> {
        let mut outer = Map::new();
        outer.insert(super::Str::from_static(self.variant), Value::Object(self.map));
        Ok(Value::Object(outer))
    }
}
