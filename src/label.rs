//! A trie node's label, one part of a name or pattern, inline when short; and its hash.

use std::hash::BuildHasher;
use std::mem;
use std::sync::OnceLock;

use hashbrown::DefaultHashBuilder;

/// The hash of a label. Every trie of the process hashes alike (one random seed), so a
/// part is hashed once, when it is parsed, however many tries and nodes it is looked up in.
#[inline]
pub(crate) fn hash_label(label: &str) -> u32 {
    static HASHER: OnceLock<DefaultHashBuilder> = OnceLock::new();
    HASHER
        .get_or_init(DefaultHashBuilder::default)
        .hash_one(label.as_bytes()) as u32
}

/// Labels up to this many bytes are stored inside the node, saving an allocation and,
/// when matching, a pointer chase.
const INLINE: usize = 22;

#[derive(Clone)]
pub(crate) enum Label {
    Inline { len: u8, bytes: [u8; INLINE] },
    Heap(Box<str>),
}

impl Label {
    pub(crate) fn new(text: &str) -> Label {
        if text.len() <= INLINE {
            let mut bytes = [0; INLINE];
            bytes[..text.len()].copy_from_slice(text.as_bytes());
            Label::Inline {
                len: text.len() as u8,
                bytes,
            }
        } else {
            Label::Heap(text.into())
        }
    }

    #[inline]
    pub(crate) fn as_bytes(&self) -> &[u8] {
        match self {
            Label::Inline { len, bytes } => &bytes[..*len as usize],
            Label::Heap(text) => text.as_bytes(),
        }
    }

    pub(crate) fn as_str(&self) -> &str {
        match self {
            // Inline labels are copied from a `&str` whole, so they are valid UTF-8.
            Label::Inline { .. } => std::str::from_utf8(self.as_bytes()).unwrap_or_default(),
            Label::Heap(text) => text,
        }
    }

    pub(crate) fn heap_bytes(&self) -> usize {
        match self {
            Label::Inline { .. } => 0,
            Label::Heap(text) => text.len(),
        }
    }
}

const _: () = assert!(mem::size_of::<Label>() == 24);
