//! Documents in parts (`parts`, `mapping::parts`), on the in-house ledger
//! order in `tests/fixtures/mapping-language/`: lines sent as records of
//! their own are put in the order and taken out again, each naming it; a
//! sublist fetched by its link goes inside the link object.

use canonical_finance::json;
use canonical_finance::json::Value;
use canonical_finance::mapping::{MappingError, Registry, parts};

fn ledger() -> Registry {
    let mut r = Registry::new();
    r.load_dir(std::path::Path::new("tests/fixtures/mapping-language")).unwrap();
    r
}

fn header() -> Value {
    json!({"Key": "O-7", "Customer": "C-3", "Currency": "EUR", "Total": 75.00,
           "Memo": {"links": [{"rel": "self", "href": "/order/O-7/memo"}]}})
}

fn lines() -> Vec<Value> {
    vec![
        json::parse(
            r#"{"OrderKey": "O-7", "Ref": "1", "Qty": 2, "Price": 25.00, "Amount": 50.00}"#,
        )
        .unwrap(),
        json::parse(
            r#"{"OrderKey": "O-7", "Ref": "2", "Qty": 1, "Price": 25.00, "Amount": 25.00}"#,
        )
        .unwrap(),
    ]
}

#[test]
fn lines_sent_apart_map_as_the_expanded_order_does() {
    let r = ledger();
    let m = r.get("ledger", "Order").unwrap();
    let whole = parts::assemble(m, &header(), "OrderLine", &lines()).unwrap();
    let mut expanded = header();
    expanded["Lines"] = Value::Array(lines());
    assert_eq!(whole, expanded);
    let c = m.to_canonical(&whole).unwrap().value;
    assert_eq!(c["lines"][1]["net_amount"], json!({"amount": "25.00", "currency": "EUR"}));
    assert_eq!(c["totals"]["line_net_total"], json!({"amount": "75.00", "currency": "EUR"}));
}

#[test]
fn the_way_back_splits_the_order_and_every_line_names_it() {
    let r = ledger();
    let m = r.get("ledger", "Order").unwrap();
    let whole = parts::assemble(m, &header(), "OrderLine", &lines()).unwrap();
    let mut c = m.to_canonical(&whole).unwrap().value;
    // A line added in the canonical record.
    let mut added = c["lines"][1].clone();
    added.as_object_mut().unwrap().remove("extensions");
    added["id"] = json!("3");
    c["lines"].as_array_mut().unwrap().push(added);
    let back = m.to_vendor(&c).unwrap().value;
    let (order, split) = parts::split(m, &back).unwrap();
    assert_eq!(order["Key"], "O-7");
    assert_eq!(order.get("Lines"), None);
    assert_eq!(split.len(), 1);
    let (object, records) = &split[0];
    assert_eq!(object, "OrderLine");
    assert_eq!(&records[..2], &lines()[..]);
    assert_eq!(records[2]["OrderKey"], "O-7", "the new line names its order");
    assert_eq!(records[2]["Ref"], "3");
}

#[test]
fn a_sublist_fetched_by_its_link_goes_inside_the_link_object() {
    let r = ledger();
    let m = r.get("ledger", "Order").unwrap();
    let notes = vec![json!({"text": "Deliver before noon"})];
    let whole = parts::assemble(m, &header(), "OrderNote", &notes).unwrap();
    assert_eq!(whole["Memo"]["links"], header()["Memo"]["links"]);
    assert_eq!(whole["Memo"]["items"], Value::Array(notes.clone()));
    let (order, split) = parts::split(m, &whole).unwrap();
    assert_eq!(order, header());
    assert_eq!(split, vec![("OrderNote".to_owned(), notes)]);
}

#[test]
fn a_line_of_another_order_or_an_unknown_part_is_an_error_naming_it() {
    let r = ledger();
    let m = r.get("ledger", "Order").unwrap();
    let mut wrong = lines();
    wrong[1]["OrderKey"] = json!("O-8");
    match parts::assemble(m, &header(), "OrderLine", &wrong) {
        Err(MappingError::InvalidInput { pointer, message, .. }) => {
            assert_eq!(pointer, "/OrderLine/1/OrderKey");
            assert_eq!(
                message,
                "expected \"O-7\" (the Order Key this OrderLine belongs to), but found \"O-8\""
            );
        }
        other => panic!("{other:?}"),
    }
    match parts::assemble(m, &header(), "Shipment", &[]) {
        Err(MappingError::InvalidInput { message, .. }) => {
            assert_eq!(message, "expected one of OrderLine, OrderNote, but found `Shipment`");
        }
        other => panic!("{other:?}"),
    }
    let mut headless = header();
    headless.as_object_mut().unwrap().remove("Key");
    assert!(parts::assemble(m, &headless, "OrderLine", &lines()).is_err());
    let mut not_a_list = header();
    not_a_list["Lines"] = json!({"Ref": "1"});
    match parts::split(m, &not_a_list) {
        Err(MappingError::InvalidInput { pointer, message, .. }) => {
            assert_eq!(pointer, "/Lines");
            assert!(message.starts_with("expected the OrderLine records as an array"), "{message}");
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn parts_fail_at_load_naming_the_place_and_the_problem() {
    let load = |parts: &str| {
        let text = format!(
            r#"{{"vendor": "ledger", "object": "Bad", "entity": "customer", "parts": [{parts}], "rules": [{{"vendor": "/id", "canonical": "/id"}}]}}"#
        );
        Registry::new().load_str("ledger/bad.json", &text)
    };
    let cases = [
        (r#"{"object": "L", "at": "lines"}"#, "/parts/0/at", "expected a JSON Pointer"),
        (
            r#"{"object": "L", "at": "/l", "key": "/k"}"#,
            "/parts/0",
            "`key` and `parent` go together",
        ),
        (
            r#"{"object": "L", "at": "/l"}, {"object": "L", "at": "/m"}"#,
            "/parts/1/object",
            "`L` is an earlier part",
        ),
    ];
    for (parts, pointer, message) in cases {
        match load(parts) {
            Err(MappingError::InvalidSpec { pointer: p, message: m, .. }) => {
                assert_eq!(p, pointer, "{parts}: {m}");
                assert!(m.contains(message), "{parts}: {m:?} does not contain {message:?}");
            }
            other => panic!("{parts}: expected InvalidSpec, got {other:?}"),
        }
    }
}
