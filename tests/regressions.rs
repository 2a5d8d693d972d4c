//! Inputs that fuzzing or review once found mishandled, each kept as a named test.

#![cfg(feature = "json")]

use respat::{PayloadErrorKind, ResetPayload};

/// fuzz/regressions/event/invalid_utf8_in_ignored_member: serde_json skips an ignored
/// member's string without checking its UTF-8, so the payload was accepted as empty.
#[test]
fn invalid_utf8_in_an_ignored_member_rejects_the_payload() {
    let err = ResetPayload::parse(b"{\"x\":\"\xff\"}").unwrap_err();
    assert_eq!(err.kind(), PayloadErrorKind::InvalidJson);
    assert_eq!(err.offset(), 6);
    assert_eq!(
        err.to_string(),
        "invalid reset payload: invalid utf-8 at byte 6"
    );
}
