//! Loading a mapping file: each rule checked against the entity's schema and compiled.

use super::*;

/// What the rules of one list (the file's, or one `each`'s) are compiled
/// and checked against.
pub(super) struct Scope<'a> {
    pub(super) err: &'a dyn Fn(String, String) -> MappingError,
    pub(super) custom: &'a HashMap<String, Arc<dyn Transform>>,
    /// The file's vendor: `extensions.<vendor>` is the engine's.
    pub(super) vendor: &'a str,
    /// The entity schema's place the list's canonical pointers start from.
    pub(super) place: SchemaPlace<'static>,
    /// That place, for messages: `a customer record`.
    pub(super) what: String,
    /// True for the file's own rules, whose pointers start at the record.
    pub(super) top: bool,
}

pub(super) fn compile_rules(
    specs: &[RuleSpec],
    base: &str,
    scope: &Scope<'_>,
) -> Result<Vec<Rule>, MappingError> {
    let rules = specs
        .iter()
        .enumerate()
        .map(|(i, s)| compile_rule(s, &join(base, i), scope))
        .collect::<Result<Vec<Rule>, MappingError>>()?;
    check_targets(&rules, base, scope.err)?;
    Ok(rules)
}

/// The canonical places a rule writes, each with whether it adds to a list
/// there (reference and external-ref rules) rather than setting a value.
pub(super) fn written(rule: &Rule) -> Vec<(std::borrow::Cow<'_, str>, bool)> {
    use std::borrow::Cow::Borrowed;
    let mut out = Vec::new();
    if let Kind::Cases { cases, .. } = &rule.kind {
        out.extend(
            cases
                .iter()
                .filter_map(|c| c.canonical.as_ref())
                .map(|p| (Borrowed(p.as_str()), false)),
        );
        // Two cases may fill one array (sales and description lines).
        out.dedup();
        return out;
    }
    let Some(target) = rule.canonical_str() else { return out };
    let main = match &rule.kind {
        // A reference adds an external ref to the reference's own list.
        Kind::Reference { list, .. } => (Borrowed(list.as_str()), true),
        Kind::ExternalRef(_) => (Borrowed(target), true),
        _ => (Borrowed(target), false),
    };
    out.push(main);
    if let Kind::Reference { object: Some(RefObject { display: Some(_), .. }), .. } = &rule.kind {
        out.push((std::borrow::Cow::Owned(cat(target, "/display")), false));
    }
    if let Kind::Money(m) = &rule.kind
        && let Some(side) = &m.side
    {
        out.push((Borrowed(side.canonical.as_str()), false));
    }
    out
}

/// No two rules of one list (the file's, or one `each`'s) write the same
/// canonical place, or one a place inside the other's: on the way in the
/// later value would replace the earlier one. Rules that add to a list
/// (reference and external-ref rules) may share it, and so may rules that
/// each have an `if`.
pub(super) fn check_targets(
    rules: &[Rule],
    base: &str,
    err: &dyn Fn(String, String) -> MappingError,
) -> Result<(), MappingError> {
    let mut seen: Vec<(usize, std::borrow::Cow<'_, str>, bool)> = Vec::new();
    for (i, rule) in rules.iter().enumerate() {
        for (place, appends) in written(rule) {
            for (j, other, other_appends) in &seen {
                // Rules under `if` conditions each write where theirs holds
                // (one tax form or another).
                let guarded = rule.guard.is_some()
                    && rules.get(*j).is_some_and(|other| other.guard.is_some());
                let clash = if guarded {
                    false
                } else if place == *other {
                    !(appends && *other_appends)
                } else {
                    covers(other, &place) || covers(&place, other)
                };
                if !clash {
                    continue;
                }
                let (first, second) = (join(base, j), join(base, i));
                let message = if place == *other {
                    format!(
                        "expected one rule per canonical field, but {first} and {second} both write {place} (only reference and external_ref rules, which add to a list, and rules that each have an `if` may share a target)"
                    )
                } else if covers(other, &place) {
                    format!(
                        "expected one rule per canonical field, but {first} writes {other} and {second} writes {place}, inside it"
                    )
                } else {
                    format!(
                        "expected one rule per canonical field, but {first} writes {other} and {second} writes {place}, which holds it"
                    )
                };
                return Err(err(join(&second, "canonical"), message));
            }
            seen.push((i, place, appends));
        }
    }
    Ok(())
}

pub(super) fn check_pointer(
    p: &str,
    at: String,
    err: &dyn Fn(String, String) -> MappingError,
) -> Result<(), MappingError> {
    if !p.starts_with('/') {
        return Err(err(at, format!("expected a JSON Pointer starting with `/`, but found `{p}`")));
    }
    // RFC 6901: `~` only escapes, as `~0` (`~`) or `~1` (`/`).
    let mut bytes = p.bytes();
    while let Some(b) = bytes.next() {
        if b == b'~' && !matches!(bytes.next(), Some(b'0' | b'1')) {
            return Err(err(
                at,
                format!(
                    "expected a JSON Pointer with `~` only in `~0` (for `~`) or `~1` (for `/`), but found `{p}`"
                ),
            ));
        }
    }
    Ok(())
}

/// The place `target` (a canonical pointer of a rule at `at`) names in the
/// entity schema, or an error saying where the pointer leaves it.
///
/// Rules may write into `extensions`, under a namespace (`custom`,
/// another system's name) other than the file's own vendor: the engine
/// keeps what no rule reads in `extensions.<vendor>`.
pub(super) fn canonical_place(
    target: &str,
    at: &str,
    scope: &Scope<'_>,
) -> Result<SchemaPlace<'static>, MappingError> {
    let err = |message: String| (scope.err)(join(at, "canonical"), message);
    let mut place = scope.place.clone();
    let mut walked = String::new();
    for (i, token) in pointer::tokens(target).enumerate() {
        if scope.top && i == 0 && token == "extensions" {
            let namespace = pointer::tokens(target).nth(1);
            match namespace.as_deref() {
                None => {
                    return Err(err(format!(
                        "expected a place inside a namespace of /extensions (/extensions/custom/…), but found {target}: the engine keeps what no rule reads there"
                    )));
                }
                Some(ns) if ns == scope.vendor => {
                    return Err(err(format!(
                        "expected a namespace of /extensions other than `{ns}`, but found {target}: extensions.{ns} is where the engine keeps what no rule of this file reads"
                    )));
                }
                Some(ns) if !Extensions::is_namespace(ns) => {
                    return Err(err(format!(
                        "expected an extension namespace (lower case: letters, digits, `_`, `.`, `-`), but found `{ns}` in {target}"
                    )));
                }
                Some(_) => {}
            }
        }
        let next = place.child(&token);
        if next.is_empty() {
            let parent =
                if walked.is_empty() { "its top level".to_owned() } else { walked.clone() };
            let fields = place.fields();
            return Err(err(if fields.is_empty() {
                format!("{target} is not a place in {}: {parent} holds no `{token}`", scope.what)
            } else {
                format!(
                    "{target} is not a place in {}: expected one of {} at {parent}, but found `{token}`",
                    scope.what,
                    listed(&fields)
                )
            }));
        }
        pointer::push(&mut walked, &token);
        place = next;
    }
    Ok(place)
}

/// Names for a message: all of them, or the first twenty and how many
/// there are (a currency has 180).
pub(super) fn listed(names: &[&str]) -> String {
    const SHOWN: usize = 20;
    match names.get(..SHOWN) {
        Some(first) if names.len() > SHOWN => {
            format!("{}, … ({} in all)", first.join(", "), names.len())
        }
        _ => names.join(", "),
    }
}

/// The canonical strings a rule at `at` writes to `place` (an enum table's
/// values and its fallback, a canonical constant, a default) are values
/// the place may hold.
pub(super) fn check_strings(
    s: &RuleSpec,
    kind: &Kind,
    place: &SchemaPlace<'_>,
    at: &str,
    err: &dyn Fn(String, String) -> MappingError,
) -> Result<(), MappingError> {
    let target = s.canonical.as_deref().unwrap_or_default();
    let written: Vec<(String, &str)> = match kind {
        Kind::Enum(table) => table
            .entries
            .iter()
            .map(|(k, v)| (join(&join(at, "enum"), k), v.as_str()))
            .chain(table.fallback.iter().map(|f| (join(at, "fallback"), f.as_str())))
            .chain(
                table.default.iter().filter_map(|d| d.as_str().map(|d| (join(at, "default"), d))),
            )
            .collect(),
        Kind::CanonicalConstant(Value::String(c)) => vec![(join(at, "constant"), c.as_str())],
        Kind::Presence { present, absent } => {
            [(join(at, "present"), Some(present)), (join(at, "absent"), absent.as_ref())]
                .into_iter()
                .filter_map(|(w, v)| v.and_then(Value::as_str).map(|v| (w, v)))
                .collect()
        }
        // A default is written as it is, with no transform.
        Kind::Copy { transform: None, default: Some(Value::String(d)), .. } => {
            vec![(join(at, "default"), d.as_str())]
        }
        _ => return Ok(()),
    };
    let Some(allowed) = place.strings() else { return Ok(()) };
    for (where_, value) in written {
        if allowed.is_empty() {
            return Err(err(
                where_,
                format!(
                    "expected a value {target} can hold, but found `{value}`: {target} holds no text"
                ),
            ));
        }
        if !allowed.contains(&value) {
            return Err(err(
                where_,
                format!(
                    "expected one of {} (the values of {target}), but found `{value}`",
                    listed(&allowed)
                ),
            ));
        }
    }
    Ok(())
}

pub(super) fn compile_rule(
    s: &RuleSpec,
    at: &str,
    scope: &Scope<'_>,
) -> Result<Rule, MappingError> {
    let err = scope.err;
    let vendor = vendor_pointers(s, at, err)?;
    if let Some(c) = &s.canonical {
        check_pointer(c, format!("{at}/canonical"), err)?;
    }
    let kinds = rule_keys(s, at, err)?;
    let kind = rule_kind(s, at, scope, &kinds, !vendor.is_empty())?;
    if let Some(target) = s.canonical.as_deref()
        && !matches!(
            kind,
            Kind::Each(_)
                | Kind::Fields { .. }
                | Kind::Object { .. }
                | Kind::Flags { .. }
                | Kind::Members(_)
        )
    {
        let place = canonical_place(target, at, scope)?;
        if let Kind::Reference { object: Some(RefObject { display: Some(_), .. }), .. } = &kind
            && place.child("display").is_empty()
        {
            return Err(err(
                format!("{at}/reference/display"),
                format!(
                    "expected a reference with a display name, but {target} in {} has no `display` (leave `display` out, and map the name with a rule of its own)",
                    scope.what
                ),
            ));
        }
        if matches!(kind, Kind::Reference { .. }) && place.child("external_refs").is_empty() {
            return Err(err(
                join(at, "canonical"),
                format!(
                    "expected a reference (a place with external_refs) for `reference`, but {target} in {} is not one",
                    scope.what
                ),
            ));
        }
        check_strings(s, &kind, &place, at, err)?;
    }
    Ok(Rule {
        canonical: s.canonical.as_deref().map(Path::new),
        vendor: vendor.iter().map(|p| Path::new(p.strip_prefix('^').unwrap_or(p))).collect(),
        vendor_root: vendor.iter().map(|p| p.starts_with('^')).collect(),
        kind,
        guard: match &s.only_if {
            None => None,
            Some(g) => {
                check_pointer(&g.field, format!("{at}/if/field"), err)?;
                Some(Guard { field: Path::new(&g.field), is: g.is.clone() })
            }
        },
    })
}

/// A rule's vendor pointers, each checked.
fn vendor_pointers(
    s: &RuleSpec,
    at: &str,
    err: &dyn Fn(String, String) -> MappingError,
) -> Result<Vec<String>, MappingError> {
    let vendor: Vec<String> = s
        .vendor
        .as_ref()
        .map(|v| v.pointers().into_iter().map(str::to_owned).collect())
        .unwrap_or_default();
    if s.vendor.is_some() && vendor.is_empty() {
        return Err(err(format!("{at}/vendor"), "expected at least one vendor pointer".into()));
    }
    for (i, p) in vendor.iter().enumerate() {
        let where_ =
            if vendor.len() == 1 { format!("{at}/vendor") } else { format!("{at}/vendor/{i}") };
        // `^` first: from the document's root (a plain or money rule in an
        // item reading a value of the whole document).
        match p.strip_prefix('^') {
            Some(rest) => {
                let plain = s.money.is_some()
                    || [
                        s.constant.is_some(),
                        s.enum_table.is_some(),
                        s.reference.is_some(),
                        s.external_ref.is_some(),
                        s.each.is_some(),
                        s.collect.is_some(),
                        s.cases.is_some(),
                        s.fields.is_some(),
                        s.object.is_some(),
                        s.present.is_some(),
                        s.flags.is_some(),
                    ]
                    .iter()
                    .all(|k| !k);
                if !plain {
                    return Err(err(
                        where_,
                        "a `^` pointer (from the document root) goes with a copy or a money rule"
                            .into(),
                    ));
                }
                check_pointer(rest, where_, err)?;
            }
            None => check_pointer(p, where_, err)?,
        }
    }
    Ok(vendor)
}

/// The one key that says what a rule does (none for a plain copy), after
/// checking that the keys that qualify it go with it.
fn rule_keys(
    s: &RuleSpec,
    at: &str,
    err: &dyn Fn(String, String) -> MappingError,
) -> Result<Vec<&'static str>, MappingError> {
    let kinds: Vec<&str> = [
        (s.constant.is_some(), "constant"),
        (s.enum_table.is_some(), "enum"),
        (s.money.is_some(), "money"),
        (s.reference.is_some(), "reference"),
        (s.external_ref.is_some(), "external_ref"),
        (s.each.is_some(), "each"),
        (s.collect.is_some(), "collect"),
        (s.members.is_some(), "members"),
        (s.cases.is_some(), "cases"),
        (s.fields.is_some(), "fields"),
        (s.object.is_some(), "object"),
        (s.present.is_some(), "present"),
        (s.flags.is_some(), "flags"),
        // A transform goes with a reference, for its id (a Salesforce
        // 15-character id read as its 18-character form).
        (s.transform.is_some() && s.reference.is_none(), "transform"),
    ]
    .into_iter()
    .filter_map(|(present, name)| present.then_some(name))
    .collect();
    if kinds.len() > 1 {
        return Err(err(
            at.to_owned(),
            format!(
                "expected one of constant, enum, money, reference, external_ref, each, collect, members, cases, fields, object, present, flags or transform, but found {}",
                kinds.join(" and ")
            ),
        ));
    }
    let only_with = |key: &str, present: bool, kind: &str| {
        if present && kinds.first() != Some(&kind) {
            Err(err(format!("{at}/{key}"), format!("`{key}` only goes with `{kind}`")))
        } else {
            Ok(())
        }
    };
    only_with("fallback", s.fallback.is_some(), "enum")?;
    only_with("reverse_fallback", s.reverse_fallback.is_some(), "enum")?;
    only_with("by", s.by.is_some(), "cases")?;
    only_with("side", s.side.is_some(), "money")?;
    only_with("needs", s.needs.is_some(), "object")?;
    only_with("absent", s.absent.is_some(), "present")?;
    if s.lookup.is_some() && !kinds.is_empty() {
        return Err(err(
            format!("{at}/lookup"),
            "`lookup` only goes with a plain copy of the code (no transform)".into(),
        ));
    }
    if s.table.is_some() && (!kinds.is_empty() || s.lookup.is_some()) {
        return Err(err(
            format!("{at}/table"),
            "`table` only goes with a plain copy of the code (no transform, no lookup)".into(),
        ));
    }
    if s.default.is_some()
        && !(kinds.is_empty() || kinds == ["transform"] || kinds == ["flags"] || kinds == ["enum"])
    {
        return Err(err(
            format!("{at}/default"),
            "`default` only goes with a plain or transformed copy, an `enum`, or `flags`".into(),
        ));
    }
    Ok(kinds)
}

/// What a rule does, compiled: its tables built, its pointers split, its
/// `each` a sub-plan, its transform found.
fn rule_kind(
    s: &RuleSpec,
    at: &str,
    scope: &Scope<'_>,
    kinds: &[&str],
    has_v: bool,
) -> Result<Kind, MappingError> {
    let err = scope.err;
    let has_c = s.canonical.is_some();
    let need = |what: &str, ok: bool| {
        if ok {
            Ok(())
        } else {
            Err(err(
                at.to_owned(),
                format!(
                    "a rule with `{}` needs {what}",
                    kinds.first().copied().unwrap_or("vendor")
                ),
            ))
        }
    };
    Ok(if let Some(constant) = &s.constant {
        match (has_v, has_c) {
            (false, true) => Kind::CanonicalConstant(constant.clone()),
            (true, false) => Kind::VendorConstant(constant.clone()),
            _ => {
                return Err(err(
                    at.to_owned(),
                    "a `constant` goes with either `canonical` or `vendor`, not both".into(),
                ));
            }
        }
    } else if let Some(table) = &s.enum_table {
        need("`vendor` and `canonical`", has_v && has_c)?;
        if table.is_empty() {
            return Err(err(format!("{at}/enum"), "expected at least one entry".into()));
        }
        Kind::Enum(EnumTable::new(
            table.iter().map(|(k, v)| (k.clone(), v.clone())).collect(),
            (s.fallback.clone(), s.reverse_fallback.clone()),
            (s.default.clone(), omitted_default(s, at, scope)?),
        ))
    } else if let Some(money) = &s.money {
        let columns = s.side.as_ref().is_some_and(|side| side.columns.is_some());
        if columns {
            need(
                "`canonical` and no `vendor` (the side's `columns` are the vendor fields)",
                has_c && !has_v,
            )?;
        } else {
            need("`vendor` and `canonical`", has_v && has_c)?;
        }
        let cur = money.currency.strip_prefix('^');
        let from_root = cur.is_some();
        let cur = cur.unwrap_or(&money.currency);
        check_pointer(cur, format!("{at}/money/currency"), err)?;
        for (i, c) in money.currency_or.iter().enumerate() {
            check_pointer(
                c.strip_prefix('^').unwrap_or(c),
                format!("{at}/money/currency_or/{i}"),
                err,
            )?;
        }
        if from_root && !money.currency_or.is_empty() {
            return Err(err(
                format!("{at}/money/currency_or"),
                "`currency_or` goes with a currency in the element, not one from the root (`^`)"
                    .into(),
            ));
        }
        let side = match &s.side {
            Some(side) => Some(side_rule(side, &format!("{at}/side"), scope)?),
            None => None,
        };
        let tax = match &money.tax_included {
            Some(t) => Some(tax_rule(t, &format!("{at}/money/tax_included"), scope)?),
            None => None,
        };
        for (i, q) in money.plus.iter().enumerate() {
            check_pointer(q, format!("{at}/money/plus/{i}"), err)?;
        }
        let plus = money.plus.iter().map(|q| Path::new(q)).collect();
        if let Some(t) = &money.currency_table {
            check_pointer(
                t.strip_prefix('^').unwrap_or(t),
                format!("{at}/money/currency_table"),
                err,
            )?;
        }
        let currency_table = money.currency_table.as_deref().map(Anchored::new);
        let per = match &money.per {
            None => None,
            Some(per) => {
                check_pointer(&per.vendor, format!("{at}/money/per/vendor"), err)?;
                check_pointer(&per.canonical, format!("{at}/money/per/canonical"), err)?;
                Some((Path::new(&per.vendor), Path::new(&per.canonical)))
            }
        };
        Kind::Money(Box::new(MoneyRule {
            spec: money.clone(),
            currency: Path::new(cur),
            from_root,
            currency_or: money.currency_or.iter().map(|c| Anchored::new(c)).collect(),
            side,
            tax,
            plus,
            currency_table,
            per,
        }))
    } else if let Some(reference) = &s.reference {
        need("`vendor` and `canonical`", has_v && has_c)?;
        let target = s.canonical.as_deref().unwrap_or_default();
        let object = match reference {
            ReferenceSpec::Type(_) => None,
            ReferenceSpec::Object(o) => {
                check_pointer(&o.id, format!("{at}/reference/id"), err)?;
                if let Some(d) = &o.display {
                    check_pointer(d, format!("{at}/reference/display"), err)?;
                }
                if let Some(t) = &o.type_member {
                    check_pointer(t, format!("{at}/reference/type_member"), err)?;
                }
                Some(RefObject {
                    id: Path::new(&o.id),
                    display: o.display.as_deref().map(Path::new),
                    type_member: o.type_member.as_deref().map(Path::new),
                })
            }
        };
        if reference.object_type().is_empty() {
            return Err(err(
                format!("{at}/reference"),
                "expected the vendor object type, but found an empty string".into(),
            ));
        }
        let transform = match &s.transform {
            None => None,
            Some(_) if object.is_some() => {
                return Err(err(
                    format!("{at}/transform"),
                    "a `transform` goes with a reference by id (`\"reference\": \"customer\"`), not an object form".into(),
                ));
            }
            Some(t) => Some(resolve_transform(t, &format!("{at}/transform"), err, scope.custom)?),
        };
        Kind::Reference {
            object_type: reference.object_type().to_owned(),
            list: Path::new(&cat(target, "/external_refs")),
            object,
            transform,
        }
    } else if let Some(object_type) = &s.external_ref {
        need("`vendor` and `canonical`", has_v && has_c)?;
        Kind::ExternalRef(object_type.clone())
    } else if let Some(each) = &s.each {
        need("`vendor` and `canonical`", has_v && has_c)?;
        let target = s.canonical.as_deref().unwrap_or_default();
        let items = canonical_place(target, at, scope)?.child("0");
        if items.is_empty() {
            return Err(err(
                join(at, "canonical"),
                format!("expected an array for `each`, but {target} in {} is not one", scope.what),
            ));
        }
        let inner = Scope {
            err,
            custom: scope.custom,
            vendor: scope.vendor,
            place: items,
            what: format!("an element of {target} in {}", scope.what),
            top: false,
        };
        Kind::Each(compile_rules(each, &format!("{at}/each"), &inner)?)
    } else if let Some(cases) = &s.cases {
        need(
            "`vendor`, `by` and no `canonical` (each case names its own)",
            has_v && !has_c && s.by.is_some(),
        )?;
        let by = s.by.as_deref().unwrap_or_default();
        check_pointer(by, format!("{at}/by"), err)?;
        Kind::Cases { by: Path::new(by), cases: compile_cases(cases, at, scope)? }
    } else if let Some(object) = &s.object {
        need("`vendor` and `canonical`", has_v && has_c)?;
        let target = s.canonical.as_deref().unwrap_or_default();
        let place = canonical_place(target, at, scope)?;
        if place.fields().is_empty() {
            return Err(err(
                join(at, "canonical"),
                format!(
                    "expected an object for `object`, but {target} in {} is not one",
                    scope.what
                ),
            ));
        }
        let mut needs = Vec::new();
        for (i, n) in s.needs.iter().flatten().enumerate() {
            check_pointer(n, format!("{at}/needs/{i}"), err)?;
            needs.push(Path::new(n));
        }
        let inner = Scope {
            err,
            custom: scope.custom,
            vendor: scope.vendor,
            place,
            what: format!("{target} in {}", scope.what),
            top: false,
        };
        Kind::Object { rules: compile_rules(object, &format!("{at}/object"), &inner)?, needs }
    } else if let Some(flags) = &s.flags {
        need("`canonical` and no `vendor` (each flag names its vendor field)", has_c && !has_v)?;
        if flags.is_empty() {
            return Err(err(format!("{at}/flags"), "expected at least one flag".into()));
        }
        let target = s.canonical.as_deref().unwrap_or_default();
        let items = canonical_place(target, at, scope)?.child("0");
        let allowed = items.strings().unwrap_or_default();
        let mut out = Vec::with_capacity(flags.len());
        for (value, p) in flags {
            let where_ = join(&format!("{at}/flags"), value);
            if !allowed.is_empty() && !allowed.contains(&value.as_str()) {
                return Err(err(
                    where_,
                    format!(
                        "expected one of {} (the values of {target}), but found `{value}`",
                        listed(&allowed)
                    ),
                ));
            }
            check_pointer(p, where_, err)?;
            out.push((value.clone(), Path::new(p)));
        }
        Kind::Flags { flags: out, default: s.default.clone() }
    } else if let Some(present) = &s.present {
        need("`vendor` and `canonical`", has_v && has_c)?;
        Kind::Presence { present: present.clone(), absent: s.absent.clone() }
    } else if let Some(fields) = &s.fields {
        need("`vendor` and `canonical`", has_v && has_c)?;
        map_place(s, at, scope, "`fields` (/extensions/custom, /dimensions/other)")?;
        check_pointer(&fields.name, format!("{at}/fields/name"), err)?;
        let values = fields.value.pointers();
        if values.is_empty() {
            return Err(err(format!("{at}/fields/value"), "expected at least one pointer".into()));
        }
        for (i, p) in values.iter().enumerate() {
            check_pointer(p, format!("{at}/fields/value/{i}"), err)?;
        }
        Kind::Fields {
            name: Path::new(&fields.name),
            value: values.into_iter().map(Path::new).collect(),
        }
    } else if let Some(prefix) = &s.members {
        need("`canonical` and no `vendor`", has_c && !has_v)?;
        if prefix.is_empty() {
            return Err(err(
                format!("{at}/members"),
                "expected a member name prefix such as `custbody_`".into(),
            ));
        }
        map_place(s, at, scope, "`members` (/extensions/custom)")?;
        Kind::Members(prefix.clone())
    } else if let Some(collect) = &s.collect {
        need("`canonical` and no `vendor`", has_c && !has_v)?;
        for (i, p) in collect.iter().enumerate() {
            check_pointer(p, format!("{at}/collect/{i}"), err)?;
        }
        Kind::Collect(collect.iter().map(|p| Path::new(p)).collect())
    } else {
        if !(has_v && has_c) {
            return Err(err(
                at.to_owned(),
                "expected `vendor` and `canonical` (or a `constant` with one of them)".into(),
            ));
        }
        let transform = match &s.transform {
            None => None,
            Some(t) => Some(resolve_transform(t, &format!("{at}/transform"), err, scope.custom)?),
        };
        let lookup = match &s.lookup {
            None => None,
            Some(l) => Some(Box::new(Lookup::compile(l, at, scope)?)),
        };
        let omitted = omitted_default(s, at, scope)?;
        let table = match &s.table {
            None => None,
            Some(t) => {
                let Some(rest) = t.strip_prefix('^') else {
                    return Err(err(
                        format!("{at}/table"),
                        format!(
                            "expected the tenant table's place from the root, `^` first (`^{t}`)"
                        ),
                    ));
                };
                check_pointer(rest, format!("{at}/table"), err)?;
                Some(Box::new(Anchored::new(t)))
            }
        };
        Kind::Copy { transform, default: s.default.clone(), omitted, lookup, table }
    })
}

/// Checks that the rule's canonical place holds a map of names to values
/// (what `fields` and `members` write); `what` names the key for the error.
fn map_place(s: &RuleSpec, at: &str, scope: &Scope<'_>, what: &str) -> Result<(), MappingError> {
    let target = s.canonical.as_deref().unwrap_or_default();
    let place = canonical_place(target, at, scope)?;
    if place.child("any name").is_empty() {
        return Err((scope.err)(
            join(at, "canonical"),
            format!(
                "expected a map of names to values for {what}, but {target} in {} is not one",
                scope.what
            ),
        ));
    }
    Ok(())
}

/// True when a rule's `default` is the value the record omits at its
/// canonical place: the schema's default there, or `false`.
fn omitted_default(s: &RuleSpec, at: &str, scope: &Scope<'_>) -> Result<bool, MappingError> {
    let (Some(default), Some(target)) = (&s.default, &s.canonical) else { return Ok(false) };
    if *default == Value::Bool(false) {
        return Ok(true);
    }
    let (Some((parent, _)), Some(member)) =
        (target.rsplit_once('/'), pointer::tokens(target).last())
    else {
        return Ok(false);
    };
    let place = canonical_place(parent, at, scope)?;
    Ok(place
        .member_default(&member)
        .and_then(|d| d.as_str())
        .is_some_and(|d| default.as_str() == Some(d)))
}

pub(super) fn resolve_transform(
    t: &TransformSpec,
    at: &str,
    err: &dyn Fn(String, String) -> MappingError,
    custom: &HashMap<String, Arc<dyn Transform>>,
) -> Result<Arc<dyn Transform>, MappingError> {
    let empty = BTreeMap::new();
    let (name, args) = match t {
        TransformSpec::Name(n) => (n.as_str(), &empty),
        TransformSpec::WithArgs { name, args } => (name.as_str(), args),
    };
    if let Some(c) = custom.get(name) {
        if !args.is_empty() {
            return Err(err(
                at.to_owned(),
                format!("the custom transform `{name}` takes no arguments"),
            ));
        }
        return Ok(Arc::clone(c));
    }
    match transforms::builtin(name, args) {
        Some(Ok(t)) => Ok(t),
        Some(Err(message)) => Err(err(at.to_owned(), message)),
        None => {
            let mut known: Vec<&str> = BUILTIN_NAMES.to_vec();
            known.extend(custom.keys().map(String::as_str));
            known.sort_unstable();
            Err(err(
                at.to_owned(),
                format!("unknown transform `{name}`: expected one of {}", known.join(", ")),
            ))
        }
    }
}

/// The cases of a `cases` rule at `at`, each checked and compiled.
fn compile_cases(
    cases: &[CaseSpec],
    at: &str,
    scope: &Scope<'_>,
) -> Result<Vec<Case>, MappingError> {
    let err = scope.err;
    if cases.is_empty() {
        return Err(err(format!("{at}/cases"), "expected at least one case".into()));
    }
    let mut seen: HashSet<&str> = HashSet::new();
    let mut out = Vec::with_capacity(cases.len());
    for (i, case) in cases.iter().enumerate() {
        let case_at = format!("{at}/cases/{i}");
        if case.when.is_empty() {
            return Err(err(format!("{case_at}/when"), "expected at least one value".into()));
        }
        for (j, w) in case.when.iter().enumerate() {
            if !seen.insert(w.as_str()) {
                return Err(err(
                    format!("{case_at}/when/{j}"),
                    format!(
                        "expected each value in one case only, but `{w}` is in an earlier case"
                    ),
                ));
            }
        }
        let rules = match (&case.canonical, &case.each) {
            (Some(target), Some(each)) => {
                check_pointer(target, format!("{case_at}/canonical"), err)?;
                let items = canonical_place(target, &case_at, scope)?.child("0");
                if items.is_empty() {
                    return Err(err(
                        format!("{case_at}/canonical"),
                        format!(
                            "expected an array for a case, but {target} in {} is not one",
                            scope.what
                        ),
                    ));
                }
                let inner = Scope {
                    err,
                    custom: scope.custom,
                    vendor: scope.vendor,
                    place: items,
                    what: format!("an element of {target} in {}", scope.what),
                    top: false,
                };
                compile_rules(each, &format!("{case_at}/each"), &inner)?
            }
            (None, None) => Vec::new(),
            (Some(_), None) => {
                return Err(err(case_at, "a case with `canonical` needs `each`".into()));
            }
            (None, Some(_)) => {
                return Err(err(
                    case_at,
                    "a case with `each` needs `canonical` (a case without one keeps its items)"
                        .into(),
                ));
            }
        };
        let mut needs = Vec::new();
        for (j, n) in case.needs.iter().flatten().enumerate() {
            check_pointer(n, format!("{case_at}/needs/{j}"), err)?;
            needs.push(Path::new(n));
        }
        if !needs.is_empty() && case.canonical.is_none() {
            return Err(err(
                format!("{case_at}/needs"),
                "`needs` goes with a case's `canonical`".into(),
            ));
        }
        out.push(Case {
            when: case.when.clone(),
            canonical: case.canonical.as_deref().map(Path::new),
            rules,
            needs,
        });
    }
    Ok(out)
}

/// A money rule's `side`, checked against the place it writes.
fn side_rule(side: &SideSpec, at: &str, scope: &Scope<'_>) -> Result<SideRule, MappingError> {
    let err = scope.err;
    check_pointer(&side.canonical, format!("{at}/canonical"), err)?;
    let place = canonical_place(&side.canonical, at, scope)?;
    let allowed = place.strings().unwrap_or_default();
    let check = |value: &str, where_: String| {
        if allowed.is_empty() || allowed.contains(&value) {
            Ok(())
        } else {
            Err(err(
                where_,
                format!(
                    "expected one of {} (the values of {}), but found `{value}`",
                    listed(&allowed),
                    side.canonical
                ),
            ))
        }
    };
    let form = match (&side.positive, &side.negative, &side.columns) {
        (Some(p), Some(n), None) => {
            check(p, format!("{at}/positive"))?;
            check(n, format!("{at}/negative"))?;
            SideForm::Signed { positive: p.clone(), negative: n.clone() }
        }
        (None, None, Some(columns)) if columns.len() >= 2 => {
            let mut out = Vec::with_capacity(columns.len());
            for (side_value, column) in columns {
                check(side_value, join(&format!("{at}/columns"), side_value))?;
                check_pointer(column, join(&format!("{at}/columns"), side_value), err)?;
                out.push((side_value.clone(), Path::new(column)));
            }
            SideForm::Columns(out)
        }
        _ => {
            return Err(err(
                at.to_owned(),
                "expected `positive` and `negative` (a signed amount) or `columns` with a vendor column for each side".into(),
            ));
        }
    };
    Ok(SideRule { canonical: Path::new(&side.canonical), form })
}

/// A money rule's `tax_included`, its pointers checked.
fn tax_rule(t: &TaxIncludedSpec, at: &str, scope: &Scope<'_>) -> Result<TaxRule, MappingError> {
    let err = scope.err;
    for (key, p) in [("when", &t.when), ("canonical", &t.canonical)] {
        check_pointer(p.strip_prefix('^').unwrap_or(p), format!("{at}/{key}"), err)?;
    }
    check_pointer(&t.tax, format!("{at}/tax"), err)?;
    check_pointer(&t.canonical_tax, format!("{at}/canonical_tax"), err)?;
    canonical_place(&t.canonical_tax, at, scope)?;
    if t.values.is_empty() {
        return Err(err(format!("{at}/values"), "expected at least one value".into()));
    }
    let per = match (&t.per, &t.canonical_per) {
        (None, None) => None,
        (Some(v), Some(c)) => {
            check_pointer(v, format!("{at}/per"), err)?;
            check_pointer(c, format!("{at}/canonical_per"), err)?;
            canonical_place(c, at, scope)?;
            Some((Path::new(v), Path::new(c)))
        }
        _ => {
            return Err(err(
                at.to_owned(),
                "`per` and `canonical_per` go together (the vendor and the canonical quantity)"
                    .into(),
            ));
        }
    };
    Ok(TaxRule {
        per,
        when: Anchored::new(&t.when),
        values: t.values.clone(),
        canonical: Anchored::new(&t.canonical),
        tax: Path::new(&t.tax),
        canonical_tax: Path::new(&t.canonical_tax),
    })
}
