//! The EN 16931 rules the model holds beyond the totals: parties, lines and
//! items, allowance reasons, VAT categories and the tax ids they need,
//! code lists, the presence scope, and the conformance table.

use canonical_finance::model::*;
use canonical_finance::validate::{
    RuleScope, Severity, Validate, en16931_conformance, en16931_markdown, rule, rules,
};
use chrono::NaiveDate;
use rust_decimal_macros::dec;

use crate::invoices::*;

fn codes(invoice: &Invoice) -> Vec<(String, String)> {
    found(invoice, canonical_finance::validate::Profile::Exact)
}

fn has(invoice: &Invoice, code: &str, path: &str) {
    let got = codes(invoice);
    assert!(got.contains(&(code.to_owned(), path.to_owned())), "{code} at {path}: {got:?}");
}

fn severity_of(invoice: &Invoice, code: &str) -> Severity {
    invoice.validate().violations().iter().find(|v| v.code == code).map(|v| v.severity).unwrap()
}

fn vat(value: &str) -> TaxId {
    TaxId::new(TaxIdScheme::Vat, value)
}

// ---------------------------------------------------------------------------
// Presence scope

#[test]
fn presence_rules_are_errors_on_declared_invoices_and_warnings_otherwise() {
    let mut i = valid();
    i.seller.as_mut().unwrap().name = None;
    only(&i, "BR-06", "/seller/name");
    assert_eq!(severity_of(&i, "BR-06"), Severity::Error);
    assert!(!i.validate().is_valid());

    // Without a specification naming EN 16931 the same gap is a warning.
    i.specification = None;
    only(&i, "BR-06", "/seller/name");
    assert_eq!(severity_of(&i, "BR-06"), Severity::Warning);
    assert!(i.validate().is_valid());

    // Another specification is not EN 16931.
    i.specification = Some("urn:example:my-own-invoice".into());
    assert_eq!(severity_of(&i, "BR-06"), Severity::Warning);

    // A CIUS built on EN 16931 is EN 16931; a draft is still being written.
    i.specification =
        Some("urn:cen.eu:en16931:2017#compliant#urn:fdc:peppol.eu:2017:poacc:billing:3.0".into());
    assert_eq!(severity_of(&i, "BR-06"), Severity::Error);
    i.status = InvoiceStatus::Draft;
    assert_eq!(severity_of(&i, "BR-06"), Severity::Warning);

    // The catalogue says which rules are presence rules.
    assert_eq!(rule("BR-06").unwrap().scope, RuleScope::En16931);
    assert_eq!(rule("BR-CO-10").unwrap().scope, RuleScope::Always);
}

// ---------------------------------------------------------------------------
// Parties

#[test]
fn the_seller_has_a_name_an_address_and_an_identifier() {
    let mut i = valid();
    i.seller = None;
    let got = codes(&i);
    assert!(got.contains(&("BR-06".into(), "/seller".into())), "{got:?}");
    assert!(got.contains(&("BR-08".into(), "/seller".into())), "{got:?}");
    // The standard category then lacks the seller's VAT id too.
    assert!(got.contains(&("INV-SELLER-TAX-ID".into(), "/seller/tax_ids".into())), "{got:?}");
    assert_eq!(got.len(), 3, "{got:?}");

    let mut i = valid();
    i.seller.as_mut().unwrap().address = None;
    only(&i, "BR-08", "/seller/address");

    // A tax registration is enough for the standard category but does not
    // identify the seller (BR-CO-26); a SEPA creditor id does not either.
    let mut i = valid();
    let s = i.seller.as_mut().unwrap();
    s.tax_ids = vec![TaxId::new(TaxIdScheme::TaxRegistration, "27/604/01829")];
    s.identifiers.push(Identifier::new("DE98ZZZ09999999999").with_scheme("SEPA"));
    only(&i, "BR-CO-26", "/seller");
    i.seller
        .as_mut()
        .unwrap()
        .identifiers
        .push(Identifier::new("4012345000016").with_scheme("0088"));
    assert!(i.validate().violations().is_empty(), "{}", i.validate());
    // A legal registration identifies it as well.
    let mut i = valid();
    i.seller.as_mut().unwrap().tax_ids = vec![
        TaxId::new(TaxIdScheme::TaxRegistration, "27/604/01829"),
        TaxId::new(TaxIdScheme::LegalRegistration, "HRB 154821"),
    ];
    assert!(i.validate().violations().is_empty(), "{}", i.validate());

    let mut i = valid();
    i.seller.as_mut().unwrap().electronic_address = Some(Identifier::new("rechnung@example.com"));
    only(&i, "BR-62", "/seller/electronic_address/scheme");
    i.seller.as_mut().unwrap().electronic_address =
        Some(Identifier::new("rechnung@example.com").with_scheme("MAIL"));
    only(&i, "BR-CL-25", "/seller/electronic_address/scheme");
    i.seller.as_mut().unwrap().electronic_address =
        Some(Identifier::new("rechnung@example.com").with_scheme("EM"));
    assert!(i.validate().violations().is_empty(), "{}", i.validate());
}

#[test]
fn the_buyer_has_a_name_and_an_address() {
    let mut i = valid();
    i.buyer = None;
    let got = codes(&i);
    assert_eq!(got, [("BR-07".into(), "/buyer".into()), ("BR-10".into(), "/buyer".into())]);

    let mut i = valid();
    i.buyer.as_mut().unwrap().name = Some("  ".into());
    only(&i, "BR-07", "/buyer/name");

    let mut i = valid();
    i.buyer.as_mut().unwrap().address = None;
    only(&i, "BR-10", "/buyer/address");

    let mut i = valid();
    i.buyer.as_mut().unwrap().electronic_address = Some(Identifier::new("991-01234-56"));
    only(&i, "BR-63", "/buyer/electronic_address/scheme");
}

#[test]
fn a_payee_has_a_name_and_is_not_the_seller() {
    let mut i = valid();
    i.payee = Some(Party::default());
    only(&i, "BR-17", "/payee/name");
    i.payee = Some(Party::named("Bohnenwerk Kaffeeservice GmbH"));
    only(&i, "BR-17", "/payee");
    let report = i.validate();
    assert!(report.violations()[0].message.contains("the seller's name"), "{report}");
    i.payee = Some(Party::named("Nordfactoring AG"));
    assert!(i.validate().violations().is_empty(), "{}", i.validate());
}

#[test]
fn a_tax_representative_has_a_name_an_address_and_a_vat_id() {
    let mut i = valid();
    i.tax_representative = Some(Party::default());
    assert_eq!(
        codes(&i),
        [
            ("BR-18".into(), "/tax_representative/name".into()),
            ("BR-19".into(), "/tax_representative/address".into()),
            ("BR-56".into(), "/tax_representative/tax_ids".into()),
        ]
    );
    let mut rep = Party::named("Fiscal Rep BV");
    rep.address = Some(Address::new(CountryCode::new("NL").unwrap()));
    rep.tax_ids.push(vat("NL859012345B01"));
    i.tax_representative = Some(rep);
    assert!(i.validate().violations().is_empty(), "{}", i.validate());

    // The representative's VAT id stands in for the seller's.
    i.seller.as_mut().unwrap().tax_ids.clear();
    only(&i, "BR-CO-26", "/seller");
}

#[test]
fn party_schemes_follow_their_code_lists() {
    let mut i = valid();
    i.seller.as_mut().unwrap().identifiers.push(Identifier::new("123").with_scheme("9999"));
    only(&i, "BR-CL-10", "/seller/identifiers/0/scheme");

    // SEPA is a scheme for the seller's and the payee's creditor ids only.
    let mut i = valid();
    i.buyer.as_mut().unwrap().identifiers.push(Identifier::new("X").with_scheme("SEPA"));
    only(&i, "BR-CL-10", "/buyer/identifiers/0/scheme");

    let mut i = valid();
    let mut legal = TaxId::new(TaxIdScheme::LegalRegistration, "HRB 154821");
    legal.label = Some("HRB".into());
    i.seller.as_mut().unwrap().tax_ids.push(legal);
    only(&i, "BR-CL-11", "/seller/tax_ids/1/label");

    let mut i = valid();
    let mut delivery = Delivery::default();
    delivery.location_id = Some(Identifier::new("3012345000038").with_scheme("GLN"));
    i.delivery = Some(delivery);
    only(&i, "BR-CL-26", "/delivery/location_id/scheme");

    // VAT ids on parties follow BR-CO-09 like everywhere else.
    let mut i = valid();
    i.buyer.as_mut().unwrap().tax_ids = vec![vat("GR094259216")];
    only(&i, "VAT-ID", "/buyer/tax_ids/0/value");
}

// ---------------------------------------------------------------------------
// Lines and items

#[test]
fn every_line_has_an_id_a_unit_and_an_item_name() {
    let mut i = valid();
    i.lines[1].id = None;
    only(&i, "BR-21", "/lines/1/id");

    let mut i = valid();
    i.lines[2].id = i.lines[0].id.clone();
    only(&i, "INV-LINE-ID", "/lines/2/id");

    let mut i = valid();
    i.lines[0].unit_of_measure = None;
    only(&i, "BR-23", "/lines/0/unit_of_measure");
    i.lines[0].unit_of_measure = Some("PIECES".into());
    only(&i, "BR-CL-23", "/lines/0/unit_of_measure");
    // Recommendation 21 package codes are accepted too.
    i.lines[0].unit_of_measure = Some("XBX".into());
    assert!(i.validate().violations().is_empty(), "{}", i.validate());

    let mut i = valid();
    i.lines[0].item = None;
    i.lines[0].description = Some("Espresso".into());
    only(&i, "BR-25", "/lines/0/item/name");
}

#[test]
fn prices_gross_and_per_base_quantity() {
    let mut i = valid();
    i.lines[0].gross_price = Some(eur(dec!(-1.00)));
    only(&i, "BR-28", "/lines/0/gross_price/amount");

    let mut i = valid();
    i.lines[0].price_base_quantity = Some(dec!(0));
    has(&i, "INV-PRICE-BASE-QUANTITY", "/lines/0/price_base_quantity");

    // 10 units at 120.00 per 100 units: 12.00.
    let mut i = valid();
    i.lines[0].price_base_quantity = Some(dec!(100));
    i.lines[0].net_amount = eur(dec!(12.00));
    recompute(&mut i);
    assert!(i.validate().violations().is_empty(), "{}", i.validate());
    i.lines[0].net_amount = eur(dec!(1200.00));
    recompute(&mut i);
    only(&i, "INV-LINE-NET", "/lines/0/net_amount");
}

#[test]
fn periods_have_a_start_or_an_end() {
    let mut i = valid();
    let mut empty = Period::new(date(2026, 11, 1), date(2026, 11, 30));
    empty.start = None;
    empty.end = None;
    i.period = Some(empty);
    only(&i, "BR-CO-19", "/period");

    let mut i = valid();
    let mut p = Period::new(date(2026, 11, 1), date(2026, 11, 30));
    p.start = None;
    i.lines[0].period = Some(p);
    assert!(i.validate().violations().is_empty(), "an end alone is a period");
    p.end = None;
    i.lines[0].period = Some(p);
    only(&i, "BR-CO-20", "/lines/0/period");
}

#[test]
fn item_identifiers_name_their_schemes() {
    let mut i = valid();
    let item = i.lines[0].item.as_mut().unwrap();
    item.standard_id = Some(Identifier::new("4006381333931"));
    only(&i, "BR-64", "/lines/0/item/standard_id/scheme");
    i.lines[0].item.as_mut().unwrap().standard_id =
        Some(Identifier::new("4006381333931").with_scheme("GTIN"));
    only(&i, "BR-CL-21", "/lines/0/item/standard_id/scheme");
    i.lines[0].item.as_mut().unwrap().standard_id =
        Some(Identifier::new("4006381333931").with_scheme("0160"));
    assert!(i.validate().violations().is_empty(), "{}", i.validate());

    let mut i = valid();
    let mut class = ItemClassification::new("15860000", "STI");
    class.scheme = None;
    i.lines[0].item.as_mut().unwrap().classifications.push(class);
    only(&i, "BR-65", "/lines/0/item/classifications/0/scheme");
    i.lines[0].item.as_mut().unwrap().classifications[0].scheme = Some("CPV".into());
    only(&i, "BR-CL-13", "/lines/0/item/classifications/0/scheme");
    i.lines[0].item.as_mut().unwrap().classifications[0].scheme = Some("STI".into());
    assert!(i.validate().violations().is_empty(), "{}", i.validate());
}

// ---------------------------------------------------------------------------
// Allowances and charges

#[test]
fn allowances_and_charges_give_a_reason_and_a_category() {
    let mut i = valid();
    i.allowances_charges[0].reason = None;
    i.allowances_charges[0].reason_code = None;
    only(&i, "BR-33", "/allowances_charges/0/reason");
    i.allowances_charges[0].reason_code = Some("999".into());
    only(&i, "BR-CL-19", "/allowances_charges/0/reason_code");
    i.allowances_charges[0].reason_code = Some("95".into());
    assert!(i.validate().violations().is_empty(), "{}", i.validate());

    // A document-level allowance without a category cannot be in a
    // breakdown either.
    let mut i = valid();
    i.allowances_charges[0].tax_category = None;
    i.allowances_charges[0].tax_rate = None;
    has(&i, "BR-32", "/allowances_charges/0/tax_category");

    let mut i = valid();
    let mut freight = AllowanceCharge::charge(eur(dec!(25.00)));
    freight.tax_category = Some(TaxCategory::Standard);
    freight.tax_rate = Some(dec!(19));
    i.allowances_charges.push(freight.clone());
    recompute(&mut i);
    only(&i, "BR-38", "/allowances_charges/1/reason");
    i.allowances_charges[1].reason_code = Some("FREIGHT".into());
    only(&i, "BR-CL-20", "/allowances_charges/1/reason_code");
    i.allowances_charges[1].reason_code = Some("FC".into());
    assert!(i.validate().violations().is_empty(), "{}", i.validate());
    freight.reason_code = Some("FC".into());
    freight.tax_category = None;
    i.allowances_charges[1] = freight;
    has(&i, "BR-37", "/allowances_charges/1/tax_category");

    let mut i = valid();
    let mut rebate = AllowanceCharge::allowance(eur(dec!(10.00)));
    rebate.reason_code = None;
    i.lines[0].allowances_charges.push(rebate);
    i.lines[0].net_amount = eur(i.lines[0].net_amount.amount() - dec!(10.00));
    recompute(&mut i);
    only(&i, "BR-42", "/lines/0/allowances_charges/0/reason");
    let mut i = valid();
    i.lines[0].allowances_charges.push(AllowanceCharge::charge(eur(dec!(10.00))));
    i.lines[0].net_amount = eur(i.lines[0].net_amount.amount() + dec!(10.00));
    recompute(&mut i);
    only(&i, "BR-44", "/lines/0/allowances_charges/0/reason");
}

// ---------------------------------------------------------------------------
// VAT categories

#[test]
fn each_category_has_its_rate() {
    // Outside scope: no rate on lines, allowances and charges.
    let i = in_category(TaxCategory::OutsideScope, None);
    assert!(i.validate().violations().is_empty(), "{}", i.validate());
    let mut j = i.clone();
    j.lines[0].tax_rate = Some(dec!(0));
    only(&j, "INV-TAX-RATE-OUTSIDE-SCOPE", "/lines/0/tax_rate");
    let mut j = i.clone();
    j.tax_breakdown[0].rate = Some(dec!(0));
    assert!(j.validate().violations().is_empty(), "a breakdown may say 0: {}", j.validate());

    // Zero-rated: rate zero, given or not.
    let mut i = in_category(TaxCategory::ZeroRated, Some(dec!(0)));
    assert!(i.validate().violations().is_empty(), "{}", i.validate());
    i.tax_breakdown[0].rate = None;
    only(&i, "BR-48", "/tax_breakdown/0/rate");

    // IGIC and IPSI: zero or more, and given.
    let i = in_category(TaxCategory::CanaryIslands, Some(dec!(7)));
    assert!(i.validate().violations().is_empty(), "{}", i.validate());
    let mut j = i.clone();
    j.lines[0].tax_rate = None;
    has(&j, "INV-TAX-RATE-NON-NEGATIVE", "/lines/0/tax_rate");
    let i = in_category(TaxCategory::CeutaMelilla, Some(dec!(0)));
    assert!(i.validate().violations().is_empty(), "{}", i.validate());
    let mut j = i.clone();
    j.tax_breakdown[0].exemption_reason = Some("exempt".into());
    only(&j, "INV-EXEMPTION-REASON-FORBIDDEN", "/tax_breakdown/0/exemption_reason");
}

#[test]
fn an_invoice_has_a_tax_breakdown() {
    // BR-CO-18 on its own, and INV-TAX-GROUP (BR-S-01) for the category
    // the lines use but no breakdown carries.
    let mut i = valid();
    i.tax_breakdown.clear();
    let got = codes(&i);
    assert_eq!(got.first(), Some(&("BR-CO-18".to_owned(), "/tax_breakdown".to_owned())), "{got:?}");
    has(&i, "INV-TAX-GROUP", "/tax_breakdown");
    assert_eq!(severity_of(&i, "BR-CO-18"), Severity::Error);
    assert_eq!(rule("BR-CO-18").unwrap().scope, RuleScope::En16931);
    // Outside EN 16931 (a US invoice without sales tax, say) a warning;
    // a draft is not held to it at all.
    i.specification = None;
    assert_eq!(severity_of(&i, "BR-CO-18"), Severity::Warning);
    i.status = InvoiceStatus::Draft;
    assert!(codes(&i).iter().all(|(code, _)| code != "BR-CO-18"));
}

#[test]
fn exemption_codes_are_vatex() {
    let mut i = in_category(TaxCategory::Exempt, Some(dec!(0)));
    assert!(i.validate().violations().is_empty(), "{}", i.validate());
    i.tax_breakdown[0].exemption_reason_code = Some("EU-132".into());
    only(&i, "BR-CL-22", "/tax_breakdown/0/exemption_reason_code");
}

#[test]
fn outside_the_scope_of_tax_nothing_else_and_no_vat_ids() {
    let mut i = in_category(TaxCategory::OutsideScope, None);
    i.lines[1].tax_category = Some(TaxCategory::Standard);
    i.lines[1].tax_rate = Some(dec!(19));
    recompute(&mut i);
    // The standard line's breakdown and the line itself both break BR-O-11/12.
    has(&i, "INV-OUTSIDE-SCOPE-EXCLUSIVE", "/lines/1/tax_category");
    let bd = i.tax_breakdown.iter().position(|t| t.category == TaxCategory::Standard).unwrap();
    has(&i, "INV-OUTSIDE-SCOPE-EXCLUSIVE", &format!("/tax_breakdown/{bd}/category"));

    let mut i = in_category(TaxCategory::OutsideScope, None);
    i.seller.as_mut().unwrap().tax_ids.push(vat("DE811907980"));
    i.buyer.as_mut().unwrap().tax_ids.push(vat("DE276483156"));
    assert_eq!(
        codes(&i),
        [
            ("INV-OUTSIDE-SCOPE-VAT-ID".into(), "/seller/tax_ids".into()),
            ("INV-OUTSIDE-SCOPE-VAT-ID".into(), "/buyer/tax_ids".into()),
        ]
    );
    // These are EN 16931's VAT conventions: a Stripe invoice without tax to
    // a customer with a VAT id is not wrong for that, only not an e-invoice.
    i.specification = None;
    assert_eq!(severity_of(&i, "INV-OUTSIDE-SCOPE-VAT-ID"), Severity::Warning);
    assert!(i.validate().is_valid());
}

#[test]
fn categories_need_the_tax_ids_of_seller_and_buyer() {
    // Standard: the seller's VAT id or tax registration, or the tax
    // representative's VAT id.
    let mut i = valid();
    i.seller.as_mut().unwrap().tax_ids =
        vec![TaxId::new(TaxIdScheme::LegalRegistration, "HRB 154821")];
    only(&i, "INV-SELLER-TAX-ID", "/seller/tax_ids");

    // Export: a VAT id, a tax registration is not enough.
    let mut i = in_category(TaxCategory::Export, Some(dec!(0)));
    assert!(i.validate().violations().is_empty(), "{}", i.validate());
    i.seller.as_mut().unwrap().tax_ids = vec![
        TaxId::new(TaxIdScheme::TaxRegistration, "27/604/01829"),
        TaxId::new(TaxIdScheme::LegalRegistration, "HRB 154821"),
    ];
    only(&i, "INV-SELLER-VAT-ID", "/seller/tax_ids");

    // Reverse charge: the buyer's VAT id or legal registration.
    let mut i = in_category(TaxCategory::ReverseCharge, Some(dec!(0)));
    assert!(i.validate().violations().is_empty(), "{}", i.validate());
    i.buyer.as_mut().unwrap().tax_ids.clear();
    only(&i, "INV-BUYER-TAX-ID", "/buyer/tax_ids");
    i.buyer.as_mut().unwrap().tax_ids.push(TaxId::new(TaxIdScheme::LegalRegistration, "HRB 1"));
    assert!(i.validate().violations().is_empty(), "{}", i.validate());
}

#[test]
fn an_intra_community_supply_says_when_and_where_it_was_delivered() {
    let mut i = in_category(TaxCategory::IntraCommunity, Some(dec!(0)));
    i.buyer.as_mut().unwrap().tax_ids = vec![vat("FR40303265045")];
    i.period = None;
    assert_eq!(
        codes(&i),
        [
            ("BR-IC-11".into(), "/delivery/date".into()),
            ("BR-IC-12".into(), "/delivery/address".into())
        ]
    );
    let mut delivery = Delivery::default();
    delivery.date = NaiveDate::from_ymd_opt(2026, 11, 28);
    delivery.address = Some(Address::new(CountryCode::new("FR").unwrap()));
    i.delivery = Some(delivery);
    assert!(i.validate().violations().is_empty(), "{}", i.validate());
    // The buyer's VAT id is required.
    i.buyer.as_mut().unwrap().tax_ids.clear();
    only(&i, "INV-BUYER-TAX-ID", "/buyer/tax_ids");
}

// ---------------------------------------------------------------------------
// Dates, references, credit notes, tax currency

#[test]
fn the_tax_point_is_a_date_or_a_code() {
    let mut i = valid();
    i.tax_point_date_code = Some("35".into());
    assert!(i.validate().violations().is_empty(), "{}", i.validate());
    i.tax_point_date = Some(date(2026, 11, 30));
    only(&i, "BR-CO-03", "/tax_point_date_code");
    i.tax_point_date = None;
    i.tax_point_date_code = Some("5".into());
    only(&i, "BR-CL-06", "/tax_point_date_code");
}

#[test]
fn a_due_date_that_contradicts_the_terms_is_an_error() {
    // valid(): issued 2026-11-02, due 2026-12-02, no terms.
    let mut i = valid();
    i.payment_terms = Some(PaymentTerms::net_days(30));
    assert!(i.validate().violations().is_empty(), "{}", i.validate());
    i.payment_terms = Some(PaymentTerms::net_days(14));
    only(&i, "INV-DUE-DATE-TERMS", "/due_date");
    assert_eq!(
        i.validate().violations()[0].message,
        "expected 2026-11-16, the due date of the payment terms (net 14 days) for an invoice issued on 2026-11-02, but found 2026-12-02"
    );
    // 30 days after the end of November.
    i.payment_terms = Some(PaymentTerms::net_days_end_of_month(30));
    i.due_date = Some(date(2026, 12, 30));
    assert!(i.validate().violations().is_empty(), "{}", i.validate());
    // The 15th of the following month.
    i.payment_terms = Some(PaymentTerms::day_of_month(15, 1));
    i.due_date = Some(date(2026, 12, 15));
    assert!(i.validate().violations().is_empty(), "{}", i.validate());
    i.due_date = Some(date(2026, 12, 16));
    only(&i, "INV-DUE-DATE-TERMS", "/due_date");
    // Terms that only describe leave the date alone; an earlier due date
    // is then only suspicious.
    let mut terms = PaymentTerms::default();
    terms.description = Some("Zahlbar sofort".into());
    i.payment_terms = Some(terms);
    i.due_date = Some(date(2026, 11, 1));
    only(&i, "INV-DUE-BEFORE-ISSUE", "/due_date");
    assert_eq!(severity_of(&i, "INV-DUE-BEFORE-ISSUE"), Severity::Warning);
}

#[test]
fn payment_terms_are_coherent() {
    let mut i = valid();
    let mut terms = PaymentTerms::net_days(30);
    terms.due_day_of_month = Some(15);
    i.payment_terms = Some(terms);
    has(&i, "PAYMENT-TERMS", "/payment_terms/due_day_of_month");
    let mut terms = PaymentTerms::day_of_month(32, 0);
    terms.end_of_month = true;
    i.payment_terms = Some(terms);
    let got = codes(&i);
    assert!(got.contains(&("PAYMENT-TERMS".into(), "/payment_terms/due_day_of_month".into())));
    assert!(got.contains(&("PAYMENT-TERMS".into(), "/payment_terms/end_of_month".into())));
    let mut terms = PaymentTerms::default();
    terms.due_months_after = Some(1);
    i.payment_terms = Some(terms);
    only(&i, "PAYMENT-TERMS", "/payment_terms/due_months_after");
}

#[test]
fn a_preceding_invoice_is_named_by_its_number() {
    let mut i = valid();
    i.kind = InvoiceKind::CreditNote;
    i.preceding_invoices.push(PrecedingInvoice::new(
        InvoiceRef::to_id(InvoiceId::new("inv_0").unwrap()),
        "2026-0000",
    ));
    assert!(i.validate().violations().is_empty(), "{}", i.validate());
    i.preceding_invoices[0].number = None;
    only(&i, "BR-55", "/preceding_invoices/0/number");
    assert_eq!(severity_of(&i, "BR-55"), Severity::Error);
    i.specification = None;
    assert_eq!(severity_of(&i, "BR-55"), Severity::Warning);
}

#[test]
fn a_credit_note_with_negated_amounts_is_an_error() {
    let mut i = valid();
    i.kind = InvoiceKind::CreditNote;
    i.preceding_invoices.push(PrecedingInvoice::new(
        InvoiceRef::to_id(InvoiceId::new("inv_0").unwrap()),
        "2026-0000",
    ));
    i.allowances_charges.clear();
    for l in &mut i.lines {
        l.quantity = -l.quantity;
        l.net_amount = l.net_amount.negate();
    }
    recompute(&mut i);
    assert_eq!(
        codes(&i),
        [
            ("INV-CREDIT-NOTE-SIGN".into(), "/totals/total_without_tax/amount".into()),
            ("INV-CREDIT-NOTE-SIGN".into(), "/totals/total_with_tax/amount".into()),
        ]
    );
    // The same amounts on an invoice are a negative invoice, which EN 16931 allows.
    i.kind = InvoiceKind::Invoice;
    i.preceding_invoices.clear();
    assert!(i.validate().violations().is_empty(), "{}", i.validate());
}

#[test]
fn a_tax_currency_needs_the_tax_total_in_it() {
    let mut i = valid();
    i.tax_currency = Some(canonical_finance::Currency::SEK);
    only(&i, "BR-53", "/totals/tax_total_in_tax_currency");
    i.totals.tax_total_in_tax_currency =
        Some(canonical_finance::Money::new(dec!(1098.30), canonical_finance::Currency::SEK));
    assert!(i.validate().violations().is_empty(), "{}", i.validate());
    i.totals.tax_total_in_tax_currency =
        Some(canonical_finance::Money::new(dec!(1098.305), canonical_finance::Currency::SEK));
    only(&i, "INV-MINOR-UNITS", "/totals/tax_total_in_tax_currency/amount");
}

// ---------------------------------------------------------------------------
// Both sides

#[test]
fn a_supplier_bill_is_checked_like_an_issued_invoice() {
    let mut i = valid();
    i.side = TradeSide::Purchases;
    // The supplier is the seller; the company is the buyer.
    std::mem::swap(&mut i.seller, &mut i.buyer);
    assert!(i.validate().violations().is_empty(), "{}", i.validate());
    i.counterparty = CustomerRef::default();
    only(&i, "INV-REFERENCE", "/counterparty");
    assert!(i.validate().violations()[0].message.contains("supplier"), "{}", i.validate());
    let json = serde_json::to_value(&i).unwrap();
    assert_eq!(json["side"], "purchases");
    let back: Invoice = serde_json::from_value(json).unwrap();
    assert_eq!(back, i);
    // The sales side is the default and is omitted.
    let sales = serde_json::to_value(valid()).unwrap();
    assert!(sales.get("side").is_none());
}

// ---------------------------------------------------------------------------
// The catalogue and the conformance table

#[test]
fn the_conformance_table_lists_every_en16931_business_rule() {
    let table = en16931_conformance();
    assert_eq!(
        table.len(),
        224,
        "the 223 rules of the artefacts 1.3.16 and the withdrawn BR-CO-25"
    );
    let mut ids: Vec<&str> = table.iter().map(|r| r.id).collect();
    ids.sort_unstable();
    ids.dedup();
    assert_eq!(ids.len(), table.len(), "each rule once");
    for r in &table {
        assert!(
            r.codes.is_empty() != r.not_needed.is_none(),
            "{}: codes {:?}, not needed {:?}",
            r.id,
            r.codes,
            r.not_needed
        );
        for code in &r.codes {
            assert!(rule(code).is_some(), "{} names an unknown code {code}", r.id);
        }
    }
    // Every EN 16931 rule a code claims is in the table.
    for r in rules() {
        for b in r.business_rules() {
            assert!(table.iter().any(|t| t.id == b), "{} claims {b}, which is not a rule", r.code);
        }
    }
    let find = |id: &str| table.iter().find(|r| r.id == id).unwrap();
    assert_eq!(find("BR-S-09").codes, ["BR-CO-17"]);
    assert_eq!(find("BR-CO-17").codes, ["BR-CO-17"]);
    assert_eq!(find("BR-50").codes, ["BR-50"]);
    assert_eq!(find("BR-61").codes, ["BR-61"]);
    assert_eq!(find("BR-04").codes, ["BR-04"]);
    assert!(find("BR-B-01").not_needed.is_some());
    // The Markdown is what docs/rules.md includes.
    let md = en16931_markdown();
    assert!(md.contains("| BR-06 | the seller has a name (BT-27) | `BR-06` | presence |"), "{md}");
    assert!(
        md.contains("| BR-04 | an invoice has a type code (BT-3) | `BR-04` | reading |"),
        "{md}"
    );
}

#[test]
fn br_51_is_a_warning_about_the_full_card_number() {
    let r = rule("BR-51").unwrap();
    assert_eq!(r.severity, Severity::Warning);
    // The official test cases: six digits pass, eleven warn.
    let mut i = valid();
    let mut card = PaymentInstruction::new(PaymentMeans::Card);
    card.card_number = Some("123456".into());
    i.payment_instructions.push(card);
    assert!(i.validate().violations().is_empty(), "{}", i.validate());
    i.payment_instructions[0].card_number = Some("12345678901".into());
    only(&i, "BR-51", "/payment_instructions/0/card_number");
    assert!(i.validate().is_valid());
}

mod terms {
    use canonical_finance::model::PaymentTerms;
    use chrono::{Datelike, Days, Months, NaiveDate};
    use proptest::prelude::*;

    fn any_date() -> impl Strategy<Value = NaiveDate> {
        (0i64..36_500).prop_map(|d| {
            NaiveDate::from_ymd_opt(2000, 1, 1)
                .unwrap()
                .checked_add_days(Days::new(d as u64))
                .unwrap()
        })
    }

    fn last_of_month(d: NaiveDate) -> NaiveDate {
        d.with_day(1).unwrap().checked_add_months(Months::new(1)).unwrap().pred_opt().unwrap()
    }

    proptest! {
        #[test]
        fn net_days_count_from_the_issue_date_or_the_end_of_its_month(issue in any_date(), n in 0u32..400) {
            prop_assert_eq!(PaymentTerms::net_days(n).due_date(issue), issue.checked_add_days(Days::new(n.into())));
            let eom = PaymentTerms::net_days_end_of_month(n).due_date(issue).unwrap();
            prop_assert_eq!(eom, last_of_month(issue).checked_add_days(Days::new(n.into())).unwrap());
            prop_assert!(eom > issue || (n == 0 && eom == last_of_month(issue)));
        }

        #[test]
        fn a_day_of_the_month_lands_in_the_month_it_names(issue in any_date(), day in 1u8..=31, months in 0u32..24) {
            let due = PaymentTerms::day_of_month(day, months).due_date(issue).unwrap();
            let month = issue.with_day(1).unwrap().checked_add_months(Months::new(months)).unwrap();
            prop_assert_eq!((due.year(), due.month()), (month.year(), month.month()));
            prop_assert_eq!(due.day(), u32::from(day).min(last_of_month(month).day()));
        }

        #[test]
        fn terms_that_do_not_fix_a_date_give_none(issue in any_date(), day in 32u8..=255, n in 0u32..60) {
            prop_assert_eq!(PaymentTerms::day_of_month(day, 0).due_date(issue), None);
            let mut both = PaymentTerms::net_days(n);
            both.due_day_of_month = Some(10);
            prop_assert_eq!(both.due_date(issue), None);
            prop_assert_eq!(PaymentTerms::default().due_date(issue), None);
        }
    }
}
