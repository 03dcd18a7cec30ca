//! The outbox: user writes committed locally before any network, drained in
//! order by [`crate::Core::drain_outbox`].

use chrono::{DateTime, Utc};
use deskmate_api::{
    ErrorCode, ErrorResponse, Message, NewMessage, NewTicket, OrderDelayAnswer, OrderDelayRequest,
    OutboxItem, OutboxKind, OutboxState, RemoteSession, RemoteSessionAnswer, ReopenTicket, Ticket,
};
use rusqlite::{OptionalExtension, Row, params};

use super::Cache;
use super::messages::upsert_message;
use super::tickets::{stamp, timestamp, upsert};
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
            Self::AnswerRemoteSession { .. } => OutboxKind::RemoteSessionAnswer,
            Self::AnswerOrderDelay { .. } => OutboxKind::OrderDelayAnswer,
        }
    }

    fn ticket_id(&self) -> Option<i64> {
        match self {
            Self::NewTicket(_)
            | Self::AnswerRemoteSession { .. }
            | Self::AnswerOrderDelay { .. } => None,
            Self::Reply { ticket_id, .. } | Self::Reopen { ticket_id, .. } => Some(*ticket_id),
        }
    }

    fn payload(&self) -> Result<String> {
        match self {
            Self::NewTicket(t) => serde_json::to_string(t),
            Self::Reply { message, .. } => serde_json::to_string(message),
            Self::Reopen { reopen, .. } => serde_json::to_string(reopen),
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
        }
        .map_err(|e| CoreError::Cache(format!("cannot queue the write: {e}")))
    }

    fn read(local_id: i64, kind: &str, ticket_id: Option<i64>, payload: &str) -> Result<Self> {
        let unreadable =
            |e: String| CoreError::Cache(format!("outbox item {local_id} is unreadable: {e}"));
        let kind = OutboxKind::parse(kind).ok_or_else(|| unreadable(format!("kind {kind:?}")))?;
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
    /// A remote-session request as answered.
    RemoteSession(RemoteSession),
    /// An order-delay request as answered.
    OrderDelay(Box<OrderDelayRequest>),
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
        let payload = write.payload()?;
        let key = uuid::Uuid::new_v4().to_string();
        let now = stamp(&Utc::now());
        self.call(move |c| {
            let tx = c.transaction()?;
            if let Some(draft_id) = &draft_id {
                super::drafts::delete_draft(&tx, &account, draft_id)?;
            }
            tx.execute(
                "INSERT INTO outbox (server_url, user_id, kind, ticket_id, idempotency_key,
                   payload, state, next_attempt_at, created_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'pending', ?7, ?7)",
                params![
                    account.server_url,
                    account.user_id,
                    write.kind().as_str(),
                    write.ticket_id(),
                    key,
                    payload,
                    now
                ],
            )?;
            let id = tx.last_insert_rowid();
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
            rows.map(|r| r?).collect()
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
            rows.map(|r| r?).collect()
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
                Attempt::Sent(Delivered::Ticket(ticket)) => {
                    upsert(&tx, &ticket)?;
                    tx.execute("DELETE FROM outbox WHERE id = ?1", [local_id])?;
                }
                Attempt::Sent(Delivered::Message { message, reopened }) => {
                    upsert_message(&tx, &message)?;
                    // The list shows the new activity (and a reopened ticket as
                    // open) before the next pull confirms it.
                    let status = if reopened { Some("open") } else { None };
                    tx.execute(
                        "UPDATE tickets SET updated_at = ?2, status = COALESCE(?3, status)
                         WHERE id = ?1",
                        params![message.ticket_id, stamp(&message.created_at), status],
                    )?;
                    if reopened {
                        tx.execute(
                            "UPDATE ticket_extras SET reopen_until = NULL WHERE ticket_id = ?1",
                            [message.ticket_id],
                        )?;
                    }
                    tx.execute("DELETE FROM outbox WHERE id = ?1", [local_id])?;
                }
                Attempt::Sent(Delivered::RemoteSession(session)) => {
                    super::notices::upsert_remote_session(&tx, &session)?;
                    tx.execute("DELETE FROM outbox WHERE id = ?1", [local_id])?;
                }
                Attempt::Sent(Delivered::OrderDelay(request)) => {
                    super::notices::upsert_order_delay(&tx, &request)?;
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

    /// Drops an item the user gave up on. Returns `false` when there is none.
    pub async fn discard_item(&self, local_id: i64) -> Result<bool> {
        self.call(move |c| Ok(c.execute("DELETE FROM outbox WHERE id = ?1", [local_id])? == 1))
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

fn code_text(code: ErrorCode) -> String {
    serde_json::to_value(code)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_else(|| "internal".to_owned())
}

fn item(c: &rusqlite::Connection, id: i64) -> Result<Option<OutboxItem>> {
    c.query_row(
        &format!("SELECT {ITEM_COLUMNS} FROM outbox WHERE id = ?1"),
        [id],
        read_item,
    )
    .optional()?
    .transpose()
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
