//! The `system.reset` event: two pattern lists, compiled once and resolved against an index.

use std::fmt;

use crate::cover::minimize_within;
use crate::error::Error;
use crate::index::ResourceIndex;
use crate::matches::IndexEntry;
use crate::pattern::Pattern;
use crate::set::PatternSet;

/// Which list of a reset event a pattern came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ResetList {
    /// `resources`: cached resources to re-fetch.
    Resources,
    /// `access`: subscriptions whose access rights to check again.
    Access,
}

impl ResetList {
    /// The member name in the JSON payload.
    pub fn as_str(self) -> &'static str {
        match self {
            ResetList::Resources => "resources",
            ResetList::Access => "access",
        }
    }
}

impl fmt::Display for ResetList {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A pattern of a reset event that is not valid, skipped on its own. It displays as its
/// list, its position there and the error: `resources item 1: invalid pattern "a..b":
/// empty part at byte 2`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InvalidPattern {
    list: ResetList,
    position: usize,
    error: Error,
}

impl InvalidPattern {
    /// The list the pattern was in.
    pub fn list(&self) -> ResetList {
        self.list
    }

    /// The pattern's position in its list.
    pub fn position(&self) -> usize {
        self.position
    }

    /// The pattern as given.
    pub fn pattern(&self) -> &str {
        self.error.input()
    }

    /// Why it is invalid.
    pub fn error(&self) -> &Error {
        &self.error
    }
}

impl fmt::Display for InvalidPattern {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} item {}: {}", self.list, self.position, self.error)
    }
}

/// Steps a reset pattern's search for a cover may take (plus one per part) before it is
/// kept without an answer.
const MINIMIZE_BUDGET: usize = 64;

/// One pattern list of a reset, compiled into a [`PatternSet`].
#[derive(Clone, Debug, Default)]
struct List {
    patterns: Vec<Pattern>,
    set: PatternSet<()>,
}

impl List {
    fn compile<S: AsRef<str>>(
        which: ResetList,
        items: impl IntoIterator<Item = S>,
        invalid: &mut Vec<InvalidPattern>,
    ) -> List {
        let mut list = List::default();
        for (position, item) in items.into_iter().enumerate() {
            match Pattern::new(item.as_ref()) {
                Ok(pattern) => list.patterns.push(pattern),
                Err(error) => invalid.push(InvalidPattern {
                    list: which,
                    position,
                    error,
                }),
            }
        }
        // Patterns covered by others add nothing to the result: leave them out of the set,
        // within a linear budget of work, so that a hostile payload cannot make it slow.
        for keep in minimize_within(&list.patterns, MINIMIZE_BUDGET) {
            list.set.insert(&list.patterns[keep], ());
        }
        list
    }
}

/// A `system.reset` event: `resources` and `access` pattern lists, each compiled into one
/// [`PatternSet`], with the invalid patterns set aside and reported.
///
/// Compiling drops the patterns that another pattern of the same list covers (see
/// [`minimize`](crate::minimize), here within a linear budget of work): they could add no
/// ID to the result.
///
/// ```
/// use respat::{Reset, ResourceIndex};
/// let mut index = ResourceIndex::new();
/// for id in ["library.book.1", "library.books?start=0", "chat.room.1"] {
///     index.insert(id, ())?;
/// }
/// let reset = Reset::new(["library.book.*", "library.books", "bad..pattern"], ["chat.>"]);
/// assert_eq!(reset.invalid().len(), 1);
/// let resolved = reset.resolve(&index);
/// assert_eq!(resolved.resources_ids(), ["library.book.1", "library.books?start=0"]);
/// assert_eq!(resolved.access_ids(), ["chat.room.1"]);
/// # Ok::<(), respat::Error>(())
/// ```
#[derive(Clone, Debug, Default)]
pub struct Reset {
    resources: List,
    access: List,
    invalid: Vec<InvalidPattern>,
}

impl Reset {
    /// Compiles the two pattern lists; invalid patterns are skipped and kept in
    /// [`invalid`](Reset::invalid).
    pub fn new<R, A>(resources: R, access: A) -> Reset
    where
        R: IntoIterator,
        R::Item: AsRef<str>,
        A: IntoIterator,
        A::Item: AsRef<str>,
    {
        let mut invalid = Vec::new();
        let resources = List::compile(ResetList::Resources, resources, &mut invalid);
        let access = List::compile(ResetList::Access, access, &mut invalid);
        Reset {
            resources,
            access,
            invalid,
        }
    }

    /// The valid patterns of `list`, in payload order.
    pub fn patterns(&self, list: ResetList) -> &[Pattern] {
        &self.list(list).patterns
    }

    /// The compiled pattern set of `list`: its valid patterns, less those others cover.
    pub fn pattern_set(&self, list: ResetList) -> &PatternSet<()> {
        &self.list(list).set
    }

    fn list(&self, list: ResetList) -> &List {
        match list {
            ResetList::Resources => &self.resources,
            ResetList::Access => &self.access,
        }
    }

    /// The invalid patterns, `resources` first, each in payload order.
    pub fn invalid(&self) -> &[InvalidPattern] {
        &self.invalid
    }

    /// Whether the reset has no valid pattern (it then matches nothing).
    pub fn is_empty(&self) -> bool {
        self.resources.set.is_empty() && self.access.set.is_empty()
    }

    /// The IDs of `index` covered by each list, each ID once per list.
    pub fn resolve<'a, T>(&self, index: &'a ResourceIndex<T>) -> Resolution<'a, T> {
        // `for_each` rather than `collect`: it takes the walk's streaming `fold`.
        let entries = |set| {
            let mut out = Vec::new();
            index.resolve(set).for_each(|entry| out.push(entry));
            out
        };
        Resolution {
            resources: entries(&self.resources.set),
            access: entries(&self.access.set),
        }
    }
}

/// The result of [`Reset::resolve`]: the entries each list covers, in no particular order.
pub struct Resolution<'a, T> {
    /// Resources to re-fetch: every ID whose name a `resources` pattern matches.
    pub resources: Vec<IndexEntry<'a, T>>,
    /// Resources whose access to check again: every ID an `access` pattern matches.
    pub access: Vec<IndexEntry<'a, T>>,
}

impl<T> Resolution<'_, T> {
    /// The `resources` IDs, sorted bytewise.
    pub fn resources_ids(&self) -> Vec<String> {
        sorted_ids(&self.resources)
    }

    /// The `access` IDs, sorted bytewise.
    pub fn access_ids(&self) -> Vec<String> {
        sorted_ids(&self.access)
    }
}

fn sorted_ids<T>(entries: &[IndexEntry<'_, T>]) -> Vec<String> {
    let mut ids: Vec<String> = entries.iter().map(IndexEntry::id).collect();
    ids.sort_unstable();
    ids
}

impl<T: fmt::Debug> fmt::Debug for Resolution<'_, T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Resolution")
            .field("resources", &self.resources)
            .field("access", &self.access)
            .finish()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compiling_a_list_built_to_branch_stays_fast() {
        // Every mix of `a` and `*` over 11 parts, each with its own last part, and as many
        // literals `a.a....a.qN` that each of them could cover: an exact minimisation walks
        // 2^11 branches per literal; the budget keeps it linear.
        let k = 11;
        let mut patterns = Vec::new();
        for bits in 0..1u32 << k {
            let parts: Vec<&str> = (0..k)
                .map(|i| if bits >> i & 1 == 1 { "*" } else { "a" })
                .collect();
            patterns.push(format!("{}.e{bits}", parts.join(".")));
        }
        for m in 0..1u32 << k {
            patterns.push(format!("{}.q{m}", vec!["a"; k].join(".")));
        }
        let reset = Reset::new(&patterns, [] as [&str; 0]);
        assert!(reset.invalid().is_empty());
        assert_eq!(reset.patterns(ResetList::Resources).len(), patterns.len());
        let mut index = ResourceIndex::new();
        index
            .insert(&format!("{}.e0", vec!["a"; k].join(".")), ())
            .unwrap();
        index
            .insert(&format!("{}.q7", vec!["a"; k].join(".")), ())
            .unwrap();
        index.insert("b.c", ()).unwrap();
        assert_eq!(reset.resolve(&index).resources.len(), 2);
    }
}
