//! How faithfully a mapper carries each canonical field, read from its
//! mapping file (never written by hand): which fields map exactly, which
//! are transformed (and how), which are constants or derived, which vendor
//! values are kept only as extensions, and which canonical fields the
//! mapper does not carry at all (on the way back they are reported as
//! losses). `canonical-finance vendors --fidelity` prints it, and a
//! generated section of `mappings/README.md` sums it up.
//!
//! ```
//! use canonical_finance::mapping::{Carried, Registry};
//!
//! let registry = Registry::builtin()?;
//! let fidelity = registry.get("salesforce", "Contract")?.fidelity().unwrap();
//! let term = fidelity.fields.iter().find(|f| f.canonical == "/term/length").unwrap();
//! assert_eq!(term.carried, Carried::Exact);
//! assert_eq!(term.vendor, ["/ContractTerm"]);
//! assert!(fidelity.not_carried.iter().any(|f| f == "/lines"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use serde::Serialize;

use super::spec::{
    AmountEncoding, MappingSpec, MoneySpec, ReferenceSpec, RuleSpec, TransformSpec, VendorPath,
};
use crate::model::Entity;
use crate::schema::{SchemaPlace, entity_schema_value};

/// How a mapper carries the canonical fields of its entity.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct Fidelity {
    /// The vendor.
    pub vendor: String,
    /// The vendor object.
    pub object: String,
    /// The canonical entity.
    pub entity: Entity,
    /// `to_canonical`, and `to_vendor` unless the object is read only.
    pub directions: Vec<&'static str>,
    /// Every canonical field a rule writes, in the file's order (`*` for
    /// every item of an array).
    pub fields: Vec<FieldFidelity>,
    /// Vendor values kept only as extensions, by name: what the rules leave
    /// in place (items of a kind no canonical list takes) and, always,
    /// every vendor field no rule reads.
    pub kept: Vec<String>,
    /// The entity's fields no rule writes: never set on the way in, and
    /// reported as losses on the way back.
    pub not_carried: Vec<String>,
    /// True when Rust glue adds to what the file says.
    pub glue: bool,
}

/// How one canonical field is carried.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[non_exhaustive]
pub struct FieldFidelity {
    /// The canonical field: `/lines/*/unit_price`.
    pub canonical: String,
    /// The vendor fields it is read from, in order (`^` for one read from
    /// the document root); none for a constant or a derived field.
    pub vendor: Vec<String>,
    /// Exact, transformed, constant or derived.
    pub carried: Carried,
    /// What is done to it, in words (`money, decimal, currency at
    /// /CurrencyRef/value`); none when exact.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub how: Option<String>,
}

/// The kinds of carrying.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Carried {
    /// Copied as it is, both ways.
    Exact,
    /// Read through a transform, a table, a money or reference rule: both
    /// ways, by the rule.
    Transformed,
    /// Always the same canonical value.
    Constant,
    /// Derived by the engine from other canonical fields; the vendor
    /// computes it again.
    Derived,
}

/// The fidelity of the mapping file `spec`.
pub(super) fn of_spec(spec: &MappingSpec, glue: bool) -> Fidelity {
    let mut fields = Vec::new();
    let mut kept = vec!["every vendor field no rule reads".to_owned()];
    walk(&spec.rules, "", "", &mut fields, &mut kept);
    if let Some(d) = &spec.derive {
        let derived = [
            (d.tax_breakdown.is_some(), "/tax_breakdown"),
            (d.totals, "/totals"),
            (d.status, "/status"),
            (d.unit_prices, "/lines/*/unit_price"),
            (d.allowance_amounts, "/lines/*/allowances_charges/*/amount"),
        ];
        for (on, place) in derived {
            if on && !fields.iter().any(|f: &FieldFidelity| f.canonical == place) {
                fields.push(FieldFidelity {
                    canonical: place.to_owned(),
                    vendor: Vec::new(),
                    carried: Carried::Derived,
                    how: Some(
                        "derived from the lines and totals where the vendor gives none".to_owned(),
                    ),
                });
            }
        }
    }
    let mut not_carried = Vec::new();
    uncovered(
        SchemaPlace::root(entity_schema_value(spec.entity)),
        "",
        0,
        &fields,
        &mut not_carried,
    );
    Fidelity {
        vendor: spec.vendor.clone(),
        object: spec.object.clone(),
        entity: spec.entity,
        directions: if spec.read_only {
            vec!["to_canonical"]
        } else {
            vec!["to_canonical", "to_vendor"]
        },
        fields,
        kept,
        not_carried,
        glue,
    }
}

/// True when `prefix` is `path` or a place above it.
fn covers(prefix: &str, path: &str) -> bool {
    path == prefix || path.strip_prefix(prefix).is_some_and(|rest| rest.starts_with('/'))
}

/// A canonical pointer with array positions as `*`.
fn starred(pointer: &str) -> String {
    pointer
        .split('/')
        .map(|t| if !t.is_empty() && t.bytes().all(|b| b.is_ascii_digit()) { "*" } else { t })
        .collect::<Vec<_>>()
        .join("/")
}

fn vendor_pointers(v: Option<&VendorPath>) -> Vec<String> {
    match v {
        None => Vec::new(),
        Some(VendorPath::One(p)) => vec![p.clone()],
        Some(VendorPath::Any(ps)) => ps.clone(),
    }
}

fn transform_name(t: &TransformSpec) -> &str {
    match t {
        TransformSpec::Name(n) => n,
        TransformSpec::WithArgs { name, .. } => name,
    }
}

fn money_how(m: &MoneySpec) -> String {
    let encoding = match m.encoding {
        AmountEncoding::Decimal => "decimal",
        AmountEncoding::MinorUnits => "minor-unit",
        _ => "minor-unit decimal",
    };
    let mut how = format!("money, {encoding} amounts, currency at {}", m.currency);
    if let Some(t) = &m.currency_table {
        how.push_str(&format!(" through the tenant's table at {t}"));
    }
    for (on, what) in [
        (m.tax_included.is_some(), "tax taken off where the vendor includes it"),
        (!m.plus.is_empty(), "more amounts added in"),
        (m.negate, "negated"),
        (m.per.is_some(), "for one unit of the vendor's total"),
    ] {
        if on {
            how.push_str(", ");
            how.push_str(what);
        }
    }
    how
}

/// What one rule does, in words, and whether it is exact.
fn rule_how(s: &RuleSpec) -> (Carried, Option<String>) {
    if s.constant.is_some() {
        return (Carried::Constant, s.constant.as_ref().map(|c| format!("always {c}")));
    }
    let how = if let Some(e) = &s.enum_table {
        Some(format!("one of {} vendor codes", e.len()))
    } else if let Some(m) = &s.money {
        Some(money_how(m))
    } else if let Some(r) = &s.reference {
        let t = match r {
            ReferenceSpec::Type(t) => t.as_str(),
            ReferenceSpec::Object(o) => o.object_type.as_str(),
        };
        Some(match &s.transform {
            Some(tr) => format!(
                "reference to a {t}, as an external ref, its id through transform {}",
                transform_name(tr)
            ),
            None => format!("reference to a {t}, as an external ref"),
        })
    } else if let Some(t) = &s.external_ref {
        Some(format!("external ref of a {t}"))
    } else if let Some(c) = &s.collect {
        Some(format!("gathered from {} vendor fields", c.len()))
    } else if let Some(p) = &s.members {
        Some(format!("the members named {p}"))
    } else if s.fields.is_some() {
        Some("an array of name and value objects, by name".to_owned())
    } else if s.present.is_some() {
        Some("whether the vendor field is there".to_owned())
    } else if s.flags.is_some() {
        Some("boolean vendor fields".to_owned())
    } else if let Some(l) = &s.lookup {
        Some(format!("a code, its entry looked up in the tenant's table at {}", l.table))
    } else if let Some(t) = &s.table {
        Some(format!("a code through the tenant's table at {t}"))
    } else {
        s.transform.as_ref().map(|t| format!("transform {}", transform_name(t)))
    };
    let how = match (&s.only_if, how) {
        (Some(g), how) => {
            let when = if g.is.is_empty() {
                format!("where {} is there", g.field)
            } else {
                format!("where {} is {}", g.field, g.is.join(" or "))
            };
            Some(match how {
                Some(h) => format!("{h}, {when}"),
                None => when,
            })
        }
        (None, how) => how,
    };
    let carried =
        if s.only_if.is_none() && how.is_none() { Carried::Exact } else { Carried::Transformed };
    (carried, how)
}

fn walk(
    rules: &[RuleSpec],
    prefix: &str,
    vendor_prefix: &str,
    fields: &mut Vec<FieldFidelity>,
    kept: &mut Vec<String>,
) {
    for s in rules {
        let vendor: Vec<String> = vendor_pointers(s.vendor.as_ref())
            .iter()
            .map(|v| format!("{vendor_prefix}{v}"))
            .collect();
        let target = s.canonical.as_deref().map(|c| starred(&format!("{prefix}{c}")));
        if let Some(each) = &s.each {
            let inner = format!("{}/*", target.clone().unwrap_or_default());
            let v = vendor.first().map(|v| format!("{v}/*")).unwrap_or_default();
            walk(each, &inner, &v, fields, kept);
            continue;
        }
        if let Some(object) = &s.object {
            let inner = target.clone().unwrap_or_default();
            let v = vendor.first().cloned().unwrap_or_default();
            walk(object, &inner, &v, fields, kept);
            continue;
        }
        if let Some(cases) = &s.cases {
            let v = vendor.first().map(|v| format!("{v}/*")).unwrap_or_default();
            for case in cases {
                match &case.canonical {
                    Some(c) => {
                        let inner = format!("{}/*", starred(&format!("{prefix}{c}")));
                        walk(case.each.as_deref().unwrap_or_default(), &inner, &v, fields, kept);
                    }
                    None => kept.push(format!(
                        "{v} where {} is {}",
                        s.by.as_deref().unwrap_or("?"),
                        case.when.join(" or ")
                    )),
                }
            }
            continue;
        }
        let Some(target) = target else { continue };
        let (carried, how) = rule_how(s);
        match fields.iter_mut().find(|f| f.canonical == target) {
            // Rules under conditions that write one field: one row.
            Some(f) => {
                f.vendor.extend(vendor);
                f.carried = Carried::Transformed;
                if let Some(h) = how {
                    f.how = Some(match f.how.take() {
                        Some(old) => format!("{old}; {h}"),
                        None => h,
                    });
                }
            }
            None => fields.push(FieldFidelity { canonical: target, vendor, carried, how }),
        }
    }
}

/// The entity's places no written field is at, above or below: the
/// top-most of each (`/payer_account`, not its every member), to `depth` 4
/// (`*` for array items); `extensions` and `provenance` left out (they are
/// not vendor fields).
fn uncovered(
    place: SchemaPlace<'_>,
    prefix: &str,
    depth: usize,
    fields: &[FieldFidelity],
    out: &mut Vec<String>,
) {
    for name in place.fields() {
        if matches!(name, "extensions" | "provenance") {
            continue;
        }
        let here = format!("{prefix}/{name}");
        let written_at_or_above = fields.iter().any(|f| covers(&f.canonical, &here));
        if written_at_or_above {
            continue;
        }
        let written_below = fields.iter().any(|f| covers(&here, &f.canonical));
        if !written_below || depth >= 4 {
            out.push(here);
            continue;
        }
        let child = place.child(name);
        if child.fields().is_empty() {
            let items = child.child("0");
            uncovered(items, &format!("{here}/*"), depth.saturating_add(1), fields, out);
        } else {
            uncovered(child, &here, depth.saturating_add(1), fields, out);
        }
    }
}

/// The markers of the generated section in `mappings/README.md`.
pub const README_MARKERS: (&str, &str) = ("<!-- fidelity:start -->", "<!-- fidelity:end -->");

/// `readme` (the text of `mappings/README.md`) with its generated section,
/// between [`README_MARKERS`], made from `all`; none when the markers are
/// not there.
pub fn with_readme_section(readme: &str, all: &[Fidelity]) -> Option<String> {
    let (start, end) = README_MARKERS;
    let (before, rest) = readme.split_once(start)?;
    let (_, after) = rest.split_once(end)?;
    Some(format!(
        "{before}{start}\n<!-- Generated by `cargo run --example regenerate` from the mapping files; a test fails when it is stale. -->\n\n{}\n{end}{after}",
        summary_markdown(all)
    ))
}

/// The summary table of `all`, in Markdown: a row per vendor object.
pub fn summary_markdown(all: &[Fidelity]) -> String {
    let mut text = String::from(
        "| Vendor | Object | Entity | Directions | Exact | Transformed | Constant or derived | Not carried |\n| --- | --- | --- | --- | ---: | ---: | ---: | ---: |\n",
    );
    for f in all {
        let count = |k: &[Carried]| f.fields.iter().filter(|x| k.contains(&x.carried)).count();
        text.push_str(&format!(
            "| {}{} | {} | {} | {} | {} | {} | {} | {} |\n",
            f.vendor,
            if f.glue { " (with glue)" } else { "" },
            f.object,
            f.entity,
            f.directions.join(", "),
            count(&[Carried::Exact]),
            count(&[Carried::Transformed]),
            count(&[Carried::Constant, Carried::Derived]),
            f.not_carried.len()
        ));
    }
    text
}

/// Every field of `all`, in Markdown: a section per vendor object.
pub fn detail_markdown(all: &[Fidelity]) -> String {
    let mut text = String::new();
    for f in all {
        text.push_str(&format!(
            "### {} {} → {} ({})\n\n| Canonical field | Vendor fields | Carried | How |\n| --- | --- | --- | --- |\n",
            f.vendor,
            f.object,
            f.entity,
            f.directions.join(", ")
        ));
        for field in &f.fields {
            text.push_str(&format!(
                "| `{}` | {} | {:?} | {} |\n",
                field.canonical,
                field.vendor.iter().map(|v| format!("`{v}`")).collect::<Vec<_>>().join(", "),
                field.carried,
                field.how.as_deref().unwrap_or("").replace('|', "\\|")
            ));
        }
        text.push_str(&format!("\nKept only as extensions: {}.\n\n", f.kept.join("; ")));
        if !f.not_carried.is_empty() {
            text.push_str(&format!(
                "Not carried: {}.\n\n",
                f.not_carried.iter().map(|n| format!("`{n}`")).collect::<Vec<_>>().join(", ")
            ));
        }
    }
    text
}
