//! Ticket conversations in the cache, for the detail view offline.

use chrono::{DateTime, Utc};
use deskmate_api::{AuthorKind, Message, SyncPage};
use rusqlite::{Connection, OptionalExtension, Row, params};

use super::attachments::upsert_attachment;
use super::tickets::{stamp, timestamp, upsert};
use super::{Cache, search_index};
use crate::{CoreError, Result};

/// Meta key of the delta-sync cursor of the signed-in account.
const SYNC_CURSOR: &str = "sync_cursor";

impl Cache {
    /// Where delta sync continues (0: from the start).
    pub async fn sync_cursor(&self) -> Result<i64> {
        Ok(self
            .meta(SYNC_CURSOR)
            .await?
            .and_then(|v| v.parse().ok())
            .unwrap_or(0))
    }

    /// Applies one sync page and moves the cursor past it, in one transaction:
    /// an interrupted sync resumes after the last page applied. A sync of many
    /// pages into an empty cache builds the search index once, with its last
    /// page (`search_index.rs`).
    pub async fn apply_sync_page(&self, page: SyncPage) -> Result<()> {
        self.apply_page(page, None).await.map(|_| ())
    }

    /// Like [`Cache::apply_sync_page`] for a page pulled from `cursor`: when
    /// the cache's cursor is no longer there (another pull moved it, or a
    /// change of rights started sync over), nothing is applied and the answer
    /// is `false`; pull again from where the cursor is now.
    pub async fn apply_sync_page_from(&self, cursor: i64, page: SyncPage) -> Result<bool> {
        self.apply_page(page, Some(cursor)).await
    }

    async fn apply_page(&self, page: SyncPage, from: Option<i64>) -> Result<bool> {
        self.call(move |c| {
            let tx = c.transaction()?;
            if let Some(from) = from
                && stored_cursor(&tx)? != from
            {
                return Ok(false);
            }
            super::notify::note_page(&tx, &page)?;
            let bulk = search_index::begin_if_empty(&tx, page.more)?;
            for t in &page.tickets {
                upsert(&tx, t)?;
            }
            for m in &page.messages {
                upsert_message(&tx, m)?;
            }
            for a in &page.attachments {
                upsert_attachment(&tx, a)?;
            }
            super::notices::apply_page(&tx, &page)?;
            tx.execute(
                "INSERT INTO meta (key, value) VALUES (?1, ?2)
                 ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                params![SYNC_CURSOR, page.cursor.to_string()],
            )?;
            if bulk && !page.more {
                search_index::finish(&tx)?;
            }
            tx.commit()?;
            Ok(true)
        })
        .await
    }

    /// Starts delta sync over (another account, or after signing out).
    pub(crate) fn reset_sync_cursor(c: &Connection) -> Result<()> {
        c.execute("DELETE FROM meta WHERE key = ?1", [SYNC_CURSOR])?;
        // What the sync from scratch brings is old: nothing is notified until it ends.
        c.execute("DELETE FROM meta WHERE key = ?1", [super::notify::READY])?;
        Ok(())
    }
}

/// The cursor as `c` sees it (0: from the start).
fn stored_cursor(c: &Connection) -> Result<i64> {
    let value: Option<String> = c
        .query_row(
            "SELECT value FROM meta WHERE key = ?1",
            [SYNC_CURSOR],
            |r| r.get(0),
        )
        .optional()?;
    Ok(value.and_then(|v| v.parse().ok()).unwrap_or(0))
}

impl Cache {
    /// A ticket's cached conversation, oldest first, and its reopen deadline.
    pub async fn conversation(
        &self,
        ticket_id: i64,
    ) -> Result<(Vec<Message>, Option<DateTime<Utc>>)> {
        self.call(move |c| {
            let mut stmt = c.prepare_cached(
                "SELECT id, ticket_id, author_id, author_name, author_kind, body, internal,
                   created_at FROM messages WHERE ticket_id = ?1 ORDER BY id",
            )?;
            let messages = stmt
                .query_map([ticket_id], read_message)?
                .map(|r| r?)
                .collect::<Result<Vec<_>>>()?;
            let until: Option<Option<String>> = c
                .query_row(
                    "SELECT reopen_until FROM ticket_extras WHERE ticket_id = ?1",
                    [ticket_id],
                    |r| r.get(0),
                )
                .optional()?;
            let until = until.flatten().map(|s| timestamp(&s)).transpose()?;
            Ok((messages, until))
        })
        .await
    }

    /// Makes the cache hold exactly this conversation for the ticket.
    pub async fn replace_conversation(
        &self,
        ticket_id: i64,
        messages: Vec<Message>,
        reopen_until: Option<DateTime<Utc>>,
    ) -> Result<()> {
        self.call(move |c| {
            let tx = c.transaction()?;
            tx.execute("DELETE FROM messages WHERE ticket_id = ?1", [ticket_id])?;
            for m in &messages {
                upsert_message(&tx, m)?;
            }
            tx.execute(
                "INSERT INTO ticket_extras (ticket_id, reopen_until) VALUES (?1, ?2)
                 ON CONFLICT (ticket_id) DO UPDATE SET reopen_until = excluded.reopen_until",
                params![ticket_id, reopen_until.as_ref().map(stamp)],
            )?;
            tx.commit()?;
            Ok(())
        })
        .await
    }
}

pub(super) fn upsert_message(c: &Connection, m: &Message) -> Result<()> {
    c.prepare_cached(
        "INSERT INTO messages (id, ticket_id, author_id, author_name, author_kind, body,
           internal, created_at) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)
         ON CONFLICT (id) DO UPDATE SET ticket_id = excluded.ticket_id,
           author_id = excluded.author_id, author_name = excluded.author_name,
           author_kind = excluded.author_kind, body = excluded.body,
           internal = excluded.internal, created_at = excluded.created_at",
    )?
    .execute(params![
        m.id,
        m.ticket_id,
        m.author_id,
        m.author_name,
        m.author_kind.as_str(),
        m.body,
        m.internal,
        stamp(&m.created_at),
    ])?;
    Ok(())
}

fn read_message(r: &Row<'_>) -> rusqlite::Result<Result<Message>> {
    let kind: String = r.get(4)?;
    let created: String = r.get(7)?;
    let message = (|| {
        Ok(Message {
            id: r.get(0)?,
            ticket_id: r.get(1)?,
            author_id: r.get(2)?,
            author_name: r.get(3)?,
            author_kind: AuthorKind::parse(&kind)
                .ok_or_else(|| CoreError::Cache(format!("unknown author kind {kind:?}")))?,
            body: r.get(5)?,
            internal: r.get(6)?,
            created_at: timestamp(&created)?,
        })
    })();
    Ok(message)
}
