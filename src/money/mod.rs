//! Exact money: ISO 4217 currencies, decimal amounts, rounding, allocation
//! and exchange rates.
//!
//! - [`Currency`]: every ISO 4217 code with its minor units;
//! - [`Money`]: a [`Decimal`](rust_decimal::Decimal) amount and a currency,
//!   with checked arithmetic, rounding ([`Rounding`]), cash rounding,
//!   allocation without losing a minor unit, and minor-unit conversion;
//! - [`ExchangeRate`]: conversion between currencies with explicit rounding;
//! - the decimal wire form: [`parse_decimal`], [`parse_json_number`],
//!   [`serde_decimal`] and [`DecimalSchema`] for decimal fields of your own.
//!
//! No amount ever passes through `f64`, and no operation panics on data:
//! whatever can fail returns [`MoneyError`].

mod allocation;
mod amount;
mod currency;
mod decimal;
mod error;
mod exchange;
mod rounding;
mod serde;

pub use amount::Money;
pub use currency::Currency;
pub use decimal::{
    DECIMAL_PATTERN, DecimalSchema, MAX_DECIMAL_MAGNITUDE, MAX_JSON_DIGITS, MAX_JSON_MAGNITUDE,
    parse_decimal, parse_json_number, serde_decimal,
};
pub(crate) use decimal::{parse_json_number_text, parse_json_string};
pub use error::{AmountProblem, MoneyError, WeightProblem};
pub use exchange::ExchangeRate;
pub use rounding::Rounding;

/// User input, escaped and shortened for an error message.
pub(crate) fn escape(input: &str) -> String {
    error::Escaped(input).to_string()
}
