//! VAT ids (country prefix and per-country format) and tax ids.

use super::{Loc, TAX_ID, VAT_ID, VAT_PREFIX, has_text, is_blank, quoted, quoted_private};
use crate::model::{CountryCode, TaxId, TaxIdScheme};
use crate::validate::Violation;

// ---------------------------------------------------------------------------
// VAT ids

/// The format of one country's VAT ids, after the prefix.
struct VatFormat {
    prefix: &'static str,
    /// The adjective for the message: "a German VAT id".
    name: &'static str,
    /// Accepted shapes: `d` a digit, `a` a letter, `x` a letter or digit,
    /// `k` a French key character (a digit or a letter other than I and O),
    /// `s` a letter, `+` or `*`; anything else stands for itself.
    patterns: &'static [&'static str],
    /// The shapes in words.
    shape: &'static str,
}

const XI_GB_PATTERNS: &[&str] = &["ddddddddd", "dddddddddddd", "GDddd", "HAddd"];
const XI_GB_SHAPE: &str =
    "9 or 12 digits, or GD or HA followed by 3 digits (government departments, health authorities)";

/// Formats from the VIES technical information and python-stdnum
/// (`stdnum/eu/vat.py` and the per-country modules); shapes only, no check
/// digits.
static VAT_FORMATS: &[VatFormat] = &[
    VatFormat {
        prefix: "AT",
        name: "an Austrian",
        patterns: &["Udddddddd"],
        shape: "U and 8 digits",
    },
    VatFormat {
        prefix: "BE",
        name: "a Belgian",
        patterns: &["0ddddddddd", "1ddddddddd"],
        shape: "10 digits starting with 0 or 1",
    },
    VatFormat {
        prefix: "BG",
        name: "a Bulgarian",
        patterns: &["ddddddddd", "dddddddddd"],
        shape: "9 or 10 digits",
    },
    VatFormat {
        prefix: "CY",
        name: "a Cypriot",
        patterns: &["dddddddda"],
        shape: "8 digits followed by a letter",
    },
    VatFormat {
        prefix: "CZ",
        name: "a Czech",
        patterns: &["dddddddd", "ddddddddd", "dddddddddd"],
        shape: "8, 9 or 10 digits",
    },
    VatFormat { prefix: "DE", name: "a German", patterns: &["ddddddddd"], shape: "9 digits" },
    VatFormat { prefix: "DK", name: "a Danish", patterns: &["dddddddd"], shape: "8 digits" },
    VatFormat { prefix: "EE", name: "an Estonian", patterns: &["ddddddddd"], shape: "9 digits" },
    VatFormat { prefix: "EL", name: "a Greek", patterns: &["ddddddddd"], shape: "9 digits" },
    VatFormat {
        prefix: "ES",
        name: "a Spanish",
        patterns: &["xdddddddx"],
        shape: "9 characters: a letter or digit, 7 digits, a letter or digit",
    },
    VatFormat { prefix: "FI", name: "a Finnish", patterns: &["dddddddd"], shape: "8 digits" },
    VatFormat {
        prefix: "FR",
        name: "a French",
        patterns: &["kkddddddddd"],
        shape: "a 2-character key (digits or letters other than I and O) and the 9-digit SIREN",
    },
    VatFormat { prefix: "HR", name: "a Croatian", patterns: &["ddddddddddd"], shape: "11 digits" },
    VatFormat { prefix: "HU", name: "a Hungarian", patterns: &["dddddddd"], shape: "8 digits" },
    VatFormat {
        prefix: "IE",
        name: "an Irish",
        patterns: &["ddddddda", "dddddddaa", "dsddddda"],
        shape: "7 digits and 1 or 2 letters, or the old form of a digit, a letter, + or *, 5 digits and a letter",
    },
    VatFormat { prefix: "IT", name: "an Italian", patterns: &["ddddddddddd"], shape: "11 digits" },
    VatFormat {
        prefix: "LT",
        name: "a Lithuanian",
        patterns: &["ddddddddd", "dddddddddddd"],
        shape: "9 or 12 digits",
    },
    VatFormat { prefix: "LU", name: "a Luxembourg", patterns: &["dddddddd"], shape: "8 digits" },
    VatFormat { prefix: "LV", name: "a Latvian", patterns: &["ddddddddddd"], shape: "11 digits" },
    VatFormat { prefix: "MT", name: "a Maltese", patterns: &["dddddddd"], shape: "8 digits" },
    VatFormat {
        prefix: "NL",
        name: "a Dutch",
        patterns: &["dddddddddBdd"],
        shape: "9 digits, B and 2 digits",
    },
    VatFormat { prefix: "PL", name: "a Polish", patterns: &["dddddddddd"], shape: "10 digits" },
    VatFormat { prefix: "PT", name: "a Portuguese", patterns: &["ddddddddd"], shape: "9 digits" },
    VatFormat {
        prefix: "RO",
        name: "a Romanian",
        patterns: &[
            "dd",
            "ddd",
            "dddd",
            "ddddd",
            "dddddd",
            "ddddddd",
            "dddddddd",
            "ddddddddd",
            "dddddddddd",
        ],
        shape: "2 to 10 digits",
    },
    VatFormat {
        prefix: "SE",
        name: "a Swedish",
        patterns: &["dddddddddd01"],
        shape: "10 digits followed by 01",
    },
    VatFormat { prefix: "SI", name: "a Slovenian", patterns: &["dddddddd"], shape: "8 digits" },
    VatFormat { prefix: "SK", name: "a Slovak", patterns: &["dddddddddd"], shape: "10 digits" },
    VatFormat {
        prefix: "XI",
        name: "a Northern Ireland",
        patterns: XI_GB_PATTERNS,
        shape: XI_GB_SHAPE,
    },
    VatFormat {
        prefix: "GB",
        name: "a United Kingdom",
        patterns: XI_GB_PATTERNS,
        shape: XI_GB_SHAPE,
    },
];

/// True when `text` has the shape of `pattern` (see [`VatFormat::patterns`]).
fn matches_shape(text: &str, pattern: &str) -> bool {
    text.len() == pattern.len()
        && text.bytes().zip(pattern.bytes()).all(|(c, p)| match p {
            b'd' => c.is_ascii_digit(),
            b'a' => c.is_ascii_uppercase(),
            b'x' => c.is_ascii_uppercase() || c.is_ascii_digit(),
            b'k' => (c.is_ascii_uppercase() && c != b'I' && c != b'O') || c.is_ascii_digit(),
            b's' => c.is_ascii_uppercase() || c == b'+' || c == b'*',
            literal => c == literal,
        })
}

/// The country that issues VAT ids with `prefix`: `EL` is Greece, `XI`
/// (Northern Ireland) is the United Kingdom, `1A` is Kosovo.
fn vat_prefix_country(prefix: &str) -> &str {
    match prefix {
        "EL" => "GR",
        "XI" => "GB",
        "1A" => "XK",
        other => other,
    }
}

/// What is wrong with a VAT id's country prefix in EN 16931's sense
/// (BR-CO-09), if anything: the first two characters are an upper-case
/// ISO 3166-1 alpha-2 code, `EL`, `XI` or `1A`.
fn prefix_problem(vat: &str) -> Option<String> {
    let prefix = vat.get(..2).unwrap_or(vat);
    let known = matches!(prefix, "EL" | "XI" | "1A")
        || (prefix.len() == 2
            && prefix.bytes().all(|b| b.is_ascii_uppercase())
            && CountryCode::new(prefix).is_ok());
    if known {
        return None;
    }
    Some(format!(
        "expected a country prefix, an upper-case ISO 3166-1 alpha-2 code (EL for Greece, XI for Northern Ireland, 1A for Kosovo), but {} starts with {}",
        quoted_private(vat),
        quoted(prefix)
    ))
}

/// Checks the form of a VAT id: the country prefix and, for the 27 EU
/// member states, Northern Ireland (`XI`) and the United Kingdom (`GB`),
/// the length and character classes of that country's numbers. Check
/// digits are not verified.
///
/// The prefix follows EN 16931 BR-CO-09: an ISO 3166-1 alpha-2 code, with
/// `EL` for Greece (`GR` is an error that suggests `EL`), `XI` for Northern
/// Ireland and `1A` for Kosovo. Ids of other countries (`CHE123456789MWST`,
/// `NO123456789MVA`) are accepted with 2 to 16 letters or digits after a
/// valid prefix. The id is written as issued, upper case, without spaces
/// or punctuation.
///
/// # Errors
///
/// A message saying what was expected and what was found.
///
/// ```
/// use canonical_finance::validate::validate_vat_id;
///
/// assert!(validate_vat_id("DE123456789").is_ok());
/// assert!(validate_vat_id("ATU12345678").is_ok());
/// assert!(validate_vat_id("EL123456789").is_ok());
/// assert!(validate_vat_id("XI123456789").is_ok());
/// assert!(validate_vat_id("FR12345678901").is_ok());
///
/// // The message says what to write, and quotes the id masked.
/// let err = validate_vat_id("GR123456789").unwrap_err();
/// assert!(err.contains("the prefix `EL` for Greece, `EL…6789`"), "{err}");
/// assert!(validate_vat_id("DE12345678").is_err());
/// ```
pub fn validate_vat_id(vat: &str) -> Result<(), String> {
    const EXAMPLE: &str = "such as `DE123456789`";
    if is_blank(vat) {
        return Err(format!(
            "expected a VAT id with its country prefix, {EXAMPLE}, but found an empty value"
        ));
    }
    if !vat.bytes().all(|b| b.is_ascii_alphanumeric()) {
        let compact: String = vat
            .chars()
            .filter(char::is_ascii_alphanumeric)
            .collect::<String>()
            .to_ascii_uppercase();
        let plain = vat
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c.is_whitespace() || ".-/".contains(c));
        return Err(if plain && !compact.is_empty() {
            format!(
                "expected the VAT id without spaces or punctuation, {}, but found {}",
                quoted_private(&compact),
                quoted_private(vat)
            )
        } else {
            format!(
                "expected only letters and digits, {EXAMPLE}, but found {}",
                quoted_private(vat)
            )
        });
    }
    // ASCII letters and digits from here on: byte ranges are characters.
    let (prefix, number) = (vat.get(..2).unwrap_or_default(), vat.get(2..).unwrap_or_default());
    if vat.bytes().any(|b| b.is_ascii_lowercase()) {
        return Err(format!(
            "expected upper case, {}, but found {}",
            quoted_private(&vat.to_ascii_uppercase()),
            quoted_private(vat)
        ));
    }
    if prefix == "GR" {
        return Err(format!(
            "expected the prefix `EL` for Greece, {}, but found `GR` in {}",
            quoted_private(&format!("EL{number}")),
            quoted_private(vat)
        ));
    }
    if let Some(format) = VAT_FORMATS.iter().find(|f| f.prefix == prefix) {
        if format.patterns.iter().any(|p| matches_shape(number, p)) {
            return Ok(());
        }
        return Err(format!(
            "expected {} VAT id: `{prefix}` followed by {}, but found {} ({} characters after the prefix)",
            format.name,
            format.shape,
            quoted_private(vat),
            number.len()
        ));
    }
    let known_prefix = prefix == "1A"
        || (prefix.bytes().all(|b| b.is_ascii_uppercase()) && CountryCode::new(prefix).is_ok());
    if !known_prefix {
        return Err(if prefix.bytes().any(|b| b.is_ascii_digit()) {
            format!(
                "expected a VAT id with its country prefix (EN 16931 BR-CO-09), {EXAMPLE}, but found {}",
                quoted_private(vat)
            )
        } else {
            format!(
                "expected an ISO 3166-1 alpha-2 country prefix (EL for Greece, XI for Northern Ireland), but {} starts with {}",
                quoted_private(vat),
                quoted(prefix)
            )
        });
    }
    if (2..=16).contains(&number.len()) {
        Ok(())
    } else {
        Err(format!(
            "expected 2 to 16 letters or digits after the prefix `{prefix}`, but {} has {}",
            quoted_private(vat),
            number.len()
        ))
    }
}

/// Checks a tax id at `at`.
pub(crate) fn check_tax_id_at(tax_id: &TaxId, at: &Loc<'_>, out: &mut Vec<Violation>) {
    let value = tax_id.value.as_str();
    let mut value_ok = true;
    if is_blank(value) {
        value_ok = false;
        out.push(Violation::new(
            &TAX_ID,
            at.pointer_to("value"),
            "expected the identifier as issued, but found an empty value",
        ));
    } else if value.trim() != value {
        value_ok = false;
        out.push(Violation::new(
            &TAX_ID,
            at.pointer_to("value"),
            format!(
                "expected the identifier without leading or trailing spaces, {}, but found {}",
                quoted_private(value.trim()),
                quoted_private(value)
            ),
        ));
    }
    if tax_id.scheme == TaxIdScheme::Other && !has_text(tax_id.label.as_ref()) {
        out.push(Violation::new(
            &TAX_ID,
            at.pointer_to("label"),
            "expected a label naming the kind of a tax id of scheme other, but found none",
        ));
    }
    if tax_id.scheme != TaxIdScheme::Vat || !value_ok {
        return;
    }
    if let Some(problem) = prefix_problem(value) {
        out.push(Violation::new(&VAT_PREFIX, at.pointer_to("value"), problem));
        return;
    }
    if let Err(problem) = validate_vat_id(value) {
        out.push(Violation::new(&VAT_ID, at.pointer_to("value"), problem));
        return;
    }
    let prefix = value.get(..2).unwrap_or_default();
    let issuer = vat_prefix_country(prefix);
    if let Some(country) = tax_id.country {
        let country = country.as_str();
        // Northern Ireland ids are issued by the United Kingdom.
        let agrees = country == issuer || (country == "GB" && prefix == "XI");
        if !agrees {
            out.push(Violation::new(
                &VAT_ID,
                at.pointer_to("country"),
                format!(
                    "expected the country {issuer} of the VAT id prefix `{prefix}`, but found {country}"
                ),
            ));
        }
    }
}
