//! The token trie shared by the pattern set and the resource index.
//!
//! Nodes live in one arena (`Vec<Node>`) and refer to each other by `u32` ids. A node has a
//! label (its part, inline when short), the label's hash, a parent, its literal children as
//! a contiguous vector of (hash, id) edges (indexed by a `hashbrown` table when there are
//! many), one "any" child slot for the pattern trie's `*`, and data of the owning
//! structure. Freed nodes are reused; an emptied trie gives all of its memory back.
//! Nothing here recurses, so depth is bounded only by memory.

use std::hash::BuildHasher;
use std::mem;
use std::sync::OnceLock;

use hashbrown::{DefaultHashBuilder, HashTable};
use smallvec::SmallVec;

use crate::label::Label;

/// A node id; `NONE` marks an empty slot.
pub(crate) type NodeId = u32;
pub(crate) const NONE: NodeId = u32::MAX;
pub(crate) const ROOT: NodeId = 0;

/// Fan-out above which a node indexes its edges with a hash table.
const FEW: usize = 8;

/// What the owning structure keeps in each node.
pub(crate) trait NodeData: Default {
    /// Whether the node holds nothing, so that it may be pruned when it has no children.
    fn is_empty(&self) -> bool;
    /// Heap bytes owned by this data (not counting `size_of::<Self>()`).
    fn heap_bytes(&self) -> usize;
}

/// The hash of a label. Every trie of the process hashes alike (one random seed), so a
/// part is hashed once per walk however many tries and nodes it is looked up in.
pub(crate) fn hash_label(label: &str) -> u32 {
    static HASHER: OnceLock<DefaultHashBuilder> = OnceLock::new();
    HASHER
        .get_or_init(DefaultHashBuilder::default)
        .hash_one(label.as_bytes()) as u32
}

/// Spreads a 32-bit label hash over 64 bits: hashbrown takes its tag from the top bits.
#[inline]
fn table_hash(hash: u32) -> u64 {
    u64::from(hash).wrapping_mul(0x9e37_79b9_7f4a_7c15)
}

/// A literal child: its label hash (compared before the label) and its id.
#[derive(Clone, Copy)]
struct Edge {
    hash: u32,
    node: NodeId,
}

struct Node<D> {
    label: Label,
    hash: u32,
    parent: NodeId,
    any: NodeId,
    edges: Vec<Edge>,
    /// Positions in `edges`, by label hash; only when there are more than `FEW` edges.
    table: Option<Box<HashTable<u32>>>,
    data: D,
}

impl<D: NodeData> Node<D> {
    fn new(parent: NodeId, label: &str, hash: u32) -> Node<D> {
        Node {
            label: Label::new(label),
            hash,
            parent,
            any: NONE,
            edges: Vec::new(),
            table: None,
            data: D::default(),
        }
    }

    fn is_prunable(&self) -> bool {
        self.edges.is_empty() && self.any == NONE && self.data.is_empty()
    }
}

pub(crate) struct Trie<D> {
    nodes: Vec<Node<D>>,
    free: Vec<NodeId>,
}

impl<D: NodeData> Default for Trie<D> {
    fn default() -> Self {
        Trie {
            nodes: vec![Node::new(NONE, "", 0)],
            free: Vec::new(),
        }
    }
}

impl<D: NodeData> Trie<D> {
    #[inline]
    pub(crate) fn data(&self, id: NodeId) -> &D {
        &self.nodes[id as usize].data
    }

    pub(crate) fn data_mut(&mut self, id: NodeId) -> &mut D {
        &mut self.nodes[id as usize].data
    }

    pub(crate) fn parent(&self, id: NodeId) -> NodeId {
        self.nodes[id as usize].parent
    }

    #[inline]
    pub(crate) fn label(&self, id: NodeId) -> &str {
        self.nodes[id as usize].label.as_str()
    }

    /// The hash of `id`'s label, as [`hash_label`] computes it.
    #[inline]
    pub(crate) fn label_hash(&self, id: NodeId) -> u32 {
        self.nodes[id as usize].hash
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
    pub(crate) fn child(&self, id: NodeId, label: &str, hash: u32) -> Option<NodeId> {
        self.position(id, label, hash)
            .map(|at| self.nodes[id as usize].edges[at].node)
    }

    #[inline]
    fn position(&self, id: NodeId, label: &str, hash: u32) -> Option<usize> {
        let node = &self.nodes[id as usize];
        let is = |edge: &Edge| {
            edge.hash == hash && self.nodes[edge.node as usize].label.as_bytes() == label.as_bytes()
        };
        match &node.table {
            None => node.edges.iter().position(is),
            Some(table) => table
                .find(table_hash(hash), |&at| is(&node.edges[at as usize]))
                .map(|&at| at as usize),
        }
    }

    /// The literal children of `id`, in no particular order.
    #[inline]
    pub(crate) fn children(&self, id: NodeId) -> impl ExactSizeIterator<Item = NodeId> + '_ {
        self.nodes[id as usize].edges.iter().map(|e| e.node)
    }

    /// The number of literal children of `id`.
    #[inline]
    pub(crate) fn child_count(&self, id: NodeId) -> usize {
        self.nodes[id as usize].edges.len()
    }

    /// The literal child of `id` labelled `label` (hash `hash`), created if missing.
    pub(crate) fn child_or_insert(&mut self, id: NodeId, label: &str, hash: u32) -> NodeId {
        if let Some(child) = self.child(id, label, hash) {
            return child;
        }
        let child = self.alloc(id, label, hash);
        let node = &mut self.nodes[id as usize];
        node.edges.push(Edge { hash, node: child });
        let at = (node.edges.len() - 1) as u32;
        if let Some(table) = &mut node.table {
            let edges = &node.edges;
            table.insert_unique(table_hash(hash), at, |&p| {
                table_hash(edges[p as usize].hash)
            });
        } else if node.edges.len() > FEW {
            node.table = Some(Box::new(index_edges(&node.edges)));
        }
        child
    }

    /// The `*` child of `id`, created if missing.
    pub(crate) fn any_child_or_insert(&mut self, id: NodeId) -> NodeId {
        let any = self.nodes[id as usize].any;
        if any != NONE {
            return any;
        }
        let child = self.alloc(id, "*", hash_label("*"));
        self.nodes[id as usize].any = child;
        child
    }

    fn alloc(&mut self, parent: NodeId, label: &str, hash: u32) -> NodeId {
        let node = Node::new(parent, label, hash);
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
            self.nodes[id as usize] = Node::new(NONE, "", 0);
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
        let hash = self.nodes[child as usize].hash;
        let node = &mut self.nodes[parent as usize];
        let Some(at) = node.edges.iter().position(|e| e.node == child) else {
            return;
        };
        let last = node.edges.len() - 1;
        node.edges.swap_remove(at);
        if let Some(table) = &mut node.table {
            // Drop the removed edge's position, and renumber the edge moved into its place.
            if let Ok(entry) = table.find_entry(table_hash(hash), |&p| p as usize == at) {
                entry.remove();
            }
            if at != last {
                let moved = table_hash(node.edges[at].hash);
                if let Some(p) = table.find_mut(moved, |&p| p as usize == last) {
                    *p = at as u32;
                }
            }
            if node.edges.len() <= FEW / 2 {
                node.table = None;
            }
        }
        // Shrink only when mostly empty, so removals stay amortised O(1).
        if node.edges.len() * 4 < node.edges.capacity() {
            node.edges.shrink_to(node.edges.len() * 2);
            if let Some(table) = &mut node.table {
                let edges = &node.edges;
                table.shrink_to(edges.len(), |&p| table_hash(edges[p as usize].hash));
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

    /// Every heap byte the trie owns.
    pub(crate) fn memory_usage(&self) -> usize {
        let arena = self.nodes.capacity() * mem::size_of::<Node<D>>()
            + self.free.capacity() * mem::size_of::<NodeId>();
        let per_node: usize = self
            .nodes
            .iter()
            .map(|n| {
                let table = n.table.as_ref().map_or(0, |t| {
                    mem::size_of::<HashTable<u32>>() + table_bytes(t.capacity())
                });
                n.label.heap_bytes()
                    + n.edges.capacity() * mem::size_of::<Edge>()
                    + table
                    + n.data.heap_bytes()
            })
            .sum();
        arena + per_node
    }
}

/// A table of the positions of `edges`, by label hash.
fn index_edges(edges: &[Edge]) -> HashTable<u32> {
    let mut table = HashTable::with_capacity(edges.len() * 2);
    for (at, edge) in edges.iter().enumerate() {
        table.insert_unique(table_hash(edge.hash), at as u32, |&p| {
            table_hash(edges[p as usize].hash)
        });
    }
    table
}

/// Heap bytes of a `HashTable<u32>` that can hold `capacity` items.
pub(crate) fn table_bytes(capacity: usize) -> usize {
    if capacity == 0 {
        return 0;
    }
    // hashbrown keeps buckets a power of two and at most 7/8 of them full (all but one below
    // eight), so `capacity + 1` rounds up to the bucket count. Control bytes: one a bucket
    // plus a trailing group of 16.
    let buckets = (capacity + 1).next_power_of_two();
    let data = (buckets * mem::size_of::<u32>()).next_multiple_of(16);
    data + buckets + 16
}
