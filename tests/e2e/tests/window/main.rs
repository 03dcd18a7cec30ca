//! The end-to-end tests, one binary: the real app under Xvfb over WebDriver
//! against a real deskmate-server. They share one display and one WebDriver
//! port, so they run one at a time (`--test-threads=1`); the target has
//! `test = false` so `cargo test --workspace` leaves them to the e2e step.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod accounts;
mod attachments;
mod availability_expedite;
mod billing;
mod capture;
mod console;
mod contrast;
mod conversation;
mod desktop;
mod diagnostics;
mod drafts;
mod guided;
mod keyboard;
mod languages;
mod notifications;
mod offline;
mod remote;
mod requests;
mod search;
mod shell;
mod sign_in_again;
mod ticket_pages;
mod tickets;
mod unread;
