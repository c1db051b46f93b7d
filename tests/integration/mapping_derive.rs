//! The mapping language's tenant tables (`lookup`) and derived invoice
//! parts (`derive`, money `plus`, `tax_included.per`, enum `default`), on
//! the in-house ledger bill in `tests/fixtures/mapping-language/`.

use canonical_finance::json;
use canonical_finance::json::Value;
use canonical_finance::mapping::{
    Crosswalk, LossKind, Mapper, MappingError, Registry, conformance,
};
use canonical_finance::model::Invoice;
use canonical_finance::validate::Validate;

fn ledger() -> Registry {
    let mut r = Registry::new();
    r.load_dir(std::path::Path::new("tests/fixtures/mapping-language")).unwrap();
    r
}

/// The tenant's tax codes, as a caller loads them once.
fn tenant() -> Crosswalk {
    let mut cw = Crosswalk::new();
    cw.set_tenant_value(
        "ledger",
        "/Codes",
        json!({"S20": {"category": "standard", "rate": "20"}, "Z": {"category": "zero_rated", "rate": "0"},
               "CITY": {"category": "standard", "rate": "8.25"}}),
    );
    cw
}

/// A net bill: 3 × 40.00 less 10 % at 20 %, a 2-hour line the ledger
/// gives no price for, zero-rated; a line whose code stands for the
/// document's; 30.00 paid and 10.00 credited.
fn bill() -> Value {
    json::parse(
        r#"{
        "Key": "B-1", "Number": "2026-0041", "Date": "2026-05-04", "Currency": "GBP", "Customer": {"key": "C-9"}, "DocCode": "CITY",
        "Lines": [
            {"Ref": "1", "Qty": 3, "Price": 40.00, "Off": 10, "Amount": 108.00, "Tax": 21.60, "Code": "S20"},
            {"Ref": "2", "Qty": 2, "Amount": 55.00, "Tax": 0.00, "Code": "Z"},
            {"Ref": "3", "Qty": 1, "Price": 100.00, "Amount": 100.00, "Tax": 8.25, "Code": "DOC"},
            {"Ref": "4", "Qty": 1, "Price": 12.00, "Amount": 12.00, "Tax": 0.00, "Code": "FREE"}
        ],
        "TaxTotal": 29.85, "Total": 304.85, "Paid": 30.00, "Credited": 10.00
    }"#,
    )
    .unwrap()
}

fn money(amount: &str) -> Value {
    json!({"amount": amount, "currency": "GBP"})
}

#[test]
fn a_code_is_looked_up_in_the_tenant_table_its_own_place_or_the_files_defaults() {
    let r = ledger();
    let cw = tenant();
    let m = cw.wrap(r.get("ledger", "Bill").unwrap());
    let out = m.to_canonical(&bill()).unwrap();
    let lines = out.value["lines"].as_array().unwrap();
    let taxes: Vec<(&str, &str, &str)> = lines
        .iter()
        .map(|l| {
            (
                l["tax_code"].as_str().unwrap(),
                l["tax_category"].as_str().unwrap(),
                l["tax_rate"].as_str().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        taxes,
        [
            ("S20", "standard", "20"),
            ("Z", "zero_rated", "0"),
            ("DOC", "standard", "8.25"),
            ("FREE", "exempt", "0")
        ]
    );
    // The table is the tenant's: it is not kept in the record.
    assert_eq!(out.value["extensions"]["ledger"].get("Codes"), None);
    assert!(out.losses.is_empty(), "{:?}", out.losses);
}

#[test]
fn a_code_the_table_lacks_is_kept_and_its_fields_reported_missing() {
    let r = ledger();
    let m = r.get("ledger", "Bill").unwrap();
    // No crosswalk: no table at /Codes; the file's own FREE still reads.
    let out = m.to_canonical(&bill()).unwrap();
    let line = &out.value["lines"][0];
    assert_eq!(line["tax_code"], "S20");
    assert_eq!(line.get("tax_category"), None);
    assert_eq!(out.value["lines"][3]["tax_category"], "exempt");
    let loss = out.losses.iter().find(|l| l.path == "/Lines/0/Code").unwrap();
    assert_eq!(loss.kind, LossKind::Incomplete);
    assert_eq!(
        loss.reason,
        "code `S20` cannot be looked up: no tenant table at ^/Codes (/tax_category and /tax_rate left out): put the tenant's table there with Crosswalk::set_tenant_value"
    );
    // A line without a category: no breakdown is derived, and that is said.
    assert_eq!(out.value.get("tax_breakdown"), None);
    assert!(out.losses.iter().any(|l| l.path == "/lines/0/tax_category"
        && l.reason == "the line has no tax category: the tax breakdown is not derived"));
}

#[test]
fn the_breakdown_totals_discounts_prices_and_status_are_derived() {
    let r = ledger();
    let cw = tenant();
    let m = cw.wrap(r.get("ledger", "Bill").unwrap());
    let c = m.to_canonical(&bill()).unwrap().value;
    assert_eq!(
        c["lines"][0]["allowances_charges"],
        json!([{"kind": "allowance", "amount": money("12.00"), "base_amount": money("120.00"), "percent": "10"}])
    );
    assert_eq!(c["lines"][1]["unit_price"], money("27.5"));
    assert_eq!(
        c["tax_breakdown"],
        json!([
            {"category": "standard", "rate": "20", "taxable_amount": money("108.00"), "tax_amount": money("21.60")},
            {"category": "zero_rated", "rate": "0", "taxable_amount": money("55.00"), "tax_amount": money("0.00")},
            {"category": "standard", "rate": "8.25", "taxable_amount": money("100.00"), "tax_amount": money("8.25")},
            {"category": "exempt", "rate": "0", "taxable_amount": money("12.00"), "tax_amount": money("0.00"),
             "exemption_reason": "Not taxable"}
        ])
    );
    assert_eq!(
        c["totals"],
        json!({"line_net_total": money("275.00"), "total_without_tax": money("275.00"),
               "tax_total": money("29.85"), "total_with_tax": money("304.85"),
               "paid": money("40.00"), "amount_due": money("264.85")})
    );
    assert_eq!(c["status"], "partially_paid");
    let invoice: Invoice = json::from_value(&c).unwrap();
    assert!(invoice.validate().is_valid(), "{}", invoice.validate());
}

#[test]
fn the_way_back_leaves_derived_parts_to_the_vendor_and_returns_the_payload() {
    let r = ledger();
    let cw = tenant();
    let m = cw.wrap(r.get("ledger", "Bill").unwrap());
    let c = m.to_canonical(&bill()).unwrap().value;
    let back = m.to_vendor(&c).unwrap();
    assert_eq!(back.value, bill());
    assert!(back.losses.is_empty(), "{:?}", back.losses);
    let report = conformance::check(&m, &[("bill.json".to_owned(), bill())]);
    assert!(report.is_ok(), "{report}");
}

#[test]
fn settled_amounts_add_up_and_come_apart_again() {
    let r = ledger();
    let cw = tenant();
    let m = cw.wrap(r.get("ledger", "Bill").unwrap());
    let mut c = m.to_canonical(&bill()).unwrap().value;
    assert_eq!(c["totals"]["paid"], money("40.00"));
    // 25.00 more paid: the credit kept comes off again.
    c["totals"]["paid"] = money("65.00");
    c["totals"]["amount_due"] = money("239.85");
    let back = m.to_vendor(&c).unwrap().value;
    assert_eq!(back["Paid"], json::parse("55.00").unwrap());
    assert_eq!(back["Credited"], json::parse("10.00").unwrap());
}

#[test]
fn gross_unit_prices_lose_a_units_share_of_the_tax_and_get_it_back() {
    let r = ledger();
    let cw = tenant();
    let m = cw.wrap(r.get("ledger", "Bill").unwrap());
    // 3 × 10.00 with tax in it: 30.00 with 5.00 tax, so a unit's net is
    // 10.00 − 5.00 / 3, which no decimal holds exactly.
    let gross = json::parse(
        r#"{"Key": "B-2", "Currency": "GBP", "Customer": {"key": "C-9"}, "Pricing": "Gross",
            "Lines": [{"Ref": "1", "Qty": 3, "Price": 10.00, "Amount": 30.00, "Tax": 5.00, "Code": "S20"}],
            "TaxTotal": 5.00, "Total": 30.00, "Paid": 0.00}"#,
    )
    .unwrap();
    let c = m.to_canonical(&gross).unwrap().value;
    assert_eq!(c["tax_inclusive"], true);
    assert_eq!(c["lines"][0]["unit_price"], money("8.33333333333333333333"));
    assert_eq!(c["lines"][0]["net_amount"], money("25.00"));
    assert_eq!(c["status"], "issued");
    let back = m.to_vendor(&c).unwrap();
    assert_eq!(back.value, gross);
    assert!(back.losses.is_empty(), "{:?}", back.losses);
}

#[test]
fn a_default_holds_where_the_payload_and_the_record_leave_the_field_out() {
    let r = ledger();
    let cw = tenant();
    let m = cw.wrap(r.get("ledger", "Bill").unwrap());
    let c = m.to_canonical(&bill()).unwrap().value;
    // Side absent: the default, and the way back does not add it.
    assert_eq!(c.get("side"), None);
    assert_eq!(m.to_vendor(&c).unwrap().value.get("Side"), None);
    // Side AR is the default too (omitted in the record), and comes back.
    let mut ar = bill();
    ar["Side"] = json!("AR");
    let c = m.to_canonical(&ar).unwrap().value;
    assert_eq!(c.get("side"), None);
    assert_eq!(m.to_vendor(&c).unwrap().value["Side"], "AR");
}

#[test]
fn a_record_made_elsewhere_gets_the_code_its_category_and_rate_have() {
    let r = ledger();
    let cw = tenant();
    let m = cw.wrap(r.get("ledger", "Bill").unwrap());
    let mut c = m.to_canonical(&bill()).unwrap().value;
    c.as_object_mut().unwrap().remove("extensions");
    for line in c["lines"].as_array_mut().unwrap() {
        line.as_object_mut().unwrap().remove("tax_code");
    }
    c["lines"][1]["tax_rate"] = json!("0.0");
    let back = m.to_vendor(&c).unwrap();
    let codes: Vec<&Value> =
        back.value["Lines"].as_array().unwrap().iter().map(|l| &l["Code"]).collect();
    // DOC is a stand-in, never written for a rate: CITY is.
    assert_eq!(codes, [&json!("S20"), &json!("Z"), &json!("CITY"), &json!("FREE")]);
    // A rate no code has is reported, not invented.
    c["lines"][0]["tax_rate"] = json!("17.5");
    let back = m.to_vendor(&c).unwrap();
    assert_eq!(back.value["Lines"][0].get("Code"), None);
    let loss = back.losses.iter().find(|l| l.path == "/lines/0/tax_code").unwrap();
    assert_eq!(loss.kind, LossKind::Unsupported);
    assert_eq!(
        loss.reason,
        "ledger Bill needs a code for \"standard\", \"17.5\": no code in the tenant table at ^/Codes has one; set the code"
    );
}

fn load(entity: &str, rules: &str, derive: &str) -> Result<(), MappingError> {
    let text = format!(
        r#"{{"vendor": "ledger", "object": "Bad", "entity": "{entity}", "rules": [{rules}]{derive}}}"#
    );
    Registry::new().load_str("ledger/bad.json", &text)
}

#[test]
fn lookups_and_derivations_fail_at_load_naming_the_place_and_the_problem() {
    let line =
        |rule: &str| format!(r#"{{"vendor": "/L", "canonical": "/lines", "each": [{rule}]}}"#);
    let cases = [
        (
            "journal_entry",
            String::new(),
            r#", "derive": {"totals": true}"#,
            "/derive",
            "expected `derive` in an invoice mapping only, but the entity is journal_entry",
        ),
        (
            "invoice",
            String::new(),
            r#", "derive": {"tax_breakdown": {"exemption_reasons": {"standard": "x"}}}"#,
            "/derive/tax_breakdown/exemption_reasons/standard",
            "expected a category that needs an exemption reason",
        ),
        (
            "invoice",
            line(
                r#"{"vendor": "/C", "canonical": "/tax_code", "enum": {"a": "b"}, "lookup": {"table": "^/T", "fill": {"/tax_rate": "/rate"}}}"#,
            ),
            "",
            "/rules/0/each/0/lookup",
            "`lookup` only goes with a plain copy of the code",
        ),
        (
            "invoice",
            line(
                r#"{"vendor": "/C", "canonical": "/tax_code", "lookup": {"table": "^/T", "fill": {"/rate": "/rate"}}}"#,
            ),
            "",
            "/rules/0/each/0/lookup/fill/~1rate",
            "/rate is not a place",
        ),
        (
            "invoice",
            line(
                r#"{"vendor": "/C", "canonical": "/tax_code", "lookup": {"table": "^/T", "fill": {"/tax_rate": "/rate"}, "defaults": {"X": "standard"}}}"#,
            ),
            "",
            "/rules/0/each/0/lookup/defaults/X",
            "expected an entry object",
        ),
        (
            "invoice",
            line(
                r#"{"vendor": "/P", "canonical": "/unit_price", "money": {"currency": "^/C", "tax_included": {"when": "^/G", "values": ["Y"], "canonical": "^/tax_inclusive", "tax": "/T", "canonical_tax": "/tax_amount", "per": "/Q"}}}"#,
            ),
            "",
            "/rules/0/each/0/money/tax_included",
            "`per` and `canonical_per` go together",
        ),
    ];
    for (entity, rules, derive, pointer, message) in cases {
        match load(entity, &rules, derive) {
            Err(MappingError::InvalidSpec { pointer: p, message: m, .. }) => {
                assert_eq!(p, pointer, "{rules}{derive}: {m}");
                assert!(m.contains(message), "{rules}{derive}: {m:?} does not contain {message:?}");
            }
            other => panic!("{rules}{derive}: expected InvalidSpec, got {other:?}"),
        }
    }
}
