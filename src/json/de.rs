//! `&Value` as a serde `Deserializer`: typed records read from a [`Value`]
//! in place, numbers handed over as text to the types that ask for it
//! (decimals and [`Value`] itself), as serde_json hands them over from text.

use serde::de::value::{StrDeserializer, StringDeserializer};
use serde::de::{
    self, DeserializeSeed, Deserializer, IntoDeserializer, MapAccess, SeqAccess, Visitor,
};

use super::{Number, RAW_VALUE_TOKEN, Value};

type Error = serde_json::Error;

impl<'de> Deserializer<'de> for &'de Value {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self {
            Value::Null => visitor.visit_unit(),
            Value::Bool(b) => visitor.visit_bool(*b),
            Value::Number(n) => visit_number(n, visitor),
            Value::String(s) => visitor.visit_borrowed_str(s),
            Value::Array(items) => visitor.visit_seq(Items(items.iter())),
            Value::Object(map) => visitor.visit_map(Members { iter: map.iter(), value: None }),
        }
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self {
            Value::Null => visitor.visit_none(),
            other => visitor.visit_some(other),
        }
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        visitor: V,
    ) -> Result<V::Value, Error> {
        // A number's text goes to the types that ask for it; anything else
        // is walked as it is (its numbers again as text), never written out
        // and parsed back.
        if name == RAW_VALUE_TOKEN
            && let Value::Number(n) = self
        {
            return visitor.visit_map(Raw(Some(n.as_str().to_owned())));
        }
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        match self {
            Value::String(s) => visitor.visit_enum(s.as_str().into_deserializer()),
            Value::Object(map) if map.len() == 1 => match map.iter().next() {
                Some((variant, value)) => visitor.visit_enum(Variant { variant, value }),
                None => {
                    Err(de::Error::custom("expected an enum variant, but found an empty object"))
                }
            },
            other => Err(de::Error::invalid_type(unexpected(other), &"an enum variant")),
        }
    }

    /// A struct is an object, as the schemas say: serde's derived structs
    /// would also read an array of their fields in order
    /// (`["12.50", "EUR"]` as an amount), which no schema allows.
    fn deserialize_struct<V: Visitor<'de>>(
        self,
        _name: &'static str,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        match self {
            Value::Array(_) => {
                Err(serde::de::Error::invalid_type(serde::de::Unexpected::Seq, &visitor))
            }
            other => other.deserialize_any(visitor),
        }
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf unit unit_struct seq tuple tuple_struct map
        identifier ignored_any
    }
}

/// A number as serde_json gives it without `arbitrary_precision`: an
/// integer when it is one and fits, else the nearest float. Exact readers
/// (decimals) ask for the text instead, through the raw-value token.
fn visit_number<'de, V: Visitor<'de>>(n: &Number, visitor: V) -> Result<V::Value, Error> {
    if let Some(u) = n.as_u64() {
        return visitor.visit_u64(u);
    }
    if let Some(i) = n.as_i64() {
        return visitor.visit_i64(i);
    }
    match n.as_f64() {
        Some(f) => visitor.visit_f64(f),
        None => Err(de::Error::custom(format!("number out of range: {n}"))),
    }
}

fn unexpected(v: &Value) -> de::Unexpected<'_> {
    match v {
        Value::Null => de::Unexpected::Unit,
        Value::Bool(b) => de::Unexpected::Bool(*b),
        Value::Number(_) => de::Unexpected::Other("a number"),
        Value::String(s) => de::Unexpected::Str(s),
        Value::Array(_) => de::Unexpected::Seq,
        Value::Object(_) => de::Unexpected::Map,
    }
}

struct Items<'de>(std::slice::Iter<'de, Value>);

impl<'de> SeqAccess<'de> for Items<'de> {
    type Error = Error;

    fn next_element_seed<T: DeserializeSeed<'de>>(
        &mut self,
        seed: T,
    ) -> Result<Option<T::Value>, Error> {
        self.0.next().map(|v| seed.deserialize(v)).transpose()
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.0.len())
    }
}

struct Members<'de> {
    iter: super::Iter<'de>,
    value: Option<&'de Value>,
}

impl<'de> MapAccess<'de> for Members<'de> {
    type Error = Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Error> {
        match self.iter.next() {
            Some((k, v)) => {
                self.value = Some(v);
                let key: StrDeserializer<'_, Error> = k.as_str().into_deserializer();
                seed.deserialize(BorrowedKey(key, k)).map(Some)
            }
            None => Ok(None),
        }
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Error> {
        match self.value.take() {
            Some(v) => seed.deserialize(v),
            None => Err(de::Error::custom("a map value was asked for before its key")),
        }
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.iter.len())
    }
}

/// A key borrowed from the value, so that `&'de str` keys work.
struct BorrowedKey<'de>(StrDeserializer<'de, Error>, &'de super::Str);

impl<'de> Deserializer<'de> for BorrowedKey<'de> {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_borrowed_str(self.1)
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.0.deserialize_enum(name, variants, visitor)
    }

    serde::forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf option unit unit_struct newtype_struct seq tuple
        tuple_struct map struct identifier ignored_any
    }
}

/// The raw-value protocol: one member, the token, whose value is the text.
struct Raw(Option<String>);

impl<'de> MapAccess<'de> for Raw {
    type Error = Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(
        &mut self,
        seed: K,
    ) -> Result<Option<K::Value>, Error> {
        if self.0.is_none() {
            return Ok(None);
        }
        let key: StrDeserializer<'_, Error> = RAW_VALUE_TOKEN.into_deserializer();
        seed.deserialize(key).map(Some)
    }

    fn next_value_seed<V: DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, Error> {
        let raw = self.0.take().unwrap_or_default();
        let text: StringDeserializer<Error> = raw.into_deserializer();
        seed.deserialize(text)
    }
}

struct Variant<'de> {
    variant: &'de super::Str,
    value: &'de Value,
}

impl<'de> de::EnumAccess<'de> for Variant<'de> {
    type Error = Error;
    type Variant = VariantValue<'de>;

    fn variant_seed<S: DeserializeSeed<'de>>(
        self,
        seed: S,
    ) -> Result<(S::Value, Self::Variant), Error> {
        let key: StrDeserializer<'_, Error> = self.variant.as_str().into_deserializer();
        let v = seed.deserialize(key)?;
        Ok((v, VariantValue(self.value)))
    }
}

struct VariantValue<'de>(&'de Value);

impl<'de> de::VariantAccess<'de> for VariantValue<'de> {
    type Error = Error;

    fn unit_variant(self) -> Result<(), Error> {
        match self.0 {
            Value::Null => Ok(()),
            other => Err(de::Error::invalid_type(unexpected(other), &"a unit variant")),
        }
    }

    fn newtype_variant_seed<T: DeserializeSeed<'de>>(self, seed: T) -> Result<T::Value, Error> {
        seed.deserialize(self.0)
    }

    fn tuple_variant<V: Visitor<'de>>(self, _len: usize, visitor: V) -> Result<V::Value, Error> {
        self.0.deserialize_any(visitor)
    }

    fn struct_variant<V: Visitor<'de>>(
        self,
        _fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.0.deserialize_any(visitor)
    }
}

impl Value {
    /// A typed value read from this one in place (no text in between):
    /// exact for amounts, as from JSON text.
    ///
    /// # Errors
    ///
    /// serde's message for a value of the wrong shape.
    pub fn deserialize_into<'de, T: de::Deserialize<'de>>(
        &'de self,
    ) -> Result<T, serde_json::Error> {
        T::deserialize(self)
    }
}
