//! The QuickBooks Online and Xero mappers against the project's fixtures in
//! `tests/fixtures/{quickbooks,xero}/<object>/`: every record of every
//! response (an envelope, a page of a list or one record) passes the
//! conformance suite and validation, and the response comes back whole
//! through its envelope.

use std::path::PathBuf;

use canonical_finance::json::Value;
use canonical_finance::mapping::{Crosswalk, Mapper, Registry, conformance, envelope};

/// (vendor, fixture folder, vendor object) for every mapper with fixtures.
const MAPPED: &[(&str, &str, &str)] = &[
    ("quickbooks", "customer", "Customer"),
    ("quickbooks", "vendor", "Vendor"),
    ("quickbooks", "payment", "Payment"),
    ("quickbooks", "bill_payment", "BillPayment"),
    ("quickbooks", "journal_entry", "JournalEntry"),
    ("quickbooks", "invoice", "Invoice"),
    ("quickbooks", "credit_memo", "CreditMemo"),
    ("quickbooks", "bill", "Bill"),
    ("quickbooks", "vendor_credit", "VendorCredit"),
    ("xero", "contact", "Contact"),
    ("xero", "payment", "Payment"),
    ("xero", "invoice", "Invoice"),
    ("xero", "credit_note", "CreditNote"),
    ("xero", "overpayment", "Overpayment"),
    ("xero", "prepayment", "Prepayment"),
    ("xero", "manual_journal", "ManualJournal"),
    ("xero", "journal", "Journal"),
    ("xero", "repeating_invoice", "RepeatingInvoice"),
];

/// Fixtures that name no currency anywhere, so that no canonical amount can
/// be made of them without inventing one: each must fail with an error at
/// the place the currency should be.
const UNMAPPABLE: &[(&str, &str, &str)] = &[(
    "xero/payment/ar_overpayment_refund_aud.json",
    "/Invoice/CurrencyCode",
    "expected a currency code at one of /Invoice/CurrencyCode, /CreditNote/CurrencyCode, /Overpayment/CurrencyCode, /Prepayment/CurrencyCode",
)];

/// Fixtures the canonical model cannot hold yet, with the validation error
/// they give: a QuickBooks payment that applies a credit memo beside the
/// money has a line for the credit, which the canonical payment (money
/// applied to documents, `PAY-APPLIED-SUM`) has no place for. The line is
/// kept in extensions and comes back, but the record does not validate;
/// it needs a credit application in the model (noted on issue 13).
///
/// A Xero overpayment refunded in part is the same gap the other way: the
/// money refunded is neither applied nor left, and the canonical payment
/// has no place for what was refunded of it.
const MODEL_GAPS: &[(&str, &str)] = &[
    (
        "quickbooks/payment/credit_memo_applied_with_money.json",
        "error PAY-APPLIED-SUM at /unapplied_amount: expected the applied amounts, 1215.5 USD, plus the unapplied amount, 0 USD, to equal the amount 965.5 USD, but they add up to 1215.5 USD",
    ),
    (
        "xero/overpayment/receive_overpayment_aud_partly_refunded.json",
        "error PAY-APPLIED-SUM at /unapplied_amount: expected the applied amounts, 0 AUD, plus the unapplied amount, 200.00 AUD, to equal the amount 500.00 AUD, but they add up to 200.00 AUD",
    ),
];

fn unmappable(vendor: &str, folder: &str, name: &str) -> bool {
    let file = format!("{vendor}/{folder}/{name}");
    UNMAPPABLE.iter().any(|(f, _, _)| *f == file) || MODEL_GAPS.iter().any(|(f, _)| *f == file)
}

#[test]
fn credits_and_refunds_beside_money_fail_validation_until_the_model_holds_them() {
    let registry = Registry::builtin().unwrap();
    for (file, message) in MODEL_GAPS {
        let (vendor, rest) = file.split_once('/').unwrap();
        let (folder, name) = rest.split_once('/').unwrap();
        let object = MAPPED.iter().find(|(v, f, _)| v == &vendor && f == &folder).unwrap().2;
        let mapper = registry.get(vendor, object).unwrap();
        let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(file);
        let response =
            canonical_finance::json::parse(&std::fs::read_to_string(path).unwrap()).unwrap();
        let records = records(mapper, &[(name.to_string(), response)]);
        let report = conformance::check(mapper, &records);
        let messages: Vec<(&str, &str)> =
            report.failures.iter().map(|f| (f.check, f.message.as_str())).collect();
        assert_eq!(messages, vec![("validation", *message)], "{file}");
    }
}

/// The crosswalk every fixture is read with: the demo organisations'
/// base currencies, which Xero's journals are in but do not name.
fn tenant() -> Crosswalk {
    let mut cw = Crosswalk::new();
    cw.set_tenant_value("xero", "/BaseCurrency", canonical_finance::json!("NZD"));
    for vendor in ["xero", "quickbooks"] {
        let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures")
            .join(vendor)
            .join("tenant/tax_codes.json");
        if let Ok(text) = std::fs::read_to_string(path) {
            cw.set_tenant_value(
                vendor,
                "/TaxCodes",
                canonical_finance::json::parse(&text).unwrap(),
            );
        }
    }
    cw
}

fn responses(vendor: &str, folder: &str) -> Vec<(String, Value)> {
    let dir =
        PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(vendor).join(folder);
    let Ok(entries) = std::fs::read_dir(&dir) else { return Vec::new() };
    let mut out: Vec<(String, Value)> = entries
        .map(|entry| entry.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .map(|p| {
            let text = std::fs::read_to_string(&p).unwrap();
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            (name, canonical_finance::json::parse(&text).unwrap())
        })
        .filter(|(name, _)| !unmappable(vendor, folder, name))
        .collect();
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

#[test]
fn a_payment_without_a_currency_anywhere_is_an_error_there() {
    let registry = Registry::builtin().unwrap();
    for (file, pointer, message) in UNMAPPABLE {
        let (vendor, rest) = file.split_once('/').unwrap();
        let (folder, _) = rest.split_once('/').unwrap();
        let object = MAPPED.iter().find(|(v, f, _)| v == &vendor && f == &folder).unwrap().2;
        let mapper = registry.get(vendor, object).unwrap();
        let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(file);
        let response =
            canonical_finance::json::parse(&std::fs::read_to_string(path).unwrap()).unwrap();
        let opened = envelope::open(mapper, &response).unwrap();
        match mapper.to_canonical(opened.records()[0]) {
            Err(canonical_finance::mapping::MappingError::InvalidInput {
                pointer: p,
                message: m,
                ..
            }) => {
                assert_eq!(&p, pointer);
                assert_eq!(&m, message);
            }
            other => panic!("{file}: {other:?}"),
        }
    }
}

fn records(mapper: &dyn Mapper, files: &[(String, Value)]) -> Vec<(String, Value)> {
    let mut out = Vec::new();
    for (name, response) in files {
        let opened = envelope::open(mapper, response).unwrap();
        assert!(!opened.records().is_empty(), "{name}: no records");
        for (i, record) in opened.records().iter().enumerate() {
            out.push((format!("{name}{}", opened.pointer(i)), (*record).clone()));
        }
    }
    out
}

#[test]
fn every_fixture_record_passes_the_conformance_suite() {
    let registry = Registry::builtin().unwrap();
    let cw = tenant();
    let mut failures = Vec::new();
    for (vendor, folder, object) in MAPPED {
        let mapper = cw.wrap(registry.get(vendor, object).unwrap());
        let files = responses(vendor, folder);
        if files.len() < 3 {
            failures
                .push(format!("{vendor}/{folder}: {} fixtures, expected at least 3", files.len()));
        }
        let records = records(&mapper, &files);
        let report = conformance::check(&mapper, &records);
        if !report.is_ok() {
            failures.push(format!("{vendor} {object}: {report}"));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn every_response_comes_back_in_its_envelope() {
    let registry = Registry::builtin().unwrap();
    let cw = tenant();
    let mut failures = Vec::new();
    for (vendor, folder, object) in MAPPED {
        let mapper = cw.wrap(registry.get(vendor, object).unwrap());
        for (name, response) in responses(vendor, folder) {
            let opened = envelope::open(&mapper, &response).unwrap();
            let canonical: Result<Vec<Value>, _> =
                opened.to_canonical(&mapper).map(|m| m.map(|m| m.value)).collect();
            match canonical.and_then(|c| opened.shell().to_vendor(&mapper, &c)) {
                Ok(back) if back.value == response => {}
                Ok(back) => {
                    failures.push(format!("{vendor}/{folder}/{name}: differs: {}", back.value))
                }
                Err(e) => failures.push(format!("{vendor}/{folder}/{name}: {e}")),
            }
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn the_vendors_command_lists_both() {
    let registry = Registry::builtin().unwrap();
    let names = registry.names();
    for (vendor, _, object) in MAPPED {
        assert!(
            names.iter().any(|n| n == &format!("{vendor}/{object}")),
            "{vendor}/{object} in {names:?}"
        );
    }
}
