//! The published schemas: up to date, self-contained, and in agreement with
//! serde on every example and every invalid document.

use std::fs;
use std::path::{Path, PathBuf};

use canonical_finance::model::{Contract, Customer, Invoice, JournalEntry, Payment};
use canonical_finance::schema::{self, Entity};
use jsonschema::{Draft, Validator};
use proptest::prelude::*;
use serde_json::Value;

fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn validator(entity: Entity) -> Validator {
    let path = root().join("schemas").join(entity.file_name());
    let text = fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    let schema: Value = serde_json::from_str(&text).unwrap();
    jsonschema::meta::validate(&schema)
        .unwrap_or_else(|e| panic!("{} is not a valid schema: {e}", path.display()));
    jsonschema::options()
        .with_draft(Draft::Draft202012)
        .should_validate_formats(true)
        .build(&schema)
        .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Deserializes `doc` as `entity` and serializes it back.
fn serde_round_trip(entity: Entity, doc: &Value) -> Result<Value, serde_json::Error> {
    fn rt<T: serde::de::DeserializeOwned + serde::Serialize>(
        doc: &Value,
    ) -> Result<Value, serde_json::Error> {
        let typed: T = serde_json::from_value(doc.clone())?;
        serde_json::to_value(&typed)
    }
    match entity {
        Entity::Customer => rt::<Customer>(doc),
        Entity::Contract => rt::<Contract>(doc),
        Entity::Invoice => rt::<Invoice>(doc),
        Entity::Payment => rt::<Payment>(doc),
        Entity::JournalEntry => rt::<JournalEntry>(doc),
        other => panic!("no serde round trip for {other}"),
    }
}

fn documents(dir: &Path, entity: Entity) -> Vec<(PathBuf, Value)> {
    schema::read_examples(dir, entity).unwrap()
}

#[test]
fn checked_in_schemas_are_up_to_date() {
    let dir = root().join("schemas");
    for entity in Entity::ALL {
        let path = dir.join(entity.file_name());
        let expected = schema::render(entity, &dir.join("examples")).unwrap();
        let actual = fs::read_to_string(&path).unwrap_or_default();
        assert!(
            actual == expected,
            "{} is stale: regenerate it with `cargo run --example regenerate` and commit the result",
            path.display()
        );
    }
}

#[test]
fn the_mapping_file_schema_is_up_to_date() {
    let path = root().join("schemas").join(schema::MAPPING_SCHEMA_FILE);
    let actual = fs::read_to_string(&path).unwrap_or_default();
    assert!(
        actual == schema::render_mapping_schema().unwrap(),
        "{} is stale: regenerate it with `cargo run --example regenerate` and commit the result",
        path.display()
    );
}

#[test]
fn schemas_are_self_contained_2020_12_documents() {
    for entity in Entity::ALL {
        let schema = entity.schema();
        assert_eq!(
            schema.get("$schema"),
            Some(&Value::from("https://json-schema.org/draft/2020-12/schema"))
        );
        assert_eq!(schema.get("$id"), Some(&Value::from(entity.schema_id())));
        assert!(schema.get("title").is_some(), "{entity} has no title");
        assert!(schema.get("description").and_then(Value::as_str).is_some_and(|d| !d.is_empty()));
        let text = serde_json::to_string(&schema).unwrap();
        // Every reference points inside the file.
        for (i, _) in text.match_indices("\"$ref\":\"") {
            let rest = &text[i + 8..];
            assert!(
                rest.starts_with("#/$defs/"),
                "{entity} has an external $ref: {}",
                &rest[..40.min(rest.len())]
            );
        }
        // Only standard formats survive.
        for format in ["uint", "int32", "int64", "double", "float"] {
            assert!(
                !text.contains(&format!("\"format\":\"{format}")),
                "{entity} keeps format {format}"
            );
        }
    }
}

#[test]
fn every_entity_has_examples_that_pass_schema_and_serde() {
    let dir = root().join("schemas").join("examples");
    for entity in Entity::ALL {
        let validator = validator(entity);
        let docs = documents(&dir, entity);
        assert!(!docs.is_empty(), "no examples for {entity} in {}", dir.display());
        for (path, doc) in docs {
            let errors: Vec<String> = validator
                .iter_errors(&doc)
                .map(|e| format!("{} at {}", e, e.instance_path()))
                .collect();
            assert!(errors.is_empty(), "{} fails its schema: {errors:#?}", path.display());
            let back = serde_round_trip(entity, &doc)
                .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
            assert_eq!(back, doc, "{} does not round-trip through serde unchanged", path.display());
        }
    }
}

#[test]
fn invalid_documents_are_rejected_by_schema_and_serde() {
    let dir = root().join("tests/fixtures/schema/invalid");
    let mut seen = 0;
    for entity in Entity::ALL {
        let validator = validator(entity);
        for (path, doc) in documents(&dir, entity) {
            seen += 1;
            assert!(!validator.is_valid(&doc), "{} passes the schema", path.display());
            assert!(serde_round_trip(entity, &doc).is_err(), "{} deserializes", path.display());
        }
    }
    assert!(seen >= 20, "expected at least 20 invalid documents, found {seen}");
}

/// Every entity's rustdoc shows a JSON example; it must be a valid document.
#[test]
fn rustdoc_json_examples_are_valid_documents() {
    for (entity, file) in [
        (Entity::Customer, "customer.rs"),
        (Entity::Contract, "contract.rs"),
        (Entity::Invoice, "invoice.rs"),
        (Entity::Payment, "payment.rs"),
        (Entity::JournalEntry, "journal_entry.rs"),
    ] {
        let source = fs::read_to_string(root().join("src/model").join(file)).unwrap();
        let start =
            source.find("/// ```json\n").unwrap_or_else(|| panic!("{file} has no JSON example"))
                + 12;
        let end = start + source[start..].find("/// ```\n").unwrap();
        let json: String = source[start..end]
            .lines()
            .map(|l| l.trim_start().trim_start_matches("///"))
            .collect::<Vec<_>>()
            .join("\n");
        let doc: Value = serde_json::from_str(&json).unwrap_or_else(|e| panic!("{file}: {e}"));
        assert!(
            validator(entity).is_valid(&doc),
            "{file}: the rustdoc JSON example fails the schema"
        );
        let back = serde_round_trip(entity, &doc).unwrap_or_else(|e| panic!("{file}: {e}"));
        assert_eq!(back, doc, "{file}: the rustdoc JSON example does not round-trip");
    }
}

fn money_validator() -> Validator {
    let schema = schemars::SchemaGenerator::new(schemars::generate::SchemaSettings::draft2020_12())
        .into_root_schema_for::<canonical_finance::Money>();
    jsonschema::options()
        .with_draft(Draft::Draft202012)
        .build(&serde_json::to_value(&schema).unwrap())
        .unwrap()
}

proptest! {
    /// Schema = deserializer for amount strings: the pattern accepts a
    /// string exactly when serde does, for values of at most 28 significant
    /// digits (the 96-bit limit beyond that is documented on `DecimalSchema`).
    #[test]
    fn amount_schema_agrees_with_serde_on_strings(amount in "[-+0-9.,eE ]{0,12}|-?[0-9]{1,18}(\\.[0-9]{0,10})?") {
        let doc = serde_json::json!({"amount": amount, "currency": "EUR"});
        let by_schema = money_validator().is_valid(&doc);
        let by_serde = serde_json::from_value::<canonical_finance::Money>(doc).is_ok();
        prop_assert_eq!(by_schema, by_serde, "amount {:?}", amount);
    }

    /// The same for JSON numbers, which both accept within range.
    #[test]
    fn amount_schema_agrees_with_serde_on_numbers(mantissa in any::<i64>(), exp in -12i32..12) {
        let text = format!("{{\"amount\": {mantissa}e{exp}, \"currency\": \"JPY\"}}");
        let doc: Value = serde_json::from_str(&text).unwrap();
        let by_schema = money_validator().is_valid(&doc);
        let by_serde = serde_json::from_str::<canonical_finance::Money>(&text).is_ok();
        prop_assert_eq!(by_schema, by_serde, "amount {}", text);
    }
}
