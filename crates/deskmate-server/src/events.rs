//! Live change notifications: every committed write announces the rows it
//! stamped; `GET /api/v1/events` streams the ones the caller may see as
//! Server-Sent Events, and clients pull `/api/v1/sync` to get the data.
//!
//! On SQLite the announcement goes straight to this process's subscribers.
//! On PostgreSQL it is a `NOTIFY` inside the writing transaction (delivered
//! only if it commits) and every instance's listener relays it, so a client
//! connected to any instance hears about a write made on any other.

use std::convert::Infallible;
use std::time::Duration;

use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::sse::{Event, KeepAlive, Sse};
use futures_util::{Stream, StreamExt};
use serde::{Deserialize, Serialize};
use tokio::sync::broadcast;
use tokio_stream::wrappers::BroadcastStream;
use tokio_stream::wrappers::errors::BroadcastStreamRecvError;

use crate::AppState;
use crate::auth::Authenticated;
use crate::db::{Scope, User};
use crate::error::ApiResult;

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

    fn is_resync(&self) -> bool {
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

    /// Whether this ends the streams of `viewer`.
    fn ends_stream_of(&self, viewer: &User) -> bool {
        self.kind == ChangeKind::Account && self.id == viewer.id
    }

    /// Whether `viewer` may know about this change (never about an
    /// account's, which is not a change).
    pub fn visible_to(&self, viewer: &User) -> bool {
        self.kind != ChangeKind::Account && self.audience.includes(viewer)
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

/// The SSE `data` of a change.
#[derive(Serialize)]
struct ChangeData {
    seq: i64,
    kind: ChangeKind,
    id: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    ticket_id: Option<i64>,
}

#[utoipa::path(
    get,
    path = "/api/v1/events",
    tag = "tickets",
    operation_id = "events",
    summary = "Live notifications of changes the caller may see (Server-Sent Events)",
    description = "A `text/event-stream`. Each `change` event has the change number as its `id` \
        and `{\"seq\", \"kind\", \"id\", \"ticket_id\"}` as data (`kind`: `ticket`, `message`, \
        `attachment`, `announcement`, `remote_session` or `order_delay`; `ticket_id` only for what belongs to a \
        ticket): pull `/api/v1/sync` from your cursor to get \
        what changed. A `resync` event means notifications were missed: pull. Send \
        `Last-Event-ID` when reconnecting to hear at once about what changed meanwhile. \
        Comment lines keep the connection alive every 15 s. The stream ends when the \
        account's rights change or it is removed: reconnect to follow with the new rights.",
    security(("bearer" = [])),
    params(
        ("Last-Event-ID" = Option<i64>, Header, description = "The id of the last event received."),
    ),
    responses(
        (status = 200, description = "The event stream.", content_type = "text/event-stream", body = String),
        (status = 401, description = "No `Authorization: Bearer` token, or the session has expired or was ended (`unauthorized`).", body = deskmate_api::ErrorResponse),
        (status = 500, description = "The server failed; the details are in its log only (`internal`).", body = deskmate_api::ErrorResponse),
    ),
)]
pub async fn stream(
    State(state): State<AppState>,
    auth: Authenticated,
    headers: HeaderMap,
) -> ApiResult<Sse<impl Stream<Item = Result<Event, Infallible>>>> {
    let viewer = auth.user;
    // Subscribe first, then look back, so nothing falls between the two.
    let live = BroadcastStream::new(state.db.bus().subscribe());
    let last_seen = headers
        .get("last-event-id")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<i64>().ok());
    let missed = match last_seen {
        Some(seq) => {
            let page = state.db.changes_since(&viewer, seq, 1).await?;
            (!page.is_empty()).then_some(page.cursor)
        }
        None => None,
    };
    let first = futures_util::stream::iter(missed.map(|seq| Ok(resync(Some(seq)))));
    let account = viewer.clone();
    let live = live.take_while(move |item| {
        let ends = matches!(item, Ok(change) if change.ends_stream_of(&account));
        std::future::ready(!ends)
    });
    let live = live.filter_map(move |item| {
        let event = match item {
            Ok(change) if change.is_resync() => Some(Ok(resync(None))),
            Ok(change) if change.visible_to(&viewer) => Some(Ok(change_event(&change))),
            Ok(_) => None,
            Err(BroadcastStreamRecvError::Lagged(_)) => Some(Ok(resync(None))),
        };
        std::future::ready(event)
    });
    let mut stopping = state.stopping.clone();
    let stream = first.chain(live).take_until(async move {
        // Ends the stream when the server stops, so shutdown does not wait on it.
        let _ = stopping.wait_for(|stop| *stop).await;
    });
    Ok(Sse::new(stream).keep_alive(KeepAlive::new().interval(Duration::from_secs(15))))
}

fn change_event(change: &ChangeEvent) -> Event {
    let data = ChangeData {
        seq: change.seq,
        kind: change.kind,
        id: change.id,
        ticket_id: change.ticket_id,
    };
    Event::default()
        .id(change.seq.to_string())
        .event("change")
        .json_data(data)
        .unwrap_or_else(|_| resync(Some(change.seq)))
}

/// "Pull `/api/v1/sync`": changes happened that this stream did not announce.
fn resync(seq: Option<i64>) -> Event {
    let event = Event::default().event("resync").data("{}");
    match seq {
        Some(seq) => event.id(seq.to_string()),
        None => event,
    }
}
