//! End-to-end tests of the `respat` binary: every subcommand on good and bad input, the
//! shared vectors through `reset`, and a differential run against the reference matcher.
#![cfg(feature = "cli")]

use std::collections::BTreeSet;
use std::ffi::OsStr;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::atomic::{AtomicUsize, Ordering};

use respat::corpus::Rng;
use respat::reference;
use serde_json::{json, Value};

/// What a run of the binary left behind.
struct Run {
    code: i32,
    stdout: String,
    stderr: String,
}

/// Runs `respat` with `args`, feeding `stdin` to it; its output must be UTF-8.
fn respat<S: AsRef<OsStr>>(args: &[S], stdin: &[u8]) -> Run {
    let (code, stdout, stderr) = respat_bytes(args, stdin);
    Run {
        code,
        stdout: String::from_utf8(stdout).expect("utf-8 stdout"),
        stderr: String::from_utf8(stderr).expect("utf-8 stderr"),
    }
}

/// Runs `respat` with `args`, feeding `stdin` to it: exit code, stdout and stderr bytes.
fn respat_bytes<S: AsRef<OsStr>>(args: &[S], stdin: &[u8]) -> (i32, Vec<u8>, Vec<u8>) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_respat"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn respat");
    let mut input = child.stdin.take().expect("stdin");
    let stdin = stdin.to_vec();
    // A writer thread, so that a large input cannot deadlock against a full output pipe;
    // the child may exit without reading everything, so write errors are expected.
    let writer = std::thread::spawn(move || {
        let _ = input.write_all(&stdin);
    });
    let output = child.wait_with_output().expect("wait for respat");
    writer.join().expect("stdin writer");
    (
        output.status.code().expect("exit code"),
        output.stdout,
        output.stderr,
    )
}

/// A file under the temp dir with a name unique to this process and call, removed on drop.
struct TempFile(PathBuf);

impl TempFile {
    fn new(contents: &[u8]) -> TempFile {
        static NEXT: AtomicUsize = AtomicUsize::new(0);
        let n = NEXT.fetch_add(1, Ordering::Relaxed);
        let path = std::env::temp_dir().join(format!("respat-cli-{}-{n}.txt", std::process::id()));
        std::fs::write(&path, contents).expect("write temp file");
        TempFile(path)
    }

    fn path(&self) -> &str {
        self.0.to_str().expect("utf-8 temp path")
    }
}

impl Drop for TempFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

/// Each stdout line parsed as JSON.
fn json_lines(stdout: &str) -> Vec<Value> {
    stdout
        .lines()
        .map(|line| serde_json::from_str(line).unwrap_or_else(|e| panic!("{line:?}: {e}")))
        .collect()
}

fn answer(resources: &[&str], access: &[&str], invalid: &[(&str, &str)]) -> Value {
    let invalid: Vec<Value> = invalid
        .iter()
        .map(|(pattern, error)| json!({"pattern": pattern, "error": error}))
        .collect();
    json!({"resources": resources, "access": access, "invalid": invalid})
}

// ---- check ----

#[test]
fn check_valid_patterns_is_quiet() {
    let run = respat(
        &[
            "check",
            "a.b",
            "*",
            ">",
            "a.*.>",
            "$a.{cid}.<x",
            "a-b_c:d/e=f",
        ],
        b"",
    );
    assert_eq!(
        (run.code, run.stdout.as_str(), run.stderr.as_str()),
        (0, "", "")
    );
}

#[test]
fn check_reports_each_invalid_pattern() {
    let run = respat(&["check", "a.b", "a..b", "a.>.b", "a.b?", "a*"], b"");
    assert_eq!(run.code, 1);
    assert_eq!(run.stdout, "");
    assert_eq!(
        run.stderr,
        "invalid pattern \"a..b\": empty part at byte 2\n\
         invalid pattern \"a.>.b\": '>' must be the last part at byte 2\n\
         invalid pattern \"a.b?\": '?' not allowed in a pattern at byte 3\n\
         invalid pattern \"a*\": wildcard must be a whole part at byte 1\n"
    );
}

#[test]
fn check_escapes_control_bytes_on_one_line() {
    let run = respat(&["check", "a\nb", ""], b"");
    assert_eq!(run.code, 1);
    assert_eq!(
        run.stderr,
        "invalid pattern \"a\\nb\": invalid byte 0x0a at byte 1\n\
         invalid pattern \"\": empty part at byte 0\n"
    );
}

#[cfg(unix)]
#[test]
fn check_reports_a_non_utf8_argument_as_invalid() {
    use std::os::unix::ffi::OsStrExt;
    let run = respat(&[OsStr::new("check"), OsStr::from_bytes(b"a.\xffb")], b"");
    assert_eq!(run.code, 1);
    assert_eq!(
        run.stderr,
        "invalid pattern \"a.\\xffb\": invalid utf-8 at byte 2\n"
    );
}

#[test]
fn check_without_patterns_is_a_usage_error() {
    let run = respat(&["check"], b"");
    assert_eq!(run.code, 2);
    assert_eq!(
        run.stderr,
        "respat: the following required arguments were not provided: <PATTERN>... \
         (see `respat --help`)\n"
    );
}

#[test]
fn unknown_subcommand_is_a_usage_error() {
    assert_eq!(respat(&["frobnicate"], b"").code, 2);
    assert_eq!(respat::<&str>(&[], b"").code, 2);
}

// ---- match ----

const IDS: &str = "test.model\n\
                   other.model\n\
                   test.model?q=foo&f=1\n\
                   test.model.child\n\
                   test.collection?start=0\n\
                   test.model\n";

#[test]
fn match_reads_stdin_in_input_order_with_query_variants() {
    let run = respat(&["match", "test.model", "*.collection"], IDS.as_bytes());
    assert_eq!((run.code, run.stderr.as_str()), (0, ""));
    assert_eq!(
        run.stdout,
        "test.model\ntest.model?q=foo&f=1\ntest.collection?start=0\ntest.model\n"
    );
}

#[test]
fn match_reads_an_ids_file() {
    let ids = TempFile::new(IDS.as_bytes());
    let run = respat(
        &["match", "--ids", ids.path(), "test.*.>"],
        b"ignored.stdin\n",
    );
    assert_eq!((run.code, run.stderr.as_str()), (0, ""));
    assert_eq!(run.stdout, "test.model.child\n");
    let run = respat(&["match", "--ids", ids.path(), ">"], b"");
    assert_eq!(run.stdout, IDS);
}

#[test]
fn match_reports_invalid_id_lines_and_goes_on() {
    let input = b"a.b\n\na..b\na.b?x\n?q\na.*\nz.b\n";
    let run = respat(&["match", "*.b"], input);
    assert_eq!(run.code, 0);
    assert_eq!(run.stdout, "a.b\na.b?x\nz.b\n");
    assert_eq!(
        run.stderr,
        "standard input line 3: invalid resource id \"a..b\": empty part at byte 2\n\
         standard input line 5: invalid resource id \"?q\": empty part at byte 0\n\
         standard input line 6: invalid resource id \"a.*\": wildcard '*' not allowed in a resource id at byte 2\n"
    );
}

#[test]
fn match_reports_invalid_utf8_lines() {
    let run = respat(&["match", ">"], b"a.b\nab\xc3(.c\nt\xc3\xa4st\nc\n");
    assert_eq!(run.code, 0);
    assert_eq!(run.stdout, "a.b\nc\n");
    assert_eq!(
        run.stderr,
        "standard input line 2: invalid utf-8 at byte 2 in \"ab\\xc3(.c\"\n\
         standard input line 3: invalid resource id \"t\u{e4}st\": invalid byte 0xc3 at byte 1\n"
    );
}

#[test]
fn match_prints_ids_whose_query_is_not_utf8_byte_for_byte() {
    // The query is never checked; only the name before the first `?` must be valid.
    let input = b"a.b?\xff\xfe=1\nz.b?\xff\na\xff.c?x\na.c?ok\n";
    let (code, stdout, stderr) = respat_bytes(&["match", "a.*"], input);
    assert_eq!(code, 0);
    assert_eq!(stdout, b"a.b?\xff\xfe=1\na.c?ok\n");
    assert_eq!(
        String::from_utf8_lossy(&stderr),
        "standard input line 3: invalid utf-8 at byte 1 in \"a\\xff.c?x\"\n"
    );
}

#[test]
fn match_accepts_crlf_line_endings() {
    let run = respat(&["match", "a.*"], b"a.b\r\nb.c\r\n\r\na.c?x=1\r\na.d");
    assert_eq!((run.code, run.stderr.as_str()), (0, ""));
    assert_eq!(run.stdout, "a.b\na.c?x=1\na.d\n");
}

#[test]
fn match_invalid_pattern_fails_before_reading_input() {
    let run = respat(&["match", "a.b", "a..b", "c.>.d"], b"a.b\n");
    assert_eq!(run.code, 2);
    assert_eq!(run.stdout, "");
    assert_eq!(
        run.stderr,
        "respat: invalid pattern \"a..b\": empty part at byte 2\n\
         respat: invalid pattern \"c.>.d\": '>' must be the last part at byte 2\n"
    );
}

#[test]
fn match_missing_ids_file_is_fatal() {
    let path = std::env::temp_dir().join(format!("respat-cli-absent-{}", std::process::id()));
    let run = respat(
        &[
            OsStr::new("match"),
            OsStr::new("--ids"),
            path.as_os_str(),
            OsStr::new(">"),
        ],
        b"",
    );
    assert_eq!(run.code, 2);
    assert_eq!(run.stdout, "");
    assert_eq!(
        run.stderr,
        format!("respat: cannot read {path:?}: no such file or directory\n")
    );
}

#[test]
fn match_ends_quietly_when_stdout_is_closed() {
    let mut child = Command::new(env!("CARGO_BIN_EXE_respat"))
        .args(["match", ">"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn respat");
    let mut input = child.stdin.take().expect("stdin");
    let writer = std::thread::spawn(move || {
        let _ = input.write_all(&b"a.b\n".repeat(500_000));
    });
    let mut stdout = child.stdout.take().expect("stdout");
    let mut first = [0u8; 4];
    stdout.read_exact(&mut first).expect("first line");
    assert_eq!(&first, b"a.b\n");
    drop(stdout);
    let mut stderr = String::new();
    let mut pipe = child.stderr.take().expect("stderr");
    pipe.read_to_string(&mut stderr).expect("stderr");
    let status = child.wait().expect("wait");
    writer.join().expect("writer");
    assert_eq!((status.code(), stderr.as_str()), (Some(0), ""));
}

// ---- reset ----

const CACHED: &[u8] = b"test.model\ntest.model?q=foo&f=1\ntest.model.child\n";

#[test]
fn reset_event_prints_one_exact_json_line() {
    let ids = TempFile::new(CACHED);
    let run = respat(
        &[
            "reset",
            "--ids",
            ids.path(),
            "--event",
            r#"{"resources":["test","test.>"]}"#,
        ],
        b"",
    );
    assert_eq!((run.code, run.stderr.as_str()), (0, ""));
    assert_eq!(
        run.stdout,
        "{\"resources\":[\"test.model\",\"test.model.child\",\"test.model?q=foo&f=1\"],\
         \"access\":[],\"invalid\":[]}\n"
    );
}

#[test]
fn reset_reports_invalid_patterns_once_and_applies_the_rest() {
    let ids = TempFile::new(CACHED);
    let event =
        r#"{"resources":["test.model","x..y","x..y","a*"],"access":["x..y","*.*"],"other":1}"#;
    let run = respat(&["reset", "--ids", ids.path(), "--event", event], b"");
    assert_eq!(run.code, 0);
    assert_eq!(
        json_lines(&run.stdout),
        [answer(
            &["test.model", "test.model?q=foo&f=1"],
            &["test.model", "test.model?q=foo&f=1"],
            &[
                ("x..y", "invalid pattern \"x..y\": empty part at byte 2"),
                (
                    "a*",
                    "invalid pattern \"a*\": wildcard must be a whole part at byte 1"
                ),
            ],
        )]
    );
}

#[test]
fn reset_rejected_payload_answers_an_error_and_the_next_is_processed() {
    let ids = TempFile::new(CACHED);
    let events = b"{\"resources\":[\"test.model.*\"]}\n\
                   \n\
                   {\"resources\":[\"test\"\n\
                   {\"resources\":\"test\"}\n\
                   {\"access\":[\"\xff\"]}\n\
                   {\"access\":[\"*.model\"]}\r\n";
    let run = respat(&["reset", "--ids", ids.path()], events);
    assert_eq!(run.code, 0);
    // Each rejected payload is also reported on standard error, named by its line (the
    // answers skip the empty line, so their count alone would not say which).
    let reported: Vec<&str> = run
        .stderr
        .lines()
        .map(|l| l.split(": ").next().unwrap_or(l))
        .collect();
    assert_eq!(
        reported,
        [
            "standard input line 3",
            "standard input line 4",
            "standard input line 5"
        ],
        "{}",
        run.stderr
    );
    let lines = json_lines(&run.stdout);
    assert_eq!(lines.len(), 5, "{}", run.stdout);
    assert_eq!(lines[0], answer(&["test.model.child"], &[], &[]));
    for rejected in &lines[1..4] {
        let error = rejected["error"].as_str().expect("an error member");
        assert!(error.starts_with("invalid reset payload: "), "{error}");
        assert_eq!(rejected.as_object().map(|o| o.len()), Some(1));
    }
    assert_eq!(
        lines[2],
        json!({"error": "invalid reset payload: invalid type: string \"test\", expected a list of patterns at byte 18"})
    );
    assert_eq!(
        lines[4],
        answer(&[], &["test.model", "test.model?q=foo&f=1"], &[])
    );
}

#[test]
fn reset_reads_an_events_file() {
    let ids = TempFile::new(CACHED);
    let events = TempFile::new(b"{\"resources\":[\">\"]}\n{}\n");
    let run = respat(&["reset", "--ids", ids.path(), events.path()], b"{}\n");
    assert_eq!((run.code, run.stderr.as_str()), (0, ""));
    assert_eq!(
        json_lines(&run.stdout),
        [
            answer(
                &["test.model", "test.model.child", "test.model?q=foo&f=1"],
                &[],
                &[]
            ),
            answer(&[], &[], &[]),
        ]
    );
}

#[test]
fn reset_empty_event_argument_is_an_empty_reset() {
    let ids = TempFile::new(CACHED);
    let run = respat(
        &["reset", "--ids", ids.path(), "--event", ""],
        b"{\"resources\":[\">\"]}\n",
    );
    assert_eq!((run.code, run.stderr.as_str()), (0, ""));
    assert_eq!(
        run.stdout,
        "{\"resources\":[],\"access\":[],\"invalid\":[]}\n"
    );
}

#[test]
fn reset_ids_file_invalid_lines_are_reported_and_duplicates_collapse() {
    let ids = TempFile::new(b"a.b\r\na..b\na.b\n\n\xfe\na.b?x\na.b?x\nc\n");
    let run = respat(
        &[
            "reset",
            "--ids",
            ids.path(),
            "--event",
            r#"{"access":["a.b",">"]}"#,
        ],
        b"",
    );
    assert_eq!(run.code, 0);
    let file = format!("{:?}", ids.path());
    assert_eq!(
        run.stderr,
        format!(
            "{file} line 2: invalid resource id \"a..b\": empty part at byte 2\n\
             {file} line 5: invalid utf-8 at byte 0 in \"\\xfe\"\n"
        )
    );
    assert_eq!(
        json_lines(&run.stdout),
        [answer(&[], &["a.b", "a.b?x", "c"], &[])]
    );
}

#[test]
fn reset_missing_ids_file_is_fatal() {
    let path = std::env::temp_dir().join(format!("respat-cli-absent-{}", std::process::id()));
    let args = [
        OsStr::new("reset"),
        OsStr::new("--ids"),
        path.as_os_str(),
        OsStr::new("--event"),
        OsStr::new("{}"),
    ];
    let run = respat(&args, b"");
    assert_eq!(run.code, 2);
    assert_eq!(run.stdout, "");
    assert_eq!(
        run.stderr,
        format!("respat: cannot read {path:?}: no such file or directory\n")
    );
}

#[test]
fn a_dash_names_standard_input() {
    let run = respat(&["match", "--ids", "-", "a.*"], b"a.b\nc.d\na.e?x\n");
    assert_eq!((run.code, run.stderr.as_str()), (0, ""));
    assert_eq!(run.stdout, "a.b\na.e?x\n");

    let event = r#"{"resources":["test.model"]}"#;
    let run = respat(&["reset", "--ids", "-", "--event", event], CACHED);
    assert_eq!((run.code, run.stderr.as_str()), (0, ""));
    assert_eq!(
        json_lines(&run.stdout),
        [answer(&["test.model", "test.model?q=foo&f=1"], &[], &[])]
    );

    let ids = TempFile::new(CACHED);
    let run = respat(&["reset", "--ids", ids.path(), "-"], b"{}\n");
    assert_eq!((run.code, run.stderr.as_str()), (0, ""));
    assert_eq!(json_lines(&run.stdout), [answer(&[], &[], &[])]);

    // The IDs and the payloads cannot share standard input.
    for args in [&["reset", "--ids", "-"][..], &["reset", "--ids", "-", "-"]] {
        let run = respat(args, b"{}\n");
        assert_eq!((run.code, run.stdout.as_str()), (2, ""));
        assert_eq!(
            run.stderr,
            "respat: --ids - and the payloads cannot both be standard input: give the payloads in a file or with --event\n"
        );
    }
}

#[test]
fn reset_usage_errors() {
    let ids = TempFile::new(CACHED);
    let events = TempFile::new(b"{}\n");
    assert_eq!(respat(&["reset", "--event", "{}"], b"").code, 2);
    let both = ["reset", "--ids", ids.path(), "--event", "{}", events.path()];
    let run = respat(&both, b"");
    assert_eq!((run.code, run.stdout.as_str()), (2, ""));
}

#[test]
fn reset_stats_go_to_stderr_only() {
    let ids = TempFile::new(CACHED);
    let run = respat(
        &["reset", "--ids", ids.path(), "--stats"],
        b"{\"resources\":[\"test.model.*\"]}\nnot json\n",
    );
    assert_eq!(run.code, 0);
    assert_eq!(
        json_lines(&run.stdout),
        [
            answer(&["test.model.child"], &[], &[]),
            json!({"error": "invalid reset payload: expected ident at byte 1"}),
        ]
    );
    assert!(run.stderr.contains("loaded 3 ids"), "{}", run.stderr);
    assert!(run.stderr.contains("bytes per id"), "{}", run.stderr);
    assert!(
        run.stderr
            .contains("stats: standard input line 1: 1 resources, 0 access"),
        "{}",
        run.stderr
    );
    // Besides the stats, only the rejected payload, named by its line.
    let rejected = "standard input line 2: invalid reset payload: expected ident at byte 1";
    let other: Vec<&str> = run
        .stderr
        .lines()
        .filter(|l| !l.starts_with("stats: "))
        .collect();
    assert_eq!(other, [rejected]);
}

/// The `resets` and `events` vectors, through the binary.
#[test]
fn reset_vectors() {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/data/vectors.json");
    let text = std::fs::read_to_string(path).expect("read vectors.json");
    let vectors: Value = serde_json::from_str(&text).expect("parse vectors.json");
    let strings = |v: &Value| -> Vec<String> {
        v.as_array()
            .expect("a list")
            .iter()
            .map(|s| s.as_str().expect("a string").to_string())
            .collect()
    };

    let resets = vectors["resets"].as_array().expect("resets");
    assert!(!resets.is_empty());
    for case in resets {
        let cached = strings(&case["cached"]).join("\n");
        let ids = TempFile::new(cached.as_bytes());
        let patterns = &case["patterns"];
        let event = json!({"resources": patterns, "access": patterns}).to_string();
        let run = respat(&["reset", "--ids", ids.path(), "--event", &event], b"");
        assert_eq!((run.code, run.stderr.as_str()), (0, ""), "{case}");
        let lines = json_lines(&run.stdout);
        assert_eq!(lines.len(), 1);
        assert_eq!(lines[0]["resources"], case["expect"], "{case}");
        assert_eq!(lines[0]["access"], case["expect"], "{case}");
        let invalid: Vec<&Value> = lines[0]["invalid"]
            .as_array()
            .expect("invalid list")
            .iter()
            .map(|i| &i["pattern"])
            .collect();
        let expected: Vec<&Value> = case["invalid"]
            .as_array()
            .expect("invalid")
            .iter()
            .collect();
        assert_eq!(invalid, expected, "{case}");
    }

    let ids = TempFile::new(b"");
    for case in vectors["events"].as_array().expect("events") {
        let payload = case["payload"].as_str().expect("payload");
        let run = respat(&["reset", "--ids", ids.path(), "--event", payload], b"");
        assert_eq!(run.code, 0, "{case}");
        let lines = json_lines(&run.stdout);
        assert_eq!(lines.len(), 1, "{case}");
        let ok = case["ok"].as_bool().expect("ok");
        assert_eq!(
            lines[0].get("error").is_none(),
            ok,
            "{case}: {}",
            run.stdout
        );
    }
}

// ---- differential: the binary against the reference matcher ----

/// The parts of random names: mostly a small alphabet, so that matches are frequent, plus
/// a wide one (more children than a node keeps in a short vector) and labels too long to
/// store inline.
fn random_part<'a>(rng: &mut Rng, wildcards: bool) -> &'a str {
    const SMALL: [&str; 4] = ["a", "b", "c", "$d"];
    const WIDE: [&str; 12] = [
        "n0", "n1", "n2", "n3", "n4", "n5", "n6", "n7", "n8", "n9", "n10", "n11",
    ];
    const LONG: [&str; 2] = [
        "a-label-longer-than-twenty-two-bytes",
        "another-label-longer-than-twenty-two",
    ];
    match rng.below(if wildcards { 12 } else { 10 }) {
        0..=5 => rng.pick(&SMALL),
        6..=7 => rng.pick(&WIDE),
        8..=9 => rng.pick(&LONG),
        _ => "*",
    }
}

/// Random IDs; some are invalid on purpose.
fn random_id(rng: &mut Rng) -> String {
    if rng.below(40) == 0 {
        return rng
            .pick(&["a..b", ".a", "a.", "a.*", "?q", "a b", "a.>", "b.?x"])
            .to_string();
    }
    let parts: Vec<&str> = (0..1 + rng.below(4))
        .map(|_| random_part(rng, false))
        .collect();
    let mut id = parts.join(".");
    if rng.below(5) == 0 {
        id.push_str(rng.pick(&["?", "?x=1", "?y=*.>&?", "?x=1&z=a.b"]));
    }
    id
}

/// Random valid patterns, bare `>` included.
fn random_pattern(rng: &mut Rng) -> String {
    if rng.below(200) == 0 {
        return ">".to_string();
    }
    let mut parts: Vec<&str> = (0..1 + rng.below(4))
        .map(|_| random_part(rng, true))
        .collect();
    if rng.below(4) == 0 {
        parts.push(">");
    }
    parts.join(".")
}

#[test]
fn differential_against_the_reference() {
    let mut rng = Rng(0x5eed);
    let ids: Vec<String> = (0..3000).map(|_| random_id(&mut rng)).collect();
    let patterns: Vec<String> = (0..1000).map(|_| random_pattern(&mut rng)).collect();
    assert!(patterns.iter().all(|p| reference::is_valid_pattern(p)));
    let input = ids.join("\n") + "\n";

    // match: single patterns and groups of five (so misses are common), groups of a
    // hundred, then all of them.
    let mut groups: Vec<&[String]> = patterns.chunks(1).take(20).collect();
    groups.extend(patterns.chunks(5).take(40));
    groups.extend(patterns.chunks(100));
    groups.push(&patterns);
    let (mut hits, mut misses) = (0, 0);
    for group in groups {
        let mut args = vec!["match".to_string()];
        args.extend(group.iter().cloned());
        let run = respat(&args, input.as_bytes());
        assert_eq!(run.code, 0);
        let expected: Vec<&str> = ids
            .iter()
            .filter(|id| reference::matches_id(group, id))
            .map(String::as_str)
            .collect();
        let got: Vec<&str> = run.stdout.lines().collect();
        assert_eq!(got, expected, "patterns {group:?}");
        hits += expected.len();
        misses += ids.len() - expected.len();
        let invalid = ids
            .iter()
            .filter(|id| reference::split_id(id).is_none())
            .count();
        assert_eq!(run.stderr.lines().count(), invalid);
    }

    assert!(
        hits > 3000 && misses > 3000,
        "too easy: {hits} hits, {misses} misses"
    );

    // reset: random lists drawn from the patterns plus some invalid ones.
    let bad = ["a..b", "a.>.b", "a*", "a.b?", ""];
    let list = |rng: &mut Rng| -> Vec<String> {
        (0..rng.below(30))
            .map(|_| match rng.below(8) {
                0 => rng.pick(&bad).to_string(),
                _ => patterns[rng.below(patterns.len())].clone(),
            })
            .collect()
    };
    let events: Vec<(Vec<String>, Vec<String>)> =
        (0..40).map(|_| (list(&mut rng), list(&mut rng))).collect();
    let payloads: String = events
        .iter()
        .map(|(resources, access)| {
            json!({"resources": resources, "access": access}).to_string() + "\n"
        })
        .collect();
    let file = TempFile::new(input.as_bytes());
    let run = respat(&["reset", "--ids", file.path()], payloads.as_bytes());
    assert_eq!(run.code, 0);
    let lines = json_lines(&run.stdout);
    assert_eq!(lines.len(), events.len());
    let covered = |list: &[String]| -> Vec<String> {
        let set: BTreeSet<&String> = ids
            .iter()
            .filter(|id| reference::matches_id(list, id))
            .collect();
        set.into_iter().cloned().collect()
    };
    let answered = lines.iter().filter(|l| l["resources"] != json!([])).count();
    assert!(answered > 10, "too few resets match anything");
    for ((resources, access), line) in events.iter().zip(&lines) {
        let mut invalid: Vec<String> = Vec::new();
        for p in resources.iter().chain(access) {
            if !reference::is_valid_pattern(p) && !invalid.contains(p) {
                invalid.push(p.clone());
            }
        }
        let got_invalid: Vec<&str> = line["invalid"]
            .as_array()
            .expect("invalid")
            .iter()
            .map(|i| i["pattern"].as_str().expect("pattern"))
            .collect();
        assert_eq!(
            line["resources"],
            json!(covered(resources)),
            "{resources:?}"
        );
        assert_eq!(line["access"], json!(covered(access)), "{access:?}");
        assert_eq!(got_invalid, invalid, "{resources:?} {access:?}");
    }
}

// ---------------------------------------------------------------------------------------
// The README's command-line examples
// ---------------------------------------------------------------------------------------

/// Runs every `$ command` of the README's `console` blocks with `respat` on the PATH, in a
/// fresh folder, and compares what it prints (stdout and stderr together) with the lines
/// the README shows under it, so the README cannot drift from the tool.
#[test]
fn readme_console_examples_hold() {
    let readme = std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md"))
        .expect("README.md");
    let bin_dir = Path::new(env!("CARGO_BIN_EXE_respat"))
        .parent()
        .expect("binary folder")
        .to_path_buf();
    let work = std::env::temp_dir().join(format!("respat-readme-{}", std::process::id()));
    std::fs::create_dir_all(&work).expect("temp folder");
    let path = format!(
        "{}:{}",
        bin_dir.display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let mut commands = 0;
    for block in readme.split("```console\n").skip(1) {
        let block = block.split("```").next().unwrap_or_default();
        let mut lines = block.lines().peekable();
        while let Some(line) = lines.next() {
            let command = line
                .strip_prefix("$ ")
                .expect("a console block starts with `$ `");
            let mut expected = Vec::new();
            while let Some(next) = lines.peek() {
                if next.starts_with("$ ") {
                    break;
                }
                expected.push(lines.next().unwrap_or_default());
            }
            let output = Command::new("bash")
                .arg("-c")
                .arg(format!("{command} 2>&1"))
                .current_dir(&work)
                .env("PATH", &path)
                .output()
                .expect("bash runs");
            let printed = String::from_utf8_lossy(&output.stdout);
            assert_eq!(
                printed.lines().collect::<Vec<_>>(),
                expected,
                "README command: {command}"
            );
            commands += 1;
        }
    }
    assert!(commands >= 4, "only {commands} README commands found");
    let _ = std::fs::remove_dir_all(&work);
}
