//! The keyboard alone, in the real window: sign in, file a ticket, open it
//! and come back, with Tab, Enter, Escape and typed keys (WebDriver key
//! actions), and a visible focus ring on every stop along the way.

use deskmate_e2e::{AppWindow, DEMO_PASSWORD, ServerProcess};
use fantoccini::key::Key;

const USER: &str = "user@acme.example";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn file_a_ticket_and_open_it_with_the_keyboard_only() {
    let server = ServerProcess::start_demo().unwrap();
    let app = AppWindow::launch(&server.url).await.unwrap();
    app.find("form#sign-in").await.unwrap();

    // The helpdesk address is prefilled (the app was started with it).
    app.tab_to("email").await.unwrap();
    app.type_keys(USER).await.unwrap();
    app.tab_to("password").await.unwrap();
    app.type_keys(DEMO_PASSWORD).await.unwrap();
    app.press(Key::Enter).await.unwrap();
    app.find("[data-testid=ticket-row]").await.unwrap();

    app.tab_to("new-ticket-button").await.unwrap();
    app.press(Key::Enter).await.unwrap();
    app.find("form#new-ticket").await.unwrap();
    let subject = "Keyboard only: VPN drops every ten minutes";
    app.tab_to("subject").await.unwrap();
    app.type_keys(subject).await.unwrap();
    app.tab_to("body").await.unwrap();
    app.type_keys("The VPN client disconnects every ten minutes since Monday.")
        .await
        .unwrap();
    app.tab_to("new-ticket-submit").await.unwrap();
    app.press(Key::Enter).await.unwrap();
    app.wait_for_texts("[data-testid=ticket-subject]", "the new ticket", |t| {
        t.first().map(String::as_str) == Some(subject)
    })
    .await
    .unwrap();

    // From the top of the window to the new ticket's row, then into it.
    app.tab_until("[data-testid=ticket-subject]", Some(subject))
        .await
        .unwrap();
    app.press(Key::Enter).await.unwrap();
    app.wait_for_texts("[data-testid=detail-subject]", "the detail", |t| {
        t == [subject.to_owned()]
    })
    .await
    .unwrap();
    // The detail's heading takes the focus, so a screen reader starts there.
    let heading = app.focused("h1", None).await.unwrap();
    assert!(heading.matches, "{heading:?}");
    app.find("[data-testid=queue-position]").await.unwrap();

    // Escape goes back to the list, with the focus on the row left.
    app.press(Key::Escape).await.unwrap();
    app.find("[data-testid=ticket-row]").await.unwrap();
    let back = app
        .focused("[data-testid=ticket-subject]", Some(subject))
        .await
        .unwrap();
    assert!(back.matches, "focus after Escape: {back:?}");

    let api = server.api_as(USER, DEMO_PASSWORD).await.unwrap();
    let filed = api
        .tickets()
        .await
        .unwrap()
        .into_iter()
        .filter(|t| t["subject"] == subject)
        .count();
    assert_eq!(filed, 1);
    app.close().await.unwrap();
}
