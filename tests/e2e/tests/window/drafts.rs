//! Drafts and duplicate suggestions in the real window: a new ticket typed
//! half-way survives the app being killed, is listed after the restart and
//! continues exactly as left; typing a subject like an open ticket's suggests
//! it, and "Add to that ticket instead" opens it with the reply box filled.

use deskmate_e2e::{AppWindow, DEMO_PASSWORD, ServerProcess};

const USER: &str = "user@acme.example";
/// An open demo ticket of the user's organisation.
const BAD_GATEWAY: &str = "Website returns 502 Bad Gateway after PHP upgrade";

async fn value(app: &AppWindow, css: &str) -> String {
    app.find(css)
        .await
        .unwrap()
        .prop("value")
        .await
        .unwrap()
        .unwrap_or_default()
}

async fn signed_in(app: &AppWindow) {
    app.sign_in(USER, DEMO_PASSWORD).await.unwrap();
    app.wait_for_texts("[data-testid=ticket-subject]", "the list", |t| {
        !t.is_empty()
    })
    .await
    .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_draft_survives_the_app_being_killed_and_continues_as_left() {
    let server = ServerProcess::start_demo().unwrap();
    let app = AppWindow::launch(&server.url).await.unwrap();
    signed_in(&app).await;

    let subject = "Nightly backups stopped on Sunday";
    let body = "The backup job of the managed VPS fails every night since Sunday.";
    app.start_ticket("technical", "high", subject, body)
        .await
        .unwrap();
    app.type_into("#affected-service", "Managed VPS")
        .await
        .unwrap();
    app.wait_for_texts("[data-testid=draft-saved]", "the draft saved", |t| {
        t == ["Draft saved"]
    })
    .await
    .unwrap();

    // A hard kill: nothing runs on the way out.
    let data_dir = app.crash().await.unwrap();
    let app = AppWindow::launch_with_data_dir(&server.url, data_dir)
        .await
        .unwrap();
    // Still signed in; the draft is listed.
    app.wait_for_texts("[data-testid=draft-summary]", "the draft listed", |t| {
        t == [subject]
    })
    .await
    .unwrap();
    assert!(
        app.find_all("form#new-ticket").await.unwrap().is_empty(),
        "listed, not opened"
    );

    app.click("[data-testid=draft-resume]").await.unwrap();
    app.find("form#new-ticket").await.unwrap();
    assert_eq!(value(&app, "#subject").await, subject);
    assert_eq!(value(&app, "#body").await, body);
    assert_eq!(value(&app, "#department").await, "technical");
    assert_eq!(value(&app, "#priority").await, "high");
    assert_eq!(value(&app, "#affected-service").await, "Managed VPS");

    // Filed from the draft: the ticket is there and the draft is gone.
    app.click("#new-ticket-submit").await.unwrap();
    app.find("[data-testid=ticket-created]").await.unwrap();
    app.wait_for_texts("[data-testid=draft-item]", "the draft gone", |t| {
        t.is_empty()
    })
    .await
    .unwrap();
    let api = server.api_as(USER, DEMO_PASSWORD).await.unwrap();
    let on_server = api.tickets().await.unwrap();
    assert_eq!(
        on_server.iter().filter(|t| t["subject"] == subject).count(),
        1
    );
    app.close().await.unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_subject_like_an_open_tickets_suggests_adding_to_it() {
    let server = ServerProcess::start_demo().unwrap();
    let api = server.api_as(USER, DEMO_PASSWORD).await.unwrap();
    let id = api
        .tickets()
        .await
        .unwrap()
        .iter()
        .find(|t| t["subject"] == BAD_GATEWAY)
        .expect("the demo data has the 502 ticket")["id"]
        .as_i64()
        .unwrap();
    let app = AppWindow::launch(&server.url).await.unwrap();
    signed_in(&app).await;

    app.click("#new-ticket-button").await.unwrap();
    app.type_into("#subject", "Website returns 502")
        .await
        .unwrap();
    let texts = app
        .wait_for_texts("[data-testid=similar-ticket]", "the suggestion", |t| {
            t.iter().any(|s| s.contains(BAD_GATEWAY))
        })
        .await
        .unwrap();
    assert!(texts.len() <= 3, "{texts:?}");
    let body = "The shop answers 502 on every page since this morning.";
    app.type_into("#body", body).await.unwrap();

    let suggestion = app
        .find(&format!(
            "[data-testid=similar-ticket][data-ticket-id=\"{id}\"]"
        ))
        .await
        .unwrap();
    suggestion
        .find(fantoccini::Locator::Css("[data-testid=add-to-ticket]"))
        .await
        .unwrap()
        .click()
        .await
        .unwrap();
    app.find("#reply-body").await.unwrap();
    let deadline = std::time::Instant::now() + deskmate_e2e::WAIT;
    while value(&app, "#reply-body").await != body {
        assert!(
            std::time::Instant::now() < deadline,
            "the reply box holds {:?}",
            value(&app, "#reply-body").await
        );
        tokio::time::sleep(std::time::Duration::from_millis(150)).await;
    }
    // The new ticket is kept as a draft.
    app.click("#back-to-list").await.unwrap();
    app.wait_for_texts("[data-testid=draft-summary]", "the draft kept", |t| {
        t.iter().any(|s| s == "Website returns 502")
    })
    .await
    .unwrap();
    app.close().await.unwrap();
}
