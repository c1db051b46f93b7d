//! Stripe as found on real payloads of older API versions, and as a new
//! user tries it: customers without a name, subscriptions without a
//! currency of their own, lists of lines sent without their data, payloads
//! that are not the object asked for, lines in another currency.

use super::*;
use canonical_finance::model::Customer;
use canonical_finance::validate::Validate;

/// The input error of mapping `payload` as a Stripe `object`: (pointer,
/// message).
fn input_error(object: &str, payload: &Value) -> (String, String) {
    match registry().get("stripe", object).unwrap().to_canonical(payload) {
        Err(MappingError::InvalidInput { pointer, message, .. }) => (pointer, message),
        other => panic!("expected an input error, but found {other:?}"),
    }
}

fn string_pair(pointer: &str, message: &str) -> (String, String) {
    (pointer.to_owned(), message.to_owned())
}

// 1. A customer without a name.

#[test]
fn a_customer_without_a_name_is_shown_by_its_email_and_goes_back_without_one() {
    let registry = registry();
    let m = registry.get("stripe", "customer").unwrap();
    let stripe = fixture("customer", "nameless_email_only_2020_08_27");
    assert_eq!(stripe["name"], Value::Null);
    let mapped = registry.to_canonical_as::<Customer>("stripe", "customer", &stripe).unwrap();
    assert_eq!(mapped.value.display_name, "accounts@harbourline-freight.example");
    assert!(mapped.value.validate().is_valid(), "{:?}", mapped.value.validate());
    assert_eq!(
        losses_at(&mapped.losses, "/name"),
        [(
            LossKind::Fallback,
            "the customer has no name: the display name is its email, \"accounts@harbourline-freight.example\", which is not written back to name"
        )]
    );
    assert_eq!(mapped.losses.len(), 1, "{:?}", mapped.losses);
    // The way back does not make the email the customer's name.
    let c = m.to_canonical(&stripe).unwrap().value;
    assert_eq!(
        c["extensions"]["stripe"]["$substituted"],
        json!({"/display_name": "accounts@harbourline-freight.example"})
    );
    let out = m.to_vendor(&c).unwrap();
    assert_eq!(out.value, stripe);
    assert_eq!(out.value["name"], Value::Null);
    assert_eq!(out.losses, []);
    assert_eq!(stripe_round_trip("customer", &stripe).unwrap(), stripe);
}

#[test]
fn a_customer_without_a_name_member_is_shown_by_its_description() {
    let stripe = fixture("customer", "nameless_description_2020_08_27");
    assert!(stripe.get("name").is_none());
    let m = registry();
    let mapped = m.get("stripe", "customer").unwrap().to_canonical(&stripe).unwrap();
    assert_eq!(mapped.value["display_name"], "Calder Print Studio (trade account 5521)");
    assert_eq!(
        losses_at(&mapped.losses, "/name"),
        [(
            LossKind::Fallback,
            "the customer has no name: the display name is its description, \"Calder Print Studio (trade account 5521)\", which is not written back to name"
        )]
    );
    // No `name` member comes back where there was none.
    let back = stripe_round_trip("customer", &stripe).unwrap();
    assert_eq!(back, stripe);
    assert!(back.get("name").is_none());
}

#[test]
fn a_blank_or_missing_name_falls_back_in_order_and_comes_back_as_it_was() {
    let m = registry();
    let m = m.get("stripe", "customer").unwrap();
    let base = fixture("customer", "nameless_email_only_2020_08_27");
    let read = |payload: &Value| {
        let mapped = m.to_canonical(payload).unwrap();
        let reason = losses_at(&mapped.losses, "/name").first().map(|(_, r)| (*r).to_owned());
        (mapped.value["display_name"].clone(), reason)
    };
    // A blank name is no name.
    let mut blank = base.clone();
    blank["name"] = json!("  ");
    assert_eq!(read(&blank).0, "accounts@harbourline-freight.example");
    assert_eq!(stripe_round_trip("customer", &blank).unwrap(), blank);
    // A clover business name comes before the description and email.
    let mut business = base.clone();
    business["business_name"] = json!("Harbourline Freight Ltd");
    business["description"] = json!("account 17");
    assert_eq!(
        read(&business),
        (
            json!("Harbourline Freight Ltd"),
            Some("the customer has no name: the display name is its business name, \"Harbourline Freight Ltd\", which is not written back to name".to_owned())
        )
    );
    assert_eq!(stripe_round_trip("customer", &business).unwrap(), business);
    // With nothing else, the id.
    let mut bare = base.clone();
    bare["email"] = Value::Null;
    assert_eq!(
        read(&bare),
        (
            json!("cus_Pq4TnY7wKd2LmE"),
            Some("the customer has no name: the display name is its id, \"cus_Pq4TnY7wKd2LmE\", which is not written back to name".to_owned())
        )
    );
    assert_eq!(stripe_round_trip("customer", &bare).unwrap(), bare);
    // A name is used as it is, and nothing is reported.
    let mut named = base;
    named["name"] = json!("Harbourline Freight Ltd");
    let mapped = m.to_canonical(&named).unwrap();
    assert_eq!(mapped.value["display_name"], "Harbourline Freight Ltd");
    assert_eq!(mapped.losses, []);
    assert!(mapped.value["extensions"]["stripe"].get("$substituted").is_none());
}

#[test]
fn a_display_name_given_to_a_nameless_customer_is_written_as_its_name() {
    let registry = registry();
    let m = registry.get("stripe", "customer").unwrap();
    let stripe = fixture("customer", "nameless_email_only_2020_08_27");
    let mut c = m.to_canonical(&stripe).unwrap().value;
    c["display_name"] = json!("Harbourline Freight Ltd");
    let out = m.to_vendor(&c).unwrap();
    let mut expected = stripe.clone();
    expected["name"] = json!("Harbourline Freight Ltd");
    assert_eq!(out.value, expected);
    assert_eq!(out.losses, []);
    // Its email changed instead, the substitute is not a name either: it
    // would read back as the new email, and that is reported.
    let mut c = m.to_canonical(&stripe).unwrap().value;
    c["email"] = json!("ap@harbourline-freight.example");
    let out = m.to_vendor(&c).unwrap();
    assert_eq!(out.value["name"], Value::Null);
    assert_eq!(out.value["email"], "ap@harbourline-freight.example");
    assert_eq!(
        losses_at(&out.losses, "/display_name"),
        [(
            LossKind::Unsupported,
            "the Stripe customer cannot carry this value: it comes back as \"ap@harbourline-freight.example\""
        )]
    );
    assert_eq!(out.losses.len(), 1, "{:?}", out.losses);
}

#[test]
fn a_name_that_is_no_string_is_still_refused() {
    let mut stripe = fixture("customer", "nameless_email_only_2020_08_27");
    stripe["name"] = json!(false);
    let err = registry().get("stripe", "customer").unwrap().to_canonical(&stripe).unwrap_err();
    assert!(
        matches!(&err, MappingError::InvalidCanonical { pointer, .. } if pointer == "/display_name"),
        "{err:?}"
    );
}

// 2. A subscription without a currency of its own.

#[test]
fn a_subscription_without_a_currency_takes_the_currency_of_its_items() {
    let registry = registry();
    let m = registry.get("stripe", "subscription").unwrap();
    let stripe = fixture("subscription", "no_currency_2020_08_27");
    assert!(stripe.get("currency").is_none());
    let mapped = registry.to_canonical_as::<Contract>("stripe", "subscription", &stripe).unwrap();
    assert!(mapped.value.validate().is_valid(), "{:?}", mapped.value.validate());
    let c = m.to_canonical(&stripe).unwrap();
    assert_eq!(c.value["currency"], "GBP");
    assert_eq!(c.value["lines"][0]["unit_price"], money("29.00", "GBP"));
    assert_eq!(c.value["lines"][0]["quantity"], "3");
    assert_eq!(c.value["lines"][1]["unit_price"], money("120.00", "GBP"));
    assert_eq!(c.value["current_period"], json!({"start": "2021-03-29", "end": "2021-04-29"}));
    assert_eq!(c.value["extensions"]["stripe"]["$filled"], json!(["/currency"]));
    // Only the times of day are lost: the currency is not reported.
    let paths: Vec<&str> = c.losses.iter().map(|l| l.path.as_str()).collect();
    assert_eq!(
        paths,
        ["/start_date", "/billing_cycle_anchor", "/current_period_start", "/current_period_end"]
    );
    assert!(c.losses.iter().all(|l| l.kind == LossKind::Lossy), "{:?}", c.losses);
    // The way back writes no top-level currency: the payload comes back.
    let out = m.to_vendor(&c.value).unwrap();
    assert_eq!(out.value, stripe);
    assert_eq!(out.losses, []);
    assert_eq!(stripe_round_trip("subscription", &stripe).unwrap(), stripe);
}

#[test]
fn a_subscription_whose_items_have_plans_only_takes_their_currency() {
    // Before prices (API versions before 2020-08-27 could send items
    // with a plan and no price).
    let mut stripe = fixture("subscription", "no_currency_2020_08_27");
    for item in stripe["items"]["data"].as_array_mut().unwrap() {
        item.as_object_mut().unwrap().remove("price");
    }
    let c = registry().get("stripe", "subscription").unwrap().to_canonical(&stripe).unwrap();
    assert_eq!(c.value["currency"], "GBP");
    assert_eq!(c.value["lines"][1]["unit_price"], money("120.00", "GBP"));
    assert_eq!(stripe_round_trip("subscription", &stripe).unwrap(), stripe);
}

#[test]
fn items_in_different_currencies_are_an_input_error_where_they_disagree() {
    let mut other_item = fixture("subscription", "no_currency_2020_08_27");
    other_item["items"]["data"][1]["price"]["currency"] = json!("eur");
    assert_eq!(
        input_error("subscription", &other_item),
        string_pair(
            "/items/data/1/price/currency",
            "expected \"gbp\" (the currency at /items/data/0/price/currency: a subscription's items share one currency), but found \"eur\""
        )
    );
    let mut plan_and_price = fixture("subscription", "no_currency_2020_08_27");
    plan_and_price["items"]["data"][0]["plan"]["currency"] = json!("usd");
    assert_eq!(
        input_error("subscription", &plan_and_price),
        string_pair(
            "/items/data/0/plan/currency",
            "expected \"gbp\" (the currency at /items/data/0/price/currency: a subscription's items share one currency), but found \"usd\""
        )
    );
    let mut not_a_code = fixture("subscription", "no_currency_2020_08_27");
    not_a_code["items"]["data"][0]["price"]["currency"] = json!(826);
    assert_eq!(
        input_error("subscription", &not_a_code),
        string_pair("/items/data/0/price/currency", "expected a currency code, but found 826")
    );
    // A null currency is not the older shape: it is refused as before.
    let mut null = fixture("subscription", "no_currency_2020_08_27");
    null["currency"] = Value::Null;
    assert_eq!(
        input_error("subscription", &null),
        string_pair("/currency", "expected a currency code")
    );
    // The same code in capitals is the same currency.
    let mut capitals = fixture("subscription", "no_currency_2020_08_27");
    capitals["items"]["data"][1]["plan"]["currency"] = json!("GBP");
    let c = registry().get("stripe", "subscription").unwrap().to_canonical(&capitals).unwrap();
    assert_eq!(c.value["currency"], "GBP");
    assert_eq!(stripe_round_trip("subscription", &capitals).unwrap(), capitals);
}

#[test]
fn a_currency_edited_on_such_a_subscription_goes_back_onto_its_items() {
    let registry = registry();
    let m = registry.get("stripe", "subscription").unwrap();
    let stripe = fixture("subscription", "no_currency_2020_08_27");
    let mut c = m.to_canonical(&stripe).unwrap().value;
    c["currency"] = json!("EUR");
    c["lines"][0]["unit_price"] = money("34.00", "EUR");
    c["lines"][1]["unit_price"] = money("140.00", "EUR");
    let out = m.to_vendor(&c).unwrap();
    assert!(out.value.get("currency").is_none(), "{}", out.value);
    for item in out.value["items"]["data"].as_array().unwrap() {
        assert_eq!(item["price"]["currency"], "eur");
        assert_eq!(item["plan"]["currency"], "eur");
    }
    assert_eq!(out.value["items"]["data"][0]["price"]["unit_amount_decimal"], "3400");
    assert_eq!(out.value["items"]["data"][1]["price"]["unit_amount_decimal"], "14000");
    // It reads back as the record.
    let again = m.to_canonical(&out.value).unwrap().value;
    assert_eq!(again["currency"], "EUR");
    assert_eq!(again["lines"][1]["unit_price"], money("140.00", "EUR"));
    // A record made elsewhere gets the current shape: a top-level currency.
    let mut elsewhere = c.clone();
    elsewhere.as_object_mut().unwrap().remove("extensions");
    let out = m.to_vendor(&elsewhere).unwrap();
    assert_eq!(out.value["currency"], "eur");
}

// 3. A list of lines without its data.

#[test]
fn an_invoice_whose_lines_have_no_data_is_incomplete_at_lines() {
    let registry = registry();
    let m = registry.get("stripe", "invoice").unwrap();
    let mut stripe = fixture("invoice", "old_shape_2020_08_27");
    stripe["lines"].as_object_mut().unwrap().remove("data");
    let mapped = m.to_canonical(&stripe).unwrap();
    assert_eq!(
        losses_at(&mapped.losses, "/lines"),
        [(
            LossKind::Incomplete,
            "Stripe sent `lines` without its `data`: fetch the lines (every page of `lines`) and add them with merge_line_pages; the record has no lines, and the tax breakdown and the totals computed from the lines are incomplete"
        )]
    );
    assert!(mapped.value.get("lines").is_none(), "{}", mapped.value);
    assert_eq!(mapped.value["totals"]["total_with_tax"], money("336.42", "USD"));
    assert_eq!(m.to_vendor(&mapped.value).unwrap().value, stripe);
    // A null `data`, and no `lines` at all, say so too; with `has_more`
    // the one loss at `/lines` says it all.
    for (data, what) in [(Some(Value::Null), "`lines` without its `data`"), (None, "no `lines`")] {
        let mut payload = fixture("invoice", "paginated_lines");
        match data {
            Some(d) => payload["lines"]["data"] = d,
            None => {
                payload.as_object_mut().unwrap().remove("lines");
            }
        }
        let mapped = m.to_canonical(&payload).unwrap();
        let at_lines: Vec<(LossKind, String)> = mapped
            .losses
            .iter()
            .filter(|l| l.path.starts_with("/lines"))
            .map(|l| (l.kind, l.reason.clone()))
            .collect();
        assert_eq!(at_lines.len(), 1, "{:?}", mapped.losses);
        assert_eq!(at_lines[0].0, LossKind::Incomplete);
        assert!(at_lines[0].1.starts_with(&format!("Stripe sent {what}: ")), "{}", at_lines[0].1);
        assert_eq!(stripe_round_trip("invoice", &payload).unwrap(), payload);
    }
    // A credit note's lines are the same list.
    let mut note = fixture("credit_note", "jpy_old_shape_refund");
    note["lines"].as_object_mut().unwrap().remove("data");
    let mapped = registry.get("stripe", "credit_note").unwrap().to_canonical(&note).unwrap();
    assert_eq!(kinds_at(&mapped.losses, "/lines"), [LossKind::Incomplete]);
    assert_eq!(stripe_round_trip("credit_note", &note).unwrap(), note);
}

#[test]
fn lines_that_are_no_list_object_are_an_input_error() {
    let mut stripe = fixture("invoice", "old_shape_2020_08_27");
    let data = stripe["lines"]["data"].clone();
    stripe["lines"] = data;
    assert_eq!(
        input_error("invoice", &stripe),
        string_pair(
            "/lines",
            "expected a Stripe list object of lines, but found an array of 2 items"
        )
    );
    stripe["lines"] = json!("il_1");
    assert_eq!(
        input_error("invoice", &stripe),
        string_pair(
            "/lines",
            "expected a Stripe list object of lines, but found a string of 4 characters"
        )
    );
}

#[test]
fn merge_line_pages_fills_a_list_sent_without_data() {
    let mut invoice = fixture("invoice", "paginated_lines");
    let first = json!({"object": "list", "data": invoice["lines"]["data"].clone(),
                       "has_more": true, "url": invoice["lines"]["url"].clone()});
    invoice["lines"].as_object_mut().unwrap().remove("data");
    merge_line_pages(&mut invoice, &[first, fixture("invoice", "paginated_lines.page2")]).unwrap();
    assert_eq!(invoice, full_paginated_invoice());
    // Only an invoice or a credit note has lines to merge.
    let mut other = fixture("charge", "succeeded");
    let err = merge_line_pages(&mut other, &[]).unwrap_err();
    assert!(
        matches!(&err, MappingError::InvalidInput { pointer, message, .. }
            if pointer == "/object" && message == "expected \"invoice\" or \"credit_note\", but found \"charge\""),
        "{err:?}"
    );
    let mut no_list = fixture("invoice", "paginated_lines");
    no_list["lines"] = json!([]);
    let err = merge_line_pages(&mut no_list, &[]).unwrap_err();
    assert!(
        matches!(&err, MappingError::InvalidInput { pointer, .. } if pointer == "/lines"),
        "{err:?}"
    );
}

// 4. A payload that is not the object asked for.

#[test]
fn every_mapper_refuses_a_payload_that_is_not_its_object() {
    let registry = registry();
    for object in OBJECTS {
        let m = registry.get("stripe", object).unwrap();
        let (_, payload) = fixtures(object).remove(0);
        let other = if object == "customer" { "invoice" } else { "customer" };
        let cases = [
            (None, "none".to_owned()),
            (Some(Value::Null), "null".to_owned()),
            (Some(json!(other)), format!("\"{other}\"")),
            (Some(json!(7)), "7".to_owned()),
        ];
        for (value, found) in cases {
            let mut wrong = payload.clone();
            match value {
                Some(v) => wrong["object"] = v,
                None => {
                    wrong.as_object_mut().unwrap().remove("object");
                }
            }
            let expected = format!("expected \"{object}\", but found {found}");
            for err in
                [m.to_canonical(&wrong).unwrap_err(), m.to_canonical_owned(wrong).unwrap_err()]
            {
                assert!(
                    matches!(&err, MappingError::InvalidInput { vendor, object: o, pointer, message }
                        if vendor == "stripe" && o == object && pointer == "/object" && *message == expected),
                    "{object}: {err:?}"
                );
                assert_eq!(
                    err.to_string(),
                    format!("cannot map stripe {object} at /object: {expected}")
                );
            }
        }
    }
    // The smallest JSON object a new user might try.
    let err = registry.get("stripe", "customer").unwrap().to_canonical(&json!({})).unwrap_err();
    assert_eq!(
        err.to_string(),
        "cannot map stripe customer at /object: expected \"customer\", but found none"
    );
}

// 5. A line in another currency than its invoice.

#[test]
fn a_line_in_another_currency_than_its_invoice_is_an_input_error() {
    let mut old = fixture("invoice", "old_shape_2020_08_27");
    assert_eq!(old["lines"]["data"][0]["currency"], "usd");
    old["lines"]["data"][0]["currency"] = json!("eur");
    assert_eq!(
        input_error("invoice", &old),
        string_pair(
            "/lines/data/0/currency",
            "expected the invoice's currency \"usd\", but found \"eur\" (a Stripe invoice bills every line in its own currency)"
        )
    );
    let mut current = fixture("invoice", "current_usd_subscription_paid");
    current["lines"]["data"][1]["currency"] = json!("jpy");
    assert_eq!(
        input_error("invoice", &current),
        string_pair(
            "/lines/data/1/currency",
            "expected the invoice's currency \"usd\", but found \"jpy\" (a Stripe invoice bills every line in its own currency)"
        )
    );
    current["lines"]["data"][1]["currency"] = json!(840);
    assert_eq!(input_error("invoice", &current).0, "/lines/data/1/currency");
    // The same code in capitals is the same currency: read, and back as it was.
    let mut capitals = fixture("invoice", "current_usd_subscription_paid");
    capitals["lines"]["data"][1]["currency"] = json!("USD");
    assert_eq!(stripe_round_trip("invoice", &capitals).unwrap(), capitals);
}

#[test]
fn a_multi_currency_price_is_read_in_the_subscriptions_currency() {
    // A subscription billed in EUR on prices whose default currency is USD:
    // the price's own amount is dollars. The EUR amount is the currency
    // option, which Stripe sends when `items.data.price.currency_options`
    // is expanded (item 0), and is missing otherwise (item 1).
    let registry = registry();
    let m = registry.get("stripe", "subscription").unwrap();
    let mut stripe = fixture("subscription", "active_monthly_two_items");
    stripe["currency"] = json!("eur");
    stripe["items"]["data"][0]["price"]["currency_options"] = json!({
        "eur": {"custom_unit_amount": null, "tax_behavior": "exclusive", "unit_amount": 4500, "unit_amount_decimal": "4500"},
        "usd": {"custom_unit_amount": null, "tax_behavior": "exclusive", "unit_amount": 4900, "unit_amount_decimal": "4900"}});
    let mapped = m.to_canonical(&stripe).unwrap();
    assert_eq!(mapped.value["currency"], "EUR");
    assert_eq!(mapped.value["lines"][0]["unit_price"], money("45.00", "EUR"));
    assert_eq!(mapped.value["lines"][1]["unit_price"], money("0", "EUR"));
    assert_eq!(
        losses_at(&mapped.losses, "/items/data/1/price/currency_options"),
        [(
            LossKind::Incomplete,
            "the price is in USD, the subscription in EUR: its EUR unit amount is in currency_options, which Stripe sends only when expanded; the canonical unit price is 0"
        )]
    );
    assert!(kinds_at(&mapped.losses, "/items/data/0/price/currency_options").is_empty());
    // The prices' own amounts stay in extensions and come back.
    assert_eq!(
        mapped.value["extensions"]["stripe"]["items"]["data"][0]["price"]["unit_amount_decimal"],
        "4900"
    );
    assert_eq!(stripe_round_trip("subscription", &stripe).unwrap(), stripe);
    // An option amount that is no number is an input error there.
    stripe["items"]["data"][0]["price"]["currency_options"]["eur"]["unit_amount_decimal"] =
        json!(true);
    assert_eq!(
        input_error("subscription", &stripe),
        string_pair(
            "/items/data/0/price/currency_options/eur/unit_amount_decimal",
            "expected a decimal count of minor units, but found true"
        )
    );
}
