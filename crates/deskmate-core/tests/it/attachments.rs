//! Attachments through the real core against a real deskmate-server on
//! 127.0.0.1 port 0, with a temp data directory and the real OS keyring (run
//! inside scripts/with-session.sh).

#[allow(dead_code)] // each test binary uses a different part of it
use crate::support;

use std::io::Cursor;
use std::path::{Path, PathBuf};

use crate::support::{Account, TestServer};
use deskmate_api::{
    AttachOutcome, AttachmentKind, Department, ErrorCode, FileOutcome, NewTicket, OutboxKind,
    OutboxState, Priority, TicketAttachment, WriteOutcome, limits,
};
use deskmate_core::backend::Backend as _;
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
    (server, dir, core)
}

fn ticket(subject: &str) -> NewTicket {
    NewTicket::new(
        Department::Technical,
        Priority::Regular,
        subject,
        "The control panel shows error 502; screenshot and log attached.",
    )
}

/// A real PNG of `width` x `height` pixels.
fn png(width: u32, height: u32) -> Vec<u8> {
    let picture = image::RgbImage::from_fn(width, height, |x, y| {
        image::Rgb([(x % 251) as u8, (y % 241) as u8, ((x + y) % 239) as u8])
    });
    let mut out = Vec::new();
    image::DynamicImage::ImageRgb8(picture)
        .write_to(&mut Cursor::new(&mut out), image::ImageFormat::Png)
        .unwrap();
    out
}

fn write(dir: &Path, name: &str, bytes: &[u8]) -> PathBuf {
    let path = dir.join(name);
    std::fs::write(&path, bytes).unwrap();
    path
}

/// The copies waiting in the outbox's folder.
fn outgoing(data_dir: &Path) -> Vec<String> {
    match std::fs::read_dir(data_dir.join("attachments/outgoing")) {
        Ok(entries) => entries
            .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
            .collect(),
        Err(_) => Vec::new(),
    }
}

fn ticket_id_of(outcome: &FileOutcome) -> i64 {
    match outcome {
        FileOutcome::Sent { ticket } => ticket.id,
        FileOutcome::Queued { item } => panic!("expected sent, queued: {item:?}"),
    }
}

#[tokio::test]
async fn files_filed_offline_arrive_once_and_byte_exact() {
    let (server, dir, core) = signed_in("user@acme.example").await;
    let files = tempfile::tempdir().unwrap();
    let shot = png(640, 400);
    let log = "2026-11-25 09:10 nginx: 502 Bad Gateway\n".repeat(50);
    let paths = [
        write(files.path(), "panel.png", &shot),
        write(files.path(), "nginx error.log", log.as_bytes()),
    ];
    let stopped = server.stop_for_a_while().await;

    let outcome = core
        .file_ticket(
            ticket("Offline with files"),
            WriteOptions::default().with_files(paths.to_vec()),
        )
        .await
        .unwrap();
    let FileOutcome::Queued { item } = outcome else {
        panic!("the helpdesk is down: {outcome:?}");
    };
    assert_eq!(item.kind, OutboxKind::NewTicket);
    let names: Vec<_> = item.files.iter().map(|f| f.file_name.as_str()).collect();
    assert_eq!(names, ["panel.png", "nginx error.log"]);
    assert_eq!(item.files[0].kind, AttachmentKind::Png);
    assert_eq!(item.files[1].size_bytes, log.len() as i64);
    // The copies are taken: the user may delete the originals now.
    for path in &paths {
        std::fs::remove_file(path).unwrap();
    }
    assert_eq!(outgoing(dir.path()).len(), 2);
    // A pending picture has a thumbnail, from its copy, offline.
    let thumb = core.pending_thumbnail(item.local_id, 0).await.unwrap();
    let thumb = image::load_from_memory(&thumb).unwrap();
    assert_eq!((thumb.width(), thumb.height()), (256, 160));
    assert!(core.pending_thumbnail(item.local_id, 1).await.is_err());

    // The app restarts, the helpdesk comes back.
    drop(core);
    let core = Core::open(dir.path()).await.unwrap();
    assert_eq!(
        outgoing(dir.path()).len(),
        2,
        "queued copies survive opening"
    );
    let server = stopped.start_again().await;
    let report = core.drain_outbox(true).await.unwrap();
    assert_eq!((report.sent, report.failed, report.pending), (1, 0, 0));
    assert!(outgoing(dir.path()).is_empty(), "sent copies are deleted");
    assert_eq!(core.drain_outbox(true).await.unwrap().sent, 0);

    let filed = core
        .cached_tickets()
        .await
        .unwrap()
        .into_iter()
        .find(|t| t.subject == "Offline with files")
        .unwrap();
    let agent = Account::agent(&server.url).await;
    let on_server = agent.attachments(filed.id).await;
    assert_eq!(on_server.len(), 2, "{on_server:?}");
    assert_eq!(on_server[0].file_name, "panel.png");
    assert_eq!(on_server[0].message_id, None);
    assert_eq!(on_server[1].file_name, "nginx error.log");
    assert_eq!(agent.download(filed.id, on_server[0].id).await, shot);
    assert_eq!(
        agent.download(filed.id, on_server[1].id).await,
        log.as_bytes()
    );

    // The ticket view lists them as sent, with the helpdesk's metadata.
    let view = core.ticket_view(filed.id, true).await.unwrap();
    let sent: Vec<_> = view
        .attachments
        .iter()
        .map(|a| match a {
            TicketAttachment::Sent(a) => (a.id, a.width),
            TicketAttachment::Pending(p) => panic!("still pending: {p:?}"),
        })
        .collect();
    assert_eq!(
        sent,
        [(on_server[0].id, Some(640)), (on_server[1].id, None)]
    );
    server.stop().await;
}

#[tokio::test]
async fn refused_files_leave_nothing_queued() {
    let (server, dir, core) = signed_in("user@acme.example").await;
    let files = tempfile::tempdir().unwrap();
    let fine = write(files.path(), "fine.txt", b"fine");
    let exe = write(files.path(), "setup.txt", b"MZ\x90\0\x03\0\0\0\x04\0\0\0");
    let mut big = png(2, 2);
    big.resize(limits::ATTACHMENT_MAX_BYTES + 1, 0);
    let big = write(files.path(), "huge.png", &big);
    let cached_before = core.refresh_tickets().await.unwrap().tickets.len();

    let err = core
        .file_ticket(
            ticket("Too big"),
            WriteOptions::default().with_files(vec![fine.clone(), big]),
        )
        .await
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::PayloadTooLarge, "{err}");
    let err = core
        .file_ticket(
            ticket("An exe"),
            WriteOptions::default().with_files(vec![fine.clone(), exe]),
        )
        .await
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::Validation, "{err}");
    assert!(err.to_string().contains("not accepted"), "{err}");
    let err = core
        .file_ticket(
            ticket("Missing"),
            WriteOptions::default().with_files(vec![fine, files.path().join("nope.png")]),
        )
        .await
        .unwrap_err();
    assert_eq!(err.code(), ErrorCode::Validation, "{err}");

    assert!(core.outbox().await.unwrap().is_empty());
    assert!(
        outgoing(dir.path()).is_empty(),
        "{:?}",
        outgoing(dir.path())
    );
    assert_eq!(
        core.refresh_tickets().await.unwrap().tickets.len(),
        cached_before
    );
    server.stop().await;
}

#[tokio::test]
async fn a_send_killed_between_ticket_and_files_resumes_without_duplicates() {
    let (server, dir, core) = signed_in("user@acme.example").await;
    let files = tempfile::tempdir().unwrap();
    let paths = [
        write(files.path(), "one.txt", b"first file"),
        write(files.path(), "two.txt", b"second file"),
    ];
    let stopped = server.stop_for_a_while().await;
    let FileOutcome::Queued { item } = core
        .file_ticket(
            ticket("Killed halfway"),
            WriteOptions::default().with_files(paths.to_vec()),
        )
        .await
        .unwrap()
    else {
        panic!("offline: queued");
    };
    let server = stopped.start_again().await;

    // Behind the core's back, with the item's own keys: the ticket and the
    // first file reach the helpdesk, and the process dies before it records
    // either (the worst instant).
    let me = core.session().await.unwrap().unwrap();
    let account = deskmate_core::cache::Account {
        server_url: me.server_url.clone(),
        user_id: me.user.id,
    };
    let write_ = core.cache().next_due(account, true).await.unwrap().unwrap();
    assert_eq!(write_.local_id, item.local_id);
    let client = deskmate_core::backend::ServerClient::new(&server.url).unwrap();
    let token = Sensitive::new(support::keyring_token_of(dir.path()).await);
    let deskmate_core::cache::Write::NewTicket(new) = &write_.write else {
        panic!("a new ticket");
    };
    let filed = client
        .create_ticket(&token, new, &write_.idempotency_key)
        .await
        .unwrap();
    let first = client
        .upload_attachment(
            &token,
            filed.id,
            None,
            "one.txt",
            AttachmentKind::Text,
            b"first file".to_vec(),
            &deskmate_core::file_key(&write_.idempotency_key, 0),
        )
        .await
        .unwrap();

    let report = core.drain_outbox(true).await.unwrap();
    assert_eq!((report.sent, report.pending), (1, 0));
    let agent = Account::agent(&server.url).await;
    let on_server = agent.attachments(filed.id).await;
    let names: Vec<_> = on_server.iter().map(|a| a.file_name.as_str()).collect();
    assert_eq!(names, ["one.txt", "two.txt"], "each file once");
    assert_eq!(
        on_server[0].id, first.id,
        "the first upload was answered again"
    );
    let subjects = support::server_subjects(&server.url, "user@acme.example").await;
    assert_eq!(
        subjects.iter().filter(|s| *s == "Killed halfway").count(),
        1
    );
    assert!(outgoing(dir.path()).is_empty());
    server.stop().await;
}

#[tokio::test]
async fn replies_carry_files_and_downloads_are_checked_and_work_offline() {
    let (server, dir, core) = signed_in("user@acme.example").await;
    let files = tempfile::tempdir().unwrap();
    let id = ticket_id_of(
        &core
            .file_ticket(ticket("Reply with a file"), WriteOptions::default())
            .await
            .unwrap(),
    );
    let shot = png(1200, 900);
    let path = write(files.path(), "after restart.png", &shot);

    let WriteOutcome::Sent { message } = core
        .reply(
            id,
            "Here is the screen now.".into(),
            WriteOptions::default().with_files(vec![path]),
        )
        .await
        .unwrap()
    else {
        panic!("online: sent");
    };
    let view = core.ticket_view(id, true).await.unwrap();
    let [TicketAttachment::Sent(attachment)] = view.attachments.as_slice() else {
        panic!("one sent file: {:?}", view.attachments);
    };
    assert_eq!(attachment.message_id, Some(message.id));
    assert_eq!(attachment.file_name, "after restart.png");
    assert_eq!(
        (attachment.width, attachment.height),
        (Some(1200), Some(900))
    );

    let downloaded = core.attachment_file(id, attachment.id).await.unwrap();
    assert_eq!(std::fs::read(&downloaded).unwrap(), shot);
    let saved = files.path().join("saved.png");
    core.save_attachment(id, attachment.id, &saved)
        .await
        .unwrap();
    assert_eq!(std::fs::read(&saved).unwrap(), shot);
    let to_open = core.attachment_to_open(id, attachment.id).await.unwrap();
    assert!(to_open.ends_with("after restart.png"), "{to_open:?}");
    let thumb = core.thumbnail(id, attachment.id).await.unwrap();
    let thumb = image::load_from_memory(&thumb).unwrap();
    assert_eq!((thumb.width(), thumb.height()), (256, 192));

    // Offline: what was downloaded and thumbnailed still works.
    server.stop().await;
    assert_eq!(
        core.attachment_file(id, attachment.id).await.unwrap(),
        downloaded
    );
    assert!(core.thumbnail(id, attachment.id).await.is_ok());
    let again = files.path().join("again.png");
    core.save_attachment(id, attachment.id, &again)
        .await
        .unwrap();
    assert_eq!(std::fs::read(&again).unwrap(), shot);
    drop(dir);
}

#[tokio::test]
async fn a_download_that_does_not_match_its_hash_is_not_kept() {
    let (server, dir, core) = signed_in("user@acme.example").await;
    let files = tempfile::tempdir().unwrap();
    let path = write(files.path(), "report.pdf", b"%PDF-1.7\n% a report\n");
    let id = ticket_id_of(
        &core
            .file_ticket(
                ticket("Checked download"),
                WriteOptions::default().with_files(vec![path]),
            )
            .await
            .unwrap(),
    );
    let view = core.ticket_view(id, true).await.unwrap();
    let [TicketAttachment::Sent(attachment)] = view.attachments.as_slice() else {
        panic!("one sent file: {:?}", view.attachments);
    };
    // The cache now expects other bytes than the helpdesk sends.
    let attachment_id = attachment.id;
    core.cache()
        .call(move |c| {
            c.execute(
                "UPDATE attachments SET sha256 = ?1 WHERE id = ?2",
                (format!("{:0>64}", "ab"), attachment_id),
            )?;
            Ok(())
        })
        .await
        .unwrap();
    let err = core.attachment_file(id, attachment_id).await.unwrap_err();
    assert!(err.to_string().contains("checksum"), "{err}");
    let kept = std::fs::read_dir(dir.path().join("attachments/files"))
        .map(|d| d.count())
        .unwrap_or(0);
    assert_eq!(kept, 0, "nothing kept");
    // Saving refuses too, leaving no file behind.
    let dest = files.path().join("out.pdf");
    assert!(
        core.save_attachment(id, attachment_id, &dest)
            .await
            .is_err()
    );
    assert!(!dest.exists());
    server.stop().await;
}

#[tokio::test]
async fn a_file_the_helpdesk_refuses_fails_the_item_until_discarded() {
    let (server, dir, core) = signed_in("user@acme.example").await;
    let files = tempfile::tempdir().unwrap();
    // PNG by its first bytes (accepted here), but not a picture the helpdesk
    // can read: it refuses it.
    let mut broken = png(50, 50);
    broken.truncate(60);
    let path = write(files.path(), "broken.png", &broken);
    let FileOutcome::Queued { item } = core
        .file_ticket(
            ticket("Broken screenshot"),
            WriteOptions::default().with_files(vec![path]),
        )
        .await
        .unwrap()
    else {
        panic!("a refused file keeps the item");
    };
    assert_eq!(item.state, OutboxState::Failed);
    assert_eq!(item.error.as_ref().unwrap().code, ErrorCode::Validation);
    // The ticket itself was filed; what is left is its file.
    assert_eq!(item.kind, OutboxKind::Attachments);
    let ticket_id = item.ticket_id.unwrap();
    let view = core.ticket_view(ticket_id, false).await.unwrap();
    assert!(matches!(
        view.attachments.as_slice(),
        [TicketAttachment::Pending(p)] if p.file_name == "broken.png"
    ));
    assert_eq!(outgoing(dir.path()).len(), 1);

    core.discard_outbox_item(item.local_id).await.unwrap();
    assert!(
        outgoing(dir.path()).is_empty(),
        "discarding deletes the copy"
    );
    assert!(core.outbox().await.unwrap().is_empty());
    server.stop().await;
}

#[tokio::test]
async fn files_added_to_a_ticket_and_orphaned_copies() {
    let (server, dir, core) = signed_in("user@acme.example").await;
    let files = tempfile::tempdir().unwrap();
    let id = ticket_id_of(
        &core
            .file_ticket(ticket("Files later"), WriteOptions::default())
            .await
            .unwrap(),
    );
    let paths = [
        write(files.path(), "a.txt", b"alpha"),
        write(
            files.path(),
            "b.zip",
            b"PK\x05\x06\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0\0",
        ),
    ];
    let AttachOutcome::Sent { attachments } = core.attach_files(id, &paths).await.unwrap() else {
        panic!("online: sent");
    };
    let names: Vec<_> = attachments.iter().map(|a| a.file_name.as_str()).collect();
    assert_eq!(names, ["a.txt", "b.zip"]);

    // A copy no item names, left by a crash long ago, goes when the core
    // opens; a young one may be another process's item being committed.
    let outgoing_dir = dir.path().join("attachments/outgoing");
    std::fs::create_dir_all(&outgoing_dir).unwrap();
    let old = outgoing_dir.join("0d1e7a2c-old");
    std::fs::write(&old, "left behind").unwrap();
    let long_ago = std::time::SystemTime::now() - std::time::Duration::from_secs(2 * 3600);
    std::fs::File::options()
        .write(true)
        .open(&old)
        .unwrap()
        .set_modified(long_ago)
        .unwrap();
    let young = outgoing_dir.join("5b1c-young");
    std::fs::write(&young, "being queued").unwrap();
    drop(core);
    let _core = Core::open(dir.path()).await.unwrap();
    assert!(!old.exists());
    assert!(young.exists());
    server.stop().await;
}
