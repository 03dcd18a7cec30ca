//! Ticket creation through HTTP: `concurrency` clients, each signed in with
//! its own session, post tickets as fast as the server answers.

use std::net::SocketAddr;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use reqwest::{Client, RequestBuilder, StatusCode};

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
    let url = format!("{base}/api/v1/tickets");
    let mut posters = Vec::with_capacity(plan.concurrency);
    for _ in 0..plan.concurrency {
        let token = helpdesk::login(&http, base, CUSTOMER).await?;
        posters.push(Deskmate {
            url: url.clone(),
            token,
        });
    }
    let run_id = uuid::Uuid::new_v4().simple().to_string();
    let prefix = format!("bench {run_id} ");

    let warmup = phase(&http, &posters, &format!("{prefix}w"), plan.warmup, None).await?;
    let started = Instant::now();
    let measured = phase(
        &http,
        &posters,
        &format!("{prefix}m"),
        plan.requests,
        Some(started + plan.max_time),
    )
    .await?;
    let elapsed = started.elapsed();

    // The server kept every one of them, once.
    let expected = warmup.len() + measured.len();
    let (found, distinct) =
        helpdesk::count_tickets(&http, base, &posters[0].token, &prefix).await?;
    if found != expected || distinct != expected {
        bail!("posted {expected} tickets, the server lists {found} ({distinct} distinct)");
    }
    Ok(Outcome {
        completed: measured.len(),
        elapsed,
        latencies: Latencies::new(measured),
    })
}

/// One connection's way of filing a ticket: the request, and whether the
/// answer says the ticket was created.
pub trait Poster: Clone + Send + Sync + 'static {
    fn request(&self, http: &Client, subject: &str) -> RequestBuilder;
    /// `Err` with why when the answer is not a created ticket.
    fn check(&self, status: StatusCode, body: &[u8]) -> Result<()>;
}

/// deskmate-server: `POST /api/v1/tickets` with a session token.
#[derive(Clone)]
struct Deskmate {
    url: String,
    token: String,
}

impl Poster for Deskmate {
    fn request(&self, http: &Client, subject: &str) -> RequestBuilder {
        http.post(&self.url)
            .bearer_auth(&self.token)
            .json(&helpdesk::ticket_body(subject))
    }

    fn check(&self, status: StatusCode, _body: &[u8]) -> Result<()> {
        if status != StatusCode::CREATED {
            bail!("answered {status}");
        }
        Ok(())
    }
}

/// Posts up to `count` tickets, one task per poster (connection) all at once,
/// subjects `{prefix}{i}`, until `deadline` if any; each one's latency.
pub async fn phase<P: Poster>(
    http: &Client,
    posters: &[P],
    prefix: &str,
    count: usize,
    deadline: Option<Instant>,
) -> Result<Vec<Duration>> {
    let next = Arc::new(AtomicUsize::new(0));
    let mut workers = tokio::task::JoinSet::new();
    for poster in posters {
        let (http, poster, next) = (http.clone(), poster.clone(), next.clone());
        let prefix = prefix.to_owned();
        workers.spawn(async move {
            let mut latencies = Vec::new();
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= count || deadline.is_some_and(|d| Instant::now() >= d) {
                    break;
                }
                let t0 = Instant::now();
                let r = poster
                    .request(&http, &format!("{prefix}{i}"))
                    .send()
                    .await
                    .context("ticket request")?;
                let status = r.status();
                let body = r.bytes().await.context("ticket answer")?;
                latencies.push(t0.elapsed());
                poster
                    .check(status, &body)
                    .with_context(|| format!("ticket {i}"))?;
            }
            Ok::<_, anyhow::Error>(latencies)
        });
    }
    let mut all = Vec::new();
    while let Some(done) = workers.join_next().await {
        all.extend(done.context("worker task")??);
    }
    Ok(all)
}
