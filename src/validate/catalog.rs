//! The rule catalogue: every rule the crate checks, with its stable code.

use serde::Serialize;

use super::Severity;
use crate::model::Entity;

/// One validation rule. Codes are stable: a code is never reused for a
/// different rule, and a rule keeps its code across releases.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Rule {
    /// The stable code: the EN 16931 identifier where the rule is one
    /// (`BR-CO-10`), otherwise `<ENTITY>-<NAME>` (`PAY-APPLIED-SUM`).
    pub code: &'static str,
    /// The entity the rule checks; `None` for field rules that apply
    /// wherever the field appears (IBAN, BIC, VAT id, e-mail).
    pub entity: Option<Entity>,
    /// Error or warning.
    pub severity: Severity,
    /// What the rule requires.
    pub description: &'static str,
    /// The EN 16931 rule or business terms it implements, when any.
    pub en16931: Option<&'static str>,
}

impl Rule {
    /// An error-level rule.
    pub(crate) const fn error(
        code: &'static str,
        entity: Entity,
        description: &'static str,
    ) -> Rule {
        Rule { code, entity: Some(entity), severity: Severity::Error, description, en16931: None }
    }

    /// A warning-level rule.
    pub(crate) const fn warning(
        code: &'static str,
        entity: Entity,
        description: &'static str,
    ) -> Rule {
        Rule { code, entity: Some(entity), severity: Severity::Warning, description, en16931: None }
    }

    /// An error-level field rule that applies to any entity.
    pub(crate) const fn field(code: &'static str, description: &'static str) -> Rule {
        Rule { code, entity: None, severity: Severity::Error, description, en16931: None }
    }

    /// The same rule with its EN 16931 reference.
    pub(crate) const fn en(mut self, reference: &'static str) -> Rule {
        self.en16931 = Some(reference);
        self
    }
}

/// Every rule, grouped by entity in the order of [`Entity::ALL`], then the
/// field rules shared by all entities.
///
/// ```
/// use canonical_finance::validate::rules;
///
/// let r = rules().find(|r| r.code == "BR-CO-10").ok_or("missing")?;
/// assert_eq!(r.en16931, Some("BR-CO-10"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn rules() -> impl Iterator<Item = &'static Rule> {
    super::customer::RULES
        .iter()
        .chain(super::contract::RULES)
        .chain(super::invoice::RULES)
        .chain(super::payment::RULES)
        .chain(super::journal_entry::RULES)
        .chain(super::fields::RULES)
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
         Codes are stable. Rules that implement EN 16931 carry its identifier.\n\
         Amount rules are exact unless a tolerance profile relaxes them (see `Profile`).\n",
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
        out.push_str(&format!(
            "| `{}` | {} | {} | {} |\n",
            r.code,
            r.severity,
            r.description.replace('|', "\\|"),
            r.en16931.unwrap_or("–")
        ));
    }
    out
}
