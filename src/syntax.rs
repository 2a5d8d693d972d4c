//! The single scanner behind every parser: splits input into parts and finds the first fault.

use smallvec::SmallVec;

use crate::error::{Error, ErrorKind, InputKind};

/// End offsets of the parts of a scanned input (part `i` spans `ends[i-1]+1 .. ends[i]`).
pub(crate) type PartEnds = SmallVec<[usize; 8]>;

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
    let mut ends = PartEnds::new();
    let mut start = 0;
    for (i, &b) in bytes.iter().enumerate() {
        match b {
            b'.' => {
                if i == start {
                    return fault(ErrorKind::EmptyPart, i);
                }
                ends.push(i);
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
    ends.push(bytes.len());
    Ok(ends)
}

/// The `i`th part of `text`, given its part ends.
#[inline]
pub(crate) fn part<'a>(text: &'a str, ends: &[usize], i: usize) -> &'a str {
    let start = if i == 0 { 0 } else { ends[i - 1] + 1 };
    &text[start..ends[i]]
}
