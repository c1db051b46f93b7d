//! The way back: canonical JSON through the rules into a vendor payload.

use super::*;

/// State of one canonical → vendor run.
pub(super) struct Reverse<'a> {
    pub(super) m: &'a DeclarativeMapper,
    pub(super) residue: Value,
    pub(super) alternatives: Map,
    pub(super) defaulted: HashSet<String>,
    pub(super) collected: Map,
    pub(super) absent: HashSet<String>,
    pub(super) items: Map,
    pub(super) covered: Vec<String>,
    pub(super) losses: Vec<Loss>,
}

impl Reverse<'_> {
    /// The original vendor value kept at `at`. It stays in the residue:
    /// another rule may read the same vendor value (a period's start read
    /// as a line's and as the document's), and what a rule writes is laid
    /// over the residue anyway.
    pub(super) fn original(&self, at: &str) -> Option<Value> {
        pointer::get(&self.residue, at).cloned()
    }

    /// Lines up the values kept for the items of the vendor array at `at`
    /// with the record's `items` (at `c_abs`) before they are written over
    /// them. Items that came from the vendor are matched by their id (as
    /// noted on the way in), so a removed, added or moved item takes its
    /// own kept values along, and a removed one leaves none behind. Without
    /// ids, position is the only match: when the count changed, the values
    /// kept for items past the record's count are dropped, and that is
    /// reported.
    pub(super) fn align(&mut self, at: &str, c_abs: &str, items: &[Value]) {
        let Some(Value::Array(kept)) = pointer::get(&self.residue, at) else { return };
        let ids: Vec<Value> = items.iter().map(item_id).collect();
        // Each list is lined up once: its note is taken, not copied.
        let noted = match self.items.remove(c_abs) {
            Some(Value::Array(noted)) => noted,
            _ => Vec::new(),
        };
        if items.is_empty() {
            // No items left: none of the kept values has an item to go with.
            pointer::set(&mut self.residue, at, Value::Array(Vec::new()));
            return;
        }
        if noted.is_empty() || ids.iter().all(Value::is_null) {
            if kept.len() > items.len() {
                self.losses.push(Loss::new(
                    LossKind::Lossy,
                    c_abs,
                    format!(
                        "the {} values kept for these items are matched by position, and the record has {} of the {} read: the values kept for the others are dropped",
                        self.m.vendor,
                        items.len(),
                        kept.len()
                    ),
                ));
                if let Some(Value::Array(kept)) = pointer::get_mut(&mut self.residue, at) {
                    kept.truncate(items.len());
                }
            }
            return;
        }
        if noted == ids {
            return;
        }
        let Some(Value::Array(old)) = pointer::take(&mut self.residue, at) else { return };
        let mut old: Vec<Option<Value>> = old.into_iter().map(Some).collect();
        let mut moved: Vec<(usize, usize)> = Vec::new();
        let mut aligned = Vec::with_capacity(items.len());
        for (i, id) in ids.iter().enumerate() {
            let from = (!id.is_null())
                .then(|| {
                    noted
                        .iter()
                        .enumerate()
                        .position(|(j, n)| n == id && old.get(j).is_some_and(Option::is_some))
                })
                .flatten();
            match from.and_then(|j| old.get_mut(j).and_then(Option::take).map(|v| (j, v))) {
                Some((j, v)) => {
                    moved.push((j, i));
                    aligned.push(v);
                }
                None => aligned.push(Value::Object(Map::new())),
            }
        }
        pointer::set(&mut self.residue, at, Value::Array(aligned));
        // The notes about the items move with them.
        let renumber_keys = |map: &mut Map, base: &str| {
            *map = std::mem::take(map)
                .into_iter()
                .filter_map(|(k, v)| renumber(&k, base, &moved).map(|k| (k, v)))
                .collect();
        };
        renumber_keys(&mut self.alternatives, c_abs);
        renumber_keys(&mut self.collected, c_abs);
        renumber_keys(&mut self.items, c_abs);
        self.defaulted = self.defaulted.iter().filter_map(|k| renumber(k, c_abs, &moved)).collect();
        self.absent = self.absent.iter().filter_map(|k| renumber(k, at, &moved)).collect();
    }

    /// The vendor array (a pointer) that writing at `p` (below `v_at`) would
    /// add an item to, when an `each` rule among `rules` makes that array's
    /// items and neither what they wrote (`out`) nor the kept values have
    /// that item: a value kept on an item (a subscription's billing
    /// interval on its first item) must not invent one.
    pub(super) fn missing_item(
        &self,
        rules: &[Rule],
        out: &Value,
        v_at: &str,
        p: &str,
    ) -> Option<String> {
        if !rules.iter().any(|r| matches!(r.kind, Kind::Each(_))) {
            return None;
        }
        let mut written = Some(out);
        let mut kept = pointer::get(&self.residue, v_at);
        let mut prefix = String::new();
        for token in pointer::tokens(p) {
            if let Some(i) = pointer::index(&token) {
                let has = |x: Option<&Value>| {
                    x.and_then(Value::as_array).is_some_and(|items| i < items.len())
                };
                let made_by_each = rules
                    .iter()
                    .any(|r| matches!(r.kind, Kind::Each(_)) && r.vendor.contains(&prefix));
                if made_by_each && !has(written) && !has(kept) {
                    return Some(cat(v_at, &prefix));
                }
            }
            written = written.and_then(|x| pointer::child(x, &token));
            kept = kept.and_then(|x| pointer::child(x, &token));
            pointer::push(&mut prefix, &token);
        }
        None
    }

    /// Reports that the value at `c_abs` has no item to go on.
    pub(super) fn no_item(&mut self, c_abs: &str, array: &str) {
        self.losses.push(Loss::new(
            LossKind::Unsupported,
            c_abs,
            format!(
                "{} {} keeps this on an item of {array}, and the record has no such item",
                self.m.vendor, self.m.object
            ),
        ));
    }

    pub(super) fn vendor_pointer<'r>(&self, rule: &'r Rule, c_abs: &str) -> Option<&'r str> {
        let recorded: Vec<&str> = match self.alternatives.get(c_abs) {
            Some(Value::String(p)) => vec![p.as_str()],
            Some(Value::Array(list)) => list.iter().filter_map(Value::as_str).collect(),
            _ => Vec::new(),
        };
        rule.vendor
            .iter()
            .find(|q| recorded.contains(&q.as_str()))
            .or_else(|| rule.vendor.first())
            .map(String::as_str)
    }

    /// An enum rule backwards: the vendor code of canonical value `y`.
    #[allow(clippy::too_many_arguments)]
    fn enum_back(
        &mut self,
        (rules, rule): (&[Rule], &Rule),
        (table, fallback, reverse_fallback): (&[(String, String)], Option<&str>, Option<&str>),
        y: &Value,
        p: &str,
        (c_abs, v_at): (&str, &str),
        out: &mut Value,
    ) {
        if let Some(array) = self.missing_item(rules, out, v_at, p) {
            self.no_item(c_abs, &array);
            return;
        }
        let at = cat(v_at, p);
        let y_str = y.as_str().unwrap_or_default();
        let orig = self.original(&at);
        // An original outside the table (or not a string at all)
        // came in through the fallback: it still stands while
        // the record holds it.
        let original_maps_here = orig.as_ref().is_some_and(|o| {
            o.as_str()
                .and_then(|o| table.iter().find(|(k, _)| k == o))
                .map(|(_, v)| v.as_str())
                .or(fallback)
                == Some(y_str)
        });
        let x = match (orig, original_maps_here) {
            (Some(o), true) => o,
            _ => {
                match table.iter().find(|(_, v)| v == y_str) {
                    Some((k, _)) => Value::from(k.clone()),
                    None => {
                        match reverse_fallback {
                            Some(f) => {
                                self.losses.push(Loss::new(
                                    LossKind::Fallback,
                                    c_abs,
                                    format!(
                                        "`{y_str}` has no {} equivalent; written as `{f}`",
                                        self.m.vendor
                                    ),
                                ));
                                Value::from(f.to_owned())
                            }
                            // Another rule writes this vendor
                            // field (a label kept beside a
                            // scheme): that one speaks for it.
                            None if rules.iter().any(|r| {
                                !std::ptr::eq(r, rule) && r.vendor.iter().any(|v| v == p)
                            }) =>
                            {
                                return;
                            }
                            // Nothing to write: reported, and a
                            // value kept from the payload does
                            // not come back in its place.
                            None => {
                                pointer::take(&mut self.residue, &at);
                                self.losses.push(Loss::new(
                                    LossKind::Unsupported,
                                    c_abs,
                                    format!(
                                        "`{y_str}` has no {} {} equivalent, so it is not written",
                                        self.m.vendor, self.m.object
                                    ),
                                ));
                                return;
                            }
                        }
                    }
                }
            }
        };
        pointer::set(out, p, x);
    }

    /// A money rule backwards: the amount (and currency) in the vendor's encoding.
    fn money_back(
        &mut self,
        rules: &[Rule],
        spec: &MoneySpec,
        y: &Value,
        p: &str,
        (c_abs, v_at): (&str, &str),
        out: &mut Value,
    ) -> Result<(), MappingError> {
        if let Some(array) = self.missing_item(rules, out, v_at, p) {
            self.no_item(c_abs, &array);
            return Ok(());
        }
        let at = cat(v_at, p);
        let money = <crate::money::Money as serde::Deserialize>::deserialize(y)
            .map_err(|e| self.m.input_error(c_abs, e.to_string()))?;
        let (generated, note) =
            self.m.money_amount_out(spec, money.amount(), money.currency(), c_abs)?;
        let code = match spec.currency_case {
            CodeCase::Lower => money.currency().code().to_lowercase(),
            CodeCase::Upper => money.currency().code().to_owned(),
        };
        let (cur_target, cur_ptr) = match spec.currency.strip_prefix('^') {
            Some(rel) => (None, rel.to_owned()),
            None => (Some(()), spec.currency.clone()),
        };
        if cur_target.is_some()
            && let Some(Value::String(written)) = pointer::get(out, &cur_ptr)
            && !written.eq_ignore_ascii_case(&code)
        {
            // One vendor currency field serves several amounts:
            // the first amount written sets it, and this one
            // is not written (a value kept from the payload stays).
            self.losses.push(Loss::new(
                LossKind::Unsupported,
                c_abs,
                format!(
                    "{} {} holds one currency for these amounts, and {written} is written already: this {} amount is not written",
                    self.m.vendor,
                    self.m.object,
                    money.currency().code()
                ),
            ));
            return Ok(());
        }
        let exp = self.m.exponent(money.currency(), c_abs)?;
        let chosen = match self.original(&at) {
            Some(orig) if original_amount(&orig, spec.encoding, exp) == Some(money.amount()) => {
                orig
            }
            _ => {
                if let Some(n) = note {
                    self.losses.push(Loss::new(LossKind::Lossy, c_abs, n));
                }
                generated
            }
        };
        pointer::set(out, p, chosen);
        if cur_target.is_some() {
            let cur_at = cat(v_at, &cur_ptr);
            let orig = self.original(&cur_at);
            let cur = match orig {
                Some(o) if o.as_str().is_some_and(|s| s.eq_ignore_ascii_case(&code)) => o,
                _ => Value::from(code),
            };
            pointer::set(out, &cur_ptr, cur);
        } else {
            // Root-level currency: written by the root's own rules.
        }
        Ok(())
    }

    /// A reference rule backwards: the vendor id from the external refs.
    fn reference_back(
        &mut self,
        (rules, rule): (&[Rule], &Rule),
        object_type: &str,
        y: &Value,
        p: &str,
        (c_abs, v_at): (&str, &str),
        out: &mut Value,
    ) {
        let at = cat(v_at, p);
        let id = y
            .get("external_refs")
            .and_then(Value::as_array)
            .and_then(|refs| {
                refs.iter().find(|r| {
                    r.get("system").and_then(Value::as_str) == Some(self.m.vendor.as_str())
                        && r.get("object_type").and_then(Value::as_str) == Some(object_type)
                })
            })
            .and_then(|r| r.get("id"))
            .and_then(Value::as_str)
            .map(str::to_owned);
        let Some(id) = id else {
            // Other reference rules may fill the same reference
            // with other object types: a loss only when none of
            // them finds its id.
            let siblings: Vec<&str> = rules
                .iter()
                .filter(|r| r.canonical == rule.canonical)
                .filter_map(|r| match &r.kind {
                    Kind::Reference(t) => Some(t.as_str()),
                    _ => None,
                })
                .collect();
            let served = y.get("external_refs").and_then(Value::as_array).is_some_and(|refs| {
                refs.iter().any(|r| {
                    r.get("system").and_then(Value::as_str) == Some(self.m.vendor.as_str())
                        && r.get("object_type")
                            .and_then(Value::as_str)
                            .is_some_and(|t| siblings.contains(&t))
                })
            });
            if !served {
                self.losses.push(Loss::new(
                    LossKind::Unsupported,
                    c_abs,
                    format!("the reference has no {} {object_type} id", self.m.vendor),
                ));
            }
            return;
        };
        let chosen = match self.original(&at) {
            Some(orig) if orig.get("id").and_then(Value::as_str) == Some(id.as_str()) => orig,
            _ => Value::from(id),
        };
        pointer::set(out, p, chosen);
    }

    pub(super) fn run(
        &mut self,
        rules: &[Rule],
        c: &Value,
        c_at: &str,
        out: &mut Value,
        v_at: &str,
    ) -> Result<(), MappingError> {
        for rule in rules {
            let c_rel = rule.canonical.as_deref().unwrap_or("");
            let c_abs_buf = concat(c_at, c_rel);
            let c_abs: &str = &c_abs_buf;
            let value = pointer::get(c, c_rel).filter(|x| !x.is_null());
            let vp = self.vendor_pointer(rule, c_abs).map(str::to_owned);
            match &rule.kind {
                Kind::CanonicalConstant(constant) => {
                    self.covered.push(c_abs.to_string());
                    if let Some(x) = value
                        && x != constant
                    {
                        self.losses.push(Loss::new(
                            LossKind::Unsupported,
                            c_abs,
                            format!(
                                "{} {} cannot hold {x}; it is always {constant}",
                                self.m.vendor, self.m.object
                            ),
                        ));
                    }
                }
                Kind::VendorConstant(constant) => {
                    if let Some(p) = &vp {
                        // A payload that had no such value gets none; one
                        // that had a null keeps it (in the residue).
                        let at = cat(v_at, p);
                        if !self.absent.contains(&at) && pointer::get(&self.residue, &at).is_none()
                        {
                            pointer::set(out, p, constant.clone());
                        }
                    }
                }
                Kind::Copy { transform, default } => {
                    let Some(y) = value else { continue };
                    self.covered.push(c_abs.to_string());
                    let Some(p) = vp else { continue };
                    if default.as_ref() == Some(y) && self.defaulted.contains(c_abs) {
                        continue;
                    }
                    if let Some(array) = self.missing_item(rules, out, v_at, &p) {
                        self.no_item(c_abs, &array);
                        continue;
                    }
                    let at = cat(v_at, &p);
                    let generated = match transform {
                        Some(t) => t.reverse(y).map_err(|e| self.m.input_error(c_abs, e))?,
                        None => y.clone(),
                    };
                    let chosen = match self.original(&at) {
                        Some(orig)
                            if transform
                                .as_ref()
                                .map_or(Some(orig.clone()), |t| t.forward(&orig).ok())
                                .is_some_and(|read| same_value(&read, y)) =>
                        {
                            orig
                        }
                        _ => generated,
                    };
                    pointer::set(out, &p, chosen);
                }
                Kind::Enum { table, fallback, reverse_fallback } => {
                    let Some(y) = value else { continue };
                    self.covered.push(c_abs.to_string());
                    let Some(p) = vp else { continue };
                    self.enum_back(
                        (rules, rule),
                        (table, fallback.as_deref(), reverse_fallback.as_deref()),
                        y,
                        &p,
                        (c_abs, v_at),
                        out,
                    );
                }
                Kind::Money(spec) => {
                    let Some(y) = value else { continue };
                    self.covered.push(c_abs.to_string());
                    let Some(p) = vp else { continue };
                    self.money_back(rules, spec, y, &p, (c_abs, v_at), out)?;
                }
                Kind::Reference(object_type) => {
                    let Some(y) = value else { continue };
                    self.covered.push(c_abs.to_string());
                    let Some(p) = vp else { continue };
                    self.reference_back((rules, rule), object_type, y, &p, (c_abs, v_at), out);
                }
                Kind::ExternalRef(object_type) => {
                    let Some(Value::Array(refs)) = value else { continue };
                    let Some(p) = vp else { continue };
                    let found = refs.iter().enumerate().find(|(_, r)| {
                        r.get("system").and_then(Value::as_str) == Some(self.m.vendor.as_str())
                            && r.get("object_type").and_then(Value::as_str) == Some(object_type)
                    });
                    if let Some((i, r)) = found
                        && let Some(id) = r.get("id")
                    {
                        self.covered.push(join(c_abs, i));
                        // An expanded object kept in extensions comes back
                        // while it still has this id.
                        let chosen = match self.original(&cat(v_at, &p)) {
                            Some(orig) if orig.is_object() && orig.get("id") == Some(id) => orig,
                            _ => id.clone(),
                        };
                        pointer::set(out, &p, chosen);
                    }
                }
                Kind::Each(inner) => {
                    let Some(p) = vp else { continue };
                    let at = cat(v_at, &p);
                    match value {
                        Some(Value::Array(items)) => {
                            self.align(&at, c_abs, items);
                            if items.is_empty() {
                                // An empty list is carried as one.
                                self.covered.push(c_abs.to_string());
                            }
                            let mut produced = Vec::with_capacity(items.len());
                            for (i, item) in items.iter().enumerate() {
                                let mut element = Value::Object(Map::new());
                                self.run(
                                    inner,
                                    item,
                                    &join(c_abs, i),
                                    &mut element,
                                    &join(&at, i),
                                )?;
                                produced.push(element);
                            }
                            pointer::set(out, &p, Value::Array(produced));
                        }
                        Some(other) => {
                            return Err(self.m.input_error(
                                c_abs,
                                format!("expected an array, but found {other}"),
                            ));
                        }
                        // The record has no items (any more): none of the
                        // values kept for them comes back.
                        None => self.align(&at, c_abs, &[]),
                    }
                }
                Kind::Collect(pointers) => {
                    let Some(Value::Array(items)) = value else { continue };
                    self.covered.push(c_abs.to_string());
                    // The places the items were read from, while the record
                    // still holds as many; otherwise the first places in order.
                    let noted: Vec<&String> = match self.collected.get(c_abs) {
                        Some(Value::Array(places)) if places.len() == items.len() => places
                            .iter()
                            .filter_map(Value::as_str)
                            .filter_map(|q| pointers.iter().find(|p| *p == q))
                            .collect(),
                        _ => Vec::new(),
                    };
                    let places: Vec<&String> =
                        if noted.len() == items.len() { noted } else { pointers.iter().collect() };
                    for (i, item) in items.iter().enumerate() {
                        match places.get(i).copied() {
                            Some(p) => {
                                let _ = self.original(&cat(v_at, p));
                                pointer::set(out, p, item.clone());
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
        }
        Ok(())
    }
}

/// True when the value read from the vendor is the canonical one: equal
/// JSON, or two numbers of the same value (`-0` and `0`, `1.50` and `1.5`:
/// the typed record writes a number its own way, and the vendor's text
/// comes back).
fn same_value(read: &Value, canonical: &Value) -> bool {
    match (read, canonical) {
        (Value::Number(a), Value::Number(b)) => {
            a == b
                || matches!(
                    (parse_json_number(a.as_str()), parse_json_number(b.as_str())),
                    (Ok(x), Ok(y)) if x == y
                )
        }
        _ => read == canonical,
    }
}
