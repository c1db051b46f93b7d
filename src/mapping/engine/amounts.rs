//! Amounts between the canonical form and the vendor's encodings (minor units, decimals).

use super::*;

impl DeclarativeMapper {
    /// The amount `x` (at `at`) as the vendor encodes it, in `currency`.
    pub(super) fn amount_in(
        &self,
        spec: &MoneySpec,
        x: &Value,
        currency: Currency,
        at: &str,
    ) -> Result<Decimal, MappingError> {
        let at = at.to_owned();
        Ok(match spec.encoding {
            AmountEncoding::MinorUnits => {
                let minor = minor_units(x).ok_or_else(|| {
                    self.input_error(
                        &at,
                        format!(
                            "expected an integer amount in minor units, but found {}",
                            crate::voice::found_code(x)
                        ),
                    )
                })?;
                let exp = self.exponent(currency, &at)?;
                let amount = shift(minor, exp).ok_or_else(|| {
                    self.input_error(&at, format!("{minor} minor units are out of range"))
                })?;
                iso_scale(amount, currency)
            }
            AmountEncoding::Decimal => match x {
                Value::Number(n) => parse_json_number(n.as_str()),
                Value::String(s) => parse_decimal(s),
                other => {
                    return Err(self.input_error(
                        &at,
                        format!(
                            "expected a decimal amount, but found {}",
                            crate::voice::found_json(other)
                        ),
                    ));
                }
            }
            .map_err(|e| self.input_error(&at, e.to_string()))?,
            AmountEncoding::MinorUnitsDecimal => {
                let minor = match x {
                    Value::Number(n) => parse_json_number(n.as_str()),
                    Value::String(s) => parse_decimal(s),
                    other => {
                        return Err(self.input_error(
                            &at,
                            format!(
                                "expected a decimal count of minor units, but found {}",
                                crate::voice::found_json(other)
                            ),
                        ));
                    }
                }
                .map_err(|e| self.input_error(&at, e.to_string()))?;
                let exp = self.exponent(currency, &at)?;
                minor_to_major(minor, exp).ok_or_else(|| {
                    self.input_error(&at, format!("{minor} minor units are out of range"))
                })?
            }
        })
    }

    /// The vendor form of an amount, with a loss message when it had to be
    /// rounded to the vendor's minor units.
    pub(super) fn money_amount_out(
        &self,
        spec: &MoneySpec,
        amount: Decimal,
        currency: Currency,
        at: &str,
    ) -> Result<(Value, Option<String>), MappingError> {
        match spec.encoding {
            AmountEncoding::MinorUnits => {
                let exp = self.exponent(currency, at)?;
                let rounded = crate::money::Money::new(amount, currency)
                    .round_dp(exp, Rounding::HalfEven)
                    .amount();
                let note = (rounded != amount).then(|| {
                    format!(
                        "{amount} {currency} rounded to {rounded}: the vendor counts in minor units"
                    )
                });
                let factor = Decimal::from(
                    10i64
                        .checked_pow(exp)
                        .ok_or_else(|| self.input_error(at, "exponent out of range"))?,
                );
                // Exact in decimal: no 64-bit limit, so a 20-digit count of
                // minor units goes back as it came.
                let minor = rounded
                    .checked_mul(factor)
                    .filter(|m| m.fract().is_zero())
                    .map(|m| m.trunc())
                    .ok_or_else(|| {
                        self.input_error(
                            at,
                            format!("{amount} {currency} in minor units is out of range"),
                        )
                    })?;
                Ok((Value::from(minor), note))
            }
            AmountEncoding::Decimal => {
                let n: crate::json::Number = amount
                    .to_string()
                    .parse()
                    .map_err(|_| self.input_error(at, "amount out of range"))?;
                Ok((Value::Number(n), None))
            }
            AmountEncoding::MinorUnitsDecimal => {
                let exp = self.exponent(currency, at)?;
                let minor = major_to_minor(amount, exp).ok_or_else(|| {
                    self.input_error(
                        at,
                        format!("{amount} {currency} in minor units is out of range"),
                    )
                })?;
                Ok((Value::from(minor.to_string()), None))
            }
        }
    }
}

/// A count of minor units: a JSON integer (no fraction, no exponent), read
/// from its text, of any length a decimal holds.
pub(super) fn minor_units(v: &Value) -> Option<Decimal> {
    let n = v.as_number().filter(|n| n.is_integer_text())?;
    parse_json_number(n.as_str()).ok()
}

/// `minor` minor units at exponent `exp`: `1999` at 2 is `19.99`.
pub(super) fn shift(minor: Decimal, exp: u32) -> Option<Decimal> {
    let mut amount = minor;
    amount.set_scale(exp).ok()?;
    Some(amount)
}

pub(super) fn original_amount(orig: &Value, encoding: AmountEncoding, exp: u32) -> Option<Decimal> {
    match (encoding, orig) {
        (AmountEncoding::MinorUnits, Value::Number(_)) => shift(minor_units(orig)?, exp),
        (AmountEncoding::Decimal, Value::Number(n)) => parse_json_number(n.as_str()).ok(),
        (AmountEncoding::Decimal, Value::String(s)) => parse_decimal(s).ok(),
        (AmountEncoding::MinorUnitsDecimal, Value::Number(n)) => {
            minor_to_major(parse_json_number(n.as_str()).ok()?, exp)
        }
        (AmountEncoding::MinorUnitsDecimal, Value::String(s)) => {
            minor_to_major(parse_decimal(s).ok()?, exp)
        }
        _ => None,
    }
}

/// An amount counted in more minor units than ISO 4217 gives its currency
/// (a `minor_units` override: Stripe counts ISK in hundredths) at the ISO
/// scale when nothing is lost: `123.00` ISK is `123`.
pub(super) fn iso_scale(amount: Decimal, currency: Currency) -> Decimal {
    match currency.minor_units() {
        Some(iso) if amount.scale() > iso && amount.normalize().scale() <= iso => {
            let mut a = amount;
            a.rescale(iso);
            a
        }
        _ => amount,
    }
}

/// A count of minor units as an amount: the decimal point moves `exp`
/// places to the left (`4900` → `49.00`, `0.012` → `0.00012`).
pub(super) fn minor_to_major(minor: Decimal, exp: u32) -> Option<Decimal> {
    let scale = minor.scale().checked_add(exp)?;
    if scale > 28 {
        return None;
    }
    Decimal::try_from_i128_with_scale(minor.mantissa(), scale).ok()
}

/// An amount as a count of minor units: the decimal point moves `exp`
/// places to the right (`49.00` → `4900`, `0.00012` → `0.012`).
pub(super) fn major_to_minor(amount: Decimal, exp: u32) -> Option<Decimal> {
    match amount.scale().checked_sub(exp) {
        Some(scale) => Decimal::try_from_i128_with_scale(amount.mantissa(), scale).ok(),
        None => {
            let factor = 10i128.checked_pow(exp.checked_sub(amount.scale())?)?;
            Decimal::try_from_i128_with_scale(amount.mantissa().checked_mul(factor)?, 0).ok()
        }
    }
}
