//! Following the helpdesk live, and the core's one retry clock.
//!
//! The `/api/v1/events` stream says that something changed (its kind and
//! ids); the core pulls it into the cache and tells the app what changed, so
//! the window re-reads only that. While an outbox item waits for its retry
//! time the follower waits for it too and sends it then; when the stream
//! cannot be had it pulls on every reconnect try instead (unless started
//! live-only, [`FollowOptions::live_only`]). The window keeps no clock of its own.

use std::collections::BTreeSet;
use std::time::Duration;

use chrono::Utc;
use deskmate_api::{ErrorCode, LiveUpdate};

use crate::backend::{Change, ChangeKind, not_offered};
use crate::{Core, Result};

/// How [`Core::follow`] runs.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct FollowOptions {
    /// Never pull on the follower's own clock: no pull when the stream cannot
    /// be opened; only the catch-up of a stream that opened and announced
    /// changes (`DESKMATE_LIVE_ONLY=1`, for tests of the live path).
    pub live_only: bool,
}

/// Waits between reconnects (each a pull when the stream cannot be had)
/// grow from 1 s to this.
const MAX_RETRY: Duration = Duration::from_secs(15);
/// While signed out, how often to look whether someone signed in.
const SIGNED_OUT_POLL: Duration = Duration::from_secs(2);
/// The shortest wait for a retry time, so an outbox that cannot record its
/// tries never spins.
const MIN_WAIT: Duration = Duration::from_millis(500);

/// Tells the app, once per change of state for reachability and sign-in.
struct Announcer<F> {
    on_event: F,
    online: Option<bool>,
    signed_in: bool,
}

impl<F: FnMut(LiveUpdate)> Announcer<F> {
    fn all(&mut self, events: Vec<LiveUpdate>) {
        for event in events {
            (self.on_event)(event);
        }
    }

    fn online(&mut self, now: bool) {
        if self.online != Some(now) {
            self.online = Some(now);
            (self.on_event)(LiveUpdate::Online { online: now });
        }
    }

    fn signed_out(&mut self) {
        if std::mem::take(&mut self.signed_in) {
            (self.on_event)(LiveUpdate::SignedOut);
        }
    }
}

/// How one connection ended.
enum Ended {
    /// The helpdesk closed the stream (rights changed, a restart): reconnect soon.
    Closed,
    /// No stream, or it broke: try again after a growing wait.
    Unavailable,
}

impl Core {
    /// Follows the helpdesk until the returned future is dropped: on every
    /// (re)connection it sends the outbox and pulls what changed, on every
    /// announced change it pulls again, and `on_event` hears what changed.
    /// When the stream cannot be had (offline, an older helpdesk) it retries
    /// with backoff, pulling on every try, so the cache stays fresh anyway.
    pub async fn follow(&self, options: FollowOptions, on_event: impl FnMut(LiveUpdate) + Send) {
        let mut announce = Announcer {
            on_event,
            online: None,
            signed_in: false,
        };
        let mut retry = Duration::from_secs(1);
        loop {
            match self.follow_once(options, &mut announce).await {
                Ok(Ended::Closed) => retry = Duration::from_secs(1),
                Ok(Ended::Unavailable) => {}
                Err(e) if e.code() == ErrorCode::SignedOut => {
                    announce.signed_out();
                    tokio::time::sleep(SIGNED_OUT_POLL).await;
                    continue;
                }
                Err(e) => {
                    tracing::warn!(error = %e, "following the helpdesk failed");
                    announce.online(false);
                }
            }
            tokio::time::sleep(retry).await;
            retry = (retry * 2).min(MAX_RETRY);
        }
    }

    /// One connection: catch up, then pull on every announcement until the
    /// stream ends, sending outbox items at their retry times meanwhile.
    async fn follow_once(
        &self,
        options: FollowOptions,
        announce: &mut Announcer<impl FnMut(LiveUpdate) + Send>,
    ) -> Result<Ended> {
        let (_, client, token) = self.signed_in().await?;
        announce.signed_in = true;
        let opened = if client.capabilities().live_events {
            let cursor = self.cache.sync_cursor().await?;
            client.events(&token, Some(cursor)).await
        } else {
            Err(not_offered("live events"))
        };
        let mut feed = match opened {
            Ok(feed) => feed,
            Err(e) => {
                let e = self.expire_on_unauthorized(e).await;
                if e.code() == ErrorCode::SignedOut {
                    return Err(e);
                }
                tracing::debug!(error = %e, "live events unavailable");
                if options.live_only {
                    announce.online(false);
                    return Ok(Ended::Unavailable);
                }
                // Without the stream, this clock keeps the cache and the
                // outbox moving.
                match self.refresh_pulled().await {
                    Ok((online, events)) => {
                        announce.all(events);
                        announce.online(online);
                    }
                    Err(e) if e.code() == ErrorCode::SignedOut => return Err(e),
                    Err(e) => {
                        tracing::debug!(error = %e, "cannot pull either");
                        announce.online(false);
                    }
                }
                return Ok(Ended::Unavailable);
            }
        };
        announce.online(true);
        self.catch_up(announce).await?;
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
                next = feed.next() => next,
                () = retry_time => {
                    self.send_due(announce).await?;
                    continue;
                }
                () = self.outbox_postponed.notified() => continue,
            };
            let changes = match next {
                Ok(Some(changes)) => changes,
                Ok(None) => return Ok(Ended::Closed),
                Err(e) => {
                    tracing::debug!(error = %e, "the live stream broke");
                    announce.online(false);
                    return Ok(Ended::Unavailable);
                }
            };
            if changes.is_empty() {
                continue;
            }
            tracing::debug!(?changes, "the helpdesk announced changes");
            let pulled = self.pull().await?;
            if !pulled.online {
                return Ok(Ended::Closed);
            }
            announce.all(announced(&changes, pulled.events()));
            announce.all(self.wake_outbox().await);
        }
    }

    /// Connected: checks the account's rights, sends what waits in the
    /// outbox once, whatever its backoff (which only paced tries at an
    /// unreachable helpdesk), and pulls what changed while away.
    async fn catch_up(
        &self,
        announce: &mut Announcer<impl FnMut(LiveUpdate) + Send>,
    ) -> Result<()> {
        self.check_account().await?;
        match self.drain(true).await {
            Ok(drained) => announce.all(drained.events()),
            Err(e) if e.code() == ErrorCode::SignedOut => return Err(e),
            Err(e) => tracing::warn!(error = %e, "outbox not drained"),
        }
        self.pull().await?;
        // Whatever the pull brought, the window may have missed anything
        // while the helpdesk could not be followed.
        announce.all(vec![LiveUpdate::Resync]);
        Ok(())
    }

    /// Sends what is due in the outbox at its retry time.
    async fn send_due(
        &self,
        announce: &mut Announcer<impl FnMut(LiveUpdate) + Send>,
    ) -> Result<()> {
        match self.drain(false).await {
            Ok(drained) => announce.all(drained.events()),
            Err(e) if e.code() == ErrorCode::SignedOut => return Err(e),
            Err(e) => tracing::warn!(error = %e, "outbox not drained"),
        }
        Ok(())
    }

    /// How long until the signed-in account's next outbox try is due;
    /// `None` when nothing is pending.
    async fn outbox_retry_wait(&self) -> Result<Option<Duration>> {
        let Some(session) = self.stored_session().await? else {
            return Ok(None);
        };
        let Some(at) = self.cache.next_retry_at(session.account()).await? else {
            return Ok(None);
        };
        let wait = (at - Utc::now()).to_std().unwrap_or(Duration::ZERO);
        Ok(Some(wait.max(MIN_WAIT)))
    }
}

/// What a pull after `changes` brought, with the tickets and notices the
/// announcements named (another pull, the window's, may have taken them
/// first), and a resync the helpdesk asked for.
fn announced(changes: &[Change], pulled: Vec<LiveUpdate>) -> Vec<LiveUpdate> {
    let mut tickets = BTreeSet::new();
    let mut notices = false;
    for change in changes {
        match change {
            Change::Resync => return vec![LiveUpdate::Resync],
            Change::Record {
                kind: ChangeKind::Ticket,
                id,
                ticket_id,
            } => tickets.extend(ticket_id.or(*id)),
            Change::Record {
                kind: ChangeKind::Message | ChangeKind::Attachment,
                ticket_id,
                ..
            } => tickets.extend(*ticket_id),
            Change::Record {
                kind: ChangeKind::Announcement | ChangeKind::RemoteSession | ChangeKind::OrderDelay,
                ..
            } => notices = true,
            Change::Record {
                kind: ChangeKind::Other,
                ..
            } => {}
        }
    }
    let mut events = Vec::new();
    for event in pulled {
        match event {
            LiveUpdate::Resync => return vec![LiveUpdate::Resync],
            LiveUpdate::Tickets { ids } => tickets.extend(ids),
            LiveUpdate::Notices => notices = true,
            other => events.push(other),
        }
    }
    let mut all = Vec::new();
    if !tickets.is_empty() {
        all.push(LiveUpdate::Tickets {
            ids: tickets.into_iter().collect(),
        });
    }
    if notices {
        all.push(LiveUpdate::Notices);
    }
    all.extend(events);
    all
}

#[cfg(test)]
mod tests {
    use super::*;

    fn record(kind: ChangeKind, id: i64, ticket_id: Option<i64>) -> Change {
        Change::Record {
            kind,
            id: Some(id),
            ticket_id,
        }
    }

    #[test]
    fn announcements_name_the_tickets_and_notices_they_changed() {
        let changes = [
            record(ChangeKind::Message, 40, Some(7)),
            record(ChangeKind::Ticket, 3, None),
            record(ChangeKind::Announcement, 1, None),
            record(ChangeKind::Other, 9, None),
        ];
        assert_eq!(
            announced(&changes, vec![LiveUpdate::Tickets { ids: vec![7, 8] }]),
            [
                LiveUpdate::Tickets { ids: vec![3, 7, 8] },
                LiveUpdate::Notices
            ]
        );
        assert_eq!(
            announced(&[record(ChangeKind::Other, 1, None)], Vec::new()),
            []
        );
    }

    #[test]
    fn a_resync_from_either_side_rereads_everything() {
        let changes = [record(ChangeKind::Message, 40, Some(7)), Change::Resync];
        assert_eq!(announced(&changes, Vec::new()), [LiveUpdate::Resync]);
        assert_eq!(
            announced(
                &[record(ChangeKind::Message, 40, Some(7))],
                vec![LiveUpdate::Resync]
            ),
            [LiveUpdate::Resync]
        );
    }
}
