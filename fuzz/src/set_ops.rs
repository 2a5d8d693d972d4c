//! `set_ops`: insert/remove/match sequences on a `PatternSet<u32>` against a plain model,
//! a list of (handle, pattern, value) scanned with `respat::reference::matches`.
//!
//! Text form of the input (one operation per line; other lines are ignored):
//!
//! ```text
//! +PATTERN   insert PATTERN (its value is the line number); may be invalid
//! =N         insert the pattern of live entry N again (a duplicate)
//! -N         remove live entry N (N modulo the number of entries)
//! ~N         remove the Nth removed handle again (stale: must be a no-op)
//! ^N M        insert a pattern that matches a name of live entry N, generalized by mask M
//! ?NAME      match NAME (may be invalid)
//! !N V       set the value of live entry N to V (through get_mut)
//! #          replace the set by a clone of it
//! ```

use arbitrary::{Arbitrary, Unstructured};
use respat::{reference, InputKind, Name, PatternId, PatternSet};

use crate::alphabet::{generalize, instance_of, NameText, PatternText, MAX_OPS};
use crate::{check_error, number, script_lines};

#[derive(Clone, Debug)]
pub enum Op {
    Insert(String, u32),
    InsertAgain(usize, u32),
    InsertGeneral(usize, u8, u32),
    Remove(usize),
    RemoveStale(usize),
    Match(String),
    /// Match a name of live entry N, perhaps one part longer (bit 0) or shorter (bit 1).
    MatchLive(usize, u8),
    SetValue(usize, u32),
    Clone,
}

/// The structured form of an operation.
#[derive(Arbitrary, Debug)]
enum ArbOp {
    Insert(PatternText, u32),
    InsertAgain(u8, u32),
    InsertGeneral(u8, u8, u32),
    Remove(u8),
    RemoveStale(u8),
    Match(NameText),
    MatchLive(u8, u8),
    SetValue(u8, u32),
    Clone,
}

impl From<ArbOp> for Op {
    fn from(op: ArbOp) -> Op {
        match op {
            ArbOp::Insert(pattern, value) => Op::Insert(pattern.text(), value),
            ArbOp::InsertAgain(i, value) => Op::InsertAgain(i.into(), value),
            ArbOp::InsertGeneral(i, mask, value) => Op::InsertGeneral(i.into(), mask, value),
            ArbOp::Remove(i) => Op::Remove(i.into()),
            ArbOp::RemoveStale(i) => Op::RemoveStale(i.into()),
            ArbOp::Match(name) => Op::Match(name.text()),
            ArbOp::MatchLive(i, how) => Op::MatchLive(i.into(), how),
            ArbOp::SetValue(i, value) => Op::SetValue(i.into(), value),
            ArbOp::Clone => Op::Clone,
        }
    }
}

/// The operations of `data` read with `arbitrary`.
pub fn structured(data: &[u8]) -> Vec<Op> {
    let mut u = Unstructured::new(data);
    let mut ops = Vec::new();
    while ops.len() < MAX_OPS && !u.is_empty() {
        match ArbOp::arbitrary(&mut u) {
            Ok(op) => ops.push(op.into()),
            Err(_) => break,
        }
    }
    ops
}

/// The operations of `data` read as a text script.
pub fn script(data: &[u8]) -> Vec<Op> {
    let mut ops = Vec::new();
    for (line_no, line) in script_lines(data, 4 * MAX_OPS).iter().enumerate() {
        if ops.len() == MAX_OPS {
            break;
        }
        let value = line_no as u32;
        let Some(op) = line.chars().next() else {
            continue;
        };
        let rest = &line[op.len_utf8()..];
        ops.push(match op {
            '+' => Op::Insert(rest.to_string(), value),
            '=' => Op::InsertAgain(number(rest), value),
            '^' => {
                let (n, mask) = rest.split_once(' ').unwrap_or((rest, "0"));
                Op::InsertGeneral(number(n), number(mask) as u8, value)
            }
            '-' => Op::Remove(number(rest)),
            '~' => Op::RemoveStale(number(rest)),
            '?' => Op::Match(rest.to_string()),
            '!' => {
                let (n, v) = rest.split_once(' ').unwrap_or((rest, "0"));
                Op::SetValue(number(n), number(v) as u32)
            }
            '#' => Op::Clone,
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

struct Model {
    set: PatternSet<u32>,
    /// The live entries, in insertion order.
    live: Vec<(PatternId, String, u32)>,
    /// Every handle removed so far.
    removed: Vec<PatternId>,
}

/// The figures a rejected or no-op operation must leave alone.
fn figures(set: &PatternSet<u32>) -> (usize, usize, usize) {
    (set.len(), set.node_count(), set.memory_usage())
}

impl Model {
    fn insert(&mut self, pattern: &str, value: u32) {
        let before = figures(&self.set);
        let valid = reference::is_valid_pattern(pattern);
        match self.set.insert_str(pattern, value) {
            Ok(id) => {
                assert!(valid, "insert_str accepted the invalid pattern {pattern:?}");
                assert!(
                    !self.live.iter().any(|(live, ..)| *live == id),
                    "handle {id:?} of {pattern:?} is already live"
                );
                assert!(
                    !self.removed.contains(&id),
                    "handle {id:?} of {pattern:?} was issued before and removed"
                );
                assert_eq!(self.set.get(id), Some(&value), "value of new {pattern:?}");
                assert_eq!(
                    self.set.pattern(id).as_ref().map(|p| p.as_str()),
                    Some(pattern),
                    "pattern of new handle {id:?}"
                );
                self.live.push((id, pattern.to_string(), value));
                // A name it matches, so that matching finds something.
                self.check_match(&instance_of(pattern));
            }
            Err(err) => {
                assert!(
                    !valid,
                    "insert_str rejected the valid pattern {pattern:?}: {err}"
                );
                check_error(&err, pattern, InputKind::Pattern);
                assert_eq!(
                    figures(&self.set),
                    before,
                    "a rejected insert of {pattern:?} changed the set"
                );
            }
        }
    }

    fn remove(&mut self, i: usize) {
        if self.live.is_empty() {
            return;
        }
        let (id, pattern, value) = self.live.remove(i % self.live.len());
        assert_eq!(
            self.set.remove(id),
            Some(value),
            "remove of live entry {pattern:?}"
        );
        assert_eq!(
            self.set.get(id),
            None,
            "removed {pattern:?} still has a value"
        );
        assert_eq!(
            self.set.pattern(id),
            None,
            "removed {pattern:?} still has a pattern"
        );
        self.removed.push(id);
    }

    fn remove_stale(&mut self, i: usize) {
        if self.removed.is_empty() {
            return;
        }
        let id = self.removed[i % self.removed.len()];
        let before = figures(&self.set);
        assert_eq!(
            self.set.remove(id),
            None,
            "stale handle {id:?} removed something"
        );
        assert_eq!(figures(&self.set), before, "stale removal changed the set");
        assert_eq!(self.set.get(id), None);
    }

    fn check_match(&self, name: &str) {
        let mut expected: Vec<PatternId> = self
            .live
            .iter()
            .filter(|(_, pattern, _)| reference::matches(pattern, name))
            .map(|(id, ..)| *id)
            .collect();
        expected.sort();
        let mut got = self.set.matches(name);
        got.sort();
        assert_eq!(
            got,
            expected,
            "matches({name:?}) over {:?}",
            self.live.iter().map(|(_, p, _)| p).collect::<Vec<_>>()
        );
        assert_eq!(
            self.set.is_match(name),
            !expected.is_empty(),
            "is_match({name:?})"
        );
        match Name::new(name) {
            Ok(parsed) => {
                assert!(reference::is_valid_name(name));
                // `matches_into` clears `out` first: start it with stale content.
                let mut into = self.removed.clone();
                self.set.matches_into(&parsed, &mut into);
                into.sort();
                assert_eq!(into, expected, "matches_into({name:?})");
                assert_eq!(self.set.is_match_name(&parsed), !expected.is_empty());
            }
            Err(err) => {
                assert!(
                    !reference::is_valid_name(name),
                    "Name::new({name:?}): {err}"
                );
                assert!(expected.is_empty(), "an invalid name matched");
            }
        }
    }

    /// Checks `len`; with `full`, every entry's value and pattern, and `iter`, too.
    fn check_consistency(&self, full: bool) {
        assert_eq!(self.set.len(), self.live.len(), "len");
        assert_eq!(self.set.is_empty(), self.live.is_empty(), "is_empty");
        if !full {
            return;
        }
        for (id, pattern, value) in &self.live {
            assert_eq!(self.set.get(*id), Some(value), "get of {pattern:?}");
            let stored = self.set.pattern(*id);
            assert_eq!(
                stored.as_ref().map(|p| p.as_str()),
                Some(pattern.as_str()),
                "pattern of handle {id:?}"
            );
        }
        let mut listed: Vec<(PatternId, u32)> =
            self.set.iter().map(|(id, value)| (id, *value)).collect();
        listed.sort();
        let mut expected: Vec<(PatternId, u32)> = self
            .live
            .iter()
            .map(|(id, _, value)| (*id, *value))
            .collect();
        expected.sort();
        assert_eq!(listed, expected, "iter");
        assert!(self.set.node_count() >= 1);
    }
}

/// Runs `ops` on a set and on the model, then removes everything.
pub fn check(ops: &[Op]) {
    let empty = PatternSet::<u32>::new();
    let mut model = Model {
        set: PatternSet::new(),
        live: Vec::new(),
        removed: Vec::new(),
    };
    let mut names: Vec<String> = Vec::new();
    for (step, op) in ops.iter().enumerate() {
        match op {
            Op::Insert(pattern, value) => model.insert(pattern, *value),
            Op::InsertAgain(i, value) => {
                if !model.live.is_empty() {
                    let pattern = model.live[i % model.live.len()].1.clone();
                    model.insert(&pattern, *value);
                }
            }
            Op::InsertGeneral(i, mask, value) => {
                if !model.live.is_empty() {
                    let name = instance_of(&model.live[i % model.live.len()].1);
                    model.insert(&generalize(&name, *mask), *value);
                }
            }
            Op::MatchLive(i, how) => {
                if !model.live.is_empty() {
                    let mut name = instance_of(&model.live[i % model.live.len()].1);
                    if how & 1 != 0 {
                        name.push_str(".z");
                    }
                    if how & 2 != 0 {
                        if let Some((head, _)) = name.rsplit_once('.') {
                            name.truncate(head.len());
                        }
                    }
                    model.check_match(&name);
                    names.push(name);
                }
            }
            Op::Remove(i) => model.remove(*i),
            Op::RemoveStale(i) => model.remove_stale(*i),
            Op::Match(name) => {
                model.check_match(name);
                names.push(name.clone());
            }
            Op::SetValue(i, value) => {
                if !model.live.is_empty() {
                    let at = i % model.live.len();
                    let (id, _, old) = &mut model.live[at];
                    let slot = model.set.get_mut(*id).expect("get_mut of a live entry");
                    assert_eq!(*slot, *old, "get_mut value");
                    *slot = *value;
                    *old = *value;
                }
            }
            Op::Clone => model.set = model.set.clone(),
        }
        model.check_consistency(step % 8 == 7 || matches!(op, Op::Clone));
    }
    model.check_consistency(true);
    // Remove everything, in an order that depends on the input.
    while !model.live.is_empty() {
        let at = (ops.len() + model.live.len()) % model.live.len();
        model.remove(at);
        model.check_consistency(model.live.len().is_multiple_of(8));
    }
    assert_eq!(model.set.len(), 0);
    assert_eq!(
        model.set.node_count(),
        1,
        "nodes left after removing every entry"
    );
    assert_eq!(
        model.set.memory_usage(),
        empty.memory_usage(),
        "memory left after removing every entry"
    );
    for name in &names {
        assert!(model.set.matches(name).is_empty());
        assert!(!model.set.is_match(name));
    }
    for i in 0..model.removed.len() {
        model.remove_stale(i);
    }
    // Handles issued after the set was emptied are new ones.
    model.insert("a.*", 1);
    model.insert("a", 2);
    model.check_consistency(true);
}
