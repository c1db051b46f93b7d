//! Built-in vendor mappers. Each vendor is one folder: its mapping files
//! (embedded from `mappings/<vendor>/`) and its Rust glue for what a file
//! cannot say. Vendors use only the public `mapping` API, exactly what a
//! third-party mapper crate could use.

pub mod stripe;

use crate::mapping::{MappingError, Registry};

/// Registers every built-in vendor's mappers and transforms.
///
/// # Errors
///
/// Only if a built-in mapping file is broken.
pub fn register_all(registry: &mut Registry) -> Result<(), MappingError> {
    stripe::register(registry)
}
