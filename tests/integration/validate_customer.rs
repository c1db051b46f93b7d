//! Customer rules: the published examples are valid, and each rule has a
//! customer that breaks only that rule, with its exact code and path.

use std::path::Path;

use canonical_finance::model::*;
use canonical_finance::validate::{Severity, Validate, rule};
use canonical_finance::{Currency, Money};
use rust_decimal_macros::dec;

use crate::validate_fields::{assert_clean, assert_only, build, only_message};

/// Every example of `entity` under `schemas/examples/`, parsed.
pub(crate) fn examples<T: serde::de::DeserializeOwned>(entity: &str) -> Vec<(String, T)> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("schemas/examples").join(entity);
    let mut out = Vec::new();
    for entry in std::fs::read_dir(&dir).unwrap_or_else(|e| panic!("{}: {e}", dir.display())) {
        let path = entry.unwrap().path();
        if path.extension().is_some_and(|e| e == "json") {
            let text = std::fs::read_to_string(&path).unwrap();
            let value = serde_json::from_str(&text)
                .unwrap_or_else(|e| panic!("{} does not parse: {e}", path.display()));
            out.push((path.display().to_string(), value));
        }
    }
    assert!(!out.is_empty(), "no examples in {}", dir.display());
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

/// A complete organisation with nothing wrong: every part the rules look at
/// is filled in correctly.
fn organization() -> Customer {
    let mut c =
        Customer::new(CustomerId::new("cust_1").unwrap(), CustomerKind::Organization, "Acme GmbH");
    c.legal_name = Some("Acme Gesellschaft mit beschränkter Haftung".into());
    c.email = Some("billing@acme.example".into());
    c.phone = Some("+49 30 1234567".into());
    c.website = Some("www.acme.example".into());
    let mut vat = TaxId::new(TaxIdScheme::Vat, "DE123456789");
    vat.country = Some(CountryCode::new("DE").unwrap());
    c.tax_ids.push(vat);
    let mut address = Address::new(CountryCode::new("DE").unwrap());
    address.lines = vec!["Friedrichstraße 123".into()];
    address.city = Some("Berlin".into());
    address.postal_code = Some("10117".into());
    c.addresses.push(address);
    c.contacts.push(build(|x: &mut Contact| {
        x.name = Some("Jana Petersen".into());
        x.email = Some("jana@acme.example".into());
    }));
    c.bank_accounts.push(build(|x: &mut BankAccount| {
        x.iban = Some("DE89370400440532013000".into());
        x.bic = Some("COBADEFFXXX".into());
    }));
    c.default_currency = Some(Currency::EUR);
    c.payment_terms = Some(PaymentTerms::net_days(30));
    c.credit_limit = Some(Money::new(dec!(50000.00), Currency::EUR));
    c.parent = Some(CustomerRef::to_id(CustomerId::new("cust_group").unwrap()));
    c.external_refs.push(ExternalRef::new("stripe", "customer", "cus_1"));
    c
}

fn individual() -> Customer {
    let mut c =
        Customer::new(CustomerId::new("cust_2").unwrap(), CustomerKind::Individual, "Emily Carter");
    c.given_name = Some("Emily".into());
    c.family_name = Some("Carter".into());
    c
}

#[test]
fn published_customer_examples_are_valid() {
    for (file, customer) in examples::<Customer>("customer") {
        let report = customer.validate();
        assert!(report.violations().is_empty(), "{file}:\n{report}");
    }
}

#[test]
fn complete_customers_are_valid() {
    assert_clean(&organization().validate());
    assert_clean(&individual().validate());
}

#[test]
fn roles_name_customer_or_supplier_once() {
    let mut c = organization();
    assert_eq!(c.roles, [PartyRole::Customer]);
    // The default role is omitted from the JSON; a supplier says so.
    assert!(serde_json::to_value(&c).unwrap().get("roles").is_none());
    c.roles = vec![PartyRole::Customer, PartyRole::Supplier];
    assert_clean(&c.validate());
    assert!(c.is_supplier());
    assert_eq!(
        serde_json::to_value(&c).unwrap()["roles"],
        serde_json::json!(["customer", "supplier"])
    );
    c.roles.clear();
    assert_only(&c.validate(), "CUS-ROLES", "/roles");
    c.roles = vec![PartyRole::Supplier, PartyRole::Supplier];
    assert_only(&c.validate(), "CUS-ROLES", "/roles/1");
}

#[test]
fn blank_display_name_is_an_error() {
    let mut c = organization();
    c.display_name = " ".into();
    let report = c.validate();
    assert_only(&report, "CUS-DISPLAY-NAME", "/display_name");
    assert!(!report.is_valid());
}

#[test]
fn blank_legal_name_is_an_error() {
    let mut c = organization();
    c.legal_name = Some(String::new());
    assert_only(&c.validate(), "CUS-LEGAL-NAME", "/legal_name");
}

#[test]
fn individual_without_given_or_family_name_is_a_warning() {
    let mut c = individual();
    c.given_name = None;
    c.family_name = Some("".into());
    let report = c.validate();
    assert_only(&report, "CUS-INDIVIDUAL-NAME", "/given_name");
    assert!(report.is_valid(), "a warning keeps the record valid");
    assert_eq!(report.violations()[0].severity, Severity::Warning);
    assert_eq!(
        only_message(&report),
        "expected a given_name or a family_name for an individual, but found neither"
    );
    // One of the two is enough.
    let mut c = individual();
    c.given_name = None;
    assert_clean(&c.validate());
}

#[test]
fn negative_credit_limit_is_an_error() {
    let mut c = organization();
    c.credit_limit = Some(Money::new(dec!(-0.01), Currency::EUR));
    let report = c.validate();
    assert_only(&report, "CUS-CREDIT-LIMIT", "/credit_limit");
    assert_eq!(
        only_message(&report),
        "expected a credit limit of zero or more, but found -0.01 EUR"
    );
}

#[test]
fn credit_limit_in_another_currency_than_the_default_is_an_error() {
    let mut c = organization();
    c.credit_limit = Some(Money::new(dec!(50000.00), Currency::USD));
    let report = c.validate();
    assert_only(&report, "CUS-CREDIT-LIMIT-CURRENCY", "/credit_limit/currency");
    assert_eq!(
        only_message(&report),
        "expected the credit limit in the default currency EUR, but found USD"
    );
    // Without a default currency any currency will do.
    c.default_currency = None;
    assert_clean(&c.validate());
}

#[test]
fn parent_reference_must_resolve() {
    let mut c = organization();
    c.parent = Some(CustomerRef::default().with_display("Acme Group"));
    assert_only(&c.validate(), "CUS-PARENT", "/parent");
    c.parent = Some(CustomerRef::to_external(ExternalRef::new("salesforce", "Account", "001A")));
    assert_clean(&c.validate());
}

#[test]
fn customer_cannot_be_its_own_parent() {
    let mut c = organization();
    c.parent = Some(CustomerRef::to_id(CustomerId::new("cust_1").unwrap()));
    let report = c.validate();
    assert_only(&report, "CUS-PARENT", "/parent/id");
    assert_eq!(
        only_message(&report),
        "expected another customer as the parent, but found the customer's own id `cust_1`"
    );

    let mut c = organization();
    let mut parent = CustomerRef::to_external(ExternalRef::new("salesforce", "Account", "001P"));
    parent.external_refs.push(ExternalRef::new("stripe", "customer", "cus_1"));
    c.parent = Some(parent);
    assert_only(&c.validate(), "CUS-PARENT", "/parent/external_refs/1");
}

#[test]
fn parent_external_refs_are_complete() {
    let mut c = organization();
    c.parent = Some(CustomerRef::to_external(ExternalRef::new("salesforce", "", "001P")));
    assert_only(&c.validate(), "EXTERNAL-REF", "/parent/external_refs/0/object_type");
}

#[test]
fn website_must_be_a_web_address() {
    for site in ["https://www.acme.example/de", "acme.example", "http://localhost:8080"] {
        let mut c = organization();
        c.website = Some(site.into());
        assert_clean(&c.validate());
    }
    for site in ["acme", "https://", "www.acme .example", ""] {
        let mut c = organization();
        c.website = Some(site.into());
        let report = c.validate();
        assert_only(&report, "CUS-WEBSITE", "/website");
        assert!(report.is_valid(), "CUS-WEBSITE is a warning");
    }
}

#[test]
fn every_part_is_checked_at_its_own_path() {
    let mut c = organization();
    c.tax_ids.push(TaxId::new(TaxIdScheme::Vat, "DE12345678"));
    c.addresses.push(Address::new(CountryCode::new("AT").unwrap()));
    c.contacts.push(Contact::default());
    c.bank_accounts
        .push(build(|x: &mut BankAccount| x.iban = Some("DE88370400440532013000".into())));
    c.email = Some("nope".into());
    let report = c.validate();
    let found: Vec<(&str, &str)> =
        report.violations().iter().map(|v| (v.code, v.path.as_str())).collect();
    assert_eq!(
        found,
        [
            ("EMAIL", "/email"),
            ("VAT-ID", "/tax_ids/1/value"),
            ("ADDRESS", "/addresses/1"),
            ("CONTACT", "/contacts/1"),
            ("IBAN", "/bank_accounts/1/iban"),
        ]
    );
}

#[test]
fn customer_rules_are_in_the_catalogue() {
    for (code, severity) in [
        ("CUS-DISPLAY-NAME", Severity::Error),
        ("CUS-LEGAL-NAME", Severity::Error),
        ("CUS-INDIVIDUAL-NAME", Severity::Warning),
        ("CUS-CREDIT-LIMIT", Severity::Error),
        ("CUS-CREDIT-LIMIT-CURRENCY", Severity::Error),
        ("CUS-PARENT", Severity::Error),
        ("CUS-WEBSITE", Severity::Warning),
    ] {
        let r = rule(code).unwrap_or_else(|| panic!("{code} missing"));
        assert_eq!(r.severity, severity, "{code}");
        assert_eq!(r.entity, Some(Entity::Customer), "{code}");
    }
}
