//! Child labels in 8 bytes: up to 8 bytes inline, longer ones in one shared byte arena.
//!
//! Most labels of a cache are short (`members`, `42`, `rev=7`), so they are compared as one
//! 64-bit word with no pointer to follow; long ones (xids, uuids) cost their bytes once, in
//! an arena that is compacted when half of it is garbage.

use crate::label::{hash_bytes, short_word};
use crate::pool::reserve_gently;

/// Labels up to this many bytes are stored inline.
const INLINE: usize = 8;
/// Marks a long label in the top bit of its length (byte 7 of the packed form).
const LONG: u32 = 1 << 31;
/// The arena may hold at most this many bytes, so that offsets and lengths fit in 31 bits.
const ARENA_LIMIT: usize = (LONG - 1) as usize;

/// A packed label, told apart by byte 7:
/// - `1..=7`: that many inline bytes;
/// - `0x21..=0x7e`: 8 inline bytes (labels are printable ASCII, so byte 7 of an 8-byte label
///   can be neither a length nor the `LONG` bit);
/// - `LONG` bit set: a long label's arena offset (bytes 0-3) and length (bytes 4-7).
///
/// All zeroes marks a vacant record (no label is empty).
#[derive(Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct Label([u8; 8]);

impl Label {
    pub(crate) const VACANT: Label = Label([0; 8]);

    /// The inline form of `text`, if it is short enough.
    #[inline]
    fn inline(text: &[u8]) -> Option<Label> {
        (text.len() <= INLINE).then(|| {
            let mut bytes = short_word(text).to_le_bytes();
            if text.len() < INLINE {
                bytes[7] = text.len() as u8;
            }
            Label(bytes)
        })
    }

    fn is_long(self) -> bool {
        self.0[7] & 0x80 != 0
    }

    /// A long label's offset and length in the arena.
    fn span(self) -> (usize, usize) {
        let [a, b, c, d, e, f, g, h] = self.0;
        let offset = u32::from_le_bytes([a, b, c, d]) as usize;
        let len = (u32::from_le_bytes([e, f, g, h]) & !LONG) as usize;
        (offset, len)
    }
}

/// A label being looked up: its bytes, its hash (computed on first use when not given) and,
/// when short, its packed form, so that comparing it with a short stored label is one word
/// comparison.
pub(crate) struct Key<'a> {
    pub(crate) text: &'a [u8],
    hash: Option<u32>,
    inline: Option<Label>,
}

impl<'a> Key<'a> {
    /// A key whose hash ([`hash_bytes`]) is known.
    #[inline]
    pub(crate) fn new(text: &'a [u8], hash: u32) -> Key<'a> {
        Key {
            text,
            hash: Some(hash),
            inline: Label::inline(text),
        }
    }

    /// A key hashed only if a look-up needs it: a block short enough to be scanned does not.
    #[inline]
    pub(crate) fn unhashed(text: &'a [u8]) -> Key<'a> {
        Key {
            text,
            hash: None,
            inline: Label::inline(text),
        }
    }

    /// The hash of the label.
    #[inline]
    pub(crate) fn hash(&self) -> u32 {
        self.hash.unwrap_or_else(|| hash_bytes(self.text))
    }
}

/// The bytes of the long labels.
#[derive(Clone, Default)]
pub(crate) struct Arena {
    bytes: Vec<u8>,
    /// Bytes of released labels still in `bytes`.
    garbage: usize,
}

impl Arena {
    /// Packs `text` (not empty), copying it into the arena if it is long.
    ///
    /// # Panics
    /// If the arena would pass 2 GiB of long labels.
    pub(crate) fn pack(&mut self, text: &[u8]) -> Label {
        if let Some(label) = Label::inline(text) {
            return label;
        }
        let offset = self.bytes.len();
        assert!(
            text.len() <= ARENA_LIMIT - offset,
            "respat: more than 2 GiB of long labels in one index"
        );
        reserve_gently(&mut self.bytes, text.len());
        self.bytes.extend_from_slice(text);
        Label::long_at(offset, text.len())
    }

    /// The bytes of `label`.
    #[inline]
    pub(crate) fn bytes<'a>(&'a self, label: &'a Label) -> &'a [u8] {
        if label.is_long() {
            let (offset, len) = label.span();
            &self.bytes[offset..offset + len]
        } else {
            let len = match label.0[7] {
                len @ 0..=7 => len as usize,
                _ => INLINE,
            };
            &label.0[..len]
        }
    }

    /// The hash of `label`'s bytes ([`hash_bytes`]).
    #[inline]
    pub(crate) fn hash(&self, label: &Label) -> u32 {
        hash_bytes(self.bytes(label))
    }

    /// Whether `label` is the label `key` looks for.
    #[inline]
    pub(crate) fn is(&self, label: &Label, key: &Key<'_>) -> bool {
        match key.inline {
            Some(inline) => *label == inline,
            None => {
                label.is_long() && label.span().1 == key.text.len() && self.bytes(label) == key.text
            }
        }
    }

    /// Marks the bytes of a label that is no longer stored as garbage.
    pub(crate) fn release(&mut self, label: Label) {
        if label.is_long() {
            self.garbage += label.span().1;
        }
    }

    /// Whether half of the arena is garbage, and enough of it to pay for a pass over the
    /// `records` that point into it (at least one byte per 8 records).
    pub(crate) fn wants_compaction(&self, records: usize) -> bool {
        self.garbage > 4096 && self.garbage * 2 > self.bytes.len() && self.garbage * 8 >= records
    }

    /// Copies the bytes of the live long labels (`labels` must yield every stored label)
    /// into a new arena, and points the labels at their new place.
    pub(crate) fn compact<'l>(&mut self, labels: impl Iterator<Item = &'l mut Label>) {
        let mut bytes = Vec::with_capacity(self.bytes.len() - self.garbage);
        for label in labels {
            if label.is_long() {
                let (offset, len) = label.span();
                let moved = Label::long_at(bytes.len(), len);
                bytes.extend_from_slice(&self.bytes[offset..offset + len]);
                *label = moved;
            }
        }
        self.bytes = bytes;
        self.garbage = 0;
    }

    pub(crate) fn memory_usage(&self) -> usize {
        self.bytes.capacity()
    }

    /// Bytes of the long labels stored (garbage not included).
    pub(crate) fn live_bytes(&self) -> usize {
        self.bytes.len() - self.garbage
    }
}

impl Label {
    fn long_at(offset: usize, len: usize) -> Label {
        let mut bytes = [0; 8];
        bytes[..4].copy_from_slice(&(offset as u32).to_le_bytes());
        bytes[4..].copy_from_slice(&(len as u32 | LONG).to_le_bytes());
        Label(bytes)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_labels_are_inline_and_long_ones_in_the_arena() {
        let mut arena = Arena::default();
        let short = arena.pack(b"members");
        let eight = arena.pack(b"comments");
        let long = arena.pack(b"comments!");
        assert_eq!(arena.bytes.len(), 9);
        assert_eq!(arena.bytes(&eight), b"comments");
        assert!(arena.is(&eight, &Key::new(b"comments", 0)));
        assert!(!arena.is(&eight, &Key::new(b"comment", 0)));
        assert_eq!(arena.bytes(&short), b"members");
        assert_eq!(arena.bytes(&long), b"comments!");
        assert!(arena.is(&short, &Key::new(b"members", 0)));
        assert!(!arena.is(&short, &Key::new(b"member", 0)));
        assert!(arena.is(&long, &Key::new(b"comments!", 0)));
        assert!(!arena.is(&long, &Key::new(b"comments?", 0)));
        assert!(!arena.is(&short, &Key::new(b"comments", 0)));
    }

    #[test]
    fn compaction_keeps_live_labels() {
        let mut arena = Arena::default();
        let mut labels: Vec<Label> = (0..2000)
            .map(|i| arena.pack(format!("label-{i:08}").as_bytes()))
            .collect();
        for label in labels.drain(..1500) {
            arena.release(label);
        }
        assert!(arena.wants_compaction(500));
        assert!(!arena.wants_compaction(1_000_000));
        arena.compact(labels.iter_mut());
        assert!(!arena.wants_compaction(500));
        for (i, label) in labels.iter().enumerate() {
            assert_eq!(
                arena.bytes(label),
                format!("label-{:08}", i + 1500).as_bytes()
            );
        }
    }
}
