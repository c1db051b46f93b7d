//! Invoice rules: EN 16931 totals (BR-CO-10..17), line arithmetic, VAT
//! categories, dates, currency and minor units, credit notes and status.

use rust_decimal::Decimal;

use super::fields::{self, Loc};
use super::{Profile, Rule, Violation};
use crate::model::{
    AllowanceCharge, AllowanceChargeKind, Entity, Invoice, InvoiceKind, InvoiceStatus,
    PaymentMeans, Period, TaxCategory,
};
use crate::money::{Currency, Money};

const E: Entity = Entity::Invoice;

pub(super) const NUMBER: Rule =
    Rule::error("BR-02", E, "an invoice that is not a draft has a number").en("BR-02");
pub(super) const ISSUE_DATE: Rule =
    Rule::error("BR-03", E, "an invoice that is not a draft has an issue date").en("BR-03");
pub(super) const LINES: Rule =
    Rule::error("BR-16", E, "an invoice that is not a draft has at least one line").en("BR-16");
pub(super) const UNIT_PRICE: Rule =
    Rule::error("BR-27", E, "a line's unit price is not negative").en("BR-27");
pub(super) const PERIOD: Rule =
    Rule::error("BR-29", E, "the invoicing period ends on or after its start").en("BR-29");
pub(super) const LINE_PERIOD: Rule =
    Rule::error("BR-30", E, "a line's period ends on or after its start").en("BR-30");
pub(super) const LINE_TAX_CATEGORY: Rule =
    Rule::error("BR-CO-04", E, "every line has a tax category").en("BR-CO-04");
pub(super) const LINE_NET_TOTAL: Rule = Rule::error(
    "BR-CO-10",
    E,
    "the sum of line net amounts equals the lines' net amounts added up",
)
.en("BR-CO-10");
pub(super) const ALLOWANCE_TOTAL: Rule =
    Rule::error("BR-CO-11", E, "the allowance total equals the document-level allowances added up")
        .en("BR-CO-11");
pub(super) const CHARGE_TOTAL: Rule =
    Rule::error("BR-CO-12", E, "the charge total equals the document-level charges added up")
        .en("BR-CO-12");
pub(super) const TOTAL_WITHOUT_TAX: Rule = Rule::error(
    "BR-CO-13",
    E,
    "the total without tax equals the sum of line net amounts minus the allowance total plus the charge total",
)
.en("BR-CO-13");
pub(super) const TAX_TOTAL: Rule = Rule::error(
    "BR-CO-14",
    E,
    "the tax total equals the tax amounts of the tax breakdown added up",
)
.en("BR-CO-14");
pub(super) const TOTAL_WITH_TAX: Rule = Rule::error(
    "BR-CO-15",
    E,
    "the total with tax equals the total without tax plus the tax total",
)
.en("BR-CO-15");
pub(super) const AMOUNT_DUE: Rule = Rule::error(
    "BR-CO-16",
    E,
    "the amount due equals the total with tax minus the paid amount plus the rounding amount",
)
.en("BR-CO-16");
pub(super) const TAX_AMOUNT: Rule = Rule::error(
    "BR-CO-17",
    E,
    "each tax breakdown's tax amount equals its taxable amount times its rate, rounded to the currency's minor units, or the sum of its lines' tax amounts when every line states one",
)
.en("BR-CO-17");
pub(super) const TAX_GROUP: Rule = Rule::error(
    "INV-TAX-GROUP",
    E,
    "the tax breakdown has one entry per (category, rate) in use, and its taxable amount equals the line net amounts minus allowances plus charges of that category and rate",
)
.en("BR-S-08, BR-Z-08, BR-E-08, BR-AE-08, BR-IC-08, BR-G-08, BR-O-08, BR-CO-18");
pub(super) const STANDARD_RATE: Rule =
    Rule::error("INV-TAX-RATE-STANDARD", E, "the standard tax category has a rate above zero")
        .en("BR-S-05, BR-S-06, BR-S-07");
pub(super) const ZERO_RATE: Rule = Rule::error(
    "INV-TAX-RATE-ZERO",
    E,
    "the zero-rated, exempt, reverse-charge, intra-community, export and outside-scope categories have a rate of zero (or none)",
)
.en("BR-Z-05, BR-E-05, BR-AE-05, BR-IC-05, BR-G-05, BR-O-05");
pub(super) const EXEMPTION_REASON: Rule = Rule::error(
    "INV-EXEMPTION-REASON",
    E,
    "a tax breakdown in the exempt, reverse-charge, intra-community, export or outside-scope category gives an exemption reason or code",
)
.en("BR-E-10, BR-AE-10, BR-IC-10, BR-G-10, BR-O-10");
pub(super) const NO_EXEMPTION_REASON: Rule = Rule::error(
    "INV-EXEMPTION-REASON-FORBIDDEN",
    E,
    "a tax breakdown in the standard or zero-rated category gives no exemption reason",
)
.en("BR-S-10, BR-Z-10");
pub(super) const LINE_NET: Rule = Rule::error(
    "INV-LINE-NET",
    E,
    "a line's net amount equals quantity times unit price, rounded to minor units, minus line allowances plus line charges",
)
.en("BT-131; PEPPOL-EN16931-R120");
pub(super) const ALLOWANCE_PERCENT: Rule = Rule::error(
    "INV-ALLOWANCE-PERCENT",
    E,
    "an allowance or charge with a base amount and a percentage has an amount of base times percentage / 100",
)
.en("BT-92..BT-94; PEPPOL-EN16931-R040");
pub(super) const CURRENCY: Rule = Rule::error(
    "INV-CURRENCY",
    E,
    "every amount is in the invoice currency, except the tax total in the tax currency",
)
.en("BT-5, BT-6; PEPPOL-EN16931-R051");
pub(super) const MINOR_UNITS: Rule = Rule::error(
    "INV-MINOR-UNITS",
    E,
    "line, allowance, charge, tax and total amounts have no more decimal places than the currency's minor units (JPY 0, EUR 2, KWD 3)",
)
.en("BR-DEC-* (at the currency's minor units, not a fixed 2)");
pub(super) const DUE_DATE: Rule =
    Rule::warning("INV-DUE-BEFORE-ISSUE", E, "the due date is not before the issue date");
pub(super) const CREDIT_NOTE_REF: Rule = Rule::error(
    "INV-CREDIT-NOTE-REF",
    E,
    "a credit note names the invoice it corrects in preceding_invoices",
)
.en("BG-3, BR-55");
pub(super) const REFERENCE: Rule = Rule::error(
    "INV-REFERENCE",
    E,
    "customer, contract and preceding-invoice references give an id or an external ref",
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

pub(super) const CREDIT_TRANSFER_ACCOUNT: Rule =
    Rule::error("BR-50", E, "a credit-transfer payment instruction names the account to pay into")
        .en("BR-50");
pub(super) const CARD_LAST4: Rule = Rule::error(
    "INV-CARD-LAST4",
    E,
    "a card payment instruction shows at most the last four digits of the card, never the full number",
)
.en("BT-87, BR-51");
pub(super) const MANDATE: Rule =
    Rule::error("INV-MANDATE", E, "a direct-debit payment instruction gives the mandate reference")
        .en("BT-89; PEPPOL-EN16931-R061");

pub(super) static RULES: &[Rule] = &[
    NUMBER,
    ISSUE_DATE,
    LINES,
    UNIT_PRICE,
    PERIOD,
    LINE_PERIOD,
    LINE_TAX_CATEGORY,
    LINE_NET_TOTAL,
    ALLOWANCE_TOTAL,
    CHARGE_TOTAL,
    TOTAL_WITHOUT_TAX,
    TAX_TOTAL,
    TOTAL_WITH_TAX,
    AMOUNT_DUE,
    TAX_AMOUNT,
    TAX_GROUP,
    STANDARD_RATE,
    ZERO_RATE,
    EXEMPTION_REASON,
    NO_EXEMPTION_REASON,
    LINE_NET,
    ALLOWANCE_PERCENT,
    CURRENCY,
    MINOR_UNITS,
    DUE_DATE,
    CREDIT_NOTE_REF,
    REFERENCE,
    STATUS_PAID,
    STATUS_VOID,
    STATUS_PARTIAL,
    CREDIT_TRANSFER_ACCOUNT,
    CARD_LAST4,
    MANDATE,
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

struct Checker<'a> {
    invoice: &'a Invoice,
    currency: Currency,
    /// Half of the currency's minor unit; zero for currencies without one.
    half_unit: Decimal,
    out: &'a mut Vec<Violation>,
}

pub(super) fn check(invoice: &Invoice, profile: Profile, out: &mut Vec<Violation>) {
    let currency = invoice.currency;
    let half_unit =
        currency.minor_units().map_or(Decimal::ZERO, |mu| Decimal::new(5, mu.saturating_add(1)));
    let mut c = Checker { invoice, currency, half_unit, out };
    c.header();
    c.currency_and_minor_units();
    c.lines(profile);
    c.allowances_charges(profile);
    c.tax_breakdown(profile);
    c.totals();
    c.status();
    c.shared_fields();
}

impl Checker<'_> {
    fn push(&mut self, rule: &Rule, path: impl Into<String>, message: String) {
        self.out.push(Violation::new(rule, path, message));
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

    fn header(&mut self) {
        let inv = self.invoice;
        let draft = inv.status == InvoiceStatus::Draft;
        if !draft && inv.number.as_deref().is_none_or(|n| n.trim().is_empty()) {
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
            self.period(period, &PERIOD, "/period");
        }
        if let (Some(issue), Some(due)) = (inv.issue_date, inv.due_date)
            && due < issue
        {
            self.push(
                &DUE_DATE,
                "/due_date",
                format!("expected a due date on or after the issue date {issue}, but found {due}"),
            );
        }
        if !inv.customer.is_resolvable() {
            self.push(
                &REFERENCE,
                "/customer",
                "expected the customer's id or an external ref, but found neither".to_owned(),
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
        }
        if inv.kind == InvoiceKind::CreditNote && inv.preceding_invoices.is_empty() {
            self.push(
                &CREDIT_NOTE_REF,
                "/preceding_invoices",
                "expected the invoice this credit note corrects, but found no preceding invoice"
                    .to_owned(),
            );
        }
    }

    fn period(&mut self, period: &Period, rule: &Rule, path: &str) {
        if let (Some(start), Some(end)) = (period.start, period.end)
            && end < start
        {
            self.push(
                rule,
                format!("{path}/end"),
                format!("expected a period end on or after its start {start}, but found {end}"),
            );
        }
    }

    /// INV-CURRENCY and INV-MINOR-UNITS over every amount of the document.
    fn currency_and_minor_units(&mut self) {
        let inv = self.invoice;
        let mut amounts: Vec<(String, Money, bool)> = Vec::new();
        // Collected only when something is off, to keep the valid path cheap.
        let mut off = false;
        let currency = self.currency;
        let minor = currency.minor_units();
        let mut visit = |path: &dyn Fn() -> String, m: &Money, rounded: bool| {
            let wrong_currency = m.currency() != currency;
            let too_precise = rounded && m.exceeds_minor_units();
            if wrong_currency || too_precise {
                off = true;
                amounts.push((path(), *m, rounded));
            }
        };
        for (i, line) in inv.lines.iter().enumerate() {
            visit(&|| format!("/lines/{i}/unit_price"), &line.unit_price, false);
            visit(&|| format!("/lines/{i}/net_amount"), &line.net_amount, true);
            if let Some(t) = &line.tax_amount {
                visit(&|| format!("/lines/{i}/tax_amount"), t, true);
            }
            for (j, ac) in line.allowances_charges.iter().enumerate() {
                visit(&|| format!("/lines/{i}/allowances_charges/{j}/amount"), &ac.amount, true);
                if let Some(b) = &ac.base_amount {
                    visit(&|| format!("/lines/{i}/allowances_charges/{j}/base_amount"), b, false);
                }
            }
        }
        for (j, ac) in inv.allowances_charges.iter().enumerate() {
            visit(&|| format!("/allowances_charges/{j}/amount"), &ac.amount, true);
            if let Some(b) = &ac.base_amount {
                visit(&|| format!("/allowances_charges/{j}/base_amount"), b, false);
            }
        }
        for (k, t) in inv.tax_breakdown.iter().enumerate() {
            visit(&|| format!("/tax_breakdown/{k}/taxable_amount"), &t.taxable_amount, true);
            visit(&|| format!("/tax_breakdown/{k}/tax_amount"), &t.tax_amount, true);
        }
        let t = &inv.totals;
        visit(&|| "/totals/line_net_total".to_owned(), &t.line_net_total, true);
        for (name, m) in [
            ("allowance_total", &t.allowance_total),
            ("charge_total", &t.charge_total),
            ("paid", &t.paid),
            ("rounding", &t.rounding),
        ] {
            if let Some(m) = m {
                visit(&|| format!("/totals/{name}"), m, true);
            }
        }
        for (name, m) in [
            ("total_without_tax", &t.total_without_tax),
            ("tax_total", &t.tax_total),
            ("total_with_tax", &t.total_with_tax),
            ("amount_due", &t.amount_due),
        ] {
            visit(&|| format!("/totals/{name}"), m, true);
        }
        if off {
            for (path, m, _) in amounts {
                if m.currency() != currency {
                    self.push(
                        &CURRENCY,
                        format!("{path}/currency"),
                        format!(
                            "expected {currency}, the invoice currency, but found {}",
                            m.currency()
                        ),
                    );
                } else if let Some(mu) = minor {
                    self.push(
                        &MINOR_UNITS,
                        format!("{path}/amount"),
                        format!(
                            "expected at most {mu} decimal places for {currency}, but found {m}"
                        ),
                    );
                }
            }
        }
        if let Some(tax_ccy_total) = &t.tax_total_in_tax_currency {
            match inv.tax_currency {
                Some(tc) if tc == tax_ccy_total.currency() => {}
                Some(tc) => self.push(
                    &CURRENCY,
                    "/totals/tax_total_in_tax_currency/currency",
                    format!(
                        "expected {tc}, the tax currency, but found {}",
                        tax_ccy_total.currency()
                    ),
                ),
                None => self.push(
                    &CURRENCY,
                    "/tax_currency",
                    format!(
                        "expected a tax currency for the tax total in {}, but found none",
                        tax_ccy_total.currency()
                    ),
                ),
            }
        }
    }

    fn lines(&mut self, profile: Profile) {
        let slack = match profile {
            Profile::Peppol => Slack::Absolute(Decimal::new(2, 2)),
            _ => Slack::Rounded,
        };
        for (i, line) in self.invoice.lines.iter().enumerate() {
            if line.unit_price.is_negative() {
                self.push(
                    &UNIT_PRICE,
                    format!("/lines/{i}/unit_price/amount"),
                    format!("expected a unit price of zero or more, but found {}", line.unit_price),
                );
            }
            match line.tax_category {
                None => self.push(
                    &LINE_TAX_CATEGORY,
                    format!("/lines/{i}/tax_category"),
                    "expected a tax category, but found none".to_owned(),
                ),
                Some(category) => {
                    self.rate_rule(category, line.tax_rate, &|| format!("/lines/{i}/tax_rate"))
                }
            }
            if let Some(period) = &line.period {
                let path = format!("/lines/{i}/period");
                self.period(period, &LINE_PERIOD, &path);
            }
            for (j, ac) in line.allowances_charges.iter().enumerate() {
                self.percent_rule(ac, slack, &|| {
                    format!("/lines/{i}/allowances_charges/{j}/amount")
                });
            }
            // net = quantity × unit price − allowances + charges; the stated
            // net is that value correctly rounded to minor units.
            let computed = line
                .unit_price
                .amount()
                .checked_mul(line.quantity)
                .and_then(|p| signed_sum(&line.allowances_charges, p));
            let stated = line.net_amount.amount();
            match computed {
                Some(expected) if self.within(stated, expected, slack) => {}
                Some(expected) => self.push(
                    &LINE_NET,
                    format!("/lines/{i}/net_amount"),
                    format!(
                        "expected {} × {} {}= {} {}{}, but found {}",
                        line.quantity,
                        line.unit_price,
                        describe_adjustments(&line.allowances_charges),
                        expected.normalize(),
                        self.currency,
                        if matches!(slack, Slack::Rounded) {
                            " rounded to minor units"
                        } else {
                            " within 0.02"
                        },
                        line.net_amount
                    ),
                ),
                None => self.push(
                    &LINE_NET,
                    format!("/lines/{i}/net_amount"),
                    "the line's amounts overflow the decimal range".to_owned(),
                ),
            }
        }
    }

    fn allowances_charges(&mut self, profile: Profile) {
        let slack = match profile {
            Profile::Peppol => Slack::Absolute(Decimal::new(2, 2)),
            _ => Slack::Rounded,
        };
        for (j, ac) in self.invoice.allowances_charges.iter().enumerate() {
            self.percent_rule(ac, slack, &|| format!("/allowances_charges/{j}/amount"));
            if let Some(category) = ac.tax_category {
                self.rate_rule(category, ac.tax_rate, &|| {
                    format!("/allowances_charges/{j}/tax_rate")
                });
            }
        }
    }

    fn percent_rule(&mut self, ac: &AllowanceCharge, slack: Slack, path: &dyn Fn() -> String) {
        let (Some(base), Some(percent)) = (&ac.base_amount, ac.percent) else {
            return;
        };
        let expected =
            base.amount().checked_mul(percent).and_then(|p| p.checked_div(Decimal::ONE_HUNDRED));
        match expected {
            Some(e) if self.within(ac.amount.amount(), e, slack) => {}
            Some(e) => self.push(
                &ALLOWANCE_PERCENT,
                path(),
                format!(
                    "expected {base} × {percent} % = {} {}, but found {}",
                    e.normalize(),
                    self.currency,
                    ac.amount
                ),
            ),
            None => self.push(
                &ALLOWANCE_PERCENT,
                path(),
                "the amounts overflow the decimal range".to_owned(),
            ),
        }
    }

    fn rate_rule(
        &mut self,
        category: TaxCategory,
        rate: Option<Decimal>,
        path: &dyn Fn() -> String,
    ) {
        match category {
            TaxCategory::Standard if rate.is_none_or(|r| r <= Decimal::ZERO) => {
                let found = rate.map_or_else(|| "none".to_owned(), |r| r.to_string());
                self.push(
                    &STANDARD_RATE,
                    path(),
                    format!(
                        "expected a rate above zero for the standard category, but found {found}"
                    ),
                );
            }
            TaxCategory::ZeroRated
            | TaxCategory::Exempt
            | TaxCategory::ReverseCharge
            | TaxCategory::IntraCommunity
            | TaxCategory::Export
            | TaxCategory::OutsideScope => {
                if let Some(r) = rate.filter(|r| !r.is_zero()) {
                    self.push(
                        &ZERO_RATE,
                        path(),
                        format!(
                            "expected a rate of zero for the {} category, but found {r}",
                            category_name(category)
                        ),
                    );
                }
            }
            // Canary Islands and Ceuta/Melilla taxes may be zero or more.
            _ => {}
        }
    }

    fn tax_breakdown(&mut self, profile: Profile) {
        let inv = self.invoice;
        // (category, rate) groups used by lines and document-level
        // allowances and charges, with their taxable amounts.
        let mut groups: Vec<(TaxCategory, Decimal, Option<Decimal>)> = Vec::new();
        let mut add = |category: TaxCategory, rate: Option<Decimal>, amount: Decimal| {
            let rate = rate.unwrap_or(Decimal::ZERO);
            match groups.iter_mut().find(|(c, r, _)| *c == category && *r == rate) {
                Some((_, _, sum)) => *sum = sum.and_then(|s| s.checked_add(amount)),
                None => groups.push((category, rate, Some(amount))),
            }
        };
        for line in &inv.lines {
            if let Some(category) = line.tax_category {
                add(category, line.tax_rate, line.net_amount.amount());
            }
        }
        for ac in &inv.allowances_charges {
            if let Some(category) = ac.tax_category {
                let signed = match ac.kind {
                    AllowanceChargeKind::Allowance => ac.amount.negate().amount(),
                    _ => ac.amount.amount(),
                };
                add(category, ac.tax_rate, signed);
            }
        }

        let tax_slack = match profile {
            Profile::En16931Ubl => Slack::Below(Decimal::ONE),
            _ => Slack::Rounded,
        };
        for (k, t) in inv.tax_breakdown.iter().enumerate() {
            let rate = t.rate.unwrap_or(Decimal::ZERO);
            self.rate_rule(t.category, t.rate, &|| format!("/tax_breakdown/{k}/rate"));
            let has_reason = t.exemption_reason.as_deref().is_some_and(|r| !r.trim().is_empty())
                || t.exemption_reason_code.as_deref().is_some_and(|r| !r.trim().is_empty());
            match t.category {
                TaxCategory::Exempt
                | TaxCategory::ReverseCharge
                | TaxCategory::IntraCommunity
                | TaxCategory::Export
                | TaxCategory::OutsideScope
                    if !has_reason =>
                {
                    self.push(&EXEMPTION_REASON, format!("/tax_breakdown/{k}/exemption_reason"), format!("expected an exemption reason or code for the {} category, but found none", category_name(t.category)));
                }
                TaxCategory::Standard | TaxCategory::ZeroRated if has_reason => {
                    self.push(
                        &NO_EXEMPTION_REASON,
                        format!("/tax_breakdown/{k}/exemption_reason"),
                        format!(
                            "expected no exemption reason for the {} category, but found one",
                            category_name(t.category)
                        ),
                    );
                }
                _ => {}
            }
            // BR-CO-17: tax = taxable × rate / 100.
            let expected = t
                .taxable_amount
                .amount()
                .checked_mul(rate)
                .and_then(|p| p.checked_div(Decimal::ONE_HUNDRED));
            // Systems that round tax per line (Stripe, QuickBooks) state the
            // group's tax as the sum of its lines' rounded taxes; that is
            // accepted when every line of the group carries its tax.
            let line_taxes = line_tax_sum(inv, t.category, rate);
            match expected {
                Some(e) if self.within(t.tax_amount.amount(), e, tax_slack) => {}
                Some(_) if line_taxes == Some(t.tax_amount.amount()) => {}
                Some(e) => self.push(
                    &TAX_AMOUNT,
                    format!("/tax_breakdown/{k}/tax_amount"),
                    format!(
                        "expected {} × {rate} % = {} {}, but found {}",
                        t.taxable_amount,
                        e.normalize(),
                        self.currency,
                        t.tax_amount
                    ),
                ),
                None => self.push(
                    &TAX_AMOUNT,
                    format!("/tax_breakdown/{k}/tax_amount"),
                    "the amounts overflow the decimal range".to_owned(),
                ),
            }
            // INV-TAX-GROUP: taxable amount of this (category, rate).
            match groups.iter().position(|(c, r, _)| *c == t.category && *r == rate) {
                Some(index) => {
                    let sum = groups.get(index).and_then(|g| g.2);
                    groups.remove(index);
                    match sum {
                        Some(s) if s == t.taxable_amount.amount() => {}
                        Some(s) => self.push(&TAX_GROUP, format!("/tax_breakdown/{k}/taxable_amount"), format!("expected {} {}, the net amounts of category {} at {rate} %, but found {}", s, self.currency, category_name(t.category), t.taxable_amount)),
                        None => self.push(&TAX_GROUP, format!("/tax_breakdown/{k}/taxable_amount"), "the amounts overflow the decimal range".to_owned()),
                    }
                }
                None => self.push(&TAX_GROUP, format!("/tax_breakdown/{k}"), format!("expected a line, allowance or charge in category {} at {rate} %, but found none", category_name(t.category))),
            }
        }
        for (category, rate, _) in groups {
            self.push(
                &TAX_GROUP,
                "/tax_breakdown",
                format!(
                    "expected a tax breakdown for category {} at {rate} %, but found none",
                    category_name(category)
                ),
            );
        }
    }

    fn totals(&mut self) {
        let inv = self.invoice;
        let t = &inv.totals;
        let zero = Decimal::ZERO;
        let amount = |m: &Option<Money>| m.as_ref().map_or(zero, Money::amount);

        let lines_sum = sum(inv.lines.iter().map(|l| l.net_amount.amount()));
        self.equal(
            &LINE_NET_TOTAL,
            "/totals/line_net_total",
            lines_sum,
            &t.line_net_total,
            "the sum of line net amounts",
        );

        let allowances = sum(doc_adjustments(inv, AllowanceChargeKind::Allowance));
        let charges = sum(doc_adjustments(inv, AllowanceChargeKind::Charge));
        self.equal_optional(
            &ALLOWANCE_TOTAL,
            "/totals/allowance_total",
            allowances,
            &t.allowance_total,
            "the sum of document-level allowances",
        );
        self.equal_optional(
            &CHARGE_TOTAL,
            "/totals/charge_total",
            charges,
            &t.charge_total,
            "the sum of document-level charges",
        );

        let without_tax = t
            .line_net_total
            .amount()
            .checked_sub(amount(&t.allowance_total))
            .and_then(|v| v.checked_add(amount(&t.charge_total)));
        self.equal(
            &TOTAL_WITHOUT_TAX,
            "/totals/total_without_tax",
            without_tax,
            &t.total_without_tax,
            "line net total − allowance total + charge total",
        );

        let tax_sum = sum(inv.tax_breakdown.iter().map(|b| b.tax_amount.amount()));
        self.equal(
            &TAX_TOTAL,
            "/totals/tax_total",
            tax_sum,
            &t.tax_total,
            "the sum of the tax breakdown's tax amounts",
        );

        let with_tax = t.total_without_tax.amount().checked_add(t.tax_total.amount());
        self.equal(
            &TOTAL_WITH_TAX,
            "/totals/total_with_tax",
            with_tax,
            &t.total_with_tax,
            "total without tax + tax total",
        );

        let due = t
            .total_with_tax
            .amount()
            .checked_sub(amount(&t.paid))
            .and_then(|v| v.checked_add(amount(&t.rounding)));
        self.equal(
            &AMOUNT_DUE,
            "/totals/amount_due",
            due,
            &t.amount_due,
            "total with tax − paid + rounding",
        );
    }

    fn equal(
        &mut self,
        rule: &Rule,
        path: &str,
        computed: Option<Decimal>,
        stated: &Money,
        what: &str,
    ) {
        match computed {
            Some(c) if c == stated.amount() => {}
            Some(c) => self.push(
                rule,
                path,
                format!("expected {what}, {} {}, but found {stated}", c, self.currency),
            ),
            None => self.push(rule, path, format!("{what} overflows the decimal range")),
        }
    }

    fn equal_optional(
        &mut self,
        rule: &Rule,
        path: &str,
        computed: Option<Decimal>,
        stated: &Option<Money>,
        what: &str,
    ) {
        match (computed, stated) {
            (Some(c), None) if c.is_zero() => {}
            (Some(c), None) => self.push(
                rule,
                path,
                format!("expected {what}, {c} {}, but found none", self.currency),
            ),
            (computed, Some(s)) => self.equal(rule, path, computed, s, what),
            (None, None) => self.push(rule, path, format!("{what} overflows the decimal range")),
        }
    }

    /// Field rules shared with other entities, and payment instructions.
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
        let instructions = Loc::ROOT.field("payment_instructions");
        for (k, pi) in inv.payment_instructions.iter().enumerate() {
            let at = instructions.index(k);
            if let Some(account) = &pi.account {
                fields::check_bank_account_at(account, &at.field("account"), self.out);
            }
            let has_account = pi.account.as_ref().is_some_and(|a| {
                fields::has_text(a.iban.as_ref()) || fields::has_text(a.account_number.as_ref())
            });
            if pi.means == PaymentMeans::CreditTransfer && !has_account {
                self.push(
                    &CREDIT_TRANSFER_ACCOUNT,
                    at.pointer_to("account"),
                    "expected the account to pay into (an IBAN or account number), but found none"
                        .to_owned(),
                );
            }
            if pi.means == PaymentMeans::DirectDebit
                && !fields::has_text(pi.mandate_reference.as_ref())
            {
                self.push(
                    &MANDATE,
                    at.pointer_to("mandate_reference"),
                    "expected the direct-debit mandate reference, but found none".to_owned(),
                );
            }
            if let Some(last4) = &pi.card_last4
                && !(last4.len() == 4 && last4.bytes().all(|b| b.is_ascii_digit()))
            {
                self.push(&CARD_LAST4, at.pointer_to("card_last4"), format!("expected exactly the last four digits of the card, but found {} characters", last4.chars().count()));
            }
        }
    }

    fn status(&mut self) {
        let t = &self.invoice.totals;
        let paid = t.paid.as_ref().map_or(Decimal::ZERO, Money::amount);
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
                self.push(&STATUS_PARTIAL, path, format!("expected a paid amount and an amount due both above zero on a partially paid invoice, but found paid {paid} {} and due {}", self.currency, t.amount_due));
            }
            _ => {}
        }
    }
}

/// The sum of the tax amounts of the lines in (`category`, `rate`), when
/// there are such lines and every one of them states its tax.
fn line_tax_sum(inv: &Invoice, category: TaxCategory, rate: Decimal) -> Option<Decimal> {
    let mut lines = inv
        .lines
        .iter()
        .filter(|l| l.tax_category == Some(category) && l.tax_rate.unwrap_or(Decimal::ZERO) == rate)
        .peekable();
    lines.peek()?;
    lines.try_fold(Decimal::ZERO, |acc, l| acc.checked_add(l.tax_amount.as_ref()?.amount()))
}

/// `start` minus allowances plus charges.
fn signed_sum(adjustments: &[AllowanceCharge], start: Decimal) -> Option<Decimal> {
    adjustments.iter().try_fold(start, |acc, ac| match ac.kind {
        AllowanceChargeKind::Allowance => acc.checked_sub(ac.amount.amount()),
        _ => acc.checked_add(ac.amount.amount()),
    })
}

fn doc_adjustments(inv: &Invoice, kind: AllowanceChargeKind) -> impl Iterator<Item = Decimal> + '_ {
    inv.allowances_charges.iter().filter(move |ac| ac.kind == kind).map(|ac| ac.amount.amount())
}

fn sum(values: impl Iterator<Item = Decimal>) -> Option<Decimal> {
    values.into_iter().try_fold(Decimal::ZERO, |acc, v| acc.checked_add(v))
}

fn describe_adjustments(adjustments: &[AllowanceCharge]) -> String {
    let mut out = String::new();
    for ac in adjustments {
        let sign = if ac.kind == AllowanceChargeKind::Allowance { '−' } else { '+' };
        out.push_str(&format!("{sign} {} ", ac.amount.amount()));
    }
    out
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

fn category_name(category: TaxCategory) -> &'static str {
    match category {
        TaxCategory::Standard => "standard",
        TaxCategory::ZeroRated => "zero_rated",
        TaxCategory::Exempt => "exempt",
        TaxCategory::ReverseCharge => "reverse_charge",
        TaxCategory::IntraCommunity => "intra_community",
        TaxCategory::Export => "export",
        TaxCategory::OutsideScope => "outside_scope",
        TaxCategory::CanaryIslands => "canary_islands",
        TaxCategory::CeutaMelilla => "ceuta_melilla",
    }
}
