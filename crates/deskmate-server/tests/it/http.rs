//! The API over real HTTP, on both engines: a real server on 127.0.0.1
//! port 0 with a fresh database per test. Tickets, their conversation and
//! the queue here; sessions, live changes and the binary in their own files.

use crate::support::*;
use reqwest::StatusCode;
use serde_json::{Value, json};

async fn health_answers(engine: Engine) {
    let h = Helpdesk::start(engine).await;
    let body: Value = h
        .http
        .get(format!("{}/api/health", h.url))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(body["status"], "ok");
    h.server.shutdown().await;
}

async fn everyone_sees_exactly_what_their_rights_allow(engine: Engine) {
    let h = Helpdesk::start(engine).await;
    let acme_user = h.tickets(&h.login("user@acme.example").await).await;
    let acme_admin = h.tickets(&h.login("admin@acme.example").await).await;
    let globex = h.tickets(&h.login("admin@globex.example").await).await;
    let agent = h.tickets(&h.login("agent@provider.example").await).await;

    assert!(acme_user.len() >= 3);
    assert_eq!(acme_user, acme_admin, "the user may see all Acme tickets");
    let acme_org = acme_user[0]["organisation_id"].clone();
    assert!(acme_user.iter().all(|t| t["organisation_id"] == acme_org));
    assert!(
        acme_user
            .iter()
            .any(|t| t["requester_name"] == "Alice Admin")
    );
    assert!(!globex.is_empty());
    assert!(globex.iter().all(|t| t["organisation_id"] != acme_org));
    assert_eq!(
        agent.len(),
        acme_user.len() + globex.len(),
        "agents see every ticket"
    );

    // Newest activity first.
    let times: Vec<&str> = acme_user
        .iter()
        .map(|t| t["updated_at"].as_str().unwrap())
        .collect();
    let mut sorted = times.clone();
    sorted.sort_by(|a, b| b.cmp(a));
    assert_eq!(times, sorted);
    h.server.shutdown().await;
}

async fn filing_a_ticket_stores_it_for_the_organisation(engine: Engine) {
    let h = Helpdesk::start(engine).await;
    let user = h.login("user@acme.example").await;
    let r = h
        .post_raw(
            "/api/v1/tickets",
            Some(&user),
            ticket("  Control panel 502  ").to_string(),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::CREATED);
    let created: Value = r.json().await.unwrap();
    assert_eq!(created["subject"], "Control panel 502", "subject trimmed");
    assert_eq!(created["status"], "open");
    assert_eq!(created["requester_name"], "Umberto User");

    let admin = h.login("admin@acme.example").await;
    assert_eq!(h.tickets(&admin).await[0]["id"], created["id"]);
    let globex = h.login("admin@globex.example").await;
    assert!(
        h.tickets(&globex)
            .await
            .iter()
            .all(|t| t["id"] != created["id"])
    );

    // Agents answer tickets, they do not file them.
    let agent = h.login("agent@provider.example").await;
    let before = h.ticket_count().await;
    let r = h
        .post_raw(
            "/api/v1/tickets",
            Some(&agent),
            ticket("From an agent").to_string(),
        )
        .send()
        .await
        .unwrap();
    expect_error(r, StatusCode::FORBIDDEN, "forbidden").await;
    assert_eq!(h.ticket_count().await, before);
    h.server.shutdown().await;
}

async fn bad_input_is_a_typed_4xx_and_changes_nothing(engine: Engine) {
    let h = Helpdesk::start(engine).await;
    let user = h.login("user@acme.example").await;
    let before = h.ticket_count().await;
    let cases: Vec<(String, StatusCode, &str)> = vec![
        ("{\"department\": \"technical\"".into(), StatusCode::BAD_REQUEST, "bad_request"),
        ("not json at all".into(), StatusCode::BAD_REQUEST, "bad_request"),
        ("[]".into(), StatusCode::BAD_REQUEST, "bad_request"),
        (json!({"department": "technical", "priority": "regular", "subject": "No body"}).to_string(), StatusCode::BAD_REQUEST, "bad_request"),
        (json!({"department": "technical", "priority": "regular", "subject": 7, "body": "x"}).to_string(), StatusCode::BAD_REQUEST, "bad_request"),
        (json!({"department": "technical", "priority": "regular", "subject": "s", "body": "b", "admin": true}).to_string(), StatusCode::BAD_REQUEST, "bad_request"),
        (json!({"department": "sales", "priority": "regular", "subject": "s", "body": "b"}).to_string(), StatusCode::UNPROCESSABLE_ENTITY, "validation"),
        (json!({"department": "technical", "priority": "urgent", "subject": "s", "body": "b"}).to_string(), StatusCode::UNPROCESSABLE_ENTITY, "validation"),
        (json!({"department": "technical", "priority": "regular", "subject": "   ", "body": "b"}).to_string(), StatusCode::UNPROCESSABLE_ENTITY, "validation"),
        (json!({"department": "technical", "priority": "regular", "subject": "x".repeat(201), "body": "b"}).to_string(), StatusCode::UNPROCESSABLE_ENTITY, "validation"),
        (json!({"department": "technical", "priority": "regular", "subject": "s", "body": "b".repeat(2 * 1024 * 1024)}).to_string(), StatusCode::PAYLOAD_TOO_LARGE, "payload_too_large"),
    ];
    for (body, status, code) in cases {
        let r = h
            .post_raw("/api/v1/tickets", Some(&user), body.clone())
            .send()
            .await
            .unwrap();
        let shown: String = body.chars().take(80).collect();
        assert_eq!(r.status(), status, "for {shown}");
        expect_error(r, status, code).await;
    }
    // Not JSON by its content type.
    let r = h
        .http
        .post(format!("{}/api/v1/tickets", h.url))
        .bearer_auth(&user)
        .header("content-type", "text/plain")
        .body(ticket("Plain text").to_string())
        .send()
        .await
        .unwrap();
    expect_error(r, StatusCode::BAD_REQUEST, "bad_request").await;
    // No token: refused before the body is looked at.
    let r = h
        .post_raw("/api/v1/tickets", None, ticket("Anonymous").to_string())
        .send()
        .await
        .unwrap();
    expect_error(r, StatusCode::UNAUTHORIZED, "unauthorized").await;
    // Malformed sign-in.
    let r = h
        .post_raw("/api/v1/auth/login", None, "{\"email\": 1}")
        .send()
        .await
        .unwrap();
    expect_error(r, StatusCode::BAD_REQUEST, "bad_request").await;
    let r = h
        .post_raw(
            "/api/v1/auth/login",
            None,
            json!({"email": "", "password": ""}).to_string(),
        )
        .send()
        .await
        .unwrap();
    expect_error(r, StatusCode::UNPROCESSABLE_ENTITY, "validation").await;
    // Unknown routes and methods.
    let r = h
        .http
        .get(format!("{}/api/v1/nothing-here", h.url))
        .send()
        .await
        .unwrap();
    expect_error(r, StatusCode::NOT_FOUND, "not_found").await;
    let r = h
        .http
        .delete(format!("{}/api/v1/tickets", h.url))
        .send()
        .await
        .unwrap();
    expect_error(r, StatusCode::METHOD_NOT_ALLOWED, "bad_request").await;

    assert_eq!(h.ticket_count().await, before, "nothing was filed");
    h.server.shutdown().await;
}

async fn a_repeated_idempotency_key_files_once(engine: Engine) {
    let h = Helpdesk::start(engine).await;
    let user = h.login("user@acme.example").await;
    let before = h.ticket_count().await;
    let send = |body: Value, key: &'static str| {
        h.post_raw("/api/v1/tickets", Some(&user), body.to_string())
            .header("idempotency-key", key)
            .send()
    };
    let first = send(ticket("Retried after a timeout"), "key-1")
        .await
        .unwrap();
    assert_eq!(first.status(), StatusCode::CREATED);
    let first: Value = first.json().await.unwrap();
    // The retries race each other too.
    let (a, b) = tokio::join!(
        send(ticket("Retried after a timeout"), "key-1"),
        send(ticket("Retried after a timeout"), "key-1")
    );
    for r in [a.unwrap(), b.unwrap()] {
        assert_eq!(r.status(), StatusCode::CREATED);
        assert_eq!(r.json::<Value>().await.unwrap(), first);
    }
    assert_eq!(h.ticket_count().await, before + 1);

    // The same key for something else is a conflict, not a silent replay.
    let r = send(ticket("Another problem"), "key-1").await.unwrap();
    expect_error(r, StatusCode::CONFLICT, "conflict").await;
    // Keys are per user: another user's same key files their own ticket.
    let admin = h.login("admin@acme.example").await;
    let r = h
        .post_raw(
            "/api/v1/tickets",
            Some(&admin),
            ticket("Retried after a timeout").to_string(),
        )
        .header("idempotency-key", "key-1")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::CREATED);
    assert_eq!(h.ticket_count().await, before + 2);
    h.server.shutdown().await;
}

async fn a_restarted_server_keeps_its_data_and_does_not_reseed(engine: Engine) {
    let h = Helpdesk::start(engine).await;
    let user = h.login("user@acme.example").await;
    let r = h
        .post_raw(
            "/api/v1/tickets",
            Some(&user),
            ticket("Survives a restart").to_string(),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::CREATED);
    let count = h.ticket_count().await;
    let Helpdesk {
        db_url,
        server,
        _dir,
        ..
    } = h;
    server.shutdown().await;

    let h = Helpdesk::launch(db_url, _dir).await;
    assert_eq!(h.ticket_count().await, count);
    let user = h.login("user@acme.example").await;
    assert!(
        h.tickets(&user)
            .await
            .iter()
            .any(|t| t["subject"] == "Survives a restart")
    );
    h.server.shutdown().await;
}

async fn a_conversation_follows_the_status_rules(engine: Engine) {
    use reqwest::Method;
    let h = Helpdesk::start(engine).await;
    let user = h.login("user@acme.example").await;
    let agent = h.login("agent@provider.example").await;
    let id = h.file(&user, "Backups fail since Monday").await;
    let messages = format!("/api/v1/tickets/{id}/messages");

    // The agent answers: the ticket waits for the customer.
    let r = h
        .send(
            Method::POST,
            &messages,
            &agent,
            json!({"body": "Which backup job?"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let reply: Value = r.json().await.unwrap();
    assert_eq!(reply["author_kind"], "agent");
    assert_eq!(reply["author_name"], "Paolo Provider");
    let note = json!({"body": "Probably the quota again.", "internal": true});
    let r = h.send(Method::POST, &messages, &agent, note).await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let seen = h.detail(id, &user).await;
    assert_eq!(seen["ticket"]["status"], "waiting_for_customer");
    assert_eq!(
        seen["messages"].as_array().unwrap().len(),
        1,
        "no internal note: {seen}"
    );
    assert_eq!(
        h.detail(id, &agent).await["messages"]
            .as_array()
            .unwrap()
            .len(),
        2
    );

    // The customer answers: back to the provider. Customers write no notes.
    let r = h
        .send(
            Method::POST,
            &messages,
            &user,
            json!({"body": "The nightly one.", "internal": true}),
        )
        .await;
    expect_error(r, StatusCode::FORBIDDEN, "forbidden").await;
    let r = h
        .send(
            Method::POST,
            &messages,
            &user,
            json!({"body": "The nightly one."}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    assert_eq!(h.detail(id, &user).await["ticket"]["status"], "open");

    // Only agents set a status; an unknown one is a 422.
    let path = format!("/api/v1/tickets/{id}");
    let r = h
        .send(Method::PATCH, &path, &user, json!({"status": "closed"}))
        .await;
    expect_error(r, StatusCode::FORBIDDEN, "forbidden").await;
    let r = h
        .send(Method::PATCH, &path, &agent, json!({"status": "done"}))
        .await;
    expect_error(r, StatusCode::UNPROCESSABLE_ENTITY, "validation").await;
    let r = h
        .send(Method::PATCH, &path, &agent, json!({"status": "closed"}))
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let closed = h.detail(id, &user).await;
    assert_eq!(closed["ticket"]["status"], "closed");
    assert!(closed["reopen_until"].is_string(), "{closed}");

    // A closed ticket takes no reply, only a reopen with new details.
    let r = h
        .send(Method::POST, &messages, &user, json!({"body": "Again!"}))
        .await;
    expect_error(r, StatusCode::CONFLICT, "conflict").await;
    let reopen = format!("/api/v1/tickets/{id}/reopen");
    let r = h
        .send(Method::POST, &reopen, &user, json!({"details": "  "}))
        .await;
    expect_error(r, StatusCode::UNPROCESSABLE_ENTITY, "validation").await;
    let r = h
        .send(
            Method::POST,
            &reopen,
            &user,
            json!({"details": "It failed again tonight at 02:10."}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let reopened = h.detail(id, &user).await;
    assert_eq!(reopened["ticket"]["status"], "open");
    assert!(reopened["reopen_until"].is_null());
    let last = reopened["messages"]
        .as_array()
        .unwrap()
        .last()
        .unwrap()
        .clone();
    assert_eq!(last["body"], "It failed again tonight at 02:10.");
    let r = h
        .send(
            Method::POST,
            &reopen,
            &user,
            json!({"details": "Once more"}),
        )
        .await;
    expect_error(r, StatusCode::CONFLICT, "conflict").await;

    // A retried reply is stored once.
    let count = reopened["messages"].as_array().unwrap().len();
    for _ in 0..2 {
        let r = h
            .http
            .post(format!("{}{messages}", h.url))
            .bearer_auth(&user)
            .header("idempotency-key", "reply-1")
            .json(&json!({"body": "Log attached next."}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::CREATED);
    }
    assert_eq!(
        h.detail(id, &user).await["messages"]
            .as_array()
            .unwrap()
            .len(),
        count + 1
    );
    // The same key on another route is a conflict, not a replay.
    let r = h
        .http
        .post(format!("{}/api/v1/tickets", h.url))
        .bearer_auth(&user)
        .header("idempotency-key", "reply-1")
        .json(&ticket("Something else"))
        .send()
        .await
        .unwrap();
    expect_error(r, StatusCode::CONFLICT, "conflict").await;
    h.server.shutdown().await;
}

async fn other_organisations_tickets_do_not_exist(engine: Engine) {
    use reqwest::Method;
    let h = Helpdesk::start(engine).await;
    let acme = h.login("user@acme.example").await;
    let globex = h.login("admin@globex.example").await;
    let id = h.file(&acme, "Acme only").await;
    let before = h.detail(id, &acme).await;

    let unknown = h.get("/api/v1/tickets/999999", &globex).await;
    let unknown = expect_error(unknown, StatusCode::NOT_FOUND, "not_found").await;
    let foreign = h.get(&format!("/api/v1/tickets/{id}"), &globex).await;
    let foreign = expect_error(foreign, StatusCode::NOT_FOUND, "not_found").await;
    assert_eq!(
        foreign.replace(&id.to_string(), "N"),
        unknown.replace("999999", "N"),
        "the same answer as for an unknown id"
    );
    for (method, path, body) in [
        (
            Method::POST,
            format!("/api/v1/tickets/{id}/messages"),
            json!({"body": "hi"}),
        ),
        (
            Method::POST,
            format!("/api/v1/tickets/{id}/reopen"),
            json!({"details": "hi"}),
        ),
        (
            Method::PATCH,
            format!("/api/v1/tickets/{id}"),
            json!({"status": "closed"}),
        ),
    ] {
        let r = h.send(method, &path, &globex, body).await;
        expect_error(r, StatusCode::NOT_FOUND, "not_found").await;
    }
    for path in [
        "/api/v1/tickets/abc",
        "/api/v1/tickets/-1",
        "/api/v1/tickets/0",
    ] {
        expect_error(h.get(path, &acme).await, StatusCode::NOT_FOUND, "not_found").await;
    }
    let r = h
        .send(
            Method::POST,
            &format!("/api/v1/tickets/{id}/messages"),
            &acme,
            json!({"text": "wrong field"}),
        )
        .await;
    expect_error(r, StatusCode::BAD_REQUEST, "bad_request").await;
    assert_eq!(h.detail(id, &acme).await, before, "nothing changed");
    h.server.shutdown().await;
}

async fn reopening_is_refused_after_the_window(engine: Engine) {
    use reqwest::Method;
    let config = deskmate_server::Config {
        reopen_window: chrono::Duration::zero(),
        ..deskmate_server::Config::default()
    };
    let h = Helpdesk::start_with(engine, config).await;
    let user = h.login("user@acme.example").await;
    let agent = h.login("agent@provider.example").await;
    let id = h.file(&user, "Closed long ago").await;
    let r = h
        .send(
            Method::PATCH,
            &format!("/api/v1/tickets/{id}"),
            &agent,
            json!({"status": "closed"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    tokio::time::sleep(std::time::Duration::from_millis(5)).await;
    let r = h
        .send(
            Method::POST,
            &format!("/api/v1/tickets/{id}/reopen"),
            &user,
            json!({"details": "Still broken"}),
        )
        .await;
    let message = expect_error(r, StatusCode::CONFLICT, "conflict").await;
    assert!(message.contains("file a new ticket"), "{message}");
    assert_eq!(h.detail(id, &user).await["ticket"]["status"], "closed");
    h.server.shutdown().await;
}

async fn the_guided_forms_answers_are_kept_and_checked(engine: Engine) {
    use reqwest::Method;
    let h = Helpdesk::start(engine).await;
    let user = h.login("user@acme.example").await;
    let before = h.ticket_count().await;
    let guided = |details: Value| {
        json!({
            "department": "technical",
            "priority": "high",
            "subject": "Backups fail on srv-db-02",
            "body": "The nightly backup stops at 40%.",
            "details": details,
        })
    };
    let full = json!({
        "affected_service": "  Managed VPS  ",
        "reference": "203.0.113.24",
        "incident_started_at": "2026-01-14T02:10:00+01:00",
        "incident_time_zone": "Europe/Rome",
        "error_message": "disk quota exceeded",
        "steps": "1. backup starts at 02:00\n2. stops at 40%",
        "tried": "Restarted the agent.",
    });
    let r = h
        .send(Method::POST, "/api/v1/tickets", &user, guided(full))
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let created: Value = r.json().await.unwrap();
    let details = &created["details"];
    assert_eq!(details["affected_service"], "Managed VPS", "trimmed");
    assert_eq!(
        details["incident_started_at"], "2026-01-14T01:10:00Z",
        "kept as UTC"
    );
    assert_eq!(details["incident_time_zone"], "Europe/Rome");
    let listed = h.tickets(&user).await;
    assert_eq!(listed[0]["details"], created["details"]);
    // Blank answers are absent; no details at all is fine.
    let r = h
        .send(
            Method::POST,
            "/api/v1/tickets",
            &user,
            guided(json!({"reference": "  "})),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    assert!(r.json::<Value>().await.unwrap()["details"]["reference"].is_null());
    let after_good = h.ticket_count().await;
    assert_eq!(after_good, before + 2);

    for (details, status, code) in [
        (
            json!({"incident_started_at": "yesterday"}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation",
        ),
        (
            json!({"incident_started_at": "2999-01-01T00:00:00Z"}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation",
        ),
        (
            json!({"incident_time_zone": "Rome; DROP TABLE"}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation",
        ),
        (
            json!({"reference": "x".repeat(101)}),
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation",
        ),
        (
            json!({"colour": "blue"}),
            StatusCode::BAD_REQUEST,
            "bad_request",
        ),
        (json!({"steps": 42}), StatusCode::BAD_REQUEST, "bad_request"),
    ] {
        let r = h
            .send(Method::POST, "/api/v1/tickets", &user, guided(details))
            .await;
        expect_error(r, status, code).await;
    }
    assert_eq!(
        h.ticket_count().await,
        after_good,
        "refusals change nothing"
    );
    h.server.shutdown().await;
}

/// The queue as an agent sees it: ticket id → (position, due).
async fn queue(h: &Helpdesk, agent: &str) -> Vec<(i64, i64, String)> {
    let r = h.get("/api/v1/queue", agent).await;
    assert_eq!(r.status(), StatusCode::OK);
    let body: Value = r.json().await.unwrap();
    body["tickets"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["ticket"]["id"].as_i64().unwrap(),
                e["position"].as_i64().unwrap(),
                e["first_response_due_at"].as_str().unwrap().to_owned(),
            )
        })
        .collect()
}

fn time(v: &Value) -> chrono::DateTime<chrono::Utc> {
    v.as_str().unwrap().parse().unwrap()
}

async fn the_queue_puts_high_priority_first_until_an_agent_answers(engine: Engine) {
    use reqwest::Method;
    let h = Helpdesk::start(engine).await;
    let user = h.login("user@acme.example").await;
    let globex = h.login("admin@globex.example").await;
    let agent = h.login("agent@provider.example").await;

    let regular = h.file(&user, "Mailbox quota").await;
    let mut high_ticket = ticket("Whole site down");
    high_ticket["priority"] = json!("high");
    let r = h
        .send(Method::POST, "/api/v1/tickets", &globex, high_ticket)
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let high = r.json::<Value>().await.unwrap()["id"].as_i64().unwrap();

    // The queue: positions 1, 2, 3...; the later high ticket is ahead of the
    // older regular one; the details say the same place and promise.
    let q = queue(&h, &agent).await;
    let positions: Vec<i64> = q.iter().map(|(_, p, _)| *p).collect();
    assert_eq!(positions, (1..=q.len() as i64).collect::<Vec<_>>());
    let place =
        |id: i64, q: &[(i64, i64, String)]| q.iter().find(|(t, _, _)| *t == id).map(|e| e.1);
    let (p_high, p_regular) = (place(high, &q).unwrap(), place(regular, &q).unwrap());
    assert!(
        p_high < p_regular,
        "high {p_high} before regular {p_regular}"
    );
    let d = h.detail(regular, &user).await;
    assert_eq!(d["queue_position"], p_regular);
    let created = time(&d["ticket"]["created_at"]);
    assert_eq!(
        time(&d["first_response_due_at"]) - created,
        chrono::Duration::hours(24)
    );
    let d = h.detail(high, &globex).await;
    assert_eq!(d["queue_position"], p_high);
    let created = time(&d["ticket"]["created_at"]);
    assert_eq!(
        time(&d["first_response_due_at"]) - created,
        chrono::Duration::hours(4)
    );
    assert_eq!(
        d["first_response_due_at"],
        q[(p_high - 1) as usize].2.as_str()
    );

    // Customers do not see the queue itself.
    let r = h.get("/api/v1/queue", &user).await;
    expect_error(r, StatusCode::FORBIDDEN, "forbidden").await;

    // An internal note is no answer; an agent's reply is: the ticket leaves
    // the queue and everything behind it moves up.
    let messages = format!("/api/v1/tickets/{high}/messages");
    let r = h
        .send(
            Method::POST,
            &messages,
            &agent,
            json!({"body": "Looking", "internal": true}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    assert_eq!(h.detail(high, &globex).await["queue_position"], p_high);
    let r = h
        .send(
            Method::POST,
            &messages,
            &agent,
            json!({"body": "On it, restarting now."}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let d = h.detail(high, &globex).await;
    assert!(d["queue_position"].is_null(), "{d}");
    assert!(d["first_response_due_at"].is_null(), "{d}");
    let q = queue(&h, &agent).await;
    assert_eq!(place(high, &q), None);
    assert_eq!(place(regular, &q), Some(p_regular - 1));
    assert_eq!(
        h.detail(regular, &user).await["queue_position"],
        p_regular - 1
    );

    // The customer answering back does not put it in the queue again.
    let r = h
        .send(
            Method::POST,
            &messages,
            &globex,
            json!({"body": "Thanks, still down."}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    assert!(h.detail(high, &globex).await["queue_position"].is_null());

    // A closed ticket is not waiting either.
    let r = h
        .send(
            Method::PATCH,
            &format!("/api/v1/tickets/{regular}"),
            &agent,
            json!({"status": "closed"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    assert!(h.detail(regular, &user).await["queue_position"].is_null());
    assert_eq!(place(regular, &queue(&h, &agent).await), None);
    h.server.shutdown().await;
}

async fn first_response_deadlines_follow_the_configuration(engine: Engine) {
    let config = deskmate_server::Config {
        first_response_high: chrono::Duration::hours(1),
        first_response_regular: chrono::Duration::hours(8),
        ..deskmate_server::Config::default()
    };
    let h = Helpdesk::start_with(engine, config).await;
    let user = h.login("user@acme.example").await;
    let id = h.file(&user, "Slow DNS").await;
    let d = h.detail(id, &user).await;
    let created = time(&d["ticket"]["created_at"]);
    assert_eq!(
        time(&d["first_response_due_at"]) - created,
        chrono::Duration::hours(8)
    );
    h.server.shutdown().await;
}

on_both_engines!(
    health_answers,
    everyone_sees_exactly_what_their_rights_allow,
    filing_a_ticket_stores_it_for_the_organisation,
    bad_input_is_a_typed_4xx_and_changes_nothing,
    a_repeated_idempotency_key_files_once,
    a_restarted_server_keeps_its_data_and_does_not_reseed,
    a_conversation_follows_the_status_rules,
    other_organisations_tickets_do_not_exist,
    reopening_is_refused_after_the_window,
    the_guided_forms_answers_are_kept_and_checked,
    the_queue_puts_high_priority_first_until_an_agent_answers,
    first_response_deadlines_follow_the_configuration,
);
