//! The agents' claims on queued tickets (`/api/v1/queue/{id}/claim`): an
//! agent takes a ticket so the others leave it alone, and lets go of it.
//! The queue itself is `routes::queue`.

use axum::extract::{Path, State};
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use chrono::Utc;
use deskmate_api::{ErrorResponse, QueuedTicket};

use crate::AppState;
use crate::auth::Authenticated;
use crate::error::ApiResult;
use crate::routes::{IdempotencyKeyHeader, agents_only, idempotency, respond, ticket_id};

#[utoipa::path(
    post,
    path = "/api/v1/queue/{id}/claim",
    tag = "tickets",
    operation_id = "claim_ticket",
    summary = "Take a queued ticket so other agents leave it alone (agents)",
    description = "The queue shows who holds each ticket (`claimed_by_name`, `claimed_at`); customers never see it. Claiming a ticket you hold already changes nothing. No live event is sent: agents see claims when they read the queue.",
    security(("bearer" = [])),
    params(
        ("id" = i64, Path, minimum = 1, description = "The ticket's id. Anything that is not a positive integer is a 404."),
        IdempotencyKeyHeader,
    ),
    responses(
        (status = 200, description = "The ticket as the queue now shows it; or, for a repeated `Idempotency-Key`, the first response replayed.", body = QueuedTicket),
        (status = 400, description = "The `Idempotency-Key` is not 1 to 200 visible ASCII characters (`bad_request`).", body = ErrorResponse),
        (status = 401, description = "No `Authorization: Bearer` token, or the session has expired or was ended (`unauthorized`).", body = ErrorResponse),
        (status = 403, description = "Tickets are claimed by the provider's agents (`forbidden`).", body = ErrorResponse),
        (status = 404, description = "No such ticket (`not_found`).", body = ErrorResponse),
        (status = 409, description = "Another agent holds the ticket (the message names them), the ticket is not in the queue (an agent has answered it, or it is closed), or the `Idempotency-Key` was already used for a different request (`conflict`).", body = ErrorResponse),
        (status = 500, description = "The server failed; the details are in its log only (`internal`).", body = ErrorResponse),
    ),
)]
pub async fn claim(
    State(state): State<AppState>,
    auth: Authenticated,
    Path(raw_id): Path<String>,
    headers: HeaderMap,
    uri: Uri,
) -> ApiResult<Response> {
    agents_only(&auth, "claiming tickets")?;
    let id = ticket_id(&raw_id)?;
    let idempotency = idempotency(&headers, &Method::POST, &uri, &())?;
    let written = state
        .db
        .claim(id, &auth.user, idempotency.as_ref(), Utc::now())
        .await?;
    tracing::info!(ticket_id = id, user_id = auth.user.id, "ticket claimed");
    Ok(respond(written, StatusCode::OK))
}

#[utoipa::path(
    delete,
    path = "/api/v1/queue/{id}/claim",
    tag = "tickets",
    operation_id = "release_ticket",
    summary = "Let go of a ticket you claimed (agents)",
    description = "Only the agent who holds the ticket may release it; it stays in the queue for anyone to claim.",
    security(("bearer" = [])),
    params(
        ("id" = i64, Path, minimum = 1, description = "The ticket's id. Anything that is not a positive integer is a 404."),
        IdempotencyKeyHeader,
    ),
    responses(
        (status = 204, description = "Released; or, for a repeated `Idempotency-Key`, released before."),
        (status = 400, description = "The `Idempotency-Key` is not 1 to 200 visible ASCII characters (`bad_request`).", body = ErrorResponse),
        (status = 401, description = "No `Authorization: Bearer` token, or the session has expired or was ended (`unauthorized`).", body = ErrorResponse),
        (status = 403, description = "Tickets are released by the provider's agents (`forbidden`).", body = ErrorResponse),
        (status = 404, description = "No such ticket (`not_found`).", body = ErrorResponse),
        (status = 409, description = "Another agent holds the ticket (the message names them), nobody does, or the `Idempotency-Key` was already used for a different request (`conflict`).", body = ErrorResponse),
        (status = 500, description = "The server failed; the details are in its log only (`internal`).", body = ErrorResponse),
    ),
)]
pub async fn release(
    State(state): State<AppState>,
    auth: Authenticated,
    Path(raw_id): Path<String>,
    headers: HeaderMap,
    uri: Uri,
) -> ApiResult<Response> {
    agents_only(&auth, "claiming tickets")?;
    let id = ticket_id(&raw_id)?;
    let idempotency = idempotency(&headers, &Method::DELETE, &uri, &())?;
    state
        .db
        .release(id, &auth.user, idempotency.as_ref())
        .await?;
    tracing::info!(ticket_id = id, user_id = auth.user.id, "ticket released");
    Ok(StatusCode::NO_CONTENT.into_response())
}
