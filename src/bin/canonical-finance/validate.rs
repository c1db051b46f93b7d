//! `validate`: one report per document, from the library's
//! [`validate_json`], which parses a readable document once.

use std::io::{self, Write};
use std::process::ExitCode;

use canonical_finance::batch::Jobs;
use canonical_finance::json::Limits;
use canonical_finance::model::Entity;
use canonical_finance::validate::{
    Profile, Rule, ValidationReport, Violation, rule, validate_json_with,
};
use serde::Serialize;

use crate::input::{
    FaultKind, Input, Syntax, malformed, open, read_document, relocate, relocate_message, strip_bom,
};
use crate::lines::{self, Line, Out};
use crate::{Failure, ValidateArgs, push_json_line};

/// One NDJSON report line: the report with its input line number.
#[derive(Serialize)]
struct NumberedReport<'a> {
    line: u64,
    #[serde(flatten)]
    report: &'a ValidationReport,
}

pub(crate) fn run(args: &ValidateArgs) -> Result<ExitCode, Failure> {
    let input = open(&args.file)?;
    let limits = args.limits.limits();
    let all_valid = if args.ndjson {
        validate_lines(input, args.entity, args.profile, args.jobs(), limits)?
    } else {
        validate_document(input, args.entity, args.profile, limits)?
    };
    Ok(if all_valid { ExitCode::SUCCESS } else { ExitCode::from(1) })
}

/// Single-document mode: the whole input is one JSON document.
fn validate_document(
    mut input: Input,
    entity: Entity,
    profile: Profile,
    limits: Limits,
) -> Result<bool, Failure> {
    let text = read_document(&mut input, limits.max_bytes())?;
    let text = strip_bom(&text);
    let report = validate_json_with(entity, text, profile, limits)
        .map_err(|err| malformed(&input.name, &Syntax::of_serde(&err, text)))?;
    let mut out = io::stdout().lock();
    serde_json::to_writer(&mut out, &report)
        .map_err(io::Error::from)
        .and_then(|()| writeln!(out))
        .and_then(|()| out.flush())
        .map_err(|err| Failure::output(&err))?;
    Ok(report.is_valid())
}

/// NDJSON mode: one document per line, worked on by `jobs` threads; memory
/// stays bounded by the lines in flight, never by the input.
fn validate_lines(
    input: Input,
    entity: Entity,
    profile: Profile,
    jobs: Jobs,
    limits: Limits,
) -> Result<bool, Failure> {
    let rules = LineRules { syntax: catalogued("JSON-SYNTAX")?, limit: catalogued("JSON-LIMIT")? };
    let mut all_valid = true;
    let work =
        |line: Line<'_>, out: &mut Out| validate_line(line, out, entity, profile, limits, rules);
    lines::for_each(input, jobs, limits.max_bytes(), work, |valid| all_valid &= valid)?;
    Ok(all_valid)
}

/// The rules of lines that are not read as documents.
#[derive(Clone, Copy)]
struct LineRules {
    /// Not JSON, or not UTF-8.
    syntax: &'static Rule,
    /// Longer than `--max-bytes`.
    limit: &'static Rule,
}

fn catalogued(code: &str) -> Result<&'static Rule, Failure> {
    rule(code).ok_or_else(|| Failure::Io(format!("the rule catalogue has no {code} rule")))
}

/// The per-line work of NDJSON mode: writes the report line of a non-blank
/// line (a blank line gets none) and says whether the line is valid. A
/// line that is not UTF-8 (JSON-SYNTAX) or too long (JSON-LIMIT) gets a
/// report of one violation.
fn validate_line(
    line: Line<'_>,
    out: &mut Out,
    entity: Entity,
    profile: Profile,
    limits: Limits,
    rules: LineRules,
) -> Result<bool, Failure> {
    let one = |rule: &'static Rule, message: String| {
        ValidationReport::from_violations(vec![Violation::new(rule, "", message)])
    };
    let report = match line.text {
        Err(fault) => {
            let rule = match fault.kind {
                FaultKind::NotUtf8 => rules.syntax,
                FaultKind::TooLong => rules.limit,
            };
            one(rule, fault.message)
        }
        Ok(text) if text.trim().is_empty() => return Ok(true),
        Ok(text) => match validate_json_with(entity, text, profile, limits) {
            Ok(report) => relocated(report, line.number),
            Err(err) => one(rules.syntax, relocate(&err, text, line.number)),
        },
    };
    push_json_line(&mut out.stdout, &NumberedReport { line: line.number, report: &report })?;
    Ok(report.is_valid())
}

/// The report with the positions serde_json gives (`(line 1, column C)`:
/// the document is line 1 for it) counted in input lines.
fn relocated(report: ValidationReport, line: u64) -> ValidationReport {
    if line == 1 || report.is_valid() {
        return report;
    }
    let violations = report
        .into_violations()
        .into_iter()
        .map(|mut v| {
            v.message = relocate_message(&v.message, line);
            v
        })
        .collect();
    ValidationReport::from_violations(violations)
}
