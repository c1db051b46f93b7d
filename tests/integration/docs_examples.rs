//! The documentation's worked examples are real: the files they show are the
//! files in the repository, and they do what the text says.

use std::path::Path;

use canonical_finance::json::{self, Value};
use canonical_finance::mapping::Registry;
use canonical_finance::model::Entity;
use canonical_finance::validate::{Profile, validate_json};

fn root() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR"))
}

fn read(path: &str) -> String {
    std::fs::read_to_string(root().join(path)).unwrap()
}

/// The bodies of the fenced blocks of `lang` in a Markdown text, in order.
fn fenced(text: &str, lang: &str) -> Vec<String> {
    let mut blocks = Vec::new();
    let mut current: Option<String> = None;
    for line in text.lines() {
        match &mut current {
            None if line.trim_end() == format!("```{lang}") => current = Some(String::new()),
            None => {}
            Some(_) if line.trim_end() == "```" => blocks.extend(current.take()),
            Some(body) => {
                body.push_str(line);
                body.push('\n');
            }
        }
    }
    blocks
}

#[test]
fn the_mapping_worked_example_shows_the_files_as_they_are() {
    let readme = read("mappings/README.md");
    let blocks = fenced(&readme, "json");
    let bill = read("examples/data/acme-bill.json");
    let mapping = read("examples/mappings/acme/bill.json");
    assert!(blocks.iter().any(|b| b.trim() == bill.trim()), "the bill is not shown as it is");
    assert!(blocks.iter().any(|b| b.trim() == mapping.trim()), "the mapping is not shown as it is");
}

#[test]
fn the_worked_example_maps_to_a_valid_invoice_and_back_to_the_same_bill() {
    let mut registry = Registry::builtin().unwrap();
    registry.load_dir(&root().join("examples/mappings")).unwrap();
    let mapper = registry.get("acme", "bill").unwrap();
    let bill = read("examples/data/acme-bill.json");

    let mapped = mapper.to_canonical_str(&bill).unwrap();
    // The one loss the text names: an instant read as a day.
    assert_eq!(mapped.losses.len(), 1);
    assert_eq!(mapped.losses[0].path, "/date");
    let report =
        validate_json(Entity::Invoice, &json::to_string(&mapped.value), Profile::default())
            .unwrap();
    assert_eq!(report.errors().count(), 0, "{:?}", report.violations());
    assert_eq!(
        mapped.value["totals"]["amount_due"],
        canonical_finance::json!({"amount": "21.00", "currency": "EUR"})
    );

    let back = mapper.to_vendor(&mapped.value).unwrap();
    assert!(back.losses.is_empty(), "{:?}", back.losses);
    assert_eq!(back.value, json::parse(&bill).unwrap());
}

#[test]
fn the_readme_payments_file_has_one_line_that_breaks_a_rule() {
    let text = read("examples/data/payments.ndjson");
    let verdicts: Vec<Vec<(&str, String)>> = text
        .lines()
        .map(|line| {
            let report = validate_json(Entity::Payment, line, Profile::default()).unwrap();
            report.errors().map(|v| (v.code, v.path.clone())).collect()
        })
        .collect();
    let empty: Vec<(&str, String)> = Vec::new();
    assert_eq!(
        verdicts,
        [
            empty.clone(),
            empty.clone(),
            empty.clone(),
            empty,
            vec![("PAY-APPLIED-SUM", "/unapplied_amount".to_owned())]
        ]
    );
    // The first four are the schema's examples, as they are.
    let examples = [
        "card_payment_with_fee",
        "partial_payment_two_invoices",
        "refund",
        "supplier_bill_payment",
    ];
    for (line, name) in text.lines().zip(examples) {
        let file: Value =
            json::parse(&read(&format!("schemas/examples/payment/{name}.json"))).unwrap();
        assert_eq!(json::parse(line).unwrap(), file, "{name}");
    }
}
