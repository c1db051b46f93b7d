//! Joins, tenant tables and conditions (`joins`, `table`, `if`), on the
//! in-house taxed order in `tests/fixtures/mapping-language/`: tax lines
//! sent apart from the lines they tax are joined to them by key and go back
//! to their own array; a currency named by id is read through the tenant's
//! table; a rule under `if` applies only where its field says so, both ways.

use canonical_finance::json;
use canonical_finance::json::Value;
use canonical_finance::mapping::{Crosswalk, LossKind, Mapper, MappingError, Registry};

fn ledger() -> Registry {
    let mut r = Registry::new();
    r.load_dir(std::path::Path::new("tests/fixtures/mapping-language")).unwrap();
    r
}

fn tenant() -> Crosswalk {
    let mut cw = Crosswalk::new();
    cw.set_tenant_value("ledger", "/Currencies", json!({"9": "EUR", "4": "NOK"}));
    cw.set_tenant_value(
        "ledger",
        "/TaxCodes",
        json!({"S25": {"category": "standard"}, "Z": {"category": "zero_rated"}}),
    );
    cw
}

fn parse(text: &str) -> Value {
    json::parse(text).unwrap()
}

/// Two lines taxed apart (their tax lines in line order) and one not taxed.
fn order() -> Value {
    json::parse(
        r#"{"Key": "T-1", "Customer": "C-3", "CurrencyId": "4", "Total": 312.50,
            "Lines": [
              {"Ref": "a", "Qty": 2, "Price": 50.00, "Amount": 100.00},
              {"Ref": "b", "Qty": 1, "Price": 150.00, "Amount": 150.00},
              {"Ref": "c", "Qty": 1, "Price": 12.50, "Amount": 12.50, "Taxable": false}
            ],
            "TaxLines": [
              {"LineRef": "a", "Code": "S25", "Rate": 25, "Amount": 25.00, "Basis": 100.00},
              {"LineRef": "b", "Code": "S25", "Rate": 25, "Amount": 37.50, "Basis": 150.00}
            ]}"#,
    )
    .unwrap()
}

#[test]
fn each_line_reads_the_tax_line_that_names_it() {
    let r = ledger();
    let cw = tenant();
    let m = cw.wrap(r.get("ledger", "TaxedOrder").unwrap());
    let mut payload = order();
    // Listed out of line order, with one naming no line of the order.
    payload["TaxLines"] = parse(
        r#"[{"LineRef": "b", "Code": "S25", "Rate": 25, "Amount": 37.50, "Basis": 150.00},
            {"LineRef": "zz", "Code": "Z", "Rate": 0, "Amount": 0.00},
            {"LineRef": "a", "Code": "S25", "Rate": 25, "Amount": 25.00, "Basis": 100.00}]"#,
    );
    let c = m.to_canonical(&payload).unwrap().value;
    assert_eq!(c["currency"], "NOK");
    let tax = |i: usize| {
        let l = &c["lines"][i];
        (
            l["tax_code"].clone(),
            l["tax_category"].clone(),
            l["tax_rate"].clone(),
            l["tax_amount"].clone(),
        )
    };
    let nok = |a: &str| json!({"amount": a, "currency": "NOK"});
    assert_eq!(tax(0), (json!("S25"), json!("standard"), json!("25"), nok("25.00")));
    assert_eq!(tax(1), (json!("S25"), json!("standard"), json!("25"), nok("37.50")));
    assert_eq!(tax(2), (Value::Null, json!("exempt"), json!("0"), Value::Null));
    // What the rules do not read of a tax line stays with its line; the
    // entry that names no line stays where it was.
    assert_eq!(
        c["extensions"]["ledger"]["Lines"][0]["Tax"],
        parse(r#"[{"LineRef": "a", "Basis": 100.00}]"#)
    );
    assert_eq!(
        c["extensions"]["ledger"]["TaxLines"],
        parse(r#"[{"LineRef": "zz", "Code": "Z", "Rate": 0, "Amount": 0.00}]"#)
    );
    assert_eq!(
        c["tax_breakdown"],
        json!([
            {"category": "standard", "rate": "25", "taxable_amount": nok("250.00"), "tax_amount": nok("62.50")},
            {"category": "exempt", "rate": "0", "taxable_amount": nok("12.50"), "tax_amount": nok("0.00"),
             "exemption_reason": "Not taxable"}
        ])
    );
    // The way back: the joined entries after the one left, in line order.
    let back = m.to_vendor(&c).unwrap();
    assert_eq!(back.losses, vec![]);
    assert_eq!(
        back.value["TaxLines"],
        parse(
            r#"[{"LineRef": "zz", "Code": "Z", "Rate": 0, "Amount": 0.00},
                {"LineRef": "a", "Code": "S25", "Rate": 25, "Amount": 25.00, "Basis": 100.00},
                {"LineRef": "b", "Code": "S25", "Rate": 25, "Amount": 37.50, "Basis": 150.00}]"#
        )
    );
    assert!(back.value["Lines"].as_array().unwrap().iter().all(|l| l.get("Tax").is_none()));
}

#[test]
fn an_order_in_line_order_comes_back_whole() {
    let r = ledger();
    let cw = tenant();
    let m = cw.wrap(r.get("ledger", "TaxedOrder").unwrap());
    let c = m.to_canonical(&order()).unwrap();
    assert_eq!(c.losses, vec![]);
    let back = m.to_vendor(&c.value).unwrap();
    assert_eq!(back.losses, vec![]);
    assert_eq!(back.value, order());
}

#[test]
fn a_record_made_elsewhere_gets_no_invented_tax_lines() {
    let r = ledger();
    let cw = tenant();
    let m = cw.wrap(r.get("ledger", "TaxedOrder").unwrap());
    let mut c = m.to_canonical(&order()).unwrap().value;
    c.as_object_mut().unwrap().remove("extensions");
    for line in c["lines"].as_array_mut().unwrap() {
        line.as_object_mut().unwrap().remove("extensions");
    }
    let back = m.to_vendor(&c).unwrap();
    assert_eq!(back.value.get("TaxLines"), None);
    assert_eq!(
        back.value["Lines"][2],
        parse(r#"{"Ref": "c", "Qty": 1, "Price": 12.50, "Amount": 12.50}"#)
    );
    assert_eq!(back.value["CurrencyId"], "4");
    // Neither a Tax member nor a Taxable flag was there to say which form
    // each line's tax takes: its tax is reported, and so is the breakdown,
    // which does not come back.
    let lines: Vec<(&str, LossKind)> = back
        .losses
        .iter()
        .filter(|l| l.path.starts_with("/lines/"))
        .map(|l| (l.path.as_str(), l.kind))
        .collect();
    let unsupported = LossKind::Unsupported;
    assert_eq!(
        lines,
        vec![
            ("/lines/0/tax_category", unsupported),
            ("/lines/0/tax_rate", unsupported),
            ("/lines/0/tax_code", unsupported),
            ("/lines/0/tax_amount/amount", unsupported),
            ("/lines/0/tax_amount/currency", unsupported),
            ("/lines/1/tax_category", unsupported),
            ("/lines/1/tax_rate", unsupported),
            ("/lines/1/tax_code", unsupported),
            ("/lines/1/tax_amount/amount", unsupported),
            ("/lines/1/tax_amount/currency", unsupported),
            ("/lines/2/tax_category", unsupported),
            ("/lines/2/tax_rate", unsupported),
        ]
    );
    assert!(back.losses.iter().any(|l| l.path == "/tax_breakdown/0/category"));
}

#[test]
fn a_code_the_tenant_table_lacks_is_an_error_there_and_a_loss_back() {
    let r = ledger();
    let cw = tenant();
    let m = cw.wrap(r.get("ledger", "TaxedOrder").unwrap());
    let mut payload = order();
    payload["CurrencyId"] = json!("77");
    match m.to_canonical(&payload) {
        Err(MappingError::InvalidInput { pointer, message, .. }) => {
            assert_eq!(pointer, "/CurrencyId");
            assert_eq!(
                message,
                "code `77` is not in the tenant table at ^/Currencies: put the tenant's table there with Crosswalk::set_tenant_value"
            );
        }
        other => panic!("{other:?}"),
    }
    let mut c = m.to_canonical(&order()).unwrap().value;
    c["currency"] = json!("SEK");
    let back = m.to_vendor(&c).unwrap();
    let loss = back.losses.iter().find(|l| l.path == "/currency").unwrap();
    assert_eq!(
        loss.reason,
        "ledger TaxedOrder names it by code, and the tenant's table at ^/Currencies has no code for \"SEK\": put the tenant's table there with Crosswalk::set_tenant_value"
    );
}

#[test]
fn a_line_that_already_holds_the_joined_member_is_an_error() {
    let r = ledger();
    let cw = tenant();
    let m = cw.wrap(r.get("ledger", "TaxedOrder").unwrap());
    let mut payload = order();
    payload["Lines"][1]["Tax"] = json!("own");
    match m.to_canonical(&payload) {
        Err(MappingError::InvalidInput { pointer, message, .. }) => {
            assert_eq!(pointer, "/Lines/1/Tax");
            assert_eq!(
                message,
                "expected nothing here: the entries of /TaxLines that name this record go here"
            );
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn joins_tables_and_conditions_that_cannot_work_do_not_load() {
    let file = |joins: &str, rule: &str| {
        format!(
            r#"{{"vendor": "ledger", "object": "X", "entity": "invoice"{joins}, "rules": [
                {{"vendor": "/K", "canonical": "/id"}}, {rule}]}}"#
        )
    };
    let cases = [
        (
            String::new(),
            r#"{"vendor": "/C", "canonical": "/currency", "table": "/Currencies"}"#,
            "/rules/1/table",
            "expected the tenant table's place from the root, `^` first (`^/Currencies`)",
        ),
        (
            String::new(),
            r#"{"vendor": "/C", "canonical": "/currency", "table": "^/Currencies", "transform": "to_upper"}"#,
            "/rules/1/table",
            "`table` only goes with a plain copy of the code (no transform, no lookup)",
        ),
        (
            String::new(),
            r#"{"if": {"field": ""}, "vendor": "/C", "canonical": "/currency"}"#,
            "/rules/1/if/field",
            "expected a JSON Pointer starting with `/`, but found ``",
        ),
        (
            r#", "joins": [{"into": "/L", "key": "/R", "from": "/T", "on": "/R", "as": ""}]"#
                .to_owned(),
            r#"{"vendor": "/C", "canonical": "/currency"}"#,
            "/joins/0/as",
            "expected a JSON Pointer starting with `/`, but found ``",
        ),
        (
            r#", "parts": [{"object": "L", "at": "/L", "key": "/K", "parent": "/K", "transform": "no_such"}]"#
                .to_owned(),
            r#"{"vendor": "/C", "canonical": "/currency"}"#,
            "/parts/0/transform",
            "expected a built-in transform that takes no arguments, such as `salesforce_id`, but found `no_such`",
        ),
        (
            String::new(),
            r#"{"vendor": "/C", "canonical": "/counterparty", "reference": {"type": "customer", "id": "/id"}, "transform": "salesforce_id"}"#,
            "/rules/1/transform",
            "a `transform` goes with a reference by id",
        ),
        (
            String::new(),
            r#"{"vendor": "/S", "canonical": "/seller", "reference": {"type": "subsidiary", "id": "/id", "display": "/refName"}}"#,
            "/rules/1/reference/display",
            "has no `display`",
        ),
        (
            String::new(),
            r#"{"vendor": "/C", "canonical": "/currency"}, {"vendor": "/D", "canonical": "/currency", "if": {"field": "/D"}}"#,
            "/rules/2/canonical",
            "both write /currency",
        ),
    ];
    for (joins, rule, pointer, message) in cases {
        let mut r = Registry::new();
        match r.load_str("ledger/x.json", &file(&joins, rule)) {
            Err(MappingError::InvalidSpec { pointer: p, message: m, .. }) => {
                assert_eq!(p, pointer, "{rule}: {m}");
                assert!(m.contains(message), "{rule}: {m:?} does not contain {message:?}");
            }
            other => panic!("{rule}: expected InvalidSpec, got {other:?}"),
        }
    }
}

#[test]
fn the_joins_of_a_file_are_read_by_the_mapper_not_by_its_caller() {
    // The caller hands over the payload as the vendor sent it.
    let r = ledger();
    let m: &dyn Mapper = r.get("ledger", "TaxedOrder").unwrap();
    let mut payload = order();
    payload["Currencies"] = json!({"4": "NOK"});
    payload["TaxCodes"] = json!({"S25": {"category": "standard"}});
    let c = m.to_canonical(&payload).unwrap().value;
    assert_eq!(c["lines"][1]["tax_amount"], json!({"amount": "37.50", "currency": "NOK"}));
}

fn purchase() -> Value {
    parse(
        r#"{"Key": "P-4", "Supplier": "V-2", "Currency": "USD", "Total": 415.00,
            "Goods": [{"Ref": "1", "Sku": "BOLT", "Qty": 200, "Price": 1.85, "Amount": 370.00}],
            "Costs": {"count": 1, "items": [{"Account": "5600", "Amount": 45.00}]}}"#,
    )
}

#[test]
fn two_arrays_of_one_list_are_its_lines_and_go_back_to_their_arrays() {
    let r = ledger();
    let m = r.get("ledger", "Purchase").unwrap();
    let c = m.to_canonical(&purchase()).unwrap();
    assert_eq!(c.losses, vec![]);
    let lines = c.value["lines"].as_array().unwrap();
    let usd = |a: &str| json!({"amount": a, "currency": "USD"});
    assert_eq!(lines.len(), 2);
    assert_eq!(
        (lines[0]["id"].clone(), lines[0]["net_amount"].clone()),
        (json!("1"), usd("370.00"))
    );
    assert_eq!(
        (
            lines[1]["account_code"].clone(),
            lines[1]["quantity"].clone(),
            lines[1]["unit_price"].clone()
        ),
        (json!("5600"), json!("1"), usd("45"))
    );
    // Neither line says anything of tax: both are outside its scope.
    assert!(
        lines.iter().all(|l| l["tax_category"] == "outside_scope" && l.get("tax_rate").is_none())
    );
    assert_eq!(
        c.value["tax_breakdown"],
        json!([{"category": "outside_scope", "taxable_amount": usd("415.00"), "tax_amount": usd("0.00"),
                "exemption_reason": "No tax on this purchase"}])
    );
    let back = m.to_vendor(&c.value).unwrap();
    assert_eq!(back.losses, vec![]);
    assert_eq!(back.value, purchase());
    // A line added in the canonical record goes to the first array.
    let mut added = c.value.clone();
    let mut line = lines[0].clone();
    line.as_object_mut().unwrap().remove("extensions");
    line["id"] = json!("2");
    added["lines"].as_array_mut().unwrap().push(line);
    let back = m.to_vendor(&added).unwrap().value;
    assert_eq!(back["Goods"][1]["Ref"], "2");
    assert_eq!(back["Costs"]["items"].as_array().unwrap().len(), 1);
    assert_eq!(back.get("$lines"), None);
}

#[test]
fn a_record_that_holds_the_tag_already_is_an_error() {
    let r = ledger();
    let m = r.get("ledger", "Purchase").unwrap();
    let mut payload = purchase();
    payload["Costs"]["items"][0]["$kind"] = json!("mine");
    match m.to_canonical(&payload) {
        Err(MappingError::InvalidInput { pointer, message, .. }) => {
            assert_eq!(pointer, "/Costs/items/0/$kind");
            assert_eq!(message, "expected nothing here: the mapping file tags each record here");
        }
        other => panic!("{other:?}"),
    }
    let mut r = Registry::new();
    let file = r#"{"vendor": "ledger", "object": "X", "entity": "invoice",
        "gathers": [{"into": "/$l", "by": "/$t", "from": [{"tag": "a", "at": "/A"}, {"tag": "a", "at": "/B"}]}],
        "rules": [{"vendor": "/K", "canonical": "/id"}]}"#;
    match r.load_str("ledger/x.json", file) {
        Err(MappingError::InvalidSpec { pointer, message, .. }) => {
            assert_eq!(pointer, "/gathers/0/from/1/tag");
            assert_eq!(message, "expected a tag of its own, but found `a`");
        }
        other => panic!("{other:?}"),
    }
}

fn batch() -> Vec<Value> {
    parse(
        r#"[{"Ref": "1", "Doc": "J-1", "Day": "2026-03-31", "Account": "6120", "Amount": 25.00, "Offset": ""},
            {"Ref": "2", "Doc": "J-2", "Day": "2026-03-31", "Account": "1100", "Amount": -7.50, "Offset": "6830"},
            {"Ref": "3", "Doc": "J-1", "Day": "2026-03-31", "Account": "2450", "Amount": -25.00, "Offset": ""}]"#,
    )
    .into_array()
    .unwrap()
}

#[test]
fn lines_of_one_document_are_one_entry_and_an_offset_posts_the_other_side() {
    let r = ledger();
    let m = r.get("ledger", "BatchLine").unwrap();
    let wholes = canonical_finance::mapping::parts::group(m, &batch()).unwrap();
    assert_eq!(wholes.len(), 2);
    assert_eq!(wholes[0]["Lines"].as_array().unwrap().len(), 2);
    let mut with_ccy = wholes[1].clone();
    with_ccy["Ccy"] = json!("EUR");
    let c = m.to_canonical(&with_ccy).unwrap();
    assert_eq!(c.losses, vec![]);
    let eur = |a: &str| json!({"amount": a, "currency": "EUR"});
    let lines: Vec<(Value, Value, Value, Value)> = c.value["lines"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            (l["id"].clone(), l["account_code"].clone(), l["side"].clone(), l["amount"].clone())
        })
        .collect();
    // The twin: the offset account, the opposite side, no id of its own.
    assert_eq!(
        lines,
        vec![
            (json!("2"), json!("1100"), json!("credit"), eur("7.50")),
            (Value::Null, json!("6830"), json!("debit"), eur("7.50")),
        ]
    );
    let back = m.to_vendor(&c.value).unwrap();
    assert_eq!(back.losses, vec![]);
    assert_eq!(back.value, with_ccy);
    // A blank offset makes no twin; the way back gives each line the
    // document's number and date, which the record says.
    let mut first = wholes[0].clone();
    first["Ccy"] = json!("EUR");
    let mut c = m.to_canonical(&first).unwrap().value;
    assert_eq!(c["lines"].as_array().unwrap().len(), 2);
    c["posting_date"] = json!("2026-04-01");
    let back = m.to_vendor(&c).unwrap().value;
    let lines = canonical_finance::mapping::parts::ungroup(m, &back).unwrap();
    assert!(lines.iter().all(|l| l["Day"] == "2026-04-01" && l["Doc"] == "J-1"));
}

#[test]
fn a_record_without_its_group_value_cannot_be_grouped() {
    let r = ledger();
    let m = r.get("ledger", "BatchLine").unwrap();
    let mut lines = batch();
    lines[2].as_object_mut().unwrap().remove("Doc");
    match canonical_finance::mapping::parts::group(m, &lines) {
        Err(MappingError::InvalidInput { pointer, message, .. }) => {
            assert_eq!(pointer, "/2/Doc");
            assert_eq!(message, "expected the value its document shares");
        }
        other => panic!("{other:?}"),
    }
    let other = r.get("ledger", "TaxedOrder").unwrap();
    match canonical_finance::mapping::parts::group(other, &lines) {
        Err(MappingError::InvalidInput { message, .. }) => {
            assert_eq!(message, "expected a group of ledger TaxedOrder, but it has none");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn an_amount_written_negative_in_a_currency_the_record_does_not_carry() {
    let r = ledger();
    let mut cw = Crosswalk::new();
    cw.set_tenant_value("ledger", "/LocalCurrency", json!("GBP"));
    cw.set_tenant_value("ledger", "/InvoiceCurrencies", json!({"inv-7": "EUR"}));
    let m = cw.wrap(r.get("ledger", "Receipt").unwrap());
    let applied =
        parse(r#"{"Key": "R-1", "Day": "2026-03-02", "Amount": -1000.00, "Invoice": "inv-7"}"#);
    let c = m.to_canonical(&applied).unwrap();
    assert_eq!(c.losses, vec![]);
    assert_eq!(c.value["amount"], json!({"amount": "1000.00", "currency": "EUR"}));
    assert_eq!(
        c.value["applications"][0]["amount"],
        json!({"amount": "1000.00", "currency": "EUR"})
    );
    let back = m.to_vendor(&c.value).unwrap();
    assert_eq!(back.losses, vec![]);
    assert_eq!(back.value, applied);
    // Applied to nothing ("none" is no value): the company's currency, and
    // no application.
    let on_account =
        parse(r#"{"Key": "R-2", "Day": "2026-03-03", "Amount": -250, "Invoice": "none"}"#);
    let c = m.to_canonical(&on_account).unwrap().value;
    assert_eq!(c["amount"], json!({"amount": "250", "currency": "GBP"}));
    assert_eq!(c.get("applications"), None);
    assert_eq!(m.to_vendor(&c).unwrap().value, on_account);
    // A record made elsewhere: the amount is written negative, and no
    // currency is written anywhere.
    let made = json!({"id": "R-3", "direction": "received", "status": "completed",
                      "payment_date": "2026-03-04", "amount": {"amount": "12.50", "currency": "GBP"}});
    let back = m.to_vendor(&made).unwrap();
    assert_eq!(back.value, parse(r#"{"Key": "R-3", "Day": "2026-03-04", "Amount": -12.50}"#));
}

#[test]
fn a_currency_in_no_place_names_every_place_it_was_looked_for() {
    let r = ledger();
    let m = r.get("ledger", "Receipt").unwrap();
    match m.to_canonical(&parse(r#"{"Key": "R-1", "Day": "2026-03-02", "Amount": -1}"#)) {
        Err(MappingError::InvalidInput { pointer, message, .. }) => {
            assert_eq!(pointer, "/Invoice");
            assert_eq!(message, "expected a currency code at one of /Invoice, ^/LocalCurrency");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_total_for_the_whole_quantity_is_a_unit_price_and_back() {
    let r = ledger();
    let m = r.get("ledger", "Deal").unwrap();
    let deal = parse(
        r#"{"Key": "D-1", "Customer": "C-1", "Ccy": "GBP",
            "Lines": [{"Qty": 12, "Total": 12600.00}, {"Qty": 3, "Total": 100.00}]}"#,
    );
    let c = m.to_canonical(&deal).unwrap();
    assert_eq!(c.losses, vec![]);
    let gbp = |a: &str| json!({"amount": a, "currency": "GBP"});
    assert_eq!(c.value["lines"][0]["unit_price"], gbp("1050"));
    // A third of 100.00, to the 20th place; the total as written comes back.
    assert_eq!(c.value["lines"][1]["unit_price"], gbp("33.33333333333333333333"));
    assert_eq!(m.to_vendor(&c.value).unwrap().value, deal);
    // A record made elsewhere: the total is the unit price × the quantity.
    let made = json!({"id": "D-2", "customer": {"id": "C-1"}, "currency": "GBP", "status": "active",
                      "lines": [{"quantity": "4", "unit_price": {"amount": "12.50", "currency": "GBP"}}]});
    let back = m.to_vendor(&made).unwrap().value;
    assert_eq!(back["Lines"], parse(r#"[{"Qty": 4, "Total": 50.00}]"#));
    // No quantity to divide by is an error naming it.
    let zero = parse(
        r#"{"Key": "D-3", "Customer": "C-1", "Ccy": "GBP", "Lines": [{"Qty": 0, "Total": 5.00}]}"#,
    );
    match m.to_canonical(&zero) {
        Err(MappingError::InvalidInput { pointer, message, .. }) => {
            assert_eq!(pointer, "/Lines/0/Qty");
            assert_eq!(message, "expected a quantity other than zero, to divide the amount by");
        }
        other => panic!("{other:?}"),
    }
}

/// JSON shaped like the payloads joins, gathers, twins and groups reshape:
/// the member names they read, in any arrangement.
fn shaped_json() -> impl proptest::strategy::Strategy<Value = Value> {
    use proptest::prelude::*;
    let leaf = prop_oneof![
        Just(Value::Null),
        any::<bool>().prop_map(Value::Bool),
        any::<i32>().prop_map(Value::from),
        Just(json!(12.5)),
        Just(json!("a")),
        Just(json!("b")),
        Just(json!("4")),
        Just(json!("S25")),
        Just(json!("")),
        Just(json!("none")),
    ];
    leaf.prop_recursive(4, 40, 5, |inner| {
        prop_oneof![
            prop::collection::vec(inner.clone(), 0..4).prop_map(Value::Array),
            prop::collection::btree_map(
                prop_oneof![
                    Just("Lines".to_owned()),
                    Just("TaxLines".to_owned()),
                    Just("Goods".to_owned()),
                    Just("Costs".to_owned()),
                    Just("items".to_owned()),
                    Just("Ref".to_owned()),
                    Just("LineRef".to_owned()),
                    Just("Tax".to_owned()),
                    Just("$kind".to_owned()),
                    Just("$offset".to_owned()),
                    Just("Offset".to_owned()),
                    Just("Amount".to_owned()),
                    Just("Doc".to_owned()),
                    Just("Invoice".to_owned()),
                    Just("Qty".to_owned()),
                    Just("Total".to_owned()),
                    Just("CurrencyId".to_owned()),
                    Just("Ccy".to_owned()),
                ],
                inner,
                0..6,
            )
            .prop_map(|m| Value::Object(m.into_iter().collect())),
        ]
    })
}

proptest::proptest! {
    #![proptest_config(proptest::prelude::ProptestConfig { cases: 256, ..Default::default() })]

    #[test]
    fn no_reshaping_mapper_panics_on_any_json(input in shaped_json(), lines in proptest::collection::vec(shaped_json(), 0..5)) {
        let r = ledger();
        let cw = tenant();
        for object in ["TaxedOrder", "Purchase", "BatchLine", "Receipt", "Deal"] {
            let mapper = cw.wrap(r.get("ledger", object).unwrap());
            let mut inputs = vec![input.clone()];
            // The well-formed payloads, damaged by the input at each place.
            for good in [order(), purchase()] {
                let mut damaged = good.clone();
                if let (Some(map), Some(extra)) = (damaged.as_object_mut(), input.as_object()) {
                    for (k, v) in extra {
                        map.insert(k.clone(), v.clone());
                    }
                }
                inputs.push(good);
                inputs.push(damaged);
            }
            let panicked = canonical_finance::mapping::conformance::no_panic(&mapper, &inputs);
            proptest::prop_assert!(panicked.is_empty(), "{object} panicked on {:?}", panicked);
            // Grouping any records gives wholes or an error, never a panic.
            let _ = canonical_finance::mapping::parts::group(&mapper, &lines);
            let _ = canonical_finance::mapping::parts::ungroup(&mapper, &input);
        }
    }
}
