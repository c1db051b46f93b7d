//! Quote to cash with Stripe: the most complete flow the crate has.
//!
//! Run with `cargo run --example quote_to_cash`.
//!
//! A US company subscribes, is invoiced and pays — four Stripe objects
//! (`tests/fixtures/stripe/`). Each is mapped to the canonical model and
//! validated (warnings say what an EN 16931 e-invoice would still need);
//! the invoice names its seller (Stripe's account) and its buyer (Stripe's
//! snapshot of the customer); the same invoice and payment are then seen
//! from the customer's side, as a supplier's bill and a payment sent; the
//! invoice is posted to the ledger as a balanced journal entry, its revenue
//! shared out across cost centres without losing a cent; the canonical
//! invoice goes back to Stripe unchanged; and a canonical change Stripe
//! cannot hold shows up in the loss report instead of vanishing.

use canonical_finance::json::Value;
use canonical_finance::mapping::{Mapped, Registry};
use canonical_finance::model::{
    Contract, Customer, CustomerRef, ExternalRef, Invoice, InvoiceId, InvoiceRef, JournalEntry,
    JournalEntryId, JournalLine, Party, Payment, PaymentApplication, PaymentDirection, PaymentId,
    Side, SourceDocument, TradeSide,
};
use canonical_finance::validate::Validate;
use canonical_finance::{Money, Rounding};
use rust_decimal_macros::dec;

const CUSTOMER: &str = include_str!("../tests/fixtures/stripe/customer/us_company_basic.json");
const SUBSCRIPTION: &str =
    include_str!("../tests/fixtures/stripe/subscription/active_monthly_two_items.json");
const INVOICE: &str =
    include_str!("../tests/fixtures/stripe/invoice/current_usd_subscription_paid.json");
const PAYMENT: &str =
    include_str!("../tests/fixtures/stripe/invoice_payment/paid_payment_intent.json");

fn report<T: Validate>(what: &str, mapped: &Mapped<T>) {
    let validation = mapped.value.validate();
    println!(
        "  {what}: {} error(s), {} warning(s), {} loss(es){}",
        validation.errors().count(),
        validation.warnings().count(),
        mapped.losses.len(),
        if validation.is_valid() { ", valid" } else { " — INVALID" }
    );
    for v in validation.violations() {
        println!("    {v}");
    }
    for loss in &mapped.losses {
        println!("    {loss}");
    }
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let registry = Registry::builtin()?;
    let parse = |text: &str| serde_json::from_str::<Value>(text);

    println!("1. Stripe → canonical, validated");
    let customer = registry.to_canonical_as::<Customer>("stripe", "customer", &parse(CUSTOMER)?)?;
    report("customer", &customer);
    let contract =
        registry.to_canonical_as::<Contract>("stripe", "subscription", &parse(SUBSCRIPTION)?)?;
    report("contract", &contract);
    let stripe_invoice = parse(INVOICE)?;
    let invoice = registry.to_canonical_as::<Invoice>("stripe", "invoice", &stripe_invoice)?;
    report("invoice", &invoice);
    let payment =
        registry.to_canonical_as::<Payment>("stripe", "invoice_payment", &parse(PAYMENT)?)?;
    report("payment", &payment);

    let inv = &invoice.value;
    let t = &inv.totals;
    println!("\n2. The invoice, as EN 16931 names its totals");
    println!(
        "  customer {} ({}), contract {:?}",
        customer.value.display_name, customer.value.id, contract.value.status
    );
    println!("  seller (Stripe's account): {}", describe(inv.seller.as_ref()));
    println!("  buyer (as Stripe printed it): {}", describe(inv.buyer.as_ref()));
    println!(
        "  line net total {}, tax {}, total {}, paid {}, due {}",
        t.line_net_total,
        t.tax_total,
        t.total_with_tax,
        t.paid.map_or_else(|| "0".to_owned(), |p| p.to_string()),
        t.amount_due
    );
    for tax in &inv.tax_breakdown {
        println!(
            "  tax {:?} {}%: {} on {}",
            tax.category,
            tax.rate.unwrap_or_default(),
            tax.tax_amount,
            tax.taxable_amount
        );
    }
    for application in &payment.value.applications {
        println!(
            "  payment {} applies {} to {:?}",
            payment.value.id,
            application.amount,
            application.target.external_refs.first().map(|r| &r.id)
        );
    }

    println!(
        "\n3. The same invoice in the customer's books: a supplier's bill, and a payment sent"
    );
    // The customer keeps the invoice on the purchases side: the seller is
    // its supplier, and its own record of the supplier is the counterparty.
    let mut bill = inv.clone();
    bill.id = InvoiceId::new("bill_northwind_0001")?;
    bill.side = TradeSide::Purchases;
    bill.counterparty = CustomerRef::to_external(ExternalRef::new("acme-erp", "vendor", "V-1042"));
    bill.extensions = Default::default();
    bill.external_refs.clear();
    let bill_report = bill.validate();
    println!(
        "  bill: side {}, seller {}, {} error(s), valid: {}",
        bill.side.as_str(),
        describe(bill.seller.as_ref()),
        bill_report.errors().count(),
        bill_report.is_valid()
    );
    let date = payment.value.payment_date;
    let mut sent = Payment::new(
        PaymentId::new("pay_ap_0001")?,
        PaymentDirection::Sent,
        t.total_with_tax,
        date,
    );
    sent.side = TradeSide::Purchases;
    sent.counterparty = Some(bill.counterparty.clone());
    sent.applications
        .push(PaymentApplication::new(InvoiceRef::to_id(bill.id.clone()), t.total_with_tax));
    println!(
        "  payment: side {}, {:?} {} to the supplier, valid: {}",
        sent.side.as_str(),
        sent.direction,
        sent.amount,
        sent.validate().is_valid()
    );

    println!("\n4. Posted to the ledger, revenue shared 60/40 between two cost centres");
    let date = inv.issue_date.ok_or("the invoice has no issue date")?;
    let mut entry = JournalEntry::new(JournalEntryId::new(format!("je_{}", inv.id))?, date);
    entry.description =
        Some(format!("Stripe invoice {}", inv.number.as_deref().unwrap_or("(draft)")));
    let mut source =
        serde_json::from_value::<SourceDocument>(serde_json::json!({"kind": "invoice"}))?;
    source.id = Some(inv.id.to_string());
    entry.source_document = Some(source);
    entry.lines.push(JournalLine::new("1200", Side::Debit, t.total_with_tax));
    let revenue = t.total_without_tax.allocate(&[dec!(60), dec!(40)])?;
    for (part, centre) in revenue.iter().zip(["SALES-EU", "SALES-US"]) {
        let mut line = JournalLine::new("4000", Side::Credit, *part);
        line.dimensions.cost_center = Some(centre.to_owned());
        entry.lines.push(line);
    }
    if !t.tax_total.is_zero() {
        entry.lines.push(JournalLine::new("2200", Side::Credit, t.tax_total));
    }
    for line in &entry.lines {
        println!(
            "  {:>6} {:<6} {:>12} {}",
            line.account_code,
            format!("{:?}", line.side),
            line.amount.to_string(),
            line.dimensions.cost_center.as_deref().unwrap_or("")
        );
    }
    let check = entry.validate();
    println!("  balanced and valid: {}", check.is_valid());

    println!("\n5. Canonical → Stripe");
    let stripe = registry.get("stripe", "invoice")?;
    let back = stripe.to_vendor(&canonical_finance::json::to_value(&inv)?)?;
    println!(
        "  the invoice comes back JSON-equal to what Stripe sent: {}",
        back.value == stripe_invoice
    );

    let mut edited = canonical_finance::json::to_value(&customer.value)?;
    if let Some(fields) = edited.as_object_mut() {
        fields.insert("legal_name", Value::String("Example Corp. Holdings LLC".into()));
    }
    let out = registry.get("stripe", "customer")?.to_vendor(&edited)?;
    println!("  a legal name Stripe cannot hold is reported, not dropped:");
    for loss in &out.losses {
        println!("    {loss}");
    }

    println!("\n6. Exact money, whatever the currency");
    let share = Money::new(t.total_with_tax.amount(), t.total_with_tax.currency()).split(3)?;
    println!(
        "  {} in thirds: {}",
        t.total_with_tax,
        share.iter().map(ToString::to_string).collect::<Vec<_>>().join(" + ")
    );
    let jpy: Money = "1234.5 JPY".parse()?;
    println!("  {jpy} rounded half-even: {}", jpy.round(Rounding::HalfEven)?);
    Ok(())
}

/// A party in one line: its name, country and VAT id.
fn describe(party: Option<&Party>) -> String {
    let Some(p) = party else {
        return "(none)".to_owned();
    };
    let country = p.address.as_ref().map_or("?".to_owned(), |a| a.country.to_string());
    let vat = p.vat_id().map_or(String::new(), |v| format!(", VAT {v}"));
    format!("{} ({country}{vat})", p.name.as_deref().unwrap_or("(no name)"))
}
