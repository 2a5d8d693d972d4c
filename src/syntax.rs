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

/// Scans `text` as dot-separated parts.
///
/// `input` is the whole input for error messages (a resource ID is scanned only up to its
/// `?`, but errors quote the whole ID). With `wildcards`, `*` and `>` are accepted as whole
/// parts (`>` only last); otherwise they are faults. `?` is always a fault: a resource ID's
/// caller cuts the query off before scanning.
pub(crate) fn scan(
    text: &str,
    input: &str,
    kind: InputKind,
    wildcards: bool,
) -> Result<PartEnds, Error> {
    let bytes = text.as_bytes();
    let fault = |error: ErrorKind, at: usize| Err(Error::new(kind, error, input, at));
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
    for (i, &b) in bytes.iter().enumerate() {
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
                if b == b'>' && i + 1 != bytes.len() {
                    return fault(ErrorKind::FullWildcardNotLast, i);
                }
            }
            b'?' => return fault(ErrorKind::QuestionMark, i),
            0x21..=0x7e => {}
            _ => return fault(ErrorKind::InvalidByte, i),
        }
    }
    if start == bytes.len() {
        return fault(ErrorKind::EmptyPart, start);
    }
    push(start, bytes.len());
    Ok(ends)
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
