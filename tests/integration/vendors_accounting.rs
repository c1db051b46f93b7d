//! The QuickBooks Online, Xero, Business Central and NetSuite mappers
//! against the project's fixtures in
//! `tests/fixtures/{quickbooks,xero,business-central,netsuite}/<object>/`: every record of every
//! response (an envelope, a page of a list or one record) passes the
//! conformance suite and validation, and the response comes back whole
//! through its envelope.

use std::path::PathBuf;

use canonical_finance::json::Value;
use canonical_finance::mapping::{Crosswalk, Mapper, Registry, conformance, envelope, parts};
use canonical_finance::validate::Validate;

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
    ("business_central", "customers", "customer"),
    ("business_central", "vendors", "vendor"),
    ("business_central", "sales_invoices", "salesInvoice"),
    ("business_central", "purchase_invoices", "purchaseInvoice"),
    ("business_central", "sales_credit_memos", "salesCreditMemo"),
    ("netsuite", "customer", "customer"),
    ("netsuite", "vendor", "vendor"),
    ("netsuite", "journal_entry", "journalEntry"),
    ("netsuite", "customer_payment", "customerPayment"),
    ("netsuite", "vendor_payment", "vendorPayment"),
    ("netsuite", "invoice", "invoice"),
    ("netsuite", "credit_memo", "creditMemo"),
    ("netsuite", "vendor_bill", "vendorBill"),
    ("netsuite", "subscription", "subscription"),
    ("business_central", "journal_lines", "journalLine"),
    ("business_central", "general_ledger_entries", "generalLedgerEntry"),
    ("business_central", "customer_payments", "customerPayment"),
];

/// Payloads the mappers must refuse, in `tests/fixtures/<vendor>/errors/`:
/// (file, vendor object, pointer, message). A Xero payment that refunds an
/// overpayment names the overpayment by id alone, so no currency is there
/// to read: a canonical amount would need one invented.
const UNMAPPABLE: &[(&str, &str, &str, &str)] = &[(
    "xero/errors/payment_overpayment_refund_without_currency.json",
    "Payment",
    "/Invoice/CurrencyCode",
    "expected a currency code at one of /Invoice/CurrencyCode, /CreditNote/CurrencyCode, /Overpayment/CurrencyCode, /Prepayment/CurrencyCode",
)];

/// The canonical record of the first record of a fixture, through the
/// tenant's crosswalk.
fn canonical_of(file: &str) -> Value {
    let registry = Registry::builtin().unwrap();
    let (dir, rest) = file.split_once('/').unwrap();
    // The fixture folder of a vendor: its name, `-` for `_`.
    let vendor = dir.replace('-', "_");
    let (folder, _) = rest.split_once('/').unwrap();
    let object = MAPPED.iter().find(|(v, f, _)| *v == vendor && f == &folder).unwrap().2;
    let cw = tenant();
    let mapper = cw.wrap(registry.get(&vendor, object).unwrap());
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(file);
    let response = canonical_finance::json::parse(&std::fs::read_to_string(path).unwrap()).unwrap();
    let opened = envelope::open(&mapper, &response).unwrap();
    mapper.to_canonical(opened.records()[0]).unwrap().value
}

#[test]
fn a_credit_memo_applied_beside_money_is_a_credit_used() {
    let p = canonical_of("quickbooks/payment/credit_memo_applied_with_money.json");
    let usd = |a: &str| canonical_finance::json!({"amount": a, "currency": "USD"});
    assert_eq!(p["amount"], usd("965.5"));
    assert_eq!(p["applications"][0]["amount"], usd("1215.5"));
    assert_eq!(
        p["credits_used"],
        canonical_finance::json!([{"credit": {"external_refs": [
            {"system": "quickbooks", "object_type": "CreditMemo", "id": "170"}]}, "amount": usd("250.0")}])
    );
    let payment: canonical_finance::model::Payment =
        canonical_finance::json::from_value(&p).unwrap();
    assert!(payment.validate().is_valid(), "{}", payment.validate());
}

#[test]
fn an_overpayment_refunded_in_part_lists_its_refunds() {
    let p = canonical_of("xero/overpayment/receive_overpayment_aud_partly_refunded.json");
    let aud = |a: &str| canonical_finance::json!({"amount": a, "currency": "AUD"});
    assert_eq!(p["amount"], aud("500.00"));
    assert_eq!(p["unapplied_amount"], aud("200.00"));
    assert_eq!(p["refunds"][0]["amount"], aud("300.00"));
    assert_eq!(p["refunds"][0]["refunded_on"], "2026-04-07");
    assert_eq!(
        p["refunds"][0]["refund"]["external_refs"][0]["id"],
        "f049825c-f539-43eb-a8d7-45253cbdf339"
    );
    let payment: canonical_finance::model::Payment =
        canonical_finance::json::from_value(&p).unwrap();
    assert!(payment.validate().is_valid(), "{}", payment.validate());
}

/// The crosswalk every fixture is read with: the demo organisations'
/// base currencies, which Xero's journals are in but do not name.
fn tenant() -> Crosswalk {
    let mut cw = Crosswalk::new();
    cw.set_tenant_value("xero", "/BaseCurrency", canonical_finance::json!("NZD"));
    cw.set_tenant_value("business_central", "/LocalCurrency", canonical_finance::json!("GBP"));
    // What a caller knows of the invoices it has read: each one's currency.
    let invoices = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/business-central/sales_invoices/collection.json");
    let invoices =
        canonical_finance::json::parse(&std::fs::read_to_string(invoices).unwrap()).unwrap();
    let mut currencies = canonical_finance::json::Map::new();
    for invoice in invoices["value"].as_array().unwrap() {
        let id = invoice["id"].as_str().unwrap().to_owned();
        currencies.insert(id, invoice["currencyCode"].clone());
    }
    cw.set_tenant_value("business_central", "/InvoiceCurrencies", Value::Object(currencies));
    let currencies = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/netsuite/tenant/currencies.json");
    if let Ok(text) = std::fs::read_to_string(currencies) {
        cw.set_tenant_value(
            "netsuite",
            "/Currencies",
            canonical_finance::json::parse(&text).unwrap(),
        );
    }
    for vendor in ["xero", "quickbooks", "business_central", "netsuite"] {
        let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures")
            .join(vendor.replace('_', "-"))
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
    // The fixture folder of a vendor: its name, `-` for `_` (business-central).
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(vendor.replace('_', "-"))
        .join(folder);
    let Ok(entries) = std::fs::read_dir(&dir) else { return Vec::new() };
    // A NetSuite list page names records by id and link only, and a
    // SuiteQL page holds query rows (lower-case columns, values as text):
    // indexes to fetch records by, not records. A Business Central list of
    // payment journals names the journals payments sit in.
    let index = |name: &str| {
        (vendor == "netsuite" && (name.starts_with("list_page") || name.starts_with("suiteql")))
            || (vendor == "business_central" && name.ends_with("_journals.json"))
    };
    let mut out: Vec<(String, Value)> = entries
        .map(|entry| entry.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .filter(|p| !p.file_name().is_some_and(|n| index(&n.to_string_lossy())))
        .map(|p| {
            let text = std::fs::read_to_string(&p).unwrap();
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            (name, canonical_finance::json::parse(&text).unwrap())
        })
        .collect();
    out.sort_by(|a, b| a.0.cmp(&b.0));
    out
}

#[test]
fn a_payment_without_a_currency_anywhere_is_an_error_there() {
    let registry = Registry::builtin().unwrap();
    for (file, object, pointer, message) in UNMAPPABLE {
        let (vendor, _) = file.split_once('/').unwrap();
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

/// A record fetched without its parts, with them: each part's records are
/// read from the collections in the folder's subfolder named after the
/// part (`salesInvoiceLine` → `sales_invoice_lines/`), and the ones that
/// name the record are put in with `parts::assemble`, as a caller does.
fn with_parts(mapper: &dyn Mapper, vendor: &str, folder: &str, record: Value) -> Value {
    let mut record = record;
    for part in mapper.parts() {
        if canonical_finance::mapping::pointer::get(&record, &part.at).is_some() {
            continue;
        }
        let mut snake = String::new();
        for c in part.object.chars() {
            if c.is_ascii_uppercase() {
                snake.push('_');
            }
            snake.push(c.to_ascii_lowercase());
        }
        let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures")
            .join(vendor.replace('_', "-"))
            .join(folder)
            .join(format!("{snake}s"));
        // A NetSuite sublist fetched by its link: `sublists/<id>_<part>.json`.
        if part.key.is_none() {
            let id = record.get("id").and_then(Value::as_str).unwrap_or_default().to_owned();
            let file = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
                .join("tests/fixtures")
                .join(vendor.replace('_', "-"))
                .join(folder)
                .join(format!("sublists/{id}_{}.json", part.object));
            if let Ok(text) = std::fs::read_to_string(file) {
                let page = canonical_finance::json::parse(&text).unwrap();
                let items = page.get("items").and_then(Value::as_array).cloned().unwrap();
                record = parts::assemble(mapper, &record, &part.object, &items).unwrap();
            }
            continue;
        }
        let (Some(key), Some(parent)) = (&part.key, &part.parent) else { continue };
        let own = canonical_finance::mapping::pointer::get(&record, parent).cloned();
        let mut lines = Vec::new();
        for entry in std::fs::read_dir(&dir).into_iter().flatten() {
            let text = std::fs::read_to_string(entry.unwrap().path()).unwrap();
            let page = canonical_finance::json::parse(&text).unwrap();
            let items = page.get("value").and_then(Value::as_array).cloned().unwrap_or_default();
            lines.extend(
                items
                    .into_iter()
                    .filter(|l| canonical_finance::mapping::pointer::get(l, key).cloned() == own),
            );
        }
        if !lines.is_empty() {
            record = parts::assemble(mapper, &record, &part.object, &lines).unwrap();
        }
    }
    record
}

#[test]
fn every_fixture_record_passes_the_conformance_suite() {
    let registry = Registry::builtin().unwrap();
    let cw = tenant();
    let mut failures = Vec::new();
    for (vendor, folder, object) in MAPPED {
        let mapper = cw.wrap(registry.get(vendor, object).unwrap());
        let files = responses(vendor, folder);
        let mut records: Vec<(String, Value)> = records(&mapper, &files)
            .into_iter()
            .map(|(name, r)| (name, with_parts(&mapper, vendor, folder, r)))
            .collect();
        // Records that are documents only together (a journal's lines, the
        // ledger's entries of every page) are grouped, as a caller does.
        // The pages of one list (`page_*.json`) are read together, as a
        // caller reads every page first; other files are responses each.
        if let Some(group) = mapper.group() {
            let mut sets: Vec<(String, Vec<Value>)> = Vec::new();
            for (name, record) in &records {
                let file = name.split('/').next().unwrap_or_default();
                let set = if file.starts_with("page_") { "pages" } else { file };
                match sets.iter_mut().find(|(s, _)| s == set) {
                    Some((_, list)) => list.push(record.clone()),
                    None => sets.push((set.to_owned(), vec![record.clone()])),
                }
            }
            records = Vec::new();
            for (set, list) in sets {
                for whole in parts::group(&mapper, &list).unwrap() {
                    let key = canonical_finance::mapping::pointer::get(&whole, &group.by).unwrap();
                    records.push((format!("{set} document {key}"), whole));
                }
            }
        }
        let count = if mapper.group().is_some() { records.len() } else { files.len() };
        if count < 3 {
            failures.push(format!("{vendor}/{folder}: {count} fixtures, expected at least 3"));
        }
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
            if mapper.group().is_some() {
                // Grouped records come back through parts::ungroup.
                let lines: Vec<Value> = opened.records().iter().map(|r| (*r).clone()).collect();
                let mut back = Vec::new();
                for whole in parts::group(&mapper, &lines).unwrap() {
                    let c = mapper.to_canonical(&whole).unwrap().value;
                    back.extend(
                        parts::ungroup(&mapper, &mapper.to_vendor(&c).unwrap().value).unwrap(),
                    );
                }
                if opened.shell().close(back).unwrap() != response {
                    failures.push(format!("{vendor}/{folder}/{name}: differs"));
                }
                continue;
            }
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

#[test]
fn invoice_lines_sent_apart_make_the_invoice_the_expanded_response_is() {
    let registry = Registry::builtin().unwrap();
    let cw = tenant();
    let mapper = cw.wrap(registry.get("business_central", "salesInvoice").unwrap());
    let read = |file: &str| {
        let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/business-central/sales_invoices")
            .join(file);
        canonical_finance::json::parse(&std::fs::read_to_string(path).unwrap()).unwrap()
    };
    let header = read("103001.json");
    let lines = read("sales_invoice_lines/103001_lines.json");
    let lines = lines["value"].as_array().unwrap();
    let whole = parts::assemble(&mapper, &header, "salesInvoiceLine", lines).unwrap();
    let expanded = read("103001_expanded.json");
    let a = mapper.to_canonical(&whole).unwrap().value;
    let b = mapper.to_canonical(&expanded).unwrap().value;
    for field in ["lines", "tax_breakdown", "totals", "status", "counterparty"] {
        assert_eq!(a[field], b[field], "{field}");
    }
    // And back: the header and its lines apart again, each naming it.
    let back = mapper.to_vendor(&a).unwrap().value;
    let (again, split) = parts::split(&mapper, &back).unwrap();
    assert_eq!(again, header);
    assert_eq!(split[0].1.as_slice(), lines.as_slice());
}

#[test]
fn invoice_lines_carry_the_dimensions_they_post_with() {
    // Xero tracking categories, by name.
    let xero = canonical_of("xero/invoice/accrec_exclusive_nzd_discount_tracking_part_paid.json");
    assert_eq!(
        xero["lines"][0]["dimensions"],
        canonical_finance::json!({"other": {"Region": "North"}})
    );
    // A QuickBooks class, by id.
    let bill = canonical_of("quickbooks/bill/two_account_lines_classes_paid.json");
    assert_eq!(bill["lines"][0]["dimensions"]["class"], "5000000000000012346");
    assert_eq!(bill["lines"][1]["dimensions"]["class"], "5000000000000012345");
    // NetSuite segments, and the subsidiary as the legal entity.
    let journal = canonical_of("netsuite/journal_entry/payroll_accrual_usd_segments.json");
    assert_eq!(
        journal["lines"][0]["dimensions"],
        canonical_finance::json!({"department": "1", "legal_entity": "1", "location": "1", "class": "1"})
    );
}

/// Each line's (tax code, category, rate, tax amount), and the breakdown
/// as (category, rate, taxable, tax).
fn taxes(invoice: &Value) -> (Vec<[Value; 4]>, Vec<[Value; 4]>) {
    let field = |v: &Value, k: &str| v.get(k).cloned().unwrap_or(Value::Null);
    let amount = |v: &Value, k: &str| v.get(k).map_or(Value::Null, |m| m["amount"].clone());
    let lines = invoice["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            [
                field(l, "tax_code"),
                field(l, "tax_category"),
                field(l, "tax_rate"),
                amount(l, "tax_amount"),
            ]
        })
        .collect();
    let breakdown = invoice["tax_breakdown"]
        .as_array()
        .unwrap()
        .iter()
        .map(|t| {
            [
                field(t, "category"),
                field(t, "rate"),
                amount(t, "taxable_amount"),
                amount(t, "tax_amount"),
            ]
        })
        .collect();
    (lines, breakdown)
}

#[test]
fn netsuite_tax_reads_the_same_in_either_of_its_forms() {
    use canonical_finance::json;
    // SuiteTax: each line's tax details, joined by taxDetailsReference.
    let suitetax =
        canonical_of("netsuite/invoice/suitetax_nordic_nok_items_expanded_part_paid.json");
    assert_eq!(
        taxes(&suitetax),
        (
            vec![
                [json!("21"), json!("standard"), json!("25.0"), json!("5535.0")],
                [json!("21"), json!("standard"), json!("25.0"), json!("2259.0")],
                [json!("21"), json!("standard"), json!("25.0"), json!("1933.75")],
            ],
            vec![[json!("standard"), json!("25.0"), json!("38911.00"), json!("9727.75")]],
        )
    );
    // Legacy tax, a code per line (the zero-rated code's rate from the
    // tenant's table, the line's own 0.0 kept for the way back).
    let legacy =
        canonical_of("netsuite/invoice/legacy_uk_line_tax_codes_individual_gbp_part_paid.json");
    assert_eq!(
        taxes(&legacy),
        (
            vec![
                [json!("12"), json!("standard"), json!("20.0"), json!("15.4")],
                [json!("12"), json!("standard"), json!("20.0"), json!("37.2")],
                [json!("14"), json!("zero_rated"), json!("0"), json!("0.0")],
            ],
            vec![
                [json!("standard"), json!("20.0"), json!("263.00"), json!("52.60")],
                [json!("zero_rated"), json!("0"), json!("29.90"), json!("0.00")],
            ],
        )
    );
    // Legacy US tax: the header's tax group on each taxable line, the tax
    // on the net after the discount, as NetSuite computed it.
    let us = canonical_of(
        "netsuite/invoice/legacy_us_tax_group_percent_discount_sub_customer_paid.json",
    );
    assert_eq!(
        taxes(&us),
        (
            vec![
                [json!("401"), json!("standard"), json!("7.71"), Value::Null],
                [json!("401"), json!("standard"), json!("7.71"), Value::Null],
            ],
            vec![[json!("standard"), json!("7.71"), json!("1560.60"), json!("120.32")]],
        )
    );
    assert_eq!(
        us["allowances_charges"][0],
        json!({"kind": "allowance", "amount": {"amount": "173.4", "currency": "USD"},
               "reason": "DISC-10 Early-order discount", "tax_category": "standard", "tax_rate": "7.71"})
    );
    assert_eq!(us["totals"]["amount_due"], json!({"amount": "0.0", "currency": "USD"}));
    // A bill with no tax at all: outside its scope.
    let bill = canonical_of("netsuite/vendor_bill/us_item_and_expense_no_tax_paid.json");
    assert_eq!(
        taxes(&bill).1,
        vec![[json!("outside_scope"), Value::Null, json!("415.00"), json!("0.00")]]
    );
    assert_eq!(bill["lines"][1]["account_code"], "560");
}

#[test]
fn a_journal_line_with_a_balancing_account_posts_both_sides() {
    use canonical_finance::json;
    let registry = Registry::builtin().unwrap();
    let cw = tenant();
    let mapper = cw.wrap(registry.get("business_central", "journalLine").unwrap());
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join(
        "tests/fixtures/business-central/journal_lines/monthend_lines_expanded_dimensions.json",
    );
    let page = json::parse(&std::fs::read_to_string(path).unwrap()).unwrap();
    let opened = envelope::open(&mapper, &page).unwrap();
    let lines: Vec<Value> = opened.records().iter().map(|r| (*r).clone()).collect();
    let wholes = parts::group(&mapper, &lines).unwrap();
    let numbers: Vec<&Value> = wholes.iter().map(|w| &w["documentNumber"]).collect();
    assert_eq!(
        numbers,
        [&json!("GJ-0301"), &json!("GJ-0302"), &json!("GJ-0303"), &json!("GJ-0304")]
    );
    let entry = mapper.to_canonical(&wholes[1]).unwrap().value;
    let gbp = |a: &str| json!({"amount": a, "currency": "GBP"});
    let posted: Vec<(Value, Value, Value)> = entry["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| (l["account_code"].clone(), l["side"].clone(), l["amount"].clone()))
        .collect();
    // Customer 20000 credited 15.00, its balancing G/L account debited.
    assert_eq!(
        posted,
        vec![
            (json!("20000"), json!("credit"), gbp("15")),
            (json!("68100"), json!("debit"), gbp("15"))
        ]
    );
    assert_eq!(entry["lines"][0]["counterparty"]["external_refs"][0]["id"], "20000");
    assert_eq!(entry["lines"][1]["dimensions"], json!({"other": {"DEPARTMENT": "SALES"}}));
    assert_eq!(entry["lines"][1].get("id"), None);
    // The way back: one line again, its balancing account as it was.
    let back = mapper.to_vendor(&entry).unwrap();
    assert_eq!(back.losses, vec![]);
    assert_eq!(parts::ungroup(&mapper, &back.value).unwrap(), vec![lines[3].clone()]);
    // A balancing line changed in the canonical record cannot be sent.
    let mut changed = entry.clone();
    changed["lines"][1]["account_code"] = json!("68200");
    let back = mapper.to_vendor(&changed).unwrap();
    assert_eq!(back.losses.len(), 1, "{:?}", back.losses);
    assert_eq!(
        back.losses[0].reason,
        "business_central journalLine: the line at /lines/1 is the twin of the line before it, which posts it from its /balancingAccountNumber: its own values are not written"
    );
}

#[test]
fn the_ledger_is_read_only_and_says_so_on_the_way_back() {
    let registry = Registry::builtin().unwrap();
    let cw = tenant();
    let mapper = cw.wrap(registry.get("business_central", "generalLedgerEntry").unwrap());
    let mut entries = Vec::new();
    for page in ["page_1.json", "page_2.json"] {
        let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/business-central/general_ledger_entries")
            .join(page);
        let response =
            canonical_finance::json::parse(&std::fs::read_to_string(path).unwrap()).unwrap();
        let opened = envelope::open(&mapper, &response).unwrap();
        entries.extend(opened.records().iter().map(|r| (*r).clone()));
    }
    let wholes = parts::group(&mapper, &entries).unwrap();
    assert_eq!(wholes.len(), 4);
    let invoice = mapper.to_canonical(&wholes[0]).unwrap().value;
    assert_eq!(invoice["status"], "posted");
    assert_eq!(invoice["lines"].as_array().unwrap().len(), 5);
    assert_eq!(invoice["lines"][4]["side"], "debit");
    assert_eq!(
        invoice["lines"][4]["amount"],
        canonical_finance::json!({"amount": "811.8", "currency": "GBP"})
    );
    assert!(mapper.read_only());
    let back = mapper.to_vendor(&invoice).unwrap();
    assert_eq!(back.losses.len(), 1);
    assert_eq!(back.losses[0].path, "/id");
    assert!(back.losses[0].reason.starts_with("business_central generalLedgerEntry is read only"));
}

#[test]
fn a_business_central_payment_is_in_its_invoices_currency_or_the_companys() {
    use canonical_finance::json;
    let eur = canonical_of("business-central/customer_payments/line_40000_eur_103004.json");
    assert_eq!(eur["amount"], json!({"amount": "1000", "currency": "EUR"}));
    assert_eq!(eur["direction"], "received");
    assert_eq!(eur["applications"][0]["target"]["display"], "103004");
    assert_eq!(eur["applications"][0]["amount"], json!({"amount": "1000", "currency": "EUR"}));
    let on_account = canonical_of("business-central/customer_payments/cards_on_account_lines.json");
    assert_eq!(on_account["amount"], json!({"amount": "250", "currency": "GBP"}));
    assert_eq!(on_account.get("applications"), None);
}

#[test]
fn a_business_central_lines_dimension_set_lines_are_its_dimensions_by_code() {
    use canonical_finance::json;
    let registry = Registry::builtin().unwrap();
    let cw = tenant();
    let mapper = cw.wrap(registry.get("business_central", "salesInvoice").unwrap());
    let read = |file: &str| {
        let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
            .join("tests/fixtures/business-central")
            .join(file);
        json::parse(&std::fs::read_to_string(path).unwrap()).unwrap()
    };
    // GET …/salesInvoiceLines(<line 10000>)/dimensionSetLines, put in its line.
    let mut invoice = read("sales_invoices/103001_expanded.json");
    let dimensions = read("dimension_set_lines/sales_invoice_line_103001_10000.json");
    invoice["salesInvoiceLines"][0]["dimensionSetLines"] = dimensions["value"].clone();
    let c = mapper.to_canonical(&invoice).unwrap().value;
    assert_eq!(
        c["lines"][0]["dimensions"],
        json!({"other": {"COSTCENTER": "RETAIL", "DEPARTMENT": "SALES", "PROJECT": "SPRING26"}})
    );
    assert_eq!(mapper.to_vendor(&c).unwrap().value, invoice);
}
