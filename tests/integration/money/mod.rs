//! The money layer: currencies, amounts, checked arithmetic, rounding,
//! allocation, exchange rates, text and JSON.
//!
//! Expected values are written out literally (amounts with their scale,
//! error messages in full) so that a change of behaviour shows in review.

mod allocation;
mod arithmetic;
mod currency;
mod edge;
mod exchange;
mod json;
mod minor_units;
mod properties;
mod rounding;
mod text;

use canonical_finance::money::{Money, MoneyError};
use chrono::NaiveDate;
use rust_decimal::Decimal;

/// Money from its text form, such as `"1234.50 EUR"`.
fn money(text: &str) -> Money {
    text.parse().unwrap_or_else(|e| panic!("test money {text:?} does not parse: {e}"))
}

/// A decimal from its canonical text, scale kept.
fn decimal(text: &str) -> Decimal {
    canonical_finance::money::parse_decimal(text)
        .unwrap_or_else(|e| panic!("test decimal {text:?} does not parse: {e}"))
}

/// Every part written out, such as `["33.34 EUR", "33.33 EUR"]`.
fn shown(parts: &[Money]) -> Vec<String> {
    parts.iter().map(ToString::to_string).collect()
}

/// The message of an error that must be there.
fn message<T: std::fmt::Debug>(result: Result<T, MoneyError>) -> String {
    result.expect_err("expected an error").to_string()
}

fn date(year: i32, month: u32, day: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(year, month, day).unwrap()
}
