//! The declarative engine: a [`MappingSpec`] compiled into a [`Mapper`].

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;

use crate::json;
use crate::json::{Map, Value};
use rust_decimal::Decimal;

use super::pointer::{self, covers, join};
use super::spec::{
    AmountEncoding, CaseSpec, CodeCase, DeriveSpec, LookupSpec, MAX_MINOR_UNITS, MappingSpec,
    MoneySpec, ReferenceSpec, RuleSpec, SideSpec, TaxIncludedSpec, TransformSpec,
};
use super::transforms::{self, BUILTIN_NAMES, Transform};
use super::{Loss, LossKind, Mapped, Mapper, MappingError};
use crate::model::{Contract, Customer, Entity, Extensions, Invoice, JournalEntry, Payment};
use crate::money::{Currency, Rounding, parse_decimal, parse_json_number};
use crate::schema::SchemaPlace;

mod amounts;
mod check;
mod derive;
mod forward;
mod forward_lists;
mod join;
mod load;
mod lookup;
mod path;
mod residue;
mod reverse;
mod reverse_lists;
mod reverse_money;
#[cfg(test)]
mod tests;

use amounts::*;
use check::*;
use derive::Derive;
use forward::*;
use join::check_shapes;
use load::*;
use lookup::{Lookup, same};
use path::Path;
use residue::*;
pub use residue::{ForwardRun, Payload};
use reverse::*;

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
    envelope: Option<super::EnvelopeSpec>,
    parts: Vec<super::PartSpec>,
    joins: Vec<super::JoinSpec>,
    gathers: Vec<super::GatherSpec>,
    twins: Vec<super::TwinSpec>,
    group: Option<super::GroupSpec>,
    /// The file, for its fidelity.
    spec: Box<MappingSpec>,
    read_only: bool,
    blank_is_absent: bool,
    zero_is_absent: Vec<String>,
    absent_values: Vec<String>,
    rules: Vec<Rule>,
    derive: Derive,
}

/// A compiled rule: its pointers split, its tables ready to look up.
#[derive(Debug)]
struct Rule {
    canonical: Option<Path>,
    vendor: Vec<Path>,
    /// For each vendor pointer: true when it reads from the document root
    /// (`^`), not the element.
    vendor_root: Vec<bool>,
    kind: Kind,
    /// The rule applies only where this holds (`if`).
    guard: Option<Guard>,
}

/// An `if`: a vendor field of the element, and the values it must hold
/// (none: it must be there).
#[derive(Debug)]
struct Guard {
    field: Path,
    is: Vec<String>,
}

impl Guard {
    /// True when `v`, the field's value, meets the condition (a value the
    /// file reads as none, a blank or the nil GUID, is not there).
    fn holds(&self, v: Option<&Value>, m: &DeclarativeMapper) -> bool {
        let Some(v) = v.filter(|v| !m.is_absent(v)) else { return false };
        if self.is.is_empty() {
            return true;
        }
        let text = match v {
            Value::String(s) => s.as_str(),
            Value::Bool(b) => forward::bool_key(*b),
            Value::Number(n) => n.as_str(),
            _ => return false,
        };
        self.is.iter().any(|w| w == text)
    }
}

/// The place a rule without `canonical` writes: the element itself.
static NO_TARGET: std::sync::LazyLock<Path> = std::sync::LazyLock::new(|| Path::new(""));

impl Rule {
    /// The canonical place the rule writes, relative to its element.
    fn target(&self) -> &Path {
        self.canonical.as_ref().unwrap_or(&NO_TARGET)
    }

    /// The canonical pointer text, if the rule has one.
    fn canonical_str(&self) -> Option<&str> {
        self.canonical.as_ref().map(Path::as_str)
    }
}

/// An `enum` table, ready for both directions.
#[derive(Debug)]
struct EnumTable {
    /// Vendor code → canonical value, in the file's order.
    entries: Vec<(String, String)>,
    /// For each entry: true when it is the one the way back writes for its
    /// canonical value (the first with that value).
    written_back: Vec<bool>,
    fallback: Option<String>,
    reverse_fallback: Option<String>,
    /// The canonical value when the vendor field is absent.
    default: Option<Value>,
    /// True when `default` is the value a record omits: the way back
    /// translates it for a record that leaves the field out.
    omitted: bool,
}

impl EnumTable {
    fn new(
        entries: Vec<(String, String)>,
        (fallback, reverse_fallback): (Option<String>, Option<String>),
        (default, omitted): (Option<Value>, bool),
    ) -> EnumTable {
        let written_back = entries
            .iter()
            .enumerate()
            .map(|(i, (_, v))| entries.iter().position(|(_, w)| w == v) == Some(i))
            .collect();
        EnumTable { entries, written_back, fallback, reverse_fallback, default, omitted }
    }

    /// The canonical value of vendor code `key`, and whether the way back
    /// writes `key` for it.
    fn forward(&self, key: &str) -> Option<(&str, bool)> {
        let i = self.entries.iter().position(|(k, _)| k == key)?;
        let (_, v) = self.entries.get(i)?;
        Some((v.as_str(), self.written_back.get(i).copied().unwrap_or(false)))
    }

    /// The vendor code the way back writes for canonical value `value`.
    fn reverse(&self, value: &str) -> Option<&str> {
        self.entries.iter().find(|(_, v)| v == value).map(|(k, _)| k.as_str())
    }
}

/// A money rule: the file's spec and its currency pointer, split.
#[derive(Debug)]
struct MoneyRule {
    spec: MoneySpec,
    /// The currency pointer without its `^`.
    currency: Path,
    /// True for a `^` pointer, read from the document root.
    from_root: bool,
    /// More places of the currency, in the element or from the root
    /// (`currency_or`).
    currency_or: Vec<Anchored>,
    /// How the amount says its side, if it does.
    side: Option<SideRule>,
    /// When the vendor amount includes tax, if it may.
    tax: Option<TaxRule>,
    /// More vendor amounts added in.
    plus: Vec<Path>,
    /// The tenant's table of the vendor's currency ids, if it has them.
    currency_table: Option<Anchored>,
    /// The vendor and canonical quantities the amount is the total of.
    per: Option<(Path, Path)>,
}

/// A pointer that may start at the root (`^`): split, and which root.
#[derive(Debug)]
struct Anchored {
    path: Path,
    from_root: bool,
}

impl Anchored {
    fn new(text: &str) -> Anchored {
        match text.strip_prefix('^') {
            Some(rest) => Anchored { path: Path::new(rest), from_root: true },
            None => Anchored { path: Path::new(text), from_root: false },
        }
    }

    /// The value it names: from `root` or from the element `el`.
    fn get<'v>(&self, root: &'v Value, el: &'v Value) -> Option<&'v Value> {
        self.path.get(if self.from_root { root } else { el })
    }
}

/// The side an amount says (a `side` key).
#[derive(Debug)]
struct SideRule {
    /// The canonical side, in the element.
    canonical: Path,
    form: SideForm,
}

#[derive(Debug)]
enum SideForm {
    /// One signed amount: the side of a positive one and of a negative one.
    Signed { positive: String, negative: String },
    /// Two columns: (canonical side, vendor column), in the file's order.
    Columns(Vec<(String, Path)>),
}

/// An amount that includes tax when a document field says so.
#[derive(Debug)]
struct TaxRule {
    when: Anchored,
    values: Vec<String>,
    canonical: Anchored,
    tax: Path,
    canonical_tax: Path,
    /// For a unit price: the vendor and canonical quantities.
    per: Option<(Path, Path)>,
}

/// The members of a reference object.
#[derive(Debug)]
struct RefObject {
    id: Path,
    display: Option<Path>,
    type_member: Option<Path>,
}

/// One case of a `cases` rule.
#[derive(Debug)]
struct Case {
    when: Vec<String>,
    /// The canonical array, relative to the element; `None` keeps the items.
    canonical: Option<Path>,
    rules: Vec<Rule>,
    needs: Vec<Path>,
}

#[derive(Debug)]
enum Kind {
    Copy {
        transform: Option<Arc<dyn Transform>>,
        default: Option<Value>,
        /// True when `default` is the value a record omits (its schema
        /// default, or a `false` flag): the way back writes it for a record
        /// that leaves the field out.
        omitted: bool,
        /// The code also looked up in a tenant table.
        lookup: Option<Box<Lookup>>,
        /// The tenant's table of code → value the vendor value is read
        /// through.
        table: Option<Box<Anchored>>,
    },
    CanonicalConstant(Value),
    VendorConstant(Value),
    Enum(EnumTable),
    Money(Box<MoneyRule>),
    /// A reference of an object type, the list of external refs it adds
    /// to (`<canonical>/external_refs`) and, for a reference object, the
    /// members of its id and of the name shown.
    Reference {
        object_type: String,
        list: Path,
        object: Option<RefObject>,
        /// For a reference by id: the transform of the id (its canonical
        /// form).
        transform: Option<Arc<dyn Transform>>,
    },
    ExternalRef(String),
    Each(Vec<Rule>),
    Collect(Vec<Path>),
    /// The items of a vendor array sorted by the member at `by`.
    Cases {
        by: Path,
        cases: Vec<Case>,
    },
    /// One vendor object through its own rules; `needs` the canonical
    /// fields without which it is left out.
    Object {
        rules: Vec<Rule>,
        needs: Vec<Path>,
    },
    /// A canonical value by whether the vendor field is there.
    Presence {
        present: Value,
        absent: Option<Value>,
    },
    /// Boolean vendor fields ↔ an array of the values whose field is true.
    Flags {
        flags: Vec<(String, Path)>,
        /// The canonical array when the record leaves it out (its default).
        default: Option<Value>,
    },
    /// The element's members named with a prefix ↔ a map.
    Members(String),
    /// An array of `{name, value}` objects ↔ a map.
    Fields {
        name: Path,
        value: Vec<Path>,
    },
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
        for (i, z) in spec.zero_is_absent.iter().enumerate() {
            check_pointer(z, format!("/zero_is_absent/{i}"), &err)?;
        }
        check_shapes(spec, &err)?;
        let scope = Scope {
            err: &err,
            custom,
            vendor: &spec.vendor,
            place: SchemaPlace::root(crate::schema::entity_schema_value(spec.entity)),
            what: format!("the {} entity", spec.entity),
            top: true,
        };
        let rules = compile_rules(&spec.rules, "/rules", &scope)?;
        let derive = match &spec.derive {
            Some(d) => Derive::compile(d, spec.entity, &err)?,
            None => Derive::default(),
        };
        Ok(DeclarativeMapper {
            vendor: spec.vendor.clone(),
            object: spec.object.clone(),
            entity: spec.entity,
            minor_units: spec.minor_units.clone(),
            envelope: spec.envelope.clone(),
            parts: spec.parts.clone(),
            joins: spec.joins.clone(),
            gathers: spec.gathers.clone(),
            twins: spec.twins.clone(),
            group: spec.group.clone(),
            spec: Box::new(spec.clone()),
            read_only: spec.read_only,
            blank_is_absent: spec.blank_is_absent,
            zero_is_absent: spec.zero_is_absent.clone(),
            absent_values: spec.absent_values.clone(),
            rules,
            derive,
        })
    }

    /// True when `x` is no value: null, or, for a vendor that writes blanks
    /// for no value, an empty or all-space string.
    fn is_absent(&self, x: &Value) -> bool {
        x.is_null()
            || x.as_str().is_some_and(|s| {
                (self.blank_is_absent && s.trim().is_empty())
                    || self.absent_values.iter().any(|a| a == s)
            })
    }

    /// True when `x`, read at the vendor pointer `p` of its element, is no
    /// value: [`is_absent`](Self::is_absent), or a zero where the file says
    /// zero is none.
    fn is_absent_at(&self, p: &Path, x: &Value) -> bool {
        self.is_absent(x)
            || (!self.zero_is_absent.is_empty()
                && self.zero_is_absent.iter().any(|z| z == p.as_str())
                && x.as_number()
                    .is_some_and(|n| parse_json_number(n.as_str()).is_ok_and(|d| d.is_zero())))
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

/// True when the member `name` is one a `members` rule of `pattern` reads:
/// a prefix (`custbody_`), or, starting with `*`, a suffix (`*__c`, a
/// Salesforce custom field).
fn member_named(pattern: &str, name: &str) -> bool {
    match pattern.strip_prefix('*') {
        Some(suffix) => name.ends_with(suffix) && name.len() > suffix.len(),
        None => name.starts_with(pattern),
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

    fn envelope(&self) -> Option<&super::EnvelopeSpec> {
        self.envelope.as_ref()
    }

    fn read_only(&self) -> bool {
        self.read_only
    }

    fn parts(&self) -> &[super::PartSpec] {
        &self.parts
    }

    fn group(&self) -> Option<&super::GroupSpec> {
        self.group.as_ref()
    }

    fn fidelity(&self) -> Option<super::Fidelity> {
        Some(self.fidelity_with_glue(false))
    }

    fn not_sent(&self) -> &[String] {
        &self.spec.not_sent
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
    /// The fidelity of the mapping file; `glue` says Rust glue adds to it.
    pub fn fidelity_with_glue(&self, glue: bool) -> super::Fidelity {
        super::fidelity::of_spec(&self.spec, glue)
    }

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
        match self.joined(vendor)? {
            std::borrow::Cow::Borrowed(v) => self.run_joined(v, keep),
            std::borrow::Cow::Owned(joined) => {
                let mut run = self.run_joined(&joined, keep)?;
                // The residue is of the payload the rules read.
                if keep {
                    run.joined = Some(joined);
                }
                Ok(run)
            }
        }
    }

    fn run_joined(&self, vendor: &Value, keep: bool) -> Result<ForwardRun, MappingError> {
        if !vendor.is_object() {
            return Err(
                self.input_error("", format!("expected a {} {} object", self.vendor, self.object))
            );
        }
        let mut run = Forward {
            m: self,
            root: vendor,
            keep,
            consumed: Consumed::default(),
            alternatives: Map::new(),
            defaulted: Vec::new(),
            collected: Map::new(),
            absent: Vec::new(),
            items: Map::new(),
            cases: Map::new(),
            losses: Vec::new(),
        };
        let mut canonical = Value::Object(Map::new());
        let root = Element { v: vendor, at: "", keys: &[], c_at: "" };
        run.run(&self.rules, root, &mut canonical)?;
        // Derived totals are noted as defaulted: the way back leaves them
        // to the vendor rather than write them where the payload had none.
        let derived = self.derive.run(self, &mut canonical, &mut run.losses);
        run.defaulted.extend(derived.into_iter().map(Value::from));
        // A value one rule changed but another carried exactly is not lost
        // (a timestamp read as a date and as an instant).
        let consumed = &mut run.consumed;
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
            cases: run.cases,
            joined: None,
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
            cases,
            joined,
        } = run;
        let vendor = match joined {
            Some(joined) => Payload::Owned(joined),
            None => vendor,
        };
        let mut kept = residue(vendor, &consumed).unwrap_or_else(|| Value::Object(Map::new()));
        if let Value::Object(map) = &mut kept {
            escape_notes(map);
            for (key, note) in [
                (ALTERNATIVES, Value::Object(alternatives)),
                (DEFAULTED, Value::Array(defaulted)),
                (COLLECTED, Value::Object(collected)),
                (ABSENT, Value::Array(absent)),
                (ITEMS, Value::Object(items)),
                (CASES, Value::Object(cases)),
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
        let mut residue = match residue.map(Value::into_object) {
            None => Map::new(),
            Some(Ok(map)) => map,
            Some(Err(other)) => {
                return Err(self.input_error(
                    ext_pointer,
                    format!(
                        "expected an object (the {} values kept on the way in), but found {}",
                        self.vendor,
                        crate::voice::found_json(&other)
                    ),
                ));
            }
        };
        let strings = |v: Option<Value>| -> HashSet<String> {
            v.and_then(|v| v.into_array().ok())
                .unwrap_or_default()
                .iter()
                .filter_map(|v| v.as_str().map(str::to_owned))
                .collect()
        };
        let objects = |v: Option<Value>| v.and_then(|v| v.into_object().ok()).unwrap_or_default();
        let alternatives = objects(residue.remove(ALTERNATIVES));
        let defaulted = strings(residue.remove(DEFAULTED));
        let collected = objects(residue.remove(COLLECTED));
        let absent = strings(residue.remove(ABSENT));
        let items = objects(residue.remove(ITEMS));
        let cases = objects(residue.remove(CASES));
        unescape_notes(&mut residue);
        let mut run = Reverse {
            m: self,
            c_root: canonical,
            cases,
            root_writes: Vec::new(),
            residue: Value::Object(residue),
            alternatives,
            defaulted,
            collected,
            absent,
            items,
            covered: Consumed::default(),
            losses: Vec::new(),
        };
        let mut written = Value::Object(Map::new());
        let root = Back { c: canonical, c_at: "", c_keys: &[], v_at: "", v_keys: &[] };
        run.run(&self.rules, root, &mut written)?;
        for (p, value, over_residue) in std::mem::take(&mut run.root_writes) {
            if p.get(&written).is_none() && (over_residue || p.get(&run.residue).is_none()) {
                p.set(&mut written, value);
            }
        }
        // The residue is most of the payload: the few written values are
        // laid over it rather than it being merged into them.
        let mut out = std::mem::take(&mut run.residue);
        pointer::overlay(&mut out, written);
        self.unjoin(&mut out, &mut run.losses);
        if self.read_only {
            // Named by the record's id: a loss at the root would hide the
            // others.
            run.losses.push(Loss::new(
                LossKind::Unsupported,
                "/id",
                format!(
                    "{} {} is read only: the vendor takes no such records (the ledger is written by posting documents); this payload is for comparing, not for sending",
                    self.vendor, self.object
                ),
            ));
        }
        // Every canonical value no rule carried is a loss.
        let mut all = Vec::new();
        run.covered.mark(&[], Path::new(&ext_pointer).tokens());
        // What the engine derived, the vendor computes again.
        for place in self.derive.places(canonical) {
            run.covered.mark(&[], Path::new(&place).tokens());
        }
        // And what it filled in on the way in (an allowance's category).
        for place in &run.defaulted {
            run.covered.mark(&[], Path::new(place).tokens());
        }
        run.covered.leaves_outside(canonical, &mut String::new(), &mut all);
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
