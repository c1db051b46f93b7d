//! Tests of the `canonical-finance` command-line tool: each runs the real
//! binary and checks its stdout, stderr and exit status.

#![cfg(feature = "cli")]
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    clippy::arithmetic_side_effects,
    clippy::panic
)]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};

use serde_json::Value;

// `--jobs`: the same output for every number of jobs.
#[path = "cli/jobs.rs"]
mod jobs;

// Hostile input: duplicate keys, depth, size, bytes that are not UTF-8.
#[path = "cli/hostile.rs"]
mod hostile;

const BIN: &str = env!("CARGO_BIN_EXE_canonical-finance");

/// An invoice that every rule accepts.
const VALID_INVOICE: &str = "schemas/examples/invoice/eur_two_vat_rates_discount.json";

/// Runs the tool with `args`, feeding `stdin` from a thread so that a large
/// input never deadlocks against a full stdout pipe.
fn run(args: &[&str], stdin: &str) -> Output {
    run_bytes(args, stdin.as_bytes())
}

/// [`run`] with any bytes on stdin (lines that are not UTF-8).
fn run_bytes(args: &[&str], stdin: &[u8]) -> Output {
    let mut child = Command::new(BIN)
        .args(args)
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("the binary starts");
    let mut pipe = child.stdin.take().expect("stdin is piped");
    let input = stdin.to_owned();
    let writer = std::thread::spawn(move || {
        // The tool may stop reading early (usage errors): ignore EPIPE.
        let _ = pipe.write_all(&input);
    });
    let output = child.wait_with_output().expect("the binary runs");
    writer.join().expect("the writer thread finishes");
    output
}

fn stdout(output: &Output) -> String {
    String::from_utf8(output.stdout.clone()).expect("stdout is UTF-8")
}

fn stderr(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).expect("stderr is UTF-8")
}

fn status(output: &Output) -> i32 {
    output.status.code().expect("the binary exits with a status")
}

/// A temporary file that is removed when dropped.
struct TempFile(PathBuf);

impl TempFile {
    fn new(name: &str, contents: &[u8]) -> TempFile {
        let path = unique_temp_path(name);
        std::fs::write(&path, contents).unwrap();
        TempFile(path)
    }

    fn path(&self) -> &str {
        self.0.to_str().expect("temp paths are UTF-8")
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

fn unique_temp_path(name: &str) -> PathBuf {
    static COUNTER: AtomicUsize = AtomicUsize::new(0);
    let n = COUNTER.fetch_add(1, Ordering::Relaxed);
    std::env::temp_dir().join(format!("canonical-finance-cli-{}-{n}-{name}", std::process::id()))
}

fn example(path: &str) -> Value {
    let text = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join(path)).unwrap();
    serde_json::from_str(&text).unwrap()
}

/// The valid invoice with its first line's net amount changed, so that the
/// line no longer agrees with its price and the totals no longer add up.
fn broken_invoice() -> Value {
    let mut invoice = example(VALID_INVOICE);
    invoice["lines"][0]["net_amount"]["amount"] = Value::String("999.99".to_owned());
    invoice
}

fn codes(report: &Value) -> Vec<String> {
    report["violations"]
        .as_array()
        .expect("violations is an array")
        .iter()
        .map(|v| v["code"].as_str().expect("code is a string").to_owned())
        .collect()
}

fn catalogue_codes() -> Vec<String> {
    let output = run(&["rules"], "");
    assert_eq!(status(&output), 0, "{}", stderr(&output));
    let rules: Value = serde_json::from_str(&stdout(&output)).unwrap();
    rules.as_array().unwrap().iter().map(|r| r["code"].as_str().unwrap().to_owned()).collect()
}

/// The one report line of a single-document run.
fn single_report(output: &Output) -> Value {
    let out = stdout(output);
    assert_eq!(out.lines().count(), 1, "one report line: {out}");
    serde_json::from_str(&out).unwrap()
}

#[test]
fn valid_example_file_exits_0() {
    let output = run(&["validate", "--entity", "invoice", VALID_INVOICE], "");
    assert_eq!(status(&output), 0, "{}{}", stdout(&output), stderr(&output));
    let report = single_report(&output);
    assert_eq!(report["valid"], true);
    assert_eq!(report["errors"], 0);
    assert!(stdout(&output).contains(r#""valid":true"#), "compact JSON");
}

#[test]
fn valid_document_on_stdin_with_every_profile() {
    let text = serde_json::to_string_pretty(&example(VALID_INVOICE)).unwrap();
    for profile in ["exact", "peppol", "en16931_ubl"] {
        let output = run(&["validate", "-e", "invoice", "--profile", profile], &text);
        assert_eq!(status(&output), 0, "{profile}: {}", stdout(&output));
        assert_eq!(single_report(&output)["valid"], true);
        let output = run(&["validate", "-e", "invoice", "-p", profile, "-"], &text);
        assert_eq!(status(&output), 0, "{profile} with `-`");
    }
}

#[test]
fn every_example_gets_a_report() {
    for entity in ["customer", "contract", "invoice", "payment", "journal_entry"] {
        let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("schemas/examples").join(entity);
        let Ok(entries) = std::fs::read_dir(&dir) else { continue };
        for entry in entries {
            let path = entry.unwrap().path();
            let output = run(&["validate", "--entity", entity, path.to_str().unwrap()], "");
            // Exit 0 or 1 by the rules, never a parse failure or a crash.
            let report = single_report(&output);
            assert_eq!(status(&output), if report["valid"] == true { 0 } else { 1 });
            assert!(!codes(&report).iter().any(|c| c == "PARSE"), "{}: {report}", path.display());
        }
    }
}

#[test]
fn broken_invoice_exits_1_with_rule_codes() {
    let file = TempFile::new("broken.json", broken_invoice().to_string().as_bytes());
    let output = run(&["validate", "--entity", "invoice", file.path()], "");
    assert_eq!(status(&output), 1, "{}{}", stdout(&output), stderr(&output));
    let report = single_report(&output);
    assert_eq!(report["valid"], false);
    assert!(report["errors"].as_u64().unwrap() >= 1);
    let found = codes(&report);
    assert!(!found.is_empty());
    // The specific rules, where the catalogue has them already.
    let catalogue = catalogue_codes();
    for expected in ["INV-LINE-NET", "BR-CO-10"] {
        if catalogue.iter().any(|c| c == expected) {
            assert!(found.iter().any(|c| c == expected), "{expected} missing from {found:?}");
        }
    }
    for violation in report["violations"].as_array().unwrap() {
        assert!(violation["severity"] == "error" || violation["severity"] == "warning");
        let path = violation["path"].as_str().unwrap();
        assert!(path.is_empty() || path.starts_with('/'), "JSON Pointer: {path}");
        assert!(!violation["message"].as_str().unwrap().is_empty());
    }
}

#[test]
fn document_of_the_wrong_type_is_invalid_not_unreadable() {
    // Valid JSON that is not an invoice: a report, exit 1. Every field
    // EN 16931 requires that is missing has its own rule's code and path;
    // the first type error is PARSE.
    let output = run(&["validate", "--entity", "invoice"], "{\n  \"id\": 5\n}\n");
    assert_eq!(status(&output), 1, "{}", stderr(&output));
    let report = single_report(&output);
    assert_eq!(report["valid"], false);
    assert_eq!(codes(&report), ["BR-04", "BR-05", "BR-12", "BR-13", "BR-14", "BR-15", "PARSE"]);
    let paths: Vec<&str> = report["violations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["path"].as_str().unwrap())
        .collect();
    assert_eq!(
        paths,
        [
            "/kind",
            "/currency",
            "/totals/line_net_total",
            "/totals/total_without_tax",
            "/totals/total_with_tax",
            "/totals/amount_due",
            "/id"
        ]
    );
    let message = report["violations"][6]["message"].as_str().unwrap();
    assert!(message.contains("(line 2, column"), "{message}");

    // A payment is not an invoice.
    let payment = example("schemas/examples/payment/refund.json").to_string();
    let output = run(&["validate", "--entity", "invoice"], &payment);
    assert_eq!(status(&output), 1);
    assert_eq!(
        codes(&single_report(&output)),
        ["BR-04", "BR-05", "BR-12", "BR-13", "BR-14", "BR-15", "PARSE"]
    );
}

#[test]
fn ndjson_reports_every_line_in_order() {
    let input = format!("{}\n{}\n{{\"id\": \"inv_1\",\n", example(VALID_INVOICE), broken_invoice());
    let output = run(&["validate", "--entity", "invoice", "--ndjson"], &input);
    assert_eq!(status(&output), 1, "{}", stderr(&output));
    let reports: Vec<Value> =
        stdout(&output).lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(reports.len(), 3);
    assert_eq!(reports.iter().map(|r| r["line"].as_u64().unwrap()).collect::<Vec<_>>(), [1, 2, 3]);
    assert_eq!(reports[0]["valid"], true);
    assert_eq!(reports[1]["valid"], false);
    assert!(!codes(&reports[1]).is_empty());
    assert_eq!(reports[2]["valid"], false);
    assert_eq!(codes(&reports[2]), ["JSON-SYNTAX"]);
    let message = reports[2]["violations"][0]["message"].as_str().unwrap();
    assert!(message.contains("(line 3, column"), "{message}");
}

#[test]
fn ndjson_skips_blank_lines_but_counts_them() {
    let valid = example(VALID_INVOICE).to_string();
    let input = format!("\n{valid}\r\n   \n{{\"id\": 5}}\n\n{valid}");
    let file = TempFile::new("blank.ndjson", input.as_bytes());
    let output = run(&["validate", "-e", "invoice", "--ndjson", file.path()], "");
    assert_eq!(status(&output), 1);
    let reports: Vec<Value> =
        stdout(&output).lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(reports.iter().map(|r| r["line"].as_u64().unwrap()).collect::<Vec<_>>(), [2, 4, 6]);
    assert_eq!(codes(&reports[1]).last().map(String::as_str), Some("PARSE"));
    let violations = reports[1]["violations"].as_array().unwrap();
    let message = violations.last().unwrap()["message"].as_str().unwrap();
    assert!(message.contains("(line 4, column"), "positions count input lines: {message}");
    assert_eq!(reports[2]["valid"], true, "a last line without a newline is read");
}

#[test]
fn ndjson_all_valid_exits_0_and_empty_input_too() {
    let valid = example(VALID_INVOICE).to_string();
    let output = run(&["validate", "-e", "invoice", "--ndjson"], &format!("{valid}\n{valid}\n"));
    assert_eq!(status(&output), 0);
    assert_eq!(stdout(&output).lines().count(), 2);

    let output = run(&["validate", "-e", "invoice", "--ndjson"], "");
    assert_eq!(status(&output), 0);
    assert!(stdout(&output).is_empty());
}

#[test]
fn ndjson_streams_two_thousand_lines() {
    let valid = example(VALID_INVOICE).to_string();
    let broken = broken_invoice().to_string();
    let mut input = String::new();
    for i in 0..2_000 {
        input.push_str(if i % 500 == 499 { &broken } else { &valid });
        input.push('\n');
    }
    let output = run(&["validate", "--entity", "invoice", "--ndjson"], &input);
    assert_eq!(status(&output), 1, "{}", stderr(&output));
    let reports: Vec<Value> =
        stdout(&output).lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(reports.len(), 2_000);
    for (i, report) in reports.iter().enumerate() {
        assert_eq!(report["line"].as_u64().unwrap(), i as u64 + 1);
        assert_eq!(report["valid"], i % 500 != 499, "line {}", i + 1);
    }
}

#[test]
fn a_reader_that_closes_the_pipe_early_stops_the_tool_quietly_with_2() {
    // Far more output than a pipe buffers, so the tool is still writing
    // when the reader goes away after one line.
    let stripe = stripe_customer().to_string();
    let input: String = (0..20_000).map(|_| format!("{stripe}\n")).collect();
    let mut child = Command::new(BIN)
        .args(["map", "--from", "stripe", "--object", "customer", "--ndjson", "-"])
        .current_dir(env!("CARGO_MANIFEST_DIR"))
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut pipe = child.stdin.take().unwrap();
    let writer = std::thread::spawn(move || {
        let _ = pipe.write_all(input.as_bytes());
    });
    let mut out = std::io::BufReader::new(child.stdout.take().unwrap());
    let mut first = String::new();
    std::io::BufRead::read_line(&mut out, &mut first).unwrap();
    assert!(serde_json::from_str::<Value>(&first).is_ok(), "{first}");
    drop(out);
    let output = child.wait_with_output().unwrap();
    writer.join().unwrap();
    assert_eq!(status(&output), 2);
    assert_eq!(stderr(&output), "", "a closed pipe is not an error to report");
}

#[test]
fn missing_file_exits_2_naming_it() {
    let path = unique_temp_path("does-not-exist.json");
    let path = path.to_str().unwrap();
    let output = run(&["validate", "--entity", "invoice", path], "");
    assert_eq!(status(&output), 2);
    assert!(stdout(&output).is_empty());
    assert!(stderr(&output).contains(path), "{}", stderr(&output));
}

#[test]
fn malformed_json_exits_2_with_line_and_column() {
    let output = run(&["validate", "--entity", "invoice"], "{\n  \"id\": \"inv_1\",\n  oops\n}\n");
    assert_eq!(status(&output), 2);
    assert!(stdout(&output).is_empty());
    let message = stderr(&output);
    assert!(message.contains("(line 3, column"), "{message}");
    assert!(message.contains("<stdin>"), "{message}");

    // Two documents where one is expected.
    let output = run(&["validate", "--entity", "invoice"], "{} {}");
    assert_eq!(status(&output), 2);
    assert!(stderr(&output).contains("--ndjson"), "{}", stderr(&output));

    // Empty input.
    let output = run(&["validate", "--entity", "invoice"], "");
    assert_eq!(status(&output), 2);
}

#[test]
fn not_utf8_exits_2_for_a_document_and_1_for_an_ndjson_line() {
    let file = TempFile::new("latin1.json", b"{\"id\": \"Gr\xfc\xdfe\"}");
    let output = run(&["validate", "--entity", "invoice", file.path()], "");
    assert_eq!(status(&output), 2);
    let message = stderr(&output);
    assert!(message.contains("UTF-8") && message.contains(file.path()), "{message}");

    let file = TempFile::new("latin1.ndjson", b"{}\n{\"id\": \"Gr\xfc\xdfe\"}\n");
    let output = run(&["validate", "--entity", "invoice", "--ndjson", file.path()], "");
    assert_eq!(status(&output), 1);
    assert_eq!(stdout(&output).lines().count(), 2, "{}", stdout(&output));
    assert!(stdout(&output).contains("(line 2, column 11"), "{}", stdout(&output));
}

#[test]
fn usage_errors_exit_2() {
    for args in [
        &["validate", "--entity", "widget"][..],
        &["validate"],
        &["validate", "--entity"],
        &["validate", "--entity", "invoice", "--profile", "lenient"],
        &["rules", "--format", "yaml"],
        &["schema"],
        &["schema", "--entity", "widget"],
        &["schema", "--mapping-file", "--entity", "invoice"],
        &["schema", "--mapping-file", "--out", "x"],
        &["frobnicate"],
        &[],
        &["map"],
        &["map", "--from", "stripe"],
        &["map", "--to", "stripe"],
        &["map", "--object", "customer"],
        &[
            "map", "--from", "stripe", "--to", "stripe", "--object", "customer", "--entity",
            "customer",
        ],
        &["map", "--from", "stripe", "--object", "customer", "--entity", "customer"],
        &["map", "--to", "stripe", "--entity", "widget"],
        &["vendors", "--format", "yaml"],
    ] {
        let output = run(args, "{}");
        assert_eq!(status(&output), 2, "{args:?}");
        assert!(stdout(&output).is_empty(), "{args:?}: stdout is for machine output only");
        assert!(!stderr(&output).is_empty(), "{args:?}");
    }
}

#[test]
fn rules_prints_the_catalogue_as_json() {
    let output = run(&["rules"], "");
    assert_eq!(status(&output), 0);
    let rules: Value = serde_json::from_str(&stdout(&output)).unwrap();
    let rules = rules.as_array().unwrap();
    assert!(!rules.is_empty());
    for rule in rules {
        assert!(rule["code"].as_str().is_some_and(|c| !c.is_empty()), "{rule}");
        assert!(rule["severity"] == "error" || rule["severity"] == "warning", "{rule}");
        assert!(
            ["always", "en16931", "parse"].contains(&rule["scope"].as_str().unwrap()),
            "{rule}"
        );
        assert!(rule["en16931"].is_array(), "{rule}");
        assert!(rule["description"].as_str().is_some_and(|d| !d.is_empty()), "{rule}");
    }
    let json = run(&["rules", "--format", "json"], "");
    assert_eq!(json.stdout, output.stdout);
}

#[test]
fn rules_prints_the_catalogue_as_markdown() {
    let output = run(&["rules", "--format", "markdown"], "");
    assert_eq!(status(&output), 0);
    assert_eq!(stdout(&output), canonical_finance::validate::catalog_markdown());
}

#[test]
fn rules_en16931_prints_the_conformance_table() {
    let output = run(&["rules", "--en16931"], "");
    assert_eq!(status(&output), 0, "{}", stderr(&output));
    let table: Value = serde_json::from_str(&stdout(&output)).unwrap();
    let table = table.as_array().unwrap();
    assert_eq!(table.len(), canonical_finance::validate::en16931_conformance().len());
    let br_co_10 = table.iter().find(|r| r["id"] == "BR-CO-10").unwrap();
    assert_eq!(br_co_10["codes"], serde_json::json!(["BR-CO-10"]));
    let br_52 = table.iter().find(|r| r["id"] == "BR-52").unwrap();
    assert_eq!(br_52["codes"], serde_json::json!([]));
    assert!(br_52["not_needed"].as_str().is_some_and(|w| w.contains("supporting documents")));
    // Every rule has codes or a reason.
    for r in table {
        assert!(!r["codes"].as_array().unwrap().is_empty() || r["not_needed"].is_string(), "{r}");
    }

    let output = run(&["rules", "--en16931", "--format", "markdown"], "");
    assert_eq!(status(&output), 0);
    assert_eq!(stdout(&output), canonical_finance::validate::en16931_markdown());
    // docs/rules.md includes the same table.
    assert!(canonical_finance::validate::catalog_markdown().contains(&stdout(&output)));
}

#[test]
fn schema_prints_one_entity() {
    let output = run(&["schema", "--entity", "invoice"], "");
    assert_eq!(status(&output), 0, "{}", stderr(&output));
    let schema: Value = serde_json::from_str(&stdout(&output)).unwrap();
    assert!(schema["$schema"].as_str().is_some_and(|s| s.contains("2020-12")));
    assert_eq!(schema["$id"], canonical_finance::schema::Entity::Invoice.schema_id());
    assert!(schema.get("examples").is_none(), "stdout has the examples-free schema");
}

#[test]
fn schema_mapping_file_prints_the_checked_in_mapping_file_schema() {
    let output = run(&["schema", "--mapping-file"], "");
    assert_eq!(status(&output), 0, "{}", stderr(&output));
    let checked_in = std::fs::read_to_string(
        Path::new(env!("CARGO_MANIFEST_DIR")).join("schemas/mapping/mapping-file.schema.json"),
    )
    .unwrap();
    assert_eq!(stdout(&output), checked_in);
}

#[test]
fn schema_out_writes_every_file() {
    let dir = unique_temp_path("schemas");
    let output = run(&["schema", "--out", dir.to_str().unwrap()], "");
    assert_eq!(status(&output), 0, "{}", stderr(&output));
    assert!(stdout(&output).is_empty(), "paths go to stderr");
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().file_name().into_string().unwrap())
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            "contract.schema.json",
            "customer.schema.json",
            "invoice.schema.json",
            "journal_entry.schema.json",
            "mapping",
            "payment.schema.json"
        ]
    );
    // The mapping-file format's schema, in its own folder.
    names.retain(|name| name != "mapping");
    names.push(canonical_finance::schema::MAPPING_SCHEMA_FILE.to_owned());
    for name in &names {
        let text = std::fs::read_to_string(dir.join(name)).unwrap();
        let schema: Value = serde_json::from_str(&text).unwrap();
        assert!(schema.get("$schema").is_some(), "{name}");
        assert!(stderr(&output).contains(name), "{name} listed on stderr");
    }

    // With --entity, only that file.
    let single = unique_temp_path("schema-one");
    let output = run(&["schema", "--out", single.to_str().unwrap(), "--entity", "payment"], "");
    assert_eq!(status(&output), 0, "{}", stderr(&output));
    let names: Vec<_> = std::fs::read_dir(&single).unwrap().collect();
    assert_eq!(names.len(), 1);
    assert!(single.join("payment.schema.json").is_file());

    std::fs::remove_dir_all(&dir).unwrap();
    std::fs::remove_dir_all(&single).unwrap();
}

#[test]
fn version_and_help() {
    let output = run(&["--version"], "");
    assert_eq!(status(&output), 0);
    assert_eq!(stdout(&output).trim(), format!("canonical-finance {}", env!("CARGO_PKG_VERSION")));

    let output = run(&["--help"], "");
    assert_eq!(status(&output), 0);
    for word in ["validate", "rules", "schema", "Exit status"] {
        assert!(stdout(&output).contains(word), "{word}");
    }

    let output = run(&["validate", "--help"], "");
    assert_eq!(status(&output), 0);
    for word in ["--ndjson", "--profile", "PARSE", "JSON-SYNTAX", "Examples"] {
        assert!(stdout(&output).contains(word), "{word}");
    }
}

// ---------------------------------------------------------------------------
// map and vendors

/// A Stripe customer, written out here so that the test does not depend on
/// the fixtures.
const STRIPE_CUSTOMER: &str = r#"{"id":"cus_T1","object":"customer","name":"Acme GmbH",
  "email":"billing@acme.example","created":1764028800,"livemode":false,
  "metadata":{"crm_id":"42"},
  "address":{"line1":"Hauptstr. 1","line2":"Aufgang B","city":"Berlin",
             "postal_code":"10115","state":null,"country":"DE"}}"#;

fn stripe_customer() -> Value {
    serde_json::from_str(STRIPE_CUSTOMER).unwrap()
}

/// The stdout lines, each parsed as JSON.
fn json_lines(output: &Output) -> Vec<Value> {
    stdout(output).lines().map(|l| serde_json::from_str(l).unwrap()).collect()
}

/// The one JSON document of a single-document run: one compact line.
fn single_document(output: &Output) -> Value {
    let out = stdout(output);
    assert_eq!(out.lines().count(), 1, "one compact line: {out}");
    assert!(out.ends_with('\n'));
    serde_json::from_str(&out).unwrap()
}

/// The canonical customer the tool makes of [`STRIPE_CUSTOMER`].
fn canonical_customer() -> Value {
    let output = run(&["map", "--from", "stripe", "--object", "customer"], STRIPE_CUSTOMER);
    assert_eq!(status(&output), 0, "{}", stderr(&output));
    single_document(&output)
}

/// A temporary directory that is removed when dropped.
struct TempDir(PathBuf);

impl TempDir {
    fn new(name: &str) -> TempDir {
        let path = unique_temp_path(name);
        std::fs::create_dir_all(&path).unwrap();
        TempDir(path)
    }

    fn write(&self, name: &str, contents: &str) -> String {
        let path = self.0.join(name);
        std::fs::write(&path, contents).unwrap();
        path.to_str().unwrap().to_owned()
    }

    fn path(&self) -> &str {
        self.0.to_str().expect("temp paths are UTF-8")
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// An in-house system's client: the smallest useful mapping file.
const ACME_CLIENT: &str = r#"{
  "vendor": "acme",
  "object": "client",
  "entity": "customer",
  "rules": [
    {"vendor": "/id", "canonical": "/id"},
    {"vendor": "/name", "canonical": "/display_name"},
    {"canonical": "/kind", "constant": "organization"},
    {"canonical": "/status", "constant": "active"}
  ]
}"#;

#[test]
fn map_stripe_customer_to_canonical() {
    let canonical = canonical_customer();
    assert_eq!(canonical["id"], "cus_T1");
    assert_eq!(canonical["display_name"], "Acme GmbH");
    assert_eq!(canonical["email"], "billing@acme.example");
    assert_eq!(canonical["addresses"][0]["city"], "Berlin");
    assert_eq!(canonical["addresses"][0]["lines"], serde_json::json!(["Hauptstr. 1", "Aufgang B"]));
    assert_eq!(canonical["extensions"]["stripe"]["metadata"], serde_json::json!({"crm_id": "42"}));

    // The output is a valid canonical customer.
    let output = run(&["validate", "--entity", "customer"], &canonical.to_string());
    assert_eq!(status(&output), 0, "{}", stdout(&output));

    // From a file, with the short flags.
    let file = TempFile::new("cus.json", STRIPE_CUSTOMER.as_bytes());
    let output = run(&["map", "--from", "stripe", "-o", "customer", file.path()], "");
    assert_eq!(status(&output), 0, "{}", stderr(&output));
    assert_eq!(single_document(&output), canonical);
    assert!(stderr(&output).is_empty(), "nothing lost, nothing said: {}", stderr(&output));
}

#[test]
fn map_round_trip_gives_back_the_stripe_payload() {
    let forward = run(&["map", "--from", "stripe", "--object", "customer"], STRIPE_CUSTOMER);
    assert_eq!(status(&forward), 0, "{}", stderr(&forward));
    // The first run's stdout is the second run's stdin, as in a pipe.
    let back = run(&["map", "--to", "stripe", "--entity", "customer"], &stdout(&forward));
    assert_eq!(status(&back), 0, "{}", stderr(&back));
    assert_eq!(single_document(&back), stripe_customer());

    // --object may name the one mapper too.
    let back = run(
        &["map", "--to", "stripe", "-e", "customer", "--object", "customer"],
        &stdout(&forward),
    );
    assert_eq!(status(&back), 0, "{}", stderr(&back));
    assert_eq!(single_document(&back), stripe_customer());
}

#[test]
fn map_reads_tenant_tables_given_with_tenant_both_ways() {
    let file = "tests/fixtures/xero/invoice/accrec_inclusive_aud_paid.json";
    let tenant = "/TaxCodes=tests/fixtures/xero/tenant/tax_codes.json";
    let forward =
        run(&["map", "--from", "xero", "--object", "Invoice", "--tenant", tenant, file], "");
    assert_eq!(status(&forward), 0, "{}", stderr(&forward));
    let invoice: serde_json::Value = serde_json::from_str(stdout(&forward).trim()).unwrap();
    assert_eq!(invoice["lines"][0]["tax_category"], "standard");
    assert_eq!(invoice["lines"][0]["tax_rate"], "15");
    assert_eq!(invoice["tax_breakdown"][1]["category"], "zero_rated");
    // The way back writes the codes, and not the table.
    let back = run(
        &["map", "--to", "xero", "-e", "invoice", "-o", "Invoice", "--tenant", tenant],
        &stdout(&forward),
    );
    assert_eq!(status(&back), 0, "{}", stderr(&back));
    let xero: serde_json::Value = serde_json::from_str(stdout(&back).trim()).unwrap();
    assert_eq!(xero["LineItems"][0]["TaxType"], "OUTPUT2");
    assert_eq!(xero.get("TaxCodes"), None);
    // Without the table the category is left out, and said so.
    let bare = run(&["map", "--from", "xero", "--object", "Invoice", "--report", file], "");
    assert!(
        stderr(&bare).contains("cannot be looked up: no tenant table at ^/TaxCodes"),
        "{}",
        stderr(&bare)
    );
    let bad =
        run(&["map", "--from", "xero", "--object", "Invoice", "--tenant", "TaxCodes", file], "");
    assert_eq!(status(&bad), 2, "{}", stderr(&bad));
    assert!(stderr(&bad).contains("--tenant TaxCodes: expected POINTER=FILE"), "{}", stderr(&bad));
}

#[test]
fn map_report_writes_the_losses_on_stderr() {
    let output =
        run(&["map", "--from", "stripe", "--object", "customer", "--report"], STRIPE_CUSTOMER);
    assert_eq!(status(&output), 0, "{}", stderr(&output));
    single_document(&output);
    let err = stderr(&output);
    assert_eq!(err.lines().count(), 1, "{err}");
    let report: Value = serde_json::from_str(&err).unwrap();
    assert_eq!(report, serde_json::json!({"losses": []}), "no line number in single mode");
}

#[test]
fn map_legal_name_to_stripe_is_an_unsupported_loss() {
    let mut canonical = canonical_customer();
    canonical["legal_name"] = Value::String("Acme Gesellschaft mbH".to_owned());
    let text = canonical.to_string();

    let output = run(&["map", "--to", "stripe", "--entity", "customer", "--report"], &text);
    assert_eq!(status(&output), 0, "losses do not fail: {}", stderr(&output));
    assert_eq!(single_document(&output), stripe_customer());
    let report: Value = serde_json::from_str(&stderr(&output)).unwrap();
    let losses = report["losses"].as_array().unwrap();
    assert_eq!(losses.len(), 1, "{report}");
    assert_eq!(losses[0]["kind"], "unsupported");
    assert_eq!(losses[0]["path"], "/legal_name");
    assert!(losses[0]["reason"].as_str().is_some_and(|r| !r.is_empty()));

    // Without --report, a note for people says that something was lost.
    let output = run(&["map", "--to", "stripe", "--entity", "customer"], &text);
    assert_eq!(status(&output), 0);
    assert!(stderr(&output).contains("--report"), "{}", stderr(&output));
}

#[test]
fn map_ndjson_keeps_the_output_aligned_with_the_input() {
    let valid = stripe_customer().to_string();
    // Valid; JSON that is no Stripe customer; not JSON.
    let input = format!("{valid}\n[1, 2]\n{{\"id\": \"cus_\n");
    let output = run(&["map", "--from", "stripe", "--object", "customer", "--ndjson"], &input);
    assert_eq!(status(&output), 1, "{}", stderr(&output));
    let lines = json_lines(&output);
    assert_eq!(lines.len(), 3);
    assert_eq!(lines[0], canonical_customer());
    assert_eq!(lines[1]["line"], 2);
    assert_eq!(lines[1]["error"]["kind"], "invalid_input");
    assert!(lines[1]["error"]["message"].as_str().unwrap().contains("stripe customer"));
    assert_eq!(lines[2]["line"], 3);
    assert_eq!(lines[2]["error"]["kind"], "json_syntax");
    let message = lines[2]["error"]["message"].as_str().unwrap();
    assert!(message.contains("(line 3, column"), "{message}");
    assert!(stderr(&output).contains("2 of 3"), "a summary for people: {}", stderr(&output));

    // With --report, stderr holds only the loss report of the mapped line.
    let args = ["map", "--from", "stripe", "--object", "customer", "--ndjson", "--report"];
    let output = run(&args, &input);
    assert_eq!(status(&output), 1);
    assert_eq!(stdout(&output).lines().count(), 3);
    let reports: Vec<Value> =
        stderr(&output).lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(reports, [serde_json::json!({"line": 1, "losses": []})]);
}

#[test]
fn map_ndjson_echoes_blank_lines_and_streams_both_ways() {
    let valid = stripe_customer().to_string();
    let mut input = String::from(
        "
",
    );
    for _ in 0..1_000 {
        input.push_str(&valid);
        input.push('\n');
    }
    let forward = run(&["map", "--from", "stripe", "--object", "customer", "--ndjson"], &input);
    assert_eq!(status(&forward), 0, "{}", stderr(&forward));
    let out = stdout(&forward);
    assert_eq!(out.lines().count(), 1_001);
    assert!(out.starts_with('\n'), "a blank line stays a blank line");

    let back = run(&["map", "--to", "stripe", "--entity", "customer", "--ndjson"], &out);
    assert_eq!(status(&back), 0, "{}", stderr(&back));
    let back = stdout(&back);
    assert_eq!(back.lines().count(), 1_001);
    for (i, line) in back.lines().enumerate().skip(1) {
        assert_eq!(serde_json::from_str::<Value>(line).unwrap(), stripe_customer(), "line {i}");
    }
}

#[test]
fn map_document_that_cannot_be_mapped_exits_1() {
    // JSON, but no Stripe customer.
    let output = run(&["map", "--from", "stripe", "--object", "customer"], "[1, 2]");
    assert_eq!(status(&output), 1);
    assert!(stdout(&output).is_empty());
    assert!(stderr(&output).contains("stripe customer"), "{}", stderr(&output));

    // JSON, but no canonical customer.
    let output = run(&["map", "--to", "stripe", "--entity", "customer"], r#"{"id": 5}"#);
    assert_eq!(status(&output), 1);
    assert!(stdout(&output).is_empty());
    let message = stderr(&output);
    assert!(message.contains("/id") && message.contains("customer"), "{message}");
}

#[test]
fn map_unreadable_input_exits_2() {
    let output = run(&["map", "--from", "stripe", "--object", "customer"], "{\n  oops\n}");
    assert_eq!(status(&output), 2);
    assert!(stdout(&output).is_empty());
    assert!(stderr(&output).contains("(line 2, column"), "{}", stderr(&output));

    let output = run(&["map", "--from", "stripe", "--object", "customer"], "{} {}");
    assert_eq!(status(&output), 2);
    assert!(stderr(&output).contains("--ndjson"), "{}", stderr(&output));

    let path = unique_temp_path("missing.json");
    let path = path.to_str().unwrap();
    let output = run(&["map", "--from", "stripe", "--object", "customer", path], "");
    assert_eq!(status(&output), 2);
    assert!(stderr(&output).contains(path), "{}", stderr(&output));
}

#[test]
fn map_unknown_vendor_object_or_entity_exits_2_listing_what_exists() {
    for args in [
        &["map", "--from", "acme", "--object", "customer"][..],
        &["map", "--from", "stripe", "--object", "widget"],
        &["map", "--to", "acme", "--entity", "customer"],
        &["map", "--to", "stripe", "--entity", "journal_entry"],
    ] {
        let output = run(args, STRIPE_CUSTOMER);
        assert_eq!(status(&output), 2, "{args:?}");
        assert!(stdout(&output).is_empty(), "{args:?}");
        assert!(stderr(&output).contains("stripe/customer"), "{args:?}: {}", stderr(&output));
    }

    // An object of another entity.
    let args = ["map", "--to", "stripe", "--entity", "invoice", "--object", "customer"];
    let output = run(&args, "{}");
    assert_eq!(status(&output), 2);
    assert!(stderr(&output).contains("customer entity"), "{}", stderr(&output));
}

#[test]
fn map_with_custom_mapping_files_works_both_ways() {
    let dir = TempDir::new("mappings");
    dir.write("client.json", ACME_CLIENT);
    let client = r#"{"id":"C-9","name":"Client Nine"}"#;

    let args = ["map", "--mappings", dir.path(), "--from", "acme", "--object", "client"];
    let forward = run(&args, client);
    assert_eq!(status(&forward), 0, "{}", stderr(&forward));
    let canonical = single_document(&forward);
    assert_eq!(canonical["id"], "C-9");
    assert_eq!(canonical["display_name"], "Client Nine");
    assert_eq!(canonical["kind"], "organization");
    assert_eq!(canonical["status"], "active");

    let args = ["map", "--mappings", dir.path(), "--to", "acme", "--entity", "customer"];
    let back = run(&args, &stdout(&forward));
    assert_eq!(status(&back), 0, "{}", stderr(&back));
    assert_eq!(single_document(&back), serde_json::from_str::<Value>(client).unwrap());

    // The built-in mappers are still there.
    let args = ["map", "--mappings", dir.path(), "--from", "stripe", "--object", "customer"];
    assert_eq!(status(&run(&args, STRIPE_CUSTOMER)), 0);
}

#[test]
fn map_to_a_vendor_with_several_mappers_needs_object() {
    let dir = TempDir::new("mappings-several");
    dir.write("client.json", ACME_CLIENT);
    dir.write("contact.json", &ACME_CLIENT.replace("\"client\"", "\"contact\""));
    let canonical = r#"{"id":"C-9","kind":"organization","status":"active","display_name":"X"}"#;

    let args = ["map", "--mappings", dir.path(), "--to", "acme", "--entity", "customer"];
    let output = run(&args, canonical);
    assert_eq!(status(&output), 2);
    assert!(stdout(&output).is_empty());
    let message = stderr(&output);
    assert!(
        message.contains("client") && message.contains("contact") && message.contains("--object"),
        "{message}"
    );

    let mut args = args.to_vec();
    args.extend(["--object", "contact"]);
    let output = run(&args, canonical);
    assert_eq!(status(&output), 0, "{}", stderr(&output));
    assert_eq!(single_document(&output), serde_json::json!({"id": "C-9", "name": "X"}));
}

#[test]
fn map_with_a_broken_mapping_file_exits_2_naming_it() {
    let dir = TempDir::new("mappings-broken");
    let broken = ACME_CLIENT.replace(
        r#"{"vendor": "/name", "canonical": "/display_name"}"#,
        r#"{"vendor": "/name", "canonical": "/display_name", "transform": "rot13"}"#,
    );
    assert_ne!(broken, ACME_CLIENT);
    let file = dir.write("client.json", &broken);
    for args in [
        &["map", "--mappings", dir.path(), "--from", "stripe", "--object", "customer"][..],
        &["vendors", "--mappings", dir.path()],
    ] {
        let output = run(args, STRIPE_CUSTOMER);
        assert_eq!(status(&output), 2, "{args:?}");
        assert!(stdout(&output).is_empty(), "{args:?}");
        let message = stderr(&output);
        assert!(message.contains(&file), "names the file: {message}");
        assert!(message.contains("/rules/1"), "points into it: {message}");
        assert!(message.contains("rot13"), "says what is wrong: {message}");
    }

    // A second mapper for a built-in vendor object.
    let dir = TempDir::new("mappings-duplicate");
    dir.write(
        "customer.json",
        &ACME_CLIENT.replace("acme", "stripe").replace("client", "customer"),
    );
    let output = run(&["vendors", "--mappings", dir.path()], "");
    assert_eq!(status(&output), 2);
    let message = stderr(&output);
    assert!(message.contains("stripe customer") && message.contains(dir.path()), "{message}");

    // Not JSON at all, and no directory at all.
    let dir = TempDir::new("mappings-not-json");
    let file = dir.write("client.json", "{ nope");
    let args = ["map", "--mappings", dir.path(), "--from", "acme", "--object", "client"];
    let output = run(&args, "{}");
    assert_eq!(status(&output), 2);
    assert!(stderr(&output).contains(&file), "{}", stderr(&output));

    let missing = unique_temp_path("no-such-mappings");
    let args = ["vendors", "--mappings", missing.to_str().unwrap()];
    let output = run(&args, "");
    assert_eq!(status(&output), 2);
    assert!(stderr(&output).contains(missing.to_str().unwrap()), "{}", stderr(&output));
}

#[test]
fn vendors_lists_every_mapper_as_json() {
    let output = run(&["vendors"], "");
    assert_eq!(status(&output), 0, "{}", stderr(&output));
    let rows: Value = serde_json::from_str(&stdout(&output)).unwrap();
    let rows = rows.as_array().unwrap();
    assert!(rows.contains(&serde_json::json!({
        "vendor": "stripe", "object": "customer", "entity": "customer",
        "directions": ["to_canonical", "to_vendor"]
    })));
    let json = run(&["vendors", "--format", "json"], "");
    assert_eq!(json.stdout, output.stdout);

    // With --mappings, the files' mappers too.
    let dir = TempDir::new("mappings-vendors");
    dir.write("client.json", ACME_CLIENT);
    let output = run(&["vendors", "--mappings", dir.path()], "");
    assert_eq!(status(&output), 0, "{}", stderr(&output));
    let rows: Value = serde_json::from_str(&stdout(&output)).unwrap();
    assert!(
        rows.as_array()
            .unwrap()
            .iter()
            .any(|r| r["vendor"] == "acme" && r["object"] == "client" && r["entity"] == "customer")
    );
}

#[test]
fn vendors_prints_an_aligned_table() {
    let output = run(&["vendors", "--format", "text"], "");
    assert_eq!(status(&output), 0, "{}", stderr(&output));
    let out = stdout(&output);
    let mut lines = out.lines();
    let header = lines.next().unwrap();
    let columns: Vec<&str> = header.split_whitespace().collect();
    assert_eq!(columns, ["VENDOR", "OBJECT", "ENTITY", "DIRECTIONS"]);
    let row = lines.find(|l| l.starts_with("stripe ") && l.contains(" customer ")).unwrap();
    assert!(row.contains("to_canonical") && row.contains("to_vendor"), "{row}");
    // Columns start at the same place on every line.
    let at = header.find("DIRECTIONS").unwrap();
    for line in out.lines().skip(1) {
        assert!(line[at..].starts_with("to_"), "{line}");
    }
}

#[test]
fn map_and_vendors_help() {
    let output = run(&["--help"], "");
    assert_eq!(status(&output), 0);
    for word in ["map", "vendors", "canonical-finance map --from stripe"] {
        assert!(stdout(&output).contains(word), "{word}");
    }

    let output = run(&["map", "--help"], "");
    assert_eq!(status(&output), 0);
    for word in
        ["--from", "--to", "--report", "--mappings", "json_syntax", "Examples", "Exit status"]
    {
        assert!(stdout(&output).contains(word), "{word}");
    }

    let output = run(&["vendors", "--help"], "");
    assert_eq!(status(&output), 0);
    for word in ["--format", "--mappings", "Examples"] {
        assert!(stdout(&output).contains(word), "{word}");
    }
}

#[test]
fn a_document_of_the_wrong_shape_is_reported_at_the_offending_field() {
    let doc = r#"{"id":"c1","kind":"organization","status":"active","display_name":"A","credit_limit":{"amount":"12,50","currency":"EUR"}}"#;
    let output = run(&["validate", "--entity", "customer"], doc);
    assert_eq!(status(&output), 1);
    let report = single_report(&output);
    assert_eq!(report["violations"][0]["code"], "PARSE");
    assert_eq!(report["violations"][0]["path"], "/credit_limit/amount");
    let message = report["violations"][0]["message"].as_str().unwrap();
    assert!(message.starts_with("invalid amount `12,50`"), "{message}");
}

#[test]
fn two_mapping_files_for_one_vendor_object_are_both_named() {
    let dir = TempDir::new("mappings-twice");
    for sub in ["a", "b"] {
        std::fs::create_dir_all(Path::new(dir.path()).join(sub)).unwrap();
    }
    let first = dir.write("a/client.json", ACME_CLIENT);
    let second = dir.write("b/client.json", ACME_CLIENT);
    let output = run(&["vendors", "--mappings", dir.path()], "");
    assert_eq!(status(&output), 2);
    let message = stderr(&output);
    assert!(message.contains(&first) && message.contains(&second), "{message}");
    assert!(message.contains("acme client is already registered"), "{message}");
    assert!(!message.contains("built-in"), "not a clash with a built-in: {message}");
}

#[test]
fn map_gives_one_line_per_record_of_a_vendor_envelope() {
    let page = std::fs::read_to_string("tests/fixtures/xero/payment/list_page.json").unwrap();
    let output = run(&["map", "--from", "xero", "--object", "Payment", "--report", "-"], &page);
    assert_eq!(status(&output), 0, "{}", stderr(&output));
    let lines: Vec<Value> =
        stdout(&output).lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(lines.len(), 2);
    assert_eq!(lines[0]["status"], "reversed");
    assert_eq!(lines[1]["id"], "ea561613-50dc-4ee3-9d52-7c03dffebe3f");
    // The loss report names each record's place in the envelope.
    let reports: Vec<Value> =
        stderr(&output).lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(reports[1]["record"], "/Payments/1");
    // A record that cannot be mapped is an error naming its place; the
    // others still come out.
    let mut broken: Value = serde_json::from_str(&page).unwrap();
    broken["Payments"][0]["Amount"] = serde_json::json!("a lot");
    let output = run(&["map", "--from", "xero", "--object", "Payment", "-"], &broken.to_string());
    assert_eq!(status(&output), 1);
    assert_eq!(stdout(&output).lines().count(), 1);
    assert!(stderr(&output).contains("record at /Payments/0"), "{}", stderr(&output));
}

#[test]
fn vendors_fidelity_says_how_each_field_is_carried() {
    let output = run(&["vendors", "--fidelity"], "");
    assert_eq!(status(&output), 0, "{}", stderr(&output));
    let all: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    let contract = all
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["vendor"] == "salesforce" && f["object"] == "Contract")
        .unwrap();
    let term = contract["fields"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["canonical"] == "/term/length")
        .unwrap();
    assert_eq!(term["carried"], "exact");
    assert_eq!(term["vendor"], serde_json::json!(["/ContractTerm"]));
    let id =
        contract["fields"].as_array().unwrap().iter().find(|f| f["canonical"] == "/id").unwrap();
    assert_eq!(id["carried"], "transformed");
    assert_eq!(id["how"], "transform salesforce_id");
    assert!(contract["not_carried"].as_array().unwrap().contains(&serde_json::json!("/lines")));
    assert_eq!(contract["directions"], serde_json::json!(["to_canonical", "to_vendor"]));
    // The Markdown: the summary, then every field.
    let output = run(&["vendors", "--fidelity", "--format", "markdown"], "");
    assert_eq!(status(&output), 0);
    let text = stdout(&output);
    assert!(text.starts_with("| Vendor | Object | Entity | Directions | Exact |"), "{text}");
    assert!(text.contains("### salesforce Contract → contract (to_canonical, to_vendor)"));
    assert!(text.contains("| `/term/length` | `/ContractTerm` | Exact |  |"));
}
