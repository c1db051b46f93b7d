//! The way in: a vendor payload through the rules into canonical JSON.

use super::*;

/// State of one vendor → canonical run.
pub(super) struct Forward<'a> {
    pub(super) m: &'a DeclarativeMapper,
    pub(super) root: &'a Value,
    /// False for a check-only run: no residue is built, so nothing
    /// consumed needs recording.
    pub(super) keep: bool,
    pub(super) consumed: Consumed,
    pub(super) alternatives: Map,
    pub(super) defaulted: Vec<Value>,
    pub(super) collected: Map,
    pub(super) absent: Vec<Value>,
    pub(super) items: Map,
    pub(super) cases: Map,
    pub(super) losses: Vec<Loss>,
}

/// More reserved keys of `extensions.<vendor>` (beside [`ALTERNATIVES`] and
/// [`DEFAULTED`]): the vendor places a `collect` rule read its items from,
/// when they were not the first ones in order; the vendor constants the
/// payload did not have; the ids of the items an `each` rule made, which
/// tell the way back which kept values belong to which item.
pub(super) const COLLECTED: &str = "$collected";
pub(super) const ABSENT: &str = "$absent";
pub(super) const ITEMS: &str = "$items";
/// The note of a `cases` rule: for each item of the vendor array (by its
/// pointer), the canonical item it became, or null for an item kept.
pub(super) const CASES: &str = "$cases";

/// The vendor element a list of rules reads (the payload, or an item of
/// an `each` array) and the canonical element it writes.
#[derive(Clone, Copy)]
pub(super) struct Element<'e> {
    /// The vendor element.
    pub(super) v: &'e Value,
    /// Its pointer in the payload, for messages and notes.
    pub(super) at: &'e str,
    /// Its steps from the payload's root, for the consumed tree.
    pub(super) keys: &'e [Key],
    /// The pointer of the canonical element.
    pub(super) c_at: &'e str,
}

impl Element<'_> {
    /// The payload pointer of the value at `p` in this element.
    pub(super) fn at(&self, p: &Path) -> String {
        cat(self.at, p.as_str())
    }

    /// The canonical pointer of the place `c_rel` in this element.
    pub(super) fn c_abs<'p>(&self, c_rel: &'p Path) -> std::borrow::Cow<'p, str> {
        concat(self.c_at, c_rel.as_str())
    }
}

/// The vendor value a rule read: which alternative, its pointer, the value.
type Found<'r, 'v> = Option<(usize, &'r Path, &'v Value)>;

impl Forward<'_> {
    /// Records that the vendor value `rel` leads to from `base` is carried
    /// by the canonical record (so it is not kept in the residue).
    pub(super) fn consume(&mut self, base: &[Key], rel: &Path) {
        if self.keep {
            self.consumed.mark(base, rel.tokens());
        }
    }

    /// An enum rule forwards: vendor code `x` at `p` through the table.
    fn enum_in(
        &mut self,
        table: &EnumTable,
        (p, x): (&Path, &Value),
        (el, c_rel): (Element<'_>, &Path),
        c: &mut Value,
    ) -> Result<(), MappingError> {
        let key = match (x.as_str().or_else(|| x.as_bool().map(bool_key)), &table.fallback) {
            (Some(key), _) => key,
            // Not a string, so in no table: the fallback
            // applies as to any other value the table lacks.
            (None, Some(f)) => {
                self.losses.push(Loss::new(
                    LossKind::Fallback,
                    el.at(p),
                    format!("{x} is not in the table; mapped to `{f}`"),
                ));
                let placed = c_rel.set(c, Value::from(f.as_str()));
                self.placed(placed, el, p, c_rel);
                return Ok(());
            }
            (None, None) => {
                return Err(self.m.input_error(
                    el.at(p),
                    format!("expected a string, but found {}", crate::voice::found_json(x)),
                ));
            }
        };
        let y = match table.forward(key) {
            Some((y, written_back)) => {
                // Several vendor values may share a canonical
                // value; only the one the way back writes is
                // consumed, the others stay in extensions.
                if written_back {
                    self.consume(el.keys, p);
                }
                y
            }
            None => match &table.fallback {
                Some(f) => {
                    self.losses.push(Loss::new(
                        LossKind::Fallback,
                        el.at(p),
                        format!("`{key}` is not in the table; mapped to `{f}`"),
                    ));
                    f.as_str()
                }
                None => {
                    let known: Vec<&str> = table.entries.iter().map(|(k, _)| k.as_str()).collect();
                    return Err(self.m.input_error(
                        el.at(p),
                        format!("expected one of {}, but found `{key}`", known.join(", ")),
                    ));
                }
            },
        };
        let placed = c_rel.set(c, Value::from(y));
        self.placed(placed, el, p, c_rel);
        Ok(())
    }

    /// Runs `rules` over the vendor element `el`, writing into `c`.
    pub(super) fn run(
        &mut self,
        rules: &[Rule],
        el: Element<'_>,
        c: &mut Value,
    ) -> Result<(), MappingError> {
        for rule in rules {
            self.rule(rule, el, c)?;
        }
        Ok(())
    }

    /// One rule over the vendor element `el`.
    fn rule(&mut self, rule: &Rule, el: Element<'_>, c: &mut Value) -> Result<(), MappingError> {
        if let Some(guard) = &rule.guard
            && !guard.holds(guard.field.get(el.v), self.m)
        {
            return Ok(());
        }
        let c_rel = rule.target();
        // The first vendor alternative present (a null counts as absent).
        let root_el = Element { v: self.root, at: "", keys: &[], c_at: el.c_at };
        let found: Found<'_, '_> = rule.vendor.iter().enumerate().find_map(|(i, p)| {
            let from = if rule.vendor_root.get(i) == Some(&true) { self.root } else { el.v };
            p.get(from).filter(|x| !self.m.is_absent_at(p, x)).map(|x| (i, p, x))
        });
        // A `^` pointer reads (and consumes) at the document root.
        let el = match found {
            Some((i, _, _)) if rule.vendor_root.get(i) == Some(&true) => root_el,
            _ => el,
        };
        if let Some((i, p, _)) = found
            && i > 0
        {
            self.note_alternative(&el.c_abs(c_rel), p);
        }
        match &rule.kind {
            Kind::CanonicalConstant(value) => {
                c_rel.set(c, value.clone());
            }
            Kind::VendorConstant(value) => self.vendor_constant(rule, value, el)?,
            Kind::Copy { transform, default, lookup, table, .. } => match found {
                Some((_, p, x)) => {
                    match table {
                        None => self.copy(transform.as_ref(), (p, x), (el, c_rel), c)?,
                        Some(table) => {
                            let value = self.table_value(table, (p, x), el)?;
                            self.copy(None, (p, &value), (el, c_rel), c)?;
                        }
                    }
                    if let Some(lookup) = lookup {
                        self.lookup(lookup, (p, x), el, c);
                    }
                }
                None => {
                    if let Some(d) = default {
                        c_rel.set(c, d.clone());
                        self.defaulted.push(Value::from(el.c_abs(c_rel)));
                    }
                }
            },
            Kind::Enum(table) => match found {
                Some((_, p, x)) => self.enum_in(table, (p, x), (el, c_rel), c)?,
                None => {
                    if let Some(d) = &table.default {
                        c_rel.set(c, d.clone());
                        self.defaulted.push(Value::from(el.c_abs(c_rel)));
                    }
                }
            },
            Kind::Money(money) => {
                let found = match (&money.side, found) {
                    (Some(SideRule { form: SideForm::Columns(columns), .. }), _) => {
                        self.column(columns, el)?
                    }
                    (_, Some((_, p, x))) => Some((p, x, None)),
                    (_, None) => None,
                };
                if let Some((p, x, column_side)) = found {
                    let (value, sign_side) = self.money(money, p, x, el)?;
                    let placed = c_rel.set(c, value);
                    self.placed(placed, el, p, c_rel);
                    if let (Some(side), Some(value)) = (&money.side, column_side.or(sign_side)) {
                        side.canonical.set(c, Value::from(value));
                    }
                }
            }
            Kind::Reference { object_type, list, object: None, transform } => {
                if let Some((_, p, x)) = found {
                    let id = self.reference_id(el, p, x, "an id or an object with an `id`")?;
                    let id = match transform {
                        None => std::borrow::Cow::Borrowed(id),
                        Some(t) => {
                            let y = t
                                .forward(&Value::from(id))
                                .map_err(|e| self.m.input_error(el.at(p), e))?;
                            let y = y.as_str().map(str::to_owned).ok_or_else(|| {
                                self.m.input_error(el.at(p), "expected the transform to give an id")
                            })?;
                            // An id read in another form: its text stays
                            // in extensions and comes back.
                            if y != id {
                                self.consumed.unmark(&el.at(p));
                            }
                            std::borrow::Cow::Owned(y)
                        }
                    };
                    // Several reference rules may fill one reference
                    // (a refund of a charge and of its payment intent).
                    let placed = self.push_external_ref(c, list, object_type, &id);
                    self.placed(placed, el, p, c_rel);
                }
            }
            Kind::Reference { object_type, list, object: Some(object), .. } => {
                if let Some((_, p, x)) = found {
                    self.reference_object((object_type, list, object), (p, x), (el, c_rel), c)?;
                }
            }
            Kind::ExternalRef(object_type) => {
                if let Some((_, p, x)) = found {
                    let id = self.reference_id(el, p, x, "an id string")?;
                    let placed = self.push_external_ref(c, c_rel, object_type, id);
                    self.placed(placed, el, p, c_rel);
                }
            }
            Kind::Each(inner) => {
                if let Some((_, p, x)) = found {
                    self.each(inner, (p, x), (el, c_rel), c)?;
                }
            }
            Kind::Collect(pointers) => self.collect(pointers, (el, c_rel), c),
            Kind::Members(prefix) => {
                let Some(members) = el.v.as_object() else { return Ok(()) };
                for (name, value) in members.iter().filter(|(n, _)| member_named(prefix, n)) {
                    let p = Path::new(&pointer::join("", name));
                    let placed =
                        Path::new(&pointer::join(c_rel.as_str(), name)).set(c, value.clone());
                    if placed {
                        self.consume(el.keys, &p);
                    } else {
                        self.unplaced(&el.at(&p), &el.c_abs(c_rel));
                    }
                }
            }
            Kind::Cases { by, cases } => {
                if let Some((_, p, x)) = found {
                    self.cases(by, cases, (p, x), el, c)?;
                }
            }
            Kind::Fields { name, value } => {
                if let Some((_, p, x)) = found {
                    self.fields((name, value), (p, x), (el, c_rel), c)?;
                }
            }
            Kind::Object { rules, needs } => {
                if let Some((_, p, x)) = found {
                    self.object(rules, needs, (p, x), (el, c_rel), c)?;
                }
            }
            Kind::Flags { flags, .. } => {
                let on: Vec<Value> = flags
                    .iter()
                    .filter(|(_, p)| p.get(el.v) == Some(&Value::Bool(true)))
                    .map(|(v, _)| Value::from(v.as_str()))
                    .collect();
                if !on.is_empty() && c_rel.set(c, Value::Array(on)) {
                    for (_, p) in flags {
                        if p.get(el.v).is_some_and(Value::is_boolean) {
                            self.consume(el.keys, p);
                        }
                    }
                }
            }
            Kind::Presence { present, absent } => match found {
                Some(_) => {
                    c_rel.set(c, present.clone());
                }
                None => {
                    if let Some(a) = absent {
                        c_rel.set(c, a.clone());
                    }
                }
            },
        }
        Ok(())
    }

    /// Notes that the rule writing `c_abs` read its vendor alternative `p`
    /// (not the first). Several rules may fill one canonical place (an
    /// item's product and price refs): each keeps its own pointer.
    pub(super) fn note_alternative(&mut self, c_abs: &str, p: &Path) {
        let chosen = Value::from(p.as_str());
        match self.alternatives.get_mut(c_abs) {
            Some(Value::Array(list)) => list.push(chosen),
            Some(one) => *one = Value::Array(vec![one.clone(), chosen]),
            None => {
                self.alternatives.insert(c_abs, chosen);
            }
        }
    }

    /// A vendor constant identifies the object (`"object": "customer"`):
    /// another value means the wrong payload.
    fn vendor_constant(
        &mut self,
        rule: &Rule,
        value: &Value,
        el: Element<'_>,
    ) -> Result<(), MappingError> {
        let Some(p) = rule.vendor.first() else { return Ok(()) };
        match p.get(el.v) {
            Some(x) if x == value => self.consume(el.keys, p),
            Some(x) if !x.is_null() => {
                return Err(self.m.input_error(
                    el.at(p),
                    format!("expected {value}, but found {}", crate::voice::found_code(x)),
                ));
            }
            // A null stays in the residue and comes back from there.
            Some(_) => {}
            None => self.absent.push(Value::from(el.at(p))),
        }
        Ok(())
    }

    /// A copy rule (with its transform, if any) of the vendor value `x`.
    /// The value of the code `x` (read at `p` of `el`) in the tenant table
    /// `table`: a string code, or a number's text.
    fn table_value(
        &self,
        table: &Anchored,
        (p, x): (&Path, &Value),
        el: Element<'_>,
    ) -> Result<Value, MappingError> {
        let code = match x {
            Value::String(s) => s.as_str(),
            Value::Number(n) => n.as_str(),
            other => {
                return Err(self.m.input_error(
                    el.at(p),
                    format!("expected a code, but found {}", crate::voice::found_json(other)),
                ));
            }
        };
        let entry = table.get(self.root, el.v);
        match entry.and_then(|t| t.get(code)).filter(|v| !v.is_null()) {
            Some(v) => Ok(v.clone()),
            None => Err(self.m.input_error(
                el.at(p),
                format!(
                    "code `{code}` {} tenant table at ^{}: put the tenant's table there with Crosswalk::set_tenant_value",
                    if entry.is_some() { "is not in the" } else { "cannot be read: no" },
                    table.path.as_str()
                ),
            )),
        }
    }

    fn copy(
        &mut self,
        transform: Option<&Arc<dyn Transform>>,
        (p, x): (&Path, &Value),
        (el, c_rel): (Element<'_>, &Path),
        c: &mut Value,
    ) -> Result<(), MappingError> {
        let y = match transform {
            Some(t) => t.forward(x).map_err(|e| self.m.input_error(el.at(p), e))?,
            None => x.clone(),
        };
        let back = match transform {
            Some(t) => t.reverse(&y).ok(),
            // The typed record writes an integer its own way
            // (`-0` as `0`): the vendor's text is kept then.
            None => integer_as_written(&y),
        };
        match back {
            // Most values come back as they are: nothing to compare.
            None if transform.is_none() => self.consume(el.keys, p),
            back => self.keep_or_consume((el, p), x, &y, back.as_ref()),
        }
        let placed = c_rel.set(c, y);
        self.placed(placed, el, p, c_rel);
        Ok(())
    }

    /// An `each` rule: every item of the vendor array `x` through the
    /// inner rules, into an array at `c_rel`.
    fn each(
        &mut self,
        inner: &[Rule],
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
        let c_abs = el.c_abs(c_rel);
        let mut keys =
            Vec::with_capacity(el.keys.len().saturating_add(p.tokens().len()).saturating_add(1));
        keys.extend_from_slice(el.keys);
        keys.extend(p.tokens().iter().map(Key::from));
        let mut out = Vec::with_capacity(items.len());
        for (i, item) in items.iter().enumerate() {
            // The inner rules read members: an item with
            // none (null, a scalar, an array) would become
            // an empty record and not come back.
            if !item.is_object() {
                return Err(self.m.input_error(
                    join(&at, i),
                    format!("expected an object, but found {}", crate::voice::found_json(item)),
                ));
            }
            keys.push(Key::Index(i));
            let (item_at, item_c_at) = (join(&at, i), join(&c_abs, i));
            let mut element = Value::Object(Map::new());
            let inner_el = Element { v: item, at: &item_at, keys: &keys, c_at: &item_c_at };
            self.run(inner, inner_el, &mut element)?;
            keys.pop();
            out.push(element);
        }
        let ids: Vec<Value> = out.iter().map(item_id).collect();
        if !c_rel.set(c, Value::Array(out)) {
            self.unplaced(&at, &c_abs);
        } else if self.keep && ids.iter().any(|id| !id.is_null()) {
            self.items.insert(c_abs.as_ref(), Value::Array(ids));
        }
        Ok(())
    }

    /// A `collect` rule: the vendor values at `pointers` that are present
    /// and not null, in order, into an array at `c_rel`.
    fn collect(&mut self, pointers: &[Path], (el, c_rel): (Element<'_>, &Path), c: &mut Value) {
        let mut items = Vec::new();
        let mut read = Vec::new();
        for p in pointers {
            if let Some(x) = p.get(el.v).filter(|x| !self.m.is_absent(x)) {
                self.consume(el.keys, p);
                items.push(x.clone());
                read.push(p);
            }
        }
        if items.is_empty() {
            return;
        }
        if !c_rel.set(c, Value::Array(items)) {
            let c_abs = el.c_abs(c_rel);
            for p in read {
                self.unplaced(&el.at(p), &c_abs);
            }
            return;
        }
        // The way back writes item i to the i-th place unless
        // told otherwise: an item read from a later place (an
        // earlier one absent or null) is noted.
        if read.iter().zip(pointers).any(|(r, p)| *r != p) {
            let places = read.into_iter().map(|p| Value::from(p.as_str())).collect();
            self.collected.insert(el.c_abs(c_rel).as_ref(), Value::Array(places));
        }
    }

    /// The id a reference read at `p` names: an id string (consumed), or an
    /// expanded object with an `id` (kept whole in the residue and
    /// reported). Anything else is an error that says `expected`.
    pub(super) fn reference_id<'x>(
        &mut self,
        el: Element<'_>,
        p: &Path,
        x: &'x Value,
        expected: &str,
    ) -> Result<&'x str, MappingError> {
        match x {
            Value::String(id) => {
                self.consume(el.keys, p);
                Ok(id)
            }
            Value::Object(o) => match o.get("id").and_then(Value::as_str) {
                Some(id) => {
                    self.losses.push(Loss::new(
                        LossKind::Lossy,
                        el.at(p),
                        "an expanded object is referenced by its id; the object is kept in extensions",
                    ));
                    Ok(id)
                }
                None => {
                    Err(self.m.input_error(el.at(p), "expected an id or an object with an `id`"))
                }
            },
            other => Err(self.m.input_error(
                el.at(p),
                format!("expected {expected}, but found {}", crate::voice::found_json(other)),
            )),
        }
    }

    /// Appends the external ref (this vendor, `object_type`, `id`) to the
    /// list at `list` of `c`, creating the list; false when it has no place.
    pub(super) fn push_external_ref(
        &self,
        c: &mut Value,
        list: &Path,
        object_type: &str,
        id: &str,
    ) -> bool {
        let entry = json!({"system": self.m.vendor, "object_type": object_type, "id": id});
        match path::get_mut(c, list.tokens()) {
            Some(Value::Array(refs)) => {
                refs.push(entry);
                true
            }
            _ => list.set(c, Value::Array(vec![entry])),
        }
    }

    /// After writing the value read at `p` to the canonical `c_rel`: when
    /// it could not be written there (an array index out of reach, a scalar
    /// in the way), the vendor value stays in extensions and is reported.
    pub(super) fn placed(&mut self, placed: bool, el: Element<'_>, p: &Path, c_rel: &Path) {
        if !placed {
            self.unplaced(&el.at(p), &el.c_abs(c_rel));
        }
    }

    /// A whole vendor value (an array an `each` rule mapped, an item a
    /// `collect` rule read) at `at` that has no place at `c_abs`: nothing
    /// below `at` counts as consumed, and the loss is reported.
    pub(super) fn unplaced(&mut self, at: &str, c_abs: &str) {
        self.consumed.unmark(at);
        self.losses.push(Loss::new(
            LossKind::Lossy,
            at,
            format!("the value has no place at {c_abs} in this record (kept in extensions)"),
        ));
    }

    /// Consumes the vendor value at `p` of `el` when the way back gives it
    /// again; otherwise keeps it for the residue and reports the loss,
    /// saying what it was read as and what would have come back.
    pub(super) fn keep_or_consume(
        &mut self,
        (el, p): (Element<'_>, &Path),
        original: &Value,
        read_as: &Value,
        back: Option<&Value>,
    ) {
        if back == Some(original) {
            self.consume(el.keys, p);
        } else {
            let reason = match back {
                Some(back) => format!(
                    "{original} is read as {read_as}, which goes back as {back}: the original is kept in extensions"
                ),
                None => format!(
                    "{original} is read as {read_as}, which cannot be written back: the original is kept in extensions"
                ),
            };
            self.losses.push(Loss::new(LossKind::Lossy, el.at(p), reason));
        }
    }

    /// The amount and currency at `p` of `el` as canonical money, and the
    /// side its sign says (for a signed `side`). With `tax_included`, and
    /// the document field saying so, the tax is taken off.
    pub(super) fn money(
        &mut self,
        rule: &MoneyRule,
        p: &Path,
        x: &Value,
        el: Element<'_>,
    ) -> Result<(Value, Option<String>), MappingError> {
        let spec = &rule.spec;
        let at = el.at(p);
        let (cur_base, cur_keys, cur_doc): (&str, &[Key], &Value) =
            if rule.from_root { ("", &[], self.root) } else { (el.at, el.keys, el.v) };
        // The currency's place: the first there (an absent value, a blank
        // or the nil GUID, is not), and whether it is `currency` itself.
        fn there<'v>(m: &DeclarativeMapper, v: Option<&'v Value>) -> Option<&'v str> {
            v.filter(|v| !m.is_absent(v)).and_then(Value::as_str)
        }
        let there = |v| there(self.m, v);
        let (cur_path, code, primary) = there(rule.currency.get(cur_doc))
            .map(|c| (&rule.currency, c, true))
            .or_else(|| {
                rule.currency_or
                    .iter()
                    .find_map(|q| there(q.get(self.root, el.v)).map(|c| (&q.path, c, false)))
            })
            .ok_or_else(|| {
                let places: Vec<String> = std::iter::once(cat(cur_base, rule.currency.as_str()))
                    .chain(rule.currency_or.iter().map(|q| {
                        if q.from_root {
                            format!("^{}", q.path.as_str())
                        } else {
                            cat(cur_base, q.path.as_str())
                        }
                    }))
                    .collect();
                self.m.input_error(
                    cat(cur_base, rule.currency.as_str()),
                    if places.len() > 1 {
                        format!("expected a currency code at one of {}", places.join(", "))
                    } else {
                        "expected a currency code".to_owned()
                    },
                )
            })?;
        let cur_at = || cat(cur_base, cur_path.as_str());
        // A vendor currency id, through the tenant's table.
        let code = match &rule.currency_table {
            Some(_) if !primary => code,
            None => code,
            Some(table) => table
                .get(self.root, el.v)
                .and_then(|t| t.get(code))
                .and_then(Value::as_str)
                .ok_or_else(|| {
                    self.m.input_error(
                        cur_at(),
                        format!(
                            "currency `{code}` is not in the tenant's currency table at ^{}: put the vendor's currency ids and their ISO codes there with Crosswalk::set_tenant_value",
                            table.path.as_str()
                        ),
                    )
                })?,
        };
        let currency = Currency::from_code(&code.to_uppercase())
            .map_err(|e| self.m.input_error(cur_at(), e.to_string()))?;
        // A code that parsed is three ASCII letters: its case is one test.
        let usual_case = match spec.currency_case {
            CodeCase::Lower => !code.bytes().any(|b| b.is_ascii_uppercase()),
            CodeCase::Upper => !code.bytes().any(|b| b.is_ascii_lowercase()),
        };
        if usual_case {
            // A code read from one of several places stays where it was.
            if rule.currency_or.is_empty() {
                self.consume(cur_keys, &rule.currency);
            }
        } else {
            let cur_at = cur_at();
            if !self.losses.iter().any(|l| l.path == cur_at) {
                self.losses.push(Loss::new(
                    LossKind::Lossy,
                    &cur_at,
                    format!("currency code `{code}` is not in the vendor's usual case"),
                ));
            }
        }
        let amount = self.m.amount_in(spec, x, currency, &at)?;
        let back = self.m.money_amount_out(spec, amount, currency, &at).ok().map(|(v, _)| v);
        let mut canonical = amount;
        // A unit's share of the tax may not divide exactly: the price as
        // written stays in extensions, and comes back while it reads the same.
        let mut keep_original = false;
        for q in &rule.plus {
            if let Some(more) = q.get(el.v).filter(|v| !v.is_null()) {
                let more = self.m.amount_in(spec, more, currency, &el.at(q))?;
                canonical = canonical.checked_add(more).ok_or_else(|| {
                    self.m.input_error(&at, format!("{canonical} plus {more} is out of range"))
                })?;
            }
        }
        if let Some(tax) = &rule.tax
            && tax
                .when
                .get(self.root, el.v)
                .and_then(|w| w.as_str().or_else(|| w.as_bool().map(bool_key)))
                .is_some_and(|w| tax.values.iter().any(|v| v == w))
        {
            let mut tax_amount = match tax.tax.get(el.v).filter(|t| !t.is_null()) {
                Some(t) => self.m.amount_in(spec, t, currency, &el.at(&tax.tax))?,
                None => Decimal::ZERO,
            };
            if let Some((per, _)) = &tax.per {
                keep_original = !tax_amount.is_zero();
                tax_amount = per_unit(tax_amount, per.get(el.v)).ok_or_else(|| {
                    self.m.input_error(
                        el.at(per),
                        "expected a quantity other than zero, to divide the line's tax by",
                    )
                })?;
            }
            canonical = amount.checked_sub(tax_amount).ok_or_else(|| {
                self.m
                    .input_error(&at, format!("{amount} less the tax {tax_amount} is out of range"))
            })?;
        }
        if let Some((per, _)) = &rule.per {
            keep_original = true;
            canonical = per_unit(canonical, per.get(el.v)).ok_or_else(|| {
                self.m.input_error(
                    el.at(per),
                    "expected a quantity other than zero, to divide the amount by",
                )
            })?;
        }
        if spec.negate {
            canonical = std::ops::Neg::neg(canonical);
        }
        let mut side = None;
        if let Some(SideRule { form: SideForm::Signed { positive, negative }, .. }) = &rule.side {
            side = Some(if canonical.is_sign_negative() && !canonical.is_zero() {
                canonical.set_sign_positive(true);
                negative.clone()
            } else {
                positive.clone()
            });
        }
        let money = json!({"amount": canonical.to_string(), "currency": currency.code()});
        if !keep_original {
            self.keep_or_consume((el, p), x, &money, back.as_ref());
        }
        Ok((money, side))
    }

    /// A two-column amount: the column of `columns` that holds it (the one
    /// not zero; the first present when all are zero), its value and its
    /// side. Two columns with amounts are an error.
    fn column<'r, 'v>(
        &mut self,
        columns: &'r [(String, Path)],
        el: Element<'v>,
    ) -> Result<Option<Column<'r, 'v>>, MappingError> {
        let mut chosen: Option<(&'r Path, &'v Value, &'r str)> = None;
        let mut chosen_is_zero = true;
        for (side, p) in columns {
            let Some(x) = p.get(el.v).filter(|x| !x.is_null()) else { continue };
            let zero = is_zero_amount(x);
            match chosen {
                None => {
                    chosen = Some((p, x, side));
                    chosen_is_zero = zero;
                }
                Some((q, _, _)) if !zero => {
                    if !chosen_is_zero {
                        return Err(self.m.input_error(
                            el.at(p),
                            format!(
                                "expected an amount in one column only, but {} and {} both hold one",
                                el.at(q),
                                el.at(p)
                            ),
                        ));
                    }
                    chosen = Some((p, x, side));
                    chosen_is_zero = false;
                }
                Some(_) => {}
            }
        }
        Ok(chosen.map(|(p, x, side)| (p, x, Some(side.to_owned()))))
    }

    /// A reference object (`{"value": "58", "name": "Cool Cars"}`): its id
    /// as an external ref, its name as the reference's `display`; its other
    /// members stay in extensions.
    fn reference_object(
        &mut self,
        (object_type, list, object): (&str, &Path, &RefObject),
        (p, x): (&Path, &Value),
        (el, c_rel): (Element<'_>, &Path),
        c: &mut Value,
    ) -> Result<(), MappingError> {
        let (id_p, display) = (&object.id, object.display.as_ref());
        if !x.is_object() {
            return Err(self.m.input_error(
                el.at(p),
                format!(
                    "expected a reference object with its id at {}, but found {}",
                    id_p.as_str(),
                    crate::voice::found_json(x)
                ),
            ));
        }
        let id = match id_p.get(x) {
            Some(Value::String(id)) if !id.is_empty() => id.as_str(),
            Some(other) => {
                return Err(self.m.input_error(
                    cat(&el.at(p), id_p.as_str()),
                    format!("expected an id string, but found {}", crate::voice::found_json(other)),
                ));
            }
            None => {
                return Err(self.m.input_error(
                    cat(&el.at(p), id_p.as_str()),
                    "expected the reference's id, but it is missing",
                ));
            }
        };
        let mut keys = el.keys.to_vec();
        keys.extend(p.tokens().iter().map(Key::from));
        let named = object.type_member.as_ref().and_then(|t| t.get(x)).and_then(Value::as_str);
        let placed = self.push_external_ref(c, list, named.unwrap_or(object_type), id);
        if placed {
            self.consume(&keys, id_p);
            if let (Some(t), Some(_)) = (&object.type_member, named) {
                self.consume(&keys, t);
            }
        } else {
            self.unplaced(&el.at(p), &el.c_abs(c_rel));
            return Ok(());
        }
        if let Some(d) = display
            && let Some(name) = d.get(x).filter(|n| n.is_string())
        {
            let target = Path::new(&cat(c_rel.as_str(), "/display"));
            if target.set(c, name.clone()) {
                self.consume(&keys, d);
            }
        }
        Ok(())
    }
}

/// An integer number as the typed record writes it (`-0` is `0`) where
/// that is not how the vendor wrote it; `None` for a value that goes back
/// as it is.
/// The tax of one unit: `tax` ÷ the quantity `qty` (a JSON number or a
/// decimal string), to the 20th place; `None` for no quantity or zero.
pub(super) fn per_unit(tax: Decimal, qty: Option<&Value>) -> Option<Decimal> {
    let qty = match qty? {
        Value::Number(n) => parse_json_number(n.as_str()).ok()?,
        Value::String(s) => parse_decimal(s).ok()?,
        _ => return None,
    };
    if tax.is_zero() {
        return Some(Decimal::ZERO);
    }
    Some(tax.checked_div(qty)?.round_dp(20).normalize())
}

fn integer_as_written(v: &Value) -> Option<Value> {
    match v.as_number() {
        Some(n) if n.is_integer_text() => {
            let written = n.as_str().parse::<i128>().ok().map(Value::from)?;
            (written != *v).then_some(written)
        }
        _ => None,
    }
}

/// The column a two-column amount was read from, its value and its side.
type Column<'r, 'v> = (&'r Path, &'v Value, Option<String>);

/// True for an amount that is zero, however written (`0`, `0.00`, `"0"`).
fn is_zero_amount(x: &Value) -> bool {
    match x {
        Value::Number(n) => parse_json_number(n.as_str()).is_ok_and(|d| d.is_zero()),
        Value::String(s) => parse_decimal(s).is_ok_and(|d| d.is_zero()),
        _ => false,
    }
}

/// The `enum` key a JSON boolean matches.
pub(super) fn bool_key(b: bool) -> &'static str {
    if b { "true" } else { "false" }
}
