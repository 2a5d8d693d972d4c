//! Every vector of `tests/data/vectors.json` (a copy of `../shared/cases/vectors.json`),
//! checked against every layer it applies to: the parsers, the reference matcher,
//! `PatternSet`, `ResourceIndex` (single patterns and joint resolution), `Reset` and the
//! `system.reset` payload parser.
//!
//! Each section's test collects every failure (each naming its vector) before failing, and
//! asserts that it checked every vector of its section, so it cannot pass vacuously.
#![cfg(feature = "json")]

use std::collections::BTreeSet;

use respat::{
    reference, Name, Pattern, PatternId, PatternSet, Reset, ResetList, ResetPayload, ResourceId,
    ResourceIndex,
};
use serde_json::Value;

const VECTORS: &str = include_str!("data/vectors.json");

/// The sections this file knows how to check.
const SECTIONS: [&str; 7] = [
    "names", "ids", "patterns", "matches", "sets", "resets", "events",
];

fn vectors() -> Value {
    serde_json::from_str(VECTORS).expect("tests/data/vectors.json is valid JSON")
}

/// The vectors of one section, each with a label that names it in failure messages.
fn section(name: &str) -> Vec<(String, Value)> {
    let all = vectors();
    let items = all[name]
        .as_array()
        .unwrap_or_else(|| panic!("vectors.json has no `{name}` array"));
    assert!(!items.is_empty(), "section `{name}` is empty");
    items
        .iter()
        .enumerate()
        .map(|(i, v)| {
            let mut label = format!("{name}[{i}] {v}");
            if label.len() > 200 {
                let mut cut = 200;
                while !label.is_char_boundary(cut) {
                    cut -= 1;
                }
                label.truncate(cut);
                label.push_str("...");
            }
            (label, v.clone())
        })
        .collect()
}

fn str_field<'a>(v: &'a Value, key: &str, label: &str) -> &'a str {
    v[key]
        .as_str()
        .unwrap_or_else(|| panic!("{label}: `{key}` is not a string"))
}

fn bool_field(v: &Value, key: &str, label: &str) -> bool {
    v[key]
        .as_bool()
        .unwrap_or_else(|| panic!("{label}: `{key}` is not a boolean"))
}

fn str_list(v: &Value, key: &str, label: &str) -> Vec<String> {
    v[key]
        .as_array()
        .unwrap_or_else(|| panic!("{label}: `{key}` is not an array"))
        .iter()
        .map(|s| {
            s.as_str()
                .unwrap_or_else(|| panic!("{label}: `{key}` has a non-string item"))
                .to_string()
        })
        .collect()
}

/// Collects failures so that one run reports every broken vector, not just the first.
struct Report {
    section: &'static str,
    checked: usize,
    failures: Vec<String>,
}

impl Report {
    fn new(section: &'static str) -> Report {
        Report {
            section,
            checked: 0,
            failures: Vec::new(),
        }
    }

    fn check(&mut self, ok: bool, label: &str, what: impl FnOnce() -> String) {
        if !ok {
            self.failures.push(format!("{label}: {}", what()));
        }
    }

    fn eq<A: PartialEq + std::fmt::Debug>(&mut self, got: A, want: A, label: &str, what: &str) {
        if got != want {
            self.failures
                .push(format!("{label}: {what}: got {got:?}, expected {want:?}"));
        }
    }

    /// Fails with every collected failure; also fails if fewer than `expected` vectors (the
    /// whole section) were checked.
    fn finish(self, expected: usize) {
        assert!(self.checked > 0, "no `{}` vector was checked", self.section);
        assert_eq!(
            self.checked, expected,
            "only {} of {} `{}` vectors were checked",
            self.checked, expected, self.section
        );
        assert!(
            self.failures.is_empty(),
            "{} failure(s) in `{}` ({} vectors checked):\n{}",
            self.failures.len(),
            self.section,
            self.checked,
            self.failures.join("\n")
        );
        eprintln!("{}: {} vectors checked", self.section, self.checked);
    }
}

/// An error message must be one line, start with `invalid KIND "` and point into the input.
fn check_error(r: &mut Report, label: &str, err: &respat::Error, input: &str, noun: &str) {
    let text = err.to_string();
    let prefix = format!("invalid {noun} \"");
    r.check(text.starts_with(&prefix), label, || {
        format!("error message {text:?} does not start with {prefix:?}")
    });
    r.check(!text.contains('\n') && !text.contains('\r'), label, || {
        format!("error message {text:?} is not one line")
    });
    r.check(err.offset() <= input.len(), label, || {
        format!(
            "error offset {} is beyond the input ({} bytes)",
            err.offset(),
            input.len()
        )
    });
    r.eq(err.input(), input, label, "error input");
    r.check(
        text.ends_with(&format!(" at byte {}", err.offset())),
        label,
        || format!("error message {text:?} does not end with the offset"),
    );
}

fn sorted_ids<'a, T: 'a>(entries: impl Iterator<Item = respat::IndexEntry<'a, T>>) -> Vec<String> {
    let mut ids: Vec<String> = entries.map(|e| e.id()).collect();
    ids.sort();
    ids
}

/// `ids` has no two equal items (`ids` is sorted).
fn has_duplicates(ids: &[String]) -> bool {
    ids.windows(2).any(|w| w[0] == w[1])
}

#[test]
fn every_section_is_known_and_checked() {
    let all = vectors();
    let object = all.as_object().expect("vectors.json is an object");
    for key in object.keys() {
        assert!(
            key == "about" || SECTIONS.contains(&key.as_str()),
            "vectors.json has a section `{key}` that tests/vectors.rs does not check"
        );
    }
    for key in SECTIONS {
        assert!(
            object.contains_key(key),
            "vectors.json lacks section `{key}`"
        );
    }
}

/// The copy in `tests/data` is the shared file, when the shared file is at hand (it is not
/// in a clone of the crate alone).
#[test]
fn vectors_are_a_current_copy_of_the_shared_file() {
    let shared =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../shared/cases/vectors.json");
    match std::fs::read_to_string(&shared) {
        Ok(text) => assert!(
            text == VECTORS,
            "tests/data/vectors.json differs from {}: copy it again",
            shared.display()
        ),
        // A checkout without the shared specifications beside it: nothing to compare, and
        // the run says so rather than passing as if it had compared.
        Err(error) => eprintln!(
            "vectors: not compared with {} ({error}): the copy is not checked",
            shared.display()
        ),
    }
}

#[test]
fn names() {
    let vectors = section("names");
    let mut r = Report::new("names");
    for (label, v) in &vectors {
        let input = str_field(v, "input", label);
        let valid = bool_field(v, "valid", label);
        r.eq(
            reference::is_valid_name(input),
            valid,
            label,
            "reference::is_valid_name",
        );
        match Name::new(input) {
            Ok(name) => {
                r.check(valid, label, || "Name::new accepted an invalid name".into());
                r.eq(name.as_str(), input, label, "Name::as_str");
                r.eq(name.to_string(), input.to_string(), label, "Name Display");
                let parts: Vec<&str> = name.parts().collect();
                r.eq(
                    parts.join("."),
                    input.to_string(),
                    label,
                    "Name::parts joined",
                );
                r.eq(
                    name.part_count(),
                    input.split('.').count(),
                    label,
                    "Name::part_count",
                );
                r.eq(
                    name.part(name.part_count()),
                    None,
                    label,
                    "Name::part past the end",
                );
            }
            Err(err) => {
                r.check(!valid, label, || {
                    format!("Name::new rejected a valid name: {err}")
                });
                check_error(&mut r, label, &err, input, "name");
            }
        }
        if valid {
            // A valid name is a valid resource ID without a query...
            match ResourceId::new(input) {
                Ok(id) => {
                    r.eq(
                        id.name().as_str(),
                        input,
                        label,
                        "ResourceId::name of a name",
                    );
                    r.eq(id.query(), None, label, "ResourceId::query of a name");
                }
                Err(err) => r.check(false, label, || {
                    format!("a valid name is not a valid resource id: {err}")
                }),
            }
            r.eq(
                reference::split_id(input),
                Some((input, None)),
                label,
                "reference::split_id",
            );
            // ...and a valid literal pattern that matches exactly itself.
            match Pattern::new(input) {
                Ok(pattern) => {
                    r.check(pattern.is_literal(), label, || {
                        "pattern is not literal".into()
                    });
                    r.check(pattern.matches(input), label, || {
                        "the literal pattern does not match its own name".into()
                    });
                    r.check(reference::matches(input, input), label, || {
                        "reference: the literal pattern does not match its own name".into()
                    });
                }
                Err(err) => r.check(false, label, || {
                    format!("a valid name is not a valid pattern: {err}")
                }),
            }
            r.check(reference::is_valid_pattern(input), label, || {
                "reference: a valid name is not a valid pattern".into()
            });
        } else if !input.contains('?') {
            // Without a `?`, an invalid name is an invalid ID too.
            r.check(ResourceId::new(input).is_err(), label, || {
                "an invalid name without '?' is accepted as a resource id".into()
            });
            r.eq(
                reference::split_id(input),
                None,
                label,
                "reference::split_id",
            );
        }
        r.checked += 1;
    }
    r.finish(vectors.len());
}

/// A small index that the `ids` vectors are inserted into.
fn base_index() -> ResourceIndex<usize> {
    let mut index = ResourceIndex::new();
    for (i, id) in ["test.other", "test.model.23?x=1", "a.b.c.d", "other.thing?"]
        .into_iter()
        .enumerate()
    {
        index.insert(id, 1000 + i).unwrap();
    }
    index
}

#[test]
fn ids() {
    let vectors = section("ids");
    let mut r = Report::new("ids");
    for (i, (label, v)) in vectors.iter().enumerate() {
        let input = str_field(v, "input", label);
        let valid = bool_field(v, "valid", label);
        let want = valid.then(|| {
            let name = str_field(v, "name", label);
            let query = match &v["query"] {
                Value::Null => None,
                Value::String(q) => Some(q.as_str()),
                other => panic!("{label}: `query` is {other}"),
            };
            (name, query)
        });
        r.eq(
            reference::split_id(input),
            want,
            label,
            "reference::split_id",
        );
        match ResourceId::new(input) {
            Ok(id) => {
                r.check(valid, label, || {
                    "ResourceId::new accepted an invalid id".into()
                });
                if let Some((name, query)) = want {
                    r.eq(id.as_str(), input, label, "ResourceId::as_str");
                    r.eq(
                        id.to_string(),
                        input.to_string(),
                        label,
                        "ResourceId Display",
                    );
                    r.eq(id.name().as_str(), name, label, "ResourceId::name");
                    r.eq(id.query(), query, label, "ResourceId::query");
                    r.check(Name::new(name).is_ok(), label, || {
                        "the name of a valid id is not a valid name".into()
                    });
                }
            }
            Err(err) => {
                r.check(!valid, label, || {
                    format!("ResourceId::new rejected a valid id: {err}")
                });
                check_error(&mut r, label, &err, input, "resource id");
            }
        }

        // Insertion into an index.
        let mut index = base_index();
        assert!(
            !index.contains(input),
            "{label}: base_index() must not hold the vector's id"
        );
        let before = (index.len(), index.node_count(), index.memory_usage());
        let value = i;
        match index.insert(input, value) {
            Ok(old) => {
                r.check(valid, label, || {
                    "ResourceIndex::insert accepted an invalid id".into()
                });
                r.eq(old, None, label, "ResourceIndex::insert of a new id");
                r.eq(
                    index.len(),
                    before.0 + 1,
                    label,
                    "ResourceIndex::len after insert",
                );
                r.eq(
                    index.get(input),
                    Some(&value),
                    label,
                    "ResourceIndex::get after insert",
                );
                r.check(index.contains(input), label, || {
                    "contains() is false after insert".into()
                });
                r.eq(
                    index.insert(input, value + 1).ok(),
                    Some(Some(value)),
                    label,
                    "ResourceIndex::insert of the same id again",
                );
                r.eq(
                    index.len(),
                    before.0 + 1,
                    label,
                    "ResourceIndex::len after re-insert",
                );
                if let Some((name, _)) = want {
                    // The ID is found by the literal pattern of its name, and by `>`.
                    let pattern = Pattern::new(name).unwrap();
                    let found = sorted_ids(index.matches(&pattern));
                    r.check(found.iter().any(|id| id == input), label, || {
                        format!("the pattern of its name does not find the id: {found:?}")
                    });
                    let all = Pattern::new(">").unwrap();
                    r.eq(
                        index.count(&all),
                        index.len(),
                        label,
                        "count(>) after insert",
                    );
                }
                r.eq(
                    index.remove(input),
                    Some(value + 1),
                    label,
                    "ResourceIndex::remove",
                );
                r.eq(
                    (index.len(), index.node_count()),
                    (before.0, before.1),
                    label,
                    "(len, node_count) after insert + remove",
                );
                r.eq(
                    index.get(input),
                    None,
                    label,
                    "ResourceIndex::get after remove",
                );
            }
            Err(err) => {
                r.check(!valid, label, || {
                    format!("ResourceIndex::insert rejected a valid id: {err}")
                });
                check_error(&mut r, label, &err, input, "resource id");
                r.eq(
                    (index.len(), index.node_count(), index.memory_usage()),
                    before,
                    label,
                    "(len, node_count, memory_usage) after a failed insert",
                );
                r.eq(
                    index.get(input),
                    None,
                    label,
                    "ResourceIndex::get of an invalid id",
                );
                r.eq(
                    index.remove(input),
                    None,
                    label,
                    "ResourceIndex::remove of an invalid id",
                );
            }
        }
        // The same into an empty index.
        let mut empty = ResourceIndex::new();
        let fresh = (empty.len(), empty.node_count(), empty.memory_usage());
        let inserted = empty.insert(input, ()).is_ok();
        r.eq(
            inserted,
            valid,
            label,
            "ResourceIndex::insert into an empty index",
        );
        if !inserted {
            r.eq(
                (empty.len(), empty.node_count(), empty.memory_usage()),
                fresh,
                label,
                "an empty index after a failed insert",
            );
        }
        r.checked += 1;
    }
    r.finish(vectors.len());
}

#[test]
fn patterns() {
    let vectors = section("patterns");
    let mut r = Report::new("patterns");
    for (label, v) in &vectors {
        let input = str_field(v, "input", label);
        let valid = bool_field(v, "valid", label);
        r.eq(
            reference::is_valid_pattern(input),
            valid,
            label,
            "reference::is_valid_pattern",
        );
        r.eq(
            input.parse::<Pattern>().is_ok(),
            valid,
            label,
            "str::parse::<Pattern>",
        );
        let mut set = PatternSet::new();
        set.insert_str("unrelated.*", 0).unwrap();
        let before = (set.len(), set.node_count(), set.memory_usage());
        match Pattern::new(input) {
            Ok(pattern) => {
                r.check(valid, label, || {
                    "Pattern::new accepted an invalid pattern".into()
                });
                r.eq(
                    pattern.to_string(),
                    input.to_string(),
                    label,
                    "Pattern Display",
                );
                r.eq(pattern.as_str(), input, label, "Pattern::as_str");
                r.eq(
                    Pattern::new(&pattern.to_string()).ok(),
                    Some(pattern.clone()),
                    label,
                    "Pattern re-parsed from its Display",
                );
                r.eq(
                    pattern.part_count(),
                    input.split('.').count(),
                    label,
                    "part_count",
                );
                r.eq(
                    pattern.is_literal(),
                    input.split('.').all(|p| p != "*" && p != ">"),
                    label,
                    "Pattern::is_literal",
                );
                match set.insert_str(input, 1) {
                    Ok(id) => {
                        r.eq(
                            set.pattern(id),
                            Some(pattern.clone()),
                            label,
                            "PatternSet::pattern",
                        );
                        r.eq(set.get(id), Some(&1), label, "PatternSet::get");
                    }
                    Err(err) => r.check(false, label, || {
                        format!("PatternSet::insert_str rejected a valid pattern: {err}")
                    }),
                }
            }
            Err(err) => {
                r.check(!valid, label, || {
                    format!("Pattern::new rejected a valid pattern: {err}")
                });
                check_error(&mut r, label, &err, input, "pattern");
                r.check(set.insert_str(input, 1).is_err(), label, || {
                    "PatternSet::insert_str accepted an invalid pattern".into()
                });
                r.eq(
                    (set.len(), set.node_count(), set.memory_usage()),
                    before,
                    label,
                    "(len, node_count, memory_usage) after a failed insert_str",
                );
            }
        }
        r.checked += 1;
    }
    r.finish(vectors.len());
}

#[test]
fn matches() {
    let vectors = section("matches");
    let mut r = Report::new("matches");
    for (label, v) in &vectors {
        let pattern_text = str_field(v, "pattern", label);
        let name = str_field(v, "name", label);
        let want = bool_field(v, "match", label);
        r.eq(
            reference::matches(pattern_text, name),
            want,
            label,
            "reference::matches",
        );
        r.eq(
            reference::matches_id(&[pattern_text], name),
            want,
            label,
            "reference::matches_id",
        );
        let pattern = match Pattern::new(pattern_text) {
            Ok(pattern) => pattern,
            Err(err) => {
                // An invalid pattern matches nothing.
                r.check(!want, label, || {
                    format!("the pattern does not parse: {err}")
                });
                r.checked += 1;
                continue;
            }
        };
        r.eq(pattern.matches(name), want, label, "Pattern::matches");
        if let Ok(parsed) = Name::new(name) {
            r.eq(
                pattern.matches_name(&parsed),
                want,
                label,
                "Pattern::matches_name",
            );
        } else {
            r.check(!want, label, || {
                "a match is expected for an invalid name".into()
            });
        }

        // A set holding just this pattern.
        let mut set = PatternSet::new();
        let id = set.insert(&pattern, "only");
        r.eq(set.is_match(name), want, label, "PatternSet::is_match");
        let expect_ids: Vec<PatternId> = if want { vec![id] } else { vec![] };
        r.eq(
            set.matches(name),
            expect_ids.clone(),
            label,
            "PatternSet::matches",
        );
        if let Ok(parsed) = Name::new(name) {
            r.eq(
                set.is_match_name(&parsed),
                want,
                label,
                "PatternSet::is_match_name",
            );
            let mut out = vec![id, id, id];
            set.matches_into(&parsed, &mut out);
            r.eq(out, expect_ids, label, "PatternSet::matches_into");
        }

        // An index holding just this name.
        let mut index = ResourceIndex::new();
        match index.insert(name, 7u32) {
            Ok(_) => {
                let expect: Vec<String> = if want { vec![name.to_string()] } else { vec![] };
                let found: Vec<(String, u32)> = index
                    .matches(&pattern)
                    .map(|e| (e.id(), *e.value()))
                    .collect();
                let want_found: Vec<(String, u32)> =
                    expect.iter().map(|id| (id.clone(), 7)).collect();
                r.eq(found, want_found, label, "ResourceIndex::matches");
                r.eq(
                    index.count(&pattern),
                    expect.len(),
                    label,
                    "ResourceIndex::count",
                );
                r.eq(
                    sorted_ids(index.resolve(&set)),
                    expect.clone(),
                    label,
                    "ResourceIndex::resolve",
                );

                // The same name with query variants: the query never takes part.
                for query in ["?", "?x=*.>", "?a.b?c"] {
                    index.insert(&format!("{name}{query}"), 8).unwrap();
                }
                let expect: Vec<String> = if want {
                    let mut ids: Vec<String> = ["", "?", "?a.b?c", "?x=*.>"]
                        .iter()
                        .map(|q| format!("{name}{q}"))
                        .collect();
                    ids.sort();
                    ids
                } else {
                    vec![]
                };
                r.eq(
                    sorted_ids(index.matches(&pattern)),
                    expect.clone(),
                    label,
                    "ResourceIndex::matches with query variants",
                );
                r.eq(
                    index.count(&pattern),
                    expect.len(),
                    label,
                    "ResourceIndex::count with query variants",
                );
                r.eq(
                    sorted_ids(index.resolve(&set)),
                    expect,
                    label,
                    "ResourceIndex::resolve with query variants",
                );
            }
            Err(err) => r.check(!want, label, || {
                format!("the name of a matching vector is not a valid id: {err}")
            }),
        }
        r.checked += 1;
    }
    r.finish(vectors.len());
}

#[test]
fn sets() {
    let vectors = section("sets");
    let mut r = Report::new("sets");
    for (label, v) in &vectors {
        let patterns = str_list(v, "patterns", label);
        let name = str_field(v, "name", label);
        let mut want: Vec<usize> = v["matches"]
            .as_array()
            .unwrap_or_else(|| panic!("{label}: `matches` is not an array"))
            .iter()
            .map(|i| i.as_u64().expect("an index") as usize)
            .collect();
        want.sort();

        let reference_hits: Vec<usize> = (0..patterns.len())
            .filter(|&i| reference::matches(&patterns[i], name))
            .collect();
        r.eq(
            reference_hits,
            want.clone(),
            label,
            "reference::matches per pattern",
        );

        let mut set = PatternSet::new();
        let mut ids = Vec::new();
        for (i, p) in patterns.iter().enumerate() {
            match set.insert_str(p, i) {
                Ok(id) => ids.push(id),
                Err(err) => {
                    r.check(false, label, || {
                        format!("pattern {i} {p:?} does not parse: {err}")
                    });
                }
            }
        }
        if ids.len() != patterns.len() {
            r.checked += 1;
            continue;
        }
        r.eq(set.len(), patterns.len(), label, "PatternSet::len");
        let index_of = |hits: &[PatternId]| -> Vec<Option<usize>> {
            let mut found: Vec<Option<usize>> = hits
                .iter()
                .map(|hit| ids.iter().position(|id| id == hit))
                .collect();
            found.sort();
            found
        };
        let want_found: Vec<Option<usize>> = want.iter().map(|&i| Some(i)).collect();
        let hits = set.matches(name);
        r.eq(
            index_of(&hits),
            want_found.clone(),
            label,
            "PatternSet::matches (as indices)",
        );
        for hit in &hits {
            let position = ids.iter().position(|id| id == hit);
            r.eq(
                set.get(*hit).copied(),
                position,
                label,
                "PatternSet::get of a match",
            );
        }
        r.eq(
            set.is_match(name),
            !want.is_empty(),
            label,
            "PatternSet::is_match",
        );
        match Name::new(name) {
            Ok(parsed) => {
                let mut out = ids.clone();
                set.matches_into(&parsed, &mut out);
                r.eq(
                    index_of(&out),
                    want_found,
                    label,
                    "PatternSet::matches_into",
                );
                r.eq(
                    set.is_match_name(&parsed),
                    !want.is_empty(),
                    label,
                    "PatternSet::is_match_name",
                );
            }
            Err(_) => r.check(want.is_empty(), label, || {
                "matches are expected for an invalid name".into()
            }),
        }
        r.checked += 1;
    }
    r.finish(vectors.len());
}

#[test]
fn resets() {
    let vectors = section("resets");
    let mut r = Report::new("resets");
    for (label, v) in &vectors {
        let cached = str_list(v, "cached", label);
        let patterns = str_list(v, "patterns", label);
        let expect = str_list(v, "expect", label);
        let invalid = str_list(v, "invalid", label);
        let mut sorted_expect = expect.clone();
        sorted_expect.sort();
        r.eq(
            &sorted_expect,
            &expect,
            label,
            "the vector's `expect` is sorted bytewise",
        );

        let mut index = ResourceIndex::new();
        for (i, id) in cached.iter().enumerate() {
            if let Err(err) = index.insert(id, i) {
                r.check(false, label, || {
                    format!("cached id {id:?} is rejected: {err}")
                });
            }
        }

        // The reference: a scan of every cached ID.
        let mut scanned: Vec<String> = cached
            .iter()
            .filter(|id| reference::matches_id(&patterns, id))
            .cloned()
            .collect();
        scanned.sort();
        scanned.dedup();
        r.eq(&scanned, &expect, label, "reference scan");
        let reference_invalid: Vec<&String> = patterns
            .iter()
            .filter(|p| !reference::is_valid_pattern(p))
            .collect();
        r.eq(
            reference_invalid,
            invalid.iter().collect(),
            label,
            "reference invalid patterns",
        );

        let none: [&str; 0] = [];
        for list in [ResetList::Resources, ResetList::Access] {
            let reset = match list {
                ResetList::Resources => Reset::new(&patterns, none),
                ResetList::Access => Reset::new(none, &patterns),
            };
            let resolved = reset.resolve(&index);
            let (got, other) = match list {
                ResetList::Resources => (resolved.resources_ids(), resolved.access_ids()),
                ResetList::Access => (resolved.access_ids(), resolved.resources_ids()),
            };
            r.eq(
                &got,
                &expect,
                label,
                &format!("Reset::resolve, {list} list"),
            );
            r.eq(
                other,
                vec![],
                label,
                &format!("Reset::resolve, the list other than {list}"),
            );
            let reported: Vec<&str> = reset.invalid().iter().map(|p| p.pattern()).collect();
            r.eq(
                reported,
                invalid.iter().map(String::as_str).collect(),
                label,
                &format!("Reset::invalid, patterns in the {list} list"),
            );
            for bad in reset.invalid() {
                r.eq(bad.list(), list, label, "InvalidPattern::list");
                r.eq(
                    patterns.get(bad.position()).map(String::as_str),
                    Some(bad.pattern()),
                    label,
                    "InvalidPattern::position",
                );
            }
            let valid: Vec<&str> = reset.patterns(list).iter().map(|p| p.as_str()).collect();
            let want_valid: Vec<&str> = patterns
                .iter()
                .map(String::as_str)
                .filter(|p| !invalid.iter().any(|i| i == p))
                .collect();
            r.eq(
                valid,
                want_valid,
                label,
                &format!("Reset::patterns({list})"),
            );
            r.eq(
                sorted_ids(index.resolve(reset.pattern_set(list))),
                expect.clone(),
                label,
                &format!("ResourceIndex::resolve(Reset::pattern_set({list}))"),
            );
        }

        // Both lists at once, and through a JSON payload.
        let both = Reset::new(&patterns, &patterns);
        let resolved = both.resolve(&index);
        r.eq(
            resolved.resources_ids(),
            expect.clone(),
            label,
            "Reset (both lists): resources",
        );
        r.eq(
            resolved.access_ids(),
            expect.clone(),
            label,
            "Reset (both lists): access",
        );
        r.eq(
            both.invalid().len(),
            2 * invalid.len(),
            label,
            "Reset (both lists): invalid count",
        );
        let payload = serde_json::json!({ "resources": patterns, "access": patterns }).to_string();
        match Reset::from_json(payload.as_bytes()) {
            Ok(reset) => {
                let resolved = reset.resolve(&index);
                r.eq(
                    resolved.resources_ids(),
                    expect.clone(),
                    label,
                    "Reset::from_json: resources",
                );
                r.eq(
                    resolved.access_ids(),
                    expect.clone(),
                    label,
                    "Reset::from_json: access",
                );
            }
            Err(err) => r.check(false, label, || format!("Reset::from_json failed: {err}")),
        }

        // A PatternSet of the valid patterns, resolved directly.
        let mut set = PatternSet::new();
        let mut compiled = Vec::new();
        for p in &patterns {
            if let Ok(pattern) = Pattern::new(p) {
                set.insert(&pattern, ());
                compiled.push(pattern);
            }
        }
        let direct = sorted_ids(index.resolve(&set));
        r.check(!has_duplicates(&direct), label, || {
            format!("ResourceIndex::resolve yields an id twice: {direct:?}")
        });
        r.eq(
            direct,
            expect.clone(),
            label,
            "ResourceIndex::resolve(PatternSet)",
        );

        // The union of per-pattern matches, de-duplicated.
        let mut union = BTreeSet::new();
        let mut counted = 0;
        for pattern in &compiled {
            let ids = sorted_ids(index.matches(pattern));
            r.check(!has_duplicates(&ids), label, || {
                format!("ResourceIndex::matches({pattern}) yields an id twice: {ids:?}")
            });
            r.eq(
                index.count(pattern),
                ids.len(),
                label,
                &format!("count({pattern})"),
            );
            counted += ids.len();
            union.extend(ids);
        }
        r.check(counted >= union.len(), label, || "impossible count".into());
        r.eq(
            union.into_iter().collect::<Vec<_>>(),
            expect.clone(),
            label,
            "union of ResourceIndex::matches per pattern",
        );
        r.checked += 1;
    }
    r.finish(vectors.len());
}

#[test]
fn events() {
    let vectors = section("events");
    let mut r = Report::new("events");
    for (label, v) in &vectors {
        let payload = str_field(v, "payload", label);
        let ok = bool_field(v, "ok", label);
        let parsed = ResetPayload::parse(payload.as_bytes());
        let compiled = Reset::from_json(payload.as_bytes());
        r.eq(parsed.is_ok(), ok, label, "ResetPayload::parse succeeds");
        r.eq(compiled.is_ok(), ok, label, "Reset::from_json succeeds");
        match (&parsed, &compiled) {
            (Ok(parsed), Ok(reset)) if ok => {
                let resources = str_list(v, "resources", label);
                let access = str_list(v, "access", label);
                r.eq(
                    &parsed.resources,
                    &resources,
                    label,
                    "ResetPayload::resources",
                );
                r.eq(&parsed.access, &access, label, "ResetPayload::access");
                for (list, items) in [
                    (ResetList::Resources, &resources),
                    (ResetList::Access, &access),
                ] {
                    let valid: Vec<&str> = items
                        .iter()
                        .map(String::as_str)
                        .filter(|p| reference::is_valid_pattern(p))
                        .collect();
                    let got: Vec<&str> = reset.patterns(list).iter().map(|p| p.as_str()).collect();
                    r.eq(
                        got,
                        valid,
                        label,
                        &format!("Reset::from_json patterns({list})"),
                    );
                }
                let invalid: Vec<&str> = resources
                    .iter()
                    .chain(&access)
                    .map(String::as_str)
                    .filter(|p| !reference::is_valid_pattern(p))
                    .collect();
                let got: Vec<&str> = reset.invalid().iter().map(|p| p.pattern()).collect();
                r.eq(got, invalid, label, "Reset::from_json invalid");
                r.eq(
                    reset.is_empty(),
                    reset.patterns(ResetList::Resources).is_empty()
                        && reset.patterns(ResetList::Access).is_empty(),
                    label,
                    "Reset::is_empty",
                );
            }
            _ => {
                for err in [parsed.as_ref().err(), compiled.as_ref().err()]
                    .into_iter()
                    .flatten()
                {
                    let text = err.to_string();
                    r.check(text.starts_with("invalid reset payload: "), label, || {
                        format!("payload error {text:?} does not start with \"invalid reset payload: \"")
                    });
                    r.check(!text.contains('\n'), label, || {
                        format!("payload error {text:?} is not one line")
                    });
                    r.check(err.offset() <= payload.len(), label, || {
                        format!(
                            "payload error offset {} is beyond the payload",
                            err.offset()
                        )
                    });
                }
            }
        }
        r.checked += 1;
    }
    r.finish(vectors.len());
}
