//! Outbox items waiting for their retry time go as soon as the helpdesk can
//! take them: the real core against a real deskmate-server on 127.0.0.1 port
//! 0, stopped and started again (or with its database locked, for a failure
//! of the helpdesk itself), with the real OS keyring (run inside
//! scripts/with-session.sh). No assertion here is on speed: each checks that
//! a write arrived before the retry time its backoff set, and the timeouts
//! only keep a broken build from hanging.

#[allow(dead_code)] // each test binary uses a different part of it
use std::time::Duration;

use crate::support::{Account, TestServer, follow};
use chrono::{DateTime, Utc};
use deskmate_api::{ErrorCode, OutboxState, WriteOutcome};
use deskmate_core::{Core, LiveUpdate, Sensitive, WriteOptions};
use tokio::sync::mpsc;

/// Long enough for any failure to show; never reached when things work.
const GUARD: Duration = Duration::from_secs(60);

async fn signed_in(server: &TestServer) -> (tempfile::TempDir, Core, i64) {
    let dir = tempfile::tempdir().unwrap();
    let core = Core::open(dir.path()).await.unwrap();
    core.login(
        &server.url,
        "user@acme.example",
        Sensitive::new("demo-password".to_owned()),
    )
    .await
    .unwrap();
    core.refresh_tickets().await.unwrap();
    let me = core.session().await.unwrap().unwrap().user.id;
    let own = core
        .cached_tickets()
        .await
        .unwrap()
        .into_iter()
        .find(|t| t.requester_id == me)
        .unwrap()
        .id;
    (dir, core, own)
}

fn queued(outcome: WriteOutcome) -> i64 {
    match outcome {
        WriteOutcome::Queued { item } => item.local_id,
        WriteOutcome::Sent { message } => panic!("expected queued, sent: {message:?}"),
    }
}

/// When the outbox will next try `local_id` on its own.
async fn retry_time(core: &Core, local_id: i64) -> DateTime<Utc> {
    let at: String = core
        .cache()
        .call(move |c| {
            Ok(c.query_row(
                "SELECT next_attempt_at FROM outbox WHERE id = ?1",
                [local_id],
                |r| r.get(0),
            )?)
        })
        .await
        .unwrap();
    DateTime::parse_from_rfc3339(&at)
        .unwrap()
        .with_timezone(&Utc)
}

/// Offline, a reply on `ticket` queued and tried until its backoff is
/// minutes long; its id and when it would be tried next.
async fn reply_waiting_minutes(core: &Core, ticket: i64, body: &str) -> (i64, DateTime<Utc>) {
    let local_id = queued(
        core.reply(ticket, body.to_owned(), WriteOptions::default())
            .await
            .unwrap(),
    );
    for _ in 0..8 {
        let report = core.drain_outbox(true).await.unwrap();
        assert!(!report.online);
    }
    let at = retry_time(core, local_id).await;
    assert!(at > Utc::now() + chrono::Duration::minutes(2), "{at}");
    (local_id, at)
}

/// Whether the helpdesk has a message `body` on `ticket`.
async fn helpdesk_has(server: &TestServer, ticket: i64, body: &str) -> bool {
    let bodies = Account::agent(&server.url)
        .await
        .message_bodies(ticket)
        .await;
    bodies.iter().any(|b| b == body)
}

async fn until_outbox_empty(core: &Core) {
    let deadline = tokio::time::Instant::now() + GUARD;
    while !core.outbox().await.unwrap().is_empty() {
        assert!(
            tokio::time::Instant::now() < deadline,
            "still waiting: {:?}",
            core.outbox().await.unwrap()
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

async fn expect(events: &mut mpsc::UnboundedReceiver<LiveUpdate>, want: LiveUpdate) {
    tokio::time::timeout(GUARD, async {
        while events.recv().await.unwrap() != want {}
    })
    .await
    .unwrap_or_else(|_| panic!("no {want:?}"));
}

#[tokio::test]
async fn a_successful_pull_sends_what_waited_for_the_helpdesk_before_its_retry_time() {
    let server = TestServer::start().await;
    let (_dir, core, ticket) = signed_in(&server).await;
    let stopped = server.stop_for_a_while().await;
    let (_, retry_at) = reply_waiting_minutes(&core, ticket, "Sent when it answers.").await;
    let server = stopped.start_again().await;

    let refreshed = core.refresh_tickets().await.unwrap();
    assert!(refreshed.online);
    assert!(core.outbox().await.unwrap().is_empty());
    assert!(Utc::now() < retry_at, "sent before its retry time");
    assert!(helpdesk_has(&server, ticket, "Sent when it answers.").await);
    server.stop().await;
}

#[tokio::test]
async fn a_new_write_goes_at_once_right_behind_an_older_one_that_waited() {
    let server = TestServer::start().await;
    let (_dir, core, ticket) = signed_in(&server).await;
    let stopped = server.stop_for_a_while().await;
    let (_, retry_at) = reply_waiting_minutes(&core, ticket, "Written offline.").await;
    let server = stopped.start_again().await;

    // Online again, nothing refreshed: the new reply is sent in its call,
    // and the older one first.
    let outcome = core
        .reply(
            ticket,
            "Written online.".to_owned(),
            WriteOptions::default(),
        )
        .await
        .unwrap();
    assert!(matches!(outcome, WriteOutcome::Sent { .. }), "{outcome:?}");
    assert!(core.outbox().await.unwrap().is_empty());
    assert!(Utc::now() < retry_at);
    let bodies = Account::agent(&server.url)
        .await
        .message_bodies(ticket)
        .await;
    let at = |body: &str| bodies.iter().position(|b| b == body).unwrap();
    assert!(at("Written offline.") < at("Written online."), "{bodies:?}");
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_follower_reconnecting_sends_what_waited() {
    let server = TestServer::start().await;
    let (_dir, core, ticket) = signed_in(&server).await;
    let (follower, mut events) = follow(&core);
    expect(&mut events, LiveUpdate::Online { online: true }).await;

    let stopped = server.stop_for_a_while().await;
    expect(&mut events, LiveUpdate::Online { online: false }).await;
    let (_, retry_at) = reply_waiting_minutes(&core, ticket, "Sent on reconnecting.").await;
    let server = stopped.start_again().await;

    // No refresh, no new write: only the follower.
    expect(&mut events, LiveUpdate::Online { online: true }).await;
    until_outbox_empty(&core).await;
    assert!(Utc::now() < retry_at, "sent before its retry time");
    assert!(helpdesk_has(&server, ticket, "Sent on reconnecting.").await);
    follower.abort();
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn while_the_stream_stays_connected_a_try_the_helpdesk_failed_goes_at_its_retry_time() {
    let server = TestServer::start().await;
    let (_dir, core, ticket) = signed_in(&server).await;
    let (follower, mut events) = follow(&core);
    expect(&mut events, LiveUpdate::Online { online: true }).await;
    expect(&mut events, LiveUpdate::Resync).await;

    // The helpdesk's database is locked: it answers the reply with a 500
    // (after its busy timeout) while the stream stays up.
    let database = server.database();
    let lock = tokio::task::spawn_blocking(move || {
        let c = rusqlite::Connection::open(database).unwrap();
        c.execute_batch("BEGIN EXCLUSIVE").unwrap();
        c
    })
    .await
    .unwrap();
    let local_id = queued(
        core.reply(
            ticket,
            "Sent at its retry time.".to_owned(),
            WriteOptions::default(),
        )
        .await
        .unwrap(),
    );
    let item = core.outbox().await.unwrap();
    assert_eq!(item[0].state, OutboxState::Pending);
    assert_eq!(
        item[0].error.as_ref().map(|e| e.code),
        Some(ErrorCode::Internal),
        "{item:?}"
    );
    let retry_at = retry_time(&core, local_id).await;
    tokio::task::spawn_blocking(move || lock.execute_batch("ROLLBACK").unwrap())
        .await
        .unwrap();

    // No refresh, no new write, no reconnect: the follower keeps the time.
    until_outbox_empty(&core).await;
    assert!(Utc::now() >= retry_at, "tried again at its retry time");
    assert!(helpdesk_has(&server, ticket, "Sent at its retry time.").await);
    while let Ok(event) = events.try_recv() {
        assert_ne!(
            event,
            LiveUpdate::Online { online: false },
            "the stream stayed up"
        );
    }
    follower.abort();
    server.stop().await;
}
