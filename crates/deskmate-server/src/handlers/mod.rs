//! The API's handlers, one module per resource; [`crate::router`] maps the
//! routes to them and [`crate::openapi`] describes them. What several of
//! them need is here: the visible ticket, the answer to a write.

pub mod account_requests;
pub mod announcements;
pub mod attachments;
pub mod availability;
pub mod billing;
pub mod events;
pub mod expedite;
pub mod messages;
pub mod meta;
pub mod notification_addresses;
pub mod order_delays;
pub mod password_reset;
pub mod queue;
pub mod ready_now;
pub mod remote_sessions;
pub mod services;
pub mod session;
pub mod sync;
pub mod tickets;
pub mod users;

use axum::Json;
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};

use crate::AppState;
use crate::db::{StoredTicket, Written};
use crate::error::{ApiError, ApiResult};
use crate::extract::TicketId;
use crate::user::User;

/// The names of `items`, comma-separated, for a message listing what is allowed.
pub(crate) fn list<'a>(items: impl Iterator<Item = &'a str>) -> String {
    items.collect::<Vec<_>>().join(", ")
}

/// The ticket if `viewer` may see it; another organisation's ticket is
/// answered exactly like one that does not exist.
pub(crate) async fn visible_ticket(
    state: &AppState,
    viewer: &User,
    TicketId(id): TicketId,
) -> ApiResult<StoredTicket> {
    state
        .db
        .ticket(viewer.ticket_scope(), id)
        .await?
        .ok_or_else(|| ApiError::not_found(format!("no ticket #{id}")))
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
