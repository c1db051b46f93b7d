//! Bank identifiers: IBAN (ISO 13616), BIC (ISO 9362), domestic routing
//! numbers and whole bank accounts.

use iban::{Iban, IbanLike, ParseBaseIbanError, ParseIbanError};

use super::{
    BANK_ACCOUNT_ID, BIC, IBAN, Loc, ROUTING_NUMBER, has_text, is_blank, quoted, quoted_private,
};
use crate::model::{BankAccount, CountryCode, RoutingScheme};
use crate::validate::{Rule, Violation};

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
            quoted_private(&compact),
            quoted_private(iban)
        ));
    }
    match iban.parse::<Iban>() {
        Ok(_) => None,
        Err(ParseIbanError::InvalidBaseIban { source: ParseBaseIbanError::InvalidChecksum }) => {
            Some(format!(
                "expected check digits that pass the ISO 13616 mod-97 check, but {} fails it",
                quoted_private(iban)
            ))
        }
        Err(ParseIbanError::InvalidBaseIban { .. }) => Some(format!(
            "expected two upper-case letters, two check digits and up to 30 letters or digits, but found {}",
            quoted_private(iban)
        )),
        Err(ParseIbanError::UnknownCountry(base)) => Some(format!(
            "expected the code of a country in the IBAN registry, but {} starts with {}",
            quoted_private(iban),
            quoted(base.country_code())
        )),
        Err(ParseIbanError::InvalidBban(base)) => Some(format!(
            "expected the length and format registered for {} IBANs, but {} has {} characters and does not match it",
            base.country_code(),
            quoted_private(iban),
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

/// Checks a bank account at `at`.
pub(crate) fn check_bank_account_at(account: &BankAccount, at: &Loc<'_>, out: &mut Vec<Violation>) {
    check_bank_account_with(account, at, &BANK_ACCOUNT_ID, out);
}

/// Checks a bank account at `at`, reporting a missing IBAN and account
/// number under `id_rule` (BR-50 on an invoice's payment instruction).
pub(crate) fn check_bank_account_with(
    account: &BankAccount,
    at: &Loc<'_>,
    id_rule: &Rule,
    out: &mut Vec<Violation>,
) {
    let has_iban = has_text(account.iban.as_ref());
    let has_number = has_text(account.account_number.as_ref());
    if !has_iban && !has_number {
        out.push(Violation::new(
            id_rule,
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
