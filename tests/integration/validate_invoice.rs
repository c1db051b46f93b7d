//! Invoice rules: one document per rule that breaks only that rule, the
//! tolerance profiles, and properties over generated invoices.

use canonical_finance::model::*;
use canonical_finance::validate::{Profile, Severity, Validate};
use canonical_finance::{Currency, Money, Rounding};
use proptest::prelude::*;
use rust_decimal::Decimal;
use rust_decimal_macros::dec;

use crate::invoices::*;

#[test]
fn the_reference_invoice_is_valid_in_every_profile() {
    let invoice = valid();
    for profile in Profile::ALL {
        let report = invoice.validate_with(profile);
        assert!(report.violations().is_empty(), "{profile:?}: {report}");
    }
    // Spot-check the arithmetic the reference relies on.
    assert_eq!(invoice.totals.line_net_total, eur(dec!(1346.50)));
    assert_eq!(invoice.totals.total_with_tax.to_string(), "1537.26 EUR");
}

#[test]
fn header_rules() {
    let mut i = valid();
    i.number = None;
    only(&i, "BR-02", "/number");

    let mut i = valid();
    i.issue_date = None;
    only(&i, "BR-03", "/issue_date");

    let mut i = valid();
    i.due_date = Some(date(2026, 10, 1));
    only(&i, "INV-DUE-BEFORE-ISSUE", "/due_date");
    assert!(i.validate().is_valid(), "a warning does not make the invoice invalid");

    let mut i = valid();
    i.period = Some(Period::new(date(2026, 11, 30), date(2026, 11, 1)));
    only(&i, "BR-29", "/period/end");

    let mut i = valid();
    i.lines[1].period = Some(Period::new(date(2026, 11, 30), date(2026, 11, 1)));
    only(&i, "BR-30", "/lines/1/period/end");

    let mut i = valid();
    i.counterparty = CustomerRef::default();
    only(&i, "INV-REFERENCE", "/counterparty");

    let mut i = valid();
    i.kind = InvoiceKind::CreditNote;
    only(&i, "INV-CREDIT-NOTE-REF", "/preceding_invoices");

    // A draft may lack number, date and lines.
    let mut i = valid();
    i.status = InvoiceStatus::Draft;
    i.number = None;
    i.issue_date = None;
    assert!(i.validate().violations().is_empty());
}

#[test]
fn an_invoice_that_is_not_a_draft_has_lines() {
    let mut i = valid();
    i.lines.clear();
    i.allowances_charges.clear();
    recompute(&mut i);
    // Without lines nothing is taxed: no tax breakdown either (BR-CO-18).
    assert_eq!(
        found(&i, Profile::Exact),
        [
            ("BR-16".to_owned(), "/lines".to_owned()),
            ("BR-CO-18".to_owned(), "/tax_breakdown".to_owned())
        ]
    );
}

#[test]
fn line_rules() {
    let mut i = valid();
    i.lines[0].net_amount = eur(dec!(1200.01));
    let codes: Vec<String> = found(&i, Profile::Exact).into_iter().map(|(c, _)| c).collect();
    assert!(codes.contains(&"INV-LINE-NET".to_owned()), "{codes:?}");
    assert!(
        found(&i, Profile::Exact).contains(&("INV-LINE-NET".into(), "/lines/0/net_amount".into()))
    );

    let mut i = valid();
    i.lines[2].tax_category = None;
    i.lines[2].tax_rate = None;
    let report = i.validate();
    assert!(
        report
            .violations()
            .iter()
            .any(|v| v.code == "BR-CO-04" && v.path == "/lines/2/tax_category"),
        "{report}"
    );

    let mut i = valid();
    i.lines[0].tax_rate = Some(dec!(0));
    let report = i.validate();
    assert!(
        report
            .violations()
            .iter()
            .any(|v| v.code == "INV-TAX-RATE-STANDARD" && v.path == "/lines/0/tax_rate"),
        "{report}"
    );

    let mut i = valid();
    i.lines[1].unit_price = eur(dec!(-15.50));
    i.lines[1].quantity = dec!(-3);
    only(&i, "BR-27", "/lines/1/unit_price/amount");
}

#[test]
fn line_net_accepts_either_tie_rounding_but_nothing_further() {
    let mut i = valid();
    // 3 × 0.125 = 0.375: 0.38 (half up) and 0.37 (half even) are both the
    // product correctly rounded.
    i.lines = vec![line(dec!(3), dec!(0.125), dec!(19))];
    i.allowances_charges.clear();
    for net in [dec!(0.38), dec!(0.37)] {
        i.lines[0].net_amount = eur(net);
        recompute(&mut i);
        assert!(i.validate().violations().is_empty(), "{net}: {}", i.validate());
    }
    i.lines[0].net_amount = eur(dec!(0.36));
    recompute(&mut i);
    only(&i, "INV-LINE-NET", "/lines/0/net_amount");
}

#[test]
fn line_allowances_and_charges_enter_the_line_net() {
    let mut i = valid();
    let mut discount = AllowanceCharge::allowance(eur(dec!(120.00)));
    discount.base_amount = Some(eur(dec!(1200.00)));
    discount.percent = Some(dec!(10));
    discount.reason = Some("Volume discount".into());
    i.lines[0].allowances_charges.push(discount);
    let mut packing = AllowanceCharge::charge(eur(dec!(5.00)));
    packing.reason_code = Some("PC".into());
    i.lines[0].allowances_charges.push(packing);
    i.lines[0].net_amount = eur(dec!(1085.00));
    recompute(&mut i);
    assert!(i.validate().violations().is_empty(), "{}", i.validate());

    i.lines[0].allowances_charges[0].amount = eur(dec!(119.00));
    i.lines[0].net_amount = eur(dec!(1086.00));
    recompute(&mut i);
    only(&i, "INV-ALLOWANCE-PERCENT", "/lines/0/allowances_charges/0/amount");
}

#[test]
fn each_total_has_its_rule() {
    type Break = fn(&mut InvoiceTotals);
    let cases: [(&str, &str, Break); 7] = [
        ("BR-CO-10", "/totals/line_net_total", |t| {
            t.line_net_total = eur(t.line_net_total.amount() + dec!(0.01))
        }),
        ("BR-CO-11", "/totals/allowance_total", |t| t.allowance_total = Some(eur(dec!(50.01)))),
        ("BR-CO-12", "/totals/charge_total", |t| t.charge_total = Some(eur(dec!(0.01)))),
        ("BR-CO-13", "/totals/total_without_tax", |t| {
            t.total_without_tax = eur(t.total_without_tax.amount() - dec!(0.01))
        }),
        ("BR-CO-14", "/totals/tax_total", |t| t.tax_total = eur(t.tax_total.amount() + dec!(0.01))),
        ("BR-CO-15", "/totals/total_with_tax", |t| {
            t.total_with_tax = eur(t.total_with_tax.amount() + dec!(0.01))
        }),
        ("BR-CO-16", "/totals/amount_due", |t| {
            t.amount_due = eur(t.amount_due.amount() - dec!(0.01))
        }),
    ];
    for (code, path, break_it) in cases {
        let mut i = valid();
        break_it(&mut i.totals);
        let got = found(&i, Profile::Exact);
        assert!(got.contains(&(code.to_owned(), path.to_owned())), "{code}: {got:?}");
        // Each total is checked against its own inputs, so one wrong total
        // is one violation, plus the next total that is built on it.
        assert!(got.len() <= 2, "{code}: {got:?}");
    }
}

#[test]
fn tax_breakdown_rules() {
    let mut i = valid();
    i.tax_breakdown[0].tax_amount = eur(i.tax_breakdown[0].tax_amount.amount() + dec!(0.01));
    i.totals.tax_total = eur(i.totals.tax_total.amount() + dec!(0.01));
    i.totals.total_with_tax = eur(i.totals.total_with_tax.amount() + dec!(0.01));
    i.totals.amount_due = i.totals.total_with_tax;
    only(&i, "BR-CO-17", "/tax_breakdown/0/tax_amount");

    let mut i = valid();
    i.tax_breakdown[1].taxable_amount = eur(i.tax_breakdown[1].taxable_amount.amount() + dec!(1));
    let got = found(&i, Profile::Exact);
    assert!(
        got.contains(&("INV-TAX-GROUP".into(), "/tax_breakdown/1/taxable_amount".into())),
        "{got:?}"
    );

    let mut i = valid();
    i.tax_breakdown.remove(1);
    let got = found(&i, Profile::Exact);
    assert!(got.contains(&("INV-TAX-GROUP".into(), "/tax_breakdown".into())), "{got:?}");

    // Exempt lines need a reason; standard ones must not have one.
    let mut i = valid();
    i.lines[1].tax_category = Some(TaxCategory::Exempt);
    i.lines[1].tax_rate = Some(dec!(0));
    recompute(&mut i);
    assert!(i.validate().violations().is_empty(), "{}", i.validate());
    let k = i.tax_breakdown.iter().position(|t| t.category == TaxCategory::Exempt).unwrap();
    i.tax_breakdown[k].exemption_reason = None;
    i.tax_breakdown[k].exemption_reason_code = None;
    only(&i, "INV-EXEMPTION-REASON", &format!("/tax_breakdown/{k}/exemption_reason"));

    let mut i = valid();
    i.tax_breakdown[0].exemption_reason = Some("none".into());
    only(&i, "INV-EXEMPTION-REASON-FORBIDDEN", "/tax_breakdown/0/exemption_reason");

    let mut i = valid();
    i.lines[1].tax_category = Some(TaxCategory::ZeroRated);
    i.lines[1].tax_rate = Some(dec!(7));
    recompute(&mut i);
    let got = found(&i, Profile::Exact);
    assert!(got.contains(&("INV-TAX-RATE-ZERO".into(), "/lines/1/tax_rate".into())), "{got:?}");
}

#[test]
fn currency_and_minor_units() {
    let mut i = valid();
    i.lines[0].unit_price = Money::new(dec!(120.00), Currency::USD);
    only(&i, "INV-CURRENCY", "/lines/0/unit_price/currency");

    // Unit prices may carry more decimals than the currency.
    let mut i = valid();
    i.lines[0].unit_price = eur(dec!(120.0000));
    assert!(i.validate().violations().is_empty());

    let mut i = valid();
    i.notes.push("x".into());
    i.totals.amount_due = eur(i.totals.amount_due.amount() + dec!(0.001));
    let got = found(&i, Profile::Exact);
    assert!(
        got.contains(&("INV-MINOR-UNITS".into(), "/totals/amount_due/amount".into())),
        "{got:?}"
    );
}

#[test]
fn minor_units_follow_the_currency() {
    // JPY has no decimals; KWD has three.
    for (currency, price, ok) in [
        (Currency::JPY, dec!(1500), true),
        (Currency::JPY, dec!(1500.5), false),
        (Currency::KWD, dec!(12.125), true),
        (Currency::KWD, dec!(12.1255), false),
    ] {
        let mut i = valid();
        i.currency = currency;
        i.allowances_charges.clear();
        let mut l =
            InvoiceLine::new(dec!(1), Money::new(price, currency), Money::new(price, currency));
        l.tax_category = Some(TaxCategory::Standard);
        l.tax_rate = Some(dec!(10));
        i.lines = vec![l];
        recompute(&mut i);
        let codes = i.validate().codes();
        assert_eq!(codes.contains(&"INV-MINOR-UNITS"), !ok, "{currency} {price}: {codes:?}");
    }
}

#[test]
fn status_rules() {
    let mut i = valid();
    i.status = InvoiceStatus::Paid;
    only(&i, "INV-STATUS-PAID", "/totals/amount_due");

    let mut i = valid();
    i.status = InvoiceStatus::Paid;
    i.totals.paid = Some(i.totals.total_with_tax);
    i.totals.amount_due = eur(dec!(0.00));
    assert!(i.validate().violations().is_empty(), "{}", i.validate());
    i.status = InvoiceStatus::Void;
    only(&i, "INV-STATUS-VOID", "/totals/paid");

    let mut i = valid();
    i.status = InvoiceStatus::PartiallyPaid;
    only(&i, "INV-STATUS-PARTIALLY-PAID", "/totals/paid");
    i.totals.paid = Some(eur(dec!(100.00)));
    i.totals.amount_due = eur(i.totals.total_with_tax.amount() - dec!(100.00));
    assert!(i.validate().violations().is_empty(), "{}", i.validate());
}

#[test]
fn profiles_relax_only_their_rules() {
    let mut i = valid();
    i.lines[0].net_amount = eur(dec!(1200.02));
    recompute(&mut i);
    assert_eq!(i.validate_with(Profile::Exact).codes(), ["INV-LINE-NET"]);
    assert!(i.validate_with(Profile::Peppol).violations().is_empty());
    i.lines[0].net_amount = eur(dec!(1200.03));
    recompute(&mut i);
    assert_eq!(i.validate_with(Profile::Peppol).codes(), ["INV-LINE-NET"]);

    let mut i = valid();
    let t = &mut i.tax_breakdown[0];
    t.tax_amount = eur(t.tax_amount.amount() + dec!(0.99));
    i.totals.tax_total = eur(i.totals.tax_total.amount() + dec!(0.99));
    i.totals.total_with_tax = eur(i.totals.total_with_tax.amount() + dec!(0.99));
    i.totals.amount_due = i.totals.total_with_tax;
    assert_eq!(i.validate_with(Profile::Exact).codes(), ["BR-CO-17"]);
    assert_eq!(i.validate_with(Profile::Peppol).codes(), ["BR-CO-17"]);
    assert!(i.validate_with(Profile::En16931Ubl).violations().is_empty());
    let t = &mut i.tax_breakdown[0];
    t.tax_amount = eur(t.tax_amount.amount() + dec!(0.01));
    i.totals.tax_total = eur(i.totals.tax_total.amount() + dec!(0.01));
    i.totals.total_with_tax = eur(i.totals.total_with_tax.amount() + dec!(0.01));
    i.totals.amount_due = i.totals.total_with_tax;
    assert_eq!(i.validate_with(Profile::En16931Ubl).codes(), ["BR-CO-17"]);
}

#[test]
fn the_report_serializes_with_code_severity_path_and_message() {
    let mut i = valid();
    i.totals.line_net_total = eur(dec!(1346.49));
    let json = serde_json::to_value(i.validate()).unwrap();
    assert_eq!(
        json,
        serde_json::json!({
            "valid": false, "errors": 2, "warnings": 0,
            "violations": [
                {"code": "BR-CO-10", "severity": "error", "path": "/totals/line_net_total",
                 "message": "expected the sum of line net amounts, 1346.50 EUR, but found 1346.49 EUR"},
                {"code": "BR-CO-13", "severity": "error", "path": "/totals/total_without_tax",
                 "message": "expected line net total − allowance total + charge total, 1296.49 EUR, but found 1296.50 EUR"}
            ]
        })
    );
}

fn arb_invoice() -> impl Strategy<Value = Invoice> {
    let currency = prop_oneof![Just(Currency::EUR), Just(Currency::JPY), Just(Currency::KWD)];
    let lines = prop::collection::vec(
        (
            1u32..50,
            1i64..1_000_000,
            prop_oneof![Just(dec!(19)), Just(dec!(7)), Just(dec!(10)), Just(dec!(0.5))],
        ),
        1..8,
    );
    (currency, lines, 0i64..10_000).prop_map(|(currency, lines, discount)| {
        let mu = currency.minor_units().unwrap();
        let mut invoice = valid();
        invoice.currency = currency;
        invoice.lines = lines
            .into_iter()
            .map(|(qty, price, rate)| {
                let price = Money::new(Decimal::new(price, mu), currency);
                let net =
                    price.checked_mul(Decimal::from(qty)).unwrap().round(Rounding::HalfUp).unwrap();
                let mut l = InvoiceLine::new(Decimal::from(qty), price, net);
                l.tax_category = Some(TaxCategory::Standard);
                l.tax_rate = Some(rate);
                l
            })
            .collect();
        let first_rate = invoice.lines[0].tax_rate;
        let mut d = AllowanceCharge::allowance(Money::new(Decimal::new(discount, mu), currency));
        d.reason_code = Some("95".into());
        d.tax_category = Some(TaxCategory::Standard);
        d.tax_rate = first_rate;
        invoice.allowances_charges = vec![d];
        recompute(&mut invoice);
        invoice
    })
}

/// Every amount of an invoice, with the code that must fire when only
/// that amount moves by one minor unit.
fn amounts(invoice: &mut Invoice) -> Vec<(&'static str, &mut Money)> {
    let mut out: Vec<(&'static str, &mut Money)> = Vec::new();
    for l in &mut invoice.lines {
        out.push(("INV-LINE-NET", &mut l.net_amount));
    }
    for a in &mut invoice.allowances_charges {
        out.push(("BR-CO-11", &mut a.amount));
    }
    for t in &mut invoice.tax_breakdown {
        out.push(("INV-TAX-GROUP", &mut t.taxable_amount));
        out.push(("BR-CO-14", &mut t.tax_amount));
    }
    let t = &mut invoice.totals;
    out.push(("BR-CO-10", &mut t.line_net_total));
    out.push(("BR-CO-13", &mut t.total_without_tax));
    out.push(("BR-CO-14", &mut t.tax_total));
    out.push(("BR-CO-15", &mut t.total_with_tax));
    out.push(("BR-CO-16", &mut t.amount_due));
    if let Some(a) = &mut t.allowance_total {
        out.push(("BR-CO-11", a));
    }
    out
}

proptest! {
    #[test]
    fn invoices_computed_from_their_lines_pass(invoice in arb_invoice()) {
        let report = invoice.validate();
        prop_assert!(report.violations().is_empty(), "{}", report);
    }

    #[test]
    fn moving_one_amount_by_one_minor_unit_fails_with_its_rule(invoice in arb_invoice(), pick in any::<prop::sample::Index>(), up in any::<bool>()) {
        let mut broken = invoice.clone();
        let currency = broken.currency;
        let unit = Decimal::new(1, currency.minor_units().unwrap());
        let (code, slot) = {
            let mut all = amounts(&mut broken);
            let i = pick.index(all.len());
            let (code, slot) = all.swap_remove(i);
            let moved = if up { slot.amount() + unit } else { slot.amount() - unit };
            *slot = Money::new(moved, currency);
            (code, slot.to_string())
        };
        let report = broken.validate();
        prop_assert!(report.has(code), "moving {} must break {}: {}", slot, code, report);
    }
}

#[test]
fn payment_instruction_rules() {
    let instruction = |means: &str| -> PaymentInstruction {
        serde_json::from_value(serde_json::json!({"means": means})).unwrap()
    };
    let mut i = valid();
    i.payment_instructions.push(instruction("credit_transfer"));
    only(&i, "BR-61", "/payment_instructions/0/account");
    // An account is given but without its identifier: BR-50, and for a
    // credit transfer BR-61 as well (both ask for BT-84).
    i.payment_instructions[0].account = Some(BankAccount::default());
    assert_eq!(
        found(&i, Profile::Exact),
        [
            ("BR-50".to_owned(), "/payment_instructions/0/account".to_owned()),
            ("BR-61".to_owned(), "/payment_instructions/0/account".to_owned())
        ]
    );
    let mut card = i.clone();
    card.payment_instructions[0].means = PaymentMeans::Card;
    card.payment_instructions[0].means_code = Some("48".into());
    only(&card, "BR-50", "/payment_instructions/0/account");
    let mut account = BankAccount::default();
    account.iban = Some("DE89370400440532013000".into());
    i.payment_instructions[0].account = Some(account);
    assert!(i.validate().violations().is_empty(), "{}", i.validate());
    // BR-61 is about credit transfer codes 30 and 58, not about the means
    // alone: a code of another means needs no account.
    let mut j = valid();
    j.payment_instructions.push(instruction("credit_transfer"));
    j.payment_instructions[0].means_code = Some("58".into());
    only(&j, "BR-61", "/payment_instructions/0/account");
    j.payment_instructions[0].means_code = Some("57".into());
    assert!(j.validate().violations().is_empty(), "{}", j.validate());
    j.payment_instructions[0].means_code = Some("999".into());
    only(&j, "BR-CL-16", "/payment_instructions/0/means_code");
    i.payment_instructions[0].account.as_mut().unwrap().iban =
        Some("DE89370400440532013001".into());
    only(&i, "IBAN", "/payment_instructions/0/account/iban");

    let mut i = valid();
    i.payment_instructions.push(instruction("direct_debit"));
    only(&i, "INV-MANDATE", "/payment_instructions/0/mandate_reference");

    let mut i = valid();
    i.payment_instructions.push(instruction("card"));
    // BR-51 is a warning: at most the first six and the last four digits.
    i.payment_instructions[0].card_number = Some("4242424242424242".into());
    only(&i, "BR-51", "/payment_instructions/0/card_number");
    let report = i.validate();
    assert!(report.is_valid(), "BR-51 is a warning: {report}");
    assert_eq!(report.violations()[0].severity, Severity::Warning);
    for shown in ["4242", "123456", "424242******4242", "4242 42XX XXXX 4242"] {
        i.payment_instructions[0].card_number = Some(shown.into());
        assert!(i.validate().violations().is_empty(), "{shown}: {}", i.validate());
    }
}

#[test]
fn tax_rounded_per_line_is_accepted_when_every_line_states_it() {
    // Three lines of 0.35 at 19 %: per line 0.0665 → 0.07 each, 0.21 in
    // all; per rate 1.05 × 19 % = 0.1995 → 0.20.
    let mut i = valid();
    i.allowances_charges.clear();
    i.lines = (0..3).map(|_| line(dec!(1), dec!(0.35), dec!(19))).collect();
    recompute(&mut i);
    assert_eq!(i.tax_breakdown[0].tax_amount, eur(dec!(0.20)));
    let per_line = |i: &mut Invoice| {
        i.tax_breakdown[0].tax_amount = eur(dec!(0.21));
        i.totals.tax_total = eur(dec!(0.21));
        i.totals.total_with_tax = eur(dec!(1.26));
        i.totals.amount_due = eur(dec!(1.26));
    };
    per_line(&mut i);
    only(&i, "BR-CO-17", "/tax_breakdown/0/tax_amount");
    for l in &mut i.lines {
        l.tax_amount = Some(eur(dec!(0.07)));
    }
    assert!(i.validate().violations().is_empty(), "{}", i.validate());
    // One line without its tax: the per-line sum no longer counts.
    i.lines[2].tax_amount = None;
    only(&i, "BR-CO-17", "/tax_breakdown/0/tax_amount");
}
