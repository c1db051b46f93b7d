//! The parts of a mapping file that shape the payload before the rules
//! run and after they ran backwards: records sent apart (`parts`), entries
//! joined to their records (`joins`), arrays gathered into one (`gathers`),
//! records that carry an opposite (`twins`), and records that make one
//! document together (`group`).

use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::spec::POINTER_PATTERN;

/// One kind of record the vendor sends apart from the record it belongs in.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct PartSpec {
    /// The vendor object of the part records: `salesInvoiceLine`.
    #[schemars(length(min = 1))]
    pub object: String,
    /// Pointer, in the whole record, of the array the part records go in:
    /// `/salesInvoiceLines`, `/item/items`.
    #[schemars(regex(pattern = POINTER_PATTERN))]
    pub at: String,
    /// Pointer, in each part record, of the member that names the record it
    /// belongs to: `/documentId`. Goes with `parent`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(regex(pattern = POINTER_PATTERN))]
    pub key: Option<String>,
    /// Pointer, in the whole record, of the value `key` holds: `/id`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(regex(pattern = POINTER_PATTERN))]
    pub parent: Option<String>,
    /// A built-in transform both values are read through before they are
    /// compared, for ids the vendor writes in more than one form
    /// (`salesforce_id`: a contact naming its account by the 15-character
    /// id belongs to the account of the 18-character one).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(min = 1))]
    pub transform: Option<String>,
}

/// Records of one array of a payload joined to the records of another by
/// a key: NetSuite sends an invoice's tax details apart from its lines, in
/// `taxDetails.items`, each naming its line by `taxDetailsReference`.
/// Before the rules run, each record of `into` gets the entries of `from`
/// whose `on` member equals its `key` member, as an array at `as`, in
/// their order (an entry no record names stays where it was); the way back
/// moves them to `from` again, after any left there, each with its
/// record's key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct JoinSpec {
    /// Pointer, in the payload, of the array of records the entries join:
    /// `/item/items`.
    #[schemars(regex(pattern = POINTER_PATTERN))]
    pub into: String,
    /// Pointer, in each record, of its key: `/taxDetailsReference`.
    #[schemars(regex(pattern = POINTER_PATTERN))]
    pub key: String,
    /// Pointer, in the payload, of the array of entries: `/taxDetails/items`.
    #[schemars(regex(pattern = POINTER_PATTERN))]
    pub from: String,
    /// Pointer, in each entry, of the key of the record it belongs to:
    /// `/taxDetailsReference`.
    #[schemars(regex(pattern = POINTER_PATTERN))]
    pub on: String,
    /// Pointer, in each record, of the array its entries go in, for the
    /// rules to read: `/taxDetails`. The record must not have it already.
    #[serde(rename = "as")]
    #[schemars(regex(pattern = POINTER_PATTERN))]
    pub at: String,
}

/// Arrays gathered into one for the rules: each record of each array in
/// `from`, in order, gets the array's `tag` at `by`, and they all go, in
/// that order, into a new array at `into` (the arrays are left empty). The
/// way back takes each record of `into` to the array its `by` names (a
/// record without one to the first), after any there, without the tag.
/// `cases` by the tag then gives each kind of record its rules.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct GatherSpec {
    /// Pointer of the array made, in the payload: `/$lines`. The payload
    /// must not have it.
    #[schemars(regex(pattern = POINTER_PATTERN))]
    pub into: String,
    /// Pointer, in each record, of its tag: `/$sublist`. A record must not
    /// have it.
    #[schemars(regex(pattern = POINTER_PATTERN))]
    pub by: String,
    /// The arrays, in the order their records are gathered.
    #[schemars(length(min = 1))]
    pub from: Vec<GatherFromSpec>,
}

/// One array of a gather.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct GatherFromSpec {
    /// The tag its records get: `item`.
    #[schemars(length(min = 1))]
    pub tag: String,
    /// Pointer of the array, in the payload: `/item/items`.
    #[schemars(regex(pattern = POINTER_PATTERN))]
    pub at: String,
}

/// The twin of each record of an array that names a second account: a copy
/// with the members of `set` taken from others of the record (the balancing
/// account as its account), the amounts of `negate` negated, the members of
/// `drop` left out (an id the twin must not repeat) and `true` at `by`.
/// The way back takes the twins out (the record itself says what its twin
/// posts) and reports a twin the record would not give.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct TwinSpec {
    /// Pointer of the array, in the payload: `/lines`.
    #[schemars(regex(pattern = POINTER_PATTERN))]
    pub at: String,
    /// Pointer, in each record, of the field whose value (not absent, not
    /// blank where the file says blanks are none) makes a twin:
    /// `/balancingAccountNumber`.
    #[schemars(regex(pattern = POINTER_PATTERN))]
    pub when: String,
    /// The twin's member ← the record's member it is taken from
    /// (`{"/accountNumber": "/balancingAccountNumber"}`).
    #[schemars(length(min = 1))]
    pub set: BTreeMap<String, String>,
    /// Pointers of the JSON number amounts the twin holds negated.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(inner(regex(pattern = POINTER_PATTERN)))]
    pub negate: Vec<String>,
    /// Pointers of members the twin leaves out.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(inner(regex(pattern = POINTER_PATTERN)))]
    pub drop: Vec<String>,
    /// Pointer of the member that marks a twin: `/$balancing`. A record must
    /// not have it.
    #[schemars(regex(pattern = POINTER_PATTERN))]
    pub by: String,
}

/// Records that are one document by a value they share.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct GroupSpec {
    /// Pointer, in each record, of the value they share: `/documentNumber`.
    #[schemars(regex(pattern = POINTER_PATTERN))]
    pub by: String,
    /// Pointer, in the whole, of the array of its records: `/lines`.
    #[schemars(regex(pattern = POINTER_PATTERN))]
    pub at: String,
    /// Pointers of members of the first record copied to the whole, for the
    /// rules of the document (`by` always is): `/postingDate`. The way back
    /// writes the whole's values to every record.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(inner(regex(pattern = POINTER_PATTERN)))]
    pub copy: Vec<String>,
}
