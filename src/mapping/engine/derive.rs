//! `derive`: invoice parts the vendor computes and does not send as
//! EN 16931 states them. QuickBooks sends one tax total and tax lines per
//! rate component, Xero a tax amount per line; neither sends a breakdown
//! per (category, rate), and QuickBooks no net total. The engine derives
//! them from the canonical record the rules made, the same way for every
//! vendor, and leaves them to the vendor on the way back (the vendor
//! computes them again from the lines).

use std::ops::Neg;

use rust_decimal::RoundingStrategy;

use super::*;

/// The categories whose breakdown gives why no tax is charged (BR-E-10,
/// BR-AE-10, BR-IC-10, BR-G-10, BR-O-10).
const NEEDS_REASON: &[&str] =
    &["exempt", "reverse_charge", "intra_community", "export", "outside_scope"];

/// A compiled `derive`.
#[derive(Debug, Clone, Default)]
pub(super) struct Derive {
    /// The breakdown, with the exemption reason of each category.
    breakdown: Option<BTreeMap<String, String>>,
    /// The category of a line that gives none.
    untaxed: Option<String>,
    totals: bool,
    allowances: bool,
    unit_prices: bool,
    status: bool,
}

impl Derive {
    /// Checks a file's `derive`: for invoices only, with known categories.
    pub(super) fn compile(
        spec: &DeriveSpec,
        entity: Entity,
        err: &dyn Fn(String, String) -> MappingError,
    ) -> Result<Derive, MappingError> {
        if entity != Entity::Invoice {
            return Err(err(
                "/derive".into(),
                format!("expected `derive` in an invoice mapping only, but the entity is {entity}"),
            ));
        }
        if let Some(b) = &spec.tax_breakdown {
            for category in b.exemption_reasons.keys() {
                if !NEEDS_REASON.contains(&category.as_str()) {
                    return Err(err(
                        format!("/derive/tax_breakdown/exemption_reasons/{category}"),
                        format!(
                            "expected a category that needs an exemption reason ({}), but found `{category}`",
                            NEEDS_REASON.join(", ")
                        ),
                    ));
                }
            }
        }
        let untaxed = spec.tax_breakdown.as_ref().and_then(|b| b.untaxed.clone());
        if let Some(u) = &untaxed
            && crate::json::from_value::<crate::model::TaxCategory>(&Value::from(u.as_str()))
                .is_err()
        {
            return Err(err(
                "/derive/tax_breakdown/untaxed".into(),
                format!(
                    "expected a canonical tax category such as `outside_scope`, but found `{u}`"
                ),
            ));
        }
        Ok(Derive {
            breakdown: spec.tax_breakdown.as_ref().map(|b| b.exemption_reasons.clone()),
            untaxed,
            totals: spec.totals,
            allowances: spec.allowance_amounts,
            unit_prices: spec.unit_prices,
            status: spec.status,
        })
    }

    /// The canonical places of `canonical` it writes: the way back leaves
    /// them to the vendor (and the check of what comes back derives them
    /// again).
    pub(super) fn places(&self, canonical: &Value) -> Vec<String> {
        let mut places = Vec::new();
        if self.unit_prices {
            for i in 0..array(canonical, "/lines").len() {
                places.push(format!("/lines/{i}/unit_price"));
            }
        }
        if self.status {
            places.push("/status".to_owned());
        }
        if self.allowances {
            for (i, line) in array(canonical, "/lines").iter().enumerate() {
                for (j, ac) in array(line, "/allowances_charges").iter().enumerate() {
                    if ac.get("percent").is_some_and(|p| !p.is_null()) {
                        let at = format!("/lines/{i}/allowances_charges/{j}");
                        places.push(format!("{at}/amount"));
                        places.push(format!("{at}/base_amount"));
                    }
                }
            }
        }
        if self.breakdown.is_some() {
            places.push("/tax_breakdown".to_owned());
        }
        if self.totals {
            places.push("/totals".to_owned());
        }
        places
    }

    /// Derives what is configured into `canonical`, reporting what cannot
    /// be derived; returns the pointers of the totals it filled.
    pub(super) fn run(
        &self,
        m: &DeclarativeMapper,
        canonical: &mut Value,
        losses: &mut Vec<Loss>,
    ) -> Vec<String> {
        if !(self.allowances
            || self.totals
            || self.breakdown.is_some()
            || self.unit_prices
            || self.status)
        {
            return Vec::new();
        }
        let mut filled = Vec::new();
        if self.unit_prices {
            filled = unit_prices(canonical);
        }
        if self.allowances {
            allowance_amounts(m, canonical);
        }
        if let Some(category) = &self.untaxed
            && pointer::get(canonical, "/tax_breakdown").is_none()
            && let Some(Value::Array(lines)) = pointer::get_mut(canonical, "/lines")
        {
            for (i, line) in lines.iter_mut().enumerate() {
                if pointer::get(line, "/tax_category").is_none_or(Value::is_null)
                    && pointer::get(line, "/tax_rate").is_none_or(Value::is_null)
                {
                    pointer::set(line, "/tax_category", Value::from(category.as_str()));
                    filled.push(format!("/lines/{i}/tax_category"));
                }
            }
        }
        let Some(doc) = Doc::read(m, canonical, losses) else { return filled };
        let mut doc = doc;
        if let Some(reasons) = &self.breakdown
            && pointer::get(canonical, "/tax_breakdown").is_none()
        {
            filled.extend(breakdown(&mut doc, reasons, canonical, losses));
        }
        if self.totals {
            filled.extend(totals(&doc, canonical, losses));
        }
        if self.status && pointer::get(canonical, "/status").is_none() {
            let paid = amount(canonical, "/totals/paid").unwrap_or_default();
            let due = amount(canonical, "/totals/amount_due");
            let total = amount(canonical, "/totals/total_with_tax").unwrap_or_default();
            let status = match due {
                Some(d) if d.is_zero() && total > Decimal::ZERO => "paid",
                Some(d) if d > Decimal::ZERO && paid > Decimal::ZERO => "partially_paid",
                _ => "issued",
            };
            pointer::set(canonical, "/status", Value::from(status));
        }
        filled
    }
}

/// One (category, rate) group.
struct Group {
    category: String,
    /// The rate as the first line gives it, and its value.
    rate: Option<(Value, Decimal)>,
    taxable: Decimal,
    /// The sum of the lines' taxes while every line gives one.
    line_tax: Option<Decimal>,
    /// True when an allowance or charge is in the group (its tax is then
    /// not the lines' alone).
    adjusted: bool,
}

/// What the derivations read of a line: category, rate, net, tax.
type Line = (Option<String>, Option<Value>, Decimal, Option<Decimal>);

/// What the derivations read of a canonical invoice.
struct Doc {
    currency: String,
    units: u32,
    lines: Vec<Line>,
    /// Per document allowance or charge: signed amount (allowances
    /// negative), category, rate.
    adjustments: Vec<(Decimal, Option<String>, Option<Value>)>,
}

impl Doc {
    fn read(m: &DeclarativeMapper, c: &Value, losses: &mut Vec<Loss>) -> Option<Doc> {
        let currency = pointer::get(c, "/currency").and_then(Value::as_str)?.to_owned();
        let units = Currency::from_code(&currency).ok().and_then(|cur| m.minor_units_of(cur))?;
        let mut lines = Vec::new();
        for (i, line) in array(c, "/lines").iter().enumerate() {
            let Some(net) = amount(line, "/net_amount") else {
                losses.push(not_derived(
                    format!("/lines/{i}/net_amount"),
                    "the line has no net amount",
                ));
                return None;
            };
            lines.push((
                text(line, "/tax_category"),
                line.get("tax_rate").filter(|r| !r.is_null()).cloned(),
                net,
                amount(line, "/tax_amount"),
            ));
        }
        let mut adjustments = Vec::new();
        for (i, ac) in array(c, "/allowances_charges").iter().enumerate() {
            let Some(a) = amount(ac, "/amount") else {
                losses.push(not_derived(
                    format!("/allowances_charges/{i}/amount"),
                    "the allowance or charge has no amount",
                ));
                return None;
            };
            let signed =
                if text(ac, "/kind").as_deref() == Some("allowance") { a.neg() } else { a };
            adjustments.push((
                signed,
                text(ac, "/tax_category"),
                ac.get("tax_rate").filter(|r| !r.is_null()).cloned(),
            ));
        }
        Some(Doc { currency, units, lines, adjustments })
    }

    fn money(&self, amount: Decimal) -> Value {
        let mut a =
            amount.round_dp_with_strategy(self.units, RoundingStrategy::MidpointAwayFromZero);
        a.rescale(self.units);
        crate::json!({"amount": a.to_string(), "currency": self.currency.as_str()})
    }
}

/// Lines with a quantity and a net amount but no unit price: the net
/// before the line's allowances and charges, ÷ the quantity; returns their
/// pointers.
fn unit_prices(c: &mut Value) -> Vec<String> {
    let mut filled = Vec::new();
    let Some(lines) = pointer::get_mut(c, "/lines").and_then(Value::as_array_mut) else {
        return filled;
    };
    for (i, line) in lines.iter_mut().enumerate() {
        if line.get("unit_price").is_some_and(|p| !p.is_null()) {
            continue;
        }
        let qty = line.get("quantity").and_then(Value::as_str).and_then(|q| parse_decimal(q).ok());
        let Some(net) = amount(line, "/net_amount") else { continue };
        let Some(currency) = pointer::get(line, "/net_amount/currency").cloned() else { continue };
        let adjusted = array(line, "/allowances_charges").iter().try_fold(net, |sum, ac| {
            let a = amount(ac, "/amount")?;
            if text(ac, "/kind").as_deref() == Some("allowance") {
                sum.checked_add(a)
            } else {
                sum.checked_sub(a)
            }
        });
        let Some(price) = qty
            .filter(|q| !q.is_zero())
            .zip(adjusted)
            .and_then(|(q, n)| n.checked_div(q))
            .map(|p| p.round_dp(20).normalize())
        else {
            continue;
        };
        if let Some(map) = line.as_object_mut() {
            let mut money = Map::new();
            money.insert("amount", Value::from(price.to_string()));
            money.insert("currency", currency);
            map.insert("unit_price", Value::Object(money));
            filled.push(format!("/lines/{i}/unit_price"));
        }
    }
    filled
}

/// Line allowances and charges with a percent and no amount: the percent
/// of the base (the line's quantity × unit price when none is given).
fn allowance_amounts(m: &DeclarativeMapper, c: &mut Value) {
    let Some(units) = pointer::get(c, "/currency")
        .and_then(Value::as_str)
        .and_then(|code| Currency::from_code(code).ok())
        .and_then(|cur| m.minor_units_of(cur).map(|u| (u, cur)))
    else {
        return;
    };
    let (units, currency) = units;
    let round = |d: Decimal| {
        let mut a = d.round_dp_with_strategy(units, RoundingStrategy::MidpointAwayFromZero);
        a.rescale(units);
        crate::json!({"amount": a.to_string(), "currency": currency.code()})
    };
    let Some(lines) = pointer::get_mut(c, "/lines").and_then(Value::as_array_mut) else { return };
    for line in lines {
        let qty = line.get("quantity").and_then(Value::as_str).and_then(|q| parse_decimal(q).ok());
        let price = amount(line, "/unit_price");
        let gross = qty.zip(price).and_then(|(q, p)| q.checked_mul(p));
        let Some(acs) = line.get_mut("allowances_charges").and_then(Value::as_array_mut) else {
            continue;
        };
        for ac in acs {
            let percent =
                ac.get("percent").and_then(Value::as_str).and_then(|p| parse_decimal(p).ok());
            let (Some(percent), None) = (percent, ac.get("amount").filter(|a| !a.is_null())) else {
                continue;
            };
            let Some(base) = amount(ac, "/base_amount").or(gross) else { continue };
            let Some(value) =
                base.checked_mul(percent).and_then(|x| x.checked_div(Decimal::ONE_HUNDRED))
            else {
                continue;
            };
            if let Some(map) = ac.as_object_mut() {
                if !map.contains_key("base_amount") {
                    map.insert("base_amount", round(base));
                }
                map.insert("amount", round(value));
            }
        }
    }
}

/// The tax breakdown: the lines, allowances and charges grouped by
/// (category, rate).
fn breakdown(
    doc: &mut Doc,
    reasons: &BTreeMap<String, String>,
    c: &mut Value,
    losses: &mut Vec<Loss>,
) -> Vec<String> {
    // The categories and rates given to allowances and charges.
    let mut filled = Vec::new();
    let mut groups: Vec<Group> = Vec::new();
    for (i, (category, rate, net, tax)) in doc.lines.iter().enumerate() {
        let Some(category) = category else {
            losses.push(Loss::new(
                LossKind::Incomplete,
                format!("/lines/{i}/tax_category"),
                "the line has no tax category: the tax breakdown is not derived",
            ));
            return filled;
        };
        let k = group(&mut groups, category, rate.as_ref());
        if let Some(g) = groups.get_mut(k) {
            g.taxable = g.taxable.saturating_add(*net);
            g.line_tax = match (g.line_tax, tax) {
                (Some(sum), Some(t)) => sum.checked_add(*t),
                _ => None,
            };
        }
    }
    // An allowance or charge without a category can only be in the one
    // group there is.
    let only = (groups.len() == 1)
        .then(|| groups.first().map(|g| (g.category.clone(), g.rate.clone())))
        .flatten();
    for (i, (signed, category, rate)) in doc.adjustments.iter_mut().enumerate() {
        if category.is_none() {
            match &only {
                Some((cat, r)) => {
                    *category = Some(cat.clone());
                    *rate = r.as_ref().map(|(text, _)| text.clone());
                    let at = format!("/allowances_charges/{i}");
                    pointer::set(c, &format!("{at}/tax_category"), Value::from(cat.as_str()));
                    filled.push(format!("{at}/tax_category"));
                    if let Some((text, _)) = r {
                        pointer::set(c, &format!("{at}/tax_rate"), text.clone());
                        filled.push(format!("{at}/tax_rate"));
                    }
                }
                None => {
                    losses.push(Loss::new(
                        LossKind::Incomplete,
                        format!("/allowances_charges/{i}/tax_category"),
                        "the allowance or charge has no tax category and the lines are in several: the tax breakdown is not derived",
                    ));
                    return filled;
                }
            }
        }
        if let Some(category) = category {
            let k = group(&mut groups, category, rate.as_ref());
            if let Some(g) = groups.get_mut(k) {
                g.taxable = g.taxable.saturating_add(*signed);
                g.adjusted = true;
            }
        }
    }
    let mut taxes: Vec<Decimal> = groups
        .iter()
        .map(|g| {
            let rate = g.rate.as_ref().map_or(Decimal::ZERO, |(_, r)| *r);
            match g.line_tax {
                Some(t) if !g.adjusted => t,
                _ => g
                    .taxable
                    .checked_mul(rate)
                    .and_then(|x| x.checked_div(Decimal::ONE_HUNDRED))
                    .unwrap_or_default()
                    .round_dp_with_strategy(doc.units, RoundingStrategy::MidpointAwayFromZero),
            }
        })
        .collect();
    // The vendor's own tax total is the truth: with one taxed group, the
    // group's tax is what is left of it.
    if let Some(total) = amount(c, "/totals/tax_total") {
        let sum = taxes.iter().fold(Decimal::ZERO, |a, t| a.saturating_add(*t));
        if sum != total {
            let taxed: Vec<usize> = groups
                .iter()
                .enumerate()
                .filter(|(_, g)| g.rate.as_ref().is_some_and(|(_, r)| !r.is_zero()))
                .map(|(k, _)| k)
                .collect();
            let target = match taxed.as_slice() {
                [k] => Some(*k),
                [] if groups.len() == 1 => Some(0),
                _ => None,
            };
            match target {
                Some(k) => {
                    let others = taxes
                        .iter()
                        .enumerate()
                        .filter(|(j, _)| *j != k)
                        .fold(Decimal::ZERO, |a, (_, t)| a.saturating_add(*t));
                    if let Some(t) = taxes.get_mut(k) {
                        *t = total.saturating_sub(others);
                    }
                }
                None => losses.push(Loss::new(
                    LossKind::Estimated,
                    "/tax_breakdown",
                    format!(
                        "the tax of each (category, rate) is computed from its taxable amount; they add up to {sum} {}, the vendor's tax total is {total}",
                        doc.currency
                    ),
                )),
            }
        }
    }
    let entries: Vec<Value> = groups
        .iter()
        .zip(taxes)
        .map(|(g, tax)| {
            let mut t = Map::new();
            t.insert("category", Value::from(g.category.as_str()));
            if let Some((text, _)) = &g.rate {
                t.insert("rate", text.clone());
            } else if g.category != "outside_scope" {
                t.insert("rate", Value::from("0"));
            }
            t.insert("taxable_amount", doc.money(g.taxable));
            t.insert("tax_amount", doc.money(tax));
            if let Some(reason) = reasons.get(&g.category) {
                t.insert("exemption_reason", Value::from(reason.as_str()));
            }
            Value::Object(t)
        })
        .collect();
    if !entries.is_empty() {
        pointer::set(c, "/tax_breakdown", Value::Array(entries));
    }
    filled
}

/// The index of the group of (`category`, `rate`), added when new.
fn group(groups: &mut Vec<Group>, category: &str, rate: Option<&Value>) -> usize {
    let value = rate.and_then(|r| r.as_str()).and_then(|r| parse_decimal(r).ok());
    let rate = rate.cloned().zip(value);
    let key = rate.as_ref().map_or(Decimal::ZERO, |(_, r)| *r);
    let found = groups.iter().position(|g| {
        g.category == category && g.rate.as_ref().map_or(Decimal::ZERO, |(_, r)| *r) == key
    });
    found.unwrap_or_else(|| {
        groups.push(Group {
            category: category.to_owned(),
            rate,
            taxable: Decimal::ZERO,
            line_tax: Some(Decimal::ZERO),
            adjusted: false,
        });
        groups.len().saturating_sub(1)
    })
}

/// The totals the rules left out; returns their pointers.
fn totals(doc: &Doc, c: &mut Value, losses: &mut Vec<Loss>) -> Vec<String> {
    let mut filled = Vec::new();
    let given = |c: &Value, name: &str| amount(c, &format!("/totals/{name}"));
    let line_net = doc.lines.iter().fold(Decimal::ZERO, |a, l| a.saturating_add(l.2));
    let allowances = doc
        .adjustments
        .iter()
        .filter(|a| a.0.is_sign_negative())
        .fold(Decimal::ZERO, |s, a| s.saturating_sub(a.0));
    let charges = doc
        .adjustments
        .iter()
        .filter(|a| !a.0.is_sign_negative())
        .fold(Decimal::ZERO, |s, a| s.saturating_add(a.0));
    let breakdown_tax = array(c, "/tax_breakdown")
        .iter()
        .map(|t| amount(t, "/tax_amount"))
        .try_fold(Decimal::ZERO, |s, t| t.map(|t| s.saturating_add(t)));
    let mut put = |c: &mut Value, name: &str, v: Decimal| {
        if given(c, name).is_none() {
            let at = format!("/totals/{name}");
            pointer::set(c, &at, doc.money(v));
            filled.push(at);
        }
    };
    put(c, "line_net_total", line_net);
    if !allowances.is_zero() {
        put(c, "allowance_total", allowances);
    }
    if !charges.is_zero() {
        put(c, "charge_total", charges);
    }
    let without = given(c, "total_without_tax")
        .unwrap_or_else(|| line_net.saturating_sub(allowances).saturating_add(charges));
    put(c, "total_without_tax", without);
    let tax = match (given(c, "tax_total"), breakdown_tax) {
        (Some(t), _) => Some(t),
        (None, Some(t)) if !array(c, "/tax_breakdown").is_empty() => Some(t),
        (None, _) => given(c, "total_with_tax").map(|w| w.saturating_sub(without)),
    };
    let Some(tax) = tax else {
        losses.push(Loss::new(
            LossKind::Incomplete,
            "/totals/tax_total",
            "neither the tax total nor a tax breakdown is known: the totals with tax are not derived",
        ));
        return filled;
    };
    put(c, "tax_total", tax);
    let with = given(c, "total_with_tax").unwrap_or_else(|| without.saturating_add(tax));
    put(c, "total_with_tax", with);
    let rounding = given(c, "rounding").unwrap_or_default();
    match (given(c, "paid"), given(c, "amount_due")) {
        (None, Some(due)) => {
            let paid = with.saturating_add(rounding).saturating_sub(due);
            if !paid.is_zero() {
                put(c, "paid", paid);
            }
        }
        // A paid document the vendor gives no amounts for (Business
        // Central's purchase invoices and credit memos): nothing is due.
        (None, None) if text(c, "/status").as_deref() == Some("paid") => {
            if !with.is_zero() {
                put(c, "paid", with.saturating_add(rounding));
            }
            put(c, "amount_due", Decimal::ZERO);
        }
        (paid, None) => {
            let paid = paid.unwrap_or_default();
            put(c, "amount_due", with.saturating_sub(paid).saturating_add(rounding));
        }
        (Some(_), Some(_)) => {}
    }
    filled
}

/// The loss of a record whose breakdown and totals cannot be derived.
fn not_derived(at: String, why: &str) -> Loss {
    Loss::new(
        LossKind::Incomplete,
        at,
        format!("{why}: the tax breakdown and totals are not derived"),
    )
}

fn array<'v>(c: &'v Value, at: &str) -> &'v [Value] {
    pointer::get(c, at).and_then(Value::as_array).map_or(&[], Vec::as_slice)
}

fn text(v: &Value, at: &str) -> Option<String> {
    pointer::get(v, at).and_then(Value::as_str).map(str::to_owned)
}

/// The amount of the money object at `at`.
fn amount(v: &Value, at: &str) -> Option<Decimal> {
    pointer::get(v, at)
        .and_then(|m| m.get("amount"))
        .and_then(Value::as_str)
        .and_then(|a| parse_decimal(a).ok())
}
