//! Rounding to minor units, to decimal places and to cash increments.

use rust_decimal::{Decimal, RoundingStrategy};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{Money, MoneyError};

/// How to round a value that lies between two representable amounts.
///
/// There is no default: every rounding in the crate names its strategy.
/// Examples round to two decimal places.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum Rounding {
    /// Nearest; a tie goes away from zero ("commercial rounding").
    ///
    /// ```
    /// # use canonical_finance::money::{Money, Rounding};
    /// # let r = |s: &str| s.parse::<Money>().unwrap().round(Rounding::HalfUp).unwrap().to_string();
    /// assert_eq!(r("2.345 EUR"), "2.35 EUR");
    /// assert_eq!(r("-2.345 EUR"), "-2.35 EUR");
    /// ```
    HalfUp,
    /// Nearest; a tie goes to the even neighbour ("banker's rounding").
    ///
    /// ```
    /// # use canonical_finance::money::{Money, Rounding};
    /// # let r = |s: &str| s.parse::<Money>().unwrap().round(Rounding::HalfEven).unwrap().to_string();
    /// assert_eq!(r("2.345 EUR"), "2.34 EUR");
    /// assert_eq!(r("2.355 EUR"), "2.36 EUR");
    /// ```
    HalfEven,
    /// Nearest; a tie goes toward zero.
    ///
    /// ```
    /// # use canonical_finance::money::{Money, Rounding};
    /// # let r = |s: &str| s.parse::<Money>().unwrap().round(Rounding::HalfDown).unwrap().to_string();
    /// assert_eq!(r("2.345 EUR"), "2.34 EUR");
    /// assert_eq!(r("2.346 EUR"), "2.35 EUR");
    /// ```
    HalfDown,
    /// Away from zero, whatever the remainder.
    ///
    /// ```
    /// # use canonical_finance::money::{Money, Rounding};
    /// # let r = |s: &str| s.parse::<Money>().unwrap().round(Rounding::Up).unwrap().to_string();
    /// assert_eq!(r("2.341 EUR"), "2.35 EUR");
    /// assert_eq!(r("-2.341 EUR"), "-2.35 EUR");
    /// ```
    Up,
    /// Toward zero (truncation).
    ///
    /// ```
    /// # use canonical_finance::money::{Money, Rounding};
    /// # let r = |s: &str| s.parse::<Money>().unwrap().round(Rounding::Down).unwrap().to_string();
    /// assert_eq!(r("2.349 EUR"), "2.34 EUR");
    /// assert_eq!(r("-2.349 EUR"), "-2.34 EUR");
    /// ```
    Down,
    /// Toward positive infinity.
    ///
    /// ```
    /// # use canonical_finance::money::{Money, Rounding};
    /// # let r = |s: &str| s.parse::<Money>().unwrap().round(Rounding::Ceiling).unwrap().to_string();
    /// assert_eq!(r("2.341 EUR"), "2.35 EUR");
    /// assert_eq!(r("-2.349 EUR"), "-2.34 EUR");
    /// ```
    Ceiling,
    /// Toward negative infinity.
    ///
    /// ```
    /// # use canonical_finance::money::{Money, Rounding};
    /// # let r = |s: &str| s.parse::<Money>().unwrap().round(Rounding::Floor).unwrap().to_string();
    /// assert_eq!(r("2.349 EUR"), "2.34 EUR");
    /// assert_eq!(r("-2.341 EUR"), "-2.35 EUR");
    /// ```
    Floor,
}

impl Rounding {
    /// Every strategy, in declaration order.
    pub const ALL: [Rounding; 7] = [
        Rounding::HalfUp,
        Rounding::HalfEven,
        Rounding::HalfDown,
        Rounding::Up,
        Rounding::Down,
        Rounding::Ceiling,
        Rounding::Floor,
    ];

    /// The `rust_decimal` strategy with the same behaviour.
    pub fn to_decimal_strategy(self) -> RoundingStrategy {
        match self {
            Rounding::HalfUp => RoundingStrategy::MidpointAwayFromZero,
            Rounding::HalfEven => RoundingStrategy::MidpointNearestEven,
            Rounding::HalfDown => RoundingStrategy::MidpointTowardZero,
            Rounding::Up => RoundingStrategy::AwayFromZero,
            Rounding::Down => RoundingStrategy::ToZero,
            Rounding::Ceiling => RoundingStrategy::ToPositiveInfinity,
            Rounding::Floor => RoundingStrategy::ToNegativeInfinity,
        }
    }

    /// The snake_case name used in JSON, such as `"half_even"`.
    pub fn as_str(self) -> &'static str {
        match self {
            Rounding::HalfUp => "half_up",
            Rounding::HalfEven => "half_even",
            Rounding::HalfDown => "half_down",
            Rounding::Up => "up",
            Rounding::Down => "down",
            Rounding::Ceiling => "ceiling",
            Rounding::Floor => "floor",
        }
    }
}

/// Rounds `value` to `dp` decimal places and writes it with exactly that
/// scale (2.3 → 2.30) wherever the decimal range allows.
pub(crate) fn round_decimal(value: Decimal, dp: u32, rounding: Rounding) -> Decimal {
    let mut rounded = value.round_dp_with_strategy(dp, rounding.to_decimal_strategy());
    rounded.rescale(dp);
    super::decimal::normalize_zero(rounded)
}

impl Money {
    /// Rounds to the currency's minor units (`USD` 2, `JPY` 0, `KWD` 3) with
    /// the named strategy. The result has exactly that scale: 2.3 USD becomes
    /// 2.30 USD. Rounding a rounded amount changes nothing.
    ///
    /// # Errors
    ///
    /// [`MoneyError::NoMinorUnits`] for currencies without minor units.
    ///
    /// ```
    /// use canonical_finance::money::{Money, Rounding};
    ///
    /// let yen: Money = "1234.5 JPY".parse()?;
    /// assert_eq!(yen.round(Rounding::HalfUp)?.to_string(), "1235 JPY");
    /// assert_eq!(yen.round(Rounding::HalfEven)?.to_string(), "1234 JPY");
    /// let dinar: Money = "1.2345 KWD".parse()?;
    /// assert_eq!(dinar.round(Rounding::HalfUp)?.to_string(), "1.235 KWD");
    /// # Ok::<(), canonical_finance::money::MoneyError>(())
    /// ```
    pub fn round(self, rounding: Rounding) -> Result<Money, MoneyError> {
        let dp = self.currency().require_minor_units("round to minor units")?;
        Ok(Money::new(round_decimal(self.amount(), dp, rounding), self.currency()))
    }

    /// Rounds to `dp` decimal places, whatever the currency (useful for unit
    /// prices kept at four places). `dp` above 28 is treated as 28.
    ///
    /// ```
    /// use canonical_finance::money::{Money, Rounding};
    ///
    /// let price: Money = "0.123456 USD".parse()?;
    /// assert_eq!(price.round_dp(4, Rounding::HalfEven).to_string(), "0.1235 USD");
    /// # Ok::<(), canonical_finance::money::MoneyError>(())
    /// ```
    pub fn round_dp(self, dp: u32, rounding: Rounding) -> Money {
        Money::new(round_decimal(self.amount(), dp.min(28), rounding), self.currency())
    }

    /// Cash rounding: rounds to a multiple of `increment`, such as 0.05 for
    /// Swiss francs or 1.00 for Swedish kronor, then writes the result at the
    /// currency's minor units.
    ///
    /// # Errors
    ///
    /// - [`MoneyError::NoMinorUnits`] for currencies without minor units;
    /// - [`MoneyError::InvalidIncrement`] when the increment is not above
    ///   zero or has more decimal places than the currency's minor units;
    /// - [`MoneyError::Overflow`].
    ///
    /// ```
    /// use canonical_finance::money::{Money, Rounding};
    /// use rust_decimal_macros::dec;
    ///
    /// let chf: Money = "10.024 CHF".parse()?;
    /// assert_eq!(chf.round_to_increment(dec!(0.05), Rounding::HalfUp)?.to_string(), "10.00 CHF");
    /// let chf: Money = "10.025 CHF".parse()?;
    /// assert_eq!(chf.round_to_increment(dec!(0.05), Rounding::HalfUp)?.to_string(), "10.05 CHF");
    /// let sek: Money = "99.50 SEK".parse()?;
    /// assert_eq!(sek.round_to_increment(dec!(1.00), Rounding::HalfEven)?.to_string(), "100.00 SEK");
    /// # Ok::<(), canonical_finance::money::MoneyError>(())
    /// ```
    pub fn round_to_increment(
        self,
        increment: Decimal,
        rounding: Rounding,
    ) -> Result<Money, MoneyError> {
        let currency = self.currency();
        let minor_units = currency.require_minor_units("round to a cash increment")?;
        if increment <= Decimal::ZERO || increment.normalize().scale() > minor_units {
            return Err(MoneyError::InvalidIncrement { increment, currency, minor_units });
        }
        // Exact integer arithmetic at the finer of the two scales: no
        // intermediate quotient is ever rounded.
        let overflow = || MoneyError::Overflow { operation: "round to a cash increment" };
        let amount = self.amount();
        let scale = amount.scale().max(increment.scale());
        let units = mantissa_at(amount, scale).ok_or_else(overflow)?;
        let step = mantissa_at(increment, scale).ok_or_else(overflow)?;
        let quotient = units.checked_div(step).ok_or_else(overflow)?;
        let remainder = units.checked_rem(step).ok_or_else(overflow)?;
        let steps = round_quotient(quotient, remainder, step, rounding).ok_or_else(overflow)?;
        let rounded = steps
            .checked_mul(step)
            .and_then(|m| Decimal::try_from_i128_with_scale(m, scale).ok())
            .ok_or_else(overflow)?;
        Ok(Money::new(round_decimal(rounded, minor_units, Rounding::HalfEven), currency))
    }
}

/// The mantissa of `value` written at `scale` (not below its own scale).
fn mantissa_at(value: Decimal, scale: u32) -> Option<i128> {
    let factor = 10i128.checked_pow(scale.checked_sub(value.scale())?)?;
    value.mantissa().checked_mul(factor)
}

/// Rounds the exact quotient `q + r / d` (truncated toward zero, `r` with
/// the dividend's sign, `d > 0`) to an integer with `rounding`.
pub(crate) fn round_quotient(q: i128, r: i128, d: i128, rounding: Rounding) -> Option<i128> {
    if r == 0 {
        return Some(q);
    }
    let negative = r < 0;
    let twice = r.checked_abs()?.checked_mul(2)?;
    let away = match rounding {
        Rounding::HalfUp => twice >= d,
        Rounding::HalfDown => twice > d,
        Rounding::HalfEven => twice > d || (twice == d && q.checked_rem(2)? != 0),
        Rounding::Up => true,
        Rounding::Down => false,
        Rounding::Ceiling => !negative,
        Rounding::Floor => negative,
    };
    match (away, negative) {
        (false, _) => Some(q),
        (true, false) => q.checked_add(1),
        (true, true) => q.checked_sub(1),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quotients_round_like_the_strategies_say() {
        // 7 / 2 = 3.5 and -7 / 2 = -3.5.
        let cases = [
            (Rounding::HalfUp, 4, -4),
            (Rounding::HalfEven, 4, -4),
            (Rounding::HalfDown, 3, -3),
            (Rounding::Up, 4, -4),
            (Rounding::Down, 3, -3),
            (Rounding::Ceiling, 4, -3),
            (Rounding::Floor, 3, -4),
        ];
        for (rounding, pos, neg) in cases {
            assert_eq!(round_quotient(3, 1, 2, rounding), Some(pos), "{rounding:?}");
            assert_eq!(round_quotient(-3, -1, 2, rounding), Some(neg), "{rounding:?}");
        }
        // 5 / 2 = 2.5: half-even goes to 2.
        assert_eq!(round_quotient(2, 1, 2, Rounding::HalfEven), Some(2));
    }
}
