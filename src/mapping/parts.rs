//! Documents that come in parts: Business Central sends a sales invoice's
//! lines as records of their own (`salesInvoiceLines`, each with the
//! invoice's `documentId`), NetSuite a sublist by its link
//! (`item: {"links": [...]}`, its items fetched from there). A mapping file
//! says where the part records go in the whole record (`parts`); [`assemble`]
//! puts them there, checking that each names the record, so the mapper reads
//! the whole (as the vendor's `$expand` or `expandSubResources` would give
//! it), and [`split`] takes them out again on the way back, each naming its
//! record. A document that is not a record at all, but the records that
//! share a value (Business Central's journal lines of one document number),
//! is made by [`group`] and taken apart by [`ungroup`].
//!
//! ```
//! use canonical_finance::json;
//! use canonical_finance::mapping::{Registry, parts};
//!
//! let mut registry = Registry::new();
//! registry.load_str("acme/order.json", r#"{"vendor": "acme", "object": "order", "entity": "contract",
//!   "parts": [{"object": "orderLine", "at": "/lines", "key": "/orderId", "parent": "/id"}],
//!   "rules": [{"vendor": "/id", "canonical": "/id"}, {"vendor": "/customer", "canonical": "/customer", "reference": "customer"},
//!     {"vendor": "/currency", "canonical": "/currency"}, {"canonical": "/status", "constant": "active"},
//!     {"vendor": "/start", "canonical": "/start_date"}]}"#)?;
//! let mapper = registry.get("acme", "order")?;
//! let header = json!({"id": "o-1", "customer": "c-9", "currency": "EUR", "start": "2026-01-01"});
//! let lines = [json!({"orderId": "o-1", "sku": "A"}), json!({"orderId": "o-1", "sku": "B"})];
//! let whole = parts::assemble(mapper, &header, "orderLine", &lines)?;
//! assert_eq!(whole["lines"][1]["sku"], "B");
//!
//! let (back, split) = parts::split(mapper, &whole)?;
//! assert_eq!(back, header);
//! assert_eq!(split[0].1, lines);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use crate::json::Value;

use super::pointer;
use super::{Mapper, MappingError, PartSpec};

/// The records of one kind of part: its vendor object and the records.
pub type Part = (String, Vec<Value>);

/// The record `header` with the part records `records` of the vendor
/// object `object` put where the mapping file's `parts` says, as the
/// vendor's expanded response holds them. Each record that has the `key`
/// member must name the header (its `parent` value); a record without it
/// is taken as the header's. A place already holding an array is replaced.
///
/// # Errors
///
/// [`MappingError::InvalidInput`] when the mapper has no part `object`
/// (naming the parts it has), when the header has no `parent` value to
/// check against, or when a record names another one (naming the record's
/// index and member, and both values).
pub fn assemble<M: Mapper + ?Sized>(
    mapper: &M,
    header: &Value,
    object: &str,
    records: &[Value],
) -> Result<Value, MappingError> {
    let part = find(mapper, object)?;
    // Ids in more than one form are compared in one.
    let transform = part
        .transform
        .as_deref()
        .and_then(|name| super::transforms::builtin(name, &std::collections::BTreeMap::new()))
        .and_then(Result::ok);
    let same = |a: &Value, b: &Value| match &transform {
        None => a == b,
        Some(t) => a == b || matches!((t.forward(a), t.forward(b)), (Ok(x), Ok(y)) if x == y),
    };
    if let (Some(key), Some(parent)) = (&part.key, &part.parent) {
        let own = pointer::get(header, parent).filter(|v| !v.is_null()).ok_or_else(|| {
            error(mapper, parent, format!("expected the {} the {object} records name", parent))
        })?;
        for (i, record) in records.iter().enumerate() {
            match pointer::get(record, key) {
                Some(v) if same(v, own) || v.is_null() => {}
                None => {}
                Some(other) => {
                    return Err(error(
                        mapper,
                        &format!("/{object}/{i}{key}"),
                        format!(
                            "expected {own} (the {} {} this {object} belongs to), but found {other}",
                            mapper.object(),
                            parent.trim_start_matches('/')
                        ),
                    ));
                }
            }
        }
    }
    let mut whole = header.clone();
    pointer::set(&mut whole, &part.at, Value::Array(records.to_vec()));
    Ok(whole)
}

/// The record `whole` without its parts, and each part's records (by
/// vendor object, in the file's order; a part the record does not hold is
/// left out). Each part record gets the header's `parent` value at `key`
/// when it lacks it (a line added on the way back), so it can be sent on
/// its own.
///
/// # Errors
///
/// [`MappingError::InvalidInput`] when a part's place holds something other
/// than an array.
pub fn split<M: Mapper + ?Sized>(
    mapper: &M,
    whole: &Value,
) -> Result<(Value, Vec<Part>), MappingError> {
    let mut header = whole.clone();
    let mut out = Vec::new();
    for part in mapper.parts() {
        let Some(taken) = pointer::take(&mut header, &part.at) else { continue };
        let mut records = match taken.into_array() {
            Ok(records) => records,
            Err(other) => {
                return Err(error(
                    mapper,
                    &part.at,
                    format!(
                        "expected the {} records as an array, but found {}",
                        part.object,
                        crate::voice::found_json(&other)
                    ),
                ));
            }
        };
        if let (Some(key), Some(parent)) = (&part.key, &part.parent)
            && let Some(own) = pointer::get(&header, parent).filter(|v| !v.is_null())
        {
            for record in &mut records {
                if pointer::get(record, key).is_none_or(Value::is_null) {
                    pointer::set(record, key, own.clone());
                }
            }
        }
        out.push((part.object.clone(), records));
    }
    Ok((header, out))
}

/// The documents `records` make, by the mapper's `group`: one whole per
/// value of the `by` member, in the order the values first come, each
/// holding its records (in their order) at `at` and the first record's
/// `by` and `copy` members. Business Central's journal lines of one
/// `documentNumber` are one journal entry.
///
/// ```
/// use canonical_finance::json;
/// use canonical_finance::mapping::{Registry, parts};
///
/// let mut registry = Registry::new();
/// registry.load_str("acme/entry.json", r#"{"vendor": "acme", "object": "entryLine", "entity": "journal_entry",
///   "group": {"by": "/doc", "at": "/lines", "copy": ["/day"]},
///   "rules": [{"vendor": "/doc", "canonical": "/id"}, {"vendor": "/day", "canonical": "/posting_date"},
///     {"canonical": "/status", "constant": "posted"},
///     {"vendor": "/lines", "canonical": "/lines", "each": [{"vendor": "/account", "canonical": "/account_code"},
///       {"vendor": "/amount", "canonical": "/amount", "money": {"currency": "^/ccy", "encoding": "decimal"},
///        "side": {"canonical": "/side", "positive": "debit", "negative": "credit"}}]}]}"#)?;
/// let mapper = registry.get("acme", "entryLine")?;
/// let lines = [json!({"doc": "J-1", "day": "2026-03-31", "account": "6120", "amount": 25}),
///              json!({"doc": "J-1", "day": "2026-03-31", "account": "2450", "amount": -25}),
///              json!({"doc": "J-2", "day": "2026-03-31", "account": "6830", "amount": 3})];
/// let wholes = parts::group(mapper, &lines)?;
/// assert_eq!(wholes.len(), 2);
/// assert_eq!(wholes[0]["lines"][1]["account"], "2450");
/// assert_eq!(parts::ungroup(mapper, &wholes[1])?, vec![lines[2].clone()]);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
///
/// # Errors
///
/// [`MappingError::InvalidInput`] when the mapper has no `group`, or a
/// record has no `by` value (naming its index).
pub fn group<M: Mapper + ?Sized>(
    mapper: &M,
    records: &[Value],
) -> Result<Vec<Value>, MappingError> {
    let spec = group_of(mapper)?;
    let mut wholes: Vec<(Value, Value)> = Vec::new();
    for (i, record) in records.iter().enumerate() {
        let key = pointer::get(record, &spec.by).filter(|k| !k.is_null()).ok_or_else(|| {
            error(
                mapper,
                &format!("/{i}{}", spec.by),
                "expected the value its document shares".to_owned(),
            )
        })?;
        let at = match wholes.iter().position(|(k, _)| k == key) {
            Some(at) => at,
            None => {
                let mut whole = Value::Object(crate::json::Map::new());
                for p in std::iter::once(&spec.by).chain(&spec.copy) {
                    if let Some(v) = pointer::get(record, p) {
                        pointer::set(&mut whole, p, v.clone());
                    }
                }
                pointer::set(&mut whole, &spec.at, Value::Array(Vec::new()));
                wholes.push((key.clone(), whole));
                wholes.len().saturating_sub(1)
            }
        };
        if let Some((_, whole)) = wholes.get_mut(at)
            && let Some(Value::Array(list)) = pointer::get_mut(whole, &spec.at)
        {
            list.push(record.clone());
        }
    }
    Ok(wholes.into_iter().map(|(_, whole)| whole).collect())
}

/// The records of the whole `whole` (made by [`group`], or written on the
/// way back), each with the whole's `by` and `copy` values: the document's
/// number and date are the whole's.
///
/// # Errors
///
/// [`MappingError::InvalidInput`] when the mapper has no `group`, or the
/// whole's `at` holds something other than an array of objects.
pub fn ungroup<M: Mapper + ?Sized>(mapper: &M, whole: &Value) -> Result<Vec<Value>, MappingError> {
    let spec = group_of(mapper)?;
    let records = match pointer::get(whole, &spec.at) {
        None => return Ok(Vec::new()),
        Some(Value::Array(records)) => records,
        Some(other) => {
            return Err(error(
                mapper,
                &spec.at,
                format!(
                    "expected the records as an array, but found {}",
                    crate::voice::found_json(other)
                ),
            ));
        }
    };
    let mut out = Vec::with_capacity(records.len());
    for (i, record) in records.iter().enumerate() {
        if !record.is_object() {
            return Err(error(
                mapper,
                &format!("{}/{i}", spec.at),
                format!("expected a record, but found {}", crate::voice::found_json(record)),
            ));
        }
        let mut record = record.clone();
        for p in std::iter::once(&spec.by).chain(&spec.copy) {
            if let Some(v) = pointer::get(whole, p) {
                pointer::set(&mut record, p, v.clone());
            }
        }
        out.push(record);
    }
    Ok(out)
}

/// The mapper's `group`, or the error saying it has none.
fn group_of<M: Mapper + ?Sized>(mapper: &M) -> Result<&crate::mapping::GroupSpec, MappingError> {
    mapper.group().ok_or_else(|| {
        error(
            mapper,
            "",
            format!("expected a group of {} {}, but it has none", mapper.vendor(), mapper.object()),
        )
    })
}

fn find<'m, M: Mapper + ?Sized>(mapper: &'m M, object: &str) -> Result<&'m PartSpec, MappingError> {
    mapper.parts().iter().find(|p| p.object == object).ok_or_else(|| {
        let known: Vec<&str> = mapper.parts().iter().map(|p| p.object.as_str()).collect();
        let message = if known.is_empty() {
            format!("expected a part of {} {}, but it has none", mapper.vendor(), mapper.object())
        } else {
            format!("expected one of {}, but found `{object}`", known.join(", "))
        };
        error(mapper, "", message)
    })
}

fn error<M: Mapper + ?Sized>(mapper: &M, at: &str, message: String) -> MappingError {
    MappingError::InvalidInput {
        vendor: mapper.vendor().to_owned(),
        object: mapper.object().to_owned(),
        pointer: at.to_owned(),
        message,
    }
}
