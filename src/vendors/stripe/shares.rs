//! The way back of invoices and credit notes, for what the glue writes
//! where the residue does not give it back: each line's tax (its own, or
//! its share of the tax breakdown), the shipping charge, and the tax rate
//! a tax names.

use crate::json::{Map, Value};
use rust_decimal::Decimal;

use super::json;
use crate::mapping::{Loss, LossKind};
use crate::money::{Currency, Money};

/// The tax of a line (or of the shipping charge) on the way back, in minor
/// units: its own `tax_amount`, or its share of the tax breakdown.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct LineTaxAmount {
    pub(super) amount: i64,
    /// The record's own tax amount, not a share.
    pub(super) stated: bool,
}

/// The document-level charge written as Stripe's `shipping_cost`.
pub(super) struct Charge<'c> {
    /// Its index in the record's `allowances_charges`.
    pub(super) index: usize,
    /// Its amount in Stripe minor units.
    pub(super) amount: i64,
    pub(super) category: Option<String>,
    pub(super) value: &'c Value,
}

/// What [`share_taxes`] shares the breakdown's tax over.
pub(super) struct Members<'m, 'c> {
    /// Per canonical line: whether the glue writes it (not read from Stripe).
    pub(super) written: &'m [bool],
    pub(super) shipping: Option<&'m Charge<'c>>,
}

/// True for a document-level charge Stripe can hold as `shipping_cost`:
/// UNCL 7161 reason code FC (freight service) or DL (delivery), or a
/// reason that names shipping, delivery, freight, postage or carriage.
fn shipping_like(ac: &Value) -> bool {
    if matches!(json::text(ac, "/reason_code"), Some("FC" | "DL")) {
        return true;
    }
    let reason = json::text(ac, "/reason").unwrap_or("").to_lowercase();
    ["shipping", "delivery", "freight", "postage", "carriage"].iter().any(|w| reason.contains(w))
}

/// The record's first shipping-like document-level charge, to be written as
/// Stripe's `shipping_cost`; every other document-level charge is reported,
/// since a Stripe invoice or credit note holds no other.
pub(super) fn shipping_charge<'c>(
    canonical: &'c Value,
    object: &str,
    minor: &dyn Fn(Option<&Value>) -> Option<i64>,
    losses: &mut Vec<Loss>,
) -> Option<Charge<'c>> {
    let mut found: Option<Charge<'c>> = None;
    for (k, ac) in json::array(canonical, "/allowances_charges").iter().enumerate() {
        if json::text(ac, "/kind") != Some("charge") {
            continue;
        }
        let at = format!("/allowances_charges/{k}");
        if !shipping_like(ac) {
            losses.push(Loss::new(
                LossKind::Unsupported,
                at,
                format!(
                    "a Stripe {object} has no document-level charge but its shipping cost, and this charge is not shipping (reason code FC or DL, or a reason naming shipping or delivery): it is not written"
                ),
            ));
            continue;
        }
        if found.is_some() {
            losses.push(Loss::new(
                LossKind::Unsupported,
                at,
                format!(
                    "a Stripe {object} holds one shipping cost (shipping_cost), written from the first shipping charge: this second one is not written"
                ),
            ));
            continue;
        }
        let Some(amount) = minor(ac.get("amount")) else {
            losses.push(Loss::new(
                LossKind::Unsupported,
                format!("{at}/amount"),
                format!(
                    "the charge is not a whole number of Stripe minor units in the {object}'s currency: shipping_cost is not written"
                ),
            ));
            continue;
        };
        found = Some(Charge {
            index: k,
            amount,
            category: json::text(ac, "/tax_category").map(str::to_owned),
            value: ac,
        });
    }
    found
}

/// A canonical rate as a decimal, absent counting as zero (what the way in
/// gives a category without a rate).
pub(super) fn rate_key(v: Option<&Value>) -> Decimal {
    v.and_then(Value::as_str).and_then(|s| s.parse::<Decimal>().ok()).unwrap_or(Decimal::ZERO)
}

/// The tax of every canonical line, and of the shipping charge, on the way
/// back.
///
/// A line's own `tax_amount` is used as it is. For the lines the glue
/// writes that have none (EN 16931 invoices often give the tax per
/// category and rate in `tax_breakdown` only), and for the shipping charge,
/// the breakdown entry of their (category, rate), less the tax amounts the
/// record states for other lines of it, is shared out in proportion to
/// their net amounts with [`Money::allocate`]: the shares add up to it
/// exactly. Where that cannot be done (no breakdown entry for a taxed
/// category, net amounts of both signs, no net amount to share by), the
/// tax is not written and an unsupported loss says so at the line's (or
/// charge's) `tax_rate`.
pub(super) fn share_taxes(
    canonical: &Value,
    members: &Members<'_, '_>,
    (exp, currency): (u32, Currency),
    object: &str,
    losses: &mut Vec<Loss>,
) -> (Vec<Option<LineTaxAmount>>, Option<LineTaxAmount>) {
    let minor = |m: Option<&Value>| m.and_then(|m| json::minor_of(m, exp, currency));
    let lines = json::array(canonical, "/lines");
    let mut line_tax: Vec<Option<LineTaxAmount>> = lines
        .iter()
        .map(|l| minor(l.get("tax_amount")).map(|amount| LineTaxAmount { amount, stated: true }))
        .collect();
    let mut shipping_tax = None;
    let category_of_line =
        |l: &Value| json::text(l, "/tax_category").unwrap_or("outside_scope").to_owned();
    // (category, rate) → the members without a tax of their own.
    let mut groups: Vec<((String, Decimal), Vec<Member>)> = Vec::new();
    let mut add =
        |key: (String, Decimal), member: Member| match groups.iter_mut().find(|(k, _)| *k == key) {
            Some((_, list)) => list.push(member),
            None => groups.push((key, vec![member])),
        };
    for (i, l) in lines.iter().enumerate() {
        let needs = members.written.get(i).copied().unwrap_or(false)
            && line_tax.get(i).is_some_and(Option::is_none);
        let Some(net) = minor(l.get("net_amount")).filter(|_| needs) else { continue };
        let key = (category_of_line(l), rate_key(l.get("tax_rate")));
        add(key, (Some(i), net, format!("/lines/{i}/tax_rate")));
    }
    if let Some(charge) = members.shipping {
        let key = (
            charge.category.clone().unwrap_or_else(|| "outside_scope".to_owned()),
            rate_key(charge.value.get("tax_rate")),
        );
        add(key, (None, charge.amount, format!("/allowances_charges/{}/tax_rate", charge.index)));
    }
    for ((category, rate), list) in groups {
        let label = format!("({category}, {} %)", json::rate_text(rate));
        let entry = json::array(canonical, "/tax_breakdown").iter().find(|t| {
            json::text(t, "/category").unwrap_or("outside_scope") == category
                && rate_key(t.get("rate")) == rate
        });
        let taxed = category == "standard" && !rate.is_zero();
        let mut fail = |reason: String| {
            for (_, _, at) in &list {
                losses.push(Loss::new(LossKind::Unsupported, at.clone(), reason.clone()));
            }
        };
        let Some(entry) = entry else {
            if taxed {
                fail(format!(
                    "no tax amount, and the tax breakdown has no entry for {label} to share out: the Stripe {object} is written without this tax, so its taxes do not add up to the canonical totals"
                ));
            }
            continue;
        };
        let Some(breakdown_tax) = minor(entry.get("tax_amount")) else {
            fail(format!(
                "the tax breakdown's tax amount for {label} is not a whole number of Stripe minor units: the Stripe {object} is written without this tax"
            ));
            continue;
        };
        // The tax the record already gives lines of this group.
        let stated = lines
            .iter()
            .zip(&line_tax)
            .filter(|(l, t)| {
                t.is_some()
                    && category_of_line(l) == category
                    && rate_key(l.get("tax_rate")) == rate
            })
            .try_fold(0i64, |acc, (_, t)| acc.checked_add(t.map_or(0, |t| t.amount)));
        let Some(rest) = stated.and_then(|s| breakdown_tax.checked_sub(s)) else { continue };
        let weights: Vec<i64> = list.iter().map(|(_, w, _)| *w).collect();
        let shares = if weights.iter().all(|w| *w >= 0) {
            allocate(rest, &weights, exp, currency)
        } else if weights.iter().all(|w| *w <= 0) {
            let flipped: Vec<i64> = weights.iter().map(|w| w.saturating_neg()).collect();
            allocate(rest, &flipped, exp, currency)
        } else {
            Err("the lines of this category and rate have net amounts of both signs")
        };
        let shares = match shares {
            Ok(s) => s,
            Err(why) => {
                fail(format!(
                    "no tax amount, and the tax breakdown's {label} tax cannot be shared out in proportion to the net amounts ({why}): the Stripe {object} is written without this tax"
                ));
                continue;
            }
        };
        for ((line, _, _), amount) in list.iter().zip(shares) {
            let tax = Some(LineTaxAmount { amount, stated: false });
            match line {
                Some(i) => {
                    if let Some(slot) = line_tax.get_mut(*i) {
                        *slot = tax;
                    }
                }
                None => shipping_tax = tax,
            }
        }
    }
    (line_tax, shipping_tax)
}

/// A line (by index; `None` for the shipping charge) without a tax of its
/// own, its weight (net amount in minor units) and the pointer of its rate.
type Member = (Option<usize>, i64, String);

/// `amount` minor units shared out over `weights` with
/// [`Money::allocate`], the shares in minor units again.
fn allocate(
    amount: i64,
    weights: &[i64],
    exp: u32,
    currency: Currency,
) -> Result<Vec<i64>, &'static str> {
    if amount == 0 {
        return Ok(vec![0; weights.len()]);
    }
    if weights.iter().all(|w| *w == 0) {
        return Err("their net amounts are all zero");
    }
    let total = Decimal::try_new(amount, exp).map_err(|_| "the tax is out of range")?;
    let weights: Vec<Decimal> = weights.iter().map(|w| Decimal::from(*w)).collect();
    let parts = Money::new(total, currency)
        .allocate(&weights)
        .map_err(|_| "the amounts cannot be shared out in this currency")?;
    let factor = Decimal::from(10i64.checked_pow(exp).ok_or("the tax is out of range")?);
    parts
        .iter()
        .map(|p| {
            let minor = p.amount().checked_mul(factor).ok_or("the tax is out of range")?;
            if minor.fract().is_zero() {
                i64::try_from(minor.trunc()).map_err(|_| "the tax is out of range")
            } else {
                Err("the shares are finer than Stripe's minor unit")
            }
        })
        .collect()
}

/// The tax rate written for a line (or charge) at `at` with a tax: the
/// expanded tax rate, as Stripe gives it when the request expands it, with
/// the line's `tax_code` as its id when that is a Stripe tax rate id
/// (`txr_…`), its rate as the percentage and the name of its breakdown
/// entry as the display name.
///
/// Stripe names a tax rate by its id: a `tax_code` of another system is
/// reported (unsupported) and not written, and a rate without a Stripe id
/// is written without one and reported (incomplete): it reads back, but
/// Stripe needs the tax rate created first.
pub(super) fn tax_rate_object(
    canonical: &Value,
    line: &Value,
    at: &str,
    object: &str,
    losses: &mut Vec<Loss>,
) -> Value {
    let mut rate = Map::new();
    match json::text(line, "/tax_code") {
        Some(code) if code.starts_with("txr_") => {
            rate.insert("id".to_owned(), crate::json!(code));
        }
        Some(code) => losses.push(Loss::new(
            LossKind::Unsupported,
            format!("{at}/tax_code"),
            format!(
                "{code:?} is not a Stripe tax rate id (txr_…), and a Stripe {object} names a tax's rate only by such an id: the tax code is not written"
            ),
        )),
        None => {}
    }
    if rate.is_empty() {
        losses.push(Loss::new(
            LossKind::Incomplete,
            format!("{at}/tax_rate"),
            format!(
                "a Stripe {object} names a tax's rate by the id of a Stripe tax rate (txr_…) and the record has none: the rate is written as an expanded tax rate without an id (its percentage and the breakdown's name), which reads back, but Stripe needs the tax rate created first and its id given as tax_code"
            ),
        ));
    }
    rate.insert("object".to_owned(), crate::json!("tax_rate"));
    if let Some(p) =
        json::text(line, "/tax_rate").and_then(|r| r.parse::<crate::json::Number>().ok())
    {
        rate.insert("percentage".to_owned(), Value::Number(p));
    }
    let name = json::array(canonical, "/tax_breakdown").iter().find_map(|t| {
        (t.get("category") == line.get("tax_category")
            && same_rate(t.get("rate"), line.get("tax_rate")))
        .then(|| json::text(t, "/name"))
        .flatten()
    });
    if let Some(name) = name {
        rate.insert("display_name".to_owned(), crate::json!(name));
    }
    Value::Object(rate)
}

/// True when two canonical rates (decimal strings, or absent) are equal.
pub(super) fn same_rate(a: Option<&Value>, b: Option<&Value>) -> bool {
    let parse =
        |v: Option<&Value>| v.and_then(Value::as_str).and_then(|s| s.parse::<Decimal>().ok());
    parse(a) == parse(b)
}
