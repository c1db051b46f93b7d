//! Personal and banking data kept out of `Debug` output.
//!
//! Records reach logs through `{:?}` — a `tracing` field, an `expect`
//! message, a test failure — and logs are kept longer and read by more
//! people than the systems the records come from. So `Debug` of every
//! entity and part masks what identifies a person or an account:
//!
//! | what | shown as |
//! | --- | --- |
//! | people's names (customers of kind individual, given and family names, contacts, account holders, parties and delivery names) | `"[redacted]"` |
//! | e-mail addresses (also electronic addresses with an `@`) | `"[redacted]@example.com"` (the domain kept) |
//! | phone numbers | `"[redacted]67"` (the last two digits) |
//! | tax ids, IBANs, account and card numbers, mandate references | `"[redacted]3000"` (the last four characters) |
//! | extensions (vendor fields, which hold all of the above) | their namespaces and member counts |
//!
//! Everything else (ids, amounts, dates, codes, organisation names in
//! `legal_name` of an organisation) prints as it is. To see a record
//! whole, wrap it: `format!("{:?}", Unredacted(&customer))` — for a
//! debugging session, never for logs. Serialization (`serde`) is never
//! redacted: it is the data.

use std::cell::Cell;
use std::fmt;

thread_local! {
    /// How many [`Unredacted`] wrappers are formatting on this thread.
    static REVEAL: Cell<u32> = const { Cell::new(0) };
}

/// Shows a record's `Debug` output without redaction: what deriving
/// `Debug` would print. `Debug` of entities and parts masks personal and
/// banking data by default (`docs/privacy.md` lists what and how).
///
/// ```
/// use canonical_finance::model::{Contact, Unredacted};
///
/// let mut contact = Contact::default();
/// contact.email = Some("ada@example.com".to_owned());
/// assert!(format!("{contact:?}").contains("\"[redacted]@example.com\""));
/// assert!(format!("{:?}", Unredacted(&contact)).contains("\"ada@example.com\""));
/// ```
pub struct Unredacted<'a, T: ?Sized>(pub &'a T);

impl<T: fmt::Debug + ?Sized> fmt::Debug for Unredacted<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        /// Counts down again however the formatting ends.
        struct Revealing;
        impl Drop for Revealing {
            fn drop(&mut self) {
                REVEAL.with(|r| r.set(r.get().saturating_sub(1)));
            }
        }
        REVEAL.with(|r| r.set(r.get().saturating_add(1)));
        let _revealing = Revealing;
        self.0.fmt(f)
    }
}

fn revealed() -> bool {
    REVEAL.with(|r| r.get() > 0)
}

/// How a value is masked.
#[derive(Clone, Copy)]
pub(crate) enum Mask {
    /// A person's name: nothing kept.
    Name,
    /// An e-mail address: its domain kept.
    Email,
    /// A phone number: its last two digits kept.
    Phone,
    /// A tax id, an IBAN, an account or card number: its last four kept.
    LastFour,
    /// Not masked.
    Plain,
}

/// A text field as `Debug` shows it.
pub(crate) struct Shown<'a>(pub(crate) &'a str, pub(crate) Mask);

impl Shown<'_> {
    fn masked(text: &str, mask: Mask) -> String {
        const R: &str = "[redacted]";
        let tail = |n: usize| {
            let chars: Vec<char> = text.chars().collect();
            let keep = chars.len().saturating_sub(n).max(chars.len() / 2);
            chars.get(keep..).map(|t| t.iter().collect::<String>()).unwrap_or_default()
        };
        match mask {
            Mask::Name => R.to_owned(),
            Mask::Email => match text.rsplit_once('@') {
                Some((_, domain)) => format!("{R}@{domain}"),
                None => R.to_owned(),
            },
            Mask::Phone => format!("{R}{}", tail(2)),
            Mask::LastFour => format!("{R}{}", tail(4)),
            Mask::Plain => text.to_owned(),
        }
    }
}

impl fmt::Debug for Shown<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if revealed() || matches!(self.1, Mask::Plain) {
            fmt::Debug::fmt(self.0, f)
        } else {
            fmt::Debug::fmt(&Shown::masked(self.0, self.1), f)
        }
    }
}

/// An optional text field, masked (`Some("[redacted]")`, as derived
/// `Debug` would write it).
pub(crate) fn opt(value: &Option<String>, mask: Mask) -> Option<Shown<'_>> {
    value.as_deref().map(|v| Shown(v, mask))
}

/// A text field, masked.
pub(crate) fn text(value: &str, mask: Mask) -> Shown<'_> {
    Shown(value, mask)
}

/// Vendor values: the namespaces and how many members each holds.
pub(crate) struct Outline<'a>(pub(crate) &'a super::Extensions);

impl fmt::Debug for Outline<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let mut map = f.debug_map();
        for (namespace, value) in self.0.iter() {
            let members = match value {
                crate::json::Value::Object(m) => m.len(),
                crate::json::Value::Array(a) => a.len(),
                _ => 1,
            };
            map.entry(&namespace, &format_args!("[{members} redacted]"));
        }
        map.finish()
    }
}

/// An electronic address (BT-34, BT-49): masked as an e-mail address when
/// it is one, shown otherwise (a Peppol participant id).
struct Electronic<'a>(&'a super::Identifier);

impl fmt::Debug for Electronic<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let super::Identifier { value, scheme } = self.0;
        let mask = if value.contains('@') { Mask::Email } else { Mask::LastFour };
        f.debug_struct("Identifier")
            .field("value", &text(value, mask))
            .field("scheme", scheme)
            .finish()
    }
}

impl fmt::Debug for super::Contact {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let super::Contact { name, email, phone, role } = self;
        f.debug_struct("Contact")
            .field("name", &opt(name, Mask::Name))
            .field("email", &opt(email, Mask::Email))
            .field("phone", &opt(phone, Mask::Phone))
            .field("role", role)
            .finish()
    }
}

impl fmt::Debug for super::BankAccount {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let super::BankAccount {
            holder_name,
            iban,
            bic,
            account_number,
            routing_number,
            routing_scheme,
            bank_name,
            country,
            currency,
        } = self;
        f.debug_struct("BankAccount")
            .field("holder_name", &opt(holder_name, Mask::Name))
            .field("iban", &opt(iban, Mask::LastFour))
            .field("bic", bic)
            .field("account_number", &opt(account_number, Mask::LastFour))
            .field("routing_number", routing_number)
            .field("routing_scheme", routing_scheme)
            .field("bank_name", bank_name)
            .field("country", country)
            .field("currency", currency)
            .finish()
    }
}

impl fmt::Debug for super::TaxId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let super::TaxId { scheme, value, country, label } = self;
        f.debug_struct("TaxId")
            .field("scheme", scheme)
            .field("value", &text(value, Mask::LastFour))
            .field("country", country)
            .field("label", label)
            .finish()
    }
}

impl fmt::Debug for super::Extensions {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if revealed() {
            let all: std::collections::BTreeMap<&str, &crate::json::Value> = self.iter().collect();
            return f.debug_tuple("Extensions").field(&all).finish();
        }
        f.debug_tuple("Extensions").field(&Outline(self)).finish()
    }
}

impl fmt::Debug for super::Customer {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let super::Customer {
            id,
            kind,
            status,
            roles,
            display_name,
            legal_name,
            given_name,
            family_name,
            customer_number,
            email,
            phone,
            website,
            tax_ids,
            addresses,
            contacts,
            bank_accounts,
            default_currency,
            payment_terms,
            credit_limit,
            parent,
            external_refs,
            extensions,
            created_at,
            updated_at,
            provenance,
        } = self;
        // An organisation's names are not personal data; a person's are.
        let name_mask =
            if *kind == super::CustomerKind::Individual { Mask::Name } else { Mask::Plain };
        f.debug_struct("Customer")
            .field("id", id)
            .field("kind", kind)
            .field("status", status)
            .field("roles", roles)
            .field("display_name", &text(display_name, name_mask))
            .field("legal_name", &opt(legal_name, name_mask))
            .field("given_name", &opt(given_name, Mask::Name))
            .field("family_name", &opt(family_name, Mask::Name))
            .field("customer_number", customer_number)
            .field("email", &opt(email, Mask::Email))
            .field("phone", &opt(phone, Mask::Phone))
            .field("website", website)
            .field("tax_ids", tax_ids)
            .field("addresses", addresses)
            .field("contacts", contacts)
            .field("bank_accounts", bank_accounts)
            .field("default_currency", default_currency)
            .field("payment_terms", payment_terms)
            .field("credit_limit", credit_limit)
            .field("parent", parent)
            .field("external_refs", external_refs)
            .field("extensions", extensions)
            .field("created_at", created_at)
            .field("updated_at", updated_at)
            .field("provenance", provenance)
            .finish()
    }
}

impl fmt::Debug for super::Party {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let super::Party {
            name,
            trading_name,
            identifiers,
            tax_ids,
            electronic_address,
            address,
            contact,
            external_refs,
        } = self;
        // A party may be a person (a consumer buyer): its names are masked.
        f.debug_struct("Party")
            .field("name", &opt(name, Mask::Name))
            .field("trading_name", &opt(trading_name, Mask::Name))
            .field("identifiers", identifiers)
            .field("tax_ids", tax_ids)
            .field("electronic_address", &electronic_address.as_ref().map(Electronic))
            .field("address", address)
            .field("contact", contact)
            .field("external_refs", external_refs)
            .finish()
    }
}

impl fmt::Debug for super::Delivery {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let super::Delivery { party_name, location_id, date, address } = self;
        f.debug_struct("Delivery")
            .field("party_name", &opt(party_name, Mask::Name))
            .field("location_id", location_id)
            .field("date", date)
            .field("address", address)
            .finish()
    }
}

impl fmt::Debug for super::PaymentInstruction {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let super::PaymentInstruction {
            means,
            means_code,
            remittance_reference,
            account,
            mandate_reference,
            card_number,
            payment_url,
        } = self;
        f.debug_struct("PaymentInstruction")
            .field("means", means)
            .field("means_code", means_code)
            .field("remittance_reference", remittance_reference)
            .field("account", account)
            .field("mandate_reference", &opt(mandate_reference, Mask::LastFour))
            .field("card_number", &opt(card_number, Mask::LastFour))
            .field("payment_url", payment_url)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::{Mask, Shown};

    #[test]
    fn masks_keep_only_what_they_say() {
        assert_eq!(Shown::masked("Ada Lovelace", Mask::Name), "[redacted]");
        assert_eq!(
            Shown::masked("ada@lovelace.example", Mask::Email),
            "[redacted]@lovelace.example"
        );
        assert_eq!(Shown::masked("not an address", Mask::Email), "[redacted]");
        assert_eq!(Shown::masked("+49 40 1234567", Mask::Phone), "[redacted]67");
        assert_eq!(Shown::masked("DE89370400440532013000", Mask::LastFour), "[redacted]3000");
        // Short values keep at most half of themselves.
        assert_eq!(Shown::masked("123", Mask::LastFour), "[redacted]23");
        assert_eq!(Shown::masked("", Mask::LastFour), "[redacted]");
        assert_eq!(Shown::masked("Ünïcødé", Mask::LastFour), "[redacted]cødé");
    }
}
