//! Resolving a whole [`PatternSet`] against a [`ResourceIndex`] in one joint walk.

use std::ops::Range;

use hashbrown::hash_table;

use crate::index::{ResourceIndex, ROOT};
use crate::literals::Literal;
use crate::matches::{fold, IndexEntry, Pending, Stream, Streaming};
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
            pending: Pending::new(Vec::new()),
        }
    }
}

enum Frame {
    /// The root, whose live state (the pattern root) is `states[0]`.
    Root,
    /// Name (`owner`, `slot`), whose live states are `states[start..]` (the top of the
    /// states stack whenever this frame is on top of the frame stack) and the `*` states
    /// `states[anys]` it shares with its siblings (kept by the `Anys` frame below it).
    Name {
        owner: u32,
        slot: u32,
        start: usize,
        anys: Range<usize>,
    },
    /// The children of `owner` from `slot` on, each alive with the `*` states
    /// `states[start..end]`, but those listed (ascending) in `states[skip..]`, which have
    /// frames of their own; both stay until the frame is done.
    Anys {
        owner: u32,
        slot: u32,
        start: usize,
        end: usize,
        skip: usize,
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
///
/// As with [`Matches`](crate::Matches), internal iteration (`for_each`, `fold`,
/// `Iterator::count`) streams the subtrees below a `>` faster than stepping with `next`.
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
    /// Subtrees below a matched `>`, and the name being emitted.
    pending: Pending<'a, T>,
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
                self.pending.emitting = Some(self.index.emit(owner, slot));
            }
            match self.index.child(owner, slot).node() {
                Some(inner) => inner,
                None => return,
            }
        };
        if self.index.block(inner).is_empty() {
            return;
        }
        if self.alive.iter().any(|&s| patterns.data(s).has_rest()) {
            self.pending.streams.push(Stream::of(self.index, inner));
            return;
        }
        let children = self.index.block(inner).len();
        let fan_out: usize = self.alive.iter().map(|&s| patterns.child_count(s)).sum();
        let start = self.states.len();
        if fan_out > children {
            // More literal pattern edges than children: every child against every state,
            // one child at a time.
            self.states.extend_from_slice(&self.alive);
            let end = self.states.len();
            self.stack.push(Frame::Each {
                owner: inner,
                slot: 0,
                start,
                end,
            });
            return;
        }
        // Each literal pattern edge is looked up among the children...
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
        // ...and every child gets the `*` children of the live states, kept once. A child
        // found by a literal edge gets them in its own frame, beside its other states, so
        // that it is visited once; the walk over the other children skips it.
        let anys = self.alive.iter().map(|&s| patterns.any_child(s));
        self.states.extend(anys.filter(|&any| any != NO_STATE));
        let end = self.states.len();
        if end > start {
            for &(child, _) in &self.pairs {
                if self.states.len() == end || self.states.last() != Some(&child) {
                    self.states.push(child);
                }
            }
            self.stack.push(Frame::Anys {
                owner: inner,
                slot: 0,
                start,
                end,
                skip: end,
            });
        }
        let mut i = 0;
        while let Some(&(child, _)) = self.pairs.get(i) {
            self.stack.push(Frame::Name {
                owner: inner,
                slot: child,
                start: self.states.len(),
                anys: start..end,
            });
            while let Some(&(_, state)) = self.pairs.get(i).filter(|p| p.0 == child) {
                self.states.push(state);
                i += 1;
            }
        }
    }

    /// The states child `slot` of `owner` is alive with, given its parent's `states[start..end]`:
    /// into `alive`.
    fn step(&mut self, owner: u32, slot: u32, start: usize, end: usize) {
        let patterns = self.set.trie();
        let child = self.index.child(owner, slot);
        let label = self.index.label(&child);
        let hash = self.index.label_hash(&child);
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

/// Once `next` has answered `None` it always does: the stacks stay empty and the literal
/// patterns are used up.
impl<T, U> std::iter::FusedIterator for Resolve<'_, '_, T, U> {}

impl<'a, T, U> Streaming<'a, T> for Resolve<'a, '_, T, U> {
    fn pending(&mut self) -> (&'a ResourceIndex<T>, &mut Pending<'a, T>) {
        (self.index, &mut self.pending)
    }
}

impl<'a, T, U> Iterator for Resolve<'a, '_, T, U> {
    type Item = IndexEntry<'a, T>;

    fn next(&mut self) -> Option<IndexEntry<'a, T>> {
        loop {
            if let Some(entry) = self.pending.next(self.index) {
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
                        self.pending.emitting = Some(self.index.emit(owner, slot));
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
                Frame::Name {
                    owner,
                    slot,
                    start,
                    anys,
                } => {
                    self.alive.clear();
                    self.alive.extend(self.states.drain(start..));
                    self.alive.extend_from_slice(&self.states[anys]);
                    self.visit(owner, slot);
                }
                Frame::Anys {
                    owner,
                    slot,
                    start,
                    end,
                    skip,
                } => {
                    if slot as usize == self.index.block(owner).len() {
                        self.states.truncate(start);
                        continue;
                    }
                    let skipped = self.states.get(skip) == Some(&slot);
                    self.stack.push(Frame::Anys {
                        owner,
                        slot: slot + 1,
                        start,
                        end,
                        skip: skip + usize::from(skipped),
                    });
                    if skipped {
                        continue;
                    }
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

    fn fold<B, F: FnMut(B, Self::Item) -> B>(self, init: B, f: F) -> B {
        fold(self, init, f)
    }
}
