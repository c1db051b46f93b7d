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

mod facts;
mod forward;
mod reverse;

use crate::json::{Map, Value};

use super::glue::{Forward, Glue};
use super::json;
use super::parties;
use super::tax_ids::Schemes;
use crate::mapping::pointer::get as pointer_get;
use crate::mapping::{DeclarativeMapper, Loss, LossKind, MappingError};

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

impl Glue for DocumentGlue {
    fn forward(&self, cx: &mut Forward<'_>) -> Result<(), MappingError> {
        forward::run(self, cx)
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
        reverse::run(self, mapper, canonical, kept, out, losses)
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
            let found = crate::voice::found_json(other);
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
    static NULL: Value = Value::Null;
    json::array(doc, "/lines/data").get(i).unwrap_or(&NULL)
}
