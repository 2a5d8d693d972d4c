//! Deterministic generator of realistic RES resource IDs (for the demo and the benchmarks).
//!
//! Every ID is unique by construction (per-service counters feed injective encodings), so no
//! hash set is needed; the final order is a seeded uniform shuffle.

use std::fmt::{Arguments, Write};

/// A generated corpus of resource IDs.
pub struct Corpus {
    /// The distinct resource IDs, in a shuffled (but deterministic) order.
    pub ids: Vec<String>,
    /// The services that own at least one ID, sorted by descending `ids`.
    pub services: Vec<Service>,
}

/// One service (the first part of a resource name) and its share of the corpus.
pub struct Service {
    /// The service name, e.g. `library`.
    pub name: String,
    /// How many generated IDs have a name starting with `<name>.`.
    pub ids: usize,
}

/// What a service emits besides plain models and collections.
#[derive(Clone, Copy, PartialEq)]
enum Kind {
    Plain,
    /// Per-connection resources (`session.conn.<cid>.user`, `chat.user.<cid>.inbox`).
    Conn,
    /// Deep report names of 10 parts.
    Deep,
}

use Kind::{Conn, Deep, Plain};

/// Services by popularity rank, as `name/type,type/kind` (kind `c`: per-connection resources,
/// `d`: deep reports). No `Conn` service has a type `user` or `conn`, and no type is another's
/// plural, so the ID families of a service cannot collide.
const SERVICES: &str = "session/token,device/c chat/room,message,thread/c \
    library/book,author,loan,shelf inventory/item,warehouse,batch userService/user,profile,group \
    notification/alert,digest/c reports/report,dashboard/d catalog/product,category,brand \
    orders/order,return billing/invoice,account,plan search/index,query analytics/funnel,segment/d \
    feed/post,story media/video,image,playlist presence/status,device/c \
    payments/payment,refund,card shipping/parcel,carrier,route forum/topic,post,board \
    metrics/gauge,counter/d profile/avatar,bio calendar/event,invite tasks/task,list,label \
    projects/project,milestone crm/lead,contact,deal support/ticket,agent wiki/page,revision,space \
    games/match,player,lobby leaderboard/board,entry cart/cart,coupon pricing/rule,tier \
    reviews/review,rating geo/place,zone mail/mailbox,draft/c news/article,source \
    weather/station,forecast devices/device,firmware iot/sensor,gateway fleet/vehicle,driver \
    booking/slot,reservation hr/employee,team audit/entry,trail config/feature,flag auth/role,grant \
    acl/policy,rule $sys/cache,node _internal/job,queue";

const SUBS: &[&str] = &[
    "owner", "comments", "members", "items", "history", "settings", "tags", "likes", "children",
    "meta",
];
const QUERIES: &[&str] = &[
    "start=0&limit=25",
    "start=25&limit=25",
    "start=10&limit=5",
    "q=foo&limit=25",
    "q=foo&f=2",
    "sort=name&order=asc",
    "filter=active",
    "start=50&limit=25",
    "q=bar&start=0&limit=10",
    "since=2026-01-01",
];
const REGIONS: &[&str] = &["eu", "us", "apac", "latam"];
const METRICS: &[&str] = &["sales", "visits", "returns"];
const WORDS: &[&str] = &["blue", "dark-mode", "beta", "new-ui", "legacy"];
const B32: &[u8; 32] = b"0123456789abcdefghijklmnopqrstuv";

/// How a model type spells its instance IDs.
#[derive(Clone, Copy)]
enum Style {
    Num,
    Xid,
    Uuid,
    Braced,
    Colon,
    Dash,
    Eq,
    Angle,
}

/// Cycled over (service, type) so every style shows up, numeric and xid ones most.
const STYLES: [Style; 16] = {
    use Style::*;
    [
        Num, Xid, Num, Uuid, Num, Braced, Num, Xid, Colon, Num, Dash, Xid, Eq, Num, Angle, Uuid,
    ]
};

/// The splitmix64 finalizer: a bijection on u64, so distinct counters give distinct outputs.
fn mix(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
    z ^ (z >> 31)
}

/// The name part of an ID, whether it had a query, and the byte offsets of the first four
/// dots of the name: one pass over the bytes (for picking resets from a corpus).
pub fn split(id: &str) -> (&str, bool, [Option<usize>; 4]) {
    let mut dots = [None; 4];
    let mut found = 0;
    for (i, &b) in id.as_bytes().iter().enumerate() {
        match b {
            b'?' => return (&id[..i], true, dots),
            b'.' if found < 4 => {
                dots[found] = Some(i);
                found += 1;
            }
            _ => {}
        }
    }
    (id, false, dots)
}

/// splitmix64: a tiny deterministic generator (also used by the tests and benchmarks, so
/// that their failures reproduce).
pub struct Rng(pub u64);

impl Rng {
    /// The next 64 random bits.
    #[allow(clippy::should_implement_trait)]
    pub fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        mix(self.0)
    }

    /// Uniform in `0..n` (multiply-shift, no modulo bias worth caring about here).
    pub fn below(&mut self, n: usize) -> usize {
        ((u128::from(self.next()) * n as u128) >> 64) as usize
    }

    /// True `percent` times in a hundred.
    pub fn chance(&mut self, percent: usize) -> bool {
        self.below(100) < percent
    }

    /// One of `items`, which must not be empty.
    pub fn pick<T: Copy>(&mut self, items: &[T]) -> T {
        items[self.below(items.len())]
    }

    /// Shuffles `items` (Fisher-Yates).
    pub fn shuffle<T>(&mut self, items: &mut [T]) {
        for i in (1..items.len()).rev() {
            items.swap(i, self.below(i + 1));
        }
    }
}

/// Appends a 20-char xid-like ID: a 7-char prefix (like xid's time/machine bytes, shared by
/// one producer) then 13 chars holding all 64 bits of `v`, which keeps the encoding injective.
fn push_xid(s: &mut String, prefix: u64, v: u64) {
    for i in (0..7).rev() {
        s.push(B32[((prefix >> (5 * i)) & 31) as usize] as char);
    }
    for i in (0..13).rev() {
        s.push(B32[((v >> (5 * i)) & 31) as usize] as char);
    }
}

/// `prefix` followed by formatted text, allocated once.
fn cat(prefix: &str, tail: Arguments) -> String {
    let mut s = String::with_capacity(prefix.len() + 32);
    s.push_str(prefix);
    let _ = s.write_fmt(tail);
    s
}

/// IDs per service: weight 0.96^r / (r + 6) by rank r (Zipf with a soft cut-off), which puts
/// ~12% in the top service and ~0.23% in the last. Integer arithmetic keeps it exact.
fn budgets(size: usize) -> Vec<usize> {
    let mut decay = 1.0f64;
    let weights: Vec<u128> = (0..SERVICES.split_whitespace().count())
        .map(|r| {
            let w = decay / (r as f64 + 6.0);
            decay *= 0.96;
            (w * 1e12) as u128
        })
        .collect();
    let total: u128 = weights.iter().sum();
    let mut b: Vec<usize> = weights
        .iter()
        .map(|&w| (size as u128 * w / total) as usize)
        .collect();
    // The floors lose less than one ID per service; hand the rest out by rank.
    let rest = size - b.iter().sum::<usize>();
    b.iter_mut().take(rest).for_each(|x| *x += 1);
    b
}

/// Emits one service's IDs until its budget is spent.
struct Gen<'a> {
    out: &'a mut Scatter,
    left: usize,
    rng: Rng,
    name: &'static str,
    kind: Kind,
    /// Model types: name, ID style, next instance counter.
    types: Vec<(&'static str, Style, u64)>,
    salt: u64,
    seed: u64,
    /// IDs below a hot model instance (~0.01% of the corpus).
    hot: usize,
    models: u64,
    conns: u64,
    deeps: u64,
}

impl Gen<'_> {
    fn push(&mut self, s: String) {
        if self.left > 0 {
            self.left -= 1;
            self.out.push(s);
        }
    }

    fn run(&mut self) {
        // Top-level collections: the bare name and a few query variants of each.
        for t in 0..self.types.len() {
            let coll = cat(self.name, format_args!(".{}s", self.types[t].0));
            let q0 = self.rng.below(QUERIES.len());
            for j in 0..2 + self.rng.below(3) {
                let q = QUERIES[(q0 + j) % QUERIES.len()];
                self.push(cat(&coll, format_args!("?{q}")));
            }
            self.push(coll);
        }
        while self.left > 0 {
            match (self.kind, self.rng.below(100)) {
                (Conn, r) if r < 55 => self.conn(),
                (Deep, r) if r < 60 => self.deep(),
                _ => self.model(),
            }
        }
    }

    /// `svc.type.<id>`, sometimes with sub-resources, their query variants and elements.
    fn model(&mut self) {
        let t = if self.rng.chance(50) {
            0
        } else {
            self.rng.below(self.types.len())
        };
        let (ty, style, c) = self.types[t];
        self.types[t].2 += 1;
        let mut inst = cat(self.name, format_args!(".{ty}."));
        let v = mix(c.wrapping_add(self.salt));
        let n = c + 1;
        let _ = match style {
            Style::Num => write!(inst, "{n}"),
            Style::Xid => {
                push_xid(&mut inst, self.salt, v);
                Ok(())
            }
            Style::Braced => {
                inst.push('{');
                push_xid(&mut inst, self.salt, v);
                write!(inst, "}}")
            }
            Style::Uuid => {
                // All 64 bits of `v` (groups 1, 2 and the start of 5) keep it injective;
                // version 4 and the RFC variant make it look right.
                let h = mix(v ^ self.seed);
                let (a, b, e) = (v >> 32, (v >> 16) & 0xffff, v & 0xffff);
                let (c3, var, d3, f) = (h & 0xfff, 8 | (h >> 12) & 3, (h >> 14) & 0xfff, h >> 32);
                write!(
                    inst,
                    "{a:08x}-{b:04x}-4{c3:03x}-{var:x}{d3:03x}-{e:04x}{f:08x}"
                )
            }
            Style::Colon => write!(inst, "id:{n}"),
            Style::Dash => write!(inst, "{}-{n}", WORDS[(c % WORDS.len() as u64) as usize]),
            Style::Eq => write!(inst, "rev={n}"),
            Style::Angle => write!(inst, "<{n}"),
        };
        self.models += 1;
        if self.models == 2 || self.models == 65 {
            // A hot instance: exactly `hot` IDs below it, so `svc.type.<id>.>` hits ~0.01%.
            let coll = cat(&inst, format_args!(".{}", SUBS[self.rng.below(SUBS.len())]));
            for k in 1..self.hot {
                self.push(cat(&coll, format_args!(".{k}")));
            }
            self.push(coll);
        } else if self.rng.chance(40) {
            self.subs(&inst);
        }
        // Pushed last so the prefix needs no clone.
        self.push(inst);
    }

    /// Sub-resources of a model instance: collections, their query variants and elements.
    fn subs(&mut self, inst: &str) {
        let s0 = self.rng.below(SUBS.len());
        for i in 0..1 + self.rng.below(3) {
            let coll = cat(inst, format_args!(".{}", SUBS[(s0 + i) % SUBS.len()]));
            let nq = if self.rng.chance(30) {
                1 + self.rng.below(3)
            } else {
                0
            };
            let q0 = self.rng.below(QUERIES.len());
            for j in 0..nq {
                let q = QUERIES[(q0 + j) % QUERIES.len()];
                self.push(cat(&coll, format_args!("?{q}")));
            }
            if self.rng.chance(25) {
                for k in 0..1 + self.rng.below(4) {
                    self.push(cat(&coll, format_args!(".{k}")));
                }
            }
            if nq == 0 || self.rng.chance(60) {
                self.push(coll);
            }
        }
    }

    /// Per-connection resources; the same connection IDs recur across services, as in Resgate.
    fn conn(&mut self) {
        let c = self.conns;
        self.conns += 1;
        let (mid, leaves) = if self.name == "session" {
            ("conn", ["user", "status", "token"])
        } else {
            ("user", ["inbox", "unread", "settings"])
        };
        let mut base = cat(self.name, format_args!(".{mid}."));
        push_xid(&mut base, mix(self.seed ^ 0xc1d), mix(c ^ self.seed));
        for leaf in &leaves[..1 + self.rng.below(leaves.len())] {
            self.push(cat(&base, format_args!(".{leaf}")));
        }
    }

    /// `svc.<year>.<month>.region.<r>.store.<s>.<metric>.day.<d>`: the counter in mixed radix.
    fn deep(&mut self) {
        let mut c = self.deeps as usize;
        self.deeps += 1;
        let mut digit = |radix: usize| {
            let d = c % radix;
            c /= radix;
            d
        };
        let (day, metric, month) = (digit(28) + 1, METRICS[digit(3)], digit(12) + 1);
        let (year, region) = (2024 + digit(3), REGIONS[digit(4)]);
        let base = cat(
            self.name,
            format_args!(".{year}.{month}.region.{region}.store.{}.{metric}", c + 1),
        );
        if day == 1 && self.rng.chance(50) {
            self.push(base.clone());
        }
        self.push(cat(&base, format_args!(".day.{day}")));
    }
}

/// Deterministic uniform shuffle, so insertion order is not sorted by service: each ID goes
/// to a random bucket as it is made, then each bucket gets a Fisher-Yates (Sanders' scatter
/// shuffle). A plain Fisher-Yates over the whole list takes a cache and TLB miss per swap.
struct Scatter {
    buckets: Vec<Vec<String>>,
    rng: Rng,
}

impl Scatter {
    fn new(size: usize, seed: u64) -> Self {
        let nb = (size / 16384).clamp(1, 256);
        let cap = size / nb + size / nb / 8 + 16;
        let buckets = (0..nb).map(|_| Vec::with_capacity(cap)).collect();
        Scatter {
            buckets,
            rng: Rng(mix(seed ^ 0x5eed)),
        }
    }

    fn push(&mut self, id: String) {
        // Exact-size copy: IDs are built with slack, which would cost a third of the RAM
        // (shrink_to_fit does not release small tails); the scratch block is reused at once.
        let id = if id.capacity() > id.len() {
            id.as_str().to_owned()
        } else {
            id
        };
        let b = self.rng.below(self.buckets.len());
        self.buckets[b].push(id);
    }

    fn finish(mut self, size: usize) -> Vec<String> {
        let mut out = Vec::with_capacity(size);
        for b in &mut self.buckets {
            for i in (1..b.len()).rev() {
                b.swap(i, self.rng.below(i + 1));
            }
            out.append(b);
        }
        out
    }
}

/// Generates exactly `size` distinct, valid resource IDs; the same `(size, seed)` always gives
/// the same corpus (same IDs, same order, same service counts).
pub fn generate(size: usize, seed: u64) -> Corpus {
    let mut ids = Scatter::new(size, seed);
    let mut services = Vec::new();
    for (i, (spec, n)) in SERVICES.split_whitespace().zip(budgets(size)).enumerate() {
        let mut fields = spec.split('/');
        let (name, types) = (fields.next().unwrap_or("?"), fields.next().unwrap_or("x"));
        let kind = match fields.next() {
            Some("c") => Conn,
            Some("d") => Deep,
            _ => Plain,
        };
        if n == 0 {
            continue;
        }
        let salt = mix(seed ^ mix(i as u64 + 1));
        let types = types
            .split(',')
            .enumerate()
            .map(|(j, t)| (t, STYLES[(i * 3 + j * 5) % STYLES.len()], 0))
            .collect();
        let mut g = Gen {
            out: &mut ids,
            left: n,
            rng: Rng(salt),
            name,
            kind,
            types,
            salt,
            seed,
            hot: (size / 10_000).max(1),
            models: 0,
            conns: 0,
            deeps: 0,
        };
        g.run();
        services.push(Service {
            name: name.to_string(),
            ids: n,
        });
    }
    let ids = ids.finish(size);
    services.sort_by(|a, b| b.ids.cmp(&a.ids).then_with(|| a.name.cmp(&b.name)));
    Corpus { ids, services }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::{HashMap, HashSet};

    /// Validity per semantics.md: non-empty parts of 0x21..=0x7E minus `.*>?`, optional query.
    fn valid_id(id: &str) -> bool {
        !id.contains('\n')
            && name(id).split('.').all(|p| {
                !p.is_empty()
                    && p.bytes()
                        .all(|b| (0x21..=0x7e).contains(&b) && !b"*>?".contains(&b))
            })
    }

    fn name(id: &str) -> &str {
        id.split_once('?').map_or(id, |(n, _)| n)
    }

    #[test]
    fn deterministic() {
        let (a, b) = (generate(20_000, 7), generate(20_000, 7));
        assert_eq!(a.ids, b.ids);
        let counts = |c: &Corpus| {
            c.services
                .iter()
                .map(|s| (s.name.clone(), s.ids))
                .collect::<Vec<_>>()
        };
        assert_eq!(counts(&a), counts(&b));
        assert_ne!(a.ids, generate(20_000, 8).ids);
    }

    #[test]
    fn exact_size_distinct_valid() {
        for size in [0, 1, 2, 5, 47, 100, 1_000] {
            assert_eq!(generate(size, 3).ids.len(), size);
        }
        let c = generate(50_000, 1);
        assert_eq!(c.ids.len(), 50_000);
        assert_eq!(c.ids.iter().collect::<HashSet<_>>().len(), 50_000);
        for id in &c.ids {
            assert!(valid_id(id), "invalid: {id}");
            assert!(
                (2..=10).contains(&name(id).split('.').count()),
                "parts: {id}"
            );
        }
        // Not sorted: shuffled.
        assert!(c.ids.windows(2).any(|w| w[0] > w[1]));
    }

    #[test]
    fn service_counts_and_shares() {
        let size = 100_000;
        let c = generate(size, 42);
        let mut counts: HashMap<&str, usize> = HashMap::new();
        for id in &c.ids {
            *counts
                .entry(name(id).split('.').next().unwrap())
                .or_default() += 1;
        }
        assert_eq!(counts.len(), c.services.len());
        assert!((30..=60).contains(&c.services.len()));
        for s in &c.services {
            assert_eq!(counts[s.name.as_str()], s.ids, "{}", s.name);
        }
        assert!(c.services.windows(2).all(|w| w[0].ids >= w[1].ids));
        let top = c.services[0].ids as f64 / size as f64;
        assert!((0.08..=0.15).contains(&top), "top share {top}");
        assert!(c.services.last().unwrap().ids * 200 < size);
    }

    #[test]
    fn shapes_present() {
        let size = 100_000;
        let c = generate(size, 9);
        let queries: Vec<&String> = c.ids.iter().filter(|id| id.contains('?')).collect();
        assert!(
            queries.len() * 50 > size,
            "too few query IDs: {}",
            queries.len()
        );
        let all: HashSet<&str> = c.ids.iter().map(String::as_str).collect();
        assert!(
            queries.iter().any(|q| all.contains(name(q))),
            "no bare collection"
        );
        assert!(all.contains("library.books"));
        assert!(c.ids.iter().any(|id| id.split('.').count() == 10));
        assert!(c
            .ids
            .iter()
            .any(|id| id.starts_with("session.conn.") && id.ends_with(".user")));
        assert!(c.ids.iter().any(|id| id.starts_with("$sys.")));
        for ch in ['_', '-', ':', '<', '{', '}', '='] {
            assert!(c.ids.iter().any(|id| name(id).contains(ch)), "no {ch}");
        }
        // Some model instance has ~0.01% of the corpus below it.
        let mut below: HashMap<&str, usize> = HashMap::new();
        for id in &c.ids {
            let n = name(id);
            if let Some(i) = n.match_indices('.').nth(2).map(|(i, _)| i) {
                *below.entry(&n[..i]).or_default() += 1;
            }
        }
        let hot = below.values().filter(|&&n| n == size / 10_000).count();
        assert!(hot >= 10, "hot instances: {hot}");
    }
}
