//! The server itself: health, and the answers for unknown routes and methods.

use axum::Json;
use axum::http::{Method, StatusCode, Uri};
use axum::response::{IntoResponse, Response};
use deskmate_api::{ErrorCode, ErrorResponse, Health};

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
