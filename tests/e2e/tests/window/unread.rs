//! Unread tickets, a waiting ticket's place in the queue, and the language
//! kept across a restart, in the real window against a real server.

use std::time::Duration;

use deskmate_e2e::{AppWindow, DEMO_PASSWORD, ServerProcess};
use reqwest::Method;
use serde_json::json;

const USER: &str = "user@acme.example";
const AGENT: &str = "agent@provider.example";

fn row(id: i64) -> String {
    format!("[data-testid=ticket-row][data-ticket-id='{id}']")
}

/// Waits until the row of ticket `id` is (or is not) marked unread.
async fn wait_unread(app: &AppWindow, id: i64, unread: bool, within: Duration) {
    let css = format!("{} [data-testid=unread-marker]", row(id));
    app.wait_for_texts_within(&css, "the unread marker", within, |t| {
        t.is_empty() != unread
    })
    .await
    .unwrap();
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_answer_makes_a_ticket_unread_until_opened() {
    let server = ServerProcess::start_demo().unwrap();
    let user = server.api_as(USER, DEMO_PASSWORD).await.unwrap();
    let agent = server.api_as(AGENT, DEMO_PASSWORD).await.unwrap();
    let subject = "Unread check: backups fail on srv-db-02";
    let filed = user
        .send(
            Method::POST,
            "/api/v1/tickets",
            json!({"department": "technical", "priority": "high", "subject": subject,
                   "body": "The nightly backup stops at 40% with 'disk quota exceeded'."}),
        )
        .await
        .unwrap();
    let id = filed["id"].as_i64().unwrap();

    // Live only: the answer below can turn the row unread only through the event stream.
    let app = AppWindow::launch_live_only(&server.url).await.unwrap();
    app.sign_in(USER, DEMO_PASSWORD).await.unwrap();
    app.find(&row(id)).await.unwrap();
    // My own ticket, not answered yet: nothing new in it.
    wait_unread(&app, id, false, Duration::from_secs(5)).await;

    // A new ticket waits for the provider: its place and the deadline show.
    app.click(&format!("{} [data-testid=ticket-subject]", row(id)))
        .await
        .unwrap();
    let position = app.find("[data-testid=queue-position]").await.unwrap();
    let detail = user.ticket_detail(id).await.unwrap();
    let expected = detail["queue_position"].as_i64().unwrap();
    assert!(
        position
            .text()
            .await
            .unwrap()
            .ends_with(&format!(": {expected}")),
        "{:?}",
        position.text().await
    );
    let due = app.find("[data-testid=queue-due]").await.unwrap();
    let due_text = due.text().await.unwrap();
    // High priority: due in 4 hours (3 h 59 min rounds to 4).
    assert!(due_text.contains("in 4 hours"), "{due_text:?}");
    let due_at = app
        .find("[data-testid=queue-due] time")
        .await
        .unwrap()
        .attr("datetime")
        .await
        .unwrap()
        .unwrap();
    assert_eq!(
        chrono::DateTime::parse_from_rfc3339(&due_at).unwrap(),
        chrono::DateTime::parse_from_rfc3339(detail["first_response_due_at"].as_str().unwrap())
            .unwrap()
    );
    app.click("#back-to-list").await.unwrap();
    app.find(&row(id)).await.unwrap();

    // The provider answers through the API: the row turns unread on its own.
    agent
        .send(
            Method::POST,
            &format!("/api/v1/tickets/{id}/messages"),
            json!({"body": "We freed space on the backup volume; please check tonight's run."}),
        )
        .await
        .unwrap();
    wait_unread(&app, id, true, Duration::from_secs(30)).await;
    let count = app.find("[data-testid=unread-count]").await.unwrap();
    assert!(
        count.text().await.unwrap().contains("unread"),
        "{:?}",
        count.text().await
    );
    let title = app.execute("return document.title").await.unwrap();
    assert!(
        title.as_str().unwrap_or_default().starts_with('('),
        "{title:?}"
    );

    // Opening it reads it; back in the list the marker is gone.
    app.click(&format!("{} [data-testid=ticket-subject]", row(id)))
        .await
        .unwrap();
    app.wait_for_texts("[data-testid=message]", "the answer", |t| !t.is_empty())
        .await
        .unwrap();
    assert!(
        app.find_all("[data-testid=queue]")
            .await
            .unwrap()
            .is_empty(),
        "answered: no longer waiting"
    );
    app.click("#back-to-list").await.unwrap();
    app.find(&row(id)).await.unwrap();
    wait_unread(&app, id, false, Duration::from_secs(5)).await;

    // The language chosen is the language after a restart; what was read stays read.
    // (The language is a setting: chosen there, then back to the tickets.)
    app.click("#nav-settings").await.unwrap();
    app.select("#language", "it").await.unwrap();
    app.click("#nav-tickets").await.unwrap();
    app.wait_for_texts("#new-ticket-button", "Italian", |t| t == ["Nuovo ticket"])
        .await
        .unwrap();
    // The choice goes to the cache with the switch; give the write a moment.
    tokio::time::sleep(Duration::from_millis(500)).await;
    let data_dir = app.crash().await.unwrap();
    let app = AppWindow::launch_with_data_dir(&server.url, data_dir)
        .await
        .unwrap();
    app.find(&row(id)).await.unwrap();
    app.wait_for_texts("#new-ticket-button", "Italian", |t| t == ["Nuovo ticket"])
        .await
        .unwrap();
    wait_unread(&app, id, false, Duration::from_secs(5)).await;
    app.close().await.unwrap();
}
