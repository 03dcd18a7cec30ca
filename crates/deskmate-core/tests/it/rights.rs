//! A customer's rights changed by their administrator while their core has
//! the organisation's tickets cached: the real core against a real
//! deskmate-server on 127.0.0.1 port 0, with the real OS keyring (run inside
//! scripts/with-session.sh).

#[allow(dead_code)] // each test binary uses a different part of it
use crate::support;

use std::time::Duration;

use crate::support::{Account, TestServer};
use deskmate_api::{
    AttachmentKind, Department, ErrorCode, FileOutcome, NewTicket, OutboxKind, OutboxState,
    Priority, WriteOutcome,
};
use deskmate_core::backend::{Backend as _, ServerClient};
use deskmate_core::{Core, LiveUpdate, Sensitive, WriteOptions};

const USER: &str = "user@acme.example";
const ADMIN: &str = "admin@acme.example";

/// A demo server and a core signed in to it as the demo user.
async fn signed_in() -> (TestServer, tempfile::TempDir, Core, deskmate_api::Me) {
    let server = TestServer::start().await;
    let dir = tempfile::tempdir().unwrap();
    let core = Core::open(dir.path()).await.unwrap();
    let me = core.login(&server.url, USER, password()).await.unwrap();
    (server, dir, core, me)
}

fn password() -> Sensitive<String> {
    Sensitive::new("demo-password".to_owned())
}

/// The administrator gives (or takes) the demo user's right to see every
/// ticket of the organisation (keeping the call records they have).
async fn set_all_tickets(url: &str, user_id: i64, all_tickets: bool) {
    let admin = Account::sign_in(url, ADMIN).await;
    let rights = serde_json::json!({"rights": {
        "all_tickets": all_tickets, "invoices": false, "call_records": true, "manage_users": false,
        "expedite": true,
    }});
    let (status, body) = admin
        .send(
            reqwest::Method::PATCH,
            &format!("/api/v1/users/{user_id}"),
            Some(rights),
        )
        .await;
    assert_eq!(status, reqwest::StatusCode::OK, "{body}");
}

/// The administrator attaches a PDF to their own ticket.
async fn admin_attaches(url: &str, ticket_id: i64) -> i64 {
    let client = ServerClient::new(url).unwrap();
    let login = client.login(ADMIN, &password()).await.unwrap();
    let token = Sensitive::new(login.token);
    client
        .upload_attachment(
            &token,
            ticket_id,
            None,
            "signed-contract.pdf",
            AttachmentKind::Pdf,
            b"%PDF-1.7 the admin's signed contract".to_vec(),
            "admin-attaches-contract",
        )
        .await
        .unwrap()
        .id
}

/// Whether the core's cached account may see every ticket of its organisation.
async fn sees_all_tickets(core: &Core) -> bool {
    let session = core.session().await.unwrap().unwrap();
    session.user.rights.all_tickets
}

async fn search_subjects(core: &Core, query: &str) -> Vec<String> {
    core.search(query)
        .await
        .unwrap()
        .into_iter()
        .map(|hit| hit.ticket.subject)
        .collect()
}

fn new_ticket(subject: &str) -> NewTicket {
    NewTicket::new(
        Department::Technical,
        Priority::Regular,
        subject,
        "The nightly backup of the web node stops at 40 % with an I/O error.",
    )
}

#[tokio::test]
async fn losing_and_regaining_all_tickets_narrows_and_refills_the_cache_keeping_the_outbox() {
    let (server, _dir, core, me) = signed_in().await;
    assert!(
        me.rights.all_tickets,
        "the demo user starts with every ticket"
    );
    core.refresh_tickets().await.unwrap();

    // What the colleague (the administrator) filed is cached, opened,
    // searchable, its file downloaded; so is one of the user's own files.
    let cached = core.cached_tickets().await.unwrap();
    let theirs = cached
        .iter()
        .find(|t| t.subject.starts_with("Invoice 2026-1142 charged twice"))
        .unwrap()
        .clone();
    assert_ne!(theirs.requester_id, me.id);
    let mine = cached
        .iter()
        .find(|t| t.subject.starts_with("Website returns 502"))
        .unwrap()
        .clone();
    assert_eq!(mine.requester_id, me.id);
    let their_file = admin_attaches(&server.url, theirs.id).await;
    let view = core.ticket_view(theirs.id, true).await.unwrap();
    assert!(!view.messages.is_empty());
    let their_download = core.attachment_file(theirs.id, their_file).await.unwrap();
    let my_file = core.ticket_view(mine.id, true).await.unwrap().attachments;
    let my_file = match &my_file[..] {
        [deskmate_api::TicketAttachment::Sent(a)] => a.id,
        other => panic!("one sent file expected: {other:?}"),
    };
    let my_download = core.attachment_file(mine.id, my_file).await.unwrap();
    assert!(their_download.is_file() && my_download.is_file());
    assert_eq!(
        search_subjects(&core, "charged").await,
        vec![theirs.subject.clone()]
    );
    // A word only in the agent's answer on their ticket.
    assert_eq!(
        search_subjects(&core, "statement").await,
        vec![theirs.subject.clone()]
    );

    // Offline, the user writes: a new ticket, a reply on their own ticket
    // and one on the colleague's. All wait in the outbox.
    let stopped = server.stop_for_a_while().await;
    let filed = core
        .file_ticket(
            new_ticket("Nightly backup stops at 40 %"),
            WriteOptions::default(),
        )
        .await
        .unwrap();
    assert!(matches!(filed, FileOutcome::Queued { .. }), "{filed:?}");
    for (ticket, body) in [
        (mine.id, "Still 502 after clearing the cache."),
        (theirs.id, "I can confirm the double charge."),
    ] {
        let outcome = core
            .reply(ticket, body.to_owned(), WriteOptions::default())
            .await
            .unwrap();
        assert!(
            matches!(outcome, WriteOutcome::Queued { .. }),
            "{outcome:?}"
        );
    }
    assert_eq!(core.outbox().await.unwrap().len(), 3);
    let server = stopped.start_again().await;

    // The administrator takes away the organisation's tickets; the user's
    // core syncs.
    set_all_tickets(&server.url, me.id, false).await;
    assert!(core.refresh_tickets().await.unwrap().online);
    // What waited in the outbox through that is sent by now or at the
    // user's next sync, whatever its backoff.
    core.drain_outbox(true).await.unwrap();

    assert!(!sees_all_tickets(&core).await, "the new rights are kept");
    let cached = core.cached_tickets().await.unwrap();
    assert!(
        cached.iter().all(|t| t.requester_id == me.id),
        "only the user's own tickets stay: {:?}",
        cached.iter().map(|t| &t.subject).collect::<Vec<_>>()
    );
    let subjects: Vec<&str> = cached.iter().map(|t| t.subject.as_str()).collect();
    assert!(subjects.contains(&mine.subject.as_str()), "{subjects:?}");
    assert!(
        subjects.contains(&"Nightly backup stops at 40 %"),
        "the ticket filed offline was sent and is cached: {subjects:?}"
    );
    assert!(core.cache().ticket(theirs.id).await.unwrap().is_none());
    let (messages, _) = core.cache().conversation(theirs.id).await.unwrap();
    assert!(messages.is_empty(), "their conversation is gone");
    assert!(
        core.cache()
            .attachments(theirs.id)
            .await
            .unwrap()
            .is_empty()
    );
    assert!(!their_download.exists(), "their downloaded file is gone");
    assert!(my_download.is_file(), "the user's own download stays");
    assert!(search_subjects(&core, "charged").await.is_empty());
    assert!(
        search_subjects(&core, "statement").await.is_empty(),
        "nor their messages"
    );
    assert_eq!(
        search_subjects(&core, "backup").await,
        vec!["Nightly backup stops at 40 %".to_owned()]
    );
    let err = core.ticket_view(theirs.id, true).await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::NotFound, "{err}");
    // The reply on the user's own ticket went; the one on the ticket they may
    // no longer see is kept, refused, for them to decide.
    let agent = Account::agent(&server.url).await;
    assert!(
        agent
            .message_bodies(mine.id)
            .await
            .contains(&"Still 502 after clearing the cache.".to_owned())
    );
    let outbox = core.outbox().await.unwrap();
    assert_eq!(outbox.len(), 1, "{outbox:?}");
    let kept = &outbox[0];
    assert_eq!(kept.kind, OutboxKind::Reply);
    assert_eq!(kept.ticket_id, Some(theirs.id));
    assert_eq!(kept.state, OutboxState::Failed);
    assert_eq!(
        kept.text.as_deref(),
        Some("I can confirm the double charge.")
    );

    // The right comes back: the colleague's older tickets return (they
    // changed long before the cursor), searchable, and the kept reply goes.
    set_all_tickets(&server.url, me.id, true).await;
    core.refresh_tickets().await.unwrap();
    assert!(sees_all_tickets(&core).await);
    assert_eq!(
        core.cache()
            .ticket(theirs.id)
            .await
            .unwrap()
            .map(|t| t.subject),
        Some(theirs.subject.clone())
    );
    assert_eq!(
        search_subjects(&core, "charged").await,
        vec![theirs.subject.clone()]
    );
    let (messages, _) = core.cache().conversation(theirs.id).await.unwrap();
    assert!(!messages.is_empty(), "their conversation is synced again");
    assert_eq!(
        core.cache()
            .attachments(theirs.id)
            .await
            .unwrap()
            .iter()
            .map(|a| a.id)
            .collect::<Vec<_>>(),
        vec![their_file]
    );
    let report = core.retry_outbox_item(kept.local_id, None).await.unwrap();
    assert_eq!(report.sent, 1);
    assert!(core.outbox().await.unwrap().is_empty());
    assert!(
        agent
            .message_bodies(theirs.id)
            .await
            .contains(&"I can confirm the double charge.".to_owned())
    );
    server.stop().await;
}

/// Waits until the cached account sees every ticket or not (`all_tickets`)
/// and `done` holds for the cached ticket ids, or fails after `within`. (A
/// pull running when the rights change brings what the account may see
/// now before the follower hears of it: only both together are the end.)
async fn until_cached(
    core: &Core,
    within: Duration,
    all_tickets: bool,
    done: impl Fn(&[i64]) -> bool,
) {
    let deadline = tokio::time::Instant::now() + within;
    loop {
        let ids: Vec<i64> = core
            .cached_tickets()
            .await
            .unwrap()
            .iter()
            .map(|t| t.id)
            .collect();
        if sees_all_tickets(core).await == all_tickets && done(&ids) {
            return;
        }
        assert!(
            tokio::time::Instant::now() < deadline,
            "the cache did not change as expected within {within:?}: {ids:?}"
        );
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_following_core_narrows_and_refills_when_the_rights_change_live() {
    let (server, _dir, core, me) = signed_in().await;
    let (follower, mut events) = support::follow(&core);
    let within = Duration::from_secs(30);
    tokio::time::timeout(within, async {
        while events.recv().await.unwrap() != LiveUpdate::Resync {}
    })
    .await
    .expect("the follower caught up");
    let theirs: Vec<i64> = core
        .cached_tickets()
        .await
        .unwrap()
        .iter()
        .filter(|t| t.requester_id != me.id)
        .map(|t| t.id)
        .collect();
    assert!(!theirs.is_empty(), "the colleague's tickets are cached");

    // No refresh here: the helpdesk ends the stream, the follower reconnects.
    set_all_tickets(&server.url, me.id, false).await;
    until_cached(&core, within, false, |ids| {
        ids.iter().all(|id| !theirs.contains(id))
    })
    .await;

    set_all_tickets(&server.url, me.id, true).await;
    until_cached(&core, within, true, |ids| {
        theirs.iter().all(|id| ids.contains(id))
    })
    .await;

    follower.abort();
    server.stop().await;
}

#[tokio::test]
async fn signing_in_again_with_fewer_rights_narrows_the_cache() {
    let (server, _dir, core, me) = signed_in().await;
    core.refresh_tickets().await.unwrap();
    assert!(
        core.cached_tickets()
            .await
            .unwrap()
            .iter()
            .any(|t| t.requester_id != me.id)
    );
    set_all_tickets(&server.url, me.id, false).await;
    core.login(&server.url, USER, password()).await.unwrap();
    // Before any sync: the sign-in alone dropped what the account may not see.
    let cached = core.cached_tickets().await.unwrap();
    assert!(!cached.is_empty());
    assert!(cached.iter().all(|t| t.requester_id == me.id));
    assert_eq!(core.cache().sync_cursor().await.unwrap(), 0);
    server.stop().await;
}
