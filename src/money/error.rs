//! The money layer's error type.

use std::fmt;

use rust_decimal::Decimal;

use super::Currency;

/// Everything that can go wrong in the money layer: parsing a currency code,
/// an amount or a money string, and every checked operation on [`Money`](super::Money).
///
/// Messages follow one style: lowercase, no trailing period, and where input
/// was rejected they show it (escaped, in backticks) and say what was expected.
///
/// ```
/// use canonical_finance::money::{Currency, MoneyError};
///
/// let err = "usd".parse::<Currency>().unwrap_err();
/// assert!(err.is_unknown_currency());
/// assert_eq!(err.to_string(), "unknown currency code `usd`, did you mean `USD`?");
/// ```
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum MoneyError {
    /// The text is not an ISO 4217 alphabetic code.
    #[error("unknown currency code `{}`{}", Escaped(input), Suggestion(*suggestion))]
    UnknownCurrency {
        /// The rejected text.
        input: String,
        /// The code the input most likely meant, when one stands out.
        suggestion: Option<Currency>,
    },
    /// The operation needs minor units, and the currency has none
    /// (precious metals, `XXX`, `XTS`, SDR units, ...).
    #[error("{currency} has no minor units, so it cannot be used to {operation}")]
    NoMinorUnits {
        /// The currency without minor units.
        currency: Currency,
        /// What was attempted, such as "round to minor units".
        operation: &'static str,
    },
    /// Two amounts in different currencies met in one operation.
    #[error("cannot {operation} {left} and {right}: the currencies differ")]
    CurrencyMismatch {
        /// What was attempted, such as "add".
        operation: &'static str,
        /// The currency of the left-hand amount.
        left: Currency,
        /// The currency of the right-hand amount.
        right: Currency,
    },
    /// The result does not fit the decimal range
    /// (±79,228,162,514,264,337,593,543,950,335).
    #[error("{operation} overflows the decimal range")]
    Overflow {
        /// What was attempted, such as "add".
        operation: &'static str,
    },
    /// The exact result needs more significant digits than a decimal holds
    /// (about 28), so it could only be had rounded.
    #[error("{operation} needs more than 28 significant digits to be exact")]
    PrecisionExceeded {
        /// What was attempted, such as "add".
        operation: &'static str,
    },
    /// The amount has more decimal places than the currency's minor units.
    #[error(
        "{amount} {currency} is not a whole number of minor units: expected at most {minor_units} decimal places"
    )]
    NotWholeMinorUnits {
        /// The amount.
        amount: Decimal,
        /// Its currency.
        currency: Currency,
        /// The currency's minor units.
        minor_units: u32,
    },
    /// The amount counted in minor units does not fit an `i64`.
    #[error("{amount} {currency} counted in minor units does not fit a 64-bit integer")]
    MinorUnitsOutOfRange {
        /// The amount.
        amount: Decimal,
        /// Its currency.
        currency: Currency,
    },
    /// A decimal amount was rejected.
    #[error("invalid amount `{}`: {problem}", Escaped(input))]
    InvalidAmount {
        /// The rejected text (a JSON number's text, or a string).
        input: String,
        /// What is wrong with it.
        problem: AmountProblem,
    },
    /// A money string is not an amount and a currency code.
    #[error(
        "invalid money `{}`: expected an amount and a currency code, such as `1234.50 EUR` or `EUR 1234.50`",
        Escaped(input)
    )]
    InvalidMoneyText {
        /// The rejected text.
        input: String,
    },
    /// Allocation weights that cannot share out an amount.
    #[error("invalid allocation weights: {problem}")]
    InvalidWeights {
        /// What is wrong with them.
        problem: WeightProblem,
    },
    /// A cash-rounding increment that is not positive or is finer than the
    /// currency's minor units.
    #[error(
        "invalid rounding increment {increment} for {currency}: expected an amount greater than zero with at most {minor_units} decimal places"
    )]
    InvalidIncrement {
        /// The rejected increment.
        increment: Decimal,
        /// The currency being rounded.
        currency: Currency,
        /// The currency's minor units.
        minor_units: u32,
    },
    /// An exchange rate that is zero or negative.
    #[error("invalid exchange rate {rate}: expected a rate greater than zero")]
    InvalidRate {
        /// The rejected rate.
        rate: Decimal,
    },
    /// An exchange rate from a currency to itself.
    #[error(
        "invalid exchange rate: expected two different currencies, but found {currency} on both sides"
    )]
    SameCurrency {
        /// The currency named twice.
        currency: Currency,
    },
    /// Money handed to an exchange rate that converts another currency.
    #[error("cannot convert {found} with a {from}/{to} rate: expected an amount in {from}")]
    RateCurrencyMismatch {
        /// The rate's source currency.
        from: Currency,
        /// The rate's target currency.
        to: Currency,
        /// The currency of the money handed in.
        found: Currency,
    },
}

impl MoneyError {
    /// True when a currency code was not recognised.
    pub fn is_unknown_currency(&self) -> bool {
        matches!(self, Self::UnknownCurrency { .. })
    }

    /// True when two currencies met where one was required.
    pub fn is_currency_mismatch(&self) -> bool {
        matches!(self, Self::CurrencyMismatch { .. } | Self::RateCurrencyMismatch { .. })
    }

    /// True when a result left the representable range.
    pub fn is_overflow(&self) -> bool {
        matches!(
            self,
            Self::Overflow { .. }
                | Self::MinorUnitsOutOfRange { .. }
                | Self::PrecisionExceeded { .. }
        )
    }

    /// True when text or JSON input was rejected.
    pub fn is_parse(&self) -> bool {
        matches!(
            self,
            Self::UnknownCurrency { .. }
                | Self::InvalidAmount { .. }
                | Self::InvalidMoneyText { .. }
        )
    }
}

/// Why a decimal amount was rejected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum AmountProblem {
    /// The text is empty.
    Empty,
    /// `NaN`, `Infinity` and their variants: not an amount.
    NotFinite,
    /// A comma where the decimal point or a thousands separator was meant.
    Comma,
    /// Exponent notation inside a string (`"1e3"`); JSON numbers may use it.
    ExponentInString,
    /// Leading zeros such as `007.50`.
    LeadingZeros,
    /// Anything else that is not `-?digits(.digits)?`.
    Malformed,
    /// The exponent is too large or too small for any decimal.
    ExponentOutOfRange,
    /// More than 28 decimal places, or a magnitude beyond
    /// 79,228,162,514,264,337,593,543,950,335.
    OutOfRange,
    /// More than 28 significant digits or 28 decimal places in JSON: the
    /// canonical JSON form's limit (see
    /// [`DECIMAL_PATTERN`](super::DECIMAL_PATTERN)).
    TooManyDigits,
}

impl fmt::Display for AmountProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Self::Empty => "expected a decimal number, but found an empty string",
            Self::NotFinite => "expected a finite decimal number, such as `1234.50`",
            Self::Comma => {
                "expected `.` as the decimal point and no thousands separators, such as `1234.50`"
            }
            Self::ExponentInString => {
                "expected a plain decimal string without an exponent, such as `1234.50`"
            }
            Self::LeadingZeros => "expected no leading zeros, such as `7.50`",
            Self::Malformed => {
                "expected digits with an optional leading `-` and an optional `.` decimal point, such as `-1234.50`"
            }
            Self::ExponentOutOfRange => "the exponent is out of range for a decimal amount",
            Self::OutOfRange => {
                "expected at most 28 decimal places and a magnitude of at most 79228162514264337593543950335"
            }
            Self::TooManyDigits => {
                "expected at most 28 significant digits and at most 28 decimal places, the most the canonical JSON form holds"
            }
        })
    }
}

/// Why allocation weights were rejected.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[non_exhaustive]
pub enum WeightProblem {
    /// No weights at all.
    Empty,
    /// The weight at this index is below zero.
    Negative {
        /// Index of the weight in the slice.
        index: usize,
    },
    /// Every weight is zero, so no part has a share.
    AllZero,
    /// The weights have so many digits that their exact sum exceeds 128 bits.
    TooPrecise,
}

impl fmt::Display for WeightProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Empty => f.write_str("expected at least one weight"),
            Self::Negative { index } => {
                write!(
                    f,
                    "expected weights of zero or more, but the weight at index {index} is negative"
                )
            }
            Self::AllZero => {
                f.write_str("expected at least one weight greater than zero, but all are zero")
            }
            Self::TooPrecise => f.write_str(
                "the weights have too many digits to be summed exactly; scale them down",
            ),
        }
    }
}

/// Writes user input escaped and shortened, so that control characters and
/// megabyte-long values never end up raw in a message.
pub(crate) struct Escaped<'a>(pub(crate) &'a str);

impl fmt::Display for Escaped<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        const MAX_CHARS: usize = 64;
        for (i, c) in self.0.chars().enumerate() {
            if i == MAX_CHARS {
                return f.write_str("…");
            }
            if c == '`' {
                f.write_str("\\`")?;
            } else {
                write!(f, "{}", c.escape_debug())?;
            }
        }
        Ok(())
    }
}

struct Suggestion(Option<Currency>);

impl fmt::Display for Suggestion {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.0 {
            Some(code) => write!(f, ", did you mean `{code}`?"),
            None => f.write_str(": expected a three-letter ISO 4217 code such as `EUR`"),
        }
    }
}
