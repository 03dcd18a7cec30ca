//! Announcements and planned maintenance: agents post, change and withdraw
//! them; everyone reads those meant for them.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use chrono::Utc;
use deskmate_api::{AnnouncementList, AnnouncementUpdate, ErrorResponse, NewAnnouncement};

use super::respond;
use crate::AppState;
use crate::db::Written;
use crate::error::{ApiError, ApiResult};
use crate::extract::{
    Action, Agent, Caller, IdempotencyKey, IdempotencyKeyHeader, IdempotentJson, path_id,
};
use crate::openapi::responses::{BadKey, BodyTooLarge, KeyReused, SignedIn};

/// Posting announcements (the provider's agents).
pub struct PostingAnnouncements;
impl Action for PostingAnnouncements {
    const WHAT: &'static str = "posting announcements";
}

/// Changing announcements (the provider's agents).
pub struct ChangingAnnouncements;
impl Action for ChangingAnnouncements {
    const WHAT: &'static str = "changing announcements";
}

/// Withdrawing announcements (the provider's agents).
pub struct WithdrawingAnnouncements;
impl Action for WithdrawingAnnouncements {
    const WHAT: &'static str = "withdrawing announcements";
}

#[utoipa::path(
    get,
    path = "/api/v1/announcements",
    tag = "notices",
    operation_id = "list_announcements",
    summary = "The announcements and planned maintenance the caller may see",
    description = "Those for every customer and those for the caller's organisation (agents: all); one that names services (`services`) only when the caller's organisation has one of them, listing only those, with the organisation's names. Current and upcoming first, by start; then past ones, latest end first.",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The announcements.", body = AnnouncementList),
        SignedIn,
    ),
)]
pub async fn list_announcements(
    State(state): State<AppState>,
    caller: Caller,
) -> ApiResult<Json<AnnouncementList>> {
    let announcements = state.db.announcements(&caller.user, Utc::now()).await?;
    Ok(Json(AnnouncementList { announcements }))
}

#[utoipa::path(
    post,
    path = "/api/v1/announcements",
    tag = "notices",
    operation_id = "create_announcement",
    summary = "Post an announcement or a planned maintenance (agents)",
    description = "For every customer, or for one organisation's people when `organisation_id` is given; when `services` names service references, only for the organisations that have one of them (now or once given it). Neither can change later. Planned maintenance needs its window (`starts_at`, `ends_at`).",
    request_body = NewAnnouncement,
    security(("bearer" = [])),
    params(IdempotencyKeyHeader),
    responses(
        (status = 201, description = "Posted; or, for a repeated `Idempotency-Key`, the first response replayed.", body = deskmate_api::Announcement),
        (status = 400, description = "The body is not JSON (or not sent as `application/json`), is malformed, or has missing, unknown or mistyped fields (an unknown `kind` included), or the `Idempotency-Key` is not 1 to 200 visible ASCII characters (`bad_request`).", body = ErrorResponse),
        (status = 403, description = "Announcements are posted by the provider's agents (`forbidden`).", body = ErrorResponse),
        KeyReused,
        BodyTooLarge,
        (status = 422, description = "Empty or too long title or body, more than 20 affected services or one empty or longer than 200 characters, more than 20 service references or one that is not 1 to 100 characters of letters, digits, `.`, `_` and `-` starting with a letter or digit, a maintenance without its window, an end not after the start, or an unknown organisation (`validation`).", body = ErrorResponse),
        SignedIn,
    ),
)]
pub async fn create_announcement(
    State(state): State<AppState>,
    agent: Agent<PostingAnnouncements>,
    IdempotentJson { key, body: new }: IdempotentJson<NewAnnouncement>,
) -> ApiResult<Response> {
    new.validate().map_err(ApiError::validation)?;
    let new = new.normalized();
    let idempotency = key.bind(&new)?;
    let written = state
        .db
        .create_announcement(&agent.user, &new, idempotency.as_ref(), Utc::now())
        .await?;
    if let Written::Created(a) = &written {
        tracing::info!(
            announcement_id = a.id,
            user_id = agent.user.id,
            "announcement posted"
        );
        super::notification_addresses::mail_announcement(&state, a, &new.services).await;
    }
    Ok(respond(written, StatusCode::CREATED))
}

#[utoipa::path(
    patch,
    path = "/api/v1/announcements/{id}",
    tag = "notices",
    operation_id = "update_announcement",
    summary = "Change an announcement, e.g. its window (agents)",
    description = "Only the fields sent change; `null` clears `starts_at` or `ends_at`. The result must be valid as a whole. Who sees it (its organisation, its services) cannot change: withdraw it and post anew.",
    request_body = AnnouncementUpdate,
    security(("bearer" = [])),
    params(
        ("id" = i64, Path, minimum = 1, description = "The announcement's id. Anything that is not a positive integer is a 404."),
        IdempotencyKeyHeader,
    ),
    responses(
        (status = 200, description = "The announcement as changed; or, for a repeated `Idempotency-Key`, the first response replayed.", body = deskmate_api::Announcement),
        (status = 400, description = "The body is not JSON (or not sent as `application/json`), is malformed, or has unknown or mistyped fields, or the `Idempotency-Key` is not 1 to 200 visible ASCII characters (`bad_request`).", body = ErrorResponse),
        (status = 403, description = "Announcements are changed by the provider's agents (`forbidden`).", body = ErrorResponse),
        (status = 404, description = "No such announcement (`not_found`).", body = ErrorResponse),
        KeyReused,
        BodyTooLarge,
        (status = 422, description = "The changed announcement would be invalid, as when posting (`validation`).", body = ErrorResponse),
        SignedIn,
    ),
)]
pub async fn update_announcement(
    State(state): State<AppState>,
    agent: Agent<ChangingAnnouncements>,
    Path(raw_id): Path<String>,
    IdempotentJson { key, body: update }: IdempotentJson<AnnouncementUpdate>,
) -> ApiResult<Response> {
    let id = path_id(&raw_id, "announcement")?;
    let idempotency = key.bind(&update)?;
    let written = state
        .db
        .update_announcement(
            id,
            &agent.user,
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
        BadKey,
        (status = 403, description = "Announcements are withdrawn by the provider's agents (`forbidden`).", body = ErrorResponse),
        (status = 404, description = "No such announcement, or it was withdrawn already (`not_found`).", body = ErrorResponse),
        KeyReused,
        SignedIn,
    ),
)]
pub async fn withdraw_announcement(
    State(state): State<AppState>,
    agent: Agent<WithdrawingAnnouncements>,
    Path(raw_id): Path<String>,
    key: IdempotencyKey,
) -> ApiResult<Response> {
    let id = path_id(&raw_id, "announcement")?;
    let idempotency = key.bind_bodiless()?;
    state
        .db
        .withdraw_announcement(id, &agent.user, idempotency.as_ref(), Utc::now())
        .await?;
    tracing::info!(
        announcement_id = id,
        user_id = agent.user.id,
        "announcement withdrawn"
    );
    Ok(StatusCode::NO_CONTENT.into_response())
}
