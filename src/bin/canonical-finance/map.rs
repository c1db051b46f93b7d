//! `map`: vendor payloads to canonical records and back, one document or
//! one per line.

use std::io::{self, Write};
use std::path::Path;
use std::process::ExitCode;

use canonical_finance::batch::Jobs;
use canonical_finance::json::{Limits, ParseErrorKind, Value};
use canonical_finance::mapping::{Crosswalk, Loss, Mapped, Mapper, MappingError, Registry};
use canonical_finance::model::Entity;
use serde::Serialize;

use crate::input::{
    FaultKind, Input, Syntax, malformed, open, read_document, relocate_message, strip_bom,
};
use crate::lines::{self, Line, Out};
use crate::{Failure, MapArgs, plural, push_json_line, write_json_line};

/// Which way `map` translates.
#[derive(Debug, Clone, Copy)]
enum Direction {
    /// Vendor payload → canonical record.
    ToCanonical,
    /// Canonical record of this entity → vendor payload.
    ToVendor(Entity),
}

/// The built-in mappers, plus those of the mapping files under `dir`.
pub(crate) fn load_registry(dir: Option<&Path>) -> Result<Registry, Failure> {
    let mut registry = Registry::builtin()
        .map_err(|err| Failure::Io(format!("the built-in mappers are broken: {err}")))?;
    if let Some(dir) = dir {
        if !dir.is_dir() {
            return Err(Failure::Io(format!("--mappings {}: not a directory", dir.display())));
        }
        // The error names the file (both files for a vendor object defined
        // twice, or the built-in mapper it clashes with).
        registry.load_dir(dir).map_err(|err| Failure::Io(err.to_string()))?;
    }
    Ok(registry)
}

/// The `--tenant POINTER=FILE` values for `vendor`, each file read as JSON.
fn tenant_values(vendor: &str, pairs: &[String]) -> Result<Crosswalk, Failure> {
    let mut crosswalk = Crosswalk::new();
    for pair in pairs {
        let Some((pointer, file)) = pair.split_once('=') else {
            return Err(Failure::Io(format!(
                "--tenant {pair}: expected POINTER=FILE, such as /TaxCodes=tax_codes.json"
            )));
        };
        if !pointer.starts_with('/') {
            return Err(Failure::Io(format!(
                "--tenant {pair}: expected a JSON Pointer before `=` (/TaxCodes), but found `{pointer}`"
            )));
        }
        let text = std::fs::read_to_string(file)
            .map_err(|e| Failure::Io(format!("--tenant {pair}: cannot read {file}: {e}")))?;
        let value = canonical_finance::json::parse(&text)
            .map_err(|e| Failure::Io(format!("--tenant {pair}: {file} is not JSON: {e}")))?;
        crosswalk.set_tenant_value(vendor, pointer, value);
    }
    Ok(crosswalk)
}

/// The mapper the arguments name, or a usage error listing what exists.
fn select_mapper<'r>(
    registry: &'r Registry,
    args: &MapArgs,
) -> Result<(&'r dyn Mapper, Direction), Failure> {
    let usage = |err: MappingError| Failure::Io(err.to_string());
    match (&args.from, &args.to, args.entity) {
        (Some(vendor), None, _) => {
            // clap requires --object with --from.
            let object = args.object.as_deref().unwrap_or_default();
            Ok((registry.get(vendor, object).map_err(usage)?, Direction::ToCanonical))
        }
        (None, Some(vendor), Some(entity)) => {
            let mapper = match &args.object {
                Some(object) => {
                    let mapper = registry.get(vendor, object).map_err(usage)?;
                    if mapper.entity() != entity {
                        return Err(Failure::Io(format!(
                            "{vendor} {object} maps to the {} entity, not {entity}",
                            mapper.entity()
                        )));
                    }
                    mapper
                }
                None => {
                    let found = registry.for_entity(vendor, entity).map_err(usage)?;
                    match found.as_slice() {
                        [only] => *only,
                        several => {
                            let objects: Vec<&str> = several.iter().map(|m| m.object()).collect();
                            return Err(Failure::Io(format!(
                                "{vendor} has {} mappers for the {entity} entity: {}; \
                                 choose one with --object",
                                objects.len(),
                                objects.join(", ")
                            )));
                        }
                    }
                }
            };
            Ok((mapper, Direction::ToVendor(entity)))
        }
        // clap allows exactly one of --from and --to, and --to requires --entity.
        _ => Err(Failure::Io("exactly one of --from and --to is required".to_owned())),
    }
}

pub(crate) fn run(args: &MapArgs) -> Result<ExitCode, Failure> {
    let registry = load_registry(args.mappings.as_deref())?;
    let (mapper, direction) = select_mapper(&registry, args)?;
    let crosswalk = tenant_values(mapper.vendor(), &args.tenant)?;
    let wrapped = crosswalk.wrap(mapper);
    let mapper: &dyn Mapper = if args.tenant.is_empty() { mapper } else { &wrapped };
    let input = open(&args.file)?;
    let limits = args.limits.limits();
    let all_mapped = if args.ndjson {
        map_lines(input, mapper, direction, args.report, args.jobs(), limits)?
    } else {
        map_document(input, mapper, direction, args.report, limits)?
    };
    Ok(if all_mapped { ExitCode::SUCCESS } else { ExitCode::from(1) })
}

/// Maps one document the chosen way. The document is the mapper's to take
/// apart (the owned entry points move what they keep instead of copying).
fn map_value(
    mapper: &dyn Mapper,
    direction: Direction,
    value: Value,
) -> Result<Mapped<Value>, MappingError> {
    match direction {
        Direction::ToCanonical => mapper.to_canonical_owned(value),
        Direction::ToVendor(entity) => {
            let mut value = value;
            check_canonical(mapper, entity, &mut value)?;
            mapper.to_vendor_owned(value)
        }
    }
}

/// Checks that `value` is a record of `entity`, so that a document of
/// another type is an error rather than a vendor payload made of losses.
fn check_canonical(
    mapper: &dyn Mapper,
    entity: Entity,
    value: &mut Value,
) -> Result<(), MappingError> {
    entity.check_shape(value).map_err(|e| MappingError::InvalidInput {
        vendor: mapper.vendor().to_owned(),
        object: mapper.object().to_owned(),
        pointer: e.pointer,
        message: format!("not a canonical {entity}: {}", e.message),
    })
}

/// The `kind` of an error object, and the pointer it carries.
fn error_kind(err: &MappingError) -> (&'static str, Option<&str>) {
    match err {
        MappingError::InvalidInput { pointer, .. } => ("invalid_input", Some(pointer)),
        MappingError::InvalidCanonical { pointer, .. } => ("invalid_canonical", Some(pointer)),
        MappingError::InvalidSpec { .. } => ("invalid_spec", None),
        MappingError::UnknownMapper { .. } => ("unknown_mapper", None),
        MappingError::UnknownEntity { .. } => ("unknown_entity", None),
        MappingError::Duplicate { .. } => ("duplicate", None),
        _ => ("mapping_error", None),
    }
}

/// The kind of an NDJSON line that is not JSON, or not UTF-8 (`validate`'s
/// JSON-SYNTAX).
const JSON_SYNTAX_KIND: &str = "json_syntax";

/// The kind of a document with a key twice (`validate`'s
/// JSON-DUPLICATE-KEY).
const JSON_DUPLICATE_KEY_KIND: &str = "json_duplicate_key";

/// The kind of a document or line past `--max-depth` or `--max-bytes`
/// (`validate`'s JSON-LIMIT).
const JSON_LIMIT_KIND: &str = "json_limit";

/// Why a payload was not read: the error object's kind, pointer and
/// message.
struct Unread {
    kind: &'static str,
    pointer: Option<String>,
    message: String,
}

/// One loss-report line on stderr.
#[derive(Serialize)]
struct LossReport<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    line: Option<u64>,
    /// The record's place in a vendor envelope (`/Invoices/2`).
    #[serde(skip_serializing_if = "Option::is_none")]
    record: Option<&'a str>,
    losses: &'a [Loss],
}

/// The stdout line of an NDJSON input line that cannot be mapped.
#[derive(Serialize)]
struct LineError<'a> {
    line: u64,
    error: ErrorBody<'a>,
}

#[derive(Serialize)]
struct ErrorBody<'a> {
    kind: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pointer: Option<&'a str>,
    message: String,
}

/// Single-document mode: the whole input is one JSON document.
fn map_document(
    mut input: Input,
    mapper: &dyn Mapper,
    direction: Direction,
    report: bool,
    limits: Limits,
) -> Result<bool, Failure> {
    let text = read_document(&mut input, limits.max_bytes())?;
    let value = match parse_payload(strip_bom(&text), limits) {
        Ok(value) => value,
        Err(Payload::Malformed(syntax)) => return Err(malformed(&input.name, &syntax)),
        // A document refused for its keys or depth is a document that
        // cannot be mapped, as a vendor payload that breaks a rule.
        Err(Payload::Refused(unread)) => {
            let at = unread.pointer.map(|p| format!("at {p}: ")).unwrap_or_default();
            let _ = writeln!(
                io::stderr(),
                "canonical-finance: error: {}: {at}{}",
                input.name,
                unread.message
            );
            return Ok(false);
        }
    };
    drop(text);
    if let Direction::ToCanonical = direction
        && mapper.envelope().is_some()
    {
        return map_envelope(&input.name, mapper, &value, report);
    }
    let mapped = match map_value(mapper, direction, value) {
        Ok(mapped) => mapped,
        Err(err) if err.is_configuration() => return Err(Failure::Io(err.to_string())),
        Err(err) => {
            let _ = writeln!(io::stderr(), "canonical-finance: error: {}: {err}", input.name);
            return Ok(false);
        }
    };
    let mut scratch = Vec::new();
    let mut out = io::stdout().lock();
    out.write_all(&value_line(&mapped.value)).map_err(|err| Failure::output(&err))?;
    out.flush().map_err(|err| Failure::output(&err))?;
    let mut err = io::stderr().lock();
    if report {
        write_json_line(
            &mut err,
            &mut scratch,
            &LossReport { line: None, record: None, losses: &mapped.losses },
        )?;
    } else if !mapped.losses.is_empty() {
        let _ = writeln!(
            err,
            "canonical-finance: note: {} not carried over exactly; --report lists them",
            plural(mapped.losses.len(), "value", "values")
        );
    }
    Ok(true)
}

/// A vendor response that wraps its records (`{"Invoices": [...]}`): one
/// output line per record, in order; a record that cannot be mapped is an
/// error on stderr naming its place, and the others are still mapped.
fn map_envelope(
    name: &str,
    mapper: &dyn Mapper,
    value: &Value,
    report: bool,
) -> Result<bool, Failure> {
    let opened = match canonical_finance::mapping::envelope::open(mapper, value) {
        Ok(opened) => opened,
        Err(err) => {
            let _ = writeln!(io::stderr(), "canonical-finance: error: {name}: {err}");
            return Ok(false);
        }
    };
    let (mut all, mut lossy) = (true, 0usize);
    let mut scratch = Vec::new();
    let mut out = io::stdout().lock();
    let mut err = io::stderr().lock();
    for (i, result) in opened.to_canonical(mapper).enumerate() {
        let at = opened.pointer(i);
        match result {
            Ok(mapped) => {
                out.write_all(&value_line(&mapped.value)).map_err(|e| Failure::output(&e))?;
                if report {
                    let record = opened.shell().is_wrapped().then_some(at.as_str());
                    write_json_line(
                        &mut err,
                        &mut scratch,
                        &LossReport { line: None, record, losses: &mapped.losses },
                    )?;
                } else if !mapped.losses.is_empty() {
                    lossy = lossy.saturating_add(1);
                }
            }
            Err(e) if e.is_configuration() => return Err(Failure::Io(e.to_string())),
            Err(e) => {
                all = false;
                let _ = writeln!(err, "canonical-finance: error: {name}: record at {at}: {e}");
            }
        }
    }
    out.flush().map_err(|e| Failure::output(&e))?;
    if lossy > 0 {
        let _ = writeln!(
            err,
            "canonical-finance: note: {} with values not carried over exactly; --report lists them",
            plural(lossy, "record", "records")
        );
    }
    Ok(all)
}

/// NDJSON mode: one document per line, worked on by `jobs` threads; memory
/// stays bounded by the lines in flight, never by the input. Output line N
/// belongs to input line N.
fn map_lines(
    input: Input,
    mapper: &dyn Mapper,
    direction: Direction,
    report: bool,
    jobs: Jobs,
    limits: Limits,
) -> Result<bool, Failure> {
    let (mut documents, mut failed, mut lossy) = (0usize, 0usize, 0usize);
    let work =
        |line: Line<'_>, out: &mut Out| map_line(line, out, mapper, direction, report, limits);
    lines::for_each(input, jobs, limits.max_bytes(), work, |outcome| match outcome {
        Outcome::Blank => {}
        Outcome::Mapped { lossy: with_losses } => {
            documents = documents.saturating_add(1);
            if with_losses {
                lossy = lossy.saturating_add(1);
            }
        }
        Outcome::Failed => {
            documents = documents.saturating_add(1);
            failed = failed.saturating_add(1);
        }
    })?;
    // Notes for people only when stderr is not the JSON loss report.
    if !report {
        let mut err_out = io::stderr().lock();
        if failed > 0 {
            let _ = writeln!(
                err_out,
                "canonical-finance: error: {failed} of {} could not be mapped \
                 (their error objects are on stdout)",
                plural(documents, "document", "documents")
            );
        }
        if lossy > 0 {
            let _ = writeln!(
                err_out,
                "canonical-finance: note: {} of {} not carried over exactly; \
                 --report lists them",
                plural(lossy, "document has values", "documents have values"),
                documents
            );
        }
    }
    Ok(failed == 0)
}

/// What became of one input line.
#[derive(Debug, Clone, Copy)]
enum Outcome {
    /// A blank line, echoed.
    Blank,
    /// A document mapped; `lossy` when values were not carried over exactly.
    Mapped { lossy: bool },
    /// A document that cannot be mapped, or a line that is not JSON.
    Failed,
}

/// The per-line work of NDJSON mode: writes the stdout line (the mapped
/// document, an empty line for a blank line, or the error object) and the
/// `--report` line on stderr.
fn map_line(
    line: Line<'_>,
    out: &mut Out,
    mapper: &dyn Mapper,
    direction: Direction,
    report: bool,
    limits: Limits,
) -> Result<Outcome, Failure> {
    // `line` is the input line number below, as in the loop this was.
    let Line { number: line, text } = line;
    let text = match text {
        Ok(text) => text,
        Err(fault) => {
            let kind = match fault.kind {
                FaultKind::NotUtf8 => JSON_SYNTAX_KIND,
                FaultKind::TooLong => JSON_LIMIT_KIND,
            };
            let error = ErrorBody { kind, pointer: None, message: fault.message };
            push_json_line(&mut out.stdout, &LineError { line, error })?;
            return Ok(Outcome::Failed);
        }
    };
    if text.trim().is_empty() {
        out.stdout.push(b'\n');
        return Ok(Outcome::Blank);
    }
    let result = match parse_payload(text, limits) {
        Ok(value) => map_value(mapper, direction, value).map_err(|err| {
            let (kind, pointer) = error_kind(&err);
            (kind, pointer.map(str::to_owned), err.to_string())
        }),
        Err(Payload::Malformed(syntax)) => {
            Err((JSON_SYNTAX_KIND, None, syntax.message_from_line(line)))
        }
        Err(Payload::Refused(unread)) => {
            Err((unread.kind, unread.pointer, relocate_message(&unread.message, line)))
        }
    };
    match result {
        Ok(mapped) => {
            write_value_line(&mut out.stdout, &mapped.value);
            if report {
                let report = LossReport { line: Some(line), record: None, losses: &mapped.losses };
                push_json_line(&mut out.stderr, &report)?;
            }
            Ok(Outcome::Mapped { lossy: !mapped.losses.is_empty() })
        }
        Err((kind, pointer, message)) => {
            let error = ErrorBody { kind, pointer: pointer.as_deref(), message };
            push_json_line(&mut out.stdout, &LineError { line, error })?;
            Ok(Outcome::Failed)
        }
    }
}

/// Why a payload was not read.
enum Payload {
    /// Not JSON: the parser's message (serde_json's, in the crate's voice)
    /// and position, as everywhere else in the tool.
    Malformed(Syntax),
    /// JSON that `limits` refuse, or with a key twice.
    Refused(Unread),
}

/// A payload read with the mapping layer's parser (numbers kept as text)
/// within `limits`.
fn parse_payload(text: &str, limits: Limits) -> Result<Value, Payload> {
    canonical_finance::json::parse_with(text, limits).map_err(|ours| {
        let kind = match ours.kind() {
            ParseErrorKind::DuplicateKey => JSON_DUPLICATE_KEY_KIND,
            ParseErrorKind::TooDeep | ParseErrorKind::TooLarge => JSON_LIMIT_KIND,
            _ => return Payload::Malformed(Syntax::of_parse(&ours)),
        };
        let pointer = Some(ours.pointer().to_owned());
        Payload::Refused(Unread { kind, pointer, message: ours.to_string() })
    })
}

/// `value` as one line of compact JSON, newline included, written with the
/// mapping layer's writer (numbers as their text).
fn value_line(value: &Value) -> Vec<u8> {
    let mut line = String::with_capacity(1024);
    canonical_finance::json::write_compact(value, &mut line);
    line.push('\n');
    line.into_bytes()
}

/// [`value_line`] appended to `out`, written through one text buffer per
/// thread that keeps its size from line to line (no allocation and no
/// growing per line once it has the size of the longest, up to 1 MiB).
fn write_value_line(out: &mut Vec<u8>, value: &Value) {
    thread_local! {
        static TEXT: std::cell::RefCell<String> = const { std::cell::RefCell::new(String::new()) };
    }
    TEXT.with_borrow_mut(|text| {
        text.clear();
        canonical_finance::json::write_compact(value, text);
        text.push('\n');
        out.extend_from_slice(text.as_bytes());
        // One huge document does not keep its buffer for the rest of the run.
        if text.capacity() > 1 << 20 {
            *text = String::new();
        }
    });
}
