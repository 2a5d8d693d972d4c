//! `event`: any bytes as the payload of a `system.reset` event.
//!
//! `ResetPayload::parse` must never panic. Its verdict is compared with a reference parse
//! through `serde_json::Value`: an object whose `resources` and `access` members are missing,
//! `null` or arrays of strings is accepted with exactly those lists; anything else is
//! rejected. `serde_json::Value` keeps the last of repeated members, which respat rejects,
//! so the reference counts the top-level members itself. `Reset::from_json` must agree with
//! `ResetPayload::parse(..).compile()`, and a compiled reset must report exactly the invalid
//! patterns and match exactly what its valid patterns match.
//!
//! Text form of the input: the bytes are the payload. The structured form builds a JSON
//! document (usually an object with `resources`, `access` and other members, sometimes
//! broken) from the same bytes.

use std::fmt;

use arbitrary::{Arbitrary, Unstructured};
use respat::{reference, PayloadErrorKind, Reset, ResetList, ResetPayload};
use serde::de::{self, IgnoredAny, MapAccess, Visitor};
use serde_json::Value;

use crate::alphabet::{capped, instance_of, PatternText, MAX_LIST};

/// Both readings of `data`.
pub fn run(data: &[u8]) {
    check_payload(data);
    if let Ok(doc) = Unstructured::new(data).arbitrary::<Doc>() {
        check_payload(doc.render().as_bytes());
    }
}

// ---------------------------------------------------------------------------------------
// The reference
// ---------------------------------------------------------------------------------------

/// What the reference makes of a payload.
#[derive(Debug)]
enum Expect {
    Accept(ResetPayload),
    Reject(String),
    /// Well-formed JSON of the wrong shape: rejected as `InvalidShape`.
    RejectShape(String),
    /// `serde_json::Value` gave up on well-formed UTF-8 JSON that respat need not read (a
    /// number beyond `f64`, nesting deeper than 128, a lone surrogate escape): either
    /// verdict is fine.
    Either,
}

/// The top-level member names of a JSON object, in order, repeats included.
struct MemberNames(Vec<String>);

impl<'de> de::Deserialize<'de> for MemberNames {
    fn deserialize<D: de::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct NamesVisitor;
        impl<'de> Visitor<'de> for NamesVisitor {
            type Value = MemberNames;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an object")
            }
            fn visit_map<M: MapAccess<'de>>(self, mut map: M) -> Result<MemberNames, M::Error> {
                let mut names = Vec::new();
                while let Some(name) = map.next_key::<String>()? {
                    map.next_value::<IgnoredAny>()?;
                    names.push(name);
                }
                Ok(MemberNames(names))
            }
        }
        d.deserialize_map(NamesVisitor)
    }
}

fn reference_parse(payload: &[u8]) -> Expect {
    if payload.is_empty() {
        return Expect::Accept(ResetPayload::default());
    }
    let value: Value = match serde_json::from_slice(payload) {
        Ok(value) => value,
        Err(err) => {
            // Well-formed JSON that `Value` cannot hold (a number beyond `f64`, nesting
            // deeper than 128, a lone surrogate escape) need not be refused: respat skips
            // unknown members without interpreting them. Anything else is broken JSON,
            // and so is any payload that is not UTF-8.
            let well_formed = std::str::from_utf8(payload)
                .is_ok_and(|text| serde_json::from_str::<IgnoredAny>(text).is_ok());
            return if well_formed {
                Expect::Either
            } else {
                Expect::Reject(err.to_string())
            };
        }
    };
    let Value::Object(members) = value else {
        return Expect::RejectShape("not an object".into());
    };
    // The same bytes parsed again, for the member names `Value` folds together.
    let names = serde_json::from_slice::<MemberNames>(payload)
        .expect("an object that Value parses parses as a map")
        .0;
    for key in ["resources", "access"] {
        if names.iter().filter(|n| *n == key).count() > 1 {
            return Expect::RejectShape(format!("repeated member {key}"));
        }
    }
    let list = |key: &str| -> Result<Vec<String>, String> {
        match members.get(key) {
            None | Some(Value::Null) => Ok(Vec::new()),
            Some(Value::Array(items)) => items
                .iter()
                .map(|item| match item {
                    Value::String(s) => Ok(s.clone()),
                    other => Err(format!("{key} item {other}")),
                })
                .collect(),
            Some(other) => Err(format!("{key} is {other}")),
        }
    };
    match (list("resources"), list("access")) {
        (Ok(resources), Ok(access)) => Expect::Accept(ResetPayload { resources, access }),
        (Err(why), _) | (_, Err(why)) => Expect::RejectShape(why),
    }
}

// ---------------------------------------------------------------------------------------
// The checks
// ---------------------------------------------------------------------------------------

pub fn check_payload(payload: &[u8]) {
    let shown = || payload.escape_ascii().to_string();
    let parsed = ResetPayload::parse(payload);
    if let Err(err) = &parsed {
        assert!(
            err.offset() <= payload.len(),
            "offset of {err} past {}",
            payload.len()
        );
        let message = err.to_string();
        assert!(
            !message.contains('\n') && !message.contains('\r'),
            "error display is not one line: {message:?}"
        );
        assert!(
            message.starts_with("invalid reset payload: "),
            "{message:?}"
        );
    }
    match reference_parse(payload) {
        Expect::Accept(expected) => match &parsed {
            Ok(got) => assert_eq!(got, &expected, "payload b\"{}\"", shown()),
            Err(err) => panic!("rejected the good payload b\"{}\": {err}", shown()),
        },
        Expect::Reject(why) => {
            if let Ok(got) = &parsed {
                panic!(
                    "accepted the bad payload b\"{}\" ({why}) as {got:?}",
                    shown()
                );
            }
        }
        Expect::RejectShape(why) => match &parsed {
            Ok(got) => panic!(
                "accepted the bad payload b\"{}\" ({why}) as {got:?}",
                shown()
            ),
            Err(err) => assert_eq!(
                err.kind(),
                PayloadErrorKind::InvalidShape,
                "{err} for the well-formed payload b\"{}\" ({why})",
                shown()
            ),
        },
        Expect::Either => {}
    }

    let compiled = Reset::from_json(payload);
    match (&parsed, &compiled) {
        (Ok(p), Ok(reset)) => {
            check_compiled(p, reset);
            check_compiled(p, &p.compile());
        }
        (Err(a), Err(b)) => assert_eq!(a, b, "from_json and parse fail differently"),
        (a, b) => panic!("parse says {a:?} but from_json says {b:?}"),
    }
}

/// A compiled reset keeps the valid patterns in order, reports the others in order, and its
/// pattern sets (less the patterns others cover) match what the valid patterns match.
fn check_compiled(payload: &ResetPayload, reset: &Reset) {
    let mut invalid = Vec::new();
    let mut names: Vec<String> = vec!["a".into(), "a.b".into(), "x.y.z".into()];
    let mut valid_all: Vec<Vec<&str>> = Vec::new();
    for (which, list) in [
        (ResetList::Resources, &payload.resources),
        (ResetList::Access, &payload.access),
    ] {
        let mut valid = Vec::new();
        for (position, item) in list.iter().enumerate() {
            if reference::is_valid_pattern(item) {
                valid.push(item.as_str());
                if names.len() < 48 {
                    let name = instance_of(item);
                    names.push(format!("{name}.z"));
                    if let Some((head, _)) = name.rsplit_once('.') {
                        names.push(head.to_string());
                    }
                    names.push(name);
                }
            } else {
                invalid.push((which, position, item.as_str()));
            }
        }
        let kept: Vec<&str> = reset.patterns(which).iter().map(|p| p.as_str()).collect();
        assert_eq!(kept, valid, "valid {which} patterns");
        assert!(reset.pattern_set(which).len() <= valid.len());
        assert_eq!(reset.pattern_set(which).is_empty(), valid.is_empty());
        valid_all.push(valid);
    }
    let reported: Vec<(ResetList, usize, &str)> = reset
        .invalid()
        .iter()
        .map(|bad| (bad.list(), bad.position(), bad.pattern()))
        .collect();
    assert_eq!(reported, invalid, "invalid patterns");
    for bad in reset.invalid() {
        let line = bad.to_string();
        assert!(!line.contains('\n') && !line.contains('\r'), "{line:?}");
        assert!(bad.error().offset() <= bad.pattern().len());
    }
    assert_eq!(
        reset.is_empty(),
        valid_all.iter().all(Vec::is_empty),
        "is_empty"
    );
    // Minimizing must not change what a list matches (patterns checked: a bounded number).
    for (which, valid) in [ResetList::Resources, ResetList::Access]
        .iter()
        .zip(&valid_all)
    {
        if valid.len() > 2 * MAX_LIST * 4 {
            continue;
        }
        let set = reset.pattern_set(*which);
        for name in &names {
            let expected = valid.iter().any(|p| reference::matches(p, name));
            assert_eq!(
                set.is_match(name),
                expected,
                "{which} set of {valid:?} on {name:?} (kept {:?})",
                set.iter()
                    .map(|(id, _)| set.pattern(id).map(|p| p.to_string()))
                    .collect::<Vec<_>>()
            );
        }
    }
}

// ---------------------------------------------------------------------------------------
// The structured form
// ---------------------------------------------------------------------------------------

#[derive(Arbitrary, Debug)]
enum Key {
    Resources,
    Access,
    /// `resources` with escapes: the same member to a JSON parser.
    EscapedResources,
    Other(String),
}

#[derive(Arbitrary, Debug)]
enum Str {
    Pattern(PatternText),
    /// A pattern with every character written as a `\u` escape.
    Escaped(PatternText),
    Any(String),
    /// Text put between quotes unescaped (so perhaps broken JSON).
    Unescaped(String),
}

#[derive(Arbitrary, Debug)]
enum Json {
    Null,
    True,
    Number(Num),
    Str(Str),
    Array(Vec<Json>),
    Object(Vec<(Key, Json)>),
}

#[derive(Arbitrary, Debug)]
enum Num {
    Zero,
    Negative,
    Fraction,
    /// Beyond `f64`.
    Huge,
    Int(i64),
}

#[derive(Arbitrary, Debug)]
enum List {
    Null,
    Patterns(Vec<Str>),
    /// Any items, usually some that are not strings.
    Items(Vec<Json>),
    /// A member of another type.
    Value(Json),
}

#[derive(Arbitrary, Debug)]
enum Member {
    Resources(List),
    Access(List),
    Other(Key, Json),
}

#[derive(Arbitrary, Debug)]
enum Ws {
    None,
    Space,
    Newlines,
    Tab,
}

#[derive(Arbitrary, Debug)]
enum Ending {
    Clean,
    Whitespace(Ws),
    /// Extra bytes after the object.
    Trailing(String),
    /// The document cut short by this many bytes.
    Truncated(u8),
}

#[derive(Arbitrary, Debug)]
enum Top {
    Object(Vec<Member>),
    Other(Json),
}

#[derive(Arbitrary, Debug)]
struct Doc {
    top: Top,
    ws: Ws,
    ending: Ending,
}

fn quoted(s: &str) -> String {
    serde_json::to_string(s).expect("a string serializes")
}

impl Ws {
    fn text(&self) -> &'static str {
        match self {
            Ws::None => "",
            Ws::Space => " ",
            Ws::Newlines => "\n\r\n",
            Ws::Tab => "\t",
        }
    }
}

impl Key {
    fn render(&self) -> String {
        match self {
            Key::Resources => "\"resources\"".into(),
            Key::Access => "\"access\"".into(),
            Key::EscapedResources => "\"r\\u0065sour\\u0063es\"".into(),
            Key::Other(s) => quoted(&capped(s.clone(), 16)),
        }
    }
}

impl Str {
    fn render(&self) -> String {
        match self {
            Str::Pattern(p) => quoted(&p.text()),
            Str::Escaped(p) => {
                let mut out = String::from("\"");
                for unit in p.text().encode_utf16() {
                    out.push_str(&format!("\\u{unit:04x}"));
                }
                out.push('"');
                out
            }
            Str::Any(s) => quoted(&capped(s.clone(), 32)),
            Str::Unescaped(s) => format!("\"{}\"", capped(s.clone(), 32)),
        }
    }
}

impl Json {
    fn render(&self, depth: usize, ws: &str, out: &mut String) {
        if depth > 6 {
            out.push_str("null");
            return;
        }
        match self {
            Json::Null => out.push_str("null"),
            Json::True => out.push_str("true"),
            Json::Number(n) => match n {
                Num::Zero => out.push('0'),
                Num::Negative => out.push_str("-12"),
                Num::Fraction => out.push_str("1.5e3"),
                Num::Huge => out.push_str("1e400"),
                Num::Int(i) => out.push_str(&i.to_string()),
            },
            Json::Str(s) => out.push_str(&s.render()),
            Json::Array(items) => {
                out.push('[');
                for (i, item) in items.iter().take(MAX_LIST).enumerate() {
                    if i > 0 {
                        out.push(',');
                        out.push_str(ws);
                    }
                    item.render(depth + 1, ws, out);
                }
                out.push(']');
            }
            Json::Object(members) => {
                out.push('{');
                for (i, (key, value)) in members.iter().take(MAX_LIST).enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    out.push_str(ws);
                    out.push_str(&key.render());
                    out.push(':');
                    value.render(depth + 1, ws, out);
                }
                out.push('}');
            }
        }
    }
}

impl List {
    fn render(&self, ws: &str, out: &mut String) {
        match self {
            List::Null => out.push_str("null"),
            List::Patterns(items) => {
                out.push('[');
                for (i, item) in items.iter().take(MAX_LIST * 4).enumerate() {
                    if i > 0 {
                        out.push(',');
                        out.push_str(ws);
                    }
                    out.push_str(&item.render());
                }
                out.push(']');
            }
            List::Items(items) => render_items(items, ws, out),
            List::Value(value) => value.render(1, ws, out),
        }
    }
}

fn render_items(items: &[Json], ws: &str, out: &mut String) {
    out.push('[');
    for (i, item) in items.iter().take(MAX_LIST).enumerate() {
        if i > 0 {
            out.push(',');
            out.push_str(ws);
        }
        item.render(2, ws, out);
    }
    out.push(']');
}

impl Doc {
    pub fn render(&self) -> String {
        let ws = self.ws.text();
        let mut out = String::from(ws);
        match &self.top {
            Top::Object(members) => {
                out.push('{');
                for (i, member) in members.iter().take(MAX_LIST).enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    out.push_str(ws);
                    match member {
                        Member::Resources(list) => {
                            out.push_str("\"resources\":");
                            out.push_str(ws);
                            list.render(ws, &mut out);
                        }
                        Member::Access(list) => {
                            out.push_str("\"access\"");
                            out.push_str(ws);
                            out.push(':');
                            list.render(ws, &mut out);
                        }
                        Member::Other(key, value) => {
                            out.push_str(&key.render());
                            out.push(':');
                            value.render(1, ws, &mut out);
                        }
                    }
                }
                out.push_str(ws);
                out.push('}');
            }
            Top::Other(value) => value.render(0, ws, &mut out),
        }
        match &self.ending {
            Ending::Clean => {}
            Ending::Whitespace(ws) => out.push_str(ws.text()),
            Ending::Trailing(s) => out.push_str(&capped(s.clone(), 8)),
            Ending::Truncated(n) => {
                let cut = out.len().saturating_sub(usize::from(*n % 16));
                out = capped(out, cut);
            }
        }
        out
    }
}
