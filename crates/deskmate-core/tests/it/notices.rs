//! The provider's notices in the real core against a real deskmate-server on
//! 127.0.0.1 port 0: announcements and maintenance by sync (and withdrawn by
//! it), remote-session requests by the live stream, answers through the
//! outbox offline and refused. The real OS keyring (scripts/with-session.sh).

#[allow(dead_code)] // each test binary uses a different part of it
use std::time::Duration;

use crate::support::{Account, TestServer};
use deskmate_api::{
    AnnouncementKind, ErrorCode, OrderDelayAnswer, OrderDelayKind, OrderDelayStatus, OutboxKind,
    OutboxState, RemoteSession, RemoteSessionStatus,
};
use deskmate_core::{Core, FollowOptions, LiveUpdate, Sensitive};

const PASSWORD: &str = "demo-password";

/// The remote sessions of `ticket` on the server, as `account` sees them.
async fn remote_sessions_on_server(account: &Account, ticket: i64) -> Vec<RemoteSession> {
    let (status, body) = account
        .send(
            reqwest::Method::GET,
            &format!("/api/v1/tickets/{ticket}/remote-sessions"),
            None,
        )
        .await;
    assert_eq!(status, reqwest::StatusCode::OK, "{body}");
    serde_json::from_value(body["remote_sessions"].clone()).unwrap()
}

async fn signed_in(server: &TestServer, email: &str) -> (tempfile::TempDir, Core) {
    let dir = tempfile::tempdir().unwrap();
    let core = Core::open(dir.path()).await.unwrap();
    core.login(&server.url, email, Sensitive::new(PASSWORD.to_owned()))
        .await
        .unwrap();
    (dir, core)
}

/// Polls `check` until it holds, within `within`.
async fn eventually<F, Fut>(what: &str, within: Duration, mut check: F)
where
    F: FnMut() -> Fut,
    Fut: std::future::Future<Output = bool>,
{
    let deadline = tokio::time::Instant::now() + within;
    while !check().await {
        assert!(
            tokio::time::Instant::now() < deadline,
            "{what}: not within {within:?}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test]
async fn announcements_arrive_by_sync_and_a_withdrawn_one_leaves_the_cache() {
    let server = TestServer::start().await;
    let (_dir, core) = signed_in(&server, "admin@acme.example").await;
    assert!(
        core.announcements().await.unwrap().is_empty(),
        "nothing before the first pull"
    );
    assert!(core.refresh_tickets().await.unwrap().online);

    // The news for everyone (in effect since two days) first, then Acme's
    // maintenance next week, then the works on Acme's mail service, named
    // as Acme names it; Globex's maintenance and the works on its SIP
    // service are not Acme's business.
    let list = core.announcements().await.unwrap();
    let kinds: Vec<AnnouncementKind> = list.iter().map(|a| a.kind).collect();
    assert_eq!(
        kinds,
        [
            AnnouncementKind::Announcement,
            AnnouncementKind::Maintenance,
            AnnouncementKind::Maintenance
        ],
        "{list:?}"
    );
    assert_eq!(list[2].title, "Planned maintenance: mail relay upgrade");
    assert_eq!(list[2].services.len(), 1);
    assert_eq!(list[2].services[0].name.as_deref(), Some("E-mail hosting"));
    let maintenance = &list[1];
    assert!(
        maintenance
            .affected_services
            .contains(&"E-mail hosting".to_owned())
    );
    assert!(maintenance.starts_at.unwrap() < maintenance.ends_at.unwrap());
    // The other notices came with the same pull.
    let delays = core.order_delays().await.unwrap();
    let mut orders: Vec<(&str, OrderDelayKind)> = delays
        .iter()
        .map(|d| (d.order_delay.order_number.as_str(), d.order_delay.kind))
        .collect();
    orders.sort_by_key(|(order, _)| *order);
    assert_eq!(
        orders,
        [
            ("HST-21093", OrderDelayKind::Information),
            ("HST-21107", OrderDelayKind::ResolutionDate),
            ("HST-21188", OrderDelayKind::ExtraCharge),
        ]
    );
    assert_eq!(core.remote_session_requests().await.unwrap().len(), 1);

    let agent = Account::sign_in(&server.url, "agent@provider.example").await;
    let (status, _) = agent
        .send(
            reqwest::Method::DELETE,
            &format!("/api/v1/announcements/{}", maintenance.id),
            None,
        )
        .await;
    assert_eq!(status, reqwest::StatusCode::NO_CONTENT);
    assert!(core.refresh_tickets().await.unwrap().online);
    let ids: Vec<i64> = core
        .announcements()
        .await
        .unwrap()
        .iter()
        .map(|a| a.id)
        .collect();
    assert_eq!(
        ids,
        [list[0].id, list[2].id],
        "the withdrawn maintenance is gone"
    );

    // Signing out forgets the notices with the tickets.
    core.logout().await.unwrap();
    assert!(core.announcements().await.unwrap().is_empty());
    assert!(core.order_delays().await.unwrap().is_empty());
    server.stop().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_remote_session_request_arrives_live_and_an_offline_answer_is_sent_once() {
    let server = TestServer::start().await;
    let (_dir, core) = signed_in(&server, "admin@acme.example").await;
    let (tx, mut events) = tokio::sync::mpsc::unbounded_channel();
    let follower = {
        let core = core.clone();
        tokio::spawn(async move {
            core.follow(FollowOptions::default(), move |e| {
                let _ = tx.send(e);
            })
            .await
        })
    };
    // Connected and caught up.
    let mut connected = false;
    while !connected {
        let event = tokio::time::timeout(Duration::from_secs(10), events.recv())
            .await
            .unwrap()
            .unwrap();
        connected = event == LiveUpdate::Resync;
    }
    let ticket = core.cached_tickets().await.unwrap()[0].id;
    let before = core.remote_sessions(ticket).await.unwrap().len();

    let agent = Account::sign_in(&server.url, "agent@provider.example").await;
    let (status, body) = agent
        .send(
            reqwest::Method::POST,
            &format!("/api/v1/tickets/{ticket}/remote-sessions"),
            Some(serde_json::json!({"reason": "Check the VPN client logs together.", "tool": "anydesk"})),
        )
        .await;
    assert_eq!(status, reqwest::StatusCode::CREATED, "{body}");
    let id = body["id"].as_i64().unwrap();
    // Pulled because the stream announced it (the follower does not poll).
    eventually(
        "the request in the cache",
        Duration::from_secs(10),
        || async {
            core.remote_session_requests()
                .await
                .unwrap()
                .iter()
                .any(|v| v.remote_session.id == id)
        },
    )
    .await;
    let of_ticket = core.remote_sessions(ticket).await.unwrap();
    assert_eq!(of_ticket.len(), before + 1);
    let request = &of_ticket.last().unwrap().remote_session;
    assert_eq!(request.reason, "Check the VPN client logs together.");
    assert_eq!(request.status, RemoteSessionStatus::Requested);

    // Offline: the answer waits in the outbox and the views show it given.
    let stopped = server.stop_for_a_while().await;
    let view = core.answer_remote_session(id, true).await.unwrap();
    assert_eq!(view.remote_session.status, RemoteSessionStatus::Accepted);
    let item = view.answer.unwrap();
    assert_eq!(
        (item.kind, item.state),
        (OutboxKind::RemoteSessionAnswer, OutboxState::Pending)
    );
    let waiting = core.remote_session_requests().await.unwrap();
    let shown = waiting.iter().find(|v| v.remote_session.id == id).unwrap();
    assert_eq!(shown.remote_session.status, RemoteSessionStatus::Accepted);
    assert!(shown.answer.is_some());
    // A second answer to the same request is refused here, before any network.
    let err = core.answer_remote_session(id, false).await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::Validation, "{err}");
    assert_eq!(core.outbox().await.unwrap().len(), 1);

    // Back online: the follower reconnects and sends it.
    let server = stopped.start_again().await;
    eventually("the answer sent", Duration::from_secs(40), || async {
        core.outbox().await.unwrap().is_empty()
    })
    .await;
    let view = core
        .remote_sessions(ticket)
        .await
        .unwrap()
        .into_iter()
        .find(|v| v.remote_session.id == id)
        .unwrap();
    assert_eq!(view.remote_session.status, RemoteSessionStatus::Accepted);
    assert!(view.answer.is_none());
    assert!(view.remote_session.answered_at.is_some());
    // Under way: still listed, so that the user can end it.
    let listed = core.remote_session_requests().await.unwrap();
    let under_way = listed.iter().find(|v| v.remote_session.id == id).unwrap();
    assert_eq!(
        under_way.remote_session.status,
        RemoteSessionStatus::Accepted
    );
    assert!(under_way.answer.is_none());
    let agent = Account::sign_in(&server.url, "agent@provider.example").await;
    let on_server = remote_sessions_on_server(&agent, ticket).await;
    let answered = on_server.iter().find(|s| s.id == id).unwrap();
    assert_eq!(answered.status, RemoteSessionStatus::Accepted);
    assert_eq!(
        on_server.len(),
        before + 1,
        "one request, answered once: {on_server:?}"
    );

    follower.abort();
    server.stop().await;
}

/// The demo's order-delay request that asks in words.
async fn in_words(core: &Core) -> i64 {
    let delays = core.order_delays().await.unwrap();
    let words = delays
        .iter()
        .find(|d| d.order_delay.kind == OrderDelayKind::Information);
    words.unwrap().order_delay.id
}

async fn delay(core: &Core, id: i64) -> deskmate_api::OrderDelayView {
    let delays = core.order_delays().await.unwrap();
    delays.into_iter().find(|d| d.order_delay.id == id).unwrap()
}

#[tokio::test]
async fn an_order_delay_answer_the_server_refuses_is_kept_as_failed_with_its_reason() {
    let server = TestServer::start().await;
    let (_dir, core) = signed_in(&server, "admin@acme.example").await;
    core.refresh_tickets().await.unwrap();
    let id = in_words(&core).await;

    // Refused here: empty, unknown.
    let err = core
        .answer_order_delay(id, OrderDelayAnswer::words("  "))
        .await
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::Validation);
    let err = core
        .answer_order_delay(999_999, OrderDelayAnswer::words("x"))
        .await
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::NotFound);
    assert!(core.outbox().await.unwrap().is_empty());

    // A colleague answers first; this cache does not know yet.
    let colleague = Account::sign_in(&server.url, "user@acme.example").await;
    let (status, body) = colleague
        .send(
            reqwest::Method::POST,
            &format!("/api/v1/order-delays/{id}/answer"),
            Some(serde_json::json!({"answer": "EPP code sent by e-mail."})),
        )
        .await;
    assert_eq!(status, reqwest::StatusCode::OK, "{body}");

    let view = core
        .answer_order_delay(id, OrderDelayAnswer::words("The EPP code is X7-PLQ."))
        .await
        .unwrap();
    let item = view.answer.clone().unwrap();
    assert_eq!(item.kind, OutboxKind::OrderDelayAnswer);
    assert_eq!(item.state, OutboxState::Failed);
    let error = item.error.unwrap();
    assert_eq!(error.code, ErrorCode::Conflict);
    assert!(error.message.contains("answered"), "{}", error.message);
    // Refused: the request shows as the helpdesk last said, not optimistically.
    assert_eq!(view.order_delay.status, OrderDelayStatus::Open);
    assert_eq!(item.text.as_deref(), Some("The EPP code is X7-PLQ."));

    // The next pull brings the colleague's answer; the failed item stays
    // until discarded, and a new answer is refused here.
    core.refresh_tickets().await.unwrap();
    let view = delay(&core, id).await;
    assert_eq!(view.order_delay.status, OrderDelayStatus::Answered);
    assert_eq!(
        view.order_delay.answer.as_deref(),
        Some("EPP code sent by e-mail.")
    );
    assert_eq!(
        view.answer.as_ref().map(|i| i.state),
        Some(OutboxState::Failed)
    );
    let err = core
        .answer_order_delay(id, OrderDelayAnswer::words("Again"))
        .await
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::Validation);
    core.discard_outbox_item(item.local_id).await.unwrap();
    assert!(delay(&core, id).await.answer.is_none());
    server.stop().await;
}

#[tokio::test]
async fn an_order_delay_answered_offline_shows_as_given_and_is_sent_on_sync() {
    let server = TestServer::start().await;
    let (_dir, core) = signed_in(&server, "admin@acme.example").await;
    core.refresh_tickets().await.unwrap();
    let id = in_words(&core).await;
    let stopped = server.stop_for_a_while().await;

    let view = core
        .answer_order_delay(id, OrderDelayAnswer::words("Code: 9QZ-44"))
        .await
        .unwrap();
    assert_eq!(view.order_delay.status, OrderDelayStatus::Answered);
    assert_eq!(view.order_delay.answer.as_deref(), Some("Code: 9QZ-44"));
    let me = core.session().await.unwrap().unwrap().user;
    assert_eq!(view.order_delay.answered_by_name, Some(me.name));
    assert_eq!(view.answer.unwrap().state, OutboxState::Pending);

    let server = stopped.start_again().await;
    assert_eq!(core.drain_outbox(true).await.unwrap().sent, 1);
    let view = delay(&core, id).await;
    assert!(view.answer.is_none());
    assert_eq!(view.order_delay.status, OrderDelayStatus::Answered);
    let colleague = Account::sign_in(&server.url, "user@acme.example").await;
    let (_, body) = colleague
        .send(reqwest::Method::GET, "/api/v1/order-delays", None)
        .await;
    let sent = body["order_delays"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["id"] == id)
        .unwrap();
    assert_eq!(sent["answer"], "Code: 9QZ-44");
    server.stop().await;
}

#[tokio::test]
async fn a_typed_answer_is_checked_here_and_arrives_in_its_fields() {
    let server = TestServer::start().await;
    let (_dir, core) = signed_in(&server, "admin@acme.example").await;
    core.refresh_tickets().await.unwrap();
    let delays = core.order_delays().await.unwrap();
    let charge = delays
        .iter()
        .find(|d| d.order_delay.kind == OrderDelayKind::ExtraCharge)
        .unwrap();
    let id = charge.order_delay.id;
    assert_eq!(
        charge.order_delay.charge.as_ref().unwrap().amount_minor,
        18_000
    );

    // The wrong kind of answer is refused here, before anything is queued.
    let err = core
        .answer_order_delay(id, OrderDelayAnswer::words("Fine by us"))
        .await
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::Validation);
    assert!(core.outbox().await.unwrap().is_empty());

    let accept = OrderDelayAnswer {
        charge_accepted: Some(true),
        ..OrderDelayAnswer::default()
    };
    let view = core.answer_order_delay(id, accept).await.unwrap();
    assert!(view.answer.is_none(), "sent at once");
    assert_eq!(view.order_delay.status, OrderDelayStatus::Answered);
    assert_eq!(view.order_delay.charge_accepted, Some(true));
    let agent = Account::sign_in(&server.url, "agent@provider.example").await;
    let (_, body) = agent
        .send(reqwest::Method::GET, "/api/v1/order-delays", None)
        .await;
    let on_server = body["order_delays"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["id"] == id)
        .unwrap();
    assert_eq!(on_server["charge_accepted"], true);
    assert_eq!(on_server["status"], "answered");
    server.stop().await;
}
