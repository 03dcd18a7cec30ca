//! Drafts and duplicate suggestions: the real core against a real
//! deskmate-server (run inside scripts/with-session.sh).

#[allow(dead_code)] // each test binary uses a different part of it
use crate::support::{TestServer, server_subjects};
use deskmate_api::{
    Department, DraftInput, DraftKind, FileOutcome, NewTicket, OutboxState, Priority, WriteOutcome,
};
use deskmate_core::{Core, Sensitive, WriteOptions};

async fn signed_in(email: &str) -> (TestServer, tempfile::TempDir, Core) {
    let server = TestServer::start().await;
    let dir = tempfile::tempdir().unwrap();
    let core = Core::open(dir.path()).await.unwrap();
    core.login(
        &server.url,
        email,
        Sensitive::new("demo-password".to_owned()),
    )
    .await
    .unwrap();
    core.refresh_tickets().await.unwrap();
    (server, dir, core)
}

fn ticket_draft(subject: &str, body: &str) -> DraftInput {
    let mut ticket = NewTicket::new(Department::Technical, Priority::High, subject, body);
    ticket.details.affected_service = Some("Managed VPS".to_owned());
    DraftInput {
        id: None,
        kind: DraftKind::NewTicket,
        ticket_id: None,
        ticket: Some(ticket),
        text: None,
    }
}

#[tokio::test]
async fn drafts_survive_reopening_the_core_and_filing_removes_them_at_once() {
    let (server, dir, core) = signed_in("user@acme.example").await;
    let first = core
        .save_draft(ticket_draft("Draft subj", "half a"))
        .await
        .unwrap();
    // Typing on: the same draft, replaced.
    let mut more = ticket_draft("Draft subject", "half a sentence");
    more.id = Some(first.id.clone());
    let saved = core.save_draft(more).await.unwrap();
    assert_eq!(saved.id, first.id);
    let ticket_id = core.cached_tickets().await.unwrap()[0].id;
    core.save_draft(DraftInput {
        id: None,
        kind: DraftKind::Reply,
        ticket_id: Some(ticket_id),
        ticket: None,
        text: Some("Thanks, it works again".to_owned()),
    })
    .await
    .unwrap();

    // The app restarted (or crashed): the drafts are there, as left.
    drop(core);
    let core = Core::open(dir.path()).await.unwrap();
    let drafts = core.drafts().await.unwrap();
    assert_eq!(drafts.len(), 2, "{drafts:?}");
    let draft = drafts.iter().find(|d| d.id == first.id).unwrap();
    let ticket = draft.ticket.clone().unwrap();
    assert_eq!(ticket.subject, "Draft subject");
    assert_eq!(ticket.body, "half a sentence");
    assert_eq!(ticket.priority, Priority::High);
    assert_eq!(
        ticket.details.affected_service.as_deref(),
        Some("Managed VPS")
    );
    assert_eq!(draft.summary, "Draft subject");

    // Filed from the draft: sent, and the draft is gone.
    let FileOutcome::Sent { ticket: filed } = core
        .file_ticket(ticket, WriteOptions::from_draft(first.id.clone()))
        .await
        .unwrap()
    else {
        panic!("the server is up");
    };
    assert_eq!(filed.subject, "Draft subject");
    let left = core.drafts().await.unwrap();
    assert_eq!(left.len(), 1);
    assert_eq!(left[0].kind, DraftKind::Reply);

    // A reply sent from its draft removes it too.
    let WriteOutcome::Sent { .. } = core
        .reply(
            ticket_id,
            "Thanks, it works again".to_owned(),
            WriteOptions::from_draft(deskmate_core::cache::reply_draft_id(ticket_id)),
        )
        .await
        .unwrap()
    else {
        panic!("the server is up");
    };
    assert!(core.drafts().await.unwrap().is_empty());

    // Offline: the ticket goes to the outbox and the draft leaves in the same step.
    let draft = core
        .save_draft(ticket_draft("Filed offline", "Written on a train."))
        .await
        .unwrap();
    let stopped = server.stop_for_a_while().await;
    let FileOutcome::Queued { item } = core
        .file_ticket(
            draft.ticket.clone().unwrap(),
            WriteOptions::from_draft(draft.id.clone()),
        )
        .await
        .unwrap()
    else {
        panic!("the server is down");
    };
    assert_eq!(item.state, OutboxState::Pending);
    drop(core);
    let core = Core::open(dir.path()).await.unwrap();
    assert!(core.drafts().await.unwrap().is_empty());
    assert_eq!(core.outbox().await.unwrap().len(), 1);
    let server = stopped.start_again().await;
    core.drain_outbox(true).await.unwrap();
    let subjects = server_subjects(&server.url, "user@acme.example").await;
    assert_eq!(subjects.iter().filter(|s| *s == "Filed offline").count(), 1);

    // An invalid ticket is refused before anything changes: the draft stays.
    let draft = core
        .save_draft(ticket_draft("", "no subject"))
        .await
        .unwrap();
    assert!(
        core.file_ticket(
            draft.ticket.clone().unwrap(),
            WriteOptions::from_draft(draft.id.clone())
        )
        .await
        .is_err()
    );
    assert_eq!(core.drafts().await.unwrap().len(), 1);
    core.discard_draft(&draft.id).await.unwrap();
    assert!(core.drafts().await.unwrap().is_empty());
    server.stop().await;
}

#[tokio::test]
async fn similar_open_tickets_are_found_by_subject_words() {
    let (server, _dir, core) = signed_in("user@acme.example").await;
    let hits = core
        .similar_open_tickets("Website returns 502", "")
        .await
        .unwrap();
    assert!(
        hits.iter()
            .any(|h| h.ticket.subject == "Website returns 502 Bad Gateway after PHP upgrade"),
        "{hits:?}"
    );
    assert!(hits.len() <= 3);
    // As typed: the last word is still a prefix.
    let typing = core
        .similar_open_tickets("website retur", "")
        .await
        .unwrap();
    assert!(!typing.is_empty());
    // Too short, or nothing alike.
    assert!(
        core.similar_open_tickets("we", "")
            .await
            .unwrap()
            .is_empty()
    );
    assert!(
        core.similar_open_tickets("Quarterly marmalade tasting", "")
            .await
            .unwrap()
            .is_empty()
    );
    server.stop().await;
}
