//! Validated resource names and resource IDs, split into parts once.

use std::fmt;

use crate::error::{Error, InputKind};
use crate::syntax::{self, PartEnds};

/// A valid resource name, such as `library.book.42`, split into its parts.
///
/// Parsing checks every byte once and records where the parts end, so a name can be matched
/// against many patterns or sets without being tokenized again (like globset's `Candidate`).
///
/// ```
/// let name = respat::Name::new("library.book.42")?;
/// assert_eq!(name.parts().collect::<Vec<_>>(), ["library", "book", "42"]);
/// assert!(respat::Name::new("library.book.*").is_err());
/// # Ok::<(), respat::Error>(())
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct Name<'a> {
    text: &'a str,
    ends: PartEnds,
}

impl<'a> Name<'a> {
    /// Parses a resource name.
    ///
    /// # Errors
    /// If `text` is not a valid name: an empty part, a byte outside `0x21..=0x7E`, or one of
    /// `*`, `>`, `?`.
    pub fn new(text: &'a str) -> Result<Name<'a>, Error> {
        let (ends, _) = syntax::scan(text, InputKind::Name, false)?;
        Ok(Name { text, ends })
    }

    /// The name as text.
    pub fn as_str(&self) -> &'a str {
        self.text
    }

    /// The number of parts (at least one).
    pub fn part_count(&self) -> usize {
        self.ends.len()
    }

    /// The `i`th part, if there is one.
    pub fn part(&self, i: usize) -> Option<&'a str> {
        (i < self.ends.len()).then(|| syntax::part(self.text, &self.ends, i))
    }

    /// The parts in order.
    pub fn parts(&self) -> impl ExactSizeIterator<Item = &'a str> + '_ {
        (0..self.ends.len()).map(|i| syntax::part(self.text, &self.ends, i))
    }

    /// The parts in order, each with its hash.
    pub(crate) fn hashed_parts(&self) -> impl ExactSizeIterator<Item = (&'a str, u32)> + '_ {
        (0..self.ends.len()).map(|i| (syntax::part(self.text, &self.ends, i), self.ends[i].hash))
    }
}

impl fmt::Debug for Name<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("Name").field(&self.text).finish()
    }
}

impl fmt::Display for Name<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.text)
    }
}

/// A valid resource ID: a [`Name`] optionally followed by `?` and a query.
///
/// The name ends at the first `?`; the query is everything after it and is not checked.
/// Only the name takes part in matching.
///
/// ```
/// let id = respat::ResourceId::new("library.books?start=10&limit=5")?;
/// assert_eq!(id.name().as_str(), "library.books");
/// assert_eq!(id.query(), Some("start=10&limit=5"));
/// # Ok::<(), respat::Error>(())
/// ```
#[derive(Clone, PartialEq, Eq)]
pub struct ResourceId<'a> {
    text: &'a str,
    name: Name<'a>,
}

impl<'a> ResourceId<'a> {
    /// Parses a resource ID.
    ///
    /// # Errors
    /// If the name before the first `?` is not a valid name; error offsets count from the
    /// start of the ID.
    pub fn new(text: &'a str) -> Result<ResourceId<'a>, Error> {
        let (ends, len) = syntax::scan(text, InputKind::ResourceId, false)?;
        Ok(ResourceId {
            text,
            name: Name {
                text: &text[..len],
                ends,
            },
        })
    }

    /// The whole ID as text.
    pub fn as_str(&self) -> &'a str {
        self.text
    }

    /// The name: the ID up to its first `?`.
    pub fn name(&self) -> &Name<'a> {
        &self.name
    }

    /// The query after the first `?` (possibly empty), or `None` without a `?`.
    pub fn query(&self) -> Option<&'a str> {
        self.text.get(self.name.text.len() + 1..)
    }
}

impl fmt::Debug for ResourceId<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_tuple("ResourceId").field(&self.text).finish()
    }
}

impl fmt::Display for ResourceId<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.text)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ErrorKind;

    #[test]
    fn query_splits_at_first_question_mark() {
        let id = ResourceId::new("a.b?x=*&?").unwrap();
        assert_eq!(id.name().as_str(), "a.b");
        assert_eq!(id.query(), Some("x=*&?"));
        assert_eq!(ResourceId::new("a?").unwrap().query(), Some(""));
        assert_eq!(ResourceId::new("a").unwrap().query(), None);
    }

    #[test]
    fn id_errors_count_from_the_start_of_the_id() {
        let err = ResourceId::new("a.?x").unwrap_err();
        assert_eq!((err.kind(), err.offset()), (ErrorKind::EmptyPart, 2));
        assert_eq!(
            err.to_string(),
            r#"invalid resource id "a.?x": empty part at byte 2"#
        );
        let err = ResourceId::new("?x").unwrap_err();
        assert_eq!((err.kind(), err.offset()), (ErrorKind::EmptyPart, 0));
    }

    #[test]
    fn name_error_messages() {
        let cases = [
            ("", r#"invalid name "": empty part at byte 0"#),
            ("a.", r#"invalid name "a.": empty part at byte 2"#),
            ("a b", r#"invalid name "a b": invalid byte 0x20 at byte 1"#),
            (
                "t\u{e4}st",
                "invalid name \"t\u{e4}st\": invalid byte 0xc3 at byte 1",
            ),
            (
                "a\nb",
                r#"invalid name "a\nb": invalid byte 0x0a at byte 1"#,
            ),
            (
                "a.*",
                r#"invalid name "a.*": wildcard '*' not allowed in a name at byte 2"#,
            ),
            (
                "a?b",
                r#"invalid name "a?b": '?' not allowed in a name at byte 1"#,
            ),
        ];
        for (input, message) in cases {
            assert_eq!(Name::new(input).unwrap_err().to_string(), message);
        }
    }

    #[test]
    fn parts_are_split_once() {
        let name = Name::new("a.bc.d").unwrap();
        assert_eq!(name.part_count(), 3);
        assert_eq!(name.part(1), Some("bc"));
        assert_eq!(name.part(3), None);
    }
}
