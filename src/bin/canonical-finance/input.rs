//! Reading the input: a file or stdin, whole or line by line, as UTF-8.

use std::fs::File;
use std::io::{self, BufReader, Read};
use std::path::Path;

use crate::Failure;

/// How much of the input is read at a time.
const READ_BUFFER: usize = 64 * 1024;

/// The input, with the name messages use for it.
///
/// The reader is `Send` so that `--jobs` can read on its own thread, and a
/// [`BufReader`] so that the NDJSON reader can tell when the next line is
/// not in memory yet (see `lines.rs`).
pub(crate) struct Input {
    pub(crate) name: String,
    pub(crate) reader: BufReader<Box<dyn Read + Send>>,
}

pub(crate) fn open(path: &Path) -> Result<Input, Failure> {
    if path == Path::new("-") {
        let reader = BufReader::with_capacity(READ_BUFFER, Box::new(io::stdin()) as Box<_>);
        return Ok(Input { name: "<stdin>".to_owned(), reader });
    }
    let name = path.display().to_string();
    match File::open(path) {
        Ok(file) => {
            let reader = BufReader::with_capacity(READ_BUFFER, Box::new(file) as Box<_>);
            Ok(Input { name, reader })
        }
        Err(err) => Err(Failure::Io(format!("cannot read {name}: {err}"))),
    }
}

/// Reads the whole input as UTF-8 text; a leading byte order mark is kept
/// (see [`strip_bom`]).
pub(crate) fn read_document(input: &mut Input) -> Result<String, Failure> {
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

pub(crate) fn strip_bom(text: &str) -> &str {
    text.strip_prefix('\u{feff}').unwrap_or(text)
}

/// The failure for malformed JSON in single-document mode.
pub(crate) fn malformed(name: &str, err: &serde_json::Error) -> Failure {
    let hint = if err.to_string().starts_with("trailing characters") {
        " (expected one document; use --ndjson for one document per line)"
    } else {
        ""
    };
    Failure::Io(format!("{name}: malformed JSON: {err}{hint}"))
}

/// Input line `line` (1-based) as text, without its line ending (and, on
/// line 1, without a byte order mark).
pub(crate) fn decode_line<'b>(name: &str, bytes: &'b [u8], line: u64) -> Result<&'b str, Failure> {
    let text = std::str::from_utf8(bytes).map_err(|err| {
        let (_, column) = position(bytes, err.valid_up_to());
        Failure::Io(format!("{name}: not UTF-8: invalid byte at line {line} column {column}"))
    })?;
    let text = if line == 1 { strip_bom(text) } else { text };
    Ok(text.trim_end_matches(['\n', '\r']))
}

/// A serde_json error message with the position counted in input lines.
pub(crate) fn relocate(err: &serde_json::Error, line: u64) -> String {
    let full = err.to_string();
    let suffix = format!(" at line {} column {}", err.line(), err.column());
    let message = full.strip_suffix(&suffix).unwrap_or(&full);
    format!("{message} at line {line} column {}", err.column())
}

/// The 1-based line and column (in bytes) of `offset` in `bytes`.
pub(crate) fn position(bytes: &[u8], offset: usize) -> (usize, usize) {
    let before = bytes.get(..offset).unwrap_or(bytes);
    let line = before.iter().filter(|&&b| b == b'\n').count().saturating_add(1);
    let line_start = before.iter().rposition(|&b| b == b'\n').map_or(0, |i| i.saturating_add(1));
    (line, offset.saturating_sub(line_start).saturating_add(1))
}
