//! [`Payment`]: money received from a customer or paid to a supplier (and
//! refunds either way), and how it is applied to invoices and credit notes.

use chrono::{DateTime, NaiveDate, Utc};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{
    BankAccount, CustomerRef, Extensions, ExternalRef, InvoiceRef, PaymentId, PaymentRef,
    Provenance, TradeSide,
};
use crate::money::{ExchangeRate, Money};

/// Which way the money moves, seen from the company whose books the
/// payment is in.
///
/// | side | `received` | `sent` |
/// | --- | --- | --- |
/// | sales | a customer pays | a refund or payout to a customer |
/// | purchases | a supplier refunds | the company pays a supplier |
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum PaymentDirection {
    /// Money came in to the company.
    Received,
    /// Money went out of the company.
    Sent,
}

impl PaymentDirection {
    /// The direction in which payments settle documents on `side`:
    /// received on the sales side, sent on the purchases side. Money moving
    /// the other way is a refund (`refund_of`) or a payout.
    pub fn settling(side: TradeSide) -> PaymentDirection {
        match side {
            TradeSide::Purchases => PaymentDirection::Sent,
            _ => PaymentDirection::Received,
        }
    }
}

/// Where a payment is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum PaymentStatus {
    /// Initiated; the money has not arrived.
    Pending,
    /// Authorised but not captured (card payments).
    Authorized,
    /// The money arrived or left.
    Completed,
    /// The attempt failed; no money moved.
    Failed,
    /// Cancelled before money moved.
    Cancelled,
    /// Money moved and was later pulled back (chargeback, returned debit).
    Reversed,
}

/// How the money moved.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum PaymentMethod {
    /// Credit or debit card.
    Card,
    /// Bank transfer initiated by the payer (SEPA credit transfer, ACH
    /// credit, wire).
    BankTransfer,
    /// Direct debit pulled by the payee (SEPA direct debit, ACH debit, Bacs).
    DirectDebit,
    /// Cash.
    Cash,
    /// Cheque.
    Cheque,
    /// Wallet or online method (PayPal, Apple Pay, iDEAL, ...).
    Wallet,
    /// Settled against a customer credit balance, no money moved.
    Credit,
    /// Anything else.
    Other,
}

/// Part of a payment applied to one invoice or credit note.
///
/// `amount` is in the payment's currency. When the target is in another
/// currency, `exchange_rate` converts from the payment's currency into the
/// target's, and `target_amount` is the amount as the target records it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct PaymentApplication {
    /// The invoice or credit note the amount settles.
    pub target: InvoiceRef,
    /// The amount applied, in the payment's currency; above zero.
    pub amount: Money,
    /// The amount in the target's currency, when it differs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub target_amount: Option<Money>,
    /// The rate from the payment's currency to the target's.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exchange_rate: Option<ExchangeRate>,
    /// The day the amount was applied.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "crate::time::serde_date::option"
    )]
    #[schemars(with = "Option<NaiveDate>")]
    pub applied_on: Option<NaiveDate>,
}

impl PaymentApplication {
    /// `amount` applied to `target`.
    pub fn new(target: InvoiceRef, amount: Money) -> PaymentApplication {
        PaymentApplication {
            target,
            amount,
            target_amount: None,
            exchange_rate: None,
            applied_on: None,
        }
    }
}

/// A credit the counterparty held, used beside the money to settle the
/// payment's invoices: a credit note applied in the same payment
/// (QuickBooks applies a credit memo in the Payment that pays the invoice;
/// a BillPayment applies a vendor credit so).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct CreditUsed {
    /// The credit note the credit comes from.
    pub credit: InvoiceRef,
    /// The credit used, in the payment's currency; above zero.
    pub amount: Money,
}

impl CreditUsed {
    /// `amount` of the credit note `credit`.
    pub fn new(credit: InvoiceRef, amount: Money) -> CreditUsed {
        CreditUsed { credit, amount }
    }
}

/// A part of a payment given back to the payer (a Xero overpayment or
/// prepayment refunded in part); the refund itself is a payment of its own.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct PaymentRefund {
    /// The refund payment.
    pub refund: PaymentRef,
    /// The amount given back, in the payment's currency; above zero.
    pub amount: Money,
    /// The day it was given back.
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "crate::time::serde_date::option"
    )]
    #[schemars(with = "Option<NaiveDate>")]
    pub refunded_on: Option<NaiveDate>,
}

impl PaymentRefund {
    /// `amount` given back by the payment `refund`.
    pub fn new(refund: PaymentRef, amount: Money) -> PaymentRefund {
        PaymentRefund { refund, amount, refunded_on: None }
    }
}

/// A fee deducted from a payment by a processor or bank.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct PaymentFee {
    /// The fee, above zero.
    pub amount: Money,
    /// What the fee is (`stripe_fee`, `application_fee`, `bank charge`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

impl PaymentFee {
    /// A fee of `amount`.
    pub fn new(amount: Money) -> PaymentFee {
        PaymentFee { amount, description: None }
    }
}

/// A payment from a customer or to a supplier, or a refund either way
/// (Stripe `payment_intent`, `charge`, `refund`, `invoice_payment`;
/// QuickBooks `Payment` and `BillPayment`; Xero `Payment`; NetSuite
/// `customerPayment` and `vendorPayment`; ISO 20022 camt.054 entries).
///
/// The amount is positive; `side` says whether it belongs to the sales or
/// the purchases side and `direction` which way the money went. Its parts
/// applied to invoices plus the unapplied rest plus what was given back
/// equal the amount plus the credits used beside it:
/// `Σ applications.amount + unapplied_amount + Σ refunds.amount = amount +
/// Σ credits_used.amount`.
///
/// # JSON
///
/// ```json
/// {
///   "id": "pay_0001",
///   "direction": "received",
///   "status": "completed",
///   "method": "bank_transfer",
///   "counterparty": {"id": "cust_0001"},
///   "amount": {"amount": "1500.00", "currency": "EUR"},
///   "payment_date": "2026-11-20",
///   "value_date": "2026-11-21",
///   "end_to_end_id": "E2E-20261120-0001",
///   "applications": [
///     {"target": {"id": "inv_0001"}, "amount": {"amount": "1000.00", "currency": "EUR"}},
///     {"target": {"id": "inv_0002"}, "amount": {"amount": "500.00", "currency": "EUR"}}
///   ],
///   "unapplied_amount": {"amount": "0.00", "currency": "EUR"}
/// }
/// ```
///
/// # Example
///
/// ```
/// use canonical_finance::model::*;
/// use chrono::NaiveDate;
///
/// let paid: canonical_finance::Money = "1500.00 EUR".parse()?;
/// let date = NaiveDate::from_ymd_opt(2026, 11, 20).ok_or("date")?;
/// let mut p = Payment::new(PaymentId::new("pay_0001")?, PaymentDirection::Received, paid, date);
/// p.applications.push(PaymentApplication::new(InvoiceRef::to_id(InvoiceId::new("inv_0001")?), paid));
/// assert_eq!(serde_json::to_value(&p)?["applications"][0]["target"]["id"], "inv_0001");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Payment {
    /// Canonical id.
    pub id: PaymentId,
    /// A human-readable payment or receipt number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub number: Option<String>,
    /// The sales side (payments from and refunds to customers, the
    /// default, omitted) or the purchases side (payments to and refunds
    /// from suppliers).
    #[serde(default, skip_serializing_if = "TradeSide::is_sales")]
    #[schemars(extend("default" = "sales"))]
    pub side: TradeSide,
    /// Received by or sent by the company.
    pub direction: PaymentDirection,
    /// Where the payment is in its life.
    pub status: PaymentStatus,
    /// How the money moved.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub method: Option<PaymentMethod>,
    /// The other party: the customer who paid or was refunded, the
    /// supplier who was paid or refunded.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub counterparty: Option<CustomerRef>,
    /// The amount, above zero.
    pub amount: Money,
    /// The day the payment was made or received.
    #[serde(with = "crate::time::serde_date")]
    #[schemars(with = "NaiveDate")]
    pub payment_date: NaiveDate,
    /// The day the money became available on the account (ISO 20022 `ValDt`).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "crate::time::serde_date::option"
    )]
    #[schemars(with = "Option<NaiveDate>")]
    pub value_date: Option<NaiveDate>,
    /// The ledger account the money was booked to: the bank, cash or
    /// clearing account (`1010`, `Stripe clearing`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub deposit_account: Option<String>,
    /// The other party's bank account: where the money came from or went
    /// to, for matching and refunds.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub payer_account: Option<BankAccount>,
    /// The bank's or processor's reference for the transfer.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bank_reference: Option<String>,
    /// The payer's end-to-end id (ISO 20022 `EndToEndId`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub end_to_end_id: Option<String>,
    /// The remittance text the payer sent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub remittance_information: Option<String>,
    /// Invoices and credit notes the payment settles.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub applications: Vec<PaymentApplication>,
    /// The part of the amount not applied to any document (a credit balance
    /// or overpayment).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unapplied_amount: Option<Money>,
    /// Credits the counterparty held, applied beside the money (a credit
    /// memo used in the same payment): the applications settle the amount
    /// plus these.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub credits_used: Vec<CreditUsed>,
    /// Parts of the amount given back to the payer since.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub refunds: Vec<PaymentRefund>,
    /// Fees deducted by a processor or bank.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fees: Vec<PaymentFee>,
    /// The rate used when the payment was booked in another currency (for
    /// example, into the seller's functional currency).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exchange_rate: Option<ExchangeRate>,
    /// For a refund: the payment it returns.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub refund_of: Option<PaymentRef>,
    /// Why the payment was made, refunded or failed, as text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// This payment's ids in other systems.
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

impl Payment {
    /// A completed sales-side payment of `amount` in `direction` on
    /// `payment_date`;
    /// every other field empty.
    pub fn new(
        id: PaymentId,
        direction: PaymentDirection,
        amount: Money,
        payment_date: NaiveDate,
    ) -> Payment {
        Payment {
            id,
            number: None,
            direction,
            status: PaymentStatus::Completed,
            method: None,
            side: TradeSide::Sales,
            counterparty: None,
            amount,
            payment_date,
            value_date: None,
            deposit_account: None,
            payer_account: None,
            bank_reference: None,
            end_to_end_id: None,
            remittance_information: None,
            applications: Vec::new(),
            unapplied_amount: None,
            credits_used: Vec::new(),
            refunds: Vec::new(),
            fees: Vec::new(),
            exchange_rate: None,
            refund_of: None,
            description: None,
            external_refs: Vec::new(),
            extensions: Extensions::default(),
            created_at: None,
            updated_at: None,
            provenance: None,
        }
    }
}
