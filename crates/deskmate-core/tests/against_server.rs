//! The real core against a real deskmate-server on 127.0.0.1 port 0, with a
//! temp cache and the real OS keyring (run inside scripts/with-session.sh).
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod support;

use deskmate_api::{Department, ErrorCode, NewTicket, Priority};
use deskmate_core::{Core, CoreError, Sensitive};
use support::TestServer;

fn password() -> Sensitive<String> {
    Sensitive::new("demo-password".to_owned())
}

fn new_ticket(subject: &str) -> NewTicket {
    NewTicket {
        department: Department::Technical,
        priority: Priority::Regular,
        subject: subject.to_owned(),
        body: "The control panel shows error 502 since this morning.".to_owned(),
    }
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

    let created = core
        .create_ticket(new_ticket("Control panel 502"))
        .await
        .unwrap();
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
    let server = TestServer::start().await;
    let dir = tempfile::tempdir().unwrap();
    let core = Core::open(dir.path()).await.unwrap();
    core.login(&server.url, "user@acme.example", password())
        .await
        .unwrap();
    let online = core.refresh_tickets().await.unwrap();
    server.stop().await;

    let offline = core.refresh_tickets().await.unwrap();
    assert!(!offline.online);
    assert_eq!(offline.tickets, online.tickets);
    let err = core
        .create_ticket(new_ticket("While offline"))
        .await
        .unwrap_err();
    assert!(matches!(err, CoreError::Network { .. }), "{err:?}");
}

#[tokio::test]
async fn invalid_tickets_are_refused_before_and_by_the_server() {
    let server = TestServer::start().await;
    let dir = tempfile::tempdir().unwrap();
    let core = Core::open(dir.path()).await.unwrap();
    core.login(&server.url, "user@acme.example", password())
        .await
        .unwrap();
    let before = core.refresh_tickets().await.unwrap().tickets.len();
    let err = core.create_ticket(new_ticket("   ")).await.unwrap_err();
    assert_eq!(err.code(), ErrorCode::Validation);
    assert_eq!(core.refresh_tickets().await.unwrap().tickets.len(), before);
}

#[tokio::test]
async fn logout_forgets_token_and_tickets_and_the_server_session() {
    let server = TestServer::start().await;
    let dir = tempfile::tempdir().unwrap();
    let core = Core::open(dir.path()).await.unwrap();
    core.login(&server.url, "admin@globex.example", password())
        .await
        .unwrap();
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
    let server = TestServer::start().await;
    let dir = tempfile::tempdir().unwrap();
    let core = Core::open(dir.path()).await.unwrap();
    core.login(&server.url, "user@acme.example", password())
        .await
        .unwrap();
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
