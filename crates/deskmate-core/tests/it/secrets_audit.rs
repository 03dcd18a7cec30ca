//! Secrets audit: after a whole session (sign in, file a ticket with a
//! screenshot, sync, follow live events while an agent answers, sign out),
//! neither the session token nor the password is in any file of the data
//! directory (the cache, its WAL and shared memory, the outbox's copies,
//! settings, logs), in the logs at any level, or in the process environment.
//! Real server on port 0, real keyring (run inside scripts/with-session.sh).

use std::io::Cursor;
use std::path::{Path, PathBuf};
use std::time::Duration;

use crate::live::{cached_message, expect};
use crate::no_secrets_in_logs::Captured;
use crate::support::{self, Account, TestServer};
use deskmate_api::{Department, NewTicket, Priority};
use deskmate_core::{Core, FollowOptions, LiveUpdate, Sensitive, WriteOptions};

const PASSWORD: &str = "demo-password";

/// Every regular file under `dir`, however deep.
fn files_under(dir: &Path) -> Vec<PathBuf> {
    let mut found = Vec::new();
    let mut todo = vec![dir.to_path_buf()];
    while let Some(d) = todo.pop() {
        for entry in std::fs::read_dir(&d).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                todo.push(path);
            } else {
                found.push(path);
            }
        }
    }
    found
}

fn contains(haystack: &[u8], needle: &str) -> bool {
    haystack
        .windows(needle.len())
        .any(|w| w == needle.as_bytes())
}

/// The files under `dir` that hold `needle`, and how many files were read.
fn hits(dir: &Path, needle: &str) -> (Vec<PathBuf>, usize) {
    let files = files_under(dir);
    let count = files.len();
    let holding = files
        .into_iter()
        .filter(|f| contains(&std::fs::read(f).unwrap_or_default(), needle))
        .collect();
    (holding, count)
}

/// A real screenshot-sized PNG.
fn screenshot() -> Vec<u8> {
    let picture = image::RgbImage::from_fn(800, 500, |x, y| {
        image::Rgb([(x % 251) as u8, (y % 241) as u8, ((x * y) % 239) as u8])
    });
    let mut out = Vec::new();
    image::DynamicImage::ImageRgb8(picture)
        .write_to(&mut Cursor::new(&mut out), image::ImageFormat::Png)
        .unwrap();
    out
}

#[tokio::test]
async fn no_token_or_password_anywhere_after_a_whole_session() {
    let logs = Captured::global();
    let (_capturing, start) = logs.start();

    let server = TestServer::start().await;
    let dir = tempfile::tempdir().unwrap();
    let files = tempfile::tempdir().unwrap();
    let shot = files.path().join("screen.png");
    std::fs::write(&shot, screenshot()).unwrap();

    let core = Core::open(dir.path()).await.unwrap();
    core.login(
        &server.url,
        "user@acme.example",
        Sensitive::new(PASSWORD.to_owned()),
    )
    .await
    .unwrap();
    core.file_ticket(
        NewTicket::new(
            Department::Technical,
            Priority::Regular,
            "Audited session",
            "The screen shows an error.",
        ),
        WriteOptions::default().with_files(vec![shot]),
    )
    .await
    .unwrap();
    core.refresh_tickets().await.unwrap();
    let ticket = core
        .cached_tickets()
        .await
        .unwrap()
        .into_iter()
        .find(|t| t.subject == "Audited session")
        .expect("the ticket was filed and synced")
        .id;

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
    expect(
        &mut events,
        LiveUpdate::Online { online: true },
        Duration::from_secs(15),
    )
    .await;
    Account::agent(&server.url)
        .await
        .reply(ticket, "Answered while you watched.")
        .await;
    cached_message(
        &core,
        ticket,
        "Answered while you watched.",
        Duration::from_secs(15),
    )
    .await;

    let token = support::keyring_token_of(dir.path()).await;
    assert!(token.len() >= 32, "a real token was issued");
    // While signed in: the token lives in the keyring only.
    for needle in [token.as_str(), PASSWORD] {
        let (holding, read) = hits(dir.path(), needle);
        assert!(
            read >= 2,
            "the cache and its WAL were searched ({read} files)"
        );
        assert!(holding.is_empty(), "a secret is in {holding:?}");
    }

    follower.abort();
    core.logout().await.unwrap();
    server.stop().await;

    for needle in [token.as_str(), PASSWORD] {
        let (holding, _) = hits(dir.path(), needle);
        assert!(
            holding.is_empty(),
            "a secret is in {holding:?} after sign-out"
        );
        assert!(
            !logs.since(start).contains(needle),
            "a secret reached the logs"
        );
        assert!(
            !std::env::vars().any(|(k, v)| k.contains(needle) || v.contains(needle)),
            "a secret is in the environment"
        );
    }
    assert!(
        logs.since(start).contains("signed in"),
        "the session was logged"
    );
    // The search itself finds what it looks for, also inside binary files.
    std::fs::write(
        dir.path().join("probe"),
        [b"\0\x01".as_slice(), token.as_bytes()].concat(),
    )
    .unwrap();
    assert_eq!(hits(dir.path(), &token).0.len(), 1);
}
