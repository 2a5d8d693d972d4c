//! `PatternSet`: many patterns in one token trie; which of them match a name?

use std::fmt;
use std::mem;

use smallvec::SmallVec;

use crate::ends::End;
use crate::error::Error;
use crate::literals::Literals;
use crate::name::Name;
use crate::pattern::{Part, Pattern};
use crate::trie::{NodeId, Trie, NONE, ROOT};

/// A handle to one entry of a [`PatternSet`], returned by [`PatternSet::insert`].
///
/// A handle stays valid until its entry is removed, and is never given to another entry of
/// the same set afterwards, so removing a stale handle is a harmless no-op. Handles are not
/// tied to their set: a handle of one set passed to another may name an entry there.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct PatternId {
    slot: u32,
    generation: u32,
}

impl PatternId {
    /// The slot number of the handle (small, dense, reused after removal).
    pub fn slot(self) -> usize {
        self.slot as usize
    }

    pub(crate) fn parts(self) -> (u32, u32) {
        (self.slot, self.generation)
    }

    pub(crate) fn from_parts(slot: u32, generation: u32) -> PatternId {
        PatternId { slot, generation }
    }
}

/// Where an entry's pattern is kept.
#[derive(Clone, Copy)]
enum Place {
    /// A wildcard pattern, ending at a trie node (`>` excluded).
    Trie { node: NodeId, rest: bool },
    /// A literal pattern, in the literal table under this hash of its text.
    Literal { hash: u32 },
}

#[derive(Clone)]
struct Slot<T> {
    generation: u32,
    place: Place,
    /// The entry's position in its list of ends.
    position: u32,
    value: Option<T>,
}

/// Slots are numbered below 2^31: the top bit of an [`End`]'s slot half is its `>` flag.
const MAX_SLOTS: usize = 1 << 31;

/// A set of patterns, each with a value, compiled for matching names.
///
/// Given a name, it finds every entry whose pattern matches, each exactly once. Literal
/// patterns (no wildcard) sit in one hash table keyed by their whole text, so they cost one
/// look-up of the whole name however many there are. Patterns with a wildcard sit in a token
/// trie walked once along the name's parts: a literal part is a hash-table or short-vector
/// look-up, and `*` and `>` have their own slots. The same pattern inserted twice is two
/// entries; `insert` returns a [`PatternId`] handle and [`get`](PatternSet::get) its value.
///
/// # Resource usage
///
/// Matching a name of `p` parts costs one hash of the name, one table probe and, for the
/// wildcard patterns, O(`p` × `b`) trie steps, where `b` is the number of trie branches alive
/// at once (1 plus one for each `*` the name can take): it does not depend on the number of
/// patterns. Parts are hashed once, when the [`Name`] is parsed, and patterns are never
/// re-parsed. [`matches_into`](PatternSet::matches_into) and
/// [`is_match_name`](PatternSet::is_match_name) allocate nothing unless more than 16 trie
/// branches are alive at once. Insert and remove cost O(parts); memory is about one trie node
/// (88 bytes) per distinct wildcard-pattern prefix, one table entry per distinct literal
/// pattern, and 16 bytes per entry ([`memory_usage`](PatternSet::memory_usage) counts it all).
///
/// ```
/// use respat::{Name, Pattern, PatternSet};
/// let mut set = PatternSet::new();
/// let books = set.insert(&Pattern::new("library.book.*")?, "books");
/// let all = set.insert(&Pattern::new("library.>")?, "all");
/// let mut hits = set.matches("library.book.42");
/// hits.sort();
/// assert_eq!(hits, [books, all]);
/// assert!(!set.is_match("inventory.item.1"));
/// assert_eq!(set.remove(books), Some("books"));
/// assert_eq!(set.remove(books), None);
/// # Ok::<(), respat::Error>(())
/// ```
#[derive(Clone)]
pub struct PatternSet<T> {
    /// The patterns with a wildcard.
    trie: Trie,
    /// The patterns without one.
    literals: Literals,
    slots: Vec<Slot<T>>,
    free_slots: Vec<u32>,
    /// The generation new slots start at: above any handle issued before the last clear-out.
    generation_floor: u32,
    len: usize,
}

impl<T> Default for PatternSet<T> {
    fn default() -> Self {
        PatternSet {
            trie: Trie::default(),
            literals: Literals::default(),
            slots: Vec::new(),
            free_slots: Vec::new(),
            generation_floor: 0,
            len: 0,
        }
    }
}

impl<T> PatternSet<T> {
    /// An empty set.
    pub fn new() -> PatternSet<T> {
        PatternSet::default()
    }

    /// The number of entries.
    pub fn len(&self) -> usize {
        self.len
    }

    /// Whether the set has no entries.
    pub fn is_empty(&self) -> bool {
        self.len == 0
    }

    /// Adds `pattern` with `value`; the same pattern added twice is two entries.
    pub fn insert(&mut self, pattern: &Pattern, value: T) -> PatternId {
        let place = if pattern.is_literal() {
            Place::Literal {
                hash: Literals::hash(pattern.as_str()),
            }
        } else {
            let mut node = ROOT;
            let mut rest = false;
            for (i, part) in pattern.parts().enumerate() {
                node = match part {
                    Part::Literal(label) => {
                        self.trie.child_or_insert(node, label, pattern.part_hash(i))
                    }
                    Part::Single => self.trie.any_child_or_insert(node),
                    Part::Rest => {
                        rest = true;
                        node
                    }
                };
            }
            Place::Trie { node, rest }
        };
        let slot = match self.free_slots.pop() {
            Some(slot) => slot,
            None => {
                assert!(
                    self.slots.len() < MAX_SLOTS,
                    "respat: more than 2^31 patterns"
                );
                self.slots.push(Slot {
                    generation: self.generation_floor,
                    place,
                    position: 0,
                    value: None,
                });
                (self.slots.len() - 1) as u32
            }
        };
        let id = PatternId {
            slot,
            generation: self.slots[slot as usize].generation,
        };
        let (ends, rest) = match place {
            Place::Trie { node, rest } => (self.trie.data_mut(node), rest),
            Place::Literal { hash } => (self.literals.ends_or_insert(pattern, hash), false),
        };
        let (position, moved) = ends.push(End::new(id, rest));
        if let Some((end, at)) = moved {
            self.slots[end.id().slot as usize].position = at;
        }
        let entry = &mut self.slots[slot as usize];
        entry.place = place;
        entry.position = position;
        entry.value = Some(value);
        self.len += 1;
        id
    }

    /// Parses `pattern` and adds it with `value`.
    ///
    /// # Errors
    /// If `pattern` is not a valid pattern; the set is then unchanged.
    pub fn insert_str(&mut self, pattern: &str, value: T) -> Result<PatternId, Error> {
        Ok(self.insert(&Pattern::new(pattern)?, value))
    }

    fn slot(&self, id: PatternId) -> Option<&Slot<T>> {
        self.slots
            .get(id.slot as usize)
            .filter(|s| s.generation == id.generation && s.value.is_some())
    }

    /// Removes the entry of `id` and returns its value; `None` (and no change) if `id` was
    /// already removed or does not name an entry. Nodes left empty are freed.
    pub fn remove(&mut self, id: PatternId) -> Option<T> {
        self.slot(id)?;
        let slot = &mut self.slots[id.slot as usize];
        let (place, position) = (slot.place, slot.position);
        let value = slot.value.take();
        // A slot whose generation would wrap is retired, so that no handle is ever reissued.
        slot.generation = slot.generation.wrapping_add(1);
        if slot.generation != u32::MAX {
            self.free_slots.push(id.slot);
        }
        let ends = match place {
            Place::Trie { node, .. } => Some(self.trie.data_mut(node)),
            Place::Literal { hash } => self.literals.ends_mut(hash, position, id),
        };
        if let Some(ends) = ends {
            for (end, at) in ends.remove(position) {
                self.slots[end.id().slot as usize].position = at;
            }
        }
        match place {
            Place::Trie { node, .. } => self.trie.prune(node),
            Place::Literal { hash } => self.literals.remove_empty(hash),
        }
        self.len -= 1;
        if self.len == 0 {
            // Give the slots back too; later slots start above every generation issued so far.
            let floor = self.slots.iter().map(|s| s.generation).max().unwrap_or(0);
            if floor != u32::MAX {
                self.generation_floor = self.generation_floor.max(floor);
                self.slots = Vec::new();
                self.free_slots = Vec::new();
            }
        }
        value
    }

    /// The value of the entry `id`.
    pub fn get(&self, id: PatternId) -> Option<&T> {
        self.slot(id)?.value.as_ref()
    }

    /// The value of the entry `id`, mutably.
    pub fn get_mut(&mut self, id: PatternId) -> Option<&mut T> {
        self.slot(id)?;
        self.slots[id.slot as usize].value.as_mut()
    }

    /// The pattern of the entry `id`.
    pub fn pattern(&self, id: PatternId) -> Option<Pattern> {
        let slot = self.slot(id)?;
        match slot.place {
            Place::Literal { hash } => self.literals.pattern(hash, slot.position, id),
            Place::Trie { node, rest } => {
                let mut text = String::new();
                self.trie.write_path(node, &mut text);
                if rest {
                    if !text.is_empty() {
                        text.push('.');
                    }
                    text.push('>');
                }
                Pattern::new(&text).ok()
            }
        }
    }

    /// Every entry with its value, in no particular order.
    pub fn iter(&self) -> impl Iterator<Item = (PatternId, &T)> + '_ {
        self.slots.iter().enumerate().filter_map(|(i, s)| {
            let id = PatternId {
                slot: i as u32,
                generation: s.generation,
            };
            s.value.as_ref().map(|v| (id, v))
        })
    }

    /// Whether any pattern matches `name`; an invalid name matches nothing.
    pub fn is_match(&self, name: &str) -> bool {
        Name::new(name).is_ok_and(|name| self.is_match_name(&name))
    }

    /// Whether any pattern matches an already parsed name. Does not allocate unless more
    /// than 16 wildcard branches are alive at once.
    pub fn is_match_name(&self, name: &Name<'_>) -> bool {
        let mut found = false;
        self.walk(name, |_| {
            found = true;
            false
        });
        found
    }

    /// The entries whose pattern matches `name`, each once, in no particular order; none
    /// for an invalid name.
    pub fn matches(&self, name: &str) -> Vec<PatternId> {
        let mut out = Vec::new();
        if let Ok(name) = Name::new(name) {
            self.matches_into(&name, &mut out);
        }
        out
    }

    /// Clears `out`, then fills it with the entries whose pattern matches `name`, each once.
    /// Reusing `out` across calls avoids allocating per call.
    pub fn matches_into(&self, name: &Name<'_>, out: &mut Vec<PatternId>) {
        out.clear();
        self.walk(name, |id| {
            out.push(id);
            true
        });
    }

    /// Calls `emit` with each entry matching `name` until it returns false: the literal
    /// patterns equal to the name, then the wildcard patterns found by a walk of the trie.
    fn walk(&self, name: &Name<'_>, mut emit: impl FnMut(PatternId) -> bool) {
        if !self.literals.is_empty() {
            let text = name.as_str();
            if let Some(literal) = self.literals.get(text, Literals::hash(text)) {
                for end in literal.ends.exact() {
                    if !emit(end.id()) {
                        return;
                    }
                }
            }
        }
        if self.trie.child_count(ROOT) > 0 || self.trie.any_child(ROOT) != NONE {
            self.walk_trie(name.hashed_parts(), emit);
        } else {
            // Only `>` may end at the root; it matches every name.
            for end in self.trie.data(ROOT).rest() {
                if !emit(end.id()) {
                    return;
                }
            }
        }
    }

    /// Walks the wildcard trie along `parts`, level by level, calling `emit` with each
    /// matching entry until it returns false. Each trie node is reached at most once per
    /// level, so each entry is emitted at most once.
    fn walk_trie<'n>(
        &self,
        parts: impl Iterator<Item = (&'n str, u32)>,
        mut emit: impl FnMut(PatternId) -> bool,
    ) {
        let (mut first, mut second): (SmallVec<[NodeId; 16]>, SmallVec<[NodeId; 16]>) =
            (SmallVec::new(), SmallVec::new());
        // Swapping the references, not the vectors, keeps a level change free.
        let (mut states, mut next) = (&mut first, &mut second);
        states.push(ROOT);
        for (label, hash) in parts {
            next.clear();
            for &state in states.iter() {
                // A `>` here matches this part and everything after it.
                for end in self.trie.data(state).rest() {
                    if !emit(end.id()) {
                        return;
                    }
                }
                if let Some(child) = self.trie.child(state, label.as_bytes(), hash) {
                    next.push(child);
                }
                let any = self.trie.any_child(state);
                if any != NONE {
                    next.push(any);
                }
            }
            mem::swap(&mut states, &mut next);
            if states.is_empty() {
                return;
            }
        }
        for &state in states.iter() {
            for end in self.trie.data(state).exact() {
                if !emit(end.id()) {
                    return;
                }
            }
        }
    }

    /// Whether a wildcard pattern matches `name`.
    pub(crate) fn wildcards_match(&self, name: &Name<'_>) -> bool {
        let mut found = false;
        self.walk_trie(name.hashed_parts(), |_| {
            found = true;
            false
        });
        found
    }

    pub(crate) fn literals(&self) -> &Literals {
        &self.literals
    }

    pub(crate) fn trie(&self) -> &Trie {
        &self.trie
    }

    /// Trie nodes in use, the root included (1 for a set without wildcard patterns).
    pub fn node_count(&self) -> usize {
        self.trie.node_count()
    }

    /// Heap bytes owned by the set (values' own heap allocations not included).
    pub fn memory_usage(&self) -> usize {
        self.trie.memory_usage()
            + self.literals.memory_usage()
            + self.slots.capacity() * mem::size_of::<Slot<T>>()
            + self.free_slots.capacity() * mem::size_of::<u32>()
    }
}

impl<T> fmt::Debug for PatternSet<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("PatternSet")
            .field("len", &self.len)
            .field("nodes", &self.node_count())
            .finish()
    }
}

impl<'p, T> FromIterator<(&'p Pattern, T)> for PatternSet<T> {
    fn from_iter<I: IntoIterator<Item = (&'p Pattern, T)>>(iter: I) -> Self {
        let mut set = PatternSet::new();
        for (pattern, value) in iter {
            set.insert(pattern, value);
        }
        set
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn set_of(patterns: &[&str]) -> (PatternSet<usize>, Vec<PatternId>) {
        let mut set = PatternSet::new();
        let ids = patterns
            .iter()
            .enumerate()
            .map(|(i, p)| set.insert_str(p, i).unwrap())
            .collect();
        (set, ids)
    }

    #[test]
    fn a_node_is_88_bytes_as_documented() {
        assert_eq!(Trie::NODE_BYTES, 88);
    }

    #[test]
    fn many_duplicates_insert_match_and_remove_in_linear_time() {
        // Quadratic behaviour here would take minutes, not milliseconds.
        let n = 100_000;
        let mut set = PatternSet::new();
        let literal = Pattern::new("a.b.c").unwrap();
        let wild = Pattern::new("a.*.>").unwrap();
        let mut ids: Vec<PatternId> = (0..n)
            .flat_map(|i| [set.insert(&literal, i), set.insert(&wild, i)])
            .collect();
        let name = Name::new("a.b.c").unwrap();
        let mut out = Vec::new();
        set.matches_into(&name, &mut out);
        assert_eq!(out.len(), 2 * n);
        for _ in 0..1_000 {
            assert!(set.is_match_name(&name));
        }
        ids.reverse();
        for (k, id) in ids.into_iter().enumerate() {
            assert!(set.remove(id).is_some(), "{k}");
        }
        assert_eq!((set.len(), set.node_count()), (0, 1));
        assert_eq!(
            set.memory_usage(),
            PatternSet::<usize>::new().memory_usage()
        );
    }

    #[test]
    fn duplicates_are_separate_entries() {
        let (mut set, ids) = set_of(&["a.b", "a.b", "a.>"]);
        let mut hits = set.matches("a.b");
        hits.sort();
        assert_eq!(hits, ids);
        assert_eq!(set.remove(ids[0]), Some(0));
        assert_eq!(set.matches("a.b").len(), 2);
    }

    #[test]
    fn stale_handles_never_remove_new_entries() {
        let (mut set, ids) = set_of(&["a"]);
        assert_eq!(set.remove(ids[0]), Some(0));
        let fresh = set.insert_str("b", 7).unwrap();
        assert_eq!(fresh.slot(), ids[0].slot());
        assert_eq!(set.remove(ids[0]), None);
        assert_eq!(set.get(fresh), Some(&7));
        let (mut set, ids) = set_of(&["a", "b"]);
        set.remove(ids[0]);
        let reused = set.insert_str("c", 9).unwrap();
        assert_eq!(reused.slot(), ids[0].slot());
        assert_eq!(set.remove(ids[0]), None);
        assert_eq!(set.get(reused), Some(&9));
    }

    #[test]
    fn removal_prunes_nodes_and_memory() {
        let empty = PatternSet::<usize>::new().memory_usage();
        let (mut set, ids) = set_of(&["a.b.c", "a.*.>", "x.y", "a.b.c", ">"]);
        assert!(set.node_count() > 1);
        for id in ids {
            assert!(set.remove(id).is_some());
        }
        assert_eq!(set.node_count(), 1);
        assert_eq!(set.memory_usage(), empty);
    }

    #[test]
    fn patterns_are_rebuilt_from_the_trie() {
        let (set, ids) = set_of(&["a.*.>", ">", "x.y"]);
        let texts: Vec<_> = ids
            .iter()
            .map(|&id| set.pattern(id).unwrap().to_string())
            .collect();
        assert_eq!(texts, ["a.*.>", ">", "x.y"]);
    }

    #[test]
    fn rest_never_matches_zero_parts() {
        let (set, _) = set_of(&["a.>", "a.*.>"]);
        assert!(!set.is_match("a"));
        assert_eq!(set.matches("a.b").len(), 1);
        assert_eq!(set.matches("a.b.c").len(), 2);
    }
}
