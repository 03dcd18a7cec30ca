//! Guided remote assistance in the real window, with a fake AnyDesk on the
//! app's PATH (a script answering `--get-id` and reading `--set-password`
//! on stdin, as the real command line does): the agent's request shows as a
//! prompt; declining sends nothing else; consenting hands the ID and a
//! one-time password to that request only; ending it from the app records
//! the end; another organisation gets 404; "ready for remote help now"
//! reaches the agent's queue.

use std::os::unix::fs::PermissionsExt;

use deskmate_e2e::{ApiClient, AppWindow, DEMO_PASSWORD, ServerProcess};
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

const USER: &str = "user@acme.example";
const OTHER_ORG: &str = "admin@globex.example";
const AGENT: &str = "agent@provider.example";
const TOOL_ID: &str = "987654321";

/// A directory holding a fake `anydesk`, and the file its stdin goes to.
fn fake_anydesk() -> (tempfile::TempDir, std::path::PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let stdin = dir.path().join("stdin.log");
    let script = format!(
        "#!/bin/sh\ncase \"$1\" in\n  --version) echo 8.0.0 ;;\n  --get-id) echo {TOOL_ID} ;;\n  --set-password) cat >> '{}' ;;\nesac\n",
        stdin.display()
    );
    let file = dir.path().join("anydesk");
    std::fs::write(&file, script).unwrap();
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o755)).unwrap();
    (dir, stdin)
}

async fn request_session(agent: &ApiClient, ticket: i64, reason: &str) -> i64 {
    let session = agent
        .send(
            Method::POST,
            &format!("/api/v1/tickets/{ticket}/remote-sessions"),
            json!({"reason": reason, "tool": "anydesk"}),
        )
        .await
        .unwrap();
    session["id"].as_i64().unwrap()
}

fn session_of(list: &Value, id: i64) -> &Value {
    list["remote_sessions"]
        .as_array()
        .and_then(|a| a.iter().find(|s| s["id"] == json!(id)))
        .unwrap_or_else(|| panic!("no session {id} in {list}"))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn consent_in_the_window_hands_the_id_to_that_request_only() {
    let server = ServerProcess::start_demo().unwrap();
    let user = server.api_as(USER, DEMO_PASSWORD).await.unwrap();
    let agent = server.api_as(AGENT, DEMO_PASSWORD).await.unwrap();
    let other = server.api_as(OTHER_ORG, DEMO_PASSWORD).await.unwrap();
    let subject = "Remote check: the VPN client drops every 10 minutes";
    let ticket = user
        .send(
            Method::POST,
            "/api/v1/tickets",
            json!({"department": "technical", "priority": "regular", "subject": subject,
                   "body": "The VPN client disconnects every ten minutes since Monday."}),
        )
        .await
        .unwrap()["id"]
        .as_i64()
        .unwrap();
    let list = format!("/api/v1/tickets/{ticket}/remote-sessions");
    let declined = request_session(&agent, ticket, "We would like to read the VPN log.").await;

    let (tools, stdin) = fake_anydesk();
    let path = format!(
        "{}:{}",
        tools.path().display(),
        std::env::var("PATH").unwrap_or_default()
    );
    let app = AppWindow::launch_with_env(&server.url, &[("PATH", &path)])
        .await
        .unwrap();
    app.sign_in(USER, DEMO_PASSWORD).await.unwrap();
    app.find("[data-testid=ticket-row]").await.unwrap();
    app.click("#nav-requests").await.unwrap();

    // The prompt: who asks, why, with what, what they will see and do.
    let card = |id: i64| format!("[data-testid=remote-session][data-remote-session-id='{id}']");
    app.wait_for_texts(
        &format!("{} [data-testid=remote-session-prompt]", card(declined)),
        "the prompt",
        |t| {
            t.iter().any(|s| {
                s.contains("Paolo Provider")
                    && s.contains("AnyDesk")
                    && s.contains("sees your screen")
            })
        },
    )
    .await
    .unwrap();
    app.click(&format!(
        "{} [data-testid=remote-session-decline]",
        card(declined)
    ))
    .await
    .unwrap();
    let sessions = agent
        .wait_for(&list, "the decline", |b| {
            session_of(b, declined)["status"] == "declined"
        })
        .await
        .unwrap();
    assert_eq!(session_of(&sessions, declined)["tool_id"], Value::Null);
    let status = agent
        .status_of(&format!("/api/v1/remote-sessions/{declined}/connection"))
        .await
        .unwrap();
    assert_eq!(status, StatusCode::CONFLICT, "a decline hands over nothing");
    assert!(
        std::fs::read_to_string(&stdin)
            .unwrap_or_default()
            .is_empty(),
        "the tool was not touched for a decline"
    );

    // A second request, reaching the window live: Allow, confirm, steps.
    let consented = request_session(&agent, ticket, "Let us look at the routing table.").await;
    app.click(&format!(
        "{} [data-testid=remote-session-accept]",
        card(consented)
    ))
    .await
    .unwrap();
    let confirm = format!("[data-testid=remote-session-{consented}-confirm-confirm]");
    app.click(&confirm).await.unwrap();
    app.wait_for_texts(
        &format!("{} [data-testid=remote-session-active]", card(consented)),
        "the session under way",
        |t| t.iter().any(|s| s.contains(TOOL_ID)),
    )
    .await
    .unwrap();
    let done = app
        .find_all(&format!(
            "{} [data-testid=consent-steps] li[data-state=done]",
            card(consented)
        ))
        .await
        .unwrap();
    assert_eq!(done.len(), 5, "detect, start, read ID, send, sent");

    // The requesting agent sees the ID and the one-time password; the
    // declined request has none.
    let connection = agent
        .get(&format!("/api/v1/remote-sessions/{consented}/connection"))
        .await
        .unwrap();
    assert_eq!(connection["tool"], "anydesk", "{connection}");
    assert_eq!(connection["tool_id"], TOOL_ID);
    let password = connection["password"].as_str().unwrap().to_owned();
    assert_eq!(std::fs::read_to_string(&stdin).unwrap().trim(), password);
    assert_eq!(
        agent
            .status_of(&format!("/api/v1/remote-sessions/{declined}/connection"))
            .await
            .unwrap(),
        StatusCode::CONFLICT
    );
    let sessions = agent.get(&list).await.unwrap();
    assert_eq!(session_of(&sessions, consented)["status"], "accepted");
    assert_eq!(session_of(&sessions, consented)["tool_id"], TOOL_ID);
    assert_eq!(session_of(&sessions, declined)["tool_id"], Value::Null);
    assert!(!sessions.to_string().contains(&password));

    // Another organisation sees nothing of it.
    for path in [list.clone(), format!("/api/v1/tickets/{ticket}/ready-now")] {
        assert_eq!(
            other.status_of(&path).await.unwrap(),
            StatusCode::NOT_FOUND,
            "{path}"
        );
    }
    let end = other
        .send(
            Method::POST,
            &format!("/api/v1/remote-sessions/{consented}/end"),
            json!({}),
        )
        .await;
    let refused = end.err().and_then(|e| {
        e.downcast_ref::<reqwest::Error>()
            .and_then(reqwest::Error::status)
    });
    assert_eq!(
        refused,
        Some(StatusCode::NOT_FOUND),
        "another organisation's end"
    );

    // Ended from the app: recorded as the customer's end; the password is
    // made useless (a new one nobody knows piped to the tool).
    app.click(&format!(
        "{} [data-testid=remote-session-end]",
        card(consented)
    ))
    .await
    .unwrap();
    let sessions = agent
        .wait_for(&list, "the end", |b| {
            session_of(b, consented)["status"] == "ended"
        })
        .await
        .unwrap();
    assert_eq!(session_of(&sessions, consented)["ended_by"], "customer");
    let piped = std::fs::read_to_string(&stdin).unwrap();
    assert_eq!(piped.lines().count(), 2, "{piped}");
    assert_ne!(piped.lines().last().unwrap(), password);

    // The record in the ticket's conversation; ready now, seen in the queue.
    app.click("#nav-tickets").await.unwrap();
    app.click(&format!(
        "[data-testid=ticket-row][data-ticket-id='{ticket}'] [data-testid=ticket-subject]"
    ))
    .await
    .unwrap();
    app.wait_for_texts(
        &format!("[data-testid=remote-record][data-remote-session-id='{consented}'] [data-testid=remote-record-ended-by]"),
        "the session's record",
        |t| t.iter().any(|s| s.contains("Umberto User")),
    )
    .await
    .unwrap();
    app.click("[data-testid=ready-now-set][data-minutes='60']")
        .await
        .unwrap();
    app.find("[data-testid=ready-now-until]").await.unwrap();
    let queue = agent
        .wait_for("/api/v1/queue", "ready now", |q| {
            q["tickets"].as_array().is_some_and(|a| {
                a.iter()
                    .any(|t| t["ticket"]["id"] == json!(ticket) && t["ready_until"].is_string())
            })
        })
        .await
        .unwrap();
    assert!(queue.to_string().contains("ready_until"));
    app.close().await.unwrap();
}
