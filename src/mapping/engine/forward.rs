//! The way in: a vendor payload through the rules into canonical JSON.

use super::*;

/// State of one vendor → canonical run.
pub(super) struct Forward<'a> {
    pub(super) m: &'a DeclarativeMapper,
    pub(super) root: &'a Value,
    /// False for a check-only run: no residue is built, so nothing
    /// consumed needs recording.
    pub(super) keep: bool,
    pub(super) consumed: HashSet<String>,
    pub(super) alternatives: Map,
    pub(super) defaulted: Vec<Value>,
    pub(super) collected: Map,
    pub(super) absent: Vec<Value>,
    pub(super) items: Map,
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

impl Forward<'_> {
    /// Records that the vendor value at `at` is carried by the canonical
    /// record (so it is not kept in the residue).
    pub(super) fn consume(&mut self, at: String) {
        if self.keep {
            self.consumed.insert(at);
        }
    }

    /// An enum rule forwards: vendor code `x` at `p` through the table.
    fn enum_in(
        &mut self,
        (table, fallback): (&[(String, String)], Option<&String>),
        (p, x): (&str, &Value),
        (v_at, c_abs, c_rel): (&str, &str, &str),
        c: &mut Value,
    ) -> Result<(), MappingError> {
        let at = cat(v_at, p);
        let key = match (x.as_str(), fallback) {
            (Some(key), _) => key,
            // Not a string, so in no table: the fallback
            // applies as to any other value the table lacks.
            (None, Some(f)) => {
                self.losses.push(Loss::new(
                    LossKind::Fallback,
                    at,
                    format!("{x} is not in the table; mapped to `{f}`"),
                ));
                let placed = pointer::set(c, c_rel, Value::from(f.clone()));
                self.placed(placed, v_at, p, c_abs);
                return Ok(());
            }
            (None, None) => {
                return Err(self.m.input_error(&at, format!("expected a string, but found {x}")));
            }
        };
        let y = match table.iter().find(|(k, _)| k == key) {
            Some((_, y)) => {
                // Several vendor values may share a canonical
                // value; only the one the way back writes is
                // consumed, the others stay in extensions.
                if table.iter().find(|(_, v)| v == y).map(|(k, _)| k) == Some(&key.to_owned()) {
                    self.consume(at);
                }
                y.clone()
            }
            None => match fallback {
                Some(f) => {
                    self.losses.push(Loss::new(
                        LossKind::Fallback,
                        at,
                        format!("`{key}` is not in the table; mapped to `{f}`"),
                    ));
                    f.clone()
                }
                None => {
                    let known: Vec<&str> = table.iter().map(|(k, _)| k.as_str()).collect();
                    return Err(self.m.input_error(
                        at,
                        format!("expected one of {}, but found `{key}`", known.join(", ")),
                    ));
                }
            },
        };
        let placed = pointer::set(c, c_rel, Value::from(y));
        self.placed(placed, v_at, p, c_abs);
        Ok(())
    }

    /// Runs `rules` with the vendor element at `v_at` and the canonical
    /// element `c` at `c_at`.
    pub(super) fn run(
        &mut self,
        rules: &[Rule],
        v: &Value,
        v_at: &str,
        c: &mut Value,
        c_at: &str,
    ) -> Result<(), MappingError> {
        for rule in rules {
            let c_rel = rule.canonical.as_deref().unwrap_or("");
            let c_abs_buf = concat(c_at, c_rel);
            let c_abs: &str = &c_abs_buf;
            // The first vendor alternative present (a null counts as absent).
            let found =
                rule.vendor.iter().enumerate().find_map(|(i, p)| {
                    pointer::get(v, p).filter(|x| !x.is_null()).map(|x| (i, p, x))
                });
            if let Some((i, p, _)) = found
                && i > 0
            {
                // Several rules may fill one canonical place (an item's
                // product and price refs): each keeps its own pointer.
                let chosen = Value::from(p.clone());
                match self.alternatives.get_mut(c_abs) {
                    Some(Value::Array(list)) => list.push(chosen),
                    Some(one) => *one = Value::Array(vec![one.clone(), chosen]),
                    None => {
                        self.alternatives.insert(c_abs.to_string(), chosen);
                    }
                }
            }
            match &rule.kind {
                Kind::CanonicalConstant(value) => {
                    pointer::set(c, c_rel, value.clone());
                }
                Kind::VendorConstant(value) => {
                    // A vendor constant identifies the object (`"object":
                    // "customer"`): another value means the wrong payload.
                    if let Some(p) = rule.vendor.first() {
                        match pointer::get(v, p) {
                            Some(x) if x == value => {
                                self.consume(cat(v_at, p));
                            }
                            Some(x) if !x.is_null() => {
                                return Err(self.m.input_error(
                                    cat(v_at, p),
                                    format!("expected {value}, but found {x}"),
                                ));
                            }
                            // A null stays in the residue and comes back
                            // from there.
                            Some(_) => {}
                            None => self.absent.push(Value::from(cat(v_at, p))),
                        }
                    }
                }
                Kind::Copy { transform, default } => match found {
                    Some((_, p, x)) => {
                        let y = match transform {
                            Some(t) => {
                                t.forward(x).map_err(|e| self.m.input_error(cat(v_at, p), e))?
                            }
                            None => x.clone(),
                        };
                        let back = match transform {
                            Some(t) => t.reverse(&y).ok(),
                            // The typed record writes an integer its own way
                            // (`-0` as `0`): the vendor's text is kept then.
                            None => Some(integer_as_written(&y)),
                        };
                        self.keep_or_consume(&cat(v_at, p), x, &y, back.as_ref());
                        let placed = pointer::set(c, c_rel, y);
                        self.placed(placed, v_at, p, c_abs);
                    }
                    None => {
                        if let Some(d) = default {
                            pointer::set(c, c_rel, d.clone());
                            self.defaulted.push(Value::from(c_abs.to_string()));
                        }
                    }
                },
                Kind::Enum { table, fallback, .. } => {
                    if let Some((_, p, x)) = found {
                        self.enum_in((table, fallback.as_ref()), (p, x), (v_at, c_abs, c_rel), c)?;
                    }
                }
                Kind::Money(spec) => {
                    if let Some((_, p, x)) = found {
                        let money = self.money(spec, p, x, v, v_at)?;
                        let placed = pointer::set(c, c_rel, money);
                        self.placed(placed, v_at, p, c_abs);
                    }
                }
                Kind::Reference(object_type) => {
                    if let Some((_, p, x)) = found {
                        let id =
                            self.reference_id(cat(v_at, p), x, "an id or an object with an `id`")?;
                        // Several reference rules may fill one reference
                        // (a refund of a charge and of its payment intent).
                        let list = format!("{c_rel}/external_refs");
                        let placed = self.push_external_ref(c, &list, object_type, id);
                        self.placed(placed, v_at, p, c_abs);
                    }
                }
                Kind::ExternalRef(object_type) => {
                    if let Some((_, p, x)) = found {
                        let id = self.reference_id(cat(v_at, p), x, "an id string")?;
                        let placed = self.push_external_ref(c, c_rel, object_type, id);
                        self.placed(placed, v_at, p, c_abs);
                    }
                }
                Kind::Each(inner) => {
                    if let Some((_, p, x)) = found {
                        let at = cat(v_at, p);
                        let items = x.as_array().ok_or_else(|| {
                            self.m.input_error(&at, format!("expected an array, but found {x}"))
                        })?;
                        let mut out = Vec::with_capacity(items.len());
                        for (i, item) in items.iter().enumerate() {
                            // The inner rules read members: an item with
                            // none (null, a scalar, an array) would become
                            // an empty record and not come back.
                            if !item.is_object() {
                                return Err(self.m.input_error(
                                    join(&at, i),
                                    format!("expected an object, but found {item}"),
                                ));
                            }
                            let mut element = Value::Object(Map::new());
                            self.run(inner, item, &join(&at, i), &mut element, &join(c_abs, i))?;
                            out.push(element);
                        }
                        let ids: Vec<Value> = out.iter().map(item_id).collect();
                        if !pointer::set(c, c_rel, Value::Array(out)) {
                            self.unplaced(&at, c_abs);
                        } else if self.keep && ids.iter().any(|id| !id.is_null()) {
                            self.items.insert(c_abs.to_string(), Value::Array(ids));
                        }
                    }
                }
                Kind::Collect(pointers) => {
                    let mut items = Vec::new();
                    let mut read = Vec::new();
                    for p in pointers {
                        if let Some(x) = pointer::get(v, p).filter(|x| !x.is_null()) {
                            self.consume(cat(v_at, p));
                            items.push(x.clone());
                            read.push(p);
                        }
                    }
                    if items.is_empty() {
                        continue;
                    }
                    if !pointer::set(c, c_rel, Value::Array(items)) {
                        for p in read {
                            self.unplaced(&cat(v_at, p), c_abs);
                        }
                        continue;
                    }
                    // The way back writes item i to the i-th place unless
                    // told otherwise: an item read from a later place (an
                    // earlier one absent or null) is noted.
                    if read.iter().zip(pointers).any(|(r, p)| *r != p) {
                        let places = read.into_iter().map(|p| Value::from(p.clone())).collect();
                        self.collected.insert(c_abs.to_string(), Value::Array(places));
                    }
                }
            }
        }
        Ok(())
    }

    /// The id a reference read at `at` names: an id string (consumed), or an
    /// expanded object with an `id` (kept whole in the residue and
    /// reported). Anything else is an error that says `expected`.
    pub(super) fn reference_id<'x>(
        &mut self,
        at: String,
        x: &'x Value,
        expected: &str,
    ) -> Result<&'x str, MappingError> {
        match x {
            Value::String(id) => {
                self.consume(at);
                Ok(id)
            }
            Value::Object(o) => match o.get("id").and_then(Value::as_str) {
                Some(id) => {
                    self.losses.push(Loss::new(
                        LossKind::Lossy,
                        &at,
                        "an expanded object is referenced by its id; the object is kept in extensions",
                    ));
                    Ok(id)
                }
                None => Err(self.m.input_error(at, "expected an id or an object with an `id`")),
            },
            other => Err(self.m.input_error(at, format!("expected {expected}, but found {other}"))),
        }
    }

    /// Appends the external ref (this vendor, `object_type`, `id`) to the
    /// list at `list` of `c`, creating the list; false when it has no place.
    pub(super) fn push_external_ref(
        &self,
        c: &mut Value,
        list: &str,
        object_type: &str,
        id: &str,
    ) -> bool {
        let entry = json!({"system": self.m.vendor, "object_type": object_type, "id": id});
        match pointer::get(c, list) {
            Some(Value::Array(_)) => pointer::set(c, &format!("{list}/-"), entry),
            _ => pointer::set(c, list, Value::Array(vec![entry])),
        }
    }

    /// After writing the value read at `at` to the canonical `c_abs`: when
    /// it could not be written there (an array index out of reach, a scalar
    /// in the way), the vendor value stays in extensions and is reported.
    pub(super) fn placed(&mut self, placed: bool, v_at: &str, p: &str, c_abs: &str) {
        if !placed {
            self.unplaced(&cat(v_at, p), c_abs);
        }
    }

    /// A whole vendor value (an array an `each` rule mapped, an item a
    /// `collect` rule read) at `at` that has no place at `c_abs`: nothing
    /// below `at` counts as consumed, and the loss is reported.
    pub(super) fn unplaced(&mut self, at: &str, c_abs: &str) {
        self.consumed.retain(|c| !covers(at, c));
        self.losses.push(Loss::new(
            LossKind::Lossy,
            at,
            format!("the value has no place at {c_abs} in this record (kept in extensions)"),
        ));
    }

    /// Consumes the vendor value at `at` when the way back gives it again;
    /// otherwise keeps it for the residue and reports the loss, saying what
    /// it was read as and what would have come back.
    pub(super) fn keep_or_consume(
        &mut self,
        at: &str,
        original: &Value,
        read_as: &Value,
        back: Option<&Value>,
    ) {
        if back == Some(original) {
            self.consume(at.to_owned());
        } else {
            let reason = match back {
                Some(back) => format!(
                    "{original} is read as {read_as}, which goes back as {back}: the original is kept in extensions"
                ),
                None => format!(
                    "{original} is read as {read_as}, which cannot be written back: the original is kept in extensions"
                ),
            };
            self.losses.push(Loss::new(LossKind::Lossy, at, reason));
        }
    }

    pub(super) fn money(
        &mut self,
        spec: &MoneySpec,
        p: &str,
        x: &Value,
        v: &Value,
        v_at: &str,
    ) -> Result<Value, MappingError> {
        let at = cat(v_at, p);
        let (cur_base, cur_ptr, cur_doc) = match spec.currency.strip_prefix('^') {
            Some(rel) => ("", rel, self.root),
            None => (v_at, spec.currency.as_str(), v),
        };
        let cur_at = cat(cur_base, cur_ptr);
        let code = pointer::get(cur_doc, cur_ptr)
            .and_then(Value::as_str)
            .ok_or_else(|| self.m.input_error(&cur_at, "expected a currency code"))?;
        let currency = Currency::from_code(&code.to_uppercase())
            .map_err(|e| self.m.input_error(&cur_at, e.to_string()))?;
        // A code that parsed is three ASCII letters: its case is one test.
        let usual_case = match spec.currency_case {
            CodeCase::Lower => !code.bytes().any(|b| b.is_ascii_uppercase()),
            CodeCase::Upper => !code.bytes().any(|b| b.is_ascii_lowercase()),
        };
        if usual_case {
            self.consume(cur_at);
        } else if !self.losses.iter().any(|l| l.path == cur_at) {
            self.losses.push(Loss::new(
                LossKind::Lossy,
                &cur_at,
                format!("currency code `{code}` is not in the vendor's usual case"),
            ));
        }
        let amount = match spec.encoding {
            AmountEncoding::MinorUnits => {
                let minor = minor_units(x).ok_or_else(|| {
                    self.m.input_error(
                        &at,
                        format!("expected an integer amount in minor units, but found {x}"),
                    )
                })?;
                let exp = self.m.exponent(currency, &at)?;
                let amount = shift(minor, exp).ok_or_else(|| {
                    self.m.input_error(&at, format!("{minor} minor units are out of range"))
                })?;
                iso_scale(amount, currency)
            }
            AmountEncoding::Decimal => match x {
                Value::Number(n) => parse_json_number(n.as_str()),
                Value::String(s) => parse_decimal(s),
                other => {
                    return Err(self.m.input_error(
                        &at,
                        format!("expected a decimal amount, but found {other}"),
                    ));
                }
            }
            .map_err(|e| self.m.input_error(&at, e.to_string()))?,
            AmountEncoding::MinorUnitsDecimal => {
                let minor = match x {
                    Value::Number(n) => parse_json_number(n.as_str()),
                    Value::String(s) => parse_decimal(s),
                    other => {
                        return Err(self.m.input_error(
                            &at,
                            format!("expected a decimal count of minor units, but found {other}"),
                        ));
                    }
                }
                .map_err(|e| self.m.input_error(&at, e.to_string()))?;
                let exp = self.m.exponent(currency, &at)?;
                minor_to_major(minor, exp).ok_or_else(|| {
                    self.m.input_error(&at, format!("{minor} minor units are out of range"))
                })?
            }
        };
        let back = self.m.money_amount_out(spec, amount, currency, &at).ok().map(|(v, _)| v);
        let money = json!({"amount": amount.to_string(), "currency": currency.code()});
        self.keep_or_consume(&at, x, &money, back.as_ref());
        Ok(money)
    }
}

/// An integer number as the typed record writes it (`-0` is `0`); any other
/// value as it is.
fn integer_as_written(v: &Value) -> Value {
    match v.as_number() {
        Some(n) if n.is_integer_text() => {
            n.as_str().parse::<i128>().map_or_else(|_| v.clone(), Value::from)
        }
        _ => v.clone(),
    }
}
