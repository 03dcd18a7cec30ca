//! Following the helpdesk live: the `/api/v1/events` stream says that
//! something changed, the core pulls it into the cache and tells the app.

use std::time::Duration;

use deskmate_api::ErrorCode;

use crate::{Core, CoreError, Result};

/// What the app hears from [`Core::follow`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LiveEvent {
    /// The cache changed (tickets, messages or the outbox): show it again.
    Changed,
    /// The helpdesk became reachable (`true`) or not (`false`).
    Online(bool),
}

/// Waits between reconnects grow from 1 s to this.
const MAX_RETRY: Duration = Duration::from_secs(30);
/// While signed out, how often to look whether someone signed in.
const SIGNED_OUT_POLL: Duration = Duration::from_secs(2);

/// One event of a `text/event-stream`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SseEvent {
    pub event: String,
    pub id: Option<String>,
    pub data: String,
}

/// Splits a `text/event-stream` into events as bytes arrive, whatever the
/// chunking (events may straddle chunks; comments are heartbeats).
#[derive(Debug, Default)]
pub struct SseParser {
    buffer: String,
    event: String,
    id: Option<String>,
    data: Vec<String>,
}

impl SseParser {
    pub fn push(&mut self, chunk: &[u8]) -> Vec<SseEvent> {
        self.buffer.push_str(&String::from_utf8_lossy(chunk));
        let mut events = Vec::new();
        while let Some(end) = self.buffer.find('\n') {
            let line: String = self.buffer.drain(..=end).collect();
            let line = line.trim_end_matches(['\n', '\r']);
            if line.is_empty() {
                if !self.data.is_empty() || !self.event.is_empty() {
                    events.push(SseEvent {
                        event: if self.event.is_empty() {
                            "message".to_owned()
                        } else {
                            std::mem::take(&mut self.event)
                        },
                        id: self.id.take(),
                        data: std::mem::take(&mut self.data).join("\n"),
                    });
                }
                continue;
            }
            if line.starts_with(':') {
                continue;
            }
            let (field, value) = line.split_once(':').unwrap_or((line, ""));
            let value = value.strip_prefix(' ').unwrap_or(value);
            match field {
                "event" => value.clone_into(&mut self.event),
                "id" => self.id = Some(value.to_owned()),
                "data" => self.data.push(value.to_owned()),
                _ => {}
            }
        }
        events
    }
}

impl Core {
    /// Follows the helpdesk until the returned future is dropped: on every
    /// (re)connection it sends the outbox and pulls what changed, on every
    /// announced change it pulls again, and `on_event` hears about both.
    /// When the stream cannot be had (offline, an older helpdesk) it retries
    /// with backoff, pulling on every try, so the cache stays fresh anyway.
    pub async fn follow(&self, mut on_event: impl FnMut(LiveEvent) + Send) {
        let mut retry = Duration::from_secs(1);
        let mut online = None;
        loop {
            let mut say_online = |now: bool, on_event: &mut dyn FnMut(LiveEvent)| {
                if online != Some(now) {
                    online = Some(now);
                    on_event(LiveEvent::Online(now));
                }
            };
            match self.follow_once(&mut on_event, &mut say_online).await {
                Ok(()) => retry = Duration::from_secs(1),
                Err(e) if e.code() == ErrorCode::SignedOut => {
                    tokio::time::sleep(SIGNED_OUT_POLL).await;
                    continue;
                }
                Err(e) => {
                    tracing::debug!(error = %e, "live events unavailable");
                    say_online(false, &mut on_event);
                }
            }
            tokio::time::sleep(retry).await;
            retry = (retry * 2).min(MAX_RETRY);
        }
    }

    /// One connection: catch up, then pull on every announcement until the
    /// stream ends.
    async fn follow_once(
        &self,
        on_event: &mut (impl FnMut(LiveEvent) + Send),
        say_online: &mut (impl FnMut(bool, &mut dyn FnMut(LiveEvent)) + Send),
    ) -> Result<()> {
        let (_, client, token) = self.signed_in().await?;
        let cursor = self.cache().sync_cursor().await?;
        let mut response = match client.events(&token, Some(cursor)).await {
            Ok(r) => r,
            Err(e) => {
                // Even without the stream, keep the cache and outbox moving.
                if self.refresh_tickets().await.is_ok() {
                    on_event(LiveEvent::Changed);
                }
                return Err(self.expire_on_unauthorized(e).await);
            }
        };
        say_online(true, on_event);
        self.refresh_tickets().await?;
        on_event(LiveEvent::Changed);
        let mut parser = SseParser::default();
        loop {
            let chunk = match response.chunk().await {
                Ok(Some(chunk)) => chunk,
                Ok(None) => return Ok(()),
                Err(e) => {
                    return Err(CoreError::Network {
                        url: format!("{} ({e})", client.base_url()),
                    });
                }
            };
            let events = parser.push(&chunk);
            if events
                .iter()
                .any(|e| e.event == "change" || e.event == "resync")
            {
                if self.pull_changes().await? {
                    on_event(LiveEvent::Changed);
                } else {
                    return Ok(());
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn events_straddling_chunks_and_heartbeats() {
        let mut p = SseParser::default();
        assert!(p.push(b": keep-alive\n\n").is_empty());
        assert!(p.push(b"event: change\nid: 7\nda").is_empty());
        let events = p.push(b"ta: {\"seq\":7}\r\n\r\nevent: resync\ndata: {}\n\n");
        assert_eq!(
            events,
            [
                SseEvent {
                    event: "change".into(),
                    id: Some("7".into()),
                    data: "{\"seq\":7}".into()
                },
                SseEvent {
                    event: "resync".into(),
                    id: None,
                    data: "{}".into()
                }
            ]
        );
    }

    #[test]
    fn garbage_never_panics() {
        let mut p = SseParser::default();
        let _ = p.push(&[0xff, 0xfe, b'\n', b'\n', b':']);
        let _ = p.push(b"no colon here\n\n");
    }
}
