//! The declarative engine: a [`MappingSpec`] compiled into a [`Mapper`].

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;

use crate::json;
use crate::json::{Map, Value};
use rust_decimal::Decimal;

use super::pointer::{self, covers, join};
use super::spec::{
    AmountEncoding, CodeCase, MAX_MINOR_UNITS, MappingSpec, MoneySpec, RuleSpec, TransformSpec,
};
use super::transforms::{self, BUILTIN_NAMES, Transform};
use super::{Loss, LossKind, Mapped, Mapper, MappingError};
use crate::model::{Contract, Customer, Entity, Extensions, Invoice, JournalEntry, Payment};
use crate::money::{Currency, Rounding, parse_decimal, parse_json_number};
use crate::schema::SchemaPlace;

/// Reserved keys inside `extensions.<vendor>` that carry the engine's own
/// notes for the way back.
const ALTERNATIVES: &str = "$alternatives";
const DEFAULTED: &str = "$defaulted";

/// A mapper driven by a mapping file.
#[derive(Debug)]
pub struct DeclarativeMapper {
    vendor: String,
    object: String,
    entity: Entity,
    minor_units: BTreeMap<String, u32>,
    rules: Vec<Rule>,
}

#[derive(Debug)]
struct Rule {
    canonical: Option<String>,
    vendor: Vec<String>,
    kind: Kind,
}

#[derive(Debug)]
enum Kind {
    Copy {
        transform: Option<Arc<dyn Transform>>,
        default: Option<Value>,
    },
    CanonicalConstant(Value),
    VendorConstant(Value),
    Enum {
        table: Vec<(String, String)>,
        fallback: Option<String>,
        reverse_fallback: Option<String>,
    },
    Money(MoneySpec),
    Reference(String),
    ExternalRef(String),
    Each(Vec<Rule>),
    Collect(Vec<String>),
}

impl DeclarativeMapper {
    /// Compiles a mapping file. `file` names it in errors; `custom` holds the
    /// transforms registered at run time.
    ///
    /// # Errors
    ///
    /// [`MappingError::InvalidSpec`] naming the file, the JSON Pointer of the
    /// offending rule and the problem.
    pub fn compile(
        spec: &MappingSpec,
        file: &str,
        custom: &HashMap<String, Arc<dyn Transform>>,
    ) -> Result<DeclarativeMapper, MappingError> {
        let err = |pointer: String, message: String| MappingError::InvalidSpec {
            file: file.to_owned(),
            pointer,
            message,
        };
        if spec.vendor.is_empty()
            || !spec
                .vendor
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_')
        {
            return Err(err(
                "/vendor".into(),
                format!(
                    "expected a lower-case vendor name such as `stripe`, but found `{}`",
                    spec.vendor
                ),
            ));
        }
        if spec.object.is_empty() {
            return Err(err(
                "/object".into(),
                "expected the vendor object's name, but found an empty string".into(),
            ));
        }
        for (code, units) in &spec.minor_units {
            if Currency::from_code(code).is_err() {
                return Err(err(
                    join("/minor_units", code),
                    format!("expected an ISO 4217 code, but found `{code}`"),
                ));
            }
            if *units > MAX_MINOR_UNITS {
                return Err(err(
                    join("/minor_units", code),
                    format!(
                        "expected minor units from 0 to {MAX_MINOR_UNITS} (what amounts can be carried in and back in), but found {units}"
                    ),
                ));
            }
        }
        let scope = Scope {
            err: &err,
            custom,
            vendor: &spec.vendor,
            place: SchemaPlace::root(crate::schema::entity_schema_value(spec.entity)),
            what: format!("the {} entity", spec.entity),
            top: true,
        };
        let rules = compile_rules(&spec.rules, "/rules", &scope)?;
        Ok(DeclarativeMapper {
            vendor: spec.vendor.clone(),
            object: spec.object.clone(),
            entity: spec.entity,
            minor_units: spec.minor_units.clone(),
            rules,
        })
    }

    /// The minor units the vendor counts `currency` in: the mapping file's
    /// `minor_units` override, else ISO 4217's. `None` for currencies
    /// without minor units (XAU) and no override.
    pub fn minor_units_of(&self, currency: Currency) -> Option<u32> {
        self.minor_units.get(currency.code()).copied().or_else(|| currency.minor_units())
    }

    fn input_error(&self, pointer: impl Into<String>, message: impl Into<String>) -> MappingError {
        MappingError::InvalidInput {
            vendor: self.vendor.clone(),
            object: self.object.clone(),
            pointer: pointer.into(),
            message: message.into(),
        }
    }

    fn exponent(&self, currency: Currency, at: &str) -> Result<u32, MappingError> {
        match self.minor_units.get(currency.code()) {
            Some(e) => Ok(*e),
            None => currency.minor_units().ok_or_else(|| {
                self.input_error(at, format!("{currency} has no minor units to count in"))
            }),
        }
    }
}

/// What the rules of one list (the file's, or one `each`'s) are compiled
/// and checked against.
struct Scope<'a> {
    err: &'a dyn Fn(String, String) -> MappingError,
    custom: &'a HashMap<String, Arc<dyn Transform>>,
    /// The file's vendor: `extensions.<vendor>` is the engine's.
    vendor: &'a str,
    /// The entity schema's place the list's canonical pointers start from.
    place: SchemaPlace<'static>,
    /// That place, for messages: `a customer record`.
    what: String,
    /// True for the file's own rules, whose pointers start at the record.
    top: bool,
}

fn compile_rules(
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
fn written(rule: &Rule) -> Option<(std::borrow::Cow<'_, str>, bool)> {
    let target = rule.canonical.as_deref()?;
    Some(match rule.kind {
        // A reference adds an external ref to the reference's own list.
        Kind::Reference(_) => (std::borrow::Cow::Owned(cat(target, "/external_refs")), true),
        Kind::ExternalRef(_) => (std::borrow::Cow::Borrowed(target), true),
        _ => (std::borrow::Cow::Borrowed(target), false),
    })
}

/// No two rules of one list (the file's, or one `each`'s) write the same
/// canonical place, or one a place inside the other's: on the way in the
/// later value would replace the earlier one. Rules that add to a list
/// (reference and external-ref rules) may share it.
fn check_targets(
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

fn check_pointer(
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
fn canonical_place(
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
fn listed(names: &[&str]) -> String {
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
fn check_strings(
    s: &RuleSpec,
    kind: &Kind,
    place: &SchemaPlace<'_>,
    at: &str,
    err: &dyn Fn(String, String) -> MappingError,
) -> Result<(), MappingError> {
    let target = s.canonical.as_deref().unwrap_or_default();
    let written: Vec<(String, &str)> = match kind {
        Kind::Enum { table, fallback, .. } => table
            .iter()
            .map(|(k, v)| (join(&join(at, "enum"), k), v.as_str()))
            .chain(fallback.iter().map(|f| (join(at, "fallback"), f.as_str())))
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

fn compile_rule(s: &RuleSpec, at: &str, scope: &Scope<'_>) -> Result<Rule, MappingError> {
    let (err, custom) = (scope.err, scope.custom);
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
    if let Some(c) = &s.canonical {
        check_pointer(c, format!("{at}/canonical"), err)?;
    }
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
    let has_v = !vendor.is_empty();
    let has_c = s.canonical.is_some();
    let kind = if let Some(constant) = &s.constant {
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
        Kind::Enum {
            table: table.iter().map(|(k, v)| (k.clone(), v.clone())).collect(),
            fallback: s.fallback.clone(),
            reverse_fallback: s.reverse_fallback.clone(),
        }
    } else if let Some(money) = &s.money {
        need("`vendor` and `canonical`", has_v && has_c)?;
        let cur = money.currency.strip_prefix('^').unwrap_or(&money.currency);
        check_pointer(cur, format!("{at}/money/currency"), err)?;
        Kind::Money(money.clone())
    } else if let Some(object_type) = &s.reference {
        need("`vendor` and `canonical`", has_v && has_c)?;
        Kind::Reference(object_type.clone())
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
            custom,
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
        Kind::Collect(collect.clone())
    } else {
        if !(has_v && has_c) {
            return Err(err(
                at.to_owned(),
                "expected `vendor` and `canonical` (or a `constant` with one of them)".into(),
            ));
        }
        let transform = match &s.transform {
            None => None,
            Some(t) => Some(resolve_transform(t, &format!("{at}/transform"), err, custom)?),
        };
        Kind::Copy { transform, default: s.default.clone() }
    };
    if let Some(target) = s.canonical.as_deref()
        && !matches!(kind, Kind::Each(_))
    {
        let place = canonical_place(target, at, scope)?;
        if matches!(kind, Kind::Reference(_)) && place.child("external_refs").is_empty() {
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
    Ok(Rule { canonical: s.canonical.clone(), vendor, kind })
}

fn resolve_transform(
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

/// State of one vendor → canonical run.
struct Forward<'a> {
    m: &'a DeclarativeMapper,
    root: &'a Value,
    /// False for a check-only run: no residue is built, so nothing
    /// consumed needs recording.
    keep: bool,
    consumed: HashSet<String>,
    alternatives: Map,
    defaulted: Vec<Value>,
    collected: Map,
    absent: Vec<Value>,
    items: Map,
    losses: Vec<Loss>,
}

/// More reserved keys of `extensions.<vendor>` (beside [`ALTERNATIVES`] and
/// [`DEFAULTED`]): the vendor places a `collect` rule read its items from,
/// when they were not the first ones in order; the vendor constants the
/// payload did not have; the ids of the items an `each` rule made, which
/// tell the way back which kept values belong to which item.
const COLLECTED: &str = "$collected";
const ABSENT: &str = "$absent";
const ITEMS: &str = "$items";

impl Forward<'_> {
    /// Records that the vendor value at `at` is carried by the canonical
    /// record (so it is not kept in the residue).
    fn consume(&mut self, at: String) {
        if self.keep {
            self.consumed.insert(at);
        }
    }

    /// Runs `rules` with the vendor element at `v_at` and the canonical
    /// element `c` at `c_at`.
    fn run(
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
                let chosen = Value::String(p.clone());
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
                            None => self.absent.push(Value::String(cat(v_at, p))),
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
                            None => Some(y.clone()),
                        };
                        self.keep_or_consume(&cat(v_at, p), x, &y, back.as_ref());
                        let placed = pointer::set(c, c_rel, y);
                        self.placed(placed, v_at, p, c_abs);
                    }
                    None => {
                        if let Some(d) = default {
                            pointer::set(c, c_rel, d.clone());
                            self.defaulted.push(Value::String(c_abs.to_string()));
                        }
                    }
                },
                Kind::Enum { table, fallback, .. } => {
                    if let Some((_, p, x)) = found {
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
                                let placed = pointer::set(c, c_rel, Value::String(f.clone()));
                                self.placed(placed, v_at, p, c_abs);
                                continue;
                            }
                            (None, None) => {
                                return Err(self.m.input_error(
                                    &at,
                                    format!("expected a string, but found {x}"),
                                ));
                            }
                        };
                        let y = match table.iter().find(|(k, _)| k == key) {
                            Some((_, y)) => {
                                // Several vendor values may share a canonical
                                // value; only the one the way back writes is
                                // consumed, the others stay in extensions.
                                if table.iter().find(|(_, v)| v == y).map(|(k, _)| k)
                                    == Some(&key.to_owned())
                                {
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
                                    let known: Vec<&str> =
                                        table.iter().map(|(k, _)| k.as_str()).collect();
                                    return Err(self.m.input_error(
                                        at,
                                        format!(
                                            "expected one of {}, but found `{key}`",
                                            known.join(", ")
                                        ),
                                    ));
                                }
                            },
                        };
                        let placed = pointer::set(c, c_rel, Value::String(y));
                        self.placed(placed, v_at, p, c_abs);
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
                        let places = read.into_iter().map(|p| Value::String(p.clone())).collect();
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
    fn reference_id<'x>(
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
    fn push_external_ref(&self, c: &mut Value, list: &str, object_type: &str, id: &str) -> bool {
        let entry = json!({"system": self.m.vendor, "object_type": object_type, "id": id});
        match pointer::get(c, list) {
            Some(Value::Array(_)) => pointer::set(c, &format!("{list}/-"), entry),
            _ => pointer::set(c, list, Value::Array(vec![entry])),
        }
    }

    /// After writing the value read at `at` to the canonical `c_abs`: when
    /// it could not be written there (an array index out of reach, a scalar
    /// in the way), the vendor value stays in extensions and is reported.
    fn placed(&mut self, placed: bool, v_at: &str, p: &str, c_abs: &str) {
        if !placed {
            self.unplaced(&cat(v_at, p), c_abs);
        }
    }

    /// A whole vendor value (an array an `each` rule mapped, an item a
    /// `collect` rule read) at `at` that has no place at `c_abs`: nothing
    /// below `at` counts as consumed, and the loss is reported.
    fn unplaced(&mut self, at: &str, c_abs: &str) {
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
    fn keep_or_consume(
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

    fn money(
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

impl DeclarativeMapper {
    /// The vendor form of an amount, with a loss message when it had to be
    /// rounded to the vendor's minor units.
    fn money_amount_out(
        &self,
        spec: &MoneySpec,
        amount: Decimal,
        currency: Currency,
        at: &str,
    ) -> Result<(Value, Option<String>), MappingError> {
        match spec.encoding {
            AmountEncoding::MinorUnits => {
                let exp = self.exponent(currency, at)?;
                let rounded = crate::money::Money::new(amount, currency)
                    .round_dp(exp, Rounding::HalfEven)
                    .amount();
                let note = (rounded != amount).then(|| {
                    format!(
                        "{amount} {currency} rounded to {rounded}: the vendor counts in minor units"
                    )
                });
                let factor = Decimal::from(
                    10i64
                        .checked_pow(exp)
                        .ok_or_else(|| self.input_error(at, "exponent out of range"))?,
                );
                // Exact in decimal: no 64-bit limit, so a 20-digit count of
                // minor units goes back as it came.
                let minor = rounded
                    .checked_mul(factor)
                    .filter(|m| m.fract().is_zero())
                    .map(|m| m.trunc())
                    .ok_or_else(|| {
                        self.input_error(
                            at,
                            format!("{amount} {currency} in minor units is out of range"),
                        )
                    })?;
                Ok((Value::from(minor), note))
            }
            AmountEncoding::Decimal => {
                let n: crate::json::Number = amount
                    .to_string()
                    .parse()
                    .map_err(|_| self.input_error(at, "amount out of range"))?;
                Ok((Value::Number(n), None))
            }
            AmountEncoding::MinorUnitsDecimal => {
                let exp = self.exponent(currency, at)?;
                let minor = major_to_minor(amount, exp).ok_or_else(|| {
                    self.input_error(
                        at,
                        format!("{amount} {currency} in minor units is out of range"),
                    )
                })?;
                Ok((Value::String(minor.to_string()), None))
            }
        }
    }
}

/// State of one canonical → vendor run.
struct Reverse<'a> {
    m: &'a DeclarativeMapper,
    residue: Value,
    alternatives: Map,
    defaulted: HashSet<String>,
    collected: Map,
    absent: HashSet<String>,
    items: Map,
    covered: Vec<String>,
    losses: Vec<Loss>,
}

impl Reverse<'_> {
    /// The original vendor value kept at `at`. It stays in the residue:
    /// another rule may read the same vendor value (a period's start read
    /// as a line's and as the document's), and what a rule writes is laid
    /// over the residue anyway.
    fn original(&self, at: &str) -> Option<Value> {
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
    fn align(&mut self, at: &str, c_abs: &str, items: &[Value]) {
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
    fn missing_item(&self, rules: &[Rule], out: &Value, v_at: &str, p: &str) -> Option<String> {
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
    fn no_item(&mut self, c_abs: &str, array: &str) {
        self.losses.push(Loss::new(
            LossKind::Unsupported,
            c_abs,
            format!(
                "{} {} keeps this on an item of {array}, and the record has no such item",
                self.m.vendor, self.m.object
            ),
        ));
    }

    fn vendor_pointer<'r>(&self, rule: &'r Rule, c_abs: &str) -> Option<&'r str> {
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

    fn run(
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
                                .as_ref()
                                == Some(y) =>
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
                    if let Some(array) = self.missing_item(rules, out, v_at, &p) {
                        self.no_item(c_abs, &array);
                        continue;
                    }
                    let at = cat(v_at, &p);
                    let y_str = y.as_str().unwrap_or_default();
                    let orig = self.original(&at);
                    // An original outside the table (or not a string at all)
                    // came in through the fallback: it still stands while
                    // the record holds it.
                    let original_maps_here = orig.as_ref().is_some_and(|o| {
                        o.as_str()
                            .and_then(|o| table.iter().find(|(k, _)| k == o))
                            .map(|(_, v)| v.as_str())
                            .or(fallback.as_deref())
                            == Some(y_str)
                    });
                    let x = match (orig, original_maps_here) {
                        (Some(o), true) => o,
                        _ => {
                            match table.iter().find(|(_, v)| v == y_str) {
                                Some((k, _)) => Value::String(k.clone()),
                                None => {
                                    match reverse_fallback {
                                        Some(f) => {
                                            self.losses.push(Loss::new(LossKind::Fallback, c_abs, format!("`{y_str}` has no {} equivalent; written as `{f}`", self.m.vendor)));
                                            Value::String(f.clone())
                                        }
                                        // Another rule writes this vendor
                                        // field (a label kept beside a
                                        // scheme): that one speaks for it.
                                        None if rules.iter().any(|r| {
                                            !std::ptr::eq(r, rule) && r.vendor.contains(&p)
                                        }) =>
                                        {
                                            continue;
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
                                            continue;
                                        }
                                    }
                                }
                            }
                        }
                    };
                    pointer::set(out, &p, x);
                }
                Kind::Money(spec) => {
                    let Some(y) = value else { continue };
                    self.covered.push(c_abs.to_string());
                    let Some(p) = vp else { continue };
                    if let Some(array) = self.missing_item(rules, out, v_at, &p) {
                        self.no_item(c_abs, &array);
                        continue;
                    }
                    let at = cat(v_at, &p);
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
                        continue;
                    }
                    let exp = self.m.exponent(money.currency(), c_abs)?;
                    let chosen = match self.original(&at) {
                        Some(orig)
                            if original_amount(&orig, spec.encoding, exp)
                                == Some(money.amount()) =>
                        {
                            orig
                        }
                        _ => {
                            if let Some(n) = note {
                                self.losses.push(Loss::new(LossKind::Lossy, c_abs, n));
                            }
                            generated
                        }
                    };
                    pointer::set(out, &p, chosen);
                    if cur_target.is_some() {
                        let cur_at = cat(v_at, &cur_ptr);
                        let orig = self.original(&cur_at);
                        let cur = match orig {
                            Some(o)
                                if o.as_str().is_some_and(|s| s.eq_ignore_ascii_case(&code)) =>
                            {
                                o
                            }
                            _ => Value::String(code),
                        };
                        pointer::set(out, &cur_ptr, cur);
                    } else {
                        // Root-level currency: written by the root's own rules.
                    }
                }
                Kind::Reference(object_type) => {
                    let Some(y) = value else { continue };
                    self.covered.push(c_abs.to_string());
                    let Some(p) = vp else { continue };
                    let at = cat(v_at, &p);
                    let id = y
                        .get("external_refs")
                        .and_then(Value::as_array)
                        .and_then(|refs| {
                            refs.iter().find(|r| {
                                r.get("system").and_then(Value::as_str)
                                    == Some(self.m.vendor.as_str())
                                    && r.get("object_type").and_then(Value::as_str)
                                        == Some(object_type.as_str())
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
                        let served =
                            y.get("external_refs").and_then(Value::as_array).is_some_and(|refs| {
                                refs.iter().any(|r| {
                                    r.get("system").and_then(Value::as_str)
                                        == Some(self.m.vendor.as_str())
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
                        continue;
                    };
                    let chosen = match self.original(&at) {
                        Some(orig)
                            if orig.get("id").and_then(Value::as_str) == Some(id.as_str()) =>
                        {
                            orig
                        }
                        _ => Value::String(id),
                    };
                    pointer::set(out, &p, chosen);
                }
                Kind::ExternalRef(object_type) => {
                    let Some(Value::Array(refs)) = value else { continue };
                    let Some(p) = vp else { continue };
                    let found = refs.iter().enumerate().find(|(_, r)| {
                        r.get("system").and_then(Value::as_str) == Some(self.m.vendor.as_str())
                            && r.get("object_type").and_then(Value::as_str)
                                == Some(object_type.as_str())
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

/// A count of minor units: a JSON integer (no fraction, no exponent), read
/// from its text, of any length a decimal holds.
fn minor_units(v: &Value) -> Option<Decimal> {
    let n = v.as_number().filter(|n| n.is_integer_text())?;
    parse_json_number(n.as_str()).ok()
}

/// `minor` minor units at exponent `exp`: `1999` at 2 is `19.99`.
fn shift(minor: Decimal, exp: u32) -> Option<Decimal> {
    let mut amount = minor;
    amount.set_scale(exp).ok()?;
    Some(amount)
}

fn original_amount(orig: &Value, encoding: AmountEncoding, exp: u32) -> Option<Decimal> {
    match (encoding, orig) {
        (AmountEncoding::MinorUnits, Value::Number(_)) => shift(minor_units(orig)?, exp),
        (AmountEncoding::Decimal, Value::Number(n)) => parse_json_number(n.as_str()).ok(),
        (AmountEncoding::Decimal, Value::String(s)) => parse_decimal(s).ok(),
        (AmountEncoding::MinorUnitsDecimal, Value::Number(n)) => {
            minor_to_major(parse_json_number(n.as_str()).ok()?, exp)
        }
        (AmountEncoding::MinorUnitsDecimal, Value::String(s)) => {
            minor_to_major(parse_decimal(s).ok()?, exp)
        }
        _ => None,
    }
}

/// An amount counted in more minor units than ISO 4217 gives its currency
/// (a `minor_units` override: Stripe counts ISK in hundredths) at the ISO
/// scale when nothing is lost: `123.00` ISK is `123`.
fn iso_scale(amount: Decimal, currency: Currency) -> Decimal {
    match currency.minor_units() {
        Some(iso) if amount.scale() > iso && amount.normalize().scale() <= iso => {
            let mut a = amount;
            a.rescale(iso);
            a
        }
        _ => amount,
    }
}

/// A count of minor units as an amount: the decimal point moves `exp`
/// places to the left (`4900` → `49.00`, `0.012` → `0.00012`).
fn minor_to_major(minor: Decimal, exp: u32) -> Option<Decimal> {
    let scale = minor.scale().checked_add(exp)?;
    if scale > 28 {
        return None;
    }
    Decimal::try_from_i128_with_scale(minor.mantissa(), scale).ok()
}

/// An amount as a count of minor units: the decimal point moves `exp`
/// places to the right (`49.00` → `4900`, `0.00012` → `0.012`).
fn major_to_minor(amount: Decimal, exp: u32) -> Option<Decimal> {
    match amount.scale().checked_sub(exp) {
        Some(scale) => Decimal::try_from_i128_with_scale(amount.mantissa(), scale).ok(),
        None => {
            let factor = 10i128.checked_pow(exp.checked_sub(amount.scale())?)?;
            Decimal::try_from_i128_with_scale(amount.mantissa().checked_mul(factor)?, 0).ok()
        }
    }
}

/// `a` followed by `b`: a pointer and a relative pointer joined, without
/// the formatting machinery (the engine joins pointers for every value).
fn cat(a: &str, b: &str) -> String {
    let mut out = String::with_capacity(a.len().saturating_add(b.len()));
    out.push_str(a);
    out.push_str(b);
    out
}

/// `base` followed by `rel`, borrowed when `base` is empty (a top-level
/// rule): most pointers the engine builds need no allocation.
fn concat<'a>(base: &str, rel: &'a str) -> std::borrow::Cow<'a, str> {
    if base.is_empty() {
        std::borrow::Cow::Borrowed(rel)
    } else {
        std::borrow::Cow::Owned(cat(base, rel))
    }
}

/// What the rules of a mapping file made of a vendor payload, before the
/// residue is built: the canonical values and losses, which Rust glue may
/// add to, and what [`DeclarativeMapper::finish`] needs for the residue.
///
/// Made by [`DeclarativeMapper::forward_rules`] (which records what the
/// rules consumed) or [`DeclarativeMapper::forward_values`] (which does
/// not: its residue would be the whole payload).
#[derive(Debug)]
#[non_exhaustive]
pub struct ForwardRun {
    /// The canonical record so far (no residue yet).
    pub canonical: Value,
    /// The losses so far.
    pub losses: Vec<Loss>,
    consumed: HashSet<String>,
    alternatives: Map,
    defaulted: Vec<Value>,
    collected: Map,
    absent: Vec<Value>,
    items: Map,
}

impl ForwardRun {
    /// Keeps the vendor value at `pointer` (and everything below it) in the
    /// residue although a rule read it: for glue that replaces the
    /// canonical value the rule wrote.
    pub fn keep(&mut self, pointer: &str) {
        self.consumed.retain(|c| !covers(pointer, c));
    }
}

/// The vendor payload [`DeclarativeMapper::finish`] takes the residue from:
/// copied out of a borrowed one, moved out of an owned one.
#[derive(Debug)]
pub enum Payload<'a> {
    /// The caller keeps the payload.
    Borrowed(&'a Value),
    /// The payload is the mapper's to take apart.
    Owned(Value),
}

/// The part of the payload not consumed: what goes under
/// `extensions.<vendor>`. `None` when everything was consumed.
///
/// The consumed pointers become a tree of tokens, and only that tree is
/// walked: the payload's other members are never visited (an owned payload
/// is pruned in place; a borrowed one is cloned first).
fn residue(vendor: Payload<'_>, consumed: &HashSet<String>) -> Option<Value> {
    let mut tree = Consumed::default();
    for c in consumed {
        let mut node = &mut tree;
        for token in pointer::tokens(c) {
            node = node.children.entry(token).or_default();
        }
        node.here = true;
    }
    let mut value = match vendor {
        Payload::Borrowed(v) => v.clone(),
        Payload::Owned(v) => v,
    };
    tree.prune(&mut value).then_some(value)
}

/// The consumed pointers as a tree of reference tokens.
#[derive(Default)]
struct Consumed<'c> {
    /// The value here was consumed whole.
    here: bool,
    children: BTreeMap<std::borrow::Cow<'c, str>, Consumed<'c>>,
}

impl Consumed<'_> {
    /// Removes the consumed parts of `value` in place; false when nothing
    /// is left of it. An array element consumed whole leaves an empty object
    /// in its place, so that the positions of the others stay.
    fn prune(&self, value: &mut Value) -> bool {
        if self.here {
            return false;
        }
        match value {
            Value::Object(map) if !map.is_empty() => {
                for (token, node) in &self.children {
                    if let Some(member) = map.get_mut(token.as_ref())
                        && !node.prune(member)
                    {
                        map.remove(token.as_ref());
                    }
                }
                !map.is_empty()
            }
            Value::Array(items) if !items.is_empty() => {
                let mut emptied = 0usize;
                for (token, node) in &self.children {
                    if let Some(item) = pointer::index(token).and_then(|i| items.get_mut(i))
                        && !node.prune(item)
                    {
                        *item = Value::Object(Map::new());
                        emptied = emptied.saturating_add(1);
                    }
                }
                emptied < items.len()
            }
            _ => true,
        }
    }
}

/// The id of an item an `each` rule made (its `id` member, when a
/// string), or null.
fn item_id(item: &Value) -> Value {
    item.get("id").filter(|id| id.is_string()).cloned().unwrap_or(Value::Null)
}

/// `key` with the item index just below `base` changed as `moved` says
/// (old index, new index); `None` for a key below an item that is gone.
/// Keys not below `base` are returned as they are.
fn renumber(key: &str, base: &str, moved: &[(usize, usize)]) -> Option<String> {
    let Some(rest) = key.strip_prefix(base).and_then(|r| r.strip_prefix('/')) else {
        return Some(key.to_owned());
    };
    let (token, tail) = match rest.split_once('/') {
        Some((token, tail)) => (token, Some(tail)),
        None => (rest, None),
    };
    let Some(old) = pointer::index(token) else { return Some(key.to_owned()) };
    let (_, new) = moved.iter().find(|(o, _)| *o == old)?;
    let mut out = String::with_capacity(key.len());
    out.push_str(base);
    pointer::push_index(&mut out, *new);
    if let Some(tail) = tail {
        out.push('/');
        out.push_str(tail);
    }
    Some(out)
}

/// Makes room for the mappers' notes in a residue: a vendor member whose
/// name begins with `$` (the notes' prefix) is kept with one more `$`.
fn escape_notes(residue: &mut Map) {
    let clashing: Vec<String> = residue.keys().filter(|k| k.starts_with('$')).cloned().collect();
    for key in clashing {
        if let Some(v) = residue.remove(&key) {
            residue.insert(format!("${key}"), v);
        }
    }
}

/// Undoes [`escape_notes`] once the notes are taken out: `$$x` is the
/// vendor member `$x`. Other members whose name begins with a single `$`
/// are left as they are.
fn unescape_notes(residue: &mut Map) {
    let escaped: Vec<String> = residue.keys().filter(|k| k.starts_with("$$")).cloned().collect();
    for key in escaped {
        if let Some(v) = residue.remove(&key) {
            residue.insert(key.get(1..).unwrap_or_default().to_owned(), v);
        }
    }
}

/// Deserializes into the entity type and back: the canonical form, or the
/// place where the record is not a valid entity.
fn normalize(entity: Entity, value: Value) -> Result<Value, (String, String)> {
    fn via<T: serde::de::DeserializeOwned + serde::Serialize>(
        value: Value,
    ) -> Result<Value, (String, String)> {
        // Extensions (the residue, often most of the tree) pass through
        // as they are: only their namespace names need checking, so they
        // are not copied into the typed record and back.
        let mut value = value;
        let extensions = value.as_object_mut().and_then(|o| o.remove("extensions"));
        if let Some(Value::Object(ext)) = &extensions
            && let Some(bad) = ext.keys().find(|k| !Extensions::is_namespace(k))
        {
            return Err((join("/extensions", bad), format!("invalid extension namespace `{bad}`")));
        }
        // The fast path reads the tree in place; only a failure pays for
        // serde_path_to_error's tracking, to name the place.
        let mut out = match T::deserialize(&value) {
            Ok(typed) => {
                crate::json::to_value(&typed).map_err(|e| (String::new(), e.to_string()))?
            }
            Err(_) => match serde_path_to_error::deserialize::<_, T>(&value) {
                Ok(typed) => {
                    crate::json::to_value(&typed).map_err(|e| (String::new(), e.to_string()))?
                }
                Err(e) => return Err((pointer::from_serde_path(e.path()), e.inner().to_string())),
            },
        };
        match (extensions, out.as_object_mut()) {
            (Some(Value::Object(ext)), Some(o)) if !ext.is_empty() => {
                o.insert("extensions", Value::Object(ext));
            }
            (Some(Value::Object(_)) | None, _) => {}
            (Some(other), _) => {
                return Err((
                    "/extensions".into(),
                    format!("expected an object of namespaces, but found {other}"),
                ));
            }
        }
        Ok(out)
    }
    match entity {
        Entity::Customer => via::<Customer>(value),
        Entity::Contract => via::<Contract>(value),
        Entity::Invoice => via::<Invoice>(value),
        Entity::Payment => via::<Payment>(value),
        Entity::JournalEntry => via::<JournalEntry>(value),
    }
}

impl Mapper for DeclarativeMapper {
    fn vendor(&self) -> &str {
        &self.vendor
    }

    fn object(&self) -> &str {
        &self.object
    }

    fn entity(&self) -> Entity {
        self.entity
    }

    fn to_canonical(&self, vendor: &Value) -> Result<Mapped<Value>, MappingError> {
        let partial = self.to_canonical_partial(vendor)?;
        let normalized = self.normalize_canonical(partial.value)?;
        Ok(Mapped::new(normalized, partial.losses))
    }

    fn to_vendor(&self, canonical: &Value) -> Result<Mapped<Value>, MappingError> {
        self.reverse(canonical)
    }

    fn to_canonical_owned(&self, vendor: Value) -> Result<Mapped<Value>, MappingError> {
        self.canonical_from_owned(vendor)
    }

    fn to_vendor_owned(&self, canonical: Value) -> Result<Mapped<Value>, MappingError> {
        self.vendor_from_owned(canonical)
    }
}

impl DeclarativeMapper {
    /// Runs the rules vendor → canonical, residue and losses included, but
    /// does not check that the result is a complete canonical entity: for
    /// Rust glue that wraps a mapping file and adds the fields a file cannot
    /// compute (totals, derived statuses) before calling
    /// [`normalize_canonical`](DeclarativeMapper::normalize_canonical).
    /// [`Mapper::to_canonical`] is this followed by that.
    ///
    /// # Errors
    ///
    /// [`MappingError::InvalidInput`] naming the place in the vendor payload.
    pub fn to_canonical_partial(&self, vendor: &Value) -> Result<Mapped<Value>, MappingError> {
        let run = self.forward_rules(vendor)?;
        Ok(self.finish(run, Payload::Borrowed(vendor)))
    }

    /// Runs the rules vendor → canonical and records what they consumed.
    /// Glue adds its fields to [`ForwardRun::canonical`] (and may
    /// [`keep`](ForwardRun::keep) a consumed value in the residue), then
    /// [`finish`](DeclarativeMapper::finish) builds the residue and
    /// [`normalize_canonical`](DeclarativeMapper::normalize_canonical)
    /// checks the record.
    ///
    /// Glue that fills a field the file cannot compute:
    ///
    /// ```
    /// use std::collections::HashMap;
    /// use canonical_finance::mapping::{DeclarativeMapper, MappingSpec, Payload};
    /// use canonical_finance::json;
    ///
    /// let spec: MappingSpec = json::from_value(&json!({
    ///     "vendor": "acme", "object": "receipt", "entity": "payment", "rules": [
    ///         {"vendor": "/id", "canonical": "/id"},
    ///         {"canonical": "/direction", "constant": "received"},
    ///         {"vendor": "/day", "canonical": "/payment_date"},
    ///         {"vendor": "/cents", "canonical": "/amount",
    ///          "money": {"currency": "/ccy", "currency_case": "lower"}}]}))?;
    /// let mapper = DeclarativeMapper::compile(&spec, "acme/receipt.json", &HashMap::new())?;
    /// let receipt = json!({"id": "r1", "day": "2026-01-02", "cents": 1999, "ccy": "usd",
    ///                      "cleared": true, "memo": "desk 4"});
    ///
    /// let mut run = mapper.forward_rules(&receipt)?;
    /// // The glue: a status from a flag no rule maps; the flag stays in the residue.
    /// let cleared = receipt["cleared"] == json!(true);
    /// run.canonical["status"] = json!(if cleared { "completed" } else { "pending" });
    /// let partial = mapper.finish(run, Payload::Owned(receipt));
    /// let payment = mapper.normalize_canonical(partial.value)?;
    /// assert_eq!(payment["status"], "completed");
    /// assert_eq!(payment["amount"], json!({"amount": "19.99", "currency": "USD"}));
    /// assert_eq!(payment["extensions"]["acme"], json!({"cleared": true, "memo": "desk 4"}));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    ///
    /// # Errors
    ///
    /// [`MappingError::InvalidInput`] naming the place in the vendor payload.
    pub fn forward_rules(&self, vendor: &Value) -> Result<ForwardRun, MappingError> {
        self.run_rules(vendor, true)
    }

    /// The canonical values the rules make of `vendor`, recording nothing
    /// for a residue: for comparing what a payload carries (a mapper
    /// checking its own output) at a fraction of the cost of
    /// [`forward_rules`](DeclarativeMapper::forward_rules). Its losses are
    /// not complete.
    ///
    /// # Errors
    ///
    /// [`MappingError::InvalidInput`] naming the place in the vendor payload.
    pub fn forward_values(&self, vendor: &Value) -> Result<ForwardRun, MappingError> {
        self.run_rules(vendor, false)
    }

    fn run_rules(&self, vendor: &Value, keep: bool) -> Result<ForwardRun, MappingError> {
        if !vendor.is_object() {
            return Err(
                self.input_error("", format!("expected a {} {} object", self.vendor, self.object))
            );
        }
        let mut run = Forward {
            m: self,
            root: vendor,
            keep,
            consumed: HashSet::new(),
            alternatives: Map::new(),
            defaulted: Vec::new(),
            collected: Map::new(),
            absent: Vec::new(),
            items: Map::new(),
            losses: Vec::new(),
        };
        let mut canonical = Value::Object(Map::new());
        run.run(&self.rules, vendor, "", &mut canonical, "")?;
        // A value one rule changed but another carried exactly is not lost
        // (a timestamp read as a date and as an instant).
        let consumed = &run.consumed;
        run.losses.retain(|l| !(l.kind == LossKind::Lossy && consumed.contains(&l.path)));
        // Two rules reading one value (a period's start, as the line's and
        // as the document's) report its loss once.
        let mut seen = HashSet::new();
        run.losses.retain(|l| seen.insert((l.kind, l.path.clone(), l.reason.clone())));
        Ok(ForwardRun {
            canonical,
            losses: run.losses,
            consumed: run.consumed,
            alternatives: run.alternatives,
            defaulted: run.defaulted,
            collected: run.collected,
            absent: run.absent,
            items: run.items,
        })
    }

    /// Puts the residue of `vendor` (every value the run did not consume)
    /// and the engine's notes for the way back under
    /// `extensions.<vendor>`. `vendor` must be the payload the run read.
    pub fn finish(&self, run: ForwardRun, vendor: Payload<'_>) -> Mapped<Value> {
        let ForwardRun {
            mut canonical,
            losses,
            consumed,
            alternatives,
            defaulted,
            collected,
            absent,
            items,
        } = run;
        let mut kept = residue(vendor, &consumed).unwrap_or_else(|| Value::Object(Map::new()));
        if let Value::Object(map) = &mut kept {
            escape_notes(map);
            for (key, note) in [
                (ALTERNATIVES, Value::Object(alternatives)),
                (DEFAULTED, Value::Array(defaulted)),
                (COLLECTED, Value::Object(collected)),
                (ABSENT, Value::Array(absent)),
                (ITEMS, Value::Object(items)),
            ] {
                if note.as_object().is_some_and(|o| !o.is_empty())
                    || note.as_array().is_some_and(|a| !a.is_empty())
                {
                    map.insert(key.to_owned(), note);
                }
            }
        }
        if kept.as_object().is_some_and(|o| !o.is_empty()) {
            pointer::set(&mut canonical, &join("/extensions", &self.vendor), kept);
        }
        Mapped::new(canonical, losses)
    }

    /// [`Mapper::to_canonical`] for a payload the caller owns: the values
    /// kept in extensions are moved there, not copied.
    ///
    /// # Errors
    ///
    /// As [`Mapper::to_canonical`].
    fn canonical_from_owned(&self, vendor: Value) -> Result<Mapped<Value>, MappingError> {
        let run = self.forward_rules(&vendor)?;
        let partial = self.finish(run, Payload::Owned(vendor));
        let normalized = self.normalize_canonical(partial.value)?;
        Ok(Mapped::new(normalized, partial.losses))
    }

    /// Checks that `canonical` is a valid record of the mapper's entity and
    /// returns its canonical JSON form (fields in order, defaults omitted).
    ///
    /// # Errors
    ///
    /// [`MappingError::InvalidCanonical`] naming the place in the record.
    pub fn normalize_canonical(&self, canonical: Value) -> Result<Value, MappingError> {
        normalize(self.entity, canonical).map_err(|(pointer, message)| {
            MappingError::InvalidCanonical {
                vendor: self.vendor.clone(),
                object: self.object.clone(),
                entity: self.entity,
                pointer,
                message,
            }
        })
    }

    fn reverse(&self, canonical: &Value) -> Result<Mapped<Value>, MappingError> {
        let residue = pointer::get(canonical, &join("/extensions", &self.vendor)).cloned();
        let out = self.to_vendor_with_residue(canonical, residue)?;
        Ok(self.checked(canonical, out))
    }

    /// Completes the loss report of a payload written for `canonical`: it
    /// is mapped forward again, and every canonical value that does not
    /// come back (a date-time the vendor keeps to the second, a second
    /// value for a field one rule already wrote) is reported.
    fn checked(&self, canonical: &Value, mut out: Mapped<Value>) -> Mapped<Value> {
        match self.forward_values(&out.value) {
            Ok(again) => {
                self.report_unreturned(&self.vendor, canonical, &again.canonical, &mut out.losses);
            }
            Err(e) => out.losses.push(Loss::new(
                LossKind::Unsupported,
                "",
                format!("the {} {} written does not map back: {e}", self.vendor, self.object),
            )),
        }
        out
    }

    /// [`Mapper::to_vendor`] for a record the caller owns: the residue under
    /// `extensions.<vendor>` is moved into the vendor payload, not copied.
    ///
    /// # Errors
    ///
    /// As [`Mapper::to_vendor`].
    fn vendor_from_owned(&self, mut canonical: Value) -> Result<Mapped<Value>, MappingError> {
        let residue = self.take_residue(&mut canonical);
        let out = self.to_vendor_with_residue(&canonical, residue)?;
        Ok(self.checked(&canonical, out))
    }

    /// Takes `extensions.<vendor>` (the residue) out of a canonical record,
    /// and `extensions` too when nothing else is left in it: what
    /// [`to_vendor_with_residue`](DeclarativeMapper::to_vendor_with_residue)
    /// wants, moved rather than copied.
    pub fn take_residue(&self, canonical: &mut Value) -> Option<Value> {
        let residue = pointer::take(canonical, &join("/extensions", &self.vendor));
        if canonical.get("extensions").and_then(Value::as_object).is_some_and(Map::is_empty)
            && let Some(root) = canonical.as_object_mut()
        {
            root.remove("extensions");
        }
        residue
    }

    /// Canonical → vendor with the residue handed over: `canonical`'s values
    /// written over `residue` (what was kept under `extensions.<vendor>`,
    /// taken out by the caller, who may have moved it out of an owned
    /// record). `canonical` itself is read without its residue. For glue
    /// that changes a record before the rules run backwards.
    ///
    /// # Errors
    ///
    /// As [`Mapper::to_vendor`].
    pub fn to_vendor_with_residue(
        &self,
        canonical: &Value,
        residue: Option<Value>,
    ) -> Result<Mapped<Value>, MappingError> {
        if !canonical.is_object() {
            return Err(
                self.input_error("", format!("expected a canonical {} object", self.entity))
            );
        }
        let ext_pointer = join("/extensions", &self.vendor);
        let mut residue = match residue {
            None => Map::new(),
            Some(Value::Object(map)) => map,
            Some(other) => {
                return Err(self.input_error(
                    ext_pointer,
                    format!(
                        "expected an object (the {} values kept on the way in), but found {other}",
                        self.vendor
                    ),
                ));
            }
        };
        let strings = |v: Option<Value>| -> HashSet<String> {
            match v {
                Some(Value::Array(items)) => {
                    items.into_iter().filter_map(|v| v.as_str().map(str::to_owned)).collect()
                }
                _ => HashSet::new(),
            }
        };
        let objects = |v: Option<Value>| match v {
            Some(Value::Object(map)) => map,
            _ => Map::new(),
        };
        let alternatives = objects(residue.remove(ALTERNATIVES));
        let defaulted = strings(residue.remove(DEFAULTED));
        let collected = objects(residue.remove(COLLECTED));
        let absent = strings(residue.remove(ABSENT));
        let items = objects(residue.remove(ITEMS));
        unescape_notes(&mut residue);
        let mut run = Reverse {
            m: self,
            residue: Value::Object(residue),
            alternatives,
            defaulted,
            collected,
            absent,
            items,
            covered: Vec::new(),
            losses: Vec::new(),
        };
        let mut written = Value::Object(Map::new());
        run.run(&self.rules, canonical, "", &mut written, "")?;
        // The residue is most of the payload: the few written values are
        // laid over it rather than it being merged into them.
        let mut out = std::mem::take(&mut run.residue);
        pointer::overlay(&mut out, written);
        // Every canonical value no rule carried is a loss.
        let mut all = Vec::new();
        let covered: HashSet<&str> = run.covered.iter().map(String::as_str).collect();
        pointer::leaves_except(canonical, &|p| p == ext_pointer || covered.contains(p), &mut all);
        for leaf in all {
            run.losses.push(Loss::new(
                LossKind::Unsupported,
                &leaf,
                format!("{} {} has no field for it", self.vendor, self.object),
            ));
        }
        Ok(Mapped::new(out, run.losses))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    type Result = std::result::Result<(), Box<dyn std::error::Error>>;

    fn mapper(rules: Value) -> std::result::Result<DeclarativeMapper, Box<dyn std::error::Error>> {
        let spec: MappingSpec = crate::json::from_value(&json!({
            "vendor": "acme", "object": "thing", "entity": "payment", "rules": rules
        }))?;
        Ok(DeclarativeMapper::compile(&spec, "test.json", &HashMap::new())?)
    }

    /// The rules every payment needs, around the ones under test.
    fn payment(extra: Value) -> Value {
        let mut rules = vec![
            json!({"vendor": "/id", "canonical": "/id"}),
            json!({"canonical": "/direction", "constant": "received"}),
            json!({"canonical": "/status", "constant": "completed"}),
            json!({"vendor": "/day", "canonical": "/payment_date"}),
            json!({"vendor": "/cents", "canonical": "/amount", "money": {"currency": "/ccy", "currency_case": "lower"}}),
        ];
        if let Value::Array(more) = extra {
            rules.extend(more);
        }
        Value::Array(rules)
    }

    fn base() -> Value {
        json!({"id": "p1", "day": "2026-01-02", "cents": 1999, "ccy": "usd"})
    }

    fn with(mut v: Value, key: &str, x: Value) -> Value {
        if let Some(o) = v.as_object_mut() {
            o.insert(key.to_owned(), x);
        }
        v
    }

    #[test]
    fn minor_units_decimal_moves_the_point_exactly() -> Result {
        let m = mapper(payment(json!([
            {"vendor": "/fee", "canonical": "/fees/0/amount",
             "money": {"currency": "/ccy", "encoding": "minor_units_decimal", "currency_case": "lower"}}
        ])))?;
        for (minor, major) in [("4900", "49.00"), ("0.012", "0.00012"), ("4900.5", "49.005")] {
            let input = with(base(), "fee", json!(minor));
            let out = m.to_canonical(&input)?;
            assert_eq!(out.value.pointer("/fees/0/amount/amount"), Some(&json!(major)));
            assert!(out.is_exact(), "{:?}", out.losses);
            let mut bare = out.value.clone();
            if let Some(o) = bare.as_object_mut() {
                o.remove("extensions");
            }
            assert_eq!(m.to_vendor(&bare)?.value, input);
        }
        assert!(m.to_canonical(&with(base(), "fee", json!("4,900"))).is_err());
        // Stripe's exponent can differ from ISO 4217's (ISK: 2).
        let spec: MappingSpec = crate::json::from_value(&json!({
            "vendor": "acme", "object": "thing", "entity": "payment", "minor_units": {"ISK": 2},
            "rules": payment(json!([]))}))?;
        let isk = DeclarativeMapper::compile(&spec, "isk.json", &HashMap::new())?;
        let out = isk.to_canonical(&with(base(), "ccy", json!("isk")))?;
        assert_eq!(out.value.pointer("/amount/amount"), Some(&json!("19.99")));
        // Whole krónur are written at ISO 4217's scale, and go back as hundredths.
        let whole = with(with(base(), "ccy", json!("isk")), "cents", json!(12300));
        let out = isk.to_canonical(&whole)?;
        assert_eq!(out.value.pointer("/amount/amount"), Some(&json!("123")));
        assert!(out.is_exact(), "{:?}", out.losses);
        assert_eq!(isk.to_vendor(&out.value)?.value, whole);
        assert_eq!(isk.minor_units_of(Currency::from_code("ISK")?), Some(2));
        assert_eq!(isk.minor_units_of(Currency::JPY), Some(0));
        Ok(())
    }

    #[test]
    fn enum_values_sharing_a_canonical_value_stay_in_extensions() -> Result {
        let m = mapper(json!([
            {"vendor": "/id", "canonical": "/id"},
            {"canonical": "/direction", "constant": "received"},
            {"vendor": "/state", "canonical": "/status", "enum": {"waiting": "pending", "processing": "pending", "done": "completed"}},
            {"vendor": "/day", "canonical": "/payment_date"},
            {"vendor": "/cents", "canonical": "/amount", "money": {"currency": "/ccy", "currency_case": "lower"}}
        ]))?;
        let input = with(base(), "state", json!("waiting"));
        let out = m.to_canonical(&input)?;
        assert_eq!(out.value.pointer("/status"), Some(&json!("pending")));
        assert!(out.is_exact());
        // The way back writes the first value of the table…
        let mut bare = out.value.clone();
        if let Some(o) = bare.as_object_mut() {
            o.remove("extensions");
        }
        assert_eq!(m.to_vendor(&bare)?.value.pointer("/state"), Some(&json!("processing")));
        // …so `waiting` is kept and comes back.
        assert_eq!(out.value.pointer("/extensions/acme/state"), Some(&json!("waiting")));
        assert_eq!(m.to_vendor(&out.value)?.value, input);
        Ok(())
    }

    #[test]
    fn references_and_external_refs_share_a_place() -> Result {
        let m = mapper(payment(json!([
            {"vendor": "/charge", "canonical": "/refund_of", "reference": "charge"},
            {"vendor": "/intent", "canonical": "/refund_of", "reference": "payment_intent"},
            {"vendor": "/id", "canonical": "/external_refs", "external_ref": "thing"},
            {"vendor": "/latest", "canonical": "/external_refs", "external_ref": "charge"}
        ])))?;
        let input = with(
            with(with(base(), "charge", json!("ch_1")), "intent", json!("pi_1")),
            "latest",
            json!({"id": "ch_9", "object": "charge", "paid": true}),
        );
        let out = m.to_canonical(&input)?;
        assert_eq!(
            out.value.pointer("/refund_of/external_refs"),
            Some(&json!([{"system": "acme", "object_type": "charge", "id": "ch_1"},
                         {"system": "acme", "object_type": "payment_intent", "id": "pi_1"}]))
        );
        assert_eq!(out.value.pointer("/external_refs/1/id"), Some(&json!("ch_9")));
        // The expanded object is reported, kept and comes back.
        assert_eq!(out.losses.len(), 1, "{:?}", out.losses);
        assert_eq!(out.losses.first().map(|l| l.path.as_str()), Some("/latest"));
        assert_eq!(m.to_vendor(&out.value)?.value, input);
        // A refund of a payment intent alone: no loss for the missing charge.
        let only_intent = with(base(), "intent", json!("pi_1"));
        let out = m.to_canonical(&only_intent)?;
        let back = m.to_vendor(&out.value)?;
        assert!(back.is_exact(), "{:?}", back.losses);
        assert_eq!(back.value, only_intent);
        Ok(())
    }

    #[test]
    fn alternatives_are_kept_per_rule() -> Result {
        let m = mapper(payment(json!([
            {"vendor": ["/new/product", "/old/product"], "canonical": "/external_refs", "external_ref": "product"},
            {"vendor": ["/new/price", "/old/price"], "canonical": "/external_refs", "external_ref": "price"}
        ])))?;
        let input = with(base(), "old", json!({"product": "prod_1", "price": "price_1"}));
        let out = m.to_canonical(&input)?;
        assert_eq!(m.to_vendor(&out.value)?.value, input);
        Ok(())
    }

    #[test]
    fn a_field_read_twice_is_not_lost_when_one_rule_keeps_it_exactly() -> Result {
        let m = mapper(json!([
            {"vendor": "/id", "canonical": "/id"},
            {"canonical": "/direction", "constant": "received"},
            {"canonical": "/status", "constant": "completed"},
            {"vendor": "/created", "canonical": "/payment_date", "transform": "unix_seconds_date"},
            {"vendor": "/created", "canonical": "/created_at", "transform": "unix_seconds_instant"},
            {"vendor": "/cents", "canonical": "/amount", "money": {"currency": "/ccy", "currency_case": "lower"}}
        ]))?;
        let input = json!({"id": "p1", "created": 1_764_069_001, "cents": 5, "ccy": "usd"});
        let out = m.to_canonical(&input)?;
        assert!(out.is_exact(), "{:?}", out.losses);
        assert_eq!(out.value.pointer("/payment_date"), Some(&json!("2025-11-25")));
        assert_eq!(m.to_vendor(&out.value)?.value, input);
        Ok(())
    }

    #[test]
    fn a_value_without_a_place_is_kept_and_reported() -> Result {
        let m = mapper(payment(json!([
            {"vendor": "/second", "canonical": "/fees/1/description"}
        ])))?;
        let input = with(base(), "second", json!("bank fee"));
        let out = m.to_canonical(&input)?;
        assert_eq!(
            out.losses.first().map(|l| (l.kind, l.path.as_str())),
            Some((LossKind::Lossy, "/second"))
        );
        assert_eq!(out.value.pointer("/extensions/acme/second"), Some(&json!("bank fee")));
        assert_eq!(m.to_vendor(&out.value)?.value, input);
        Ok(())
    }

    #[test]
    fn an_external_ref_without_a_place_is_kept_and_reported() -> Result {
        // The file puts the vendor's own id in the second application's
        // target, but the record has no first application: the id has no
        // place there.
        let m = mapper(payment(json!([
            {"vendor": "/memo", "canonical": "/fees/0/description"},
            {"vendor": "/ref", "canonical": "/applications/1/target/external_refs", "external_ref": "fee"}
        ])))?;
        let input = with(with(base(), "memo", json!("wire fee")), "ref", json!("fee_1"));
        let out = m.to_canonical_partial(&input)?;
        assert_eq!(
            out.losses.iter().map(|l| (l.kind, l.path.as_str())).collect::<Vec<_>>(),
            [(LossKind::Lossy, "/ref")]
        );
        assert_eq!(out.value.pointer("/extensions/acme/ref"), Some(&json!("fee_1")));
        Ok(())
    }

    #[test]
    fn the_partial_forward_leaves_the_check_to_the_caller() -> Result {
        let m = mapper(json!([{"vendor": "/id", "canonical": "/id"}]))?;
        let partial = m.to_canonical_partial(&json!({"id": "p1", "extra": 1}))?;
        assert_eq!(partial.value, json!({"id": "p1", "extensions": {"acme": {"extra": 1}}}));
        assert!(matches!(
            m.normalize_canonical(partial.value),
            Err(MappingError::InvalidCanonical { .. })
        ));
        assert!(m.to_canonical(&json!({"id": "p1"})).is_err());
        Ok(())
    }
}
