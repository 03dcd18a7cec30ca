//! Guided remote assistance over real HTTP, on both engines: the customer's
//! consent hands over the tool, its ID and a one-time password that only the
//! requesting agent reads, never in `/sync`, events, logs or the idempotency
//! records; the record of who ended the session; cancelling; "ready for
//! remote help now", which expires by itself and shows in the queue.

use std::io::Write;
use std::sync::{Arc, Mutex, OnceLock};

use crate::support::*;
use deskmate_api::Role;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

const AGENT: &str = "agent@provider.example";
const ACME_USER: &str = "user@acme.example";
const GLOBEX: &str = "admin@globex.example";
const PASSWORD: &str = "Otp-7f3c9a51d2e84b06";

/// Everything the server logs in this test binary, at every level.
fn logs() -> Arc<Mutex<Vec<u8>>> {
    static LOGS: OnceLock<Arc<Mutex<Vec<u8>>>> = OnceLock::new();
    LOGS.get_or_init(|| {
        let buffer = Arc::new(Mutex::new(Vec::new()));
        let sink = buffer.clone();
        tracing_subscriber::fmt()
            .with_max_level(tracing::Level::TRACE)
            .with_writer(move || Sink(sink.clone()))
            .try_init()
            .unwrap();
        buffer
    })
    .clone()
}

struct Sink(Arc<Mutex<Vec<u8>>>);
impl Write for Sink {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

async fn json_of(r: reqwest::Response, status: StatusCode) -> Value {
    assert_eq!(r.status(), status);
    r.json().await.unwrap()
}

/// A second agent, who did not ask for the session.
async fn other_agent(h: &Helpdesk) -> String {
    let hash = deskmate_server::auth::hash_password("other-agent-password").unwrap();
    h.server
        .db()
        .create_user(
            None,
            "ann@provider.example",
            "Ann",
            Role::Agent,
            &hash,
            Default::default(),
        )
        .await
        .unwrap();
    let r = h
        .http
        .post(format!("{}/api/v1/auth/login", h.url))
        .json(&json!({"email": "ann@provider.example", "password": "other-agent-password"}))
        .send()
        .await
        .unwrap();
    json_of(r, StatusCode::OK).await["token"]
        .as_str()
        .unwrap()
        .to_owned()
}

/// Every text the database keeps outside the password's own table.
async fn stored_texts(db_url: &str) -> String {
    const ROWS: &str = "SELECT COALESCE(request_hash, '') || ' ' || COALESCE(response, '') AS t \
         FROM idempotency_keys UNION ALL SELECT COALESCE(reason, '') || ' ' || \
         COALESCE(tool_id, '') || ' ' || COALESCE(summary, '') FROM remote_sessions";
    let rows: Vec<String> = if db_url.starts_with("sqlite") {
        let pool = sqlx::SqlitePool::connect(db_url).await.unwrap();
        let rows = sqlx::query_scalar(ROWS).fetch_all(&pool).await.unwrap();
        pool.close().await;
        rows
    } else {
        let pool = sqlx::PgPool::connect(db_url).await.unwrap();
        let rows = sqlx::query_scalar(ROWS).fetch_all(&pool).await.unwrap();
        pool.close().await;
        rows
    };
    rows.join("\n")
}

async fn consent_hands_over_the_connection_to_the_requesting_agent_only(engine: Engine) {
    let logs = logs();
    let h = Helpdesk::start(engine).await;
    let (agent, user, globex) = (
        h.login(AGENT).await,
        h.login(ACME_USER).await,
        h.login(GLOBEX).await,
    );
    let ann = other_agent(&h).await;
    let ticket = h.file(&user, "Backups fail every night").await;
    let mut user_events = Events::open(&h, &user, None).await;
    let mut agent_events = Events::open(&h, &agent, None).await;
    let ask = json!({"reason": "Look at the backup agent's logs", "tool": "anydesk"});
    let path = format!("/api/v1/tickets/{ticket}/remote-sessions");
    let session = json_of(
        h.send(Method::POST, &path, &agent, ask.clone()).await,
        StatusCode::CREATED,
    )
    .await;
    let id = session["id"].as_i64().unwrap();
    let answer = format!("/api/v1/remote-sessions/{id}/answer");
    let connection = format!("/api/v1/remote-sessions/{id}/connection");

    // Nothing to read before the consent.
    let r = h.get(&connection, &agent).await;
    expect_error(r, StatusCode::CONFLICT, "conflict").await;
    // Refused shapes change nothing.
    let with = |accept: bool, tool: &str, tool_id: &str| json!({"accept": accept, "connection": {"tool": tool, "tool_id": tool_id, "password": PASSWORD}});
    for bad in [
        with(false, "anydesk", "987654321"),
        with(true, "other", "987654321"),
        with(true, "anydesk", "98 76"),
        with(true, "anydesk", ""),
    ] {
        let r = h.send(Method::POST, &answer, &user, bad).await;
        expect_error(r, StatusCode::UNPROCESSABLE_ENTITY, "validation").await;
    }
    let r = h
        .send(
            Method::POST,
            &answer,
            &globex,
            with(true, "anydesk", "987654321"),
        )
        .await;
    expect_error(r, StatusCode::NOT_FOUND, "not_found").await;

    let accepted = json_of(
        h.send(
            Method::POST,
            &answer,
            &user,
            with(true, "anydesk", "987654321"),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(accepted["status"], "accepted");
    assert_eq!(accepted["connect_tool"], "anydesk");
    assert_eq!(accepted["tool_id"], "987654321");
    assert!(accepted["consented_at"].is_string() && accepted["started_at"].is_string());
    assert!(!accepted.to_string().contains(PASSWORD));

    // Only the agent who asked reads the password.
    let details = json_of(h.get(&connection, &agent).await, StatusCode::OK).await;
    assert_eq!(details["tool"], "anydesk");
    assert_eq!(details["tool_id"], "987654321");
    assert_eq!(details["password"], PASSWORD);
    assert!(details["password_expires_at"].is_string());
    expect_error(
        h.get(&connection, &ann).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    expect_error(
        h.get(&connection, &user).await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    expect_error(
        h.get(&connection, &globex).await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;

    // The record carries the ID for everyone who may see the ticket; the
    // password is nowhere in sync or the events.
    for token in [&user, &agent] {
        let page = json_of(h.get("/api/v1/sync?cursor=0", token).await, StatusCode::OK).await;
        let text = page.to_string();
        assert!(text.contains("987654321") && !text.contains(PASSWORD));
    }
    let globex_page = json_of(
        h.get("/api/v1/sync?cursor=0", &globex).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(globex_page["remote_sessions"], json!([]));
    for events in [&mut user_events, &mut agent_events] {
        let mut seen = 0;
        while let Some(e) = events.next(QUIET).await {
            assert!(!e.data.to_string().contains(PASSWORD));
            seen += 1;
        }
        assert!(seen >= 2, "the request and the answer were announced");
    }

    // The customer ends it: recorded, and the password is erased.
    let end = format!("/api/v1/remote-sessions/{id}/end");
    let r = h.send(Method::POST, &end, &globex, json!({})).await;
    expect_error(r, StatusCode::NOT_FOUND, "not_found").await;
    let ended = json_of(
        h.send(Method::POST, &end, &user, json!({})).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(ended["status"], "ended");
    assert_eq!(ended["ended_by"], "customer");
    assert_eq!(ended["ended_by_name"], "Umberto User");
    assert!(ended["ended_at"].is_string());
    let details = json_of(h.get(&connection, &agent).await, StatusCode::OK).await;
    assert_eq!(details["tool_id"], "987654321");
    assert_eq!(details["password"], Value::Null);
    let listed = json_of(h.get(&path, &user).await, StatusCode::OK).await;
    assert_eq!(listed["remote_sessions"][0]["ended_by"], "customer");

    // A second consent's password is erased by its time-out.
    let second = json_of(
        h.send(Method::POST, &path, &agent, ask.clone()).await,
        StatusCode::CREATED,
    )
    .await;
    let second_id = second["id"].as_i64().unwrap();
    let r = h
        .send(
            Method::POST,
            &format!("/api/v1/remote-sessions/{second_id}/answer"),
            &user,
            with(true, "anydesk", "987654321"),
        )
        .await;
    assert_eq!(r.status(), StatusCode::OK);
    let second_connection = format!("/api/v1/remote-sessions/{second_id}/connection");
    assert_eq!(
        json_of(h.get(&second_connection, &agent).await, StatusCode::OK).await["password"],
        PASSWORD
    );
    let erased = h
        .server
        .db()
        .erase_expired_remote_passwords(chrono::Utc::now() + chrono::Duration::hours(3))
        .await
        .unwrap();
    assert_eq!(erased, 1);
    assert_eq!(
        json_of(h.get(&second_connection, &agent).await, StatusCode::OK).await["password"],
        Value::Null
    );
    // The agent ends it with a summary.
    let r = h
        .send(
            Method::POST,
            &format!("/api/v1/remote-sessions/{second_id}/end"),
            &agent,
            json!({"summary": "Restarted the agent"}),
        )
        .await;
    let ended = json_of(r, StatusCode::OK).await;
    assert_eq!(
        (ended["ended_by"].as_str(), ended["summary"].as_str()),
        (Some("agent"), Some("Restarted the agent"))
    );

    // Declining sends nothing else; cancelling is the agent's.
    let third = json_of(
        h.send(Method::POST, &path, &agent, ask.clone()).await,
        StatusCode::CREATED,
    )
    .await;
    let third_id = third["id"].as_i64().unwrap();
    let declined = json_of(
        h.send(
            Method::POST,
            &format!("/api/v1/remote-sessions/{third_id}/answer"),
            &user,
            json!({"accept": false}),
        )
        .await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(
        (declined["status"].as_str(), &declined["tool_id"]),
        (Some("declined"), &Value::Null)
    );
    let fourth = json_of(
        h.send(Method::POST, &path, &agent, ask).await,
        StatusCode::CREATED,
    )
    .await;
    let cancel = format!("/api/v1/remote-sessions/{}/cancel", fourth["id"]);
    expect_error(
        h.send(Method::POST, &cancel, &user, json!({})).await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    let cancelled = json_of(
        h.send(Method::POST, &cancel, &agent, json!({})).await,
        StatusCode::OK,
    )
    .await;
    assert_eq!(cancelled["status"], "cancelled");
    expect_error(
        h.send(Method::POST, &cancel, &agent, json!({})).await,
        StatusCode::CONFLICT,
        "conflict",
    )
    .await;

    // No trace of the password outside its own (now empty) table, nor in the logs.
    let texts = stored_texts(&h.db_url).await;
    assert!(texts.contains("987654321") && !texts.contains(PASSWORD));
    let logged = String::from_utf8_lossy(&logs.lock().unwrap()).into_owned();
    assert!(!logged.contains(PASSWORD), "the password was logged");
}

async fn ready_now_shows_in_the_queue_and_expires_by_itself(engine: Engine) {
    let h = Helpdesk::start(engine).await;
    let (agent, user, globex) = (
        h.login(AGENT).await,
        h.login(ACME_USER).await,
        h.login(GLOBEX).await,
    );
    let ticket = h.file(&user, "The VPN drops").await;
    let path = format!("/api/v1/tickets/{ticket}/ready-now");
    assert_eq!(
        json_of(h.get(&path, &agent).await, StatusCode::OK).await["ready_until"],
        Value::Null
    );
    for minutes in [0, 45, 121] {
        let r = h
            .send(Method::PUT, &path, &user, json!({"minutes": minutes}))
            .await;
        expect_error(r, StatusCode::UNPROCESSABLE_ENTITY, "validation").await;
    }
    expect_error(
        h.send(Method::PUT, &path, &agent, json!({"minutes": 30}))
            .await,
        StatusCode::FORBIDDEN,
        "forbidden",
    )
    .await;
    expect_error(
        h.send(Method::PUT, &path, &globex, json!({"minutes": 30}))
            .await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;
    expect_error(
        h.get(&path, &globex).await,
        StatusCode::NOT_FOUND,
        "not_found",
    )
    .await;

    // The server keeps milliseconds: so does the comparison.
    let before = chrono::SubsecRound::trunc_subsecs(chrono::Utc::now(), 3);
    let set = json_of(
        h.send(Method::PUT, &path, &user, json!({"minutes": 60}))
            .await,
        StatusCode::OK,
    )
    .await;
    let until: chrono::DateTime<chrono::Utc> =
        set["ready_until"].as_str().unwrap().parse().unwrap();
    assert!(
        until >= before + chrono::Duration::minutes(60)
            && until <= chrono::Utc::now() + chrono::Duration::minutes(60)
    );
    assert_eq!(
        json_of(h.get(&path, &agent).await, StatusCode::OK).await,
        set
    );
    let queue = json_of(h.get("/api/v1/queue", &agent).await, StatusCode::OK).await;
    let queued = queue["tickets"]
        .as_array()
        .unwrap()
        .iter()
        .find(|q| q["ticket"]["id"] == ticket)
        .unwrap()
        .clone();
    assert_eq!(queued["ready_until"], set["ready_until"]);

    // Expired: reads as not ready, in the queue too.
    let customer = h
        .server
        .db()
        .user_by_email(ACME_USER)
        .await
        .unwrap()
        .unwrap();
    h.server
        .db()
        .set_ready_now(
            ticket,
            &customer,
            Some(chrono::Utc::now() - chrono::Duration::seconds(1)),
            None,
        )
        .await
        .unwrap();
    assert_eq!(
        json_of(h.get(&path, &agent).await, StatusCode::OK).await["ready_until"],
        Value::Null
    );
    let queue = json_of(h.get("/api/v1/queue", &agent).await, StatusCode::OK).await;
    assert!(
        queue["tickets"]
            .as_array()
            .unwrap()
            .iter()
            .all(|q| q["ready_until"].is_null())
    );

    // Taken back.
    json_of(
        h.send(Method::PUT, &path, &user, json!({"minutes": 30}))
            .await,
        StatusCode::OK,
    )
    .await;
    let cleared = json_of(
        h.http
            .delete(format!("{}{path}", h.url))
            .bearer_auth(&user)
            .send()
            .await
            .unwrap(),
        StatusCode::OK,
    )
    .await;
    assert_eq!(cleared["ready_until"], Value::Null);
    assert_eq!(
        json_of(h.get(&path, &agent).await, StatusCode::OK).await["ready_until"],
        Value::Null
    );
}

on_both_engines!(
    consent_hands_over_the_connection_to_the_requesting_agent_only,
    ready_now_shows_in_the_queue_and_expires_by_itself,
);
