//! [`Money`]: an exact decimal amount in one currency.

use std::borrow::Borrow;
use std::cmp::Ordering;
use std::fmt;
use std::ops::Neg;
use std::str::FromStr;

use rust_decimal::Decimal;

use super::decimal::{normalize_zero, parse_decimal};
use super::{Currency, MoneyError};

/// An exact decimal amount in one ISO 4217 currency.
///
/// The amount is a [`Decimal`] (96-bit mantissa, up to 28 decimal places)
/// and keeps its scale: `1234.50 EUR` stays `1234.50`, not `1234.5`. Money
/// may hold more decimal places than the currency's minor units (unit prices
/// often do); [`Money::round`] brings it to the minor units with a named
/// [`Rounding`](super::Rounding).
///
/// Every operation that could fail on data is checked and returns
/// [`MoneyError`]: mixing currencies, overflow, and operations that need
/// minor units on a currency without them. Nothing here panics.
///
/// # Text and JSON
///
/// `Display` writes `1234.50 EUR`; `FromStr` reads `1234.50 EUR` and
/// `EUR 1234.50`. In JSON, Money is `{"amount": "1234.50", "currency": "EUR"}`:
/// the amount is written as a string, and read from a string or a JSON
/// number exactly (see [`parse_json_number`](super::parse_json_number)).
///
/// ```
/// use canonical_finance::money::{Currency, Money, Rounding};
/// use rust_decimal_macros::dec;
///
/// let price: Money = "19.99 USD".parse()?;
/// let line = price.checked_mul(dec!(3))?;
/// assert_eq!(line.to_string(), "59.97 USD");
///
/// let vat = line.checked_mul(dec!(0.19))?.round(Rounding::HalfUp)?;
/// assert_eq!(vat, Money::new(dec!(11.39), Currency::USD));
///
/// let json = serde_json::to_string(&vat)?;
/// assert_eq!(json, r#"{"amount":"11.39","currency":"USD"}"#);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash)]
pub struct Money {
    amount: Decimal,
    currency: Currency,
}

impl Money {
    /// Money of `amount` in `currency`. Never fails: any decimal is a valid
    /// amount. A negative zero becomes zero.
    ///
    /// ```
    /// use canonical_finance::money::{Currency, Money};
    /// use rust_decimal_macros::dec;
    ///
    /// let m = Money::new(dec!(1234.50), Currency::EUR);
    /// assert_eq!(m.to_string(), "1234.50 EUR");
    /// ```
    pub fn new(amount: Decimal, currency: Currency) -> Money {
        Money { amount: normalize_zero(amount), currency }
    }

    /// Zero in `currency`, without decimal places.
    pub fn zero(currency: Currency) -> Money {
        Money { amount: Decimal::ZERO, currency }
    }

    /// Money from an integer count of minor units, as payment processors send
    /// it: 1999 `USD` minor units are 19.99 USD, 1999 `JPY` are 1999 JPY and
    /// 1999 `KWD` are 1.999 KWD. The result has the currency's scale.
    ///
    /// # Errors
    ///
    /// [`MoneyError::NoMinorUnits`] for currencies without minor units.
    ///
    /// ```
    /// use canonical_finance::money::{Currency, Money};
    ///
    /// assert_eq!(Money::from_minor(1999, Currency::USD)?.to_string(), "19.99 USD");
    /// assert_eq!(Money::from_minor(1999, Currency::JPY)?.to_string(), "1999 JPY");
    /// assert_eq!(Money::from_minor(1999, Currency::KWD)?.to_string(), "1.999 KWD");
    /// # Ok::<(), canonical_finance::money::MoneyError>(())
    /// ```
    pub fn from_minor(minor: i64, currency: Currency) -> Result<Money, MoneyError> {
        let scale = currency.require_minor_units("count minor units")?;
        let amount = Decimal::try_new(minor, scale)
            .map_err(|_| MoneyError::Overflow { operation: "count minor units" })?;
        Ok(Money::new(amount, currency))
    }

    /// The amount as an integer count of minor units: 19.99 USD is 1999.
    ///
    /// # Errors
    ///
    /// - [`MoneyError::NoMinorUnits`] for currencies without minor units;
    /// - [`MoneyError::NotWholeMinorUnits`] when the amount has more decimal
    ///   places than the currency allows (19.999 USD): round it first;
    /// - [`MoneyError::MinorUnitsOutOfRange`] when the count does not fit `i64`.
    ///
    /// ```
    /// use canonical_finance::money::{Currency, Money};
    /// use rust_decimal_macros::dec;
    ///
    /// assert_eq!(Money::new(dec!(19.99), Currency::USD).to_minor()?, 1999);
    /// assert_eq!(Money::new(dec!(19.90000), Currency::USD).to_minor()?, 1990);
    /// assert!(Money::new(dec!(19.999), Currency::USD).to_minor().is_err());
    /// # Ok::<(), canonical_finance::money::MoneyError>(())
    /// ```
    pub fn to_minor(&self) -> Result<i64, MoneyError> {
        let minor_units = self.currency.require_minor_units("count minor units")?;
        let normalized = self.amount.normalize();
        if normalized.scale() > minor_units {
            return Err(MoneyError::NotWholeMinorUnits {
                amount: self.amount,
                currency: self.currency,
                minor_units,
            });
        }
        let out_of_range =
            || MoneyError::MinorUnitsOutOfRange { amount: self.amount, currency: self.currency };
        let factor = 10i128
            .checked_pow(minor_units.saturating_sub(normalized.scale()))
            .ok_or_else(out_of_range)?;
        normalized
            .mantissa()
            .checked_mul(factor)
            .and_then(|m| i64::try_from(m).ok())
            .ok_or_else(out_of_range)
    }

    /// The amount, with its scale.
    pub fn amount(&self) -> Decimal {
        self.amount
    }

    /// The currency.
    pub fn currency(&self) -> Currency {
        self.currency
    }

    /// True when the amount is zero.
    pub fn is_zero(&self) -> bool {
        self.amount.is_zero()
    }

    /// True when the amount is below zero.
    pub fn is_negative(&self) -> bool {
        self.amount.is_sign_negative() && !self.amount.is_zero()
    }

    /// True when the amount is above zero.
    pub fn is_positive(&self) -> bool {
        self.amount.is_sign_positive() && !self.amount.is_zero()
    }

    /// True when the amount has no more decimal places than the currency's
    /// minor units (trailing zeros do not count): 19.990 USD is, 19.999 USD
    /// is not.
    ///
    /// # Errors
    ///
    /// [`MoneyError::NoMinorUnits`] for currencies without minor units.
    pub fn is_whole_minor_units(&self) -> Result<bool, MoneyError> {
        let minor_units = self.currency.require_minor_units("check minor units")?;
        Ok(!finer_than(self.amount, minor_units))
    }

    /// True when the amount has more decimal places than its currency's
    /// minor units (trailing zeros do not count); false for currencies
    /// without minor units. The validation rules' minor-unit check.
    ///
    /// ```
    /// use canonical_finance::money::Money;
    ///
    /// assert!("19.999 USD".parse::<Money>()?.exceeds_minor_units());
    /// assert!(!"19.990 USD".parse::<Money>()?.exceeds_minor_units());
    /// assert!(!"1.5 XAU".parse::<Money>()?.exceeds_minor_units());
    /// # Ok::<(), canonical_finance::money::MoneyError>(())
    /// ```
    pub fn exceeds_minor_units(&self) -> bool {
        self.currency.minor_units().is_some_and(|mu| finer_than(self.amount, mu))
    }

    /// Adds money of the same currency. The sum is exact or an error.
    ///
    /// # Errors
    ///
    /// [`MoneyError::CurrencyMismatch`] naming both currencies,
    /// [`MoneyError::Overflow`], or [`MoneyError::PrecisionExceeded`] when
    /// the exact sum needs more digits than a decimal holds.
    ///
    /// ```
    /// use canonical_finance::money::Money;
    ///
    /// let a: Money = "10.50 EUR".parse()?;
    /// assert_eq!(a.checked_add("0.25 EUR".parse()?)?.to_string(), "10.75 EUR");
    /// assert_eq!(
    ///     a.checked_add("1 USD".parse()?).unwrap_err().to_string(),
    ///     "cannot add EUR and USD: the currencies differ"
    /// );
    /// # Ok::<(), canonical_finance::money::MoneyError>(())
    /// ```
    pub fn checked_add(self, rhs: Money) -> Result<Money, MoneyError> {
        self.same_currency("add", rhs)?;
        exact(self.amount.checked_add(rhs.amount), "add", |sum| {
            kept_scale(sum, self.amount, rhs.amount)
                && sum.checked_sub(rhs.amount) == Some(self.amount)
        })
        .map(|a| Money::new(a, self.currency))
    }

    /// Subtracts money of the same currency. The difference is exact or an
    /// error.
    ///
    /// # Errors
    ///
    /// [`MoneyError::CurrencyMismatch`] naming both currencies,
    /// [`MoneyError::Overflow`], or [`MoneyError::PrecisionExceeded`].
    pub fn checked_sub(self, rhs: Money) -> Result<Money, MoneyError> {
        self.same_currency("subtract", rhs)?;
        exact(self.amount.checked_sub(rhs.amount), "subtract", |diff| {
            kept_scale(diff, self.amount, rhs.amount)
                && diff.checked_add(rhs.amount) == Some(self.amount)
        })
        .map(|a| Money::new(a, self.currency))
    }

    /// Multiplies by a decimal factor (a quantity, a tax rate, a share). The
    /// product is exact while it fits 28 decimal places; beyond that
    /// `rust_decimal` rounds the last places half-even. Round the result to
    /// minor units explicitly with [`Money::round`].
    ///
    /// # Errors
    ///
    /// [`MoneyError::Overflow`].
    ///
    /// ```
    /// use canonical_finance::money::Money;
    /// use rust_decimal_macros::dec;
    ///
    /// let unit: Money = "19.99 USD".parse()?;
    /// assert_eq!(unit.checked_mul(dec!(3.5))?.to_string(), "69.965 USD");
    /// # Ok::<(), canonical_finance::money::MoneyError>(())
    /// ```
    pub fn checked_mul(self, factor: Decimal) -> Result<Money, MoneyError> {
        let mut product = self
            .amount
            .checked_mul(factor)
            .ok_or(MoneyError::Overflow { operation: "multiply" })?;
        if product.is_zero() {
            // 19.99 × 0 is 0.00, not 0.
            product.rescale(self.amount.scale());
        }
        Ok(Money::new(product, self.currency))
    }

    /// The amount with its sign flipped. Never fails: the decimal range is
    /// symmetric.
    pub fn negate(self) -> Money {
        let mut amount = self.amount;
        amount.set_sign_negative(!amount.is_sign_negative());
        Money::new(amount, self.currency)
    }

    /// The amount without its sign.
    pub fn abs(self) -> Money {
        Money::new(self.amount.abs(), self.currency)
    }

    /// Sums money in `currency`; an empty iterator gives zero.
    ///
    /// # Errors
    ///
    /// [`MoneyError::CurrencyMismatch`] for the first item in another
    /// currency, [`MoneyError::Overflow`] or [`MoneyError::PrecisionExceeded`].
    ///
    /// ```
    /// use canonical_finance::money::{Currency, Money};
    ///
    /// let lines: Vec<Money> = vec!["10.00 EUR".parse()?, "2.50 EUR".parse()?];
    /// assert_eq!(Money::checked_sum(Currency::EUR, &lines)?.to_string(), "12.50 EUR");
    /// assert_eq!(Money::checked_sum(Currency::EUR, Vec::<Money>::new())?.to_string(), "0 EUR");
    /// # Ok::<(), canonical_finance::money::MoneyError>(())
    /// ```
    pub fn checked_sum<I>(currency: Currency, items: I) -> Result<Money, MoneyError>
    where
        I: IntoIterator,
        I::Item: Borrow<Money>,
    {
        items.into_iter().try_fold(Money::zero(currency), |acc, m| acc.checked_add(*m.borrow()))
    }

    /// Compares two amounts of the same currency.
    ///
    /// # Errors
    ///
    /// [`MoneyError::CurrencyMismatch`].
    pub fn checked_cmp(&self, other: &Money) -> Result<Ordering, MoneyError> {
        self.same_currency("compare", *other)?;
        Ok(self.amount.cmp(&other.amount))
    }

    fn same_currency(&self, operation: &'static str, other: Money) -> Result<(), MoneyError> {
        if self.currency == other.currency {
            Ok(())
        } else {
            Err(MoneyError::CurrencyMismatch {
                operation,
                left: self.currency,
                right: other.currency,
            })
        }
    }
}

/// True when `amount` needs more than `dp` decimal places. The scale is
/// checked first, so the common case never normalizes.
fn finer_than(amount: Decimal, dp: u32) -> bool {
    amount.scale() > dp && amount.normalize().scale() > dp
}

/// True when a sum or difference kept the larger scale of its operands.
/// `rust_decimal` rounds a sum that does not fit 96 bits at that scale by
/// dropping decimal places, and the check `sum - b == a` alone does not see
/// it: 79228162514264337593543950330 + 0.1 gives the large amount, and
/// taking 0.1 from that rounds back to it. A result at the full scale was
/// not rounded.
fn kept_scale(result: Decimal, a: Decimal, b: Decimal) -> bool {
    result.scale() >= a.scale().max(b.scale())
}

/// `result` when it exists and `is_exact` confirms it, else the error that
/// says why not.
fn exact(
    result: Option<Decimal>,
    operation: &'static str,
    is_exact: impl FnOnce(Decimal) -> bool,
) -> Result<Decimal, MoneyError> {
    match result {
        None => Err(MoneyError::Overflow { operation }),
        Some(r) if is_exact(r) => Ok(r),
        Some(_) => Err(MoneyError::PrecisionExceeded { operation }),
    }
}

impl Neg for Money {
    type Output = Money;

    fn neg(self) -> Money {
        self.negate()
    }
}

/// Amounts compare only within one currency: `partial_cmp` is `None` across
/// currencies.
impl PartialOrd for Money {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        self.checked_cmp(other).ok()
    }
}

impl fmt::Display for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} {}", self.amount, self.currency)
    }
}

impl fmt::Debug for Money {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Money({self})")
    }
}

/// Reads `"1234.50 EUR"` or `"EUR 1234.50"`: one amount in the canonical
/// decimal form and one ISO 4217 code, separated by white space.
impl FromStr for Money {
    type Err = MoneyError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let mut parts = s.split_whitespace();
        let (Some(first), Some(second), None) = (parts.next(), parts.next(), parts.next()) else {
            return Err(MoneyError::InvalidMoneyText { input: s.to_owned() });
        };
        let looks_like_code =
            |t: &str| t.chars().next().is_some_and(|c| !c.is_ascii_digit() && c != '-');
        let (amount, code) = match (looks_like_code(first), looks_like_code(second)) {
            (false, true) => (first, second),
            (true, false) => (second, first),
            _ => return Err(MoneyError::InvalidMoneyText { input: s.to_owned() }),
        };
        let currency = Currency::from_code(code)?;
        Ok(Money::new(parse_decimal(amount)?, currency))
    }
}
