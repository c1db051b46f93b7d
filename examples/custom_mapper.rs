//! Maps an in-house ERP's JSON without touching the crate:
//!
//! 1. a declarative mapping file for its customers, loaded at run time, using
//!    a transform registered at run time;
//! 2. a whole custom mapper, written in Rust, for its journal export, whose
//!    signed amounts (debit > 0, credit < 0) a mapping file cannot express.
//!
//! Run with `cargo run --example custom_mapper`.

use std::sync::Arc;

use canonical_finance::json;
use canonical_finance::json::{Map, Value};
use canonical_finance::mapping::{
    Loss, LossKind, Mapped, Mapper, MappingError, Registry, Transform, conformance,
};
use canonical_finance::model::{Customer, Entity, JournalEntry};
use canonical_finance::validate::Validate;
use rust_decimal::Decimal;

/// The ERP writes country names; the canonical model wants ISO codes.
struct CountryName;

const COUNTRIES: &[(&str, &str)] = &[("Germany", "DE"), ("France", "FR"), ("United Kingdom", "GB")];

impl Transform for CountryName {
    fn forward(&self, vendor: &Value) -> Result<Value, String> {
        let name = vendor.as_str().ok_or("expected a country name")?;
        COUNTRIES
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, c)| json!(c))
            .ok_or(format!("unknown country `{name}`"))
    }
    fn reverse(&self, canonical: &Value) -> Result<Value, String> {
        let code = canonical.as_str().ok_or("expected a country code")?;
        COUNTRIES
            .iter()
            .find(|(_, c)| *c == code)
            .map(|(n, _)| json!(n))
            .ok_or(format!("no name for `{code}`"))
    }
}

const CUSTOMER_MAPPING: &str = r#"{
  "vendor": "ledgerly",
  "object": "debtor",
  "entity": "customer",
  "rules": [
    {"vendor": "/debtor_no", "canonical": "/id"},
    {"vendor": "/debtor_no", "canonical": "/external_refs", "external_ref": "debtor"},
    {"vendor": "/type", "canonical": "/kind", "enum": {"C": "organization", "P": "individual"}},
    {"vendor": "/blocked", "canonical": "/status", "enum": {"N": "active", "Y": "blocked"}},
    {"vendor": "/name", "canonical": "/display_name"},
    {"vendor": "/vat", "canonical": "/tax_ids/0/value"},
    {"canonical": "/tax_ids/0/scheme", "constant": "vat"},
    {"vendor": "/street", "canonical": "/addresses/0/lines/0"},
    {"vendor": "/city", "canonical": "/addresses/0/city"},
    {"vendor": "/country", "canonical": "/addresses/0/country", "transform": "country_name"},
    {"vendor": "/limit", "canonical": "/credit_limit", "money": {"currency": "/currency", "encoding": "decimal"}}
  ]
}"#;

/// The ERP's journal export: `{"voucher": "V-1", "date": "2026-11-30",
/// "currency": "EUR", "rows": [{"account": "1200", "amount": "100.00"}, ...]}`
/// with debits positive and credits negative.
struct LedgerlyJournal;

impl LedgerlyJournal {
    fn err(&self, pointer: &str, message: &str) -> MappingError {
        MappingError::InvalidInput {
            vendor: self.vendor().to_owned(),
            object: self.object().to_owned(),
            pointer: pointer.to_owned(),
            message: message.to_owned(),
        }
    }
}

impl Mapper for LedgerlyJournal {
    fn vendor(&self) -> &str {
        "ledgerly"
    }
    fn object(&self) -> &str {
        "voucher"
    }
    fn entity(&self) -> Entity {
        Entity::JournalEntry
    }

    fn to_canonical(&self, vendor: &Value) -> Result<Mapped<Value>, MappingError> {
        let text = |p: &str| {
            vendor
                .pointer(p)
                .and_then(Value::as_str)
                .ok_or_else(|| self.err(p, "expected a string"))
        };
        let currency = text("/currency")?;
        let rows = vendor
            .pointer("/rows")
            .and_then(Value::as_array)
            .ok_or_else(|| self.err("/rows", "expected an array"))?;
        let mut lines = Vec::new();
        for (i, row) in rows.iter().enumerate() {
            let at = format!("/rows/{i}");
            let account = row
                .get("account")
                .and_then(Value::as_str)
                .ok_or_else(|| self.err(&at, "expected an account"))?;
            let amount: Decimal = row
                .get("amount")
                .and_then(Value::as_str)
                .and_then(|a| canonical_finance::money::parse_decimal(a).ok())
                .ok_or_else(|| self.err(&format!("{at}/amount"), "expected a decimal string"))?;
            let side = if amount.is_sign_negative() { "credit" } else { "debit" };
            lines.push(json!({"account_code": account, "side": side,
                              "amount": {"amount": amount.abs().to_string(), "currency": currency}}));
        }
        let canonical = json!({"id": text("/voucher")?, "number": text("/voucher")?, "status": "posted",
                               "posting_date": text("/date")?, "lines": lines});
        let losses = if vendor.as_object().is_some_and(|o| o.len() > 4) {
            vec![Loss::new(
                LossKind::Unsupported,
                "",
                "fields other than voucher, date, currency and rows are not mapped",
            )]
        } else {
            Vec::new()
        };
        Ok(Mapped::new(canonical, losses))
    }

    fn to_vendor(&self, canonical: &Value) -> Result<Mapped<Value>, MappingError> {
        let entry: JournalEntry =
            json::from_value(canonical).map_err(|e| self.err("", &e.to_string()))?;
        let currency = entry.lines.first().map(|l| l.amount.currency().code()).unwrap_or("EUR");
        let rows: Vec<Value> = entry
            .lines
            .iter()
            .map(|l| {
                let signed = if l.side == canonical_finance::model::Side::Credit {
                    l.amount.negate().amount()
                } else {
                    l.amount.amount()
                };
                json!({"account": l.account_code, "amount": signed.to_string()})
            })
            .collect();
        let mut out = Map::new();
        out.insert("voucher", json!(entry.number.as_deref().unwrap_or(entry.id.as_str())));
        out.insert("date", json!(entry.posting_date.to_string()));
        out.insert("currency", json!(currency));
        out.insert("rows", Value::Array(rows));
        Ok(Mapped::new(Value::Object(out), Vec::new()))
    }
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut registry = Registry::builtin()?;
    registry.register_transform("country_name", Arc::new(CountryName));
    registry.load_str("ledgerly/debtor.json", CUSTOMER_MAPPING)?;
    registry.register(Arc::new(LedgerlyJournal))?;

    // 1. Customers through the mapping file.
    let debtor = json!({"debtor_no": "D-1001", "type": "C", "blocked": "N", "name": "Acme GmbH",
                        "vat": "DE123456789", "street": "Friedrichstraße 123", "city": "Berlin",
                        "country": "Germany", "limit": 50000.00, "currency": "EUR", "sales_rep": "jd"});
    let customer = registry.to_canonical_as::<Customer>("ledgerly", "debtor", &debtor)?;
    println!("customer: {}", serde_json::to_string_pretty(&customer.value)?);
    println!("valid: {}", customer.value.validate().is_valid());
    let back = registry.get("ledgerly", "debtor")?.to_vendor(&json::to_value(&&customer.value)?)?;
    println!("round trip equal: {}", back.value == debtor);

    // 2. Journals through the Rust mapper.
    let voucher = json!({"voucher": "V-77", "date": "2026-11-30", "currency": "EUR",
                         "rows": [{"account": "1200", "amount": "119.00"},
                                  {"account": "4000", "amount": "-100.00"},
                                  {"account": "2200", "amount": "-19.00"}]});
    let journal = registry.to_canonical_as::<JournalEntry>("ledgerly", "voucher", &voucher)?;
    println!(
        "journal valid: {} ({} lines)",
        journal.value.validate().is_valid(),
        journal.value.lines.len()
    );

    // 3. Both pass the same conformance suite as the built-in mappers.
    for (object, fixture) in [("debtor", debtor), ("voucher", voucher)] {
        let report =
            conformance::check(registry.get("ledgerly", object)?, &[(object.to_owned(), fixture)]);
        println!("conformance {object}: {report}");
    }
    Ok(())
}
