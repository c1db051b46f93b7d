//! `lookup`: a vendor code read through a table of the tenant's. A Xero
//! line names its tax by `TaxType` (`OUTPUT2`), a QuickBooks line by a tax
//! code id (`"2"`); what the code means (category, rate) is the tenant's
//! own setting, fetched once by the caller and put in the payload with the
//! Crosswalk. The way in copies the code and fills the fields its entry
//! gives; the way back writes the code, or, for a record that has the
//! fields but no code (an invoice made in another system), the code whose
//! entry has them.

use super::reverse::Back;
use super::*;

/// A compiled `lookup`.
#[derive(Debug)]
pub(super) struct Lookup {
    /// Where the tenant's table is.
    table: Anchored,
    /// Canonical field, in the element ← member of the entry.
    fill: Vec<(Path, Path)>,
    /// Entries for the vendor's own codes.
    defaults: Map,
    /// Codes that stand for another field's code.
    via: Vec<(String, Anchored)>,
    /// Fields whose values complete the key.
    with: Vec<Path>,
    /// The table's pointer as the file gives it, for messages.
    table_text: String,
}

impl Lookup {
    /// Compiles the `lookup` of the rule at `at`.
    pub(super) fn compile(
        spec: &LookupSpec,
        at: &str,
        scope: &Scope<'_>,
    ) -> Result<Lookup, MappingError> {
        let err = scope.err;
        let table = spec.table.strip_prefix('^').unwrap_or(&spec.table);
        check_pointer(table, format!("{at}/lookup/table"), err)?;
        if spec.fill.is_empty() {
            return Err(err(
                format!("{at}/lookup/fill"),
                "expected at least one canonical field the entry fills".into(),
            ));
        }
        let mut fill = Vec::new();
        for (c, member) in &spec.fill {
            let where_ = join(&format!("{at}/lookup/fill"), c);
            check_pointer(c, where_.clone(), err)?;
            check_pointer(member, where_.clone(), err)?;
            // The place's error names the fill entry, not a `canonical` key.
            canonical_place(c, &where_, scope).map_err(|e| match e {
                MappingError::InvalidSpec { file, message, .. } => {
                    MappingError::InvalidSpec { file, pointer: where_.clone(), message }
                }
                other => other,
            })?;
            fill.push((Path::new(c), Path::new(member)));
        }
        let mut via = Vec::new();
        for (code, p) in &spec.via {
            let rest = p.strip_prefix('^').unwrap_or(p);
            check_pointer(rest, join(&format!("{at}/lookup/via"), code), err)?;
            via.push((code.clone(), Anchored::new(p)));
        }
        let mut defaults = Map::new();
        for (code, entry) in &spec.defaults {
            if !entry.is_object() {
                return Err(err(
                    join(&format!("{at}/lookup/defaults"), code),
                    format!(
                        "expected an entry object (such as {{\"category\": \"exempt\"}}), but found {}",
                        crate::voice::found_json(entry)
                    ),
                ));
            }
            defaults.insert(code.clone(), entry.clone());
        }
        for (i, w) in spec.with.iter().enumerate() {
            check_pointer(w, format!("{at}/lookup/with/{i}"), err)?;
        }
        Ok(Lookup {
            with: spec.with.iter().map(|w| Path::new(w)).collect(),
            table: Anchored::new(&spec.table),
            fill,
            defaults,
            via,
            table_text: spec.table.clone(),
        })
    }

    /// The canonical fields the entry fills, relative to the element.
    pub(super) fn filled(&self) -> impl Iterator<Item = &Path> {
        self.fill.iter().map(|(c, _)| c)
    }

    /// The entry of `key`: the tenant's, else the file's default.
    fn entry<'v>(&'v self, table: Option<&'v Value>, key: &str) -> Option<&'v Value> {
        table.and_then(|t| t.get(key)).or_else(|| self.defaults.get(key))
    }
}

impl Forward<'_> {
    /// The way in: the entry of the code `code` (read at `p` of `el`) fills
    /// the canonical element `c`; a code no entry has is reported.
    pub(super) fn lookup(
        &mut self,
        lookup: &Lookup,
        (p, code): (&Path, &Value),
        el: Element<'_>,
        c: &mut Value,
    ) {
        let Some(code) = code.as_str() else { return };
        let key = match lookup.via.iter().find(|(k, _)| k == code) {
            Some((_, other)) => match other.get(self.root, el.v).and_then(Value::as_str) {
                Some(k) => k,
                None => {
                    self.losses.push(Loss::new(
                        LossKind::Incomplete,
                        el.at(p),
                        format!(
                            "`{code}` stands for the code at {}, which the payload does not give: {} left out",
                            other.path.as_str(),
                            fields_named(lookup)
                        ),
                    ));
                    return;
                }
            },
            None => code,
        };
        let mut key = key.to_owned();
        for w in &lookup.with {
            match w.get(el.v) {
                Some(Value::String(s)) => key = format!("{key}:{s}"),
                Some(Value::Number(n)) => {
                    // A number by its value: 20.0 and 20 are one key.
                    let text = parse_json_number(n.as_str())
                        .map_or_else(|_| n.as_str().to_owned(), |d| d.normalize().to_string());
                    key = format!("{key}:{text}");
                }
                _ => key = format!("{key}:"),
            }
        }
        let key = key.as_str();
        let table = lookup.table.get(self.root, el.v);
        match lookup.entry(table, key) {
            Some(entry) => {
                for (field, member) in &lookup.fill {
                    if let Some(v) = member.get(entry).filter(|v| !v.is_null()) {
                        field.set(c, v.clone());
                    }
                }
            }
            None => {
                let whose = if table.is_some() { "is not in" } else { "cannot be looked up: no" };
                self.losses.push(Loss::new(
                    LossKind::Incomplete,
                    el.at(p),
                    format!(
                        "code `{key}` {whose} tenant table at {} ({} left out): put the tenant's table there with Crosswalk::set_tenant_value",
                        lookup.table_text,
                        fields_named(lookup)
                    ),
                ));
            }
        }
    }
}

/// The canonical fields a lookup fills, for messages.
fn fields_named(lookup: &Lookup) -> String {
    let names: Vec<&str> = lookup.filled().map(Path::as_str).collect();
    names.join(" and ")
}

impl Reverse<'_> {
    /// The way back for a record without the code: the first code whose
    /// entry (the tenant's, then the file's defaults; not a `via` code)
    /// has every filled field of `el` as the record has it. Returns it, or
    /// reports the fields as lost.
    pub(super) fn lookup_back(
        &mut self,
        lookup: &Lookup,
        el: Back<'_>,
        c_abs: &str,
    ) -> Option<Value> {
        let wanted: Vec<(&Path, &Value)> = lookup
            .fill
            .iter()
            .filter_map(|(field, member)| {
                field.get(el.c).filter(|v| !v.is_null()).map(|v| (member, v))
            })
            .collect();
        if wanted.is_empty() {
            return None;
        }
        let table = lookup.table.path.get(&self.residue).and_then(Value::as_object);
        let found = table
            .into_iter()
            .flat_map(Map::iter)
            .chain(lookup.defaults.iter())
            .filter(|(code, _)| !lookup.via.iter().any(|(k, _)| k == *code))
            .find(|(_, entry)| {
                wanted.iter().all(|(member, v)| member.get(entry).is_some_and(|e| same(e, v)))
            })
            // With `with`, the code is the key's first part.
            .map(|(code, _)| {
                let code = if lookup.with.is_empty() {
                    code.as_str()
                } else {
                    code.split(':').next().unwrap_or(code)
                };
                Value::from(code)
            });
        for (field, _) in &lookup.fill {
            self.covered.mark(el.c_keys, field.tokens());
        }
        if found.is_none() {
            let shown: Vec<String> = wanted.iter().map(|(_, v)| v.to_string()).collect();
            let whose = if table.is_some() { "no code in the" } else { "no" };
            self.losses.push(Loss::new(
                LossKind::Unsupported,
                c_abs,
                format!(
                    "{} {} needs a code for {}: {whose} tenant table at {} has one; set the code",
                    self.m.vendor,
                    self.m.object,
                    shown.join(", "),
                    lookup.table_text
                ),
            ));
        }
        found
    }
}

/// Two entry values are the same: equal JSON, or decimals of one value
/// (`"20"` and `"20.0"`).
pub(super) fn same(a: &Value, b: &Value) -> bool {
    a == b
        || matches!(
            (a.as_str().map(parse_decimal), b.as_str().map(parse_decimal)),
            (Some(Ok(x)), Some(Ok(y))) if x == y
        )
}
