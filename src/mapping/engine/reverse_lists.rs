//! The way back for lists: `cases` arrays rebuilt in their order, `fields`
//! maps spread back item by item, `each` arrays and `collect` fields.

use super::reverse::{Back, Reverse};
use super::*;

impl Reverse<'_> {
    /// A `cases` rule backwards: the vendor array rebuilt in the order it
    /// came in, each canonical item through its case's rules over the values
    /// kept for it, the kept items where they were; items the record added
    /// go at the end, items it removed are gone.
    pub(super) fn cases_back(
        &mut self,
        (by, cases): (&Path, &[Case]),
        p: &Path,
        el: Back<'_>,
        out: &mut Value,
    ) -> Result<(), MappingError> {
        let at = el.at(p);
        let noted: Vec<Option<String>> = self
            .cases
            .remove(&at)
            .and_then(|v| v.into_array().ok())
            .unwrap_or_default()
            .into_iter()
            .map(|v| v.as_str().map(str::to_owned))
            .collect();
        let kept_len = match pointer::get(&self.residue, &at) {
            Some(Value::Array(items)) => items.len(),
            _ => 0,
        };
        // The canonical arrays the cases fill, each once.
        let mut targets: Vec<&Path> = Vec::new();
        for case in cases {
            if let Some(t) = &case.canonical
                && !targets.iter().any(|u| u.as_str() == t.as_str())
            {
                targets.push(t);
            }
        }
        let mut c_keys = el.c_keys.to_vec();
        let mut v_keys = el.v_keys.to_vec();
        v_keys.extend(p.tokens().iter().map(Key::from));
        // (vendor position it came from, the item written)
        let mut written: Vec<(Option<usize>, Value)> = Vec::new();
        let mut fresh = kept_len.max(noted.len());
        for target in targets {
            let items = match target.get(el.c) {
                Some(Value::Array(items)) => items.as_slice(),
                Some(other) => {
                    return Err(self.m.input_error(
                        cat(el.c_at, target.as_str()),
                        format!("expected an array, but found {}", crate::voice::found_json(other)),
                    ));
                }
                None => &[],
            };
            if items.is_empty() {
                self.cover(el, target);
            }
            let c_abs = cat(el.c_at, target.as_str());
            let base_len = c_keys.len();
            c_keys.extend(target.tokens().iter().map(Key::from));
            for (k, item) in items.iter().enumerate() {
                let c_at = join(&c_abs, k);
                let from = noted.iter().position(|n| n.as_deref() == Some(c_at.as_str()));
                let position = from.unwrap_or_else(|| {
                    fresh = fresh.saturating_add(1);
                    fresh
                });
                // An item that came in goes back through the case it came
                // by; an added one through the first case of its array.
                let kept_by = from
                    .and_then(|j| pointer::get(&self.residue, &join(&at, j)))
                    .and_then(|kept| by.get(kept))
                    .and_then(|k| k.as_str().or_else(|| k.as_bool().map(bool_key)))
                    .map(str::to_owned);
                let case = cases
                    .iter()
                    .filter(|case| {
                        case.canonical.as_ref().is_some_and(|t| t.as_str() == target.as_str())
                    })
                    .find(|case| {
                        kept_by.as_deref().is_none_or(|b| case.when.iter().any(|w| w == b))
                    });
                let Some(case) = case else { continue };
                c_keys.push(Key::Index(k));
                v_keys.push(Key::Index(position));
                let v_at = join(&at, position);
                let item_el =
                    Back { c: item, c_at: &c_at, c_keys: &c_keys, v_at: &v_at, v_keys: &v_keys };
                let mut element = Value::Object(Map::new());
                self.run(&case.rules, item_el, &mut element)?;
                c_keys.pop();
                v_keys.pop();
                if kept_by.is_none()
                    && let Some(first) = case.when.first()
                {
                    // `true` and `false` are written as the booleans they
                    // match, as enum keys are.
                    let value = match first.as_str() {
                        "true" => Value::Bool(true),
                        "false" => Value::Bool(false),
                        other => Value::from(other),
                    };
                    by.set(&mut element, value);
                }
                written.push((from, element));
            }
            c_keys.truncate(base_len);
        }
        let mut kept: Vec<Option<Value>> = pointer::take(&mut self.residue, &at)
            .and_then(|v| v.into_array().ok())
            .unwrap_or_default()
            .into_iter()
            .map(Some)
            .collect();
        let mut array = Vec::with_capacity(written.len().saturating_add(kept.len()));
        // In the order the items came: kept ones where they were, written
        // ones over their kept values, removed ones left out.
        for (j, n) in noted.iter().enumerate() {
            match n {
                None => {
                    if let Some(item) = kept.get_mut(j).and_then(Option::take) {
                        array.push(item);
                    }
                }
                Some(_) => {
                    if let Some(i) = written.iter().position(|(from, _)| *from == Some(j)) {
                        let (_, item) = written.swap_remove(i);
                        let mut base = kept
                            .get_mut(j)
                            .and_then(Option::take)
                            .unwrap_or_else(|| Value::Object(Map::new()));
                        pointer::overlay(&mut base, item);
                        array.push(base);
                    }
                }
            }
        }
        // What the record added, in its order.
        array.extend(written.into_iter().map(|(_, item)| item));
        p.set(out, Value::Array(array));
        Ok(())
    }

    /// A `fields` rule backwards: each kept item whose name the map still
    /// holds gets its value (in the member it was read from), items whose
    /// name is gone are dropped, names the record added become new items.
    pub(super) fn fields_back(
        &mut self,
        (name_p, value_ps): (&Path, &[Path]),
        value: Option<&Value>,
        p: &Path,
        (el, c_rel, c_abs): (Back<'_>, &Path, &str),
        out: &mut Value,
    ) -> Result<(), MappingError> {
        let at = el.at(p);
        let map = match value {
            Some(Value::Object(map)) => Some(map),
            Some(other) => {
                return Err(self.m.input_error(
                    c_abs,
                    format!(
                        "expected a map of names to values, but found {}",
                        crate::voice::found_json(other)
                    ),
                ));
            }
            None => None,
        };
        let kept = pointer::take(&mut self.residue, &at).and_then(|v| v.into_array().ok());
        if map.is_none() && kept.is_none() {
            return Ok(());
        }
        let kept = kept.unwrap_or_default();
        let mut done: HashSet<&str> = HashSet::new();
        let mut array = Vec::with_capacity(kept.len());
        for mut item in kept {
            let name = name_p.get(&item).and_then(Value::as_str).map(str::to_owned);
            let Some(name) = name else { continue };
            let Some((key, v)) = map.and_then(|m| m.iter().find(|(k, _)| k.as_str() == name))
            else {
                continue;
            };
            if !done.insert(key.as_str()) {
                // A second item of that name came in and stayed kept.
                array.push(item);
                continue;
            }
            let q = self.field_pointer(value_ps, &join(c_abs, &name));
            q.set(&mut item, v.clone());
            array.push(item);
        }
        if let Some(map) = map {
            for (k, v) in map {
                if done.contains(k.as_str()) {
                    continue;
                }
                let mut item = Value::Object(Map::new());
                name_p.set(&mut item, Value::from(k.as_str()));
                if let Some(q) = value_ps.first() {
                    q.set(&mut item, v.clone());
                }
                array.push(item);
            }
            self.cover(el, c_rel);
        }
        p.set(out, Value::Array(array));
        Ok(())
    }

    /// The member a field's value goes back to: the one it was read from.
    pub(super) fn field_pointer<'r>(&self, value_ps: &'r [Path], c_abs: &str) -> &'r Path {
        let recorded = self.alternatives.get(c_abs).and_then(Value::as_str);
        value_ps
            .iter()
            .find(|q| Some(q.as_str()) == recorded)
            .or_else(|| value_ps.first())
            .unwrap_or(&NO_TARGET)
    }
    /// An `each` rule backwards: every item of the canonical array through
    /// the inner rules, each over the values kept for it.
    pub(super) fn each_back(
        &mut self,
        inner: &[Rule],
        value: Option<&Value>,
        p: &Path,
        (el, c_rel, c_abs): (Back<'_>, &Path, &str),
        out: &mut Value,
    ) -> Result<(), MappingError> {
        let at = el.at(p);
        let items = match value {
            Some(Value::Array(items)) => items,
            Some(other) => {
                return Err(self.m.input_error(
                    c_abs,
                    format!("expected an array, but found {}", crate::voice::found_json(other)),
                ));
            }
            // The record has no items (any more): none of the
            // values kept for them comes back.
            None => {
                self.align(&at, c_abs, &[]);
                return Ok(());
            }
        };
        self.align(&at, c_abs, items);
        if items.is_empty() {
            // An empty list is carried as one.
            self.cover(el, c_rel);
        }
        let mut c_keys = el.c_keys.to_vec();
        c_keys.extend(c_rel.tokens().iter().map(Key::from));
        let mut v_keys = el.v_keys.to_vec();
        v_keys.extend(p.tokens().iter().map(Key::from));
        let mut produced = Vec::with_capacity(items.len());
        for (i, item) in items.iter().enumerate() {
            c_keys.push(Key::Index(i));
            v_keys.push(Key::Index(i));
            let (c_at, v_at) = (join(c_abs, i), join(&at, i));
            let item_el =
                Back { c: item, c_at: &c_at, c_keys: &c_keys, v_at: &v_at, v_keys: &v_keys };
            let mut element = Value::Object(Map::new());
            self.run(inner, item_el, &mut element)?;
            c_keys.pop();
            v_keys.pop();
            produced.push(element);
        }
        p.set(out, Value::Array(produced));
        Ok(())
    }

    /// A `collect` rule backwards: the array's items spread over the vendor
    /// places they came from.
    pub(super) fn collect_back(
        &mut self,
        pointers: &[Path],
        items: &[Value],
        c_abs: &str,
        out: &mut Value,
    ) {
        // The places the items were read from, while the record
        // still holds as many; otherwise the first places in order.
        let noted: Vec<&Path> = match self.collected.get(c_abs) {
            Some(Value::Array(places)) if places.len() == items.len() => places
                .iter()
                .filter_map(Value::as_str)
                .filter_map(|q| pointers.iter().find(|p| p.as_str() == q))
                .collect(),
            _ => Vec::new(),
        };
        let places: Vec<&Path> =
            if noted.len() == items.len() { noted } else { pointers.iter().collect() };
        for (i, item) in items.iter().enumerate() {
            match places.get(i).copied() {
                Some(p) => {
                    p.set(out, item.clone());
                }
                None => self.losses.push(Loss::new(
                    LossKind::Unsupported,
                    join(c_abs, i),
                    format!(
                        "{} {} holds at most {} of these",
                        self.m.vendor,
                        self.m.object,
                        pointers.len()
                    ),
                )),
            }
        }
    }
}
