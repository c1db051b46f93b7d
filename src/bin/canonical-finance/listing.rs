//! `vendors`, `rules` and `schema`: what the tool knows, listed.

use std::fs;
use std::io::{self, Write};
use std::path::{Path, PathBuf};

use canonical_finance::model::Entity;
use canonical_finance::schema;
use canonical_finance::validate::{self, catalog_markdown, en16931_conformance, en16931_markdown};
use serde::Serialize;

use crate::map::load_registry;
use crate::{Failure, RulesFormat, VendorsFormat, write_stdout};

// ---------------------------------------------------------------------------
// vendors

/// Both ways, for every mapper: the `Mapper` trait requires both.
const DIRECTIONS: &[&str] = &["to_canonical", "to_vendor"];
/// A read-only vendor object's: the vendor takes none back.
const READ_ONLY: &[&str] = &["to_canonical"];

/// One row of `vendors`.
#[derive(Serialize)]
struct MapperRow<'a> {
    vendor: &'a str,
    object: &'a str,
    entity: Entity,
    directions: &'static [&'static str],
}

pub(crate) fn vendors(format: VendorsFormat, mappings: Option<&Path>) -> Result<(), Failure> {
    let registry = load_registry(mappings)?;
    let rows: Vec<MapperRow<'_>> = registry
        .mappers()
        .map(|m| MapperRow {
            vendor: m.vendor(),
            object: m.object(),
            entity: m.entity(),
            directions: if m.read_only() { READ_ONLY } else { DIRECTIONS },
        })
        .collect();
    let text = match format {
        VendorsFormat::Json => {
            let mut text = serde_json::to_string_pretty(&rows)
                .map_err(|err| Failure::Io(format!("cannot serialize the mappers: {err}")))?;
            text.push('\n');
            text
        }
        VendorsFormat::Text => vendors_table(&rows),
        VendorsFormat::Markdown => {
            let mut text = String::from(
                "| Vendor | Object | Entity | Directions |\n| --- | --- | --- | --- |\n",
            );
            for r in &rows {
                text.push_str(&format!(
                    "| {} | {} | {} | {} |\n",
                    r.vendor,
                    r.object,
                    r.entity,
                    r.directions.join(", ")
                ));
            }
            text
        }
    };
    write_stdout(&text)
}

/// `vendors --fidelity`: every mapper's fidelity, from its mapping file.
pub(crate) fn fidelity(format: VendorsFormat, mappings: Option<&Path>) -> Result<(), Failure> {
    let registry = load_registry(mappings)?;
    let all: Vec<canonical_finance::mapping::Fidelity> =
        registry.mappers().filter_map(|m| m.fidelity()).collect();
    let text = match format {
        VendorsFormat::Json => {
            let mut text = serde_json::to_string_pretty(&all)
                .map_err(|err| Failure::Io(format!("cannot serialize the fidelity: {err}")))?;
            text.push('\n');
            text
        }
        VendorsFormat::Text | VendorsFormat::Markdown => {
            let mut text = canonical_finance::mapping::fidelity::summary_markdown(&all);
            text.push('\n');
            text.push_str(&canonical_finance::mapping::fidelity::detail_markdown(&all));
            text
        }
    };
    write_stdout(&text)
}

/// The rows as a table, columns padded to their widest cell.
fn vendors_table(rows: &[MapperRow<'_>]) -> String {
    let header = ["VENDOR", "OBJECT", "ENTITY", "DIRECTIONS"];
    let cells: Vec<[String; 4]> = rows
        .iter()
        .map(|r| {
            [
                r.vendor.to_owned(),
                r.object.to_owned(),
                r.entity.to_string(),
                r.directions.join(", "),
            ]
        })
        .collect();
    let width = |column: fn(&[String; 4]) -> &String, title: &str| {
        cells.iter().map(|c| column(c).chars().count()).fold(title.chars().count(), usize::max)
    };
    let [vendor, object, entity, _] = header;
    let widths = [width(|c| &c[0], vendor), width(|c| &c[1], object), width(|c| &c[2], entity)];
    let mut text = String::new();
    let mut push_row = |row: [&str; 4]| {
        let [a, b, c, d] = row;
        let [wa, wb, wc] = widths;
        text.push_str(&format!("{a:<wa$}  {b:<wb$}  {c:<wc$}  {d}\n"));
    };
    push_row(header);
    for [a, b, c, d] in &cells {
        push_row([a, b, c, d]);
    }
    text
}

// ---------------------------------------------------------------------------
// rules

pub(crate) fn rules(format: RulesFormat, en16931: bool) -> Result<(), Failure> {
    let text = match (format, en16931) {
        (RulesFormat::Json, false) => {
            let all: Vec<_> = validate::rules().collect();
            pretty(&all, "the rules")?
        }
        (RulesFormat::Json, true) => pretty(&en16931_conformance(), "the conformance table")?,
        (RulesFormat::Markdown, false) => catalog_markdown(),
        (RulesFormat::Markdown, true) => en16931_markdown(),
    };
    write_stdout(&text)
}

/// `value` as pretty JSON with a final newline.
fn pretty<T: Serialize + ?Sized>(value: &T, what: &str) -> Result<String, Failure> {
    let mut text = serde_json::to_string_pretty(value)
        .map_err(|err| Failure::Io(format!("cannot serialize {what}: {err}")))?;
    text.push('\n');
    Ok(text)
}

// ---------------------------------------------------------------------------
// schema

pub(crate) fn schema(out: Option<&Path>, entity: Option<Entity>) -> Result<(), Failure> {
    match (out, entity) {
        (Some(dir), None) => {
            let paths = schema::write_all(dir).map_err(|err| Failure::Io(err.to_string()))?;
            report_written(&paths);
            Ok(())
        }
        (Some(dir), Some(entity)) => {
            fs::create_dir_all(dir)
                .map_err(|err| Failure::Io(format!("{}: {err}", dir.display())))?;
            let text = schema::render(entity, &dir.join("examples"))
                .map_err(|err| Failure::Io(err.to_string()))?;
            let path = dir.join(entity.file_name());
            fs::write(&path, text)
                .map_err(|err| Failure::Io(format!("{}: {err}", path.display())))?;
            report_written(&[path]);
            Ok(())
        }
        (None, Some(entity)) => write_stdout(&schema::schema_text(&entity.schema())),
        // clap requires --entity without --out.
        (None, None) => Err(Failure::Io("--entity or --out is required".to_owned())),
    }
}

/// `schema --mapping-file`: the mapping-file schema, as checked in under
/// `schemas/mapping/`.
pub(crate) fn mapping_file_schema() -> Result<(), Failure> {
    let text = schema::render_mapping_schema().map_err(|err| Failure::Io(err.to_string()))?;
    write_stdout(&text)
}

fn report_written(paths: &[PathBuf]) {
    let mut err = io::stderr().lock();
    for path in paths {
        let _ = writeln!(err, "wrote {}", path.display());
    }
}
