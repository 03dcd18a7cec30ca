//! When the customer can be reached, through the real core against a real
//! deskmate-server on 127.0.0.1 port 0: said offline and sent later, said
//! for a ticket still waiting to be filed, refused by the helpdesk, and
//! changed on another device. The real OS keyring (scripts/with-session.sh).

#[allow(dead_code)] // each test binary uses a different part of it
use crate::support::{Account, TestServer};
use deskmate_api::{
    Availability, Department, ErrorCode, FileOutcome, NewTicket, OutboxKind, OutboxState, Priority,
    Ticket,
};
use deskmate_core::{Core, Sensitive, WriteOptions};

const USER: &str = "user@acme.example";

async fn signed_in(server: &TestServer) -> (tempfile::TempDir, Core) {
    let dir = tempfile::tempdir().unwrap();
    let core = Core::open(dir.path()).await.unwrap();
    core.login(
        &server.url,
        USER,
        Sensitive::new("demo-password".to_owned()),
    )
    .await
    .unwrap();
    (dir, core)
}

fn office_hours() -> Availability {
    Availability {
        time_zone: "Europe/Prague".into(),
        weekly: vec!["mon-fri 09:00-17:00".parse().unwrap()],
        dated: vec![],
        note: Some("Ask for Umberto.".into()),
    }
}

fn new_ticket(subject: &str) -> NewTicket {
    NewTicket::new(
        Department::Technical,
        Priority::Regular,
        subject,
        "The VPN drops every ten minutes.",
    )
}

async fn filed(core: &Core, subject: &str) -> Ticket {
    match core
        .file_ticket(new_ticket(subject), WriteOptions::default())
        .await
        .unwrap()
    {
        FileOutcome::Sent { ticket } => *ticket,
        other => panic!("not sent: {other:?}"),
    }
}

async fn cached(core: &Core, id: i64) -> Ticket {
    core.cache().ticket(id).await.unwrap().unwrap()
}

async fn on_server(account: &Account, id: i64) -> serde_json::Value {
    let (status, body) = account
        .send(reqwest::Method::GET, &format!("/api/v1/tickets/{id}"), None)
        .await;
    assert_eq!(status, reqwest::StatusCode::OK, "{body}");
    body["ticket"]["availability"].clone()
}

fn queued(outcome: FileOutcome) -> deskmate_api::OutboxItem {
    match outcome {
        FileOutcome::Queued { item } => *item,
        other => panic!("not queued: {other:?}"),
    }
}

#[tokio::test]
async fn said_offline_it_waits_as_pending_and_is_sent_when_the_helpdesk_is_back() {
    let server = TestServer::start().await;
    let (_dir, core) = signed_in(&server).await;
    let ticket = filed(&core, "VPN drops").await;
    assert_eq!(ticket.availability, None);

    let stopped = server.stop_for_a_while().await;
    let item = queued(
        core.set_availability(ticket.id, Some(office_hours()))
            .await
            .unwrap(),
    );
    assert_eq!(
        (item.kind, item.state, item.ticket_id),
        (
            OutboxKind::SetAvailability,
            OutboxState::Pending,
            Some(ticket.id)
        )
    );
    assert!(
        item.summary.contains("mon-fri 09:00-17:00"),
        "{}",
        item.summary
    );
    // The ticket's view shows it waiting.
    let view = core.ticket_view(ticket.id, false).await.unwrap();
    assert_eq!(view.pending.len(), 1);
    assert_eq!(view.pending[0].local_id, item.local_id);

    let server = stopped.start_again().await;
    let report = core.drain_outbox(true).await.unwrap();
    assert_eq!((report.sent, report.pending), (1, 0));
    assert_eq!(
        cached(&core, ticket.id).await.availability,
        Some(office_hours())
    );
    let colleague = Account::sign_in(&server.url, "admin@acme.example").await;
    assert_eq!(
        on_server(&colleague, ticket.id).await,
        serde_json::to_value(office_hours()).unwrap()
    );

    // Taking it back online is sent at once.
    match core.set_availability(ticket.id, None).await.unwrap() {
        FileOutcome::Sent { ticket } => assert_eq!(ticket.availability, None),
        other => panic!("not sent: {other:?}"),
    }
    assert_eq!(cached(&core, ticket.id).await.availability, None);
    assert_eq!(
        on_server(&colleague, ticket.id).await,
        serde_json::Value::Null
    );
    assert!(core.outbox().await.unwrap().is_empty());
    server.stop().await;
}

#[tokio::test]
async fn said_for_a_ticket_still_waiting_to_be_filed_it_follows_the_ticket() {
    let server = TestServer::start().await;
    let (_dir, core) = signed_in(&server).await;
    let stopped = server.stop_for_a_while().await;
    let ticket_item = queued(
        core.file_ticket(new_ticket("Filed offline"), WriteOptions::default())
            .await
            .unwrap(),
    );
    let item = queued(
        core.set_pending_ticket_availability(ticket_item.local_id, Some(office_hours()))
            .await
            .unwrap(),
    );
    assert_eq!(
        (item.kind, item.state),
        (OutboxKind::SetAvailability, OutboxState::Pending)
    );
    assert_eq!(
        item.ticket_id, None,
        "no ticket id before the helpdesk files it"
    );
    let err = core
        .set_pending_ticket_availability(9_999, Some(office_hours()))
        .await
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::NotFound, "{err}");
    assert_eq!(core.outbox().await.unwrap().len(), 2);

    let server = stopped.start_again().await;
    let report = core.drain_outbox(true).await.unwrap();
    assert_eq!((report.sent, report.failed, report.pending), (2, 0, 0));
    let tickets = core.cached_tickets().await.unwrap();
    let filed = tickets
        .iter()
        .find(|t| t.subject == "Filed offline")
        .unwrap();
    assert_eq!(filed.availability, Some(office_hours()));
    let me = Account::sign_in(&server.url, USER).await;
    assert_eq!(
        on_server(&me, filed.id).await,
        serde_json::to_value(office_hours()).unwrap()
    );
    server.stop().await;
}

#[tokio::test]
async fn a_refusal_marks_the_item_failed_with_the_helpdesk_s_word() {
    let server = TestServer::start().await;
    let (_dir, core) = signed_in(&server).await;
    let ticket = filed(&core, "VPN drops").await;

    // Checked here first: nothing is queued.
    let mut bad = office_hours();
    bad.time_zone = "Mars/Olympus".into();
    let err = core
        .set_availability(ticket.id, Some(bad))
        .await
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::Validation, "{err}");
    assert!(err.to_string().contains("Mars/Olympus"), "{err}");
    assert!(core.outbox().await.unwrap().is_empty());

    // The agent closed the ticket meanwhile; the cache does not know yet.
    Account::agent(&server.url)
        .await
        .set_status(ticket.id, "closed")
        .await;
    let item = queued(
        core.set_availability(ticket.id, Some(office_hours()))
            .await
            .unwrap(),
    );
    assert_eq!(item.state, OutboxState::Failed);
    let error = item.error.unwrap();
    assert_eq!(error.code, ErrorCode::Conflict);
    assert!(error.message.contains("closed"), "{}", error.message);
    assert_eq!(cached(&core, ticket.id).await.availability, None);

    // Another organisation's ticket, or none: the helpdesk does not know it.
    let item = queued(core.set_availability(1_000_000, None).await.unwrap());
    assert_eq!(item.state, OutboxState::Failed);
    assert_eq!(item.error.unwrap().code, ErrorCode::NotFound);
    server.stop().await;
}

#[tokio::test]
async fn another_device_s_change_arrives_by_sync() {
    let server = TestServer::start().await;
    let (_dir, core) = signed_in(&server).await;
    let ticket = filed(&core, "VPN drops").await;
    assert!(core.pull_changes().await.unwrap());

    let other_device = Account::sign_in(&server.url, USER).await;
    let path = format!("/api/v1/tickets/{}/availability", ticket.id);
    let (status, body) = other_device
        .send(
            reqwest::Method::PUT,
            &path,
            Some(serde_json::to_value(office_hours()).unwrap()),
        )
        .await;
    assert_eq!(status, reqwest::StatusCode::OK, "{body}");
    core.pull_changes().await.unwrap();
    let availability = cached(&core, ticket.id).await.availability.unwrap();
    assert_eq!(availability, office_hours());
    // The shared arithmetic, as the app uses it.
    let now = chrono::Utc::now();
    let reach = deskmate_core::availability::reachability(Some(&availability), now);
    assert_eq!(
        reach.reachable_now,
        deskmate_core::availability::reachable_at(&availability, now)
    );
    assert!(reach.next_reachable_at.is_some());

    let (status, _) = other_device
        .send(reqwest::Method::DELETE, &path, None)
        .await;
    assert_eq!(status, reqwest::StatusCode::OK);
    core.pull_changes().await.unwrap();
    assert_eq!(cached(&core, ticket.id).await.availability, None);
    server.stop().await;
}

#[tokio::test]
async fn said_for_a_ticket_the_helpdesk_refused_it_fails_too() {
    let server = TestServer::start().await;
    let dir = tempfile::tempdir().unwrap();
    let core = Core::open(dir.path()).await.unwrap();
    // Agents do not file tickets: the helpdesk refuses this one.
    core.login(
        &server.url,
        "agent@provider.example",
        Sensitive::new("demo-password".to_owned()),
    )
    .await
    .unwrap();
    let ticket_item = queued(
        core.file_ticket(new_ticket("Not mine"), WriteOptions::default())
            .await
            .unwrap(),
    );
    assert_eq!(ticket_item.state, OutboxState::Failed);

    let item = queued(
        core.set_pending_ticket_availability(ticket_item.local_id, Some(office_hours()))
            .await
            .unwrap(),
    );
    assert_eq!(item.state, OutboxState::Failed);
    let error = item.error.unwrap();
    assert_eq!(error.code, ErrorCode::Validation);
    assert!(error.message.contains("not filed"), "{}", error.message);
    server.stop().await;
}
