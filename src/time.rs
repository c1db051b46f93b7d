//! Dates and instants in their wire form, read and written strictly.
//!
//! A date is RFC 3339 `full-date`, `YYYY-MM-DD`; an instant is RFC 3339
//! `date-time`, `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)`, written in UTC
//! with `Z`. Both sides of the wire follow one rule, the one the published
//! schemas state with a `pattern` next to their `format`:
//!
//! - years `0001` to `9999`, always four digits; days that exist (29
//!   February only in leap years);
//! - a capital `T` and a capital `Z` (RFC 3339 also allows `t` and `z`; the
//!   crate never writes them and does not read them);
//! - seconds `00` to `59`: no leap second `60`, which `DateTime<Utc>` cannot
//!   hold as an instant of its own;
//! - at most 9 fraction digits (nanoseconds), so nothing read is cut off;
//! - offsets from `-23:59` to `+23:59`, converted to UTC when read. So that
//!   every instant read stays in the years 0001 to 9999 in UTC, an instant
//!   on 0001-01-01 takes `Z` or an offset of zero or below, and one on
//!   9999-12-31 takes `Z` or an offset of zero or above.
//!
//! chrono's own serde accepts years beyond these (`-0001-01-01`,
//! `+10000-01-01`) and writes them, which no RFC 3339 reader takes back;
//! the model's fields use [`serde_date`] and [`serde_instant`] instead.
//!
//! ```
//! use canonical_finance::time::{parse_date, parse_instant};
//!
//! assert_eq!(parse_date("2024-02-29")?.to_string(), "2024-02-29");
//! assert_eq!(
//!     parse_date("2023-02-29").unwrap_err().to_string(),
//!     "expected a date as YYYY-MM-DD, but found 29 February in 2023, which is not a leap year"
//! );
//! assert_eq!(parse_instant("2026-12-03T19:41:12+01:00")?.to_rfc3339(), "2026-12-03T18:41:12+00:00");
//! # Ok::<(), canonical_finance::time::TimeError>(())
//! ```

use std::fmt;

use chrono::{DateTime, Datelike, FixedOffset, NaiveDate, SecondsFormat, TimeZone, Timelike, Utc};
use serde::{Deserializer, Serializer};

/// What a date looks like, for messages.
const DATE_FORM: &str = "a date as YYYY-MM-DD";

/// What an instant looks like, for messages.
const INSTANT_FORM: &str =
    "an instant as YYYY-MM-DDTHH:MM:SS, with up to 9 fraction digits and `Z` or an offset ±HH:MM";

/// The pattern of a date as the crate reads and writes it: every day that
/// exists from 0001-01-01 to 9999-12-31, 29 February only in leap years.
pub const DATE_PATTERN: &str = concat!(
    "^(",
    "(000[1-9]|00[1-9][0-9]|0[1-9][0-9]{2}|[1-9][0-9]{3})",
    "-((0[1-9]|1[0-2])-(0[1-9]|1[0-9]|2[0-8])|(0[13-9]|1[0-2])-(29|30)|(0[13578]|1[02])-31)",
    "|([0-9]{2}(0[48]|[2468][048]|[13579][26])|(0[48]|[2468][048]|[13579][26])00)-02-29",
    ")$"
);

/// The pattern of an instant as the crate reads it: a date of
/// [`DATE_PATTERN`], `T`, a time with seconds `00`–`59` and up to 9 fraction
/// digits, and `Z` or an offset `±HH:MM`. [`DATE_TIME_EDGE_PATTERN`] says
/// what the first and last day may not take.
pub const DATE_TIME_PATTERN: &str = concat!(
    "^(",
    "(000[1-9]|00[1-9][0-9]|0[1-9][0-9]{2}|[1-9][0-9]{3})",
    "-((0[1-9]|1[0-2])-(0[1-9]|1[0-9]|2[0-8])|(0[13-9]|1[0-2])-(29|30)|(0[13578]|1[02])-31)",
    "|([0-9]{2}(0[48]|[2468][048]|[13579][26])|(0[48]|[2468][048]|[13579][26])00)-02-29",
    ")T([01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](\\.[0-9]{1,9})?",
    "(Z|[+-]([01][0-9]|2[0-3]):[0-5][0-9])$"
);

/// The instants that [`DATE_TIME_PATTERN`] matches but that fall outside
/// the years 0001 to 9999 once converted to UTC, or may: on 0001-01-01 an
/// offset above zero, on 9999-12-31 one below zero. Schemas put it under
/// `not`.
pub const DATE_TIME_EDGE_PATTERN: &str = concat!(
    "^(0001-01-01T[^+]*\\+|9999-12-31T[^-]*-)",
    "((0[1-9]|1[0-9]|2[0-3]):[0-5][0-9]|00:(0[1-9]|[1-5][0-9]))$"
);

/// A date or an instant that cannot be read or written.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum TimeError {
    /// The text does not have the form.
    #[error("expected {expected}, but found `{input}`")]
    Malformed {
        /// The form expected.
        expected: &'static str,
        /// The text found.
        input: String,
    },
    /// The year is not four digits from `0001` to `9999`.
    #[error("expected {expected} with a year from 0001 to 9999, but found `{input}`")]
    YearOutOfRange {
        /// The form expected.
        expected: &'static str,
        /// The text found.
        input: String,
    },
    /// 29 February in a year that is not a leap year.
    #[error("expected {expected}, but found 29 February in {year}, which is not a leap year")]
    NotLeapYear {
        /// The form expected.
        expected: &'static str,
        /// The year.
        year: u16,
    },
    /// A day beyond the end of its month, such as 31 April.
    #[error("expected {expected}, but found day {day} of {month}, which has {days} days")]
    NoSuchDay {
        /// The form expected.
        expected: &'static str,
        /// The day of the month found.
        day: u8,
        /// The month's English name.
        month: &'static str,
        /// How many days the month has.
        days: u8,
    },
    /// An instant whose offset would take it outside the years 0001 to
    /// 9999 in UTC.
    #[error(
        "expected an instant from 0001-01-01T00:00:00Z to 9999-12-31T23:59:59.999999999Z, but found `{input}`: on 0001-01-01 the offset must be `Z` or not above zero, on 9999-12-31 `Z` or not below zero"
    )]
    InstantOutOfRange {
        /// The text found.
        input: String,
    },
    /// A value built in Rust that the wire form cannot hold.
    #[error("cannot write {value}: {reason}")]
    Unwritable {
        /// The value, as chrono shows it.
        value: String,
        /// Why not.
        reason: &'static str,
    },
}

const MONTHS: [&str; 12] = [
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
];

/// Reads a date `YYYY-MM-DD` strictly (see the [module docs](self)).
///
/// # Errors
///
/// A [`TimeError`] saying what was expected and what was found.
pub fn parse_date(text: &str) -> Result<NaiveDate, TimeError> {
    let malformed = || TimeError::Malformed { expected: DATE_FORM, input: text.to_owned() };
    if text.len() != 10 {
        return Err(if looks_like_wide_year(text) {
            TimeError::YearOutOfRange { expected: DATE_FORM, input: text.to_owned() }
        } else {
            malformed()
        });
    }
    date_part(text.as_bytes(), text, DATE_FORM)
}

/// True for `-0001-01-01`, `+10000-01-01`, `10000-01-01`: a date whose year
/// has a sign or another number of digits than four.
fn looks_like_wide_year(text: &str) -> bool {
    let Some((year, month_day)) = text.len().checked_sub(6).and_then(|at| {
        text.get(..at).and_then(|year| text.get(at..).map(|month_day| (year, month_day)))
    }) else {
        return false;
    };
    let digits = year.strip_prefix(['-', '+']).unwrap_or(year);
    let month_day = month_day.as_bytes();
    !digits.is_empty()
        && digits.bytes().all(|b| b.is_ascii_digit())
        && matches!(month_day, [b'-', m1, m2, b'-', d1, d2]
            if [m1, m2, d1, d2].iter().all(|b| b.is_ascii_digit()))
}

/// The date in the first ten bytes of `bytes` (the whole text is `input`).
fn date_part(bytes: &[u8], input: &str, expected: &'static str) -> Result<NaiveDate, TimeError> {
    let malformed = || TimeError::Malformed { expected, input: input.to_owned() };
    let [y1, y2, y3, y4, b'-', m1, m2, b'-', d1, d2, ..] = *bytes else {
        return Err(malformed());
    };
    let year = number(&[y1, y2, y3, y4]).ok_or_else(malformed)?;
    let month = number(&[m1, m2]).ok_or_else(malformed)?;
    let day = number(&[d1, d2]).ok_or_else(malformed)?;
    if year == 0 {
        return Err(TimeError::YearOutOfRange { expected, input: input.to_owned() });
    }
    let month_index = usize::from(month).checked_sub(1).ok_or_else(malformed)?;
    let month_name = MONTHS.get(month_index).copied().ok_or_else(malformed)?;
    if day == 0 {
        return Err(malformed());
    }
    let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0;
    let days: u16 = match month {
        2 if leap => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    };
    if day > days {
        return Err(if month == 2 && day == 29 {
            TimeError::NotLeapYear { expected, year }
        } else if day <= 31 {
            TimeError::NoSuchDay {
                expected,
                day: u8::try_from(day).unwrap_or(u8::MAX),
                month: month_name,
                days: u8::try_from(days).unwrap_or(u8::MAX),
            }
        } else {
            malformed()
        });
    }
    NaiveDate::from_ymd_opt(i32::from(year), u32::from(month), u32::from(day)).ok_or_else(malformed)
}

/// The value of a run of ASCII digits, `None` if any byte is not one.
fn number(digits: &[u8]) -> Option<u16> {
    digits.iter().try_fold(0u16, |acc, &b| {
        let digit = b.is_ascii_digit().then(|| u16::from(b.wrapping_sub(b'0')))?;
        acc.checked_mul(10)?.checked_add(digit)
    })
}

/// Reads an instant `YYYY-MM-DDTHH:MM:SS[.fraction](Z|±HH:MM)` strictly
/// (see the [module docs](self)) and converts it to UTC.
///
/// # Errors
///
/// A [`TimeError`] saying what was expected and what was found.
pub fn parse_instant(text: &str) -> Result<DateTime<Utc>, TimeError> {
    let malformed = || TimeError::Malformed { expected: INSTANT_FORM, input: text.to_owned() };
    let bytes = text.as_bytes();
    if let Some(t) = text.find('T')
        && t != 10
        && text.get(..t).is_some_and(looks_like_wide_year)
    {
        return Err(TimeError::YearOutOfRange { expected: INSTANT_FORM, input: text.to_owned() });
    }
    let date = date_part(bytes, text, INSTANT_FORM)?;
    let Some([b'T', h1, h2, b':', n1, n2, b':', s1, s2]) = bytes.get(10..19) else {
        return Err(malformed());
    };
    let hour = number(&[*h1, *h2]).filter(|h| *h < 24).ok_or_else(malformed)?;
    let minute = number(&[*n1, *n2]).filter(|m| *m < 60).ok_or_else(malformed)?;
    let second = number(&[*s1, *s2]).filter(|s| *s < 60).ok_or_else(malformed)?;
    let rest = bytes.get(19..).unwrap_or_default();
    let (nanos, zone) = fraction(rest).ok_or_else(malformed)?;
    let offset_seconds = offset(zone).ok_or_else(malformed)?;
    let first_day = (date.year(), date.ordinal()) == (1, 1);
    let last_day = (date.year(), date.month(), date.day()) == (9999, 12, 31);
    if (first_day && offset_seconds > 0) || (last_day && offset_seconds < 0) {
        return Err(TimeError::InstantOutOfRange { input: text.to_owned() });
    }
    let local = date
        .and_hms_nano_opt(u32::from(hour), u32::from(minute), u32::from(second), nanos)
        .ok_or_else(malformed)?;
    let utc = FixedOffset::east_opt(offset_seconds)
        .and_then(|zone| zone.from_local_datetime(&local).single())
        .map(|dt| dt.with_timezone(&Utc))
        .ok_or_else(malformed)?;
    if !(1..=9999).contains(&utc.year()) {
        return Err(TimeError::InstantOutOfRange { input: text.to_owned() });
    }
    Ok(utc)
}

/// The nanoseconds of an optional `.fraction` (1 to 9 digits) at the start
/// of `rest`, and what follows it.
fn fraction(rest: &[u8]) -> Option<(u32, &[u8])> {
    let Some((b'.', after)) = rest.split_first() else {
        return Some((0, rest));
    };
    let count = after.iter().take_while(|b| b.is_ascii_digit()).count();
    if !(1..=9).contains(&count) {
        return None;
    }
    let (digits, zone) = after.split_at_checked(count)?;
    let mut nanos = 0u32;
    for i in 0..9 {
        let digit = digits.get(i).map_or(0, |b| u32::from(b.wrapping_sub(b'0')));
        nanos = nanos.checked_mul(10)?.checked_add(digit)?;
    }
    Some((nanos, zone))
}

/// The offset in seconds east of UTC of `Z` or `±HH:MM`, the whole of `zone`.
fn offset(zone: &[u8]) -> Option<i32> {
    match *zone {
        [b'Z'] => Some(0),
        [sign @ (b'+' | b'-'), h1, h2, b':', m1, m2] => {
            let hours = number(&[h1, h2]).filter(|h| *h < 24)?;
            let minutes = number(&[m1, m2]).filter(|m| *m < 60)?;
            let seconds = i32::from(hours)
                .checked_mul(3600)?
                .checked_add(i32::from(minutes).checked_mul(60)?)?;
            Some(if sign == b'-' { seconds.checked_neg()? } else { seconds })
        }
        _ => None,
    }
}

/// Writes a date as `YYYY-MM-DD`.
///
/// # Errors
///
/// [`TimeError::Unwritable`] for a year outside 0001 to 9999 (a date built
/// in Rust; none is read).
pub fn format_date(date: NaiveDate) -> Result<String, TimeError> {
    writable_date(date)?;
    Ok(date.format("%Y-%m-%d").to_string())
}

/// Ok for a date RFC 3339 can write: years 0001 to 9999.
fn writable_date(date: NaiveDate) -> Result<(), TimeError> {
    if (1..=9999).contains(&date.year()) {
        Ok(())
    } else {
        Err(TimeError::Unwritable {
            value: format!("the date {date}"),
            reason: "RFC 3339 writes the years 0001 to 9999",
        })
    }
}

/// Writes an instant in UTC, `YYYY-MM-DDTHH:MM:SS[.fraction]Z`, with 0, 3,
/// 6 or 9 fraction digits: as few as keep it exact.
///
/// # Errors
///
/// [`TimeError::Unwritable`] for a year outside 0001 to 9999 or a leap
/// second (values built in Rust; none is read).
pub fn format_instant(instant: DateTime<Utc>) -> Result<String, TimeError> {
    let unwritable =
        |reason| TimeError::Unwritable { value: format!("the instant {instant:?}"), reason };
    if !(1..=9999).contains(&instant.year()) {
        return Err(unwritable("RFC 3339 writes the years 0001 to 9999"));
    }
    if instant.nanosecond() >= 1_000_000_000 {
        return Err(unwritable("the canonical form has no leap seconds"));
    }
    Ok(instant.to_rfc3339_opts(SecondsFormat::AutoSi, true))
}

struct DateVisitor;

impl serde::de::Visitor<'_> for DateVisitor {
    type Value = NaiveDate;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(DATE_FORM)
    }

    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<NaiveDate, E> {
        parse_date(v).map_err(E::custom)
    }
}

struct InstantVisitor;

impl serde::de::Visitor<'_> for InstantVisitor {
    type Value = DateTime<Utc>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(INSTANT_FORM)
    }

    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<DateTime<Utc>, E> {
        parse_instant(v).map_err(E::custom)
    }
}

/// A date in the wire form, for `Option` fields.
struct DateRepr(NaiveDate);

impl<'de> serde::Deserialize<'de> for DateRepr {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_str(DateVisitor).map(DateRepr)
    }
}

/// An instant in the wire form, for `Option` fields.
struct InstantRepr(DateTime<Utc>);

impl<'de> serde::Deserialize<'de> for InstantRepr {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_str(InstantVisitor).map(InstantRepr)
    }
}

/// `#[serde(with = "canonical_finance::time::serde_date")]` for a
/// `NaiveDate` field: written and read as `YYYY-MM-DD` by [`format_date`]
/// and [`parse_date`]. For `Option<NaiveDate>` use [`serde_date::option`].
pub mod serde_date {
    use chrono::NaiveDate;
    use serde::{Deserializer, Serializer};

    /// Writes the date as `YYYY-MM-DD`.
    ///
    /// # Errors
    ///
    /// A year outside 0001 to 9999, or the serializer's own errors.
    pub fn serialize<S: Serializer>(value: &NaiveDate, serializer: S) -> Result<S::Ok, S::Error> {
        super::write_date(value, serializer)
    }

    /// Reads a date `YYYY-MM-DD`.
    ///
    /// # Errors
    ///
    /// A message saying what was expected and what was found.
    pub fn deserialize<'de, D: Deserializer<'de>>(deserializer: D) -> Result<NaiveDate, D::Error> {
        deserializer.deserialize_str(super::DateVisitor)
    }

    /// The same for `Option<NaiveDate>`: `None` is `null` or absent (pair
    /// with `#[serde(default, skip_serializing_if = "Option::is_none")]`).
    pub mod option {
        use chrono::NaiveDate;
        use serde::{Deserialize, Deserializer, Serializer};

        /// Writes `Some` as `YYYY-MM-DD`, `None` as `null`.
        ///
        /// # Errors
        ///
        /// A year outside 0001 to 9999, or the serializer's own errors.
        pub fn serialize<S: Serializer>(
            value: &Option<NaiveDate>,
            serializer: S,
        ) -> Result<S::Ok, S::Error> {
            match value {
                Some(v) => super::super::write_date(v, serializer),
                None => serializer.serialize_none(),
            }
        }

        /// Reads `null` as `None`, anything else as a date.
        ///
        /// # Errors
        ///
        /// A message saying what was expected and what was found.
        pub fn deserialize<'de, D: Deserializer<'de>>(
            deserializer: D,
        ) -> Result<Option<NaiveDate>, D::Error> {
            Ok(Option::<super::super::DateRepr>::deserialize(deserializer)?.map(|d| d.0))
        }
    }
}

/// `#[serde(with = "canonical_finance::time::serde_instant")]` for a
/// `DateTime<Utc>` field: written in UTC by [`format_instant`], read by
/// [`parse_instant`]. For `Option<DateTime<Utc>>` use
/// [`serde_instant::option`].
pub mod serde_instant {
    use chrono::{DateTime, Utc};
    use serde::{Deserializer, Serializer};

    /// Writes the instant in UTC.
    ///
    /// # Errors
    ///
    /// A year outside 0001 to 9999, a leap second, or the serializer's own
    /// errors.
    pub fn serialize<S: Serializer>(
        value: &DateTime<Utc>,
        serializer: S,
    ) -> Result<S::Ok, S::Error> {
        super::write_instant(value, serializer)
    }

    /// Reads an RFC 3339 instant and converts it to UTC.
    ///
    /// # Errors
    ///
    /// A message saying what was expected and what was found.
    pub fn deserialize<'de, D: Deserializer<'de>>(
        deserializer: D,
    ) -> Result<DateTime<Utc>, D::Error> {
        deserializer.deserialize_str(super::InstantVisitor)
    }

    /// The same for `Option<DateTime<Utc>>`: `None` is `null` or absent
    /// (pair with `#[serde(default, skip_serializing_if = "Option::is_none")]`).
    pub mod option {
        use chrono::{DateTime, Utc};
        use serde::{Deserialize, Deserializer, Serializer};

        /// Writes `Some` in UTC, `None` as `null`.
        ///
        /// # Errors
        ///
        /// A year outside 0001 to 9999, a leap second, or the serializer's
        /// own errors.
        pub fn serialize<S: Serializer>(
            value: &Option<DateTime<Utc>>,
            serializer: S,
        ) -> Result<S::Ok, S::Error> {
            match value {
                Some(v) => super::super::write_instant(v, serializer),
                None => serializer.serialize_none(),
            }
        }

        /// Reads `null` as `None`, anything else as an instant.
        ///
        /// # Errors
        ///
        /// A message saying what was expected and what was found.
        pub fn deserialize<'de, D: Deserializer<'de>>(
            deserializer: D,
        ) -> Result<Option<DateTime<Utc>>, D::Error> {
            Ok(Option::<super::super::InstantRepr>::deserialize(deserializer)?.map(|d| d.0))
        }
    }
}

fn write_date<S: Serializer>(value: &NaiveDate, serializer: S) -> Result<S::Ok, S::Error> {
    writable_date(*value).map_err(serde::ser::Error::custom)?;
    // Formatted straight into the output, without a String per date.
    serializer.collect_str(&value.format("%Y-%m-%d"))
}

fn write_instant<S: Serializer>(value: &DateTime<Utc>, serializer: S) -> Result<S::Ok, S::Error> {
    let text = format_instant(*value).map_err(serde::ser::Error::custom)?;
    serializer.serialize_str(&text)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_instant_starts_with_a_date() {
        let date = DATE_PATTERN.strip_suffix('$').unwrap();
        assert!(DATE_TIME_PATTERN.starts_with(date));
    }

    #[test]
    fn dates_say_what_is_wrong() {
        let cases = [
            ("2024-1-01", "expected a date as YYYY-MM-DD, but found `2024-1-01`"),
            ("2024-13-01", "expected a date as YYYY-MM-DD, but found `2024-13-01`"),
            ("2024-01-32", "expected a date as YYYY-MM-DD, but found `2024-01-32`"),
            (
                "0000-01-01",
                "expected a date as YYYY-MM-DD with a year from 0001 to 9999, but found `0000-01-01`",
            ),
            (
                "-0001-01-01",
                "expected a date as YYYY-MM-DD with a year from 0001 to 9999, but found `-0001-01-01`",
            ),
            (
                "+10000-01-01",
                "expected a date as YYYY-MM-DD with a year from 0001 to 9999, but found `+10000-01-01`",
            ),
            (
                "2023-02-29",
                "expected a date as YYYY-MM-DD, but found 29 February in 2023, which is not a leap year",
            ),
            (
                "1900-02-29",
                "expected a date as YYYY-MM-DD, but found 29 February in 1900, which is not a leap year",
            ),
            (
                "2024-04-31",
                "expected a date as YYYY-MM-DD, but found day 31 of April, which has 30 days",
            ),
            (
                "2024-02-30",
                "expected a date as YYYY-MM-DD, but found day 30 of February, which has 29 days",
            ),
        ];
        for (text, message) in cases {
            assert_eq!(parse_date(text).map_err(|e| e.to_string()), Err(message.to_owned()));
        }
        for good in ["0001-01-01", "2000-02-29", "2024-02-29", "9999-12-31"] {
            assert_eq!(parse_date(good).and_then(format_date), Ok(good.to_owned()));
        }
    }

    #[test]
    fn instants_say_what_is_wrong() {
        let form = INSTANT_FORM;
        for bad in [
            "2026-12-03t19:41:12Z",
            "2026-12-03T19:41:12z",
            "2026-12-03 19:41:12Z",
            "2026-12-03T19:41:60Z",
            "2026-12-03T24:00:00Z",
            "2026-12-03T19:41Z",
            "2026-12-03T19:41:12",
            "2026-12-03T19:41:12.Z",
            "2026-12-03T19:41:12.1234567890Z",
            "2026-12-03T19:41:12+24:00",
            "2026-12-03T19:41:12+0100",
            "2026-12-03T19:41:12Z ",
        ] {
            assert_eq!(
                parse_instant(bad).map_err(|e| e.to_string()),
                Err(format!("expected {form}, but found `{bad}`"))
            );
        }
        assert_eq!(
            parse_instant("2023-02-29T00:00:00Z").map_err(|e| e.to_string()),
            Err(format!(
                "expected {form}, but found 29 February in 2023, which is not a leap year"
            ))
        );
        assert_eq!(
            parse_instant("-0001-01-01T00:00:00Z").map_err(|e| e.to_string()),
            Err(format!(
                "expected {form} with a year from 0001 to 9999, but found `-0001-01-01T00:00:00Z`"
            ))
        );
        assert_eq!(
            parse_instant("0001-01-01T00:30:00+01:00").map_err(|e| e.to_string()),
            Err("expected an instant from 0001-01-01T00:00:00Z to 9999-12-31T23:59:59.999999999Z, but found `0001-01-01T00:30:00+01:00`: on 0001-01-01 the offset must be `Z` or not above zero, on 9999-12-31 `Z` or not below zero".to_owned())
        );
        for (text, utc) in [
            ("2026-12-03T19:41:12+01:00", "2026-12-03T18:41:12Z"),
            ("2026-12-03T19:41:12.5-00:00", "2026-12-03T19:41:12.500Z"),
            ("2026-12-03T19:41:12.123456789Z", "2026-12-03T19:41:12.123456789Z"),
            ("0001-01-01T00:00:00-23:59", "0001-01-01T23:59:00Z"),
            ("9999-12-31T23:59:59.999999999+23:59", "9999-12-31T00:00:59.999999999Z"),
        ] {
            assert_eq!(parse_instant(text).and_then(format_instant), Ok(utc.to_owned()), "{text}");
        }
    }

    #[test]
    fn what_the_wire_cannot_hold_is_not_written() {
        let far = NaiveDate::from_ymd_opt(10_000, 1, 1).unwrap();
        assert_eq!(
            format_date(far).unwrap_err().to_string(),
            "cannot write the date +10000-01-01: RFC 3339 writes the years 0001 to 9999"
        );
        let before = NaiveDate::from_ymd_opt(0, 12, 31).unwrap();
        assert_eq!(
            format_instant(before.and_hms_opt(12, 0, 0).unwrap().and_utc())
                .unwrap_err()
                .to_string(),
            "cannot write the instant 0000-12-31T12:00:00Z: RFC 3339 writes the years 0001 to 9999"
        );
        let leap = NaiveDate::from_ymd_opt(2016, 12, 31)
            .unwrap()
            .and_hms_milli_opt(23, 59, 59, 1_500)
            .unwrap()
            .and_utc();
        assert_eq!(
            format_instant(leap).unwrap_err().to_string(),
            "cannot write the instant 2016-12-31T23:59:60.500Z: the canonical form has no leap seconds"
        );
    }
}
