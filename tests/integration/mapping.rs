//! The mapping framework: mapping-file loading and its errors, the engine's
//! rules, losses and lossless round trips, the registry.

use std::sync::Arc;

use canonical_finance::json;
use canonical_finance::json::Value;
use canonical_finance::mapping::{
    DeclarativeMapper, LossKind, MappingError, Registry, Transform, conformance,
};
use canonical_finance::model::{Customer, Entity, Invoice};

/// A small in-house ERP's invoice, covering every rule kind.
const ACME_INVOICE: &str = r#"{
  "vendor": "acme",
  "object": "bill",
  "entity": "invoice",
  "rules": [
    {"vendor": "/type", "constant": "BILL"},
    {"vendor": "/no", "canonical": "/id"},
    {"vendor": "/no", "canonical": "/number"},
    {"vendor": "/no", "canonical": "/external_refs", "external_ref": "bill"},
    {"canonical": "/kind", "constant": "invoice"},
    {"vendor": "/state", "canonical": "/status", "enum": {"OPEN": "issued", "PAID": "paid", "DRAFT": "draft"},
     "fallback": "issued", "reverse_fallback": "OPEN"},
    {"vendor": ["/client", "/customer_id"], "canonical": "/counterparty", "reference": "client"},
    {"vendor": "/date", "canonical": "/issue_date", "transform": "unix_seconds_date"},
    {"vendor": "/ccy", "canonical": "/currency", "transform": "to_upper"},
    {"vendor": "/notes", "canonical": "/notes", "transform": {"name": "split", "separator": "|"}},
    {"vendor": "/items", "canonical": "/lines", "each": [
      {"vendor": "/qty", "canonical": "/quantity", "transform": "decimal"},
      {"vendor": "/price", "canonical": "/unit_price", "money": {"currency": "^/ccy", "encoding": "decimal", "currency_case": "lower"}},
      {"vendor": "/net", "canonical": "/net_amount", "money": {"currency": "^/ccy", "encoding": "decimal", "currency_case": "lower"}},
      {"canonical": "/tax_category", "constant": "outside_scope"}
    ]},
    {"vendor": "/total", "canonical": "/totals/line_net_total", "money": {"currency": "/ccy", "encoding": "decimal", "currency_case": "lower"}},
    {"vendor": "/total", "canonical": "/totals/total_without_tax", "money": {"currency": "/ccy", "encoding": "decimal", "currency_case": "lower"}},
    {"vendor": "/tax", "canonical": "/totals/tax_total", "money": {"currency": "/ccy", "encoding": "decimal", "currency_case": "lower"}, "note": "zero"},
    {"vendor": "/total", "canonical": "/totals/total_with_tax", "money": {"currency": "/ccy", "encoding": "decimal", "currency_case": "lower"}},
    {"vendor": "/due", "canonical": "/totals/amount_due", "money": {"currency": "/ccy", "encoding": "decimal", "currency_case": "lower"}}
  ]
}"#;

fn acme() -> Registry {
    let mut r = Registry::new();
    r.load_str("acme/bill.json", ACME_INVOICE).unwrap();
    r
}

fn bill() -> Value {
    serde_json::from_str(
        r#"{"type": "BILL", "no": "B-1", "state": "OPEN", "client": "C-9", "date": 1764069001,
            "ccy": "eur", "notes": "first|second", "legacy_flag": true, "extra": {"a": null, "b": [1, 2]},
            "items": [{"qty": "2", "price": 10.50, "net": 21.00, "sku": "X1"},
                      {"qty": "0.5", "price": 4.00, "net": 2.00}],
            "total": 23.00, "tax": 0, "due": 23.00}"#,
    )
    .unwrap()
}

#[test]
fn a_declarative_mapping_round_trips_losslessly_and_reports_what_changed() {
    let registry = acme();
    let mapper = registry.get("acme", "bill").unwrap();
    let mapped = mapper.to_canonical(&bill()).unwrap();
    let c = &mapped.value;
    assert_eq!(c["id"], "B-1");
    assert_eq!(c["status"], "issued");
    assert_eq!(
        c["counterparty"],
        json!({"external_refs": [{"system": "acme", "object_type": "client", "id": "C-9"}]})
    );
    assert_eq!(c["issue_date"], "2025-11-25");
    assert_eq!(c["notes"], json!(["first", "second"]));
    assert_eq!(c["lines"][0]["unit_price"], json!({"amount": "10.50", "currency": "EUR"}));
    assert_eq!(c["lines"][1]["quantity"], "0.5");
    // Unmapped vendor fields are kept, element by element.
    assert_eq!(c["extensions"]["acme"]["legacy_flag"], true);
    assert_eq!(c["extensions"]["acme"]["items"][0], json!({"sku": "X1"}));
    // The time of day is dropped from the date: reported, and kept.
    assert_eq!(mapped.losses.len(), 1, "{:?}", mapped.losses);
    assert_eq!((mapped.losses[0].kind, mapped.losses[0].path.as_str()), (LossKind::Lossy, "/date"));

    let back = mapper.to_vendor(c).unwrap();
    assert_eq!(back.value, bill());

    // Edit the canonical date: the new date wins over the kept original.
    let mut edited = c.clone();
    edited["issue_date"] = json!("2025-12-01");
    let back = mapper.to_vendor(&edited).unwrap();
    assert_eq!(back.value["date"], 1764547200);

    // Typed access checks the entity.
    let typed = registry.to_canonical_as::<Invoice>("acme", "bill", &bill()).unwrap();
    assert_eq!(typed.value.lines.len(), 2);
    let err = registry.to_canonical_as::<Customer>("acme", "bill", &bill()).unwrap_err();
    assert!(err.to_string().contains("the mapper produces invoice, not customer"), "{err}");
}

#[test]
fn alternatives_enum_fallbacks_and_unsupported_fields_are_reported() {
    let registry = acme();
    let mapper = registry.get("acme", "bill").unwrap();
    let mut old = bill();
    let obj = old.as_object_mut().unwrap();
    obj.remove("client");
    obj.insert("customer_id", json!("C-7"));
    obj.insert("state", json!("DISPUTED"));
    let mapped = mapper.to_canonical(&old).unwrap();
    assert_eq!(mapped.value["counterparty"]["external_refs"][0]["id"], "C-7");
    assert!(
        mapped.losses.iter().any(|l| l.kind == LossKind::Fallback && l.path == "/state"),
        "{:?}",
        mapped.losses
    );
    // The alternative that was read is the one written back.
    assert_eq!(mapper.to_vendor(&mapped.value).unwrap().value, old);

    // A canonical field the vendor cannot hold is a loss on the way out.
    let mut c = mapper.to_canonical(&bill()).unwrap().value;
    c["purchase_order"] = json!("PO-1");
    c["status"] = json!("void");
    let out = mapper.to_vendor(&c).unwrap();
    assert_eq!(out.value["state"], "OPEN");
    let kinds: Vec<(LossKind, &str)> =
        out.losses.iter().map(|l| (l.kind, l.path.as_str())).collect();
    assert!(kinds.contains(&(LossKind::Unsupported, "/purchase_order")), "{kinds:?}");
    assert!(kinds.contains(&(LossKind::Fallback, "/status")), "{kinds:?}");
}

#[test]
fn the_acme_mapper_passes_the_conformance_suite() {
    let registry = acme();
    let report =
        conformance::check(registry.get("acme", "bill").unwrap(), &[("bill".to_owned(), bill())]);
    // The test ERP writes no tax breakdown: validation must say exactly
    // that, and every other check must pass.
    assert_eq!(report.fixtures, 1);
    assert_eq!(report.failures.len(), 1, "{report}");
    let failure = &report.failures[0];
    assert_eq!(failure.check, "validation", "{report}");
    assert!(failure.message.contains("INV-TAX-GROUP"), "{report}");
}

fn load_error(text: &str) -> MappingError {
    let mut r = Registry::new();
    r.load_str("mappings/acme/bad.json", text).unwrap_err()
}

#[test]
fn bad_mapping_files_fail_at_load_time_naming_file_place_and_problem() {
    let base = |rules: &str| {
        format!(r#"{{"vendor": "acme", "object": "bill", "entity": "invoice", "rules": {rules}}}"#)
    };
    let cases = [
        (
            base(r#"[{"vendor": "/a", "canonical": "/b", "transform": "rot13"}]"#),
            "/rules/0/transform",
            "unknown transform `rot13`: expected one of country, datetime_date, decimal, decimal_number, dotnet_date",
        ),
        (
            base(r#"[{"vendor": "a", "canonical": "/b"}]"#),
            "/rules/0/vendor",
            "expected a JSON Pointer starting with `/`, but found `a`",
        ),
        (
            base(
                r#"[{"vendor": "/a", "canonical": "/b", "enum": {"X": "y"}, "money": {"currency": "/c"}}]"#,
            ),
            "/rules/0",
            "expected one of constant, enum, money, reference, external_ref, each, collect, members, cases, fields, object, present, flags or transform, but found enum and money",
        ),
        (
            base(r#"[{"vendor": "/a", "canonical": "/b", "fallback": "x"}]"#),
            "/rules/0/fallback",
            "`fallback` only goes with `enum`",
        ),
        (
            base(
                r#"[{"vendor": "/x", "canonical": "/lines", "each": [{"vendor": "/q", "canonical": "/quantity", "transform": {"name": "split"}}]}]"#,
            ),
            "/rules/0/each/0/transform",
            "`split` needs a `separator` argument",
        ),
        (base(r#"[{"vendr": "/a"}]"#), "/rules/0/vendr", "but found the unknown field `vendr`"),
        (
            r#"{"vendor": "Acme", "object": "bill", "entity": "invoice", "rules": []}"#.to_owned(),
            "/vendor",
            "expected a lower-case vendor name",
        ),
        (
            r#"{"vendor": "acme", "object": "bill", "entity": "ledger", "rules": []}"#.to_owned(),
            "/entity",
            "but found `ledger`",
        ),
    ];
    for (text, pointer, message) in cases {
        match load_error(&text) {
            MappingError::InvalidSpec { file, pointer: p, message: m } => {
                assert_eq!(file, "mappings/acme/bad.json");
                assert_eq!(p, pointer, "{m}");
                assert!(m.contains(message), "{m:?} does not contain {message:?}");
            }
            other => panic!("expected InvalidSpec, got {other}"),
        }
    }
    let shown = load_error(&base(r#"[{"vendor": "/a", "canonical": "/b", "transform": "rot13"}]"#))
        .to_string();
    assert!(shown.starts_with("invalid mapping file mappings/acme/bad.json at /rules/0/transform: unknown transform `rot13`"), "{shown}");
}

#[test]
fn the_registry_names_what_exists_and_refuses_duplicates() {
    let mut registry = acme();
    let err = registry.get("acme", "invoice").unwrap_err();
    assert_eq!(err.to_string(), "no mapper for acme invoice: expected one of acme/bill");
    assert!(err.is_configuration());
    let err = registry.for_entity("acme", Entity::Payment).unwrap_err();
    assert_eq!(
        err.to_string(),
        "no acme mapper for the payment entity: expected one of acme/bill → invoice"
    );
    let dup = registry.load_str("again.json", ACME_INVOICE).unwrap_err();
    assert_eq!(
        dup.to_string(),
        "invalid mapping file again.json at /object: a mapper for acme bill is already registered, by acme/bill.json"
    );
    assert!(dup.is_configuration());
    assert_eq!(registry.for_entity("acme", Entity::Invoice).unwrap().len(), 1);
}

/// A transform registered at run time, used by a mapping file.
struct Cents;

impl Transform for Cents {
    fn forward(&self, vendor: &Value) -> Result<Value, String> {
        let cents = vendor.as_i64().ok_or("expected an integer")?;
        Ok(json!(format!("{}.{:02}", cents / 100, cents % 100)))
    }
    fn reverse(&self, canonical: &Value) -> Result<Value, String> {
        let s = canonical.as_str().ok_or("expected a string")?;
        let (whole, frac) = s.split_once('.').ok_or("expected a decimal")?;
        Ok(json!(
            whole.parse::<i64>().map_err(|e| e.to_string())? * 100
                + frac.parse::<i64>().map_err(|e| e.to_string())?
        ))
    }
}

#[test]
fn custom_transforms_are_available_to_files_loaded_after_them() {
    let spec = r#"{"vendor": "acme", "object": "limit", "entity": "customer", "rules": [
        {"vendor": "/id", "canonical": "/id"},
        {"vendor": "/name", "canonical": "/display_name"},
        {"canonical": "/kind", "constant": "organization"},
        {"canonical": "/status", "constant": "active"},
        {"vendor": "/limit_cents", "canonical": "/credit_limit/amount", "transform": "cents"},
        {"vendor": "/ccy", "canonical": "/credit_limit/currency"}
    ]}"#;
    let mut registry = Registry::new();
    assert!(
        registry.load_str("limit.json", spec).is_err(),
        "cents is unknown before it is registered"
    );
    registry.register_transform("cents", Arc::new(Cents));
    registry.load_str("limit.json", spec).unwrap();
    let vendor = json!({"id": "A1", "name": "Acme", "limit_cents": 1234567, "ccy": "EUR"});
    let c = registry.to_canonical_as::<Customer>("acme", "limit", &vendor).unwrap().value;
    assert_eq!(c.credit_limit.unwrap().to_string(), "12345.67 EUR");
    let mapper = registry.get("acme", "limit").unwrap();
    let back = mapper.to_vendor(&mapper.to_canonical(&vendor).unwrap().value).unwrap();
    assert_eq!(back.value, vendor);
}

/// The generated mapping-file schema, ready to check files with.
fn mapping_schema_validator() -> jsonschema::Validator {
    let root = env!("CARGO_MANIFEST_DIR");
    let schema: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(format!("{root}/schemas/mapping/mapping-file.schema.json"))
            .unwrap(),
    )
    .unwrap();
    jsonschema::options().with_draft(jsonschema::Draft::Draft202012).build(&schema).unwrap()
}

#[test]
fn every_built_in_mapping_file_matches_the_mapping_schema() {
    let validator = mapping_schema_validator();
    let mut seen = 0;
    let files = || {
        canonical_finance::vendors::stripe::FILES
            .iter()
            .chain(canonical_finance::vendors::quickbooks::FILES)
            .chain(canonical_finance::vendors::xero::FILES)
            .chain(canonical_finance::vendors::business_central::FILES)
            .chain(canonical_finance::vendors::netsuite::FILES)
            .chain(canonical_finance::vendors::salesforce::FILES)
    };
    for (file, text) in files() {
        let doc: serde_json::Value = serde_json::from_str(text).unwrap();
        let errors: Vec<String> =
            validator.iter_errors(&doc).map(|e| format!("{e} at {}", e.instance_path())).collect();
        assert!(errors.is_empty(), "{file}: {errors:?}");
        seen += 1;
    }
    assert!(seen >= 1);
    // And a directory of files loads at run time.
    let mut registry = Registry::new();
    let loaded = registry
        .load_dir(std::path::Path::new(&format!("{}/mappings", env!("CARGO_MANIFEST_DIR"))))
        .unwrap();
    assert_eq!(loaded.len(), files().count());
}

#[test]
fn a_vendor_constant_rejects_the_wrong_kind_of_payload() {
    let registry = Registry::builtin().unwrap();
    let err = registry
        .get("stripe", "customer")
        .unwrap()
        .to_canonical(&json!({"object": "charge", "id": "ch_1"}))
        .unwrap_err();
    assert_eq!(
        err.to_string(),
        "cannot map stripe customer at /object: expected \"customer\", but found \"charge\""
    );
}

#[test]
fn mapping_errors_name_what_was_found_by_kind_never_by_a_persons_data() {
    let registry = Registry::builtin().unwrap();
    let customer = registry.get("stripe", "customer").unwrap();
    let cases = [
        (
            json!({"object": "customer", "id": "cus_1", "name": {"first": "Ada", "last": "Lovelace"}}),
            "stripe customer mapped to an invalid customer at /display_name: expected a string, but found an object",
        ),
        (
            json!({"object": "customer", "id": "cus_1", "email": ["ada@example.com"]}),
            "stripe customer mapped to an invalid customer at /email: expected a string, but found an array",
        ),
        (
            json!({"object": "customer", "id": "cus_1", "tax_ids": {"object": "list", "data": "DE 123 456 789 Ada Lovelace"}}),
            "cannot map stripe customer at /tax_ids/data: expected an array, but found a string of 27 characters",
        ),
        (
            json!({"object": "customer", "id": "cus_1", "tax_ids": {"object": "list", "data": [{"type": "eu_vat", "value": {"Lovelace": "DE123"}}]}}),
            "stripe customer mapped to an invalid customer at /tax_ids/0/value: expected a string, but found an object",
        ),
    ];
    for (payload, expected) in cases {
        let err = customer.to_canonical(&payload).unwrap_err().to_string();
        assert_eq!(err, expected);
        assert!(!err.contains("Ada") && !err.contains("DE123"), "{err}");
    }
}

/// A mapper that breaks the contract: it forgets unmapped fields, it
/// panics on a number where a name belongs, and its owned entry points
/// answer otherwise than the borrowing ones.
struct Careless;

impl canonical_finance::mapping::Mapper for Careless {
    fn vendor(&self) -> &str {
        "careless"
    }
    fn object(&self) -> &str {
        "client"
    }
    fn entity(&self) -> Entity {
        Entity::Customer
    }
    fn to_canonical(
        &self,
        vendor: &Value,
    ) -> Result<canonical_finance::mapping::Mapped<Value>, MappingError> {
        let name = match vendor.get("name") {
            Some(Value::Number(_)) => panic!("a number for a name"),
            Some(v) => v.clone(),
            None => json!(""),
        };
        Ok(canonical_finance::mapping::Mapped::new(
            json!({"id": "c1", "kind": "organization", "status": "active", "display_name": name}),
            Vec::new(),
        ))
    }
    fn to_vendor(
        &self,
        canonical: &Value,
    ) -> Result<canonical_finance::mapping::Mapped<Value>, MappingError> {
        Ok(canonical_finance::mapping::Mapped::new(
            json!({"name": canonical["display_name"]}),
            Vec::new(),
        ))
    }
    fn to_canonical_owned(
        &self,
        vendor: Value,
    ) -> Result<canonical_finance::mapping::Mapped<Value>, MappingError> {
        let mut mapped = self.to_canonical(&vendor)?;
        mapped.value["display_name"] = json!("changed on the owned path");
        Ok(mapped)
    }
    fn to_vendor_owned(
        &self,
        canonical: Value,
    ) -> Result<canonical_finance::mapping::Mapped<Value>, MappingError> {
        let _ = canonical;
        Ok(canonical_finance::mapping::Mapped::new(json!({}), Vec::new()))
    }
}

#[test]
fn the_conformance_suite_catches_a_mapper_that_breaks_the_contract() {
    let report = conformance::check(
        &Careless,
        &[("client".to_owned(), json!({"name": "Acme", "vat": "DE1"}))],
    );
    let checks: Vec<&str> = report.failures.iter().map(|f| f.check).collect();
    assert!(checks.contains(&"round_trip"), "{report}");
    assert!(checks.contains(&"no_panic"), "{report}");
    let round_trip = report.failures.iter().find(|f| f.check == "round_trip").unwrap();
    assert!(round_trip.message.contains("/vat is missing"), "{report}");
    let owned: Vec<&str> = report
        .failures
        .iter()
        .filter(|f| f.check == "deterministic")
        .map(|f| f.message.as_str())
        .collect();
    assert_eq!(
        owned,
        [
            "to_canonical_owned differs from to_canonical",
            "to_vendor_owned differs from to_vendor",
            "to_vendor_owned differs from to_vendor"
        ],
        "{report}"
    );
}

/// The place and message of a load error, or a failure naming what came
/// instead.
fn spec_error(file: &str, text: &str) -> (String, String) {
    let mut r = Registry::new();
    match r.load_str(file, text) {
        Err(MappingError::InvalidSpec { file: f, pointer, message }) => {
            assert_eq!(f, file, "{message}");
            (pointer, message)
        }
        other => panic!("expected InvalidSpec, got {other:?}"),
    }
}

/// A customer file with `rules` (a JSON array's text).
fn customer_file(rules: &str) -> String {
    format!(
        r#"{{"vendor": "acme", "object": "client", "entity": "customer", "rules": [
            {{"vendor": "/id", "canonical": "/id"}},
            {{"canonical": "/kind", "constant": "organization"}},
            {{"canonical": "/status", "constant": "active"}},
            {rules}]}}"#
    )
}

#[test]
fn two_rules_writing_one_canonical_field_fail_at_load_naming_both() {
    let (at, message) = spec_error(
        "clash.json",
        &customer_file(
            r#"{"vendor": "/name", "canonical": "/display_name"},
               {"vendor": "/nick", "canonical": "/display_name"}"#,
        ),
    );
    assert_eq!(at, "/rules/4/canonical", "{message}");
    assert!(message.contains("/rules/3 and /rules/4 both write /display_name"), "{message}");

    // One place inside another is a clash too, in either order.
    let (at, message) = spec_error(
        "clash.json",
        &customer_file(
            r#"{"vendor": "/name", "canonical": "/display_name"},
               {"vendor": "/a", "canonical": "/addresses"},
               {"vendor": "/c", "canonical": "/addresses/0/country"}"#,
        ),
    );
    assert_eq!(at, "/rules/5/canonical", "{message}");
    assert!(
        message.contains("/rules/4 writes /addresses and /rules/5 writes /addresses/0/country"),
        "{message}"
    );
    let (at, _) = spec_error(
        "clash.json",
        &customer_file(
            r#"{"vendor": "/name", "canonical": "/display_name"},
               {"vendor": "/c", "canonical": "/addresses/0/country"},
               {"vendor": "/a", "canonical": "/addresses"}"#,
        ),
    );
    assert_eq!(at, "/rules/5/canonical");

    // Inside `each`, relative to the element.
    let (at, message) = spec_error(
        "clash.json",
        &customer_file(
            r#"{"vendor": "/name", "canonical": "/display_name"},
               {"vendor": "/ids", "canonical": "/tax_ids", "each": [
                 {"vendor": "/v", "canonical": "/value"},
                 {"vendor": "/w", "canonical": "/value"}]}"#,
        ),
    );
    assert_eq!(at, "/rules/4/each/1/canonical", "{message}");
    assert!(message.contains("/rules/4/each/0 and /rules/4/each/1 both write /value"), "{message}");

    // Reference and external-ref rules add to a list: they may share it.
    let mut r = Registry::new();
    r.load_str(
        "refs.json",
        &customer_file(
            r#"{"vendor": "/name", "canonical": "/display_name"},
               {"vendor": "/id", "canonical": "/external_refs", "external_ref": "client"},
               {"vendor": "/old_id", "canonical": "/external_refs", "external_ref": "legacy_client"},
               {"vendor": "/parent", "canonical": "/parent", "reference": "client"},
               {"vendor": "/parent_legacy", "canonical": "/parent", "reference": "legacy_client"}"#,
        ),
    )
    .unwrap();
    let mapped = r
        .get("acme", "client")
        .unwrap()
        .to_canonical(&json!({"id": "C1", "old_id": "L1", "name": "A", "parent": "C0", "parent_legacy": "L0"}))
        .unwrap();
    assert_eq!(mapped.value["external_refs"].as_array().map(Vec::len), Some(2));
    assert_eq!(mapped.value["parent"]["external_refs"].as_array().map(Vec::len), Some(2));
}

#[test]
fn canonical_pointers_outside_the_entity_fail_at_load() {
    let cases = [
        (
            r#"{"vendor": "/a", "canonical": "/no_such_field"}"#,
            "/rules/3/canonical",
            "/no_such_field is not a place in the customer entity: expected one of addresses,",
        ),
        (
            r#"{"vendor": "/a", "canonical": "/display_name/first"}"#,
            "/rules/3/canonical",
            "/display_name holds no `first`",
        ),
        (
            r#"{"vendor": "/a", "canonical": "/addresses/first/city"}"#,
            "/rules/3/canonical",
            "/addresses holds no `first`",
        ),
        (
            r#"{"vendor": "/ids", "canonical": "/tax_ids", "each": [{"vendor": "/v", "canonical": "/vat"}]}"#,
            "/rules/3/each/0/canonical",
            "/vat is not a place in an element of /tax_ids in the customer entity",
        ),
        (
            r#"{"vendor": "/a", "canonical": "/email", "each": []}"#,
            "/rules/3/canonical",
            "expected an array for `each`, but /email",
        ),
        (
            r#"{"vendor": "/a", "canonical": "/email", "reference": "client"}"#,
            "/rules/3/canonical",
            "expected a reference (a place with external_refs) for `reference`",
        ),
        // extensions.<vendor> is where the engine keeps what no rule reads.
        (
            r#"{"vendor": "/a", "canonical": "/extensions/acme/a"}"#,
            "/rules/3/canonical",
            "expected a namespace of /extensions other than `acme`",
        ),
        (
            r#"{"vendor": "/a", "canonical": "/extensions"}"#,
            "/rules/3/canonical",
            "expected a place inside a namespace of /extensions",
        ),
        (
            r#"{"vendor": "/a", "canonical": "/extensions/Custom/a"}"#,
            "/rules/3/canonical",
            "expected an extension namespace",
        ),
    ];
    for (rule, pointer, message) in cases {
        let (at, m) = spec_error("mappings/acme/client.json", &customer_file(rule));
        assert_eq!(at, pointer, "{m}");
        assert!(m.contains(message), "{m:?} does not contain {message:?}");
    }

    // Array indexes, nested objects, `$ref`s, `anyOf`s and another
    // namespace of extensions are fine.
    let mut r = Registry::new();
    r.load_str(
        "ok.json",
        &customer_file(
            r#"{"vendor": "/name", "canonical": "/display_name"},
               {"vendor": "/country", "canonical": "/addresses/0/country"},
               {"vendor": "/limit", "canonical": "/credit_limit/amount"},
               {"vendor": "/terms", "canonical": "/payment_terms/net_days"},
               {"vendor": "/crm", "canonical": "/extensions/custom/crm_id"},
               {"vendor": "/ids", "canonical": "/tax_ids", "each": [{"vendor": "/v", "canonical": "/value"}]}"#,
        ),
    )
    .unwrap();
    let c = r
        .get("acme", "client")
        .unwrap()
        .to_canonical(&json!({"id": "C1", "name": "A", "crm": "X-1"}))
        .unwrap()
        .value;
    assert_eq!(c["extensions"]["custom"]["crm_id"], "X-1");
    // The built-in files pass the same checks.
    Registry::builtin().unwrap();
}

#[test]
fn enum_values_and_constants_outside_the_canonical_enum_fail_at_load() {
    let cases = [
        (
            r#"{"vendor": "/s", "canonical": "/status", "enum": {"A": "active", "B": "bogus"}}"#,
            "/rules/3/enum/B",
            "expected one of active, archived, blocked, inactive (the values of /status), but found `bogus`",
        ),
        (
            r#"{"vendor": "/s", "canonical": "/status", "enum": {"A": "active"}, "fallback": "gone"}"#,
            "/rules/3/fallback",
            "but found `gone`",
        ),
        (
            r#"{"vendor": "/s", "canonical": "/status", "default": "sleeping"}"#,
            "/rules/3/default",
            "expected one of active, archived, blocked, inactive (the values of /status), but found `sleeping`",
        ),
        (
            r#"{"canonical": "/kind", "constant": "company"}"#,
            "/rules/3/constant",
            "expected one of individual, organization (the values of /kind), but found `company`",
        ),
        (
            r#"{"vendor": "/ids", "canonical": "/tax_ids", "each": [
                 {"vendor": "/t", "canonical": "/scheme", "enum": {"eu_vat": "vat", "x": "y~/"}}]}"#,
            "/rules/3/each/0/enum/x",
            "(the values of /scheme), but found `y~/`",
        ),
        (
            r#"{"vendor": "/c", "canonical": "/default_currency", "enum": {"euro": "EURO"}}"#,
            "/rules/3/enum/euro",
            "in all) (the values of /default_currency), but found `EURO`",
        ),
    ];
    for (rule, pointer, message) in cases {
        // (A bad value is found before the clash with rule 1's /kind.)
        let (at, m) = spec_error("mappings/acme/client.json", &customer_file(rule));
        assert_eq!(at, pointer, "{m}");
        assert!(m.contains(message), "{m:?} does not contain {message:?}");
    }
}

#[test]
fn minor_units_the_engine_cannot_carry_both_ways_fail_at_load() {
    for units in [9, 20, 99] {
        let text = customer_file(r#"{"vendor": "/name", "canonical": "/display_name"}"#).replacen(
            r#""rules""#,
            &format!(r#""minor_units": {{"USD": {units}}}, "rules""#),
            1,
        );
        let (at, m) = spec_error("mappings/acme/client.json", &text);
        assert_eq!(at, "/minor_units/USD", "{m}");
        assert!(m.contains("expected minor units from 0 to 8"), "{m}");
        assert!(m.contains(&format!("but found {units}")), "{m}");
    }
    // 8 places carry an amount in and back out.
    let text = ACME_INVOICE.replacen(r#""rules""#, r#""minor_units": {"EUR": 8}, "rules""#, 1).replace(
        r#"{"vendor": "/due", "canonical": "/totals/amount_due", "money": {"currency": "/ccy", "encoding": "decimal", "currency_case": "lower"}}"#,
        r#"{"vendor": "/due", "canonical": "/totals/amount_due", "money": {"currency": "/ccy", "currency_case": "lower"}}"#,
    );
    let mut r = Registry::new();
    r.load_str("acme/bill.json", &text).unwrap();
    let mapper = r.get("acme", "bill").unwrap();
    let mut vendor = bill();
    vendor["due"] = json!(2_300_000_001i64);
    let c = mapper.to_canonical(&vendor).unwrap().value;
    assert_eq!(c["totals"]["amount_due"]["amount"], "23.00000001");
    assert_eq!(mapper.to_vendor(&c).unwrap().value, vendor);
}

#[test]
fn json_pointers_with_a_bad_escape_fail_at_load() {
    for bad in ["/~2", "/~", "/a~", "/a~b/c"] {
        for (rule, at) in [
            (format!(r#"{{"vendor": "{bad}", "canonical": "/display_name"}}"#), "/rules/3/vendor"),
            (
                format!(r#"{{"vendor": ["/name", "{bad}"], "canonical": "/display_name"}}"#),
                "/rules/3/vendor/1",
            ),
            (format!(r#"{{"vendor": "/name", "canonical": "{bad}"}}"#), "/rules/3/canonical"),
            (
                format!(r#"{{"collect": ["/a", "{bad}"], "canonical": "/display_name"}}"#),
                "/rules/3/collect/1",
            ),
            (
                format!(
                    r#"{{"vendor": "/l", "canonical": "/credit_limit", "money": {{"currency": "^{bad}"}}}}"#
                ),
                "/rules/3/money/currency",
            ),
        ] {
            let (pointer, m) = spec_error("mappings/acme/client.json", &customer_file(&rule));
            assert_eq!(pointer, at, "{m}");
            assert!(m.contains("`~` only in `~0` (for `~`) or `~1` (for `/`)"), "{m}");
        }
    }
    // Escaped tokens are fine.
    let mut r = Registry::new();
    r.load_str(
        "ok.json",
        &customer_file(r#"{"vendor": "/a~1b/~0c", "canonical": "/display_name"}"#),
    )
    .unwrap();
    let c = r
        .get("acme", "client")
        .unwrap()
        .to_canonical(&json!({"id": "C1", "a/b": {"~c": "Acme"}}))
        .unwrap()
        .value;
    assert_eq!(c["display_name"], "Acme");
}

#[test]
fn split_and_join_reject_unknown_arguments_and_an_empty_separator() {
    for name in ["split", "join"] {
        let rule = format!(
            r#"{{"vendor": "/n", "canonical": "/display_name", "transform": {{"name": "{name}", "separator": "|", "extra": 1}}}}"#
        );
        let (at, m) = spec_error("mappings/acme/client.json", &customer_file(&rule));
        assert_eq!(at, "/rules/3/transform", "{m}");
        assert!(
            m.contains(&format!("`{name}` takes only a `separator` argument, but found extra")),
            "{m}"
        );
        let rule = format!(
            r#"{{"vendor": "/n", "canonical": "/display_name", "transform": {{"name": "{name}", "separator": ""}}}}"#
        );
        let (at, m) = spec_error("mappings/acme/client.json", &customer_file(&rule));
        assert_eq!(at, "/rules/3/transform", "{m}");
        assert!(m.contains("expected `separator` to be a non-empty string"), "{m}");
    }
}

#[test]
fn a_second_file_for_one_vendor_object_names_both_files() {
    let dir = std::env::temp_dir().join(format!("cf-dup-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    for sub in ["a", "b"] {
        std::fs::create_dir_all(dir.join(sub)).unwrap();
        std::fs::write(dir.join(sub).join("bill.json"), ACME_INVOICE).unwrap();
    }
    let mut registry = Registry::new();
    let err = registry.load_dir(&dir).unwrap_err();
    let (a, b) = (dir.join("a/bill.json"), dir.join("b/bill.json"));
    assert_eq!(
        err.to_string(),
        format!(
            "invalid mapping file {} at /object: a mapper for acme bill is already registered, by {}",
            b.display(),
            a.display()
        )
    );
    assert!(!err.to_string().contains("built-in"), "{err}");
    let _ = std::fs::remove_dir_all(&dir);

    // A clash with a built-in mapper says so.
    let mut registry = Registry::builtin().unwrap();
    let text = ACME_INVOICE
        .replace(r#""vendor": "acme""#, r#""vendor": "stripe""#)
        .replace(r#""object": "bill""#, r#""object": "invoice""#);
    let err = registry.load_str("my/invoice.json", &text).unwrap_err();
    assert_eq!(
        err.to_string(),
        "invalid mapping file my/invoice.json at /object: a mapper for stripe invoice is already registered, by a built-in mapper (the built-in mappers are always loaded)"
    );
}

#[test]
fn a_file_or_a_rule_written_as_an_array_fails_at_load() {
    let (at, m) = spec_error("list.json", r#"["acme", "bill", "invoice", null, []]"#);
    assert_eq!(at, "", "{m}");
    assert!(m.starts_with("expected a mapping file object"), "{m}");
    assert!(m.ends_with("but found an array"), "{m}");
    let (at, m) = spec_error("rule.json", &customer_file(r#"["/name", "/display_name"]"#));
    assert_eq!(at, "/rules/3", "{m}");
    assert!(m.starts_with("expected a rule object"), "{m}");
    assert!(m.ends_with("but found an array"), "{m}");
    let (at, m) = spec_error(
        "each.json",
        &customer_file(r#"{"vendor": "/ids", "canonical": "/tax_ids", "each": [[], "/v"]}"#),
    );
    assert_eq!(at, "/rules/3/each/0", "{m}");
    assert!(m.starts_with("expected a rule object"), "{m}");
    let (at, m) = spec_error(
        "money.json",
        &customer_file(r#"{"vendor": "/l", "canonical": "/credit_limit", "money": ["/ccy"]}"#),
    );
    assert_eq!(at, "/rules/3/money", "{m}");
    assert_eq!(m, "expected an object with `currency`, but found an array");
}

#[test]
fn a_byte_order_mark_at_the_start_of_a_file_is_skipped() {
    let text = format!(
        "\u{feff}{}",
        customer_file(r#"{"vendor": "/name", "canonical": "/display_name"}"#)
    );
    let mut r = Registry::new();
    r.load_str("bom.json", &text).unwrap();
    let dir = std::env::temp_dir().join(format!("cf-bom-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("client.json"), text.as_bytes()).unwrap();
    let mut r = Registry::new();
    let loaded = r.load_dir(&dir);
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(loaded.unwrap().len(), 1);
    assert!(r.get("acme", "client").is_ok());
}

#[test]
fn a_value_of_the_wrong_type_says_what_was_expected() {
    let cases = [
        (
            r#"{"vendor": "acme", "object": "bill", "entity": 5, "rules": []}"#.to_owned(),
            "/entity",
            "expected one of customer, contract, invoice, payment, journal_entry, but found 5",
        ),
        (
            r#"{"vendor": "acme", "object": "bill", "entity": "ledger", "rules": []}"#.to_owned(),
            "/entity",
            "expected one of `customer`, `contract`, `invoice`, `payment`, `journal_entry`, but found `ledger`",
        ),
        (
            customer_file(
                r#"{"vendor": "/l", "canonical": "/credit_limit", "money": {"currency": "/c", "encoding": null}}"#,
            ),
            "/rules/3/money/encoding",
            "expected one of minor_units, decimal, minor_units_decimal, but found null",
        ),
        (
            customer_file(
                r#"{"vendor": "/l", "canonical": "/credit_limit", "money": {"currency": "/c", "currency_case": 1}}"#,
            ),
            "/rules/3/money/currency_case",
            "expected one of lower, upper, but found 1",
        ),
        (
            customer_file(r#"{"vendor": 5, "canonical": "/display_name"}"#),
            "/rules/3/vendor",
            "expected a JSON Pointer string or an array of them, but found 5",
        ),
        (
            customer_file(r#"{"vendor": ["/a", {"p": 1}], "canonical": "/display_name"}"#),
            "/rules/3/vendor",
            r#"expected a JSON Pointer string or an array of them, but found {"p":1}"#,
        ),
        (
            customer_file(r#"{"vendor": "/a", "canonical": "/display_name", "transform": 7}"#),
            "/rules/3/transform",
            "expected a transform name or an object with `name` and arguments, but found 7",
        ),
        (
            customer_file(
                r#"{"vendor": "/a", "canonical": "/display_name", "transform": {"separator": "|"}}"#,
            ),
            "/rules/3/transform",
            "expected a `name` in a transform object",
        ),
    ];
    for (text, pointer, message) in cases {
        let (at, m) = spec_error("mappings/acme/bad.json", &text);
        assert_eq!(at, pointer, "{m}");
        assert!(m.contains(message), "{m:?} does not contain {message:?}");
    }
}

#[test]
fn the_mapping_schema_rejects_what_the_loader_rejects() {
    let validator = mapping_schema_validator();
    let bad = [
        r#"{"vendor": "/~2", "canonical": "/display_name"}"#,
        r#"{"vendor": [], "canonical": "/display_name"}"#,
        r#"{"vendor": "/a", "canonical": "/a~"}"#,
        r#"{"collect": ["/~"], "canonical": "/display_name"}"#,
        r#"{"vendor": "/a", "canonical": "/display_name", "transform": {"name": "split", "separator": "|", "extra": 1}}"#,
        r#"{"vendor": "/a", "canonical": "/display_name", "transform": {"name": "join", "separator": ""}}"#,
        r#"{"vendor": "/a", "canonical": "/display_name", "transform": "split"}"#,
        r#"{"vendor": "/a", "canonical": "/display_name", "transform": {"name": "to_upper", "x": 1}}"#,
        r#"{"canonical": "/display_name", "constant": null}"#,
        r#"{"vendor": "/a", "canonical": "/display_name", "fallback": "x"}"#,
        r#"{"vendor": "/a", "canonical": "/display_name", "reverse_fallback": "x"}"#,
        r#"{"vendor": "/a", "collect": ["/b"], "canonical": "/display_name"}"#,
        r#"{"vendor": "/s", "canonical": "/status", "enum": {}}"#,
        r#"{"vendor": "/l", "canonical": "/credit_limit", "money": {"currency": "^~1"}}"#,
    ];
    let mut files: Vec<String> = bad.iter().map(|rule| customer_file(rule)).collect();
    const NAME: &str = r#"{"vendor": "/name", "canonical": "/display_name"}"#;
    let head = r#""vendor": "acme", "object": "client""#;
    files.push(customer_file(NAME).replace(head, r#""vendor": "Acme", "object": "client""#));
    files.push(customer_file(NAME).replace(head, r#""vendor": "acme", "object": """#));
    files.push(customer_file(NAME).replacen(
        r#""rules""#,
        r#""minor_units": {"USD": 9}, "rules""#,
        1,
    ));
    files.push(customer_file(NAME).replacen(
        r#""rules""#,
        r#""minor_units": {"usd": 2}, "rules""#,
        1,
    ));
    for text in &files {
        let doc: serde_json::Value = serde_json::from_str(text).unwrap();
        assert!(!validator.is_valid(&doc), "the schema accepts {text}");
        assert!(Registry::new().load_str("bad.json", text).is_err(), "the loader accepts {text}");
    }
    let good = customer_file(
        r#"{"vendor": ["/a~1b", "/c~0"], "canonical": "/display_name", "transform": "to_upper"},
           {"vendor": "/n", "canonical": "/addresses/0/lines", "transform": {"name": "split", "separator": "|"}},
           {"vendor": "/l", "canonical": "/credit_limit", "money": {"currency": "^/ccy"}}"#,
    )
    .replacen(r#""rules""#, r#""minor_units": {"USD": 8}, "rules""#, 1);
    let doc: serde_json::Value = serde_json::from_str(&good).unwrap();
    let errors: Vec<String> = validator.iter_errors(&doc).map(|e| e.to_string()).collect();
    assert!(errors.is_empty(), "{errors:?}");
    Registry::new().load_str("good.json", &good).unwrap();
}

/// A sound mapper (the acme bill file) with one flaw switched on.
struct Flawed {
    inner: Arc<dyn canonical_finance::mapping::Mapper>,
    flaw: Flaw,
}

#[derive(Clone, Copy, PartialEq)]
enum Flaw {
    UpperCaseVendor,
    RootLoss,
    OwnedPanicsOnDamage,
    WayBackPanicsOnDamage,
    PanicsOnANullReplaced,
    PanicsOnAWholeObjectReplaced,
}

impl canonical_finance::mapping::Mapper for Flawed {
    fn vendor(&self) -> &str {
        if self.flaw == Flaw::UpperCaseVendor { "Acme" } else { self.inner.vendor() }
    }
    fn object(&self) -> &str {
        self.inner.object()
    }
    fn entity(&self) -> Entity {
        self.inner.entity()
    }
    fn to_canonical(
        &self,
        vendor: &Value,
    ) -> Result<canonical_finance::mapping::Mapped<Value>, MappingError> {
        match self.flaw {
            Flaw::PanicsOnANullReplaced if vendor.get("extra").is_some_and(|e| e["a"] == -1) => {
                panic!("the null became a number")
            }
            Flaw::PanicsOnAWholeObjectReplaced if vendor["extra"].is_string() => {
                panic!("a string where an object was")
            }
            _ => self.inner.to_canonical(vendor),
        }
    }
    fn to_vendor(
        &self,
        canonical: &Value,
    ) -> Result<canonical_finance::mapping::Mapped<Value>, MappingError> {
        if self.flaw == Flaw::WayBackPanicsOnDamage && canonical["number"].is_null() {
            panic!("no number");
        }
        let mut out = self.inner.to_vendor(canonical)?;
        if self.flaw == Flaw::RootLoss {
            out.losses.push(canonical_finance::mapping::Loss::new(
                LossKind::Unsupported,
                "",
                "something somewhere",
            ));
        }
        Ok(out)
    }
    fn to_canonical_owned(
        &self,
        vendor: Value,
    ) -> Result<canonical_finance::mapping::Mapped<Value>, MappingError> {
        if self.flaw == Flaw::OwnedPanicsOnDamage && vendor["no"] == json!(-1) {
            panic!("a number for a bill number");
        }
        self.to_canonical(&vendor)
    }
}

#[test]
fn the_conformance_suite_catches_each_flaw_it_names() {
    let inner: Arc<dyn canonical_finance::mapping::Mapper> = Arc::new(
        DeclarativeMapper::compile(
            &serde_json::from_str(ACME_INVOICE).unwrap(),
            "acme/bill.json",
            &std::collections::HashMap::new(),
        )
        .unwrap(),
    );
    let fixtures = [("bill".to_owned(), bill())];
    // The sound mapper fails validation only (the test ERP writes no tax
    // breakdown: see the_acme_mapper_passes_the_conformance_suite).
    let sound = conformance::check(inner.as_ref(), &fixtures);
    let checks: Vec<&str> = sound.failures.iter().map(|f| f.check).collect();
    assert_eq!(checks, ["validation"], "{sound}");
    for (flaw, check, message) in [
        (Flaw::UpperCaseVendor, "naming", "vendor `Acme` must be lower case"),
        (
            Flaw::RootLoss,
            "loss_pointer",
            "canonical → vendor: a loss names no field: something somewhere",
        ),
        (Flaw::OwnedPanicsOnDamage, "no_panic", "panicked with /no replaced by -1"),
        (
            Flaw::WayBackPanicsOnDamage,
            "no_panic",
            "panicked on the way back with canonical /number replaced by null",
        ),
        (Flaw::PanicsOnANullReplaced, "no_panic", "panicked with /extra/a replaced by -1"),
        (Flaw::PanicsOnAWholeObjectReplaced, "no_panic", "panicked with /extra replaced by \"x\""),
    ] {
        let report = conformance::check(&Flawed { inner: inner.clone(), flaw }, &fixtures);
        assert!(
            report.failures.iter().any(|f| f.check == check && f.message.starts_with(message)),
            "{check}: {report}"
        );
    }
}
