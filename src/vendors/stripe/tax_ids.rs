//! Stripe tax ids both ways: the canonical scheme of a Stripe tax id type
//! (the mapping files' table) and the Stripe type of a canonical tax id
//! (by its label, else by scheme and country).

use std::collections::BTreeMap;

use crate::json::{Map, Value};

use super::json;
use crate::mapping::{Loss, LossKind, MappingError, MappingSpec, RuleSpec};
use crate::model::CountryCode;

/// The table of a mapping file's tax id rule: Stripe type → canonical
/// scheme, and the scheme of a type the table lacks.
///
/// The invoice glue reads expanded `account_tax_ids` itself (a list of ids
/// or objects, which an `each` rule cannot read) and gives them the scheme
/// the file gives the customer's tax ids, read from the file when the
/// mapper is built: one table, in the mapping file.
#[derive(Debug, Clone, Default)]
pub(super) struct Schemes {
    table: BTreeMap<String, String>,
    fallback: Option<String>,
}

impl Schemes {
    /// The enum of the rule reading `/type` into `/scheme` inside the `each`
    /// rule at `list` of `spec`.
    ///
    /// # Errors
    ///
    /// [`MappingError::InvalidSpec`] naming `file` when there is no such
    /// rule.
    pub(super) fn from_spec(
        spec: &MappingSpec,
        file: &str,
        list: &str,
    ) -> Result<Schemes, MappingError> {
        let reads = |r: &RuleSpec, p: &str| r.vendor.as_ref().is_some_and(|v| v.pointers() == [p]);
        let found = spec.rules.iter().find_map(|r| {
            let inner = r.each.as_ref().filter(|_| reads(r, list))?;
            inner.iter().find_map(|s| {
                let table = s.enum_table.as_ref()?;
                (reads(s, "/type") && s.canonical.as_deref() == Some("/scheme"))
                    .then(|| Schemes { table: table.clone(), fallback: s.fallback.clone() })
            })
        });
        match found {
            Some(schemes) => Ok(schemes),
            None => Err(MappingError::InvalidSpec {
                file: file.to_owned(),
                pointer: "/rules".to_owned(),
                message: format!(
                    "expected an each rule at {list} with an enum rule from /type to /scheme: the Stripe glue reads tax ids with that table"
                ),
            }),
        }
    }

    /// The scheme of Stripe type `kind`, and whether it is the fallback.
    fn scheme_of(&self, kind: &str) -> Option<(&str, bool)> {
        match self.table.get(kind) {
            Some(s) => Some((s.as_str(), false)),
            None => self.fallback.as_deref().map(|f| (f, true)),
        }
    }

    /// The canonical tax id of an expanded Stripe `tax_id` object at `at`
    /// (`type`, `value` and, when it is a country code, `country`), as
    /// the mapping files read a customer's: Stripe's type as the label,
    /// except on a legal registration, whose label is its ISO 6523 scheme
    /// (BR-CL-11), which Stripe does not say. `None` for anything else: an
    /// id, a deleted tax id, one without a value. A fallback scheme and a
    /// country that is not a country code are reported in `losses`.
    pub(super) fn tax_id(&self, item: &Value, at: &str, losses: &mut Vec<Loss>) -> Option<Value> {
        if item.get("deleted") == Some(&Value::Bool(true)) {
            return None;
        }
        let kind = json::text(item, "/type")?;
        let value = json::text(item, "/value")?;
        let (scheme, fell_back) = self.scheme_of(kind)?;
        if fell_back {
            losses.push(Loss::new(
                LossKind::Fallback,
                format!("{at}/type"),
                format!("`{kind}` is not in the table; mapped to `{scheme}`"),
            ));
        }
        let mut tax_id = Map::new();
        tax_id.insert("scheme".to_owned(), Value::from(scheme.to_owned()));
        tax_id.insert("value".to_owned(), Value::from(value.to_owned()));
        match json::text(item, "/country") {
            Some(c) if CountryCode::new(c).is_ok() => {
                tax_id.insert("country".to_owned(), Value::from(c.to_owned()));
            }
            Some(c) => losses.push(Loss::new(
                LossKind::Lossy,
                format!("{at}/country"),
                format!(
                    "`{c}` is not an ISO 3166-1 alpha-2 code: the tax id is read without its country (kept in extensions)"
                ),
            )),
            None => {}
        }
        if scheme != "legal_registration" {
            tax_id.insert("label".to_owned(), Value::from(kind.to_owned()));
        }
        Some(Value::Object(tax_id))
    }
}

/// True when `label` has the form of a Stripe tax id type (`eu_vat`,
/// `ca_pst_bc`, `unknown`): what the way back may write as `type`. A label
/// of another system (an ISO 6523 scheme such as `0088`, `ABN`) is not.
pub(super) fn is_stripe_type(label: &str) -> bool {
    if label == "unknown" {
        return true;
    }
    let mut parts = label.split('_');
    let country = parts.next().unwrap_or_default();
    let rest: Vec<&str> = parts.collect();
    country.len() == 2
        && country.bytes().all(|b| b.is_ascii_lowercase())
        && !rest.is_empty()
        && rest.iter().all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_lowercase()))
}

/// EU member states (and XI, Northern Ireland), whose VAT ids are Stripe's
/// `eu_vat`; `EL` is Greece's VAT prefix.
const EU_VAT: &[&str] = &[
    "AT", "BE", "BG", "CY", "CZ", "DE", "DK", "EE", "EL", "ES", "FI", "FR", "GR", "HR", "HU", "IE",
    "IT", "LT", "LU", "LV", "MT", "NL", "PL", "PT", "RO", "SE", "SI", "SK", "XI",
];

/// Stripe tax id types by canonical scheme and country, from Stripe's list
/// of tax id types, limited to the types the mapping file reads back as
/// that scheme and to countries with one obvious type (Brazil's `tin` is
/// chosen by length in [`type_by_scheme`]).
const TAX_ID_TYPES: &[(&str, &str, &str)] = &[
    ("vat", "GB", "gb_vat"),
    ("tax_registration", "AU", "au_abn"),
    ("tax_registration", "DE", "de_stn"),
    ("tax_registration", "JP", "jp_trn"),
    ("legal_registration", "CA", "ca_bn"),
    ("legal_registration", "CH", "ch_uid"),
    ("legal_registration", "JP", "jp_cn"),
    ("legal_registration", "KR", "kr_brn"),
    ("gst", "CA", "ca_gst_hst"),
    ("gst", "IN", "in_gst"),
    ("gst", "NZ", "nz_gst"),
    ("gst", "SG", "sg_gst"),
    ("sales_tax", "MY", "my_sst"),
    ("ein", "US", "us_ein"),
    ("tin", "AR", "ar_cuit"),
    ("tin", "CL", "cl_tin"),
    ("tin", "CO", "co_nit"),
    ("tin", "MX", "mx_rfc"),
];

/// The Stripe tax id type for a canonical tax id without a Stripe type:
/// by scheme and country (a VAT id's country may be its prefix; an EIN is
/// American). `None` when no Stripe type fits.
fn type_by_scheme(tax_id: &Value) -> Option<&'static str> {
    let scheme = json::text(tax_id, "/scheme")?;
    let value = json::text(tax_id, "/value").unwrap_or("");
    let prefix = value.get(..2).filter(|p| p.chars().all(|c| c.is_ascii_uppercase()));
    let country = json::text(tax_id, "/country").map(str::to_ascii_uppercase);
    let country = match (scheme, country) {
        (_, Some(c)) => c,
        ("vat", None) => prefix?.to_owned(),
        ("ein", None) => "US".to_owned(),
        _ => return None,
    };
    if scheme == "vat" && (EU_VAT.contains(&country.as_str()) || prefix == Some("XI")) {
        return Some("eu_vat");
    }
    if scheme == "tin" && country == "BR" {
        let digits = value.chars().filter(char::is_ascii_digit).count();
        return match digits {
            14 => Some("br_cnpj"),
            11 => Some("br_cpf"),
            _ => None,
        };
    }
    TAX_ID_TYPES.iter().find(|(s, c, _)| *s == scheme && *c == country).map(|(_, _, t)| *t)
}

/// The Stripe type to write for a canonical tax id: its label when that is
/// a Stripe type (the way in keeps Stripe's type there), else the type of
/// its scheme and country. `None` when no Stripe type fits.
pub(super) fn stripe_type(tax_id: &Value) -> Option<String> {
    match json::text(tax_id, "/label").filter(|l| is_stripe_type(l)) {
        Some(label) => Some(label.to_owned()),
        None => type_by_scheme(tax_id).map(str::to_owned),
    }
}

/// The loss of a tax id at `at` no Stripe type fits: it is not written,
/// rather than written with a wrong type or none.
pub(super) fn no_type(tax_id: &Value, at: String) -> Loss {
    let scheme = json::text(tax_id, "/scheme").unwrap_or("?");
    let country = json::text(tax_id, "/country")
        .map_or_else(|| "without a country".to_owned(), |c| format!("in {c}"));
    Loss::new(
        LossKind::Unsupported,
        at,
        format!(
            "no Stripe tax id type is a {scheme} id {country}: the tax id is not written (Stripe requires a type)"
        ),
    )
}

/// Before the rules run backwards: gives the tax ids at `list` of the
/// record the Stripe type the rules write (from the label) where the label
/// is not one already. A tax id read from Stripe (`kept(i)`: the residue
/// holds its Stripe fields) keeps its label as its type, or its type in the
/// residue (a legal registration without a label); one no Stripe type fits
/// is left out and reported.
pub(super) fn prepare(
    stripped: &mut Value,
    list: &str,
    kept: &dyn Fn(usize) -> bool,
    losses: &mut Vec<Loss>,
) {
    let Some(ids) = crate::mapping::pointer::get_mut(stripped, list).and_then(Value::as_array_mut)
    else {
        return;
    };
    let mut out = Vec::with_capacity(ids.len());
    for (i, mut tax_id) in std::mem::take(ids).into_iter().enumerate() {
        // Read from Stripe, the label is Stripe's type, whatever its form
        // (a type the table does not know was read with the fallback).
        let from_stripe = kept(i);
        // A tax id of scheme `other` is what its label says it is: read
        // from Stripe, a type the table does not know (kept as the label).
        let other = json::text(&tax_id, "/scheme") == Some("other");
        let labelled = json::text(&tax_id, "/label")
            .is_some_and(|l| from_stripe || other || is_stripe_type(l));
        if labelled || (json::get(&tax_id, "/label").is_none() && from_stripe) {
            out.push(tax_id);
            continue;
        }
        match stripe_type(&tax_id) {
            Some(kind) => {
                json::put(&mut tax_id, "/label", Value::from(kind));
                out.push(tax_id);
            }
            None => losses.push(no_type(&tax_id, format!("{list}/{i}"))),
        }
    }
    *ids = out;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stripe_types_are_told_from_other_labels() {
        for label in ["eu_vat", "ca_pst_bc", "eu_oss_vat", "unknown", "ch_uid"] {
            assert!(is_stripe_type(label), "{label}");
        }
        for label in ["0088", "ABN", "eu", "eu_", "_vat", "EU_VAT", "e1_vat", "eu__vat", ""] {
            assert!(!is_stripe_type(label), "{label}");
        }
    }
}
