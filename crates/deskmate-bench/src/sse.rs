//! Live events at scale: a deskmate-server child process on SQLite, `N`
//! concurrent `GET /api/v1/events` streams from this process (all as the
//! customer user, so every one may see the changes of its organisation),
//! then agent replies posted one at a time; for each, the delay from sending
//! the reply to each client reading its `change` event.
//!
//! Server and clients are separate processes, each with its own open-files
//! limit (one socket per stream on each side). The streams are plain HTTP/1.1
//! over a `TcpStream` (a few KB each) parsed with the app's own
//! [`SseParser`].

use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::{Context, Result, anyhow, bail};
use deskmate_core::SseParser;
use reqwest::{Client, StatusCode};
use serde_json::{Value, json};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};
use tokio::net::TcpStream;
use tokio::sync::{Semaphore, watch};

use crate::helpdesk::{self, AGENT, CUSTOMER};
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
    let mut child = tokio::process::Command::new(&plan.server_bin)
        .args(["serve", "--listen", "127.0.0.1:0", "--demo", "--database"])
        .arg(&db_url)
        // Every stream is the one customer's, and so are the posts: lift
        // the per-account caps the bench is not about.
        .arg("--streams-per-account")
        .arg(plan.clients.to_string())
        .args(["--writes-per-minute", "4000000000"])
        .env("DESKMATE_LOG", "warn")
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .kill_on_drop(true)
        .spawn()
        .with_context(|| format!("start {}", plan.server_bin.display()))?;
    let pid = child.id().ok_or_else(|| anyhow!("server exited at once"))?;
    let stdout = child
        .stdout
        .take()
        .ok_or_else(|| anyhow!("no server stdout"))?;
    let mut lines = BufReader::new(stdout).lines();
    let addr: SocketAddr = tokio::time::timeout(Duration::from_secs(60), async {
        while let Some(line) = lines.next_line().await? {
            if let Some(rest) = line.trim().strip_prefix("listening on http://") {
                return rest.parse().context("server address");
            }
        }
        bail!("the server ended before listening")
    })
    .await
    .context("the server did not start within 60 s")??;

    let result = measure(plan, addr, pid).await;

    // Stop it politely (it ends the event streams), then for sure.
    let _ = tokio::process::Command::new("kill")
        .args(["-TERM", &pid.to_string()])
        .status()
        .await;
    if tokio::time::timeout(Duration::from_secs(10), child.wait())
        .await
        .is_err()
    {
        let _ = child.kill().await;
    }
    drop(lines);
    result
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
    let index: Arc<HashMap<i64, usize>> =
        Arc::new(tickets.iter().enumerate().map(|(k, id)| (*id, k)).collect());
    let received: Arc<Vec<AtomicUsize>> =
        Arc::new((0..plan.posts).map(|_| AtomicUsize::new(0)).collect());

    // Open the streams.
    let (stop_tx, stop_rx) = watch::channel(false);
    let opened = Arc::new(AtomicUsize::new(0));
    let refused = Arc::new(AtomicUsize::new(0));
    let first_error: Arc<Mutex<Option<String>>> = Arc::new(Mutex::new(None));
    let gate = Arc::new(Semaphore::new(plan.open_parallel.max(1)));
    let request: Arc<str> = format!(
        "GET /api/v1/events HTTP/1.1\r\nHost: {addr}\r\nAuthorization: Bearer {customer}\r\n\
         Accept: text/event-stream\r\n\r\n"
    )
    .into();
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
        "SSE: {connected} of {} streams open in {:.1} s; posting {} agent replies",
        plan.clients,
        open_time.as_secs_f64(),
        plan.posts
    ));
    if connected == 0 {
        bail!(
            "no event stream could be opened: {}",
            open_error.unwrap_or_default()
        );
    }

    // Post, one at a time, each once every client has the previous one.
    let mut sent_at = Vec::with_capacity(plan.posts);
    let mut server = Usage::default();
    for (k, ticket) in tickets.iter().enumerate() {
        if k == 1 {
            // Sampled with every stream open and the fan-out running.
            server = usage(&format!("/proc/{pid}"));
        }
        let t0 = Instant::now();
        sent_at.push(t0);
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
        let deadline = t0 + plan.post_timeout;
        while received[k].load(Ordering::Relaxed) < connected && Instant::now() < deadline {
            tokio::time::sleep(Duration::from_millis(1)).await;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let clients_usage = usage("/proc/self");
    let _ = stop_tx.send(true);

    let mut deliveries = Vec::with_capacity(connected * plan.posts);
    let mut last = vec![Duration::ZERO; plan.posts];
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
        posts: plan.posts,
        deliveries: Latencies::new(deliveries),
        missing,
        last_client: Latencies::new(last),
        server,
        clients: clients_usage,
    })
}

/// One event stream, past its response headers.
struct Stream {
    tcp: TcpStream,
    /// Body bytes read with the headers.
    leftover: Vec<u8>,
    chunked: bool,
}

async fn open(addr: SocketAddr, request: &str) -> Result<Stream> {
    let mut tcp = TcpStream::connect(addr).await.context("connect")?;
    tcp.set_nodelay(true).context("nodelay")?;
    tcp.write_all(request.as_bytes())
        .await
        .context("send request")?;
    let mut head = Vec::with_capacity(512);
    let mut buf = [0_u8; 512];
    let end = loop {
        let n = tcp.read(&mut buf).await.context("read response")?;
        if n == 0 {
            bail!("the server closed the stream before answering");
        }
        head.extend_from_slice(&buf[..n]);
        if let Some(end) = head.windows(4).position(|w| w == b"\r\n\r\n") {
            break end + 4;
        }
        if head.len() > 16 * 1024 {
            bail!("response headers too long");
        }
    };
    let text = String::from_utf8_lossy(&head[..end]).to_ascii_lowercase();
    let status = text.lines().next().unwrap_or_default().to_owned();
    if !status.contains(" 200") {
        bail!("the event stream answered {status}");
    }
    Ok(Stream {
        tcp,
        leftover: head[end..].to_vec(),
        chunked: text.contains("transfer-encoding: chunked"),
    })
}

/// Reads a stream until told to stop; when each post's first `change`
/// event arrived.
async fn listen(
    mut stream: Stream,
    index: &HashMap<i64, usize>,
    received: &[AtomicUsize],
    mut stop: watch::Receiver<bool>,
) -> Vec<Option<Instant>> {
    let mut got = vec![None; received.len()];
    let mut parser = SseParser::default();
    let mut chunks = Chunked::default();
    let mut body = Vec::new();
    let mut buf = [0_u8; 1024];
    let mut pending = std::mem::take(&mut stream.leftover);
    loop {
        let now = Instant::now();
        if !pending.is_empty() {
            body.clear();
            if stream.chunked {
                if chunks.push(&pending, &mut body) {
                    break;
                }
            } else {
                body.extend_from_slice(&pending);
            }
            for event in parser.push(&body) {
                if event.event != "change" {
                    continue;
                }
                let ticket = serde_json::from_str::<Value>(&event.data)
                    .ok()
                    .and_then(|v| v["ticket_id"].as_i64());
                if let Some(&k) = ticket.and_then(|t| index.get(&t))
                    && got[k].is_none()
                {
                    got[k] = Some(now);
                    received[k].fetch_add(1, Ordering::Relaxed);
                }
            }
            pending.clear();
        }
        tokio::select! {
            read = stream.tcp.read(&mut buf) => match read {
                Ok(0) | Err(_) => break,
                Ok(n) => pending.extend_from_slice(&buf[..n]),
            },
            _ = stop.changed() => break,
        }
    }
    got
}

/// HTTP/1.1 chunked transfer decoding, as bytes arrive.
#[derive(Debug, Default)]
struct Chunked {
    buffer: Vec<u8>,
    /// Data bytes left in the current chunk.
    remaining: usize,
    /// The CRLF after a chunk's data is still to be skipped.
    trailer: bool,
}

impl Chunked {
    /// Decodes what `input` completes into `out`; `true` at the last chunk.
    fn push(&mut self, input: &[u8], out: &mut Vec<u8>) -> bool {
        self.buffer.extend_from_slice(input);
        let mut at = 0;
        loop {
            if self.remaining > 0 {
                let n = self.remaining.min(self.buffer.len() - at);
                out.extend_from_slice(&self.buffer[at..at + n]);
                at += n;
                self.remaining -= n;
                if self.remaining > 0 {
                    break;
                }
                self.trailer = true;
            }
            if self.trailer {
                if self.buffer.len() - at < 2 {
                    break;
                }
                at += 2;
                self.trailer = false;
            }
            let Some(line) = self.buffer[at..].windows(2).position(|w| w == b"\r\n") else {
                break;
            };
            let size_text = String::from_utf8_lossy(&self.buffer[at..at + line]).into_owned();
            let size = usize::from_str_radix(size_text.split(';').next().unwrap_or("").trim(), 16)
                .unwrap_or(0);
            at += line + 2;
            if size == 0 {
                return true;
            }
            self.remaining = size;
        }
        self.buffer.drain(..at);
        false
    }
}

/// File descriptors, their limit and memory of `/proc/PID` (`/proc/self`).
fn usage(proc_dir: &str) -> Usage {
    let dir = Path::new(proc_dir);
    let fds = std::fs::read_dir(dir.join("fd")).map_or(0, Iterator::count);
    let fd_limit = std::fs::read_to_string(dir.join("limits"))
        .unwrap_or_default()
        .lines()
        .find(|l| l.starts_with("Max open files"))
        .and_then(|l| l.split_whitespace().nth(3).map(str::to_owned))
        .unwrap_or_else(|| "?".into());
    let status = std::fs::read_to_string(dir.join("status")).unwrap_or_default();
    let kb = |key: &str| {
        status
            .lines()
            .find(|l| l.starts_with(key))
            .and_then(|l| l.split_whitespace().nth(1))
            .and_then(|v| v.parse::<f64>().ok())
            .unwrap_or(0.0)
    };
    Usage {
        fds,
        fd_limit,
        rss_mb: kb("VmRSS:") / 1024.0,
        peak_rss_mb: kb("VmHWM:") / 1024.0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chunked_decoding_across_any_split() {
        let wire = b"5\r\nhello\r\n7;ext=1\r\n, world\r\n0\r\n\r\n";
        for split in 0..wire.len() {
            let mut c = Chunked::default();
            let mut out = Vec::new();
            let first = c.push(&wire[..split], &mut out);
            let ended = first || c.push(&wire[split..], &mut out);
            assert!(ended, "{split}");
            assert_eq!(out, b"hello, world", "{split}");
        }
    }
}
