//! Ticket creation through HTTP: `concurrency` clients, each signed in with
//! its own session, post tickets as fast as the server answers.

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use reqwest::{Client, StatusCode};

use crate::helpdesk::{self, CUSTOMER, Engine};
use crate::stats::Latencies;

/// How a run goes.
#[derive(Clone, Copy, Debug)]
pub struct Plan {
    pub concurrency: usize,
    pub warmup: usize,
    pub requests: usize,
    /// Stop issuing new requests after this long (the rate counts what was done).
    pub max_time: Duration,
}

/// What a run measured.
#[derive(Debug)]
pub struct Outcome {
    pub completed: usize,
    pub elapsed: Duration,
    pub latencies: Latencies,
}

impl Outcome {
    pub fn per_second(&self) -> f64 {
        self.completed as f64 / self.elapsed.as_secs_f64()
    }
}

pub async fn run(engine: Engine, plan: Plan) -> Result<Outcome> {
    let dir = tempfile::tempdir().context("temp dir")?;
    let db_url = helpdesk::fresh_database(engine, &dir).await?;
    let server = helpdesk::start(SocketAddr::from(([127, 0, 0, 1], 0)), &db_url).await?;
    let base = format!("http://{}", server.local_addr());
    let result = measure(&base, plan).await;
    server.shutdown().await;
    result
}

async fn measure(base: &str, plan: Plan) -> Result<Outcome> {
    let http = Client::builder()
        .pool_max_idle_per_host(plan.concurrency)
        .timeout(Duration::from_secs(30))
        .build()
        .context("HTTP client")?;
    let mut tokens = Vec::with_capacity(plan.concurrency);
    for _ in 0..plan.concurrency {
        tokens.push(helpdesk::login(&http, base, CUSTOMER).await?);
    }
    let run_id = uuid::Uuid::new_v4().simple().to_string();
    let prefix = format!("bench {run_id} ");

    let warmup = phase(&http, base, &tokens, &prefix, "w", plan.warmup, None).await?;
    let started = Instant::now();
    let measured = phase(
        &http,
        base,
        &tokens,
        &prefix,
        "m",
        plan.requests,
        Some(started + plan.max_time),
    )
    .await?;
    let elapsed = started.elapsed();

    // The server kept every one of them, once.
    let expected = warmup.len() + measured.len();
    let (found, distinct) = helpdesk::count_tickets(&http, base, &tokens[0], &prefix).await?;
    if found != expected || distinct != expected {
        bail!("posted {expected} tickets, the server lists {found} ({distinct} distinct)");
    }
    Ok(Outcome {
        completed: measured.len(),
        elapsed,
        latencies: Latencies::new(measured),
    })
}

/// Posts up to `count` tickets over all sessions at once; each one's latency.
async fn phase(
    http: &Client,
    base: &str,
    tokens: &[String],
    prefix: &str,
    tag: &str,
    count: usize,
    deadline: Option<Instant>,
) -> Result<Vec<Duration>> {
    let next = Arc::new(AtomicUsize::new(0));
    let url = format!("{base}/api/v1/tickets");
    let mut workers = tokio::task::JoinSet::new();
    for token in tokens {
        let (http, url, token, next) = (http.clone(), url.clone(), token.clone(), next.clone());
        let prefix = format!("{prefix}{tag}");
        workers.spawn(async move {
            let mut latencies = Vec::new();
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= count || deadline.is_some_and(|d| Instant::now() >= d) {
                    break;
                }
                let body = helpdesk::ticket_body(&format!("{prefix}{i}"));
                let t0 = Instant::now();
                let r = http
                    .post(&url)
                    .bearer_auth(&token)
                    .json(&body)
                    .send()
                    .await
                    .context("ticket request")?;
                let status = r.status();
                let _ = r.bytes().await.context("ticket answer")?;
                latencies.push(t0.elapsed());
                if status != StatusCode::CREATED {
                    bail!("ticket {i} answered {status}");
                }
            }
            Ok::<_, anyhow::Error>(latencies)
        });
    }
    let mut all = Vec::with_capacity(count);
    while let Some(done) = workers.join_next().await {
        all.extend(done.context("worker task")??);
    }
    Ok(all)
}
