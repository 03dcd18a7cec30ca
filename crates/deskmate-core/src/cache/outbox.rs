//! The outbox: user writes committed locally before any network, drained in
//! order by [`crate::Core::drain_outbox`] (`sync/outbox.rs`).

use chrono::Utc;
use deskmate_api::{
    AttachmentKind, ErrorCode, ErrorResponse, NewTicket, OutboxItem, OutboxKind, OutboxState,
    PendingFile,
};
use rusqlite::{OptionalExtension, Row, params};

use super::Cache;
use super::tickets::{stamp, timestamp};
use crate::{CoreError, Result};

pub use super::outbox_types::{
    Account, Attempt, Delivered, OutboxEntry, OutboxFile, QueuedWrite, Write,
};

const ITEM_COLUMNS: &str =
    "id, kind, ticket_id, state, payload, attempts, error_code, error_message, created_at";

impl Cache {
    /// Commits a write to the outbox, with its files (already copied into
    /// `attachments/outgoing/`) and the deletion of the draft it was written
    /// in, all in one transaction: after a crash there is one or the other.
    /// Returns the item as the UI shows it.
    pub async fn queue(
        &self,
        account: Account,
        entry: impl Into<OutboxEntry>,
    ) -> Result<OutboxItem> {
        let OutboxEntry {
            write,
            draft_id,
            files,
        } = entry.into();
        self.call(move |c| {
            let tx = c.transaction()?;
            if let Some(draft_id) = &draft_id {
                super::drafts::delete_draft(&tx, &account, draft_id)?;
            }
            let id = insert_item(&tx, &account, &write)?;
            for (position, file) in files.iter().enumerate() {
                tx.execute(
                    "INSERT INTO outbox_files (outbox_id, position, local_name, file_name, kind,
                       size_bytes, sha256) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                    params![
                        id,
                        i64::try_from(position).unwrap_or(i64::MAX),
                        file.local_name,
                        file.file_name,
                        file.kind.as_str(),
                        file.size_bytes,
                        file.sha256
                    ],
                )?;
            }
            let queued =
                item(&tx, id)?.ok_or_else(|| CoreError::Cache("queued item vanished".into()))?;
            tx.commit()?;
            Ok(queued)
        })
        .await
    }

    /// The account's items, oldest first.
    pub async fn outbox(&self, account: Account) -> Result<Vec<OutboxItem>> {
        self.call(move |c| {
            let mut stmt = c.prepare_cached(&format!(
                "SELECT {ITEM_COLUMNS} FROM outbox WHERE server_url = ?1 AND user_id = ?2 ORDER BY id"
            ))?;
            let rows = stmt.query_map(params![account.server_url, account.user_id], read_item)?;
            let items = rows.map(|r| r?).collect::<Result<Vec<_>>>()?;
            with_files(c, items)
        })
        .await
    }

    /// The account's items for one ticket (replies, reopens), oldest first.
    pub async fn outbox_for_ticket(
        &self,
        account: Account,
        ticket_id: i64,
    ) -> Result<Vec<OutboxItem>> {
        self.call(move |c| {
            let mut stmt = c.prepare_cached(&format!(
                "SELECT {ITEM_COLUMNS} FROM outbox
                 WHERE server_url = ?1 AND user_id = ?2 AND ticket_id = ?3 ORDER BY id"
            ))?;
            let rows = stmt.query_map(
                params![account.server_url, account.user_id, ticket_id],
                read_item,
            )?;
            let items = rows.map(|r| r?).collect::<Result<Vec<_>>>()?;
            with_files(c, items)
        })
        .await
    }

    /// The account's answers to the provider's requests (remote sessions,
    /// order delays), oldest first, each with what it answers.
    pub async fn outbox_answers(&self, account: Account) -> Result<Vec<(Write, OutboxItem)>> {
        self.call(move |c| {
            let mut stmt = c.prepare_cached(&format!(
                "SELECT {ITEM_COLUMNS} FROM outbox WHERE server_url = ?1 AND user_id = ?2
                   AND kind IN ('remote_session_answer', 'order_delay_answer') ORDER BY id"
            ))?;
            let rows = stmt.query_map(params![account.server_url, account.user_id], |r| {
                let id: i64 = r.get(0)?;
                let kind: String = r.get(1)?;
                let ticket_id: Option<i64> = r.get(2)?;
                let payload: String = r.get(4)?;
                Ok((Write::read(id, &kind, ticket_id, &payload), read_item(r)?))
            })?;
            rows.map(|row| {
                let (write, item) = row?;
                Ok((write?, item?))
            })
            .collect()
        })
        .await
    }

    pub async fn outbox_item(&self, local_id: i64) -> Result<Option<OutboxItem>> {
        self.call(move |c| item(c, local_id)).await
    }

    /// The account's oldest pending item, if it is due (or whatever its due
    /// time when `ignore_backoff`). Items go strictly in order: while the oldest
    /// waits for its retry time, nothing behind it is sent.
    pub async fn next_due(
        &self,
        account: Account,
        ignore_backoff: bool,
    ) -> Result<Option<QueuedWrite>> {
        let now = Utc::now();
        self.call(move |c| {
            type Due = (i64, String, String, Option<i64>, String, i64, String);
            let row: Option<Due> = c
                .query_row(
                    "SELECT id, idempotency_key, kind, ticket_id, payload, attempts,
                       next_attempt_at FROM outbox
                     WHERE server_url = ?1 AND user_id = ?2 AND state = 'pending'
                     ORDER BY id LIMIT 1",
                    params![account.server_url, account.user_id],
                    |r| {
                        Ok((
                            r.get(0)?,
                            r.get(1)?,
                            r.get(2)?,
                            r.get(3)?,
                            r.get(4)?,
                            r.get(5)?,
                            r.get(6)?,
                        ))
                    },
                )
                .optional()?;
            let Some((local_id, idempotency_key, kind, ticket_id, payload, attempts, due)) = row
            else {
                return Ok(None);
            };
            if !ignore_backoff && timestamp(&due)? > now {
                return Ok(None);
            }
            Ok(Some(QueuedWrite {
                local_id,
                idempotency_key,
                attempts,
                write: Write::read(local_id, &kind, ticket_id, &payload)?,
                files: files_of(c, local_id)?,
            }))
        })
        .await
    }

    /// Whether the item is still in the outbox (another process may have
    /// finished it).
    pub async fn item_exists(&self, local_id: i64) -> Result<bool> {
        self.call(move |c| {
            Ok(
                c.query_row("SELECT 1 FROM outbox WHERE id = ?1", [local_id], |_| Ok(()))
                    .optional()?
                    .is_some(),
            )
        })
        .await
    }

    /// Puts a failed item back in line, optionally with a corrected ticket
    /// (for a new ticket). Returns `false` when there is no such item.
    pub async fn retry_item(&self, local_id: i64, ticket: Option<NewTicket>) -> Result<bool> {
        let payload = ticket.map(|t| Write::NewTicket(t).payload()).transpose()?;
        let now = stamp(&Utc::now());
        self.call(move |c| {
            // A corrected payload is a different request: it gets a new key.
            let changed = match payload {
                Some(payload) => c.execute(
                    "UPDATE outbox SET state = 'pending', attempts = 0, error_code = NULL,
                       error_message = NULL, next_attempt_at = ?2, payload = ?3,
                       idempotency_key = ?4 WHERE id = ?1 AND kind = 'new_ticket'",
                    params![local_id, now, payload, uuid::Uuid::new_v4().to_string()],
                )?,
                None => c.execute(
                    "UPDATE outbox SET state = 'pending', attempts = 0, error_code = NULL,
                       error_message = NULL, next_attempt_at = ?2 WHERE id = ?1",
                    params![local_id, now],
                )?,
            };
            Ok(changed == 1)
        })
        .await
    }

    /// Drops an item the user gave up on; returns the names of its files'
    /// copies (to delete), or `None` when there is no such item.
    pub async fn discard_item(&self, local_id: i64) -> Result<Option<Vec<String>>> {
        self.call(move |c| {
            let tx = c.transaction()?;
            let names = files_of(&tx, local_id)?
                .into_iter()
                .map(|f| f.local_name)
                .collect();
            let gone = tx.execute("DELETE FROM outbox WHERE id = ?1", [local_id])? == 1;
            tx.commit()?;
            Ok(gone.then_some(names))
        })
        .await
    }

    /// Counts the account's pending items.
    pub async fn pending_count(&self, account: Account) -> Result<u32> {
        self.call(move |c| {
            Ok(c.query_row(
                "SELECT COUNT(*) FROM outbox WHERE server_url = ?1 AND user_id = ?2
                   AND state = 'pending'",
                params![account.server_url, account.user_id],
                |r| r.get(0),
            )?)
        })
        .await
    }
}

/// Inside a transaction: adds `write` at the end of the account's line,
/// pending, with a new idempotency key; returns its local id.
pub(super) fn insert_item(
    c: &rusqlite::Connection,
    account: &Account,
    write: &Write,
) -> Result<i64> {
    let now = stamp(&Utc::now());
    c.execute(
        "INSERT INTO outbox (server_url, user_id, kind, ticket_id, idempotency_key,
           payload, state, next_attempt_at, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'pending', ?7, ?7)",
        params![
            account.server_url,
            account.user_id,
            write.kind().as_str(),
            write.ticket_id(),
            uuid::Uuid::new_v4().to_string(),
            write.payload()?,
            now
        ],
    )?;
    Ok(c.last_insert_rowid())
}

pub(super) fn code_text(code: ErrorCode) -> String {
    serde_json::to_value(code)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_else(|| "internal".to_owned())
}

pub(super) fn item(c: &rusqlite::Connection, id: i64) -> Result<Option<OutboxItem>> {
    let item = c
        .query_row(
            &format!("SELECT {ITEM_COLUMNS} FROM outbox WHERE id = ?1"),
            [id],
            read_item,
        )
        .optional()?
        .transpose()?;
    Ok(with_files(c, item.into_iter().collect())?.pop())
}

/// An item's files, in order.
fn files_of(c: &rusqlite::Connection, local_id: i64) -> Result<Vec<OutboxFile>> {
    let mut stmt = c.prepare_cached(
        "SELECT position, local_name, file_name, kind, size_bytes, sha256, attachment_id
         FROM outbox_files WHERE outbox_id = ?1 ORDER BY position",
    )?;
    let rows = stmt.query_map([local_id], |r| {
        let kind: String = r.get(3)?;
        Ok((
            r.get::<_, u32>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
            kind,
            r.get::<_, i64>(4)?,
            r.get::<_, String>(5)?,
            r.get::<_, Option<i64>>(6)?,
        ))
    })?;
    rows.map(|row| {
        let (position, local_name, file_name, kind, size_bytes, sha256, attachment_id) = row?;
        Ok(OutboxFile {
            position,
            local_name,
            file_name,
            kind: AttachmentKind::parse(&kind).ok_or_else(|| {
                CoreError::Cache(format!("unknown attachment kind {kind:?} in the outbox"))
            })?,
            size_bytes,
            sha256,
            attachment_id,
        })
    })
    .collect()
}

/// Fills in each item's files the helpdesk does not have yet; an item that
/// only sends files says which.
fn with_files(c: &rusqlite::Connection, mut items: Vec<OutboxItem>) -> Result<Vec<OutboxItem>> {
    for item in &mut items {
        item.files = files_of(c, item.local_id)?
            .into_iter()
            .filter(|f| f.attachment_id.is_none())
            .map(|f| PendingFile {
                local_id: item.local_id,
                index: f.position,
                file_name: f.file_name,
                kind: f.kind,
                size_bytes: f.size_bytes,
            })
            .collect();
        if item.kind == OutboxKind::Attachments && !item.files.is_empty() {
            let names: Vec<&str> = item.files.iter().map(|f| f.file_name.as_str()).collect();
            item.summary = first_line(&names.join(", "));
        }
    }
    Ok(items)
}

fn read_item(r: &Row<'_>) -> rusqlite::Result<Result<OutboxItem>> {
    let id: i64 = r.get(0)?;
    let kind: String = r.get(1)?;
    let ticket_id: Option<i64> = r.get(2)?;
    let state: String = r.get(3)?;
    let payload: String = r.get(4)?;
    let attempts: i64 = r.get(5)?;
    let error_code: Option<String> = r.get(6)?;
    let error_message: Option<String> = r.get(7)?;
    let created: String = r.get(8)?;
    Ok((|| {
        let write = Write::read(id, &kind, ticket_id, &payload)?;
        let error = match (error_code, error_message) {
            (Some(code), Some(message)) => Some(ErrorResponse::new(
                serde_json::from_value(serde_json::Value::String(code))
                    .unwrap_or(ErrorCode::Internal),
                message,
            )),
            _ => None,
        };
        let (summary, ticket, text) = match &write {
            Write::NewTicket(t) => (t.subject.clone(), Some(t.clone()), None),
            Write::Reply { message, .. } => {
                (first_line(&message.body), None, Some(message.body.clone()))
            }
            Write::Reopen { reopen, .. } => (
                first_line(&reopen.details),
                None,
                Some(reopen.details.clone()),
            ),
            Write::Attachments { ticket_id, .. } => {
                (format!("Files for ticket #{ticket_id}"), None, None)
            }
            Write::AnswerRemoteSession {
                remote_session_id,
                answer,
            } => {
                let verb = if answer.accept { "Accept" } else { "Decline" };
                (
                    format!("{verb} remote session #{remote_session_id}"),
                    None,
                    None,
                )
            }
            Write::AnswerOrderDelay { answer, .. } => {
                let text = order_delay_answer_text(answer);
                (first_line(&text), None, Some(text))
            }
            Write::Expedite { ticket_id, consent } => (
                format!(
                    "Expedite ticket #{ticket_id} for {}",
                    consent.accepted_price
                ),
                None,
                None,
            ),
            Write::SetAvailability { availability, .. } => (
                super::availability::summary(availability.as_ref()),
                None,
                availability.as_ref().and_then(|a| a.note.clone()),
            ),
        };
        Ok(OutboxItem {
            local_id: id,
            kind: write.kind(),
            state: OutboxState::parse(&state)
                .ok_or_else(|| CoreError::Cache(format!("unknown outbox state {state:?}")))?,
            summary,
            ticket,
            ticket_id,
            text,
            attempts,
            error,
            files: Vec::new(),
            created_at: timestamp(&created)?,
        })
    })())
}

/// The start of a text, for a one-line summary.
pub(super) fn first_line(text: &str) -> String {
    let line = text.trim().lines().next().unwrap_or_default();
    match line.char_indices().nth(80) {
        Some((cut, _)) => format!("{}…", &line[..cut]),
        None => line.to_owned(),
    }
}

/// An order-delay answer in words, for the outbox's list: the typed fields,
/// then the note.
fn order_delay_answer_text(answer: &deskmate_api::OrderDelayAnswer) -> String {
    let mut parts = Vec::new();
    if let Some(accepted) = answer.charge_accepted {
        parts.push(
            if accepted {
                "Charge accepted"
            } else {
                "Charge rejected"
            }
            .to_owned(),
        );
    }
    if let Some(date) = answer.resolution_date {
        parts.push(format!("Resolution date {date}"));
    }
    if let Some(c) = &answer.site_contact {
        let email = c
            .email
            .as_deref()
            .map(|e| format!(", {e}"))
            .unwrap_or_default();
        parts.push(format!("Site contact {} ({}{email})", c.name, c.phone));
    }
    if !answer.answer.trim().is_empty() {
        parts.push(answer.answer.clone());
    }
    parts.join("; ")
}
