//! The oracles of respat's fuzz targets, shared by the thin binaries in `fuzz_targets/`.
//!
//! Every target reads its input twice:
//!
//! - as **structured input**, decoded with `arbitrary` into names, IDs, patterns and
//!   operation sequences over a small alphabet (see [`alphabet`]), so that matches,
//!   duplicates and shared prefixes are frequent;
//! - as **text** (a payload, a name, or a one-operation-per-line script), so that the
//!   committed seeds in `fuzz/seeds/` are readable and mean what they say.
//!
//! Each check compares respat with `respat::reference` (or, for payloads, with a parse
//! through `serde_json::Value`) and panics on any disagreement.

pub mod alphabet;
pub mod event;
pub mod index_ops;
pub mod parse;
pub mod set_ops;

/// The lines of a text script, at most `max`, each lossily made UTF-8.
pub(crate) fn script_lines(data: &[u8], max: usize) -> Vec<String> {
    data.split(|&b| b == b'\n')
        .take(max)
        .map(|line| String::from_utf8_lossy(line).into_owned())
        .collect()
}

/// The decimal number at the start of `s` (saturating), 0 if none.
pub(crate) fn number(s: &str) -> usize {
    s.bytes()
        .take_while(u8::is_ascii_digit)
        .fold(0usize, |n, d| {
            n.saturating_mul(10).saturating_add(usize::from(d - b'0'))
        })
}

/// Checks what every parser error promises: it quotes the input, names the input kind, has
/// an offset within the input, and displays on one line.
pub(crate) fn check_error(err: &respat::Error, input: &str, kind: respat::InputKind) {
    assert_eq!(err.input(), input, "error quotes another input");
    assert_eq!(err.input_kind(), kind, "error names another input kind");
    assert!(
        err.offset() <= input.len(),
        "error offset {} past the end of {input:?} ({} bytes)",
        err.offset(),
        input.len()
    );
    let shown = err.to_string();
    assert!(
        !shown.contains('\n') && !shown.contains('\r'),
        "error display is not one line: {shown:?}"
    );
    assert!(shown.starts_with("invalid "), "error display: {shown:?}");
    let caret = err.caret();
    assert_eq!(caret.matches('\n').count(), 1, "caret: {caret:?}");
    assert_eq!(err.byte(), input.as_bytes().get(err.offset()).copied());
}
