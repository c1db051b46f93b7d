//! NDJSON mode for `validate` and `map`: lines read in chunks, worked on
//! by `--jobs` threads through [`canonical_finance::batch::map_ordered`],
//! and handed back in input order.
//!
//! Output line N still belongs to input line N, and everything a run
//! prints, and its exit status, are the same for every `--jobs`: the
//! commands' per-line work is a function of the line alone, and only the
//! caller's thread writes. Memory follows the lines in flight (at most
//! `2 × jobs` chunks of at most [`CHUNK_LINES`] lines or about
//! [`CHUNK_BYTES`] each), never the input.

use std::io::BufRead;
use std::num::NonZeroUsize;
use std::ops::Range;
use std::sync::mpsc::{self, Receiver, Sender};

use canonical_finance::batch::{Jobs, map_ordered};

use crate::Failure;
use crate::input::{Input, decode_line};

/// The most lines a chunk carries with more than one job.
const CHUNK_LINES: usize = 64;

/// A chunk takes no more lines once it holds this many bytes.
const CHUNK_BYTES: usize = 256 * 1024;

/// One input line, as the per-line work sees it.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Line<'a> {
    /// The 1-based input line number.
    pub(crate) number: u64,
    /// The line without its line ending (and, on line 1, without a byte
    /// order mark).
    pub(crate) text: &'a str,
}

/// Runs `work` on every line of `input` on `jobs` threads, and `emit` on
/// each result, in input order, on this thread.
///
/// Stops at the first failure, after emitting every line before it: a
/// line that cannot be read or is not UTF-8, an `Err` of `work`, or an
/// `Err` of `emit` (output that cannot be written). With one job, each line
/// is read, worked on and emitted before the next is read, and no thread
/// is started.
pub(crate) fn for_each<O, W, E>(
    input: Input,
    jobs: Jobs,
    work: W,
    mut emit: E,
) -> Result<(), Failure>
where
    O: Send,
    W: Fn(Line<'_>) -> Result<O, Failure> + Sync,
    E: FnMut(O) -> Result<(), Failure>,
{
    let name = input.name.clone();
    let limits = if jobs.threads().get() == 1 {
        Limits { lines: 1, bytes: 0 }
    } else {
        Limits { lines: CHUNK_LINES, bytes: CHUNK_BYTES }
    };
    // A chunk's buffers go back to the reader once its lines are worked
    // on, so that reading allocates only while the first chunks are in
    // flight (with one job, one buffer serves every line, as before).
    let (spare_tx, spare_rx) = mpsc::channel();
    let chunks = Chunks { input, line: 0, limits, done: false, spare: spare_rx };
    // The chunks are the items: one chunk per hand-off.
    let jobs = jobs.with_chunk(NonZeroUsize::MIN);
    std::thread::scope(|scope| {
        let work_on = |chunk: Chunk| chunk.work(&name, &work, &spare_tx);
        for worked in map_ordered(scope, chunks, jobs, work_on) {
            for output in worked.outputs {
                emit(output)?;
            }
            if let Some(failure) = worked.failure {
                return Err(failure);
            }
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

/// Consecutive input lines in one buffer.
#[derive(Default)]
struct Chunk {
    bytes: Vec<u8>,
    /// Each line's number and where it is in `bytes` (line ending included).
    lines: Vec<(u64, Range<usize>)>,
    /// Why reading stopped after these lines.
    failure: Option<Failure>,
}

/// What the work on a chunk gave: the outputs of its lines up to the first
/// failure, and that failure.
struct Worked<O> {
    outputs: Vec<O>,
    failure: Option<Failure>,
}

impl Chunk {
    /// Works on the lines in order, up to the first failure, and hands the
    /// emptied buffers to `spare`.
    fn work<O>(
        mut self,
        name: &str,
        work: &impl Fn(Line<'_>) -> Result<O, Failure>,
        spare: &Sender<Chunk>,
    ) -> Worked<O> {
        let mut outputs = Vec::with_capacity(self.lines.len());
        let mut failure = None;
        for (number, range) in self.lines.drain(..) {
            let bytes = self.bytes.get(range).unwrap_or_default();
            match decode_line(name, bytes, number).and_then(|text| work(Line { number, text })) {
                Ok(output) => outputs.push(output),
                Err(stop) => {
                    failure = Some(stop);
                    break;
                }
            }
        }
        let failure = failure.or(self.failure.take());
        self.lines.clear();
        self.bytes.clear();
        // The reader is gone once the input has ended: nothing to give back.
        let _ = spare.send(self);
        Worked { outputs, failure }
    }
}

/// The input cut into chunks.
struct Chunks {
    input: Input,
    /// The number of the last line read.
    line: u64,
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
            match self.input.reader.read_until(b'\n', &mut chunk.bytes) {
                Ok(0) => {
                    self.done = true;
                    break;
                }
                Ok(_) => {
                    self.line = self.line.saturating_add(1);
                    chunk.lines.push((self.line, start..chunk.bytes.len()));
                }
                Err(err) => {
                    chunk.bytes.truncate(start);
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
