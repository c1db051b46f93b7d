//! NDJSON mode for `validate` and `map`: lines read in chunks, worked on
//! by `--jobs` threads through [`canonical_finance::batch::map_ordered`],
//! and written in input order.
//!
//! Output line N still belongs to input line N, and everything a run
//! prints, and its exit status, are the same for every `--jobs`: the
//! commands' per-line work is a function of the line alone, and only the
//! caller's thread writes, line by line in input order (so stdout and
//! stderr interleave as they did). Memory follows the lines in flight (at
//! most `2 × jobs` chunks of at most [`CHUNK_LINES`] lines or about
//! [`CHUNK_BYTES`] each, with their output), never the input.

use std::io::{self, Write};
use std::num::NonZeroUsize;
use std::ops::Range;
use std::sync::mpsc::{self, Receiver};

use canonical_finance::batch::{Jobs, map_ordered};

use crate::Failure;
use crate::input::{Fault, Input, LineRead, decode_line, read_line_bounded, too_long};

/// The most lines a chunk carries with more than one job.
const CHUNK_LINES: usize = 64;

/// A chunk takes no more lines once it holds this many bytes.
const CHUNK_BYTES: usize = 256 * 1024;

/// One input line, as the per-line work sees it.
#[derive(Debug, Clone)]
pub(crate) struct Line<'a> {
    /// The 1-based input line number.
    pub(crate) number: u64,
    /// The line without its line ending (and, on line 1, without a byte
    /// order mark); for a line that is not UTF-8 or is longer than
    /// `--max-bytes`, the fault that the work reports as the line's error.
    pub(crate) text: Result<&'a str, Fault>,
}

/// Where the per-line work writes what the line prints: whole lines,
/// newline included. The buffers are the chunk's, used again for later
/// chunks, so the work allocates no output buffer of its own.
#[derive(Debug, Default)]
pub(crate) struct Out {
    pub(crate) stdout: Vec<u8>,
    pub(crate) stderr: Vec<u8>,
}

/// Runs `work` on every line of `input` on `jobs` threads; on this thread,
/// in input order, writes what each line printed (its stdout, then its
/// stderr) and passes its result to `tally`.
///
/// A line that is not UTF-8, or longer than `max_bytes` (whose bytes are
/// skipped, never held), reaches `work` as a [`Fault`], so that it gets an
/// error line and the stream goes on. Stops at the first failure, after
/// writing every line before it: input that cannot be read, an `Err` of
/// `work`, or output that cannot be written. With one job, each line is read, worked on and
/// written before the next is read, and no thread is started. Stdout is
/// flushed after each chunk, so a live pipe sees every line promptly.
pub(crate) fn for_each<O, W, T>(
    input: Input,
    jobs: Jobs,
    max_bytes: usize,
    work: W,
    mut tally: T,
) -> Result<(), Failure>
where
    O: Send,
    W: Fn(Line<'_>, &mut Out) -> Result<O, Failure> + Sync,
    T: FnMut(O),
{
    let limits = if jobs.threads().get() == 1 {
        Limits { lines: 1, bytes: 0 }
    } else {
        Limits { lines: CHUNK_LINES, bytes: CHUNK_BYTES }
    };
    // A chunk's buffers go back to the reader once its lines are written,
    // so that reading allocates only while the first chunks are in flight
    // (with one job, one set of buffers serves every line).
    let (spare_tx, spare_rx) = mpsc::channel();
    let chunks =
        Chunks { input, line: 0, offset: 0, max_bytes, limits, done: false, spare: spare_rx };
    // The chunks are the items: one chunk per hand-off.
    let jobs = jobs.with_chunk(NonZeroUsize::MIN);
    let mut stdout = io::stdout().lock();
    let mut stderr = io::stderr().lock();
    std::thread::scope(|scope| {
        let work_on = |chunk: Chunk| chunk.work(max_bytes, &work);
        for worked in map_ordered(scope, chunks, jobs, work_on) {
            let Worked { mut chunk, results, failure } = worked;
            chunk.write(&mut stdout, &mut stderr)?;
            results.into_iter().for_each(&mut tally);
            if let Some(failure) = failure {
                return Err(failure);
            }
            chunk.clear();
            // The reader is gone once the input has ended: nothing to give
            // back to.
            let _ = spare_tx.send(chunk);
        }
        Ok(())
    })
}

/// When a chunk is full.
#[derive(Debug, Clone, Copy)]
struct Limits {
    lines: usize,
    bytes: usize,
}

/// Consecutive input lines in one buffer, and what they print.
#[derive(Default)]
struct Chunk {
    bytes: Vec<u8>,
    /// Each line: its number, where it is in `bytes` (line ending
    /// included; empty for a line too long to keep), and where it starts in
    /// the input.
    lines: Vec<Span>,
    /// Why reading stopped after these lines.
    failure: Option<Failure>,
    /// What the lines print.
    out: Out,
    /// Where each line worked on ends in `out.stdout` and `out.stderr`.
    ends: Vec<(usize, usize)>,
}

/// One line of a chunk.
#[derive(Debug, Clone)]
struct Span {
    number: u64,
    range: Range<usize>,
    offset: u64,
    too_long: bool,
}

/// A chunk worked on: its results up to the first failure, and that
/// failure.
struct Worked<O> {
    chunk: Chunk,
    results: Vec<O>,
    failure: Option<Failure>,
}

impl Chunk {
    /// Works on the lines in order, up to the first failure.
    fn work<O>(
        mut self,
        max_bytes: usize,
        work: &impl Fn(Line<'_>, &mut Out) -> Result<O, Failure>,
    ) -> Worked<O> {
        let mut results = Vec::with_capacity(self.lines.len());
        let mut failure = None;
        for span in &self.lines {
            let number = span.number;
            let text = if span.too_long {
                Err(too_long(number, max_bytes))
            } else {
                let bytes = self.bytes.get(span.range.clone()).unwrap_or_default();
                decode_line(bytes, number, span.offset)
            };
            match work(Line { number, text }, &mut self.out) {
                Ok(result) => {
                    results.push(result);
                    self.ends.push((self.out.stdout.len(), self.out.stderr.len()));
                }
                Err(stop) => {
                    failure = Some(stop);
                    break;
                }
            }
        }
        let failure = failure.or(self.failure.take());
        Worked { chunk: self, results, failure }
    }

    /// Writes what the lines print, line by line: the stdout of the lines
    /// up to one that prints on stderr in one write, then that stderr line.
    fn write(&self, stdout: &mut impl Write, stderr: &mut impl Write) -> Result<(), Failure> {
        let (mut out_from, mut err_from) = (0, 0);
        for &(out_to, err_to) in &self.ends {
            if err_to > err_from {
                write_range(stdout, &self.out.stdout, out_from..out_to)?;
                write_range(stderr, &self.out.stderr, err_from..err_to)?;
                (out_from, err_from) = (out_to, err_to);
            }
        }
        // Not past the last line worked on: a line whose work failed may
        // have left part of its output.
        let out_to = self.ends.last().map_or(0, |&(out_to, _)| out_to);
        write_range(stdout, &self.out.stdout, out_from..out_to)?;
        stdout.flush().map_err(|err| Failure::output(&err))
    }

    /// Empties the chunk, keeping its buffers.
    fn clear(&mut self) {
        self.bytes.clear();
        self.lines.clear();
        self.failure = None;
        self.out.stdout.clear();
        self.out.stderr.clear();
        self.ends.clear();
    }
}

fn write_range(to: &mut impl Write, bytes: &[u8], range: Range<usize>) -> Result<(), Failure> {
    match bytes.get(range) {
        Some(part) if !part.is_empty() => to.write_all(part).map_err(|err| Failure::output(&err)),
        _ => Ok(()),
    }
}

/// The input cut into chunks.
struct Chunks {
    input: Input,
    /// The number of the last line read.
    line: u64,
    /// How many bytes of the input were read.
    offset: u64,
    /// The longest line kept.
    max_bytes: usize,
    limits: Limits,
    /// The input ended or failed.
    done: bool,
    /// Empty chunks whose buffers can be used again.
    spare: Receiver<Chunk>,
}

impl Iterator for Chunks {
    type Item = Chunk;

    fn next(&mut self) -> Option<Chunk> {
        if self.done {
            return None;
        }
        let mut chunk = self.spare.try_recv().unwrap_or_default();
        while chunk.lines.len() < self.limits.lines && chunk.bytes.len() <= self.limits.bytes {
            // A line that is not in memory yet may be a while coming (a
            // live pipe): the lines read so far go first.
            if !chunk.lines.is_empty() && self.input.reader.buffer().is_empty() {
                break;
            }
            let start = chunk.bytes.len();
            match read_line_bounded(&mut self.input.reader, &mut chunk.bytes, self.max_bytes) {
                Ok(LineRead::End) => {
                    self.done = true;
                    break;
                }
                Ok(read @ (LineRead::Line { consumed } | LineRead::TooLong { consumed })) => {
                    self.line = self.line.saturating_add(1);
                    chunk.lines.push(Span {
                        number: self.line,
                        range: start..chunk.bytes.len(),
                        offset: self.offset,
                        too_long: matches!(read, LineRead::TooLong { .. }),
                    });
                    self.offset = self.offset.saturating_add(consumed);
                }
                Err(err) => {
                    chunk.failure =
                        Some(Failure::Io(format!("cannot read {}: {err}", self.input.name)));
                    self.done = true;
                    break;
                }
            }
        }
        if chunk.lines.is_empty() && chunk.failure.is_none() { None } else { Some(chunk) }
    }
}
