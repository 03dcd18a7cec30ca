//! The local SQLite cache: what the app shows, available offline.
//!
//! One connection behind a mutex; every call runs on a blocking thread
//! ([`tokio::task::spawn_blocking`]), never on the async runtime or UI thread.

mod attachments;
mod availability;
mod drafts;
mod marks;
mod messages;
mod migrations;
mod notices;
mod notify;
mod outbox;
mod outbox_attempts;
mod outbox_types;
mod outbox_wake;
mod scope;
mod search;
mod search_index;
mod session;
mod ticket_list;
mod tickets;

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use rusqlite::{Connection, OpenFlags, OptionalExtension};

pub use attachments::OutgoingFile;
pub use drafts::reply_draft_id;
pub use marks::QueueFacts;
pub use migrations::LATEST as SCHEMA_VERSION;
pub use notify::{Noted, Taken};
pub use outbox::{Account, Attempt, Delivered, OutboxEntry, OutboxFile, QueuedWrite, Write};
pub use scope::TicketScope;
pub(crate) use scope::{named_files, narrow};
pub use search::MAX_LIMIT as MAX_SEARCH_HITS;
pub use session::Session;
pub(crate) use session::set_session_user;

use crate::{CoreError, Result};

/// File name of the cache inside the data directory.
pub const FILE_NAME: &str = "deskmate-cache.sqlite3";

#[derive(Clone)]
pub struct Cache {
    conn: Arc<Mutex<Connection>>,
    path: PathBuf,
}

impl std::fmt::Debug for Cache {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Cache").field("path", &self.path).finish()
    }
}

impl Cache {
    /// Opens (creating if needed) and migrates the cache at `path`.
    pub async fn open(path: impl Into<PathBuf>) -> Result<Self> {
        let path = path.into();
        let opened = path.clone();
        let conn = tokio::task::spawn_blocking(move || open_connection(&opened)).await??;
        Ok(Self {
            conn: Arc::new(Mutex::new(conn)),
            path,
        })
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    /// Runs `f` with the connection on a blocking thread.
    pub async fn call<T, F>(&self, f: F) -> Result<T>
    where
        T: Send + 'static,
        F: FnOnce(&mut Connection) -> Result<T> + Send + 'static,
    {
        let conn = Arc::clone(&self.conn);
        tokio::task::spawn_blocking(move || {
            let mut guard = conn
                .lock()
                .map_err(|_| CoreError::Cache("cache connection poisoned".into()))?;
            f(&mut guard)
        })
        .await?
    }

    /// A value from the `meta` table.
    pub async fn meta(&self, key: impl Into<String>) -> Result<Option<String>> {
        let key = key.into();
        self.call(move |c| {
            Ok(
                c.query_row("SELECT value FROM meta WHERE key = ?1", [key], |r| r.get(0))
                    .optional()?,
            )
        })
        .await
    }

    pub async fn set_meta(&self, key: impl Into<String>, value: String) -> Result<()> {
        let key = key.into();
        self.call(move |c| {
            c.execute(
                "INSERT INTO meta (key, value) VALUES (?1, ?2)
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (key, value),
            )?;
            Ok(())
        })
        .await
    }
}

fn open_connection(path: &Path) -> Result<Connection> {
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)
            .map_err(|e| CoreError::Cache(format!("cannot create {}: {e}", dir.display())))?;
    }
    let mut conn = Connection::open_with_flags(
        path,
        OpenFlags::SQLITE_OPEN_READ_WRITE
            | OpenFlags::SQLITE_OPEN_CREATE
            | OpenFlags::SQLITE_OPEN_NO_MUTEX,
    )
    .map_err(|e| CoreError::Cache(format!("cannot open {}: {e}", path.display())))?;
    conn.busy_timeout(Duration::from_secs(5))?;
    // The first statement that reads the file is where a corrupt one shows.
    let mode: String = conn
        .pragma_update_and_check(None, "journal_mode", "WAL", |r| r.get(0))
        .map_err(|e| CoreError::Cache(format!("{} is not a usable cache: {e}", path.display())))?;
    if !mode.eq_ignore_ascii_case("wal") {
        tracing::warn!(%mode, "cache is not in WAL mode");
    }
    conn.pragma_update(None, "foreign_keys", "ON")?;
    conn.pragma_update(None, "synchronous", "NORMAL")?;
    // INSERT OR REPLACE then runs the delete triggers that keep the search index exact.
    conn.pragma_update(None, "recursive_triggers", "ON")?;
    migrations::migrate(&mut conn)?;
    // A bulk sync cut short by a crash: its search index is built now.
    let tx = conn.transaction()?;
    search_index::finish(&tx)?;
    tx.commit()?;
    Ok(conn)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test]
    async fn opens_migrates_and_reopens() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(FILE_NAME);
        let cache = Cache::open(&path).await.unwrap();
        cache.set_meta("k", "v".into()).await.unwrap();
        drop(cache);
        let cache = Cache::open(&path).await.unwrap();
        assert_eq!(cache.meta("k").await.unwrap().as_deref(), Some("v"));
        let version: i64 = cache
            .call(|c| Ok(c.pragma_query_value(None, "user_version", |r| r.get(0))?))
            .await
            .unwrap();
        assert_eq!(version, SCHEMA_VERSION);
    }

    #[tokio::test]
    async fn refuses_a_newer_schema() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(FILE_NAME);
        {
            let c = Connection::open(&path).unwrap();
            c.pragma_update(None, "user_version", SCHEMA_VERSION + 1)
                .unwrap();
        }
        let err = Cache::open(&path).await.unwrap_err();
        assert!(matches!(err, CoreError::CacheTooNew { .. }), "{err:?}");
        assert!(err.to_string().contains("newer version"));
    }

    #[tokio::test]
    async fn a_corrupt_file_is_a_clear_error() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join(FILE_NAME);
        std::fs::write(&path, vec![0x5a_u8; 8192]).unwrap();
        let err = Cache::open(&path).await.unwrap_err();
        assert_eq!(err.code(), deskmate_api::ErrorCode::Cache);
        assert!(err.to_string().contains("not a usable cache"), "{err}");
    }
}
