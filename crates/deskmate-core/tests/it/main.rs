//! The core's integration tests, one binary (one link, one set of artifacts):
//! each module drives the real core against a real deskmate-server on 127.0.0.1
//! port 0 with a real SQLite cache file.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "../support/mod.rs"]
mod support;

mod accounts;
mod against_server;
mod attachment_limits;
mod attachments;
mod availability;
mod capabilities;
mod capture;
mod desktop;
mod drafts;
mod expedite;
mod keyring;
mod live;
mod live_updates;
mod no_secrets_in_logs;
mod notices;
mod notify;
mod outbox_wake;
mod remote_tools;
mod rights;
mod screenshots;
mod scrub;
mod secrets_audit;
mod sign_in_again;
mod ticket_marks;
