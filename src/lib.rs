//! # canonical-finance
//!
//! One exact, shared definition of the finance objects that CRM, billing and
//! ERP systems keep disagreeing about — [`Customer`](model::Customer),
//! [`Contract`](model::Contract), [`Invoice`](model::Invoice) (credit notes
//! included), [`Payment`](model::Payment) and
//! [`JournalEntry`](model::JournalEntry) — with decimal-safe money,
//! validation rules that carry stable codes, and JSON Schema files for teams
//! that do not write Rust.
//!
//! ## Tour
//!
//! ```
//! use canonical_finance::model::Invoice;
//! use canonical_finance::money::{Currency, ExchangeRate, Money, Rounding};
//! use canonical_finance::validate::Validate;
//! use chrono::NaiveDate;
//! use rust_decimal_macros::dec;
//!
//! // Money: exact decimals with a currency; JSON numbers never pass through f64.
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
//! // The canonical model, read from its JSON form and validated in one call.
//! let json = std::fs::read_to_string("schemas/examples/invoice/eur_two_vat_rates_discount.json")?;
//! let mut invoice: Invoice = serde_json::from_str(&json)?;
//! assert!(invoice.validate().is_valid());
//!
//! // Every violation has a stable code, a JSON Pointer and a message.
//! invoice.totals.line_net_total = Money::new(dec!(1.00), Currency::EUR);
//! let report = invoice.validate();
//! let v = &report.violations()[0];
//! assert_eq!((v.code, v.path.as_str()), ("BR-CO-10", "/totals/line_net_total"));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
//!
//! ## Modules
//!
//! - [`money`]: [`Currency`], [`Money`], [`Rounding`], allocation,
//!   [`ExchangeRate`] and the decimal wire form;
//! - [`model`]: the five entities and the parts they share;
//! - [`validate`]: the rule catalogue and one call per record;
//! - [`schema`]: the published JSON Schema 2020-12 files in `schemas/`;
//! - [`batch`]: many records on several threads, results in input order
//!   ([`batch::validate_json`], [`batch::map_ordered`]).
//!
//! ## Crate features
//!
//! - `cli`: the `canonical-finance` command-line tool (`validate`, `rules`,
//!   `schema`). Off by default so library users do not build clap.

#![forbid(unsafe_code)]
#![deny(missing_docs)]
// Library code never prints; the CLI and examples do.
#![deny(clippy::print_stdout, clippy::print_stderr)]

pub mod batch;
pub mod json;
pub mod mapping;
pub mod model;
pub mod money;
pub mod schema;
pub mod time;
pub mod validate;
pub mod vendors;
mod voice;

pub use money::{Currency, ExchangeRate, Money, MoneyError, Rounding};

// The README's examples run as doctests.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;

// So do the examples of docs/privacy.md.
#[cfg(doctest)]
#[doc = include_str!("../docs/privacy.md")]
struct PrivacyDoctests;
