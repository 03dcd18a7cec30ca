//! The server itself: health, and the answers for unknown routes and methods.

use axum::Json;
use axum::extract::State;
use axum::http::{Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use deskmate_api::{AttachmentLimits, ErrorCode, ErrorResponse, Health};

use crate::AppState;
use crate::error::ApiError;

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
    get,
    path = "/api/v1/attachment-limits",
    tag = "meta",
    operation_id = "attachment_limits",
    summary = "What tickets accept as attachments",
    description = "The largest file, the most bytes and files one ticket holds, the kinds accepted \
        (told from the bytes) and the pictures' largest sides and pixel counts, as this server is \
        configured (`--attachment-max-bytes`, `--ticket-attachments-max-bytes`). Clients check files \
        against them before sending; uploads are checked again. Needs no sign-in.",
    responses(
        (status = 200, description = "The limits in force.", body = AttachmentLimits),
    ),
)]
pub async fn attachment_limits(State(state): State<AppState>) -> Json<AttachmentLimits> {
    Json(state.config.attachments.clone())
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
