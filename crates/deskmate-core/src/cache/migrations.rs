//! Embedded, ordered schema migrations, applied in one transaction.

use rusqlite::Connection;

use crate::{CoreError, Result};

/// Every migration in order; the schema version is its position (1-based).
/// Append only: never edit or reorder a migration that has shipped.
const MIGRATIONS: &[&str] = &[
    include_str!("migrations/0001_init.sql"),
    include_str!("migrations/0002_outbox.sql"),
    include_str!("migrations/0003_search.sql"),
    include_str!("migrations/0004_ticket_details.sql"),
    include_str!("migrations/0005_drafts.sql"),
    include_str!("migrations/0006_ticket_marks.sql"),
    concat!(
        include_str!("migrations/0007_search_index.sql"),
        include_str!("migrations/search_triggers.sql")
    ),
    include_str!("migrations/0008_attachments.sql"),
    include_str!("migrations/0009_notices.sql"),
    include_str!("migrations/0010_availability.sql"),
    include_str!("migrations/0011_expedite.sql"),
    concat!(
        include_str!("migrations/0012_messages_prefix.sql"),
        include_str!("migrations/search_triggers.sql")
    ),
    include_str!("migrations/0013_ticket_list.sql"),
    include_str!("migrations/0014_notifications.sql"),
];

/// The schema version this build writes.
pub const LATEST: i64 = MIGRATIONS.len() as i64;

/// Brings the database to [`LATEST`]; refuses one written by a newer version.
pub fn migrate(conn: &mut Connection) -> Result<()> {
    let found: i64 = conn.pragma_query_value(None, "user_version", |row| row.get(0))?;
    if found > LATEST {
        return Err(CoreError::CacheTooNew {
            found,
            known: LATEST,
        });
    }
    if found == LATEST {
        return Ok(());
    }
    let tx = conn.transaction()?;
    for (index, sql) in MIGRATIONS
        .iter()
        .enumerate()
        .skip(usize::try_from(found).unwrap_or(0))
    {
        tx.execute_batch(sql)
            .map_err(|e| CoreError::Cache(format!("migration {} failed: {e}", index + 1)))?;
    }
    tx.pragma_update(None, "user_version", LATEST)?;
    tx.commit()?;
    Ok(())
}

/// A database at schema `version` (an older build's), for upgrade tests.
#[cfg(test)]
pub(super) fn migrate_to(conn: &Connection, version: usize) -> Result<()> {
    for sql in &MIGRATIONS[..version] {
        conn.execute_batch(sql)?;
    }
    conn.pragma_update(None, "user_version", i64::try_from(version).unwrap_or(0))?;
    Ok(())
}
