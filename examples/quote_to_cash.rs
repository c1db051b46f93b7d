//! Quote to cash with Stripe: the most complete flow the crate has.
//!
//! Run with `cargo run --example quote_to_cash`.
//!
//! A US company subscribes, is invoiced and pays — four Stripe objects
//! (`tests/fixtures/stripe/`). Each is mapped to the canonical model and
//! validated; the invoice is posted to the ledger as a balanced journal
//! entry, its revenue shared out across cost centres without losing a cent;
//! the canonical invoice goes back to Stripe unchanged; and a canonical
//! change Stripe cannot hold shows up in the loss report instead of
//! vanishing.

use canonical_finance::mapping::{Mapped, Registry};
use canonical_finance::model::{
    Contract, Customer, Invoice, JournalEntry, JournalEntryId, JournalLine, Payment, Side,
    SourceDocument,
};
use canonical_finance::validate::Validate;
use canonical_finance::{Money, Rounding};
use rust_decimal_macros::dec;
use serde_json::Value;

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
        "  {what}: {} violation(s), {} loss(es){}",
        validation.violations().len(),
        mapped.losses.len(),
        if validation.is_valid() { "" } else { " — INVALID" }
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

    println!("\n3. Posted to the ledger, revenue shared 60/40 between two cost centres");
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

    println!("\n4. Canonical → Stripe");
    let stripe = registry.get("stripe", "invoice")?;
    let back = stripe.to_vendor(&serde_json::to_value(inv)?)?;
    println!(
        "  the invoice comes back JSON-equal to what Stripe sent: {}",
        back.value == stripe_invoice
    );

    let mut edited = serde_json::to_value(&customer.value)?;
    if let Some(fields) = edited.as_object_mut() {
        fields.insert("legal_name".into(), Value::String("Example Corp. Holdings LLC".into()));
    }
    let out = registry.get("stripe", "customer")?.to_vendor(&edited)?;
    println!("  a legal name Stripe cannot hold is reported, not dropped:");
    for loss in &out.losses {
        println!("    {loss}");
    }

    println!("\n5. Exact money, whatever the currency");
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
