//! `--jobs N` on `validate --ndjson` and `map --ndjson`: the same stdout,
//! stderr and exit status, byte for byte, for every N; line numbers are
//! input line numbers; a live pipe still gets each line's output before the
//! next line is written.

use std::io::{BufRead, BufReader};
use std::sync::mpsc;
use std::time::Duration;

use super::*;

/// The job counts every comparison runs with; the first is the reference.
const JOBS: [&str; 5] = ["1", "2", "3", "4", "8"];

/// Runs `args` with every `--jobs` of [`JOBS`], on `input` both as a file
/// and on stdin, checks that stdout, stderr and the exit status are the
/// same bytes every time, and returns the output of `--jobs 1`.
fn same_for_every_jobs(args: &[&str], input: &[u8]) -> Output {
    let file = TempFile::new("jobs.ndjson", input);
    let mut reference: Option<Output> = None;
    for jobs in JOBS {
        for from_file in [true, false] {
            let mut full: Vec<&str> = args.to_vec();
            full.extend(["--jobs", jobs]);
            let output = if from_file {
                full.push(file.path());
                run_bytes(&full, b"")
            } else {
                run_bytes(&full, input)
            };
            // Messages name the input; stdin's name is `<stdin>`.
            let output = Output {
                stderr: String::from_utf8_lossy(&output.stderr)
                    .replace(file.path(), "<stdin>")
                    .into_bytes(),
                ..output
            };
            match &reference {
                None => reference = Some(output),
                Some(expected) => {
                    let what = format!("{args:?} --jobs {jobs} (from a file: {from_file})");
                    assert_eq!(status(&output), status(expected), "{what}: exit status");
                    assert!(output.stdout == expected.stdout, "{what}: stdout differs");
                    assert_eq!(stderr(&output), stderr(expected), "{what}: stderr");
                }
            }
        }
    }
    reference.expect("JOBS is not empty")
}

/// The input lines of `input` that are not blank, with their numbers.
fn non_blank_line_numbers(input: &str) -> Vec<u64> {
    input
        .split('\n')
        .enumerate()
        .filter(|(_, line)| !line.trim().is_empty())
        .map(|(i, _)| i as u64 + 1)
        .collect()
}

/// Valid, invalid, blank and malformed lines, many times over, so that the
/// lines go out in many chunks; the first line starts with a byte order
/// mark, some end in CRLF, the last has no line ending.
fn mixed_invoices() -> String {
    let valid = example(VALID_INVOICE).to_string();
    let broken = broken_invoice().to_string();
    let mut input = format!("\u{feff}{valid}\n");
    for i in 0..60 {
        input.push_str(&format!("{broken}\n\n   \n{{\"id\": {i}}}\n{valid}\r\n"));
        input.push_str("{\"id\": \"inv_1\",\n[1, 2\n{} {}\nnull\n\"text\"\n");
        input.push_str(&format!("{valid}\n"));
    }
    input.push_str(&valid);
    input
}

#[test]
fn validate_ndjson_prints_the_same_bytes_for_every_jobs() {
    let input = mixed_invoices();
    let output =
        same_for_every_jobs(&["validate", "--entity", "invoice", "--ndjson"], input.as_bytes());
    assert_eq!(status(&output), 1);
    assert_eq!(stderr(&output), "");
    let reports: Vec<Value> =
        stdout(&output).lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    let numbers: Vec<u64> = reports.iter().map(|r| r["line"].as_u64().unwrap()).collect();
    assert_eq!(numbers, non_blank_line_numbers(&input), "report lines carry input line numbers");
    assert_eq!(reports[0]["valid"], true, "a byte order mark on line 1 is not the document's");
    assert_eq!(reports.last().unwrap()["valid"], true, "the last line has no line ending");
    // Positions in messages are input positions too.
    let malformed = &reports[5];
    assert_eq!(codes(malformed), ["JSON-SYNTAX"]);
    let message = malformed["violations"][0]["message"].as_str().unwrap();
    let line = malformed["line"].as_u64().unwrap();
    assert!(message.contains(&format!("(line {line}, column")), "{message}");
}

#[test]
fn validate_ndjson_reports_a_non_utf8_line_and_goes_on_for_every_jobs() {
    let mut input = mixed_invoices().into_bytes();
    let lines_before = input.iter().filter(|&&b| b == b'\n').count();
    input.extend_from_slice(b"\n");
    let offset = input.len() + 10;
    input.extend_from_slice(b"{\"id\": \"Gr\xfc\xdfe\"}\n");
    input.extend_from_slice(mixed_invoices().as_bytes());
    let output = same_for_every_jobs(&["validate", "-e", "invoice", "--ndjson"], &input);
    assert_eq!(status(&output), 1);
    assert_eq!(stderr(&output), "");
    let bad_line = lines_before + 2;
    let reports: Vec<Value> =
        stdout(&output).lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    let bad = reports.iter().find(|r| r["line"] == bad_line).expect("a report for the line");
    assert_eq!(codes(bad), ["JSON-SYNTAX"]);
    assert_eq!(
        bad["violations"][0]["message"],
        format!(
            "expected UTF-8 text, but found the byte 0xFC (line {bad_line}, column 11; \
             byte offset {offset} of the input)"
        )
    );
    // The stream went on to the end.
    let last = reports.last().unwrap()["line"].as_u64().unwrap() as usize;
    assert_eq!(last, input.iter().filter(|&&b| b == b'\n').count() + 1, "the last line");
}

/// Every Stripe invoice fixture on one line each, with lines that cannot be
/// mapped (malformed JSON, not an invoice, not an object) and blank lines,
/// many times over.
fn mixed_stripe_invoices() -> String {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/stripe/invoice");
    let mut paths: Vec<PathBuf> = std::fs::read_dir(dir)
        .unwrap()
        .map(|entry| entry.unwrap().path())
        .filter(|path| path.extension().is_some_and(|ext| ext == "json"))
        .collect();
    paths.sort();
    assert!(paths.len() >= 5, "{paths:?}");
    // Pretty-printed JSON has line breaks only between tokens.
    let one_line =
        |path: &PathBuf| std::fs::read_to_string(path).unwrap().replace(['\n', '\r'], " ");
    let fixtures: Vec<String> = paths.iter().map(one_line).collect();
    let mut input = String::new();
    for round in 0..12 {
        for (i, fixture) in fixtures.iter().enumerate() {
            input.push_str(fixture);
            input.push('\n');
            match (round + i) % 4 {
                0 => input.push_str("{\"object\": \"invoice\", \"id\": \n"),
                1 => input.push('\n'),
                2 => input.push_str(&format!("{STRIPE_CUSTOMER_LINE}\n42\n")),
                _ => {}
            }
        }
    }
    input
}

/// A Stripe customer on one line: JSON, but not an invoice.
const STRIPE_CUSTOMER_LINE: &str =
    r#"{"id":"cus_T1","object":"customer","name":"Acme GmbH","created":1764028800}"#;

#[test]
fn map_ndjson_prints_the_same_bytes_for_every_jobs() {
    let input = mixed_stripe_invoices();
    let args = ["map", "--from", "stripe", "--object", "invoice", "--ndjson"];
    let output = same_for_every_jobs(&args, input.as_bytes());
    assert_eq!(status(&output), 1);
    let input_lines: Vec<&str> = input.lines().collect();
    let mapped = stdout(&output);
    let output_lines: Vec<&str> = mapped.lines().collect();
    assert_eq!(output_lines.len(), input_lines.len(), "output line N belongs to input line N");
    let mut errors = 0;
    for (i, (out, line)) in output_lines.iter().zip(&input_lines).enumerate() {
        if line.trim().is_empty() {
            assert_eq!(*out, "", "line {}", i + 1);
            continue;
        }
        let value: Value = serde_json::from_str(out).unwrap();
        if let Some(error) = value.get("error") {
            errors += 1;
            assert_eq!(value["line"].as_u64().unwrap(), i as u64 + 1, "{out}");
            let kind = error["kind"].as_str().unwrap();
            if line.starts_with("{\"object\": \"invoice\", \"id\":") {
                assert_eq!(kind, "json_syntax", "{out}");
            }
        }
    }
    assert!(errors >= 12 * 3, "{errors} error lines");
    assert!(stderr(&output).contains("could not be mapped"), "{}", stderr(&output));

    let mut with_report = args.to_vec();
    with_report.push("--report");
    let output = same_for_every_jobs(&with_report, input.as_bytes());
    assert_eq!(status(&output), 1);
    let reports: Vec<Value> =
        stderr(&output).lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert!(!reports.is_empty());
    for report in &reports {
        let line = report["line"].as_u64().unwrap() as usize;
        assert!(input_lines[line - 1].contains("\"object\""), "line {line} is a document");
        assert!(!output_lines[line - 1].starts_with("{\"line\""), "line {line} was mapped");
    }
}

#[test]
fn map_ndjson_report_interleaves_stdout_and_stderr_the_same_for_every_jobs() {
    // Both streams into one file, as `> all 2>&1` does: the lines of the two
    // streams come in the same order too.
    let input = TempFile::new("interleaved.ndjson", mixed_stripe_invoices().as_bytes());
    let mut reference: Option<Vec<u8>> = None;
    for jobs in JOBS {
        let path = unique_temp_path("both.out");
        let both = std::fs::File::create(&path).unwrap();
        let status = Command::new(BIN)
            .args(["map", "--from", "stripe", "--object", "invoice", "--ndjson", "--report"])
            .args(["--jobs", jobs, input.path()])
            .current_dir(env!("CARGO_MANIFEST_DIR"))
            .stdin(Stdio::null())
            .stdout(both.try_clone().unwrap())
            .stderr(both)
            .status()
            .unwrap();
        assert_eq!(status.code(), Some(1));
        let written = std::fs::read(&path).unwrap();
        let _ = std::fs::remove_file(&path);
        match &reference {
            None => reference = Some(written),
            Some(expected) => assert!(&written == expected, "--jobs {jobs}: another order"),
        }
    }
}

#[test]
fn map_ndjson_reports_a_non_utf8_line_and_goes_on_for_every_jobs() {
    let mut input = mixed_stripe_invoices().into_bytes();
    let lines_before = input.iter().filter(|&&b| b == b'\n').count();
    let offset = input.len() + 11;
    input.extend_from_slice(b"{\"id\": \"in_\xff\"}\n");
    input.extend_from_slice(mixed_stripe_invoices().as_bytes());
    let args = ["map", "--from", "stripe", "--object", "invoice", "--ndjson"];
    let output = same_for_every_jobs(&args, &input);
    assert_eq!(status(&output), 1);
    let out = stdout(&output);
    let lines: Vec<&str> = out.lines().collect();
    assert_eq!(lines.len(), input.iter().filter(|&&b| b == b'\n').count(), "one line each");
    let bad: Value = serde_json::from_str(lines[lines_before]).unwrap();
    let line = lines_before + 1;
    assert_eq!(
        bad,
        serde_json::json!({"line": line, "error": {"kind": "json_syntax", "message": format!(
            "expected UTF-8 text, but found the byte 0xFF (line {line}, column 12; \
             byte offset {offset} of the input)"
        )}})
    );
}

#[test]
fn jobs_must_be_a_whole_number_of_at_least_one() {
    for (command, jobs, found) in [
        (&["validate", "-e", "invoice", "--ndjson"][..], "0", "`0`"),
        (&["validate", "-e", "invoice", "--ndjson"][..], "two", "`two`"),
        (&["validate", "-e", "invoice"][..], "-1", "`-1`"),
        (&["map", "--from", "stripe", "--object", "invoice", "--ndjson"][..], "0", "`0`"),
        (&["map", "--from", "stripe", "--object", "invoice"][..], "1.5", "`1.5`"),
    ] {
        let jobs_arg = format!("--jobs={jobs}");
        let mut args = command.to_vec();
        args.push(&jobs_arg);
        let output = run(&args, "{}\n");
        assert_eq!(status(&output), 2, "{args:?}");
        assert!(stdout(&output).is_empty(), "{args:?}");
        let message = stderr(&output);
        assert!(message.contains("expected a number of jobs"), "{args:?}: {message}");
        assert!(message.contains(&format!("but found {found}")), "{args:?}: {message}");
    }
}

#[test]
fn single_document_mode_ignores_jobs() {
    let invoice = example(VALID_INVOICE).to_string();
    let plain = run(&["validate", "-e", "invoice"], &invoice);
    for jobs in ["1", "3"] {
        let output = run(&["validate", "-e", "invoice", "--jobs", jobs], &invoice);
        assert_eq!((status(&output), output.stdout.clone()), (0, plain.stdout.clone()));
    }
    let customer =
        run(&["map", "--from", "stripe", "--object", "customer", "-j", "2"], STRIPE_CUSTOMER_LINE);
    assert_eq!(status(&customer), 0, "{}", stderr(&customer));
}

#[test]
fn help_describes_jobs() {
    for command in ["validate", "map"] {
        let output = run(&[command, "--help"], "");
        assert_eq!(status(&output), 0);
        let help = stdout(&output);
        assert!(help.contains("--jobs <N>"), "{command}: {help}");
        assert!(help.contains("the number of CPUs"), "{command}: {help}");
    }
}

/// Kills the child when a test fails before it is waited for.
struct Reaped(std::process::Child);

impl Drop for Reaped {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

#[test]
fn a_live_pipe_gets_each_output_line_before_the_next_input_line() {
    let valid = example(VALID_INVOICE).to_string();
    let customer = STRIPE_CUSTOMER_LINE;
    for jobs in ["1", "2", "4"] {
        for (args, line) in [
            (&["validate", "-e", "invoice", "--ndjson"][..], valid.as_str()),
            (&["map", "--from", "stripe", "--object", "customer", "--ndjson"][..], customer),
        ] {
            let mut child = Reaped(
                Command::new(BIN)
                    .args(args)
                    .args(["--jobs", jobs])
                    .current_dir(env!("CARGO_MANIFEST_DIR"))
                    .stdin(Stdio::piped())
                    .stdout(Stdio::piped())
                    .stderr(Stdio::null())
                    .spawn()
                    .unwrap(),
            );
            let mut stdin = child.0.stdin.take().unwrap();
            let stdout = BufReader::new(child.0.stdout.take().unwrap());
            let (tx, rx) = mpsc::channel();
            let reader = std::thread::spawn(move || {
                for line in stdout.lines() {
                    if tx.send(line.unwrap()).is_err() {
                        break;
                    }
                }
            });
            for n in 1..=4 {
                stdin.write_all(line.as_bytes()).unwrap();
                stdin.write_all(b"\n").unwrap();
                stdin.flush().unwrap();
                let out = rx.recv_timeout(Duration::from_secs(60)).unwrap_or_else(|_| {
                    panic!("{args:?} --jobs {jobs}: no output for line {n} while it waits")
                });
                assert!(serde_json::from_str::<Value>(&out).is_ok(), "{out}");
            }
            drop(stdin);
            let status = child.0.wait().unwrap();
            reader.join().unwrap();
            assert!(status.success(), "{args:?} --jobs {jobs}");
        }
    }
}

#[test]
fn a_reader_that_closes_the_pipe_early_stops_every_jobs_quietly_with_2() {
    let stripe = STRIPE_CUSTOMER_LINE;
    let input: String = (0..20_000).map(|_| format!("{stripe}\n")).collect();
    for jobs in ["1", "2", "4"] {
        let mut child = Reaped(
            Command::new(BIN)
                .args(["map", "--from", "stripe", "--object", "customer", "--ndjson"])
                .args(["--jobs", jobs, "-"])
                .current_dir(env!("CARGO_MANIFEST_DIR"))
                .stdin(Stdio::piped())
                .stdout(Stdio::piped())
                .stderr(Stdio::piped())
                .spawn()
                .unwrap(),
        );
        let mut pipe = child.0.stdin.take().unwrap();
        let input = input.clone();
        let writer = std::thread::spawn(move || {
            let _ = pipe.write_all(input.as_bytes());
        });
        let mut out = BufReader::new(child.0.stdout.take().unwrap());
        let mut first = String::new();
        out.read_line(&mut first).unwrap();
        assert!(serde_json::from_str::<Value>(&first).is_ok(), "{first}");
        drop(out);
        let mut err = String::new();
        std::io::Read::read_to_string(&mut child.0.stderr.take().unwrap(), &mut err).unwrap();
        let status = child.0.wait().unwrap();
        writer.join().unwrap();
        assert_eq!(status.code(), Some(2), "--jobs {jobs}");
        assert_eq!(err, "", "--jobs {jobs}: a closed pipe is not an error to report");
    }
}
