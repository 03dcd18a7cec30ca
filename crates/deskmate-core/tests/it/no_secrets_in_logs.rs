//! The session token and the password never reach the logs, at any level,
//! through a whole session: sign-in, pull, filing, a failed send, sign-out.
//! Real server on port 0, real keyring (run inside scripts/with-session.sh).

#[allow(dead_code)] // each test binary uses a different part of it
use crate::support;

use std::io::Write;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, OnceLock};

use tracing_subscriber::Layer as _;
use tracing_subscriber::layer::SubscriberExt as _;

use crate::support::TestServer;
use deskmate_api::{Department, NewTicket, Priority};
use deskmate_core::{Core, Sensitive, WriteOptions};

/// Everything logged, kept for inspection.
#[derive(Clone, Default)]
pub(crate) struct Captured(pub(crate) Arc<Mutex<Vec<u8>>>);

impl Captured {
    /// The process's log at every level, from every thread, while some test
    /// captures it ([`Self::start`]): one global subscriber, installed by the
    /// first test that asks. (A subscriber set for one thread misses what
    /// other threads log, and what a callsite first hit while no such
    /// subscriber existed decided not to log.)
    pub(crate) fn global() -> Self {
        static LOGS: OnceLock<Captured> = OnceLock::new();
        LOGS.get_or_init(|| {
            let logs = Captured::default();
            let writer = logs.clone();
            let layer = tracing_subscriber::fmt::layer()
                .with_writer(move || writer.clone())
                .with_ansi(false)
                .with_filter(tracing_subscriber::filter::filter_fn(|_| {
                    CAPTURING.load(Ordering::SeqCst) > 0
                }));
            let subscriber = tracing_subscriber::registry().with(layer);
            tracing::subscriber::set_global_default(subscriber)
                .expect("no other global subscriber in the core's tests");
            logs
        })
        .clone()
    }

    /// Starts capturing (until the guard is dropped); answers where this
    /// test's part of the log starts.
    pub(crate) fn start(&self) -> (Capturing, usize) {
        CAPTURING.fetch_add(1, Ordering::SeqCst);
        (Capturing, self.0.lock().unwrap().len())
    }

    /// What was logged since `mark`.
    pub(crate) fn since(&self, mark: usize) -> String {
        String::from_utf8_lossy(&self.0.lock().unwrap()[mark..]).into_owned()
    }
}

/// How many tests capture the log now.
static CAPTURING: AtomicUsize = AtomicUsize::new(0);

/// A test capturing the log; dropped, it stops.
pub(crate) struct Capturing;

impl Drop for Capturing {
    fn drop(&mut self) {
        CAPTURING.fetch_sub(1, Ordering::SeqCst);
    }
}

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
    let logs = Captured::global();
    let (_capturing, start) = logs.start();

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

    let text = logs.since(start);
    assert!(text.contains("signed in"), "the session was logged: {text}");
    assert!(
        text.contains("outbox send postponed"),
        "errors were logged: {text}"
    );
    assert!(token.len() >= 32);
    assert!(!text.contains(&token), "the token reached the logs");
    assert!(!text.contains(password), "the password reached the logs");
}
