//! Delta pull: what changed on the helpdesk since the cursor, page by page,
//! each page in one transaction.

use std::collections::BTreeSet;

use deskmate_api::{ErrorCode, RefreshOutcome, SyncPage};

use crate::{Core, CoreError, Result};
use deskmate_api::LiveUpdate;

/// Changes asked for per page.
const PAGE: u32 = 500;

/// What one pull brought into the cache.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub(crate) struct Pulled {
    /// `false` when the helpdesk could not be reached (what came before stays).
    pub online: bool,
    /// Tickets created or changed, or with a message or file added.
    pub tickets: BTreeSet<i64>,
    /// Announcements, remote-session or order-delay requests changed.
    pub notices: bool,
    /// The pull started from nothing (a first sync, or sync started over).
    pub from_scratch: bool,
}

impl Pulled {
    fn add(&mut self, page: &SyncPage) {
        self.tickets.extend(page.tickets.iter().map(|t| t.id));
        self.tickets
            .extend(page.messages.iter().map(|m| m.ticket_id));
        self.tickets
            .extend(page.attachments.iter().map(|a| a.ticket_id));
        self.notices |= !page.announcements.is_empty()
            || !page.remote_sessions.is_empty()
            || !page.order_delays.is_empty()
            || !page.deleted.is_empty();
    }

    /// What the window should re-read.
    pub(crate) fn events(&self) -> Vec<LiveUpdate> {
        if self.from_scratch {
            return vec![LiveUpdate::Resync];
        }
        let mut events = Vec::new();
        if !self.tickets.is_empty() {
            events.push(LiveUpdate::Tickets {
                ids: self.tickets.iter().copied().collect(),
            });
        }
        if self.notices {
            events.push(LiveUpdate::Notices);
        }
        events
    }
}

impl Core {
    /// Checks the account's rights, sends what is due in the outbox, then
    /// pulls what changed ([`Core::pull_changes`]). `false` when the helpdesk
    /// could not be reached. The window then reads the page it shows
    /// ([`Core::ticket_page`]).
    pub async fn refresh(&self) -> Result<bool> {
        self.refresh_pulled().await.map(|(online, _)| online)
    }

    /// Like [`Core::refresh`], reading the whole cached list back (the CLI's
    /// `sync`); when the helpdesk cannot be reached the cached list comes
    /// back with `online: false`.
    pub async fn refresh_tickets(&self) -> Result<RefreshOutcome> {
        let online = self.refresh().await?;
        Ok(RefreshOutcome {
            tickets: self.cache.tickets().await?,
            online,
        })
    }

    /// [`Core::refresh`], saying what it changed: whether the helpdesk
    /// answered, and what the window should re-read.
    pub(crate) async fn refresh_pulled(&self) -> Result<(bool, Vec<LiveUpdate>)> {
        // Rights may have changed: then the cache keeps only what the account
        // may see now and the pull below starts over.
        self.check_account().await?;
        let mut events = match self.drain(false).await {
            Ok(drained) => drained.events(),
            Err(e) if e.code() == ErrorCode::SignedOut => return Err(e),
            Err(e) => {
                tracing::warn!(error = %e, "outbox not drained");
                Vec::new()
            }
        };
        let pulled = self.pull().await?;
        events.extend(pulled.events());
        if pulled.online {
            events.extend(self.wake_outbox().await);
        }
        Ok((pulled.online, events))
    }

    /// Pulls what changed since the last pull (`/api/v1/sync` pages) into the
    /// cache, each page in one transaction, then sends what waited only for
    /// the helpdesk to answer. Returns `false` when the helpdesk could not be
    /// reached; what was pulled so far stays and the next pull resumes from
    /// there.
    pub async fn pull_changes(&self) -> Result<bool> {
        let pulled = self.pull().await?;
        if pulled.online {
            self.wake_outbox().await;
        }
        Ok(pulled.online)
    }

    /// One pull, nothing else.
    pub(crate) async fn pull(&self) -> Result<Pulled> {
        let (_, client, token) = self.signed_in().await?;
        let mut cursor = self.cache.sync_cursor().await?;
        let mut pulled = Pulled {
            from_scratch: cursor == 0,
            ..Pulled::default()
        };
        let result = loop {
            let page = match client.sync(&token, cursor, PAGE).await {
                Ok(page) => page,
                Err(CoreError::Network { .. }) => break Ok(false),
                Err(e) => break Err(self.expire_on_unauthorized(e).await),
            };
            let (more, next) = (page.more, page.cursor);
            pulled.add(&page);
            match self.cache.apply_sync_page_from(cursor, page).await {
                Ok(true) => {}
                // Another pull moved the cursor, or sync started over: go on from there.
                Ok(false) => {
                    cursor = self.cache.sync_cursor().await?;
                    pulled.from_scratch |= cursor == 0;
                    continue;
                }
                Err(e) => break Err(e),
            }
            if !more || next <= cursor {
                break Ok(true);
            }
            cursor = next;
        };
        // A first sync cut short still leaves a searchable cache.
        self.cache.finish_search_index().await?;
        pulled.online = result?;
        Ok(pulled)
    }
}
