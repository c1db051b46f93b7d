//! Typed identifiers, and typed references from one entity to another.

use std::borrow::Cow;
use std::fmt;
use std::str::FromStr;

use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::{ExternalRef, ModelError};

macro_rules! def_id {
    ($(#[$doc:meta])* $name:ident, $what:literal, $example:literal) => {
        $(#[$doc])*
        ///
        /// Any non-empty string: a UUID, a ULID, a prefixed key. The canonical
        /// id is yours; the ids other systems use for the same record live in
        /// the entity's `external_refs`.
        #[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub struct $name(String);

        impl $name {
            /// An id from a non-empty string.
            ///
            /// # Errors
            ///
            /// [`ModelError::EmptyId`] for an empty string.
            pub fn new(id: impl Into<String>) -> Result<Self, ModelError> {
                let id = id.into();
                if id.is_empty() {
                    return Err(ModelError::EmptyId { kind: $what });
                }
                Ok(Self(id))
            }

            /// The id as a string slice.
            pub fn as_str(&self) -> &str {
                &self.0
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(&self.0)
            }
        }

        impl fmt::Debug for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                write!(f, "{}({:?})", stringify!($name), self.0)
            }
        }

        impl FromStr for $name {
            type Err = ModelError;
            fn from_str(s: &str) -> Result<Self, Self::Err> {
                Self::new(s)
            }
        }

        impl AsRef<str> for $name {
            fn as_ref(&self) -> &str {
                &self.0
            }
        }

        impl PartialEq<str> for $name {
            fn eq(&self, other: &str) -> bool {
                self.0 == other
            }
        }

        impl PartialEq<&str> for $name {
            fn eq(&self, other: &&str) -> bool {
                self.0 == *other
            }
        }

        impl Serialize for $name {
            fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(&self.0)
            }
        }

        impl<'de> Deserialize<'de> for $name {
            fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let s = String::deserialize(deserializer)?;
                Self::new(s).map_err(serde::de::Error::custom)
            }
        }

        impl JsonSchema for $name {
            fn schema_name() -> Cow<'static, str> {
                stringify!($name).into()
            }

            fn json_schema(_generator: &mut SchemaGenerator) -> Schema {
                json_schema!({
                    "description": concat!("Canonical id of ", $what, ": any non-empty string."),
                    "type": "string",
                    "minLength": 1,
                    "examples": [$example],
                })
            }
        }
    };
}

def_id!(
    /// The canonical id of a [`Customer`](super::Customer).
    CustomerId, "a customer", "cust_0001"
);
def_id!(
    /// The canonical id of a [`Contract`](super::Contract).
    ContractId, "a contract", "ctr_0001"
);
def_id!(
    /// The canonical id of an [`Invoice`](super::Invoice) or credit note.
    InvoiceId, "an invoice", "inv_0001"
);
def_id!(
    /// The canonical id of a [`Payment`](super::Payment).
    PaymentId, "a payment", "pay_0001"
);
def_id!(
    /// The canonical id of a [`JournalEntry`](super::JournalEntry).
    JournalEntryId, "a journal entry", "je_0001"
);

macro_rules! def_ref {
    ($(#[$doc:meta])* $name:ident, $id:ident) => {
        $(#[$doc])*
        ///
        /// A reference names the target by its canonical `id`, by the ids
        /// other systems use (`external_refs`), or both: a mapper that reads a
        /// vendor record knows the vendor's id of the related record long
        /// before anyone has matched it to a canonical one. Validation
        /// requires at least one of the two.
        #[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
        #[serde(deny_unknown_fields)]
        #[non_exhaustive]
        pub struct $name {
            /// The canonical id of the target, when known.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub id: Option<$id>,
            /// The target's ids in other systems.
            #[serde(default, skip_serializing_if = "Vec::is_empty")]
            pub external_refs: Vec<ExternalRef>,
            /// A human-readable label (name or number) as the source showed it.
            #[serde(default, skip_serializing_if = "Option::is_none")]
            pub display: Option<String>,
        }

        impl $name {
            /// A reference by canonical id.
            pub fn to_id(id: $id) -> Self {
                Self { id: Some(id), ..Self::default() }
            }

            /// A reference by the target's id in another system.
            pub fn to_external(external: ExternalRef) -> Self {
                Self { external_refs: vec![external], ..Self::default() }
            }

            /// The same reference with a display label.
            #[must_use]
            pub fn with_display(mut self, display: impl Into<String>) -> Self {
                self.display = Some(display.into());
                self
            }

            /// True when the reference names its target by either kind of id.
            pub fn is_resolvable(&self) -> bool {
                self.id.is_some() || !self.external_refs.is_empty()
            }
        }
    };
}

def_ref!(
    /// A reference to a [`Customer`](super::Customer).
    CustomerRef, CustomerId
);
def_ref!(
    /// A reference to a [`Contract`](super::Contract).
    ContractRef, ContractId
);
def_ref!(
    /// A reference to an [`Invoice`](super::Invoice) or credit note.
    InvoiceRef, InvoiceId
);
def_ref!(
    /// A reference to a [`Payment`](super::Payment).
    PaymentRef, PaymentId
);
def_ref!(
    /// A reference to a [`JournalEntry`](super::JournalEntry).
    JournalEntryRef, JournalEntryId
);
