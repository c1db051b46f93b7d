//! Engine tests on in-house mapping files.

use super::*;

type Result = std::result::Result<(), Box<dyn std::error::Error>>;

fn mapper(rules: Value) -> std::result::Result<DeclarativeMapper, Box<dyn std::error::Error>> {
    let spec: MappingSpec = crate::json::from_value(&json!({
        "vendor": "acme", "object": "thing", "entity": "payment", "rules": rules
    }))?;
    Ok(DeclarativeMapper::compile(&spec, "test.json", &HashMap::new())?)
}

/// The rules every payment needs, around the ones under test.
fn payment(extra: Value) -> Value {
    let mut rules = vec![
        json!({"vendor": "/id", "canonical": "/id"}),
        json!({"canonical": "/direction", "constant": "received"}),
        json!({"canonical": "/status", "constant": "completed"}),
        json!({"vendor": "/day", "canonical": "/payment_date"}),
        json!({"vendor": "/cents", "canonical": "/amount", "money": {"currency": "/ccy", "currency_case": "lower"}}),
    ];
    if let Ok(more) = extra.into_array() {
        rules.extend(more);
    }
    Value::Array(rules)
}

fn base() -> Value {
    json!({"id": "p1", "day": "2026-01-02", "cents": 1999, "ccy": "usd"})
}

fn with(mut v: Value, key: &str, x: Value) -> Value {
    if let Some(o) = v.as_object_mut() {
        o.insert(key.to_owned(), x);
    }
    v
}

#[test]
fn minor_units_decimal_moves_the_point_exactly() -> Result {
    let m = mapper(payment(json!([
        {"vendor": "/fee", "canonical": "/fees/0/amount",
         "money": {"currency": "/ccy", "encoding": "minor_units_decimal", "currency_case": "lower"}}
    ])))?;
    for (minor, major) in [("4900", "49.00"), ("0.012", "0.00012"), ("4900.5", "49.005")] {
        let input = with(base(), "fee", json!(minor));
        let out = m.to_canonical(&input)?;
        assert_eq!(out.value.pointer("/fees/0/amount/amount"), Some(&json!(major)));
        assert!(out.is_exact(), "{:?}", out.losses);
        let mut bare = out.value.clone();
        if let Some(o) = bare.as_object_mut() {
            o.remove("extensions");
        }
        assert_eq!(m.to_vendor(&bare)?.value, input);
    }
    assert!(m.to_canonical(&with(base(), "fee", json!("4,900"))).is_err());
    // Stripe's exponent can differ from ISO 4217's (ISK: 2).
    let spec: MappingSpec = crate::json::from_value(&json!({
        "vendor": "acme", "object": "thing", "entity": "payment", "minor_units": {"ISK": 2},
        "rules": payment(json!([]))}))?;
    let isk = DeclarativeMapper::compile(&spec, "isk.json", &HashMap::new())?;
    let out = isk.to_canonical(&with(base(), "ccy", json!("isk")))?;
    assert_eq!(out.value.pointer("/amount/amount"), Some(&json!("19.99")));
    // Whole krónur are written at ISO 4217's scale, and go back as hundredths.
    let whole = with(with(base(), "ccy", json!("isk")), "cents", json!(12300));
    let out = isk.to_canonical(&whole)?;
    assert_eq!(out.value.pointer("/amount/amount"), Some(&json!("123")));
    assert!(out.is_exact(), "{:?}", out.losses);
    assert_eq!(isk.to_vendor(&out.value)?.value, whole);
    assert_eq!(isk.minor_units_of(Currency::from_code("ISK")?), Some(2));
    assert_eq!(isk.minor_units_of(Currency::JPY), Some(0));
    Ok(())
}

#[test]
fn enum_values_sharing_a_canonical_value_stay_in_extensions() -> Result {
    let m = mapper(json!([
        {"vendor": "/id", "canonical": "/id"},
        {"canonical": "/direction", "constant": "received"},
        {"vendor": "/state", "canonical": "/status", "enum": {"waiting": "pending", "processing": "pending", "done": "completed"}},
        {"vendor": "/day", "canonical": "/payment_date"},
        {"vendor": "/cents", "canonical": "/amount", "money": {"currency": "/ccy", "currency_case": "lower"}}
    ]))?;
    let input = with(base(), "state", json!("waiting"));
    let out = m.to_canonical(&input)?;
    assert_eq!(out.value.pointer("/status"), Some(&json!("pending")));
    assert!(out.is_exact());
    // The way back writes the first value of the table…
    let mut bare = out.value.clone();
    if let Some(o) = bare.as_object_mut() {
        o.remove("extensions");
    }
    assert_eq!(m.to_vendor(&bare)?.value.pointer("/state"), Some(&json!("processing")));
    // …so `waiting` is kept and comes back.
    assert_eq!(out.value.pointer("/extensions/acme/state"), Some(&json!("waiting")));
    assert_eq!(m.to_vendor(&out.value)?.value, input);
    Ok(())
}

#[test]
fn references_and_external_refs_share_a_place() -> Result {
    let m = mapper(payment(json!([
        {"vendor": "/charge", "canonical": "/refund_of", "reference": "charge"},
        {"vendor": "/intent", "canonical": "/refund_of", "reference": "payment_intent"},
        {"vendor": "/id", "canonical": "/external_refs", "external_ref": "thing"},
        {"vendor": "/latest", "canonical": "/external_refs", "external_ref": "charge"}
    ])))?;
    let input = with(
        with(with(base(), "charge", json!("ch_1")), "intent", json!("pi_1")),
        "latest",
        json!({"id": "ch_9", "object": "charge", "paid": true}),
    );
    let out = m.to_canonical(&input)?;
    assert_eq!(
        out.value.pointer("/refund_of/external_refs"),
        Some(&json!([{"system": "acme", "object_type": "charge", "id": "ch_1"},
                     {"system": "acme", "object_type": "payment_intent", "id": "pi_1"}]))
    );
    assert_eq!(out.value.pointer("/external_refs/1/id"), Some(&json!("ch_9")));
    // The expanded object is reported, kept and comes back.
    assert_eq!(out.losses.len(), 1, "{:?}", out.losses);
    assert_eq!(out.losses.first().map(|l| l.path.as_str()), Some("/latest"));
    assert_eq!(m.to_vendor(&out.value)?.value, input);
    // A refund of a payment intent alone: no loss for the missing charge.
    let only_intent = with(base(), "intent", json!("pi_1"));
    let out = m.to_canonical(&only_intent)?;
    let back = m.to_vendor(&out.value)?;
    assert!(back.is_exact(), "{:?}", back.losses);
    assert_eq!(back.value, only_intent);
    Ok(())
}

#[test]
fn alternatives_are_kept_per_rule() -> Result {
    let m = mapper(payment(json!([
        {"vendor": ["/new/product", "/old/product"], "canonical": "/external_refs", "external_ref": "product"},
        {"vendor": ["/new/price", "/old/price"], "canonical": "/external_refs", "external_ref": "price"}
    ])))?;
    let input = with(base(), "old", json!({"product": "prod_1", "price": "price_1"}));
    let out = m.to_canonical(&input)?;
    assert_eq!(m.to_vendor(&out.value)?.value, input);
    Ok(())
}

#[test]
fn a_field_read_twice_is_not_lost_when_one_rule_keeps_it_exactly() -> Result {
    let m = mapper(json!([
        {"vendor": "/id", "canonical": "/id"},
        {"canonical": "/direction", "constant": "received"},
        {"canonical": "/status", "constant": "completed"},
        {"vendor": "/created", "canonical": "/payment_date", "transform": "unix_seconds_date"},
        {"vendor": "/created", "canonical": "/created_at", "transform": "unix_seconds_instant"},
        {"vendor": "/cents", "canonical": "/amount", "money": {"currency": "/ccy", "currency_case": "lower"}}
    ]))?;
    let input = json!({"id": "p1", "created": 1_764_069_001, "cents": 5, "ccy": "usd"});
    let out = m.to_canonical(&input)?;
    assert!(out.is_exact(), "{:?}", out.losses);
    assert_eq!(out.value.pointer("/payment_date"), Some(&json!("2025-11-25")));
    assert_eq!(m.to_vendor(&out.value)?.value, input);
    Ok(())
}

#[test]
fn a_value_without_a_place_is_kept_and_reported() -> Result {
    let m = mapper(payment(json!([
        {"vendor": "/second", "canonical": "/fees/1/description"}
    ])))?;
    let input = with(base(), "second", json!("bank fee"));
    let out = m.to_canonical(&input)?;
    assert_eq!(
        out.losses.first().map(|l| (l.kind, l.path.as_str())),
        Some((LossKind::Lossy, "/second"))
    );
    assert_eq!(out.value.pointer("/extensions/acme/second"), Some(&json!("bank fee")));
    assert_eq!(m.to_vendor(&out.value)?.value, input);
    Ok(())
}

#[test]
fn an_external_ref_without_a_place_is_kept_and_reported() -> Result {
    // The file puts the vendor's own id in the second application's
    // target, but the record has no first application: the id has no
    // place there.
    let m = mapper(payment(json!([
        {"vendor": "/memo", "canonical": "/fees/0/description"},
        {"vendor": "/ref", "canonical": "/applications/1/target/external_refs", "external_ref": "fee"}
    ])))?;
    let input = with(with(base(), "memo", json!("wire fee")), "ref", json!("fee_1"));
    let out = m.to_canonical_partial(&input)?;
    assert_eq!(
        out.losses.iter().map(|l| (l.kind, l.path.as_str())).collect::<Vec<_>>(),
        [(LossKind::Lossy, "/ref")]
    );
    assert_eq!(out.value.pointer("/extensions/acme/ref"), Some(&json!("fee_1")));
    Ok(())
}

#[test]
fn the_partial_forward_leaves_the_check_to_the_caller() -> Result {
    let m = mapper(json!([{"vendor": "/id", "canonical": "/id"}]))?;
    let partial = m.to_canonical_partial(&json!({"id": "p1", "extra": 1}))?;
    assert_eq!(partial.value, json!({"id": "p1", "extensions": {"acme": {"extra": 1}}}));
    assert!(matches!(
        m.normalize_canonical(partial.value),
        Err(MappingError::InvalidCanonical { .. })
    ));
    assert!(m.to_canonical(&json!({"id": "p1"})).is_err());
    Ok(())
}
