//! `Debug` of entities keeps personal and banking data out of logs, and
//! `Unredacted` shows a record whole.

use canonical_finance::json;
use canonical_finance::model::{
    BankAccount, Contact, Customer, CustomerId, CustomerKind, Invoice, Party, PaymentInstruction,
    PaymentMeans, TaxId, TaxIdScheme, Unredacted,
};

const SECRETS: [&str; 9] = [
    "Ada Lovelace",
    "Ada",
    "Lovelace",
    "ada@lovelace.example",
    "+44 20 7946 0958",
    "GB82WEST12345698765432",
    "GB123456789",
    "4242424242424242",
    "Analytical Engine fan club",
];

fn person() -> Customer {
    let id = CustomerId::new("cust_ada").unwrap();
    let mut c = Customer::new(id, CustomerKind::Individual, "Ada Lovelace");
    c.given_name = Some("Ada".to_owned());
    c.family_name = Some("Lovelace".to_owned());
    c.email = Some("ada@lovelace.example".to_owned());
    c.phone = Some("+44 20 7946 0958".to_owned());
    c.tax_ids.push(TaxId::new(TaxIdScheme::Vat, "GB123456789"));
    let mut contact = Contact::default();
    contact.name = Some("Ada Lovelace".to_owned());
    contact.email = Some("ada@lovelace.example".to_owned());
    c.contacts.push(contact);
    let mut account = BankAccount::default();
    account.holder_name = Some("Ada Lovelace".to_owned());
    account.iban = Some("GB82WEST12345698765432".to_owned());
    c.bank_accounts.push(account);
    c.extensions.insert("stripe", canonical_finance::json!({"note": "Analytical Engine fan club"}));
    c
}

#[test]
fn debug_of_a_person_shows_no_personal_or_banking_data() {
    let shown = format!("{:?}", person());
    for secret in SECRETS {
        assert!(!shown.contains(secret), "{secret} in {shown}");
    }
    // What is kept: the id, the last characters of numbers, the e-mail
    // domain, the namespaces of vendor values.
    for kept in [
        "cust_ada",
        "\"[redacted]@lovelace.example\"",
        "\"[redacted]58\"",
        "\"[redacted]5432\"",
        "\"[redacted]6789\"",
        "\"[redacted]\"",
        "\"stripe\": [1 redacted]",
    ] {
        assert!(shown.contains(kept), "{kept} not in {shown}");
    }
    // Pretty output is masked the same way.
    assert!(!format!("{:#?}", person()).contains("Lovelace\""));
}

#[test]
fn unredacted_shows_everything_and_only_inside_it() {
    let record = person();
    let whole = format!("{:?}", Unredacted(&record));
    for secret in SECRETS.iter().filter(|s| !s.starts_with("4242")) {
        assert!(whole.contains(secret), "{secret} not in {whole}");
    }
    // Exactly what derived `Debug` would print: options as `Some(..)`.
    assert!(whole.contains("email: Some(\"ada@lovelace.example\")"), "{whole}");
    // Outside the wrapper, masking is back.
    assert!(!format!("{record:?}").contains("ada@lovelace.example"));
    // Serialization is the data, never masked.
    let text = serde_json::to_string(&record).unwrap();
    assert!(text.contains("ada@lovelace.example") && text.contains("GB82WEST12345698765432"));
}

#[test]
fn an_organisations_names_are_shown_but_its_contacts_are_not() {
    let id = CustomerId::new("cust_acme").unwrap();
    let mut c = Customer::new(id, CustomerKind::Organization, "Acme GmbH");
    c.legal_name = Some("Acme Gesellschaft mbH".to_owned());
    let mut contact = Contact::default();
    contact.name = Some("Grace Hopper".to_owned());
    c.contacts.push(contact);
    let shown = format!("{c:?}");
    assert!(shown.contains("\"Acme GmbH\"") && shown.contains("\"Acme Gesellschaft mbH\""));
    assert!(!shown.contains("Grace Hopper"));
}

#[test]
fn invoices_mask_parties_cards_and_vendor_values() {
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/schemas/examples/invoice/eur_two_vat_rates_discount.json"
    ))
    .unwrap();
    let mut invoice: Invoice = serde_json::from_str(&text).unwrap();
    let mut card = PaymentInstruction::new(PaymentMeans::Card);
    card.card_number = Some("4242424242424242".to_owned());
    invoice.payment_instructions.push(card);
    let mut buyer = Party::named("Ada Lovelace");
    buyer.electronic_address =
        Some(canonical_finance::model::Identifier::new("ada@lovelace.example").with_scheme("EM"));
    invoice.buyer = Some(buyer);
    let shown = format!("{invoice:?}");
    for secret in ["4242424242424242", "Ada Lovelace", "ada@lovelace.example"] {
        assert!(!shown.contains(secret), "{secret} in the invoice's Debug");
    }
    assert!(shown.contains("\"[redacted]4242\""));
    // Every IBAN of the example is masked too.
    let json = json::parse(&text).unwrap();
    for instruction in json["payment_instructions"].as_array().unwrap() {
        if let Some(iban) = instruction.pointer("/account/iban").and_then(|v| v.as_str()) {
            assert!(!shown.contains(iban), "{iban}");
        }
    }
}
