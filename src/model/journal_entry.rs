//! [`JournalEntry`]: a double-entry posting to the general ledger.

use std::collections::BTreeMap;

use chrono::{DateTime, NaiveDate, Utc};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{CustomerRef, Extensions, ExternalRef, JournalEntryId, JournalEntryRef, Provenance};
use crate::money::{ExchangeRate, Money};

/// Where a journal entry is in its life.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum JournalEntryStatus {
    /// Not posted; does not affect balances.
    Draft,
    /// Posted to the ledger.
    Posted,
    /// Posted, then cancelled by a reversing entry named in `reversed_by`.
    Reversed,
}

/// Which column of the ledger a line posts to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Side {
    /// Left column: increases assets and expenses.
    Debit,
    /// Right column: increases liabilities, equity and revenue.
    Credit,
}

/// The analysis dimensions of a journal line. Named dimensions cover what
/// most ledgers have; `other` holds the rest by name.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Dimensions {
    /// Cost centre.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cost_center: Option<String>,
    /// Department.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub department: Option<String>,
    /// Project or job.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub project: Option<String>,
    /// Legal entity or subsidiary (NetSuite OneWorld subsidiary).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub legal_entity: Option<String>,
    /// Location.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<String>,
    /// Class (QuickBooks, NetSuite).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub class: Option<String>,
    /// Other dimensions by name (Xero tracking categories, SAP profit centre).
    #[serde(
        default,
        skip_serializing_if = "BTreeMap::is_empty",
        deserialize_with = "super::common::unique_map"
    )]
    pub other: BTreeMap<String, String>,
}

impl Dimensions {
    /// True when no dimension is set.
    pub fn is_empty(&self) -> bool {
        *self == Dimensions::default()
    }
}

/// One line of a journal entry.
///
/// The amount is never negative; `side` says debit or credit. When the
/// transaction currency differs from the ledger's functional currency,
/// `functional_amount` is the same line in the functional currency and
/// `exchange_rate` the rate used.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct JournalLine {
    /// The line's id, unique within the entry.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The ledger account's code (`1200`, `4000-SALES`).
    pub account_code: String,
    /// The ledger account's name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account_name: Option<String>,
    /// Debit or credit.
    pub side: Side,
    /// The amount in the transaction currency; zero or more.
    pub amount: Money,
    /// The amount in the functional currency, when it differs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub functional_amount: Option<Money>,
    /// The rate from the transaction currency to the functional currency.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exchange_rate: Option<ExchangeRate>,
    /// Analysis dimensions.
    #[serde(default, skip_serializing_if = "Dimensions::is_empty")]
    pub dimensions: Dimensions,
    /// The customer the line concerns (a receivables line).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub counterparty: Option<CustomerRef>,
    /// Line memo.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

impl JournalLine {
    /// A line posting `amount` to `account_code` on `side`.
    pub fn new(account_code: impl Into<String>, side: Side, amount: Money) -> JournalLine {
        JournalLine {
            id: None,
            account_code: account_code.into(),
            account_name: None,
            side,
            amount,
            functional_amount: None,
            exchange_rate: None,
            dimensions: Dimensions::default(),
            counterparty: None,
            description: None,
        }
    }
}

/// The kind of a document a journal entry records.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum SourceDocumentKind {
    /// An invoice.
    Invoice,
    /// A credit note.
    CreditNote,
    /// A payment or refund.
    Payment,
    /// A bank statement line.
    BankTransaction,
    /// A manual journal with no other document.
    Manual,
    /// Anything else.
    Other,
}

/// The document a journal entry records.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct SourceDocument {
    /// What kind of document.
    pub kind: SourceDocumentKind,
    /// Its canonical id, when it is a canonical entity.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// Its number as printed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub number: Option<String>,
    /// Its ids in other systems.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub external_refs: Vec<ExternalRef>,
}

impl SourceDocument {
    /// A document of `kind`; set its `id`, `number` and `external_refs` on
    /// the result.
    ///
    /// ```
    /// use canonical_finance::model::{SourceDocument, SourceDocumentKind};
    ///
    /// let mut source = SourceDocument::new(SourceDocumentKind::Invoice);
    /// source.id = Some("inv_2026_0042".to_owned());
    /// assert_eq!(source.kind, SourceDocumentKind::Invoice);
    /// ```
    pub fn new(kind: SourceDocumentKind) -> SourceDocument {
        SourceDocument { kind, id: None, number: None, external_refs: Vec::new() }
    }
}

/// A journal entry: balanced debits and credits posted to ledger accounts
/// (QuickBooks `JournalEntry`, Xero `ManualJournal` and `Journal`, NetSuite
/// `journalEntry`, Business Central journal lines, SAP journal entries).
///
/// Lines balance per currency: `Σ debit amounts = Σ credit amounts`, and the
/// same in the functional currency when lines carry it.
///
/// # JSON
///
/// ```json
/// {
///   "id": "je_0001",
///   "number": "JE-2026-0117",
///   "status": "posted",
///   "posting_date": "2026-11-30",
///   "accounting_period": "2026-11",
///   "description": "Invoice 2026-0001",
///   "lines": [
///     {"account_code": "1200", "account_name": "Accounts receivable", "side": "debit",
///      "amount": {"amount": "1428.00", "currency": "EUR"}},
///     {"account_code": "4000", "account_name": "Revenue", "side": "credit",
///      "amount": {"amount": "1200.00", "currency": "EUR"}},
///     {"account_code": "2200", "account_name": "VAT payable", "side": "credit",
///      "amount": {"amount": "228.00", "currency": "EUR"}}
///   ]
/// }
/// ```
///
/// # Example
///
/// ```
/// use canonical_finance::model::*;
/// use chrono::NaiveDate;
///
/// let date = NaiveDate::from_ymd_opt(2026, 11, 30).ok_or("date")?;
/// let mut je = JournalEntry::new(JournalEntryId::new("je_0001")?, date);
/// je.lines.push(JournalLine::new("1200", Side::Debit, "1428.00 EUR".parse()?));
/// je.lines.push(JournalLine::new("4000", Side::Credit, "1428.00 EUR".parse()?));
/// assert_eq!(serde_json::to_value(&je)?["lines"][1]["side"], "credit");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct JournalEntry {
    /// Canonical id.
    pub id: JournalEntryId,
    /// The entry number in the ledger.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub number: Option<String>,
    /// Draft, posted or reversed.
    pub status: JournalEntryStatus,
    /// The day the entry posts on.
    #[serde(with = "crate::time::serde_date")]
    #[schemars(with = "NaiveDate")]
    pub posting_date: NaiveDate,
    /// The accounting period, as the ledger names it (`2026-11`, `P11 FY2026`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub accounting_period: Option<String>,
    /// What the entry is for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// The document the entry records.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub source_document: Option<SourceDocument>,
    /// For a reversing entry: the entry it reverses.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reverses: Option<JournalEntryRef>,
    /// For a reversed entry: the entry that reversed it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reversed_by: Option<JournalEntryRef>,
    /// The lines; at least two, balanced.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub lines: Vec<JournalLine>,
    /// This entry's ids in other systems.
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

impl JournalEntry {
    /// A posted entry on `posting_date` with no lines yet.
    pub fn new(id: JournalEntryId, posting_date: NaiveDate) -> JournalEntry {
        JournalEntry {
            id,
            number: None,
            status: JournalEntryStatus::Posted,
            posting_date,
            accounting_period: None,
            description: None,
            source_document: None,
            reverses: None,
            reversed_by: None,
            lines: Vec::new(),
            external_refs: Vec::new(),
            extensions: Extensions::default(),
            created_at: None,
            updated_at: None,
            provenance: None,
        }
    }
}
