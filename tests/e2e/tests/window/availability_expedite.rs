//! The ticket detail's availability windows and paid expedited response, in
//! the real window against a real server.

use deskmate_e2e::{AppWindow, DEMO_PASSWORD, ServerProcess};
use reqwest::Method;
use serde_json::json;

const USER: &str = "user@acme.example";
const AGENT: &str = "agent@provider.example";

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn say_when_to_reach_me_and_expedite_at_the_quoted_price() {
    let server = ServerProcess::start_demo().unwrap();
    let user = server.api_as(USER, DEMO_PASSWORD).await.unwrap();
    let agent = server.api_as(AGENT, DEMO_PASSWORD).await.unwrap();
    let subject = "Expedite check: invoices PDF export times out";
    let filed = user
        .send(
            Method::POST,
            "/api/v1/tickets",
            json!({"department": "technical", "priority": "regular", "subject": subject,
                   "body": "Exporting March's invoices as PDF stops after 30 seconds."}),
        )
        .await
        .unwrap();
    let id = filed["id"].as_i64().unwrap();
    // A regular ticket filed last: not first in the agents' queue yet.
    let queue = agent.get("/api/v1/queue").await.unwrap();
    assert_ne!(queue["tickets"][0]["ticket"]["id"], id, "{queue}");

    let app = AppWindow::launch(&server.url).await.unwrap();
    app.sign_in(USER, DEMO_PASSWORD).await.unwrap();
    let row =
        format!("[data-testid=ticket-row][data-ticket-id='{id}'] [data-testid=ticket-subject]");
    app.click(&row).await.unwrap();
    app.wait_for_texts("[data-testid=detail-subject]", "the detail", |t| {
        t.iter().any(|s| s == subject)
    })
    .await
    .unwrap();

    // When can we reach you: Monday to Friday from 08:30, in Rome.
    app.click("#availability-edit").await.unwrap();
    app.select("#availability-zone-select", "Europe/Rome")
        .await
        .unwrap();
    app.set_value("#availability-weekly-0-from", "08:30")
        .await
        .unwrap();
    app.type_into("#availability-note", "Call the desk phone first.")
        .await
        .unwrap();
    app.click("#availability-save").await.unwrap();
    let shown = app
        .wait_for_texts("[data-testid=availability-weekly]", "the windows", |t| {
            t.len() == 1
        })
        .await
        .unwrap();
    assert!(shown[0].contains("08:30"), "{shown:?}");
    let zone = app
        .find("[data-testid=availability-zone]")
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(zone.contains("Europe/Rome"), "{zone:?}");
    let said = &user.ticket_detail(id).await.unwrap()["ticket"]["availability"];
    assert_eq!(said["time_zone"], "Europe/Rome", "{said}");
    assert_eq!(
        said["weekly"],
        json!([{"days": ["mon", "tue", "wed", "thu", "fri"], "from": "08:30", "to": "17:00"}]),
    );
    assert_eq!(said["dated"], json!([]));
    assert_eq!(said["note"], "Call the desk phone first.");

    // Expedite: the price the helpdesk quotes, a confirm step naming it.
    app.click("#expedite-start").await.unwrap();
    let price = app
        .wait_for_texts("[data-testid=expedite-price]", "the price", |t| {
            t.iter().any(|p| p.contains("49"))
        })
        .await
        .unwrap();
    let confirm = app
        .find("#expedite-confirm")
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(confirm.contains("49"), "{confirm:?} after {price:?}");
    let quote = user
        .get(&format!("/api/v1/tickets/{id}/expedite"))
        .await
        .unwrap();
    assert!(!quote["terms"].as_str().unwrap().is_empty());
    assert_eq!(
        app.find("[data-testid=expedite-terms]")
            .await
            .unwrap()
            .text()
            .await
            .unwrap(),
        quote["terms"].as_str().unwrap()
    );
    app.click("#expedite-confirm").await.unwrap();
    app.find("[data-testid=expedited-since]").await.unwrap();

    let detail = user.ticket_detail(id).await.unwrap();
    assert_eq!(detail["ticket"]["expedited"], true, "{detail}");
    let queue = agent.get("/api/v1/queue").await.unwrap();
    let first = &queue["tickets"][0];
    assert_eq!(first["ticket"]["id"], id, "{queue}");
    assert_eq!(first["expedited"], true);
    assert_eq!(quote["expedited"], serde_json::Value::Null, "{quote}");
    let after = user
        .get(&format!("/api/v1/tickets/{id}/expedite"))
        .await
        .unwrap();
    assert_eq!(after["can_expedite"], false);
    assert_eq!(after["expedited"]["price"], quote["price"], "{after}");
    app.close().await.unwrap();
}
