//! The conformance suite: one call checks any mapper, built-in or
//! third-party, against its fixtures.
//!
//! ```
//! use canonical_finance::mapping::{Registry, conformance};
//! use canonical_finance::json;
//!
//! let registry = Registry::builtin()?;
//! let mapper = registry.get("stripe", "customer")?;
//! let fixture = json!({"id": "cus_1", "object": "customer", "name": "Ada", "created": 1764028800, "livemode": false, "metadata": {}});
//! let report = conformance::check(mapper, &[("minimal".to_owned(), fixture)]);
//! assert!(report.is_ok(), "{report}");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::fmt;
use std::panic::{AssertUnwindSafe, catch_unwind};

use crate::json::{Map, Value};

use super::pointer::{covers, join, leaves, push, push_index, take};
use super::{Loss, Mapper};
use crate::model::{Contract, Customer, Entity, Invoice, JournalEntry, Payment};
use crate::validate::Validate;

/// One failed check.
#[derive(Debug, Clone, PartialEq, Eq)]
#[non_exhaustive]
pub struct Failure {
    /// The fixture's name.
    pub fixture: String,
    /// Which check: `round_trip`, `canonical_round_trip`, `validation`,
    /// `deterministic`, `no_panic`, `error`.
    pub check: &'static str,
    /// What went wrong, with a JSON Pointer where there is one.
    pub message: String,
}

/// The outcome of [`check`].
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct ConformanceReport {
    /// How many fixtures were checked.
    pub fixtures: usize,
    /// Every failed check.
    pub failures: Vec<Failure>,
}

impl ConformanceReport {
    /// True when every check passed.
    pub fn is_ok(&self) -> bool {
        self.failures.is_empty()
    }
}

impl fmt::Display for ConformanceReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} fixtures, {} failures", self.fixtures, self.failures.len())?;
        for failure in &self.failures {
            write!(f, "\n  {} [{}]: {}", failure.fixture, failure.check, failure.message)?;
        }
        Ok(())
    }
}

/// Runs every check on every `(name, vendor payload)` fixture:
///
/// 1. `round_trip`: vendor → canonical → vendor gives a JSON-equal payload;
/// 2. `canonical_round_trip`: the canonical record without its
///    `extensions.<vendor>` goes to the vendor and back, and keeps every
///    field the loss report of the way out does not list (amounts,
///    quantities and rates compare as numbers, instants as instants, and a
///    list item that comes back whole anywhere in its list is kept);
/// 3. `validation`: the canonical record passes the validation rules;
/// 4. `deterministic`: mapping twice gives the same output and losses, and
///    the owned entry points ([`Mapper::to_canonical_owned`],
///    [`Mapper::to_vendor_owned`]) give what the borrowing ones give;
/// 5. `no_panic`: every fixture with one value (a leaf, a null, or a whole
///    object or array) replaced by null, a number, a string, an empty object
///    or an empty array, or one member removed, maps or fails with an error,
///    never a panic, through the borrowing and the owned entry points; so
///    does the canonical record with one leaf replaced, on the way back;
/// 6. `naming`: the vendor name is lower case (`a-z`, digits, `_`, `-`) and
///    the object name is not empty (checked once, reported with the fixture
///    name `(mapper)`);
/// 7. `loss_pointer`: every loss of the fixtures' round trips names a field
///    (a loss at the root, `""`, would hide every other one).
///
/// What it cannot check, because it needs to know the vendor: that the
/// canonical values are the right ones (write tests with exact values for
/// that), and that an edit to a record that still has its residue is
/// written (try your mapper's edits in tests).
pub fn check(mapper: &dyn Mapper, fixtures: &[(String, Value)]) -> ConformanceReport {
    let mut report = ConformanceReport { fixtures: fixtures.len(), failures: Vec::new() };
    let vendor_ok = !mapper.vendor().is_empty()
        && mapper
            .vendor()
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'_' || b == b'-');
    if !vendor_ok || mapper.object().is_empty() {
        report.failures.push(Failure {
            fixture: "(mapper)".to_owned(),
            check: "naming",
            message: format!(
                "vendor `{}` must be lower case (a-z, 0-9, _, -) and object `{}` not empty",
                mapper.vendor(),
                mapper.object()
            ),
        });
    }
    for (name, vendor) in fixtures {
        let mut fail = |check: &'static str, message: String| {
            report.failures.push(Failure { fixture: name.clone(), check, message });
        };
        let canonical = match mapper.to_canonical(vendor) {
            Ok(m) => m,
            Err(e) => {
                fail("error", format!("vendor → canonical failed: {e}"));
                continue;
            }
        };
        for message in root_losses(&canonical.losses, "vendor → canonical") {
            fail("loss_pointer", message);
        }
        // 1. Lossless round trip through extensions.
        match mapper.to_vendor(&canonical.value) {
            Ok(back) => {
                for message in root_losses(&back.losses, "canonical → vendor") {
                    fail("loss_pointer", message);
                }
                if let Some(diff) = first_difference(vendor, &back.value, "") {
                    fail("round_trip", format!("vendor → canonical → vendor differs: {diff}"));
                }
            }
            Err(e) => fail("error", format!("canonical → vendor failed: {e}")),
        }
        // 2. Canonical → vendor → canonical without the vendor's residue.
        let mut stripped = canonical.value.clone();
        if let Some(ext) = stripped.get_mut("extensions").and_then(Value::as_object_mut) {
            ext.remove(mapper.vendor());
            if ext.is_empty()
                && let Some(o) = stripped.as_object_mut()
            {
                o.remove("extensions");
            }
        }
        match mapper
            .to_vendor(&stripped)
            .and_then(|out| Ok((mapper.to_canonical(&out.value)?, out.losses)))
        {
            Ok((again, losses)) => {
                for message in root_losses(&losses, "canonical (no residue) → vendor") {
                    fail("loss_pointer", message);
                }
                for path in
                    kept_fields_that_changed(&stripped, &again.value, &losses, mapper.vendor())
                {
                    fail(
                        "canonical_round_trip",
                        format!("{path} changed, and the loss report does not list it"),
                    );
                }
            }
            Err(e) => fail("error", format!("canonical → vendor → canonical failed: {e}")),
        }
        // 3. Validation.
        let violations = validate(mapper.entity(), &canonical.value);
        if !violations.is_empty() {
            fail("validation", violations.join("; "));
        }
        // 4. Determinism.
        match mapper.to_canonical(vendor) {
            Ok(again) if again == canonical => {}
            Ok(_) => fail("deterministic", "a second run gave another result".to_owned()),
            Err(e) => fail("deterministic", format!("a second run failed: {e}")),
        }
        match mapper.to_canonical_owned(vendor.clone()) {
            Ok(owned) if owned == canonical => {}
            Ok(_) => {
                fail("deterministic", "to_canonical_owned differs from to_canonical".to_owned())
            }
            Err(e) => fail("deterministic", format!("to_canonical_owned failed: {e}")),
        }
        for record in [&canonical.value, &stripped] {
            match (mapper.to_vendor(record), mapper.to_vendor_owned(record.clone())) {
                (Ok(a), Ok(b)) if a == b => {}
                (Err(a), Err(b)) if a.to_string() == b.to_string() => {}
                _ => fail("deterministic", "to_vendor_owned differs from to_vendor".to_owned()),
            }
        }
        // 5. No panic on damaged input, either way, either entry point.
        for (path, input) in mutations(vendor, true) {
            let outcome = catch_unwind(AssertUnwindSafe(|| {
                if let Ok(c) = mapper.to_canonical(&input) {
                    let _ = mapper.to_vendor(&c.value);
                }
                let _ = mapper.to_canonical_owned(input.clone());
                let _ = mapper.to_vendor(&input);
            }));
            if outcome.is_err() {
                fail("no_panic", format!("panicked with {path}"));
                break;
            }
        }
        for (path, record) in mutations(&canonical.value, false) {
            let outcome = catch_unwind(AssertUnwindSafe(|| {
                let _ = mapper.to_vendor(&record);
                let _ = mapper.to_vendor_owned(record.clone());
            }));
            if outcome.is_err() {
                fail("no_panic", format!("panicked on the way back with canonical {path}"));
                break;
            }
        }
    }
    report
}

/// Checks that arbitrary JSON never makes the mapper panic (both
/// directions, borrowing and owned entry points). Returns the inputs that
/// did.
pub fn no_panic<'a>(
    mapper: &dyn Mapper,
    inputs: impl IntoIterator<Item = &'a Value>,
) -> Vec<Value> {
    inputs
        .into_iter()
        .filter(|input| {
            catch_unwind(AssertUnwindSafe(|| {
                let _ = mapper.to_canonical(input);
                let _ = mapper.to_vendor(input);
                let _ = mapper.to_canonical_owned((*input).clone());
                let _ = mapper.to_vendor_owned((*input).clone());
            }))
            .is_err()
        })
        .cloned()
        .collect()
}

fn validate(entity: Entity, value: &Value) -> Vec<String> {
    fn run<T: serde::de::DeserializeOwned + Validate>(value: &Value) -> Vec<String> {
        match T::deserialize(value) {
            Ok(record) => record.validate().errors().map(ToString::to_string).collect(),
            Err(e) => vec![format!("not a valid canonical record: {e}")],
        }
    }
    match entity {
        Entity::Customer => run::<Customer>(value),
        Entity::Contract => run::<Contract>(value),
        Entity::Invoice => run::<Invoice>(value),
        Entity::Payment => run::<Payment>(value),
        Entity::JournalEntry => run::<JournalEntry>(value),
    }
}

/// The first place where two documents differ, as "pointer: a ≠ b".
pub fn first_difference(a: &Value, b: &Value, at: &str) -> Option<String> {
    match (a, b) {
        (Value::Object(x), Value::Object(y)) => {
            for (k, v) in x {
                match y.get(k) {
                    Some(w) => {
                        if let Some(d) = first_difference(v, w, &join(at, k)) {
                            return Some(d);
                        }
                    }
                    None => return Some(format!("{} is missing", join(at, k))),
                }
            }
            y.keys().find(|k| !x.contains_key(k)).map(|k| format!("{} was added", join(at, k)))
        }
        (Value::Array(x), Value::Array(y)) => {
            if x.len() != y.len() {
                return Some(format!("{at}: {} items ≠ {} items", x.len(), y.len()));
            }
            x.iter().zip(y).enumerate().find_map(|(i, (v, w))| first_difference(v, w, &join(at, i)))
        }
        _ if a == b => None,
        _ => Some(format!("{}: {a} ≠ {b}", if at.is_empty() { "/" } else { at })),
    }
}

fn kept_fields_that_changed(
    before: &Value,
    after: &Value,
    losses: &[Loss],
    vendor: &str,
) -> Vec<String> {
    super::unreturned::unreturned(before, after, vendor)
        .into_iter()
        .map(|(path, _, _)| path)
        .filter(|p| !losses.iter().any(|l| covers(&l.path, p)))
        .collect()
}

/// The document with one thing damaged at a time, each described: with
/// `thorough`, every value (leaves, nulls, whole objects and arrays) is
/// replaced by each wrong kind and every member removed; otherwise every
/// leaf is replaced by null and by a string.
fn mutations(doc: &Value, thorough: bool) -> Vec<(String, Value)> {
    let mut paths = Vec::new();
    if thorough {
        every_place(doc, &mut String::new(), &mut paths);
    } else {
        leaves(doc, "", &mut paths);
    }
    let replacements: &[Value] = if thorough {
        &[
            Value::Null,
            Value::from(-1),
            Value::from("x"),
            Value::Object(Map::new()),
            Value::Array(Vec::new()),
        ]
    } else {
        &[Value::Null, Value::from("x")]
    };
    let mut out = Vec::new();
    for path in paths {
        for r in replacements {
            let mut v = doc.clone();
            if let Some(slot) = v.pointer_mut(&path) {
                *slot = r.clone();
                out.push((format!("{path} replaced by {r}"), v));
            }
        }
        if thorough {
            let mut v = doc.clone();
            if take(&mut v, &path).is_some() {
                out.push((format!("{path} removed"), v));
            }
        }
    }
    out
}

/// A message for each loss that names no field.
fn root_losses(losses: &[Loss], way: &str) -> Vec<String> {
    losses
        .iter()
        .filter(|l| l.path.is_empty())
        .map(|l| format!("{way}: a loss names no field: {}", l.reason))
        .collect()
}

/// Every place below the root of `value`, containers included.
fn every_place(value: &Value, path: &mut String, out: &mut Vec<String>) {
    let mark = path.len();
    match value {
        Value::Object(map) => {
            for (k, v) in map {
                push(path, k);
                out.push(path.clone());
                every_place(v, path, out);
                path.truncate(mark);
            }
        }
        Value::Array(items) => {
            for (i, v) in items.iter().enumerate() {
                push_index(path, i);
                out.push(path.clone());
                every_place(v, path, out);
                path.truncate(mark);
            }
        }
        _ => {}
    }
}
