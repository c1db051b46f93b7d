//! Exchange rates with an as-of date and a source, and conversion with
//! explicit rounding.

use chrono::NaiveDate;
use rust_decimal::Decimal;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::decimal::PositiveDecimalSchema;
use super::rounding::round_decimal;
use super::{Currency, Money, MoneyError, Rounding};

/// A rate that converts money of one currency into another:
/// `1 from = rate to`, observed on `as_of`, optionally with the name of its
/// source (`"ECB"`, `"Stripe"`, `"bank statement"`).
///
/// In JSON: `{"from": "EUR", "to": "USD", "rate": "1.0842", "as_of": "2026-11-25", "source": "ECB"}`.
///
/// ```
/// use canonical_finance::money::{Currency, ExchangeRate, Money, Rounding};
/// use chrono::NaiveDate;
/// use rust_decimal_macros::dec;
///
/// let as_of = NaiveDate::from_ymd_opt(2026, 11, 25).ok_or("bad date")?;
/// let eur_usd = ExchangeRate::new(Currency::EUR, Currency::USD, dec!(1.0842), as_of)?
///     .with_source("ECB");
/// let usd = eur_usd.convert("100.00 EUR".parse()?, Rounding::HalfEven)?;
/// assert_eq!(usd.to_string(), "108.42 USD");
///
/// let yen = ExchangeRate::new(Currency::USD, Currency::JPY, dec!(151.237), as_of)?;
/// assert_eq!(yen.convert(usd, Rounding::HalfUp)?.to_string(), "16397 JPY");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(try_from = "ExchangeRateRepr", into = "ExchangeRateRepr")]
#[schemars(with = "ExchangeRateRepr")]
pub struct ExchangeRate {
    from: Currency,
    to: Currency,
    rate: Decimal,
    as_of: NaiveDate,
    source: Option<String>,
}

impl ExchangeRate {
    /// A rate of `1 from = rate to` as of a date.
    ///
    /// # Errors
    ///
    /// [`MoneyError::InvalidRate`] when `rate` is not above zero, and
    /// [`MoneyError::SameCurrency`] when `from` and `to` are the same.
    pub fn new(
        from: Currency,
        to: Currency,
        rate: Decimal,
        as_of: NaiveDate,
    ) -> Result<ExchangeRate, MoneyError> {
        if rate <= Decimal::ZERO {
            return Err(MoneyError::InvalidRate { rate });
        }
        if from == to {
            return Err(MoneyError::SameCurrency { currency: from });
        }
        Ok(ExchangeRate { from, to, rate, as_of, source: None })
    }

    /// The same rate with the name of its source.
    #[must_use]
    pub fn with_source(mut self, source: impl Into<String>) -> ExchangeRate {
        self.source = Some(source.into());
        self
    }

    /// The currency converted from.
    pub fn from(&self) -> Currency {
        self.from
    }

    /// The currency converted to.
    pub fn to(&self) -> Currency {
        self.to
    }

    /// Units of `to` per unit of `from`.
    pub fn rate(&self) -> Decimal {
        self.rate
    }

    /// The day the rate applies to.
    pub fn as_of(&self) -> NaiveDate {
        self.as_of
    }

    /// Where the rate came from, when known.
    pub fn source(&self) -> Option<&str> {
        self.source.as_deref()
    }

    /// Converts money in `from` into `to` and rounds to `to`'s minor units
    /// with the named strategy.
    ///
    /// # Errors
    ///
    /// - [`MoneyError::RateCurrencyMismatch`] when `money` is not in `from`;
    /// - [`MoneyError::NoMinorUnits`] when `to` has no minor units (use
    ///   [`ExchangeRate::convert_unrounded`]);
    /// - [`MoneyError::Overflow`].
    pub fn convert(&self, money: Money, rounding: Rounding) -> Result<Money, MoneyError> {
        let dp = self.to.require_minor_units("receive a converted amount")?;
        let exact = self.convert_unrounded(money)?;
        Ok(Money::new(round_decimal(exact.amount(), dp, rounding), self.to))
    }

    /// Converts without rounding: the product keeps every decimal place (up
    /// to 28).
    ///
    /// # Errors
    ///
    /// [`MoneyError::RateCurrencyMismatch`] or [`MoneyError::Overflow`].
    pub fn convert_unrounded(&self, money: Money) -> Result<Money, MoneyError> {
        if money.currency() != self.from {
            return Err(MoneyError::RateCurrencyMismatch {
                from: self.from,
                to: self.to,
                found: money.currency(),
            });
        }
        money
            .amount()
            .checked_mul(self.rate)
            .map(|a| Money::new(a, self.to))
            .ok_or(MoneyError::Overflow { operation: "convert" })
    }

    /// The rate the other way round, `1 / rate`, same date and source. The
    /// quotient has up to 28 significant digits, so converting there and back
    /// can differ from the original in the last of those digits; round to
    /// minor units after converting.
    ///
    /// # Errors
    ///
    /// [`MoneyError::Overflow`] when the inverse is outside the decimal range.
    ///
    /// ```
    /// use canonical_finance::money::{Currency, ExchangeRate};
    /// use chrono::NaiveDate;
    /// use rust_decimal_macros::dec;
    ///
    /// let as_of = NaiveDate::from_ymd_opt(2026, 1, 2).ok_or("bad date")?;
    /// let r = ExchangeRate::new(Currency::EUR, Currency::CHF, dec!(0.8), as_of)?.inverse()?;
    /// assert_eq!((r.from(), r.to(), r.rate()), (Currency::CHF, Currency::EUR, dec!(1.25)));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn inverse(&self) -> Result<ExchangeRate, MoneyError> {
        let rate = Decimal::ONE
            .checked_div(self.rate)
            .map(|r| r.normalize())
            .ok_or(MoneyError::Overflow { operation: "invert a rate" })?;
        if rate <= Decimal::ZERO {
            return Err(MoneyError::Overflow { operation: "invert a rate" });
        }
        Ok(ExchangeRate {
            from: self.to,
            to: self.from,
            rate,
            as_of: self.as_of,
            source: self.source.clone(),
        })
    }
}

/// The wire form of [`ExchangeRate`]; validated on the way in.
#[derive(Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields, rename = "ExchangeRate")]
#[schemars(rename = "ExchangeRate")]
/// A rate that converts money of one currency into another: 1 `from` = `rate` `to`.
struct ExchangeRateRepr {
    /// The currency converted from.
    from: Currency,
    /// The currency converted to.
    to: Currency,
    /// Units of `to` per unit of `from`; greater than zero.
    #[serde(with = "super::decimal::serde_decimal")]
    #[schemars(with = "PositiveDecimalSchema")]
    rate: Decimal,
    /// The day the rate applies to (`YYYY-MM-DD`).
    #[serde(with = "crate::time::serde_date")]
    #[schemars(with = "NaiveDate")]
    as_of: NaiveDate,
    /// Where the rate came from, such as `ECB`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    source: Option<String>,
}

impl TryFrom<ExchangeRateRepr> for ExchangeRate {
    type Error = MoneyError;

    fn try_from(r: ExchangeRateRepr) -> Result<Self, Self::Error> {
        let rate = ExchangeRate::new(r.from, r.to, r.rate, r.as_of)?;
        Ok(match r.source {
            Some(source) => rate.with_source(source),
            None => rate,
        })
    }
}

impl From<ExchangeRate> for ExchangeRateRepr {
    fn from(r: ExchangeRate) -> Self {
        ExchangeRateRepr { from: r.from, to: r.to, rate: r.rate, as_of: r.as_of, source: r.source }
    }
}
