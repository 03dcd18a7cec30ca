//! Bulk writes of the search indexes.
//!
//! The triggers of `migrations/search_triggers.sql` keep both FTS5 indexes
//! exact row by row, which for a first sync of a large helpdesk (hundreds of
//! pages into an empty cache) is most of the sync's time: each page's commit
//! writes a small index segment that FTS5 then merges again and again. So a
//! multi-page sync into an empty cache drops the triggers, writes only the
//! rows, and indexes everything at once (`rebuild`) in the transaction of its
//! last page; then the triggers are back. Until then the cache's search finds
//! nothing new (it was empty). A sync cut short (offline, an error) finishes
//! the index at once ([`Cache::finish_search_index`]); a crash in between
//! leaves the mark in `meta`, and opening the cache finishes it.

use rusqlite::{Connection, OptionalExtension};

use super::Cache;
use crate::Result;

/// Meta key present while the search triggers are off for a bulk sync.
const BULK: &str = "search_index_bulk";

const DROP_TRIGGERS: &str = "DROP TRIGGER tickets_fts_insert; DROP TRIGGER tickets_fts_delete;
    DROP TRIGGER tickets_fts_update; DROP TRIGGER messages_fts_insert;
    DROP TRIGGER messages_fts_delete; DROP TRIGGER messages_fts_update;";

const TRIGGERS: &str = include_str!("migrations/search_triggers.sql");

/// Whether the search triggers are off for a bulk sync.
pub(super) fn in_bulk(c: &Connection) -> Result<bool> {
    Ok(c.prepare_cached("SELECT 1 FROM meta WHERE key = ?1")?
        .query_row([BULK], |_| Ok(()))
        .optional()?
        .is_some())
}

/// Turns the search triggers off when `c` holds no ticket and no message (a
/// first sync, or one after another account's were cleared) and more pages
/// follow; `true` when the index is (now) left for [`finish`].
pub(super) fn begin_if_empty(c: &Connection, more: bool) -> Result<bool> {
    if in_bulk(c)? {
        return Ok(true);
    }
    if !more {
        return Ok(false);
    }
    let empty: bool = c.query_row(
        "SELECT NOT EXISTS (SELECT 1 FROM tickets) AND NOT EXISTS (SELECT 1 FROM messages)",
        [],
        |r| r.get(0),
    )?;
    if !empty {
        return Ok(false);
    }
    c.execute_batch(DROP_TRIGGERS)?;
    c.execute(
        "INSERT INTO meta (key, value) VALUES (?1, '1')
         ON CONFLICT (key) DO UPDATE SET value = excluded.value",
        [BULK],
    )?;
    tracing::debug!("bulk sync: the search index is built at its end");
    Ok(true)
}

/// Indexes everything the cache holds and turns the triggers back on, when a
/// bulk sync left them off; nothing otherwise. Meant for a transaction.
pub(super) fn finish(c: &Connection) -> Result<()> {
    if !in_bulk(c)? {
        return Ok(());
    }
    let started = std::time::Instant::now();
    c.execute_batch(
        "INSERT INTO tickets_fts (tickets_fts) VALUES ('rebuild');
         INSERT INTO messages_fts (messages_fts) VALUES ('rebuild');",
    )?;
    c.execute_batch(TRIGGERS)?;
    c.execute("DELETE FROM meta WHERE key = ?1", [BULK])?;
    tracing::debug!(took = ?started.elapsed(), "bulk sync: search index built");
    Ok(())
}

impl Cache {
    /// Builds the search index a bulk sync left for its end (the sync stopped
    /// early); nothing when it is up to date.
    pub async fn finish_search_index(&self) -> Result<()> {
        self.call(|c| {
            let tx = c.transaction()?;
            finish(&tx)?;
            tx.commit()?;
            Ok(())
        })
        .await
    }
}
