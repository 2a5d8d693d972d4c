//! Pools of blocks: the children of each inner node side by side, so that a walk over them
//! streams through memory; and the same for the query variants of each name.
//!
//! A block of the index's pool holds a node's child records (label and inner node) and,
//! alongside in a second vector, the value of the ID with no query of each child (no bytes
//! for a zero-sized value type, see [`Values`]); a block of the variant pool holds a
//! name's query handles and their IDs' values. Blocks come in size classes about 1.41x
//! apart; a block that fills up moves to the next class, one that falls to a quarter full
//! moves down, and freed blocks are reused by class.

use std::mem;

use crate::packed::Label;
use crate::values::Values;

/// No node: a child with no inner node, a node with no block.
pub(crate) const NONE: u32 = u32::MAX;

/// One child of a node: its label, whether the ID without a query is stored (its value is
/// then beside the record), and what the name has besides: an inner node if it has
/// children, else its query list if it has query variants, else nothing. 12 bytes.
#[derive(Clone, Copy)]
pub(crate) struct Child {
    pub(crate) label: Label,
    /// `BASE` if the ID without a query is stored; in the other 31 bits, an inner node, a
    /// query list tagged with `LIST`, or `NOTHING`.
    inner: u32,
}

/// Tags a record whose ID without a query is stored, so that `contains` can answer from
/// the record without reading the value beside it.
const BASE: u32 = 1 << 31;
/// Tags a record's query list (a name with query variants and no children needs no inner
/// node). Inner nodes and lists are numbered below it.
pub(crate) const LIST: u32 = 1 << 30;
/// Neither an inner node nor a query list.
const NOTHING: u32 = BASE - 1;

impl Child {
    /// A record with `label` and nothing else.
    pub(crate) fn new(label: Label) -> Child {
        Child {
            label,
            inner: NOTHING,
        }
    }

    /// The record's inner node, if it has one.
    #[inline(always)]
    pub(crate) fn node(&self) -> Option<u32> {
        let rest = self.inner & !BASE;
        (rest < LIST).then_some(rest)
    }

    /// The record's own query list (a name without children), if it has one.
    #[inline(always)]
    pub(crate) fn list(&self) -> Option<u32> {
        let rest = self.inner & !BASE;
        (rest >= LIST && rest != NOTHING).then_some(rest & !LIST)
    }

    /// Whether the name has neither children nor query variants: at most its one ID.
    #[inline(always)]
    pub(crate) fn is_leaf(&self) -> bool {
        self.inner & !BASE == NOTHING
    }

    /// Whether the ID without a query is stored.
    #[inline(always)]
    pub(crate) fn has_base(&self) -> bool {
        self.inner & BASE != 0
    }

    /// Whether the record holds nothing: no ID, no children, no query variants.
    pub(crate) fn is_empty(&self) -> bool {
        self.inner == NOTHING
    }

    pub(crate) fn set_base(&mut self, stored: bool) {
        self.inner = if stored {
            self.inner | BASE
        } else {
            self.inner & !BASE
        };
    }

    /// Points the record at inner node `node` (below `LIST`).
    pub(crate) fn set_node(&mut self, node: u32) {
        debug_assert!(node < LIST);
        self.inner = self.inner & BASE | node;
    }

    /// Points the record at query list `list` (`None`: neither list nor node).
    pub(crate) fn set_list(&mut self, list: Option<u32>) {
        debug_assert!(list.is_none_or(|l| l < LIST - 1));
        self.inner = self.inner & BASE | list.map_or(NOTHING, |l| LIST | l);
    }
}

const VACANT: Child = Child {
    label: Label::VACANT,
    inner: NOTHING,
};

/// Makes room for `additional` more elements, growing by a quarter rather than doubling: the
/// index's big vectors then carry at most 25% slack (12% on average) instead of up to 100%,
/// for 4 copies per element amortised instead of 2.
pub(crate) fn reserve_gently<E>(vec: &mut Vec<E>, additional: usize) {
    if vec.capacity() - vec.len() < additional {
        vec.reserve_exact(additional.max(vec.capacity() / 4));
    }
}

/// The capacity of size class `class`: 1, 2, 3, 4, 6, 8, 12, 16, 24, ...
pub(crate) fn capacity(class: u8) -> usize {
    match class {
        0 => 1,
        c if c % 2 == 1 => 1 << c.div_ceil(2),
        c => 3 << (c / 2 - 1),
    }
}

/// The smallest class holding `len` children.
#[inline]
pub(crate) fn class_for(len: usize) -> u8 {
    if len <= 1 {
        return 0;
    }
    // 2^(bits-1) < len <= 2^bits: class 2 bits - 1 holds 2^bits, the one below 3/4 of it.
    let bits = usize::BITS - (len - 1).leading_zeros();
    let odd = 2 * bits - 1;
    if bits >= 2 && len <= 3 << (bits - 2) {
        (odd - 1) as u8
    } else {
        odd as u8
    }
}

/// The class a block or list of `len` records gets in a rewrite: the smallest that holds
/// it when `tight`, else the one it has (`class`).
pub(crate) fn class_in_copy(len: usize, class: u8, tight: bool) -> u8 {
    if tight {
        class_for(len)
    } else {
        class
    }
}

/// What a pool's blocks hold, with the value that marks a vacant record.
pub(crate) trait Record: Copy {
    const VACANT: Self;
}

impl Record for Child {
    const VACANT: Child = VACANT;
}

/// A query handle (`crate::interner::TextId`).
impl Record for u32 {
    const VACANT: u32 = NONE;
}

/// Blocks of records of type `R`, each with an optional value of type `T` beside it.
#[derive(Clone)]
pub(crate) struct Pool<R, T> {
    pub(crate) records: Vec<R>,
    /// The value of each record (of a child: its ID without a query), beside `records`.
    pub(crate) values: Values<T>,
    /// Free blocks by class.
    free: Vec<Vec<u32>>,
    /// Records in free blocks.
    free_records: usize,
}

impl<R, T> Default for Pool<R, T> {
    fn default() -> Self {
        Pool {
            records: Vec::new(),
            values: Values::default(),
            free: Vec::new(),
            free_records: 0,
        }
    }
}

impl<R: Record, T> Pool<R, T> {
    /// A vacant block of class `class`; returns its start.
    ///
    /// # Panics
    /// If the pool would pass `u32::MAX - 1` records.
    pub(crate) fn alloc(&mut self, class: u8) -> u32 {
        if let Some(start) = self.free.get_mut(class as usize).and_then(Vec::pop) {
            self.free_records -= capacity(class);
            return start;
        }
        let start = self.records.len();
        let end = start + capacity(class);
        assert!(
            end < NONE as usize,
            "respat: more than 2^32 - 1 records in one pool of an index"
        );
        reserve_gently(&mut self.records, end - start);
        self.records.resize(end, R::VACANT);
        self.values.extend_to(end);
        start as u32
    }

    /// Gives back the block at `start` of class `class`, whose records are all vacant.
    pub(crate) fn release(&mut self, start: u32, class: u8) {
        self.free_records += capacity(class);
        let class = class as usize;
        if self.free.len() <= class {
            self.free.resize_with(class + 1, Vec::new);
        }
        self.free[class].push(start);
    }

    /// A vacant block of exactly `len` records, at the end of the pool (no class: such a
    /// block is never reused once left); returns its start.
    ///
    /// # Panics
    /// If the pool would pass `u32::MAX - 1` records.
    pub(crate) fn alloc_exact(&mut self, len: usize) -> u32 {
        let start = self.records.len();
        assert!(
            start + len < NONE as usize,
            "respat: more than 2^32 - 1 records in one pool of an index"
        );
        reserve_gently(&mut self.records, len);
        self.records.resize(start + len, R::VACANT);
        self.values.extend_to(start + len);
        start as u32
    }

    /// Counts `records` vacant records that no block will use again (of an exact block
    /// left or shrunk) as free, so that they call for a rewrite like free blocks do.
    pub(crate) fn abandon(&mut self, records: usize) {
        self.free_records += records;
    }

    /// Moves the first `len` records of the block at `start` (class `from`) into a new block
    /// of class `to`; returns the new start.
    pub(crate) fn relocate(&mut self, start: u32, len: usize, from: u8, to: u8) -> u32 {
        let new = self.move_into(start, len, to);
        self.release(start, from);
        new
    }

    /// Moves the `len` records of the exact block at `start` into a new block of class
    /// `to`; returns the new start.
    pub(crate) fn relocate_exact(&mut self, start: u32, len: usize, to: u8) -> u32 {
        let new = self.move_into(start, len, to);
        self.abandon(len);
        new
    }

    /// Moves the first `len` records of the block at `start` into a new block of class
    /// `to`, leaving them vacant; returns the new start.
    fn move_into(&mut self, start: u32, len: usize, to: u8) -> u32 {
        let new = self.alloc(to);
        let (old, new_at) = (start as usize, new as usize);
        for i in 0..len {
            self.records[new_at + i] = mem::replace(&mut self.records[old + i], R::VACANT);
            self.values.shift(old + i, new_at + i);
        }
        new
    }

    /// An empty pool with room for `records` without growing.
    pub(crate) fn with_capacity(records: usize) -> Pool<R, T> {
        Pool {
            records: Vec::with_capacity(records),
            values: Values::with_capacity(records),
            ..Pool::default()
        }
    }

    /// Records in free blocks.
    pub(crate) fn free_records(&self) -> usize {
        self.free_records
    }

    /// Records in the pool, free or not.
    pub(crate) fn len(&self) -> usize {
        self.records.len()
    }

    /// Bytes of one record and its value.
    pub(crate) const RECORD_BYTES: usize = mem::size_of::<R>() + Values::<T>::BYTES;

    pub(crate) fn vacate(&mut self, at: usize) {
        self.records[at] = R::VACANT;
    }

    /// Heap bytes owned.
    pub(crate) fn memory_usage(&self) -> usize {
        self.records.capacity() * mem::size_of::<R>()
            + self.values.memory_usage()
            + self.free.capacity() * mem::size_of::<Vec<u32>>()
            + self
                .free
                .iter()
                .map(|f| f.capacity() * mem::size_of::<u32>())
                .sum::<usize>()
    }
}

const _: () = assert!(mem::size_of::<Child>() == 12);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn classes_grow_by_about_a_square_root_of_two() {
        let caps: Vec<usize> = (0..10).map(capacity).collect();
        assert_eq!(caps, [1, 2, 3, 4, 6, 8, 12, 16, 24, 32]);
        assert_eq!(class_for(1), 0);
        assert_eq!(class_for(5), 4);
        assert_eq!(class_for(17), 8);
        assert!(capacity(61) >= 1 << 31);
    }

    #[test]
    fn class_for_is_the_smallest_class_that_holds() {
        let slow = |len: usize| (0..).find(|&c| capacity(c) >= len).unwrap();
        let edges = (0..40).flat_map(|b| {
            let p = 1usize << b;
            [p - 1, p, p + 1, 3 * p - 1, 3 * p, 3 * p + 1]
        });
        for len in (0..5000).chain(edges).chain([u32::MAX as usize]) {
            assert_eq!(class_for(len), slow(len), "{len}");
        }
    }
}
