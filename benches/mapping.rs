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
//!
//! A NetSuite SuiteTax invoice (three lines, their tax details joined to
//! them by `taxDetailsReference`, currency and tax codes through the
//! tenant's tables): the same four. A Business Central journal page (six
//! lines of four documents, grouped with `parts::group`, three balancing
//! accounts as twins, dimensions by code): `to_canonical` is the page's
//! bytes to its four entries.

#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used)]

use std::hint::black_box;

use canonical_finance::json;
use canonical_finance::mapping::{Crosswalk, Mapper, Registry, envelope, parts};
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

const NS_INVOICE: &str = include_str!(
    "../tests/fixtures/netsuite/invoice/suitetax_nordic_nok_items_expanded_part_paid.json"
);
const NS_CURRENCIES: &str = include_str!("../tests/fixtures/netsuite/tenant/currencies.json");
const NS_TAX_CODES: &str = include_str!("../tests/fixtures/netsuite/tenant/tax_codes.json");

/// The NetSuite SuiteTax invoice of three lines: its tax details joined
/// to the lines, the currency and tax codes read through the tenant's
/// tables.
fn bench_netsuite(c: &mut Criterion) {
    let registry = Registry::builtin().unwrap();
    let mut crosswalk = Crosswalk::new();
    crosswalk.set_tenant_value("netsuite", "/Currencies", json::parse(NS_CURRENCIES).unwrap());
    crosswalk.set_tenant_value("netsuite", "/TaxCodes", json::parse(NS_TAX_CODES).unwrap());
    let mapper = crosswalk.wrap(registry.get("netsuite", "invoice").unwrap());
    let record = json::parse(NS_INVOICE).unwrap();

    let mut g = c.benchmark_group("netsuite_invoice");
    g.bench_function("floor_ignored_any", |b| {
        b.iter(|| serde_json::from_str::<IgnoredAny>(black_box(NS_INVOICE)).unwrap())
    });
    g.bench_function("json_parse", |b| {
        b.iter(|| json::parse_bytes(black_box(NS_INVOICE.as_bytes())).unwrap())
    });
    g.bench_function("to_canonical", |b| {
        b.iter(|| mapper.to_canonical(black_box(&record)).unwrap())
    });
    g.bench_function("round_trip", |b| {
        b.iter(|| {
            let v = json::parse_bytes(black_box(NS_INVOICE.as_bytes())).unwrap();
            let c = mapper.to_canonical(&v).unwrap();
            mapper.to_vendor(&c.value).unwrap()
        })
    });
    g.finish();
}

const BC_JOURNAL: &str = include_str!(
    "../tests/fixtures/business-central/journal_lines/monthend_lines_expanded_dimensions.json"
);

/// A Business Central journal page of six lines: grouped into its four
/// entries, the balancing accounts as twins, the dimensions by code.
fn bench_business_central(c: &mut Criterion) {
    let registry = Registry::builtin().unwrap();
    let mut crosswalk = Crosswalk::new();
    crosswalk.set_tenant_value("business_central", "/LocalCurrency", json::Value::from("GBP"));
    let mapper = crosswalk.wrap(registry.get("business_central", "journalLine").unwrap());

    let mut g = c.benchmark_group("business_central_journal_page");
    g.bench_function("floor_ignored_any", |b| {
        b.iter(|| serde_json::from_str::<IgnoredAny>(black_box(BC_JOURNAL)).unwrap())
    });
    g.bench_function("json_parse", |b| {
        b.iter(|| json::parse_bytes(black_box(BC_JOURNAL.as_bytes())).unwrap())
    });
    g.bench_function("to_canonical", |b| {
        b.iter(|| {
            let page = json::parse_bytes(black_box(BC_JOURNAL.as_bytes())).unwrap();
            let opened = envelope::open(&mapper, &page).unwrap();
            let lines: Vec<json::Value> = opened.records().iter().map(|r| (*r).clone()).collect();
            let entries: Vec<_> = parts::group(&mapper, &lines)
                .unwrap()
                .iter()
                .map(|whole| mapper.to_canonical(whole).unwrap())
                .collect();
            entries
        })
    });
    g.finish();
}

criterion_group!(benches, bench, bench_quickbooks, bench_netsuite, bench_business_central);
criterion_main!(benches);
