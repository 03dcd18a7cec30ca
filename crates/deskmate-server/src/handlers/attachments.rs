//! Files attached to tickets: `multipart/form-data` upload, checks (the kind
//! sniffed from the bytes, pictures' dimensions read from their header
//! before anything is decoded, then a bounded full decode), and download.
//! The bytes are kept in the database (see [`crate::db::NewAttachment`]).

use std::io::Cursor;
use std::sync::LazyLock;

use axum::extract::multipart::{Field, MultipartError, MultipartRejection};
use axum::extract::{Multipart, Path, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use chrono::Utc;
use deskmate_api::{Attachment, AttachmentKind, ErrorCode, ErrorResponse, Role, limits};
use serde::Serialize;
use sha2::{Digest, Sha256};
use tokio::sync::Semaphore;

use super::{respond, visible_ticket};
use crate::AppState;
use crate::db::NewAttachment;
use crate::error::{ApiError, ApiResult};
use crate::extract::{Caller, IdempotencyKey, IdempotencyKeyHeader, TicketId};
use crate::openapi::responses::SignedIn;

/// Largest upload request: one file at its limit plus the multipart framing
/// and a `message_id` part. Every other route keeps the 1 MiB JSON limit.
pub const MAX_REQUEST_BYTES: usize = limits::ATTACHMENT_MAX_BYTES + 64 * 1024;

/// Pictures decoded at once: a picture at the pixel limit takes up to
/// 320 MB while it is checked.
static DECODING: LazyLock<Semaphore> = LazyLock::new(|| Semaphore::new(2));

/// The upload form, as the OpenAPI document describes it.
/// Only these parts: another is refused (`additionalProperties: false`).
#[derive(utoipa::ToSchema, serde::Deserialize)]
#[serde(deny_unknown_fields)]
#[allow(dead_code)]
pub struct AttachmentUpload {
    /// The file; its name is taken from the part's `filename` (directories
    /// dropped). At most 10 MiB.
    #[schema(value_type = String, format = Binary)]
    file: Vec<u8>,
    /// One of the uploader's messages on the ticket the file belongs to.
    #[schema(minimum = 1, nullable = false)]
    message_id: Option<i64>,
}

/// A file that passed every check: the name cleaned, the kind sniffed, a
/// picture's dimensions within the limits and its data whole, and the file
/// at most `max_bytes` (the server's `--attachment-max-bytes`).
pub fn prepare(raw_name: &str, bytes: Vec<u8>, max_bytes: u64) -> ApiResult<NewAttachment> {
    let file_name = deskmate_api::clean_file_name(raw_name).map_err(ApiError::validation)?;
    if bytes.is_empty() {
        return Err(ApiError::validation("the file is empty"));
    }
    if bytes.len() > limits::ATTACHMENT_MAX_BYTES || bytes.len() as u64 > max_bytes {
        return Err(too_large(max_bytes));
    }
    let kind = deskmate_api::sniff(&bytes).ok_or_else(|| {
        ApiError::validation(
            "this kind of file is not accepted: attach PNG, JPEG, GIF or WebP pictures, \
             PDF documents, UTF-8 text or ZIP archives",
        )
    })?;
    let (width, height) = match image_format(kind) {
        Some(format) => {
            let (w, h) = check_picture(&bytes, format)?;
            (Some(w), Some(h))
        }
        None => (None, None),
    };
    Ok(NewAttachment {
        file_name,
        content_type: kind.content_type(),
        sha256: format!("{:x}", Sha256::digest(&bytes)),
        width,
        height,
        bytes,
    })
}

fn image_format(kind: AttachmentKind) -> Option<image::ImageFormat> {
    use image::ImageFormat;
    match kind {
        AttachmentKind::Png => Some(ImageFormat::Png),
        AttachmentKind::Jpeg => Some(ImageFormat::Jpeg),
        AttachmentKind::Gif => Some(ImageFormat::Gif),
        AttachmentKind::Webp => Some(ImageFormat::WebP),
        AttachmentKind::Pdf | AttachmentKind::Text | AttachmentKind::Zip => None,
    }
}

/// Reads the dimensions from the header and refuses a picture over the
/// limits before decoding anything (a small file may declare a huge
/// picture); then decodes it, with the same limits, to refuse damaged data.
fn check_picture(bytes: &[u8], format: image::ImageFormat) -> ApiResult<(u32, u32)> {
    let damaged = |e: image::ImageError| {
        ApiError::validation(format!("the picture is damaged or incomplete: {e}"))
    };
    let (width, height) = image::ImageReader::with_format(Cursor::new(bytes), format)
        .into_dimensions()
        .map_err(damaged)?;
    let side = width.max(height);
    if width == 0 || height == 0 {
        return Err(ApiError::validation("the picture has no pixels"));
    }
    if side > limits::IMAGE_MAX_SIDE {
        return Err(ApiError::validation(format!(
            "the picture is {width}x{height}: its sides may be at most {} pixels",
            limits::IMAGE_MAX_SIDE
        )));
    }
    if u64::from(width) * u64::from(height) > limits::IMAGE_MAX_PIXELS {
        return Err(ApiError::validation(format!(
            "the picture is {width}x{height}: at most {} million pixels are accepted",
            limits::IMAGE_MAX_PIXELS / 1_000_000
        )));
    }
    let mut reader = image::ImageReader::with_format(Cursor::new(bytes), format);
    let mut bounds = image::Limits::default();
    bounds.max_image_width = Some(limits::IMAGE_MAX_SIDE);
    bounds.max_image_height = Some(limits::IMAGE_MAX_SIDE);
    // Four 16-bit channels at the pixel limit.
    bounds.max_alloc = Some(limits::IMAGE_MAX_PIXELS * 8);
    reader.limits(bounds);
    let decoded = reader.decode().map_err(damaged)?;
    if (decoded.width(), decoded.height()) != (width, height) {
        return Err(ApiError::validation(
            "the picture's data does not match its header",
        ));
    }
    Ok((width, height))
}

fn too_large(max_bytes: u64) -> ApiError {
    let most = max_bytes.min(limits::ATTACHMENT_MAX_BYTES as u64);
    let shown = if most >= 1024 * 1024 {
        format!("{} MiB", most / (1024 * 1024))
    } else {
        format!("{most} bytes")
    };
    ApiError::new(
        ErrorCode::PayloadTooLarge,
        format!("the file is larger than {shown}"),
    )
}

/// The form as sent.
struct Form {
    file_name: String,
    bytes: Vec<u8>,
    message_id: Option<i64>,
}

fn multipart_error(e: MultipartError) -> ApiError {
    if e.status() == StatusCode::PAYLOAD_TOO_LARGE {
        too_large(limits::ATTACHMENT_MAX_BYTES as u64)
    } else {
        ApiError::bad_request(format!("the form could not be read: {}", e.body_text()))
    }
}

/// Reads the parts: exactly one `file`, at most one `message_id`, nothing
/// else. A file over the limit is read to the end (the request limit bounds
/// it) so the client hears the 413 rather than a reset connection.
async fn read_form(mut multipart: Multipart, max_bytes: u64) -> ApiResult<Form> {
    let mut file: Option<(String, Vec<u8>)> = None;
    let mut message_id = None;
    let mut over_limit = false;
    while let Some(field) = multipart.next_field().await.map_err(multipart_error)? {
        match field.name().unwrap_or_default() {
            "file" => {
                if file.is_some() {
                    return Err(ApiError::bad_request("send one file per request"));
                }
                let name = field.file_name().unwrap_or_default().to_owned();
                match read_file(field, max_bytes).await? {
                    Some(bytes) => file = Some((name, bytes)),
                    None => {
                        over_limit = true;
                        file = Some((name, Vec::new()));
                    }
                }
            }
            "message_id" => {
                if message_id.is_some() {
                    return Err(ApiError::bad_request("send message_id once"));
                }
                let text = field.text().await.map_err(multipart_error)?;
                let id = text.trim().parse::<i64>().ok().filter(|id| *id > 0);
                message_id = Some(id.ok_or_else(|| {
                    ApiError::bad_request(format!("message_id {text:?} is not a message id"))
                })?);
            }
            other => {
                return Err(ApiError::bad_request(format!(
                    "unknown form part {other:?}: send `file` and optionally `message_id`"
                )));
            }
        }
    }
    if over_limit {
        return Err(too_large(max_bytes));
    }
    let (file_name, bytes) =
        file.ok_or_else(|| ApiError::bad_request("the form has no `file` part"))?;
    Ok(Form {
        file_name,
        bytes,
        message_id,
    })
}

/// The part's bytes; `None` (the rest read and dropped) past the file limit.
async fn read_file(mut field: Field<'_>, max_bytes: u64) -> ApiResult<Option<Vec<u8>>> {
    let max = usize::try_from(max_bytes)
        .unwrap_or(usize::MAX)
        .min(limits::ATTACHMENT_MAX_BYTES);
    let mut bytes = Vec::new();
    let mut over = false;
    while let Some(chunk) = field.chunk().await.map_err(multipart_error)? {
        if over || bytes.len() + chunk.len() > max {
            over = true;
            bytes = Vec::new();
            continue;
        }
        bytes.extend_from_slice(&chunk);
    }
    Ok((!over).then_some(bytes))
}

/// What an `Idempotency-Key` is bound to: the file by its hash, its name
/// and the message it belongs to.
#[derive(Serialize)]
struct Fingerprint<'a> {
    file_name: &'a str,
    sha256: &'a str,
    message_id: Option<i64>,
}

#[utoipa::path(
    post,
    path = "/api/v1/tickets/{id}/attachments",
    tag = "tickets",
    operation_id = "add_attachment",
    summary = "Attach a file to a ticket",
    description = "A `multipart/form-data` form with one `file` part (its `filename` names the file; \
        directories are dropped) and optionally a `message_id` part: one of the uploader's messages on \
        the ticket; a file of an internal note is for agents only. The kind is told from the bytes, \
        whatever the sender claims: PNG, JPEG, GIF or WebP pictures (at most 16384 pixels a side and \
        40 million pixels, checked from the header before decoding, then decoded to refuse damaged \
        data), PDF, UTF-8 text, ZIP. At most 10 MiB a file; a ticket holds at most 50 files and 50 MiB; \
        a server may be configured lower: `GET /api/v1/attachment-limits` says what it accepts.",
    request_body(content = AttachmentUpload, content_type = "multipart/form-data"),
    security(("bearer" = [])),
    params(
        ("id" = i64, Path, minimum = 1, description = "The ticket's id. Anything that is not a positive integer is a 404."),
        IdempotencyKeyHeader,
    ),
    responses(
        (status = 201, description = "Attached; or, for a repeated `Idempotency-Key`, the first response replayed.", body = Attachment),
        (status = 400, description = "The body is not `multipart/form-data`, has no `file` part, more than one, an unknown part or a `message_id` that is not a positive integer; or the `Idempotency-Key` is not 1 to 200 visible ASCII characters (`bad_request`).", body = ErrorResponse),
        (status = 403, description = "The `message_id` is another author's message (`forbidden`).", body = ErrorResponse),
        (status = 404, description = "No such ticket, or it belongs to another organisation: both are answered alike; or no message `message_id` on the ticket (`not_found`).", body = ErrorResponse),
        (status = 409, description = "The ticket is closed: reopen it first; or the `Idempotency-Key` was already used for a different request (`conflict`).", body = ErrorResponse),
        (status = 413, description = "The file is larger than 10 MiB, or than the server's `max_file_bytes` (`payload_too_large`).", body = ErrorResponse),
        (status = 429, description = "The account is already sending 2 files (`--uploads-per-account`), or the server is receiving 8 from everyone (`--uploads-at-once`): send it when they are done (`rate_limited`).", body = ErrorResponse),
        (status = 422, description = "The file is empty or of a kind not accepted; its name is empty, longer than 255 characters or has control characters; a picture is damaged, or over 16384 pixels a side or 40 million pixels; or the ticket already holds 50 files, or would hold more than 50 MiB (`validation`).", body = ErrorResponse),
        SignedIn,
    ),
)]
pub async fn upload(
    State(state): State<AppState>,
    caller: Caller,
    ticket: TicketId,
    key: IdempotencyKey,
    multipart: Result<Multipart, MultipartRejection>,
) -> ApiResult<Response> {
    let stored = visible_ticket(&state, &caller.user, ticket).await?;
    // Held until the answer: the form is buffered in memory meanwhile.
    let _place = state.limits.upload(caller.user.id)?;
    let multipart = multipart.map_err(|e| {
        ApiError::bad_request(format!(
            "the request body must be multipart/form-data with a `file` part: {}",
            e.body_text()
        ))
    })?;
    let accepts = &state.config.attachments;
    let form = read_form(multipart, accepts.max_file_bytes).await?;
    // A closed ticket is refused in the transaction, after the
    // Idempotency-Key: a retry of an upload made before closing replays.
    let permit = DECODING.acquire().await.map_err(ApiError::internal)?;
    let Form {
        file_name,
        bytes,
        message_id,
    } = form;
    let max_bytes = accepts.max_file_bytes;
    let file = tokio::task::spawn_blocking(move || {
        let _permit = permit;
        prepare(&file_name, bytes, max_bytes)
    })
    .await??;
    let fingerprint = Fingerprint {
        file_name: &file.file_name,
        sha256: &file.sha256,
        message_id,
    };
    let idempotency = key.bind(&fingerprint)?;
    let written = state
        .db
        .add_attachment(
            stored.ticket.id,
            &caller.user,
            &file,
            message_id,
            idempotency.as_ref(),
            Utc::now(),
            accepts,
        )
        .await?;
    if let crate::db::Written::Created(a) = &written {
        tracing::info!(
            ticket_id = a.ticket_id,
            attachment_id = a.id,
            size = a.size_bytes,
            "file attached"
        );
    }
    Ok(respond(written, StatusCode::CREATED))
}

#[utoipa::path(
    get,
    path = "/api/v1/tickets/{id}/attachments/{attachment_id}",
    tag = "tickets",
    operation_id = "download_attachment",
    summary = "An attached file's bytes",
    description = "Answered with the `Content-Type` the server sniffed, as a download \
        (`Content-Disposition: attachment`), with `X-Content-Type-Options: nosniff` and the \
        SHA-256 of the bytes as `ETag`; `If-None-Match` with that ETag answers 304. Files of \
        internal notes are for agents only.",
    security(("bearer" = [])),
    params(
        ("id" = i64, Path, minimum = 1, description = "The ticket's id. Anything that is not a positive integer is a 404."),
        ("attachment_id" = i64, Path, minimum = 1, description = "The attachment's id. Anything that is not a positive integer is a 404."),
        ("If-None-Match" = Option<String>, Header, description = "The `ETag` of a copy the client holds."),
    ),
    responses(
        (status = 200, description = "The file, as the kind sniffed at upload.",
            content(
                (String = "image/png"), (String = "image/jpeg"), (String = "image/gif"),
                (String = "image/webp"), (String = "application/pdf"), (String = "text/plain"),
                (String = "application/zip"),
            ),
            headers(
                ("Content-Type" = String, description = "The kind sniffed at upload, e.g. `image/png`."),
                ("Content-Disposition" = String, description = "`attachment; filename=\"...\"; filename*=UTF-8''...`"),
                ("ETag" = String, description = "The SHA-256 of the bytes, hex, quoted."),
                ("X-Content-Type-Options" = String, description = "`nosniff`."),
            ),
        ),
        (status = 304, description = "The client's copy (`If-None-Match`) is current."),
        (status = 404, description = "No such ticket or attachment, or one the caller may not see: all are answered alike (`not_found`).", body = ErrorResponse),
        SignedIn,
    ),
)]
pub async fn download(
    State(state): State<AppState>,
    caller: Caller,
    ticket: TicketId,
    Path((_, raw_attachment_id)): Path<(String, String)>,
    headers: HeaderMap,
) -> ApiResult<Response> {
    let stored = visible_ticket(&state, &caller.user, ticket).await?;
    let unknown = || ApiError::not_found(format!("no attachment {raw_attachment_id:?}"));
    let attachment_id = raw_attachment_id
        .parse::<i64>()
        .ok()
        .filter(|id| *id > 0)
        .ok_or_else(unknown)?;
    let found = state
        .db
        .attachment_content(
            stored.ticket.id,
            attachment_id,
            caller.user.role == Role::Agent,
        )
        .await?
        .ok_or_else(unknown)?;
    let attachment = found.attachment;
    let etag = format!("\"{}\"", attachment.sha256);
    let header_value = |v: &str| HeaderValue::from_str(v).map_err(ApiError::internal);
    let mut response = if if_none_match(&headers, &etag) {
        StatusCode::NOT_MODIFIED.into_response()
    } else {
        let mut response = found.bytes.into_response();
        let h = response.headers_mut();
        h.insert(
            header::CONTENT_TYPE,
            header_value(&attachment.content_type)?,
        );
        h.insert(
            header::CONTENT_DISPOSITION,
            header_value(&content_disposition(&attachment.file_name))?,
        );
        response
    };
    let h = response.headers_mut();
    h.insert(header::ETAG, header_value(&etag)?);
    h.insert(
        header::X_CONTENT_TYPE_OPTIONS,
        HeaderValue::from_static("nosniff"),
    );
    h.insert(
        header::CONTENT_SECURITY_POLICY,
        HeaderValue::from_static("default-src 'none'; sandbox"),
    );
    h.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("private, no-cache"),
    );
    Ok(response)
}

fn if_none_match(headers: &HeaderMap, etag: &str) -> bool {
    headers
        .get_all(header::IF_NONE_MATCH)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(','))
        .map(|tag| tag.trim().trim_start_matches("W/"))
        .any(|tag| tag == etag || tag == "*")
}

/// `attachment; filename="<ASCII stand-in>"; filename*=UTF-8''<percent-encoded>`
/// (RFC 6266): nothing of the name can end the header or inject a parameter.
pub fn content_disposition(file_name: &str) -> String {
    let fallback: String = file_name
        .chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '-' | '_' | ' ') {
                c
            } else {
                '_'
            }
        })
        .collect();
    let mut encoded = String::with_capacity(file_name.len() * 3);
    for byte in file_name.bytes() {
        // RFC 5987 attr-char.
        if byte.is_ascii_alphanumeric() || b"!#$&+-.^_`|~".contains(&byte) {
            encoded.push(char::from(byte));
        } else {
            encoded.push_str(&format!("%{byte:02X}"));
        }
    }
    format!("attachment; filename=\"{fallback}\"; filename*=UTF-8''{encoded}")
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn download_names_cannot_break_the_header() {
        assert_eq!(
            content_disposition("r\u{e9}sum\u{e9} \"x\";.pdf"),
            "attachment; filename=\"r_sum_ _x__.pdf\"; \
             filename*=UTF-8''r%C3%A9sum%C3%A9%20%22x%22%3B.pdf"
        );
    }

    #[test]
    fn if_none_match_accepts_lists_and_weak_tags() {
        let mut headers = HeaderMap::new();
        headers.insert(
            header::IF_NONE_MATCH,
            HeaderValue::from_static("\"a\", W/\"b\""),
        );
        assert!(if_none_match(&headers, "\"b\""));
        assert!(!if_none_match(&headers, "\"c\""));
    }
}
