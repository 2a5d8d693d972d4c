//! Parsing the JSON payload of a `system.reset` event (feature `json`).

use std::fmt;

use serde::de::{self, Deserializer as _, IgnoredAny, MapAccess, Visitor};

use crate::reset::Reset;

/// The longest error message kept (serde_json quotes whole values).
const MESSAGE_LIMIT: usize = 160;

/// What was wrong with a payload.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum PayloadErrorKind {
    /// Not JSON: a syntax error, invalid UTF-8, or input that ends early.
    InvalidJson,
    /// JSON, but not an object with optional `resources` and `access` lists of strings.
    InvalidShape,
}

/// A `system.reset` payload that is rejected as a whole.
///
/// ```
/// let err = respat::ResetPayload::parse(br#"{"resources":"x"}"#).unwrap_err();
/// assert_eq!(err.kind(), respat::PayloadErrorKind::InvalidShape);
/// assert_eq!(
///     err.to_string(),
///     r#"invalid reset payload: invalid type: string "x", expected a list of patterns at byte 15"#
/// );
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PayloadError {
    kind: PayloadErrorKind,
    message: Box<str>,
    offset: usize,
}

impl PayloadError {
    fn from_json(error: &serde_json::Error, payload: &[u8]) -> PayloadError {
        let kind = match error.classify() {
            serde_json::error::Category::Data => PayloadErrorKind::InvalidShape,
            _ => PayloadErrorKind::InvalidJson,
        };
        let text = error.to_string();
        let message = text
            .rsplit_once(" at line ")
            .map_or(text.as_str(), |(message, _)| message);
        // serde_json quotes the offending value, which may be megabytes long.
        let mut cut = message.len().min(MESSAGE_LIMIT);
        while !message.is_char_boundary(cut) {
            cut -= 1;
        }
        let more = if cut < message.len() { "..." } else { "" };
        // serde_json places an early end at the payload's last byte; the fault is after it.
        let offset = match error.classify() {
            serde_json::error::Category::Eof => payload.len(),
            _ => byte_offset(payload, error.line(), error.column()),
        };
        PayloadError {
            kind,
            message: format!("{}{more}", &message[..cut]).into(),
            offset,
        }
    }

    /// What went wrong.
    pub fn kind(&self) -> PayloadErrorKind {
        self.kind
    }

    /// The byte offset in the payload where the fault was found (the payload's length when
    /// it ends too early).
    pub fn offset(&self) -> usize {
        self.offset
    }
}

/// The byte offset of serde_json's 1-based line and column (a column counts bytes; column
/// 0 stands for the line feed that ends the line before).
fn byte_offset(payload: &[u8], line: usize, column: usize) -> usize {
    let line_start: usize = payload
        .split(|&b| b == b'\n')
        .take(line.saturating_sub(1))
        .map(|l| l.len() + 1)
        .sum();
    // Column 0 is the line feed that ends the line before.
    let at = match column {
        0 => line_start.saturating_sub(1),
        _ => line_start + column - 1,
    };
    at.min(payload.len())
}

impl fmt::Display for PayloadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "invalid reset payload: {} at byte {}",
            self.message, self.offset
        )
    }
}

impl std::error::Error for PayloadError {}

/// The two pattern lists of a `system.reset` payload, as given (not yet validated).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ResetPayload {
    /// The `resources` list; empty when missing or `null`.
    pub resources: Vec<String>,
    /// The `access` list; empty when missing or `null`.
    pub access: Vec<String>,
}

impl ResetPayload {
    /// Parses a payload: a JSON object whose optional `resources` and `access` members are
    /// `null` or lists of strings; other members are ignored. Zero bytes mean an empty reset.
    ///
    /// The payload may be given as bytes (as a NATS message carries it) or as text.
    ///
    /// # Errors
    /// If the payload is not JSON, or not an object of that shape (a member of the wrong
    /// type, a non-string item, a repeated member).
    pub fn parse(payload: impl AsRef<[u8]>) -> Result<ResetPayload, PayloadError> {
        ResetPayload::parse_bytes(payload.as_ref())
    }

    fn parse_bytes(payload: &[u8]) -> Result<ResetPayload, PayloadError> {
        if payload.is_empty() {
            return Ok(ResetPayload::default());
        }
        // JSON is UTF-8 throughout, ignored members too (serde_json skips those unchecked).
        let text = std::str::from_utf8(payload).map_err(|e| PayloadError {
            kind: PayloadErrorKind::InvalidJson,
            message: "invalid utf-8".into(),
            offset: e.valid_up_to(),
        })?;
        let mut json = serde_json::Deserializer::from_str(text);
        json.deserialize_map(PayloadVisitor)
            .and_then(|parsed| json.end().map(|()| parsed))
            .map_err(|e| PayloadError::from_json(&e, payload))
    }

    /// Compiles the lists into a [`Reset`].
    pub fn compile(&self) -> Reset {
        Reset::new(&self.resources, &self.access)
    }
}

#[cfg_attr(docsrs, doc(cfg(feature = "json")))]
impl Reset {
    /// Parses and compiles a `system.reset` payload (see [`ResetPayload::parse`]); invalid
    /// patterns inside a good payload are skipped and reported by [`Reset::invalid`].
    ///
    /// The payload may be given as bytes or as text.
    ///
    /// ```
    /// let reset = respat::Reset::from_json(br#"{"resources":["a.>","a..b"],"access":null}"#)?;
    /// assert_eq!(reset.invalid().len(), 1);
    /// assert_eq!(
    ///     reset.invalid()[0].to_string(),
    ///     r#"resources item 1: invalid pattern "a..b": empty part at byte 2"#
    /// );
    /// let text = String::from(r#"{"access":["chat.>"]}"#);
    /// assert!(respat::Reset::from_json(&text)?.invalid().is_empty());
    /// # Ok::<(), respat::PayloadError>(())
    /// ```
    ///
    /// # Errors
    /// If the payload as a whole is rejected.
    pub fn from_json(payload: impl AsRef<[u8]>) -> Result<Reset, PayloadError> {
        Ok(ResetPayload::parse(payload)?.compile())
    }
}

struct PayloadVisitor;

impl<'de> Visitor<'de> for PayloadVisitor {
    type Value = ResetPayload;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a system.reset object")
    }

    fn visit_map<M: MapAccess<'de>>(self, mut map: M) -> Result<ResetPayload, M::Error> {
        let mut resources: Option<Vec<String>> = None;
        let mut access: Option<Vec<String>> = None;
        while let Some(key) = map.next_key::<String>()? {
            let slot = match key.as_str() {
                "resources" => &mut resources,
                "access" => &mut access,
                _ => {
                    map.next_value::<IgnoredAny>()?;
                    continue;
                }
            };
            if slot.is_some() {
                return Err(de::Error::custom(format_args!("duplicate member `{key}`")));
            }
            *slot = Some(map.next_value::<PatternList>()?.0);
        }
        Ok(ResetPayload {
            resources: resources.unwrap_or_default(),
            access: access.unwrap_or_default(),
        })
    }
}

/// `null` or a list of strings.
struct PatternList(Vec<String>);

impl<'de> de::Deserialize<'de> for PatternList {
    fn deserialize<D: de::Deserializer<'de>>(deserializer: D) -> Result<PatternList, D::Error> {
        deserializer.deserialize_option(PatternListVisitor)
    }
}

struct PatternListVisitor;

impl<'de> Visitor<'de> for PatternListVisitor {
    type Value = PatternList;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a list of patterns")
    }

    fn visit_none<E: de::Error>(self) -> Result<PatternList, E> {
        Ok(PatternList(Vec::new()))
    }

    fn visit_unit<E: de::Error>(self) -> Result<PatternList, E> {
        Ok(PatternList(Vec::new()))
    }

    fn visit_some<D: de::Deserializer<'de>>(self, d: D) -> Result<PatternList, D::Error> {
        d.deserialize_seq(PatternListVisitor)
    }

    fn visit_seq<S: de::SeqAccess<'de>>(self, mut seq: S) -> Result<PatternList, S::Error> {
        let mut items = Vec::with_capacity(seq.size_hint().unwrap_or(0).min(1024));
        while let Some(item) = seq.next_element::<String>()? {
            items.push(item);
        }
        Ok(PatternList(items))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn broken_payloads_are_rejected_with_a_position() {
        let cases: [(&[u8], PayloadErrorKind); 9] = [
            (b"not json", PayloadErrorKind::InvalidJson),
            (br#"{"resources":["a.b"]"#, PayloadErrorKind::InvalidJson),
            (b"  ", PayloadErrorKind::InvalidJson),
            (b"\xff", PayloadErrorKind::InvalidJson),
            (br#"["a.b"]"#, PayloadErrorKind::InvalidShape),
            (b"null", PayloadErrorKind::InvalidShape),
            (br#"{"resources":[1]}"#, PayloadErrorKind::InvalidShape),
            (br#"{"access":{}}"#, PayloadErrorKind::InvalidShape),
            (
                br#"{"access":[],"access":[]}"#,
                PayloadErrorKind::InvalidShape,
            ),
        ];
        for (payload, kind) in cases {
            let err = ResetPayload::parse(payload).unwrap_err();
            assert_eq!(err.kind(), kind, "{}", String::from_utf8_lossy(payload));
            assert!(err.offset() <= payload.len());
            assert!(!err.to_string().contains('\n'));
        }
    }

    #[test]
    fn error_message_names_the_position() {
        let err = ResetPayload::parse(b"{\n \"resources\": [1]}").unwrap_err();
        assert_eq!(
            err.to_string(),
            "invalid reset payload: invalid type: integer `1`, expected a string at byte 17"
        );
    }

    #[test]
    fn a_truncated_payload_is_faulted_at_its_end() {
        for payload in [
            &b"  "[..],
            b"{",
            b"{\"resources\":",
            b"{\"resources\":[\"a.>\"]",
        ] {
            let err = ResetPayload::parse(payload).unwrap_err();
            assert_eq!(err.kind(), PayloadErrorKind::InvalidJson);
            assert_eq!(err.offset(), payload.len(), "{err}");
        }
        let err = ResetPayload::parse(b"{\"resources\":[\"a.>\"]").unwrap_err();
        assert_eq!(
            err.to_string(),
            "invalid reset payload: EOF while parsing an object at byte 20"
        );
    }

    #[test]
    fn invalid_utf8_anywhere_rejects_the_payload() {
        let err = ResetPayload::parse(b"{\"x\":\"\xff\",\"resources\":[]}").unwrap_err();
        assert_eq!(err.kind(), PayloadErrorKind::InvalidJson);
        assert_eq!(
            err.to_string(),
            "invalid reset payload: invalid utf-8 at byte 6"
        );
    }

    #[test]
    fn long_values_are_not_quoted_whole() {
        let payload = format!(r#"{{"resources":"{}"}}"#, "x".repeat(1 << 20));
        let message = ResetPayload::parse(payload.as_bytes())
            .unwrap_err()
            .to_string();
        assert!(message.len() < 250, "{message}");
        assert!(message.ends_with(&format!("... at byte {}", payload.len() - 2)));
    }

    #[test]
    fn null_lists_and_unknown_members() {
        let parsed =
            ResetPayload::parse(br#"{"resources":null,"x":{"y":[1]},"access":["a"]}"#).unwrap();
        assert_eq!(parsed.resources, Vec::<String>::new());
        assert_eq!(parsed.access, ["a"]);
    }
}
