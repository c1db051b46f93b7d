//! Exact values of the documents that matter.

use super::*;

#[test]
fn jpy_invoice_counts_in_whole_yen() {
    let registry = registry();
    let mapped = registry
        .to_canonical_as::<Invoice>("stripe", "invoice", &fixture("invoice", "jpy_single_tax"))
        .unwrap();
    let c = json::to_value(&mapped.value).unwrap();
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
    let c = json::to_value(&mapped.value).unwrap();
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
    let c = json::to_value(&mapped.value).unwrap();
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
    let ok = json::to_value(&pi("succeeded_card")).unwrap();
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
    let sepa = json::to_value(&pi("processing_sepa_debit_eur")).unwrap();
    assert_eq!(
        (sepa["status"].as_str(), sepa["method"].as_str()),
        (Some("pending"), Some("direct_debit"))
    );

    let charge = registry
        .to_canonical_as::<Payment>("stripe", "charge", &fixture("charge", "failed_card_declined"))
        .unwrap()
        .value;
    assert_eq!(charge.status, PaymentStatus::Failed);

    let paid = json::to_value(
        &registry
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
    let c = json::to_value(&active.value).unwrap();
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
    let c = json::to_value(&cancelled.value).unwrap();
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
    let c = json::to_value(&trial.value).unwrap();
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
    let typed: Invoice = json::from_value(&mapped.value).unwrap();
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

#[test]
fn a_twenty_digit_amount_survives_the_round_trip_as_text() {
    // No f64 and no 64-bit integer on the way: the payload's number text
    // is read exactly and written back as it came.
    let registry = registry();
    let m = registry.get("stripe", "refund").unwrap();
    let text = std::fs::read_to_string(format!(
        "{}/tests/fixtures/stripe/refund/partial_requested_by_customer.json",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
    .replacen("\"amount\": 1633,", "\"amount\": 12345678901234567890,", 1);
    let read = m.to_canonical_str(&text).unwrap();
    assert_eq!(read.value["amount"], json!({"amount": "123456789012345678.90", "currency": "USD"}));
    let back = m.to_vendor(&read.value).unwrap();
    assert_eq!(json::to_string(&back.value["amount"]), "12345678901234567890");
    assert_eq!(back.value, json::parse(&text).unwrap());
    // Text that is not JSON is an input error at the document.
    let err = m.to_canonical_str("{\"id\": ").unwrap_err();
    assert_eq!(
        err.to_string(),
        "cannot map stripe refund at the document root: expected a JSON value, but found the end of the input (line 1, column 7)"
    );
}

#[test]
fn bytes_map_as_their_text_does_and_bytes_that_are_not_utf8_are_refused_where_they_break() {
    let registry = registry();
    let m = registry.get("stripe", "refund").unwrap();
    let text = std::fs::read_to_string(format!(
        "{}/tests/fixtures/stripe/refund/partial_requested_by_customer.json",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap();
    let from_bytes = m.to_canonical_bytes(text.as_bytes()).unwrap();
    let from_text = m.to_canonical_str(&text).unwrap();
    assert_eq!(from_bytes.value, from_text.value);
    assert_eq!(from_bytes.losses, from_text.losses);
    let back = m.to_vendor_bytes(json::to_string(&from_bytes.value).as_bytes()).unwrap();
    assert_eq!(back.value, json::parse(&text).unwrap());
    let err = m.to_canonical_bytes(b"{\"id\": \"re_\xff\"}").unwrap_err();
    assert_eq!(
        err.to_string(),
        "cannot map stripe refund at the document root: expected UTF-8 text, but found a byte that is not (line 1, column 12)"
    );
}

#[test]
fn a_number_the_typed_record_writes_its_own_way_comes_back_as_stripe_wrote_it() {
    // `-0` net days is 0 in the canonical record; the payload's own text
    // comes back (a proptest finding).
    let text = std::fs::read_to_string(format!(
        "{}/tests/fixtures/stripe/subscription/canceled_send_invoice.json",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap();
    let original = json::parse(&text).unwrap();
    let days = original["days_until_due"].as_i64().unwrap();
    let edited = text.replacen(&format!("\"days_until_due\": {days}"), "\"days_until_due\": -0", 1);
    assert_ne!(edited, text);
    let registry = registry();
    let m = registry.get("stripe", "subscription").unwrap();
    let read = m.to_canonical_str(&edited).unwrap();
    assert_eq!(read.value["payment_terms"]["net_days"], json!(0));
    let back = m.to_vendor(&read.value).unwrap();
    assert_eq!(json::to_string(&back.value["days_until_due"]), "-0");
    assert_eq!(back.value, json::parse(&edited).unwrap());
}
