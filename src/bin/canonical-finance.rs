//! `canonical-finance`: validate canonical finance records, list the
//! validation rules and print the JSON Schemas from the command line.
//!
//! Built only with the `cli` feature:
//!
//! ```sh
//! cargo install canonical-finance --features cli
//! canonical-finance validate --entity invoice invoice.json
//! ```
//!
//! Stdout carries only machine output (JSON, or Markdown for
//! `rules --format markdown`); every human message goes to stderr.
//!
//! Exit status: 0 when every document is valid (warnings allowed) or the
//! command succeeded; 1 when a document is invalid; 2 for bad usage or
//! input that cannot be read.

use std::fs::{self, File};
use std::io::{self, BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use canonical_finance::model::{Contract, Customer, Entity, Invoice, JournalEntry, Payment};
use canonical_finance::schema;
use canonical_finance::validate::{
    Profile, Severity, Validate, ValidationReport, catalog_markdown, rules,
};
use clap::builder::{PossibleValue, PossibleValuesParser, TypedValueParser};
use clap::{Args, Parser, Subcommand, ValueEnum};
use serde::de::{DeserializeOwned, IgnoredAny};
use serde::{Serialize, Serializer};

// Help texts are wrapped by hand: clap wraps only with its `wrap_help`
// feature, which would pull in a terminal-size dependency.

const ABOUT: &str = "\
Validate canonical finance records, list the validation rules and print the
JSON Schemas";

const LONG_ABOUT: &str = "\
Validate canonical finance records (customers, contracts, invoices, payments,
journal entries), list the validation rules and print the JSON Schemas.

Stdout carries only machine output (JSON, or Markdown on request); messages
for people go to stderr.";

const TOP_EXAMPLES: &str = "\
Examples:
  canonical-finance validate --entity invoice invoice.json
  canonical-finance validate --entity payment --ndjson payments.ndjson
  canonical-finance rules --format markdown
  canonical-finance schema --entity invoice
  canonical-finance schema --out schemas";

const EXIT_STATUS: &str = "\
Exit status:
  0  every document is valid (warnings allowed), or the command succeeded
  1  at least one document is invalid: it breaks a rule, does not match the
     entity type (code PARSE), or, with --ndjson, a line is not JSON
     (code JSON-SYNTAX)
  2  bad usage, or input that cannot be read: a missing file, bytes that are
     not UTF-8, malformed JSON in single-document mode";

const VALIDATE_LONG_ABOUT: &str = r#"Validate one JSON document, or one document per line with --ndjson, and
print the report as one line of JSON on stdout:

  {"valid":false,"errors":1,"warnings":0,"violations":[{"code":"BR-CO-10",
   "severity":"error","path":"/totals/line_net_total","message":"..."}]}

`valid` is true when no violation is an error (warnings allowed); `path` is
an RFC 6901 JSON Pointer into the document. `canonical-finance rules` lists
the codes. Two more codes mark input that could not be checked:

  PARSE        the JSON does not match the entity type (a wrong type, an
               unknown or missing field, a bad amount); the message gives
               the line and column
  JSON-SYNTAX  with --ndjson, a line that is not JSON at all

With --ndjson the input is read line by line in constant memory. Each
non-blank line gets one report line, in input order, with its 1-based line
number as an extra "line" field:

  {"line":3,"valid":true,"errors":0,"warnings":0,"violations":[]}

A line that is not JSON is reported as invalid (JSON-SYNTAX) and the lines
after it are still checked. Without --ndjson, malformed JSON is unreadable
input: a message with line and column on stderr, nothing on stdout, exit
status 2."#;

const VALIDATE_EXAMPLES: &str = "\
Examples:
  canonical-finance validate --entity invoice invoice.json
  cat invoice.json | canonical-finance validate --entity invoice
  canonical-finance validate --entity invoice --profile peppol invoice.json
  canonical-finance validate --entity payment --ndjson payments.ndjson
  canonical-finance validate -e invoice --ndjson < invoices.ndjson \\
    | jq -c 'select(.valid | not)'";

const RULES_LONG_ABOUT: &str = r#"Print the catalogue of validation rules: a JSON array of
{"code","entity","severity","description","en16931"} objects (entity is null
for the field rules shared by every entity), or the Markdown tables of
docs/rules.md."#;

const RULES_EXAMPLES: &str = r#"Examples:
  canonical-finance rules
  canonical-finance rules --format markdown > docs/rules.md
  canonical-finance rules | jq -r '.[] | select(.entity == "invoice") | .code'"#;

const SCHEMA_LONG_ABOUT: &str = "\
Print one entity's JSON Schema (draft 2020-12) as JSON on stdout, or, with
--out, write the schema files into a directory and list the paths written on
stderr.

With --out, example documents found in DIR/examples/<entity>/*.json are
embedded as `examples`, so `--out schemas` regenerates the checked-in files.
With --out and --entity, only that entity's file is written.";

const SCHEMA_EXAMPLES: &str = "\
Examples:
  canonical-finance schema --entity invoice > invoice.schema.json
  canonical-finance schema --out schemas
  canonical-finance schema --out schemas --entity payment";

/// The command line.
#[derive(Debug, Parser)]
#[command(
    name = "canonical-finance",
    version,
    about = ABOUT,
    long_about = LONG_ABOUT,
    after_help = TOP_EXAMPLES,
    after_long_help = format!("{TOP_EXAMPLES}\n\n{EXIT_STATUS}"),
    propagate_version = true,
    arg_required_else_help = true
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Validate JSON documents and print the reports as JSON
    #[command(
        long_about = VALIDATE_LONG_ABOUT,
        after_help = VALIDATE_EXAMPLES,
        after_long_help = format!("{VALIDATE_EXAMPLES}\n\n{EXIT_STATUS}")
    )]
    Validate(ValidateArgs),

    /// Print the catalogue of validation rules (JSON by default)
    #[command(long_about = RULES_LONG_ABOUT, after_help = RULES_EXAMPLES)]
    Rules {
        /// Output format
        #[arg(long, value_enum, default_value_t = RulesFormat::Json)]
        format: RulesFormat,
    },

    /// Print an entity's JSON Schema, or write the schemas into a directory
    #[command(long_about = SCHEMA_LONG_ABOUT, after_help = SCHEMA_EXAMPLES)]
    Schema {
        /// Write <entity>.schema.json files into DIR (created if missing)
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
        /// The entity (required without --out; with it, only this file)
        #[arg(long, short, value_name = "ENTITY", value_parser = entity_parser(),
              required_unless_present = "out")]
        entity: Option<Entity>,
    },
}

#[derive(Debug, Args)]
struct ValidateArgs {
    /// What the documents are
    #[arg(long, short, value_name = "ENTITY", value_parser = entity_parser())]
    entity: Entity,

    /// How strictly amounts must agree
    #[arg(long, short, value_name = "PROFILE", value_parser = profile_parser(),
          default_value = "exact")]
    profile: Profile,

    /// Read one JSON document per line (NDJSON), one report line each
    #[arg(long)]
    ndjson: bool,

    /// The input file; `-` reads stdin
    #[arg(value_name = "FILE", default_value = "-")]
    file: PathBuf,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum RulesFormat {
    /// A JSON array of rules
    Json,
    /// The Markdown catalogue of docs/rules.md
    Markdown,
}

/// Accepts exactly the names of [`Entity::ALL`], so the tool follows the
/// library when an entity is added.
fn entity_parser() -> impl TypedValueParser<Value = Entity> {
    PossibleValuesParser::new(Entity::ALL.map(Entity::name))
        .try_map(|name| Entity::from_name(&name).ok_or(format!("unknown entity `{name}`")))
}

/// Accepts exactly the names of [`Profile::ALL`].
fn profile_parser() -> impl TypedValueParser<Value = Profile> {
    PossibleValuesParser::new(Profile::ALL.map(|p| {
        let help = match p {
            Profile::Exact => "every amount must agree exactly",
            Profile::Peppol => "PEPPOL BIS 3: 0.02 slack on line net and percentage allowances",
            Profile::En16931Ubl => "EN 16931 UBL: ±1 unit on tax per category and rate",
            _ => "",
        };
        PossibleValue::new(p.as_str()).help(help)
    }))
    .try_map(|name| {
        Profile::ALL
            .into_iter()
            .find(|p| p.as_str() == name)
            .ok_or(format!("unknown profile `{name}`"))
    })
}

/// Why the tool stopped with exit status 2.
#[derive(Debug)]
enum Failure {
    /// Input that cannot be read, or output that cannot be written: the
    /// message goes to stderr.
    Io(String),
    /// Stdout was closed by the reader (`| head`): stop quietly.
    BrokenPipe,
}

impl Failure {
    fn output(err: &io::Error) -> Failure {
        if err.kind() == io::ErrorKind::BrokenPipe {
            Failure::BrokenPipe
        } else {
            Failure::Io(format!("cannot write the output: {err}"))
        }
    }
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    let result = match cli.command {
        Command::Validate(args) => run_validate(&args),
        Command::Rules { format } => run_rules(format).map(|()| ExitCode::SUCCESS),
        Command::Schema { out, entity } => {
            run_schema(out.as_deref(), entity).map(|()| ExitCode::SUCCESS)
        }
    };
    match result {
        Ok(code) => code,
        Err(Failure::BrokenPipe) => ExitCode::from(2),
        Err(Failure::Io(message)) => {
            // Nothing sensible is left to do when stderr is gone too.
            let _ = writeln!(io::stderr(), "canonical-finance: error: {message}");
            ExitCode::from(2)
        }
    }
}

// ---------------------------------------------------------------------------
// validate

/// The result of checking one document: the library's report, or why the
/// document could not be checked.
enum Outcome {
    Checked(ValidationReport),
    Rejected(Rejected),
}

impl Outcome {
    fn is_valid(&self) -> bool {
        match self {
            Outcome::Checked(report) => report.is_valid(),
            Outcome::Rejected(_) => false,
        }
    }
}

impl Serialize for Outcome {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        match self {
            Outcome::Checked(report) => report.serialize(serializer),
            Outcome::Rejected(rejected) => rejected.serialize(serializer),
        }
    }
}

/// A report, shaped like [`ValidationReport`], for a document that could
/// not be checked.
#[derive(Serialize)]
struct Rejected {
    valid: bool,
    errors: usize,
    warnings: usize,
    violations: [InputViolation; 1],
}

/// A violation, shaped like the library's, that no catalogue rule covers.
#[derive(Serialize)]
struct InputViolation {
    code: &'static str,
    severity: Severity,
    path: &'static str,
    message: String,
}

impl Rejected {
    fn new(code: &'static str, message: String) -> Rejected {
        Rejected {
            valid: false,
            errors: 1,
            warnings: 0,
            violations: [InputViolation { code, severity: Severity::Error, path: "", message }],
        }
    }
}

/// One NDJSON report line: the report with its input line number.
#[derive(Serialize)]
struct NumberedOutcome<'a> {
    line: u64,
    #[serde(flatten)]
    outcome: &'a Outcome,
}

/// The code of a line that is not JSON at all (`--ndjson` only).
const JSON_SYNTAX: &str = "JSON-SYNTAX";
/// The code of a document that is JSON but not the entity type.
const PARSE: &str = "PARSE";

/// A document that is JSON: its report, or why it is not the entity type.
enum Checked {
    Report(ValidationReport),
    /// A type error: wrong type, unknown or missing field, bad amount.
    Mismatch(serde_json::Error),
}

/// Deserializes a document into `T` and validates it. `Err` means the text
/// is not JSON at all (a syntax error, or truncated).
fn check_as<T: DeserializeOwned + Validate>(
    text: &str,
    profile: Profile,
) -> Result<Checked, serde_json::Error> {
    // The syntax is checked on its own first, so that a type error early in
    // the document never hides malformed JSON further on.
    serde_json::from_str::<IgnoredAny>(text)?;
    Ok(match serde_json::from_str::<T>(text) {
        Ok(record) => Checked::Report(record.validate_with(profile)),
        Err(err) => Checked::Mismatch(err),
    })
}

type Checker = fn(&str, Profile) -> Result<Checked, serde_json::Error>;

fn checker(entity: Entity) -> Result<Checker, Failure> {
    Ok(match entity {
        Entity::Customer => check_as::<Customer>,
        Entity::Contract => check_as::<Contract>,
        Entity::Invoice => check_as::<Invoice>,
        Entity::Payment => check_as::<Payment>,
        Entity::JournalEntry => check_as::<JournalEntry>,
        _ => return Err(Failure::Io(format!("this tool cannot validate {entity} records yet"))),
    })
}

/// The input, with the name messages use for it.
struct Input {
    name: String,
    reader: Box<dyn BufRead>,
}

fn open(path: &Path) -> Result<Input, Failure> {
    if path == Path::new("-") {
        return Ok(Input { name: "<stdin>".to_owned(), reader: Box::new(io::stdin().lock()) });
    }
    let name = path.display().to_string();
    match File::open(path) {
        Ok(file) => Ok(Input { name, reader: Box::new(BufReader::new(file)) }),
        Err(err) => Err(Failure::Io(format!("cannot read {name}: {err}"))),
    }
}

fn run_validate(args: &ValidateArgs) -> Result<ExitCode, Failure> {
    let check = checker(args.entity)?;
    let input = open(&args.file)?;
    let all_valid = if args.ndjson {
        validate_lines(input, check, args.profile)?
    } else {
        validate_document(input, check, args.profile)?
    };
    Ok(if all_valid { ExitCode::SUCCESS } else { ExitCode::from(1) })
}

/// Single-document mode: the whole input is one JSON document.
fn validate_document(mut input: Input, check: Checker, profile: Profile) -> Result<bool, Failure> {
    let mut bytes = Vec::new();
    input
        .reader
        .read_to_end(&mut bytes)
        .map_err(|err| Failure::Io(format!("cannot read {}: {err}", input.name)))?;
    let text = match std::str::from_utf8(&bytes) {
        Ok(text) => text,
        Err(err) => {
            let (line, column) = position(&bytes, err.valid_up_to());
            return Err(Failure::Io(format!(
                "{}: not UTF-8: invalid byte at line {line} column {column}",
                input.name
            )));
        }
    };
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let checked = check(text, profile).map_err(|err| {
        let hint = if err.to_string().starts_with("trailing characters") {
            " (expected one document; use --ndjson for one document per line)"
        } else {
            ""
        };
        Failure::Io(format!("{}: malformed JSON: {err}{hint}", input.name))
    })?;
    let outcome = match checked {
        Checked::Report(report) => Outcome::Checked(report),
        Checked::Mismatch(err) => Outcome::Rejected(Rejected::new(PARSE, err.to_string())),
    };
    let mut out = io::stdout().lock();
    serde_json::to_writer(&mut out, &outcome)
        .map_err(io::Error::from)
        .and_then(|()| writeln!(out))
        .and_then(|()| out.flush())
        .map_err(|err| Failure::output(&err))?;
    Ok(outcome.is_valid())
}

/// NDJSON mode: one document per line, read with a reused buffer so that
/// memory stays bounded by the longest line, never by the input.
fn validate_lines(mut input: Input, check: Checker, profile: Profile) -> Result<bool, Failure> {
    // Stdout is line-buffered: each report leaves as soon as it is written,
    // so the tool works at the end of a live pipe.
    let mut out = io::stdout().lock();
    let mut buf = Vec::new();
    let mut line: u64 = 0;
    let mut all_valid = true;
    loop {
        buf.clear();
        let read = input
            .reader
            .read_until(b'\n', &mut buf)
            .map_err(|err| Failure::Io(format!("cannot read {}: {err}", input.name)))?;
        if read == 0 {
            break;
        }
        line = line.saturating_add(1);
        let text = std::str::from_utf8(&buf).map_err(|err| {
            let (_, column) = position(&buf, err.valid_up_to());
            Failure::Io(format!(
                "{}: not UTF-8: invalid byte at line {line} column {column}",
                input.name
            ))
        })?;
        let text = if line == 1 { text.strip_prefix('\u{feff}').unwrap_or(text) } else { text };
        let text = text.trim_end_matches(['\n', '\r']);
        if text.trim().is_empty() {
            continue;
        }
        // Positions in messages count input lines: the document is line 1
        // for serde_json.
        let outcome = match check(text, profile) {
            Ok(Checked::Report(report)) => Outcome::Checked(report),
            Ok(Checked::Mismatch(err)) => {
                Outcome::Rejected(Rejected::new(PARSE, relocate(&err, line)))
            }
            Err(err) => Outcome::Rejected(Rejected::new(JSON_SYNTAX, relocate(&err, line))),
        };
        all_valid &= outcome.is_valid();
        serde_json::to_writer(&mut out, &NumberedOutcome { line, outcome: &outcome })
            .map_err(io::Error::from)
            .and_then(|()| writeln!(out))
            .map_err(|err| Failure::output(&err))?;
    }
    out.flush().map_err(|err| Failure::output(&err))?;
    Ok(all_valid)
}

/// A serde_json error message with the position counted in input lines.
fn relocate(err: &serde_json::Error, line: u64) -> String {
    let full = err.to_string();
    let suffix = format!(" at line {} column {}", err.line(), err.column());
    let message = full.strip_suffix(&suffix).unwrap_or(&full);
    format!("{message} at line {line} column {}", err.column())
}

/// The 1-based line and column (in bytes) of `offset` in `bytes`.
fn position(bytes: &[u8], offset: usize) -> (usize, usize) {
    let before = bytes.get(..offset).unwrap_or(bytes);
    let line = before.iter().filter(|&&b| b == b'\n').count().saturating_add(1);
    let line_start = before.iter().rposition(|&b| b == b'\n').map_or(0, |i| i.saturating_add(1));
    (line, offset.saturating_sub(line_start).saturating_add(1))
}

// ---------------------------------------------------------------------------
// rules

fn run_rules(format: RulesFormat) -> Result<(), Failure> {
    let text = match format {
        RulesFormat::Json => {
            let all: Vec<_> = rules().collect();
            let mut text = serde_json::to_string_pretty(&all)
                .map_err(|err| Failure::Io(format!("cannot serialize the rules: {err}")))?;
            text.push('\n');
            text
        }
        RulesFormat::Markdown => catalog_markdown(),
    };
    write_stdout(&text)
}

// ---------------------------------------------------------------------------
// schema

fn run_schema(out: Option<&Path>, entity: Option<Entity>) -> Result<(), Failure> {
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
        (None, Some(entity)) => {
            let mut text = serde_json::to_string_pretty(&entity.schema())
                .map_err(|err| Failure::Io(format!("cannot serialize the schema: {err}")))?;
            text.push('\n');
            write_stdout(&text)
        }
        // clap requires --entity without --out.
        (None, None) => Err(Failure::Io("--entity or --out is required".to_owned())),
    }
}

fn report_written(paths: &[PathBuf]) {
    let mut err = io::stderr().lock();
    for path in paths {
        let _ = writeln!(err, "wrote {}", path.display());
    }
}

fn write_stdout(text: &str) -> Result<(), Failure> {
    let mut out = io::stdout().lock();
    out.write_all(text.as_bytes()).and_then(|()| out.flush()).map_err(|err| Failure::output(&err))
}
