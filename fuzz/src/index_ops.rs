//! `index_ops`: insert/remove/resolve sequences on a `ResourceIndex<u32>` (and the same on
//! a `ResourceIndex<()>`) against a model, a `BTreeMap` from ID to value scanned with
//! `respat::reference::matches_id`.
//!
//! Text form of the input (one operation per line; other lines are ignored):
//!
//! ```text
//! +ID          insert ID (its value is the line number); may be invalid
//! -ID          remove ID (may be absent or invalid)
//! ~N           remove the Nth ID of the model (N modulo its size, IDs sorted)
//! >N PART      insert the name of the Nth ID with `.PART` appended (a child)
//! &N QUERY     insert the name of the Nth ID with `?QUERY` (a query variant)
//! ^N M M ...   around the name of the Nth ID: match, resolve and reset with the name
//!              itself and the name generalized by each mask M (`alphabet::generalize`)
//! @ID          get ID
//! ?PATTERN     the IDs PATTERN matches (`matches` and `count`)
//! *P P ...     the IDs a PatternSet of the space-separated patterns resolves to
//! !R R|A A     a Reset of resources R and access A, resolved against the index
//! FN M         insert M children `f0`..`f<M-1>` under the name of the Nth ID (M < 256),
//!              so that blocks grow past their hash-table thresholds
//! UN M         remove the children `f<M>`..`f255` of the name of the Nth ID
//! $            shrink_to_fit
//! #            replace the index by a clone of it
//! %            clear the index
//! ```

use std::collections::BTreeMap;

use arbitrary::{Arbitrary, Unstructured};
use respat::{
    reference, IndexEntry, InputKind, Pattern, PatternSet, Reset, ResetList, ResourceIndex,
};

use crate::alphabet::{generalize, pattern_list, IdText, Lit, PatternText, Query, MAX_OPS};
use crate::{check_error, number, script_lines};

#[derive(Clone, Debug)]
pub enum Op {
    Insert(String, u32),
    Reinsert(usize, u32),
    InsertChild(usize, String, u32),
    InsertVariant(usize, String, u32),
    Remove(String),
    RemoveNth(usize),
    Get(String),
    Match(String),
    Resolve(Vec<String>),
    /// Around the Nth ID: match, resolve and reset with patterns that match its name.
    Around(usize, Vec<u8>),
    Reset(Vec<String>, Vec<String>),
    Fan(usize, u8),
    Unfan(usize, u8),
    Shrink,
    Clone,
    Clear,
}

/// A short list of patterns, for `arbitrary`.
#[derive(Debug)]
struct List(Vec<String>);

impl<'a> Arbitrary<'a> for List {
    fn arbitrary(u: &mut Unstructured<'a>) -> arbitrary::Result<Self> {
        pattern_list(u).map(List)
    }
}

/// The structured form of an operation.
#[derive(Arbitrary, Debug)]
enum ArbOp {
    Insert(IdText, u32),
    Reinsert(u8, u32),
    InsertChild(u8, Lit, u32),
    InsertVariant(u8, Query, u32),
    Remove(IdText),
    RemoveNth(u8),
    Get(IdText),
    Match(PatternText),
    Resolve(List),
    Around(u8, [u8; 3]),
    Reset(List, List),
    Fan(u8, u8),
    Unfan(u8, u8),
    Shrink,
    Clone,
    /// Clears only when the byte is 0, so that clearing stays rare.
    Clear(u8),
}

/// The operations of `data` read with `arbitrary`.
pub fn structured(data: &[u8]) -> Vec<Op> {
    let mut u = Unstructured::new(data);
    let mut ops = Vec::new();
    while ops.len() < MAX_OPS && !u.is_empty() {
        let op = match ArbOp::arbitrary(&mut u) {
            Ok(op) => op,
            Err(_) => break,
        };
        ops.push(match op {
            ArbOp::Insert(id, value) => Op::Insert(id.text(), value),
            ArbOp::Reinsert(i, value) => Op::Reinsert(i.into(), value),
            ArbOp::InsertChild(i, lit, value) => {
                let mut part = String::new();
                lit.push_to(&mut part);
                Op::InsertChild(i.into(), part, value)
            }
            ArbOp::InsertVariant(i, query, value) => {
                let mut text = String::new();
                query.push_to(&mut text);
                Op::InsertVariant(i.into(), text[1..].to_string(), value)
            }
            ArbOp::Remove(id) => Op::Remove(id.text()),
            ArbOp::RemoveNth(i) => Op::RemoveNth(i.into()),
            ArbOp::Get(id) => Op::Get(id.text()),
            ArbOp::Match(pattern) => Op::Match(pattern.text()),
            ArbOp::Resolve(List(patterns)) => Op::Resolve(patterns),
            ArbOp::Around(i, masks) => Op::Around(i.into(), masks.to_vec()),
            ArbOp::Reset(List(resources), List(access)) => Op::Reset(resources, access),
            ArbOp::Fan(i, n) => Op::Fan(i.into(), n),
            ArbOp::Unfan(i, n) => Op::Unfan(i.into(), n),
            ArbOp::Shrink => Op::Shrink,
            ArbOp::Clone => Op::Clone,
            ArbOp::Clear(0) => Op::Clear,
            ArbOp::Clear(_) => continue,
        });
    }
    ops
}

fn words(s: &str) -> Vec<String> {
    s.split(' ')
        .filter(|w| !w.is_empty())
        .map(str::to_string)
        .collect()
}

/// The operations of `data` read as a text script.
pub fn script(data: &[u8]) -> Vec<Op> {
    let mut ops = Vec::new();
    for (line_no, line) in script_lines(data, 4 * MAX_OPS).iter().enumerate() {
        if ops.len() == MAX_OPS {
            break;
        }
        let Some(op) = line.chars().next() else {
            continue;
        };
        let rest = &line[op.len_utf8()..];
        ops.push(match op {
            '+' => Op::Insert(rest.to_string(), line_no as u32),
            '-' => Op::Remove(rest.to_string()),
            '~' => Op::RemoveNth(number(rest)),
            '>' | '&' => {
                let (n, text) = rest.split_once(' ').unwrap_or((rest, ""));
                if op == '>' {
                    Op::InsertChild(number(n), text.to_string(), line_no as u32)
                } else {
                    Op::InsertVariant(number(n), text.to_string(), line_no as u32)
                }
            }
            '^' => {
                let mut numbers = words(rest).into_iter().map(|w| number(&w));
                let n = numbers.next().unwrap_or(0);
                Op::Around(n, numbers.map(|m| m as u8).collect())
            }
            '@' => Op::Get(rest.to_string()),
            '?' => Op::Match(rest.to_string()),
            '*' => Op::Resolve(words(rest)),
            '!' => {
                let (resources, access) = rest.split_once('|').unwrap_or((rest, ""));
                Op::Reset(words(resources), words(access))
            }
            'F' | 'U' => {
                let (n, m) = rest.split_once(' ').unwrap_or((rest, ""));
                let (n, m) = (number(n), number(m).min(255) as u8);
                if op == 'F' {
                    Op::Fan(n, m)
                } else {
                    Op::Unfan(n, m)
                }
            }
            '$' => Op::Shrink,
            '#' => Op::Clone,
            '%' => Op::Clear,
            _ => continue,
        });
    }
    ops
}

/// Both readings of `data`, each checked against the model.
pub fn run(data: &[u8]) {
    check(&script(data));
    check(&structured(data));
}

/// The figures a rejected or no-op operation must leave alone.
fn figures(index: &ResourceIndex<u32>) -> (usize, usize, usize) {
    (index.len(), index.node_count(), index.memory_usage())
}

struct Model {
    index: ResourceIndex<u32>,
    /// The same IDs with zero-sized values, which the index keeps without a byte each.
    set: ResourceIndex<()>,
    map: BTreeMap<String, u32>,
}

/// The IDs of `entries`, sorted: the first two taken with `next`, the rest with `fold`.
fn listed_ids<'a>(mut entries: impl Iterator<Item = IndexEntry<'a, ()>>) -> Vec<String> {
    let mut out: Vec<String> = entries.by_ref().take(2).map(|e| e.id()).collect();
    entries.for_each(|entry| out.push(entry.id()));
    out.sort();
    out
}

/// The IDs of (ID, value) pairs.
fn ids_of(pairs: &[(String, u32)]) -> Vec<String> {
    pairs.iter().map(|(id, _)| id.clone()).collect()
}

/// The entries as sorted (ID, value) pairs, each checked against its own name and query.
///
/// The first two entries are taken with `next`, the rest with `fold` (through `for_each`),
/// so that both ways of walking are checked, and the hand-over between them.
fn listed<'a>(mut entries: impl Iterator<Item = IndexEntry<'a, u32>>) -> Vec<(String, u32)> {
    let pair = |entry: IndexEntry<'a, u32>| {
        let id = entry.id();
        let (name, query) = reference::split_id(&id)
            .unwrap_or_else(|| panic!("the index produced the invalid ID {id:?}"));
        assert_eq!(entry.name(), name, "name of entry {id:?}");
        assert_eq!(entry.query(), query, "query of entry {id:?}");
        (id, *entry.value())
    };
    let mut out: Vec<(String, u32)> = entries.by_ref().take(2).map(pair).collect();
    entries.for_each(|entry| out.push(pair(entry)));
    out.sort();
    out
}

impl Model {
    /// The model's (ID, value) pairs that any of `patterns` matches, sorted.
    fn expected(&self, patterns: &[&str]) -> Vec<(String, u32)> {
        self.map
            .iter()
            .filter(|(id, _)| reference::matches_id(patterns, id))
            .map(|(id, value)| (id.clone(), *value))
            .collect()
    }

    fn insert(&mut self, id: &str, value: u32) {
        let before = figures(&self.index);
        let in_set = self.set.insert(id, ()).map(|old| old.is_some());
        let got = self.index.insert(id, value);
        assert_eq!(
            in_set.ok(),
            got.as_ref().ok().map(Option::is_some),
            "insert({id:?}) into the set"
        );
        match got {
            Ok(replaced) => {
                assert!(
                    reference::split_id(id).is_some(),
                    "insert accepted the invalid ID {id:?}"
                );
                assert_eq!(
                    replaced,
                    self.map.insert(id.to_string(), value),
                    "value replaced by insert({id:?})"
                );
            }
            Err(err) => {
                assert!(
                    reference::split_id(id).is_none(),
                    "insert rejected the valid ID {id:?}: {err}"
                );
                check_error(&err, id, InputKind::ResourceId);
                assert_eq!(
                    figures(&self.index),
                    before,
                    "a rejected insert of {id:?} changed the index"
                );
            }
        }
    }

    fn remove(&mut self, id: &str) {
        let before = figures(&self.index);
        let removed = self.index.remove(id);
        assert_eq!(removed, self.map.remove(id), "remove({id:?})");
        assert_eq!(
            self.set.remove(id).is_some(),
            removed.is_some(),
            "set remove({id:?})"
        );
        if removed.is_none() {
            assert_eq!(figures(&self.index), before, "remove of absent {id:?}");
        }
        assert_eq!(self.index.get(id), None, "get({id:?}) after remove");
    }

    fn get(&mut self, id: &str) {
        // Also the forms a look-up that skipped checking bytes would confuse with a stored
        // label: the last part padded with NULs to 7 bytes plus its length, or a NUL after it.
        let start = id.rfind('.').map_or(0, |i| i + 1);
        let part = &id[start..];
        let mut probes = vec![id.to_string(), format!("{id}\0")];
        if part.len() < 8 {
            let padded = format!("{part:\0<7}{}", char::from(part.len() as u8));
            probes.push(format!("{}{padded}", &id[..start]));
        }
        for id in &probes {
            let id = id.as_str();
            assert_eq!(self.index.get(id), self.map.get(id), "get({id:?})");
            let value = self.index.get_mut(id).map(|v| *v);
            assert_eq!(value, self.map.get(id).copied(), "get_mut({id:?})");
            assert_eq!(
                self.index.contains(id),
                self.map.contains_key(id),
                "contains({id:?})"
            );
            assert_eq!(
                self.set.get(id).is_some(),
                self.map.contains_key(id),
                "{id:?}"
            );
        }
    }

    fn check_match(&self, pattern: &str) {
        match Pattern::new(pattern) {
            Ok(parsed) => {
                assert!(reference::is_valid_pattern(pattern), "accepted {pattern:?}");
                let expected = self.expected(&[pattern]);
                let got = listed(self.index.matches(&parsed));
                assert_eq!(got, expected, "matches({pattern:?})");
                let in_set = listed_ids(self.set.matches(&parsed));
                assert_eq!(in_set, ids_of(&expected), "set matches({pattern:?})");
                assert_eq!(
                    self.index.count(&parsed),
                    expected.len(),
                    "count({pattern:?})"
                );
            }
            Err(err) => {
                assert!(
                    !reference::is_valid_pattern(pattern),
                    "rejected {pattern:?}: {err}"
                );
                check_error(&err, pattern, InputKind::Pattern);
            }
        }
    }

    fn check_resolve(&self, patterns: &[String]) {
        let mut set = PatternSet::new();
        let mut valid = Vec::new();
        for pattern in patterns {
            match set.insert_str(pattern, ()) {
                Ok(_) => valid.push(pattern.as_str()),
                Err(_) => assert!(!reference::is_valid_pattern(pattern), "{pattern:?}"),
            }
        }
        let got = listed(self.index.resolve(&set));
        assert_eq!(
            got,
            self.expected(&valid),
            "resolve of the set {patterns:?}"
        );
        let in_set = listed_ids(self.set.resolve(&set));
        assert_eq!(in_set, ids_of(&got), "set resolve of {patterns:?}");
    }

    fn check_reset(&self, resources: &[String], access: &[String]) {
        let reset = Reset::new(resources, access);
        let mut invalid = Vec::new();
        let mut valid: [Vec<&str>; 2] = [Vec::new(), Vec::new()];
        for (which, list) in [
            (ResetList::Resources, resources),
            (ResetList::Access, access),
        ] {
            for (position, pattern) in list.iter().enumerate() {
                if reference::is_valid_pattern(pattern) {
                    valid[which as usize].push(pattern);
                } else {
                    invalid.push((which, position, pattern.as_str()));
                }
            }
            let kept: Vec<&str> = reset.patterns(which).iter().map(Pattern::as_str).collect();
            assert_eq!(kept, valid[which as usize], "valid {which} patterns");
            assert!(reset.pattern_set(which).len() <= kept.len());
        }
        let reported: Vec<(ResetList, usize, &str)> = reset
            .invalid()
            .iter()
            .map(|bad| (bad.list(), bad.position(), bad.pattern()))
            .collect();
        assert_eq!(reported, invalid, "invalid patterns of the reset");
        for bad in reset.invalid() {
            check_error(bad.error(), bad.pattern(), InputKind::Pattern);
            assert!(!bad.to_string().contains('\n'));
        }
        assert_eq!(reset.is_empty(), valid[0].is_empty() && valid[1].is_empty());
        let resolution = reset.resolve(&self.index);
        let expected_resources = self.expected(&valid[0]);
        let expected_access = self.expected(&valid[1]);
        assert_eq!(
            listed(resolution.resources.iter().copied()),
            expected_resources,
            "reset resources {resources:?}"
        );
        assert_eq!(
            listed(resolution.access.iter().copied()),
            expected_access,
            "reset access {access:?}"
        );
        let ids = |pairs: Vec<(String, u32)>| -> Vec<String> {
            pairs.into_iter().map(|(id, _)| id).collect()
        };
        assert_eq!(resolution.resources_ids(), ids(expected_resources));
        assert_eq!(resolution.access_ids(), ids(expected_access));
    }

    /// Checks `len` and `count(>)`; with `full`, every ID's value and `iter`, too.
    fn check_consistency(&self, full: bool) {
        assert_eq!(self.index.len(), self.map.len(), "len");
        assert_eq!(self.index.is_empty(), self.map.is_empty(), "is_empty");
        let everything = Pattern::new(">").expect("valid");
        assert_eq!(self.index.count(&everything), self.map.len(), "count(>)");
        assert_eq!(self.set.len(), self.map.len(), "set len");
        assert_eq!(self.set.count(&everything), self.map.len(), "set count(>)");
        if !full {
            return;
        }
        let ids: Vec<String> = self.map.keys().cloned().collect();
        assert_eq!(listed_ids(self.set.iter()), ids, "set iter");
        for (id, value) in &self.map {
            assert_eq!(self.index.get(id), Some(value), "get({id:?})");
        }
        let all: Vec<(String, u32)> = self.map.iter().map(|(k, v)| (k.clone(), *v)).collect();
        assert_eq!(listed(self.index.iter()), all, "iter");
        assert!(self.index.node_count() >= 1);
    }
}

/// Runs `ops` on an index and on the model, then removes everything.
pub fn check(ops: &[Op]) {
    let empty = ResourceIndex::<u32>::new();
    let mut model = Model {
        index: ResourceIndex::new(),
        set: ResourceIndex::new(),
        map: BTreeMap::new(),
    };
    for (step, op) in ops.iter().enumerate() {
        match op {
            Op::Insert(id, value) => model.insert(id, *value),
            Op::Reinsert(i, value) => {
                if let Some(id) = nth_key(&model.map, *i) {
                    model.insert(&id, *value);
                }
            }
            Op::InsertChild(i, part, value) => {
                if let Some(id) = nth_key(&model.map, *i) {
                    let (name, _) = reference::split_id(&id).expect("a valid ID");
                    model.insert(&format!("{name}.{part}"), *value);
                }
            }
            Op::InsertVariant(i, query, value) => {
                if let Some(id) = nth_key(&model.map, *i) {
                    let (name, _) = reference::split_id(&id).expect("a valid ID");
                    model.insert(&format!("{name}?{query}"), *value);
                }
            }
            Op::Around(i, masks) => {
                if let Some(id) = nth_key(&model.map, *i) {
                    let (name, _) = reference::split_id(&id).expect("a valid ID");
                    let mut patterns = vec![name.to_string()];
                    patterns.extend(masks.iter().map(|&mask| generalize(name, mask)));
                    for pattern in &patterns {
                        model.check_match(pattern);
                    }
                    model.check_resolve(&patterns);
                    let (resources, access) = patterns.split_at(patterns.len() / 2);
                    model.check_reset(resources, access);
                    model.check_reset(&patterns, &[]);
                }
            }
            Op::Remove(id) => model.remove(id),
            Op::RemoveNth(i) => {
                if let Some(id) = nth_key(&model.map, *i) {
                    model.remove(&id);
                }
            }
            Op::Get(id) => model.get(id),
            Op::Match(pattern) => model.check_match(pattern),
            Op::Resolve(patterns) => model.check_resolve(patterns),
            Op::Reset(resources, access) => model.check_reset(resources, access),
            Op::Fan(i, n) | Op::Unfan(i, n) => {
                if let Some(id) = nth_key(&model.map, *i) {
                    let (name, _) = reference::split_id(&id).expect("a valid ID");
                    let name = name.to_string();
                    for k in 0..=255u8 {
                        let child = format!("{name}.f{k}");
                        match op {
                            Op::Fan(..) if k < *n => model.insert(&child, k.into()),
                            Op::Unfan(..) if k >= *n => model.remove(&child),
                            _ => {}
                        }
                    }
                }
            }
            Op::Shrink => {
                model.index.shrink_to_fit();
                model.set.shrink_to_fit();
            }
            Op::Clone => {
                model.index = model.index.clone();
                model.set = model.set.clone();
            }
            Op::Clear => {
                model.index.clear();
                model.set.clear();
                model.map.clear();
                assert_eq!(figures(&model.index), figures(&empty), "after clear");
            }
        }
        model.check_consistency(step % 8 == 7 || matches!(op, Op::Clone));
    }
    model.check_consistency(true);
    // Remove everything, in an order that depends on the input.
    while let Some(id) = nth_key(&model.map, ops.len() * 7 + model.map.len()) {
        model.remove(&id);
        model.check_consistency(model.map.len().is_multiple_of(8));
    }
    assert_eq!(
        model.index.node_count(),
        1,
        "nodes left after removing every ID"
    );
    assert_eq!(
        model.index.memory_usage(),
        empty.memory_usage(),
        "memory left after removing every ID"
    );
    assert_eq!(model.index.iter().count(), 0);
    assert_eq!(
        model.set.memory_usage(),
        ResourceIndex::<()>::new().memory_usage(),
        "memory left in the set after removing every ID"
    );
}

fn nth_key(map: &BTreeMap<String, u32>, i: usize) -> Option<String> {
    if map.is_empty() {
        None
    } else {
        map.keys().nth(i % map.len()).cloned()
    }
}
