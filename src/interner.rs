//! Query texts, each stored once however many IDs carry it.
//!
//! Caches hold the same few queries (`start=0&limit=25`) on many names, so an ID's query is
//! a 4-byte handle into this table, counted by reference and freed with its last user.

use hashbrown::HashTable;

use crate::label::{hash_label, spread};

/// A text's handle.
pub(crate) type TextId = u32;

#[derive(Clone, Copy)]
struct Entry {
    start: u32,
    len: u32,
    /// Users of the text; 0 marks a free entry.
    refs: u32,
}

#[derive(Clone, Default)]
pub(crate) struct Interner {
    /// Handles by text hash.
    table: HashTable<TextId>,
    entries: Vec<Entry>,
    text: String,
    free: Vec<TextId>,
    /// Bytes of freed texts still in `text`.
    garbage: usize,
}

/// The text of handle `id`, given the interner's entries and buffer.
#[inline]
fn text_of<'t>(entries: &[Entry], text: &'t str, id: TextId) -> &'t str {
    let entry = entries[id as usize];
    &text[entry.start as usize..(entry.start + entry.len) as usize]
}

/// The table hash of handle `id`'s text.
fn table_hash(entries: &[Entry], text: &str, id: TextId) -> u64 {
    spread(hash_label(text_of(entries, text, id)))
}

impl Interner {
    /// The text of handle `id`.
    #[inline]
    pub(crate) fn text(&self, id: TextId) -> &str {
        text_of(&self.entries, &self.text, id)
    }

    /// The handle of `text`, if it is stored.
    pub(crate) fn find(&self, text: &str) -> Option<TextId> {
        self.find_hashed(text, hash_label(text))
    }

    fn find_hashed(&self, text: &str, hash: u32) -> Option<TextId> {
        self.table
            .find(spread(hash), |&id| self.text(id) == text)
            .copied()
    }

    /// One more user of the stored text `id`.
    pub(crate) fn retain(&mut self, id: TextId) {
        self.entries[id as usize].refs += 1;
    }

    /// The handle of `text`, stored if new, with one more user.
    ///
    /// # Panics
    /// If the stored texts would pass 4 GiB.
    pub(crate) fn acquire(&mut self, text: &str) -> TextId {
        let hash = hash_label(text);
        if let Some(id) = self.find_hashed(text, hash) {
            self.retain(id);
            return id;
        }
        let start = self.text.len();
        assert!(
            text.len() <= u32::MAX as usize - start,
            "respat: more than 4 GiB of queries in one index"
        );
        self.text.push_str(text);
        let entry = Entry {
            start: start as u32,
            len: text.len() as u32,
            refs: 1,
        };
        let id = match self.free.pop() {
            Some(id) => {
                self.entries[id as usize] = entry;
                id
            }
            None => {
                self.entries.push(entry);
                (self.entries.len() - 1) as TextId
            }
        };
        let Interner {
            table,
            entries,
            text,
            ..
        } = self;
        table.insert_unique(spread(hash), id, |&id| table_hash(entries, text, id));
        id
    }

    /// Drops one user of `id`; the text is freed with its last user.
    pub(crate) fn release(&mut self, id: TextId) {
        let entry = &mut self.entries[id as usize];
        entry.refs -= 1;
        if entry.refs > 0 {
            return;
        }
        let hash = table_hash(&self.entries, &self.text, id);
        if let Ok(found) = self.table.find_entry(hash, |&e| e == id) {
            found.remove();
        }
        self.garbage += self.entries[id as usize].len as usize;
        self.free.push(id);
        if self.table.is_empty() {
            *self = Interner::default();
        } else if self.garbage > 4096
            && self.garbage * 2 > self.text.len()
            && self.garbage * 8 >= self.entries.len()
        {
            // Half garbage, and enough of it to pay for the pass over every entry.
            self.compact();
        }
    }

    /// Gives back the capacity the texts do not use (handles stay).
    pub(crate) fn shrink_to_fit(&mut self) {
        self.compact();
        let Interner {
            table,
            entries,
            text,
            ..
        } = self;
        table.shrink_to(0, |&id| table_hash(entries, text, id));
        self.free.shrink_to_fit();
        self.entries.shrink_to_fit();
    }

    /// Copies the live texts into a new buffer; handles stay.
    fn compact(&mut self) {
        let mut text = String::with_capacity(self.text.len() - self.garbage);
        for entry in self.entries.iter_mut().filter(|e| e.refs > 0) {
            let start = text.len() as u32;
            text.push_str(&self.text[entry.start as usize..(entry.start + entry.len) as usize]);
            entry.start = start;
        }
        self.text = text;
        self.garbage = 0;
    }

    pub(crate) fn memory_usage(&self) -> usize {
        self.table.allocation_size()
            + self.entries.capacity() * std::mem::size_of::<Entry>()
            + self.text.capacity()
            + self.free.capacity() * std::mem::size_of::<TextId>()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn texts_are_shared_and_freed_with_their_last_user() {
        let mut texts = Interner::default();
        let a = texts.acquire("start=0");
        let b = texts.acquire("start=0");
        let c = texts.acquire("q=1");
        assert_eq!((a, texts.text(c)), (b, "q=1"));
        texts.release(a);
        assert_eq!(texts.find("start=0"), Some(a));
        texts.release(b);
        assert_eq!(texts.find("start=0"), None);
        assert_eq!(texts.find("q=1"), Some(c));
        texts.release(c);
        assert_eq!(texts.memory_usage(), 0);
    }

    #[test]
    fn compaction_keeps_handles() {
        let mut texts = Interner::default();
        let ids: Vec<TextId> = (0..3000)
            .map(|i| texts.acquire(&format!("q={i:06}")))
            .collect();
        for &id in &ids[..2500] {
            texts.release(id);
        }
        for (i, &id) in ids.iter().enumerate().skip(2500) {
            assert_eq!(texts.text(id), format!("q={i:06}"));
            assert_eq!(texts.find(&format!("q={i:06}")), Some(id));
        }
    }
}
