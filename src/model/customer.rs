//! [`Customer`]: a party the company sells to, buys from, or both.

use chrono::{DateTime, Utc};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{
    Address, BankAccount, Contact, CustomerId, CustomerRef, Extensions, ExternalRef, PartyRole,
    PaymentTerms, Provenance, TaxId,
};
use crate::money::{Currency, Money};

/// Whether a customer is a company or a person.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum CustomerKind {
    /// A company, public body, association or other organisation.
    Organization,
    /// A natural person.
    Individual,
}

/// Whether a customer can be sold to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum CustomerStatus {
    /// In use.
    Active,
    /// Kept for history, not used for new business.
    Inactive,
    /// On hold: no new orders or invoices (credit hold, dispute).
    Blocked,
    /// Deleted in the source system; kept so references still resolve.
    Archived,
}

/// A customer or supplier — a business partner the company trades with:
/// Stripe's `customer`, Salesforce's `Account`, NetSuite's `customer` and
/// `vendor`, QuickBooks' `Customer` and `Vendor`, Xero's `Contact`, SAP's
/// business partner.
///
/// `roles` says which: a customer (the default), a supplier, or both, as
/// one Xero contact or SAP business partner can be. Invoices and payments
/// name the record as their `counterparty`; their `side` says whether the
/// company sold or bought.
///
/// # JSON
///
/// ```json
/// {
///   "id": "cust_0001",
///   "kind": "organization",
///   "status": "active",
///   "display_name": "Acme GmbH",
///   "legal_name": "Acme Gesellschaft mit beschränkter Haftung",
///   "tax_ids": [{"scheme": "vat", "value": "DE123456789"}],
///   "addresses": [{"purpose": "billing", "lines": ["Friedrichstraße 123"],
///                  "city": "Berlin", "postal_code": "10117", "country": "DE"}],
///   "default_currency": "EUR",
///   "payment_terms": {"net_days": 30},
///   "credit_limit": {"amount": "50000.00", "currency": "EUR"},
///   "external_refs": [{"system": "stripe", "object_type": "customer", "id": "cus_Q1"}]
/// }
/// ```
///
/// # Example
///
/// ```
/// use canonical_finance::model::{Customer, CustomerId, CustomerKind};
///
/// let mut c = Customer::new(CustomerId::new("cust_0001")?, CustomerKind::Organization, "Acme GmbH");
/// c.default_currency = Some(canonical_finance::Currency::EUR);
/// let json = serde_json::to_value(&c)?;
/// assert_eq!(json["display_name"], "Acme GmbH");
/// assert_eq!(serde_json::from_value::<Customer>(json)?, c);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Customer {
    /// Canonical id.
    pub id: CustomerId,
    /// Organisation or individual.
    pub kind: CustomerKind,
    /// Whether the customer can be sold to.
    pub status: CustomerStatus,
    /// What the party is to the company: `customer`, `supplier`, or both.
    /// Omitted when only `customer`, the default.
    #[serde(default = "customer_only", skip_serializing_if = "is_customer_only")]
    #[schemars(extend("default" = ["customer"]))]
    pub roles: Vec<PartyRole>,
    /// The name people use: trading name or full personal name (BT-45).
    pub display_name: String,
    /// The registered legal name of an organisation (BT-44).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub legal_name: Option<String>,
    /// Given name of an individual.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub given_name: Option<String>,
    /// Family name of an individual.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub family_name: Option<String>,
    /// The seller's customer number, as printed on documents (BT-46).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer_number: Option<String>,
    /// Main e-mail address.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// Main telephone number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    /// Web site.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub website: Option<String>,
    /// Tax and registration ids (BT-48 VAT id, BT-47 legal registration).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tax_ids: Vec<TaxId>,
    /// Addresses, each with its purpose.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub addresses: Vec<Address>,
    /// People to contact.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub contacts: Vec<Contact>,
    /// The customer's bank accounts (for direct debit and refunds).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub bank_accounts: Vec<BankAccount>,
    /// The currency the customer is billed in by default.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default_currency: Option<Currency>,
    /// Default payment terms for the customer's invoices.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payment_terms: Option<PaymentTerms>,
    /// The most the customer may owe at once.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub credit_limit: Option<Money>,
    /// The parent in a customer hierarchy (QuickBooks sub-customer,
    /// Salesforce parent account, NetSuite parent).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<CustomerRef>,
    /// This customer's ids in other systems.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub external_refs: Vec<ExternalRef>,
    /// Custom fields and vendor data kept for the round trip.
    #[serde(default, skip_serializing_if = "Extensions::is_empty")]
    pub extensions: Extensions,
    /// When the record was created, RFC 3339 UTC.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "crate::time::serde_instant::option"
    )]
    #[schemars(with = "Option<DateTime<Utc>>")]
    pub created_at: Option<DateTime<Utc>>,
    /// When the record was last changed, RFC 3339 UTC.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "crate::time::serde_instant::option"
    )]
    #[schemars(with = "Option<DateTime<Utc>>")]
    pub updated_at: Option<DateTime<Utc>>,
    /// Where this record was read from.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub provenance: Option<Provenance>,
}

impl Customer {
    /// True when the company buys from this party.
    pub fn is_supplier(&self) -> bool {
        self.roles.contains(&PartyRole::Supplier)
    }

    /// An active customer with an id, a kind and a display name; every
    /// other field empty.
    pub fn new(id: CustomerId, kind: CustomerKind, display_name: impl Into<String>) -> Customer {
        Customer {
            id,
            kind,
            status: CustomerStatus::Active,
            roles: customer_only(),
            display_name: display_name.into(),
            legal_name: None,
            given_name: None,
            family_name: None,
            customer_number: None,
            email: None,
            phone: None,
            website: None,
            tax_ids: Vec::new(),
            addresses: Vec::new(),
            contacts: Vec::new(),
            bank_accounts: Vec::new(),
            default_currency: None,
            payment_terms: None,
            credit_limit: None,
            parent: None,
            external_refs: Vec::new(),
            extensions: Extensions::default(),
            created_at: None,
            updated_at: None,
            provenance: None,
        }
    }
}

fn customer_only() -> Vec<PartyRole> {
    vec![PartyRole::Customer]
}

fn is_customer_only(roles: &[PartyRole]) -> bool {
    roles == [PartyRole::Customer]
}
