//! Many records at once: work spread over threads, results in input order.
//!
//! [`map_ordered`] applies a function to every item of an iterator on
//! several threads and yields the results in the order of the items, as
//! `items.into_iter().map(f)` would, while at most a bounded number of items
//! are in flight: memory follows the chunks being worked on, never the
//! length of the input. [`validate_json`] does this for a batch of JSON
//! documents.
//!
//! No thread pool is forced on anyone: there is no global pool and no new
//! dependency. The threads are scoped threads of the caller's
//! [`std::thread::scope`], they live only as long as the returned iterator,
//! and with [`Jobs::ONE`] there are none at all (the iterator is then
//! exactly `items.into_iter().map(f)`). The `canonical-finance` tool's
//! `--jobs N` runs its NDJSON lines through [`map_ordered`].
//!
//! # How the work moves
//!
//! One feeder thread pulls items from the input iterator and hands them out
//! in chunks (see [`Jobs::with_chunk`]); `threads` workers apply the function
//! to a chunk at a time; the iterator's `next`, on the caller's thread, puts
//! the chunks back in order. At most twice as many chunks as threads exist
//! at once — queued, being worked on, or done and waiting for an earlier
//! chunk — so a slow item holds up at most that much work behind it.
//!
//! A panic in the function (or in the input iterator) is raised again on
//! the caller's thread by `next`, where the sequential map would have
//! raised it.
//!
//! # Example
//!
//! ```
//! use canonical_finance::batch::{Jobs, map_ordered};
//! use std::num::NonZeroUsize;
//!
//! let jobs = Jobs::new(NonZeroUsize::new(4).ok_or("four is not zero")?);
//! let squares: Vec<u64> =
//!     std::thread::scope(|scope| map_ordered(scope, 1..=10u64, jobs, |n| n * n).collect());
//! assert_eq!(squares, [1, 4, 9, 16, 25, 36, 49, 64, 81, 100]);
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use std::any::Any;
use std::collections::BTreeMap;
use std::fmt;
use std::num::NonZeroUsize;
use std::panic::{self, AssertUnwindSafe};
use std::sync::mpsc::{self, Receiver, Sender, SyncSender};
use std::sync::{Arc, Mutex, PoisonError};
use std::thread::{self, Scope};

use crate::model::Entity;
use crate::validate::{Profile, ValidationReport};

/// The most items a chunk carries when [`Jobs::with_chunk`] did not say.
const MAX_AUTO_CHUNK: usize = 64;

/// How many threads work on a batch, and how many items each hand-off
/// carries.
///
/// `Jobs` converts from a [`NonZeroUsize`] (the number of threads), so the
/// functions of this module take either.
///
/// # Example
///
/// ```
/// use canonical_finance::batch::Jobs;
/// use std::num::NonZeroUsize;
///
/// assert_eq!(Jobs::ONE.threads().get(), 1);
/// assert!(Jobs::available().threads().get() >= 1);
/// let four = NonZeroUsize::new(4).ok_or("four is not zero")?;
/// assert_eq!(Jobs::from(four), Jobs::new(four));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Jobs {
    threads: NonZeroUsize,
    chunk: Option<NonZeroUsize>,
}

impl Jobs {
    /// One thread: the caller's own. No thread is started; the work is the
    /// sequential `map`.
    pub const ONE: Jobs = Jobs { threads: NonZeroUsize::MIN, chunk: None };

    /// `threads` threads (1 is [`Jobs::ONE`]).
    ///
    /// ```
    /// use canonical_finance::batch::Jobs;
    /// use std::num::NonZeroUsize;
    ///
    /// assert_eq!(Jobs::new(NonZeroUsize::MIN), Jobs::ONE);
    /// ```
    #[must_use]
    pub const fn new(threads: NonZeroUsize) -> Jobs {
        Jobs { threads, chunk: None }
    }

    /// As many threads as [`std::thread::available_parallelism`] says the
    /// program may use; one when it cannot tell.
    ///
    /// ```
    /// use canonical_finance::batch::Jobs;
    ///
    /// assert!(Jobs::available().threads().get() >= 1);
    /// ```
    #[must_use]
    pub fn available() -> Jobs {
        Jobs::new(thread::available_parallelism().unwrap_or(NonZeroUsize::MIN))
    }

    /// Hands the items to the threads `items` at a time.
    ///
    /// Larger chunks make the cost of a hand-off (a few microseconds when a
    /// thread must be woken) small beside the work on the items; smaller
    /// ones keep every thread busy to the end of a short batch and bound
    /// memory more tightly (at most `2 × threads` chunks are in flight).
    /// Without this setting a chunk is one item for an iterator that does
    /// not know its length, and otherwise its length divided by
    /// `8 × threads`, between 1 and 64 items.
    ///
    /// ```
    /// use canonical_finance::batch::{Jobs, map_ordered};
    /// use std::num::NonZeroUsize;
    ///
    /// let two = NonZeroUsize::new(2).ok_or("two is not zero")?;
    /// let jobs = Jobs::new(two).with_chunk(NonZeroUsize::new(100).ok_or("not zero")?);
    /// let lengths: Vec<usize> = std::thread::scope(|scope| {
    ///     map_ordered(scope, ["a", "bb", "ccc"], jobs, str::len).collect()
    /// });
    /// assert_eq!(lengths, [1, 2, 3]);
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    #[must_use]
    pub const fn with_chunk(self, items: NonZeroUsize) -> Jobs {
        Jobs { threads: self.threads, chunk: Some(items) }
    }

    /// The number of threads.
    ///
    /// ```
    /// use canonical_finance::batch::Jobs;
    ///
    /// assert_eq!(Jobs::ONE.threads().get(), 1);
    /// ```
    #[must_use]
    pub const fn threads(self) -> NonZeroUsize {
        self.threads
    }

    /// The chunk size for an input whose `size_hint` lower bound is
    /// `known`.
    fn chunk_for(self, known: usize) -> usize {
        match self.chunk {
            Some(items) => items.get(),
            None => known
                .checked_div(self.threads.get().saturating_mul(8))
                .unwrap_or(0)
                .clamp(1, MAX_AUTO_CHUNK),
        }
    }
}

impl Default for Jobs {
    /// [`Jobs::available`].
    fn default() -> Jobs {
        Jobs::available()
    }
}

impl From<NonZeroUsize> for Jobs {
    fn from(threads: NonZeroUsize) -> Jobs {
        Jobs::new(threads)
    }
}

/// Applies `f` to every item on `jobs` threads of `scope` and yields the
/// results in the order of the items.
///
/// The same results as `items.into_iter().map(f)`, in the same order, for
/// any number of threads. The threads run ahead of `next`, by at most
/// `2 × threads` chunks (see [`Jobs::with_chunk`]): `f` may run for items
/// whose results are never asked for when the iterator is dropped early;
/// the threads then stop after the chunk they are on, and the scope waits
/// for them (and for an input iterator that is in the middle of `next`).
/// With one thread nothing runs ahead: no thread is started and `next`
/// calls `f` itself.
///
/// The scope is the caller's so that `f` and the items may borrow what
/// lives outside it (a registry, a mapper, the documents): the threads end
/// with the scope at the latest, and no pool outlives the call.
///
/// A panic in `f` or in the input iterator is raised again by `next` at
/// the position of the item. A thread that cannot be started is done
/// without; when none can, the work is done on the caller's thread.
///
/// # Example
///
/// Reports in input order, with the line numbers of a file:
///
/// ```
/// use canonical_finance::batch::{Jobs, map_ordered};
/// use canonical_finance::model::Entity;
/// use canonical_finance::validate::{Profile, validate_json};
///
/// let ndjson = "{\"id\": 1}\n\n{\"id\": \"pay_1\"}\nnot json\n";
/// let lines = ndjson.lines().enumerate().filter(|(_, l)| !l.trim().is_empty());
/// let jobs = Jobs::available();
/// let summary: Vec<(usize, bool)> = std::thread::scope(|scope| {
///     map_ordered(scope, lines, jobs, |(i, line)| {
///         let valid = validate_json(Entity::Payment, line, Profile::Exact)
///             .is_ok_and(|report| report.is_valid());
///         (i + 1, valid)
///     })
///     .collect()
/// });
/// assert_eq!(summary, [(1, false), (3, false), (4, false)]);
/// ```
pub fn map_ordered<'scope, 'env, I, R, F>(
    scope: &'scope Scope<'scope, 'env>,
    items: I,
    jobs: impl Into<Jobs>,
    f: F,
) -> MapOrdered<'scope, R>
where
    I: IntoIterator,
    I::IntoIter: Send + 'scope,
    I::Item: Send + 'scope,
    R: Send + 'scope,
    F: Fn(I::Item) -> R + Send + Sync + 'scope,
{
    let jobs = jobs.into();
    let items = items.into_iter();
    if jobs.threads.get() == 1 {
        return MapOrdered::inline(items, f);
    }
    let chunk = jobs.chunk_for(items.size_hint().0);
    let in_flight = jobs.threads.get().saturating_mul(2);

    let f = Arc::new(f);
    let (work_tx, work_rx) = mpsc::channel::<(u64, Vec<I::Item>)>();
    let work_rx = Arc::new(Mutex::new(work_rx));
    let (done_tx, done_rx) = mpsc::channel::<Done<R>>();
    let mut started = 0usize;
    for _ in 0..jobs.threads.get() {
        let (f, work_rx, done_tx) = (Arc::clone(&f), Arc::clone(&work_rx), done_tx.clone());
        let worker = thread::Builder::new()
            .name("canonical-finance-batch".to_owned())
            .spawn_scoped(scope, move || work(&*f, &work_rx, &done_tx));
        if worker.is_ok() {
            started = started.saturating_add(1);
        }
    }
    // The feeder takes the items out of the slot once it runs, so that
    // they are still here when it cannot be started.
    let slot = Arc::new(Mutex::new(Some(items)));
    let (token_tx, token_rx) = mpsc::sync_channel::<()>(in_flight);
    let feeder = if started == 0 {
        None
    } else {
        let slot = Arc::clone(&slot);
        thread::Builder::new()
            .name("canonical-finance-batch-feeder".to_owned())
            .spawn_scoped(scope, move || feed(&slot, chunk, &token_tx, &work_tx, &done_tx))
            .ok()
    };
    match feeder {
        Some(_) => MapOrdered {
            inner: Inner::Pooled(Pooled {
                done: done_rx,
                tokens: token_rx,
                waiting: BTreeMap::new(),
                next: 0,
                current: Vec::new().into_iter(),
                panic: None,
            }),
        },
        None => {
            // No worker or no feeder could start: the work is done here. A
            // worker that did start sees its queue close (the sender went
            // with the feeder's closure) and stops.
            let items = slot.lock().unwrap_or_else(PoisonError::into_inner).take();
            let f = move |item| f(item);
            MapOrdered::inline(items.into_iter().flatten(), f)
        }
    }
}

/// Validates every document of `documents` as a JSON record of `entity` on
/// `jobs` threads, and returns the results in the order of the documents:
/// for each, what [`crate::validate::validate_json`] returns for it.
///
/// # Errors
///
/// None of its own: each element is the document's own result, the
/// `serde_json` syntax error when it is not JSON at all.
///
/// # Example
///
/// ```
/// use canonical_finance::batch::{self, Jobs};
/// use canonical_finance::model::Entity;
/// use canonical_finance::validate::Profile;
///
/// let valid = std::fs::read_to_string("schemas/examples/invoice/jpy_invoice.json")?;
/// let documents = [valid.as_str(), r#"{"id": "inv_1"}"#, "{oops"];
/// let results = batch::validate_json(Entity::Invoice, &documents, Profile::Exact, Jobs::available());
/// assert!(results[0].as_ref().is_ok_and(|report| report.is_valid()));
/// assert!(results[1].as_ref().is_ok_and(|report| !report.is_valid()));
/// assert!(results[2].is_err(), "not JSON");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn validate_json<S: AsRef<str> + Sync>(
    entity: Entity,
    documents: &[S],
    profile: Profile,
    jobs: impl Into<Jobs>,
) -> Vec<Result<ValidationReport, serde_json::Error>> {
    let jobs = jobs.into();
    thread::scope(|scope| {
        map_ordered(scope, documents, jobs, |document| {
            crate::validate::validate_json(entity, document.as_ref(), profile)
        })
        .collect()
    })
}

/// A chunk's results under its sequence number.
type Done<R> = (u64, Finished<R>);

/// The results of a chunk's items, up to the panic that stopped it, if one
/// did.
struct Finished<R> {
    results: Vec<R>,
    panic: Option<Box<dyn Any + Send>>,
}

/// The results of [`map_ordered`], in the order of its items.
pub struct MapOrdered<'scope, R> {
    inner: Inner<'scope, R>,
}

enum Inner<'scope, R> {
    /// One thread: the caller's.
    Inline(Box<dyn Iterator<Item = R> + Send + 'scope>),
    /// Workers and a feeder.
    Pooled(Pooled<R>),
}

/// The caller's end of the workers' results.
struct Pooled<R> {
    /// Finished chunks, in the order they finish.
    done: Receiver<Done<R>>,
    /// One token per chunk in flight; taking one lets the feeder send
    /// another chunk.
    tokens: Receiver<()>,
    /// Finished chunks that wait for an earlier one.
    waiting: BTreeMap<u64, Finished<R>>,
    /// The sequence number of the next chunk to yield from.
    next: u64,
    /// The chunk being yielded.
    current: std::vec::IntoIter<R>,
    /// The panic to raise once `current` is yielded.
    panic: Option<Box<dyn Any + Send>>,
}

impl<'scope, R> MapOrdered<'scope, R> {
    fn inline<T>(
        items: impl Iterator<Item = T> + Send + 'scope,
        f: impl Fn(T) -> R + Send + 'scope,
    ) -> MapOrdered<'scope, R> {
        MapOrdered { inner: Inner::Inline(Box::new(items.map(f))) }
    }
}

impl<R> Iterator for MapOrdered<'_, R> {
    type Item = R;

    fn next(&mut self) -> Option<R> {
        let pooled = match &mut self.inner {
            Inner::Inline(items) => return items.next(),
            Inner::Pooled(pooled) => pooled,
        };
        loop {
            if let Some(result) = pooled.current.next() {
                return Some(result);
            }
            if let Some(payload) = pooled.panic.take() {
                panic::resume_unwind(payload);
            }
            match pooled.waiting.remove(&pooled.next) {
                Some(chunk) => {
                    pooled.next = pooled.next.wrapping_add(1);
                    // The feeder took a token for this chunk before it
                    // sent it, so there is one to give back.
                    let _ = pooled.tokens.try_recv();
                    pooled.current = chunk.results.into_iter();
                    pooled.panic = chunk.panic;
                }
                None => match pooled.done.recv() {
                    Ok((seq, chunk)) => {
                        pooled.waiting.insert(seq, chunk);
                    }
                    // Every worker and the feeder have stopped, and every
                    // chunk they sent has been yielded.
                    Err(_) => return None,
                },
            }
        }
    }
}

impl<R> fmt::Debug for MapOrdered<'_, R> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let threaded = matches!(self.inner, Inner::Pooled(_));
        f.debug_struct("MapOrdered").field("threaded", &threaded).finish_non_exhaustive()
    }
}

/// A worker: applies `f` to chunk after chunk until the queue closes or
/// the results are no longer wanted.
fn work<T, R>(f: &impl Fn(T) -> R, queue: &Mutex<Receiver<(u64, Vec<T>)>>, done: &Sender<Done<R>>) {
    loop {
        // The lock is held only while waiting for a chunk, not while working.
        let next = queue.lock().unwrap_or_else(PoisonError::into_inner).recv();
        let Ok((seq, chunk)) = next else { return };
        let mut results = Vec::with_capacity(chunk.len());
        let panic = panic::catch_unwind(AssertUnwindSafe(|| {
            for item in chunk {
                results.push(f(item));
            }
        }))
        .err();
        if done.send((seq, Finished { results, panic })).is_err() {
            return;
        }
    }
}

/// The feeder: pulls chunks of `chunk` items from the input, each once a
/// token says there is room for it.
fn feed<I: Iterator, R>(
    slot: &Mutex<Option<I>>,
    chunk: usize,
    tokens: &SyncSender<()>,
    queue: &Sender<(u64, Vec<I::Item>)>,
    done: &Sender<Done<R>>,
) {
    let Some(mut items) = slot.lock().unwrap_or_else(PoisonError::into_inner).take() else {
        return;
    };
    let mut seq: u64 = 0;
    loop {
        // Room first, then the items: the input is never read further
        // ahead than the bound.
        if tokens.send(()).is_err() {
            return;
        }
        let mut batch = Vec::with_capacity(chunk);
        let mut ended = false;
        let pulled = panic::catch_unwind(AssertUnwindSafe(|| {
            while batch.len() < chunk {
                match items.next() {
                    Some(item) => batch.push(item),
                    None => {
                        ended = true;
                        break;
                    }
                }
            }
        }));
        if !batch.is_empty() {
            if queue.send((seq, batch)).is_err() {
                return;
            }
            seq = seq.wrapping_add(1);
        }
        if let Err(payload) = pulled {
            // After the items pulled before it, as the sequential map
            // would have raised it.
            let _ = done.send((seq, Finished { results: Vec::new(), panic: Some(payload) }));
            return;
        }
        if ended {
            return;
        }
    }
}
