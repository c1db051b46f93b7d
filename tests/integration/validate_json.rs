//! `validate_json`: a readable document is parsed once and validated; an
//! unreadable one gets a report naming every EN 16931 field it lacks under
//! that rule's code, a code outside its list under the code-list rule, and
//! anything else under PARSE, each with its JSON Pointer.

use canonical_finance::model::Entity;
use canonical_finance::validate::{Profile, RuleScope, ValidationReport, rule, validate_json};
use proptest::prelude::*;
use serde_json::{Value, json};

fn example(path: &str) -> Value {
    let path = format!("{}/{path}", env!("CARGO_MANIFEST_DIR"));
    serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// The complete EN 16931 example, with a tax representative and a
/// delivery so that every party's country can be taken away.
fn invoice() -> Value {
    let mut v = example("schemas/examples/invoice/delivery_and_payee.json");
    v["tax_representative"] = json!({"name": "Fiscal Rep BV", "tax_ids": [{"scheme": "vat", "value": "NL859012345B01"}],
        "address": {"city": "Rotterdam", "country": "NL"}});
    v["lines"][0]["item"]["attributes"] = json!([{"name": "Farbe", "value": "Edelstahl"}]);
    v["lines"][0]["item"]["origin_country"] = json!("IT");
    v
}

fn check(v: &Value) -> ValidationReport {
    validate_json(Entity::Invoice, &v.to_string(), Profile::Exact).unwrap()
}

fn pairs(report: &ValidationReport) -> Vec<(&str, &str)> {
    report.violations().iter().map(|v| (v.code, v.path.as_str())).collect()
}

fn remove(v: &mut Value, pointer: &str) {
    let (parent, member) = pointer.rsplit_once('/').unwrap();
    v.pointer_mut(parent).unwrap().as_object_mut().unwrap().remove(member).unwrap();
}

#[test]
fn a_readable_document_is_validated() {
    let report = check(&invoice());
    assert!(report.violations().is_empty(), "{report}");
    let mut v = invoice();
    v["totals"]["tax_total"]["amount"] = json!("1.00");
    assert_eq!(pairs(&check(&v))[0], ("BR-CO-14", "/totals/tax_total"));
}

#[test]
fn every_missing_field_en16931_names_has_its_code_and_path() {
    let cases: &[(&str, &str)] = &[
        ("/kind", "BR-04"),
        ("/currency", "BR-05"),
        ("/totals/line_net_total", "BR-12"),
        ("/totals/total_without_tax", "BR-13"),
        ("/totals/total_with_tax", "BR-14"),
        ("/totals/amount_due", "BR-15"),
        ("/seller/address/country", "BR-09"),
        ("/buyer/address/country", "BR-11"),
        ("/tax_representative/address/country", "BR-20"),
        ("/delivery/address/country", "BR-57"),
        ("/lines/1/quantity", "BR-22"),
        ("/lines/1/net_amount", "BR-24"),
        ("/lines/1/unit_price", "BR-26"),
        ("/lines/0/item/attributes/0/value", "BR-54"),
        ("/tax_breakdown/0/taxable_amount", "BR-45"),
        ("/tax_breakdown/0/tax_amount", "BR-46"),
        ("/tax_breakdown/0/category", "BR-47"),
        ("/payment_instructions/0/means", "BR-49"),
    ];
    for (pointer, code) in cases {
        let mut v = invoice();
        remove(&mut v, pointer);
        let report = check(&v);
        assert_eq!(pairs(&report), [(*code, *pointer)], "{pointer}: {report}");
        assert!(!report.is_valid());
        assert_eq!(rule(code).unwrap().scope, RuleScope::Parse, "{code}");
    }
}

#[test]
fn allowance_and_charge_amounts_are_named_by_their_kind_and_level() {
    let mut v = invoice();
    v["allowances_charges"] = json!([{"kind": "allowance", "reason_code": "95", "tax_category": "intra_community", "tax_rate": "0"},
                                     {"kind": "charge", "reason_code": "FC", "tax_category": "intra_community", "tax_rate": "0"}]);
    v["lines"][0]["allowances_charges"] = json!([{"kind": "allowance", "reason_code": "95"}, {"kind": "charge", "reason_code": "FC"}]);
    assert_eq!(
        pairs(&check(&v)),
        [
            ("BR-41", "/lines/0/allowances_charges/0/amount"),
            ("BR-43", "/lines/0/allowances_charges/1/amount"),
            ("BR-31", "/allowances_charges/0/amount"),
            ("BR-36", "/allowances_charges/1/amount"),
        ]
    );
}

#[test]
fn every_missing_field_is_reported_at_once() {
    let v = json!({"id": "inv_1", "status": "draft", "counterparty": {"id": "cust_1"},
                   "lines": [{"unit_price": {"amount": "1.00", "currency": "EUR"}}]});
    assert_eq!(
        pairs(&check(&v)),
        [
            ("BR-04", "/kind"),
            ("BR-05", "/currency"),
            ("BR-12", "/totals/line_net_total"),
            ("BR-13", "/totals/total_without_tax"),
            ("BR-14", "/totals/total_with_tax"),
            ("BR-15", "/totals/amount_due"),
            ("BR-22", "/lines/0/quantity"),
            ("BR-24", "/lines/0/net_amount"),
        ]
    );
    let report = check(&v);
    assert_eq!(
        report.violations()[2].message,
        "expected the sum of line net amounts (BT-106), but found no totals"
    );
}

#[test]
fn a_code_outside_its_list_has_the_code_list_rule() {
    let cases: &[(&str, Value, &str, &str)] = &[
        ("/kind", json!("proforma"), "BR-CL-01", "/kind"),
        ("/currency", json!("EURO"), "BR-CL-04", "/currency"),
        ("/tax_currency", json!("XYZ"), "BR-CL-05", "/tax_currency"),
        ("/lines/0/net_amount/currency", json!("EURO"), "BR-CL-03", "/lines/0/net_amount/currency"),
        ("/tax_breakdown/0/category", json!("K"), "BR-CL-17", "/tax_breakdown/0/category"),
        ("/lines/1/tax_category", json!("AE"), "BR-CL-18", "/lines/1/tax_category"),
        ("/buyer/address/country", json!("FRA"), "BR-CL-14", "/buyer/address/country"),
        (
            "/lines/0/item/origin_country",
            json!("Italy"),
            "BR-CL-15",
            "/lines/0/item/origin_country",
        ),
        ("/lines/0/quantity", json!(true), "PARSE", "/lines/0/quantity"),
    ];
    for (pointer, value, code, path) in cases {
        let mut v = invoice();
        if *pointer == "/tax_currency" {
            v["tax_currency"] = json!("SEK");
        }
        *v.pointer_mut(pointer).unwrap_or_else(|| panic!("{pointer}")) = value.clone();
        let report = check(&v);
        assert_eq!(pairs(&report), [(*code, *path)], "{pointer} = {value}: {report}");
    }

    // UBL writes a document-level allowance's category as cac:TaxCategory,
    // like a tax breakdown's (BR-CL-17); a line's as
    // cac:ClassifiedTaxCategory (BR-CL-18).
    let mut v = example("schemas/examples/invoice/eur_two_vat_rates_discount.json");
    v["allowances_charges"][1]["tax_category"] = json!("K");
    assert_eq!(pairs(&check(&v)), [("BR-CL-17", "/allowances_charges/1/tax_category")]);
}

#[test]
fn an_unknown_field_is_parse_and_text_that_is_not_json_is_an_error() {
    let mut v = invoice();
    v["lines"][0]["colour"] = json!("red");
    let report = check(&v);
    assert_eq!(report.codes(), ["PARSE"], "{report}");
    assert!(report.violations()[0].message.contains("unknown field `colour`"), "{report}");
    assert_eq!(rule("PARSE").unwrap().scope, RuleScope::Parse);

    // Not JSON at all: an error, which the CLI reports as JSON-SYNTAX per
    // NDJSON line.
    let err = validate_json(Entity::Invoice, "{\"id\": ", Profile::Exact).unwrap_err();
    assert!(err.is_eof(), "{err}");
    let err = validate_json(Entity::Invoice, "{} {}", Profile::Exact).unwrap_err();
    assert!(err.is_syntax(), "{err}");
    // A type error early never hides malformed JSON further on.
    let err =
        validate_json(Entity::Invoice, "{\"kind\": 5, \"x\": tru}", Profile::Exact).unwrap_err();
    assert!(err.is_syntax(), "{err}");
    assert_eq!(rule("JSON-SYNTAX").unwrap().scope, RuleScope::Parse);
}

#[test]
fn every_entity_validates_from_text() {
    for (entity, path) in [
        (Entity::Customer, "schemas/examples/customer/supplier.json"),
        (Entity::Contract, "schemas/examples/contract/subscription.json"),
        (Entity::Payment, "schemas/examples/payment/supplier_bill_payment.json"),
        (Entity::JournalEntry, "schemas/examples/journal_entry/eur_invoice_posting.json"),
    ] {
        let text = example(path).to_string();
        let report = validate_json(entity, &text, Profile::Exact).unwrap();
        assert!(report.violations().is_empty(), "{path}: {report}");
        let report = validate_json(entity, "{\"id\": 1}", Profile::Exact).unwrap();
        assert_eq!(report.codes(), ["PARSE"], "{entity}: {report}");
    }
}

/// Every leaf and member of the example, as a pointer.
fn pointers(v: &Value, at: String, out: &mut Vec<String>) {
    match v {
        Value::Object(map) => {
            for (k, child) in map {
                let p = format!("{at}/{}", k.replace('~', "~0").replace('/', "~1"));
                out.push(p.clone());
                pointers(child, p, out);
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                let p = format!("{at}/{i}");
                out.push(p.clone());
                pointers(child, p, out);
            }
        }
        _ => {}
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    /// Any one place of a valid invoice replaced by any JSON value, or
    /// removed: a report (never a panic, never an error: it is still
    /// JSON), and a report that is not valid whenever the document stopped
    /// being an invoice.
    #[test]
    fn any_damaged_invoice_gets_a_report(pick in any::<prop::sample::Index>(), replacement in prop_oneof![
        Just(Value::Null), Just(json!(true)), Just(json!(-1)), Just(json!(1.5e300)),
        Just(json!("")), Just(json!("EURO")), Just(json!([])), Just(json!({})), Just(json!({"amount": "x"}))
    ], drop_it in any::<bool>()) {
        let base = invoice();
        let mut all = Vec::new();
        pointers(&base, String::new(), &mut all);
        let pointer = &all[pick.index(all.len())];
        let mut v = base.clone();
        if drop_it {
            let (parent, member) = pointer.rsplit_once('/').unwrap();
            match v.pointer_mut(parent).unwrap() {
                Value::Object(map) => { map.remove(member); }
                Value::Array(items) => { items.remove(member.parse::<usize>().unwrap()); }
                _ => {}
            }
        } else {
            *v.pointer_mut(pointer).unwrap() = replacement;
        }
        let report = validate_json(Entity::Invoice, &v.to_string(), Profile::Exact);
        prop_assert!(report.is_ok(), "{pointer}: {:?}", report);
        let report = report.unwrap();
        let typed: Result<canonical_finance::model::Invoice, _> = serde_json::from_value(v);
        if typed.is_err() {
            prop_assert!(!report.is_valid(), "{pointer}: an unreadable invoice is not valid");
            for violation in report.violations() {
                prop_assert!(rule(violation.code).is_some(), "{} is in the catalogue", violation.code);
            }
        }
    }
}

/// Every message of a report reads "expected …, but found …" in JSON's
/// words, serde's own included: wrong type, unknown field, unknown value,
/// a key twice in the crate's maps.
#[test]
fn messages_from_serde_read_expected_but_found() {
    let cases = [
        (r#"{"id": 5}"#, "/id", "expected a string, but found the number 5 (line 1, column 8)"),
        (
            r#"{"id": "c1", "contacts": {}}"#,
            "/contacts",
            "expected an array, but found an object (line 1, column 25)",
        ),
        (
            r#"{"id": "c1", "status": "weird"}"#,
            "/status",
            "expected one of `active`, `inactive`, `blocked`, `archived`, but found `weird` (line 1, column 30)",
        ),
        (
            r#"{"id": "c1", "contacts": [{"nick": "x"}]}"#,
            "/contacts/0/nick",
            "expected one of the fields `name`, `email`, `phone`, `role`, but found the unknown field `nick` (line 1, column 33)",
        ),
        (
            r#"{"id": "c1", "extensions": {"a": 1, "a": 2}}"#,
            "/extensions/a",
            "expected the key `a` once, but found it twice (line 1, column 39)",
        ),
    ];
    for (text, path, message) in cases {
        let report = validate_json(Entity::Customer, text, Profile::Exact).unwrap();
        let v = &report.violations()[0];
        assert_eq!((v.path.as_str(), v.message.as_str()), (path, message), "{text}");
    }
}

/// serde's derived structs would also read an array of their fields in
/// order; the schemas say object, and so does `validate_json`, at every
/// depth.
#[test]
fn a_struct_written_as_an_array_of_its_fields_is_refused_where_it_is() {
    let organization =
        std::fs::read_to_string("schemas/examples/customer/organization.json").unwrap();
    let mut doc: serde_json::Value = serde_json::from_str(&organization).unwrap();
    assert!(validate_json(Entity::Customer, &doc.to_string(), Profile::Exact).unwrap().is_valid());
    // serde_json alone reads this as an Address: purpose, lines, city,
    // region, postal code, country.
    doc["addresses"][0] =
        serde_json::json!(["billing", ["Hafenstraße 1"], "Hamburg", null, "20457", "DE"]);
    let text = doc.to_string();
    let report = validate_json(Entity::Customer, &text, Profile::Exact).unwrap();
    assert_eq!(report.codes(), vec!["PARSE"], "{report}");
    let v = &report.violations()[0];
    assert_eq!(v.path, "/addresses/0");
    assert!(
        v.message.starts_with("expected an object (Address), but found an array (line 1, column "),
        "{}",
        v.message
    );
    let whole = r#"["c1", "organization", "Acme"]"#;
    let report = validate_json(Entity::Customer, whole, Profile::Exact).unwrap();
    assert_eq!(report.codes(), vec!["PARSE"], "{report}");
    assert_eq!(report.violations()[0].path, "");
}
