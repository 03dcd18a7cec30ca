//! What the HTTP scenarios share: a real server on 127.0.0.1 port 0 over a
//! fresh database on either engine, a client, and an SSE reader.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

pub mod smtp;

use reqwest::{Client, Response, StatusCode};
use serde_json::{Value, json};

#[derive(Clone, Copy, Debug)]
pub enum Engine {
    Sqlite,
    Postgres,
}

/// A fresh, empty database on the engine: a SQLite file in a temp directory,
/// or a new database in the PostgreSQL that `make test` starts
/// (`scripts/with-pg.sh` exports its address as `DESKMATE_TEST_PG`).
pub async fn fresh_database(engine: Engine, dir: &tempfile::TempDir) -> String {
    match engine {
        Engine::Sqlite => format!("sqlite://{}", dir.path().join("helpdesk.sqlite3").display()),
        Engine::Postgres => {
            let admin = std::env::var("DESKMATE_TEST_PG").expect(
                "DESKMATE_TEST_PG is not set: run the tests under scripts/with-pg.sh \
                 (make test does), which starts a throwaway PostgreSQL",
            );
            let name = format!("deskmate_test_{}", uuid::Uuid::new_v4().simple());
            let pool = sqlx::PgPool::connect(&admin).await.unwrap();
            // The name is generated here, never user input.
            sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
                .execute(&pool)
                .await
                .unwrap();
            pool.close().await;
            let (base, _) = admin.rsplit_once('/').unwrap();
            format!("{base}/{name}")
        }
    }
}

impl smtp::SmtpSink {
    /// The mail settings of a helpdesk sending through this server.
    pub fn settings(&self) -> deskmate_server::mail::MailSettings {
        deskmate_server::mail::MailSettings {
            smtp_url: self.url(),
            from: Self::FROM.to_owned(),
            public_url: Self::PUBLIC_URL.to_owned(),
        }
    }

    /// A new SMTP server and a demo helpdesk on `engine` mailing through it.
    pub async fn with_helpdesk(engine: Engine) -> (Self, Helpdesk) {
        let sink = Self::start().await;
        let config = deskmate_server::Config {
            mail: Some(sink.settings()),
            ..deskmate_server::Config::default()
        };
        let helpdesk = Helpdesk::start_with(engine, config).await;
        (sink, helpdesk)
    }
}

pub struct Helpdesk {
    pub url: String,
    pub http: Client,
    pub db_url: String,
    pub server: deskmate_server::Server,
    pub _dir: tempfile::TempDir,
}

impl Helpdesk {
    pub async fn start(engine: Engine) -> Self {
        Self::start_with(engine, deskmate_server::Config::default()).await
    }

    pub async fn start_with(engine: Engine, config: deskmate_server::Config) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let db_url = fresh_database(engine, &dir).await;
        Self::launch_with(db_url, dir, config).await
    }

    pub async fn launch(db_url: String, dir: tempfile::TempDir) -> Self {
        Self::launch_with(db_url, dir, deskmate_server::Config::default()).await
    }

    pub async fn launch_with(
        db_url: String,
        dir: tempfile::TempDir,
        config: deskmate_server::Config,
    ) -> Self {
        let config = deskmate_server::Config {
            demo: true,
            ..config
        };
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let server = deskmate_server::launch_with(listener, &db_url, config)
            .await
            .unwrap();
        Self {
            url: format!("http://{}", server.local_addr()),
            http: Client::new(),
            db_url,
            server,
            _dir: dir,
        }
    }

    pub async fn login(&self, email: &str) -> String {
        let r = self
            .http
            .post(format!("{}/api/v1/auth/login", self.url))
            .json(&json!({"email": email, "password": "demo-password"}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::OK);
        let body: Value = r.json().await.unwrap();
        body["token"].as_str().unwrap().to_owned()
    }

    pub async fn tickets(&self, token: &str) -> Vec<Value> {
        let r = self
            .http
            .get(format!("{}/api/v1/tickets", self.url))
            .bearer_auth(token)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), StatusCode::OK);
        let body: Value = r.json().await.unwrap();
        body["tickets"].as_array().unwrap().clone()
    }

    /// Every ticket in the database, whoever may see it.
    pub async fn ticket_count(&self) -> usize {
        let agent = self.login("agent@provider.example").await;
        self.tickets(&agent).await.len()
    }

    pub fn post_raw(
        &self,
        path: &str,
        token: Option<&str>,
        body: impl Into<reqwest::Body>,
    ) -> reqwest::RequestBuilder {
        let mut rb = self
            .http
            .post(format!("{}{path}", self.url))
            .header("content-type", "application/json")
            .body(body);
        if let Some(t) = token {
            rb = rb.bearer_auth(t);
        }
        rb
    }
}

impl Helpdesk {
    pub async fn get(&self, path: &str, token: &str) -> Response {
        self.http
            .get(format!("{}{path}", self.url))
            .bearer_auth(token)
            .send()
            .await
            .unwrap()
    }

    pub async fn send(
        &self,
        method: reqwest::Method,
        path: &str,
        token: &str,
        body: Value,
    ) -> Response {
        self.http
            .request(method, format!("{}{path}", self.url))
            .bearer_auth(token)
            .json(&body)
            .send()
            .await
            .unwrap()
    }

    pub async fn detail(&self, id: i64, token: &str) -> Value {
        let r = self.get(&format!("/api/v1/tickets/{id}"), token).await;
        assert_eq!(r.status(), StatusCode::OK);
        r.json().await.unwrap()
    }

    /// A new ticket filed by `token`'s user; its id.
    pub async fn file(&self, token: &str, subject: &str) -> i64 {
        let r = self
            .send(
                reqwest::Method::POST,
                "/api/v1/tickets",
                token,
                ticket(subject),
            )
            .await;
        assert_eq!(r.status(), StatusCode::CREATED);
        r.json::<Value>().await.unwrap()["id"].as_i64().unwrap()
    }
}

/// Asserts status and the `{"code","message"}` shape; returns the message.
pub async fn expect_error(r: Response, status: StatusCode, code: &str) -> String {
    assert_eq!(r.status(), status);
    let body: Value = r.json().await.unwrap();
    assert_eq!(body["code"], code, "{body}");
    let message = body["message"].as_str().unwrap().to_owned();
    assert!(!message.is_empty());
    assert_eq!(
        body.as_object().unwrap().len(),
        2,
        "only code and message: {body}"
    );
    message
}

pub fn ticket(subject: &str) -> Value {
    json!({
        "department": "technical",
        "priority": "regular",
        "subject": subject,
        "body": "The control panel shows error 502 since 09:10 CET."
    })
}

/// Every list of a sync page.
pub const SYNC_KINDS: &[&str] = &[
    "tickets",
    "messages",
    "attachments",
    "announcements",
    "remote_sessions",
    "order_delays",
    "deleted",
];

/// Pages through `/api/v1/sync` from `cursor`; every ticket and message seen, and the last cursor.
pub async fn sync_all(
    h: &Helpdesk,
    token: &str,
    mut cursor: i64,
    limit: i64,
) -> (Vec<Value>, Vec<Value>, i64) {
    let (mut tickets, mut messages) = (Vec::new(), Vec::new());
    loop {
        let r = h
            .get(
                &format!("/api/v1/sync?cursor={cursor}&limit={limit}"),
                token,
            )
            .await;
        assert_eq!(r.status(), StatusCode::OK);
        let page: Value = r.json().await.unwrap();
        let got = SYNC_KINDS
            .iter()
            .map(|kind| page[*kind].as_array().unwrap().len())
            .sum::<usize>();
        assert!(got as i64 <= limit, "a page holds at most `limit` rows");
        tickets.extend(page["tickets"].as_array().unwrap().iter().cloned());
        messages.extend(page["messages"].as_array().unwrap().iter().cloned());
        let next = page["cursor"].as_i64().unwrap();
        assert!(next >= cursor, "the cursor never goes back");
        cursor = next;
        if !page["more"].as_bool().unwrap() {
            return (tickets, messages, cursor);
        }
        assert!(got > 0, "a page that says more has rows");
    }
}

/// A Server-Sent Events stream read event by event.
pub struct Events {
    pub response: Response,
    pub buffer: String,
}

#[derive(Debug)]
pub struct Sse {
    pub event: String,
    pub id: Option<i64>,
    pub data: Value,
}

impl Events {
    pub async fn open(h: &Helpdesk, token: &str, last_event_id: Option<i64>) -> Self {
        let mut rb = h
            .http
            .get(format!("{}/api/v1/events", h.url))
            .bearer_auth(token);
        if let Some(id) = last_event_id {
            rb = rb.header("last-event-id", id.to_string());
        }
        let response = rb.send().await.unwrap();
        assert_eq!(response.status(), StatusCode::OK);
        let kind = response.headers()["content-type"]
            .to_str()
            .unwrap()
            .to_owned();
        assert!(kind.starts_with("text/event-stream"), "{kind}");
        Self {
            response,
            buffer: String::new(),
        }
    }

    /// The next event within `within`, skipping keep-alive comments.
    pub async fn next(&mut self, within: std::time::Duration) -> Option<Sse> {
        let deadline = tokio::time::Instant::now() + within;
        loop {
            while let Some(end) = self.buffer.find("\n\n") {
                let block: String = self.buffer.drain(..end + 2).collect();
                let (mut event, mut id, mut data) = (String::new(), None, String::new());
                for line in block.lines() {
                    if let Some(v) = line.strip_prefix("event:") {
                        event = v.trim().to_owned();
                    } else if let Some(v) = line.strip_prefix("id:") {
                        id = v.trim().parse().ok();
                    } else if let Some(v) = line.strip_prefix("data:") {
                        data.push_str(v.trim());
                    }
                }
                if !event.is_empty() {
                    let data = serde_json::from_str(&data).unwrap_or(Value::Null);
                    return Some(Sse { event, id, data });
                }
            }
            let chunk = tokio::time::timeout_at(deadline, self.response.chunk())
                .await
                .ok()?;
            self.buffer
                .push_str(&String::from_utf8_lossy(&chunk.unwrap()?));
        }
    }
}

pub const SOON: std::time::Duration = std::time::Duration::from_secs(5);
pub const QUIET: std::time::Duration = std::time::Duration::from_millis(400);

/// Every scenario above, once per engine (a file without any, like the
/// binary's, leaves it unused).
#[allow(unused_macros)]
macro_rules! on_both_engines {
    ($($name:ident),* $(,)?) => {
        mod sqlite {
            $(#[tokio::test]
            async fn $name() {
                super::$name(super::Engine::Sqlite).await;
            })*
        }
        mod postgres {
            $(#[tokio::test]
            async fn $name() {
                super::$name(super::Engine::Postgres).await;
            })*
        }
    };
}
#[allow(unused_imports)]
pub(crate) use on_both_engines;
