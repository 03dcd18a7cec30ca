//! A real deskmate-server in this process, on a fresh database, and the HTTP
//! calls the measurements need (sign in, file, count).

use std::net::SocketAddr;

use anyhow::{Context, Result, anyhow, bail};
use reqwest::{Client, StatusCode};
use serde_json::{Value, json};
use tokio::net::TcpListener;

/// Every demo account has this password (see deskmate_server::demo).
pub const DEMO_PASSWORD: &str = "demo-password";
/// The customer account the measurements file tickets as.
pub const CUSTOMER: &str = "user@acme.example";
/// The provider's demo agent (answers every organisation's tickets).
pub const AGENT: &str = "agent@provider.example";

/// Which database engine the server runs on.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Engine {
    Sqlite,
    Postgres,
}

/// A fresh, empty database: a SQLite file in `dir`, or a new database in the
/// PostgreSQL whose admin address is in `DESKMATE_TEST_PG` (as the server's
/// tests do).
pub async fn fresh_database(engine: Engine, dir: &tempfile::TempDir) -> Result<String> {
    match engine {
        Engine::Sqlite => Ok(format!(
            "sqlite://{}",
            dir.path().join("helpdesk.sqlite3").display()
        )),
        Engine::Postgres => {
            let admin = std::env::var("DESKMATE_TEST_PG")
                .context("DESKMATE_TEST_PG is not set (run under scripts/with-pg.sh)")?;
            let name = format!("deskmate_bench_{}", uuid::Uuid::new_v4().simple());
            let pool = sqlx::PgPool::connect(&admin)
                .await
                .with_context(|| format!("cannot connect to {admin}"))?;
            // The name is generated here, never user input.
            sqlx::query(sqlx::AssertSqlSafe(format!("CREATE DATABASE {name}")))
                .execute(&pool)
                .await
                .context("CREATE DATABASE")?;
            pool.close().await;
            let (base, _) = admin
                .rsplit_once('/')
                .ok_or_else(|| anyhow!("DESKMATE_TEST_PG has no database part: {admin}"))?;
            Ok(format!("{base}/{name}"))
        }
    }
}

/// Starts the server with the demo data on `addr` (port 0 for any).
pub async fn start(addr: SocketAddr, db_url: &str) -> Result<deskmate_server::Server> {
    let listener = TcpListener::bind(addr)
        .await
        .with_context(|| format!("cannot bind {addr}"))?;
    // The posters are one customer's sessions: the write rate per account
    // is not what the bench measures.
    let config = deskmate_server::Config {
        demo: true,
        caps: deskmate_server::limits::Caps {
            writes_per_minute: u32::MAX,
            ..Default::default()
        },
        ..deskmate_server::Config::default()
    };
    deskmate_server::launch_with(listener, db_url, config)
        .await
        .context("cannot launch deskmate-server")
}

/// Signs in over HTTP; the session token.
pub async fn login(http: &Client, base: &str, email: &str) -> Result<String> {
    let r = http
        .post(format!("{base}/api/v1/auth/login"))
        .json(&json!({"email": email, "password": DEMO_PASSWORD}))
        .send()
        .await
        .context("sign-in request")?;
    if r.status() != StatusCode::OK {
        bail!("sign-in as {email} answered {}", r.status());
    }
    let body: Value = r.json().await.context("sign-in answer")?;
    body["token"]
        .as_str()
        .map(str::to_owned)
        .ok_or_else(|| anyhow!("sign-in answer has no token: {body}"))
}

/// The text of every ticket the measurements file.
pub const TICKET_TEXT: &str =
    "The control panel shows error 502 since 09:10 CET. Filed by deskmate-bench.";

/// The JSON body of a new ticket.
pub fn ticket_body(subject: &str) -> Value {
    json!({
        "department": "technical",
        "priority": "regular",
        "subject": subject,
        "body": TICKET_TEXT,
    })
}

/// How many tickets `token`'s user sees whose subject starts with `prefix`,
/// and how many distinct such subjects there are.
pub async fn count_tickets(
    http: &Client,
    base: &str,
    token: &str,
    prefix: &str,
) -> Result<(usize, usize)> {
    // Every page: the list comes at most 500 tickets at a time.
    let mut tickets = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let mut url = format!("{base}/api/v1/tickets?limit=500");
        if let Some(c) = &cursor {
            url.push_str("&cursor=");
            url.push_str(c);
        }
        let r = http
            .get(url)
            .bearer_auth(token)
            .send()
            .await
            .context("ticket list request")?;
        if r.status() != StatusCode::OK {
            bail!("ticket list answered {}", r.status());
        }
        let mut body: Value = r.json().await.context("ticket list answer")?;
        let page = body["tickets"]
            .as_array_mut()
            .ok_or_else(|| anyhow!("ticket list has no tickets array"))?;
        tickets.append(page);
        cursor = body["next_cursor"].as_str().map(str::to_owned);
        if cursor.is_none() {
            break;
        }
    }
    let subjects: Vec<&str> = tickets
        .iter()
        .filter_map(|t| t["subject"].as_str())
        .filter(|s| s.starts_with(prefix))
        .collect();
    let distinct: std::collections::HashSet<&str> = subjects.iter().copied().collect();
    Ok((subjects.len(), distinct.len()))
}
