//! Representative resets, found by scanning the generated corpus (never hard-coded, so
//! they exist whatever the size and seed).

use hashbrown::HashMap;

use respat::corpus::{self, Corpus};

/// A reset to run, or why it was skipped (tiny corpora lack some shapes).
pub struct Pick {
    /// `a`, `b`, ...
    pub key: char,
    /// What it stands for, e.g. `one ID`.
    pub what: &'static str,
    pub patterns: Result<Vec<String>, &'static str>,
}

/// Picks the resets deterministically: the same corpus always gives the same picks.
pub fn resets(corpus: &Corpus) -> Vec<Pick> {
    // One pass: the first model in corpus order (a 3-part name: `svc.type.<id>`), the
    // query variants per name, and per 3-part prefix the IDs at least two parts below it
    // (elements of an instance's collections: counting only those keeps the tally small).
    let mut model: Option<&str> = None;
    let mut variants: HashMap<&str, usize> = HashMap::new();
    let mut below: HashMap<&str, usize> = HashMap::new();
    for id in &corpus.ids {
        let (name, query, dots) = corpus::split(id);
        if query {
            *variants.entry(name).or_default() += 1;
        }
        match dots {
            [Some(_), Some(_), None, _] if !query && model.is_none() => model = Some(name),
            [_, _, Some(third), Some(_)] => *below.entry(&name[..third]).or_default() += 1,
            _ => {}
        }
    }

    // (b) the collection with the most query variants (then the smallest name).
    let collection = variants
        .iter()
        .max_by(|x, y| x.1.cmp(y.1).then_with(|| y.0.cmp(x.0)))
        .map(|(name, _)| name.to_string());
    // (c) the instance closest to 0.01% of the corpus (then the smallest name).
    let target = (corpus.ids.len() / 10_000).max(1);
    let hot = below
        .iter()
        .min_by_key(|&(prefix, &n)| (n.abs_diff(target), *prefix))
        .map(|(prefix, _)| format!("{prefix}.>"));
    // (f) `svc.type.*.<sub>`: the model's type and the commonest sub-resource of it.
    let wildcard = model.map(|model| {
        let svc_type = &model[..corpus::split(model).2[1].unwrap_or(model.len())];
        let mut subs: HashMap<&str, usize> = HashMap::new();
        for id in &corpus.ids {
            if id.len() > svc_type.len()
                && id.starts_with(svc_type)
                && id.as_bytes()[svc_type.len()] == b'.'
            {
                if let (name, _, [_, _, Some(third), None]) = corpus::split(id) {
                    *subs.entry(&name[third + 1..]).or_default() += 1;
                }
            }
        }
        match subs
            .iter()
            .max_by(|x, y| x.1.cmp(y.1).then_with(|| y.0.cmp(x.0)))
        {
            Some((sub, _)) => format!("{svc_type}.*.{sub}"),
            // No sub-resources in a tiny corpus: every instance of the type.
            None => format!("{svc_type}.*"),
        }
    });
    let service = |s: Option<&respat::corpus::Service>| s.map(|s| format!("{}.>", s.name));
    let (largest, smallest) = (
        service(corpus.services.first()),
        service(corpus.services.last()),
    );

    // (g) overlapping patterns: the model, its subtree, the hot subtree, the wildcard,
    // the small service, and the model again.
    let mut overlapping: Vec<String> = [
        model.map(str::to_string),
        model.map(|m| format!("{m}.>")),
        hot.clone(),
        wildcard.clone(),
        smallest.clone(),
    ]
    .into_iter()
    .flatten()
    .collect();
    if let Some(first) = overlapping.first().cloned() {
        overlapping.push(first);
    }
    let overlapping = (!overlapping.is_empty()).then_some(overlapping);

    let one = |p: Option<String>| p.map(|p| vec![p]);
    let no_ids = "the corpus has no ID";
    vec![
        pick('a', "one ID", one(model.map(str::to_string)), "no model ID"),
        pick('b', "collection + queries", one(collection), "no query"),
        pick(
            'c',
            "hot instance subtree",
            one(hot),
            "no instance with sub-resources",
        ),
        pick('d', "small service", one(smallest), no_ids),
        pick('e', "largest service", one(largest), no_ids),
        pick('f', "* in the middle", one(wildcard), "no model ID"),
        pick('g', "overlapping patterns, one twice", overlapping, no_ids),
    ]
}

fn pick(key: char, what: &'static str, found: Option<Vec<String>>, why: &'static str) -> Pick {
    Pick {
        key,
        what,
        patterns: found.ok_or(why),
    }
}
