//! The mapping language's patterns that several vendors share, on the
//! in-house ledger files in `tests/fixtures/mapping-language/`: list items
//! sorted by a discriminator (computed ones kept), amounts with tax by a
//! document field, reference objects, custom-field arrays, signed amounts
//! and debit/credit columns, envelopes, and the crosswalk.

use canonical_finance::json;
use canonical_finance::json::Value;
use canonical_finance::mapping::{
    Crosswalk, LossKind, Mapper, MappingError, Registry, conformance, envelope,
};
use canonical_finance::model::{Invoice, JournalEntry};

const DIR: &str = "tests/fixtures/mapping-language";

fn ledger() -> Registry {
    let mut r = Registry::new();
    r.load_dir(std::path::Path::new(DIR)).unwrap();
    r
}

/// A gross invoice: 2 × 11.50 with 1.50 tax in it, a text line, a
/// subtotal the ledger computed, a 2.00 discount, two custom fields.
fn gross_invoice() -> Value {
    json::parse(
        r#"{
        "Key": "I-7", "Currency": "NZD", "AmountsAre": "Gross",
        "Customer": {"key": "C-3", "label": "Kea Outdoor", "kind": "Customer"},
        "Lines": [
            {"Kind": "Item", "Ref": "L1", "Text": "Tent", "Qty": 2, "Price": 11.50, "Amount": 23.00, "Tax": 3.00, "Sku": "T-2"},
            {"Kind": "Text", "Ref": "L2", "Text": "Shipped in two boxes", "Amount": 0, "Price": 0},
            {"Kind": "Subtotal", "Amount": 23.00},
            {"Kind": "Discount", "Amount": 2.00, "Text": "Loyalty"}
        ],
        "Fields": [{"id": 1, "label": "PO", "text": "PO-88"}, {"id": 2, "label": "Crates", "number": 4}],
        "Net": 20.00, "TaxTotal": 3.00, "Total": 23.00
    }"#,
    )
    .unwrap()
}

fn invoice_mapper(r: &Registry) -> &dyn Mapper {
    r.get("ledger", "Invoice").unwrap()
}

#[test]
fn cases_sort_items_by_their_discriminator_and_keep_computed_ones() {
    let r = ledger();
    let m = invoice_mapper(&r);
    let input = gross_invoice();
    let out = m.to_canonical(&input).unwrap();
    let c = &out.value;
    assert_eq!(c["lines"].as_array().unwrap().len(), 2);
    assert_eq!(c["lines"][0]["id"], "L1");
    assert_eq!(c["lines"][1]["description"], "Shipped in two boxes");
    assert_eq!(c["lines"][1]["quantity"], "0", "a text line has no quantity: the default");
    assert_eq!(
        c["allowances_charges"],
        json!([{"kind": "allowance", "amount": {"amount": "2.00", "currency": "NZD"}, "reason": "Loyalty"}])
    );
    // The subtotal is no canonical line, and is kept where it was.
    let kept = &c["extensions"]["ledger"]["Lines"];
    assert_eq!(kept[2], json::parse(r#"{"Kind": "Subtotal", "Amount": 23.00}"#).unwrap());
    assert_eq!(kept[0], json!({"Kind": "Item", "Sku": "T-2"}));
    // Back: the same payload, items in their order.
    assert_eq!(m.to_vendor(c).unwrap().value, input);
    serde_json::from_value::<Invoice>(c.to_serde_json().unwrap()).unwrap();
}

#[test]
fn an_item_of_an_unknown_kind_is_kept_and_reported() {
    let r = ledger();
    let m = invoice_mapper(&r);
    let mut input = gross_invoice();
    input["Lines"].as_array_mut().unwrap().push(json!({"Kind": "Shipping", "Amount": 5}));
    let out = m.to_canonical(&input).unwrap();
    let loss = out.losses.iter().find(|l| l.path == "/Lines/4/Kind").unwrap();
    assert_eq!(loss.kind, LossKind::Lossy);
    assert!(
        loss.reason
            .contains("expected one of Item, Text, Discount, Subtotal, but found `Shipping`"),
        "{}",
        loss.reason
    );
    assert_eq!(m.to_vendor(&out.value).unwrap().value, input);
}

#[test]
fn the_way_back_drops_removed_items_and_adds_new_ones_with_their_case() {
    let r = ledger();
    let m = invoice_mapper(&r);
    let mut c = m.to_canonical(&gross_invoice()).unwrap().value;
    // The text line removed, a discount added.
    c["lines"].as_array_mut().unwrap().remove(1);
    c["allowances_charges"].as_array_mut().unwrap().push(json!(
        {"kind": "allowance", "amount": {"amount": "1.00", "currency": "NZD"}, "reason": "Promo"}));
    let back = m.to_vendor(&c).unwrap().value;
    let kinds: Vec<&str> =
        back["Lines"].as_array().unwrap().iter().map(|l| l["Kind"].as_str().unwrap()).collect();
    assert_eq!(kinds, ["Item", "Subtotal", "Discount", "Discount"]);
    assert_eq!(
        back["Lines"][3],
        json::parse(r#"{"Kind": "Discount", "Amount": 1.00, "Text": "Promo"}"#).unwrap()
    );
}

#[test]
fn a_document_field_decides_whether_amounts_include_tax() {
    let r = ledger();
    let m = invoice_mapper(&r);
    let gross = m.to_canonical(&gross_invoice()).unwrap().value;
    assert_eq!(gross["tax_inclusive"], true);
    assert_eq!(gross["lines"][0]["net_amount"], json!({"amount": "20.00", "currency": "NZD"}));
    assert_eq!(gross["lines"][0]["tax_amount"], json!({"amount": "3.00", "currency": "NZD"}));
    let mut net_input = gross_invoice();
    net_input["AmountsAre"] = json!("Net");
    let net = m.to_canonical(&net_input).unwrap().value;
    assert_eq!(net.get("tax_inclusive"), None);
    assert_eq!(net["lines"][0]["net_amount"]["amount"], "23.00");
    // A record made outside the ledger: the flag decides the way back.
    let mut edited = gross.clone();
    edited["lines"][0]["net_amount"]["amount"] = json!("40.00");
    edited["lines"][0]["tax_amount"]["amount"] = json!("6.00");
    let back = m.to_vendor(&edited).unwrap().value;
    assert_eq!(back["Lines"][0]["Amount"], json::parse("46.00").unwrap());
    edited["tax_inclusive"] = json!(false);
    let back = m.to_vendor(&edited).unwrap().value;
    assert_eq!(back["AmountsAre"], "Net");
    assert_eq!(back["Lines"][0]["Amount"], json::parse("40.00").unwrap());
}

#[test]
fn reference_objects_become_external_refs_with_their_label() {
    let r = ledger();
    let m = invoice_mapper(&r);
    let c = m.to_canonical(&gross_invoice()).unwrap().value;
    assert_eq!(
        c["counterparty"],
        json!({"external_refs": [{"system": "ledger", "object_type": "Customer", "id": "C-3"}], "display": "Kea Outdoor"})
    );
    // The member no rule reads stays with the reference.
    assert_eq!(c["extensions"]["ledger"]["Customer"], json!({"kind": "Customer"}));
    let mut made = c.clone();
    made["counterparty"] =
        json!({"external_refs": [{"system": "ledger", "object_type": "Customer", "id": "C-9"}]});
    made["extensions"]["ledger"].as_object_mut().unwrap().remove("Customer");
    let back = m.to_vendor(&made).unwrap().value;
    assert_eq!(back["Customer"], json!({"key": "C-9"}));
    // Not an object: an error naming the place.
    let mut bad = gross_invoice();
    bad["Customer"] = json!("C-3");
    match m.to_canonical(&bad) {
        Err(MappingError::InvalidInput { pointer, message, .. }) => {
            assert_eq!(pointer, "/Customer");
            assert!(
                message.starts_with("expected a reference object with its id at /key"),
                "{message}"
            );
        }
        other => panic!("{other:?}"),
    }
    bad["Customer"] = json!({"label": "Kea Outdoor"});
    match m.to_canonical(&bad) {
        Err(MappingError::InvalidInput { pointer, .. }) => assert_eq!(pointer, "/Customer/key"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn custom_field_arrays_become_a_map_and_come_back_by_name() {
    let r = ledger();
    let m = invoice_mapper(&r);
    let c = m.to_canonical(&gross_invoice()).unwrap().value;
    assert_eq!(c["extensions"]["custom"], json!({"PO": "PO-88", "Crates": 4}));
    let mut edited = c.clone();
    edited["extensions"]["custom"] = json!({"Crates": 5, "Dock": "B"});
    let back = m.to_vendor(&edited).unwrap().value;
    // PO removed, Crates changed in the member it came from, Dock added.
    assert_eq!(
        back["Fields"],
        json!([{"id": 2, "label": "Crates", "number": 5}, {"label": "Dock", "text": "B"}])
    );
}

#[test]
fn signed_amounts_and_debit_credit_columns_become_side_and_amount() {
    let r = ledger();
    let m = r.get("ledger", "Journal").unwrap();
    let input = json!({"Key": "J-1", "Date": "2026-03-31", "Currency": "EUR", "Lines": [
        {"Form": "Signed", "Account": "6100", "Amount": 120.5, "Tracking": [{"name": "Region", "option": "North"}]},
        {"Form": "Signed", "Account": "2000", "Amount": -100.5},
        {"Form": "Columns", "Account": "1200", "Debit": 0, "Credit": 20}
    ]});
    let out = m.to_canonical(&input).unwrap();
    let lines = &out.value["lines"];
    assert_eq!(lines[0]["side"], "debit");
    assert_eq!(lines[0]["amount"], json!({"amount": "120.5", "currency": "EUR"}));
    assert_eq!(lines[0]["dimensions"], json!({"other": {"Region": "North"}}));
    assert_eq!(lines[1]["side"], "credit");
    assert_eq!(lines[1]["amount"]["amount"], "100.5");
    assert_eq!(lines[2]["side"], "credit");
    assert_eq!(lines[2]["amount"]["amount"], "20");
    assert!(out.is_exact(), "{:?}", out.losses);
    let entry: JournalEntry = serde_json::from_value(out.value.to_serde_json().unwrap()).unwrap();
    assert_eq!(entry.lines.len(), 3);
    assert_eq!(m.to_vendor(&out.value).unwrap().value, input);
    // Sides switched: the sign flips, the amount moves column.
    let mut c = out.value.clone();
    c["lines"][1]["side"] = json!("debit");
    c["lines"][2]["side"] = json!("debit");
    let back = m.to_vendor(&c).unwrap().value;
    assert_eq!(back["Lines"][1]["Amount"], json!(100.5));
    assert_eq!(
        back["Lines"][2],
        json!({"Form": "Columns", "Account": "1200", "Debit": 20, "Credit": 0})
    );
    // Both columns with an amount: an error naming both.
    let mut bad = input.clone();
    bad["Lines"][2]["Debit"] = json!(5);
    match m.to_canonical(&bad) {
        Err(MappingError::InvalidInput { pointer, message, .. }) => {
            assert_eq!(pointer, "/Lines/2/Debit");
            assert!(
                message.contains("/Lines/2/Credit and /Lines/2/Debit both hold one"),
                "{message}"
            );
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn envelopes_give_one_record_per_element_and_come_back_the_same() {
    let r = ledger();
    let m = invoice_mapper(&r);
    let mut second = gross_invoice();
    second["Key"] = json!("I-8");
    let page = json!({"Status": "OK", "Invoices": [gross_invoice(), second], "pagination": {"page": 1, "itemCount": 2}});
    let opened = envelope::open(m, &page).unwrap();
    assert_eq!(opened.records().len(), 2);
    assert_eq!(opened.pointer(1), "/Invoices/1");
    let records: Vec<Value> = opened.to_canonical(m).map(|r| r.unwrap().value).collect();
    assert_eq!(records[1]["id"], "I-8");
    let back = opened.shell().to_vendor(m, &records).unwrap();
    assert_eq!(back.value, page);
    // One record in its member; a bare record is itself.
    let one = json!({"Invoice": gross_invoice(), "time": "2026-03-04T10:15:22-08:00"});
    let opened = envelope::open(m, &one).unwrap();
    assert_eq!(opened.pointer(0), "/Invoice");
    let records: Vec<Value> = opened.to_canonical(m).map(|r| r.unwrap().value).collect();
    assert_eq!(opened.shell().to_vendor(m, &records).unwrap().value, one);
    assert!(opened.shell().close(Vec::new()).is_err());
    let bare = gross_invoice();
    assert_eq!(envelope::open(m, &bare).unwrap().records(), [&bare]);
    // A list place that holds no list is an error there.
    match envelope::open(m, &json!({"Invoices": {"Key": "I-7"}})) {
        Err(MappingError::InvalidInput { pointer, .. }) => assert_eq!(pointer, "/Invoices"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn the_crosswalk_fills_canonical_ids_both_ways_and_invents_none() {
    let r = ledger();
    let m = invoice_mapper(&r);
    // Empty: the vendor ids stay external refs, no id appears.
    let empty = Crosswalk::new();
    let plain = empty.wrap(m).to_canonical(&gross_invoice()).unwrap().value;
    assert_eq!(plain["counterparty"].get("id"), None);
    assert_eq!(plain["id"], "I-7");
    let mut cw = Crosswalk::new();
    cw.insert("ledger", "Customer", "C-3", "cust_0042");
    cw.insert("ledger", "Invoice", "I-7", "inv_0007");
    let wrapped = cw.wrap(m);
    let c = wrapped.to_canonical(&gross_invoice()).unwrap().value;
    assert_eq!(c["counterparty"]["id"], "cust_0042");
    assert_eq!(c["id"], "inv_0007");
    // Back: the record's id is the ledger's again, the payload as it came.
    let back = wrapped.to_vendor(&c).unwrap();
    assert_eq!(back.value, gross_invoice());
    // A record made elsewhere names its customer by canonical id only: the
    // crosswalk gives the ledger's id.
    let mut made = c.clone();
    made["counterparty"] = json!({"id": "cust_0042"});
    made["extensions"]["ledger"].as_object_mut().unwrap().remove("Customer");
    let back = wrapped.to_vendor(&made).unwrap().value;
    assert_eq!(back["Customer"], json!({"key": "C-3"}));
    // Unknown to the crosswalk: reported, nothing made up.
    made["counterparty"] = json!({"id": "cust_0099"});
    let out = wrapped.to_vendor(&made).unwrap();
    assert!(
        out.losses.iter().any(|l| l.path == "/counterparty" && l.kind == LossKind::Unsupported)
    );
    assert_eq!(out.value.get("Customer"), None);
}

#[test]
fn the_in_house_files_pass_the_conformance_suite() {
    let r = ledger();
    let m = r.get("ledger", "Journal").unwrap();
    let journal = json!({"Key": "J-2", "Date": "2026-04-30", "Currency": "EUR", "Lines": [
        {"Form": "Signed", "Account": "6100", "Amount": 80, "Tracking": [{"name": "Region", "option": "South"}]},
        {"Form": "Columns", "Account": "2000", "Debit": 0, "Credit": 80}
    ]});
    let report = conformance::check(m, &[("journal.json".to_owned(), journal)]);
    assert!(report.is_ok(), "{report}");
}

fn load(rules: &str) -> Result<(), MappingError> {
    let text = format!(
        r#"{{"vendor": "ledger", "object": "Bad", "entity": "journal_entry", "rules": [{rules}]}}"#
    );
    Registry::new().load_str("ledger/bad.json", &text)
}

#[test]
fn the_new_keys_fail_at_load_naming_the_place_and_the_problem() {
    let cases = [
        (
            r#"{"vendor": "/Lines", "cases": [{"when": ["A"], "canonical": "/lines", "each": []}]}"#,
            "/rules/0",
            "needs `vendor`, `by` and no `canonical`",
        ),
        (
            r#"{"vendor": "/Lines", "by": "/K", "cases": [{"when": ["A"], "canonical": "/lines", "each": []}, {"when": ["A"]}]}"#,
            "/rules/0/cases/1/when/0",
            "`A` is in an earlier case",
        ),
        (
            r#"{"vendor": "/Lines", "by": "/K", "cases": [{"when": ["A"], "canonical": "/description", "each": []}]}"#,
            "/rules/0/cases/0/canonical",
            "expected an array for a case",
        ),
        (
            r#"{"vendor": "/L", "canonical": "/lines", "each": [{"vendor": "/A", "canonical": "/amount", "money": {"currency": "^/C"}, "side": {"canonical": "/side", "positive": "debit"}}]}"#,
            "/rules/0/each/0/side",
            "expected `positive` and `negative`",
        ),
        (
            r#"{"vendor": "/L", "canonical": "/lines", "each": [{"vendor": "/A", "canonical": "/amount", "money": {"currency": "^/C"}, "side": {"canonical": "/side", "positive": "debit", "negative": "left"}}]}"#,
            "/rules/0/each/0/side/negative",
            "expected one of credit, debit (the values of /side), but found `left`",
        ),
        (
            r#"{"vendor": "/L", "canonical": "/lines", "each": [{"vendor": "/A", "canonical": "/amount", "money": {"currency": "^/C"}, "side": {"canonical": "/side", "columns": {"debit": "/D", "credit": "/C"}}}]}"#,
            "/rules/0/each/0",
            "needs `canonical` and no `vendor`",
        ),
        (
            r#"{"vendor": "/F", "canonical": "/description", "fields": {"name": "/n", "value": "/v"}}"#,
            "/rules/0/canonical",
            "expected a map of names to values",
        ),
        (
            r#"{"vendor": "^/K", "canonical": "/id", "enum": {"a": "b"}}"#,
            "/rules/0/vendor",
            "a `^` pointer (from the document root) goes with a copy or a money rule",
        ),
        (
            r#"{"vendor": "/Amt", "canonical": "/description", "present": "x", "absent": "y", "needs": ["/a"]}"#,
            "/rules/0/needs",
            "`needs` only goes with `object`",
        ),
    ];
    for (rules, pointer, message) in cases {
        match load(rules) {
            Err(MappingError::InvalidSpec { pointer: p, message: m, .. }) => {
                assert_eq!(p, pointer, "{rules}: {m}");
                assert!(m.contains(message), "{rules}: {m:?} does not contain {message:?}");
            }
            other => panic!("{rules}: expected InvalidSpec, got {other:?}"),
        }
    }
}

#[test]
fn blanks_are_absent_for_a_vendor_that_writes_every_field() {
    let spec = r#"{"vendor": "ledger", "object": "Party", "entity": "customer", "blank_is_absent": true,
        "absent_values": ["00000000-0000-0000-0000-000000000000"],
        "rules": [{"vendor": "/Key", "canonical": "/id"}, {"canonical": "/kind", "constant": "organization"},
          {"vendor": "/ParentId", "canonical": "/parent", "reference": "customer"},
          {"vendor": "/Name", "canonical": "/display_name"},
          {"vendor": "/Mail", "canonical": "/email"}, {"vendor": "/Web", "canonical": "/website"},
          {"vendor": "/Blocked", "canonical": "/status", "enum": {"All": "blocked"}, "default": "active"}]}"#;
    let mut r = Registry::new();
    r.load_str("ledger/party.json", spec).unwrap();
    let m = r.get("ledger", "Party").unwrap();
    let input = json!({"Key": "P-1", "Name": "Kea Outdoor", "Mail": "", "Web": "   ", "Blocked": " ",
               "ParentId": "00000000-0000-0000-0000-000000000000"});
    let out = m.to_canonical(&input).unwrap();
    assert_eq!(out.value.get("email"), None);
    assert_eq!(out.value.get("website"), None);
    assert_eq!(out.value.get("parent"), None, "the nil GUID is a reference to nothing");
    assert_eq!(out.value["status"], "active", "a blank code takes the default");
    assert!(out.losses.is_empty(), "{:?}", out.losses);
    // The blanks come back as they were.
    assert_eq!(m.to_vendor(&out.value).unwrap().value, input);
    // Without the switch a blank is a value.
    let strict = spec.replace(r#""blank_is_absent": true,"#, "");
    let mut r = Registry::new();
    r.load_str("ledger/party.json", &strict).unwrap();
    let out = r
        .get("ledger", "Party")
        .unwrap()
        .to_canonical(&json!({"Key": "P-1", "Name": "Kea", "Mail": ""}));
    assert_eq!(out.unwrap().value["email"], "");
}

#[test]
fn members_named_with_a_prefix_are_custom_fields_and_come_back_by_name() {
    let spec = r#"{"vendor": "ledger", "object": "Party", "entity": "customer",
        "rules": [{"vendor": "/id", "canonical": "/id"}, {"canonical": "/kind", "constant": "organization"},
          {"canonical": "/status", "constant": "active"}, {"vendor": "/name", "canonical": "/display_name"},
          {"members": "cust_", "canonical": "/extensions/custom"}]}"#;
    let mut r = Registry::new();
    r.load_str("ledger/party.json", spec).unwrap();
    let m = r.get("ledger", "Party").unwrap();
    let input = json!({"id": "P-1", "name": "Kea Outdoor", "cust_tier": {"id": "2", "refName": "Gold"},
                       "cust_hold": false, "other": 1});
    let out = m.to_canonical(&input).unwrap();
    assert_eq!(
        out.value["extensions"]["custom"],
        json!({"cust_tier": {"id": "2", "refName": "Gold"}, "cust_hold": false})
    );
    assert_eq!(out.value["extensions"]["ledger"], json!({"other": 1}));
    assert_eq!(m.to_vendor(&out.value).unwrap().value, input);
    // A custom field added in the canonical record is written; one without
    // the prefix is not the vendor's, and is reported.
    let mut edited = out.value.clone();
    edited["extensions"]["custom"]["cust_region"] = json!("North");
    edited["extensions"]["custom"]["po"] = json!("PO-1");
    let back = m.to_vendor(&edited).unwrap();
    assert_eq!(back.value["cust_region"], "North");
    assert_eq!(back.value.get("po"), None);
    assert!(back.losses.iter().any(|l| l.path == "/extensions/custom/po"), "{:?}", back.losses);
}

#[test]
fn zeros_where_the_file_says_none_a_composite_tax_key_and_a_boolean_switch() {
    let spec = r#"{"vendor": "ledger", "object": "Sale", "entity": "invoice", "zero_is_absent": ["/off"],
        "rules": [{"vendor": "/id", "canonical": "/id"}, {"canonical": "/kind", "constant": "invoice"},
          {"canonical": "/status", "constant": "draft"}, {"vendor": "/to", "canonical": "/counterparty", "reference": "customer"},
          {"vendor": "/ccy", "canonical": "/currency"},
          {"vendor": "/gross", "canonical": "/tax_inclusive", "default": false},
          {"vendor": "/lines", "canonical": "/lines", "each": [
            {"vendor": "/qty", "canonical": "/quantity", "transform": "decimal_number"},
            {"vendor": "/price", "canonical": "/unit_price", "money": {"currency": "^/ccy", "encoding": "decimal",
              "tax_included": {"when": "^/gross", "values": ["true"], "canonical": "^/tax_inclusive", "tax": "/tax",
                               "canonical_tax": "/tax_amount", "per": "/qty", "canonical_per": "/quantity"}}},
            {"vendor": "/off", "canonical": "/allowances_charges/0/kind", "present": "allowance"},
            {"vendor": "/off", "canonical": "/allowances_charges/0/amount", "money": {"currency": "^/ccy", "encoding": "decimal"}},
            {"vendor": "/net", "canonical": "/net_amount", "money": {"currency": "^/ccy", "encoding": "decimal"}},
            {"vendor": "/tax", "canonical": "/tax_amount", "money": {"currency": "^/ccy", "encoding": "decimal"}},
            {"vendor": "/group", "canonical": "/tax_code", "lookup": {"table": "^/Codes", "fill": {"/tax_category": "/category"}, "with": ["/pct"]}},
            {"vendor": "/pct", "canonical": "/tax_rate", "transform": "decimal_number"}]}],
        "derive": {"tax_breakdown": {"exemption_reasons": {"intra_community": "Intra-community supply"}}, "totals": true}}"#;
    let mut r = Registry::new();
    r.load_str("ledger/sale.json", spec).unwrap();
    let m = r.get("ledger", "Sale").unwrap();
    let input = json::parse(
        r#"{"id": "S-1", "to": "C-1", "ccy": "EUR", "gross": true,
            "Codes": {"STD:20": {"category": "standard"}, "STD:0": {"category": "intra_community"}},
            "lines": [{"qty": 2, "price": 12.00, "off": 0, "net": 20.00, "tax": 4.00, "group": "STD", "pct": 20.0},
                      {"qty": 1, "price": 50.00, "off": 5.00, "net": 45.00, "tax": 0.00, "group": "STD", "pct": 0}]}"#,
    )
    .unwrap();
    let out = m.to_canonical(&input).unwrap();
    let c = &out.value;
    // A boolean switch: the gross unit price loses a unit's share of the tax.
    assert_eq!(c["lines"][0]["unit_price"]["amount"], "10.00");
    // Zero is no discount; 5.00 is one.
    assert_eq!(c["lines"][0].get("allowances_charges"), None);
    assert_eq!(c["lines"][1]["allowances_charges"][0]["amount"]["amount"], "5.00");
    // The key is the group and the rate, the rate by its value.
    assert_eq!(c["lines"][0]["tax_category"], "standard");
    assert_eq!(c["lines"][1]["tax_category"], "intra_community");
    assert!(out.losses.is_empty(), "{:?}", out.losses);
    assert_eq!(m.to_vendor(c).unwrap().value, input);
}

#[test]
fn currencies_named_by_the_vendors_own_ids_go_through_the_tenants_table() {
    let spec = r#"{"vendor": "ledger", "object": "Entry", "entity": "journal_entry",
        "rules": [{"vendor": "/id", "canonical": "/id"}, {"canonical": "/status", "constant": "posted"},
          {"vendor": "/date", "canonical": "/posting_date"},
          {"vendor": "/lines", "canonical": "/lines", "each": [
            {"vendor": "/acct", "canonical": "/account_code"},
            {"canonical": "/amount", "money": {"currency": "^/currency/id", "currency_table": "^/Currencies", "encoding": "decimal"},
             "side": {"canonical": "/side", "columns": {"debit": "/dr", "credit": "/cr"}}}]}]}"#;
    let mut r = Registry::new();
    r.load_str("ledger/entry.json", spec).unwrap();
    let mut cw = Crosswalk::new();
    cw.set_tenant_value("ledger", "/Currencies", json!({"1": "USD", "7": "NOK"}));
    let m = cw.wrap(r.get("ledger", "Entry").unwrap());
    let input = json::parse(
        r#"{"id": "E-1", "date": "2026-03-31", "currency": {"id": "7", "refName": "Norwegian krone"},
            "lines": [{"acct": "6100", "dr": 80.00}, {"acct": "2000", "cr": 80.00}]}"#,
    )
    .unwrap();
    let c = m.to_canonical(&input).unwrap().value;
    assert_eq!(c["lines"][0]["amount"], json!({"amount": "80.00", "currency": "NOK"}));
    assert_eq!(c["extensions"]["ledger"].get("Currencies"), None, "the table is the tenant's");
    assert_eq!(m.to_vendor(&c).unwrap().value, input);
    // A currency the table does not have is an error naming it.
    let mut unknown = input.clone();
    unknown["currency"]["id"] = json!("9");
    match m.to_canonical(&unknown) {
        Err(MappingError::InvalidInput { pointer, message, .. }) => {
            assert_eq!(pointer, "/currency/id");
            assert!(
                message.starts_with(
                    "currency `9` is not in the tenant's currency table at ^/Currencies"
                ),
                "{message}"
            );
        }
        other => panic!("{other:?}"),
    }
    // The way back for a currency the table lacks: reported, not invented.
    let mut eur = c.clone();
    for line in eur["lines"].as_array_mut().unwrap() {
        line["amount"]["currency"] = json!("EUR");
    }
    let back = m.to_vendor(&eur).unwrap();
    assert!(back.losses.iter().any(|l| l.reason.contains("has none for EUR")), "{:?}", back.losses);
}

#[test]
fn a_boolean_discriminator_sorts_items_and_a_new_item_gets_the_boolean() {
    let spec = r#"{"vendor": "ledger", "object": "Receipt", "entity": "payment",
        "rules": [{"vendor": "/id", "canonical": "/id"}, {"canonical": "/direction", "constant": "received"},
          {"canonical": "/status", "constant": "completed"}, {"vendor": "/day", "canonical": "/payment_date"},
          {"vendor": "/total", "canonical": "/amount", "money": {"currency": "/ccy", "encoding": "decimal"}},
          {"vendor": "/apply", "by": "/apply", "cases": [
            {"when": ["true"], "canonical": "/applications", "each": [
              {"vendor": "/doc", "canonical": "/target", "reference": "invoice"},
              {"vendor": "/amount", "canonical": "/amount", "money": {"currency": "^/ccy", "encoding": "decimal"}}]},
            {"when": ["false"], "note": "open, not paid by this receipt"}]}]}"#;
    // `apply` is both the array and each item's flag, as NetSuite names them.
    let spec = spec.replacen(r#""vendor": "/apply", "by""#, r#""vendor": "/items", "by""#, 1);
    let mut r = Registry::new();
    r.load_str("ledger/receipt.json", &spec).unwrap();
    let m = r.get("ledger", "Receipt").unwrap();
    let input = json::parse(
        r#"{"id": "R-1", "day": "2026-03-11", "ccy": "USD", "total": 50.00,
            "items": [{"doc": "I-1", "apply": true, "amount": 50.00}, {"doc": "I-2", "apply": false, "amount": 0}]}"#,
    )
    .unwrap();
    let c = m.to_canonical(&input).unwrap().value;
    assert_eq!(c["applications"].as_array().unwrap().len(), 1);
    assert_eq!(c["applications"][0]["target"]["external_refs"][0]["id"], "I-1");
    assert_eq!(m.to_vendor(&c).unwrap().value, input);
    let mut more = c.clone();
    more["amount"]["amount"] = json!("80.00");
    let mut added = c["applications"][0].clone();
    added["target"]["external_refs"][0]["id"] = json!("I-3");
    added["amount"]["amount"] = json!("30.00");
    more["applications"].as_array_mut().unwrap().push(added);
    let back = m.to_vendor(&more).unwrap().value;
    assert_eq!(back["items"][2]["apply"], json!(true), "written as the boolean it matches");
}
