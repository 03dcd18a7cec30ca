//! The floors the server's figures are measured against, in the same run:
//!
//! - [`create`]: a bare axum server whose handler does one SQLite insert per
//!   request, with deskmate-server's durability settings (WAL,
//!   `synchronous = NORMAL`, a pool of 8), under the same load generator
//!   ([`create::phase`]) and connection count as `server_create_per_s`.
//! - [`post`]: deskmate-server itself, small authenticated ticket POSTs one
//!   after another over one keep-alive connection: the wire floor of a
//!   drain that keeps one order.

use std::net::SocketAddr;
use std::str::FromStr;
use std::time::{Duration, Instant};

use anyhow::{Context, Result, bail};
use axum::extract::State;
use axum::http::StatusCode;
use reqwest::{Client, RequestBuilder};
use serde_json::Value;
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};

use crate::create::{self, Outcome, Plan, Poster};
use crate::helpdesk::{self, Engine};
use crate::stats::Latencies;

/// The bare server's one table.
const SCHEMA: &str = "CREATE TABLE tickets (id INTEGER PRIMARY KEY, subject TEXT NOT NULL, \
     body TEXT NOT NULL, created_ms INTEGER NOT NULL)";

/// `floor_create_per_s` / `floor_create_p99_ms`: `plan` against the bare
/// insert server.
pub async fn create(plan: Plan) -> Result<Outcome> {
    let dir = tempfile::tempdir().context("temp dir")?;
    let options = SqliteConnectOptions::from_str(&format!(
        "sqlite://{}",
        dir.path().join("floor.sqlite3").display()
    ))?
    .create_if_missing(true)
    .journal_mode(SqliteJournalMode::Wal)
    .synchronous(SqliteSynchronous::Normal)
    .busy_timeout(Duration::from_secs(10));
    let pool = SqlitePoolOptions::new()
        .max_connections(8)
        .connect_with(options)
        .await
        .context("floor database")?;
    sqlx::query(SCHEMA).execute(&pool).await.context("schema")?;

    let app = axum::Router::new()
        .route("/tickets", axum::routing::post(insert))
        .with_state(pool.clone());
    let listener = tokio::net::TcpListener::bind(SocketAddr::from(([127, 0, 0, 1], 0)))
        .await
        .context("bind")?;
    let addr = listener.local_addr()?;
    let server = tokio::spawn(async move { axum::serve(listener, app).await });

    let http = Client::builder()
        .pool_max_idle_per_host(plan.concurrency)
        .timeout(Duration::from_secs(30))
        .build()
        .context("HTTP client")?;
    let posters = vec![
        Bare {
            url: format!("http://{addr}/tickets"),
        };
        plan.concurrency
    ];
    let result = async {
        let warm = create::phase(&http, &posters, "floor w", plan.warmup, None).await?;
        let started = Instant::now();
        let measured = create::phase(
            &http,
            &posters,
            "floor m",
            plan.requests,
            Some(started + plan.max_time),
        )
        .await?;
        let elapsed = started.elapsed();
        let (stored,): (i64,) = sqlx::query_as("SELECT count(*) FROM tickets")
            .fetch_one(&pool)
            .await?;
        let expected = warm.len() + measured.len();
        if usize::try_from(stored).ok() != Some(expected) {
            bail!("posted {expected} rows, the floor stored {stored}");
        }
        Ok(Outcome {
            completed: measured.len(),
            elapsed,
            latencies: Latencies::new(measured),
        })
    }
    .await;
    server.abort();
    pool.close().await;
    result
}

/// The bare handler: one insert of the JSON body's subject and text.
async fn insert(
    State(pool): State<sqlx::SqlitePool>,
    axum::Json(body): axum::Json<Value>,
) -> StatusCode {
    let text = |key: &str| body[key].as_str().unwrap_or_default().to_owned();
    let now = now_millis();
    match sqlx::query("INSERT INTO tickets (subject, body, created_ms) VALUES (?, ?, ?)")
        .bind(text("subject"))
        .bind(text("body"))
        .bind(now)
        .execute(&pool)
        .await
    {
        Ok(_) => StatusCode::CREATED,
        Err(_) => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

fn now_millis() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}

/// A poster of the bare server: the same body as deskmate-server's tickets.
#[derive(Clone)]
struct Bare {
    url: String,
}

impl Poster for Bare {
    fn request(&self, http: &Client, subject: &str) -> RequestBuilder {
        http.post(&self.url).json(&helpdesk::ticket_body(subject))
    }

    fn check(&self, status: StatusCode, _body: &[u8]) -> Result<()> {
        if status != StatusCode::CREATED {
            bail!("answered {status}");
        }
        Ok(())
    }
}

/// `floor_post_per_s`: `requests` tickets filed one after another by one
/// session over one keep-alive connection to deskmate-server on SQLite.
pub async fn post(requests: usize, max_time: Duration) -> Result<Outcome> {
    create::run(
        Engine::Sqlite,
        Plan {
            concurrency: 1,
            warmup: 50,
            requests,
            max_time,
        },
    )
    .await
}
