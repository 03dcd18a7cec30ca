//! Following a real deskmate-server's live events, with the server restarted
//! in the middle; the real OS keyring (run inside scripts/with-session.sh).

#[allow(dead_code)] // each test binary uses a different part of it
use std::time::Duration;

use crate::support::{Account, TestServer};
use deskmate_core::{Core, FollowOptions, LiveUpdate, Sensitive};
use tokio::sync::mpsc;

/// Waits for `want` among the events, within `within`.
pub(crate) async fn expect(
    events: &mut mpsc::UnboundedReceiver<LiveUpdate>,
    want: LiveUpdate,
    within: Duration,
) {
    let deadline = tokio::time::Instant::now() + within;
    loop {
        match tokio::time::timeout_at(deadline, events.recv()).await {
            Ok(Some(e)) if e == want => return,
            Ok(Some(_)) => {}
            Ok(None) => panic!("the follower stopped"),
            Err(_) => panic!("no {want:?} within {within:?}"),
        }
    }
}

/// Waits until the cached conversation of `ticket` has a message `body`.
pub(crate) async fn cached_message(core: &Core, ticket: i64, body: &str, within: Duration) {
    let deadline = tokio::time::Instant::now() + within;
    loop {
        let (messages, _) = core.cache().conversation(ticket).await.unwrap();
        if messages.iter().any(|m| m.body == body) {
            return;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "{body:?} not cached within {within:?}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_agents_answer_arrives_live_even_across_a_server_restart() {
    let server = TestServer::start().await;
    let dir = tempfile::tempdir().unwrap();
    let core = Core::open(dir.path()).await.unwrap();
    core.login(
        &server.url,
        "user@acme.example",
        Sensitive::new("demo-password".into()),
    )
    .await
    .unwrap();
    let (tx, mut events) = mpsc::unbounded_channel();
    let follower = {
        let core = core.clone();
        tokio::spawn(async move {
            core.follow(FollowOptions::default(), move |e| {
                let _ = tx.send(e);
            })
            .await
        })
    };
    expect(
        &mut events,
        LiveUpdate::Online { online: true },
        Duration::from_secs(10),
    )
    .await;
    // Caught up on connecting.
    expect(&mut events, LiveUpdate::Resync, Duration::from_secs(10)).await;
    let ticket = core.cached_tickets().await.unwrap()[0].id;

    let agent = Account::agent(&server.url).await;
    agent.reply(ticket, "First answer, live.").await;
    // Pulled into the cache because the stream said so (no polling here: the
    // follower only pulls on connect and on announcements).
    cached_message(
        &core,
        ticket,
        "First answer, live.",
        Duration::from_secs(10),
    )
    .await;

    let stopped = server.stop_for_a_while().await;
    expect(
        &mut events,
        LiveUpdate::Online { online: false },
        Duration::from_secs(10),
    )
    .await;
    let server = stopped.start_again().await;
    expect(
        &mut events,
        LiveUpdate::Online { online: true },
        Duration::from_secs(40),
    )
    .await;

    let agent = Account::agent(&server.url).await;
    agent
        .reply(ticket, "Second answer, after the restart.")
        .await;
    cached_message(
        &core,
        ticket,
        "Second answer, after the restart.",
        Duration::from_secs(10),
    )
    .await;

    follower.abort();
    server.stop().await;
}
