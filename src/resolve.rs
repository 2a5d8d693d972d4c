//! Resolving a whole [`PatternSet`] against a [`ResourceIndex`] in one joint walk.

use hashbrown::hash_table;
use smallvec::SmallVec;

use crate::index::{IndexEntry, ResourceIndex};
use crate::literals::Literal;
use crate::name::Name;
use crate::set::PatternSet;
use crate::trie::{Edge, NodeId, NONE, ROOT};

impl<T> ResourceIndex<T> {
    /// The IDs that any pattern of `set` matches, lazily, each once, in no particular order.
    ///
    /// The index trie and the set's trie of wildcard patterns are walked together: each
    /// index node carries the pattern-trie nodes that are alive at it, so an index node is
    /// visited at most once however many patterns reach it, and overlapping patterns (`a.>`
    /// with `a.*`, or `>` with anything) cost no duplicate work. Below a node where some
    /// pattern ends in `>`, the subtree is streamed without further matching. Each literal
    /// pattern is then one look-up, skipped if a wildcard pattern already covered it.
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
            stack.push(Frame::States(ROOT, 0));
        }
        Resolve {
            index: self,
            set,
            literals: set.literals().iter(),
            stack,
            states,
            alive: Vec::new(),
            pairs: Vec::new(),
            emitting: None,
        }
    }
}

enum Frame {
    /// An index node and the start of its live pattern states in `Resolve::states` (they
    /// run to the end of it whenever this frame is on top of the stack).
    States(NodeId, usize),
    /// An index node below a matched `>`: its whole subtree matches.
    Subtree(NodeId),
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
    /// Scratch: the states of the frame being expanded.
    alive: Vec<NodeId>,
    /// Scratch: (index child, pattern state) pairs found by literal look-up.
    pairs: Vec<(NodeId, NodeId)>,
    emitting: Option<(NodeId, usize)>,
}

impl<T, U> Resolve<'_, '_, T, U> {
    /// Pushes the child frames of index node `node`, whose live states are in `alive`.
    fn expand(&mut self, node: NodeId) {
        let index = self.index.trie();
        let patterns = self.set.trie();
        let any_single = self.alive.iter().any(|&s| patterns.any_child(s) != NONE);
        let fan_out: usize = self.alive.iter().map(|&s| patterns.child_count(s)).sum();
        if fan_out == 0 {
            // Only `*` transitions, if any: every index child gets the same states, and no
            // child node needs to be read.
            let anys = self.alive.iter().map(|&s| patterns.any_child(s));
            let anys: SmallVec<[NodeId; 8]> = anys.filter(|&any| any != NONE).collect();
            if anys.is_empty() {
                return;
            }
            for child in index.children(node) {
                self.stack.push(Frame::States(child, self.states.len()));
                self.states.extend_from_slice(&anys);
            }
        } else if any_single || fan_out > index.child_count(node) {
            // Try every index child against every state; a child's label is read only when
            // its hash matches a pattern edge.
            for Edge { hash, node: child } in index.edges(node) {
                let start = self.states.len();
                for &state in &self.alive {
                    let found = patterns.child_with(state, hash, || index.label_bytes(child));
                    self.states.extend(found);
                    let any = patterns.any_child(state);
                    if any != NONE {
                        self.states.push(any);
                    }
                }
                if self.states.len() > start {
                    self.stack.push(Frame::States(child, start));
                }
            }
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
                    let label = patterns.label_bytes(pattern_child);
                    if let Some(child) = index.child(node, label, hash) {
                        self.pairs.push((child, pattern_child));
                    }
                }
            }
            self.pairs.sort_unstable();
            for (i, &(child, state)) in self.pairs.iter().enumerate() {
                if i == 0 || self.pairs[i - 1].0 != child {
                    self.stack.push(Frame::States(child, self.states.len()));
                }
                self.states.push(state);
            }
        }
    }
}

impl<'a, T, U> Iterator for Resolve<'a, '_, T, U> {
    type Item = IndexEntry<'a, T>;

    fn next(&mut self) -> Option<IndexEntry<'a, T>> {
        loop {
            if let Some((node, variant)) = self.emitting {
                if variant < self.index.variant_count(node) {
                    self.emitting = Some((node, variant + 1));
                    return Some(self.index.entry(node, variant));
                }
                self.emitting = None;
            }
            let index = self.index.trie();
            let Some(frame) = self.stack.pop() else {
                // Then each literal pattern: one look-up, emitted unless a wildcard pattern
                // matches it too (the joint walk has emitted it then).
                let literal = self.literals.next()?;
                // A literal pattern's text is a valid name.
                let Ok(name) = Name::new(literal.text.as_str()) else {
                    continue;
                };
                if let Some(node) = self.index.node_of(&name) {
                    if self.index.variant_count(node) > 0 && !self.set.wildcards_match(&name) {
                        self.emitting = Some((node, 0));
                    }
                }
                continue;
            };
            match frame {
                Frame::Subtree(node) => {
                    self.emitting = Some((node, 0));
                    self.stack.extend(index.children(node).map(Frame::Subtree));
                }
                Frame::States(node, start) => {
                    self.alive.clear();
                    self.alive.extend(self.states.drain(start..));
                    let patterns = self.set.trie();
                    if self.alive.iter().any(|&s| patterns.data(s).has_exact()) {
                        self.emitting = Some((node, 0));
                    }
                    if self.alive.iter().any(|&s| patterns.data(s).has_rest()) {
                        self.stack.extend(index.children(node).map(Frame::Subtree));
                    } else {
                        self.expand(node);
                    }
                }
            }
        }
    }
}
