use deskmate_api::{ErrorCode, ErrorResponse};

pub type Result<T, E = CoreError> = std::result::Result<T, E>;

/// Everything that can go wrong in the core, each mapped to one [`ErrorCode`]
/// so the app can show it and act on it.
#[derive(Debug, thiserror::Error)]
pub enum CoreError {
    /// The helpdesk answered with an error; its code and message are kept.
    #[error("{}", .0.message)]
    Server(ErrorResponse),
    /// The helpdesk could not be reached (DNS, refused, timeout, TLS).
    #[error("cannot reach the helpdesk at {url}")]
    Network { url: String },
    /// Something that only the helpdesk can answer (a current price) was
    /// asked while it cannot be reached; the message says what.
    #[error("{0}")]
    Offline(String),
    /// The helpdesk answered something that is not our protocol.
    #[error("the helpdesk at {url} sent an unexpected answer ({detail})")]
    Protocol { url: String, detail: String },
    /// The helpdesk does not offer this (see [`crate::backend::Backend::capabilities`]).
    #[error("{0}")]
    NotOffered(String),
    /// No session (never signed in, signed out, or the token expired).
    #[error("{0}")]
    SignedOut(&'static str),
    /// Nothing by that id here (or the helpdesk does not know it).
    #[error("{0}")]
    NotFound(String),
    /// Input refused before it left the machine.
    #[error("{0}")]
    Invalid(String),
    /// A file larger than the helpdesk accepts, refused before it was queued.
    #[error("{0}")]
    TooLarge(String),
    /// A file of this computer (an attachment's copy, a download, a
    /// thumbnail) could not be read or written.
    #[error("{0}")]
    File(String),
    /// The local cache could not be opened, read or written.
    #[error("local cache: {0}")]
    Cache(String),
    /// The cache file was written by a newer Deskmate.
    #[error(
        "the local cache was written by a newer version of Deskmate (schema {found}, this version knows {known}); update Deskmate"
    )]
    CacheTooNew { found: i64, known: i64 },
    /// The OS keyring refused to store or read the session.
    #[error("OS keyring: {0}")]
    Keyring(String),
}

impl CoreError {
    pub fn code(&self) -> ErrorCode {
        match self {
            Self::Server(e) => e.code,
            Self::Network { .. } | Self::Offline(_) => ErrorCode::Network,
            Self::Protocol { .. } => ErrorCode::Internal,
            Self::SignedOut(_) => ErrorCode::SignedOut,
            Self::NotOffered(_) => ErrorCode::NotOffered,
            Self::Invalid(_) => ErrorCode::Validation,
            Self::TooLarge(_) => ErrorCode::PayloadTooLarge,
            Self::File(_) => ErrorCode::Cache,
            Self::NotFound(_) => ErrorCode::NotFound,
            Self::Cache(_) | Self::CacheTooNew { .. } => ErrorCode::Cache,
            Self::Keyring(_) => ErrorCode::Keyring,
        }
    }

    /// The `{code, message}` shape that crosses the IPC boundary.
    pub fn to_response(&self) -> ErrorResponse {
        ErrorResponse::new(self.code(), self.to_string())
    }
}

impl From<rusqlite::Error> for CoreError {
    fn from(e: rusqlite::Error) -> Self {
        Self::Cache(e.to_string())
    }
}

impl From<tokio::task::JoinError> for CoreError {
    fn from(e: tokio::task::JoinError) -> Self {
        Self::Cache(format!("background task failed: {e}"))
    }
}
