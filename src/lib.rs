//! # canonical-finance
//!
//! One exact, shared definition of the finance objects that CRM, billing and
//! ERP systems keep disagreeing about, starting with the layer everything
//! else stands on: **exact money**.
//!
//! ## Tour
//!
//! ```
//! use canonical_finance::money::{Currency, ExchangeRate, Money, Rounding};
//! use chrono::NaiveDate;
//! use rust_decimal_macros::dec;
//!
//! // Parse, from text or JSON; amounts are exact decimals, never f64.
//! let net: Money = serde_json::from_str(r#"{"amount": "1234.50", "currency": "EUR"}"#)?;
//! let vat = net.checked_mul(dec!(0.19))?.round(Rounding::HalfEven)?;
//! assert_eq!(vat.to_string(), "234.56 EUR");
//!
//! // Share out without losing a cent: parts sum to the whole.
//! let parts = net.checked_add(vat)?.split(3)?;
//! assert_eq!(parts.iter().map(|p| p.to_string()).collect::<Vec<_>>(),
//!            ["489.69 EUR", "489.69 EUR", "489.68 EUR"]);
//!
//! // Convert with a dated, sourced rate and an explicit rounding.
//! let as_of = NaiveDate::from_ymd_opt(2026, 11, 25).ok_or("date")?;
//! let rate = ExchangeRate::new(Currency::EUR, Currency::JPY, dec!(162.31), as_of)?;
//! assert_eq!(rate.convert(net, Rounding::HalfUp)?.to_string(), "200372 JPY");
//!
//! // Mixing currencies is an error, never a silent result.
//! let usd: Money = "1.00 USD".parse()?;
//! assert!(net.checked_add(usd).unwrap_err().is_currency_mismatch());
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! ## Modules
//!
//! - [`money`]: [`Currency`](money::Currency), [`Money`](money::Money),
//!   [`Rounding`](money::Rounding), allocation, [`ExchangeRate`](money::ExchangeRate)
//!   and the decimal wire form.

#![forbid(unsafe_code)]
#![deny(missing_docs)]
// Library code never prints; the CLI and examples do.
#![deny(clippy::print_stdout, clippy::print_stderr)]

pub mod model;
pub mod money;
pub mod schema;
pub mod validate;

pub use money::{Currency, ExchangeRate, Money, MoneyError, Rounding};

// The README's examples run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;
