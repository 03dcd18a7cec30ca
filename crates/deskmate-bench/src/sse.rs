//! Live events at scale: a deskmate-server child process on SQLite, `N`
//! concurrent `GET /api/v1/events` streams from this process (all as the
//! customer user, so every one may see the changes of its organisation),
//! then agent replies posted one at a time; for each, the delay from sending
//! the reply to each client reading its `change` event.
//!
//! Its floor ([`run_floor`]): the same clients and the same measurement
//! against a bare axum server (this binary, `--serve-sse-floor`) whose
//! streams follow one tokio broadcast, with no sign-in, no database and no
//! scoping.
//!
//! Server and clients are separate processes, each with its own open-files
//! limit (one socket per stream on each side). The streams are plain HTTP/1.1
//! over a `TcpStream` (a few KB each) parsed with the app's own
//! [`SseParser`].

use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::Stdio;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, anyhow, bail};
use reqwest::{Client, StatusCode};
use serde_json::{Value, json};
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio::process::{Child, ChildStdout, Command};
use tokio::sync::{Semaphore, watch};

use crate::helpdesk::{self, AGENT, CUSTOMER};
use crate::sse_wire::{listen, open, usage};
use crate::stats::Latencies;

/// How a run goes.
#[derive(Clone, Debug)]
pub struct Plan {
    pub clients: usize,
    pub posts: usize,
    pub server_bin: PathBuf,
    /// Streams being opened at once.
    pub open_parallel: usize,
    /// How long a post waits for every client before the next one.
    pub post_timeout: Duration,
}

/// Memory and file descriptors of a process.
#[derive(Debug, Default, Clone)]
pub struct Usage {
    pub fds: usize,
    pub fd_limit: String,
    pub rss_mb: f64,
    pub peak_rss_mb: f64,
}

impl std::fmt::Display for Usage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} fds of {}, RSS {:.0} MB (peak {:.0})",
            self.fds, self.fd_limit, self.rss_mb, self.peak_rss_mb
        )
    }
}

/// What a run measured.
#[derive(Debug)]
pub struct Outcome {
    pub asked: usize,
    pub connected: usize,
    /// Why some streams could not be opened (the first error), if any were refused.
    pub open_error: Option<String>,
    pub open_time: Duration,
    pub posts: usize,
    /// Send-to-read delay of every (post, client) pair that arrived.
    pub deliveries: Latencies,
    /// Pairs that did not arrive within the post timeout.
    pub missing: usize,
    /// Per post, the delay until the last client had it.
    pub last_client: Latencies,
    pub server: Usage,
    pub clients: Usage,
}

pub async fn run(plan: &Plan) -> Result<Outcome> {
    if !plan.server_bin.is_file() {
        bail!(
            "no deskmate-server binary at {} (scripts/bench.sh builds it)",
            plan.server_bin.display()
        );
    }
    let dir = tempfile::tempdir().context("temp dir")?;
    let db_url = format!("sqlite://{}", dir.path().join("sse.sqlite3").display());
    let mut command = Command::new(&plan.server_bin);
    command
        .args(["serve", "--listen", "127.0.0.1:0", "--demo", "--database"])
        .arg(&db_url)
        // Every stream is the one customer's, and so are the posts: lift
        // the per-account caps the bench is not about.
        .arg("--streams-per-account")
        .arg(plan.clients.to_string())
        .args(["--writes-per-minute", "4000000000"])
        .env("DESKMATE_LOG", "warn");
    let server = Server::start(command, &plan.server_bin.display().to_string()).await?;
    let result = measure(plan, server.addr, server.pid).await;
    server.stop().await;
    result
}

/// The floor: the same clients and posts against the bare broadcast server
/// of [`serve_floor`], run as a child process of this binary.
pub async fn run_floor(plan: &Plan) -> Result<Outcome> {
    let me = std::env::current_exe().context("own path")?;
    let mut command = Command::new(&me);
    command.arg("--serve-sse-floor");
    let server = Server::start(command, "the SSE floor server").await?;
    let (addr, pid) = (server.addr, server.pid);
    let base = format!("http://{addr}");
    let http = Client::builder()
        .timeout(Duration::from_secs(30))
        .build()
        .context("HTTP client")?;
    let ids: Vec<i64> = (1..=plan.posts as i64).collect();
    let request =
        format!("GET /events HTTP/1.1\r\nHost: {addr}\r\nAccept: text/event-stream\r\n\r\n");
    let result = fan_out(plan, addr, pid, request, &ids, async |_, id| {
        let r = http
            .post(format!("{base}/publish/{id}"))
            .send()
            .await
            .context("publish request")?;
        if r.status() != StatusCode::NO_CONTENT {
            bail!("publishing answered {}", r.status());
        }
        Ok(())
    })
    .await;
    server.stop().await;
    result
}

/// The floor server: `GET /events` follows one broadcast, `POST
/// /publish/{id}` sends a `change` event naming ticket `id` to every
/// stream. Prints `listening on http://ADDR` and serves until killed.
pub async fn serve_floor() -> Result<()> {
    use axum::extract::{Path, State};
    use axum::response::sse::{Event, Sse};
    use futures_util::StreamExt;
    use tokio::sync::broadcast;
    use tokio_stream::wrappers::BroadcastStream;

    let (tx, _) = broadcast::channel::<i64>(1024);
    let app = axum::Router::new()
        .route(
            "/events",
            axum::routing::get(|State(tx): State<broadcast::Sender<i64>>| async move {
                let events = BroadcastStream::new(tx.subscribe()).filter_map(|id| async move {
                    let data = format!("{{\"ticket_id\":{}}}", id.ok()?);
                    Some(Ok::<_, std::convert::Infallible>(
                        Event::default().event("change").data(data),
                    ))
                });
                Sse::new(events)
            }),
        )
        .route(
            "/publish/{id}",
            axum::routing::post(
                |State(tx): State<broadcast::Sender<i64>>, Path(id): Path<i64>| async move {
                    let _ = tx.send(id);
                    axum::http::StatusCode::NO_CONTENT
                },
            ),
        )
        .with_state(tx);
    let listener = tokio::net::TcpListener::bind(("127.0.0.1", 0))
        .await
        .context("bind")?;
    crate::say(&format!("listening on http://{}", listener.local_addr()?));
    axum::serve(listener, app).await.context("serve")
}

/// A server child process that printed where it listens.
struct Server {
    child: Child,
    pid: u32,
    addr: SocketAddr,
    /// Kept open: the child may write more.
    _lines: tokio::io::Lines<BufReader<ChildStdout>>,
}

impl Server {
    async fn start(mut command: Command, what: &str) -> Result<Self> {
        let mut child = command
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::inherit())
            .kill_on_drop(true)
            .spawn()
            .with_context(|| format!("start {what}"))?;
        let pid = child.id().ok_or_else(|| anyhow!("{what} exited at once"))?;
        let stdout = child
            .stdout
            .take()
            .ok_or_else(|| anyhow!("no stdout of {what}"))?;
        let mut lines = BufReader::new(stdout).lines();
        let addr: SocketAddr = tokio::time::timeout(Duration::from_secs(60), async {
            while let Some(line) = lines.next_line().await? {
                if let Some(rest) = line.trim().strip_prefix("listening on http://") {
                    return rest.parse().context("server address");
                }
            }
            bail!("{what} ended before listening")
        })
        .await
        .with_context(|| format!("{what} did not start within 60 s"))??;
        Ok(Self {
            child,
            pid,
            addr,
            _lines: lines,
        })
    }

    /// Stops it politely (it ends the event streams), then for sure.
    async fn stop(mut self) {
        let _ = Command::new("kill")
            .args(["-TERM", &self.pid.to_string()])
            .status()
            .await;
        if tokio::time::timeout(Duration::from_secs(10), self.child.wait())
            .await
            .is_err()
        {
            let _ = self.child.kill().await;
        }
    }
}

async fn measure(plan: &Plan, addr: SocketAddr, pid: u32) -> Result<Outcome> {
    let base = format!("http://{addr}");
    let http = Client::builder()
        .timeout(Duration::from_secs(30))
        .build()
        .context("HTTP client")?;
    let customer = helpdesk::login(&http, &base, CUSTOMER).await?;
    let agent = helpdesk::login(&http, &base, AGENT).await?;

    // One ticket per post, filed before the streams open: the first change
    // event naming ticket k is post k's.
    let mut tickets = Vec::with_capacity(plan.posts);
    for k in 0..plan.posts {
        let r = http
            .post(format!("{base}/api/v1/tickets"))
            .bearer_auth(&customer)
            .json(&helpdesk::ticket_body(&format!("sse bench {k}")))
            .send()
            .await
            .context("ticket request")?;
        if r.status() != StatusCode::CREATED {
            bail!("filing a ticket answered {}", r.status());
        }
        let body: Value = r.json().await.context("ticket answer")?;
        tickets.push(
            body["id"]
                .as_i64()
                .ok_or_else(|| anyhow!("ticket answer has no id: {body}"))?,
        );
    }
    let request = format!(
        "GET /api/v1/events HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer {customer}\r\n\
         Accept: text/event-stream\r\n\r\n"
    );
    fan_out(plan, addr, pid, request, &tickets, async |k, ticket| {
        let r = http
            .post(format!("{base}/api/v1/tickets/{ticket}/messages"))
            .bearer_auth(&agent)
            .json(&json!({"body": format!("Agent reply {k}: we restarted the server, please check again.")}))
            .send()
            .await
            .context("reply request")?;
        if r.status() != StatusCode::CREATED {
            bail!("the agent's reply answered {}", r.status());
        }
        let _ = r.bytes().await;
        Ok(())
    })
    .await
}

/// Opens `plan.clients` streams with `request`, then calls `post(k,
/// tickets[k])` for each ticket, one at a time, each once every client has
/// the previous one's `change` event (or the post timeout passed); the
/// delay from each post to each client reading it.
async fn fan_out(
    plan: &Plan,
    addr: SocketAddr,
    pid: u32,
    request: String,
    tickets: &[i64],
    mut post: impl AsyncFnMut(usize, i64) -> Result<()>,
) -> Result<Outcome> {
    let posts = tickets.len();
    let index: Arc<HashMap<i64, usize>> =
        Arc::new(tickets.iter().enumerate().map(|(k, id)| (*id, k)).collect());
    let received: Arc<Vec<AtomicUsize>> =
        Arc::new((0..posts).map(|_| AtomicUsize::new(0)).collect());
    // Open the streams.
    let (stop_tx, stop_rx) = watch::channel(false);
    let opened = Arc::new(AtomicUsize::new(0));
    let refused = Arc::new(AtomicUsize::new(0));
    let first_error: Arc<Mutex<Option<String>>> = Arc::new(Mutex::new(None));
    let gate = Arc::new(Semaphore::new(plan.open_parallel.max(1)));
    let request: Arc<str> = request.into();
    let started = Instant::now();
    let mut clients = tokio::task::JoinSet::new();
    for _ in 0..plan.clients {
        let (gate, request, index, received, stop) = (
            Arc::clone(&gate),
            Arc::clone(&request),
            Arc::clone(&index),
            Arc::clone(&received),
            stop_rx.clone(),
        );
        let (opened, refused, first_error) = (
            Arc::clone(&opened),
            Arc::clone(&refused),
            Arc::clone(&first_error),
        );
        clients.spawn(async move {
            let stream = {
                let _permit = gate.acquire().await;
                tokio::time::timeout(Duration::from_secs(60), open(addr, &request)).await
            };
            match stream {
                Ok(Ok(stream)) => {
                    opened.fetch_add(1, Ordering::Relaxed);
                    listen(stream, &index, &received, stop).await
                }
                failed => {
                    let why = match failed {
                        Ok(Err(e)) => format!("{e:#}"),
                        _ => "opening the stream took over 60 s".to_owned(),
                    };
                    if let Ok(mut first) = first_error.lock() {
                        first.get_or_insert(why);
                    }
                    refused.fetch_add(1, Ordering::Relaxed);
                    Vec::new()
                }
            }
        });
    }
    while opened.load(Ordering::Relaxed) + refused.load(Ordering::Relaxed) < plan.clients {
        tokio::time::sleep(Duration::from_millis(10)).await;
    }
    let open_time = started.elapsed();
    let connected = opened.load(Ordering::Relaxed);
    let open_error = first_error.lock().ok().and_then(|e| e.clone());
    crate::progress(&format!(
        "SSE: {connected} of {} streams open in {:.1} s; posting {} changes",
        plan.clients,
        open_time.as_secs_f64(),
        posts
    ));
    if connected == 0 {
        bail!(
            "no event stream could be opened: {}",
            open_error.unwrap_or_default()
        );
    }

    // Post, one at a time, each once every client has the previous one.
    let mut sent_at = Vec::with_capacity(posts);
    let mut server = Usage::default();
    for (k, ticket) in tickets.iter().enumerate() {
        if k == 1 {
            // Sampled with every stream open and the fan-out running.
            server = usage(&format!("/proc/{pid}"));
        }
        let t0 = Instant::now();
        sent_at.push(t0);
        post(k, *ticket).await?;
        let deadline = t0 + plan.post_timeout;
        while received[k].load(Ordering::Relaxed) < connected && Instant::now() < deadline {
            tokio::time::sleep(Duration::from_millis(1)).await;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let clients_usage = usage("/proc/self");
    let _ = stop_tx.send(true);

    let mut deliveries = Vec::with_capacity(connected * posts);
    let mut last = vec![Duration::ZERO; posts];
    let mut missing = 0;
    while let Some(done) = clients.join_next().await {
        let got = done.context("client task")?;
        if got.is_empty() {
            continue;
        }
        for (k, at) in got.into_iter().enumerate() {
            match at {
                Some(at) => {
                    let delay = at.saturating_duration_since(sent_at[k]);
                    last[k] = last[k].max(delay);
                    deliveries.push(delay);
                }
                None => {
                    missing += 1;
                    last[k] = last[k].max(plan.post_timeout);
                    // Counted as the whole wait, so a loss cannot improve p99.
                    deliveries.push(plan.post_timeout);
                }
            }
        }
    }
    Ok(Outcome {
        asked: plan.clients,
        connected,
        open_error,
        open_time,
        posts,
        deliveries: Latencies::new(deliveries),
        missing,
        last_client: Latencies::new(last),
        server,
        clients: clients_usage,
    })
}
