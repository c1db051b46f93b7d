//! A Stripe invoice (≈8 KB, 4 lines, 2 tax rates, a discount) → canonical
//! and back, next to its floor: the same bytes parsed into
//! `serde::de::IgnoredAny`. Read the numbers as ratios.
//!
//! - `floor_ignored_any`: the floor;
//! - `parse_value`: the same bytes into a `serde_json::Value`, the form the
//!   `Mapper` trait works on (a second reference: no mapping can cost less);
//! - `residue_value`: the part of the invoice no rule maps (what the
//!   canonical record keeps under `extensions.stripe`, ≈ 90 % of this
//!   payload), as JSON text, into a `Value`: the least a lossless mapper
//!   must build on the way in, because the canonical record holds that
//!   residue as a `Value` (the way back builds the vendor `Value` again);
//! - `to_canonical`, `to_vendor`: one direction each, parsing included;
//! - `round_trip`: bytes → Value → canonical → Stripe, borrowing entry points;
//! - `round_trip_owned`: the same with `to_canonical_owned` and
//!   `to_vendor_owned`, which move the residue instead of copying it.

#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used)]

use std::hint::black_box;

use canonical_finance::json::Value;
use canonical_finance::mapping::Registry;
use criterion::{Criterion, criterion_group, criterion_main};
use serde::de::IgnoredAny;

const INVOICE: &str =
    include_str!("../tests/fixtures/stripe/invoice/eur_multi_tax_discount_open.json");

fn bench(c: &mut Criterion) {
    let registry = Registry::builtin().unwrap();
    let mapper = registry.get("stripe", "invoice").unwrap();
    let vendor: Value = serde_json::from_str(INVOICE).unwrap();
    let canonical = mapper.to_canonical(&vendor).unwrap().value;
    let canonical_text = serde_json::to_string(&canonical).unwrap();
    let residue_text =
        serde_json::to_string(canonical.pointer("/extensions/stripe").unwrap()).unwrap();

    let mut g = c.benchmark_group("stripe_invoice");
    g.bench_function("floor_ignored_any", |b| {
        b.iter(|| serde_json::from_str::<IgnoredAny>(black_box(INVOICE)).unwrap())
    });
    g.bench_function("parse_value", |b| {
        b.iter(|| serde_json::from_str::<Value>(black_box(INVOICE)).unwrap())
    });
    g.bench_function("residue_value", |b| {
        b.iter(|| serde_json::from_str::<Value>(black_box(&residue_text)).unwrap())
    });
    g.bench_function("to_canonical", |b| {
        b.iter(|| {
            let v: Value = serde_json::from_str(black_box(INVOICE)).unwrap();
            mapper.to_canonical(&v).unwrap()
        })
    });
    g.bench_function("to_vendor", |b| {
        b.iter(|| {
            let v: Value = serde_json::from_str(black_box(&canonical_text)).unwrap();
            mapper.to_vendor(&v).unwrap()
        })
    });
    g.bench_function("round_trip", |b| {
        b.iter(|| {
            let v: Value = serde_json::from_str(black_box(INVOICE)).unwrap();
            let c = mapper.to_canonical(&v).unwrap();
            mapper.to_vendor(&c.value).unwrap()
        })
    });
    g.bench_function("round_trip_owned", |b| {
        b.iter(|| {
            let v: Value = serde_json::from_str(black_box(INVOICE)).unwrap();
            let c = mapper.to_canonical_owned(v).unwrap();
            mapper.to_vendor_owned(c.value).unwrap()
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
