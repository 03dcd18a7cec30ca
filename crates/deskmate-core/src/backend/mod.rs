//! Helpdesk back-ends. Today: deskmate-server over HTTP ([`ServerClient`]).

mod server;

pub use server::ServerClient;
