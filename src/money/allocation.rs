//! Sharing out an amount without losing or inventing a minor unit.

use rust_decimal::Decimal;

use super::{Money, MoneyError, WeightProblem};

impl Money {
    /// Splits the amount into parts proportional to `weights` (ratios or
    /// percentages: `[1, 1, 2]` and `[25, 25, 50]` give the same result).
    ///
    /// The parts sum exactly to the original amount, and each part is within
    /// one unit of its exact share. The unit is the currency's minor unit,
    /// or the amount's own last decimal place when it has more decimals
    /// (10.005 USD is shared out in thousandths). Units left over after every
    /// part received its share rounded toward zero go one each to the parts
    /// with the largest remainders; equal remainders favour the earlier
    /// part. A negative amount is shared out as its absolute value and every
    /// part negated, so `-a` allocates as the negation of `a`. A zero weight
    /// always gets zero.
    ///
    /// All arithmetic is on integers (up to 256 bits for the intermediate
    /// products), so no rounding of shares can drift.
    ///
    /// # Errors
    ///
    /// - [`MoneyError::InvalidWeights`]: no weights, a negative weight, all
    ///   weights zero, or weights with so many digits that their exact sum
    ///   exceeds 128 bits;
    /// - [`MoneyError::NoMinorUnits`] for currencies without minor units;
    /// - [`MoneyError::Overflow`] when the amount is so large that its parts
    ///   cannot be written at the currency's decimal places.
    ///
    /// ```
    /// use canonical_finance::money::Money;
    /// use rust_decimal_macros::dec;
    ///
    /// let total: Money = "100.00 EUR".parse()?;
    /// let parts = total.allocate(&[dec!(1), dec!(1), dec!(1)])?;
    /// let shown: Vec<String> = parts.iter().map(|p| p.to_string()).collect();
    /// assert_eq!(shown, ["33.34 EUR", "33.33 EUR", "33.33 EUR"]);
    ///
    /// let parts = "0.05 USD".parse::<Money>()?.allocate(&[dec!(70), dec!(30)])?;
    /// assert_eq!(parts[0].to_string(), "0.04 USD"); // exact 0.035
    /// assert_eq!(parts[1].to_string(), "0.01 USD"); // exact 0.015
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn allocate(&self, weights: &[Decimal]) -> Result<Vec<Money>, MoneyError> {
        let currency = self.currency();
        let minor_units = currency.require_minor_units("allocate")?;
        let weights = integer_weights(weights)?;
        let total_weight = weights
            .iter()
            .try_fold(0u128, |acc, w| acc.checked_add(*w))
            .ok_or(MoneyError::InvalidWeights { problem: WeightProblem::TooPrecise })?;
        if total_weight == 0 {
            return Err(MoneyError::InvalidWeights { problem: WeightProblem::AllZero });
        }

        let amount = self.amount();
        let scale = minor_units.max(amount.scale());
        let overflow = || MoneyError::Overflow { operation: "allocate" };
        let factor =
            10u128.checked_pow(scale.saturating_sub(amount.scale())).ok_or_else(overflow)?;
        // |mantissa| < 2^96 and scale - amount.scale() <= 4, so this fits.
        let units = amount.mantissa().unsigned_abs().checked_mul(factor).ok_or_else(overflow)?;

        let mut parts = Vec::with_capacity(weights.len());
        let mut remainders = Vec::with_capacity(weights.len());
        let mut given = 0u128;
        for (index, weight) in weights.iter().enumerate() {
            let (share, remainder) = mul_div(units, *weight, total_weight).ok_or_else(overflow)?;
            given = given.checked_add(share).ok_or_else(overflow)?;
            parts.push(share);
            remainders.push((remainder, index));
        }
        // Fewer units are left than parts with a non-zero remainder.
        let mut leftover = units.checked_sub(given).ok_or_else(overflow)?;
        remainders.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
        for (_, index) in remainders {
            if leftover == 0 {
                break;
            }
            if let Some(part) = parts.get_mut(index) {
                *part = part.checked_add(1).ok_or_else(overflow)?;
                leftover = leftover.saturating_sub(1);
            }
        }

        let negative = amount.is_sign_negative();
        parts
            .into_iter()
            .map(|units| {
                let signed = i128::try_from(units).map_err(|_| overflow())?;
                let signed =
                    if negative { signed.checked_neg().ok_or_else(overflow)? } else { signed };
                Decimal::try_from_i128_with_scale(signed, scale)
                    .map(|a| Money::new(a, currency))
                    .map_err(|_| overflow())
            })
            .collect()
    }

    /// Splits the amount into `parts` equal shares, the leftover minor units
    /// going to the first parts: 100.00 into 3 gives 33.34, 33.33, 33.33.
    ///
    /// # Errors
    ///
    /// [`MoneyError::InvalidWeights`] for zero parts, and the errors of
    /// [`Money::allocate`].
    ///
    /// ```
    /// use canonical_finance::money::Money;
    ///
    /// let parts = "-10 JPY".parse::<Money>()?.split(3)?;
    /// let shown: Vec<String> = parts.iter().map(|p| p.to_string()).collect();
    /// assert_eq!(shown, ["-4 JPY", "-3 JPY", "-3 JPY"]);
    /// # Ok::<(), canonical_finance::money::MoneyError>(())
    /// ```
    pub fn split(&self, parts: usize) -> Result<Vec<Money>, MoneyError> {
        self.allocate(&vec![Decimal::ONE; parts])
    }
}

/// Scales every weight to an integer at the largest scale among them.
fn integer_weights(weights: &[Decimal]) -> Result<Vec<u128>, MoneyError> {
    if weights.is_empty() {
        return Err(MoneyError::InvalidWeights { problem: WeightProblem::Empty });
    }
    if let Some(index) = weights.iter().position(|w| w.is_sign_negative() && !w.is_zero()) {
        return Err(MoneyError::InvalidWeights { problem: WeightProblem::Negative { index } });
    }
    let normalized: Vec<Decimal> = weights.iter().map(Decimal::normalize).collect();
    let max_scale = normalized.iter().map(Decimal::scale).max().unwrap_or(0);
    let too_precise = MoneyError::InvalidWeights { problem: WeightProblem::TooPrecise };
    normalized
        .iter()
        .map(|w| {
            let factor = 10u128.checked_pow(max_scale.saturating_sub(w.scale()))?;
            w.mantissa().unsigned_abs().checked_mul(factor)
        })
        .collect::<Option<Vec<u128>>>()
        .ok_or(too_precise)
}

/// `floor(a * b / d)` and its remainder, exactly, for `a * b / d < 2^128`.
/// Returns `None` when `d` is zero or the quotient does not fit.
fn mul_div(a: u128, b: u128, d: u128) -> Option<(u128, u128)> {
    if d == 0 {
        return None;
    }
    if let Some(product) = a.checked_mul(b) {
        return Some((product.checked_div(d)?, product.checked_rem(d)?));
    }
    let (hi, lo) = wide_mul(a, b);
    if hi >= d {
        return None;
    }
    // Binary long division of the 256-bit (hi, lo) by d; the running
    // remainder stays below d.
    let mut remainder = hi;
    let mut quotient = 0u128;
    for bit in (0..128).rev() {
        let carry = remainder >> 127;
        remainder = (remainder << 1) | ((lo >> bit) & 1);
        quotient <<= 1;
        if carry == 1 || remainder >= d {
            remainder = remainder.wrapping_sub(d);
            quotient |= 1;
        }
    }
    Some((quotient, remainder))
}

/// The full 256-bit product of two `u128`s as (high, low) halves.
fn wide_mul(a: u128, b: u128) -> (u128, u128) {
    const MASK: u128 = u64::MAX as u128;
    let (a_hi, a_lo) = (a >> 64, a & MASK);
    let (b_hi, b_lo) = (b >> 64, b & MASK);
    // Each partial product of two 64-bit halves fits in u128.
    let ll = a_lo.wrapping_mul(b_lo);
    let lh = a_lo.wrapping_mul(b_hi);
    let hl = a_hi.wrapping_mul(b_lo);
    let hh = a_hi.wrapping_mul(b_hi);
    let (mid, mid_carry) = lh.overflowing_add(hl);
    let (lo, lo_carry) = ll.overflowing_add(mid << 64);
    let hi = hh
        .wrapping_add(mid >> 64)
        .wrapping_add(u128::from(mid_carry) << 64)
        .wrapping_add(u128::from(lo_carry));
    (hi, lo)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn wide_mul_matches_known_products() {
        assert_eq!(wide_mul(u128::MAX, u128::MAX), (u128::MAX - 1, 1));
        assert_eq!(wide_mul(1 << 64, 1 << 64), (1, 0));
        assert_eq!(wide_mul(3, 5), (0, 15));
    }

    #[test]
    fn mul_div_handles_products_beyond_128_bits() {
        // (2^100 * 3 * 2^100) / 2^100 = 3 * 2^100
        let a = 3u128 << 100;
        assert_eq!(mul_div(a, 1 << 100, 1 << 100), Some((a, 0)));
        // (2^127 * 2^127 + ...) / (2^127 + 1): compare with the fast path at
        // a smaller scale scaled by shifting.
        let (q, r) = mul_div(u128::MAX, u128::MAX, u128::MAX).unwrap_or((0, 1));
        assert_eq!((q, r), (u128::MAX, 0));
        let (q, r) = mul_div(u128::MAX, 7, 10).unwrap_or((0, 0));
        assert_eq!(q, u128::MAX / 10 * 7 + (u128::MAX % 10) * 7 / 10);
        assert!(r < 10);
        assert_eq!(mul_div(1, 1, 0), None);
        assert_eq!(mul_div(u128::MAX, u128::MAX, 1), None);
    }
}
