//! Xero Accounting API: Contact ↔ Customer (customer and supplier flags
//! as roles), and the documents below. Every mapper is a mapping file in
//! `mappings/xero/`; no Rust glue.
//!
//! What the mappers rely on:
//!
//! - **Responses** come in envelopes, `{"Id": ..., "Status": "OK",
//!   "Contacts": [...]}`, also for one record and for a page of a list:
//!   [`envelope::open`](crate::mapping::envelope::open) gives one record per
//!   element, and the shell writes the same envelope back.
//! - **Amounts** are JSON numbers, read from their text exactly.
//! - **Dates** are `/Date(1573755038314+0000)/` (milliseconds; the offset
//!   only says how the sender shows it); `UpdatedDateUTC` is an instant.
//! - **References** are embedded objects (`Contact {ContactID, Name}`):
//!   the id becomes an external ref, the name the reference's `display`.
//! - **Fields no rule reads** stay under `extensions.xero` and come back.
//!
//! ```
//! use canonical_finance::mapping::{envelope, Registry};
//! use canonical_finance::json;
//!
//! let registry = Registry::builtin()?;
//! let mapper = registry.get("xero", "Contact")?;
//! let response = json!({"Status": "OK", "Contacts": [{"ContactID": "7a9e4b21-3c8d-4f06-8e15-6b2d0c9f3e77",
//!     "Name": "Tui Print House", "ContactStatus": "ACTIVE", "IsSupplier": true, "IsCustomer": false}]});
//! let opened = envelope::open(mapper, &response)?;
//! let contact = mapper.to_canonical(opened.records()[0])?.value;
//! assert_eq!(contact["roles"], json!(["supplier"]));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use crate::mapping::{MappingError, Registry};

/// The vendor name used in mapping files and external refs.
pub const VENDOR: &str = "xero";

/// The embedded mapping files, by path.
pub const FILES: &[(&str, &str)] = &[
    ("mappings/xero/contact.json", include_str!("../../../mappings/xero/contact.json")),
    ("mappings/xero/payment.json", include_str!("../../../mappings/xero/payment.json")),
    ("mappings/xero/invoice.json", include_str!("../../../mappings/xero/invoice.json")),
    ("mappings/xero/credit_note.json", include_str!("../../../mappings/xero/credit_note.json")),
    ("mappings/xero/overpayment.json", include_str!("../../../mappings/xero/overpayment.json")),
    ("mappings/xero/prepayment.json", include_str!("../../../mappings/xero/prepayment.json")),
    (
        "mappings/xero/manual_journal.json",
        include_str!("../../../mappings/xero/manual_journal.json"),
    ),
    ("mappings/xero/journal.json", include_str!("../../../mappings/xero/journal.json")),
    (
        "mappings/xero/repeating_invoice.json",
        include_str!("../../../mappings/xero/repeating_invoice.json"),
    ),
];

/// Registers the Xero mappers.
///
/// # Errors
///
/// Only if an embedded mapping file is broken.
pub fn register(registry: &mut Registry) -> Result<(), MappingError> {
    super::register_files(registry, FILES)
}
