//! Where pattern entries end: the per-node (or per-literal) lists the set keeps.

use std::mem;

use smallvec::SmallVec;

use crate::set::PatternId;
use crate::trie::NodeData;

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
#[derive(Clone, Default)]
pub(crate) struct Ends {
    pub(crate) list: SmallVec<[End; 1]>,
}

impl Ends {
    pub(crate) fn has_exact(&self) -> bool {
        self.list.iter().any(|e| !e.is_rest())
    }

    pub(crate) fn has_rest(&self) -> bool {
        self.list.iter().any(|e| e.is_rest())
    }

    /// Whether `id` ends here.
    pub(crate) fn contains(&self, id: PatternId) -> bool {
        self.list.iter().any(|e| e.id() == id)
    }
}

impl NodeData for Ends {
    fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    fn heap_bytes(&self) -> usize {
        if self.list.spilled() {
            self.list.capacity() * mem::size_of::<End>()
        } else {
            0
        }
    }
}
