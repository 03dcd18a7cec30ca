//! The provider's notices over real HTTP, on both engines: announcements and
//! planned maintenance, remote-session requests, order-delay requests; who
//! may write and see them, how they reach clients through `/api/v1/sync`
//! and the live event stream.

use std::collections::BTreeMap;

use crate::support::*;
use reqwest::{Method, Response, StatusCode};
use serde_json::{Value, json};

const AGENT: &str = "agent@provider.example";
const ACME_USER: &str = "user@acme.example";
const GLOBEX: &str = "admin@globex.example";

/// A write with an `Idempotency-Key`.
async fn send_keyed(
    h: &Helpdesk,
    method: Method,
    path: &str,
    token: &str,
    body: Option<Value>,
    key: &str,
) -> Response {
    let mut rb = h
        .http
        .request(method, format!("{}{path}", h.url))
        .bearer_auth(token)
        .header("idempotency-key", key);
    if let Some(body) = body {
        rb = rb.json(&body);
    }
    rb.send().await.unwrap()
}

async fn delete(h: &Helpdesk, path: &str, token: &str) -> Response {
    h.http
        .delete(format!("{}{path}", h.url))
        .bearer_auth(token)
        .send()
        .await
        .unwrap()
}

async fn organisation_id(h: &Helpdesk, token: &str) -> i64 {
    let me: Value = h.get("/api/v1/me", token).await.json().await.unwrap();
    me["organisation"]["id"].as_i64().unwrap()
}

fn maintenance(organisation_id: Option<i64>) -> Value {
    json!({
        "kind": "maintenance",
        "title": "Router firmware upgrade",
        "body": "Short interruptions of the uplinks.",
        "affected_services": ["Managed VPS", "SIP trunk"],
        "starts_at": "2030-03-01T22:00:00Z",
        "ends_at": "2030-03-02T02:00:00Z",
        "organisation_id": organisation_id,
    })
}

fn announcement(title: &str, organisation_id: Option<i64>) -> Value {
    json!({
        "kind": "announcement",
        "title": title,
        "body": "Read all about it.",
        "organisation_id": organisation_id,
    })
}

/// Posts as the agent; the created record.
async fn created(h: &Helpdesk, path: &str, agent: &str, body: Value) -> Value {
    let r = h.send(Method::POST, path, agent, body).await;
    assert_eq!(r.status(), StatusCode::CREATED);
    r.json().await.unwrap()
}

async fn list(h: &Helpdesk, path: &str, token: &str, field: &str) -> Vec<Value> {
    let r = h.get(path, token).await;
    assert_eq!(r.status(), StatusCode::OK);
    let body: Value = r.json().await.unwrap();
    body[field].as_array().unwrap().clone()
}

fn ids(values: &[Value]) -> Vec<i64> {
    values.iter().map(|v| v["id"].as_i64().unwrap()).collect()
}

/// Pages through `/api/v1/sync` from `cursor`: every row of every kind, and
/// the last cursor. Checks that each page is bounded and nothing comes twice.
async fn sync_kinds(
    h: &Helpdesk,
    token: &str,
    cursor: i64,
    limit: i64,
) -> (BTreeMap<String, Vec<Value>>, i64) {
    let mut cursor = cursor;
    let mut seen: BTreeMap<String, Vec<Value>> = BTreeMap::new();
    loop {
        let r = h
            .get(
                &format!("/api/v1/sync?cursor={cursor}&limit={limit}"),
                token,
            )
            .await;
        assert_eq!(r.status(), StatusCode::OK);
        let page: Value = r.json().await.unwrap();
        let mut got = 0;
        for kind in SYNC_KINDS {
            let rows = page[*kind].as_array().unwrap();
            got += rows.len();
            seen.entry((*kind).to_owned())
                .or_default()
                .extend(rows.iter().cloned());
        }
        assert!(got as i64 <= limit, "a page holds at most `limit` rows");
        cursor = page["cursor"].as_i64().unwrap();
        if !page["more"].as_bool().unwrap() {
            break;
        }
    }
    for (kind, rows) in &seen {
        let mut keys: Vec<(i64, String)> = rows
            .iter()
            .map(|r| (r["id"].as_i64().unwrap(), r["kind"].to_string()))
            .collect();
        let all = keys.len();
        keys.sort();
        keys.dedup();
        if kind != "tickets" {
            assert_eq!(keys.len(), all, "each {kind} change handed out once");
        }
    }
    (seen, cursor)
}

async fn announcements_are_posted_changed_and_withdrawn_by_agents(engine: Engine) {
    let h = Helpdesk::start(engine).await;
    let agent = h.login(AGENT).await;
    let user = h.login(ACME_USER).await;
    let globex = h.login(GLOBEX).await;
    let acme = organisation_id(&h, &user).await;

    let everyone = created(
        &h,
        "/api/v1/announcements",
        &agent,
        announcement("  Price list 2031  ", None),
    )
    .await;
    assert_eq!(everyone["title"], "Price list 2031", "trimmed");
    assert_eq!(everyone["organisation_id"], Value::Null);
    assert_eq!(everyone["affected_services"], json!([]));
    let acme_only = created(&h, "/api/v1/announcements", &agent, maintenance(Some(acme))).await;
    assert_eq!(acme_only["kind"], "maintenance");
    assert_eq!(acme_only["organisation_id"], acme);
    assert_eq!(
        acme_only["affected_services"],
        json!(["Managed VPS", "SIP trunk"])
    );
    assert_eq!(acme_only["ends_at"], "2030-03-02T02:00:00Z");
    let (e, a) = (
        everyone["id"].as_i64().unwrap(),
        acme_only["id"].as_i64().unwrap(),
    );

    // Who sees what: the organisation's own and everyone's; agents all.
    let seen = ids(&list(&h, "/api/v1/announcements", &user, "announcements").await);
    assert!(seen.contains(&e) && seen.contains(&a));
    let seen = ids(&list(&h, "/api/v1/announcements", &globex, "announcements").await);
    assert!(seen.contains(&e) && !seen.contains(&a), "{seen:?}");
    let seen = ids(&list(&h, "/api/v1/announcements", &agent, "announcements").await);
    assert!(seen.contains(&e) && seen.contains(&a));

    // Current and upcoming first; a past one comes after them.
    let mut past = maintenance(None);
    past["starts_at"] = json!("2020-01-01T22:00:00Z");
    past["ends_at"] = json!("2020-01-02T02:00:00Z");
    let past = created(&h, "/api/v1/announcements", &agent, past).await;
    let listed = ids(&list(&h, "/api/v1/announcements", &user, "announcements").await);
    let at = |id: i64| listed.iter().position(|x| *x == id).unwrap();
    assert!(at(past["id"].as_i64().unwrap()) > at(a), "{listed:?}");
    assert_eq!(*listed.last().unwrap(), past["id"].as_i64().unwrap());

    // Customers may not write; no token is a 401.
    for token in [&user, &globex] {
        let r = h
            .send(
                Method::POST,
                "/api/v1/announcements",
                token,
                announcement("Mine", None),
            )
            .await;
        expect_error(r, StatusCode::FORBIDDEN, "forbidden").await;
        let r = h
            .send(
                Method::PATCH,
                &format!("/api/v1/announcements/{e}"),
                token,
                json!({"title": "Hacked"}),
            )
            .await;
        expect_error(r, StatusCode::FORBIDDEN, "forbidden").await;
        let r = delete(&h, &format!("/api/v1/announcements/{e}"), token).await;
        expect_error(r, StatusCode::FORBIDDEN, "forbidden").await;
    }
    let r = h
        .http
        .get(format!("{}/api/v1/announcements", h.url))
        .send()
        .await
        .unwrap();
    expect_error(r, StatusCode::UNAUTHORIZED, "unauthorized").await;

    // Invalid content is a 422, unreadable a 400; neither posts anything.
    let before = list(&h, "/api/v1/announcements", &agent, "announcements")
        .await
        .len();
    let mut invalid = Vec::new();
    invalid.push(announcement("   ", None));
    let mut no_window = maintenance(None);
    no_window["ends_at"] = Value::Null;
    invalid.push(no_window);
    let mut backwards = maintenance(None);
    backwards["ends_at"] = json!("2030-03-01T21:00:00Z");
    invalid.push(backwards);
    let mut many = maintenance(None);
    many["affected_services"] = json!(vec!["VPS"; 21]);
    invalid.push(many);
    let mut long = maintenance(None);
    long["affected_services"] = json!(["x".repeat(201)]);
    invalid.push(long);
    invalid.push(announcement("For nobody", Some(999_999)));
    invalid.push(announcement(&"t".repeat(201), None));
    for body in invalid {
        let r = h
            .send(Method::POST, "/api/v1/announcements", &agent, body.clone())
            .await;
        expect_error(r, StatusCode::UNPROCESSABLE_ENTITY, "validation").await;
    }
    let r = h
        .post_raw("/api/v1/announcements", Some(&agent), "{\"kind\": ")
        .send()
        .await
        .unwrap();
    expect_error(r, StatusCode::BAD_REQUEST, "bad_request").await;
    let mut unknown_kind = announcement("News", None);
    unknown_kind["kind"] = json!("rumour");
    let mut unknown_field = announcement("News", None);
    unknown_field["priority"] = json!("high");
    for body in [unknown_kind, unknown_field] {
        let r = h
            .send(Method::POST, "/api/v1/announcements", &agent, body)
            .await;
        expect_error(r, StatusCode::BAD_REQUEST, "bad_request").await;
    }
    let after = list(&h, "/api/v1/announcements", &agent, "announcements")
        .await
        .len();
    assert_eq!(after, before, "nothing posted");

    // Changing the window; the rest stays.
    let r = h
        .send(
            Method::PATCH,
            &format!("/api/v1/announcements/{a}"),
            &agent,
            json!({"ends_at": "2030-03-02T04:00:00Z"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let changed: Value = r.json().await.unwrap();
    assert_eq!(changed["ends_at"], "2030-03-02T04:00:00Z");
    assert_eq!(changed["starts_at"], acme_only["starts_at"]);
    assert_eq!(changed["title"], acme_only["title"]);
    assert_eq!(changed["organisation_id"], acme);
    // A change that would make it invalid is refused and changes nothing.
    for body in [
        json!({"ends_at": "2030-03-01T20:00:00Z"}),
        json!({"ends_at": null}),
        json!({"title": ""}),
    ] {
        let r = h
            .send(
                Method::PATCH,
                &format!("/api/v1/announcements/{a}"),
                &agent,
                body,
            )
            .await;
        expect_error(r, StatusCode::UNPROCESSABLE_ENTITY, "validation").await;
    }
    // Who sees it cannot change.
    let r = h
        .send(
            Method::PATCH,
            &format!("/api/v1/announcements/{a}"),
            &agent,
            json!({"organisation_id": null}),
        )
        .await;
    expect_error(r, StatusCode::BAD_REQUEST, "bad_request").await;
    let now: Vec<Value> = list(&h, "/api/v1/announcements", &agent, "announcements").await;
    let current = now.iter().find(|x| x["id"] == a).unwrap();
    assert_eq!(current["ends_at"], "2030-03-02T04:00:00Z");
    for missing in ["999999", "abc", "0"] {
        let r = h
            .send(
                Method::PATCH,
                &format!("/api/v1/announcements/{missing}"),
                &agent,
                json!({"title": "x"}),
            )
            .await;
        expect_error(r, StatusCode::NOT_FOUND, "not_found").await;
    }

    // Withdrawing: 204, then it is gone; a second time it is unknown.
    let r = delete(&h, &format!("/api/v1/announcements/{a}"), &agent).await;
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    let seen = ids(&list(&h, "/api/v1/announcements", &user, "announcements").await);
    assert!(!seen.contains(&a));
    let r = delete(&h, &format!("/api/v1/announcements/{a}"), &agent).await;
    expect_error(r, StatusCode::NOT_FOUND, "not_found").await;
    h.server.shutdown().await;
}

async fn announcement_writes_are_idempotent(engine: Engine) {
    let h = Helpdesk::start(engine).await;
    let agent = h.login(AGENT).await;
    let body = announcement("Once", None);
    let first = send_keyed(
        &h,
        Method::POST,
        "/api/v1/announcements",
        &agent,
        Some(body.clone()),
        "post-1",
    )
    .await;
    assert_eq!(first.status(), StatusCode::CREATED);
    let first: Value = first.json().await.unwrap();
    let count = list(&h, "/api/v1/announcements", &agent, "announcements")
        .await
        .len();
    let again = send_keyed(
        &h,
        Method::POST,
        "/api/v1/announcements",
        &agent,
        Some(body),
        "post-1",
    )
    .await;
    assert_eq!(again.status(), StatusCode::CREATED);
    assert_eq!(again.json::<Value>().await.unwrap(), first);
    let other = send_keyed(
        &h,
        Method::POST,
        "/api/v1/announcements",
        &agent,
        Some(announcement("Twice", None)),
        "post-1",
    )
    .await;
    expect_error(other, StatusCode::CONFLICT, "conflict").await;
    assert_eq!(
        list(&h, "/api/v1/announcements", &agent, "announcements")
            .await
            .len(),
        count
    );

    let id = first["id"].as_i64().unwrap();
    let path = format!("/api/v1/announcements/{id}");
    for _ in 0..2 {
        let r = send_keyed(&h, Method::DELETE, &path, &agent, None, "withdraw-1").await;
        assert_eq!(r.status(), StatusCode::NO_CONTENT);
        assert!(r.text().await.unwrap().is_empty());
    }
    let r = send_keyed(&h, Method::DELETE, &path, &agent, None, "withdraw-2").await;
    expect_error(r, StatusCode::NOT_FOUND, "not_found").await;
    h.server.shutdown().await;
}

async fn remote_sessions_follow_their_rules(engine: Engine) {
    let h = Helpdesk::start(engine).await;
    let agent = h.login(AGENT).await;
    let user = h.login(ACME_USER).await;
    let globex = h.login(GLOBEX).await;
    let ticket = h.file(&user, "Backups fail every night").await;
    let path = format!("/api/v1/tickets/{ticket}/remote-sessions");
    let request = json!({"reason": "Look at the backup agent's logs", "tool": "rustdesk"});

    let session = created(&h, &path, &agent, request.clone()).await;
    assert_eq!(session["status"], "requested");
    assert_eq!(session["ticket_id"], ticket);
    assert_eq!(session["tool"], "rustdesk");
    assert_eq!(session["requested_by_name"], "Paolo Provider");
    assert_eq!(session["answered_at"], Value::Null);
    let id = session["id"].as_i64().unwrap();

    // Rights: customers do not request; another organisation's ticket and
    // an unknown one do not exist.
    let r = h.send(Method::POST, &path, &user, request.clone()).await;
    expect_error(r, StatusCode::FORBIDDEN, "forbidden").await;
    for missing in ["999999", "abc"] {
        let r = h
            .send(
                Method::POST,
                &format!("/api/v1/tickets/{missing}/remote-sessions"),
                &agent,
                request.clone(),
            )
            .await;
        expect_error(r, StatusCode::NOT_FOUND, "not_found").await;
    }
    let r = h.get(&path, &globex).await;
    expect_error(r, StatusCode::NOT_FOUND, "not_found").await;
    let r = h
        .send(
            Method::POST,
            &path,
            &agent,
            json!({"reason": "  ", "tool": "anydesk"}),
        )
        .await;
    expect_error(r, StatusCode::UNPROCESSABLE_ENTITY, "validation").await;
    let r = h
        .send(
            Method::POST,
            &path,
            &agent,
            json!({"reason": "Logs", "tool": "vnc"}),
        )
        .await;
    expect_error(r, StatusCode::BAD_REQUEST, "bad_request").await;
    assert_eq!(list(&h, &path, &user, "remote_sessions").await.len(), 1);

    // Ending needs an accepted session.
    let end = format!("/api/v1/remote-sessions/{id}/end");
    let r = h
        .send(Method::POST, &end, &agent, json!({"summary": "Done"}))
        .await;
    expect_error(r, StatusCode::CONFLICT, "conflict").await;

    // Only a customer who may see the ticket answers.
    let answer = format!("/api/v1/remote-sessions/{id}/answer");
    let r = h
        .send(Method::POST, &answer, &globex, json!({"accept": true}))
        .await;
    expect_error(r, StatusCode::NOT_FOUND, "not_found").await;
    let r = h
        .send(Method::POST, &answer, &agent, json!({"accept": true}))
        .await;
    expect_error(r, StatusCode::FORBIDDEN, "forbidden").await;
    let r = h
        .send(
            Method::POST,
            "/api/v1/remote-sessions/999999/answer",
            &user,
            json!({"accept": true}),
        )
        .await;
    expect_error(r, StatusCode::NOT_FOUND, "not_found").await;
    let r = h
        .send(Method::POST, &answer, &user, json!({"accept": "yes"}))
        .await;
    expect_error(r, StatusCode::BAD_REQUEST, "bad_request").await;

    let r = send_keyed(
        &h,
        Method::POST,
        &answer,
        &user,
        Some(json!({"accept": true})),
        "answer-1",
    )
    .await;
    assert_eq!(r.status(), StatusCode::OK);
    let accepted: Value = r.json().await.unwrap();
    assert_eq!(accepted["status"], "accepted");
    assert!(accepted["answered_at"].is_string());
    // The same answer repeated with its key is the first answer again; a
    // new answer is a conflict.
    let r = send_keyed(
        &h,
        Method::POST,
        &answer,
        &user,
        Some(json!({"accept": true})),
        "answer-1",
    )
    .await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.json::<Value>().await.unwrap(), accepted);
    let r = h
        .send(Method::POST, &answer, &user, json!({"accept": false}))
        .await;
    expect_error(r, StatusCode::CONFLICT, "conflict").await;

    let r = h
        .send(Method::POST, &end, &user, json!({"summary": ""}))
        .await;
    expect_error(r, StatusCode::UNPROCESSABLE_ENTITY, "validation").await;
    let r = h.send(Method::POST, &end, &agent, json!({})).await;
    expect_error(r, StatusCode::UNPROCESSABLE_ENTITY, "validation").await;
    let r = h
        .send(Method::POST, &end, &agent, json!({"summary": ""}))
        .await;
    expect_error(r, StatusCode::UNPROCESSABLE_ENTITY, "validation").await;
    let r = h
        .send(
            Method::POST,
            &end,
            &agent,
            json!({"summary": "Restarted the backup agent"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let ended: Value = r.json().await.unwrap();
    assert_eq!(ended["status"], "ended");
    assert_eq!(ended["summary"], "Restarted the backup agent");
    assert!(ended["ended_at"].is_string());
    let r = h
        .send(Method::POST, &end, &agent, json!({"summary": "Again"}))
        .await;
    expect_error(r, StatusCode::CONFLICT, "conflict").await;

    // A declined request cannot be ended; a repeated request files once.
    let second = send_keyed(
        &h,
        Method::POST,
        &path,
        &agent,
        Some(request.clone()),
        "ask-2",
    )
    .await;
    assert_eq!(second.status(), StatusCode::CREATED);
    let second: Value = second.json().await.unwrap();
    let again = send_keyed(
        &h,
        Method::POST,
        &path,
        &agent,
        Some(request.clone()),
        "ask-2",
    )
    .await;
    assert_eq!(again.json::<Value>().await.unwrap(), second);
    let listed = list(&h, &path, &user, "remote_sessions").await;
    assert_eq!(ids(&listed), vec![id, second["id"].as_i64().unwrap()]);
    let second_id = second["id"].as_i64().unwrap();
    let r = h
        .send(
            Method::POST,
            &format!("/api/v1/remote-sessions/{second_id}/answer"),
            &user,
            json!({"accept": false}),
        )
        .await;
    assert_eq!(r.json::<Value>().await.unwrap()["status"], "declined");
    let r = h
        .send(
            Method::POST,
            &format!("/api/v1/remote-sessions/{second_id}/end"),
            &agent,
            json!({"summary": "x"}),
        )
        .await;
    expect_error(r, StatusCode::CONFLICT, "conflict").await;

    // A closed ticket gets none.
    let r = h
        .send(
            Method::PATCH,
            &format!("/api/v1/tickets/{ticket}"),
            &agent,
            json!({"status": "closed"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let r = h.send(Method::POST, &path, &agent, request).await;
    expect_error(r, StatusCode::CONFLICT, "conflict").await;
    assert_eq!(list(&h, &path, &agent, "remote_sessions").await.len(), 2);
    h.server.shutdown().await;
}

async fn order_delays_are_answered_once_by_their_organisation(engine: Engine) {
    let h = Helpdesk::start(engine).await;
    let agent = h.login(AGENT).await;
    let user = h.login(ACME_USER).await;
    let globex = h.login(GLOBEX).await;
    let acme = organisation_id(&h, &user).await;
    let ask = json!({
        "organisation_id": acme,
        "order_number": " HST-30001 ",
        "question": "Which data centre should host the new VPS?",
        "due_at": "2030-01-10T12:00:00Z",
    });

    let before = list(&h, "/api/v1/order-delays", &user, "order_delays")
        .await
        .len();
    let delay = created(&h, "/api/v1/order-delays", &agent, ask.clone()).await;
    assert_eq!(delay["status"], "open");
    assert_eq!(delay["order_number"], "HST-30001");
    assert_eq!(delay["organisation_id"], acme);
    assert_eq!(delay["due_at"], "2030-01-10T12:00:00Z");
    assert_eq!(delay["answer"], Value::Null);
    let id = delay["id"].as_i64().unwrap();

    let seen = ids(&list(&h, "/api/v1/order-delays", &user, "order_delays").await);
    assert_eq!(seen.len(), before + 1);
    assert_eq!(seen[0], id, "newest first");
    let seen = ids(&list(&h, "/api/v1/order-delays", &globex, "order_delays").await);
    assert!(!seen.contains(&id));
    let seen = ids(&list(&h, "/api/v1/order-delays", &agent, "order_delays").await);
    assert!(seen.contains(&id));

    let r = h
        .send(Method::POST, "/api/v1/order-delays", &user, ask.clone())
        .await;
    expect_error(r, StatusCode::FORBIDDEN, "forbidden").await;
    for (field, value) in [
        ("order_number", json!(" ")),
        ("order_number", json!("x".repeat(101))),
        ("question", json!("")),
        ("organisation_id", json!(999_999)),
    ] {
        let mut body = ask.clone();
        body[field] = value;
        let r = h
            .send(Method::POST, "/api/v1/order-delays", &agent, body)
            .await;
        expect_error(r, StatusCode::UNPROCESSABLE_ENTITY, "validation").await;
    }
    let mut bad = ask.clone();
    bad["due_at"] = json!("next week");
    let r = h
        .send(Method::POST, "/api/v1/order-delays", &agent, bad)
        .await;
    expect_error(r, StatusCode::BAD_REQUEST, "bad_request").await;
    let r = h
        .http
        .post(format!("{}/api/v1/order-delays", h.url))
        .json(&ask)
        .send()
        .await
        .unwrap();
    expect_error(r, StatusCode::UNAUTHORIZED, "unauthorized").await;

    let answer = format!("/api/v1/order-delays/{id}/answer");
    let body = json!({"answer": "Milan, please."});
    let r = h.send(Method::POST, &answer, &globex, body.clone()).await;
    expect_error(r, StatusCode::NOT_FOUND, "not_found").await;
    let r = h.send(Method::POST, &answer, &agent, body.clone()).await;
    expect_error(r, StatusCode::FORBIDDEN, "forbidden").await;
    let r = h
        .send(Method::POST, &answer, &user, json!({"answer": " "}))
        .await;
    expect_error(r, StatusCode::UNPROCESSABLE_ENTITY, "validation").await;
    let r = h
        .send(
            Method::POST,
            "/api/v1/order-delays/999999/answer",
            &user,
            body.clone(),
        )
        .await;
    expect_error(r, StatusCode::NOT_FOUND, "not_found").await;

    let r = send_keyed(
        &h,
        Method::POST,
        &answer,
        &user,
        Some(body.clone()),
        "answer-1",
    )
    .await;
    assert_eq!(r.status(), StatusCode::OK);
    let answered: Value = r.json().await.unwrap();
    assert_eq!(answered["status"], "answered");
    assert_eq!(answered["answer"], "Milan, please.");
    assert_eq!(answered["answered_by_name"], "Umberto User");
    assert!(answered["answered_at"].is_string());
    let r = send_keyed(&h, Method::POST, &answer, &user, Some(body), "answer-1").await;
    assert_eq!(r.json::<Value>().await.unwrap(), answered);
    let admin = h.login("admin@acme.example").await;
    let r = h
        .send(
            Method::POST,
            &answer,
            &admin,
            json!({"answer": "Rome instead"}),
        )
        .await;
    expect_error(r, StatusCode::CONFLICT, "conflict").await;
    let stored = list(&h, "/api/v1/order-delays", &admin, "order_delays").await;
    let stored = stored.iter().find(|d| d["id"] == id).unwrap();
    assert_eq!(stored["answer"], "Milan, please.");
    h.server.shutdown().await;
}

async fn sync_hands_out_each_notice_once_to_whom_may_see_it(engine: Engine) {
    let h = Helpdesk::start(engine).await;
    let agent = h.login(AGENT).await;
    let user = h.login(ACME_USER).await;
    let globex = h.login(GLOBEX).await;
    let acme = organisation_id(&h, &user).await;
    let globex_org = organisation_id(&h, &globex).await;

    // The demo's notices, each where it belongs.
    let (acme_seen, acme_cursor) = sync_kinds(&h, &user, 0, 2).await;
    let (globex_seen, globex_cursor) = sync_kinds(&h, &globex, 0, 500).await;
    let (_, agent_cursor) = sync_kinds(&h, &agent, 0, 500).await;
    let orgs = |seen: &BTreeMap<String, Vec<Value>>| -> Vec<Value> {
        seen["announcements"]
            .iter()
            .map(|a| a["organisation_id"].clone())
            .collect()
    };
    // (The third: the works on one of the organisation's own services.)
    assert_eq!(
        orgs(&acme_seen),
        vec![Value::Null, json!(acme), Value::Null]
    );
    assert_eq!(
        orgs(&globex_seen),
        vec![Value::Null, json!(globex_org), Value::Null]
    );
    assert_eq!(acme_seen["remote_sessions"].len(), 1);
    assert_eq!(acme_seen["order_delays"].len(), 3);
    assert!(globex_seen["remote_sessions"].is_empty());
    assert_eq!(
        globex_seen["order_delays"].len(),
        1,
        "its site-access request"
    );

    // New notices: Acme gets its own and everyone's, once each, in pages of one.
    let acme_news = created(
        &h,
        "/api/v1/announcements",
        &agent,
        announcement("For Acme", Some(acme)),
    )
    .await;
    let for_all = created(
        &h,
        "/api/v1/announcements",
        &agent,
        announcement("For all", None),
    )
    .await;
    let ticket = h.tickets(&user).await[0]["id"].as_i64().unwrap();
    let session = created(
        &h,
        &format!("/api/v1/tickets/{ticket}/remote-sessions"),
        &agent,
        json!({"reason": "Check the logs", "tool": "anydesk"}),
    )
    .await;
    let delay = created(
        &h,
        "/api/v1/order-delays",
        &agent,
        json!({"organisation_id": acme, "order_number": "HST-1", "question": "Which plan?"}),
    )
    .await;
    let (seen, cursor) = sync_kinds(&h, &user, acme_cursor, 1).await;
    assert_eq!(
        ids(&seen["announcements"]),
        ids(&[acme_news.clone(), for_all.clone()])
    );
    assert_eq!(seen["remote_sessions"], vec![session.clone()]);
    assert_eq!(seen["order_delays"], vec![delay.clone()]);
    assert!(seen["deleted"].is_empty() && seen["tickets"].is_empty());
    let (seen, globex_cursor) = sync_kinds(&h, &globex, globex_cursor, 500).await;
    assert_eq!(
        ids(&seen["announcements"]),
        vec![for_all["id"].as_i64().unwrap()]
    );
    assert!(seen["remote_sessions"].is_empty() && seen["order_delays"].is_empty());
    let (seen, agent_cursor) = sync_kinds(&h, &agent, agent_cursor, 500).await;
    assert_eq!(seen["announcements"].len(), 2);
    assert_eq!(seen["remote_sessions"].len(), 1);
    assert_eq!(seen["order_delays"].len(), 1);

    // Nothing new: nothing handed out again.
    let (seen, again) = sync_kinds(&h, &user, cursor, 1).await;
    assert!(seen.values().all(Vec::is_empty));
    assert_eq!(again, cursor);

    // An answer and a change come back as the changed record.
    let r = h
        .send(
            Method::POST,
            &format!("/api/v1/remote-sessions/{}/answer", session["id"]),
            &user,
            json!({"accept": true}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let r = h
        .send(
            Method::PATCH,
            &format!("/api/v1/announcements/{}", for_all["id"]),
            &agent,
            json!({"title": "For all, corrected"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let (seen, cursor) = sync_kinds(&h, &user, cursor, 500).await;
    assert_eq!(seen["remote_sessions"][0]["status"], "accepted");
    assert_eq!(seen["announcements"].len(), 1);
    assert_eq!(seen["announcements"][0]["title"], "For all, corrected");

    // Withdrawn: a deletion for those who could see it, and only for them.
    for a in [&acme_news, &for_all] {
        let r = delete(&h, &format!("/api/v1/announcements/{}", a["id"]), &agent).await;
        assert_eq!(r.status(), StatusCode::NO_CONTENT);
    }
    let (seen, cursor) = sync_kinds(&h, &user, cursor, 500).await;
    assert_eq!(
        seen["deleted"],
        vec![
            json!({"kind": "announcement", "id": acme_news["id"]}),
            json!({"kind": "announcement", "id": for_all["id"]}),
        ]
    );
    assert!(seen["announcements"].is_empty());
    let (seen, _) = sync_kinds(&h, &globex, globex_cursor, 500).await;
    assert_eq!(
        seen["deleted"],
        vec![json!({"kind": "announcement", "id": for_all["id"]})]
    );
    assert!(
        seen["announcements"].is_empty(),
        "the correction of a withdrawn announcement is not handed out"
    );
    let (seen, _) = sync_kinds(&h, &agent, agent_cursor, 500).await;
    assert_eq!(seen["deleted"].len(), 2);
    let (seen, _) = sync_kinds(&h, &user, cursor, 500).await;
    assert!(seen.values().all(Vec::is_empty), "each deletion once");
    h.server.shutdown().await;
}

async fn live_events_announce_notices_to_whom_may_see_them(engine: Engine) {
    let h = Helpdesk::start(engine).await;
    let agent = h.login(AGENT).await;
    let user = h.login(ACME_USER).await;
    let globex = h.login(GLOBEX).await;
    let acme = organisation_id(&h, &user).await;
    let ticket = h.tickets(&user).await[0]["id"].as_i64().unwrap();
    let mut acme_events = Events::open(&h, &user, None).await;
    let mut globex_events = Events::open(&h, &globex, None).await;
    let mut agent_events = Events::open(&h, &agent, None).await;

    // For Acme only.
    let news = created(
        &h,
        "/api/v1/announcements",
        &agent,
        announcement("For Acme", Some(acme)),
    )
    .await;
    let e = acme_events.next(SOON).await.expect("Acme hears of it");
    assert_eq!(e.event, "change");
    assert_eq!(e.data["kind"], "announcement");
    assert_eq!(e.data["id"], news["id"]);
    assert_eq!(e.id, e.data["seq"].as_i64());
    let e = agent_events.next(SOON).await.expect("agents hear of it");
    assert_eq!(e.data["id"], news["id"]);
    assert!(globex_events.next(QUIET).await.is_none(), "not Globex");

    // For everyone.
    let all = created(
        &h,
        "/api/v1/announcements",
        &agent,
        announcement("For all", None),
    )
    .await;
    for events in [&mut acme_events, &mut globex_events, &mut agent_events] {
        let e = events.next(SOON).await.expect("everyone hears of it");
        assert_eq!(e.data["id"], all["id"]);
    }

    // A remote session and an order delay for Acme.
    let session = created(
        &h,
        &format!("/api/v1/tickets/{ticket}/remote-sessions"),
        &agent,
        json!({"reason": "Check the logs", "tool": "teamviewer"}),
    )
    .await;
    let e = acme_events.next(SOON).await.expect("the remote session");
    assert_eq!(e.data["kind"], "remote_session");
    assert_eq!(e.data["id"], session["id"]);
    assert_eq!(e.data["ticket_id"], ticket);
    let delay = created(
        &h,
        "/api/v1/order-delays",
        &agent,
        json!({"organisation_id": acme, "order_number": "HST-1", "question": "Which plan?"}),
    )
    .await;
    let e = acme_events.next(SOON).await.expect("the order delay");
    assert_eq!(e.data["kind"], "order_delay");
    assert_eq!(e.data["id"], delay["id"]);
    let r = h
        .send(
            Method::POST,
            &format!("/api/v1/order-delays/{}/answer", delay["id"]),
            &user,
            json!({"answer": "The big one"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let e = acme_events.next(SOON).await.expect("the answer");
    assert_eq!(e.data["id"], delay["id"]);

    // Withdrawing Acme's announcement tells Acme only.
    let r = delete(&h, &format!("/api/v1/announcements/{}", news["id"]), &agent).await;
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    let e = acme_events.next(SOON).await.expect("the withdrawal");
    assert_eq!(e.data["kind"], "announcement");
    assert_eq!(e.data["id"], news["id"]);
    assert!(
        globex_events.next(QUIET).await.is_none(),
        "nothing of Acme's reaches Globex"
    );
    // Reconnecting behind a notice's change: told to resync.
    let mut again = Events::open(&h, &globex, Some(e.id.unwrap() - 1)).await;
    let r = again.next(QUIET).await;
    assert!(r.is_none(), "Globex missed nothing it may see: {r:?}");
    let mut again_acme = Events::open(&h, &user, Some(e.id.unwrap() - 1)).await;
    let r = again_acme
        .next(SOON)
        .await
        .expect("Acme missed the withdrawal");
    assert_eq!(r.event, "resync");
    tokio::time::timeout(std::time::Duration::from_secs(10), h.server.shutdown())
        .await
        .expect("shutdown with open event streams");
    drop((acme_events, globex_events, agent_events, again, again_acme));
}

on_both_engines!(
    announcements_are_posted_changed_and_withdrawn_by_agents,
    announcement_writes_are_idempotent,
    remote_sessions_follow_their_rules,
    order_delays_are_answered_once_by_their_organisation,
    sync_hands_out_each_notice_once_to_whom_may_see_it,
    live_events_announce_notices_to_whom_may_see_them,
);
