//! The canonical model: [`Customer`], [`Contract`], [`Invoice`] (credit
//! notes included), [`Payment`] and [`JournalEntry`], and the parts they
//! share.
//!
//! The wire form is the same everywhere: snake_case field names, enums as
//! snake_case strings, dates as `YYYY-MM-DD`, instants as RFC 3339 UTC,
//! amounts as [`Money`](crate::money::Money) with a decimal string, optional
//! fields omitted when absent. Unknown fields and unknown enum values are
//! errors: leniency belongs in mappers, not in the canonical form.
//!
//! Every struct and enum is `#[non_exhaustive]` so that fields can be added
//! without a breaking release: build an entity with its `new` constructor
//! (the required fields) and set the other public fields on the value.

mod common;
mod contract;
mod customer;
mod ids;
mod invoice;
mod journal_entry;
mod party;
mod payment;

pub use common::{
    Address, AddressPurpose, BankAccount, Contact, CountryCode, Extensions, ExternalRef, Interval,
    IntervalUnit, ItemAttribute, ItemClassification, ItemRef, PaymentTerms, Period, Provenance,
    RoutingScheme, TaxId, TaxIdScheme,
};
pub use contract::{CollectionMethod, Contract, ContractLine, ContractStatus, Renewal, Term};
pub use customer::{Customer, CustomerKind, CustomerStatus};
pub use ids::{
    ContractId, ContractRef, CustomerId, CustomerRef, InvoiceId, InvoiceRef, JournalEntryId,
    JournalEntryRef, PaymentId, PaymentRef,
};
pub use invoice::{
    AllowanceCharge, AllowanceChargeKind, EN16931_URN, Invoice, InvoiceKind, InvoiceLine,
    InvoiceStatus, InvoiceTotals, PaymentInstruction, PaymentMeans, PrecedingInvoice, TaxCategory,
    TaxSubtotal,
};
pub use journal_entry::{
    Dimensions, JournalEntry, JournalEntryStatus, JournalLine, Side, SourceDocument,
    SourceDocumentKind,
};
pub use party::{Delivery, Identifier, Party, PartyRole, TradeSide};
pub use payment::{
    Payment, PaymentApplication, PaymentDirection, PaymentFee, PaymentMethod, PaymentStatus,
};

/// The five canonical entities, by name.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    Hash,
    PartialOrd,
    Ord,
    serde::Serialize,
    serde::Deserialize,
    schemars::JsonSchema,
)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Entity {
    /// [`Customer`].
    Customer,
    /// [`Contract`].
    Contract,
    /// [`Invoice`], credit notes included.
    Invoice,
    /// [`Payment`].
    Payment,
    /// [`JournalEntry`].
    JournalEntry,
}

impl Entity {
    /// Every entity, in a stable order.
    pub const ALL: [Entity; 5] = [
        Entity::Customer,
        Entity::Contract,
        Entity::Invoice,
        Entity::Payment,
        Entity::JournalEntry,
    ];

    /// The snake_case name used in JSON, file names and on the command line.
    pub fn name(self) -> &'static str {
        match self {
            Entity::Customer => "customer",
            Entity::Contract => "contract",
            Entity::Invoice => "invoice",
            Entity::Payment => "payment",
            Entity::JournalEntry => "journal_entry",
        }
    }

    /// The entity with the snake_case `name`, if any.
    pub fn from_name(name: &str) -> Option<Entity> {
        Entity::ALL.into_iter().find(|e| e.name() == name)
    }
}

impl std::fmt::Display for Entity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// Errors from building model values by hand.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum ModelError {
    /// An id was empty.
    #[error("invalid id of {kind}: expected a non-empty string")]
    EmptyId {
        /// Which kind of id, such as "a customer".
        kind: &'static str,
    },
    /// A country code is not ISO 3166-1 alpha-2.
    #[error("unknown country code `{}`{}", crate::money::escape(input), match suggestion {
        Some(code) => format!(", did you mean `{code}`?"),
        None => ": expected an ISO 3166-1 alpha-2 code such as `DE`".to_owned(),
    })]
    UnknownCountry {
        /// The rejected text.
        input: String,
        /// The code the input most likely meant.
        suggestion: Option<&'static str>,
    },
}
