//! The Stripe mappers against the fixtures in `tests/fixtures/stripe/`:
//! conformance for every object, exact values for the documents that
//! matter, paginated lines, expanded references, and no panics on any JSON.

use std::path::PathBuf;

use canonical_finance::mapping::{Loss, LossKind, MappingError, Registry, conformance};
use canonical_finance::model::{Contract, Invoice, InvoiceStatus, Payment, PaymentStatus};
use canonical_finance::vendors::stripe::merge_line_pages;
use proptest::prelude::*;
use serde_json::{Value, json};

fn dir(object: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/stripe").join(object)
}

/// One fixture, by object and file stem.
fn fixture(object: &str, name: &str) -> Value {
    let path = dir(object).join(format!("{name}.json"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap()
}

/// Every fixture of an object, by file stem, without the extra pages of
/// paginated lists (`*.page2.json`), which are list objects.
fn fixtures(object: &str) -> Vec<(String, Value)> {
    let mut names: Vec<String> = std::fs::read_dir(dir(object))
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.extension().is_some_and(|e| e == "json"))
        .map(|p| p.file_stem().unwrap().to_string_lossy().into_owned())
        .filter(|n| !n.contains(".page"))
        .collect();
    names.sort();
    assert!(!names.is_empty(), "no {object} fixtures");
    names.into_iter().map(|n| (n.clone(), fixture(object, &n))).collect()
}

fn registry() -> Registry {
    Registry::builtin().unwrap()
}

fn check(object: &str, fixtures: &[(String, Value)]) {
    let registry = registry();
    let report = conformance::check(registry.get("stripe", object).unwrap(), fixtures);
    assert!(report.is_ok(), "{report}");
    assert_eq!(report.fixtures, fixtures.len());
}

fn money(amount: &str, currency: &str) -> Value {
    json!({"amount": amount, "currency": currency})
}

fn stripe_ref(object_type: &str, id: &str) -> Value {
    json!({"external_refs": [{"system": "stripe", "object_type": object_type, "id": id}]})
}

fn kinds_at(losses: &[Loss], path: &str) -> Vec<LossKind> {
    losses.iter().filter(|l| l.path == path).map(|l| l.kind).collect()
}

/// The paginated invoice with its second page merged in.
fn full_paginated_invoice() -> Value {
    let mut invoice = fixture("invoice", "paginated_lines");
    merge_line_pages(&mut invoice, &[fixture("invoice", "paginated_lines.page2")]).unwrap();
    invoice
}

// ---------------------------------------------------------------------------
// Conformance, one test per object.

#[test]
fn customer_fixtures_conform() {
    check("customer", &fixtures("customer"));
}

#[test]
fn subscription_fixtures_conform() {
    check("subscription", &fixtures("subscription"));
}

#[test]
fn invoice_fixtures_conform() {
    // A document with `lines.has_more` is incomplete by definition: its sums
    // cannot match Stripe's totals. It conforms once its pages are merged
    // (see `paginated_lines_are_incomplete_until_merged`).
    let mut all: Vec<(String, Value)> =
        fixtures("invoice").into_iter().filter(|(n, _)| n != "paginated_lines").collect();
    all.push(("paginated_lines+page2".to_owned(), full_paginated_invoice()));
    assert_eq!(all.len(), 9);
    check("invoice", &all);
}

#[test]
fn credit_note_fixtures_conform() {
    check("credit_note", &fixtures("credit_note"));
}

#[test]
fn payment_intent_fixtures_conform() {
    check("payment_intent", &fixtures("payment_intent"));
}

#[test]
fn charge_fixtures_conform() {
    check("charge", &fixtures("charge"));
}

#[test]
fn refund_fixtures_conform() {
    check("refund", &fixtures("refund"));
}

#[test]
fn invoice_payment_fixtures_conform() {
    check("invoice_payment", &fixtures("invoice_payment"));
}

// ---------------------------------------------------------------------------
// Exact values.

#[test]
fn jpy_invoice_counts_in_whole_yen() {
    let registry = registry();
    let mapped = registry
        .to_canonical_as::<Invoice>("stripe", "invoice", &fixture("invoice", "jpy_single_tax"))
        .unwrap();
    let c = serde_json::to_value(&mapped.value).unwrap();
    assert_eq!(c["id"], "in_1IaaiXLdg7Rq2WmX5satDdEM");
    assert_eq!(
        c["external_refs"][0],
        json!({"system": "stripe", "object_type": "invoice", "id": "in_1IaaiXLdg7Rq2WmX5satDdEM"})
    );
    assert_eq!(c["currency"], "JPY");
    assert_eq!(c["status"], "paid");
    assert_eq!(c["counterparty"], stripe_ref("customer", "cus_XuL6jDIN0YjygT"));
    assert!(c.get("contract").is_none(), "a manual invoice has no subscription");
    assert_eq!(c["issue_date"], "2026-07-15");
    let line = &c["lines"][0];
    assert_eq!(line["quantity"], "7");
    assert_eq!(line["unit_price"], money("980", "JPY"));
    assert_eq!(line["net_amount"], money("6860", "JPY"));
    assert_eq!(line["tax_category"], "standard");
    assert_eq!(line["tax_rate"], "10");
    assert_eq!(line["tax_amount"], money("686", "JPY"));
    assert_eq!(line["tax_code"], "txr_1yd5JiLdg7Rq2WmXy2DbSHBQ");
    assert_eq!(line["period"], json!({"start": "2026-07-15", "end": "2026-07-15"}));
    assert_eq!(
        c["tax_breakdown"],
        json!([{"category": "standard", "rate": "10", "taxable_amount": money("12360", "JPY"),
                "tax_amount": money("1236", "JPY")}])
    );
    let t = &c["totals"];
    assert_eq!(t["line_net_total"], money("12360", "JPY"));
    assert_eq!(t["total_without_tax"], money("12360", "JPY"));
    assert_eq!(t["tax_total"], money("1236", "JPY"));
    assert_eq!(t["total_with_tax"], money("13596", "JPY"));
    assert_eq!(t["paid"], money("13596", "JPY"));
    assert_eq!(t["amount_due"], money("0", "JPY"));
    // Every tax amount divides to exactly 10 %, but Stripe sent only the
    // rate's id, so the rate is still reported as estimated (10.00 at
    // 8.875 % rounds to 0.89, which divides to exactly 8.9 %).
    let taxes: Vec<&Loss> = mapped.losses.iter().filter(|l| l.path.contains("tax")).collect();
    assert_eq!(taxes.len(), 1, "{:?}", mapped.losses);
    assert_eq!(taxes[0].kind, LossKind::Estimated);
    assert_eq!(
        taxes[0].reason,
        "tax rate txr_1yd5JiLdg7Rq2WmXy2DbSHBQ has no percentage here (Stripe sends the tax rate's id only); 10 % reproduces every tax amount exactly, but other rates may too: expand or fetch the tax rate for the exact rate"
    );
}

#[test]
fn multi_tax_invoice_splits_the_invoice_discount_by_rate() {
    let mapped = registry()
        .get("stripe", "invoice")
        .unwrap()
        .to_canonical(&fixture("invoice", "eur_multi_tax_discount_open"))
        .unwrap();
    let c = &mapped.value;
    assert_eq!(c["status"], "issued", "open and nothing paid");
    assert_eq!(c["contract"], stripe_ref("subscription", "sub_17kOZJLdg7Rq2WmXedjanqmI"));
    assert_eq!(c["issue_date"], "2026-05-01");
    assert_eq!(c["due_date"], "2026-05-31");
    // The 10 % invoice discount is document-level: line nets are before it.
    let lines = c["lines"].as_array().unwrap();
    assert_eq!(lines[0]["net_amount"], money("468.00", "EUR"));
    assert_eq!(lines[0]["unit_price"], money("39.00", "EUR"));
    assert_eq!(lines[0]["period"], json!({"start": "2026-05-01", "end": "2026-05-31"}));
    assert_eq!(
        (&lines[0]["tax_rate"], &lines[0]["tax_amount"]),
        (&json!("19"), &money("80.03", "EUR"))
    );
    assert_eq!(lines[1]["net_amount"], money("98.00", "EUR"));
    assert_eq!(
        (&lines[1]["tax_rate"], &lines[1]["tax_amount"]),
        (&json!("7"), &money("6.17", "EUR"))
    );
    assert!(lines.iter().all(|l| l.get("allowances_charges").is_none()));
    let discount = "Discount di_1uaYeCLdg7Rq2WmX8AyodHTQ";
    assert_eq!(
        c["allowances_charges"],
        json!([
            {"kind": "allowance", "amount": money("46.80", "EUR"), "reason": discount, "tax_category": "standard", "tax_rate": "19"},
            {"kind": "allowance", "amount": money("9.80", "EUR"), "reason": discount, "tax_category": "standard", "tax_rate": "7"}
        ])
    );
    assert_eq!(
        c["tax_breakdown"],
        json!([
            {"category": "standard", "rate": "19", "taxable_amount": money("421.20", "EUR"), "tax_amount": money("80.03", "EUR")},
            {"category": "standard", "rate": "7", "taxable_amount": money("88.20", "EUR"), "tax_amount": money("6.17", "EUR")}
        ])
    );
    let t = &c["totals"];
    assert_eq!(t["line_net_total"], money("566.00", "EUR"));
    assert_eq!(t["allowance_total"], money("56.60", "EUR"));
    assert_eq!(t["total_without_tax"], money("509.40", "EUR"));
    assert_eq!(t["tax_total"], money("86.20", "EUR"));
    assert_eq!(t["total_with_tax"], money("595.60", "EUR"));
    assert!(t.get("paid").is_none());
    assert_eq!(t["amount_due"], money("595.60", "EUR"));
    // The current shape names tax rates by id only: both rates are
    // estimated from the amounts (80.03 is 421.20 × 19 % rounded), and said so.
    for path in [
        "/lines/data/0/taxes/0/tax_rate_details/tax_rate",
        "/lines/data/1/taxes/0/tax_rate_details/tax_rate",
    ] {
        assert_eq!(kinds_at(&mapped.losses, path), [LossKind::Estimated], "{:?}", mapped.losses);
    }
    // Metadata stays as custom fields.
    assert_eq!(
        c["extensions"]["stripe"]["lines"]["data"][0]["metadata"],
        json!({"erp_contract": "V-2025-031"})
    );
}

#[test]
fn old_shape_invoice_reads_subscription_price_and_tax_amounts() {
    let mapped = registry()
        .get("stripe", "invoice")
        .unwrap()
        .to_canonical(&fixture("invoice", "old_shape_2020_08_27"))
        .unwrap();
    let c = &mapped.value;
    assert_eq!(c["contract"], stripe_ref("subscription", "sub_148AneLdg7Rq2WmXmMhrV8H5"));
    // No effective_at in 2020-08-27: the issue date is the finalization day.
    assert_eq!(c["issue_date"], "2025-03-01");
    let line = &c["lines"][0];
    assert_eq!(line["unit_price"], money("49.00", "USD"));
    assert_eq!(line["quantity"], "6");
    assert_eq!(
        line["item"]["external_refs"],
        json!([{"system": "stripe", "object_type": "product", "id": "prod_i0ZFGOmbqXJWvz"},
               {"system": "stripe", "object_type": "price", "id": "price_1z3OprLdg7Rq2WmXgfPgAKRQ"}])
    );
    // The expanded line tax_rates give the exact percentage and name.
    assert_eq!(line["tax_rate"], "8.875");
    assert_eq!(line["tax_amount"], money("26.09", "USD"));
    assert_eq!(
        c["tax_breakdown"],
        json!([{"category": "standard", "rate": "8.875", "taxable_amount": money("309.00", "USD"),
                "tax_amount": money("27.42", "USD"), "name": "Sales Tax"}])
    );
    assert_eq!(c["totals"]["total_with_tax"], money("336.42", "USD"));
    assert_eq!(c["totals"]["tax_total"], money("27.42", "USD"));
    assert_eq!(c["totals"]["amount_due"], money("0.00", "USD"));
    assert!(mapped.losses.iter().all(|l| !l.path.contains("tax")), "{:?}", mapped.losses);
    // The older fields come back where they were read.
    let mapper = registry();
    let mapper = mapper.get("stripe", "invoice").unwrap();
    let back = mapper.to_vendor(c).unwrap();
    assert_eq!(back.value, fixture("invoice", "old_shape_2020_08_27"));
}

#[test]
fn current_invoice_estimates_the_new_york_rate_and_says_so() {
    let mapped = registry()
        .get("stripe", "invoice")
        .unwrap()
        .to_canonical(&fixture("invoice", "current_usd_subscription_paid"))
        .unwrap();
    let c = &mapped.value;
    assert_eq!(c["contract"], stripe_ref("subscription", "sub_148AneLdg7Rq2WmXmMhrV8H5"));
    assert_eq!(c["lines"][0]["tax_rate"], "8.875");
    assert_eq!(c["lines"][0]["period"], json!({"start": "2026-07-01", "end": "2026-07-31"}));
    assert_eq!(c["tax_breakdown"][0]["tax_amount"], money("23.07", "USD"));
    assert_eq!(c["tax_breakdown"][0]["taxable_amount"], money("260.00", "USD"));
    let loss = mapped
        .losses
        .iter()
        .find(|l| l.path == "/lines/data/0/taxes/0/tax_rate_details/tax_rate")
        .unwrap();
    assert_eq!(loss.kind, LossKind::Estimated);
    assert!(loss.reason.contains("8.875 % is estimated"), "{loss}");
}

#[test]
fn kwd_invoice_counts_in_thousandths_and_is_outside_the_scope_of_tax() {
    let mapped = registry()
        .to_canonical_as::<Invoice>("stripe", "invoice", &fixture("invoice", "kwd_three_decimal"))
        .unwrap();
    let c = serde_json::to_value(&mapped.value).unwrap();
    assert_eq!(c["lines"][0]["unit_price"], money("12.750", "KWD"));
    assert_eq!(c["lines"][0]["net_amount"], money("38.250", "KWD"));
    assert_eq!(c["lines"][0]["tax_category"], "outside_scope");
    assert!(c["lines"][0].get("tax_amount").is_none(), "Stripe stated no tax");
    // Outside the scope of tax there is no rate (EN 16931 BR-O-05), not 0.
    for line in c["lines"].as_array().unwrap() {
        assert!(line.get("tax_rate").is_none(), "{line}");
    }
    assert!(c["tax_breakdown"][0].get("rate").is_none());
    assert_eq!(c["tax_breakdown"][0]["exemption_reason"], "No tax charged");
    assert_eq!(c["totals"]["total_with_tax"], money("47.220", "KWD"));
}

#[test]
fn credit_notes_are_positive_and_name_their_invoice() {
    let registry = registry();
    let mapper = registry.get("stripe", "credit_note").unwrap();

    let usd =
        mapper.to_canonical(&fixture("credit_note", "issued_post_payment_refund_usd")).unwrap();
    let c = &usd.value;
    assert_eq!(c["kind"], "credit_note");
    assert_eq!(c["status"], "issued");
    assert_eq!(c["number"], "NWA7C21F-0017-CN-01");
    assert_eq!(
        c["preceding_invoices"],
        json!([{"invoice": stripe_ref("invoice", "in_1XjRD9Ldg7Rq2WmXVWtTh9xC")}])
    );
    assert_eq!(c["issue_date"], "2026-07-09");
    // A line crediting an invoice line has no unit amount: amount ÷ quantity.
    assert_eq!(c["lines"][0]["unit_price"], money("15.00", "USD"));
    assert_eq!(c["lines"][0]["net_amount"], money("15.00", "USD"));
    assert_eq!(c["lines"][0]["tax_amount"], money("1.33", "USD"));
    assert_eq!(c["tax_breakdown"][0]["rate"], "8.875");
    assert_eq!(c["tax_breakdown"][0]["name"], "Sales Tax");
    assert_eq!(c["totals"]["total_with_tax"], money("16.33", "USD"));
    assert_eq!(c["totals"]["amount_due"], money("16.33", "USD"));
    assert!(usd.losses.iter().all(|l| !l.path.contains("tax")), "{:?}", usd.losses);

    // Void, two rates, a discount share on the invoice line.
    let eur = mapper.to_canonical(&fixture("credit_note", "void_pre_payment_eur")).unwrap();
    let c = &eur.value;
    assert_eq!(c["status"], "void");
    let atlas = &c["lines"][0];
    assert_eq!(atlas["unit_price"], money("24.50", "EUR"));
    assert_eq!(
        atlas["allowances_charges"],
        json!([{"kind": "allowance", "amount": money("2.45", "EUR"), "reason": "Discount di_1uaYeCLdg7Rq2WmX8AyodHTQ"}])
    );
    assert_eq!(atlas["net_amount"], money("22.05", "EUR"));
    assert_eq!((&atlas["tax_rate"], &atlas["tax_amount"]), (&json!("7"), &money("1.54", "EUR")));
    assert_eq!(
        c["tax_breakdown"],
        json!([
            {"category": "standard", "rate": "7", "taxable_amount": money("22.05", "EUR"), "tax_amount": money("1.54", "EUR"), "name": "USt. ermäßigt"},
            {"category": "standard", "rate": "19", "taxable_amount": money("10.00", "EUR"), "tax_amount": money("1.90", "EUR"), "name": "USt."}
        ])
    );
    assert_eq!(c["totals"]["total_without_tax"], money("32.05", "EUR"));
    assert_eq!(c["totals"]["total_with_tax"], money("35.49", "EUR"));

    // JPY, old shape.
    let jpy = mapper.to_canonical(&fixture("credit_note", "jpy_old_shape_refund")).unwrap();
    let c = &jpy.value;
    assert_eq!(c["issue_date"], "2026-07-20", "no effective_at: the creation day");
    assert_eq!(c["lines"][0]["net_amount"], money("5500", "JPY"));
    assert_eq!(c["tax_breakdown"][0]["tax_amount"], money("550", "JPY"));
    assert_eq!(c["totals"]["total_with_tax"], money("6050", "JPY"));
}

#[test]
fn refunds_name_the_payment_they_return() {
    let registry = registry();
    let mapped = registry
        .to_canonical_as::<Payment>(
            "stripe",
            "refund",
            &fixture("refund", "partial_requested_by_customer"),
        )
        .unwrap();
    assert!(mapped.is_exact(), "{:?}", mapped.losses);
    let c = serde_json::to_value(&mapped.value).unwrap();
    assert_eq!(c["id"], "re_1aGovdLdg7Rq2WmXuQRSDUen");
    assert_eq!(c["direction"], "sent");
    assert_eq!(c["status"], "completed");
    assert_eq!(c["method"], "card");
    assert_eq!(c["amount"], money("16.33", "USD"));
    assert_eq!(c["payment_date"], "2026-07-09");
    assert_eq!(c["created_at"], "2026-07-09T14:22:04Z");
    assert_eq!(c["description"], "requested_by_customer");
    assert_eq!(c["counterparty"], stripe_ref("customer", "cus_6e5Cr6CJt9qQlT"));
    assert_eq!(
        c["refund_of"],
        json!({"external_refs": [
            {"system": "stripe", "object_type": "charge", "id": "ch_1neHMGLdg7Rq2WmXgK3g7bqX"},
            {"system": "stripe", "object_type": "payment_intent", "id": "pi_1BXfk5Ldg7Rq2WmXWyfjbmdb"}
        ]})
    );
    assert_eq!(c["extensions"]["stripe"]["metadata"], json!({"support_ticket": "SUP-48213"}));

    let pending = registry
        .to_canonical_as::<Payment>("stripe", "refund", &fixture("refund", "pending_jpy"))
        .unwrap()
        .value;
    assert_eq!(pending.status, PaymentStatus::Pending);
    assert_eq!(pending.amount.to_string(), "6050 JPY");

    // Without its residue, a refund goes back to Stripe and returns whole.
    let mapper = registry.get("stripe", "refund").unwrap();
    let mut bare = c.clone();
    bare.as_object_mut().unwrap().remove("extensions");
    let out = mapper.to_vendor(&bare).unwrap();
    assert!(out.is_exact(), "{:?}", out.losses);
    assert_eq!(out.value["charge"], "ch_1neHMGLdg7Rq2WmXgK3g7bqX");
    assert_eq!(out.value["payment_intent"], "pi_1BXfk5Ldg7Rq2WmXWyfjbmdb");
    assert_eq!(out.value["amount"], 1633);
    assert_eq!(out.value["currency"], "usd");
}

#[test]
fn payments_map_status_method_and_references() {
    let registry = registry();
    let pi = |name: &str| {
        registry
            .to_canonical_as::<Payment>(
                "stripe",
                "payment_intent",
                &fixture("payment_intent", name),
            )
            .unwrap()
            .value
    };
    let ok = serde_json::to_value(pi("succeeded_card")).unwrap();
    assert_eq!(ok["status"], "completed");
    assert_eq!(ok["method"], "card");
    assert_eq!(ok["amount"], money("283.07", "USD"));
    assert_eq!(ok["payment_date"], "2026-07-01");
    assert_eq!(
        ok["external_refs"],
        json!([{"system": "stripe", "object_type": "payment_intent", "id": "pi_1BXfk5Ldg7Rq2WmXWyfjbmdb"},
               {"system": "stripe", "object_type": "charge", "id": "ch_1neHMGLdg7Rq2WmXgK3g7bqX"}])
    );
    assert_eq!(pi("requires_payment_method_declined").status, PaymentStatus::Failed);
    let sepa = serde_json::to_value(pi("processing_sepa_debit_eur")).unwrap();
    assert_eq!(
        (sepa["status"].as_str(), sepa["method"].as_str()),
        (Some("pending"), Some("direct_debit"))
    );

    let charge = registry
        .to_canonical_as::<Payment>("stripe", "charge", &fixture("charge", "failed_card_declined"))
        .unwrap()
        .value;
    assert_eq!(charge.status, PaymentStatus::Failed);

    let paid = serde_json::to_value(
        registry
            .to_canonical_as::<Payment>(
                "stripe",
                "invoice_payment",
                &fixture("invoice_payment", "paid_payment_intent"),
            )
            .unwrap()
            .value,
    )
    .unwrap();
    assert_eq!(paid["status"], "completed");
    assert_eq!(paid["amount"], money("283.07", "USD"));
    assert_eq!(paid["payment_date"], "2026-07-01");
    assert_eq!(
        paid["applications"],
        json!([{"target": stripe_ref("invoice", "in_1XjRD9Ldg7Rq2WmXVWtTh9xC"), "amount": money("283.07", "USD")}])
    );
    assert_eq!(paid["external_refs"][1]["id"], "pi_1BXfk5Ldg7Rq2WmXWyfjbmdb");
    let open = registry
        .to_canonical_as::<Payment>(
            "stripe",
            "invoice_payment",
            &fixture("invoice_payment", "open_processing"),
        )
        .unwrap()
        .value;
    assert_eq!(open.status, PaymentStatus::Pending);
    assert_eq!(open.amount.to_string(), "595.60 EUR", "amount_requested while nothing is paid");
}

#[test]
fn subscriptions_become_contracts_with_inclusive_end_dates() {
    let registry = registry();
    let active = registry
        .to_canonical_as::<Contract>(
            "stripe",
            "subscription",
            &fixture("subscription", "active_monthly_two_items"),
        )
        .unwrap();
    let c = serde_json::to_value(&active.value).unwrap();
    assert_eq!(c["status"], "active");
    assert_eq!(c["customer"], stripe_ref("customer", "cus_6e5Cr6CJt9qQlT"));
    assert_eq!(c["billing_frequency"], json!({"unit": "month", "count": 1}));
    assert_eq!(c["current_period"], json!({"start": "2026-08-01", "end": "2026-08-31"}));
    assert_eq!(c["lines"][0]["quantity"], "5");
    assert_eq!(c["lines"][0]["unit_price"], money("49.00", "USD"));
    assert_eq!(c["collection_method"], "automatic");

    let cancelled = registry
        .to_canonical_as::<Contract>(
            "stripe",
            "subscription",
            &fixture("subscription", "canceled_send_invoice"),
        )
        .unwrap();
    let c = serde_json::to_value(&cancelled.value).unwrap();
    assert_eq!(c["status"], "cancelled");
    assert_eq!(c["cancelled_on"], "2026-05-20");
    assert_eq!(c["end_date"], "2026-05-31", "ended at 2026-06-01T00:00Z: May 31 is the last day");
    assert_eq!(c["payment_terms"], json!({"net_days": 30}));

    let trial = registry
        .to_canonical_as::<Contract>(
            "stripe",
            "subscription",
            &fixture("subscription", "trialing_pre_basil"),
        )
        .unwrap();
    let c = serde_json::to_value(&trial.value).unwrap();
    assert_eq!(c["status"], "trialing");
    assert_eq!(c["trial_end"], "2026-08-24");
    assert_eq!(c["lines"][0]["unit_price"], money("1280", "JPY"));
}

#[test]
fn open_invoice_with_a_payment_is_partially_paid() {
    let mut invoice = fixture("invoice", "eur_multi_tax_discount_open");
    invoice["amount_paid"] = json!(20000);
    invoice["amount_remaining"] = json!(39560);
    let registry = registry();
    let mapper = registry.get("stripe", "invoice").unwrap();
    let mapped = mapper.to_canonical(&invoice).unwrap();
    let typed: Invoice = serde_json::from_value(mapped.value.clone()).unwrap();
    assert_eq!(typed.status, InvoiceStatus::PartiallyPaid);
    assert_eq!(mapped.value["totals"]["paid"], money("200.00", "EUR"));
    assert_eq!(mapped.value["totals"]["amount_due"], money("395.60", "EUR"));
    // Back to Stripe it is open again, from the canonical record alone too.
    assert_eq!(mapper.to_vendor(&mapped.value).unwrap().value, invoice);
    let mut bare = mapped.value.clone();
    bare.as_object_mut().unwrap().remove("extensions");
    let out = mapper.to_vendor(&bare).unwrap().value;
    assert_eq!(
        (&out["status"], &out["amount_paid"], &out["amount_remaining"]),
        (&json!("open"), &json!(20000), &json!(39560))
    );
    let report = conformance::check(mapper, &[("partially_paid".to_owned(), invoice)]);
    assert!(report.is_ok(), "{report}");
}

#[test]
fn line_discounts_shipping_and_expanded_rates() {
    let mut invoice = fixture("invoice", "eur_multi_tax_discount_open");
    // The atlas line gets its own discount instead of its share of the
    // invoice discount.
    invoice["lines"]["data"][1]["discounts"] = json!(["di_line"]);
    invoice["lines"]["data"][1]["discount_amounts"] =
        json!([{"amount": 980, "discount": "di_line"}]);
    // The 19 % rate is expanded (fetched by the caller).
    invoice["lines"]["data"][0]["taxes"][0]["tax_rate_details"]["tax_rate"] = json!({
        "id": "txr_1XQsymLdg7Rq2WmXgRGJeQda", "object": "tax_rate", "percentage": 19, "display_name": "USt."});
    // Shipping at 19 %.
    invoice["shipping_cost"] = json!({"amount_subtotal": 1000, "amount_tax": 190, "amount_total": 1190,
        "shipping_rate": "shr_1", "taxes": [{"amount": 190, "rate": {"id": "txr_1XQsymLdg7Rq2WmXgRGJeQda",
        "object": "tax_rate", "percentage": 19}, "taxability_reason": "standard_rated", "taxable_amount": 1000}]});
    for key in ["total", "amount_due", "amount_remaining"] {
        invoice[key] = json!(59560 + 1190);
    }
    let registry = registry();
    let mapper = registry.get("stripe", "invoice").unwrap();
    let mapped = mapper.to_canonical(&invoice).unwrap();
    let c = &mapped.value;
    let atlas = &c["lines"][1];
    assert_eq!(
        atlas["allowances_charges"],
        json!([{"kind": "allowance", "amount": money("9.80", "EUR"), "reason": "Discount di_line"}])
    );
    assert_eq!(atlas["net_amount"], money("88.20", "EUR"));
    assert_eq!(
        c["allowances_charges"],
        json!([
            {"kind": "charge", "amount": money("10.00", "EUR"), "reason": "Shipping", "reason_code": "FC",
             "tax_category": "standard", "tax_rate": "19"},
            {"kind": "allowance", "amount": money("46.80", "EUR"), "reason": "Discount di_1uaYeCLdg7Rq2WmX8AyodHTQ",
             "tax_category": "standard", "tax_rate": "19"}
        ])
    );
    assert_eq!(c["tax_breakdown"][0]["taxable_amount"], money("431.20", "EUR"));
    assert_eq!(c["tax_breakdown"][0]["tax_amount"], money("81.93", "EUR"));
    assert_eq!(c["tax_breakdown"][0]["name"], "USt.");
    assert_eq!(c["totals"]["charge_total"], money("10.00", "EUR"));
    assert_eq!(c["totals"]["total_without_tax"], money("519.40", "EUR"));
    assert_eq!(c["totals"]["total_with_tax"], money("607.50", "EUR"));
    // The expanded rate is exact; the 7 % one is still estimated.
    assert!(kinds_at(&mapped.losses, "/lines/data/0/taxes/0/tax_rate_details/tax_rate").is_empty());
    assert_eq!(
        kinds_at(&mapped.losses, "/lines/data/1/taxes/0/tax_rate_details/tax_rate"),
        [LossKind::Estimated]
    );
    let report = conformance::check(mapper, &[("discounts and shipping".to_owned(), invoice)]);
    assert!(report.is_ok(), "{report}");
}

#[test]
fn tax_inclusive_lines_are_converted_to_net() {
    let mut invoice = fixture("invoice", "jpy_single_tax");
    invoice["lines"]["data"][1]["taxes"] = json!([{"amount": 500, "tax_behavior": "inclusive",
        "tax_rate_details": {"tax_rate": "txr_incl"}, "taxability_reason": "standard_rated",
        "taxable_amount": 5000, "type": "tax_rate_details"}]);
    for key in ["total", "amount_due", "amount_paid"] {
        invoice[key] = json!(6860 + 686 + 5500);
    }
    let registry = registry();
    let mapper = registry.get("stripe", "invoice").unwrap();
    let mapped = mapper.to_canonical(&invoice).unwrap();
    let line = &mapped.value["lines"][1];
    assert_eq!(line["unit_price"], money("5000", "JPY"), "¥5,500 including ¥500 tax");
    assert_eq!(line["net_amount"], money("5000", "JPY"));
    assert_eq!(line["tax_amount"], money("500", "JPY"));
    assert_eq!(mapped.value["totals"]["total_without_tax"], money("11860", "JPY"));
    assert_eq!(mapped.value["totals"]["total_with_tax"], money("13046", "JPY"));
    assert_eq!(
        kinds_at(&mapped.losses, "/lines/data/1/pricing/unit_amount_decimal"),
        [LossKind::Lossy]
    );
    // The gross price comes back from extensions.
    assert_eq!(mapper.to_vendor(&mapped.value).unwrap().value, invoice);
    let report = conformance::check(mapper, &[("inclusive".to_owned(), invoice)]);
    assert!(report.is_ok(), "{report}");
}

#[test]
fn a_proration_credit_is_a_negative_quantity_at_the_prorated_price() {
    let mut invoice = fixture("invoice", "current_usd_subscription_paid");
    let mut credit = invoice["lines"]["data"][0].clone();
    credit["id"] = json!("il_credit");
    credit["description"] = json!("Unused time on 5 × Analytics Pro seat after 16 Jul 2026");
    credit["amount"] = json!(-12250);
    credit["subtotal"] = json!(-12250);
    credit["parent"]["subscription_item_details"]["proration"] = json!(true);
    credit["taxes"][0]["amount"] = json!(-1087);
    credit["taxes"][0]["taxable_amount"] = json!(-12250);
    invoice["lines"]["data"].as_array_mut().unwrap().push(credit);
    for key in ["total", "amount_due", "amount_paid"] {
        invoice[key] = json!(28307 - 12250 - 1087);
    }
    let registry = registry();
    let mapper = registry.get("stripe", "invoice").unwrap();
    let mapped = mapper.to_canonical(&invoice).unwrap();
    let line = &mapped.value["lines"][2];
    assert_eq!(line["quantity"], "-5");
    assert_eq!(line["unit_price"], money("24.50", "USD"), "half a month of $49.00");
    assert_eq!(line["net_amount"], money("-122.50", "USD"));
    assert_eq!(line["tax_amount"], money("-10.87", "USD"));
    assert_eq!(
        kinds_at(&mapped.losses, "/lines/data/2/pricing/unit_amount_decimal"),
        [LossKind::Lossy]
    );
    assert_eq!(mapped.value["tax_breakdown"][0]["taxable_amount"], money("137.50", "USD"));
    assert_eq!(mapped.value["totals"]["total_with_tax"], money("149.70", "USD"));
    assert_eq!(mapper.to_vendor(&mapped.value).unwrap().value, invoice);
    let report = conformance::check(mapper, &[("proration".to_owned(), invoice)]);
    assert!(report.is_ok(), "{report}");
}

#[test]
fn credits_before_payment_count_as_paid() {
    // The void credit note had been issued instead: ¥35.49 off before payment.
    let mut invoice = fixture("invoice", "eur_multi_tax_discount_open");
    invoice["pre_payment_credit_notes_amount"] = json!(3549);
    invoice["amount_due"] = json!(59560 - 3549);
    invoice["amount_remaining"] = json!(59560 - 3549);
    let registry = registry();
    let mapper = registry.get("stripe", "invoice").unwrap();
    let mapped = mapper.to_canonical(&invoice).unwrap();
    assert_eq!(mapped.value["status"], "partially_paid");
    assert_eq!(mapped.value["totals"]["paid"], money("35.49", "EUR"));
    assert_eq!(mapped.value["totals"]["amount_due"], money("560.11", "EUR"));
    assert_eq!(kinds_at(&mapped.losses, "/amount_paid"), [LossKind::Lossy]);
    let report = conformance::check(mapper, &[("credited".to_owned(), invoice)]);
    assert!(report.is_ok(), "{report}");
}

#[test]
fn untaxed_lines_follow_the_customer_tax_status() {
    let mut invoice = fixture("invoice", "expanded_customer");
    invoice["customer_tax_exempt"] = json!("reverse");
    let registry = registry();
    let mapper = registry.get("stripe", "invoice").unwrap();
    let mapped = mapper.to_canonical(&invoice).unwrap();
    assert_eq!(mapped.value["lines"][0]["tax_category"], "reverse_charge");
    assert_eq!(mapped.value["tax_breakdown"][0]["exemption_reason"], "Reverse charge");
    let report = conformance::check(mapper, &[("reverse charge".to_owned(), invoice)]);
    assert!(report.is_ok(), "{report}");
}

#[test]
fn canonical_records_without_extensions_go_back_to_stripe() {
    // Without the residue the glue writes Stripe's amounts, taxes (with the
    // rate as an expanded tax rate) and discounts from the canonical
    // record: everything comes back but the cause of a failed payment, and
    // what only an expanded Stripe object carries: the account's tax ids
    // (Stripe names them by a txi_ id the record has not got), a product's
    // name, and the Stripe type of a legal registration (its label is its
    // ISO 6523 scheme, and the invoice says no country to choose it by).
    let registry = registry();
    for object in OBJECTS {
        let mapper = registry.get("stripe", object).unwrap();
        for (name, payload) in fixtures(object) {
            let mut bare = mapper.to_canonical(&payload).unwrap().value;
            bare.as_object_mut().unwrap().remove("extensions");
            let out = mapper.to_vendor(&bare).unwrap();
            let expected: &[&str] = match name.as_str() {
                "requires_payment_method_declined" => &["/status"],
                "parties_expanded_tax_ids_shipping" => &[
                    "/buyer/tax_ids/0",
                    "/seller/tax_ids/0",
                    "/seller/tax_ids/1",
                    "/lines/0/item/name",
                ],
                _ => &[],
            };
            let paths: Vec<&str> = out.losses.iter().map(|l| l.path.as_str()).collect();
            assert_eq!(paths, expected, "{object}/{name}: {:?}", out.losses);
        }
    }
}

// ---------------------------------------------------------------------------
// Paginated lines, expanded references.

#[test]
fn paginated_lines_are_incomplete_until_merged() {
    let registry = registry();
    let mapper = registry.get("stripe", "invoice").unwrap();
    let first = fixture("invoice", "paginated_lines");
    let partial = mapper.to_canonical(&first).unwrap();
    assert_eq!(kinds_at(&partial.losses, "/lines/has_more"), [LossKind::Incomplete]);
    assert_eq!(partial.value["lines"].as_array().map(Vec::len), Some(2));
    // It still goes back to Stripe unchanged.
    assert_eq!(mapper.to_vendor(&partial.value).unwrap().value, first);

    let full = full_paginated_invoice();
    assert_eq!(full["lines"]["has_more"], false);
    let mapped = mapper.to_canonical(&full).unwrap();
    assert!(mapped.losses.iter().all(|l| l.kind != LossKind::Incomplete), "{:?}", mapped.losses);
    let c = &mapped.value;
    assert_eq!(c["lines"].as_array().map(Vec::len), Some(4));
    // Line 3: 1,250,000 requests at 0.012 cents.
    assert_eq!(c["lines"][2]["unit_price"], money("0.00012", "USD"));
    assert_eq!(c["lines"][2]["net_amount"], money("150.00", "USD"));
    assert_eq!(c["totals"]["line_net_total"], money("610.00", "USD"));
    assert_eq!(c["totals"]["tax_total"], money("54.13", "USD"));
    assert_eq!(c["totals"]["total_with_tax"], money("664.13", "USD"));
    assert_eq!(c["tax_breakdown"][0]["rate"], "8.875");
    let report = conformance::check(mapper, &[("merged".to_owned(), full)]);
    assert!(report.is_ok(), "{report}");
}

#[test]
fn merge_line_pages_refuses_what_does_not_belong() {
    let page2 = fixture("invoice", "paginated_lines.page2");
    // A page of another invoice.
    let mut other = fixture("invoice", "jpy_single_tax");
    let before = other.clone();
    let err = merge_line_pages(&mut other, std::slice::from_ref(&page2)).unwrap_err();
    assert!(
        matches!(err, MappingError::InvalidInput { ref pointer, .. } if pointer == "/data/0/invoice"),
        "{err}"
    );
    assert!(err.to_string().contains("page 0: expected a line of in_1"), "{err}");
    assert_eq!(other, before, "unchanged on error");
    // The same page twice.
    let mut invoice = fixture("invoice", "paginated_lines");
    let err = merge_line_pages(&mut invoice, &[page2.clone(), page2]).unwrap_err();
    assert!(err.to_string().contains("already"), "{err}");
    // Not a document, not a page.
    assert!(merge_line_pages(&mut json!({"id": "in_1"}), &[]).is_err());
    let mut invoice = fixture("invoice", "paginated_lines");
    assert!(merge_line_pages(&mut invoice, &[json!({"object": "list"})]).is_err());
}

#[test]
fn an_expanded_customer_on_an_invoice_round_trips() {
    let registry = registry();
    let mapper = registry.get("stripe", "invoice").unwrap();
    let invoice = fixture("invoice", "expanded_customer");
    assert!(invoice["customer"].is_object());
    let mapped = mapper.to_canonical(&invoice).unwrap();
    assert_eq!(mapped.value["counterparty"], stripe_ref("customer", "cus_6e5Cr6CJt9qQlT"));
    assert_eq!(kinds_at(&mapped.losses, "/customer"), [LossKind::Lossy]);
    // The object is kept and comes back whole.
    assert_eq!(mapped.value["extensions"]["stripe"]["customer"], invoice["customer"]);
    let back = mapper.to_vendor(&mapped.value).unwrap();
    assert_eq!(back.value, invoice);
    // It is the customer fixture, which maps on its own.
    assert_eq!(invoice["customer"], fixture("customer", "us_company_basic"));
    // Pointing the record at another customer writes that id instead.
    let mut moved = mapped.value.clone();
    moved["counterparty"] = stripe_ref("customer", "cus_other");
    assert_eq!(mapper.to_vendor(&moved).unwrap().value["customer"], "cus_other");
}

// ---------------------------------------------------------------------------
// Stripe's minor units.

#[test]
fn stripe_minor_units_follow_stripe_not_iso() {
    let registry = registry();
    let mapper = registry.get("stripe", "refund").unwrap();
    let refund = |amount: i64, currency: &str| {
        json!({"id": "re_1", "object": "refund", "amount": amount, "currency": currency, "charge": "ch_1",
               "created": 1783606924, "status": "succeeded"})
    };
    // ISK has no minor unit in ISO 4217 but Stripe counts it in hundredths.
    let isk = mapper.to_canonical(&refund(12300, "isk")).unwrap();
    assert_eq!(isk.value["amount"], money("123", "ISK"));
    // MGA has two in ISO 4217; Stripe counts whole ariary.
    let mga = mapper.to_canonical(&refund(5000, "mga")).unwrap();
    assert_eq!(mga.value["amount"], money("5000", "MGA"));
    for (amount, currency) in [(12300, "isk"), (5000, "mga"), (1999, "bhd"), (500, "jpy")] {
        let input = refund(amount, currency);
        let report = conformance::check(mapper, &[(currency.to_owned(), input)]);
        assert!(report.is_ok(), "{report}");
    }
}

#[test]
fn every_stripe_mapper_has_a_file() {
    let registry = registry();
    let names = registry.names();
    for object in [
        "charge",
        "credit_note",
        "customer",
        "invoice",
        "invoice_payment",
        "payment_intent",
        "refund",
        "subscription",
    ] {
        assert!(names.contains(&format!("stripe/{object}")), "{names:?}");
    }
    assert_eq!(canonical_finance::vendors::stripe::FILES.len(), 8);
}

// ---------------------------------------------------------------------------
// No panic on any JSON.

fn arbitrary_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        (-1.0e12f64..1.0e12).prop_map(|f| json!(f)),
        "[a-z_]{0,8}".prop_map(Value::String),
        Just(json!("usd")),
        Just(json!("jpy")),
        Just(json!("4900")),
        Just(json!("0.012")),
        Just(json!("txr_1")),
        Just(json!("di_1")),
    ];
    leaf.prop_recursive(4, 48, 6, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::btree_map(
                prop_oneof![
                    "[a-z_]{1,8}",
                    Just("id".to_owned()),
                    Just("amount".to_owned()),
                    Just("currency".to_owned()),
                    Just("lines".to_owned()),
                    Just("data".to_owned()),
                    Just("taxes".to_owned()),
                    Just("discount_amounts".to_owned()),
                    Just("total".to_owned()),
                    Just("quantity".to_owned()),
                    Just("status".to_owned()),
                    Just("tax_rate_details".to_owned()),
                    Just("period".to_owned()),
                    Just("extensions".to_owned()),
                    Just("stripe".to_owned()),
                    Just("totals".to_owned()),
                    Just("net_amount".to_owned()),
                ],
                inner,
                0..6,
            )
            .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

/// Stripe-shaped documents with random values in the places the glue reads.
fn invoice_like() -> impl Strategy<Value = Value> {
    (arbitrary_json(), arbitrary_json(), arbitrary_json(), any::<i64>(), arbitrary_json()).prop_map(
        |(tax, discount, quantity, total, status)| {
            json!({"id": "in_1", "object": "invoice", "currency": "usd", "customer": "cus_1",
            "status": status, "total": total, "amount_paid": total, "created": 1,
            "lines": {"object": "list", "has_more": false, "data": [
                {"id": "il_1", "amount": total, "quantity": quantity,
                 "pricing": {"unit_amount_decimal": "4900"},
                 "taxes": [tax], "discount_amounts": [discount]}
            ]}})
        },
    )
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    #[test]
    fn no_stripe_mapper_panics_on_any_json(input in arbitrary_json(), doc in invoice_like()) {
        let registry = registry();
        for mapper in registry.mappers().filter(|m| m.vendor() == "stripe") {
            let mut inputs = vec![input.clone(), doc.clone()];
            if let Ok(c) = mapper.to_canonical(&doc) {
                inputs.push(c.value);
            }
            let panicked = conformance::no_panic(mapper, &inputs);
            prop_assert!(panicked.is_empty(), "{} panicked on {:?}", mapper.object(), panicked);
        }
    }
}

#[test]
fn an_edited_total_stripe_cannot_hold_is_reported_where_it_is() {
    let registry = registry();
    let mapper = registry.get("stripe", "invoice").unwrap();
    let stripe = fixture("invoice", "eur_multi_tax_discount_open");
    let mut canonical = mapper.to_canonical(&stripe).unwrap().value;
    let before = canonical["lines"][1]["net_amount"]["amount"].clone();
    canonical["lines"][1]["net_amount"]["amount"] = json!("1.00");
    canonical["notes"] = json!(["Net 30; late fees apply"]);
    for out in [mapper.to_vendor(&canonical).unwrap(), mapper.to_vendor_owned(canonical).unwrap()] {
        // Stripe computes a line's amount itself: the edited net comes back
        // as Stripe's, and the loss says so, at the leaf that changed.
        let net = out
            .losses
            .iter()
            .find(|l| l.path == "/lines/1/net_amount/amount")
            .unwrap_or_else(|| panic!("{:?}", out.losses));
        assert_eq!(net.kind, LossKind::Unsupported);
        assert_eq!(
            net.reason,
            format!("the Stripe invoice cannot carry this value: it comes back as {before}")
        );
        // A note has a Stripe field (`description`) and is carried.
        assert_eq!(out.losses.len(), 1, "{:?}", out.losses);
        assert_eq!(out.value["description"], "Net 30; late fees apply");
        // Everything else is the original payload.
        let mut expected = stripe.clone();
        expected["description"] = json!("Net 30; late fees apply");
        assert_eq!(out.value, expected);
    }
}

#[test]
fn a_tax_breakdown_in_another_order_is_not_a_loss() {
    let registry = registry();
    let m = registry.get("stripe", "invoice").unwrap();
    let mut c = m.to_canonical(&fixture("invoice", "eur_multi_tax_discount_open")).unwrap().value;
    let breakdown = c["tax_breakdown"].as_array_mut().unwrap();
    assert!(breakdown.len() > 1);
    breakdown.reverse();
    let out = m.to_vendor(&c).unwrap();
    assert_eq!(out.losses, []);
    assert_eq!(out.value, fixture("invoice", "eur_multi_tax_discount_open"));
}

#[test]
fn a_currency_code_in_an_unusual_case_is_read_kept_and_reported() {
    let registry = registry();
    let mapper = registry.get("stripe", "refund").unwrap();
    for code in ["USD", "Usd"] {
        let refund = json!({"id": "re_1", "object": "refund", "amount": 1633, "currency": code,
                            "charge": "ch_1", "created": 1783606924, "status": "succeeded"});
        let mapped = mapper.to_canonical(&refund).unwrap();
        assert_eq!(mapped.value["amount"], money("16.33", "USD"));
        assert_eq!(mapped.value["extensions"]["stripe"]["currency"], code);
        assert_eq!(kinds_at(&mapped.losses, "/currency"), [LossKind::Lossy]);
        let loss = mapped.losses.iter().find(|l| l.path == "/currency").unwrap();
        assert_eq!(
            loss.reason,
            format!("currency code `{code}` is not in the vendor's usual case")
        );
        // The original spelling comes back.
        assert_eq!(mapper.to_vendor(&mapped.value).unwrap().value, refund);
    }
    // The usual lower case is consumed: nothing kept, nothing reported.
    let refund = json!({"id": "re_1", "object": "refund", "amount": 1633, "currency": "usd",
                        "charge": "ch_1", "created": 1783606924, "status": "succeeded"});
    let mapped = mapper.to_canonical(&refund).unwrap();
    assert!(mapped.value["extensions"]["stripe"].get("currency").is_none(), "{}", mapped.value);
    assert!(kinds_at(&mapped.losses, "/currency").is_empty());
}

#[test]
fn a_rate_that_cannot_be_worked_out_leaves_the_record_incomplete_and_says_so() {
    // A line discounted to nothing: its 7 % tax rate is named by id only,
    // and a tax of 0 on 0 says nothing about the percentage.
    let mut invoice = fixture("invoice", "eur_multi_tax_discount_open");
    invoice["lines"]["data"][1]["taxes"][0]["amount"] = json!(0);
    invoice["lines"]["data"][1]["taxes"][0]["taxable_amount"] = json!(0);
    let mapped = registry().get("stripe", "invoice").unwrap().to_canonical(&invoice).unwrap();
    let path = "/lines/data/1/taxes/0/tax_rate_details/tax_rate";
    let loss = mapped.losses.iter().find(|l| l.path == path).unwrap();
    assert_eq!(loss.kind, LossKind::Incomplete);
    assert_eq!(
        loss.reason,
        "tax rate txr_1RijlaLdg7Rq2WmXiNN0x7hk has no percentage here and no taxable amount to estimate it from"
    );
    // The rate that can be worked out still is, and is marked as estimated.
    let other = "/lines/data/0/taxes/0/tax_rate_details/tax_rate";
    assert_eq!(kinds_at(&mapped.losses, other), [LossKind::Estimated]);
    assert_eq!(mapped.value["lines"][0]["tax_rate"], "19");
    assert!(mapped.value["lines"][1].get("tax_rate").is_none(), "{}", mapped.value["lines"][1]);
}

#[test]
fn a_lossy_read_says_what_it_became_and_what_would_go_back() {
    let registry = registry();
    let mapper = registry.get("stripe", "invoice_payment").unwrap();
    let paid = fixture("invoice_payment", "paid_charge");
    let mapped = mapper.to_canonical(&paid).unwrap();
    // 1776159011 is 2026-04-14T09:30:11Z: the date keeps the day only.
    assert_eq!(mapped.value["payment_date"], "2026-04-14");
    let loss = mapped.losses.iter().find(|l| l.path == "/status_transitions/paid_at").unwrap();
    assert_eq!(loss.kind, LossKind::Lossy);
    assert_eq!(
        loss.reason,
        "1776159011 is read as \"2026-04-14\", which goes back as 1776124800: the original is kept in extensions"
    );
    assert_eq!(mapped.value["extensions"]["stripe"]["status_transitions"]["paid_at"], 1776159011);
    assert_eq!(mapper.to_vendor(&mapped.value).unwrap().value, paid);
}

#[test]
fn a_customer_is_a_person_only_when_stripe_says_so() {
    let registry = registry();
    let mapper = registry.get("stripe", "customer").unwrap();
    // 2025-09-30.clover and later: an individual name and no business name.
    let person = fixture("customer", "clover_individual_name");
    let canonical = mapper.to_canonical(&person).unwrap().value;
    assert_eq!(canonical["kind"], "individual");
    assert_eq!(canonical["display_name"], "Emma Lindqvist");
    assert_eq!(canonical["extensions"]["stripe"]["individual_name"], "Emma Lindqvist");
    // A business name wins.
    let mut both = person.clone();
    both["business_name"] = json!("Lindqvist Formgivning AB");
    assert_eq!(mapper.to_canonical(&both).unwrap().value["kind"], "organization");
    // Older versions say neither: an organization, even for a person.
    let unsaid = fixture("customer", "individual_phone_locales");
    let mut edited = mapper.to_canonical(&unsaid).unwrap().value;
    assert_eq!(edited["kind"], "organization");
    // Made a person afterwards, the record cannot say so in that payload.
    edited["kind"] = json!("individual");
    let out = mapper.to_vendor(&edited).unwrap();
    assert_eq!(out.value, unsaid);
    assert_eq!(out.losses.len(), 1, "{:?}", out.losses);
    assert_eq!(out.losses[0].path, "/kind");
    assert_eq!(out.losses[0].kind, LossKind::Unsupported);
    assert_eq!(
        out.losses[0].reason,
        "the Stripe customer cannot carry this value: it comes back as \"organization\""
    );
    // A person created outside Stripe is written with its individual name.
    let mut bare = canonical.clone();
    bare.as_object_mut().unwrap().remove("extensions");
    let out = mapper.to_vendor(&bare).unwrap();
    assert_eq!(out.value["individual_name"], "Emma Lindqvist");
    assert_eq!(out.value["name"], "Emma Lindqvist");
    assert!(out.losses.is_empty(), "{:?}", out.losses);
}

// ---------------------------------------------------------------------------
// The way back, for payloads the fixtures do not show and records edited
// after they were read.

/// The built-in registry, built once for the tests that map many payloads.
fn shared_registry() -> &'static Registry {
    static SHARED: std::sync::OnceLock<Registry> = std::sync::OnceLock::new();
    SHARED.get_or_init(registry)
}

/// Vendor → canonical → vendor through both entry points.
fn stripe_round_trip(object: &str, vendor: &Value) -> Result<Value, MappingError> {
    let m = shared_registry().get("stripe", object)?;
    let back = m.to_vendor(&m.to_canonical(vendor)?.value)?;
    let owned = m.to_vendor_owned(m.to_canonical_owned(vendor.clone())?.value)?;
    assert_eq!(back.value, owned.value);
    Ok(back.value)
}

#[test]
fn a_tax_id_type_outside_the_table_goes_back_as_it_came() {
    let customer = json!({"id": "cus_1", "object": "customer", "name": "Ada AG", "created": 1764028800,
        "tax_ids": {"object": "list", "has_more": false, "data": [
            {"id": "txi_1", "object": "tax_id", "type": "ch_vat", "value": "CHE-123.456.789 MWST", "country": "CH"}]}});
    let registry = registry();
    let c = registry.get("stripe", "customer").unwrap().to_canonical(&customer).unwrap();
    assert_eq!(c.value["tax_ids"][0]["scheme"], "other");
    assert_eq!(c.value["tax_ids"][0]["label"], "ch_vat");
    assert_eq!(stripe_round_trip("customer", &customer).unwrap(), customer);
}

#[test]
fn a_value_two_rules_read_comes_back_once_exactly() {
    // A period that starts at the subscription's time of day is read as
    // the first item's period and as the contract's: both come back.
    let mut s = fixture("subscription", "active_monthly_two_items");
    s["items"]["data"][0]["current_period_start"] = json!(1785580201);
    s["items"]["data"][0]["current_period_end"] = json!(1788258601);
    assert_eq!(stripe_round_trip("subscription", &s).unwrap(), s);
    // Each loss once, though two rules read the value.
    let losses = registry().get("stripe", "subscription").unwrap().to_canonical(&s).unwrap().losses;
    let paths: Vec<&str> = losses.iter().map(|l| l.path.as_str()).collect();
    assert_eq!(
        paths,
        ["/start_date", "/items/data/0/current_period_start", "/items/data/0/current_period_end"]
    );
    // A currency code in capitals, read by the currency rule and by every
    // amount's rule.
    let mut invoice = fixture("invoice", "jpy_single_tax");
    invoice["currency"] = json!("JPY");
    assert_eq!(stripe_round_trip("invoice", &invoice).unwrap(), invoice);
    let mut note = fixture("credit_note", "jpy_old_shape_refund");
    note["currency"] = json!("Jpy");
    assert_eq!(stripe_round_trip("credit_note", &note).unwrap(), note);
}

#[test]
fn a_payload_without_its_object_name_gets_none_back() {
    let refund = json!({"id": "re_1", "amount": 1633, "currency": "usd", "charge": "ch_1",
                        "created": 1783606924, "status": "succeeded"});
    assert_eq!(stripe_round_trip("refund", &refund).unwrap(), refund);
    let mut null = refund.clone();
    null["object"] = Value::Null;
    assert_eq!(stripe_round_trip("refund", &null).unwrap(), null);
    let mut odd = refund;
    odd["$derived"] = json!(["x"]);
    odd["$alternatives"] = json!(1);
    assert_eq!(stripe_round_trip("refund", &odd).unwrap(), odd);
}

#[test]
fn an_address_with_an_empty_first_line_keeps_its_second() {
    let mut customer = fixture("customer", "us_company_basic");
    customer["address"]["line1"] = Value::Null;
    customer["address"]["line2"] = json!("Suite 900");
    assert_eq!(stripe_round_trip("customer", &customer).unwrap(), customer);
}

#[test]
fn a_removed_invoice_line_takes_its_stripe_values_with_it() {
    let registry = registry();
    let m = registry.get("stripe", "invoice").unwrap();
    let invoice = fixture("invoice", "eur_multi_tax_discount_open");
    let lines = invoice["lines"]["data"].as_array().unwrap().clone();
    let c = m.to_canonical(&invoice).unwrap().value;
    // The first line removed: the others come back exactly as Stripe sent
    // them, each with its own kept values; no ghost of the removed one.
    let mut edited = c.clone();
    edited["lines"].as_array_mut().unwrap().remove(0);
    let out = m.to_vendor(&edited).unwrap();
    assert_eq!(out.value["lines"]["data"], json!(lines[1..]));
    // The totals no longer add up, and the report says so where they are.
    assert!(
        out.losses.iter().all(|l| l.path.starts_with("/totals/")
            || l.path == "/tax_breakdown"
            || l.path.starts_with("/tax_breakdown/")
            || l.path.starts_with("/allowances")),
        "{:?}",
        out.losses
    );
    // Read again, it has one line less.
    let again = m.to_canonical(&out.value).unwrap();
    assert_eq!(again.value["lines"].as_array().map(Vec::len), Some(lines.len() - 1));
}

#[test]
fn a_removed_tax_id_is_reported_because_tax_ids_have_no_id_in_the_record() {
    let registry = registry();
    let m = registry.get("stripe", "customer").unwrap();
    let mut c = m.to_canonical(&fixture("customer", "company_with_tax_ids")).unwrap().value;
    let read = c["tax_ids"].as_array().unwrap().len();
    c["tax_ids"].as_array_mut().unwrap().remove(0);
    let out = m.to_vendor(&c).unwrap();
    assert_eq!(kinds_at(&out.losses, "/tax_ids"), [LossKind::Lossy]);
    assert_eq!(out.value["tax_ids"]["data"].as_array().map(Vec::len), Some(read - 1));
    // What was written still reads.
    assert!(m.to_canonical(&out.value).is_ok());
}

/// Every leaf of `v`, as (pointer, value).
fn leaves(v: &Value, at: &mut String, out: &mut Vec<String>) {
    match v {
        Value::Object(m) if !m.is_empty() => {
            for (k, x) in m {
                let len = at.len();
                canonical_finance::mapping::pointer::push(at, k);
                leaves(x, at, out);
                at.truncate(len);
            }
        }
        Value::Array(items) if !items.is_empty() => {
            for (i, x) in items.iter().enumerate() {
                let len = at.len();
                canonical_finance::mapping::pointer::push_index(at, i);
                leaves(x, at, out);
                at.truncate(len);
            }
        }
        _ => out.push(at.clone()),
    }
}

fn replacement() -> impl Strategy<Value = Option<Value>> {
    prop_oneof![
        Just(None),
        Just(Some(Value::Null)),
        any::<bool>().prop_map(|b| Some(json!(b))),
        any::<i64>().prop_map(|n| Some(json!(n))),
        (0i64..4_102_444_800).prop_map(|t| Some(json!(t))),
        Just(Some(json!(0))),
        Just(Some(json!(-1))),
        Just(Some(json!(253_402_300_800i64))),
        Just(Some(serde_json::from_str("-0").unwrap())),
        Just(Some(serde_json::from_str("1.50").unwrap())),
        Just(Some(json!("x"))),
        Just(Some(json!(""))),
        Just(Some(json!("EUR"))),
        Just(Some(json!("jpy"))),
        Just(Some(json!("0.012"))),
        Just(Some(json!({}))),
        Just(Some(json!([]))),
        Just(Some(json!({"id": "x_1"}))),
    ]
}

const OBJECTS: [&str; 8] = [
    "customer",
    "subscription",
    "invoice",
    "credit_note",
    "payment_intent",
    "charge",
    "refund",
    "invoice_payment",
];

proptest! {
    #![proptest_config(ProptestConfig { cases: 1024, ..ProptestConfig::default() })]

    /// One leaf of a real fixture changed (or removed): the payload is
    /// refused with an error, or it comes back JSON-equal.
    #[test]
    fn an_accepted_payload_comes_back_json_equal(
        object in prop::sample::select(OBJECTS.as_slice()),
        pick in any::<prop::sample::Index>(),
        leaf in any::<prop::sample::Index>(),
        new in replacement(),
    ) {
        static ALL: std::sync::OnceLock<Vec<Vec<(String, Value)>>> = std::sync::OnceLock::new();
        let all = &ALL.get_or_init(|| OBJECTS.iter().map(|o| fixtures(o)).collect())
            [OBJECTS.iter().position(|o| *o == object).unwrap()];
        let (_, mut payload) = all[pick.index(all.len())].clone();
        let mut found = Vec::new();
        leaves(&payload, &mut String::new(), &mut found);
        let at = found[leaf.index(found.len())].clone();
        match new {
            Some(v) => { canonical_finance::mapping::pointer::set(&mut payload, &at, v); }
            None => { canonical_finance::mapping::pointer::take(&mut payload, &at); }
        }
        let m = shared_registry().get("stripe", object).unwrap();
        // Refused with an error is fine; accepted means it comes back.
        if m.to_canonical(&payload).is_ok() {
            let back = stripe_round_trip(object, &payload);
            prop_assert!(back.is_ok(), "{} with {} changed: {:?}", object, at, back);
            prop_assert_eq!(back.ok(), Some(payload), "{} with {} changed", object, at);
        }
    }
}

// ---------------------------------------------------------------------------
// Records made outside Stripe, sent to Stripe and read back.

/// A fixture read into a canonical record, its Stripe residue dropped.
fn made_elsewhere(object: &str, name: &str) -> Value {
    let registry = registry();
    let mut c =
        registry.get("stripe", object).unwrap().to_canonical(&fixture(object, name)).unwrap().value;
    c.as_object_mut().unwrap().remove("extensions");
    c
}

#[test]
fn stripe_metadata_alone_does_not_stop_the_computed_invoice_fields() {
    let registry = registry();
    let m = registry.get("stripe", "invoice").unwrap();
    for name in ["eur_multi_tax_discount_open", "current_usd_subscription_paid", "jpy_single_tax"] {
        let bare = made_elsewhere("invoice", name);
        let mut tagged = bare.clone();
        tagged["extensions"] = json!({"stripe": {"metadata": {"order": "A-1"}}});
        let plain = m.to_vendor(&bare).unwrap();
        let out = m.to_vendor(&tagged).unwrap();
        // The same payload as without the metadata, plus the metadata.
        let mut expected = plain.value.clone();
        expected["metadata"] = json!({"order": "A-1"});
        assert_eq!(out.value, expected, "{name}");
        assert_eq!(out.losses, plain.losses, "{name}");
        for key in ["subtotal", "amount_paid", "amount_remaining", "amount_due"] {
            assert!(out.value.get(key).is_some(), "{name}: {key}");
        }
        for line in out.value["lines"]["data"].as_array().unwrap() {
            for key in ["amount", "taxes", "discount_amounts"] {
                assert!(line.get(key).is_some(), "{name}: line {key}");
            }
        }
        // It reads back, with its metadata.
        let back = m.to_canonical(&out.value).unwrap();
        assert_eq!(back.value["totals"], tagged["totals"], "{name}");
        assert_eq!(back.value["extensions"]["stripe"]["metadata"], json!({"order": "A-1"}));
    }
    // A line added to an invoice read from Stripe gets its amount and
    // taxes; the lines read from Stripe come back as Stripe sent them.
    let invoice = fixture("invoice", "jpy_single_tax");
    let mut c = m.to_canonical(&invoice).unwrap().value;
    let mut added = c["lines"][1].clone();
    added.as_object_mut().unwrap().remove("id");
    c["lines"].as_array_mut().unwrap().push(added);
    let out = m.to_vendor(&c).unwrap();
    let lines = out.value["lines"]["data"].as_array().unwrap();
    assert_eq!(lines[..2], invoice["lines"]["data"].as_array().unwrap()[..]);
    assert_eq!(lines[2]["amount"], json!(5500));
    assert_eq!(lines[2]["taxes"][0]["amount"], json!(550));
    assert!(m.to_canonical(&out.value).is_ok());
}

/// A canonical example from `schemas/examples/`, without a Stripe residue.
fn canonical_example(rel: &str) -> Value {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("schemas/examples").join(rel);
    let mut v: Value = serde_json::from_str(&std::fs::read_to_string(path).unwrap()).unwrap();
    v.as_object_mut().unwrap().remove("extensions");
    v
}

/// An EN 16931 invoice made elsewhere: three 19 % lines that give their
/// tax only in the tax breakdown.
fn breakdown_only_invoice() -> Value {
    let line = |id: &str, net: &str| {
        json!({"id": id, "description": format!("Service {id}"), "quantity": "1",
               "unit_price": money(net, "EUR"), "net_amount": money(net, "EUR"),
               "tax_category": "standard", "tax_rate": "19"})
    };
    json!({
        "id": "inv_1", "number": "RE-1", "kind": "invoice", "status": "issued",
        "counterparty": stripe_ref("customer", "cus_1"), "issue_date": "2026-11-10", "currency": "EUR",
        "lines": [line("1", "33.33"), line("2", "33.33"), line("3", "33.34")],
        "tax_breakdown": [{"category": "standard", "rate": "19",
            "taxable_amount": money("100.00", "EUR"), "tax_amount": money("19.00", "EUR")}],
        "totals": {"line_net_total": money("100.00", "EUR"), "total_without_tax": money("100.00", "EUR"),
            "tax_total": money("19.00", "EUR"), "total_with_tax": money("119.00", "EUR"),
            "amount_due": money("119.00", "EUR")}
    })
}

/// Σ line amounts − Σ discounts + Σ line taxes + shipping, and Stripe's total.
fn stripe_sums(out: &Value) -> (i64, i64) {
    let lines = out["lines"]["data"].as_array().unwrap();
    let sum = |key: &str| -> i64 {
        lines
            .iter()
            .flat_map(|l| l[key].as_array().unwrap().clone())
            .map(|x| x["amount"].as_i64().unwrap())
            .sum()
    };
    let amounts: i64 = lines.iter().map(|l| l["amount"].as_i64().unwrap()).sum();
    let shipping = out["shipping_cost"]["amount_total"].as_i64().unwrap_or(0);
    (amounts - sum("discount_amounts") + sum("taxes") + shipping, out["total"].as_i64().unwrap())
}

#[test]
fn line_taxes_are_shared_out_from_the_tax_breakdown() {
    let registry = registry();
    let m = registry.get("stripe", "invoice").unwrap();
    let invoice = breakdown_only_invoice();
    let out = m.to_vendor(&invoice).unwrap();
    let taxes: Vec<i64> = out.value["lines"]["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["taxes"][0]["amount"].as_i64().unwrap())
        .collect();
    // 19.00 in proportion to 33.33 : 33.33 : 33.34, exactly.
    assert_eq!(taxes, [633, 633, 634]);
    assert_eq!(stripe_sums(&out.value), (11900, 11900));
    let back = m.to_canonical(&out.value).unwrap().value;
    assert_eq!(back["totals"]["tax_total"], money("19.00", "EUR"));
    // A line's own tax amount is kept; the rest is shared over the others.
    let mut mixed = invoice.clone();
    mixed["lines"][2]["tax_amount"] = money("6.30", "EUR");
    let out = m.to_vendor(&mixed).unwrap();
    let lines = out.value["lines"]["data"].as_array().unwrap();
    assert_eq!(lines[2]["taxes"][0]["amount"], json!(630));
    assert_eq!(lines[0]["taxes"][0]["amount"], json!(635));
    assert_eq!(lines[1]["taxes"][0]["amount"], json!(635));
    // No breakdown to share out: reported at each line, not written.
    let mut none = invoice;
    none.as_object_mut().unwrap().remove("tax_breakdown");
    let out = m.to_vendor(&none).unwrap();
    for i in 0..3 {
        let at = format!("/lines/{i}/tax_rate");
        let loss = out.losses.iter().find(|l| l.path == at).unwrap();
        assert_eq!(loss.kind, LossKind::Unsupported);
        assert!(loss.reason.contains("no entry for (standard, 19 %)"), "{}", loss.reason);
    }
}

#[test]
fn a_delivery_charge_goes_to_stripe_as_shipping_cost() {
    let registry = registry();
    let m = registry.get("stripe", "invoice").unwrap();
    let mut invoice = canonical_example("invoice/kwd_invoice.json");
    invoice["counterparty"] = stripe_ref("customer", "cus_1");
    let out = m.to_vendor(&invoice).unwrap();
    assert_eq!(out.value["shipping_cost"]["amount_subtotal"], json!(12500));
    assert_eq!(out.value["shipping_cost"]["amount_total"], json!(12500));
    let back = m.to_canonical(&out.value).unwrap().value;
    assert_eq!(back["totals"]["charge_total"], money("12.500", "KWD"));
    // Stripe names it Shipping: the reason is reported, not the charge.
    assert_eq!(kinds_at(&out.losses, "/allowances_charges/0/reason"), [LossKind::Unsupported]);
    assert!(kinds_at(&out.losses, "/allowances_charges/0").is_empty());
    // A charge that is not shipping has no place in a Stripe invoice.
    let mut other = invoice;
    other["allowances_charges"][0]["reason"] = json!("Installation");
    other["allowances_charges"][0]["reason_code"] = json!("IN");
    let out = m.to_vendor(&other).unwrap();
    assert!(out.value.get("shipping_cost").is_none());
    assert_eq!(kinds_at(&out.losses, "/allowances_charges/0"), [LossKind::Unsupported]);
}

#[test]
fn a_tax_rate_without_a_stripe_id_reads_back_and_is_reported() {
    let registry = registry();
    let m = registry.get("stripe", "invoice").unwrap();
    let mut invoice = breakdown_only_invoice();
    invoice["tax_breakdown"][0]["name"] = json!("USt 19 %");
    let out = m.to_vendor(&invoice).unwrap();
    let rate = &out.value["lines"]["data"][0]["taxes"][0]["tax_rate_details"]["tax_rate"];
    assert_eq!(rate, &json!({"object": "tax_rate", "percentage": 19, "display_name": "USt 19 %"}));
    for i in 0..3 {
        assert_eq!(kinds_at(&out.losses, &format!("/lines/{i}/tax_rate")), [LossKind::Incomplete]);
    }
    // Read back: the percentage and the name, not an estimate.
    let back = m.to_canonical(&out.value).unwrap();
    assert!(back.losses.iter().all(|l| l.kind != LossKind::Estimated), "{:?}", back.losses);
    assert_eq!(
        back.value["tax_breakdown"],
        json!([{"category": "standard", "rate": "19", "taxable_amount": money("100.00", "EUR"),
                "tax_amount": money("19.00", "EUR"), "name": "USt 19 %"}])
    );
    assert!(!out.losses.iter().any(|l| l.path.starts_with("/tax_breakdown")), "{:?}", out.losses);
    // A Stripe tax rate id is the id; a tax code of another system is not.
    let mut coded = invoice;
    coded["lines"][0]["tax_code"] = json!("txr_1XQsymLdg7Rq2WmXgRGJeQda");
    coded["lines"][1]["tax_code"] = json!("txcd_99999999");
    let out = m.to_vendor(&coded).unwrap();
    let rate_of = |i: usize| {
        out.value["lines"]["data"][i]["taxes"][0]["tax_rate_details"]["tax_rate"].clone()
    };
    assert_eq!(rate_of(0)["id"], "txr_1XQsymLdg7Rq2WmXgRGJeQda");
    assert!(kinds_at(&out.losses, "/lines/0/tax_rate").is_empty());
    assert!(rate_of(1).get("id").is_none());
    assert_eq!(kinds_at(&out.losses, "/lines/1/tax_code"), [LossKind::Unsupported]);
    assert_eq!(kinds_at(&out.losses, "/lines/1/tax_rate"), [LossKind::Incomplete]);
}

#[test]
fn tax_id_types_follow_scheme_and_country() {
    let registry = registry();
    let m = registry.get("stripe", "customer").unwrap();
    let customer = |ids: Value| {
        json!({"id": "cust_1", "kind": "organization", "status": "active", "display_name": "Ada Ltd",
               "tax_ids": ids})
    };
    let cases = [
        (json!({"scheme": "vat", "value": "GB123456789", "country": "GB"}), "gb_vat"),
        (json!({"scheme": "vat", "value": "DE276483156"}), "eu_vat"),
        (json!({"scheme": "tax_registration", "value": "2181508150", "country": "DE"}), "de_stn"),
        (json!({"scheme": "gst", "value": "27AAPFU0939F1ZV", "country": "IN"}), "in_gst"),
        (json!({"scheme": "legal_registration", "value": "123456789", "country": "CA"}), "ca_bn"),
        // A label that is not a Stripe type (an ISO 6523 scheme) is not
        // written as the type: the scheme and country choose it.
        (
            json!({"scheme": "legal_registration", "value": "CHE-109.322.551", "country": "CH", "label": "0183"}),
            "ch_uid",
        ),
    ];
    for (id, kind) in cases {
        let out = m.to_vendor(&customer(json!([id.clone()]))).unwrap();
        assert_eq!(out.value["tax_ids"]["data"][0]["type"], kind, "{id}");
        let back = m.to_canonical(&out.value).unwrap().value;
        assert_eq!(back["tax_ids"][0]["scheme"], id["scheme"], "{id}");
        assert!(kinds_at(&out.losses, "/tax_ids/0").is_empty(), "{id}: {:?}", out.losses);
    }
    // No Stripe type fits: reported, not written with a wrong type or none.
    let ids = json!([
        {"scheme": "legal_registration", "value": "HRB 201447 B", "country": "DE"},
        {"scheme": "vat", "value": "GB123456789", "country": "GB"}
    ]);
    let out = m.to_vendor(&customer(ids)).unwrap();
    assert_eq!(out.value["tax_ids"]["data"].as_array().unwrap().len(), 1);
    assert_eq!(out.value["tax_ids"]["data"][0]["type"], "gb_vat");
    let loss = out.losses.iter().find(|l| l.path == "/tax_ids/0").unwrap();
    assert_eq!(loss.kind, LossKind::Unsupported);
    assert_eq!(
        loss.reason,
        "no Stripe tax id type is a legal_registration id in DE: the tax id is not written (Stripe requires a type)"
    );
}

#[test]
fn three_decimal_amounts_go_to_stripe_in_tens_and_quantities_as_stripe_takes_them() {
    let registry = registry();
    let m = registry.get("stripe", "invoice").unwrap();
    let mut invoice = canonical_example("invoice/kwd_invoice.json");
    invoice["counterparty"] = stripe_ref("customer", "cus_1");
    let out = m.to_vendor(&invoice).unwrap();
    let lines = out.value["lines"]["data"].as_array().unwrap();
    // 245.375 and 55.875 KWD: Stripe takes only amounts ending in 0.
    let amounts: Vec<i64> = lines.iter().map(|l| l["amount"].as_i64().unwrap()).collect();
    assert_eq!(amounts, [1_250_000, 245_380, 55_880]);
    assert!(amounts.iter().all(|a| a % 10 == 0));
    assert_eq!(out.value["total"], json!(1_563_750));
    for i in [1, 2] {
        let at = format!("/lines/{i}/net_amount/amount");
        let loss = out.losses.iter().find(|l| l.path == at).unwrap();
        assert_eq!(loss.kind, LossKind::Lossy);
        assert!(loss.reason.contains("multiples of 10 minor units"), "{}", loss.reason);
    }
    assert!(kinds_at(&out.losses, "/lines/0/net_amount/amount").is_empty());
    // 6.5 hours: quantity_decimal, a decimal string as Stripe sends it.
    assert_eq!(lines[1]["quantity_decimal"], json!("6.5"));
    assert_eq!(m.to_canonical(&out.value).unwrap().value["lines"][1]["quantity"], "6.5");
    // Stripe's integer quantities: a fraction is reported, not written.
    let subs = registry.get("stripe", "subscription").unwrap();
    let mut contract = canonical_example("contract/subscription.json");
    contract["lines"][0]["quantity"] = json!("1.5");
    let out = subs.to_vendor(&contract).unwrap();
    assert!(out.value["items"]["data"][0].get("quantity").is_none());
    assert_eq!(kinds_at(&out.losses, "/lines/0/quantity"), [LossKind::Unsupported]);
    let notes = registry.get("stripe", "credit_note").unwrap();
    let mut note = made_elsewhere("credit_note", "issued_post_payment_refund_usd");
    note["lines"][0]["quantity"] = json!("2.5");
    let out = notes.to_vendor(&note).unwrap();
    assert!(out.value["lines"]["data"][0].get("quantity").is_none());
    assert_eq!(kinds_at(&out.losses, "/lines/0/quantity"), [LossKind::Unsupported]);
}

#[test]
fn a_refund_description_from_elsewhere_goes_to_description_not_reason() {
    let registry = registry();
    let m = registry.get("stripe", "refund").unwrap();
    let mut c = m.to_canonical(&fixture("refund", "partial_requested_by_customer")).unwrap().value;
    // Read from Stripe, the reason describes the refund and goes back there.
    assert_eq!(c["description"], "requested_by_customer");
    assert_eq!(m.to_vendor(&c).unwrap().value["reason"], "requested_by_customer");
    // Made elsewhere: free text is Stripe's description; reason is an enum.
    c.as_object_mut().unwrap().remove("extensions");
    c["description"] = json!("Refund of the corrected invoice");
    let out = m.to_vendor(&c).unwrap();
    assert_eq!(out.value["description"], "Refund of the corrected invoice");
    assert_eq!(out.value.get("reason"), None);
}

#[test]
fn a_contract_without_lines_gets_no_invented_subscription_item() {
    let registry = registry();
    let m = registry.get("stripe", "subscription").unwrap();
    let mut c = m.to_canonical(&fixture("subscription", "active_monthly_two_items")).unwrap().value;
    c.as_object_mut().unwrap().remove("extensions");
    c.as_object_mut().unwrap().remove("lines");
    let out = m.to_vendor(&c).unwrap();
    assert_eq!(out.value.pointer("/items/data/0"), None, "{}", out.value);
    // The billing interval lives on Stripe's items: with none, it is reported.
    assert_eq!(kinds_at(&out.losses, "/billing_frequency/unit"), [LossKind::Unsupported]);
    assert_eq!(kinds_at(&out.losses, "/billing_frequency/count"), [LossKind::Unsupported]);
    let reason = &out.losses.iter().find(|l| l.path == "/billing_frequency/unit").unwrap().reason;
    assert_eq!(
        reason,
        "stripe subscription keeps this on an item of /items/data, and the record has no such item"
    );
    // Read back, it has no line.
    let again = m.to_canonical(&out.value).unwrap();
    assert_eq!(again.value.get("lines"), None);
}

#[test]
fn the_discount_of_a_removed_line_is_reported_whole_and_the_rest_is_not() {
    let registry = registry();
    let m = registry.get("stripe", "invoice").unwrap();
    let c = m.to_canonical(&fixture("invoice", "eur_multi_tax_discount_open")).unwrap().value;
    let mut edited = c.clone();
    edited["lines"].as_array_mut().unwrap().remove(0);
    let out = m.to_vendor(&edited).unwrap();
    // The invoice discount's 19 % share went with the removed line; its
    // 7 % share still comes back (now first in the list): only the first
    // is reported, and as having no place, not as "comes back as 9.80".
    let allowances: Vec<(&str, &str)> = out
        .losses
        .iter()
        .filter(|l| l.path.starts_with("/allowances_charges/"))
        .map(|l| (l.path.as_str(), l.reason.as_str()))
        .collect();
    assert!(!allowances.is_empty());
    for (path, reason) in allowances {
        assert!(path.starts_with("/allowances_charges/0/"), "{path}");
        assert_eq!(reason, "the Stripe invoice has no place for this value", "{path}");
    }
}

#[test]
fn a_fractional_subscription_item_quantity_is_not_a_stripe_payload() {
    let mut s = fixture("subscription", "active_monthly_two_items");
    s["items"]["data"][1]["quantity"] = serde_json::from_str("1.50").unwrap();
    let err = registry().get("stripe", "subscription").unwrap().to_canonical(&s).unwrap_err();
    assert!(
        matches!(&err, MappingError::InvalidInput { pointer, message, .. }
            if pointer == "/items/data/1/quantity"
                && message == "expected a whole number (Stripe subscription item quantities are), but found 1.50"),
        "{err:?}"
    );
}

// ---------------------------------------------------------------------------
// The parties of an invoice: the seller from the issuing account, the buyer
// and the deliver-to party as Stripe printed them.

/// The losses of a mapping at `path`, as (kind, reason).
fn losses_at<'l>(losses: &'l [Loss], path: &str) -> Vec<(LossKind, &'l str)> {
    losses.iter().filter(|l| l.path == path).map(|l| (l.kind, l.reason.as_str())).collect()
}

#[test]
fn the_seller_buyer_and_deliver_to_are_what_stripe_printed() {
    let registry = registry();
    let m = registry.get("stripe", "invoice").unwrap();
    let invoice = fixture("invoice", "parties_expanded_tax_ids_shipping");
    let mapped = m.to_canonical(&invoice).unwrap();
    let c = &mapped.value;
    // The issuing account: its name, its country (all of its address
    // Stripe gives, and all EN 16931 needs) and its expanded tax ids, with
    // the customer mapper's schemes and Stripe's type as the label.
    assert_eq!(
        c["seller"],
        json!({"name": "Ledgerline Europe B.V.", "address": {"country": "NL"}, "tax_ids": [
            {"scheme": "vat", "value": "NL859216743B01", "country": "NL", "label": "eu_vat"},
            {"scheme": "vat", "value": "GB314159265", "country": "GB", "label": "gb_vat"}]})
    );
    // The customer as printed: a legal registration has no label (there the
    // label is the ISO 6523 scheme, BR-CL-11, which Stripe does not say); a
    // type outside the table is scheme other with the type as its label.
    assert_eq!(
        c["buyer"],
        json!({"name": "Alpenglühn Werkstätten AG",
               "tax_ids": [{"scheme": "legal_registration", "value": "CHE-482.915.307 HR"},
                           {"scheme": "other", "value": "CHE-482.915.307 MWST", "label": "ch_vat"}],
               "address": {"lines": ["Seefeldstrasse 112", "3. Stock"], "city": "Zürich", "region": "ZH",
                           "postal_code": "8008", "country": "CH"},
               "contact": {"email": "kreditoren@alpengluehn.example", "phone": "+41445550142"}})
    );
    assert_eq!(
        c["delivery"],
        json!({"party_name": "Alpenglühn Werkstätten AG, Werk Basel",
               "address": {"lines": ["Hafenstrasse 25"], "city": "Basel", "region": "BS",
                           "postal_code": "4057", "country": "CH"}})
    );
    // The customer record is still the counterparty.
    assert_eq!(c["counterparty"], stripe_ref("customer", "cus_TbX3kR9vLq2MwN"));
    // What has no canonical place stays where Stripe put it.
    let kept = &c["extensions"]["stripe"];
    assert_eq!(
        kept["customer_shipping"],
        json!({"phone": "+41615550188", "address": {"line2": null}})
    );
    assert_eq!(kept["customer_tax_ids"][0], json!({"type": "ch_uid"}));
    assert_eq!(kept["account_tax_ids"], invoice["account_tax_ids"]);
    // The item name is the expanded product's; the other line's product is
    // an id only, so its item has no name. Quantities count units: C62.
    assert_eq!(c["lines"][0]["item"]["name"], "Production planning suite");
    assert!(c["lines"][1]["item"].get("name").is_none());
    assert!(c["lines"].as_array().unwrap().iter().all(|l| l["unit_of_measure"] == "C62"));
    // Reverse charge (customer_tax_exempt) has rate 0, unlike outside scope.
    assert_eq!(
        (&c["lines"][0]["tax_category"], &c["lines"][0]["tax_rate"]),
        (&json!("reverse_charge"), &json!("0"))
    );
    // Among the parties, only the type outside the table is reported.
    let party_losses: Vec<&str> = mapped
        .losses
        .iter()
        .map(|l| l.path.as_str())
        .filter(|p| p.starts_with("/account_") || p.starts_with("/customer_"))
        .collect();
    assert_eq!(party_losses, ["/customer_tax_ids/1/type"]);
    assert_eq!(kinds_at(&mapped.losses, "/customer_tax_ids/1/type"), [LossKind::Fallback]);
    // Exactly what Stripe sent comes back, and the record validates.
    assert_eq!(m.to_vendor(c).unwrap().value, invoice);
    let typed: Invoice = serde_json::from_value(c.clone()).unwrap();
    let report = canonical_finance::validate::Validate::validate(&typed);
    assert_eq!(report.errors().count(), 0, "{report:?}");
}

#[test]
fn edited_parties_go_back_where_stripe_keeps_them_or_are_reported() {
    let registry = registry();
    let m = registry.get("stripe", "invoice").unwrap();
    let invoice = fixture("invoice", "parties_expanded_tax_ids_shipping");
    let mut c = m.to_canonical(&invoice).unwrap().value;
    c["seller"]["name"] = json!("Ledgerline Europe B.V. (Amsterdam)");
    c["buyer"]["name"] = json!("Alpenglühn Werkstätten AG, Zürich");
    c["buyer"]["contact"]["phone"] = json!("+41445550100");
    c["buyer"]["tax_ids"][1]["value"] = json!("CHE-482.915.307 TVA");
    c["delivery"]["address"]["lines"][0] = json!("Hafenstrasse 27");
    let out = m.to_vendor(&c).unwrap();
    assert_eq!(out.losses, [], "{:?}", out.losses);
    let mut expected = invoice.clone();
    expected["account_name"] = json!("Ledgerline Europe B.V. (Amsterdam)");
    expected["customer_name"] = json!("Alpenglühn Werkstätten AG, Zürich");
    expected["customer_phone"] = json!("+41445550100");
    expected["customer_tax_ids"][1]["value"] = json!("CHE-482.915.307 TVA");
    expected["customer_shipping"]["address"]["line1"] = json!("Hafenstrasse 27");
    assert_eq!(out.value, expected);
    // The account's tax ids are the account's: Stripe names them by id, so
    // an edited one cannot be written over the one read, and is reported.
    let mut edited = m.to_canonical(&invoice).unwrap().value;
    edited["seller"]["tax_ids"][0]["value"] = json!("NL859216743B02");
    edited["lines"][0]["item"]["name"] = json!("Planning suite");
    let out = m.to_vendor(&edited).unwrap();
    assert_eq!(out.value, invoice);
    assert_eq!(
        losses_at(&out.losses, "/seller/tax_ids/0/value"),
        [(
            LossKind::Unsupported,
            "the Stripe invoice cannot carry this value: it comes back as \"NL859216743B01\""
        )]
    );
    assert_eq!(
        losses_at(&out.losses, "/lines/0/item/name"),
        [(
            LossKind::Unsupported,
            "the Stripe invoice cannot carry this value: it comes back as \"Production planning suite\""
        )]
    );
    // Another unit than Stripe's count of units is reported.
    let mut hours = m.to_canonical(&invoice).unwrap().value;
    hours["lines"][1]["unit_of_measure"] = json!("DAY");
    let out = m.to_vendor(&hours).unwrap();
    assert_eq!(
        losses_at(&out.losses, "/lines/1/unit_of_measure"),
        [(LossKind::Unsupported, "stripe invoice cannot hold \"DAY\"; it is always \"C62\"")]
    );
}

#[test]
fn a_connect_invoice_names_the_connected_account_as_the_seller() {
    let registry = registry();
    let m = registry.get("stripe", "invoice").unwrap();
    let invoice = fixture("invoice", "connect_issuer_on_behalf_of");
    let mapped = m.to_canonical(&invoice).unwrap();
    let c = &mapped.value;
    // issuer.account and on_behalf_of name the same account: one ref.
    assert_eq!(
        c["seller"],
        json!({"name": "Fjordlys Keramikk AS", "address": {"country": "NO"},
               "external_refs": [{"system": "stripe", "object_type": "account", "id": "acct_1Rk7WpFjd0Ly5Kq2"}]})
    );
    // An account tax id Stripe did not expand has no value to map.
    assert_eq!(
        losses_at(&mapped.losses, "/account_tax_ids/0"),
        [(
            LossKind::Incomplete,
            "Stripe sent the account's tax id txi_1RkA2dFjd0Ly5Kq2Tb6nWs3E without its type and value: the seller's tax ids are incomplete (expand account_tax_ids for them; the id is kept in extensions)"
        )]
    );
    assert_eq!(
        c["extensions"]["stripe"]["account_tax_ids"],
        json!(["txi_1RkA2dFjd0Ly5Kq2Tb6nWs3E"])
    );
    // The invoice's own shipping details are what Stripe prints as the
    // deliver-to, before the customer's shipping (kept as it was).
    assert_eq!(
        c["delivery"],
        json!({"party_name": "Mari Halvorsen",
               "address": {"lines": ["Bakklandet 7", "Leilighet 2"], "city": "Trondheim",
                           "postal_code": "7013", "country": "NO"}})
    );
    assert_eq!(c["extensions"]["stripe"]["customer_shipping"], invoice["customer_shipping"]);
    assert_eq!(c["extensions"]["stripe"]["shipping_details"], invoice["shipping_details"]);
    assert_eq!(
        c["buyer"],
        json!({"name": "Ingrid Halvorsen", "contact": {"email": "ingrid.halvorsen@example.no"},
               "address": {"lines": ["Kalfarveien 31"], "city": "Bergen", "postal_code": "5018", "country": "NO"}})
    );
    assert_eq!(m.to_vendor(c).unwrap().value, invoice);
    // The deliver-to read from shipping_details is not written as the
    // customer's shipping: an edit is reported.
    let mut edited = c.clone();
    edited["delivery"]["party_name"] = json!("M. Halvorsen");
    let out = m.to_vendor(&edited).unwrap();
    assert_eq!(out.value, invoice);
    assert_eq!(
        losses_at(&out.losses, "/delivery/party_name"),
        [(
            LossKind::Unsupported,
            "the Stripe invoice cannot carry this value: it comes back as \"Mari Halvorsen\""
        )]
    );
    // Made elsewhere, the connected account is written as the issuer.
    let mut bare = c.clone();
    bare.as_object_mut().unwrap().remove("extensions");
    let out = m.to_vendor(&bare).unwrap();
    assert_eq!(out.value["issuer"], json!({"type": "account", "account": "acct_1Rk7WpFjd0Ly5Kq2"}));
    assert_eq!(out.value.get("on_behalf_of"), None);
    assert_eq!(
        (&out.value["account_name"], &out.value["account_country"]),
        (&json!("Fjordlys Keramikk AS"), &json!("NO"))
    );
    assert_eq!(out.value["customer_shipping"]["name"], "Mari Halvorsen");
    assert_eq!(out.losses, []);
}

#[test]
fn connected_accounts_are_each_one_ref_and_come_back_as_they_were() {
    let registry = registry();
    let m = registry.get("stripe", "invoice").unwrap();
    let base = fixture("invoice", "connect_issuer_on_behalf_of");
    let refs = |v: &Value| -> Vec<String> {
        m.to_canonical(v).unwrap().value["seller"]["external_refs"]
            .as_array()
            .map(|a| a.iter().map(|r| r["id"].as_str().unwrap().to_owned()).collect())
            .unwrap_or_default()
    };
    // Two accounts: the issuer's first.
    let mut two = base.clone();
    two["on_behalf_of"] = json!("acct_1Sx2PlatformShop");
    assert_eq!(refs(&two), ["acct_1Rk7WpFjd0Ly5Kq2", "acct_1Sx2PlatformShop"]);
    // on_behalf_of alone (issued by the platform itself, type self).
    let mut only = base.clone();
    only["issuer"] = json!({"type": "self"});
    assert_eq!(refs(&only), ["acct_1Rk7WpFjd0Ly5Kq2"]);
    // An expanded account is referenced by its id and kept whole.
    let mut expanded = base.clone();
    expanded["on_behalf_of"] = json!({"id": "acct_1Rk7WpFjd0Ly5Kq2", "object": "account",
        "business_profile": {"name": "Fjordlys Keramikk"}, "country": "NO"});
    let mapped = m.to_canonical(&expanded).unwrap();
    assert_eq!(kinds_at(&mapped.losses, "/on_behalf_of"), [LossKind::Lossy]);
    assert_eq!(refs(&expanded), ["acct_1Rk7WpFjd0Ly5Kq2"]);
    // No account named: the seller is the account itself, without a ref.
    let mut own = base.clone();
    own["issuer"] = json!({"type": "self"});
    own["on_behalf_of"] = Value::Null;
    assert!(refs(&own).is_empty());
    for (name, payload) in
        [("two", two), ("on_behalf_of", only), ("expanded", expanded), ("self", own)]
    {
        let report = conformance::check(m, &[(name.to_owned(), payload)]);
        assert!(report.is_ok(), "{report}");
    }
}

#[test]
fn an_address_without_a_country_is_left_out_kept_and_reported() {
    let registry = registry();
    let m = registry.get("stripe", "invoice").unwrap();
    let mut invoice = fixture("invoice", "eur_multi_tax_discount_open");
    invoice["customer_address"]["country"] = Value::Null;
    invoice["customer_shipping"]["address"]["country"] = json!("Germany");
    invoice["account_country"] = Value::Null;
    let mapped = m.to_canonical(&invoice).unwrap();
    let c = &mapped.value;
    assert!(c["buyer"].get("address").is_none(), "{}", c["buyer"]);
    assert_eq!(c["buyer"]["name"], "Kranich Logistik GmbH");
    assert!(c["delivery"].get("address").is_none());
    assert_eq!(c["delivery"]["party_name"], "Kranich Logistik GmbH, Lager Hamburg");
    assert_eq!(c["seller"], json!({"name": "Ledgerline Inc."}));
    assert_eq!(
        losses_at(&mapped.losses, "/customer_address/country"),
        [(
            LossKind::Incomplete,
            "the address has no country, which a canonical address needs: /buyer/address is left out (the address is kept in extensions)"
        )]
    );
    assert_eq!(
        losses_at(&mapped.losses, "/customer_shipping/address/country"),
        [(
            LossKind::Lossy,
            "\"Germany\" is not an ISO 3166-1 alpha-2 country code: /delivery/address is left out (the address is kept in extensions)"
        )]
    );
    assert_eq!(c["extensions"]["stripe"]["customer_address"], invoice["customer_address"]);
    let report = conformance::check(m, &[("no country".to_owned(), invoice)]);
    assert!(report.is_ok(), "{report}");
}

#[test]
fn a_customer_address_without_a_country_is_left_out_as_on_invoices() {
    let registry = registry();
    let m = registry.get("stripe", "customer").unwrap();
    let mut customer = fixture("customer", "us_company_basic");
    customer["address"]["country"] = Value::Null;
    let mapped = m.to_canonical(&customer).unwrap();
    assert!(mapped.value.get("addresses").is_none(), "{}", mapped.value);
    assert_eq!(
        losses_at(&mapped.losses, "/address/country"),
        [(
            LossKind::Incomplete,
            "the address has no country, which a canonical address needs: /addresses/0 is left out (the address is kept in extensions)"
        )]
    );
    assert_eq!(mapped.value["extensions"]["stripe"]["address"], customer["address"]);
    let report = conformance::check(m, &[("no country".to_owned(), customer)]);
    assert!(report.is_ok(), "{report}");
}

#[test]
fn a_customer_tax_id_without_a_value_is_refused_where_it_is() {
    let mut invoice = fixture("invoice", "eur_multi_tax_discount_open");
    invoice["customer_tax_ids"][1]["value"] = Value::Null;
    let err = registry().get("stripe", "invoice").unwrap().to_canonical(&invoice).unwrap_err();
    assert!(
        matches!(&err, MappingError::InvalidInput { pointer, message, .. }
            if pointer == "/customer_tax_ids/1/value"
                && message == "expected the tax id's value (a canonical tax id needs one), but found null"),
        "{err:?}"
    );
    let mut untyped = fixture("invoice", "eur_multi_tax_discount_open");
    untyped["customer_tax_ids"][0].as_object_mut().unwrap().remove("type");
    let err = registry().get("stripe", "invoice").unwrap().to_canonical(&untyped).unwrap_err();
    assert!(
        matches!(&err, MappingError::InvalidInput { pointer, message, .. }
            if pointer == "/customer_tax_ids/0/type"
                && message == "expected the tax id's type (a canonical tax id needs one), but found none"),
        "{err:?}"
    );
}

#[test]
fn account_tax_ids_read_as_the_customer_tax_ids_do() {
    let registry = registry();
    let m = registry.get("stripe", "invoice").unwrap();
    let mut invoice = fixture("invoice", "parties_expanded_tax_ids_shipping");
    // Ids, expanded ids, a deleted one and types outside the table, mixed.
    invoice["account_tax_ids"] = json!([
        "txi_1Unexpanded",
        {"id": "txi_1Deleted", "object": "tax_id", "deleted": true},
        {"id": "txi_1Swiss", "object": "tax_id", "country": "CH", "type": "ch_uid", "value": "CHE-109.322.551 HR"},
        {"id": "txi_1Norway", "object": "tax_id", "country": "NO", "type": "no_vat", "value": "921456789MVA"},
        invoice["account_tax_ids"][0].clone()
    ]);
    let mapped = m.to_canonical(&invoice).unwrap();
    assert_eq!(
        mapped.value["seller"]["tax_ids"],
        json!([
            {"scheme": "legal_registration", "value": "CHE-109.322.551 HR", "country": "CH"},
            {"scheme": "other", "value": "921456789MVA", "country": "NO", "label": "no_vat"},
            {"scheme": "vat", "value": "NL859216743B01", "country": "NL", "label": "eu_vat"}
        ])
    );
    assert_eq!(kinds_at(&mapped.losses, "/account_tax_ids/0"), [LossKind::Incomplete]);
    assert!(
        kinds_at(&mapped.losses, "/account_tax_ids/1").is_empty(),
        "a deleted tax id is no tax id"
    );
    assert_eq!(kinds_at(&mapped.losses, "/account_tax_ids/3/type"), [LossKind::Fallback]);
    let report = conformance::check(m, &[("mixed account tax ids".to_owned(), invoice)]);
    assert!(report.is_ok(), "{report}");
    // One table for both lists: the file's customer_tax_ids rule is the
    // customer mapper's tax_ids rule.
    let table = |file: &str, list: &str| -> Value {
        let text =
            canonical_finance::vendors::stripe::FILES.iter().find(|(f, _)| *f == file).unwrap().1;
        let spec: Value = serde_json::from_str(text).unwrap();
        let rule = spec["rules"].as_array().unwrap().iter().find(|r| r["vendor"] == list).unwrap();
        rule["each"][0]["enum"].clone()
    };
    assert_eq!(
        table("mappings/stripe/invoice.json", "/customer_tax_ids"),
        table("mappings/stripe/customer.json", "/tax_ids/data")
    );
}

#[test]
fn an_invoice_made_elsewhere_says_which_party_fields_stripe_cannot_hold() {
    let registry = registry();
    let m = registry.get("stripe", "invoice").unwrap();
    let mut invoice = canonical_example("invoice/delivery_and_payee.json");
    invoice["counterparty"] = stripe_ref("customer", "cus_1");
    let out = m.to_vendor(&invoice).unwrap();
    let o = &out.value;
    assert_eq!(
        (&o["account_name"], &o["account_country"]),
        (&json!("Bohnenwerk Kaffeeservice GmbH"), &json!("DE"))
    );
    // The seller's tax ids as expanded tax ids without an id (Stripe needs
    // them created on the account), the Stripe type by scheme and country.
    assert_eq!(
        o["account_tax_ids"],
        json!([{"object": "tax_id", "type": "eu_vat", "value": "DE811907980"},
               {"object": "tax_id", "type": "de_stn", "value": "27/604/01829", "country": "DE"}])
    );
    for i in [0, 1] {
        assert_eq!(kinds_at(&out.losses, &format!("/seller/tax_ids/{i}")), [LossKind::Incomplete]);
    }
    // A legal registration whose label is an ISO 6523 scheme (0002) and
    // without a country: no Stripe type fits.
    assert_eq!(
        losses_at(&out.losses, "/seller/tax_ids/2"),
        [(
            LossKind::Unsupported,
            "no Stripe tax id type is a legal_registration id without a country: the tax id is not written (Stripe requires a type)"
        )]
    );
    assert_eq!(o["customer_name"], invoice["buyer"]["name"]);
    assert_eq!(o["customer_tax_ids"], json!([{"type": "eu_vat", "value": "FR40303265045"}]));
    assert_eq!(o["customer_shipping"]["name"], invoice["delivery"]["party_name"]);
    // What no Stripe invoice field holds is reported, each where it is.
    for path in [
        "/seller/address/lines/0",
        "/seller/address/city",
        "/seller/identifiers/0/value",
        "/seller/electronic_address/value",
        "/seller/contact/name",
        "/buyer/electronic_address/value",
        "/delivery/date",
        "/delivery/location_id/value",
        "/payee/name",
        "/specification",
    ] {
        assert_eq!(
            kinds_at(&out.losses, path),
            [LossKind::Unsupported],
            "{path}: {:?}",
            out.losses
        );
    }
    // The Stripe payload written reads back with what it holds.
    let back = m.to_canonical(o).unwrap().value;
    assert_eq!(back["buyer"]["address"], invoice["buyer"]["address"]);
    assert_eq!(back["delivery"]["address"], invoice["delivery"]["address"]);
    assert_eq!(back["seller"]["tax_ids"][0]["value"], "DE811907980");
}

#[test]
fn a_credit_note_has_no_parties_of_its_own() {
    // Stripe's credit note names its invoice and customer; it carries no
    // account or customer details, so the mapper gives no seller or buyer
    // (the invoice's are on the invoice), and a record's are reported.
    let registry = registry();
    let m = registry.get("stripe", "credit_note").unwrap();
    for (name, note) in fixtures("credit_note") {
        let c = m.to_canonical(&note).unwrap().value;
        for part in ["seller", "buyer", "delivery"] {
            assert!(c.get(part).is_none(), "{name}: {part}");
        }
        assert!(c["lines"].as_array().unwrap().iter().all(|l| l["unit_of_measure"] == "C62"));
    }
    let mut note = made_elsewhere("credit_note", "issued_post_payment_refund_usd");
    note["seller"] = json!({"name": "Ledgerline Inc.", "address": {"country": "US"}});
    note["buyer"] = json!({"name": "Northwind Analytics, Inc."});
    let out = m.to_vendor(&note).unwrap();
    for path in ["/seller/name", "/seller/address/country", "/buyer/name"] {
        assert_eq!(kinds_at(&out.losses, path), [LossKind::Unsupported], "{path}");
    }
}

#[test]
fn an_item_name_comes_from_an_expanded_product_only() {
    let registry = registry();
    let m = registry.get("stripe", "invoice").unwrap();
    // 2020-08-27 shape: the line's price with its product expanded.
    let mut invoice = fixture("invoice", "old_shape_2020_08_27");
    let product = invoice["lines"]["data"][0]["price"]["product"].as_str().unwrap().to_owned();
    invoice["lines"]["data"][0]["price"]["product"] =
        json!({"id": product, "object": "product", "name": "Analytics Pro seat", "active": true});
    let c = m.to_canonical(&invoice).unwrap().value;
    assert_eq!(c["lines"][0]["item"]["name"], "Analytics Pro seat");
    assert_eq!(c["lines"][0]["item"]["external_refs"][0]["id"], json!(product));
    // No invented names: the description is the line's description.
    let plain = m.to_canonical(&fixture("invoice", "old_shape_2020_08_27")).unwrap().value;
    assert!(plain["lines"][0]["item"].get("name").is_none());
    let report = conformance::check(m, &[("expanded product".to_owned(), invoice)]);
    assert!(report.is_ok(), "{report}");
}

#[test]
fn untaxed_outside_scope_lines_have_no_rate_whatever_the_reason() {
    // Stripe Tax names why nothing was charged: not collecting there is
    // outside the scope of tax, with no rate on the lines, the discount's
    // allowance or the breakdown.
    let registry = registry();
    let m = registry.get("stripe", "invoice").unwrap();
    let mut invoice = fixture("invoice", "eur_multi_tax_discount_open");
    // No VAT ids and no other category beside outside scope (BR-O-02..04,
    // BR-O-11..14).
    invoice["customer_tax_ids"] = json!([]);
    for i in [0, 1] {
        let tax = &mut invoice["lines"]["data"][i]["taxes"][0];
        tax["amount"] = json!(0);
        tax["taxability_reason"] = json!("not_collecting");
        invoice["total_taxes"][i]["amount"] = json!(0);
        invoice["total_taxes"][i]["taxability_reason"] = json!("not_collecting");
    }
    for key in ["total", "amount_due", "amount_remaining"] {
        invoice[key] = json!(50940);
    }
    let c = m.to_canonical(&invoice).unwrap().value;
    for line in c["lines"].as_array().unwrap() {
        assert_eq!(line["tax_category"], "outside_scope");
        assert!(line.get("tax_rate").is_none(), "{line}");
    }
    let outside: Vec<&Value> = c["allowances_charges"]
        .as_array()
        .unwrap()
        .iter()
        .chain(c["tax_breakdown"].as_array().unwrap())
        .collect();
    assert_eq!(outside.len(), 2, "one allowance, one breakdown entry: {outside:?}");
    for x in outside {
        assert!(x.get("tax_rate").is_none() && x.get("rate").is_none(), "{x}");
        assert!(x["tax_category"] == "outside_scope" || x["category"] == "outside_scope", "{x}");
    }
    let report = conformance::check(m, &[("not collecting".to_owned(), invoice)]);
    assert!(report.is_ok(), "{report}");
}

#[test]
fn a_cancelled_invoice_payment_applies_nothing_and_keeps_its_invoice() {
    let registry = registry();
    let m = registry.get("stripe", "invoice_payment").unwrap();
    let canceled = fixture("invoice_payment", "canceled");
    let mapped = m.to_canonical(&canceled).unwrap();
    let c = &mapped.value;
    assert_eq!(c["status"], "cancelled");
    assert!(c.get("applications").is_none(), "{c}");
    // The invoice Stripe names is kept, so nothing is lost and it comes back.
    assert_eq!(c["extensions"]["stripe"]["invoice"], canceled["invoice"]);
    assert_eq!(m.to_vendor(c).unwrap().value, canceled);
    let typed: Payment = serde_json::from_value(c.clone()).unwrap();
    assert_eq!(canonical_finance::validate::Validate::validate(&typed).errors().count(), 0);
    // A paid one applies its amount.
    let paid = m.to_canonical(&fixture("invoice_payment", "paid_charge")).unwrap().value;
    assert_eq!(paid["applications"].as_array().map(Vec::len), Some(1));
    // The other payment objects never apply anything: no rule maps an
    // invoice (the 2020-08-27 `invoice` of a charge or payment intent stays
    // in extensions), cancelled or failed alike.
    for (object, name, status) in [
        ("payment_intent", "succeeded_card", "canceled"),
        ("payment_intent", "requires_payment_method_declined", "requires_payment_method"),
        ("charge", "failed_card_declined", "failed"),
    ] {
        let mut payload = fixture(object, name);
        payload["status"] = json!(status);
        payload["invoice"] = json!("in_1VoidedInvoice");
        let mapper = registry.get("stripe", object).unwrap();
        let c = mapper.to_canonical(&payload).unwrap().value;
        assert!(c.get("applications").is_none(), "{object}/{name}");
        let report = conformance::check(mapper, &[(name.to_owned(), payload)]);
        assert!(report.is_ok(), "{report}");
    }
}
