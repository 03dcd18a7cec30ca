//! A real deskmate-server process and a small HTTP client of its API.

use std::io::{BufRead, BufReader};
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::time::Duration;

use anyhow::{Context, Result, anyhow, bail};
use serde_json::{Value, json};

use crate::process::{Guarded, workspace_binary};

/// `deskmate-server serve --listen 127.0.0.1:0 --database sqlite://<temp> --demo`,
/// offering expedited responses at 49.00 EUR like `scripts/start-demo-server.sh`.
#[derive(Debug)]
pub struct ServerProcess {
    pub url: String,
    process: Guarded,
    db: PathBuf,
    /// Mail out through this SMTP server (`--smtp-url`), if any.
    smtp_url: Option<String>,
    _dir: tempfile::TempDir,
}

impl ServerProcess {
    /// Starts the server with the demo data and waits for its `listening on` line.
    pub fn start_demo() -> Result<Self> {
        Self::start(None)
    }

    /// [`Self::start_demo`] mailing through the SMTP server at `smtp_url`
    /// (from [`crate::smtp::SmtpSink`]'s sender, with its public address).
    pub fn start_demo_with_mail(smtp_url: &str) -> Result<Self> {
        Self::start(Some(smtp_url.to_owned()))
    }

    fn start(smtp_url: Option<String>) -> Result<Self> {
        let dir = tempfile::tempdir()?;
        let db = dir.path().join("helpdesk.sqlite3");
        let (process, url) = spawn("127.0.0.1:0", &db, smtp_url.as_deref())?;
        Ok(Self {
            url,
            process,
            db,
            smtp_url,
            _dir: dir,
        })
    }

    /// Stops the server (SIGTERM) and waits for it to exit: the app sees a
    /// helpdesk that cannot be reached.
    pub fn stop(&mut self) {
        self.process.terminate();
    }

    /// Starts it again on the same address with the same database.
    pub fn start_again(&mut self) -> Result<()> {
        let listen = self
            .url
            .strip_prefix("http://")
            .context("server URL without http://")?
            .to_owned();
        let (process, url) = spawn(&listen, &self.db, self.smtp_url.as_deref())?;
        if url != self.url {
            bail!("restarted on {url}, expected {}", self.url);
        }
        self.process = process;
        Ok(())
    }

    pub fn pid(&self) -> u32 {
        self.process.id()
    }

    /// The operator's `deskmate-server admin set-email-domains` on this
    /// server's database: organisation `organisation`'s addresses must then
    /// be in `domains`.
    pub fn set_email_domains(&self, organisation: i64, domains: &[&str]) -> Result<()> {
        let bin = workspace_binary("deskmate-server", "DESKMATE_SERVER_BIN")?;
        let mut command = Command::new(&bin);
        command
            .args(["admin", "set-email-domains", "--database"])
            .arg(format!("sqlite://{}", self.db.display()))
            .arg("--organisation")
            .arg(organisation.to_string())
            .env_remove("DESKMATE_DATABASE_URL");
        for domain in domains {
            command.args(["--domain", domain]);
        }
        let out = command
            .output()
            .with_context(|| format!("running {}", bin.display()))?;
        if !out.status.success() {
            bail!(
                "set-email-domains failed: {}",
                String::from_utf8_lossy(&out.stderr)
            );
        }
        Ok(())
    }

    /// Signs in over HTTP, as the app would.
    pub async fn api_as(&self, email: &str, password: &str) -> Result<ApiClient> {
        let http = reqwest::Client::new();
        let response = http
            .post(format!("{}/api/v1/auth/login", self.url))
            .json(&json!({"email": email, "password": password}))
            .send()
            .await?;
        if !response.status().is_success() {
            bail!("login as {email} failed: {}", response.status());
        }
        let body: Value = response.json().await?;
        let token = body["token"]
            .as_str()
            .context("login response without token")?
            .to_owned();
        Ok(ApiClient {
            http,
            base: self.url.clone(),
            token,
        })
    }
}

/// An authenticated client of the server's HTTP API, for checking what the app did.
#[derive(Debug, Clone)]
pub struct ApiClient {
    http: reqwest::Client,
    base: String,
    token: String,
}

impl ApiClient {
    /// A write as this user; fails unless the server answers 2xx.
    pub async fn send(&self, method: reqwest::Method, path: &str, body: Value) -> Result<Value> {
        Ok(self
            .http
            .request(method, format!("{}{path}", self.base))
            .bearer_auth(&self.token)
            .json(&body)
            .send()
            .await?
            .error_for_status()?
            .json()
            .await?)
    }

    /// `GET path` as this user, sent; whatever the status.
    async fn get_response(&self, path: &str) -> Result<reqwest::Response> {
        Ok(self
            .http
            .get(format!("{}{path}", self.base))
            .bearer_auth(&self.token)
            .send()
            .await?)
    }

    /// `GET path` as this user; fails unless the server answers 2xx.
    pub async fn get(&self, path: &str) -> Result<Value> {
        Ok(self
            .get_response(path)
            .await?
            .error_for_status()?
            .json()
            .await?)
    }

    /// Asks `path` until `found` holds of its answer (30 s at most): for
    /// what the app sends on its own time (the outbox, a consent).
    pub async fn wait_for(
        &self,
        path: &str,
        what: &str,
        found: impl Fn(&Value) -> bool,
    ) -> Result<Value> {
        let deadline = std::time::Instant::now() + Duration::from_secs(30);
        loop {
            let body = self.get(path).await?;
            if found(&body) {
                return Ok(body);
            }
            if std::time::Instant::now() >= deadline {
                bail!("{what} never reached the server: {body}");
            }
            tokio::time::sleep(Duration::from_millis(250)).await;
        }
    }

    /// The status `GET path` answers this user with, whatever it is.
    pub async fn status_of(&self, path: &str) -> Result<reqwest::StatusCode> {
        Ok(self.get_response(path).await?.status())
    }

    /// The status a bodiless `method path` answers this user with.
    pub async fn call_status(
        &self,
        method: reqwest::Method,
        path: &str,
    ) -> Result<reqwest::StatusCode> {
        Ok(self
            .http
            .request(method, format!("{}{path}", self.base))
            .bearer_auth(&self.token)
            .send()
            .await?
            .status())
    }

    /// A `POST` of `body` as this user; the status, whatever it is (for
    /// answers without a body, like 204).
    pub async fn post_status(&self, path: &str, body: Value) -> Result<reqwest::StatusCode> {
        Ok(self
            .http
            .post(format!("{}{path}", self.base))
            .bearer_auth(&self.token)
            .json(&body)
            .send()
            .await?
            .status())
    }

    /// `GET /api/v1/events` as this user: the open stream, read with `chunk()`.
    pub async fn events(&self) -> Result<reqwest::Response> {
        Ok(self
            .get_response("/api/v1/events")
            .await?
            .error_for_status()?)
    }

    /// `GET /api/v1/tickets/{id}`: the ticket and its conversation.
    pub async fn ticket_detail(&self, id: i64) -> Result<Value> {
        self.get(&format!("/api/v1/tickets/{id}")).await
    }

    /// The bytes of `GET path` (a download).
    pub async fn download(&self, path: &str) -> Result<Vec<u8>> {
        Ok(self
            .http
            .get(format!("{}{path}", self.base))
            .bearer_auth(&self.token)
            .send()
            .await?
            .error_for_status()?
            .bytes()
            .await?
            .to_vec())
    }

    /// `GET /api/v1/tickets` → the `tickets` array.
    pub async fn tickets(&self) -> Result<Vec<Value>> {
        let body: Value = self
            .http
            .get(format!("{}/api/v1/tickets", self.base))
            .bearer_auth(&self.token)
            .send()
            .await?
            .error_for_status()?
            .json()
            .await?;
        body["tickets"]
            .as_array()
            .cloned()
            .context("ticket list without `tickets`")
    }
}

fn spawn(listen: &str, db: &Path, smtp_url: Option<&str>) -> Result<(Guarded, String)> {
    let bin = workspace_binary("deskmate-server", "DESKMATE_SERVER_BIN")?;
    let mut command = Command::new(&bin);
    command.args(["serve", "--listen", listen, "--demo"]);
    if let Some(smtp_url) = smtp_url {
        command
            .args(["--smtp-url", smtp_url])
            .args(["--mail-from", crate::smtp::SmtpSink::FROM])
            .args(["--public-url", crate::smtp::SmtpSink::PUBLIC_URL]);
    }
    let mut child = command
        .args(["--expedite-price", "49.00", "--expedite-currency", "EUR"])
        .arg("--database")
        .arg(format!("sqlite://{}", db.display()))
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .with_context(|| format!("starting {}", bin.display()))?;
    let stdout = child.stdout.take().context("server stdout")?;
    let process = Guarded::new(child, "deskmate-server");
    let (tx, rx) = mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if let Some(url) = line.strip_prefix("listening on ") {
                let _ = tx.send(url.trim().to_owned());
            }
        }
    });
    let url = rx
        .recv_timeout(Duration::from_secs(60))
        .map_err(|_| anyhow!("deskmate-server did not print `listening on` within 60 s"))?;
    Ok((process, url))
}
