//! A trie node's label, one part of a name or pattern, inline when short; and its hash.

use std::hash::BuildHasher;
use std::mem;
use std::sync::OnceLock;

use hashbrown::DefaultHashBuilder;

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

/// [`hash_label`] of a label given as bytes.
#[inline]
pub(crate) fn hash_bytes(label: &[u8]) -> u32 {
    static HASHER: OnceLock<DefaultHashBuilder> = OnceLock::new();
    HASHER
        .get_or_init(DefaultHashBuilder::default)
        .hash_one(label) as u32
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
