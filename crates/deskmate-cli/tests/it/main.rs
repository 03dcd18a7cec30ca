//! The CLI's integration tests, one binary (one link, one set of artifacts):
//! each module runs the real `deskmate` binary against a real deskmate-server.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

#[path = "../support/mod.rs"]
mod support;

mod cli;
mod diagnostics;
mod durability;
mod expedite_availability;
mod files_notices;
mod remote;
