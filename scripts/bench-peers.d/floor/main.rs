//! `bench-floor MODE FILE`: reads the NDJSON FILE into memory, then parses
//! every non-blank line once in MODE and prints one line of JSON,
//! `{"docs":N,"bytes":B,"ns":T}`, T being the time of the loop alone (the
//! file read is not timed). No warm-up (the node and Python drivers have one
//! for node's JIT): nothing here needs one, and the instruction counts of
//! scripts/bench-peers take the difference between N and 2N documents. Exits 1 on the first line that does not parse,
//! or, in `validate`, that is not valid, so a broken data file never passes
//! for a fast one.
//!
//! MODE:
//!   ignored            `serde::de::IgnoredAny`: the floor
//!   value              `serde_json::Value`
//!   typed:ENTITY       `serde_json::from_str::<canonical_finance::model::T>`
//!   validate:ENTITY    `canonical_finance::validate::validate_json` (exact)
//!
//! ENTITY is customer, contract, invoice, payment or journal_entry.

use std::hint::black_box;
use std::process::ExitCode;
use std::time::Instant;

use canonical_finance::model::{Contract, Customer, Entity, Invoice, JournalEntry, Payment};
use canonical_finance::validate::{Profile, validate_json};
use serde::de::{DeserializeOwned, IgnoredAny};

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(message) => {
            eprintln!("bench-floor: {message}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<(), String> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [mode, file] = args.as_slice() else {
        return Err("usage: bench-floor MODE FILE (see the comment in main.rs)".to_owned());
    };
    let text = std::fs::read_to_string(file).map_err(|e| format!("cannot read {file}: {e}"))?;
    let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
    let (kind, entity) = match mode.split_once(':') {
        Some((k, e)) => {
            let entity = Entity::from_name(e).ok_or_else(|| format!("unknown entity {e:?}"))?;
            (k, Some(entity))
        }
        None => (mode.as_str(), None),
    };
    let started = Instant::now();
    match (kind, entity) {
        ("ignored", None) => each::<IgnoredAny>(&lines)?,
        ("value", None) => each::<serde_json::Value>(&lines)?,
        ("typed", Some(Entity::Customer)) => each::<Customer>(&lines)?,
        ("typed", Some(Entity::Contract)) => each::<Contract>(&lines)?,
        ("typed", Some(Entity::Invoice)) => each::<Invoice>(&lines)?,
        ("typed", Some(Entity::Payment)) => each::<Payment>(&lines)?,
        ("typed", Some(Entity::JournalEntry)) => each::<JournalEntry>(&lines)?,
        ("validate", Some(entity)) => {
            for (i, line) in lines.iter().enumerate() {
                let report = validate_json(entity, line, Profile::Exact)
                    .map_err(|e| format!("line {}: not JSON: {e}", i + 1))?;
                if !report.is_valid() {
                    return Err(format!("line {}: invalid: {:?}", i + 1, report.codes()));
                }
                black_box(report);
            }
        }
        _ => return Err(format!("unknown mode {mode:?} (see the comment in main.rs)")),
    }
    let ns = started.elapsed().as_nanos();
    let bytes: usize = lines.iter().map(|l| l.len() + 1).sum();
    println!(r#"{{"docs":{},"bytes":{bytes},"ns":{ns}}}"#, lines.len());
    Ok(())
}

/// Parses every line as a `T`.
fn each<T: DeserializeOwned>(lines: &[&str]) -> Result<(), String> {
    for (i, line) in lines.iter().enumerate() {
        let doc: T = serde_json::from_str(line).map_err(|e| format!("line {}: {e}", i + 1))?;
        black_box(doc);
    }
    Ok(())
}
