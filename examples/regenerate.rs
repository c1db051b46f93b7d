//! Regenerates every generated file: the JSON Schemas in `schemas/` and the
//! rule catalogue in `docs/rules.md`.
//!
//! ```sh
//! cargo run --example regenerate
//! ```
//!
//! Tests fail when a checked-in file differs from what this writes.

use std::path::Path;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    for path in canonical_finance::schema::write_all(Path::new("schemas"))? {
        println!("wrote {}", path.display());
    }
    let rules = Path::new("docs/rules.md");
    if let Some(dir) = rules.parent() {
        std::fs::create_dir_all(dir)?;
    }
    std::fs::write(rules, canonical_finance::validate::catalog_markdown())?;
    println!("wrote {}", rules.display());
    Ok(())
}
