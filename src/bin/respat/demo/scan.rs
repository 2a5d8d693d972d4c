//! Today's gateway, for comparison: a `HashSet<String>` of cached IDs, scanned in full on
//! every reset (the Resgate approach), and an estimate of its heap.

use hashbrown::HashSet;
use std::mem;

use respat::{baseline, Pattern};

pub use respat::baseline::Token;

/// The tokens of each pattern.
pub fn tokens(patterns: &[Pattern]) -> Vec<Vec<Token<'_>>> {
    patterns.iter().map(baseline::tokens).collect()
}

/// The linear scan: every cached ID, its query stripped at the first `?`, tested against
/// every pattern until one matches. Each matching ID is pushed once onto `hits`.
pub fn scan<'c>(cache: &'c HashSet<String>, patterns: &[Vec<Token<'_>>], hits: &mut Vec<&'c str>) {
    baseline::scan(cache, patterns, |id| hits.push(id));
}

/// Estimated heap bytes owned by `cache`: its buckets (a `String` and a control byte each,
/// plus one trailing group of 16 control bytes) and the strings' own buffers. Allocator
/// overhead is not counted.
pub fn heap_estimate(cache: &HashSet<String>) -> usize {
    let strings: usize = cache.iter().map(String::capacity).sum();
    match buckets(cache.capacity()) {
        // An empty table allocates nothing.
        0 => strings,
        b => b * (mem::size_of::<String>() + 1) + 16 + strings,
    }
}

/// The bucket count behind a hash table capacity: a power of two, at most 7/8 full (all
/// but one bucket below 8).
fn buckets(capacity: usize) -> usize {
    match capacity {
        0 => 0,
        1..=7 => (capacity + 1).next_power_of_two(),
        _ => (capacity / 7 * 8).next_power_of_two(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn check(pattern: &str, name: &str) {
        let parsed = Pattern::new(pattern).unwrap();
        let tokens = tokens(std::slice::from_ref(&parsed));
        assert_eq!(
            baseline::is_match(&tokens[0], name.as_bytes()),
            parsed.matches(name),
            "{pattern} vs {name}"
        );
    }

    #[test]
    fn agrees_with_the_library() {
        let patterns = [
            "a", "a.b", "a.*", "*.b", "a.>", "a.*.>", "*", ">", "ab.c", "a.bc", "a.b.c", "*.*.*",
            "a.*.c", "*.>",
        ];
        let names = [
            "a", "b", "ab", "a.b", "a.bc", "ab.c", "a.b.c", "a.x.c", "a.b.c.d", "x.b", "a.b.cd",
        ];
        for pattern in patterns {
            for name in names {
                check(pattern, name);
            }
        }
    }

    #[test]
    fn scan_strips_queries() {
        let cache: HashSet<String> = ["a.b", "a.b?x=1", "a.b?q=a.b.c", "a.bc?x", "a.b.c"]
            .iter()
            .map(|s| s.to_string())
            .collect();
        let patterns = [Pattern::new("a.b").unwrap()];
        let mut hits = Vec::new();
        scan(&cache, &tokens(&patterns), &mut hits);
        hits.sort_unstable();
        assert_eq!(hits, ["a.b", "a.b?q=a.b.c", "a.b?x=1"]);
    }

    #[test]
    fn bucket_counts_match_capacities() {
        for n in [0, 1, 3, 4, 7, 8, 14, 15, 100, 1000, 100_000] {
            let set: HashSet<String> = (0..n).map(|i| i.to_string()).collect();
            let b = buckets(set.capacity());
            assert!(b == 0 || b.is_power_of_two());
            assert!(b >= set.len(), "{n}: {b} buckets");
            let cap = if b < 8 {
                b.saturating_sub(1)
            } else {
                b / 8 * 7
            };
            assert_eq!(cap, set.capacity(), "{n}");
        }
    }
}
