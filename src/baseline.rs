//! The linear scan of today's gateways (Resgate): every cached ID, its query cut at the first
//! `?`, tested against every pattern token by token. The baseline of the demo and the
//! benchmarks, kept here so that both measure the same code. Not part of the stable API.

use crate::pattern::{Part, Pattern};

/// One part of a pattern, split once per reset (as Resgate does), never per ID.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Token<'p> {
    /// A literal part.
    Literal(&'p [u8]),
    /// `*`.
    Single,
    /// `>`.
    Rest,
}

/// The tokens of `pattern`.
pub fn tokens(pattern: &Pattern) -> Vec<Token<'_>> {
    pattern
        .parts()
        .map(|part| match part {
            Part::Literal(text) => Token::Literal(text.as_bytes()),
            Part::Single => Token::Single,
            Part::Rest => Token::Rest,
        })
        .collect()
}

/// Whether `pattern` matches `name`, walking both token by token: no allocation, no
/// validation (cached names are valid, so no part is empty).
pub fn is_match(pattern: &[Token<'_>], name: &[u8]) -> bool {
    // The unread rest of the name; `None` once every part is consumed.
    let mut rest = Some(name);
    for token in pattern {
        let Some(text) = rest else {
            return false;
        };
        match *token {
            Token::Rest => return true,
            Token::Single => {
                rest = text
                    .iter()
                    .position(|&b| b == b'.')
                    .map(|dot| &text[dot + 1..]);
            }
            Token::Literal(literal) => {
                if !text.starts_with(literal) {
                    return false;
                }
                rest = match text.get(literal.len()) {
                    None => None,
                    Some(b'.') => Some(&text[literal.len() + 1..]),
                    Some(_) => return false,
                };
            }
        }
    }
    rest.is_none()
}

/// The name of a cached ID: everything before the first `?`.
pub fn name_of(id: &str) -> &[u8] {
    let bytes = id.as_bytes();
    match bytes.iter().position(|&b| b == b'?') {
        Some(at) => &bytes[..at],
        None => bytes,
    }
}

/// The scan: calls `hit` with every ID of `cache` whose name any of `patterns` matches.
pub fn scan<'c>(
    cache: impl IntoIterator<Item = &'c String>,
    patterns: &[Vec<Token<'_>>],
    mut hit: impl FnMut(&'c str),
) {
    for id in cache {
        let name = name_of(id);
        if patterns.iter().any(|p| is_match(p, name)) {
            hit(id);
        }
    }
}
