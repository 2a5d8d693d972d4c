//! `parse`: any bytes as a name, a resource ID and a pattern.
//!
//! The parsers must never panic, agree with the reference validators, round-trip valid
//! input through `as_str` and `Display`, split it into the same parts as the reference, and
//! report errors at the first faulty byte (an offset within the input, a one-line message).
//! `Pattern::matches` is compared with `reference::matches` on pairs of inputs.
//!
//! Text form of the input: the bytes themselves (as UTF-8, or lossily made UTF-8 when they
//! are not); a line break splits them into a pattern and a name to match.

use arbitrary::{Arbitrary, Unstructured};
use respat::{reference, ErrorKind, InputKind, Name, Part, Pattern, ResourceId};

use crate::check_error;

/// A character that matters to the grammar, or one that must be refused.
#[derive(Arbitrary, Debug)]
enum Tok {
    Dot,
    Star,
    Gt,
    Question,
    A,
    B,
    Dollar,
    Space,
    Tab,
    Newline,
    Nul,
    Del,
    NonAscii,
    /// Any character (whatever `arbitrary` makes of the bytes).
    Any(char),
}

impl Tok {
    fn push_to(&self, out: &mut String) {
        out.push(match self {
            Tok::Dot => '.',
            Tok::Star => '*',
            Tok::Gt => '>',
            Tok::Question => '?',
            Tok::A => 'a',
            Tok::B => 'b',
            Tok::Dollar => '$',
            Tok::Space => ' ',
            Tok::Tab => '\t',
            Tok::Newline => '\n',
            Tok::Nul => '\0',
            Tok::Del => '\u{7f}',
            Tok::NonAscii => '\u{e4}',
            Tok::Any(c) => *c,
        });
    }
}

/// A short string of grammar characters.
fn tricky(u: &mut Unstructured<'_>) -> arbitrary::Result<String> {
    let mut out = String::new();
    for tok in u.arbitrary_iter::<Tok>()?.take(64) {
        tok?.push_to(&mut out);
    }
    Ok(out)
}

/// Both readings of `data`: the bytes as text, and three strings of grammar characters.
pub fn run(data: &[u8]) {
    let text = match std::str::from_utf8(data) {
        Ok(text) => text.to_string(),
        // Invalid UTF-8 cannot reach a `&str` API; its lossy form must still be safe.
        Err(_) => String::from_utf8_lossy(data).into_owned(),
    };
    check_text(&text);
    let (pattern, name) = text.split_once('\n').unwrap_or((&text, &text));
    check_match(pattern, name);

    let mut u = Unstructured::new(data);
    let mut texts = Vec::new();
    for _ in 0..3 {
        match tricky(&mut u) {
            Ok(t) => texts.push(t),
            Err(_) => break,
        }
    }
    for t in &texts {
        check_text(t);
    }
    for pattern in &texts {
        for name in &texts {
            check_match(pattern, name);
            check_match(pattern, &crate::alphabet::instance_of(pattern));
        }
    }
}

/// `s` as a name, a resource ID and a pattern.
pub fn check_text(s: &str) {
    check_name(s);
    check_id(s);
    check_pattern(s);
}

fn check_name(s: &str) {
    match Name::new(s) {
        Ok(name) => {
            assert!(reference::is_valid_name(s), "Name::new accepted {s:?}");
            assert_eq!(name.as_str(), s);
            assert_eq!(name.to_string(), s);
            let parts: Vec<&str> = s.split('.').collect();
            assert_eq!(name.parts().collect::<Vec<_>>(), parts, "parts of {s:?}");
            assert_eq!(name.parts().len(), parts.len());
            assert_eq!(name.part_count(), parts.len());
            for (i, part) in parts.iter().enumerate() {
                assert_eq!(name.part(i), Some(*part));
            }
            assert_eq!(name.part(parts.len()), None);
            assert_eq!(name.clone(), name);
        }
        Err(err) => {
            assert!(
                !reference::is_valid_name(s),
                "Name::new rejected {s:?}: {err}"
            );
            check_error(&err, s, InputKind::Name);
            check_first_fault(&err, s);
        }
    }
}

fn check_id(s: &str) {
    match ResourceId::new(s) {
        Ok(id) => {
            let Some((name, query)) = reference::split_id(s) else {
                panic!("ResourceId::new accepted {s:?}");
            };
            assert_eq!(id.as_str(), s);
            assert_eq!(id.to_string(), s);
            assert_eq!(id.name().as_str(), name, "name of {s:?}");
            assert_eq!(id.name().to_string(), name);
            assert_eq!(id.query(), query, "query of {s:?}");
            let parts: Vec<&str> = name.split('.').collect();
            assert_eq!(id.name().parts().collect::<Vec<_>>(), parts);
        }
        Err(err) => {
            assert!(
                reference::split_id(s).is_none(),
                "ResourceId::new rejected {s:?}: {err}"
            );
            check_error(&err, s, InputKind::ResourceId);
            check_first_fault(&err, s);
        }
    }
}

fn check_pattern(s: &str) {
    match Pattern::new(s) {
        Ok(pattern) => {
            assert!(
                reference::is_valid_pattern(s),
                "Pattern::new accepted {s:?}"
            );
            assert_eq!(pattern.as_str(), s);
            assert_eq!(pattern.to_string(), s);
            assert_eq!(s.parse::<Pattern>().as_ref(), Ok(&pattern));
            assert_eq!(Pattern::new(&pattern.to_string()).as_ref(), Ok(&pattern));
            let expected: Vec<Part<'_>> = s
                .split('.')
                .map(|part| match part {
                    "*" => Part::Single,
                    ">" => Part::Rest,
                    literal => Part::Literal(literal),
                })
                .collect();
            assert_eq!(
                pattern.parts().collect::<Vec<_>>(),
                expected,
                "parts of {s:?}"
            );
            assert_eq!(pattern.part_count(), expected.len());
            for (i, part) in expected.iter().enumerate() {
                assert_eq!(pattern.part(i).as_ref(), Some(part));
            }
            assert_eq!(pattern.part(expected.len()), None);
            let literal = expected.iter().all(|p| matches!(p, Part::Literal(_)));
            assert_eq!(pattern.is_literal(), literal, "is_literal of {s:?}");
        }
        Err(err) => {
            assert!(
                !reference::is_valid_pattern(s),
                "Pattern::new rejected {s:?}: {err}"
            );
            check_error(&err, s, InputKind::Pattern);
            check_first_fault(&err, s);
        }
    }
}

/// The error is at the first faulty byte: every byte before it is allowed where it is, and
/// the byte at it is what the error kind says.
fn check_first_fault(err: &respat::Error, s: &str) {
    let kind = err.input_kind();
    let offset = err.offset();
    let bytes = s.as_bytes();
    for (i, &b) in bytes[..offset].iter().enumerate() {
        let allowed = (0x21..=0x7e).contains(&b)
            && b != b'?'
            && (kind == InputKind::Pattern || (b != b'*' && b != b'>'));
        assert!(
            allowed,
            "{err}: the byte 0x{b:02x} at {i} is faulty already"
        );
    }
    let at = bytes.get(offset).copied();
    let ok = match err.kind() {
        ErrorKind::InvalidByte => at.is_some_and(|b| !(0x21..=0x7e).contains(&b)),
        ErrorKind::WildcardInName => kind != InputKind::Pattern && matches!(at, Some(b'*' | b'>')),
        ErrorKind::PartialWildcard => kind == InputKind::Pattern && matches!(at, Some(b'*' | b'>')),
        ErrorKind::FullWildcardNotLast => kind == InputKind::Pattern && at == Some(b'>'),
        ErrorKind::QuestionMark => kind != InputKind::ResourceId && at == Some(b'?'),
        ErrorKind::EmptyPart => {
            (offset == 0 || bytes[offset - 1] == b'.')
                && match at {
                    None | Some(b'.') => true,
                    Some(b'?') => kind == InputKind::ResourceId,
                    Some(_) => false,
                }
        }
        // Inputs here are far below 4 GiB.
        _ => false,
    };
    assert!(
        ok,
        "{err}: {:?} does not describe the byte {at:?}",
        err.kind()
    );
}

/// `Pattern::matches` agrees with the reference.
pub fn check_match(pattern: &str, name: &str) {
    let expected = reference::matches(pattern, name);
    match Pattern::new(pattern) {
        Ok(p) => {
            assert_eq!(p.matches(name), expected, "{pattern:?} matches {name:?}");
            if let Ok(n) = Name::new(name) {
                assert_eq!(p.matches_name(&n), expected);
            }
            if let Ok(id) = ResourceId::new(name) {
                let by_id = reference::matches_id(&[pattern], name);
                assert_eq!(
                    p.matches_name(id.name()),
                    by_id,
                    "{pattern:?} matches ID {name:?}"
                );
            }
        }
        Err(_) => assert!(
            !expected,
            "the invalid pattern {pattern:?} matched {name:?}"
        ),
    }
}
