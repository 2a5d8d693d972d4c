//! The `respat` command-line tool: validate patterns, filter resource IDs by pattern, and
//! resolve `system.reset` payloads against a list of cached IDs.
//!
//! Exit status: 0 on success, 1 when `check` finds an invalid pattern, 2 on a usage or I/O
//! error or an invalid pattern given to `match`. Diagnostics go to standard error, one line
//! each; fatal ones start with `respat: `, those about one input line name the input and
//! the line (`"ids.txt" line 3: ...`).

mod check;
mod demo;
mod filter;
mod lines;
mod reset;

use std::fmt;
use std::io::{self, BufWriter, Write};
use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Pattern matching for RES resource names: check patterns, filter IDs, resolve resets.
///
/// A pattern is a resource name whose parts may be `*` (exactly one part) or, as the last
/// part, `>` (one or more parts). An ID's query, after its first `?`, is never matched.
#[derive(Parser)]
#[command(
    name = "respat",
    version,
    propagate_version = true,
    after_help = "Exit status: 0 on success (invalid input lines are reported and skipped), 1 when `check` finds an invalid pattern, 2 on a usage or I/O error or an invalid pattern given to `match`."
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Validate patterns; print one error line for each invalid one (exit status 1 if any)
    Check(check::Args),
    /// Print the resource IDs (one per line) whose name matches any of the patterns
    ///
    /// IDs are printed in input order, as given. Line endings may be LF or CRLF (printed as
    /// LF); empty lines are skipped; an invalid ID line is reported on standard error with
    /// its input and line number and skipped. An invalid pattern is an error (exit status 2)
    /// before any input is read.
    Match(filter::Args),
    /// Resolve system.reset payloads against cached IDs; print one JSON line per payload
    ///
    /// Each answer is {"resources":[...],"access":[...],"invalid":[{"pattern":..,"error":..}]}
    /// with the IDs sorted bytewise, each once. A payload that is rejected as a whole answers
    /// {"error":"..."} (and is reported on standard error with its line number), and the
    /// next payload is still processed. Line endings may be LF or CRLF; duplicate IDs
    /// collapse.
    Reset(reset::Args),
    /// Run the main job on a generated corpus and compare it with a linear scan
    Demo {
        /// Number of resource IDs to generate
        #[arg(long, value_name = "N", default_value_t = 1_000_000)]
        size: usize,
        /// Seed of the generator (the same seed gives the same corpus)
        #[arg(long, value_name = "S", default_value_t = 1)]
        seed: u64,
    },
}

/// Why a subcommand ended early.
#[derive(Debug)]
pub enum Stop {
    /// Standard output was closed by its reader (EPIPE): end quietly, with success, as
    /// `head` and friends expect.
    Quiet,
    /// A fatal error, printed as one `respat: ` line; exit status 2.
    Fatal(String),
    /// Fatal errors already printed; exit status 2.
    Reported,
}

/// `?` on a failed write to standard output: a closed pipe ends quietly, anything else is
/// fatal. (Read errors are converted where the input's name is known.)
impl From<io::Error> for Stop {
    fn from(error: io::Error) -> Stop {
        if error.kind() == io::ErrorKind::BrokenPipe {
            Stop::Quiet
        } else {
            Stop::Fatal(format!("cannot write output: {}", io_text(&error)))
        }
    }
}

/// An I/O error as a lowercase phrase, without the `(os error N)` suffix:
/// "no such file or directory".
pub fn io_text(error: &io::Error) -> String {
    let text = error.to_string();
    let text = match text.rfind(" (os error ") {
        Some(at) if text.ends_with(')') => &text[..at],
        _ => &text,
    };
    let mut chars = text.chars();
    match chars.next() {
        Some(first) => first.to_lowercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// Writes one diagnostic line to standard error. A failing stderr is ignored: there is
/// nowhere left to report it, and it must not abort the run (`eprintln!` would panic).
pub fn warn(line: fmt::Arguments<'_>) {
    let _ = writeln!(io::stderr().lock(), "{line}");
}

/// Standard output, locked once and buffered: output can be millions of lines.
pub fn stdout() -> BufWriter<io::StdoutLock<'static>> {
    BufWriter::with_capacity(64 * 1024, io::stdout().lock())
}

/// The largest `demo --size`: the IDs, the index and the `HashSet` it is raced against take a
/// few GB at that size (peak RSS measured under 6 GB), what a test machine can hold.
const MAX_DEMO_SIZE: usize = 20_000_000;

/// Parses the command line; a usage error is one `respat: ` line and exit status 2, while
/// `--help` and `--version` print as usual.
fn parse() -> Result<Cli, ExitCode> {
    use clap::error::ErrorKind;
    Cli::try_parse().map_err(|error| match error.kind() {
        ErrorKind::DisplayHelp
        | ErrorKind::DisplayVersion
        | ErrorKind::DisplayHelpOnMissingArgumentOrSubcommand => {
            let _ = error.print();
            if error.use_stderr() {
                ExitCode::from(2)
            } else {
                ExitCode::SUCCESS
            }
        }
        _ => {
            // clap's first paragraph, on one line: the message and what it names.
            let text = error.to_string();
            let message: Vec<&str> = text
                .lines()
                .take_while(|line| !line.trim().is_empty())
                .map(str::trim)
                .collect();
            let message = message.join(" ");
            let message = message.strip_prefix("error: ").unwrap_or(&message);
            warn(format_args!("respat: {message} (see `respat --help`)"));
            ExitCode::from(2)
        }
    })
}

fn main() -> ExitCode {
    let cli = match parse() {
        Ok(cli) => cli,
        Err(code) => return code,
    };
    let result = match &cli.command {
        Command::Check(args) => Ok(check::run(args)),
        Command::Match(args) => filter::run(args),
        Command::Reset(args) => reset::run(args),
        Command::Demo { size, seed } => run_demo(*size, *seed),
    };
    match result {
        Ok(code) => code,
        Err(Stop::Quiet) => ExitCode::SUCCESS,
        Err(Stop::Fatal(message)) => {
            warn(format_args!("respat: {message}"));
            ExitCode::from(2)
        }
        Err(Stop::Reported) => ExitCode::from(2),
    }
}

fn run_demo(size: usize, seed: u64) -> Result<ExitCode, Stop> {
    if size > MAX_DEMO_SIZE {
        return Err(Stop::Fatal(format!(
            "demo --size {size} is too large: at most {MAX_DEMO_SIZE}"
        )));
    }
    let mut out = stdout();
    demo::run(size, seed, &mut out)?;
    out.flush()?;
    Ok(ExitCode::SUCCESS)
}
