//! The requests screen in the real window: an agent's remote-session request
//! and an order-delay request, answered in the window, reach the server once.

use std::time::Duration;

use deskmate_e2e::{ApiClient, AppWindow, DEMO_PASSWORD, ServerProcess};
use reqwest::Method;
use serde_json::{Value, json};

const USER: &str = "user@acme.example";
const AGENT: &str = "agent@provider.example";

/// A demo helpdesk, the Acme user's and the agent's API clients, and Acme's id.
async fn demo() -> (ServerProcess, ApiClient, ApiClient, i64) {
    let server = ServerProcess::start_demo().unwrap();
    let user = server.api_as(USER, DEMO_PASSWORD).await.unwrap();
    let agent = server.api_as(AGENT, DEMO_PASSWORD).await.unwrap();
    let acme = user.get("/api/v1/me").await.unwrap()["organisation"]["id"]
        .as_i64()
        .unwrap();
    (server, user, agent, acme)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn answers_given_in_the_window_reach_the_server_once() {
    let (server, user, agent, acme) = demo().await;
    let ticket = user
        .send(
            Method::POST,
            "/api/v1/tickets",
            json!({"department": "technical", "priority": "regular",
                   "subject": "Requests check: mail queue stuck on mx-02",
                   "body": "Outgoing mail waits in the queue since 08:00."}),
        )
        .await
        .unwrap();
    let ticket_id = ticket["id"].as_i64().unwrap();
    let session = agent
        .send(
            Method::POST,
            &format!("/api/v1/tickets/{ticket_id}/remote-sessions"),
            json!({"reason": "We would like to look at the Postfix queue with you.", "tool": "rustdesk"}),
        )
        .await
        .unwrap();
    let session_id = session["id"].as_i64().unwrap();
    let delay = agent
        .send(
            Method::POST,
            "/api/v1/order-delays",
            json!({"organisation_id": acme, "order_number": "E2E-4711",
                   "question": "Which delivery address should we use for the new router?",
                   "due_at": null}),
        )
        .await
        .unwrap();
    let delay_id = delay["id"].as_i64().unwrap();

    let app = AppWindow::launch(&server.url).await.unwrap();
    app.sign_in(USER, DEMO_PASSWORD).await.unwrap();
    app.find("[data-testid=ticket-row]").await.unwrap();
    app.click("#nav-requests").await.unwrap();

    // The remote session: declined (the consent flow has its own test, `remote`).
    let request = format!("[data-testid=remote-session][data-remote-session-id='{session_id}']");
    app.find(&request).await.unwrap();
    app.click(&format!("{request} [data-testid=remote-session-decline]"))
        .await
        .unwrap();

    // The order delay: typed and sent.
    let answer = "Deliver it to Acme Hosting, Dunajska 5, Ljubljana, reception.";
    let field = format!("#order-delay-{delay_id}-answer");
    app.type_into(&field, answer).await.unwrap();
    app.click(&format!(
        "[data-order-delay-id='{delay_id}'] [data-testid=order-delay-submit]"
    ))
    .await
    .unwrap();
    app.wait_for_texts(
        &format!("[data-order-delay-id='{delay_id}'] [data-testid=order-delay-answer]"),
        "the answer shown",
        |t| t.iter().any(|s| s.contains(answer)),
    )
    .await
    .unwrap();

    // On the server, each answer arrived, and once.
    let sessions = agent
        .wait_for(
            &format!("/api/v1/tickets/{ticket_id}/remote-sessions"),
            "the remote-session answer",
            |b| {
                b["remote_sessions"]
                    .as_array()
                    .is_some_and(|a| a.iter().any(|s| s["status"] == "declined"))
            },
        )
        .await
        .unwrap();
    let sessions = sessions["remote_sessions"].as_array().unwrap();
    assert_eq!(sessions.len(), 1, "{sessions:?}");
    assert_eq!(sessions[0]["id"], json!(session_id));
    assert!(sessions[0]["answered_at"].is_string(), "{sessions:?}");
    let delays = agent
        .wait_for("/api/v1/order-delays", "the order-delay answer", |b| {
            b["order_delays"].as_array().is_some_and(|a| {
                a.iter()
                    .any(|d| d["id"] == json!(delay_id) && d["status"] == "answered")
            })
        })
        .await
        .unwrap();
    let ours: Vec<&Value> = delays["order_delays"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["order_number"] == "E2E-4711")
        .collect();
    assert_eq!(ours.len(), 1, "{ours:?}");
    assert_eq!(ours[0]["answer"], json!(answer));
    assert_eq!(ours[0]["answered_by_name"], json!("Umberto User"));

    // Nothing is left to send, nor refused (a second delivery would be, 409).
    tokio::time::sleep(Duration::from_secs(2)).await;
    for refused in [
        "remote-session-refused",
        "order-delay-refused",
        "remote-session-error",
        "order-delay-error",
    ] {
        assert!(
            app.find_all(&format!("[data-testid={refused}]"))
                .await
                .unwrap()
                .is_empty(),
            "{refused} shown"
        );
    }
    app.click("#nav-tickets").await.unwrap();
    app.find("[data-testid=ticket-row]").await.unwrap();
    assert!(
        app.find_all("[data-testid=outbox-item]")
            .await
            .unwrap()
            .is_empty()
    );
    app.close().await.unwrap();
}

/// The two "Done when" lines of services and typed requests, through the
/// window: an announcement for a service Acme does not have is not shown,
/// one for its own service is (named as Acme names it); a site-access answer
/// given in the window's typed fields arrives on the server in those fields.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn service_announcements_and_a_typed_answer_in_the_window() {
    let (server, _user, agent, acme) = demo().await;
    for (title, service) in [
        ("E2E: SIP trunk re-routing", "GLX-SIP-01"),
        ("E2E: web node firmware", "HST-WEB-01"),
    ] {
        agent
            .send(
                Method::POST,
                "/api/v1/announcements",
                json!({"kind": "announcement", "title": title, "body": "Details follow.",
                       "services": [service]}),
            )
            .await
            .unwrap();
    }
    let delay = agent
        .send(
            Method::POST,
            "/api/v1/order-delays",
            json!({"organisation_id": acme, "order_number": "E2E-B-END",
                   "question": "No access at the B end: who lets our technician in?",
                   "kind": "site_access"}),
        )
        .await
        .unwrap();
    let delay_id = delay["id"].as_i64().unwrap();

    let app = AppWindow::launch(&server.url).await.unwrap();
    app.sign_in(USER, DEMO_PASSWORD).await.unwrap();
    app.find("[data-testid=ticket-row]").await.unwrap();
    app.click("#nav-announcements").await.unwrap();
    let shown = app
        .wait_for_texts(
            "[data-testid=announcement-title]",
            "Acme's service's announcement",
            |t| t.iter().any(|s| s == "E2E: web node firmware"),
        )
        .await
        .unwrap();
    assert!(
        !shown.iter().any(|s| s.starts_with("E2E: SIP")),
        "Globex's service's announcement is not Acme's: {shown:?}"
    );
    app.wait_for_texts(
        "[data-testid=announcement-your-services]",
        "the service named as Acme names it",
        |t| t.iter().any(|s| s.contains("Managed web hosting")),
    )
    .await
    .unwrap();

    app.click("#nav-requests").await.unwrap();
    let form = format!("#order-delay-{delay_id}");
    app.type_into(&format!("{form}-contact-name"), "Ada Rossi")
        .await
        .unwrap();
    app.type_into(&format!("{form}-contact-phone"), "+39 02 1234 5678")
        .await
        .unwrap();
    app.type_into(&format!("{form}-contact-email"), "ada@acme.example")
        .await
        .unwrap();
    let tomorrow = (chrono::Utc::now() + chrono::Duration::days(1))
        .date_naive()
        .to_string();
    app.set_value(&format!("{form}-date"), &tomorrow)
        .await
        .unwrap();
    app.click(&format!(
        "[data-order-delay-id='{delay_id}'] [data-testid=order-delay-submit]"
    ))
    .await
    .unwrap();
    let delays = agent
        .wait_for("/api/v1/order-delays", "the typed answer", |b| {
            b["order_delays"].as_array().is_some_and(|a| {
                a.iter()
                    .any(|d| d["id"] == json!(delay_id) && d["status"] == "answered")
            })
        })
        .await
        .unwrap();
    let ours = delays["order_delays"]
        .as_array()
        .unwrap()
        .iter()
        .find(|d| d["id"] == json!(delay_id))
        .unwrap();
    assert_eq!(
        ours["site_contact"],
        json!({"name": "Ada Rossi", "phone": "+39 02 1234 5678", "email": "ada@acme.example"})
    );
    assert_eq!(ours["resolution_date"], json!(tomorrow));
    assert_eq!(ours["answer"], Value::Null);
    app.wait_for_texts(
        &format!("[data-order-delay-id='{delay_id}'] [data-testid=order-delay-contact-answer]"),
        "the answer shown",
        |t| t.iter().any(|s| s.contains("Ada Rossi")),
    )
    .await
    .unwrap();
    app.close().await.unwrap();
}
