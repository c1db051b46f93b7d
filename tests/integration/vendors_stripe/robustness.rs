//! No panic on any JSON, either way.

use super::*;

proptest! {
    #![proptest_config(ProptestConfig { cases: 128, ..ProptestConfig::default() })]

    #[test]
    fn no_stripe_mapper_panics_on_any_json(input in arbitrary_json(), doc in invoice_like()) {
        let registry = registry();
        for mapper in registry.mappers().filter(|m| m.vendor() == "stripe") {
            let mut inputs = vec![input.clone(), doc.clone()];
            // Named as the mapper's object, the input gets past the check
            // of `object` into the rules and the glue.
            for named in [&input, &doc] {
                if named.is_object() {
                    let mut named = named.clone();
                    named["object"] = json!(mapper.object());
                    inputs.push(named);
                }
            }
            if let Ok(c) = mapper.to_canonical(&doc) {
                inputs.push(c.value);
            }
            let panicked = conformance::no_panic(mapper, &inputs);
            prop_assert!(panicked.is_empty(), "{} panicked on {:?}", mapper.object(), panicked);
        }
    }
}

#[test]
fn an_edited_total_stripe_cannot_hold_is_reported_where_it_is() {
    let registry = registry();
    let mapper = registry.get("stripe", "invoice").unwrap();
    let stripe = fixture("invoice", "eur_multi_tax_discount_open");
    let mut canonical = mapper.to_canonical(&stripe).unwrap().value;
    let before = canonical["lines"][1]["net_amount"]["amount"].clone();
    canonical["lines"][1]["net_amount"]["amount"] = json!("1.00");
    canonical["notes"] = json!(["Net 30; late fees apply"]);
    for out in [mapper.to_vendor(&canonical).unwrap(), mapper.to_vendor_owned(canonical).unwrap()] {
        // Stripe computes a line's amount itself: the edited net comes back
        // as Stripe's, and the loss says so, at the leaf that changed.
        let net = out
            .losses
            .iter()
            .find(|l| l.path == "/lines/1/net_amount/amount")
            .unwrap_or_else(|| panic!("{:?}", out.losses));
        assert_eq!(net.kind, LossKind::Unsupported);
        assert_eq!(
            net.reason,
            format!("the Stripe invoice cannot carry this value: it comes back as {before}")
        );
        // A note has a Stripe field (`description`) and is carried.
        assert_eq!(out.losses.len(), 1, "{:?}", out.losses);
        assert_eq!(out.value["description"], "Net 30; late fees apply");
        // Everything else is the original payload.
        let mut expected = stripe.clone();
        expected["description"] = json!("Net 30; late fees apply");
        assert_eq!(out.value, expected);
    }
}

#[test]
fn a_tax_breakdown_in_another_order_is_not_a_loss() {
    let registry = registry();
    let m = registry.get("stripe", "invoice").unwrap();
    let mut c = m.to_canonical(&fixture("invoice", "eur_multi_tax_discount_open")).unwrap().value;
    let breakdown = c["tax_breakdown"].as_array_mut().unwrap();
    assert!(breakdown.len() > 1);
    breakdown.reverse();
    let out = m.to_vendor(&c).unwrap();
    assert_eq!(out.losses, []);
    assert_eq!(out.value, fixture("invoice", "eur_multi_tax_discount_open"));
}

#[test]
fn a_currency_code_in_an_unusual_case_is_read_kept_and_reported() {
    let registry = registry();
    let mapper = registry.get("stripe", "refund").unwrap();
    for code in ["USD", "Usd"] {
        let refund = json!({"id": "re_1", "object": "refund", "amount": 1633, "currency": code,
                            "charge": "ch_1", "created": 1783606924, "status": "succeeded"});
        let mapped = mapper.to_canonical(&refund).unwrap();
        assert_eq!(mapped.value["amount"], money("16.33", "USD"));
        assert_eq!(mapped.value["extensions"]["stripe"]["currency"], code);
        assert_eq!(kinds_at(&mapped.losses, "/currency"), [LossKind::Lossy]);
        let loss = mapped.losses.iter().find(|l| l.path == "/currency").unwrap();
        assert_eq!(
            loss.reason,
            format!("currency code `{code}` is not in the vendor's usual case")
        );
        // The original spelling comes back.
        assert_eq!(mapper.to_vendor(&mapped.value).unwrap().value, refund);
    }
    // The usual lower case is consumed: nothing kept, nothing reported.
    let refund = json!({"id": "re_1", "object": "refund", "amount": 1633, "currency": "usd",
                        "charge": "ch_1", "created": 1783606924, "status": "succeeded"});
    let mapped = mapper.to_canonical(&refund).unwrap();
    assert!(mapped.value["extensions"]["stripe"].get("currency").is_none(), "{}", mapped.value);
    assert!(kinds_at(&mapped.losses, "/currency").is_empty());
}

#[test]
fn a_rate_that_cannot_be_worked_out_leaves_the_record_incomplete_and_says_so() {
    // A line discounted to nothing: its 7 % tax rate is named by id only,
    // and a tax of 0 on 0 says nothing about the percentage.
    let mut invoice = fixture("invoice", "eur_multi_tax_discount_open");
    invoice["lines"]["data"][1]["taxes"][0]["amount"] = json!(0);
    invoice["lines"]["data"][1]["taxes"][0]["taxable_amount"] = json!(0);
    let mapped = registry().get("stripe", "invoice").unwrap().to_canonical(&invoice).unwrap();
    let path = "/lines/data/1/taxes/0/tax_rate_details/tax_rate";
    let loss = mapped.losses.iter().find(|l| l.path == path).unwrap();
    assert_eq!(loss.kind, LossKind::Incomplete);
    assert_eq!(
        loss.reason,
        "tax rate txr_1RijlaLdg7Rq2WmXiNN0x7hk has no percentage here and no taxable amount to estimate it from"
    );
    // The rate that can be worked out still is, and is marked as estimated.
    let other = "/lines/data/0/taxes/0/tax_rate_details/tax_rate";
    assert_eq!(kinds_at(&mapped.losses, other), [LossKind::Estimated]);
    assert_eq!(mapped.value["lines"][0]["tax_rate"], "19");
    assert!(mapped.value["lines"][1].get("tax_rate").is_none(), "{}", mapped.value["lines"][1]);
}

#[test]
fn a_lossy_read_says_what_it_became_and_what_would_go_back() {
    let registry = registry();
    let mapper = registry.get("stripe", "invoice_payment").unwrap();
    let paid = fixture("invoice_payment", "paid_charge");
    let mapped = mapper.to_canonical(&paid).unwrap();
    // 1776159011 is 2026-04-14T09:30:11Z: the date keeps the day only.
    assert_eq!(mapped.value["payment_date"], "2026-04-14");
    let loss = mapped.losses.iter().find(|l| l.path == "/status_transitions/paid_at").unwrap();
    assert_eq!(loss.kind, LossKind::Lossy);
    assert_eq!(
        loss.reason,
        "1776159011 is read as \"2026-04-14\", which goes back as 1776124800: the original is kept in extensions"
    );
    assert_eq!(mapped.value["extensions"]["stripe"]["status_transitions"]["paid_at"], 1776159011);
    assert_eq!(mapper.to_vendor(&mapped.value).unwrap().value, paid);
}

#[test]
fn a_customer_is_a_person_only_when_stripe_says_so() {
    let registry = registry();
    let mapper = registry.get("stripe", "customer").unwrap();
    // 2025-09-30.clover and later: an individual name and no business name.
    let person = fixture("customer", "clover_individual_name");
    let canonical = mapper.to_canonical(&person).unwrap().value;
    assert_eq!(canonical["kind"], "individual");
    assert_eq!(canonical["display_name"], "Emma Lindqvist");
    assert_eq!(canonical["extensions"]["stripe"]["individual_name"], "Emma Lindqvist");
    // A business name wins.
    let mut both = person.clone();
    both["business_name"] = json!("Lindqvist Formgivning AB");
    assert_eq!(mapper.to_canonical(&both).unwrap().value["kind"], "organization");
    // Older versions say neither: an organization, even for a person.
    let unsaid = fixture("customer", "individual_phone_locales");
    let mut edited = mapper.to_canonical(&unsaid).unwrap().value;
    assert_eq!(edited["kind"], "organization");
    // Made a person afterwards, the record cannot say so in that payload.
    edited["kind"] = json!("individual");
    let out = mapper.to_vendor(&edited).unwrap();
    assert_eq!(out.value, unsaid);
    assert_eq!(out.losses.len(), 1, "{:?}", out.losses);
    assert_eq!(out.losses[0].path, "/kind");
    assert_eq!(out.losses[0].kind, LossKind::Unsupported);
    assert_eq!(
        out.losses[0].reason,
        "the Stripe customer cannot carry this value: it comes back as \"organization\""
    );
    // A person created outside Stripe is written with its individual name.
    let mut bare = canonical.clone();
    bare.as_object_mut().unwrap().remove("extensions");
    let out = mapper.to_vendor(&bare).unwrap();
    assert_eq!(out.value["individual_name"], "Emma Lindqvist");
    assert_eq!(out.value["name"], "Emma Lindqvist");
    assert!(out.losses.is_empty(), "{:?}", out.losses);
}
