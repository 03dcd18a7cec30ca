//! The real app with its helpdesk gone: what the user files waits on this
//! computer, shown as pending, and arrives once when the helpdesk is back.

use std::time::Duration;

use deskmate_e2e::{AppWindow, DEMO_PASSWORD, ServerProcess};

const USER: &str = "user@acme.example";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_ticket_filed_offline_waits_and_arrives_once() {
    let mut server = ServerProcess::start_demo().unwrap();
    let app = AppWindow::launch(&server.url).await.unwrap();
    app.sign_in(USER, DEMO_PASSWORD).await.unwrap();
    app.find("[data-testid=ticket-row]").await.unwrap();

    server.stop();
    let subject = "Mail relay rejects our newsletter since 08:00";
    let body = "Relay answers '554 5.7.1 rejected' for every recipient.";
    app.start_ticket("technical", "regular", subject, body)
        .await
        .unwrap();
    app.click("#new-ticket-submit").await.unwrap();

    // Kept on this computer and shown as waiting, not as a helpdesk ticket.
    app.find("[data-testid=filed-offline]").await.unwrap();
    app.wait_for_texts("[data-testid=outbox-summary]", "the pending ticket", |t| {
        t == [subject]
    })
    .await
    .unwrap();
    let listed = app
        .wait_for_texts("[data-testid=ticket-subject]", "the cached list", |_| true)
        .await
        .unwrap();
    assert!(!listed.iter().any(|s| s == subject), "{listed:?}");

    // A reply written offline waits too, shown in the conversation as pending.
    let reply = "Also: the relay's TLS certificate expired yesterday.";
    app.click("[data-testid=ticket-row] [data-testid=ticket-subject]")
        .await
        .unwrap();
    let detail = app.find("[data-testid=ticket-detail]").await.unwrap();
    let ticket_id: i64 = detail
        .attr("data-ticket-id")
        .await
        .unwrap()
        .unwrap()
        .parse()
        .unwrap();
    app.type_into("#reply-body", reply).await.unwrap();
    app.click("#reply-submit").await.unwrap();
    app.find("[data-testid=reply-queued]").await.unwrap();
    app.wait_for_texts("[data-testid=pending-message]", "the pending reply", |t| {
        t.iter().any(|m| m.contains(reply))
    })
    .await
    .unwrap();
    app.click("#back-to-list").await.unwrap();

    // The helpdesk comes back; the app sends the ticket on its own.
    server.start_again().unwrap();
    app.wait_for_texts_within(
        "[data-testid=ticket-subject]",
        "the ticket, sent",
        Duration::from_secs(60),
        |t| t.iter().any(|s| s == subject),
    )
    .await
    .unwrap();
    app.wait_for_texts("[data-testid=outbox-summary]", "an empty outbox", |t| {
        t.is_empty()
    })
    .await
    .unwrap();

    let api = server.api_as(USER, DEMO_PASSWORD).await.unwrap();
    let on_server = api.tickets().await.unwrap();
    let filed = on_server.iter().filter(|t| t["subject"] == subject).count();
    assert_eq!(filed, 1, "filed exactly once: {on_server:?}");
    let conversation = api.ticket_detail(ticket_id).await.unwrap();
    let replies = conversation["messages"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|m| m["body"] == reply)
        .count();
    assert_eq!(replies, 1, "the reply arrived once: {conversation}");
    app.close().await.unwrap();
}
