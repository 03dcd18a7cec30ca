//! `/api/v1/tickets/{id}/ready-now`: the customer is at the computer and
//! ready for remote help now, for 30 minutes, 1 hour or 2 hours; it expires
//! by itself. Agents see it on the ticket (`GET`) and in the queue, beside
//! the availability windows.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use chrono::Utc;
use deskmate_api::{ErrorResponse, ReadyNow, ReadyNowRequest};

use super::{respond, visible_ticket};
use crate::AppState;
use crate::error::{ApiError, ApiResult};
use crate::extract::{Caller, IdempotencyKey, IdempotencyKeyHeader, IdempotentJson, TicketId};
use crate::openapi::responses::{BadKey, BodyTooLarge, SignedIn};

const SAYING: &str = "saying you are ready for remote help now";

#[utoipa::path(
    get,
    path = "/api/v1/tickets/{id}/ready-now",
    tag = "tickets",
    operation_id = "ready_now",
    summary = "Until when the customer is ready for remote help now",
    security(("bearer" = [])),
    params(
        ("id" = i64, Path, minimum = 1, description = "The ticket's id. Anything that is not a positive integer is a 404."),
    ),
    responses(
        (status = 200, description = "Until when; `ready_until` is `null` when not ready (never said, taken back or expired).", body = ReadyNow),
        (status = 404, description = "No such ticket, or it belongs to another organisation: both are answered alike (`not_found`).", body = ErrorResponse),
        SignedIn,
    ),
)]
pub async fn get(
    State(state): State<AppState>,
    caller: Caller,
    ticket: TicketId,
) -> ApiResult<Json<ReadyNow>> {
    let stored = visible_ticket(&state, &caller.user, ticket).await?;
    Ok(Json(
        state.db.ready_now(stored.ticket.id, Utc::now()).await?,
    ))
}

#[utoipa::path(
    put,
    path = "/api/v1/tickets/{id}/ready-now",
    tag = "tickets",
    operation_id = "set_ready_now",
    summary = "Say you are at the computer and ready for remote help now (customers)",
    description = "From now for `minutes` (30, 60 or 120); it expires by itself. Replaces an earlier one. Whoever may see the ticket gets a live event for it.",
    request_body = ReadyNowRequest,
    security(("bearer" = [])),
    params(
        ("id" = i64, Path, minimum = 1, description = "The ticket's id. Anything that is not a positive integer is a 404."),
        IdempotencyKeyHeader,
    ),
    responses(
        (status = 200, description = "Ready until then; or, for a repeated `Idempotency-Key`, the first response replayed.", body = ReadyNow),
        (status = 400, description = "The body is not JSON (or not sent as `application/json`), is malformed, or has missing, unknown or mistyped fields, or the `Idempotency-Key` is not 1 to 200 visible ASCII characters (`bad_request`).", body = ErrorResponse),
        (status = 403, description = "This is the customer's to say (`forbidden`).", body = ErrorResponse),
        (status = 404, description = "No such ticket, or it belongs to another organisation: both are answered alike (`not_found`).", body = ErrorResponse),
        (status = 409, description = "The ticket is closed; or the `Idempotency-Key` was already used for a different request (`conflict`).", body = ErrorResponse),
        BodyTooLarge,
        (status = 422, description = "`minutes` is not 30, 60 or 120 (`validation`).", body = ErrorResponse),
        SignedIn,
    ),
)]
pub async fn set(
    State(state): State<AppState>,
    caller: Caller,
    ticket: TicketId,
    IdempotentJson { key, body }: IdempotentJson<ReadyNowRequest>,
) -> ApiResult<Response> {
    let stored = visible_ticket(&state, &caller.user, ticket).await?;
    caller.customers_only(SAYING)?;
    body.validate().map_err(ApiError::validation)?;
    let idempotency = key.bind(&body)?;
    let until = Utc::now() + chrono::Duration::minutes(i64::from(body.minutes));
    let written = state
        .db
        .set_ready_now(
            stored.ticket.id,
            &caller.user,
            Some(until),
            idempotency.as_ref(),
        )
        .await?;
    Ok(respond(written, StatusCode::OK))
}

#[utoipa::path(
    delete,
    path = "/api/v1/tickets/{id}/ready-now",
    tag = "tickets",
    operation_id = "clear_ready_now",
    summary = "Take back that you are ready for remote help now (customers)",
    security(("bearer" = [])),
    params(
        ("id" = i64, Path, minimum = 1, description = "The ticket's id. Anything that is not a positive integer is a 404."),
        IdempotencyKeyHeader,
    ),
    responses(
        (status = 200, description = "Not ready any more; or, for a repeated `Idempotency-Key`, the first response replayed.", body = ReadyNow),
        BadKey,
        (status = 403, description = "This is the customer's to say (`forbidden`).", body = ErrorResponse),
        (status = 404, description = "No such ticket, or it belongs to another organisation: both are answered alike (`not_found`).", body = ErrorResponse),
        (status = 409, description = "The `Idempotency-Key` was already used for a different request (`conflict`).", body = ErrorResponse),
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
    caller.customers_only(SAYING)?;
    let idempotency = key.bind_bodiless()?;
    let written = state
        .db
        .set_ready_now(stored.ticket.id, &caller.user, None, idempotency.as_ref())
        .await?;
    Ok(respond(written, StatusCode::OK))
}
