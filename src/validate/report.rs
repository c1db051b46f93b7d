//! Violations and reports.

use std::fmt;

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::Rule;

/// How bad a violation is.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Severity {
    /// The record is wrong: a ledger or tax authority would reject it.
    Error,
    /// Suspicious but possible (a due date before the issue date).
    Warning,
}

impl Severity {
    /// `"error"` or `"warning"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Error => "error",
            Severity::Warning => "warning",
        }
    }
}

impl fmt::Display for Severity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One broken rule: which rule, how bad, where, and what was expected and
/// found.
///
/// ```json
/// {"code": "BR-CO-10", "severity": "error", "path": "/totals/line_net_total",
///  "message": "expected the sum of line net amounts, 1200.00 EUR, but found 1100.00 EUR"}
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub struct Violation {
    /// The rule's stable code, such as `BR-CO-10` or `PAY-APPLIED-SUM`.
    pub code: &'static str,
    /// Error or warning.
    pub severity: Severity,
    /// RFC 6901 JSON Pointer to the offending field in the canonical JSON,
    /// such as `/lines/2/net_amount`; `""` for the whole document.
    pub path: String,
    /// What was expected and what was found.
    pub message: String,
}

impl Violation {
    /// A violation of `rule` at `path`.
    pub fn new(rule: &Rule, path: impl Into<String>, message: impl Into<String>) -> Violation {
        Violation {
            code: rule.code,
            severity: rule.severity,
            path: path.into(),
            message: message.into(),
        }
    }
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let path = if self.path.is_empty() { "/" } else { &self.path };
        write!(f, "{} {} at {}: {}", self.severity, self.code, path, self.message)
    }
}

/// Every violation found in one record, in the order the rules ran.
///
/// Serializes as `{"valid": true|false, "errors": N, "warnings": N,
/// "violations": [...]}`; `valid` is true when there is no error
/// (warnings allowed).
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ValidationReport {
    violations: Vec<Violation>,
}

impl ValidationReport {
    /// An empty report.
    pub fn new() -> ValidationReport {
        ValidationReport::default()
    }

    /// A report holding `violations`.
    pub fn from_violations(violations: Vec<Violation>) -> ValidationReport {
        ValidationReport { violations }
    }

    /// True when no violation is an error.
    pub fn is_valid(&self) -> bool {
        self.errors().next().is_none()
    }

    /// Every violation.
    pub fn violations(&self) -> &[Violation] {
        &self.violations
    }

    /// The violations of severity error.
    pub fn errors(&self) -> impl Iterator<Item = &Violation> {
        self.violations.iter().filter(|v| v.severity == Severity::Error)
    }

    /// The violations of severity warning.
    pub fn warnings(&self) -> impl Iterator<Item = &Violation> {
        self.violations.iter().filter(|v| v.severity == Severity::Warning)
    }

    /// True when some violation has `code`.
    pub fn has(&self, code: &str) -> bool {
        self.violations.iter().any(|v| v.code == code)
    }

    /// The distinct codes of the violations, in order of first appearance.
    pub fn codes(&self) -> Vec<&'static str> {
        let mut codes: Vec<&'static str> = Vec::new();
        for v in &self.violations {
            if !codes.contains(&v.code) {
                codes.push(v.code);
            }
        }
        codes
    }

    /// Adds a violation.
    pub fn push(&mut self, violation: Violation) {
        self.violations.push(violation);
    }

    /// Consumes the report, giving its violations.
    pub fn into_violations(self) -> Vec<Violation> {
        self.violations
    }
}

impl Serialize for ValidationReport {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let mut s = serializer.serialize_struct("ValidationReport", 4)?;
        s.serialize_field("valid", &self.is_valid())?;
        s.serialize_field("errors", &self.errors().count())?;
        s.serialize_field("warnings", &self.warnings().count())?;
        s.serialize_field("violations", &self.violations)?;
        s.end()
    }
}

impl fmt::Display for ValidationReport {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.violations.is_empty() {
            return f.write_str("valid");
        }
        for (i, v) in self.violations.iter().enumerate() {
            if i > 0 {
                f.write_str("\n")?;
            }
            write!(f, "{v}")?;
        }
        Ok(())
    }
}

/// Escapes one JSON Pointer reference token (RFC 6901): `~` as `~0`, `/` as
/// `~1`.
pub fn escape_pointer_token(token: &str) -> String {
    token.replace('~', "~0").replace('/', "~1")
}
