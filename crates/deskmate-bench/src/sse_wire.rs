//! The client side of an event-stream run: plain HTTP/1.1 streams over a
//! `TcpStream` (a few KB each) parsed with the app's own [`SseParser`], and
//! what a process uses (memory, file descriptors).

use std::collections::HashMap;
use std::net::SocketAddr;
use std::path::Path;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use anyhow::{Context, Result, bail};
use deskmate_core::SseParser;
use serde_json::Value;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::sync::watch;

use crate::sse::Usage;

/// One event stream, past its response headers.
pub struct Stream {
    tcp: TcpStream,
    /// Body bytes read with the headers.
    leftover: Vec<u8>,
    chunked: bool,
}

pub async fn open(addr: SocketAddr, request: &str) -> Result<Stream> {
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
pub async fn listen(
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
pub fn usage(proc_dir: &str) -> Usage {
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
