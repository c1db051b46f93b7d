//! Validating JSON text: one parse for a readable document, and for an
//! unreadable one a report that names every EN 16931 field it lacks under
//! that rule's code, with its JSON Pointer.

use serde::de::DeserializeOwned;
use serde_json::Value;

use super::strict::Strict;
use super::{Profile, Rule, RuleScope, Validate, ValidationReport, Violation};
use crate::json::{Limits, ParseErrorKind};
use crate::model::{Contract, Customer, Entity, Invoice, JournalEntry, Payment};

const I: Entity = Entity::Invoice;

/// A rule the types enforce: a document that breaks it is not read.
const fn shape(code: &'static str, description: &'static str, en: &'static [&'static str]) -> Rule {
    let mut r = Rule::error(code, I, description).en(en);
    r.scope = RuleScope::Parse;
    r
}

pub(super) const TYPE_CODE: Rule =
    shape("BR-04", "an invoice has a kind (its type code)", &["BR-04", "BT-3"]);
pub(super) const TYPE_CODE_LIST: Rule = shape(
    "BR-CL-01",
    "the kind is one of invoice (380), credit_note (381), debit_note (383), corrective (384), prepayment (386), self_billed (389)",
    &["BR-CL-01", "BT-3"],
);
pub(super) const CURRENCY: Rule = shape("BR-05", "an invoice has a currency", &["BR-05", "BT-5"]);
pub(super) const CURRENCY_CODE: Rule =
    shape("BR-CL-04", "the invoice currency is an ISO 4217 code", &["BR-CL-04", "BT-5"]);
pub(super) const TAX_CURRENCY_CODE: Rule =
    shape("BR-CL-05", "the tax currency is an ISO 4217 code", &["BR-CL-05", "BT-6"]);
pub(super) const AMOUNT_CURRENCY_CODE: Rule =
    shape("BR-CL-03", "every amount's currency is an ISO 4217 code", &["BR-CL-03"]);
pub(super) const LINE_NET_TOTAL: Rule = shape(
    "BR-12",
    "an invoice has the sum of its line net amounts (totals.line_net_total)",
    &["BR-12", "BT-106"],
);
pub(super) const TOTAL_WITHOUT_TAX: Rule = shape(
    "BR-13",
    "an invoice has its total without tax (totals.total_without_tax)",
    &["BR-13", "BT-109"],
);
pub(super) const TOTAL_WITH_TAX: Rule = shape(
    "BR-14",
    "an invoice has its total with tax (totals.total_with_tax)",
    &["BR-14", "BT-112"],
);
pub(super) const AMOUNT_DUE: Rule =
    shape("BR-15", "an invoice has its amount due (totals.amount_due)", &["BR-15", "BT-115"]);
pub(super) const QUANTITY: Rule = shape("BR-22", "every line has a quantity", &["BR-22", "BT-129"]);
pub(super) const LINE_NET: Rule =
    shape("BR-24", "every line has a net amount", &["BR-24", "BT-131"]);
pub(super) const NET_PRICE: Rule =
    shape("BR-26", "every line has a unit (net) price", &["BR-26", "BT-146"]);
pub(super) const DOC_ALLOWANCE_AMOUNT: Rule =
    shape("BR-31", "every document-level allowance has an amount", &["BR-31", "BT-92"]);
pub(super) const DOC_CHARGE_AMOUNT: Rule =
    shape("BR-36", "every document-level charge has an amount", &["BR-36", "BT-99"]);
pub(super) const LINE_ALLOWANCE_AMOUNT: Rule =
    shape("BR-41", "every line allowance has an amount", &["BR-41", "BT-136"]);
pub(super) const LINE_CHARGE_AMOUNT: Rule =
    shape("BR-43", "every line charge has an amount", &["BR-43", "BT-141"]);
pub(super) const TAXABLE_AMOUNT: Rule =
    shape("BR-45", "every tax breakdown has a taxable amount", &["BR-45", "BT-116"]);
pub(super) const TAX_AMOUNT: Rule =
    shape("BR-46", "every tax breakdown has a tax amount", &["BR-46", "BT-117"]);
pub(super) const TAX_CATEGORY: Rule =
    shape("BR-47", "every tax breakdown has a tax category", &["BR-47", "BT-118"]);
pub(super) const BREAKDOWN_CATEGORY_CODE: Rule = shape(
    "BR-CL-17",
    "a tax breakdown's or a document-level allowance's or charge's tax category (UBL cac:TaxCategory) is one of the UNTDID 5305 categories of the model",
    &["BR-CL-17", "BT-118", "BT-95", "BT-102"],
);
pub(super) const ITEM_CATEGORY_CODE: Rule = shape(
    "BR-CL-18",
    "a line's tax category (UBL cac:ClassifiedTaxCategory), or that of a line's allowance or charge, is one of the UNTDID 5305 categories of the model",
    &["BR-CL-18", "BT-151"],
);
pub(super) const MEANS: Rule =
    shape("BR-49", "every payment instruction has its means", &["BR-49", "BT-81"]);
pub(super) const SELLER_COUNTRY: Rule =
    shape("BR-09", "the seller's postal address has a country", &["BR-09", "BT-40"]);
pub(super) const BUYER_COUNTRY: Rule =
    shape("BR-11", "the buyer's postal address has a country", &["BR-11", "BT-55"]);
pub(super) const TAX_REP_COUNTRY: Rule =
    shape("BR-20", "the tax representative's postal address has a country", &["BR-20", "BT-69"]);
pub(super) const DELIVERY_COUNTRY: Rule =
    shape("BR-57", "the deliver-to address has a country", &["BR-57", "BT-80"]);
pub(super) const COUNTRY_CODE: Rule =
    shape("BR-CL-14", "every country in an address is an ISO 3166-1 alpha-2 code", &["BR-CL-14"]);
pub(super) const ORIGIN_COUNTRY_CODE: Rule = shape(
    "BR-CL-15",
    "an item's country of origin is an ISO 3166-1 alpha-2 code",
    &["BR-CL-15", "BT-159"],
);
pub(super) const ITEM_ATTRIBUTE: Rule =
    shape("BR-54", "every item attribute has a name and a value", &["BR-54", "BT-160", "BT-161"]);

/// The invoice rules checked while the JSON is read.
pub(super) static INVOICE_RULES: &[Rule] = &[
    TYPE_CODE,
    TYPE_CODE_LIST,
    CURRENCY,
    CURRENCY_CODE,
    TAX_CURRENCY_CODE,
    AMOUNT_CURRENCY_CODE,
    LINE_NET_TOTAL,
    TOTAL_WITHOUT_TAX,
    TOTAL_WITH_TAX,
    AMOUNT_DUE,
    QUANTITY,
    LINE_NET,
    NET_PRICE,
    DOC_ALLOWANCE_AMOUNT,
    DOC_CHARGE_AMOUNT,
    LINE_ALLOWANCE_AMOUNT,
    LINE_CHARGE_AMOUNT,
    TAXABLE_AMOUNT,
    TAX_AMOUNT,
    TAX_CATEGORY,
    BREAKDOWN_CATEGORY_CODE,
    ITEM_CATEGORY_CODE,
    MEANS,
    SELLER_COUNTRY,
    BUYER_COUNTRY,
    TAX_REP_COUNTRY,
    DELIVERY_COUNTRY,
    COUNTRY_CODE,
    ORIGIN_COUNTRY_CODE,
    ITEM_ATTRIBUTE,
];

/// A document that is JSON but not a record of the entity, for a reason no
/// rule of its own names.
pub(crate) const PARSE: Rule = {
    let mut r = Rule::field(
        "PARSE",
        "the document has the entity's shape: every field of its type, no unknown field, every required field (those EN 16931 names are reported under their own codes)",
    );
    r.scope = RuleScope::Parse;
    r
};
/// Input that is not JSON at all (`canonical-finance validate --ndjson`
/// reports such a line under this code).
pub(crate) const JSON_SYNTAX: Rule = {
    let mut r =
        Rule::field("JSON-SYNTAX", "the input is one JSON document (per line with --ndjson)");
    r.scope = RuleScope::Parse;
    r
};

/// An object with the same key twice (in every reader of the crate: a
/// record whose `amount` is there twice has no single meaning).
pub(crate) const JSON_DUPLICATE_KEY: Rule = {
    let mut r = Rule::field(
        "JSON-DUPLICATE-KEY",
        "no object has the same key twice (the path is the second one)",
    );
    r.scope = RuleScope::Parse;
    r
};
/// A document larger or deeper than the [`Limits`] the reader was given.
pub(crate) const JSON_LIMIT: Rule = {
    let mut r = Rule::field(
        "JSON-LIMIT",
        "the document is within the reader's limits: at most 128 levels of nesting and 16 MiB by default (--max-depth, --max-bytes)",
    );
    r.scope = RuleScope::Parse;
    r
};

/// The rules of every entity checked while the JSON is read.
pub(super) static SHARED_RULES: &[Rule] = &[PARSE, JSON_SYNTAX, JSON_DUPLICATE_KEY, JSON_LIMIT];

/// What a serde_json error says, in the crate's voice ("expected …, but
/// found …", JSON's words: object, array, number), without the position
/// (`err.line()` and `err.column()` give it). For text that is not JSON it
/// names what stands where the reader stopped in `text`, the document
/// serde_json read; type errors are reworded (`invalid type: integer `5`,
/// expected a string` reads `expected a string, but found the number 5`).
/// The CLI reports malformed documents with it, and [`validate_json`]'s
/// reports word type errors the same way.
///
/// ```
/// use canonical_finance::validate::json_error_sentence;
///
/// let text = r#"{"id": "c1" "kind": "company"}"#;
/// let err = serde_json::from_str::<serde_json::Value>(text).unwrap_err();
/// assert_eq!(json_error_sentence(&err, text), "expected `,` or `}`, but found `\"`");
/// assert_eq!((err.line(), err.column()), (1, 13));
///
/// let err = serde_json::from_str::<Vec<String>>("[5]").unwrap_err();
/// assert_eq!(json_error_sentence(&err, "[5]"), "expected a string, but found the number 5");
/// ```
pub fn json_error_sentence(err: &serde_json::Error, text: &str) -> String {
    crate::voice::error_sentence(err, text)
}

/// Reads `text` as a JSON record of `entity` and validates it.
///
/// A readable document is parsed once, into the typed record. A document
/// that is JSON but not a record of the entity gets a report instead of an
/// error: every field EN 16931 requires that it lacks, under that rule's
/// code (`BR-05` at `/currency`), a value outside a code list under its
/// code (`BR-CL-04` for a currency that is not ISO 4217), anything else
/// under `PARSE`, each with its JSON Pointer.
///
/// # Errors
///
/// The `serde_json` syntax error when `text` is not JSON at all (malformed,
/// truncated, or more than one document).
///
/// ```
/// use canonical_finance::model::Entity;
/// use canonical_finance::validate::{Profile, validate_json};
///
/// let report = validate_json(Entity::Invoice, r#"{"id": "inv_1", "status": "draft",
///     "counterparty": {"id": "cust_1"}, "totals": {}}"#, Profile::Exact)?;
/// assert!(!report.is_valid());
/// assert_eq!(report.codes(), ["BR-04", "BR-05", "BR-12", "BR-13", "BR-14", "BR-15"]);
/// assert_eq!(report.violations()[1].path, "/currency");
/// # Ok::<(), serde_json::Error>(())
/// ```
pub fn validate_json(
    entity: Entity,
    text: &str,
    profile: Profile,
) -> Result<ValidationReport, serde_json::Error> {
    validate_json_with(entity, text, profile, Limits::DEFAULT)
}

/// [`validate_json`] within `limits`: a document larger than
/// [`Limits::max_bytes`] (checked before it is read) or nesting deeper than
/// [`Limits::max_depth`] gets a report with one `JSON-LIMIT` violation, at
/// the pointer of the array or object one level too deep; an object with a
/// key twice gets `JSON-DUPLICATE-KEY` at the pointer of the second one.
/// The mapping layer's parser ([`crate::json::parse_with`]) refuses the
/// same documents for the same reasons.
///
/// # Errors
///
/// As [`validate_json`]: the `serde_json` syntax error when `text` is not
/// JSON at all.
///
/// ```
/// use canonical_finance::json::Limits;
/// use canonical_finance::model::Entity;
/// use canonical_finance::validate::{Profile, validate_json_with};
///
/// let deep = r#"{"id": "c1", "extensions": {"x": [[[1]]]}}"#;
/// let report = validate_json_with(Entity::Customer, deep, Profile::Exact,
///     Limits::new().with_max_depth(3))?;
/// assert_eq!(report.codes(), ["JSON-LIMIT"]);
/// assert_eq!(report.violations()[0].path, "/extensions/x/0");
///
/// let twice = r#"{"id": "c1", "id": "c2"}"#;
/// let report = validate_json_with(Entity::Customer, twice, Profile::Exact, Limits::new())?;
/// assert_eq!(report.codes(), ["JSON-DUPLICATE-KEY"]);
/// assert_eq!(report.violations()[0].path, "/id");
/// # Ok::<(), serde_json::Error>(())
/// ```
pub fn validate_json_with(
    entity: Entity,
    text: &str,
    profile: Profile,
    limits: Limits,
) -> Result<ValidationReport, serde_json::Error> {
    if text.len() > limits.max_bytes() {
        let violation = Violation::new(&JSON_LIMIT, "", limits.too_large());
        return Ok(ValidationReport::from_violations(vec![violation]));
    }
    if crate::json::too_deep_at(text.as_bytes(), limits.max_depth()).is_some() {
        // The parser names the place; text that is not JSON before it gets
        // serde_json's syntax error below, as any other.
        if let Err(err) = crate::json::parse_with(text, limits) {
            let rule = match err.kind() {
                ParseErrorKind::TooDeep => Some(&JSON_LIMIT),
                ParseErrorKind::DuplicateKey => Some(&JSON_DUPLICATE_KEY),
                _ => None,
            };
            if let Some(rule) = rule {
                let violation = Violation::new(rule, err.pointer(), err.to_string());
                return Ok(ValidationReport::from_violations(vec![violation]));
            }
        }
    }
    let report = match entity {
        Entity::Customer => check_as::<Customer>(entity, text, profile, limits),
        Entity::Contract => check_as::<Contract>(entity, text, profile, limits),
        Entity::Invoice => check_as::<Invoice>(entity, text, profile, limits),
        Entity::Payment => check_as::<Payment>(entity, text, profile, limits),
        Entity::JournalEntry => check_as::<JournalEntry>(entity, text, profile, limits),
    }?;
    Ok(report)
}

/// `serde_json::from_str`, with structs read only from objects
/// ([`Strict`]).
fn read_strict<T: DeserializeOwned>(text: &str) -> Result<T, serde_json::Error> {
    let mut de = serde_json::Deserializer::from_str(text);
    let record = T::deserialize(Strict(&mut de))?;
    de.end()?;
    Ok(record)
}

fn check_as<T: DeserializeOwned + Validate>(
    entity: Entity,
    text: &str,
    profile: Profile,
    limits: Limits,
) -> Result<ValidationReport, serde_json::Error> {
    let err = match read_strict::<T>(text) {
        Ok(record) => return Ok(record.validate_with(profile)),
        Err(err) => err,
    };
    // The document is not the type, or not JSON. Its syntax is checked as a
    // whole, so that a type error early in the document never hides
    // malformed JSON further on (and serde_json calls some type errors
    // syntax errors: `[]` where an enum's string belongs). Only a failed
    // document pays for this pass.
    let value: Value = serde_json::from_str(text)?;
    // A key twice anywhere refuses the document, as the mapping layer's
    // parser does, whatever else is wrong with it.
    if let Err(err) = crate::json::parse_with(text, limits)
        && err.kind() == ParseErrorKind::DuplicateKey
    {
        let violation = Violation::new(&JSON_DUPLICATE_KEY, err.pointer(), err.to_string());
        return Ok(ValidationReport::from_violations(vec![violation]));
    }
    let mut out = Vec::new();
    if entity == Entity::Invoice {
        missing_invoice_fields(&value, &mut out);
    }
    let mut de = serde_json::Deserializer::from_str(text);
    let (container, message) = match serde_path_to_error::deserialize::<_, T>(Strict(&mut de)) {
        Err(tracked) => (pointer_from_serde_path(tracked.path()), tracked.inner().to_string()),
        Ok(_) => (String::new(), err.to_string()),
    };
    if let Some(key) = duplicate_key(&message) {
        // serde names the struct's field; the crate's maps name their key.
        let pointer = format!("{container}/{}", super::escape_pointer_token(key));
        let (_, position) = crate::voice::split_position(&message);
        let message = format!(
            "expected the key `{}` once, but found it twice{}",
            crate::money::escape(key),
            crate::voice::position_suffix(position)
        );
        out.push(Violation::new(&JSON_DUPLICATE_KEY, pointer, message));
        return Ok(ValidationReport::from_violations(out));
    }
    let missing = message
        .strip_prefix("missing field `")
        .and_then(|rest| rest.split('`').next())
        .map(|field| format!("{container}/{}", super::escape_pointer_token(field)));
    // A missing member already reported, or a missing object whose
    // required members are (totals), is not reported twice.
    let already = missing.as_ref().is_some_and(|p| {
        out.iter().any(|v| {
            &v.path == p || v.path.strip_prefix(p.as_str()).is_some_and(|r| r.starts_with('/'))
        })
    });
    if !already {
        let rule = match (&missing, entity) {
            (None, Entity::Invoice) => invalid_value_rule(&container, &message),
            _ => &PARSE,
        };
        let message = crate::voice::serde_message(&message);
        out.push(Violation::new(rule, missing.unwrap_or(container), message));
    }
    Ok(ValidationReport::from_violations(out))
}

/// The key of serde's (`duplicate field`) or the crate's
/// ([`crate::model`]'s unique maps) duplicate-key message.
fn duplicate_key(message: &str) -> Option<&str> {
    let rest = message
        .strip_prefix("duplicate field `")
        .or_else(|| message.strip_prefix("expected the key `"))?;
    rest.split('`').next()
}

/// What one required member is, for the message.
struct Required {
    /// The pattern of the object holding it; `*` for every array element.
    container: &'static str,
    member: &'static str,
    rule: &'static Rule,
    what: &'static str,
}

const fn req(
    container: &'static str,
    member: &'static str,
    rule: &'static Rule,
    what: &'static str,
) -> Required {
    Required { container, member, rule, what }
}

/// Every member EN 16931 requires that the invoice type requires too, in
/// document order.
static REQUIRED: &[Required] = &[
    req("", "kind", &TYPE_CODE, "the invoice type in kind (BT-3)"),
    req("", "currency", &CURRENCY, "the invoice currency (BT-5)"),
    req("/totals", "line_net_total", &LINE_NET_TOTAL, "the sum of line net amounts (BT-106)"),
    req("/totals", "total_without_tax", &TOTAL_WITHOUT_TAX, "the total without tax (BT-109)"),
    req("/totals", "total_with_tax", &TOTAL_WITH_TAX, "the total with tax (BT-112)"),
    req("/totals", "amount_due", &AMOUNT_DUE, "the amount due (BT-115)"),
    req("/seller/address", "country", &SELLER_COUNTRY, "the seller's country (BT-40)"),
    req("/buyer/address", "country", &BUYER_COUNTRY, "the buyer's country (BT-55)"),
    req(
        "/tax_representative/address",
        "country",
        &TAX_REP_COUNTRY,
        "the tax representative's country (BT-69)",
    ),
    req("/delivery/address", "country", &DELIVERY_COUNTRY, "the deliver-to country (BT-80)"),
    req("/lines/*", "quantity", &QUANTITY, "the line's quantity (BT-129)"),
    req("/lines/*", "unit_price", &NET_PRICE, "the line's unit price (BT-146)"),
    req("/lines/*", "net_amount", &LINE_NET, "the line's net amount (BT-131)"),
    req("/lines/*/item/attributes/*", "name", &ITEM_ATTRIBUTE, "the attribute's name (BT-160)"),
    req("/lines/*/item/attributes/*", "value", &ITEM_ATTRIBUTE, "the attribute's value (BT-161)"),
    req("/tax_breakdown/*", "category", &TAX_CATEGORY, "the tax category (BT-118)"),
    req("/tax_breakdown/*", "taxable_amount", &TAXABLE_AMOUNT, "the taxable amount (BT-116)"),
    req("/tax_breakdown/*", "tax_amount", &TAX_AMOUNT, "the tax amount (BT-117)"),
    req("/payment_instructions/*", "means", &MEANS, "the payment means (BT-81)"),
];

/// Pushes a violation for every member of [`REQUIRED`] the document lacks,
/// and for the amounts of allowances and charges (whose rule depends on
/// their kind).
fn missing_invoice_fields(doc: &Value, out: &mut Vec<Violation>) {
    if !doc.is_object() {
        return;
    }
    for r in REQUIRED {
        // A missing optional container holds nothing; a missing required
        // one (totals) lacks every member.
        let optional = !matches!(r.container, "" | "/totals");
        each_object(doc, r.container, String::new(), optional, &mut |at, object| {
            if object.is_none_or(|o| !o.contains_key(r.member)) {
                let found = match object {
                    Some(_) => "none".to_owned(),
                    None => format!("no {}", r.container.rsplit('/').next().unwrap_or_default()),
                };
                out.push(Violation::new(
                    r.rule,
                    format!("{at}/{}", r.member),
                    format!("expected {}, but found {found}", r.what),
                ));
            }
        });
    }
    for (container, document_level) in
        [("/allowances_charges/*", true), ("/lines/*/allowances_charges/*", false)]
    {
        each_object(doc, container, String::new(), true, &mut |at, object| {
            let Some(object) = object else { return };
            if object.contains_key("amount") {
                return;
            }
            let charge = object.get("kind").and_then(Value::as_str) == Some("charge");
            let (rule, what) = match (document_level, charge) {
                (true, false) => (&DOC_ALLOWANCE_AMOUNT, "the allowance amount (BT-92)"),
                (true, true) => (&DOC_CHARGE_AMOUNT, "the charge amount (BT-99)"),
                (false, false) => (&LINE_ALLOWANCE_AMOUNT, "the line allowance amount (BT-136)"),
                (false, true) => (&LINE_CHARGE_AMOUNT, "the line charge amount (BT-141)"),
            };
            out.push(Violation::new(
                rule,
                format!("{at}/amount"),
                format!("expected {what}, but found none"),
            ));
        });
    }
    // Stable: within one place, the members keep the order of REQUIRED.
    out.sort_by_key(|v| document_order(&v.path));
}

/// Sort key: the top-level member in document order, then the first
/// array index (so a line's members stay together).
fn document_order(path: &str) -> (u8, usize) {
    let mut segments = path.split('/').skip(1);
    let rank = match segments.next().unwrap_or_default() {
        "kind" => 0,
        "currency" => 1,
        "totals" => 2,
        "seller" => 3,
        "buyer" => 4,
        "tax_representative" => 5,
        "delivery" => 6,
        "lines" => 7,
        "allowances_charges" => 8,
        "tax_breakdown" => 9,
        _ => 10,
    };
    let index = segments.find_map(|s| s.parse::<usize>().ok()).unwrap_or(0);
    (rank, index)
}

type JsonObject = serde_json::Map<String, Value>;

/// Calls `f(pointer, object)` for every object at `pattern` below `value`
/// (`*` stands for every element of an array). A member missing on the way
/// ends the walk when `optional`; otherwise `f` is called with `None` for
/// the missing object.
fn each_object(
    value: &Value,
    pattern: &str,
    at: String,
    optional: bool,
    f: &mut dyn FnMut(&str, Option<&JsonObject>),
) {
    let Some(rest) = pattern.strip_prefix('/') else {
        if let Value::Object(o) = value {
            f(&at, Some(o));
        }
        return;
    };
    let (segment, tail) = match rest.find('/') {
        Some(i) => (rest.get(..i).unwrap_or_default(), rest.get(i..).unwrap_or_default()),
        None => (rest, ""),
    };
    if segment == "*" {
        if let Value::Array(items) = value {
            for (i, item) in items.iter().enumerate() {
                each_object(item, tail, format!("{at}/{i}"), optional, f);
            }
        }
        return;
    }
    match value.get(segment) {
        Some(child) => each_object(child, tail, format!("{at}/{segment}"), optional, f),
        None if !optional && value.is_object() && tail.is_empty() => {
            f(&format!("{at}/{segment}"), None);
        }
        None => {}
    }
}

/// The rule for a value of the wrong kind at `pointer`: a code-list rule
/// where the value is a code the model types, else `PARSE`.
fn invalid_value_rule(pointer: &str, message: &str) -> &'static Rule {
    let segments: Vec<&str> = pointer.split('/').skip(1).collect();
    let is_index = |s: &str| s.bytes().all(|b| b.is_ascii_digit()) && !s.is_empty();
    match segments.as_slice() {
        ["kind"] => &TYPE_CODE_LIST,
        ["currency"] => &CURRENCY_CODE,
        ["tax_currency"] => &TAX_CURRENCY_CODE,
        ["tax_breakdown", i, "category"] | ["allowances_charges", i, "tax_category"]
            if is_index(i) =>
        {
            &BREAKDOWN_CATEGORY_CODE
        }
        [.., "tax_category"] => &ITEM_CATEGORY_CODE,
        [.., "item", "origin_country"] => &ORIGIN_COUNTRY_CODE,
        [.., "address", "country"] => &COUNTRY_CODE,
        // The currency of an amount; a bank account's currency is no amount.
        [.., parent, "currency"] if *parent != "account" && message.contains("currency") => {
            &AMOUNT_CURRENCY_CODE
        }
        _ => &PARSE,
    }
}

/// The JSON Pointer of the place serde_path_to_error names.
pub(crate) fn pointer_from_serde_path(path: &serde_path_to_error::Path) -> String {
    use serde_path_to_error::Segment;
    let mut out = String::new();
    for segment in path.iter() {
        match segment {
            Segment::Seq { index } => {
                out.push('/');
                out.push_str(&index.to_string());
            }
            Segment::Map { key } | Segment::Enum { variant: key } => {
                out.push('/');
                out.push_str(&super::escape_pointer_token(key));
            }
            Segment::Unknown => {}
        }
    }
    out
}
