//! Validation: every rule a finance team relies on, with stable codes and
//! exact locations.
//!
//! One call per record returns every violation at once:
//!
//! ```
//! use canonical_finance::model::Invoice;
//! use canonical_finance::validate::{Validate, Profile};
//!
//! let json = std::fs::read_to_string("schemas/examples/invoice/eur_two_vat_rates_discount.json")?;
//! let invoice: Invoice = serde_json::from_str(&json)?;
//! let report = invoice.validate();
//! assert!(report.is_valid(), "{report}");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! Each [`Violation`] has a stable rule code (EN 16931 identifiers such as
//! `BR-CO-10` where one exists), a [`Severity`], an RFC 6901 JSON Pointer to
//! the offending field of the canonical JSON (`/lines/2/net_amount`) and a
//! message that says what was expected and what was found. [`rules`] lists
//! the whole catalogue.
//!
//! Amount comparisons are exact unless a [`Profile`] relaxes them the way
//! PEPPOL BIS 3 or the EN 16931 UBL binding do.

mod catalog;
mod codelists;
mod contract;
mod customer;
mod en16931;
mod fields;
mod invoice;
mod journal_entry;
mod json;
mod payment;
mod report;
mod strict;

pub use catalog::{Rule, RuleScope, catalog_markdown, rule, rules};
pub use en16931::{En16931Rule, en16931_conformance, en16931_markdown};
pub use fields::{is_valid_bic, is_valid_iban, validate_vat_id};
pub(crate) use json::pointer_from_serde_path;
pub use json::{json_error_sentence, validate_json, validate_json_with};
pub use report::{Severity, ValidationReport, Violation, escape_pointer_token};

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use crate::model::{Contract, Customer, Invoice, JournalEntry, Payment};

/// How strictly amounts must agree.
///
/// | profile | relaxes | by |
/// | --- | --- | --- |
/// | `Exact` | nothing | – |
/// | `Peppol` | line net amount (`INV-LINE-NET`) and allowance/charge percentage (`INV-ALLOWANCE-PERCENT`) | 0.02 in the invoice currency (PEPPOL-EN16931-R120, R040) |
/// | `En16931Ubl` | tax per category and rate (`BR-CO-17`) | ±1 currency unit, as the official UBL schematron evaluates BR-CO-17, BR-S-08 and BR-S-09 |
///
/// Every other rule is exact in every profile.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Profile {
    /// Every amount must agree exactly (the default).
    #[default]
    Exact,
    /// PEPPOL BIS Billing 3.0 slack: 0.02 on line net amounts and on
    /// allowance or charge amounts computed from a percentage.
    Peppol,
    /// The EN 16931 UBL binding's ±1 unit on tax amounts per category and rate.
    En16931Ubl,
}

impl Profile {
    /// Every profile.
    pub const ALL: [Profile; 3] = [Profile::Exact, Profile::Peppol, Profile::En16931Ubl];

    /// The snake_case name.
    pub fn as_str(self) -> &'static str {
        match self {
            Profile::Exact => "exact",
            Profile::Peppol => "peppol",
            Profile::En16931Ubl => "en16931_ubl",
        }
    }
}

/// A canonical record that can be validated.
pub trait Validate {
    /// Every violation, with the exact profile.
    fn validate(&self) -> ValidationReport {
        self.validate_with(Profile::Exact)
    }

    /// Every violation, with amounts compared under `profile`.
    fn validate_with(&self, profile: Profile) -> ValidationReport;
}

impl Validate for Invoice {
    fn validate_with(&self, profile: Profile) -> ValidationReport {
        let mut out = Vec::new();
        invoice::check(self, profile, &mut out);
        fields::check_plain_text(self, &mut out);
        ValidationReport::from_violations(out)
    }
}

impl Validate for Payment {
    fn validate_with(&self, _profile: Profile) -> ValidationReport {
        let mut out = Vec::new();
        payment::check(self, &mut out);
        fields::check_plain_text(self, &mut out);
        ValidationReport::from_violations(out)
    }
}

impl Validate for JournalEntry {
    fn validate_with(&self, _profile: Profile) -> ValidationReport {
        let mut out = Vec::new();
        journal_entry::check(self, &mut out);
        fields::check_plain_text(self, &mut out);
        ValidationReport::from_violations(out)
    }
}

impl Validate for Customer {
    fn validate_with(&self, _profile: Profile) -> ValidationReport {
        let mut out = Vec::new();
        customer::check(self, &mut out);
        fields::check_plain_text(self, &mut out);
        ValidationReport::from_violations(out)
    }
}

impl Validate for Contract {
    fn validate_with(&self, _profile: Profile) -> ValidationReport {
        let mut out = Vec::new();
        contract::check(self, &mut out);
        fields::check_plain_text(self, &mut out);
        ValidationReport::from_violations(out)
    }
}
