//! The way in for lists and objects: `cases` arrays sorted by their
//! discriminator, `object` members with what they need, `fields` arrays of
//! `{name, value}` objects.

use super::*;

impl Forward<'_> {
    /// A `cases` rule: every item of the vendor array `x` into the
    /// canonical array of its case, or kept (a case without `canonical`,
    /// or a value of `by` no case takes, which is reported).
    pub(super) fn cases(
        &mut self,
        by: &Path,
        cases: &[Case],
        (p, x): (&Path, &Value),
        el: Element<'_>,
        c: &mut Value,
    ) -> Result<(), MappingError> {
        let at = el.at(p);
        let items = x.as_array().ok_or_else(|| {
            self.m.input_error(
                &at,
                format!("expected an array, but found {}", crate::voice::found_json(x)),
            )
        })?;
        let mut keys = el.keys.to_vec();
        keys.extend(p.tokens().iter().map(Key::from));
        // The canonical arrays, in the order of their first case.
        let mut groups: Vec<(&Path, Vec<Value>)> = Vec::new();
        let mut note = Vec::with_capacity(items.len());
        for (i, item) in items.iter().enumerate() {
            let item_at = join(&at, i);
            if !item.is_object() {
                return Err(self.m.input_error(
                    item_at,
                    format!("expected an object, but found {}", crate::voice::found_json(item)),
                ));
            }
            // A boolean discriminator (NetSuite `apply`) by `true`/`false`.
            let key = by.get(item).and_then(|k| k.as_str().or_else(|| k.as_bool().map(bool_key)));
            let case = key.and_then(|k| cases.iter().find(|case| case.when.iter().any(|w| w == k)));
            let Some((case, target)) =
                case.and_then(|case| case.canonical.as_ref().map(|t| (case, t)))
            else {
                if case.is_none() {
                    let known: Vec<&str> = cases
                        .iter()
                        .flat_map(|case| case.when.iter().map(String::as_str))
                        .collect();
                    self.losses.push(Loss::new(
                        LossKind::Lossy,
                        cat(&item_at, by.as_str()),
                        format!(
                            "expected one of {}, but found {}: the item is kept in extensions",
                            known.join(", "),
                            key.map_or_else(|| "none".to_owned(), |k| format!("`{k}`"))
                        ),
                    ));
                }
                note.push(Value::Null);
                continue;
            };
            let group = match groups.iter().position(|(t, _)| t.as_str() == target.as_str()) {
                Some(g) => g,
                None => {
                    groups.push((target, Vec::new()));
                    groups.len().saturating_sub(1)
                }
            };
            let Some((_, list)) = groups.get_mut(group) else { continue };
            let item_c_at = join(&el.c_abs(target), list.len());
            keys.push(Key::Index(i));
            let mut element = Value::Object(Map::new());
            let inner_el = Element { v: item, at: &item_at, keys: &keys, c_at: &item_c_at };
            let losses = self.losses.len();
            let result = self.run(&case.rules, inner_el, &mut element);
            keys.pop();
            let missing: Vec<&str> =
                case.needs.iter().filter(|n| n.get(&element).is_none()).map(Path::as_str).collect();
            let why = match result {
                Err(MappingError::InvalidInput { pointer, message, .. })
                    if !case.needs.is_empty() =>
                {
                    Some(format!("{pointer}: {message}"))
                }
                Err(e) => return Err(e),
                Ok(()) if !missing.is_empty() => Some(format!("it has no {}", missing.join(", "))),
                Ok(()) => None,
            };
            if let Some(why) = why {
                // Left out: kept whole, as a computed item is.
                self.losses.truncate(losses);
                self.consumed.unmark(&item_at);
                self.losses.push(Loss::new(
                    LossKind::Lossy,
                    &item_at,
                    format!(
                        "not read as an item of {} ({why}): kept in extensions",
                        el.c_abs(target)
                    ),
                ));
                note.push(Value::Null);
                continue;
            }
            note.push(Value::from(item_c_at));
            if let Some((_, list)) = groups.get_mut(group) {
                list.push(element);
            }
        }
        for (target, list) in groups {
            if !target.set(c, Value::Array(list)) {
                self.unplaced(&at, &el.c_abs(target));
                return Ok(());
            }
        }
        if self.keep {
            self.cases.insert(at, Value::Array(note));
        }
        Ok(())
    }

    /// An `object` rule: the vendor object `x` through its rules into one
    /// canonical object. With `needs`, one the rules cannot read or that
    /// lacks a needed field is left out: nothing of it is consumed, and
    /// the loss says why.
    pub(super) fn object(
        &mut self,
        rules: &[Rule],
        needs: &[Path],
        (p, x): (&Path, &Value),
        (el, c_rel): (Element<'_>, &Path),
        c: &mut Value,
    ) -> Result<(), MappingError> {
        let at = el.at(p);
        if !x.is_object() {
            return Err(self.m.input_error(
                &at,
                format!("expected an object, but found {}", crate::voice::found_json(x)),
            ));
        }
        let mut keys = el.keys.to_vec();
        keys.extend(p.tokens().iter().map(Key::from));
        let c_abs = el.c_abs(c_rel).into_owned();
        let losses = self.losses.len();
        let mut element = Value::Object(Map::new());
        let inner_el = Element { v: x, at: &at, keys: &keys, c_at: &c_abs };
        let result = self.run(rules, inner_el, &mut element);
        let missing: Vec<&str> =
            needs.iter().filter(|n| n.get(&element).is_none()).map(Path::as_str).collect();
        let why = match result {
            Err(e) if !needs.is_empty() => Some(match e {
                MappingError::InvalidInput { pointer, message, .. } => {
                    format!("{pointer}: {message}")
                }
                other => other.to_string(),
            }),
            Err(e) => return Err(e),
            Ok(()) if !missing.is_empty() => Some(format!("it has no {}", missing.join(", "))),
            Ok(()) => None,
        };
        if let Some(why) = why {
            self.losses.truncate(losses);
            self.consumed.unmark(&at);
            self.losses.push(Loss::new(
                LossKind::Lossy,
                &at,
                format!("not read as {c_abs} ({why}): kept in extensions"),
            ));
            return Ok(());
        }
        if !c_rel.set(c, element) {
            self.unplaced(&at, &c_abs);
        }
        Ok(())
    }

    /// A `fields` rule: an array of `{name, value}` objects into a map of
    /// name to value. The names stay with the items in extensions, so the
    /// way back finds each item's other members by name.
    pub(super) fn fields(
        &mut self,
        (name_p, value_ps): (&Path, &[Path]),
        (p, x): (&Path, &Value),
        (el, c_rel): (Element<'_>, &Path),
        c: &mut Value,
    ) -> Result<(), MappingError> {
        let at = el.at(p);
        let items = x.as_array().ok_or_else(|| {
            self.m.input_error(
                &at,
                format!("expected an array, but found {}", crate::voice::found_json(x)),
            )
        })?;
        let c_abs = el.c_abs(c_rel).into_owned();
        let mut keys = el.keys.to_vec();
        keys.extend(p.tokens().iter().map(Key::from));
        let mut map = Map::new();
        for (i, item) in items.iter().enumerate() {
            let item_at = join(&at, i);
            let name = match name_p.get(item) {
                Some(Value::String(n)) => n.as_str(),
                Some(other) => {
                    return Err(self.m.input_error(
                        cat(&item_at, name_p.as_str()),
                        format!(
                            "expected a field name, but found {}",
                            crate::voice::found_json(other)
                        ),
                    ));
                }
                None if item.is_object() => {
                    return Err(self.m.input_error(
                        cat(&item_at, name_p.as_str()),
                        "expected a field name, but it is missing",
                    ));
                }
                None => {
                    return Err(self.m.input_error(
                        item_at,
                        format!("expected an object, but found {}", crate::voice::found_json(item)),
                    ));
                }
            };
            if map.contains_key(name) {
                self.losses.push(Loss::new(
                    LossKind::Lossy,
                    item_at,
                    format!("a second field named `{name}`: the first is mapped, this one is kept in extensions"),
                ));
                continue;
            }
            let found = value_ps
                .iter()
                .enumerate()
                .find_map(|(j, q)| q.get(item).filter(|v| !v.is_null()).map(|v| (j, q, v)));
            let Some((j, q, value)) = found else { continue };
            if j > 0 {
                self.note_alternative(&join(&c_abs, name), q);
            }
            keys.push(Key::Index(i));
            self.consume(&keys, q);
            keys.pop();
            map.insert(name, value.clone());
        }
        if map.is_empty() {
            return Ok(());
        }
        // Another rule may have written into the same map (a custom field
        // kept beside these): the names are added to it.
        match path::get_mut(c, c_rel.tokens()) {
            Some(Value::Object(existing)) => {
                for (k, v) in map {
                    existing.insert(k, v);
                }
            }
            _ => {
                let placed = c_rel.set(c, Value::Object(map));
                if !placed {
                    self.unplaced(&at, &c_abs);
                }
            }
        }
        Ok(())
    }
}
