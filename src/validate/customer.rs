//! Customer rules.

use super::fields::{self, Loc, has_text, is_blank, quoted};
use super::{Rule, Violation};
use crate::model::{Customer, CustomerKind, Entity};

const E: Entity = Entity::Customer;

pub(super) const DISPLAY_NAME: Rule =
    Rule::error("CUS-DISPLAY-NAME", E, "the display name is not blank").en(&["BT-45"]);
pub(super) const LEGAL_NAME: Rule =
    Rule::error("CUS-LEGAL-NAME", E, "a legal name, when given, is not blank").en(&["BT-44"]);
pub(super) const INDIVIDUAL_NAME: Rule =
    Rule::warning("CUS-INDIVIDUAL-NAME", E, "an individual has a given name or a family name");
pub(super) const CREDIT_LIMIT: Rule =
    Rule::error("CUS-CREDIT-LIMIT", E, "the credit limit is not negative");
pub(super) const CREDIT_LIMIT_CURRENCY: Rule = Rule::error(
    "CUS-CREDIT-LIMIT-CURRENCY",
    E,
    "the credit limit is in the default currency when both are given",
);
pub(super) const PARENT: Rule = Rule::error(
    "CUS-PARENT",
    E,
    "the parent reference gives an id or an external ref, and does not name the customer itself",
);
pub(super) const WEBSITE: Rule = Rule::warning(
    "CUS-WEBSITE",
    E,
    "the web site is a web address (`https://example.com`, or `example.com` read as https)",
);

pub(super) const ROLES: Rule =
    Rule::error("CUS-ROLES", E, "the roles name at least one of customer and supplier, each once");

pub(super) static RULES: &[Rule] = &[
    ROLES,
    DISPLAY_NAME,
    LEGAL_NAME,
    INDIVIDUAL_NAME,
    CREDIT_LIMIT,
    CREDIT_LIMIT_CURRENCY,
    PARENT,
    WEBSITE,
];

pub(super) fn check(record: &Customer, out: &mut Vec<Violation>) {
    roles(record, out);
    names(record, out);
    contact_details(record, out);
    parts(record, out);
    credit_limit(record, out);
    parent(record, out);
    let root = Loc::ROOT;
    fields::check_external_refs_at(&record.external_refs, &root.field("external_refs"), out);
}

fn roles(c: &Customer, out: &mut Vec<Violation>) {
    if c.roles.is_empty() {
        out.push(Violation::new(
            &ROLES,
            "/roles",
            "expected the party's roles, customer or supplier or both, but found none",
        ));
    }
    for (i, role) in c.roles.iter().enumerate() {
        if c.roles.get(..i).is_some_and(|earlier| earlier.contains(role)) {
            out.push(Violation::new(
                &ROLES,
                format!("/roles/{i}"),
                "expected each role once, but found this one twice",
            ));
        }
    }
}

fn names(c: &Customer, out: &mut Vec<Violation>) {
    if is_blank(&c.display_name) {
        out.push(Violation::new(
            &DISPLAY_NAME,
            "/display_name",
            "expected the name people use for the customer, but found an empty value",
        ));
    }
    if c.legal_name.as_deref().is_some_and(is_blank) {
        out.push(Violation::new(
            &LEGAL_NAME,
            "/legal_name",
            "expected the registered legal name or no legal_name, but found an empty value",
        ));
    }
    if c.kind == CustomerKind::Individual
        && !has_text(c.given_name.as_ref())
        && !has_text(c.family_name.as_ref())
    {
        out.push(Violation::new(
            &INDIVIDUAL_NAME,
            "/given_name",
            // The display name is a person's: the message does not repeat it.
            "expected a given_name or a family_name for an individual, but found neither",
        ));
    }
}

fn contact_details(c: &Customer, out: &mut Vec<Violation>) {
    if let Some(email) = &c.email {
        fields::check_email_at(email, &Loc::ROOT.field("email"), out);
    }
    if let Some(phone) = &c.phone {
        fields::check_phone_at(phone, &Loc::ROOT.field("phone"), out);
    }
    if let Some(site) = &c.website
        && !is_web_address(site)
    {
        out.push(Violation::new(
            &WEBSITE,
            "/website",
            format!(
                "expected a web address such as `https://example.com`, but found {}",
                quoted(site)
            ),
        ));
    }
}

/// True for an absolute URL, or for a host name and path that make one
/// with `https://` in front (`www.example.com`).
fn is_web_address(site: &str) -> bool {
    if site.is_empty() || site.chars().any(char::is_whitespace) {
        return false;
    }
    if site.contains("://") {
        return fields::is_url(site);
    }
    // A bare host needs a dot: `example` alone is no address.
    let host = site.split(['/', '?', '#']).next().unwrap_or_default();
    host.contains('.') && fields::is_https_url_of(site)
}

fn parts(c: &Customer, out: &mut Vec<Violation>) {
    let root = Loc::ROOT;
    let tax_ids = root.field("tax_ids");
    for (i, tax_id) in c.tax_ids.iter().enumerate() {
        fields::check_tax_id_at(tax_id, &tax_ids.index(i), out);
    }
    let addresses = root.field("addresses");
    for (i, address) in c.addresses.iter().enumerate() {
        fields::check_address_at(address, &addresses.index(i), out);
    }
    let contacts = root.field("contacts");
    for (i, contact) in c.contacts.iter().enumerate() {
        fields::check_contact_at(contact, &contacts.index(i), out);
    }
    let accounts = root.field("bank_accounts");
    for (i, account) in c.bank_accounts.iter().enumerate() {
        fields::check_bank_account_at(account, &accounts.index(i), out);
    }
    if let Some(terms) = &c.payment_terms {
        fields::check_payment_terms_at(terms, &root.field("payment_terms"), out);
    }
}

fn credit_limit(c: &Customer, out: &mut Vec<Violation>) {
    let Some(limit) = c.credit_limit else {
        return;
    };
    if limit.is_negative() {
        out.push(Violation::new(
            &CREDIT_LIMIT,
            "/credit_limit",
            format!("expected a credit limit of zero or more, but found {limit}"),
        ));
    }
    if let Some(currency) = c.default_currency
        && limit.currency() != currency
    {
        out.push(Violation::new(
            &CREDIT_LIMIT_CURRENCY,
            "/credit_limit/currency",
            format!(
                "expected the credit limit in the default currency {currency}, but found {}",
                limit.currency()
            ),
        ));
    }
}

fn parent(c: &Customer, out: &mut Vec<Violation>) {
    let Some(parent) = &c.parent else {
        return;
    };
    let root = Loc::ROOT;
    let at = root.field("parent");
    if !parent.is_resolvable() {
        out.push(Violation::new(
            &PARENT,
            at.pointer(),
            "expected the parent's id or an external ref, but found neither",
        ));
    }
    if parent.id.as_ref() == Some(&c.id) {
        out.push(Violation::new(
            &PARENT,
            at.pointer_to("id"),
            format!(
                "expected another customer as the parent, but found the customer's own id {}",
                quoted(c.id.as_str())
            ),
        ));
    } else if let Some(j) = parent.external_refs.iter().position(|r| c.external_refs.contains(r)) {
        let refs = at.field("external_refs");
        let own =
            parent.external_refs.get(j).map(|r| format!("{} {} {}", r.system, r.object_type, r.id));
        out.push(Violation::new(
            &PARENT,
            refs.index(j).pointer(),
            format!(
                "expected another customer as the parent, but found the customer's own external ref {}",
                quoted(&own.unwrap_or_default())
            ),
        ));
    }
    fields::check_external_refs_at(&parent.external_refs, &at.field("external_refs"), out);
}
