//! Line input shared by `match` and `reset`: resource IDs and payloads, one per line.
//!
//! Lines are read as bytes, so that a line of invalid UTF-8 is reported and skipped instead
//! of ending the run. A line ends at `\n`; a `\r` right before it (or at the end of the
//! input) is dropped too, so CRLF files work. Empty lines are skipped silently.

use std::fs::File;
use std::io::{self, BufRead, BufReader, Read};
use std::path::Path;

use crate::{io_text, warn, Stop};

/// Large enough that a file is read in few system calls.
const CAPACITY: usize = 64 * 1024;

/// The non-empty lines of a file or of standard input, with their 1-based line numbers.
pub struct Lines {
    reader: BufReader<Box<dyn Read>>,
    /// How errors name the input: `"ids.txt"` or `standard input`.
    source: String,
    line: Vec<u8>,
    number: usize,
}

impl Lines {
    /// Opens `path`, or standard input when there is none or it is `-`.
    pub fn open(path: Option<&Path>) -> Result<Lines, Stop> {
        let (input, source): (Box<dyn Read>, String) = match path.filter(|p| !is_stdin(p)) {
            Some(path) => {
                let source = format!("{path:?}");
                match File::open(path) {
                    Ok(file) => (Box::new(file), source),
                    Err(error) => return Err(read_error(&source, &error)),
                }
            }
            None => (Box::new(io::stdin().lock()), "standard input".to_string()),
        };
        Ok(Lines {
            reader: BufReader::with_capacity(CAPACITY, input),
            source,
            line: Vec::new(),
            number: 0,
        })
    }

    /// The next non-empty line, without its line ending, and its line number.
    pub fn next_line(&mut self) -> Result<Option<(usize, &[u8])>, Stop> {
        loop {
            self.line.clear();
            match self.reader.read_until(b'\n', &mut self.line) {
                Ok(0) => return Ok(None),
                Ok(_) => {}
                Err(error) if error.kind() == io::ErrorKind::Interrupted => continue,
                Err(error) => return Err(read_error(&self.source, &error)),
            }
            self.number += 1;
            let mut end = self.line.len();
            if self.line[..end].ends_with(b"\n") {
                end -= 1;
            }
            if self.line[..end].ends_with(b"\r") {
                end -= 1;
            }
            if end > 0 {
                return Ok(Some((self.number, &self.line[..end])));
            }
        }
    }

    /// Whether everything read so far has been consumed, so that the next line may have to
    /// wait for input. Callers flush their output then: results of a slow stream (a pipe
    /// fed by a live service) appear as they are found, while a file is still written in
    /// large blocks.
    pub fn is_drained(&self) -> bool {
        self.reader.buffer().is_empty()
    }

    /// How diagnostics name the input: `"ids.txt"` or `standard input`.
    pub fn source(&self) -> &str {
        &self.source
    }
}

/// Whether a path argument names standard input (`-`, as in most Unix tools).
pub fn is_stdin(path: &Path) -> bool {
    path.as_os_str() == "-"
}

/// A fatal read error: `cannot read "ids.txt": no such file or directory`.
fn read_error(source: &str, error: &io::Error) -> Stop {
    Stop::Fatal(format!("cannot read {source}: {}", io_text(error)))
}

/// Longest part of a bad line quoted in a diagnostic.
const QUOTE_LIMIT: usize = 96;

/// `bytes` as text, or `None` after reporting line `number` of `source` as invalid UTF-8,
/// quoted (cut at 96 bytes, escaped onto one line) so that the line can be found.
pub fn text<'b>(source: &str, number: usize, bytes: &'b [u8]) -> Option<&'b str> {
    match std::str::from_utf8(bytes) {
        Ok(text) => Some(text),
        Err(error) => {
            let more = if bytes.len() > QUOTE_LIMIT { "..." } else { "" };
            warn(format_args!(
                "{source} line {number}: invalid utf-8 at byte {} in \"{}{more}\"",
                error.valid_up_to(),
                escaped(&bytes[..bytes.len().min(QUOTE_LIMIT)])
            ));
            None
        }
    }
}

/// `bytes` for a quoted diagnostic: text as it is (escaped as Rust does, onto one line),
/// and each byte of invalid UTF-8 as `\xNN`, so that the bad byte can be seen.
pub fn escaped(bytes: &[u8]) -> String {
    let mut out = String::new();
    for chunk in bytes.utf8_chunks() {
        out.extend(chunk.valid().escape_debug());
        for byte in chunk.invalid() {
            out.push_str(&format!("\\x{byte:02x}"));
        }
    }
    out
}
