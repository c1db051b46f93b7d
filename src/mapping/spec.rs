//! The declarative mapping file format: one JSON file per vendor object,
//! both directions from one file. `mappings/README.md` teaches it;
//! `schemas/mapping.schema.json` gives editors completion.

pub use super::spec_shapes::{GatherFromSpec, GatherSpec, GroupSpec, JoinSpec, PartSpec, TwinSpec};
use std::collections::BTreeMap;

use schemars::JsonSchema;
use serde::de::{DeserializeOwned, Error as _};
use serde::{Deserialize, Deserializer, Serialize};
use serde_json::Value;

use crate::model::Entity;

/// The most minor units a `minor_units` override may give a currency.
/// ISO 4217 uses at most 4; at 8 every amount up to 92 billion still fits
/// the 64-bit count of minor units written back, and 20 places remain for
/// `minor_units_decimal` amounts below the minor unit (a decimal carries
/// 28).
pub(crate) const MAX_MINOR_UNITS: u32 = 8;

/// A JSON Pointer as the loader accepts it (RFC 6901, not the whole
/// document): `/` then tokens in which `~` only starts `~0` or `~1`.
/// (`fields.value` alternatives use it too, through `VendorPath`, and so
/// accept a `^` the loader then refuses there.)
pub(super) const POINTER_PATTERN: &str = "^(/([^~/]|~[01])*)+$";

/// A money rule's currency pointer: a pointer, `^` first for one from the
/// document root.
const CURRENCY_POINTER_PATTERN: &str = "^\\^?(/([^~/]|~[01])*)+$";

/// `minor_units` values: 0 to [`MAX_MINOR_UNITS`].
fn minor_units_schema(schema: &mut schemars::Schema) {
    schema.insert(
        "additionalProperties".into(),
        serde_json::json!({"type": "integer", "minimum": 0, "maximum": MAX_MINOR_UNITS}),
    );
    schema.insert("propertyNames".into(), serde_json::json!({"pattern": "^[A-Z]{3}$"}));
}

/// What the loader checks across a rule's keys, as far as JSON Schema
/// says it: `fallback` and `reverse_fallback` only with `enum`, `collect`
/// never with `vendor`.
fn rule_schema(schema: &mut schemars::Schema) {
    schema.insert(
        "dependentRequired".into(),
        serde_json::json!({"fallback": ["enum"], "reverse_fallback": ["enum"]}),
    );
    schema.insert("not".into(), serde_json::json!({"required": ["collect", "vendor"]}));
    if let Some(props) = schema.get_mut("properties").and_then(Value::as_object_mut) {
        if let Some(table) = props.get_mut("enum").and_then(Value::as_object_mut) {
            table.insert("minProperties".into(), Value::from(1));
        }
        if let Some(constant) = props.get_mut("constant").and_then(Value::as_object_mut) {
            constant.insert("not".into(), serde_json::json!({"type": "null"}));
        }
    }
}

/// A vendor pointer (`^` first for one from the document root), or a
/// non-empty list of them.
fn vendor_path_schema(schema: &mut schemars::Schema) {
    schema.remove("anyOf");
    schema.insert(
        "anyOf".into(),
        serde_json::json!([
            {"type": "string", "pattern": CURRENCY_POINTER_PATTERN},
            {"type": "array", "minItems": 1, "items": {"type": "string", "pattern": CURRENCY_POINTER_PATTERN}}
        ]),
    );
}

/// A transform: a name (`split` and `join` need their separator, `flag`
/// its two codes, so only in the object form), or an object with `name`
/// and, for `split` and `join` only, a non-empty `separator`, for `flag`
/// only its `true` and `false` codes.
fn transform_spec_schema(schema: &mut schemars::Schema) {
    schema.remove("anyOf");
    schema.insert(
        "anyOf".into(),
        serde_json::json!([
            {"type": "string", "minLength": 1, "not": {"enum": ["split", "join", "flag"]}},
            {
                "type": "object",
                "properties": {"name": {"type": "string", "minLength": 1, "not": {"enum": ["split", "join", "flag"]}}},
                "required": ["name"],
                "additionalProperties": false
            },
            {
                "type": "object",
                "properties": {
                    "name": {"enum": ["split", "join"]},
                    "separator": {"type": "string", "minLength": 1}
                },
                "required": ["name", "separator"],
                "additionalProperties": false
            },
            {
                "type": "object",
                "properties": {
                    "name": {"const": "flag"},
                    "true": {"type": "string", "minLength": 1},
                    "false": {"type": "string", "minLength": 1}
                },
                "required": ["name", "true", "false"],
                "additionalProperties": false
            }
        ]),
    );
}

/// A mapping file: one vendor object ↔ one canonical entity.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct MappingSpec {
    /// Path or URL of this format's JSON Schema, for editors.
    #[serde(rename = "$schema", default, skip_serializing_if = "Option::is_none")]
    pub schema: Option<String>,
    /// The vendor, lower case: `stripe`.
    #[schemars(regex(pattern = "^[a-z0-9_]+$"))]
    pub vendor: String,
    /// The vendor object, as the vendor names it: `customer`, `invoice`.
    #[schemars(length(min = 1))]
    pub object: String,
    /// The canonical entity.
    #[serde(deserialize_with = "entity")]
    #[schemars(with = "Entity")]
    pub entity: Entity,
    /// What the mapping covers, for people.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
    /// Minor units the vendor uses where they differ from ISO 4217, by
    /// currency code (`{"ISK": 2}`), from 0 to 8.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    #[schemars(transform = minor_units_schema)]
    pub minor_units: BTreeMap<String, u32>,
    /// The vendor API only gives these records (Xero's system journals,
    /// Business Central's general ledger entries): the way back still
    /// writes the payload, for comparing, reports that the vendor takes no
    /// such records, and the mapper says it is read only
    /// ([`Mapper::read_only`](super::Mapper::read_only)).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub read_only: bool,
    /// The vendor writes every field, an empty string (or spaces) for no
    /// value (Business Central, SAP): a rule reads such a string as absent,
    /// and it comes back from extensions as it was.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub blank_is_absent: bool,
    /// Vendor fields, by pointer in their element, that hold 0 for no value
    /// (Business Central's `discountAmount` on every line): a rule reads a
    /// zero there as absent, and it comes back from extensions as it was.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(inner(regex(pattern = POINTER_PATTERN)))]
    pub zero_is_absent: Vec<String>,
    /// Strings that mean no value wherever the vendor writes them
    /// (Business Central's nil GUID `00000000-0000-0000-0000-000000000000`
    /// for a reference to nothing): read as absent, and they come back from
    /// extensions as they were.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(inner(length(min = 1)))]
    pub absent_values: Vec<String>,
    /// How the vendor wraps records in its responses, if it does.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub envelope: Option<EnvelopeSpec>,
    /// Records the vendor sends apart that belong in this one (Business
    /// Central's invoice lines, a NetSuite sublist fetched by its link):
    /// where each kind goes, for [`parts::assemble`](super::parts::assemble)
    /// and [`parts::split`](super::parts::split).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub parts: Vec<PartSpec>,
    /// Records of one array of the payload that belong to the records of
    /// another, by a key both hold (a NetSuite line's `taxDetails` entries,
    /// by `taxDetailsReference`): each record gets its own as an array
    /// before the rules run, and they go back to their array on the way
    /// back.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub joins: Vec<JoinSpec>,
    /// Arrays of the payload whose records are one canonical list (a
    /// NetSuite bill's `item` and `expense` sublists are its lines),
    /// gathered into one array, each record tagged with the array it came
    /// from, before the rules run (after the joins); the way back puts each
    /// record back in its array.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub gathers: Vec<GatherSpec>,
    /// Records that each carry an opposite one (a Business Central journal
    /// line with a balancing account posts the opposite amount to it): a
    /// twin of each is put after it before the rules run, and taken out
    /// again on the way back.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub twins: Vec<TwinSpec>,
    /// The vendor's document is not a record but the records that share a
    /// value (Business Central's journal lines and general ledger entries
    /// of one `documentNumber`): [`parts::group`](super::parts::group) makes
    /// one whole of each, and [`parts::ungroup`](super::parts::ungroup)
    /// gives the records back.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<GroupSpec>,
    /// Vendor fields the vendor computes and refuses on a write
    /// (Salesforce's `attributes`, system fields and compound addresses),
    /// by pointer, `*` for every item of an array: the way back gives them
    /// back, for comparing, and [`sendable`](super::sendable) leaves them
    /// out of a payload to send.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(inner(regex(pattern = POINTER_PATTERN)))]
    pub not_sent: Vec<String>,
    /// The rules, applied in order.
    pub rules: Vec<RuleSpec>,
    /// Invoice parts the vendor computes and does not send as such, derived
    /// from the canonical record the rules made (after them), left to the
    /// vendor on the way back.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub derive: Option<DeriveSpec>,
}

/// A condition on a vendor field of the rule's element.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct IfSpec {
    /// Pointer of the field, in the element: `/isTaxable`.
    #[schemars(regex(pattern = POINTER_PATTERN))]
    pub field: String,
    /// The values it must hold (booleans as `"true"` and `"false"`,
    /// numbers as written); none: it must only be there.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub is: Vec<String>,
}

/// What the engine derives for an invoice the vendor sends without it.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct DeriveSpec {
    /// The amount of each line allowance or charge that gives a percent
    /// and no amount (Xero `DiscountRate`): the percent of its base, the
    /// line's quantity × unit price when it gives none, rounded to minor
    /// units; the base is written too.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub allowance_amounts: bool,
    /// The unit price of each line that gives a quantity and a net amount
    /// but no price (a QuickBooks bundle): the net amount, before the
    /// line's allowances and charges, ÷ the quantity, to the 20th place.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub unit_prices: bool,
    /// The status of an invoice the vendor gives none for (QuickBooks),
    /// from its totals: `paid` when nothing is due of a total above zero,
    /// `partially_paid` when some is paid and some due, else `issued`.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub status: bool,
    /// The tax breakdown (BG-23), one entry per (category, rate) of the
    /// lines, allowances and charges, when the rules give none.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tax_breakdown: Option<TaxBreakdownSpec>,
    /// The totals (BG-22) the rules leave out, from the lines, the
    /// document allowances and charges, the breakdown and the totals the
    /// rules give: `line_net_total`, `allowance_total`, `charge_total`,
    /// `total_without_tax`, `tax_total`, `total_with_tax`, `paid` (total
    /// with tax less the amount due) and `amount_due` (total less paid; zero
    /// for a paid document that gives neither).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub totals: bool,
}

/// How the tax breakdown is derived.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct TaxBreakdownSpec {
    /// The exemption reason (BT-120) written for a category that needs one
    /// (`exempt`, `reverse_charge`, `intra_community`, `export`,
    /// `outside_scope`), by category: what the vendor's code means.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub exemption_reasons: BTreeMap<String, String>,
    /// The category of a line the vendor gives no tax for at all (a
    /// NetSuite US bill's lines carry none: `outside_scope`), written to
    /// each such line, without a rate, and left to the vendor on the way
    /// back. Without it such a line is reported and no breakdown derived.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub untaxed: Option<String>,
}

/// A vendor code looked up in a table of the tenant's (its tax codes):
/// the entry's members fill canonical fields beside the code.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct LookupSpec {
    /// Pointer of the table in the payload, `^` first for one from the
    /// document root: an object keyed by code. The caller puts the
    /// tenant's table there with
    /// [`Crosswalk::set_tenant_value`](super::Crosswalk::set_tenant_value).
    #[schemars(regex(pattern = CURRENCY_POINTER_PATTERN))]
    pub table: String,
    /// Canonical pointer, in the element, ← pointer of the member in the
    /// entry: `{"/tax_category": "/category", "/tax_rate": "/rate"}`.
    #[schemars(length(min = 1))]
    pub fill: BTreeMap<String, String>,
    /// Entries for codes that are the vendor's own, not the tenant's
    /// (QuickBooks `NON`): used when the table lacks the code.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub defaults: BTreeMap<String, crate::json::Value>,
    /// Codes that stand for the code in another field, looked up in its
    /// place: QuickBooks `TAX` on a US line means the document's
    /// `^/TxnTaxDetail/TxnTaxCodeRef/value`.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    #[schemars(inner(regex(pattern = CURRENCY_POINTER_PATTERN)))]
    pub via: BTreeMap<String, String>,
    /// More fields of the element whose values, after the code and a `:`
    /// each, make the table's key: Business Central's VAT product group and
    /// rate, `["/taxPercent"]` → `STANDARD:20`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(inner(regex(pattern = POINTER_PATTERN)))]
    pub with: Vec<String>,
}

/// One rule. Which keys are present decides what it does:
///
/// | keys | forward (vendor → canonical) | reverse |
/// | --- | --- | --- |
/// | `vendor`, `canonical` [, `transform`] [, `default`] | copy, through a transform | copy back |
/// | `canonical`, `constant` | set a canonical constant | report a loss when the record holds another value |
/// | `vendor`, `constant` | check the vendor constant | write it |
/// | `vendor`, `canonical`, `enum` [, `fallback`, `reverse_fallback`] | translate through the table | through the inverted table |
/// | `vendor`, `canonical`, `money` | amount + currency → Money | Money → amount + currency |
/// | `vendor`, `canonical`, `reference` | an id (or expanded object) → a reference with an external ref | the vendor id back |
/// | `vendor`, `canonical`, `external_ref` | the record's own id → `external_refs` | from `external_refs` |
/// | `vendor`, `canonical`, `each` | an array, element by element | the same |
/// | `collect`, `canonical` | several vendor fields → one array | the array spread back |
/// | `members`, `canonical` | the element's members named with a prefix → a map | the map's entries with the prefix, as members |
/// | `vendor`, `canonical`, `lookup` | a code, and the fields its tenant-table entry fills | the code, or the code whose entry has those fields |
///
/// Pointers are RFC 6901 JSON Pointers; inside `each` they are relative to
/// the element.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(transform = rule_schema)]
#[non_exhaustive]
pub struct RuleSpec {
    /// Pointer into the canonical record.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(regex(pattern = POINTER_PATTERN))]
    pub canonical: Option<String>,
    /// Pointer into the vendor payload, or a list of alternatives (the first
    /// present is read; the one read is written back).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub vendor: Option<VendorPath>,
    /// A constant: for the canonical side with `canonical` alone, for the
    /// vendor side with `vendor` alone.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub constant: Option<crate::json::Value>,
    /// The canonical value to use when the vendor field is absent.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub default: Option<crate::json::Value>,
    /// A named transform: a string, or an object with `name` and arguments.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub transform: Option<TransformSpec>,
    /// Vendor value → canonical value.
    #[serde(rename = "enum", default, skip_serializing_if = "Option::is_none")]
    pub enum_table: Option<BTreeMap<String, String>>,
    /// The canonical value for vendor values not in `enum` (reported as a
    /// loss). Without it, an unknown value is an error.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fallback: Option<String>,
    /// The vendor value for canonical values not in `enum` (reported as a
    /// loss). Without it, such a value is an error.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reverse_fallback: Option<String>,
    /// The amount is money: how to read its currency and encoding.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub money: Option<MoneySpec>,
    /// The vendor field references another record of this vendor object
    /// type: `"customer"` for an id string or the expanded object, or
    /// `{"type": "Customer", "id": "/value", "display": "/name"}` for a
    /// reference object (QuickBooks `{value, name}`, NetSuite `{id,
    /// refName}`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub reference: Option<ReferenceSpec>,
    /// The vendor field is the record's own id, kept in `external_refs`
    /// with this object type.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub external_ref: Option<String>,
    /// Rules for each element of an array.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub each: Option<Vec<RuleSpec>>,
    /// With `cases`: the pointer, inside each item of the vendor array, of
    /// the member that says which case the item is (`/DetailType`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(regex(pattern = POINTER_PATTERN))]
    pub by: Option<String>,
    /// The items of one vendor array sorted by `by` into canonical arrays,
    /// each case with its own rules; a case without `canonical` keeps its
    /// items (computed by the vendor) for the way back.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(min = 1))]
    pub cases: Option<Vec<CaseSpec>>,
    /// With `money`: the amount also says the side. Signed (`positive` and
    /// `negative` name the side of each sign) or, with no `vendor`, two
    /// columns (`columns` names the vendor column of each side).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub side: Option<SideSpec>,
    /// Rules for one vendor object (an address), relative to it, into one
    /// canonical object. With `needs`, an object the rules cannot read, or
    /// that lacks a canonical field it needs, is left out, kept in
    /// extensions and reported.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub object: Option<Vec<RuleSpec>>,
    /// With `object`: canonical pointers, in the object, that must be there.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(inner(regex(pattern = POINTER_PATTERN)))]
    pub needs: Option<Vec<String>>,
    /// The canonical value when the vendor field is there (not null): the
    /// kind of a customer with a company name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub present: Option<crate::json::Value>,
    /// With `present`: the canonical value when the vendor field is not.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub absent: Option<crate::json::Value>,
    /// Boolean vendor fields ↔ a canonical array of values: each value
    /// whose field is true (`{"customer": "/IsCustomer", "supplier":
    /// "/IsSupplier"}` → roles). With none true, the array is left to its
    /// default and the fields come back as they were.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub flags: Option<BTreeMap<String, String>>,
    /// An array of `{name, value}` objects ↔ a canonical map of name to
    /// value (`/extensions/custom`, `/dimensions/other`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub fields: Option<FieldsSpec>,
    /// The element's own members whose names start with this prefix
    /// (NetSuite `custbody_`, `custentity_`), or, written `*` first, end
    /// with this suffix (`*__c`, Salesforce custom fields) ↔ a canonical
    /// map of name to value (`/extensions/custom`), each by its name. No
    /// `vendor`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(length(min = 1))]
    pub members: Option<String>,
    /// Vendor fields gathered, in order, into one canonical array.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(inner(regex(pattern = POINTER_PATTERN)))]
    pub collect: Option<Vec<String>>,
    /// With a plain copy of a code: the code looked up in a tenant table,
    /// whose entry fills more canonical fields (a tax code's category and
    /// rate). The way back writes the code, or finds it by those fields.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub lookup: Option<LookupSpec>,
    /// With a plain copy: the vendor value is a code in a tenant table of
    /// code → value, the pointer of the table, `^` first (NetSuite's
    /// currency id `"7"` in `^/Currencies`, `{"7": "NOK"}`, which the caller
    /// puts there with the Crosswalk): the canonical field holds the value,
    /// and the way back writes the code whose value it is. A code the table
    /// lacks is an error.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(regex(pattern = CURRENCY_POINTER_PATTERN))]
    pub table: Option<String>,
    /// The rule applies only where a vendor field of the element is there
    /// (and, with `is`, holds one of the values): a NetSuite line taxed by
    /// the header's tax group only when it `isTaxable`, its SuiteTax tax
    /// details read only where it has them. The way back applies it where
    /// the element being written holds the field (an earlier rule wrote it,
    /// or it was kept from the payload), so a field the payload did not
    /// have is not invented.
    #[serde(default, rename = "if", skip_serializing_if = "Option::is_none")]
    pub only_if: Option<IfSpec>,
    /// A comment for people; ignored.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// What a `reference` rule reads: an object type alone (the vendor value
/// is an id, or an expanded object with an `id`), or a reference object
/// whose members hold the id and the name shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(untagged)]
#[non_exhaustive]
pub enum ReferenceSpec {
    /// The vendor object type: `customer`.
    Type(String),
    /// A reference object: `{"value": "58", "name": "Cool Cars"}`.
    Object(ReferenceObject),
}

/// A reference object's members.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct ReferenceObject {
    /// The vendor object type the id is of: `Customer`.
    #[serde(rename = "type")]
    #[schemars(length(min = 1))]
    pub object_type: String,
    /// Pointer, inside the reference object, of the id: `/value`.
    #[schemars(regex(pattern = POINTER_PATTERN))]
    pub id: String,
    /// Pointer, inside the reference object, of the name shown: `/name`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(regex(pattern = POINTER_PATTERN))]
    pub display: Option<String>,
    /// Pointer, inside the reference object, of the object type when the
    /// vendor says it per reference (QuickBooks `Entity.Type`: `Customer`
    /// or `Vendor`); `type` is used when it is not there.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(regex(pattern = POINTER_PATTERN))]
    pub type_member: Option<String>,
}

impl ReferenceSpec {
    /// The vendor object type referenced.
    pub fn object_type(&self) -> &str {
        match self {
            ReferenceSpec::Type(t) => t,
            ReferenceSpec::Object(o) => &o.object_type,
        }
    }
}

/// One case of a `cases` rule.
#[derive(Debug, Clone, PartialEq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct CaseSpec {
    /// The values of `by` this case takes; the way back writes the first
    /// for an item it adds.
    #[schemars(length(min = 1))]
    pub when: Vec<String>,
    /// The canonical array the items go to; without it the items are the
    /// vendor's own (a computed subtotal) and are kept as they are.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(regex(pattern = POINTER_PATTERN))]
    pub canonical: Option<String>,
    /// Rules for each item, relative to the item (with `canonical`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub each: Option<Vec<RuleSpec>>,
    /// Canonical pointers, in the item, that must be there: an item the
    /// rules cannot read, or that lacks one, is kept and reported.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(inner(regex(pattern = POINTER_PATTERN)))]
    pub needs: Option<Vec<String>>,
    /// A comment for people; ignored.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
}

/// How an amount says its side.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct SideSpec {
    /// Pointer, in the canonical element, of the side: `/side`.
    #[schemars(regex(pattern = POINTER_PATTERN))]
    pub canonical: String,
    /// Signed amounts: the side of a positive amount (and of zero).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub positive: Option<String>,
    /// Signed amounts: the side of a negative amount.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub negative: Option<String>,
    /// Two columns: the vendor column of each side, by canonical side
    /// (`{"debit": "/debit", "credit": "/credit"}`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub columns: Option<BTreeMap<String, String>>,
}

/// The members of the objects of a custom-field array.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct FieldsSpec {
    /// Pointer, in each object, of the field's name: `/Name`.
    #[schemars(regex(pattern = POINTER_PATTERN))]
    pub name: String,
    /// Pointer, in each object, of its value, or alternatives by type
    /// (`["/StringValue", "/NumberValue"]`: the first present is read and
    /// written back).
    pub value: VendorPath,
}

/// How the vendor wraps records in a response: the arrays that hold a
/// list (`/Invoices`, `/QueryResponse/Invoice`) and the members that hold
/// one (`/Invoice`). A payload that is none of these is one record.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct EnvelopeSpec {
    /// Pointers of an array of records, tried in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(inner(regex(pattern = POINTER_PATTERN)))]
    pub list: Vec<String>,
    /// Pointers of one record, tried in order after `list`.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(inner(regex(pattern = POINTER_PATTERN)))]
    pub one: Vec<String>,
    /// The items of a `list` that are not records themselves but hold one
    /// (Salesforce's composite response: each sub-response's record at
    /// `/body`), or that mix records of several objects (`/attributes/type`
    /// `Account`), or hold `null` for a record not found (sObject
    /// Collections): which items hold this object's records, and where.
    /// Every other item stays where it was, and the way back writes each
    /// record back in its item.
    /// Tried after `list`, in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub items: Vec<EnvelopeItemsSpec>,
}

/// An array whose items hold records, and where the records are in them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct EnvelopeItemsSpec {
    /// Pointer of the array: `/compositeResponse`, or `""` for a response
    /// that is an array (read only when it is one).
    #[schemars(regex(pattern = "^(/([^~/]|~[01])*)*$"))]
    pub list: String,
    /// Pointer, in each item, of its record: `/body`. Absent: the item is
    /// the record.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(regex(pattern = POINTER_PATTERN))]
    pub record: Option<String>,
    /// Pointer, in each record, of the field that names its object:
    /// `/attributes/type`. Goes with `is`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(regex(pattern = POINTER_PATTERN))]
    pub type_at: Option<String>,
    /// The value `type_at` holds for this object's records: `Account`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub is: Option<String>,
}

/// One vendor pointer, or alternatives tried in order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, JsonSchema)]
#[serde(untagged)]
#[schemars(transform = vendor_path_schema)]
pub enum VendorPath {
    /// One pointer.
    One(String),
    /// Alternatives: the first present is read.
    Any(Vec<String>),
}

impl VendorPath {
    /// The pointers, in order.
    pub fn pointers(&self) -> Vec<&str> {
        match self {
            VendorPath::One(p) => vec![p.as_str()],
            VendorPath::Any(ps) => ps.iter().map(String::as_str).collect(),
        }
    }
}

/// A transform by name, with arguments for the built-ins that take them.
#[derive(Debug, Clone, PartialEq, Serialize, JsonSchema)]
#[serde(untagged)]
#[schemars(transform = transform_spec_schema)]
pub enum TransformSpec {
    /// A transform without arguments: `"unix_seconds_date"`.
    Name(String),
    /// A transform with arguments: `{"name": "split", "separator": "\n"}`.
    WithArgs {
        /// The transform's name.
        name: String,
        /// Its arguments.
        #[serde(flatten)]
        args: BTreeMap<String, crate::json::Value>,
    },
}

impl TransformSpec {
    /// The transform's name.
    pub fn name(&self) -> &str {
        match self {
            TransformSpec::Name(n) | TransformSpec::WithArgs { name: n, .. } => n,
        }
    }
}

/// How a vendor amount is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum AmountEncoding {
    /// An integer count of minor units (Stripe, Chargebee): 1999 = 19.99 USD.
    #[default]
    MinorUnits,
    /// A decimal, as a JSON number or a string (Xero, QuickBooks, SAP).
    Decimal,
    /// A decimal count of minor units, as a string (or a JSON number), that
    /// may go below the minor unit: Stripe's `unit_amount_decimal`, where
    /// `"4900"` is 49.00 USD and `"0.012"` is 0.00012 USD. Read and written
    /// back exactly (the decimal point moves; nothing is rounded).
    MinorUnitsDecimal,
}

/// Letter case of a vendor currency code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum CodeCase {
    /// `usd` (Stripe).
    Lower,
    /// `USD`.
    #[default]
    Upper,
}

/// Where a money amount's currency is and how the amount is written.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct MoneySpec {
    /// Pointer to the vendor currency code, relative to the current element;
    /// a leading `^` makes it relative to the document root (`^/currency`).
    #[schemars(regex(pattern = CURRENCY_POINTER_PATTERN))]
    pub currency: String,
    /// More places of the currency code, in the element (or, `^` first,
    /// from the document root: a tenant's local currency), tried in order
    /// when `currency` is not there (a Xero payment's currency is its
    /// invoice's, credit note's or overpayment's). They hold ISO codes
    /// (`currency_table` reads `currency` only). The code then stays in
    /// extensions and comes back from there.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(inner(regex(pattern = CURRENCY_POINTER_PATTERN)))]
    pub currency_or: Vec<String>,
    /// How the amount is written.
    #[serde(default, deserialize_with = "encoding")]
    #[schemars(with = "AmountEncoding")]
    pub encoding: AmountEncoding,
    /// The letter case the vendor writes currency codes in.
    #[serde(default, deserialize_with = "code_case")]
    #[schemars(with = "CodeCase")]
    pub currency_case: CodeCase,
    /// When the vendor amount includes tax and the canonical one does not:
    /// which document field says so, and where the tax is.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tax_included: Option<TaxIncludedSpec>,
    /// More vendor amounts, in the element and in the same currency, that
    /// the canonical amount adds up (Xero `AmountPaid` plus
    /// `AmountCredited` is what was settled). They stay in extensions, and
    /// the way back takes them off again.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    #[schemars(inner(regex(pattern = POINTER_PATTERN)))]
    pub plus: Vec<String>,
    /// The vendor names currencies by its own ids (NetSuite `currency.id`
    /// `"7"`): pointer, `^` first for one from the document root, of the
    /// tenant's table of id → ISO 4217 code (`{"7": "NOK"}`), which the
    /// caller puts there with the Crosswalk. The way back writes the id of
    /// the record's currency.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(regex(pattern = CURRENCY_POINTER_PATTERN))]
    pub currency_table: Option<String>,
    /// The vendor writes the amount with the opposite sign (Business
    /// Central's customer payment: −500 for 500.00 received): the canonical
    /// amount is its negation, and the way back negates it again.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub negate: bool,
    /// The currency is read, never written: the field it is read at (or
    /// through the table) is not the vendor's currency but another rule's
    /// (the applied invoice's id) or the tenant's. For a vendor whose record
    /// has no currency field.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub currency_read_only: bool,
    /// The vendor amount is for the element's whole quantity, the
    /// canonical one for one unit (a Salesforce line's `TotalPrice`, after
    /// its discount, is the agreed unit price × `Quantity`): the canonical
    /// amount is the vendor's ÷ the quantity, to the 20th place, and the
    /// way back multiplies again (the vendor's text kept while it reads
    /// the same).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub per: Option<PerSpec>,
}

/// The quantity a money amount is for, in the vendor and canonical
/// elements.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct PerSpec {
    /// Pointer of the vendor quantity, in the element: `/Quantity`.
    #[schemars(regex(pattern = POINTER_PATTERN))]
    pub vendor: String,
    /// Pointer of the canonical quantity, in the element: `/quantity`.
    #[schemars(regex(pattern = POINTER_PATTERN))]
    pub canonical: String,
}

/// A vendor amount that includes tax when a document field says so (Xero
/// `LineAmountTypes: Inclusive`): the canonical amount is the vendor's less
/// the tax, and the way back adds the tax again.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct TaxIncludedSpec {
    /// Pointer of the vendor field that says it, `^` first for one from the
    /// document root: `^/LineAmountTypes`.
    #[schemars(regex(pattern = CURRENCY_POINTER_PATTERN))]
    pub when: String,
    /// The values of `when` that mean the amount includes tax.
    #[schemars(length(min = 1))]
    pub values: Vec<String>,
    /// Pointer of the canonical flag the way back reads (true: write the
    /// amount with tax), `^` first for one from the record root:
    /// `^/tax_inclusive`.
    #[schemars(regex(pattern = CURRENCY_POINTER_PATTERN))]
    pub canonical: String,
    /// Pointer of the vendor tax amount, in the element: `/TaxAmount`.
    #[schemars(regex(pattern = POINTER_PATTERN))]
    pub tax: String,
    /// Pointer of the canonical tax amount, in the element: `/tax_amount`.
    #[schemars(regex(pattern = POINTER_PATTERN))]
    pub canonical_tax: String,
    /// For a unit price: pointer of the vendor quantity, in the element
    /// (`/Quantity`); the tax of one unit (the line's tax ÷ the quantity) is
    /// taken off. Goes with `canonical_per`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(regex(pattern = POINTER_PATTERN))]
    pub per: Option<String>,
    /// With `per`: pointer of the canonical quantity, in the element
    /// (`/quantity`), which the way back divides the tax by.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[schemars(regex(pattern = POINTER_PATTERN))]
    pub canonical_per: Option<String>,
}

/// A JSON value for a message: its text, cut at 40 characters.
fn shown(v: &Value) -> String {
    let text = v.to_string();
    if text.chars().count() > 40 {
        format!("{}…", text.chars().take(40).collect::<String>())
    } else {
        text
    }
}

/// A unit enum written as a string: what serde says about a string
/// (`unknown variant`), and for anything else which names were expected
/// (serde_json would say only `expected value`).
fn one_of<'de, D: Deserializer<'de>, T: DeserializeOwned>(
    d: D,
    names: &str,
) -> Result<T, D::Error> {
    let v = Value::deserialize(d)?;
    if v.is_string() {
        T::deserialize(v).map_err(D::Error::custom)
    } else {
        Err(D::Error::custom(format!("expected one of {names}, but found {}", shown(&v))))
    }
}

fn entity<'de, D: Deserializer<'de>>(d: D) -> Result<Entity, D::Error> {
    let names: Vec<&str> = Entity::ALL.iter().map(|e| e.name()).collect();
    one_of(d, &names.join(", "))
}

fn encoding<'de, D: Deserializer<'de>>(d: D) -> Result<AmountEncoding, D::Error> {
    one_of(d, "minor_units, decimal, minor_units_decimal")
}

fn code_case<'de, D: Deserializer<'de>>(d: D) -> Result<CodeCase, D::Error> {
    one_of(d, "lower, upper")
}

impl<'de> Deserialize<'de> for VendorPath {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let expected = |v: &Value| {
            D::Error::custom(format!(
                "expected a JSON Pointer string or an array of them, but found {}",
                shown(v)
            ))
        };
        match Value::deserialize(d)? {
            Value::String(p) => Ok(VendorPath::One(p)),
            Value::Array(items) => items
                .into_iter()
                .map(|item| match item {
                    Value::String(p) => Ok(p),
                    other => Err(expected(&other)),
                })
                .collect::<Result<Vec<String>, D::Error>>()
                .map(VendorPath::Any),
            other => Err(expected(&other)),
        }
    }
}

impl<'de> Deserialize<'de> for ReferenceSpec {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        match Value::deserialize(d)? {
            Value::String(t) => Ok(ReferenceSpec::Type(t)),
            v @ Value::Object(_) => {
                ReferenceObject::deserialize(v).map(ReferenceSpec::Object).map_err(D::Error::custom)
            }
            other => Err(D::Error::custom(format!(
                "expected a vendor object type, or an object with `type`, `id` and `display`, but found {}",
                shown(&other)
            ))),
        }
    }
}

impl<'de> Deserialize<'de> for TransformSpec {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        match Value::deserialize(d)? {
            Value::String(name) => Ok(TransformSpec::Name(name)),
            Value::Object(mut fields) => match fields.remove("name") {
                Some(Value::String(name)) => Ok(TransformSpec::WithArgs {
                    name,
                    args: fields
                        .into_iter()
                        .map(|(k, v)| (k, crate::json::Value::from(v)))
                        .collect(),
                }),
                Some(other) => Err(D::Error::custom(format!(
                    "expected the transform's `name` as a string, but found {}",
                    shown(&other)
                ))),
                None => Err(D::Error::custom(
                    "expected a `name` in a transform object ({\"name\": \"split\", \"separator\": \"|\"})",
                )),
            },
            other => Err(D::Error::custom(format!(
                "expected a transform name or an object with `name` and arguments, but found {}",
                shown(&other)
            ))),
        }
    }
}
