//! The check that a result is a valid canonical entity.

use super::*;

/// Deserializes into the entity type and back: the canonical form, or the
/// place where the record is not a valid entity.
pub(super) fn normalize(entity: Entity, value: Value) -> Result<Value, (String, String)> {
    pub(super) fn via<T: serde::de::DeserializeOwned + serde::Serialize>(
        value: Value,
    ) -> Result<Value, (String, String)> {
        // Extensions (the residue, often most of the tree) pass through
        // as they are: only their namespace names need checking, so they
        // are not copied into the typed record and back.
        let mut value = value;
        let extensions = value.as_object_mut().and_then(|o| o.remove("extensions"));
        if let Some(Value::Object(ext)) = &extensions
            && let Some(bad) = ext.keys().find(|k| !Extensions::is_namespace(k))
        {
            return Err((join("/extensions", bad), format!("invalid extension namespace `{bad}`")));
        }
        // The fast path reads the tree in place; only a failure pays for
        // serde_path_to_error's tracking, to name the place.
        let mut out = match T::deserialize(&value) {
            Ok(typed) => {
                crate::json::to_value(&typed).map_err(|e| (String::new(), e.to_string()))?
            }
            Err(_) => match serde_path_to_error::deserialize::<_, T>(&value) {
                Ok(typed) => {
                    crate::json::to_value(&typed).map_err(|e| (String::new(), e.to_string()))?
                }
                Err(e) => return Err((pointer::from_serde_path(e.path()), e.inner().to_string())),
            },
        };
        match (extensions, out.as_object_mut()) {
            (Some(Value::Object(ext)), Some(o)) if !ext.is_empty() => {
                o.insert("extensions", Value::Object(ext));
            }
            (Some(Value::Object(_)) | None, _) => {}
            (Some(other), _) => {
                return Err((
                    "/extensions".into(),
                    format!("expected an object of namespaces, but found {other}"),
                ));
            }
        }
        Ok(out)
    }
    match entity {
        Entity::Customer => via::<Customer>(value),
        Entity::Contract => via::<Contract>(value),
        Entity::Invoice => via::<Invoice>(value),
        Entity::Payment => via::<Payment>(value),
        Entity::JournalEntry => via::<JournalEntry>(value),
    }
}
