//! Every input the fuzz targets found and `fuzz/regressions/<target>/`
//! keeps, run through the same check (`fuzz/src/checks.rs`) under
//! `cargo test`, so that a fixed finding stays fixed.

#[path = "../../fuzz/src/checks.rs"]
#[allow(dead_code)]
mod checks;

use std::path::Path;

#[test]
fn every_kept_fuzz_input_passes_its_check() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/regressions");
    let mut ran = 0;
    for target in checks::TARGETS {
        let dir = root.join(target);
        let Ok(entries) = std::fs::read_dir(&dir) else { continue };
        for entry in entries {
            let path = entry.unwrap().path();
            let data = std::fs::read(&path).unwrap();
            let outcome = std::panic::catch_unwind(|| checks::run(target, &data));
            assert!(outcome.is_ok(), "{target}: {} fails its check again", path.display());
            ran += 1;
        }
    }
    // Directories that are not targets would be inputs that never run.
    for entry in std::fs::read_dir(&root).unwrap() {
        let name = entry.unwrap().file_name().into_string().unwrap();
        assert!(
            checks::TARGETS.contains(&name.as_str()) || name == "README.md",
            "fuzz/regressions/{name} is no fuzz target"
        );
    }
    assert!(ran > 0, "no kept inputs under fuzz/regressions");
}

#[test]
fn every_target_has_its_file() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("fuzz/fuzz_targets");
    for target in checks::TARGETS {
        assert!(dir.join(format!("{target}.rs")).is_file(), "fuzz/fuzz_targets/{target}.rs");
    }
}
