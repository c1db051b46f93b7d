//! [`Contract`]: an agreement to bill a customer, one-off or recurring.

use std::num::NonZeroU32;

use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{
    ContractId, CustomerRef, Extensions, ExternalRef, Interval, IntervalUnit, ItemRef,
    PaymentTerms, Period, Provenance,
};
use crate::money::{Currency, DecimalSchema, Money, serde_decimal};

/// Where a contract is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum ContractStatus {
    /// Being negotiated; nothing is billed.
    Draft,
    /// Signed or created but not started yet (future start date,
    /// incomplete first payment).
    Pending,
    /// In a free trial.
    Trialing,
    /// In force and billing.
    Active,
    /// In force, but an invoice is overdue.
    PastDue,
    /// Paused: in force, but billing is suspended.
    Suspended,
    /// Ended early by either party.
    Cancelled,
    /// Reached its end date without renewal.
    Expired,
}

/// How the invoices of a contract are collected.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum CollectionMethod {
    /// The seller charges a stored payment method.
    Automatic,
    /// The seller sends an invoice and the customer pays it.
    SendInvoice,
}

/// A fixed length of time: 12 months, 1 year.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Term {
    /// The unit.
    pub unit: IntervalUnit,
    /// How many units; at least 1.
    pub length: NonZeroU32,
}

impl Term {
    /// `length` `unit`s.
    pub fn new(unit: IntervalUnit, length: NonZeroU32) -> Term {
        Term { unit, length }
    }
}

/// What happens when a contract's term ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Renewal {
    /// True when the contract renews by itself unless cancelled.
    pub auto_renew: bool,
    /// The length of each renewal, when it differs from the initial term.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub renewal_term: Option<Term>,
    /// Days before the end of the term by which notice of cancellation is due.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notice_days: Option<u32>,
}

impl Renewal {
    /// A contract that renews by itself (`auto_renew`) or ends with its
    /// term; set `renewal_term` and `notice_days` on the result.
    ///
    /// ```
    /// use canonical_finance::model::Renewal;
    ///
    /// let mut renewal = Renewal::new(true);
    /// renewal.notice_days = Some(30);
    /// assert!(renewal.auto_renew);
    /// ```
    pub fn new(auto_renew: bool) -> Renewal {
        Renewal { auto_renew, renewal_term: None, notice_days: None }
    }
}

/// One thing a contract bills: a product at a price and quantity, once or
/// every interval.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct ContractLine {
    /// The line's id, unique within the contract (a Stripe subscription item id).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The product or service.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub item: Option<ItemRef>,
    /// What the line is for, as text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// How many units (seats, licences, hours); a decimal string.
    #[serde(with = "serde_decimal")]
    #[schemars(with = "DecimalSchema")]
    pub quantity: Decimal,
    /// Price of one unit, before tax, in the contract currency; may carry
    /// more decimal places than the currency's minor units.
    pub unit_price: Money,
    /// How often the line is billed; absent for a one-off charge.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub interval: Option<Interval>,
    /// The days the line is in force, when they differ from the contract's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub period: Option<Period>,
    /// Vendor data for this line kept for the round trip.
    #[serde(default, skip_serializing_if = "Extensions::is_empty")]
    pub extensions: Extensions,
}

impl ContractLine {
    /// `quantity` units at `unit_price`.
    pub fn new(quantity: Decimal, unit_price: Money) -> ContractLine {
        ContractLine {
            id: None,
            item: None,
            description: None,
            quantity,
            unit_price,
            interval: None,
            period: None,
            extensions: Extensions::default(),
        }
    }
}

/// A contract: what billing systems call a subscription (Stripe
/// `subscription`, NetSuite SuiteBilling `subscription`, Xero
/// `RepeatingInvoice`) and CRMs a contract (Salesforce `Contract`). Invoices
/// point at it (EN 16931 BT-12).
///
/// # JSON
///
/// ```json
/// {
///   "id": "ctr_0001",
///   "number": "C-2026-0042",
///   "customer": {"id": "cust_0001"},
///   "status": "active",
///   "currency": "EUR",
///   "start_date": "2026-01-01",
///   "term": {"unit": "year", "length": 1},
///   "renewal": {"auto_renew": true, "notice_days": 30},
///   "billing_frequency": {"unit": "month", "count": 1},
///   "lines": [{"item": {"code": "SEAT"}, "quantity": "25",
///              "unit_price": {"amount": "12.00", "currency": "EUR"},
///              "interval": {"unit": "month", "count": 1}}]
/// }
/// ```
///
/// # Example
///
/// ```
/// use canonical_finance::model::{Contract, ContractId, ContractLine, ContractStatus, CustomerRef, CustomerId};
/// use canonical_finance::{Currency, Money};
/// use rust_decimal_macros::dec;
///
/// let customer = CustomerRef::to_id(CustomerId::new("cust_0001")?);
/// let mut c = Contract::new(ContractId::new("ctr_0001")?, customer, Currency::EUR);
/// c.status = ContractStatus::Active;
/// c.lines.push(ContractLine::new(dec!(25), Money::new(dec!(12.00), Currency::EUR)));
/// assert_eq!(serde_json::to_value(&c)?["lines"][0]["quantity"], "25");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Contract {
    /// Canonical id.
    pub id: ContractId,
    /// The contract number people quote (BT-12 on invoices).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub number: Option<String>,
    /// A name or title.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The customer billed.
    pub customer: CustomerRef,
    /// Where the contract is in its life.
    pub status: ContractStatus,
    /// The currency every line is billed in.
    pub currency: Currency,
    /// First day in force.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "crate::time::serde_date::option"
    )]
    #[schemars(with = "Option<NaiveDate>")]
    pub start_date: Option<NaiveDate>,
    /// Last day in force, included; absent for an open-ended contract.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "crate::time::serde_date::option"
    )]
    #[schemars(with = "Option<NaiveDate>")]
    pub end_date: Option<NaiveDate>,
    /// The committed length.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub term: Option<Term>,
    /// What happens at the end of the term.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub renewal: Option<Renewal>,
    /// How often invoices are produced.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub billing_frequency: Option<Interval>,
    /// The day billing periods are counted from (Stripe `billing_cycle_anchor`).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "crate::time::serde_date::option"
    )]
    #[schemars(with = "Option<NaiveDate>")]
    pub billing_anchor: Option<NaiveDate>,
    /// The current billing period.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub current_period: Option<Period>,
    /// Last day of a free trial, included.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "crate::time::serde_date::option"
    )]
    #[schemars(with = "Option<NaiveDate>")]
    pub trial_end: Option<NaiveDate>,
    /// The day the contract was or will be cancelled.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "crate::time::serde_date::option"
    )]
    #[schemars(with = "Option<NaiveDate>")]
    pub cancelled_on: Option<NaiveDate>,
    /// How invoices are collected.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub collection_method: Option<CollectionMethod>,
    /// Payment terms for the contract's invoices.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payment_terms: Option<PaymentTerms>,
    /// The day the customer signed.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "crate::time::serde_date::option"
    )]
    #[schemars(with = "Option<NaiveDate>")]
    pub customer_signed_date: Option<NaiveDate>,
    /// The day the seller signed.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "crate::time::serde_date::option"
    )]
    #[schemars(with = "Option<NaiveDate>")]
    pub company_signed_date: Option<NaiveDate>,
    /// What the contract bills.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub lines: Vec<ContractLine>,
    /// This contract's ids in other systems.
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

impl Contract {
    /// A draft contract for `customer` in `currency`; every other field empty.
    pub fn new(id: ContractId, customer: CustomerRef, currency: Currency) -> Contract {
        Contract {
            id,
            number: None,
            name: None,
            customer,
            status: ContractStatus::Draft,
            currency,
            start_date: None,
            end_date: None,
            term: None,
            renewal: None,
            billing_frequency: None,
            billing_anchor: None,
            current_period: None,
            trial_end: None,
            cancelled_on: None,
            collection_method: None,
            payment_terms: None,
            customer_signed_date: None,
            company_signed_date: None,
            lines: Vec::new(),
            external_refs: Vec::new(),
            extensions: Extensions::default(),
            created_at: None,
            updated_at: None,
            provenance: None,
        }
    }
}
