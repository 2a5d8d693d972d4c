//! Property tests of pattern subsumption: `Pattern::covers` and `minimize` against brute
//! force over a small alphabet, with `respat::reference` as the oracle of matching.
//!
//! Patterns have 1 to 4 parts over `a`, `b`, `*` and `>` (`>` only last); names have 1 to 6
//! parts over `a`, `b` and `c`. Each property runs 10,000 cases unless `PROPTEST_CASES`
//! says otherwise.
//!
//! # Why names of at most 6 parts over {a, b, c} decide covering
//!
//! `p` covers `q` iff no name is matched by `q` and not by `p` (a *witness*). If a witness
//! `n` exists, there is one in the enumerated space:
//!
//! - Parts: whether `p` or `q` matches `n` depends, at each position, only on whether the
//!   part of `n` there equals the literal of the pattern there (`*` and `>` accept any
//!   part). `c` is used by no pattern, so replacing every part of `n` other than `a` and `b`
//!   by `c` changes neither match: the new `n` is still a witness.
//! - Length: if `n` has more than 5 parts, cut it to its first 5. `q` still matches: a `q`
//!   that matches a name longer than its own 4 parts ends in `>` at some position `j <= 3`,
//!   and the cut keeps positions `0..=j` (so `>` still has at least one part) and every
//!   literal of `q`. `p` still does not match: either a literal of `p` (at a position
//!   `<= 3`) differs from `n` there, and the cut keeps that position; or `p` has no `>` and
//!   its 1 to 4 parts cannot match 5 parts; or `p` ends in `>` at a position `<= 3` and
//!   then all its literals agree with `n`, so `p` would match `n` too (it has at least 5
//!   parts) - not a witness, a contradiction.
//!
//! So 5 parts already suffice (a `>` is witnessed with 1 or 2 parts beyond the 4 of the
//! longer pattern); 6 leaves a part to spare. The space holds 3 + 9 + ... + 729 = 1,092
//! names, and each pattern's matches over it are computed once with the reference.

use std::collections::HashMap;
use std::sync::OnceLock;

use proptest::prelude::*;
use proptest::sample::select;
use proptest::test_runner::Config as ProptestConfig;
use respat::{minimize, reference, Pattern};

/// 10,000 cases per property unless `PROPTEST_CASES` says otherwise.
fn config() -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10_000);
    ProptestConfig {
        // No regression file is written into the source tree.
        failure_persistence: None,
        ..ProptestConfig::with_cases(cases)
    }
}

// ---------------------------------------------------------------------------------------
// Brute force
// ---------------------------------------------------------------------------------------

/// Every name of 1 to 6 parts over `a`, `b`, `c`.
fn names() -> &'static [String] {
    static NAMES: OnceLock<Vec<String>> = OnceLock::new();
    NAMES.get_or_init(|| {
        let mut all = Vec::new();
        let mut level = vec![String::new()];
        for _ in 0..6 {
            level = level
                .iter()
                .flat_map(|prefix| {
                    ["a", "b", "c"].map(|part| {
                        if prefix.is_empty() {
                            part.to_owned()
                        } else {
                            format!("{prefix}.{part}")
                        }
                    })
                })
                .collect();
            all.extend(level.iter().cloned());
        }
        all
    })
}

/// Every pattern of 1 to 4 parts over `a`, `b`, `*`, `>` (`>` only last).
fn all_patterns() -> Vec<String> {
    let mut all = Vec::new();
    let mut prefixes = vec![String::new()];
    for _ in 0..4 {
        for prefix in &prefixes {
            for last in ["a", "b", "*", ">"] {
                all.push(format!("{prefix}{last}"));
            }
        }
        prefixes = prefixes
            .iter()
            .flat_map(|prefix| ["a", "b", "*"].map(|part| format!("{prefix}{part}.")))
            .collect();
    }
    all
}

/// The names a pattern matches, as a bit set over [`names`].
type Bits = Vec<u64>;

/// The reference's matches of every pattern of [`all_patterns`], computed once.
fn match_bits(pattern: &str) -> &'static Bits {
    static BITS: OnceLock<HashMap<String, Bits>> = OnceLock::new();
    let table = BITS.get_or_init(|| {
        let names = names();
        all_patterns()
            .into_iter()
            .map(|pattern| {
                let mut bits = vec![0u64; names.len().div_ceil(64)];
                for (i, name) in names.iter().enumerate() {
                    if reference::matches(&pattern, name) {
                        bits[i / 64] |= 1 << (i % 64);
                    }
                }
                (pattern, bits)
            })
            .collect()
    });
    &table[pattern]
}

/// Whether every name matched by `q` is matched by `p`, by brute force.
fn covers_brute(p: &str, q: &str) -> bool {
    let (p, q) = (match_bits(p), match_bits(q));
    p.iter().zip(q).all(|(p, q)| q & !p == 0)
}

/// The names matched by any pattern of a list.
fn union_bits<'a>(patterns: impl IntoIterator<Item = &'a str>) -> Bits {
    let mut union = vec![0u64; names().len().div_ceil(64)];
    for pattern in patterns {
        for (u, b) in union.iter_mut().zip(match_bits(pattern)) {
            *u |= b;
        }
    }
    union
}

/// `minimize` by its definition, O(n^2): keep a pattern unless another, unequal pattern
/// covers it or an equal one comes before it.
fn minimize_brute(patterns: &[Pattern]) -> Vec<usize> {
    (0..patterns.len())
        .filter(|&i| {
            !patterns.iter().enumerate().any(|(j, p)| {
                if p == &patterns[i] {
                    j < i
                } else {
                    p.covers(&patterns[i])
                }
            })
        })
        .collect()
}

fn parse(texts: &[String]) -> Vec<Pattern> {
    texts.iter().map(|t| Pattern::new(t).unwrap()).collect()
}

// ---------------------------------------------------------------------------------------
// Strategies
// ---------------------------------------------------------------------------------------

/// A pattern of 1 to 4 parts over `a`, `b`, `*`, `>` (`>` only last).
fn small_pattern() -> impl Strategy<Value = String> {
    (
        prop::collection::vec(select(vec!["a", "b", "*"]), 0..=3),
        select(vec!["a", "b", "*", ">"]),
    )
        .prop_map(|(mut parts, last)| {
            parts.push(last);
            parts.join(".")
        })
}

/// A pattern of 1 to 7 parts over `a`, `b`, `*`, and `>` last a quarter of the time: deeper
/// trie walks for `minimize` (checked against `covers` only, not against names).
fn deep_pattern() -> impl Strategy<Value = String> {
    (
        prop::collection::vec(select(vec!["a", "b", "*"]), 1..=6),
        select(vec!["", "a", "*", ">"]),
    )
        .prop_map(|(mut parts, last)| {
            if !last.is_empty() {
                parts.push(last);
            }
            parts.join(".")
        })
}

// ---------------------------------------------------------------------------------------
// Properties
// ---------------------------------------------------------------------------------------

/// All 160 x 160 pairs of small patterns: `covers` equals brute force, and it is a partial
/// order (reflexive, antisymmetric, transitive).
#[test]
fn covers_equals_brute_force_exhaustively() {
    let texts = all_patterns();
    assert_eq!(texts.len(), 4 + 12 + 36 + 108);
    let patterns = parse(&texts);
    let n = texts.len();
    let mut table = vec![false; n * n];
    for (i, p) in patterns.iter().enumerate() {
        for (j, q) in patterns.iter().enumerate() {
            let covers = p.covers(q);
            assert_eq!(covers, covers_brute(&texts[i], &texts[j]), "{p} covers {q}");
            table[i * n + j] = covers;
        }
    }
    for i in 0..n {
        assert!(table[i * n + i], "{} covers itself", texts[i]);
        for j in 0..n {
            if i != j {
                assert!(!(table[i * n + j] && table[j * n + i]), "{i} {j}");
            }
            for k in 0..n {
                if table[i * n + j] && table[j * n + k] {
                    assert!(table[i * n + k], "{} {} {}", texts[i], texts[j], texts[k]);
                }
            }
        }
    }
}

proptest! {
    #![proptest_config(config())]

    /// `p.covers(q)` iff every name of the enumerated space that `q` matches, `p` matches.
    #[test]
    fn covers_equals_brute_force(p in small_pattern(), q in small_pattern()) {
        let (pattern_p, pattern_q) = (Pattern::new(&p).unwrap(), Pattern::new(&q).unwrap());
        prop_assert_eq!(pattern_p.covers(&pattern_q), covers_brute(&p, &q), "{} covers {}", p, q);
    }

    /// `minimize` keeps exactly the patterns that no unequal pattern covers and no equal
    /// one precedes, and the kept patterns match the same names as the whole list.
    #[test]
    fn minimize_equals_brute_force(texts in prop::collection::vec(small_pattern(), 0..=24)) {
        let patterns = parse(&texts);
        let keep = minimize(&patterns);
        prop_assert_eq!(&keep, &minimize_brute(&patterns));
        let all = union_bits(texts.iter().map(String::as_str));
        let kept = union_bits(keep.iter().map(|&i| texts[i].as_str()));
        prop_assert_eq!(all, kept);
    }

    /// The same on longer patterns and lists, against the O(n^2) definition only.
    #[test]
    fn minimize_deep_equals_brute_force(texts in prop::collection::vec(deep_pattern(), 0..=24)) {
        let patterns = parse(&texts);
        let keep = minimize(&patterns);
        prop_assert_eq!(&keep, &minimize_brute(&patterns));
        // Nothing kept covers anything else kept.
        for &i in &keep {
            for &j in &keep {
                prop_assert!(i == j || !patterns[i].covers(&patterns[j]));
            }
        }
    }
}

// ---------------------------------------------------------------------------------------
// Large lists
// ---------------------------------------------------------------------------------------

/// 100,000 literal patterns under one `>`: only the `>` survives, first or last.
#[test]
fn minimize_100k_under_one_rest() {
    for at in [0, 100_000] {
        let mut patterns: Vec<Pattern> = (0..100_000)
            .map(|i| Pattern::new(&format!("svc.type.{i}")).unwrap())
            .collect();
        patterns.insert(at, Pattern::new("svc.>").unwrap());
        assert_eq!(minimize(&patterns), [at]);
    }
}

/// A reset-like mix: 100,000 literals `svcS.colC.itemI` over 100 services of 10
/// collections, `svcS.colC.*` for every collection of the even services, and `svcS.>` for
/// services 0, 10, 20, ..., 90. What survives: the `>` patterns, the `*` patterns of even
/// services without a `>`, and the literals of odd services.
#[test]
fn minimize_100k_mixed() {
    let mut texts = Vec::new();
    for s in 0..100 {
        for c in 0..10 {
            for i in 0..100 {
                texts.push(format!("svc{s}.col{c}.item{i}"));
            }
        }
    }
    for s in (0..100).step_by(2) {
        for c in 0..10 {
            texts.push(format!("svc{s}.col{c}.*"));
        }
    }
    for s in (0..100).step_by(10) {
        texts.push(format!("svc{s}.>"));
    }
    // Duplicates of everything: all dropped.
    let originals = texts.len();
    texts.extend_from_within(..);
    let patterns = parse(&texts);
    let keep = minimize(&patterns);
    let service = |text: &str| -> usize { text[3..text.find('.').unwrap()].parse().unwrap() };
    let expected: Vec<usize> = (0..originals)
        .filter(|&i| {
            let (text, s) = (&texts[i], service(&texts[i]));
            if text.ends_with('>') {
                true
            } else if text.ends_with('*') {
                s % 10 != 0
            } else {
                s % 2 == 1
            }
        })
        .collect();
    assert_eq!(keep.len(), 10 + 40 * 10 + 50 * 1_000);
    assert_eq!(keep, expected);
}
