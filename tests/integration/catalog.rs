//! The rule catalogue: complete, unique, documented in a checked-in file.

use std::collections::HashSet;

use canonical_finance::validate::{Severity, catalog_markdown, rule, rules};

#[test]
fn docs_rules_md_is_up_to_date() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/docs/rules.md");
    let actual = std::fs::read_to_string(path).unwrap_or_default();
    assert!(
        actual == catalog_markdown(),
        "docs/rules.md is stale: regenerate it with `cargo run --example regenerate` and commit the result"
    );
}

#[test]
fn codes_are_unique_and_well_formed() {
    let mut seen = HashSet::new();
    for r in rules() {
        assert!(seen.insert(r.code), "duplicate rule code {}", r.code);
        assert!(
            r.code.chars().all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '-'),
            "rule code {} is not UPPER-KEBAB",
            r.code
        );
        assert!(
            !r.description.is_empty() && !r.description.ends_with('.'),
            "{}: {:?}",
            r.code,
            r.description
        );
        assert_eq!(rule(r.code), Some(r));
    }
    assert!(seen.len() >= 60, "expected a full catalogue, found {} rules", seen.len());
}

#[test]
fn en16931_rules_carry_their_identifier() {
    for r in rules().filter(|r| r.code.starts_with("BR-")) {
        let reference = r.en16931;
        assert!(reference.contains(&r.code), "{} does not cite itself: {reference:?}", r.code);
    }
    let warnings: Vec<&str> =
        rules().filter(|r| r.severity == Severity::Warning).map(|r| r.code).collect();
    assert!(warnings.contains(&"INV-DUE-BEFORE-ISSUE"), "{warnings:?}");
}

#[test]
fn the_catalogue_serializes_for_the_cli() {
    let json = serde_json::to_value(rules().collect::<Vec<_>>()).unwrap();
    let first = &json[0];
    for key in ["code", "entity", "severity", "description", "en16931"] {
        assert!(first.get(key).is_some(), "missing {key} in {first}");
    }
}

/// Every rule has at least one test that names its code: a new rule
/// without a test fails here.
#[test]
fn every_rule_is_exercised_by_a_test() {
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/integration");
    let mut sources = String::new();
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "rs") && !path.ends_with("catalog.rs") {
            sources.push_str(&std::fs::read_to_string(&path).unwrap());
        }
    }
    let untested: Vec<&str> =
        rules().map(|r| r.code).filter(|c| !sources.contains(&format!("\"{c}\""))).collect();
    assert!(untested.is_empty(), "rules without a test naming their code: {untested:?}");
}

#[test]
fn the_fidelity_section_of_the_mappings_readme_is_up_to_date() {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/mappings/README.md");
    let text = std::fs::read_to_string(path).unwrap();
    let registry = canonical_finance::mapping::Registry::builtin().unwrap();
    let all: Vec<_> = registry.mappers().filter_map(|m| m.fidelity()).collect();
    assert_eq!(all.len(), registry.mappers().count(), "every built-in mapper has a fidelity");
    let expected = canonical_finance::mapping::fidelity::with_readme_section(&text, &all).unwrap();
    assert!(
        text == expected,
        "the fidelity section of mappings/README.md is stale: regenerate it with `cargo run --example regenerate` and commit the result"
    );
}
