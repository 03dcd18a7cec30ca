//! The real app window against a real server: sign in, see tickets, file one.

use deskmate_e2e::{AppWindow, DEMO_PASSWORD, ServerProcess};

const USER: &str = "user@acme.example";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn signing_in_shows_the_organisations_tickets() {
    let server = ServerProcess::start_demo().unwrap();
    let api = server.api_as(USER, DEMO_PASSWORD).await.unwrap();
    let mut expected: Vec<String> = api
        .tickets()
        .await
        .unwrap()
        .iter()
        .map(|t| t["subject"].as_str().unwrap().to_owned())
        .collect();
    assert!(
        expected.len() >= 3,
        "the demo data has Acme tickets: {expected:?}"
    );

    let app = AppWindow::launch(&server.url).await.unwrap();
    app.sign_in(USER, DEMO_PASSWORD).await.unwrap();
    let mut shown = app
        .wait_for_texts("[data-testid=ticket-subject]", "demo tickets", |t| {
            t.len() == expected.len()
        })
        .await
        .unwrap();
    shown.sort();
    expected.sort();
    assert_eq!(shown, expected);
    let who = app.find("[data-testid=signed-in-as]").await.unwrap();
    assert!(who.text().await.unwrap().contains("Acme"));
    app.close().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_ticket_filed_in_the_form_reaches_the_server() {
    let server = ServerProcess::start_demo().unwrap();
    let app = AppWindow::launch(&server.url).await.unwrap();
    app.sign_in(USER, DEMO_PASSWORD).await.unwrap();
    app.find("[data-testid=ticket-row]").await.unwrap();

    let subject = "Backup job fails with 'disk quota exceeded' on srv-db-02";
    let body = "Since 02:00 the nightly backup stops at 40% with 'disk quota exceeded'.";
    app.start_ticket("technical", "high", subject, body)
        .await
        .unwrap();
    app.click("#new-ticket-submit").await.unwrap();

    app.wait_for_texts("[data-testid=ticket-subject]", "the new ticket", |t| {
        t.first().map(String::as_str) == Some(subject)
    })
    .await
    .unwrap();

    let api = server.api_as(USER, DEMO_PASSWORD).await.unwrap();
    let on_server = api.tickets().await.unwrap();
    let filed: Vec<_> = on_server
        .iter()
        .filter(|t| t["subject"] == subject)
        .collect();
    assert_eq!(filed.len(), 1, "filed exactly once: {on_server:?}");
    assert_eq!(filed[0]["department"], "technical");
    assert_eq!(filed[0]["priority"], "high");
    assert_eq!(filed[0]["status"], "open");
    app.close().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_wrong_password_shows_a_clear_error() {
    let server = ServerProcess::start_demo().unwrap();
    let app = AppWindow::launch(&server.url).await.unwrap();
    app.sign_in(USER, "not-the-password").await.unwrap();
    let error = app.find("[data-testid=sign-in-error]").await.unwrap();
    let text = error.text().await.unwrap();
    assert!(text.contains("Wrong e-mail or password"), "{text:?}");
    // Still on the sign-in screen, and nothing was cached.
    app.find("form#sign-in").await.unwrap();
    assert!(
        app.find_all("[data-testid=ticket-row]")
            .await
            .unwrap()
            .is_empty()
    );
    app.close().await.unwrap();
}
