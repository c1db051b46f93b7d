//! `canonical-finance`: validate canonical finance records, map vendor
//! payloads to and from them, list the validation rules and the mappers, and
//! print the JSON Schemas from the command line.
//!
//! Built only with the `cli` feature:
//!
//! ```sh
//! cargo install canonical-finance --features cli
//! canonical-finance validate --entity invoice invoice.json
//! canonical-finance map --from stripe --object customer cus.json
//! ```
//!
//! Stdout carries only machine output (JSON, or Markdown for
//! `rules --format markdown`, or a table for `vendors --format text`); every
//! human message, and the loss report of `map --report`, goes to stderr.
//!
//! Exit status: 0 when every document is valid (warnings allowed), every
//! document was mapped (losses allowed) or the command succeeded; 1 when a
//! document is invalid or cannot be mapped; 2 for bad usage, an unknown
//! vendor, object or entity, a broken mapping file, input that cannot be
//! read, or output that cannot be written (a reader that closes the pipe
//! early, as `| head` does, stops the tool quietly with 2: it did not
//! finish, so it cannot say 0 or 1).

use std::fs::{self, File};
use std::io::{self, BufRead, BufReader, Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use canonical_finance::mapping::{Loss, Mapped, Mapper, MappingError, Registry, pointer};
use canonical_finance::model::{Contract, Customer, Entity, Invoice, JournalEntry, Payment};
use canonical_finance::schema;
use canonical_finance::validate::{
    Profile, Severity, Validate, ValidationReport, catalog_markdown, rules,
};
use clap::builder::{PossibleValue, PossibleValuesParser, TypedValueParser};
use clap::{ArgGroup, Args, Parser, Subcommand, ValueEnum};
use serde::de::{DeserializeOwned, IgnoredAny};
use serde::{Serialize, Serializer};
use serde_json::Value;

// Help texts are wrapped by hand: clap wraps only with its `wrap_help`
// feature, which would pull in a terminal-size dependency.

const ABOUT: &str = "\
Validate canonical finance records, map vendor payloads to and from them, list
the validation rules and the mappers, and print the JSON Schemas";

const LONG_ABOUT: &str = "\
Validate canonical finance records (customers, contracts, invoices, payments,
journal entries), map vendor payloads (Stripe, or your own mapping files) to
and from them, list the validation rules and the mappers, and print the JSON
Schemas.

Stdout carries only machine output (JSON, or Markdown or a table on
request); messages for people, and the loss report of `map --report`, go to
stderr.";

const TOP_EXAMPLES: &str = "\
Examples:
  canonical-finance validate --entity invoice invoice.json
  canonical-finance validate --entity payment --ndjson payments.ndjson
  canonical-finance map --from stripe --object customer cus.json
  canonical-finance map --to stripe --entity customer customer.json
  canonical-finance vendors --format text
  canonical-finance rules --format markdown
  canonical-finance schema --entity invoice
  canonical-finance schema --out schemas";

const EXIT_STATUS: &str = "\
Exit status:
  0  every document is valid (warnings allowed), every document was mapped
     (losses allowed), or the command succeeded
  1  validate: at least one document is invalid: it breaks a rule, does not
     match the entity type (code PARSE), or, with --ndjson, a line is not
     JSON (code JSON-SYNTAX)
     map: at least one document cannot be mapped, or, with --ndjson, a line
     is not JSON
  2  bad usage, or input that cannot be read: a missing file, bytes that are
     not UTF-8, malformed JSON in single-document mode; for map and vendors
     also an unknown vendor, object or entity, or a broken --mappings file;
     or output that cannot be written (a closed pipe, as with | head, stops
     the tool quietly: it did not finish)";

const MAP_EXIT_STATUS: &str = "\
Exit status:
  0  every document was mapped (losses allowed; see --report)
  1  a document cannot be mapped: the input is not what the mapper expects
     (kind invalid_input), or the result is not a valid canonical record
     (kind invalid_canonical); with --ndjson, also a line that is not JSON
     (kind json_syntax)
  2  bad usage: an unknown vendor, object or entity, several mappers where
     --object must choose, a broken --mappings file; or input that cannot
     be read: a missing file, bytes that are not UTF-8, malformed JSON in
     single-document mode; or output that cannot be written (a closed pipe,
     as with | head, stops the tool quietly: it did not finish)";

const VALIDATE_LONG_ABOUT: &str = r#"Validate one JSON document, or one document per line with --ndjson, and
print the report as one line of JSON on stdout:

  {"valid":false,"errors":1,"warnings":0,"violations":[{"code":"BR-CO-10",
   "severity":"error","path":"/totals/line_net_total","message":"..."}]}

`valid` is true when no violation is an error (warnings allowed); `path` is
an RFC 6901 JSON Pointer into the document. `canonical-finance rules` lists
the codes. Two more codes mark input that could not be checked:

  PARSE        the JSON does not match the entity type (a wrong type, an
               unknown or missing field, a bad amount); the path points at
               the field, the message gives the line and column
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

const MAP_LONG_ABOUT: &str = r#"Map one JSON document, or one document per line with --ndjson, between a
vendor's object model and the canonical model, and print the result as one
line of compact JSON on stdout.

  --from VENDOR --object OBJECT   vendor payload   -> canonical record
  --to VENDOR --entity ENTITY     canonical record -> vendor payload

With --to, --object picks the vendor object when the vendor has several for
the entity (Stripe maps payment_intent, charge, refund and invoice_payment to
payment); with only one, it may be left out. The canonical input must be a
record of the entity type.

Vendor fields no rule maps are kept under the canonical record's
`extensions.<vendor>`, so vendor -> canonical -> vendor gives back the same
payload. What could not be carried over exactly is a loss:

  unsupported  a canonical value the vendor object has no field for
  lossy        a value changed on the way (the original is kept)
  fallback     a value outside the mapping's enum table
  incomplete   the vendor did not send everything (more pages of a list)
  estimated    a value the vendor does not send, worked out from others

--report writes the losses to stderr as one line of JSON per document
mapped:

  {"losses":[{"kind":"unsupported","path":"/legal_name","reason":"..."}]}

with --ndjson, each with its input line number: {"line":3,"losses":[]}; a
line that cannot be mapped has its error object on stdout instead, and no
report line.
Without --report, a note on stderr says when values were lost.

--mappings DIR also loads every *.json mapping file under DIR (see
mappings/README.md) after the built-in ones; `canonical-finance vendors`
lists what is loaded.

With --ndjson the input is read line by line in constant memory, and output
line N always belongs to input line N: the mapped document, an empty line
for a blank line, or, for a line that cannot be mapped, an error object

  {"line":2,"error":{"kind":"invalid_input","pointer":"/object",
   "message":"..."}}

(kind invalid_input, invalid_canonical or json_syntax; `pointer` points
into the input line for invalid_input, into the produced record for
invalid_canonical). The lines after it are still mapped; the exit status is
then 1. Without --ndjson, a document that cannot be mapped is a message on
stderr and nothing on stdout, exit status 1."#;

const MAP_EXAMPLES: &str = "\
Examples:
  canonical-finance map --from stripe --object customer cus.json
  canonical-finance map --to stripe --entity customer customer.json
  canonical-finance map --to stripe --entity payment --object refund re.json
  canonical-finance map --from stripe --object customer cus.json \\
    | canonical-finance map --to stripe --entity customer
  canonical-finance map --from stripe --object customer --ndjson --report \\
    customers.ndjson > canonical.ndjson 2> losses.ndjson
  canonical-finance map --mappings my-mappings --from acme --object bill bill.json";

const VENDORS_LONG_ABOUT: &str = r#"List every mapper: built in, and with --mappings DIR also those of the
mapping files under DIR. JSON by default: an array (pretty-printed) with
one object per mapper, sorted by vendor and object:

  [{"vendor":"stripe","object":"charge","entity":"payment",
    "directions":["to_canonical","to_vendor"]}, ...]

or, with --format text, an aligned table with a header line."#;

const VENDORS_EXAMPLES: &str = "\
Examples:
  canonical-finance vendors
  canonical-finance vendors --format text
  canonical-finance vendors --mappings my-mappings --format text
  canonical-finance vendors | jq -r '.[] | select(.entity == \"payment\") | .object'";

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

    /// Map vendor payloads to canonical records and back
    #[command(
        long_about = MAP_LONG_ABOUT,
        after_help = MAP_EXAMPLES,
        after_long_help = format!("{MAP_EXAMPLES}\n\n{MAP_EXIT_STATUS}")
    )]
    Map(MapArgs),

    /// List the vendors, objects and entities that can be mapped
    #[command(long_about = VENDORS_LONG_ABOUT, after_help = VENDORS_EXAMPLES)]
    Vendors {
        /// Output format
        #[arg(long, value_enum, default_value_t = VendorsFormat::Json)]
        format: VendorsFormat,
        /// Also load the mapping files under DIR
        #[arg(long, value_name = "DIR")]
        mappings: Option<PathBuf>,
    },

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

#[derive(Debug, Args)]
#[command(group(ArgGroup::new("direction").required(true).args(["from", "to"])))]
struct MapArgs {
    /// Map VENDOR payloads to canonical records (needs --object)
    #[arg(long, value_name = "VENDOR", requires = "object")]
    from: Option<String>,

    /// Map canonical records to VENDOR payloads (needs --entity)
    #[arg(long, value_name = "VENDOR", requires = "entity")]
    to: Option<String>,

    /// The vendor object (with --from; with --to, picks one of several)
    #[arg(long, short, value_name = "OBJECT")]
    object: Option<String>,

    /// The canonical entity (with --to)
    #[arg(long, short, value_name = "ENTITY", value_parser = entity_parser(),
          conflicts_with = "from")]
    entity: Option<Entity>,

    /// Read one JSON document per line (NDJSON), one output line each
    #[arg(long)]
    ndjson: bool,

    /// Write the loss report to stderr as JSON, one line per document
    #[arg(long)]
    report: bool,

    /// Also load the mapping files under DIR (after the built-in ones)
    #[arg(long, value_name = "DIR")]
    mappings: Option<PathBuf>,

    /// The input file; `-` reads stdin
    #[arg(value_name = "FILE", default_value = "-")]
    file: PathBuf,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
enum VendorsFormat {
    /// A JSON array of mappers
    Json,
    /// An aligned table with a header line
    Text,
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
        Command::Map(args) => run_map(&args),
        Command::Vendors { format, mappings } => {
            run_vendors(format, mappings.as_deref()).map(|()| ExitCode::SUCCESS)
        }
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
    path: String,
    message: String,
}

impl Rejected {
    fn new(code: &'static str, message: String) -> Rejected {
        Rejected::at(code, String::new(), message)
    }

    fn at(code: &'static str, path: String, message: String) -> Rejected {
        Rejected {
            valid: false,
            errors: 1,
            warnings: 0,
            violations: [InputViolation { code, severity: Severity::Error, path, message }],
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
    /// A type error: wrong type, unknown or missing field, bad amount; with
    /// the JSON Pointer of the place.
    Mismatch(String, serde_json::Error),
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
        Err(err) => {
            // Only a failed document pays for tracking the path.
            let mut de = serde_json::Deserializer::from_str(text);
            let pointer = match serde_path_to_error::deserialize::<_, T>(&mut de) {
                Err(tracked) => pointer::from_serde_path(tracked.path()),
                Ok(_) => String::new(),
            };
            Checked::Mismatch(pointer, err)
        }
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

/// Reads the whole input as UTF-8 text; a leading byte order mark is kept
/// (see [`strip_bom`]).
fn read_document(input: &mut Input) -> Result<String, Failure> {
    let mut bytes = Vec::new();
    input
        .reader
        .read_to_end(&mut bytes)
        .map_err(|err| Failure::Io(format!("cannot read {}: {err}", input.name)))?;
    String::from_utf8(bytes).map_err(|err| {
        let (line, column) = position(err.as_bytes(), err.utf8_error().valid_up_to());
        Failure::Io(format!(
            "{}: not UTF-8: invalid byte at line {line} column {column}",
            input.name
        ))
    })
}

fn strip_bom(text: &str) -> &str {
    text.strip_prefix('\u{feff}').unwrap_or(text)
}

/// The failure for malformed JSON in single-document mode.
fn malformed(name: &str, err: &serde_json::Error) -> Failure {
    let hint = if err.to_string().starts_with("trailing characters") {
        " (expected one document; use --ndjson for one document per line)"
    } else {
        ""
    };
    Failure::Io(format!("{name}: malformed JSON: {err}{hint}"))
}

/// Single-document mode: the whole input is one JSON document.
fn validate_document(mut input: Input, check: Checker, profile: Profile) -> Result<bool, Failure> {
    let text = read_document(&mut input)?;
    let checked = check(strip_bom(&text), profile).map_err(|err| malformed(&input.name, &err))?;
    let outcome = match checked {
        Checked::Report(report) => Outcome::Checked(report),
        Checked::Mismatch(path, err) => {
            Outcome::Rejected(Rejected::at(PARSE, path, err.to_string()))
        }
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
    while let Some(text) = next_line(&mut input, &mut buf, &mut line)? {
        if text.trim().is_empty() {
            continue;
        }
        // Positions in messages count input lines: the document is line 1
        // for serde_json.
        let outcome = match check(text, profile) {
            Ok(Checked::Report(report)) => Outcome::Checked(report),
            Ok(Checked::Mismatch(path, err)) => {
                Outcome::Rejected(Rejected::at(PARSE, path, relocate(&err, line)))
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

/// Reads the next line into `buf` (cleared first) and counts it in `line`.
/// Returns the line without its line ending (and, on line 1, without a byte
/// order mark), or `None` at the end of the input.
fn next_line<'b>(
    input: &mut Input,
    buf: &'b mut Vec<u8>,
    line: &mut u64,
) -> Result<Option<&'b str>, Failure> {
    buf.clear();
    let read = input
        .reader
        .read_until(b'\n', buf)
        .map_err(|err| Failure::Io(format!("cannot read {}: {err}", input.name)))?;
    if read == 0 {
        return Ok(None);
    }
    *line = line.saturating_add(1);
    let text = std::str::from_utf8(buf).map_err(|err| {
        let (_, column) = position(buf, err.valid_up_to());
        Failure::Io(format!(
            "{}: not UTF-8: invalid byte at line {line} column {column}",
            input.name
        ))
    })?;
    let text = if *line == 1 { strip_bom(text) } else { text };
    Ok(Some(text.trim_end_matches(['\n', '\r'])))
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
// map

/// Which way `map` translates.
#[derive(Debug, Clone, Copy)]
enum Direction {
    /// Vendor payload → canonical record.
    ToCanonical,
    /// Canonical record of this entity → vendor payload.
    ToVendor(Entity),
}

/// The built-in mappers, plus those of the mapping files under `dir`.
fn load_registry(dir: Option<&Path>) -> Result<Registry, Failure> {
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

fn run_map(args: &MapArgs) -> Result<ExitCode, Failure> {
    let registry = load_registry(args.mappings.as_deref())?;
    let (mapper, direction) = select_mapper(&registry, args)?;
    let input = open(&args.file)?;
    let all_mapped = if args.ndjson {
        map_lines(input, mapper, direction, args.report)?
    } else {
        map_document(input, mapper, direction, args.report)?
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
            check_canonical(mapper, entity, &value)?;
            mapper.to_vendor_owned(value)
        }
    }
}

/// Checks that `value` is a record of `entity`, so that a document of
/// another type is an error rather than a vendor payload made of losses.
fn check_canonical(mapper: &dyn Mapper, entity: Entity, value: &Value) -> Result<(), MappingError> {
    fn check<T: DeserializeOwned>(value: &Value) -> Result<(), (String, String)> {
        serde_path_to_error::deserialize::<_, T>(value)
            .map(drop)
            .map_err(|err| (pointer::from_serde_path(err.path()), err.inner().to_string()))
    }
    let result = match entity {
        Entity::Customer => check::<Customer>(value),
        Entity::Contract => check::<Contract>(value),
        Entity::Invoice => check::<Invoice>(value),
        Entity::Payment => check::<Payment>(value),
        Entity::JournalEntry => check::<JournalEntry>(value),
        // An entity this tool does not know yet: the mapper decides.
        _ => Ok(()),
    };
    result.map_err(|(pointer, message)| MappingError::InvalidInput {
        vendor: mapper.vendor().to_owned(),
        object: mapper.object().to_owned(),
        pointer,
        message: format!("not a canonical {entity}: {message}"),
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

/// The kind of an NDJSON line that is not JSON.
const JSON_SYNTAX_KIND: &str = "json_syntax";

/// One loss-report line on stderr.
#[derive(Serialize)]
struct LossReport<'a> {
    #[serde(skip_serializing_if = "Option::is_none")]
    line: Option<u64>,
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

/// Writes `value` and a newline to `out` through `scratch`, in one write:
/// stderr is unbuffered, and a report line must not be split.
fn write_json_line<W: Write, T: Serialize>(
    out: &mut W,
    scratch: &mut Vec<u8>,
    value: &T,
) -> Result<(), Failure> {
    scratch.clear();
    serde_json::to_writer(&mut *scratch, value)
        .map_err(|err| Failure::Io(format!("cannot serialize the output: {err}")))?;
    scratch.push(b'\n');
    out.write_all(scratch).map_err(|err| Failure::output(&err))
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// Single-document mode: the whole input is one JSON document.
fn map_document(
    mut input: Input,
    mapper: &dyn Mapper,
    direction: Direction,
    report: bool,
) -> Result<bool, Failure> {
    let text = read_document(&mut input)?;
    let value: Value =
        serde_json::from_str(strip_bom(&text)).map_err(|err| malformed(&input.name, &err))?;
    drop(text);
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
    write_json_line(&mut out, &mut scratch, &mapped.value)?;
    out.flush().map_err(|err| Failure::output(&err))?;
    let mut err = io::stderr().lock();
    if report {
        write_json_line(
            &mut err,
            &mut scratch,
            &LossReport { line: None, losses: &mapped.losses },
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

/// NDJSON mode: one document per line, read with a reused buffer so that
/// memory stays bounded by the longest line, never by the input. Output
/// line N belongs to input line N.
fn map_lines(
    mut input: Input,
    mapper: &dyn Mapper,
    direction: Direction,
    report: bool,
) -> Result<bool, Failure> {
    // Stdout is line-buffered: each line leaves as soon as it is written.
    let mut out = io::stdout().lock();
    let mut err_out = io::stderr().lock();
    let mut buf = Vec::new();
    let mut scratch = Vec::new();
    let mut line: u64 = 0;
    let (mut documents, mut failed, mut lossy) = (0usize, 0usize, 0usize);
    while let Some(text) = next_line(&mut input, &mut buf, &mut line)? {
        if text.trim().is_empty() {
            writeln!(out).map_err(|err| Failure::output(&err))?;
            continue;
        }
        documents = documents.saturating_add(1);
        let result = match serde_json::from_str::<Value>(text) {
            Ok(value) => map_value(mapper, direction, value).map_err(|err| {
                let (kind, pointer) = error_kind(&err);
                (kind, pointer.map(str::to_owned), err.to_string())
            }),
            Err(err) => Err((JSON_SYNTAX_KIND, None, relocate(&err, line))),
        };
        match result {
            Ok(mapped) => {
                write_json_line(&mut out, &mut scratch, &mapped.value)?;
                if report {
                    let report = LossReport { line: Some(line), losses: &mapped.losses };
                    write_json_line(&mut err_out, &mut scratch, &report)?;
                } else if !mapped.losses.is_empty() {
                    lossy = lossy.saturating_add(1);
                }
            }
            Err((kind, pointer, message)) => {
                failed = failed.saturating_add(1);
                let error = ErrorBody { kind, pointer: pointer.as_deref(), message };
                write_json_line(&mut out, &mut scratch, &LineError { line, error })?;
            }
        }
    }
    out.flush().map_err(|err| Failure::output(&err))?;
    // Notes for people only when stderr is not the JSON loss report.
    if !report {
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

// ---------------------------------------------------------------------------
// vendors

/// Both ways, for every mapper: the `Mapper` trait requires both.
const DIRECTIONS: [&str; 2] = ["to_canonical", "to_vendor"];

/// One row of `vendors`.
#[derive(Serialize)]
struct MapperRow<'a> {
    vendor: &'a str,
    object: &'a str,
    entity: Entity,
    directions: [&'static str; 2],
}

fn run_vendors(format: VendorsFormat, mappings: Option<&Path>) -> Result<(), Failure> {
    let registry = load_registry(mappings)?;
    let rows: Vec<MapperRow<'_>> = registry
        .mappers()
        .map(|m| MapperRow {
            vendor: m.vendor(),
            object: m.object(),
            entity: m.entity(),
            directions: DIRECTIONS,
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
