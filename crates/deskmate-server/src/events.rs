//! Live change notifications: every committed write announces the rows it
//! stamped; `GET /api/v1/events` ([`crate::handlers::events`]) streams the ones the caller may see as
//! Server-Sent Events, and clients pull `/api/v1/sync` to get the data.
//!
//! On SQLite the announcement goes straight to this process's subscribers.
//! On PostgreSQL it is a `NOTIFY` inside the writing transaction (delivered
//! only if it commits) and every instance's listener relays it, so a client
//! connected to any instance hears about a write made on any other.

use serde::{Deserialize, Serialize};
use tokio::sync::broadcast;

use crate::user::{Scope, User};

/// The PostgreSQL channel the instances share.
pub const CHANNEL: &str = "deskmate_changes";

/// How many announcements a slow subscriber may fall behind before it is
/// told to resync instead.
const BUFFER: usize = 4096;

/// What kind of record a change touched.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ChangeKind {
    Ticket,
    Message,
    Attachment,
    Announcement,
    RemoteSession,
    OrderDelay,
    /// Not a record: an account's rights changed or it was removed
    /// ([`ChangeEvent::account_changed`]); never sent to clients.
    Account,
    /// Not a record: who holds a ticket in the queue changed
    /// ([`ChangeEvent::claim_changed`]); agents hear it as a `queue` event.
    Claim,
    /// Not a record: sessions of an account ended
    /// ([`ChangeEvent::sessions_ended`]); never sent to clients.
    Session,
}

/// Who may know about a change.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "to", rename_all = "snake_case")]
pub enum Audience {
    /// Every signed-in person.
    Everyone,
    /// The provider's agents and every person of one organisation.
    Organisation { organisation_id: i64 },
    /// Whoever may see one ticket; only agents when `internal`.
    Ticket {
        organisation_id: i64,
        requester_id: i64,
        internal: bool,
    },
}

impl Audience {
    /// Whoever may see `ticket`.
    pub fn of_ticket(ticket: &deskmate_api::Ticket) -> Self {
        Self::Ticket {
            organisation_id: ticket.organisation_id,
            requester_id: ticket.requester_id,
            internal: false,
        }
    }

    /// Agents and the people of `organisation_id`; everyone when `None`.
    pub fn of_organisation(organisation_id: Option<i64>) -> Self {
        match organisation_id {
            Some(organisation_id) => Self::Organisation { organisation_id },
            None => Self::Everyone,
        }
    }

    /// Whether `viewer` is in it.
    pub fn includes(&self, viewer: &User) -> bool {
        let is_agent = viewer.role == deskmate_api::Role::Agent;
        match *self {
            Self::Everyone => true,
            Self::Organisation { organisation_id } => {
                is_agent || viewer.organisation.as_ref().map(|o| o.id) == Some(organisation_id)
            }
            Self::Ticket { internal, .. } if internal && !is_agent => false,
            Self::Ticket {
                organisation_id,
                requester_id,
                ..
            } => match viewer.ticket_scope() {
                Scope::All => true,
                Scope::Organisation(org) => org == organisation_id,
                Scope::Own(user) => user == requester_id,
            },
        }
    }
}

/// One stamped change and who may see it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChangeEvent {
    /// The change number (`/api/v1/sync` cursors count these).
    pub seq: i64,
    /// What changed, and its id.
    pub kind: ChangeKind,
    pub id: i64,
    /// The ticket it belongs to (a ticket, its messages, its remote sessions).
    pub ticket_id: Option<i64>,
    pub audience: Audience,
}

impl ChangeEvent {
    /// A change to a ticket itself.
    pub fn of_ticket(seq: i64, ticket: &deskmate_api::Ticket) -> Self {
        Self {
            seq,
            kind: ChangeKind::Ticket,
            id: ticket.id,
            ticket_id: Some(ticket.id),
            audience: Audience::of_ticket(ticket),
        }
    }

    /// A change to a record of no ticket, seen by `audience`.
    pub fn of(seq: i64, kind: ChangeKind, id: i64, audience: Audience) -> Self {
        Self {
            seq,
            kind,
            id,
            ticket_id: None,
            audience,
        }
    }

    /// Not a change but "announcements may have been lost": every stream
    /// passes it on as `resync`.
    pub fn resync_all() -> Self {
        Self::of(0, ChangeKind::Ticket, 0, Audience::Everyone)
    }

    pub fn is_resync(&self) -> bool {
        self.seq == 0
    }

    /// Not a change but "this account's rights changed or it was removed":
    /// its open streams end, so that it reconnects with what it may see now
    /// (or is refused). Told to every instance like a change.
    /// Its kind says what it is; its change number, -1, is none a write
    /// takes (and not the resync's 0).
    pub fn account_changed(user_id: i64) -> Self {
        Self::of(-1, ChangeKind::Account, user_id, Audience::Everyone)
    }

    /// Not a change but "the claim on ticket `ticket` changed" (claimed or
    /// let go): claims are the agents' business and no record a client
    /// syncs, so agents only, with no change number (-2).
    pub fn claim_changed(ticket: &deskmate_api::Ticket) -> Self {
        Self {
            seq: -2,
            kind: ChangeKind::Claim,
            id: ticket.id,
            ticket_id: Some(ticket.id),
            audience: Audience::Ticket {
                organisation_id: ticket.organisation_id,
                requester_id: ticket.requester_id,
                internal: true,
            },
        }
    }

    pub fn is_claim(&self) -> bool {
        self.kind == ChangeKind::Claim
    }

    /// Not a change but "some sessions of this account ended" (sign-out,
    /// refresh, password change or reset, expiry, revocation): each open
    /// stream of the account checks its own session and ends if it is gone.
    /// Told to every instance like a change; it carries no token.
    pub fn sessions_ended(user_id: i64) -> Self {
        Self::of(-1, ChangeKind::Session, user_id, Audience::Everyone)
    }

    /// Whether this ends the streams of `viewer`.
    pub fn ends_stream_of(&self, viewer: &User) -> bool {
        self.kind == ChangeKind::Account && self.id == viewer.id
    }

    /// Whether the streams of `viewer` must check that their session lives.
    pub fn ends_sessions_of(&self, viewer: &User) -> bool {
        self.kind == ChangeKind::Session && self.id == viewer.id
    }

    /// Whether `viewer` may know about this change (never about an
    /// account's or a session's, which are not changes).
    pub fn visible_to(&self, viewer: &User) -> bool {
        !matches!(self.kind, ChangeKind::Account | ChangeKind::Session)
            && self.audience.includes(viewer)
    }
}

/// The in-process fan-out of announcements.
#[derive(Clone, Debug)]
pub struct Bus {
    sender: broadcast::Sender<ChangeEvent>,
}

impl Default for Bus {
    fn default() -> Self {
        Self {
            sender: broadcast::channel(BUFFER).0,
        }
    }
}

impl Bus {
    pub fn publish(&self, event: ChangeEvent) {
        // No subscriber is not an error.
        let _ = self.sender.send(event);
    }

    pub fn subscribe(&self) -> broadcast::Receiver<ChangeEvent> {
        self.sender.subscribe()
    }
}
