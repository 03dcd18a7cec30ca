//! The queue's order (expedited, then first-response deadline, then oldest) as agents
//! and customers see it, and agents' claims on queued tickets.

use crate::support::*;

use deskmate_api::{Rights, Role};
use reqwest::{Method, Response, StatusCode};
use serde_json::{Value, json};

const AGENT: &str = "agent@provider.example";
const SECOND_AGENT: &str = "second-agent@provider.example";
const ACME_USER: &str = "user@acme.example";

/// Runs `sql` (one `$1` for a ticket id) straight in the database, as a
/// route this file does not test would (the paid expedited response), or
/// as time would (a ticket filed long ago).
async fn change(engine: Engine, h: &Helpdesk, sql: &'static str, id: i64) {
    let changed = match engine {
        Engine::Sqlite => {
            let pool = sqlx::SqlitePool::connect(&h.db_url).await.unwrap();
            let done = sqlx::query(sql).bind(id).execute(&pool).await.unwrap();
            pool.close().await;
            done.rows_affected()
        }
        Engine::Postgres => {
            let pool = sqlx::PgPool::connect(&h.db_url).await.unwrap();
            let done = sqlx::query(sql).bind(id).execute(&pool).await.unwrap();
            pool.close().await;
            done.rows_affected()
        }
    };
    assert_eq!(changed, 1);
}

/// Marks ticket `id` expedited, as the paid expedited response does (its
/// route is tests/expedite.rs's business).
async fn expedite(engine: Engine, h: &Helpdesk, id: i64) {
    change(
        engine,
        h,
        "UPDATE tickets SET expedited = TRUE WHERE id = $1",
        id,
    )
    .await;
}

/// Moves ticket `id` 23 hours into the past: filed then, its regular
/// promise (24 h) due in an hour.
async fn file_23_hours_ago(engine: Engine, h: &Helpdesk, id: i64) {
    const SQL: &str = "UPDATE tickets SET created_ms = created_ms - 82800000, \
         first_response_due_ms = first_response_due_ms - 82800000 WHERE id = $1";
    change(engine, h, SQL, id).await;
}

/// A second agent of the provider, signed in; their token and name.
pub(crate) async fn second_agent(h: &Helpdesk) -> (String, String) {
    let hash = deskmate_server::auth::hash_password("demo-password").unwrap();
    let db = deskmate_server::Db::open(&h.db_url).await.unwrap();
    db.create_user(
        None,
        SECOND_AGENT,
        "Second Agent",
        Role::Agent,
        &hash,
        Rights::default(),
    )
    .await
    .unwrap();
    db.close().await;
    (h.login(SECOND_AGENT).await, "Second Agent".to_owned())
}

async fn name_of(h: &Helpdesk, token: &str) -> String {
    let me: Value = h.get("/api/v1/me", token).await.json().await.unwrap();
    me["name"].as_str().unwrap().to_owned()
}

async fn queue(h: &Helpdesk, token: &str) -> Vec<Value> {
    let r = h.get("/api/v1/queue", token).await;
    assert_eq!(r.status(), StatusCode::OK);
    let body: Value = r.json().await.unwrap();
    body["tickets"].as_array().unwrap().clone()
}

/// Ticket `id` as the queue shows it.
async fn queued(h: &Helpdesk, token: &str, id: i64) -> Value {
    queue(h, token)
        .await
        .into_iter()
        .find(|q| q["ticket"]["id"] == id)
        .unwrap_or_else(|| panic!("ticket #{id} is not in the queue"))
}

fn claim_path(id: i64) -> String {
    format!("/api/v1/queue/{id}/claim")
}

pub(crate) async fn claim(h: &Helpdesk, token: &str, id: i64, key: Option<&str>) -> Response {
    call(h, Method::POST, token, id, key).await
}

pub(crate) async fn release(h: &Helpdesk, token: &str, id: i64, key: Option<&str>) -> Response {
    call(h, Method::DELETE, token, id, key).await
}

async fn call(h: &Helpdesk, method: Method, token: &str, id: i64, key: Option<&str>) -> Response {
    let mut rb = h
        .http
        .request(method, format!("{}{}", h.url, claim_path(id)))
        .bearer_auth(token);
    if let Some(key) = key {
        rb = rb.header("idempotency-key", key);
    }
    rb.send().await.unwrap()
}

async fn file_high(h: &Helpdesk, token: &str, subject: &str) -> i64 {
    let mut body = ticket(subject);
    body["priority"] = json!("high");
    let r = h.send(Method::POST, "/api/v1/tickets", token, body).await;
    assert_eq!(r.status(), StatusCode::CREATED);
    r.json::<Value>().await.unwrap()["id"].as_i64().unwrap()
}

/// An agent's reply to ticket `id`, which takes it out of the queue.
async fn answer(h: &Helpdesk, agent: &str, id: i64, body: &str) {
    let path = format!("/api/v1/tickets/{id}/messages");
    let r = h
        .send(Method::POST, &path, agent, json!({ "body": body }))
        .await;
    assert_eq!(r.status(), StatusCode::CREATED);
}

/// Where a queued ticket belongs: expedited first, then the earliest
/// first-response deadline, then the oldest.
fn order_key(
    q: &Value,
) -> (
    bool,
    chrono::DateTime<chrono::FixedOffset>,
    chrono::DateTime<chrono::FixedOffset>,
) {
    let at = |v: &Value| chrono::DateTime::parse_from_rfc3339(v.as_str().unwrap()).unwrap();
    (
        !q["expedited"].as_bool().unwrap(),
        at(&q["first_response_due_at"]),
        at(&q["ticket"]["created_at"]),
    )
}

async fn queue_is_expedited_then_deadline_then_oldest(engine: Engine) {
    let h = Helpdesk::start(engine).await;
    let agent = h.login(AGENT).await;
    let user = h.login(ACME_USER).await;
    let overdue_soon = h.file(&user, "Regular, filed 23 hours ago").await;
    file_23_hours_ago(engine, &h, overdue_soon).await;
    let oldest = h.file(&user, "Oldest regular").await;
    let newer = h.file(&user, "Newer regular").await;
    let high = file_high(&h, &user, "High").await;
    let expedited = h.file(&user, "Newest, expedited").await;
    expedite(engine, &h, expedited).await;

    let tickets = queue(&h, &agent).await;
    let ids: Vec<i64> = tickets
        .iter()
        .map(|q| q["ticket"]["id"].as_i64().unwrap())
        .collect();
    let at = |id: i64| ids.iter().position(|i| *i == id).unwrap();
    // The newest ticket comes first: it is the only one expedited. The
    // regular one due in an hour comes before the high one due in four.
    assert_eq!(at(expedited), 0, "{ids:?}");
    assert!(at(overdue_soon) < at(high), "{ids:?}");
    assert!(at(high) < at(oldest), "{ids:?}");
    assert!(at(oldest) < at(newer), "{ids:?}");
    assert_eq!(tickets[0]["expedited"], true);
    assert_eq!(tickets[at(high)]["expedited"], false);
    for (q, position) in tickets.iter().zip(1..) {
        assert_eq!(q["position"], position);
        assert!(q["claimed_by_name"].is_null() && q["claimed_at"].is_null());
    }
    // The whole queue (the demo's tickets too) is in that order.
    for pair in tickets.windows(2) {
        assert!(order_key(&pair[0]) <= order_key(&pair[1]), "{pair:?}");
        assert!(pair[0]["organisation_name"].is_string());
    }
    assert_eq!(tickets[0]["organisation_name"], "Acme Hosting Ltd");

    // The first screen asks for the head only; the total still counts all.
    let r = h.get("/api/v1/queue?limit=2", &agent).await;
    assert_eq!(r.status(), StatusCode::OK);
    let head: Value = r.json().await.unwrap();
    assert_eq!(head["tickets"].as_array().unwrap()[..], tickets[..2]);
    assert_eq!(head["total"], tickets.len() as i64);
    let all: Value = h.get("/api/v1/queue", &agent).await.json().await.unwrap();
    assert_eq!(all["total"], tickets.len() as i64);
    for bad in ["limit=0", "limit=10001", "limit=two", "sort=oldest"] {
        let r = h.get(&format!("/api/v1/queue?{bad}"), &agent).await;
        expect_error(r, StatusCode::BAD_REQUEST, "bad_request").await;
    }

    // Customers see the same places.
    for id in [overdue_soon, oldest, newer, high, expedited] {
        let detail = h.detail(id, &user).await;
        assert_eq!(detail["queue_position"], at(id) as i64 + 1, "#{id}");
        assert!(detail["first_response_due_at"].is_string());
    }
    // An agent's answer takes a ticket out, and the ones after it move up.
    answer(&h, &agent, expedited, "On it.").await;
    assert!(h.detail(expedited, &user).await["queue_position"].is_null());
    assert_eq!(
        h.detail(high, &user).await["queue_position"],
        at(high) as i64
    );
}

async fn agents_claim_and_release_queued_tickets(engine: Engine) {
    let h = Helpdesk::start(engine).await;
    let agent = h.login(AGENT).await;
    let agent_name = name_of(&h, &agent).await;
    let (second, second_name) = second_agent(&h).await;
    let user = h.login(ACME_USER).await;
    let id = h.file(&user, "Printer on fire").await;

    // Customers may not claim, even a ticket of their own; nothing changes.
    let r = claim(&h, &user, id, None).await;
    expect_error(r, StatusCode::FORBIDDEN, "forbidden").await;
    let r = release(&h, &user, id, None).await;
    expect_error(r, StatusCode::FORBIDDEN, "forbidden").await;
    let r = h.get("/api/v1/queue", &user).await;
    expect_error(r, StatusCode::FORBIDDEN, "forbidden").await;
    // Unknown tickets.
    expect_error(
        claim(&h, &agent, 999_999, None).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    expect_error(
        release(&h, &agent, 999_999, None).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    let r = h
        .http
        .post(format!("{}/api/v1/queue/abc/claim", h.url))
        .bearer_auth(&agent)
        .send()
        .await
        .unwrap();
    expect_error(r, StatusCode::NOT_FOUND, "not_found").await;
    assert!(queued(&h, &agent, id).await["claimed_by_name"].is_null());

    let r = claim(&h, &agent, id, None).await;
    assert_eq!(r.status(), StatusCode::OK);
    let first: Value = r.json().await.unwrap();
    assert_eq!(first["ticket"]["id"], id);
    assert_eq!(first["claimed_by_name"], agent_name.as_str());
    assert!(first["claimed_at"].is_string());
    assert_eq!(first, queued(&h, &agent, id).await);

    // Claiming it again changes nothing, not even since when.
    let r = claim(&h, &agent, id, None).await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.json::<Value>().await.unwrap(), first);

    // Another agent is told who holds it, and can neither take nor release it.
    let message = expect_error(
        claim(&h, &second, id, None).await,
        StatusCode::CONFLICT,
        "conflict",
    )
    .await;
    assert!(message.contains(&agent_name), "{message}");
    let message = expect_error(
        release(&h, &second, id, None).await,
        StatusCode::CONFLICT,
        "conflict",
    )
    .await;
    assert!(message.contains(&agent_name), "{message}");
    assert_eq!(queued(&h, &agent, id).await, first);
    assert_eq!(queued(&h, &second, id).await, first);

    // The customer never sees who claimed it.
    let detail = h.detail(id, &user).await;
    assert!(!detail.to_string().contains("claimed"), "{detail}");
    assert!(!detail.to_string().contains(&agent_name), "{detail}");

    // Released, it is anyone's again; releasing what nobody holds is refused.
    let r = release(&h, &agent, id, None).await;
    assert_eq!(r.status(), StatusCode::NO_CONTENT);
    let free = queued(&h, &agent, id).await;
    assert!(free["claimed_by_name"].is_null() && free["claimed_at"].is_null());
    expect_error(
        release(&h, &agent, id, None).await,
        StatusCode::CONFLICT,
        "conflict",
    )
    .await;
    let r = claim(&h, &second, id, None).await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(
        r.json::<Value>().await.unwrap()["claimed_by_name"],
        second_name.as_str()
    );

    // A ticket out of the queue cannot be claimed: answered, or closed.
    let answered = h.file(&user, "Answered").await;
    answer(&h, &agent, answered, "Try turning it off and on again.").await;
    let message = expect_error(
        claim(&h, &agent, answered, None).await,
        StatusCode::CONFLICT,
        "conflict",
    )
    .await;
    assert!(message.contains("not in the queue"), "{message}");
    let closed = h.file(&user, "Closed").await;
    let r = h
        .send(
            Method::PATCH,
            &format!("/api/v1/tickets/{closed}"),
            &agent,
            json!({"status": "closed"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    expect_error(
        claim(&h, &agent, closed, None).await,
        StatusCode::CONFLICT,
        "conflict",
    )
    .await;
    assert!(
        queue(&h, &agent)
            .await
            .iter()
            .all(|q| q["ticket"]["id"] != answered && q["ticket"]["id"] != closed)
    );
}

async fn claims_honour_idempotency_keys(engine: Engine) {
    let h = Helpdesk::start(engine).await;
    let agent = h.login(AGENT).await;
    let user = h.login(ACME_USER).await;
    let id = h.file(&user, "Retry me").await;

    let r = claim(&h, &agent, id, Some("claim-1")).await;
    assert_eq!(r.status(), StatusCode::OK);
    let first: Value = r.json().await.unwrap();
    let r = release(&h, &agent, id, Some("release-1")).await;
    assert_eq!(r.status(), StatusCode::NO_CONTENT);

    // A repeat answers the first response again and changes nothing.
    let r = claim(&h, &agent, id, Some("claim-1")).await;
    assert_eq!(r.status(), StatusCode::OK);
    assert_eq!(r.json::<Value>().await.unwrap(), first);
    assert!(queued(&h, &agent, id).await["claimed_by_name"].is_null());
    let r = release(&h, &agent, id, Some("release-1")).await;
    assert_eq!(r.status(), StatusCode::NO_CONTENT);

    // The same key for another request is a conflict, and changes nothing.
    expect_error(
        release(&h, &agent, id, Some("claim-1")).await,
        StatusCode::CONFLICT,
        "conflict",
    )
    .await;
    let other = h.file(&user, "Other").await;
    expect_error(
        claim(&h, &agent, other, Some("claim-1")).await,
        StatusCode::CONFLICT,
        "conflict",
    )
    .await;
    assert!(queued(&h, &agent, other).await["claimed_by_name"].is_null());
    let r = claim(&h, &agent, id, Some(" ")).await;
    expect_error(r, StatusCode::BAD_REQUEST, "bad_request").await;
    assert!(queued(&h, &agent, id).await["claimed_by_name"].is_null());
}

on_both_engines!(
    queue_is_expedited_then_deadline_then_oldest,
    agents_claim_and_release_queued_tickets,
    claims_honour_idempotency_keys,
);
