//! [`Number`]: a JSON number kept as the text it was written with.

use std::fmt;

use super::Str;

/// A JSON number, kept as its text: `12345678901234567890.01` and `1.50`
/// come back exactly as they were sent, whatever their size. The text is
/// always a valid JSON number (`-?int(.frac)?([eE][+-]?exp)?`).
///
/// Two numbers are equal when their texts are: `1.0` and `1.00` differ, as
/// the scale of an amount matters.
///
/// ```
/// use canonical_finance::json::Number;
///
/// let n: Number = "12345678901234567890.01".parse()?;
/// assert_eq!(n.as_str(), "12345678901234567890.01");
/// assert_eq!(n.as_i64(), None);
/// assert_eq!(Number::from(-7i64).as_i64(), Some(-7));
/// # Ok::<(), canonical_finance::json::ParseError>(())
/// ```
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Number(Str);

impl Number {
    /// The number's text, as written.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// The number as an `i64`, when it is an integer written without a
    /// fraction or exponent and fits.
    pub fn as_i64(&self) -> Option<i64> {
        if self.is_integer_text() { self.0.parse().ok() } else { None }
    }

    /// The number as a `u64`, when it is an integer written without a
    /// fraction or exponent and fits.
    pub fn as_u64(&self) -> Option<u64> {
        if self.is_integer_text() { self.0.parse().ok() } else { None }
    }

    /// The nearest `f64`: for measures that are not money. Never use it for
    /// an amount; parse the text with
    /// [`parse_json_number`](crate::money::parse_json_number) instead.
    pub fn as_f64(&self) -> Option<f64> {
        self.0.parse().ok().filter(|f: &f64| f.is_finite())
    }

    /// The same number in a buffer of its own ([`Value::detach`](super::Value::detach)).
    #[must_use]
    pub fn detached(&self) -> Number {
        Number(self.0.detached())
    }

    /// True when the text is an integer: no fraction and no exponent.
    pub fn is_integer_text(&self) -> bool {
        !self.0.bytes().any(|b| matches!(b, b'.' | b'e' | b'E'))
    }

    /// A number from text already checked to be a JSON number.
    pub(crate) fn from_checked(text: &str) -> Number {
        Number(Str::from(text))
    }

    /// A number from shared text already checked to be a JSON number.
    pub(crate) fn from_checked_str(text: Str) -> Number {
        Number(text)
    }

    /// True when `text` is a JSON number (RFC 8259 section 6).
    pub fn is_valid(text: &str) -> bool {
        super::parse::number_end(text.as_bytes(), 0) == Some(text.len())
    }
}

impl std::str::FromStr for Number {
    type Err = super::ParseError;

    /// Reads a JSON number's text (`1.50`, `-0`, `2e10`); anything else,
    /// `+1`, `01`, `1.`, `.5`, `NaN`, is an error.
    fn from_str(text: &str) -> Result<Number, super::ParseError> {
        if Number::is_valid(text) {
            Ok(Number::from_checked(text))
        } else {
            Err(super::ParseError::new(
                format!("expected a JSON number such as `12.50`, but found `{text}`"),
                1,
                1,
            ))
        }
    }
}

macro_rules! from_integer {
    ($($t:ty),*) => {$(
        impl From<$t> for Number {
            fn from(n: $t) -> Number {
                Number(n.to_string().into())
            }
        }
    )*};
}
from_integer!(i8, i16, i32, i64, i128, isize, u8, u16, u32, u64, u128, usize);

impl From<rust_decimal::Decimal> for Number {
    /// The decimal's text, scale kept (`1.50`).
    fn from(d: rust_decimal::Decimal) -> Number {
        Number(d.to_string().into())
    }
}

impl fmt::Display for Number {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl fmt::Debug for Number {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "Number({})", self.0)
    }
}
