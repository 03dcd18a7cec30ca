//! `/api/v1/tickets/{id}/availability`: the customer says when they can be
//! reached at their computer about a ticket, or takes it back. Agents see it
//! on the ticket and, in the queue, whether the customer is reachable now
//! and when next (`deskmate_api::reachability`).

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use chrono::Utc;
use deskmate_api::{Availability, ErrorResponse, Ticket};

use super::{respond, visible_ticket};
use crate::AppState;
use crate::error::{ApiError, ApiResult};
use crate::extract::{Caller, IdempotencyKey, IdempotencyKeyHeader, IdempotentJson, TicketId};
use crate::openapi::responses::{BadKey, BodyTooLarge, SignedIn};

#[utoipa::path(
    put,
    path = "/api/v1/tickets/{id}/availability",
    tag = "tickets",
    operation_id = "set_availability",
    summary = "Say when you can be reached at your computer about a ticket (customers)",
    description = "Replaces the ticket's availability as a whole: weekly windows in the customer's time zone (local times, daylight saving included; a window whose `to` is earlier than its `from` runs past midnight), one-off dated windows, and a note. Whoever may see the ticket gets a live event and the ticket in `/api/v1/sync`; agents see in `GET /api/v1/queue` whether the customer is reachable now and when next.",
    request_body = Availability,
    security(("bearer" = [])),
    params(
        ("id" = i64, Path, minimum = 1, description = "The ticket's id. Anything that is not a positive integer is a 404."),
        IdempotencyKeyHeader,
    ),
    responses(
        (status = 200, description = "The ticket with its new availability; or, for a repeated `Idempotency-Key`, the first response replayed.", body = Ticket),
        (status = 400, description = "The body is not JSON (or not sent as `application/json`), is malformed, or has missing, unknown or mistyped fields (an unknown day included), or the `Idempotency-Key` is not 1 to 200 visible ASCII characters (`bad_request`).", body = ErrorResponse),
        (status = 403, description = "Availability is the customer's to say (`forbidden`).", body = ErrorResponse),
        (status = 404, description = "No such ticket, or it belongs to another organisation: both are answered alike (`not_found`).", body = ErrorResponse),
        (status = 409, description = "The ticket is closed; or the `Idempotency-Key` was already used for a different request (`conflict`).", body = ErrorResponse),
        BodyTooLarge,
        (status = 422, description = "Unknown time zone, no window at all, more than 14 weekly or 20 dated windows, a weekly window without days or with a time that is not HH:MM (\"24:00\" only as its end) or that starts and ends at the same time, a dated window that does not end after it starts, has already ended or starts more than 90 days ahead, or a note longer than 500 characters; the message names the window (`validation`).", body = ErrorResponse),
        SignedIn,
    ),
)]
pub async fn set(
    State(state): State<AppState>,
    caller: Caller,
    ticket: TicketId,
    IdempotentJson {
        key,
        body: availability,
    }: IdempotentJson<Availability>,
) -> ApiResult<Response> {
    let stored = visible_ticket(&state, &caller.user, ticket).await?;
    caller.customers_only("saying when you can be reached")?;
    let availability = availability.normalized();
    availability
        .validate(Utc::now())
        .map_err(|e| ApiError::validation(e.to_string()))?;
    let idempotency = key.bind(&availability)?;
    let written = state
        .db
        .set_availability(
            stored.ticket.id,
            &caller.user,
            Some(&availability),
            idempotency.as_ref(),
        )
        .await?;
    tracing::info!(
        ticket_id = stored.ticket.id,
        user_id = caller.user.id,
        "availability set"
    );
    Ok(respond(written, StatusCode::OK))
}

#[utoipa::path(
    delete,
    path = "/api/v1/tickets/{id}/availability",
    tag = "tickets",
    operation_id = "clear_availability",
    summary = "Take back when you can be reached about a ticket (customers)",
    description = "The ticket has no availability afterwards (clearing one that has none changes nothing else); its viewers get a live event as for `PUT`.",
    security(("bearer" = [])),
    params(
        ("id" = i64, Path, minimum = 1, description = "The ticket's id. Anything that is not a positive integer is a 404."),
        IdempotencyKeyHeader,
    ),
    responses(
        (status = 200, description = "The ticket without availability; or, for a repeated `Idempotency-Key`, the first response replayed.", body = Ticket),
        BadKey,
        (status = 403, description = "Availability is the customer's to say (`forbidden`).", body = ErrorResponse),
        (status = 404, description = "No such ticket, or it belongs to another organisation: both are answered alike (`not_found`).", body = ErrorResponse),
        (status = 409, description = "The ticket is closed; or the `Idempotency-Key` was already used for a different request (`conflict`).", body = ErrorResponse),
        SignedIn,
    ),
)]
pub async fn clear(
    State(state): State<AppState>,
    caller: Caller,
    ticket: TicketId,
    key: IdempotencyKey,
) -> ApiResult<Response> {
    let stored = visible_ticket(&state, &caller.user, ticket).await?;
    caller.customers_only("saying when you can be reached")?;
    let idempotency = key.bind_bodiless()?;
    let written = state
        .db
        .set_availability(stored.ticket.id, &caller.user, None, idempotency.as_ref())
        .await?;
    tracing::info!(
        ticket_id = stored.ticket.id,
        user_id = caller.user.id,
        "availability cleared"
    );
    Ok(respond(written, StatusCode::OK))
}
