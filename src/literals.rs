//! The literal patterns of a set (no wildcard), keyed by their whole text.
//!
//! A name matches a literal pattern only if it is that pattern, so one hash look-up of the
//! whole name finds every literal match, however many literal patterns there are, and the
//! trie walk is left with the wildcard patterns alone (globset's literal strategy).

use hashbrown::HashTable;

use crate::ends::Ends;
use crate::label::{hash_label, spread, InlineStr};
use crate::pattern::Pattern;
use crate::set::PatternId;

#[derive(Clone)]
pub(crate) struct Literal {
    /// The pattern's text, inline when short: a look-up that finds it then reads only the
    /// table's own memory.
    pub(crate) text: InlineStr<38>,
    pub(crate) ends: Ends,
}

#[derive(Clone, Default)]
pub(crate) struct Literals {
    table: HashTable<Literal>,
}

impl Literals {
    pub(crate) fn is_empty(&self) -> bool {
        self.table.is_empty()
    }

    /// The hash under which `text` is kept.
    pub(crate) fn hash(text: &str) -> u32 {
        hash_label(text)
    }

    /// The literal pattern equal to `name`, whose [`hash`](Literals::hash) is `hash`.
    #[inline]
    pub(crate) fn get(&self, name: &str, hash: u32) -> Option<&Literal> {
        self.table
            .find(spread(hash), |l| l.text.as_bytes() == name.as_bytes())
    }

    /// The entry list of the literal `pattern` (hash `hash`), created if missing.
    pub(crate) fn ends_or_insert(&mut self, pattern: &Pattern, hash: u32) -> &mut Ends {
        let entry = self.table.entry(
            spread(hash),
            |l| l.text.as_bytes() == pattern.as_str().as_bytes(),
            |l| spread(Literals::hash(l.text.as_str())),
        );
        let literal = entry.or_insert_with(|| Literal {
            text: InlineStr::new(pattern.as_str()),
            ends: Ends::default(),
        });
        &mut literal.into_mut().ends
    }

    /// The entry list that holds `id` at `position`, under `hash`.
    pub(crate) fn ends_mut(
        &mut self,
        hash: u32,
        position: u32,
        id: PatternId,
    ) -> Option<&mut Ends> {
        self.table
            .find_mut(spread(hash), |l| l.ends.holds(position, id))
            .map(|l| &mut l.ends)
    }

    /// The literal pattern that holds `id` at `position`, under `hash`.
    pub(crate) fn pattern(&self, hash: u32, position: u32, id: PatternId) -> Option<Pattern> {
        let literal = self
            .table
            .find(spread(hash), |l| l.ends.holds(position, id))?;
        Pattern::new(literal.text.as_str()).ok()
    }

    /// Drops the literal under `hash` that holds no entry any more.
    pub(crate) fn remove_empty(&mut self, hash: u32) {
        if let Ok(entry) = self.table.find_entry(spread(hash), |l| l.ends.is_empty()) {
            entry.remove();
        }
        if self.table.is_empty() {
            self.table = HashTable::new();
        } else if self.table.len() * 4 < self.table.capacity() {
            self.table.shrink_to(self.table.len() * 2, |l| {
                spread(Literals::hash(l.text.as_str()))
            });
        }
    }

    pub(crate) fn iter(&self) -> hashbrown::hash_table::Iter<'_, Literal> {
        self.table.iter()
    }

    /// Heap bytes owned.
    pub(crate) fn memory_usage(&self) -> usize {
        let table = self.table.allocation_size();
        let each: usize = self
            .table
            .iter()
            .map(|l| l.text.heap_bytes() + l.ends.heap_bytes())
            .sum();
        table + each
    }
}
