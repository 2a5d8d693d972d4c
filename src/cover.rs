//! Pattern subsumption: [`Pattern::covers`], and [`minimize`], which drops the patterns of a
//! list that another pattern of the list already covers.

use std::borrow::Borrow;

use hashbrown::HashMap;

use crate::pattern::{Part, Pattern};

impl Pattern {
    /// Whether `self` covers `other`: every name that `other` matches, `self` matches too.
    ///
    /// The test is exact (not a heuristic), runs in time linear in the number of parts and
    /// allocates nothing. Part by part, from the left:
    ///
    /// - a `>` in `self` at part `i` covers whatever `other` has from part `i` on, provided
    ///   `other` has a part `i` at all (of any kind: `>` never matches zero parts);
    /// - a literal in `self` covers only the same literal in `other`;
    /// - a `*` in `self` covers a literal or a `*`;
    /// - a `>` in `other` is covered only by a `>` of `self` at the same part or an earlier
    ///   one (it matches names of any length, and any part);
    /// - without a `>`, `self` needs exactly as many parts as `other`.
    ///
    /// Covering is a partial order on patterns: every pattern covers itself, and two
    /// patterns that cover each other are equal.
    ///
    /// ```
    /// use respat::Pattern;
    /// let p = |text: &str| Pattern::new(text).unwrap();
    /// assert!(p("a.>").covers(&p("a.b.*")));
    /// assert!(p("a.>").covers(&p("a.*.>")));
    /// assert!(!p("a.*.>").covers(&p("a.>"))); // `a.>` matches `a.b`, `a.*.>` does not
    /// assert!(p("*.b").covers(&p("a.b")));
    /// assert!(!p("*.b").covers(&p("a.>")));
    /// assert!(!p("a.>").covers(&p("a"))); // `>` never matches zero parts
    /// assert!(p(">").covers(&p("a.*.>")));
    /// assert!(p(">").covers(&p(">")));
    /// assert!(p("a.*").covers(&p("a.*")));
    /// ```
    pub fn covers(&self, other: &Pattern) -> bool {
        let (mine, theirs) = (self.part_count(), other.part_count());
        // `self` needs at least as many parts as `other`: exactly as many without a `>`,
        // and with a `>` at part `mine - 1`, `other` must have that part.
        if mine > theirs || (mine < theirs && self.part(mine - 1) != Some(Part::Rest)) {
            return false;
        }
        for (mine, theirs) in self.parts().zip(other.parts()) {
            match (mine, theirs) {
                (Part::Rest, _) => return true,
                (_, Part::Rest) => return false,
                (Part::Single, _) => {}
                (Part::Literal(want), Part::Literal(got)) if want == got => {}
                (Part::Literal(_), _) => return false,
            }
        }
        // Every part compared, no `>` in `self`: the counts are equal (checked above).
        true
    }
}

/// Drops the patterns of a list that another pattern of the list covers, and returns the
/// **indices of the patterns to keep**, in increasing order.
///
/// Pattern `patterns[i]` is dropped if some pattern of the list that is not equal to it
/// [covers](Pattern::covers) it, or if an equal pattern comes before it (of equal
/// patterns, the first is kept). The patterns kept match exactly the same names as the
/// whole list, and none of them covers another. Indices rather than patterns are returned
/// so that whatever goes with each pattern (a position in a payload, a value) can follow;
/// the patterns themselves are `indices.iter().map(|&i| &patterns[i])`.
///
/// # Complexity
///
/// Not quadratic: the patterns are put in one token trie (literal parts in a hash table,
/// `*` and `>` in their own slots), and each pattern then looks for a cover by walking the
/// trie along its own parts, where a literal part may follow the same literal or a `*`,
/// and a `*` only a `*`. The time is linear in the total number of parts times the
/// wildcard branches taken, as for matching a name against a
/// [`PatternSet`](crate::PatternSet); a list without `*` costs O(total parts). A list
/// built to branch at every `*` (all of `{a,*}^k.x`, say) can make that quadratic in the
/// number of patterns. The walks use an explicit stack, so patterns of any depth are safe.
///
/// ```
/// use respat::{minimize, Pattern};
/// let patterns: Vec<Pattern> = ["a.b", "a.*", "c.>", "a.b", "c.d.*", "a.*.>"]
///     .iter()
///     .map(|text| text.parse())
///     .collect::<Result<_, _>>()?;
/// let keep = minimize(&patterns);
/// assert_eq!(keep, [1, 2, 5]);
/// let kept: Vec<&str> = keep.iter().map(|&i| patterns[i].as_str()).collect();
/// assert_eq!(kept, ["a.*", "c.>", "a.*.>"]);
/// # Ok::<(), respat::Error>(())
/// ```
pub fn minimize<P: Borrow<Pattern>>(patterns: &[P]) -> Vec<usize> {
    minimize_within(patterns, usize::MAX)
}

/// [`minimize`], but a pattern whose search for a cover takes more than `budget` steps
/// plus one per part is kept without an answer. The result then still matches exactly the
/// names of the whole list, but may keep a covered pattern; the time is linear in the
/// total number of parts, whatever the list (`minimize` alone can take time quadratic in
/// the number of patterns on lists built to branch at every `*`).
pub(crate) fn minimize_within<P: Borrow<Pattern>>(patterns: &[P], budget: usize) -> Vec<usize> {
    let mut trie = CoverTrie::default();
    // Whether each pattern is the first of its text: later equal ones are dropped.
    let first: Vec<bool> = patterns
        .iter()
        .enumerate()
        .map(|(index, pattern)| trie.insert(pattern.borrow(), index))
        .collect();
    let mut stack = Vec::new();
    patterns
        .iter()
        .enumerate()
        .filter(|&(index, pattern)| {
            let pattern = pattern.borrow();
            let steps = budget.saturating_add(pattern.part_count());
            first[index] && !trie.is_covered(pattern, steps, &mut stack)
        })
        .map(|(index, _)| index)
        .collect()
}

/// No node, no pattern.
const NONE: usize = usize::MAX;

/// A node of the trie of [`minimize`]: its `*` child, and the first pattern that ends at it
/// (`exact`) or continues from it with `>` (`rest`).
struct Node {
    star: usize,
    exact: usize,
    rest: usize,
}

impl Node {
    fn new() -> Node {
        Node {
            star: NONE,
            exact: NONE,
            rest: NONE,
        }
    }
}

/// A token trie of borrowed patterns: nodes in an arena, literal edges in one hash table
/// keyed by (parent, part).
struct CoverTrie<'a> {
    nodes: Vec<Node>,
    literals: HashMap<(usize, &'a str), usize>,
}

impl Default for CoverTrie<'_> {
    fn default() -> Self {
        CoverTrie {
            nodes: vec![Node::new()],
            literals: HashMap::new(),
        }
    }
}

impl<'a> CoverTrie<'a> {
    /// Adds pattern `index`; returns whether it is the first pattern of its text.
    fn insert(&mut self, pattern: &'a Pattern, index: usize) -> bool {
        let mut node = 0;
        let mut rest = false;
        for part in pattern.parts() {
            node = match part {
                Part::Literal(label) => {
                    let next = self.nodes.len();
                    let child = *self.literals.entry((node, label)).or_insert(next);
                    if child == next {
                        self.nodes.push(Node::new());
                    }
                    child
                }
                Part::Single => {
                    if self.nodes[node].star == NONE {
                        self.nodes[node].star = self.nodes.len();
                        self.nodes.push(Node::new());
                    }
                    self.nodes[node].star
                }
                Part::Rest => {
                    rest = true;
                    node
                }
            };
        }
        let slot = if rest {
            &mut self.nodes[node].rest
        } else {
            &mut self.nodes[node].exact
        };
        let first = *slot == NONE;
        if first {
            *slot = index;
        }
        first
    }

    /// Whether a pattern of the trie other than `pattern` itself (the first of its text)
    /// covers `pattern`. `stack` is scratch space, reused between calls.
    ///
    /// The walk follows `pattern`'s parts from the root. A state is a node and the index of
    /// the next part of `pattern`, plus whether the path to it spells `pattern` itself
    /// (`own`: no `*` edge taken for a literal part). A literal part follows the same
    /// literal edge and the `*` edge; a `*` part only the `*` edge; a `>` part follows
    /// nothing. A `>` ending at a node covers whatever has a part left there; a pattern
    /// ending at the node reached after the last part covers it. Only the `own` path can
    /// lead to `pattern`'s own entry, which is not a cover.
    fn is_covered(
        &self,
        pattern: &Pattern,
        mut steps: usize,
        stack: &mut Vec<(usize, usize, bool)>,
    ) -> bool {
        let count = pattern.part_count();
        stack.clear();
        stack.push((0, 0, true));
        while let Some((node, i, own)) = stack.pop() {
            if steps == 0 {
                return false;
            }
            steps -= 1;
            let here = &self.nodes[node];
            let Some(part) = pattern.part(i) else {
                // All parts consumed (so `pattern` has no `>`).
                debug_assert_eq!(i, count);
                if here.exact != NONE && !own {
                    return true;
                }
                continue;
            };
            if here.rest != NONE && (part != Part::Rest || !own) {
                return true;
            }
            match part {
                Part::Literal(label) => {
                    if let Some(&child) = self.literals.get(&(node, label)) {
                        stack.push((child, i + 1, own));
                    }
                    if here.star != NONE {
                        stack.push((here.star, i + 1, false));
                    }
                }
                Part::Single => {
                    if here.star != NONE {
                        stack.push((here.star, i + 1, own));
                    }
                }
                Part::Rest => {}
            }
        }
        false
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn p(text: &str) -> Pattern {
        Pattern::new(text).unwrap()
    }

    fn kept<'a>(texts: &[&'a str]) -> Vec<&'a str> {
        let patterns: Vec<Pattern> = texts.iter().map(|text| p(text)).collect();
        minimize(&patterns).into_iter().map(|i| texts[i]).collect()
    }

    #[test]
    fn covers_tricky_cases() {
        let cases = [
            // (self, other, covers)
            ("a.*.>", "a.>", false), // `a.b`
            ("a.>", "a.*.>", true),
            ("*.>", ">", false), // `a`
            (">", "*.>", true),
            (">", ">", true),
            (">", "a", true),
            (">", "*", true),
            ("a.>", "a", false),
            ("a.>", "a.>", true),
            ("a.>", "b.>", false),
            ("a.>", "*.>", false),
            ("*.>", "a.>", true),
            ("a", "a", true),
            ("a", "b", false),
            ("a", "*", false),
            ("*", "*", true),
            ("*", "a", true),
            ("*", ">", false),
            ("a.*", "a.b", true),
            ("a.b", "a.*", false),
            ("a.b", "a.b.c", false),
            ("a.b.c", "a.b", false),
            ("*.*", "*", false),
            ("*", "*.*", false),
            ("*.*.*", "a.>", false),
            ("a.b.>", "a.b.c.>", true),
            ("a.b.c.>", "a.b.>", false),
            ("*.b", "a.b", true),
            ("*.b", "a.>", false),
            ("*.*", "a.>", false),
            ("a.*.c", "a.b.c", true),
            ("a.*.c", "a.b.d", false),
            ("aa", "a", false),
            ("a", "aa", false),
        ];
        for (mine, theirs, want) in cases {
            assert_eq!(p(mine).covers(&p(theirs)), want, "{mine} covers {theirs}");
        }
    }

    #[test]
    fn minimize_tricky_lists() {
        assert_eq!(kept(&[]), Vec::<&str>::new());
        assert_eq!(kept(&["a"]), ["a"]);
        assert_eq!(kept(&["a", "a", "a"]), ["a"]);
        assert_eq!(kept(&[">", ">"]), [">"]);
        assert_eq!(kept(&["a.b", ">", "*"]), [">"]);
        assert_eq!(kept(&["a.>", "a.*.>"]), ["a.>"]);
        assert_eq!(kept(&["a.*.>", "a.>"]), ["a.>"]);
        assert_eq!(kept(&["a", "a.>"]), ["a", "a.>"]);
        assert_eq!(kept(&["*.>", "a"]), ["*.>", "a"]);
        assert_eq!(kept(&["a.b", "*.b", "a.*", "a.c"]), ["*.b", "a.*"]);
        assert_eq!(kept(&["a.b.c", "a.*.c", "*.b.*", "a.>"]), ["*.b.*", "a.>"]);
        assert_eq!(kept(&["a.*", "a.*", "*.*"]), ["*.*"]);
        assert_eq!(kept(&["a.>", "a.b.>", "a.*"]), ["a.>"]);
        assert_eq!(kept(&["*.*.>", "a.b.>", "a.b"]), ["*.*.>", "a.b"]);
    }

    #[test]
    fn deep_patterns_do_not_overflow() {
        let n = 100_000;
        let literal = vec!["a"; n].join(".");
        let starred = format!("{}.*", vec!["a"; n - 1].join("."));
        let rest = format!("{}.>", vec!["*"; n - 1].join("."));
        let (literal, starred, rest) = (p(&literal), p(&starred), p(&rest));
        assert!(starred.covers(&literal));
        assert!(rest.covers(&literal) && rest.covers(&starred));
        assert!(!literal.covers(&rest));
        let list = [literal.clone(), starred, literal, rest];
        assert_eq!(minimize(&list), [3]);
        let list = [list[0].clone(), list[1].clone()];
        assert_eq!(minimize(&list), [1]);
    }

    #[test]
    fn minimize_accepts_references() {
        let (a, b) = (p("x.*"), p("x.y"));
        assert_eq!(minimize(&[&b, &a]), [1]);
    }
}
