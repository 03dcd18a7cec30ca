//! Remote-session requests on a ticket: an agent asks (or cancels), the
//! customer accepts, handing over the tool and its ID (and a one-time
//! password only the requesting agent can read), or declines; the agent
//! (with a summary) or the customer ends an accepted one.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use chrono::Utc;
use deskmate_api::{
    ErrorResponse, NewRemoteSession, RemoteConnectionDetails, RemoteSessionAnswer,
    RemoteSessionEnd, RemoteSessionList,
};

use super::{respond, visible_ticket};
use crate::AppState;
use crate::db::SessionStep;
use crate::error::{ApiError, ApiResult};
use crate::extract::{
    Action, Agent, Caller, Customer, IdempotencyKey, IdempotencyKeyHeader, IdempotentJson,
    TicketId, path_id,
};
use crate::openapi::responses::{BadJsonOrKey, BadKey, BodyTooLarge, SignedIn};

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

/// Cancelling a remote-session request (the provider's agents).
pub struct CancellingRemoteSessions;
impl Action for CancellingRemoteSessions {
    const WHAT: &'static str = "cancelling a remote-session request";
}

/// Reading how to connect to a customer's computer (the requesting agent).
pub struct ReadingRemoteConnections;
impl Action for ReadingRemoteConnections {
    const WHAT: &'static str = "reading a remote session's connection";
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
    description = "Accepting carries, in `connection`, the tool the customer's app started and its ID (in the record for whoever may see the ticket) and, where the tool offers one, a one-time password: kept apart from the record, never in `/api/v1/sync`, events or logs, readable only by the requesting agent at `GET /api/v1/remote-sessions/{id}/connection`, and erased when the session ends or after 2 hours. A decline carries nothing else.",
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
        (status = 422, description = "A decline with a `connection`; a `connection` whose tool is `other`, whose `tool_id` is not 1 to 64 letters, digits, `@ . _ -`, or whose `password` is not 1 to 128 characters (`validation`).", body = ErrorResponse),
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
    answer.validate().map_err(ApiError::validation)?;
    // The key is bound to the answer without its password: no trace of it
    // outside its own table.
    let idempotency = key.bind(&answer.without_password())?;
    let step = SessionStep::Answer {
        accept: answer.accept,
        connection: answer.connection,
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
    summary = "End an accepted remote session (the agent with a summary, or the customer)",
    description = "Records who ended it and when, and erases the session's one-time password.",
    request_body = RemoteSessionEnd,
    security(("bearer" = [])),
    params(
        ("id" = i64, Path, minimum = 1, description = "The remote session's id. Anything that is not a positive integer is a 404."),
        IdempotencyKeyHeader,
    ),
    responses(
        (status = 200, description = "Ended; or, for a repeated `Idempotency-Key`, the first response replayed.", body = deskmate_api::RemoteSession),
        BadJsonOrKey,
        (status = 404, description = "No such remote session, or its ticket is one the caller may not see: both are answered alike (`not_found`).", body = ErrorResponse),
        (status = 409, description = "The session is not accepted (still requested, declined, ended or cancelled); or the `Idempotency-Key` was already used for a different request (`conflict`).", body = ErrorResponse),
        BodyTooLarge,
        (status = 422, description = "An agent sent no summary, or a summary is empty or longer than its limit (`validation`).", body = ErrorResponse),
        SignedIn,
    ),
)]
pub async fn end_remote_session(
    State(state): State<AppState>,
    caller: Caller,
    Path(raw_id): Path<String>,
    IdempotentJson { key, body: end }: IdempotentJson<RemoteSessionEnd>,
) -> ApiResult<Response> {
    let id = path_id(&raw_id, "remote session")?;
    end.validate(caller.is_agent())
        .map_err(ApiError::validation)?;
    let idempotency = key.bind(&end)?;
    let step = SessionStep::End {
        summary: end.summary,
    };
    let written = state
        .db
        .move_remote_session(id, &caller.user, step, idempotency.as_ref(), Utc::now())
        .await?;
    Ok(respond(written, StatusCode::OK))
}

#[utoipa::path(
    post,
    path = "/api/v1/remote-sessions/{id}/cancel",
    tag = "notices",
    operation_id = "cancel_remote_session",
    summary = "Withdraw a remote-session request not answered yet (agents)",
    security(("bearer" = [])),
    params(
        ("id" = i64, Path, minimum = 1, description = "The remote session's id. Anything that is not a positive integer is a 404."),
        IdempotencyKeyHeader,
    ),
    responses(
        (status = 200, description = "Cancelled; or, for a repeated `Idempotency-Key`, the first response replayed.", body = deskmate_api::RemoteSession),
        BadKey,
        (status = 403, description = "Requests are cancelled by the provider's agents (`forbidden`).", body = ErrorResponse),
        (status = 404, description = "No such remote session (`not_found`).", body = ErrorResponse),
        (status = 409, description = "It was answered already (accepted, declined), ended or cancelled; or the `Idempotency-Key` was already used for a different request (`conflict`).", body = ErrorResponse),
        SignedIn,
    ),
)]
pub async fn cancel_remote_session(
    State(state): State<AppState>,
    agent: Agent<CancellingRemoteSessions>,
    Path(raw_id): Path<String>,
    key: IdempotencyKey,
) -> ApiResult<Response> {
    let id = path_id(&raw_id, "remote session")?;
    let idempotency = key.bind_bodiless()?;
    let written = state
        .db
        .move_remote_session(
            id,
            &agent.user,
            SessionStep::Cancel,
            idempotency.as_ref(),
            Utc::now(),
        )
        .await?;
    Ok(respond(written, StatusCode::OK))
}

#[utoipa::path(
    get,
    path = "/api/v1/remote-sessions/{id}/connection",
    tag = "notices",
    operation_id = "remote_session_connection",
    summary = "How to connect: the tool, its ID and the one-time password (the requesting agent only)",
    description = "The password is here only while the session is accepted and at most 2 hours after the customer's consent; it never appears in the session's record, `/api/v1/sync` or events.",
    security(("bearer" = [])),
    params(
        ("id" = i64, Path, minimum = 1, description = "The remote session's id. Anything that is not a positive integer is a 404."),
    ),
    responses(
        (status = 200, description = "The connection the customer's app handed over.", body = RemoteConnectionDetails),
        (status = 403, description = "Only the provider's agents connect (`forbidden`).", body = ErrorResponse),
        (status = 404, description = "No such remote session, or another agent requested it: both are answered alike (`not_found`).", body = ErrorResponse),
        (status = 409, description = "The customer has not handed over a connection (not accepted yet, declined, or accepted without one) (`conflict`).", body = ErrorResponse),
        SignedIn,
    ),
)]
pub async fn remote_session_connection(
    State(state): State<AppState>,
    agent: Agent<ReadingRemoteConnections>,
    Path(raw_id): Path<String>,
) -> ApiResult<Json<RemoteConnectionDetails>> {
    let id = path_id(&raw_id, "remote session")?;
    let details = state
        .db
        .remote_connection(id, &agent.user, Utc::now())
        .await?;
    Ok(Json(details))
}
