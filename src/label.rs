//! A trie node's label, one part of a name or pattern, inline when short; and its hash.

use std::hash::BuildHasher;
use std::mem;
use std::sync::OnceLock;

/// The hash of a label. Every trie of the process hashes alike (one random seed), so a
/// part is hashed once, when it is parsed, however many tries and nodes it is looked up in.
#[inline]
pub(crate) fn hash_label(label: &str) -> u32 {
    hash_bytes(label.as_bytes())
}

/// A 32-bit hash spread over 64 bits, for a `hashbrown` table: hashbrown takes its tag from
/// the top bits, which a 32-bit hash leaves empty.
#[inline]
pub(crate) fn spread(hash: u32) -> u64 {
    u64::from(hash).wrapping_mul(0x9e37_79b9_7f4a_7c15)
}

/// [`hash_label`] of a label given as bytes: a folded-multiply hash (as in wyhash and
/// foldhash) keyed by a random seed per process, eight bytes per step and one step for a
/// label of up to eight bytes, the common case; this is a large part of parsing an ID.
#[inline]
pub(crate) fn hash_bytes(label: &[u8]) -> u32 {
    let [a, b] = *seed();
    let len = label.len() as u64;
    let mut hash = b ^ len;
    if label.len() <= 8 {
        hash = fold(short_word(label) ^ a, hash ^ K);
    } else {
        let mut words = label.chunks_exact(8);
        for word in &mut words {
            hash = fold(word_at(word, 0) ^ a, hash ^ K);
        }
        // The last eight bytes, overlapping the whole words already taken (the length is
        // in the hash, so the overlap cannot make two labels alike).
        if !words.remainder().is_empty() {
            hash = fold(word_at(label, label.len() - 8) ^ a, hash ^ K);
        }
    }
    (hash ^ (hash >> 32)) as u32
}

/// The bytes of a label of at most eight bytes as one little-endian word (zero above
/// them), read without a byte loop: two overlapping loads cover any length.
#[inline]
pub(crate) fn short_word(text: &[u8]) -> u64 {
    let len = text.len();
    debug_assert!(len <= 8);
    if len >= 4 {
        let low = u64::from(u32::from_le_bytes([text[0], text[1], text[2], text[3]]));
        let e = len - 4;
        let high = u64::from(u32::from_le_bytes([
            text[e],
            text[e + 1],
            text[e + 2],
            text[e + 3],
        ]));
        low | high << (8 * e)
    } else if len > 0 {
        // Bytes 0, len/2 and len-1 cover lengths 1 to 3 (some twice, at the same place).
        let byte = |i: usize| u64::from(text[i]) << (8 * i);
        byte(0) | byte(len / 2) | byte(len - 1)
    } else {
        0
    }
}

/// The eight bytes of `bytes` from `at`, little-endian.
#[inline]
fn word_at(bytes: &[u8], at: usize) -> u64 {
    let mut word = [0; 8];
    word.copy_from_slice(&bytes[at..at + 8]);
    u64::from_le_bytes(word)
}

/// An odd constant with well-mixed bits (the golden ratio's).
const K: u64 = 0x9e37_79b9_7f4a_7c15;

/// The 128-bit product of `a` and `b`, its halves folded together.
#[inline]
fn fold(a: u64, b: u64) -> u64 {
    let product = u128::from(a) * u128::from(b);
    (product as u64) ^ (product >> 64) as u64
}

/// The process's two hash keys, drawn once from the standard library's random source.
#[inline]
fn seed() -> &'static [u64; 2] {
    static SEED: OnceLock<[u64; 2]> = OnceLock::new();
    SEED.get_or_init(|| {
        let random = std::collections::hash_map::RandomState::new();
        [random.hash_one(1u8) | 1, random.hash_one(2u8)]
    })
}

/// A short string stored inline (up to `N` bytes) or on the heap: node labels and literal
/// patterns, where the inline bytes save an allocation and, when matching, a pointer chase.
#[derive(Clone)]
pub(crate) enum InlineStr<const N: usize> {
    Inline { len: u8, bytes: [u8; N] },
    Heap(Box<str>),
}

/// A trie node's label: 24 bytes in all, labels up to 22 bytes inline.
pub(crate) type Label = InlineStr<22>;

impl<const N: usize> InlineStr<N> {
    pub(crate) fn new(text: &str) -> InlineStr<N> {
        if text.len() <= N {
            let mut bytes = [0; N];
            bytes[..text.len()].copy_from_slice(text.as_bytes());
            InlineStr::Inline {
                len: text.len() as u8,
                bytes,
            }
        } else {
            InlineStr::Heap(text.into())
        }
    }

    #[inline]
    pub(crate) fn as_bytes(&self) -> &[u8] {
        match self {
            InlineStr::Inline { len, bytes } => &bytes[..*len as usize],
            InlineStr::Heap(text) => text.as_bytes(),
        }
    }

    pub(crate) fn as_str(&self) -> &str {
        match self {
            // Inline text is copied from a `&str` whole, so it is valid UTF-8.
            InlineStr::Inline { .. } => std::str::from_utf8(self.as_bytes()).unwrap_or_default(),
            InlineStr::Heap(text) => text,
        }
    }

    pub(crate) fn heap_bytes(&self) -> usize {
        match self {
            InlineStr::Inline { .. } => 0,
            InlineStr::Heap(text) => text.len(),
        }
    }
}

const _: () = assert!(mem::size_of::<Label>() == 24);

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_word_packs_every_length_like_a_byte_copy() {
        let text = b"abcdefgh";
        for len in 0..=8 {
            let mut bytes = [0; 8];
            bytes[..len].copy_from_slice(&text[..len]);
            assert_eq!(short_word(&text[..len]), u64::from_le_bytes(bytes), "{len}");
        }
    }

    #[test]
    fn hashes_tell_apart_lengths_and_trailing_bytes() {
        let text = b"0123456789abcdefghij0123456789";
        let hashes: std::collections::HashSet<u32> = (0..=text.len())
            .map(|len| hash_bytes(&text[..len]))
            .collect();
        assert_eq!(hashes.len(), text.len() + 1);
        assert_ne!(hash_bytes(b"abcdefghi"), hash_bytes(b"abcdefghj"));
        assert_ne!(hash_bytes(b"a\0"), hash_bytes(b"a"));
    }
}
