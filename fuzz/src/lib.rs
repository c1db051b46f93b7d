//! The fuzz targets' checks (see `checks.rs`), shared with the crate's
//! regression tests.

pub mod checks;
pub use checks::*;
