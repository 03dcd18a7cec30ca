//! Desktop notifications decided by the real core against a real
//! deskmate-server on 127.0.0.1 port 0: what is told (an agent's reply, a
//! status change, a remote-session request, an announcement, an order-delay
//! request), what never is (anything old, the user's own writes, a muted
//! kind, anything a second time: after a restart, a reconnect or a full
//! resync), and what waits for quiet hours or a pause to end and is summed up
//! then. The real OS keyring (run inside scripts/with-session.sh).

#[allow(dead_code)] // each test binary uses a different part of it
use crate::support;

use std::sync::Arc;
use std::time::Duration;

use crate::support::{Account, TestServer};
use chrono::{Timelike, Utc};
use deskmate_api::{Notification, NotifyKind, NotifySettings, NotifyTarget, Pause, QuietHours};
use deskmate_core::{Core, WriteOptions};

/// Pulls what changed, then what to show now.
async fn pulled(core: &Core) -> Vec<Notification> {
    assert!(core.pull_changes().await.unwrap(), "the server answers");
    core.take_notifications().await.unwrap()
}

fn kinds(shown: &[Notification]) -> Vec<Option<NotifyKind>> {
    shown.iter().map(|n| n.kind).collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn what_is_told_once_what_never_is_and_what_waits() {
    let server = TestServer::start().await;
    let dir = tempfile::tempdir().unwrap();
    let core = support::customer(&server, dir.path(), None).await;
    core.set_language(Some("en")).await.unwrap();
    // The first sync of a fresh cache brings old replies, notices, statuses:
    // none is news.
    assert_eq!(pulled(&core).await, []);
    let ticket = core.cached_tickets().await.unwrap()[0].clone();
    let agent = Account::agent(&server.url).await;

    // An agent's reply: titled with the ticket, opening it.
    agent.reply(ticket.id, "Please restart the router.").await;
    let shown = pulled(&core).await;
    assert_eq!(shown.len(), 1, "{shown:?}");
    assert_eq!(shown[0].kind, Some(NotifyKind::Reply));
    assert_eq!(
        shown[0].title,
        format!("New reply · #{} {}", ticket.id, ticket.subject)
    );
    assert!(
        shown[0].body.ends_with(": Please restart the router."),
        "{}",
        shown[0].body
    );
    assert_eq!(shown[0].target, NotifyTarget::Ticket { id: ticket.id });
    assert_eq!(core.take_notifications().await.unwrap(), [], "once");

    // The user's own reply, from this computer and from another one: nothing.
    core.reply(
        ticket.id,
        "Done, still broken.".into(),
        WriteOptions::default(),
    )
    .await
    .unwrap();
    let other_dir = tempfile::tempdir().unwrap();
    let other = support::customer(&server, other_dir.path(), None).await;
    other
        .reply(
            ticket.id,
            "Sent from my laptop.".into(),
            WriteOptions::default(),
        )
        .await
        .unwrap();
    assert_eq!(pulled(&core).await, []);
    let (messages, _) = core.cache().conversation(ticket.id).await.unwrap();
    assert!(messages.iter().any(|m| m.body == "Sent from my laptop."));

    // A status change the agent makes, in the user's language.
    core.set_language(Some("sl")).await.unwrap();
    agent.set_status(ticket.id, "waiting_for_customer").await;
    let shown = pulled(&core).await;
    assert_eq!(kinds(&shown), [Some(NotifyKind::Status)]);
    assert!(
        shown[0].title.starts_with("Čaka na vas · #"),
        "{}",
        shown[0].title
    );
    core.set_language(Some("en")).await.unwrap();

    // A muted kind: nothing, and nothing later either.
    core.set_notify_settings(NotifySettings {
        muted: vec![NotifyKind::Reply],
        ..NotifySettings::default()
    })
    .await
    .unwrap();
    agent.reply(ticket.id, "Muted answer.").await;
    assert_eq!(pulled(&core).await, []);
    core.set_notify_settings(NotifySettings::default())
        .await
        .unwrap();
    assert_eq!(core.take_notifications().await.unwrap(), []);

    // Quiet hours around now (UTC): the reply and the remote-session request
    // wait; when the hours are over, one summary of both comes first.
    let hour = Utc::now().hour();
    let at = |h: u32| chrono::NaiveTime::from_hms_opt(h % 24, 0, 0).unwrap();
    core.set_notify_settings(NotifySettings {
        quiet_hours: Some(QuietHours {
            from: at(hour),
            to: at(hour + 1),
        }),
        time_zone: Some("UTC".into()),
        ..NotifySettings::default()
    })
    .await
    .unwrap();
    assert!(core.notifications_held_until().await.unwrap().is_some());
    agent.reply(ticket.id, "Answer in the quiet hours.").await;
    let (status, body) = agent
        .send(
            reqwest::Method::POST,
            &format!("/api/v1/tickets/{}/remote-sessions", ticket.id),
            Some(serde_json::json!({"reason": "Look at the logs together.", "tool": "anydesk"})),
        )
        .await;
    assert_eq!(status, reqwest::StatusCode::CREATED, "{body}");
    assert_eq!(pulled(&core).await, [], "held");
    core.set_notify_settings(NotifySettings::default())
        .await
        .unwrap();
    let shown = core.take_notifications().await.unwrap();
    assert_eq!(kinds(&shown), [None], "{shown:?}");
    assert_eq!(shown[0].title, "Notifications that waited: 2");
    assert_eq!(shown[0].body, "Replies: 1 · Remote assistance requests: 1");
    assert_eq!(core.take_notifications().await.unwrap(), []);

    // A pause: the announcement waits until the user resumes.
    core.pause_notifications(Pause::Hour).await.unwrap();
    let (status, body) = agent
        .send(
            reqwest::Method::POST,
            "/api/v1/announcements",
            Some(serde_json::json!({
                "kind": "maintenance",
                "title": "Mail servers restart tonight",
                "body": "Expect ten minutes without e-mail.",
                "starts_at": Utc::now() + chrono::Duration::days(1),
                "ends_at": Utc::now() + chrono::Duration::days(1) + chrono::Duration::hours(1),
            })),
        )
        .await;
    assert_eq!(status, reqwest::StatusCode::CREATED, "{body}");
    assert_eq!(pulled(&core).await, []);
    core.pause_notifications(Pause::Resume).await.unwrap();
    let shown = core.take_notifications().await.unwrap();
    assert_eq!(shown.len(), 1);
    assert_eq!(shown[0].title, "Notifications that waited: 1");
    assert_eq!(shown[0].target, NotifyTarget::Announcements);

    // Shown at once when nothing holds it: an order-delay request.
    let (status, body) = agent
        .send(
            reqwest::Method::POST,
            "/api/v1/order-delays",
            Some(serde_json::json!({
                "organisation_id": ticket.organisation_id,
                "order_number": "HST-40001",
                "question": "Which site contact may we call?",
            })),
        )
        .await;
    assert_eq!(status, reqwest::StatusCode::CREATED, "{body}");
    let shown = pulled(&core).await;
    assert_eq!(kinds(&shown), [Some(NotifyKind::OrderDelay)]);
    assert!(
        shown[0].title.ends_with("Order HST-40001"),
        "{}",
        shown[0].title
    );
    assert_eq!(shown[0].body, "Which site contact may we call?");
    assert_eq!(shown[0].target, NotifyTarget::Requests);

    // A restart repeats nothing; a full resync (sync from the start) neither,
    // and what comes after it is told again.
    drop(core);
    let core = Core::open(dir.path()).await.unwrap();
    assert_eq!(pulled(&core).await, []);
    core.cache()
        .call(|c| {
            c.execute("DELETE FROM meta WHERE key = 'sync_cursor'", [])?;
            Ok(())
        })
        .await
        .unwrap();
    assert_eq!(pulled(&core).await, [], "a full resync is old news");
    agent.reply(ticket.id, "After the resync.").await;
    assert_eq!(kinds(&pulled(&core).await), [Some(NotifyKind::Reply)]);

    server.stop().await;
}

/// Waits (up to 40 s: a reconnect backs off) until the follower says `want`.
async fn until(
    seen: &mut tokio::sync::mpsc::UnboundedReceiver<deskmate_core::LiveUpdate>,
    want: deskmate_core::LiveUpdate,
) {
    let deadline = tokio::time::Instant::now() + Duration::from_secs(40);
    loop {
        let event = tokio::time::timeout_at(deadline, seen.recv())
            .await
            .unwrap_or_else(|_| panic!("no {want:?} within 40 s"))
            .unwrap();
        if event == want {
            return;
        }
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_notifier_hands_over_what_the_follower_pulls_and_a_reconnect_repeats_nothing() {
    let server = TestServer::start().await;
    let dir = tempfile::tempdir().unwrap();
    let core = support::customer(&server, dir.path(), None).await;
    core.set_language(Some("en")).await.unwrap();
    let wake = Arc::new(tokio::sync::Notify::new());
    let (shown_tx, mut shown) = tokio::sync::mpsc::unbounded_channel();
    let notifier = {
        let (core, wake) = (core.clone(), Arc::clone(&wake));
        tokio::spawn(async move {
            core.notify(&wake, move |n| {
                let _ = shown_tx.send(n);
            })
            .await
        })
    };
    let (follower, mut events) = support::follow(&core);
    // The shell's part: every live update wakes the notifier; the test
    // hears them too.
    let (seen_tx, mut seen) = tokio::sync::mpsc::unbounded_channel();
    let wake_on = {
        let wake = Arc::clone(&wake);
        tokio::spawn(async move {
            while let Some(event) = events.recv().await {
                wake.notify_one();
                let _ = seen_tx.send(event);
            }
        })
    };
    // Caught up on connecting: old news only.
    let ticket = loop {
        if let Some(t) = core.cached_tickets().await.unwrap().first() {
            break t.clone();
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    let agent = Account::agent(&server.url).await;
    agent.reply(ticket.id, "Live answer.").await;
    let first = tokio::time::timeout(Duration::from_secs(10), shown.recv())
        .await
        .expect("a notification within 10 s")
        .unwrap();
    assert_eq!(first.kind, Some(NotifyKind::Reply), "{first:?}");
    assert!(first.title.contains(&format!("#{}", ticket.id)));

    // The server goes away and comes back: the reconnect's catch-up pulls
    // again, and the same reply is not told again; the next one is.
    let stopped = server.stop_for_a_while().await;
    until(
        &mut seen,
        deskmate_core::LiveUpdate::Online { online: false },
    )
    .await;
    let server = stopped.start_again().await;
    until(
        &mut seen,
        deskmate_core::LiveUpdate::Online { online: true },
    )
    .await;
    until(&mut seen, deskmate_core::LiveUpdate::Resync).await;
    let agent = Account::agent(&server.url).await;
    agent.reply(ticket.id, "After the reconnect.").await;
    let next = tokio::time::timeout(Duration::from_secs(10), shown.recv())
        .await
        .expect("the next notification")
        .unwrap();
    assert!(next.body.ends_with("After the reconnect."), "{next:?}");
    assert!(
        shown.try_recv().is_err(),
        "nothing else: {:?}",
        shown.try_recv()
    );

    follower.abort();
    wake_on.abort();
    notifier.abort();
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_tray_shows_the_recent_open_tickets_unread_ones_and_maintenance_under_way() {
    use deskmate_api::TicketStatus;
    use deskmate_core::TRAY_TICKETS;

    let server = TestServer::start().await;
    let dir = tempfile::tempdir().unwrap();
    let core = support::customer(&server, dir.path(), None).await;
    assert!(core.pull_changes().await.unwrap());
    let before = core.tray_state().await.unwrap();
    assert!(!before.open_tickets.is_empty());
    assert!(before.open_tickets.len() <= TRAY_TICKETS);
    assert!(before.open_tickets.iter().all(|t| matches!(
        t.status,
        TicketStatus::Open | TicketStatus::WaitingForCustomer
    )));
    assert!(
        before
            .open_tickets
            .windows(2)
            .all(|w| w[0].updated_at >= w[1].updated_at),
        "newest activity first"
    );

    // Closed by the agent: off the menu. Answered: first, and unread.
    let agent = Account::agent(&server.url).await;
    let closed = before.open_tickets[0].id;
    agent.set_status(closed, "closed").await;
    let answered = before.open_tickets.last().unwrap().id;
    agent.reply(answered, "Here is what we found.").await;
    let now = Utc::now();
    let (status, body) = agent
        .send(
            reqwest::Method::POST,
            "/api/v1/announcements",
            Some(serde_json::json!({
                "kind": "maintenance",
                "title": "Storage maintenance under way",
                "body": "Slower disks until noon.",
                "starts_at": now - chrono::Duration::hours(1),
                "ends_at": now + chrono::Duration::hours(1),
            })),
        )
        .await;
    assert_eq!(status, reqwest::StatusCode::CREATED, "{body}");
    assert!(core.pull_changes().await.unwrap());
    let after = core.tray_state().await.unwrap();
    assert!(!after.open_tickets.iter().any(|t| t.id == closed));
    assert_eq!(after.open_tickets[0].id, answered);
    assert!(after.unread > before.unread || after.open_tickets[0].unread);
    assert!(after.notice_active);
    server.stop().await;
}
