//! `PatternSet` benchmarks (issue 4): which patterns of a large set match a name, raced
//! against two MQTT-style topic tries and the naive linear scan; plus insert and remove.
//!
//! Run with `cargo bench --bench set` (a few minutes) or `cargo bench --bench set -- --quick`.
//!
//! # Workloads (deterministic: a SplitMix64 generator with a fixed seed)
//! - `nats`: the NATS server's sublist benchmark. Every subject of 1 to 5 tokens drawn from 8
//!   words (37,448 literal patterns), plus `cloud.>`, `cloud.nats.component.>` and
//!   `cloud.*.*.nkeys.*`. Names: 1 to 5 tokens (length uniform) of the same 8 words, so each
//!   name matches exactly its own literal pattern (1 match per name). Group `set_match_nats`;
//!   group `set_match_nats_4_tokens` is the same set with 4-token names only (the issue's
//!   40 ns target is stated for a 4-token name, like the sublist's `MatchFourTokens`).
//! - `resources`: 100,000 literal `svcS.colC.itemI` (10 services x 100 collections x 100
//!   items), 1,000 `svcS.colC.*` and 10 `svcS.>`. Names: 100,000 drawn at random (with
//!   replacement) from the literal space, so each matches exactly 3 patterns (its literal, its
//!   collection's `*` and its service's `>`) and consecutive look-ups hit unrelated parts of
//!   the trie. Group `set_match_resources`.
//!
//! # Functions of the match groups
//! - `respat`: `PatternSet::matches_into` on a pre-parsed `Name` (the prepared input, like
//!   globset's `Candidate`), reusing one output `Vec`.
//! - `mqtt_topic_engine`: the crate's trie (`topic_matcher::TopicMatcherNode`, one `HashSet`
//!   of ids per pattern node, exactly what its `TopicRouter` keeps inside) queried with
//!   `find_by_path` on a pre-split `TopicPath`. The router's `get_subscribers` does the same
//!   walk plus a hash look-up per hit and is strictly slower, so the bare trie is the peer's
//!   best showing.
//! - `quill_pubsub`: `quill::Registry::matching` on a pre-split `Topic`.
//! - `naive`: every pattern against the name with `respat::reference::matches` (the full
//!   pattern count, but only a few names per iteration: see `NAIVE_BATCH`).
//!
//! Each timed iteration matches the next batch of `BATCH` names from a precomputed list
//! (cycling), and the group's throughput is that many elements, so criterion's time per
//! element is the time per name. Each iteration asserts the batch's total number of matches.
//!
//! # Why the MQTT peers must report the same counts
//! Patterns are translated part by part, `*` -> `+`, `>` -> `#`, `.` -> `/`. The two syntaxes
//! then agree except in three places, and the workloads avoid all three (checked at start-up,
//! see `to_mqtt` and `check_rest_prefixes`):
//! 1. MQTT `#` also matches its parent level (`a/#` matches `a`), RES `>` needs at least one
//!    more part. No name equals the prefix of a `>` pattern: `nats` names never start with
//!    `cloud`, and `resources` names have 3 parts while the `>` prefixes have 1.
//! 2. mqtt-topic-engine does not let a leading `+`/`#` match a topic starting with `$`: no
//!    part of any name or pattern starts with `$`.
//! 3. `+ # / { }` are special in MQTT (`{x}` is a named wildcard in mqtt-topic-engine): no
//!    literal part contains them.
//!
//! Before any measurement, every name of every list is matched by `respat`, both peers, and
//! (for the names the `naive` function uses) by the reference scan; the sets of matching
//! pattern indexes must be identical, and the totals must equal the workload's analytic count
//! (1 or 3 per name). Any disagreement panics.
//!
//! # `set_insert` and `set_remove` (respat only, time per operation)
//! A set holding the `resources` workload (101,010 patterns) gets fresh patterns of the same
//! shape (100,000 literals `svcS.colC.itemI` with `I` >= 100, 1,000 `svcS.colC.*` with
//! `C` >= 100, 10 `svcS.>` with `S` >= 10, shuffled) in chunks of `CHUNK`: `set_insert` times
//! the inserts of a chunk and removes it untimed, `set_remove` inserts a chunk untimed and
//! times removing it (in shuffled order). The set returns to its base content after each
//! chunk, so every operation sees a set of 101,010 to 102,010 entries.

use std::collections::HashSet;
use std::hint::black_box;
use std::time::{Duration, Instant};

use criterion::measurement::WallTime;
use criterion::{BenchmarkGroup, Criterion, SamplingMode, Throughput};
use mqtt_topic_engine::topic_matcher::TopicMatcherNode;
use mqtt_topic_engine::{CacheStrategy, TopicPath, TopicPatternPath};
use respat::{reference, Name, Pattern, PatternId, PatternSet};

/// Names matched per timed iteration (the throughput of the fast functions).
const BATCH: usize = 1_000;
/// Names matched per timed iteration by the `naive` scan (tens of ms per name on `resources`).
const NAIVE_BATCH: usize = 4;
/// How many names (from the start of each list) the `naive` scan cycles through; all of them
/// are cross-checked against the reference scan before measuring.
const NAIVE_NAMES: usize = 64;
/// Operations timed together by `set_insert` and `set_remove`.
const CHUNK: usize = 1_000;
/// The seed of every generated input.
const SEED: u64 = 0x7265_7370_6174_0004;

/// The 8 words of the NATS server's sublist benchmark (`sublist_test.go`).
const NATS_WORDS: [&str; 8] = [
    "synadia",
    "nats",
    "jetstream",
    "nkeys",
    "jwt",
    "deny",
    "auth",
    "drain",
];

/// SplitMix64: small, fast, and the same sequence everywhere.
struct Rng(u64);

impl Rng {
    fn new(stream: u64) -> Rng {
        Rng(SEED ^ stream.wrapping_mul(0x9E37_79B9_7F4A_7C15))
    }

    fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (multiply-high; the bias is far below anything measurable here).
    fn below(&mut self, n: usize) -> usize {
        ((u128::from(self.next_u64()) * n as u128) >> 64) as usize
    }

    fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            items.swap(i, self.below(i + 1));
        }
    }
}

/// A pattern list and the number of patterns each generated name matches.
struct Workload {
    patterns: Vec<String>,
    matches_per_name: usize,
}

fn nats_workload() -> Workload {
    fn subjects(prefix: &str, depth: usize, out: &mut Vec<String>) {
        for word in NATS_WORDS {
            let subject = if prefix.is_empty() {
                word.to_string()
            } else {
                format!("{prefix}.{word}")
            };
            if depth < 5 {
                subjects(&subject, depth + 1, out);
            }
            out.push(subject);
        }
    }
    let mut patterns = Vec::new();
    subjects("", 1, &mut patterns);
    assert_eq!(patterns.len(), 8 + 64 + 512 + 4096 + 32768);
    for wildcard in ["cloud.>", "cloud.nats.component.>", "cloud.*.*.nkeys.*"] {
        patterns.push(wildcard.to_string());
    }
    Workload {
        patterns,
        matches_per_name: 1,
    }
}

fn nats_names(count: usize, tokens: Option<usize>, stream: u64) -> Vec<String> {
    let mut rng = Rng::new(stream);
    (0..count)
        .map(|_| {
            let len = tokens.unwrap_or_else(|| 1 + rng.below(5));
            let words: Vec<&str> = (0..len).map(|_| NATS_WORDS[rng.below(8)]).collect();
            words.join(".")
        })
        .collect()
}

const SERVICES: usize = 10;
const COLLECTIONS: usize = 100;
const ITEMS: usize = 100;

fn resources_workload() -> Workload {
    let mut patterns = Vec::with_capacity(SERVICES * COLLECTIONS * (ITEMS + 1) + SERVICES);
    for s in 0..SERVICES {
        for c in 0..COLLECTIONS {
            for i in 0..ITEMS {
                patterns.push(format!("svc{s}.col{c}.item{i}"));
            }
        }
    }
    for s in 0..SERVICES {
        for c in 0..COLLECTIONS {
            patterns.push(format!("svc{s}.col{c}.*"));
        }
    }
    for s in 0..SERVICES {
        patterns.push(format!("svc{s}.>"));
    }
    assert_eq!(patterns.len(), 101_010);
    Workload {
        patterns,
        matches_per_name: 3,
    }
}

fn resources_names(count: usize, stream: u64) -> Vec<String> {
    let mut rng = Rng::new(stream);
    (0..count)
        .map(|_| {
            let (s, c, i) = (
                rng.below(SERVICES),
                rng.below(COLLECTIONS),
                rng.below(ITEMS),
            );
            format!("svc{s}.col{c}.item{i}")
        })
        .collect()
}

/// Fresh patterns for `set_insert`/`set_remove`, none of them in `resources_workload`.
fn fresh_resource_patterns(stream: u64) -> Vec<Pattern> {
    let mut texts = Vec::new();
    for s in 0..SERVICES {
        for c in 0..COLLECTIONS {
            for i in ITEMS..2 * ITEMS {
                texts.push(format!("svc{s}.col{c}.item{i}"));
            }
        }
    }
    for s in 0..SERVICES {
        for c in COLLECTIONS..2 * COLLECTIONS {
            texts.push(format!("svc{s}.col{c}.*"));
        }
    }
    for s in SERVICES..2 * SERVICES {
        texts.push(format!("svc{s}.>"));
    }
    Rng::new(stream).shuffle(&mut texts);
    texts
        .iter()
        .map(|t| Pattern::new(t).expect("valid pattern"))
        .collect()
}

/// RES pattern or name -> MQTT filter or topic, refusing anything whose meaning would change.
fn to_mqtt(text: &str) -> String {
    let parts: Vec<&str> = text
        .split('.')
        .map(|part| match part {
            "*" => "+",
            ">" => "#",
            literal => {
                assert!(
                    !literal.contains(['/', '+', '#', '{', '}']) && !literal.starts_with('$'),
                    "{text:?}: part {literal:?} would mean something else in MQTT"
                );
                literal
            }
        })
        .collect();
    parts.join("/")
}

/// Panics if a name equals the prefix of a `>` pattern: MQTT `#` would match it, RES `>` not.
fn check_rest_prefixes(patterns: &[String], names: &[String]) {
    let prefixes: HashSet<&str> = patterns
        .iter()
        .filter_map(|p| p.strip_suffix(".>"))
        .collect();
    assert!(
        !patterns.iter().any(|p| p == ">"),
        "bare `>` differs from MQTT `#`"
    );
    for name in names {
        assert!(
            !prefixes.contains(name.as_str()),
            "name {name:?} is the prefix of a `>` pattern: MQTT `#` would match it"
        );
    }
}

/// The same patterns in every engine; each entry's value is its index in `patterns`.
struct Engines {
    patterns: Vec<String>,
    respat: PatternSet<u32>,
    mqtt: TopicMatcherNode<HashSet<u32>>,
    quill: quill::Registry<u32>,
}

impl Engines {
    fn new(patterns: Vec<String>) -> Engines {
        let mut respat = PatternSet::new();
        let mut mqtt: TopicMatcherNode<HashSet<u32>> = TopicMatcherNode::new();
        let quill = quill::Registry::new();
        for (index, text) in patterns.iter().enumerate() {
            let index = u32::try_from(index).expect("fewer than 2^32 patterns");
            respat.insert(&Pattern::new(text).expect("valid pattern"), index);
            let filter = to_mqtt(text);
            let path = TopicPatternPath::new_from_string(filter.as_str(), CacheStrategy::NoCache)
                .expect("valid MQTT filter");
            mqtt.get_or_create_subscription_table(&path).insert(index);
            quill.subscribe(
                quill::Pattern::parse(&filter).expect("valid quill pattern"),
                index,
            );
        }
        assert_eq!(respat.len(), patterns.len());
        Engines {
            patterns,
            respat,
            mqtt,
            quill,
        }
    }
}

/// A name list, prepared for every engine, with the expected match totals per batch.
struct Names<'a> {
    text: &'a [String],
    respat: Vec<Name<'a>>,
    mqtt: Vec<TopicPath>,
    quill: Vec<quill::Topic>,
    /// Total matches of names `k * BATCH .. (k + 1) * BATCH`.
    batch_totals: Vec<usize>,
    /// Total matches of names `k * NAIVE_BATCH .. (k + 1) * NAIVE_BATCH`, `k * NAIVE_BATCH`
    /// below `NAIVE_NAMES`.
    naive_totals: Vec<usize>,
}

impl<'a> Names<'a> {
    /// Prepares `text` for every engine and cross-checks every engine on every name.
    fn new(
        label: &str,
        engines: &Engines,
        matches_per_name: usize,
        text: &'a [String],
    ) -> Names<'a> {
        assert!(text.len() % BATCH == 0 && text.len() >= NAIVE_NAMES);
        check_rest_prefixes(&engines.patterns, text);
        let respat: Vec<Name<'a>> = text
            .iter()
            .map(|t| Name::new(t).expect("valid name"))
            .collect();
        let mqtt_text: Vec<String> = text.iter().map(|t| to_mqtt(t)).collect();
        let mqtt: Vec<TopicPath> = mqtt_text
            .iter()
            .map(|t| TopicPath::new(t.as_str()).expect("valid MQTT topic"))
            .collect();
        let quill: Vec<quill::Topic> = mqtt_text
            .iter()
            .map(|t| quill::Topic::parse(t).expect("valid quill topic"))
            .collect();

        let mut counts = Vec::with_capacity(text.len());
        let mut out = Vec::new();
        for i in 0..text.len() {
            engines.respat.matches_into(&respat[i], &mut out);
            let mut ours: Vec<u32> = out
                .iter()
                .map(|&id: &PatternId| *engines.respat.get(id).expect("live id"))
                .collect();
            ours.sort_unstable();
            assert_eq!(
                engines.respat.is_match_name(&respat[i]),
                !ours.is_empty(),
                "{label}: is_match_name disagrees with matches_into on {:?}",
                text[i]
            );
            let mut theirs: Vec<u32> = engines
                .mqtt
                .find_by_path(&mqtt[i])
                .into_iter()
                .flatten()
                .copied()
                .collect();
            theirs.sort_unstable();
            assert_eq!(
                ours, theirs,
                "{label}: respat vs mqtt-topic-engine on {:?}",
                text[i]
            );
            let mut theirs = engines.quill.matching(&quill[i]);
            theirs.sort_unstable();
            assert_eq!(
                ours, theirs,
                "{label}: respat vs quill-pubsub on {:?}",
                text[i]
            );
            if i < NAIVE_NAMES {
                let naive: Vec<u32> = (0..engines.patterns.len() as u32)
                    .filter(|&p| reference::matches(&engines.patterns[p as usize], &text[i]))
                    .collect();
                assert_eq!(
                    ours, naive,
                    "{label}: respat vs reference scan on {:?}",
                    text[i]
                );
            }
            assert_eq!(
                ours.len(),
                matches_per_name,
                "{label}: {:?} does not match the workload's count",
                text[i]
            );
            counts.push(ours.len());
        }
        Names {
            text,
            respat,
            mqtt,
            quill,
            batch_totals: counts.chunks(BATCH).map(|c| c.iter().sum()).collect(),
            naive_totals: counts[..NAIVE_NAMES]
                .chunks(NAIVE_BATCH)
                .map(|c| c.iter().sum())
                .collect(),
        }
    }
}

fn configure(group: &mut BenchmarkGroup<'_, WallTime>) {
    group
        .sample_size(20)
        .warm_up_time(Duration::from_millis(500))
        .measurement_time(Duration::from_secs(2));
}

fn bench_match(c: &mut Criterion, group: &str, engines: &Engines, names: &Names<'_>) {
    let mut g = c.benchmark_group(group);
    configure(&mut g);
    g.throughput(Throughput::Elements(BATCH as u64));
    let batches = names.batch_totals.len();

    g.bench_function("respat", |b| {
        let mut out = Vec::new();
        let mut batch = 0;
        b.iter(|| {
            let mut total = 0;
            for name in &names.respat[batch * BATCH..(batch + 1) * BATCH] {
                engines.respat.matches_into(black_box(name), &mut out);
                total += out.len();
            }
            assert_eq!(total, names.batch_totals[batch]);
            batch = (batch + 1) % batches;
            total
        })
    });

    g.bench_function("mqtt_topic_engine", |b| {
        let mut batch = 0;
        b.iter(|| {
            let mut total = 0;
            for topic in &names.mqtt[batch * BATCH..(batch + 1) * BATCH] {
                let hits = engines.mqtt.find_by_path(black_box(topic));
                total += hits.iter().map(|ids| ids.len()).sum::<usize>();
            }
            assert_eq!(total, names.batch_totals[batch]);
            batch = (batch + 1) % batches;
            total
        })
    });

    g.bench_function("quill_pubsub", |b| {
        let mut batch = 0;
        b.iter(|| {
            let mut total = 0;
            for topic in &names.quill[batch * BATCH..(batch + 1) * BATCH] {
                total += engines.quill.matching(black_box(topic)).len();
            }
            assert_eq!(total, names.batch_totals[batch]);
            batch = (batch + 1) % batches;
            total
        })
    });

    // Milliseconds per name: few names per iteration, one iteration count for every sample.
    g.throughput(Throughput::Elements(NAIVE_BATCH as u64))
        .sample_size(10)
        .sampling_mode(SamplingMode::Flat);
    let naive_batches = names.naive_totals.len();
    g.bench_function("naive", |b| {
        let mut batch = 0;
        b.iter(|| {
            let mut total = 0;
            for name in &names.text[batch * NAIVE_BATCH..(batch + 1) * NAIVE_BATCH] {
                let name = black_box(name.as_str());
                for pattern in &engines.patterns {
                    total += usize::from(reference::matches(pattern, name));
                }
            }
            assert_eq!(total, names.naive_totals[batch]);
            batch = (batch + 1) % naive_batches;
            total
        })
    });
    g.finish();
}

/// `set_insert` and `set_remove`: time per operation on a set holding `resources`.
fn bench_update(c: &mut Criterion, set: &mut PatternSet<u32>) {
    let base = set.len();
    let fresh = fresh_resource_patterns(3);
    let mut order: Vec<usize> = (0..CHUNK).collect();
    Rng::new(4).shuffle(&mut order);
    let mut ids: Vec<PatternId> = Vec::with_capacity(CHUNK);
    let mut by_order: Vec<PatternId> = Vec::with_capacity(CHUNK);

    let mut g = c.benchmark_group("set_insert");
    configure(&mut g);
    g.throughput(Throughput::Elements(1));
    g.bench_function("respat", |b| {
        let mut next = 0;
        b.iter_custom(|iters| {
            let mut elapsed = Duration::ZERO;
            let mut left = iters as usize;
            while left > 0 {
                let n = left.min(CHUNK);
                let start = Instant::now();
                for k in 0..n {
                    let pattern = &fresh[(next + k) % fresh.len()];
                    ids.push(set.insert(black_box(pattern), k as u32));
                }
                elapsed += start.elapsed();
                assert_eq!(set.len(), base + n);
                for id in ids.drain(..) {
                    assert!(set.remove(id).is_some());
                }
                assert_eq!(set.len(), base);
                next = (next + n) % fresh.len();
                left -= n;
            }
            elapsed
        })
    });
    g.finish();

    let mut g = c.benchmark_group("set_remove");
    configure(&mut g);
    g.throughput(Throughput::Elements(1));
    g.bench_function("respat", |b| {
        let mut next = 0;
        b.iter_custom(|iters| {
            let mut elapsed = Duration::ZERO;
            let mut left = iters as usize;
            while left > 0 {
                let n = left.min(CHUNK);
                for k in 0..n {
                    ids.push(set.insert(&fresh[(next + k) % fresh.len()], k as u32));
                }
                by_order.clear();
                by_order.extend(order.iter().filter(|&&k| k < n).map(|&k| ids[k]));
                ids.clear();
                assert_eq!(set.len(), base + n);
                let mut removed = 0;
                let start = Instant::now();
                for &id in &by_order {
                    removed += usize::from(set.remove(black_box(id)).is_some());
                }
                elapsed += start.elapsed();
                assert_eq!(removed, n);
                assert_eq!(set.len(), base);
                next = (next + n) % fresh.len();
                left -= n;
            }
            elapsed
        })
    });
    g.finish();
}

fn benches(c: &mut Criterion) {
    let nats = nats_workload();
    let nats_engines = Engines::new(nats.patterns);
    let nats_text = nats_names(64 * BATCH, None, 1);
    let names = Names::new("nats", &nats_engines, nats.matches_per_name, &nats_text);
    bench_match(c, "set_match_nats", &nats_engines, &names);
    drop(names);
    let four_text = nats_names(64 * BATCH, Some(4), 2);
    let names = Names::new(
        "nats 4 tokens",
        &nats_engines,
        nats.matches_per_name,
        &four_text,
    );
    bench_match(c, "set_match_nats_4_tokens", &nats_engines, &names);
    drop(names);
    drop(nats_engines);

    let resources = resources_workload();
    let mut resources_engines = Engines::new(resources.patterns);
    let resources_text = resources_names(100 * BATCH, 0);
    let names = Names::new(
        "resources",
        &resources_engines,
        resources.matches_per_name,
        &resources_text,
    );
    bench_match(c, "set_match_resources", &resources_engines, &names);
    drop(names);

    bench_update(c, &mut resources_engines.respat);
}

// What `criterion_group!` and `criterion_main!` expand to, minus an undocumented `pub fn`.
fn main() {
    let mut criterion = Criterion::default().configure_from_args();
    benches(&mut criterion);
    criterion.final_summary();
}
