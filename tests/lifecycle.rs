//! Lifecycle (issue 5): a structure filled with 10^6 entries and emptied in random order is
//! back to the empty figures (length, node count, `memory_usage()`); removal prunes exactly
//! what a fresh build would not have; a failed insert changes nothing; and every public type
//! is `Send + Sync + UnwindSafe + RefUnwindSafe`.
//!
//! The 10^6 tests are the slowest of the crate in the debug profile (about ten seconds
//! each, most of it the 10^6 inserts and removals themselves), so they check the state at
//! a few points only; the pruning is checked step by step at a smaller size.

use std::mem;
use std::panic::{RefUnwindSafe, UnwindSafe};
use std::rc::Rc;

use respat::corpus::Rng;
use respat::{
    reference, Error, ErrorKind, IndexEntry, InputKind, InvalidPattern, Matches, Name, Part,
    Pattern, PatternId, PatternSet, Reset, ResetList, Resolution, Resolve, ResourceId,
    ResourceIndex,
};

const MILLION: usize = 1_000_000;

/// `n` distinct random IDs (distinct by construction: each carries its number `i`), of
/// shapes that reach every kind of trie node: wide nodes (hash-table children), names with
/// dozens of query variants (hash-indexed variants), deep chains, labels too long to be
/// stored inline, and a root with a hundred thousand children.
fn random_ids(n: usize, seed: u64) -> Vec<String> {
    let mut rng = Rng(seed);
    (0..n)
        .map(|i| {
            let r = rng.next();
            let (s, a, b) = (r % 40, (r >> 8) % 30, (r >> 16) % 4000);
            match (r >> 32) % 20 {
                0..=5 => format!("s{s}.m{i}"),
                6..=10 => format!("s{s}.t{a}.{i}"),
                11..=14 => format!("s{s}.c{b}?p={i}"),
                15 | 16 => format!("u{i:x}"),
                17 | 18 => format!("d.{}.{}.{}.{}.{i}", r % 3, a % 5, b % 7, s % 11),
                _ => format!("long-label-of-thirty-bytes-{s}.x{i}"),
            }
        })
        .collect()
}

// ---------------------------------------------------------------------------------------
// 10^6 IDs in, 10^6 IDs out
// ---------------------------------------------------------------------------------------

#[test]
fn shrink_to_fit_after_removals_takes_the_index_down_to_a_fresh_one_of_its_ids() {
    // 100,000 IDs of every shape, then 95% of them removed in random order: whatever the
    // history (free blocks, big blocks' tables, query lists, query texts, long labels), the
    // shrunk index holds no more than a new index of the survivors, shrunk too.
    let ids = random_ids(100_000, 0x5151);
    let mut index = ResourceIndex::new();
    for id in &ids {
        index.insert(id, ()).expect("valid");
    }
    let mut rng = Rng(7);
    let mut kept = Vec::new();
    for id in &ids {
        if rng.below(20) == 0 {
            kept.push(id);
        } else {
            assert_eq!(index.remove(id), Some(()), "{id}");
        }
    }
    index.shrink_to_fit();
    let mut fresh = ResourceIndex::new();
    for id in &kept {
        fresh.insert(id, ()).expect("valid");
    }
    fresh.shrink_to_fit();
    assert_eq!(index.len(), fresh.len());
    assert_eq!(index.node_count(), fresh.node_count());
    assert!(
        index.memory_usage() <= fresh.memory_usage() + fresh.memory_usage() / 20,
        "shrunk after removals: {} bytes; a fresh index of the same IDs: {}",
        index.memory_usage(),
        fresh.memory_usage()
    );
}

#[test]
fn million_random_ids_removed_in_random_order_leave_an_empty_index() {
    let empty = ResourceIndex::<u32>::new();
    let (empty_nodes, empty_memory) = (empty.node_count(), empty.memory_usage());
    assert_eq!(empty_nodes, 1);

    let mut ids: Vec<(String, u32)> = random_ids(MILLION, 0x11fe).into_iter().zip(0..).collect();
    let mut index = ResourceIndex::new();
    for (id, value) in &ids {
        assert_eq!(index.insert(id, *value).expect("valid"), None, "{id}");
    }
    assert_eq!(index.len(), MILLION);
    assert_eq!(index.count(&Pattern::new(">").expect("valid")), MILLION);
    assert!(index.node_count() > MILLION / 2);
    // At least a 12-byte record per name: the figure covers the structure it built.
    assert!(index.memory_usage() >= 12 * index.node_count());

    let mut rng = Rng(7);
    rng.shuffle(&mut ids);
    let (first, second) = ids.split_at(MILLION / 2);
    for (id, value) in first {
        assert_eq!(index.remove(id), Some(*value), "{id}");
    }
    // Halfway: what was removed is gone, the rest is there, the counts agree.
    assert_eq!(index.len(), MILLION - MILLION / 2);
    assert_eq!(index.count(&Pattern::new(">").expect("valid")), index.len());
    for (id, _) in first.iter().take(1000) {
        assert_eq!(index.get(id), None, "{id}");
        assert_eq!(index.remove(id), None, "{id}");
    }
    for (id, value) in second.iter().take(1000) {
        assert_eq!(index.get(id), Some(value), "{id}");
    }
    for (id, value) in second {
        assert_eq!(index.remove(id), Some(*value), "{id}");
    }

    assert!(index.is_empty());
    assert_eq!(index.len(), 0);
    assert_eq!(index.node_count(), empty_nodes);
    assert_eq!(index.memory_usage(), empty_memory);
    assert!(index.iter().next().is_none());
    assert_eq!(index.count(&Pattern::new(">").expect("valid")), 0);

    // And it is as good as new.
    assert_eq!(index.insert("a.b?c", 1).expect("valid"), None);
    assert_eq!(index.get("a.b?c"), Some(&1));
}

/// Random patterns over a small alphabet, so that literal patterns, wildcard patterns and
/// `>` all repeat: `(text, copies)` with `total` copies in all, 8,000 of them of four
/// patterns (`>`, `*`, `l1.*`, `l1.l2`).
fn random_patterns(seed: u64, total: usize) -> Vec<(String, usize)> {
    let mut rng = Rng(seed);
    let labels: Vec<String> = (0..60).map(|i| format!("l{i}")).collect();
    let mut out = vec![
        (">".to_string(), 2_000),
        ("*".to_string(), 2_000),
        ("l1.*".to_string(), 2_000),
        ("l1.l2".to_string(), 2_000),
    ];
    let mut copies_so_far: usize = out.iter().map(|(_, k)| k).sum();
    while copies_so_far < total {
        let parts = 1 + rng.below(4);
        let mut text: Vec<&str> = (0..parts)
            .map(|_| match rng.below(5) {
                0 => "*",
                _ => labels[rng.below(labels.len())].as_str(),
            })
            .collect();
        if rng.below(4) == 0 {
            text.push(">");
        }
        let copies = (1 + rng.below(5)).min(total - copies_so_far);
        out.push((text.join("."), copies));
        copies_so_far += copies;
    }
    out
}

#[test]
fn million_patterns_with_duplicates_removed_by_handle_leave_an_empty_set() {
    let empty = PatternSet::<u32>::new();
    let (empty_nodes, empty_memory) = (empty.node_count(), empty.memory_usage());
    assert_eq!(empty_nodes, 1);

    let texts = random_patterns(0x5e7, MILLION);
    let mut set = PatternSet::new();
    // (handle, value, index into `texts`)
    let mut entries: Vec<(PatternId, u32, usize)> = Vec::with_capacity(MILLION);
    let mut value = 0u32;
    for (t, (text, copies)) in texts.iter().enumerate() {
        let pattern = Pattern::new(text).expect("valid");
        for _ in 0..*copies {
            entries.push((set.insert(&pattern, value), value, t));
            value += 1;
        }
    }
    assert_eq!(set.len(), MILLION);
    assert_eq!(entries.len(), MILLION);

    // Two names against the reference (each matching entry once); the reference is run
    // once per distinct text.
    let matching = |name: &str| -> Vec<bool> {
        texts
            .iter()
            .map(|(text, _)| reference::matches(text, name))
            .collect()
    };
    let count = |entries: &[(PatternId, u32, usize)], matching: &[bool]| {
        entries.iter().filter(|&&(_, _, t)| matching[t]).count()
    };
    let l1_l2 = matching("l1.l2");
    for (name, matching) in [("l1.l2", &l1_l2), ("l3.l4.l5", &matching("l3.l4.l5"))] {
        let found = set.matches(name);
        assert_eq!(found.len(), count(&entries, matching), "{name}");
        let mut once = found.clone();
        once.sort_unstable();
        once.dedup();
        assert_eq!(once.len(), found.len(), "{name}: an entry twice");
    }

    let mut rng = Rng(11);
    rng.shuffle(&mut entries);
    let (first, second) = entries.split_at(MILLION / 2);
    for &(handle, value, _) in first {
        assert_eq!(set.remove(handle), Some(value));
    }
    assert_eq!(set.len(), MILLION - MILLION / 2);
    assert_eq!(set.matches("l1.l2").len(), count(second, &l1_l2));
    for &(handle, _, _) in first.iter().take(1000) {
        assert_eq!(set.remove(handle), None, "stale handle");
        assert_eq!(set.get(handle), None, "stale handle");
    }
    for &(handle, value, t) in second.iter().take(1000) {
        assert_eq!(set.get(handle), Some(&value));
        assert_eq!(
            set.pattern(handle).as_ref().map(Pattern::as_str),
            Some(texts[t].0.as_str())
        );
    }
    for &(handle, value, _) in second {
        assert_eq!(set.remove(handle), Some(value));
    }

    assert!(set.is_empty());
    assert_eq!(set.node_count(), empty_nodes);
    assert_eq!(set.memory_usage(), empty_memory);
    assert!(set.matches("l1.l2").is_empty());
    assert_eq!(set.iter().count(), 0);

    // Old handles stay dead: new entries never get one of them back. (Every slot was used
    // once here, so the old handles can be listed by slot, without sorting 10^6 of them.)
    let mut old: Vec<Option<PatternId>> = vec![None; MILLION];
    for &(handle, _, _) in &entries {
        assert!(
            old[handle.slot()].replace(handle).is_none(),
            "one slot each"
        );
    }
    for i in 0..1000u32 {
        let handle = set.insert_str("l1.*", i).expect("valid");
        assert_ne!(
            old.get(handle.slot()).copied().flatten(),
            Some(handle),
            "reissued"
        );
    }
    let old: Vec<PatternId> = old.iter().take(1000).flatten().copied().collect();
    assert!(old.iter().take(1000).all(|&h| set.get(h).is_none()));
}

// ---------------------------------------------------------------------------------------
// Removal prunes exactly: after any removals, the node count is a fresh build's
// ---------------------------------------------------------------------------------------

#[test]
fn removal_leaves_the_nodes_of_a_fresh_build() {
    let mut rng = Rng(3);
    let mut ids = random_ids(20_000, 0xf5e5);
    // Prefixes of other IDs too, so that removing one leaves the nodes others use.
    ids.extend(["s1", "s1.t1", "d", "d.0", "d.0.0.0.0", "u1?x"].map(String::from));
    rng.shuffle(&mut ids);
    let mut index = ResourceIndex::new();
    for id in &ids {
        index.insert(id, ()).expect("valid");
    }
    let all = Pattern::new(">").expect("valid");
    for keep in [15_000, 7_000, 1_000, 10, 1] {
        while ids.len() > keep {
            let id = ids.swap_remove(rng.below(ids.len()));
            assert_eq!(index.remove(&id), Some(()), "{id}");
        }
        let mut fresh = ResourceIndex::new();
        for id in &ids {
            fresh.insert(id, ()).expect("valid");
        }
        assert_eq!(index.node_count(), fresh.node_count(), "{keep} left");
        assert_eq!(index.len(), ids.len());
        assert_eq!(index.count(&all), ids.len());
        let mut listed: Vec<String> = index.iter().map(|e| e.id()).collect();
        listed.sort_unstable();
        let mut want = ids.clone();
        want.sort_unstable();
        assert_eq!(listed, want);
    }

    // The same for a set: after removals, the nodes of a set built from what is left.
    let texts: Vec<String> = random_patterns(0xabc, 20_000)
        .into_iter()
        .skip(4)
        .take(5_000)
        .map(|(t, _)| t)
        .collect();
    let mut set = PatternSet::new();
    let mut live: Vec<(PatternId, usize)> = texts
        .iter()
        .enumerate()
        .flat_map(|(t, text)| {
            let a = set.insert_str(text, t).expect("valid");
            let b = set.insert_str(text, t).expect("valid");
            [(a, t), (b, t)]
        })
        .collect();
    for keep in [6_000, 2_000, 100, 1] {
        while live.len() > keep {
            let (handle, t) = live.swap_remove(rng.below(live.len()));
            assert_eq!(set.remove(handle), Some(t));
        }
        let fresh: PatternSet<usize> = {
            let mut fresh = PatternSet::new();
            for &(_, t) in &live {
                fresh.insert_str(&texts[t], t).expect("valid");
            }
            fresh
        };
        assert_eq!(set.node_count(), fresh.node_count(), "{keep} left");
        assert_eq!(set.len(), live.len());
    }
}

#[test]
fn clones_and_clear_are_independent() {
    let ids = random_ids(5_000, 99);
    let mut index = ResourceIndex::new();
    for (i, id) in ids.iter().enumerate() {
        index.insert(id, i).expect("valid");
    }
    let (nodes, memory) = (index.node_count(), index.memory_usage());
    let mut copy = index.clone();
    for id in &ids {
        assert!(copy.remove(id).is_some());
    }
    assert_eq!(copy.node_count(), 1);
    assert_eq!(
        copy.memory_usage(),
        ResourceIndex::<usize>::new().memory_usage()
    );
    assert_eq!((index.node_count(), index.memory_usage()), (nodes, memory));
    assert_eq!(index.get(&ids[17]), Some(&17));
    index.clear();
    assert!(index.is_empty());
    assert_eq!(
        index.memory_usage(),
        ResourceIndex::<usize>::new().memory_usage()
    );
}

/// A zero-sized value that counts how many of it are alive (per thread, so that tests
/// running side by side do not mix their counts).
struct Token;

thread_local! {
    static TOKENS: std::cell::Cell<isize> = const { std::cell::Cell::new(0) };
}

impl Token {
    fn new() -> Token {
        TOKENS.set(TOKENS.get() + 1);
        Token
    }

    fn alive() -> isize {
        TOKENS.get()
    }
}

impl Clone for Token {
    fn clone(&self) -> Token {
        Token::new()
    }
}

impl Drop for Token {
    fn drop(&mut self) {
        TOKENS.set(TOKENS.get() - 1);
    }
}

/// An index of zero-sized values keeps no byte per value, yet owns exactly one value per
/// ID: each is dropped once, by whoever ends up holding it.
#[test]
fn zero_sized_values_are_owned_one_per_id() {
    assert_eq!(mem::size_of::<Token>(), 0);
    let ids = random_ids(20_000, 7);
    let mut index = ResourceIndex::new();
    for id in &ids {
        assert!(index.insert(id, Token::new()).expect("valid").is_none());
    }
    assert_eq!(Token::alive(), ids.len() as isize);
    // Replacing gives the old value back; the caller drops it.
    for id in ids.iter().step_by(3) {
        assert!(index.insert(id, Token::new()).expect("valid").is_some());
    }
    assert_eq!(Token::alive(), ids.len() as isize);
    let copy = index.clone();
    assert_eq!(Token::alive(), 2 * ids.len() as isize);
    drop(copy);
    let mut removed = 0;
    for id in ids.iter().step_by(2) {
        assert!(index.remove(id).is_some());
        assert!(index.remove(id).is_none());
        removed += 1;
    }
    assert_eq!(Token::alive(), (ids.len() - removed) as isize);
    index.shrink_to_fit();
    assert_eq!(Token::alive(), index.len() as isize);
    for (i, id) in ids.iter().enumerate() {
        assert_eq!(index.contains(id), i % 2 == 1, "{id}");
        assert_eq!(index.get_mut(id).is_some(), i % 2 == 1, "{id}");
    }
    assert_eq!(index.iter().count(), index.len());
    let memory = index.memory_usage();
    let mut numbered = ResourceIndex::new();
    for id in ids.iter().skip(1).step_by(2) {
        numbered.insert(id, 0u8).expect("valid");
    }
    numbered.shrink_to_fit();
    // The same trie, but each name record and query variant of the numbered index carries an
    // `Option<u8>` (2 bytes); the set's carry nothing.
    let records = numbered.node_count() - 1;
    assert!(numbered.memory_usage() - memory >= 2 * records, "{memory}");
    index.clear();
    assert_eq!(Token::alive(), 0);
    assert_eq!(
        index.memory_usage(),
        ResourceIndex::<Token>::new().memory_usage()
    );
}

// ---------------------------------------------------------------------------------------
// A failed insert changes nothing
// ---------------------------------------------------------------------------------------

/// Everything observable about an index.
#[derive(Debug, PartialEq)]
struct Snapshot {
    len: usize,
    nodes: usize,
    memory: usize,
    count: usize,
    entries: Vec<(String, u32)>,
}

fn snapshot(index: &ResourceIndex<u32>) -> Snapshot {
    let mut entries: Vec<(String, u32)> = index.iter().map(|e| (e.id(), *e.value())).collect();
    entries.sort_unstable();
    Snapshot {
        len: index.len(),
        nodes: index.node_count(),
        memory: index.memory_usage(),
        count: index.count(&Pattern::new(">").expect("valid")),
        entries,
    }
}

/// Invalid IDs, many of them sharing a valid prefix with IDs already in the index (so that
/// an insert that walked or built nodes before validating would leave some behind).
fn invalid_ids(deep: &str) -> Vec<String> {
    let mut bad: Vec<String> = [
        "",
        ".",
        "..",
        "a.",
        ".a",
        "a..b",
        "a.*",
        "a.>",
        "*",
        ">",
        "a b",
        "a\tb",
        "a\nb",
        "a\0",
        "?x",
        "a.?x",
        "?",
        "t\u{e4}st",
        "a.b.c.",
        "a.b.c..d",
        "a.b.c.*",
        "a.b.c.d*",
        "a.b.c. ",
        "a.b.c.\u{7f}",
        "a.b.new.",
        "a.b.new.*?q",
        "s1.m1.x.",
        "s1.m1.>",
        "s1.m1.\u{ff}?q",
        "fresh.branch.",
        "fresh.branch..x",
        "fresh.branch.?x",
    ]
    .map(String::from)
    .to_vec();
    bad.push(format!("{deep}."));
    bad.push(format!("{deep}.new.*"));
    bad.push(format!("{deep}.new.\u{0}?q"));
    bad.push(format!("{}*", "x".repeat(1 << 20)));
    bad
}

#[test]
fn a_failed_insert_changes_nothing() {
    let deep = (0..5_000)
        .map(|i| format!("p{i}"))
        .collect::<Vec<_>>()
        .join(".");
    let mut good: Vec<String> = random_ids(3_000, 5);
    good.extend(["a.b", "a.b.c", "a.b.c?q=1", "a.b.c?"].map(String::from));
    good.push(deep.clone());
    good.push(format!("{deep}?v=2"));

    // An empty index first: a failed insert allocates nothing that it keeps.
    let mut index: ResourceIndex<u32> = ResourceIndex::new();
    let before = snapshot(&index);
    for bad in invalid_ids(&deep) {
        assert!(index.insert(&bad, 1).is_err(), "{bad:?}");
        assert_eq!(snapshot(&index), before, "{bad:?}");
    }

    for (i, id) in good.iter().enumerate() {
        index.insert(id, i as u32).expect("valid");
    }
    let before = snapshot(&index);
    let matched = |index: &ResourceIndex<u32>| -> Vec<String> {
        let pattern = Pattern::new("a.b.*").expect("valid");
        let mut ids: Vec<String> = index.matches(&pattern).map(|e| e.id()).collect();
        ids.sort_unstable();
        ids
    };
    let matched_before = matched(&index);
    assert_eq!(matched_before, ["a.b.c", "a.b.c?", "a.b.c?q=1"]);
    for bad in invalid_ids(&deep) {
        let err = index.insert(&bad, 99).expect_err("invalid");
        assert_eq!(err.input_kind(), InputKind::ResourceId);
        assert_eq!(err.input(), bad);
        // The cheap figures after every attempt; everything at the end.
        assert_eq!(
            (index.len(), index.node_count(), index.memory_usage()),
            (before.len, before.nodes, before.memory),
            "{bad:?}"
        );
        // Looking an invalid ID up finds nothing and changes nothing either.
        assert_eq!(index.get(&bad), None);
        assert!(!index.contains(&bad));
        assert_eq!(index.remove(&bad), None);
    }
    assert_eq!(snapshot(&index), before);
    assert_eq!(matched(&index), matched_before);
    for (i, id) in good.iter().enumerate() {
        assert_eq!(index.get(id), Some(&(i as u32)), "{id}");
    }

    // The value of a refused insert is dropped, not kept somewhere.
    let mut shared: ResourceIndex<Rc<()>> = ResourceIndex::new();
    let value = Rc::new(());
    shared.insert("a.b", Rc::clone(&value)).expect("valid");
    let memory = shared.memory_usage();
    assert!(shared.insert("a.b.*", Rc::clone(&value)).is_err());
    assert_eq!(Rc::strong_count(&value), 2);
    assert_eq!(shared.memory_usage(), memory);

    // And a refused pattern leaves a set as it was.
    let mut set = PatternSet::new();
    for text in ["a.*", "a.b", ">", "a.b.>"] {
        set.insert_str(text, 0u32).expect("valid");
    }
    let figures = (set.len(), set.node_count(), set.memory_usage());
    let mut hits = set.matches("a.b");
    hits.sort_unstable();
    for bad in [
        "a.*.",
        "a.b*",
        "a.>.b",
        "a.b?",
        "",
        "a..b",
        "a.b.\u{0}",
        "*.*.x>",
    ] {
        let err = set.insert_str(bad, 1).expect_err("invalid");
        assert_eq!(err.input_kind(), InputKind::Pattern);
        assert_eq!(
            (set.len(), set.node_count(), set.memory_usage()),
            figures,
            "{bad:?}"
        );
    }
    let mut again = set.matches("a.b");
    again.sort_unstable();
    assert_eq!(again, hits);
}

// ---------------------------------------------------------------------------------------
// Thread and unwind safety of every public type
// ---------------------------------------------------------------------------------------

fn thread_and_unwind_safe<T: Send + Sync + UnwindSafe + RefUnwindSafe>() {}

/// The public types for any value type that is itself thread and unwind safe.
fn generic_types_are_safe<T: Send + Sync + UnwindSafe + RefUnwindSafe + 'static>() {
    thread_and_unwind_safe::<PatternSet<T>>();
    thread_and_unwind_safe::<ResourceIndex<T>>();
    thread_and_unwind_safe::<IndexEntry<'static, T>>();
    thread_and_unwind_safe::<Matches<'static, 'static, T>>();
    thread_and_unwind_safe::<Resolve<'static, 'static, T, T>>();
    thread_and_unwind_safe::<Resolution<'static, T>>();
}

/// Checked when this file compiles: a type that loses an auto trait fails the build.
const _: fn() = || {
    thread_and_unwind_safe::<Error>();
    thread_and_unwind_safe::<ErrorKind>();
    thread_and_unwind_safe::<InputKind>();
    thread_and_unwind_safe::<Name<'static>>();
    thread_and_unwind_safe::<ResourceId<'static>>();
    thread_and_unwind_safe::<Pattern>();
    thread_and_unwind_safe::<Part<'static>>();
    thread_and_unwind_safe::<PatternSet<()>>();
    thread_and_unwind_safe::<PatternId>();
    thread_and_unwind_safe::<ResourceIndex<()>>();
    thread_and_unwind_safe::<IndexEntry<'static, ()>>();
    thread_and_unwind_safe::<Matches<'static, 'static, ()>>();
    thread_and_unwind_safe::<Resolve<'static, 'static, (), ()>>();
    thread_and_unwind_safe::<Reset>();
    thread_and_unwind_safe::<ResetList>();
    thread_and_unwind_safe::<InvalidPattern>();
    thread_and_unwind_safe::<Resolution<'static, ()>>();
    #[cfg(feature = "json")]
    {
        thread_and_unwind_safe::<respat::PayloadError>();
        thread_and_unwind_safe::<respat::PayloadErrorKind>();
        thread_and_unwind_safe::<respat::ResetPayload>();
    }
    generic_types_are_safe::<()>();
    generic_types_are_safe::<String>();
    generic_types_are_safe::<Vec<u64>>();
};

fn fused<I: std::iter::FusedIterator>(_: &I) {}

#[test]
fn iterators_stay_done() {
    let mut index = ResourceIndex::new();
    for id in ["a.b", "a.b?x", "a.c.d", "e"] {
        index.insert(id, ()).expect("valid");
    }
    let pattern = Pattern::new("a.>").expect("valid");
    let mut matches = index.matches(&pattern);
    fused(&matches);
    assert_eq!(matches.by_ref().count(), 3);
    assert!(matches.next().is_none() && matches.next().is_none());
    let reset = Reset::new(["a.*", "e", "a.b"], [] as [&str; 0]);
    let mut resolve = index.resolve(reset.pattern_set(ResetList::Resources));
    fused(&resolve);
    assert_eq!(resolve.by_ref().count(), 3);
    assert!(resolve.next().is_none() && resolve.next().is_none());
}

#[test]
fn structures_are_shared_across_threads_and_survive_a_panic() {
    let ids = random_ids(2_000, 8);
    let mut index = ResourceIndex::new();
    for (i, id) in ids.iter().enumerate() {
        index.insert(id, i).expect("valid");
    }
    let reset = Reset::new(["s1.>", "*.m7", "bad..pattern"], ["u1"]);
    let set = reset.pattern_set(ResetList::Resources);
    let want = reset.resolve(&index).resources_ids();

    // Shared by reference between threads, no lock.
    std::thread::scope(|scope| {
        let workers: Vec<_> = (0..4)
            .map(|_| {
                scope.spawn(|| {
                    let mut ids: Vec<String> = index.resolve(set).map(|e| e.id()).collect();
                    ids.sort_unstable();
                    ids
                })
            })
            .collect();
        for worker in workers {
            assert_eq!(worker.join().expect("no panic"), want);
        }
    });

    // A panic while reading leaves the structures usable (no `AssertUnwindSafe` needed).
    let outcome = std::panic::catch_unwind(|| {
        let mut entries = index.matches(&reset.patterns(ResetList::Resources)[0]);
        let _first = entries.next();
        panic!("a caller's panic in the middle of an iteration");
    });
    assert!(outcome.is_err());
    assert_eq!(reset.resolve(&index).resources_ids(), want);

    // Moved to another thread and back.
    let moved = std::thread::spawn(move || {
        index.insert("moved.in", usize::MAX).expect("valid");
        index
    })
    .join()
    .expect("no panic");
    assert_eq!(moved.get("moved.in"), Some(&usize::MAX));
}
