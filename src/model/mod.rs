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
//!
//! # Design notes
//!
//! ## Both sides of a sale
//!
//! A company issues invoices to its customers and receives bills from its
//! suppliers; both kinds of document, and the payments that settle them,
//! are one type each, told apart by a [`TradeSide`]:
//!
//! | record | `side: sales` (the default) | `side: purchases` |
//! | --- | --- | --- |
//! | [`Invoice`] | an invoice or credit note the company issued (Xero `ACCREC`, QuickBooks `Invoice`) | a supplier's bill or credit note it received (Xero `ACCPAY`, QuickBooks `Bill`, NetSuite `vendorBill`) |
//! | [`Payment`] | from a customer (`received`), or a refund to one (`sent`) | to a supplier (`sent`), or a refund from one (`received`) |
//! | `counterparty` | a [`Customer`] record with the role `customer` | a [`Customer`] record with the role `supplier` |
//!
//! The parties *printed on* an invoice are named by their EN 16931 roles,
//! whatever the side: the [`Party`] who sells (`seller`, BG-4) and the one
//! who buys (`buyer`, BG-7). On a sales invoice the company is the seller;
//! on a supplier's bill it is the buyer. Every rule speaks of seller and
//! buyer, so every rule holds on both sides without a case for each.
//!
//! Why this design and not another:
//!
//! - *A `Supplier` entity* would repeat every part of [`Customer`] (names,
//!   tax ids, addresses, bank accounts, terms), and a Xero contact or an
//!   SAP business partner that is both customer and supplier would have to
//!   become two records that drift apart. A [`PartyRole`] on one record
//!   says it once; QuickBooks' separate `Customer` and `Vendor` map to one
//!   role each.
//! - *A supplier reference beside the customer reference* would leave one
//!   of the two empty on every document. One `counterparty` reference and
//!   the `side` say the same without the empty half.
//! - *A direction alone* would have kept a `customer` field that names a
//!   supplier on a bill.
//!
//! Payments state their direction as money flow (`received`, `sent`),
//! because "refund" means money sent on the sales side but money received
//! on the purchases side; a refund names what it returns in `refund_of`.
//!
//! ## The seller of an ERP's invoice
//!
//! In a multi-company ERP the seller is the legal entity that issued the
//! invoice — the NetSuite subsidiary, the Business Central company, the SAP
//! company code, the Xero organisation: a mapper writes its registered
//! name, VAT id and address into `seller` and names the ERP record in
//! `seller.external_refs` (`{"system": "netsuite", "object_type":
//! "subsidiary", "id": "4"}`). A billing system writes its account: Stripe's
//! `account_name`, `account_country` and `account_tax_ids`.
//!
//! ## Presence and EN 16931
//!
//! The model holds every EN 16931 business term that a rule of the
//! standard tests, but it is not only an EN 16931 invoice: a Stripe or
//! QuickBooks invoice has no unit of measure, often no buyer address, no
//! seller VAT id outside the EU. EN 16931's *presence* rules are therefore
//! errors only on invoices that declare EN 16931 in `specification`
//! (BT-24), and warnings elsewhere; rules about consistency (amounts, dates,
//! categories, code lists) are errors everywhere.

mod common;
mod contract;
mod customer;
mod ids;
mod invoice;
mod journal_entry;
mod party;
mod payment;
mod redact;
pub(crate) mod shape;

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
    CreditUsed, Payment, PaymentApplication, PaymentDirection, PaymentFee, PaymentMethod,
    PaymentRefund, PaymentStatus,
};
pub use redact::Unredacted;
pub use shape::ShapeError;

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
