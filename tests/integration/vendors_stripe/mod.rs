//! The Stripe mappers against the fixtures in `tests/fixtures/stripe/`,
//! one file per concern; the shared helpers are here:
//! conformance for every object, exact values for the documents that
//! matter, paginated lines, expanded references, and no panics on any JSON.

use std::path::PathBuf;

use canonical_finance::json;
use canonical_finance::json::Value;
use canonical_finance::mapping::{Loss, LossKind, MappingError, Registry, conformance};
use canonical_finance::model::{Contract, Invoice, InvoiceStatus, Payment, PaymentStatus};
use canonical_finance::vendors::stripe::merge_line_pages;
use proptest::prelude::*;

mod exact;
mod fixtures_conform;
mod lists;
mod made_elsewhere;
mod older_shapes;
mod parties;
mod robustness;
mod way_back;

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

fn arbitrary_json() -> impl Strategy<Value = Value> {
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i64>().prop_map(Value::from),
        (-1.0e12f64..1.0e12).prop_map(|f| json!(f)),
        "[a-z_]{0,8}".prop_map(Value::from),
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

/// A fixture read into a canonical record, its Stripe residue dropped.
fn made_elsewhere(object: &str, name: &str) -> Value {
    let registry = registry();
    let mut c =
        registry.get("stripe", object).unwrap().to_canonical(&fixture(object, name)).unwrap().value;
    c.as_object_mut().unwrap().remove("extensions");
    c
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

/// The losses of a mapping at `path`, as (kind, reason).
fn losses_at<'l>(losses: &'l [Loss], path: &str) -> Vec<(LossKind, &'l str)> {
    losses.iter().filter(|l| l.path == path).map(|l| (l.kind, l.reason.as_str())).collect()
}

/// Every Stripe object the crate maps.
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
