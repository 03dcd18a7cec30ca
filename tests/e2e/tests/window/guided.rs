//! The guided new-ticket form in the real window: a technical ticket with
//! every answer reaches the helpdesk with each answer in its place.

use deskmate_e2e::{AppWindow, DEMO_PASSWORD, ServerProcess};

const USER: &str = "user@acme.example";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_technical_ticket_with_every_answer() {
    let server = ServerProcess::start_demo().unwrap();
    let app = AppWindow::launch(&server.url).await.unwrap();
    app.sign_in(USER, DEMO_PASSWORD).await.unwrap();
    app.find("[data-testid=ticket-row]").await.unwrap();

    let subject = "Database server unreachable after kernel update";
    app.click("#new-ticket-button").await.unwrap();
    app.select("#department", "technical").await.unwrap();
    app.select("#priority", "high").await.unwrap();
    app.type_into("#subject", subject).await.unwrap();
    app.type_into(
        "#body",
        "srv-db-02 does not answer on 5432 since the reboot.",
    )
    .await
    .unwrap();
    app.type_into("#affected-service", "Managed VPS")
        .await
        .unwrap();
    app.type_into("#reference", "198.51.100.20").await.unwrap();
    app.select("#incident-time-zone", "Europe/Rome")
        .await
        .unwrap();
    // Typed as a user would in a date and a time field.
    app.set_value("#incident-date", "2026-01-14").await.unwrap();
    app.set_value("#incident-time", "02:10").await.unwrap();
    app.type_into("#error-message", "connection refused")
        .await
        .unwrap();
    app.type_into("#steps", "1. apt upgrade\n2. reboot")
        .await
        .unwrap();
    app.type_into("#tried", "Restarted postgresql.")
        .await
        .unwrap();
    app.click("#new-ticket-submit").await.unwrap();

    app.wait_for_texts("[data-testid=ticket-subject]", "the new ticket", |t| {
        t.first().map(String::as_str) == Some(subject)
    })
    .await
    .unwrap();
    let api = server.api_as(USER, DEMO_PASSWORD).await.unwrap();
    let tickets = api.tickets().await.unwrap();
    let filed: Vec<_> = tickets.iter().filter(|t| t["subject"] == subject).collect();
    assert_eq!(filed.len(), 1, "filed once: {tickets:?}");
    let d = &filed[0]["details"];
    assert_eq!(d["affected_service"], "Managed VPS");
    assert_eq!(d["reference"], "198.51.100.20");
    assert_eq!(d["incident_time_zone"], "Europe/Rome");
    assert_eq!(
        d["incident_started_at"], "2026-01-14T01:10:00Z",
        "02:10 in Rome"
    );
    assert_eq!(d["error_message"], "connection refused");
    assert_eq!(d["steps"], "1. apt upgrade\n2. reboot");
    assert_eq!(d["tried"], "Restarted postgresql.");
    assert_eq!(filed[0]["priority"], "high");
    app.close().await.unwrap();
}
