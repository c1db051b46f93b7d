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
use crate::mapping::{GatherSpec, JoinSpec, TwinSpec};

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
        }) || self.twins.iter().any(|t| {
            pointer::get(vendor, &t.at)
                .and_then(Value::as_array)
                .is_some_and(|a| a.iter().any(|r| self.twinned(t, r)))
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
        for t in &self.twins {
            self.twin_all(t, &mut v)?;
        }
        Ok(Cow::Owned(v))
    }

    /// True when `record` names what makes a twin.
    fn twinned(&self, t: &TwinSpec, record: &Value) -> bool {
        pointer::get(record, &t.when).is_some_and(|w| !self.is_absent(w))
    }

    fn twin_all(&self, t: &TwinSpec, v: &mut Value) -> Result<(), MappingError> {
        let Some(Value::Array(records)) = pointer::get_mut(v, &t.at) else { return Ok(()) };
        let mut out = Vec::with_capacity(records.len());
        for (i, record) in std::mem::take(records).into_iter().enumerate() {
            if pointer::get(&record, &t.by).is_some() {
                return Err(self.input_error(
                    format!("{}/{i}{}", t.at, t.by),
                    "expected nothing here: the mapping file marks twins here".to_owned(),
                ));
            }
            let twin = if self.twinned(t, &record) {
                Some(self.twin_of(t, &record, &format!("{}/{i}", t.at))?)
            } else {
                None
            };
            out.push(record);
            out.extend(twin);
        }
        *records = out;
        Ok(())
    }

    /// The twin of `record` (at `at`, for errors).
    fn twin_of(&self, t: &TwinSpec, record: &Value, at: &str) -> Result<Value, MappingError> {
        let mut twin = record.clone();
        for p in &t.drop {
            pointer::take(&mut twin, p);
        }
        for (member, from) in &t.set {
            match pointer::get(record, from).cloned() {
                Some(value) => {
                    pointer::set(&mut twin, member, value);
                }
                None => {
                    pointer::take(&mut twin, member);
                }
            }
        }
        for p in &t.negate {
            let Some(n) = pointer::get(record, p).filter(|n| !n.is_null()) else { continue };
            let negated = n
                .as_number()
                .and_then(|n| crate::money::parse_json_number(n.as_str()).ok())
                .map(|d| crate::json::Number::from(std::ops::Neg::neg(d)))
                .ok_or_else(|| {
                    self.input_error(
                        format!("{at}{p}"),
                        format!(
                            "expected a number to negate, but found {}",
                            crate::voice::found_json(n)
                        ),
                    )
                })?;
            pointer::set(&mut twin, p, Value::Number(negated));
        }
        pointer::set(&mut twin, &t.by, Value::Bool(true));
        Ok(twin)
    }

    /// The way back of twins: each taken out, and reported when its record
    /// would give another (its canonical line was changed).
    fn untwin(&self, t: &TwinSpec, out: &mut Value, losses: &mut Vec<Loss>) {
        let Some(Value::Array(records)) = pointer::get_mut(out, &t.at) else { return };
        let mut kept: Vec<Value> = Vec::with_capacity(records.len());
        for (i, mut record) in std::mem::take(records).into_iter().enumerate() {
            if pointer::take(&mut record, &t.by).is_none_or(|b| b.is_null()) {
                kept.push(record);
                continue;
            }
            let at = format!("{}/{i}", t.at);
            let expected = kept
                .last()
                .filter(|r| self.twinned(t, r))
                .and_then(|r| self.twin_of(t, r, &at).ok());
            let same = expected.as_ref().is_some_and(|e| {
                t.set.keys().chain(&t.negate).all(|p| {
                    let (a, b) = (pointer::get(e, p), pointer::get(&record, p));
                    a == b || matches!((a, b), (Some(Value::Number(x)), Some(Value::Number(y)))
                        if crate::money::parse_json_number(x.as_str()).ok() == crate::money::parse_json_number(y.as_str()).ok())
                })
            });
            if !same {
                losses.push(Loss::new(
                    LossKind::Unsupported,
                    &at,
                    format!(
                        "{} {}: the line at {at} is the twin of the line before it, which posts it from its {}: its own values are not written",
                        self.vendor, self.object, t.when
                    ),
                ));
            }
        }
        *records = kept;
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
                    &g.into,
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
                            format!("{}/{i}{}", g.into, g.by),
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
                    &f.at,
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
        for t in self.twins.iter().rev() {
            self.untwin(t, out, losses);
        }
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
                        &place,
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
                        &place,
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
                    &j.from,
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

/// Checks the parts of a file that shape the payload (`parts`, `joins`,
/// `gathers`, `twins`, `group`): their pointers, their transforms, each
/// part named once.
pub(super) fn check_shapes(
    spec: &MappingSpec,
    err: &dyn Fn(String, String) -> MappingError,
) -> Result<(), MappingError> {
    for (i, part) in spec.parts.iter().enumerate() {
        let at = format!("/parts/{i}");
        if part.object.is_empty() {
            return Err(err(
                format!("{at}/object"),
                "expected the part records' vendor object, but found an empty string".into(),
            ));
        }
        if spec.parts.iter().take(i).any(|p| p.object == part.object) {
            return Err(err(
                format!("{at}/object"),
                format!("expected each part once, but `{}` is an earlier part", part.object),
            ));
        }
        check_pointer(&part.at, format!("{at}/at"), err)?;
        if let Some(name) = &part.transform
            && !matches!(transforms::builtin(name, &BTreeMap::new()), Some(Ok(_)))
        {
            return Err(err(
                format!("{at}/transform"),
                format!(
                    "expected a built-in transform that takes no arguments, such as `salesforce_id`, but found `{name}`"
                ),
            ));
        }
        match (&part.key, &part.parent) {
            (Some(k), Some(p)) => {
                check_pointer(k, format!("{at}/key"), err)?;
                check_pointer(p, format!("{at}/parent"), err)?;
            }
            (None, None) => {}
            _ => {
                return Err(err(
                    at,
                    "`key` and `parent` go together (the member of each part that names the record, and the record's value it holds)".into(),
                ));
            }
        }
    }
    for (i, j) in spec.joins.iter().enumerate() {
        let at = format!("/joins/{i}");
        for (name, p) in
            [("into", &j.into), ("key", &j.key), ("from", &j.from), ("on", &j.on), ("as", &j.at)]
        {
            check_pointer(p, format!("{at}/{name}"), err)?;
        }
    }
    for (i, g) in spec.gathers.iter().enumerate() {
        let at = format!("/gathers/{i}");
        check_pointer(&g.into, format!("{at}/into"), err)?;
        check_pointer(&g.by, format!("{at}/by"), err)?;
        if g.from.is_empty() {
            return Err(err(format!("{at}/from"), "expected at least one array".into()));
        }
        for (k, f) in g.from.iter().enumerate() {
            check_pointer(&f.at, format!("{at}/from/{k}/at"), err)?;
            if f.tag.is_empty() || g.from.iter().take(k).any(|e| e.tag == f.tag) {
                return Err(err(
                    format!("{at}/from/{k}/tag"),
                    format!("expected a tag of its own, but found `{}`", f.tag),
                ));
            }
        }
    }
    for (i, t) in spec.twins.iter().enumerate() {
        let at = format!("/twins/{i}");
        check_pointer(&t.at, format!("{at}/at"), err)?;
        check_pointer(&t.when, format!("{at}/when"), err)?;
        check_pointer(&t.by, format!("{at}/by"), err)?;
        for (member, from) in &t.set {
            check_pointer(member, join(&format!("{at}/set"), member), err)?;
            check_pointer(from, join(&format!("{at}/set"), member), err)?;
        }
        for (k, p) in t.negate.iter().enumerate() {
            check_pointer(p, format!("{at}/negate/{k}"), err)?;
        }
        for (k, p) in t.drop.iter().enumerate() {
            check_pointer(p, format!("{at}/drop/{k}"), err)?;
        }
    }
    if let Some(g) = &spec.group {
        check_pointer(&g.by, "/group/by".into(), err)?;
        check_pointer(&g.at, "/group/at".into(), err)?;
        for (k, p) in g.copy.iter().enumerate() {
            check_pointer(p, format!("/group/copy/{k}"), err)?;
        }
    }
    for (i, p) in spec.not_sent.iter().enumerate() {
        check_pointer(p, format!("/not_sent/{i}"), err)?;
    }
    Ok(())
}
