//! Regenerates every generated file: the JSON Schemas in `schemas/`, the
//! rule catalogue in `docs/rules.md` and the fidelity section of
//! `mappings/README.md`.
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
    let readme = Path::new("mappings/README.md");
    let registry = canonical_finance::mapping::Registry::builtin()?;
    let all: Vec<_> = registry.mappers().filter_map(|m| m.fidelity()).collect();
    let text = std::fs::read_to_string(readme)?;
    match canonical_finance::mapping::fidelity::with_readme_section(&text, &all) {
        Some(updated) => {
            std::fs::write(readme, updated)?;
            println!("wrote the fidelity section of {}", readme.display());
        }
        None => return Err("mappings/README.md has no fidelity markers".into()),
    }
    Ok(())
}
