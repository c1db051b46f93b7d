//! The [`Registry`]: built-in and user mappers, looked up by vendor and
//! object or by entity.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use crate::json::Value;
use serde::de::DeserializeOwned;

use super::engine::DeclarativeMapper;
use super::spec::MappingSpec;
use super::transforms::Transform;
use super::{Mapped, Mapper, MappingError};
use crate::model::{Contract, Customer, Entity, Invoice, JournalEntry, Payment};

/// A canonical entity type, for typed mapping calls.
pub trait CanonicalEntity: DeserializeOwned + serde::Serialize {
    /// Which entity this is.
    const ENTITY: Entity;
}

impl CanonicalEntity for Customer {
    const ENTITY: Entity = Entity::Customer;
}
impl CanonicalEntity for Contract {
    const ENTITY: Entity = Entity::Contract;
}
impl CanonicalEntity for Invoice {
    const ENTITY: Entity = Entity::Invoice;
}
impl CanonicalEntity for Payment {
    const ENTITY: Entity = Entity::Payment;
}
impl CanonicalEntity for JournalEntry {
    const ENTITY: Entity = Entity::JournalEntry;
}

/// Mappers by vendor and object, plus the named transforms mapping files
/// may use.
///
/// ```
/// use canonical_finance::mapping::Registry;
/// use canonical_finance::model::Customer;
/// use canonical_finance::json;
///
/// let registry = Registry::builtin()?;
/// let stripe = json!({"id": "cus_Q1", "object": "customer", "name": "Acme GmbH",
///                     "email": "billing@acme.example", "created": 1764028800,
///                     "livemode": false, "metadata": {}});
/// let mapped = registry.to_canonical_as::<Customer>("stripe", "customer", &stripe)?;
/// assert_eq!(mapped.value.display_name, "Acme GmbH");
/// let back = registry.get("stripe", "customer")?.to_vendor(&json::to_value(&mapped.value)?)?;
/// assert_eq!(back.value, stripe);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Default)]
pub struct Registry {
    mappers: Vec<Arc<dyn Mapper>>,
    transforms: HashMap<String, Arc<dyn Transform>>,
    /// The mapping file each `vendor/object` was loaded from
    /// ([`Registry::load_str`], [`Registry::load_dir`]).
    files: HashMap<String, String>,
    /// The `vendor/object`s of the built-in mappers.
    builtin: HashSet<String>,
}

impl std::fmt::Debug for Registry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Registry").field("mappers", &self.names()).finish_non_exhaustive()
    }
}

impl Registry {
    /// An empty registry.
    pub fn new() -> Registry {
        Registry::default()
    }

    /// A registry with every built-in mapper (the mapping files embedded at
    /// compile time and the vendors' Rust glue).
    ///
    /// # Errors
    ///
    /// Only if a built-in mapping file is broken (a test prevents that).
    pub fn builtin() -> Result<Registry, MappingError> {
        let mut registry = Registry::new();
        crate::vendors::register_all(&mut registry)?;
        registry.builtin = registry.names().into_iter().collect();
        Ok(registry)
    }

    /// Adds a mapper: a custom one, or one compiled from a mapping file.
    ///
    /// # Errors
    ///
    /// [`MappingError::Duplicate`] when the vendor and object are taken.
    pub fn register(&mut self, mapper: Arc<dyn Mapper>) -> Result<(), MappingError> {
        if self
            .mappers
            .iter()
            .any(|m| m.vendor() == mapper.vendor() && m.object() == mapper.object())
        {
            return Err(MappingError::Duplicate {
                vendor: mapper.vendor().to_owned(),
                object: mapper.object().to_owned(),
            });
        }
        self.mappers.push(mapper);
        Ok(())
    }

    /// Adds a named transform that mapping files loaded afterwards may use.
    pub fn register_transform(&mut self, name: impl Into<String>, transform: Arc<dyn Transform>) {
        self.transforms.insert(name.into(), transform);
    }

    /// Compiles a mapping file's text and registers it. `file` names it in
    /// errors. A leading UTF-8 byte order mark is skipped.
    ///
    /// # Errors
    ///
    /// [`MappingError::InvalidSpec`] naming the file, the JSON Pointer of the
    /// problem in it and the problem; also when another mapper has the
    /// vendor and object already, naming the file it came from or saying
    /// it is built in.
    pub fn load_str(&mut self, file: &str, text: &str) -> Result<(), MappingError> {
        let invalid = |pointer: String, message: String| MappingError::InvalidSpec {
            file: file.to_owned(),
            pointer,
            message,
        };
        // Editors on Windows may start a UTF-8 file with a byte order mark.
        let text = text.strip_prefix('\u{feff}').unwrap_or(text);
        // Serde would read a struct from an array too: the file and its
        // rules must be objects.
        let tree: Value = serde_json::from_str(text)
            .map_err(|e| invalid(String::new(), crate::voice::syntax_message(&e, text)))?;
        if let Some((pointer, message)) = not_an_object(&tree) {
            return Err(invalid(pointer, message));
        }
        let mut de = serde_json::Deserializer::from_str(text);
        let spec: MappingSpec =
            serde_path_to_error::deserialize(&mut de).map_err(|e| MappingError::InvalidSpec {
                file: file.to_owned(),
                pointer: super::pointer::from_serde_path(e.path()),
                message: crate::voice::serde_message(&e.inner().to_string()),
            })?;
        let mapper = DeclarativeMapper::compile(&spec, file, &self.transforms)?;
        let key = format!("{}/{}", spec.vendor, spec.object);
        if self.get(&spec.vendor, &spec.object).is_ok() {
            let by = match self.files.get(&key) {
                Some(first) => format!("by {first}"),
                None if self.builtin.contains(&key) => {
                    "by a built-in mapper (the built-in mappers are always loaded)".to_owned()
                }
                None => "by a mapper registered in code".to_owned(),
            };
            return Err(MappingError::InvalidSpec {
                file: file.to_owned(),
                pointer: "/object".to_owned(),
                message: format!(
                    "a mapper for {} {} is already registered, {by}",
                    spec.vendor, spec.object
                ),
            });
        }
        self.register(Arc::new(mapper))?;
        self.files.insert(key, file.to_owned());
        Ok(())
    }

    /// Loads every `*.json` mapping file under `dir` (and its vendor
    /// sub-folders), in path order. Returns the files loaded.
    ///
    /// # Errors
    ///
    /// The first file that fails, by name; files before it stay loaded.
    pub fn load_dir(&mut self, dir: &Path) -> Result<Vec<PathBuf>, MappingError> {
        let mut files = Vec::new();
        collect_json(dir, &mut files).map_err(|e| MappingError::InvalidSpec {
            file: dir.display().to_string(),
            pointer: String::new(),
            message: e.to_string(),
        })?;
        files.sort();
        for file in &files {
            let name = file.display().to_string();
            let text = std::fs::read_to_string(file).map_err(|e| MappingError::InvalidSpec {
                file: name.clone(),
                pointer: String::new(),
                message: e.to_string(),
            })?;
            self.load_str(&name, &text)?;
        }
        Ok(files)
    }

    /// The mapper for `vendor`'s `object`.
    ///
    /// # Errors
    ///
    /// [`MappingError::UnknownMapper`] listing what exists.
    pub fn get(&self, vendor: &str, object: &str) -> Result<&dyn Mapper, MappingError> {
        self.mappers
            .iter()
            .find(|m| m.vendor() == vendor && m.object() == object)
            .map(|m| m.as_ref())
            .ok_or_else(|| MappingError::UnknownMapper {
                vendor: vendor.to_owned(),
                object: object.to_owned(),
                available: self.names(),
            })
    }

    /// Every mapper of `vendor` that produces `entity`, in registration
    /// order (Stripe has several objects for Payment).
    ///
    /// # Errors
    ///
    /// [`MappingError::UnknownEntity`] when there is none.
    pub fn for_entity(
        &self,
        vendor: &str,
        entity: Entity,
    ) -> Result<Vec<&dyn Mapper>, MappingError> {
        let found: Vec<&dyn Mapper> = self
            .mappers
            .iter()
            .filter(|m| m.vendor() == vendor && m.entity() == entity)
            .map(|m| m.as_ref())
            .collect();
        if found.is_empty() {
            return Err(MappingError::UnknownEntity {
                vendor: vendor.to_owned(),
                entity,
                available: self
                    .mappers
                    .iter()
                    .map(|m| format!("{}/{} → {}", m.vendor(), m.object(), m.entity()))
                    .collect(),
            });
        }
        Ok(found)
    }

    /// Every mapper, in registration order.
    pub fn mappers(&self) -> impl Iterator<Item = &dyn Mapper> {
        self.mappers.iter().map(|m| m.as_ref())
    }

    /// `vendor/object` for every mapper.
    pub fn names(&self) -> Vec<String> {
        self.mappers.iter().map(|m| format!("{}/{}", m.vendor(), m.object())).collect()
    }

    /// Maps a vendor payload to a typed canonical entity.
    ///
    /// # Errors
    ///
    /// Lookup errors, the mapper's errors, and
    /// [`MappingError::InvalidCanonical`] when the mapper produces another
    /// entity than `T`.
    pub fn to_canonical_as<T: CanonicalEntity>(
        &self,
        vendor: &str,
        object: &str,
        payload: &Value,
    ) -> Result<Mapped<T>, MappingError> {
        let mapper = self.get(vendor, object)?;
        typed(mapper, mapper.to_canonical(payload)?)
    }

    /// [`to_canonical_as`](Registry::to_canonical_as) of the payload's JSON
    /// text, as a webhook delivers it: numbers read from their text.
    ///
    /// # Errors
    ///
    /// As [`to_canonical_as`](Registry::to_canonical_as), and
    /// [`MappingError::InvalidInput`] at `""` for text that is not JSON.
    pub fn to_canonical_str_as<T: CanonicalEntity>(
        &self,
        vendor: &str,
        object: &str,
        payload: &str,
    ) -> Result<Mapped<T>, MappingError> {
        let mapper = self.get(vendor, object)?;
        typed(mapper, mapper.to_canonical_str(payload)?)
    }

    /// [`to_canonical_str_as`](Registry::to_canonical_str_as) of the
    /// payload's bytes (a request body as received).
    ///
    /// ```
    /// use canonical_finance::model::Customer;
    ///
    /// let registry = canonical_finance::mapping::Registry::builtin()?;
    /// let body: &[u8] = br#"{"id": "cus_1", "object": "customer", "name": "Ada Ltd", "created": 1700000000}"#;
    /// let customer = registry.to_canonical_bytes_as::<Customer>("stripe", "customer", body)?;
    /// assert_eq!(customer.value.display_name, "Ada Ltd");
    /// assert!(registry.to_canonical_bytes_as::<Customer>("stripe", "customer", b"{\xff}").is_err());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    ///
    /// As [`to_canonical_str_as`](Registry::to_canonical_str_as), and
    /// [`MappingError::InvalidInput`] at `""` for bytes that are not UTF-8.
    pub fn to_canonical_bytes_as<T: CanonicalEntity>(
        &self,
        vendor: &str,
        object: &str,
        payload: &[u8],
    ) -> Result<Mapped<T>, MappingError> {
        let mapper = self.get(vendor, object)?;
        typed(mapper, mapper.to_canonical_bytes(payload)?)
    }
}

/// The typed entity of a mapper's result.
fn typed<T: CanonicalEntity>(
    mapper: &dyn Mapper,
    mapped: Mapped<Value>,
) -> Result<Mapped<T>, MappingError> {
    let invalid = |pointer: String, message: String| MappingError::InvalidCanonical {
        vendor: mapper.vendor().to_owned(),
        object: mapper.object().to_owned(),
        entity: T::ENTITY,
        pointer,
        message,
    };
    if mapper.entity() != T::ENTITY {
        return Err(invalid(
            String::new(),
            format!("the mapper produces {}, not {}", mapper.entity(), T::ENTITY),
        ));
    }
    let value: T = serde_path_to_error::deserialize(&mapped.value).map_err(|e| {
        let message = crate::voice::serde_message(&e.inner().to_string());
        invalid(super::pointer::from_serde_path(e.path()), message)
    })?;
    Ok(Mapped::new(value, mapped.losses))
}

/// What a JSON value is, for messages.
fn kind_of(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// The first place in a mapping file's tree where an object belongs but
/// something else is: the file itself, a rule (also inside `each`), a
/// rule's `money`.
fn not_an_object(tree: &Value) -> Option<(String, String)> {
    fn rules(list: &Value, base: &str) -> Option<(String, String)> {
        let Value::Array(list) = list else { return None };
        for (i, rule) in list.iter().enumerate() {
            let at = super::pointer::join(base, i);
            let Value::Object(fields) = rule else {
                return Some((
                    at,
                    format!(
                        "expected a rule object ({{\"vendor\": …, \"canonical\": …}}), but found {}",
                        kind_of(rule)
                    ),
                ));
            };
            if let Some(money) = fields.get("money")
                && !(money.is_object() || money.is_null())
            {
                return Some((
                    super::pointer::join(&at, "money"),
                    format!("expected an object with `currency`, but found {}", kind_of(money)),
                ));
            }
            if let Some(found) = fields.get("each").and_then(|e| rules(e, &format!("{at}/each"))) {
                return Some(found);
            }
        }
        None
    }
    match tree {
        Value::Object(fields) => fields.get("rules").and_then(|r| rules(r, "/rules")),
        other => Some((
            String::new(),
            format!(
                "expected a mapping file object ({{\"vendor\": …, \"object\": …, \"entity\": …, \"rules\": […]}}), but found {}",
                kind_of(other)
            ),
        )),
    }
}

fn collect_json(dir: &Path, out: &mut Vec<PathBuf>) -> std::io::Result<()> {
    for entry in std::fs::read_dir(dir)? {
        let path = entry?.path();
        if path.is_dir() {
            collect_json(&path, out)?;
        } else if path.extension().is_some_and(|e| e == "json") {
            out.push(path);
        }
    }
    Ok(())
}
