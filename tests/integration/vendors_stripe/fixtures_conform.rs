//! Conformance: every fixture of every object passes the suite.

use super::*;

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
