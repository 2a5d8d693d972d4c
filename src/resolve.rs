//! Resolving a whole [`PatternSet`] against a [`ResourceIndex`] in one joint walk.

use hashbrown::hash_table;

use crate::index::{ResourceIndex, ROOT};
use crate::label::hash_bytes;
use crate::literals::Literal;
use crate::matches::{drain, Emit, IndexEntry, Stream};
use crate::name::Name;
use crate::packed::Key;
use crate::pool::NONE;
use crate::set::PatternSet;
use crate::trie::{Edge, NodeId, NONE as NO_STATE};

impl<T> ResourceIndex<T> {
    /// The IDs that any pattern of `set` matches, lazily, each once, in no particular order.
    ///
    /// The index trie and the set's trie of wildcard patterns are walked together: each
    /// index node carries the pattern-trie nodes that are alive at it, so an index node is
    /// visited at most once however many patterns reach it, and overlapping patterns (`a.>`
    /// with `a.*`, or `>` with anything) cost no duplicate work. Below a node where some
    /// pattern ends in `>`, the subtree is streamed without further matching. Each literal
    /// pattern is then one look-up, skipped if a wildcard pattern already covered it. The
    /// walk keeps each node's live states once, however many children it has: its memory
    /// is O(depth x states), not O(children x states).
    ///
    /// ```
    /// use respat::{PatternSet, ResourceIndex};
    /// let mut index = ResourceIndex::new();
    /// for id in ["a.b", "a.b.c", "a.x", "z.b"] {
    ///     index.insert(id, ())?;
    /// }
    /// let mut set = PatternSet::new();
    /// for pattern in ["a.>", "a.b", "*.b"] {
    ///     set.insert_str(pattern, ())?;
    /// }
    /// let mut ids: Vec<String> = index.resolve(&set).map(|e| e.id()).collect();
    /// ids.sort();
    /// assert_eq!(ids, ["a.b", "a.b.c", "a.x", "z.b"]);
    /// # Ok::<(), respat::Error>(())
    /// ```
    pub fn resolve<'a, 's, U>(&'a self, set: &'s PatternSet<U>) -> Resolve<'a, 's, T, U> {
        let mut states = Vec::new();
        let mut stack = Vec::new();
        if !set.is_empty() {
            states.push(ROOT);
            stack.push(Frame::Root);
        }
        Resolve {
            index: self,
            set,
            literals: set.literals().iter(),
            stack,
            states,
            alive: Vec::new(),
            pairs: Vec::new(),
            streams: Vec::new(),
            emitting: None,
        }
    }
}

enum Frame {
    /// The root, whose live state (the pattern root) is `states[0]`.
    Root,
    /// Name (`owner`, `slot`), whose live states are `states[start..]` (the top of the
    /// states stack whenever this frame is on top of the frame stack).
    Name { owner: u32, slot: u32, start: usize },
    /// The children of `owner` from `slot` on, each alive with the `*` children of the
    /// states `states[start..end]`, which stay until the frame is done.
    Anys {
        owner: u32,
        slot: u32,
        start: usize,
        end: usize,
    },
    /// The children of `owner` from `slot` on, each matched against the states
    /// `states[start..end]` (its parent's), which stay until the frame is done.
    Each {
        owner: u32,
        slot: u32,
        start: usize,
        end: usize,
    },
}

/// The IDs matched by a [`PatternSet`], from [`ResourceIndex::resolve`].
pub struct Resolve<'a, 's, T, U> {
    index: &'a ResourceIndex<T>,
    set: &'s PatternSet<U>,
    /// The literal patterns still to look up, after the joint walk.
    literals: hash_table::Iter<'s, Literal>,
    stack: Vec<Frame>,
    /// The live pattern states of the frames on the stack, in stack order.
    states: Vec<NodeId>,
    /// Scratch: the states of the name being visited.
    alive: Vec<NodeId>,
    /// Scratch: (index slot, pattern state) pairs found by literal look-up.
    pairs: Vec<(u32, NodeId)>,
    /// Subtrees below a matched `>`.
    streams: Vec<Stream<'a, T>>,
    emitting: Option<Emit<'a, T>>,
}

impl<'a, T, U> Resolve<'a, '_, T, U> {
    /// Visits the node whose live states are in `alive`: name (`owner`, `slot`), or the
    /// root when `owner` is `NONE`. Emits it if a pattern ends there, streams its subtree
    /// if a `>` does, or else pushes the frames of its children.
    fn visit(&mut self, owner: u32, slot: u32) {
        let patterns = self.set.trie();
        let inner = if owner == NONE {
            ROOT
        } else {
            if self.alive.iter().any(|&s| patterns.data(s).has_exact()) {
                self.emitting = Some(self.index.emit(owner, slot));
            }
            self.index.child(owner, slot).inner
        };
        if inner == NONE || self.index.block(inner).is_empty() {
            return;
        }
        if self.alive.iter().any(|&s| patterns.data(s).has_rest()) {
            self.streams.push(Stream::of(self.index, inner));
            return;
        }
        let children = self.index.block(inner).len();
        let fan_out: usize = self.alive.iter().map(|&s| patterns.child_count(s)).sum();
        let any_single = self
            .alive
            .iter()
            .any(|&s| patterns.any_child(s) != NO_STATE);
        let start = self.states.len();
        if fan_out == 0 {
            // Only `*` transitions, if any: every child gets the same states, kept once.
            let anys = self.alive.iter().map(|&s| patterns.any_child(s));
            self.states.extend(anys.filter(|&any| any != NO_STATE));
            if self.states.len() > start {
                let end = self.states.len();
                self.stack.push(Frame::Anys {
                    owner: inner,
                    slot: 0,
                    start,
                    end,
                });
            }
        } else if any_single || fan_out > children {
            // Every child against every state, one child at a time.
            self.states.extend_from_slice(&self.alive);
            let end = self.states.len();
            self.stack.push(Frame::Each {
                owner: inner,
                slot: 0,
                start,
                end,
            });
        } else {
            // Look up each literal pattern child among the index children, then group the
            // states by index child so that each child is visited once.
            self.pairs.clear();
            for &state in &self.alive {
                for Edge {
                    hash,
                    node: pattern_child,
                } in patterns.edges(state)
                {
                    let key = Key::new(patterns.label_bytes(pattern_child), hash);
                    if let Some(child) = self.index.find_slot(inner, &key) {
                        self.pairs.push((child, pattern_child));
                    }
                }
            }
            self.pairs.sort_unstable();
            for (i, &(child, state)) in self.pairs.iter().enumerate() {
                if i == 0 || self.pairs[i - 1].0 != child {
                    self.stack.push(Frame::Name {
                        owner: inner,
                        slot: child,
                        start: self.states.len(),
                    });
                }
                self.states.push(state);
            }
        }
    }

    /// The states child `slot` of `owner` is alive with, given its parent's `states[start..end]`:
    /// into `alive`.
    fn step(&mut self, owner: u32, slot: u32, start: usize, end: usize) {
        let patterns = self.set.trie();
        let child = self.index.child(owner, slot);
        let label = self.index.label(&child);
        let hash = hash_bytes(label);
        self.alive.clear();
        for &state in &self.states[start..end] {
            let found = patterns.child_with(state, hash, || label);
            self.alive.extend(found);
            let any = patterns.any_child(state);
            if any != NO_STATE {
                self.alive.push(any);
            }
        }
    }
}

impl<'a, T, U> Iterator for Resolve<'a, '_, T, U> {
    type Item = IndexEntry<'a, T>;

    fn next(&mut self) -> Option<IndexEntry<'a, T>> {
        loop {
            if let Some(entry) = Stream::next(self.index, &mut self.streams, &mut self.emitting) {
                return Some(entry);
            }
            let Some(frame) = self.stack.pop() else {
                // Then each literal pattern: one look-up, emitted unless a wildcard pattern
                // matches it too (the joint walk has emitted it then).
                let literal = self.literals.next()?;
                // A literal pattern's text is a valid name.
                let Ok(name) = Name::new(literal.text.as_str()) else {
                    continue;
                };
                if let Some((owner, slot)) = self.index.locate(&name) {
                    if self.index.ids_at(owner, slot) > 0 && !self.set.wildcards_match(&name) {
                        self.emitting = Some(self.index.emit(owner, slot));
                    }
                }
                continue;
            };
            match frame {
                Frame::Root => {
                    self.alive.clear();
                    self.alive.append(&mut self.states);
                    self.visit(NONE, NONE);
                }
                Frame::Name { owner, slot, start } => {
                    self.alive.clear();
                    self.alive.extend(self.states.drain(start..));
                    self.visit(owner, slot);
                }
                Frame::Anys {
                    owner,
                    slot,
                    start,
                    end,
                } => {
                    if slot as usize == self.index.block(owner).len() {
                        self.states.truncate(start);
                        continue;
                    }
                    self.stack.push(Frame::Anys {
                        owner,
                        slot: slot + 1,
                        start,
                        end,
                    });
                    self.alive.clear();
                    self.alive.extend_from_slice(&self.states[start..end]);
                    self.visit(owner, slot);
                }
                Frame::Each {
                    owner,
                    slot,
                    start,
                    end,
                } => {
                    if slot as usize == self.index.block(owner).len() {
                        self.states.truncate(start);
                        continue;
                    }
                    self.stack.push(Frame::Each {
                        owner,
                        slot: slot + 1,
                        start,
                        end,
                    });
                    self.step(owner, slot, start, end);
                    if !self.alive.is_empty() {
                        self.visit(owner, slot);
                    }
                }
            }
        }
    }

    fn fold<B, F: FnMut(B, Self::Item) -> B>(mut self, init: B, mut f: F) -> B {
        let mut acc = init;
        loop {
            acc = drain(
                self.index,
                &mut self.streams,
                &mut self.emitting,
                acc,
                &mut f,
            );
            match self.next() {
                Some(entry) => acc = f(acc, entry),
                None => return acc,
            }
        }
    }
}
