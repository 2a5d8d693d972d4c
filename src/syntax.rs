//! The single scanner behind every parser: splits input into parts and finds the first fault.

use smallvec::SmallVec;

use crate::error::{Error, ErrorKind, InputKind};
use crate::label::hash_label;

/// Where a part of a scanned input ends, and the hash of the part: parts are hashed once,
/// when parsed, and every trie look-up reuses the hash.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) struct PartEnd {
    end: u32,
    pub(crate) hash: u32,
}

/// The parts of a scanned input (part `i` spans `ends[i-1].end+1 .. ends[i].end`).
pub(crate) type PartEnds = SmallVec<[PartEnd; 8]>;

/// The bytes of a part that need no further look: printable ASCII but `. * > ?`.
static ORDINARY: [bool; 256] = {
    let mut table = [false; 256];
    let mut b = 0x21;
    while b <= 0x7e {
        table[b] = !matches!(b as u8, b'.' | b'*' | b'>' | b'?');
        b += 1;
    }
    table
};

/// Scans `text` as dot-separated parts.
///
/// With `wildcards`, `*` and `>` are accepted as whole parts (`>` only last); otherwise
/// they are faults. A resource ID (`kind`) ends its name at the first `?`, where the scan
/// stops (the query is not checked); in a name or pattern, `?` is a fault. Returns the
/// parts, and the length of the scanned name.
pub(crate) fn scan(
    text: &str,
    kind: InputKind,
    wildcards: bool,
) -> Result<(PartEnds, usize), Error> {
    let bytes = text.as_bytes();
    let fault = |error: ErrorKind, at: usize| Err(Error::new(kind, error, text, at));
    if u32::try_from(bytes.len()).is_err() {
        return fault(ErrorKind::TooLong, u32::MAX as usize);
    }
    let mut ends = PartEnds::new();
    let mut push = |start: usize, end: usize| {
        ends.push(PartEnd {
            end: end as u32,
            hash: hash_label(&text[start..end]),
        })
    };
    let mut start = 0;
    let mut len = bytes.len();
    let mut i = 0;
    while i < bytes.len() {
        // Most bytes are ordinary: skip a run of them before looking at one that is not.
        if ORDINARY[bytes[i] as usize] {
            i += 1;
            continue;
        }
        let b = bytes[i];
        match b {
            b'.' => {
                if i == start {
                    return fault(ErrorKind::EmptyPart, i);
                }
                push(start, i);
                start = i + 1;
            }
            b'*' | b'>' => {
                if !wildcards {
                    return fault(ErrorKind::WildcardInName, i);
                }
                let whole = i == start && bytes.get(i + 1).is_none_or(|&n| n == b'.');
                if !whole {
                    return fault(ErrorKind::PartialWildcard, i);
                }
                if b == b'>' && i + 1 != len {
                    return fault(ErrorKind::FullWildcardNotLast, i);
                }
            }
            b'?' if kind == InputKind::ResourceId => {
                len = i;
                break;
            }
            b'?' => return fault(ErrorKind::QuestionMark, i),
            _ => return fault(ErrorKind::InvalidByte, i),
        }
        i += 1;
    }
    if start == len {
        return fault(ErrorKind::EmptyPart, start);
    }
    push(start, len);
    Ok((ends, len))
}

/// The `i`th part of `text`, given its part ends.
#[inline]
pub(crate) fn part<'a>(text: &'a str, ends: &[PartEnd], i: usize) -> &'a str {
    let start = if i == 0 {
        0
    } else {
        ends[i - 1].end as usize + 1
    };
    &text[start..ends[i].end as usize]
}
