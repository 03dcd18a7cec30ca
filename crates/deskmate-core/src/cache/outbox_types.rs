//! What the outbox holds: the eight kinds of write ([`Write`]) as they are
//! stored, and what a try at sending one made of it.

use chrono::{DateTime, Utc};
use deskmate_api::{
    Attachment, AttachmentKind, Availability, ErrorResponse, ExpediteRequest, Message, NewExpedite,
    NewMessage, NewTicket, OrderDelayAnswer, OrderDelayRequest, OutboxKind, RemoteSession,
    RemoteSessionAnswer, ReopenTicket, Ticket,
};

use crate::files::StagedFile;
use crate::{CoreError, Result};

/// Whose writes: items are only ever sent as the account that made them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Account {
    pub server_url: String,
    pub user_id: i64,
}

/// What a queued write asks the helpdesk to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Write {
    NewTicket(NewTicket),
    Reply {
        ticket_id: i64,
        message: NewMessage,
    },
    Reopen {
        ticket_id: i64,
        reopen: ReopenTicket,
    },
    /// Only the item's files, for a ticket (and one of the user's messages
    /// on it): files added to a ticket, or what is left of a new ticket or
    /// a reply once the helpdesk has its text.
    Attachments {
        ticket_id: i64,
        message_id: Option<i64>,
    },
    /// Accepts or declines a remote-session request.
    AnswerRemoteSession {
        remote_session_id: i64,
        answer: RemoteSessionAnswer,
    },
    /// Answers an order-delay information request.
    AnswerOrderDelay {
        order_delay_id: i64,
        answer: OrderDelayAnswer,
    },
    /// The customer's consent to the price of a ticket's expedited response.
    Expedite {
        ticket_id: i64,
        consent: NewExpedite,
    },
    /// Says when the customer can be reached about a ticket (`None`: takes
    /// it back). `ticket_id` is `None` while the ticket itself waits in the
    /// outbox as item `after_item`; it is filled in once the helpdesk has it.
    SetAvailability {
        ticket_id: Option<i64>,
        after_item: Option<i64>,
        availability: Option<Availability>,
    },
}

/// The payload of [`Write::SetAvailability`].
#[derive(serde::Serialize, serde::Deserialize)]
struct AvailabilityFor {
    after_item: Option<i64>,
    availability: Option<Availability>,
}

/// The payload of [`Write::Attachments`].
#[derive(serde::Serialize, serde::Deserialize)]
struct FilesFor {
    message_id: Option<i64>,
}

/// How an answer to one of the provider's requests is kept in the outbox:
/// the request's id travels in the payload (the `ticket_id` column is only
/// ever a ticket's).
#[derive(serde::Serialize, serde::Deserialize)]
struct Answer<T> {
    id: i64,
    answer: T,
}

impl Write {
    pub(super) fn kind(&self) -> OutboxKind {
        match self {
            Self::NewTicket(_) => OutboxKind::NewTicket,
            Self::Reply { .. } => OutboxKind::Reply,
            Self::Reopen { .. } => OutboxKind::Reopen,
            Self::Attachments { .. } => OutboxKind::Attachments,
            Self::AnswerRemoteSession { .. } => OutboxKind::RemoteSessionAnswer,
            Self::AnswerOrderDelay { .. } => OutboxKind::OrderDelayAnswer,
            Self::Expedite { .. } => OutboxKind::Expedite,
            Self::SetAvailability { .. } => OutboxKind::SetAvailability,
        }
    }

    pub(crate) fn ticket_id(&self) -> Option<i64> {
        match self {
            Self::NewTicket(_)
            | Self::AnswerRemoteSession { .. }
            | Self::AnswerOrderDelay { .. } => None,
            Self::Reply { ticket_id, .. }
            | Self::Reopen { ticket_id, .. }
            | Self::Attachments { ticket_id, .. }
            | Self::Expedite { ticket_id, .. } => Some(*ticket_id),
            Self::SetAvailability { ticket_id, .. } => *ticket_id,
        }
    }

    pub(super) fn payload(&self) -> Result<String> {
        match self {
            Self::NewTicket(t) => serde_json::to_string(t),
            Self::Reply { message, .. } => serde_json::to_string(message),
            Self::Reopen { reopen, .. } => serde_json::to_string(reopen),
            Self::Attachments { message_id, .. } => serde_json::to_string(&FilesFor {
                message_id: *message_id,
            }),
            Self::AnswerRemoteSession {
                remote_session_id,
                answer,
            } => serde_json::to_string(&Answer {
                id: *remote_session_id,
                answer,
            }),
            Self::AnswerOrderDelay {
                order_delay_id,
                answer,
            } => serde_json::to_string(&Answer {
                id: *order_delay_id,
                answer,
            }),
            Self::Expedite { consent, .. } => serde_json::to_string(consent),
            Self::SetAvailability {
                after_item,
                availability,
                ..
            } => serde_json::to_string(&AvailabilityFor {
                after_item: *after_item,
                availability: availability.clone(),
            }),
        }
        .map_err(|e| CoreError::Cache(format!("cannot queue the write: {e}")))
    }

    pub(super) fn read(
        local_id: i64,
        kind: &str,
        ticket_id: Option<i64>,
        payload: &str,
    ) -> Result<Self> {
        let unreadable =
            |e: String| CoreError::Cache(format!("outbox item {local_id} is unreadable: {e}"));
        let kind = OutboxKind::parse(kind).ok_or_else(|| unreadable(format!("kind {kind:?}")))?;
        let for_ticket = ticket_id;
        let ticket_id = || ticket_id.ok_or_else(|| unreadable("no ticket id".into()));
        Ok(match kind {
            OutboxKind::NewTicket => Self::NewTicket(
                serde_json::from_str(payload).map_err(|e| unreadable(e.to_string()))?,
            ),
            OutboxKind::Reply => Self::Reply {
                ticket_id: ticket_id()?,
                message: serde_json::from_str(payload).map_err(|e| unreadable(e.to_string()))?,
            },
            OutboxKind::Reopen => Self::Reopen {
                ticket_id: ticket_id()?,
                reopen: serde_json::from_str(payload).map_err(|e| unreadable(e.to_string()))?,
            },
            OutboxKind::Attachments => Self::Attachments {
                ticket_id: ticket_id()?,
                message_id: serde_json::from_str::<FilesFor>(payload)
                    .map_err(|e| unreadable(e.to_string()))?
                    .message_id,
            },
            OutboxKind::RemoteSessionAnswer => {
                let Answer { id, answer } =
                    serde_json::from_str(payload).map_err(|e| unreadable(e.to_string()))?;
                Self::AnswerRemoteSession {
                    remote_session_id: id,
                    answer,
                }
            }
            OutboxKind::OrderDelayAnswer => {
                let Answer { id, answer } =
                    serde_json::from_str(payload).map_err(|e| unreadable(e.to_string()))?;
                Self::AnswerOrderDelay {
                    order_delay_id: id,
                    answer,
                }
            }
            OutboxKind::Expedite => Self::Expedite {
                ticket_id: ticket_id()?,
                consent: serde_json::from_str(payload).map_err(|e| unreadable(e.to_string()))?,
            },
            OutboxKind::SetAvailability => {
                let AvailabilityFor {
                    after_item,
                    availability,
                } = serde_json::from_str(payload).map_err(|e| unreadable(e.to_string()))?;
                Self::SetAvailability {
                    ticket_id: for_ticket,
                    after_item,
                    availability,
                }
            }
        })
    }
}

/// A write to commit to the outbox ([`Cache::queue`]), with what goes in
/// the same transaction.
#[derive(Debug, Clone)]
pub struct OutboxEntry {
    pub write: Write,
    /// The draft it was written in, deleted as it is queued.
    pub draft_id: Option<String>,
    /// Its files, sent after its text.
    pub files: Vec<StagedFile>,
}

impl From<Write> for OutboxEntry {
    fn from(write: Write) -> Self {
        Self {
            write,
            draft_id: None,
            files: Vec::new(),
        }
    }
}

/// An item ready to send, with what sending needs.
#[derive(Debug, Clone)]
pub struct QueuedWrite {
    pub local_id: i64,
    pub idempotency_key: String,
    pub attempts: i64,
    pub write: Write,
    /// The files it sends after its text, in order.
    pub files: Vec<OutboxFile>,
}

/// A file of an outbox item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutboxFile {
    /// Its place among the item's files, from 0.
    pub position: u32,
    /// Its copy in `attachments/outgoing/`.
    pub local_name: String,
    pub file_name: String,
    pub kind: AttachmentKind,
    pub size_bytes: i64,
    pub sha256: String,
    /// Set once the helpdesk has it.
    pub attachment_id: Option<i64>,
}

/// What the helpdesk made of a write it accepted.
#[derive(Debug, Clone)]
pub enum Delivered {
    Ticket(Box<Ticket>),
    /// A reply, or the details a ticket was reopened with (`reopened`).
    Message {
        message: Message,
        reopened: bool,
    },
    /// The files of an item whose text was delivered before (in an earlier
    /// try, or by another process).
    Files {
        ticket_id: i64,
        /// What this try sent.
        attachments: Vec<Attachment>,
    },
    /// A remote-session request as answered.
    RemoteSession(RemoteSession),
    /// An order-delay request as answered.
    OrderDelay(Box<OrderDelayRequest>),
    /// A ticket's expedited response as bought.
    Expedited(ExpediteRequest),
}

/// How one try at sending an item ended.
#[derive(Debug, Clone)]
pub enum Attempt {
    /// Accepted: the item leaves the outbox and what it made enters the cache.
    Sent(Delivered),
    /// Refused for good (a 4xx): kept, marked failed with the helpdesk's word.
    Refused(ErrorResponse),
    /// Did not get through (network, 5xx, 429): try again at `retry_at`.
    Postponed {
        error: ErrorResponse,
        retry_at: DateTime<Utc>,
    },
}
