//! Scratch timing of PatternSet matching (not shipped).
use respat::{Name, Pattern, PatternSet};
use std::time::Instant;

fn rng(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9e3779b97f4a7c15);
    let mut z = *state;
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58476d1ce4e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d049bb133111eb);
    z ^ (z >> 31)
}

fn main() {
    let quick = std::env::args().nth(1).is_some();
    let (rounds, reps) = if quick { (1, 1) } else { (3, 10) };
    let mut set = PatternSet::new();
    for s in 0..10 {
        for c in 0..100 {
            for i in 0..100 {
                set.insert(
                    &Pattern::new(&format!("svc{s}.col{c}.item{i}")).unwrap(),
                    (),
                );
            }
            set.insert(&Pattern::new(&format!("svc{s}.col{c}.*")).unwrap(), ());
        }
        set.insert(&Pattern::new(&format!("svc{s}.>")).unwrap(), ());
    }
    let mut st = 7u64;
    let texts: Vec<String> = (0..100_000)
        .map(|_| {
            format!(
                "svc{}.col{}.item{}",
                rng(&mut st) % 10,
                rng(&mut st) % 100,
                rng(&mut st) % 100
            )
        })
        .collect();
    let names: Vec<Name> = texts.iter().map(|t| Name::new(t).unwrap()).collect();
    let mut out = Vec::new();
    for round in 0..rounds {
        let t = Instant::now();
        let mut total = 0;
        for _ in 0..reps {
            for n in &names {
                set.matches_into(n, &mut out);
                total += out.len();
            }
        }
        let el = t.elapsed();
        println!(
            "resources round {round}: {:.1} ns/name (total {total})",
            el.as_nanos() as f64 / 1e6
        );
    }
    // nats
    let words = [
        "foo",
        "bar",
        "baz",
        "cloud",
        "nats",
        "component",
        "nkeys",
        "sys",
    ];
    let mut set = PatternSet::new();
    let mut subjects = Vec::new();
    let mut cur: Vec<Vec<&str>> = vec![vec![]];
    for _len in 1..=5 {
        let mut next = Vec::new();
        for p in &cur {
            for w in words {
                let mut q = p.clone();
                q.push(w);
                subjects.push(q.join("."));
                next.push(q);
            }
        }
        cur = next;
    }
    for s in &subjects {
        set.insert(&Pattern::new(s).unwrap(), ());
    }
    for p in ["cloud.>", "cloud.nats.component.>", "cloud.*.*.nkeys.*"] {
        set.insert(&Pattern::new(p).unwrap(), ());
    }
    let four: Vec<String> = (0..100_000)
        .map(|_| {
            (0..4)
                .map(|_| words[(rng(&mut st) % 8) as usize])
                .collect::<Vec<_>>()
                .join(".")
        })
        .collect();
    let names: Vec<Name> = four.iter().map(|t| Name::new(t).unwrap()).collect();
    for round in 0..rounds {
        let t = Instant::now();
        let mut total = 0;
        for _ in 0..reps {
            for n in &names {
                set.matches_into(n, &mut out);
                total += out.len();
            }
        }
        let el = t.elapsed();
        println!(
            "nats4 round {round}: {:.1} ns/name (total {total}) patterns {}",
            el.as_nanos() as f64 / 1e6,
            set.len()
        );
    }
}
