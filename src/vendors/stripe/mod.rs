//! Stripe: customer ↔ Customer, subscription ↔ Contract, invoice and
//! credit_note ↔ Invoice, payment_intent, charge, refund and invoice_payment
//! ↔ Payment.
//!
//! Stripe writes amounts as integer minor units with lower-case currency
//! codes, timestamps as Unix seconds, references as an id or the expanded
//! object, and custom fields in `metadata` (kept under
//! `extensions.stripe.metadata`).

use crate::mapping::{MappingError, Registry};

/// The vendor name used in mapping files and external refs.
pub const VENDOR: &str = "stripe";

/// The embedded mapping files, by path.
pub const FILES: &[(&str, &str)] =
    &[("mappings/stripe/customer.json", include_str!("../../../mappings/stripe/customer.json"))];

/// Registers the Stripe mappers.
///
/// # Errors
///
/// Only if an embedded mapping file is broken.
pub fn register(registry: &mut Registry) -> Result<(), MappingError> {
    for (file, text) in FILES {
        registry.load_str(file, text)?;
    }
    Ok(())
}
