//! Helpdesk back-ends: the operations the core needs from a helpdesk
//! ([`Backend`]), and the clients that implement them. Today:
//! deskmate-server over HTTP ([`ServerClient`]); another helpdesk goes behind
//! the same trait and [`connect`] picks it from the address.
//!
//! Every back-end has tickets, their conversations and files, and a delta
//! [`Backend::sync`] with a cursor of its own choosing. The rest is optional:
//! a back-end says what it offers ([`Backend::capabilities`]) and leaves the
//! methods of what it does not offer to their defaults, which answer
//! `not_offered` ([`not_offered`]) instead of pretending.

mod accounts;
mod address;
mod self_service;
mod server;
mod server_accounts;
mod server_events;
mod sse;

use std::sync::Arc;

use async_trait::async_trait;
use deskmate_api::{
    Attachment, AttachmentKind, Availability, Capabilities, ExpediteQuote, ExpediteRequest,
    LoginResponse, Me, Message, NewExpedite, NewMessage, NewTicket, OrderDelayAnswer,
    OrderDelayRequest, ReadyNow, RemoteSession, RemoteSessionAnswer, RemoteSessionEnd,
    ReopenTicket, SyncPage, Ticket, TicketDetail,
};

pub use accounts::AccountAdmin;
pub use address::normalize_url;
pub use self_service::AccountsBackend;
pub use server::{IDEMPOTENCY_KEY, ServerClient};
pub use sse::{SseEvent, SseParser};

use crate::secrets::Sensitive;
use crate::{CoreError, Result};

/// The error of a method whose capability the back-end does not offer.
pub fn not_offered(what: &str) -> CoreError {
    CoreError::NotOffered(format!("this helpdesk does not offer {what}"))
}

/// What the core asks of a helpdesk. Every call that changes something takes
/// the write's idempotency key: the helpdesk applies each key once, so the
/// outbox may resend after a lost answer or a crash.
///
/// Errors keep their meaning across back-ends: [`crate::CoreError::Network`]
/// when the helpdesk cannot be reached (retried later),
/// [`crate::CoreError::Server`] with the helpdesk's `{code, message}` when it
/// refuses (`unauthorized` signs the user out, another 4xx marks an outbox
/// item failed), [`crate::CoreError::Protocol`] for an answer it cannot read.
#[async_trait]
pub trait Backend: Send + Sync + std::fmt::Debug {
    /// The helpdesk's address as the session keeps it (normalized).
    fn base_url(&self) -> &str;

    /// What this helpdesk offers beyond tickets and conversations. The
    /// methods of a capability it lacks keep their defaults (`not_offered`);
    /// without `queue_facts` its [`Backend::ticket_detail`] has no queue
    /// position or first-response deadline; without `live_events` the core
    /// pulls on its own clock.
    fn capabilities(&self) -> Capabilities;

    /// The caller's own account and their organisation's accounts and
    /// notification addresses; `None` when this helpdesk has no such calls.
    fn accounts(&self) -> Option<&dyn AccountAdmin> {
        None
    }

    /// Password reset, account requests and billing, when the helpdesk has
    /// them (`None`: the core answers `not_offered`).
    fn self_service(&self) -> Option<&dyn AccountsBackend> {
        None
    }

    /// Signs in; the answer carries the session token.
    async fn login(&self, email: &str, password: &Sensitive<String>) -> Result<LoginResponse>;

    /// Ends the session on the helpdesk.
    async fn logout(&self, token: &Sensitive<String>) -> Result<()>;

    /// Who the token belongs to.
    async fn me(&self, token: &Sensitive<String>) -> Result<Me>;

    /// Every ticket the caller may see.
    async fn tickets(&self, token: &Sensitive<String>) -> Result<Vec<Ticket>>;

    /// One page of what changed after `cursor` (at most `limit` changes).
    async fn sync(&self, token: &Sensitive<String>, cursor: i64, limit: u32) -> Result<SyncPage>;

    /// The live feed of "something changed" announcements, from after
    /// `last_event_id` (a sync cursor) when given.
    async fn events(
        &self,
        token: &Sensitive<String>,
        last_event_id: Option<i64>,
    ) -> Result<Box<dyn ChangeFeed>> {
        let _ = (token, last_event_id);
        Err(not_offered("live events"))
    }

    /// A ticket and its conversation.
    async fn ticket_detail(&self, token: &Sensitive<String>, id: i64) -> Result<TicketDetail>;

    async fn create_ticket(
        &self,
        token: &Sensitive<String>,
        ticket: &NewTicket,
        idempotency_key: &str,
    ) -> Result<Ticket>;

    async fn reply(
        &self,
        token: &Sensitive<String>,
        ticket_id: i64,
        message: &NewMessage,
        idempotency_key: &str,
    ) -> Result<Message>;

    async fn reopen(
        &self,
        token: &Sensitive<String>,
        ticket_id: i64,
        reopen: &ReopenTicket,
        idempotency_key: &str,
    ) -> Result<Message>;

    /// Accepts or declines a remote-session request.
    async fn answer_remote_session(
        &self,
        token: &Sensitive<String>,
        remote_session_id: i64,
        answer: &RemoteSessionAnswer,
        idempotency_key: &str,
    ) -> Result<RemoteSession> {
        let _ = (token, remote_session_id, answer, idempotency_key);
        Err(not_offered("remote assistance"))
    }

    /// Ends an accepted remote session (the customer: the summary is optional).
    async fn end_remote_session(
        &self,
        token: &Sensitive<String>,
        remote_session_id: i64,
        end: &RemoteSessionEnd,
        idempotency_key: &str,
    ) -> Result<RemoteSession> {
        let _ = (token, remote_session_id, end, idempotency_key);
        Err(not_offered("remote assistance"))
    }

    /// Until when the customer said they are ready for remote help now.
    async fn ready_now(&self, token: &Sensitive<String>, ticket_id: i64) -> Result<ReadyNow> {
        let _ = (token, ticket_id);
        Err(not_offered("remote assistance"))
    }

    /// Says the customer is ready for remote help now for `minutes`, or
    /// (`None`) takes it back.
    async fn set_ready_now(
        &self,
        token: &Sensitive<String>,
        ticket_id: i64,
        minutes: Option<u32>,
        idempotency_key: &str,
    ) -> Result<ReadyNow> {
        let _ = (token, ticket_id, minutes, idempotency_key);
        Err(not_offered("remote assistance"))
    }

    /// Answers an order-delay information request.
    async fn answer_order_delay(
        &self,
        token: &Sensitive<String>,
        order_delay_id: i64,
        answer: &OrderDelayAnswer,
        idempotency_key: &str,
    ) -> Result<OrderDelayRequest> {
        let _ = (token, order_delay_id, answer, idempotency_key);
        Err(not_offered("order-delay requests"))
    }

    /// What an expedited response of the ticket costs now, and whether the
    /// caller can have it.
    async fn expedite_quote(
        &self,
        token: &Sensitive<String>,
        ticket_id: i64,
    ) -> Result<ExpediteQuote> {
        let _ = (token, ticket_id);
        Err(not_offered("an expedited response"))
    }

    /// Buys the ticket's expedited response at the price the customer accepted.
    async fn expedite(
        &self,
        token: &Sensitive<String>,
        ticket_id: i64,
        consent: &NewExpedite,
        idempotency_key: &str,
    ) -> Result<ExpediteRequest> {
        let _ = (token, ticket_id, consent, idempotency_key);
        Err(not_offered("an expedited response"))
    }

    /// Says when the customer can be reached about a ticket, or with `None`
    /// takes it back; answers the ticket as it is then.
    async fn set_availability(
        &self,
        token: &Sensitive<String>,
        ticket_id: i64,
        availability: Option<&Availability>,
        idempotency_key: &str,
    ) -> Result<Ticket> {
        let _ = (token, ticket_id, availability, idempotency_key);
        Err(not_offered("availability windows"))
    }

    /// Uploads one file to a ticket (and one of the caller's messages on
    /// it), applied once per `idempotency_key`.
    #[allow(clippy::too_many_arguments)]
    async fn upload_attachment(
        &self,
        token: &Sensitive<String>,
        ticket_id: i64,
        message_id: Option<i64>,
        file_name: &str,
        kind: AttachmentKind,
        bytes: Vec<u8>,
        idempotency_key: &str,
    ) -> Result<Attachment>;

    /// Downloads an attachment's bytes, refused past `max_bytes`.
    async fn download_attachment(
        &self,
        token: &Sensitive<String>,
        ticket_id: i64,
        attachment_id: i64,
        max_bytes: usize,
    ) -> Result<Vec<u8>>;
}

/// What a live feed announces. Whatever it is, the core pulls: a pull is
/// always safe, so a kind this version does not know is pulled for too.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// A record the caller may see changed.
    Record {
        kind: ChangeKind,
        id: Option<i64>,
        /// The ticket it belongs to, when it belongs to one.
        ticket_id: Option<i64>,
    },
    /// Announcements were missed: pull everything from the cursor.
    Resync,
}

/// What kind of record a [`Change`] touched.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ChangeKind {
    Ticket,
    Message,
    Attachment,
    Announcement,
    RemoteSession,
    OrderDelay,
    /// A kind a newer helpdesk announces.
    Other,
}

impl ChangeKind {
    /// The helpdesk's spelling (`remote_session`); unknown ones are [`Self::Other`].
    pub fn parse(s: &str) -> Self {
        match s {
            "ticket" => Self::Ticket,
            "message" => Self::Message,
            "attachment" => Self::Attachment,
            "announcement" => Self::Announcement,
            "remote_session" => Self::RemoteSession,
            "order_delay" => Self::OrderDelay,
            _ => Self::Other,
        }
    }
}

/// An open live feed.
#[async_trait]
pub trait ChangeFeed: Send {
    /// Waits for the next announcements (all that arrived together); `None`
    /// when the feed ended, an error when the connection broke.
    async fn next(&mut self) -> Result<Option<Vec<Change>>>;
}

/// Makes the [`Backend`] of the helpdesk at an address.
pub type Connector = Arc<dyn Fn(&str) -> Result<Arc<dyn Backend>> + Send + Sync>;

/// The default [`Connector`]: deskmate-server at `server_url`.
pub fn connect(server_url: &str) -> Result<Arc<dyn Backend>> {
    Ok(Arc::new(ServerClient::new(server_url)?))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn change_kinds_read_the_servers_spelling_and_tolerate_new_ones() {
        assert_eq!(
            ChangeKind::parse("remote_session"),
            ChangeKind::RemoteSession
        );
        assert_eq!(ChangeKind::parse("order_delay"), ChangeKind::OrderDelay);
        assert_eq!(ChangeKind::parse("announcement"), ChangeKind::Announcement);
        assert_eq!(ChangeKind::parse("invoice"), ChangeKind::Other);
    }
}
