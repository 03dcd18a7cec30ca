//! Following the helpdesk live: the `/api/v1/events` stream says that
//! something changed, the core pulls it into the cache and tells the app.

use std::time::Duration;

use deskmate_api::ErrorCode;

use crate::{Core, Result};

/// What the app hears from [`Core::follow`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LiveEvent {
    /// The cache changed (tickets, messages, notices or the outbox): show it again.
    Changed,
    /// The helpdesk became reachable (`true`) or not (`false`).
    Online(bool),
}

/// Waits between reconnects grow from 1 s to this.
const MAX_RETRY: Duration = Duration::from_secs(30);
/// While signed out, how often to look whether someone signed in.
const SIGNED_OUT_POLL: Duration = Duration::from_secs(2);

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
        let mut feed = match client.events(&token, Some(cursor)).await {
            Ok(feed) => feed,
            Err(e) => {
                // Even without the stream, keep the cache and outbox moving.
                if self.refresh_tickets().await.is_ok() {
                    on_event(LiveEvent::Changed);
                }
                return Err(self.expire_on_unauthorized(e).await);
            }
        };
        say_online(true, on_event);
        // Reachable again: what waits in the outbox goes now, whatever its
        // backoff (which only paced tries at an unreachable helpdesk).
        if let Err(e) = self.drain_outbox(true).await {
            match e.code() {
                ErrorCode::SignedOut => return Err(e),
                _ => tracing::warn!(error = %e, "outbox not drained"),
            }
        }
        self.refresh_tickets().await?;
        on_event(LiveEvent::Changed);
        // Every announcement, whatever it touched (tickets, messages,
        // announcements, remote sessions, order delays, or a kind a newer
        // helpdesk adds), means "pull": the page says what changed.
        loop {
            // While an outbox item waits for its retry time, wait for that
            // too; a try postponed meanwhile sets a new one.
            let wait = self.outbox_retry_wait().await?;
            let retry_time = async {
                match wait {
                    Some(wait) => tokio::time::sleep(wait).await,
                    None => std::future::pending().await,
                }
            };
            let next = tokio::select! {
                next = feed.next() => next?,
                () = retry_time => {
                    if self.send_due().await? {
                        on_event(LiveEvent::Changed);
                    }
                    continue;
                }
                () = self.outbox_postponed.notified() => continue,
            };
            let Some(changes) = next else { break };
            if changes.is_empty() {
                continue;
            }
            tracing::debug!(?changes, "the helpdesk announced changes");
            if self.pull_changes().await? {
                on_event(LiveEvent::Changed);
            } else {
                return Ok(());
            }
        }
        Ok(())
    }
}
