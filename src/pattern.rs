//! Validated resource name patterns with `*` and `>` wildcards.

use std::fmt;
use std::str::FromStr;

use crate::error::{Error, InputKind};
use crate::name::Name;
use crate::syntax::{self, PartEnds};

/// One part of a [`Pattern`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Part<'a> {
    /// A literal part that matches exactly that part of a name.
    Literal(&'a str),
    /// `*`: matches exactly one part, whatever it is.
    Single,
    /// `>`: matches one or more parts (always the last part of a pattern).
    Rest,
}

impl<'a> Part<'a> {
    pub(crate) fn of(text: &'a str) -> Part<'a> {
        match text {
            "*" => Part::Single,
            ">" => Part::Rest,
            literal => Part::Literal(literal),
        }
    }
}

/// A valid resource name pattern, such as `library.book.*` or `library.>`.
///
/// `*` as a whole part matches exactly one part; `>` as the whole last part matches one or
/// more trailing parts. Everything else is compared byte for byte.
///
/// ```
/// use respat::Pattern;
/// let pattern: Pattern = "library.*.>".parse()?;
/// assert!(pattern.matches("library.book.42"));
/// assert!(!pattern.matches("library.book"));
/// assert!(Pattern::new("library.>.book").is_err());
/// # Ok::<(), respat::Error>(())
/// ```
#[derive(Clone, PartialEq, Eq, Hash)]
pub struct Pattern {
    text: Box<str>,
    ends: PartEnds,
}

impl Pattern {
    /// Parses a pattern.
    ///
    /// # Errors
    /// If `text` is not a valid pattern: an empty part, a byte outside `0x21..=0x7E`, a `?`,
    /// a `*` or `>` that is not a whole part, or a `>` that is not the last part.
    pub fn new(text: &str) -> Result<Pattern, Error> {
        let (ends, _) = syntax::scan(text, InputKind::Pattern, true)?;
        Ok(Pattern {
            text: text.into(),
            ends,
        })
    }

    /// The pattern as text.
    pub fn as_str(&self) -> &str {
        &self.text
    }

    /// The number of parts (at least one).
    pub fn part_count(&self) -> usize {
        self.ends.len()
    }

    /// The parts in order.
    pub fn parts(&self) -> impl ExactSizeIterator<Item = Part<'_>> + '_ {
        (0..self.ends.len()).map(|i| Part::of(syntax::part(&self.text, &self.ends, i)))
    }

    /// The `i`th part, if there is one.
    pub fn part(&self, i: usize) -> Option<Part<'_>> {
        (i < self.ends.len()).then(|| Part::of(syntax::part(&self.text, &self.ends, i)))
    }

    /// The hash of the `i`th part (which must exist).
    pub(crate) fn part_hash(&self, i: usize) -> u32 {
        self.ends[i].hash
    }

    /// Whether the pattern has no wildcard (it then matches exactly one name).
    pub fn is_literal(&self) -> bool {
        self.parts().all(|p| matches!(p, Part::Literal(_)))
    }

    /// Whether the pattern matches `name`. An invalid name matches nothing.
    pub fn matches(&self, name: &str) -> bool {
        Name::new(name).is_ok_and(|name| self.matches_name(&name))
    }

    /// Whether the pattern matches an already parsed name. Runs in time linear in the
    /// number of parts, without allocating.
    pub fn matches_name(&self, name: &Name<'_>) -> bool {
        let mut names = name.parts();
        for part in self.parts() {
            match (part, names.next()) {
                (_, None) => return false,
                (Part::Rest, Some(_)) => return true,
                (Part::Single, Some(_)) => {}
                (Part::Literal(want), Some(got)) if want == got => {}
                (Part::Literal(_), Some(_)) => return false,
            }
        }
        names.next().is_none()
    }
}

impl FromStr for Pattern {
    type Err = Error;

    fn from_str(text: &str) -> Result<Pattern, Error> {
        Pattern::new(text)
    }
}

impl fmt::Debug for Pattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Pattern").field(&self.as_str()).finish()
    }
}

impl fmt::Display for Pattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorKind;

    #[test]
    fn error_kinds_and_offsets() {
        let cases = [
            ("a..b", ErrorKind::EmptyPart, 2),
            ("", ErrorKind::EmptyPart, 0),
            ("a.", ErrorKind::EmptyPart, 2),
            ("a*", ErrorKind::PartialWildcard, 1),
            ("*a", ErrorKind::PartialWildcard, 0),
            ("a.**.b", ErrorKind::PartialWildcard, 2),
            ("a.>b", ErrorKind::PartialWildcard, 2),
            ("a.>.b", ErrorKind::FullWildcardNotLast, 2),
            (">.a", ErrorKind::FullWildcardNotLast, 0),
            ("a.b?", ErrorKind::QuestionMark, 3),
            ("test. .foo", ErrorKind::InvalidByte, 5),
        ];
        for (input, kind, offset) in cases {
            let err = Pattern::new(input).unwrap_err();
            assert_eq!((err.kind(), err.offset()), (kind, offset), "{input:?}");
        }
    }

    #[test]
    fn error_messages() {
        let cases = [
            ("a..b", r#"invalid pattern "a..b": empty part at byte 2"#),
            (
                "a*",
                r#"invalid pattern "a*": wildcard must be a whole part at byte 1"#,
            ),
            (
                "a.>.b",
                r#"invalid pattern "a.>.b": '>' must be the last part at byte 2"#,
            ),
            (
                "a.b?",
                r#"invalid pattern "a.b?": '?' not allowed in a pattern at byte 3"#,
            ),
        ];
        for (input, message) in cases {
            assert_eq!(Pattern::new(input).unwrap_err().to_string(), message);
        }
    }

    #[test]
    fn long_inputs_are_quoted_shortened() {
        let input = format!("{}..", "a".repeat(200));
        let message = Pattern::new(&input).unwrap_err().to_string();
        assert_eq!(
            message,
            format!(
                r#"invalid pattern "{}...": empty part at byte 201"#,
                "a".repeat(96)
            )
        );
    }

    #[test]
    fn parts_classify_wildcards() {
        let pattern = Pattern::new("a.*.>").unwrap();
        let parts: Vec<_> = pattern.parts().collect();
        assert_eq!(parts, [Part::Literal("a"), Part::Single, Part::Rest]);
        assert!(!pattern.is_literal());
        assert!(Pattern::new("a.b").unwrap().is_literal());
    }

    #[test]
    fn rest_needs_at_least_one_part() {
        let pattern = Pattern::new("a.*.>").unwrap();
        assert!(!pattern.matches("a.b"));
        assert!(pattern.matches("a.b.c"));
        assert!(Pattern::new(">").unwrap().matches("a"));
        assert!(!Pattern::new("a").unwrap().matches("a.>"));
    }
}
