//! The outbox: user writes committed locally before any network, drained in
//! order by [`crate::Core::drain_outbox`].

use chrono::{DateTime, Utc};
use deskmate_api::{
    Attachment, AttachmentKind, Availability, ErrorCode, ErrorResponse, ExpediteRequest, Message,
    NewExpedite, NewMessage, NewTicket, OrderDelayAnswer, OrderDelayRequest, OutboxItem,
    OutboxKind, OutboxState, PendingFile, RemoteSession, RemoteSessionAnswer, ReopenTicket, Ticket,
};
use rusqlite::{OptionalExtension, Row, params};

use super::Cache;
use super::attachments::upsert_attachment;
use super::messages::upsert_message;
use super::tickets::{stamp, timestamp, upsert};
use crate::files::StagedFile;
use crate::{CoreError, Result};

/// Whose writes: items are only ever sent as the account that made them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Account {
    pub server_url: String,
    pub user_id: i64,
}

/// What a queued write asks the helpdesk to do.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Write {
    NewTicket(NewTicket),
    Reply {
        ticket_id: i64,
        message: NewMessage,
    },
    Reopen {
        ticket_id: i64,
        reopen: ReopenTicket,
    },
    /// Only the item's files, for a ticket (and one of the user's messages
    /// on it): files added to a ticket, or what is left of a new ticket or
    /// a reply once the helpdesk has its text.
    Attachments {
        ticket_id: i64,
        message_id: Option<i64>,
    },
    /// Accepts or declines a remote-session request.
    AnswerRemoteSession {
        remote_session_id: i64,
        answer: RemoteSessionAnswer,
    },
    /// Answers an order-delay information request.
    AnswerOrderDelay {
        order_delay_id: i64,
        answer: OrderDelayAnswer,
    },
    /// The customer's consent to the price of a ticket's expedited response.
    Expedite {
        ticket_id: i64,
        consent: NewExpedite,
    },
    /// Says when the customer can be reached about a ticket (`None`: takes
    /// it back). `ticket_id` is `None` while the ticket itself waits in the
    /// outbox as item `after_item`; it is filled in once the helpdesk has it.
    SetAvailability {
        ticket_id: Option<i64>,
        after_item: Option<i64>,
        availability: Option<Availability>,
    },
}

/// The payload of [`Write::SetAvailability`].
#[derive(serde::Serialize, serde::Deserialize)]
struct AvailabilityFor {
    after_item: Option<i64>,
    availability: Option<Availability>,
}

/// The payload of [`Write::Attachments`].
#[derive(serde::Serialize, serde::Deserialize)]
struct FilesFor {
    message_id: Option<i64>,
}

/// How an answer to one of the provider's requests is kept in the outbox:
/// the request's id travels in the payload (the `ticket_id` column is only
/// ever a ticket's).
#[derive(serde::Serialize, serde::Deserialize)]
struct Answer<T> {
    id: i64,
    answer: T,
}

impl Write {
    fn kind(&self) -> OutboxKind {
        match self {
            Self::NewTicket(_) => OutboxKind::NewTicket,
            Self::Reply { .. } => OutboxKind::Reply,
            Self::Reopen { .. } => OutboxKind::Reopen,
            Self::Attachments { .. } => OutboxKind::Attachments,
            Self::AnswerRemoteSession { .. } => OutboxKind::RemoteSessionAnswer,
            Self::AnswerOrderDelay { .. } => OutboxKind::OrderDelayAnswer,
            Self::Expedite { .. } => OutboxKind::Expedite,
            Self::SetAvailability { .. } => OutboxKind::SetAvailability,
        }
    }

    fn ticket_id(&self) -> Option<i64> {
        match self {
            Self::NewTicket(_)
            | Self::AnswerRemoteSession { .. }
            | Self::AnswerOrderDelay { .. } => None,
            Self::Reply { ticket_id, .. }
            | Self::Reopen { ticket_id, .. }
            | Self::Attachments { ticket_id, .. }
            | Self::Expedite { ticket_id, .. } => Some(*ticket_id),
            Self::SetAvailability { ticket_id, .. } => *ticket_id,
        }
    }

    fn payload(&self) -> Result<String> {
        match self {
            Self::NewTicket(t) => serde_json::to_string(t),
            Self::Reply { message, .. } => serde_json::to_string(message),
            Self::Reopen { reopen, .. } => serde_json::to_string(reopen),
            Self::Attachments { message_id, .. } => serde_json::to_string(&FilesFor {
                message_id: *message_id,
            }),
            Self::AnswerRemoteSession {
                remote_session_id,
                answer,
            } => serde_json::to_string(&Answer {
                id: *remote_session_id,
                answer,
            }),
            Self::AnswerOrderDelay {
                order_delay_id,
                answer,
            } => serde_json::to_string(&Answer {
                id: *order_delay_id,
                answer,
            }),
            Self::Expedite { consent, .. } => serde_json::to_string(consent),
            Self::SetAvailability {
                after_item,
                availability,
                ..
            } => serde_json::to_string(&AvailabilityFor {
                after_item: *after_item,
                availability: availability.clone(),
            }),
        }
        .map_err(|e| CoreError::Cache(format!("cannot queue the write: {e}")))
    }

    fn read(local_id: i64, kind: &str, ticket_id: Option<i64>, payload: &str) -> Result<Self> {
        let unreadable =
            |e: String| CoreError::Cache(format!("outbox item {local_id} is unreadable: {e}"));
        let kind = OutboxKind::parse(kind).ok_or_else(|| unreadable(format!("kind {kind:?}")))?;
        let for_ticket = ticket_id;
        let ticket_id = || ticket_id.ok_or_else(|| unreadable("no ticket id".into()));
        Ok(match kind {
            OutboxKind::NewTicket => Self::NewTicket(
                serde_json::from_str(payload).map_err(|e| unreadable(e.to_string()))?,
            ),
            OutboxKind::Reply => Self::Reply {
                ticket_id: ticket_id()?,
                message: serde_json::from_str(payload).map_err(|e| unreadable(e.to_string()))?,
            },
            OutboxKind::Reopen => Self::Reopen {
                ticket_id: ticket_id()?,
                reopen: serde_json::from_str(payload).map_err(|e| unreadable(e.to_string()))?,
            },
            OutboxKind::Attachments => Self::Attachments {
                ticket_id: ticket_id()?,
                message_id: serde_json::from_str::<FilesFor>(payload)
                    .map_err(|e| unreadable(e.to_string()))?
                    .message_id,
            },
            OutboxKind::RemoteSessionAnswer => {
                let Answer { id, answer } =
                    serde_json::from_str(payload).map_err(|e| unreadable(e.to_string()))?;
                Self::AnswerRemoteSession {
                    remote_session_id: id,
                    answer,
                }
            }
            OutboxKind::OrderDelayAnswer => {
                let Answer { id, answer } =
                    serde_json::from_str(payload).map_err(|e| unreadable(e.to_string()))?;
                Self::AnswerOrderDelay {
                    order_delay_id: id,
                    answer,
                }
            }
            OutboxKind::Expedite => Self::Expedite {
                ticket_id: ticket_id()?,
                consent: serde_json::from_str(payload).map_err(|e| unreadable(e.to_string()))?,
            },
            OutboxKind::SetAvailability => {
                let AvailabilityFor {
                    after_item,
                    availability,
                } = serde_json::from_str(payload).map_err(|e| unreadable(e.to_string()))?;
                Self::SetAvailability {
                    ticket_id: for_ticket,
                    after_item,
                    availability,
                }
            }
        })
    }
}

/// An item ready to send, with what sending needs.
#[derive(Debug, Clone)]
pub struct QueuedWrite {
    pub local_id: i64,
    pub idempotency_key: String,
    pub attempts: i64,
    pub write: Write,
    /// The files it sends after its text, in order.
    pub files: Vec<OutboxFile>,
}

/// A file of an outbox item.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutboxFile {
    /// Its place among the item's files, from 0.
    pub position: u32,
    /// Its copy in `attachments/outgoing/`.
    pub local_name: String,
    pub file_name: String,
    pub kind: AttachmentKind,
    pub size_bytes: i64,
    pub sha256: String,
    /// Set once the helpdesk has it.
    pub attachment_id: Option<i64>,
}

/// What the helpdesk made of a write it accepted.
#[derive(Debug, Clone)]
pub enum Delivered {
    Ticket(Box<Ticket>),
    /// A reply, or the details a ticket was reopened with (`reopened`).
    Message {
        message: Message,
        reopened: bool,
    },
    /// The files of an item whose text was delivered before (in an earlier
    /// try, or by another process).
    Files {
        ticket_id: i64,
        /// What this try sent.
        attachments: Vec<Attachment>,
    },
    /// A remote-session request as answered.
    RemoteSession(RemoteSession),
    /// An order-delay request as answered.
    OrderDelay(Box<OrderDelayRequest>),
    /// A ticket's expedited response as bought.
    Expedited(ExpediteRequest),
}

/// How one try at sending an item ended.
#[derive(Debug, Clone)]
pub enum Attempt {
    /// Accepted: the item leaves the outbox and what it made enters the cache.
    Sent(Delivered),
    /// Refused for good (a 4xx): kept, marked failed with the helpdesk's word.
    Refused(ErrorResponse),
    /// Did not get through (network, 5xx, 429): try again at `retry_at`.
    Postponed {
        error: ErrorResponse,
        retry_at: DateTime<Utc>,
    },
}

const ITEM_COLUMNS: &str =
    "id, kind, ticket_id, state, payload, attempts, error_code, error_message, created_at";

impl Cache {
    /// Commits a write to the outbox; returns the item as the UI shows it.
    pub async fn queue(&self, account: Account, write: Write) -> Result<OutboxItem> {
        self.queue_from_draft(account, write, None).await
    }

    /// Commits a write to the outbox and, in the same transaction, deletes the
    /// draft it was written in (if any): after a crash there is one or the other.
    pub async fn queue_from_draft(
        &self,
        account: Account,
        write: Write,
        draft_id: Option<String>,
    ) -> Result<OutboxItem> {
        self.queue_with_files(account, write, draft_id, Vec::new())
            .await
    }

    /// Like [`Cache::queue_from_draft`], with files (already copied into
    /// `attachments/outgoing/`) sent after the write, all in one transaction.
    pub async fn queue_with_files(
        &self,
        account: Account,
        write: Write,
        draft_id: Option<String>,
        files: Vec<StagedFile>,
    ) -> Result<OutboxItem> {
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

    /// Commits a new ticket to the outbox.
    pub async fn queue_ticket(&self, account: Account, ticket: NewTicket) -> Result<OutboxItem> {
        self.queue(account, Write::NewTicket(ticket)).await
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

    /// Records how a try ended; a sent item leaves the outbox and its ticket
    /// enters the cache in the same transaction.
    pub async fn record_attempt(&self, local_id: i64, attempt: Attempt) -> Result<()> {
        self.call(move |c| {
            let tx = c.transaction()?;
            match attempt {
                Attempt::Sent(delivered) => {
                    store_delivered(&tx, &delivered)?;
                    super::availability::adopt_filed_ticket(&tx, local_id, &delivered)?;
                    tx.execute("DELETE FROM outbox WHERE id = ?1", [local_id])?;
                }
                Attempt::Refused(error) => {
                    tx.execute(
                        "UPDATE outbox SET state = 'failed', attempts = attempts + 1,
                           error_code = ?2, error_message = ?3 WHERE id = ?1",
                        params![local_id, code_text(error.code), error.message],
                    )?;
                }
                Attempt::Postponed { error, retry_at } => {
                    tx.execute(
                        "UPDATE outbox SET attempts = attempts + 1, error_code = ?2,
                           error_message = ?3, next_attempt_at = ?4 WHERE id = ?1",
                        params![
                            local_id,
                            code_text(error.code),
                            error.message,
                            stamp(&retry_at)
                        ],
                    )?;
                }
            }
            tx.commit()?;
            Ok(())
        })
        .await
    }

    /// The helpdesk has the text of an item that also sends files: what it
    /// made enters the cache and the item becomes the sending of the rest of
    /// its files ([`Write::Attachments`]), keeping its key and its place in
    /// line, in one transaction.
    pub async fn record_progress(&self, local_id: i64, delivered: Delivered) -> Result<()> {
        let (ticket_id, message_id) = match &delivered {
            Delivered::Ticket(ticket) => (ticket.id, None),
            Delivered::Message { message, .. } => (message.ticket_id, Some(message.id)),
            Delivered::Files { ticket_id, .. } => (*ticket_id, None),
            Delivered::RemoteSession(_) | Delivered::OrderDelay(_) | Delivered::Expedited(_) => {
                return Err(CoreError::Cache(format!(
                    "outbox item {local_id} sends no files"
                )));
            }
        };
        let write = Write::Attachments {
            ticket_id,
            message_id,
        };
        let payload = write.payload()?;
        self.call(move |c| {
            let tx = c.transaction()?;
            store_delivered(&tx, &delivered)?;
            super::availability::adopt_filed_ticket(&tx, local_id, &delivered)?;
            tx.execute(
                "UPDATE outbox SET kind = ?2, ticket_id = ?3, payload = ?4
                 WHERE id = ?1 AND kind <> ?2",
                params![local_id, write.kind().as_str(), ticket_id, payload],
            )?;
            tx.commit()?;
            Ok(())
        })
        .await
    }

    /// The helpdesk has file `position` of the item: it is marked sent and
    /// its metadata enters the cache, in one transaction.
    pub async fn record_upload(
        &self,
        local_id: i64,
        position: u32,
        attachment: Attachment,
    ) -> Result<()> {
        self.call(move |c| {
            let tx = c.transaction()?;
            upsert_attachment(&tx, &attachment)?;
            tx.execute(
                "UPDATE outbox_files SET attachment_id = ?3 WHERE outbox_id = ?1 AND position = ?2",
                params![local_id, position, attachment.id],
            )?;
            tx.commit()?;
            Ok(())
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

fn code_text(code: ErrorCode) -> String {
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

/// Puts in what the helpdesk made of a delivered write (a sent item's text,
/// or the text of an item whose files follow).
fn store_delivered(c: &rusqlite::Connection, delivered: &Delivered) -> Result<()> {
    match delivered {
        Delivered::Ticket(ticket) => upsert(c, ticket)?,
        Delivered::Message { message, reopened } => {
            upsert_message(c, message)?;
            // The list shows the new activity (and a reopened ticket as
            // open) before the next pull confirms it.
            let status = if *reopened { Some("open") } else { None };
            c.execute(
                "UPDATE tickets SET updated_at = ?2, status = COALESCE(?3, status)
                 WHERE id = ?1",
                params![message.ticket_id, stamp(&message.created_at), status],
            )?;
            if *reopened {
                c.execute(
                    "UPDATE ticket_extras SET reopen_until = NULL WHERE ticket_id = ?1",
                    [message.ticket_id],
                )?;
            }
        }
        Delivered::Files { .. } => {}
        Delivered::RemoteSession(session) => super::notices::upsert_remote_session(c, session)?,
        Delivered::OrderDelay(request) => super::notices::upsert_order_delay(c, request)?,
        // The ticket shows it before the next pull confirms it.
        Delivered::Expedited(request) => {
            c.execute(
                "UPDATE tickets SET expedited = 1, expedited_at = COALESCE(expedited_at, ?2)
                 WHERE id = ?1",
                params![request.ticket_id, stamp(&request.requested_at)],
            )?;
        }
    }
    Ok(())
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
            Write::AnswerOrderDelay { answer, .. } => (
                first_line(&answer.answer),
                None,
                Some(answer.answer.clone()),
            ),
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
