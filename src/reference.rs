//! The naive reference: semantics.md transcribed as plainly as possible, with no shared code.
//!
//! It is the oracle of the property tests, the fuzz targets and the benchmarks' linear scan,
//! so it favours obviousness over speed. Not part of the stable API.

/// Whether `part` is a valid literal part: non-empty printable ASCII without `. * > ?`.
pub fn is_valid_part(part: &str) -> bool {
    !part.is_empty()
        && part
            .bytes()
            .all(|b| (0x21..=0x7e).contains(&b) && !b".*>?".contains(&b))
}

/// Whether `name` is a valid resource name.
pub fn is_valid_name(name: &str) -> bool {
    name.split('.').all(is_valid_part)
}

/// Splits a resource ID into name and query, or `None` if the ID is invalid.
pub fn split_id(id: &str) -> Option<(&str, Option<&str>)> {
    let (name, query) = match id.split_once('?') {
        Some((name, query)) => (name, Some(query)),
        None => (id, None),
    };
    is_valid_name(name).then_some((name, query))
}

/// Whether `pattern` is a valid pattern.
pub fn is_valid_pattern(pattern: &str) -> bool {
    let parts: Vec<&str> = pattern.split('.').collect();
    let last = parts.len() - 1;
    parts
        .iter()
        .enumerate()
        .all(|(i, &part)| part == "*" || (part == ">" && i == last) || is_valid_part(part))
}

/// Whether `pattern` matches `name`; false if either is invalid.
pub fn matches(pattern: &str, name: &str) -> bool {
    if !is_valid_pattern(pattern) || !is_valid_name(name) {
        return false;
    }
    let pattern: Vec<&str> = pattern.split('.').collect();
    let name: Vec<&str> = name.split('.').collect();
    for (i, &p) in pattern.iter().enumerate() {
        if p == ">" {
            return name.len() > i;
        }
        match name.get(i) {
            Some(&n) if p == "*" || p == n => {}
            _ => return false,
        }
    }
    pattern.len() == name.len()
}

/// Whether any of `patterns` matches the name of resource ID `id`; false if `id` is invalid.
pub fn matches_id<S: AsRef<str>>(patterns: &[S], id: &str) -> bool {
    split_id(id).is_some_and(|(name, _)| patterns.iter().any(|p| matches(p.as_ref(), name)))
}
