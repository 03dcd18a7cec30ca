//! A session ended behind the app's back (the password changed on another
//! computer) in the real window: the app says so on the sign-in screen with
//! the address filled in, and signing in again with the new password finds
//! the draft and the saved tickets where they were. (That an outbox item
//! written meanwhile is delivered is the core's test:
//! crates/deskmate-core/tests/it/sign_in_again.rs.) And "Forgot password?"
//! against a real SMTP server: the mailed code sets a new password once.

use std::time::Duration;

use deskmate_e2e::smtp::SmtpSink;
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

/// Sets a new password on the "Forgot password?" form with `code`.
async fn set_password_with(app: &AppWindow, code: &str) {
    app.type_into("#reset-code", code).await.unwrap();
    app.type_into("#reset-password", NEW_PASSWORD)
        .await
        .unwrap();
    app.type_into("#reset-repeat", NEW_PASSWORD).await.unwrap();
    app.click("#reset-submit").await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn forgot_password_sets_a_new_one_with_the_mailed_code_once() {
    let sink = SmtpSink::start().await;
    let server = ServerProcess::start_demo_with_mail(&sink.url()).unwrap();
    let app = AppWindow::launch(&server.url).await.unwrap();
    app.find("form#sign-in").await.unwrap();
    app.type_into("#email", USER).await.unwrap();
    app.click("[data-testid=forgot-password]").await.unwrap();
    app.click("#reset-send").await.unwrap();
    let sent = app.find("[data-testid=reset-sent]").await.unwrap();
    assert!(
        sent.text()
            .await
            .unwrap()
            .contains(&format!("If {USER} has an account")),
        "the window does not tell whether the address has an account"
    );

    let mails = sink.wait_for(1).await;
    assert_eq!(mails[0].to, USER);
    let code = mails[0]
        .body
        .lines()
        .find_map(|l| l.split_once("/reset-password?token="))
        .map(|(_, code)| code.trim().to_owned())
        .unwrap_or_else(|| panic!("no code in {}", mails[0].body));
    set_password_with(&app, &code).await;
    let notice = app.find("[data-testid=sign-in-notice]").await.unwrap();
    assert!(notice.text().await.unwrap().contains("new password is set"));

    // The code works once.
    app.click("[data-testid=forgot-password]").await.unwrap();
    app.click("[data-testid=reset-have-code]").await.unwrap();
    set_password_with(&app, &code).await;
    let refusal = app.find("[data-testid=reset-error]").await.unwrap();
    assert!(
        refusal.text().await.unwrap().contains("used already"),
        "a spent code is refused in clear words"
    );
    app.click("[data-testid=reset-cancel]").await.unwrap();

    // The new password signs in; the address is the account's.
    assert_eq!(email_offered(&app).await.as_deref(), Some(USER));
    app.type_into("#password", NEW_PASSWORD).await.unwrap();
    app.click("#sign-in-submit").await.unwrap();
    app.find("[data-testid=ticket-row]").await.unwrap();
    app.close().await.unwrap();
}
