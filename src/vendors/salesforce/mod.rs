//! Salesforce (REST API, SObject JSON): Account ↔ Customer (business and
//! person accounts, billing and shipping addresses from their writable
//! fields, contacts), Contract ↔ Contract, Opportunity → Contract (the
//! deal as agreed: its line items at their price after discount) and back
//! as far as it goes, Order ↔ Contract (what is to be billed, at the
//! agreed prices). Every mapper is a mapping file in
//! `mappings/salesforce/`; the one piece of Salesforce's own is the
//! `salesforce_id` transform (15- and 18-character ids as one record).
//!
//! What the mappers rely on:
//!
//! - **Records** are a `GET /sobjects/<Object>/<Id>`, or the `records` of a
//!   query result (`{"totalSize", "done", "records", "nextRecordsUrl"}`),
//!   which the envelope opens; each record's `attributes` stays in
//!   extensions and comes back.
//! - **Ids**: the API gives 18-character ids; the user interface, reports
//!   and many integrations give the 15-character form. The canonical id is
//!   the 18-character one.
//! - **Custom fields** are members named `*__c`, read with `members`.
//!
//! ```
//! use canonical_finance::mapping::Registry;
//! use canonical_finance::json;
//!
//! let registry = Registry::builtin()?;
//! let mapper = registry.get("salesforce", "Account")?;
//! let record = json!({"attributes": {"type": "Account", "url": "/services/data/v62.0/sobjects/Account/001Dn00000AbCdEIAV"},
//!     "Id": "001Dn00000AbCdE", "Name": "Northwind Sailcloth Ltd", "IsPersonAccount": false,
//!     "CurrencyIsoCode": "GBP", "Tier__c": "Gold"});
//! let customer = mapper.to_canonical(&record)?.value;
//! assert_eq!(customer["id"], "001Dn00000AbCdEIAV");
//! assert_eq!(customer["extensions"]["custom"]["Tier__c"], "Gold");
//! assert_eq!(mapper.to_vendor(&customer)?.value, record);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use crate::mapping::{MappingError, Registry};

/// The vendor name used in mapping files and external refs.
pub const VENDOR: &str = "salesforce";

/// The embedded mapping files, by path.
pub const FILES: &[(&str, &str)] = &[
    ("mappings/salesforce/account.json", include_str!("../../../mappings/salesforce/account.json")),
    (
        "mappings/salesforce/contract.json",
        include_str!("../../../mappings/salesforce/contract.json"),
    ),
    (
        "mappings/salesforce/opportunity.json",
        include_str!("../../../mappings/salesforce/opportunity.json"),
    ),
    ("mappings/salesforce/order.json", include_str!("../../../mappings/salesforce/order.json")),
];

/// Registers the Salesforce mappers.
///
/// # Errors
///
/// Only if an embedded mapping file is broken.
pub fn register(registry: &mut Registry) -> Result<(), MappingError> {
    super::register_files(registry, FILES)
}
