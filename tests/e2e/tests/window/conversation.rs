//! The ticket detail in the real window: the conversation, a reply from the
//! window, an agent's answer arriving on its own (through the live stream
//! only), reopening a closed ticket.

use std::time::Duration;

use deskmate_e2e::{AppWindow, DEMO_PASSWORD, ServerProcess};
use reqwest::Method;
use serde_json::json;

const USER: &str = "user@acme.example";
const AGENT: &str = "agent@provider.example";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn reply_see_the_agents_answer_and_reopen() {
    let server = ServerProcess::start_demo().unwrap();
    let user_api = server.api_as(USER, DEMO_PASSWORD).await.unwrap();
    let agent = server.api_as(AGENT, DEMO_PASSWORD).await.unwrap();
    let newest = user_api.tickets().await.unwrap()[0].clone();
    let id = newest["id"].as_i64().unwrap();
    let subject = newest["subject"].as_str().unwrap().to_owned();

    // Live only: the agent's answer below can reach the window only by the event stream.
    let app = AppWindow::launch_live_only(&server.url).await.unwrap();
    app.sign_in(USER, DEMO_PASSWORD).await.unwrap();
    app.wait_for_texts("[data-testid=ticket-subject]", "the list", |t| {
        t.contains(&subject)
    })
    .await
    .unwrap();
    app.click(&format!(
        "[data-testid=ticket-row][data-ticket-id='{id}'] [data-testid=ticket-subject]"
    ))
    .await
    .unwrap();
    app.wait_for_texts("[data-testid=detail-subject]", "the detail", |t| {
        t == std::slice::from_ref(&subject)
    })
    .await
    .unwrap();

    // The customer never sees the agents' internal note of the demo ticket.
    let before = app
        .wait_for_texts("[data-testid=message]", "the conversation", |t| {
            !t.is_empty()
        })
        .await
        .unwrap();
    assert!(
        !before.iter().any(|m| m.contains("pool.d/www.conf")),
        "{before:?}"
    );

    // A reply typed in the window reaches the helpdesk once.
    let reply = "Rolled back to PHP 8.2, still 502 on every page.";
    app.type_into("#reply-body", reply).await.unwrap();
    app.click("#reply-submit").await.unwrap();
    app.wait_for_texts("[data-testid=message]", "my reply", |t| {
        t.iter().any(|m| m.contains(reply))
    })
    .await
    .unwrap();
    let detail = agent.ticket_detail(id).await.unwrap();
    let copies = detail["messages"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["body"] == reply)
        .count();
    assert_eq!(copies, 1);

    // The agent answers through the API; the window shows it on its own.
    let answer = "We restarted php8.3-fpm with the right socket; please check again.";
    agent
        .send(
            Method::POST,
            &format!("/api/v1/tickets/{id}/messages"),
            json!({"body": answer}),
        )
        .await
        .unwrap();
    app.wait_for_texts_within(
        "[data-testid=message]",
        "the agent's answer",
        Duration::from_secs(30),
        |t| t.iter().any(|m| m.contains(answer)),
    )
    .await
    .unwrap();

    // Closed by the agent: the window offers to reopen with new details.
    agent
        .send(
            Method::PATCH,
            &format!("/api/v1/tickets/{id}"),
            json!({"status": "closed"}),
        )
        .await
        .unwrap();
    app.find("form#reopen").await.unwrap();
    let details = "It is back since 07:40 after tonight's deploy.";
    app.type_into("#reopen-details", details).await.unwrap();
    app.click("#reopen-submit").await.unwrap();
    app.find("form#reply").await.unwrap();
    let detail = agent.ticket_detail(id).await.unwrap();
    assert_eq!(detail["ticket"]["status"], "open");
    assert!(
        detail["messages"]
            .as_array()
            .unwrap()
            .iter()
            .any(|m| m["body"] == details)
    );
    app.close().await.unwrap();
}
