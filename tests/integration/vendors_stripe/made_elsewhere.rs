//! Records made outside Stripe, sent to Stripe and read back.

use super::*;

#[test]
fn stripe_metadata_alone_does_not_stop_the_computed_invoice_fields() {
    let registry = registry();
    let m = registry.get("stripe", "invoice").unwrap();
    for name in ["eur_multi_tax_discount_open", "current_usd_subscription_paid", "jpy_single_tax"] {
        let bare = made_elsewhere("invoice", name);
        let mut tagged = bare.clone();
        tagged["extensions"] = json!({"stripe": {"metadata": {"order": "A-1"}}});
        let plain = m.to_vendor(&bare).unwrap();
        let out = m.to_vendor(&tagged).unwrap();
        // The same payload as without the metadata, plus the metadata.
        let mut expected = plain.value.clone();
        expected["metadata"] = json!({"order": "A-1"});
        assert_eq!(out.value, expected, "{name}");
        assert_eq!(out.losses, plain.losses, "{name}");
        for key in ["subtotal", "amount_paid", "amount_remaining", "amount_due"] {
            assert!(out.value.get(key).is_some(), "{name}: {key}");
        }
        for line in out.value["lines"]["data"].as_array().unwrap() {
            for key in ["amount", "taxes", "discount_amounts"] {
                assert!(line.get(key).is_some(), "{name}: line {key}");
            }
        }
        // It reads back, with its metadata.
        let back = m.to_canonical(&out.value).unwrap();
        assert_eq!(back.value["totals"], tagged["totals"], "{name}");
        assert_eq!(back.value["extensions"]["stripe"]["metadata"], json!({"order": "A-1"}));
    }
    // A line added to an invoice read from Stripe gets its amount and
    // taxes; the lines read from Stripe come back as Stripe sent them.
    let invoice = fixture("invoice", "jpy_single_tax");
    let mut c = m.to_canonical(&invoice).unwrap().value;
    let mut added = c["lines"][1].clone();
    added.as_object_mut().unwrap().remove("id");
    c["lines"].as_array_mut().unwrap().push(added);
    let out = m.to_vendor(&c).unwrap();
    let lines = out.value["lines"]["data"].as_array().unwrap();
    assert_eq!(lines[..2], invoice["lines"]["data"].as_array().unwrap()[..]);
    assert_eq!(lines[2]["amount"], json!(5500));
    assert_eq!(lines[2]["taxes"][0]["amount"], json!(550));
    assert!(m.to_canonical(&out.value).is_ok());
}

#[test]
fn line_taxes_are_shared_out_from_the_tax_breakdown() {
    let registry = registry();
    let m = registry.get("stripe", "invoice").unwrap();
    let invoice = breakdown_only_invoice();
    let out = m.to_vendor(&invoice).unwrap();
    let taxes: Vec<i64> = out.value["lines"]["data"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["taxes"][0]["amount"].as_i64().unwrap())
        .collect();
    // 19.00 in proportion to 33.33 : 33.33 : 33.34, exactly.
    assert_eq!(taxes, [633, 633, 634]);
    assert_eq!(stripe_sums(&out.value), (11900, 11900));
    let back = m.to_canonical(&out.value).unwrap().value;
    assert_eq!(back["totals"]["tax_total"], money("19.00", "EUR"));
    // A line's own tax amount is kept; the rest is shared over the others.
    let mut mixed = invoice.clone();
    mixed["lines"][2]["tax_amount"] = money("6.30", "EUR");
    let out = m.to_vendor(&mixed).unwrap();
    let lines = out.value["lines"]["data"].as_array().unwrap();
    assert_eq!(lines[2]["taxes"][0]["amount"], json!(630));
    assert_eq!(lines[0]["taxes"][0]["amount"], json!(635));
    assert_eq!(lines[1]["taxes"][0]["amount"], json!(635));
    // No breakdown to share out: reported at each line, not written.
    let mut none = invoice;
    none.as_object_mut().unwrap().remove("tax_breakdown");
    let out = m.to_vendor(&none).unwrap();
    for i in 0..3 {
        let at = format!("/lines/{i}/tax_rate");
        let loss = out.losses.iter().find(|l| l.path == at).unwrap();
        assert_eq!(loss.kind, LossKind::Unsupported);
        assert!(loss.reason.contains("no entry for (standard, 19 %)"), "{}", loss.reason);
    }
}

#[test]
fn a_delivery_charge_goes_to_stripe_as_shipping_cost() {
    let registry = registry();
    let m = registry.get("stripe", "invoice").unwrap();
    let mut invoice = canonical_example("invoice/kwd_invoice.json");
    invoice["counterparty"] = stripe_ref("customer", "cus_1");
    let out = m.to_vendor(&invoice).unwrap();
    assert_eq!(out.value["shipping_cost"]["amount_subtotal"], json!(12500));
    assert_eq!(out.value["shipping_cost"]["amount_total"], json!(12500));
    let back = m.to_canonical(&out.value).unwrap().value;
    assert_eq!(back["totals"]["charge_total"], money("12.500", "KWD"));
    // Stripe names it Shipping: the reason is reported, not the charge.
    assert_eq!(kinds_at(&out.losses, "/allowances_charges/0/reason"), [LossKind::Unsupported]);
    assert!(kinds_at(&out.losses, "/allowances_charges/0").is_empty());
    // A charge that is not shipping has no place in a Stripe invoice.
    let mut other = invoice;
    other["allowances_charges"][0]["reason"] = json!("Installation");
    other["allowances_charges"][0]["reason_code"] = json!("IN");
    let out = m.to_vendor(&other).unwrap();
    assert!(out.value.get("shipping_cost").is_none());
    assert_eq!(kinds_at(&out.losses, "/allowances_charges/0"), [LossKind::Unsupported]);
}

#[test]
fn a_tax_rate_without_a_stripe_id_reads_back_and_is_reported() {
    let registry = registry();
    let m = registry.get("stripe", "invoice").unwrap();
    let mut invoice = breakdown_only_invoice();
    invoice["tax_breakdown"][0]["name"] = json!("USt 19 %");
    let out = m.to_vendor(&invoice).unwrap();
    let rate = &out.value["lines"]["data"][0]["taxes"][0]["tax_rate_details"]["tax_rate"];
    assert_eq!(rate, &json!({"object": "tax_rate", "percentage": 19, "display_name": "USt 19 %"}));
    for i in 0..3 {
        assert_eq!(kinds_at(&out.losses, &format!("/lines/{i}/tax_rate")), [LossKind::Incomplete]);
    }
    // Read back: the percentage and the name, not an estimate.
    let back = m.to_canonical(&out.value).unwrap();
    assert!(back.losses.iter().all(|l| l.kind != LossKind::Estimated), "{:?}", back.losses);
    assert_eq!(
        back.value["tax_breakdown"],
        json!([{"category": "standard", "rate": "19", "taxable_amount": money("100.00", "EUR"),
                "tax_amount": money("19.00", "EUR"), "name": "USt 19 %"}])
    );
    assert!(!out.losses.iter().any(|l| l.path.starts_with("/tax_breakdown")), "{:?}", out.losses);
    // A Stripe tax rate id is the id; a tax code of another system is not.
    let mut coded = invoice;
    coded["lines"][0]["tax_code"] = json!("txr_1XQsymLdg7Rq2WmXgRGJeQda");
    coded["lines"][1]["tax_code"] = json!("txcd_99999999");
    let out = m.to_vendor(&coded).unwrap();
    let rate_of = |i: usize| {
        out.value["lines"]["data"][i]["taxes"][0]["tax_rate_details"]["tax_rate"].clone()
    };
    assert_eq!(rate_of(0)["id"], "txr_1XQsymLdg7Rq2WmXgRGJeQda");
    assert!(kinds_at(&out.losses, "/lines/0/tax_rate").is_empty());
    assert!(rate_of(1).get("id").is_none());
    assert_eq!(kinds_at(&out.losses, "/lines/1/tax_code"), [LossKind::Unsupported]);
    assert_eq!(kinds_at(&out.losses, "/lines/1/tax_rate"), [LossKind::Incomplete]);
}

#[test]
fn tax_id_types_follow_scheme_and_country() {
    let registry = registry();
    let m = registry.get("stripe", "customer").unwrap();
    let customer = |ids: Value| {
        json!({"id": "cust_1", "kind": "organization", "status": "active", "display_name": "Ada Ltd",
               "tax_ids": ids})
    };
    let cases = [
        (json!({"scheme": "vat", "value": "GB123456789", "country": "GB"}), "gb_vat"),
        (json!({"scheme": "vat", "value": "DE276483156"}), "eu_vat"),
        (json!({"scheme": "tax_registration", "value": "2181508150", "country": "DE"}), "de_stn"),
        (json!({"scheme": "gst", "value": "27AAPFU0939F1ZV", "country": "IN"}), "in_gst"),
        (json!({"scheme": "legal_registration", "value": "123456789", "country": "CA"}), "ca_bn"),
        // A label that is not a Stripe type (an ISO 6523 scheme) is not
        // written as the type: the scheme and country choose it.
        (
            json!({"scheme": "legal_registration", "value": "CHE-109.322.551", "country": "CH", "label": "0183"}),
            "ch_uid",
        ),
    ];
    for (id, kind) in cases {
        let out = m.to_vendor(&customer(json!([id.clone()]))).unwrap();
        assert_eq!(out.value["tax_ids"]["data"][0]["type"], kind, "{id}");
        let back = m.to_canonical(&out.value).unwrap().value;
        assert_eq!(back["tax_ids"][0]["scheme"], id["scheme"], "{id}");
        assert!(kinds_at(&out.losses, "/tax_ids/0").is_empty(), "{id}: {:?}", out.losses);
    }
    // No Stripe type fits: reported, not written with a wrong type or none.
    let ids = json!([
        {"scheme": "legal_registration", "value": "HRB 201447 B", "country": "DE"},
        {"scheme": "vat", "value": "GB123456789", "country": "GB"}
    ]);
    let out = m.to_vendor(&customer(ids)).unwrap();
    assert_eq!(out.value["tax_ids"]["data"].as_array().unwrap().len(), 1);
    assert_eq!(out.value["tax_ids"]["data"][0]["type"], "gb_vat");
    let loss = out.losses.iter().find(|l| l.path == "/tax_ids/0").unwrap();
    assert_eq!(loss.kind, LossKind::Unsupported);
    assert_eq!(
        loss.reason,
        "no Stripe tax id type is a legal_registration id in DE: the tax id is not written (Stripe requires a type)"
    );
}

#[test]
fn three_decimal_amounts_go_to_stripe_in_tens_and_quantities_as_stripe_takes_them() {
    let registry = registry();
    let m = registry.get("stripe", "invoice").unwrap();
    let mut invoice = canonical_example("invoice/kwd_invoice.json");
    invoice["counterparty"] = stripe_ref("customer", "cus_1");
    let out = m.to_vendor(&invoice).unwrap();
    let lines = out.value["lines"]["data"].as_array().unwrap();
    // 245.375 and 55.875 KWD: Stripe takes only amounts ending in 0.
    let amounts: Vec<i64> = lines.iter().map(|l| l["amount"].as_i64().unwrap()).collect();
    assert_eq!(amounts, [1_250_000, 245_380, 55_880]);
    assert!(amounts.iter().all(|a| a % 10 == 0));
    assert_eq!(out.value["total"], json!(1_563_750));
    for i in [1, 2] {
        let at = format!("/lines/{i}/net_amount/amount");
        let loss = out.losses.iter().find(|l| l.path == at).unwrap();
        assert_eq!(loss.kind, LossKind::Lossy);
        assert!(loss.reason.contains("multiples of 10 minor units"), "{}", loss.reason);
    }
    assert!(kinds_at(&out.losses, "/lines/0/net_amount/amount").is_empty());
    // 6.5 hours: quantity_decimal, a decimal string as Stripe sends it.
    assert_eq!(lines[1]["quantity_decimal"], json!("6.5"));
    assert_eq!(m.to_canonical(&out.value).unwrap().value["lines"][1]["quantity"], "6.5");
    // Stripe's integer quantities: a fraction is reported, not written.
    let subs = registry.get("stripe", "subscription").unwrap();
    let mut contract = canonical_example("contract/subscription.json");
    contract["lines"][0]["quantity"] = json!("1.5");
    let out = subs.to_vendor(&contract).unwrap();
    assert!(out.value["items"]["data"][0].get("quantity").is_none());
    assert_eq!(kinds_at(&out.losses, "/lines/0/quantity"), [LossKind::Unsupported]);
    let notes = registry.get("stripe", "credit_note").unwrap();
    let mut note = made_elsewhere("credit_note", "issued_post_payment_refund_usd");
    note["lines"][0]["quantity"] = json!("2.5");
    let out = notes.to_vendor(&note).unwrap();
    assert!(out.value["lines"]["data"][0].get("quantity").is_none());
    assert_eq!(kinds_at(&out.losses, "/lines/0/quantity"), [LossKind::Unsupported]);
}

#[test]
fn a_refund_description_from_elsewhere_goes_to_description_not_reason() {
    let registry = registry();
    let m = registry.get("stripe", "refund").unwrap();
    let mut c = m.to_canonical(&fixture("refund", "partial_requested_by_customer")).unwrap().value;
    // Read from Stripe, the reason describes the refund and goes back there.
    assert_eq!(c["description"], "requested_by_customer");
    assert_eq!(m.to_vendor(&c).unwrap().value["reason"], "requested_by_customer");
    // Made elsewhere: free text is Stripe's description; reason is an enum.
    c.as_object_mut().unwrap().remove("extensions");
    c["description"] = json!("Refund of the corrected invoice");
    let out = m.to_vendor(&c).unwrap();
    assert_eq!(out.value["description"], "Refund of the corrected invoice");
    assert_eq!(out.value.get("reason"), None);
}

#[test]
fn a_contract_without_lines_gets_no_invented_subscription_item() {
    let registry = registry();
    let m = registry.get("stripe", "subscription").unwrap();
    let mut c = m.to_canonical(&fixture("subscription", "active_monthly_two_items")).unwrap().value;
    c.as_object_mut().unwrap().remove("extensions");
    c.as_object_mut().unwrap().remove("lines");
    let out = m.to_vendor(&c).unwrap();
    assert_eq!(out.value.pointer("/items/data/0"), None, "{}", out.value);
    // The billing interval lives on Stripe's items: with none, it is reported.
    assert_eq!(kinds_at(&out.losses, "/billing_frequency/unit"), [LossKind::Unsupported]);
    assert_eq!(kinds_at(&out.losses, "/billing_frequency/count"), [LossKind::Unsupported]);
    let reason = &out.losses.iter().find(|l| l.path == "/billing_frequency/unit").unwrap().reason;
    assert_eq!(
        reason,
        "stripe subscription keeps this on an item of /items/data, and the record has no such item"
    );
    // Read back, it has no line.
    let again = m.to_canonical(&out.value).unwrap();
    assert_eq!(again.value.get("lines"), None);
}

#[test]
fn the_discount_of_a_removed_line_is_reported_whole_and_the_rest_is_not() {
    let registry = registry();
    let m = registry.get("stripe", "invoice").unwrap();
    let c = m.to_canonical(&fixture("invoice", "eur_multi_tax_discount_open")).unwrap().value;
    let mut edited = c.clone();
    edited["lines"].as_array_mut().unwrap().remove(0);
    let out = m.to_vendor(&edited).unwrap();
    // The invoice discount's 19 % share went with the removed line; its
    // 7 % share still comes back (now first in the list): only the first
    // is reported, and as having no place, not as "comes back as 9.80".
    let allowances: Vec<(&str, &str)> = out
        .losses
        .iter()
        .filter(|l| l.path.starts_with("/allowances_charges/"))
        .map(|l| (l.path.as_str(), l.reason.as_str()))
        .collect();
    assert!(!allowances.is_empty());
    for (path, reason) in allowances {
        assert!(path.starts_with("/allowances_charges/0/"), "{path}");
        assert_eq!(reason, "the Stripe invoice has no place for this value", "{path}");
    }
}

#[test]
fn a_fractional_subscription_item_quantity_is_not_a_stripe_payload() {
    let mut s = fixture("subscription", "active_monthly_two_items");
    s["items"]["data"][1]["quantity"] = serde_json::from_str("1.50").unwrap();
    let err = registry().get("stripe", "subscription").unwrap().to_canonical(&s).unwrap_err();
    assert!(
        matches!(&err, MappingError::InvalidInput { pointer, message, .. }
            if pointer == "/items/data/1/quantity"
                && message == "expected a whole number (Stripe subscription item quantities are), but found 1.50"),
        "{err:?}"
    );
}
