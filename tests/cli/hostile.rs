//! Hostile input, one behaviour: `validate` and `map` refuse duplicate
//! keys, nesting past `--max-depth` and documents or lines past
//! `--max-bytes` for the same reasons, with the JSON Pointer; in NDJSON a
//! bad line (not UTF-8, too long, not JSON) is an error line and the stream
//! goes on to the end.

use proptest::prelude::*;

use super::*;

fn json_lines(output: &Output) -> Vec<Value> {
    stdout(output).lines().map(|l| serde_json::from_str(l).unwrap()).collect()
}

const VALIDATE: [&str; 3] = ["validate", "--entity", "customer"];
const MAP: [&str; 5] = ["map", "--from", "stripe", "--object", "customer"];

fn with<'a>(base: &[&'a str], more: &[&'a str]) -> Vec<&'a str> {
    base.iter().chain(more).copied().collect()
}

#[test]
fn a_duplicate_key_is_refused_by_both_commands_at_its_pointer() {
    let doc = r#"{"id": "cus_1", "object": "customer", "metadata": {"k": "a", "k": "b"}}"#;
    let output = run(&VALIDATE, doc);
    assert_eq!(status(&output), 1);
    let report = single_report(&output);
    assert_eq!(codes(&report), ["JSON-DUPLICATE-KEY"]);
    assert_eq!(report["violations"][0]["path"], "/metadata/k");
    assert_eq!(
        report["violations"][0]["message"],
        "expected the key `k` once, but found it twice (line 1, column 64)"
    );

    let output = run(&MAP, doc);
    assert_eq!(status(&output), 1);
    assert_eq!(stdout(&output), "");
    assert_eq!(
        stderr(&output),
        "canonical-finance: error: <stdin>: at /metadata/k: expected the key `k` once, but found it twice (line 1, column 64)\n"
    );

    // A struct field twice: the same verdict, place and message in both.
    let doc = "{\"id\": \"a\", \"id\": \"b\"}\n";
    let output = run(&with(&VALIDATE, &["--ndjson"]), doc);
    assert_eq!(status(&output), 1);
    let report = &json_lines(&output)[0];
    assert_eq!(codes(report), ["JSON-DUPLICATE-KEY"]);
    assert_eq!(report["violations"][0]["path"], "/id");
    assert_eq!(
        report["violations"][0]["message"],
        "expected the key `id` once, but found it twice (line 1, column 16)"
    );
    let output = run(&with(&MAP, &["--ndjson"]), doc);
    assert_eq!(status(&output), 1);
    assert_eq!(
        json_lines(&output),
        [serde_json::json!({"line": 1, "error": {"kind": "json_duplicate_key", "pointer": "/id",
            "message": "expected the key `id` once, but found it twice (line 1, column 16)"}})]
    );
}

#[test]
fn nesting_past_max_depth_is_refused_by_both_commands_at_its_pointer() {
    let doc = r#"{"id": "cus_1", "metadata": {"x": [[[1]]]}}"#;
    let message = "expected at most 3 levels of nesting, but found more (line 1, column 36)";
    let output = run(&with(&VALIDATE, &["--max-depth", "3"]), doc);
    assert_eq!(status(&output), 1);
    let report = single_report(&output);
    assert_eq!(codes(&report), ["JSON-LIMIT"]);
    assert_eq!(report["violations"][0]["path"], "/metadata/x/0");
    assert_eq!(report["violations"][0]["message"], message);

    let output = run(&with(&MAP, &["--max-depth", "3"]), doc);
    assert_eq!(status(&output), 1);
    assert_eq!(
        stderr(&output),
        format!("canonical-finance: error: <stdin>: at /metadata/x/0: {message}\n")
    );

    // The default is serde_json's 128, the same in both.
    let deep = format!("{}{}\n", "[".repeat(129), "]".repeat(129));
    let output = run(&with(&VALIDATE, &["--ndjson"]), &format!("\n{deep}"));
    let report = &json_lines(&output)[0];
    assert_eq!((report["line"].as_u64(), codes(report)), (Some(2), vec!["JSON-LIMIT".to_owned()]));
    let output = run(&with(&MAP, &["--ndjson"]), &format!("\n{deep}"));
    let out = stdout(&output);
    assert_eq!(out.lines().next(), Some(""), "a blank line is echoed");
    let line: Value = serde_json::from_str(out.lines().nth(1).unwrap()).unwrap();
    assert_eq!(line["error"]["kind"], "json_limit");
    assert_eq!(line["error"]["pointer"], "/0".repeat(128));
    assert_eq!(
        line["error"]["message"],
        "expected at most 128 levels of nesting, but found more (line 2, column 129)"
    );

    for command in [&VALIDATE[..], &MAP[..]] {
        for bad in ["0", "129", "x"] {
            let output = run(&with(command, &["--max-depth", bad]), "{}");
            assert_eq!(status(&output), 2);
            assert!(
                stderr(&output)
                    .contains(&format!("expected a depth from 1 to 128, but found `{bad}`")),
                "{}",
                stderr(&output)
            );
        }
    }
}

#[test]
fn a_document_past_max_bytes_is_refused_before_it_is_parsed() {
    let doc = format!("{{\"id\": \"{}\"}}", "x".repeat(100));
    for command in [&VALIDATE[..], &MAP[..]] {
        let output = run(&with(command, &["--max-bytes", "64"]), &doc);
        assert_eq!(status(&output), 2);
        assert_eq!(stdout(&output), "");
        assert_eq!(
            stderr(&output),
            "canonical-finance: error: <stdin>: expected a document of at most 64 bytes, but \
             found more (--max-bytes sets the limit)\n"
        );
        let output = run(&with(command, &["--max-bytes", "0"]), &doc);
        assert_eq!(status(&output), 2);
    }
}

#[test]
fn an_ndjson_line_past_max_bytes_is_an_error_line_and_the_stream_goes_on() {
    let long = format!("{{\"id\": \"{}\"}}", "x".repeat(10_000));
    let input = format!("{{}}\n{long}\r\n{}\n{{}}", "y".repeat(62));
    let message = "expected a line of at most 64 bytes, but found more at line 2 \
                   (--max-bytes sets the limit)";
    for jobs in ["1", "3"] {
        let output = run(&with(&VALIDATE, &["--ndjson", "--max-bytes", "64", "-j", jobs]), &input);
        assert_eq!(status(&output), 1);
        let reports = json_lines(&output);
        let lines: Vec<u64> = reports.iter().map(|r| r["line"].as_u64().unwrap()).collect();
        assert_eq!(lines, [1, 2, 3, 4]);
        assert_eq!(codes(&reports[1]), ["JSON-LIMIT"]);
        assert_eq!(reports[1]["violations"][0]["message"], message);
        assert_eq!(codes(&reports[2]), ["JSON-SYNTAX"], "64 bytes and a line ending are kept");

        let output = run(&with(&MAP, &["--ndjson", "--max-bytes", "64", "-j", jobs]), &input);
        assert_eq!(status(&output), 1);
        let lines = json_lines(&output);
        assert_eq!(lines.len(), 4);
        assert_eq!(
            lines[1],
            serde_json::json!({"line": 2, "error": {"kind": "json_limit", "message": message}})
        );
    }
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 12, ..ProptestConfig::default() })]

    /// Whatever bytes a line holds, `map --ndjson` prints exactly one line
    /// for it (the mapped document, an error object or a blank line) and
    /// reaches the end of the input; `validate --ndjson` one report per
    /// line that is not blank.
    #[test]
    fn every_ndjson_line_gets_one_output_line_and_the_stream_ends(
        lines in prop::collection::vec(
            prop::collection::vec(any::<u8>().prop_filter("no newline", |b| *b != b'\n'), 0..40),
            1..12,
        ),
        jobs in prop::sample::select(vec!["1", "2"]),
    ) {
        let mut input: Vec<u8> = Vec::new();
        for line in &lines {
            input.extend_from_slice(line);
            input.push(b'\n');
        }
        let output = run_bytes(&with(&MAP, &["--ndjson", "--max-bytes", "30", "-j", jobs]), &input);
        prop_assert!(matches!(status(&output), 0 | 1), "{}", String::from_utf8_lossy(&output.stderr));
        let out = stdout(&output);
        prop_assert_eq!(out.lines().count(), lines.len());

        let output = run_bytes(&with(&VALIDATE, &["--ndjson", "--max-bytes", "30", "-j", jobs]), &input);
        prop_assert!(matches!(status(&output), 0 | 1));
        let numbers: Vec<u64> =
            json_lines(&output).iter().map(|r| r["line"].as_u64().unwrap()).collect();
        // A line gets no report when it is kept (30 bytes or fewer, a `\r`
        // ending aside), UTF-8, and blank.
        let blank = |n: u64, line: &[u8]| {
            let content = line.strip_suffix(b"\r").unwrap_or(line);
            let Ok(text) = std::str::from_utf8(line) else { return false };
            let text = if n == 1 { text.strip_prefix('\u{feff}').unwrap_or(text) } else { text };
            content.len() <= 30 && text.trim().is_empty()
        };
        let expected: Vec<u64> =
            (1u64..).zip(&lines).filter(|(n, line)| !blank(*n, line)).map(|(n, _)| n).collect();
        prop_assert_eq!(numbers, expected);
    }
}
