//! The way back: a canonical invoice's or credit note's lines, discounts,
//! taxes, shipping and totals as Stripe states them.

use super::facts::{id_from_label, reason_for};
use super::{DocKind, DocumentGlue};
use crate::json::Value;
use crate::mapping::pointer::get as pointer_get;
use crate::mapping::{DeclarativeMapper, Loss, Mapper, MappingError};
use crate::money::Currency;

use super::super::glue::{fill, whole_quantity};
use super::super::json;
use super::super::parties;
use super::super::shares::{
    Charge, LineTaxAmount, Members, same_rate, share_taxes, shipping_charge, tax_rate_object,
};

/// What every step of the way back reads and writes.
struct Back<'a> {
    kind: DocKind,
    canonical: &'a Value,
    object: &'a str,
    /// The document was read from Stripe: the amounts the glue would
    /// compute are kept, and come back from the residue.
    from_stripe: bool,
    exp: u32,
    currency: Currency,
    out: &'a mut Value,
    losses: &'a mut Vec<Loss>,
}

impl Back<'_> {
    /// A canonical amount in Stripe minor units.
    fn minor(&self, m: Option<&Value>) -> Option<i64> {
        m.and_then(|m| json::minor_of(m, self.exp, self.currency))
    }
}

/// A discount taken from a line: its id (from the label) and amount.
type Share = (String, i64);

/// The glue's way back: see the module docs of `document`.
pub(super) fn run(
    glue: &DocumentGlue,
    mapper: &DeclarativeMapper,
    canonical: &Value,
    kept: &[String],
    out: &mut Value,
    losses: &mut Vec<Loss>,
) -> Result<(), MappingError> {
    if glue.kind == DocKind::Invoice {
        parties::reverse(canonical, out, losses);
    }
    // A document read from Stripe keeps the document amounts the glue
    // would compute; they come back from there, untouched. A line read
    // from Stripe keeps its `amount` (no rule reads it into the record as
    // it is), and its discounts and taxes with it.
    let from_stripe = kept.iter().any(|k| glue.computed().contains(&k.as_str()));
    let Some(currency) =
        json::text(canonical, "/currency").and_then(|c| Currency::from_code(c).ok())
    else {
        return Ok(());
    };
    let Some(exp) = mapper.minor_units_of(currency) else { return Ok(()) };
    let object = mapper.object();
    let mut back =
        Back { kind: glue.kind, canonical, object, from_stripe, exp, currency, out, losses };
    let lines = json::array(canonical, "/lines");
    let (shares, document_ids) = document_shares(&back, lines);
    // The lines the glue writes: those the residue did not give back.
    let written: Vec<bool> = (0..lines.len())
        .map(|i| {
            let at = format!("/lines/data/{i}");
            json::get(back.out, &at).is_some()
                && pointer_get(back.out, &format!("{at}/amount")).is_none()
        })
        .collect();
    let minor = |m: Option<&Value>| m.and_then(|m| json::minor_of(m, exp, currency));
    let shipping =
        if from_stripe { None } else { shipping_charge(canonical, object, &minor, back.losses) };
    let (line_tax, shipping_tax) = share_taxes(
        canonical,
        &Members { written: &written, shipping: shipping.as_ref() },
        (exp, currency),
        object,
        back.losses,
    );
    let mut subtotal = Some(0i64);
    for (i, (line, share)) in lines.iter().zip(&shares).enumerate() {
        let at = format!("/lines/data/{i}");
        if json::get(back.out, &at).is_none() {
            continue;
        }
        let Some(net) = back.minor(line.get("net_amount")) else { continue };
        if !written.get(i).copied().unwrap_or(false) {
            // Read from Stripe: its amount, discounts and taxes are kept.
            let kept_amount = json::int(back.out, &format!("{at}/amount"));
            subtotal = subtotal.and_then(|s| s.checked_add(kept_amount?));
            continue;
        }
        let own: Vec<(Option<String>, i64)> = json::array(line, "/allowances_charges")
            .iter()
            .filter(|ac| json::text(ac, "/kind") == Some("allowance"))
            .filter_map(|ac| {
                let id = json::text(ac, "/reason").and_then(id_from_label).map(str::to_owned);
                back.minor(ac.get("amount")).map(|a| (id, a))
            })
            .collect();
        let Some(amount) = own.iter().try_fold(net, |acc, (_, a)| acc.checked_add(*a)) else {
            continue;
        };
        subtotal = subtotal.and_then(|s| s.checked_add(amount));
        fill(back.out, &format!("{at}/amount"), crate::json!(amount));
        write_line(&mut back, (i, line, net), (&own, share), line_tax.get(i).copied().flatten());
    }
    if from_stripe {
        return Ok(());
    }
    write_document(&mut back, lines, subtotal, (shipping.as_ref(), shipping_tax));
    if glue.kind == DocKind::Invoice && !document_ids.is_empty() {
        fill(
            back.out,
            "/discounts",
            Value::Array(document_ids.into_iter().map(Value::from).collect()),
        );
    }
    Ok(())
}

/// Document-level allowances go back onto the first line of their
/// (category, rate), by discount id: per line, the shares it takes, and
/// the ids of the document's discounts.
fn document_shares(back: &Back<'_>, lines: &[Value]) -> (Vec<Vec<Share>>, Vec<String>) {
    let mut shares: Vec<Vec<Share>> = vec![Vec::new(); lines.len()];
    let mut document_ids: Vec<String> = Vec::new();
    if back.kind != DocKind::Invoice {
        return (shares, document_ids);
    }
    for ac in json::array(back.canonical, "/allowances_charges") {
        if json::text(ac, "/kind") != Some("allowance") {
            continue;
        }
        let (Some(id), Some(amount)) =
            (json::text(ac, "/reason").and_then(id_from_label), back.minor(ac.get("amount")))
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
    (shares, document_ids)
}

/// Stripe line `i`, written by the glue: its quantity as Stripe spells
/// it, its discounts (its own and its share of the document's) and its
/// taxes.
fn write_line(
    back: &mut Back<'_>,
    (i, line, net): (usize, &Value, i64),
    (own, share): (&[(Option<String>, i64)], &[Share]),
    tax: Option<LineTaxAmount>,
) {
    let at = format!("/lines/data/{i}");
    match back.kind {
        // Stripe's quantity_decimal is a decimal string.
        DocKind::Invoice => {
            let qd = format!("{at}/quantity_decimal");
            if let Some(Value::Number(n)) = json::get(back.out, &qd) {
                let text = n.to_string();
                json::put(back.out, &qd, Value::from(text));
            }
        }
        DocKind::CreditNote => whole_quantity(
            back.out,
            &format!("{at}/quantity"),
            &format!("/lines/{i}/quantity"),
            "credit note line",
            back.losses,
        ),
    }
    let mut discounts: Vec<Value> =
        own.iter().map(|(id, a)| crate::json!({"amount": a, "discount": id})).collect();
    discounts.extend(share.iter().map(|(id, a)| crate::json!({"amount": a, "discount": id})));
    fill(back.out, &format!("{at}/discount_amounts"), Value::Array(discounts));
    if json::get(back.out, &format!("{at}/taxes")).is_some()
        || json::get(back.out, &format!("{at}/tax_amounts")).is_some()
    {
        return;
    }
    let category = json::text(line, "/tax_category").unwrap_or("outside_scope");
    let taxes = match tax {
        // A share of zero tax in a category Stripe shows as no taxes at
        // all is written as none, as before.
        Some(LineTaxAmount { amount, stated })
            if stated || amount != 0 || matches!(category, "standard" | "zero_rated") =>
        {
            let shared = share.iter().try_fold(0i64, |acc, (_, a)| acc.checked_add(*a));
            let taxable = shared.and_then(|s| net.checked_sub(s)).unwrap_or(net);
            let rate = tax_rate_object(
                back.canonical,
                line,
                &format!("/lines/{i}"),
                back.object,
                back.losses,
            );
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
            if !back.from_stripe {
                match category {
                    "exempt" => fill(back.out, "/customer_tax_exempt", crate::json!("exempt")),
                    "reverse_charge" => {
                        fill(back.out, "/customer_tax_exempt", crate::json!("reverse"));
                    }
                    _ => {}
                }
            }
            Vec::new()
        }
    };
    fill(back.out, &format!("{at}/taxes"), Value::Array(taxes));
}

/// The document amounts Stripe states and the glue computes: the list
/// object, subtotal, total without tax, shipping, and paid / remaining /
/// due (or a credit note's amount).
fn write_document(
    back: &mut Back<'_>,
    lines: &[Value],
    subtotal: Option<i64>,
    (shipping, shipping_tax): (Option<&Charge<'_>>, Option<LineTaxAmount>),
) {
    let canonical = back.canonical;
    if json::get(back.out, "/lines/data").is_some() {
        fill(back.out, "/lines/object", crate::json!("list"));
        fill(back.out, "/lines/has_more", crate::json!(false));
    }
    if let Some(s) = subtotal.filter(|_| !lines.is_empty()) {
        fill(back.out, "/subtotal", crate::json!(s));
    }
    if let Some(t) = back.minor(pointer_get(canonical, "/totals/total_without_tax")) {
        fill(back.out, "/total_excluding_tax", crate::json!(t));
    }
    if let Some(charge) = shipping {
        let tax = shipping_tax.map_or(0, |t| t.amount);
        let category = charge.category.as_deref().unwrap_or("outside_scope");
        let taxes = match shipping_tax {
            Some(t) if t.amount != 0 || matches!(category, "standard" | "zero_rated") => {
                let at = format!("/allowances_charges/{}", charge.index);
                let rate = tax_rate_object(canonical, charge.value, &at, back.object, back.losses);
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
                back.out,
                "/shipping_cost",
                crate::json!({"amount_subtotal": charge.amount, "amount_tax": tax,
                       "amount_total": total, "shipping_rate": null, "taxes": taxes}),
            );
            fill(back.out, "/amount_shipping", crate::json!(charge.amount));
        }
    }
    let total_with_tax = back.minor(pointer_get(canonical, "/totals/total_with_tax"));
    match back.kind {
        DocKind::CreditNote => {
            if let Some(t) = total_with_tax {
                fill(back.out, "/amount", crate::json!(t));
            }
        }
        DocKind::Invoice => {
            let paid = back.minor(pointer_get(canonical, "/totals/paid")).unwrap_or(0);
            fill(back.out, "/amount_paid", crate::json!(paid));
            if let Some(due) = back.minor(pointer_get(canonical, "/totals/amount_due")) {
                fill(back.out, "/amount_remaining", crate::json!(due));
            }
            if let Some(t) = total_with_tax {
                fill(back.out, "/amount_due", crate::json!(t));
            }
        }
    }
}
