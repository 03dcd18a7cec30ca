//! A real deskmate-server in this process on 127.0.0.1 port 0.

pub mod backends;
/// The server tests' real SMTP server (aiosmtpd), shared.
#[path = "../../../deskmate-server/tests/support/smtp.rs"]
pub mod smtp;

use std::path::Path;

use deskmate_core::backend::Backend as _;
use deskmate_core::cache::Cache;
use deskmate_core::{FollowOptions, KeyringStore, SecretStore};

pub struct TestServer {
    pub url: String,
    server: deskmate_server::Server,
    dir: tempfile::TempDir,
    config: deskmate_server::Config,
}

impl TestServer {
    /// A demo-seeded server on a fresh SQLite file.
    pub async fn start() -> Self {
        Self::start_with(deskmate_server::Config::default()).await
    }

    /// [`TestServer::start`] with the provider's settings (always demo-seeded).
    pub async fn start_with(config: deskmate_server::Config) -> Self {
        let dir = tempfile::tempdir().unwrap();
        Self::launch(dir, "127.0.0.1:0", config).await
    }

    async fn launch(dir: tempfile::TempDir, addr: &str, config: deskmate_server::Config) -> Self {
        let db = format!("sqlite://{}", dir.path().join("server.sqlite3").display());
        let listener = tokio::net::TcpListener::bind(addr).await.unwrap();
        let config = deskmate_server::Config {
            demo: true,
            ..config
        };
        let server = deskmate_server::launch_with(listener, &db, config.clone())
            .await
            .unwrap();
        Self {
            url: format!("http://{}", server.local_addr()),
            server,
            dir,
            config,
        }
    }

    /// Stops the server; [`StoppedServer::start_again`] brings it back on the
    /// same address with the same data.
    pub async fn stop_for_a_while(self) -> StoppedServer {
        let addr = self.server.local_addr();
        self.server.shutdown().await;
        StoppedServer {
            addr: addr.to_string(),
            dir: self.dir,
            config: self.config,
        }
    }

    /// The server's SQLite file.
    pub fn database(&self) -> std::path::PathBuf {
        self.dir.path().join("server.sqlite3")
    }

    /// Stops the server and waits until its port refuses connections.
    pub async fn stop(self) {
        self.server.shutdown().await;
    }
}

/// The token the core stored in the OS keyring for the cache in `data_dir`.
pub async fn keyring_token_of(data_dir: &Path) -> String {
    let cache = Cache::open(data_dir.join(deskmate_core::cache::FILE_NAME))
        .await
        .unwrap();
    let id = cache.meta("installation_id").await.unwrap().unwrap();
    let account = format!("session:{id}");
    tokio::task::spawn_blocking(move || KeyringStore::default().get(&account))
        .await
        .unwrap()
        .unwrap()
        .unwrap()
        .expose()
        .clone()
}

pub struct StoppedServer {
    addr: String,
    dir: tempfile::TempDir,
    config: deskmate_server::Config,
}

impl StoppedServer {
    pub async fn start_again(self) -> TestServer {
        TestServer::launch(self.dir, &self.addr, self.config).await
    }
}

/// `core` signed in to `server` as the demo customer user@acme.example,
/// talking to it through `connect` when given.
pub async fn customer(
    server: &TestServer,
    dir: &Path,
    connect: Option<deskmate_core::backend::Connector>,
) -> deskmate_core::Core {
    let mut core = deskmate_core::Core::open(dir).await.unwrap();
    if let Some(connect) = connect {
        core = core.with_connector(connect);
    }
    core.login(
        &server.url,
        "user@acme.example",
        deskmate_core::Sensitive::new("demo-password".into()),
    )
    .await
    .unwrap();
    core
}

/// Runs [`deskmate_core::Core::follow`] on its own task; what it hears comes
/// through the channel.
pub fn follow(
    core: &deskmate_core::Core,
) -> (
    tokio::task::JoinHandle<()>,
    tokio::sync::mpsc::UnboundedReceiver<deskmate_core::LiveUpdate>,
) {
    let (tx, events) = tokio::sync::mpsc::unbounded_channel();
    let core = core.clone();
    let follower = tokio::spawn(async move {
        core.follow(FollowOptions::default(), move |e| {
            let _ = tx.send(e);
        })
        .await
    });
    (follower, events)
}

/// The subjects of every ticket `email` may see, straight from the server's API.
pub async fn server_subjects(url: &str, email: &str) -> Vec<String> {
    let client = deskmate_core::backend::ServerClient::new(url).unwrap();
    let login = client
        .login(
            email,
            &deskmate_core::Sensitive::new("demo-password".to_owned()),
        )
        .await
        .unwrap();
    let token = deskmate_core::Sensitive::new(login.token);
    client
        .tickets(&token)
        .await
        .unwrap()
        .into_iter()
        .map(|t| t.subject)
        .collect()
}

/// Someone signed in to the server through its HTTP API: the provider's
/// agent ([`Account::agent`]) or any demo account ([`Account::sign_in`]).
pub struct Account {
    http: reqwest::Client,
    url: String,
    token: String,
}

impl Account {
    /// The demo's agent@provider.example.
    pub async fn agent(url: &str) -> Self {
        Self::sign_in(url, "agent@provider.example").await
    }

    /// The demo account `email` (password demo-password).
    pub async fn sign_in(url: &str, email: &str) -> Self {
        let http = reqwest::Client::new();
        let login: serde_json::Value = http
            .post(format!("{url}/api/v1/auth/login"))
            .json(&serde_json::json!({"email": email, "password": "demo-password"}))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        Self {
            http,
            url: url.to_owned(),
            token: login["token"].as_str().unwrap().to_owned(),
        }
    }

    /// Any request; the status and the body as JSON (`null` when not JSON).
    pub async fn send(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<serde_json::Value>,
    ) -> (reqwest::StatusCode, serde_json::Value) {
        let mut request = self
            .http
            .request(method, format!("{}{path}", self.url))
            .bearer_auth(&self.token);
        if let Some(body) = body {
            request = request.json(&body);
        }
        let response = request.send().await.unwrap();
        let status = response.status();
        let text = response.text().await.unwrap();
        (status, serde_json::from_str(&text).unwrap_or_default())
    }

    pub async fn reply(&self, ticket_id: i64, body: &str) {
        let r = self
            .http
            .post(format!("{}/api/v1/tickets/{ticket_id}/messages", self.url))
            .bearer_auth(&self.token)
            .json(&serde_json::json!({"body": body}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), reqwest::StatusCode::CREATED);
    }

    pub async fn set_status(&self, ticket_id: i64, status: &str) {
        let r = self
            .http
            .patch(format!("{}/api/v1/tickets/{ticket_id}", self.url))
            .bearer_auth(&self.token)
            .json(&serde_json::json!({"status": status}))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), reqwest::StatusCode::OK);
    }

    /// The files of a ticket as the agent sees them.
    pub async fn attachments(&self, ticket_id: i64) -> Vec<deskmate_api::Attachment> {
        let detail: deskmate_api::TicketDetail = self
            .http
            .get(format!("{}/api/v1/tickets/{ticket_id}", self.url))
            .bearer_auth(&self.token)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        detail.attachments
    }

    /// The bytes of an attachment as the agent downloads them.
    pub async fn download(&self, ticket_id: i64, attachment_id: i64) -> Vec<u8> {
        let r = self
            .http
            .get(format!(
                "{}/api/v1/tickets/{ticket_id}/attachments/{attachment_id}",
                self.url
            ))
            .bearer_auth(&self.token)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), reqwest::StatusCode::OK);
        r.bytes().await.unwrap().to_vec()
    }

    /// The bodies of a ticket's messages as the agent sees them.
    pub async fn message_bodies(&self, ticket_id: i64) -> Vec<String> {
        let detail: serde_json::Value = self
            .http
            .get(format!("{}/api/v1/tickets/{ticket_id}", self.url))
            .bearer_auth(&self.token)
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        detail["messages"]
            .as_array()
            .unwrap()
            .iter()
            .map(|m| m["body"].as_str().unwrap().to_owned())
            .collect()
    }
}
