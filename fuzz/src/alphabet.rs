//! Structured pieces of names, IDs and patterns, drawn from a small alphabet so that
//! patterns and names overlap often (matches, duplicates, shared trie prefixes), with an
//! occasional arbitrary string to reach the error paths.

use arbitrary::{Arbitrary, Result, Unstructured};

/// The most operations one input runs.
pub const MAX_OPS: usize = 64;
/// The most parts of a generated name or pattern.
pub const MAX_PARTS: usize = 8;
/// The most bytes of an arbitrary string (a raw input or an `Other` part).
pub const MAX_RAW: usize = 64;
/// The most patterns of one generated list (a set to resolve, a reset list).
pub const MAX_LIST: usize = 8;

/// `s` cut to at most `max` bytes, at a character boundary.
pub fn capped(mut s: String, max: usize) -> String {
    if s.len() > max {
        let mut at = max;
        while !s.is_char_boundary(at) {
            at -= 1;
        }
        s.truncate(at);
    }
    s
}

/// One literal part.
#[derive(Arbitrary, Clone, Debug)]
pub enum Lit {
    A,
    B,
    C,
    /// `n0` .. `n19`: enough distinct siblings to push a node past its short list of
    /// children (8 in a pattern set, 16 in an index) into a hash table.
    Num(u8),
    /// Longer than a label stored inline (8 bytes in an index, 22 in a pattern set).
    Long,
    /// The same length and prefix as `Long`, one byte apart.
    LongToo,
    /// `$` is an ordinary character.
    Dollar,
    /// Anything (capped); usually invalid, or several parts.
    Other(String),
}

impl Lit {
    pub fn push_to(&self, out: &mut String) {
        match self {
            Lit::A => out.push('a'),
            Lit::B => out.push('b'),
            Lit::C => out.push('c'),
            Lit::Num(n) => {
                out.push('n');
                out.push_str(&(n % 20).to_string());
            }
            Lit::Long => out.push_str("a-label-longer-than-inline-x"),
            Lit::LongToo => out.push_str("a-label-longer-than-inline-y"),
            Lit::Dollar => out.push_str("$a"),
            Lit::Other(s) => out.push_str(&capped(s.clone(), 24)),
        }
    }
}

/// One part of a generated pattern.
#[derive(Arbitrary, Clone, Debug)]
pub enum PatPart {
    Lit(Lit),
    Star,
}

/// A pattern: usually parts of the alphabet with `*` anywhere and maybe a final `>`;
/// sometimes an arbitrary string (which is then usually invalid).
#[derive(Clone, Debug)]
pub enum PatternText {
    Parts { parts: Vec<PatPart>, rest: bool },
    Raw(String),
}

impl<'a> Arbitrary<'a> for PatternText {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        Ok(if u.ratio(1, 12)? {
            PatternText::Raw(capped(u.arbitrary()?, MAX_RAW))
        } else {
            let mut parts: Vec<PatPart> = Vec::new();
            for part in u.arbitrary_iter()? {
                if parts.len() == MAX_PARTS {
                    break;
                }
                parts.push(part?);
            }
            PatternText::Parts {
                parts,
                rest: u.arbitrary()?,
            }
        })
    }
}

impl PatternText {
    pub fn text(&self) -> String {
        match self {
            PatternText::Raw(s) => s.clone(),
            PatternText::Parts { parts, rest } => {
                let mut out = String::new();
                for (i, part) in parts.iter().enumerate() {
                    if i > 0 {
                        out.push('.');
                    }
                    match part {
                        PatPart::Lit(lit) => lit.push_to(&mut out),
                        PatPart::Star => out.push('*'),
                    }
                }
                if *rest {
                    if !parts.is_empty() {
                        out.push('.');
                    }
                    out.push('>');
                }
                out
            }
        }
    }
}

/// A name: usually parts of the alphabet, sometimes an arbitrary string.
#[derive(Clone, Debug)]
pub enum NameText {
    Parts(Vec<Lit>),
    Raw(String),
}

impl<'a> Arbitrary<'a> for NameText {
    fn arbitrary(u: &mut Unstructured<'a>) -> Result<Self> {
        Ok(if u.ratio(1, 12)? {
            NameText::Raw(capped(u.arbitrary()?, MAX_RAW))
        } else {
            let mut parts = Vec::new();
            for part in u.arbitrary_iter()? {
                if parts.len() == MAX_PARTS {
                    break;
                }
                parts.push(part?);
            }
            NameText::Parts(parts)
        })
    }
}

impl NameText {
    pub fn text(&self) -> String {
        match self {
            NameText::Raw(s) => s.clone(),
            NameText::Parts(parts) => {
                let mut out = String::new();
                for (i, part) in parts.iter().enumerate() {
                    if i > 0 {
                        out.push('.');
                    }
                    part.push_to(&mut out);
                }
                out
            }
        }
    }
}

/// The query of a generated resource ID.
#[derive(Arbitrary, Clone, Debug)]
pub enum Query {
    /// `?` alone: an empty query.
    Empty,
    Simple,
    /// Wildcards, `?` and dots, which a query may hold.
    Tricky,
    Other(String),
}

impl Query {
    pub fn push_to(&self, out: &mut String) {
        out.push('?');
        match self {
            Query::Empty => {}
            Query::Simple => out.push_str("x=1"),
            Query::Tricky => out.push_str("a.*=>&?b"),
            Query::Other(s) => out.push_str(&capped(s.clone(), 24)),
        }
    }
}

/// A resource ID: a generated name with an optional query.
#[derive(Arbitrary, Clone, Debug)]
pub struct IdText {
    pub name: NameText,
    pub query: Option<Query>,
}

impl IdText {
    pub fn text(&self) -> String {
        let mut out = self.name.text();
        if let Some(query) = &self.query {
            query.push_to(&mut out);
        }
        out
    }
}

/// A short list of patterns.
pub fn pattern_list(u: &mut Unstructured<'_>) -> Result<Vec<String>> {
    let mut list = Vec::new();
    for pattern in u.arbitrary_iter::<PatternText>()? {
        if list.len() == MAX_LIST {
            break;
        }
        list.push(pattern?.text());
    }
    Ok(list)
}

/// A name that `pattern` matches if it is valid: `*` and `>` replaced by literal parts.
pub fn instance_of(pattern: &str) -> String {
    pattern
        .split('.')
        .map(|part| match part {
            "*" => "a",
            ">" => "b.c",
            part => part,
        })
        .collect::<Vec<_>>()
        .join(".")
}

/// A pattern that matches `name` (if valid), made more general by `mask`: bits 0-5 turn
/// parts 0-5 into `*`, bit 6 turns the last part into `>`, bit 7 the last two.
pub fn generalize(name: &str, mask: u8) -> String {
    let mut parts: Vec<&str> = name
        .split('.')
        .enumerate()
        .map(|(i, part)| {
            if i < 6 && mask & (1 << i) != 0 {
                "*"
            } else {
                part
            }
        })
        .collect();
    let tail = if mask & 0x80 != 0 {
        2
    } else {
        usize::from(mask & 0x40 != 0)
    };
    if tail > 0 {
        parts.truncate(parts.len().saturating_sub(tail));
        parts.push(">");
    }
    parts.join(".")
}
