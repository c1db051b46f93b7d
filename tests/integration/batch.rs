//! `batch`: results in input order for any number of threads, bounded work
//! in flight, panics where the sequential map would raise them.

use std::num::NonZeroUsize;
use std::panic::{self, AssertUnwindSafe};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::thread;

use canonical_finance::batch::{self, Jobs, map_ordered};
use canonical_finance::model::Entity;
use canonical_finance::validate::{Profile, validate_json};
use proptest::prelude::*;

fn jobs(threads: usize) -> Jobs {
    Jobs::new(NonZeroUsize::new(threads).unwrap())
}

fn chunk(items: usize) -> NonZeroUsize {
    NonZeroUsize::new(items).unwrap()
}

/// Some work whose cost varies from item to item, so that later items
/// often finish first.
fn uneven(n: u32) -> (u32, u64) {
    let rounds = u64::from(n % 7) * 200;
    let mut acc = u64::from(n);
    for i in 0..rounds {
        acc = acc.wrapping_mul(6_364_136_223_846_793_005).wrapping_add(i);
    }
    (n, acc)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// For any input, any number of threads and any chunk size, the
    /// results are the sequential map's, in its order.
    #[test]
    fn map_ordered_equals_the_sequential_map(
        items in prop::collection::vec(any::<u32>(), 0..300),
        threads in 1usize..=8,
        chunk_size in prop::option::of(1usize..=10),
        unknown_length in any::<bool>(),
    ) {
        let expected: Vec<(u32, u64)> = items.iter().copied().map(uneven).collect();
        let jobs = match chunk_size {
            Some(n) => jobs(threads).with_chunk(chunk(n)),
            None => jobs(threads),
        };
        let got: Vec<(u32, u64)> = thread::scope(|scope| {
            if unknown_length {
                // An iterator that does not know its length.
                let input = items.iter().copied().filter(|_| true);
                map_ordered(scope, input, jobs, uneven).collect()
            } else {
                map_ordered(scope, items.iter().copied(), jobs, uneven).collect()
            }
        });
        prop_assert_eq!(got, expected);
    }
}

#[test]
fn one_job_starts_no_thread_and_runs_on_the_callers_thread() {
    let caller = thread::current().id();
    let ids: Vec<_> = thread::scope(|scope| {
        map_ordered(scope, 0..5, Jobs::ONE, |_| thread::current().id()).collect()
    });
    assert_eq!(ids, vec![caller; 5]);
    let names: Vec<Option<String>> = thread::scope(|scope| {
        map_ordered(scope, 0..64, jobs(3), |_| thread::current().name().map(str::to_owned))
            .collect()
    });
    assert!(names.iter().all(|n| n.as_deref() == Some("canonical-finance-batch")), "{names:?}");
}

#[test]
fn work_in_flight_is_bounded_by_the_chunks_not_the_input() {
    for (threads, chunk_size) in [(1, 1), (2, 1), (2, 5), (4, 3), (8, 1)] {
        let pulled = AtomicUsize::new(0);
        let input = (0..2_000u32).inspect(|_| {
            pulled.fetch_add(1, Ordering::SeqCst);
        });
        let jobs = jobs(threads).with_chunk(chunk(chunk_size));
        // Chunks with a token (2 × threads) and the chunk being yielded.
        let bound = (2 * threads + 1) * chunk_size;
        let mut most = 0;
        thread::scope(|scope| {
            for (yielded, n) in map_ordered(scope, input, jobs, |n| n).enumerate() {
                assert_eq!(n as usize, yielded);
                // A slow reader: the workers could run far ahead if allowed.
                if yielded % 100 == 0 {
                    thread::sleep(std::time::Duration::from_millis(2));
                }
                let ahead = pulled.load(Ordering::SeqCst) - yielded;
                most = most.max(ahead);
                assert!(ahead <= bound, "{threads} threads, chunks of {chunk_size}: {ahead} ahead");
            }
        });
        assert_eq!(pulled.load(Ordering::SeqCst), 2_000);
        if threads > 1 {
            assert!(most > chunk_size, "the workers do run ahead ({most})");
        }
    }
}

#[test]
fn dropping_the_iterator_early_stops_the_threads() {
    let calls = AtomicUsize::new(0);
    let first: Vec<u64> = thread::scope(|scope| {
        let jobs = jobs(4).with_chunk(chunk(2));
        map_ordered(scope, 0..1_000_000u64, jobs, |n| {
            calls.fetch_add(1, Ordering::SeqCst);
            n * 2
        })
        .take(3)
        .collect()
    });
    assert_eq!(first, [0, 2, 4]);
    // The scope has joined every thread; they stopped near the start: the
    // 2 × jobs chunks in flight, plus (timing on a loaded machine) the
    // feeder's chunk being filled and one a worker took as the iterator
    // was dropped — never the million items.
    assert!(
        calls.load(Ordering::SeqCst) <= (2 * 4 + 2) * 2 + 2,
        "{}",
        calls.load(Ordering::SeqCst)
    );
}

#[test]
fn a_panic_in_the_work_is_raised_at_its_item() {
    for threads in [1, 2, 4] {
        let mut seen = Vec::new();
        let caught = panic::catch_unwind(AssertUnwindSafe(|| {
            thread::scope(|scope| {
                let work = |n: u32| if n == 37 { panic!("item {n} is broken") } else { n };
                for n in map_ordered(scope, 0..100u32, jobs(threads).with_chunk(chunk(4)), work) {
                    seen.push(n);
                }
            });
        }));
        let payload = caught.expect_err("the panic comes through");
        let message = payload.downcast_ref::<String>().cloned().unwrap_or_default();
        assert_eq!(message, "item 37 is broken", "{threads} threads");
        assert_eq!(seen, (0..37).collect::<Vec<_>>(), "{threads} threads: everything before it");
    }
}

#[test]
fn a_panic_in_the_input_is_raised_after_the_items_before_it() {
    for threads in [1, 3] {
        let mut seen = Vec::new();
        let caught = panic::catch_unwind(AssertUnwindSafe(|| {
            thread::scope(|scope| {
                let input = (0..100u32).map(|n| if n == 10 { panic!("input {n}") } else { n });
                for n in map_ordered(scope, input, jobs(threads).with_chunk(chunk(3)), |n| n + 1) {
                    seen.push(n);
                }
            });
        }));
        assert!(caught.is_err(), "{threads} threads");
        assert_eq!(seen, (1..=10).collect::<Vec<_>>(), "{threads} threads");
    }
}

#[test]
fn validate_json_gives_each_documents_own_result_in_order() {
    let mut documents: Vec<String> = std::fs::read_dir("schemas/examples/invoice")
        .unwrap()
        .map(|entry| std::fs::read_to_string(entry.unwrap().path()).unwrap())
        .collect();
    documents.push(r#"{"id": "inv_1", "status": "draft"}"#.to_owned());
    documents.push("{not json".to_owned());
    documents.push(String::new());
    let documents: Vec<String> = documents.iter().cycle().take(60).cloned().collect();
    let summary = |result: &Result<_, serde_json::Error>| match result {
        Ok(report) => serde_json::to_string(report).unwrap(),
        Err(err) => format!("error: {err}"),
    };
    let expected: Vec<String> = documents
        .iter()
        .map(|d| summary(&validate_json(Entity::Invoice, d, Profile::Exact)))
        .collect();
    for threads in [1, 2, 4] {
        let got = batch::validate_json(Entity::Invoice, &documents, Profile::Exact, jobs(threads));
        assert_eq!(got.iter().map(summary).collect::<Vec<_>>(), expected, "{threads} threads");
    }
}

#[test]
fn jobs_default_to_the_available_parallelism() {
    let available = thread::available_parallelism().map_or(1, NonZeroUsize::get);
    assert_eq!(Jobs::default().threads().get(), available);
    assert_eq!(Jobs::available(), Jobs::default());
    assert_eq!(Jobs::from(NonZeroUsize::MIN), Jobs::ONE);
}
