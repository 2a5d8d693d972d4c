//! `respat reset --ids FILE [--event JSON] [EVENTS] [--stats]`: resolve `system.reset`
//! payloads against a list of cached resource IDs, one JSON line of results per payload.

use std::collections::HashSet;
use std::ffi::OsString;
use std::io::{self, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::time::{Duration, Instant};

use respat::{Reset, ResourceId, ResourceIndex};

use crate::lines::{is_stdin, Lines};
use crate::{stdout, warn, Stop};

/// Arguments of `respat reset`.
#[derive(clap::Args)]
pub struct Args {
    /// The cached resource IDs, one per line (invalid lines are reported and skipped; `-`:
    /// standard input, when the payloads come from `--event` or a file)
    #[arg(long, value_name = "FILE")]
    ids: PathBuf,
    /// Resolve this one payload (an empty string is an empty reset) instead of EVENTS
    #[arg(long, value_name = "JSON", conflicts_with = "events")]
    event: Option<OsString>,
    /// Payloads, one JSON object per line; empty and white-space lines are skipped [default: standard input, also `-`]
    #[arg(value_name = "EVENTS")]
    events: Option<PathBuf>,
    /// Print load time, index memory and per-payload resolve times to standard error
    #[arg(long)]
    stats: bool,
}

/// Loads the index, then answers each payload in order. A rejected payload answers
/// `{"error":...}` and does not stop the run.
pub fn run(args: &Args) -> Result<ExitCode, Stop> {
    let events_on_stdin = args.event.is_none() && args.events.as_deref().is_none_or(is_stdin);
    if is_stdin(&args.ids) && events_on_stdin {
        return Err(Stop::Fatal(
            "--ids - and the payloads cannot both be standard input: give the payloads in a file or with --event"
                .to_string(),
        ));
    }
    // Open the payload input first, so that a wrong path fails before a long load.
    let mut events = match args.event {
        Some(_) => None,
        None => Some(Lines::open(args.events.as_deref())?),
    };
    let index = load(&args.ids, args.stats)?;
    let mut out = stdout();
    if let Some(event) = &args.event {
        answer(
            event.as_encoded_bytes(),
            &index,
            &mut out,
            "--event",
            args.stats,
        )?;
    } else if let Some(events) = &mut events {
        let source = events.source().to_string();
        while let Some((number, payload)) = events.next_line()? {
            if payload.iter().all(u8::is_ascii_whitespace) {
                continue;
            }
            let label = format!("{source} line {number}");
            answer(payload, &index, &mut out, &label, args.stats)?;
            // One flush per payload: answers to a live stream appear as they are found.
            out.flush()?;
        }
    }
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}

/// Reads the ID file into an index. Duplicate IDs collapse, as an insert replaces.
fn load(path: &Path, stats: bool) -> Result<ResourceIndex<()>, Stop> {
    let start = Instant::now();
    let mut lines = Lines::open(Some(path))?;
    let source = lines.source().to_string();
    let mut index = ResourceIndex::new();
    let mut skipped = 0usize;
    while let Some((number, bytes)) = lines.next_line()? {
        let Some(text) = crate::lines::text(&source, number, bytes) else {
            skipped += 1;
            continue;
        };
        match ResourceId::new(text) {
            Ok(id) => {
                index.insert_id(&id, ());
            }
            Err(error) => {
                warn(format_args!("{source} line {number}: {error}"));
                skipped += 1;
            }
        }
    }
    if stats {
        let ids = index.len();
        let bytes = index.memory_usage();
        warn(format_args!(
            "stats: loaded {ids} ids ({skipped} invalid lines skipped) in {}",
            millis(start.elapsed())
        ));
        warn(format_args!(
            "stats: index memory {bytes} bytes, {:.1} bytes per id",
            bytes as f64 / ids.max(1) as f64
        ));
    }
    Ok(index)
}

/// Parses, resolves and answers one payload, named `label` (`"events.txt" line 3`) in
/// diagnostics: a rejected payload is reported on standard error too, and `stats` adds
/// timings.
fn answer(
    payload: &[u8],
    index: &ResourceIndex<()>,
    out: &mut impl Write,
    label: &str,
    stats: bool,
) -> io::Result<()> {
    let start = Instant::now();
    let reset = match Reset::from_json(payload) {
        Ok(reset) => reset,
        Err(error) => {
            warn(format_args!("{label}: {error}"));
            out.write_all(b"{\"error\":")?;
            serde_json::to_writer(&mut *out, &error.to_string())?;
            return out.write_all(b"}\n");
        }
    };
    let parsed = start.elapsed();
    let start = Instant::now();
    let resolution = reset.resolve(index);
    let resolved = start.elapsed();
    let resources = resolution.resources_ids();
    let access = resolution.access_ids();
    let invalid = distinct_invalid(&reset);
    if stats {
        warn(format_args!(
            "stats: {label}: {} resources, {} access, {} invalid; parsed in {}, resolved in {}",
            resources.len(),
            access.len(),
            invalid.len(),
            millis(parsed),
            millis(resolved)
        ));
    }

    out.write_all(b"{\"resources\":")?;
    serde_json::to_writer(&mut *out, &resources)?;
    out.write_all(b",\"access\":")?;
    serde_json::to_writer(&mut *out, &access)?;
    out.write_all(b",\"invalid\":[")?;
    for (i, (pattern, error)) in invalid.iter().enumerate() {
        out.write_all(if i == 0 {
            b"{\"pattern\":"
        } else {
            b",{\"pattern\":"
        })?;
        serde_json::to_writer(&mut *out, pattern)?;
        out.write_all(b",\"error\":")?;
        serde_json::to_writer(&mut *out, error)?;
        out.write_all(b"}")?;
    }
    out.write_all(b"]}\n")
}

/// Each invalid pattern string once, in order of first appearance (`resources` first),
/// with its error: a pattern given twice, or in both lists, is one mistake.
fn distinct_invalid(reset: &Reset) -> Vec<(&str, String)> {
    let mut seen = HashSet::new();
    reset
        .invalid()
        .iter()
        .filter(|invalid| seen.insert(invalid.pattern()))
        .map(|invalid| (invalid.pattern(), invalid.error().to_string()))
        .collect()
}

/// A duration in milliseconds, precise enough for both a load and a tiny resolve.
fn millis(duration: Duration) -> String {
    format!("{:.3} ms", duration.as_secs_f64() * 1000.0)
}
