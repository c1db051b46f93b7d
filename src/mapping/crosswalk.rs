//! Lookups across records: which canonical record a vendor id names.
//!
//! A QuickBooks invoice names its customer by QuickBooks id (`"58"`), a
//! Xero payment its invoice by Xero id. A mapper alone knows only those
//! ids, and keeps them as external refs. A [`Crosswalk`] the caller fills
//! (from its own store of matched records) says which canonical id each
//! vendor id is; [`Crosswalk::wrap`] makes any mapper use it both ways:
//!
//! - **in**: every reference whose external ref the crosswalk knows gets its
//!   canonical `id`, and so does the record itself (its own external ref);
//! - **out**: every reference with a canonical `id` but no external ref of
//!   the vendor gets the vendor's ids from the crosswalk, so the mapping
//!   file's reference rules can write them, and the record's own `id` is the
//!   vendor's again.
//!
//! Without an entry nothing changes: the vendor id stays an external ref and
//! no id is invented.
//!
//! ```
//! use canonical_finance::mapping::{Crosswalk, Mapper, Registry};
//! use canonical_finance::json;
//!
//! let registry = Registry::builtin()?;
//! let mut crosswalk = Crosswalk::new();
//! crosswalk.insert("stripe", "customer", "cus_Q1", "cust_0042");
//! let mapper = crosswalk.wrap(registry.get("stripe", "refund")?);
//! let refund = json!({"id": "re_1", "object": "refund", "amount": 500, "currency": "usd",
//!                     "charge": "ch_1", "created": 1783606924, "status": "succeeded"});
//! let mapped = mapper.to_canonical(&refund)?;
//! // No entry for the charge: its Stripe id stays an external ref, no id is made up.
//! assert_eq!(mapped.value["refund_of"].get("id"), None);
//! assert_eq!(mapped.value["refund_of"]["external_refs"][0]["id"], "ch_1");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::collections::HashMap;

use crate::json::{Map, Value};
use crate::model::Entity;

use super::{EnvelopeSpec, Mapped, Mapper, MappingError, pointer};

/// Vendor ids ↔ canonical ids, by system and vendor object type.
#[derive(Debug, Clone, Default)]
pub struct Crosswalk {
    /// (system, object type, vendor id) → canonical id.
    to_canonical: HashMap<(String, String, String), String>,
    /// (system, canonical id) → (object type, vendor id), in insertion order.
    to_vendor: HashMap<(String, String), Vec<(String, String)>>,
    /// Per system: values its payloads do not repeat, by pointer.
    tenant: HashMap<String, Vec<(String, Value)>>,
}

impl Crosswalk {
    /// An empty crosswalk.
    pub fn new() -> Crosswalk {
        Crosswalk::default()
    }

    /// Records that `system`'s `object_type` record `vendor_id` is the
    /// canonical record `canonical_id`. A second entry for the same vendor
    /// record replaces the first.
    pub fn insert(
        &mut self,
        system: impl Into<String>,
        object_type: impl Into<String>,
        vendor_id: impl Into<String>,
        canonical_id: impl Into<String>,
    ) {
        let (system, object_type, vendor_id, canonical_id) =
            (system.into(), object_type.into(), vendor_id.into(), canonical_id.into());
        let key = (system.clone(), object_type.clone(), vendor_id.clone());
        if let Some(old) = self.to_canonical.insert(key, canonical_id.clone())
            && let Some(list) = self.to_vendor.get_mut(&(system.clone(), old))
        {
            list.retain(|(t, v)| !(t == &object_type && v == &vendor_id));
        }
        let list = self.to_vendor.entry((system, canonical_id)).or_default();
        list.retain(|(t, _)| t != &object_type);
        list.push((object_type, vendor_id));
    }

    /// The canonical id of `system`'s `object_type` record `vendor_id`.
    pub fn canonical_id(&self, system: &str, object_type: &str, vendor_id: &str) -> Option<&str> {
        self.to_canonical
            .get(&(system.to_owned(), object_type.to_owned(), vendor_id.to_owned()))
            .map(String::as_str)
    }

    /// `system`'s ids of the canonical record `canonical_id`: (object type,
    /// vendor id) pairs.
    pub fn vendor_ids(&self, system: &str, canonical_id: &str) -> &[(String, String)] {
        self.to_vendor.get(&(system.to_owned(), canonical_id.to_owned())).map_or(&[], Vec::as_slice)
    }

    /// Records a value of `system`'s tenant that its payloads leave out, at
    /// `pointer` of every payload (a Xero organisation's base currency,
    /// which its journals are in but do not name: `/BaseCurrency`; its tax
    /// codes, which a mapping file's `lookup` reads: `/TaxCodes`). The
    /// wrapped mapper reads it there as if the payload held it, both ways,
    /// and the way back leaves it out of the payload it writes.
    pub fn set_tenant_value(
        &mut self,
        system: impl Into<String>,
        pointer: impl Into<String>,
        value: Value,
    ) {
        let pointer = pointer.into();
        let list = self.tenant.entry(system.into()).or_default();
        list.retain(|(p, _)| *p != pointer);
        list.push((pointer, value));
    }

    /// The tenant values of `system`.
    pub fn tenant_values(&self, system: &str) -> &[(String, Value)] {
        self.tenant.get(system).map_or(&[], Vec::as_slice)
    }

    /// The number of vendor records it knows.
    pub fn len(&self) -> usize {
        self.to_canonical.len()
    }

    /// True when it knows none.
    pub fn is_empty(&self) -> bool {
        self.to_canonical.is_empty()
    }

    /// `mapper`, looking ids up here both ways.
    pub fn wrap<'a, M: Mapper + ?Sized>(&'a self, mapper: &'a M) -> CrosswalkMapper<'a, M> {
        CrosswalkMapper { inner: mapper, crosswalk: self }
    }

    /// Fills canonical ids into a canonical record read from a vendor: the
    /// record's own `id` and every reference's, where the crosswalk knows
    /// one of its external refs. Returns how many ids it filled.
    pub fn resolve(&self, record: &mut Value) -> usize {
        let mut filled = 0usize;
        if let Some(id) = self.known(record)
            && let Some(map) = record.as_object_mut()
        {
            map.insert("id", Value::from(id));
            filled = filled.saturating_add(1);
        }
        if let Some(map) = record.as_object_mut() {
            for (key, v) in map.iter_mut() {
                if key.as_str() != "external_refs" && key.as_str() != "extensions" {
                    filled = filled.saturating_add(self.resolve_inside(v));
                }
            }
        }
        filled
    }

    fn resolve_inside(&self, v: &mut Value) -> usize {
        let mut filled = 0usize;
        let mut stack = vec![v];
        while let Some(v) = stack.pop() {
            match v {
                Value::Object(map) => {
                    if is_reference(map) && map.get("id").is_none_or(Value::is_null) {
                        let id = self.known_refs(map.get("external_refs"));
                        if let Some(id) = id {
                            map.insert("id", Value::from(id));
                            filled = filled.saturating_add(1);
                        }
                        continue;
                    }
                    for (key, child) in map.iter_mut() {
                        if key.as_str() != "extensions" {
                            stack.push(child);
                        }
                    }
                }
                Value::Array(items) => stack.extend(items.iter_mut()),
                _ => {}
            }
        }
        filled
    }

    /// The canonical id the first known external ref of `record` names.
    fn known(&self, record: &Value) -> Option<String> {
        self.known_refs(record.get("external_refs"))
    }

    fn known_refs(&self, refs: Option<&Value>) -> Option<String> {
        refs?.as_array()?.iter().find_map(|r| {
            let field = |k: &str| r.get(k).and_then(Value::as_str);
            self.canonical_id(field("system")?, field("object_type")?, field("id")?)
                .map(str::to_owned)
        })
    }

    /// Prepares a canonical record for `system`: every reference with a
    /// canonical `id` and no external ref of `system` gets `system`'s ids of
    /// that record, and the record's own `id` becomes `system`'s id when it
    /// has one. Returns how many references it gave ids.
    pub fn localize(&self, system: &str, record: &mut Value) -> usize {
        let mut given = 0usize;
        let mut stack = vec![&mut *record];
        let mut root = true;
        while let Some(v) = stack.pop() {
            match v {
                Value::Object(map) => {
                    let is_ref = root || is_reference(map);
                    if is_ref {
                        given = given.saturating_add(self.add_refs(system, map));
                    }
                    if root {
                        root = false;
                    } else if is_ref {
                        continue;
                    }
                    for (key, child) in map.iter_mut() {
                        if key.as_str() != "extensions" && key.as_str() != "external_refs" {
                            stack.push(child);
                        }
                    }
                }
                Value::Array(items) => {
                    root = false;
                    stack.extend(items.iter_mut());
                }
                _ => root = false,
            }
        }
        given
    }

    /// Adds `system`'s external refs of the canonical id in `map` when it
    /// has none of `system`; 1 when it added any.
    fn add_refs(&self, system: &str, map: &mut Map) -> usize {
        let Some(id) = map.get("id").and_then(Value::as_str).map(str::to_owned) else { return 0 };
        let known = self.vendor_ids(system, &id);
        if known.is_empty() {
            return 0;
        }
        let has_system = map.get("external_refs").and_then(Value::as_array).is_some_and(|refs| {
            refs.iter().any(|r| r.get("system").and_then(Value::as_str) == Some(system))
        });
        if has_system {
            return 0;
        }
        let mut refs = match map.remove("external_refs").map(Value::into_array) {
            Some(Ok(refs)) => refs,
            _ => Vec::new(),
        };
        for (object_type, vendor_id) in known {
            refs.push(crate::json!({"system": system, "object_type": object_type.as_str(), "id": vendor_id.as_str()}));
        }
        map.insert("external_refs", Value::Array(refs));
        1
    }
}

/// A reference object of the model: an `id` or `external_refs` (an
/// array), and no members but those and `display`.
fn is_reference(map: &Map) -> bool {
    (map.get("id").is_some_and(Value::is_string)
        || map.get("external_refs").is_some_and(Value::is_array))
        && map.get("external_refs").is_none_or(Value::is_array)
        && map.keys().all(|k| matches!(k.as_str(), "id" | "external_refs" | "display"))
}

/// A mapper that looks ids up in a [`Crosswalk`]: made by
/// [`Crosswalk::wrap`].
#[derive(Debug)]
pub struct CrosswalkMapper<'a, M: Mapper + ?Sized> {
    inner: &'a M,
    crosswalk: &'a Crosswalk,
}

impl<M: Mapper + ?Sized> CrosswalkMapper<'_, M> {
    /// The record's own id for the vendor: its vendor id when the record
    /// carries the crosswalk's canonical id for it.
    fn vendor_record(&self, canonical: &Value) -> Value {
        let mut record = canonical.clone();
        self.crosswalk.localize(self.inner.vendor(), &mut record);
        let vendor = self.inner.vendor();
        let own = record.get("id").and_then(Value::as_str).map(str::to_owned);
        if let Some(own) = own {
            let vendor_id = record
                .get("external_refs")
                .and_then(Value::as_array)
                .and_then(|refs| {
                    refs.iter().find(|r| {
                        r.get("system").and_then(Value::as_str) == Some(vendor)
                            && r.get("object_type")
                                .and_then(Value::as_str)
                                .zip(r.get("id").and_then(Value::as_str))
                                .is_some_and(|(t, v)| {
                                    self.crosswalk.canonical_id(vendor, t, v) == Some(own.as_str())
                                })
                    })
                })
                .and_then(|r| r.get("id").cloned());
            if let (Some(vendor_id), Some(map)) = (vendor_id, record.as_object_mut()) {
                map.insert("id", vendor_id);
            }
        }
        record
    }
}

impl<M: Mapper + ?Sized> Mapper for CrosswalkMapper<'_, M> {
    fn vendor(&self) -> &str {
        self.inner.vendor()
    }

    fn object(&self) -> &str {
        self.inner.object()
    }

    fn entity(&self) -> Entity {
        self.inner.entity()
    }

    fn envelope(&self) -> Option<&EnvelopeSpec> {
        self.inner.envelope()
    }

    fn parts(&self) -> &[super::PartSpec] {
        self.inner.parts()
    }

    fn group(&self) -> Option<&super::GroupSpec> {
        self.inner.group()
    }

    fn fidelity(&self) -> Option<super::Fidelity> {
        self.inner.fidelity()
    }

    fn not_sent(&self) -> &[String] {
        self.inner.not_sent()
    }

    fn read_only(&self) -> bool {
        self.inner.read_only()
    }

    fn to_canonical(&self, vendor: &Value) -> Result<Mapped<Value>, MappingError> {
        let tenant = self.crosswalk.tenant_values(self.inner.vendor());
        let missing: Vec<&(String, Value)> =
            tenant.iter().filter(|(p, _)| pointer::get(vendor, p).is_none()).collect();
        let mut mapped = if missing.is_empty() {
            self.inner.to_canonical(vendor)?
        } else {
            let mut with = vendor.clone();
            for (p, v) in &missing {
                pointer::set(&mut with, p, v.clone());
            }
            self.inner.to_canonical(&with)?
        };
        // What the payload did not hold is not kept as if it had.
        for (p, _) in missing {
            let kept = format!("/extensions/{}{p}", self.inner.vendor());
            pointer::take(&mut mapped.value, &kept);
        }
        self.crosswalk.resolve(&mut mapped.value);
        Ok(mapped)
    }

    fn to_vendor(&self, canonical: &Value) -> Result<Mapped<Value>, MappingError> {
        let mut record = self.vendor_record(canonical);
        // The way back reads the tenant's values too (the tax code of a
        // category and rate): they go where the way in kept the payload's.
        let tenant = self.crosswalk.tenant_values(self.inner.vendor());
        for (p, v) in tenant {
            let kept = format!("/extensions/{}{p}", self.inner.vendor());
            if pointer::get(&record, &kept).is_none() {
                pointer::set(&mut record, &kept, v.clone());
            }
        }
        let mut out = self.inner.to_vendor(&record)?;
        for (p, v) in self.crosswalk.tenant_values(self.inner.vendor()) {
            if pointer::get(&out.value, p) == Some(v) {
                pointer::take(&mut out.value, p);
            }
        }
        Ok(out)
    }
}
