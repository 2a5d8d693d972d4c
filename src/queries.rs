//! The query variants of one resource name: `a.b?x=1` and `a.b?y=2` are two IDs of `a.b`.

use std::mem;

use hashbrown::HashTable;
use smallvec::SmallVec;

use crate::interner::TextId;
use crate::label::spread;

/// Variant count above which they are indexed by a hash table, so that a collection
/// with a million query variants still loads in linear time.
const FEW: usize = 8;

/// The query variants of a name: each query's handle with its ID's value.
#[derive(Clone)]
pub(crate) struct Queries<T> {
    /// Two variants inline: most names have few, and most names with many are large
    /// collections anyway.
    list: SmallVec<[(TextId, T); 2]>,
    /// Positions in `list` by handle; only when there are more than `FEW`.
    by_text: Option<Box<HashTable<u32>>>,
}

impl<T> Default for Queries<T> {
    fn default() -> Self {
        Queries {
            list: SmallVec::new(),
            by_text: None,
        }
    }
}

impl<T> Queries<T> {
    pub(crate) fn len(&self) -> usize {
        self.list.len()
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    #[inline]
    pub(crate) fn get(&self, at: usize) -> Option<&(TextId, T)> {
        self.list.get(at)
    }

    pub(crate) fn as_slice(&self) -> &[(TextId, T)] {
        &self.list
    }

    pub(crate) fn value_mut(&mut self, at: usize) -> &mut T {
        &mut self.list[at].1
    }

    /// The position of the variant with query `text`.
    pub(crate) fn find(&self, text: TextId) -> Option<usize> {
        let list = &self.list;
        match &self.by_text {
            None => list.iter().position(|v| v.0 == text),
            Some(table) => table
                .find(spread(text), |&at| list[at as usize].0 == text)
                .map(|&at| at as usize),
        }
    }

    /// Adds a variant whose query is not there yet.
    pub(crate) fn push(&mut self, text: TextId, value: T) {
        self.list.push((text, value));
        let list = &self.list;
        let rehash = |&at: &u32| spread(list[at as usize].0);
        if let Some(table) = &mut self.by_text {
            table.insert_unique(spread(text), (list.len() - 1) as u32, rehash);
        } else if list.len() > FEW {
            let mut table = HashTable::with_capacity(list.len() * 2);
            for at in 0..list.len() as u32 {
                table.insert_unique(rehash(&at), at, rehash);
            }
            self.by_text = Some(Box::new(table));
        }
    }

    /// Removes the variant at `at` (the last one takes its place); returns its handle and value.
    pub(crate) fn swap_remove(&mut self, at: usize) -> (TextId, T) {
        let last = self.list.len() - 1;
        if let Some(table) = &mut self.by_text {
            let list = &self.list;
            if let Ok(entry) = table.find_entry(spread(list[at].0), |&p| p as usize == at) {
                entry.remove();
            }
            if at != last {
                if let Some(p) = table.find_mut(spread(list[last].0), |&p| p as usize == last) {
                    *p = at as u32;
                }
            }
        }
        let removed = self.list.swap_remove(at);
        if self.list.len() <= FEW / 2 {
            self.by_text = None;
        }
        if self.list.len() * 4 < self.list.capacity() {
            self.list.shrink_to_fit();
            if let Some(table) = &mut self.by_text {
                let list = &self.list;
                table.shrink_to(list.len(), |&at| spread(list[at as usize].0));
            }
        }
        removed
    }

    /// Replaces each variant's handle `t` with `new(t)`, and gives back the capacity the
    /// variants do not use.
    pub(crate) fn renumber(&mut self, mut new: impl FnMut(TextId) -> TextId) {
        for variant in self.list.iter_mut() {
            variant.0 = new(variant.0);
        }
        self.list.shrink_to_fit();
        // The table is keyed by handle: build it anew.
        self.by_text = None;
        if self.list.len() > FEW {
            let list = &self.list;
            let rehash = |&at: &u32| spread(list[at as usize].0);
            let mut table = HashTable::with_capacity(list.len());
            for at in 0..list.len() as u32 {
                table.insert_unique(rehash(&at), at, rehash);
            }
            self.by_text = Some(Box::new(table));
        }
    }

    /// Heap bytes owned.
    pub(crate) fn heap_bytes(&self) -> usize {
        let list = if self.list.spilled() {
            self.list.capacity() * mem::size_of::<(TextId, T)>()
        } else {
            0
        };
        list + self.by_text.as_ref().map_or(0, |t| {
            mem::size_of::<HashTable<u32>>() + t.allocation_size()
        })
    }
}
