//! The parties of an invoice: the seller from the issuing account, the buyer and the deliver-to from Stripe's snapshot of the customer.

use super::*;

#[test]
fn the_seller_buyer_and_deliver_to_are_what_stripe_printed() {
    let registry = registry();
    let m = registry.get("stripe", "invoice").unwrap();
    let invoice = fixture("invoice", "parties_expanded_tax_ids_shipping");
    let mapped = m.to_canonical(&invoice).unwrap();
    let c = &mapped.value;
    // The issuing account: its name, its country (all of its address
    // Stripe gives, and all EN 16931 needs) and its expanded tax ids, with
    // the customer mapper's schemes and Stripe's type as the label.
    assert_eq!(
        c["seller"],
        json!({"name": "Ledgerline Europe B.V.", "address": {"country": "NL"}, "tax_ids": [
            {"scheme": "vat", "value": "NL859216743B01", "country": "NL", "label": "eu_vat"},
            {"scheme": "vat", "value": "GB314159265", "country": "GB", "label": "gb_vat"}]})
    );
    // The customer as printed: a legal registration has no label (there the
    // label is the ISO 6523 scheme, BR-CL-11, which Stripe does not say); a
    // type outside the table is scheme other with the type as its label.
    assert_eq!(
        c["buyer"],
        json!({"name": "Alpenglühn Werkstätten AG",
               "tax_ids": [{"scheme": "legal_registration", "value": "CHE-482.915.307 HR"},
                           {"scheme": "other", "value": "CHE-482.915.307 MWST", "label": "ch_vat"}],
               "address": {"lines": ["Seefeldstrasse 112", "3. Stock"], "city": "Zürich", "region": "ZH",
                           "postal_code": "8008", "country": "CH"},
               "contact": {"email": "kreditoren@alpengluehn.example", "phone": "+41445550142"}})
    );
    assert_eq!(
        c["delivery"],
        json!({"party_name": "Alpenglühn Werkstätten AG, Werk Basel",
               "address": {"lines": ["Hafenstrasse 25"], "city": "Basel", "region": "BS",
                           "postal_code": "4057", "country": "CH"}})
    );
    // The customer record is still the counterparty.
    assert_eq!(c["counterparty"], stripe_ref("customer", "cus_TbX3kR9vLq2MwN"));
    // What has no canonical place stays where Stripe put it.
    let kept = &c["extensions"]["stripe"];
    assert_eq!(
        kept["customer_shipping"],
        json!({"phone": "+41615550188", "address": {"line2": null}})
    );
    assert_eq!(kept["customer_tax_ids"][0], json!({"type": "ch_uid"}));
    assert_eq!(kept["account_tax_ids"], invoice["account_tax_ids"]);
    // The item name is the expanded product's; the other line's product is
    // an id only, so its item has no name. Quantities count units: C62.
    assert_eq!(c["lines"][0]["item"]["name"], "Production planning suite");
    assert!(c["lines"][1]["item"].get("name").is_none());
    assert!(c["lines"].as_array().unwrap().iter().all(|l| l["unit_of_measure"] == "C62"));
    // Reverse charge (customer_tax_exempt) has rate 0, unlike outside scope.
    assert_eq!(
        (&c["lines"][0]["tax_category"], &c["lines"][0]["tax_rate"]),
        (&json!("reverse_charge"), &json!("0"))
    );
    // Among the parties, only the type outside the table is reported.
    let party_losses: Vec<&str> = mapped
        .losses
        .iter()
        .map(|l| l.path.as_str())
        .filter(|p| p.starts_with("/account_") || p.starts_with("/customer_"))
        .collect();
    assert_eq!(party_losses, ["/customer_tax_ids/1/type"]);
    assert_eq!(kinds_at(&mapped.losses, "/customer_tax_ids/1/type"), [LossKind::Fallback]);
    // Exactly what Stripe sent comes back, and the record validates.
    assert_eq!(m.to_vendor(c).unwrap().value, invoice);
    let typed: Invoice = json::from_value(c).unwrap();
    let report = canonical_finance::validate::Validate::validate(&typed);
    assert_eq!(report.errors().count(), 0, "{report:?}");
}

#[test]
fn edited_parties_go_back_where_stripe_keeps_them_or_are_reported() {
    let registry = registry();
    let m = registry.get("stripe", "invoice").unwrap();
    let invoice = fixture("invoice", "parties_expanded_tax_ids_shipping");
    let mut c = m.to_canonical(&invoice).unwrap().value;
    c["seller"]["name"] = json!("Ledgerline Europe B.V. (Amsterdam)");
    c["buyer"]["name"] = json!("Alpenglühn Werkstätten AG, Zürich");
    c["buyer"]["contact"]["phone"] = json!("+41445550100");
    c["buyer"]["tax_ids"][1]["value"] = json!("CHE-482.915.307 TVA");
    c["delivery"]["address"]["lines"][0] = json!("Hafenstrasse 27");
    let out = m.to_vendor(&c).unwrap();
    assert_eq!(out.losses, [], "{:?}", out.losses);
    let mut expected = invoice.clone();
    expected["account_name"] = json!("Ledgerline Europe B.V. (Amsterdam)");
    expected["customer_name"] = json!("Alpenglühn Werkstätten AG, Zürich");
    expected["customer_phone"] = json!("+41445550100");
    expected["customer_tax_ids"][1]["value"] = json!("CHE-482.915.307 TVA");
    expected["customer_shipping"]["address"]["line1"] = json!("Hafenstrasse 27");
    assert_eq!(out.value, expected);
    // The account's tax ids are the account's: Stripe names them by id, so
    // an edited one cannot be written over the one read, and is reported.
    let mut edited = m.to_canonical(&invoice).unwrap().value;
    edited["seller"]["tax_ids"][0]["value"] = json!("NL859216743B02");
    edited["lines"][0]["item"]["name"] = json!("Planning suite");
    let out = m.to_vendor(&edited).unwrap();
    assert_eq!(out.value, invoice);
    assert_eq!(
        losses_at(&out.losses, "/seller/tax_ids/0/value"),
        [(
            LossKind::Unsupported,
            "the Stripe invoice cannot carry this value: it comes back as \"NL859216743B01\""
        )]
    );
    assert_eq!(
        losses_at(&out.losses, "/lines/0/item/name"),
        [(
            LossKind::Unsupported,
            "the Stripe invoice cannot carry this value: it comes back as \"Production planning suite\""
        )]
    );
    // Another unit than Stripe's count of units is reported.
    let mut hours = m.to_canonical(&invoice).unwrap().value;
    hours["lines"][1]["unit_of_measure"] = json!("DAY");
    let out = m.to_vendor(&hours).unwrap();
    assert_eq!(
        losses_at(&out.losses, "/lines/1/unit_of_measure"),
        [(LossKind::Unsupported, "stripe invoice cannot hold \"DAY\"; it is always \"C62\"")]
    );
}

#[test]
fn a_connect_invoice_names_the_connected_account_as_the_seller() {
    let registry = registry();
    let m = registry.get("stripe", "invoice").unwrap();
    let invoice = fixture("invoice", "connect_issuer_on_behalf_of");
    let mapped = m.to_canonical(&invoice).unwrap();
    let c = &mapped.value;
    // issuer.account and on_behalf_of name the same account: one ref.
    assert_eq!(
        c["seller"],
        json!({"name": "Fjordlys Keramikk AS", "address": {"country": "NO"},
               "external_refs": [{"system": "stripe", "object_type": "account", "id": "acct_1Rk7WpFjd0Ly5Kq2"}]})
    );
    // An account tax id Stripe did not expand has no value to map.
    assert_eq!(
        losses_at(&mapped.losses, "/account_tax_ids/0"),
        [(
            LossKind::Incomplete,
            "Stripe sent the account's tax id txi_1RkA2dFjd0Ly5Kq2Tb6nWs3E without its type and value: the seller's tax ids are incomplete (expand account_tax_ids for them; the id is kept in extensions)"
        )]
    );
    assert_eq!(
        c["extensions"]["stripe"]["account_tax_ids"],
        json!(["txi_1RkA2dFjd0Ly5Kq2Tb6nWs3E"])
    );
    // The invoice's own shipping details are what Stripe prints as the
    // deliver-to, before the customer's shipping (kept as it was).
    assert_eq!(
        c["delivery"],
        json!({"party_name": "Mari Halvorsen",
               "address": {"lines": ["Bakklandet 7", "Leilighet 2"], "city": "Trondheim",
                           "postal_code": "7013", "country": "NO"}})
    );
    assert_eq!(c["extensions"]["stripe"]["customer_shipping"], invoice["customer_shipping"]);
    assert_eq!(c["extensions"]["stripe"]["shipping_details"], invoice["shipping_details"]);
    assert_eq!(
        c["buyer"],
        json!({"name": "Ingrid Halvorsen", "contact": {"email": "ingrid.halvorsen@example.no"},
               "address": {"lines": ["Kalfarveien 31"], "city": "Bergen", "postal_code": "5018", "country": "NO"}})
    );
    assert_eq!(m.to_vendor(c).unwrap().value, invoice);
    // The deliver-to read from shipping_details is not written as the
    // customer's shipping: an edit is reported.
    let mut edited = c.clone();
    edited["delivery"]["party_name"] = json!("M. Halvorsen");
    let out = m.to_vendor(&edited).unwrap();
    assert_eq!(out.value, invoice);
    assert_eq!(
        losses_at(&out.losses, "/delivery/party_name"),
        [(
            LossKind::Unsupported,
            "the Stripe invoice cannot carry this value: it comes back as \"Mari Halvorsen\""
        )]
    );
    // Made elsewhere, the connected account is written as the issuer.
    let mut bare = c.clone();
    bare.as_object_mut().unwrap().remove("extensions");
    let out = m.to_vendor(&bare).unwrap();
    assert_eq!(out.value["issuer"], json!({"type": "account", "account": "acct_1Rk7WpFjd0Ly5Kq2"}));
    assert_eq!(out.value.get("on_behalf_of"), None);
    assert_eq!(
        (&out.value["account_name"], &out.value["account_country"]),
        (&json!("Fjordlys Keramikk AS"), &json!("NO"))
    );
    assert_eq!(out.value["customer_shipping"]["name"], "Mari Halvorsen");
    assert_eq!(out.losses, []);
}

#[test]
fn connected_accounts_are_each_one_ref_and_come_back_as_they_were() {
    let registry = registry();
    let m = registry.get("stripe", "invoice").unwrap();
    let base = fixture("invoice", "connect_issuer_on_behalf_of");
    let refs = |v: &Value| -> Vec<String> {
        m.to_canonical(v).unwrap().value["seller"]["external_refs"]
            .as_array()
            .map(|a| a.iter().map(|r| r["id"].as_str().unwrap().to_owned()).collect())
            .unwrap_or_default()
    };
    // Two accounts: the issuer's first.
    let mut two = base.clone();
    two["on_behalf_of"] = json!("acct_1Sx2PlatformShop");
    assert_eq!(refs(&two), ["acct_1Rk7WpFjd0Ly5Kq2", "acct_1Sx2PlatformShop"]);
    // on_behalf_of alone (issued by the platform itself, type self).
    let mut only = base.clone();
    only["issuer"] = json!({"type": "self"});
    assert_eq!(refs(&only), ["acct_1Rk7WpFjd0Ly5Kq2"]);
    // An expanded account is referenced by its id and kept whole.
    let mut expanded = base.clone();
    expanded["on_behalf_of"] = json!({"id": "acct_1Rk7WpFjd0Ly5Kq2", "object": "account",
        "business_profile": {"name": "Fjordlys Keramikk"}, "country": "NO"});
    let mapped = m.to_canonical(&expanded).unwrap();
    assert_eq!(kinds_at(&mapped.losses, "/on_behalf_of"), [LossKind::Lossy]);
    assert_eq!(refs(&expanded), ["acct_1Rk7WpFjd0Ly5Kq2"]);
    // No account named: the seller is the account itself, without a ref.
    let mut own = base.clone();
    own["issuer"] = json!({"type": "self"});
    own["on_behalf_of"] = Value::Null;
    assert!(refs(&own).is_empty());
    for (name, payload) in
        [("two", two), ("on_behalf_of", only), ("expanded", expanded), ("self", own)]
    {
        let report = conformance::check(m, &[(name.to_owned(), payload)]);
        assert!(report.is_ok(), "{report}");
    }
}

#[test]
fn an_address_without_a_country_is_left_out_kept_and_reported() {
    let registry = registry();
    let m = registry.get("stripe", "invoice").unwrap();
    let mut invoice = fixture("invoice", "eur_multi_tax_discount_open");
    invoice["customer_address"]["country"] = Value::Null;
    invoice["customer_shipping"]["address"]["country"] = json!("Germany");
    invoice["account_country"] = Value::Null;
    let mapped = m.to_canonical(&invoice).unwrap();
    let c = &mapped.value;
    assert!(c["buyer"].get("address").is_none(), "{}", c["buyer"]);
    assert_eq!(c["buyer"]["name"], "Kranich Logistik GmbH");
    assert!(c["delivery"].get("address").is_none());
    assert_eq!(c["delivery"]["party_name"], "Kranich Logistik GmbH, Lager Hamburg");
    assert_eq!(c["seller"], json!({"name": "Ledgerline Inc."}));
    assert_eq!(
        losses_at(&mapped.losses, "/customer_address/country"),
        [(
            LossKind::Incomplete,
            "the address has no country, which a canonical address needs: /buyer/address is left out (the address is kept in extensions)"
        )]
    );
    assert_eq!(
        losses_at(&mapped.losses, "/customer_shipping/address/country"),
        [(
            LossKind::Lossy,
            "\"Germany\" is not an ISO 3166-1 alpha-2 country code: /delivery/address is left out (the address is kept in extensions)"
        )]
    );
    assert_eq!(c["extensions"]["stripe"]["customer_address"], invoice["customer_address"]);
    let report = conformance::check(m, &[("no country".to_owned(), invoice)]);
    assert!(report.is_ok(), "{report}");
}

#[test]
fn a_customer_address_without_a_country_is_left_out_as_on_invoices() {
    let registry = registry();
    let m = registry.get("stripe", "customer").unwrap();
    let mut customer = fixture("customer", "us_company_basic");
    customer["address"]["country"] = Value::Null;
    let mapped = m.to_canonical(&customer).unwrap();
    assert!(mapped.value.get("addresses").is_none(), "{}", mapped.value);
    assert_eq!(
        losses_at(&mapped.losses, "/address/country"),
        [(
            LossKind::Incomplete,
            "the address has no country, which a canonical address needs: /addresses/0 is left out (the address is kept in extensions)"
        )]
    );
    assert_eq!(mapped.value["extensions"]["stripe"]["address"], customer["address"]);
    let report = conformance::check(m, &[("no country".to_owned(), customer)]);
    assert!(report.is_ok(), "{report}");
}

#[test]
fn a_customer_tax_id_without_a_value_is_refused_where_it_is() {
    let mut invoice = fixture("invoice", "eur_multi_tax_discount_open");
    invoice["customer_tax_ids"][1]["value"] = Value::Null;
    let err = registry().get("stripe", "invoice").unwrap().to_canonical(&invoice).unwrap_err();
    assert!(
        matches!(&err, MappingError::InvalidInput { pointer, message, .. }
            if pointer == "/customer_tax_ids/1/value"
                && message == "expected the tax id's value (a canonical tax id needs one), but found null"),
        "{err:?}"
    );
    let mut untyped = fixture("invoice", "eur_multi_tax_discount_open");
    untyped["customer_tax_ids"][0].as_object_mut().unwrap().remove("type");
    let err = registry().get("stripe", "invoice").unwrap().to_canonical(&untyped).unwrap_err();
    assert!(
        matches!(&err, MappingError::InvalidInput { pointer, message, .. }
            if pointer == "/customer_tax_ids/0/type"
                && message == "expected the tax id's type (a canonical tax id needs one), but found none"),
        "{err:?}"
    );
}

#[test]
fn account_tax_ids_read_as_the_customer_tax_ids_do() {
    let registry = registry();
    let m = registry.get("stripe", "invoice").unwrap();
    let mut invoice = fixture("invoice", "parties_expanded_tax_ids_shipping");
    // Ids, expanded ids, a deleted one and types outside the table, mixed.
    invoice["account_tax_ids"] = json!([
        "txi_1Unexpanded",
        {"id": "txi_1Deleted", "object": "tax_id", "deleted": true},
        {"id": "txi_1Swiss", "object": "tax_id", "country": "CH", "type": "ch_uid", "value": "CHE-109.322.551 HR"},
        {"id": "txi_1Norway", "object": "tax_id", "country": "NO", "type": "no_vat", "value": "921456789MVA"},
        invoice["account_tax_ids"][0].clone()
    ]);
    let mapped = m.to_canonical(&invoice).unwrap();
    assert_eq!(
        mapped.value["seller"]["tax_ids"],
        json!([
            {"scheme": "legal_registration", "value": "CHE-109.322.551 HR", "country": "CH"},
            {"scheme": "other", "value": "921456789MVA", "country": "NO", "label": "no_vat"},
            {"scheme": "vat", "value": "NL859216743B01", "country": "NL", "label": "eu_vat"}
        ])
    );
    assert_eq!(kinds_at(&mapped.losses, "/account_tax_ids/0"), [LossKind::Incomplete]);
    assert!(
        kinds_at(&mapped.losses, "/account_tax_ids/1").is_empty(),
        "a deleted tax id is no tax id"
    );
    assert_eq!(kinds_at(&mapped.losses, "/account_tax_ids/3/type"), [LossKind::Fallback]);
    let report = conformance::check(m, &[("mixed account tax ids".to_owned(), invoice)]);
    assert!(report.is_ok(), "{report}");
    // One table for both lists: the file's customer_tax_ids rule is the
    // customer mapper's tax_ids rule.
    let table = |file: &str, list: &str| -> Value {
        let text =
            canonical_finance::vendors::stripe::FILES.iter().find(|(f, _)| *f == file).unwrap().1;
        let spec: Value = serde_json::from_str(text).unwrap();
        let rule = spec["rules"].as_array().unwrap().iter().find(|r| r["vendor"] == list).unwrap();
        rule["each"][0]["enum"].clone()
    };
    assert_eq!(
        table("mappings/stripe/invoice.json", "/customer_tax_ids"),
        table("mappings/stripe/customer.json", "/tax_ids/data")
    );
}

#[test]
fn an_invoice_made_elsewhere_says_which_party_fields_stripe_cannot_hold() {
    let registry = registry();
    let m = registry.get("stripe", "invoice").unwrap();
    let mut invoice = canonical_example("invoice/delivery_and_payee.json");
    invoice["counterparty"] = stripe_ref("customer", "cus_1");
    let out = m.to_vendor(&invoice).unwrap();
    let o = &out.value;
    assert_eq!(
        (&o["account_name"], &o["account_country"]),
        (&json!("Bohnenwerk Kaffeeservice GmbH"), &json!("DE"))
    );
    // The seller's tax ids as expanded tax ids without an id (Stripe needs
    // them created on the account), the Stripe type by scheme and country.
    assert_eq!(
        o["account_tax_ids"],
        json!([{"object": "tax_id", "type": "eu_vat", "value": "DE811907980"},
               {"object": "tax_id", "type": "de_stn", "value": "27/604/01829", "country": "DE"}])
    );
    for i in [0, 1] {
        assert_eq!(kinds_at(&out.losses, &format!("/seller/tax_ids/{i}")), [LossKind::Incomplete]);
    }
    // A legal registration whose label is an ISO 6523 scheme (0002) and
    // without a country: no Stripe type fits.
    assert_eq!(
        losses_at(&out.losses, "/seller/tax_ids/2"),
        [(
            LossKind::Unsupported,
            "no Stripe tax id type is a legal_registration id without a country: the tax id is not written (Stripe requires a type)"
        )]
    );
    assert_eq!(o["customer_name"], invoice["buyer"]["name"]);
    assert_eq!(o["customer_tax_ids"], json!([{"type": "eu_vat", "value": "FR40303265045"}]));
    assert_eq!(o["customer_shipping"]["name"], invoice["delivery"]["party_name"]);
    // What no Stripe invoice field holds is reported, each where it is.
    for path in [
        "/seller/address/lines/0",
        "/seller/address/city",
        "/seller/identifiers/0/value",
        "/seller/electronic_address/value",
        "/seller/contact/name",
        "/buyer/electronic_address/value",
        "/delivery/date",
        "/delivery/location_id/value",
        "/payee/name",
        "/specification",
    ] {
        assert_eq!(
            kinds_at(&out.losses, path),
            [LossKind::Unsupported],
            "{path}: {:?}",
            out.losses
        );
    }
    // The Stripe payload written reads back with what it holds.
    let back = m.to_canonical(o).unwrap().value;
    assert_eq!(back["buyer"]["address"], invoice["buyer"]["address"]);
    assert_eq!(back["delivery"]["address"], invoice["delivery"]["address"]);
    assert_eq!(back["seller"]["tax_ids"][0]["value"], "DE811907980");
}

#[test]
fn a_credit_note_has_no_parties_of_its_own() {
    // Stripe's credit note names its invoice and customer; it carries no
    // account or customer details, so the mapper gives no seller or buyer
    // (the invoice's are on the invoice), and a record's are reported.
    let registry = registry();
    let m = registry.get("stripe", "credit_note").unwrap();
    for (name, note) in fixtures("credit_note") {
        let c = m.to_canonical(&note).unwrap().value;
        for part in ["seller", "buyer", "delivery"] {
            assert!(c.get(part).is_none(), "{name}: {part}");
        }
        assert!(c["lines"].as_array().unwrap().iter().all(|l| l["unit_of_measure"] == "C62"));
    }
    let mut note = made_elsewhere("credit_note", "issued_post_payment_refund_usd");
    note["seller"] = json!({"name": "Ledgerline Inc.", "address": {"country": "US"}});
    note["buyer"] = json!({"name": "Northwind Analytics, Inc."});
    let out = m.to_vendor(&note).unwrap();
    for path in ["/seller/name", "/seller/address/country", "/buyer/name"] {
        assert_eq!(kinds_at(&out.losses, path), [LossKind::Unsupported], "{path}");
    }
}

#[test]
fn an_item_name_comes_from_an_expanded_product_only() {
    let registry = registry();
    let m = registry.get("stripe", "invoice").unwrap();
    // 2020-08-27 shape: the line's price with its product expanded.
    let mut invoice = fixture("invoice", "old_shape_2020_08_27");
    let product = invoice["lines"]["data"][0]["price"]["product"].as_str().unwrap().to_owned();
    invoice["lines"]["data"][0]["price"]["product"] =
        json!({"id": product, "object": "product", "name": "Analytics Pro seat", "active": true});
    let c = m.to_canonical(&invoice).unwrap().value;
    assert_eq!(c["lines"][0]["item"]["name"], "Analytics Pro seat");
    assert_eq!(c["lines"][0]["item"]["external_refs"][0]["id"], json!(product));
    // No invented names: the description is the line's description.
    let plain = m.to_canonical(&fixture("invoice", "old_shape_2020_08_27")).unwrap().value;
    assert!(plain["lines"][0]["item"].get("name").is_none());
    let report = conformance::check(m, &[("expanded product".to_owned(), invoice)]);
    assert!(report.is_ok(), "{report}");
}

#[test]
fn untaxed_outside_scope_lines_have_no_rate_whatever_the_reason() {
    // Stripe Tax names why nothing was charged: not collecting there is
    // outside the scope of tax, with no rate on the lines, the discount's
    // allowance or the breakdown.
    let registry = registry();
    let m = registry.get("stripe", "invoice").unwrap();
    let mut invoice = fixture("invoice", "eur_multi_tax_discount_open");
    // No VAT ids and no other category beside outside scope (BR-O-02..04,
    // BR-O-11..14).
    invoice["customer_tax_ids"] = json!([]);
    for i in [0, 1] {
        let tax = &mut invoice["lines"]["data"][i]["taxes"][0];
        tax["amount"] = json!(0);
        tax["taxability_reason"] = json!("not_collecting");
        invoice["total_taxes"][i]["amount"] = json!(0);
        invoice["total_taxes"][i]["taxability_reason"] = json!("not_collecting");
    }
    for key in ["total", "amount_due", "amount_remaining"] {
        invoice[key] = json!(50940);
    }
    let c = m.to_canonical(&invoice).unwrap().value;
    for line in c["lines"].as_array().unwrap() {
        assert_eq!(line["tax_category"], "outside_scope");
        assert!(line.get("tax_rate").is_none(), "{line}");
    }
    let outside: Vec<&Value> = c["allowances_charges"]
        .as_array()
        .unwrap()
        .iter()
        .chain(c["tax_breakdown"].as_array().unwrap())
        .collect();
    assert_eq!(outside.len(), 2, "one allowance, one breakdown entry: {outside:?}");
    for x in outside {
        assert!(x.get("tax_rate").is_none() && x.get("rate").is_none(), "{x}");
        assert!(x["tax_category"] == "outside_scope" || x["category"] == "outside_scope", "{x}");
    }
    let report = conformance::check(m, &[("not collecting".to_owned(), invoice)]);
    assert!(report.is_ok(), "{report}");
}

#[test]
fn a_cancelled_invoice_payment_applies_nothing_and_keeps_its_invoice() {
    let registry = registry();
    let m = registry.get("stripe", "invoice_payment").unwrap();
    let canceled = fixture("invoice_payment", "canceled");
    let mapped = m.to_canonical(&canceled).unwrap();
    let c = &mapped.value;
    assert_eq!(c["status"], "cancelled");
    assert!(c.get("applications").is_none(), "{c}");
    // The invoice Stripe names is kept, so nothing is lost and it comes back.
    assert_eq!(c["extensions"]["stripe"]["invoice"], canceled["invoice"]);
    assert_eq!(m.to_vendor(c).unwrap().value, canceled);
    let typed: Payment = json::from_value(c).unwrap();
    assert_eq!(canonical_finance::validate::Validate::validate(&typed).errors().count(), 0);
    // A paid one applies its amount.
    let paid = m.to_canonical(&fixture("invoice_payment", "paid_charge")).unwrap().value;
    assert_eq!(paid["applications"].as_array().map(Vec::len), Some(1));
    // The other payment objects never apply anything: no rule maps an
    // invoice (the 2020-08-27 `invoice` of a charge or payment intent stays
    // in extensions), cancelled or failed alike.
    for (object, name, status) in [
        ("payment_intent", "succeeded_card", "canceled"),
        ("payment_intent", "requires_payment_method_declined", "requires_payment_method"),
        ("charge", "failed_card_declined", "failed"),
    ] {
        let mut payload = fixture(object, name);
        payload["status"] = json!(status);
        payload["invoice"] = json!("in_1VoidedInvoice");
        let mapper = registry.get("stripe", object).unwrap();
        let c = mapper.to_canonical(&payload).unwrap().value;
        assert!(c.get("applications").is_none(), "{object}/{name}");
        let report = conformance::check(mapper, &[(name.to_owned(), payload)]);
        assert!(report.is_ok(), "{report}");
    }
}
