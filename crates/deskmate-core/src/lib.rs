//! Everything the Deskmate app knows without a window.
//!
//! [`Core`] is the one entry point the app shell, the `deskmate` CLI and the
//! tests use: it owns the local SQLite [`cache`], the session token in the
//! OS keyring ([`secrets`]) and the client of the helpdesk ([`backend`]);
//! [`sync`] keeps the cache and the helpdesk in step. The cache is what
//! screens show, so the app opens instantly and keeps working when the
//! server is unreachable.

mod account_requests;
mod accounts;
mod attachment_limits;
mod attachments;
mod auth_recovery;
pub mod availability;
pub mod backend;
mod billing;
pub mod cache;
pub mod capture;
mod core;
pub mod diagnostics;
mod error;
mod expedite;
pub mod files;
mod notices;
mod notify;
pub mod remote;
mod remote_sessions;
mod rights;
mod screenshots;
pub mod secrets;
mod session;
mod settings;
pub mod sync;
mod thumbnail;
mod tickets;
mod tray;
mod writes;

pub use crate::attachment_limits::shown_size;
pub use crate::cache::Session;
pub use crate::core::Core;
pub use crate::remote_sessions::Consented;
pub use crate::sync::{FollowOptions, file_key};
pub use crate::writes::WriteOptions;
pub use backend::{SseEvent, SseParser};
pub use deskmate_api::LiveUpdate;
pub use error::{CoreError, Result};
pub use notify::TrayWords;
pub use secrets::{KeyringStore, SecretStore, Sensitive};
pub use tray::{TRAY_TICKETS, TrayState};
