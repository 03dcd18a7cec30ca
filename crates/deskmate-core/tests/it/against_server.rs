//! The real core against a real deskmate-server on 127.0.0.1 port 0, with a
//! temp cache and the real OS keyring (run inside scripts/with-session.sh).

#[allow(dead_code)] // each test binary uses a different part of it
use crate::support;

use crate::support::{TestServer, server_subjects};
use deskmate_api::{
    AuthorKind, Department, ErrorCode, FileOutcome, NewTicket, OutboxKind, OutboxState, Priority,
    Ticket, TicketStatus, WriteOutcome,
};
use deskmate_core::backend::Backend as _;
use deskmate_core::{Core, Sensitive, WriteOptions};

fn sent(outcome: FileOutcome) -> Ticket {
    match outcome {
        FileOutcome::Sent { ticket } => *ticket,
        FileOutcome::Queued { item } => panic!("expected the ticket sent, it is queued: {item:?}"),
    }
}

/// A demo server, a fresh cache and a core signed in to it as `email`.
async fn signed_in(email: &str) -> (TestServer, tempfile::TempDir, Core, deskmate_api::Me) {
    let server = TestServer::start().await;
    let dir = tempfile::tempdir().unwrap();
    let core = Core::open(dir.path()).await.unwrap();
    let me = core.login(&server.url, email, password()).await.unwrap();
    (server, dir, core, me)
}

fn password() -> Sensitive<String> {
    Sensitive::new("demo-password".to_owned())
}

fn new_ticket(subject: &str) -> NewTicket {
    let mut ticket = NewTicket::new(
        Department::Technical,
        Priority::Regular,
        subject,
        "The control panel shows error 502 since this morning.",
    );
    ticket.details.affected_service = Some("Control panel".to_owned());
    ticket.details.reference = Some("HST-20417".to_owned());
    ticket
}

#[tokio::test]
async fn sign_in_refresh_and_file_a_ticket() {
    let server = TestServer::start().await;
    let dir = tempfile::tempdir().unwrap();
    let core = Core::open(dir.path()).await.unwrap();
    assert!(core.session().await.unwrap().is_none());

    let me = core
        .login(&format!("{}/", server.url), "user@acme.example", password())
        .await
        .unwrap();
    assert_eq!(me.email, "user@acme.example");
    let session = core.session().await.unwrap().unwrap();
    assert_eq!(session.server_url, server.url, "trailing slash trimmed");

    let refreshed = core.refresh_tickets().await.unwrap();
    assert!(refreshed.online);
    assert!(!refreshed.tickets.is_empty());
    let org = me.organisation.as_ref().unwrap().id;
    assert!(refreshed.tickets.iter().all(|t| t.organisation_id == org));

    let created = sent(
        core.file_ticket(new_ticket("Control panel 502"), WriteOptions::default())
            .await
            .unwrap(),
    );
    assert_eq!(created.details.reference.as_deref(), Some("HST-20417"));
    let cached = core.cached_tickets().await.unwrap();
    assert_eq!(
        cached.first().map(|t| t.id),
        Some(created.id),
        "newest first"
    );

    // A second core on the same data directory (an app restart) is still signed
    // in and sees the cache without the network.
    drop(core);
    let core = Core::open(dir.path()).await.unwrap();
    assert!(core.session().await.unwrap().is_some());
    assert_eq!(core.cached_tickets().await.unwrap().len(), cached.len());
}

#[tokio::test]
async fn wrong_password_is_unauthorized_and_leaves_no_session() {
    let server = TestServer::start().await;
    let dir = tempfile::tempdir().unwrap();
    let core = Core::open(dir.path()).await.unwrap();
    let err = core
        .login(
            &server.url,
            "user@acme.example",
            Sensitive::new("nope".into()),
        )
        .await
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::Unauthorized, "{err}");
    assert!(core.session().await.unwrap().is_none());
    let err = core.refresh_tickets().await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::SignedOut);
}

#[tokio::test]
async fn an_unreachable_server_keeps_the_cached_list() {
    let (server, _dir, core, _) = signed_in("user@acme.example").await;
    let online = core.refresh_tickets().await.unwrap();
    server.stop().await;

    let offline = core.refresh_tickets().await.unwrap();
    assert!(!offline.online);
    assert_eq!(offline.tickets, online.tickets);
    // Filing still works: the ticket waits in the outbox.
    let outcome = core
        .file_ticket(new_ticket("While offline"), WriteOptions::default())
        .await
        .unwrap();
    assert!(matches!(outcome, FileOutcome::Queued { .. }), "{outcome:?}");
}

#[tokio::test]
async fn invalid_tickets_are_refused_before_and_by_the_server() {
    let (_server, _dir, core, _) = signed_in("user@acme.example").await;
    let before = core.refresh_tickets().await.unwrap().tickets.len();
    let err = core
        .file_ticket(new_ticket("   "), WriteOptions::default())
        .await
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::Validation);
    assert_eq!(core.refresh_tickets().await.unwrap().tickets.len(), before);
}

#[tokio::test]
async fn logout_forgets_token_and_tickets_and_the_server_session() {
    let (server, _dir, core, _) = signed_in("admin@globex.example").await;
    core.refresh_tickets().await.unwrap();
    core.logout().await.unwrap();
    assert!(core.session().await.unwrap().is_none());
    assert!(core.cached_tickets().await.unwrap().is_empty());
    assert_eq!(
        core.last_server_url().await.unwrap(),
        Some(server.url.clone())
    );
}

#[tokio::test]
async fn the_token_never_reaches_the_cache_file() {
    let (_server, dir, core, _) = signed_in("user@acme.example").await;
    core.refresh_tickets().await.unwrap();
    drop(core);
    let keyring_token = support::keyring_token_of(dir.path()).await;
    assert!(keyring_token.len() >= 32, "a real token is in the keyring");
    // Every file the cache wrote (database, WAL, shm) is free of it.
    for entry in std::fs::read_dir(dir.path()).unwrap() {
        let bytes = std::fs::read(entry.unwrap().path()).unwrap();
        let haystack = String::from_utf8_lossy(&bytes);
        assert!(
            !haystack.contains(&keyring_token),
            "token found in the cache files"
        );
    }
}

#[tokio::test]
async fn tickets_filed_offline_are_sent_once_and_in_order_when_the_server_is_back() {
    let (server, dir, core, _) = signed_in("user@acme.example").await;
    let url = server.url.clone();
    let stopped = server.stop_for_a_while().await;

    for (subject, tried) in [("Offline one", true), ("Offline two", false)] {
        let FileOutcome::Queued { item } = core
            .file_ticket(new_ticket(subject), WriteOptions::default())
            .await
            .unwrap()
        else {
            panic!("the server is down, the ticket must be queued");
        };
        assert_eq!(item.state, OutboxState::Pending);
        assert_eq!(item.summary, subject);
        // The second waits behind the first, which is retried first.
        let expected = tried.then_some(ErrorCode::Network);
        assert_eq!(item.error.map(|e| e.code), expected);
    }
    let report = core.drain_outbox(true).await.unwrap();
    assert_eq!((report.sent, report.pending, report.online), (0, 2, false));
    // A new core on the same data directory (the app restarted) still has them.
    drop(core);
    let core = Core::open(dir.path()).await.unwrap();
    assert_eq!(core.outbox().await.unwrap().len(), 2);

    let server = stopped.start_again().await;
    assert_eq!(server.url, url);
    let report = core.drain_outbox(true).await.unwrap();
    assert_eq!((report.sent, report.failed, report.pending), (2, 0, 0));
    assert!(core.outbox().await.unwrap().is_empty());
    let again = core.drain_outbox(true).await.unwrap();
    assert_eq!(again.sent, 0);

    let on_server = server_subjects(&server.url, "user@acme.example").await;
    for subject in ["Offline one", "Offline two"] {
        assert_eq!(
            on_server.iter().filter(|s| *s == subject).count(),
            1,
            "{on_server:?}"
        );
    }
    let cached = core.cached_tickets().await.unwrap();
    let one = cached.iter().find(|t| t.subject == "Offline one").unwrap();
    let two = cached.iter().find(|t| t.subject == "Offline two").unwrap();
    assert!(one.id < two.id, "sent in the order they were filed");
    server.stop().await;
}

#[tokio::test]
async fn a_send_whose_answer_was_lost_is_not_filed_twice() {
    let (server, dir, core, me) = signed_in("user@acme.example").await;
    // Queue an item, then deliver it behind the core's back with its own key,
    // as if the process died after the server answered.
    let account = deskmate_core::cache::Account {
        server_url: server.url.clone(),
        user_id: me.id,
    };
    core.cache()
        .queue(
            account.clone(),
            deskmate_core::cache::Write::NewTicket(new_ticket("Answer lost")),
        )
        .await
        .unwrap();
    let write = core.cache().next_due(account, true).await.unwrap().unwrap();
    let client = deskmate_core::backend::ServerClient::new(&server.url).unwrap();
    let token = deskmate_core::Sensitive::new(support::keyring_token_of(dir.path()).await);
    let first = client
        .create_ticket(&token, &queued_ticket(&write), &write.idempotency_key)
        .await
        .unwrap();

    let report = core.drain_outbox(false).await.unwrap();
    assert_eq!((report.sent, report.pending), (1, 0));
    let on_server = server_subjects(&server.url, "user@acme.example").await;
    assert_eq!(on_server.iter().filter(|s| *s == "Answer lost").count(), 1);
    let cached = core.cached_tickets().await.unwrap();
    assert!(cached.iter().any(|t| t.id == first.id));
    server.stop().await;
}

#[tokio::test]
async fn a_refused_write_is_kept_as_failed_until_retried_or_discarded() {
    let server = TestServer::start().await;
    let dir = tempfile::tempdir().unwrap();
    let core = Core::open(dir.path()).await.unwrap();
    // Agents may not file tickets: the server refuses with 403.
    core.login(&server.url, "agent@provider.example", password())
        .await
        .unwrap();
    let FileOutcome::Queued { item } = core
        .file_ticket(new_ticket("Refused"), WriteOptions::default())
        .await
        .unwrap()
    else {
        panic!("a refused ticket stays in the outbox");
    };
    assert_eq!(item.state, OutboxState::Failed);
    let error = item.error.clone().unwrap();
    assert_eq!(error.code, ErrorCode::Forbidden);
    assert!(!error.message.is_empty());

    // Later passes leave a failed item alone; a retry tries again.
    assert_eq!(core.drain_outbox(true).await.unwrap().failed, 0);
    let report = core.retry_outbox_item(item.local_id, None).await.unwrap();
    assert_eq!(report.failed, 1);
    let err = core
        .retry_outbox_item(item.local_id, Some(new_ticket("  ")))
        .await
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::Validation);

    core.discard_outbox_item(item.local_id).await.unwrap();
    assert!(core.outbox().await.unwrap().is_empty());
    let err = core.discard_outbox_item(item.local_id).await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::Validation);
    server.stop().await;
}

#[tokio::test]
async fn signing_out_keeps_unsent_writes_for_the_same_account_only() {
    let (server, _dir, core, _) = signed_in("user@acme.example").await;
    let stopped = server.stop_for_a_while().await;
    core.file_ticket(
        new_ticket("Typed before signing out"),
        WriteOptions::default(),
    )
    .await
    .unwrap();
    core.logout().await.unwrap();
    assert!(
        core.outbox().await.unwrap().is_empty(),
        "nobody's writes while signed out"
    );

    let server = stopped.start_again().await;
    core.login(&server.url, "admin@acme.example", password())
        .await
        .unwrap();
    assert!(
        core.outbox().await.unwrap().is_empty(),
        "not another account's"
    );
    core.refresh_tickets().await.unwrap();
    core.login(&server.url, "user@acme.example", password())
        .await
        .unwrap();
    assert_eq!(core.outbox().await.unwrap().len(), 1);
    assert_eq!(core.drain_outbox(true).await.unwrap().sent, 1);
    assert!(core.outbox().await.unwrap().is_empty());
    let on_server = server_subjects(&server.url, "user@acme.example").await;
    assert_eq!(
        on_server
            .iter()
            .filter(|s| *s == "Typed before signing out")
            .count(),
        1
    );
    server.stop().await;
}

#[tokio::test]
async fn a_conversation_works_online_and_offline_and_reopens() {
    let (server, _dir, core, _) = signed_in("user@acme.example").await;
    let id = sent(
        core.file_ticket(new_ticket("VPN drops"), WriteOptions::default())
            .await
            .unwrap(),
    )
    .id;

    let WriteOutcome::Sent { message } = core
        .reply(
            id,
            "It drops every 10 minutes.".into(),
            WriteOptions::default(),
        )
        .await
        .unwrap()
    else {
        panic!("online, the reply is sent at once");
    };
    assert_eq!(message.author_kind, AuthorKind::Customer);
    let agent = support::Account::agent(&server.url).await;
    agent.reply(id, "Which client version?").await;
    let view = core.ticket_view(id, true).await.unwrap();
    assert!(view.online);
    assert_eq!(view.ticket.status, TicketStatus::WaitingForCustomer);
    let bodies: Vec<_> = view.messages.iter().map(|m| m.body.as_str()).collect();
    assert_eq!(
        bodies,
        ["It drops every 10 minutes.", "Which client version?"]
    );

    // Offline: the reply waits in the outbox and the cached view shows it pending.
    let stopped = server.stop_for_a_while().await;
    let WriteOutcome::Queued { item } = core
        .reply(id, "Version 5.2.1".into(), WriteOptions::default())
        .await
        .unwrap()
    else {
        panic!("offline, the reply is queued");
    };
    assert_eq!((item.kind, item.ticket_id), (OutboxKind::Reply, Some(id)));
    let view = core.ticket_view(id, true).await.unwrap();
    assert!(!view.online);
    assert_eq!(view.messages.len(), 2, "the cached conversation");
    assert_eq!(view.pending.len(), 1);
    assert_eq!(view.pending[0].text.as_deref(), Some("Version 5.2.1"));

    let server = stopped.start_again().await;
    assert_eq!(core.drain_outbox(true).await.unwrap().sent, 1);
    let view = core.ticket_view(id, true).await.unwrap();
    assert!(view.pending.is_empty());
    assert_eq!(
        view.ticket.status,
        TicketStatus::Open,
        "the customer answered"
    );
    let on_server = agent_bodies(&server.url, id).await;
    assert_eq!(
        on_server.iter().filter(|b| *b == "Version 5.2.1").count(),
        1
    );

    // Closed: a reply is refused (kept as failed), a reopen with details works.
    support::Account::agent(&server.url)
        .await
        .set_status(id, "closed")
        .await;
    let view = core.ticket_view(id, true).await.unwrap();
    assert_eq!(view.ticket.status, TicketStatus::Closed);
    assert!(view.reopen_until.is_some());
    let WriteOutcome::Queued { item } = core
        .reply(id, "Still there?".into(), WriteOptions::default())
        .await
        .unwrap()
    else {
        panic!("the server refuses replies on a closed ticket");
    };
    assert_eq!(item.state, OutboxState::Failed);
    assert_eq!(item.error.map(|e| e.code), Some(ErrorCode::Conflict));
    core.discard_outbox_item(item.local_id).await.unwrap();
    let WriteOutcome::Sent { .. } = core
        .reopen(id, "It happened again today at 09:12.".into())
        .await
        .unwrap()
    else {
        panic!("reopened online");
    };
    let view = core.ticket_view(id, false).await.unwrap();
    assert_eq!(view.ticket.status, TicketStatus::Open);
    assert!(view.reopen_until.is_none());
    let err = core
        .reply(id, "   ".into(), WriteOptions::default())
        .await
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::Validation);
    let err = core.ticket_view(999_999, true).await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::NotFound);
    server.stop().await;
}

async fn agent_bodies(url: &str, id: i64) -> Vec<String> {
    support::Account::agent(url).await.message_bodies(id).await
}

fn queued_ticket(write: &deskmate_core::cache::QueuedWrite) -> NewTicket {
    match &write.write {
        deskmate_core::cache::Write::NewTicket(t) => t.clone(),
        other => panic!("expected a new ticket, got {other:?}"),
    }
}

#[tokio::test]
async fn search_finds_what_sync_brought_including_agents_messages() {
    let (server, _dir, core, _) = signed_in("user@acme.example").await;
    let mut ticket = new_ticket("Fattura di novembre: la città è sbagliata");
    ticket.body = "Na faktúre je nesprávne číslo objednávky.".to_owned();
    let id = sent(
        core.file_ticket(ticket, WriteOptions::default())
            .await
            .unwrap(),
    )
    .id;
    support::Account::agent(&server.url)
        .await
        .reply(id, "Opravili sme adresu; nová faktúra príde poštou.")
        .await;

    // The agent's answer reaches the cache by the sync, not by opening the ticket.
    core.refresh_tickets().await.unwrap();
    server.stop().await;

    let hits = core.search("postou").await.unwrap();
    assert_eq!(
        hits.iter().map(|h| h.ticket.id).collect::<Vec<_>>(),
        [id],
        "a word only the agent's message has, typed without accents: {hits:?}"
    );
    assert!(
        hits[0].snippet.contains("\u{2}poštou\u{3}"),
        "{:?}",
        hits[0].snippet
    );
    for query in ["citta", "CISLO objednavky", "fattura novem", "nespravne"] {
        let hits = core.search(query).await.unwrap();
        assert_eq!(
            hits.first().map(|h| h.ticket.id),
            Some(id),
            "{query}: {hits:?}"
        );
    }
    // The demo data's agent answer, synced at sign-in.
    let hits = core.search("quota").await.unwrap();
    assert_eq!(hits.len(), 1, "{hits:?}");
    assert_eq!(
        hits[0].ticket.subject,
        "Mailbox info@acme.example does not receive external mail"
    );
    assert!(core.search("\" AND (").await.unwrap().is_empty());
}
