//! The hash tables of big blocks: a block's slots by label hash, in one array of 4-byte
//! entries, kept by number so that a node reaches its table straight from its record.
//!
//! An entry holds the slot (plus one; 0 is empty) in its low bits and as many of the
//! label's hash bits as fit above them (its low ones: the high ones choose the entry), so
//! a look-up reads one entry (linear probing: the next ones are in the same cache line)
//! and then the one record whose hash matches, where a general table reads a control
//! byte, then a bucket, then the record.
//!
//! A table may have any number of entries, not only a power of two, so that it can be
//! sized to its block: one built from a whole block is 4/5 full, and it grows to 3/5 full
//! when an insert would take it past 17/20. (At 4/5, a look-up that finds its slot probes
//! about three entries, almost always in one cache line, and compares the one record; one
//! that misses scans about 13 to an empty entry, one or two cache lines: at 10^6 IDs an
//! absent ID takes 5-10% longer than with tables half full, for 1.2 fewer bytes per ID.)

use std::mem;

/// How full a table built from a whole block is: `BUILT.0 / BUILT.1` of its entries.
const BUILT: (usize, usize) = (4, 5);
/// How full a table is after it grows.
const GROWN: (usize, usize) = (3, 5);
/// The fullest a table gets: an insert past it grows the table.
const FULLEST: (usize, usize) = (17, 20);

/// The entries for `slots` slots at `load`: at least one more than the slots, so that a
/// probe always ends at an empty entry, and a slot plus one fits in the slot bits.
fn entries_for(slots: usize, (num, den): (usize, usize)) -> usize {
    (slots * den).div_ceil(num).max(slots + 1)
}

/// The bits a table of `entries` entries keeps a slot plus one in.
fn slot_bits_for(entries: usize) -> u32 {
    (usize::BITS - (entries - 1).leading_zeros()).min(u32::BITS)
}

/// One block's slots by label hash: open addressing with linear probing, and deletion by
/// backward shift (no tombstones).
#[derive(Clone, Default)]
pub(crate) struct SlotTable {
    entries: Box<[u32]>,
    /// Slots in the table (below 2^32, as the entries are).
    len: u32,
    /// The bits of an entry that hold a slot plus one: as many as the entry count needs
    /// (every slot is below it), at most 32 (a table of over 2^31 entries keeps no hash
    /// bits in its entries, and compares the records).
    slot_bits: u32,
}

impl SlotTable {
    /// The table of slots `0..len`, whose label hashes `hash_of` gives, 4/5 full.
    pub(crate) fn of(len: u32, hash_of: impl Fn(u32) -> u32) -> SlotTable {
        let mut table = SlotTable::default();
        table.rebuild(len, BUILT, &hash_of);
        table
    }

    /// The slot whose label hash is `hash` and for which `is` holds.
    #[inline]
    pub(crate) fn find(&self, hash: u32, is: impl Fn(u32) -> bool) -> Option<u32> {
        let (mask, tag) = (self.slot_mask(), self.tag(hash));
        let mut at = self.home(hash);
        loop {
            let entry = self.entries[at];
            if entry == 0 {
                return None;
            }
            if entry & !mask == tag {
                let slot = (entry & mask) - 1;
                if is(slot) {
                    return Some(slot);
                }
            }
            at = self.next(at);
        }
    }

    /// Adds `slot`, whose label hash is `hash`; `hash_of` gives the others' if the table
    /// grows.
    pub(crate) fn insert(&mut self, hash: u32, slot: u32, hash_of: impl Fn(u32) -> u32) {
        debug_assert_eq!(slot, self.len, "slots are added at the block's end");
        let (num, den) = FULLEST;
        if (self.len as usize + 1) * den > self.entries.len() * num {
            // Refilled with every slot of the block, the new one included.
            self.rebuild(self.len + 1, GROWN, &hash_of);
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
        let mask = self.slot_mask();
        // Each later entry of the run moves back into the hole unless its home position is
        // after the hole (cyclically), where a look-up starting at home would miss it.
        let mut at = hole;
        loop {
            at = self.next(at);
            let entry = self.entries[at];
            if entry == 0 {
                break;
            }
            let home = self.home(hash_of((entry & mask) - 1));
            if self.distance(home, at) >= self.distance(hole, at) {
                self.entries[hole] = entry;
                hole = at;
            }
        }
        self.entries[hole] = 0;
    }

    /// Renames `from`, whose label hash is `hash`, to `to` (a record moved in its block).
    pub(crate) fn rename(&mut self, hash: u32, from: u32, to: u32) {
        if let Some(at) = self.position(hash, from) {
            let mask = self.slot_mask();
            self.entries[at] = self.entries[at] & !mask | (to + 1);
        }
    }

    /// Whether under 3/16 of the entries are in use: the table should then be built anew
    /// (a table is at least 3/5 full when built, so each rebuild is paid for by more
    /// removals than the slots it copies).
    pub(crate) fn is_sparse(&self) -> bool {
        self.entries.len() > 64 && self.len as usize * 16 < self.entries.len() * 3
    }

    /// Heap bytes owned.
    pub(crate) fn memory_usage(&self) -> usize {
        self.entries.len() * mem::size_of::<u32>()
    }

    #[inline(always)]
    fn slot_mask(&self) -> u32 {
        ((1u64 << self.slot_bits) - 1) as u32
    }

    /// The hash bits an entry keeps, in place: the low ones, above the slot bits.
    #[inline(always)]
    fn tag(&self, hash: u32) -> u32 {
        (u64::from(hash) << self.slot_bits) as u32
    }

    /// The first entry a look-up of `hash` probes: the hash scaled to the entry count, so
    /// chosen by its high bits (independent of the tag).
    #[inline(always)]
    fn home(&self, hash: u32) -> usize {
        ((u64::from(hash) * self.entries.len() as u64) >> 32) as usize
    }

    /// The entry after `at`, wrapping around.
    #[inline(always)]
    fn next(&self, at: usize) -> usize {
        if at + 1 == self.entries.len() {
            0
        } else {
            at + 1
        }
    }

    /// How many entries `to` is after `from`, wrapping around.
    fn distance(&self, from: usize, to: usize) -> usize {
        if to >= from {
            to - from
        } else {
            to + self.entries.len() - from
        }
    }

    /// Where the entry of `slot` (label hash `hash`) is.
    fn position(&self, hash: u32, slot: u32) -> Option<usize> {
        let mask = self.slot_mask();
        let mut at = self.home(hash);
        while self.entries[at] != 0 {
            if self.entries[at] & mask == slot + 1 {
                return Some(at);
            }
            at = self.next(at);
        }
        None
    }

    /// Puts `slot` in the first free entry from its home.
    fn place(&mut self, hash: u32, slot: u32) {
        let mut at = self.home(hash);
        while self.entries[at] != 0 {
            at = self.next(at);
        }
        self.entries[at] = self.tag(hash) | (slot + 1);
        self.len += 1;
    }

    /// Refills the table with slots `0..slots`, `load` full.
    fn rebuild(&mut self, slots: u32, load: (usize, usize), hash_of: &impl Fn(u32) -> u32) {
        let entries = entries_for(slots as usize, load);
        self.entries = vec![0; entries].into_boxed_slice();
        self.slot_bits = slot_bits_for(entries);
        self.len = 0;
        for slot in 0..slots {
            self.place(hash_of(slot), slot);
        }
    }
}

const _: () = assert!(mem::size_of::<SlotTable>() == 24);

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

    /// Hashes with eight homes, each an eighth of the table apart, so that long runs form:
    /// a quarter of the labels share the last, so that its run wraps around the table's
    /// end; and three tags, so that tags collide too.
    fn hash(label: u32) -> u32 {
        let home = if label % 4 == 0 { 7 } else { label % 7 };
        home << 29 | (label % 3)
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
            assert_eq!(self.table.len as usize, self.labels.len());
            let (num, den) = FULLEST;
            assert!(self.table.len as usize * den <= self.table.entries.len() * num);
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
    fn slot_bits_hold_every_slot_and_the_tag_the_rest() {
        for entries in [
            2usize,
            3,
            4,
            5,
            1 << 20,
            (1 << 20) + 1,
            1 << 31,
            (1 << 31) + 1,
            1 << 33,
        ] {
            let table = SlotTable {
                entries: Box::default(),
                len: 0,
                slot_bits: slot_bits_for(entries),
            };
            let (mask, tag) = (table.slot_mask(), table.tag(u32::MAX));
            // The last slot plus one fits in the mask (slots are below the entry count, and
            // under 2^32 - 1), and the tag never overlaps it.
            assert!(u64::from(mask) >= (entries as u64 - 1).min(u64::from(u32::MAX)));
            assert_eq!(mask & tag, 0, "{entries}");
            assert_eq!(mask | tag, u32::MAX, "{entries}");
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
        // The last home's run has wrapped: some entry lies before its home.
        let table = &block.table;
        let wrapped = table.entries.iter().enumerate().any(|(at, &entry)| {
            entry != 0 && {
                let label = block.labels[(entry & table.slot_mask()) as usize - 1];
                table.home(hash(label)) > at
            }
        });
        assert!(wrapped);
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
