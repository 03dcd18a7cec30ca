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

/// One stamped change and who may see it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ChangeEvent {
    /// The change number (`/api/v1/sync` cursors count these).
    pub seq: i64,
    pub ticket_id: i64,
    pub organisation_id: i64,
    pub requester_id: i64,
    /// An agents-only note.
    pub internal: bool,
}

impl ChangeEvent {
    /// A change to a ticket itself.
    pub fn of_ticket(seq: i64, ticket: &deskmate_api::Ticket) -> Self {
        Self {
            seq,
            ticket_id: ticket.id,
            organisation_id: ticket.organisation_id,
            requester_id: ticket.requester_id,
            internal: false,
        }
    }

    /// Not a change but "announcements may have been lost": every stream
    /// passes it on as `resync`.
    pub fn resync_all() -> Self {
        Self {
            seq: 0,
            ticket_id: 0,
            organisation_id: 0,
            requester_id: 0,
            internal: false,
        }
    }

    fn is_resync(&self) -> bool {
        self.seq == 0
    }

    /// Whether `viewer` may know about this change.
    pub fn visible_to(&self, viewer: &User) -> bool {
        if self.internal && viewer.role != deskmate_api::Role::Agent {
            return false;
        }
        match viewer.ticket_scope() {
            Scope::All => true,
            Scope::Organisation(org) => org == self.organisation_id,
            Scope::Own(user) => user == self.requester_id,
        }
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
    ticket_id: i64,
}

#[utoipa::path(
    get,
    path = "/api/v1/events",
    tag = "tickets",
    operation_id = "events",
    summary = "Live notifications of changes the caller may see (Server-Sent Events)",
    description = "A `text/event-stream`. Each `change` event has the change number as its `id` \
        and `{\"seq\", \"ticket_id\"}` as data: pull `/api/v1/sync` from your cursor to get \
        what changed. A `resync` event means notifications were missed: pull. Send \
        `Last-Event-ID` when reconnecting to hear at once about what changed meanwhile. \
        Comment lines keep the connection alive every 15 s.",
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
            (page.cursor > seq).then_some(page.cursor)
        }
        None => None,
    };
    let first = futures_util::stream::iter(missed.map(|seq| Ok(resync(Some(seq)))));
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
