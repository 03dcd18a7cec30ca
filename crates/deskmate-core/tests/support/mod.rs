//! A real deskmate-server in this process on 127.0.0.1 port 0.

use std::path::Path;

use deskmate_core::cache::Cache;
use deskmate_core::{KeyringStore, SecretStore};

pub struct TestServer {
    pub url: String,
    server: deskmate_server::Server,
    _dir: tempfile::TempDir,
}

impl TestServer {
    /// A demo-seeded server on a fresh SQLite file.
    pub async fn start() -> Self {
        let dir = tempfile::tempdir().unwrap();
        let db = format!("sqlite://{}", dir.path().join("server.sqlite3").display());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let server = deskmate_server::launch(listener, &db, true).await.unwrap();
        Self {
            url: format!("http://{}", server.local_addr()),
            server,
            _dir: dir,
        }
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
