//! The query variants of an index's names: `a.b?x=1` and `a.b?y=2` are two IDs of `a.b`.
//!
//! Each name with variants has a list: a block of the variant pool holding the variants'
//! query handles, with their IDs' values beside them, so that the variants of a name are
//! side by side in memory and a list costs 12 bytes plus its records.

use std::mem;
use std::ops::Range;

use hashbrown::{HashMap, HashTable};

use crate::interner::TextId;
use crate::label::spread;
use crate::pool::{capacity, class_for, class_in_copy, reserve_gently, Pool, LIST, NONE};
use crate::values::ValueSlice;

/// Variant count above which a list is indexed by a hash table (dropped again at half
/// that), so that a collection with a million query variants still loads in linear time.
const FEW: usize = 8;

/// Where a list's variants are in the pool.
#[derive(Clone, Copy)]
struct List {
    first: u32,
    len: u32,
    class: u8,
}

const EMPTY: List = List {
    first: NONE,
    len: 0,
    class: 0,
};

/// Every query list of an index, by number.
#[derive(Clone)]
pub(crate) struct QueryLists<T> {
    lists: Vec<List>,
    /// Numbers of freed lists, for reuse.
    free: Vec<u32>,
    pool: Pool<TextId, T>,
    /// Positions in the list by handle, for the lists of more than `FEW` variants.
    by_text: HashMap<u32, HashTable<u32>>,
}

impl<T> Default for QueryLists<T> {
    fn default() -> Self {
        QueryLists {
            lists: Vec::new(),
            free: Vec::new(),
            pool: Pool::default(),
            by_text: HashMap::new(),
        }
    }
}

/// A table of the positions of `texts` by handle.
fn table_of(texts: &[TextId]) -> HashTable<u32> {
    let rehash = |&at: &u32| spread(texts[at as usize]);
    let mut table = HashTable::with_capacity(texts.len());
    for at in 0..texts.len() as u32 {
        table.insert_unique(rehash(&at), at, rehash);
    }
    table
}

impl<T> QueryLists<T> {
    /// A new empty list; returns its number.
    ///
    /// # Panics
    /// If the index would pass 2^30 - 1 lists.
    pub(crate) fn create(&mut self) -> u32 {
        if let Some(list) = self.free.pop() {
            return list;
        }
        assert!(
            self.lists.len() < (LIST - 1) as usize,
            "respat: more than 2^30 - 1 names with query variants in one index"
        );
        reserve_gently(&mut self.lists, 1);
        self.lists.push(EMPTY);
        (self.lists.len() - 1) as u32
    }

    /// The number of variants of `list`.
    pub(crate) fn len(&self, list: usize) -> usize {
        self.lists[list].len as usize
    }

    fn range(&self, list: usize) -> Range<usize> {
        let List { first, len, .. } = self.lists[list];
        if len == 0 {
            return 0..0;
        }
        first as usize..(first + len) as usize
    }

    /// The query handles of `list`, and beside them the values of their IDs (every variant
    /// has one).
    #[inline]
    pub(crate) fn variants(&self, list: usize) -> (&[TextId], ValueSlice<'_, T>) {
        let range = self.range(list);
        (
            &self.pool.records[range.clone()],
            self.pool.values.slice(range),
        )
    }

    /// The position in `list` of the variant with query `text`.
    pub(crate) fn find(&self, list: usize, text: TextId) -> Option<usize> {
        let (texts, _) = self.variants(list);
        if texts.len() > FEW / 2 {
            if let Some(table) = self.by_text.get(&(list as u32)) {
                let found = table.find(spread(text), |&at| texts[at as usize] == text);
                return found.map(|&at| at as usize);
            }
        }
        texts.iter().position(|&t| t == text)
    }

    /// The value of the variant at `at` of `list`.
    pub(crate) fn value(&self, list: usize, at: usize) -> Option<&T> {
        let (texts, values) = self.variants(list);
        values.get(at, at < texts.len())
    }

    /// The value of the variant at `at` of `list`, mutably.
    pub(crate) fn value_mut(&mut self, list: usize, at: usize) -> Option<&mut T> {
        let range = self.range(list);
        let present = at < range.len();
        self.pool.values.get_mut(range.start + at, present)
    }

    /// Adds to `list` a variant whose query is not there yet.
    pub(crate) fn push(&mut self, list: usize, text: TextId, value: T) {
        let List { first, len, class } = self.lists[list];
        let (first, class) = if first == NONE {
            (self.pool.alloc(0), 0)
        } else if len as usize == capacity(class) {
            let to = class + 1;
            (self.pool.relocate(first, len as usize, class, to), to)
        } else {
            (first, class)
        };
        let at = (first + len) as usize;
        self.pool.records[at] = text;
        self.pool.values.put(at, value);
        self.lists[list] = List {
            first,
            len: len + 1,
            class,
        };
        let texts = &self.pool.records[first as usize..=at];
        if let Some(table) = self.by_text.get_mut(&(list as u32)) {
            let rehash = |&at: &u32| spread(texts[at as usize]);
            table.insert_unique(spread(text), len, rehash);
        } else if texts.len() > FEW {
            self.by_text.insert(list as u32, table_of(texts));
        }
    }

    /// Removes the variant at `at` of `list` (the last one takes its place); returns its
    /// handle and value. A list left empty is freed: its number may be handed out again.
    pub(crate) fn swap_remove(&mut self, list: usize, at: usize) -> Option<(TextId, T)> {
        let List { first, len, class } = self.lists[list];
        let (base, last) = (first as usize, (len as usize).checked_sub(1)?);
        if at > last {
            return None;
        }
        let value = self.pool.values.take(base + at, true)?;
        let text = self.pool.records[base + at];
        if let Some(table) = self.by_text.get_mut(&(list as u32)) {
            let texts = &self.pool.records[base..base + len as usize];
            if let Ok(entry) = table.find_entry(spread(text), |&p| p as usize == at) {
                entry.remove();
            }
            if at != last {
                if let Some(p) = table.find_mut(spread(texts[last]), |&p| p as usize == last) {
                    *p = at as u32;
                }
            }
        }
        if at != last {
            self.pool.records[base + at] = self.pool.records[base + last];
            self.pool.values.swap(base + at, base + last);
        }
        self.pool.vacate(base + last);
        let len = last;
        if len == FEW / 2 {
            self.by_text.remove(&(list as u32));
        }
        if len == 0 {
            self.pool.release(first, class);
            self.lists[list] = EMPTY;
            self.free.push(list as u32);
        } else if len * 4 <= capacity(class) {
            let to = class_for(len * 2);
            let first = self.pool.relocate(first, len, class, to);
            self.lists[list] = List {
                first,
                len: len as u32,
                class: to,
            };
        } else {
            self.lists[list].len = len as u32;
        }
        Some((text, value))
    }

    /// Lists with room for `lists` lists of `variants` variants in all, without growing.
    pub(crate) fn with_capacity(lists: usize, variants: usize) -> QueryLists<T> {
        QueryLists {
            lists: Vec::with_capacity(lists),
            pool: Pool::with_capacity(variants),
            ..QueryLists::default()
        }
    }

    /// The records a copy of the live lists needs: in the smallest classes when `tight`,
    /// else in their own.
    pub(crate) fn compact_records(&self, tight: bool) -> usize {
        let live = self.lists.iter().filter(|l| l.len > 0);
        live.map(|l| capacity(class_in_copy(l.len as usize, l.class, tight)))
            .sum()
    }

    /// The number of live lists.
    pub(crate) fn live(&self) -> usize {
        self.lists.len() - self.free.len()
    }

    /// Moves `list` of `old` into these lists (in the smallest class that holds it when
    /// `tight`, else in its own), with each handle `t` replaced by `text(t)`; returns its
    /// number here.
    pub(crate) fn adopt(
        &mut self,
        old: &mut QueryLists<T>,
        list: usize,
        mut text: impl FnMut(TextId) -> TextId,
        tight: bool,
    ) -> u32 {
        let new = self.create();
        let range = old.range(list);
        let len = range.len();
        let class = class_in_copy(len, old.lists[list].class, tight);
        let first = self.pool.alloc(class);
        for (to, from) in (first as usize..).zip(range) {
            self.pool.records[to] = text(old.pool.records[from]);
            if let Some(value) = old.pool.values.take(from, true) {
                self.pool.values.put(to, value);
            }
        }
        self.lists[new as usize] = List {
            first,
            len: len as u32,
            class,
        };
        if len > FEW {
            let texts = &self.pool.records[first as usize..first as usize + len];
            self.by_text.insert(new, table_of(texts));
        }
        new
    }

    /// Bytes in free blocks of the pool, and bytes of the whole pool (for deciding when to
    /// compact).
    pub(crate) fn pool_bytes(&self) -> (usize, usize) {
        let record = Pool::<TextId, T>::RECORD_BYTES;
        (self.pool.free_records() * record, self.pool.len() * record)
    }

    /// Heap bytes owned.
    pub(crate) fn memory_usage(&self) -> usize {
        self.lists.capacity() * mem::size_of::<List>()
            + self.free.capacity() * mem::size_of::<u32>()
            + self.pool.memory_usage()
            + self.by_text.allocation_size()
            + self
                .by_text
                .values()
                .map(HashTable::allocation_size)
                .sum::<usize>()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lists_find_push_and_remove_at_every_size() {
        let mut lists = QueryLists::default();
        let (a, b) = (lists.create() as usize, lists.create() as usize);
        for i in 0..100u32 {
            lists.push(a, i, i * 10);
            lists.push(b, 1000 + i, i);
            assert_eq!(lists.find(a, i), Some(i as usize));
        }
        for i in (0..100u32).step_by(3) {
            let at = lists.find(a, i).unwrap();
            assert_eq!(lists.swap_remove(a, at), Some((i, i * 10)));
            assert_eq!(lists.find(a, i), None);
        }
        for i in 0..100u32 {
            let found = lists.find(a, i).and_then(|at| lists.value(a, at));
            assert_eq!(found, (i % 3 != 0).then_some(&(i * 10)), "{i}");
        }
        while lists.len(a) > 0 {
            assert!(lists.swap_remove(a, 0).is_some());
        }
        assert_eq!(lists.live(), 1);
        assert_eq!(lists.create() as usize, a, "a freed list is reused");
        assert_eq!(lists.len(b), 100);
        assert_eq!(
            lists.find(b, 1042).and_then(|at| lists.value(b, at)),
            Some(&42)
        );
    }
}
