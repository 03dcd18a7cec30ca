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

#[cfg(test)]
mod tests {
    use chrono::Utc;
    use deskmate_api::{Message, NewMessage, OutboxKind, PendingFile};

    use super::*;
    use crate::cache::{Account, Delivered, OutboxEntry, Write};
    use crate::files::StagedFile;

    fn account() -> Account {
        Account {
            server_url: "http://helpdesk".into(),
            user_id: 7,
        }
    }

    fn staged(n: u32) -> StagedFile {
        StagedFile {
            local_name: format!("copy-{n}"),
            file_name: format!("file-{n}.txt"),
            kind: AttachmentKind::Text,
            size_bytes: 10 + i64::from(n),
            sha256: format!("{n:0>64}"),
        }
    }

    fn attachment(id: i64, ticket_id: i64, message_id: Option<i64>) -> Attachment {
        Attachment {
            id,
            ticket_id,
            message_id,
            file_name: format!("file-{id}.txt"),
            content_type: AttachmentKind::Text.content_type().into(),
            size_bytes: 10,
            sha256: "0".repeat(64),
            width: None,
            height: None,
            author_kind: AuthorKind::Customer,
            author_name: "Ann".into(),
            created_at: Utc::now(),
        }
    }

    #[tokio::test]
    async fn an_item_with_files_becomes_its_files_once_its_text_is_delivered() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::open(dir.path().join("c.sqlite3")).await.unwrap();
        let reply = Write::Reply {
            ticket_id: 5,
            message: NewMessage {
                body: "see files".into(),
                internal: false,
            },
        };
        let item = cache
            .queue(
                account(),
                OutboxEntry {
                    write: reply,
                    draft_id: None,
                    files: vec![staged(0), staged(1)],
                },
            )
            .await
            .unwrap();
        assert_eq!(item.kind, OutboxKind::Reply);
        assert_eq!(
            item.files[1],
            PendingFile {
                local_id: item.local_id,
                index: 1,
                file_name: "file-1.txt".into(),
                kind: AttachmentKind::Text,
                size_bytes: 11,
            }
        );
        let due = cache.next_due(account(), true).await.unwrap().unwrap();
        assert_eq!(due.files.len(), 2);
        let key = due.idempotency_key.clone();

        let message = Message {
            id: 90,
            ticket_id: 5,
            author_id: 7,
            author_name: "Ann".into(),
            author_kind: AuthorKind::Customer,
            body: "see files".into(),
            internal: false,
            created_at: Utc::now(),
        };
        let text = Delivered::Message {
            message,
            reopened: false,
        };
        cache
            .record_progress(item.local_id, text.clone())
            .await
            .unwrap();
        // Twice (two processes) is the same as once.
        cache.record_progress(item.local_id, text).await.unwrap();
        cache
            .record_upload(item.local_id, 0, attachment(300, 5, Some(90)))
            .await
            .unwrap();

        let due = cache.next_due(account(), true).await.unwrap().unwrap();
        assert_eq!(due.local_id, item.local_id, "same place in line");
        assert_eq!(due.idempotency_key, key, "same key");
        assert_eq!(
            due.write,
            Write::Attachments {
                ticket_id: 5,
                message_id: Some(90)
            }
        );
        assert_eq!(due.files[0].attachment_id, Some(300));
        assert_eq!(due.files[1].attachment_id, None);
        let listed = cache.outbox_for_ticket(account(), 5).await.unwrap();
        let [listed] = listed.as_slice() else {
            panic!("{listed:?}")
        };
        assert_eq!(listed.kind, OutboxKind::Attachments);
        assert_eq!(listed.summary, "file-1.txt", "only what is left");
        assert_eq!(listed.files.len(), 1);
        let (messages, _) = cache.conversation(5).await.unwrap();
        assert_eq!(messages.len(), 1, "the delivered text is in the cache");
        assert_eq!(cache.attachments(5).await.unwrap()[0].id, 300);

        assert_eq!(
            cache.outgoing_names().await.unwrap(),
            HashSet::from(["copy-0".to_owned(), "copy-1".to_owned()])
        );
        let names = cache.discard_item(item.local_id).await.unwrap().unwrap();
        assert_eq!(names, ["copy-0", "copy-1"]);
        assert!(cache.outgoing_names().await.unwrap().is_empty());
        assert!(cache.discard_item(item.local_id).await.unwrap().is_none());
    }

    #[tokio::test]
    async fn sync_pages_and_details_keep_attachment_metadata() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::open(dir.path().join("c.sqlite3")).await.unwrap();
        cache
            .apply_sync_page(deskmate_api::SyncPage {
                attachments: vec![attachment(1, 4, None), attachment(2, 4, None)],
                ..deskmate_api::SyncPage::empty(3)
            })
            .await
            .unwrap();
        assert_eq!(cache.attachments(4).await.unwrap().len(), 2);
        assert!(cache.attachment(4, 2).await.unwrap().is_some());
        assert!(
            cache.attachment(5, 2).await.unwrap().is_none(),
            "another ticket's"
        );
        cache
            .replace_attachments(4, vec![attachment(2, 4, None)])
            .await
            .unwrap();
        let ids: Vec<i64> = cache
            .attachments(4)
            .await
            .unwrap()
            .iter()
            .map(|a| a.id)
            .collect();
        assert_eq!(ids, [2]);
        cache.clear_tickets().await.unwrap();
        assert!(cache.attachments(4).await.unwrap().is_empty());
    }
}
