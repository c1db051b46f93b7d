//! Invoice rules: the EN 16931 business rules the canonical model can
//! hold, and the rules a finance team adds to them.
//!
//! One file per concern: the document header, dates, references and status
//! here; [`parties`] (seller, buyer, payee, tax representative, delivery);
//! [`lines`] (lines, items, allowances and charges); [`tax`] (categories,
//! rates and the tax breakdown); [`totals`] (document totals, currency and
//! minor units); [`payment`] (payment instructions).
//!
//! Presence rules of EN 16931 ([`RuleScope::En16931`]) are errors on an
//! invoice that declares EN 16931 in `specification` and is not a draft,
//! and warnings on the others: a Stripe or QuickBooks invoice is not an EN
//! 16931 e-invoice, and what it lacks for one is worth knowing but does not
//! make it wrong.

mod lines;
mod parties;
mod payment;
mod tax;
mod totals;

use rust_decimal::Decimal;

use super::fields::{self, Loc};
use super::{Profile, Rule, RuleScope, Severity, Violation, codelists};
use crate::model::{Entity, Invoice, InvoiceKind, InvoiceStatus, Period};
use crate::money::Currency;

const E: Entity = Entity::Invoice;

pub(super) const NUMBER: Rule =
    Rule::error("BR-02", E, "an invoice that is not a draft has a number").en(&["BR-02"]);
pub(super) const ISSUE_DATE: Rule =
    Rule::error("BR-03", E, "an invoice that is not a draft has an issue date").en(&["BR-03"]);
pub(super) const LINES: Rule =
    Rule::error("BR-16", E, "an invoice that is not a draft has at least one line").en(&["BR-16"]);
pub(super) const PERIOD: Rule =
    Rule::error("BR-29", E, "the invoicing period ends on or after its start").en(&["BR-29"]);
pub(super) const PERIOD_BOUND: Rule =
    Rule::error("BR-CO-19", E, "an invoicing period, when given, has a start or an end")
        .en(&["BR-CO-19"]);
pub(super) const TAX_POINT: Rule =
    Rule::error("BR-CO-03", E, "the tax point date and the tax point date code are not both given")
        .en(&["BR-CO-03"]);
pub(super) const TAX_POINT_CODE: Rule = Rule::error(
    "BR-CL-06",
    E,
    "the tax point date code is a UNTDID 2005 code EN 16931 allows: 3 (issue date), 35 (delivery date) or 432 (payment date)",
)
.en(&["BR-CL-06", "BT-8"]);
pub(super) const DUE_DATE: Rule =
    Rule::warning("INV-DUE-BEFORE-ISSUE", E, "the due date is not before the issue date");
pub(super) const DUE_DATE_TERMS: Rule = Rule::error(
    "INV-DUE-DATE-TERMS",
    E,
    "the due date is the one the payment terms give, when they fix one (net days from the issue date or from the end of its month, or a day of a month)",
)
.en(&["BT-9", "BT-20"]);
pub(super) const CREDIT_NOTE_REF: Rule = Rule::warning(
    "INV-CREDIT-NOTE-REF",
    E,
    "a credit note names the invoice it corrects in preceding_invoices (EN 16931 makes BG-3 optional: QuickBooks and Xero credit an account as often as one invoice)",
)
.en(&["BG-3"]);
pub(super) const CREDIT_NOTE_SIGN: Rule = Rule::error(
    "INV-CREDIT-NOTE-SIGN",
    E,
    "a credit note states its totals as positive amounts (its kind already says they reduce what is owed): the total without tax and the total with tax are not negative",
);
pub(super) const PRECEDING_NUMBER: Rule =
    Rule::error("BR-55", E, "every preceding-invoice reference gives that invoice's number")
        .en(&["BR-55", "BT-25"])
        .presence();
pub(super) const REFERENCE: Rule = Rule::error(
    "INV-REFERENCE",
    E,
    "counterparty, contract and preceding-invoice references give an id or an external ref",
);
pub(super) const STATUS_PAID: Rule =
    Rule::error("INV-STATUS-PAID", E, "a paid invoice has an amount due of zero");
pub(super) const STATUS_VOID: Rule =
    Rule::error("INV-STATUS-VOID", E, "a void invoice has nothing paid");
pub(super) const STATUS_PARTIAL: Rule = Rule::error(
    "INV-STATUS-PARTIALLY-PAID",
    E,
    "a partially paid invoice has a paid amount above zero and an amount due above zero",
);

pub(super) static RULES: &[Rule] = &[
    NUMBER,
    ISSUE_DATE,
    LINES,
    PERIOD,
    PERIOD_BOUND,
    TAX_POINT,
    TAX_POINT_CODE,
    DUE_DATE,
    DUE_DATE_TERMS,
    CREDIT_NOTE_REF,
    CREDIT_NOTE_SIGN,
    PRECEDING_NUMBER,
    REFERENCE,
    STATUS_PAID,
    STATUS_VOID,
    STATUS_PARTIAL,
    // Parties.
    parties::SELLER_NAME,
    parties::SELLER_ADDRESS,
    parties::SELLER_ID,
    parties::SELLER_ADDRESS_SCHEME,
    parties::BUYER_NAME,
    parties::BUYER_ADDRESS,
    parties::BUYER_ADDRESS_SCHEME,
    parties::PAYEE_NAME,
    parties::TAX_REP_NAME,
    parties::TAX_REP_ADDRESS,
    parties::TAX_REP_VAT_ID,
    parties::PARTY_ID_SCHEME,
    parties::LEGAL_ID_SCHEME,
    parties::ELECTRONIC_ADDRESS_SCHEME,
    parties::LOCATION_SCHEME,
    // Lines, items, allowances and charges.
    lines::LINE_ID,
    lines::LINE_ID_UNIQUE,
    lines::UNIT,
    lines::UNIT_CODE,
    lines::ITEM_NAME,
    lines::UNIT_PRICE,
    lines::GROSS_PRICE,
    lines::BASE_QUANTITY,
    lines::LINE_PERIOD,
    lines::LINE_PERIOD_BOUND,
    lines::LINE_TAX_CATEGORY,
    lines::LINE_NET,
    lines::STANDARD_ID_SCHEME,
    lines::STANDARD_ID_SCHEME_CODE,
    lines::CLASSIFICATION_SCHEME,
    lines::CLASSIFICATION_SCHEME_CODE,
    lines::DOC_ALLOWANCE_CATEGORY,
    lines::DOC_CHARGE_CATEGORY,
    lines::DOC_ALLOWANCE_REASON,
    lines::DOC_CHARGE_REASON,
    lines::LINE_ALLOWANCE_REASON,
    lines::LINE_CHARGE_REASON,
    lines::ALLOWANCE_REASON_CODE,
    lines::CHARGE_REASON_CODE,
    lines::ALLOWANCE_PERCENT,
    // Tax.
    tax::TAX_AMOUNT,
    tax::TAX_GROUP,
    tax::BREAKDOWN_PRESENT,
    tax::BREAKDOWN_RATE,
    tax::STANDARD_RATE,
    tax::ZERO_RATE,
    tax::OUTSIDE_SCOPE_RATE,
    tax::NON_NEGATIVE_RATE,
    tax::EXEMPTION_REASON,
    tax::NO_EXEMPTION_REASON,
    tax::EXEMPTION_CODE,
    tax::OUTSIDE_SCOPE_ALONE,
    tax::OUTSIDE_SCOPE_VAT_ID,
    tax::SELLER_TAX_ID,
    tax::SELLER_VAT_ID,
    tax::BUYER_TAX_ID,
    tax::IC_DELIVERY_DATE,
    tax::IC_DELIVERY_COUNTRY,
    // Totals, currency and minor units.
    totals::LINE_NET_TOTAL,
    totals::ALLOWANCE_TOTAL,
    totals::CHARGE_TOTAL,
    totals::TOTAL_WITHOUT_TAX,
    totals::TAX_TOTAL,
    totals::TOTAL_WITH_TAX,
    totals::AMOUNT_DUE,
    totals::TAX_CURRENCY_TOTAL,
    totals::CURRENCY,
    totals::MINOR_UNITS,
    // Payment instructions.
    payment::ACCOUNT_ID,
    payment::CREDIT_TRANSFER_ACCOUNT,
    payment::CARD_NUMBER,
    payment::MANDATE,
    payment::MEANS_CODE,
];

/// How far a stated amount may be from the computed one.
#[derive(Clone, Copy)]
enum Slack {
    /// The stated amount is the computed one correctly rounded to minor
    /// units: within half a minor unit (ties may go either way).
    Rounded,
    /// Within this many currency units, inclusive.
    Absolute(Decimal),
    /// Strictly within this many currency units (the UBL binding's ±1).
    Below(Decimal),
}

/// The state the invoice rules share: the invoice, its currency and where
/// violations go.
struct Checker<'a> {
    invoice: &'a Invoice,
    currency: Currency,
    profile: Profile,
    /// Half of the currency's minor unit; zero for currencies without one.
    half_unit: Decimal,
    /// True when EN 16931 presence rules keep their severity: the invoice
    /// declares EN 16931 and is not a draft.
    en16931: bool,
    out: &'a mut Vec<Violation>,
}

pub(super) fn check(invoice: &Invoice, profile: Profile, out: &mut Vec<Violation>) {
    let currency = invoice.currency;
    let half_unit =
        currency.minor_units().map_or(Decimal::ZERO, |mu| Decimal::new(5, mu.saturating_add(1)));
    let en16931 = invoice.declares_en16931() && invoice.status != InvoiceStatus::Draft;
    let mut c = Checker { invoice, currency, profile, half_unit, en16931, out };
    c.header();
    c.parties();
    c.currency_and_minor_units();
    c.lines();
    c.allowances_charges();
    c.tax_breakdown();
    c.seller_tax_ids();
    c.totals();
    c.status();
    c.payment_instructions();
    c.shared_fields();
}

impl Checker<'_> {
    /// Adds a violation of `rule`; a presence rule is a warning unless the
    /// invoice declares EN 16931.
    fn push(&mut self, rule: &Rule, path: impl Into<String>, message: String) {
        let mut v = Violation::new(rule, path, message);
        if rule.scope == RuleScope::En16931 && !self.en16931 {
            v.severity = Severity::Warning;
        }
        self.out.push(v);
    }

    fn within(&self, stated: Decimal, computed: Decimal, slack: Slack) -> bool {
        let Some(diff) = stated.checked_sub(computed).map(|d| d.abs()) else {
            return false;
        };
        match slack {
            Slack::Rounded => diff <= self.half_unit,
            Slack::Absolute(limit) => diff <= limit,
            Slack::Below(limit) => diff < limit,
        }
    }

    /// The slack of line and allowance arithmetic under the profile.
    fn line_slack(&self) -> Slack {
        match self.profile {
            Profile::Peppol => Slack::Absolute(Decimal::new(2, 2)),
            _ => Slack::Rounded,
        }
    }

    fn header(&mut self) {
        let inv = self.invoice;
        let draft = inv.status == InvoiceStatus::Draft;
        if !draft && inv.number.as_deref().is_none_or(fields::is_blank) {
            self.push(
                &NUMBER,
                "/number",
                format!(
                    "expected an invoice number on a {} invoice, but found none",
                    status_name(inv.status)
                ),
            );
        }
        if !draft && inv.issue_date.is_none() {
            self.push(
                &ISSUE_DATE,
                "/issue_date",
                format!(
                    "expected an issue date on a {} invoice, but found none",
                    status_name(inv.status)
                ),
            );
        }
        if !draft && inv.lines.is_empty() {
            self.push(&LINES, "/lines", "expected at least one line, but found none".to_owned());
        }
        if let Some(period) = &inv.period {
            self.period(period, &PERIOD, &PERIOD_BOUND, "/period");
        }
        self.tax_point();
        self.due_date();
        self.references();
        self.credit_note();
    }

    /// BR-29/BR-30 (end on or after start) and BR-CO-19/BR-CO-20 (a start
    /// or an end) for the period at `path`.
    fn period(&mut self, period: &Period, order: &Rule, bound: &Rule, path: &str) {
        match (period.start, period.end) {
            (Some(start), Some(end)) if end < start => self.push(
                order,
                format!("{path}/end"),
                format!("expected a period end on or after its start {start}, but found {end}"),
            ),
            (None, None) => self.push(
                bound,
                path,
                "expected a start date or an end date, but the period has neither".to_owned(),
            ),
            _ => {}
        }
    }

    fn tax_point(&mut self) {
        let inv = self.invoice;
        if let Some(code) = &inv.tax_point_date_code {
            if let Some(date) = inv.tax_point_date {
                self.push(
                    &TAX_POINT,
                    "/tax_point_date_code",
                    format!(
                        "expected either a tax point date or a tax point date code, but found both: {date} and {}",
                        fields::quoted(code)
                    ),
                );
            }
            if !codelists::contains(&codelists::UNTDID_2005, code) {
                self.push(
                    &TAX_POINT_CODE,
                    "/tax_point_date_code",
                    format!(
                        "expected 3 (issue date), 35 (delivery date) or 432 (payment date), but found {}",
                        fields::quoted(code)
                    ),
                );
            }
        }
    }

    fn due_date(&mut self) {
        let inv = self.invoice;
        let (Some(issue), Some(due)) = (inv.issue_date, inv.due_date) else {
            return;
        };
        let by_terms = inv.payment_terms.as_ref().and_then(|t| t.due_date(issue));
        match by_terms {
            Some(expected) if expected != due => {
                let terms = inv.payment_terms.as_ref().map(describe_terms).unwrap_or_default();
                self.push(
                    &DUE_DATE_TERMS,
                    "/due_date",
                    format!(
                        "expected {expected}, the due date of the payment terms ({terms}) for an invoice issued on {issue}, but found {due}"
                    ),
                );
            }
            // The terms say when the invoice is due; a due date before the
            // issue date is then already an error of the terms rule.
            Some(_) => {}
            None if due < issue => self.push(
                &DUE_DATE,
                "/due_date",
                format!("expected a due date on or after the issue date {issue}, but found {due}"),
            ),
            None => {}
        }
    }

    fn references(&mut self) {
        let inv = self.invoice;
        if !inv.counterparty.is_resolvable() {
            self.push(
                &REFERENCE,
                "/counterparty",
                format!(
                    "expected the {}'s id or an external ref, but found neither",
                    counterparty_name(inv)
                ),
            );
        }
        if inv.contract.as_ref().is_some_and(|c| !c.is_resolvable()) {
            self.push(
                &REFERENCE,
                "/contract",
                "expected the contract's id or an external ref, but found neither".to_owned(),
            );
        }
        for (i, p) in inv.preceding_invoices.iter().enumerate() {
            if !p.invoice.is_resolvable() {
                self.push(
                    &REFERENCE,
                    format!("/preceding_invoices/{i}/invoice"),
                    "expected the preceding invoice's id or an external ref, but found neither"
                        .to_owned(),
                );
            }
            if p.number.as_deref().is_none_or(fields::is_blank) {
                self.push(
                    &PRECEDING_NUMBER,
                    format!("/preceding_invoices/{i}/number"),
                    "expected the preceding invoice's number (BT-25), but found none".to_owned(),
                );
            }
        }
    }

    fn credit_note(&mut self) {
        let inv = self.invoice;
        if inv.kind != InvoiceKind::CreditNote {
            return;
        }
        if inv.preceding_invoices.is_empty() {
            self.push(
                &CREDIT_NOTE_REF,
                "/preceding_invoices",
                "expected the invoice this credit note corrects, but found no preceding invoice"
                    .to_owned(),
            );
        }
        let t = &inv.totals;
        for (name, total) in
            [("total_without_tax", &t.total_without_tax), ("total_with_tax", &t.total_with_tax)]
        {
            if total.is_negative() {
                self.push(
                    &CREDIT_NOTE_SIGN,
                    format!("/totals/{name}/amount"),
                    format!(
                        "expected a credit note's {} as a positive amount (kind credit_note already says it reduces what is owed), but found {total}",
                        name.replace('_', " ")
                    ),
                );
            }
        }
    }

    fn status(&mut self) {
        let t = &self.invoice.totals;
        let paid = t.paid.as_ref().map_or(Decimal::ZERO, |m| m.amount());
        match self.invoice.status {
            InvoiceStatus::Paid if !t.amount_due.is_zero() => {
                self.push(
                    &STATUS_PAID,
                    "/totals/amount_due",
                    format!(
                        "expected an amount due of zero on a paid invoice, but found {}",
                        t.amount_due
                    ),
                );
            }
            InvoiceStatus::Void if !paid.is_zero() => {
                self.push(
                    &STATUS_VOID,
                    "/totals/paid",
                    format!(
                        "expected nothing paid on a void invoice, but found {paid} {}",
                        self.currency
                    ),
                );
            }
            InvoiceStatus::PartiallyPaid
                if paid <= Decimal::ZERO || t.amount_due.amount() <= Decimal::ZERO =>
            {
                let path =
                    if paid <= Decimal::ZERO { "/totals/paid" } else { "/totals/amount_due" };
                self.push(
                    &STATUS_PARTIAL,
                    path,
                    format!(
                        "expected a paid amount and an amount due both above zero on a partially paid invoice, but found paid {paid} {} and due {}",
                        self.currency, t.amount_due
                    ),
                );
            }
            _ => {}
        }
    }

    /// Field rules shared with other entities.
    fn shared_fields(&mut self) {
        let inv = self.invoice;
        fields::check_external_refs_at(
            &inv.external_refs,
            &Loc::ROOT.field("external_refs"),
            self.out,
        );
        if let Some(terms) = &inv.payment_terms {
            fields::check_payment_terms_at(terms, &Loc::ROOT.field("payment_terms"), self.out);
        }
    }
}

/// "customer" or "supplier": what the counterparty is on the invoice's side.
fn counterparty_name(inv: &Invoice) -> &'static str {
    if inv.side.is_sales() { "customer" } else { "supplier" }
}

fn describe_terms(terms: &crate::model::PaymentTerms) -> String {
    match (terms.net_days, terms.due_day_of_month) {
        (Some(days), _) if terms.end_of_month => format!("{days} days after the end of the month"),
        (Some(days), _) => format!("net {days} days"),
        (None, Some(day)) => match terms.due_months_after.unwrap_or(0) {
            0 => format!("day {day} of the issue month"),
            1 => format!("day {day} of the following month"),
            n => format!("day {day} of the month {n} months after the issue month"),
        },
        (None, None) => "no due date".to_owned(),
    }
}

fn status_name(status: InvoiceStatus) -> &'static str {
    match status {
        InvoiceStatus::Draft => "draft",
        InvoiceStatus::Issued => "issued",
        InvoiceStatus::PartiallyPaid => "partially paid",
        InvoiceStatus::Paid => "paid",
        InvoiceStatus::Void => "void",
        InvoiceStatus::Uncollectible => "uncollectible",
    }
}
