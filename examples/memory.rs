//! Bytes per ID of a `ResourceIndex<()>`, next to a `HashSet<String>` (what a gateway keeps
//! today) and a static `fst::Set` (the compact read-only peer) of the same IDs.
//!
//! ```text
//! cargo run --release --example memory [N] [SEED]     (default: 1000000 IDs, seed 1)
//! ```
//!
//! The IDs come from `respat::corpus::generate`, the demo's RES-shaped generator. Every
//! figure is counted by a global allocator (the bytes requested from it, so the malloc's own
//! per-block overhead is not included), as the live heap a structure holds once built; the
//! peak while building and the index's own `memory_usage()` are shown too.
//!
//! Needs `unsafe` for the allocator only; the library itself forbids it.
#![allow(unsafe_code)]

use std::alloc::{GlobalAlloc, Layout, System};
use std::collections::HashSet;
use std::sync::atomic::{AtomicIsize, Ordering};
use std::time::Instant;

use respat::{corpus, ResourceIndex};

/// Counts the live heap bytes of the whole process, and their high-water mark.
struct Counting;

static LIVE: AtomicIsize = AtomicIsize::new(0);
static PEAK: AtomicIsize = AtomicIsize::new(0);

fn track(bytes: isize) {
    let live = LIVE.fetch_add(bytes, Ordering::Relaxed) + bytes;
    PEAK.fetch_max(live, Ordering::Relaxed);
}

// SAFETY: every method forwards to `System` unchanged; the counters are plain atomics.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        // SAFETY: the caller's contract is passed on to `System`.
        let ptr = unsafe { System.alloc(layout) };
        if !ptr.is_null() {
            track(layout.size() as isize);
        }
        ptr
    }

    unsafe fn alloc_zeroed(&self, layout: Layout) -> *mut u8 {
        // SAFETY: the caller's contract is passed on to `System`.
        let ptr = unsafe { System.alloc_zeroed(layout) };
        if !ptr.is_null() {
            track(layout.size() as isize);
        }
        ptr
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        track(-(layout.size() as isize));
        // SAFETY: the caller's contract is passed on to `System`.
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        // SAFETY: the caller's contract is passed on to `System`.
        let new = unsafe { System.realloc(ptr, layout, new_size) };
        if !new.is_null() {
            track(new_size as isize - layout.size() as isize);
        }
        new
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

fn live() -> isize {
    LIVE.load(Ordering::Relaxed)
}

/// What `build` returns, the heap bytes it still holds, and the peak above the starting
/// point while it ran.
fn measured<S>(build: impl FnOnce() -> S) -> (S, usize, usize) {
    let before = live();
    PEAK.store(before, Ordering::Relaxed);
    let built = build();
    let held = live() - before;
    let peak = PEAK.load(Ordering::Relaxed) - before;
    (
        built,
        usize::try_from(held).expect("a structure holds a non-negative heap"),
        usize::try_from(peak).expect("the peak is at least the start"),
    )
}

fn main() {
    let mut args = std::env::args().skip(1);
    let size: usize = args
        .next()
        .map_or(1_000_000, |a| a.parse().expect("N: a number of IDs"));
    let seed: u64 = args
        .next()
        .map_or(1, |a| a.parse().expect("SEED: a number"));
    if size == 0 {
        eprintln!("N must be at least 1");
        std::process::exit(2);
    }

    let start = Instant::now();
    let ids = corpus::generate(size, seed).ids;
    let text: usize = ids.iter().map(String::len).sum();
    println!(
        "corpus: {size} RES-shaped IDs (seed {seed}), mean ID length {:.1} bytes, generated in {:.2?}",
        text as f64 / size as f64,
        start.elapsed()
    );
    let per_id = |bytes: usize| bytes as f64 / size as f64;

    let (index, index_bytes, index_peak) = measured(|| {
        let mut index = ResourceIndex::new();
        for id in &ids {
            index.insert(id, ()).expect("valid ID");
        }
        index
    });
    assert_eq!(index.len(), size);
    let reported = index.memory_usage();
    // The same index rewritten without free space, as after a bulk load.
    // Its peak counts the clone (the size of the index) plus the rewrite's new vectors: as
    // for one index built and then shrunk, whose peak is the larger of that and the build's.
    let (compact, compact_bytes, shrink_peak) = measured(|| {
        let mut compact = index.clone();
        compact.shrink_to_fit();
        compact
    });
    assert_eq!(compact.memory_usage(), compact_bytes);

    let (set, set_bytes, set_peak) = measured(|| ids.iter().cloned().collect::<HashSet<String>>());
    assert_eq!(set.len(), size);

    let mut sorted: Vec<&str> = ids.iter().map(String::as_str).collect();
    sorted.sort_unstable();
    let (fst, fst_bytes, fst_peak) =
        measured(|| fst::Set::from_iter(&sorted).expect("sorted, distinct keys"));
    assert_eq!(fst.len(), size);

    println!();
    println!(
        "{:<22} {:>12} {:>12} {:>13}",
        "structure", "bytes/ID", "total MB", "peak bytes/ID"
    );
    let row = |what: &str, bytes: usize, peak: usize| {
        println!(
            "{what:<22} {:>12.1} {:>12.1} {:>13.1}",
            per_id(bytes),
            bytes as f64 / 1e6,
            per_id(peak)
        );
    };
    row("ResourceIndex<()>", index_bytes, index_peak);
    row(
        "  after shrink_to_fit",
        compact_bytes,
        index_peak.max(shrink_peak),
    );
    row("HashSet<String>", set_bytes, set_peak);
    row("fst::Set", fst_bytes, fst_peak);
    println!();
    println!(
        "ResourceIndex<()>::memory_usage(): {reported} bytes = {:.1} bytes/ID ({}), {} trie nodes",
        per_id(reported),
        if reported == index_bytes {
            "exactly the counted heap".to_string()
        } else {
            format!(
                "counted heap {index_bytes}: off by {}",
                reported as isize - index_bytes as isize
            )
        },
        index.node_count()
    );
    println!(
        "(peak: the most heap held above the start while building; a realloc counts as its \
         size change only)"
    );
    for (what, bytes) in [
        ("as built", index_bytes),
        ("after shrink_to_fit", compact_bytes),
    ] {
        println!(
            "ResourceIndex ({what}) / HashSet<String>: {:.3}x (target at most 0.35x); \
             {:.1} bytes/ID (target at most 25 at 10^6 IDs)",
            bytes as f64 / set_bytes as f64,
            per_id(bytes)
        );
    }
}
