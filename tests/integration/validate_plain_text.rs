//! `PLAIN-TEXT`: names, ids, numbers, references, codes and dimension values
//! hold no control characters and no bidirectional override characters;
//! free text and extensions may.

use canonical_finance::model::{Customer, CustomerId, CustomerKind, Entity};
use canonical_finance::validate::{Profile, Validate, validate_json};
use proptest::prelude::*;
use serde_json::Value;

use super::validate_fields::{assert_clean, assert_only, only_message};

fn example(entity: &str, file: &str) -> Value {
    let path = format!("{}/schemas/examples/{entity}/{file}", env!("CARGO_MANIFEST_DIR"));
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// The example with the text at `pointer` replaced, validated.
fn with_text(
    entity: Entity,
    mut doc: Value,
    pointer: &str,
    text: &str,
) -> canonical_finance::validate::ValidationReport {
    *doc.pointer_mut(pointer).unwrap_or_else(|| panic!("no {pointer}")) = Value::from(text);
    validate_json(entity, &doc.to_string(), Profile::Exact).unwrap()
}

#[test]
fn a_right_to_left_override_in_a_customer_name_is_a_violation_naming_the_code_point() {
    let c = Customer::new(
        CustomerId::new("cust_1").unwrap(),
        CustomerKind::Organization,
        "Acme \u{202E}HbmG",
    );
    let report = c.validate();
    assert_only(&report, "PLAIN-TEXT", "/display_name");
    assert_eq!(
        only_message(&report),
        "expected plain text, but found the bidirectional character U+202E RIGHT-TO-LEFT OVERRIDE at character 6"
    );
}

#[test]
fn a_line_feed_in_an_invoice_number_is_a_violation() {
    let doc = example("invoice", "eur_two_vat_rates_discount.json");
    let report = with_text(Entity::Invoice, doc, "/number", "RE-2026\n-00417");
    assert_only(&report, "PLAIN-TEXT", "/number");
    assert_eq!(
        only_message(&report),
        "expected plain text, but found the control character U+000A LINE FEED at character 8"
    );
}

#[test]
fn the_message_counts_further_characters_and_never_repeats_the_value() {
    let doc = example("customer", "organization.json");
    let report =
        with_text(Entity::Customer, doc, "/tax_ids/0/value", "DE\u{0}1234\u{0}5678\u{1B}9");
    // The VAT-ID rule also refuses the value (masked); PLAIN-TEXT says why.
    assert_eq!(report.codes(), vec!["VAT-ID", "PLAIN-TEXT"], "{report}");
    let plain = &report.violations()[1];
    assert_eq!(plain.path, "/tax_ids/0/value");
    let message = plain.message.clone();
    assert_eq!(
        message,
        "expected plain text, but found the control character U+0000 NULL at character 3 and 2 more such characters"
    );
    assert!(!message.contains("1234"), "{message}");
}

#[test]
fn ids_in_references_lines_and_external_refs_are_checked_where_they_sit() {
    let cases = [
        (
            Entity::Payment,
            "payment",
            "partial_payment_two_invoices.json",
            "/applications/1/target/id",
        ),
        (
            Entity::JournalEntry,
            "journal_entry",
            "eur_invoice_posting.json",
            "/source_document/external_refs/0/id",
        ),
        (
            Entity::JournalEntry,
            "journal_entry",
            "eur_invoice_posting.json",
            "/lines/0/account_name",
        ),
        (Entity::Contract, "contract", "subscription.json", "/customer/id"),
    ];
    for (entity, dir, file, pointer) in cases {
        let report = with_text(entity, example(dir, file), pointer, "a\u{2066}b");
        assert_only(&report, "PLAIN-TEXT", pointer);
    }
}

#[test]
fn dimension_values_are_checked() {
    let mut doc = example("journal_entry", "eur_invoice_posting.json");
    doc["lines"][0]["dimensions"] = serde_json::json!({ "department": "Sales\tEMEA" });
    let report = validate_json(Entity::JournalEntry, &doc.to_string(), Profile::Exact).unwrap();
    assert_only(&report, "PLAIN-TEXT", "/lines/0/dimensions/department");
    // A dimension of the `other` map: its name and its value.
    doc["lines"][0]["dimensions"] = serde_json::json!({ "other": { "re\u{7}gion": "EMEA" } });
    let report = validate_json(Entity::JournalEntry, &doc.to_string(), Profile::Exact).unwrap();
    assert_only(&report, "PLAIN-TEXT", "/lines/0/dimensions/other/re\u{7}gion");
    doc["lines"][0]["dimensions"] = serde_json::json!({ "other": { "region": "EM\u{1F}EA" } });
    let report = validate_json(Entity::JournalEntry, &doc.to_string(), Profile::Exact).unwrap();
    assert_only(&report, "PLAIN-TEXT", "/lines/0/dimensions/other/region");
}

#[test]
fn free_text_and_extensions_may_hold_line_breaks() {
    let mut doc = example("journal_entry", "eur_invoice_posting.json");
    doc["description"] = Value::from("Ausgangsrechnung\nzweite Zeile\r\n\u{202E}");
    doc["extensions"] =
        serde_json::json!({ "netsuite": { "memo": "a\u{0}b", "id\u{202E}": "x\ny" } });
    let report = validate_json(Entity::JournalEntry, &doc.to_string(), Profile::Exact).unwrap();
    assert_clean(&report);
}

#[test]
fn letters_of_every_script_and_marks_are_plain_text() {
    let c = Customer::new(
        CustomerId::new("cust_1").unwrap(),
        CustomerKind::Organization,
        "שלום Ärzte 東京 \u{200F}Ltd",
    );
    assert_clean(&c.validate());
}

fn forbidden() -> impl Strategy<Value = char> {
    prop_oneof![
        (0u32..0x20).prop_map(|c| char::from_u32(c).unwrap()),
        (0x7Fu32..0xA0).prop_map(|c| char::from_u32(c).unwrap()),
        (0x202Au32..0x202F).prop_map(|c| char::from_u32(c).unwrap()),
        (0x2066u32..0x206A).prop_map(|c| char::from_u32(c).unwrap()),
    ]
}

proptest! {
    /// A name is flagged exactly when it holds a forbidden character, and
    /// the message names the first one's position.
    #[test]
    fn a_name_is_flagged_exactly_when_it_holds_a_forbidden_character(
        before in "[A-Za-z0-9 äöü東]{1,12}",
        after in "[A-Za-z0-9 ]{0,12}",
        bad in proptest::option::of(forbidden()),
    ) {
        let name = match bad {
            Some(c) => format!("{before}{c}{after}"),
            None => format!("{before}{after}"),
        };
        let c = Customer::new(CustomerId::new("cust_1").unwrap(), CustomerKind::Organization, name);
        let report = c.validate();
        let plain: Vec<_> = report.violations().iter().filter(|v| v.code == "PLAIN-TEXT").collect();
        match bad {
            Some(_) => {
                prop_assert_eq!(plain.len(), 1);
                let at = format!("at character {}", before.chars().count() + 1);
                prop_assert!(plain[0].message.contains(&at), "{}", plain[0].message);
            }
            None => prop_assert!(plain.is_empty()),
        }
    }
}
