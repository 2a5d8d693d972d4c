//! The token trie of the pattern set.
//!
//! Nodes live in one arena (`Vec<Node>`) and refer to each other by `u32` ids. A node has a
//! label (its part, inline when short), a parent, its literal children as (label hash, id)
//! edges in a short vector or, when there are many, a `hashbrown` table, one slot for its
//! `*` child, and the [`Ends`] of the patterns that end there. Freed nodes are reused; an
//! emptied trie gives all of its memory back.
//! Nothing here recurses, so depth is bounded only by memory.

use std::mem;

use hashbrown::HashTable;
use smallvec::SmallVec;

use crate::ends::Ends;
use crate::label::{hash_label, spread, Label};

/// A node id; `NONE` marks an empty slot.
pub(crate) type NodeId = u32;
pub(crate) const NONE: NodeId = u32::MAX;
pub(crate) const ROOT: NodeId = 0;

/// Fan-out above which a node indexes its edges with a hash table.
const FEW: usize = 8;

/// A literal child: its label hash (compared before the label) and its id.
#[derive(Clone, Copy)]
pub(crate) struct Edge {
    pub(crate) hash: u32,
    pub(crate) node: NodeId,
}

/// A node's literal children: a short vector, or a hash table when there are many.
#[derive(Clone)]
enum Children {
    Few(Vec<Edge>),
    Many(Box<HashTable<Edge>>),
}

#[derive(Clone)]
struct Node {
    label: Label,
    parent: NodeId,
    any: NodeId,
    children: Children,
    data: Ends,
}

impl Node {
    fn new(parent: NodeId, label: &str) -> Node {
        Node {
            label: Label::new(label),
            parent,
            any: NONE,
            children: Children::Few(Vec::new()),
            data: Ends::default(),
        }
    }

    fn is_prunable(&self) -> bool {
        matches!(&self.children, Children::Few(edges) if edges.is_empty())
            && self.any == NONE
            && self.data.is_empty()
    }
}

#[derive(Clone)]
pub(crate) struct Trie {
    nodes: Vec<Node>,
    free: Vec<NodeId>,
}

impl Default for Trie {
    fn default() -> Self {
        Trie {
            nodes: vec![Node::new(NONE, "")],
            free: Vec::new(),
        }
    }
}

impl Trie {
    #[inline]
    pub(crate) fn data(&self, id: NodeId) -> &Ends {
        &self.nodes[id as usize].data
    }

    pub(crate) fn data_mut(&mut self, id: NodeId) -> &mut Ends {
        &mut self.nodes[id as usize].data
    }

    pub(crate) fn parent(&self, id: NodeId) -> NodeId {
        self.nodes[id as usize].parent
    }

    #[inline]
    pub(crate) fn label(&self, id: NodeId) -> &str {
        self.nodes[id as usize].label.as_str()
    }

    #[inline]
    pub(crate) fn label_bytes(&self, id: NodeId) -> &[u8] {
        self.nodes[id as usize].label.as_bytes()
    }

    /// The `*` child of a pattern-trie node, or `NONE`.
    #[inline]
    pub(crate) fn any_child(&self, id: NodeId) -> NodeId {
        self.nodes[id as usize].any
    }

    /// Nodes in use, the root included.
    pub(crate) fn node_count(&self) -> usize {
        self.nodes.len() - self.free.len()
    }

    /// The literal child of `id` labelled `label`, whose hash is `hash`.
    #[inline]
    pub(crate) fn child(&self, id: NodeId, label: &[u8], hash: u32) -> Option<NodeId> {
        self.child_with(id, hash, || label)
    }

    /// The literal child of `id` whose label hashes to `hash` and is `label()`; `label` is
    /// called only when a child's hash matches (it may cost a cache miss).
    #[inline]
    pub(crate) fn child_with<'l>(
        &self,
        id: NodeId,
        hash: u32,
        label: impl Fn() -> &'l [u8],
    ) -> Option<NodeId> {
        let is = |edge: &Edge| {
            edge.hash == hash && self.nodes[edge.node as usize].label.as_bytes() == label()
        };
        match &self.nodes[id as usize].children {
            Children::Few(edges) => edges.iter().find(|e| is(e)),
            Children::Many(table) => table.find(spread(hash), is),
        }
        .map(|edge| edge.node)
    }

    /// The literal children of `id` with their label hashes, in no particular order.
    #[inline]
    pub(crate) fn edges(&self, id: NodeId) -> Edges<'_> {
        match &self.nodes[id as usize].children {
            Children::Few(edges) => Edges::Few(edges.iter()),
            Children::Many(table) => Edges::Many(table.iter()),
        }
    }

    /// The number of literal children of `id`.
    #[inline]
    pub(crate) fn child_count(&self, id: NodeId) -> usize {
        match &self.nodes[id as usize].children {
            Children::Few(edges) => edges.len(),
            Children::Many(table) => table.len(),
        }
    }

    /// The literal child of `id` labelled `label` (hash `hash`), created if missing.
    pub(crate) fn child_or_insert(&mut self, id: NodeId, label: &str, hash: u32) -> NodeId {
        if let Some(child) = self.child(id, label.as_bytes(), hash) {
            return child;
        }
        let node = self.alloc(id, label);
        let edge = Edge { hash, node };
        let children = &mut self.nodes[id as usize].children;
        match children {
            Children::Few(edges) if edges.len() < FEW => edges.push(edge),
            Children::Few(edges) => {
                let mut table = HashTable::with_capacity(FEW * 2);
                for e in edges.iter().copied().chain([edge]) {
                    table.insert_unique(spread(e.hash), e, |e| spread(e.hash));
                }
                *children = Children::Many(Box::new(table));
            }
            Children::Many(table) => {
                table.insert_unique(spread(hash), edge, |e| spread(e.hash));
            }
        }
        node
    }

    /// The `*` child of `id`, created if missing.
    pub(crate) fn any_child_or_insert(&mut self, id: NodeId) -> NodeId {
        let any = self.nodes[id as usize].any;
        if any != NONE {
            return any;
        }
        let child = self.alloc(id, "*");
        self.nodes[id as usize].any = child;
        child
    }

    fn alloc(&mut self, parent: NodeId, label: &str) -> NodeId {
        let node = Node::new(parent, label);
        match self.free.pop() {
            Some(id) => {
                self.nodes[id as usize] = node;
                id
            }
            None => {
                let id = NodeId::try_from(self.nodes.len())
                    .ok()
                    .filter(|&id| id != NONE)
                    .expect("respat: more than u32::MAX - 1 trie nodes");
                self.nodes.push(node);
                id
            }
        }
    }

    /// Frees `id` and then each ancestor that has become empty; the root stays.
    pub(crate) fn prune(&mut self, mut id: NodeId) {
        while id != ROOT && self.nodes[id as usize].is_prunable() {
            let parent = self.nodes[id as usize].parent;
            self.detach(parent, id);
            self.nodes[id as usize] = Node::new(NONE, "");
            self.free.push(id);
            id = parent;
        }
        if self.nodes[ROOT as usize].is_prunable() {
            // Empty again: give every arena byte back, as in a new trie.
            *self = Trie::default();
        }
    }

    fn detach(&mut self, parent: NodeId, child: NodeId) {
        if self.nodes[parent as usize].any == child {
            self.nodes[parent as usize].any = NONE;
            return;
        }
        let hash = hash_label(self.label(child));
        let children = &mut self.nodes[parent as usize].children;
        match children {
            Children::Few(edges) => {
                edges.retain(|e| e.node != child);
                if edges.is_empty() {
                    *edges = Vec::new();
                }
            }
            Children::Many(table) => {
                if let Ok(entry) = table.find_entry(spread(hash), |e| e.node == child) {
                    entry.remove();
                }
                if table.len() <= FEW / 2 {
                    *children = Children::Few(table.iter().copied().collect());
                } else if table.len() * 4 < table.capacity() {
                    // Shrink only when mostly empty, so removals stay amortised O(1).
                    table.shrink_to(table.len() * 2, |e| spread(e.hash));
                }
            }
        }
    }

    /// Appends the labels from the root to `id`, joined by `.`, to `out`.
    pub(crate) fn write_path(&self, id: NodeId, out: &mut String) {
        let mut path: SmallVec<[NodeId; 16]> = SmallVec::new();
        let mut at = id;
        while at != ROOT {
            path.push(at);
            at = self.parent(at);
        }
        for (i, &node) in path.iter().rev().enumerate() {
            if i > 0 {
                out.push('.');
            }
            out.push_str(self.label(node));
        }
    }

    /// Bytes of one node in the arena.
    #[cfg(test)]
    pub(crate) const NODE_BYTES: usize = mem::size_of::<Node>();

    /// Every heap byte the trie owns.
    pub(crate) fn memory_usage(&self) -> usize {
        let arena = self.nodes.capacity() * mem::size_of::<Node>()
            + self.free.capacity() * mem::size_of::<NodeId>();
        let per_node: usize = self
            .nodes
            .iter()
            .map(|n| {
                let children = match &n.children {
                    Children::Few(edges) => edges.capacity() * mem::size_of::<Edge>(),
                    Children::Many(table) => {
                        mem::size_of::<HashTable<Edge>>() + table.allocation_size()
                    }
                };
                n.label.heap_bytes() + children + n.data.heap_bytes()
            })
            .sum();
        arena + per_node
    }
}

/// Iterator over a node's literal children.
pub(crate) enum Edges<'a> {
    Few(std::slice::Iter<'a, Edge>),
    Many(hashbrown::hash_table::Iter<'a, Edge>),
}

impl Iterator for Edges<'_> {
    type Item = Edge;

    #[inline]
    fn next(&mut self) -> Option<Edge> {
        match self {
            Edges::Few(it) => it.next().copied(),
            Edges::Many(it) => it.next().copied(),
        }
    }
}

const _: () = assert!(mem::size_of::<Children>() == 24);
