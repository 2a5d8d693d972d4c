//! `respat match [--ids FILE] PATTERN...`: print the IDs whose name matches any pattern.

use std::borrow::Cow;
use std::ffi::OsString;
use std::io::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use respat::{PatternSet, ResourceId};

use crate::lines::Lines;
use crate::{check, stdout, warn, Stop};

/// Arguments of `respat match`.
#[derive(clap::Args)]
pub struct Args {
    /// Read resource IDs from FILE, one per line [default: standard input, also `-`]
    #[arg(long, value_name = "FILE")]
    ids: Option<PathBuf>,
    /// Patterns; an ID is printed when its name (the part before any `?`) matches one
    #[arg(required = true, value_name = "PATTERN")]
    patterns: Vec<OsString>,
}

/// Filters the ID lines in input order. Invalid patterns are fatal before any input is
/// read; an invalid ID line is reported with its line number and skipped.
pub fn run(args: &Args) -> Result<ExitCode, Stop> {
    let mut set = PatternSet::new();
    let mut invalid = false;
    for arg in &args.patterns {
        match check::parse(arg) {
            Ok(pattern) => {
                set.insert(&pattern, ());
            }
            Err(message) => {
                warn(format_args!("respat: {message}"));
                invalid = true;
            }
        }
    }
    if invalid {
        return Err(Stop::Reported);
    }

    let mut lines = Lines::open(args.ids.as_deref())?;
    let source = lines.source().to_string();
    let mut out = stdout();
    loop {
        if lines.is_drained() {
            out.flush()?;
        }
        let Some((number, bytes)) = lines.next_line()? else {
            break;
        };
        let text = match std::str::from_utf8(bytes) {
            Ok(text) => Cow::Borrowed(text),
            // The query is never checked, so it need not be text: the name before the `?`
            // decides, and the line is printed as it is.
            Err(error) if bytes[..error.valid_up_to()].contains(&b'?') => {
                String::from_utf8_lossy(bytes)
            }
            Err(_) => {
                crate::lines::text(&source, number, bytes);
                continue;
            }
        };
        match ResourceId::new(&text) {
            Ok(id) => {
                if set.is_match_name(id.name()) {
                    out.write_all(bytes)?;
                    out.write_all(b"\n")?;
                }
            }
            Err(error) => warn(format_args!("{source} line {number}: {error}")),
        }
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}
