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

/// The canonical place a rule writes, and whether it adds to a list there
/// (reference and external-ref rules) rather than setting a value.
pub(super) fn written(rule: &Rule) -> Option<(std::borrow::Cow<'_, str>, bool)> {
    let target = rule.canonical_str()?;
    Some(match &rule.kind {
        // A reference adds an external ref to the reference's own list.
        Kind::Reference { list, .. } => (std::borrow::Cow::Borrowed(list.as_str()), true),
        Kind::ExternalRef(_) => (std::borrow::Cow::Borrowed(target), true),
        _ => (std::borrow::Cow::Borrowed(target), false),
    })
}

/// No two rules of one list (the file's, or one `each`'s) write the same
/// canonical place, or one a place inside the other's: on the way in the
/// later value would replace the earlier one. Rules that add to a list
/// (reference and external-ref rules) may share it.
pub(super) fn check_targets(
    rules: &[Rule],
    base: &str,
    err: &dyn Fn(String, String) -> MappingError,
) -> Result<(), MappingError> {
    let mut seen: Vec<(usize, std::borrow::Cow<'_, str>, bool)> = Vec::new();
    for (i, rule) in rules.iter().enumerate() {
        let Some((place, appends)) = written(rule) else { continue };
        for (j, other, other_appends) in &seen {
            let clash = if place == *other {
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
                    "expected one rule per canonical field, but {first} and {second} both write {place} (only reference and external_ref rules may share a target: they add to a list)"
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
            .collect(),
        Kind::CanonicalConstant(Value::String(c)) => vec![(join(at, "constant"), c.as_str())],
        // A default is written as it is, with no transform.
        Kind::Copy { transform: None, default: Some(Value::String(d)) } => {
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
        && !matches!(kind, Kind::Each(_))
    {
        let place = canonical_place(target, at, scope)?;
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
        vendor: vendor.iter().map(|p| Path::new(p)).collect(),
        kind,
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
        check_pointer(p, where_, err)?;
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
        (s.transform.is_some(), "transform"),
    ]
    .into_iter()
    .filter_map(|(present, name)| present.then_some(name))
    .collect();
    if kinds.len() > 1 {
        return Err(err(
            at.to_owned(),
            format!(
                "expected one of constant, enum, money, reference, external_ref, each, collect or transform, but found {}",
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
    if s.default.is_some() && !(kinds.is_empty() || kinds == ["transform"]) {
        return Err(err(
            format!("{at}/default"),
            "`default` only goes with a plain or transformed copy".into(),
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
            s.fallback.clone(),
            s.reverse_fallback.clone(),
        ))
    } else if let Some(money) = &s.money {
        need("`vendor` and `canonical`", has_v && has_c)?;
        let cur = money.currency.strip_prefix('^');
        let from_root = cur.is_some();
        let cur = cur.unwrap_or(&money.currency);
        check_pointer(cur, format!("{at}/money/currency"), err)?;
        Kind::Money(MoneyRule { spec: money.clone(), currency: Path::new(cur), from_root })
    } else if let Some(object_type) = &s.reference {
        need("`vendor` and `canonical`", has_v && has_c)?;
        let target = s.canonical.as_deref().unwrap_or_default();
        Kind::Reference {
            object_type: object_type.clone(),
            list: Path::new(&cat(target, "/external_refs")),
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
        Kind::Copy { transform, default: s.default.clone() }
    })
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
