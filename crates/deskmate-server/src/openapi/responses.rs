//! The error responses many operations share, each described once. An
//! operation lists the ones it may answer by name in its `responses(...)`
//! next to its own rows (each is a `{code, message}` [`ErrorResponse`]).

use std::collections::BTreeMap;

use utoipa::IntoResponses;
use utoipa::openapi::{ContentBuilder, Ref, RefOr, Response, ResponseBuilder};

const UNAUTHORIZED: &str =
    "No `Authorization: Bearer` token, or the session has expired or was ended (`unauthorized`).";
const INTERNAL: &str = "The server failed; the details are in its log only (`internal`).";
const TOO_LARGE: &str = "The request body is larger than 1 MiB (`payload_too_large`).";
const BAD_JSON: &str = "The body is not JSON (or not sent as `application/json`), is malformed, or has missing, unknown or mistyped fields (`bad_request`).";
const BAD_JSON_OR_KEY: &str = "The body is not JSON (or not sent as `application/json`), is malformed, or has missing, unknown or mistyped fields, or the `Idempotency-Key` is not 1 to 200 visible ASCII characters (`bad_request`).";
const BAD_KEY: &str =
    "The `Idempotency-Key` is not 1 to 200 visible ASCII characters (`bad_request`).";
const KEY_REUSED: &str =
    "The `Idempotency-Key` was already used for a different request (`conflict`).";

/// `(status, description)` rows as responses with an [`ErrorResponse`] body.
///
/// [`ErrorResponse`]: deskmate_api::ErrorResponse
fn errors(rows: &[(&str, &str)]) -> BTreeMap<String, RefOr<Response>> {
    rows.iter()
        .map(|(status, description)| {
            let json = ContentBuilder::new()
                .schema(Some(Ref::from_schema_name("ErrorResponse")))
                .build();
            let response = ResponseBuilder::new()
                .description(*description)
                .content("application/json", json)
                .build();
            ((*status).to_owned(), RefOr::T(response))
        })
        .collect()
}

/// What any operation that needs a token may answer: 401 and 500.
pub struct SignedIn;

impl IntoResponses for SignedIn {
    fn responses() -> BTreeMap<String, RefOr<Response>> {
        errors(&[("401", UNAUTHORIZED), ("500", INTERNAL)])
    }
}

/// 500 alone, for operations that describe their own 401.
pub struct ServerFailed;

impl IntoResponses for ServerFailed {
    fn responses() -> BTreeMap<String, RefOr<Response>> {
        errors(&[("500", INTERNAL)])
    }
}

/// 413 for a JSON body over 1 MiB.
pub struct BodyTooLarge;

impl IntoResponses for BodyTooLarge {
    fn responses() -> BTreeMap<String, RefOr<Response>> {
        errors(&[("413", TOO_LARGE)])
    }
}

/// 400 for a JSON body that is not what the operation takes.
pub struct BadJson;

impl IntoResponses for BadJson {
    fn responses() -> BTreeMap<String, RefOr<Response>> {
        errors(&[("400", BAD_JSON)])
    }
}

/// 400 for a JSON body that is not what the write takes, or a malformed
/// `Idempotency-Key`.
pub struct BadJsonOrKey;

impl IntoResponses for BadJsonOrKey {
    fn responses() -> BTreeMap<String, RefOr<Response>> {
        errors(&[("400", BAD_JSON_OR_KEY)])
    }
}

/// 400 for a malformed `Idempotency-Key` of a write without a body.
pub struct BadKey;

impl IntoResponses for BadKey {
    fn responses() -> BTreeMap<String, RefOr<Response>> {
        errors(&[("400", BAD_KEY)])
    }
}

/// 409 for an `Idempotency-Key` used before for another request, for
/// writes that have no other conflict.
pub struct KeyReused;

impl IntoResponses for KeyReused {
    fn responses() -> BTreeMap<String, RefOr<Response>> {
        errors(&[("409", KEY_REUSED)])
    }
}

/// What a write answers once its account is over the write rate
/// ([`crate::limits::Caps::writes_per_minute`]).
pub const WRITE_RATE: &str = "The account made more than 600 changes in the last minute (`--writes-per-minute`): wait a moment (`rate_limited`).";

/// Adds [`WRITE_RATE`] to every write that needs a token (not the session's
/// own routes, which are never refused for it): the `429` row, or a line of
/// the one an operation already has.
pub struct WriteRate;

impl utoipa::Modify for WriteRate {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        for (path, item) in &mut openapi.paths.paths {
            if path.starts_with("/api/v1/auth/") {
                continue;
            }
            let writes = [
                &mut item.post,
                &mut item.put,
                &mut item.patch,
                &mut item.delete,
            ];
            for operation in writes.into_iter().flatten() {
                if operation.security.is_none() {
                    continue;
                }
                let rows = &mut operation.responses.responses;
                match rows.get_mut("429") {
                    Some(RefOr::T(response)) => {
                        response.description = format!("{} Or: {WRITE_RATE}", response.description);
                    }
                    _ => {
                        rows.extend(errors(&[("429", WRITE_RATE)]));
                    }
                }
            }
        }
    }
}

/// One event of `GET /api/v1/events` as an SSE parser reads it (the
/// document's schema of a `text/event-stream` describes each event).
#[derive(utoipa::ToSchema)]
#[schema(as = StreamEvent)]
#[allow(dead_code)] // only its schema is used: the stream is written by axum's `Event`
pub struct StreamEvent {
    /// `change`: something the caller may see changed; `resync`: pull now,
    /// notifications were missed; `queue` (agents): who holds a ticket changed.
    #[schema(pattern = "^(change|resync|queue)$")]
    event: String,
    /// JSON: `{"seq", "kind", "id", "ticket_id"}` for `change`, `{}` for
    /// `resync`, `{"ticket_id"}` for `queue`.
    #[schema(pattern = "^\\{.*\\}$")]
    data: String,
    /// The change number (`change`, and `resync` when it names where to pull from).
    #[schema(pattern = "^[0-9]+$")]
    id: Option<String>,
}

/// The schema of a query bound that is a date (`2026-11-01`) or a date and
/// time (RFC 3339): one of the two formats.
pub struct DateOrDateTime;

impl utoipa::PartialSchema for DateOrDateTime {
    fn schema() -> RefOr<utoipa::openapi::Schema> {
        use utoipa::openapi::schema::{
            KnownFormat, ObjectBuilder, OneOfBuilder, SchemaFormat, Type,
        };
        let string = |format| {
            ObjectBuilder::new()
                .schema_type(Type::String)
                .format(Some(SchemaFormat::KnownFormat(format)))
        };
        OneOfBuilder::new()
            .item(string(KnownFormat::Date))
            .item(string(KnownFormat::DateTime))
            .into()
    }
}

impl utoipa::ToSchema for DateOrDateTime {}
