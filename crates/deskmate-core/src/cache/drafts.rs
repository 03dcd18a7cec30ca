//! Drafts: unsent forms saved as the user types (schema: `migrations/0005_drafts.sql`).
//!
//! Saving is one upsert statement (it runs on every pause in typing). Filing
//! a ticket or sending a reply from a draft deletes the draft in the same
//! transaction that queues the write ([`Cache::queue`]).

use chrono::Utc;
use deskmate_api::{Draft, DraftInput, DraftKind, NewTicket};
use rusqlite::{Row, params};
use serde::{Deserialize, Serialize};

use super::Cache;
use super::outbox::{Account, first_line};
use super::tickets::{stamp, timestamp};
use crate::{CoreError, Result};

/// The stored form of a draft.
#[derive(Serialize, Deserialize)]
#[serde(untagged)]
enum Payload {
    Ticket(Box<NewTicket>),
    Text { text: String },
}

/// The id a reply draft for `ticket_id` always has: one per ticket.
pub fn reply_draft_id(ticket_id: i64) -> String {
    format!("reply:{ticket_id}")
}

/// Checks a draft to save; returns its id, kind text, ticket id and payload.
fn prepare(input: DraftInput) -> Result<(String, DraftKind, Option<i64>, String)> {
    let invalid = |m: &str| CoreError::Invalid(m.to_owned());
    let (id, ticket_id, payload) = match input.kind {
        DraftKind::NewTicket => {
            let ticket = input
                .ticket
                .ok_or_else(|| invalid("a new-ticket draft needs its ticket"))?;
            let id = match input.id {
                Some(id) if id.starts_with("reply:") => {
                    return Err(invalid("a new-ticket draft cannot have a reply's id"));
                }
                Some(id) if !id.trim().is_empty() => id,
                _ => uuid::Uuid::new_v4().to_string(),
            };
            (id, None, Payload::Ticket(Box::new(ticket)))
        }
        DraftKind::Reply => {
            let ticket_id = input
                .ticket_id
                .ok_or_else(|| invalid("a reply draft needs its ticket id"))?;
            let text = input.text.unwrap_or_default();
            (
                reply_draft_id(ticket_id),
                Some(ticket_id),
                Payload::Text { text },
            )
        }
    };
    let payload = serde_json::to_string(&payload)
        .map_err(|e| CoreError::Cache(format!("cannot save the draft: {e}")))?;
    Ok((id, input.kind, ticket_id, payload))
}

const DRAFT_COLUMNS: &str = "id, kind, ticket_id, payload, updated_at";

fn read_draft(r: &Row<'_>) -> rusqlite::Result<Result<Draft>> {
    let id: String = r.get(0)?;
    let kind: String = r.get(1)?;
    let ticket_id: Option<i64> = r.get(2)?;
    let payload: String = r.get(3)?;
    let updated_at: String = r.get(4)?;
    Ok((|| {
        let unreadable = |e: String| CoreError::Cache(format!("draft {id} is unreadable: {e}"));
        let kind = DraftKind::parse(&kind).ok_or_else(|| unreadable(format!("kind {kind:?}")))?;
        let payload: Payload =
            serde_json::from_str(&payload).map_err(|e| unreadable(e.to_string()))?;
        let (ticket, text, summary) = match payload {
            Payload::Ticket(t) => {
                let summary = first_line(&t.subject);
                (Some(*t), None, summary)
            }
            Payload::Text { text } => {
                let summary = first_line(&text);
                (None, Some(text), summary)
            }
        };
        Ok(Draft {
            id: id.clone(),
            kind,
            ticket_id,
            ticket,
            text,
            summary,
            updated_at: timestamp(&updated_at)?,
        })
    })())
}

impl Cache {
    /// Saves a draft (replacing the one with its id) in one statement.
    pub async fn save_draft(&self, account: Account, input: DraftInput) -> Result<Draft> {
        let (id, kind, ticket_id, payload) = prepare(input)?;
        let now = stamp(&Utc::now());
        self.call(move |c| {
            let mut stmt = c.prepare_cached(&format!(
                "INSERT INTO drafts (server_url, user_id, id, kind, ticket_id, payload, updated_at)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)
                 ON CONFLICT (server_url, user_id, id) DO UPDATE SET kind = excluded.kind,
                   ticket_id = excluded.ticket_id, payload = excluded.payload,
                   updated_at = excluded.updated_at
                 RETURNING {DRAFT_COLUMNS}"
            ))?;
            stmt.query_row(
                params![
                    account.server_url,
                    account.user_id,
                    id,
                    kind.as_str(),
                    ticket_id,
                    payload,
                    now
                ],
                read_draft,
            )?
        })
        .await
    }

    /// The account's drafts, most recently changed first.
    pub async fn drafts(&self, account: Account) -> Result<Vec<Draft>> {
        self.call(move |c| {
            let mut stmt = c.prepare_cached(&format!(
                "SELECT {DRAFT_COLUMNS} FROM drafts WHERE server_url = ?1 AND user_id = ?2
                 ORDER BY updated_at DESC, id"
            ))?;
            let rows = stmt.query_map(params![account.server_url, account.user_id], read_draft)?;
            rows.map(|r| r?).collect()
        })
        .await
    }

    /// Drops a draft. Returns `false` when the account has none with that id.
    pub async fn discard_draft(&self, account: Account, id: String) -> Result<bool> {
        self.call(move |c| {
            Ok(c.execute(
                "DELETE FROM drafts WHERE server_url = ?1 AND user_id = ?2 AND id = ?3",
                params![account.server_url, account.user_id, id],
            )? == 1)
        })
        .await
    }
}

pub(super) fn delete_draft(
    c: &rusqlite::Connection,
    account: &Account,
    id: &str,
) -> rusqlite::Result<usize> {
    c.execute(
        "DELETE FROM drafts WHERE server_url = ?1 AND user_id = ?2 AND id = ?3",
        params![account.server_url, account.user_id, id],
    )
}

#[cfg(test)]
mod tests {
    use deskmate_api::{Department, OutboxKind, Priority};

    use super::*;
    use crate::cache::{OutboxEntry, Write};

    fn account(user_id: i64) -> Account {
        Account {
            server_url: "https://help.example".into(),
            user_id,
        }
    }

    fn ticket_input(id: Option<&str>, subject: &str) -> DraftInput {
        DraftInput {
            id: id.map(str::to_owned),
            kind: DraftKind::NewTicket,
            ticket_id: None,
            ticket: Some(NewTicket::new(
                Department::Billing,
                Priority::Regular,
                subject,
                "body as typed  ",
            )),
            text: None,
        }
    }

    fn reply_input(ticket_id: i64, text: &str) -> DraftInput {
        DraftInput {
            id: None,
            kind: DraftKind::Reply,
            ticket_id: Some(ticket_id),
            ticket: None,
            text: Some(text.into()),
        }
    }

    async fn cache() -> (tempfile::TempDir, Cache) {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::open(dir.path().join("c.sqlite3")).await.unwrap();
        (dir, cache)
    }

    #[tokio::test]
    async fn saves_replaces_lists_and_discards_per_account() {
        let (_dir, cache) = cache().await;
        let a = cache
            .save_draft(account(1), ticket_input(None, "Inv"))
            .await
            .unwrap();
        assert_eq!(a.kind, DraftKind::NewTicket);
        let a2 = cache
            .save_draft(account(1), ticket_input(Some(&a.id), "Invoice wrong"))
            .await
            .unwrap();
        assert_eq!(a2.id, a.id);
        assert!(a2.updated_at >= a.updated_at);
        // One reply draft per ticket, whatever id is asked for.
        cache
            .save_draft(account(1), reply_input(7, "first"))
            .await
            .unwrap();
        let mut again = reply_input(7, "second\nline");
        again.id = Some("whatever".into());
        let reply = cache.save_draft(account(1), again).await.unwrap();
        assert_eq!(reply.id, reply_draft_id(7));
        assert_eq!(reply.summary, "second");
        cache
            .save_draft(account(2), ticket_input(None, "Someone else's"))
            .await
            .unwrap();

        let mine = cache.drafts(account(1)).await.unwrap();
        assert_eq!(mine.len(), 2, "{mine:?}");
        let ticket = mine.iter().find(|d| d.id == a.id).unwrap();
        assert_eq!(ticket.summary, "Invoice wrong");
        let t = ticket.ticket.as_ref().unwrap();
        assert_eq!(t.body, "body as typed  ", "kept exactly as typed");
        assert_eq!(t.department, Department::Billing);
        let reply = mine.iter().find(|d| d.kind == DraftKind::Reply).unwrap();
        assert_eq!(reply.ticket_id, Some(7));
        assert_eq!(reply.text.as_deref(), Some("second\nline"));

        assert!(!cache.discard_draft(account(2), a.id.clone()).await.unwrap());
        assert!(cache.discard_draft(account(1), a.id.clone()).await.unwrap());
        assert_eq!(cache.drafts(account(1)).await.unwrap().len(), 1);
        assert_eq!(cache.drafts(account(2)).await.unwrap().len(), 1);
    }

    #[tokio::test]
    async fn refuses_incomplete_drafts() {
        let (_dir, cache) = cache().await;
        let mut no_ticket = ticket_input(None, "x");
        no_ticket.ticket = None;
        assert!(cache.save_draft(account(1), no_ticket).await.is_err());
        let mut no_id = reply_input(1, "x");
        no_id.ticket_id = None;
        assert!(cache.save_draft(account(1), no_id).await.is_err());
        let taken = ticket_input(Some("reply:3"), "x");
        assert!(cache.save_draft(account(1), taken).await.is_err());
        assert!(cache.drafts(account(1)).await.unwrap().is_empty());
    }

    #[tokio::test]
    async fn queuing_from_a_draft_deletes_it_in_the_same_transaction() {
        let (_dir, cache) = cache().await;
        let draft = cache
            .save_draft(account(1), ticket_input(None, "File me"))
            .await
            .unwrap();
        let item = cache
            .queue(
                account(1),
                OutboxEntry {
                    write: Write::NewTicket(draft.ticket.clone().unwrap()),
                    draft_id: Some(draft.id.clone()),
                    files: Vec::new(),
                },
            )
            .await
            .unwrap();
        assert_eq!(item.kind, OutboxKind::NewTicket);
        assert!(cache.drafts(account(1)).await.unwrap().is_empty());
        assert_eq!(cache.outbox(account(1)).await.unwrap().len(), 1);

        // A write that fails to queue leaves the draft: a rolled back transaction.
        let draft = cache
            .save_draft(account(1), reply_input(9, "hello"))
            .await
            .unwrap();
        cache
            .call(|c| {
                c.execute_batch(
                    "CREATE TRIGGER no_replies BEFORE INSERT ON outbox
                     BEGIN SELECT RAISE(ABORT, 'refused'); END;",
                )?;
                Ok(())
            })
            .await
            .unwrap();
        let failed = cache
            .queue(
                account(1),
                OutboxEntry {
                    write: Write::Reply {
                        ticket_id: 9,
                        message: deskmate_api::NewMessage {
                            body: "hello".into(),
                            internal: false,
                        },
                    },
                    draft_id: Some(draft.id.clone()),
                    files: Vec::new(),
                },
            )
            .await;
        assert!(failed.is_err());
        assert_eq!(cache.drafts(account(1)).await.unwrap().len(), 1);
    }
}
