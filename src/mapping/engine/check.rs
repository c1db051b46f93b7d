//! The check that a result is a valid canonical entity.

use super::*;

/// Reads the record as its entity type: the canonical form (the tree
/// itself when it already is that form, else the typed record written
/// back), or the place where the record is not a valid entity.
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
        // The lines' extensions are set aside the same way; the read is
        // in place and pays for path tracking only on failure.
        let aside = crate::model::shape::set_aside(&mut value);
        let typed = crate::model::shape::read::<T>(&value).map_err(|e| (e.pointer, e.message))?;
        // The canonical form is what the typed record serializes to. A
        // result that already is that form, but for its members' order,
        // is put in order in place; only another is built again.
        let mut out = match crate::json::conform(&typed, &mut value) {
            Ok(()) => {
                #[cfg(debug_assertions)]
                debug_assert_eq!(
                    Some(crate::json::to_string(&value)),
                    crate::json::to_value(&typed).map(|v| crate::json::to_string(&v)).ok(),
                    "a tree that conforms is the record's serialized form"
                );
                value
            }
            Err(_) => crate::json::to_value(&typed).map_err(|e| (String::new(), e.to_string()))?,
        };
        aside.put_into(&mut out);
        match (extensions.map(Value::into_object), out.as_object_mut()) {
            (Some(Ok(ext)), Some(o)) if !ext.is_empty() => {
                o.insert("extensions", Value::Object(ext));
            }
            (Some(Ok(_)) | None, _) => {}
            (Some(Err(other)), _) => {
                return Err((
                    "/extensions".into(),
                    format!(
                        "expected an object of namespaces, but found {}",
                        crate::voice::found_json(&other)
                    ),
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
