//! The server's integration tests, one binary (one link, one set of artifacts):
//! each module drives a real deskmate-server over HTTP on 127.0.0.1 port 0, on
//! SQLite and, where DESKMATE_TEST_PG is set, on PostgreSQL.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "../support/mod.rs"]
mod support;

mod account_requests;
mod agent_data;
mod announcement_mail;
mod attachments;
mod availability;
mod binary;
mod console;
mod expedite;
mod hardening;
mod http;
mod isolation;
mod live;
mod notices;
mod notification_addresses;
mod openapi;
mod password_reset;
mod queue;
mod remote_assistance;
mod rights;
mod roles;
mod services;
mod sessions;
mod sign_in_limits;
