//! Field rules shared by every entity: IBAN, BIC, VAT ids, tax ids, bank
//! accounts, routing numbers, addresses, e-mail, telephone, contacts,
//! external references and payment terms.
//!
//! Bank identifiers are in [`bank`], VAT and tax ids in [`vat`].
//!
//! Field rules have no entity: they apply wherever the field appears. The
//! entity modules call the `*_at` checks with a [`Loc`], which builds the
//! JSON Pointer only when a violation is pushed, so checking a valid record
//! allocates nothing.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::hash::Hash;

use rust_decimal::Decimal;

use super::{Rule, Violation};
use crate::model::{Address, Contact, ExternalRef, PaymentTerms};
use crate::money::{ExchangeRate, Money, MoneyError, Rounding, escape};

/// IBAN: ISO 13616 check digits and the registered country format.
pub(crate) const IBAN: Rule = Rule::field(
    "IBAN",
    "an IBAN is in the electronic form without spaces, has valid ISO 13616 check digits (mod 97) and the length and BBAN format registered for its country",
)
.en(&["BT-84"]);
/// BIC: ISO 9362 structure.
pub(crate) const BIC: Rule = Rule::field(
    "BIC",
    "a BIC has 8 or 11 upper-case letters or digits: a 4-character party prefix, an ISO 3166-1 country code, a 2-character location and an optional 3-character branch (ISO 9362, ISO 20022 BICFIDec2014Identifier)",
)
.en(&["BT-86"]);
/// VAT id prefix: EN 16931 BR-CO-09 exactly.
pub(crate) const VAT_PREFIX: Rule = Rule::field(
    "BR-CO-09",
    "a VAT id starts with a country prefix: an upper-case ISO 3166-1 alpha-2 code, EL (Greece), XI (Northern Ireland) or 1A (Kosovo)",
)
.en(&["BR-CO-09", "BT-31", "BT-48", "BT-63"]);
/// VAT id: the rest of its form, per-country format, agreement with `country`.
pub(crate) const VAT_ID: Rule = Rule::field(
    "VAT-ID",
    "a VAT id with a valid prefix is written as issued, upper case without spaces or punctuation; Greece's is EL, never GR; ids of the 27 EU member states, XI and GB follow their country's length and character format; the prefix agrees with the tax id's country",
)
.en(&["BT-31", "BT-48", "BT-63"]);
/// Tax id: a value as issued.
pub(crate) const TAX_ID: Rule = Rule::field(
    "TAX-ID",
    "a tax or registration id has a non-blank value without leading or trailing spaces (VAT ids: no spaces at all), and a tax id of scheme other names its kind in label",
);
/// Bank account: an IBAN or an account number.
pub(crate) const BANK_ACCOUNT_ID: Rule = Rule::field(
    "BANK-ACCOUNT-ID",
    "a bank account has an IBAN or a domestic account number (on an invoice's payment instruction this is BR-50)",
)
.en(&["BT-84"]);
/// Routing number: the scheme's format.
pub(crate) const ROUTING_NUMBER: Rule = Rule::field(
    "ROUTING-NUMBER",
    "a routing number follows its scheme (ABA: 9 digits with a valid check digit; sort code and BSB: 6 digits; IFSC: 4 letters, 0 and 6 letters or digits; CLABE: 18 digits with a valid check digit; Canadian: 8 or 9 digits), and a routing scheme comes with a routing number",
);
/// Address: something besides the country.
pub(crate) const ADDRESS: Rule = Rule::field(
    "ADDRESS",
    "an address has a street line, a city or a postal code besides its country",
);
/// E-mail address syntax.
pub(crate) const EMAIL: Rule = Rule::field(
    "EMAIL",
    "an e-mail address follows the HTML5 e-mail grammar: a local part, @ and a domain name or address literal",
);
/// Telephone number plausibility.
pub(crate) const PHONE: Rule = Rule::field(
    "PHONE",
    "a telephone number has 5 to 20 digits and besides them only spaces, -, (, ), . and a leading +",
);
/// Contact: someone to reach.
pub(crate) const CONTACT: Rule =
    Rule::field("CONTACT", "a contact has a name, an e-mail address or a telephone number");
/// External reference: complete.
pub(crate) const EXTERNAL_REF: Rule = Rule::field(
    "EXTERNAL-REF",
    "an external reference has a non-blank system, object type and id, and a non-blank tenant when it has one",
);
/// Payment terms: a coherent early-payment discount.
pub(crate) const PAYMENT_TERMS: Rule = Rule::field(
    "PAYMENT-TERMS",
    "payment terms are coherent: an early-payment discount has both a percentage above 0 and at most 100 and a number of days, not after the net days; a due day of the month is 1 to 31 and not given with net days; end_of_month comes with net days and due_months_after with a due day of the month",
)
.en(&["BT-20"]);

pub(super) static RULES: &[Rule] = &[
    IBAN,
    BIC,
    VAT_PREFIX,
    VAT_ID,
    TAX_ID,
    BANK_ACCOUNT_ID,
    ROUTING_NUMBER,
    ADDRESS,
    EMAIL,
    PHONE,
    CONTACT,
    EXTERNAL_REF,
    PAYMENT_TERMS,
    text::PLAIN_TEXT,
];

// ---------------------------------------------------------------------------
// Locations

/// Where a field sits in the canonical JSON, as a chain of borrowed
/// segments; the JSON Pointer text is built only by [`Loc::pointer`].
#[derive(Debug, Clone, Copy)]
pub(crate) enum Loc<'a> {
    /// A pointer given as text (`""` for the document).
    Text(&'a str),
    /// A member of an object. Member names are field names, which need no
    /// escaping.
    Field(&'a Loc<'a>, &'static str),
    /// An element of an array.
    Index(&'a Loc<'a>, usize),
}

impl<'a> Loc<'a> {
    /// The whole document.
    pub(crate) const ROOT: Loc<'static> = Loc::Text("");

    /// The member `name` of the object here.
    pub(crate) fn field(&'a self, name: &'static str) -> Loc<'a> {
        Loc::Field(self, name)
    }

    /// The element `index` of the array here.
    pub(crate) fn index(&'a self, index: usize) -> Loc<'a> {
        Loc::Index(self, index)
    }

    /// The RFC 6901 JSON Pointer.
    pub(crate) fn pointer(&self) -> String {
        let mut out = String::new();
        self.write(&mut out);
        out
    }

    /// The JSON Pointer of the member `name` of the object here.
    pub(crate) fn pointer_to(&self, name: &'static str) -> String {
        self.field(name).pointer()
    }

    fn write(&self, out: &mut String) {
        match self {
            Loc::Text(text) => out.push_str(text),
            Loc::Field(parent, name) => {
                parent.write(out);
                out.push('/');
                out.push_str(name);
            }
            Loc::Index(parent, index) => {
                parent.write(out);
                // Writing to a String cannot fail.
                let _ = write!(out, "/{index}");
            }
        }
    }
}

/// User text for a message: escaped, shortened, in backticks.
pub(crate) fn quoted(text: &str) -> String {
    format!("`{}`", escape(text))
}

/// A tax id, an IBAN or another number that identifies a person or an
/// account, as messages quote it: never in full (`docs/privacy.md`). Long
/// values keep their first two characters (a country code) and last four,
/// short ones at most their last half: `` `GB82…5432` ``, `` `…89` ``.
pub(crate) fn quoted_private(text: &str) -> String {
    let chars: Vec<char> = text.chars().collect();
    let n = chars.len();
    let tail_from = n.saturating_sub(4).max(n.div_ceil(2));
    let tail: String = chars.get(tail_from..).unwrap_or_default().iter().collect();
    let head: String = if n >= 10 { chars.iter().take(2).collect() } else { String::new() };
    format!("`{}…{}`", escape(&head), escape(&tail))
}

/// An e-mail address as messages quote it: its domain only.
pub(crate) fn quoted_email(text: &str) -> String {
    match text.rsplit_once('@') {
        Some((_, domain)) => format!("`…@{}`", escape(domain)),
        None => quoted_private(text),
    }
}

/// True when the text is empty or only white space.
pub(crate) fn is_blank(text: &str) -> bool {
    text.trim().is_empty()
}

/// True when the optional text is present and not blank.
pub(crate) fn has_text(text: Option<&String>) -> bool {
    text.is_some_and(|t| !is_blank(t))
}

mod bank;
mod text;
mod vat;
mod web;

pub(crate) use bank::{check_bank_account_at, check_bank_account_with};
pub use bank::{is_valid_bic, is_valid_iban};
pub(crate) use text::check_plain_text;
pub(crate) use vat::check_tax_id_at;
pub use vat::validate_vat_id;
pub(crate) use web::{is_email, is_https_url_of, is_url};

// ---------------------------------------------------------------------------
// Checks on parts of records

/// Checks an address at `at`.
pub(crate) fn check_address_at(address: &Address, at: &Loc<'_>, out: &mut Vec<Violation>) {
    let has_line = address.lines.iter().any(|l| !is_blank(l));
    if !has_line && !has_text(address.city.as_ref()) && !has_text(address.postal_code.as_ref()) {
        out.push(Violation::new(
            &ADDRESS,
            at.pointer(),
            format!(
                "expected a street line, a city or a postal code besides the country, but the address in {} has none",
                address.country
            ),
        ));
    }
}

/// Checks a contact at `at`.
pub(crate) fn check_contact_at(contact: &Contact, at: &Loc<'_>, out: &mut Vec<Violation>) {
    if !has_text(contact.name.as_ref())
        && !has_text(contact.email.as_ref())
        && !has_text(contact.phone.as_ref())
    {
        out.push(Violation::new(
            &CONTACT,
            at.pointer(),
            "expected a name, an email or a phone, but the contact has none",
        ));
    }
    if let Some(email) = &contact.email {
        check_email_at(email, &at.field("email"), out);
    }
    if let Some(phone) = &contact.phone {
        check_phone_at(phone, &at.field("phone"), out);
    }
}

/// Checks an e-mail address at `at`.
pub(crate) fn check_email_at(email: &str, at: &Loc<'_>, out: &mut Vec<Violation>) {
    if !is_email(email) {
        out.push(Violation::new(
            &EMAIL,
            at.pointer(),
            format!(
                "expected an e-mail address such as `billing@example.com`, but found {}",
                quoted_email(email)
            ),
        ));
    }
}

/// Checks a telephone number at `at`.
pub(crate) fn check_phone_at(phone: &str, at: &Loc<'_>, out: &mut Vec<Violation>) {
    let trimmed = phone.trim_start();
    let body = trimmed.strip_prefix('+').unwrap_or(trimmed);
    let allowed = body.chars().all(|c| c.is_ascii_digit() || " -().".contains(c));
    let digit_count = body.bytes().filter(u8::is_ascii_digit).count();
    if !allowed {
        out.push(Violation::new(
            &PHONE,
            at.pointer(),
            format!(
                "expected digits with only spaces, -, (, ), . and a leading +, such as `+49 30 1234567`, but found {}",
                quoted_private(phone)
            ),
        ));
    } else if !(5..=20).contains(&digit_count) {
        out.push(Violation::new(
            &PHONE,
            at.pointer(),
            format!("expected 5 to 20 digits, but {} has {digit_count}", quoted_private(phone)),
        ));
    }
}

/// Checks external references, `at` being the array.
pub(crate) fn check_external_refs_at(refs: &[ExternalRef], at: &Loc<'_>, out: &mut Vec<Violation>) {
    for (i, r) in refs.iter().enumerate() {
        let parts: [(&'static str, Option<&str>); 4] = [
            ("system", Some(r.system.as_str())),
            ("object_type", Some(r.object_type.as_str())),
            ("id", Some(r.id.as_str())),
            ("tenant", r.tenant.as_deref()),
        ];
        for (name, value) in parts {
            if value.is_some_and(is_blank) {
                let item = at.index(i);
                out.push(Violation::new(
                    &EXTERNAL_REF,
                    item.pointer_to(name),
                    format!("expected a non-blank {name}, but found an empty value"),
                ));
            }
        }
    }
}

/// Checks payment terms at `at`.
pub(crate) fn check_payment_terms_at(terms: &PaymentTerms, at: &Loc<'_>, out: &mut Vec<Violation>) {
    if let Some(percent) = terms.discount_percent
        && (percent <= Decimal::ZERO || percent > Decimal::ONE_HUNDRED)
    {
        out.push(Violation::new(
            &PAYMENT_TERMS,
            at.pointer_to("discount_percent"),
            format!("expected a discount above 0 and at most 100 percent, but found {percent}"),
        ));
    }
    match (terms.discount_percent, terms.discount_days) {
        (Some(_), None) => out.push(Violation::new(
            &PAYMENT_TERMS,
            at.pointer_to("discount_days"),
            "expected the days within which the discount applies, but found none",
        )),
        (None, Some(days)) => out.push(Violation::new(
            &PAYMENT_TERMS,
            at.pointer_to("discount_percent"),
            format!(
                "expected the discount percentage that applies within {days} days, but found none"
            ),
        )),
        _ => {}
    }
    if let Some(day) = terms.due_day_of_month
        && !(1..=31).contains(&day)
    {
        out.push(Violation::new(
            &PAYMENT_TERMS,
            at.pointer_to("due_day_of_month"),
            format!("expected a day of the month from 1 to 31, but found {day}"),
        ));
    }
    if let (Some(net), Some(day)) = (terms.net_days, terms.due_day_of_month) {
        out.push(Violation::new(
            &PAYMENT_TERMS,
            at.pointer_to("due_day_of_month"),
            format!(
                "expected either net days or a due day of the month, but found both: net {net} days and day {day}"
            ),
        ));
    }
    if terms.end_of_month && terms.net_days.is_none() {
        out.push(Violation::new(
            &PAYMENT_TERMS,
            at.pointer_to("end_of_month"),
            "expected the net days to count from the end of the month, but found none",
        ));
    }
    if let (Some(months), None) = (terms.due_months_after, terms.due_day_of_month) {
        out.push(Violation::new(
            &PAYMENT_TERMS,
            at.pointer_to("due_months_after"),
            format!(
                "expected the due day of the month that due_months_after {months} refers to, but found none"
            ),
        ));
    }
    if let (Some(days), Some(net)) = (terms.discount_days, terms.net_days)
        && !terms.end_of_month
        && days > net
    {
        out.push(Violation::new(
            &PAYMENT_TERMS,
            at.pointer_to("discount_days"),
            format!("expected discount days of at most the net days, {net}, but found {days}"),
        ));
    }
}

// ---------------------------------------------------------------------------
// Helpers for the entity rules

/// Calls `found(later, earlier)` for every item that shares a key with an
/// earlier one, `earlier` being the first such item. Small slices are
/// compared pairwise without allocating; large ones through a hash map.
pub(crate) fn for_each_duplicate<'a, T, K, I>(
    items: &'a [T],
    keys: impl Fn(&'a T) -> I,
    mut found: impl FnMut(usize, usize),
) where
    K: Eq + Hash,
    I: Iterator<Item = K>,
{
    const PAIRWISE_UP_TO: usize = 32;
    if items.len() <= PAIRWISE_UP_TO {
        for (j, later) in items.iter().enumerate() {
            let earlier = items
                .iter()
                .take(j)
                .position(|item| keys(item).any(|a| keys(later).any(|b| a == b)));
            if let Some(i) = earlier {
                found(j, i);
            }
        }
        return;
    }
    let mut seen: HashMap<K, usize> = HashMap::new();
    for (j, later) in items.iter().enumerate() {
        let earlier = keys(later).filter_map(|k| seen.get(&k).copied()).min();
        for k in keys(later) {
            seen.entry(k).or_insert(j);
        }
        if let Some(i) = earlier {
            found(j, i);
        }
    }
}

/// How a converted amount compares with the expected conversion.
pub(crate) enum Conversion {
    /// Within one minor unit of the rounded conversion.
    Agrees,
    /// Further off; the expected amount, rounded half-even to the target's
    /// minor units (or unrounded for currencies without minor units).
    Differs(Money),
}

/// Compares `converted` with `amount` converted by `rate`, allowing one
/// minor unit of the target currency either way (one unit of the last
/// decimal place of `converted` for currencies without minor units).
///
/// # Errors
///
/// [`MoneyError`] when `amount` is not in the rate's `from` currency,
/// `converted` not in its `to` currency, or the arithmetic overflows.
pub(crate) fn compare_conversion(
    rate: &ExchangeRate,
    amount: Money,
    converted: Money,
) -> Result<Conversion, MoneyError> {
    let (expected, unit_scale) = match rate.to().minor_units() {
        Some(dp) => (rate.convert(amount, Rounding::HalfEven)?, dp),
        None => (rate.convert_unrounded(amount)?, converted.amount().scale()),
    };
    let unit = Decimal::try_new(1, unit_scale)
        .map_err(|_| MoneyError::Overflow { operation: "convert" })?;
    let difference = expected.checked_sub(converted)?.abs();
    if difference.amount() <= unit {
        Ok(Conversion::Agrees)
    } else {
        Ok(Conversion::Differs(expected))
    }
}

/// How one unit of a rate reads in a message: `1 EUR = 1.0842 USD`.
pub(crate) fn describe_rate(rate: &ExchangeRate) -> String {
    format!("1 {} = {} {}", rate.from(), rate.rate(), rate.to())
}
