use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// What went wrong, machine-readable. The same codes travel over HTTP (with the
/// matching status) and over the app's IPC, so the UI acts on one list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum ErrorCode {
    /// 400: the request could not be read (malformed JSON, wrong types, missing fields).
    BadRequest,
    /// 401: no token, an unknown or expired token, or wrong credentials.
    Unauthorized,
    /// 403: signed in, but the caller's rights do not allow this.
    Forbidden,
    /// 404: no such thing, or it belongs to another organisation.
    NotFound,
    /// 409: conflicts with the current state.
    Conflict,
    /// 413: the request body is too large.
    PayloadTooLarge,
    /// 422: well-formed but invalid values (empty subject, unknown department...).
    Validation,
    /// 429: too many attempts; try again later.
    RateLimited,
    /// 404: the helpdesk does not offer this service (an expedited response
    /// when the provider set no price for it).
    NotOffered,
    // ---- accounts ([accounts]) ----
    /// 403: the account lacks a right its organisation's admins give or
    /// withhold (e.g. requesting an expedited response); the message says who.
    RightWithheld,
    /// 422: an address outside the organisation's allowed e-mail domains.
    InvalidEmailDomain,
    /// 503: the helpdesk sends no e-mail (its operator configured no SMTP
    /// server), so what needs a mail cannot be done.
    MailNotConfigured,
    // ---- end accounts ----
    /// 500: the server failed; details are in its log only.
    Internal,
    /// Client side: the server could not be reached.
    Network,
    /// Client side: no session; sign in first.
    SignedOut,
    /// Client side: the local cache could not be read or written.
    Cache,
    /// Client side: the OS keyring refused to store or read the session.
    Keyring,
    /// Client side: the screen cannot be captured here (Wayland without the
    /// screen-cast portal, no permission); the window offers the file picker.
    CaptureUnavailable,
}

impl ErrorCode {
    /// The HTTP status that carries this code.
    pub fn http_status(self) -> u16 {
        match self {
            Self::BadRequest => 400,
            Self::Unauthorized | Self::SignedOut => 401,
            Self::Forbidden | Self::RightWithheld => 403,
            Self::NotFound | Self::NotOffered => 404,
            Self::Conflict => 409,
            Self::PayloadTooLarge => 413,
            Self::Validation | Self::InvalidEmailDomain => 422,
            Self::RateLimited => 429,
            Self::Internal | Self::Cache | Self::Keyring => 500,
            Self::Network | Self::MailNotConfigured | Self::CaptureUnavailable => 503,
        }
    }
}

/// The body of every error response and every failed IPC call.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[ts(export)]
pub struct ErrorResponse {
    pub code: ErrorCode,
    pub message: String,
}

impl ErrorResponse {
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Self {
            code,
            message: message.into(),
        }
    }
}

impl std::fmt::Display for ErrorResponse {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.message)
    }
}

impl std::error::Error for ErrorResponse {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_serialize_as_snake_case() {
        let body = ErrorResponse::new(ErrorCode::PayloadTooLarge, "too big");
        let json = serde_json::to_string(&body).unwrap();
        assert_eq!(json, r#"{"code":"payload_too_large","message":"too big"}"#);
    }
}
