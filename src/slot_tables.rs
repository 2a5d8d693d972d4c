//! The hash tables of big blocks, kept by number: a node that has one holds its number, so
//! a look-up reaches the table straight from the node, with no map to search first.

use std::mem;

use hashbrown::HashTable;

/// Hash tables of slots, by number; freed numbers are reused.
#[derive(Clone, Default)]
pub(crate) struct SlotTables {
    tables: Vec<HashTable<u32>>,
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
    pub(crate) fn insert(&mut self, table: HashTable<u32>) -> u32 {
        if let Some(number) = self.free.pop() {
            self.tables[number as usize] = table;
            return number;
        }
        // Each table indexes a block of more than one record, so there are fewer tables than
        // records, which are fewer than `NONE`.
        self.tables.push(table);
        (self.tables.len() - 1) as u32
    }

    #[inline]
    pub(crate) fn get(&self, number: u32) -> &HashTable<u32> {
        &self.tables[number as usize]
    }

    #[inline]
    pub(crate) fn get_mut(&mut self, number: u32) -> &mut HashTable<u32> {
        &mut self.tables[number as usize]
    }

    /// Frees table `number`.
    pub(crate) fn remove(&mut self, number: u32) {
        self.tables[number as usize] = HashTable::new();
        self.free.push(number);
    }

    /// Tables in use.
    pub(crate) fn len(&self) -> usize {
        self.tables.len() - self.free.len()
    }

    /// Heap bytes owned.
    pub(crate) fn memory_usage(&self) -> usize {
        let each: usize = self.tables.iter().map(HashTable::allocation_size).sum();
        self.tables.capacity() * mem::size_of::<HashTable<u32>>()
            + self.free.capacity() * mem::size_of::<u32>()
            + each
    }
}
