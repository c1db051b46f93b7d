//! What the mapping files cannot say, per Stripe object.

use crate::json::{Map, Value};

use super::document::{DocKind, DocumentGlue};
use super::json;
use super::parties;
use super::tax_ids::{self, Schemes};
use crate::mapping::{DeclarativeMapper, Loss, LossKind, Mapper, MappingError, MappingSpec};
use crate::money::Currency;

/// One vendor → canonical run, after the mapping file's rules.
pub(super) struct Forward<'a> {
    /// The mapper of the file (its vendor, object and minor units).
    pub(super) mapper: &'a DeclarativeMapper,
    /// The Stripe payload.
    pub(super) vendor: &'a Value,
    /// The canonical record the rules produced, residue included.
    pub(super) canonical: &'a mut Value,
    /// Canonical pointers of values derived where Stripe had none.
    pub(super) derived: &'a mut Vec<String>,
    /// Canonical pointer → the value put in place of an empty Stripe field.
    pub(super) substituted: &'a mut Map,
    /// Stripe pointers of values the rules read that stay in the residue.
    pub(super) kept: &'a mut Vec<String>,
    /// The losses so far.
    pub(super) losses: &'a mut Vec<Loss>,
}

impl Forward<'_> {
    /// An input error at `pointer` of the Stripe payload.
    pub(super) fn error(
        &self,
        pointer: impl Into<String>,
        message: impl Into<String>,
    ) -> MappingError {
        input_error(self.mapper.object(), pointer, message)
    }

    /// Keeps a Stripe value the rules consumed under `extensions.stripe`,
    /// for a canonical field the glue replaces.
    pub(super) fn keep(&mut self, vendor_pointer: &str) {
        self.kept.push(vendor_pointer.to_owned());
    }

    /// Puts `value` at `pointer` of the record in place of a Stripe field
    /// that is empty: while the record holds it, the way back leaves that
    /// field as Stripe sent it (keep a value the rules consumed).
    pub(super) fn substitute(&mut self, pointer: &str, value: Value) {
        json::put(self.canonical, pointer, value.clone());
        self.substituted.insert(pointer.to_owned(), value);
    }
}

/// An input error at `pointer` of a Stripe `object`.
pub(super) fn input_error(
    object: &str,
    pointer: impl Into<String>,
    message: impl Into<String>,
) -> MappingError {
    MappingError::InvalidInput {
        vendor: super::VENDOR.to_owned(),
        object: object.to_owned(),
        pointer: pointer.into(),
        message: message.into(),
    }
}

/// The Rust side of one Stripe object's mapping.
pub(super) trait Glue: Send + Sync {
    /// Before the file's rules: the values an older API version keeps
    /// elsewhere, as (Stripe pointer, value) pairs the rules then read
    /// (a subscription's currency, on its items before it had its own).
    /// [`unfill`](Glue::unfill) takes them out again on the way back.
    ///
    /// # Errors
    ///
    /// [`MappingError::InvalidInput`] where those places disagree.
    fn fill_in(
        &self,
        mapper: &DeclarativeMapper,
        vendor: &Value,
    ) -> Result<Vec<(String, Value)>, MappingError> {
        let _ = (mapper, vendor);
        Ok(Vec::new())
    }

    /// After [`reverse`](Glue::reverse): takes the Stripe values at
    /// `filled` (what [`fill_in`](Glue::fill_in) filled in) out of `out`
    /// again, writing them where they came from.
    fn unfill(&self, filled: &[String], out: &mut Value) {
        for pointer in filled {
            json::remove(out, pointer);
        }
    }

    /// Adds the derived canonical fields after the file's rules ran.
    ///
    /// # Errors
    ///
    /// [`MappingError::InvalidInput`] for Stripe values the glue cannot read.
    fn forward(&self, cx: &mut Forward<'_>) -> Result<(), MappingError> {
        let _ = cx;
        Ok(())
    }

    /// Takes the derived canonical fields out (and undoes derived values)
    /// before the file's rules run backwards.
    fn strip(&self, canonical: &mut Value) {
        let _ = canonical;
    }

    /// After [`strip`](Glue::strip): changes the record the rules will
    /// write where they would write something Stripe does not accept, and
    /// reports each change in `losses` at its pointer in the record.
    /// `residue` is what the record kept under `extensions.stripe`.
    fn prepare(&self, stripped: &mut Value, residue: Option<&Value>, losses: &mut Vec<Loss>) {
        let _ = (stripped, residue, losses);
    }

    /// Fills in the Stripe fields the glue computes from `canonical`,
    /// where the rules and the residue left them empty. `kept` names the
    /// top-level Stripe fields the residue held (a record read from Stripe
    /// has them; one made elsewhere has at most what its author put under
    /// `extensions.stripe`, such as `metadata`). What the glue cannot write
    /// goes to `losses`, at its pointer in `canonical`.
    ///
    /// # Errors
    ///
    /// [`MappingError::InvalidInput`] when the record cannot be written.
    fn reverse(
        &self,
        mapper: &DeclarativeMapper,
        canonical: &Value,
        kept: &[String],
        out: &mut Value,
        losses: &mut Vec<Loss>,
    ) -> Result<(), MappingError> {
        let _ = (mapper, canonical, kept, out, losses);
        Ok(())
    }
}

/// The glue of the Stripe object of `spec`, the mapping file `file`.
///
/// # Errors
///
/// [`MappingError::InvalidSpec`] when the invoice file lacks the tax id
/// table the glue reads account tax ids with.
pub(super) fn for_object(spec: &MappingSpec, file: &str) -> Result<Box<dyn Glue>, MappingError> {
    Ok(match spec.object.as_str() {
        "invoice" => Box::new(DocumentGlue {
            kind: DocKind::Invoice,
            schemes: Schemes::from_spec(spec, file, "/customer_tax_ids")?,
        }),
        "credit_note" => {
            Box::new(DocumentGlue { kind: DocKind::CreditNote, schemes: Schemes::default() })
        }
        "payment_intent" => Box::new(PaymentIntentGlue),
        "charge" => Box::new(ChargeGlue),
        "subscription" => Box::new(SubscriptionGlue),
        "customer" => Box::new(CustomerGlue),
        "invoice_payment" => Box::new(InvoicePaymentGlue),
        _ => Box::new(NoGlue),
    })
}

/// Objects the file maps on its own.
struct NoGlue;

impl Glue for NoGlue {}

/// A customer's kind. From API version 2025-09-30.clover a Stripe customer
/// may carry `business_name` and `individual_name`: an individual name
/// without a business name is a person; anything else (older versions send
/// neither) is taken to be an organization.
struct CustomerGlue;

impl Glue for CustomerGlue {
    fn forward(&self, cx: &mut Forward<'_>) -> Result<(), MappingError> {
        let named = |p: &str| json::text(cx.vendor, p).is_some_and(|s| !s.trim().is_empty());
        let kind = if named("/individual_name") && !named("/business_name") {
            "individual"
        } else {
            "organization"
        };
        json::put(cx.canonical, "/kind", Value::from(kind.to_owned()));
        display_name(cx);
        // An address without a country is not a canonical address: left
        // out, kept and reported, as on invoices.
        if json::get(cx.canonical, "/addresses/0").is_some()
            && let Some(loss) = parties::no_country(cx.vendor, "/address/country", "/addresses/0")
        {
            json::remove(cx.canonical, "/addresses");
            cx.keep("/address");
            cx.losses.push(loss);
        }
        Ok(())
    }

    fn prepare(&self, stripped: &mut Value, residue: Option<&Value>, losses: &mut Vec<Loss>) {
        // A tax id read from Stripe has Stripe's type as its label, and its
        // other fields (`id`, `created`, ...) in the residue, item by item.
        let kept = |i: usize| {
            residue.is_some_and(|r| json::get(r, &format!("/tax_ids/data/{i}/id")).is_some())
        };
        tax_ids::prepare(stripped, "/tax_ids", &kept, losses);
    }

    fn strip(&self, canonical: &mut Value) {
        // No Stripe field holds the kind itself; it comes back from the
        // names kept in extensions, and the check after the way back
        // reports a kind that would not.
        json::remove(canonical, "/kind");
    }

    fn reverse(
        &self,
        _mapper: &DeclarativeMapper,
        canonical: &Value,
        kept: &[String],
        out: &mut Value,
        _losses: &mut Vec<Loss>,
    ) -> Result<(), MappingError> {
        if !made_elsewhere(kept) {
            return Ok(());
        }
        // A person is written the way Stripe (2025-09-30.clover and later)
        // says so: the name as `individual_name` too.
        if json::text(canonical, "/kind") == Some("individual")
            && let Some(name) = json::text(canonical, "/display_name").filter(|n| !n.is_empty())
        {
            fill(out, "/individual_name", Value::from(name.to_owned()));
        }
        Ok(())
    }
}

/// Where a customer's display name comes from when Stripe has no `name`
/// (it is optional, and often null): the names of 2025-09-30.clover, the
/// description ("often useful for displaying to users"), the email, the
/// id. Each with how the loss names it.
const DISPLAY_NAMES: &[(&str, &str)] = &[
    ("/business_name", "business name"),
    ("/individual_name", "individual name"),
    ("/description", "description"),
    ("/email", "email"),
    ("/id", "id"),
];

/// A customer without a name (null, absent or blank) gets the first of
/// [`DISPLAY_NAMES`] it has as its display name, reported as a fallback.
/// The substitute is not written back to `name` while the record holds
/// it: `name` comes back as Stripe sent it.
fn display_name(cx: &mut Forward<'_>) {
    let filled = |p: &str| json::text(cx.vendor, p).filter(|s| !s.trim().is_empty());
    // A name that is no string is not a Stripe name: the record check
    // refuses it.
    if filled("/name").is_some() || json::get(cx.vendor, "/name").is_some_and(|n| !n.is_string()) {
        return;
    }
    let Some((what, name)) =
        DISPLAY_NAMES.iter().find_map(|(p, what)| filled(p).map(|s| (*what, s.to_owned())))
    else {
        return;
    };
    // A blank name the rule read comes back from the residue; a null one
    // is there already.
    if json::text(cx.vendor, "/name").is_some() {
        cx.keep("/name");
    }
    cx.losses.push(Loss::new(
        LossKind::Fallback,
        "/name",
        format!(
            "the customer has no name: the display name is its {what}, {}, which is not written back to name",
            Value::from(name.as_str())
        ),
    ));
    cx.substitute("/display_name", Value::from(name));
}

/// True when the residue holds nothing a Stripe read leaves there: the
/// record was made outside Stripe (its author may have set Stripe
/// `metadata`). The payload of a record read from Stripe comes back from
/// its residue as Stripe sent it, whatever its API version.
fn made_elsewhere(kept: &[String]) -> bool {
    kept.iter().all(|k| k == "metadata")
}

/// Stripe's integer `quantity` at `vendor_at` of `out`: a fraction there is
/// taken out (Stripe refuses it) and reported at `canonical_at`.
pub(super) fn whole_quantity(
    out: &mut Value,
    vendor_at: &str,
    canonical_at: &str,
    what: &str,
    losses: &mut Vec<Loss>,
) {
    let Some(quantity) = json::get(out, vendor_at).and_then(json::decimal) else { return };
    if quantity.fract().is_zero() {
        return;
    }
    json::remove(out, vendor_at);
    losses.push(Loss::new(
        LossKind::Unsupported,
        canonical_at,
        format!("a Stripe {what} quantity is a whole number: {quantity} is not written (read back, the quantity is 1)"),
    ));
}

/// Writes `value` at `pointer` of `out` unless something is there.
pub(super) fn fill(out: &mut Value, pointer: &str, value: Value) {
    if json::get(out, pointer).is_none() {
        json::put(out, pointer, value);
    }
}

/// Payment method types and the canonical method, for payment intents
/// that allow exactly one type.
const METHODS: &[(&str, &str)] = &[
    ("card", "card"),
    ("sepa_debit", "direct_debit"),
    ("bacs_debit", "direct_debit"),
    ("au_becs_debit", "direct_debit"),
    ("acss_debit", "direct_debit"),
    ("us_bank_account", "direct_debit"),
    ("customer_balance", "bank_transfer"),
    ("sofort", "bank_transfer"),
    ("ideal", "wallet"),
    ("bancontact", "wallet"),
    ("eps", "wallet"),
    ("giropay", "wallet"),
    ("p24", "wallet"),
    ("link", "wallet"),
    ("paypal", "wallet"),
    ("alipay", "wallet"),
    ("wechat_pay", "wallet"),
    ("cashapp", "wallet"),
    ("amazon_pay", "wallet"),
    ("revolut_pay", "wallet"),
];

/// `requires_payment_method` after a declined attempt is a failure, not a
/// wait; the method is known when only one type is allowed.
struct PaymentIntentGlue;

impl Glue for PaymentIntentGlue {
    fn forward(&self, cx: &mut Forward<'_>) -> Result<(), MappingError> {
        if json::text(cx.vendor, "/status") == Some("requires_payment_method")
            && json::get(cx.vendor, "/last_payment_error").is_some()
        {
            json::put(cx.canonical, "/status", Value::from("failed".to_owned()));
        }
        if let [only] = json::array(cx.vendor, "/payment_method_types")
            && let Some(kind) = only.as_str()
        {
            let method = METHODS.iter().find(|(k, _)| *k == kind).map_or("other", |(_, m)| m);
            json::put(cx.canonical, "/method", Value::from(method.to_owned()));
        }
        Ok(())
    }

    fn strip(&self, canonical: &mut Value) {
        json::replace_text(canonical, "/status", "failed", "pending");
        json::remove(canonical, "/method");
    }

    fn reverse(
        &self,
        _mapper: &DeclarativeMapper,
        canonical: &Value,
        kept: &[String],
        out: &mut Value,
        _losses: &mut Vec<Loss>,
    ) -> Result<(), MappingError> {
        if !made_elsewhere(kept) {
            return Ok(());
        }
        if json::text(canonical, "/status") == Some("failed") {
            json::put(out, "/status", Value::from("requires_payment_method".to_owned()));
        }
        if let Some(method) = json::text(canonical, "/method")
            && let Some((kind, _)) = METHODS.iter().find(|(_, m)| *m == method)
        {
            fill(out, "/payment_method_types", Value::Array(vec![Value::from((*kind).to_owned())]));
        }
        Ok(())
    }
}

/// A succeeded charge that is not captured yet is only authorised.
struct ChargeGlue;

impl Glue for ChargeGlue {
    fn forward(&self, cx: &mut Forward<'_>) -> Result<(), MappingError> {
        if json::text(cx.vendor, "/status") == Some("succeeded")
            && cx.vendor.get("captured") == Some(&Value::Bool(false))
        {
            json::put(cx.canonical, "/status", Value::from("authorized".to_owned()));
        }
        Ok(())
    }

    fn strip(&self, canonical: &mut Value) {
        json::replace_text(canonical, "/status", "authorized", "completed");
    }

    fn reverse(
        &self,
        _mapper: &DeclarativeMapper,
        canonical: &Value,
        kept: &[String],
        out: &mut Value,
        _losses: &mut Vec<Loss>,
    ) -> Result<(), MappingError> {
        if !made_elsewhere(kept) {
            return Ok(());
        }
        if json::text(canonical, "/status") == Some("authorized") {
            json::put(out, "/captured", Value::Bool(false));
        }
        Ok(())
    }
}

/// A subscription item without a per-unit price (tiered, volume or custom
/// pricing) has no canonical unit price: it is zero, and reported.
struct SubscriptionGlue;

/// Where a subscription item's currency is, below the item.
const ITEM_CURRENCIES: &[&str] = &["/price/currency", "/plan/currency"];

impl Glue for SubscriptionGlue {
    /// A subscription had no `currency` of its own until Stripe added one
    /// (the 2022-04-12 spec, API 2020-08-27, has none): it is the currency
    /// of its items' price (and plan), which all items share. The rules
    /// read it from there.
    fn fill_in(
        &self,
        mapper: &DeclarativeMapper,
        vendor: &Value,
    ) -> Result<Vec<(String, Value)>, MappingError> {
        // A null currency is not this shape (nor a Stripe value): the
        // rules refuse it.
        if vendor.get("currency").is_some() {
            return Ok(Vec::new());
        }
        let error = |at: &str, message: String| input_error(mapper.object(), at, message);
        let mut first: Option<(String, String)> = None;
        for (i, item) in json::array(vendor, "/items/data").iter().enumerate() {
            for rel in ITEM_CURRENCIES {
                let Some(found) = json::get(item, rel) else { continue };
                let at = format!("/items/data/{i}{rel}");
                let Some(code) = found.as_str() else {
                    return Err(error(&at, format!("expected a currency code, but found {found}")));
                };
                match &first {
                    None => {
                        Currency::from_code(&code.to_uppercase())
                            .map_err(|e| error(&at, e.to_string()))?;
                        first = Some((at, code.to_ascii_lowercase()));
                    }
                    Some((there, expected)) if !code.eq_ignore_ascii_case(expected) => {
                        return Err(error(
                            &at,
                            format!(
                                "expected {} (the currency at {there}: a subscription's items share one currency), but found {found}",
                                Value::from(expected.as_str())
                            ),
                        ));
                    }
                    Some(_) => {}
                }
            }
        }
        Ok(first.map(|(_, code)| ("/currency".to_owned(), Value::from(code))).into_iter().collect())
    }

    /// The currency goes back onto the items' price and plan it came from
    /// (each as it was while it is the same currency; a price or plan that
    /// had none gets none); with no price or plan to hold it, it stays at
    /// the top.
    fn unfill(&self, filled: &[String], out: &mut Value) {
        if !filled.iter().any(|p| p == "/currency") {
            return;
        }
        let Some(code) = json::text(out, "/currency").map(str::to_owned) else { return };
        let mut places = Vec::new();
        for i in 0..json::array(out, "/items/data").len() {
            for rel in ITEM_CURRENCIES {
                let at = format!("/items/data/{i}{rel}");
                // The residue brought back the currencies Stripe sent.
                if json::get(out, &at).is_some() {
                    places.push(at);
                }
            }
        }
        if places.is_empty() {
            return;
        }
        json::remove(out, "/currency");
        for at in places {
            if !json::text(out, &at).is_some_and(|c| c.eq_ignore_ascii_case(&code)) {
                json::put(out, &at, Value::from(code.clone()));
            }
        }
    }

    fn forward(&self, cx: &mut Forward<'_>) -> Result<(), MappingError> {
        // Stripe's item quantities are whole numbers; a fraction is not a
        // Stripe payload (and could not be written back).
        for (i, item) in json::array(cx.vendor, "/items/data").iter().enumerate() {
            if let Some(q) = json::get(item, "/quantity").and_then(json::decimal)
                && !q.fract().is_zero()
            {
                return Err(cx.error(
                    format!("/items/data/{i}/quantity"),
                    format!("expected a whole number (Stripe subscription item quantities are), but found {q}"),
                ));
            }
        }
        let Some(currency) = json::text(cx.canonical, "/currency").map(str::to_owned) else {
            return Ok(());
        };
        prices_in_another_currency(cx, &currency)?;
        let count = json::array(cx.canonical, "/lines").len();
        for i in 0..count {
            let line = format!("/lines/{i}");
            if json::get(cx.canonical, &format!("{line}/unit_price")).is_some() {
                continue;
            }
            let zero = crate::json!({"amount": "0", "currency": currency});
            json::put(cx.canonical, &format!("{line}/unit_price"), zero);
            cx.derived.push(format!("{line}/unit_price"));
            cx.losses.push(Loss::new(
                LossKind::Lossy,
                format!("/items/data/{i}/price"),
                "the price has no per-unit amount (tiered or custom pricing): the canonical unit price is 0",
            ));
        }
        Ok(())
    }

    fn reverse(
        &self,
        _mapper: &DeclarativeMapper,
        canonical: &Value,
        _kept: &[String],
        out: &mut Value,
        losses: &mut Vec<Loss>,
    ) -> Result<(), MappingError> {
        for i in 0..json::array(canonical, "/lines").len() {
            whole_quantity(
                out,
                &format!("/items/data/{i}/quantity"),
                &format!("/lines/{i}/quantity"),
                "subscription item",
                losses,
            );
        }
        Ok(())
    }
}

/// The unit amounts the rules read, by where the price is below an item.
const UNIT_AMOUNTS: &[(&str, &str)] =
    &[("/price", "/unit_amount_decimal"), ("/plan", "/amount_decimal")];

/// Items whose price is in another currency than the subscription (a
/// multi-currency price: its `currency` is its default one, and the
/// subscription bills one of its `currency_options`): the price's own
/// unit amount, which the rules read as the subscription's currency, is in
/// the other one. The unit price is the option's, when Stripe sent it
/// (`currency_options` is there only when expanded), else 0, reported as
/// incomplete; the price's amount stays in extensions either way.
fn prices_in_another_currency(cx: &mut Forward<'_>, currency: &str) -> Result<(), MappingError> {
    let Ok(code) = Currency::from_code(currency) else { return Ok(()) };
    let Some(exp) = cx.mapper.minor_units_of(code) else { return Ok(()) };
    let lower = currency.to_ascii_lowercase();
    for (i, item) in json::array(cx.vendor, "/items/data").iter().enumerate() {
        let Some((holder, amount)) =
            UNIT_AMOUNTS.iter().find(|(h, a)| json::get(item, &format!("{h}{a}")).is_some())
        else {
            continue;
        };
        let Some(own) = json::text(item, &format!("{holder}/currency")) else { continue };
        if own.eq_ignore_ascii_case(currency) {
            continue;
        }
        let at = format!("/items/data/{i}{holder}");
        let option_at = format!("/currency_options/{lower}/unit_amount_decimal");
        let unit = match json::get(item, &format!("{holder}{option_at}")) {
            Some(minor) => {
                let shifted = json::decimal(minor).and_then(|mut m| {
                    m.set_scale(m.scale().checked_add(exp)?).ok()?;
                    Some(m)
                });
                shifted.ok_or_else(|| {
                    cx.error(
                        format!("{at}{option_at}"),
                        format!("expected a decimal count of minor units, but found {minor}"),
                    )
                })?
            }
            None => {
                cx.losses.push(Loss::new(
                    LossKind::Incomplete,
                    format!("{at}/currency_options"),
                    format!(
                        "the {} is in {}, the subscription in {currency}: its {currency} unit amount is in currency_options, which Stripe sends only when expanded; the canonical unit price is 0",
                        holder.trim_start_matches('/'),
                        own.to_uppercase(),
                    ),
                ));
                rust_decimal::Decimal::ZERO
            }
        };
        let line = format!("/lines/{i}/unit_price");
        if json::get(cx.canonical, &line).is_some() {
            json::put(cx.canonical, &line, json::money_of(unit, code));
            cx.derived.push(line);
            cx.keep(&format!("{at}{amount}"));
        }
    }
    Ok(())
}

/// A cancelled invoice payment moved no money, so it applies nothing
/// (PAY-FAILED-APPLIED): the application the file reads is taken out, and
/// the invoice Stripe names stays under `extensions.stripe` (the link is
/// kept, and the payload comes back whole).
struct InvoicePaymentGlue;

impl Glue for InvoicePaymentGlue {
    fn forward(&self, cx: &mut Forward<'_>) -> Result<(), MappingError> {
        if json::text(cx.vendor, "/status") == Some("canceled")
            && json::get(cx.canonical, "/applications").is_some()
        {
            json::remove(cx.canonical, "/applications");
            cx.keep("/invoice");
        }
        Ok(())
    }
}
