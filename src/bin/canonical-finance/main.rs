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

mod help;
mod input;
mod lines;
mod listing;
mod map;
mod validate;

use std::io::{self, Write};
use std::num::NonZeroUsize;
use std::path::PathBuf;
use std::process::ExitCode;

use canonical_finance::batch::Jobs;
use canonical_finance::json::{Limits, MAX_DEPTH};
use canonical_finance::model::Entity;
use canonical_finance::validate::Profile;
use clap::builder::{PossibleValue, PossibleValuesParser, TypedValueParser};
use clap::{ArgGroup, Args, Parser, Subcommand, ValueEnum};
use serde::Serialize;

use help::*;

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
        /// Print how faithfully each mapper carries each canonical field
        /// instead: exact, transformed (how), constant or derived, kept only
        /// as vendor extensions, not carried
        #[arg(long)]
        fidelity: bool,
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
        /// Print the EN 16931 conformance table instead: every business
        /// rule of the standard and the codes that implement it
        #[arg(long)]
        en16931: bool,
    },

    /// Print an entity's JSON Schema, or write the schemas into a directory
    #[command(long_about = SCHEMA_LONG_ABOUT, after_help = SCHEMA_EXAMPLES)]
    Schema {
        /// Write <entity>.schema.json files into DIR (created if missing)
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
        /// The entity (required without --out or --mapping-file; with
        /// --out, only this file)
        #[arg(long, short, value_name = "ENTITY", value_parser = entity_parser(),
              required_unless_present_any = ["out", "mapping_file"])]
        entity: Option<Entity>,
        /// Print the schema of mapping files instead (for their `$schema`
        /// outside this repository)
        #[arg(long, conflicts_with_all = ["out", "entity"])]
        mapping_file: bool,
    },
}

#[derive(Debug, Args)]
pub(crate) struct ValidateArgs {
    /// What the documents are
    #[arg(long, short, value_name = "ENTITY", value_parser = entity_parser())]
    pub(crate) entity: Entity,

    /// How strictly amounts must agree
    #[arg(long, short, value_name = "PROFILE", value_parser = profile_parser(),
          default_value = "exact")]
    pub(crate) profile: Profile,

    /// Read one JSON document per line (NDJSON), one report line each
    #[arg(long)]
    pub(crate) ndjson: bool,

    /// With --ndjson, work on N lines at a time [default: the number of CPUs]
    #[arg(long, short = 'j', value_name = "N", value_parser = jobs_parser)]
    pub(crate) jobs: Option<NonZeroUsize>,

    #[command(flatten)]
    pub(crate) limits: LimitArgs,

    /// The input file; `-` reads stdin
    #[arg(value_name = "FILE", default_value = "-")]
    pub(crate) file: PathBuf,
}

/// `--max-depth` and `--max-bytes`, the same for `validate` and `map`.
#[derive(Debug, Args)]
pub(crate) struct LimitArgs {
    /// Refuse a document that nests arrays and objects deeper than N levels
    /// (1 to 128)
    #[arg(long, value_name = "N", value_parser = max_depth_parser, default_value_t = MAX_DEPTH)]
    pub(crate) max_depth: usize,

    /// Refuse a document, or with --ndjson a line, of more than N bytes
    /// (its line ending aside); 16 MiB by default
    #[arg(long, value_name = "N", value_parser = max_bytes_parser,
          default_value_t = Limits::DEFAULT_MAX_BYTES)]
    pub(crate) max_bytes: usize,
}

impl LimitArgs {
    /// The library's limits for these options.
    pub(crate) fn limits(&self) -> Limits {
        Limits::new().with_max_depth(self.max_depth).with_max_bytes(self.max_bytes)
    }
}

/// Reads `--max-depth N`: 1 to [`MAX_DEPTH`].
fn max_depth_parser(text: &str) -> Result<usize, String> {
    match text.parse::<usize>() {
        Ok(depth @ 1..=MAX_DEPTH) => Ok(depth),
        _ => Err(format!("expected a depth from 1 to {MAX_DEPTH}, but found `{text}`")),
    }
}

/// Reads `--max-bytes N`: a number of bytes, 1 or more.
fn max_bytes_parser(text: &str) -> Result<usize, String> {
    match text.parse::<usize>() {
        Ok(bytes) if bytes > 0 => Ok(bytes),
        _ => Err(format!("expected a number of bytes (1 or more), but found `{text}`")),
    }
}

#[derive(Debug, Args)]
#[command(group(ArgGroup::new("direction").required(true).args(["from", "to"])))]
pub(crate) struct MapArgs {
    /// Map VENDOR payloads to canonical records (needs --object)
    #[arg(long, value_name = "VENDOR", requires = "object")]
    pub(crate) from: Option<String>,

    /// Map canonical records to VENDOR payloads (needs --entity)
    #[arg(long, value_name = "VENDOR", requires = "entity")]
    pub(crate) to: Option<String>,

    /// The vendor object (with --from; with --to, picks one of several)
    #[arg(long, short, value_name = "OBJECT")]
    pub(crate) object: Option<String>,

    /// The canonical entity (with --to)
    #[arg(long, short, value_name = "ENTITY", value_parser = entity_parser(),
          conflicts_with = "from")]
    pub(crate) entity: Option<Entity>,

    /// Read one JSON document per line (NDJSON), one output line each
    #[arg(long)]
    pub(crate) ndjson: bool,

    /// With --ndjson, work on N lines at a time [default: the number of CPUs]
    #[arg(long, short = 'j', value_name = "N", value_parser = jobs_parser)]
    pub(crate) jobs: Option<NonZeroUsize>,

    /// Write the loss report to stderr as JSON, one line per document
    #[arg(long)]
    pub(crate) report: bool,

    #[command(flatten)]
    pub(crate) limits: LimitArgs,

    /// Also load the mapping files under DIR (after the built-in ones)
    #[arg(long, value_name = "DIR")]
    pub(crate) mappings: Option<PathBuf>,

    /// A value of the vendor's tenant its payloads leave out, read from the
    /// JSON file FILE and put at POINTER of every payload, both ways (the
    /// tax codes: `--tenant /TaxCodes=tax_codes.json`); may be repeated
    #[arg(long, value_name = "POINTER=FILE")]
    pub(crate) tenant: Vec<String>,

    /// The input file; `-` reads stdin
    #[arg(value_name = "FILE", default_value = "-")]
    pub(crate) file: PathBuf,
}

impl ValidateArgs {
    pub(crate) fn jobs(&self) -> Jobs {
        jobs_or_available(self.jobs)
    }
}

impl MapArgs {
    pub(crate) fn jobs(&self) -> Jobs {
        jobs_or_available(self.jobs)
    }
}

/// `--jobs`, or as many jobs as there are CPUs for this process.
fn jobs_or_available(jobs: Option<NonZeroUsize>) -> Jobs {
    jobs.map_or_else(Jobs::available, Jobs::new)
}

/// Reads `--jobs N`: a whole number, 1 or more.
fn jobs_parser(text: &str) -> Result<NonZeroUsize, String> {
    match text.parse::<usize>() {
        Ok(jobs) => NonZeroUsize::new(jobs)
            .ok_or_else(|| "expected a number of jobs of 1 or more but found `0`".to_owned()),
        Err(_) => Err(format!("expected a number of jobs (1 or more) but found `{text}`")),
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum VendorsFormat {
    /// A JSON array of mappers
    Json,
    /// An aligned table with a header line
    Text,
    /// A Markdown table (with `--fidelity`: the summary, then every field)
    Markdown,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum RulesFormat {
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
pub(crate) enum Failure {
    /// Input that cannot be read, or output that cannot be written: the
    /// message goes to stderr.
    Io(String),
    /// Stdout was closed by the reader (`| head`): stop quietly.
    BrokenPipe,
}

impl Failure {
    pub(crate) fn output(err: &io::Error) -> Failure {
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
        Command::Validate(args) => validate::run(&args),
        Command::Map(args) => map::run(&args),
        Command::Vendors { format, mappings, fidelity: false } => {
            listing::vendors(format, mappings.as_deref()).map(|()| ExitCode::SUCCESS)
        }
        Command::Vendors { format, mappings, fidelity: true } => {
            listing::fidelity(format, mappings.as_deref()).map(|()| ExitCode::SUCCESS)
        }
        Command::Rules { format, en16931 } => {
            listing::rules(format, en16931).map(|()| ExitCode::SUCCESS)
        }
        Command::Schema { mapping_file: true, .. } => {
            listing::mapping_file_schema().map(|()| ExitCode::SUCCESS)
        }
        Command::Schema { out, entity, mapping_file: false } => {
            listing::schema(out.as_deref(), entity).map(|()| ExitCode::SUCCESS)
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

/// Appends `value` as one JSON line, newline included, to `buf`.
fn push_json_line<T: Serialize>(buf: &mut Vec<u8>, value: &T) -> Result<(), Failure> {
    serde_json::to_writer(&mut *buf, value)
        .map_err(|err| Failure::Io(format!("cannot serialize the output: {err}")))?;
    buf.push(b'\n');
    Ok(())
}

fn write_stdout(text: &str) -> Result<(), Failure> {
    let mut out = io::stdout().lock();
    out.write_all(text.as_bytes()).and_then(|()| out.flush()).map_err(|err| Failure::output(&err))
}

fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}
