//! Deserialize + validate an invoice and a customer, next to the floor:
//! the same bytes parsed into `serde::de::IgnoredAny`. Read the numbers as
//! ratios.
//!
//! `two_passes` is what `validate` did before it parsed once (an
//! `IgnoredAny` syntax pass, then the typed parse and the rules);
//! `validate_json` is what the library and the CLI do now.

#![allow(
    missing_docs,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::arithmetic_side_effects,
    clippy::indexing_slicing
)]

use std::hint::black_box;

use canonical_finance::model::{
    Address, CountryCode, CustomerId, CustomerRef, EN16931_URN, Invoice, InvoiceId, InvoiceLine,
    InvoiceStatus, InvoiceTotals, ItemRef, Party, TaxCategory, TaxId, TaxIdScheme,
};
use canonical_finance::model::{Customer, Entity};
use canonical_finance::validate::{Profile, Validate, validate_json};
use canonical_finance::{Currency, Money, Rounding};
use criterion::{Criterion, criterion_group, criterion_main};
use rust_decimal::Decimal;
use serde::de::IgnoredAny;

/// A valid issued EUR invoice with `n` lines at 19 % and 7 %.
fn invoice_json(n: usize) -> String {
    let eur = |a: Decimal| Money::new(a, Currency::EUR);
    let mut lines = Vec::with_capacity(n);
    let (mut net19, mut net7) = (Decimal::ZERO, Decimal::ZERO);
    for i in 0..n {
        let qty = Decimal::from(i % 7 + 1);
        let price = Decimal::new(1999 + (i as i64) * 37, 2);
        let net = eur(qty * price).round(Rounding::HalfUp).unwrap();
        let rate = if i % 3 == 0 { Decimal::from(7) } else { Decimal::from(19) };
        if i % 3 == 0 {
            net7 += net.amount()
        } else {
            net19 += net.amount()
        }
        let mut line = InvoiceLine::new(qty, eur(price), net);
        line.id = Some(format!("{}", i + 1));
        line.description = Some(format!("Item {} — consulting hours", i + 1));
        line.unit_of_measure = Some("HUR".into());
        line.item = Some(ItemRef::named("Consulting hour"));
        line.tax_category = Some(TaxCategory::Standard);
        line.tax_rate = Some(rate);
        lines.push(line);
    }
    let tax19 =
        eur(net19 * Decimal::from(19) / Decimal::from(100)).round(Rounding::HalfUp).unwrap();
    let tax7 = eur(net7 * Decimal::from(7) / Decimal::from(100)).round(Rounding::HalfUp).unwrap();
    let line_net = net19 + net7;
    let tax = tax19.amount() + tax7.amount();
    let totals = InvoiceTotals::new(eur(line_net), eur(tax), eur(line_net + tax));
    let mut invoice = Invoice::new(
        InvoiceId::new("inv_bench").unwrap(),
        CustomerRef::to_id(CustomerId::new("cust_bench").unwrap()),
        Currency::EUR,
        totals,
    );
    invoice.number = Some("2026-0001".into());
    invoice.status = InvoiceStatus::Issued;
    invoice.specification = Some(EN16931_URN.into());
    let mut seller = Party::named("Bohnenwerk Kaffeeservice GmbH");
    seller.tax_ids.push(TaxId::new(TaxIdScheme::Vat, "DE811907980"));
    seller.address = Some(Address::new(CountryCode::new("DE").unwrap()));
    let mut buyer = Party::named("Hafenkontor Logistik GmbH");
    buyer.address = Some(Address::new(CountryCode::new("DE").unwrap()));
    invoice.seller = Some(seller);
    invoice.buyer = Some(buyer);
    invoice.issue_date = chrono::NaiveDate::from_ymd_opt(2026, 11, 2);
    invoice.lines = lines;
    let mut json = serde_json::to_value(&invoice).unwrap();
    let mut breakdown = Vec::new();
    for (rate, net, tax) in [("19", net19, tax19), ("7", net7, tax7)] {
        if !net.is_zero() {
            breakdown.push(serde_json::json!({
                "category": "standard", "rate": rate,
                "taxable_amount": eur(net), "tax_amount": tax
            }));
        }
    }
    json["tax_breakdown"] = serde_json::Value::Array(breakdown);
    let text = serde_json::to_string(&json).unwrap();
    let parsed: Invoice = serde_json::from_str(&text).unwrap();
    assert!(parsed.validate().violations().is_empty(), "{}", parsed.validate());
    text
}

fn bench(c: &mut Criterion) {
    for n in [10, 200] {
        let json = invoice_json(n);
        let mut g = c.benchmark_group(format!("invoice_{n}_lines"));
        g.throughput(criterion::Throughput::Bytes(json.len() as u64));
        g.bench_function("floor_ignored_any", |b| {
            b.iter(|| serde_json::from_str::<IgnoredAny>(black_box(&json)).unwrap())
        });
        // A second reference: a generic tree that allocates every string.
        g.bench_function("reference_value_tree", |b| {
            b.iter(|| serde_json::from_str::<serde_json::Value>(black_box(&json)).unwrap())
        });
        g.bench_function("deserialize", |b| {
            b.iter(|| serde_json::from_str::<Invoice>(black_box(&json)).unwrap())
        });
        g.bench_function("deserialize_and_validate", |b| {
            b.iter(|| {
                let invoice: Invoice = serde_json::from_str(black_box(&json)).unwrap();
                invoice.validate()
            })
        });
        g.bench_function("two_passes", |b| b.iter(|| two_passes::<Invoice>(black_box(&json))));
        g.bench_function("validate_json", |b| {
            b.iter(|| validate_json(Entity::Invoice, black_box(&json), Profile::Exact).unwrap())
        });
        g.finish();
    }
    // A customer with e-mail addresses, a phone, a web site, tax ids and
    // bank accounts: the published example, compact.
    let text = std::fs::read_to_string("schemas/examples/customer/organization.json").unwrap();
    let value: serde_json::Value = serde_json::from_str(&text).unwrap();
    let json = serde_json::to_string(&value).unwrap();
    let mut g = c.benchmark_group("customer");
    g.throughput(criterion::Throughput::Bytes(json.len() as u64));
    g.bench_function("floor_ignored_any", |b| {
        b.iter(|| serde_json::from_str::<IgnoredAny>(black_box(&json)).unwrap())
    });
    g.bench_function("deserialize", |b| {
        b.iter(|| serde_json::from_str::<Customer>(black_box(&json)).unwrap())
    });
    g.bench_function("two_passes", |b| b.iter(|| two_passes::<Customer>(black_box(&json))));
    g.bench_function("validate_json", |b| {
        b.iter(|| validate_json(Entity::Customer, black_box(&json), Profile::Exact).unwrap())
    });
    g.finish();
}

/// The old `validate`: a syntax-only pass into `IgnoredAny`, then the
/// typed parse and the rules.
fn two_passes<T: serde::de::DeserializeOwned + Validate>(json: &str) -> bool {
    serde_json::from_str::<IgnoredAny>(json).unwrap();
    let record: T = serde_json::from_str(json).unwrap();
    record.validate().is_valid()
}

criterion_group!(benches, bench);
criterion_main!(benches);
