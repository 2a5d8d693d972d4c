//! The single scanner behind every parser: splits input into parts and finds the first fault.

use smallvec::SmallVec;

use crate::error::{Error, ErrorKind, InputKind};
use crate::label::{hash_label, short_word};

/// Where a part of a scanned input ends, and the hash of the part: parts are hashed once,
/// when parsed, and every trie look-up reuses the hash.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub(crate) struct PartEnd {
    end: u32,
    pub(crate) hash: u32,
}

/// The parts of a scanned input (part `i` spans `ends[i-1].end+1 .. ends[i].end`).
pub(crate) type PartEnds = SmallVec<[PartEnd; 8]>;

/// The low and high bit of every byte of a word.
const ONES: u64 = 0x0101_0101_0101_0101;
const HIGHS: u64 = 0x8080_8080_8080_8080;

/// Marks (with its high bit) each zero byte of `word`. A byte above a marked one may be
/// marked falsely (a borrow); the lowest mark is always right, and that is the one read.
#[inline(always)]
fn zero_bytes(word: u64) -> u64 {
    word.wrapping_sub(ONES) & !word & HIGHS
}

/// Marks the bytes of `word` that are not ordinary part bytes (printable ASCII but
/// `. * > ?`), eight at a time; as in [`zero_bytes`], only the lowest mark is exact.
#[inline(always)]
fn specials(word: u64) -> u64 {
    let control = word.wrapping_sub(ONES * 0x21) & !word & HIGHS;
    let high = word & HIGHS;
    let byte = |b: u8| zero_bytes(word ^ (ONES * u64::from(b)));
    control | high | byte(0x7f) | byte(b'.') | byte(b'*') | byte(b'>') | byte(b'?')
}

/// The position of the first byte of `bytes` at or after `from` that is not an ordinary
/// part byte, or the length: most IDs are a few long runs of ordinary bytes.
#[inline]
pub(crate) fn next_special(bytes: &[u8], mut from: usize) -> usize {
    while from + 8 <= bytes.len() {
        let mut word = [0; 8];
        word.copy_from_slice(&bytes[from..from + 8]);
        let marks = specials(u64::from_le_bytes(word));
        if marks != 0 {
            return from + (marks.trailing_zeros() / 8) as usize;
        }
        from += 8;
    }
    // Under eight bytes left: pad them with an ordinary byte to a whole word.
    let rest = &bytes[from..];
    let padding = !0u64 << (8 * rest.len()) & (ONES * u64::from(b'a'));
    let marks = specials(short_word(rest) | padding);
    from + ((marks.trailing_zeros() / 8) as usize).min(rest.len())
}

/// Scans `text` as dot-separated parts.
///
/// With `wildcards`, `*` and `>` are accepted as whole parts (`>` only last); otherwise
/// they are faults. A resource ID (`kind`) ends its name at the first `?`, where the scan
/// stops (the query is not checked); in a name or pattern, `?` is a fault. Returns the
/// parts, and the length of the scanned name.
#[inline]
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
    loop {
        i = next_special(bytes, i);
        let Some(&b) = bytes.get(i) else { break };
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn next_special_finds_the_first_at_any_offset() {
        let special = |b: u8| !(0x21..=0x7e).contains(&b) || b".*>?".contains(&b);
        for len in 0..20 {
            for at in 0..len {
                for mark in [b'.', b'?', b'*', b'>', 0, 7, b' ', 0x7f, 0x80, 0xff] {
                    let mut bytes = vec![b'x'; len];
                    bytes[at] = mark;
                    if at + 2 < len {
                        bytes[at + 2] = b'.';
                    }
                    for from in 0..=len {
                        let naive = (from..len).find(|&i| special(bytes[i])).unwrap_or(len);
                        assert_eq!(next_special(&bytes, from), naive, "{len} {at} {from}");
                    }
                }
            }
        }
    }
}
