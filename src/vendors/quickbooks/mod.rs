//! QuickBooks Online (accounting API v3, minor version 75): Customer and
//! Vendor ↔ Customer (a vendor has the supplier role), and the
//! transactions below. Every mapper is a mapping file in
//! `mappings/quickbooks/`; no Rust glue.
//!
//! What the mappers rely on:
//!
//! - **Responses**: a record alone, one wrapped as `GET` returns it
//!   (`{"Customer": {...}, "time": ...}`) or a page of a query
//!   (`{"QueryResponse": {"Customer": [...]}}`): open them with
//!   [`envelope::open`](crate::mapping::envelope::open).
//! - **Amounts** are JSON numbers in the transaction's currency
//!   (`CurrencyRef`), read from their text exactly.
//! - **References** are `{value, name}` objects: the id becomes an external
//!   ref of the object type named (`Customer`, `Vendor`, `Invoice`), the
//!   name the reference's `display`. A [`Crosswalk`](crate::mapping::Crosswalk)
//!   gives them canonical ids.
//! - **Dates**: `TxnDate` and `DueDate` are calendar dates; `MetaData`
//!   times carry the company's offset and are read as UTC instants (the
//!   offset written comes back from extensions).
//! - **Updates**: `SyncToken` and every field no rule reads stay under
//!   `extensions.quickbooks` and are written back, so a record read from
//!   QuickBooks goes back as an update of the same version.
//!
//! ```
//! use canonical_finance::mapping::{envelope, Registry};
//! use canonical_finance::json;
//!
//! let registry = Registry::builtin()?;
//! let mapper = registry.get("quickbooks", "Customer")?;
//! let response = json!({"Customer": {"Id": "58", "SyncToken": "3", "DisplayName": "Cool Cars",
//!     "CompanyName": "Cool Cars Ltd", "Active": true, "ParentRef": {"value": "12", "name": "Auto Group"},
//!     "BillAddr": {"Line1": "65 Ocean Dr.", "City": "Half Moon Bay", "Country": "USA"}},
//!     "time": "2026-03-04T10:15:22.000-08:00"});
//! let opened = envelope::open(mapper, &response)?;
//! let customer = mapper.to_canonical(opened.records()[0])?.value;
//! assert_eq!(customer["kind"], "organization");
//! assert_eq!(customer["addresses"][0]["country"], "US");
//! assert_eq!(customer["parent"]["external_refs"][0]["id"], "12");
//! assert_eq!(customer["extensions"]["quickbooks"]["SyncToken"], "3");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use crate::mapping::{MappingError, Registry};

/// The vendor name used in mapping files and external refs.
pub const VENDOR: &str = "quickbooks";

/// The embedded mapping files, by path.
pub const FILES: &[(&str, &str)] = &[
    (
        "mappings/quickbooks/customer.json",
        include_str!("../../../mappings/quickbooks/customer.json"),
    ),
    ("mappings/quickbooks/vendor.json", include_str!("../../../mappings/quickbooks/vendor.json")),
    ("mappings/quickbooks/payment.json", include_str!("../../../mappings/quickbooks/payment.json")),
    (
        "mappings/quickbooks/bill_payment.json",
        include_str!("../../../mappings/quickbooks/bill_payment.json"),
    ),
    (
        "mappings/quickbooks/journal_entry.json",
        include_str!("../../../mappings/quickbooks/journal_entry.json"),
    ),
    ("mappings/quickbooks/invoice.json", include_str!("../../../mappings/quickbooks/invoice.json")),
    (
        "mappings/quickbooks/credit_memo.json",
        include_str!("../../../mappings/quickbooks/credit_memo.json"),
    ),
    ("mappings/quickbooks/bill.json", include_str!("../../../mappings/quickbooks/bill.json")),
    (
        "mappings/quickbooks/vendor_credit.json",
        include_str!("../../../mappings/quickbooks/vendor_credit.json"),
    ),
];

/// Registers the QuickBooks Online mappers.
///
/// # Errors
///
/// Only if an embedded mapping file is broken.
pub fn register(registry: &mut Registry) -> Result<(), MappingError> {
    super::register_files(registry, FILES)
}
