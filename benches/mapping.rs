//! A Stripe invoice (8.4 KB pretty-printed, 2 lines, 2 tax rates, a
//! discount) → canonical and back, next to its floors. Read the numbers as
//! ratios.
//!
//! - `floor_ignored_any`: the floor, the same bytes parsed into
//!   `serde::de::IgnoredAny`;
//! - `serde_json_value`: the bytes into a `serde_json::Value` (what a
//!   mapper written on serde_json's tree would start from);
//! - `json_parse`: the bytes into the crate's [`json::Value`]
//!   (`canonical_finance::json::parse_bytes`), the tree the mappers work on:
//!   no mapping can cost less;
//! - `floor_canonical`: the canonical record's text into `IgnoredAny`, the
//!   floor of the way back's input;
//! - `to_canonical_bytes`, `to_vendor_bytes`: one direction each, from the
//!   bytes, as the CLI and a webhook handler call them;
//! - `round_trip`: bytes → canonical → Stripe, borrowing entry points
//!   (`to_canonical`, `to_vendor` on a parsed tree);
//! - `round_trip_owned`: the same with `to_canonical_owned` and
//!   `to_vendor_owned`, which move the residue instead of copying it.
//!
//! A QuickBooks Online invoice (a mapping file with no glue: lines sorted
//! by `DetailType`, tax codes looked up in the tenant's table through the
//! crosswalk, the breakdown, totals and status derived), the record of
//! `tests/fixtures/quickbooks/invoice/taxable_and_non_subtotal_custom_field_part_paid.json`:
//! `floor_ignored_any` and `json_parse` as above, `to_canonical` from the
//! parsed tree, `round_trip` from the bytes.

#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used)]

use std::hint::black_box;

use canonical_finance::json;
use canonical_finance::mapping::{Crosswalk, Mapper, Registry};
use criterion::{Criterion, criterion_group, criterion_main};
use serde::de::IgnoredAny;

const INVOICE: &str =
    include_str!("../tests/fixtures/stripe/invoice/eur_multi_tax_discount_open.json");

fn bench(c: &mut Criterion) {
    let registry = Registry::builtin().unwrap();
    let mapper = registry.get("stripe", "invoice").unwrap();
    let canonical = mapper.to_canonical_bytes(INVOICE.as_bytes()).unwrap().value;
    let canonical_text = json::to_string(&canonical);

    let mut g = c.benchmark_group("stripe_invoice");
    g.bench_function("floor_ignored_any", |b| {
        b.iter(|| serde_json::from_str::<IgnoredAny>(black_box(INVOICE)).unwrap())
    });
    g.bench_function("serde_json_value", |b| {
        b.iter(|| serde_json::from_str::<serde_json::Value>(black_box(INVOICE)).unwrap())
    });
    g.bench_function("json_parse", |b| {
        b.iter(|| json::parse_bytes(black_box(INVOICE.as_bytes())).unwrap())
    });
    g.bench_function("floor_canonical", |b| {
        b.iter(|| serde_json::from_str::<IgnoredAny>(black_box(&canonical_text)).unwrap())
    });
    g.bench_function("to_canonical_bytes", |b| {
        b.iter(|| mapper.to_canonical_bytes(black_box(INVOICE.as_bytes())).unwrap())
    });
    g.bench_function("to_vendor_bytes", |b| {
        b.iter(|| mapper.to_vendor_bytes(black_box(canonical_text.as_bytes())).unwrap())
    });
    g.bench_function("round_trip", |b| {
        b.iter(|| {
            let v = json::parse_bytes(black_box(INVOICE.as_bytes())).unwrap();
            let c = mapper.to_canonical(&v).unwrap();
            mapper.to_vendor(&c.value).unwrap()
        })
    });
    g.bench_function("round_trip_owned", |b| {
        b.iter(|| {
            let v = json::parse_bytes(black_box(INVOICE.as_bytes())).unwrap();
            let c = mapper.to_canonical_owned(v).unwrap();
            mapper.to_vendor_owned(c.value).unwrap()
        })
    });
    g.finish();
}

const QBO_INVOICE: &str = include_str!(
    "../tests/fixtures/quickbooks/invoice/taxable_and_non_subtotal_custom_field_part_paid.json"
);
const QBO_TAX_CODES: &str = include_str!("../tests/fixtures/quickbooks/tenant/tax_codes.json");

fn bench_quickbooks(c: &mut Criterion) {
    let registry = Registry::builtin().unwrap();
    let mut crosswalk = Crosswalk::new();
    crosswalk.set_tenant_value("quickbooks", "/TaxCodes", json::parse(QBO_TAX_CODES).unwrap());
    let mapper = crosswalk.wrap(registry.get("quickbooks", "Invoice").unwrap());
    let response = json::parse(QBO_INVOICE).unwrap();
    let record_text = json::to_string(response.get("Invoice").unwrap());
    let record = json::parse(&record_text).unwrap();

    let mut g = c.benchmark_group("quickbooks_invoice");
    g.bench_function("floor_ignored_any", |b| {
        b.iter(|| serde_json::from_str::<IgnoredAny>(black_box(&record_text)).unwrap())
    });
    g.bench_function("json_parse", |b| {
        b.iter(|| json::parse_bytes(black_box(record_text.as_bytes())).unwrap())
    });
    g.bench_function("to_canonical", |b| {
        b.iter(|| mapper.to_canonical(black_box(&record)).unwrap())
    });
    g.bench_function("round_trip", |b| {
        b.iter(|| {
            let v = json::parse_bytes(black_box(record_text.as_bytes())).unwrap();
            let c = mapper.to_canonical(&v).unwrap();
            mapper.to_vendor(&c.value).unwrap()
        })
    });
    g.finish();
}

criterion_group!(benches, bench, bench_quickbooks);
criterion_main!(benches);
