//! ISO 4217 currencies and their minor units.

use std::borrow::Cow;
use std::fmt;
use std::str::FromStr;

use iso_currency::IntoEnumIterator;
use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::MoneyError;

/// An ISO 4217 currency, such as `EUR`, with its minor units.
///
/// Every code of the ISO 4217 list is a `Currency`, including funds (`CLF`,
/// `BOV`), precious metals (`XAU`) and the special codes `XXX` and `XTS`.
/// The minor units (the number of decimal places of the smallest unit) come
/// from the same list: `JPY` 0, `USD` 2, `KWD` 3, `CLF` 4. Codes without
/// minor units are valid currencies, but every operation that needs minor
/// units (rounding, allocation, minor-unit conversion) returns
/// [`MoneyError::NoMinorUnits`] for them.
///
/// Parsing is strict: exactly the upper-case three-letter code. A near miss
/// gets a suggestion in the error.
///
/// ```
/// use canonical_finance::money::Currency;
///
/// let yen: Currency = "JPY".parse()?;
/// assert_eq!(yen.minor_units(), Some(0));
/// assert_eq!(Currency::KWD.minor_units(), Some(3));
/// assert_eq!(Currency::XAU.minor_units(), None);
///
/// let err = "US$".parse::<Currency>().unwrap_err();
/// assert_eq!(err.to_string(), "unknown currency code `US$`, did you mean `USD`?");
/// # Ok::<(), canonical_finance::money::MoneyError>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Currency(iso_currency::Currency);

macro_rules! currency_consts {
    ($($code:ident => $name:literal),* $(,)?) => {
        impl Currency {
            $(
                #[doc = concat!("`", stringify!($code), "`, ", $name, ".")]
                pub const $code: Currency = Currency(iso_currency::Currency::$code);
            )*
        }
    };
}

currency_consts! {
    AUD => "Australian dollar",
    BHD => "Bahraini dinar (3 minor units)",
    BRL => "Brazilian real",
    CAD => "Canadian dollar",
    CHF => "Swiss franc",
    CLF => "Unidad de Fomento (4 minor units)",
    CNY => "Chinese yuan",
    DKK => "Danish krone",
    EUR => "euro",
    GBP => "pound sterling",
    HKD => "Hong Kong dollar",
    INR => "Indian rupee",
    JOD => "Jordanian dinar (3 minor units)",
    JPY => "Japanese yen (no minor units)",
    KRW => "South Korean won (no minor units)",
    KWD => "Kuwaiti dinar (3 minor units)",
    MXN => "Mexican peso",
    NOK => "Norwegian krone",
    NZD => "New Zealand dollar",
    OMR => "Omani rial (3 minor units)",
    PLN => "Polish złoty",
    SEK => "Swedish krona",
    SGD => "Singapore dollar",
    TND => "Tunisian dinar (3 minor units)",
    USD => "US dollar",
    XAU => "gold, one troy ounce (no minor units defined)",
    XXX => "no currency (no minor units defined)",
    ZAR => "South African rand",
}

impl Currency {
    /// Looks up an ISO 4217 alphabetic code, strictly: `"EUR"`, not `"eur"`.
    ///
    /// # Errors
    ///
    /// [`MoneyError::UnknownCurrency`] when `code` is not on the list; the
    /// error suggests a code when the input is a near miss (`"usd"`, `"US$"`,
    /// `"€"`, `"Euro"`).
    ///
    /// ```
    /// use canonical_finance::money::Currency;
    ///
    /// assert_eq!(Currency::from_code("CHF")?, Currency::CHF);
    /// assert!(Currency::from_code("chf").is_err());
    /// # Ok::<(), canonical_finance::money::MoneyError>(())
    /// ```
    pub fn from_code(code: &str) -> Result<Currency, MoneyError> {
        lookup(code).ok_or_else(|| MoneyError::UnknownCurrency {
            input: code.to_owned(),
            suggestion: suggest(code),
        })
    }

    /// The three-letter ISO 4217 code, such as `"EUR"`.
    pub fn code(self) -> &'static str {
        self.0.code()
    }

    /// The ISO 4217 numeric code, such as 978 for `EUR`.
    pub fn numeric(self) -> u16 {
        self.0.numeric()
    }

    /// The English name, such as `"Euro"`.
    pub fn name(self) -> String {
        self.0.name().to_owned()
    }

    /// The number of decimal places of the currency's smallest unit:
    /// `Some(2)` for `USD`, `Some(0)` for `JPY`, `Some(3)` for `KWD`,
    /// `Some(4)` for `CLF`, and `None` for codes without minor units such as
    /// `XAU` and `XXX`.
    pub fn minor_units(self) -> Option<u32> {
        self.0.exponent().map(u32::from)
    }

    /// The minor units, or [`MoneyError::NoMinorUnits`] naming `operation`.
    pub(crate) fn require_minor_units(self, operation: &'static str) -> Result<u32, MoneyError> {
        self.minor_units().ok_or(MoneyError::NoMinorUnits { currency: self, operation })
    }

    /// True for fund codes (`CLF`, `BOV`, `USN`, ...), which are units of
    /// account rather than circulating money.
    pub fn is_fund(self) -> bool {
        self.0.is_fund()
    }

    /// True for special codes (`XAU`, `XDR`, `XTS`, `XXX`, ...).
    pub fn is_special(self) -> bool {
        self.0.is_special()
    }

    /// Every ISO 4217 currency, in alphabetical order of its code.
    ///
    /// ```
    /// use canonical_finance::money::Currency;
    ///
    /// assert!(Currency::all().any(|c| c == Currency::EUR));
    /// assert!(Currency::all().count() > 150);
    /// ```
    pub fn all() -> impl Iterator<Item = Currency> {
        static SORTED: std::sync::OnceLock<Vec<Currency>> = std::sync::OnceLock::new();
        SORTED
            .get_or_init(|| {
                let mut all: Vec<Currency> = iso_currency::Currency::iter().map(Currency).collect();
                all.sort_by_key(|c| c.code());
                all
            })
            .iter()
            .copied()
    }
}

impl From<iso_currency::Currency> for Currency {
    fn from(value: iso_currency::Currency) -> Self {
        Currency(value)
    }
}

impl From<Currency> for iso_currency::Currency {
    fn from(value: Currency) -> Self {
        value.0
    }
}

impl fmt::Display for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl fmt::Debug for Currency {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.code())
    }
}

impl FromStr for Currency {
    type Err = MoneyError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Currency::from_code(s)
    }
}

impl PartialEq<str> for Currency {
    fn eq(&self, other: &str) -> bool {
        self.code() == other
    }
}

impl PartialEq<&str> for Currency {
    fn eq(&self, other: &&str) -> bool {
        self.code() == *other
    }
}

impl Serialize for Currency {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.code())
    }
}

impl<'de> Deserialize<'de> for Currency {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = Currency;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an ISO 4217 currency code such as \"EUR\"")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Currency, E> {
                Currency::from_code(v).map_err(E::custom)
            }
        }
        deserializer.deserialize_str(Visitor)
    }
}

impl JsonSchema for Currency {
    fn schema_name() -> Cow<'static, str> {
        "Currency".into()
    }

    fn schema_id() -> Cow<'static, str> {
        "canonical_finance::money::Currency".into()
    }

    fn json_schema(_generator: &mut SchemaGenerator) -> Schema {
        let codes: Vec<&'static str> = Currency::all().map(Currency::code).collect();
        json_schema!({
            "description": "ISO 4217 alphabetic currency code, upper case.",
            "type": "string",
            "enum": codes,
        })
    }
}

/// A three-letter code packed into an integer, for a binary search.
fn pack(code: &str) -> Option<u32> {
    match code.as_bytes() {
        [a, b, c] => Some((u32::from(*a) << 16) | (u32::from(*b) << 8) | u32::from(*c)),
        _ => None,
    }
}

/// Looks a code up in a table sorted by packed code: every amount read from
/// JSON passes through here, so it must be cheap.
fn lookup(code: &str) -> Option<Currency> {
    static TABLE: std::sync::OnceLock<Vec<(u32, Currency)>> = std::sync::OnceLock::new();
    let table = TABLE.get_or_init(|| {
        let mut table: Vec<(u32, Currency)> =
            Currency::all().filter_map(|c| pack(c.code()).map(|key| (key, c))).collect();
        table.sort_by_key(|(key, _)| *key);
        table
    });
    let key = pack(code)?;
    let index = table.binary_search_by_key(&key, |(k, _)| *k).ok()?;
    table.get(index).map(|(_, c)| *c)
}

/// Common symbols and spellings that are not ISO codes, with the code they
/// most often mean in finance data.
const ALIASES: &[(&str, Currency)] = &[
    ("$", Currency::USD),
    ("US$", Currency::USD),
    ("USD$", Currency::USD),
    ("€", Currency::EUR),
    ("EURO", Currency::EUR),
    ("EUROS", Currency::EUR),
    ("£", Currency::GBP),
    ("UKP", Currency::GBP),
    ("STG", Currency::GBP),
    ("¥", Currency::JPY),
    ("YEN", Currency::JPY),
    ("RMB", Currency::CNY),
    ("元", Currency::CNY),
    ("₹", Currency::INR),
    ("₩", Currency::KRW),
    ("C$", Currency::CAD),
    ("CA$", Currency::CAD),
    ("A$", Currency::AUD),
    ("AU$", Currency::AUD),
    ("NZ$", Currency::NZD),
    ("HK$", Currency::HKD),
    ("S$", Currency::SGD),
    ("R$", Currency::BRL),
    ("MX$", Currency::MXN),
    ("FR.", Currency::CHF),
    ("SFR", Currency::CHF),
    ("SFR.", Currency::CHF),
    ("ZŁ", Currency::PLN),
];

/// Guesses which code a rejected input meant. Returns `None` rather than a
/// coin toss when several codes fit equally.
fn suggest(input: &str) -> Option<Currency> {
    let trimmed = input.trim();
    let upper = trimmed.to_uppercase();
    if let Some(c) = lookup(&upper) {
        return Some(c);
    }
    if let Some((_, c)) = ALIASES.iter().find(|(alias, _)| *alias == upper) {
        return Some(*c);
    }
    // Names: "euro", "Swiss franc".
    if let Some(c) = Currency::all().find(|c| c.0.name().eq_ignore_ascii_case(trimmed)) {
        return Some(c);
    }
    // A symbol that belongs to exactly one circulating currency ("₺", "₪").
    let mut by_symbol = Currency::all()
        .filter(|c| !c.is_fund() && !c.is_special() && c.0.symbol().symbol == trimmed);
    if let (Some(c), None) = (by_symbol.next(), by_symbol.next()) {
        return Some(c);
    }
    // A dollar written with its country, such as "US$" or "NZ dollars": the
    // letters are an ISO 3166 country prefix shared by one circulating code.
    let letters: String = upper.chars().filter(char::is_ascii_alphabetic).take(3).collect();
    if letters.len() >= 2 && (upper.contains('$') || upper.contains("DOLLAR")) {
        let prefix = letters.get(..2).unwrap_or_default();
        let mut by_prefix = Currency::all()
            .filter(|c| !c.is_fund() && !c.is_special() && c.code().starts_with(prefix));
        if let (Some(c), None) = (by_prefix.next(), by_prefix.next()) {
            return Some(c);
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suggestions_fix_near_misses() {
        let cases = [
            ("usd", Some("USD")),
            ("US$", Some("USD")),
            ("$", Some("USD")),
            (" eur ", Some("EUR")),
            ("€", Some("EUR")),
            ("Euro", Some("EUR")),
            ("swiss franc", Some("CHF")),
            ("£", Some("GBP")),
            ("NZ dollars", Some("NZD")),
            ("kr", None),
            ("QQQ", None),
            ("", None),
        ];
        for (input, expected) in cases {
            assert_eq!(suggest(input).map(Currency::code), expected, "input {input:?}");
        }
    }
}
