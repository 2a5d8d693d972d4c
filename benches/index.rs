//! `ResourceIndex` benchmarks (issue 3): build, exact look-up, selective, wide and many-pattern
//! resets over generated RES-shaped caches, raced against what a user would pick instead.
//!
//! Run with `cargo bench --bench index` (10^4, 10^5 and 10^6 IDs, about 10 minutes on two
//! cores) or `cargo bench --bench index -- --quick` (10^4 and 10^5 only, as is
//! `RESPAT_BENCH_QUICK=1`). `RESPAT_BENCH_HUGE=1` adds 10^7 IDs (several GB of memory, a long
//! run). Figures: `target/criterion/<group>/<function>/<parameter>/new/estimates.json`.
//!
//! # Corpora
//! `respat::corpus::generate(N, 1)`, the demo's generator (same seed as `respat demo`), for
//! N = 10^4, 10^5, 10^6 (10^7). Everything a size needs (the corpus, the index, the
//! `HashSet<String>`, the `fst::Set`, the picked patterns and their reference answers) is
//! built lazily on first use and shared by every group; sizes run one after the other, each
//! freed before the next is built, so every group reports all sizes but only one size is in
//! memory at a time.
//!
//! # Benchmark IDs
//! `<group>/<function>/<parameter>`. The parameter is the corpus size (`1000000`), except in
//! `index_wide`, where it is `svc/<N>` (the large service's `svc.>`) or `all/<N>` (`>`), and
//! in `index_reset_many`, where it is `<patterns>/<N>`. Criterion writes a `/` inside a
//! parameter as `_` in directory names: `target/criterion/index_wide/respat/svc_1000000/`.
//!
//! # Groups
//! - `index_build` (throughput: N IDs): `respat` inserts the N IDs (`&str`) into an empty
//!   `ResourceIndex<()>`; `hashset` inserts owned copies into an empty
//!   `std::collections::HashSet<String>` (default hasher, no pre-sizing, like the index).
//!   The structure is dropped outside the measured time.
//! - `index_literal`: one exact ID per iteration (`contains`), cycling through the first
//!   16,384 IDs of the shuffled corpus (a uniform sample of every shape, query IDs
//!   included), so the median is the time of one look-up with realistic cache behaviour,
//!   not one hot ID.
//! - `index_selective`: the demo's "hot instance subtree" pick, `svc.type.<id>.>` with about
//!   N / 10,000 IDs below it (0.01% of the cache: the answer grows with N).
//! - `index_selective_fixed`: the same kind of reset with an answer of the same size at every
//!   N (the instance with closest to `FIXED_ANSWER` = 10 IDs below it), so that its times
//!   show how the cost of a reset grows with the cache alone.
//! - `index_wide` (throughput: the matched IDs, so criterion's per-element time is the time
//!   per matched ID): `svc.>` of the service whose share is closest to 10%, and `>`.
//! - `index_count`: `ResourceIndex::count` of `>` and of the large service's `svc.>` (subtree
//!   counts: no leaf is visited).
//! - `index_reset_many`: one reset of 10, 100 or 1,000 overlapping patterns (see
//!   `overlapping`), collected into a reused `Vec`:
//!   - `respat`: the reset compiled into a `PatternSet` (inside the measured time) and one
//!     `ResourceIndex::resolve` walk (which reports each ID once);
//!   - `respat_each`: each pattern alone through `ResourceIndex::matches`, de-duplicated;
//!   - `linear_scan`: the patterns split into tokens (inside the measured time), then every
//!     cached ID tested against them until one matches.
//!
//!   This group runs on a `ResourceIndex<u32>` of the same IDs whose value is the ID's
//!   position in the corpus: `respat_each` de-duplicates through it with an epoch-stamped
//!   array (`seen[value] == epoch`), one load and one store per hit with no hashing and no
//!   clearing, the cheapest correct de-duplication there is, so the ratio to it is not
//!   flattered.
//!
//! The single-pattern functions count the matches, passing each through `black_box`:
//! - `respat`: `ResourceIndex::matches` (each hit an `IndexEntry`, from which the ID can be
//!   written) on the index as the inserts built it;
//! - `respat_compact` (also in `index_literal`): the same on a clone of it after
//!   `ResourceIndex::shrink_to_fit` (blocks in depth-first order, no free space), as after a
//!   bulk load;
//! - `linear_scan`: the Resgate approach, every ID of a `HashSet<String>`, query stripped at
//!   the first `?`, tested with an allocation-free token-by-token matcher (`is_match`);
//! - `fst`: an `fst::Set` of every whole ID (sorted, the compact static peer) searched with
//!   `FstPattern`, a byte automaton for our pattern syntax.
//!
//! Patterns are parsed (and tokenized, and compiled to an automaton) outside the measured
//! time, except in `index_reset_many` as said above.
//!
//! # Correctness
//! Each pattern's expected answer is computed once with `respat::reference` over the ID list.
//! Before any timing, every function's full answer (sorted IDs) is compared with it, and
//! `count` with its length; any disagreement panics. Every measured closure asserts its
//! match count.

use std::cell::{OnceCell, RefCell};
use std::collections::{HashMap, HashSet};
use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::measurement::WallTime;
use criterion::{BenchmarkGroup, BenchmarkId, Criterion, SamplingMode, Throughput};
use fst::{Automaton, IntoStreamer, Streamer};
use respat::baseline::{scan, tokens, Token};
use respat::{corpus, reference, IndexEntry, Part, Pattern, PatternSet, ResourceIndex};

/// The demo's default seed.
const SEED: u64 = 1;
/// How many IDs `index_literal` cycles through.
const LITERAL_SAMPLE: usize = 1 << 14;
/// Pattern counts of `index_reset_many`.
const RESET_SIZES: [usize; 3] = [10, 100, 1_000];
/// The answer size of `index_selective_fixed`, the same at every cache size.
const FIXED_ANSWER: usize = 10;
/// How many of the instances closest to N / 10,000 IDs `overlapping` cycles through.
const HOT: usize = 32;

fn main() {
    let mut criterion = Criterion::default().configure_from_args();
    let args: Vec<String> = std::env::args().collect();
    let env = |name: &str| std::env::var(name).is_ok_and(|v| v == "1");
    // `cargo test --benches` runs each benchmark once, without `--bench`: keep it small too.
    let quick = env("RESPAT_BENCH_QUICK")
        || args.iter().any(|a| a == "--quick")
        || !args.iter().any(|a| a == "--bench");
    let mut sizes = vec![10_000, 100_000];
    if !quick {
        sizes.push(1_000_000);
    }
    if env("RESPAT_BENCH_HUGE") {
        sizes.push(10_000_000);
    }
    for size in sizes {
        let workload = Workload::new(size);
        bench_build(&mut criterion, &workload);
        bench_literal(&mut criterion, &workload);
        bench_selective(&mut criterion, &workload);
        bench_wide(&mut criterion, &workload);
        bench_count(&mut criterion, &workload);
        bench_reset_many(&mut criterion, &workload);
    }
    criterion.final_summary();
}

// ---------------------------------------------------------------------------------------------
// Workloads

/// One corpus size and everything built from it, each part on first use.
struct Workload {
    size: usize,
    corpus: OnceCell<corpus::Corpus>,
    index: OnceCell<ResourceIndex<()>>,
    /// The same index after `shrink_to_fit` (depth-first layout, no free space).
    compact: OnceCell<ResourceIndex<()>>,
    /// Values: the ID's position in `corpus.ids` (for `respat_each`'s de-duplication).
    numbered: OnceCell<ResourceIndex<u32>>,
    hashset: OnceCell<HashSet<String>>,
    fst: OnceCell<fst::Set<Vec<u8>>>,
    picks: OnceCell<Picks>,
    /// `respat_each`'s epoch stamps, one per ID, and the current epoch.
    seen: RefCell<(Vec<u32>, u32)>,
}

/// The patterns of the reset groups (their reference answers are computed on first use).
struct Picks {
    selective: Query,
    /// An instance subtree of about `FIXED_ANSWER` IDs, whatever the size of the cache.
    selective_fixed: Query,
    wide_service: Query,
    wide_all: Query,
    /// One per entry of `RESET_SIZES`.
    many: Vec<Query>,
}

/// A reset (one or more patterns) and the IDs it must report.
struct Query {
    /// What it stands for, for the log.
    what: &'static str,
    texts: Vec<String>,
    patterns: Vec<Pattern>,
    /// The reference answer, sorted.
    expected: OnceCell<Vec<String>>,
    /// Whether the implementations have been checked against `expected`.
    checked: OnceCell<()>,
}

impl Workload {
    fn new(size: usize) -> Workload {
        Workload {
            size,
            corpus: OnceCell::new(),
            index: OnceCell::new(),
            compact: OnceCell::new(),
            numbered: OnceCell::new(),
            hashset: OnceCell::new(),
            fst: OnceCell::new(),
            picks: OnceCell::new(),
            seen: RefCell::new((Vec::new(), 0)),
        }
    }

    fn ids(&self) -> &[String] {
        &self
            .corpus
            .get_or_init(|| {
                let start = Instant::now();
                let corpus = corpus::generate(self.size, SEED);
                assert_eq!(corpus.ids.len(), self.size);
                eprintln!(
                    "[index bench] corpus of {} IDs generated in {:.2?}",
                    self.size,
                    start.elapsed()
                );
                corpus
            })
            .ids
    }

    fn services(&self) -> &[corpus::Service] {
        self.ids();
        &self.corpus.get().expect("generated by ids()").services
    }

    fn index(&self) -> &ResourceIndex<()> {
        self.index.get_or_init(|| {
            let mut index = ResourceIndex::new();
            for id in self.ids() {
                assert!(index.insert(id, ()).expect("valid ID").is_none());
            }
            assert_eq!(index.len(), self.size);
            index
        })
    }

    fn compact(&self) -> &ResourceIndex<()> {
        self.compact.get_or_init(|| {
            let mut index = self.index().clone();
            index.shrink_to_fit();
            assert_eq!(index.len(), self.size);
            index
        })
    }

    fn numbered(&self) -> &ResourceIndex<u32> {
        self.numbered.get_or_init(|| {
            let mut index = ResourceIndex::new();
            for (i, id) in self.ids().iter().enumerate() {
                let i = u32::try_from(i).expect("fewer than 2^32 IDs");
                assert!(index.insert(id, i).expect("valid ID").is_none());
            }
            assert_eq!(index.len(), self.size);
            index
        })
    }

    fn hashset(&self) -> &HashSet<String> {
        self.hashset.get_or_init(|| {
            let set: HashSet<String> = self.ids().iter().cloned().collect();
            assert_eq!(set.len(), self.size);
            set
        })
    }

    fn fst(&self) -> &fst::Set<Vec<u8>> {
        self.fst.get_or_init(|| {
            let mut sorted: Vec<&str> = self.ids().iter().map(String::as_str).collect();
            sorted.sort_unstable();
            sorted.dedup();
            let set = fst::Set::from_iter(sorted).expect("sorted, distinct keys");
            assert_eq!(set.len(), self.size);
            set
        })
    }

    fn picks(&self) -> &Picks {
        self.picks
            .get_or_init(|| Picks::new(self.ids(), self.services()))
    }

    /// The reference answer of `q` (computed on first use, outside any timing).
    fn expected<'q>(&self, q: &'q Query) -> &'q [String] {
        q.expected.get_or_init(|| {
            let start = Instant::now();
            let expected = q.answer(self.ids());
            let texts = if q.texts.len() <= 6 {
                format!("{:?}", q.texts)
            } else {
                format!("{} patterns, first {:?}", q.texts.len(), &q.texts[..6])
            };
            eprintln!(
                "[index bench] N={} {}: {} IDs match {texts} (reference answer in {:.2?})",
                self.size,
                q.what,
                expected.len(),
                start.elapsed()
            );
            expected
        })
    }

    fn matched(&self, q: &Query) -> usize {
        self.expected(q).len()
    }
}

impl Picks {
    fn new(ids: &[String], services: &[corpus::Service]) -> Picks {
        let n = ids.len();
        // Per 3-part prefix, the IDs at least two parts below it (the demo's tally), and the
        // first child part seen below it.
        let mut below: HashMap<&str, usize> = HashMap::new();
        let mut child: HashMap<&str, &str> = HashMap::new();
        for id in ids {
            let (name, _, dots) = corpus::split(id);
            if let [_, _, Some(third), fourth] = dots {
                let sub = &name[third + 1..fourth.unwrap_or(name.len())];
                child.entry(&name[..third]).or_insert(sub);
                if fourth.is_some() {
                    *below.entry(&name[..third]).or_default() += 1;
                }
            }
        }
        // The instances closest to N / 10,000 IDs below them (then by name).
        let target = (n / 10_000).max(1);
        let mut hot: Vec<(usize, &str)> = below
            .iter()
            .map(|(&prefix, &count)| (count.abs_diff(target), prefix))
            .collect();
        hot.sort_unstable();
        let hot: Vec<&str> = hot.iter().take(HOT).map(|&(_, prefix)| prefix).collect();
        assert!(!hot.is_empty(), "no instance with sub-resources");
        let fixed = below
            .iter()
            .map(|(&prefix, &count)| (count.abs_diff(FIXED_ANSWER), prefix))
            .min()
            .map(|(_, prefix)| prefix)
            .expect("an instance with sub-resources");

        let service = wide_service(services, n);

        // Models with sub-resources, in corpus order: `svc.type.<id>` IDs without a query.
        let models: Vec<(&str, &str)> = ids
            .iter()
            .filter_map(|id| match corpus::split(id) {
                (name, false, [Some(_), Some(_), None, _]) => {
                    child.get(name).map(|&sub| (name, sub))
                }
                _ => None,
            })
            .collect();
        assert!(!models.is_empty(), "no model with sub-resources");

        let one = |what, text: String| Query::new(what, vec![text]);
        Picks {
            selective: one("selective", format!("{}.>", hot[0])),
            selective_fixed: one("selective fixed", format!("{fixed}.>")),
            wide_service: one("wide svc", format!("{}.>", service.name)),
            wide_all: one("wide all", ">".to_string()),
            many: RESET_SIZES
                .iter()
                .map(|&count| Query::new("reset_many", overlapping(count, &models, &hot)))
                .collect(),
        }
    }
}

/// The service whose share is closest to 10% (then by name).
fn wide_service(services: &[corpus::Service], n: usize) -> &corpus::Service {
    services
        .iter()
        .min_by_key(|s| (s.ids.abs_diff(n / 10), s.name.as_str()))
        .expect("a service")
}

/// `count` overlapping patterns: for the j-th model `svc.type.<id>` (in corpus order, each
/// with some sub-resource `sub`), the five patterns
/// `svc.type.<id>`, `svc.type.<id>.>`, `svc.type.<id>.*` (inside the previous one),
/// `<hot>.>` (one of the `HOT` instances closest to N / 10,000 IDs below them, cycled, so
/// repeated) and `svc.type.*.<sub>` (which also matches the model's `sub`, and repeats
/// whenever a type and sub come up again), truncated to `count`.
fn overlapping(count: usize, models: &[(&str, &str)], hot: &[&str]) -> Vec<String> {
    let mut patterns = Vec::with_capacity(count + 4);
    let mut j = 0;
    while patterns.len() < count {
        let (model, sub) = models[j % models.len()];
        let svc_type = &model[..model.rfind('.').expect("3 parts")];
        patterns.push(model.to_string());
        patterns.push(format!("{model}.>"));
        patterns.push(format!("{model}.*"));
        patterns.push(format!("{}.>", hot[j % hot.len()]));
        patterns.push(format!("{svc_type}.*.{sub}"));
        j += 1;
    }
    patterns.truncate(count);
    patterns
}

impl Query {
    fn new(what: &'static str, texts: Vec<String>) -> Query {
        let patterns = texts
            .iter()
            .map(|t| Pattern::new(t).expect("valid pattern"))
            .collect();
        Query {
            what,
            texts,
            patterns,
            expected: OnceCell::new(),
            checked: OnceCell::new(),
        }
    }

    /// The reference answer: `respat::reference` over every ID, each ID tried only against
    /// the patterns that can match its first two parts (an exact shortcut: a pattern whose
    /// first `k` parts are literal matches only names whose first `k` parts are those).
    fn answer(&self, ids: &[String]) -> Vec<String> {
        let texts = &self.texts;
        // Keyed by the pattern's literal prefix of at most two parts ("" for none).
        let mut by_prefix: HashMap<&str, Vec<&str>> = HashMap::new();
        for text in texts {
            let literal = text
                .split('.')
                .take(2)
                .take_while(|&part| part != "*" && part != ">")
                .map(str::len)
                .collect::<Vec<_>>();
            let end = match literal[..] {
                [] => 0,
                [a] => a,
                [a, b] => a + 1 + b,
                _ => unreachable!("at most two parts"),
            };
            by_prefix.entry(&text[..end]).or_default().push(text);
        }
        let prefix = |name: &str, parts: usize| {
            let end = name
                .match_indices('.')
                .nth(parts - 1)
                .map_or(name.len(), |(i, _)| i);
            name[..end].to_string()
        };
        let mut expected: Vec<String> = ids
            .iter()
            .filter(|id| {
                let (name, _) = reference::split_id(id).expect("valid ID");
                ["".to_string(), prefix(name, 1), prefix(name, 2)]
                    .iter()
                    .filter_map(|key| by_prefix.get(key.as_str()))
                    .flatten()
                    .any(|p| reference::matches(p, name))
            })
            .cloned()
            .collect();
        expected.sort_unstable();
        expected
    }

    /// Panics unless `got` (in any order) is exactly `expected`.
    fn check(&self, expected: &[String], function: &str, mut got: Vec<String>) {
        got.sort_unstable();
        if got != expected {
            let first = got
                .iter()
                .zip(expected)
                .find(|(g, e)| g != e)
                .map(|(g, e)| format!("got {g:?} where {e:?} was expected"));
            panic!(
                "{function} disagrees with the reference on {:?}: {} IDs instead of {}; {}",
                self.texts,
                got.len(),
                expected.len(),
                first.unwrap_or_else(|| "one list is a prefix of the other".to_string())
            );
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Peers

/// A pattern as a byte automaton over whole IDs, for `fst::Set::search`. The name ends at
/// the first `?`, after which anything (the query) is accepted.
struct FstPattern {
    parts: Vec<FstPart>,
}

enum FstPart {
    Literal(Box<[u8]>),
    Single,
    Rest,
}

#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum FstState {
    /// No key with this prefix matches.
    Dead,
    /// Inside pattern part `part`, `len` bytes of it read (a `*` counts at most 1).
    In { part: u32, len: u32 },
    /// Every key with this prefix matches (below a `>`, or in the query of a matched name).
    All,
}

impl FstPattern {
    fn new(pattern: &Pattern) -> FstPattern {
        FstPattern {
            parts: pattern
                .parts()
                .map(|part| match part {
                    Part::Literal(text) => FstPart::Literal(text.as_bytes().into()),
                    Part::Single => FstPart::Single,
                    Part::Rest => FstPart::Rest,
                })
                .collect(),
        }
    }

    fn is_last(&self, part: u32) -> bool {
        part as usize + 1 == self.parts.len()
    }

    /// After a complete part `part`, the name goes on with `byte`.
    fn after_part(&self, part: u32, byte: u8) -> FstState {
        match byte {
            b'.' if !self.is_last(part) => FstState::In {
                part: part + 1,
                len: 0,
            },
            b'?' if self.is_last(part) => FstState::All,
            _ => FstState::Dead,
        }
    }
}

impl Automaton for FstPattern {
    type State = FstState;

    fn start(&self) -> FstState {
        FstState::In { part: 0, len: 0 }
    }

    fn is_match(&self, state: &FstState) -> bool {
        match *state {
            FstState::Dead => false,
            FstState::All => true,
            FstState::In { part, len } => {
                self.is_last(part)
                    && match &self.parts[part as usize] {
                        FstPart::Literal(text) => len as usize == text.len(),
                        FstPart::Single => len == 1,
                        FstPart::Rest => false,
                    }
            }
        }
    }

    fn can_match(&self, state: &FstState) -> bool {
        *state != FstState::Dead
    }

    fn will_always_match(&self, state: &FstState) -> bool {
        *state == FstState::All
    }

    fn accept(&self, state: &FstState, byte: u8) -> FstState {
        let FstState::In { part, len } = *state else {
            return *state;
        };
        match &self.parts[part as usize] {
            // The first byte of a new part (the stored names are valid, so it is one).
            FstPart::Rest => FstState::All,
            FstPart::Literal(text) if (len as usize) < text.len() => {
                if text[len as usize] == byte {
                    FstState::In { part, len: len + 1 }
                } else {
                    FstState::Dead
                }
            }
            FstPart::Single if len == 0 => match byte {
                b'.' | b'?' => FstState::Dead,
                _ => FstState::In { part, len: 1 },
            },
            FstPart::Single if byte != b'.' && byte != b'?' => *state,
            _ => self.after_part(part, byte),
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Measured operations (the same code is used for the correctness checks)

fn respat_count(index: &ResourceIndex<()>, pattern: &Pattern) -> usize {
    index.matches(pattern).fold(0, |n, entry| {
        black_box(entry);
        n + 1
    })
}

fn scan_count(cache: &HashSet<String>, patterns: &[Vec<Token<'_>>]) -> usize {
    let mut n = 0;
    scan(cache, patterns, |id| {
        black_box(id);
        n += 1;
    });
    n
}

fn fst_count(set: &fst::Set<Vec<u8>>, automaton: &FstPattern) -> usize {
    let mut stream = set.search(automaton).into_stream();
    let mut n = 0;
    while let Some(key) = stream.next() {
        black_box(key);
        n += 1;
    }
    n
}

/// The whole reset compiled into one set, resolved in one walk.
fn respat_many<'a>(
    index: &'a ResourceIndex<u32>,
    patterns: &[Pattern],
    out: &mut Vec<IndexEntry<'a, u32>>,
) {
    let mut set = PatternSet::new();
    for pattern in patterns {
        set.insert(pattern, ());
    }
    out.clear();
    out.extend(index.resolve(&set));
}

/// Each pattern alone, de-duplicated by the entries' values (their corpus positions).
fn respat_each<'a>(
    index: &'a ResourceIndex<u32>,
    patterns: &[Pattern],
    seen: &mut (Vec<u32>, u32),
    out: &mut Vec<IndexEntry<'a, u32>>,
) {
    let (stamps, epoch) = seen;
    *epoch += 1;
    if *epoch == u32::MAX {
        // About to wrap: forget every stamp (never happens in practice).
        stamps.fill(0);
        *epoch = 1;
    }
    out.clear();
    for pattern in patterns {
        for entry in index.matches(pattern) {
            let stamp = &mut stamps[*entry.value() as usize];
            if *stamp != *epoch {
                *stamp = *epoch;
                out.push(entry);
            }
        }
    }
}

/// The Resgate reset: patterns split once, every ID scanned.
fn scan_many<'c>(cache: &'c HashSet<String>, patterns: &[Pattern], out: &mut Vec<&'c str>) {
    let tokens: Vec<Vec<Token<'_>>> = patterns.iter().map(tokens).collect();
    out.clear();
    scan(cache, &tokens, |id| out.push(id));
}

// ---------------------------------------------------------------------------------------------
// Correctness checks, once per query and size, before anything is timed

fn check_single(w: &Workload, q: &Query) {
    q.checked.get_or_init(|| {
        let [pattern] = &q.patterns[..] else {
            unreachable!("one pattern")
        };
        let expected = w.expected(q);
        let matched = expected.len();
        let index = w.index();
        q.check(
            expected,
            "respat",
            index.matches(pattern).map(|e| e.id()).collect(),
        );
        assert_eq!(index.count(pattern), matched, "respat count");
        assert_eq!(respat_count(index, pattern), matched);
        q.check(
            expected,
            "respat_compact",
            w.compact().matches(pattern).map(|e| e.id()).collect(),
        );
        let tokens = [tokens(pattern)];
        let mut hits = Vec::new();
        scan(w.hashset(), &tokens, |id| hits.push(id.to_string()));
        q.check(expected, "linear_scan", hits);
        assert_eq!(scan_count(w.hashset(), &tokens), matched);
        let automaton = FstPattern::new(pattern);
        let mut stream = w.fst().search(&automaton).into_stream();
        let mut keys = Vec::new();
        while let Some(key) = stream.next() {
            keys.push(String::from_utf8(key.to_vec()).expect("ASCII keys"));
        }
        q.check(expected, "fst", keys);
        assert_eq!(fst_count(w.fst(), &automaton), matched);
    });
}

fn check_many(w: &Workload, q: &Query) {
    q.checked.get_or_init(|| {
        let expected = w.expected(q);
        let index = w.numbered();
        let distinct: HashSet<&String> = q.texts.iter().collect();
        let total: usize = q.patterns.iter().map(|p| index.count(p)).sum();
        eprintln!(
            "[index bench] N={} reset of {} patterns ({} distinct): {} IDs, {} single-pattern hits",
            w.size,
            q.texts.len(),
            distinct.len(),
            expected.len(),
            total
        );
        let mut out = Vec::new();
        respat_many(index, &q.patterns, &mut out);
        q.check(expected, "respat", out.iter().map(IndexEntry::id).collect());
        respat_each(index, &q.patterns, &mut w.seen_stamps(), &mut out);
        q.check(
            expected,
            "respat_each",
            out.iter().map(IndexEntry::id).collect(),
        );
        let mut hits = Vec::new();
        scan_many(w.hashset(), &q.patterns, &mut hits);
        q.check(
            expected,
            "linear_scan",
            hits.iter().map(|id| id.to_string()).collect(),
        );
    });
}

impl Workload {
    /// `respat_each`'s stamps, sized on first use (outside any timing).
    fn seen_stamps(&self) -> std::cell::RefMut<'_, (Vec<u32>, u32)> {
        let mut seen = self.seen.borrow_mut();
        if seen.0.len() != self.size {
            // Not zero, so the pages are written (faulted in) here, not in a measurement;
            // no epoch ever reaches `u32::MAX`.
            seen.0 = vec![u32::MAX; self.size];
            seen.1 = 0;
        }
        seen
    }
}

// ---------------------------------------------------------------------------------------------
// Groups

/// Short runs everywhere, and flat sampling with 10 samples for the slow cases.
fn configure(group: &mut BenchmarkGroup<'_, WallTime>, size: usize, slow: bool) {
    group.warm_up_time(Duration::from_millis(500));
    if size >= 1_000_000 || slow {
        group
            .sample_size(10)
            .measurement_time(Duration::from_secs(3))
            .sampling_mode(if slow {
                SamplingMode::Flat
            } else {
                SamplingMode::Auto
            });
    } else {
        group
            .sample_size(20)
            .measurement_time(Duration::from_secs(2))
            .sampling_mode(SamplingMode::Auto);
    }
}

fn bench_build(c: &mut Criterion, w: &Workload) {
    let n = w.size;
    let mut group = c.benchmark_group("index_build");
    configure(&mut group, n, n >= 1_000_000);
    group.throughput(Throughput::Elements(n as u64));
    group.bench_function(BenchmarkId::new("respat", n), |b| {
        let ids = w.ids();
        b.iter_with_large_drop(|| {
            let mut index = ResourceIndex::new();
            for id in ids {
                index.insert(black_box(id), ()).expect("valid ID");
            }
            assert_eq!(index.len(), n);
            index
        });
    });
    group.bench_function(BenchmarkId::new("hashset", n), |b| {
        let ids = w.ids();
        b.iter_with_large_drop(|| {
            let mut set = HashSet::new();
            for id in ids {
                set.insert(black_box(id).clone());
            }
            assert_eq!(set.len(), n);
            set
        });
    });
    group.finish();
}

fn bench_literal(c: &mut Criterion, w: &Workload) {
    let n = w.size;
    let mut group = c.benchmark_group("index_literal");
    configure(&mut group, n, false);
    let sample = || &w.ids()[..n.min(LITERAL_SAMPLE)];
    group.bench_function(BenchmarkId::new("respat", n), |b| {
        let index = w.index();
        cycle(b, sample(), |id| index.contains(black_box(id)));
    });
    group.bench_function(BenchmarkId::new("respat_compact", n), |b| {
        let index = w.compact();
        cycle(b, sample(), |id| index.contains(black_box(id)));
    });
    group.bench_function(BenchmarkId::new("hashset", n), |b| {
        let set = w.hashset();
        cycle(b, sample(), |id| set.contains(black_box(id)));
    });
    group.finish();
}

/// Times `contains` on the next ID of `sample` per iteration (cycling), asserting each is found.
fn cycle(b: &mut criterion::Bencher<'_>, sample: &[String], contains: impl Fn(&str) -> bool) {
    let mut next = 0;
    b.iter(|| {
        let id = &sample[next];
        next = if next + 1 == sample.len() {
            0
        } else {
            next + 1
        };
        assert!(contains(id));
    });
}

/// Which query of the picks a benchmark runs.
type Pick = fn(&Picks) -> &Query;

/// `respat`, `linear_scan` and `fst` on one single-pattern query, picked on first use.
fn bench_single(group: &mut BenchmarkGroup<'_, WallTime>, w: &Workload, pick: Pick, id: &str) {
    // The query, its pattern and its match count, checked, outside any timing.
    let query = || {
        let q = pick(w.picks());
        check_single(w, q);
        let [pattern] = &q.patterns[..] else {
            unreachable!("one pattern")
        };
        (pattern, w.matched(q))
    };
    configure(group, w.size, false);
    group.bench_function(BenchmarkId::new("respat", id), |b| {
        let ((pattern, matched), index) = (query(), w.index());
        b.iter(|| assert_eq!(respat_count(index, black_box(pattern)), matched));
    });
    group.bench_function(BenchmarkId::new("respat_compact", id), |b| {
        let ((pattern, matched), index) = (query(), w.compact());
        b.iter(|| assert_eq!(respat_count(index, black_box(pattern)), matched));
    });
    configure(group, w.size, w.size >= 1_000_000);
    group.bench_function(BenchmarkId::new("linear_scan", id), |b| {
        let ((pattern, matched), cache) = (query(), w.hashset());
        let tokens = [tokens(pattern)];
        b.iter(|| assert_eq!(scan_count(cache, black_box(&tokens)), matched));
    });
    group.bench_function(BenchmarkId::new("fst", id), |b| {
        let ((pattern, matched), set) = (query(), w.fst());
        let automaton = FstPattern::new(pattern);
        b.iter(|| assert_eq!(fst_count(set, black_box(&automaton)), matched));
    });
}

fn bench_selective(c: &mut Criterion, w: &Workload) {
    let mut group = c.benchmark_group("index_selective");
    bench_single(&mut group, w, |p| &p.selective, &w.size.to_string());
    group.finish();
    let mut group = c.benchmark_group("index_selective_fixed");
    bench_single(&mut group, w, |p| &p.selective_fixed, &w.size.to_string());
    group.finish();
}

fn bench_wide(c: &mut Criterion, w: &Workload) {
    let n = w.size;
    let mut group = c.benchmark_group("index_wide");
    // The throughput is known without the reference answer (which the checks compare with).
    let service = wide_service(w.services(), n).ids;
    let wide: [(&str, usize, Pick); 2] = [
        ("svc", service, |p| &p.wide_service),
        ("all", n, |p| &p.wide_all),
    ];
    for (label, matched, pick) in wide {
        group.throughput(Throughput::Elements(matched as u64));
        bench_single(&mut group, w, pick, &format!("{label}/{n}"));
    }
    group.finish();
}

fn bench_count(c: &mut Criterion, w: &Workload) {
    let n = w.size;
    let mut group = c.benchmark_group("index_count");
    configure(&mut group, n, false);
    for (label, pick) in [
        ("all", (|p| &p.wide_all) as Pick),
        ("svc", |p| &p.wide_service),
    ] {
        group.bench_function(BenchmarkId::new("respat", format!("{label}/{n}")), |b| {
            let q = pick(w.picks());
            check_single(w, q);
            let (pattern, matched, index) = (&q.patterns[0], w.matched(q), w.index());
            b.iter(|| assert_eq!(index.count(black_box(pattern)), matched));
        });
    }
    group.finish();
}

fn bench_reset_many(c: &mut Criterion, w: &Workload) {
    let n = w.size;
    let mut group = c.benchmark_group("index_reset_many");
    for (k, &count) in RESET_SIZES.iter().enumerate() {
        let id = format!("{count}/{n}");
        // The query and its match count, checked, outside any timing.
        let query = || {
            let q = &w.picks().many[k];
            check_many(w, q);
            (&q.patterns[..], w.matched(q))
        };
        configure(&mut group, n, false);
        group.bench_function(BenchmarkId::new("respat", &id), |b| {
            let ((patterns, matched), index) = (query(), w.numbered());
            let mut out = Vec::with_capacity(matched);
            b.iter(|| {
                respat_many(index, black_box(patterns), &mut out);
                assert_eq!(out.len(), matched);
            });
        });
        group.bench_function(BenchmarkId::new("respat_each", &id), |b| {
            let ((patterns, matched), index) = (query(), w.numbered());
            let mut seen = w.seen_stamps();
            let mut out = Vec::with_capacity(matched);
            b.iter(|| {
                respat_each(index, black_box(patterns), &mut seen, &mut out);
                assert_eq!(out.len(), matched);
            });
        });
        configure(&mut group, n, n >= 1_000_000 || n * count >= 100_000_000);
        group.bench_function(BenchmarkId::new("linear_scan", &id), |b| {
            let ((patterns, matched), cache) = (query(), w.hashset());
            let mut out = Vec::with_capacity(matched);
            b.iter(|| {
                scan_many(cache, black_box(patterns), &mut out);
                assert_eq!(out.len(), matched);
            });
        });
    }
    group.finish();
}
