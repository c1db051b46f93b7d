//! Stripe: customer ↔ Customer, subscription ↔ Contract, invoice and
//! credit_note ↔ Invoice, payment_intent, charge, refund and invoice_payment
//! ↔ Payment.
//!
//! Each object has a mapping file in `mappings/stripe/` for the fields that
//! map one to one, and Rust glue here for what a file cannot say: EN 16931
//! line nets, taxes, tax breakdown and totals of invoices and credit notes
//! (`document.rs`, and `shares.rs` for the way back), an invoice's seller
//! tax ids, connected account and deliver-to party (`parties.rs`), the
//! Stripe type of a tax id (`tax_ids.rs`), a failed payment intent, an
//! uncaptured charge, a cancelled invoice payment, a subscription item
//! without a per-unit price (`glue.rs`).
//!
//! What the mappers rely on:
//!
//! - **`object`** names the kind of every Stripe object: a payload without
//!   it, or with another kind, is an input error at `/object`.
//! - **Amounts** are integer minor units, with Stripe's exponent per
//!   currency: ISO 4217's, except the `minor_units` overrides in the mapping
//!   files (ISK counts in hundredths although it has no minor unit any more;
//!   MGA counts in whole ariary). `unit_amount_decimal` strings count minor
//!   units too and may go below them (`"0.012"` cents): they are read
//!   exactly.
//! - **Currency codes** are lower case (`usd`); canonical ones upper case.
//! - **Timestamps** are Unix seconds. Document dates are UTC days (the time
//!   of day is kept in extensions and reported as lossy); period ends,
//!   `trial_end`, `ended_at` and `cancel_at` are exclusive, so the canonical
//!   date is the last day included.
//! - **References** are an id or the expanded object; an expanded object is
//!   referenced by its id and kept whole in extensions, so it comes back.
//! - **Both invoice shapes**: current (`parent.subscription_details`,
//!   `total_taxes`, line `pricing` and `taxes`) and 2020-08-27
//!   (`subscription`, `total_tax_amounts`, line `price` and `tax_amounts`).
//! - **Paginated lines**: an invoice or credit note holds at most its first
//!   lines; with `lines.has_more` the result carries a
//!   [`LossKind::Incomplete`] loss, and so does a `lines` list sent without
//!   its `data` (or no `lines` at all: the record then has no lines).
//!   Fetch the other pages and call [`merge_line_pages`] before mapping.
//!   A line always has its invoice's currency: one in another currency is
//!   an input error.
//! - **Older shapes**: a customer without a name (Stripe's `name` is
//!   optional) is shown by its business or individual name, description,
//!   email or id, reported as a [`LossKind::Fallback`], and that substitute
//!   is not written back to `name`. A subscription without a `currency` of
//!   its own (as before Stripe added one) has its items' price and plan
//!   currency, which must agree; the way back writes it there again. An
//!   item on a price in another currency than its subscription's (a
//!   multi-currency price) has the unit amount of the price's currency
//!   option, or is incomplete when Stripe did not expand the options.
//! - **Parties** (invoices): the seller is the account Stripe prints as the
//!   issuer (`account_name`, `account_country`, the expanded
//!   `account_tax_ids`, and on Connect the account `issuer.account` or
//!   `on_behalf_of` names, as an external ref); the buyer is Stripe's
//!   snapshot of the customer (`customer_name`, `customer_email`,
//!   `customer_phone`, `customer_address`, `customer_tax_ids`); the
//!   deliver-to party is `shipping_details`, else `customer_shipping`.
//!   `counterparty` stays the customer record. An account tax id Stripe
//!   sends as an id only (`txi_…`) has no value: it stays in extensions and
//!   the result carries a [`LossKind::Incomplete`] loss. A credit note
//!   carries no party details, so it has no parties.
//! - **Units and items**: a Stripe quantity counts units of the price, so
//!   every line's unit is `C62` (one), and a record with another unit is
//!   reported on the way back; an item's name is an expanded product's
//!   `name`, never made up.
//! - **Custom fields**: `metadata` is not mapped by any rule, so it is kept
//!   as it is under `extensions.stripe.metadata` (with every other field no
//!   rule maps) and written back on the way out.
//! - **Derived values**: where the glue fills a canonical field Stripe has no
//!   value for (a unit price of amount ÷ quantity, the negative quantity of
//!   a credit line), `extensions.stripe["$derived"]` lists it, so that the
//!   way back does not write it into the Stripe payload.
//! - **The way back** to Stripe gives the original payload again from the
//!   residue; where the residue does not hold them (a record made outside
//!   Stripe, even one with Stripe `metadata`, or a line added to one read
//!   from Stripe) the glue writes the Stripe fields it computes (line
//!   amounts, taxes, discounts, amounts paid and remaining, the seller's
//!   tax ids as expanded tax ids without an id and its connected account as
//!   `issuer`). Either way the result is
//!   mapped forward again and every canonical value that does not come back
//!   is reported as unsupported.
//!
//! ```
//! use canonical_finance::mapping::Registry;
//! use canonical_finance::json;
//!
//! let registry = Registry::builtin()?;
//! let refund = json!({"id": "re_1", "object": "refund", "amount": 1633, "currency": "usd",
//!                     "charge": "ch_1", "created": 1783606924, "status": "succeeded",
//!                     "metadata": {"ticket": "SUP-1"}});
//! let mapped = registry.get("stripe", "refund")?.to_canonical(&refund)?;
//! assert_eq!(mapped.value["direction"], "sent");
//! assert_eq!(mapped.value["amount"], json!({"amount": "16.33", "currency": "USD"}));
//! assert_eq!(mapped.value["refund_of"]["external_refs"][0]["id"], "ch_1");
//! assert_eq!(mapped.value["extensions"]["stripe"]["metadata"], json!({"ticket": "SUP-1"}));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! An invoice's parties, as Stripe printed them:
//!
//! ```
//! use canonical_finance::mapping::Registry;
//! use canonical_finance::json;
//!
//! let registry = Registry::builtin()?;
//! let invoice = json!({"id": "in_1", "object": "invoice", "status": "draft", "currency": "eur",
//!     "customer": "cus_1", "created": 1783606924, "subtotal": 0, "total_excluding_tax": 0,
//!     "total": 0, "amount_due": 0, "amount_paid": 0, "amount_remaining": 0,
//!     "lines": {"object": "list", "data": [], "has_more": false},
//!     "account_name": "Ledgerline Europe B.V.", "account_country": "NL",
//!     "account_tax_ids": [{"id": "txi_1", "object": "tax_id", "type": "eu_vat",
//!                          "value": "NL859216743B01", "country": "NL"}],
//!     "customer_name": "Alpenglühn Werkstätten AG", "customer_email": "ap@alpengluehn.example",
//!     "customer_address": {"line1": "Seefeldstrasse 112", "city": "Zürich", "country": "CH"},
//!     "customer_shipping": {"name": "Werk Basel", "address": {"city": "Basel", "country": "CH"},
//!                           "phone": "+41615550188"}});
//! let mapped = registry.get("stripe", "invoice")?.to_canonical(&invoice)?;
//! let c = &mapped.value;
//! assert_eq!(c["seller"], json!({"name": "Ledgerline Europe B.V.", "address": {"country": "NL"},
//!     "tax_ids": [{"scheme": "vat", "value": "NL859216743B01", "country": "NL", "label": "eu_vat"}]}));
//! assert_eq!(c["buyer"]["name"], "Alpenglühn Werkstätten AG");
//! assert_eq!(c["buyer"]["contact"], json!({"email": "ap@alpengluehn.example"}));
//! assert_eq!(c["delivery"], json!({"party_name": "Werk Basel",
//!     "address": {"city": "Basel", "country": "CH"}}));
//! // The shipping phone has no canonical place: it is kept, and comes back.
//! assert_eq!(c["extensions"]["stripe"]["customer_shipping"]["phone"], "+41615550188");
//! assert_eq!(registry.get("stripe", "invoice")?.to_vendor(c)?.value, invoice);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod document;
mod glue;
mod json;
mod parties;
mod rates;
mod shares;
mod tax_ids;

use std::collections::HashMap;
use std::sync::Arc;

use crate::json::Value;

use crate::mapping::{
    DeclarativeMapper, ForwardRun, Loss, LossKind, Mapped, Mapper, MappingError, MappingSpec,
    Payload, Registry, pointer,
};
use crate::model::Entity;

/// The vendor name used in mapping files and external refs.
pub const VENDOR: &str = "stripe";

/// The embedded mapping files, by path.
pub const FILES: &[(&str, &str)] = &[
    ("mappings/stripe/charge.json", include_str!("../../../mappings/stripe/charge.json")),
    ("mappings/stripe/credit_note.json", include_str!("../../../mappings/stripe/credit_note.json")),
    ("mappings/stripe/customer.json", include_str!("../../../mappings/stripe/customer.json")),
    ("mappings/stripe/invoice.json", include_str!("../../../mappings/stripe/invoice.json")),
    (
        "mappings/stripe/invoice_payment.json",
        include_str!("../../../mappings/stripe/invoice_payment.json"),
    ),
    (
        "mappings/stripe/payment_intent.json",
        include_str!("../../../mappings/stripe/payment_intent.json"),
    ),
    ("mappings/stripe/refund.json", include_str!("../../../mappings/stripe/refund.json")),
    (
        "mappings/stripe/subscription.json",
        include_str!("../../../mappings/stripe/subscription.json"),
    ),
];

/// Registers the Stripe mappers: each mapping file, wrapped in the glue of
/// its object.
///
/// # Errors
///
/// Only if an embedded mapping file is broken.
pub fn register(registry: &mut Registry) -> Result<(), MappingError> {
    for (file, text) in FILES {
        let spec: MappingSpec =
            serde_json::from_str(text).map_err(|e| MappingError::InvalidSpec {
                file: (*file).to_owned(),
                pointer: String::new(),
                message: e.to_string(),
            })?;
        let base = DeclarativeMapper::compile(&spec, file, &HashMap::new())?;
        let glue = glue::for_object(&spec, file)?;
        registry.register(Arc::new(StripeMapper { base, glue }))?;
    }
    Ok(())
}

/// Appends the next pages of an invoice's (or credit note's) `lines` to the
/// embedded first page, so that the whole document can be mapped.
///
/// `pages` are the list objects `GET /v1/invoices/{id}/lines?starting_after=…`
/// returned, in order. Their `data` is appended to `lines.data`, and
/// `lines.has_more` is set from the last page. Lines that name another
/// invoice, or a line id already present, are errors.
///
/// ```
/// use canonical_finance::vendors::stripe::merge_line_pages;
/// use canonical_finance::json;
///
/// let mut invoice = json!({"id": "in_1", "object": "invoice",
///     "lines": {"object": "list", "data": [{"id": "il_1"}], "has_more": true, "url": "/v1/invoices/in_1/lines"}});
/// let page2 = json!({"object": "list", "data": [{"id": "il_2"}], "has_more": false, "url": "/v1/invoices/in_1/lines"});
/// merge_line_pages(&mut invoice, &[page2])?;
/// assert_eq!(invoice["lines"]["data"].as_array().map(Vec::len), Some(2));
/// assert_eq!(invoice["lines"]["has_more"], false);
/// # Ok::<(), canonical_finance::mapping::MappingError>(())
/// ```
///
/// # Errors
///
/// [`MappingError::InvalidInput`] naming the place: the document is not an
/// invoice or credit note (`object`) or has no `lines` list object (a
/// pointer into the document; a list without `data` is fine: the pages
/// then hold every line), a page is not a list object with `data`, or a
/// line belongs to another document or is there twice (a pointer into
/// that page, whose index in `pages`, from 0, begins the message). The
/// document is not changed then.
pub fn merge_line_pages(invoice: &mut Value, pages: &[Value]) -> Result<(), MappingError> {
    let object = match invoice.get("object") {
        Some(Value::String(o)) if o == "invoice" || o == "credit_note" => o.to_string(),
        other => {
            let found = other.map_or_else(|| "none".to_owned(), Value::to_string);
            return Err(MappingError::InvalidInput {
                vendor: VENDOR.to_owned(),
                object: "invoice".to_owned(),
                pointer: "/object".to_owned(),
                message: format!("expected \"invoice\" or \"credit_note\", but found {found}"),
            });
        }
    };
    let err = |pointer: String, message: String| MappingError::InvalidInput {
        vendor: VENDOR.to_owned(),
        object: object.clone(),
        pointer,
        message,
    };
    let id = invoice.get("id").and_then(Value::as_str).map(str::to_owned);
    let owner_key = if object == "credit_note" { "credit_note" } else { "invoice" };
    // A list object sent without its `data` holds no line yet: the pages
    // are all of them.
    let mut lines: Vec<Value> = match invoice.pointer("/lines") {
        Some(Value::Object(list)) => match list.get("data") {
            Some(Value::Array(data)) => data.clone(),
            None | Some(Value::Null) => Vec::new(),
            Some(other) => {
                return Err(err(
                    "/lines/data".to_owned(),
                    format!(
                        "expected a list of lines, but found {}",
                        crate::voice::found_json(other)
                    ),
                ));
            }
        },
        _ => {
            return Err(err(
                "/lines".to_owned(),
                "expected a Stripe list object of lines".to_owned(),
            ));
        }
    };
    let mut seen: Vec<String> = lines
        .iter()
        .filter_map(|l| l.get("id").and_then(Value::as_str))
        .map(str::to_owned)
        .collect();
    let mut has_more =
        pointer::get(invoice, "/lines/has_more").cloned().unwrap_or(Value::Bool(false));
    for (k, page) in pages.iter().enumerate() {
        let data = page.get("data").and_then(Value::as_array).ok_or_else(|| {
            err("/data".to_owned(), format!("page {k}: expected a Stripe list object with `data`"))
        })?;
        for (j, line) in data.iter().enumerate() {
            if let (Some(own), Some(other)) =
                (id.as_deref(), line.get(owner_key).and_then(Value::as_str))
                && own != other
            {
                return Err(err(
                    format!("/data/{j}/{owner_key}"),
                    format!("page {k}: expected a line of {own}, but found one of {other}"),
                ));
            }
            if let Some(line_id) = line.get("id").and_then(Value::as_str) {
                if seen.iter().any(|s| s == line_id) {
                    return Err(err(
                        format!("/data/{j}/id"),
                        format!("page {k}: line {line_id} is already in the document"),
                    ));
                }
                seen.push(line_id.to_owned());
            }
            lines.push(line.clone());
        }
        has_more = page.get("has_more").cloned().unwrap_or(Value::Bool(false));
    }
    if let Some(list) = invoice.get_mut("lines").and_then(Value::as_object_mut) {
        list.insert("data".to_owned(), Value::Array(lines));
        list.insert("has_more".to_owned(), has_more);
    }
    Ok(())
}

/// A Stripe mapper: a mapping file plus the glue of its object.
///
/// Vendor → canonical runs the file's rules, then the glue (which adds the
/// derived fields), then checks the record. Canonical → vendor takes the
/// derived fields out, runs the file's rules backwards (the residue under
/// `extensions.stripe` gives back every field no rule wrote), lets the glue
/// fill in the Stripe fields it computes where the residue does not hold
/// them, and
/// finally maps the result forward again: every canonical value that would
/// not come back is reported as unsupported, so the loss report is complete
/// whatever the glue can write.
struct StripeMapper {
    base: DeclarativeMapper,
    glue: Box<dyn glue::Glue>,
}

/// The key under `extensions.stripe` listing the canonical fields the glue
/// derived where Stripe had no value (a unit price of amount ÷ quantity):
/// they are not written back into Stripe fields that were empty.
const DERIVED: &str = "$derived";

/// The key under `extensions.stripe` holding, by canonical pointer, the
/// values the glue put in place of an empty Stripe field (a customer's
/// display name from its email when it has no name): while the record
/// still holds one, it is not written back to that field.
const SUBSTITUTED: &str = "$substituted";

/// The key under `extensions.stripe` listing the Stripe pointers the glue
/// filled in before the rules ran, from where an older API version keeps
/// the value (a subscription's currency, on its items): the way back
/// takes them out again and writes the value where it came from.
const FILLED: &str = "$filled";

/// What the glue notes for the way back, beside the residue.
#[derive(Default)]
struct Notes {
    /// Canonical pointers of values derived where Stripe has none.
    derived: Vec<String>,
    /// Canonical pointer → the value put in place of an empty Stripe field.
    substituted: crate::json::Map,
    /// Stripe pointers filled in before the rules ran.
    filled: Vec<String>,
}

/// Writes each (Stripe pointer, value) of `fills` into `vendor`, and
/// returns the pointers.
fn fill(vendor: &mut Value, fills: Vec<(String, Value)>) -> Vec<String> {
    fills
        .into_iter()
        .map(|(pointer, value)| {
            json::put(vendor, &pointer, value);
            pointer
        })
        .collect()
}

impl Mapper for StripeMapper {
    fn vendor(&self) -> &str {
        self.base.vendor()
    }

    fn object(&self) -> &str {
        self.base.object()
    }

    fn entity(&self) -> Entity {
        self.base.entity()
    }

    fn fidelity(&self) -> Option<crate::mapping::Fidelity> {
        Some(self.base.fidelity_with_glue(true))
    }

    fn not_sent(&self) -> &[String] {
        self.base.not_sent()
    }

    fn to_canonical(&self, vendor: &Value) -> Result<Mapped<Value>, MappingError> {
        let fills = self.fills(vendor)?;
        if fills.is_empty() {
            let (run, notes) = self.forward(vendor, true)?;
            return self.finish(run, notes, Payload::Borrowed(vendor));
        }
        let mut filled = vendor.clone();
        let pointers = fill(&mut filled, fills);
        let (run, mut notes) = self.forward(&filled, true)?;
        notes.filled = pointers;
        self.finish(run, notes, Payload::Owned(filled))
    }

    fn to_canonical_owned(&self, mut vendor: Value) -> Result<Mapped<Value>, MappingError> {
        let fills = self.fills(&vendor)?;
        let pointers = fill(&mut vendor, fills);
        let (run, mut notes) = self.forward(&vendor, true)?;
        notes.filled = pointers;
        self.finish(run, notes, Payload::Owned(vendor))
    }

    fn to_vendor(&self, canonical: &Value) -> Result<Mapped<Value>, MappingError> {
        self.reverse(canonical.clone())
    }

    fn to_vendor_owned(&self, canonical: Value) -> Result<Mapped<Value>, MappingError> {
        self.reverse(canonical)
    }
}

/// Currencies with three decimals whose Stripe amounts must end in 0: a
/// multiple of 10 minor units (Stripe: "amounts in BHD, JOD, KWD, OMR and
/// TND must have 0 as the last decimal").
const TENS_ONLY: &[&str] = &["BHD", "JOD", "KWD", "OMR", "TND"];

/// Rounds every amount of the record in a [`TENS_ONLY`] currency that does
/// not end in 0 to two decimals, half away from zero (245.375 KWD becomes
/// 245.380), and reports each as lossy. Unit prices are left alone: Stripe's
/// `unit_amount_decimal` may go below the minor unit. `extensions` is not
/// looked at. `at` is the pointer of `value`.
fn round_three_decimal_amounts(value: &mut Value, at: &mut String, losses: &mut Vec<Loss>) {
    match value {
        Value::Object(map) => {
            let code =
                map.get("currency").and_then(Value::as_str).filter(|c| TENS_ONLY.contains(c));
            if let (Some(code), Some(Value::String(amount))) =
                (code.map(str::to_owned), map.get_mut("amount"))
                && let Ok(exact) = amount.parse::<rust_decimal::Decimal>()
            {
                let rounded = exact.round_dp_with_strategy(
                    2,
                    crate::money::Rounding::HalfUp.to_decimal_strategy(),
                );
                if rounded != exact {
                    let mut shown = rounded;
                    shown.rescale(3);
                    losses.push(Loss::new(
                        LossKind::Lossy,
                        format!("{at}/amount"),
                        format!(
                            "Stripe takes {code} amounts only in multiples of 10 minor units (the last decimal 0): {exact} {code} is written as {shown} {code} (rounded half away from zero)"
                        ),
                    ));
                    *amount = shown.to_string().into();
                }
                return;
            }
            for (key, item) in map.iter_mut() {
                if key == "extensions" || key == "unit_price" {
                    continue;
                }
                let len = at.len();
                pointer::push(at, key);
                round_three_decimal_amounts(item, at, losses);
                at.truncate(len);
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter_mut().enumerate() {
                let len = at.len();
                pointer::push_index(at, i);
                round_three_decimal_amounts(item, at, losses);
                at.truncate(len);
            }
        }
        _ => {}
    }
}

impl StripeMapper {
    /// Checks that `vendor` is the mapper's Stripe object, and returns what
    /// the glue fills in before the rules run (see [`glue::Glue::fill_in`]).
    ///
    /// Every Stripe object names its kind in `object`; a payload that does
    /// not, or names another kind, is the wrong input. (The mapping
    /// files' `"object"` constant refuses another kind only: a file's
    /// vendor constant may be absent from a payload.)
    fn fills(&self, vendor: &Value) -> Result<Vec<(String, Value)>, MappingError> {
        if let Some(map) = vendor.as_object() {
            let object = self.object();
            let found = match map.get("object") {
                Some(Value::String(s)) if s == object => None,
                Some(other) => Some(other.to_string()),
                None => Some("none".to_owned()),
            };
            if let Some(found) = found {
                return Err(MappingError::InvalidInput {
                    vendor: VENDOR.to_owned(),
                    object: object.to_owned(),
                    pointer: "/object".to_owned(),
                    message: format!("expected {}, but found {found}", Value::from(object)),
                });
            }
        }
        self.glue.fill_in(&self.base, vendor)
    }

    /// The file's rules, then the glue: the canonical values and losses
    /// before the residue, and the glue's notes for the way back.
    /// `vendor` is the payload with the glue's fills in it. With `keep`
    /// false, nothing is recorded for a residue: what
    /// [`StripeMapper::verify`] compares.
    fn forward(&self, vendor: &Value, keep: bool) -> Result<(ForwardRun, Notes), MappingError> {
        let mut run = if keep {
            self.base.forward_rules(vendor)?
        } else {
            self.base.forward_values(vendor)?
        };
        let mut notes = Notes::default();
        let mut kept = Vec::new();
        let mut cx = glue::Forward {
            mapper: &self.base,
            vendor,
            canonical: &mut run.canonical,
            derived: &mut notes.derived,
            substituted: &mut notes.substituted,
            kept: &mut kept,
            losses: &mut run.losses,
        };
        self.glue.forward(&mut cx)?;
        for pointer in &kept {
            run.keep(pointer);
        }
        Ok((run, notes))
    }

    /// The residue under `extensions.stripe`, the glue's notes beside it,
    /// and the entity check.
    fn finish(
        &self,
        run: ForwardRun,
        notes: Notes,
        vendor: Payload<'_>,
    ) -> Result<Mapped<Value>, MappingError> {
        let Mapped { value: mut canonical, losses } = self.base.finish(run, vendor);
        let Notes { derived, substituted, filled } = notes;
        let list = |items: Vec<String>| Value::Array(items.into_iter().map(Value::from).collect());
        for (key, note) in [
            (DERIVED, list(derived)),
            (SUBSTITUTED, Value::Object(substituted)),
            (FILLED, list(filled)),
        ] {
            if note.as_array().is_some_and(|a| !a.is_empty())
                || note.as_object().is_some_and(|o| !o.is_empty())
            {
                json::put(&mut canonical, &format!("/extensions/{VENDOR}/{key}"), note);
            }
        }
        let value = self.base.normalize_canonical(canonical)?;
        Ok(Mapped::new(value, losses))
    }

    /// Canonical → Stripe for a record the mapper may take apart: the
    /// residue under `extensions.stripe` is moved into the payload.
    fn reverse(&self, mut canonical: Value) -> Result<Mapped<Value>, MappingError> {
        if !canonical.is_object() {
            return self.base.to_vendor(&canonical);
        }
        let mut residue = self.base.take_residue(&mut canonical);
        // Amounts of a record read from Stripe (its residue holds more than
        // metadata, or it names its own Stripe object) are what Stripe
        // accepted, and come back as they were.
        let mut early = Vec::new();
        let object = self.object();
        let read = residue
            .as_ref()
            .and_then(Value::as_object)
            .is_some_and(|o| o.keys().any(|k| k != "metadata"))
            || json::array(&canonical, "/external_refs").iter().any(|r| {
                json::text(r, "/system") == Some(VENDOR)
                    && json::text(r, "/object_type") == Some(object)
            });
        if !read {
            round_three_decimal_amounts(&mut canonical, &mut String::new(), &mut early);
        }
        let mut note = |key: &str| residue.as_mut().and_then(Value::as_object_mut)?.remove(key);
        let strings = |note: Option<Value>| -> Vec<String> {
            note.and_then(|v| v.into_array().ok())
                .unwrap_or_default()
                .iter()
                .filter_map(|v| v.as_str().map(str::to_owned))
                .collect()
        };
        let derived = strings(note(DERIVED));
        let substituted = note(SUBSTITUTED).and_then(|v| v.into_object().ok()).unwrap_or_default();
        let filled = strings(note(FILLED));
        // A record read from Stripe carries the Stripe fields the glue
        // computes in its residue, and they come back from there. The glue
        // decides by what the residue holds (its top-level members, and
        // per line what the line's kept values wrote), not by whether there
        // is one: a record made elsewhere with a bit of `metadata` still
        // gets every computed field.
        let kept: Vec<String> = residue
            .as_ref()
            .and_then(Value::as_object)
            .map(|o| o.keys().filter(|k| !k.starts_with('$')).map(|k| k.to_string()).collect())
            .unwrap_or_default();
        let mut stripped = canonical.clone();
        for pointer in &derived {
            json::remove(&mut stripped, pointer);
        }
        // A substitute for an empty Stripe field goes back as that empty
        // field (kept in the residue) while the record still holds it; an
        // edited value is written.
        for (pointer, value) in &substituted {
            if json::get(&stripped, pointer) == Some(value) {
                json::remove(&mut stripped, pointer);
            }
        }
        self.glue.strip(&mut stripped);
        let mut losses = early;
        self.glue.prepare(&mut stripped, residue.as_ref(), &mut losses);
        let base = self.base.to_vendor_with_residue(&stripped, residue)?;
        let mut out = base.value;
        losses.extend(base.losses);
        self.glue.reverse(&self.base, &canonical, &kept, &mut out, &mut losses)?;
        self.glue.unfill(&filled, &mut out);
        self.verify(&canonical, &out, &mut losses);
        Ok(Mapped::new(out, losses))
    }

    /// Maps `out` forward again and reports every canonical value of
    /// `canonical` that does not come back and no loss names yet.
    fn verify(&self, canonical: &Value, out: &Value, losses: &mut Vec<Loss>) {
        let again = self.fills(out).and_then(|fills| {
            if fills.is_empty() {
                return self.forward(out, false);
            }
            let mut filled = out.clone();
            fill(&mut filled, fills);
            self.forward(&filled, false)
        });
        let again = match again {
            Ok((run, _)) => run.canonical,
            Err(e) => {
                losses.push(Loss::new(
                    LossKind::Unsupported,
                    "",
                    format!("the Stripe {} written does not map back: {e}", self.object()),
                ));
                return;
            }
        };
        self.base.report_unreturned("Stripe", canonical, &again, losses);
    }
}
