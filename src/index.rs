//! `ResourceIndex`: cached resource IDs in a token trie; which of them does a pattern match?

use std::fmt;
use std::mem;

use crate::error::Error;
use crate::interner::{Interner, TextId};
use crate::matches::{Emit, IndexEntry, Matches};
use crate::name::{Name, ResourceId};
use crate::packed::{Arena, Key};
use crate::pattern::{Part, Pattern};
use crate::pool::{capacity, class_for, reserve_gently, Child, Pool, LIST, NONE};
use crate::queries::QueryLists;
use crate::slot_tables::{SlotTable, SlotTables};
use crate::syntax::next_special;
use crate::values::ValueSlice;

/// The root node: its block holds the first parts of all names.
pub(crate) const ROOT: u32 = 0;
/// Children above which a block is indexed by a hash table (dropped again at half that).
const TABLE_AT: usize = 16;
/// The size (bytes a rewrite copies) from which rewrites also keep the layout; see
/// `ResourceIndex::rewrite_if_due`.
const LAYOUT_AT: usize = 4 << 20;

/// A name that has children (and the root): where its children's block is, and its query
/// variants; its [`Link`] beside it says where it is and how many IDs lie below it. A name
/// without children is only its [`Child`] record, which points at its query variants
/// itself. (What look-ups and streaming read, 16 bytes; the rest is in the link, so that
/// a walk over many nodes reads fewer cache lines.)
#[derive(Clone, Copy)]
pub(crate) struct Inner {
    /// The start of the children's block in the pool (`NONE` without children).
    first: u32,
    /// The number of children.
    len: u32,
    /// The name's query list (`NONE` without).
    queries: u32,
    /// The number of the block's hash table in `tables` (`NO_TABLE` without) in the low 29
    /// bits; `EXACT` if the block has room for its children only (see [`Size`]); and in the
    /// top 2 bits how many size classes the block is above the smallest that holds its
    /// children: at most 3, since a block moves down when a quarter full. (There are fewer
    /// than 2^28 tables: only a block of over 16 records keeps one.)
    table_class: u32,
}

/// Where an inner node's name is, and how many IDs lie below it: what changes and ID
/// rebuilding read, beside the node by number.
#[derive(Clone, Copy)]
pub(crate) struct Link {
    /// The node whose block holds this name's record (`NONE` for the root).
    parent: u32,
    /// The position of that record in the parent's block.
    slot: u32,
    /// IDs strictly below this name: lets `count` answer a `>` without visiting leaves.
    below: u32,
}

const VACANT_LINK: Link = Link {
    parent: NONE,
    slot: NONE,
    below: 0,
};

/// The table number of a node without a table.
const NO_TABLE: u32 = (1 << 29) - 1;
/// Marks an exact block in `Inner::table_class`.
const EXACT: u32 = 1 << 29;

/// How much room a block has: that of a size class, or exactly its children's records.
/// `shrink_to_fit` writes exact blocks where a class would leave slack (a block of 13
/// children needs 13 records, not 16); the next insert moves one into a class, and a
/// removal leaves its last record behind, counted as free until the next rewrite.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
enum Size {
    Class(u8),
    Exact,
}

impl Size {
    /// The records a block of `len` children and this size has room for.
    fn room(self, len: usize) -> usize {
        match self {
            Size::Class(class) => capacity(class),
            Size::Exact => len,
        }
    }
}

const VACANT_INNER: Inner = Inner {
    first: NONE,
    len: 0,
    queries: NONE,
    table_class: NO_TABLE,
};

impl Inner {
    /// The number of the block's hash table, if it has one.
    #[inline(always)]
    fn table(&self) -> Option<u32> {
        let table = self.table_class & NO_TABLE;
        (table != NO_TABLE).then_some(table)
    }

    fn set_table(&mut self, table: Option<u32>) {
        let table = table.unwrap_or(NO_TABLE);
        debug_assert!(table <= NO_TABLE);
        self.table_class = self.table_class & !NO_TABLE | table;
    }

    /// How much room the block has.
    fn size(&self) -> Size {
        if self.table_class & EXACT != 0 {
            Size::Exact
        } else {
            Size::Class(class_for(self.len as usize) + (self.table_class >> 30) as u8)
        }
    }

    /// The records the block has room for.
    fn capacity(&self) -> usize {
        self.size().room(self.len as usize)
    }

    /// Puts the block at `first` (`NONE` for none), with `len` children and room `size`.
    fn set_block(&mut self, first: u32, len: u32, size: Size) {
        let bits = match size {
            Size::Class(class) => {
                let above = class - class_for(len as usize);
                debug_assert!(above <= 3 && (len > 0 || above == 0), "{len} {class}");
                u32::from(above) << 30
            }
            Size::Exact => {
                debug_assert!(len > 0);
                EXACT
            }
        };
        (self.first, self.len) = (first, len);
        self.table_class = self.table_class & NO_TABLE | bits;
    }
}

/// The bytes a rewrite of the index copies or hashes (`total`), of which `free` are in free
/// blocks and `moved` were moved by blocks changing class since the last rewrite.
struct RewriteBytes {
    free: usize,
    moved: usize,
    total: usize,
}

/// A name's query variants: their query handles, and their IDs' values beside them.
pub(crate) type Variants<'a, T> = (&'a [TextId], ValueSlice<'a, T>);

/// An inner node's children (with the values of their IDs without a query) and its own
/// query variants.
pub(crate) struct Contents<'a, T> {
    pub(crate) children: &'a [Child],
    pub(crate) values: ValueSlice<'a, T>,
    pub(crate) queries: Variants<'a, T>,
}

/// Where an ID's value is kept.
enum Position {
    /// Beside the name's record in the pool (the ID without a query).
    Base(usize),
    /// In a query list: the list and the position in it.
    Query(usize, usize),
}

/// A set of resource IDs, each with a value, in a token trie keyed by name.
///
/// Each name is one 12-byte record in its parent's block of children (labels up to 8
/// bytes inline, longer ones in a shared arena), and the value of the ID without a query
/// sits beside it (no bytes at all when `T` is zero-sized, as `()` is). A name with
/// children also has a small inner node (16 bytes, and 12 beside it) that says where its
/// children's block is and how many IDs lie below it. A name's query variants are a block
/// of a second pool (a 4-byte query handle and the value each), and query texts are stored
/// once for the whole index. A pattern walks only the branches it can match: a literal
/// part is a scan of a short block or one probe of a long one's table (4 bytes per entry,
/// read with the record it names), `*` visits the records of one block, and `>` streams
/// whole blocks. So a reset costs time in proportion to the nodes it touches and the IDs
/// it finds, not to the size of the index.
/// The query never takes part in matching.
///
/// # Resource usage
///
/// Insert, remove, `get` and `contains` cost O(parts) block scans or hash probes, plus O(1)
/// amortised for the query (a name with many variants indexes them by hash). A look-up
/// checks and splits the ID as it walks (an invalid ID is never found), so it costs one
/// pass over the ID and the reads of its path.
/// [`matches`](ResourceIndex::matches) costs O(nodes visited + IDs found).
/// [`count`](ResourceIndex::count) stops at a `>` and adds a subtree count, so `count(">")`
/// is O(1). [`resolve`](ResourceIndex::resolve) visits each index node at most once
/// whatever the number of patterns. Nothing recurses: names of any depth are safe.
///
/// [`memory_usage`](ResourceIndex::memory_usage) accounts for every heap byte (checked
/// against a counting allocator); removing every ID gives all of it back, and blocks freed
/// by removals are reused. Measured on the demo's corpus of 10^6 RES-shaped IDs (36 bytes
/// on average, 0.96 names per ID): 32.2 bytes per ID as inserted, 26.7 after
/// [`shrink_to_fit`](ResourceIndex::shrink_to_fit), against 88.5 for a `HashSet<String>`
/// of the same IDs. On that corpus (2-core machine, medians): an exact look-up takes
/// 176 ns (`HashSet<String>`: 129), a reset matching 100 IDs 192 ns, and a `>` over a
/// tenth of the index streams at 6.4 ns per ID as inserted and 5.2 after `shrink_to_fit`
/// (3.4 and 3.1 at 10^5 IDs) when its [`Matches`] are consumed by internal iteration
/// (`for_each`, `fold`, `Iterator::count`).
///
/// # Panics
///
/// An index holds at most 2^32 - 2 names and IDs, 2^30 names with children, 2^30 - 1 names
/// with query variants, and 2 GiB of labels longer than 8 bytes; inserting past that
/// panics (no input can, short of that much memory).
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
    inners: Vec<Inner>,
    /// The link of each inner node, by the same number.
    links: Vec<Link>,
    free_inners: Vec<u32>,
    pool: Pool<Child, T>,
    /// Slots by label hash, for the blocks with more than `TABLE_AT` children.
    tables: SlotTables,
    queries: QueryLists<T>,
    arena: Arena,
    texts: Interner,
    len: usize,
    /// Name records in use.
    names: usize,
    /// Records moved by blocks changing class since the last rewrite.
    moved: usize,
}

impl<T> Default for ResourceIndex<T> {
    fn default() -> Self {
        ResourceIndex {
            inners: vec![VACANT_INNER],
            links: vec![VACANT_LINK],
            free_inners: Vec::new(),
            pool: Pool::default(),
            tables: SlotTables::default(),
            queries: QueryLists::default(),
            arena: Arena::default(),
            texts: Interner::default(),
            len: 0,
            names: 0,
            moved: 0,
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
        let (mut owner, mut slot) = (ROOT, NONE);
        for (label, hash) in id.name().hashed_parts() {
            if slot != NONE {
                owner = self.inner_or_insert(owner, slot);
            }
            let key = Key::new(label.as_bytes(), hash);
            slot = match self.find_slot(owner, &key) {
                Some(slot) => slot,
                None => self.push_child(owner, &key),
            };
        }
        let old = match id.query() {
            None => {
                let at = self.at(owner, slot);
                let present = self.pool.records[at].has_base();
                self.pool.records[at].set_base(true);
                self.pool.values.replace(at, present, value)
            }
            Some(query) => {
                let list = self.list_or_insert(owner, slot);
                // The query is hashed once: a known text is retained, not looked up again.
                let text = self.texts.find(query);
                match text.and_then(|t| self.queries.find(list, t)) {
                    Some(at) => self
                        .queries
                        .value_mut(list, at)
                        .map(|old| mem::replace(old, value)),
                    None => {
                        let text = match text {
                            Some(text) => {
                                self.texts.retain(text);
                                text
                            }
                            None => self.texts.acquire(query),
                        };
                        self.queries.push(list, text, value);
                        None
                    }
                }
            }
        };
        if old.is_none() {
            assert!(
                self.len < NONE as usize - 1,
                "respat: more than 2^32 - 2 IDs in one index"
            );
            self.len += 1;
            self.add_below(owner, true);
            self.rewrite_if_due();
        }
        old
    }

    /// Removes `id` and returns its value; `None` if it is not in the index (an invalid ID
    /// never is). Records and nodes left empty are freed.
    pub fn remove(&mut self, id: &str) -> Option<T> {
        let (owner, slot, position) = self.position(id)?;
        let value = match position {
            Position::Base(at) => {
                self.pool.records[at].set_base(false);
                self.pool.values.take(at, true)?
            }
            Position::Query(list, at) => {
                let (text, value) = self.queries.swap_remove(list, at)?;
                self.texts.release(text);
                if self.queries.len(list) == 0 {
                    // Freed by `swap_remove`: no name points at it any more.
                    let at = self.at(owner, slot);
                    match self.pool.records[at].node() {
                        Some(inner) => self.inners[inner as usize].queries = NONE,
                        None => self.pool.records[at].set_list(None),
                    }
                }
                value
            }
        };
        self.len -= 1;
        self.add_below(owner, false);
        if self.len == 0 {
            // Empty again: give every byte back, as in a new index.
            *self = ResourceIndex::new();
        } else {
            self.prune(owner, slot);
            self.rewrite_if_due();
        }
        Some(value)
    }

    /// The value of `id`.
    pub fn get(&self, id: &str) -> Option<&T> {
        match self.position(id)?.2 {
            Position::Base(at) => self.pool.values.get(at, true),
            Position::Query(list, at) => self.queries.value(list, at),
        }
    }

    /// The value of `id`, mutably.
    pub fn get_mut(&mut self, id: &str) -> Option<&mut T> {
        match self.position(id)?.2 {
            Position::Base(at) => self.pool.values.get_mut(at, true),
            Position::Query(list, at) => self.queries.value_mut(list, at),
        }
    }

    /// Whether `id` is in the index.
    pub fn contains(&self, id: &str) -> bool {
        self.position(id).is_some()
    }

    /// Removes every ID and gives back the memory.
    pub fn clear(&mut self) {
        *self = ResourceIndex::new();
    }

    /// Every ID with its value, lazily, in no particular order.
    pub fn iter(&self) -> Matches<'_, 'static, T> {
        Matches::all(self)
    }

    /// The IDs whose name `pattern` matches, lazily, each once, in no particular order.
    pub fn matches<'a, 'p>(&'a self, pattern: &'p Pattern) -> Matches<'a, 'p, T> {
        Matches::new(self, pattern)
    }

    /// How many IDs `pattern` matches. A `>` adds up a subtree count instead of visiting
    /// the subtree, so `count(">")` takes constant time.
    pub fn count(&self, pattern: &Pattern) -> usize {
        let last = pattern.part_count() - 1;
        let mut total = 0;
        let mut stack: Vec<(u32, usize)> = vec![(ROOT, 0)];
        while let Some((owner, depth)) = stack.pop() {
            let mut reach = |slot: u32| {
                if depth == last {
                    total += self.ids_at(owner, slot);
                } else {
                    if let Some(inner) = self.child(owner, slot).node() {
                        stack.push((inner, depth + 1));
                    }
                }
            };
            match pattern.part(depth) {
                Some(Part::Rest) => total += self.links[owner as usize].below as usize,
                Some(Part::Single) => (0..self.inners[owner as usize].len).for_each(reach),
                Some(Part::Literal(label)) => {
                    let key = Key::new(label.as_bytes(), pattern.part_hash(depth));
                    if let Some(slot) = self.find_slot(owner, &key) {
                        reach(slot);
                    }
                }
                None => {}
            }
        }
        total
    }

    /// Rewrites the index in depth-first order with no free space left between blocks, and
    /// releases the excess capacity of its vectors: after a bulk load, this takes the
    /// memory down to what the IDs need, and puts each subtree's blocks side by side.
    /// Costs O(size of the index), and room for a second copy of the blocks while it runs
    /// (on the demo's corpus the peak is 53 bytes per ID, for 27 after). Inserts and
    /// removals run a lighter rewrite by themselves when an eighth of the space is free or,
    /// in an index of over 4 MB, the blocks moved to other size classes since the last one
    /// hold a quarter of it (the depth-first order is then fading): it keeps each block's
    /// size (so that a block that just grew is not shrunk back, to grow again at the next
    /// insert) and each query text where it is. Such a rewrite is a pause of O(size of the
    /// index), about 40 ms at 937,000 IDs, amortised over the changes since the last one
    /// (a growing index is rewritten each time it nearly doubles, as a hash table is
    /// resized each time it doubles), and needs room for a second copy of the blocks while
    /// it runs (the load of the demo's corpus peaks at 53 bytes per ID).
    pub fn shrink_to_fit(&mut self) {
        self.compact(true);
        let labels = self.pool.records.iter_mut().map(|c| &mut c.label);
        self.arena.compact(labels);
        self.texts.shrink_to_fit();
    }

    /// Name records in use, plus one for the root (1 for an empty index).
    pub fn node_count(&self) -> usize {
        self.names + 1
    }

    /// Heap bytes owned by the index (values' own heap allocations not included).
    pub fn memory_usage(&self) -> usize {
        self.inners.capacity() * mem::size_of::<Inner>()
            + self.links.capacity() * mem::size_of::<Link>()
            + self.free_inners.capacity() * mem::size_of::<u32>()
            + self.pool.memory_usage()
            + self.tables.memory_usage()
            + self.queries.memory_usage()
            + self.arena.memory_usage()
            + self.texts.memory_usage()
    }

    // -----------------------------------------------------------------------------------
    // Navigation, for the iterators.

    /// The pool position of the record of name (`owner`, `slot`).
    #[inline(always)]
    fn at(&self, owner: u32, slot: u32) -> usize {
        (self.inners[owner as usize].first + slot) as usize
    }

    /// The record of name (`owner`, `slot`).
    #[inline]
    pub(crate) fn child(&self, owner: u32, slot: u32) -> Child {
        self.pool.records[self.at(owner, slot)]
    }

    /// The children of `owner`.
    #[inline]
    pub(crate) fn block(&self, owner: u32) -> &[Child] {
        &self.pool.records[self.range(owner)]
    }

    /// Where `owner`'s children are in the pool.
    #[inline]
    fn range(&self, owner: u32) -> std::ops::Range<usize> {
        let node = &self.inners[owner as usize];
        if node.len == 0 {
            return 0..0;
        }
        node.first as usize..(node.first + node.len) as usize
    }

    /// The children of `owner` and, beside them, the values of their IDs without a query.
    #[inline]
    pub(crate) fn block_with_values(&self, owner: u32) -> (&[Child], ValueSlice<'_, T>) {
        let range = self.range(owner);
        (
            &self.pool.records[range.clone()],
            self.pool.values.slice(range),
        )
    }

    /// What inner node `inner` holds, from one read of it: its children's block with their
    /// values, and its own query variants (for streaming a subtree).
    #[inline(always)]
    pub(crate) fn contents(&self, inner: u32) -> Contents<'_, T> {
        let (children, values) = self.block_with_values(inner);
        Contents {
            children,
            values,
            queries: self.list_variants(self.inners[inner as usize].queries),
        }
    }

    /// The variants of query list `list`; none for `NONE`.
    #[inline(always)]
    pub(crate) fn list_variants(&self, list: u32) -> Variants<'_, T> {
        match list {
            NONE => (&[], ValueSlice::EMPTY),
            list => self.queries.variants(list as usize),
        }
    }

    /// The label of a record.
    #[inline]
    pub(crate) fn label<'a>(&'a self, child: &'a Child) -> &'a [u8] {
        self.arena.bytes(&child.label)
    }

    /// The hash of a record's label, as a name's part hash.
    #[inline]
    pub(crate) fn label_hash(&self, child: &Child) -> u32 {
        self.arena.hash(&child.label)
    }

    /// The slot of the child of `owner` labelled as `key` says.
    #[inline]
    pub(crate) fn find_slot(&self, owner: u32, key: &Key<'_>) -> Option<u32> {
        let node = &self.inners[owner as usize];
        if let Some(table) = node.table() {
            let first = node.first as usize;
            let is = |slot: u32| {
                let child = &self.pool.records[first + slot as usize];
                self.arena.is(&child.label, key)
            };
            return self.tables.get(table).find(key.hash(), is);
        }
        let position = self
            .block(owner)
            .iter()
            .position(|c| self.arena.is(&c.label, key));
        position.map(|slot| slot as u32)
    }

    /// The name of `name` as (owner, slot), if the index has it.
    pub(crate) fn locate(&self, name: &Name<'_>) -> Option<(u32, u32)> {
        let mut at = (ROOT, NONE);
        for (label, hash) in name.hashed_parts() {
            at = self.step(at, &Key::new(label.as_bytes(), hash))?;
        }
        Some(at)
    }

    /// From name (`owner`, `slot`) (the root for slot `NONE`) to its child labelled `key`.
    #[inline(always)]
    fn step(&self, (owner, slot): (u32, u32), key: &Key<'_>) -> Option<(u32, u32)> {
        let owner = match slot {
            NONE => owner,
            slot => self.child(owner, slot).node()?,
        };
        Some((owner, self.find_slot(owner, key)?))
    }

    /// The query list of name (`owner`, `slot`), if it has one.
    #[inline(always)]
    fn list_of(&self, owner: u32, slot: u32) -> Option<usize> {
        let list = self.list_number(self.child(owner, slot));
        (list != NONE).then_some(list as usize)
    }

    /// The query list of the name of record `child` (`NONE` without).
    #[inline(always)]
    fn list_number(&self, child: Child) -> u32 {
        match child.node() {
            Some(inner) => self.inners[inner as usize].queries,
            None => child.list().unwrap_or(NONE),
        }
    }

    /// How many IDs name (`owner`, `slot`) has.
    pub(crate) fn ids_at(&self, owner: u32, slot: u32) -> usize {
        let base = usize::from(self.child(owner, slot).has_base());
        base + self
            .list_of(owner, slot)
            .map_or(0, |list| self.queries.len(list))
    }

    /// The IDs of name (`owner`, `slot`), ready to yield.
    #[inline(always)]
    pub(crate) fn emit(&self, owner: u32, slot: u32) -> Emit<'_, T> {
        let at = self.at(owner, slot);
        let child = self.pool.records[at];
        let (texts, values) = self.list_variants(self.list_number(child));
        Emit {
            owner,
            slot,
            base: self.pool.values.get(at, child.has_base()),
            texts,
            values,
        }
    }

    /// The text of query `text`.
    pub(crate) fn query_text(&self, text: TextId) -> &str {
        self.texts.text(text)
    }

    /// Appends the name of (`owner`, `slot`) to `out`, rebuilt from the labels on its path.
    pub(crate) fn write_name(&self, owner: u32, slot: u32, out: &mut String) {
        let mut path: smallvec::SmallVec<[(u32, u32); 16]> = smallvec::smallvec![(owner, slot)];
        let mut node = owner;
        while node != ROOT {
            let link = &self.links[node as usize];
            path.push((link.parent, link.slot));
            node = link.parent;
        }
        for (i, &(owner, slot)) in path.iter().rev().enumerate() {
            if i > 0 {
                out.push('.');
            }
            let child = self.child(owner, slot);
            // Labels are printable ASCII, checked when parsed.
            out.push_str(std::str::from_utf8(self.label(&child)).unwrap_or_default());
        }
    }

    // -----------------------------------------------------------------------------------
    // Changes.

    /// The name of ID `id` as (owner, slot), if the index has it, and the ID's query. The ID
    /// is checked as it is walked, not parsed first, so that the trie's memory reads overlap
    /// with the scanning and hashing; a part with a fault ends the walk. (Every byte must be
    /// checked: the packed form of a label is only unique among valid labels.)
    fn locate_id<'t>(&self, id: &'t str) -> Option<(u32, u32, Option<&'t str>)> {
        let bytes = id.as_bytes();
        let mut at = (ROOT, NONE);
        let mut start = 0;
        loop {
            let end = next_special(bytes, start);
            let label = &bytes[start..end];
            if label.is_empty() {
                return None;
            }
            at = self.step(at, &Key::unhashed(label))?;
            let (owner, slot) = at;
            match bytes.get(end) {
                Some(b'.') => start = end + 1,
                // `?` is ASCII, so `end + 1` is a character boundary.
                Some(b'?') => return Some((owner, slot, id.get(end + 1..))),
                Some(_) => return None,
                None => return Some((owner, slot, None)),
            }
        }
    }

    /// Where `id`'s value is, with its name as (owner, slot).
    fn position(&self, id: &str) -> Option<(u32, u32, Position)> {
        let (owner, slot, query) = self.locate_id(id)?;
        let position = match query {
            None => {
                let at = self.at(owner, slot);
                // The record, just read, says whether the value is there.
                self.pool.records[at]
                    .has_base()
                    .then_some(Position::Base(at))?
            }
            Some(query) => {
                let list = self.list_of(owner, slot)?;
                let text = self.texts.find(query)?;
                Position::Query(list, self.queries.find(list, text)?)
            }
        };
        Some((owner, slot, position))
    }

    /// Adds or takes one ID from `node` and its ancestors.
    fn add_below(&mut self, mut node: u32, add: bool) {
        loop {
            let link = &mut self.links[node as usize];
            if add {
                link.below += 1;
            } else {
                link.below -= 1;
            }
            if node == ROOT {
                return;
            }
            node = link.parent;
        }
    }

    /// The inner node of name (`owner`, `slot`), created if missing (taking over the
    /// name's query list, if it has one).
    fn inner_or_insert(&mut self, owner: u32, slot: u32) -> u32 {
        let at = self.at(owner, slot);
        let child = self.pool.records[at];
        if let Some(inner) = child.node() {
            return inner;
        }
        let node = Inner {
            queries: child.list().unwrap_or(NONE),
            ..VACANT_INNER
        };
        let link = Link {
            parent: owner,
            slot,
            below: 0,
        };
        let id = match self.free_inners.pop() {
            Some(id) => {
                self.inners[id as usize] = node;
                self.links[id as usize] = link;
                id
            }
            None => {
                assert!(
                    self.inners.len() < LIST as usize,
                    "respat: more than 2^30 names with children in one index"
                );
                reserve_gently(&mut self.inners, 1);
                reserve_gently(&mut self.links, 1);
                self.inners.push(node);
                self.links.push(link);
                (self.inners.len() - 1) as u32
            }
        };
        self.pool.records[at].set_node(id);
        id
    }

    /// The query list of name (`owner`, `slot`), created if missing: its inner node's, or
    /// its record's own when it has no children.
    fn list_or_insert(&mut self, owner: u32, slot: u32) -> usize {
        let at = self.at(owner, slot);
        let child = self.pool.records[at];
        let existing = self.list_number(child);
        if existing != NONE {
            return existing as usize;
        }
        let list = self.queries.create();
        match child.node() {
            Some(inner) => self.inners[inner as usize].queries = list,
            None => self.pool.records[at].set_list(Some(list)),
        }
        list as usize
    }

    /// Appends a child labelled `key` to `owner`'s block; returns its slot.
    fn push_child(&mut self, owner: u32, key: &Key<'_>) -> u32 {
        let node = self.inners[owner as usize];
        let (first, len, size, table) = (node.first, node.len, node.size(), node.table());
        let (first, size) = if first == NONE {
            (self.pool.alloc(0), Size::Class(0))
        } else if len as usize == node.capacity() {
            self.moved += len as usize;
            let to = class_for(len as usize + 1);
            let new = match size {
                Size::Class(class) => self.pool.relocate(first, len as usize, class, to),
                Size::Exact => self.pool.relocate_exact(first, len as usize, to),
            };
            (new, Size::Class(to))
        } else {
            (first, size)
        };
        let label = self.arena.pack(key.text);
        self.pool.records[(first + len) as usize] = Child::new(label);
        self.inners[owner as usize].set_block(first, len + 1, size);
        self.names += 1;

        let ResourceIndex {
            tables,
            pool,
            arena,
            ..
        } = self;
        if let Some(table) = table {
            let hash_of = |slot: u32| slot_hash(pool, arena, first, slot);
            tables.get_mut(table).insert(key.hash(), len, hash_of);
        } else if len as usize + 1 > TABLE_AT {
            let table = tables.insert(table_of_block(pool, arena, first, len + 1));
            self.inners[owner as usize].set_table(Some(table));
        }
        len
    }

    /// Rewrites the index (depth-first, each block keeping its class) when, of the bytes a
    /// rewrite copies or hashes (pool records, inner nodes, query variants and the long
    /// labels, which the blocks' hash tables are rebuilt from), an eighth is free or
    /// a quarter was moved by blocks changing class since the last rewrite. The first keeps
    /// memory in check; the second keeps the layout: a block that outgrows its class moves
    /// to wherever a free block is, so a growing index loses the depth-first order that
    /// lets a wide reset stream through memory (a probe at 10^6 IDs loaded in random order,
    /// best of 7: `svc.>` 10.1-10.5 ns per ID without the second trigger, 5.5-5.8 with it,
    /// 4.6 after `shrink_to_fit`; the load takes 25-30% longer). Either way the changes
    /// that freed or moved the bytes pay for the rewrite, which copies or hashes as many as
    /// the trigger counts, so changes stay amortised O(1) whatever the shape of the index
    /// (the moved bytes are weighed against the query variants and labels too, or a few
    /// names among many variants, or beside long labels, would call for a rewrite every
    /// few changes). The layout is kept from `LAYOUT_AT` bytes on: a smaller index is in
    /// cache, where it makes no difference (at 10^5 IDs, 2 MB, `svc.>` took 3.19 ns per ID
    /// as built and 3.11 compacted), while its rewrites would cost a quarter of its load
    /// time.
    fn rewrite_if_due(&mut self) {
        let RewriteBytes { free, moved, total } = self.rewrite_bytes();
        if free * 8 > total || moved * 4 > total && total > LAYOUT_AT {
            self.compact(false);
        }
    }

    /// What a rewrite would copy, how much of it is free and how much has moved.
    fn rewrite_bytes(&self) -> RewriteBytes {
        let inner = mem::size_of::<Inner>() + mem::size_of::<Link>();
        let record = Pool::<Child, T>::RECORD_BYTES;
        let (free_variants, variants) = self.queries.pool_bytes();
        RewriteBytes {
            free: self.pool.free_records() * record
                + self.free_inners.len() * inner
                + free_variants,
            moved: self.moved * record,
            // A rewrite rebuilds the blocks' hash tables, hashing their labels anew.
            total: self.pool.len() * record
                + self.inners.len() * inner
                + variants
                + self.arena.live_bytes(),
        }
    }

    /// Copies the blocks into a new pool and the inner nodes and query lists into new
    /// vectors, in depth-first order from the root, each hash table at its smallest. When
    /// `tight`, each block and list goes into the smallest class that holds it, and the
    /// query texts are interned anew (no free handles left); otherwise each keeps its class,
    /// and the texts their handles, so that the rewrite costs what the freed space paid for.
    fn compact(&mut self, tight: bool) {
        // When tight, each block in the smallest class that holds it, or exact if that
        // class would leave slack.
        let size_of = |node: &Inner| match node.size() {
            _ if tight => match class_for(node.len as usize) {
                class if capacity(class) == node.len as usize => Size::Class(class),
                _ => Size::Exact,
            },
            size => size,
        };
        let room = |node: &Inner| size_of(node).room(node.len as usize);
        let records: usize = self.inners.iter().filter(|n| n.len > 0).map(room).sum();
        let mut pool = Pool::with_capacity(records);
        let live = self.inners.len() - self.free_inners.len();
        let mut inners = Vec::with_capacity(live);
        let mut links = Vec::with_capacity(live);
        let mut tables = SlotTables::with_capacity(self.tables.len());
        let mut queries =
            QueryLists::with_capacity(self.queries.live(), self.queries.compact_records(tight));
        // When tight, the query texts too, interned anew in walk order.
        let mut texts = tight.then(Interner::default);
        inners.push(self.inners[ROOT as usize]);
        links.push(self.links[ROOT as usize]);
        // (old id, new id) of the inner nodes whose blocks are still to copy.
        let mut stack = vec![(ROOT, ROOT)];
        // A block's old slots in their new order.
        let mut order: Vec<u32> = Vec::new();
        while let Some((old, new)) = stack.pop() {
            let node = self.inners[old as usize];
            let (first, len, size) = (node.first, node.len, size_of(&node));
            if len == 0 {
                continue;
            }
            let start = match size {
                Size::Class(class) => pool.alloc(class),
                Size::Exact => pool.alloc_exact(len as usize),
            };
            // The names with children or query variants first, then the leaves (the two
            // branches of the streaming loop): a walk over the block takes one branch per run
            // of records, not a guess per record, and a look-up that passes through the
            // block finds its name near the block's start.
            let is_leaf = |slot: &u32| self.pool.records[(first + slot) as usize].is_leaf();
            order.clear();
            order.extend((0..len).filter(|s| !is_leaf(s)));
            order.extend((0..len).filter(is_leaf));
            for (slot, &old_slot) in (0..len).zip(&order) {
                let (from, to) = ((first + old_slot) as usize, (start + slot) as usize);
                let mut child = self.pool.records[from];
                // Moves a query list into `queries`, its texts into `texts`; its new number.
                let mut move_list = |old: u32| {
                    let text = |t| match &mut texts {
                        Some(texts) => texts.acquire(self.texts.text(t)),
                        None => t,
                    };
                    queries.adopt(&mut self.queries, old as usize, text, tight)
                };
                if let Some(inner) = child.node() {
                    let id = inners.len() as u32;
                    let mut node = self.inners[inner as usize];
                    links.push(Link {
                        parent: new,
                        slot,
                        ..self.links[inner as usize]
                    });
                    if node.queries != NONE {
                        node.queries = move_list(node.queries);
                    }
                    inners.push(node);
                    stack.push((inner, id));
                    child.set_node(id);
                } else if let Some(list) = child.list() {
                    child.set_list(Some(move_list(list)));
                }
                pool.records[to] = child;
                if let Some(value) = self.pool.values.take(from, child.has_base()) {
                    pool.values.put(to, value);
                }
            }
            let node = &mut inners[new as usize];
            node.set_block(start, len, size);
            if let Some(old_table) = node.table() {
                // Dropped as the new one is built, so that the copy's peak holds one of each.
                self.tables.remove(old_table);
                let table = tables.insert(table_of_block(&pool, &self.arena, start, len));
                node.set_table(Some(table));
            }
        }
        self.moved = 0;
        self.pool = pool;
        self.inners = inners;
        self.links = links;
        self.free_inners = Vec::new();
        self.tables = tables;
        self.queries = queries;
        if let Some(texts) = texts {
            self.texts = texts;
        }
    }

    /// Frees the record of name (`owner`, `slot`) if it holds nothing any more, then each
    /// ancestor left with nothing.
    fn prune(&mut self, mut owner: u32, mut slot: u32) {
        loop {
            let at = self.at(owner, slot);
            let child = self.pool.records[at];
            if let Some(inner) = child.node() {
                let node = self.inners[inner as usize];
                if node.len > 0 {
                    return;
                }
                // No children (so no block and no table): the record keeps the query list.
                self.inners[inner as usize] = VACANT_INNER;
                self.links[inner as usize] = VACANT_LINK;
                self.free_inners.push(inner);
                let list = (node.queries != NONE).then_some(node.queries);
                self.pool.records[at].set_list(list);
            }
            if !self.pool.records[at].is_empty() {
                return;
            }
            self.remove_slot(owner, slot);
            if owner == ROOT || self.inners[owner as usize].len > 0 {
                return;
            }
            let link = self.links[owner as usize];
            (owner, slot) = (link.parent, link.slot);
        }
    }

    /// Removes the empty record at `slot` from `owner`'s block; the last record takes its
    /// place. A block left a quarter full moves to a smaller class.
    fn remove_slot(&mut self, owner: u32, slot: u32) {
        let node = self.inners[owner as usize];
        let (first, len, size, table) = (node.first, node.len, node.size(), node.table());
        let last = len - 1;
        let (at, last_at) = ((first + slot) as usize, (first + last) as usize);
        let ResourceIndex {
            tables,
            pool,
            arena,
            ..
        } = self;
        if let Some(table) = table {
            let table = tables.get_mut(table);
            let hash_of = |slot: u32| slot_hash(pool, arena, first, slot);
            table.remove(hash_of(slot), slot, hash_of);
            if slot != last {
                table.rename(hash_of(last), last, slot);
            }
        }
        arena.release(pool.records[at].label);
        if slot != last {
            let moved = pool.records[last_at];
            pool.records[at] = moved;
            pool.values.swap(at, last_at);
            if let Some(inner) = moved.node() {
                self.links[inner as usize].slot = slot;
            }
        }
        self.pool.vacate(last_at);
        self.names -= 1;
        let len = last as usize;
        if let Some(table) = table {
            if len <= TABLE_AT / 2 {
                self.tables.remove(table);
                self.inners[owner as usize].set_table(None);
            } else if self.tables.get(table).is_sparse() {
                *self.tables.get_mut(table) = table_of_block(&self.pool, &self.arena, first, last);
            }
        }
        let (first, size) = match size {
            // No children left: no block (of the smallest class, as a new node's).
            _ if len == 0 => {
                match size {
                    Size::Class(class) => self.pool.release(first, class),
                    Size::Exact => self.pool.abandon(1),
                }
                (NONE, Size::Class(0))
            }
            // The exact block's last record is left behind.
            Size::Exact => {
                self.pool.abandon(1);
                (first, size)
            }
            Size::Class(class) if len * 4 <= capacity(class) => {
                self.moved += len;
                let to = class_for(len * 2);
                (self.pool.relocate(first, len, class, to), Size::Class(to))
            }
            Size::Class(_) => (first, size),
        };
        self.inners[owner as usize].set_block(first, last, size);
        if self.arena.wants_compaction(self.pool.len()) {
            let labels = self.pool.records.iter_mut().map(|c| &mut c.label);
            self.arena.compact(labels);
        }
    }
}

/// The label hash of record `slot` of the block at `first`.
fn slot_hash<T>(pool: &Pool<Child, T>, arena: &Arena, first: u32, slot: u32) -> u32 {
    arena.hash(&pool.records[(first + slot) as usize].label)
}

/// A table of the slots of the `len` records of the block at `first`, by label hash: the
/// index of a block of more than `TABLE_AT` children.
fn table_of_block<T>(pool: &Pool<Child, T>, arena: &Arena, first: u32, len: u32) -> SlotTable {
    SlotTable::of(len, |slot| slot_hash(pool, arena, first, slot))
}

impl<'a, T> IntoIterator for &'a ResourceIndex<T> {
    type Item = IndexEntry<'a, T>;
    type IntoIter = Matches<'a, 'static, T>;

    fn into_iter(self) -> Self::IntoIter {
        self.iter()
    }
}

/// Inserts already parsed IDs, as [`insert_id`](ResourceIndex::insert_id) does (a repeated ID
/// keeps the last value).
impl<'i, T> Extend<(ResourceId<'i>, T)> for ResourceIndex<T> {
    fn extend<I: IntoIterator<Item = (ResourceId<'i>, T)>>(&mut self, ids: I) {
        for (id, value) in ids {
            self.insert_id(&id, value);
        }
    }
}

/// An index of already parsed IDs. Collecting into a `Result` parses and stops at the first
/// invalid ID:
///
/// ```
/// use respat::{ResourceId, ResourceIndex};
/// let lines = ["library.book.1", "library.books?start=0"];
/// let index: ResourceIndex<()> = lines
///     .iter()
///     .map(|line| Ok((ResourceId::new(line)?, ())))
///     .collect::<Result<_, respat::Error>>()?;
/// assert_eq!(index.len(), 2);
/// # Ok::<(), respat::Error>(())
/// ```
impl<'i, T> FromIterator<(ResourceId<'i>, T)> for ResourceIndex<T> {
    fn from_iter<I: IntoIterator<Item = (ResourceId<'i>, T)>>(ids: I) -> Self {
        let mut index = ResourceIndex::new();
        index.extend(ids);
        index
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
    fn records_are_as_small_as_documented() {
        // A name with children: 16 bytes read by walks, 12 beside them.
        assert_eq!(mem::size_of::<Inner>() + mem::size_of::<Link>(), 28);
        assert_eq!(mem::size_of::<Inner>(), 16);
        assert_eq!(mem::size_of::<Child>(), 12);
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
    fn a_name_keeps_its_query_variants_as_it_gains_and_loses_children() {
        let mut index = index_of(&["a.b?x", "a.b?y"]);
        let inners = index.inners.len();
        assert_eq!(
            inners, 2,
            "the root and a: query variants alone need no inner node"
        );
        index.insert("a.b.c", 2).unwrap();
        assert_eq!(index.inners.len(), 3);
        assert_eq!(matched(&index, "a.>"), ["a.b.c", "a.b?x", "a.b?y"]);
        index.shrink_to_fit();
        assert_eq!(matched(&index, "a.*.>"), ["a.b.c"]);
        assert_eq!(index.remove("a.b.c"), Some(2));
        let live = index.inners.len() - index.free_inners.len();
        assert_eq!(live, 2, "the inner node of a.b is freed");
        assert_eq!(matched(&index, "a.b"), ["a.b?x", "a.b?y"]);
        assert_eq!(index.get("a.b?y"), Some(&1));
        index.shrink_to_fit();
        assert_eq!(index.inners.len(), 2);
        assert_eq!(index.remove("a.b?x"), Some(0));
        assert_eq!(matched(&index, "*.*"), ["a.b?y"]);
        assert_eq!(index.remove("a.b?y"), Some(1));
        assert_eq!(index.node_count(), 1);
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
    fn exact_blocks_take_removals_and_inserts() {
        // 13 children: a block of room 16 as inserted, of exactly 13 after shrink_to_fit.
        let ids: Vec<String> = (0..13).map(|i| format!("a.c{i}")).collect();
        let ids: Vec<&str> = ids.iter().map(String::as_str).collect();
        let mut index = index_of(&ids);
        let a = index.child(ROOT, 0).node().unwrap() as usize;
        assert_eq!(index.inners[a].size(), Size::Class(class_for(13)));
        assert_eq!(capacity(class_for(13)), 16);
        index.shrink_to_fit();
        let a = index.child(ROOT, 0).node().unwrap() as usize;
        assert_eq!(index.inners[a].size(), Size::Exact);
        assert_eq!(
            index.pool.len(),
            1 + 13,
            "the root's block and a's, no slack"
        );
        // A removal leaves the block's last record behind, counted as free.
        assert_eq!(index.remove("a.c3"), Some(3));
        assert_eq!(
            (index.inners[a].size(), index.inners[a].capacity()),
            (Size::Exact, 12)
        );
        assert_eq!(index.pool.free_records(), 1);
        // An insert moves the block into a class (and in so small an index, the 13 records
        // it leaves behind are over an eighth of the pool: a rewrite takes them back).
        assert_eq!(index.insert("a.c99", 99).unwrap(), None);
        let a = index.child(ROOT, 0).node().unwrap() as usize;
        assert_eq!(index.inners[a].size(), Size::Class(class_for(13)));
        assert_eq!(index.pool.free_records(), 0);
        for (i, id) in ids.iter().enumerate().filter(|&(i, _)| i != 3) {
            assert_eq!(index.get(id), Some(&i), "{id}");
        }
        assert_eq!(index.get("a.c99"), Some(&99));
        assert_eq!(matched(&index, "a.*").len(), 13);
        // Emptied, the exact block is gone.
        index.shrink_to_fit();
        for id in ids.iter().chain(&["a.c99"]) {
            index.remove(id);
        }
        assert!(index.is_empty());
        assert_eq!(
            index.memory_usage(),
            ResourceIndex::<usize>::new().memory_usage()
        );
    }

    #[test]
    fn a_growing_index_is_rewritten_as_its_blocks_move() {
        // An insert-only load frees little (freed blocks are reused), so it is the records
        // moved by growing blocks that call for the rewrites that keep the layout.
        let corpus = crate::corpus::generate(400_000, 7);
        let mut index = ResourceIndex::new();
        let mut rewrites = 0;
        for id in &corpus.ids {
            let moved = index.moved;
            index.insert(id, ()).unwrap();
            rewrites += usize::from(index.moved < moved);
            let bytes = index.rewrite_bytes();
            assert!(bytes.moved * 4 <= bytes.total || bytes.total <= LAYOUT_AT);
            assert!(bytes.free * 8 <= bytes.total);
        }
        assert!(rewrites >= 2, "{rewrites}");
        assert_eq!(index.len(), corpus.ids.len());
        assert!(corpus.ids.iter().all(|id| index.contains(id)));
    }

    #[test]
    fn a_few_names_moving_among_many_variants_do_not_rewrite_the_variants_each_time() {
        // Names change class at every step; the variants are what a rewrite mostly copies.
        let mut index = ResourceIndex::new();
        for i in 0..20_000 {
            index.insert(&format!("a?q={i}"), 0u32).unwrap();
        }
        let mut rewrites = 0;
        for _ in 0..2_000 {
            for id in ["b.x", "b.y", "b.z", "b.z", "b.y", "b.x"] {
                let moved = index.moved;
                if index.remove(id).is_none() {
                    index.insert(id, 0).unwrap();
                }
                rewrites += usize::from(index.moved < moved);
            }
        }
        assert!(
            rewrites <= 10,
            "{rewrites} rewrites of 20,000 variants in 12,000 changes"
        );
        assert_eq!(index.len(), 20_000);
    }

    #[test]
    fn long_labels_are_not_hashed_anew_at_every_change() {
        // A rewrite rebuilds the hash table of the 17-child block from its 170 KB of labels:
        // small changes elsewhere must not call for one each time.
        let mut index = ResourceIndex::new();
        for i in 0..17 {
            index
                .insert(&format!("w.{i:02}{}", "x".repeat(10_000)), ())
                .unwrap();
        }
        let mut rewrites = 0;
        for _ in 0..1_000 {
            index.insert("c.d.e.f.g.h", ()).unwrap();
            let records = index.pool.len();
            index.remove("c.d.e.f.g.h").unwrap();
            // A rewrite leaves no free block, so the pool shrinks; nothing else shrinks it.
            rewrites += usize::from(index.pool.len() < records);
        }
        assert!(
            rewrites <= 2,
            "{rewrites} rewrites in 1,000 insert-remove pairs"
        );
        assert_eq!(index.len(), 17);
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
