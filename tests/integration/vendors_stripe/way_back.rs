//! The way back, for payloads the fixtures do not show and records edited after they were read.

use super::*;

#[test]
fn a_tax_id_type_outside_the_table_goes_back_as_it_came() {
    let customer = json!({"id": "cus_1", "object": "customer", "name": "Ada AG", "created": 1764028800,
        "tax_ids": {"object": "list", "has_more": false, "data": [
            {"id": "txi_1", "object": "tax_id", "type": "ch_vat", "value": "CHE-123.456.789 MWST", "country": "CH"}]}});
    let registry = registry();
    let c = registry.get("stripe", "customer").unwrap().to_canonical(&customer).unwrap();
    assert_eq!(c.value["tax_ids"][0]["scheme"], "other");
    assert_eq!(c.value["tax_ids"][0]["label"], "ch_vat");
    assert_eq!(stripe_round_trip("customer", &customer).unwrap(), customer);
}

#[test]
fn a_value_two_rules_read_comes_back_once_exactly() {
    // A period that starts at the subscription's time of day is read as
    // the first item's period and as the contract's: both come back.
    let mut s = fixture("subscription", "active_monthly_two_items");
    s["items"]["data"][0]["current_period_start"] = json!(1785580201);
    s["items"]["data"][0]["current_period_end"] = json!(1788258601);
    assert_eq!(stripe_round_trip("subscription", &s).unwrap(), s);
    // Each loss once, though two rules read the value.
    let losses = registry().get("stripe", "subscription").unwrap().to_canonical(&s).unwrap().losses;
    let paths: Vec<&str> = losses.iter().map(|l| l.path.as_str()).collect();
    assert_eq!(
        paths,
        ["/start_date", "/items/data/0/current_period_start", "/items/data/0/current_period_end"]
    );
    // A currency code in capitals, read by the currency rule and by every
    // amount's rule.
    let mut invoice = fixture("invoice", "jpy_single_tax");
    invoice["currency"] = json!("JPY");
    assert_eq!(stripe_round_trip("invoice", &invoice).unwrap(), invoice);
    let mut note = fixture("credit_note", "jpy_old_shape_refund");
    note["currency"] = json!("Jpy");
    assert_eq!(stripe_round_trip("credit_note", &note).unwrap(), note);
}

#[test]
fn stripe_members_named_like_the_notes_come_back() {
    // (A payload without its `object` is refused: see
    // `older_shapes::every_mapper_refuses_a_payload_that_is_not_its_object`.)
    let mut odd = json!({"id": "re_1", "object": "refund", "amount": 1633, "currency": "usd",
                         "charge": "ch_1", "created": 1783606924, "status": "succeeded"});
    for note in ["$derived", "$substituted", "$filled", "$alternatives"] {
        odd[note] = json!(["x"]);
    }
    assert_eq!(stripe_round_trip("refund", &odd).unwrap(), odd);
}

#[test]
fn an_address_with_an_empty_first_line_keeps_its_second() {
    let mut customer = fixture("customer", "us_company_basic");
    customer["address"]["line1"] = Value::Null;
    customer["address"]["line2"] = json!("Suite 900");
    assert_eq!(stripe_round_trip("customer", &customer).unwrap(), customer);
}

#[test]
fn a_removed_invoice_line_takes_its_stripe_values_with_it() {
    let registry = registry();
    let m = registry.get("stripe", "invoice").unwrap();
    let invoice = fixture("invoice", "eur_multi_tax_discount_open");
    let lines = invoice["lines"]["data"].as_array().unwrap().clone();
    let c = m.to_canonical(&invoice).unwrap().value;
    // The first line removed: the others come back exactly as Stripe sent
    // them, each with its own kept values; no ghost of the removed one.
    let mut edited = c.clone();
    edited["lines"].as_array_mut().unwrap().remove(0);
    let out = m.to_vendor(&edited).unwrap();
    assert_eq!(out.value["lines"]["data"], json!(lines[1..]));
    // The totals no longer add up, and the report says so where they are.
    assert!(
        out.losses.iter().all(|l| l.path.starts_with("/totals/")
            || l.path == "/tax_breakdown"
            || l.path.starts_with("/tax_breakdown/")
            || l.path.starts_with("/allowances")),
        "{:?}",
        out.losses
    );
    // Read again, it has one line less.
    let again = m.to_canonical(&out.value).unwrap();
    assert_eq!(again.value["lines"].as_array().map(Vec::len), Some(lines.len() - 1));
}

#[test]
fn a_tax_id_type_the_table_does_not_know_comes_back_as_stripe_sent_it() {
    // Read with the fallback scheme (and reported), the type is the label;
    // whatever its form, it goes back to Stripe unchanged.
    let registry = registry();
    let m = registry.get("stripe", "customer").unwrap();
    for kind in ["xx_new_id", "x", "0.012"] {
        let mut customer = fixture("customer", "company_with_tax_ids");
        customer["tax_ids"]["data"][0]["type"] = json!(kind);
        let read = m.to_canonical(&customer).unwrap();
        assert_eq!(kinds_at(&read.losses, "/tax_ids/data/0/type"), [LossKind::Fallback], "{kind}");
        assert_eq!(read.value["tax_ids"][0]["label"], json!(kind));
        assert_eq!(stripe_round_trip("customer", &customer).unwrap(), customer, "{kind}");
    }
}

#[test]
fn a_removed_tax_id_is_reported_because_tax_ids_have_no_id_in_the_record() {
    let registry = registry();
    let m = registry.get("stripe", "customer").unwrap();
    let mut c = m.to_canonical(&fixture("customer", "company_with_tax_ids")).unwrap().value;
    let read = c["tax_ids"].as_array().unwrap().len();
    c["tax_ids"].as_array_mut().unwrap().remove(0);
    let out = m.to_vendor(&c).unwrap();
    assert_eq!(kinds_at(&out.losses, "/tax_ids"), [LossKind::Lossy]);
    assert_eq!(out.value["tax_ids"]["data"].as_array().map(Vec::len), Some(read - 1));
    // What was written still reads.
    assert!(m.to_canonical(&out.value).is_ok());
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 1024, ..ProptestConfig::default() })]

    /// One leaf of a real fixture changed (or removed): the payload is
    /// refused with an error, or it comes back JSON-equal.
    #[test]
    fn an_accepted_payload_comes_back_json_equal(
        object in prop::sample::select(OBJECTS.as_slice()),
        pick in any::<prop::sample::Index>(),
        leaf in any::<prop::sample::Index>(),
        new in replacement(),
    ) {
        static ALL: std::sync::OnceLock<Vec<Vec<(String, Value)>>> = std::sync::OnceLock::new();
        let all = &ALL.get_or_init(|| OBJECTS.iter().map(|o| fixtures(o)).collect())
            [OBJECTS.iter().position(|o| *o == object).unwrap()];
        let (_, mut payload) = all[pick.index(all.len())].clone();
        let mut found = Vec::new();
        leaves(&payload, &mut String::new(), &mut found);
        let at = found[leaf.index(found.len())].clone();
        match new {
            Some(v) => { canonical_finance::mapping::pointer::set(&mut payload, &at, v); }
            None => { canonical_finance::mapping::pointer::take(&mut payload, &at); }
        }
        let m = shared_registry().get("stripe", object).unwrap();
        // Refused with an error is fine; accepted means it comes back.
        if m.to_canonical(&payload).is_ok() {
            let back = stripe_round_trip(object, &payload);
            prop_assert!(back.is_ok(), "{} with {} changed: {:?}", object, at, back);
            prop_assert_eq!(back.ok(), Some(payload), "{} with {} changed", object, at);
        }
    }
}
