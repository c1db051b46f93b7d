//! The check that completes a loss report on the way out: what a canonical
//! record gives, against what the vendor payload written for it maps back
//! to.

use crate::json::Value;
use rust_decimal::Decimal;

use super::pointer::{self, covers};
use super::{DeclarativeMapper, Loss, LossKind, Mapper};

impl DeclarativeMapper {
    /// Reports as unsupported every leaf of `canonical` (outside
    /// `extensions.<vendor>`) that `again` — the canonical values the vendor
    /// payload written for it maps back to — does not give back, unless a
    /// loss already names it or a parent. Amounts, quantities and rates
    /// compare as numbers (`49.0` is `49.00`). `vendor_name` is how the
    /// reason names the vendor (`the Stripe invoice cannot carry this
    /// value: it comes back as "98.00"`, or `the Stripe invoice has no place
    /// for this value` when nothing comes back).
    ///
    /// For glue that fills vendor fields a mapping file cannot: mapping its
    /// output forward again and calling this makes the loss report complete
    /// whatever the glue could write.
    pub fn report_unreturned(
        &self,
        vendor_name: &str,
        canonical: &Value,
        again: &Value,
        losses: &mut Vec<Loss>,
    ) {
        for (path, _, after) in unreturned(canonical, again, self.vendor()) {
            if losses.iter().any(|l| covers(&l.path, &path)) {
                continue;
            }
            let reason = match after {
                Some(v) if !v.is_null() => format!(
                    "the {vendor_name} {} cannot carry this value: it comes back as {v}",
                    self.object()
                ),
                _ => format!("the {vendor_name} {} has no place for this value", self.object()),
            };
            losses.push(Loss::new(LossKind::Unsupported, path, reason));
        }
    }
}

/// The leaves of `canonical` (outside `extensions.<vendor>`, nulls
/// skipped) that `again` does not give back: compared in place, except
/// that a list item that comes back whole anywhere in its list is not a
/// change, amounts, quantities and rates compare as numbers and instants as
/// instants. What [`DeclarativeMapper::report_unreturned`] reports and the
/// conformance suite's canonical round trip checks.
pub(crate) fn unreturned<'a, 'b>(
    canonical: &'a Value,
    again: &'b Value,
    vendor: &str,
) -> Vec<Changed<'a, 'b>> {
    let mut changed = Vec::new();
    changed_leaves(canonical, Some(again), &mut Vec::new(), vendor, &mut changed);
    changed.retain(|(path, before, after)| !same_value(path, Some(before), *after));
    changed
}

/// A leaf of `a` (scalar, empty object or array; nulls skipped) whose value
/// at the same place in `b` is not equal, with its pointer: both records
/// are walked together, so no leaf is looked up from the root.
pub(crate) type Changed<'a, 'b> = (String, &'a Value, Option<&'b Value>);

/// One step of the walk in [`changed_leaves`].
#[derive(Clone, Copy)]
enum Step<'a> {
    Key(&'a str),
    Index(usize),
}

/// Collects the [`Changed`] leaves of `a` against `b`, not below the member
/// `skip` of `extensions`. The pointer of a leaf is written only when the
/// leaf differs (most do not).
fn changed_leaves<'a, 'b>(
    a: &'a Value,
    b: Option<&'b Value>,
    steps: &mut Vec<Step<'a>>,
    skip: &str,
    out: &mut Vec<Changed<'a, 'b>>,
) {
    match a {
        Value::Object(map) if !map.is_empty() => {
            for (k, v) in map {
                if let [Step::Key("extensions")] = steps.as_slice()
                    && k == skip
                {
                    continue;
                }
                steps.push(Step::Key(k));
                changed_leaves(v, b.and_then(|b| b.get(k)), steps, skip, out);
                steps.pop();
            }
        }
        Value::Array(items) if !items.is_empty() => {
            // An item that comes back whole, wherever it lands in the list,
            // is not a change (a tax breakdown or a list of refs read back
            // in the vendor's order); the others are compared, leaf by leaf,
            // with the item at their own place when that one is not taken.
            let others = match b {
                Some(Value::Array(others)) => others.as_slice(),
                _ => &[],
            };
            let mut used = vec![false; others.len()];
            let mut unmatched = Vec::new();
            for (i, v) in items.iter().enumerate() {
                if let (Some(o), Some(u)) = (others.get(i), used.get_mut(i))
                    && !*u
                    && o == v
                {
                    *u = true;
                } else {
                    unmatched.push(i);
                }
            }
            unmatched.retain(|&i| {
                let Some(v) = items.get(i) else { return false };
                match others.iter().zip(used.iter_mut()).find(|(o, u)| !**u && *o == v) {
                    Some((_, u)) => {
                        *u = true;
                        false
                    }
                    None => true,
                }
            });
            for i in unmatched {
                if let Some(v) = items.get(i) {
                    // The item at the same place, unless it is another
                    // item's, found whole above.
                    let same_place = match used.get(i) {
                        Some(false) => others.get(i),
                        _ => None,
                    };
                    steps.push(Step::Index(i));
                    changed_leaves(v, same_place, steps, skip, out);
                    steps.pop();
                }
            }
        }
        Value::Null => {}
        leaf => {
            if b != Some(leaf) {
                let mut path = String::new();
                for step in steps.iter() {
                    match step {
                        Step::Key(k) => pointer::push(&mut path, k),
                        Step::Index(i) => pointer::push_index(&mut path, *i),
                    }
                }
                out.push((path, leaf, b));
            }
        }
    }
}

/// True when two canonical leaves hold the same value; amounts, quantities
/// and rates compare as numbers (`49.0` is `49.00`), and instants as
/// instants (`2026-12-03T19:41:12+01:00` is `2026-12-03T18:41:12Z`).
fn same_value(path: &str, a: Option<&Value>, b: Option<&Value>) -> bool {
    if a == b {
        return true;
    }
    if let (Some(x), Some(y)) = (a.and_then(Value::as_str), b.and_then(Value::as_str))
        && let (Ok(p), Ok(q)) =
            (chrono::DateTime::parse_from_rfc3339(x), chrono::DateTime::parse_from_rfc3339(y))
    {
        return p == q;
    }
    let numeric = ["amount", "quantity", "rate", "tax_rate", "percent"]
        .iter()
        .any(|k| path.rsplit('/').next() == Some(k));
    match (a.and_then(Value::as_str), b.and_then(Value::as_str)) {
        (Some(x), Some(y)) if numeric => {
            matches!((x.parse::<Decimal>(), y.parse::<Decimal>()), (Ok(p), Ok(q)) if p == q)
        }
        _ => false,
    }
}
