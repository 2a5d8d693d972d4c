//! Hostile and extreme input (issue 5): names and patterns of 100,000 parts, megabyte IDs,
//! 10,000 `*` parts against 10,000-part names, every byte value in every position, a reset
//! of 100,000 patterns against 100,000 IDs, a 10 MiB payload, 10^6 identical patterns, and
//! every kind of broken `system.reset` payload.
//!
//! No test measures time. The sizes are fixed (the same in the debug and release profiles)
//! and large enough that a quadratic step would take minutes instead of the milliseconds to
//! seconds these tests take: 100,000 parts squared is 10^10 steps.

use respat::corpus::Rng;
use respat::{
    minimize, reference, ErrorKind, Name, Pattern, PatternId, PatternSet, Reset, ResetList,
    ResourceId, ResourceIndex,
};

// ---------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------

/// `n` parts joined by `.`, part `i` being `part(i)`.
fn join(n: usize, part: impl Fn(usize) -> String) -> String {
    let mut out = String::with_capacity(n * 6);
    for i in 0..n {
        if i > 0 {
            out.push('.');
        }
        out.push_str(&part(i));
    }
    out
}

/// An error message is one line: no line break and no control character of any kind
/// (a raw ESC or NUL from the input would reach a terminal or a log otherwise).
fn assert_one_line(message: &str) {
    assert!(
        !message.chars().any(char::is_control),
        "not one clean line: {message:?}"
    );
}

/// Sorted IDs of index entries, checking that none is reported twice.
fn ids_once<'a, T: 'a>(entries: impl Iterator<Item = respat::IndexEntry<'a, T>>) -> Vec<String> {
    let mut ids: Vec<String> = entries.map(|e| e.id()).collect();
    ids.sort_unstable();
    let before = ids.len();
    ids.dedup();
    assert_eq!(before, ids.len(), "an ID was reported twice");
    ids
}

fn sorted(mut ids: Vec<PatternId>) -> Vec<PatternId> {
    ids.sort_unstable();
    ids
}

// ---------------------------------------------------------------------------------------
// Names and patterns of 100,000 parts
// ---------------------------------------------------------------------------------------

const DEEP: usize = 100_000;

/// The name `p0.p1.p2...` of `n` parts (parts repeat every 1,000, so labels stay short).
fn deep_name(n: usize) -> String {
    join(n, |i| format!("p{}", i % 1000))
}

/// Deep names and patterns of `n` parts (`n` even), and which pattern matches which name.
struct Deep {
    /// [`NAMES`] order: the name, its last part changed, one part fewer, one part more,
    /// then the short names `p0` and `p0.p1`.
    names: Vec<String>,
    /// [`PATTERNS`] order: the name as a literal, every odd part `*`, all `*`, the name's
    /// first `n - 1` parts then `>`, `n - 1` parts of `*` then `>`, and four short ones.
    patterns: Vec<String>,
}

const NAMES: [&str; 6] = ["name", "last differs", "shorter", "longer", "p0", "p0.p1"];
const PATTERNS: [&str; 9] = [
    "literal",
    "alternating",
    "stars",
    "rest",
    "stars rest",
    ">",
    "*.>",
    "p0.>",
    "*",
];

/// `MATCHES[name][pattern]`: worked out by hand from semantics.md, and checked against the
/// reference on small `n` (the reference itself is too slow at 100,000 parts in debug).
const MATCHES: [[bool; 9]; 6] = {
    const O: bool = true;
    const X: bool = false;
    [
        [O, O, O, O, O, O, O, O, X], // name
        [X, O, O, O, O, O, O, O, X], // last differs (the alternating pattern ends in `*`)
        [X, X, X, X, X, O, O, O, X], // shorter
        [X, X, X, O, O, O, O, O, X], // longer
        [X, X, X, X, X, O, X, X, O], // p0
        [X, X, X, X, X, O, O, O, X], // p0.p1
    ]
};

fn deep(n: usize) -> Deep {
    assert!(n % 2 == 0 && n >= 4);
    let name = deep_name(n);
    let prefix = &name[..name.rfind('.').expect("parts")];
    let stars = |n: usize| join(n, |_| "*".to_string());
    Deep {
        names: vec![
            name.clone(),
            format!("{prefix}.zz"),
            prefix.to_string(),
            format!("{name}.p0"),
            "p0".to_string(),
            "p0.p1".to_string(),
        ],
        patterns: vec![
            name.clone(),
            join(n, |i| {
                if i % 2 == 1 {
                    "*".to_string()
                } else {
                    format!("p{}", i % 1000)
                }
            }),
            stars(n),
            format!("{prefix}.>"),
            format!("{}.>", stars(n - 1)),
            ">".to_string(),
            "*.>".to_string(),
            "p0.>".to_string(),
            "*".to_string(),
        ],
    }
}

#[test]
fn deep_expectations_agree_with_the_reference() {
    for n in [4, 6, 12] {
        let d = deep(n);
        for (i, name) in d.names.iter().enumerate() {
            for (j, pattern) in d.patterns.iter().enumerate() {
                assert_eq!(
                    reference::matches(pattern, name),
                    MATCHES[i][j],
                    "{} ({name}) against {} ({pattern})",
                    NAMES[i],
                    PATTERNS[j]
                );
            }
        }
    }
}

#[test]
fn deep_inputs_parse_display_and_report_faults_at_depth() {
    let d = deep(DEEP);
    let text = &d.names[0];
    let name = Name::new(text).expect("deep name");
    assert_eq!(name.part_count(), DEEP);
    assert_eq!(name.parts().len(), DEEP);
    assert_eq!(name.part(DEEP - 1), Some("p999"));
    assert_eq!(name.part(DEEP), None);
    assert_eq!(name.to_string(), *text);

    let id_text = format!("{text}?q=1");
    let id = ResourceId::new(&id_text).expect("deep id");
    assert_eq!(id.name().part_count(), DEEP);
    assert_eq!(id.query(), Some("q=1"));

    for (j, text) in d.patterns.iter().enumerate().take(5) {
        let pattern = Pattern::new(text).expect("deep pattern");
        assert_eq!(pattern.to_string(), *text);
        assert_eq!(pattern.part_count(), DEEP);
        assert_eq!(pattern.is_literal(), j == 0);
    }

    // Faults deep inside: found, at the right byte, and the message stays short.
    let len = text.len();
    let cases: Vec<(String, ErrorKind, usize)> = vec![
        (format!("{text}."), ErrorKind::EmptyPart, len + 1),
        (format!("{text}..x"), ErrorKind::EmptyPart, len + 1),
        (format!("{text}.*"), ErrorKind::WildcardInName, len + 1),
        (format!("{text} "), ErrorKind::InvalidByte, len),
        (format!("{text}?"), ErrorKind::QuestionMark, len),
    ];
    for (text, kind, offset) in cases {
        let err = Name::new(&text).expect_err("invalid deep name");
        assert_eq!((err.kind(), err.offset()), (kind, offset));
        let message = err.to_string();
        assert_one_line(&message);
        assert!(message.len() < 300, "{} bytes", message.len());
        assert!(
            message.ends_with(&format!(" at byte {offset}")),
            "{message}"
        );
    }
    let stars = &d.patterns[2];
    let err = Pattern::new(&format!("{stars}.>.x")).expect_err("> not last");
    assert_eq!(
        (err.kind(), err.offset()),
        (ErrorKind::FullWildcardNotLast, stars.len() + 1)
    );
    let err = Pattern::new(&format!("{stars}.a*")).expect_err("partial *");
    assert_eq!(
        (err.kind(), err.offset()),
        (ErrorKind::PartialWildcard, stars.len() + 2)
    );
}

#[test]
fn deep_pattern_set_matches_round_trips_and_empties() {
    let d = deep(DEEP);
    let empty = PatternSet::<usize>::new().memory_usage();
    let mut set = PatternSet::new();
    let handles: Vec<PatternId> = d
        .patterns
        .iter()
        .enumerate()
        .map(|(j, text)| set.insert_str(text, j).expect("valid"))
        .collect();
    assert_eq!(set.len(), PATTERNS.len());
    // The literal pattern is not in the trie; the other deep ones share little.
    assert!(set.node_count() > 2 * DEEP);

    for (i, name) in d.names.iter().enumerate() {
        let want: Vec<PatternId> = (0..PATTERNS.len())
            .filter(|&j| MATCHES[i][j])
            .map(|j| handles[j])
            .collect();
        assert_eq!(
            sorted(set.matches(name)),
            sorted(want.clone()),
            "{}",
            NAMES[i]
        );
        assert_eq!(set.is_match(name), !want.is_empty());
    }

    // `pattern(id)` rebuilds each deep pattern exactly.
    for (text, &handle) in d.patterns.iter().zip(&handles) {
        assert_eq!(
            set.pattern(handle).as_ref().map(Pattern::as_str),
            Some(text.as_str())
        );
    }

    for (j, &handle) in handles.iter().enumerate().rev() {
        assert_eq!(set.remove(handle), Some(j));
    }
    assert!(set.is_empty());
    assert_eq!(set.node_count(), 1);
    assert_eq!(set.memory_usage(), empty);
}

#[test]
fn deep_resource_index_matches_counts_resolves_and_empties() {
    let d = deep(DEEP);
    let empty = ResourceIndex::<usize>::new().memory_usage();
    // Every name, and the deep name once more with a query.
    let mut ids: Vec<(String, usize)> = d.names.iter().cloned().zip(0..).collect();
    ids.push((format!("{}?page=2", d.names[0]), 0));
    let mut index = ResourceIndex::new();
    for (k, (id, _)) in ids.iter().enumerate() {
        assert_eq!(index.insert(id, k).expect("valid id"), None);
    }
    assert_eq!(index.len(), ids.len());
    assert_eq!(index.get(&ids[6].0), Some(&6));
    assert!(index.contains(&d.names[3]));

    // Which IDs a group of patterns covers, from the table.
    let want = |group: &[usize]| -> Vec<String> {
        let mut w: Vec<String> = ids
            .iter()
            .filter(|(_, i)| group.iter().any(|&j| MATCHES[*i][j]))
            .map(|(id, _)| id.clone())
            .collect();
        w.sort_unstable();
        w
    };
    for (j, text) in d.patterns.iter().enumerate() {
        let pattern = Pattern::new(text).expect("valid");
        let expected = want(&[j]);
        assert_eq!(
            ids_once(index.matches(&pattern)),
            expected,
            "{}",
            PATTERNS[j]
        );
        assert_eq!(index.count(&pattern), expected.len(), "{}", PATTERNS[j]);
    }

    // The deep patterns at once, through the joint walk and as a reset.
    let deep_ones = [0, 1, 2, 3, 4];
    let mut set = PatternSet::new();
    for &j in &deep_ones {
        set.insert_str(&d.patterns[j], ()).expect("valid");
    }
    let expected = want(&deep_ones);
    assert_eq!(ids_once(index.resolve(&set)), expected);
    let reset = Reset::new(&d.patterns[..5], [">"]);
    assert!(reset.invalid().is_empty());
    let resolution = reset.resolve(&index);
    assert_eq!(resolution.resources_ids(), expected);
    assert_eq!(resolution.access.len(), ids.len());

    for (k, (id, _)) in ids.iter().enumerate() {
        assert_eq!(index.remove(id), Some(k));
    }
    assert!(index.is_empty());
    assert_eq!(index.node_count(), 1);
    assert_eq!(index.memory_usage(), empty);
}

#[test]
fn deep_covers_and_minimize() {
    let d = deep(DEEP);
    let [literal, alternating, stars, rest, stars_rest]: [Pattern; 5] =
        std::array::from_fn(|j| Pattern::new(&d.patterns[j]).expect("valid"));
    let all = Pattern::new(">").expect("valid");
    assert!(stars.covers(&literal) && stars.covers(&alternating));
    assert!(alternating.covers(&literal) && !literal.covers(&alternating));
    assert!(rest.covers(&literal) && !rest.covers(&alternating));
    assert!(!stars.covers(&rest) && !rest.covers(&stars));
    assert!(stars_rest.covers(&stars) && stars_rest.covers(&rest));
    assert!(all.covers(&stars_rest) && !stars_rest.covers(&all));
    assert!(literal.covers(&literal));

    // `literal` and `alternating` are covered by `stars` (and `literal` by `rest`).
    let list = [&literal, &alternating, &literal, &stars, &rest];
    assert_eq!(minimize(&list), [3, 4]);
    let list = [&literal, &alternating, &stars, &rest, &stars_rest];
    assert_eq!(minimize(&list), [4]);
}

// ---------------------------------------------------------------------------------------
// A mebibyte in one part, and in one query
// ---------------------------------------------------------------------------------------

const MIB: usize = 1 << 20;

#[test]
fn one_mebibyte_part_and_query() {
    let part = "x".repeat(MIB);
    let name_then = format!("{part}.y");
    let query_id = format!("a.b?{}", "q".repeat(MIB));
    let mut index = ResourceIndex::new();
    for (i, id) in [&part, &name_then, &query_id].into_iter().enumerate() {
        assert_eq!(index.insert(id, i).expect("valid"), None);
    }
    assert!(index.memory_usage() >= 2 * MIB);
    assert_eq!(index.get(&part), Some(&0));
    assert_eq!(index.get(&query_id), Some(&2));
    assert_eq!(index.get("a.b"), None);
    assert_eq!(
        ResourceId::new(&query_id).expect("id").name().as_str(),
        "a.b"
    );

    let count = |text: &str| index.count(&Pattern::new(text).expect("valid"));
    assert_eq!(count(&part), 1);
    assert_eq!(count(&name_then), 1);
    assert_eq!(count("*"), 1);
    assert_eq!(count("*.y"), 1);
    assert_eq!(count("a.b"), 1);
    assert_eq!(count(">"), 3);
    let literal = Pattern::new(&part).expect("valid");
    let found: Vec<String> = index.matches(&literal).map(|e| e.id()).collect();
    assert_eq!(found, [part.as_str()]);
    let found: Vec<String> = index
        .matches(&Pattern::new("a.*").expect("valid"))
        .map(|e| e.id())
        .collect();
    assert_eq!(found, [query_id.as_str()]);

    // A set of megabyte patterns, matched by megabyte names.
    let mut set = PatternSet::new();
    let exact = set.insert_str(&part, ()).expect("valid");
    let then_star = set.insert_str(&format!("{part}.*"), ()).expect("valid");
    let star_y = set.insert_str("*.y", ()).expect("valid");
    assert_eq!(set.matches(&part), [exact]);
    assert_eq!(
        sorted(set.matches(&name_then)),
        sorted(vec![then_star, star_y])
    );
    assert!(set.matches(&format!("{part}x")).is_empty());
    assert_eq!(
        set.pattern(then_star).map(|p| p.to_string()),
        Some(format!("{part}.*"))
    );
    assert_eq!(
        ids_once(index.resolve(&set)),
        [part.clone(), name_then.clone()]
    );

    // An invalid byte at the very end of a mebibyte: found there, with a short message.
    let bad = format!("{}\u{7f}", "x".repeat(MIB - 1));
    for err in [
        Name::new(&bad).expect_err("DEL"),
        ResourceId::new(&bad).expect_err("DEL"),
        Pattern::new(&bad).expect_err("DEL"),
        index.insert(&bad, 9).expect_err("DEL"),
    ] {
        assert_eq!(
            (err.kind(), err.offset()),
            (ErrorKind::InvalidByte, MIB - 1)
        );
        assert_eq!(err.byte(), Some(0x7f));
        let message = err.to_string();
        assert_one_line(&message);
        assert!(message.len() < 300, "{} bytes", message.len());
    }

    let empty = ResourceIndex::<usize>::new().memory_usage();
    for id in [&part, &name_then, &query_id] {
        assert!(index.remove(id).is_some());
    }
    assert_eq!(
        (index.node_count(), index.memory_usage()),
        (1, empty),
        "megabyte labels and queries are given back"
    );
}

// ---------------------------------------------------------------------------------------
// 10,000 `*` parts against 10,000-part names; 100,000 parts against `>` and `*.>`
// ---------------------------------------------------------------------------------------

#[test]
fn ten_thousand_stars_against_ten_thousand_parts() {
    const N: usize = 10_000;
    let stars = |n: usize| join(n, |_| "*".to_string());
    let name = |n: usize| join(n, |i| format!("n{}", i % 97));
    let (exact, short, long) = (name(N), name(N - 1), name(N + 1));

    let mut set = PatternSet::new();
    let s_n = set.insert_str(&stars(N), ()).expect("valid");
    let s_short = set.insert_str(&stars(N - 1), ()).expect("valid");
    let s_long = set.insert_str(&stars(N + 1), ()).expect("valid");
    let s_rest = set
        .insert_str(&format!("{}.>", stars(N - 1)), ())
        .expect("valid");
    // Literal and `*` branches at every level: the walk keeps at most a few states alive.
    let lit = set.insert_str(&exact, ()).expect("valid");
    let mixed = set
        .insert_str(
            &join(N, |i| {
                if i % 3 == 0 {
                    "*".to_string()
                } else {
                    format!("n{}", i % 97)
                }
            }),
            (),
        )
        .expect("valid");
    assert_eq!(
        sorted(set.matches(&exact)),
        sorted(vec![s_n, s_rest, lit, mixed])
    );
    assert_eq!(set.matches(&short), [s_short]);
    assert_eq!(sorted(set.matches(&long)), sorted(vec![s_long, s_rest]));
    assert_eq!(set.matches(&name(N - 2)), []);

    let mut index = ResourceIndex::new();
    for id in [&exact, &short, &long] {
        index.insert(id, ()).expect("valid");
    }
    let star_pattern = Pattern::new(&stars(N)).expect("valid");
    let found: Vec<String> = index.matches(&star_pattern).map(|e| e.id()).collect();
    assert_eq!(found, [exact.as_str()]);
    assert_eq!(index.count(&star_pattern), 1);
    assert_eq!(
        ids_once(index.resolve(&set)),
        ids_once(index.iter()),
        "every ID is matched by some pattern"
    );
    let only_stars: PatternSet<()> = [(&star_pattern, ())].into_iter().collect();
    assert_eq!(ids_once(index.resolve(&only_stars)), [exact]);
}

#[test]
fn hundred_thousand_parts_against_rest() {
    let name = deep_name(DEEP);
    let mut index = ResourceIndex::new();
    index.insert(&name, ()).expect("valid");
    index.insert("p0", ()).expect("valid");
    for (text, want) in [(">", 2), ("*.>", 1), ("p0.>", 1), ("*.*.>", 1)] {
        let pattern = Pattern::new(text).expect("valid");
        assert!(pattern.matches(&name));
        let found = ids_once(index.matches(&pattern));
        assert_eq!(found.len(), want, "{text}");
        assert!(found.contains(&name));
        assert_eq!(index.count(&pattern), want);
    }
    let mut set = PatternSet::new();
    let all = set.insert_str(">", ()).expect("valid");
    let below = set.insert_str("*.>", ()).expect("valid");
    assert_eq!(sorted(set.matches(&name)), sorted(vec![all, below]));
    assert_eq!(set.matches("p0"), [all]);
    assert_eq!(ids_once(index.resolve(&set)).len(), 2);
}

// ---------------------------------------------------------------------------------------
// Every byte value in every position
// ---------------------------------------------------------------------------------------

#[derive(Clone, Copy, PartialEq, Debug)]
enum Input {
    Name,
    Id,
    Pattern,
}

/// Templates with one `@` where the byte goes: alone, start, middle of a part, end, right
/// after a `.`, a whole middle part, a whole last part; and, for IDs, inside the query.
const TEMPLATES: &[&str] = &[
    "@",
    "@ab.c",
    "a.b@c.d",
    "a.bc@",
    "a.@b",
    "a.@.b",
    "a.b.@",
    "a@",
    "ab.c?@",
    "ab.c?x=@&y",
    "ab.c?x@",
    "@?q",
    "a.@?q",
];

/// The offset of the first empty part of `name`, if any.
fn first_empty_part(name: &str) -> Option<usize> {
    let mut at = 0;
    for part in name.split('.') {
        if part.is_empty() {
            return Some(at);
        }
        at += part.len() + 1;
    }
    None
}

/// The fault the parser must report for `text`, which is a template with `c` at `pos`:
/// the first fault in byte order (the library reports the first one), written from
/// semantics.md independently of the library's scanner.
fn expected_fault(input: Input, text: &str, pos: usize, c: char) -> Option<(ErrorKind, usize)> {
    // Where the name ends: at the first `?` for an ID; a name or pattern has no query.
    let name_end = match input {
        Input::Id => text.find('?').unwrap_or(text.len()),
        _ => text.len(),
    };
    let name = &text[..name_end];
    let mut faults = Vec::new();
    if pos < name_end {
        if !('\u{21}'..='\u{7e}').contains(&c) {
            faults.push((ErrorKind::InvalidByte, pos));
        } else if c == '*' || c == '>' {
            match input {
                Input::Name | Input::Id => faults.push((ErrorKind::WildcardInName, pos)),
                Input::Pattern => {
                    let start = name[..pos].rfind('.').map_or(0, |d| d + 1);
                    let end = name[pos..].find('.').map_or(name_end, |d| pos + d);
                    if end - start != 1 {
                        faults.push((ErrorKind::PartialWildcard, pos));
                    } else if c == '>' && end != name_end {
                        faults.push((ErrorKind::FullWildcardNotLast, pos));
                    }
                }
            }
        }
    }
    if input != Input::Id {
        if let Some(q) = text.find('?') {
            faults.push((ErrorKind::QuestionMark, q));
        }
    }
    if let Some(at) = first_empty_part(name) {
        faults.push((ErrorKind::EmptyPart, at));
    }
    faults.into_iter().min_by_key(|&(_, at)| at)
}

fn check_fault(input: Input, text: &str, pos: usize, c: char, err: &respat::Error) {
    let noun = match input {
        Input::Name => "name",
        Input::Id => "resource id",
        Input::Pattern => "pattern",
    };
    let message = err.to_string();
    assert_one_line(&message);
    assert!(
        message.starts_with(&format!("invalid {noun} \"")),
        "{message}"
    );
    assert!(
        message.ends_with(&format!(" at byte {}", err.offset())),
        "{message}"
    );
    assert_eq!(err.input(), text);
    assert!(err.offset() <= text.len());
    let caret = err.caret();
    assert_eq!(caret.lines().count(), 2, "{caret:?}");
    assert!(caret.lines().all(|l| !l.chars().any(char::is_control)));
    assert!(caret.ends_with('^'));
    let (kind, offset) = expected_fault(input, text, pos, c)
        .unwrap_or_else(|| panic!("{input:?} {text:?} should be valid: {message}"));
    assert_eq!(
        (err.kind(), err.offset()),
        (kind, offset),
        "{input:?} {text:?}: {message}"
    );
    if kind == ErrorKind::InvalidByte {
        let lead = text.as_bytes()[offset];
        assert_eq!(err.byte(), Some(lead));
        assert!(message.contains(&format!("invalid byte 0x{lead:02x}")));
    }
}

#[test]
fn every_byte_in_every_position_of_names_ids_and_patterns() {
    let mut verdicts = [0usize; 2];
    for b in 0..=255u8 {
        // A `&str` cannot hold a lone byte 0x80..=0xFF: those go in as U+0080..=U+00FF, whose
        // UTF-8 encoding starts with 0xC2 or 0xC3 (raw invalid UTF-8 is the CLI's business).
        let c = char::from(b);
        for template in TEMPLATES {
            let pos = template.find('@').expect("@");
            let text = template.replacen('@', c.encode_utf8(&mut [0; 4]), 1);

            let name = Name::new(&text);
            assert_eq!(name.is_ok(), reference::is_valid_name(&text), "{text:?}");
            if let Err(err) = &name {
                check_fault(Input::Name, &text, pos, c, err);
            }
            let id = ResourceId::new(&text);
            assert_eq!(
                id.as_ref().ok().map(|id| (id.name().as_str(), id.query())),
                reference::split_id(&text),
                "{text:?}"
            );
            if let Err(err) = &id {
                check_fault(Input::Id, &text, pos, c, err);
            }
            let pattern = Pattern::new(&text);
            assert_eq!(
                pattern.is_ok(),
                reference::is_valid_pattern(&text),
                "{text:?}"
            );
            match &pattern {
                Err(err) => check_fault(Input::Pattern, &text, pos, c, err),
                Ok(p) => assert_eq!(p.to_string(), text),
            }
            // The structures accept exactly what the parsers accept.
            let mut index = ResourceIndex::new();
            assert_eq!(index.insert(&text, ()).is_ok(), id.is_ok());
            let mut set = PatternSet::new();
            assert_eq!(set.insert_str(&text, ()).is_ok(), pattern.is_ok());
            verdicts[usize::from(id.is_ok())] += 1;
        }
    }
    assert!(verdicts[0] > 1000 && verdicts[1] > 1000, "{verdicts:?}");
}

// ---------------------------------------------------------------------------------------
// Every byte value in every position of a payload
// ---------------------------------------------------------------------------------------

#[cfg(feature = "json")]
mod payload_bytes {
    use super::*;
    use respat::{PayloadErrorKind, ResetPayload};
    use serde_json::Value;

    /// The reference reading of a payload through `serde_json::Value`: `Ok` lists, or
    /// `Err(true)` for valid JSON of the wrong shape and `Err(false)` for broken JSON.
    fn reference_payload(payload: &[u8]) -> Result<(Vec<String>, Vec<String>), bool> {
        if payload.is_empty() {
            return Ok((Vec::new(), Vec::new()));
        }
        let value: Value = serde_json::from_slice(payload).map_err(|_| false)?;
        let Value::Object(map) = value else {
            return Err(true);
        };
        let list = |key: &str| -> Result<Vec<String>, bool> {
            match map.get(key) {
                None | Some(Value::Null) => Ok(Vec::new()),
                Some(Value::Array(items)) => items
                    .iter()
                    .map(|item| item.as_str().map(str::to_string).ok_or(true))
                    .collect(),
                Some(_) => Err(true),
            }
        };
        Ok((list("resources")?, list("access")?))
    }

    /// `ResetPayload::parse` and `Reset::from_json` against the reference.
    pub(super) fn check_payload(payload: &[u8]) -> Result<ResetPayload, respat::PayloadError> {
        let got = ResetPayload::parse(payload);
        let want = reference_payload(payload);
        let shown = String::from_utf8_lossy(payload);
        match (&got, &want) {
            (Ok(got), Ok((resources, access))) => {
                assert_eq!(
                    (&got.resources, &got.access),
                    (resources, access),
                    "{shown:?}"
                );
                let reset = respat::Reset::from_json(payload).expect("accepted twice");
                let invalid = resources
                    .iter()
                    .chain(access)
                    .filter(|p| !reference::is_valid_pattern(p))
                    .count();
                assert_eq!(reset.invalid().len(), invalid, "{shown:?}");
                for item in reset.invalid() {
                    assert_one_line(&item.to_string());
                }
            }
            (Err(err), Err(shape)) => {
                assert_one_line(&err.to_string());
                assert!(err.to_string().starts_with("invalid reset payload: "));
                assert!(err.offset() <= payload.len(), "{shown:?}");
                if *shape {
                    // Valid JSON: only its shape can be wrong.
                    assert_eq!(err.kind(), PayloadErrorKind::InvalidShape, "{shown:?}");
                }
                assert!(respat::Reset::from_json(payload).is_err());
            }
            _ => panic!("{shown:?}: respat {got:?}, reference {want:?}"),
        }
        got
    }

    #[test]
    fn every_escaped_byte_in_every_position_of_a_payload_pattern() {
        for b in 0..=255u8 {
            let c = char::from(b);
            for template in TEMPLATES.iter().filter(|t| !t.contains('?')) {
                let pos = template.find('@').expect("@");
                let escaped = template.replacen('@', &format!("\\u{b:04X}"), 1);
                let decoded = template.replacen('@', c.encode_utf8(&mut [0; 4]), 1);
                let payload =
                    format!(r#"{{"resources":["{escaped}","ok.>"],"access":["{escaped}"]}}"#);
                let parsed = check_payload(payload.as_bytes()).expect("escapes are valid JSON");
                assert_eq!(parsed.resources, [decoded.clone(), "ok.>".to_string()]);
                assert_eq!(parsed.access, [decoded.as_str()]);

                let reset = respat::Reset::from_json(payload.as_bytes()).expect("valid");
                let valid = reference::is_valid_pattern(&decoded);
                assert_eq!(
                    reset.invalid().len(),
                    if valid { 0 } else { 2 },
                    "{decoded:?}"
                );
                for (item, list) in reset
                    .invalid()
                    .iter()
                    .zip([ResetList::Resources, ResetList::Access])
                {
                    assert_eq!((item.list(), item.position()), (list, 0));
                    assert_eq!(item.pattern(), decoded);
                    let err = Pattern::new(&decoded).expect_err("invalid");
                    assert_eq!(item.error(), &err);
                    if !('\u{21}'..='\u{7e}').contains(&c) {
                        assert_eq!(
                            (err.kind(), err.offset()),
                            (ErrorKind::InvalidByte, pos),
                            "{decoded:?}"
                        );
                    }
                    assert_one_line(&item.to_string());
                }
                // The good pattern of the same event still applies.
                let resources = reset.patterns(ResetList::Resources);
                assert!(resources.iter().any(|p| p.as_str() == "ok.>"));
                assert_eq!(resources.len(), if valid { 2 } else { 1 });
            }
        }
    }

    /// A raw line feed inside a string is refused at its own offset (serde_json reports it
    /// as column 0 of the next line).
    #[test]
    fn raw_newline_offset() {
        let payload = b"{\"resources\":[\"a\nb\"]}";
        assert_eq!(payload[16], b'\n');
        let err = ResetPayload::parse(payload).expect_err("control character");
        assert_eq!(err.kind(), PayloadErrorKind::InvalidJson);
        assert_eq!(err.offset(), 16, "{err}");
    }

    #[test]
    fn every_raw_byte_in_every_position_of_a_payload() {
        let base = br#"{"resources":["a.b","c.*"],"access":[">"],"x":1}"#;
        // Where a string's content starts and ends (between the quotes).
        let in_string = |pos: usize| {
            let quotes = base[..pos].iter().filter(|&&q| q == b'"').count();
            quotes % 2 == 1
        };
        let mut outcomes = [0usize; 2];
        for b in 0..=255u8 {
            // The byte alone as a payload.
            let _ = check_payload(&[b]);
            for pos in 0..=base.len() {
                let mut payload = base.to_vec();
                payload.insert(pos, b);
                let got = check_payload(&payload);
                outcomes[usize::from(got.is_ok())] += 1;
                // A control byte or a lone non-ASCII byte inside a string: the error points
                // at it. (A raw newline is off by one: see `raw_newline_offset`.)
                if in_string(pos) && b != b'\n' && !(0x20..0x80).contains(&b) {
                    let err = got.expect_err("raw control or non-UTF-8 byte in a string");
                    assert_eq!(err.kind(), PayloadErrorKind::InvalidJson);
                    assert_eq!(
                        err.offset(),
                        pos,
                        "byte 0x{b:02x} at {pos}: {err} in {:?}",
                        String::from_utf8_lossy(&payload)
                    );
                }
            }
        }
        assert!(outcomes[0] > 1000 && outcomes[1] > 1000, "{outcomes:?}");
    }
}

// ---------------------------------------------------------------------------------------
// A reset of 100,000 patterns against 100,000 IDs
// ---------------------------------------------------------------------------------------

/// IDs `s{s}.t{t}.n{n}` for 100 services, 10 types and 95 numbers, plus a `?page=2`
/// variant for numbers below 5: exactly 100,000 IDs on 95,000 names.
fn grid_ids() -> Vec<(String, (usize, usize, usize))> {
    let mut ids = Vec::with_capacity(100_000);
    for s in 0..100 {
        for t in 0..10 {
            for n in 0..95 {
                ids.push((format!("s{s}.t{t}.n{n}"), (s, t, n)));
                if n < 5 {
                    ids.push((format!("s{s}.t{t}.n{n}?page=2"), (s, t, n)));
                }
            }
        }
    }
    ids
}

/// Whether the big reset's `resources` list covers the ID of (s, t, n), by construction.
fn grid_covered(s: usize, t: usize, n: usize) -> bool {
    s % 4 == 0 || (s % 4 == 1 && t < 5) || (t == 9 && n < 20) || (s % 4 == 2 && s < 50)
}

/// The big reset's `resources` list: 100,000 valid patterns, shuffled.
fn grid_patterns(rng: &mut Rng) -> Vec<String> {
    let mut matching = Vec::new();
    // Literals: every name of the services s % 4 == 0 (23,750 patterns).
    for s in (0..100).step_by(4) {
        for t in 0..10 {
            for n in 0..95 {
                matching.push(format!("s{s}.t{t}.n{n}"));
            }
        }
    }
    // `*` last: types below 5 of the services s % 4 == 1.
    for s in (1..100).step_by(4) {
        for t in 0..5 {
            matching.push(format!("s{s}.t{t}.*"));
        }
    }
    // `*` first: numbers below 20 of type 9, in every service.
    for n in 0..20 {
        matching.push(format!("*.t9.n{n}"));
    }
    // `>`: the services s % 4 == 2 below 50.
    for s in (2..50).step_by(4) {
        matching.push(format!("s{s}.>"));
    }
    let mut patterns = matching.clone();
    // Duplicates of matching patterns.
    for _ in 0..10_000 {
        patterns.push(matching[rng.below(matching.len())].clone());
    }
    // Patterns that match nothing: wrong part, too many parts, too few parts.
    let mut i = 0;
    while patterns.len() < 100_000 {
        let (s, t, n) = (i % 100, (i / 100) % 10, i / 1000);
        patterns.push(match i % 6 {
            0 => format!("s{s}.t{t}.m{n}"),
            1 => format!("s{s}.t{t}.n{n}.*"),
            2 => format!("s{s}.t{t}.n{}.>", n % 95),
            3 => format!("*.t{t}.x{n}"),
            4 => format!("s{s}.*"),
            _ => format!("x{i}.>"),
        });
        i += 1;
    }
    rng.shuffle(&mut patterns);
    patterns
}

#[test]
fn reset_of_100k_patterns_against_100k_ids() {
    let mut rng = Rng(0xbad5eed);
    let ids = grid_ids();
    assert_eq!(ids.len(), 100_000);
    let mut index = ResourceIndex::new();
    for (id, key) in &ids {
        assert_eq!(index.insert(id, *key).expect("valid"), None);
    }
    let patterns = grid_patterns(&mut rng);
    assert_eq!(patterns.len(), 100_000);

    let mut want: Vec<String> = ids
        .iter()
        .filter(|(_, (s, t, n))| grid_covered(*s, *t, *n))
        .map(|(id, _)| id.clone())
        .collect();
    want.sort_unstable();
    // By construction: the 25 services s % 4 == 0 whole (1,000 IDs each), half the types
    // of the 25 services s % 4 == 1, the 12 services s % 4 == 2 below 50 whole, and the
    // 25 IDs of t9/n<20 in each of the other 63 services.
    let expected_count = 25 * 1000 + 25 * 500 + 12 * 1000 + 63 * 25;
    assert_eq!(want.len(), expected_count);

    // The reference: one covered and one uncovered ID against all 100,000 patterns, and
    // 20,000 random (pattern, ID) pairs, where a match must be a covered ID.
    for id in ["s3.t9.n4?page=2", "s3.t8.n19"] {
        let (s, t, n) = ids.iter().find(|(i, _)| i == id).expect("an ID").1;
        assert_eq!(
            reference::matches_id(&patterns, id),
            grid_covered(s, t, n),
            "{id}"
        );
    }
    // Soundness of the construction: a random pattern, made to fit a random grid name
    // (`*` and `>` filled in from it); whenever the reference says it matches, the name
    // must be covered.
    let names: std::collections::HashMap<&str, (usize, usize, usize)> =
        ids.iter().map(|(id, key)| (id.as_str(), *key)).collect();
    let mut pairs_matched = 0;
    for _ in 0..20_000 {
        let pattern = &patterns[rng.below(patterns.len())];
        let (_, (s, t, n)) = ids[rng.below(ids.len())];
        let parts = [format!("s{s}"), format!("t{t}"), format!("n{n}")];
        let mut fitted: Vec<&str> = Vec::new();
        for (k, part) in pattern.split('.').enumerate() {
            match part {
                "*" => fitted.push(parts.get(k).map_or("x", String::as_str)),
                ">" => fitted.extend(parts.iter().skip(k).map(String::as_str)),
                literal => fitted.push(literal),
            }
        }
        let name = fitted.join(".");
        if let Some(&(s, t, n)) = names.get(name.as_str()) {
            if reference::matches(pattern, &name) {
                assert!(grid_covered(s, t, n), "{pattern} matches {name}");
                pairs_matched += 1;
            }
        }
    }
    assert!(pairs_matched > 5_000, "{pairs_matched}");

    // One PatternSet of all 100,000 (duplicates and covered patterns included).
    let mut set = PatternSet::new();
    for pattern in &patterns {
        set.insert_str(pattern, ()).expect("valid");
    }
    assert_eq!(ids_once(index.resolve(&set)), want);

    // As a reset: with invalid patterns mixed in, and an `access` list.
    let mut resources = patterns.clone();
    let bad = [
        "s1..t1",
        "s1.t1*",
        "s1.t1.n1?x",
        "",
        "s1.>.n1",
        "s\u{e9}.t1",
    ];
    for (i, bad) in bad.iter().enumerate() {
        resources.insert(i * 997, bad.to_string());
    }
    let access = ["*.t3.n7", "s5.t5.*", "nothing.>"];
    let reset = Reset::new(&resources, access);
    assert_eq!(reset.invalid().len(), bad.len());
    for (item, (i, text)) in reset.invalid().iter().zip(bad.iter().enumerate()) {
        assert_eq!(
            (item.list(), item.position(), item.pattern()),
            (ResetList::Resources, i * 997, *text)
        );
    }
    assert_eq!(reset.patterns(ResetList::Resources).len(), 100_000);
    let resolution = reset.resolve(&index);
    assert_eq!(resolution.resources_ids(), want);
    let mut want_access: Vec<String> = ids
        .iter()
        .filter(|(_, (s, t, n))| (*t == 3 && *n == 7) || (*s == 5 && *t == 5))
        .map(|(id, _)| id.clone())
        .collect();
    want_access.sort_unstable();
    assert_eq!(resolution.access_ids(), want_access);
    assert_eq!(want_access.len(), 100 + 100);
    // The values come along with the IDs.
    for entry in &resolution.access {
        let (s, t, n) = *entry.value();
        assert!((t == 3 && n == 7) || (s == 5 && t == 5));
    }
}

// ---------------------------------------------------------------------------------------
// A 10 MiB payload
// ---------------------------------------------------------------------------------------

#[cfg(feature = "json")]
mod big_payload {
    use super::*;
    use respat::{PayloadErrorKind, ResetPayload};

    const TEN_MIB: usize = 10 << 20;

    #[test]
    fn ten_mebibyte_payload_of_patterns() {
        // Patterns of about 740 bytes (long parts: labels kept on the heap), 10 MiB in all,
        // one in a hundred invalid.
        let pad = "abcdefghijklmnopqrstuvwx".repeat(10);
        let mut resources = Vec::new();
        let mut size = 0;
        let mut i = 0usize;
        while size < TEN_MIB {
            let pattern = if i % 100 == 99 {
                format!("svc{}.{pad}..bad{i}", i % 50)
            } else {
                let last = if i % 10 == 0 {
                    "*".to_string()
                } else {
                    format!("{pad}{i}")
                };
                format!("svc{}.{pad}{}.{pad}{}.{last}", i % 50, i % 7, i % 11)
            };
            size += pattern.len() + 3;
            resources.push(pattern);
            i += 1;
        }
        let payload =
            serde_json::json!({"resources": resources, "access": ["svc1.>"], "x": [null]})
                .to_string();
        assert!(payload.len() >= TEN_MIB);

        let reset = Reset::from_json(payload.as_bytes()).expect("a good payload");
        let bad = resources.iter().filter(|p| p.contains("..")).count();
        assert!(bad > 50);
        assert_eq!(reset.invalid().len(), bad);
        assert_eq!(
            reset.patterns(ResetList::Resources).len(),
            resources.len() - bad
        );

        let mut index = ResourceIndex::new();
        let ids = [
            format!("svc0.{pad}0.{pad}0.{pad}0"),
            format!("svc0.{pad}0.{pad}0.anything?q=1"),
            format!("svc1.{pad}1.{pad}1.{pad}1"),
            format!("svc1.{pad}1.{pad}1.{pad}2"),
            "svc1".to_string(),
        ];
        for id in &ids {
            index.insert(id, ()).expect("valid");
        }
        let mut want: Vec<String> = ids
            .iter()
            .filter(|id| reference::matches_id(&resources, id))
            .cloned()
            .collect();
        want.sort_unstable();
        assert_eq!(want.len(), 3, "{want:?}");
        let resolution = reset.resolve(&index);
        assert_eq!(resolution.resources_ids(), want);
        assert_eq!(resolution.access_ids().len(), 2);
    }

    #[test]
    fn ten_mebibyte_strings_padding_and_truncation() {
        // One 10 MiB pattern (a single part), an ignored 10 MiB member, 10 MiB of spaces.
        let long = "p".repeat(TEN_MIB);
        let payload = format!(r#"{{"resources":["{long}"],"ignored":"{long}"}}"#);
        let parsed = ResetPayload::parse(payload.as_bytes()).expect("valid");
        assert_eq!(parsed.resources, [long.as_str()]);
        let reset = Reset::from_json(payload.as_bytes()).expect("valid");
        let mut index = ResourceIndex::new();
        index.insert(&long, ()).expect("valid");
        assert_eq!(reset.resolve(&index).resources.len(), 1);

        let spaces = " ".repeat(TEN_MIB / 4);
        let payload = format!(r#"{spaces}{{"access":{spaces}["a.>"]{spaces}}}{spaces}"#);
        let parsed = ResetPayload::parse(payload.as_bytes()).expect("valid");
        assert_eq!(parsed.access, ["a.>"]);

        // Cut short at the very end, and garbage after 10 MiB of good payload.
        let payload = format!(r#"{{"resources":["{long}"]"#);
        let err = ResetPayload::parse(payload.as_bytes()).expect_err("truncated");
        assert_eq!(err.kind(), PayloadErrorKind::InvalidJson);
        // The fault is the missing rest, after the last byte.
        assert_eq!(err.offset(), payload.len(), "{err}");
        assert_one_line(&err.to_string());
        assert!(err.to_string().len() < 300);
        let payload = format!(r#"{{"resources":["{long}"]}}x"#);
        let err = ResetPayload::parse(payload.as_bytes()).expect_err("trailing garbage");
        assert_eq!(err.kind(), PayloadErrorKind::InvalidJson);
        assert_eq!(err.offset(), payload.len() - 1);
        assert!(err.to_string().len() < 300);
    }

    /// A hostile payload must not turn into a hostile log line: an error about a 1 MiB
    /// string should not quote all of it (`respat::Error` quotes at most 96 bytes).
    #[test]
    fn payload_error_messages_stay_short() {
        let long = "x".repeat(MIB);
        for payload in [
            format!(r#"{{"resources":"{long}"}}"#),
            format!(r#"{{"access":["a", {{"{long}":1}}]}}"#),
            format!(r#"{{"resources":[1],"{long}":2}}"#),
        ] {
            let err = ResetPayload::parse(payload.as_bytes()).expect_err("wrong shape");
            let message = err.to_string();
            assert_one_line(&message);
            assert!(
                message.len() < 1024,
                "a {}-byte message for a {}-byte payload",
                message.len(),
                payload.len()
            );
        }
    }
}

// ---------------------------------------------------------------------------------------
// 10^6 identical patterns in one set
// ---------------------------------------------------------------------------------------

const MILLION: usize = 1_000_000;

/// Checks that `found` holds exactly the live handles `want`, each once, in O(n) (sorting
/// 10^6 handles would dominate the test in the debug profile). Live handles have distinct
/// slots.
fn assert_same_handles(found: &[PatternId], want: &[PatternId]) {
    assert_eq!(found.len(), want.len());
    let slots = want.iter().map(|h| h.slot() + 1).max().unwrap_or(0);
    let mut expected: Vec<Option<PatternId>> = vec![None; slots];
    for &h in want {
        expected[h.slot()] = Some(h);
    }
    let mut seen = vec![false; slots];
    for &h in found {
        assert_eq!(
            expected.get(h.slot()).copied().flatten(),
            Some(h),
            "unexpected handle"
        );
        assert!(!std::mem::replace(&mut seen[h.slot()], true), "{h:?} twice");
    }
}

/// Inserts `pattern` `n` times, matches `name` (every entry, once), removes the entries by
/// handle in random order, checking the matches halfway, and ends with an empty set.
fn identical_patterns(pattern: &str, name: &str, n: usize) {
    let mut rng = Rng(n as u64 ^ 0x1de);
    let empty = PatternSet::<u32>::new().memory_usage();
    let pattern = Pattern::new(pattern).expect("valid");
    let mut set = PatternSet::new();
    let mut handles: Vec<PatternId> = (0..n as u32).map(|i| set.insert(&pattern, i)).collect();
    assert_eq!(set.len(), n);
    assert_same_handles(&set.matches(name), &handles);
    let matches_any_name = pattern.as_str() == ">";
    assert_eq!(
        set.matches("no.such.name.here").len(),
        if matches_any_name { n } else { 0 }
    );

    rng.shuffle(&mut handles);
    let (first, second) = handles.split_at(n / 2);
    for &handle in first {
        assert!(set.remove(handle).is_some());
    }
    assert_eq!(set.len(), n - n / 2);
    assert_same_handles(&set.matches(name), second);
    assert_eq!(set.remove(first[0]), None, "a removed handle is stale");
    for &handle in second {
        assert!(set.remove(handle).is_some());
    }
    assert!(set.is_empty());
    assert!(set.matches(name).is_empty());
    assert_eq!(set.node_count(), 1);
    assert_eq!(set.memory_usage(), empty);
}

#[test]
fn million_identical_wildcard_patterns() {
    identical_patterns("a.*.c", "a.b.c", MILLION);
}

#[test]
fn million_identical_rest_patterns() {
    identical_patterns(">", "a.b.c", MILLION);
}

/// Literal patterns live in their own table: removing one of 10^6 identical ones must not
/// scan the others (that would be ~10^12 steps; it was, before e0bf63a).
#[test]
fn million_identical_literal_patterns() {
    identical_patterns("a.b.c", "a.b.c", MILLION);
}

// ---------------------------------------------------------------------------------------
// Broken system.reset payloads
// ---------------------------------------------------------------------------------------

#[cfg(feature = "json")]
mod broken_payloads {
    use super::*;
    use respat::{PayloadErrorKind, ResetPayload};

    const JSON: PayloadErrorKind = PayloadErrorKind::InvalidJson;
    const SHAPE: PayloadErrorKind = PayloadErrorKind::InvalidShape;

    #[test]
    fn every_way_of_breaking_a_payload_is_rejected_with_one_line() {
        let cases: &[(&[u8], PayloadErrorKind)] = &[
            // Broken JSON.
            (b"{", JSON),
            (b"}", JSON),
            (b"{\"resources\":", JSON),
            (br#"{"resources":["a.b"]"#, JSON),
            (br#"{"resources":["a.b}"#, JSON),
            (br#"{"resources":["a.b"]}}"#, JSON),
            (br#"{"resources":["a.b"]} {}"#, JSON),
            (br#"{"resources":["a.b"]}x"#, JSON),
            (br#"{'resources':['a.b']}"#, JSON),
            (br#"{resources:["a.b"]}"#, JSON),
            (br#"{"resources":["a.b",]}"#, JSON),
            (br#"{"resources":["a.b"],}"#, JSON),
            (br#"{"resources" ["a.b"]}"#, JSON),
            (br#"{"resources":["a.b" "c"]}"#, JSON),
            (b"// comment\n{}", JSON),
            (b"{} // comment", JSON),
            (br#"{"resources":[NaN]}"#, JSON),
            (br#"{"resources":["\x"]}"#, JSON),
            (br#"{"resources":["\ud800"]}"#, JSON),
            (b"{\"resources\":[\"a\nb\"]}", JSON),
            (b"{\"resources\":[\"a\x00b\"]}", JSON),
            (b"{\"resources\":[\"a\xffb\"]}", JSON),
            (b"{\"resources\":[\"\xc3\"]}", JSON),
            (b"\xef\xbb\xbf{}", JSON),
            (b"\xff", JSON),
            (b"\x00", JSON),
            (b" ", JSON),
            (b"\n\t\r ", JSON),
            // Not an object at the top.
            (b"[]", SHAPE),
            (br#"["a.b"]"#, SHAPE),
            (br#""a.b""#, SHAPE),
            (b"1", SHAPE),
            (b"-0.5e3", SHAPE),
            (b"null", SHAPE),
            (b"true", SHAPE),
            (b"false", SHAPE),
            // A member of the wrong type.
            (br#"{"resources":"a.b"}"#, SHAPE),
            (br#"{"resources":1}"#, SHAPE),
            (br#"{"resources":1.5}"#, SHAPE),
            (br#"{"resources":true}"#, SHAPE),
            (br#"{"resources":false}"#, SHAPE),
            (br#"{"resources":{}}"#, SHAPE),
            (br#"{"resources":{"a.b":true}}"#, SHAPE),
            (br#"{"access":"a.b"}"#, SHAPE),
            (br#"{"access":0}"#, SHAPE),
            (br#"{"access":{"0":"a.b"}}"#, SHAPE),
            (br#"{"resources":[],"access":"a.b"}"#, SHAPE),
            // A non-string item.
            (br#"{"resources":[1]}"#, SHAPE),
            (br#"{"resources":[null]}"#, SHAPE),
            (br#"{"resources":[true]}"#, SHAPE),
            (br#"{"resources":[["a.b"]]}"#, SHAPE),
            (br#"{"resources":[{"pattern":"a.b"}]}"#, SHAPE),
            (br#"{"resources":["a.b",1]}"#, SHAPE),
            (br#"{"resources":["a.b",null]}"#, SHAPE),
            (br#"{"access":["a.>",["b"]]}"#, SHAPE),
            // A member given twice.
            (br#"{"resources":[],"resources":[]}"#, SHAPE),
            (br#"{"access":null,"access":["a"]}"#, SHAPE),
        ];
        for &(payload, kind) in cases {
            let shown = String::from_utf8_lossy(payload);
            let err = ResetPayload::parse(payload).expect_err(&shown);
            assert_eq!(err.kind(), kind, "{shown:?}: {err}");
            assert!(err.offset() <= payload.len(), "{shown:?}: {err}");
            let message = err.to_string();
            assert_one_line(&message);
            assert!(message.starts_with("invalid reset payload: "), "{message}");
            assert!(
                message.ends_with(&format!(" at byte {}", err.offset())),
                "{message}"
            );
            assert_eq!(Reset::from_json(payload).map(|_| ()), Err(err));
        }
    }

    #[test]
    fn odd_but_valid_payloads_are_accepted() {
        let deep_unknown = format!(
            r#"{{"x":{}1{},"access":["a"]}}"#,
            "[".repeat(100_000),
            "]".repeat(100_000)
        );
        let cases: Vec<(Vec<u8>, &[&str], &[&str])> = vec![
            (b"".to_vec(), &[], &[]),
            (b"{}".to_vec(), &[], &[]),
            (b" \n{ }\r\n".to_vec(), &[], &[]),
            (br#"{"resources":null,"access":null}"#.to_vec(), &[], &[]),
            (br#"{"resources":[],"access":[]}"#.to_vec(), &[], &[]),
            (
                br#"{"access":["a"],"other":{"resources":[1]},"resources":["b"]}"#.to_vec(),
                &["b"],
                &["a"],
            ),
            (
                br#"{"Resources":[1],"resources":["x\u002ey"]}"#.to_vec(),
                &["x.y"],
                &[],
            ),
            (deep_unknown.into_bytes(), &[], &["a"]),
        ];
        for (payload, resources, access) in cases {
            let shown = String::from_utf8_lossy(&payload).into_owned();
            let parsed = ResetPayload::parse(&payload).unwrap_or_else(|e| panic!("{shown}: {e}"));
            assert_eq!(parsed.resources, resources, "{shown}");
            assert_eq!(parsed.access, access, "{shown}");
        }
    }

    #[test]
    fn deep_nesting_is_rejected_not_a_stack_overflow() {
        for payload in [
            format!(r#"{{"resources":{}"#, "[".repeat(1_000_000)),
            format!(r#"{{"resources":{}"#, "{\"a\":".repeat(1_000_000)),
            format!(r#"{{"x":{}"#, "{\"a\":[".repeat(500_000)),
            "[".repeat(1_000_000),
        ] {
            let err = ResetPayload::parse(payload.as_bytes()).expect_err("deep");
            assert_one_line(&err.to_string());
            assert!(err.offset() <= payload.len());
        }
    }

    #[test]
    fn invalid_patterns_in_a_good_payload_are_skipped_and_reported() {
        let payload = br#"{
            "resources": ["a.>", "a..b", "c.d", "x*", "", "a.b?q", "c.d", "\u0000", "e.*"],
            "access": ["bad.>.x", "z.*", "\u00e9t\u00e9"]
        }"#;
        let reset = Reset::from_json(payload).expect("a good payload");
        let invalid: Vec<(ResetList, usize, &str, ErrorKind, usize)> = reset
            .invalid()
            .iter()
            .map(|i| {
                (
                    i.list(),
                    i.position(),
                    i.pattern(),
                    i.error().kind(),
                    i.error().offset(),
                )
            })
            .collect();
        use ErrorKind::*;
        use ResetList::{Access, Resources};
        assert_eq!(
            invalid,
            [
                (Resources, 1, "a..b", EmptyPart, 2),
                (Resources, 3, "x*", PartialWildcard, 1),
                (Resources, 4, "", EmptyPart, 0),
                (Resources, 5, "a.b?q", QuestionMark, 3),
                (Resources, 7, "\0", InvalidByte, 0),
                (Access, 0, "bad.>.x", FullWildcardNotLast, 4),
                (Access, 2, "\u{e9}t\u{e9}", InvalidByte, 0),
            ]
        );
        for item in reset.invalid() {
            let line = item.to_string();
            assert_one_line(&line);
            assert!(
                line.starts_with(&format!(
                    "{} item {}: invalid pattern ",
                    item.list(),
                    item.position()
                )),
                "{line}"
            );
        }
        let texts =
            |list| -> Vec<&str> { reset.patterns(list).iter().map(Pattern::as_str).collect() };
        assert_eq!(texts(Resources), ["a.>", "c.d", "c.d", "e.*"]);
        assert_eq!(texts(Access), ["z.*"]);

        let mut index = ResourceIndex::new();
        for id in ["a.b", "a.b.c?x", "c.d", "e.f", "z.z", "x", "a"] {
            index.insert(id, ()).expect("valid");
        }
        let resolution = reset.resolve(&index);
        assert_eq!(resolution.resources_ids(), ["a.b", "a.b.c?x", "c.d", "e.f"]);
        assert_eq!(resolution.access_ids(), ["z.z"]);

        // A payload whose every pattern is invalid is still accepted: an empty reset.
        let reset = Reset::from_json(br#"{"resources":["..",">.a"],"access":["?"]}"#)
            .expect("a good payload");
        assert_eq!(reset.invalid().len(), 3);
        assert!(reset.is_empty());
        assert!(reset.resolve(&index).resources.is_empty());
    }
}

/// Review of the split-as-you-walk look-up: a stored label is packed into 8 bytes whose last
/// byte is a length (1 to 7) or a long-label flag, a form unique among valid labels only. An
/// invalid 8-byte part with such a last byte must not be taken for the stored label.
#[test]
fn invalid_ids_never_alias_a_stored_label() {
    let mut index = ResourceIndex::new();
    index.insert("abc", 1).unwrap();
    index.insert("abcdefg", 3).unwrap();
    index.insert("x.abc", 4).unwrap();
    for alias in ["abc\0\0\0\0\u{3}", "abcdefg\u{7}", "x.abc\0\0\0\0\u{3}"] {
        assert!(ResourceId::new(alias).is_err());
        assert!(!index.contains(alias), "{alias:?}");
        assert_eq!(index.get(alias), None, "{alias:?}");
        assert_eq!(index.remove(alias), None, "{alias:?}");
    }
    assert_eq!(index.len(), 3);
    // A long label at arena offset 0 whose length reads as bytes 00 e1 80 80 (with the
    // long-label flag), matched by the UTF-8 of five NULs and U+1000.
    let mut index = ResourceIndex::new();
    index.insert(&"a".repeat(0x0080_e100), 7).unwrap();
    let alias = "\0\0\0\0\0\u{1000}";
    assert!(!index.contains(alias));
    assert_eq!(index.remove(alias), None);
    assert_eq!(index.len(), 1);
}
