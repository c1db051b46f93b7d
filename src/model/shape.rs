//! Reading a JSON tree as a typed record without copying its extensions.
//!
//! A record's `extensions` hold vendor values, often most of the tree
//! (a Stripe invoice's residue). Reading the record as its Rust type copies
//! every one of them into the typed record, to be dropped again when only
//! the shape was wanted. Here they are set aside for the read — their
//! namespace names checked as [`Extensions`] checks them — and put back
//! where they were.

use serde::de::DeserializeOwned;

use super::{Contract, Customer, Entity, Extensions, Invoice, JournalEntry, Payment};
use crate::json::{Map, Value};

/// Where a JSON tree is not a record of an entity, and why.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{message} (at `{pointer}`)")]
#[non_exhaustive]
pub struct ShapeError {
    /// The JSON Pointer of the place (empty for the whole record).
    pub pointer: String,
    /// serde's message, as reading the typed record gives it.
    pub message: String,
}

impl Entity {
    /// Checks that `value` reads as a record of this entity (its Rust
    /// type, without the validation rules), naming the first place where
    /// it does not: the same pointer and message as reading the typed
    /// record with `serde_path_to_error`.
    ///
    /// The record's extensions (top level and lines) are set aside during
    /// the read and put back where they were, so `value` is unchanged
    /// afterwards; that is why it is borrowed mutably.
    ///
    /// ```
    /// use canonical_finance::model::Entity;
    ///
    /// let mut doc = canonical_finance::json!({"id": "cus_1", "kind": "organization",
    ///     "status": "active", "display_name": "Ada",
    ///     "extensions": {"stripe": {"balance": 0}}});
    /// assert_eq!(Entity::Customer.check_shape(&mut doc), Ok(()));
    /// assert_eq!(doc["extensions"]["stripe"]["balance"], 0);
    ///
    /// let mut bad = canonical_finance::json!({"id": "cus_1", "kind": "organization",
    ///     "status": "active", "display_name": 7});
    /// let err = Entity::Customer.check_shape(&mut bad).unwrap_err();
    /// assert_eq!(err.pointer, "/display_name");
    /// ```
    ///
    /// # Errors
    ///
    /// [`ShapeError`] at the first place that is not of the entity's shape.
    pub fn check_shape(self, value: &mut Value) -> Result<(), ShapeError> {
        match self {
            Entity::Customer => read_shape::<Customer>(value).map(drop),
            Entity::Contract => read_shape::<Contract>(value).map(drop),
            Entity::Invoice => read_shape::<Invoice>(value).map(drop),
            Entity::Payment => read_shape::<Payment>(value).map(drop),
            Entity::JournalEntry => read_shape::<JournalEntry>(value).map(drop),
        }
    }
}

/// The typed record of `value`, read with its extensions set aside (the
/// record's own are empty); `value` is as it was afterwards.
pub(crate) fn read_shape<T: DeserializeOwned>(value: &mut Value) -> Result<T, ShapeError> {
    let aside = set_aside(value);
    let read = read::<T>(value);
    aside.put_back(value);
    read
}

/// serde's read in place; only a failure pays for `serde_path_to_error`'s
/// tracking, to name the place.
pub(crate) fn read<T: DeserializeOwned>(value: &Value) -> Result<T, ShapeError> {
    T::deserialize(value).or_else(|_| {
        serde_path_to_error::deserialize::<_, T>(value).map_err(|e| ShapeError {
            pointer: crate::mapping::pointer::from_serde_path(e.path()),
            message: crate::voice::serde_message(&e.inner().to_string()),
        })
    })
}

/// Extensions taken out of a tree: the top level's, then each line's by
/// position.
pub(crate) struct Aside {
    top: Option<Map>,
    lines: Vec<Option<Map>>,
}

/// Takes out every `extensions` object whose names are all namespaces,
/// leaving an empty object; others stay for the read to report, with
/// serde's message at their place.
pub(crate) fn set_aside(value: &mut Value) -> Aside {
    let top = take(value);
    let lines = match value.get_mut("lines") {
        Some(Value::Array(lines)) => lines.iter_mut().map(take).collect(),
        _ => Vec::new(),
    };
    Aside { top, lines }
}

fn take(record: &mut Value) -> Option<Map> {
    match record.get_mut("extensions") {
        Some(Value::Object(ext)) if ext.keys().all(|k| Extensions::is_namespace(k)) => {
            Some(std::mem::take(ext))
        }
        _ => None,
    }
}

impl Aside {
    /// Puts the extensions back into the tree they were taken from.
    pub(crate) fn put_back(self, value: &mut Value) {
        self.each(value, |record, ext| {
            if let Some(Value::Object(place)) = record.get_mut("extensions") {
                *place = ext;
            }
        });
    }

    /// Puts the extensions into the typed record's serialization, where
    /// the lines are the read record's lines in order; non-empty ones are
    /// added as the last member of their object.
    pub(crate) fn put_into(self, out: &mut Value) {
        self.each(out, |record, ext| {
            if let (false, Value::Object(o)) = (ext.is_empty(), record) {
                o.insert("extensions", Value::Object(ext));
            }
        });
    }

    fn each(self, value: &mut Value, mut put: impl FnMut(&mut Value, Map)) {
        if let Some(Value::Array(lines)) = value.get_mut("lines") {
            for (line, ext) in lines.iter_mut().zip(self.lines) {
                if let Some(ext) = ext {
                    put(line, ext);
                }
            }
        }
        if let Some(ext) = self.top {
            put(value, ext);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn extensions_come_back_where_they_were_on_success_and_on_failure() {
        let text = include_str!("../../schemas/examples/invoice/eur_two_vat_rates_discount.json");
        let mut doc = crate::json::parse(text).unwrap_or_default();
        doc["extensions"] = crate::json!({"stripe": {"number": "X-1"}, "custom": {"po": 7}});
        doc["lines"][1]["extensions"] = crate::json!({"stripe": {"id": "il_1"}});
        let mut ok = doc.clone();
        assert_eq!(Entity::Invoice.check_shape(&mut ok), Ok(()));
        assert_eq!(ok, doc);
        let mut bad = doc.clone();
        bad["lines"][1]["description"] = crate::json!(5);
        let err = Entity::Invoice.check_shape(&mut bad);
        assert_eq!(err.map_err(|e| e.pointer).err().as_deref(), Some("/lines/1/description"));
        bad["lines"][1]["description"] = doc["lines"][1]["description"].clone();
        assert_eq!(bad, doc);
    }

    #[test]
    fn a_bad_namespace_is_reported_where_it_is() {
        let mut doc = crate::json!({"id": "cus_1", "display_name": "Ada",
            "extensions": {"Stripe": {}}});
        let err = Entity::Customer.check_shape(&mut doc).err();
        assert_eq!(err.as_ref().map(|e| e.pointer.as_str()), Some("/extensions"));
        assert!(err.is_some_and(|e| e.message.contains("invalid extension namespace `Stripe`")));
    }
}
