//! Parts shared by the entities: external references, addresses, tax ids,
//! contacts, bank accounts, payment terms, periods, extensions, provenance.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::fmt;
use std::num::NonZeroU32;
use std::str::FromStr;

use chrono::{DateTime, NaiveDate, Utc};
use rust_decimal::Decimal;
use schemars::{JsonSchema, Schema, SchemaGenerator, json_schema};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use super::ModelError;
use crate::money::{Currency, DecimalSchema, serde_decimal};

/// One record's id in another system: the crosswalk that says the same
/// customer is `001xx` in Salesforce, `cus_xx` in Stripe and `1234` in
/// NetSuite.
///
/// ```
/// use canonical_finance::model::ExternalRef;
///
/// let r = ExternalRef::new("stripe", "customer", "cus_NffrFeUfNV2Hib");
/// assert_eq!(
///     serde_json::to_string(&r)?,
///     r#"{"system":"stripe","object_type":"customer","id":"cus_NffrFeUfNV2Hib"}"#
/// );
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(
    Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct ExternalRef {
    /// The system, lower-case: `stripe`, `salesforce`, `netsuite`,
    /// `quickbooks`, `xero`, or your own system's name.
    pub system: String,
    /// The object type in that system, as the system names it:
    /// `customer`, `Account`, `invoice`, `CreditMemo`.
    pub object_type: String,
    /// The record's id in that system.
    pub id: String,
    /// The tenant, realm, company or account within the system, when ids are
    /// only unique inside one (QuickBooks realm id, Xero tenant id, NetSuite
    /// account id, Stripe connected account).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tenant: Option<String>,
}

impl ExternalRef {
    /// A reference to `id` of `object_type` in `system`.
    pub fn new(
        system: impl Into<String>,
        object_type: impl Into<String>,
        id: impl Into<String>,
    ) -> Self {
        ExternalRef {
            system: system.into(),
            object_type: object_type.into(),
            id: id.into(),
            tenant: None,
        }
    }

    /// The same reference, scoped to a tenant of the system.
    #[must_use]
    pub fn with_tenant(mut self, tenant: impl Into<String>) -> Self {
        self.tenant = Some(tenant.into());
        self
    }
}

/// ISO 3166-1 alpha-2 codes, plus `XK` (Kosovo, user-assigned but used by
/// banks, payment processors and the EU).
const COUNTRY_CODES: [&str; 250] = [
    "AD", "AE", "AF", "AG", "AI", "AL", "AM", "AO", "AQ", "AR", "AS", "AT", "AU", "AW", "AX", "AZ",
    "BA", "BB", "BD", "BE", "BF", "BG", "BH", "BI", "BJ", "BL", "BM", "BN", "BO", "BQ", "BR", "BS",
    "BT", "BV", "BW", "BY", "BZ", "CA", "CC", "CD", "CF", "CG", "CH", "CI", "CK", "CL", "CM", "CN",
    "CO", "CR", "CU", "CV", "CW", "CX", "CY", "CZ", "DE", "DJ", "DK", "DM", "DO", "DZ", "EC", "EE",
    "EG", "EH", "ER", "ES", "ET", "FI", "FJ", "FK", "FM", "FO", "FR", "GA", "GB", "GD", "GE", "GF",
    "GG", "GH", "GI", "GL", "GM", "GN", "GP", "GQ", "GR", "GS", "GT", "GU", "GW", "GY", "HK", "HM",
    "HN", "HR", "HT", "HU", "ID", "IE", "IL", "IM", "IN", "IO", "IQ", "IR", "IS", "IT", "JE", "JM",
    "JO", "JP", "KE", "KG", "KH", "KI", "KM", "KN", "KP", "KR", "KW", "KY", "KZ", "LA", "LB", "LC",
    "LI", "LK", "LR", "LS", "LT", "LU", "LV", "LY", "MA", "MC", "MD", "ME", "MF", "MG", "MH", "MK",
    "ML", "MM", "MN", "MO", "MP", "MQ", "MR", "MS", "MT", "MU", "MV", "MW", "MX", "MY", "MZ", "NA",
    "NC", "NE", "NF", "NG", "NI", "NL", "NO", "NP", "NR", "NU", "NZ", "OM", "PA", "PE", "PF", "PG",
    "PH", "PK", "PL", "PM", "PN", "PR", "PS", "PT", "PW", "PY", "QA", "RE", "RO", "RS", "RU", "RW",
    "SA", "SB", "SC", "SD", "SE", "SG", "SH", "SI", "SJ", "SK", "SL", "SM", "SN", "SO", "SR", "SS",
    "ST", "SV", "SX", "SY", "SZ", "TC", "TD", "TF", "TG", "TH", "TJ", "TK", "TL", "TM", "TN", "TO",
    "TR", "TT", "TV", "TW", "TZ", "UA", "UG", "UM", "US", "UY", "UZ", "VA", "VC", "VE", "VG", "VI",
    "VN", "VU", "WF", "WS", "XK", "YE", "YT", "ZA", "ZM", "ZW",
];

/// An ISO 3166-1 alpha-2 country code, upper case: `DE`, `US`, `JP`.
///
/// Strict like [`Currency`]: `"de"` and `"DEU"` are errors; the error
/// suggests `DE` for the first. Greece is `GR` here; the `EL` prefix belongs
/// to Greek VAT numbers, not to addresses.
///
/// ```
/// use canonical_finance::model::CountryCode;
///
/// let de: CountryCode = "DE".parse()?;
/// assert_eq!(de.as_str(), "DE");
/// assert!("de".parse::<CountryCode>().is_err());
/// # Ok::<(), canonical_finance::model::ModelError>(())
/// ```
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CountryCode(&'static str);

impl CountryCode {
    /// Looks up a code.
    ///
    /// # Errors
    ///
    /// [`ModelError::UnknownCountry`] when `code` is not an upper-case ISO
    /// 3166-1 alpha-2 code.
    pub fn new(code: &str) -> Result<CountryCode, ModelError> {
        match COUNTRY_CODES.binary_search(&code) {
            Ok(i) => {
                COUNTRY_CODES.get(i).map(|c| CountryCode(c)).ok_or_else(|| unknown_country(code))
            }
            Err(_) => Err(unknown_country(code)),
        }
    }

    /// The code as a string.
    pub fn as_str(self) -> &'static str {
        self.0
    }

    /// Every accepted code.
    pub fn all() -> impl Iterator<Item = CountryCode> {
        COUNTRY_CODES.iter().map(|c| CountryCode(c))
    }
}

fn unknown_country(code: &str) -> ModelError {
    let upper = code.trim().to_ascii_uppercase();
    let suggestion = COUNTRY_CODES
        .binary_search(&upper.as_str())
        .ok()
        .and_then(|i| COUNTRY_CODES.get(i).copied());
    ModelError::UnknownCountry { input: code.to_owned(), suggestion }
}

impl fmt::Display for CountryCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0)
    }
}

impl fmt::Debug for CountryCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.0)
    }
}

impl FromStr for CountryCode {
    type Err = ModelError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        CountryCode::new(s)
    }
}

impl Serialize for CountryCode {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.0)
    }
}

impl<'de> Deserialize<'de> for CountryCode {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let s = Cow::<'de, str>::deserialize(deserializer)?;
        CountryCode::new(&s).map_err(serde::de::Error::custom)
    }
}

impl JsonSchema for CountryCode {
    fn schema_name() -> Cow<'static, str> {
        "CountryCode".into()
    }

    fn json_schema(_generator: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "ISO 3166-1 alpha-2 country code, upper case (plus XK for Kosovo).",
            "type": "string",
            "enum": COUNTRY_CODES.as_slice(),
        })
    }
}

/// What an address is used for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum AddressPurpose {
    /// Where invoices go (EN 16931 BG-8, buyer postal address).
    Billing,
    /// Where goods go (EN 16931 BG-15, deliver-to address).
    Shipping,
    /// The registered office or legal address.
    Registered,
    /// Postal address for other correspondence.
    Mailing,
    /// Any other purpose.
    Other,
}

/// A postal address (EN 16931 BG-5/BG-8).
///
/// ```
/// use canonical_finance::model::{Address, AddressPurpose, CountryCode};
///
/// let mut a = Address::new(CountryCode::new("DE")?);
/// a.purpose = Some(AddressPurpose::Billing);
/// a.lines = vec!["Friedrichstraße 123".into()];
/// a.city = Some("Berlin".into());
/// a.postal_code = Some("10117".into());
/// # Ok::<(), canonical_finance::model::ModelError>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Address {
    /// What the address is used for.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub purpose: Option<AddressPurpose>,
    /// Street lines, first to last (BT-50, BT-51, BT-163).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub lines: Vec<String>,
    /// City or town (BT-52).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub city: Option<String>,
    /// State, province, county or region (BT-54).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub region: Option<String>,
    /// Postal or ZIP code (BT-53).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub postal_code: Option<String>,
    /// Country (BT-55), ISO 3166-1 alpha-2.
    pub country: CountryCode,
}

impl Address {
    /// An address in `country`; fill in the other fields as needed.
    pub fn new(country: CountryCode) -> Address {
        Address {
            purpose: None,
            lines: Vec::new(),
            city: None,
            region: None,
            postal_code: None,
            country,
        }
    }
}

/// The kind of a tax or registration identifier.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum TaxIdScheme {
    /// A VAT identifier with its country prefix, such as `DE123456789`,
    /// `EL123456789` (Greece) or `XI123456789` (Northern Ireland)
    /// (EN 16931 BT-31/BT-48).
    Vat,
    /// A goods and services tax number (Australia, New Zealand, India,
    /// Canada, Singapore, ...).
    Gst,
    /// A US or other sales-tax registration or permit number.
    SalesTax,
    /// A US employer identification number.
    Ein,
    /// Another national taxpayer number (TIN, CPF/CNPJ, RFC, ...).
    Tin,
    /// A tax registration that is not a VAT id (EN 16931 BT-32).
    TaxRegistration,
    /// A company or legal registration number (EN 16931 BT-30/BT-47).
    LegalRegistration,
    /// Anything else; say which in `label`.
    Other,
}

/// A tax or registration identifier of a party.
///
/// ```
/// use canonical_finance::model::{TaxId, TaxIdScheme};
///
/// let vat = TaxId::new(TaxIdScheme::Vat, "DE123456789");
/// assert_eq!(serde_json::to_string(&vat)?, r#"{"scheme":"vat","value":"DE123456789"}"#);
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct TaxId {
    /// What kind of identifier this is.
    pub scheme: TaxIdScheme,
    /// The identifier as issued, without spaces.
    pub value: String,
    /// The issuing country, when the value does not carry it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<CountryCode>,
    /// The source system's own name for the kind (Stripe `eu_vat`, an
    /// ISO 6523 ICD such as `0088`), kept for the round trip.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub label: Option<String>,
}

impl TaxId {
    /// An identifier of `scheme` with `value`.
    pub fn new(scheme: TaxIdScheme, value: impl Into<String>) -> TaxId {
        TaxId { scheme, value: value.into(), country: None, label: None }
    }
}

/// A person to talk to at a customer (EN 16931 BG-9).
#[derive(Clone, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Contact {
    /// Full name (BT-56).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// E-mail address (BT-58).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub email: Option<String>,
    /// Telephone number, ideally E.164 (BT-57).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub phone: Option<String>,
    /// What the person does for this account: `billing`, `accounts payable`,
    /// `procurement`, `signatory`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub role: Option<String>,
}

/// The scheme of a domestic bank routing number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum RoutingScheme {
    /// US ABA routing transit number (9 digits).
    Aba,
    /// UK sort code (6 digits).
    SortCode,
    /// Australian bank-state-branch number (6 digits).
    Bsb,
    /// Canadian institution and transit number.
    CanadianTransit,
    /// Indian Financial System Code.
    Ifsc,
    /// Mexican CLABE.
    Clabe,
    /// Any other domestic scheme.
    Other,
}

/// A bank account, by IBAN and BIC or by a domestic account and routing
/// number (EN 16931 BG-17, BT-84..BT-86).
#[derive(Clone, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct BankAccount {
    /// The account holder's name (BT-85).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub holder_name: Option<String>,
    /// International Bank Account Number, without spaces (BT-84).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub iban: Option<String>,
    /// Bank Identifier Code, 8 or 11 characters (BT-86).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bic: Option<String>,
    /// A domestic account number, where there is no IBAN.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub account_number: Option<String>,
    /// A domestic routing number, where there is no BIC.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub routing_number: Option<String>,
    /// The scheme of `routing_number`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub routing_scheme: Option<RoutingScheme>,
    /// The bank's name.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bank_name: Option<String>,
    /// The country where the account is held.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub country: Option<CountryCode>,
    /// The account's currency.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub currency: Option<Currency>,
}

/// When payment is due, and any discount for paying early
/// (EN 16931 BT-20 carries the text; the parts are typed here).
///
/// A due date follows from the terms in one of three ways:
///
/// | terms | due | vendors |
/// | --- | --- | --- |
/// | `net_days` | that many days after the issue date | "Net 30", Xero `DAYSAFTERBILLDATE` |
/// | `net_days` + `end_of_month` | that many days after the last day of the issue month | "30 days EOM", Xero `DAYSAFTERBILLMONTH` |
/// | `due_day_of_month` (+ `due_months_after`) | on that day of the issue month, or of a later month | Xero `OFCURRENTMONTH` (0), `OFFOLLOWINGMONTH` (1); QuickBooks `DayOfMonthDue`, NetSuite `dayOfMonthNetDue` |
///
/// ```
/// use canonical_finance::model::PaymentTerms;
/// use chrono::NaiveDate;
///
/// let terms = PaymentTerms::net_days(30);
/// assert_eq!(serde_json::to_string(&terms)?, r#"{"net_days":30}"#);
///
/// let issued = NaiveDate::from_ymd_opt(2026, 1, 20).ok_or("date")?;
/// assert_eq!(terms.due_date(issued), NaiveDate::from_ymd_opt(2026, 2, 19));
/// // "Due on the 31st of the following month": February has 28 days.
/// let eom = PaymentTerms::day_of_month(31, 1);
/// assert_eq!(eom.due_date(issued), NaiveDate::from_ymd_opt(2026, 2, 28));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct PaymentTerms {
    /// Days within which payment is due (0 = on receipt), counted from the
    /// issue date, or from the end of the issue month with `end_of_month`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub net_days: Option<u32>,
    /// Count `net_days` from the last day of the issue month ("EOM").
    /// Omitted when false.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub end_of_month: bool,
    /// Due on this day of a month, 1 to 31 (rule PAYMENT-TERMS); in a
    /// shorter month, on its last day. Not together with `net_days`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub due_day_of_month: Option<u8>,
    /// With `due_day_of_month`: how many months after the issue month
    /// (0, the default, for the issue month itself; 1 for the next).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub due_months_after: Option<u32>,
    /// Early-payment discount in percent (2 for "2/10 net 30").
    #[serde(default, skip_serializing_if = "Option::is_none", with = "serde_decimal::option")]
    #[schemars(with = "Option<DecimalSchema>")]
    pub discount_percent: Option<Decimal>,
    /// Days after the issue date within which the discount applies.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub discount_days: Option<u32>,
    /// The source system's name or code for the terms (`Net 30`, `DAYSAFTERBILLDATE`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    /// The terms as text, as printed on the invoice (BT-20).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

impl PaymentTerms {
    /// "Net N days".
    pub fn net_days(days: u32) -> PaymentTerms {
        PaymentTerms { net_days: Some(days), ..PaymentTerms::default() }
    }

    /// "N days after the end of the month".
    pub fn net_days_end_of_month(days: u32) -> PaymentTerms {
        PaymentTerms { net_days: Some(days), end_of_month: true, ..PaymentTerms::default() }
    }

    /// "On day `day` of the month `months_after` months after the issue
    /// month".
    pub fn day_of_month(day: u8, months_after: u32) -> PaymentTerms {
        PaymentTerms {
            due_day_of_month: Some(day),
            due_months_after: Some(months_after),
            ..PaymentTerms::default()
        }
    }

    /// The due date these terms give an invoice issued on `issue_date`, or
    /// `None` when they do not fix one (only a code or text, both a day of
    /// the month and net days, a day outside 1..=31, or a date beyond the
    /// calendar).
    pub fn due_date(&self, issue_date: NaiveDate) -> Option<NaiveDate> {
        use chrono::{Datelike, Days, Months};
        match (self.net_days, self.due_day_of_month) {
            (Some(days), None) => {
                let start = if self.end_of_month { last_of_month(issue_date)? } else { issue_date };
                start.checked_add_days(Days::new(u64::from(days)))
            }
            (None, Some(day)) if (1..=31).contains(&day) && !self.end_of_month => {
                let first = issue_date.with_day(1)?;
                let month =
                    first.checked_add_months(Months::new(self.due_months_after.unwrap_or(0)))?;
                let last = last_of_month(month)?;
                month.with_day(u32::from(day).min(last.day()))
            }
            _ => None,
        }
    }
}

/// The last day of `date`'s month.
fn last_of_month(date: NaiveDate) -> Option<NaiveDate> {
    use chrono::{Datelike, Days, Months};
    date.with_day(1)?.checked_add_months(Months::new(1))?.checked_sub_days(Days::new(1))
}

/// A span of calendar days, both ends included (EN 16931 BG-14 invoicing
/// period, BG-26 line period).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Period {
    /// First day (BT-73/BT-134).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "crate::time::serde_date::option"
    )]
    #[schemars(with = "Option<NaiveDate>")]
    pub start: Option<NaiveDate>,
    /// Last day, included (BT-74/BT-135).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "crate::time::serde_date::option"
    )]
    #[schemars(with = "Option<NaiveDate>")]
    pub end: Option<NaiveDate>,
}

impl Period {
    /// The days from `start` to `end`, both included.
    pub fn new(start: NaiveDate, end: NaiveDate) -> Period {
        Period { start: Some(start), end: Some(end) }
    }
}

/// A unit of a recurring interval.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum IntervalUnit {
    /// Calendar days.
    Day,
    /// Weeks of seven days.
    Week,
    /// Calendar months.
    Month,
    /// Three calendar months.
    Quarter,
    /// Calendar years.
    Year,
}

/// A recurring interval: every `count` `unit`s (every 3 months).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Interval {
    /// The unit.
    pub unit: IntervalUnit,
    /// How many units; at least 1.
    pub count: NonZeroU32,
}

impl Interval {
    /// Every `count` `unit`s.
    pub fn new(unit: IntervalUnit, count: NonZeroU32) -> Interval {
        Interval { unit, count }
    }

    /// Every one `unit`: monthly, yearly.
    pub fn every(unit: IntervalUnit) -> Interval {
        Interval { unit, count: NonZeroU32::MIN }
    }
}

/// A product, service or item a line sells (EN 16931 BG-31).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct ItemRef {
    /// The seller's item code or SKU (BT-155).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub code: Option<String>,
    /// The item name (BT-153).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The item's ids in other systems (a Stripe price or product, a
    /// QuickBooks item, a NetSuite item record).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub external_refs: Vec<ExternalRef>,
    /// The item's id under a registered scheme, such as a GTIN with ISO 6523
    /// ICD `0160` (BT-157).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub standard_id: Option<super::Identifier>,
    /// Classifications of the item, such as a CPV or UNSPSC code (BT-158).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub classifications: Vec<ItemClassification>,
    /// The country the item comes from (BT-159).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub origin_country: Option<CountryCode>,
    /// Attributes of the item: colour, size, ... (BG-32).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub attributes: Vec<ItemAttribute>,
}

impl ItemRef {
    /// An item with its name (BT-153); every other part empty.
    pub fn named(name: impl Into<String>) -> ItemRef {
        ItemRef { name: Some(name.into()), ..ItemRef::default() }
    }
}

/// An item's code in a classification (EN 16931 BT-158).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct ItemClassification {
    /// The code (BT-158).
    pub code: String,
    /// The classification, as a UNTDID 7143 code: `STI` (CPV), `TST`
    /// (UNSPSC), `HS` (harmonised system) (BT-158-1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scheme: Option<String>,
    /// The classification's version (BT-158-2).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scheme_version: Option<String>,
}

impl ItemClassification {
    /// `code` in the UNTDID 7143 classification `scheme`.
    pub fn new(code: impl Into<String>, scheme: impl Into<String>) -> ItemClassification {
        ItemClassification { code: code.into(), scheme: Some(scheme.into()), scheme_version: None }
    }
}

/// A named property of an item (EN 16931 BG-32).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct ItemAttribute {
    /// The attribute's name, such as `Colour` (BT-160).
    pub name: String,
    /// Its value, such as `Black` (BT-161).
    pub value: String,
}

impl ItemAttribute {
    /// The attribute `name` with `value`.
    pub fn new(name: impl Into<String>, value: impl Into<String>) -> ItemAttribute {
        ItemAttribute { name: name.into(), value: value.into() }
    }
}

/// Custom fields and vendor data no mapping rule covered, kept so that
/// nothing is lost.
///
/// Keys are namespaces: a vendor name (`stripe`, `netsuite`) for data a
/// mapper carried through, or `custom` for your own fields. Values are any
/// JSON, as [`json::Value`](crate::json::Value): numbers keep their exact
/// text (a 20-digit vendor total comes back unchanged). Read one as a
/// `serde_json::Value` with [`Value::to_serde_json`](crate::json::Value::to_serde_json).
///
/// ```
/// use canonical_finance::model::Extensions;
/// use canonical_finance::json;
///
/// let mut ext = Extensions::default();
/// ext.insert("stripe", json!({"metadata": {"order_id": "6735"}}));
/// assert_eq!(ext.get("stripe").and_then(|v| v.pointer("/metadata/order_id")), Some(&json!("6735")));
/// ```
#[derive(Clone, PartialEq, Eq, Default, Serialize)]
#[serde(transparent)]
pub struct Extensions(BTreeMap<String, crate::json::Value>);

impl Extensions {
    /// True for a namespace name: a lower-case letter, then lower-case
    /// letters, digits, `_`, `.` or `-` (`stripe`, `custom`, `acme-erp`).
    pub fn is_namespace(key: &str) -> bool {
        let mut chars = key.chars();
        chars.next().is_some_and(|c| c.is_ascii_lowercase())
            && chars.all(|c| {
                c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '_' | '.' | '-')
            })
    }
}

/// Reads a map whose keys must be distinct: a key that is there twice is
/// the error "expected the key `k` once, but found it twice", as in every
/// reader of the crate (serde's `BTreeMap` would keep the last value
/// silently).
pub(crate) fn unique_map<'de, D, V>(deserializer: D) -> Result<BTreeMap<String, V>, D::Error>
where
    D: Deserializer<'de>,
    V: Deserialize<'de>,
{
    struct Unique<V>(std::marker::PhantomData<V>);
    impl<'de, V: Deserialize<'de>> serde::de::Visitor<'de> for Unique<V> {
        type Value = BTreeMap<String, V>;
        fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
            f.write_str("an object")
        }
        fn visit_map<A: serde::de::MapAccess<'de>>(
            self,
            mut access: A,
        ) -> Result<Self::Value, A::Error> {
            let mut map = BTreeMap::new();
            while let Some(key) = access.next_key::<String>()? {
                if map.contains_key(&key) {
                    return Err(serde::de::Error::custom(format!(
                        "expected the key `{}` once, but found it twice",
                        crate::money::escape(&key)
                    )));
                }
                let value = access.next_value()?;
                map.insert(key, value);
            }
            Ok(map)
        }
    }
    deserializer.deserialize_map(Unique(std::marker::PhantomData))
}

impl<'de> Deserialize<'de> for Extensions {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let map = unique_map::<_, crate::json::Value>(deserializer)?;
        if let Some(bad) = map.keys().find(|k| !Extensions::is_namespace(k)) {
            return Err(serde::de::Error::custom(format!(
                "invalid extension namespace `{}`: expected a lower-case name such as `stripe` or `custom`",
                crate::money::escape(bad)
            )));
        }
        Ok(Extensions(map))
    }
}

impl Extensions {
    /// True when no namespace holds anything.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The value of a namespace.
    pub fn get(&self, namespace: &str) -> Option<&crate::json::Value> {
        self.0.get(namespace)
    }

    /// The value of a namespace, mutably.
    pub fn get_mut(&mut self, namespace: &str) -> Option<&mut crate::json::Value> {
        self.0.get_mut(namespace)
    }

    /// Sets a namespace, returning what it held before.
    pub fn insert(
        &mut self,
        namespace: impl Into<String>,
        value: crate::json::Value,
    ) -> Option<crate::json::Value> {
        self.0.insert(namespace.into(), value)
    }

    /// Removes a namespace, returning what it held.
    pub fn remove(&mut self, namespace: &str) -> Option<crate::json::Value> {
        self.0.remove(namespace)
    }

    /// The namespaces and their values, in key order.
    pub fn iter(&self) -> impl Iterator<Item = (&str, &crate::json::Value)> {
        self.0.iter().map(|(k, v)| (k.as_str(), v))
    }
}

impl JsonSchema for Extensions {
    fn schema_name() -> Cow<'static, str> {
        "Extensions".into()
    }

    fn json_schema(_generator: &mut SchemaGenerator) -> Schema {
        json_schema!({
            "description": "Custom fields and vendor data no mapping rule covered, by namespace: a vendor name (`stripe`, `netsuite`) or `custom`.",
            "type": "object",
            "propertyNames": {"pattern": "^[a-z][a-z0-9_.-]*$"},
            "additionalProperties": true,
        })
    }
}

/// Where a record came from: which system, which object, which version,
/// and when it was read. Lets you trace which system changed what.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Provenance {
    /// The system the record was read from.
    pub system: String,
    /// The object type there.
    pub object_type: String,
    /// The record's id there.
    pub id: String,
    /// The record's version there, when the system has one (QuickBooks
    /// `SyncToken`, an OData ETag, Stripe's API version).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
    /// When the record was read, RFC 3339 UTC.
    #[serde(with = "crate::time::serde_instant")]
    #[schemars(with = "DateTime<Utc>")]
    pub observed_at: DateTime<Utc>,
}

impl Provenance {
    /// A record `id` of `object_type` read from `system` at `observed_at`.
    pub fn new(
        system: impl Into<String>,
        object_type: impl Into<String>,
        id: impl Into<String>,
        observed_at: DateTime<Utc>,
    ) -> Provenance {
        Provenance {
            system: system.into(),
            object_type: object_type.into(),
            id: id.into(),
            version: None,
            observed_at,
        }
    }
}
