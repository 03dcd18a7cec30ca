//! Everything the Deskmate app knows without a window.
//!
//! [`Core`] is the one entry point the app shell (and tests, and later the
//! `deskmate` CLI) use: it owns the local SQLite [`cache`], the session token in
//! the OS keyring ([`secrets`]) and the HTTP client of the helpdesk
//! ([`backend`]). The cache is what screens show, so the app opens instantly
//! and keeps working when the server is unreachable.

mod attachments;
pub mod availability;
pub mod backend;
pub mod cache;
mod core;
mod error;
mod expedite;
pub mod files;
mod live;
mod notices;
mod rights;
pub mod secrets;
mod settings;
mod thumbnail;
mod wake;

pub use crate::attachments::file_key;
pub use crate::core::{Core, Session};
pub use backend::{SseEvent, SseParser};
pub use error::{CoreError, Result};
pub use live::LiveEvent;
pub use secrets::{KeyringStore, SecretStore, Sensitive};
