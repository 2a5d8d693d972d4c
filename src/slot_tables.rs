//! The hash tables of big blocks: a block's slots by label hash, in one array of 4-byte
//! entries, kept by number so that a node reaches its table straight from its record.
//!
//! An entry holds the slot (plus one; 0 is empty) in its low bits and the rest of the
//! label's hash above them, so a look-up reads one entry (linear probing: the next ones are
//! in the same cache line) and then the one record whose hash matches, where a general
//! table reads a control byte, then a bucket, then the record.

use std::mem;

/// The most entries in use per 4 entries of a table.
const LOAD: usize = 3;

/// One block's slots by label hash: open addressing with linear probing over a
/// power-of-two array, and deletion by backward shift (no tombstones).
#[derive(Clone, Default)]
pub(crate) struct SlotTable {
    entries: Box<[u32]>,
    len: usize,
}

impl SlotTable {
    /// The table of slots `0..len`, whose label hashes `hash_of` gives.
    pub(crate) fn of(len: u32, hash_of: impl Fn(u32) -> u32) -> SlotTable {
        let mut table = SlotTable::default();
        table.rebuild(len, &hash_of);
        table
    }

    /// The slot whose label hash is `hash` and for which `is` holds.
    #[inline]
    pub(crate) fn find(&self, hash: u32, is: impl Fn(u32) -> bool) -> Option<u32> {
        let mask = self.mask();
        let mut at = hash as usize & mask;
        loop {
            let entry = self.entries[at];
            if entry == 0 {
                return None;
            }
            if entry & !(mask as u32) == hash & !(mask as u32) {
                let slot = (entry & mask as u32) - 1;
                if is(slot) {
                    return Some(slot);
                }
            }
            at = (at + 1) & mask;
        }
    }

    /// Adds `slot`, whose label hash is `hash`; `hash_of` gives the others' if the table
    /// grows.
    pub(crate) fn insert(&mut self, hash: u32, slot: u32, hash_of: impl Fn(u32) -> u32) {
        debug_assert_eq!(
            slot as usize, self.len,
            "slots are added at the block's end"
        );
        if (self.len + 1) * 4 > self.entries.len() * LOAD {
            // Twice the entries (the next power of two above 4/3 of the slots), refilled with
            // every slot of the block, the new one included.
            self.rebuild(self.len as u32 + 1, &hash_of);
        } else {
            self.place(hash, slot);
        }
        debug_assert!(self.find(hash, |s| s == slot).is_some());
    }

    /// Takes out `slot`, whose label hash is `hash`; `hash_of` gives the others'.
    pub(crate) fn remove(&mut self, hash: u32, slot: u32, hash_of: impl Fn(u32) -> u32) {
        let Some(mut hole) = self.position(hash, slot) else {
            return;
        };
        self.len -= 1;
        let mask = self.mask();
        // Each later entry of the run moves back into the hole unless its home position is
        // after the hole (cyclically), where a look-up starting at home would miss it.
        let mut at = hole;
        loop {
            at = (at + 1) & mask;
            let entry = self.entries[at];
            if entry == 0 {
                break;
            }
            let home = hash_of((entry & mask as u32) - 1) as usize & mask;
            if at.wrapping_sub(home) & mask >= at.wrapping_sub(hole) & mask {
                self.entries[hole] = entry;
                hole = at;
            }
        }
        self.entries[hole] = 0;
    }

    /// Renames `from`, whose label hash is `hash`, to `to` (a record moved in its block).
    pub(crate) fn rename(&mut self, hash: u32, from: u32, to: u32) {
        if let Some(at) = self.position(hash, from) {
            let mask = self.mask() as u32;
            self.entries[at] = self.entries[at] & !mask | (to + 1);
        }
    }

    /// Whether under 3/16 of the entries are in use: the table should then be built anew
    /// at half its size or less (it grows at 3/4, so each rebuild is paid for by at least
    /// as many changes as the slots it copies).
    pub(crate) fn is_sparse(&self) -> bool {
        self.entries.len() > 64 && self.len * 16 < self.entries.len() * LOAD
    }

    /// Heap bytes owned.
    pub(crate) fn memory_usage(&self) -> usize {
        self.entries.len() * mem::size_of::<u32>()
    }

    #[inline(always)]
    fn mask(&self) -> usize {
        self.entries.len() - 1
    }

    /// Where the entry of `slot` (label hash `hash`) is.
    fn position(&self, hash: u32, slot: u32) -> Option<usize> {
        let mask = self.mask();
        let mut at = hash as usize & mask;
        while self.entries[at] != 0 {
            if self.entries[at] & mask as u32 == slot + 1 {
                return Some(at);
            }
            at = (at + 1) & mask;
        }
        None
    }

    /// Puts `slot` in the first free entry from its home.
    fn place(&mut self, hash: u32, slot: u32) {
        let mask = self.mask();
        let mut at = hash as usize & mask;
        while self.entries[at] != 0 {
            at = (at + 1) & mask;
        }
        self.entries[at] = hash & !(mask as u32) | (slot + 1);
        self.len += 1;
    }

    /// Refills the table with slots `0..slots`, at most 3/4 full. The entry count is a power
    /// of two above `slots`, so that a slot plus one fits in the mask's bits.
    fn rebuild(&mut self, slots: u32, hash_of: &impl Fn(u32) -> u32) {
        let entries = (slots as usize * 4)
            .div_ceil(LOAD)
            .max(slots as usize + 1)
            .next_power_of_two();
        self.entries = vec![0; entries].into_boxed_slice();
        self.len = 0;
        for slot in 0..slots {
            self.place(hash_of(slot), slot);
        }
    }
}

/// Slot tables by number; freed numbers are reused.
#[derive(Clone, Default)]
pub(crate) struct SlotTables {
    tables: Vec<SlotTable>,
    free: Vec<u32>,
}

impl SlotTables {
    /// An empty set of tables with room for `tables` without growing.
    pub(crate) fn with_capacity(tables: usize) -> SlotTables {
        SlotTables {
            tables: Vec::with_capacity(tables),
            free: Vec::new(),
        }
    }

    /// Keeps `table`; returns its number.
    pub(crate) fn insert(&mut self, table: SlotTable) -> u32 {
        if let Some(number) = self.free.pop() {
            self.tables[number as usize] = table;
            return number;
        }
        // Each table indexes a block of more than one record, so there are fewer tables than
        // records, which are fewer than 2^32.
        self.tables.push(table);
        (self.tables.len() - 1) as u32
    }

    #[inline]
    pub(crate) fn get(&self, number: u32) -> &SlotTable {
        &self.tables[number as usize]
    }

    #[inline]
    pub(crate) fn get_mut(&mut self, number: u32) -> &mut SlotTable {
        &mut self.tables[number as usize]
    }

    /// Frees table `number`.
    pub(crate) fn remove(&mut self, number: u32) {
        self.tables[number as usize] = SlotTable::default();
        self.free.push(number);
    }

    /// Tables in use.
    pub(crate) fn len(&self) -> usize {
        self.tables.len() - self.free.len()
    }

    /// Heap bytes owned.
    pub(crate) fn memory_usage(&self) -> usize {
        let each: usize = self.tables.iter().map(SlotTable::memory_usage).sum();
        self.tables.capacity() * mem::size_of::<SlotTable>()
            + self.free.capacity() * mem::size_of::<u32>()
            + each
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Hashes with many collisions in the low bits, so that runs form and wrap around.
    fn hash(label: u32) -> u32 {
        (label % 7).wrapping_mul(0x9e37_79b9) | (label % 3)
    }

    /// A block's records as the index keeps them: `labels[slot]`, removed by moving the
    /// last one into the hole; and its table.
    struct Block {
        labels: Vec<u32>,
        table: SlotTable,
    }

    impl Block {
        fn push(&mut self, label: u32) {
            self.labels.push(label);
            let labels = &self.labels;
            let slot = labels.len() as u32 - 1;
            self.table
                .insert(hash(label), slot, |s| hash(labels[s as usize]));
        }

        fn remove(&mut self, slot: u32) {
            let last = self.labels.len() as u32 - 1;
            let labels = &self.labels;
            let hash_of = |s: u32| hash(labels[s as usize]);
            self.table.remove(hash_of(slot), slot, hash_of);
            if slot != last {
                self.table.rename(hash_of(last), last, slot);
            }
            self.labels.swap_remove(slot as usize);
            if self.table.is_sparse() {
                let labels = &self.labels;
                self.table = SlotTable::of(labels.len() as u32, |s| hash(labels[s as usize]));
            }
        }

        fn check(&self) {
            assert_eq!(self.table.len, self.labels.len());
            assert!(self.table.len * 4 <= self.table.entries.len() * LOAD);
            for (slot, &label) in self.labels.iter().enumerate() {
                let found = self
                    .table
                    .find(hash(label), |s| self.labels[s as usize] == label);
                assert_eq!(found, Some(slot as u32), "{label}");
            }
            let absent = self.labels.iter().max().map_or(0, |m| m + 1);
            let found = self
                .table
                .find(hash(absent), |s| self.labels[s as usize] == absent);
            assert_eq!(found, None);
        }
    }

    #[test]
    fn inserts_removals_and_renames_keep_every_slot_findable() {
        let labels: Vec<u32> = (0..17).collect();
        let table = SlotTable::of(17, |s| hash(labels[s as usize]));
        let mut block = Block { labels, table };
        block.check();
        for label in 17..3000 {
            block.push(label);
            if label % 97 == 0 {
                block.check();
            }
        }
        block.check();
        let mut step = 0u32;
        while block.labels.len() > 20 {
            step = step.wrapping_mul(31).wrapping_add(17);
            block.remove(step % block.labels.len() as u32);
            if block.labels.len() % 53 == 0 {
                block.check();
            }
        }
        block.check();
        assert!(
            block.table.memory_usage() <= 20 * 4 * 8,
            "shrinks as it empties"
        );
        for label in 5000..5100 {
            block.push(label);
        }
        block.check();
    }
}
