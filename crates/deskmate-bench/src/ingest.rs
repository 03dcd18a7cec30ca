//! Delta-sync ingest into the app's cache against plain SQLite inserts of the
//! same rows.
//!
//! The corpus is applied to a fresh [`Cache`] one [`SyncPage`] at a time, as
//! delta sync does (each page one transaction; the cache's FTS5 index is
//! complete when the last page is applied, however the cache builds it); then the same rows go into two bare tables (no
//! secondary index, no trigger) in one transaction on a connection with the
//! cache's settings (WAL, `synchronous=NORMAL`). The cache is kept for the
//! search measurement.

use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context, Result};
use deskmate_core::CoreError;
use deskmate_core::cache::Cache;

use crate::corpus::{self, Vocabulary};

/// What a run measured; holds the filled cache.
pub struct Outcome {
    pub tickets: usize,
    pub messages: usize,
    pub pages: usize,
    pub text_mb: f64,
    pub generate_time: Duration,
    /// Sum of the `apply_sync_page` calls.
    pub ingest_time: Duration,
    /// The plain inserts, transaction included.
    pub raw_time: Duration,
    /// Cache file and WAL after ingest.
    pub cache_mb: f64,
    pub cache: Cache,
    pub vocabulary: Vocabulary,
    _dir: tempfile::TempDir,
}

impl Outcome {
    pub fn rows(&self) -> usize {
        self.tickets + self.messages
    }

    pub fn ingest_per_second(&self) -> f64 {
        self.rows() as f64 / self.ingest_time.as_secs_f64()
    }

    pub fn raw_per_second(&self) -> f64 {
        self.rows() as f64 / self.raw_time.as_secs_f64()
    }
}

pub async fn run(tickets: usize, messages: usize, page_rows: usize) -> Result<Outcome> {
    let started = Instant::now();
    let vocabulary = Vocabulary::new();
    #[allow(
        clippy::disallowed_methods,
        reason = "the bench runs on the multi-threaded runtime; the corpus borrows the vocabulary"
    )]
    let corpus = tokio::task::block_in_place(|| {
        corpus::generate(&vocabulary, tickets, messages, page_rows)
    })?;
    let generate_time = started.elapsed();
    let (tickets, messages, text_mb) = (
        corpus.tickets,
        corpus.messages,
        corpus.text_bytes as f64 / 1e6,
    );
    let pages = Arc::new(corpus.pages);

    let dir = tempfile::tempdir().context("temp dir")?;
    let cache_path = dir.path().join(deskmate_core::cache::FILE_NAME);
    let cache = Cache::open(&cache_path).await.context("open cache")?;
    let mut ingest_time = Duration::ZERO;
    for page in pages.iter() {
        // The copy is not part of the ingest: delta sync owns each page it parsed.
        let page = page.clone();
        let t0 = Instant::now();
        cache
            .apply_sync_page(page)
            .await
            .context("apply sync page")?;
        ingest_time += t0.elapsed();
    }
    let cache_mb = file_mb(&cache_path) + file_mb(&cache_path.with_extension("sqlite3-wal"));

    let raw = Cache::open(dir.path().join("raw.sqlite3"))
        .await
        .context("open raw database")?;
    let raw_time = raw
        .call({
            let pages = Arc::clone(&pages);
            // rusqlite is not a dependency here: the connection's type is inferred.
            move |c| {
                c.execute_batch(RAW_SCHEMA)?;
                let started = Instant::now();
                let tx = c.transaction()?;
                {
                    let mut tickets = tx.prepare(
                        "INSERT INTO raw_tickets (id, organisation_id, requester_id, requester_name,
                           department, priority, status, subject, body, created_at, updated_at, details)
                         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)",
                    )?;
                    let mut messages = tx.prepare(
                        "INSERT INTO raw_messages (id, ticket_id, author_id, author_name, author_kind,
                           body, internal, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                    )?;
                    for page in pages.iter() {
                        for t in &page.tickets {
                            let details = serde_json::to_string(&t.details)
                                .map_err(|e| CoreError::Cache(format!("ticket details: {e}")))?;
                            tickets.execute((
                                t.id,
                                t.organisation_id,
                                t.requester_id,
                                &t.requester_name,
                                t.department.as_str(),
                                t.priority.as_str(),
                                t.status.as_str(),
                                &t.subject,
                                &t.body,
                                t.created_at.to_rfc3339(),
                                t.updated_at.to_rfc3339(),
                                details,
                            ))?;
                        }
                        for m in &page.messages {
                            messages.execute((
                                m.id,
                                m.ticket_id,
                                m.author_id,
                                &m.author_name,
                                m.author_kind.as_str(),
                                &m.body,
                                m.internal,
                                m.created_at.to_rfc3339(),
                            ))?;
                        }
                    }
                }
                tx.commit()?;
                Ok(started.elapsed())
            }
        })
        .await
        .context("plain inserts")?;
    drop(raw);
    let _ = std::fs::remove_file(dir.path().join("raw.sqlite3"));
    let _ = std::fs::remove_file(dir.path().join("raw.sqlite3-wal"));

    Ok(Outcome {
        tickets,
        messages,
        pages: pages.len(),
        text_mb,
        generate_time,
        ingest_time,
        raw_time,
        cache_mb,
        cache,
        vocabulary,
        _dir: dir,
    })
}

fn file_mb(path: &std::path::Path) -> f64 {
    std::fs::metadata(path).map_or(0.0, |m| m.len() as f64 / 1e6)
}

/// The bare tables: no secondary index, no trigger.
const RAW_SCHEMA: &str = "CREATE TABLE raw_tickets (
    id INTEGER PRIMARY KEY, organisation_id INTEGER NOT NULL,
    requester_id INTEGER NOT NULL, requester_name TEXT NOT NULL,
    department TEXT NOT NULL, priority TEXT NOT NULL, status TEXT NOT NULL,
    subject TEXT NOT NULL, body TEXT NOT NULL, created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL, details TEXT NOT NULL) STRICT;
 CREATE TABLE raw_messages (
    id INTEGER PRIMARY KEY, ticket_id INTEGER NOT NULL, author_id INTEGER NOT NULL,
    author_name TEXT NOT NULL, author_kind TEXT NOT NULL, body TEXT NOT NULL,
    internal INTEGER NOT NULL, created_at TEXT NOT NULL) STRICT;";
