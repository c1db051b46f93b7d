//! The declarative engine's way back (canonical → vendor) and the notes it
//! keeps on the way in: payloads with nulls, gaps and `$` names come back
//! JSON-equal, edited records take their kept values along item by item,
//! and whatever the vendor cannot carry back is reported, never dropped.

use std::collections::HashMap;

use canonical_finance::json;
use canonical_finance::json::Value;
use canonical_finance::mapping::{
    DeclarativeMapper, Loss, LossKind, Mapped, MappingError, MappingSpec, Registry,
};

/// An in-house CRM's client: a vendor constant, a `collect` rule, an enum
/// with a fallback, an instant, and contacts without ids.
const CLIENT: &str = r#"{
  "vendor": "acme",
  "object": "client",
  "entity": "customer",
  "rules": [
    {"vendor": "/kind", "constant": "CLIENT"},
    {"vendor": "/id", "canonical": "/id"},
    {"canonical": "/kind", "constant": "organization"},
    {"vendor": "/state", "canonical": "/status", "enum": {"A": "active", "X": "inactive"}, "fallback": "active"},
    {"vendor": "/name", "canonical": "/display_name"},
    {"vendor": "/country", "canonical": "/addresses/0/country"},
    {"collect": ["/street1", "/street2", "/street3"], "canonical": "/addresses/0/lines"},
    {"vendor": "/created", "canonical": "/created_at", "transform": "unix_seconds_instant"},
    {"vendor": "/people", "canonical": "/contacts", "each": [
      {"vendor": "/who", "canonical": "/name"}
    ]}
  ]
}"#;

/// An in-house ERP's bill whose lines have ids, one currency field for
/// every amount, and one vendor total read as three canonical totals.
const BILL: &str = r#"{
  "vendor": "acme",
  "object": "bill",
  "entity": "invoice",
  "rules": [
    {"vendor": "/no", "canonical": "/id"},
    {"vendor": "/ref", "canonical": "/number"},
    {"canonical": "/kind", "constant": "invoice"},
    {"canonical": "/status", "constant": "issued"},
    {"vendor": "/client", "canonical": "/counterparty", "reference": "client"},
    {"vendor": "/date", "canonical": "/issue_date"},
    {"vendor": "/ccy", "canonical": "/currency", "transform": "to_upper"},
    {"vendor": "/items", "canonical": "/lines", "each": [
      {"vendor": "/line", "canonical": "/id"},
      {"vendor": "/qty", "canonical": "/quantity", "transform": "decimal"},
      {"vendor": "/price", "canonical": "/unit_price", "money": {"currency": "^/ccy", "encoding": "decimal", "currency_case": "lower"}},
      {"vendor": "/net", "canonical": "/net_amount", "money": {"currency": "^/ccy", "encoding": "decimal", "currency_case": "lower"}},
      {"canonical": "/tax_category", "constant": "outside_scope"}
    ]},
    {"vendor": "/total", "canonical": "/totals/line_net_total", "money": {"currency": "/ccy", "encoding": "decimal", "currency_case": "lower"}},
    {"vendor": "/total", "canonical": "/totals/total_without_tax", "money": {"currency": "/ccy", "encoding": "decimal", "currency_case": "lower"}},
    {"vendor": "/tax", "canonical": "/totals/tax_total", "money": {"currency": "/ccy", "encoding": "decimal", "currency_case": "lower"}},
    {"vendor": "/total", "canonical": "/totals/total_with_tax", "money": {"currency": "/ccy", "encoding": "decimal", "currency_case": "lower"}},
    {"vendor": "/due", "canonical": "/totals/amount_due", "money": {"currency": "/ccy", "encoding": "decimal", "currency_case": "lower"}}
  ]
}"#;

type Result = std::result::Result<(), Box<dyn std::error::Error>>;

fn registry() -> std::result::Result<Registry, MappingError> {
    let mut r = Registry::new();
    r.load_str("acme/client.json", CLIENT)?;
    r.load_str("acme/bill.json", BILL)?;
    Ok(r)
}

fn client() -> Value {
    json!({"kind": "CLIENT", "id": "K-1", "state": "A", "name": "Ada AG", "country": "CH",
           "street1": "Bahnhofstrasse 1", "created": 1764028800,
           "people": [{"who": "Ada", "desk": 4}, {"who": "Ben", "desk": 7}]})
}

fn bill() -> Value {
    json!({"no": "B-1", "ref": "2026-0001", "client": "C-9", "date": "2026-01-05", "ccy": "eur",
           "items": [{"line": "L1", "qty": "2", "price": 10.50, "net": 21.00, "sku": "X1"},
                     {"line": "L2", "qty": "1", "price": 2.00, "net": 2.00, "sku": "X2"},
                     {"line": "L3", "qty": "4", "price": 0.50, "net": 2.00, "sku": "X3"}],
           "total": 25.00, "tax": 0, "due": 25.00})
}

/// The losses as (kind, path) pairs, in order.
fn where_lost(losses: &[Loss]) -> Vec<(LossKind, &str)> {
    losses.iter().map(|l| (l.kind, l.path.as_str())).collect()
}

/// Vendor → canonical → vendor with both entry points; both must agree.
fn round_trip(
    r: &Registry,
    object: &str,
    vendor: &Value,
) -> std::result::Result<Value, MappingError> {
    let m = r.get("acme", object)?;
    let c = m.to_canonical(vendor)?;
    let back = m.to_vendor(&c.value)?;
    let owned = m.to_vendor_owned(m.to_canonical_owned(vendor.clone())?.value)?;
    assert_eq!(back.value, owned.value);
    assert_eq!(back.losses, owned.losses);
    Ok(back.value)
}

fn to_vendor(
    r: &Registry,
    object: &str,
    canonical: &Value,
) -> std::result::Result<Mapped<Value>, MappingError> {
    let m = r.get("acme", object)?;
    let borrowed = m.to_vendor(canonical)?;
    let owned = m.to_vendor_owned(canonical.clone())?;
    assert_eq!(borrowed.value, owned.value);
    assert_eq!(borrowed.losses, owned.losses);
    Ok(borrowed)
}

#[test]
fn collected_items_go_back_to_the_places_they_came_from() -> Result {
    let r = registry()?;
    // The first street is null, the second absent: the item comes from the
    // third place and goes back there; the null stays.
    let mut gappy = client();
    gappy["street1"] = Value::Null;
    gappy["street3"] = json!("Postfach 12");
    let c = r.get("acme", "client")?.to_canonical(&gappy)?;
    assert_eq!(c.value["addresses"][0]["lines"], json!(["Postfach 12"]));
    assert_eq!(round_trip(&r, "client", &gappy)?, gappy);

    // An edited list with as many items keeps the places; a longer one is
    // written in order from the first place.
    let mut edited = c.value.clone();
    edited["addresses"][0]["lines"] = json!(["Postfach 99"]);
    let out = to_vendor(&r, "client", &edited)?.value;
    assert_eq!(
        (&out["street1"], &out["street2"], &out["street3"]),
        (&Value::Null, &Value::Null, &json!("Postfach 99"))
    );
    edited["addresses"][0]["lines"] = json!(["Seestrasse 2", "Postfach 99"]);
    let out = to_vendor(&r, "client", &edited)?;
    assert_eq!(
        (&out.value["street1"], &out.value["street2"]),
        (&json!("Seestrasse 2"), &json!("Postfach 99"))
    );
    assert_eq!(out.value.get("street3"), None);
    assert_eq!(where_lost(&out.losses), []);
    Ok(())
}

#[test]
fn a_vendor_constant_comes_back_only_where_the_payload_had_it() -> Result {
    let r = registry()?;
    let mut without = client();
    without.as_object_mut().map(|o| o.remove("kind"));
    assert_eq!(round_trip(&r, "client", &without)?, without);
    let mut null = client();
    null["kind"] = Value::Null;
    assert_eq!(round_trip(&r, "client", &null)?, null);
    // A record made elsewhere gets the constant.
    let fresh =
        json!({"id": "K-2", "kind": "organization", "status": "active", "display_name": "Bo"});
    assert_eq!(to_vendor(&r, "client", &fresh)?.value["kind"], "CLIENT");
    Ok(())
}

#[test]
fn vendor_members_named_like_the_engines_notes_come_back() -> Result {
    let r = registry()?;
    let mut odd = client();
    for key in ["$alternatives", "$defaulted", "$collected", "$absent", "$items", "$$x", "$"] {
        odd[key] = json!({"kept": key});
    }
    assert_eq!(round_trip(&r, "client", &odd)?, odd);
    Ok(())
}

#[test]
fn a_value_outside_an_enum_table_takes_the_fallback_and_comes_back() -> Result {
    let r = registry()?;
    let mut odd = client();
    odd["state"] = json!(3);
    let c = r.get("acme", "client")?.to_canonical(&odd)?;
    assert_eq!(c.value["status"], "active");
    assert_eq!(where_lost(&c.losses), [(LossKind::Fallback, "/state")]);
    assert_eq!(c.losses[0].reason, "3 is not in the table; mapped to `active`");
    assert_eq!(round_trip(&r, "client", &odd)?, odd);
    Ok(())
}

#[test]
fn what_the_vendor_keeps_less_exactly_is_reported_on_the_way_back() -> Result {
    let r = registry()?;
    let m = r.get("acme", "client")?;
    let mut c = m.to_canonical(&client())?.value;
    c["created_at"] = json!("2025-11-25T00:00:00.750Z");
    let out = to_vendor(&r, "client", &c)?;
    assert_eq!(out.value["created"], 1764028800);
    assert_eq!(where_lost(&out.losses), [(LossKind::Unsupported, "/created_at")]);
    assert_eq!(
        out.losses[0].reason,
        r#"the acme client cannot carry this value: it comes back as "2025-11-25T00:00:00Z""#
    );
    Ok(())
}

#[test]
fn two_canonical_values_for_one_vendor_field_are_not_lost_quietly() -> Result {
    let r = registry()?;
    let m = r.get("acme", "bill")?;
    let mut c = m.to_canonical(&bill())?.value;
    // One vendor total carries three canonical totals: the last one
    // written wins, and the two it overwrote are reported.
    c["totals"]["total_with_tax"] = json!({"amount": "99.00", "currency": "EUR"});
    let out = to_vendor(&r, "bill", &c)?;
    assert_eq!(out.value["total"].to_string(), "99.00");
    assert_eq!(
        where_lost(&out.losses),
        [
            (LossKind::Unsupported, "/totals/line_net_total/amount"),
            (LossKind::Unsupported, "/totals/total_without_tax/amount"),
        ]
    );
    Ok(())
}

#[test]
fn one_vendor_currency_field_holds_one_currency() -> Result {
    let r = registry()?;
    let m = r.get("acme", "bill")?;
    let mut c = m.to_canonical(&bill())?.value;
    c["totals"]["amount_due"] = json!({"amount": "25.00", "currency": "USD"});
    let out = to_vendor(&r, "bill", &c)?;
    // The currency stays the document's; the amount in another currency is
    // not written (it would read as euros), and the report says why.
    assert_eq!((&out.value["ccy"], out.value.get("due")), (&json!("eur"), None));
    assert_eq!(where_lost(&out.losses), [(LossKind::Unsupported, "/totals/amount_due")]);
    assert_eq!(
        out.losses[0].reason,
        "acme bill holds one currency for these amounts, and eur is written already: this USD amount is not written"
    );

    // A line amount in another currency than the document's (whose currency
    // field is the root's) comes back in the document's: reported.
    let mut c = m.to_canonical(&bill())?.value;
    c["lines"][0]["unit_price"]["currency"] = json!("USD");
    let out = to_vendor(&r, "bill", &c)?;
    assert_eq!(where_lost(&out.losses), [(LossKind::Unsupported, "/lines/0/unit_price/currency")]);
    Ok(())
}

#[test]
fn removed_and_moved_lines_take_their_kept_values_along() -> Result {
    let r = registry()?;
    let m = r.get("acme", "bill")?;
    let c = m.to_canonical(&bill())?.value;

    // The first line removed: the others keep their own skus, no ghost.
    let mut fewer = c.clone();
    fewer["lines"].as_array_mut().map(|l| l.remove(0));
    let out = to_vendor(&r, "bill", &fewer)?;
    assert_eq!(out.value["items"], json!(bill()["items"].as_array().map(|l| l[1..].to_vec())));
    assert_eq!(where_lost(&out.losses), []);

    // Reversed, and a new line in the middle: each kept sku follows its line.
    let mut moved = c.clone();
    let mut lines = c["lines"].as_array().cloned().unwrap_or_default();
    lines.reverse();
    let mut new_line = lines[1].clone();
    new_line["id"] = json!("L9");
    lines.insert(1, new_line);
    moved["lines"] = Value::Array(lines);
    let out = to_vendor(&r, "bill", &moved)?;
    let skus: Vec<&Value> = (0..4).map(|i| &out.value["items"][i]["sku"]).collect();
    assert_eq!(skus, [&json!("X3"), &Value::Null, &json!("X2"), &json!("X1")]);
    assert_eq!(out.value["items"][1]["line"], "L9");
    assert_eq!(where_lost(&out.losses), []);

    // No lines left: no kept line comes back.
    let mut none = c.clone();
    none.as_object_mut().map(|o| o.remove("lines"));
    let out = to_vendor(&r, "bill", &none)?;
    assert_eq!(out.value["items"], json!([]));
    Ok(())
}

#[test]
fn items_without_ids_are_matched_by_position_and_a_shorter_list_is_reported() -> Result {
    let r = registry()?;
    let m = r.get("acme", "client")?;
    let mut c = m.to_canonical(&client())?.value;
    assert_eq!(c["extensions"]["acme"]["people"], json!([{"desk": 4}, {"desk": 7}]));
    c["contacts"].as_array_mut().map(|l| l.remove(0));
    let out = to_vendor(&r, "client", &c)?;
    // Position is all there is: Ben takes the first kept desk, and the
    // report says the kept values are matched by position.
    assert_eq!(out.value["people"], json!([{"who": "Ben", "desk": 4}]));
    assert_eq!(where_lost(&out.losses), [(LossKind::Lossy, "/contacts")]);
    assert_eq!(
        out.losses[0].reason,
        "the acme values kept for these items are matched by position, and the record has 1 of the 2 read: the values kept for the others are dropped"
    );
    Ok(())
}

#[test]
fn a_reference_carries_only_its_id_and_the_rest_is_reported() -> Result {
    let r = registry()?;
    let m = r.get("acme", "bill")?;
    let mut c = m.to_canonical(&bill())?.value;
    c["counterparty"]["id"] = json!("CUST-42");
    if let Some(refs) = c["counterparty"]["external_refs"].as_array_mut() {
        refs.push(json!({"system": "xero", "object_type": "contact", "id": "x-1"}));
    }
    let out = to_vendor(&r, "bill", &c)?;
    assert_eq!(out.value["client"], "C-9");
    // Losses come in the order of the document's members.
    assert_eq!(
        where_lost(&out.losses),
        [
            (LossKind::Unsupported, "/counterparty/external_refs/1/system"),
            (LossKind::Unsupported, "/counterparty/external_refs/1/object_type"),
            (LossKind::Unsupported, "/counterparty/external_refs/1/id"),
            (LossKind::Unsupported, "/counterparty/id"),
        ]
    );
    Ok(())
}

#[test]
fn kept_values_that_are_not_an_object_are_an_error_naming_the_place() -> Result {
    let r = registry()?;
    let m = r.get("acme", "client")?;
    let mut c = m.to_canonical(&client())?.value;
    c["extensions"]["acme"] = json!("hand-written note");
    let err = m.to_vendor(&c).unwrap_err();
    assert!(
        matches!(&err, MappingError::InvalidInput { pointer, .. } if pointer == "/extensions/acme"),
        "{err:?}"
    );
    assert!(
        err.to_string().contains("expected an object (the acme values kept on the way in)"),
        "{err}"
    );
    Ok(())
}

#[test]
fn collected_values_without_a_place_are_kept_and_reported() -> Result {
    // The lines of a second address, where the record has no first one:
    // the index is out of reach, so the vendor values stay in extensions.
    let spec: MappingSpec = serde_json::from_str(
        r#"{"vendor": "acme", "object": "lead", "entity": "customer", "rules": [
            {"vendor": "/id", "canonical": "/id"},
            {"vendor": "/name", "canonical": "/display_name"},
            {"collect": ["/s1", "/s2"], "canonical": "/addresses/1/lines"}]}"#,
    )?;
    let m = DeclarativeMapper::compile(&spec, "acme/lead.json", &HashMap::new())?;
    let lead = json!({"id": "1", "name": "A", "s1": "Main St 1", "s2": "Apt 2"});
    let c = m.to_canonical_partial(&lead)?;
    assert_eq!(c.value.get("addresses"), None);
    assert_eq!(c.value["extensions"]["acme"], json!({"s1": "Main St 1", "s2": "Apt 2"}));
    assert_eq!(where_lost(&c.losses), [(LossKind::Lossy, "/s1"), (LossKind::Lossy, "/s2")]);
    assert_eq!(
        c.losses[0].reason,
        "the value has no place at /addresses/1/lines in this record (kept in extensions)"
    );
    Ok(())
}

#[test]
fn a_list_that_comes_back_in_another_order_is_not_a_loss() -> Result {
    let r = registry()?;
    let m = r.get("acme", "bill")?;
    let mut c = m.to_canonical(&bill())?.value;
    // Another system's ref before the vendor's own: only that one is lost.
    c["counterparty"]["external_refs"] = json!([
        {"system": "xero", "object_type": "contact", "id": "x-1"},
        {"system": "acme", "object_type": "client", "id": "C-9"}]);
    let out = to_vendor(&r, "bill", &c)?;
    assert_eq!(out.value["client"], "C-9");
    // Losses come in the order of the document's members.
    assert_eq!(
        where_lost(&out.losses),
        [
            (LossKind::Unsupported, "/counterparty/external_refs/0/system"),
            (LossKind::Unsupported, "/counterparty/external_refs/0/object_type"),
            (LossKind::Unsupported, "/counterparty/external_refs/0/id"),
        ]
    );
    Ok(())
}

#[test]
fn an_instant_in_another_offset_is_the_same_instant() -> Result {
    let r = registry()?;
    let m = r.get("acme", "client")?;
    let mut c = m.to_canonical(&client())?.value;
    c["created_at"] = json!("2025-11-25T01:00:00+01:00");
    let out = to_vendor(&r, "client", &c)?;
    assert_eq!(out.value["created"], 1764028800);
    assert_eq!(where_lost(&out.losses), []);
    Ok(())
}

#[test]
fn a_value_the_vendor_has_no_word_for_is_reported_not_refused() -> Result {
    let r = registry()?;
    let m = r.get("acme", "client")?;
    let mut c = m.to_canonical(&client())?.value;
    c["status"] = json!("blocked");
    let out = to_vendor(&r, "client", &c)?;
    // Not written: the kept "A" does not come back in its place either.
    assert_eq!(out.value.get("state"), None);
    assert_eq!(where_lost(&out.losses), [(LossKind::Unsupported, "/status")]);
    assert_eq!(
        out.losses[0].reason,
        "`blocked` has no acme client equivalent, so it is not written"
    );
    Ok(())
}

#[test]
fn an_item_that_is_not_an_object_is_refused_naming_it() -> Result {
    let r = registry()?;
    let m = r.get("acme", "client")?;
    let mut odd = client();
    odd["people"] = json!([null, {"who": "Ben"}]);
    let err = m.to_canonical(&odd).unwrap_err();
    assert!(
        matches!(&err, MappingError::InvalidInput { pointer, message, .. }
            if pointer == "/people/0" && message == "expected an object, but found null"),
        "{err:?}"
    );
    Ok(())
}

#[test]
fn a_record_without_items_sends_none() -> Result {
    let r = registry()?;
    let m = r.get("acme", "client")?;
    let mut c = m.to_canonical(&client())?.value;
    c["contacts"] = json!([]);
    let out = to_vendor(&r, "client", &c)?;
    assert_eq!(out.value["people"], json!([]));
    assert_eq!(where_lost(&out.losses), []);
    Ok(())
}
