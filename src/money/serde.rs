//! The JSON form of [`Money`]: `{"amount": "1234.50", "currency": "EUR"}`.

use std::borrow::Cow;
use std::fmt;

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::de::{self, MapAccess, Visitor};
use serde::ser::SerializeStruct;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::decimal::{DecimalRepr, DecimalSchema};
use super::{Currency, Money};

const FIELDS: &[&str] = &["amount", "currency"];

impl Serialize for Money {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        let mut s = serializer.serialize_struct("Money", 2)?;
        s.serialize_field("amount", &DecimalRepr(self.amount()))?;
        s.serialize_field("currency", &self.currency())?;
        s.end()
    }
}

impl<'de> Deserialize<'de> for Money {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_struct("Money", FIELDS, MoneyVisitor)
    }
}

enum Field {
    Amount,
    Currency,
}

impl<'de> Deserialize<'de> for Field {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct FieldVisitor;
        impl Visitor<'_> for FieldVisitor {
            type Value = Field;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("`amount` or `currency`")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Field, E> {
                match v {
                    "amount" => Ok(Field::Amount),
                    "currency" => Ok(Field::Currency),
                    other => Err(E::unknown_field(other, FIELDS)),
                }
            }
        }
        deserializer.deserialize_identifier(FieldVisitor)
    }
}

struct MoneyVisitor;

impl<'de> Visitor<'de> for MoneyVisitor {
    type Value = Money;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(r#"money as {"amount": "1234.50", "currency": "EUR"}"#)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Money, A::Error> {
        let mut amount = None;
        let mut currency = None;
        while let Some(field) = map.next_key::<Field>()? {
            match field {
                Field::Amount => {
                    if amount.is_some() {
                        return Err(de::Error::duplicate_field("amount"));
                    }
                    amount = Some(map.next_value::<DecimalRepr>()?.0);
                }
                Field::Currency => {
                    if currency.is_some() {
                        return Err(de::Error::duplicate_field("currency"));
                    }
                    currency = Some(map.next_value::<Currency>()?);
                }
            }
        }
        let amount = amount.ok_or_else(|| de::Error::missing_field("amount"))?;
        let currency = currency.ok_or_else(|| de::Error::missing_field("currency"))?;
        Ok(Money::new(amount, currency))
    }
}

impl JsonSchema for Money {
    fn schema_name() -> Cow<'static, str> {
        "Money".into()
    }

    fn schema_id() -> Cow<'static, str> {
        "canonical_finance::money::Money".into()
    }

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        let mut amount = generator.subschema_for::<DecimalSchema>();
        amount.insert(
            "description".into(),
            "The amount as a decimal string that keeps its scale, such as \"1234.50\". \
             Read from a string or an exact JSON number; always written as a string."
                .into(),
        );
        let currency = generator.subschema_for::<Currency>();
        json_schema!({
            "description": "An exact decimal amount in one ISO 4217 currency.",
            "type": "object",
            "properties": {
                "amount": amount,
                "currency": currency,
            },
            "required": ["amount", "currency"],
            "additionalProperties": false,
            "examples": [{"amount": "1234.50", "currency": "EUR"}],
        })
    }
}
