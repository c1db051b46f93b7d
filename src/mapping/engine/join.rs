//! `joins`: records of one array of a payload that belong to the records of
//! another by a key both hold. NetSuite sends an invoice's tax details in
//! `taxDetails.items`, apart from its lines in `item.items`, each naming
//! its line by `taxDetailsReference`; Business Central's dimension set
//! lines name their document line by `parentId`. Before the rules run,
//! each record gets its entries as an array (so a line's rules read its
//! tax code at `/taxDetails/0/taxCode`); the way back moves them to their
//! own array again. Gathers make one array of several (a NetSuite bill's
//! `item` and `expense` sublists), each record tagged with its array.

use std::borrow::Cow;

use super::*;
use crate::mapping::{GatherSpec, JoinSpec};

impl DeclarativeMapper {
    /// `vendor` with the file's joins made: borrowed when there is nothing
    /// to join (no joins, or no entries array in this payload).
    ///
    /// # Errors
    ///
    /// [`MappingError::InvalidInput`] when a record already holds a member
    /// where its entries go.
    pub(super) fn joined<'v>(&self, vendor: &'v Value) -> Result<Cow<'v, Value>, MappingError> {
        let any = self.joins.iter().any(|j| {
            pointer::get(vendor, &j.from).and_then(Value::as_array).is_some_and(|a| !a.is_empty())
                && pointer::get(vendor, &j.into).is_some_and(Value::is_array)
        }) || self.gathers.iter().any(|g| {
            g.from.iter().any(|f| pointer::get(vendor, &f.at).is_some_and(Value::is_array))
        });
        if !any {
            return Ok(Cow::Borrowed(vendor));
        }
        let mut v = vendor.clone();
        for j in &self.joins {
            self.join_one(j, &mut v)?;
        }
        for g in &self.gathers {
            self.gather_one(g, &mut v)?;
        }
        Ok(Cow::Owned(v))
    }

    fn gather_one(&self, g: &GatherSpec, v: &mut Value) -> Result<(), MappingError> {
        if !g.from.iter().any(|f| pointer::get(v, &f.at).is_some_and(Value::is_array)) {
            return Ok(());
        }
        if pointer::get(v, &g.into).is_some() {
            return Err(self.input_error(
                &g.into,
                "expected nothing here: the mapping file gathers records here".to_owned(),
            ));
        }
        let mut all = Vec::new();
        for f in &g.from {
            let Some(Value::Array(items)) = pointer::get_mut(v, &f.at) else { continue };
            for (i, mut item) in std::mem::take(items).into_iter().enumerate() {
                let place = format!("{}/{i}", f.at);
                if !item.is_object() {
                    return Err(self.input_error(
                        place,
                        format!(
                            "expected an object, but found {}",
                            crate::voice::found_json(&item)
                        ),
                    ));
                }
                if pointer::get(&item, &g.by).is_some() {
                    return Err(self.input_error(
                        format!("{place}{}", g.by),
                        "expected nothing here: the mapping file tags each record here".to_owned(),
                    ));
                }
                pointer::set(&mut item, &g.by, Value::from(f.tag.as_str()));
                all.push(item);
            }
        }
        pointer::set(v, &g.into, Value::Array(all));
        Ok(())
    }

    /// The way back of a gather: each record to the array its tag names.
    fn ungather(&self, g: &GatherSpec, out: &mut Value, losses: &mut Vec<Loss>) {
        let Some(taken) = pointer::take(out, &g.into) else { return };
        let items = match taken.into_array() {
            Ok(items) => items,
            Err(other) => {
                losses.push(Loss::new(
                    LossKind::Unsupported,
                    "",
                    format!(
                        "{} {}: expected the gathered records at {} as an array, but found {}: not written",
                        self.vendor,
                        self.object,
                        g.into,
                        crate::voice::found_json(&other)
                    ),
                ));
                return;
            }
        };
        let mut per: Vec<Vec<Value>> = g.from.iter().map(|_| Vec::new()).collect();
        for (i, mut item) in items.into_iter().enumerate() {
            let tag = pointer::take(&mut item, &g.by);
            let tag = tag.as_ref().and_then(Value::as_str);
            let k = match tag.and_then(|t| g.from.iter().position(|f| f.tag == t)) {
                Some(k) => k,
                None => {
                    if let Some(t) = tag {
                        losses.push(Loss::new(
                            LossKind::Lossy,
                            "",
                            format!(
                                "{} {}: the record at {}/{i} names `{t}`, which is none of the arrays gathered: it goes to {}",
                                self.vendor,
                                self.object,
                                g.into,
                                g.from.first().map_or("", |f| f.at.as_str())
                            ),
                        ));
                    }
                    0
                }
            };
            if let Some(list) = per.get_mut(k) {
                list.push(item);
            }
        }
        for (f, items) in g.from.iter().zip(per) {
            if items.is_empty() {
                continue;
            }
            match pointer::get_mut(out, &f.at) {
                Some(Value::Array(list)) => list.extend(items),
                Some(other) if !other.is_null() => losses.push(Loss::new(
                    LossKind::Unsupported,
                    "",
                    format!(
                        "{} {}: {} holds {}, not an array: {} records are not written",
                        self.vendor,
                        self.object,
                        f.at,
                        crate::voice::found_json(other),
                        items.len()
                    ),
                )),
                _ => {
                    pointer::set(out, &f.at, Value::Array(items));
                }
            }
        }
    }

    fn join_one(&self, j: &JoinSpec, v: &mut Value) -> Result<(), MappingError> {
        let keys: Vec<Option<Value>> = match pointer::get(v, &j.into).and_then(Value::as_array) {
            Some(records) => records
                .iter()
                .map(|r| pointer::get(r, &j.key).filter(|k| !k.is_null()).cloned())
                .collect(),
            None => return Ok(()),
        };
        let Some(Value::Array(entries)) = pointer::get_mut(v, &j.from) else { return Ok(()) };
        let mut groups: Vec<Vec<Value>> = keys.iter().map(|_| Vec::new()).collect();
        let mut left = Vec::new();
        for entry in std::mem::take(entries) {
            let on = pointer::get(&entry, &j.on).filter(|k| !k.is_null());
            let record = on.and_then(|on| keys.iter().position(|k| k.as_ref() == Some(on)));
            match record.and_then(|i| groups.get_mut(i)) {
                Some(group) => group.push(entry),
                None => left.push(entry),
            }
        }
        *entries = left;
        let Some(Value::Array(records)) = pointer::get_mut(v, &j.into) else { return Ok(()) };
        for (i, (record, group)) in records.iter_mut().zip(groups).enumerate() {
            if group.is_empty() {
                continue;
            }
            if pointer::get(record, &j.at).is_some() {
                return Err(self.input_error(
                    format!("{}/{i}{}", j.into, j.at),
                    format!(
                        "expected nothing here: the entries of {} that name this record go here",
                        j.from
                    ),
                ));
            }
            pointer::set(record, &j.at, Value::Array(group));
        }
        Ok(())
    }

    /// The way back: each record's entries moved from it to their own
    /// array, after any there, each with its record's key. A record without
    /// a key cannot be named: its entries are reported and not written.
    pub(super) fn unjoin(&self, out: &mut Value, losses: &mut Vec<Loss>) {
        for g in self.gathers.iter().rev() {
            self.ungather(g, out, losses);
        }
        for j in &self.joins {
            let Some(Value::Array(records)) = pointer::get_mut(out, &j.into) else { continue };
            let mut moved = Vec::new();
            for (i, record) in records.iter_mut().enumerate() {
                let Some(taken) = pointer::take(record, &j.at) else { continue };
                let key = pointer::get(record, &j.key).filter(|k| !k.is_null()).cloned();
                let place = format!("{}/{i}{}", j.into, j.at);
                match (taken.into_array(), key) {
                    (Ok(entries), Some(key)) => {
                        for mut entry in entries {
                            if pointer::get(&entry, &j.on).is_none_or(Value::is_null) {
                                pointer::set(&mut entry, &j.on, key.clone());
                            }
                            moved.push(entry);
                        }
                    }
                    (Ok(entries), None) if entries.is_empty() => {}
                    (Ok(entries), None) => losses.push(Loss::new(
                        LossKind::Unsupported,
                        "",
                        format!(
                            "{} {}: the record at {}/{i} has no {} to name its {} entries of {} by: they are not written",
                            self.vendor,
                            self.object,
                            j.into,
                            j.key,
                            entries.len(),
                            j.from
                        ),
                    )),
                    (Err(other), _) => losses.push(Loss::new(
                        LossKind::Unsupported,
                        "",
                        format!(
                            "{} {}: expected the entries at {place} as an array, but found {}: not written",
                            self.vendor,
                            self.object,
                            crate::voice::found_json(&other)
                        ),
                    )),
                }
            }
            if moved.is_empty() {
                continue;
            }
            match pointer::get_mut(out, &j.from) {
                Some(Value::Array(entries)) => entries.extend(moved),
                Some(other) if !other.is_null() => losses.push(Loss::new(
                    LossKind::Unsupported,
                    "",
                    format!(
                        "{} {}: {} holds {}, not an array: {} joined entries are not written",
                        self.vendor,
                        self.object,
                        j.from,
                        crate::voice::found_json(other),
                        moved.len()
                    ),
                )),
                _ => {
                    pointer::set(out, &j.from, Value::Array(moved));
                }
            }
        }
    }
}
