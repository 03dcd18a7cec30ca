//! The session token and the password never reach the logs, at any level,
//! through a whole session: sign-in, pull, filing, a failed send, sign-out.
//! Real server on port 0, real keyring (run inside scripts/with-session.sh).

#[allow(dead_code)] // each test binary uses a different part of it
use crate::support;

use std::io::Write;
use std::sync::{Arc, Mutex};

use crate::support::TestServer;
use deskmate_api::{Department, NewTicket, Priority};
use deskmate_core::{Core, Sensitive, WriteOptions};

/// Everything logged, kept for inspection.
#[derive(Clone, Default)]
pub(crate) struct Captured(pub(crate) Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn no_token_or_password_in_trace_logs() {
    let logs = Captured::default();
    let writer = logs.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(move || writer.clone())
        .with_ansi(false)
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let password = "demo-password";
    let server = TestServer::start().await;
    let dir = tempfile::tempdir().unwrap();
    let core = Core::open(dir.path()).await.unwrap();
    core.login(
        &server.url,
        "user@acme.example",
        Sensitive::new(password.to_owned()),
    )
    .await
    .unwrap();
    core.refresh_tickets().await.unwrap();
    core.file_ticket(
        NewTicket::new(
            Department::Technical,
            Priority::Regular,
            "Logged session",
            "Checking what reaches the logs.",
        ),
        WriteOptions::default(),
    )
    .await
    .unwrap();
    let token = support::keyring_token_of(dir.path()).await;
    let stopped = server.stop_for_a_while().await;
    // A failed send and a failed pull log their errors.
    core.file_ticket(
        NewTicket::new(
            Department::Billing,
            Priority::Regular,
            "While down",
            "Queued.",
        ),
        WriteOptions::default(),
    )
    .await
    .unwrap();
    core.refresh_tickets().await.unwrap();
    let server = stopped.start_again().await;
    core.logout().await.unwrap();
    server.stop().await;

    let text = String::from_utf8(logs.0.lock().unwrap().clone()).unwrap();
    assert!(text.contains("signed in"), "the session was logged: {text}");
    assert!(
        text.contains("outbox send postponed"),
        "errors were logged: {text}"
    );
    assert!(token.len() >= 32);
    assert!(!text.contains(&token), "the token reached the logs");
    assert!(!text.contains(password), "the password reached the logs");
}
