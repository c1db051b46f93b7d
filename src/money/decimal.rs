//! Exact decimal parsing and the decimal wire form.
//!
//! The canonical JSON form of an amount, quantity or rate is a string that
//! keeps its scale (`"1234.50"`). On input a string or a JSON number is
//! accepted, and both are read from their text, never through `f64`:
//! `12345678901234567.89` and `0.1` come back unchanged.

use std::borrow::Cow;
use std::fmt;

use rust_decimal::Decimal;
use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::Deserializer;

use super::{AmountProblem, MoneyError};

/// The regular expression a decimal string matches in JSON: an optional
/// `-`, an integer part without leading zeros, an optional fraction of 1 to
/// 28 digits, and at most 28 significant digits in all (the integer part's
/// digits and the fraction's, less the fraction's leading zeros after `0.`).
///
/// That is the canonical JSON form's rule, narrower than a `Decimal`'s own
/// range (a 96-bit mantissa, up to 79228162514264337593543950335, 29
/// digits) because a pattern can count digits but cannot compare them with
/// 2^96 − 1: the deserializer and the serializer hold to it too, so the
/// schema and the crate agree on every string. Rust's text form
/// ([`parse_decimal`], `Display`) keeps the full range.
pub const DECIMAL_PATTERN: &str = r"^-?(0(\.[0-9]{1,28})?|[1-9](\.[0-9]{1,27})?|[1-9][0-9](\.[0-9]{1,26})?|[1-9][0-9]{2}(\.[0-9]{1,25})?|[1-9][0-9]{3}(\.[0-9]{1,24})?|[1-9][0-9]{4}(\.[0-9]{1,23})?|[1-9][0-9]{5}(\.[0-9]{1,22})?|[1-9][0-9]{6}(\.[0-9]{1,21})?|[1-9][0-9]{7}(\.[0-9]{1,20})?|[1-9][0-9]{8}(\.[0-9]{1,19})?|[1-9][0-9]{9}(\.[0-9]{1,18})?|[1-9][0-9]{10}(\.[0-9]{1,17})?|[1-9][0-9]{11}(\.[0-9]{1,16})?|[1-9][0-9]{12}(\.[0-9]{1,15})?|[1-9][0-9]{13}(\.[0-9]{1,14})?|[1-9][0-9]{14}(\.[0-9]{1,13})?|[1-9][0-9]{15}(\.[0-9]{1,12})?|[1-9][0-9]{16}(\.[0-9]{1,11})?|[1-9][0-9]{17}(\.[0-9]{1,10})?|[1-9][0-9]{18}(\.[0-9]{1,9})?|[1-9][0-9]{19}(\.[0-9]{1,8})?|[1-9][0-9]{20}(\.[0-9]{1,7})?|[1-9][0-9]{21}(\.[0-9]{1,6})?|[1-9][0-9]{22}(\.[0-9]{1,5})?|[1-9][0-9]{23}(\.[0-9]{1,4})?|[1-9][0-9]{24}(\.[0-9]{1,3})?|[1-9][0-9]{25}(\.[0-9]{1,2})?|[1-9][0-9]{26}(\.[0-9])?|[1-9][0-9]{27})$";

/// The most significant digits a decimal has in the canonical JSON form.
pub const MAX_JSON_DIGITS: u32 = 28;

/// The largest magnitude a decimal holds: 2^96 − 1.
pub const MAX_DECIMAL_MAGNITUDE: &str = "79228162514264337593543950335";

/// The largest magnitude a decimal has in the canonical JSON form: 28
/// nines (see [`DECIMAL_PATTERN`]).
pub const MAX_JSON_MAGNITUDE: &str = "9999999999999999999999999999";

/// 10^28: one past [`MAX_JSON_MAGNITUDE`].
const JSON_MANTISSA_LIMIT: u128 = 10_000_000_000_000_000_000_000_000_000;
const MAX_MAGNITUDE: &str = MAX_DECIMAL_MAGNITUDE;

/// The most decimal places a decimal holds.
const MAX_SCALE: u32 = 28;

/// Parses a canonical decimal string strictly: `-?digits(.digits)?`, no
/// leading zeros, no exponent, no `+`, no spaces, at most 28 decimal places.
/// The scale is kept: `"1234.50"` has scale 2.
///
/// # Errors
///
/// [`MoneyError::InvalidAmount`] naming the [`AmountProblem`].
///
/// ```
/// use canonical_finance::money::parse_decimal;
///
/// assert_eq!(parse_decimal("1234.50")?.to_string(), "1234.50");
/// assert_eq!(
///     parse_decimal("12,50").unwrap_err().to_string(),
///     "invalid amount `12,50`: expected `.` as the decimal point and no thousands separators, such as `1234.50`"
/// );
/// # Ok::<(), canonical_finance::money::MoneyError>(())
/// ```
pub fn parse_decimal(text: &str) -> Result<Decimal, MoneyError> {
    parse_plain(text).map_err(|problem| invalid(text, problem))
}

/// Parses the text of a JSON number (`-?int(.frac)?([eE][+-]?exp)?`)
/// exactly. The scale is the number of fraction digits less the exponent, so
/// `1.50` has scale 2 and `15e-1` scale 1.
///
/// # Errors
///
/// [`MoneyError::InvalidAmount`] when the text is not a JSON number or the
/// value is outside the decimal range.
///
/// ```
/// use canonical_finance::money::parse_json_number;
///
/// assert_eq!(parse_json_number("12345678901234567.89")?.to_string(), "12345678901234567.89");
/// assert_eq!(parse_json_number("1.5e3")?.to_string(), "1500");
/// assert!(parse_json_number("1e400").is_err());
/// # Ok::<(), canonical_finance::money::MoneyError>(())
/// ```
pub fn parse_json_number(text: &str) -> Result<Decimal, MoneyError> {
    parse_number_text(text).map_err(|problem| invalid(text, problem))
}

/// True when `value` has at most [`MAX_JSON_DIGITS`] significant digits,
/// so that the canonical JSON form can hold it.
pub(crate) fn fits_json(value: Decimal) -> bool {
    value.mantissa().unsigned_abs() < JSON_MANTISSA_LIMIT
}

/// A decimal string as JSON carries it: [`parse_decimal`], then at most
/// [`MAX_JSON_DIGITS`] significant digits; a negative zero becomes zero.
pub(crate) fn parse_json_string(text: &str) -> Result<Decimal, MoneyError> {
    in_json(text, parse_decimal(text))
}

/// The text of a JSON number: [`parse_json_number`], then at most
/// [`MAX_JSON_DIGITS`] significant digits; a negative zero becomes zero.
pub(crate) fn parse_json_number_text(text: &str) -> Result<Decimal, MoneyError> {
    in_json(text, parse_json_number(text))
}

fn in_json(text: &str, parsed: Result<Decimal, MoneyError>) -> Result<Decimal, MoneyError> {
    match parsed {
        Ok(value) if fits_json(value) => Ok(normalize_zero(value)),
        Ok(_) | Err(MoneyError::InvalidAmount { problem: AmountProblem::OutOfRange, .. }) => {
            Err(invalid(text, AmountProblem::TooManyDigits))
        }
        Err(other) => Err(other),
    }
}

/// Writes a decimal in the canonical JSON form, a string that keeps its
/// scale; a decimal of more than [`MAX_JSON_DIGITS`] significant digits (a
/// quotient such as 10 / 3 to 28 places) is an error, never written.
pub(crate) fn write_json<S: serde::Serializer>(
    value: &Decimal,
    serializer: S,
) -> Result<S::Ok, S::Error> {
    if fits_json(*value) {
        serializer.collect_str(value)
    } else {
        Err(serde::ser::Error::custom(format!(
            "cannot write the amount {value}: the canonical JSON form holds at most 28 significant digits; round it first"
        )))
    }
}

fn invalid(text: &str, problem: AmountProblem) -> MoneyError {
    MoneyError::InvalidAmount { input: text.to_owned(), problem }
}

fn parse_plain(text: &str) -> Result<Decimal, AmountProblem> {
    if let Some(d) = parse_short(text.as_bytes()) {
        return Ok(d);
    }
    if text.is_empty() {
        return Err(AmountProblem::Empty);
    }
    let (negative, unsigned) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text),
    };
    let (int, frac) = match unsigned.split_once('.') {
        Some((int, frac)) => (int, Some(frac)),
        None => (unsigned, None),
    };
    let digits_only = |s: &str| !s.is_empty() && s.bytes().all(|b| b.is_ascii_digit());
    if !digits_only(int) || frac.is_some_and(|f| !digits_only(f)) {
        return Err(classify_malformed(text));
    }
    if int.len() > 1 && int.starts_with('0') {
        return Err(AmountProblem::LeadingZeros);
    }
    let frac = frac.unwrap_or("");
    if frac.len() > MAX_SCALE as usize {
        return Err(AmountProblem::OutOfRange);
    }
    let scale = i64::try_from(frac.len()).map_err(|_| AmountProblem::OutOfRange)?;
    from_digits(negative, int, frac, scale)
}

/// One pass over a short, well-formed canonical decimal (at most 19
/// digits): the common case. `None` sends anything else to the full parser,
/// which also explains what is wrong.
fn parse_short(text: &[u8]) -> Option<Decimal> {
    let (negative, digits) = match text.split_first()? {
        (b'-', rest) => (true, rest),
        _ => (false, text),
    };
    let (&first, _) = digits.split_first()?;
    let mut mantissa: u64 = 0;
    let mut count = 0u32;
    let mut scale = 0u32;
    let mut int_len = 0u32;
    let mut dot = false;
    for &b in digits {
        match b {
            b'0'..=b'9' => {
                count = count.checked_add(1)?;
                if count > 19 {
                    return None;
                }
                mantissa =
                    mantissa.checked_mul(10)?.checked_add(u64::from(b.wrapping_sub(b'0')))?;
                if dot {
                    scale = scale.checked_add(1)?;
                } else {
                    int_len = int_len.checked_add(1)?;
                }
            }
            b'.' if !dot && int_len > 0 => dot = true,
            _ => return None,
        }
    }
    if (dot && scale == 0) || (int_len > 1 && first == b'0') {
        return None;
    }
    let signed = i128::from(mantissa);
    let signed = if negative { signed.checked_neg()? } else { signed };
    Decimal::try_from_i128_with_scale(signed, scale).ok()
}

fn classify_malformed(text: &str) -> AmountProblem {
    let lower = text.trim().trim_start_matches(['-', '+']).to_ascii_lowercase();
    if matches!(lower.as_str(), "nan" | "inf" | "infinity") {
        AmountProblem::NotFinite
    } else if text.contains(',') {
        AmountProblem::Comma
    } else if text.trim().is_empty() {
        AmountProblem::Empty
    } else if text.contains(['e', 'E']) && parse_number_text(text).is_ok() {
        AmountProblem::ExponentInString
    } else {
        AmountProblem::Malformed
    }
}

/// Parses JSON number grammar, exponent included.
fn parse_number_text(text: &str) -> Result<Decimal, AmountProblem> {
    let (mantissa, exponent) = match text.find(['e', 'E']) {
        Some(at) => {
            let (m, e) = text.split_at(at);
            (m, e.get(1..).unwrap_or(""))
        }
        None => (text, ""),
    };
    let (negative, unsigned) = match mantissa.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, mantissa),
    };
    let (int, frac) = unsigned.split_once('.').unwrap_or((unsigned, ""));
    let digits_only = |s: &str| s.bytes().all(|b| b.is_ascii_digit());
    let well_formed = !int.is_empty()
        && digits_only(int)
        && digits_only(frac)
        && (!unsigned.contains('.') || !frac.is_empty())
        && (int.len() <= 1 || !int.starts_with('0'));
    if !well_formed {
        return Err(if text.is_empty() { AmountProblem::Empty } else { classify_non_number(text) });
    }
    let exponent: i64 = if exponent.is_empty() && !text.contains(['e', 'E']) {
        0
    } else {
        let unsigned_exp = exponent.strip_prefix(['+', '-']).unwrap_or(exponent);
        if unsigned_exp.is_empty() || !digits_only(unsigned_exp) {
            return Err(AmountProblem::Malformed);
        }
        exponent.parse().map_err(|_| AmountProblem::ExponentOutOfRange)?
    };
    let frac_len = i64::try_from(frac.len()).map_err(|_| AmountProblem::OutOfRange)?;
    let scale = frac_len.checked_sub(exponent).ok_or(AmountProblem::ExponentOutOfRange)?;
    from_digits(negative, int, frac, scale)
}

fn classify_non_number(text: &str) -> AmountProblem {
    let lower = text.trim_start_matches(['-', '+']).to_ascii_lowercase();
    if matches!(lower.as_str(), "nan" | "inf" | "infinity") {
        AmountProblem::NotFinite
    } else if text.contains(',') {
        AmountProblem::Comma
    } else {
        AmountProblem::Malformed
    }
}

/// Builds a decimal from its digits (`int` and `frac`, ASCII digits only)
/// and a scale (which may be negative, meaning trailing zeros to add).
/// Works on the digit strings in place: nothing is allocated.
fn from_digits(
    negative: bool,
    int: &str,
    frac: &str,
    scale: i64,
) -> Result<Decimal, AmountProblem> {
    let int = int.trim_start_matches('0');
    // The significant digits are `int` followed by `frac`, less any leading
    // zeros of `frac` when `int` is empty.
    let frac_digits = if int.is_empty() { frac.trim_start_matches('0') } else { frac };
    if int.is_empty() && frac_digits.is_empty() {
        // Zero: keep the scale when it is representable.
        let scale = u32::try_from(scale.clamp(0, i64::from(MAX_SCALE))).unwrap_or(0);
        return Ok(Decimal::new(0, scale));
    }
    // Trailing zeros beyond the largest scale do not change the value: drop
    // them from the end of the digit sequence.
    let total = int.len().saturating_add(frac_digits.len());
    let trailing_zeros =
        int.bytes().chain(frac_digits.bytes()).rev().take_while(|b| *b == b'0').count();
    let excess = scale.saturating_sub(i64::from(MAX_SCALE)).max(0);
    let drop = usize::try_from(excess).unwrap_or(usize::MAX).min(trailing_zeros);
    let scale = scale.saturating_sub(i64::try_from(drop).unwrap_or(i64::MAX));
    if scale > i64::from(MAX_SCALE) {
        return Err(AmountProblem::OutOfRange);
    }
    let keep = total.saturating_sub(drop);
    if keep > MAX_MAGNITUDE.len() {
        return Err(AmountProblem::OutOfRange);
    }
    let mut mantissa: u128 = 0;
    for b in int.bytes().chain(frac_digits.bytes()).take(keep) {
        mantissa = mantissa
            .checked_mul(10)
            .and_then(|m| m.checked_add(u128::from(b.wrapping_sub(b'0'))))
            .ok_or(AmountProblem::OutOfRange)?;
    }
    let mut scale = scale;
    if scale < 0 {
        let zeros =
            u32::try_from(scale.unsigned_abs()).map_err(|_| AmountProblem::ExponentOutOfRange)?;
        if zeros > MAX_SCALE.saturating_add(1) {
            return Err(AmountProblem::ExponentOutOfRange);
        }
        let factor = 10u128.checked_pow(zeros).ok_or(AmountProblem::ExponentOutOfRange)?;
        mantissa = mantissa.checked_mul(factor).ok_or(AmountProblem::OutOfRange)?;
        scale = 0;
    }
    let signed = i128::try_from(mantissa).map_err(|_| AmountProblem::OutOfRange)?;
    let signed =
        if negative { signed.checked_neg().ok_or(AmountProblem::OutOfRange)? } else { signed };
    let scale = u32::try_from(scale).map_err(|_| AmountProblem::OutOfRange)?;
    Decimal::try_from_i128_with_scale(signed, scale).map_err(|_| AmountProblem::OutOfRange)
}

/// Drops the sign of a zero, so that `-0.00` reads and prints as `0.00`.
pub(crate) fn normalize_zero(mut value: Decimal) -> Decimal {
    if value.is_zero() {
        value.set_sign_positive(true);
    }
    value
}

/// The serde visitor behind every decimal the crate reads: strings by
/// [`parse_decimal`], JSON numbers by [`parse_json_number`], integers as
/// they are, binary floats rejected.
pub(crate) struct DecimalVisitor;

impl<'de> serde::de::Visitor<'de> for DecimalVisitor {
    type Value = Decimal;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a decimal number as a string such as \"1234.50\", or a JSON number")
    }

    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Decimal, E> {
        parse_json_string(v).map_err(E::custom)
    }

    fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<Decimal, E> {
        Ok(Decimal::from(v))
    }

    fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<Decimal, E> {
        Ok(Decimal::from(v))
    }

    fn visit_i128<E: serde::de::Error>(self, v: i128) -> Result<Decimal, E> {
        Decimal::try_from_i128_with_scale(v, 0)
            .ok()
            .filter(|d| fits_json(*d))
            .ok_or_else(|| E::custom(invalid(&v.to_string(), AmountProblem::TooManyDigits)))
    }

    fn visit_u128<E: serde::de::Error>(self, v: u128) -> Result<Decimal, E> {
        i128::try_from(v)
            .ok()
            .and_then(|v| Decimal::try_from_i128_with_scale(v, 0).ok())
            .filter(|d| fits_json(*d))
            .ok_or_else(|| E::custom(invalid(&v.to_string(), AmountProblem::TooManyDigits)))
    }

    /// serde_json hands a number over as `f64` only where its text is the
    /// float's shortest round-trip form (through `serde_json::Value`, for
    /// `0.1` or `19.99`), so printing the float gives back exactly the text
    /// that was sent. Other formats get the same treatment: the shortest
    /// decimal that round-trips the float, never its binary expansion.
    fn visit_f64<E: serde::de::Error>(self, v: f64) -> Result<Decimal, E> {
        if !v.is_finite() {
            return Err(E::custom(invalid(&v.to_string(), AmountProblem::NotFinite)));
        }
        let text = v.to_string();
        parse_json_number_text(&text).map_err(E::custom)
    }

    /// serde_json (with its additive `raw_value` feature) hands over the
    /// value's text as a one-entry map when asked through the raw-value
    /// token, which [`deserialize_decimal`] does: the number is read from
    /// its text, never through `f64`.
    ///
    /// The key and the text are looked at where they lie: reading a decimal
    /// allocates nothing.
    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<Decimal, A::Error> {
        match map.next_key_seed(Text(is_raw_value_token))? {
            Some(true) => map.next_value_seed(Text(from_raw))?.map_err(serde::de::Error::custom),
            _ => Err(serde::de::Error::invalid_type(serde::de::Unexpected::Map, &self)),
        }
    }

    /// A deserializer that does not know the raw-value token (another
    /// format, or serde's buffer inside an untagged or flattened type)
    /// reads the value the ordinary way.
    fn visit_newtype_struct<D: Deserializer<'de>>(self, d: D) -> Result<Decimal, D::Error> {
        d.deserialize_any(DecimalVisitor)
    }
}

fn is_raw_value_token(key: &str) -> bool {
    key == crate::json::RAW_VALUE_TOKEN
}

/// Reads a string as a `String` would (the same types accepted, the same
/// errors) and hands it to the function without copying it.
struct Text<F>(F);

impl<'de, F: FnOnce(&str) -> T, T> serde::de::DeserializeSeed<'de> for Text<F> {
    type Value = T;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<T, D::Error> {
        deserializer.deserialize_string(self)
    }
}

impl<F: FnOnce(&str) -> T, T> serde::de::Visitor<'_> for Text<F> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a string")
    }

    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<T, E> {
        Ok((self.0)(v))
    }

    fn visit_bytes<E: serde::de::Error>(self, v: &[u8]) -> Result<T, E> {
        match std::str::from_utf8(v) {
            Ok(text) => Ok((self.0)(text)),
            Err(_) => Err(E::invalid_value(serde::de::Unexpected::Bytes(v), &self)),
        }
    }
}

/// A decimal from the JSON text of a value: a string by [`parse_decimal`],
/// a number by [`parse_json_number`], anything else the same type error
/// serde gives.
fn from_raw(raw: &str) -> Result<Decimal, String> {
    let raw = raw.trim();
    if let Some(inner) = raw.strip_prefix('"').and_then(|r| r.strip_suffix('"')) {
        let text: Cow<'_, str> = if inner.contains('\\') {
            Cow::Owned(serde_json::from_str::<String>(raw).map_err(|e| e.to_string())?)
        } else {
            Cow::Borrowed(inner)
        };
        return parse_json_string(&text).map_err(|e| e.to_string());
    }
    if raw.starts_with(|c: char| c == '-' || c.is_ascii_digit()) {
        return parse_json_number_text(raw).map_err(|e| e.to_string());
    }
    let value: serde_json::Value = serde_json::from_str(raw).map_err(|e| e.to_string())?;
    value.deserialize_any(DecimalVisitor).map_err(|e| e.to_string())
}

/// `#[serde(with = "canonical_finance::money::serde_decimal")]` for a
/// `Decimal` field in the canonical wire form: written as a string that keeps
/// its scale, read from a string or a JSON number exactly.
///
/// Pair it with `#[schemars(with = "canonical_finance::money::DecimalSchema")]`.
/// For `Option<Decimal>` use [`serde_decimal::option`].
///
/// ```
/// use rust_decimal::Decimal;
/// use serde::{Deserialize, Serialize};
///
/// #[derive(Serialize, Deserialize)]
/// struct Line {
///     #[serde(with = "canonical_finance::money::serde_decimal")]
///     quantity: Decimal,
/// }
///
/// let line: Line = serde_json::from_str(r#"{"quantity": 2.50}"#)?;
/// assert_eq!(serde_json::to_string(&line)?, r#"{"quantity":"2.50"}"#);
/// # Ok::<(), serde_json::Error>(())
/// ```
pub mod serde_decimal {
    use rust_decimal::Decimal;
    use serde::{Deserializer, Serializer};

    /// Writes the decimal as a string, scale kept.
    ///
    /// # Errors
    ///
    /// More than 28 significant digits, or the serializer's own errors.
    pub fn serialize<S: Serializer>(value: &Decimal, serializer: S) -> Result<S::Ok, S::Error> {
        super::write_json(value, serializer)
    }

    /// Reads a decimal string or an exact JSON number.
    ///
    /// # Errors
    ///
    /// A message naming the rejected input and the problem.
    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<Decimal, D::Error> {
        super::deserialize_decimal(deserializer)
    }

    /// The same wire form for `Option<Decimal>`; `None` is `null` or absent
    /// (pair with `#[serde(default, skip_serializing_if = "Option::is_none")]`).
    pub mod option {
        use rust_decimal::Decimal;
        use serde::{Deserialize, Deserializer, Serializer};

        /// Writes `Some` as a string, `None` as `null`.
        ///
        /// # Errors
        ///
        /// More than 28 significant digits, or the serializer's own errors.
        pub fn serialize<S: Serializer>(
            value: &Option<Decimal>,
            serializer: S,
        ) -> Result<S::Ok, S::Error> {
            match value {
                Some(v) => super::super::write_json(v, serializer),
                None => serializer.serialize_none(),
            }
        }

        /// Reads `null` as `None`, anything else as a decimal.
        ///
        /// # Errors
        ///
        /// A message naming the rejected input and the problem.
        pub fn deserialize<'de, D: Deserializer<'de>>(
            deserializer: D,
        ) -> Result<Option<Decimal>, D::Error> {
            Ok(Option::<super::super::DecimalRepr>::deserialize(deserializer)?.map(|d| d.0))
        }
    }
}

pub(crate) fn deserialize_decimal<'de, D: Deserializer<'de>>(
    deserializer: D,
) -> Result<Decimal, D::Error> {
    deserializer.deserialize_newtype_struct(crate::json::RAW_VALUE_TOKEN, DecimalVisitor)
}

/// A `Decimal` in the canonical wire form, for use inside other serde impls.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct DecimalRepr(pub(crate) Decimal);

impl<'de> serde::Deserialize<'de> for DecimalRepr {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserialize_decimal(deserializer).map(DecimalRepr)
    }
}

impl serde::Serialize for DecimalRepr {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        write_json(&self.0, serializer)
    }
}

/// The JSON Schema of the decimal wire form, for
/// `#[schemars(with = "canonical_finance::money::DecimalSchema")]`.
///
/// For reading (the default contract) it accepts what the deserializer
/// accepts: a string matching [`DECIMAL_PATTERN`] (at most 28 significant
/// digits and 28 decimal places; the schema and serde agree on every
/// string), or a JSON number of magnitude at most [`MAX_JSON_MAGNITUDE`].
/// For writing it is a string only.
///
/// What the schema cannot state for JSON numbers: JSON Schema bounds a
/// number's value, and validators read numbers as binary floats, so it
/// cannot count a number's digits or decimal places. The deserializer reads
/// a number's text and refuses more than 28 significant digits or decimal
/// places (`1e-400`, `1e-29`, `1e28`, `0.12345678901234567890123456789`,
/// `1.2345678901234567890123456789`), which the schema lets through; send
/// amounts as strings to have the schema check them fully.
#[derive(Debug)]
pub struct DecimalSchema;

impl JsonSchema for DecimalSchema {
    fn inline_schema() -> bool {
        true
    }

    fn schema_name() -> Cow<'static, str> {
        "Decimal".into()
    }

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        if generator.contract().is_serialize() {
            json_schema!({
                "type": "string",
                "pattern": DECIMAL_PATTERN,
            })
        } else {
            {
                let bound: serde_json::Number = MAX_JSON_MAGNITUDE
                    .parse()
                    .unwrap_or_else(|_| serde_json::Number::from(i64::MAX));
                let lower: serde_json::Number = format!("-{MAX_JSON_MAGNITUDE}")
                    .parse()
                    .unwrap_or_else(|_| serde_json::Number::from(i64::MIN));
                json_schema!({
                    "type": ["string", "number"],
                    "pattern": DECIMAL_PATTERN,
                    "minimum": lower,
                    "maximum": bound,
                })
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn plain_strings_keep_their_scale() {
        for text in ["0", "0.00", "1234.50", "-1234.5", "0.1", "12345678901234567.89"] {
            assert_eq!(parse_decimal(text).map(|d| d.to_string()), Ok(text.to_owned()));
        }
    }

    #[test]
    fn json_numbers_apply_the_exponent() {
        let cases = [
            ("1e3", "1000"),
            ("1.5E+3", "1500"),
            ("15e-1", "1.5"),
            ("-2.50e0", "-2.50"),
            ("0e5", "0"),
            ("1.000000000000000000000000000000", "1.0000000000000000000000000000"),
        ];
        for (text, expected) in cases {
            assert_eq!(parse_json_number(text).map(|d| d.to_string()), Ok(expected.to_owned()));
        }
    }

    #[test]
    fn problems_are_classified() {
        let cases = [
            ("", AmountProblem::Empty),
            ("NaN", AmountProblem::NotFinite),
            ("-Infinity", AmountProblem::NotFinite),
            ("12,50", AmountProblem::Comma),
            ("1e3", AmountProblem::ExponentInString),
            ("007.5", AmountProblem::LeadingZeros),
            ("+1", AmountProblem::Malformed),
            ("1.", AmountProblem::Malformed),
            (".5", AmountProblem::Malformed),
            (" 1", AmountProblem::Malformed),
            ("1_000", AmountProblem::Malformed),
            ("79228162514264337593543950336", AmountProblem::OutOfRange),
            ("0.12345678901234567890123456789", AmountProblem::OutOfRange),
        ];
        for (text, problem) in cases {
            assert_eq!(parse_plain(text), Err(problem), "input {text:?}");
        }
        assert_eq!(parse_number_text("1e400"), Err(AmountProblem::ExponentOutOfRange));
        assert_eq!(parse_number_text("1e-400"), Err(AmountProblem::OutOfRange));
        assert_eq!(
            parse_number_text("1e99999999999999999999"),
            Err(AmountProblem::ExponentOutOfRange)
        );
        assert_eq!(parse_number_text("1e28"), Ok(Decimal::from_i128_with_scale(10i128.pow(28), 0)));
    }

    /// `{n}` the way the patterns write it: `""` for 1, `{n}` otherwise.
    fn times(n: u32) -> String {
        if n == 1 { String::new() } else { format!("{{{n}}}") }
    }

    /// The patterns, rebuilt from their rule: for each integer part of `k`
    /// digits, a fraction of at most `28 - k`.
    #[test]
    fn the_patterns_spell_out_the_digit_rule() {
        let mut nonzero = Vec::new();
        for k in 1..=28u32 {
            let int =
                if k == 1 { "[1-9]".to_owned() } else { format!("[1-9][0-9]{}", times(k - 1)) };
            let frac = match 28 - k {
                0 => String::new(),
                1 => r"(\.[0-9])?".to_owned(),
                f => format!(r"(\.[0-9]{{1,{f}}})?"),
            };
            nonzero.push(format!("{int}{frac}"));
        }
        let decimal = format!(r"^-?(0(\.[0-9]{{1,28}})?|{})$", nonzero.join("|"));
        assert_eq!(DECIMAL_PATTERN, decimal);
        let small: Vec<String> = (0..28u32)
            .map(|zeros| {
                let lead = if zeros == 0 { String::new() } else { format!("0{}", times(zeros)) };
                let rest = match 27 - zeros {
                    0 => String::new(),
                    1 => "[0-9]?".to_owned(),
                    r => format!("[0-9]{{0,{r}}}"),
                };
                format!("{lead}[1-9]{rest}")
            })
            .collect();
        let positive = format!(r"^(0\.({})|{})$", small.join("|"), nonzero.join("|"));
        assert_eq!(POSITIVE_DECIMAL_PATTERN, positive);
    }

    #[test]
    fn json_holds_at_most_28_significant_digits() {
        let too_many = "expected at most 28 significant digits and at most 28 decimal places, the most the canonical JSON form holds";
        for text in [
            "10000000000000000000000000000",
            "79228162514264337593543950335",
            "1.2345678901234567890123456789",
            "0.12345678901234567890123456789",
            "9999999999999999999999999999.0",
        ] {
            assert_eq!(
                parse_json_string(text).map_err(|e| e.to_string()),
                Err(format!("invalid amount `{text}`: {too_many}"))
            );
        }
        for text in ["1e-400", "1e-29", "1e28", "1.000000000000000000000000000000"] {
            assert_eq!(
                parse_json_number_text(text).map_err(|e| e.to_string()),
                Err(format!("invalid amount `{text}`: {too_many}"))
            );
        }
        for text in [
            "9999999999999999999999999999",
            "-0.1234567890123456789012345678",
            "1.234567890123456789012345678",
        ] {
            assert_eq!(parse_json_string(text).map(|d| d.to_string()), Ok(text.to_owned()));
        }
        assert_eq!(
            parse_json_number_text("1e27").map(|d| d.to_string()),
            Ok(format!("1{}", "0".repeat(27)))
        );
        let mut out = Vec::new();
        let written = write_json(&Decimal::MAX, &mut serde_json::Serializer::new(&mut out));
        assert_eq!(
            written.map_err(|e| e.to_string()),
            Err("cannot write the amount 79228162514264337593543950335: the canonical JSON form holds at most 28 significant digits; round it first".to_owned())
        );
    }
}

/// The JSON Schema of a decimal greater than zero (exchange rates), read
/// contract: a positive decimal string or a JSON number above zero.
#[derive(Debug)]
pub(crate) struct PositiveDecimalSchema;

/// A decimal string of [`DECIMAL_PATTERN`] above zero.
const POSITIVE_DECIMAL_PATTERN: &str = r"^(0\.([1-9][0-9]{0,27}|0[1-9][0-9]{0,26}|0{2}[1-9][0-9]{0,25}|0{3}[1-9][0-9]{0,24}|0{4}[1-9][0-9]{0,23}|0{5}[1-9][0-9]{0,22}|0{6}[1-9][0-9]{0,21}|0{7}[1-9][0-9]{0,20}|0{8}[1-9][0-9]{0,19}|0{9}[1-9][0-9]{0,18}|0{10}[1-9][0-9]{0,17}|0{11}[1-9][0-9]{0,16}|0{12}[1-9][0-9]{0,15}|0{13}[1-9][0-9]{0,14}|0{14}[1-9][0-9]{0,13}|0{15}[1-9][0-9]{0,12}|0{16}[1-9][0-9]{0,11}|0{17}[1-9][0-9]{0,10}|0{18}[1-9][0-9]{0,9}|0{19}[1-9][0-9]{0,8}|0{20}[1-9][0-9]{0,7}|0{21}[1-9][0-9]{0,6}|0{22}[1-9][0-9]{0,5}|0{23}[1-9][0-9]{0,4}|0{24}[1-9][0-9]{0,3}|0{25}[1-9][0-9]{0,2}|0{26}[1-9][0-9]?|0{27}[1-9])|[1-9](\.[0-9]{1,27})?|[1-9][0-9](\.[0-9]{1,26})?|[1-9][0-9]{2}(\.[0-9]{1,25})?|[1-9][0-9]{3}(\.[0-9]{1,24})?|[1-9][0-9]{4}(\.[0-9]{1,23})?|[1-9][0-9]{5}(\.[0-9]{1,22})?|[1-9][0-9]{6}(\.[0-9]{1,21})?|[1-9][0-9]{7}(\.[0-9]{1,20})?|[1-9][0-9]{8}(\.[0-9]{1,19})?|[1-9][0-9]{9}(\.[0-9]{1,18})?|[1-9][0-9]{10}(\.[0-9]{1,17})?|[1-9][0-9]{11}(\.[0-9]{1,16})?|[1-9][0-9]{12}(\.[0-9]{1,15})?|[1-9][0-9]{13}(\.[0-9]{1,14})?|[1-9][0-9]{14}(\.[0-9]{1,13})?|[1-9][0-9]{15}(\.[0-9]{1,12})?|[1-9][0-9]{16}(\.[0-9]{1,11})?|[1-9][0-9]{17}(\.[0-9]{1,10})?|[1-9][0-9]{18}(\.[0-9]{1,9})?|[1-9][0-9]{19}(\.[0-9]{1,8})?|[1-9][0-9]{20}(\.[0-9]{1,7})?|[1-9][0-9]{21}(\.[0-9]{1,6})?|[1-9][0-9]{22}(\.[0-9]{1,5})?|[1-9][0-9]{23}(\.[0-9]{1,4})?|[1-9][0-9]{24}(\.[0-9]{1,3})?|[1-9][0-9]{25}(\.[0-9]{1,2})?|[1-9][0-9]{26}(\.[0-9])?|[1-9][0-9]{27})$";

impl JsonSchema for PositiveDecimalSchema {
    fn inline_schema() -> bool {
        true
    }

    fn schema_name() -> Cow<'static, str> {
        "PositiveDecimal".into()
    }

    fn json_schema(generator: &mut SchemaGenerator) -> Schema {
        let mut schema = DecimalSchema::json_schema(generator);
        schema.insert("pattern".into(), POSITIVE_DECIMAL_PATTERN.into());
        if !generator.contract().is_serialize() {
            schema.remove("minimum");
            schema.insert("exclusiveMinimum".into(), 0.into());
        }
        schema
    }
}
