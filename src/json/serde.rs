//! serde for [`Value`]: written and read exactly with serde_json (through
//! its additive `raw_value` feature), and as well as the format allows with
//! any other serde format.

use std::fmt;

use serde::de::{self, Deserialize, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::ser::{Serialize, SerializeMap, SerializeSeq, SerializeStruct, Serializer};

use super::{Map, Number, Value};

/// The newtype name under which serde_json (with `raw_value`) hands a
/// value's text to `visit_map` instead of parsing it. Another deserializer
/// calls `visit_newtype_struct`, and the value is read the ordinary way.
pub(crate) const RAW_VALUE_TOKEN: &str = "$serde_json::private::RawValue";

impl Serialize for Value {
    /// Arrays and objects nested deeper than [`NESTING_BOUND`](super::NESTING_BOUND)
    /// levels (only trees built in code are) are an error, not a stack
    /// overflow: serde serializes by recursion.
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        Bounded { value: self, level: 0 }.serialize(serializer)
    }
}

/// A value at `level` arrays and objects below the one being serialized.
struct Bounded<'v> {
    value: &'v Value,
    level: usize,
}

impl Serialize for Bounded<'_> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let inner = self.level.saturating_add(1);
        if inner > super::NESTING_BOUND && matches!(self.value, Value::Array(_) | Value::Object(_))
        {
            return Err(serde::ser::Error::custom(super::value::too_deep(
                self.value.depth().saturating_add(self.level),
            )));
        }
        match self.value {
            Value::Null => serializer.serialize_unit(),
            Value::Bool(b) => serializer.serialize_bool(*b),
            Value::Number(n) => n.serialize(serializer),
            Value::String(s) => serializer.serialize_str(s),
            Value::Array(items) => {
                let mut seq = serializer.serialize_seq(Some(items.len()))?;
                for item in items {
                    seq.serialize_element(&Bounded { value: item, level: inner })?;
                }
                seq.end()
            }
            Value::Object(map) => {
                let mut out = serializer.serialize_map(Some(map.len()))?;
                for (k, v) in map {
                    out.serialize_entry(k, &Bounded { value: v, level: inner })?;
                }
                out.end()
            }
        }
    }
}

impl Serialize for Number {
    /// serde_json writes the text as it is (a `RawValue`); other formats
    /// get what serde_json's `RawValue` gives them.
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        // What `RawValue` itself does: a one-field struct under its token,
        // which serde_json writes as the text (a valid number's).
        let mut raw = serializer.serialize_struct(RAW_VALUE_TOKEN, 1)?;
        raw.serialize_field(RAW_VALUE_TOKEN, self.as_str())?;
        raw.end()
    }
}

impl<'de> Deserialize<'de> for Value {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Value, D::Error> {
        deserializer.deserialize_newtype_struct(RAW_VALUE_TOKEN, RawOrAny)
    }
}

impl<'de> Deserialize<'de> for Number {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Number, D::Error> {
        match &Value::deserialize(deserializer)? {
            Value::Number(n) => Ok(n.clone()),
            other => Err(de::Error::custom(format!(
                "expected a JSON number, but found {}",
                super::value::kind(other)
            ))),
        }
    }
}

/// Takes serde_json's raw text when it offers it, else reads the value.
struct RawOrAny;

impl<'de> Visitor<'de> for RawOrAny {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        match map.next_key::<String>()? {
            Some(key) if key == RAW_VALUE_TOKEN => {
                let raw: String = map.next_value()?;
                super::parse(&raw).map_err(de::Error::custom)
            }
            // A deserializer that did not take the hint handed over a map.
            Some(key) => ValueVisitor.finish_map(key, map),
            None => Ok(Value::Object(Map::new())),
        }
    }

    fn visit_newtype_struct<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        d.deserialize_any(ValueVisitor)
    }
}

/// Reads any value from a self-describing format.
struct ValueVisitor;

impl ValueVisitor {
    fn finish_map<'de, A: MapAccess<'de>>(
        self,
        first: String,
        mut map: A,
    ) -> Result<Value, A::Error> {
        let mut out = Map::new();
        out.insert(first, map.next_value()?);
        while let Some((k, v)) = map.next_entry::<String, Value>()? {
            out.insert(k, v);
        }
        Ok(Value::Object(out))
    }
}

impl<'de> Visitor<'de> for ValueVisitor {
    type Value = Value;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_bool<E>(self, v: bool) -> Result<Value, E> {
        Ok(Value::Bool(v))
    }

    fn visit_i64<E>(self, v: i64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_u64<E>(self, v: u64) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_i128<E>(self, v: i128) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_u128<E>(self, v: u128) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    /// A float's shortest round-trip text; NaN and infinities are not JSON.
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Value, E> {
        if !v.is_finite() {
            return Err(E::custom(format!("expected a finite number, but found {v}")));
        }
        let text = serde_json::Number::from_f64(v).map(|n| n.to_string()).unwrap_or_default();
        text.parse::<Number>().map(Value::Number).map_err(E::custom)
    }

    fn visit_str<E>(self, v: &str) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_string<E>(self, v: String) -> Result<Value, E> {
        Ok(Value::from(v))
    }

    fn visit_none<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_unit<E>(self) -> Result<Value, E> {
        Ok(Value::Null)
    }

    fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        Value::deserialize(d)
    }

    fn visit_newtype_struct<D: Deserializer<'de>>(self, d: D) -> Result<Value, D::Error> {
        Value::deserialize(d)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Value, A::Error> {
        let mut items = Vec::new();
        while let Some(item) = seq.next_element::<Value>()? {
            items.push(item);
        }
        Ok(Value::Array(items))
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Value, A::Error> {
        match map.next_key::<String>()? {
            Some(first) => self.finish_map(first, map),
            None => Ok(Value::Object(Map::new())),
        }
    }
}
