//! Vendor responses that wrap records: Xero's `{"Invoices": [...]}`,
//! QuickBooks' `{"Invoice": {...}, "time": ...}` and
//! `{"QueryResponse": {"Invoice": [...]}}`, a page of a list.
//!
//! A mapping file says where its object's records sit in a response
//! (`envelope`); [`open`] finds them, each maps to one canonical record, and
//! the [`Shell`] puts the vendor records made on the way back into the same
//! envelope (its other members, such as Xero's `Status` or a page's
//! `pagination`, as they came).
//!
//! ```
//! use canonical_finance::mapping::{envelope, Registry};
//! use canonical_finance::json;
//!
//! let registry = Registry::builtin()?;
//! let mapper = registry.get("xero", "Contact")?;
//! let page = json!({"Status": "OK", "Contacts": [
//!     {"ContactID": "0d3c1e2a-5b4f-4a37-9c61-2f7e8b1d4a10", "Name": "Kea Outdoor Ltd", "ContactStatus": "ACTIVE", "IsSupplier": false, "IsCustomer": true, "Addresses": []},
//!     {"ContactID": "7a9e4b21-3c8d-4f06-8e15-6b2d0c9f3e77", "Name": "Tui Print House", "ContactStatus": "ACTIVE", "IsSupplier": true, "IsCustomer": false, "Addresses": []}]});
//! let opened = envelope::open(mapper, &page)?;
//! let customers: Vec<_> = opened.to_canonical(mapper).collect::<Result<_, _>>()?;
//! assert_eq!(customers.len(), 2);
//! assert_eq!(customers[1].value["display_name"], "Tui Print House");
//!
//! let records: Vec<_> = customers.into_iter().map(|m| m.value).collect();
//! let back = opened.shell().to_vendor(mapper, &records)?;
//! assert_eq!(back.value, page);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use crate::json::Value;

use super::pointer;
use super::{Loss, Mapped, Mapper, MappingError};

/// The records of one vendor response, and the envelope they came in.
#[derive(Debug, Clone)]
pub struct Opened<'a> {
    records: Vec<&'a Value>,
    shell: Shell,
}

/// An envelope without its records: what [`Shell::close`] puts records
/// back into.
#[derive(Debug, Clone, PartialEq)]
pub struct Shell {
    /// The response with the records' place emptied, the place, and
    /// whether it holds a list (else one record).
    wrapped: Option<(Value, String, bool)>,
    /// For a list whose items hold records (`items`): the items that do,
    /// by index, and where in each item its record is. The response is
    /// then kept whole and the records written back in their items.
    slots: Option<(Vec<usize>, String)>,
    /// The mapper's vendor and object, for errors.
    vendor: String,
    object: String,
}

/// The records in `payload`, a response of `mapper`'s vendor object: the
/// elements of the first `envelope.list` array present, else the record at
/// the first `envelope.one` place present, else the payload itself (a
/// record not wrapped, or a mapper without an envelope).
///
/// # Errors
///
/// [`MappingError::InvalidInput`] when an envelope's list place holds
/// something other than an array.
pub fn open<'a, M: Mapper + ?Sized>(
    mapper: &M,
    payload: &'a Value,
) -> Result<Opened<'a>, MappingError> {
    let shell = |wrapped| Shell {
        wrapped,
        slots: None,
        vendor: mapper.vendor().to_owned(),
        object: mapper.object().to_owned(),
    };
    let Some(spec) = mapper.envelope() else {
        return Ok(Opened { records: vec![payload], shell: shell(None) });
    };
    let emptied = |at: &str, with: Value| {
        let mut shell = payload.clone();
        pointer::set(&mut shell, at, with);
        shell
    };
    for at in &spec.list {
        match pointer::get(payload, at) {
            Some(Value::Array(items)) => {
                return Ok(Opened {
                    records: items.iter().collect(),
                    shell: shell(Some((emptied(at, Value::Array(Vec::new())), at.clone(), true))),
                });
            }
            Some(Value::Null) | None => {}
            Some(other) => {
                return Err(MappingError::InvalidInput {
                    vendor: mapper.vendor().to_owned(),
                    object: mapper.object().to_owned(),
                    pointer: at.clone(),
                    message: format!(
                        "expected an array of records, but found {}",
                        crate::voice::found_json(other)
                    ),
                });
            }
        }
    }
    for how in &spec.items {
        let at = &how.list;
        let Some(Value::Array(items)) = pointer::get(payload, at) else { continue };
        let place = how.record.clone().unwrap_or_default();
        let mut records = Vec::new();
        let mut slots = Vec::new();
        for (i, item) in items.iter().enumerate() {
            let Some(record) = pointer::get(item, &place).filter(|r| r.is_object()) else {
                continue;
            };
            let of_this = match (&how.type_at, &how.is) {
                (Some(t), Some(is)) => {
                    pointer::get(record, t).and_then(Value::as_str) == Some(is.as_str())
                }
                _ => true,
            };
            if of_this {
                records.push(record);
                slots.push(i);
            }
        }
        let mut opened = shell(Some((payload.clone(), at.clone(), true)));
        opened.slots = Some((slots, place));
        return Ok(Opened { records, shell: opened });
    }
    for at in &spec.one {
        if let Some(record) = pointer::get(payload, at).filter(|r| r.is_object()) {
            return Ok(Opened {
                records: vec![record],
                shell: shell(Some((emptied(at, Value::Null), at.clone(), false))),
            });
        }
    }
    Ok(Opened { records: vec![payload], shell: shell(None) })
}

impl<'a> Opened<'a> {
    /// The vendor records, in order.
    pub fn records(&self) -> &[&'a Value] {
        &self.records
    }

    /// The envelope, for the way back.
    pub fn shell(&self) -> &Shell {
        &self.shell
    }

    /// Where record `i` sits in the response: `/Invoices/2`, `/Invoice`,
    /// or the root.
    pub fn pointer(&self, i: usize) -> String {
        if let (Some((_, at, _)), Some((slots, place))) = (&self.shell.wrapped, &self.shell.slots) {
            let slot = slots.get(i).copied().unwrap_or(i);
            return format!("{}{place}", pointer::join(at, slot));
        }
        match &self.shell.wrapped {
            Some((_, at, true)) => pointer::join(at, i),
            Some((_, at, false)) => at.clone(),
            None => String::new(),
        }
    }

    /// Each record through `mapper`, in order: one canonical record per
    /// vendor record, each with its own losses.
    pub fn to_canonical<'m, M: Mapper + ?Sized>(
        &'m self,
        mapper: &'m M,
    ) -> impl Iterator<Item = Result<Mapped<Value>, MappingError>> + 'm {
        self.records.iter().map(move |r| mapper.to_canonical(r))
    }
}

impl Shell {
    /// True when the records came in an envelope.
    pub fn is_wrapped(&self) -> bool {
        self.wrapped.is_some()
    }

    /// The envelope around `records`: a list place takes them all, a place
    /// of one record exactly one; without an envelope, the one record.
    ///
    /// # Errors
    ///
    /// [`MappingError::InvalidInput`] when a place of one record is given
    /// another number of records.
    pub fn close(&self, mut records: Vec<Value>) -> Result<Value, MappingError> {
        let count_error = |n: usize| MappingError::InvalidInput {
            vendor: self.vendor.clone(),
            object: self.object.clone(),
            pointer: String::new(),
            message: format!("expected one record for this envelope, but found {n}"),
        };
        if let (Some((shell, at, _)), Some((slots, place))) = (&self.wrapped, &self.slots) {
            // Each record back in its item; the other items as they came.
            if records.len() != slots.len() {
                return Err(MappingError::InvalidInput {
                    vendor: self.vendor.clone(),
                    object: self.object.clone(),
                    pointer: String::new(),
                    message: format!(
                        "expected {} records for this envelope, one per item that held one, but found {}",
                        slots.len(),
                        records.len()
                    ),
                });
            }
            let mut out = shell.clone();
            for (slot, record) in slots.iter().zip(records) {
                pointer::set(&mut out, &format!("{}{place}", pointer::join(at, slot)), record);
            }
            return Ok(out);
        }
        match &self.wrapped {
            Some((shell, at, true)) => {
                let mut out = shell.clone();
                pointer::set(&mut out, at, Value::Array(records));
                Ok(out)
            }
            Some((shell, at, false)) => {
                if records.len() != 1 {
                    return Err(count_error(records.len()));
                }
                let mut out = shell.clone();
                let record = records.pop().unwrap_or(Value::Null);
                pointer::set(&mut out, at, record);
                Ok(out)
            }
            None => {
                if records.len() != 1 {
                    return Err(count_error(records.len()));
                }
                Ok(records.pop().unwrap_or(Value::Null))
            }
        }
    }

    /// `canonical` records through `mapper` back to vendor records, in this
    /// envelope. A loss's path starts with the index of its record
    /// (`/1/due_date`).
    ///
    /// # Errors
    ///
    /// The first record's [`MappingError`], or [`close`](Shell::close)'s.
    pub fn to_vendor<M: Mapper + ?Sized>(
        &self,
        mapper: &M,
        canonical: &[Value],
    ) -> Result<Mapped<Value>, MappingError> {
        let mut records = Vec::with_capacity(canonical.len());
        let mut losses = Vec::new();
        for (i, record) in canonical.iter().enumerate() {
            let mapped = mapper.to_vendor(record)?;
            let at = pointer::join("", i);
            losses.extend(
                mapped
                    .losses
                    .into_iter()
                    .map(|l| Loss::new(l.kind, format!("{at}{}", l.path), l.reason)),
            );
            records.push(mapped.value);
        }
        Ok(Mapped::new(self.close(records)?, losses))
    }
}
