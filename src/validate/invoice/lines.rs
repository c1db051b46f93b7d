//! Lines (BG-25), their items (BG-31) and prices (BG-29), and allowances
//! and charges on lines (BG-27, BG-28) and on the document (BG-20, BG-21).

use rust_decimal::Decimal;

use super::{Checker, E, Rule, Slack, fields};
use crate::model::{AllowanceCharge, AllowanceChargeKind, InvoiceLine, ItemRef};
use crate::validate::codelists;

pub(super) const LINE_ID: Rule =
    Rule::error("BR-21", E, "every line has an id").en(&["BR-21", "BT-126"]).presence();
pub(super) const LINE_ID_UNIQUE: Rule =
    Rule::error("INV-LINE-ID", E, "line ids, where given, are unique within the invoice")
        .en(&["BT-126"]);
pub(super) const UNIT: Rule =
    Rule::error("BR-23", E, "every line gives its quantity's unit of measure")
        .en(&["BR-23", "BT-130"])
        .presence();
pub(super) const UNIT_CODE: Rule = Rule::error(
    "BR-CL-23",
    E,
    "a unit of measure is a code of UN/ECE Recommendation 20 or 21 (C62 one, HUR hour, KGM kilogram, XBX box)",
)
.en(&["BR-CL-23"]);
pub(super) const ITEM_NAME: Rule =
    Rule::error("BR-25", E, "every line names its item").en(&["BR-25", "BT-153"]).presence();
pub(super) const UNIT_PRICE: Rule =
    Rule::error("BR-27", E, "a line's unit price is not negative").en(&["BR-27"]);
pub(super) const GROSS_PRICE: Rule =
    Rule::error("BR-28", E, "a line's gross price is not negative").en(&["BR-28", "BT-148"]);
pub(super) const BASE_QUANTITY: Rule =
    Rule::error("INV-PRICE-BASE-QUANTITY", E, "a price base quantity, when given, is above zero")
        .en(&["BT-149"]);
pub(super) const LINE_PERIOD: Rule =
    Rule::error("BR-30", E, "a line's period ends on or after its start").en(&["BR-30"]);
pub(super) const LINE_PERIOD_BOUND: Rule =
    Rule::error("BR-CO-20", E, "a line's period, when given, has a start or an end")
        .en(&["BR-CO-20"]);
pub(super) const LINE_TAX_CATEGORY: Rule =
    Rule::error("BR-CO-04", E, "every line has a tax category").en(&["BR-CO-04"]);
pub(super) const LINE_NET: Rule = Rule::error(
    "INV-LINE-NET",
    E,
    "a line's net amount equals quantity times unit price (divided by the price base quantity), rounded to minor units, minus line allowances plus line charges",
)
.en(&["BT-131", "PEPPOL-EN16931-R120"]);
pub(super) const STANDARD_ID_SCHEME: Rule =
    Rule::error("BR-64", E, "an item's standard identifier has a scheme")
        .en(&["BR-64", "BT-157"])
        .presence();
pub(super) const STANDARD_ID_SCHEME_CODE: Rule = Rule::error(
    "BR-CL-21",
    E,
    "the scheme of an item's standard identifier is an ISO 6523 ICD code (0160 for a GTIN)",
)
.en(&["BR-CL-21"]);
pub(super) const CLASSIFICATION_SCHEME: Rule =
    Rule::error("BR-65", E, "an item classification has a scheme")
        .en(&["BR-65", "BT-158"])
        .presence();
pub(super) const CLASSIFICATION_SCHEME_CODE: Rule = Rule::error(
    "BR-CL-13",
    E,
    "an item classification's scheme is a UNTDID 7143 code (STI for CPV, TST for UNSPSC, HS for the harmonised system)",
)
.en(&["BR-CL-13"]);
pub(super) const DOC_ALLOWANCE_CATEGORY: Rule =
    Rule::error("BR-32", E, "every document-level allowance has a tax category")
        .en(&["BR-32", "BT-95"])
        .presence();
pub(super) const DOC_CHARGE_CATEGORY: Rule =
    Rule::error("BR-37", E, "every document-level charge has a tax category")
        .en(&["BR-37", "BT-102"])
        .presence();
pub(super) const DOC_ALLOWANCE_REASON: Rule =
    Rule::error("BR-33", E, "every document-level allowance gives a reason or a reason code")
        .en(&["BR-33", "BR-CO-21"])
        .presence();
pub(super) const DOC_CHARGE_REASON: Rule =
    Rule::error("BR-38", E, "every document-level charge gives a reason or a reason code")
        .en(&["BR-38", "BR-CO-22"])
        .presence();
pub(super) const LINE_ALLOWANCE_REASON: Rule =
    Rule::error("BR-42", E, "every line allowance gives a reason or a reason code")
        .en(&["BR-42", "BR-CO-23"])
        .presence();
pub(super) const LINE_CHARGE_REASON: Rule =
    Rule::error("BR-44", E, "every line charge gives a reason or a reason code")
        .en(&["BR-44", "BR-CO-24"])
        .presence();
pub(super) const ALLOWANCE_REASON_CODE: Rule = Rule::error(
    "BR-CL-19",
    E,
    "an allowance's reason code is a UNTDID 5189 code (95 discount, 100 special rebate)",
)
.en(&["BR-CL-19"]);
pub(super) const CHARGE_REASON_CODE: Rule = Rule::error(
    "BR-CL-20",
    E,
    "a charge's reason code is a UNTDID 7161 code (FC freight, DL delivery)",
)
.en(&["BR-CL-20"]);
pub(super) const ALLOWANCE_PERCENT: Rule = Rule::error(
    "INV-ALLOWANCE-PERCENT",
    E,
    "an allowance or charge with a base amount and a percentage has an amount of base times percentage / 100",
)
.en(&["BT-92", "BT-93", "BT-94", "PEPPOL-EN16931-R040"]);

/// Where an allowance or charge sits.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum Level {
    Document,
    Line,
}

impl Checker<'_> {
    pub(super) fn lines(&mut self) {
        let slack = self.line_slack();
        let inv = self.invoice;
        let lines = &inv.lines;
        for (i, line) in lines.iter().enumerate() {
            let at = format!("/lines/{i}");
            self.line_presence(line, &at);
            if line.unit_price.is_negative() {
                self.push(
                    &UNIT_PRICE,
                    format!("{at}/unit_price/amount"),
                    format!("expected a unit price of zero or more, but found {}", line.unit_price),
                );
            }
            if let Some(gross) = &line.gross_price
                && gross.is_negative()
            {
                self.push(
                    &GROSS_PRICE,
                    format!("{at}/gross_price/amount"),
                    format!("expected a gross price of zero or more, but found {gross}"),
                );
            }
            if let Some(base) = line.price_base_quantity
                && base <= Decimal::ZERO
            {
                self.push(
                    &BASE_QUANTITY,
                    format!("{at}/price_base_quantity"),
                    format!("expected a price base quantity above zero, but found {base}"),
                );
            }
            match line.tax_category {
                None => self.push(
                    &LINE_TAX_CATEGORY,
                    format!("{at}/tax_category"),
                    "expected a tax category, but found none".to_owned(),
                ),
                Some(category) => {
                    self.rate_rule(category, line.tax_rate, super::tax::RateOf::Line, &|| {
                        format!("{at}/tax_rate")
                    })
                }
            }
            if let Some(period) = &line.period {
                let path = format!("{at}/period");
                self.period(period, &LINE_PERIOD, &LINE_PERIOD_BOUND, &path);
            }
            for (j, ac) in line.allowances_charges.iter().enumerate() {
                let path = format!("{at}/allowances_charges/{j}");
                self.percent_rule(ac, slack, &path);
                self.reason(ac, Level::Line, &path);
            }
            if let Some(item) = &line.item {
                self.item(item, &format!("{at}/item"));
            }
            self.line_net(line, &at, slack);
        }
        fields::for_each_duplicate(
            lines,
            |l| l.id.iter().filter(|id| !fields::is_blank(id)),
            |later, earlier| {
                let id = lines.get(later).and_then(|l| l.id.as_deref()).unwrap_or_default();
                self.push(
                    &LINE_ID_UNIQUE,
                    format!("/lines/{later}/id"),
                    format!(
                        "expected a line id unique within the invoice, but {} is also the id of /lines/{earlier}",
                        fields::quoted(id)
                    ),
                );
            },
        );
    }

    /// BR-21, BR-23 and BR-25, and the unit's code list.
    fn line_presence(&mut self, line: &InvoiceLine, at: &str) {
        if line.id.as_deref().is_none_or(fields::is_blank) {
            self.push(
                &LINE_ID,
                format!("{at}/id"),
                "expected a line id, but found none".to_owned(),
            );
        }
        match &line.unit_of_measure {
            None => self.push(
                &UNIT,
                format!("{at}/unit_of_measure"),
                "expected the unit of measure, a UN/ECE Recommendation 20 code such as `C62` (one) or `HUR` (hour), but found none".to_owned(),
            ),
            Some(unit) if !codelists::contains(&codelists::REC_20, unit) => self.push(
                &UNIT_CODE,
                format!("{at}/unit_of_measure"),
                format!(
                    "expected a UN/ECE Recommendation 20 code such as `C62` (one) or `HUR` (hour), but found {}",
                    fields::quoted(unit)
                ),
            ),
            Some(_) => {}
        }
        let named = line.item.as_ref().and_then(|i| i.name.as_deref());
        if named.is_none_or(fields::is_blank) {
            let found = if line.description.is_some() {
                "none (the line's description is the item description, BT-154)"
            } else {
                "none"
            };
            self.push(
                &ITEM_NAME,
                format!("{at}/item/name"),
                format!("expected the item's name (BT-153), but found {found}"),
            );
        }
    }

    fn item(&mut self, item: &ItemRef, at: &str) {
        if let Some(id) = &item.standard_id {
            match &id.scheme {
                None => self.push(
                    &STANDARD_ID_SCHEME,
                    format!("{at}/standard_id/scheme"),
                    "expected the scheme of the item's standard identifier, such as `0160` (GTIN), but found none".to_owned(),
                ),
                Some(scheme) if !codelists::is_icd(scheme) => self.push(
                    &STANDARD_ID_SCHEME_CODE,
                    format!("{at}/standard_id/scheme"),
                    format!(
                        "expected an ISO 6523 ICD code such as `0160` (GTIN), but found {}",
                        fields::quoted(scheme)
                    ),
                ),
                Some(_) => {}
            }
        }
        for (k, c) in item.classifications.iter().enumerate() {
            match &c.scheme {
                None => self.push(
                    &CLASSIFICATION_SCHEME,
                    format!("{at}/classifications/{k}/scheme"),
                    "expected the classification's scheme, a UNTDID 7143 code such as `STI` (CPV), but found none".to_owned(),
                ),
                Some(scheme) if !codelists::contains(&codelists::UNTDID_7143, scheme) => self
                    .push(
                        &CLASSIFICATION_SCHEME_CODE,
                        format!("{at}/classifications/{k}/scheme"),
                        format!(
                            "expected a UNTDID 7143 code such as `STI` (CPV) or `TST` (UNSPSC), but found {}",
                            fields::quoted(scheme)
                        ),
                    ),
                Some(_) => {}
            }
        }
    }

    /// INV-LINE-NET: net = quantity × unit price ÷ base quantity −
    /// allowances + charges; the stated net is that value correctly
    /// rounded to minor units.
    fn line_net(&mut self, line: &InvoiceLine, at: &str, slack: Slack) {
        let base = line.price_base_quantity.filter(|b| *b > Decimal::ZERO).unwrap_or(Decimal::ONE);
        let computed = line
            .unit_price
            .amount()
            .checked_mul(line.quantity)
            .and_then(|p| if base == Decimal::ONE { Some(p) } else { p.checked_div(base) })
            .and_then(|p| signed_sum(&line.allowances_charges, p));
        let stated = line.net_amount.amount();
        match computed {
            Some(expected) if self.within(stated, expected, slack) => {}
            Some(expected) => {
                let per = if base == Decimal::ONE { String::new() } else { format!(" ÷ {base}") };
                let within = if matches!(slack, Slack::Rounded) {
                    " rounded to minor units"
                } else {
                    " within 0.02"
                };
                self.push(
                    &LINE_NET,
                    format!("{at}/net_amount"),
                    format!(
                        "expected {} × {}{per} {}= {} {}{within}, but found {}",
                        line.quantity,
                        line.unit_price,
                        describe_adjustments(&line.allowances_charges),
                        expected.normalize(),
                        self.currency,
                        line.net_amount
                    ),
                );
            }
            None => self.push(
                &LINE_NET,
                format!("{at}/net_amount"),
                "the line's amounts overflow the decimal range".to_owned(),
            ),
        }
    }

    pub(super) fn allowances_charges(&mut self) {
        let slack = self.line_slack();
        let inv = self.invoice;
        for (j, ac) in inv.allowances_charges.iter().enumerate() {
            let path = format!("/allowances_charges/{j}");
            self.percent_rule(ac, slack, &path);
            self.reason(ac, Level::Document, &path);
            match ac.tax_category {
                Some(category) => {
                    self.rate_rule(category, ac.tax_rate, super::tax::RateOf::Adjustment, &|| {
                        format!("{path}/tax_rate")
                    })
                }
                None => {
                    let (rule, what) = match ac.kind {
                        AllowanceChargeKind::Allowance => (&DOC_ALLOWANCE_CATEGORY, "allowance"),
                        _ => (&DOC_CHARGE_CATEGORY, "charge"),
                    };
                    self.push(
                        rule,
                        format!("{path}/tax_category"),
                        format!(
                            "expected the tax category of the document-level {what}, but found none"
                        ),
                    );
                }
            }
        }
    }

    /// BR-33/BR-38/BR-42/BR-44 (a reason or a code) and the reason code
    /// lists.
    fn reason(&mut self, ac: &AllowanceCharge, level: Level, path: &str) {
        let allowance = ac.kind == AllowanceChargeKind::Allowance;
        let has_reason = fields::has_text(ac.reason.as_ref());
        let code = ac.reason_code.as_deref().filter(|c| !fields::is_blank(c));
        if !has_reason && code.is_none() {
            let rule = match (level, allowance) {
                (Level::Document, true) => &DOC_ALLOWANCE_REASON,
                (Level::Document, false) => &DOC_CHARGE_REASON,
                (Level::Line, true) => &LINE_ALLOWANCE_REASON,
                (Level::Line, false) => &LINE_CHARGE_REASON,
            };
            let what = if allowance { "allowance" } else { "charge" };
            self.push(
                rule,
                format!("{path}/reason"),
                format!("expected the {what}'s reason or reason code, but found neither"),
            );
        }
        let Some(code) = code else {
            return;
        };
        if allowance && !codelists::contains(&codelists::UNTDID_5189, code) {
            self.push(
                &ALLOWANCE_REASON_CODE,
                format!("{path}/reason_code"),
                format!(
                    "expected a UNTDID 5189 allowance reason code such as `95` (discount), but found {}",
                    fields::quoted(code)
                ),
            );
        } else if !allowance && !codelists::contains(&codelists::UNTDID_7161, code) {
            self.push(
                &CHARGE_REASON_CODE,
                format!("{path}/reason_code"),
                format!(
                    "expected a UNTDID 7161 charge reason code such as `FC` (freight), but found {}",
                    fields::quoted(code)
                ),
            );
        }
    }

    fn percent_rule(&mut self, ac: &AllowanceCharge, slack: Slack, path: &str) {
        let (Some(base), Some(percent)) = (&ac.base_amount, ac.percent) else {
            return;
        };
        let expected =
            base.amount().checked_mul(percent).and_then(|p| p.checked_div(Decimal::ONE_HUNDRED));
        match expected {
            Some(e) if self.within(ac.amount.amount(), e, slack) => {}
            Some(e) => self.push(
                &ALLOWANCE_PERCENT,
                format!("{path}/amount"),
                format!(
                    "expected {base} × {percent} % = {} {}, but found {}",
                    e.normalize(),
                    self.currency,
                    ac.amount
                ),
            ),
            None => self.push(
                &ALLOWANCE_PERCENT,
                format!("{path}/amount"),
                "the amounts overflow the decimal range".to_owned(),
            ),
        }
    }
}

/// `start` minus allowances plus charges.
fn signed_sum(adjustments: &[AllowanceCharge], start: Decimal) -> Option<Decimal> {
    adjustments.iter().try_fold(start, |acc, ac| match ac.kind {
        AllowanceChargeKind::Allowance => acc.checked_sub(ac.amount.amount()),
        _ => acc.checked_add(ac.amount.amount()),
    })
}

fn describe_adjustments(adjustments: &[AllowanceCharge]) -> String {
    let mut out = String::new();
    for ac in adjustments {
        let sign = if ac.kind == AllowanceChargeKind::Allowance { '−' } else { '+' };
        out.push_str(&format!("{sign} {} ", ac.amount.amount()));
    }
    out
}
