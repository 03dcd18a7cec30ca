//! Delta sync: everything the caller may see that changed after a cursor.

use axum::Json;
use axum::extract::{RawQuery, State};
use deskmate_api::{ErrorResponse, SyncPage};

use crate::AppState;
use crate::error::{ApiError, ApiResult};
use crate::extract::Caller;
use crate::openapi::responses::SignedIn;

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
        ("cursor" = Option<i64>, Query, nullable = false, minimum = 0, description = "The cursor of the previous page; 0 or absent for everything."),
        ("limit" = Option<i64>, Query, nullable = false, minimum = 1, maximum = 1000, description = "Rows per page, 1 to 1000 (default 500)."),
    ),
    responses(
        (status = 200, description = "One page of changes.", body = SyncPage),
        (status = 400, description = "`cursor` or `limit` is not a number in range, or an unknown parameter (`bad_request`).", body = ErrorResponse),
        SignedIn,
    ),
)]
pub async fn sync(
    State(state): State<AppState>,
    caller: Caller,
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
    let page = state.db.changes_since(&caller.user, cursor, limit).await?;
    Ok(Json(page))
}
