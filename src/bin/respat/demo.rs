//! `respat demo`: the main job on a generated corpus, side by side with today's gateways.
//!
//! Builds a `ResourceIndex` and, as Resgate keeps its cache, a `HashSet<String>` of the same
//! IDs; then resolves representative resets with respat and with a linear scan of the set,
//! checks that both find the same IDs, and prints the times and their ratio.

mod measure;
mod pick;
mod scan;

use std::hint::black_box;
use std::io::{self, Write};
use std::time::{Duration, Instant};

use hashbrown::HashSet;
use respat::{Pattern, PatternSet, ResourceIndex};

use measure::{bytes, count, duration, percent, speedup, thousands};

/// Runs the linear scan this many times and reports the median.
const SCAN_RUNS: usize = 3;

/// One measured reset.
struct Row {
    label: String,
    patterns: usize,
    matched: usize,
    respat: Duration,
    scan: Duration,
}

impl Row {
    fn speedup(&self) -> f64 {
        self.scan.as_secs_f64() / self.respat.as_secs_f64()
    }
}

/// Runs the demo on `size` generated IDs from `seed`, writing the report to `out`.
pub fn run(size: usize, seed: u64, out: &mut dyn std::io::Write) -> std::io::Result<()> {
    writeln!(
        out,
        "respat demo: system.reset resolution over {} (seed {seed})",
        count(size, "cached resource ID")
    )?;
    writeln!(out)?;

    let start = Instant::now();
    let corpus = respat::corpus::generate(size, seed);
    let generated = start.elapsed();
    let n = corpus.ids.len();
    writeln!(
        out,
        "corpus  {} of {}, generated in {}",
        count(n, "ID"),
        count(corpus.services.len(), "service"),
        duration(generated)
    )?;
    if let (Some(first), Some(last)) = (corpus.services.first(), corpus.services.last()) {
        writeln!(
            out,
            "        largest service: {} ({}); smallest: {} ({})",
            first.name,
            count(first.ids, "ID"),
            last.name,
            count(last.ids, "ID")
        )?;
    }
    writeln!(out)?;
    out.flush()?;

    let (index, cache) = build(out, &corpus.ids)?;
    writeln!(out)?;

    let picks = pick::resets(&corpus);
    let width = picks.iter().map(|p| p.what.len()).max().unwrap_or(0) + 3;
    writeln!(out, "resets (picked by scanning the corpus)")?;
    for p in &picks {
        let text = match &p.patterns {
            Ok(patterns) => patterns.join("  "),
            Err(why) => format!("(skipped: {why})"),
        };
        writeln!(out, "  {} {:<w$} {text}", p.key, p.what, w = width - 2)?;
    }
    writeln!(out)?;
    if picks.iter().all(|p| p.patterns.is_err()) {
        writeln!(out, "no reset to run: the corpus is empty.")?;
        return Ok(());
    }
    out.flush()?;

    // One untimed pass over the set, so that the first reset's scans are not timed cold
    // (respat's timing warms up by itself).
    scan::scan(&cache, &[], &mut Vec::new());

    let row = |out: &mut dyn Write, cells: [&str; 7]| {
        let [a, b, c, d, e, f, g] = cells;
        let w = width + 2;
        writeln!(
            out,
            "{a:<w$}  {b:>8}  {c:>9}  {d:>10}  {e:>9}  {f:>11}  {g:>9}"
        )
    };
    let head = [
        "reset",
        "patterns",
        "matched",
        "% of cache",
        "respat",
        "linear scan",
        "speedup",
    ];
    row(out, head)?;
    let mut rows = Vec::new();
    for p in &picks {
        let Ok(texts) = &p.patterns else { continue };
        let r = measure_reset(out, &index, &cache, format!("{}  {}", p.key, p.what), texts);
        let cells = [
            r.label.clone(),
            r.patterns.to_string(),
            thousands(r.matched),
            percent(r.matched, n),
            duration(r.respat),
            duration(r.scan),
            speedup(r.speedup()),
        ];
        row(out, cells.each_ref().map(String::as_str))?;
        out.flush()?;
        rows.push(r);
    }
    writeln!(out)?;
    writeln!(
        out,
        "respat       median time of one resolution of the reset's compiled pattern set,\n\
         \x20            collecting the matched entries (repeated for {} ms or {} runs)",
        measure::BUDGET.as_millis(),
        thousands(measure::REPS as usize)
    )?;
    writeln!(
        out,
        "linear scan  median of {SCAN_RUNS} scans of the whole HashSet: each ID's query cut at \
         the first '?',\n\
         \x20            every pattern tested on the name token by token, as Resgate does"
    )?;
    writeln!(
        out,
        "check        both found exactly the same IDs for all {}",
        count(rows.len(), "reset")
    )?;
    writeln!(out)?;
    summary(out, &rows, n)
}

/// Builds the index and the gateway's `HashSet`, and prints their build times and heap.
fn build(out: &mut dyn Write, ids: &[String]) -> io::Result<(ResourceIndex<()>, HashSet<String>)> {
    let start = Instant::now();
    let mut index = ResourceIndex::new();
    for id in ids {
        if let Err(error) = index.insert(id, ()) {
            fail(out, &format!("generated ID rejected: {error}"));
        }
    }
    let index_build = start.elapsed();
    let start = Instant::now();
    let mut cache = HashSet::new();
    for id in ids {
        cache.insert(id.clone());
    }
    let cache_build = start.elapsed();
    if index.len() != ids.len() || cache.len() != ids.len() {
        fail(out, "the caches do not hold every generated ID once");
    }

    let per_id = |heap: usize| match ids.len() {
        0 => "-".to_string(),
        n => format!("{:.1}", heap as f64 / n as f64),
    };
    let line = |out: &mut dyn Write, cells: [&str; 5]| {
        let [a, b, c, d, e] = cells;
        let text = format!("{a:<26}  {b:>8}  {c:>13}  {d:>9}  {e}");
        writeln!(out, "{}", text.trim_end())
    };
    line(out, ["cache", "build", "heap bytes/ID", "heap", ""])?;
    let (heap, nodes) = (index.memory_usage(), count(index.node_count(), "trie node"));
    let cells = [duration(index_build), per_id(heap), bytes(heap)];
    let [b, c, d] = cells.each_ref().map(String::as_str);
    line(out, ["respat ResourceIndex<()>", b, c, d, &nodes])?;
    let heap = scan::heap_estimate(&cache);
    let cells = [duration(cache_build), per_id(heap), bytes(heap)];
    let [b, c, d] = cells.each_ref().map(String::as_str);
    line(out, ["gateway HashSet<String>", b, c, d, "estimate"])?;
    writeln!(
        out,
        "  heap: bytes of heap each owns, allocator overhead not counted for either. The index\n\
         \x20 reports its own; the HashSet (hashbrown's, with foldhash: faster to build than std's)\n\
         \x20 is estimated as buckets x ({} + 1 control byte) + 16 + the strings' capacities.",
        std::mem::size_of::<String>()
    )?;
    Ok((index, cache))
}

/// Resolves one reset both ways, checks that they agree, and times each.
fn measure_reset(
    out: &mut dyn Write,
    index: &ResourceIndex<()>,
    cache: &HashSet<String>,
    label: String,
    texts: &[String],
) -> Row {
    let patterns: Vec<Pattern> = texts
        .iter()
        .map(|text| {
            Pattern::new(text)
                .unwrap_or_else(|error| fail(out, &format!("picked an invalid pattern: {error}")))
        })
        .collect();
    let set: PatternSet<()> = patterns.iter().map(|p| (p, ())).collect();
    let tokens = scan::tokens(&patterns);

    // Timed first; the last scan's IDs then serve for the check.
    let respat = measure::repeated(|| {
        // `for_each` takes the walk's streaming `fold` (`collect` steps `next`).
        let mut found = Vec::new();
        index
            .resolve(black_box(&set))
            .for_each(|entry| found.push(entry));
        black_box(found).len()
    });
    let mut hits = Vec::new();
    let scan = measure::median_of(SCAN_RUNS, || {
        let mut found = Vec::new();
        scan::scan(black_box(cache), black_box(&tokens), &mut found);
        hits = black_box(found);
    });

    // Both must find the same IDs: compared as sorted lists.
    let mut found: Vec<String> = index.resolve(&set).map(|entry| entry.id()).collect();
    found.sort_unstable();
    hits.sort_unstable();
    if found != hits {
        // Both lists are sorted: name one ID that only one side found.
        let only_respat = found
            .iter()
            .find(|id| hits.binary_search(&id.as_str()).is_err());
        let only_scan = hits
            .iter()
            .find(|id| found.binary_search_by(|f| f.as_str().cmp(id)).is_err());
        fail(
            out,
            &format!(
                "reset {label:?} ({}): respat found {} IDs, the linear scan {}; only respat \
                 found {only_respat:?}, only the scan {only_scan:?}",
                texts.join(" "),
                found.len(),
                hits.len()
            ),
        );
    }
    Row {
        label,
        patterns: patterns.len(),
        matched: found.len(),
        respat,
        scan,
    }
}

/// The closing lines: how much faster respat is on the narrow resets, and on the others.
fn summary(out: &mut dyn Write, rows: &[Row], n: usize) -> io::Result<()> {
    let (narrow, wide): (Vec<&Row>, Vec<&Row>) = rows.iter().partition(|r| r.matched * 100 < n);
    if narrow.is_empty() {
        writeln!(out, "no reset matched < 1% of the cache.")?;
    }
    for (class, rows) in [("< 1%", narrow), (">= 1%", wide)] {
        if rows.is_empty() {
            continue;
        }
        let keys: Vec<&str> = rows.iter().map(|r| &r.label[..1]).collect();
        let speedups = rows.iter().map(|r| r.speedup());
        let slowest = speedups.clone().fold(f64::INFINITY, f64::min);
        let fastest = speedups.fold(0.0, f64::max);
        write!(
            out,
            "resets matching {class} of the cache ({}): ",
            keys.join(", ")
        )?;
        if slowest >= 1.0 {
            write!(
                out,
                "respat is at least {} faster than the linear scan",
                speedup(slowest)
            )?;
            match rows.len() {
                1 => writeln!(out, ".")?,
                _ => writeln!(out, " (up to {}).", speedup(fastest))?,
            }
        } else {
            writeln!(
                out,
                "respat's speedup over the linear scan is {} to {}.",
                speedup(slowest),
                speedup(fastest)
            )?;
        }
    }
    Ok(())
}

/// Ends the run on an internal fault (respat and the scan disagree): flushes the report so
/// far, prints one `respat: demo: ` line on standard error and exits with status 2.
fn fail(out: &mut dyn Write, message: &str) -> ! {
    let _ = out.flush();
    let _ = writeln!(io::stderr().lock(), "respat: demo: {message}");
    std::process::exit(2)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn report(size: usize) -> String {
        let mut out = Vec::new();
        run(size, 1, &mut out).unwrap();
        String::from_utf8(out).unwrap()
    }

    #[test]
    fn tiny_corpora_do_not_panic() {
        assert!(report(0).contains("no reset to run"));
        for size in [1, 2, 7, 100] {
            let text = report(size);
            assert!(text.contains("both found exactly the same IDs"), "{text}");
        }
    }

    #[test]
    fn every_reset_runs_on_a_realistic_corpus() {
        let text = report(20_000);
        assert!(!text.contains("skipped"), "{text}");
        assert!(text.contains("for all 7 resets"), "{text}");
        assert!(text.contains("resets matching < 1% of the cache (a, b, c, d, f, g)"));
    }
}
