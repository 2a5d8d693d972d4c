//! A trie node's label: one part of a name or pattern, inline when short.

use std::mem;

/// Labels up to this many bytes are stored inside the node, saving an allocation and,
/// when matching, a pointer chase.
const INLINE: usize = 22;

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
