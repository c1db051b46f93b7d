//! Integration tests of `canonical_finance`, built as one test binary.
//!
//! Each area of the crate has its own module below; add new areas as
//! `mod name;` next to the existing ones.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects,
    clippy::panic
)]

mod batch;
mod catalog;
mod docs_examples;
mod fuzz_regressions;
mod hostile;
mod invoices;
mod mapping;
mod mapping_derive;
mod mapping_joins;
mod mapping_language;
mod mapping_parts;
mod mapping_way_back;
mod money;
mod redaction;
mod schema;
mod schema_agreement;
mod validate_contract;
mod validate_customer;
mod validate_en16931;
mod validate_fields;
mod validate_invoice;
mod validate_journal;
mod validate_json;
mod validate_payment;
mod validate_plain_text;
mod vendors_accounting;
mod vendors_salesforce;
mod vendors_stripe;
