//! Wire types shared by the Deskmate app and `deskmate-server`.
//!
//! Everything that crosses HTTP or the Tauri IPC boundary is declared here once;
//! the TypeScript twins in `ui/src/lib/bindings` are generated from these types
//! by ts-rs (`cargo test -p deskmate-api`) and checked for drift by `make test`.
//! This crate does no I/O.

mod error;
mod ipc;
mod ticket;
mod user;

pub use error::{ErrorCode, ErrorResponse};
pub use ipc::{AppInfo, RefreshOutcome};
pub use ticket::{Department, NewTicket, Priority, Ticket, TicketList, TicketStatus};
pub use user::{Health, LoginRequest, LoginResponse, Me, OrganisationRef, Role};

/// Version segment of every versioned route: `/api/v1/...`.
pub const API_VERSION: &str = "v1";

/// Limits a client can check before sending, the server enforces them again.
pub mod limits {
    /// Longest accepted ticket subject, in characters.
    pub const SUBJECT_MAX_CHARS: usize = 200;
    /// Longest accepted ticket body, in characters.
    pub const BODY_MAX_CHARS: usize = 20_000;
    /// Longest accepted e-mail address, in characters.
    pub const EMAIL_MAX_CHARS: usize = 254;
    /// Longest accepted password, in characters.
    pub const PASSWORD_MAX_CHARS: usize = 1_024;
}
