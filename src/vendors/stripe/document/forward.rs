//! The way in: a Stripe invoice's or credit note's lines, taxes, tax
//! breakdown and totals, computed as EN 16931 states them.

use std::collections::BTreeMap;

use rust_decimal::Decimal;

use super::facts::{
    Discount, Group, Line, LineTax, Tax, classify, discount_label, group_of, needs_reason,
    taxes_of, unit_price,
};
use super::{DocKind, DocumentGlue, QUANTITIES, UNIT_PRICES, item_names, line_at, lines_not_sent};
use crate::json::{Map, Value};
use crate::mapping::pointer::get as pointer_get;
use crate::mapping::{Loss, LossKind, Mapper, MappingError};
use crate::money::Currency;

use super::super::glue::Forward;
use super::super::json;
use super::super::parties;
use super::super::rates::{RateBook, estimate};

/// The document's currency and the object named in errors.
struct Doc {
    currency: Currency,
    exp: u32,
    object: String,
}

impl Doc {
    fn overflow(&self, at: &str) -> MappingError {
        MappingError::InvalidInput {
            vendor: super::super::VENDOR.to_owned(),
            object: self.object.clone(),
            pointer: at.to_owned(),
            message: "the amounts overflow".to_owned(),
        }
    }

    fn amount_error(&self, pointer: String) -> MappingError {
        MappingError::InvalidInput {
            vendor: super::super::VENDOR.to_owned(),
            object: self.object.clone(),
            pointer,
            message: "expected an integer amount in minor units".to_owned(),
        }
    }

    /// `minor` units as a canonical amount, or the overflow error at `at`.
    fn money(&self, minor: i64, at: &str) -> Result<Value, MappingError> {
        json::money(minor, self.exp, self.currency).ok_or_else(|| self.overflow(at))
    }
}

/// The sums over the lines that the totals need.
#[derive(Default)]
struct Sums {
    line_net: i64,
    tax: i64,
    allowances: i64,
    charges: i64,
}

/// The glue's way in: see the module docs of `document`.
pub(super) fn run(glue: &DocumentGlue, cx: &mut Forward<'_>) -> Result<(), MappingError> {
    if glue.kind == DocKind::Invoice {
        parties::forward(cx, &glue.schemes)?;
        item_names(cx);
    }
    let v = cx.vendor;
    let Some(currency) =
        json::text(v, "/currency").and_then(|c| Currency::from_code(&c.to_uppercase()).ok())
    else {
        return Ok(());
    };
    let Some(exp) = cx.mapper.minor_units_of(currency) else { return Ok(()) };
    let doc = Doc { currency, exp, object: cx.mapper.object().to_owned() };
    if let Some(loss) = lines_not_sent(cx, v)? {
        cx.losses.push(loss);
    } else if pointer_get(v, "/lines/has_more") == Some(&Value::Bool(true)) {
        cx.losses.push(Loss::new(
            LossKind::Incomplete,
            "/lines/has_more",
            format!(
                "Stripe sent the first {} lines only: fetch the other pages of `lines` and add them with merge_line_pages; the lines, the tax breakdown and the totals computed from the lines are incomplete",
                json::array(v, "/lines/data").len()
            ),
        ));
    }
    let lines = read_lines(glue.kind, cx, &doc)?;
    let shipping = read_shipping(v, &doc)?;
    let rates = Rates::collect(cx, &doc, &lines, shipping.as_ref())?;
    let percent_of = |t: &Tax| rates.percent_of(t);
    let exempt = json::text(v, "/customer_tax_exempt");
    let mut line_taxes = Vec::with_capacity(lines.len());
    for line in &lines {
        let lt = classify(&line.taxes, &rates.book, &percent_of, exempt)
            .ok_or_else(|| doc.overflow("/lines/data"))?;
        line_taxes.push(lt);
    }
    let mut groups: Vec<Group> = Vec::new();
    let mut sums = Sums::default();
    for (i, (line, lt)) in lines.iter().zip(&line_taxes).enumerate() {
        write_line(cx, &doc, (i, line, lt), &mut groups, &mut sums)?;
    }
    if let Some((subtotal, taxes)) = &shipping {
        let lt = classify(taxes, &rates.book, &percent_of, exempt)
            .ok_or_else(|| doc.overflow("/shipping_cost"))?;
        sums.tax = sums.tax.checked_add(lt.tax).ok_or_else(|| doc.overflow("/shipping_cost"))?;
        if let Some(g) = group_of(&mut groups, &lt) {
            let add =
                |a: i64, b: i64| a.checked_add(b).ok_or_else(|| doc.overflow("/shipping_cost"));
            g.shipping = add(g.shipping, *subtotal)?;
            g.taxable = add(g.taxable, *subtotal)?;
            g.tax = add(g.tax, lt.tax)?;
        }
    }
    write_groups(cx, &doc, &groups, &mut sums)?;
    write_totals(glue.kind, cx, &doc, &sums)
}

/// What Stripe says about each line. A line in another currency than its
/// document is an error.
fn read_lines(kind: DocKind, cx: &Forward<'_>, doc: &Doc) -> Result<Vec<Line>, MappingError> {
    let v = cx.vendor;
    let mut document_ids: Vec<&str> = Vec::new();
    if kind == DocKind::Invoice {
        document_ids.extend(json::array(v, "/discounts").iter().filter_map(json::id_of));
        document_ids.extend(json::get(v, "/discount").and_then(|d| json::text(d, "/id")));
    }
    let vendor_lines = json::array(v, "/lines/data");
    let mut lines = Vec::with_capacity(vendor_lines.len());
    for (i, line) in vendor_lines.iter().enumerate() {
        let at = format!("/lines/data/{i}");
        // Stripe bills every line of an invoice in the invoice's currency
        // (an invoice item in another currency cannot be added to it), so
        // a line that names another one is not a Stripe payload: its
        // amounts are minor units of which currency? Relabelling them
        // would state wrong money, and a loss could not say what the right
        // amount is. An error.
        if let Some(found) = json::get(line, "/currency")
            && !found.as_str().is_some_and(|c| c.eq_ignore_ascii_case(doc.currency.code()))
        {
            let object = doc.object.replace('_', " ");
            return Err(cx.error(
                format!("{at}/currency"),
                format!(
                    "expected the {object}'s currency {}, but found {found} (a Stripe {object} bills every line in its own currency)",
                    Value::from(doc.currency.code().to_lowercase()),
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
        let (key, rate_at) = if json::get(line, "/taxes").is_some() {
            ("taxes", "/tax_rate_details/tax_rate")
        } else {
            ("tax_amounts", "/tax_rate")
        };
        let taxes = taxes_of(line, &at, key, rate_at, &|p| doc.amount_error(p))?;
        let mut facts = Line { amount, discounts, taxes };
        // Discounts of a tax-inclusive line stay on the line: its net is
        // after tax is taken out, which a document-level allowance (net of
        // tax) cannot follow.
        if facts.taxes.iter().any(|t| t.inclusive) {
            for d in &mut facts.discounts {
                d.document = false;
            }
        }
        lines.push(facts);
    }
    Ok(lines)
}

/// Shipping (current invoices): a document-level charge, its subtotal and
/// taxes; `None` when there is none.
fn read_shipping(v: &Value, doc: &Doc) -> Result<Option<(i64, Vec<Tax>)>, MappingError> {
    let Some(sc) = json::get(v, "/shipping_cost") else { return Ok(None) };
    let subtotal = json::int(sc, "/amount_subtotal")
        .ok_or_else(|| doc.amount_error("/shipping_cost/amount_subtotal".to_owned()))?;
    let taxes = taxes_of(sc, "/shipping_cost", "taxes", "/rate", &|p| doc.amount_error(p))?;
    Ok((subtotal != 0 || !taxes.is_empty()).then_some((subtotal, taxes)))
}

/// Tax rates: known from the document, else estimated from the taxes of
/// every line (and shipping) that has the rate.
struct Rates {
    book: RateBook,
    estimated: BTreeMap<String, Decimal>,
}

impl Rates {
    /// The rates, with an `estimated` or `incomplete` loss for each rate
    /// the document does not state.
    fn collect(
        cx: &mut Forward<'_>,
        doc: &Doc,
        lines: &[Line],
        shipping: Option<&(i64, Vec<Tax>)>,
    ) -> Result<Rates, MappingError> {
        let book = RateBook::collect(cx.vendor);
        // Per unknown rate: (taxable, tax) pairs and where the rate is.
        let mut pairs: BTreeMap<String, (Vec<(i64, i64)>, String)> = BTreeMap::new();
        let mut add = |taxes: &[Tax], base: i64| {
            for t in taxes.iter().filter(|t| t.inline.is_none()) {
                let key = match &t.rate_id {
                    Some(id) if book.get(id).is_some() => continue,
                    Some(id) => id.clone(),
                    None => t.path.clone(),
                };
                let entry = pairs.entry(key).or_insert_with(|| (Vec::new(), t.path.clone()));
                entry.0.push((t.taxable.unwrap_or(base), t.amount));
            }
        };
        for line in lines {
            let base = line
                .net()
                .and_then(|n| n.checked_sub(line.document_discounts()?))
                .ok_or_else(|| doc.overflow("/lines/data"))?;
            add(&line.taxes, base);
        }
        if let Some((subtotal, taxes)) = shipping {
            add(taxes, *subtotal);
        }
        let mut estimated = BTreeMap::new();
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
        Ok(Rates { book, estimated })
    }

    /// The percentage of one tax: inline, known or estimated.
    fn percent_of(&self, t: &Tax) -> Option<Decimal> {
        if let Some(r) = &t.inline {
            return Some(r.percent);
        }
        match &t.rate_id {
            Some(id) => {
                self.book.get(id).map(|r| r.percent).or_else(|| self.estimated.get(id).copied())
            }
            None => self.estimated.get(&t.path).copied(),
        }
    }
}

/// Writes canonical line `i`: its net, allowances, tax, quantity sign and
/// unit price; adds it to its (category, rate) group and to the sums.
fn write_line(
    cx: &mut Forward<'_>,
    doc: &Doc,
    (i, line, lt): (usize, &Line, &LineTax),
    groups: &mut Vec<Group>,
    sums: &mut Sums,
) -> Result<(), MappingError> {
    let cl = format!("/lines/{i}");
    if json::get(cx.canonical, &cl).is_none() {
        return Ok(());
    }
    let at = format!("/lines/data/{i}");
    let net = line.net().ok_or_else(|| doc.overflow(&at))?;
    let own = line.own_discounts().ok_or_else(|| doc.overflow(&at))?;
    json::put(cx.canonical, &format!("{cl}/net_amount"), doc.money(net, &at)?);
    let mut allowances = Vec::new();
    for d in line.discounts.iter().filter(|d| !d.document && d.amount != 0) {
        let mut ac = Map::new();
        ac.insert("kind", crate::json!("allowance"));
        ac.insert("amount", doc.money(d.amount, &at)?);
        ac.insert("reason", Value::from(d.label.clone()));
        allowances.push(Value::Object(ac));
    }
    if !allowances.is_empty() {
        json::put(cx.canonical, &format!("{cl}/allowances_charges"), Value::Array(allowances));
    }
    json::put(cx.canonical, &format!("{cl}/tax_category"), crate::json!(lt.category));
    if let Some(rate) = lt.rate {
        json::put(cx.canonical, &format!("{cl}/tax_rate"), crate::json!(json::rate_text(rate)));
    }
    if let [only] = line.taxes.as_slice()
        && let Some(id) = &only.rate_id
    {
        json::put(cx.canonical, &format!("{cl}/tax_code"), crate::json!(id));
    }
    if lt.stated {
        json::put(cx.canonical, &format!("{cl}/tax_amount"), doc.money(lt.tax, &at)?);
    }
    let gross = net.checked_add(own).ok_or_else(|| doc.overflow(&at))?;
    let quantity = line_quantity(cx, doc, i, gross)?;
    line_unit_price(cx, doc, i, (line, gross, quantity))?;
    sums.line_net = sums.line_net.checked_add(net).ok_or_else(|| doc.overflow(&at))?;
    sums.tax = sums.tax.checked_add(lt.tax).ok_or_else(|| doc.overflow(&at))?;
    // Its (category, rate) group.
    let Some(group) = group_of(groups, lt) else { return Ok(()) };
    group.tax = group.tax.checked_add(lt.tax).ok_or_else(|| doc.overflow(&at))?;
    group.taxable = group.taxable.checked_add(net).ok_or_else(|| doc.overflow(&at))?;
    for d in line.discounts.iter().filter(|d| d.document) {
        group.taxable = group.taxable.checked_sub(d.amount).ok_or_else(|| doc.overflow(&at))?;
        match group.discounts.iter_mut().find(|(label, _)| *label == d.label) {
            Some((_, amount)) => {
                *amount = amount.checked_add(d.amount).ok_or_else(|| doc.overflow(&at))?;
            }
            None => group.discounts.push((d.label.clone(), d.amount)),
        }
    }
    Ok(())
}

/// The quantity of canonical line `i`. A credit line (a proration for
/// unused time) has a negative amount but a positive price and quantity in
/// Stripe: EN 16931 writes it as a negative quantity at the positive price.
fn line_quantity(
    cx: &mut Forward<'_>,
    doc: &Doc,
    i: usize,
    gross: i64,
) -> Result<Decimal, MappingError> {
    let (cl, at) = (format!("/lines/{i}"), format!("/lines/data/{i}"));
    let quantity_at = format!("{cl}/quantity");
    let quantity = json::text(cx.canonical, &quantity_at)
        .and_then(|q| q.parse::<Decimal>().ok())
        .unwrap_or(Decimal::ONE);
    let price = json::text(cx.canonical, &format!("{cl}/unit_price/amount"))
        .and_then(|p| p.parse::<Decimal>().ok());
    if gross < 0 && quantity > Decimal::ZERO && price.is_none_or(|p| p >= Decimal::ZERO) {
        if let Some(p) = QUANTITIES.iter().find(|p| json::get(line_at(cx.vendor, i), p).is_some()) {
            cx.keep(&format!("{at}{p}"));
        }
        let negative = Decimal::ZERO.checked_sub(quantity).ok_or_else(|| doc.overflow(&at))?;
        json::put(cx.canonical, &quantity_at, crate::json!(negative.to_string()));
        cx.derived.push(quantity_at);
        return Ok(negative);
    }
    Ok(quantity)
}

/// The unit price of canonical line `i`: Stripe's, unless it includes
/// tax, is absent, or is not what the line was billed at (a proration
/// bills part of a period at the full period's price); then the amount ÷
/// quantity, with a loss where Stripe's price is set aside.
fn line_unit_price(
    cx: &mut Forward<'_>,
    doc: &Doc,
    i: usize,
    (line, gross, quantity): (&Line, i64, Decimal),
) -> Result<(), MappingError> {
    let (cl, at) = (format!("/lines/{i}"), format!("/lines/data/{i}"));
    let price = json::text(cx.canonical, &format!("{cl}/unit_price/amount"))
        .and_then(|p| p.parse::<Decimal>().ok());
    let inclusive = line.inclusive_tax().unwrap_or(0) != 0;
    let gross_amount = Decimal::try_new(gross, doc.exp).map_err(|_| doc.overflow(&at))?;
    let half = Decimal::new(5, doc.exp.saturating_add(1));
    let billed_at_price = price.is_some_and(|p| {
        p.checked_mul(quantity)
            .and_then(|t| t.checked_sub(gross_amount))
            .is_some_and(|d| d.abs() <= half)
    });
    let derive = inclusive || !billed_at_price;
    if derive
        && price.is_some()
        && let Some(p) = UNIT_PRICES.iter().find(|p| json::get(line_at(cx.vendor, i), p).is_some())
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
        let price = unit_price(gross_amount, quantity, doc.exp).ok_or_else(|| doc.overflow(&at))?;
        json::put(cx.canonical, &format!("{cl}/unit_price"), json::money_of(price, doc.currency));
        cx.derived.push(format!("{cl}/unit_price"));
    }
    Ok(())
}

/// Document-level allowances and charges, and the tax breakdown, one per
/// (category, rate) group.
fn write_groups(
    cx: &mut Forward<'_>,
    doc: &Doc,
    groups: &[Group],
    sums: &mut Sums,
) -> Result<(), MappingError> {
    let mut allowances = Vec::new();
    let mut breakdown = Vec::new();
    for g in groups {
        let rate = g.rate.map(json::rate_text);
        let with_tax = |ac: &mut Map| {
            ac.insert("tax_category", crate::json!(g.category));
            if let Some(r) = &rate {
                ac.insert("tax_rate", crate::json!(r));
            }
        };
        if g.shipping != 0 {
            sums.charges = sums
                .charges
                .checked_add(g.shipping)
                .ok_or_else(|| doc.overflow("/shipping_cost"))?;
            let mut ac = Map::new();
            ac.insert("kind", crate::json!("charge"));
            ac.insert("amount", doc.money(g.shipping, "/shipping_cost")?);
            ac.insert("reason", crate::json!("Shipping"));
            ac.insert("reason_code", crate::json!("FC"));
            with_tax(&mut ac);
            allowances.push(Value::Object(ac));
        }
        for (label, amount) in g.discounts.iter().filter(|(_, a)| *a != 0) {
            sums.allowances =
                sums.allowances.checked_add(*amount).ok_or_else(|| doc.overflow(""))?;
            let mut ac = Map::new();
            ac.insert("kind", crate::json!("allowance"));
            ac.insert("amount", doc.money(*amount, "")?);
            ac.insert("reason", crate::json!(label));
            with_tax(&mut ac);
            allowances.push(Value::Object(ac));
        }
        let mut t = Map::new();
        t.insert("category", crate::json!(g.category));
        if let Some(r) = &rate {
            t.insert("rate", crate::json!(r));
        }
        t.insert("taxable_amount", doc.money(g.taxable, "")?);
        t.insert("tax_amount", doc.money(g.tax, "")?);
        if needs_reason(g.category)
            && let Some(reason) = g.reason
        {
            t.insert("exemption_reason", crate::json!(reason));
        }
        if !g.names.is_empty() {
            t.insert("name", crate::json!(g.names.join(" + ")));
        }
        breakdown.push(Value::Object(t));
    }
    if !allowances.is_empty() {
        json::put(cx.canonical, "/allowances_charges", Value::Array(allowances));
    }
    if !breakdown.is_empty() {
        json::put(cx.canonical, "/tax_breakdown", Value::Array(breakdown));
    }
    Ok(())
}

/// The totals: the sums over the lines and groups, the total with tax,
/// what was paid and what is due, with a loss where Stripe's own amounts
/// cannot be written as EN 16931 states them.
fn write_totals(
    kind: DocKind,
    cx: &mut Forward<'_>,
    doc: &Doc,
    sums: &Sums,
) -> Result<(), MappingError> {
    let v = cx.vendor;
    let Some(total) = json::int(v, "/total") else { return Ok(()) };
    let money = |minor: i64| doc.money(minor, "/total");
    let without_tax = sums
        .line_net
        .checked_sub(sums.allowances)
        .and_then(|t| t.checked_add(sums.charges))
        .ok_or_else(|| doc.overflow("/total"))?;
    json::put(cx.canonical, "/totals/line_net_total", money(sums.line_net)?);
    if sums.allowances != 0 {
        json::put(cx.canonical, "/totals/allowance_total", money(sums.allowances)?);
    }
    if sums.charges != 0 {
        json::put(cx.canonical, "/totals/charge_total", money(sums.charges)?);
    }
    json::put(cx.canonical, "/totals/total_without_tax", money(without_tax)?);
    json::put(cx.canonical, "/totals/tax_total", money(sums.tax)?);
    if kind == DocKind::CreditNote {
        json::put(cx.canonical, "/totals/amount_due", money(total)?);
        return Ok(());
    }
    let amount_paid = json::int(v, "/amount_paid").unwrap_or(0);
    let remaining = json::int(v, "/amount_remaining")
        .or_else(|| total.checked_sub(amount_paid))
        .ok_or_else(|| doc.overflow("/amount_remaining"))?;
    let settled = total.checked_sub(remaining).ok_or_else(|| doc.overflow("/total"))?;
    let void = json::text(v, "/status") == Some("void");
    let total_minus_paid = || total.checked_sub(amount_paid).ok_or_else(|| doc.overflow("/total"));
    let (paid, due) = if settled == amount_paid {
        (amount_paid, remaining)
    } else if void {
        // Nothing is owed on a void invoice, but EN 16931 keeps the amount
        // due at total − paid.
        cx.losses.push(Loss::new(
            LossKind::Lossy,
            "/amount_remaining",
            "the invoice is void: the canonical amount due is total − amount_paid",
        ));
        (amount_paid, total_minus_paid()?)
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
        (amount_paid, total_minus_paid()?)
    };
    if paid != 0 {
        json::put(cx.canonical, "/totals/paid", money(paid)?);
    }
    json::put(cx.canonical, "/totals/amount_due", money(due)?);
    if json::text(cx.canonical, "/status") == Some("issued") && paid > 0 && due > 0 {
        json::put(cx.canonical, "/status", crate::json!("partially_paid"));
    }
    Ok(())
}
