//! Field rules shared by every entity: IBAN, BIC, VAT ids, tax ids, bank
//! accounts, routing numbers, addresses, e-mail, telephone, contacts,
//! external references and payment terms.
//!
//! Field rules have no entity: they apply wherever the field appears. The
//! entity modules call the `*_at` checks with a [`Loc`], which builds the
//! JSON Pointer only when a violation is pushed, so checking a valid record
//! allocates nothing.

use std::collections::HashMap;
use std::fmt::Write as _;
use std::hash::Hash;

use iban::{Iban, IbanLike, ParseBaseIbanError, ParseIbanError};
use rust_decimal::Decimal;
use validator::ValidateEmail;

use super::{Rule, Violation};
use crate::model::{
    Address, BankAccount, Contact, CountryCode, ExternalRef, PaymentTerms, RoutingScheme, TaxId,
    TaxIdScheme,
};
use crate::money::{ExchangeRate, Money, MoneyError, Rounding, escape};

/// IBAN: ISO 13616 check digits and the registered country format.
pub(crate) const IBAN: Rule = Rule::field(
    "IBAN",
    "an IBAN is in the electronic form without spaces, has valid ISO 13616 check digits (mod 97) and the length and BBAN format registered for its country",
)
.en("BT-84");
/// BIC: ISO 9362 structure.
pub(crate) const BIC: Rule = Rule::field(
    "BIC",
    "a BIC has 8 or 11 upper-case letters or digits: a 4-character party prefix, an ISO 3166-1 country code, a 2-character location and an optional 3-character branch (ISO 9362, ISO 20022 BICFIDec2014Identifier)",
)
.en("BT-86");
/// VAT id: country prefix, per-country format, agreement with `country`.
pub(crate) const VAT_ID: Rule = Rule::field(
    "VAT-ID",
    "a VAT id starts with its country prefix: an ISO 3166-1 alpha-2 code, EL for Greece (never GR), XI for Northern Ireland; ids of the 27 EU member states, XI and GB follow their country's length and character format; the prefix agrees with the tax id's country",
)
.en("BR-CO-09");
/// Tax id: a value as issued.
pub(crate) const TAX_ID: Rule = Rule::field(
    "TAX-ID",
    "a tax or registration id has a non-blank value without leading or trailing spaces (VAT ids: no spaces at all), and a tax id of scheme other names its kind in label",
);
/// Bank account: an IBAN or an account number.
pub(crate) const BANK_ACCOUNT_ID: Rule =
    Rule::field("BANK-ACCOUNT-ID", "a bank account has an IBAN or a domestic account number")
        .en("BT-84");
/// Routing number: the scheme's format.
pub(crate) const ROUTING_NUMBER: Rule = Rule::field(
    "ROUTING-NUMBER",
    "a routing number follows its scheme (ABA: 9 digits with a valid check digit; sort code and BSB: 6 digits; IFSC: 4 letters, 0 and 6 letters or digits; CLABE: 18 digits with a valid check digit; Canadian: 8 or 9 digits), and a routing scheme comes with a routing number",
);
/// Address: something besides the country.
pub(crate) const ADDRESS: Rule = Rule::field(
    "ADDRESS",
    "an address has a street line, a city or a postal code besides its country",
);
/// E-mail address syntax.
pub(crate) const EMAIL: Rule = Rule::field(
    "EMAIL",
    "an e-mail address follows the HTML5 e-mail grammar: a local part, @ and a domain name or address literal",
);
/// Telephone number plausibility.
pub(crate) const PHONE: Rule = Rule::field(
    "PHONE",
    "a telephone number has 5 to 20 digits and besides them only spaces, -, (, ), . and a leading +",
);
/// Contact: someone to reach.
pub(crate) const CONTACT: Rule =
    Rule::field("CONTACT", "a contact has a name, an e-mail address or a telephone number");
/// External reference: complete.
pub(crate) const EXTERNAL_REF: Rule = Rule::field(
    "EXTERNAL-REF",
    "an external reference has a non-blank system, object type and id, and a non-blank tenant when it has one",
);
/// Payment terms: a coherent early-payment discount.
pub(crate) const PAYMENT_TERMS: Rule = Rule::field(
    "PAYMENT-TERMS",
    "an early-payment discount has both a percentage above 0 and at most 100 and a number of days, and its days are not after the net days",
);

pub(super) static RULES: &[Rule] = &[
    IBAN,
    BIC,
    VAT_ID,
    TAX_ID,
    BANK_ACCOUNT_ID,
    ROUTING_NUMBER,
    ADDRESS,
    EMAIL,
    PHONE,
    CONTACT,
    EXTERNAL_REF,
    PAYMENT_TERMS,
];

// ---------------------------------------------------------------------------
// Locations

/// Where a field sits in the canonical JSON, as a chain of borrowed
/// segments; the JSON Pointer text is built only by [`Loc::pointer`].
#[derive(Debug, Clone, Copy)]
pub(crate) enum Loc<'a> {
    /// A pointer given as text (`""` for the document).
    Text(&'a str),
    /// A member of an object. Member names are field names, which need no
    /// escaping.
    Field(&'a Loc<'a>, &'static str),
    /// An element of an array.
    Index(&'a Loc<'a>, usize),
}

impl<'a> Loc<'a> {
    /// The whole document.
    pub(crate) const ROOT: Loc<'static> = Loc::Text("");

    /// The member `name` of the object here.
    pub(crate) fn field(&'a self, name: &'static str) -> Loc<'a> {
        Loc::Field(self, name)
    }

    /// The element `index` of the array here.
    pub(crate) fn index(&'a self, index: usize) -> Loc<'a> {
        Loc::Index(self, index)
    }

    /// The RFC 6901 JSON Pointer.
    pub(crate) fn pointer(&self) -> String {
        let mut out = String::new();
        self.write(&mut out);
        out
    }

    /// The JSON Pointer of the member `name` of the object here.
    pub(crate) fn pointer_to(&self, name: &'static str) -> String {
        self.field(name).pointer()
    }

    fn write(&self, out: &mut String) {
        match self {
            Loc::Text(text) => out.push_str(text),
            Loc::Field(parent, name) => {
                parent.write(out);
                out.push('/');
                out.push_str(name);
            }
            Loc::Index(parent, index) => {
                parent.write(out);
                // Writing to a String cannot fail.
                let _ = write!(out, "/{index}");
            }
        }
    }
}

/// User text for a message: escaped, shortened, in backticks.
pub(crate) fn quoted(text: &str) -> String {
    format!("`{}`", escape(text))
}

/// True when the text is empty or only white space.
pub(crate) fn is_blank(text: &str) -> bool {
    text.trim().is_empty()
}

/// True when the optional text is present and not blank.
pub(crate) fn has_text(text: Option<&String>) -> bool {
    text.is_some_and(|t| !is_blank(t))
}

// ---------------------------------------------------------------------------
// IBAN

/// True when `iban` is a valid IBAN in the electronic form: two upper-case
/// letters of a country in the SWIFT IBAN registry, two check digits that
/// pass the ISO 13616 mod-97 check, and the BBAN length and character types
/// registered for that country. The paper form with spaces is not the
/// canonical form and is rejected.
///
/// ```
/// use canonical_finance::validate::is_valid_iban;
///
/// assert!(is_valid_iban("DE89370400440532013000"));
/// assert!(is_valid_iban("GB29NWBK60161331926819"));
/// assert!(!is_valid_iban("DE88370400440532013000")); // wrong check digits
/// assert!(!is_valid_iban("DE89 3704 0044 0532 0130 00")); // paper form
/// assert!(!is_valid_iban("XX89370400440532013000")); // no such country
/// ```
pub fn is_valid_iban(iban: &str) -> bool {
    iban_problem(iban).is_none()
}

/// What is wrong with an IBAN, if anything.
fn iban_problem(iban: &str) -> Option<String> {
    if iban.chars().any(char::is_whitespace) {
        let compact: String = iban.chars().filter(|c| !c.is_whitespace()).collect();
        return Some(format!(
            "expected the electronic form without spaces, {}, but found {}",
            quoted(&compact),
            quoted(iban)
        ));
    }
    match iban.parse::<Iban>() {
        Ok(_) => None,
        Err(ParseIbanError::InvalidBaseIban { source: ParseBaseIbanError::InvalidChecksum }) => {
            Some(format!(
                "expected check digits that pass the ISO 13616 mod-97 check, but {} fails it",
                quoted(iban)
            ))
        }
        Err(ParseIbanError::InvalidBaseIban { .. }) => Some(format!(
            "expected two upper-case letters, two check digits and up to 30 letters or digits, but found {}",
            quoted(iban)
        )),
        Err(ParseIbanError::UnknownCountry(base)) => Some(format!(
            "expected the code of a country in the IBAN registry, but {} starts with {}",
            quoted(iban),
            quoted(base.country_code())
        )),
        Err(ParseIbanError::InvalidBban(base)) => Some(format!(
            "expected the length and format registered for {} IBANs, but {} has {} characters and does not match it",
            base.country_code(),
            quoted(iban),
            iban.len()
        )),
    }
}

// ---------------------------------------------------------------------------
// BIC

/// True when `bic` is a valid BIC (ISO 9362): 8 or 11 upper-case letters
/// or digits, made of a 4-character party prefix (bank code), an ISO 3166-1
/// alpha-2 country code, a 2-character location and an optional
/// 3-character branch. The prefix may hold digits, as the 2014 edition of
/// ISO 9362 and the ISO 20022 `BICFIDec2014Identifier` allow.
///
/// ```
/// use canonical_finance::validate::is_valid_bic;
///
/// assert!(is_valid_bic("DEUTDEFF"));
/// assert!(is_valid_bic("DEUTDEFF500"));
/// assert!(!is_valid_bic("DEUTXXFF")); // XX is not a country
/// assert!(!is_valid_bic("deutdeff")); // lower case
/// assert!(!is_valid_bic("DEUTDEFF50")); // 10 characters
/// ```
pub fn is_valid_bic(bic: &str) -> bool {
    bic_problem(bic).is_none()
}

/// What is wrong with a BIC, if anything.
fn bic_problem(bic: &str) -> Option<String> {
    let length = bic.chars().count();
    if length != 8 && length != 11 {
        return Some(format!("expected 8 or 11 characters, but {} has {length}", quoted(bic)));
    }
    if !bic.bytes().all(|b| b.is_ascii_alphanumeric()) {
        return Some(format!("expected only letters and digits, but found {}", quoted(bic)));
    }
    if bic.bytes().any(|b| b.is_ascii_lowercase()) {
        return Some(format!(
            "expected upper case, {}, but found {}",
            quoted(&bic.to_ascii_uppercase()),
            quoted(bic)
        ));
    }
    // ASCII from here on, so byte ranges are character ranges.
    let country = bic.get(4..6).unwrap_or_default();
    if CountryCode::new(country).is_err() {
        return Some(format!(
            "expected an ISO 3166-1 alpha-2 country code in characters 5 and 6, but {} has {}",
            quoted(bic),
            quoted(country)
        ));
    }
    None
}

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
/// let err = validate_vat_id("GR123456789").unwrap_err();
/// assert!(err.contains("`EL123456789`"), "{err}");
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
                quoted(&compact),
                quoted(vat)
            )
        } else {
            format!("expected only letters and digits, {EXAMPLE}, but found {}", quoted(vat))
        });
    }
    // ASCII letters and digits from here on: byte ranges are characters.
    let (prefix, number) = (vat.get(..2).unwrap_or_default(), vat.get(2..).unwrap_or_default());
    if vat.bytes().any(|b| b.is_ascii_lowercase()) {
        return Err(format!(
            "expected upper case, {}, but found {}",
            quoted(&vat.to_ascii_uppercase()),
            quoted(vat)
        ));
    }
    if prefix == "GR" {
        return Err(format!(
            "expected the prefix `EL` for Greece, {}, but found `GR` in {}",
            quoted(&format!("EL{number}")),
            quoted(vat)
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
            quoted(vat),
            number.len()
        ));
    }
    let known_prefix = prefix == "1A"
        || (prefix.bytes().all(|b| b.is_ascii_uppercase()) && CountryCode::new(prefix).is_ok());
    if !known_prefix {
        return Err(if prefix.bytes().any(|b| b.is_ascii_digit()) {
            format!(
                "expected a VAT id with its country prefix (EN 16931 BR-CO-09), {EXAMPLE}, but found {}",
                quoted(vat)
            )
        } else {
            format!(
                "expected an ISO 3166-1 alpha-2 country prefix (EL for Greece, XI for Northern Ireland), but {} starts with {}",
                quoted(vat),
                quoted(prefix)
            )
        });
    }
    if (2..=16).contains(&number.len()) {
        Ok(())
    } else {
        Err(format!(
            "expected 2 to 16 letters or digits after the prefix `{prefix}`, but {} has {}",
            quoted(vat),
            number.len()
        ))
    }
}

// ---------------------------------------------------------------------------
// Checks on parts of records

/// Checks a bank account at `at`.
pub(crate) fn check_bank_account_at(account: &BankAccount, at: &Loc<'_>, out: &mut Vec<Violation>) {
    let has_iban = has_text(account.iban.as_ref());
    let has_number = has_text(account.account_number.as_ref());
    if !has_iban && !has_number {
        out.push(Violation::new(
            &BANK_ACCOUNT_ID,
            at.pointer(),
            "expected an iban or an account_number, but the bank account has neither",
        ));
    }
    if let Some(iban) = &account.iban
        && let Some(problem) = iban_problem(iban)
    {
        out.push(Violation::new(&IBAN, at.pointer_to("iban"), problem));
    }
    if let Some(bic) = &account.bic
        && let Some(problem) = bic_problem(bic)
    {
        out.push(Violation::new(&BIC, at.pointer_to("bic"), problem));
    }
    match (&account.routing_number, account.routing_scheme) {
        (Some(number), Some(scheme)) => {
            if let Some(problem) = routing_problem(number, scheme) {
                out.push(Violation::new(&ROUTING_NUMBER, at.pointer_to("routing_number"), problem));
            }
        }
        (None, Some(scheme)) => out.push(Violation::new(
            &ROUTING_NUMBER,
            at.pointer_to("routing_number"),
            format!(
                "expected a routing number for the routing scheme {}, but found none",
                routing_scheme_name(scheme)
            ),
        )),
        (Some(number), None) if is_blank(number) => out.push(Violation::new(
            &ROUTING_NUMBER,
            at.pointer_to("routing_number"),
            "expected a routing number, but found an empty value",
        )),
        _ => {}
    }
}

fn routing_scheme_name(scheme: RoutingScheme) -> &'static str {
    match scheme {
        RoutingScheme::Aba => "aba",
        RoutingScheme::SortCode => "sort_code",
        RoutingScheme::Bsb => "bsb",
        RoutingScheme::CanadianTransit => "canadian_transit",
        RoutingScheme::Ifsc => "ifsc",
        RoutingScheme::Clabe => "clabe",
        _ => "other",
    }
}

/// The digits of `text` when it is only ASCII digits.
fn digits(text: &str) -> Option<impl Iterator<Item = u32> + '_> {
    text.bytes().all(|b| b.is_ascii_digit()).then(|| text.bytes().map(|b| u32::from(b & 0x0f)))
}

/// Weighted digit sum modulo 10, with the weights repeated.
fn weighted_mod10(text: &str, weights: &[u32]) -> u32 {
    digits(text)
        .map(|ds| {
            ds.zip(weights.iter().cycle())
                .fold(0u32, |acc, (d, w)| acc.wrapping_add(d.wrapping_mul(*w)) % 10)
        })
        .unwrap_or(0)
}

/// What is wrong with a routing number under `scheme`, if anything.
fn routing_problem(number: &str, scheme: RoutingScheme) -> Option<String> {
    let all_digits = !number.is_empty() && number.bytes().all(|b| b.is_ascii_digit());
    let len = number.len();
    let expected = match scheme {
        RoutingScheme::Aba => {
            if !(all_digits && len == 9) {
                "9 digits"
            } else if weighted_mod10(number, &[3, 7, 1]) != 0 {
                return Some(format!(
                    "expected an ABA routing number whose check digit is valid (3-7-1 weights), but {} fails the check",
                    quoted(number)
                ));
            } else {
                return None;
            }
        }
        RoutingScheme::SortCode | RoutingScheme::Bsb => {
            if all_digits && len == 6 {
                return None;
            }
            "6 digits without separators"
        }
        RoutingScheme::CanadianTransit => {
            if all_digits && (len == 8 || len == 9) {
                return None;
            }
            "8 digits (transit and institution) or 9 digits (0, institution, transit)"
        }
        RoutingScheme::Ifsc => {
            let ok = len == 11
                && number.bytes().take(4).all(|b| b.is_ascii_uppercase())
                && number.as_bytes().get(4) == Some(&b'0')
                && number.bytes().skip(5).all(|b| b.is_ascii_uppercase() || b.is_ascii_digit());
            if ok {
                return None;
            }
            "11 characters: 4 upper-case letters, 0 and 6 letters or digits"
        }
        RoutingScheme::Clabe => {
            if !(all_digits && len == 18) {
                "18 digits"
            } else {
                // The check digit makes the 3-7-1 weighted sum a multiple of 10.
                let body = number.get(..17).unwrap_or_default();
                let sum = weighted_mod10(body, &[3, 7, 1]);
                let check = (10u32.wrapping_sub(sum)) % 10;
                let last = number.bytes().last().map(|b| u32::from(b & 0x0f));
                if last == Some(check) {
                    return None;
                }
                return Some(format!(
                    "expected a CLABE whose last digit is the check digit {check}, but {} ends in another",
                    quoted(number)
                ));
            }
        }
        _ => {
            if is_blank(number) {
                "a non-blank routing number"
            } else {
                return None;
            }
        }
    };
    Some(format!(
        "expected a routing number of {expected} (scheme {}), but found {}",
        routing_scheme_name(scheme),
        quoted(number)
    ))
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
                quoted(value.trim()),
                quoted(value)
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

/// Checks an address at `at`.
pub(crate) fn check_address_at(address: &Address, at: &Loc<'_>, out: &mut Vec<Violation>) {
    let has_line = address.lines.iter().any(|l| !is_blank(l));
    if !has_line && !has_text(address.city.as_ref()) && !has_text(address.postal_code.as_ref()) {
        out.push(Violation::new(
            &ADDRESS,
            at.pointer(),
            format!(
                "expected a street line, a city or a postal code besides the country, but the address in {} has none",
                address.country
            ),
        ));
    }
}

/// Checks a contact at `at`.
pub(crate) fn check_contact_at(contact: &Contact, at: &Loc<'_>, out: &mut Vec<Violation>) {
    if !has_text(contact.name.as_ref())
        && !has_text(contact.email.as_ref())
        && !has_text(contact.phone.as_ref())
    {
        out.push(Violation::new(
            &CONTACT,
            at.pointer(),
            "expected a name, an email or a phone, but the contact has none",
        ));
    }
    if let Some(email) = &contact.email {
        check_email_at(email, &at.field("email"), out);
    }
    if let Some(phone) = &contact.phone {
        check_phone_at(phone, &at.field("phone"), out);
    }
}

/// Checks an e-mail address at `at`.
pub(crate) fn check_email_at(email: &str, at: &Loc<'_>, out: &mut Vec<Violation>) {
    if !email.validate_email() {
        out.push(Violation::new(
            &EMAIL,
            at.pointer(),
            format!(
                "expected an e-mail address such as `billing@example.com`, but found {}",
                quoted(email)
            ),
        ));
    }
}

/// Checks a telephone number at `at`.
pub(crate) fn check_phone_at(phone: &str, at: &Loc<'_>, out: &mut Vec<Violation>) {
    let trimmed = phone.trim_start();
    let body = trimmed.strip_prefix('+').unwrap_or(trimmed);
    let allowed = body.chars().all(|c| c.is_ascii_digit() || " -().".contains(c));
    let digit_count = body.bytes().filter(u8::is_ascii_digit).count();
    if !allowed {
        out.push(Violation::new(
            &PHONE,
            at.pointer(),
            format!(
                "expected digits with only spaces, -, (, ), . and a leading +, such as `+49 30 1234567`, but found {}",
                quoted(phone)
            ),
        ));
    } else if !(5..=20).contains(&digit_count) {
        out.push(Violation::new(
            &PHONE,
            at.pointer(),
            format!("expected 5 to 20 digits, but {} has {digit_count}", quoted(phone)),
        ));
    }
}

/// Checks external references, `at` being the array.
pub(crate) fn check_external_refs_at(refs: &[ExternalRef], at: &Loc<'_>, out: &mut Vec<Violation>) {
    for (i, r) in refs.iter().enumerate() {
        let parts: [(&'static str, Option<&str>); 4] = [
            ("system", Some(r.system.as_str())),
            ("object_type", Some(r.object_type.as_str())),
            ("id", Some(r.id.as_str())),
            ("tenant", r.tenant.as_deref()),
        ];
        for (name, value) in parts {
            if value.is_some_and(is_blank) {
                let item = at.index(i);
                out.push(Violation::new(
                    &EXTERNAL_REF,
                    item.pointer_to(name),
                    format!("expected a non-blank {name}, but found an empty value"),
                ));
            }
        }
    }
}

/// Checks payment terms at `at`.
pub(crate) fn check_payment_terms_at(terms: &PaymentTerms, at: &Loc<'_>, out: &mut Vec<Violation>) {
    if let Some(percent) = terms.discount_percent
        && (percent <= Decimal::ZERO || percent > Decimal::ONE_HUNDRED)
    {
        out.push(Violation::new(
            &PAYMENT_TERMS,
            at.pointer_to("discount_percent"),
            format!("expected a discount above 0 and at most 100 percent, but found {percent}"),
        ));
    }
    match (terms.discount_percent, terms.discount_days) {
        (Some(_), None) => out.push(Violation::new(
            &PAYMENT_TERMS,
            at.pointer_to("discount_days"),
            "expected the days within which the discount applies, but found none",
        )),
        (None, Some(days)) => out.push(Violation::new(
            &PAYMENT_TERMS,
            at.pointer_to("discount_percent"),
            format!(
                "expected the discount percentage that applies within {days} days, but found none"
            ),
        )),
        _ => {}
    }
    if let (Some(days), Some(net)) = (terms.discount_days, terms.net_days)
        && days > net
    {
        out.push(Violation::new(
            &PAYMENT_TERMS,
            at.pointer_to("discount_days"),
            format!("expected discount days of at most the net days, {net}, but found {days}"),
        ));
    }
}

// ---------------------------------------------------------------------------
// Helpers for the entity rules

/// Calls `found(later, earlier)` for every item that shares a key with an
/// earlier one, `earlier` being the first such item. Small slices are
/// compared pairwise without allocating; large ones through a hash map.
pub(crate) fn for_each_duplicate<'a, T, K, I>(
    items: &'a [T],
    keys: impl Fn(&'a T) -> I,
    mut found: impl FnMut(usize, usize),
) where
    K: Eq + Hash,
    I: Iterator<Item = K>,
{
    const PAIRWISE_UP_TO: usize = 32;
    if items.len() <= PAIRWISE_UP_TO {
        for (j, later) in items.iter().enumerate() {
            let earlier = items
                .iter()
                .take(j)
                .position(|item| keys(item).any(|a| keys(later).any(|b| a == b)));
            if let Some(i) = earlier {
                found(j, i);
            }
        }
        return;
    }
    let mut seen: HashMap<K, usize> = HashMap::new();
    for (j, later) in items.iter().enumerate() {
        let earlier = keys(later).filter_map(|k| seen.get(&k).copied()).min();
        for k in keys(later) {
            seen.entry(k).or_insert(j);
        }
        if let Some(i) = earlier {
            found(j, i);
        }
    }
}

/// How a converted amount compares with the expected conversion.
pub(crate) enum Conversion {
    /// Within one minor unit of the rounded conversion.
    Agrees,
    /// Further off; the expected amount, rounded half-even to the target's
    /// minor units (or unrounded for currencies without minor units).
    Differs(Money),
}

/// Compares `converted` with `amount` converted by `rate`, allowing one
/// minor unit of the target currency either way (one unit of the last
/// decimal place of `converted` for currencies without minor units).
///
/// # Errors
///
/// [`MoneyError`] when `amount` is not in the rate's `from` currency,
/// `converted` not in its `to` currency, or the arithmetic overflows.
pub(crate) fn compare_conversion(
    rate: &ExchangeRate,
    amount: Money,
    converted: Money,
) -> Result<Conversion, MoneyError> {
    let (expected, unit_scale) = match rate.to().minor_units() {
        Some(dp) => (rate.convert(amount, Rounding::HalfEven)?, dp),
        None => (rate.convert_unrounded(amount)?, converted.amount().scale()),
    };
    let unit = Decimal::try_new(1, unit_scale)
        .map_err(|_| MoneyError::Overflow { operation: "convert" })?;
    let difference = expected.checked_sub(converted)?.abs();
    if difference.amount() <= unit {
        Ok(Conversion::Agrees)
    } else {
        Ok(Conversion::Differs(expected))
    }
}

/// How one unit of a rate reads in a message: `1 EUR = 1.0842 USD`.
pub(crate) fn describe_rate(rate: &ExchangeRate) -> String {
    format!("1 {} = {} {}", rate.from(), rate.rate(), rate.to())
}
