//! NetSuite (SuiteTalk REST record API): customer ↔ Customer, vendor ↔
//! Customer with the supplier role, invoice and creditMemo ↔ Invoice (the
//! item sublist as lines; tax in either of NetSuite's forms: SuiteTax
//! `taxDetails` joined to their lines by `taxDetailsReference`, or legacy
//! per-line codes and the US header tax group), customerPayment and
//! vendorPayment ↔ Payment (the `apply` sublist), journalEntry ↔
//! JournalEntry (debit and credit columns, segments as dimensions).
//! Currency ids and tax codes are read through the tenant's tables, which
//! the caller puts at `/Currencies` and `/TaxCodes` with the Crosswalk.
//! Every mapper is a mapping file in `mappings/netsuite/`; no Rust glue.
//!
//! What the mappers rely on:
//!
//! - **Records** are read by id (`GET /record/v1/customer/1041`); a list
//!   page names records by id and link only, so it is not mapped.
//! - **Sublists** come as a link (`"addressBook": {"links": [...]}`), or
//!   with their items under `expandSubResources=true`; a link alone stays
//!   in extensions and comes back.
//! - **References** are `{id, refName, links}`: the id becomes an external
//!   ref, `refName` the reference's display.
//! - **Custom fields** are members named `custentity_*` (and `custbody_*`,
//!   `custcol_*` on transactions), read with `members`.
//!
//! ```
//! use canonical_finance::mapping::Registry;
//! use canonical_finance::json;
//!
//! let registry = Registry::builtin()?;
//! let mapper = registry.get("netsuite", "customer")?;
//! let record = json!({"links": [], "id": "1052", "entityId": "Oliver Pennington", "isPerson": true,
//!     "firstName": "Oliver", "lastName": "Pennington", "isInactive": false,
//!     "custentity_fl_marketing_opt_in": true});
//! let customer = mapper.to_canonical(&record)?.value;
//! assert_eq!(customer["kind"], "individual");
//! assert_eq!(customer["extensions"]["custom"]["custentity_fl_marketing_opt_in"], true);
//! assert_eq!(mapper.to_vendor(&customer)?.value, record);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use crate::mapping::{MappingError, Registry};

/// The vendor name used in mapping files and external refs.
pub const VENDOR: &str = "netsuite";

/// The embedded mapping files, by path.
pub const FILES: &[(&str, &str)] = &[
    ("mappings/netsuite/customer.json", include_str!("../../../mappings/netsuite/customer.json")),
    ("mappings/netsuite/vendor.json", include_str!("../../../mappings/netsuite/vendor.json")),
    (
        "mappings/netsuite/journal_entry.json",
        include_str!("../../../mappings/netsuite/journal_entry.json"),
    ),
    (
        "mappings/netsuite/customer_payment.json",
        include_str!("../../../mappings/netsuite/customer_payment.json"),
    ),
    (
        "mappings/netsuite/vendor_payment.json",
        include_str!("../../../mappings/netsuite/vendor_payment.json"),
    ),
    ("mappings/netsuite/invoice.json", include_str!("../../../mappings/netsuite/invoice.json")),
    (
        "mappings/netsuite/credit_memo.json",
        include_str!("../../../mappings/netsuite/credit_memo.json"),
    ),
    (
        "mappings/netsuite/vendor_bill.json",
        include_str!("../../../mappings/netsuite/vendor_bill.json"),
    ),
    (
        "mappings/netsuite/subscription.json",
        include_str!("../../../mappings/netsuite/subscription.json"),
    ),
];

/// Registers the NetSuite mappers.
///
/// # Errors
///
/// Only if an embedded mapping file is broken.
pub fn register(registry: &mut Registry) -> Result<(), MappingError> {
    super::register_files(registry, FILES)
}
