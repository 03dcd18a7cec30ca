//! A ticket's conversation: replies, internal notes, and reopening a closed
//! ticket with new details.

use axum::extract::State;
use axum::http::StatusCode;
use axum::response::Response;
use chrono::Utc;
use deskmate_api::{ErrorResponse, Message, NewMessage, ReopenTicket, Role};

use super::{respond, visible_ticket};
use crate::AppState;
use crate::db::Transition;
use crate::error::{ApiError, ApiResult};
use crate::extract::{Caller, IdempotencyKeyHeader, IdempotentJson, TicketId};
use crate::openapi::responses::{BadJsonOrKey, BodyTooLarge, SignedIn};

#[utoipa::path(
    post,
    path = "/api/v1/tickets/{id}/messages",
    tag = "tickets",
    operation_id = "add_message",
    summary = "Reply to a ticket, or (agents) add an internal note",
    description = "A customer's reply sends the ticket back to the provider (`open`); an agent's reply makes it wait for the customer (a closed ticket stays closed); an internal note changes nothing the customer could notice.",
    request_body = NewMessage,
    security(("bearer" = [])),
    params(
        ("id" = i64, Path, minimum = 1, description = "The ticket's id. Anything that is not a positive integer is a 404."),
        IdempotencyKeyHeader,
    ),
    responses(
        (status = 201, description = "Added; or, for a repeated `Idempotency-Key`, the first response replayed.", body = Message),
        BadJsonOrKey,
        (status = 403, description = "A customer asked for an internal note, which is for the provider's agents (`forbidden`).", body = ErrorResponse),
        (status = 404, description = "No such ticket, or it belongs to another organisation: both are answered alike (`not_found`).", body = ErrorResponse),
        (status = 409, description = "A customer replied to a closed ticket, which must be reopened instead; or the `Idempotency-Key` was already used for a different request (`conflict`).", body = ErrorResponse),
        BodyTooLarge,
        (status = 422, description = "The message is empty or longer than its limit (`validation`).", body = ErrorResponse),
        SignedIn,
    ),
)]
pub async fn add_message(
    State(state): State<AppState>,
    caller: Caller,
    ticket: TicketId,
    IdempotentJson { key, body: message }: IdempotentJson<NewMessage>,
) -> ApiResult<Response> {
    let stored = visible_ticket(&state, &caller.user, ticket).await?;
    message.validate().map_err(ApiError::validation)?;
    let transition = match (caller.user.role, message.internal) {
        (Role::Agent, true) => Transition::InternalNote,
        (Role::Agent, false) => Transition::AgentReply,
        (_, true) => {
            return Err(ApiError::forbidden(
                "internal notes are for the provider's agents",
            ));
        }
        (_, false) => Transition::CustomerReply,
    };
    let idempotency = key.bind(&message)?;
    let written = state
        .db
        .add_message(
            stored.ticket.id,
            &caller.user,
            &message.body,
            transition,
            idempotency.as_ref(),
            Utc::now(),
        )
        .await?;
    if transition == Transition::AgentReply
        && let crate::db::Written::Created(_) = &written
    {
        super::notification_addresses::mail_support_reply(
            &state,
            &stored,
            &caller.user,
            &message.body,
        )
        .await;
    }
    Ok(respond(written, StatusCode::CREATED))
}

#[utoipa::path(
    post,
    path = "/api/v1/tickets/{id}/reopen",
    tag = "tickets",
    operation_id = "reopen_ticket",
    summary = "Reopen a closed ticket with new details (customers)",
    description = "Allowed within the reopen window (30 days by default) after the ticket was closed; the details become a message and the ticket is open again.",
    request_body = ReopenTicket,
    security(("bearer" = [])),
    params(
        ("id" = i64, Path, minimum = 1, description = "The ticket's id. Anything that is not a positive integer is a 404."),
        IdempotencyKeyHeader,
    ),
    responses(
        (status = 201, description = "Reopened: the message carrying the details; or, for a repeated `Idempotency-Key`, the first response replayed.", body = Message),
        BadJsonOrKey,
        (status = 403, description = "Agents change a ticket's status with `PATCH /api/v1/tickets/{id}` instead (`forbidden`).", body = ErrorResponse),
        (status = 404, description = "No such ticket, or it belongs to another organisation: both are answered alike (`not_found`).", body = ErrorResponse),
        (status = 409, description = "The ticket is not closed, or was closed longer ago than the reopen window; or the `Idempotency-Key` was already used for a different request (`conflict`).", body = ErrorResponse),
        BodyTooLarge,
        (status = 422, description = "The details are empty or longer than their limit (`validation`).", body = ErrorResponse),
        SignedIn,
    ),
)]
pub async fn reopen_ticket(
    State(state): State<AppState>,
    caller: Caller,
    ticket: TicketId,
    IdempotentJson { key, body: reopen }: IdempotentJson<ReopenTicket>,
) -> ApiResult<Response> {
    let stored = visible_ticket(&state, &caller.user, ticket).await?;
    if caller.user.role == Role::Agent {
        return Err(ApiError::forbidden(
            "agents change a ticket's status with PATCH /api/v1/tickets/{id}",
        ));
    }
    reopen.validate().map_err(ApiError::validation)?;
    let idempotency = key.bind(&reopen)?;
    let written = state
        .db
        .add_message(
            stored.ticket.id,
            &caller.user,
            &reopen.details,
            Transition::Reopen {
                window: state.config.reopen_window,
            },
            idempotency.as_ref(),
            Utc::now(),
        )
        .await?;
    Ok(respond(written, StatusCode::CREATED))
}
