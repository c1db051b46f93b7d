//! A user's program reads `1.5` into its own buffered serde types, beside
//! canonical-finance reading amounts exactly.

use as_a_dependency::{Body, Envelope, Event, Reading};
use canonical_finance::json;
use canonical_finance::model::Invoice;
use canonical_finance::money::Money;

#[test]
fn untagged_tagged_and_flattened_floats_still_parse() {
    assert_eq!(
        serde_json::from_str::<Reading>(r#"{"value": 1.5}"#).ok(),
        Some(Reading::Measured { value: 1.5 })
    );
    assert_eq!(
        serde_json::from_str::<Event>(r#"{"kind": "Temperature", "celsius": 1.5}"#).ok(),
        Some(Event::Temperature { celsius: 1.5 })
    );
    assert_eq!(
        serde_json::from_str::<Envelope>(r#"{"id": "e1", "ratio": 1.5}"#).ok(),
        Some(Envelope { id: "e1".into(), body: Body { ratio: 1.5 } })
    );
    // And serde_json's own Value holds 1.5 as a float, not a private map.
    let v: serde_json::Value = serde_json::from_str("1.5").unwrap_or_default();
    assert_eq!(v.as_f64(), Some(1.5));
}

#[test]
fn beside_them_amounts_are_still_exact() {
    let m: Money =
        serde_json::from_str(r#"{"amount": 12345678901234567.89, "currency": "EUR"}"#).unwrap();
    assert_eq!(m.amount().to_string(), "12345678901234567.89");
    // A 20-digit vendor amount survives the mapping layer's JSON.
    let v = json::parse(r#"{"total": 12345678901234567890}"#).unwrap();
    assert_eq!(json::to_string(&v), r#"{"total":12345678901234567890}"#);
    // The typed model reads an invoice example as before.
    let text = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../schemas/examples/invoice/eur_two_vat_rates_discount.json"
    ))
    .unwrap();
    assert!(serde_json::from_str::<Invoice>(&text).is_ok());
}
