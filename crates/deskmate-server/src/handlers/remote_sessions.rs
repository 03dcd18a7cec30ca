//! Remote-session requests on a ticket: an agent asks, the customer accepts
//! or declines, the agent ends an accepted one with a summary.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use chrono::Utc;
use deskmate_api::{
    ErrorResponse, NewRemoteSession, RemoteSessionAnswer, RemoteSessionEnd, RemoteSessionList,
};

use super::{respond, visible_ticket};
use crate::AppState;
use crate::db::SessionStep;
use crate::error::{ApiError, ApiResult};
use crate::extract::{
    Action, Agent, Caller, Customer, IdempotencyKeyHeader, IdempotentJson, TicketId, path_id,
};
use crate::openapi::responses::{BadJsonOrKey, BodyTooLarge, SignedIn};

/// Requesting a remote session (the provider's agents).
pub struct RequestingRemoteSessions;
impl Action for RequestingRemoteSessions {
    const WHAT: &'static str = "requesting a remote session";
}

/// Answering a remote-session request (customers).
pub struct AnsweringRemoteSessions;
impl Action for AnsweringRemoteSessions {
    const WHAT: &'static str = "answering a remote-session request";
}

/// Ending a remote session (the provider's agents).
pub struct EndingRemoteSessions;
impl Action for EndingRemoteSessions {
    const WHAT: &'static str = "ending a remote session";
}

#[utoipa::path(
    get,
    path = "/api/v1/tickets/{id}/remote-sessions",
    tag = "notices",
    operation_id = "list_remote_sessions",
    summary = "A ticket's remote-session requests, oldest first",
    security(("bearer" = [])),
    params(
        ("id" = i64, Path, minimum = 1, description = "The ticket's id. Anything that is not a positive integer is a 404."),
    ),
    responses(
        (status = 200, description = "The ticket's remote sessions.", body = RemoteSessionList),
        (status = 404, description = "No such ticket, or it belongs to another organisation: both are answered alike (`not_found`).", body = ErrorResponse),
        SignedIn,
    ),
)]
pub async fn list_remote_sessions(
    State(state): State<AppState>,
    caller: Caller,
    ticket: TicketId,
) -> ApiResult<Json<RemoteSessionList>> {
    let stored = visible_ticket(&state, &caller.user, ticket).await?;
    let remote_sessions = state.db.remote_sessions(stored.ticket.id).await?;
    Ok(Json(RemoteSessionList { remote_sessions }))
}

#[utoipa::path(
    post,
    path = "/api/v1/tickets/{id}/remote-sessions",
    tag = "notices",
    operation_id = "request_remote_session",
    summary = "Ask the customer for a remote session on a ticket (agents)",
    request_body = NewRemoteSession,
    security(("bearer" = [])),
    params(
        ("id" = i64, Path, minimum = 1, description = "The ticket's id. Anything that is not a positive integer is a 404."),
        IdempotencyKeyHeader,
    ),
    responses(
        (status = 201, description = "Requested: it waits for the customer's answer; or, for a repeated `Idempotency-Key`, the first response replayed.", body = deskmate_api::RemoteSession),
        (status = 400, description = "The body is not JSON (or not sent as `application/json`), is malformed, or has missing, unknown or mistyped fields (an unknown `tool` included), or the `Idempotency-Key` is not 1 to 200 visible ASCII characters (`bad_request`).", body = ErrorResponse),
        (status = 403, description = "Remote sessions are requested by the provider's agents (`forbidden`).", body = ErrorResponse),
        (status = 404, description = "No such ticket (`not_found`).", body = ErrorResponse),
        (status = 409, description = "The ticket is closed; or the `Idempotency-Key` was already used for a different request (`conflict`).", body = ErrorResponse),
        BodyTooLarge,
        (status = 422, description = "The reason is empty or longer than its limit (`validation`).", body = ErrorResponse),
        SignedIn,
    ),
)]
pub async fn request_remote_session(
    State(state): State<AppState>,
    agent: Agent<RequestingRemoteSessions>,
    ticket: TicketId,
    IdempotentJson { key, body: new }: IdempotentJson<NewRemoteSession>,
) -> ApiResult<Response> {
    let stored = visible_ticket(&state, &agent.user, ticket).await?;
    new.validate().map_err(ApiError::validation)?;
    let idempotency = key.bind(&new)?;
    let written = state
        .db
        .request_remote_session(
            &stored.ticket,
            &agent.user,
            &new,
            idempotency.as_ref(),
            Utc::now(),
        )
        .await?;
    Ok(respond(written, StatusCode::CREATED))
}

#[utoipa::path(
    post,
    path = "/api/v1/remote-sessions/{id}/answer",
    tag = "notices",
    operation_id = "answer_remote_session",
    summary = "Accept or decline a remote-session request (customers)",
    request_body = RemoteSessionAnswer,
    security(("bearer" = [])),
    params(
        ("id" = i64, Path, minimum = 1, description = "The remote session's id. Anything that is not a positive integer is a 404."),
        IdempotencyKeyHeader,
    ),
    responses(
        (status = 200, description = "Accepted or declined; or, for a repeated `Idempotency-Key`, the first response replayed.", body = deskmate_api::RemoteSession),
        BadJsonOrKey,
        (status = 403, description = "The customer answers, not the provider's agents (`forbidden`).", body = ErrorResponse),
        (status = 404, description = "No such remote session, or its ticket is one the caller may not see: both are answered alike (`not_found`).", body = ErrorResponse),
        (status = 409, description = "It was answered already, or cancelled; or the `Idempotency-Key` was already used for a different request (`conflict`).", body = ErrorResponse),
        BodyTooLarge,
        SignedIn,
    ),
)]
pub async fn answer_remote_session(
    State(state): State<AppState>,
    customer: Customer<AnsweringRemoteSessions>,
    Path(raw_id): Path<String>,
    IdempotentJson { key, body: answer }: IdempotentJson<RemoteSessionAnswer>,
) -> ApiResult<Response> {
    let id = path_id(&raw_id, "remote session")?;
    let idempotency = key.bind(&answer)?;
    let step = SessionStep::Answer {
        accept: answer.accept,
    };
    let written = state
        .db
        .move_remote_session(id, &customer.user, step, idempotency.as_ref(), Utc::now())
        .await?;
    Ok(respond(written, StatusCode::OK))
}

#[utoipa::path(
    post,
    path = "/api/v1/remote-sessions/{id}/end",
    tag = "notices",
    operation_id = "end_remote_session",
    summary = "End an accepted remote session with a summary (agents)",
    request_body = RemoteSessionEnd,
    security(("bearer" = [])),
    params(
        ("id" = i64, Path, minimum = 1, description = "The remote session's id. Anything that is not a positive integer is a 404."),
        IdempotencyKeyHeader,
    ),
    responses(
        (status = 200, description = "Ended; or, for a repeated `Idempotency-Key`, the first response replayed.", body = deskmate_api::RemoteSession),
        BadJsonOrKey,
        (status = 403, description = "Remote sessions are ended by the provider's agents (`forbidden`).", body = ErrorResponse),
        (status = 404, description = "No such remote session (`not_found`).", body = ErrorResponse),
        (status = 409, description = "The session is not accepted (still requested, declined, ended or cancelled); or the `Idempotency-Key` was already used for a different request (`conflict`).", body = ErrorResponse),
        BodyTooLarge,
        (status = 422, description = "The summary is empty or longer than its limit (`validation`).", body = ErrorResponse),
        SignedIn,
    ),
)]
pub async fn end_remote_session(
    State(state): State<AppState>,
    agent: Agent<EndingRemoteSessions>,
    Path(raw_id): Path<String>,
    IdempotentJson { key, body: end }: IdempotentJson<RemoteSessionEnd>,
) -> ApiResult<Response> {
    let id = path_id(&raw_id, "remote session")?;
    end.validate().map_err(ApiError::validation)?;
    let idempotency = key.bind(&end)?;
    let step = SessionStep::End {
        summary: end.summary,
    };
    let written = state
        .db
        .move_remote_session(id, &agent.user, step, idempotency.as_ref(), Utc::now())
        .await?;
    Ok(respond(written, StatusCode::OK))
}
