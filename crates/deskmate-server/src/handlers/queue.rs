//! The queue of tickets waiting for an agent's first answer, and the agents'
//! claims on them (`/api/v1/queue/{id}/claim`): an agent takes a ticket so
//! the others leave it alone, and lets go of it.

use axum::Json;
use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use chrono::Utc;
use deskmate_api::{ErrorResponse, QueuedTicket, TicketQueue};

use super::respond;
use crate::AppState;
use crate::error::ApiResult;
use crate::extract::{Action, Agent, IdempotencyKey, IdempotencyKeyHeader, TicketId};
use crate::openapi::responses::{BadKey, SignedIn};

/// Reading the queue (agents).
pub struct TheQueue;
impl Action for TheQueue {
    const WHAT: &'static str = "the queue";
}

/// Claiming and releasing queued tickets (agents).
pub struct ClaimingTickets;
impl Action for ClaimingTickets {
    const WHAT: &'static str = "claiming tickets";
}

#[utoipa::path(
    get,
    path = "/api/v1/queue",
    tag = "tickets",
    operation_id = "queue",
    summary = "The tickets waiting for an agent's first answer, next first (agents)",
    description = "Every ticket that is not closed and that no agent has replied to yet (internal notes do not count), in this order: expedited first (the customer paid for an expedited response), then by first-response deadline, earliest first (`first_response_due_at`: a high-priority ticket has the shorter promise, 4 h against 24 h by default), then oldest first. Customers see their ticket's place in the same order as `queue_position` in `GET /api/v1/tickets/{id}`. Claimed tickets stay in the queue, showing who holds them (`claimed_by_name`, `claimed_at`; see `POST /api/v1/queue/{id}/claim`).",
    security(("bearer" = [])),
    params(
        ("limit" = Option<i64>, Query, nullable = false, minimum = 1, maximum = 10000, description = "Only the first `limit` tickets, 1 to 10000 (default: all); `total` still counts every one."),
    ),
    responses(
        (status = 200, description = "The queue.", body = TicketQueue),
        (status = 400, description = "`limit` is not a number from 1 to 10000, or an unknown parameter (`bad_request`).", body = ErrorResponse),
        (status = 403, description = "The queue is for the provider's agents (`forbidden`).", body = ErrorResponse),
        SignedIn,
    ),
)]
pub async fn queue(
    State(state): State<AppState>,
    _agent: Agent<TheQueue>,
    RawQuery(query): RawQuery,
) -> ApiResult<Json<TicketQueue>> {
    let mut limit = None;
    for (_, value) in crate::query::pairs(query.as_deref(), &["limit"])? {
        limit = Some(crate::query::limit(&value, QUEUE_LIMIT_MAX)?);
    }
    let (tickets, total) = state.db.queue(limit).await?;
    Ok(Json(TicketQueue { tickets, total }))
}

/// The most tickets `GET /api/v1/queue?limit=` returns at once.
pub const QUEUE_LIMIT_MAX: i64 = 10_000;

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
        BadKey,
        (status = 403, description = "Tickets are claimed by the provider's agents (`forbidden`).", body = ErrorResponse),
        (status = 404, description = "No such ticket (`not_found`).", body = ErrorResponse),
        (status = 409, description = "Another agent holds the ticket (the message names them), the ticket is not in the queue (an agent has answered it, or it is closed), or the `Idempotency-Key` was already used for a different request (`conflict`).", body = ErrorResponse),
        SignedIn,
    ),
)]
pub async fn claim(
    State(state): State<AppState>,
    agent: Agent<ClaimingTickets>,
    TicketId(id): TicketId,
    key: IdempotencyKey,
) -> ApiResult<Response> {
    let idempotency = key.bind_bodiless()?;
    let written = state
        .db
        .claim(id, &agent.user, idempotency.as_ref(), Utc::now())
        .await?;
    tracing::info!(ticket_id = id, user_id = agent.user.id, "ticket claimed");
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
        BadKey,
        (status = 403, description = "Tickets are released by the provider's agents (`forbidden`).", body = ErrorResponse),
        (status = 404, description = "No such ticket (`not_found`).", body = ErrorResponse),
        (status = 409, description = "Another agent holds the ticket (the message names them), nobody does, or the `Idempotency-Key` was already used for a different request (`conflict`).", body = ErrorResponse),
        SignedIn,
    ),
)]
pub async fn release(
    State(state): State<AppState>,
    agent: Agent<ClaimingTickets>,
    TicketId(id): TicketId,
    key: IdempotencyKey,
) -> ApiResult<Response> {
    let idempotency = key.bind_bodiless()?;
    state
        .db
        .release(id, &agent.user, idempotency.as_ref())
        .await?;
    tracing::info!(ticket_id = id, user_id = agent.user.id, "ticket released");
    Ok(StatusCode::NO_CONTENT.into_response())
}
