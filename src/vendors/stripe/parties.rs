//! The parties of a Stripe invoice: the seller from the issuing account,
//! the buyer and the deliver-to party from the snapshot of the customer
//! Stripe takes when it finalizes the invoice.
//!
//! The mapping file maps what is one to one (`account_name`,
//! `account_country`, `customer_name`, `customer_email`, `customer_phone`,
//! `customer_address`, `customer_tax_ids`, `customer_shipping`). This is
//! what it cannot say:
//!
//! - `account_tax_ids` is a list of tax id ids (`txi_…`) or, when the
//!   request expands it, of `tax_id` objects: the expanded ones become the
//!   seller's tax ids, with the table the file gives the customer's; an id
//!   alone has no value to map, stays where it is and is reported as
//!   incomplete (as a tax rate named by its id only is);
//! - the connected account Stripe names in `issuer.account` or
//!   `on_behalf_of` (Connect) is the seller's external ref, once;
//! - an address without a country (every part of a Stripe address may be
//!   null), or with one that is not a country code, cannot be a canonical
//!   address: it is left out, kept in extensions and reported;
//! - a legal registration's label is its ISO 6523 scheme (BR-CL-11), which
//!   Stripe does not give: the label is left out, and Stripe's type stays in
//!   extensions;
//! - a tax id without a value cannot be read;
//! - the deliver-to party is the invoice's own `shipping_details` when
//!   Stripe has them (the PDF prints those instead of the customer's
//!   shipping), else the customer's `customer_shipping`, which the rules
//!   read.
//!
//! On the way back the rules write what they read; this writes the seller's
//! tax ids (as expanded tax ids without an id, reported: Stripe names them
//! by id) and its connected account (as `issuer`) where the residue does
//! not give them back, and picks the Stripe type of a buyer's tax id made
//! elsewhere.

use crate::json::Value;

use super::glue::{Forward, fill};
use super::json;
use super::tax_ids::{self, Schemes};
use crate::mapping::{Loss, LossKind};
use crate::model::CountryCode;

/// The party addresses the rules write: the canonical address, the Stripe
/// country it needs, and the Stripe value the rules read it from.
const ADDRESSES: &[(&str, &str, &str)] = &[
    ("/seller/address", "/account_country", "/account_country"),
    ("/buyer/address", "/customer_address/country", "/customer_address"),
    ("/delivery/address", "/customer_shipping/address/country", "/customer_shipping/address"),
];

/// The canonical parts of the record the rules may leave empty.
const PARTS: &[&str] = &["/seller", "/buyer", "/delivery"];

/// The parties, after the file's rules ran.
///
/// # Errors
///
/// [`crate::mapping::MappingError::InvalidInput`] for a customer tax id
/// without a value.
pub(super) fn forward(
    cx: &mut Forward<'_>,
    schemes: &Schemes,
) -> Result<(), crate::mapping::MappingError> {
    let shipping_details = json::get(cx.vendor, SHIPPING_DETAILS).is_some_and(Value::is_object);
    for (address, country_at, read_at) in ADDRESSES {
        if json::get(cx.canonical, address).is_none()
            || (shipping_details && address.starts_with("/delivery"))
        {
            continue;
        }
        if let Some(loss) = no_country(cx.vendor, country_at, address) {
            json::remove(cx.canonical, address);
            cx.keep(read_at);
            cx.losses.push(loss);
        }
    }
    if shipping_details {
        deliver_to_shipping_details(cx);
    }
    buyer_tax_ids(cx)?;
    seller_tax_ids(cx, schemes);
    connected_accounts(cx);
    for part in PARTS {
        if json::get(cx.canonical, part).and_then(Value::as_object).is_some_and(|o| o.is_empty()) {
            json::remove(cx.canonical, part);
        }
    }
    Ok(())
}

/// The invoice's own shipping details (what Stripe's PDF prints, before
/// the customer's shipping).
const SHIPPING_DETAILS: &str = "/shipping_details";

/// The loss of an address at `address` whose Stripe country at
/// `country_at` of `vendor` is missing or not a country code; `None` when
/// the country is one.
pub(super) fn no_country(vendor: &Value, country_at: &str, address: &str) -> Option<Loss> {
    Some(match json::get(vendor, country_at) {
        Some(Value::String(c)) if CountryCode::new(c).is_ok() => return None,
        None => Loss::new(
            LossKind::Incomplete,
            country_at,
            format!(
                "the address has no country, which a canonical address needs: {address} is left out (the address is kept in extensions)"
            ),
        ),
        Some(other) => Loss::new(
            LossKind::Lossy,
            country_at,
            format!(
                "{other} is not an ISO 3166-1 alpha-2 country code: {address} is left out (the address is kept in extensions)"
            ),
        ),
    })
}

/// The deliver-to party from the invoice's `shipping_details`, in place of
/// the customer's shipping the rules read (which stays in extensions, as
/// `shipping_details` does).
fn deliver_to_shipping_details(cx: &mut Forward<'_>) {
    json::remove(cx.canonical, "/delivery");
    cx.keep("/customer_shipping");
    let Some(details) = json::get(cx.vendor, SHIPPING_DETAILS) else { return };
    let mut delivery = crate::json::Map::new();
    if let Some(name) = json::text(details, "/name") {
        delivery.insert("party_name".to_owned(), crate::json!(name));
    }
    let has_address = json::get(details, "/address")
        .and_then(Value::as_object)
        .is_some_and(|a| a.values().any(|v| !v.is_null()));
    if has_address {
        let country_at = format!("{SHIPPING_DETAILS}/address/country");
        match no_country(cx.vendor, &country_at, "/delivery/address") {
            Some(loss) => cx.losses.push(loss),
            None => {
                let mut address = crate::json::Map::new();
                let lines: Vec<Value> = ["/address/line1", "/address/line2"]
                    .iter()
                    .filter_map(|p| json::text(details, p))
                    .map(|l| crate::json!(l))
                    .collect();
                if !lines.is_empty() {
                    address.insert("lines".to_owned(), Value::Array(lines));
                }
                for (from, to) in [
                    ("/address/city", "city"),
                    ("/address/state", "region"),
                    ("/address/postal_code", "postal_code"),
                    ("/address/country", "country"),
                ] {
                    if let Some(x) = json::text(details, from) {
                        address.insert(to.to_owned(), crate::json!(x));
                    }
                }
                delivery.insert("address".to_owned(), Value::Object(address));
            }
        }
    }
    if !delivery.is_empty() {
        json::put(cx.canonical, "/delivery", Value::Object(delivery));
    }
}

/// The customer's tax ids the rules read: each needs a type and a value;
/// a legal registration loses Stripe's type as its label (kept in the
/// residue).
fn buyer_tax_ids(cx: &mut Forward<'_>) -> Result<(), crate::mapping::MappingError> {
    let count = json::array(cx.canonical, "/buyer/tax_ids").len();
    for k in 0..count {
        let at = format!("/buyer/tax_ids/{k}");
        for (canonical, vendor, what) in [("scheme", "type", "type"), ("value", "value", "value")] {
            if json::get(cx.canonical, &format!("{at}/{canonical}")).is_some() {
                continue;
            }
            let from = format!("/customer_tax_ids/{k}/{vendor}");
            let found = crate::mapping::pointer::get(cx.vendor, &from)
                .map_or_else(|| "none".to_owned(), crate::voice::found_json);
            return Err(cx.error(
                from,
                format!(
                    "expected the tax id's {what} (a canonical tax id needs one), but found {found}"
                ),
            ));
        }
        if json::text(cx.canonical, &format!("{at}/scheme")) == Some("legal_registration") {
            json::remove(cx.canonical, &format!("{at}/label"));
            cx.keep(&format!("/customer_tax_ids/{k}/type"));
        }
    }
    Ok(())
}

/// The expanded `account_tax_ids` as the seller's tax ids; ids alone are
/// reported.
fn seller_tax_ids(cx: &mut Forward<'_>, schemes: &Schemes) {
    let mut ids = Vec::new();
    for (k, item) in json::array(cx.vendor, "/account_tax_ids").iter().enumerate() {
        let at = format!("/account_tax_ids/{k}");
        if let Some(tax_id) = schemes.tax_id(item, &at, cx.losses) {
            ids.push(tax_id);
            continue;
        }
        let deleted = item.get("deleted") == Some(&Value::Bool(true));
        if let (Some(id), false) = (json::id_of(item), deleted) {
            cx.losses.push(Loss::new(
                LossKind::Incomplete,
                at,
                format!(
                    "Stripe sent the account's tax id {id} without its type and value: the seller's tax ids are incomplete (expand account_tax_ids for them; the id is kept in extensions)"
                ),
            ));
        }
    }
    if !ids.is_empty() {
        json::put(cx.canonical, "/seller/tax_ids", Value::Array(ids));
    }
}

/// The connected accounts Stripe names as the invoice's issuer or the
/// account it is on behalf of, once each, as the seller's external refs.
fn connected_accounts(cx: &mut Forward<'_>) {
    let mut refs: Vec<Value> = Vec::new();
    for at in ["/issuer/account", "/on_behalf_of"] {
        let Some(named) = json::get(cx.vendor, at) else { continue };
        let Some(id) = json::id_of(named) else { continue };
        if named.is_object() {
            cx.losses.push(Loss::new(
                LossKind::Lossy,
                at,
                "an expanded object is referenced by its id; the object is kept in extensions",
            ));
        }
        let entry = crate::json!({"system": super::VENDOR, "object_type": "account", "id": id});
        if !refs.contains(&entry) {
            refs.push(entry);
        }
    }
    if !refs.is_empty() {
        json::put(cx.canonical, "/seller/external_refs", Value::Array(refs));
    }
}

/// Takes out what [`reverse`] writes, before the rules run backwards.
pub(super) fn strip(canonical: &mut Value) {
    json::remove(canonical, "/seller/tax_ids");
    json::remove(canonical, "/seller/external_refs");
}

/// Gives each buyer tax id made elsewhere the Stripe type the rules write;
/// one read from Stripe keeps its type (in the residue).
pub(super) fn prepare(stripped: &mut Value, residue: Option<&Value>, losses: &mut Vec<Loss>) {
    // The deliver-to party read from shipping_details comes back from
    // there (and the customer's shipping from the residue), not through
    // the rules, which would write it as the customer's shipping.
    if residue.is_some_and(|r| json::get(r, SHIPPING_DETAILS).is_some_and(Value::is_object)) {
        json::remove(stripped, "/delivery");
    }
    let kept = |i: usize| {
        residue.is_some_and(|r| json::get(r, &format!("/customer_tax_ids/{i}/type")).is_some())
    };
    tax_ids::prepare(stripped, "/buyer/tax_ids", &kept, losses);
}

/// The seller's tax ids and connected account, where the residue does not
/// give them back.
pub(super) fn reverse(canonical: &Value, out: &mut Value, losses: &mut Vec<Loss>) {
    let ids = json::array(canonical, "/seller/tax_ids");
    if !ids.is_empty() && json::get(out, "/account_tax_ids").is_none() {
        let mut written = Vec::new();
        for (i, tax_id) in ids.iter().enumerate() {
            let at = format!("/seller/tax_ids/{i}");
            let (Some(kind), Some(value)) =
                (tax_ids::stripe_type(tax_id), json::text(tax_id, "/value"))
            else {
                losses.push(tax_ids::no_type(tax_id, at));
                continue;
            };
            let mut item = crate::json!({"object": "tax_id", "type": kind, "value": value});
            if let Some(country) = json::text(tax_id, "/country") {
                json::put(&mut item, "/country", crate::json!(country));
            }
            written.push(item);
            losses.push(Loss::new(
                LossKind::Incomplete,
                at,
                "a Stripe invoice names the account's tax ids by the id of a tax id of the account (txi_…), and the record has none: it is written as an expanded tax_id without an id, which reads back, but Stripe needs the tax id created on the account first",
            ));
        }
        if !written.is_empty() {
            json::put(out, "/account_tax_ids", Value::Array(written));
        }
    }
    let account = json::array(canonical, "/seller/external_refs").iter().find_map(|r| {
        (json::text(r, "/system") == Some(super::VENDOR)
            && json::text(r, "/object_type") == Some("account"))
        .then(|| json::text(r, "/id"))
        .flatten()
    });
    // Only where Stripe named no account: a payload read from Stripe gives
    // its own issuer and on_behalf_of back.
    if let Some(id) = account
        && json::get(out, "/on_behalf_of").is_none()
    {
        fill(out, "/issuer", crate::json!({"type": "account", "account": id}));
    }
}
