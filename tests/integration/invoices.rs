//! Invoices for the validation tests: a complete, valid reference invoice
//! (EN 16931 declared, every party and line part given) and the helpers
//! that keep a changed invoice consistent.

use canonical_finance::model::*;
use canonical_finance::validate::{Profile, Validate};
use canonical_finance::{Currency, Money, Rounding};
use chrono::NaiveDate;
use rust_decimal::Decimal;
use rust_decimal_macros::dec;

pub(crate) fn eur(amount: Decimal) -> Money {
    Money::new(amount, Currency::EUR)
}

pub(crate) fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

pub(crate) fn line(qty: Decimal, price: Decimal, rate: Decimal) -> InvoiceLine {
    let net = Money::new(qty * price, Currency::EUR).round(Rounding::HalfUp).unwrap();
    let mut l = InvoiceLine::new(qty, eur(price), net);
    l.tax_category = Some(TaxCategory::Standard);
    l.tax_rate = Some(rate);
    l.unit_of_measure = Some("C62".into());
    l.item = Some(ItemRef::named("Espresso Crema 1 kg"));
    l
}

/// The seller: a German company with its VAT id.
pub(crate) fn seller() -> Party {
    let mut p = Party::named("Bohnenwerk Kaffeeservice GmbH");
    p.tax_ids.push(TaxId::new(TaxIdScheme::Vat, "DE811907980"));
    p.address = Some(Address::new(CountryCode::new("DE").unwrap()));
    p
}

/// The buyer as printed.
pub(crate) fn buyer() -> Party {
    let mut p = Party::named("Hafenkontor Logistik GmbH");
    p.tax_ids.push(TaxId::new(TaxIdScheme::Vat, "DE276483156"));
    p.address = Some(Address::new(CountryCode::new("DE").unwrap()));
    p
}

/// An issued EUR invoice with lines at 19 % and 7 %, a document-level
/// discount at 19 %, and totals computed from its own lines.
pub(crate) fn valid() -> Invoice {
    let lines = vec![
        line(dec!(10), dec!(120.00), dec!(19)),
        line(dec!(3), dec!(15.50), dec!(7)),
        line(dec!(2.5), dec!(40.00), dec!(19)),
    ];
    let mut discount = AllowanceCharge::allowance(eur(dec!(50.00)));
    discount.reason = Some("loyalty discount".into());
    discount.tax_category = Some(TaxCategory::Standard);
    discount.tax_rate = Some(dec!(19));
    let mut invoice = Invoice::new(
        InvoiceId::new("inv_1").unwrap(),
        CustomerRef::to_id(CustomerId::new("cust_1").unwrap()),
        Currency::EUR,
        InvoiceTotals::new(eur(dec!(0)), eur(dec!(0)), eur(dec!(0))),
    );
    invoice.number = Some("2026-0001".into());
    invoice.status = InvoiceStatus::Issued;
    invoice.specification = Some(EN16931_URN.into());
    invoice.seller = Some(seller());
    invoice.buyer = Some(buyer());
    invoice.issue_date = Some(date(2026, 11, 2));
    invoice.due_date = Some(date(2026, 12, 2));
    invoice.lines = lines;
    invoice.allowances_charges = vec![discount];
    recompute(&mut invoice);
    invoice
}

/// Numbers the lines that have no id, then recomputes the tax breakdown
/// and totals from lines and allowances.
pub(crate) fn recompute(invoice: &mut Invoice) {
    for (n, l) in invoice.lines.iter_mut().enumerate() {
        l.id.get_or_insert_with(|| (n + 1).to_string());
        l.unit_of_measure.get_or_insert_with(|| "C62".into());
        l.item.get_or_insert_with(|| ItemRef::named("Item"));
    }
    let currency = invoice.currency;
    let m = |a: Decimal| Money::new(a, currency);
    let mut groups: Vec<(TaxCategory, Decimal, Decimal)> = Vec::new();
    let mut add = |c: TaxCategory, r: Decimal, a: Decimal| match groups
        .iter_mut()
        .find(|g| g.0 == c && g.1 == r)
    {
        Some(g) => g.2 += a,
        None => groups.push((c, r, a)),
    };
    for l in &invoice.lines {
        add(l.tax_category.unwrap(), l.tax_rate.unwrap_or_default(), l.net_amount.amount());
    }
    for ac in &invoice.allowances_charges {
        let signed = if ac.kind == AllowanceChargeKind::Allowance {
            -ac.amount.amount()
        } else {
            ac.amount.amount()
        };
        add(ac.tax_category.unwrap(), ac.tax_rate.unwrap_or_default(), signed);
    }
    invoice.tax_breakdown = groups
        .into_iter()
        .map(|(c, r, taxable)| {
            let tax = m(taxable * r / dec!(100)).round(Rounding::HalfUp).unwrap();
            let mut t: TaxSubtotal = serde_json::from_value(serde_json::json!({
                "category": c, "rate": r.to_string(),
                "taxable_amount": m(taxable), "tax_amount": tax
            }))
            .unwrap();
            if let Some((reason, code)) = exemption(c) {
                t.exemption_reason = Some(reason.into());
                t.exemption_reason_code = Some(code.into());
            }
            t
        })
        .collect();
    let line_net: Decimal = invoice.lines.iter().map(|l| l.net_amount.amount()).sum();
    let allowances: Decimal = invoice
        .allowances_charges
        .iter()
        .filter(|a| a.kind == AllowanceChargeKind::Allowance)
        .map(|a| a.amount.amount())
        .sum();
    let charges: Decimal = invoice
        .allowances_charges
        .iter()
        .filter(|a| a.kind == AllowanceChargeKind::Charge)
        .map(|a| a.amount.amount())
        .sum();
    let tax: Decimal = invoice.tax_breakdown.iter().map(|t| t.tax_amount.amount()).sum();
    let mut totals =
        InvoiceTotals::new(m(line_net), m(tax), m(line_net - allowances + charges + tax));
    totals.total_without_tax = m(line_net - allowances + charges);
    if !allowances.is_zero() {
        totals.allowance_total = Some(m(allowances));
    }
    if !charges.is_zero() {
        totals.charge_total = Some(m(charges));
    }
    totals.amount_due = totals.total_with_tax;
    invoice.totals = totals;
}

/// The violations as (code, path) pairs.
pub(crate) fn found(invoice: &Invoice, profile: Profile) -> Vec<(String, String)> {
    invoice
        .validate_with(profile)
        .violations()
        .iter()
        .map(|v| (v.code.to_owned(), v.path.clone()))
        .collect()
}

pub(crate) fn only(invoice: &Invoice, code: &str, path: &str) {
    assert_eq!(
        found(invoice, Profile::Exact),
        vec![(code.to_owned(), path.to_owned())],
        "{}",
        invoice.validate()
    );
}

/// The exemption reason and VATEX code a category needs, if any.
pub(crate) fn exemption(category: TaxCategory) -> Option<(&'static str, &'static str)> {
    match category {
        TaxCategory::Exempt => Some(("Article 132 VAT Directive", "VATEX-EU-132")),
        TaxCategory::ReverseCharge => Some(("Reverse charge", "VATEX-EU-AE")),
        TaxCategory::IntraCommunity => Some(("Intra-community supply", "VATEX-EU-IC")),
        TaxCategory::Export => Some(("Export outside the EU", "VATEX-EU-G")),
        TaxCategory::OutsideScope => Some(("Not subject to VAT", "VATEX-EU-O")),
        _ => None,
    }
}

/// The reference invoice with every line and document-level allowance in
/// `category` at `rate` (`None`: no rate), its breakdown and totals
/// recomputed.
pub(crate) fn in_category(category: TaxCategory, rate: Option<Decimal>) -> Invoice {
    let mut i = valid();
    for l in &mut i.lines {
        l.tax_category = Some(category);
        l.tax_rate = rate;
    }
    for a in &mut i.allowances_charges {
        a.tax_category = Some(category);
        a.tax_rate = rate;
    }
    if category == TaxCategory::OutsideScope {
        // Outside the scope of VAT, no party has a VAT id (BR-O-02..04);
        // a legal registration identifies the seller.
        i.seller.as_mut().unwrap().tax_ids =
            vec![TaxId::new(TaxIdScheme::LegalRegistration, "HRB 154821")];
        i.buyer.as_mut().unwrap().tax_ids.clear();
    }
    recompute(&mut i);
    if rate.is_none() {
        for t in &mut i.tax_breakdown {
            t.rate = None;
        }
    }
    i
}
