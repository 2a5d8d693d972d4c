//! Heap accounting, checked against a counting global allocator: `memory_usage()` is every
//! heap byte a structure owns, and matching with a reused buffer allocates nothing.
//!
//! The library forbids `unsafe`; this test alone needs it, for the allocator.
#![allow(unsafe_code)]

use std::alloc::{GlobalAlloc, Layout, System};
use std::cell::Cell;

use respat::{corpus, Name, Pattern, PatternSet, ResourceIndex};

/// Counts the live heap bytes and the allocations of the current thread only, so that
/// tests running in parallel do not disturb each other.
struct Counting;

thread_local! {
    static LIVE: Cell<isize> = const { Cell::new(0) };
    static ALLOCATIONS: Cell<usize> = const { Cell::new(0) };
    static PEAK: Cell<isize> = const { Cell::new(0) };
    static REQUESTED: Cell<usize> = const { Cell::new(0) };
}

fn track(bytes: isize, allocations: usize) {
    // `try_with`: the thread-locals may be gone while a thread shuts down.
    let _ = LIVE.try_with(|live| {
        live.set(live.get() + bytes);
        let _ = PEAK.try_with(|peak| peak.set(peak.get().max(live.get())));
    });
    let _ = ALLOCATIONS.try_with(|n| n.set(n.get() + allocations));
    if bytes > 0 {
        let _ = REQUESTED.try_with(|n| n.set(n.get() + bytes as usize));
    }
}

// SAFETY: every method forwards to `System` unchanged; the counters are plain thread-locals.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        track(layout.size() as isize, 1);
        // SAFETY: the caller's contract is passed on to `System`.
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        track(-(layout.size() as isize), 0);
        // SAFETY: the caller's contract is passed on to `System`.
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        track(new_size as isize - layout.size() as isize, 1);
        // SAFETY: the caller's contract is passed on to `System`.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

fn live() -> isize {
    LIVE.with(Cell::get)
}

fn allocations() -> usize {
    ALLOCATIONS.with(Cell::get)
}

/// The heap bytes `run` asked for, in all (a realloc counts its growth).
fn requested_by<R>(run: impl FnOnce() -> R) -> (usize, R) {
    let before = REQUESTED.with(Cell::get);
    let result = run();
    (REQUESTED.with(Cell::get) - before, result)
}

#[test]
fn churning_one_query_id_beside_a_flat_cache_never_rewrites_the_cache() {
    // 200,000 leaves under one node and a handful of inner nodes: freeing one inner node
    // must not count as a quarter of the index being free (a rewrite copies 2.6 MB).
    let mut index = ResourceIndex::new();
    for i in 0..200_000 {
        index.insert(&format!("user.{i}"), ()).unwrap();
    }
    let churn = |index: &mut ResourceIndex<()>| {
        for _ in 0..1_000 {
            index.insert("users?start=0", ()).unwrap();
            assert_eq!(index.remove("users?start=0"), Some(()));
        }
    };
    churn(&mut index);
    let (bytes, ()) = requested_by(|| churn(&mut index));
    assert!(
        bytes < 256 * 1024,
        "1,000 churns asked for {bytes} heap bytes"
    );
    assert_eq!(index.len(), 200_000);
}

#[test]
fn churning_two_blocks_at_a_class_boundary_does_not_rewrite_the_index_each_time() {
    // Two nodes of exactly 4,096 children (a class's capacity): an insert moves one to a
    // bigger block and frees the old one, which triggers a compaction. A compaction that
    // shrank every block to its smallest class would shrink the other node back, and the
    // next insert under it would grow and compact again: a whole rewrite per operation.
    let mut index = ResourceIndex::new();
    for i in 0..4_096 {
        index.insert(&format!("p.{i}"), ()).unwrap();
        index.insert(&format!("q.{i}"), ()).unwrap();
    }
    let churn = |index: &mut ResourceIndex<()>| {
        for _ in 0..1_000 {
            for id in ["p.x", "q.x"] {
                index.insert(id, ()).unwrap();
                assert_eq!(index.remove(id), Some(()));
            }
        }
    };
    let (bytes, ()) = requested_by(|| churn(&mut index));
    // Two compactions at most (about 300 KB each); one per operation asked for 657 MB.
    assert!(
        bytes < 1024 * 1024,
        "2,000 churns asked for {bytes} heap bytes"
    );
    assert_eq!(index.len(), 8_192);

    // The same with two names of 4,096 query variants each (the variant pool's blocks).
    let mut index = ResourceIndex::new();
    for i in 0..4_096 {
        index.insert(&format!("p?{i}"), ()).unwrap();
        index.insert(&format!("q?{i}"), ()).unwrap();
    }
    let (bytes, ()) = requested_by(|| {
        for _ in 0..1_000 {
            for id in ["p?x", "q?x"] {
                index.insert(id, ()).unwrap();
                assert_eq!(index.remove(id), Some(()));
            }
        }
    });
    assert!(
        bytes < 1024 * 1024,
        "2,000 variant churns asked for {bytes} heap bytes"
    );
}

#[test]
fn compactions_triggered_by_small_changes_do_not_copy_long_query_texts() {
    // The automatic rewrite is paid for by freed records and nodes; it must not also copy
    // the query texts (here 2 MB of them), or a few freed bytes would cost megabytes.
    let mut index = ResourceIndex::new();
    for i in 0..20 {
        let query = "x".repeat(100_000);
        index.insert(&format!("a.b?{i}={query}"), ()).unwrap();
    }
    let (bytes, ()) = requested_by(|| {
        for _ in 0..100 {
            index.insert("c.d.e.f.g.h", ()).unwrap();
            assert_eq!(index.remove("c.d.e.f.g.h"), Some(()));
        }
    });
    assert!(
        bytes < 256 * 1024,
        "100 churns asked for {bytes} heap bytes"
    );
    assert_eq!(index.len(), 20);
}

/// The most heap bytes `run` had live at once beyond what was live before it.
fn peak_of<R>(run: impl FnOnce() -> R) -> (isize, R) {
    let before = live();
    PEAK.with(|peak| peak.set(before));
    let result = run();
    (PEAK.with(Cell::get) - before, result)
}

/// Every mix of `a` and `*` over `k` parts, each with its number (`bits`): 2^k patterns
/// alive together at the name `a.a....a` of `k` parts.
fn star_mixes(k: usize) -> impl Iterator<Item = (u32, String)> {
    (0..1u32 << k).map(move |bits| {
        let parts: Vec<&str> = (0..k)
            .map(|i| if bits >> i & 1 == 1 { "*" } else { "a" })
            .collect();
        (bits, parts.join("."))
    })
}

#[test]
fn resolving_keeps_a_node_s_live_states_once_however_many_children_it_has() {
    // 1,024 patterns alive at every node of a chain, above a node with 2,000 children:
    // keeping the states once per child would take 2,000 x 1,024 x 4 bytes (8 MB).
    let k = 10;
    let prefix = vec!["a"; k].join(".");
    let mut index = ResourceIndex::new();
    for j in 0..2_000 {
        index.insert(&format!("{prefix}.c{j}.e0"), ()).unwrap();
    }
    let mut set = PatternSet::new();
    for (bits, mix) in star_mixes(k) {
        set.insert_str(&format!("{mix}.*.e{bits}x"), ()).unwrap();
    }
    set.insert_str(&format!("{prefix}.c7.e0"), ()).unwrap();
    let (peak, found) = peak_of(|| index.resolve(&set).count());
    assert_eq!(found, 1);
    assert!(peak < 256 * 1024, "resolve peaked at {peak} heap bytes");
}

#[test]
fn resolving_shares_the_star_states_of_a_node_between_the_children_literals_find() {
    // At `a.a.a.a.a.a.a.a`, 256 live states each with a `*` child, beside 2,000 literal
    // edges that all find a child: copying the `*` states into each found child's frame
    // would take 2,000 x 256 x 4 bytes (2 MB).
    let k = 8;
    let prefix = vec!["a"; k].join(".");
    let mut index = ResourceIndex::new();
    let mut set = PatternSet::new();
    for j in 0..2_000 {
        index.insert(&format!("{prefix}.c{j}.e"), ()).unwrap();
        set.insert_str(&format!("{prefix}.c{j}.*"), ()).unwrap();
    }
    for (_, mix) in star_mixes(k) {
        set.insert_str(&format!("{mix}.*.x"), ()).unwrap();
    }
    let (peak, found) = peak_of(|| index.resolve(&set).count());
    assert_eq!(found, 2_000);
    assert!(peak < 256 * 1024, "resolve peaked at {peak} heap bytes");
}

/// The heap bytes `build` leaves behind in what it returns, and what it returns.
fn measured<S>(build: impl FnOnce() -> S) -> (isize, S) {
    let before = live();
    let built = build();
    (live() - before, built)
}

#[test]
fn resource_index_memory_usage_is_every_heap_byte() {
    let ids = corpus::generate(20_000, 7).ids;
    let (bytes, mut index) = measured(|| {
        let mut index = ResourceIndex::new();
        for id in &ids {
            index.insert(id, ()).unwrap();
        }
        index
    });
    assert_eq!(index.memory_usage() as isize, bytes);
    // And after removing half of it, in another order.
    let before = live();
    for id in ids.iter().rev().step_by(2) {
        index.remove(id).unwrap();
    }
    assert_eq!(
        index.memory_usage() as isize,
        bytes + live() - before,
        "after removals"
    );
}

#[test]
fn pattern_set_memory_usage_is_every_heap_byte() {
    let texts: Vec<String> = (0..5_000)
        .map(|i| match i % 4 {
            0 => format!("svc{}.col{}.item{i}", i % 7, i % 13),
            1 => format!("svc{}.col{}.*", i % 7, i % 13),
            2 => format!("svc{}.>", i % 7),
            _ => format!("svc{}.*.x{i}.>", i % 5),
        })
        .collect();
    let patterns: Vec<Pattern> = texts.iter().map(|t| Pattern::new(t).unwrap()).collect();
    let (bytes, set) = measured(|| {
        let mut set = PatternSet::new();
        for pattern in &patterns {
            set.insert(pattern, ());
        }
        set
    });
    assert_eq!(set.memory_usage() as isize, bytes);
}

#[test]
fn matching_with_a_reused_buffer_allocates_nothing() {
    let mut set = PatternSet::new();
    for s in 0..10 {
        for c in 0..50 {
            for i in 0..20 {
                set.insert_str(&format!("svc{s}.col{c}.item{i}"), ())
                    .unwrap();
            }
            set.insert_str(&format!("svc{s}.col{c}.*"), ()).unwrap();
        }
        set.insert_str(&format!("svc{s}.>"), ()).unwrap();
    }
    set.insert_str("*.*.*.*.>", ()).unwrap();
    let texts: Vec<String> = (0..1_000)
        .map(|i| format!("svc{}.col{}.item{}", i % 10, i % 50, i % 20))
        .collect();
    let names: Vec<Name> = texts.iter().map(|t| Name::new(t).unwrap()).collect();
    let mut out = Vec::with_capacity(16);
    let before = allocations();
    let mut found = 0;
    for name in &names {
        set.matches_into(name, &mut out);
        found += out.len();
        assert!(set.is_match_name(name));
    }
    assert_eq!(found, 3 * names.len());
    assert_eq!(allocations() - before, 0, "allocations while matching");
}
