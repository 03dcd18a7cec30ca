//! `GET /api/v1/events`: the committed changes the caller may see, live, as
//! Server-Sent Events (the announcements themselves: [`crate::events`]).

use std::convert::Infallible;
use std::time::Duration;

use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::sse::{Event, KeepAlive, Sse};
use futures_util::{Stream, StreamExt};
use serde::Serialize;
use tokio_stream::wrappers::BroadcastStream;
use tokio_stream::wrappers::errors::BroadcastStreamRecvError;

use crate::AppState;
use crate::error::{ApiError, ApiResult};
use crate::events::{ChangeEvent, ChangeKind};
use crate::extract::Caller;
use crate::limits;
use crate::openapi::responses::{SignedIn, StreamEvent};
use deskmate_api::ErrorResponse;

/// The SSE `data` of a change.
#[derive(Serialize)]
struct ChangeData {
    seq: i64,
    kind: ChangeKind,
    id: i64,
    #[serde(skip_serializing_if = "Option::is_none")]
    ticket_id: Option<i64>,
}

/// The data of a `queue` event.
#[derive(Serialize)]
struct QueueData {
    ticket_id: i64,
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
        what changed. A `resync` event means notifications were missed: pull. Agents also get \
        `queue` events, `{\"ticket_id\"}` with no `id`, when who holds a ticket in the queue \
        changes (claimed or let go). Send \
        `Last-Event-ID` when reconnecting to hear at once about what changed meanwhile. \
        Comment lines keep the connection alive every 15 s. The stream ends when the \
        account's rights change or it is removed, and when its session ends (sign-out, \
        refresh, password change, expiry): reconnect to follow with the new rights, or \
        sign in again. An account may have 8 streams open at once (`--streams-per-account`).",
    security(("bearer" = [])),
    params(
        ("Last-Event-ID" = Option<i64>, Header, nullable = false, minimum = 0, description = "The id of the last event received."),
    ),
    responses(
        (status = 200, description = "The event stream.", content_type = "text/event-stream", body = StreamEvent),
        (status = 400, description = "`Last-Event-ID` is not an event id: a whole number from 0 (`bad_request`).", body = ErrorResponse),
        SignedIn,
        (status = 429, description = "The account already has as many streams open as it may (`rate_limited`).", body = ErrorResponse),
    ),
)]
pub async fn stream(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
) -> ApiResult<Sse<impl Stream<Item = Result<Event, Infallible>>>> {
    let Some(slot) = state.limits.streams.take(caller.user.id) else {
        tracing::warn!(
            user_id = caller.user.id,
            "event stream refused: too many open"
        );
        return Err(limits::too_many(
            &format!(
                "this account already follows {} event streams",
                state.limits.streams.cap()
            ),
            "close one first",
        ));
    };
    // The session's end, known now: expiry; heard of later: the rest.
    let Some(expires_at) = state.db.session_expires_at(&caller.token_hash).await? else {
        return Err(ApiError::unauthorized(
            "the session has expired or was ended: sign in again",
        ));
    };
    let viewer = caller.user;
    // Subscribe first, then look back, so nothing falls between the two.
    let live = BroadcastStream::new(state.db.bus().subscribe());
    let last_seen = last_event_id(&headers)?;
    let missed = match last_seen {
        Some(seq) => {
            let page = state.db.changes_since(&viewer, seq, 1).await?;
            (!page.is_empty()).then_some(page.cursor)
        }
        None => None,
    };
    let first = futures_util::stream::iter(missed.map(|seq| Ok(resync(Some(seq)))));
    let account = viewer.clone();
    let (db, token_hash) = (state.db.clone(), caller.token_hash);
    let live = live
        .then(move |item| {
            let (db, token_hash, account) = (db.clone(), token_hash.clone(), account.clone());
            async move {
                let ends = match &item {
                    Ok(change) if change.ends_stream_of(&account) => true,
                    // A failed check ends it too: the client reconnects and is told.
                    Ok(change) if change.ends_sessions_of(&account) => {
                        !matches!(db.session_expires_at(&token_hash).await, Ok(Some(_)))
                    }
                    _ => false,
                };
                (item, ends)
            }
        })
        .take_while(|(_, ends)| std::future::ready(!ends))
        .filter_map(move |(item, _)| {
            let event = match item {
                Ok(change) if change.is_resync() => Some(Ok(resync(None))),
                Ok(change) if change.is_claim() => {
                    change.visible_to(&viewer).then(|| Ok(queue_event(&change)))
                }
                Ok(change) if change.visible_to(&viewer) => Some(Ok(change_event(&change))),
                Ok(_) => None,
                Err(BroadcastStreamRecvError::Lagged(_)) => Some(Ok(resync(None))),
            };
            std::future::ready(event)
        });
    let mut stopping = state.stopping.clone();
    let expiry = tokio::time::Instant::now()
        + (expires_at - chrono::Utc::now())
            .to_std()
            .unwrap_or_default();
    let stream = first
        .chain(live)
        .take_until(async move {
            tokio::select! {
                // Ends the stream when the server stops, so shutdown does not wait on it.
                _ = stopping.wait_for(|stop| *stop) => {}
                () = tokio::time::sleep_until(expiry) => {}
            }
        })
        // The slot is given back when the stream is dropped.
        .map(move |event| {
            let _held = &slot;
            event
        });
    Ok(Sse::new(stream).keep_alive(KeepAlive::new().interval(Duration::from_secs(15))))
}

/// Agents only: the claim on a ticket changed. No id: it is no change a
/// sync cursor counts.
fn queue_event(change: &ChangeEvent) -> Event {
    Event::default()
        .event("queue")
        .json_data(QueueData {
            ticket_id: change.id,
        })
        .unwrap_or_else(|_| resync(None))
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

/// The `Last-Event-ID` a reconnecting client sent: an id this stream gave
/// (a change number), or a 400.
fn last_event_id(headers: &HeaderMap) -> ApiResult<Option<i64>> {
    let Some(value) = headers.get("last-event-id") else {
        return Ok(None);
    };
    value
        .to_str()
        .ok()
        .and_then(|v| v.trim().parse::<i64>().ok())
        .filter(|seq| *seq >= 0)
        .map(Some)
        .ok_or_else(|| {
            ApiError::bad_request("Last-Event-ID must be the id of an event: a whole number from 0")
        })
}
