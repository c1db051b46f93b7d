//! The published JSON Schemas: one self-contained JSON Schema 2020-12 file
//! per canonical entity, generated from the Rust types.
//!
//! The files in `schemas/` are produced by [`write_all`] and checked in.
//! Regenerate them with:
//!
//! ```sh
//! cargo run --example regenerate
//! ```
//!
//! A test fails when a checked-in file differs from what the types produce.
//!
//! Each schema describes what the deserializer accepts (the "read"
//! contract): amounts may be decimal strings or JSON numbers; the crate
//! always writes strings. Formats are limited to the standard `date` and
//! `date-time`, each backed by a `pattern` that says exactly what the crate
//! reads (see [`crate::time`]): validators that ignore formats still reject
//! `2026-02-30` or `0000-01-01`, and every validator rejects what RFC 3339
//! allows but the crate refuses (`t`, `z`, a leap second, more than 9
//! fraction digits).

use std::fs;
use std::io;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

use schemars::generate::SchemaSettings;
use schemars::transform::{Transform, transform_subschemas};
use schemars::{JsonSchema, Schema};
use serde_json::Value;

pub use crate::model::Entity;
use crate::model::{Contract, Customer, Invoice, JournalEntry, Payment};

/// The base of every published schema's `$id`.
pub const ID_BASE: &str = "https://canonical-finance.dev/schemas/v1/";

pub use crate::time::{DATE_PATTERN, DATE_TIME_EDGE_PATTERN, DATE_TIME_PATTERN};

impl Entity {
    /// The schema's file name, such as `invoice.schema.json`.
    pub fn file_name(self) -> String {
        format!("{}.schema.json", self.name())
    }

    /// The schema's `$id`.
    pub fn schema_id(self) -> String {
        format!("{ID_BASE}{}", self.file_name())
    }

    /// The schema, without examples.
    pub fn schema(self) -> Schema {
        match self {
            Entity::Customer => generate::<Customer>(self),
            Entity::Contract => generate::<Contract>(self),
            Entity::Invoice => generate::<Invoice>(self),
            Entity::Payment => generate::<Payment>(self),
            Entity::JournalEntry => generate::<JournalEntry>(self),
        }
    }
}

fn generate<T: JsonSchema>(entity: Entity) -> Schema {
    let mut schema = SchemaSettings::draft2020_12()
        .for_deserialize()
        .with_transform(PortableFormats)
        .with_transform(PlainDescriptions)
        .into_generator()
        .into_root_schema_for::<T>();
    schema.insert("$id".into(), Value::String(entity.schema_id()));
    schema
}

/// The entity's schema as JSON, generated once per process (the mapping
/// loader checks every canonical pointer against it).
pub(crate) fn entity_schema_value(entity: Entity) -> &'static Value {
    fn cached(cell: &'static OnceLock<Value>, entity: Entity) -> &'static Value {
        cell.get_or_init(|| entity.schema().to_value())
    }
    static CUSTOMER: OnceLock<Value> = OnceLock::new();
    static CONTRACT: OnceLock<Value> = OnceLock::new();
    static INVOICE: OnceLock<Value> = OnceLock::new();
    static PAYMENT: OnceLock<Value> = OnceLock::new();
    static JOURNAL_ENTRY: OnceLock<Value> = OnceLock::new();
    match entity {
        Entity::Customer => cached(&CUSTOMER, entity),
        Entity::Contract => cached(&CONTRACT, entity),
        Entity::Invoice => cached(&INVOICE, entity),
        Entity::Payment => cached(&PAYMENT, entity),
        Entity::JournalEntry => cached(&JOURNAL_ENTRY, entity),
    }
}

/// The schema that accepts anything (`true`).
static ANY: Value = Value::Bool(true);

/// How deep `$ref`s and `anyOf` / `oneOf` / `allOf` branches are followed
/// within one place (the generated schemas nest two or three levels).
const MAX_BRANCH_DEPTH: u8 = 16;

/// A place in an entity's records as its schema describes it: the branches
/// (`$ref`s resolved, `anyOf` / `oneOf` / `allOf` unfolded) that may hold
/// the value there. No branch: the schema has no such place.
///
/// `allOf` is read as loosely as `anyOf` (a place any branch has is
/// accepted); the generated entity schemas do not use it.
#[derive(Debug, Clone)]
pub(crate) struct SchemaPlace<'s> {
    root: &'s Value,
    branches: Vec<&'s Value>,
}

impl<'s> SchemaPlace<'s> {
    /// The whole record of the schema `root`.
    pub(crate) fn root(root: &'s Value) -> SchemaPlace<'s> {
        let mut branches = Vec::new();
        unfold(root, root, 0, &mut branches);
        SchemaPlace { root, branches }
    }

    /// True when the schema has no such place.
    pub(crate) fn is_empty(&self) -> bool {
        self.branches.is_empty()
    }

    /// The place one reference token further: a member of an object, or,
    /// for an array index (or `-`), an element of an array.
    pub(crate) fn child(&self, token: &str) -> SchemaPlace<'s> {
        let is_index = token == "-"
            || (!token.is_empty()
                && token.bytes().all(|b| b.is_ascii_digit())
                && (token == "0" || !token.starts_with('0')));
        let mut branches = Vec::new();
        for branch in &self.branches {
            let Some(object) = branch.as_object() else {
                // `true`: anything, at any depth.
                branches.push(*branch);
                continue;
            };
            let types = types(branch);
            let structural = ["properties", "additionalProperties", "items"]
                .iter()
                .any(|k| object.contains_key(*k));
            if types.is_none() && !structural && !object.contains_key("enum") {
                // No constraint at all (`{}`).
                branches.push(*branch);
                continue;
            }
            let takes = |t: &str| types.as_ref().is_none_or(|ts| ts.contains(&t));
            if takes("object") {
                match object.get("properties").and_then(|p| p.get(token)) {
                    Some(member) => unfold(self.root, member, 0, &mut branches),
                    None => match object.get("additionalProperties") {
                        None | Some(Value::Bool(true)) => branches.push(&ANY),
                        Some(Value::Bool(false)) => {}
                        Some(other) => unfold(self.root, other, 0, &mut branches),
                    },
                }
            }
            if is_index && takes("array") {
                match object.get("items") {
                    None => branches.push(&ANY),
                    Some(items) => unfold(self.root, items, 0, &mut branches),
                }
            }
        }
        SchemaPlace { root: self.root, branches }
    }

    /// The default the schema gives the member `token` of the place
    /// (`"side": {"$ref": ..., "default": "sales"}`), if a branch gives one.
    pub(crate) fn member_default(&self, token: &str) -> Option<&'s Value> {
        self.branches.iter().find_map(|b| {
            b.get("properties").and_then(|p| p.get(token)).and_then(|m| m.get("default"))
        })
    }

    /// The member names the place's object branches list, sorted.
    pub(crate) fn fields(&self) -> Vec<&'s str> {
        let mut names: Vec<&str> = self
            .branches
            .iter()
            .filter_map(|b| b.get("properties").and_then(Value::as_object))
            .flat_map(|p| p.keys().map(String::as_str))
            .collect();
        names.sort_unstable();
        names.dedup();
        names
    }

    /// The strings the place may hold: `None` for any string, else the
    /// values of its `enum` / `const` branches (empty when it holds no
    /// string at all).
    pub(crate) fn strings(&self) -> Option<Vec<&'s str>> {
        let mut values: Vec<&str> = Vec::new();
        for branch in &self.branches {
            let object = branch.as_object()?;
            if let Some(c) = object.get("const") {
                values.extend(c.as_str());
            } else if let Some(Value::Array(list)) = object.get("enum") {
                values.extend(list.iter().filter_map(Value::as_str));
            } else if types(branch).is_none_or(|ts| ts.contains(&"string")) {
                return None;
            }
        }
        values.sort_unstable();
        values.dedup();
        Some(values)
    }
}

/// The `type` keyword's types; `None` when there is none.
fn types(schema: &Value) -> Option<Vec<&str>> {
    match schema.get("type")? {
        Value::String(t) => Some(vec![t.as_str()]),
        Value::Array(ts) => Some(ts.iter().filter_map(Value::as_str).collect()),
        _ => None,
    }
}

/// Pushes the branches of `schema`: itself when it says something of its
/// own, and what its `$ref` and `anyOf` / `oneOf` / `allOf` lead to.
fn unfold<'s>(root: &'s Value, schema: &'s Value, depth: u8, out: &mut Vec<&'s Value>) {
    let Some(object) = schema.as_object() else {
        if schema.as_bool() == Some(true) {
            out.push(schema);
        }
        return;
    };
    let Some(deeper) = depth.checked_add(1).filter(|d| *d <= MAX_BRANCH_DEPTH) else {
        // A cycle of references: accept rather than loop.
        out.push(&ANY);
        return;
    };
    let mut combined = false;
    if let Some(target) = object
        .get("$ref")
        .and_then(Value::as_str)
        .and_then(|r| r.strip_prefix("#/$defs/"))
        .and_then(|name| root.get("$defs").and_then(|d| d.get(name)))
    {
        combined = true;
        unfold(root, target, deeper, out);
    }
    for key in ["anyOf", "oneOf", "allOf"] {
        if let Some(Value::Array(list)) = object.get(key) {
            combined = true;
            for branch in list {
                unfold(root, branch, deeper, out);
            }
        }
    }
    let own = ["type", "properties", "additionalProperties", "items", "enum", "const"]
        .iter()
        .any(|k| object.contains_key(*k));
    if own || !combined {
        out.push(schema);
    }
}

/// The path of the mapping-file format's schema, relative to `schemas/`.
pub const MAPPING_SCHEMA_FILE: &str = "mapping/mapping-file.schema.json";

/// The JSON Schema of the declarative mapping file format
/// ([`MappingSpec`](crate::mapping::MappingSpec)), for editor completion in
/// `mappings/<vendor>/*.json`.
pub fn mapping_schema() -> Schema {
    let mut schema = SchemaSettings::draft2020_12()
        .for_deserialize()
        .with_transform(PortableFormats)
        .with_transform(PlainDescriptions)
        .into_generator()
        .into_root_schema_for::<crate::mapping::MappingSpec>();
    schema.insert("$id".into(), Value::String(format!("{ID_BASE}{MAPPING_SCHEMA_FILE}")));
    schema
}

/// The mapping-file schema as the checked-in bytes.
///
/// # Errors
///
/// Serialization failed (it does not).
pub fn render_mapping_schema() -> io::Result<String> {
    let mut text = serde_json::to_string_pretty(&mapping_schema()).map_err(io::Error::other)?;
    text.push('\n');
    Ok(text)
}

/// Drops non-standard `format` values (`uint32`, `int64`, `double`, ...)
/// that strict validators such as ajv reject, and backs `date` and
/// `date-time` with patterns.
#[derive(Debug, Clone)]
struct PortableFormats;

impl Transform for PortableFormats {
    fn transform(&mut self, schema: &mut Schema) {
        if let Some(object) = schema.as_object_mut() {
            match object.get("format").and_then(Value::as_str) {
                Some("date") => {
                    object.insert("pattern".into(), DATE_PATTERN.into());
                }
                Some("date-time") => {
                    object.insert("pattern".into(), DATE_TIME_PATTERN.into());
                    object.insert(
                        "not".into(),
                        serde_json::json!({"type": "string", "pattern": DATE_TIME_EDGE_PATTERN}),
                    );
                }
                Some(_) => {
                    object.remove("format");
                }
                None => {}
            }
        }
        transform_subschemas(self, schema);
    }
}

/// Turns rustdoc comments into plain descriptions: keeps the text before
/// the first `# Heading`, drops code blocks, turns intra-doc links into
/// their text, and joins the lines of each paragraph.
#[derive(Debug, Clone)]
struct PlainDescriptions;

impl Transform for PlainDescriptions {
    fn transform(&mut self, schema: &mut Schema) {
        if let Some(Value::String(description)) = schema.get_mut("description") {
            *description = plain_description(description);
        }
        transform_subschemas(self, schema);
    }
}

fn plain_description(doc: &str) -> String {
    let mut paragraphs: Vec<String> = Vec::new();
    let mut current = String::new();
    let mut in_code = false;
    for line in doc.lines() {
        let trimmed = line.trim();
        if trimmed.starts_with("```") {
            in_code = !in_code;
            continue;
        }
        if in_code {
            continue;
        }
        if trimmed.starts_with("# ") {
            break;
        }
        if trimmed.is_empty() {
            if !current.is_empty() {
                paragraphs.push(std::mem::take(&mut current));
            }
            continue;
        }
        if !current.is_empty() {
            current.push(' ');
        }
        current.push_str(trimmed);
    }
    if !current.is_empty() {
        paragraphs.push(current);
    }
    strip_doc_links(&paragraphs.join("\n\n"))
}

/// `[`Money`](crate::money::Money)` becomes `` `Money` ``; web links stay.
fn strip_doc_links(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find('[') {
        let (before, from_open) = rest.split_at(open);
        out.push_str(before);
        let link = from_open.find("](").and_then(|mid| {
            let after_mid = from_open.get(mid.saturating_add(2)..)?;
            let close = after_mid.find(')')?;
            let target = after_mid.get(..close)?;
            let label = from_open.get(1..mid)?;
            let consumed = mid.saturating_add(2).saturating_add(close).saturating_add(1);
            (!target.contains("://") && !label.contains('[')).then_some((label, consumed))
        });
        match link {
            Some((label, consumed)) => {
                out.push_str(label);
                rest = from_open.get(consumed..).unwrap_or("");
            }
            None => {
                out.push('[');
                rest = from_open.get(1..).unwrap_or("");
            }
        }
    }
    out.push_str(rest);
    out
}

/// The example documents for `entity` in `examples_dir/<entity>/*.json`,
/// sorted by file name.
///
/// # Errors
///
/// An I/O error naming the file, or invalid JSON.
pub fn read_examples(examples_dir: &Path, entity: Entity) -> io::Result<Vec<(PathBuf, Value)>> {
    let dir = examples_dir.join(entity.name());
    let mut paths: Vec<PathBuf> = match fs::read_dir(&dir) {
        Ok(entries) => entries
            .filter_map(|e| e.ok().map(|e| e.path()))
            .filter(|p| p.extension().is_some_and(|x| x == "json"))
            .collect(),
        Err(e) if e.kind() == io::ErrorKind::NotFound => Vec::new(),
        Err(e) => return Err(io::Error::new(e.kind(), format!("{}: {e}", dir.display()))),
    };
    paths.sort();
    paths
        .into_iter()
        .map(|path| {
            let text = fs::read_to_string(&path)
                .map_err(|e| io::Error::new(e.kind(), format!("{}: {e}", path.display())))?;
            let value = serde_json::from_str(&text).map_err(|e| {
                io::Error::new(io::ErrorKind::InvalidData, format!("{}: {e}", path.display()))
            })?;
            Ok((path, value))
        })
        .collect()
}

/// The published schema for `entity` with the example documents embedded
/// as `examples`, pretty-printed with a final newline: exactly the bytes of
/// the checked-in file.
///
/// # Errors
///
/// Reading the examples failed.
pub fn render(entity: Entity, examples_dir: &Path) -> io::Result<String> {
    let mut schema = entity.schema();
    let examples: Vec<Value> =
        read_examples(examples_dir, entity)?.into_iter().map(|(_, v)| v).collect();
    if !examples.is_empty() {
        schema.insert("examples".into(), Value::Array(examples));
    }
    Ok(schema_text(&schema))
}

/// A schema as the files hold it: pretty JSON, and the decimal range's
/// bounds exact. schemars holds a schema as a `serde_json::Value`, which
/// (without serde_json's global `arbitrary_precision` feature) holds
/// ±9999999999999999999999999999 only as the nearest `f64`, 1e28, one past
/// the largest amount in JSON; the text gets the exact bound back.
pub fn schema_text(schema: &impl serde::Serialize) -> String {
    let mut text = serde_json::to_string_pretty(schema).unwrap_or_default();
    for (nearest, exact) in [
        (": 1e28", format!(": {}", crate::money::MAX_JSON_MAGNITUDE)),
        (": -1e28", format!(": -{}", crate::money::MAX_JSON_MAGNITUDE)),
    ] {
        text = text.replace(nearest, &exact);
    }
    text.push('\n');
    text
}

/// Writes every entity's schema into `dir` (`dir/<entity>.schema.json`),
/// embedding the examples from `dir/examples/`, and the mapping-file schema
/// (`dir/mapping/mapping-file.schema.json`). Returns the paths written.
///
/// # Errors
///
/// An I/O error naming the file.
pub fn write_all(dir: &Path) -> io::Result<Vec<PathBuf>> {
    fs::create_dir_all(dir)
        .map_err(|e| io::Error::new(e.kind(), format!("{}: {e}", dir.display())))?;
    let examples = dir.join("examples");
    let mut written = Entity::ALL
        .into_iter()
        .map(|entity| {
            let path = dir.join(entity.file_name());
            let text = render(entity, &examples)?;
            fs::write(&path, text)
                .map_err(|e| io::Error::new(e.kind(), format!("{}: {e}", path.display())))?;
            Ok(path)
        })
        .collect::<io::Result<Vec<PathBuf>>>()?;
    let path = dir.join(MAPPING_SCHEMA_FILE);
    if let Some(parent) = path.parent() {
        fs::create_dir_all(parent)
            .map_err(|e| io::Error::new(e.kind(), format!("{}: {e}", parent.display())))?;
    }
    fs::write(&path, render_mapping_schema()?)
        .map_err(|e| io::Error::new(e.kind(), format!("{}: {e}", path.display())))?;
    written.push(path);
    Ok(written)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn descriptions_lose_code_headings_and_doc_links() {
        let doc = "A rate that converts [`Money`](crate::money::Money),\nsee [the ECB](https://ecb.europa.eu).\n\nSecond paragraph.\n\n```\nlet x = 1;\n```\n\n# Example\n\nignored";
        assert_eq!(
            plain_description(doc),
            "A rate that converts `Money`, see [the ECB](https://ecb.europa.eu).\n\nSecond paragraph."
        );
    }
}
