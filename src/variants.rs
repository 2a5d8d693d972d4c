//! The query variants of one resource name: `a.b`, `a.b?x=1`, `a.b?` are three IDs of one name.

use std::mem;

use hashbrown::HashTable;
use smallvec::SmallVec;

use crate::label::hash_label;

/// Variant count above which they are indexed by a hash table, so that a collection
/// with a million query variants still loads in linear time.
const FEW: usize = 8;

/// One resource ID's query (`None` without `?`) and value.
#[derive(Clone)]
pub(crate) struct Variant<T> {
    pub(crate) query: Option<Box<str>>,
    pub(crate) value: T,
}

#[derive(Clone)]
pub(crate) struct Variants<T> {
    list: SmallVec<[Variant<T>; 1]>,
    /// Positions in `list` by query hash; only when there are more than `FEW`.
    by_query: Option<Box<HashTable<u32>>>,
}

impl<T> Default for Variants<T> {
    fn default() -> Self {
        Variants {
            list: SmallVec::new(),
            by_query: None,
        }
    }
}

fn query_hash(query: Option<&str>) -> u64 {
    // Spread over 64 bits: hashbrown takes its tag from the top bits.
    u64::from(hash_label(query.unwrap_or(""))).wrapping_mul(0x9e37_79b9_7f4a_7c15)
}

impl<T> Variants<T> {
    pub(crate) fn len(&self) -> usize {
        self.list.len()
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    pub(crate) fn get(&self, at: usize) -> &Variant<T> {
        &self.list[at]
    }

    pub(crate) fn get_mut(&mut self, at: usize) -> &mut Variant<T> {
        &mut self.list[at]
    }

    /// The position of the variant with `query`.
    pub(crate) fn find(&self, query: Option<&str>) -> Option<usize> {
        let list = &self.list;
        match &self.by_query {
            None => list.iter().position(|v| v.query.as_deref() == query),
            Some(table) => table
                .find(query_hash(query), |&at| {
                    list[at as usize].query.as_deref() == query
                })
                .map(|&at| at as usize),
        }
    }

    /// Adds a variant whose query is not there yet.
    pub(crate) fn push(&mut self, query: Option<&str>, value: T) {
        self.list.push(Variant {
            query: query.map(Into::into),
            value,
        });
        let at = (self.list.len() - 1) as u32;
        let list = &self.list;
        let rehash = |&at: &u32| query_hash(list[at as usize].query.as_deref());
        if let Some(table) = &mut self.by_query {
            table.insert_unique(query_hash(query), at, rehash);
        } else if list.len() > FEW {
            let mut table = HashTable::with_capacity(list.len() * 2);
            for at in 0..list.len() as u32 {
                table.insert_unique(rehash(&at), at, rehash);
            }
            self.by_query = Some(Box::new(table));
        }
    }

    /// Removes the variant at `at`; the last variant takes its place.
    pub(crate) fn swap_remove(&mut self, at: usize) -> T {
        let last = self.list.len() - 1;
        if let Some(table) = &mut self.by_query {
            let list = &self.list;
            let hash = query_hash(list[at].query.as_deref());
            if let Ok(entry) = table.find_entry(hash, |&p| p as usize == at) {
                entry.remove();
            }
            if at != last {
                let moved = query_hash(list[last].query.as_deref());
                if let Some(p) = table.find_mut(moved, |&p| p as usize == last) {
                    *p = at as u32;
                }
            }
        }
        let removed = self.list.swap_remove(at);
        if self.list.len() <= FEW / 2 {
            self.by_query = None;
        }
        if self.list.len() * 4 < self.list.capacity() {
            self.list.shrink_to_fit();
            if let Some(table) = &mut self.by_query {
                let list = &self.list;
                table.shrink_to(list.len(), |&at| {
                    query_hash(list[at as usize].query.as_deref())
                });
            }
        }
        removed.value
    }

    /// Heap bytes owned: the spilled list, the queries and the table.
    pub(crate) fn heap_bytes(&self) -> usize {
        let list = if self.list.spilled() {
            self.list.capacity() * mem::size_of::<Variant<T>>()
        } else {
            0
        };
        let queries: usize = self
            .list
            .iter()
            .map(|v| v.query.as_ref().map_or(0, |q| q.len()))
            .sum();
        let table = self.by_query.as_ref().map_or(0, |t| {
            mem::size_of::<HashTable<u32>>() + t.allocation_size()
        });
        list + queries + table
    }
}
