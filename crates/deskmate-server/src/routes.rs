//! The HTTP routes of the slice: health, sign-in, tickets.

use axum::Json;
use axum::extract::{Path, RawQuery, State};
use axum::http::{HeaderMap, Method, StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use chrono::Utc;
use deskmate_api::{
    ChangePassword, Department, ErrorCode, ErrorResponse, Health, LoginRequest, LoginResponse, Me,
    Message, NewMessage, NewTicket, Priority, ReopenTicket, Role, SyncPage, Ticket, TicketDetail,
    TicketDetails, TicketList, TicketQueue, TicketStatus, TicketUpdate, limits,
};
use serde::Deserialize;
use sha2::{Digest, Sha256};

use crate::AppState;
use crate::auth::{self, Authenticated};
use crate::db::{Idempotency, StoredTicket, Transition, Written};
use crate::error::{ApiError, ApiResult};
use crate::json::ApiJson;

/// Header carrying a client-chosen key that makes a write safe to repeat.
pub const IDEMPOTENCY_KEY: &str = "idempotency-key";
const IDEMPOTENCY_KEY_MAX: usize = 200;

/// The optional `Idempotency-Key` header of the writes, as the OpenAPI
/// document describes it (the handlers read the header themselves).
#[derive(utoipa::IntoParams)]
#[into_params(parameter_in = Header)]
pub struct IdempotencyKeyHeader {
    /// Makes the write safe to repeat: a retry with the same key and the same
    /// request answers the first response again and changes nothing; the same
    /// key with a different request is a 409. 1 to 200 visible ASCII characters.
    #[param(
        rename = "Idempotency-Key",
        required = false,
        min_length = 1,
        max_length = 200
    )]
    pub idempotency_key: String,
}

#[utoipa::path(
    get,
    path = "/api/health",
    tag = "meta",
    operation_id = "health",
    summary = "Whether the server is up, and its version",
    responses(
        (status = 200, description = "The server answers.", body = Health),
    ),
)]
pub async fn health() -> Json<Health> {
    Json(Health {
        status: "ok".to_owned(),
        version: env!("CARGO_PKG_VERSION").to_owned(),
    })
}

#[utoipa::path(
    post,
    path = "/api/v1/auth/login",
    tag = "auth",
    operation_id = "login",
    summary = "Sign in with e-mail address and password",
    description = "Answers a bearer token for `Authorization: Bearer`, valid for 30 days. A wrong e-mail address and a wrong password are refused alike.",
    request_body = LoginRequest,
    responses(
        (status = 200, description = "Signed in.", body = LoginResponse),
        (status = 400, description = "The body is not JSON (or not sent as `application/json`), is malformed, or has missing, unknown or mistyped fields (`bad_request`).", body = ErrorResponse),
        (status = 401, description = "Wrong e-mail address or password (`unauthorized`).", body = ErrorResponse),
        (status = 413, description = "The request body is larger than 1 MiB (`payload_too_large`).", body = ErrorResponse),
        (status = 422, description = "The e-mail address or the password is empty (`validation`).", body = ErrorResponse),
        (status = 429, description = "Too many failed sign-ins for this address in the last 15 minutes, even with the right password (`rate_limited`).", body = ErrorResponse),
        (status = 500, description = "The server failed; the details are in its log only (`internal`).", body = ErrorResponse),
    ),
)]
pub async fn login(
    State(state): State<AppState>,
    ApiJson(request): ApiJson<LoginRequest>,
) -> ApiResult<Json<LoginResponse>> {
    let email = request.email.trim().to_owned();
    if email.is_empty() || request.password.is_empty() {
        return Err(ApiError::validation(
            "enter your e-mail address and password",
        ));
    }
    let wrong = || ApiError::unauthorized("wrong e-mail or password");
    if email.chars().count() > limits::EMAIL_MAX_CHARS
        || request.password.chars().count() > limits::PASSWORD_MAX_CHARS
    {
        return Err(wrong());
    }
    let window_start = refuse_if_rate_limited(&state, &email).await?;
    let user = state.db.user_by_email(&email).await?;
    let stored = user
        .as_ref()
        .map(|u| u.password_hash.clone())
        .unwrap_or_else(|| auth::decoy_hash().to_owned());
    let password = request.password;
    let matches =
        tokio::task::spawn_blocking(move || auth::verify_password(&stored, &password)).await?;
    let Some(user) = user.filter(|_| matches) else {
        tracing::info!("sign-in refused");
        state.db.record_login_failure(&email, window_start).await?;
        return Err(wrong());
    };
    state.db.clear_login_failures(&email).await?;
    let token = auth::new_token();
    let expires_at = Utc::now() + chrono::Duration::days(auth::SESSION_DAYS);
    state
        .db
        .create_session(&auth::token_hash(&token), user.id, expires_at)
        .await?;
    tracing::info!(user_id = user.id, "signed in");
    Ok(Json(LoginResponse {
        token,
        expires_at,
        user: user.me(),
    }))
}

/// Refuses with 429 when the address had too many failed sign-ins lately;
/// otherwise answers the start of the window the failures are counted in.
async fn refuse_if_rate_limited(state: &AppState, email: &str) -> ApiResult<chrono::DateTime<Utc>> {
    let window_start = Utc::now() - chrono::Duration::minutes(auth::LOGIN_FAILURE_WINDOW_MINUTES);
    if state.db.login_failures_since(email, window_start).await? >= auth::LOGIN_FAILURES_ALLOWED {
        tracing::warn!("sign-in refused: too many failures for one address");
        return Err(ApiError::new(
            ErrorCode::RateLimited,
            format!(
                "too many failed sign-ins for this address: try again in {} minutes",
                auth::LOGIN_FAILURE_WINDOW_MINUTES
            ),
        ));
    }
    Ok(window_start)
}

#[utoipa::path(
    post,
    path = "/api/v1/auth/refresh",
    tag = "auth",
    operation_id = "refresh",
    summary = "Swap the token sent for a new one valid for 30 more days",
    description = "Answers a new bearer token, as signing in does; the token sent stops working.",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The new token; the old one no longer works.", body = LoginResponse),
        (status = 401, description = "No `Authorization: Bearer` token, or the session has expired or was ended, also by a refresh already made with it (`unauthorized`).", body = ErrorResponse),
        (status = 500, description = "The server failed; the details are in its log only (`internal`).", body = ErrorResponse),
    ),
)]
pub async fn refresh(
    State(state): State<AppState>,
    auth: Authenticated,
) -> ApiResult<Json<LoginResponse>> {
    let token = auth::new_token();
    let expires_at = Utc::now() + chrono::Duration::days(auth::SESSION_DAYS);
    let replaced = state
        .db
        .replace_session(
            &auth.token_hash,
            &auth::token_hash(&token),
            auth.user.id,
            expires_at,
        )
        .await?;
    if !replaced {
        return Err(ApiError::unauthorized(
            "the session has expired or was ended: sign in again",
        ));
    }
    tracing::info!(user_id = auth.user.id, "session refreshed");
    Ok(Json(LoginResponse {
        token,
        expires_at,
        user: auth.user.me(),
    }))
}

#[utoipa::path(
    post,
    path = "/api/v1/auth/password",
    tag = "auth",
    operation_id = "change_password",
    summary = "Change the signed-in user's password",
    description = "Ends every other session of the user; the token sent keeps working. A wrong current password counts as a failed sign-in of the user's address.",
    request_body = ChangePassword,
    security(("bearer" = [])),
    responses(
        (status = 204, description = "Changed: only the token sent still works."),
        (status = 400, description = "The body is not JSON (or not sent as `application/json`), is malformed, or has missing, unknown or mistyped fields (`bad_request`).", body = ErrorResponse),
        (status = 401, description = "No `Authorization: Bearer` token, the session has expired or was ended, or the current password is wrong (`unauthorized`).", body = ErrorResponse),
        (status = 413, description = "The request body is larger than 1 MiB (`payload_too_large`).", body = ErrorResponse),
        (status = 422, description = "The new password is shorter than 10 or longer than 1024 characters, or is the current one (`validation`).", body = ErrorResponse),
        (status = 429, description = "Too many failed sign-ins for the user's address in the last 15 minutes (`rate_limited`).", body = ErrorResponse),
        (status = 500, description = "The server failed; the details are in its log only (`internal`).", body = ErrorResponse),
    ),
)]
pub async fn change_password(
    State(state): State<AppState>,
    auth: Authenticated,
    ApiJson(request): ApiJson<ChangePassword>,
) -> ApiResult<StatusCode> {
    request.validate().map_err(ApiError::validation)?;
    let user = auth.user;
    let window_start = refuse_if_rate_limited(&state, &user.email).await?;
    let stored = user.password_hash.clone();
    let ChangePassword {
        current_password,
        new_password,
    } = request;
    let matches = current_password.chars().count() <= limits::PASSWORD_MAX_CHARS
        && tokio::task::spawn_blocking(move || auth::verify_password(&stored, &current_password))
            .await?;
    if !matches {
        tracing::info!(user_id = user.id, "password change refused");
        state
            .db
            .record_login_failure(&user.email, window_start)
            .await?;
        return Err(ApiError::unauthorized("the current password is wrong"));
    }
    let hash = tokio::task::spawn_blocking(move || auth::hash_password(&new_password)).await??;
    let ended = state
        .db
        .change_password(user.id, &hash, &auth.token_hash)
        .await?;
    state.db.clear_login_failures(&user.email).await?;
    tracing::info!(
        user_id = user.id,
        sessions_ended = ended,
        "password changed"
    );
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(
    post,
    path = "/api/v1/auth/logout",
    tag = "auth",
    operation_id = "logout",
    summary = "End the session of the token sent",
    security(("bearer" = [])),
    responses(
        (status = 204, description = "Signed out: the token no longer works."),
        (status = 401, description = "No `Authorization: Bearer` token, or the session has expired or was ended (`unauthorized`).", body = ErrorResponse),
        (status = 500, description = "The server failed; the details are in its log only (`internal`).", body = ErrorResponse),
    ),
)]
pub async fn logout(State(state): State<AppState>, auth: Authenticated) -> ApiResult<StatusCode> {
    state.db.delete_session(&auth.token_hash).await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(
    get,
    path = "/api/v1/me",
    tag = "auth",
    operation_id = "me",
    summary = "The signed-in user",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The user the token belongs to.", body = Me),
        (status = 401, description = "No `Authorization: Bearer` token, or the session has expired or was ended (`unauthorized`).", body = ErrorResponse),
        (status = 500, description = "The server failed; the details are in its log only (`internal`).", body = ErrorResponse),
    ),
)]
pub async fn me(auth: Authenticated) -> Json<Me> {
    Json(auth.user.me())
}

#[utoipa::path(
    get,
    path = "/api/v1/tickets",
    tag = "tickets",
    operation_id = "list_tickets",
    summary = "The tickets the caller may see, newest activity first",
    description = "Agents see every ticket, a customer administrator and a customer user with the `all_tickets` right the organisation's, any other customer user the ones they filed. \
        Filters narrow the list; pages hold at most `limit` tickets: ask again with `cursor` set to `next_cursor` until it is null.",
    security(("bearer" = [])),
    params(
        ("status" = Option<Vec<TicketStatus>>, Query, explode = true, description = "Only tickets in one of these statuses: repeat the parameter or separate with commas."),
        ("department" = Option<Vec<Department>>, Query, explode = true, description = "Only tickets of one of these departments: repeat the parameter or separate with commas."),
        ("q" = Option<String>, Query, max_length = 200, description = "Only tickets whose subject, description or a message the caller may see (internal notes: agents only) contains this text. Letters A to Z match either case."),
        ("limit" = Option<i64>, Query, minimum = 1, maximum = 500, description = "Tickets per page, 1 to 500 (default 100)."),
        ("cursor" = Option<String>, Query, description = "The `next_cursor` of the previous page."),
    ),
    responses(
        (status = 200, description = "One page of tickets.", body = TicketList),
        (status = 400, description = "`limit` or `cursor` is not valid, or an unknown parameter (`bad_request`).", body = ErrorResponse),
        (status = 401, description = "No `Authorization: Bearer` token, or the session has expired or was ended (`unauthorized`).", body = ErrorResponse),
        (status = 422, description = "Unknown status or department, or a search text longer than 200 characters (`validation`).", body = ErrorResponse),
        (status = 500, description = "The server failed; the details are in its log only (`internal`).", body = ErrorResponse),
    ),
)]
pub async fn list_tickets(
    State(state): State<AppState>,
    auth: Authenticated,
    RawQuery(query): RawQuery,
) -> ApiResult<Json<TicketList>> {
    let filter = crate::query::TicketFilter::from_query(query.as_deref())?;
    let (tickets, next_cursor) = state.db.ticket_page(&auth.user, &filter).await?;
    Ok(Json(TicketList {
        tickets,
        next_cursor,
    }))
}

/// Rows per sync page when the client does not say.
pub const SYNC_PAGE_DEFAULT: i64 = 500;
/// The most rows one sync page holds.
pub const SYNC_PAGE_MAX: i64 = 1000;

#[utoipa::path(
    get,
    path = "/api/v1/sync",
    tag = "tickets",
    operation_id = "sync",
    summary = "Everything the caller may see that changed after a cursor",
    description = "Tickets, messages and attachments (metadata) created or changed after `cursor` (0 for everything), \
        oldest change first, at most `limit` rows (default 500, at most 1000). Ask again \
        with the returned cursor while `more` is true. Internal notes and their files only for agents.",
    security(("bearer" = [])),
    params(
        ("cursor" = Option<i64>, Query, description = "The cursor of the previous page; 0 or absent for everything."),
        ("limit" = Option<i64>, Query, description = "Rows per page, 1 to 1000 (default 500)."),
    ),
    responses(
        (status = 200, description = "One page of changes.", body = SyncPage),
        (status = 400, description = "`cursor` or `limit` is not a number in range, or an unknown parameter (`bad_request`).", body = ErrorResponse),
        (status = 401, description = "No `Authorization: Bearer` token, or the session has expired or was ended (`unauthorized`).", body = ErrorResponse),
        (status = 500, description = "The server failed; the details are in its log only (`internal`).", body = ErrorResponse),
    ),
)]
pub async fn sync(
    State(state): State<AppState>,
    auth: Authenticated,
    RawQuery(query): RawQuery,
) -> ApiResult<Json<SyncPage>> {
    let mut cursor = 0;
    let mut limit = SYNC_PAGE_DEFAULT;
    for pair in query
        .as_deref()
        .unwrap_or_default()
        .split('&')
        .filter(|p| !p.is_empty())
    {
        let (key, value) = pair.split_once('=').unwrap_or((pair, ""));
        let number = |min: i64, max: i64| {
            value
                .parse::<i64>()
                .ok()
                .filter(|n| (min..=max).contains(n))
                .ok_or_else(|| {
                    ApiError::bad_request(format!("{key} must be a number from {min} to {max}"))
                })
        };
        match key {
            "cursor" => cursor = number(0, i64::MAX)?,
            "limit" => limit = number(1, SYNC_PAGE_MAX)?,
            other => {
                return Err(ApiError::bad_request(format!(
                    "unknown parameter {other:?}: use cursor and limit"
                )));
            }
        }
    }
    let page = state.db.changes_since(&auth.user, cursor, limit).await?;
    Ok(Json(page))
}

/// `POST /api/v1/tickets` as sent: enums as text, so an unknown department is
/// a 422 that names the allowed values rather than a parse error.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewTicketInput {
    department: String,
    priority: String,
    subject: String,
    body: String,
    #[serde(default)]
    details: TicketDetailsInput,
    #[serde(default)]
    availability: Option<deskmate_api::Availability>,
}

/// The guided form's answers as sent: the incident time as text, so a bad
/// one is a 422 that says what is expected.
#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct TicketDetailsInput {
    affected_service: Option<String>,
    reference: Option<String>,
    incident_started_at: Option<String>,
    incident_time_zone: Option<String>,
    error_message: Option<String>,
    steps: Option<String>,
    tried: Option<String>,
}

impl TicketDetailsInput {
    fn parse(self) -> ApiResult<TicketDetails> {
        let incident_started_at = self
            .incident_started_at
            .filter(|s| !s.trim().is_empty())
            .map(|s| {
                chrono::DateTime::parse_from_rfc3339(s.trim())
                    .map(|t| t.with_timezone(&Utc))
                    .map_err(|_| {
                        ApiError::validation(format!(
                            "incident_started_at {s:?} is not a date and time like \
                             2026-11-25T09:30:00+01:00"
                        ))
                    })
            })
            .transpose()?;
        Ok(TicketDetails {
            affected_service: self.affected_service,
            reference: self.reference,
            incident_started_at,
            incident_time_zone: self.incident_time_zone,
            error_message: self.error_message,
            steps: self.steps,
            tried: self.tried,
        }
        .normalized())
    }
}

impl NewTicketInput {
    fn parse(self) -> ApiResult<NewTicket> {
        let department = Department::parse(&self.department).ok_or_else(|| {
            ApiError::validation(format!(
                "unknown department {:?}: use one of {}",
                self.department,
                list(Department::ALL.iter().map(|d| d.as_str()))
            ))
        })?;
        let priority = Priority::parse(&self.priority).ok_or_else(|| {
            ApiError::validation(format!(
                "unknown priority {:?}: use one of {}",
                self.priority,
                list(Priority::ALL.iter().map(|p| p.as_str()))
            ))
        })?;
        let ticket = NewTicket {
            department,
            priority,
            subject: self.subject,
            body: self.body,
            details: self.details.parse()?,
            availability: self.availability.map(|a| a.normalized()),
        };
        ticket.validate().map_err(ApiError::validation)?;
        Ok(ticket)
    }
}

pub(crate) fn list<'a>(items: impl Iterator<Item = &'a str>) -> String {
    items.collect::<Vec<_>>().join(", ")
}

#[utoipa::path(
    post,
    path = "/api/v1/tickets",
    tag = "tickets",
    operation_id = "create_ticket",
    summary = "File a ticket (customers)",
    request_body(
        content = NewTicket,
        description = "The department and priority are their wire spellings; an unknown one is a 422 that names the allowed values.",
    ),
    security(("bearer" = [])),
    params(
        IdempotencyKeyHeader,
    ),
    responses(
        (status = 201, description = "Filed; or, for a repeated `Idempotency-Key`, the first response replayed.", body = Ticket),
        (status = 400, description = "The body is not JSON (or not sent as `application/json`), is malformed, or has missing, unknown or mistyped fields, or the `Idempotency-Key` is not 1 to 200 visible ASCII characters (`bad_request`).", body = ErrorResponse),
        (status = 401, description = "No `Authorization: Bearer` token, or the session has expired or was ended (`unauthorized`).", body = ErrorResponse),
        (status = 403, description = "Agents answer tickets; only customers file them (`forbidden`).", body = ErrorResponse),
        (status = 409, description = "The `Idempotency-Key` was already used for a different request (`conflict`).", body = ErrorResponse),
        (status = 413, description = "The request body is larger than 1 MiB (`payload_too_large`).", body = ErrorResponse),
        (status = 422, description = "Unknown department or priority, empty subject or description, or one longer than its limit, or an `availability` that `PUT /api/v1/tickets/{id}/availability` would refuse (`validation`).", body = ErrorResponse),
        (status = 500, description = "The server failed; the details are in its log only (`internal`).", body = ErrorResponse),
    ),
)]
pub async fn create_ticket(
    State(state): State<AppState>,
    auth: Authenticated,
    headers: HeaderMap,
    uri: Uri,
    ApiJson(input): ApiJson<NewTicketInput>,
) -> ApiResult<Response> {
    if auth.user.role == Role::Agent {
        return Err(ApiError::forbidden(
            "agents answer tickets; customers file them",
        ));
    }
    let ticket = input.parse()?;
    let idempotency = idempotency(&headers, &Method::POST, &uri, &ticket)?;
    let written = state
        .db
        .create_ticket(
            &auth.user,
            &ticket,
            idempotency.as_ref(),
            Utc::now(),
            state.config.first_response_within(ticket.priority),
        )
        .await?;
    if let Written::Created(t) = &written {
        tracing::info!(ticket_id = t.id, user_id = auth.user.id, "ticket filed");
    }
    Ok(respond(written, StatusCode::CREATED))
}

/// A record's id from the path (`what`: "ticket", "user"...); anything
/// that is not a positive integer is simply not one: 404.
pub(crate) fn path_id(raw: &str, what: &str) -> ApiResult<i64> {
    raw.parse::<i64>()
        .ok()
        .filter(|id| *id > 0)
        .ok_or_else(|| ApiError::not_found(format!("no {what} {raw:?}")))
}

/// A ticket id from the path; anything else is simply not a ticket.
pub(crate) fn ticket_id(raw: &str) -> ApiResult<i64> {
    path_id(raw, "ticket")
}

/// Refuses with 403 unless the caller is one of the provider's agents
/// (`what`: the action, as the message's subject).
pub(crate) fn agents_only(auth: &Authenticated, what: &str) -> ApiResult<()> {
    if auth.user.role == Role::Agent {
        Ok(())
    } else {
        Err(ApiError::forbidden(format!(
            "{what} is for the provider's agents"
        )))
    }
}

/// Refuses with 403 unless the caller is a customer.
pub(crate) fn customers_only(auth: &Authenticated, what: &str) -> ApiResult<()> {
    if auth.user.role == Role::Agent {
        Err(ApiError::forbidden(format!("{what} is for the customer")))
    } else {
        Ok(())
    }
}

/// The ticket if the caller may see it; another organisation's ticket is
/// answered exactly like one that does not exist.
pub(crate) async fn visible_ticket(
    state: &AppState,
    auth: &Authenticated,
    raw_id: &str,
) -> ApiResult<StoredTicket> {
    let id = ticket_id(raw_id)?;
    state
        .db
        .ticket(auth.user.ticket_scope(), id)
        .await?
        .ok_or_else(|| ApiError::not_found(format!("no ticket #{id}")))
}

#[utoipa::path(
    get,
    path = "/api/v1/tickets/{id}",
    tag = "tickets",
    operation_id = "ticket_detail",
    summary = "A ticket and its conversation, oldest message first",
    description = "Internal notes, and the files attached to them, are included for agents only. While no agent has answered a ticket that is not closed, `queue_position` and `first_response_due_at` say where it stands.",
    security(("bearer" = [])),
    params(
        ("id" = i64, Path, minimum = 1, description = "The ticket's id. Anything that is not a positive integer is a 404."),
    ),
    responses(
        (status = 200, description = "The ticket.", body = TicketDetail),
        (status = 401, description = "No `Authorization: Bearer` token, or the session has expired or was ended (`unauthorized`).", body = ErrorResponse),
        (status = 404, description = "No such ticket, or it belongs to another organisation: both are answered alike (`not_found`).", body = ErrorResponse),
        (status = 500, description = "The server failed; the details are in its log only (`internal`).", body = ErrorResponse),
    ),
)]
pub async fn ticket_detail(
    State(state): State<AppState>,
    auth: Authenticated,
    Path(raw_id): Path<String>,
) -> ApiResult<Json<TicketDetail>> {
    let stored = visible_ticket(&state, &auth, &raw_id).await?;
    let is_agent = auth.user.role == Role::Agent;
    let messages = state.db.messages(stored.ticket.id, is_agent).await?;
    let attachments = state.db.attachments(stored.ticket.id, is_agent).await?;
    let reopen_until = match stored.ticket.status {
        TicketStatus::Closed => stored.closed_at.map(|at| at + state.config.reopen_window),
        _ => None,
    };
    let queue_position = state.db.queue_position(&stored).await?;
    let first_response_due_at = stored
        .first_response_due_at
        .filter(|_| stored.awaits_first_response());
    Ok(Json(TicketDetail {
        ticket: stored.ticket,
        messages,
        reopen_until,
        queue_position,
        first_response_due_at,
        attachments,
    }))
}

#[utoipa::path(
    get,
    path = "/api/v1/queue",
    tag = "tickets",
    operation_id = "queue",
    summary = "The tickets waiting for an agent's first answer, next first (agents)",
    description = "Every ticket that is not closed and that no agent has replied to yet (internal notes do not count), in this order: expedited first (the customer paid for an expedited response), then high priority, then oldest first. Customers see their ticket's place in the same order as `queue_position` in `GET /api/v1/tickets/{id}`. Claimed tickets stay in the queue, showing who holds them (`claimed_by_name`, `claimed_at`; see `POST /api/v1/queue/{id}/claim`).",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The queue.", body = TicketQueue),
        (status = 401, description = "No `Authorization: Bearer` token, or the session has expired or was ended (`unauthorized`).", body = ErrorResponse),
        (status = 403, description = "The queue is for the provider's agents (`forbidden`).", body = ErrorResponse),
        (status = 500, description = "The server failed; the details are in its log only (`internal`).", body = ErrorResponse),
    ),
)]
pub async fn queue(
    State(state): State<AppState>,
    auth: Authenticated,
) -> ApiResult<Json<TicketQueue>> {
    agents_only(&auth, "the queue")?;
    let tickets = state.db.queue().await?;
    Ok(Json(TicketQueue { tickets }))
}

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
        (status = 400, description = "The body is not JSON (or not sent as `application/json`), is malformed, or has missing, unknown or mistyped fields, or the `Idempotency-Key` is not 1 to 200 visible ASCII characters (`bad_request`).", body = ErrorResponse),
        (status = 401, description = "No `Authorization: Bearer` token, or the session has expired or was ended (`unauthorized`).", body = ErrorResponse),
        (status = 403, description = "A customer asked for an internal note, which is for the provider's agents (`forbidden`).", body = ErrorResponse),
        (status = 404, description = "No such ticket, or it belongs to another organisation: both are answered alike (`not_found`).", body = ErrorResponse),
        (status = 409, description = "A customer replied to a closed ticket, which must be reopened instead; or the `Idempotency-Key` was already used for a different request (`conflict`).", body = ErrorResponse),
        (status = 413, description = "The request body is larger than 1 MiB (`payload_too_large`).", body = ErrorResponse),
        (status = 422, description = "The message is empty or longer than its limit (`validation`).", body = ErrorResponse),
        (status = 500, description = "The server failed; the details are in its log only (`internal`).", body = ErrorResponse),
    ),
)]
pub async fn add_message(
    State(state): State<AppState>,
    auth: Authenticated,
    Path(raw_id): Path<String>,
    headers: HeaderMap,
    uri: Uri,
    ApiJson(message): ApiJson<NewMessage>,
) -> ApiResult<Response> {
    let stored = visible_ticket(&state, &auth, &raw_id).await?;
    message.validate().map_err(ApiError::validation)?;
    let transition = match (auth.user.role, message.internal) {
        (Role::Agent, true) => Transition::InternalNote,
        (Role::Agent, false) => Transition::AgentReply,
        (_, true) => {
            return Err(ApiError::forbidden(
                "internal notes are for the provider's agents",
            ));
        }
        (_, false) => Transition::CustomerReply,
    };
    let idempotency = idempotency(&headers, &Method::POST, &uri, &message)?;
    let written = state
        .db
        .add_message(
            stored.ticket.id,
            &auth.user,
            &message.body,
            transition,
            idempotency.as_ref(),
            Utc::now(),
        )
        .await?;
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
        (status = 400, description = "The body is not JSON (or not sent as `application/json`), is malformed, or has missing, unknown or mistyped fields, or the `Idempotency-Key` is not 1 to 200 visible ASCII characters (`bad_request`).", body = ErrorResponse),
        (status = 401, description = "No `Authorization: Bearer` token, or the session has expired or was ended (`unauthorized`).", body = ErrorResponse),
        (status = 403, description = "Agents change a ticket's status with `PATCH /api/v1/tickets/{id}` instead (`forbidden`).", body = ErrorResponse),
        (status = 404, description = "No such ticket, or it belongs to another organisation: both are answered alike (`not_found`).", body = ErrorResponse),
        (status = 409, description = "The ticket is not closed, or was closed longer ago than the reopen window; or the `Idempotency-Key` was already used for a different request (`conflict`).", body = ErrorResponse),
        (status = 413, description = "The request body is larger than 1 MiB (`payload_too_large`).", body = ErrorResponse),
        (status = 422, description = "The details are empty or longer than their limit (`validation`).", body = ErrorResponse),
        (status = 500, description = "The server failed; the details are in its log only (`internal`).", body = ErrorResponse),
    ),
)]
pub async fn reopen_ticket(
    State(state): State<AppState>,
    auth: Authenticated,
    Path(raw_id): Path<String>,
    headers: HeaderMap,
    uri: Uri,
    ApiJson(reopen): ApiJson<ReopenTicket>,
) -> ApiResult<Response> {
    let stored = visible_ticket(&state, &auth, &raw_id).await?;
    if auth.user.role == Role::Agent {
        return Err(ApiError::forbidden(
            "agents change a ticket's status with PATCH /api/v1/tickets/{id}",
        ));
    }
    reopen.validate().map_err(ApiError::validation)?;
    let idempotency = idempotency(&headers, &Method::POST, &uri, &reopen)?;
    let written = state
        .db
        .add_message(
            stored.ticket.id,
            &auth.user,
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

#[utoipa::path(
    patch,
    path = "/api/v1/tickets/{id}",
    tag = "tickets",
    operation_id = "update_ticket",
    summary = "Set a ticket's status (agents)",
    request_body(
        content = TicketUpdate,
        description = "The status is its wire spelling; an unknown one is a 422 that names the allowed values.",
    ),
    security(("bearer" = [])),
    params(
        ("id" = i64, Path, minimum = 1, description = "The ticket's id. Anything that is not a positive integer is a 404."),
        IdempotencyKeyHeader,
    ),
    responses(
        (status = 200, description = "The ticket as updated; or, for a repeated `Idempotency-Key`, the first response replayed.", body = Ticket),
        (status = 400, description = "The body is not JSON (or not sent as `application/json`), is malformed, or has missing, unknown or mistyped fields, or the `Idempotency-Key` is not 1 to 200 visible ASCII characters (`bad_request`).", body = ErrorResponse),
        (status = 401, description = "No `Authorization: Bearer` token, or the session has expired or was ended (`unauthorized`).", body = ErrorResponse),
        (status = 403, description = "Only the provider's agents change a ticket's status; customers reply or reopen instead (`forbidden`).", body = ErrorResponse),
        (status = 404, description = "No such ticket, or it belongs to another organisation: both are answered alike (`not_found`).", body = ErrorResponse),
        (status = 409, description = "The `Idempotency-Key` was already used for a different request (`conflict`).", body = ErrorResponse),
        (status = 413, description = "The request body is larger than 1 MiB (`payload_too_large`).", body = ErrorResponse),
        (status = 422, description = "Unknown status (`validation`).", body = ErrorResponse),
        (status = 500, description = "The server failed; the details are in its log only (`internal`).", body = ErrorResponse),
    ),
)]
pub async fn update_ticket(
    State(state): State<AppState>,
    auth: Authenticated,
    Path(raw_id): Path<String>,
    headers: HeaderMap,
    uri: Uri,
    ApiJson(update): ApiJson<TicketUpdateInput>,
) -> ApiResult<Response> {
    let stored = visible_ticket(&state, &auth, &raw_id).await?;
    if auth.user.role != Role::Agent {
        return Err(ApiError::forbidden(
            "only the provider's agents change a ticket's status; reply or reopen instead",
        ));
    }
    let update = update.parse()?;
    let idempotency = idempotency(&headers, &Method::PATCH, &uri, &update)?;
    let written = state
        .db
        .update_status(
            stored.ticket.id,
            &auth.user,
            update.status,
            idempotency.as_ref(),
        )
        .await?;
    Ok(respond(written, StatusCode::OK))
}

/// `PATCH /api/v1/tickets/{id}` as sent: the status as text, so an unknown
/// one is a 422 naming the allowed values.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TicketUpdateInput {
    status: String,
}

impl TicketUpdateInput {
    fn parse(self) -> ApiResult<TicketUpdate> {
        let status = TicketStatus::parse(&self.status).ok_or_else(|| {
            ApiError::validation(format!(
                "unknown status {:?}: use one of {}",
                self.status,
                list(TicketStatus::ALL.iter().map(|s| s.as_str()))
            ))
        })?;
        Ok(TicketUpdate { status })
    }
}

/// The response to a write: what was done now, or the first answer replayed.
pub(crate) fn respond<T: serde::Serialize>(written: Written<T>, status: StatusCode) -> Response {
    match written {
        Written::Created(value) => (status, Json(value)).into_response(),
        Written::Replayed { status, body } => (
            StatusCode::from_u16(status).unwrap_or(StatusCode::OK),
            [(header::CONTENT_TYPE, "application/json")],
            body,
        )
            .into_response(),
    }
}

/// The request's `Idempotency-Key`, bound to what it asks for (method, path
/// and body), so the same key reused for something else is a conflict.
pub(crate) fn idempotency(
    headers: &HeaderMap,
    method: &Method,
    uri: &Uri,
    body: &impl serde::Serialize,
) -> ApiResult<Option<Idempotency>> {
    let Some(value) = headers.get(IDEMPOTENCY_KEY) else {
        return Ok(None);
    };
    let key = value
        .to_str()
        .ok()
        .map(str::trim)
        .filter(|k| !k.is_empty() && k.len() <= IDEMPOTENCY_KEY_MAX)
        .ok_or_else(|| {
            ApiError::bad_request(format!(
                "Idempotency-Key must be 1 to {IDEMPOTENCY_KEY_MAX} visible ASCII characters"
            ))
        })?;
    let body = serde_json::to_vec(body).map_err(ApiError::internal)?;
    let mut hash = Sha256::new();
    hash.update(method.as_str().as_bytes());
    hash.update(b" ");
    hash.update(uri.path().as_bytes());
    hash.update(b"\n");
    hash.update(&body);
    Ok(Some(Idempotency {
        key: key.to_owned(),
        request_hash: format!("{:x}", hash.finalize()),
    }))
}

pub async fn not_found(method: Method, uri: Uri) -> ApiError {
    ApiError::not_found(format!("no such route: {method} {}", uri.path()))
}

pub async fn method_not_allowed(method: Method, uri: Uri) -> Response {
    (
        StatusCode::METHOD_NOT_ALLOWED,
        Json(ErrorResponse::new(
            ErrorCode::BadRequest,
            format!("{method} is not allowed on {}", uri.path()),
        )),
    )
        .into_response()
}

#[cfg(test)]
mod tests {
    use utoipa::IntoParams;

    #[test]
    fn the_documented_idempotency_key_limit_is_the_enforced_one() {
        let params = super::IdempotencyKeyHeader::into_params(|| None);
        let json = serde_json::to_value(&params).unwrap();
        assert_eq!(json[0]["name"], "Idempotency-Key");
        assert_eq!(json[0]["in"], "header");
        assert_eq!(json[0]["required"], false);
        assert_eq!(json[0]["schema"]["maxLength"], super::IDEMPOTENCY_KEY_MAX);
    }
}
