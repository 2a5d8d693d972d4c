//! Where pattern entries end: the per-node (or per-literal) lists the set keeps.

use std::mem;

use smallvec::SmallVec;

use crate::set::PatternId;

/// An entry as its node keeps it: the handle, so that matching never reads the slots, and
/// whether the pattern continues with `>` (packed into one word to keep nodes small).
#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) struct End(u64);

const REST: u64 = 1 << 63;

impl End {
    pub(crate) fn new(id: PatternId, rest: bool) -> End {
        let (slot, generation) = id.parts();
        End(u64::from(generation) | u64::from(slot) << 32 | if rest { REST } else { 0 })
    }

    pub(crate) fn id(self) -> PatternId {
        PatternId::from_parts((self.0 >> 32) as u32 & !(1 << 31), self.0 as u32)
    }

    pub(crate) fn is_rest(self) -> bool {
        self.0 & REST != 0
    }
}

/// The entries whose pattern ends at a node: exactly there, or there followed by `>`.
///
/// The `>` entries come first, so that a walk finds either kind without looking at the
/// other, however many duplicates there are.
#[derive(Clone, Default)]
pub(crate) struct Ends {
    list: SmallVec<[End; 1]>,
    /// How many entries at the front of `list` are `>` entries.
    rest: u32,
}

/// An entry moved to a new position by [`Ends::push`] or [`Ends::remove`].
pub(crate) type Moved = (End, u32);

impl Ends {
    /// The entries that end here followed by `>`.
    #[inline]
    pub(crate) fn rest(&self) -> &[End] {
        &self.list[..self.rest as usize]
    }

    /// The entries that end exactly here.
    #[inline]
    pub(crate) fn exact(&self) -> &[End] {
        &self.list[self.rest as usize..]
    }

    pub(crate) fn has_exact(&self) -> bool {
        self.list.len() > self.rest as usize
    }

    pub(crate) fn has_rest(&self) -> bool {
        self.rest > 0
    }

    /// Whether entry `id` is at `position`.
    pub(crate) fn holds(&self, position: u32, id: PatternId) -> bool {
        self.list
            .get(position as usize)
            .is_some_and(|e| e.id() == id)
    }

    /// Adds `end`; returns its position and the entry it displaced, if any.
    pub(crate) fn push(&mut self, end: End) -> (u32, Option<Moved>) {
        self.list.push(end);
        let last = self.list.len() - 1;
        if !end.is_rest() || last == self.rest as usize {
            if end.is_rest() {
                self.rest += 1;
            }
            return (last as u32, None);
        }
        // A `>` entry goes to the end of the front part; the exact entry there moves last.
        let at = self.rest as usize;
        self.list.swap(at, last);
        self.rest += 1;
        (at as u32, Some((self.list[last], last as u32)))
    }

    /// Removes the entry at `position`; returns the entries that moved (at most two).
    pub(crate) fn remove(&mut self, position: u32) -> SmallVec<[Moved; 2]> {
        let mut moved = SmallVec::new();
        let at = position as usize;
        let last = self.list.len() - 1;
        if at < self.rest as usize {
            // Fill the hole with the last `>` entry, and that one's place with the last entry.
            let last_rest = self.rest as usize - 1;
            self.list.swap(at, last_rest);
            self.list.swap(last_rest, last);
            self.rest -= 1;
            for p in [at, last_rest] {
                if p < last {
                    moved.push((self.list[p], p as u32));
                }
            }
        } else {
            self.list.swap(at, last);
            if at < last {
                moved.push((self.list[at], at as u32));
            }
        }
        self.list.pop();
        if self.list.len() * 4 <= self.list.capacity() {
            self.list.shrink_to_fit();
        }
        moved.dedup();
        moved
    }
}

impl Ends {
    /// Whether no entry ends here, so that the node may be pruned when it has no children.
    pub(crate) fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    /// Heap bytes owned (not counting `size_of::<Ends>()`).
    pub(crate) fn heap_bytes(&self) -> usize {
        if self.list.spilled() {
            self.list.capacity() * mem::size_of::<End>()
        } else {
            0
        }
    }
}
