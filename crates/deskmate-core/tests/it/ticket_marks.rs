//! Read/unread marks, the queue facts of a waiting ticket and the chosen
//! language: the real core against a real deskmate-server on 127.0.0.1 port 0
//! (run inside scripts/with-session.sh for the keyring).

#[allow(dead_code)] // each test binary uses a different part of it
use crate::support;

use crate::support::TestServer;
use chrono::Utc;
use deskmate_api::{
    Department, ErrorCode, FileOutcome, NewTicket, Priority, TICKET_PAGE_MAX, TicketListQuery,
};
use deskmate_core::{Core, Sensitive, WriteOptions};

fn password() -> Sensitive<String> {
    Sensitive::new("demo-password".to_owned())
}

async fn file(core: &Core, subject: &str, priority: Priority) -> i64 {
    let ticket = NewTicket::new(
        Department::Technical,
        priority,
        subject,
        "The control panel shows error 502 since this morning.",
    );
    match core
        .file_ticket(ticket, WriteOptions::default())
        .await
        .unwrap()
    {
        FileOutcome::Sent { ticket } => ticket.id,
        FileOutcome::Queued { item } => panic!("online, the ticket is sent: {item:?}"),
    }
}

/// The list's pages mark and count exactly the tickets `unread_tickets` names.
async fn pages_agree(core: &Core) {
    let mut unread = core.unread_tickets().await.unwrap();
    let page = core
        .ticket_page(TicketListQuery {
            limit: TICKET_PAGE_MAX,
            ..Default::default()
        })
        .await
        .unwrap();
    assert_eq!(page.next, None, "the demo fits one page");
    assert_eq!(page.tickets.len(), page.cached as usize);
    let mut marked: Vec<i64> = page
        .tickets
        .iter()
        .filter(|t| t.unread)
        .map(|t| t.id)
        .collect();
    marked.sort_unstable();
    unread.sort_unstable();
    assert_eq!(marked, unread);
    assert_eq!(page.unread as usize, unread.len());
}

#[tokio::test]
async fn answers_of_the_provider_make_a_ticket_unread_until_opened() {
    let server = TestServer::start().await;
    let dir = tempfile::tempdir().unwrap();
    let core = Core::open(dir.path()).await.unwrap();
    let me = core
        .login(&server.url, "user@acme.example", password())
        .await
        .unwrap();
    let listed = core.refresh_tickets().await.unwrap().tickets;

    // At sign-in: the colleague's tickets never opened, and mine the provider
    // answered, are unread; mine without an answer are not.
    let unread = core.unread_tickets().await.unwrap();
    let colleagues: Vec<i64> = listed
        .iter()
        .filter(|t| t.requester_id != me.id)
        .map(|t| t.id)
        .collect();
    assert!(!colleagues.is_empty(), "the demo has admin@acme's tickets");
    assert!(
        colleagues.iter().all(|id| unread.contains(id)),
        "{unread:?}"
    );
    pages_agree(&core).await;

    // A ticket I just filed is not unread.
    let id = file(&core, "Control panel 502", Priority::Regular).await;
    assert!(!core.unread_tickets().await.unwrap().contains(&id));

    // The provider answers; the sync brings it and the ticket is unread.
    let agent = support::Account::agent(&server.url).await;
    agent.reply(id, "Which browser do you use?").await;
    assert!(
        !core.unread_tickets().await.unwrap().contains(&id),
        "not synced yet"
    );
    assert!(core.refresh().await.unwrap(), "the helpdesk answered");
    assert!(core.unread_tickets().await.unwrap().contains(&id));
    pages_agree(&core).await;

    // Opening it (even from the cache, offline) marks it read.
    core.ticket_view(id, false).await.unwrap();
    assert!(!core.unread_tickets().await.unwrap().contains(&id));
    pages_agree(&core).await;
    // My own reply does not make it unread again; the next answer does.
    core.reply(id, "Firefox 140.".into(), WriteOptions::default())
        .await
        .unwrap();
    core.refresh_tickets().await.unwrap();
    assert!(!core.unread_tickets().await.unwrap().contains(&id));
    agent.reply(id, "Fixed, please check.").await;
    core.refresh_tickets().await.unwrap();
    assert!(core.unread_tickets().await.unwrap().contains(&id));
    core.ticket_view(id, true).await.unwrap();
    let unread = core.unread_tickets().await.unwrap();
    assert!(!unread.contains(&id));

    // Read marks belong to the account and survive signing out and in again.
    core.logout().await.unwrap();
    assert!(
        core.unread_tickets().await.unwrap().is_empty(),
        "no one signed in"
    );
    pages_agree(&core).await;
    core.login(&server.url, "user@acme.example", password())
        .await
        .unwrap();
    core.refresh_tickets().await.unwrap();
    assert_eq!(core.unread_tickets().await.unwrap(), unread);

    // Someone else at this desk has read none of the organisation's tickets.
    core.login(&server.url, "admin@acme.example", password())
        .await
        .unwrap();
    core.refresh_tickets().await.unwrap();
    assert!(core.unread_tickets().await.unwrap().contains(&id));
    server.stop().await;
}

#[tokio::test]
async fn a_waiting_ticket_shows_its_place_in_the_queue_online_and_offline() {
    let server = TestServer::start().await;
    let dir = tempfile::tempdir().unwrap();
    let core = Core::open(dir.path()).await.unwrap();
    core.login(&server.url, "user@acme.example", password())
        .await
        .unwrap();
    let regular = file(&core, "Slow mail", Priority::Regular).await;
    let high = file(&core, "Shop down", Priority::High).await;

    let before = Utc::now();
    let view = core.ticket_view(high, true).await.unwrap();
    assert!(view.online);
    let high_position = view.queue_position.expect("a waiting ticket has a place");
    let due = view.first_response_due_at.expect("and a deadline");
    let hours = (due - view.ticket.created_at).num_minutes() as f64 / 60.0;
    assert!(
        (hours - 4.0).abs() < 0.02,
        "high priority: 4 h, got {hours}"
    );
    let checked = view.queue_checked_at.unwrap();
    assert!(checked >= before && checked <= Utc::now());

    let view = core.ticket_view(regular, true).await.unwrap();
    let regular_position = view.queue_position.unwrap();
    assert!(
        high_position < regular_position,
        "high priority goes first: {high_position} vs {regular_position}"
    );
    let hours = (view.first_response_due_at.unwrap() - view.ticket.created_at).num_minutes();
    assert_eq!(hours, 24 * 60, "regular priority: 24 h");

    // Offline: the cache still knows, as of when the helpdesk said it.
    let stopped = server.stop_for_a_while().await;
    let offline = core.ticket_view(high, true).await.unwrap();
    assert!(!offline.online);
    assert_eq!(offline.queue_position, Some(high_position));
    assert_eq!(
        offline.first_response_due_at.map(|t| t.timestamp()),
        Some(due.timestamp())
    );
    assert_eq!(
        offline.queue_checked_at.map(|t| t.timestamp_micros()),
        Some(checked.timestamp_micros())
    );

    // Once the provider answered, the ticket no longer waits: no queue facts,
    // even before the detail is asked of the helpdesk again.
    let server = stopped.start_again().await;
    support::Account::agent(&server.url)
        .await
        .reply(high, "Looking into it.")
        .await;
    core.refresh_tickets().await.unwrap();
    let cached = core.ticket_view(high, false).await.unwrap();
    assert_eq!(
        (cached.queue_position, cached.first_response_due_at),
        (None, None)
    );
    let fresh = core.ticket_view(high, true).await.unwrap();
    assert_eq!((fresh.queue_position, fresh.queue_checked_at), (None, None));
    // The regular one moved up.
    let moved = core.ticket_view(regular, true).await.unwrap();
    assert_eq!(moved.queue_position, Some(regular_position - 1));
    server.stop().await;
}

#[tokio::test]
async fn the_chosen_language_is_kept_across_restarts_and_sign_outs() {
    let dir = tempfile::tempdir().unwrap();
    let core = Core::open(dir.path()).await.unwrap();
    assert_eq!(
        core.language().await.unwrap(),
        None,
        "the system's at first"
    );
    core.set_language(Some("sl")).await.unwrap();
    for bad in ["", "not a tag", "<b>", "x"] {
        let err = core.set_language(Some(bad)).await.unwrap_err();
        assert_eq!(err.code(), ErrorCode::Validation, "{bad:?}");
    }
    drop(core);
    let core = Core::open(dir.path()).await.unwrap();
    assert_eq!(core.language().await.unwrap().as_deref(), Some("sl"));
    core.logout().await.unwrap();
    assert_eq!(core.language().await.unwrap().as_deref(), Some("sl"));
    core.set_language(None).await.unwrap();
    drop(core);
    let core = Core::open(dir.path()).await.unwrap();
    assert_eq!(core.language().await.unwrap(), None);
}
