//! `respat check PATTERN...`: validate patterns, one error line per invalid one.

use std::ffi::{OsStr, OsString};
use std::process::ExitCode;

use respat::Pattern;

use crate::warn;

/// Arguments of `respat check`.
#[derive(clap::Args)]
pub struct Args {
    /// Patterns to validate (put `--` before a pattern that starts with `-`)
    #[arg(required = true, value_name = "PATTERN")]
    patterns: Vec<OsString>,
}

/// Prints an error for each invalid pattern; exit status 1 if there was any. Valid
/// patterns print nothing, so the command composes in scripts.
pub fn run(args: &Args) -> ExitCode {
    let mut invalid = false;
    for arg in &args.patterns {
        if let Err(message) = parse(arg) {
            warn(format_args!("{message}"));
            invalid = true;
        }
    }
    if invalid {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

/// Parses a command-line pattern. Arguments are taken as raw OS strings so that one that
/// is not UTF-8 is reported like any other invalid pattern, rather than as a usage error.
pub fn parse(arg: &OsStr) -> Result<Pattern, String> {
    let bytes = arg.as_encoded_bytes();
    match std::str::from_utf8(bytes) {
        Ok(text) => Pattern::new(text).map_err(|error| error.to_string()),
        Err(error) => Err(format!(
            "invalid pattern \"{}\": invalid utf-8 at byte {}",
            crate::lines::escaped(bytes),
            error.valid_up_to()
        )),
    }
}
