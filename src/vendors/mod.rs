//! Built-in vendor mappers. Each vendor is one folder: its mapping files
//! (embedded from `mappings/<vendor>/`) and its Rust glue for what a file
//! cannot say. Vendors use only the public `mapping` API, exactly what a
//! third-party mapper crate could use.

pub mod business_central;
pub mod netsuite;
pub mod quickbooks;
pub mod salesforce;
pub mod stripe;
pub mod xero;

use std::collections::HashMap;
use std::sync::Arc;

use crate::mapping::{DeclarativeMapper, MappingError, MappingSpec, Registry};

/// Registers every built-in vendor's mappers and transforms.
///
/// # Errors
///
/// Only if a built-in mapping file is broken.
pub fn register_all(registry: &mut Registry) -> Result<(), MappingError> {
    stripe::register(registry)?;
    quickbooks::register(registry)?;
    xero::register(registry)?;
    business_central::register(registry)?;
    netsuite::register(registry)?;
    salesforce::register(registry)
}

/// Registers one mapper per embedded mapping file `(path, text)`, each a
/// [`DeclarativeMapper`] with no glue.
fn register_files(registry: &mut Registry, files: &[(&str, &str)]) -> Result<(), MappingError> {
    for (file, text) in files {
        let spec: MappingSpec =
            serde_json::from_str(text).map_err(|e| MappingError::InvalidSpec {
                file: (*file).to_owned(),
                pointer: String::new(),
                message: e.to_string(),
            })?;
        registry.register(Arc::new(DeclarativeMapper::compile(&spec, file, &HashMap::new())?))?;
    }
    Ok(())
}
