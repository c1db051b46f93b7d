//! Named value transforms: both directions of one conversion.
//!
//! | name | vendor value | canonical value |
//! | --- | --- | --- |
//! | `identity` | any | the same |
//! | `decimal` | JSON number or decimal string, read exactly | decimal string (`"19.99"`) |
//! | `decimal_number` | JSON number (or decimal string) | decimal string; written back as a JSON number |
//! | `unix_seconds_instant` | Unix seconds | RFC 3339 UTC instant |
//! | `unix_seconds_date` | Unix seconds | the UTC calendar date; written back as midnight UTC |
//! | `unix_ms_instant`, `unix_ms_date` | Unix milliseconds | as above |
//! | `unix_seconds_end_date` | Unix seconds of an exclusive end (the instant a period stops) | the last UTC day included: the day of the second before; written back as the next midnight UTC |
//! | `unix_seconds_period` | `{"start": s, "end": e}` in Unix seconds, `end` exclusive (Stripe's line `period`) | `{"start": date, "end": last day included}`, the end never before the start; written back as midnights UTC |
//! | `dotnet_date`, `dotnet_instant` | `/Date(1552953600000+0000)/` (milliseconds, an optional `+hhmm` / `-hhmm` offset that only says how the sender displays the instant); `dotnet_date` also reads Xero's `DateString`, `2019-03-19T00:00:00` | date or instant (UTC); written back as `/Date(ms+0000)/` |
//! | `datetime_date` | a date-time without offset, `2026-03-04T00:00:00` (Xero `DateString`) | its date; written back at `T00:00:00` |
//! | `rfc3339_instant` | an RFC 3339 date-time with any offset, `2026-03-04T10:15:22-08:00` (QuickBooks `MetaData`) | the UTC instant; written back in UTC |
//! | `country` | a country as a vendor writes it: an ISO 3166-1 alpha-2 or alpha-3 code in any case, or its English name (`USA`, `New Zealand`, `United Kingdom`) | the alpha-2 code; written back as it |
//! | `flag` (`true`, `false`) | a code, `Inclusive` | true for the `true` code, false for any other; written back as the `true` or `false` code |
//! | `to_upper` / `to_lower` | string | upper / lower case; written back in the other case |
//! | `split` (`separator`) | string | array of strings; joined back |
//! | `join` (`separator`) | array of strings | one string; split back |
//!
//! Time-zone rule: every conversion between instants and dates is in UTC.
//! A vendor value that does not come back unchanged (a time of day dropped
//! by `unix_seconds_date`) is kept by the engine and reported as lossy.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;

use crate::json::Value;
use chrono::{DateTime, Datelike, NaiveDate, Utc};

use crate::money::{parse_json_number_text, parse_json_string};
use crate::time::{format_date, format_instant};
use crate::voice::found_code;

/// A conversion between a vendor value and a canonical value.
///
/// Implement it to add a named transform at run time
/// ([`Registry::register_transform`](super::Registry::register_transform)).
pub trait Transform: Send + Sync {
    /// Vendor value → canonical value.
    ///
    /// # Errors
    ///
    /// A message saying what was expected and what was found.
    fn forward(&self, vendor: &Value) -> Result<Value, String>;

    /// Canonical value → vendor value.
    ///
    /// # Errors
    ///
    /// A message saying what was expected and what was found.
    fn reverse(&self, canonical: &Value) -> Result<Value, String>;
}

impl fmt::Debug for dyn Transform {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Transform")
    }
}

/// The built-in transform `name` with `args`, if it exists.
pub(crate) fn builtin(
    name: &str,
    args: &BTreeMap<String, Value>,
) -> Option<Result<Arc<dyn Transform>, String>> {
    let separator = || {
        let unknown: Vec<&str> =
            args.keys().map(String::as_str).filter(|k| *k != "separator").collect();
        if !unknown.is_empty() {
            return Err(format!(
                "`{name}` takes only a `separator` argument, but found {}",
                unknown.join(", ")
            ));
        }
        match args.get("separator") {
            Some(Value::String(s)) if !s.is_empty() => Ok(s.to_string()),
            Some(_) => Err("expected `separator` to be a non-empty string".to_owned()),
            None => Err(format!("`{name}` needs a `separator` argument")),
        }
    };
    let no_args = |t: Arc<dyn Transform>| {
        if args.is_empty() {
            Ok(t)
        } else {
            Err(format!(
                "`{name}` takes no arguments, but found {}",
                args.keys().cloned().collect::<Vec<_>>().join(", ")
            ))
        }
    };
    let flag = || {
        let unknown: Vec<&str> =
            args.keys().map(String::as_str).filter(|k| !matches!(*k, "true" | "false")).collect();
        if !unknown.is_empty() {
            return Err(format!(
                "`flag` takes only `true` and `false` arguments, but found {}",
                unknown.join(", ")
            ));
        }
        let code = |key: &str| match args.get(key) {
            Some(Value::String(s)) if !s.is_empty() => Ok(s.to_string()),
            Some(_) => Err(format!("expected `{key}` to be a non-empty string")),
            None => Err(format!("`flag` needs a `{key}` argument: the code written for {key}")),
        };
        let (yes, no) = (code("true")?, code("false")?);
        if yes == no {
            return Err("expected different `true` and `false` codes".to_owned());
        }
        Ok(Arc::new(Flag { yes, no }) as Arc<dyn Transform>)
    };
    Some(match name {
        "identity" => no_args(Arc::new(Identity)),
        "flag" => flag(),
        "country" => no_args(Arc::new(Country)),
        "decimal" => no_args(Arc::new(DecimalT { as_number: false })),
        "decimal_number" => no_args(Arc::new(DecimalT { as_number: true })),
        "unix_seconds_instant" => no_args(Arc::new(Epoch { millis: false, date: false })),
        "unix_seconds_date" => no_args(Arc::new(Epoch { millis: false, date: true })),
        "unix_ms_instant" => no_args(Arc::new(Epoch { millis: true, date: false })),
        "unix_ms_date" => no_args(Arc::new(Epoch { millis: true, date: true })),
        "unix_seconds_end_date" => no_args(Arc::new(EndDate)),
        "unix_seconds_period" => no_args(Arc::new(SecondsPeriod)),
        "dotnet_date" => no_args(Arc::new(DotNet { date: true })),
        "dotnet_instant" => no_args(Arc::new(DotNet { date: false })),
        "datetime_date" => no_args(Arc::new(DateTimeDate)),
        "rfc3339_instant" => no_args(Arc::new(Rfc3339)),
        "iso8601_instant" => no_args(Arc::new(Iso8601)),
        "salesforce_id" => no_args(Arc::new(SalesforceId)),
        "to_upper" => no_args(Arc::new(Case { upper: true })),
        "to_lower" => no_args(Arc::new(Case { upper: false })),
        "split" => separator()
            .map(|s| Arc::new(Split { separator: s, split_forward: true }) as Arc<dyn Transform>),
        "join" => separator()
            .map(|s| Arc::new(Split { separator: s, split_forward: false }) as Arc<dyn Transform>),
        _ => return None,
    })
}

/// The names of the built-in transforms.
pub const BUILTIN_NAMES: &[&str] = &[
    "identity",
    "decimal",
    "decimal_number",
    "unix_seconds_instant",
    "unix_seconds_date",
    "unix_ms_instant",
    "unix_ms_date",
    "unix_seconds_end_date",
    "unix_seconds_period",
    "dotnet_date",
    "dotnet_instant",
    "datetime_date",
    "rfc3339_instant",
    "iso8601_instant",
    "flag",
    "country",
    "salesforce_id",
    "to_upper",
    "to_lower",
    "split",
    "join",
];

struct Identity;

impl Transform for Identity {
    fn forward(&self, vendor: &Value) -> Result<Value, String> {
        Ok(vendor.clone())
    }
    fn reverse(&self, canonical: &Value) -> Result<Value, String> {
        Ok(canonical.clone())
    }
}

struct DecimalT {
    as_number: bool,
}

impl Transform for DecimalT {
    fn forward(&self, vendor: &Value) -> Result<Value, String> {
        let d = match vendor {
            Value::Number(n) => parse_json_number_text(&n.to_string()),
            // `decimal_number` reads strings too (an alternative such as
            // Stripe's `quantity_decimal`); they go back as numbers, so the
            // engine keeps the original string.
            Value::String(s) => parse_json_string(s),
            other => {
                return Err(format!("expected a decimal number, but found {}", found_code(other)));
            }
        }
        .map_err(|e| e.to_string())?;
        Ok(Value::from(d.to_string()))
    }
    fn reverse(&self, canonical: &Value) -> Result<Value, String> {
        let Value::String(s) = canonical else {
            return Err(format!("expected a decimal string, but found {}", found_code(canonical)));
        };
        let d = parse_json_string(s).map_err(|e| e.to_string())?;
        if self.as_number {
            d.to_string()
                .parse::<crate::json::Number>()
                .map(Value::Number)
                .map_err(|e| e.to_string())
        } else {
            Ok(Value::from(d.to_string()))
        }
    }
}

fn integer(v: &Value) -> Result<i64, String> {
    v.as_i64().ok_or_else(|| format!("expected an integer timestamp, but found {}", found_code(v)))
}

/// The instant `units` seconds (or milliseconds) after the Unix epoch, in
/// the years 0001 to 9999: the range RFC 3339 (and so the canonical record)
/// can write, and read back.
fn instant_from(units: i64, millis: bool) -> Result<DateTime<Utc>, String> {
    let dt = if millis {
        DateTime::from_timestamp_millis(units)
    } else {
        DateTime::from_timestamp(units, 0)
    };
    dt.filter(|dt| (1..=9999).contains(&dt.year())).ok_or_else(|| {
        format!("timestamp {units} is out of range (RFC 3339 writes the years 0001 to 9999)")
    })
}

fn instant_text(dt: DateTime<Utc>) -> Result<Value, String> {
    format_instant(dt).map(Value::from).map_err(|e| e.to_string())
}

fn date_text(date: NaiveDate) -> Result<Value, String> {
    format_date(date).map(Value::from).map_err(|e| e.to_string())
}

fn parse_instant(v: &Value) -> Result<DateTime<Utc>, String> {
    let s = v
        .as_str()
        .ok_or_else(|| format!("expected an RFC 3339 instant, but found {}", found_code(v)))?;
    crate::time::parse_instant(s).map_err(|e| e.to_string())
}

fn parse_date(v: &Value) -> Result<NaiveDate, String> {
    let s = v
        .as_str()
        .ok_or_else(|| format!("expected a YYYY-MM-DD date, but found {}", found_code(v)))?;
    crate::time::parse_date(s).map_err(|e| e.to_string())
}

fn midnight(date: NaiveDate) -> DateTime<Utc> {
    date.and_time(chrono::NaiveTime::MIN).and_utc()
}

struct Epoch {
    millis: bool,
    date: bool,
}

impl Transform for Epoch {
    fn forward(&self, vendor: &Value) -> Result<Value, String> {
        let dt = instant_from(integer(vendor)?, self.millis)?;
        if self.date { date_text(dt.date_naive()) } else { instant_text(dt) }
    }
    fn reverse(&self, canonical: &Value) -> Result<Value, String> {
        let dt =
            if self.date { midnight(parse_date(canonical)?) } else { parse_instant(canonical)? };
        Ok(Value::from(if self.millis { dt.timestamp_millis() } else { dt.timestamp() }))
    }
}

/// The last day included of a period that stops at `end` (exclusive).
fn last_day(end: i64) -> Result<NaiveDate, String> {
    let before = end.checked_sub(1).ok_or_else(|| format!("timestamp {end} is out of range"))?;
    Ok(instant_from(before, false)?.date_naive())
}

/// The midnight after `date`, in Unix seconds: the exclusive end of a
/// period whose last day is `date`.
fn next_midnight(date: NaiveDate) -> Result<i64, String> {
    let next = date.succ_opt().ok_or_else(|| format!("no day after {date}"))?;
    Ok(midnight(next).timestamp())
}

struct EndDate;

impl Transform for EndDate {
    fn forward(&self, vendor: &Value) -> Result<Value, String> {
        date_text(last_day(integer(vendor)?)?)
    }
    fn reverse(&self, canonical: &Value) -> Result<Value, String> {
        Ok(Value::from(next_midnight(parse_date(canonical)?)?))
    }
}

struct SecondsPeriod;

impl Transform for SecondsPeriod {
    fn forward(&self, vendor: &Value) -> Result<Value, String> {
        let field = |name: &str| {
            vendor.get(name).ok_or_else(|| {
                format!(
                    "expected a period with `start` and `end`, but found {}",
                    found_code(vendor)
                )
            })
        };
        let start_s = integer(field("start")?)?;
        let start = instant_from(start_s, false)?.date_naive();
        let end = integer(field("end")?)?;
        // A period of no length (an invoice item's moment) is its one day.
        let last = if end <= start_s { start } else { last_day(end)?.max(start) };
        let mut out = crate::json::Map::new();
        out.insert("start".to_owned(), date_text(start)?);
        out.insert("end".to_owned(), date_text(last)?);
        Ok(Value::Object(out))
    }
    fn reverse(&self, canonical: &Value) -> Result<Value, String> {
        let field = |name: &str| {
            canonical.get(name).ok_or_else(|| {
                format!(
                    "expected a period with `start` and `end`, but found {}",
                    found_code(canonical)
                )
            })
        };
        let start = midnight(parse_date(field("start")?)?).timestamp();
        let end = next_midnight(parse_date(field("end")?)?)?;
        let mut out = crate::json::Map::new();
        out.insert("end".to_owned(), Value::from(end));
        out.insert("start".to_owned(), Value::from(start));
        Ok(Value::Object(out))
    }
}

struct DotNet {
    date: bool,
}

impl Transform for DotNet {
    fn forward(&self, vendor: &Value) -> Result<Value, String> {
        let s = vendor.as_str().ok_or_else(|| {
            format!("expected `/Date(ms+0000)/`, but found {}", found_code(vendor))
        })?;
        let expected = || {
            format!("expected `/Date(ms)/` or `/Date(ms+hhmm)/` (ms an integer), but found `{s}`")
        };
        // Xero's `DateString` beside `Date`: the calendar date, `T` and a
        // time of day (midnight) that says nothing more.
        if self.date && !s.starts_with("/Date(") {
            return match (s.get(..10), s.get(10..)) {
                (Some(day), Some(rest))
                    if rest.is_empty() || rest.starts_with('T') || rest.starts_with(' ') =>
                {
                    date_text(crate::time::parse_date(day).map_err(|e| e.to_string())?)
                }
                _ => Err(format!(
                    "expected `/Date(ms)/`, `/Date(ms+hhmm)/` or a DateString `YYYY-MM-DDT00:00:00` (or with a space for the `T`), but found `{s}`"
                )),
            };
        }
        let inner =
            s.strip_prefix("/Date(").and_then(|r| r.strip_suffix(")/")).ok_or_else(expected)?;
        // Milliseconds, then an optional offset (`+hhmm` or `-hhmm`) that
        // only says how the sender displays it: the instant is the
        // milliseconds.
        let unsigned = inner.strip_prefix('-').unwrap_or(inner);
        let digits_end = unsigned.find(|c: char| !c.is_ascii_digit()).unwrap_or(unsigned.len());
        let (digits, offset) = unsigned.split_at_checked(digits_end).ok_or_else(expected)?;
        let offset_ok = offset.is_empty()
            || (offset.len() == 5
                && (offset.starts_with('+') || offset.starts_with('-'))
                && offset.bytes().skip(1).all(|b| b.is_ascii_digit()));
        if digits.is_empty() || !offset_ok {
            return Err(expected());
        }
        let ms: i64 = inner
            .get(..inner.len().saturating_sub(offset.len()))
            .and_then(|d| d.parse().ok())
            .ok_or_else(|| format!("milliseconds out of range in `{s}`"))?;
        let dt = instant_from(ms, true)?;
        if self.date { date_text(dt.date_naive()) } else { instant_text(dt) }
    }
    fn reverse(&self, canonical: &Value) -> Result<Value, String> {
        let dt =
            if self.date { midnight(parse_date(canonical)?) } else { parse_instant(canonical)? };
        Ok(Value::from(format!("/Date({}+0000)/", dt.timestamp_millis())))
    }
}

struct Country;

impl Transform for Country {
    fn forward(&self, vendor: &Value) -> Result<Value, String> {
        let s = vendor.as_str().ok_or_else(|| {
            format!("expected a country name or code, but found {}", found_code(vendor))
        })?;
        let text = s.trim();
        let found = super::countries::COUNTRIES.iter().find(|(a2, a3, names)| {
            a2.eq_ignore_ascii_case(text)
                || a3.eq_ignore_ascii_case(text)
                || names.iter().any(|n| n.eq_ignore_ascii_case(text))
        });
        match found {
            Some((a2, _, _)) => Ok(Value::from(*a2)),
            None => Err(format!(
                "expected an ISO 3166-1 country code or an English country name, but found `{s}`"
            )),
        }
    }
    fn reverse(&self, canonical: &Value) -> Result<Value, String> {
        match canonical.as_str() {
            Some(code) if super::countries::COUNTRIES.iter().any(|(a2, _, _)| *a2 == code) => {
                Ok(Value::from(code))
            }
            _ => Err(format!(
                "expected an ISO 3166-1 alpha-2 code, but found {}",
                found_code(canonical)
            )),
        }
    }
}

struct Flag {
    yes: String,
    no: String,
}

impl Transform for Flag {
    fn forward(&self, vendor: &Value) -> Result<Value, String> {
        let s = vendor.as_str().ok_or_else(|| {
            format!("expected a code such as `{}`, but found {}", self.yes, found_code(vendor))
        })?;
        Ok(Value::Bool(s == self.yes))
    }
    fn reverse(&self, canonical: &Value) -> Result<Value, String> {
        match canonical {
            Value::Bool(true) => Ok(Value::from(self.yes.as_str())),
            Value::Bool(false) => Ok(Value::from(self.no.as_str())),
            other => Err(format!("expected true or false, but found {}", found_code(other))),
        }
    }
}

struct DateTimeDate;

impl Transform for DateTimeDate {
    fn forward(&self, vendor: &Value) -> Result<Value, String> {
        let s = vendor.as_str().ok_or_else(|| {
            format!(
                "expected a date-time such as `2026-03-04T00:00:00`, but found {}",
                found_code(vendor)
            )
        })?;
        let date = chrono::NaiveDateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S%.f")
            .map(|dt| dt.date())
            .or_else(|_| NaiveDate::parse_from_str(s, "%Y-%m-%d"))
            .map_err(|_| {
                format!("expected a date-time such as `2026-03-04T00:00:00`, but found `{s}`")
            })?;
        date_text(date)
    }
    fn reverse(&self, canonical: &Value) -> Result<Value, String> {
        let date = format_date(parse_date(canonical)?).map_err(|e| e.to_string())?;
        Ok(Value::from(format!("{date}T00:00:00")))
    }
}

struct Rfc3339;

impl Transform for Rfc3339 {
    fn forward(&self, vendor: &Value) -> Result<Value, String> {
        let s = vendor.as_str().ok_or_else(|| {
            format!("expected an RFC 3339 date-time, but found {}", found_code(vendor))
        })?;
        let dt = DateTime::parse_from_rfc3339(s)
            .map_err(|_| format!("expected an RFC 3339 date-time such as `2026-03-04T10:15:22-08:00`, but found `{s}`"))?;
        instant_text(dt.with_timezone(&Utc))
    }
    fn reverse(&self, canonical: &Value) -> Result<Value, String> {
        instant_text(parse_instant(canonical)?)
    }
}

/// An ISO 8601 date-time whose offset may lack its colon
/// (`2026-02-05T18:22:04.000+0000`, as Salesforce and many Java-based APIs
/// write it), read as an instant; written back in that form, in UTC with
/// milliseconds.
struct Iso8601;

impl Transform for Iso8601 {
    fn forward(&self, vendor: &Value) -> Result<Value, String> {
        let s = vendor.as_str().ok_or_else(|| {
            format!("expected an ISO 8601 date-time, but found {}", found_code(vendor))
        })?;
        let dt = DateTime::parse_from_str(s, "%Y-%m-%dT%H:%M:%S%.f%z")
            .or_else(|_| DateTime::parse_from_rfc3339(s))
            .map_err(|_| {
                format!("expected an ISO 8601 date-time such as `2026-02-05T18:22:04.000+0000`, but found `{s}`")
            })?;
        instant_text(dt.with_timezone(&Utc))
    }
    fn reverse(&self, canonical: &Value) -> Result<Value, String> {
        let dt = parse_instant(canonical)?;
        Ok(Value::from(dt.format("%Y-%m-%dT%H:%M:%S%.3f+0000").to_string()))
    }
}

/// A Salesforce record id: the 15-character form (case-sensitive, as the
/// user interface and reports give it) and the 18-character form (the
/// same, and three characters that spell the case of the first 15, as the
/// API gives it) name one record. The canonical id is the 18-character
/// one; the way back writes it.
struct SalesforceId;

impl Transform for SalesforceId {
    fn forward(&self, vendor: &Value) -> Result<Value, String> {
        salesforce_id18(vendor).map(Value::from)
    }
    fn reverse(&self, canonical: &Value) -> Result<Value, String> {
        salesforce_id18(canonical).map(Value::from)
    }
}

/// The 18-character form of the Salesforce id `id`.
fn salesforce_id18(id: &Value) -> Result<String, String> {
    const SPELL: &[u8; 32] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZ012345";
    const BIT: [usize; 5] = [1, 2, 4, 8, 16];
    let Some(text) = id.as_str() else {
        return Err(format!(
            "expected a Salesforce id, but found {}",
            crate::voice::found_json(id)
        ));
    };
    let bytes = text.as_bytes();
    if !bytes.iter().all(u8::is_ascii_alphanumeric) || !matches!(bytes.len(), 15 | 18) {
        return Err(format!(
            "expected a Salesforce id of 15 or 18 letters and digits, but found {}",
            crate::voice::found_json(id)
        ));
    }
    let (first, given) = bytes.split_at(15.min(bytes.len()));
    let mut first = first.to_vec();
    // An 18-character id names its record whatever its case: the suffix
    // spells the case of the first 15, which is put back.
    for (chunk, c) in first.chunks_mut(5).zip(given) {
        let n = SPELL.iter().position(|s| s.eq_ignore_ascii_case(c)).ok_or_else(|| {
            format!(
                "expected the last three characters of Salesforce id {text} to be letters or digits 0 to 5, but found `{}`",
                char::from(*c)
            )
        })?;
        for (i, b) in chunk.iter_mut().enumerate() {
            let upper = n & BIT.get(i).copied().unwrap_or(0) != 0;
            *b = if upper { b.to_ascii_uppercase() } else { b.to_ascii_lowercase() };
        }
    }
    let mut suffix = String::with_capacity(3);
    for chunk in first.chunks(5) {
        let mut n = 0usize;
        for (i, b) in chunk.iter().enumerate() {
            if b.is_ascii_uppercase() {
                n |= BIT.get(i).copied().unwrap_or(0);
            }
        }
        suffix.push(char::from(SPELL.get(n).copied().unwrap_or(b'A')));
    }
    Ok(format!("{}{suffix}", String::from_utf8_lossy(&first)))
}

struct Case {
    upper: bool,
}

impl Case {
    fn apply(v: &Value, upper: bool) -> Result<Value, String> {
        let s =
            v.as_str().ok_or_else(|| format!("expected a string, but found {}", found_code(v)))?;
        Ok(Value::from(if upper { s.to_uppercase() } else { s.to_lowercase() }))
    }
}

impl Transform for Case {
    fn forward(&self, vendor: &Value) -> Result<Value, String> {
        Case::apply(vendor, self.upper)
    }
    fn reverse(&self, canonical: &Value) -> Result<Value, String> {
        Case::apply(canonical, !self.upper)
    }
}

struct Split {
    separator: String,
    split_forward: bool,
}

impl Split {
    fn split(&self, v: &Value) -> Result<Value, String> {
        let s =
            v.as_str().ok_or_else(|| format!("expected a string, but found {}", found_code(v)))?;
        Ok(Value::Array(
            s.split(self.separator.as_str()).map(|p| Value::from(p.to_owned())).collect(),
        ))
    }
    fn join(&self, v: &Value) -> Result<Value, String> {
        let items = v
            .as_array()
            .ok_or_else(|| format!("expected an array of strings, but found {}", found_code(v)))?;
        let parts = items
            .iter()
            .map(|i| {
                i.as_str()
                    .ok_or_else(|| format!("expected a string item, but found {}", found_code(i)))
            })
            .collect::<Result<Vec<_>, _>>()?;
        Ok(Value::from(parts.join(&self.separator)))
    }
}

impl Transform for Split {
    fn forward(&self, vendor: &Value) -> Result<Value, String> {
        if self.split_forward { self.split(vendor) } else { self.join(vendor) }
    }
    fn reverse(&self, canonical: &Value) -> Result<Value, String> {
        if self.split_forward { self.join(canonical) } else { self.split(canonical) }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::json;

    fn t(name: &str) -> Arc<dyn Transform> {
        builtin(name, &BTreeMap::new()).and_then(Result::ok).unwrap_or_else(|| Arc::new(Identity))
    }

    #[test]
    fn epoch_transforms_are_utc() {
        let seconds = json!(1_764_028_800); // 2025-11-25T00:00:00Z
        assert_eq!(t("unix_seconds_date").forward(&seconds), Ok(json!("2025-11-25")));
        assert_eq!(
            t("unix_seconds_instant").forward(&json!(1_764_069_001)),
            Ok(json!("2025-11-25T11:10:01Z"))
        );
        assert_eq!(t("unix_seconds_date").reverse(&json!("2025-11-25")), Ok(seconds));
        assert_eq!(
            t("unix_ms_instant").forward(&json!(1_552_953_600_123i64)),
            Ok(json!("2019-03-19T00:00:00.123Z"))
        );
        assert_eq!(
            t("dotnet_date").forward(&json!("/Date(1552953600000+0000)/")),
            Ok(json!("2019-03-19"))
        );
        assert_eq!(
            t("dotnet_date").reverse(&json!("2019-03-19")),
            Ok(json!("/Date(1552953600000+0000)/"))
        );
        assert!(t("unix_seconds_date").forward(&json!("soon")).is_err());
        assert!(t("dotnet_instant").forward(&json!("/Date(x)/")).is_err());
    }

    #[test]
    fn instants_stay_in_the_years_rfc_3339_can_write() {
        // 9999-12-31T23:59:59Z is the last second that can go back.
        let last = json!(253_402_300_799i64);
        let read = t("unix_seconds_instant").forward(&last);
        assert_eq!(read, Ok(json!("9999-12-31T23:59:59Z")));
        assert_eq!(read.and_then(|r| t("unix_seconds_instant").reverse(&r)), Ok(last));
        for name in ["unix_seconds_instant", "unix_seconds_date", "unix_seconds_end_date"] {
            let err = t(name).forward(&json!(253_402_300_800i64 + 86_400));
            assert_eq!(
                err,
                Err(format!(
                    "timestamp {} is out of range (RFC 3339 writes the years 0001 to 9999)",
                    253_402_300_800i64 + 86_400 - i64::from(name == "unix_seconds_end_date")
                )),
                "{name}"
            );
        }
        // 0001-01-01T00:00:00Z is the first.
        assert!(t("unix_ms_instant").forward(&json!(-62_135_596_800_001i64)).is_err());
        assert_eq!(
            t("unix_ms_instant").forward(&json!(-62_135_596_800_000i64)),
            Ok(json!("0001-01-01T00:00:00Z"))
        );
        assert_eq!(
            t("unix_seconds_date").forward(&json!(-62_135_596_801i64)),
            Err("timestamp -62135596801 is out of range (RFC 3339 writes the years 0001 to 9999)"
                .to_owned())
        );
    }

    #[test]
    fn canonical_dates_and_instants_are_read_strictly_on_the_way_back() {
        for (name, canonical, message) in [
            (
                "unix_seconds_date",
                "-0001-01-01",
                "expected a date as YYYY-MM-DD with a year from 0001 to 9999, but found `-0001-01-01`",
            ),
            (
                "unix_seconds_end_date",
                "2023-02-29",
                "expected a date as YYYY-MM-DD, but found 29 February in 2023, which is not a leap year",
            ),
            (
                "unix_seconds_instant",
                "2026-12-03t19:41:12Z",
                "expected an instant as YYYY-MM-DDTHH:MM:SS, with up to 9 fraction digits and `Z` or an offset ±HH:MM, but found `2026-12-03t19:41:12Z`",
            ),
            (
                "dotnet_instant",
                "2016-12-31T23:59:60Z",
                "expected an instant as YYYY-MM-DDTHH:MM:SS, with up to 9 fraction digits and `Z` or an offset ±HH:MM, but found `2016-12-31T23:59:60Z`",
            ),
        ] {
            assert_eq!(t(name).reverse(&json!(canonical)), Err(message.to_owned()), "{name}");
        }
        let period = json!({"start": "0000-12-31", "end": "0001-01-31"});
        assert_eq!(
            t("unix_seconds_period").reverse(&period),
            Err("expected a date as YYYY-MM-DD with a year from 0001 to 9999, but found `0000-12-31`"
                .to_owned())
        );
    }

    #[test]
    fn dotnet_dates_are_read_exactly_as_spelled() {
        for good in [
            "/Date(1552953600000)/",
            "/Date(1552953600000+0000)/",
            "/Date(1552953600000-0500)/",
            "/Date(1552953600000+0130)/",
        ] {
            assert_eq!(t("dotnet_date").forward(&json!(good)), Ok(json!("2019-03-19")), "{good}");
        }
        assert_eq!(t("dotnet_date").forward(&json!("/Date(-86400000)/")), Ok(json!("1969-12-31")));
        // Xero's DateString is the same date.
        assert_eq!(
            t("dotnet_date").forward(&json!("2019-03-19T00:00:00")),
            Ok(json!("2019-03-19"))
        );
        // Xero's own examples also write it with a space.
        assert_eq!(
            t("dotnet_date").forward(&json!("2019-03-12 00:00:00")),
            Ok(json!("2019-03-12"))
        );
        assert!(t("dotnet_date").forward(&json!("2019-03-19-00:00")).is_err());
        assert!(t("dotnet_date").forward(&json!("2019-02-30T00:00:00")).is_err());
        assert!(t("dotnet_instant").forward(&json!("2019-03-19T00:00:00")).is_err());
        assert_eq!(
            t("dotnet_instant").forward(&json!("/Date(-1000+0100)/")),
            Ok(json!("1969-12-31T23:59:59Z"))
        );
        for bad in [
            "/Date(1552953600000+garbage)/",
            "/Date(1552953600000-)/",
            "/Date(1552953600000+0000+0000)/",
            "/Date(1552953600000+000)/",
            "/Date(1552953600000+00000)/",
            "/Date(+1552953600000)/",
            "/Date(--1)/",
            "/Date(-)/",
            "/Date()/",
            "/Date(+0000)/",
            "/Date(1 )/",
        ] {
            for name in ["dotnet_date", "dotnet_instant"] {
                assert_eq!(
                    t(name).forward(&json!(bad)),
                    Err(format!(
                        "expected `/Date(ms)/` or `/Date(ms+hhmm)/` (ms an integer), but found `{bad}`"
                    )),
                    "{name} {bad}"
                );
            }
        }
        assert!(t("dotnet_date").forward(&json!("/Date(99999999999999999999)/")).is_err());
    }

    #[test]
    fn exclusive_ends_become_the_last_day_included() {
        // 2026-08-01T00:00:00Z ends a July period: its last day is July 31.
        assert_eq!(
            t("unix_seconds_end_date").forward(&json!(1_785_542_400)),
            Ok(json!("2026-07-31"))
        );
        assert_eq!(
            t("unix_seconds_end_date").reverse(&json!("2026-07-31")),
            Ok(json!(1_785_542_400))
        );
        // Mid-day ends keep their day.
        assert_eq!(
            t("unix_seconds_end_date").forward(&json!(1_787_541_322)),
            Ok(json!("2026-08-24"))
        );
        let july = json!({"end": 1_785_542_400, "start": 1_782_864_000});
        assert_eq!(
            t("unix_seconds_period").forward(&july),
            Ok(json!({"start": "2026-07-01", "end": "2026-07-31"}))
        );
        assert_eq!(
            t("unix_seconds_period").reverse(&json!({"start": "2026-07-01", "end": "2026-07-31"})),
            Ok(july)
        );
        // A moment (an invoice item): one day, also at midnight.
        let moment = json!({"end": 1_782_864_000, "start": 1_782_864_000});
        assert_eq!(
            t("unix_seconds_period").forward(&moment),
            Ok(json!({"start": "2026-07-01", "end": "2026-07-01"}))
        );
        assert!(t("unix_seconds_period").forward(&json!({"start": 1})).is_err());
        assert!(t("unix_seconds_period").forward(&json!(1)).is_err());
        assert!(t("unix_seconds_end_date").forward(&json!(i64::MIN)).is_err());
    }

    #[test]
    fn decimals_are_exact() {
        let n: Value = serde_json::from_str("12345678901234567.89").unwrap_or_default();
        assert_eq!(t("decimal").forward(&n), Ok(json!("12345678901234567.89")));
        assert_eq!(
            t("decimal_number").reverse(&json!("0.10")).map(|v| v.to_string()),
            Ok("0.10".to_owned())
        );
        assert!(t("decimal").forward(&json!("12,50")).is_err());
    }

    #[test]
    fn case_and_split() {
        assert_eq!(t("to_upper").forward(&json!("usd")), Ok(json!("USD")));
        assert_eq!(t("to_upper").reverse(&json!("USD")), Ok(json!("usd")));
        let mut args = BTreeMap::new();
        args.insert("separator".to_owned(), json!("\n"));
        let split =
            builtin("split", &args).and_then(Result::ok).unwrap_or_else(|| Arc::new(Identity));
        assert_eq!(split.forward(&json!("a\nb")), Ok(json!(["a", "b"])));
        assert_eq!(split.reverse(&json!(["a", "b"])), Ok(json!("a\nb")));
        assert!(builtin("split", &BTreeMap::new()).is_some_and(|r| r.is_err()));
        assert!(builtin("nope", &BTreeMap::new()).is_none());
    }
}
