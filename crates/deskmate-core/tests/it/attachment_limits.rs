//! The helpdesk's attachment limits are known to the core and enforced
//! before anything is queued: a real deskmate-server on 127.0.0.1 port 0
//! configured with small limits, the real core, a real cache.

use std::path::{Path, PathBuf};

use deskmate_api::{AttachmentLimits, Department, ErrorCode, FileOutcome, NewTicket, Priority};
use deskmate_core::{Core, CoreError, WriteOptions};

use crate::support::{Account, TestServer};

/// Far below deskmate-server's defaults.
fn small() -> AttachmentLimits {
    AttachmentLimits {
        max_file_bytes: 1000,
        max_ticket_bytes: 1500,
        ..AttachmentLimits::default()
    }
}

fn text_file(dir: &Path, name: &str, bytes: usize) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, "x".repeat(bytes)).unwrap();
    path
}

fn ticket(subject: &str) -> NewTicket {
    NewTicket::new(
        Department::Technical,
        Priority::Regular,
        subject,
        "The mail server log is attached.",
    )
}

fn nothing_queued(data_dir: &Path) -> bool {
    std::fs::read_dir(data_dir.join("attachments/outgoing"))
        .map(|d| d.count() == 0)
        .unwrap_or(true)
}

#[tokio::test]
async fn the_servers_limits_are_known_and_enforced_before_queueing() {
    let server = TestServer::start_with(deskmate_server::Config {
        attachments: small(),
        ..Default::default()
    })
    .await;
    let dir = tempfile::tempdir().unwrap();
    // Signed out: deskmate-server's defaults.
    let signed_out = Core::open(dir.path()).await.unwrap();
    assert_eq!(
        signed_out.attachment_limits().await.unwrap(),
        AttachmentLimits::default()
    );
    drop(signed_out);
    let core = crate::support::customer(&server, dir.path(), None).await;
    assert_eq!(core.attachment_limits().await.unwrap(), small());

    let files = tempfile::tempdir().unwrap();
    let agent = Account::agent(&server.url).await;
    let (_, before) = agent
        .send(reqwest::Method::GET, "/api/v1/tickets", None)
        .await;

    // One file over the limit: refused with its reason, nothing queued.
    let big = text_file(files.path(), "mail.log", 1001);
    let refused = core
        .file_ticket(
            ticket("Too big"),
            WriteOptions::default().with_files(vec![big.clone()]),
        )
        .await
        .unwrap_err();
    assert!(matches!(refused, CoreError::TooLarge(_)), "{refused:?}");
    assert_eq!(refused.code(), ErrorCode::PayloadTooLarge);
    assert_eq!(
        refused.to_string(),
        "mail.log is 1001 B and the helpdesk accepts files of at most 1000 B"
    );
    assert!(core.outbox().await.unwrap().is_empty());
    assert!(nothing_queued(dir.path()));

    // Each file fits, together they do not.
    let a = text_file(files.path(), "a.log", 800);
    let b = text_file(files.path(), "b.log", 800);
    let together = core
        .file_ticket(
            ticket("Too much together"),
            WriteOptions::default().with_files(vec![a.clone(), b]),
        )
        .await
        .unwrap_err();
    assert!(
        together.to_string().contains("a ticket holds"),
        "{together}"
    );
    assert!(core.outbox().await.unwrap().is_empty());
    assert!(nothing_queued(dir.path()));
    let (_, after) = agent
        .send(reqwest::Method::GET, "/api/v1/tickets", None)
        .await;
    assert_eq!(before, after, "nothing reached the helpdesk");

    // Within the limits it is filed, file and all.
    let outcome = core
        .file_ticket(ticket("Fits"), WriteOptions::default().with_files(vec![a]))
        .await
        .unwrap();
    let FileOutcome::Sent { ticket } = outcome else {
        panic!("{outcome:?}");
    };
    let stored = agent.attachments(ticket.id).await;
    assert_eq!(stored.len(), 1);
    assert_eq!(stored[0].size_bytes, 800);

    // Added to that ticket later, its file counts: 800 + 701 > 1500.
    core.ticket_view(ticket.id, true).await.unwrap();
    let more = text_file(files.path(), "more.log", 701);
    let over = core
        .attach_files(ticket.id, std::slice::from_ref(&more))
        .await
        .unwrap_err();
    assert!(matches!(over, CoreError::TooLarge(_)), "{over:?}");
    assert!(core.outbox().await.unwrap().is_empty());
    assert!(nothing_queued(dir.path()));
    let fits = text_file(files.path(), "fits.log", 700);
    let added = core.attach_files(ticket.id, &[fits]).await.unwrap();
    assert!(
        matches!(added, deskmate_api::AttachOutcome::Sent { .. }),
        "{added:?}"
    );
    assert_eq!(agent.attachments(ticket.id).await.len(), 2);

    // The server enforces its own limit too, whoever sends.
    let form = reqwest::multipart::Form::new().part(
        "file",
        reqwest::multipart::Part::bytes(vec![b'y'; 1001]).file_name("direct.log"),
    );
    let token = crate::support::keyring_token_of(dir.path()).await;
    let direct = reqwest::Client::new()
        .post(format!(
            "{}/api/v1/tickets/{}/attachments",
            server.url, ticket.id
        ))
        .bearer_auth(token)
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(direct.status(), reqwest::StatusCode::PAYLOAD_TOO_LARGE);
    server.stop().await;
}
