//! The token trie shared by the pattern set and the resource index.
//!
//! Nodes live in one arena (`Vec<Node>`) and refer to each other by `u32` ids; each node
//! has a label (its part), a parent, literal children (a small vector for small fan-out, a
//! `hashbrown` table keyed by label beyond that), one "any" child slot for the pattern
//! trie's `*`, and data of the owning structure. Freed nodes are reused; an emptied trie
//! gives all of its memory back. Nothing here recurses, so depth is bounded only by memory.

use std::hash::BuildHasher;
use std::mem;

use hashbrown::{DefaultHashBuilder, HashTable};
use smallvec::SmallVec;

/// A node id; `NONE` marks an empty slot.
pub(crate) type NodeId = u32;
pub(crate) const NONE: NodeId = u32::MAX;
pub(crate) const ROOT: NodeId = 0;

/// Fan-out above which literal children move from a vector to a hash table.
const FEW: usize = 8;

/// What the owning structure keeps in each node.
pub(crate) trait NodeData: Default {
    /// Whether the node holds nothing, so that it may be pruned when it has no children.
    fn is_empty(&self) -> bool;
    /// Heap bytes owned by this data (not counting `size_of::<Self>()`).
    fn heap_bytes(&self) -> usize;
}

#[derive(Default)]
enum Children {
    #[default]
    None,
    Few(SmallVec<[NodeId; 2]>),
    Many(HashTable<NodeId>),
}

struct Node<D> {
    parent: NodeId,
    label: Box<str>,
    children: Children,
    any: NodeId,
    data: D,
}

impl<D: NodeData> Node<D> {
    fn new(parent: NodeId, label: &str) -> Node<D> {
        Node {
            parent,
            label: label.into(),
            children: Children::None,
            any: NONE,
            data: D::default(),
        }
    }

    fn is_prunable(&self) -> bool {
        matches!(self.children, Children::None) && self.any == NONE && self.data.is_empty()
    }
}

pub(crate) struct Trie<D> {
    nodes: Vec<Node<D>>,
    free: Vec<NodeId>,
    hasher: DefaultHashBuilder,
}

impl<D: NodeData> Default for Trie<D> {
    fn default() -> Self {
        Trie {
            nodes: vec![Node::new(NONE, "")],
            free: Vec::new(),
            hasher: DefaultHashBuilder::default(),
        }
    }
}

impl<D: NodeData> Trie<D> {
    pub(crate) fn data(&self, id: NodeId) -> &D {
        &self.nodes[id as usize].data
    }

    pub(crate) fn data_mut(&mut self, id: NodeId) -> &mut D {
        &mut self.nodes[id as usize].data
    }

    pub(crate) fn parent(&self, id: NodeId) -> NodeId {
        self.nodes[id as usize].parent
    }

    pub(crate) fn label(&self, id: NodeId) -> &str {
        &self.nodes[id as usize].label
    }

    /// The `*` child of a pattern-trie node, or `NONE`.
    pub(crate) fn any_child(&self, id: NodeId) -> NodeId {
        self.nodes[id as usize].any
    }

    /// Nodes in use, the root included.
    pub(crate) fn node_count(&self) -> usize {
        self.nodes.len() - self.free.len()
    }

    fn hash(&self, label: &str) -> u64 {
        self.hasher.hash_one(label.as_bytes())
    }

    /// The literal child of `id` labelled `label`.
    #[inline]
    pub(crate) fn child(&self, id: NodeId, label: &str) -> Option<NodeId> {
        match &self.nodes[id as usize].children {
            Children::None => None,
            Children::Few(few) => few.iter().copied().find(|&c| self.label(c) == label),
            Children::Many(table) => table
                .find(self.hash(label), |&c| self.label(c) == label)
                .copied(),
        }
    }

    /// The literal children of `id`, in no particular order.
    pub(crate) fn children(&self, id: NodeId) -> ChildIter<'_> {
        match &self.nodes[id as usize].children {
            Children::None => ChildIter::Few([].iter()),
            Children::Few(few) => ChildIter::Few(few.iter()),
            Children::Many(table) => ChildIter::Many(table.iter()),
        }
    }

    /// The number of literal children of `id`.
    pub(crate) fn child_count(&self, id: NodeId) -> usize {
        match &self.nodes[id as usize].children {
            Children::None => 0,
            Children::Few(few) => few.len(),
            Children::Many(table) => table.len(),
        }
    }

    /// The literal child of `id` labelled `label`, created if missing.
    pub(crate) fn child_or_insert(&mut self, id: NodeId, label: &str) -> NodeId {
        if let Some(child) = self.child(id, label) {
            return child;
        }
        let child = self.alloc(id, label);
        let mut children = mem::take(&mut self.nodes[id as usize].children);
        children = match children {
            Children::None => Children::Few(SmallVec::from_elem(child, 1)),
            Children::Few(mut few) if few.len() < FEW => {
                few.push(child);
                Children::Few(few)
            }
            Children::Few(few) => {
                let mut table = HashTable::with_capacity(FEW * 2);
                for c in few.into_iter().chain([child]) {
                    table.insert_unique(self.hash(self.label(c)), c, |&n| self.hash(self.label(n)));
                }
                Children::Many(table)
            }
            Children::Many(mut table) => {
                table.insert_unique(self.hash(label), child, |&n| self.hash(self.label(n)));
                Children::Many(table)
            }
        };
        self.nodes[id as usize].children = children;
        child
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
        if self.nodes[ROOT as usize].is_prunable() && self.nodes.len() > 1 {
            // Empty again: give every arena byte back, as in a new trie.
            *self = Trie::default();
        }
    }

    fn detach(&mut self, parent: NodeId, child: NodeId) {
        if self.nodes[parent as usize].any == child {
            self.nodes[parent as usize].any = NONE;
            return;
        }
        let hash = self.hash(self.label(child));
        let mut children = mem::take(&mut self.nodes[parent as usize].children);
        children = match children {
            Children::None => Children::None,
            Children::Few(mut few) => {
                few.retain(|c| *c != child);
                if few.is_empty() {
                    Children::None
                } else {
                    Children::Few(few)
                }
            }
            Children::Many(mut table) => {
                if let Ok(entry) = table.find_entry(hash, |&c| c == child) {
                    entry.remove();
                }
                if table.len() <= FEW / 2 {
                    Children::Few(table.into_iter().collect())
                } else {
                    // Shrink only when mostly empty, so removals stay amortised O(1).
                    if table.len() * 4 < table.capacity() {
                        table.shrink_to(table.len() * 2, |&n| self.hash(self.label(n)));
                    }
                    Children::Many(table)
                }
            }
        };
        self.nodes[parent as usize].children = children;
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

    /// Every heap byte the trie owns.
    pub(crate) fn memory_usage(&self) -> usize {
        let nodes = self.nodes.capacity() * mem::size_of::<Node<D>>()
            + self.free.capacity() * mem::size_of::<NodeId>();
        let per_node: usize = self
            .nodes
            .iter()
            .map(|n| {
                let children = match &n.children {
                    Children::None => 0,
                    Children::Few(few) if few.spilled() => few.capacity() * 4,
                    Children::Few(_) => 0,
                    // A table owns one u32 bucket and one control byte per bucket, plus a group
                    // of trailing control bytes.
                    Children::Many(table) => table_bytes(table.capacity()),
                };
                n.label.len() + children + n.data.heap_bytes()
            })
            .sum();
        nodes + per_node
    }
}

/// Heap bytes of a `HashTable<u32>` that can hold `capacity` items.
fn table_bytes(capacity: usize) -> usize {
    if capacity == 0 {
        return 0;
    }
    // hashbrown keeps buckets a power of two and at most 7/8 of them full (all but one below
    // eight), so `capacity + 1` rounds up to the bucket count.
    let buckets = (capacity + 1).next_power_of_two();
    let data = (buckets * mem::size_of::<NodeId>()).next_multiple_of(16);
    data + buckets + 16
}

/// Iterator over a node's literal children.
pub(crate) enum ChildIter<'a> {
    Few(std::slice::Iter<'a, NodeId>),
    Many(hashbrown::hash_table::Iter<'a, NodeId>),
}

impl Iterator for ChildIter<'_> {
    type Item = NodeId;

    #[inline]
    fn next(&mut self) -> Option<NodeId> {
        match self {
            ChildIter::Few(it) => it.next().copied(),
            ChildIter::Many(it) => it.next().copied(),
        }
    }
}
