//! The rule catalogue: every rule the crate checks, with its stable code.

use serde::Serialize;

use super::Severity;
use crate::model::Entity;

/// Where a rule applies with its full severity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum RuleScope {
    /// On every record.
    Always,
    /// A rule of EN 16931 that systems outside EN 16931 do not follow: a
    /// presence rule (a field the standard requires that other systems
    /// often do not have) or one of its VAT conventions (an invoice outside
    /// the scope of VAT is wholly outside it and names no VAT id): its
    /// severity holds on
    /// an invoice that declares EN 16931 in `specification` (BT-24) and is
    /// not a draft; on every other invoice it is a warning.
    En16931,
    /// Checked while the JSON is read, by the types: a document that breaks
    /// the rule does not become a record, and
    /// [`validate_json`](super::validate_json) (and the CLI) reports it
    /// under this code with its JSON Pointer.
    Parse,
}

/// One validation rule. Codes are stable: a code is never reused for a
/// different rule, and a rule keeps its code across releases.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Rule {
    /// The stable code: the EN 16931 identifier where the rule is exactly
    /// one EN 16931 rule (`BR-CO-10`), otherwise `<ENTITY>-<NAME>`
    /// (`PAY-APPLIED-SUM`, `INV-TAX-GROUP`).
    pub code: &'static str,
    /// The entity the rule checks; `None` for field rules that apply
    /// wherever the field appears (IBAN, BIC, VAT id, e-mail).
    pub entity: Option<Entity>,
    /// Error or warning.
    pub severity: Severity,
    /// Where the severity holds; see [`RuleScope`].
    pub scope: RuleScope,
    /// What the rule requires.
    pub description: &'static str,
    /// The EN 16931 business rules (`BR-…`) the code implements, then any
    /// other references (business terms `BT-…`, PEPPOL rules); empty when
    /// none. [`en16931_conformance`](super::en16931_conformance) is built
    /// from the `BR-…` entries.
    pub en16931: &'static [&'static str],
}

impl Rule {
    const fn new(
        code: &'static str,
        entity: Option<Entity>,
        severity: Severity,
        description: &'static str,
    ) -> Rule {
        Rule { code, entity, severity, scope: RuleScope::Always, description, en16931: &[] }
    }

    /// An error-level rule.
    pub(crate) const fn error(
        code: &'static str,
        entity: Entity,
        description: &'static str,
    ) -> Rule {
        Rule::new(code, Some(entity), Severity::Error, description)
    }

    /// A warning-level rule.
    pub(crate) const fn warning(
        code: &'static str,
        entity: Entity,
        description: &'static str,
    ) -> Rule {
        Rule::new(code, Some(entity), Severity::Warning, description)
    }

    /// An error-level field rule that applies to any entity.
    pub(crate) const fn field(code: &'static str, description: &'static str) -> Rule {
        Rule::new(code, None, Severity::Error, description)
    }

    /// The same rule with the EN 16931 rules and terms it implements.
    pub(crate) const fn en(mut self, references: &'static [&'static str]) -> Rule {
        self.en16931 = references;
        self
    }

    /// The same rule as an EN 16931 presence rule ([`RuleScope::En16931`]).
    pub(crate) const fn presence(mut self) -> Rule {
        self.scope = RuleScope::En16931;
        self
    }

    /// The EN 16931 business rules (`BR-…`) among the references.
    pub fn business_rules(&self) -> impl Iterator<Item = &'static str> {
        self.en16931.iter().copied().filter(|r| r.starts_with("BR-"))
    }
}

/// Every rule, grouped by entity in the order of [`Entity::ALL`], then the
/// field rules shared by all entities.
///
/// ```
/// use canonical_finance::validate::rules;
///
/// let r = rules().find(|r| r.code == "BR-CO-10").ok_or("missing")?;
/// assert_eq!(r.en16931, ["BR-CO-10"]);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn rules() -> impl Iterator<Item = &'static Rule> {
    super::customer::RULES
        .iter()
        .chain(super::contract::RULES)
        .chain(super::invoice::RULES)
        .chain(super::json::INVOICE_RULES)
        .chain(super::payment::RULES)
        .chain(super::journal_entry::RULES)
        .chain(super::fields::RULES)
        .chain(super::json::SHARED_RULES)
}

/// The rule with `code`, if any.
pub fn rule(code: &str) -> Option<&'static Rule> {
    rules().find(|r| r.code == code)
}

/// The catalogue as Markdown: the checked-in `docs/rules.md`.
pub fn catalog_markdown() -> String {
    let mut out = String::from(
        "# Validation rules\n\n\
         Generated from the rule catalogue (`canonical_finance::validate::rules()`) by\n\
         `cargo run --example regenerate`; a test fails when this file is stale.\n\
         `canonical-finance rules` prints the same catalogue as JSON.\n\n\
         Codes are stable. Rules that implement EN 16931 carry its identifier; a code that is\n\
         exactly one EN 16931 rule is that rule's identifier (`BR-06`). Amount rules are exact\n\
         unless a tolerance profile relaxes them (see `Profile`).\n\n\
         Severity, by scope:\n\n\
         - *EN 16931 presence* rules require a field EN 16931 requires but systems outside it\n  \
           often lack (the seller's name, a line's unit of measure), or follow a VAT convention of\n  \
           EN 16931 that other systems do not (an invoice outside the scope of VAT is wholly outside\n  \
           it and names no VAT id). They are errors on an invoice\n  \
           that declares EN 16931 in `specification` (BT-24) and is not a draft, warnings on every\n  \
           other invoice.\n\
         - *reading* rules are enforced by the types: a document that breaks one does not become a\n  \
           record. `validate_json` and `canonical-finance validate` report each under its code\n  \
           with its JSON Pointer (every missing EN 16931 field at once).\n\
         - every other rule has its severity everywhere.\n",
    );
    let mut current: Option<Option<Entity>> = None;
    for r in rules() {
        if current != Some(r.entity) {
            current = Some(r.entity);
            let title = r.entity.map_or("shared field rules", Entity::name);
            out.push_str(&format!(
                "\n## {title}\n\n| code | severity | rule | EN 16931 |\n| --- | --- | --- | --- |\n"
            ));
        }
        let severity = match r.scope {
            RuleScope::Always => r.severity.to_string(),
            RuleScope::En16931 => format!("{} (EN 16931 presence)", r.severity),
            RuleScope::Parse => format!("{} (reading)", r.severity),
        };
        let references = if r.en16931.is_empty() { "–".to_owned() } else { r.en16931.join(", ") };
        out.push_str(&format!(
            "| `{}` | {severity} | {} | {references} |\n",
            r.code,
            r.description.replace('|', "\\|"),
        ));
    }
    out.push('\n');
    out.push_str(&super::en16931_markdown());
    out
}
