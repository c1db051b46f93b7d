//! Tax: categories and rates of lines, allowances and charges, the tax
//! breakdown (BG-23), exemption reasons, and the tax ids each category
//! needs the seller and the buyer to carry.

use rust_decimal::Decimal;

use super::{Checker, E, Profile, Rule, Slack, fields};
use crate::model::{AllowanceChargeKind, Invoice, InvoiceStatus, Party, TaxCategory, TaxIdScheme};
use crate::validate::codelists;

pub(super) const TAX_AMOUNT: Rule = Rule::error(
    "BR-CO-17",
    E,
    "each tax breakdown's tax amount equals its taxable amount times its rate, rounded to the currency's minor units, or the sum of its lines' tax amounts when every line states one",
)
.en(&[
    "BR-CO-17", "BR-S-09", "BR-Z-09", "BR-E-09", "BR-AE-09", "BR-IC-09", "BR-G-09", "BR-O-09",
    "BR-AF-09", "BR-AG-09",
]);
pub(super) const TAX_GROUP: Rule = Rule::error(
    "INV-TAX-GROUP",
    E,
    "the tax breakdown has one entry per (category, rate) in use, and its taxable amount equals the line net amounts minus allowances plus charges of that category and rate",
)
.en(&[
    "BR-S-01", "BR-Z-01", "BR-E-01", "BR-AE-01", "BR-IC-01", "BR-G-01", "BR-O-01",
    "BR-AF-01", "BR-AG-01", "BR-S-08", "BR-Z-08", "BR-E-08", "BR-AE-08", "BR-IC-08", "BR-G-08",
    "BR-O-08", "BR-AF-08", "BR-AG-08",
]);
pub(super) const BREAKDOWN_PRESENT: Rule = Rule::error(
    "BR-CO-18",
    E,
    "an invoice that is not a draft has at least one tax breakdown (BG-23)",
)
.en(&["BR-CO-18", "BG-23"])
.presence();
pub(super) const BREAKDOWN_RATE: Rule = Rule::error(
    "BR-48",
    E,
    "every tax breakdown gives its rate, except in the outside-scope category",
)
.en(&["BR-48", "BT-119"])
.presence();
pub(super) const STANDARD_RATE: Rule = Rule::error(
    "INV-TAX-RATE-STANDARD",
    E,
    "lines, allowances, charges and tax breakdowns in the standard category have a rate above zero",
)
.en(&["BR-S-05", "BR-S-06", "BR-S-07"]);
pub(super) const ZERO_RATE: Rule = Rule::error(
    "INV-TAX-RATE-ZERO",
    E,
    "in the zero-rated, exempt, reverse-charge, intra-community and export categories the rate is zero (an absent rate counts as zero)",
)
.en(&[
    "BR-Z-05", "BR-Z-06", "BR-Z-07", "BR-E-05", "BR-E-06", "BR-E-07", "BR-AE-05", "BR-AE-06",
    "BR-AE-07", "BR-IC-05", "BR-IC-06", "BR-IC-07", "BR-G-05", "BR-G-06", "BR-G-07",
]);
pub(super) const OUTSIDE_SCOPE_RATE: Rule = Rule::error(
    "INV-TAX-RATE-OUTSIDE-SCOPE",
    E,
    "lines, allowances and charges outside the scope of tax give no rate, and a tax breakdown outside the scope gives none or zero",
)
.en(&["BR-O-05", "BR-O-06", "BR-O-07"]);
pub(super) const NON_NEGATIVE_RATE: Rule = Rule::error(
    "INV-TAX-RATE-NON-NEGATIVE",
    E,
    "in the Canary Islands (IGIC) and Ceuta and Melilla (IPSI) categories the rate is given and zero or more",
)
.en(&["BR-AF-05", "BR-AF-06", "BR-AF-07", "BR-AG-05", "BR-AG-06", "BR-AG-07"]);
pub(super) const EXEMPTION_REASON: Rule = Rule::error(
    "INV-EXEMPTION-REASON",
    E,
    "a tax breakdown in the exempt, reverse-charge, intra-community, export or outside-scope category gives an exemption reason or code",
)
.en(&["BR-E-10", "BR-AE-10", "BR-IC-10", "BR-G-10", "BR-O-10"]);
pub(super) const NO_EXEMPTION_REASON: Rule = Rule::error(
    "INV-EXEMPTION-REASON-FORBIDDEN",
    E,
    "a tax breakdown in the standard, zero-rated, Canary Islands or Ceuta and Melilla category gives no exemption reason or code",
)
.en(&["BR-S-10", "BR-Z-10", "BR-AF-10", "BR-AG-10"]);
pub(super) const EXEMPTION_CODE: Rule = Rule::error(
    "BR-CL-22",
    E,
    "an exemption reason code is a code of the CEF VATEX list (VATEX-EU-AE, VATEX-EU-IC, VATEX-EU-G, VATEX-EU-O and the article codes)",
)
.en(&["BR-CL-22"]);
pub(super) const OUTSIDE_SCOPE_ALONE: Rule = Rule::error(
    "INV-OUTSIDE-SCOPE-EXCLUSIVE",
    E,
    "an invoice with a tax breakdown outside the scope of tax has no breakdown, line, allowance or charge in another category",
)
.en(&["BR-O-11", "BR-O-12", "BR-O-13", "BR-O-14"])
.presence();
pub(super) const OUTSIDE_SCOPE_VAT_ID: Rule = Rule::error(
    "INV-OUTSIDE-SCOPE-VAT-ID",
    E,
    "an invoice with lines, allowances or charges outside the scope of tax gives no VAT id for the seller, the tax representative or the buyer",
)
.en(&["BR-O-02", "BR-O-03", "BR-O-04"])
.presence();
pub(super) const SELLER_TAX_ID: Rule = Rule::error(
    "INV-SELLER-TAX-ID",
    E,
    "an invoice with lines, allowances or charges in the standard, zero-rated, exempt, reverse-charge, Canary Islands or Ceuta and Melilla category gives the seller's VAT id or tax registration, or the tax representative's VAT id",
)
.en(&[
    "BR-S-02", "BR-S-03", "BR-S-04", "BR-Z-02", "BR-Z-03", "BR-Z-04", "BR-E-02", "BR-E-03",
    "BR-E-04", "BR-AE-02", "BR-AE-03", "BR-AE-04", "BR-AF-02", "BR-AF-03", "BR-AF-04", "BR-AG-02",
    "BR-AG-03", "BR-AG-04",
])
.presence();
pub(super) const SELLER_VAT_ID: Rule = Rule::error(
    "INV-SELLER-VAT-ID",
    E,
    "an invoice with lines, allowances or charges in the intra-community or export category gives the seller's or the tax representative's VAT id",
)
.en(&["BR-IC-02", "BR-IC-03", "BR-IC-04", "BR-G-02", "BR-G-03", "BR-G-04"])
.presence();
pub(super) const BUYER_TAX_ID: Rule = Rule::error(
    "INV-BUYER-TAX-ID",
    E,
    "an invoice with lines, allowances or charges in the reverse-charge category gives the buyer's VAT id or legal registration id; in the intra-community category, the buyer's VAT id",
)
.en(&[
    "BR-AE-02", "BR-AE-03", "BR-AE-04", "BR-IC-02", "BR-IC-03", "BR-IC-04", "BT-47", "BT-48",
])
.presence();
pub(super) const IC_DELIVERY_DATE: Rule = Rule::error(
    "BR-IC-11",
    E,
    "an invoice with an intra-community tax breakdown gives the actual delivery date or the invoicing period",
)
.en(&["BR-IC-11", "BT-72", "BG-14"])
.presence();
pub(super) const IC_DELIVERY_COUNTRY: Rule = Rule::error(
    "BR-IC-12",
    E,
    "an invoice with an intra-community tax breakdown gives the deliver-to country",
)
.en(&["BR-IC-12", "BT-80"])
.presence();

/// What a rate belongs to; outside the scope of tax, lines, allowances and
/// charges give no rate at all, a breakdown may give zero.
#[derive(Clone, Copy, PartialEq, Eq)]
pub(super) enum RateOf {
    Line,
    Adjustment,
    Breakdown,
}

/// Where a category is first used: a line, or a document-level allowance
/// or charge.
struct FirstUse {
    category: TaxCategory,
    path: String,
}

/// The categories used by lines, document-level allowances and charges,
/// each with its first use, in order of first use.
fn categories_in_use(inv: &Invoice) -> Vec<FirstUse> {
    let mut used: Vec<FirstUse> = Vec::new();
    let mut add = |category: TaxCategory, path: &dyn Fn() -> String| {
        if !used.iter().any(|u| u.category == category) {
            used.push(FirstUse { category, path: path() });
        }
    };
    for (i, line) in inv.lines.iter().enumerate() {
        if let Some(category) = line.tax_category {
            add(category, &|| format!("/lines/{i}/tax_category"));
        }
    }
    for (j, ac) in inv.allowances_charges.iter().enumerate() {
        if let Some(category) = ac.tax_category {
            add(category, &|| format!("/allowances_charges/{j}/tax_category"));
        }
    }
    used
}

/// True when the party has a tax id (any scheme but a legal registration)
/// for the category rules: a VAT id (BT-31) or a tax registration (BT-32).
fn has_tax_registration(party: Option<&Party>) -> bool {
    party.is_some_and(|p| {
        p.tax_ids
            .iter()
            .any(|t| t.scheme != TaxIdScheme::LegalRegistration && !fields::is_blank(&t.value))
    })
}

fn has_vat_id(party: Option<&Party>) -> bool {
    party.and_then(Party::vat_id).is_some_and(|v| !fields::is_blank(v))
}

fn has_legal_id(party: Option<&Party>) -> bool {
    party
        .and_then(|p| p.tax_id(TaxIdScheme::LegalRegistration))
        .is_some_and(|v| !fields::is_blank(v))
}

impl Checker<'_> {
    pub(super) fn rate_rule(
        &mut self,
        category: TaxCategory,
        rate: Option<Decimal>,
        of: RateOf,
        path: &dyn Fn() -> String,
    ) {
        let found = || rate.map_or_else(|| "none".to_owned(), |r| r.to_string());
        match category {
            TaxCategory::Standard if rate.is_none_or(|r| r <= Decimal::ZERO) => self.push(
                &STANDARD_RATE,
                path(),
                format!(
                    "expected a rate above zero for the standard category, but found {}",
                    found()
                ),
            ),
            TaxCategory::ZeroRated
            | TaxCategory::Exempt
            | TaxCategory::ReverseCharge
            | TaxCategory::IntraCommunity
            | TaxCategory::Export => {
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
            TaxCategory::OutsideScope => match (of, rate) {
                (RateOf::Breakdown, Some(r)) if !r.is_zero() => self.push(
                    &OUTSIDE_SCOPE_RATE,
                    path(),
                    format!(
                        "expected no rate (or zero) for a breakdown outside the scope of tax, but found {r}"
                    ),
                ),
                (RateOf::Line | RateOf::Adjustment, Some(r)) => self.push(
                    &OUTSIDE_SCOPE_RATE,
                    path(),
                    format!("expected no rate outside the scope of tax, but found {r}"),
                ),
                _ => {}
            },
            TaxCategory::CanaryIslands | TaxCategory::CeutaMelilla
                if rate.is_none_or(|r| r < Decimal::ZERO) =>
            {
                self.push(
                    &NON_NEGATIVE_RATE,
                    path(),
                    format!(
                        "expected a rate of zero or more for the {} category, but found {}",
                        category_name(category),
                        found()
                    ),
                );
            }
            _ => {}
        }
    }

    pub(super) fn tax_breakdown(&mut self) {
        let inv = self.invoice;
        let mut groups = taxable_groups(inv);
        let tax_slack = match self.profile {
            Profile::En16931Ubl => Slack::Below(Decimal::ONE),
            _ => Slack::Rounded,
        };
        if inv.tax_breakdown.is_empty() && inv.status != InvoiceStatus::Draft {
            self.push(
                &BREAKDOWN_PRESENT,
                "/tax_breakdown",
                "expected at least one tax breakdown (category, rate, taxable and tax amount), but found none"
                    .to_owned(),
            );
        }
        for (k, t) in inv.tax_breakdown.iter().enumerate() {
            let rate = t.rate.unwrap_or(Decimal::ZERO);
            self.rate_rule(t.category, t.rate, RateOf::Breakdown, &|| {
                format!("/tax_breakdown/{k}/rate")
            });
            if t.rate.is_none() && t.category != TaxCategory::OutsideScope {
                self.push(
                    &BREAKDOWN_RATE,
                    format!("/tax_breakdown/{k}/rate"),
                    format!(
                        "expected the rate of the {} category (0 when it has none), but found none",
                        category_name(t.category)
                    ),
                );
            }
            self.exemption(k);
            self.tax_amount(k, rate, tax_slack);
            // INV-TAX-GROUP: taxable amount of this (category, rate).
            match groups.iter().position(|(c, r, _)| *c == t.category && *r == rate) {
                Some(index) => {
                    let sum = groups.get(index).and_then(|g| g.2);
                    groups.remove(index);
                    match sum {
                        Some(s) if s == t.taxable_amount.amount() => {}
                        Some(s) => self.push(
                            &TAX_GROUP,
                            format!("/tax_breakdown/{k}/taxable_amount"),
                            format!(
                                "expected {} {}, the net amounts of category {} at {rate} %, but found {}",
                                s,
                                self.currency,
                                category_name(t.category),
                                t.taxable_amount
                            ),
                        ),
                        None => self.push(
                            &TAX_GROUP,
                            format!("/tax_breakdown/{k}/taxable_amount"),
                            "the amounts overflow the decimal range".to_owned(),
                        ),
                    }
                }
                None => self.push(
                    &TAX_GROUP,
                    format!("/tax_breakdown/{k}"),
                    format!(
                        "expected a line, allowance or charge in category {} at {rate} %, but found none",
                        category_name(t.category)
                    ),
                ),
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
        self.outside_scope_alone();
        self.intra_community_delivery();
    }

    /// The exemption reason rules and the VATEX code list for breakdown `k`.
    fn exemption(&mut self, k: usize) {
        let Some(t) = self.invoice.tax_breakdown.get(k) else {
            return;
        };
        let code = t.exemption_reason_code.as_deref().filter(|c| !fields::is_blank(c));
        let has_reason = fields::has_text(t.exemption_reason.as_ref()) || code.is_some();
        match t.category {
            TaxCategory::Exempt
            | TaxCategory::ReverseCharge
            | TaxCategory::IntraCommunity
            | TaxCategory::Export
            | TaxCategory::OutsideScope
                if !has_reason =>
            {
                self.push(
                    &EXEMPTION_REASON,
                    format!("/tax_breakdown/{k}/exemption_reason"),
                    format!(
                        "expected an exemption reason or code for the {} category, but found none",
                        category_name(t.category)
                    ),
                );
            }
            TaxCategory::Standard
            | TaxCategory::ZeroRated
            | TaxCategory::CanaryIslands
            | TaxCategory::CeutaMelilla
                if has_reason =>
            {
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
        if let Some(code) = code
            && !codelists::contains(&codelists::VATEX, code)
        {
            self.push(
                &EXEMPTION_CODE,
                format!("/tax_breakdown/{k}/exemption_reason_code"),
                format!(
                    "expected a VATEX code such as `VATEX-EU-AE` or `VATEX-EU-132-1A`, but found {}",
                    fields::quoted(code)
                ),
            );
        }
    }

    /// BR-CO-17 for breakdown `k`: tax = taxable × rate / 100.
    fn tax_amount(&mut self, k: usize, rate: Decimal, slack: Slack) {
        let inv = self.invoice;
        let Some(t) = inv.tax_breakdown.get(k) else {
            return;
        };
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
            Some(e) if self.within(t.tax_amount.amount(), e, slack) => {}
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
    }

    /// BR-O-11..14: outside the scope of tax, nothing else.
    fn outside_scope_alone(&mut self) {
        let inv = self.invoice;
        if !inv.tax_breakdown.iter().any(|t| t.category == TaxCategory::OutsideScope) {
            return;
        }
        let mut others: Vec<(String, TaxCategory)> = Vec::new();
        for (k, t) in inv.tax_breakdown.iter().enumerate() {
            if t.category != TaxCategory::OutsideScope {
                others.push((format!("/tax_breakdown/{k}/category"), t.category));
            }
        }
        for use_ in categories_in_use(inv) {
            if use_.category != TaxCategory::OutsideScope {
                others.push((use_.path, use_.category));
            }
        }
        for (path, category) in others {
            self.push(
                &OUTSIDE_SCOPE_ALONE,
                path,
                format!(
                    "expected only the outside-scope category on an invoice with an outside-scope tax breakdown, but found {}",
                    category_name(category)
                ),
            );
        }
    }

    /// BR-IC-11 and BR-IC-12: an intra-community supply says when and
    /// where it was delivered.
    fn intra_community_delivery(&mut self) {
        let inv = self.invoice;
        if !inv.tax_breakdown.iter().any(|t| t.category == TaxCategory::IntraCommunity) {
            return;
        }
        let delivery = inv.delivery.as_ref();
        let has_period = inv.period.is_some_and(|p| p.start.is_some() || p.end.is_some());
        if delivery.and_then(|d| d.date).is_none() && !has_period {
            self.push(
                &IC_DELIVERY_DATE,
                "/delivery/date",
                "expected the actual delivery date or the invoicing period of an intra-community supply, but found neither".to_owned(),
            );
        }
        if delivery.and_then(|d| d.address.as_ref()).is_none() {
            self.push(
                &IC_DELIVERY_COUNTRY,
                "/delivery/address",
                "expected the deliver-to address with its country for an intra-community supply, but found none".to_owned(),
            );
        }
    }

    /// The tax ids each category in use needs (the -02..-04 rules of
    /// every category).
    pub(super) fn seller_tax_ids(&mut self) {
        let inv = self.invoice;
        let seller = inv.seller.as_ref();
        let rep = inv.tax_representative.as_ref();
        let buyer = inv.buyer.as_ref();
        for use_ in categories_in_use(inv) {
            let name = category_name(use_.category);
            let at = &use_.path;
            match use_.category {
                TaxCategory::Standard
                | TaxCategory::ZeroRated
                | TaxCategory::Exempt
                | TaxCategory::ReverseCharge
                | TaxCategory::CanaryIslands
                | TaxCategory::CeutaMelilla
                    if !has_tax_registration(seller) && !has_vat_id(rep) =>
                {
                    self.push(
                        &SELLER_TAX_ID,
                        "/seller/tax_ids",
                        format!(
                            "expected the seller's VAT id or tax registration, or the tax representative's VAT id, for the {name} category of {at}, but found none"
                        ),
                    );
                }
                TaxCategory::IntraCommunity | TaxCategory::Export
                    if !has_vat_id(seller) && !has_vat_id(rep) =>
                {
                    self.push(
                        &SELLER_VAT_ID,
                        "/seller/tax_ids",
                        format!(
                            "expected the seller's or the tax representative's VAT id for the {name} category of {at}, but found none"
                        ),
                    );
                }
                TaxCategory::OutsideScope => {
                    for (field, party) in
                        [("seller", seller), ("tax_representative", rep), ("buyer", buyer)]
                    {
                        if has_vat_id(party) {
                            self.push(
                                &OUTSIDE_SCOPE_VAT_ID,
                                format!("/{field}/tax_ids"),
                                format!(
                                    "expected no VAT id for the {} of an invoice with {at} outside the scope of tax, but found one",
                                    field.replace('_', " ")
                                ),
                            );
                        }
                    }
                }
                _ => {}
            }
            match use_.category {
                TaxCategory::ReverseCharge if !has_vat_id(buyer) && !has_legal_id(buyer) => {
                    self.push(
                        &BUYER_TAX_ID,
                        "/buyer/tax_ids",
                        format!(
                            "expected the buyer's VAT id or legal registration id for the reverse-charge category of {at}, but found neither"
                        ),
                    );
                }
                TaxCategory::IntraCommunity if !has_vat_id(buyer) => {
                    self.push(
                        &BUYER_TAX_ID,
                        "/buyer/tax_ids",
                        format!(
                            "expected the buyer's VAT id for the intra-community category of {at}, but found none"
                        ),
                    );
                }
                _ => {}
            }
        }
    }
}

/// The (category, rate) groups of lines and document-level allowances and
/// charges, with their taxable amounts (`None` on overflow). An absent
/// rate counts as zero.
fn taxable_groups(inv: &Invoice) -> Vec<(TaxCategory, Decimal, Option<Decimal>)> {
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
    groups
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

pub(super) fn category_name(category: TaxCategory) -> &'static str {
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
