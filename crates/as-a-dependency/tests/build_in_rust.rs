//! One of each entity, with every part it has, built in Rust outside the
//! crate: through constructors and public fields, without JSON. Each one
//! validates without errors and survives a JSON round trip unchanged.

use std::num::NonZeroU32;

use canonical_finance::json;
use canonical_finance::model::*;
use canonical_finance::validate::Validate;
use canonical_finance::{Currency, ExchangeRate, Money};
use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;

type Result<T> = std::result::Result<T, Box<dyn std::error::Error>>;

fn eur(amount: &str) -> Result<Money> {
    Ok(format!("{amount} EUR").parse()?)
}

fn usd(amount: &str) -> Result<Money> {
    Ok(format!("{amount} USD").parse()?)
}

fn day(text: &str) -> Result<NaiveDate> {
    Ok(text.parse()?)
}

fn instant(text: &str) -> Result<DateTime<Utc>> {
    Ok(text.parse()?)
}

fn decimal(text: &str) -> Result<Decimal> {
    Ok(text.parse()?)
}

fn one(n: u32) -> Result<NonZeroU32> {
    NonZeroU32::new(n).ok_or_else(|| "zero".into())
}

fn external(object_type: &str, id: &str) -> ExternalRef {
    ExternalRef::new("erp", object_type, id).with_tenant("acme-de")
}

fn provenance() -> Result<Provenance> {
    let mut p = Provenance::new("erp", "record", "42", instant("2026-11-02T08:00:00Z")?);
    p.version = Some("7".to_owned());
    Ok(p)
}

fn address(lines: &[&str], city: &str, postal: &str, country: &str) -> Result<Address> {
    let mut a = Address::new(CountryCode::new(country)?);
    a.purpose = Some(AddressPurpose::Billing);
    a.lines = lines.iter().map(|l| (*l).to_owned()).collect();
    a.city = Some(city.to_owned());
    a.postal_code = Some(postal.to_owned());
    Ok(a)
}

fn contact(name: &str, email: &str) -> Contact {
    let mut c = Contact::default();
    c.name = Some(name.to_owned());
    c.email = Some(email.to_owned());
    c.phone = Some("+49 40 1234567".to_owned());
    c.role = Some("accounts".to_owned());
    c
}

fn bank_account() -> Result<BankAccount> {
    let mut b = BankAccount::default();
    b.holder_name = Some("Nordwind Software GmbH".to_owned());
    b.iban = Some("DE89370400440532013000".to_owned());
    b.bic = Some("COBADEFFXXX".to_owned());
    b.bank_name = Some("Commerzbank".to_owned());
    b.country = Some(CountryCode::new("DE")?);
    b.currency = Some(Currency::EUR);
    Ok(b)
}

fn item() -> Result<ItemRef> {
    let mut i = ItemRef::named("Analytics seat");
    i.code = Some("SEAT-A".to_owned());
    i.external_refs.push(external("item", "I-7"));
    i.standard_id = Some(Identifier::new("4012345678901").with_scheme("0160"));
    i.classifications.push(ItemClassification::new("43232300", "STI"));
    i.origin_country = Some(CountryCode::new("DE")?);
    i.attributes.push(ItemAttribute::new("tier", "pro"));
    Ok(i)
}

fn party(name: &str, vat: &str, city: &str) -> Result<Party> {
    let mut p = Party::named(name);
    p.trading_name = Some(format!("{name} (trading)"));
    p.identifiers.push(Identifier::new("HRB 12345").with_scheme("0204"));
    p.tax_ids.push(TaxId::new(TaxIdScheme::Vat, vat));
    p.electronic_address = Some(Identifier::new("billing@example.com").with_scheme("EM"));
    p.address = Some(address(&["Hafenstraße 1"], city, "20457", "DE")?);
    p.contact = Some(contact("Accounts", "accounts@example.com"));
    p.external_refs.push(external("party", name));
    Ok(p)
}

/// Every entity: no validation errors, and JSON gives it back as it was.
fn check<T>(record: &T)
where
    T: Validate + serde::Serialize + serde::de::DeserializeOwned + PartialEq + std::fmt::Debug,
{
    let report = record.validate();
    assert_eq!(report.errors().count(), 0, "{:#?}", report.violations());
    let text = serde_json::to_string(record).unwrap();
    let back: T = serde_json::from_str(&text).unwrap();
    assert_eq!(&back, record);
    // And the crate's own JSON tree reads it the same way.
    let tree = json::parse(&text).unwrap();
    assert_eq!(&json::from_value::<T>(&tree).unwrap(), record);
}

#[test]
fn a_customer_with_every_part() -> Result<()> {
    let mut c = Customer::new(CustomerId::new("cust_1")?, CustomerKind::Organization, "Nordwind");
    c.status = CustomerStatus::Active;
    c.roles = vec![PartyRole::Customer, PartyRole::Supplier];
    c.legal_name = Some("Nordwind Software GmbH".to_owned());
    c.customer_number = Some("K-1001".to_owned());
    c.email = Some("billing@nordwind.example".to_owned());
    c.phone = Some("+49 40 7654321".to_owned());
    c.website = Some("https://nordwind.example".to_owned());
    c.tax_ids.push(TaxId::new(TaxIdScheme::Vat, "DE123456789"));
    c.addresses.push(address(&["Hafenstraße 1", "3. OG"], "Hamburg", "20457", "DE")?);
    c.contacts.push(contact("Ada Weber", "ada@nordwind.example"));
    c.bank_accounts.push(bank_account()?);
    c.default_currency = Some(Currency::EUR);
    c.payment_terms = Some(PaymentTerms::net_days(30));
    c.credit_limit = Some(eur("50000.00")?);
    c.parent = Some(CustomerRef::to_id(CustomerId::new("cust_group")?));
    c.external_refs.push(external("customer", "C-9"));
    c.extensions.insert("erp", canonical_finance::json!({"segment": "B2B"}));
    c.created_at = Some(instant("2026-01-05T09:30:00Z")?);
    c.updated_at = Some(instant("2026-11-02T08:00:00Z")?);
    c.provenance = Some(provenance()?);
    check(&c);
    Ok(())
}

#[test]
fn a_contract_with_every_part() -> Result<()> {
    let customer = CustomerRef::to_id(CustomerId::new("cust_1")?);
    let mut k = Contract::new(ContractId::new("sub_1")?, customer, Currency::EUR);
    k.number = Some("V-2026-7".to_owned());
    k.name = Some("Analytics, yearly".to_owned());
    k.status = ContractStatus::Active;
    k.start_date = Some(day("2026-01-01")?);
    k.term = Some(Term::new(IntervalUnit::Year, one(1)?));
    let mut renewal = Renewal::new(true);
    renewal.renewal_term = Some(Term::new(IntervalUnit::Year, one(1)?));
    renewal.notice_days = Some(30);
    k.renewal = Some(renewal);
    k.billing_frequency = Some(Interval::every(IntervalUnit::Month));
    k.billing_anchor = Some(day("2026-01-01")?);
    k.current_period = Some(Period::new(day("2026-11-01")?, day("2026-11-30")?));
    k.collection_method = Some(CollectionMethod::SendInvoice);
    k.payment_terms = Some(PaymentTerms::net_days(14));
    k.customer_signed_date = Some(day("2025-12-15")?);
    k.company_signed_date = Some(day("2025-12-16")?);
    let mut line = ContractLine::new(decimal("3")?, eur("49.00")?);
    line.id = Some("si_1".to_owned());
    line.item = Some(item()?);
    line.description = Some("Analytics seats".to_owned());
    line.interval = Some(Interval::new(IntervalUnit::Month, one(1)?));
    line.period = Some(Period::new(day("2026-11-01")?, day("2026-11-30")?));
    line.extensions.insert("erp", canonical_finance::json!({"plan": "pro"}));
    k.lines.push(line);
    k.external_refs.push(external("subscription", "S-1"));
    k.created_at = Some(instant("2025-12-16T10:00:00Z")?);
    k.provenance = Some(provenance()?);
    check(&k);
    Ok(())
}

#[test]
fn a_payment_with_every_part() -> Result<()> {
    let mut p = Payment::new(
        PaymentId::new("pay_1")?,
        PaymentDirection::Received,
        eur("100.00")?,
        day("2026-11-20")?,
    );
    p.number = Some("ZE-1".to_owned());
    p.method = Some(PaymentMethod::BankTransfer);
    p.counterparty = Some(CustomerRef::to_id(CustomerId::new("cust_1")?));
    p.value_date = Some(day("2026-11-21")?);
    p.deposit_account = Some("1200".to_owned());
    p.payer_account = Some(bank_account()?);
    p.bank_reference = Some("BR-77".to_owned());
    p.end_to_end_id = Some("E2E-77".to_owned());
    p.remittance_information = Some("RE-2026-0042".to_owned());
    let mut applied =
        PaymentApplication::new(InvoiceRef::to_id(InvoiceId::new("inv_1")?), eur("90.00")?);
    applied.target_amount = Some(usd("104.40")?);
    applied.exchange_rate = Some(ExchangeRate::new(
        Currency::EUR,
        Currency::USD,
        decimal("1.16")?,
        day("2026-11-20")?,
    )?);
    applied.applied_on = Some(day("2026-11-21")?);
    p.applications.push(applied);
    p.unapplied_amount = Some(eur("10.00")?);
    let mut fee = PaymentFee::new(eur("0.35")?);
    fee.description = Some("bank fee".to_owned());
    p.fees.push(fee);
    p.description = Some("November".to_owned());
    p.external_refs.push(external("payment", "P-1"));
    p.provenance = Some(provenance()?);
    check(&p);
    Ok(())
}

#[test]
fn a_journal_entry_with_every_part() -> Result<()> {
    let mut j = JournalEntry::new(JournalEntryId::new("je_1")?, day("2026-11-20")?);
    j.number = Some("JE-1".to_owned());
    j.status = JournalEntryStatus::Posted;
    j.accounting_period = Some("2026-11".to_owned());
    j.description = Some("Invoice RE-2026-0042".to_owned());
    let mut source = SourceDocument::new(SourceDocumentKind::Invoice);
    source.id = Some("inv_1".to_owned());
    source.number = Some("RE-2026-0042".to_owned());
    source.external_refs.push(external("invoice", "I-42"));
    j.source_document = Some(source);
    let mut debit = JournalLine::new("1200", Side::Debit, eur("119.00")?);
    debit.id = Some("l1".to_owned());
    debit.account_name = Some("Receivables".to_owned());
    debit.counterparty = Some(CustomerRef::to_id(CustomerId::new("cust_1")?));
    debit.description = Some("Nordwind".to_owned());
    let mut revenue = JournalLine::new("8400", Side::Credit, eur("100.00")?);
    revenue.dimensions.cost_center = Some("CC-10".to_owned());
    revenue.dimensions.department = Some("Sales".to_owned());
    revenue.dimensions.project = Some("P-7".to_owned());
    revenue.dimensions.other.insert("channel".to_owned(), "web".to_owned());
    let vat = JournalLine::new("1776", Side::Credit, eur("19.00")?);
    j.lines = vec![debit, revenue, vat];
    j.external_refs.push(external("journal", "J-1"));
    j.provenance = Some(provenance()?);
    check(&j);
    Ok(())
}

#[test]
fn an_invoice_with_every_part() -> Result<()> {
    // One line: 2 × 50.00 less a 10.00 line allowance = 90.00; a 5.00
    // allowance and a 2.00 charge on the document, all at 19 %.
    let mut totals = InvoiceTotals::new(eur("90.00")?, eur("16.53")?, eur("103.53")?);
    totals.allowance_total = Some(eur("5.00")?);
    totals.charge_total = Some(eur("2.00")?);
    totals.total_without_tax = eur("87.00")?;
    totals.paid = Some(eur("3.53")?);
    totals.amount_due = eur("100.00")?;
    let counterparty = CustomerRef::to_id(CustomerId::new("cust_1")?);
    let mut inv = Invoice::new(InvoiceId::new("inv_1")?, counterparty, Currency::EUR, totals);
    inv.number = Some("RE-2026-0042".to_owned());
    inv.status = InvoiceStatus::PartiallyPaid;
    inv.seller = Some(party("Nordwind Software GmbH", "DE123456789", "Hamburg")?);
    inv.buyer = Some(party("Kranich Logistik GmbH", "DE987654321", "Bremen")?);
    inv.payee = Some(Party::named("Nordwind Factoring GmbH"));
    inv.tax_representative = Some(party("Steuer Vertretung GmbH", "DE111111125", "Kiel")?);
    let mut delivery = Delivery::default();
    delivery.party_name = Some("Kranich Lager Nord".to_owned());
    delivery.location_id = Some(Identifier::new("4000001000005").with_scheme("0088"));
    delivery.date = Some(day("2026-11-18")?);
    delivery.address = Some(address(&["Am Hafen 3"], "Bremen", "28195", "DE")?);
    inv.delivery = Some(delivery);
    inv.contract = Some(ContractRef::to_id(ContractId::new("sub_1")?));
    inv.issue_date = Some(day("2026-11-20")?);
    inv.due_date = Some(day("2026-12-20")?);
    inv.period = Some(Period::new(day("2026-11-01")?, day("2026-11-30")?));

    let mut line = InvoiceLine::new(decimal("2")?, eur("50.00")?, eur("90.00")?);
    line.id = Some("1".to_owned());
    line.description = Some("Analytics seats".to_owned());
    line.item = Some(item()?);
    line.unit_of_measure = Some("C62".to_owned());
    line.gross_price = Some(eur("55.00")?);
    line.price_base_quantity = Some(decimal("1")?);
    let mut loyalty = AllowanceCharge::allowance(eur("10.00")?);
    loyalty.reason = Some("Loyalty".to_owned());
    loyalty.reason_code = Some("95".to_owned());
    line.allowances_charges.push(loyalty);
    line.tax_category = Some(TaxCategory::Standard);
    line.tax_rate = Some(decimal("19")?);
    line.account_code = Some("8400".to_owned());
    line.period = Some(Period::new(day("2026-11-01")?, day("2026-11-30")?));
    inv.lines.push(line);

    let mut discount = AllowanceCharge::allowance(eur("5.00")?);
    discount.reason = Some("Volume".to_owned());
    discount.tax_category = Some(TaxCategory::Standard);
    discount.tax_rate = Some(decimal("19")?);
    let mut freight = AllowanceCharge::charge(eur("2.00")?);
    freight.reason = Some("Freight".to_owned());
    freight.reason_code = Some("FC".to_owned());
    freight.tax_category = Some(TaxCategory::Standard);
    freight.tax_rate = Some(decimal("19")?);
    inv.allowances_charges = vec![discount, freight];

    let mut vat =
        TaxSubtotal::new(TaxCategory::Standard, Some(decimal("19")?), eur("87.00")?, eur("16.53")?);
    vat.name = Some("VAT".to_owned());
    inv.tax_breakdown.push(vat);
    inv.payment_terms = Some(PaymentTerms::net_days(30));
    let mut transfer = PaymentInstruction::new(PaymentMeans::CreditTransfer);
    transfer.means_code = Some("58".to_owned());
    transfer.remittance_reference = Some("RE-2026-0042".to_owned());
    transfer.account = Some(bank_account()?);
    inv.payment_instructions.push(transfer);
    inv.buyer_reference = Some("PO-4711".to_owned());
    inv.purchase_order = Some("PO-4711".to_owned());
    let mut earlier =
        PrecedingInvoice::new(InvoiceRef::to_id(InvoiceId::new("inv_0")?), "RE-2026-0041");
    earlier.issue_date = Some(day("2026-10-20")?);
    inv.preceding_invoices.push(earlier);
    inv.notes.push("Thank you".to_owned());
    inv.external_refs.push(external("invoice", "I-42"));
    inv.extensions.insert("erp", canonical_finance::json!({"batch": 7}));
    inv.created_at = Some(instant("2026-11-20T12:00:00Z")?);
    inv.provenance = Some(provenance()?);
    check(&inv);
    Ok(())
}
