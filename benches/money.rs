//! Money benchmarks. Each parsing number sits next to its floor: the same
//! bytes parsed into `serde::de::IgnoredAny`, which is the cost of reading
//! the JSON at all. Read the results as ratios to that floor.

#![allow(missing_docs, clippy::unwrap_used, clippy::expect_used)]

use std::hint::black_box;

use canonical_finance::money::{Money, Rounding};
use criterion::{Criterion, criterion_group, criterion_main};
use rust_decimal::Decimal;
use rust_decimal_macros::dec;
use serde::de::IgnoredAny;

const STRING_AMOUNT: &str = r#"{"amount": "12345678.90", "currency": "EUR"}"#;
const NUMBER_AMOUNT: &str = r#"{"amount": 12345678.90, "currency": "EUR"}"#;

fn parse(c: &mut Criterion) {
    let mut g = c.benchmark_group("money/parse_json");
    for (name, json) in [("string_amount", STRING_AMOUNT), ("number_amount", NUMBER_AMOUNT)] {
        g.bench_function(format!("{name}/floor_ignored_any"), |b| {
            b.iter(|| serde_json::from_str::<IgnoredAny>(black_box(json)).unwrap())
        });
        g.bench_function(format!("{name}/money"), |b| {
            b.iter(|| serde_json::from_str::<Money>(black_box(json)).unwrap())
        });
    }
    g.finish();
}

fn serialize(c: &mut Criterion) {
    let m: Money = serde_json::from_str(STRING_AMOUNT).unwrap();
    c.bench_function("money/serialize_json", |b| {
        b.iter(|| serde_json::to_string(black_box(&m)).unwrap())
    });
}

fn arithmetic(c: &mut Criterion) {
    let a: Money = "1234.56 EUR".parse().unwrap();
    let b: Money = "789.01 EUR".parse().unwrap();
    c.bench_function("money/add", |bench| {
        bench.iter(|| black_box(a).checked_add(black_box(b)).unwrap())
    });
    let unrounded = a.checked_mul(dec!(0.19)).unwrap();
    c.bench_function("money/round_half_even", |bench| {
        bench.iter(|| black_box(unrounded).round(Rounding::HalfEven).unwrap())
    });
}

fn allocate(c: &mut Criterion) {
    let total: Money = "100000.00 EUR".parse().unwrap();
    let three = [dec!(50), dec!(30), dec!(20)];
    let hundred: Vec<Decimal> = (1..=100).map(Decimal::from).collect();
    c.bench_function("money/allocate_3", |b| {
        b.iter(|| black_box(total).allocate(black_box(&three)).unwrap())
    });
    c.bench_function("money/allocate_100", |b| {
        b.iter(|| black_box(total).allocate(black_box(&hundred)).unwrap())
    });
}

criterion_group!(benches, parse, serialize, arithmetic, allocate);
criterion_main!(benches);
