//! Reading tickets: the cached list, search, one ticket with its
//! conversation, what is unread. Instant and offline, except a ticket's
//! detail asked with `refresh`.

use chrono::Utc;
use deskmate_api::{
    SearchHit, Ticket, TicketAttachment, TicketListPage, TicketListQuery, TicketView,
};

use crate::cache;
use crate::{Core, CoreError, Result};

/// Hits one search returns (the cache's maximum).
const SEARCH_HITS: usize = cache::MAX_SEARCH_HITS;

impl Core {
    /// The cached tickets, newest activity first. Instant, works offline.
    pub async fn cached_tickets(&self) -> Result<Vec<Ticket>> {
        self.cache.tickets().await
    }

    /// The cached tickets matching what the user typed, best first, each once
    /// with a snippet of where it matched. Instant, works offline (no network).
    pub async fn search(&self, query: &str) -> Result<Vec<SearchHit>> {
        self.cache.search(query, SEARCH_HITS).await
    }

    /// One page of the cached list, newest activity first, with the counts
    /// the window shows (matching, cached, unread, per status); rows are
    /// marked unread for the signed-in (or last signed-in) account. Instant,
    /// works offline.
    pub async fn ticket_page(&self, query: TicketListQuery) -> Result<TicketListPage> {
        let account = self.stored_session().await?.map(|s| s.account());
        self.cache.ticket_page(account, query).await
    }

    /// A ticket with its conversation: from the helpdesk when `refresh` and it
    /// answers (the cache is updated), else from the cache (instant, offline).
    /// Viewing marks the ticket read.
    pub async fn ticket_view(&self, id: i64, refresh: bool) -> Result<TicketView> {
        let (session, client, token) = self.signed_in().await?;
        let mut online = false;
        if refresh {
            match client.ticket_detail(&token, id).await {
                Ok(detail) => {
                    self.cache.upsert_ticket(detail.ticket.clone()).await?;
                    self.cache
                        .replace_conversation(id, detail.messages, detail.reopen_until)
                        .await?;
                    let facts = cache::QueueFacts {
                        position: detail.queue_position,
                        first_response_due_at: detail.first_response_due_at,
                        checked_at: Utc::now(),
                    };
                    self.cache.store_queue_facts(id, facts).await?;
                    self.cache
                        .replace_attachments(id, detail.attachments)
                        .await?;
                    online = true;
                }
                Err(CoreError::Network { .. }) => {}
                Err(e) => return Err(self.expire_on_unauthorized(e).await),
            }
        }
        let ticket = self
            .cache
            .ticket(id)
            .await?
            .ok_or_else(|| CoreError::NotFound(format!("no ticket #{id} on this computer")))?;
        let (messages, reopen_until) = self.cache.conversation(id).await?;
        let pending = self.cache.outbox_for_ticket(session.account(), id).await?;
        let queue = self.cache.queue_facts(id).await?;
        // Shown to the user: every answer in it is read now.
        self.cache.mark_seen(session.account(), id).await?;
        let attachments = self
            .cache
            .attachments(id)
            .await?
            .into_iter()
            .map(TicketAttachment::Sent)
            .chain(
                pending
                    .iter()
                    .flat_map(|item| item.files.iter().cloned().map(TicketAttachment::Pending)),
            )
            .collect();
        Ok(TicketView {
            ticket,
            messages,
            reopen_until,
            queue_position: queue.and_then(|q| q.position),
            first_response_due_at: queue.and_then(|q| q.first_response_due_at),
            queue_checked_at: queue.map(|q| q.checked_at),
            pending,
            attachments,
            online,
        })
    }

    /// The cached tickets the signed-in (or last signed-in) account has not
    /// read, by id: an answer of the provider came after it last opened the
    /// ticket ([`Core::ticket_view`]), or someone else filed it and it was
    /// never opened. Instant, offline.
    pub async fn unread_tickets(&self) -> Result<Vec<i64>> {
        match self.stored_session().await? {
            Some(session) => self.cache.unread(session.account()).await,
            None => Ok(Vec::new()),
        }
    }

    /// Open cached tickets like the one being written (subject and
    /// description), at most three, best first. Instant, offline.
    pub async fn similar_open_tickets(&self, subject: &str, body: &str) -> Result<Vec<SearchHit>> {
        self.cache.similar_open_tickets(subject, body).await
    }
}
