//! Invoices and credit notes: the EN 16931 view of Stripe's amounts.
//!
//! Stripe gives each line its `amount` (quantity × unit price, before
//! discounts and tax), the discounts taken from it (`discount_amounts`) and
//! its taxes (`taxes`, or `tax_amounts` in older API versions), each with a
//! tax rate id. The canonical record wants:
//!
//! - line net = amount − the line's own discounts (− tax it includes); the
//!   line's own discounts are line allowances;
//! - invoice-level discounts (those in the invoice's `discounts`) are
//!   document-level allowances, one per discount and (category, rate);
//! - the line's tax category and rate, from its taxes: the rate from the
//!   expanded tax rate (`percentage`) where the document has it, else
//!   estimated from the tax amounts (reported as `estimated` unless every
//!   line divides to it exactly, as `incomplete` when nothing can be
//!   worked out); the category from Stripe's taxability reason;
//!   a line without taxes is outside the scope of tax (exempt or reverse
//!   charge when the customer is);
//! - the line's tax amount, the sum of its taxes (Stripe rounds per line);
//! - the tax breakdown per (category, rate) and the totals; the total with
//!   tax is Stripe's `total`, paid is `amount_paid` (plus what was credited
//!   before payment), the amount due `amount_remaining`.

use std::collections::BTreeMap;

use crate::json::{Map, Value};
use rust_decimal::Decimal;

use super::glue::{Forward, Glue, fill, whole_quantity};
use super::json;
use super::parties;
use super::rates::{RateBook, RateInfo, estimate, read_rate};
use super::shares::{
    LineTaxAmount, Members, same_rate, share_taxes, shipping_charge, tax_rate_object,
};
use super::tax_ids::Schemes;
use crate::mapping::pointer::get as pointer_get;
use crate::mapping::{DeclarativeMapper, Loss, LossKind, Mapper, MappingError};
use crate::money::Currency;

/// Invoice or credit note.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum DocKind {
    /// `invoice`.
    Invoice,
    /// `credit_note`.
    CreditNote,
}

/// The glue of invoices and credit notes.
pub(super) struct DocumentGlue {
    pub(super) kind: DocKind,
    /// The tax id table of the mapping file, for the seller's tax ids.
    pub(super) schemes: Schemes,
}

/// Where an invoice line's product may be expanded, in the order read: the
/// current shape's price (expandable from 2025-12-15.clover) and the
/// 2020-08-27 shape's.
const PRODUCTS: &[&str] = &["/pricing/price_details/price/product", "/price/product"];

/// The item name of each line whose product Stripe expanded: the product's
/// `name`, the only item name Stripe gives (the line's description is
/// Stripe's own text, already the line's description). The product stays
/// in extensions, where the rules left it.
fn item_names(cx: &mut Forward<'_>) {
    for (i, line) in json::array(cx.vendor, "/lines/data").iter().enumerate() {
        let name = PRODUCTS
            .iter()
            .find_map(|p| json::get(line, p).filter(|x| x.is_object()))
            .and_then(|product| json::text(product, "/name"));
        let at = format!("/lines/{i}");
        if let Some(name) = name
            && json::get(cx.canonical, &at).is_some()
        {
            json::put(cx.canonical, &format!("{at}/item/name"), crate::json!(name));
        }
    }
}

/// Canonical line fields the glue computes.
const LINE_FIELDS: &[&str] =
    &["net_amount", "allowances_charges", "tax_category", "tax_rate", "tax_code", "tax_amount"];

/// Canonical totals the glue computes.
const TOTALS: &[&str] = &[
    "line_net_total",
    "allowance_total",
    "charge_total",
    "total_without_tax",
    "tax_total",
    "paid",
    "amount_due",
];

/// Where a line's quantity may be, in the order the rules read it.
const QUANTITIES: &[&str] = &["/quantity_decimal", "/quantity"];

/// Where a line's unit price may be, in the order the rules read it.
const UNIT_PRICES: &[&str] =
    &["/pricing/unit_amount_decimal", "/price/unit_amount_decimal", "/unit_amount_decimal"];

/// One discount taken from a line.
struct Discount {
    amount: i64,
    label: String,
    /// An invoice-level discount: a document-level allowance.
    document: bool,
}

/// One tax of a line.
struct Tax {
    amount: i64,
    taxable: Option<i64>,
    inclusive: bool,
    rate_id: Option<String>,
    /// An expanded tax rate without an id (as the way back writes one for a
    /// rate Stripe has no id for): its percentage and name, read here.
    inline: Option<RateInfo>,
    reason: Option<String>,
    /// Where its tax rate is, in the Stripe payload.
    path: String,
}

/// What Stripe says about one line.
struct Line {
    amount: i64,
    discounts: Vec<Discount>,
    taxes: Vec<Tax>,
}

impl Line {
    fn own_discounts(&self) -> Option<i64> {
        sum(self.discounts.iter().filter(|d| !d.document).map(|d| d.amount))
    }
    fn document_discounts(&self) -> Option<i64> {
        sum(self.discounts.iter().filter(|d| d.document).map(|d| d.amount))
    }
    fn inclusive_tax(&self) -> Option<i64> {
        sum(self.taxes.iter().filter(|t| t.inclusive).map(|t| t.amount))
    }
    /// amount − own discounts − included tax.
    fn net(&self) -> Option<i64> {
        self.amount.checked_sub(self.own_discounts()?)?.checked_sub(self.inclusive_tax()?)
    }
}

/// A line's tax category, rate and tax.
struct LineTax {
    category: &'static str,
    rate: Option<Decimal>,
    reason: Option<&'static str>,
    names: Vec<String>,
    tax: i64,
    stated: bool,
}

fn sum(values: impl Iterator<Item = i64>) -> Option<i64> {
    values.into_iter().try_fold(0i64, i64::checked_add)
}

/// The canonical category of one Stripe tax and why it is not standard.
fn category_of(
    reason: Option<&str>,
    percent: Option<Decimal>,
) -> (&'static str, Option<&'static str>) {
    match reason {
        Some("reverse_charge") => ("reverse_charge", Some("Reverse charge")),
        Some("customer_exempt") => ("exempt", Some("Customer exempt from tax")),
        Some("product_exempt" | "product_exempt_holiday") => {
            ("exempt", Some("Product exempt from tax"))
        }
        Some("not_subject_to_tax") => ("outside_scope", Some("Not subject to tax")),
        Some("not_collecting") => ("outside_scope", Some("Tax not collected in this jurisdiction")),
        Some("not_supported") => ("outside_scope", Some("Tax not supported in this jurisdiction")),
        Some("not_available") => ("outside_scope", Some("Tax not available for this jurisdiction")),
        Some("zero_rated") => ("zero_rated", None),
        _ => match percent {
            Some(p) if p.is_zero() => ("zero_rated", None),
            _ => ("standard", None),
        },
    }
}

/// The Stripe taxability reason to write for a canonical category.
fn reason_for(category: &str) -> &'static str {
    match category {
        "reverse_charge" => "reverse_charge",
        "exempt" => "customer_exempt",
        "outside_scope" => "not_subject_to_tax",
        "zero_rated" => "zero_rated",
        _ => "standard_rated",
    }
}

/// True for categories that need an exemption reason in the breakdown.
fn needs_reason(category: &str) -> bool {
    matches!(category, "exempt" | "reverse_charge" | "intra_community" | "export" | "outside_scope")
}

/// The label of a discount: the coupon's name when expanded, else its id.
fn discount_label(discount: Option<&Value>, id: Option<&str>) -> String {
    let name = discount.and_then(|d| {
        json::text(d, "/coupon/name").or_else(|| json::text(d, "/source/coupon/name"))
    });
    match (name, id) {
        (Some(n), _) => n.to_owned(),
        (None, Some(id)) => format!("Discount {id}"),
        (None, None) => "Discount".to_owned(),
    }
}

/// The discount id in a label written by [`discount_label`].
fn id_from_label(label: &str) -> Option<&str> {
    label.strip_prefix("Discount ").filter(|id| !id.is_empty() && !id.contains(' '))
}

/// `total` ÷ `quantity`, exact where it terminates, with at least `exp`
/// decimal places.
fn unit_price(total: Decimal, quantity: Decimal, exp: u32) -> Option<Decimal> {
    if quantity.is_zero() {
        return Some(Decimal::new(0, exp));
    }
    let exact = total.checked_div(quantity)?;
    let short = exact.round_dp(exp.checked_add(6)?);
    let mut price = if short.checked_mul(quantity)? == total { short } else { exact };
    price = price.normalize();
    if price.scale() < exp {
        price.rescale(exp);
    }
    Some(price)
}

/// The category, rate and tax of a line (or of shipping) from its taxes.
/// `None` when the amounts overflow.
fn classify(
    taxes: &[Tax],
    book: &RateBook,
    percent_of: &dyn Fn(&Tax) -> Option<Decimal>,
    exempt: Option<&str>,
) -> Option<LineTax> {
    let tax = sum(taxes.iter().map(|t| t.amount))?;
    let mut names: Vec<String> = Vec::new();
    for t in taxes {
        if let Some(name) = t
            .rate_id
            .as_deref()
            .and_then(|id| book.get(id))
            .or(t.inline.as_ref())
            .and_then(|r| r.name.clone())
            && !names.contains(&name)
        {
            names.push(name);
        }
    }
    if taxes.is_empty() {
        let (category, reason) = match exempt {
            Some("exempt") => ("exempt", "Customer exempt from tax"),
            Some("reverse") => ("reverse_charge", "Reverse charge"),
            _ => ("outside_scope", "No tax charged"),
        };
        return Some(LineTax {
            category,
            rate: zero_rate(category),
            reason: Some(reason),
            names,
            tax,
            stated: false,
        });
    }
    let kinds: Vec<(&'static str, Option<&'static str>, Option<Decimal>)> = taxes
        .iter()
        .map(|t| {
            let p = percent_of(t);
            let (c, r) = category_of(t.reason.as_deref(), p);
            (c, r, p)
        })
        .collect();
    let standard: Vec<Option<Decimal>> =
        kinds.iter().filter(|(c, _, _)| *c == "standard").map(|(_, _, p)| *p).collect();
    if standard.is_empty() {
        let (category, reason) = kinds.first().map_or(("zero_rated", None), |(c, r, _)| (*c, *r));
        return Some(LineTax {
            category,
            rate: zero_rate(category),
            reason,
            names,
            tax,
            stated: true,
        });
    }
    // Stacked taxes (state + city) add up to one rate.
    let rate = standard.iter().try_fold(Decimal::ZERO, |acc, p| p.and_then(|p| acc.checked_add(p)));
    Some(LineTax { category: "standard", rate, reason: None, names, tax, stated: true })
}

/// The rate of a category without tax: none outside the scope of tax
/// (EN 16931 BR-O-05), else 0 (zero-rated, exempt, reverse charge).
fn zero_rate(category: &str) -> Option<Decimal> {
    (category != "outside_scope").then_some(Decimal::ZERO)
}

/// The taxes of `owner` in the list at `key`, the rate of each at
/// `rate_at` in it; `at` is the owner's pointer in the Stripe payload.
fn taxes_of(
    owner: &Value,
    at: &str,
    key: &str,
    rate_at: &str,
    error: &dyn Fn(String) -> MappingError,
) -> Result<Vec<Tax>, MappingError> {
    let mut taxes = Vec::new();
    for (j, t) in json::array(owner, &format!("/{key}")).iter().enumerate() {
        let amount =
            json::int(t, "/amount").ok_or_else(|| error(format!("{at}/{key}/{j}/amount")))?;
        taxes.push(Tax {
            amount,
            taxable: json::int(t, "/taxable_amount"),
            inclusive: t.get("inclusive") == Some(&Value::Bool(true))
                || json::text(t, "/tax_behavior") == Some("inclusive"),
            rate_id: json::get(t, rate_at).and_then(json::id_of).map(str::to_owned),
            inline: json::get(t, rate_at).filter(|r| json::id_of(r).is_none()).and_then(read_rate),
            reason: json::text(t, "/taxability_reason").map(str::to_owned),
            path: format!("{at}/{key}/{j}{rate_at}"),
        });
    }
    Ok(taxes)
}

/// The group of `lt`'s (category, rate), added when new, with its names.
fn group_of<'g>(groups: &'g mut Vec<Group>, lt: &LineTax) -> Option<&'g mut Group> {
    let index = match groups.iter().position(|g| g.category == lt.category && g.rate == lt.rate) {
        Some(k) => k,
        None => {
            groups.push(Group {
                category: lt.category,
                rate: lt.rate,
                reason: lt.reason,
                names: Vec::new(),
                taxable: 0,
                tax: 0,
                discounts: Vec::new(),
                shipping: 0,
            });
            groups.len().saturating_sub(1)
        }
    };
    let group = groups.get_mut(index)?;
    for name in &lt.names {
        if !group.names.contains(name) {
            group.names.push(name.clone());
        }
    }
    Some(group)
}

/// A (category, rate) group of the tax breakdown.
struct Group {
    category: &'static str,
    rate: Option<Decimal>,
    reason: Option<&'static str>,
    names: Vec<String>,
    taxable: i64,
    tax: i64,
    /// Document-level discounts on the group's lines: label, amount.
    discounts: Vec<(String, i64)>,
    /// Shipping charged in the group.
    shipping: i64,
}

impl Glue for DocumentGlue {
    fn forward(&self, cx: &mut Forward<'_>) -> Result<(), MappingError> {
        if self.kind == DocKind::Invoice {
            parties::forward(cx, &self.schemes)?;
            item_names(cx);
        }
        let v = cx.vendor;
        let Some(currency) =
            json::text(v, "/currency").and_then(|c| Currency::from_code(&c.to_uppercase()).ok())
        else {
            return Ok(());
        };
        let Some(exp) = cx.mapper.minor_units_of(currency) else { return Ok(()) };
        let object = cx.mapper.object().to_owned();
        let overflow = |at: &str| MappingError::InvalidInput {
            vendor: super::VENDOR.to_owned(),
            object: object.clone(),
            pointer: at.to_owned(),
            message: "the amounts overflow".to_owned(),
        };
        let amount_error = |pointer: String| MappingError::InvalidInput {
            vendor: super::VENDOR.to_owned(),
            object: object.clone(),
            pointer,
            message: "expected an integer amount in minor units".to_owned(),
        };
        let vendor_lines = json::array(v, "/lines/data");
        if let Some(loss) = lines_not_sent(cx, v)? {
            cx.losses.push(loss);
        } else if pointer_get(v, "/lines/has_more") == Some(&Value::Bool(true)) {
            cx.losses.push(Loss::new(
                LossKind::Incomplete,
                "/lines/has_more",
                format!(
                    "Stripe sent the first {} lines only: fetch the other pages of `lines` and add them with merge_line_pages; the lines, the tax breakdown and the totals computed from the lines are incomplete",
                    vendor_lines.len()
                ),
            ));
        }

        // What Stripe says about each line.
        let mut document_ids: Vec<&str> = Vec::new();
        if self.kind == DocKind::Invoice {
            document_ids.extend(json::array(v, "/discounts").iter().filter_map(json::id_of));
            document_ids.extend(json::get(v, "/discount").and_then(|d| json::text(d, "/id")));
        }
        let mut lines = Vec::with_capacity(vendor_lines.len());
        for (i, line) in vendor_lines.iter().enumerate() {
            let at = format!("/lines/data/{i}");
            // Stripe bills every line of an invoice in the invoice's
            // currency (an invoice item in another currency cannot be
            // added to it), so a line that names another one is not a
            // Stripe payload: its amounts are minor units of which
            // currency? Relabelling them would state wrong money, and a
            // loss could not say what the right amount is. An error.
            if let Some(found) = json::get(line, "/currency")
                && !found.as_str().is_some_and(|c| c.eq_ignore_ascii_case(currency.code()))
            {
                return Err(cx.error(
                    format!("{at}/currency"),
                    format!(
                        "expected the {}'s currency {}, but found {found} (a Stripe {} bills every line in its own currency)",
                        object.replace('_', " "),
                        Value::from(currency.code().to_lowercase()),
                        object.replace('_', " "),
                    ),
                ));
            }
            let amount = json::int(line, "/amount").ok_or_else(|| {
                cx.error(format!("{at}/amount"), "expected an integer amount in minor units")
            })?;
            let mut discounts = Vec::new();
            for (j, d) in json::array(line, "/discount_amounts").iter().enumerate() {
                let amount = json::int(d, "/amount").ok_or_else(|| {
                    cx.error(
                        format!("{at}/discount_amounts/{j}/amount"),
                        "expected an integer amount in minor units",
                    )
                })?;
                let discount = json::get(d, "/discount");
                let id = discount.and_then(json::id_of);
                discounts.push(Discount {
                    amount,
                    label: discount_label(discount, id),
                    document: id.is_some_and(|id| document_ids.contains(&id)),
                });
            }
            let current = json::get(line, "/taxes").is_some();
            let (key, rate_at) = if current {
                ("taxes", "/tax_rate_details/tax_rate")
            } else {
                ("tax_amounts", "/tax_rate")
            };
            let taxes = taxes_of(line, &at, key, rate_at, &amount_error)?;
            let mut facts = Line { amount, discounts, taxes };
            // Discounts of a tax-inclusive line stay on the line: its net
            // is after tax is taken out, which a document-level allowance
            // (net of tax) cannot follow.
            if facts.taxes.iter().any(|t| t.inclusive) {
                for d in &mut facts.discounts {
                    d.document = false;
                }
            }
            lines.push(facts);
        }

        // Shipping (current invoices): a document-level charge.
        let shipping = match json::get(v, "/shipping_cost") {
            Some(sc) => {
                let subtotal = json::int(sc, "/amount_subtotal")
                    .ok_or_else(|| amount_error("/shipping_cost/amount_subtotal".to_owned()))?;
                let taxes = taxes_of(sc, "/shipping_cost", "taxes", "/rate", &amount_error)?;
                (subtotal != 0 || !taxes.is_empty()).then_some((subtotal, taxes))
            }
            None => None,
        };

        // Tax rates: known, else estimated from the taxes of every line.
        let book = RateBook::collect(v);
        let mut pairs: BTreeMap<String, (Vec<(i64, i64)>, String)> = BTreeMap::new();
        for line in &lines {
            let base = line
                .net()
                .and_then(|n| n.checked_sub(line.document_discounts()?))
                .ok_or_else(|| overflow("/lines/data"))?;
            for t in &line.taxes {
                if t.inline.is_some() {
                    continue;
                }
                let key = match &t.rate_id {
                    Some(id) if book.get(id).is_some() => continue,
                    Some(id) => id.clone(),
                    None => t.path.clone(),
                };
                let entry = pairs.entry(key).or_insert_with(|| (Vec::new(), t.path.clone()));
                entry.0.push((t.taxable.unwrap_or(base), t.amount));
            }
        }
        if let Some((subtotal, taxes)) = &shipping {
            for t in taxes {
                if t.inline.is_some() {
                    continue;
                }
                let key = match &t.rate_id {
                    Some(id) if book.get(id).is_some() => continue,
                    Some(id) => id.clone(),
                    None => t.path.clone(),
                };
                let entry = pairs.entry(key).or_insert_with(|| (Vec::new(), t.path.clone()));
                entry.0.push((t.taxable.unwrap_or(*subtotal), t.amount));
            }
        }
        let mut estimated: BTreeMap<String, Decimal> = BTreeMap::new();
        for (key, (list, path)) in &pairs {
            let what =
                if key.starts_with('/') { "the tax".to_owned() } else { format!("tax rate {key}") };
            match estimate(list) {
                Some((rate, exact)) => {
                    // Even a rate every amount divides to exactly is a
                    // guess: 8.875 % of 10.00 rounds to 0.89, which divides
                    // to 8.9 %.
                    let how = if exact {
                        "reproduces every tax amount exactly, but other rates may too"
                    } else {
                        "is estimated from the tax amounts"
                    };
                    cx.losses.push(Loss::new(
                        LossKind::Estimated,
                        path.clone(),
                        format!(
                            "{what} has no percentage here (Stripe sends the tax rate's id only); {rate} % {how}: expand or fetch the tax rate for the exact rate"
                        ),
                    ));
                    estimated.insert(key.clone(), rate);
                }
                None => cx.losses.push(Loss::new(
                    LossKind::Incomplete,
                    path.clone(),
                    format!(
                        "{what} has no percentage here and no taxable amount to estimate it from"
                    ),
                )),
            }
        }
        let percent_of = |t: &Tax| -> Option<Decimal> {
            if let Some(r) = &t.inline {
                return Some(r.percent);
            }
            match &t.rate_id {
                Some(id) => book.get(id).map(|r| r.percent).or_else(|| estimated.get(id).copied()),
                None => estimated.get(&t.path).copied(),
            }
        };

        // Each line's category, rate and tax.
        let exempt = json::text(v, "/customer_tax_exempt");
        let mut line_taxes = Vec::with_capacity(lines.len());
        for line in &lines {
            let lt = classify(&line.taxes, &book, &percent_of, exempt)
                .ok_or_else(|| overflow("/lines/data"))?;
            line_taxes.push(lt);
        }

        // The canonical lines.
        let mut groups: Vec<Group> = Vec::new();
        let mut line_net_total = 0i64;
        let mut tax_total = 0i64;
        for (i, (line, lt)) in lines.iter().zip(&line_taxes).enumerate() {
            let cl = format!("/lines/{i}");
            if json::get(cx.canonical, &cl).is_none() {
                continue;
            }
            let at = format!("/lines/data/{i}");
            let net = line.net().ok_or_else(|| overflow(&at))?;
            let own = line.own_discounts().ok_or_else(|| overflow(&at))?;
            let money = |minor: i64| json::money(minor, exp, currency);
            let net_json = money(net).ok_or_else(|| overflow(&at))?;
            json::put(cx.canonical, &format!("{cl}/net_amount"), net_json);
            let mut allowances = Vec::new();
            for d in line.discounts.iter().filter(|d| !d.document && d.amount != 0) {
                let mut ac = Map::new();
                ac.insert("kind".to_owned(), crate::json!("allowance"));
                ac.insert("amount".to_owned(), money(d.amount).ok_or_else(|| overflow(&at))?);
                ac.insert("reason".to_owned(), Value::from(d.label.clone()));
                allowances.push(Value::Object(ac));
            }
            if !allowances.is_empty() {
                json::put(
                    cx.canonical,
                    &format!("{cl}/allowances_charges"),
                    Value::Array(allowances),
                );
            }
            json::put(cx.canonical, &format!("{cl}/tax_category"), crate::json!(lt.category));
            if let Some(rate) = lt.rate {
                json::put(
                    cx.canonical,
                    &format!("{cl}/tax_rate"),
                    crate::json!(json::rate_text(rate)),
                );
            }
            if let [only] = line.taxes.as_slice()
                && let Some(id) = &only.rate_id
            {
                json::put(cx.canonical, &format!("{cl}/tax_code"), crate::json!(id));
            }
            if lt.stated {
                let tax_json = money(lt.tax).ok_or_else(|| overflow(&at))?;
                json::put(cx.canonical, &format!("{cl}/tax_amount"), tax_json);
            }
            // A credit line (a proration for unused time) has a negative
            // amount but a positive price and quantity in Stripe: EN 16931
            // writes it as a negative quantity at the positive price.
            let gross = net.checked_add(own).ok_or_else(|| overflow(&at))?;
            let quantity_at = format!("{cl}/quantity");
            let quantity = json::text(cx.canonical, &quantity_at)
                .and_then(|q| q.parse::<Decimal>().ok())
                .unwrap_or(Decimal::ONE);
            let price = json::text(cx.canonical, &format!("{cl}/unit_price/amount"))
                .and_then(|p| p.parse::<Decimal>().ok());
            let quantity = if gross < 0
                && quantity > Decimal::ZERO
                && price.is_none_or(|p| p >= Decimal::ZERO)
            {
                if let Some(p) = QUANTITIES.iter().find(|p| json::get(line_at(v, i), p).is_some()) {
                    cx.keep(&format!("{at}{p}"));
                }
                let negative = Decimal::ZERO.checked_sub(quantity).ok_or_else(|| overflow(&at))?;
                json::put(cx.canonical, &quantity_at, crate::json!(negative.to_string()));
                cx.derived.push(quantity_at);
                negative
            } else {
                quantity
            };
            // The unit price: Stripe's, unless it includes tax, is absent,
            // or is not what the line was billed at (a proration bills part
            // of a period at the full period's price).
            let inclusive = line.inclusive_tax().unwrap_or(0) != 0;
            let gross_amount = Decimal::try_new(gross, exp).map_err(|_| overflow(&at))?;
            let half = Decimal::new(5, exp.saturating_add(1));
            let billed_at_price = price.is_some_and(|p| {
                p.checked_mul(quantity)
                    .and_then(|t| t.checked_sub(gross_amount))
                    .is_some_and(|d| d.abs() <= half)
            });
            let derive = inclusive || !billed_at_price;
            if derive
                && price.is_some()
                && let Some(p) = UNIT_PRICES.iter().find(|p| json::get(line_at(v, i), p).is_some())
            {
                let vendor_at = format!("{at}{p}");
                cx.keep(&vendor_at);
                let reason = if inclusive {
                    "the price includes tax: the canonical unit price is net of tax, the line amount ÷ quantity (the price is kept in extensions)"
                } else {
                    "the line amount is not quantity × price (a proration or another pricing): the canonical unit price is the amount ÷ quantity (the price is kept in extensions)"
                };
                cx.losses.push(Loss::new(LossKind::Lossy, vendor_at, reason));
            }
            if derive {
                let price = unit_price(gross_amount, quantity, exp).ok_or_else(|| overflow(&at))?;
                json::put(
                    cx.canonical,
                    &format!("{cl}/unit_price"),
                    json::money_of(price, currency),
                );
                cx.derived.push(format!("{cl}/unit_price"));
            }
            line_net_total = line_net_total.checked_add(net).ok_or_else(|| overflow(&at))?;
            tax_total = tax_total.checked_add(lt.tax).ok_or_else(|| overflow(&at))?;
            // Its (category, rate) group.
            let Some(group) = group_of(&mut groups, lt) else { continue };
            group.tax = group.tax.checked_add(lt.tax).ok_or_else(|| overflow(&at))?;
            group.taxable = group.taxable.checked_add(net).ok_or_else(|| overflow(&at))?;
            for d in line.discounts.iter().filter(|d| d.document) {
                group.taxable = group.taxable.checked_sub(d.amount).ok_or_else(|| overflow(&at))?;
                match group.discounts.iter_mut().find(|(label, _)| *label == d.label) {
                    Some((_, amount)) => {
                        *amount = amount.checked_add(d.amount).ok_or_else(|| overflow(&at))?;
                    }
                    None => group.discounts.push((d.label.clone(), d.amount)),
                }
            }
        }

        if let Some((subtotal, taxes)) = &shipping {
            let lt = classify(taxes, &book, &percent_of, exempt)
                .ok_or_else(|| overflow("/shipping_cost"))?;
            tax_total = tax_total.checked_add(lt.tax).ok_or_else(|| overflow("/shipping_cost"))?;
            if let Some(g) = group_of(&mut groups, &lt) {
                g.shipping =
                    g.shipping.checked_add(*subtotal).ok_or_else(|| overflow("/shipping_cost"))?;
                g.taxable =
                    g.taxable.checked_add(*subtotal).ok_or_else(|| overflow("/shipping_cost"))?;
                g.tax = g.tax.checked_add(lt.tax).ok_or_else(|| overflow("/shipping_cost"))?;
            }
        }

        // Document-level allowances and charges, and the tax breakdown.
        let mut allowances = Vec::new();
        let mut breakdown = Vec::new();
        let mut allowance_total = 0i64;
        let mut charge_total = 0i64;
        for g in &groups {
            let rate = g.rate.map(json::rate_text);
            if g.shipping != 0 {
                charge_total = charge_total
                    .checked_add(g.shipping)
                    .ok_or_else(|| overflow("/shipping_cost"))?;
                let mut ac = Map::new();
                ac.insert("kind".to_owned(), crate::json!("charge"));
                ac.insert(
                    "amount".to_owned(),
                    json::money(g.shipping, exp, currency)
                        .ok_or_else(|| overflow("/shipping_cost"))?,
                );
                ac.insert("reason".to_owned(), crate::json!("Shipping"));
                ac.insert("reason_code".to_owned(), crate::json!("FC"));
                ac.insert("tax_category".to_owned(), crate::json!(g.category));
                if let Some(r) = &rate {
                    ac.insert("tax_rate".to_owned(), crate::json!(r));
                }
                allowances.push(Value::Object(ac));
            }
            for (label, amount) in g.discounts.iter().filter(|(_, a)| *a != 0) {
                allowance_total =
                    allowance_total.checked_add(*amount).ok_or_else(|| overflow(""))?;
                let mut ac = Map::new();
                ac.insert("kind".to_owned(), crate::json!("allowance"));
                ac.insert(
                    "amount".to_owned(),
                    json::money(*amount, exp, currency).ok_or_else(|| overflow(""))?,
                );
                ac.insert("reason".to_owned(), crate::json!(label));
                ac.insert("tax_category".to_owned(), crate::json!(g.category));
                if let Some(r) = &rate {
                    ac.insert("tax_rate".to_owned(), crate::json!(r));
                }
                allowances.push(Value::Object(ac));
            }
            let mut t = Map::new();
            t.insert("category".to_owned(), crate::json!(g.category));
            if let Some(r) = &rate {
                t.insert("rate".to_owned(), crate::json!(r));
            }
            t.insert(
                "taxable_amount".to_owned(),
                json::money(g.taxable, exp, currency).ok_or_else(|| overflow(""))?,
            );
            t.insert(
                "tax_amount".to_owned(),
                json::money(g.tax, exp, currency).ok_or_else(|| overflow(""))?,
            );
            if needs_reason(g.category)
                && let Some(reason) = g.reason
            {
                t.insert("exemption_reason".to_owned(), crate::json!(reason));
            }
            if !g.names.is_empty() {
                t.insert("name".to_owned(), crate::json!(g.names.join(" + ")));
            }
            breakdown.push(Value::Object(t));
        }
        if !allowances.is_empty() {
            json::put(cx.canonical, "/allowances_charges", Value::Array(allowances));
        }
        if !breakdown.is_empty() {
            json::put(cx.canonical, "/tax_breakdown", Value::Array(breakdown));
        }

        // Totals.
        let Some(total) = json::int(v, "/total") else { return Ok(()) };
        let money =
            |minor: i64| json::money(minor, exp, currency).ok_or_else(|| overflow("/total"));
        let without_tax = line_net_total
            .checked_sub(allowance_total)
            .and_then(|t| t.checked_add(charge_total))
            .ok_or_else(|| overflow("/total"))?;
        json::put(cx.canonical, "/totals/line_net_total", money(line_net_total)?);
        if allowance_total != 0 {
            json::put(cx.canonical, "/totals/allowance_total", money(allowance_total)?);
        }
        if charge_total != 0 {
            json::put(cx.canonical, "/totals/charge_total", money(charge_total)?);
        }
        json::put(cx.canonical, "/totals/total_without_tax", money(without_tax)?);
        json::put(cx.canonical, "/totals/tax_total", money(tax_total)?);
        match self.kind {
            DocKind::CreditNote => {
                json::put(cx.canonical, "/totals/amount_due", money(total)?);
            }
            DocKind::Invoice => {
                let amount_paid = json::int(v, "/amount_paid").unwrap_or(0);
                let remaining = json::int(v, "/amount_remaining")
                    .or_else(|| total.checked_sub(amount_paid))
                    .ok_or_else(|| overflow("/amount_remaining"))?;
                let settled = total.checked_sub(remaining).ok_or_else(|| overflow("/total"))?;
                let void = json::text(v, "/status") == Some("void");
                let (paid, due) = if settled == amount_paid {
                    (amount_paid, remaining)
                } else if void {
                    // Nothing is owed on a void invoice, but EN 16931 keeps
                    // the amount due at total − paid.
                    cx.losses.push(Loss::new(
                        LossKind::Lossy,
                        "/amount_remaining",
                        "the invoice is void: the canonical amount due is total − amount_paid",
                    ));
                    let due = total.checked_sub(amount_paid).ok_or_else(|| overflow("/total"))?;
                    (amount_paid, due)
                } else if settled >= 0 {
                    cx.losses.push(Loss::new(
                        LossKind::Lossy,
                        "/amount_paid",
                        format!("paid is total − amount_remaining: it includes {} minor units credited before payment (customer balance, pre-payment credit notes)", settled.saturating_sub(amount_paid)),
                    ));
                    (settled, remaining)
                } else {
                    cx.losses.push(Loss::new(
                        LossKind::Lossy,
                        "/amount_remaining",
                        "amount_remaining includes a balance carried from earlier invoices: the canonical amount due is this invoice's total − amount_paid",
                    ));
                    let due = total.checked_sub(amount_paid).ok_or_else(|| overflow("/total"))?;
                    (amount_paid, due)
                };
                if paid != 0 {
                    json::put(cx.canonical, "/totals/paid", money(paid)?);
                }
                json::put(cx.canonical, "/totals/amount_due", money(due)?);
                if json::text(cx.canonical, "/status") == Some("issued") && paid > 0 && due > 0 {
                    json::put(cx.canonical, "/status", crate::json!("partially_paid"));
                }
            }
        }
        Ok(())
    }

    fn strip(&self, canonical: &mut Value) {
        let count = json::array(canonical, "/lines").len();
        for i in 0..count {
            for field in LINE_FIELDS {
                json::remove(canonical, &format!("/lines/{i}/{field}"));
            }
            if self.kind == DocKind::Invoice {
                // The name comes back with the expanded product it came
                // from, or is reported; an item left empty is no item.
                let item = format!("/lines/{i}/item");
                json::remove(canonical, &format!("{item}/name"));
                if json::get(canonical, &item).and_then(Value::as_object).is_some_and(Map::is_empty)
                {
                    json::remove(canonical, &item);
                }
            }
        }
        if self.kind == DocKind::Invoice {
            parties::strip(canonical);
        }
        json::remove(canonical, "/allowances_charges");
        json::remove(canonical, "/tax_breakdown");
        for field in TOTALS {
            json::remove(canonical, &format!("/totals/{field}"));
        }
        json::replace_text(canonical, "/status", "partially_paid", "issued");
    }

    fn prepare(&self, stripped: &mut Value, residue: Option<&Value>, losses: &mut Vec<Loss>) {
        if self.kind == DocKind::Invoice {
            parties::prepare(stripped, residue, losses);
        }
    }

    fn reverse(
        &self,
        mapper: &DeclarativeMapper,
        canonical: &Value,
        kept: &[String],
        out: &mut Value,
        losses: &mut Vec<Loss>,
    ) -> Result<(), MappingError> {
        if self.kind == DocKind::Invoice {
            parties::reverse(canonical, out, losses);
        }
        // A document read from Stripe keeps the document amounts the glue
        // would compute; they come back from there, untouched. A line read
        // from Stripe keeps its `amount` (no rule reads it into the record
        // as it is), and its discounts and taxes with it.
        let from_stripe = kept.iter().any(|k| self.computed().contains(&k.as_str()));
        let Some(currency) =
            json::text(canonical, "/currency").and_then(|c| Currency::from_code(c).ok())
        else {
            return Ok(());
        };
        let Some(exp) = mapper.minor_units_of(currency) else { return Ok(()) };
        let object = mapper.object();
        let minor = |m: Option<&Value>| m.and_then(|m| json::minor_of(m, exp, currency));
        let lines = json::array(canonical, "/lines");
        // Document-level allowances go back onto the first line of their
        // (category, rate), by discount id.
        let mut shares: Vec<Vec<(String, i64)>> = vec![Vec::new(); lines.len()];
        let mut document_ids: Vec<String> = Vec::new();
        if self.kind == DocKind::Invoice {
            for ac in json::array(canonical, "/allowances_charges") {
                if json::text(ac, "/kind") != Some("allowance") {
                    continue;
                }
                let (Some(id), Some(amount)) =
                    (json::text(ac, "/reason").and_then(id_from_label), minor(ac.get("amount")))
                else {
                    continue;
                };
                let target = lines.iter().position(|l| {
                    l.get("tax_category") == ac.get("tax_category")
                        && same_rate(l.get("tax_rate"), ac.get("tax_rate"))
                });
                if let Some(share) = target.and_then(|k| shares.get_mut(k)) {
                    share.push((id.to_owned(), amount));
                    if !document_ids.iter().any(|d| d == id) {
                        document_ids.push(id.to_owned());
                    }
                }
            }
        }
        // The lines the glue writes: those the residue did not give back.
        let written: Vec<bool> = (0..lines.len())
            .map(|i| {
                let at = format!("/lines/data/{i}");
                json::get(out, &at).is_some() && pointer_get(out, &format!("{at}/amount")).is_none()
            })
            .collect();
        let shipping =
            if from_stripe { None } else { shipping_charge(canonical, object, &minor, losses) };
        let (line_tax, shipping_tax) = share_taxes(
            canonical,
            &Members { written: &written, shipping: shipping.as_ref() },
            (exp, currency),
            object,
            losses,
        );
        let mut subtotal = Some(0i64);
        for (i, (line, share)) in lines.iter().zip(&shares).enumerate() {
            let at = format!("/lines/data/{i}");
            if json::get(out, &at).is_none() {
                continue;
            }
            let Some(net) = minor(line.get("net_amount")) else { continue };
            if !written.get(i).copied().unwrap_or(false) {
                // Read from Stripe: its amount, discounts and taxes are kept.
                let kept_amount = json::int(out, &format!("{at}/amount"));
                subtotal = subtotal.and_then(|s| s.checked_add(kept_amount?));
                continue;
            }
            let own: Vec<(Option<String>, i64)> = json::array(line, "/allowances_charges")
                .iter()
                .filter(|ac| json::text(ac, "/kind") == Some("allowance"))
                .filter_map(|ac| {
                    let id = json::text(ac, "/reason").and_then(id_from_label).map(str::to_owned);
                    minor(ac.get("amount")).map(|a| (id, a))
                })
                .collect();
            let Some(amount) = own.iter().try_fold(net, |acc, (_, a)| acc.checked_add(*a)) else {
                continue;
            };
            subtotal = subtotal.and_then(|s| s.checked_add(amount));
            fill(out, &format!("{at}/amount"), crate::json!(amount));
            match self.kind {
                // Stripe's quantity_decimal is a decimal string.
                DocKind::Invoice => {
                    let qd = format!("{at}/quantity_decimal");
                    if let Some(Value::Number(n)) = json::get(out, &qd) {
                        let text = n.to_string();
                        json::put(out, &qd, Value::from(text));
                    }
                }
                DocKind::CreditNote => whole_quantity(
                    out,
                    &format!("{at}/quantity"),
                    &format!("/lines/{i}/quantity"),
                    "credit note line",
                    losses,
                ),
            }
            let mut discounts: Vec<Value> =
                own.iter().map(|(id, a)| crate::json!({"amount": a, "discount": id})).collect();
            discounts
                .extend(share.iter().map(|(id, a)| crate::json!({"amount": a, "discount": id})));
            fill(out, &format!("{at}/discount_amounts"), Value::Array(discounts));
            if json::get(out, &format!("{at}/taxes")).is_some()
                || json::get(out, &format!("{at}/tax_amounts")).is_some()
            {
                continue;
            }
            let category = json::text(line, "/tax_category").unwrap_or("outside_scope");
            let taxes = match line_tax.get(i).copied().flatten() {
                // A share of zero tax in a category Stripe shows as no
                // taxes at all is written as none, as before.
                Some(LineTaxAmount { amount, stated })
                    if stated || amount != 0 || matches!(category, "standard" | "zero_rated") =>
                {
                    let shared = share.iter().try_fold(0i64, |acc, (_, a)| acc.checked_add(*a));
                    let taxable = shared.and_then(|s| net.checked_sub(s)).unwrap_or(net);
                    let rate =
                        tax_rate_object(canonical, line, &format!("/lines/{i}"), object, losses);
                    vec![crate::json!({
                        "amount": amount,
                        "tax_behavior": "exclusive",
                        "tax_rate_details": {"tax_rate": rate},
                        "taxability_reason": reason_for(category),
                        "taxable_amount": taxable,
                        "type": "tax_rate_details",
                    })]
                }
                _ => {
                    if !from_stripe {
                        match category {
                            "exempt" => fill(out, "/customer_tax_exempt", crate::json!("exempt")),
                            "reverse_charge" => {
                                fill(out, "/customer_tax_exempt", crate::json!("reverse"));
                            }
                            _ => {}
                        }
                    }
                    Vec::new()
                }
            };
            fill(out, &format!("{at}/taxes"), Value::Array(taxes));
        }
        if from_stripe {
            return Ok(());
        }
        if json::get(out, "/lines/data").is_some() {
            fill(out, "/lines/object", crate::json!("list"));
            fill(out, "/lines/has_more", crate::json!(false));
        }
        if let Some(s) = subtotal.filter(|_| !lines.is_empty()) {
            fill(out, "/subtotal", crate::json!(s));
        }
        if let Some(t) = minor(pointer_get(canonical, "/totals/total_without_tax")) {
            fill(out, "/total_excluding_tax", crate::json!(t));
        }
        if let Some(charge) = &shipping {
            let tax = shipping_tax.map_or(0, |t| t.amount);
            let category = charge.category.as_deref().unwrap_or("outside_scope");
            let taxes = match shipping_tax {
                Some(t) if t.amount != 0 || matches!(category, "standard" | "zero_rated") => {
                    let at = format!("/allowances_charges/{}", charge.index);
                    let rate = tax_rate_object(canonical, charge.value, &at, object, losses);
                    vec![crate::json!({
                        "amount": t.amount,
                        "rate": rate,
                        "taxability_reason": reason_for(category),
                        "taxable_amount": charge.amount,
                    })]
                }
                _ => Vec::new(),
            };
            if let Some(total) = charge.amount.checked_add(tax) {
                fill(
                    out,
                    "/shipping_cost",
                    crate::json!({"amount_subtotal": charge.amount, "amount_tax": tax,
                           "amount_total": total, "shipping_rate": null, "taxes": taxes}),
                );
                fill(out, "/amount_shipping", crate::json!(charge.amount));
            }
        }
        match self.kind {
            DocKind::CreditNote => {
                if let Some(t) = minor(pointer_get(canonical, "/totals/total_with_tax")) {
                    fill(out, "/amount", crate::json!(t));
                }
            }
            DocKind::Invoice => {
                let paid = minor(pointer_get(canonical, "/totals/paid")).unwrap_or(0);
                fill(out, "/amount_paid", crate::json!(paid));
                if let Some(due) = minor(pointer_get(canonical, "/totals/amount_due")) {
                    fill(out, "/amount_remaining", crate::json!(due));
                }
                if let Some(t) = minor(pointer_get(canonical, "/totals/total_with_tax")) {
                    fill(out, "/amount_due", crate::json!(t));
                }
                if !document_ids.is_empty() {
                    fill(
                        out,
                        "/discounts",
                        Value::Array(document_ids.into_iter().map(Value::from).collect()),
                    );
                }
            }
        }
        Ok(())
    }
}

impl DocumentGlue {
    /// The top-level Stripe fields the glue computes on the way back: a
    /// residue holding any of them comes from a document read from Stripe.
    fn computed(&self) -> &'static [&'static str] {
        match self.kind {
            DocKind::Invoice => &[
                "subtotal",
                "total_excluding_tax",
                "amount_paid",
                "amount_remaining",
                "amount_due",
            ],
            DocKind::CreditNote => &["subtotal", "total_excluding_tax", "amount"],
        }
    }
}

/// The incomplete loss of a document whose `lines` Stripe did not send
/// with their `data` (an invoice always has the list object, with its
/// first page of lines): the record has none of them, as a document with
/// more pages (`has_more`) has only some. `None` when `data` is there.
///
/// # Errors
///
/// [`MappingError::InvalidInput`] at `/lines` when it is not a list object.
fn lines_not_sent(cx: &Forward<'_>, v: &Value) -> Result<Option<Loss>, MappingError> {
    let what = match pointer_get(v, "/lines") {
        Some(Value::Object(list)) if list.get("data").is_some_and(|d| !d.is_null()) => {
            return Ok(None);
        }
        Some(Value::Object(_)) => "`lines` without its `data`",
        None | Some(Value::Null) => "no `lines`",
        Some(other) => {
            let found = match other {
                Value::Array(_) => "an array".to_owned(),
                other => other.to_string(),
            };
            return Err(cx.error(
                "/lines",
                format!("expected a Stripe list object of lines, but found {found}"),
            ));
        }
    };
    Ok(Some(Loss::new(
        LossKind::Incomplete,
        "/lines",
        format!(
            "Stripe sent {what}: fetch the lines (every page of `lines`) and add them with merge_line_pages; the record has no lines, and the tax breakdown and the totals computed from the lines are incomplete"
        ),
    )))
}

/// The Stripe line `i` of `doc`.
fn line_at(doc: &Value, i: usize) -> &Value {
    json::array(doc, "/lines/data").get(i).unwrap_or(&Value::Null)
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    #[test]
    fn unit_prices_divide_exactly_where_they_can() {
        assert_eq!(unit_price(dec!(24.50), dec!(1), 2), Some(dec!(24.50)));
        assert_eq!(unit_price(dec!(150.00), dec!(1250000), 2), Some(dec!(0.00012)));
        assert_eq!(unit_price(dec!(5), dec!(0), 0), Some(dec!(0)));
        let third = unit_price(dec!(10.00), dec!(3), 2).unwrap_or_default();
        assert_eq!(third.checked_mul(dec!(3)).map(|t| t.round_dp(2)), Some(dec!(10.00)));
    }

    #[test]
    fn discount_labels_give_their_id_back() {
        assert_eq!(id_from_label(&discount_label(None, Some("di_1"))), Some("di_1"));
        let expanded = crate::json!({"id": "di_1", "coupon": {"name": "10 % off"}});
        assert_eq!(discount_label(Some(&expanded), Some("di_1")), "10 % off");
        assert_eq!(id_from_label("10 % off"), None);
        assert_eq!(id_from_label("Discount"), None);
    }

    #[test]
    fn categories_follow_the_taxability_reason() {
        assert_eq!(category_of(Some("reverse_charge"), Some(dec!(19))).0, "reverse_charge");
        assert_eq!(category_of(Some("standard_rated"), Some(dec!(19))).0, "standard");
        assert_eq!(category_of(None, Some(dec!(0))).0, "zero_rated");
        assert_eq!(category_of(Some("not_collecting"), None).0, "outside_scope");
        assert!(needs_reason("outside_scope") && !needs_reason("zero_rated"));
    }
}
