//! The API over real HTTP: a real server on 127.0.0.1 port 0 with a fresh
//! SQLite file per test, and the real binary for the CLI contract.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::io::{BufRead, BufReader};
use std::process::{Command, Stdio};

mod support;

use reqwest::StatusCode;
use serde_json::{Value, json};
use support::*;

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

async fn sign_in_gives_a_token_and_the_same_refusal_for_any_wrong_credentials(engine: Engine) {
    let h = Helpdesk::start(engine).await;
    let r = h
        .http
        .post(format!("{}/api/v1/auth/login", h.url))
        .json(&json!({"email": "USER@acme.example", "password": "demo-password"}))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["token"].as_str().unwrap().len(), 64);
    assert_eq!(body["user"]["name"], "Umberto User");
    assert_eq!(body["user"]["role"], "customer_user");
    assert_eq!(body["user"]["organisation"]["name"], "Acme Hosting Ltd");

    let wrong_password = h
        .http
        .post(format!("{}/api/v1/auth/login", h.url))
        .json(&json!({"email": "user@acme.example", "password": "nope"}))
        .send()
        .await
        .unwrap();
    let a = expect_error(wrong_password, StatusCode::UNAUTHORIZED, "unauthorized").await;
    let unknown_email = h
        .http
        .post(format!("{}/api/v1/auth/login", h.url))
        .json(&json!({"email": "nobody@acme.example", "password": "nope"}))
        .send()
        .await
        .unwrap();
    let b = expect_error(unknown_email, StatusCode::UNAUTHORIZED, "unauthorized").await;
    assert_eq!(a, b, "an unknown address is not revealed");

    // The token works, and `me` says who it belongs to.
    let token = h.login("admin@globex.example").await;
    let me: Value = h
        .http
        .get(format!("{}/api/v1/me", h.url))
        .bearer_auth(&token)
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(me["email"], "admin@globex.example");
    assert_eq!(me["role"], "customer_admin");
    h.server.shutdown().await;
}

async fn tickets_need_a_valid_unexpired_token(engine: Engine) {
    let h = Helpdesk::start(engine).await;
    let url = format!("{}/api/v1/tickets", h.url);
    let r = h.http.get(&url).send().await.unwrap();
    expect_error(r, StatusCode::UNAUTHORIZED, "unauthorized").await;
    let r = h
        .http
        .get(&url)
        .bearer_auth("made-up")
        .send()
        .await
        .unwrap();
    expect_error(r, StatusCode::UNAUTHORIZED, "unauthorized").await;
    let r = h
        .http
        .get(&url)
        .header("authorization", "Basic dXNlcjpwYXNz")
        .send()
        .await
        .unwrap();
    expect_error(r, StatusCode::UNAUTHORIZED, "unauthorized").await;

    // An expired session is refused like an unknown one.
    let token = h.login("user@acme.example").await;
    assert!(!h.tickets(&token).await.is_empty());
    let db = deskmate_server::Db::open(&h.db_url).await.unwrap();
    let user_id = db
        .user_by_email("user@acme.example")
        .await
        .unwrap()
        .unwrap()
        .id;
    db.expire_sessions_of(user_id).await.unwrap();
    db.close().await;
    let r = h.http.get(&url).bearer_auth(&token).send().await.unwrap();
    expect_error(r, StatusCode::UNAUTHORIZED, "unauthorized").await;

    // Logout ends the session.
    let token = h.login("user@acme.example").await;
    let r = h
        .post_raw("/api/v1/auth/logout", Some(&token), "")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    let r = h.http.get(&url).bearer_auth(&token).send().await.unwrap();
    expect_error(r, StatusCode::UNAUTHORIZED, "unauthorized").await;
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

async fn sign_in_is_rate_limited_per_address(engine: Engine) {
    let h = Helpdesk::start(engine).await;
    let attempt = |email: &'static str, password: &'static str| {
        h.http
            .post(format!("{}/api/v1/auth/login", h.url))
            .json(&json!({"email": email, "password": password}))
            .send()
    };
    for _ in 0..10 {
        let r = attempt("User@Acme.example", "guess").await.unwrap();
        expect_error(r, StatusCode::UNAUTHORIZED, "unauthorized").await;
    }
    // Now even the right password is refused for a while, on any spelling.
    let r = attempt("user@acme.example", "demo-password").await.unwrap();
    expect_error(r, StatusCode::TOO_MANY_REQUESTS, "rate_limited").await;
    // Other addresses are not affected; a success clears an address's failures.
    let r = attempt("admin@acme.example", "guess").await.unwrap();
    expect_error(r, StatusCode::UNAUTHORIZED, "unauthorized").await;
    h.login("admin@acme.example").await;
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

async fn sync_hands_out_every_visible_change_once(engine: Engine) {
    use reqwest::Method;
    let h = Helpdesk::start(engine).await;
    let user = h.login("user@acme.example").await;
    let agent = h.login("agent@provider.example").await;
    let globex = h.login("admin@globex.example").await;

    let (tickets, messages, cursor) = sync_all(&h, &user, 0, 3).await;
    let mut synced: Vec<i64> = tickets.iter().map(|t| t["id"].as_i64().unwrap()).collect();
    let mut listed: Vec<i64> = h
        .tickets(&user)
        .await
        .iter()
        .map(|t| t["id"].as_i64().unwrap())
        .collect();
    synced.sort_unstable();
    listed.sort_unstable();
    assert_eq!(synced, listed, "every visible ticket exactly once");
    assert!(!messages.is_empty());
    assert!(
        messages.iter().all(|m| m["internal"] == false),
        "no internal notes for customers"
    );
    assert!(
        messages
            .iter()
            .all(|m| synced.contains(&m["ticket_id"].as_i64().unwrap()))
    );
    let (_, agent_messages, _) = sync_all(&h, &agent, 0, 500).await;
    assert!(
        agent_messages.iter().any(|m| m["internal"] == true),
        "agents get their notes"
    );

    // Nothing new: an empty page, same cursor.
    let (t, m, again) = sync_all(&h, &user, cursor, 3).await;
    assert!(t.is_empty() && m.is_empty());
    assert_eq!(again, cursor);

    // A reply shows up as the message and the ticket it moved, for Acme only.
    let (_, _, globex_cursor) = sync_all(&h, &globex, 0, 500).await;
    let id = synced[0];
    let r = h
        .send(
            Method::POST,
            &format!("/api/v1/tickets/{id}/messages"),
            &agent,
            json!({"body": "Fixed?"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let (t, m, _) = sync_all(&h, &user, cursor, 3).await;
    assert_eq!(t.len(), 1);
    assert_eq!(t[0]["id"], id);
    assert_eq!(t[0]["status"], "waiting_for_customer");
    assert_eq!(m.len(), 1);
    assert_eq!(m[0]["body"], "Fixed?");
    let (t, m, _) = sync_all(&h, &globex, globex_cursor, 3).await;
    assert!(
        t.is_empty() && m.is_empty(),
        "nothing of Acme's reaches Globex"
    );

    for query in ["cursor=abc", "cursor=-1", "limit=0", "limit=5000", "page=2"] {
        let r = h.get(&format!("/api/v1/sync?{query}"), &user).await;
        expect_error(r, StatusCode::BAD_REQUEST, "bad_request").await;
    }
    let r = h
        .http
        .get(format!("{}/api/v1/sync", h.url))
        .send()
        .await
        .unwrap();
    expect_error(r, StatusCode::UNAUTHORIZED, "unauthorized").await;
    h.server.shutdown().await;
}

async fn events_announce_what_each_viewer_may_see(engine: Engine) {
    use reqwest::Method;
    let h = Helpdesk::start(engine).await;
    let user = h.login("user@acme.example").await;
    let globex = h.login("admin@globex.example").await;
    let agent = h.login("agent@provider.example").await;
    let acme_ticket = h.tickets(&user).await[0]["id"].as_i64().unwrap();
    let globex_ticket = h.tickets(&globex).await[0]["id"].as_i64().unwrap();
    let mut user_events = Events::open(&h, &user, None).await;
    let mut globex_events = Events::open(&h, &globex, None).await;

    // An internal note is for agents only; a reply moves the ticket and adds a message.
    let note = json!({"body": "Check the SBC logs", "internal": true});
    let r = h
        .send(
            Method::POST,
            &format!("/api/v1/tickets/{acme_ticket}/messages"),
            &agent,
            note,
        )
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let r = h
        .send(
            Method::POST,
            &format!("/api/v1/tickets/{acme_ticket}/messages"),
            &agent,
            json!({"body": "On it."}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let mut seqs = Vec::new();
    for _ in 0..2 {
        let e = user_events.next(SOON).await.expect("the reply's changes");
        assert_eq!(e.event, "change");
        assert_eq!(e.data["ticket_id"], acme_ticket);
        assert_eq!(e.id, e.data["seq"].as_i64());
        seqs.push(e.id.unwrap());
    }
    assert!(seqs[0] < seqs[1]);
    assert!(
        user_events.next(QUIET).await.is_none(),
        "nothing for the internal note"
    );

    // Globex hears only about Globex.
    let r = h
        .send(
            Method::POST,
            &format!("/api/v1/tickets/{globex_ticket}/messages"),
            &agent,
            json!({"body": "Fixed."}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let e = globex_events.next(SOON).await.expect("Globex's own change");
    assert_eq!(e.data["ticket_id"], globex_ticket);

    // Reconnecting with Last-Event-ID: told at once when something was missed.
    let mut again = Events::open(&h, &user, Some(seqs[0] - 1)).await;
    let e = again
        .next(SOON)
        .await
        .expect("a resync for what was missed");
    assert_eq!(e.event, "resync");
    let (_, _, cursor) = sync_all(&h, &user, 0, 500).await;
    let mut current = Events::open(&h, &user, Some(cursor)).await;
    assert!(
        current.next(QUIET).await.is_none(),
        "nothing missed, nothing said"
    );

    let r = h
        .http
        .get(format!("{}/api/v1/events", h.url))
        .send()
        .await
        .unwrap();
    expect_error(r, StatusCode::UNAUTHORIZED, "unauthorized").await;
    // Open streams do not keep the server from stopping.
    tokio::time::timeout(std::time::Duration::from_secs(10), h.server.shutdown())
        .await
        .expect("shutdown with open event streams");
    drop((user_events, globex_events, again, current));
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

async fn changing_the_password_ends_the_other_sessions(engine: Engine) {
    use reqwest::Method;
    let h = Helpdesk::start(engine).await;
    let here = h.login("user@acme.example").await;
    let elsewhere = h.login("user@acme.example").await;
    let other_user = h.login("admin@acme.example").await;
    let hd = &h;
    let change = |token: &str, current: &str, new: &str| {
        let token = token.to_owned();
        let body = json!({"current_password": current, "new_password": new});
        async move {
            hd.send(Method::POST, "/api/v1/auth/password", &token, body)
                .await
        }
    };

    // Refusals change nothing.
    let r = change(&here, "demo-password", "too-short").await;
    expect_error(r, StatusCode::UNPROCESSABLE_ENTITY, "validation").await;
    let r = change(&here, "demo-password", "demo-password").await;
    expect_error(r, StatusCode::UNPROCESSABLE_ENTITY, "validation").await;
    let long = "x".repeat(1025);
    let r = change(&here, "demo-password", &long).await;
    expect_error(r, StatusCode::UNPROCESSABLE_ENTITY, "validation").await;
    let r = change(&here, "wrong-password", "a-new-password-1").await;
    expect_error(r, StatusCode::UNAUTHORIZED, "unauthorized").await;
    let r = h
        .post_raw(
            "/api/v1/auth/password",
            Some(&here),
            r#"{"new_password":"x"}"#,
        )
        .send()
        .await
        .unwrap();
    expect_error(r, StatusCode::BAD_REQUEST, "bad_request").await;
    let r = h
        .post_raw(
            "/api/v1/auth/password",
            None,
            json!({"current_password": "demo-password", "new_password": "a-new-password-1"})
                .to_string(),
        )
        .send()
        .await
        .unwrap();
    expect_error(r, StatusCode::UNAUTHORIZED, "unauthorized").await;
    assert_eq!(
        h.get("/api/v1/me", &elsewhere).await.status(),
        StatusCode::OK
    );

    // Changed: this session goes on, the user's others end, nobody else's.
    let r = change(&here, "demo-password", "a-new-password-1").await;
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    assert_eq!(h.get("/api/v1/me", &here).await.status(), StatusCode::OK);
    let r = h.get("/api/v1/me", &elsewhere).await;
    expect_error(r, StatusCode::UNAUTHORIZED, "unauthorized").await;
    assert_eq!(
        h.get("/api/v1/me", &other_user).await.status(),
        StatusCode::OK
    );
    let sign_in = |password: &'static str| {
        h.http
            .post(format!("{}/api/v1/auth/login", h.url))
            .json(&json!({"email": "user@acme.example", "password": password}))
            .send()
    };
    let r = sign_in("demo-password").await.unwrap();
    expect_error(r, StatusCode::UNAUTHORIZED, "unauthorized").await;
    assert_eq!(
        sign_in("a-new-password-1").await.unwrap().status(),
        StatusCode::OK
    );

    // A wrong current password is a failed sign-in of the address: enough of
    // them lock both the change and the sign-in for a while.
    for _ in 0..10 {
        let r = change(&here, "guess-guess", "another-password-2").await;
        expect_error(r, StatusCode::UNAUTHORIZED, "unauthorized").await;
    }
    let r = change(&here, "a-new-password-1", "another-password-2").await;
    expect_error(r, StatusCode::TOO_MANY_REQUESTS, "rate_limited").await;
    let r = sign_in("a-new-password-1").await.unwrap();
    expect_error(r, StatusCode::TOO_MANY_REQUESTS, "rate_limited").await;
    h.server.shutdown().await;
}

async fn refreshing_swaps_the_token_for_a_new_one(engine: Engine) {
    let h = Helpdesk::start(engine).await;
    let old = h.login("user@acme.example").await;
    let other = h.login("user@acme.example").await;
    let before = chrono::Utc::now();
    let r = h
        .post_raw("/api/v1/auth/refresh", Some(&old), "")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::OK);
    let body: Value = r.json().await.unwrap();
    let new = body["token"].as_str().unwrap().to_owned();
    assert_ne!(new, old);
    assert_eq!(body["user"]["email"], "user@acme.example");
    let expires: chrono::DateTime<chrono::Utc> =
        body["expires_at"].as_str().unwrap().parse().unwrap();
    let days = (expires - before).num_hours() as f64 / 24.0;
    assert!((29.9..=30.1).contains(&days), "expires in {days} days");

    // The old token has ended; the new one and the user's others work.
    let r = h.get("/api/v1/me", &old).await;
    expect_error(r, StatusCode::UNAUTHORIZED, "unauthorized").await;
    assert_eq!(h.get("/api/v1/me", &new).await.status(), StatusCode::OK);
    assert_eq!(h.get("/api/v1/me", &other).await.status(), StatusCode::OK);
    let r = h
        .post_raw("/api/v1/auth/refresh", Some(&old), "")
        .send()
        .await
        .unwrap();
    expect_error(r, StatusCode::UNAUTHORIZED, "unauthorized").await;
    let r = h
        .post_raw("/api/v1/auth/refresh", None, "")
        .send()
        .await
        .unwrap();
    expect_error(r, StatusCode::UNAUTHORIZED, "unauthorized").await;
    // Logging out the new token ends it like any other.
    let r = h
        .post_raw("/api/v1/auth/logout", Some(&new), "")
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    let r = h.get("/api/v1/me", &new).await;
    expect_error(r, StatusCode::UNAUTHORIZED, "unauthorized").await;
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
    sign_in_gives_a_token_and_the_same_refusal_for_any_wrong_credentials,
    tickets_need_a_valid_unexpired_token,
    everyone_sees_exactly_what_their_rights_allow,
    filing_a_ticket_stores_it_for_the_organisation,
    bad_input_is_a_typed_4xx_and_changes_nothing,
    a_repeated_idempotency_key_files_once,
    a_restarted_server_keeps_its_data_and_does_not_reseed,
    sign_in_is_rate_limited_per_address,
    a_conversation_follows_the_status_rules,
    other_organisations_tickets_do_not_exist,
    reopening_is_refused_after_the_window,
    sync_hands_out_every_visible_change_once,
    events_announce_what_each_viewer_may_see,
    the_guided_forms_answers_are_kept_and_checked,
    changing_the_password_ends_the_other_sessions,
    refreshing_swaps_the_token_for_a_new_one,
    the_queue_puts_high_priority_first_until_an_agent_answers,
    first_response_deadlines_follow_the_configuration,
);

/// Two instances on one PostgreSQL: a write on one reaches a client
/// listening on the other (LISTEN/NOTIFY), and nothing lives only in one
/// process (sign in on one, use the token on the other).
#[tokio::test]
async fn postgres_instances_share_sessions_and_events() {
    use reqwest::Method;
    let a = Helpdesk::start(Engine::Postgres).await;
    let dir = tempfile::tempdir().unwrap();
    let b = Helpdesk::launch(a.db_url.clone(), dir).await;
    let user = a.login("user@acme.example").await;
    let agent = b.login("agent@provider.example").await;
    let ticket = a.tickets(&user).await[0]["id"].as_i64().unwrap();
    assert_eq!(b.tickets(&user).await.len(), a.tickets(&user).await.len());

    let mut on_b = Events::open(&b, &user, None).await;
    let r = a
        .send(
            Method::POST,
            &format!("/api/v1/tickets/{ticket}/messages"),
            &agent,
            json!({"body": "From instance A"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let e = on_b.next(SOON).await.expect("the change crossed instances");
    assert_eq!(e.event, "change");
    assert_eq!(e.data["ticket_id"], ticket);
    drop(on_b);
    b.server.shutdown().await;
    a.server.shutdown().await;
}

#[test]
fn the_binary_prints_its_address_and_stops_cleanly_on_sigterm() {
    let dir = tempfile::tempdir().unwrap();
    let db = dir.path().join("cli.sqlite3");
    let mut child = Command::new(env!("CARGO_BIN_EXE_deskmate-server"))
        .args(["serve", "--listen", "127.0.0.1:0", "--demo", "--database"])
        .arg(format!("sqlite://{}", db.display()))
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let url = line
        .trim()
        .strip_prefix("listening on ")
        .unwrap()
        .to_owned();
    assert!(url.starts_with("http://127.0.0.1:"), "{url}");
    let port: u16 = url.rsplit(':').next().unwrap().parse().unwrap();
    assert_ne!(port, 0);
    // It accepts connections as soon as it said so.
    std::net::TcpStream::connect(("127.0.0.1", port)).unwrap();

    let status = Command::new("kill")
        .args(["-TERM", &child.id().to_string()])
        .status()
        .unwrap();
    assert!(status.success());
    let exit = child.wait().unwrap();
    assert!(exit.success(), "graceful exit on SIGTERM: {exit:?}");
    assert!(std::net::TcpStream::connect(("127.0.0.1", port)).is_err());

    // `migrate` on the same file is a no-op that succeeds.
    let out = Command::new(env!("CARGO_BIN_EXE_deskmate-server"))
        .args(["migrate", "--database"])
        .arg(format!("sqlite://{}", db.display()))
        .output()
        .unwrap();
    assert!(out.status.success());
    // An unsupported URL is a clear error, not a panic.
    let out = Command::new(env!("CARGO_BIN_EXE_deskmate-server"))
        .args(["migrate", "--database", "mysql://localhost/x"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(String::from_utf8_lossy(&out.stderr).contains("unsupported database URL"));
}

/// Runs `deskmate-server admin ARGS` with the password given (in the
/// environment, or on stdin when `stdin` is set); (success, stdout, stderr).
fn admin(args: &[&str], password: Option<&str>, stdin: Option<&str>) -> (bool, String, String) {
    use std::io::Write;
    let mut command = Command::new(env!("CARGO_BIN_EXE_deskmate-server"));
    command
        .arg("admin")
        .args(args)
        .env_remove("DESKMATE_NEW_PASSWORD")
        .env_remove("DESKMATE_DATABASE_URL")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    if let Some(p) = password {
        command.env("DESKMATE_NEW_PASSWORD", p);
    }
    let mut child = command.spawn().unwrap();
    let mut input = child.stdin.take().unwrap();
    if let Some(text) = stdin {
        input.write_all(text.as_bytes()).unwrap();
    }
    drop(input);
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(!stderr.contains("panicked"), "{stderr}");
    (
        out.status.success(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        stderr,
    )
}

#[tokio::test]
async fn the_admin_commands_create_accounts_that_sign_in() {
    let dir = tempfile::tempdir().unwrap();
    let db = format!("sqlite://{}", dir.path().join("admin.sqlite3").display());
    let d = db.as_str();

    let (ok, out, err) = admin(
        &["create-organisation", "--database", d, "--name", "Initech"],
        None,
        None,
    );
    assert!(ok, "{err}");
    let org = out.trim().to_owned();
    assert!(org.parse::<i64>().unwrap() > 0, "{out}");
    let (ok, _, err) = admin(
        &["create-organisation", "--database", d, "--name", "Initech"],
        None,
        None,
    );
    assert!(!ok);
    assert!(
        err.contains("an organisation with this name exists"),
        "{err}"
    );

    let user = |email: &str, role: &str| {
        vec![
            "create-user".to_owned(),
            "--database".to_owned(),
            db.clone(),
            "--organisation".to_owned(),
            org.clone(),
            "--email".to_owned(),
            email.to_owned(),
            "--name".to_owned(),
            format!("Name of {email}"),
            "--role".to_owned(),
            role.to_owned(),
        ]
    };
    let strs = |v: &[String]| {
        v.iter()
            .map(String::as_str)
            .collect::<Vec<_>>()
            .join("\u{1}")
    };
    let run = |v: Vec<String>, password: Option<&str>, stdin: Option<&str>| {
        let joined = strs(&v);
        let args: Vec<&str> = joined.split('\u{1}').collect();
        admin(&args, password, stdin)
    };

    // The password from the environment, or one line of stdin.
    let (ok, out, err) = run(
        user("Peter@Initech.example", "customer_user"),
        Some("peter-password-1"),
        None,
    );
    assert!(ok, "{err}");
    assert!(out.trim().parse::<i64>().is_ok(), "{out}");
    let mut boss = user("bill@initech.example", "customer_admin");
    boss.push("--can-see-org-tickets".to_owned());
    let (ok, _, err) = run(boss, None, Some("bill-password-1\n"));
    assert!(ok, "{err}");
    let mut colleague = user("milton@initech.example", "customer_user");
    colleague.push("--can-see-org-tickets".to_owned());
    let (ok, _, err) = run(colleague, Some("milton-password-1"), None);
    assert!(ok, "{err}");
    let (ok, _, err) = admin(
        &[
            "create-agent",
            "--database",
            d,
            "--email",
            "joanna@provider.example",
            "--name",
            "Joanna",
        ],
        None,
        Some("joanna-password-1\r\n"),
    );
    assert!(ok, "{err}");

    // Clear refusals, no panics, nothing created.
    let (ok, _, err) = run(
        user("peter@initech.example", "customer_user"),
        Some("another-password"),
        None,
    );
    assert!(!ok);
    assert!(
        err.contains("a user with this e-mail address exists"),
        "{err}"
    );
    let mut lost = user("lost@initech.example", "customer_user");
    lost[4] = "9999".to_owned();
    let (ok, _, err) = run(lost, Some("lost-password-1"), None);
    assert!(!ok);
    assert!(err.contains("no organisation with id 9999"), "{err}");
    let (ok, _, err) = run(
        user("short@initech.example", "customer_user"),
        Some("short"),
        None,
    );
    assert!(!ok);
    assert!(err.contains("at least 10 characters"), "{err}");
    let (ok, _, err) = run(
        user("empty@initech.example", "customer_user"),
        None,
        Some(""),
    );
    assert!(!ok);
    assert!(err.contains("no password"), "{err}");
    let (ok, _, err) = run(
        user("agent@initech.example", "agent"),
        Some("agent-password-1"),
        None,
    );
    assert!(!ok);
    assert!(err.contains("invalid value 'agent'"), "{err}");
    let (ok, _, err) = run(
        user("not-an-address", "customer_user"),
        Some("some-password-1"),
        None,
    );
    assert!(!ok);
    assert!(err.contains("is not an e-mail address"), "{err}");

    // Everyone signs in over HTTP with the password they were given.
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let server = deskmate_server::launch(listener, &db, false).await.unwrap();
    let url = format!("http://{}", server.local_addr());
    let http = reqwest::Client::new();
    let sign_in = |email: &str, password: &str| {
        http.post(format!("{url}/api/v1/auth/login"))
            .json(&json!({"email": email, "password": password}))
            .send()
    };
    let mut tokens = Vec::new();
    for (email, password, role) in [
        ("peter@initech.example", "peter-password-1", "customer_user"),
        ("bill@initech.example", "bill-password-1", "customer_admin"),
        (
            "milton@initech.example",
            "milton-password-1",
            "customer_user",
        ),
        ("joanna@provider.example", "joanna-password-1", "agent"),
    ] {
        let r = sign_in(email, password).await.unwrap();
        assert_eq!(r.status(), StatusCode::OK, "{email}");
        let body: Value = r.json().await.unwrap();
        assert_eq!(body["user"]["role"], role, "{body}");
        if role == "agent" {
            assert!(body["user"]["organisation"].is_null());
        } else {
            assert_eq!(body["user"]["organisation"]["name"], "Initech");
            assert_eq!(body["user"]["organisation"]["id"].to_string(), org);
        }
        tokens.push(body["token"].as_str().unwrap().to_owned());
    }
    let r = sign_in("lost@initech.example", "lost-password-1")
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::UNAUTHORIZED);

    // The rights given: Peter's ticket is seen by the admin and by Milton
    // (allowed the organisation's tickets), not the other way round.
    let r = http
        .post(format!("{url}/api/v1/tickets"))
        .bearer_auth(&tokens[0])
        .json(&ticket("Stapler missing"))
        .send()
        .await
        .unwrap();
    assert_eq!(r.status(), StatusCode::CREATED);
    for (token, expected) in [(&tokens[1], 1), (&tokens[2], 1), (&tokens[3], 1)] {
        let body: Value = http
            .get(format!("{url}/api/v1/tickets"))
            .bearer_auth(token)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        assert_eq!(
            body["tickets"].as_array().unwrap().len(),
            expected,
            "{body}"
        );
    }
    server.shutdown().await;
}
