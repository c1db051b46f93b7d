//! The parties of a document — seller, buyer, payee, tax representative,
//! deliver-to — and which side of a sale the company keeping the books is
//! on.
//!
//! EN 16931 names the parties of an invoice by their role, not by who
//! issued the document: the seller (BG-4) sells, the buyer (BG-7) buys.
//! The same [`Party`] type carries each of them; [`TradeSide`] says which
//! of the two is the company whose books the record is in.

use chrono::NaiveDate;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

use super::{Address, Contact, ExternalRef, TaxId, TaxIdScheme};

/// Which side of a sale a document is on, seen from the company whose
/// books it is in.
///
/// An invoice the company issues to a customer is on the sales side
/// (accounts receivable: Xero `ACCREC`, QuickBooks `Invoice`, NetSuite
/// `invoice`); a bill it receives from a supplier is on the purchases side
/// (accounts payable: Xero `ACCPAY`, QuickBooks `Bill`, NetSuite
/// `vendorBill`). Payments follow the documents they settle.
///
/// Omitted from the JSON when `sales`, the default.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum TradeSide {
    /// The company sells: it is the seller of the invoice, and the
    /// counterparty is its customer.
    #[default]
    Sales,
    /// The company buys: it is the buyer of the invoice, and the
    /// counterparty is its supplier.
    Purchases,
}

impl TradeSide {
    /// True for [`TradeSide::Sales`], the default.
    pub fn is_sales(&self) -> bool {
        *self == TradeSide::Sales
    }

    /// `"sales"` or `"purchases"`.
    pub fn as_str(self) -> &'static str {
        match self {
            TradeSide::Sales => "sales",
            TradeSide::Purchases => "purchases",
        }
    }
}

/// The role a [`Customer`](super::Customer) record plays for the company:
/// one it sells to, one it buys from, or both (a Xero contact with both
/// flags, an SAP business partner with both roles).
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize, JsonSchema,
)]
#[serde(rename_all = "snake_case")]
#[non_exhaustive]
pub enum PartyRole {
    /// The company sells to this party (QuickBooks `Customer`, NetSuite
    /// `customer`, Xero `IsCustomer`).
    Customer,
    /// The company buys from this party (QuickBooks `Vendor`, NetSuite
    /// `vendor`, Xero `IsSupplier`).
    Supplier,
}

/// An identifier with the scheme that issued it: a party identifier
/// (EN 16931 BT-29, BT-46, BT-60) with an ISO 6523 ICD scheme such as
/// `0088` (GLN), an electronic address (BT-34, BT-49) with an EAS scheme
/// such as `0204` (Leitweg-ID) or `EM` (e-mail), a deliver-to location
/// (BT-71), an item's standard identifier (BT-157).
///
/// ```
/// use canonical_finance::model::Identifier;
///
/// let gln = Identifier::new("5790000435975").with_scheme("0088");
/// assert_eq!(serde_json::to_string(&gln)?, r#"{"value":"5790000435975","scheme":"0088"}"#);
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Identifier {
    /// The identifier as issued.
    pub value: String,
    /// The scheme's code (BT-29-1, BT-34-1, BT-46-1, BT-49-1, BT-60-1,
    /// BT-71-1, BT-157-1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub scheme: Option<String>,
}

impl Identifier {
    /// An identifier without a scheme.
    pub fn new(value: impl Into<String>) -> Identifier {
        Identifier { value: value.into(), scheme: None }
    }

    /// The same identifier with its scheme.
    #[must_use]
    pub fn with_scheme(mut self, scheme: impl Into<String>) -> Identifier {
        self.scheme = Some(scheme.into());
        self
    }
}

/// A party named on a document: the seller (EN 16931 BG-4), the buyer
/// (BG-7), the payee (BG-10), the seller's tax representative (BG-11).
///
/// Every part is optional in the type; the EN 16931 rules say which each
/// role needs (the seller's name BR-06 and postal address BR-08, the
/// payee's name BR-17, the tax representative's VAT id BR-56, ...).
///
/// Identifiers by kind:
///
/// | EN 16931 | where |
/// | --- | --- |
/// | seller / buyer / payee identifier (BT-29, BT-46, BT-60) | `identifiers` |
/// | legal registration id and scheme (BT-30, BT-47, BT-61) | `tax_ids` with scheme `legal_registration`, the ISO 6523 ICD in `label` |
/// | VAT identifier (BT-31, BT-48, BT-63) | `tax_ids` with scheme `vat` |
/// | seller tax registration (BT-32) | `tax_ids` with scheme `tax_registration` |
///
/// For an ERP the seller of a sales invoice is the legal entity that
/// issued it — a NetSuite subsidiary, a Business Central company, a SAP
/// company code: the mapper writes its name and ids here and names the
/// ERP record in `external_refs`.
///
/// ```
/// use canonical_finance::model::{Address, CountryCode, ExternalRef, Party, TaxId, TaxIdScheme};
///
/// let mut seller = Party::named("Nordwind Handels GmbH");
/// seller.tax_ids.push(TaxId::new(TaxIdScheme::Vat, "DE811569869"));
/// seller.address = Some(Address::new(CountryCode::new("DE")?));
/// seller.external_refs.push(ExternalRef::new("netsuite", "subsidiary", "3"));
/// assert_eq!(seller.vat_id(), Some("DE811569869"));
/// # Ok::<(), canonical_finance::model::ModelError>(())
/// ```
#[derive(Clone, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Party {
    /// The registered name (BT-27 seller, BT-44 buyer, BT-59 payee, BT-62
    /// tax representative).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// The name the party trades under, when it differs (BT-28, BT-45).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub trading_name: Option<String>,
    /// Identifiers with their schemes (BT-29, BT-46, BT-60).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub identifiers: Vec<Identifier>,
    /// VAT id, tax registration and legal registration (BT-30..BT-32,
    /// BT-47, BT-48, BT-61, BT-63).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub tax_ids: Vec<TaxId>,
    /// Where the party receives electronic documents, with its EAS scheme
    /// (BT-34, BT-49).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub electronic_address: Option<Identifier>,
    /// The postal address (BG-5, BG-8, BG-12).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<Address>,
    /// The person to contact (BG-6, BG-9).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub contact: Option<Contact>,
    /// The party's records in other systems: an ERP's legal entity or
    /// subsidiary, a Stripe account, the customer record.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub external_refs: Vec<ExternalRef>,
}

impl Party {
    /// A party with a name; every other part empty.
    pub fn named(name: impl Into<String>) -> Party {
        Party { name: Some(name.into()), ..Party::default() }
    }

    /// The first id of `scheme` in `tax_ids`.
    pub fn tax_id(&self, scheme: TaxIdScheme) -> Option<&str> {
        self.tax_ids.iter().find(|t| t.scheme == scheme).map(|t| t.value.as_str())
    }

    /// The VAT identifier (BT-31, BT-48, BT-63), if any.
    pub fn vat_id(&self) -> Option<&str> {
        self.tax_id(TaxIdScheme::Vat)
    }
}

/// Where and when goods or services were delivered (EN 16931 BG-13).
///
/// ```
/// use canonical_finance::model::{Address, CountryCode, Delivery, Identifier};
/// use chrono::NaiveDate;
///
/// let mut delivery = Delivery::default();
/// delivery.party_name = Some("Lager Süd".into());
/// delivery.location_id = Some(Identifier::new("4012345000009").with_scheme("0088"));
/// delivery.date = NaiveDate::from_ymd_opt(2026, 11, 3);
/// delivery.address = Some(Address::new(CountryCode::new("AT")?));
/// # Ok::<(), canonical_finance::model::ModelError>(())
/// ```
#[derive(Clone, PartialEq, Eq, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[non_exhaustive]
pub struct Delivery {
    /// The name of the party delivered to (BT-70).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub party_name: Option<String>,
    /// The place delivered to, with its scheme (BT-71, an ISO 6523 ICD in
    /// BT-71-1).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location_id: Option<Identifier>,
    /// The day of delivery (BT-72).
    #[serde(
        default,
        skip_serializing_if = "Option::is_none",
        with = "crate::time::serde_date::option"
    )]
    #[schemars(with = "Option<NaiveDate>")]
    pub date: Option<NaiveDate>,
    /// The deliver-to address (BG-15).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub address: Option<Address>,
}
