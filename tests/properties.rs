//! Property tests: the parsers, `Pattern`, `PatternSet`, `ResourceIndex` and `Reset` against
//! the naive reference (`respat::reference`) on random input over small alphabets, so that
//! matches, duplicates and removals of absent entries are frequent.
//!
//! Each property runs 10,000 cases by default. `PROPTEST_CASES` overrides that (it has to
//! be read here: proptest applies it to `ProptestConfig::default()`, which a literal
//! `cases` field would override).
#![cfg(feature = "json")]

use std::collections::{BTreeMap, BTreeSet};

use proptest::prelude::*;
use proptest::sample::{select, Index};
use proptest::test_runner::{Config as ProptestConfig, RngAlgorithm};
use respat::{
    reference, IndexEntry, Name, Pattern, PatternId, PatternSet, Reset, ResetList, ResourceId,
    ResourceIndex,
};

/// 10,000 cases per property unless `PROPTEST_CASES` says otherwise.
fn config() -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10_000);
    // ChaCha, proptest's default generator, dominates the run time in the debug profile;
    // XorShift is ample for test inputs. `PROPTEST_RNG_ALGORITHM` still picks another.
    let rng_algorithm = match std::env::var_os("PROPTEST_RNG_ALGORITHM") {
        Some(_) => ProptestConfig::default().rng_algorithm,
        None => RngAlgorithm::XorShift,
    };
    ProptestConfig {
        cases,
        rng_algorithm,
        // Failures are printed with their minimal input; no regression file is written
        // into the source tree.
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

// ---------------------------------------------------------------------------------------
// Strategies
// ---------------------------------------------------------------------------------------

/// Strings over the characters that matter to the grammar, plus a few that must be refused.
fn tricky_string() -> impl Strategy<Value = String> {
    let chars = select(vec![
        '.', '.', '*', '>', '?', ' ', '\t', 'é', '\0', '$', 'a', 'a', 'b', 'b', '\u{7f}', '~',
    ]);
    prop::collection::vec(chars, 0..10).prop_map(|c| c.into_iter().collect())
}

/// Arbitrary input: tricky strings, any Unicode, or random bytes made UTF-8.
fn any_input() -> impl Strategy<Value = String> {
    prop_oneof![
        6 => tricky_string(),
        1 => ".{0,8}",
        1 => prop::collection::vec(any::<u8>(), 0..8)
            .prop_map(|b| String::from_utf8_lossy(&b).into_owned()),
        2 => valid_name(),
        2 => id(),
        2 => valid_pattern(),
    ]
}

/// The parts and queries that names, IDs and patterns are made of.
#[derive(Clone, Copy, Debug)]
enum Alphabet {
    /// Names of 1 to 5 parts over {a, b, c, $x}, four queries: matches are frequent.
    Narrow,
    /// Names of 1 to 3 parts over 18 short parts and two long ones: nodes fan out beyond
    /// 16 children into a hash table (and back, as entries are removed), and labels of 7,
    /// 8 (the longest inline) and more bytes (kept in the index's arena) occur.
    Wide,
    /// A few names, mostly `a.b`, with 18 queries: a name collects enough query variants
    /// to index them by a hash table (and back).
    Queries,
}

const WIDE: [&str; 20] = [
    "a",
    "b",
    "c",
    "d",
    "e",
    "f",
    "g",
    "h",
    "i",
    "j",
    "k",
    "l",
    "m",
    "n",
    "seven-7",
    "exactly8",
    "A",
    "$x",
    "twenty-two-bytes-label",
    "a-label-longer-than-twenty-two-bytes",
];

fn alphabet() -> impl Strategy<Value = Alphabet> {
    prop_oneof![
        3 => Just(Alphabet::Narrow),
        1 => Just(Alphabet::Wide),
        1 => Just(Alphabet::Queries),
    ]
}

fn name_part(alphabet: Alphabet) -> BoxedStrategy<&'static str> {
    match alphabet {
        Alphabet::Narrow | Alphabet::Queries => {
            prop_oneof![10 => select(vec!["a", "b", "c"]), 1 => Just("$x")].boxed()
        }
        Alphabet::Wide => select(WIDE.to_vec()).boxed(),
    }
}

/// A valid name made of the alphabet.
fn valid_name_in(alphabet: Alphabet) -> BoxedStrategy<String> {
    let parts = match alphabet {
        Alphabet::Narrow => 1..=5,
        Alphabet::Wide => 1..=3,
        Alphabet::Queries => {
            return prop_oneof![
                6 => Just("a.b"),
                1 => select(vec!["a", "a.b.c", "b.b", "c"]),
            ]
            .prop_map(str::to_string)
            .boxed()
        }
    };
    prop::collection::vec(name_part(alphabet), parts)
        .prop_map(|parts| parts.join("."))
        .boxed()
}

fn valid_name() -> BoxedStrategy<String> {
    valid_name_in(Alphabet::Narrow)
}

/// No query, an empty one, or one with characters that are special in names; many more
/// in `Queries`.
fn query(alphabet: Alphabet) -> impl Strategy<Value = &'static str> {
    match alphabet {
        Alphabet::Narrow | Alphabet::Wide => select(vec!["", "?", "?q=1", "?x=*.>"]),
        Alphabet::Queries => select(vec![
            "", "?", "?q=1", "?x=*.>", "?q=2", "?q=3", "?q=4", "?q=5", "?q=6", "?q=7", "?q=8",
            "?q=9", "?q=10", "?q=11", "?q=12", "?q=13", "?q=14", "?a.b?c",
        ]),
    }
}

/// A valid resource ID: a name and one of a few queries.
fn valid_id_in(alphabet: Alphabet) -> impl Strategy<Value = String> {
    (valid_name_in(alphabet), query(alphabet)).prop_map(|(name, query)| format!("{name}{query}"))
}

/// Mostly valid IDs, with some invalid ones.
fn id_in(alphabet: Alphabet) -> impl Strategy<Value = String> {
    prop_oneof![
        8 => valid_id_in(alphabet),
        1 => select(vec![
            "", ".", "a.", ".a", "a..b", "a.*", "a.>", "*", ">", "?q=1", "a.?x", "a b", "a.b\t",
            "\u{e9}.a", "a\0",
        ])
        .prop_map(str::to_string),
        1 => (valid_name_in(alphabet), select(vec![".", ".*", " ", ".>", "..a"]), query(alphabet))
            .prop_map(|(n, bad, q)| format!("{n}{bad}{q}")),
    ]
}

fn id() -> impl Strategy<Value = String> {
    id_in(Alphabet::Narrow)
}

/// A valid pattern: up to 4 parts over the alphabet and `*`, possibly ending in `>` (so
/// `>` alone too).
fn valid_pattern_in(alphabet: Alphabet) -> impl Strategy<Value = String> {
    let part = prop_oneof![6 => name_part(alphabet), 3 => Just("*")];
    let parts = match alphabet {
        Alphabet::Narrow | Alphabet::Queries => 0..=4,
        Alphabet::Wide => 0..=3,
    };
    (prop::collection::vec(part, parts), any::<bool>()).prop_map(|(mut parts, rest)| {
        if rest || parts.is_empty() {
            parts.push(">");
        }
        parts.join(".")
    })
}

fn valid_pattern() -> impl Strategy<Value = String> {
    valid_pattern_in(Alphabet::Narrow)
}

/// Mostly valid patterns, with some invalid ones.
fn pattern_input_in(alphabet: Alphabet) -> impl Strategy<Value = String> {
    prop_oneof![
        8 => valid_pattern_in(alphabet),
        2 => select(vec![
            "", ".", "a.", "a..b", "a*", "*a", "a.>.b", ">.a", "a.b?", "a?", "a b", "**", ">>",
            "a.$b*", "\u{e9}",
        ])
        .prop_map(str::to_string),
        1 => tricky_string(),
    ]
}

// ---------------------------------------------------------------------------------------
// Parsers and the single-pattern matcher
// ---------------------------------------------------------------------------------------

fn check_error(err: &respat::Error, input: &str, noun: &str) -> Result<(), TestCaseError> {
    let text = err.to_string();
    prop_assert!(text.starts_with(&format!("invalid {noun} \"")), "{text:?}");
    prop_assert!(!text.contains('\n') && !text.contains('\r'), "{text:?}");
    prop_assert!(
        err.offset() <= input.len(),
        "offset {} in {input:?}",
        err.offset()
    );
    prop_assert_eq!(err.input(), input);
    Ok(())
}

proptest! {
    #![proptest_config(config())]

    /// `Name::new`, `ResourceId::new` (with its name/query split) and `Pattern::new` accept
    /// exactly what the reference validators accept.
    #[test]
    fn parsers_agree_with_the_reference(input in any_input()) {
        match Name::new(&input) {
            Ok(name) => {
                prop_assert!(reference::is_valid_name(&input), "Name::new accepted {input:?}");
                prop_assert_eq!(name.as_str(), input.as_str());
                prop_assert_eq!(name.parts().collect::<Vec<_>>().join("."), input.as_str());
            }
            Err(err) => {
                prop_assert!(!reference::is_valid_name(&input), "Name::new rejected {input:?}: {err}");
                check_error(&err, &input, "name")?;
            }
        }
        match ResourceId::new(&input) {
            Ok(id) => {
                prop_assert_eq!(
                    reference::split_id(&input),
                    Some((id.name().as_str(), id.query())),
                    "ResourceId::new({:?})", input
                );
                prop_assert_eq!(id.as_str(), input.as_str());
            }
            Err(err) => {
                prop_assert_eq!(reference::split_id(&input), None, "ResourceId::new rejected {:?}: {}", input, err);
                check_error(&err, &input, "resource id")?;
            }
        }
        match Pattern::new(&input) {
            Ok(pattern) => {
                prop_assert!(reference::is_valid_pattern(&input), "Pattern::new accepted {input:?}");
                prop_assert_eq!(pattern.to_string(), input.clone());
                prop_assert_eq!(Pattern::new(&pattern.to_string()).ok(), Some(pattern));
            }
            Err(err) => {
                prop_assert!(!reference::is_valid_pattern(&input), "Pattern::new rejected {input:?}: {err}");
                check_error(&err, &input, "pattern")?;
            }
        }
    }

    /// `Pattern::matches` (and `matches_name`) equals `reference::matches`.
    #[test]
    fn pattern_matches_like_the_reference(
        pattern in prop_oneof![4 => valid_pattern(), 1 => pattern_input_in(Alphabet::Narrow), 1 => any_input()],
        name in prop_oneof![4 => valid_name(), 1 => any_input()],
    ) {
        let want = reference::matches(&pattern, &name);
        match Pattern::new(&pattern) {
            Ok(p) => {
                prop_assert_eq!(p.matches(&name), want, "{:?} matching {:?}", pattern, name);
                if let Ok(parsed) = Name::new(&name) {
                    prop_assert_eq!(p.matches_name(&parsed), want);
                }
            }
            Err(_) => prop_assert!(!want, "the reference matches with invalid pattern {pattern:?}"),
        }
    }
}

// ---------------------------------------------------------------------------------------
// PatternSet against a model
// ---------------------------------------------------------------------------------------

#[derive(Clone, Debug)]
enum SetOp {
    Insert(String),
    /// Remove the handle at this index among every handle issued so far (live or not).
    Remove(Index),
    /// Remove a handle this set never issued.
    RemoveForeign(Index),
    Match(String),
}

fn set_op(alphabet: Alphabet) -> impl Strategy<Value = SetOp> {
    prop_oneof![
        4 => valid_pattern_in(alphabet).prop_map(SetOp::Insert),
        3 => any::<Index>().prop_map(SetOp::Remove),
        1 => any::<Index>().prop_map(SetOp::RemoveForeign),
        2 => valid_name_in(alphabet).prop_map(SetOp::Match),
    ]
}

/// Up to 40 steps, each an operation and a name to probe the set with afterwards.
fn set_ops() -> impl Strategy<Value = Vec<(SetOp, String)>> {
    alphabet().prop_flat_map(|alphabet| {
        prop::collection::vec((set_op(alphabet), valid_name_in(alphabet)), 0..40)
    })
}

/// Handles of a foreign set whose slots this set, at most 40 entries at once, never reaches.
fn foreign_handles() -> Vec<PatternId> {
    let mut foreign = PatternSet::new();
    let ids: Vec<PatternId> = (0..80)
        .map(|_| foreign.insert_str("f", ()).unwrap())
        .collect();
    ids[60..].to_vec()
}

struct SetModel {
    set: PatternSet<u32>,
    live: Vec<(PatternId, String, u32)>,
}

impl SetModel {
    fn check(&self, probe: &str) -> Result<(), TestCaseError> {
        let set = &self.set;
        prop_assert_eq!(set.len(), self.live.len());
        prop_assert_eq!(set.is_empty(), self.live.is_empty());
        let mut want: Vec<PatternId> = self
            .live
            .iter()
            .filter(|(_, p, _)| reference::matches(p, probe))
            .map(|(id, _, _)| *id)
            .collect();
        want.sort();
        let mut got = set.matches(probe);
        got.sort();
        prop_assert_eq!(&got, &want, "PatternSet::matches({:?})", probe);
        prop_assert_eq!(
            set.is_match(probe),
            !want.is_empty(),
            "is_match({:?})",
            probe
        );
        let name = Name::new(probe).expect("probes are valid names");
        let mut out = vec![];
        set.matches_into(&name, &mut out);
        out.sort();
        prop_assert_eq!(&out, &want, "PatternSet::matches_into({:?})", probe);
        prop_assert_eq!(set.is_match_name(&name), !want.is_empty());
        let mut listed: Vec<(PatternId, u32)> = set.iter().map(|(id, v)| (id, *v)).collect();
        listed.sort();
        let mut live: Vec<(PatternId, u32)> =
            self.live.iter().map(|(id, _, v)| (*id, *v)).collect();
        live.sort();
        prop_assert_eq!(listed, live, "PatternSet::iter");
        for (id, pattern, value) in &self.live {
            prop_assert_eq!(set.get(*id), Some(value), "get({:?})", id);
            prop_assert_eq!(
                set.pattern(*id).map(|p| p.to_string()),
                Some(pattern.clone()),
                "pattern({:?})",
                id
            );
        }
        Ok(())
    }
}

proptest! {
    #![proptest_config(config())]

    /// Random insert / remove (of live, removed and foreign handles) / match sequences:
    /// after every step the set agrees with a list of entries scanned with the reference.
    #[test]
    fn pattern_set_agrees_with_a_model(
        ops in set_ops(),
    ) {
        let foreign = foreign_handles();
        let empty_memory = PatternSet::<u32>::new().memory_usage();
        let mut model = SetModel { set: PatternSet::new(), live: Vec::new() };
        let mut issued: Vec<PatternId> = Vec::new();
        for (step, (op, probe)) in ops.into_iter().enumerate() {
            let value = step as u32;
            match op {
                SetOp::Insert(pattern) => {
                    let id = model.set.insert(&Pattern::new(&pattern).unwrap(), value);
                    prop_assert!(!issued.contains(&id), "handle {id:?} issued twice");
                    issued.push(id);
                    model.live.push((id, pattern, value));
                }
                SetOp::Remove(which) | SetOp::RemoveForeign(which) => {
                    let id = match op {
                        SetOp::Remove(_) if !issued.is_empty() => *which.get(&issued),
                        _ => *which.get(&foreign),
                    };
                    let before = (model.set.len(), model.set.node_count(), model.set.memory_usage());
                    let position = model.live.iter().position(|(live, _, _)| *live == id);
                    match position {
                        Some(at) => {
                            let (_, _, want) = model.live.remove(at);
                            prop_assert_eq!(model.set.remove(id), Some(want), "remove({:?})", id);
                            prop_assert_eq!(model.set.get(id), None);
                            prop_assert_eq!(model.set.pattern(id), None);
                        }
                        None => {
                            prop_assert_eq!(model.set.remove(id), None, "remove of absent {:?}", id);
                            prop_assert_eq!(
                                (model.set.len(), model.set.node_count(), model.set.memory_usage()),
                                before,
                                "removing absent {:?} changed the set", id
                            );
                            prop_assert_eq!(model.set.get(id), None);
                        }
                    }
                }
                SetOp::Match(name) => model.check(&name)?,
            }
            model.check(&probe)?;
        }
        // Remove everything: the set is as new.
        for (id, _, value) in std::mem::take(&mut model.live) {
            prop_assert_eq!(model.set.remove(id), Some(value));
        }
        prop_assert_eq!(model.set.len(), 0);
        prop_assert_eq!(model.set.node_count(), 1);
        prop_assert_eq!(model.set.memory_usage(), empty_memory);
        prop_assert!(!model.set.is_match("a"));
        for id in issued {
            prop_assert_eq!(model.set.get(id), None);
            prop_assert_eq!(model.set.remove(id), None);
        }
    }
}

/// The smallest case of `pattern_set_agrees_with_a_model` that fails: two `>` entries (both
/// at the root, so the root's list of `>` entries moves to the heap) and nothing else. When
/// both are removed the set is empty and has one node, but it still owns that list's
/// allocation, so it does not give all of its memory back.
#[test]
fn pattern_set_gives_memory_back_after_removing_root_rest_patterns() {
    let fresh = PatternSet::<u32>::new().memory_usage();
    let mut set = PatternSet::new();
    let rest = Pattern::new(">").unwrap();
    let first = set.insert(&rest, 1);
    let second = set.insert(&rest, 2);
    assert_eq!(set.remove(first), Some(1));
    assert_eq!(set.remove(second), Some(2));
    assert_eq!((set.len(), set.node_count()), (0, 1));
    assert_eq!(
        set.memory_usage(),
        fresh,
        "an emptied set must own no more memory than a new one"
    );
}

// ---------------------------------------------------------------------------------------
// ResourceIndex against a model
// ---------------------------------------------------------------------------------------

#[derive(Clone, Debug)]
enum IndexOp {
    Insert(String),
    /// Remove an ID that was inserted at some point (possibly removed since).
    RemoveKnown(Index),
    /// Remove any ID (mostly absent, sometimes invalid).
    Remove(String),
    Match(String),
    Resolve(Vec<String>),
}

fn index_op(alphabet: Alphabet) -> impl Strategy<Value = IndexOp> {
    prop_oneof![
        5 => id_in(alphabet).prop_map(IndexOp::Insert),
        2 => any::<Index>().prop_map(IndexOp::RemoveKnown),
        1 => id_in(alphabet).prop_map(IndexOp::Remove),
        2 => valid_pattern_in(alphabet).prop_map(IndexOp::Match),
        2 => prop::collection::vec(valid_pattern_in(alphabet), 1..=6).prop_map(IndexOp::Resolve),
    ]
}

/// Up to 40 steps, each an operation and an ID to probe the index with afterwards.
fn index_ops() -> impl Strategy<Value = Vec<(IndexOp, String)>> {
    alphabet().prop_flat_map(|alphabet| {
        prop::collection::vec((index_op(alphabet), id_in(alphabet)), 0..40)
    })
}

/// The (ID, value) pairs of the entries `make()` yields, sorted, stepping with `next`; checks
/// that `fold` (what `count` and `for_each` use), alone or after some steps of `next`,
/// yields the same.
fn yielded<'a, I: Iterator<Item = IndexEntry<'a, u32>>>(
    make: impl Fn() -> I,
    what: &str,
) -> Result<Vec<(String, u32)>, TestCaseError> {
    let pair = |e: IndexEntry<'a, u32>| (e.id(), *e.value());
    let mut stepped: Vec<(String, u32)> = make().map(pair).collect();
    stepped.sort();
    for split in [0, 1, stepped.len() / 2] {
        let mut entries = make();
        let mut folded: Vec<(String, u32)> = entries.by_ref().take(split).map(pair).collect();
        entries.for_each(|e| folded.push(pair(e)));
        folded.sort();
        prop_assert_eq!(
            &folded,
            &stepped,
            "{}: fold after {} steps of next",
            what,
            split
        );
    }
    prop_assert_eq!(make().count(), stepped.len(), "{}: count", what);
    Ok(stepped)
}

struct IndexModel {
    index: ResourceIndex<u32>,
    /// The same IDs in an index with zero-sized values (kept without a byte per record).
    set: ResourceIndex<()>,
    model: BTreeMap<String, u32>,
}

/// The IDs of the entries `make()` yields, sorted, by `next` and by `for_each`.
fn yielded_ids<'a, I: Iterator<Item = IndexEntry<'a, ()>>>(
    make: impl Fn() -> I,
    what: &str,
) -> Result<Vec<String>, TestCaseError> {
    let mut stepped: Vec<String> = make().map(|e| e.id()).collect();
    stepped.sort();
    let mut folded = Vec::new();
    make().for_each(|e| folded.push(e.id()));
    folded.sort();
    prop_assert_eq!(&folded, &stepped, "{}: fold of the set", what);
    Ok(stepped)
}

impl IndexModel {
    /// The model's (ID, value) pairs that any of `patterns` covers, sorted.
    fn expected(&self, patterns: &[String]) -> Vec<(String, u32)> {
        self.model
            .iter()
            .filter(|(id, _)| reference::matches_id(patterns, id))
            .map(|(id, v)| (id.clone(), *v))
            .collect()
    }

    fn check_match(&self, pattern: &str) -> Result<(), TestCaseError> {
        let want = self.expected(&[pattern.to_string()]);
        let compiled = Pattern::new(pattern).unwrap();
        let got = yielded(|| self.index.matches(&compiled), pattern)?;
        prop_assert!(
            got.windows(2).all(|w| w[0].0 != w[1].0),
            "matches({}) yields an id twice: {:?}",
            pattern,
            got
        );
        prop_assert_eq!(&got, &want, "ResourceIndex::matches({})", pattern);
        prop_assert_eq!(
            self.index.count(&compiled),
            want.len(),
            "count({})",
            pattern
        );
        let ids: Vec<String> = want.into_iter().map(|(id, _)| id).collect();
        let in_set = yielded_ids(|| self.set.matches(&compiled), pattern)?;
        prop_assert_eq!(&in_set, &ids, "ResourceIndex<()>::matches({})", pattern);
        prop_assert_eq!(self.set.count(&compiled), ids.len());
        Ok(())
    }

    fn check_resolve(&self, patterns: &[String]) -> Result<(), TestCaseError> {
        let want = self.expected(patterns);
        let mut set = PatternSet::new();
        for (i, p) in patterns.iter().enumerate() {
            set.insert(&Pattern::new(p).unwrap(), i);
        }
        let got = yielded(|| self.index.resolve(&set), "resolve")?;
        prop_assert!(
            got.windows(2).all(|w| w[0].0 != w[1].0),
            "resolve({:?}) yields an id twice: {:?}",
            patterns,
            got
        );
        prop_assert_eq!(&got, &want, "ResourceIndex::resolve({:?})", patterns);
        let ids: Vec<String> = want.into_iter().map(|(id, _)| id).collect();
        let in_set = yielded_ids(|| self.set.resolve(&set), "resolve")?;
        prop_assert_eq!(&in_set, &ids, "ResourceIndex<()>::resolve({:?})", patterns);
        Ok(())
    }

    fn check(&self, probe: &str) -> Result<(), TestCaseError> {
        prop_assert_eq!(self.index.len(), self.model.len());
        prop_assert_eq!(self.index.is_empty(), self.model.is_empty());
        prop_assert_eq!(
            self.index.get(probe),
            self.model.get(probe),
            "get({:?})",
            probe
        );
        prop_assert_eq!(self.index.contains(probe), self.model.contains_key(probe));
        prop_assert_eq!(self.set.len(), self.model.len());
        prop_assert_eq!(
            self.set.get(probe).is_some(),
            self.model.contains_key(probe)
        );
        for (id, value) in &self.model {
            prop_assert_eq!(self.index.get(id), Some(value), "get({:?})", id);
            prop_assert_eq!(self.set.get(id), Some(&()), "set get({:?})", id);
        }
        // Look-ups split the ID without parsing it first: texts a part away from a stored
        // ID, most of them invalid, must be found exactly when they are stored.
        for id in self.model.keys().take(3) {
            for near in near_misses(id) {
                prop_assert_eq!(
                    self.index.get(&near),
                    self.model.get(&near),
                    "get({:?})",
                    near
                );
            }
        }
        Ok(())
    }
}

/// Texts one fault (or one query) away from the valid ID `id`.
fn near_misses(id: &str) -> Vec<String> {
    let name = id.split('?').next().unwrap_or(id);
    let mut near = vec![
        format!("{id}."),
        format!(".{id}"),
        format!("{name}.*"),
        format!("*.{name}"),
        format!("{name}.>"),
        format!("{name}?"),
        format!("{name}.?"),
        format!("{name} "),
        format!("{name}\u{e9}"),
        format!("{name}\0"),
        name.replacen('.', "..", 1),
        name.replacen('.', ". ", 1),
        name.to_string(),
        String::new(),
    ];
    if let Some(last) = name.rfind('.') {
        near.push(name[..last].to_string());
        near.push(format!("{}?{}", &name[..last], &name[last + 1..]));
    }
    // The last part padded to 8 bytes with NULs and its length, as a short label is packed.
    let part = &name[name.rfind('.').map_or(0, |i| i + 1)..];
    if part.len() < 8 {
        let padded = format!("{part:\0<7}{}", char::from(part.len() as u8));
        near.push(format!("{}{padded}", &name[..name.len() - part.len()]));
    }
    near
}

proptest! {
    #![proptest_config(config())]

    /// Random insert (duplicates and invalid IDs included) / remove (absent ones included) /
    /// match / count / resolve sequences: after every step the index agrees with a map of
    /// IDs scanned with the reference.
    #[test]
    fn resource_index_agrees_with_a_model(
        ops in index_ops(),
    ) {
        let empty_memory = ResourceIndex::<u32>::new().memory_usage();
        let empty_set = ResourceIndex::<()>::new().memory_usage();
        let mut m = IndexModel {
            index: ResourceIndex::new(),
            set: ResourceIndex::new(),
            model: BTreeMap::new(),
        };
        let mut known: Vec<String> = Vec::new();
        for (step, (op, probe)) in ops.into_iter().enumerate() {
            let value = step as u32;
            match op {
                IndexOp::Insert(id) => {
                    let before = (m.index.len(), m.index.node_count(), m.index.memory_usage());
                    let got = m.index.insert(&id, value);
                    let in_set = m.set.insert(&id, ()).map(|old| old.is_some());
                    prop_assert_eq!(in_set.ok(), got.as_ref().ok().map(Option::is_some));
                    if reference::split_id(&id).is_some() {
                        let want = m.model.insert(id.clone(), value);
                        prop_assert_eq!(got.ok(), Some(want), "insert({:?})", id);
                        known.push(id);
                    } else {
                        prop_assert!(got.is_err(), "insert accepted invalid {id:?}");
                        prop_assert_eq!(
                            (m.index.len(), m.index.node_count(), m.index.memory_usage()),
                            before,
                            "a failed insert({:?}) changed the index", id
                        );
                    }
                }
                IndexOp::RemoveKnown(_) | IndexOp::Remove(_) => {
                    let id = match op {
                        IndexOp::RemoveKnown(which) if !known.is_empty() => which.get(&known).clone(),
                        IndexOp::RemoveKnown(_) => "a.b".to_string(),
                        IndexOp::Remove(id) => id,
                        _ => unreachable!(),
                    };
                    let before = (m.index.len(), m.index.node_count(), m.index.memory_usage());
                    let want = m.model.remove(&id);
                    let absent = want.is_none();
                    prop_assert_eq!(m.index.remove(&id), want, "remove({:?})", id);
                    prop_assert_eq!(m.set.remove(&id), want.map(|_| ()), "set remove({:?})", id);
                    prop_assert_eq!(m.index.get(&id), None);
                    if absent {
                        prop_assert_eq!(
                            (m.index.len(), m.index.node_count(), m.index.memory_usage()),
                            before,
                            "removing absent {:?} changed the index", id
                        );
                    }
                }
                IndexOp::Match(pattern) => m.check_match(&pattern)?,
                IndexOp::Resolve(patterns) => m.check_resolve(&patterns)?,
            }
            m.check(&probe)?;
        }
        // Everything once more, then remove all: the index is as new.
        m.check_match(">")?;
        m.check_resolve(&[">".to_string(), "*".to_string()])?;
        let all: Vec<String> = yielded(|| m.index.iter(), "iter")?.into_iter().map(|(id, _)| id).collect();
        prop_assert_eq!(all, m.model.keys().cloned().collect::<Vec<_>>(), "iter()");
        for (id, value) in std::mem::take(&mut m.model) {
            prop_assert_eq!(m.index.remove(&id), Some(value), "final remove({:?})", id);
            prop_assert_eq!(m.set.remove(&id), Some(()), "final set remove({:?})", id);
        }
        prop_assert_eq!(m.set.memory_usage(), empty_set);
        prop_assert_eq!(m.index.len(), 0);
        prop_assert_eq!(m.index.node_count(), 1);
        prop_assert_eq!(m.index.memory_usage(), empty_memory);
    }
}

/// The label of wide-node child `k`: short, exactly 8 bytes, or long (kept in the arena).
fn wide_child(k: u16) -> String {
    match k % 3 {
        0 => format!("c{k}"),
        1 => format!("child{:03}", k % 1000),
        _ => format!("a-long-child-label-{k}"),
    }
}

/// The parents wide-node children go under (the root included).
const WIDE_PARENTS: [&str; 3] = ["", "p.", "w.x.y."];

proptest! {
    // Each case is hundreds of operations: a twentieth of the usual case count.
    #![proptest_config(ProptestConfig { cases: config().cases.div_ceil(20), ..config() })]

    /// Nodes with hundreds of children, filled and then mostly emptied (and compacted at
    /// random): every block size and hash-table size is crossed, growing and shrinking,
    /// and the index agrees with a set after every step.
    #[test]
    fn wide_nodes_agree_with_a_model(
        ops in prop::collection::vec((any::<u8>(), 0..WIDE_PARENTS.len(), 0u16..300, any::<bool>()), 0..700),
    ) {
        let mut index = ResourceIndex::new();
        let mut model = BTreeSet::new();
        let half = ops.len() / 2;
        for (step, &(kind, parent, child, query)) in ops.iter().enumerate() {
            let mut id = format!("{}{}", WIDE_PARENTS[parent], wide_child(child));
            if query {
                id.push_str("?q=1");
            }
            // Mostly inserts in the first half, mostly removals in the second.
            let insert = (kind < 200) == (step < half);
            if kind == 255 {
                index.shrink_to_fit();
            } else if insert {
                prop_assert_eq!(index.insert(&id, ()).unwrap().is_some(), !model.insert(id.clone()));
            } else {
                prop_assert_eq!(index.remove(&id).is_some(), model.remove(&id), "remove {}", id);
            }
            prop_assert_eq!(index.contains(&id), model.contains(&id), "{}", id);
            prop_assert_eq!(index.len(), model.len());
            if step % 64 == 63 {
                for id in &model {
                    prop_assert!(index.contains(id), "{}", id);
                }
                let below_p = Pattern::new("p.*").unwrap();
                let want = model.iter().filter(|id| reference::matches_id(&["p.*"], id)).count();
                prop_assert_eq!(index.matches(&below_p).count(), want);
            }
        }
        for id in std::mem::take(&mut model) {
            prop_assert!(index.remove(&id).is_some(), "final remove {}", id);
        }
        prop_assert_eq!(index.memory_usage(), ResourceIndex::<()>::new().memory_usage());
    }
}

// ---------------------------------------------------------------------------------------
// Reset
// ---------------------------------------------------------------------------------------

proptest! {
    #![proptest_config(config())]

    /// A reset resolves each list to the union of the reference matches of its valid
    /// patterns, each ID once, and reports exactly the invalid patterns, in order.
    #[test]
    fn reset_resolves_like_the_reference(
        (cached, resources, access) in alphabet().prop_flat_map(|alphabet| (
            prop::collection::vec(valid_id_in(alphabet), 0..30),
            prop::collection::vec(pattern_input_in(alphabet), 0..6),
            prop::collection::vec(pattern_input_in(alphabet), 0..6),
        )),
    ) {
        let mut index = ResourceIndex::new();
        for id in &cached {
            index.insert(id, ()).unwrap();
        }
        let ids: BTreeSet<&String> = cached.iter().collect();
        let expect = |patterns: &[String]| -> Vec<String> {
            let valid: Vec<&String> = patterns.iter().filter(|p| reference::is_valid_pattern(p)).collect();
            ids.iter()
                .filter(|id| reference::matches_id(&valid, id))
                .map(|id| id.to_string())
                .collect()
        };
        let want_invalid: Vec<(ResetList, usize, &str)> = [(ResetList::Resources, &resources), (ResetList::Access, &access)]
            .into_iter()
            .flat_map(|(list, items)| {
                items.iter().enumerate()
                    .filter(|(_, p)| !reference::is_valid_pattern(p))
                    .map(move |(i, p)| (list, i, p.as_str()))
            })
            .collect();

        let payload = serde_json::json!({ "resources": resources, "access": access }).to_string();
        let from_json = Reset::from_json(payload.as_bytes());
        prop_assert!(from_json.is_ok(), "Reset::from_json({payload})");
        for reset in [Reset::new(&resources, &access), from_json.unwrap()] {
            let resolved = reset.resolve(&index);
            prop_assert_eq!(resolved.resources_ids(), expect(&resources), "resources of {:?}", resources);
            prop_assert_eq!(resolved.access_ids(), expect(&access), "access of {:?}", access);
            let got_invalid: Vec<(ResetList, usize, &str)> = reset
                .invalid()
                .iter()
                .map(|bad| (bad.list(), bad.position(), bad.pattern()))
                .collect();
            prop_assert_eq!(got_invalid, want_invalid.clone());
            prop_assert_eq!(
                reset.is_empty(),
                resources.iter().chain(&access).all(|p| !reference::is_valid_pattern(p))
            );
        }
    }
}
