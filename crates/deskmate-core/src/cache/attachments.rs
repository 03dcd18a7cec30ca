//! What the helpdesk says about attached files (their bytes are in
//! [`crate::files::FileStore`]), and the outbox's copies of files to send.

use std::collections::HashSet;

use deskmate_api::{Attachment, AttachmentKind, AuthorKind};
use rusqlite::{Connection, OptionalExtension, Row, params};

use super::Cache;
use super::tickets::{stamp, timestamp};
use crate::{CoreError, Result};

const COLUMNS: &str = "id, ticket_id, message_id, file_name, content_type, size_bytes, sha256, \
                       width, height, author_kind, author_name, created_at";

/// A file waiting in the outbox, as a thumbnail needs it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutgoingFile {
    pub local_name: String,
    pub kind: AttachmentKind,
    pub sha256: String,
}

impl Cache {
    /// One cached attachment of a ticket.
    pub async fn attachment(&self, ticket_id: i64, id: i64) -> Result<Option<Attachment>> {
        self.call(move |c| {
            c.query_row(
                &format!("SELECT {COLUMNS} FROM attachments WHERE id = ?1 AND ticket_id = ?2"),
                [id, ticket_id],
                read_attachment,
            )
            .optional()?
            .transpose()
        })
        .await
    }

    /// A ticket's cached attachments, oldest first.
    pub async fn attachments(&self, ticket_id: i64) -> Result<Vec<Attachment>> {
        self.call(move |c| {
            let mut stmt = c.prepare_cached(&format!(
                "SELECT {COLUMNS} FROM attachments WHERE ticket_id = ?1 ORDER BY id"
            ))?;
            let rows = stmt.query_map([ticket_id], read_attachment)?;
            rows.map(|r| r?).collect()
        })
        .await
    }

    /// Makes the cache hold exactly these attachments for the ticket (from
    /// its detail), in one transaction.
    pub async fn replace_attachments(
        &self,
        ticket_id: i64,
        attachments: Vec<Attachment>,
    ) -> Result<()> {
        self.call(move |c| {
            let tx = c.transaction()?;
            tx.execute("DELETE FROM attachments WHERE ticket_id = ?1", [ticket_id])?;
            for a in &attachments {
                upsert_attachment(&tx, a)?;
            }
            tx.commit()?;
            Ok(())
        })
        .await
    }

    /// A file of an outbox item, by its place among the item's files.
    pub async fn outgoing_file(&self, local_id: i64, index: u32) -> Result<Option<OutgoingFile>> {
        self.call(move |c| {
            let row: Option<(String, String, String)> = c
                .query_row(
                    "SELECT local_name, kind, sha256 FROM outbox_files
                     WHERE outbox_id = ?1 AND position = ?2",
                    params![local_id, index],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
                )
                .optional()?;
            row.map(|(local_name, kind, sha256)| {
                Ok(OutgoingFile {
                    local_name,
                    kind: AttachmentKind::parse(&kind).ok_or_else(|| {
                        CoreError::Cache(format!("unknown attachment kind {kind:?} in the outbox"))
                    })?,
                    sha256,
                })
            })
            .transpose()
        })
        .await
    }

    /// The names of every copy the outbox still needs.
    pub async fn outgoing_names(&self) -> Result<HashSet<String>> {
        self.call(|c| {
            let mut stmt = c.prepare_cached("SELECT local_name FROM outbox_files")?;
            let rows = stmt.query_map([], |r| r.get(0))?;
            Ok(rows.collect::<rusqlite::Result<_>>()?)
        })
        .await
    }
}

pub(super) fn upsert_attachment(c: &Connection, a: &Attachment) -> Result<()> {
    c.prepare_cached(&format!(
        "INSERT INTO attachments ({COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)
         ON CONFLICT (id) DO UPDATE SET ticket_id = excluded.ticket_id,
           message_id = excluded.message_id, file_name = excluded.file_name,
           content_type = excluded.content_type, size_bytes = excluded.size_bytes,
           sha256 = excluded.sha256, width = excluded.width, height = excluded.height,
           author_kind = excluded.author_kind, author_name = excluded.author_name,
           created_at = excluded.created_at"
    ))?
    .execute(params![
        a.id,
        a.ticket_id,
        a.message_id,
        a.file_name,
        a.content_type,
        a.size_bytes,
        a.sha256,
        a.width,
        a.height,
        a.author_kind.as_str(),
        a.author_name,
        stamp(&a.created_at),
    ])?;
    Ok(())
}

fn read_attachment(r: &Row<'_>) -> rusqlite::Result<Result<Attachment>> {
    let kind: String = r.get(9)?;
    let created: String = r.get(11)?;
    let attachment = (|| {
        Ok(Attachment {
            id: r.get(0)?,
            ticket_id: r.get(1)?,
            message_id: r.get(2)?,
            file_name: r.get(3)?,
            content_type: r.get(4)?,
            size_bytes: r.get(5)?,
            sha256: r.get(6)?,
            width: r.get(7)?,
            height: r.get(8)?,
            author_kind: AuthorKind::parse(&kind)
                .ok_or_else(|| CoreError::Cache(format!("unknown author kind {kind:?}")))?,
            author_name: r.get(10)?,
            created_at: timestamp(&created)?,
        })
    })();
    Ok(attachment)
}
