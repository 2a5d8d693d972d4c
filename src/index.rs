//! `ResourceIndex`: cached resource IDs in a token trie; which of them does a pattern match?

use std::fmt;
use std::mem;

use crate::error::Error;
use crate::name::{Name, ResourceId};
use crate::pattern::{Part, Pattern};
use crate::trie::{NodeData, NodeId, Trie, ROOT};
use crate::variants::{Variant, Variants};

/// What a name node holds: its IDs (one per query variant) and the IDs in its subtree.
#[derive(Clone)]
pub(crate) struct Ids<T> {
    variants: Variants<T>,
    /// IDs at this node and below; lets `count` stop at a `>` without visiting leaves.
    subtree: usize,
}

impl<T> Default for Ids<T> {
    fn default() -> Self {
        Ids {
            variants: Variants::default(),
            subtree: 0,
        }
    }
}

impl<T> NodeData for Ids<T> {
    fn is_empty(&self) -> bool {
        self.variants.is_empty()
    }

    fn heap_bytes(&self) -> usize {
        self.variants.heap_bytes()
    }
}

/// A set of resource IDs, each with a value, in a token trie keyed by name.
///
/// Each name is one trie node holding its query variants (`library.books` and
/// `library.books?start=10` share a node), and each node knows how many IDs lie below it.
/// A pattern walks only the branches it can match: a literal part is one hash or vector
/// look-up, `*` visits the children of one node, and `>` streams a whole subtree. So a
/// reset costs time in proportion to the nodes it touches and the IDs it finds, not to the
/// size of the index. The query never takes part in matching.
///
/// # Resource usage
///
/// Insert, remove, `get` and `contains` cost O(parts) hash or short-vector look-ups, plus
/// O(1) amortised for the query variant (a name with many variants indexes them by hash).
/// [`matches`](ResourceIndex::matches) costs O(nodes visited + IDs found): one look-up per
/// literal part, the children of a node per `*`, and the subtree per `>`.
/// [`count`](ResourceIndex::count) stops at a `>` and adds a subtree count, so `count(">")`
/// is O(1). [`resolve`](ResourceIndex::resolve) visits each index node at most once
/// whatever the number of patterns. Nothing recurses: names of any depth are safe.
///
/// Memory is one trie node (96 bytes with `T = ()`) per distinct name prefix, plus labels
/// longer than 22 bytes and queries on the heap; [`memory_usage`](ResourceIndex::memory_usage)
/// accounts for every heap byte (checked against a counting allocator). Measured on the
/// demo's corpus of 10^6 RES-shaped IDs (36 bytes on average, 0.96 nodes per ID): 122 bytes
/// per ID, against 88.5 for a `HashSet<String>` of the same IDs. Removing every ID gives all
/// of it back.
///
/// ```
/// use respat::{Pattern, ResourceIndex};
/// let mut index = ResourceIndex::new();
/// for id in ["library.book.1", "library.book.2", "library.books?start=0", "chat.room.9"] {
///     index.insert(id, ())?;
/// }
/// let pattern = Pattern::new("library.>")?;
/// let mut ids: Vec<String> = index.matches(&pattern).map(|e| e.id()).collect();
/// ids.sort();
/// assert_eq!(ids, ["library.book.1", "library.book.2", "library.books?start=0"]);
/// assert_eq!(index.count(&pattern), 3);
/// # Ok::<(), respat::Error>(())
/// ```
#[derive(Clone)]
pub struct ResourceIndex<T> {
    trie: Trie<Ids<T>>,
    len: usize,
}

impl<T> Default for ResourceIndex<T> {
    fn default() -> Self {
        ResourceIndex {
            trie: Trie::default(),
            len: 0,
        }
    }
}

impl<T> ResourceIndex<T> {
    /// An empty index.
    pub fn new() -> ResourceIndex<T> {
        ResourceIndex::default()
    }

    /// The number of resource IDs.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether the index holds no ID.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Parses `id` and inserts it with `value`; returns the value it replaces, if the same
    /// ID was already there.
    ///
    /// # Errors
    /// If `id` is not a valid resource ID; the index is then unchanged.
    pub fn insert(&mut self, id: &str, value: T) -> Result<Option<T>, Error> {
        Ok(self.insert_id(&ResourceId::new(id)?, value))
    }

    /// Inserts an already parsed ID with `value`; returns the value it replaces.
    pub fn insert_id(&mut self, id: &ResourceId<'_>, value: T) -> Option<T> {
        let mut node = ROOT;
        for (label, hash) in id.name().hashed_parts() {
            node = self.trie.child_or_insert(node, label, hash);
        }
        let variants = &mut self.trie.data_mut(node).variants;
        if let Some(at) = variants.find(id.query()) {
            return Some(mem::replace(&mut variants.get_mut(at).value, value));
        }
        variants.push(id.query(), value);
        self.adjust_counts(node, true);
        self.len += 1;
        None
    }

    /// Adds or takes one from the subtree counts of `node` and its ancestors.
    fn adjust_counts(&mut self, mut node: NodeId, add: bool) {
        loop {
            let ids = self.trie.data_mut(node);
            if add {
                ids.subtree += 1;
            } else {
                ids.subtree -= 1;
            }
            if node == ROOT {
                return;
            }
            node = self.trie.parent(node);
        }
    }

    /// The node of `id` and the position of its query variant.
    fn find(&self, id: &str) -> Option<(NodeId, usize)> {
        let id = ResourceId::new(id).ok()?;
        let node = self.node_of(id.name())?;
        let position = self.trie.data(node).variants.find(id.query())?;
        Some((node, position))
    }

    /// Removes `id` and returns its value; `None` if it is not in the index (an invalid ID
    /// never is). Nodes left empty are freed.
    pub fn remove(&mut self, id: &str) -> Option<T> {
        let (node, position) = self.find(id)?;
        let value = self.trie.data_mut(node).variants.swap_remove(position);
        self.adjust_counts(node, false);
        self.len -= 1;
        self.trie.prune(node);
        Some(value)
    }

    /// The value of `id`.
    pub fn get(&self, id: &str) -> Option<&T> {
        let (node, position) = self.find(id)?;
        Some(&self.trie.data(node).variants.get(position).value)
    }

    /// The value of `id`, mutably.
    pub fn get_mut(&mut self, id: &str) -> Option<&mut T> {
        let (node, position) = self.find(id)?;
        Some(&mut self.trie.data_mut(node).variants.get_mut(position).value)
    }

    /// Whether `id` is in the index.
    pub fn contains(&self, id: &str) -> bool {
        self.find(id).is_some()
    }

    /// Removes every ID and gives back the memory.
    pub fn clear(&mut self) {
        *self = ResourceIndex::new();
    }

    /// Every ID with its value, lazily, in no particular order.
    pub fn iter(&self) -> Matches<'_, 'static, T> {
        Matches {
            index: self,
            pattern: None,
            stack: vec![Frame::Subtree(ROOT)],
            emitting: None,
        }
    }

    /// The IDs whose name `pattern` matches, lazily, each once, in no particular order.
    pub fn matches<'a, 'p>(&'a self, pattern: &'p Pattern) -> Matches<'a, 'p, T> {
        Matches {
            index: self,
            pattern: Some(pattern),
            stack: vec![Frame::Pattern(ROOT, 0)],
            emitting: None,
        }
    }

    /// How many IDs `pattern` matches. A `>` adds up a subtree count instead of visiting
    /// the subtree, so `count(">")` takes constant time.
    pub fn count(&self, pattern: &Pattern) -> usize {
        let mut total = 0;
        let mut stack: Vec<(NodeId, usize)> = vec![(ROOT, 0)];
        while let Some((node, depth)) = stack.pop() {
            let ids = self.trie.data(node);
            match pattern.part(depth) {
                None => total += ids.variants.len(),
                Some(Part::Rest) => total += ids.subtree - ids.variants.len(),
                Some(Part::Single) => {
                    stack.extend(self.trie.children(node).map(|child| (child, depth + 1)));
                }
                Some(Part::Literal(label)) => {
                    let child = self
                        .trie
                        .child(node, label.as_bytes(), pattern.part_hash(depth));
                    stack.extend(child.map(|child| (child, depth + 1)));
                }
            }
        }
        total
    }

    /// The node of `name`, if the index has it.
    pub(crate) fn node_of(&self, name: &Name<'_>) -> Option<NodeId> {
        let mut node = ROOT;
        for (label, hash) in name.hashed_parts() {
            node = self.trie.child(node, label.as_bytes(), hash)?;
        }
        Some(node)
    }

    pub(crate) fn trie(&self) -> &Trie<Ids<T>> {
        &self.trie
    }

    pub(crate) fn entry(&self, node: NodeId, variant: usize) -> IndexEntry<'_, T> {
        IndexEntry {
            index: self,
            node,
            variant,
        }
    }

    pub(crate) fn variant_count(&self, node: NodeId) -> usize {
        self.trie.data(node).variants.len()
    }

    /// Trie nodes in use, the root included (1 for an empty index).
    pub fn node_count(&self) -> usize {
        self.trie.node_count()
    }

    /// Heap bytes owned by the index (values' own heap allocations not included).
    pub fn memory_usage(&self) -> usize {
        self.trie.memory_usage()
    }
}

impl<'a, T> IntoIterator for &'a ResourceIndex<T> {
    type Item = IndexEntry<'a, T>;
    type IntoIter = Matches<'a, 'static, T>;

    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

impl<T> fmt::Debug for ResourceIndex<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ResourceIndex")
            .field("len", &self.len)
            .field("nodes", &self.node_count())
            .finish()
    }
}

/// One resource ID found in a [`ResourceIndex`]: its value, and its ID on demand.
pub struct IndexEntry<'a, T> {
    index: &'a ResourceIndex<T>,
    node: NodeId,
    variant: usize,
}

impl<'a, T> IndexEntry<'a, T> {
    fn variant(&self) -> &'a Variant<T> {
        self.index.trie.data(self.node).variants.get(self.variant)
    }

    /// The value stored with the ID.
    pub fn value(&self) -> &'a T {
        &self.variant().value
    }

    /// The query of the ID (possibly empty), or `None` without `?`.
    pub fn query(&self) -> Option<&'a str> {
        self.variant().query.as_deref()
    }

    /// Appends the ID's name to `out` (rebuilt from the trie, one step per part).
    pub fn write_name(&self, out: &mut String) {
        self.index.trie.write_path(self.node, out);
    }

    /// Appends the whole ID (`name` or `name?query`) to `out`.
    pub fn write_id(&self, out: &mut String) {
        self.write_name(out);
        if let Some(query) = self.query() {
            out.push('?');
            out.push_str(query);
        }
    }

    /// The ID's name.
    pub fn name(&self) -> String {
        let mut out = String::new();
        self.write_name(&mut out);
        out
    }

    /// The whole ID.
    pub fn id(&self) -> String {
        let mut out = String::new();
        self.write_id(&mut out);
        out
    }
}

impl<T> Clone for IndexEntry<'_, T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T> Copy for IndexEntry<'_, T> {}

impl<T: fmt::Debug> fmt::Debug for IndexEntry<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("IndexEntry")
            .field("id", &self.id())
            .field("value", self.value())
            .finish()
    }
}

enum Frame {
    /// A node reached by the first `depth` parts of the pattern.
    Pattern(NodeId, usize),
    /// A node below a `>`: every ID in its subtree matches.
    Subtree(NodeId),
}

/// The IDs a pattern matches, from [`ResourceIndex::matches`] or [`ResourceIndex::iter`].
///
/// A depth-first walk with an explicit stack, so names of any depth are safe.
pub struct Matches<'a, 'p, T> {
    index: &'a ResourceIndex<T>,
    /// `None` walks everything (`iter`).
    pattern: Option<&'p Pattern>,
    stack: Vec<Frame>,
    /// The node whose variants are being yielded, and the next variant.
    emitting: Option<(NodeId, usize)>,
}

impl<'a, T> Iterator for Matches<'a, '_, T> {
    type Item = IndexEntry<'a, T>;

    fn next(&mut self) -> Option<IndexEntry<'a, T>> {
        let trie = self.index.trie();
        loop {
            if let Some((node, variant)) = self.emitting {
                if variant < self.index.variant_count(node) {
                    self.emitting = Some((node, variant + 1));
                    return Some(self.index.entry(node, variant));
                }
                self.emitting = None;
            }
            match self.stack.pop()? {
                Frame::Subtree(node) => {
                    self.emitting = Some((node, 0));
                    self.stack.extend(trie.children(node).map(Frame::Subtree));
                }
                Frame::Pattern(node, depth) => {
                    let Some(pattern) = self.pattern else {
                        continue;
                    };
                    match pattern.part(depth) {
                        None => self.emitting = Some((node, 0)),
                        Some(Part::Rest) => {
                            self.stack.extend(trie.children(node).map(Frame::Subtree));
                        }
                        Some(Part::Single) => self.stack.extend(
                            trie.children(node)
                                .map(|child| Frame::Pattern(child, depth + 1)),
                        ),
                        Some(Part::Literal(label)) => self.stack.extend(
                            trie.child(node, label.as_bytes(), pattern.part_hash(depth))
                                .map(|child| Frame::Pattern(child, depth + 1)),
                        ),
                    }
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn index_of(ids: &[&str]) -> ResourceIndex<usize> {
        let mut index = ResourceIndex::new();
        for (i, id) in ids.iter().enumerate() {
            index.insert(id, i).unwrap();
        }
        index
    }

    fn matched(index: &ResourceIndex<usize>, pattern: &str) -> Vec<String> {
        let pattern = Pattern::new(pattern).unwrap();
        let mut ids: Vec<String> = index.matches(&pattern).map(|e| e.id()).collect();
        ids.sort();
        assert_eq!(index.count(&pattern), ids.len());
        ids
    }

    #[test]
    fn a_node_is_96_bytes_as_documented() {
        assert_eq!(Trie::<Ids<()>>::NODE_BYTES, 96);
    }

    #[test]
    fn query_variants_share_a_name() {
        let index = index_of(&["a.b", "a.b?x=1", "a.b?", "a.b.c"]);
        assert_eq!(index.len(), 4);
        assert_eq!(matched(&index, "a.b"), ["a.b", "a.b?", "a.b?x=1"]);
        assert_eq!(matched(&index, "a.>"), ["a.b", "a.b.c", "a.b?", "a.b?x=1"]);
        assert_eq!(matched(&index, "a.b.>"), ["a.b.c"]);
        assert_eq!(matched(&index, "*.*"), ["a.b", "a.b?", "a.b?x=1"]);
    }

    #[test]
    fn insert_replaces_and_remove_returns() {
        let mut index = index_of(&["a.b?q"]);
        assert_eq!(index.insert("a.b?q", 9).unwrap(), Some(0));
        assert_eq!(index.len(), 1);
        assert_eq!(index.get("a.b?q"), Some(&9));
        assert_eq!(index.get("a.b"), None);
        assert_eq!(index.remove("a.b"), None);
        assert_eq!(index.remove("a.b?q"), Some(9));
        assert!(index.is_empty());
    }

    #[test]
    fn failed_insert_changes_nothing() {
        let mut index = index_of(&["a.b"]);
        let before = (index.len(), index.node_count(), index.memory_usage());
        assert!(index.insert("a.b.*", 1).is_err());
        assert!(index.insert("a..c", 1).is_err());
        assert_eq!(
            before,
            (index.len(), index.node_count(), index.memory_usage())
        );
    }

    #[test]
    fn removing_everything_returns_to_empty() {
        let empty = ResourceIndex::<usize>::new().memory_usage();
        let ids = ["a.b", "a.b?x", "a.b.c", "d", "e.f.g.h"];
        let mut index = index_of(&ids);
        for id in ids {
            assert!(index.remove(id).is_some());
        }
        assert_eq!(index.node_count(), 1);
        assert_eq!(index.memory_usage(), empty);
    }

    #[test]
    fn iter_yields_everything_once() {
        let index = index_of(&["a", "a.b", "a.b?x", "c.d"]);
        let mut ids: Vec<String> = index.iter().map(|e| e.id()).collect();
        ids.sort();
        assert_eq!(ids, ["a", "a.b", "a.b?x", "c.d"]);
        assert_eq!(index.count(&Pattern::new(">").unwrap()), 4);
    }

    #[test]
    fn deep_names_do_not_overflow_the_stack() {
        let deep = vec!["p"; 100_000].join(".");
        let mut index = ResourceIndex::new();
        index.insert(&deep, ()).unwrap();
        let pattern = Pattern::new("p.>").unwrap();
        assert_eq!(index.matches(&pattern).count(), 1);
        assert_eq!(index.matches(&pattern).next().unwrap().id(), deep);
        assert_eq!(index.remove(&deep), Some(()));
        assert_eq!(index.node_count(), 1);
    }

    #[test]
    fn many_query_variants_load_in_linear_time() {
        let mut index = ResourceIndex::new();
        for i in 0..20_000 {
            assert_eq!(index.insert(&format!("a.list?start={i}"), i).unwrap(), None);
        }
        assert_eq!(index.insert("a.list?start=7", 0).unwrap(), Some(7));
        assert_eq!(index.get("a.list?start=19999"), Some(&19_999));
        assert_eq!(index.count(&Pattern::new("a.list").unwrap()), 20_000);
        for i in (0..20_000).rev().step_by(3) {
            assert!(index.remove(&format!("a.list?start={i}")).is_some(), "{i}");
        }
        for i in 0..20_000 {
            let present = index.get(&format!("a.list?start={i}")).is_some();
            assert_eq!(present, (19_999 - i) % 3 != 0, "{i}");
        }
    }
}
