//! What each fuzz target checks, as plain functions: `fuzz_targets/` call
//! them from libFuzzer, and the crate's tests run every kept input of
//! `fuzz/regressions/<target>/` through them (`tests/integration/fuzz_regressions.rs`).
//!
//! Each check may reject its input (an error is an answer); it fails, by
//! panicking, only where the crate breaks a promise: a panic of its own, a
//! round trip that changes a value, a record it wrote that it cannot read.

use std::sync::OnceLock;

use canonical_finance::Money;
use canonical_finance::json;
use canonical_finance::mapping::Registry;
use canonical_finance::model::{Contract, Customer, Entity, Invoice, JournalEntry, Payment};
use canonical_finance::validate::{Profile, validate_json};

/// Every target's name, as `fuzz_targets/<name>.rs` and
/// `fuzz/regressions/<name>/`.
pub const TARGETS: &[&str] = &[
    "money_json",
    "customer_json",
    "contract_json",
    "invoice_json",
    "payment_json",
    "journal_entry_json",
    "stripe_customer",
    "stripe_subscription",
    "stripe_invoice",
    "stripe_credit_note",
    "stripe_invoice_payment",
    "stripe_payment_intent",
    "stripe_charge",
    "stripe_refund",
    "mapping_file",
];

/// Runs the check of `target` on `data`.
///
/// # Panics
///
/// On an unknown target, and where the crate breaks a promise.
pub fn run(target: &str, data: &[u8]) {
    match target {
        "money_json" => money_json(data),
        "customer_json" => entity_json::<Customer>(Entity::Customer, data),
        "contract_json" => entity_json::<Contract>(Entity::Contract, data),
        "invoice_json" => entity_json::<Invoice>(Entity::Invoice, data),
        "payment_json" => entity_json::<Payment>(Entity::Payment, data),
        "journal_entry_json" => entity_json::<JournalEntry>(Entity::JournalEntry, data),
        "mapping_file" => mapping_file(data),
        other => match other.strip_prefix("stripe_") {
            Some(object) => stripe(object, data),
            None => panic!("no fuzz target {other}"),
        },
    }
}

/// Money from JSON text: what reads, writes and reads back the same, through
/// serde_json and through the crate's own tree.
pub fn money_json(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let Ok(money) = serde_json::from_str::<Money>(text) else { return };
    let written = serde_json::to_string(&money).expect("money writes");
    let back: Money = serde_json::from_str(&written).expect("money reads what it wrote");
    assert_eq!(back, money, "{text} -> {written}");
    if let Ok(tree) = json::parse(text) {
        let via_tree: Money = json::from_value(&tree).expect("the tree reads what serde_json read");
        assert_eq!(via_tree, money, "{text}");
    }
}

/// An entity's JSON through validation; a record that reads writes and
/// reads back the same, and validates the same way again.
pub fn entity_json<T>(entity: Entity, data: &[u8])
where
    T: serde::de::DeserializeOwned + serde::Serialize + PartialEq + std::fmt::Debug,
{
    let Ok(text) = std::str::from_utf8(data) else { return };
    let Ok(report) = validate_json(entity, text, Profile::Exact) else { return };
    let Ok(record) = serde_json::from_str::<T>(text) else { return };
    let written = serde_json::to_string(&record).expect("a record writes");
    let back: T = serde_json::from_str(&written).expect("a record reads what it wrote");
    assert_eq!(back, record);
    let again = validate_json(entity, &written, Profile::Exact).expect("what it wrote validates");
    assert_eq!(again.codes(), report.codes(), "{text}");
}

fn registry() -> &'static Registry {
    static REGISTRY: OnceLock<Registry> = OnceLock::new();
    REGISTRY.get_or_init(|| Registry::builtin().expect("the built-in mappings load"))
}

/// A Stripe object both ways: the bytes as a Stripe payload, and what that
/// gives goes back to Stripe; the bytes as a canonical record, too.
pub fn stripe(object: &str, data: &[u8]) {
    let mapper = registry().get("stripe", object).expect("a Stripe mapper");
    if let Ok(mapped) = mapper.to_canonical_bytes(data) {
        mapper.to_vendor(&mapped.value).expect("a record the mapper wrote goes back");
    }
    let _ = mapper.to_vendor_bytes(data);
}

/// A mapping file: loading it never panics; a file that loads maps a
/// payload and a canonical record without panicking.
pub fn mapping_file(data: &[u8]) {
    let Ok(text) = std::str::from_utf8(data) else { return };
    let mut registry = Registry::new();
    if registry.load_str("fuzz/file.json", text).is_err() {
        return;
    }
    let payload = canonical_finance::json!({"id": "x1", "object": "thing", "name": "A", "amount": 100,
        "currency": "eur", "items": [{"id": "i1", "qty": "2"}], "created": 1764028800});
    for mapper in registry.mappers() {
        if let Ok(mapped) = mapper.to_canonical(&payload) {
            let _ = mapper.to_vendor(&mapped.value);
        }
        let _ = mapper.to_vendor(&payload);
    }
}
