//! The values beside a pool's records, by position: `Option<T>` each, or nothing at all when
//! `T` is zero-sized.
//!
//! Every caller knows from the record itself whether its value is there (a child record's
//! base bit; a query list's length), and passes it as `present`; nothing is taken or lent
//! mutably where it is not (shared reads of a sized `T` trust the slot, which says the same,
//! checked in debug builds). So a zero-sized `T` needs no per-record flag: a `ResourceIndex<()>`,
//! an index used as a set, spends no byte on values. Its values are kept as a `Vec<T>`,
//! which holds zero-sized values without memory, and any one of them stands for each:
//! zero-sized values carry no data, so they are all alike (as the `()` values of a
//! `HashSet`, which is a `HashMap<K, ()>`).

use std::mem;
use std::ops::Range;

use crate::pool::reserve_gently;

/// Whether `T` takes no memory.
const fn zero_sized<T>() -> bool {
    mem::size_of::<T>() == 0
}

#[derive(Clone)]
pub(crate) struct Values<T> {
    /// The value of each record, when `T` is not zero-sized (else empty).
    slots: Vec<Option<T>>,
    /// The stored values, when `T` is zero-sized (else empty).
    alike: Vec<T>,
}

impl<T> Default for Values<T> {
    fn default() -> Self {
        Values {
            slots: Vec::new(),
            alike: Vec::new(),
        }
    }
}

impl<T> Values<T> {
    /// Values for `records` records without growing.
    pub(crate) fn with_capacity(records: usize) -> Values<T> {
        let slots = if zero_sized::<T>() { 0 } else { records };
        Values {
            slots: Vec::with_capacity(slots),
            alike: Vec::new(),
        }
    }

    /// Makes room for values up to position `len`, all absent.
    pub(crate) fn extend_to(&mut self, len: usize) {
        if !zero_sized::<T>() && len > self.slots.len() {
            let more = len - self.slots.len();
            reserve_gently(&mut self.slots, more);
            self.slots.resize_with(len, || None);
        }
    }

    /// The value at `at`, if `present`.
    #[inline(always)]
    pub(crate) fn get(&self, at: usize, present: bool) -> Option<&T> {
        self.slice(at..at + 1).get(0, present)
    }

    /// The value at `at`, if `present`, mutably.
    pub(crate) fn get_mut(&mut self, at: usize, present: bool) -> Option<&mut T> {
        if zero_sized::<T>() {
            return self.alike.first_mut().filter(|_| present);
        }
        let slot = self.slots.get_mut(at)?;
        debug_assert_eq!(slot.is_some(), present, "a record disagrees with its value");
        slot.as_mut().filter(|_| present)
    }

    /// Puts `value` at `at`; returns the one there before, if `present`.
    pub(crate) fn replace(&mut self, at: usize, present: bool, value: T) -> Option<T> {
        if zero_sized::<T>() {
            if let Some(old) = self.alike.first_mut().filter(|_| present) {
                return Some(mem::replace(old, value));
            }
            self.alike.push(value);
            return None;
        }
        let old = self.slots[at].replace(value);
        debug_assert_eq!(old.is_some(), present, "a record disagrees with its value");
        old
    }

    /// Puts `value` at `at`, where none is.
    pub(crate) fn put(&mut self, at: usize, value: T) {
        let old = self.replace(at, false, value);
        debug_assert!(old.is_none());
    }

    /// Takes the value at `at`, if `present`.
    pub(crate) fn take(&mut self, at: usize, present: bool) -> Option<T> {
        if zero_sized::<T>() {
            return if present { self.alike.pop() } else { None };
        }
        let slot = self.slots.get_mut(at)?;
        debug_assert_eq!(slot.is_some(), present, "a record disagrees with its value");
        if present {
            slot.take()
        } else {
            None
        }
    }

    /// Swaps the values at `a` and `b`.
    pub(crate) fn swap(&mut self, a: usize, b: usize) {
        if !zero_sized::<T>() {
            self.slots.swap(a, b);
        }
    }

    /// Moves the value at `from` to `to` (where none is).
    pub(crate) fn shift(&mut self, from: usize, to: usize) {
        if !zero_sized::<T>() {
            self.slots[to] = self.slots[from].take();
        }
    }

    /// The values at `range`.
    #[inline(always)]
    pub(crate) fn slice(&self, range: Range<usize>) -> ValueSlice<'_, T> {
        if zero_sized::<T>() {
            return ValueSlice {
                slots: &[],
                alike: self.alike.first(),
            };
        }
        ValueSlice {
            slots: &self.slots[range],
            alike: None,
        }
    }

    /// Heap bytes owned.
    pub(crate) fn memory_usage(&self) -> usize {
        // A `Vec` of zero-sized values allocates nothing.
        self.slots.capacity() * mem::size_of::<Option<T>>()
    }

    /// Bytes per record.
    pub(crate) const BYTES: usize = if zero_sized::<T>() {
        0
    } else {
        mem::size_of::<Option<T>>()
    };
}

/// The values of a run of records (a block or a list), read with whether each is present.
pub(crate) struct ValueSlice<'a, T> {
    slots: &'a [Option<T>],
    alike: Option<&'a T>,
}

impl<T> Clone for ValueSlice<'_, T> {
    fn clone(&self) -> Self {
        *self
    }
}

impl<T> Copy for ValueSlice<'_, T> {}

impl<'a, T> ValueSlice<'a, T> {
    /// No values.
    pub(crate) const EMPTY: ValueSlice<'a, T> = ValueSlice {
        slots: &[],
        alike: None,
    };

    /// The value at `at` of the run, if `present`.
    #[inline(always)]
    pub(crate) fn get(&self, at: usize, present: bool) -> Option<&'a T> {
        if zero_sized::<T>() {
            return self.alike.filter(|_| present);
        }
        let slot = self.slots.get(at)?;
        debug_assert_eq!(slot.is_some(), present, "a record disagrees with its value");
        // No test of `present` here: the slot says the same (checked in debug builds), and
        // this is the streaming loop's read (a test of it cost 20% on a sized value type).
        slot.as_ref()
    }

    /// The values from `at` on.
    #[inline(always)]
    pub(crate) fn skip(&self, at: usize) -> ValueSlice<'a, T> {
        ValueSlice {
            slots: self.slots.get(at..).unwrap_or_default(),
            alike: self.alike,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The same operations give the same answers for a sized and a zero-sized value.
    fn exercise<T: PartialEq + std::fmt::Debug>(make: impl Fn(u32) -> T) {
        let mut values = Values::<T>::default();
        values.extend_to(4);
        let mut present = [false; 4];
        assert_eq!(values.replace(1, present[1], make(1)), None);
        present[1] = true;
        assert_eq!(values.replace(1, present[1], make(2)), Some(make(1)));
        assert_eq!(values.get(1, true), Some(&make(2)));
        assert_eq!(values.get(0, present[0]), None);
        values.shift(1, 3);
        (present[1], present[3]) = (false, true);
        assert_eq!(values.get(3, present[3]), Some(&make(2)));
        values.swap(3, 0);
        (present[3], present[0]) = (false, true);
        assert_eq!(values.slice(0..4).get(0, present[0]), Some(&make(2)));
        assert_eq!(values.slice(0..4).skip(1).get(2, present[3]), None);
        assert_eq!(values.take(0, present[0]), Some(make(2)));
        assert_eq!(values.take(0, false), None);
    }

    #[test]
    fn sized_and_zero_sized_values_behave_alike() {
        exercise(|n| n);
        exercise(|_| ());
        let mut set = Values::<()>::default();
        set.extend_to(1 << 20);
        set.replace(7, false, ());
        assert_eq!(set.memory_usage(), 0);
        assert_eq!(Values::<()>::BYTES, 0);
        assert_eq!(Values::<u64>::BYTES, 16);
    }
}
