//! Robust timing of small and large operations, and human-readable numbers.

use std::hint::black_box;
use std::time::{Duration, Instant};

/// Stop repeating a fast operation once this much time has been spent...
pub const BUDGET: Duration = Duration::from_millis(20);
/// ...or once it has run this many times.
pub const REPS: u32 = 1_000;
/// A sample times a batch of calls lasting about this long, so that reading the clock
/// (tens of nanoseconds) does not distort operations of a few hundred nanoseconds.
const SAMPLE: Duration = Duration::from_micros(10);
/// At most this many calls per sample, so that even the fastest operation gets 25 samples.
const MAX_BATCH: u32 = 40;

/// The median time of one call of `f`, over repeated calls until [`BUDGET`] or [`REPS`]
/// (at least 3 samples). `f` returns something derived from its work, to keep it alive.
pub fn repeated(mut f: impl FnMut() -> usize) -> Duration {
    // Warm up caches and branch predictors, and size the batches on the second call.
    black_box(f());
    let start = Instant::now();
    black_box(f());
    let once = start.elapsed().max(Duration::from_nanos(1));
    let batch = u32::try_from(SAMPLE.as_nanos() / once.as_nanos())
        .unwrap_or(MAX_BATCH)
        .clamp(1, MAX_BATCH);
    let (mut samples, mut total, mut reps) = (Vec::new(), Duration::ZERO, 0);
    while samples.len() < 3 || (total < BUDGET && reps < REPS) {
        let start = Instant::now();
        for _ in 0..batch {
            black_box(f());
        }
        let elapsed = start.elapsed();
        samples.push(elapsed / batch);
        total += elapsed;
        reps += batch;
    }
    median(samples)
}

/// The median time of `runs` calls of `f`, each timed on its own.
pub fn median_of(runs: usize, mut f: impl FnMut()) -> Duration {
    let samples = (0..runs.max(1))
        .map(|_| {
            let start = Instant::now();
            f();
            start.elapsed()
        })
        .collect();
    median(samples)
}

fn median(mut samples: Vec<Duration>) -> Duration {
    samples.sort_unstable();
    samples[samples.len() / 2]
}

/// `1.23 µs`, `45.6 ms`, `789 ns`: three significant digits.
pub fn duration(d: Duration) -> String {
    let ns = d.as_nanos() as f64;
    let (value, unit) = if ns < 1e3 {
        return format!("{ns:.0} ns");
    } else if ns < 1e6 {
        (ns / 1e3, "µs")
    } else if ns < 1e9 {
        (ns / 1e6, "ms")
    } else {
        (ns / 1e9, "s")
    };
    format!("{} {unit}", significant(value))
}

/// Three significant digits for a value in `1..1000`.
fn significant(value: f64) -> String {
    if value < 9.995 {
        format!("{value:.2}")
    } else if value < 99.95 {
        format!("{value:.1}")
    } else {
        format!("{value:.0}")
    }
}

/// `1,000,000`.
pub fn thousands(n: usize) -> String {
    let digits = n.to_string();
    let mut out = String::with_capacity(digits.len() * 4 / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// `3 IDs`, `1 ID`, `1,000 trie nodes`.
pub fn count(n: usize, noun: &str) -> String {
    let s = if n == 1 { "" } else { "s" };
    format!("{} {noun}{s}", thousands(n))
}

/// `119.0 MB`, `6.4 kB`, `414 B` (decimal units).
pub fn bytes(n: usize) -> String {
    let b = n as f64;
    if b < 1e3 {
        format!("{n} B")
    } else if b < 1e6 {
        format!("{:.1} kB", b / 1e3)
    } else if b < 1e9 {
        format!("{:.1} MB", b / 1e6)
    } else {
        format!("{:.2} GB", b / 1e9)
    }
}

/// `12,345×` from 100 up, `45.6×` below.
pub fn speedup(ratio: f64) -> String {
    if !ratio.is_finite() {
        "-".to_string()
    } else if ratio >= 99.5 {
        format!("{}×", thousands(ratio.round() as usize))
    } else {
        format!("{ratio:.1}×")
    }
}

/// The share of `part` in `whole` as a percentage with enough decimals to show one ID in
/// a million.
pub fn percent(part: usize, whole: usize) -> String {
    if whole == 0 {
        return "-".to_string();
    }
    let p = part as f64 * 100.0 / whole as f64;
    if p == 0.0 {
        "0%".to_string()
    } else if p >= 10.0 {
        format!("{p:.1}%")
    } else if p >= 1.0 {
        format!("{p:.2}%")
    } else if p >= 0.01 {
        format!("{p:.3}%")
    } else {
        format!("{p:.4}%")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formats() {
        assert_eq!(duration(Duration::from_nanos(789)), "789 ns");
        assert_eq!(duration(Duration::from_nanos(1_234)), "1.23 µs");
        assert_eq!(duration(Duration::from_micros(45_600)), "45.6 ms");
        assert_eq!(duration(Duration::from_millis(2_500)), "2.50 s");
        assert_eq!(thousands(0), "0");
        assert_eq!(thousands(999), "999");
        assert_eq!(thousands(1_000_000), "1,000,000");
        assert_eq!(speedup(12_345.4), "12,345×");
        assert_eq!(speedup(45.64), "45.6×");
        assert_eq!(percent(1, 1_000_000), "0.0001%");
        assert_eq!(percent(100, 1_000_000), "0.010%");
        assert_eq!(percent(120_000, 1_000_000), "12.0%");
        assert_eq!(percent(0, 0), "-");
        assert_eq!(count(1, "ID"), "1 ID");
        assert_eq!(count(1_000, "trie node"), "1,000 trie nodes");
        assert_eq!(bytes(414), "414 B");
        assert_eq!(bytes(6_400), "6.4 kB");
        assert_eq!(bytes(119_000_000), "119.0 MB");
    }

    #[test]
    fn repeated_stops() {
        let mut calls = 0;
        let d = repeated(|| {
            calls += 1;
            calls
        });
        assert!(d < Duration::from_millis(1));
        assert!((3..=2_000).contains(&calls));
    }
}
