//! What the CLI's test files share: a demo-seeded server in the test's
//! process and the real `deskmate` binary run against it.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::Path;
use std::process::Stdio;

use deskmate_api::{LoginResponse, Ticket, TicketList};
use tokio::io::AsyncWriteExt;

pub const PASSWORD: &str = "demo-password";

/// A demo-seeded deskmate-server in this process.
pub struct TestServer {
    pub url: String,
    pub server: deskmate_server::Server,
    _dir: tempfile::TempDir,
}

impl TestServer {
    pub async fn start() -> Self {
        Self::start_with(deskmate_server::Config::default()).await
    }

    /// [`TestServer::start`] with the provider's settings (always demo-seeded).
    pub async fn start_with(config: deskmate_server::Config) -> Self {
        let dir = tempfile::tempdir().unwrap();
        let db = format!("sqlite://{}", dir.path().join("server.sqlite3").display());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let config = deskmate_server::Config {
            demo: true,
            ..config
        };
        let server = deskmate_server::launch_with(listener, &db, config)
            .await
            .unwrap();
        Self {
            url: format!("http://{}", server.local_addr()),
            server,
            _dir: dir,
        }
    }

    pub async fn stop(self) {
        self.server.shutdown().await;
    }

    /// The tickets `email` sees, straight from the HTTP API.
    pub async fn tickets_of(&self, email: &str) -> Vec<Ticket> {
        let http = reqwest::Client::new();
        let login: LoginResponse = http
            .post(format!("{}/api/v1/auth/login", self.url))
            .json(&serde_json::json!({ "email": email, "password": PASSWORD }))
            .send()
            .await
            .unwrap()
            .error_for_status()
            .unwrap()
            .json()
            .await
            .unwrap();
        let list: TicketList = http
            .get(format!("{}/api/v1/tickets", self.url))
            .bearer_auth(&login.token)
            .send()
            .await
            .unwrap()
            .error_for_status()
            .unwrap()
            .json()
            .await
            .unwrap();
        list.tickets
    }

    /// `email` calls the HTTP API; the answer's status and JSON body.
    pub async fn call(
        &self,
        email: &str,
        method: reqwest::Method,
        path: &str,
        body: serde_json::Value,
    ) -> (u16, serde_json::Value) {
        let http = reqwest::Client::new();
        let login: LoginResponse = http
            .post(format!("{}/api/v1/auth/login", self.url))
            .json(&serde_json::json!({ "email": email, "password": PASSWORD }))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        let mut request = http
            .request(method.clone(), format!("{}{path}", self.url))
            .bearer_auth(&login.token);
        if method != reqwest::Method::GET {
            request = request.json(&body);
        }
        let response = request.send().await.unwrap();
        let status = response.status().as_u16();
        (status, response.json().await.unwrap_or_default())
    }
}

#[derive(Debug)]
pub struct Run {
    pub code: i32,
    pub stdout: String,
    pub stderr: String,
}

/// Runs `deskmate --data-dir DIR ARGS...`, with `password` in
/// DESKMATE_PASSWORD when given, and `stdin` written to its input.
pub async fn deskmate(dir: &Path, args: &[&str], password: Option<&str>, stdin: &str) -> Run {
    let mut cmd = tokio::process::Command::new(env!("CARGO_BIN_EXE_deskmate"));
    cmd.arg("--data-dir")
        .arg(dir)
        .args(args)
        .env_remove("DESKMATE_PASSWORD")
        .env_remove("DESKMATE_DATA_DIR")
        .env_remove("DESKMATE_LOG")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true);
    if let Some(p) = password {
        cmd.env("DESKMATE_PASSWORD", p);
    }
    let mut child = cmd.spawn().unwrap();
    let mut input = child.stdin.take().unwrap();
    // The binary may exit without reading: a broken pipe is fine.
    let _ = input.write_all(stdin.as_bytes()).await;
    drop(input);
    let output = child.wait_with_output().await.unwrap();
    Run {
        code: output.status.code().unwrap(),
        stdout: String::from_utf8(output.stdout).unwrap(),
        stderr: String::from_utf8(output.stderr).unwrap(),
    }
}

pub async fn ok(dir: &Path, args: &[&str]) -> String {
    let run = deskmate(dir, args, None, "").await;
    assert_eq!(run.code, 0, "deskmate {args:?}: {run:?}");
    run.stdout
}

pub async fn login(dir: &Path, server: &TestServer, email: &str) -> Run {
    deskmate(
        dir,
        &["login", "--server", &server.url, "--email", email],
        Some(PASSWORD),
        "",
    )
    .await
}

pub async fn cached_json(dir: &Path) -> Vec<Ticket> {
    serde_json::from_str(&ok(dir, &["tickets", "list", "--json"]).await).unwrap()
}

pub fn ids(tickets: &[Ticket]) -> Vec<i64> {
    tickets.iter().map(|t| t.id).collect()
}
