//! Reading the input: a file or stdin, whole or line by line, as UTF-8.

use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
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
/// (see [`strip_bom`]). An input of more than `max_bytes` is refused once
/// that many bytes are read, before anything is parsed.
pub(crate) fn read_document(input: &mut Input, max_bytes: usize) -> Result<String, Failure> {
    let mut bytes = Vec::new();
    let limit = u64::try_from(max_bytes).unwrap_or(u64::MAX).saturating_add(1);
    (&mut input.reader)
        .take(limit)
        .read_to_end(&mut bytes)
        .map_err(|err| Failure::Io(format!("cannot read {}: {err}", input.name)))?;
    if bytes.len() > max_bytes {
        return Err(Failure::Io(format!(
            "{}: expected a document of at most {max_bytes} bytes, but found more \
             (--max-bytes sets the limit)",
            input.name
        )));
    }
    String::from_utf8(bytes).map_err(|err| {
        let (line, column) = position(err.as_bytes(), err.utf8_error().valid_up_to());
        Failure::Io(format!(
            "{}: expected UTF-8 text, but found an invalid byte (line {line}, column {column})",
            input.name
        ))
    })
}

pub(crate) fn strip_bom(text: &str) -> &str {
    text.strip_prefix('\u{feff}').unwrap_or(text)
}

/// What is wrong with a document that is not JSON, and where.
pub(crate) struct Syntax {
    /// "expected …, but found …", without the position.
    pub(crate) sentence: String,
    pub(crate) line: usize,
    pub(crate) column: usize,
}

impl Syntax {
    /// serde_json's error for `text`, in the crate's voice.
    pub(crate) fn of_serde(err: &serde_json::Error, text: &str) -> Syntax {
        Syntax {
            sentence: canonical_finance::validate::json_error_sentence(err, text),
            line: err.line(),
            column: err.column(),
        }
    }

    /// The crate's parser's error (already in the voice).
    pub(crate) fn of_parse(err: &canonical_finance::json::ParseError) -> Syntax {
        Syntax { sentence: err.message().to_owned(), line: err.line(), column: err.column() }
    }

    /// The message, with the position counted from input line `first` (the
    /// document's own line 1 is input line `first`).
    pub(crate) fn message_from_line(&self, first: u64) -> String {
        let line =
            first.saturating_add(u64::try_from(self.line).unwrap_or(u64::MAX)).saturating_sub(1);
        format!("{} (line {line}, column {})", self.sentence, self.column)
    }
}

/// The failure for malformed JSON in single-document mode.
pub(crate) fn malformed(name: &str, syntax: &Syntax) -> Failure {
    let hint = if syntax.sentence.starts_with("expected the end of the document") {
        "; use --ndjson for one document per line"
    } else {
        ""
    };
    Failure::Io(format!("{name}: malformed JSON: {}{hint}", syntax.message_from_line(1)))
}

/// Why an NDJSON line is not given to the per-line work as text: it gets
/// an error line of its own, and the stream goes on.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Fault {
    pub(crate) kind: FaultKind,
    pub(crate) message: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum FaultKind {
    /// The line is not UTF-8.
    NotUtf8,
    /// The line is longer than `--max-bytes` (its bytes were skipped, not
    /// kept).
    TooLong,
}

/// Input line `line` (1-based), which starts at byte `offset` of the
/// input, as text without its line ending (and, on line 1, without a byte
/// order mark); for bytes that are not UTF-8, the fault naming the first
/// bad byte, its column and its offset in the input.
pub(crate) fn decode_line(bytes: &[u8], line: u64, offset: u64) -> Result<&str, Fault> {
    let text = std::str::from_utf8(bytes).map_err(|err| {
        let at = err.valid_up_to();
        let (_, column) = position(bytes, at);
        let byte = bytes.get(at).copied().unwrap_or_default();
        let in_input = offset.saturating_add(u64::try_from(at).unwrap_or(u64::MAX));
        Fault {
            kind: FaultKind::NotUtf8,
            message: format!(
                "expected UTF-8 text, but found the byte 0x{byte:02X} (line {line}, column \
                 {column}; byte offset {in_input} of the input)"
            ),
        }
    })?;
    let text = if line == 1 { strip_bom(text) } else { text };
    Ok(text.trim_end_matches(['\n', '\r']))
}

/// What [`read_line_bounded`] read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum LineRead {
    /// The input had ended: nothing was read.
    End,
    /// A line of `consumed` bytes (its ending included), appended.
    Line { consumed: u64 },
    /// A line of `consumed` bytes longer than the limit: skipped to its
    /// newline, and nothing of it appended.
    TooLong { consumed: u64 },
}

/// Reads one line (up to and including `\n`, or to the end of the input)
/// onto `buf`, keeping at most `max_bytes` bytes of it (its line ending
/// aside): a longer line is read on to its newline through the reader's
/// own buffer and dropped, so that memory stays bounded by the limit
/// whatever the line's length.
pub(crate) fn read_line_bounded(
    reader: &mut impl BufRead,
    buf: &mut Vec<u8>,
    max_bytes: usize,
) -> io::Result<LineRead> {
    let start = buf.len();
    // Room for the limit and a `\r\n` ending.
    let room = max_bytes.saturating_add(2);
    let (mut consumed, mut too_long) = (0u64, false);
    loop {
        let available = match reader.fill_buf() {
            Ok(available) => available,
            Err(err) if err.kind() == io::ErrorKind::Interrupted => continue,
            Err(err) => {
                buf.truncate(start);
                return Err(err);
            }
        };
        if available.is_empty() {
            break;
        }
        let (take, ended) = match available.iter().position(|&b| b == b'\n') {
            Some(i) => (i.saturating_add(1), true),
            None => (available.len(), false),
        };
        if !too_long {
            let kept = buf.len().saturating_sub(start);
            if kept.saturating_add(take) > room {
                too_long = true;
                buf.truncate(start);
            } else {
                buf.extend_from_slice(available.get(..take).unwrap_or_default());
            }
        }
        reader.consume(take);
        consumed = consumed.saturating_add(u64::try_from(take).unwrap_or(u64::MAX));
        if ended {
            break;
        }
    }
    if consumed == 0 {
        return Ok(LineRead::End);
    }
    let content = buf.get(start..).unwrap_or_default();
    let content = content.strip_suffix(b"\n").unwrap_or(content);
    let content = content.strip_suffix(b"\r").unwrap_or(content);
    if too_long || content.len() > max_bytes {
        buf.truncate(start);
        return Ok(LineRead::TooLong { consumed });
    }
    Ok(LineRead::Line { consumed })
}

/// The fault of a line longer than `max_bytes`.
pub(crate) fn too_long(line: u64, max_bytes: usize) -> Fault {
    Fault {
        kind: FaultKind::TooLong,
        message: format!(
            "expected a line of at most {max_bytes} bytes, but found more at line {line} \
             (--max-bytes sets the limit)"
        ),
    }
}

/// A serde_json error message with the position counted in input lines.
pub(crate) fn relocate(err: &serde_json::Error, text: &str, line: u64) -> String {
    Syntax::of_serde(err, text).message_from_line(line)
}

/// A message of the crate's (`(line 1, column C)`: the document is line 1
/// for it) with the position counted in input lines.
pub(crate) fn relocate_message(message: &str, line: u64) -> String {
    const FIRST_LINE: &str = " (line 1, column ";
    match message.rfind(FIRST_LINE) {
        Some(at) if line != 1 => {
            let column = message.get(at.saturating_add(FIRST_LINE.len())..).unwrap_or_default();
            let head = message.get(..at).unwrap_or_default();
            format!("{head} (line {line}, column {column}")
        }
        _ => message.to_owned(),
    }
}

/// The 1-based line and column (in bytes) of `offset` in `bytes`.
pub(crate) fn position(bytes: &[u8], offset: usize) -> (usize, usize) {
    let before = bytes.get(..offset).unwrap_or(bytes);
    let line = before.iter().filter(|&&b| b == b'\n').count().saturating_add(1);
    let line_start = before.iter().rposition(|&b| b == b'\n').map_or(0, |i| i.saturating_add(1));
    (line, offset.saturating_sub(line_start).saturating_add(1))
}

#[cfg(test)]
#[allow(clippy::arithmetic_side_effects, clippy::indexing_slicing, clippy::unwrap_used)]
mod tests {
    use super::*;

    /// A reader of `len` bytes of `x` and a newline, then `{}`, made up as
    /// it is read: nothing of it is in memory but the reader's buffer.
    struct Long {
        left: u64,
        tail: &'static [u8],
    }

    impl Read for Long {
        fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
            if self.left == 0 {
                let n = self.tail.len().min(buf.len());
                buf[..n].copy_from_slice(&self.tail[..n]);
                self.tail = &self.tail[n..];
                return Ok(n);
            }
            let n = buf.len().min(usize::try_from(self.left).unwrap_or(usize::MAX));
            buf[..n].fill(b'x');
            self.left -= n as u64;
            Ok(n)
        }
    }

    #[test]
    fn a_line_past_the_limit_is_skipped_without_holding_it() {
        let len = 256 * 1024 * 1024;
        let mut reader = BufReader::with_capacity(READ_BUFFER, Long { left: len, tail: b"\n{}" });
        let mut buf = Vec::new();
        let read = read_line_bounded(&mut reader, &mut buf, 1024).unwrap();
        assert_eq!(read, LineRead::TooLong { consumed: len + 1 });
        assert!(buf.is_empty());
        // Never more than the limit and a line ending were kept.
        assert!(buf.capacity() <= 2 * 1024 + 2, "{}", buf.capacity());
        assert_eq!(
            read_line_bounded(&mut reader, &mut buf, 1024).unwrap(),
            LineRead::Line { consumed: 2 }
        );
        assert_eq!(buf, b"{}");
        assert_eq!(read_line_bounded(&mut reader, &mut buf, 1024).unwrap(), LineRead::End);
    }

    #[test]
    fn the_limit_counts_the_line_without_its_ending() {
        for (input, max, expected) in [
            (&b"abcd\r\n"[..], 4, LineRead::Line { consumed: 6 }),
            (b"abcd\n", 4, LineRead::Line { consumed: 5 }),
            (b"abcd", 4, LineRead::Line { consumed: 4 }),
            (b"abcde\n", 4, LineRead::TooLong { consumed: 6 }),
            (b"abc\r\r\n", 4, LineRead::Line { consumed: 6 }),
            (b"abcd\r\r\n", 4, LineRead::TooLong { consumed: 7 }),
        ] {
            let mut reader = BufReader::with_capacity(2, input);
            let mut buf = Vec::new();
            assert_eq!(
                read_line_bounded(&mut reader, &mut buf, max).unwrap(),
                expected,
                "{input:?}"
            );
        }
    }

    #[test]
    fn a_line_that_is_not_utf8_names_the_byte_its_column_and_offset() {
        let fault = decode_line(b"{\"a\": \"\xe9\"}\n", 3, 100).unwrap_err();
        assert_eq!(fault.kind, FaultKind::NotUtf8);
        assert_eq!(
            fault.message,
            "expected UTF-8 text, but found the byte 0xE9 (line 3, column 8; byte offset 107 \
             of the input)"
        );
    }
}
