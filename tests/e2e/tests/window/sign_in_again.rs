//! A session ended behind the app's back (the password changed on another
//! computer) in the real window: the app says so on the sign-in screen with
//! the address filled in, and signing in again with the new password finds
//! the draft and the saved tickets where they were. (That an outbox item
//! written meanwhile is delivered is the core's test:
//! crates/deskmate-core/tests/it/sign_in_again.rs.)

use std::time::Duration;

use deskmate_e2e::{AppWindow, DEMO_PASSWORD, ServerProcess};
use serde_json::json;

use crate::billing::email_offered;

const USER: &str = "user@acme.example";
const NEW_PASSWORD: &str = "a-brand-new-password";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_session_ended_elsewhere_asks_to_sign_in_again_and_keeps_the_draft() {
    let server = ServerProcess::start_demo().unwrap();
    let app = AppWindow::launch(&server.url).await.unwrap();
    app.sign_in(USER, DEMO_PASSWORD).await.unwrap();
    let listed = app
        .wait_for_texts("[data-testid=ticket-subject]", "the list", |t| {
            !t.is_empty()
        })
        .await
        .unwrap();

    let subject = "Nightly backups stopped on Sunday";
    app.start_ticket(
        "technical",
        "high",
        subject,
        "The backup job fails every night.",
    )
    .await
    .unwrap();
    app.wait_for_texts("[data-testid=draft-saved]", "the draft saved", |t| {
        t == ["Draft saved"]
    })
    .await
    .unwrap();

    // Another computer changes the password: every other session ends.
    let changed = server
        .api_as(USER, DEMO_PASSWORD)
        .await
        .unwrap()
        .post_status(
            "/api/v1/auth/password",
            json!({"current_password": DEMO_PASSWORD, "new_password": NEW_PASSWORD}),
        )
        .await
        .unwrap();
    assert!(changed.is_success(), "{changed}");

    // The live stream ends with the session; the window asks to sign in again.
    let expired = app
        .wait_for_texts_within(
            "[data-testid=sign-in-expired]",
            "the session-ended notice",
            Duration::from_secs(60),
            |t| !t.is_empty(),
        )
        .await
        .unwrap();
    assert!(
        expired[0].contains("drafts and saved tickets are kept"),
        "{expired:?}"
    );
    assert_eq!(email_offered(&app).await.as_deref(), Some(USER));

    app.type_into("#password", NEW_PASSWORD).await.unwrap();
    app.click("#sign-in-submit").await.unwrap();
    app.wait_for_texts("[data-testid=draft-summary]", "the draft kept", |t| {
        t == [subject]
    })
    .await
    .unwrap();
    let again = app
        .wait_for_texts("[data-testid=ticket-subject]", "the list again", |t| {
            t.len() >= listed.len()
        })
        .await
        .unwrap();
    for s in &listed {
        assert!(again.contains(s), "{s} still listed: {again:?}");
    }
    app.close().await.unwrap();
}
