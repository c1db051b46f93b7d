//! Dynamics 365 Business Central (API v2.0): customers ↔ Customer, vendors
//! ↔ Customer with the supplier role, salesInvoices, salesCreditMemos and
//! purchaseInvoices ↔ Invoice (lines apart, assembled with
//! [`parts`](crate::mapping::parts), or expanded), journalLines ↔
//! JournalEntry (the lines of one document number grouped with
//! [`parts::group`](crate::mapping::parts::group); a balancing account as
//! a second line), generalLedgerEntries → JournalEntry (read only),
//! customerPayments ↔ Payment (one per journal line; its currency, which
//! the API does not give, the applied invoice's from the tenant's table at
//! `/InvoiceCurrencies`, else the local currency at `/LocalCurrency`). Every
//! mapper is a mapping file in `mappings/business_central/`; no Rust glue.
//!
//! What the mappers rely on:
//!
//! - **Responses** are OData: a collection `{"@odata.context": ...,
//!   "value": [...]}` (with `@odata.nextLink` on a page that has more) or
//!   one entity; [`envelope::open`](crate::mapping::envelope::open) gives the
//!   records and the shell writes the same response back.
//! - **Blanks**: every field is written, an empty string (or a space, for
//!   `blocked`) for no value; the files read blanks as absent
//!   (`blank_is_absent`) and they come back as they were.
//! - **`@odata.etag`**, needed to update a record, stays under
//!   `extensions.business_central` and comes back.
//!
//! ```
//! use canonical_finance::mapping::{envelope, Registry};
//! use canonical_finance::json;
//!
//! let registry = Registry::builtin()?;
//! let mapper = registry.get("business_central", "customer")?;
//! let page = json!({"@odata.context": "https://api.businesscentral.dynamics.com/v2.0/t/production/api/v2.0/$metadata#companies(c)/customers",
//!     "value": [{"@odata.etag": "W/\"JzE5OzEn\"", "id": "5d115c9c-44e3-ea11-bb43-000d3a2feca1", "number": "10000",
//!       "displayName": "Harrow & Finch Interiors Ltd", "type": "Company", "email": "", "website": "", "blocked": " "}]});
//! let opened = envelope::open(mapper, &page)?;
//! let customer = mapper.to_canonical(opened.records()[0])?.value;
//! assert_eq!(customer["kind"], "organization");
//! assert_eq!(customer.get("email"), None, "a blank is no e-mail");
//! let back = opened.shell().to_vendor(mapper, &[customer])?;
//! assert_eq!(back.value, page);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use crate::mapping::{MappingError, Registry};

/// The vendor name used in mapping files and external refs.
pub const VENDOR: &str = "business_central";

/// The embedded mapping files, by path.
pub const FILES: &[(&str, &str)] = &[
    (
        "mappings/business_central/customer.json",
        include_str!("../../../mappings/business_central/customer.json"),
    ),
    (
        "mappings/business_central/vendor.json",
        include_str!("../../../mappings/business_central/vendor.json"),
    ),
    (
        "mappings/business_central/sales_invoice.json",
        include_str!("../../../mappings/business_central/sales_invoice.json"),
    ),
    (
        "mappings/business_central/purchase_invoice.json",
        include_str!("../../../mappings/business_central/purchase_invoice.json"),
    ),
    (
        "mappings/business_central/sales_credit_memo.json",
        include_str!("../../../mappings/business_central/sales_credit_memo.json"),
    ),
    (
        "mappings/business_central/journal_line.json",
        include_str!("../../../mappings/business_central/journal_line.json"),
    ),
    (
        "mappings/business_central/general_ledger_entry.json",
        include_str!("../../../mappings/business_central/general_ledger_entry.json"),
    ),
    (
        "mappings/business_central/customer_payment.json",
        include_str!("../../../mappings/business_central/customer_payment.json"),
    ),
];

/// Registers the Business Central mappers.
///
/// # Errors
///
/// Only if an embedded mapping file is broken.
pub fn register(registry: &mut Registry) -> Result<(), MappingError> {
    super::register_files(registry, FILES)
}
