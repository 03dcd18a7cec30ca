//! Local search over the ingested cache: a fixed mix of what users type
//! (very common words, rare words, unique host names, two-word queries,
//! prefixes of a word being typed, misses), each through
//! [`Cache::search`] with the app's hit limit, as `Core::search` calls it.

use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use deskmate_core::cache::{Cache, MAX_SEARCH_HITS};

use crate::corpus::{Vocabulary, host_of};
use crate::stats::Latencies;

/// What a run measured.
pub struct Outcome {
    pub queries: usize,
    pub repeats: usize,
    pub latencies: Latencies,
    /// The slowest single search and what was typed.
    pub worst: (Duration, String),
    /// The slowest queries (their worst time), slowest first.
    pub slowest: Vec<(Duration, String)>,
    /// Hits of the query mix, summed over one pass (checks the searches find things).
    pub hits_per_pass: usize,
}

/// What users type, fixed; more are derived from the vocabulary.
#[rustfmt::skip]
const TYPED: &[&str] = &[
    // Very common words, finished and while typed.
    "the ", "error ", "server ", "to ", "and ", "please ", "is ", "mail ", "not ", "customer ",
    "the", "error", "server", "password", "login",
    // Prefixes of a word being typed.
    "th", "se", "er", "serv", "err", "pas", "cert", "data", "ba", "ma", "res", "vps1",
    // Rare real words.
    "kerberos ", "fritzbox ", "dmarc ", "anycast ", "ddos ",
    // Two words and more.
    "server error", "the server ", "mail quota", "password reset", "dns timeout ", "the the",
    "error kerberos", "ssl certificate ", "vpn tunnel ", "login pas", "the server error again",
    "please check the logs",
    // Words nowhere in the cache.
    "xylophone ", "zzzz", "kubernetes ",
];

/// The query mix; a trailing space means the word is finished, otherwise the
/// last word is a prefix (as the app does while typing).
pub fn queries(vocabulary: &Vocabulary, tickets: usize) -> Vec<String> {
    let mut q: Vec<String> = TYPED.iter().map(|s| (*s).to_owned()).collect();
    // The synthetic middle and tail of the vocabulary, finished and typed.
    for rank in [300, 600, 1000, 1500, 2000, 2500, 2900] {
        q.push(format!("{} ", vocabulary.word(rank)));
    }
    let w = vocabulary.word(1200);
    q.push(w.chars().take(3).collect());
    q.push(format!("{} {}", vocabulary.word(5), vocabulary.word(800)));
    // A host named in exactly one ticket.
    let n = tickets.max(1) as i64;
    for id in [1, n / 4, n / 2, n] {
        q.push(format!("{} ", host_of(id.max(1))));
    }
    q
}

pub async fn run(
    cache: &Cache,
    vocabulary: &Vocabulary,
    tickets: usize,
    repeats: usize,
) -> Result<Outcome> {
    let mix = queries(vocabulary, tickets);
    // One pass to warm the page cache, not counted.
    let mut hits_per_pass = 0;
    for query in &mix {
        hits_per_pass += cache
            .search(query, MAX_SEARCH_HITS)
            .await
            .with_context(|| format!("search {query:?}"))?
            .len();
    }
    let repeats = repeats.max(1);
    let mut samples = Vec::with_capacity(mix.len() * repeats);
    let mut worst = (Duration::ZERO, String::new());
    let mut per_query = vec![Duration::ZERO; mix.len()];
    for _ in 0..repeats {
        for (i, query) in mix.iter().enumerate() {
            let t0 = Instant::now();
            let hits = cache
                .search(query, MAX_SEARCH_HITS)
                .await
                .with_context(|| format!("search {query:?}"))?;
            let took = t0.elapsed();
            std::hint::black_box(hits);
            if took > worst.0 {
                worst = (took, query.clone());
            }
            per_query[i] = per_query[i].max(took);
            samples.push(took);
        }
    }
    let mut slowest: Vec<(Duration, String)> =
        per_query.into_iter().zip(mix.iter().cloned()).collect();
    slowest.sort_by_key(|s| std::cmp::Reverse(s.0));
    slowest.truncate(5);
    Ok(Outcome {
        slowest,
        queries: mix.len(),
        repeats,
        latencies: Latencies::new(samples),
        worst,
        hits_per_pass,
    })
}
