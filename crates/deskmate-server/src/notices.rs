//! The routes of what the provider tells its customers outside a ticket's
//! conversation: announcements and planned maintenance, remote-session
//! requests on a ticket, and order-delay information requests. Agents
//! write them; customers read them and answer the requests.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use chrono::Utc;
use deskmate_api::{
    AnnouncementList, AnnouncementUpdate, ErrorResponse, NewAnnouncement, NewOrderDelay,
    NewRemoteSession, OrderDelayAnswer, OrderDelayList, RemoteSessionAnswer, RemoteSessionEnd,
    RemoteSessionList,
};

use crate::AppState;
use crate::auth::Authenticated;
use crate::db::{SessionStep, Written};
use crate::error::{ApiError, ApiResult};
use crate::json::ApiJson;
use crate::routes::{
    IdempotencyKeyHeader, agents_only, customers_only, idempotency, path_id, respond,
    visible_ticket,
};

// ---- announcements ----------------------------------------------------------------

#[utoipa::path(
    get,
    path = "/api/v1/announcements",
    tag = "notices",
    operation_id = "list_announcements",
    summary = "The announcements and planned maintenance the caller may see",
    description = "Those for every customer and those for the caller's organisation (agents: all). Current and upcoming first, by start; then past ones, latest end first.",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The announcements.", body = AnnouncementList),
        (status = 401, description = "No `Authorization: Bearer` token, or the session has expired or was ended (`unauthorized`).", body = ErrorResponse),
        (status = 500, description = "The server failed; the details are in its log only (`internal`).", body = ErrorResponse),
    ),
)]
pub async fn list_announcements(
    State(state): State<AppState>,
    auth: Authenticated,
) -> ApiResult<Json<AnnouncementList>> {
    let announcements = state.db.announcements(&auth.user, Utc::now()).await?;
    Ok(Json(AnnouncementList { announcements }))
}

#[utoipa::path(
    post,
    path = "/api/v1/announcements",
    tag = "notices",
    operation_id = "create_announcement",
    summary = "Post an announcement or a planned maintenance (agents)",
    description = "For every customer, or for one organisation's people when `organisation_id` is given (it cannot change later). Planned maintenance needs its window (`starts_at`, `ends_at`).",
    request_body = NewAnnouncement,
    security(("bearer" = [])),
    params(IdempotencyKeyHeader),
    responses(
        (status = 201, description = "Posted; or, for a repeated `Idempotency-Key`, the first response replayed.", body = deskmate_api::Announcement),
        (status = 400, description = "The body is not JSON (or not sent as `application/json`), is malformed, or has missing, unknown or mistyped fields (an unknown `kind` included), or the `Idempotency-Key` is not 1 to 200 visible ASCII characters (`bad_request`).", body = ErrorResponse),
        (status = 401, description = "No `Authorization: Bearer` token, or the session has expired or was ended (`unauthorized`).", body = ErrorResponse),
        (status = 403, description = "Announcements are posted by the provider's agents (`forbidden`).", body = ErrorResponse),
        (status = 409, description = "The `Idempotency-Key` was already used for a different request (`conflict`).", body = ErrorResponse),
        (status = 413, description = "The request body is larger than 1 MiB (`payload_too_large`).", body = ErrorResponse),
        (status = 422, description = "Empty or too long title or body, more than 20 affected services or one empty or longer than 200 characters, a maintenance without its window, an end not after the start, or an unknown organisation (`validation`).", body = ErrorResponse),
        (status = 500, description = "The server failed; the details are in its log only (`internal`).", body = ErrorResponse),
    ),
)]
pub async fn create_announcement(
    State(state): State<AppState>,
    auth: Authenticated,
    headers: HeaderMap,
    uri: Uri,
    ApiJson(new): ApiJson<NewAnnouncement>,
) -> ApiResult<Response> {
    agents_only(&auth, "posting announcements")?;
    new.validate().map_err(ApiError::validation)?;
    let new = new.normalized();
    let idempotency = idempotency(&headers, &Method::POST, &uri, &new)?;
    let written = state
        .db
        .create_announcement(&auth.user, &new, idempotency.as_ref(), Utc::now())
        .await?;
    if let Written::Created(a) = &written {
        tracing::info!(
            announcement_id = a.id,
            user_id = auth.user.id,
            "announcement posted"
        );
    }
    Ok(respond(written, StatusCode::CREATED))
}

#[utoipa::path(
    patch,
    path = "/api/v1/announcements/{id}",
    tag = "notices",
    operation_id = "update_announcement",
    summary = "Change an announcement, e.g. its window (agents)",
    description = "Only the fields sent change; `null` clears `starts_at` or `ends_at`. The result must be valid as a whole. Who sees it cannot change: withdraw it and post anew.",
    request_body = AnnouncementUpdate,
    security(("bearer" = [])),
    params(
        ("id" = i64, Path, minimum = 1, description = "The announcement's id. Anything that is not a positive integer is a 404."),
        IdempotencyKeyHeader,
    ),
    responses(
        (status = 200, description = "The announcement as changed; or, for a repeated `Idempotency-Key`, the first response replayed.", body = deskmate_api::Announcement),
        (status = 400, description = "The body is not JSON (or not sent as `application/json`), is malformed, or has unknown or mistyped fields, or the `Idempotency-Key` is not 1 to 200 visible ASCII characters (`bad_request`).", body = ErrorResponse),
        (status = 401, description = "No `Authorization: Bearer` token, or the session has expired or was ended (`unauthorized`).", body = ErrorResponse),
        (status = 403, description = "Announcements are changed by the provider's agents (`forbidden`).", body = ErrorResponse),
        (status = 404, description = "No such announcement (`not_found`).", body = ErrorResponse),
        (status = 409, description = "The `Idempotency-Key` was already used for a different request (`conflict`).", body = ErrorResponse),
        (status = 413, description = "The request body is larger than 1 MiB (`payload_too_large`).", body = ErrorResponse),
        (status = 422, description = "The changed announcement would be invalid, as when posting (`validation`).", body = ErrorResponse),
        (status = 500, description = "The server failed; the details are in its log only (`internal`).", body = ErrorResponse),
    ),
)]
pub async fn update_announcement(
    State(state): State<AppState>,
    auth: Authenticated,
    Path(raw_id): Path<String>,
    headers: HeaderMap,
    uri: Uri,
    ApiJson(update): ApiJson<AnnouncementUpdate>,
) -> ApiResult<Response> {
    agents_only(&auth, "changing announcements")?;
    let id = path_id(&raw_id, "announcement")?;
    let idempotency = idempotency(&headers, &Method::PATCH, &uri, &update)?;
    let written = state
        .db
        .update_announcement(
            id,
            &auth.user,
            |current| {
                let next = update.apply(current);
                next.validate().map_err(ApiError::validation)?;
                Ok(next.normalized())
            },
            idempotency.as_ref(),
            Utc::now(),
        )
        .await?;
    Ok(respond(written, StatusCode::OK))
}

#[utoipa::path(
    delete,
    path = "/api/v1/announcements/{id}",
    tag = "notices",
    operation_id = "withdraw_announcement",
    summary = "Withdraw an announcement (agents)",
    description = "It is gone; `/api/v1/sync` lists it under `deleted` for those who could see it.",
    security(("bearer" = [])),
    params(
        ("id" = i64, Path, minimum = 1, description = "The announcement's id. Anything that is not a positive integer is a 404."),
        IdempotencyKeyHeader,
    ),
    responses(
        (status = 204, description = "Withdrawn; or, for a repeated `Idempotency-Key`, withdrawn before."),
        (status = 400, description = "The `Idempotency-Key` is not 1 to 200 visible ASCII characters (`bad_request`).", body = ErrorResponse),
        (status = 401, description = "No `Authorization: Bearer` token, or the session has expired or was ended (`unauthorized`).", body = ErrorResponse),
        (status = 403, description = "Announcements are withdrawn by the provider's agents (`forbidden`).", body = ErrorResponse),
        (status = 404, description = "No such announcement, or it was withdrawn already (`not_found`).", body = ErrorResponse),
        (status = 409, description = "The `Idempotency-Key` was already used for a different request (`conflict`).", body = ErrorResponse),
        (status = 500, description = "The server failed; the details are in its log only (`internal`).", body = ErrorResponse),
    ),
)]
pub async fn withdraw_announcement(
    State(state): State<AppState>,
    auth: Authenticated,
    Path(raw_id): Path<String>,
    headers: HeaderMap,
    uri: Uri,
) -> ApiResult<Response> {
    agents_only(&auth, "withdrawing announcements")?;
    let id = path_id(&raw_id, "announcement")?;
    let idempotency = idempotency(&headers, &Method::DELETE, &uri, &())?;
    state
        .db
        .withdraw_announcement(id, &auth.user, idempotency.as_ref(), Utc::now())
        .await?;
    tracing::info!(
        announcement_id = id,
        user_id = auth.user.id,
        "announcement withdrawn"
    );
    Ok(StatusCode::NO_CONTENT.into_response())
}

// ---- remote sessions --------------------------------------------------------------

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
        (status = 401, description = "No `Authorization: Bearer` token, or the session has expired or was ended (`unauthorized`).", body = ErrorResponse),
        (status = 404, description = "No such ticket, or it belongs to another organisation: both are answered alike (`not_found`).", body = ErrorResponse),
        (status = 500, description = "The server failed; the details are in its log only (`internal`).", body = ErrorResponse),
    ),
)]
pub async fn list_remote_sessions(
    State(state): State<AppState>,
    auth: Authenticated,
    Path(raw_id): Path<String>,
) -> ApiResult<Json<RemoteSessionList>> {
    let stored = visible_ticket(&state, &auth, &raw_id).await?;
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
        (status = 401, description = "No `Authorization: Bearer` token, or the session has expired or was ended (`unauthorized`).", body = ErrorResponse),
        (status = 403, description = "Remote sessions are requested by the provider's agents (`forbidden`).", body = ErrorResponse),
        (status = 404, description = "No such ticket (`not_found`).", body = ErrorResponse),
        (status = 409, description = "The ticket is closed; or the `Idempotency-Key` was already used for a different request (`conflict`).", body = ErrorResponse),
        (status = 413, description = "The request body is larger than 1 MiB (`payload_too_large`).", body = ErrorResponse),
        (status = 422, description = "The reason is empty or longer than its limit (`validation`).", body = ErrorResponse),
        (status = 500, description = "The server failed; the details are in its log only (`internal`).", body = ErrorResponse),
    ),
)]
pub async fn request_remote_session(
    State(state): State<AppState>,
    auth: Authenticated,
    Path(raw_id): Path<String>,
    headers: HeaderMap,
    uri: Uri,
    ApiJson(new): ApiJson<NewRemoteSession>,
) -> ApiResult<Response> {
    agents_only(&auth, "requesting a remote session")?;
    let stored = visible_ticket(&state, &auth, &raw_id).await?;
    new.validate().map_err(ApiError::validation)?;
    let idempotency = idempotency(&headers, &Method::POST, &uri, &new)?;
    let written = state
        .db
        .request_remote_session(
            &stored.ticket,
            &auth.user,
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
        (status = 400, description = "The body is not JSON (or not sent as `application/json`), is malformed, or has missing, unknown or mistyped fields, or the `Idempotency-Key` is not 1 to 200 visible ASCII characters (`bad_request`).", body = ErrorResponse),
        (status = 401, description = "No `Authorization: Bearer` token, or the session has expired or was ended (`unauthorized`).", body = ErrorResponse),
        (status = 403, description = "The customer answers, not the provider's agents (`forbidden`).", body = ErrorResponse),
        (status = 404, description = "No such remote session, or its ticket is one the caller may not see: both are answered alike (`not_found`).", body = ErrorResponse),
        (status = 409, description = "It was answered already, or cancelled; or the `Idempotency-Key` was already used for a different request (`conflict`).", body = ErrorResponse),
        (status = 413, description = "The request body is larger than 1 MiB (`payload_too_large`).", body = ErrorResponse),
        (status = 500, description = "The server failed; the details are in its log only (`internal`).", body = ErrorResponse),
    ),
)]
pub async fn answer_remote_session(
    State(state): State<AppState>,
    auth: Authenticated,
    Path(raw_id): Path<String>,
    headers: HeaderMap,
    uri: Uri,
    ApiJson(answer): ApiJson<RemoteSessionAnswer>,
) -> ApiResult<Response> {
    customers_only(&auth, "answering a remote-session request")?;
    let id = path_id(&raw_id, "remote session")?;
    let idempotency = idempotency(&headers, &Method::POST, &uri, &answer)?;
    let step = SessionStep::Answer {
        accept: answer.accept,
    };
    let written = state
        .db
        .move_remote_session(id, &auth.user, step, idempotency.as_ref(), Utc::now())
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
        (status = 400, description = "The body is not JSON (or not sent as `application/json`), is malformed, or has missing, unknown or mistyped fields, or the `Idempotency-Key` is not 1 to 200 visible ASCII characters (`bad_request`).", body = ErrorResponse),
        (status = 401, description = "No `Authorization: Bearer` token, or the session has expired or was ended (`unauthorized`).", body = ErrorResponse),
        (status = 403, description = "Remote sessions are ended by the provider's agents (`forbidden`).", body = ErrorResponse),
        (status = 404, description = "No such remote session (`not_found`).", body = ErrorResponse),
        (status = 409, description = "The session is not accepted (still requested, declined, ended or cancelled); or the `Idempotency-Key` was already used for a different request (`conflict`).", body = ErrorResponse),
        (status = 413, description = "The request body is larger than 1 MiB (`payload_too_large`).", body = ErrorResponse),
        (status = 422, description = "The summary is empty or longer than its limit (`validation`).", body = ErrorResponse),
        (status = 500, description = "The server failed; the details are in its log only (`internal`).", body = ErrorResponse),
    ),
)]
pub async fn end_remote_session(
    State(state): State<AppState>,
    auth: Authenticated,
    Path(raw_id): Path<String>,
    headers: HeaderMap,
    uri: Uri,
    ApiJson(end): ApiJson<RemoteSessionEnd>,
) -> ApiResult<Response> {
    agents_only(&auth, "ending a remote session")?;
    let id = path_id(&raw_id, "remote session")?;
    end.validate().map_err(ApiError::validation)?;
    let idempotency = idempotency(&headers, &Method::POST, &uri, &end)?;
    let step = SessionStep::End {
        summary: end.summary,
    };
    let written = state
        .db
        .move_remote_session(id, &auth.user, step, idempotency.as_ref(), Utc::now())
        .await?;
    Ok(respond(written, StatusCode::OK))
}

// ---- order delays -----------------------------------------------------------------

#[utoipa::path(
    get,
    path = "/api/v1/order-delays",
    tag = "notices",
    operation_id = "list_order_delays",
    summary = "Order-delay information requests, newest first",
    description = "The caller's organisation's; agents see every organisation's.",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The requests.", body = OrderDelayList),
        (status = 401, description = "No `Authorization: Bearer` token, or the session has expired or was ended (`unauthorized`).", body = ErrorResponse),
        (status = 500, description = "The server failed; the details are in its log only (`internal`).", body = ErrorResponse),
    ),
)]
pub async fn list_order_delays(
    State(state): State<AppState>,
    auth: Authenticated,
) -> ApiResult<Json<OrderDelayList>> {
    let order_delays = state.db.order_delays(&auth.user).await?;
    Ok(Json(OrderDelayList { order_delays }))
}

#[utoipa::path(
    post,
    path = "/api/v1/order-delays",
    tag = "notices",
    operation_id = "create_order_delay",
    summary = "Ask an organisation for information about a delayed order (agents)",
    request_body = NewOrderDelay,
    security(("bearer" = [])),
    params(IdempotencyKeyHeader),
    responses(
        (status = 201, description = "Asked: it waits for the customer's answer; or, for a repeated `Idempotency-Key`, the first response replayed.", body = deskmate_api::OrderDelayRequest),
        (status = 400, description = "The body is not JSON (or not sent as `application/json`), is malformed, or has missing, unknown or mistyped fields, or the `Idempotency-Key` is not 1 to 200 visible ASCII characters (`bad_request`).", body = ErrorResponse),
        (status = 401, description = "No `Authorization: Bearer` token, or the session has expired or was ended (`unauthorized`).", body = ErrorResponse),
        (status = 403, description = "Order-delay requests are made by the provider's agents (`forbidden`).", body = ErrorResponse),
        (status = 409, description = "The `Idempotency-Key` was already used for a different request (`conflict`).", body = ErrorResponse),
        (status = 413, description = "The request body is larger than 1 MiB (`payload_too_large`).", body = ErrorResponse),
        (status = 422, description = "Empty or too long order number or question, or an unknown organisation (`validation`).", body = ErrorResponse),
        (status = 500, description = "The server failed; the details are in its log only (`internal`).", body = ErrorResponse),
    ),
)]
pub async fn create_order_delay(
    State(state): State<AppState>,
    auth: Authenticated,
    headers: HeaderMap,
    uri: Uri,
    ApiJson(new): ApiJson<NewOrderDelay>,
) -> ApiResult<Response> {
    agents_only(&auth, "asking about a delayed order")?;
    new.validate().map_err(ApiError::validation)?;
    let idempotency = idempotency(&headers, &Method::POST, &uri, &new)?;
    let written = state
        .db
        .create_order_delay(&auth.user, &new, idempotency.as_ref(), Utc::now())
        .await?;
    Ok(respond(written, StatusCode::CREATED))
}

#[utoipa::path(
    post,
    path = "/api/v1/order-delays/{id}/answer",
    tag = "notices",
    operation_id = "answer_order_delay",
    summary = "Answer an order-delay information request, once (customers)",
    request_body = OrderDelayAnswer,
    security(("bearer" = [])),
    params(
        ("id" = i64, Path, minimum = 1, description = "The request's id. Anything that is not a positive integer is a 404."),
        IdempotencyKeyHeader,
    ),
    responses(
        (status = 200, description = "Answered; or, for a repeated `Idempotency-Key`, the first response replayed.", body = deskmate_api::OrderDelayRequest),
        (status = 400, description = "The body is not JSON (or not sent as `application/json`), is malformed, or has missing, unknown or mistyped fields, or the `Idempotency-Key` is not 1 to 200 visible ASCII characters (`bad_request`).", body = ErrorResponse),
        (status = 401, description = "No `Authorization: Bearer` token, or the session has expired or was ended (`unauthorized`).", body = ErrorResponse),
        (status = 403, description = "The customer answers, not the provider's agents (`forbidden`).", body = ErrorResponse),
        (status = 404, description = "No such request, or it is another organisation's: both are answered alike (`not_found`).", body = ErrorResponse),
        (status = 409, description = "It was answered already; or the `Idempotency-Key` was already used for a different request (`conflict`).", body = ErrorResponse),
        (status = 413, description = "The request body is larger than 1 MiB (`payload_too_large`).", body = ErrorResponse),
        (status = 422, description = "The answer is empty or longer than its limit (`validation`).", body = ErrorResponse),
        (status = 500, description = "The server failed; the details are in its log only (`internal`).", body = ErrorResponse),
    ),
)]
pub async fn answer_order_delay(
    State(state): State<AppState>,
    auth: Authenticated,
    Path(raw_id): Path<String>,
    headers: HeaderMap,
    uri: Uri,
    ApiJson(answer): ApiJson<OrderDelayAnswer>,
) -> ApiResult<Response> {
    customers_only(&auth, "answering an order-delay request")?;
    let id = path_id(&raw_id, "order-delay request")?;
    answer.validate().map_err(ApiError::validation)?;
    let idempotency = idempotency(&headers, &Method::POST, &uri, &answer)?;
    let written = state
        .db
        .answer_order_delay(
            id,
            &auth.user,
            &answer.answer,
            idempotency.as_ref(),
            Utc::now(),
        )
        .await?;
    Ok(respond(written, StatusCode::OK))
}
