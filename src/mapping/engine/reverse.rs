//! The way back: canonical JSON through the rules into a vendor payload.

use super::*;

/// State of one canonical → vendor run.
pub(super) struct Reverse<'a> {
    pub(super) m: &'a DeclarativeMapper,
    /// The whole canonical record (a `tax_included` flag may be at its root).
    pub(super) c_root: &'a Value,
    /// The `cases` notes: vendor array pointer → canonical item per item.
    pub(super) cases: Map,
    /// Root-level values to write when no rule of the root writes them (a
    /// `^` currency).
    /// With true, also over a value kept in the residue (a `^` vendor
    /// pointer of an item's rule).
    pub(super) root_writes: Vec<(Path, Value, bool)>,
    pub(super) residue: Value,
    pub(super) alternatives: Map,
    pub(super) defaulted: HashSet<String>,
    pub(super) collected: Map,
    pub(super) absent: HashSet<String>,
    pub(super) items: Map,
    pub(super) covered: Consumed,
    pub(super) losses: Vec<Loss>,
}

impl Reverse<'_> {
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
        let noted = self.items.remove(c_abs).and_then(|v| v.into_array().ok()).unwrap_or_default();
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
        let Some(old) = pointer::take(&mut self.residue, at).and_then(|v| v.into_array().ok())
        else {
            return;
        };
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

    /// The vendor array (a pointer) that writing at `p` (below the
    /// element's vendor place) would add an item to, when an `each` rule
    /// among `rules` makes that array's items and neither what they wrote
    /// (`out`) nor the kept values have that item: a value kept on an item
    /// (a subscription's billing interval on its first item) must not
    /// invent one.
    pub(super) fn missing_item(
        &self,
        rules: &[Rule],
        out: &Value,
        el: Back<'_>,
        p: &Path,
    ) -> Option<String> {
        // Only a pointer through an array index can add an item.
        if !p.tokens().iter().any(|t| t.index.is_some())
            || !rules.iter().any(|r| matches!(r.kind, Kind::Each(_)))
        {
            return None;
        }
        let mut written = Some(out);
        let mut kept = self.kept_element(el);
        let mut prefix = String::new();
        for token in p.tokens() {
            if let Some(i) = token.index {
                let has = |x: Option<&Value>| {
                    x.and_then(Value::as_array).is_some_and(|items| i < items.len())
                };
                let made_by_each = rules.iter().any(|r| {
                    matches!(r.kind, Kind::Each(_)) && r.vendor.iter().any(|v| v.as_str() == prefix)
                });
                if made_by_each && !has(written) && !has(kept) {
                    return Some(cat(el.v_at, &prefix));
                }
            }
            written = written.and_then(|x| path::child(x, token));
            kept = kept.and_then(|x| path::child(x, token));
            pointer::push(&mut prefix, &token.name);
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

    /// The vendor pointer a rule writes: the alternative it was read from
    /// (noted on the way in), else its first.
    pub(super) fn vendor_pointer<'r>(&self, rule: &'r Rule, c_abs: &str) -> Option<&'r Path> {
        if rule.vendor.len() < 2 || self.alternatives.is_empty() {
            return rule.vendor.first();
        }
        let recorded: Vec<&str> = match self.alternatives.get(c_abs) {
            Some(Value::Array(list)) => list.iter().filter_map(Value::as_str).collect(),
            Some(one) => one.as_str().into_iter().collect(),
            None => Vec::new(),
        };
        rule.vendor.iter().find(|q| recorded.contains(&q.as_str())).or_else(|| rule.vendor.first())
    }

    /// The residue's vendor element `el` is at, if it has one.
    pub(super) fn kept_element(&self, el: Back<'_>) -> Option<&Value> {
        get_keys(&self.residue, el.v_keys)
    }

    /// The original vendor value kept at `p` of the element. It stays in
    /// the residue: another rule may read the same vendor value (a period's
    /// start read as a line's and as the document's), and what a rule
    /// writes is laid over the residue anyway.
    pub(super) fn original(&self, el: Back<'_>, p: &Path) -> Option<&Value> {
        self.kept_element(el).and_then(|e| path::get(e, p.tokens()))
    }

    /// An enum rule backwards: the vendor code of canonical value `y`.
    fn enum_back(
        &mut self,
        (rules, rule): (&[Rule], &Rule),
        table: &EnumTable,
        (y, p): (&Value, &Path),
        (el, c_abs): (Back<'_>, &str),
        out: &mut Value,
    ) {
        if let Some(array) = self.missing_item(rules, out, el, p) {
            self.no_item(c_abs, &array);
            return;
        }
        let y_str = y.as_str().unwrap_or_default();
        let orig = self.original(el, p);
        // An original outside the table (or not a string at all)
        // came in through the fallback: it still stands while
        // the record holds it.
        let original_maps_here = orig.is_some_and(|o| {
            o.as_str()
                .or_else(|| o.as_bool().map(|b| if b { "true" } else { "false" }))
                .and_then(|o| table.forward(o))
                .map(|(v, _)| v)
                .or(table.fallback.as_deref())
                == Some(y_str)
        });
        let x = match (orig, original_maps_here) {
            (Some(o), true) => o.clone(),
            _ => match table.reverse(y_str) {
                // `true` and `false` keys stand for JSON booleans.
                Some("true") => Value::Bool(true),
                Some("false") => Value::Bool(false),
                Some(k) => Value::from(k),
                None => match &table.reverse_fallback {
                    Some(f) => {
                        self.losses.push(Loss::new(
                            LossKind::Fallback,
                            c_abs,
                            format!(
                                "`{y_str}` has no {} equivalent; written as `{f}`",
                                self.m.vendor
                            ),
                        ));
                        Value::from(f.as_str())
                    }
                    // Another rule writes this vendor field (a label kept
                    // beside a scheme): that one speaks for it.
                    None if rules
                        .iter()
                        .any(|r| !std::ptr::eq(r, rule) && r.vendor.iter().any(|v| v == p)) =>
                    {
                        return;
                    }
                    // Nothing to write: reported, and a value kept from the
                    // payload does not come back in its place.
                    None => {
                        pointer::take(&mut self.residue, &el.at(p));
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
                },
            },
        };
        p.set(out, x);
    }

    /// A reference object backwards: the id from this vendor's external
    /// ref, the name shown from `display`; the object's other members come
    /// back from extensions.
    fn reference_object_back(
        &mut self,
        (object_type, object): (&str, &RefObject),
        (y, p): (&Value, &Path),
        c_abs: &str,
        out: &mut Value,
    ) {
        let (id_p, display) = (&object.id, object.display.as_ref());
        let vendor = self.m.vendor.as_str();
        let refs = y.get("external_refs").and_then(Value::as_array);
        let of_vendor = |r: &&Value| r.get("system").and_then(Value::as_str) == Some(vendor);
        // The rule's type first; with a type member, any type of the vendor.
        let found = refs.and_then(|refs| {
            refs.iter()
                .filter(of_vendor)
                .find(|r| r.get("object_type").and_then(Value::as_str) == Some(object_type))
                .or_else(|| object.type_member.as_ref().and(refs.iter().find(of_vendor)))
        });
        let id = found.and_then(|r| r.get("id")).filter(|id| id.is_string());
        let Some(id) = id else {
            self.losses.push(Loss::new(
                LossKind::Unsupported,
                c_abs,
                format!("the reference has no {} {object_type} id", self.m.vendor),
            ));
            return;
        };
        let mut written = Value::Object(Map::new());
        if let (Some(t), Some(named)) =
            (&object.type_member, found.and_then(|r| r.get("object_type")))
        {
            t.set(&mut written, named.clone());
        }
        id_p.set(&mut written, id.clone());
        if let (Some(d), Some(name)) = (display, y.get("display").filter(|n| n.is_string())) {
            d.set(&mut written, name.clone());
        }
        p.set(out, written);
    }

    /// A reference rule backwards: the vendor id from the external refs.
    fn reference_back(
        &mut self,
        (rules, rule): (&[Rule], &Rule),
        (object_type, transform): (&str, Option<&Arc<dyn Transform>>),
        (y, p): (&Value, &Path),
        (el, c_abs): (Back<'_>, &str),
        out: &mut Value,
    ) {
        let vendor = self.m.vendor.as_str();
        let refs = y.get("external_refs").and_then(Value::as_array);
        let id = refs
            .and_then(|refs| {
                refs.iter().find(|r| {
                    r.get("system").and_then(Value::as_str) == Some(vendor)
                        && r.get("object_type").and_then(Value::as_str) == Some(object_type)
                })
            })
            .and_then(|r| r.get("id"))
            .and_then(Value::as_str);
        let Some(id) = id else {
            // Other reference rules may fill the same reference
            // with other object types: a loss only when none of
            // them finds its id.
            let siblings: Vec<&str> = rules
                .iter()
                .filter(|r| r.canonical == rule.canonical)
                .filter_map(|r| match &r.kind {
                    Kind::Reference { object_type, .. } => Some(object_type.as_str()),
                    _ => None,
                })
                .collect();
            let served = refs.is_some_and(|refs| {
                refs.iter().any(|r| {
                    r.get("system").and_then(Value::as_str) == Some(vendor)
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
        let chosen = match self.original(el, p) {
            Some(orig) if orig.get("id").and_then(Value::as_str) == Some(id) => orig.clone(),
            // An id the vendor wrote in another form, the same id read.
            Some(orig)
                if transform.is_some_and(|t| {
                    t.forward(orig).ok().as_ref().and_then(Value::as_str) == Some(id)
                }) =>
            {
                orig.clone()
            }
            _ => match transform {
                None => Value::from(id),
                Some(t) => match t.reverse(&Value::from(id)) {
                    Ok(v) => v,
                    Err(e) => {
                        self.losses.push(Loss::new(LossKind::Unsupported, c_abs, e));
                        return;
                    }
                },
            },
        };
        p.set(out, chosen);
    }

    /// Runs `rules` backwards over the canonical element `el`, writing the
    /// vendor element `out`.
    pub(super) fn run(
        &mut self,
        rules: &[Rule],
        el: Back<'_>,
        out: &mut Value,
    ) -> Result<(), MappingError> {
        for rule in rules {
            self.rule(rules, rule, el, out)?;
        }
        Ok(())
    }

    /// Marks the canonical value at `c_rel` of `el` as carried.
    pub(super) fn cover(&mut self, el: Back<'_>, c_rel: &Path) {
        self.covered.mark(el.c_keys, c_rel.tokens());
    }

    /// One rule of `rules` backwards.
    fn rule(
        &mut self,
        rules: &[Rule],
        rule: &Rule,
        el: Back<'_>,
        out: &mut Value,
    ) -> Result<(), MappingError> {
        if let Some(guard) = &rule.guard
            && !guard
                .holds(guard.field.get(out).or_else(|| self.original(el, &guard.field)), self.m)
        {
            return Ok(());
        }
        let c_rel = rule.target();
        let c_abs_buf = concat(el.c_at, c_rel.as_str());
        let c_abs: &str = &c_abs_buf;
        let value = c_rel.get(el.c).filter(|x| !x.is_null());
        let vp = self.vendor_pointer(rule, c_abs);
        // A `^` pointer: written at the document root, over what was kept.
        if let Some(p) = vp
            && rule
                .vendor
                .iter()
                .position(|q| std::ptr::eq(q, p))
                .and_then(|i| rule.vendor_root.get(i))
                == Some(&true)
        {
            let root = Back { c: el.c, c_at: el.c_at, c_keys: el.c_keys, v_at: "", v_keys: &[] };
            let mut at_root = Value::Object(Map::new());
            let bare = Rule {
                canonical: rule.canonical.as_ref().map(|c| Path::new(c.as_str())),
                vendor: vec![Path::new(p.as_str())],
                vendor_root: vec![false],
                guard: None,
                kind: match &rule.kind {
                    Kind::Copy { transform, default, .. } => Kind::Copy {
                        transform: transform.clone(),
                        default: default.clone(),
                        omitted: false,
                        lookup: None,
                        table: None,
                    },
                    Kind::Money(m) => Kind::Money(Box::new(MoneyRule {
                        spec: m.spec.clone(),
                        currency: Path::new(m.currency.as_str()),
                        from_root: true,
                        currency_or: Vec::new(),
                        side: None,
                        tax: None,
                        plus: Vec::new(),
                        currency_table: m.currency_table.as_ref().map(|t| Anchored {
                            path: Path::new(t.path.as_str()),
                            from_root: true,
                        }),
                        per: None,
                    })),
                    _ => return Ok(()),
                },
            };
            self.rule(&[], &bare, root, &mut at_root)?;
            // The fields a lookup filled came with the code.
            if let Kind::Copy { lookup: Some(lookup), .. } = &rule.kind {
                for field in lookup.filled() {
                    self.cover(el, field);
                }
            }
            if let Some(v) = p.get(&at_root) {
                let v = v.clone();
                self.root_writes.retain(|(q, _, _)| q.as_str() != p.as_str());
                self.root_writes.push((Path::new(p.as_str()), v, true));
            }
            return Ok(());
        }
        match &rule.kind {
            Kind::CanonicalConstant(constant) => {
                self.cover(el, c_rel);
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
                if let Some(p) = vp {
                    // A payload that had no such value gets none; one
                    // that had a null keeps it (in the residue).
                    if self.original(el, p).is_none()
                        && (self.absent.is_empty() || !self.absent.contains(&el.at(p)))
                    {
                        p.set(out, constant.clone());
                    }
                }
            }
            Kind::Copy { transform, default, omitted, lookup, table } => {
                let value = match value {
                    None if *omitted && !self.defaulted.contains(c_abs) => default.as_ref(),
                    v => v,
                };
                let Some(y) = value else {
                    if let Some(lookup) = lookup
                        && let Some(code) = self.lookup_back(lookup, el, c_abs)
                        && let Some(p) = vp
                    {
                        p.set(out, code);
                    }
                    return Ok(());
                };
                self.cover(el, c_rel);
                if let Some(lookup) = lookup {
                    for field in lookup.filled() {
                        self.cover(el, field);
                    }
                }
                let Some(p) = vp else { return Ok(()) };
                if default.as_ref() == Some(y) && self.defaulted.contains(c_abs) {
                    return Ok(());
                }
                if let Some(array) = self.missing_item(rules, out, el, p) {
                    self.no_item(c_abs, &array);
                    return Ok(());
                }
                match table {
                    None => self.copy_back(transform.as_ref(), (y, p), (el, c_abs), out)?,
                    Some(table) => {
                        if let Some(code) = self.table_code(table, y, c_abs) {
                            self.copy_back(None, (&code, p), (el, c_abs), out)?;
                        }
                    }
                }
            }
            Kind::Enum(table) => {
                if value.is_none() && self.defaulted.contains(c_abs) {
                    return Ok(());
                }
                // A record that leaves the field out holds its default.
                let omitted = table.default.as_ref().filter(|_| table.omitted);
                let Some(y) = value.or(omitted) else { return Ok(()) };
                if table.default.as_ref() == Some(y) && self.defaulted.contains(c_abs) {
                    return Ok(());
                }
                self.cover(el, c_rel);
                let Some(p) = vp else { return Ok(()) };
                self.enum_back((rules, rule), table, (y, p), (el, c_abs), out);
            }
            Kind::Money(money) => {
                let Some(y) = value else { return Ok(()) };
                self.cover(el, c_rel);
                // A total the engine derived where the payload had none is
                // the vendor's to compute again.
                if self.defaulted.contains(c_abs) {
                    return Ok(());
                }
                // Two columns: the side's column is chosen on the way.
                let p = match (vp, &money.side) {
                    (Some(p), _) => p,
                    (None, Some(SideRule { form: SideForm::Columns(columns), .. })) => {
                        match columns.first() {
                            Some((_, p)) => p,
                            None => return Ok(()),
                        }
                    }
                    (None, _) => return Ok(()),
                };
                self.money_back(rules, money, (y, p), (el, c_abs), out)?;
            }
            Kind::Reference { object_type, object: None, transform, .. } => {
                let Some(y) = value else { return Ok(()) };
                self.cover(el, c_rel);
                let Some(p) = vp else { return Ok(()) };
                self.reference_back(
                    (rules, rule),
                    (object_type, transform.as_ref()),
                    (y, p),
                    (el, c_abs),
                    out,
                );
            }
            Kind::Reference { object_type, object: Some(object), .. } => {
                let Some(y) = value else { return Ok(()) };
                self.cover(el, c_rel);
                let Some(p) = vp else { return Ok(()) };
                if let Some(array) = self.missing_item(rules, out, el, p) {
                    self.no_item(c_abs, &array);
                    return Ok(());
                }
                self.reference_object_back((object_type, object), (y, p), c_abs, out);
            }
            Kind::ExternalRef(object_type) => {
                let Some(Value::Array(refs)) = value else { return Ok(()) };
                let Some(p) = vp else { return Ok(()) };
                self.external_ref_back(object_type, refs, p, (el, c_rel), out);
            }
            Kind::Each(inner) => {
                let Some(p) = vp else { return Ok(()) };
                self.each_back(inner, value, p, (el, c_rel, c_abs), out)?;
            }
            Kind::Members(prefix) => {
                let Some(map) = value.and_then(Value::as_object) else { return Ok(()) };
                for (name, v) in map.iter().filter(|(n, _)| member_named(prefix, n)) {
                    let rel = Path::new(&pointer::join("", name));
                    rel.set(out, v.clone());
                    let c_member = Path::new(&pointer::join(c_rel.as_str(), name));
                    self.cover(el, &c_member);
                }
            }
            Kind::Collect(pointers) => {
                let Some(Value::Array(items)) = value else { return Ok(()) };
                self.cover(el, c_rel);
                self.collect_back(pointers, items, c_abs, out);
            }
            Kind::Cases { by, cases } => {
                let Some(p) = vp else { return Ok(()) };
                self.cases_back((by, cases), p, el, out)?;
            }
            Kind::Object { rules: inner, .. } => {
                let Some(y) = value else { return Ok(()) };
                let Some(p) = vp else { return Ok(()) };
                let mut c_keys = el.c_keys.to_vec();
                c_keys.extend(c_rel.tokens().iter().map(Key::from));
                let mut v_keys = el.v_keys.to_vec();
                v_keys.extend(p.tokens().iter().map(Key::from));
                let v_at = el.at(p);
                let inner_el =
                    Back { c: y, c_at: c_abs, c_keys: &c_keys, v_at: &v_at, v_keys: &v_keys };
                let mut element = Value::Object(Map::new());
                self.run(inner, inner_el, &mut element)?;
                if element.as_object().is_some_and(|o| !o.is_empty()) {
                    // Another rule may have written into the same vendor
                    // object (a reference inside it): both stay.
                    match path::get_mut(out, p.tokens()) {
                        Some(existing @ Value::Object(_)) => pointer::overlay(existing, element),
                        _ => {
                            p.set(out, element);
                        }
                    }
                }
            }
            Kind::Flags { flags, default } => {
                let on: &[Value] = match value {
                    Some(Value::Array(on)) => {
                        self.cover(el, c_rel);
                        on
                    }
                    Some(_) => return Ok(()),
                    None => match default {
                        Some(Value::Array(d)) => d,
                        _ => return Ok(()),
                    },
                };
                let is_on = |v: &str| on.iter().any(|o| o.as_str() == Some(v));
                // Flags kept as they came (none was true, the record at its
                // default) stay as they are.
                let kept = flags.iter().any(|(_, p)| self.original(el, p).is_some());
                if kept && value.is_none() {
                    return Ok(());
                }
                for (v, p) in flags {
                    p.set(out, Value::Bool(is_on(v)));
                }
            }
            Kind::Presence { .. } => {
                // The vendor field is another rule's to write; the value
                // the record holds comes back or is reported as it reads.
                if value.is_some() {
                    self.cover(el, c_rel);
                }
            }
            Kind::Fields { name, value: value_ps } => {
                let Some(p) = vp else { return Ok(()) };
                self.fields_back((name, value_ps), value, p, (el, c_rel, c_abs), out)?;
            }
        }
        Ok(())
    }

    /// A copy rule backwards: the canonical value `y` through the
    /// transform, or the original while it still reads as `y`.
    /// The code of `y` in the tenant table `table` (read from the
    /// residue, where the Crosswalk laid it), or a loss saying it has none.
    fn table_code(&mut self, table: &Anchored, y: &Value, c_abs: &str) -> Option<Value> {
        let found = table
            .path
            .get(&self.residue)
            .and_then(Value::as_object)
            .and_then(|t| t.iter().find(|(_, v)| same_value(v, y)))
            .map(|(code, _)| Value::from(code.as_str()));
        if found.is_none() {
            let whose = if table.path.get(&self.residue).is_some() {
                "has no code for"
            } else {
                "is not there to give a code for"
            };
            self.losses.push(Loss::new(
                LossKind::Unsupported,
                c_abs,
                format!(
                    "{} {} names it by code, and the tenant's table at ^{} {whose} {y}: put the tenant's table there with Crosswalk::set_tenant_value",
                    self.m.vendor,
                    self.m.object,
                    table.path.as_str()
                ),
            ));
        }
        found
    }

    fn copy_back(
        &mut self,
        transform: Option<&Arc<dyn Transform>>,
        (y, p): (&Value, &Path),
        (el, c_abs): (Back<'_>, &str),
        out: &mut Value,
    ) -> Result<(), MappingError> {
        // A value the transform cannot write back is an error even where
        // the original would be written.
        let generated = match transform {
            Some(t) => Some(t.reverse(y).map_err(|e| self.m.input_error(c_abs, e))?),
            None => None,
        };
        let original = self.original(el, p).filter(|orig| match transform {
            None => same_value(orig, y),
            // A decimal read as the record holds it, by value (`0.0` and a
            // tenant table's `0`): the vendor's form is kept.
            Some(t) => t.forward(orig).is_ok_and(|read| same_value(&read, y) || same(&read, y)),
        });
        let chosen = match (original, generated) {
            (Some(orig), _) => orig.clone(),
            (None, Some(generated)) => generated,
            (None, None) => y.clone(),
        };
        p.set(out, chosen);
        Ok(())
    }

    /// An external-ref rule backwards: the id of this vendor's external ref
    /// of `object_type`.
    fn external_ref_back(
        &mut self,
        object_type: &str,
        refs: &[Value],
        p: &Path,
        (el, c_rel): (Back<'_>, &Path),
        out: &mut Value,
    ) {
        let vendor = self.m.vendor.as_str();
        let found = refs.iter().enumerate().find(|(_, r)| {
            r.get("system").and_then(Value::as_str) == Some(vendor)
                && r.get("object_type").and_then(Value::as_str) == Some(object_type)
        });
        if let Some((i, r)) = found
            && let Some(id) = r.get("id")
        {
            let mut keys = el.c_keys.to_vec();
            keys.extend(c_rel.tokens().iter().map(Key::from));
            keys.push(Key::Index(i));
            self.covered.mark(&keys, &[]);
            // An expanded object kept in extensions comes back while it
            // still has this id.
            let chosen = match self.original(el, p) {
                Some(orig) if orig.is_object() && orig.get("id") == Some(id) => orig.clone(),
                _ => id.clone(),
            };
            p.set(out, chosen);
        }
    }
}

/// The canonical element a list of rules reads on the way back (the
/// record, or an item of an `each` array) and the vendor element it writes.
#[derive(Clone, Copy)]
pub(super) struct Back<'e> {
    /// The canonical element.
    pub(super) c: &'e Value,
    /// Its pointer in the record.
    pub(super) c_at: &'e str,
    /// Its steps from the record's root, for what is covered.
    pub(super) c_keys: &'e [Key],
    /// The pointer of the vendor element in the payload.
    pub(super) v_at: &'e str,
    /// Its steps from the payload's root, for the residue.
    pub(super) v_keys: &'e [Key],
}

impl Back<'_> {
    /// The payload pointer of the vendor value at `p` of this element.
    pub(super) fn at(&self, p: &Path) -> String {
        cat(self.v_at, p.as_str())
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
