//! Customers say when they can be reached at their computer about a ticket
//! (`PUT`/`DELETE /api/v1/tickets/{id}/availability`); the ticket, sync,
//! live events and the agents' queue carry it.

use crate::support::*;

use chrono::{DateTime, Duration, Utc};
use reqwest::{Method, Response, StatusCode};
use serde_json::{Value, json};

const AGENT: &str = "agent@provider.example";
const ACME_USER: &str = "user@acme.example";
const ACME_ADMIN: &str = "admin@acme.example";
const GLOBEX_ADMIN: &str = "admin@globex.example";

fn path(id: i64) -> String {
    format!("/api/v1/tickets/{id}/availability")
}

fn office_hours() -> Value {
    json!({
        "time_zone": "Europe/Prague",
        "weekly": [{"days": ["mon", "tue", "wed", "thu", "fri"], "from": "09:00", "to": "17:00"}],
        "dated": [],
        "note": "Ask for Ursula at the front desk."
    })
}

/// Reachable at every moment: every day, all day.
fn always() -> Value {
    json!({
        "time_zone": "Europe/Prague",
        "weekly": [{"days": ["mon", "tue", "wed", "thu", "fri", "sat", "sun"], "from": "00:00", "to": "24:00"}],
        "dated": [],
        "note": null
    })
}

async fn put(h: &Helpdesk, token: &str, id: i64, body: &Value, key: Option<&str>) -> Response {
    let mut rb = h
        .http
        .put(format!("{}{}", h.url, path(id)))
        .bearer_auth(token)
        .json(body);
    if let Some(key) = key {
        rb = rb.header("idempotency-key", key);
    }
    rb.send().await.unwrap()
}

async fn clear(h: &Helpdesk, token: &str, id: i64, key: Option<&str>) -> Response {
    let mut rb = h
        .http
        .delete(format!("{}{}", h.url, path(id)))
        .bearer_auth(token);
    if let Some(key) = key {
        rb = rb.header("idempotency-key", key);
    }
    rb.send().await.unwrap()
}

async fn put_ok(h: &Helpdesk, token: &str, id: i64, body: &Value) -> Value {
    let r = put(h, token, id, body, None).await;
    assert_eq!(r.status(), StatusCode::OK);
    r.json().await.unwrap()
}

async fn availability_of(h: &Helpdesk, token: &str, id: i64) -> Value {
    h.detail(id, token).await["ticket"]["availability"].clone()
}

async fn queued(h: &Helpdesk, agent: &str, id: i64) -> Value {
    let r = h.get("/api/v1/queue", agent).await;
    assert_eq!(r.status(), StatusCode::OK);
    let body: Value = r.json().await.unwrap();
    body["tickets"]
        .as_array()
        .unwrap()
        .iter()
        .find(|q| q["ticket"]["id"] == id)
        .unwrap_or_else(|| panic!("ticket #{id} is not in the queue"))
        .clone()
}

fn instant(v: &Value) -> DateTime<Utc> {
    v.as_str().unwrap().parse().unwrap()
}

async fn set_replace_and_clear(engine: Engine) {
    let h = Helpdesk::start(engine).await;
    let user = h.login(ACME_USER).await;
    let id = h.file(&user, "Mail down").await;
    assert_eq!(availability_of(&h, &user, id).await, Value::Null);

    let ticket = put_ok(&h, &user, id, &office_hours()).await;
    assert_eq!(ticket["id"], id);
    assert_eq!(ticket["availability"], office_hours());
    assert_eq!(availability_of(&h, &user, id).await, office_hours());

    // A second PUT replaces the whole availability; the input is tidied.
    let tomorrow = Utc::now() + Duration::days(1);
    let replacement = json!({
        "time_zone": " Europe/Prague ",
        "weekly": [{"days": ["sun", "sat", "sat"], "from": "22:00", "to": "02:00"}],
        "dated": [{"starts_at": tomorrow, "ends_at": tomorrow + Duration::hours(2)}],
        "note": "   "
    });
    let ticket = put_ok(&h, &user, id, &replacement).await;
    let stored = availability_of(&h, &user, id).await;
    assert_eq!(stored, ticket["availability"]);
    assert_eq!(stored["time_zone"], "Europe/Prague");
    assert_eq!(stored["weekly"][0]["days"], json!(["sat", "sun"]));
    assert_eq!(stored["note"], Value::Null);
    assert_eq!(stored["dated"].as_array().unwrap().len(), 1);
    assert_eq!(instant(&stored["dated"][0]["starts_at"]), tomorrow);

    // The organisation's admin sees it too.
    let admin = h.login(ACME_ADMIN).await;
    assert_eq!(availability_of(&h, &admin, id).await, stored);

    let r = clear(&h, &user, id, None).await;
    assert_eq!(r.status(), StatusCode::OK);
    let ticket: Value = r.json().await.unwrap();
    assert_eq!(ticket["availability"], Value::Null);
    assert_eq!(availability_of(&h, &user, id).await, Value::Null);
    // Clearing again is harmless.
    assert_eq!(clear(&h, &user, id, None).await.status(), StatusCode::OK);
}

async fn invalid_bodies_are_refused_and_change_nothing(engine: Engine) {
    let h = Helpdesk::start(engine).await;
    let user = h.login(ACME_USER).await;
    let id = h.file(&user, "Mail down").await;
    put_ok(&h, &user, id, &office_hours()).await;

    let window = |days: Value, from: &str, to: &str| json!({"days": days, "from": from, "to": to});
    let with_weekly = |weekly: Value| json!({"time_zone": "Europe/Prague", "weekly": weekly});
    let now = Utc::now();
    let dated = |from: DateTime<Utc>, to: DateTime<Utc>| json!({"time_zone": "Europe/Prague", "dated": [{"starts_at": from, "ends_at": to}]});
    let invalid = [
        (
            json!({"time_zone": "Mars/Olympus", "weekly": [window(json!(["mon"]), "09:00", "10:00")]}),
            "Mars/Olympus",
        ),
        (
            with_weekly(json!([window(json!(["mon"]), "25:00", "26:00")])),
            "25:00",
        ),
        (
            with_weekly(json!([window(json!(["mon"]), "9:00", "10:00")])),
            "9:00",
        ),
        (
            with_weekly(json!([window(json!([]), "09:00", "10:00")])),
            "day",
        ),
        (
            with_weekly(json!([window(json!(["mon"]), "10:00", "10:00")])),
            "same time",
        ),
        (
            with_weekly(json!(vec![window(json!(["mon"]), "09:00", "10:00"); 15])),
            "14",
        ),
        (
            dated(now + Duration::hours(2), now + Duration::hours(1)),
            "end after",
        ),
        (
            dated(now - Duration::hours(3), now - Duration::hours(2)),
            "ended",
        ),
        (
            dated(
                now + Duration::days(100),
                now + Duration::days(100) + Duration::hours(1),
            ),
            "90 days",
        ),
        (json!({"time_zone": "Europe/Prague"}), "at least one window"),
        (
            json!({"time_zone": "Europe/Prague", "weekly": [window(json!(["mon"]), "09:00", "10:00")], "note": "x".repeat(501)}),
            "500",
        ),
    ];
    for (body, says) in invalid {
        let message = expect_error(
            put(&h, &user, id, &body, None).await,
            StatusCode::UNPROCESSABLE_ENTITY,
            "validation",
        )
        .await;
        assert!(message.contains(says), "{message:?} does not say {says:?}");
    }

    let malformed = [
        json!({"weekly": []}),
        json!({"time_zone": 42, "weekly": []}),
        json!({"time_zone": "Europe/Prague", "weekly": "mon-fri"}),
        json!({"time_zone": "Europe/Prague", "weekly": [window(json!(["someday"]), "09:00", "10:00")]}),
        json!({"time_zone": "Europe/Prague", "weekly": [{"days": ["mon"], "from": "09:00"}]}),
        json!({"time_zone": "Europe/Prague", "dated": [{"starts_at": "tomorrow", "ends_at": "later"}]}),
        json!({"time_zone": "Europe/Prague", "weekly": [], "colour": "blue"}),
    ];
    for body in malformed {
        expect_error(
            put(&h, &user, id, &body, None).await,
            StatusCode::BAD_REQUEST,
            "bad_request",
        )
        .await;
    }
    let r = h
        .http
        .put(format!("{}{}", h.url, path(id)))
        .bearer_auth(&user)
        .header("content-type", "application/json")
        .body("{\"time_zone\": ")
        .send()
        .await
        .unwrap();
    expect_error(r, StatusCode::BAD_REQUEST, "bad_request").await;

    assert_eq!(availability_of(&h, &user, id).await, office_hours());
}

async fn only_the_ticket_s_customers_may_say(engine: Engine) {
    let h = Helpdesk::start(engine).await;
    let user = h.login(ACME_USER).await;
    let id = h.file(&user, "Mail down").await;
    put_ok(&h, &user, id, &office_hours()).await;

    // Another organisation's ticket is answered like one that does not exist.
    let globex = h.login(GLOBEX_ADMIN).await;
    expect_error(
        put(&h, &globex, id, &always(), None).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    expect_error(
        clear(&h, &globex, id, None).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    expect_error(
        put(&h, &user, 999_999, &always(), None).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    expect_error(
        put(&h, &user, -1, &always(), None).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;

    // Agents read it but do not say it for the customer.
    let agent = h.login(AGENT).await;
    expect_error(
        put(&h, &agent, id, &always(), None).await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    expect_error(
        clear(&h, &agent, id, None).await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    assert_eq!(availability_of(&h, &agent, id).await, office_hours());

    // A closed ticket takes no availability.
    let r = h
        .send(
            Method::PATCH,
            &format!("/api/v1/tickets/{id}"),
            &agent,
            json!({"status": "closed"}),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    expect_error(
        put(&h, &user, id, &always(), None).await,
        StatusCode::CONFLICT,
        "conflict",
    )
    .await;
    expect_error(
        clear(&h, &user, id, None).await,
        StatusCode::CONFLICT,
        "conflict",
    )
    .await;
    assert_eq!(availability_of(&h, &user, id).await, office_hours());
}

async fn a_repeated_key_answers_the_first_response(engine: Engine) {
    let h = Helpdesk::start(engine).await;
    let user = h.login(ACME_USER).await;
    let id = h.file(&user, "Mail down").await;
    let (_, _, cursor) = sync_all(&h, &user, 0, 500).await;

    let first = put(&h, &user, id, &office_hours(), Some("avail-1")).await;
    assert_eq!(first.status(), StatusCode::OK);
    let first: Value = first.json().await.unwrap();
    let again = put(&h, &user, id, &office_hours(), Some("avail-1")).await;
    assert_eq!(again.status(), StatusCode::OK);
    assert_eq!(again.json::<Value>().await.unwrap(), first);
    // Done once: one ticket change only.
    let (tickets, _, _) = sync_all(&h, &user, cursor, 500).await;
    assert_eq!(tickets.len(), 1);

    // The same key for something else is a conflict.
    expect_error(
        put(&h, &user, id, &always(), Some("avail-1")).await,
        StatusCode::CONFLICT,
        "conflict",
    )
    .await;
    expect_error(
        clear(&h, &user, id, Some("avail-1")).await,
        StatusCode::CONFLICT,
        "conflict",
    )
    .await;
    assert_eq!(availability_of(&h, &user, id).await, office_hours());

    let cleared = clear(&h, &user, id, Some("clear-1")).await;
    assert_eq!(cleared.status(), StatusCode::OK);
    // Set again, then a repeat of the clearing changes nothing.
    put_ok(&h, &user, id, &always()).await;
    assert_eq!(
        clear(&h, &user, id, Some("clear-1")).await.status(),
        StatusCode::OK
    );
    assert_eq!(availability_of(&h, &user, id).await, always());
}

async fn sync_and_live_events_carry_it(engine: Engine) {
    let h = Helpdesk::start(engine).await;
    let user = h.login(ACME_USER).await;
    let admin = h.login(ACME_ADMIN).await;
    let globex = h.login(GLOBEX_ADMIN).await;
    let id = h.file(&user, "Mail down").await;
    let (_, _, cursor) = sync_all(&h, &admin, 0, 500).await;
    let mut admin_events = Events::open(&h, &admin, None).await;
    let mut globex_events = Events::open(&h, &globex, None).await;

    put_ok(&h, &user, id, &office_hours()).await;
    let event = admin_events.next(SOON).await.expect("a live event");
    assert_eq!(event.data["kind"], "ticket", "{event:?}");
    assert_eq!(event.data["ticket_id"], id, "{event:?}");
    assert!(
        globex_events.next(QUIET).await.is_none(),
        "not Globex's business"
    );

    let (tickets, _, cursor) = sync_all(&h, &admin, cursor, 500).await;
    assert_eq!(tickets.len(), 1);
    assert_eq!(tickets[0]["availability"], office_hours());
    // The ticket list carries it too.
    let listed = h.tickets(&admin).await;
    let listed = listed.iter().find(|t| t["id"] == id).unwrap();
    assert_eq!(listed["availability"], office_hours());

    assert_eq!(clear(&h, &user, id, None).await.status(), StatusCode::OK);
    assert!(admin_events.next(SOON).await.is_some());
    let (tickets, _, _) = sync_all(&h, &admin, cursor, 500).await;
    assert_eq!(tickets.len(), 1);
    assert_eq!(tickets[0]["availability"], Value::Null);
}

async fn the_queue_says_whether_the_customer_is_reachable(engine: Engine) {
    let h = Helpdesk::start(engine).await;
    let user = h.login(ACME_USER).await;
    let agent = h.login(AGENT).await;
    let none = h.file(&user, "No availability").await;
    let now_reachable = h.file(&user, "Always reachable").await;
    let later = h.file(&user, "Reachable tomorrow").await;
    put_ok(&h, &user, now_reachable, &always()).await;
    let starts = Utc::now() + Duration::days(1);
    let tomorrow = json!({
        "time_zone": "America/New_York",
        "dated": [{"starts_at": starts, "ends_at": starts + Duration::hours(1)}]
    });
    put_ok(&h, &user, later, &tomorrow).await;

    let q = queued(&h, &agent, none).await;
    assert_eq!(q["reachable_now"], false);
    assert_eq!(q["next_reachable_at"], Value::Null);

    let before = Utc::now();
    let q = queued(&h, &agent, now_reachable).await;
    assert_eq!(q["reachable_now"], true);
    let next = instant(&q["next_reachable_at"]);
    assert!(
        next >= before - Duration::seconds(1) && next <= Utc::now(),
        "{next}"
    );
    assert_eq!(q["ticket"]["availability"], always());

    let q = queued(&h, &agent, later).await;
    assert_eq!(q["reachable_now"], false);
    assert_eq!(instant(&q["next_reachable_at"]), starts);
}

async fn a_new_ticket_may_say_it_at_once(engine: Engine) {
    let h = Helpdesk::start(engine).await;
    let user = h.login(ACME_USER).await;
    let mut body = ticket("Mail down");
    body["availability"] = office_hours();
    let r = h.send(Method::POST, "/api/v1/tickets", &user, body).await;
    assert_eq!(r.status(), StatusCode::CREATED);
    let created: Value = r.json().await.unwrap();
    assert_eq!(created["availability"], office_hours());
    let id = created["id"].as_i64().unwrap();
    assert_eq!(availability_of(&h, &user, id).await, office_hours());

    let count = h.ticket_count().await;
    let mut body = ticket("Bad availability");
    body["availability"] = json!({"time_zone": "Europe/Prague", "weekly": [{"days": ["mon"], "from": "25:00", "to": "26:00"}]});
    let r = h.send(Method::POST, "/api/v1/tickets", &user, body).await;
    let message = expect_error(r, StatusCode::UNPROCESSABLE_ENTITY, "validation").await;
    assert!(message.contains("25:00"), "{message}");
    assert_eq!(h.ticket_count().await, count, "nothing filed");
}

async fn the_demo_ticket_has_an_availability(engine: Engine) {
    let h = Helpdesk::start(engine).await;
    let user = h.login(ACME_USER).await;
    let with: Vec<Value> = h
        .tickets(&user)
        .await
        .into_iter()
        .filter(|t| !t["availability"].is_null())
        .collect();
    assert_eq!(with.len(), 1, "one demo ticket says when");
    assert_eq!(with[0]["availability"]["time_zone"], "Europe/Rome");
}

on_both_engines!(
    set_replace_and_clear,
    invalid_bodies_are_refused_and_change_nothing,
    only_the_ticket_s_customers_may_say,
    a_repeated_key_answers_the_first_response,
    sync_and_live_events_carry_it,
    the_queue_says_whether_the_customer_is_reachable,
    a_new_ticket_may_say_it_at_once,
    the_demo_ticket_has_an_availability,
);
