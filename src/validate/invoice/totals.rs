//! Document totals (BG-22): EN 16931 BR-CO-10..16, the tax total in the
//! tax currency (BR-53), and the currency and minor units of every amount.

use rust_decimal::Decimal;

use super::{Checker, E, Rule};
use crate::model::{AllowanceChargeKind, Invoice};
use crate::money::Money;

pub(super) const LINE_NET_TOTAL: Rule = Rule::error(
    "BR-CO-10",
    E,
    "the sum of line net amounts equals the lines' net amounts added up",
)
.en(&["BR-CO-10"]);
pub(super) const ALLOWANCE_TOTAL: Rule =
    Rule::error("BR-CO-11", E, "the allowance total equals the document-level allowances added up")
        .en(&["BR-CO-11"]);
pub(super) const CHARGE_TOTAL: Rule =
    Rule::error("BR-CO-12", E, "the charge total equals the document-level charges added up")
        .en(&["BR-CO-12"]);
pub(super) const TOTAL_WITHOUT_TAX: Rule = Rule::error(
    "BR-CO-13",
    E,
    "the total without tax equals the sum of line net amounts minus the allowance total plus the charge total",
)
.en(&["BR-CO-13"]);
pub(super) const TAX_TOTAL: Rule = Rule::error(
    "BR-CO-14",
    E,
    "the tax total equals the tax amounts of the tax breakdown added up",
)
.en(&["BR-CO-14"]);
pub(super) const TOTAL_WITH_TAX: Rule = Rule::error(
    "BR-CO-15",
    E,
    "the total with tax equals the total without tax plus the tax total",
)
.en(&["BR-CO-15"]);
pub(super) const AMOUNT_DUE: Rule = Rule::error(
    "BR-CO-16",
    E,
    "the amount due equals the total with tax minus the paid amount plus the rounding amount",
)
.en(&["BR-CO-16"]);
pub(super) const TAX_CURRENCY_TOTAL: Rule =
    Rule::error("BR-53", E, "an invoice with a tax currency gives the tax total in it")
        .en(&["BR-53", "BT-6", "BT-111"]);
pub(super) const CURRENCY: Rule = Rule::error(
    "INV-CURRENCY",
    E,
    "every amount is in the invoice currency, except the tax total in the tax currency",
)
.en(&["BT-5", "BT-6", "PEPPOL-EN16931-R051"]);
pub(super) const MINOR_UNITS: Rule = Rule::error(
    "INV-MINOR-UNITS",
    E,
    "line, allowance, charge, tax and total amounts have no more decimal places than the currency's minor units (JPY 0, EUR 2, KWD 3) — EN 16931's fixed 2 decimals, at each currency's own",
)
.en(&[
    "BR-DEC-01", "BR-DEC-02", "BR-DEC-05", "BR-DEC-06", "BR-DEC-09", "BR-DEC-10", "BR-DEC-11",
    "BR-DEC-12", "BR-DEC-13", "BR-DEC-14", "BR-DEC-15", "BR-DEC-16", "BR-DEC-17", "BR-DEC-18",
    "BR-DEC-19", "BR-DEC-20", "BR-DEC-23", "BR-DEC-24", "BR-DEC-25", "BR-DEC-27", "BR-DEC-28",
]);

impl Checker<'_> {
    pub(super) fn currency_and_minor_units(&mut self) {
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
            if let Some(gross) = &line.gross_price {
                visit(&|| format!("/lines/{i}/gross_price"), gross, false);
            }
            visit(&|| format!("/lines/{i}/net_amount"), &line.net_amount, true);
            if let Some(t) = &line.tax_amount {
                visit(&|| format!("/lines/{i}/tax_amount"), t, true);
            }
            for (j, ac) in line.allowances_charges.iter().enumerate() {
                visit(&|| format!("/lines/{i}/allowances_charges/{j}/amount"), &ac.amount, true);
                if let Some(b) = &ac.base_amount {
                    visit(&|| format!("/lines/{i}/allowances_charges/{j}/base_amount"), b, true);
                }
            }
        }
        for (j, ac) in inv.allowances_charges.iter().enumerate() {
            visit(&|| format!("/allowances_charges/{j}/amount"), &ac.amount, true);
            if let Some(b) = &ac.base_amount {
                visit(&|| format!("/allowances_charges/{j}/base_amount"), b, true);
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
        if let (Some(tc), None) = (inv.tax_currency, &t.tax_total_in_tax_currency) {
            self.push(
                &TAX_CURRENCY_TOTAL,
                "/totals/tax_total_in_tax_currency",
                format!("expected the tax total in {tc}, the tax currency, but found none"),
            );
        }
        if let Some(tax_ccy_total) = &t.tax_total_in_tax_currency {
            if let Some(mu) = tax_ccy_total.currency().minor_units()
                && tax_ccy_total.exceeds_minor_units()
            {
                self.push(
                    &MINOR_UNITS,
                    "/totals/tax_total_in_tax_currency/amount",
                    format!(
                        "expected at most {mu} decimal places for {}, but found {tax_ccy_total}",
                        tax_ccy_total.currency()
                    ),
                );
            }
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

    pub(super) fn totals(&mut self) {
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
}

fn doc_adjustments(inv: &Invoice, kind: AllowanceChargeKind) -> impl Iterator<Item = Decimal> + '_ {
    inv.allowances_charges.iter().filter(move |ac| ac.kind == kind).map(|ac| ac.amount.amount())
}

fn sum(values: impl Iterator<Item = Decimal>) -> Option<Decimal> {
    values.into_iter().try_fold(Decimal::ZERO, |acc, v| acc.checked_add(v))
}
