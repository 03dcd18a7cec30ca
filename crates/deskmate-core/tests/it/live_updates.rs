//! What the follower tells the app, against a real deskmate-server: which
//! tickets a change touched, notices, the outbox; one drain per reconnect;
//! no pull of its own in live-only mode. Real OS keyring (run inside
//! scripts/with-session.sh).

#[allow(dead_code)] // each test binary uses a different part of it
use crate::support;

use std::sync::Arc;
use std::sync::atomic::Ordering;
use std::time::Duration;

use crate::support::backends::{self, Calls};
use crate::support::{Account, TestServer};
use deskmate_api::{Department, FileOutcome, NewTicket, Priority};
use deskmate_core::{Core, FollowOptions, LiveUpdate, WriteOptions};
use tokio::sync::mpsc::UnboundedReceiver;

const WITHIN: Duration = Duration::from_secs(10);

fn following(
    core: &Core,
    options: FollowOptions,
) -> (tokio::task::JoinHandle<()>, UnboundedReceiver<LiveUpdate>) {
    let (tx, events) = tokio::sync::mpsc::unbounded_channel();
    let core = core.clone();
    let follower = tokio::spawn(async move {
        core.follow(options, move |e| {
            let _ = tx.send(e);
        })
        .await
    });
    (follower, events)
}

/// Waits for an event `wanted` accepts, within [`WITHIN`]; the events before it.
async fn until(
    events: &mut UnboundedReceiver<LiveUpdate>,
    what: &str,
    wanted: impl Fn(&LiveUpdate) -> bool,
) -> Vec<LiveUpdate> {
    let deadline = tokio::time::Instant::now() + WITHIN;
    let mut seen = Vec::new();
    loop {
        match tokio::time::timeout_at(deadline, events.recv()).await {
            Ok(Some(e)) if wanted(&e) => return seen,
            Ok(Some(e)) => seen.push(e),
            Ok(None) => panic!("the follower stopped"),
            Err(_) => panic!("no {what} within {WITHIN:?}; heard {seen:?}"),
        }
    }
}

fn new_ticket(subject: &str) -> NewTicket {
    NewTicket::new(
        Department::Technical,
        Priority::Regular,
        subject,
        "Filed by the live-update tests.",
    )
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_agents_reply_names_its_ticket_and_an_announcement_the_notices() {
    let server = TestServer::start().await;
    let dir = tempfile::tempdir().unwrap();
    let core = support::customer(&server, dir.path(), None).await;
    let (follower, mut events) = following(&core, FollowOptions::default());
    until(&mut events, "catch-up", |e| *e == LiveUpdate::Resync).await;
    let tickets = core.cached_tickets().await.unwrap();
    let ticket = tickets.last().unwrap().id;

    let agent = Account::agent(&server.url).await;
    agent.reply(ticket, "An answer, live.").await;
    until(&mut events, "the replied ticket", |e| {
        *e == LiveUpdate::Tickets { ids: vec![ticket] }
    })
    .await;

    let (status, body) = agent
        .send(
            reqwest::Method::POST,
            "/api/v1/announcements",
            Some(serde_json::json!({
                "kind": "announcement",
                "title": "New status page",
                "body": "status.example is where outages are announced now.",
                "affected_services": [],
                "starts_at": null,
                "ends_at": null,
                "organisation_id": null
            })),
        )
        .await;
    assert!(status.is_success(), "{status}: {body}");
    let before = until(&mut events, "notices", |e| *e == LiveUpdate::Notices).await;
    // Only the replied ticket's later announcements (its status) came
    // before: the announcement touches no ticket.
    assert!(
        before
            .iter()
            .all(|e| *e == LiveUpdate::Tickets { ids: vec![ticket] }),
        "{before:?}"
    );
    follower.abort();
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_outbox_item_sent_at_its_retry_time_names_the_outbox_and_its_ticket() {
    let server = TestServer::start().await;
    let dir = tempfile::tempdir().unwrap();
    let calls = Arc::new(Calls::default());
    let core = support::customer(&server, dir.path(), Some(backends::counting(&calls))).await;
    let (follower, mut events) = following(&core, FollowOptions::default());
    until(&mut events, "catch-up", |e| *e == LiveUpdate::Resync).await;

    calls.filing_unreachable.store(true, Ordering::SeqCst);
    let FileOutcome::Queued { .. } = core
        .file_ticket(new_ticket("Sent by the clock"), WriteOptions::default())
        .await
        .unwrap()
    else {
        panic!("filed although unreachable");
    };
    calls.filing_unreachable.store(false, Ordering::SeqCst);
    // No refresh, no write: the follower's clock sends it (in 2 s).
    let before = until(&mut events, "the outbox", |e| *e == LiveUpdate::Outbox).await;
    let filed = core.cached_tickets().await.unwrap();
    let filed = filed
        .iter()
        .find(|t| t.subject == "Sent by the clock")
        .unwrap();
    assert!(
        before.contains(&LiveUpdate::Tickets {
            ids: vec![filed.id]
        }),
        "{before:?}"
    );
    assert!(core.outbox().await.unwrap().is_empty());
    follower.abort();
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn connecting_drains_the_outbox_once() {
    let server = TestServer::start().await;
    let dir = tempfile::tempdir().unwrap();
    let calls = Arc::new(Calls::default());
    let core = support::customer(&server, dir.path(), Some(backends::counting(&calls))).await;
    calls.filing_unreachable.store(true, Ordering::SeqCst);
    core.file_ticket(new_ticket("Waits"), WriteOptions::default())
        .await
        .unwrap();
    assert_eq!(Calls::count(&calls.create_ticket), 1);

    let (follower, mut events) = following(&core, FollowOptions::default());
    until(&mut events, "catch-up", |e| *e == LiveUpdate::Resync).await;
    // One forced try on connecting (still unreachable: postponed again),
    // none more for the pull that followed.
    assert_eq!(Calls::count(&calls.create_ticket), 2);
    assert_eq!(Calls::count(&calls.events), 1);
    follower.abort();
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn live_only_never_pulls_without_the_stream_and_otherwise_it_does() {
    let server = TestServer::start().await;
    // A helpdesk without live events: the stream cannot be had.
    for (live_only, pulls) in [(true, false), (false, true)] {
        let dir = tempfile::tempdir().unwrap();
        let calls = Arc::new(Calls::default());
        let core = support::customer(&server, dir.path(), Some(backends::plain(&calls))).await;
        let (follower, mut events) = following(&core, FollowOptions { live_only });
        let heard = until(&mut events, "the first word on reachability", |e| {
            matches!(e, LiveUpdate::Online { .. })
        })
        .await;
        tokio::time::sleep(Duration::from_secs(2)).await;
        let pulled = Calls::count(&calls.sync);
        assert_eq!(
            pulled > 0,
            pulls,
            "live_only {live_only}: {pulled} pulls, heard {heard:?}"
        );
        if live_only {
            assert!(core.cached_tickets().await.unwrap().is_empty());
        }
        follower.abort();
    }
    server.stop().await;
}
