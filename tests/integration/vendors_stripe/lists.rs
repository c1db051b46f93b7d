//! Paginated lines, expanded references, and Stripe's minor units.

use super::*;

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
