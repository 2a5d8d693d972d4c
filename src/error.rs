//! The one error type of every parser: what kind of input, what went wrong, and where.

use std::fmt;

/// The longest input an error message quotes in full; longer inputs are shortened with `...`.
const QUOTE_LIMIT: usize = 96;

/// What was being parsed when an [`Error`] occurred.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum InputKind {
    /// A resource name, such as `library.book.42`.
    Name,
    /// A resource ID: a name with an optional `?query`.
    ResourceId,
    /// A resource name pattern, such as `library.book.*`.
    Pattern,
}

impl InputKind {
    fn noun(self) -> &'static str {
        match self {
            InputKind::Name => "name",
            InputKind::ResourceId => "resource id",
            InputKind::Pattern => "pattern",
        }
    }
}

/// What was wrong with the input.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// A part is empty: the input is empty, starts or ends with `.`, or has `..`.
    EmptyPart,
    /// A byte outside printable ASCII (`0x21..=0x7E`): space, control, DEL or non-ASCII.
    InvalidByte,
    /// `*` or `>` in a name or resource ID, where wildcards are not allowed.
    WildcardInName,
    /// `*` or `>` in a pattern that is not a whole part, such as `a*` or `a.>b`.
    PartialWildcard,
    /// `>` as a whole part of a pattern that is not its last part, such as `a.>.b`.
    FullWildcardNotLast,
    /// `?` in a name or pattern (only a resource ID may carry a `?query`).
    QuestionMark,
    /// The input is longer than 4 GiB (`u32::MAX` bytes), the most a part offset can hold.
    TooLong,
}

/// An invalid name, resource ID or pattern.
///
/// Carries the kind of input, the [`ErrorKind`], the input itself and the byte offset of
/// the fault. `Display` renders one lowercase line:
///
/// ```
/// let err = respat::Pattern::new("a..b").unwrap_err();
/// assert_eq!(err.to_string(), r#"invalid pattern "a..b": empty part at byte 2"#);
/// assert_eq!(err.kind(), respat::ErrorKind::EmptyPart);
/// assert_eq!(err.offset(), 2);
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Error {
    input_kind: InputKind,
    kind: ErrorKind,
    input: Box<str>,
    offset: usize,
}

impl Error {
    pub(crate) fn new(input_kind: InputKind, kind: ErrorKind, input: &str, offset: usize) -> Error {
        Error {
            input_kind,
            kind,
            input: input.into(),
            offset,
        }
    }

    /// What went wrong.
    pub fn kind(&self) -> ErrorKind {
        self.kind
    }

    /// What was being parsed.
    pub fn input_kind(&self) -> InputKind {
        self.input_kind
    }

    /// The input that failed to parse.
    pub fn input(&self) -> &str {
        &self.input
    }

    /// The byte offset of the fault in [`input`](Error::input).
    pub fn offset(&self) -> usize {
        self.offset
    }

    /// The faulty byte, if the fault is at a byte (and not at the end of the input).
    pub fn byte(&self) -> Option<u8> {
        self.input.as_bytes().get(self.offset).copied()
    }

    /// The input on one line with a caret under the fault (for terminals).
    ///
    /// ```
    /// let err = respat::Pattern::new("a.b*").unwrap_err();
    /// assert_eq!(err.caret(), "a.b*\n   ^");
    /// ```
    pub fn caret(&self) -> String {
        let shown = escape(&self.input);
        let before = escape(&self.input[..floor_char_boundary(&self.input, self.offset)]);
        format!("{shown}\n{}^", " ".repeat(before.chars().count()))
    }

    fn reason(&self) -> String {
        match self.kind {
            ErrorKind::EmptyPart => "empty part".to_string(),
            ErrorKind::InvalidByte => match self.byte() {
                Some(b) => format!("invalid byte 0x{b:02x}"),
                None => "invalid byte".to_string(),
            },
            ErrorKind::WildcardInName => match self.byte() {
                Some(b) => format!(
                    "wildcard '{}' not allowed in a {}",
                    b as char,
                    self.input_kind.noun()
                ),
                None => "wildcard not allowed".to_string(),
            },
            ErrorKind::PartialWildcard => "wildcard must be a whole part".to_string(),
            ErrorKind::FullWildcardNotLast => "'>' must be the last part".to_string(),
            ErrorKind::QuestionMark => format!("'?' not allowed in a {}", self.input_kind.noun()),
            ErrorKind::TooLong => "longer than 4 gib".to_string(),
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let input: &str = &self.input;
        let quoted = if input.len() > QUOTE_LIMIT {
            format!(
                "{}...",
                escape(&input[..floor_char_boundary(input, QUOTE_LIMIT)])
            )
        } else {
            escape(input)
        };
        write!(
            f,
            "invalid {} \"{}\": {} at byte {}",
            self.input_kind.noun(),
            quoted,
            self.reason(),
            self.offset
        )
    }
}

impl std::error::Error for Error {}

/// Escapes control and non-ASCII characters so that the message stays on one line.
fn escape(s: &str) -> String {
    s.chars().flat_map(char::escape_debug).collect()
}

fn floor_char_boundary(s: &str, mut at: usize) -> usize {
    at = at.min(s.len());
    while !s.is_char_boundary(at) {
        at -= 1;
    }
    at
}
