use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::{
    Announcement, Attachment, Deletion, OrderDelayRequest, RemoteSession, Ticket, TicketStatus,
};

wire_enum! {
    /// Who wrote a message.
    AuthorKind {
        /// Someone at the customer's organisation.
        Customer => "customer",
        /// The provider's support staff.
        Agent => "agent",
    }
}

/// One entry in a ticket's conversation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[ts(export)]
pub struct Message {
    #[ts(type = "number")]
    pub id: i64,
    #[ts(type = "number")]
    pub ticket_id: i64,
    #[ts(type = "number")]
    pub author_id: i64,
    pub author_name: String,
    pub author_kind: AuthorKind,
    pub body: String,
    /// An agents-only note; never sent to customers.
    pub internal: bool,
    pub created_at: DateTime<Utc>,
}

/// `POST /api/v1/tickets/{id}/messages` request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct NewMessage {
    #[cfg_attr(
        feature = "openapi",
        schema(min_length = 1, max_length = 20000, pattern = "\\S")
    )]
    pub body: String,
    /// Agents only: a note for colleagues, hidden from the customer.
    #[serde(default)]
    pub internal: bool,
}

impl NewMessage {
    /// Checks the limits in [`crate::limits`].
    pub fn validate(&self) -> Result<(), String> {
        crate::ticket::check_body(&self.body, "message")
    }
}

/// `POST /api/v1/tickets/{id}/reopen` request: a closed ticket comes back
/// with what is new.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct ReopenTicket {
    #[cfg_attr(
        feature = "openapi",
        schema(min_length = 1, max_length = 20000, pattern = "\\S")
    )]
    pub details: String,
}

impl ReopenTicket {
    pub fn validate(&self) -> Result<(), String> {
        crate::ticket::check_body(&self.details, "details")
    }
}

/// `PATCH /api/v1/tickets/{id}` request (agents).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct TicketUpdate {
    pub status: TicketStatus,
}

/// `GET /api/v1/tickets/{id}`: the ticket and its conversation, oldest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[ts(export)]
pub struct TicketDetail {
    pub ticket: Ticket,
    pub messages: Vec<Message>,
    /// Until when a closed ticket may be reopened; absent unless closed.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub reopen_until: Option<DateTime<Utc>>,
    /// Where the ticket stands in the queue of tickets waiting for an agent's
    /// first answer (1 is next: expedited first, then the earliest
    /// first-response deadline, then oldest first);
    /// absent once an agent has replied, or when the ticket is closed.
    #[cfg_attr(feature = "openapi", schema(required = true, minimum = 1))]
    #[serde(default)]
    #[ts(type = "number | null")]
    pub queue_position: Option<i64>,
    /// When the first answer of an agent is due (filed + 4 h for high
    /// priority, + 24 h for regular, by default); absent once an agent has
    /// replied, or when the ticket is closed.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    #[serde(default)]
    pub first_response_due_at: Option<DateTime<Utc>>,
    /// The files attached to the ticket, oldest first (those of internal
    /// notes for agents only).
    #[cfg_attr(feature = "openapi", schema(required = true))]
    #[serde(default)]
    pub attachments: Vec<Attachment>,
}

/// One ticket of `GET /api/v1/queue`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[ts(export)]
pub struct QueuedTicket {
    /// 1-based place in the queue.
    #[cfg_attr(feature = "openapi", schema(minimum = 1))]
    #[ts(type = "number")]
    pub position: i64,
    /// When the first answer of an agent is due.
    pub first_response_due_at: DateTime<Utc>,
    pub ticket: Ticket,
    /// The name of the ticket's organisation.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    #[serde(default)]
    pub organisation_name: String,
    /// The customer paid for an expedited response: the ticket comes before
    /// every ticket that is not.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    #[serde(default)]
    pub expedited: bool,
    /// The agent who claimed the ticket (`POST /api/v1/queue/{id}/claim`);
    /// absent while nobody holds it.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    #[serde(default)]
    pub claimed_by_name: Option<String>,
    /// Since when that agent holds it; absent while nobody does.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    #[serde(default)]
    pub claimed_at: Option<DateTime<Utc>>,
    /// The customer said they can be reached at their computer now (see
    /// the ticket's `availability`).
    #[cfg_attr(feature = "openapi", schema(required = true))]
    #[serde(default)]
    pub reachable_now: bool,
    /// The earliest moment from now on at which the customer can be
    /// reached: now while `reachable_now`, else their next window's start;
    /// absent without availability or without a window ahead.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    #[serde(default)]
    pub next_reachable_at: Option<DateTime<Utc>>,
    /// The customer said they are at the computer and ready for remote
    /// help now, until then (`PUT /api/v1/tickets/{id}/ready-now`); absent
    /// when not, or once it passed.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    #[serde(default)]
    pub ready_until: Option<DateTime<Utc>>,
}

/// `GET /api/v1/queue` (agents): the open tickets no agent has answered yet,
/// expedited first, then by first-response deadline, then oldest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[ts(export)]
pub struct TicketQueue {
    pub tickets: Vec<QueuedTicket>,
    /// How many tickets wait in all: more than `tickets` holds when
    /// `limit` cut the list short.
    #[cfg_attr(feature = "openapi", schema(required = true, minimum = 0))]
    #[serde(default)]
    #[ts(type = "number")]
    pub total: i64,
}

/// `GET /api/v1/sync?cursor=C`: what the caller may see that changed after
/// cursor `C`, oldest change first, in bounded pages.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[ts(export)]
pub struct SyncPage {
    /// Tickets created or changed (status, activity) after the cursor.
    pub tickets: Vec<Ticket>,
    /// Messages added after the cursor (internal notes only for agents).
    pub messages: Vec<Message>,
    /// Attachments added after the cursor, metadata only (those of internal
    /// notes only for agents).
    #[cfg_attr(feature = "openapi", schema(required = true))]
    #[serde(default)]
    pub attachments: Vec<Attachment>,
    /// Announcements and planned maintenance posted or changed after the
    /// cursor (every customer's, and the caller's organisation's).
    #[serde(default)]
    pub announcements: Vec<Announcement>,
    /// Remote-session requests on visible tickets, new or answered or ended.
    #[serde(default)]
    pub remote_sessions: Vec<RemoteSession>,
    /// The caller's organisation's order-delay requests, new or answered.
    #[serde(default)]
    pub order_delays: Vec<OrderDelayRequest>,
    /// Records the caller could see that are gone (a withdrawn announcement).
    #[serde(default)]
    pub deleted: Vec<Deletion>,
    /// Where the next request continues: pass it as `cursor`.
    #[ts(type = "number")]
    pub cursor: i64,
    /// `true` when more changes wait: ask again right away with the new cursor.
    pub more: bool,
}

impl SyncPage {
    /// An empty page at `cursor`.
    pub fn empty(cursor: i64) -> Self {
        Self {
            tickets: Vec::new(),
            messages: Vec::new(),
            attachments: Vec::new(),
            announcements: Vec::new(),
            remote_sessions: Vec::new(),
            order_delays: Vec::new(),
            deleted: Vec::new(),
            cursor,
            more: false,
        }
    }

    /// How many changes the page holds, of every kind.
    pub fn len(&self) -> usize {
        self.tickets.len()
            + self.messages.len()
            + self.attachments.len()
            + self.announcements.len()
            + self.remote_sessions.len()
            + self.order_delays.len()
            + self.deleted.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
}
