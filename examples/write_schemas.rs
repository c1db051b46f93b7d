//! Regenerates the JSON Schema files in `schemas/` from the Rust types.
//!
//! ```sh
//! cargo run --example write_schemas            # writes ./schemas
//! cargo run --example write_schemas -- OUT_DIR # writes OUT_DIR
//! ```

use std::path::PathBuf;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let dir =
        std::env::args_os().nth(1).map(PathBuf::from).unwrap_or_else(|| PathBuf::from("schemas"));
    for path in canonical_finance::schema::write_all(&dir)? {
        println!("wrote {}", path.display());
    }
    Ok(())
}
