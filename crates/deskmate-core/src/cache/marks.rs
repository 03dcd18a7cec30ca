//! What the cache keeps about tickets beyond the helpdesk's copy: which ones
//! each account has read, and the last word on a ticket's place in the
//! provider's queue.

use chrono::{DateTime, Utc};
use rusqlite::{OptionalExtension, named_params, params};

use super::Cache;
use super::outbox::Account;
use super::tickets::{stamp, timestamp};
use crate::Result;

/// A ticket's place in the queue of tickets waiting for the provider's first
/// answer, as the helpdesk said at `checked_at`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct QueueFacts {
    pub position: Option<i64>,
    pub first_response_due_at: Option<DateTime<Utc>>,
    pub checked_at: DateTime<Utc>,
}

/// Joins each ticket `t` to `s`, its `ticket_seen` row for the account
/// `:server_url`, `:user_id` (if it has one).
pub(super) const SEEN_BY: &str = "LEFT JOIN ticket_seen s ON s.ticket_id = t.id
     AND s.server_url = :server_url AND s.user_id = :user_id";

/// Ticket `t` (joined by [`SEEN_BY`]) is unread: an answer of the provider
/// newer than the account last saw, or filed by someone else and never opened.
pub(super) const UNREAD: &str = "((s.ticket_id IS NULL AND t.requester_id != :user_id)
     OR EXISTS (SELECT 1 FROM messages m WHERE m.ticket_id = t.id
         AND m.author_kind = 'agent' AND m.internal = 0
         AND m.id > COALESCE(s.last_message_id, 0)))";

/// The newest answer of the provider in a ticket's cached conversation (0: none).
const NEWEST_ANSWER: &str = "SELECT COALESCE(MAX(id), 0) FROM messages
     WHERE ticket_id = ?1 AND author_kind = 'agent' AND internal = 0";

impl Cache {
    /// Keeps what the helpdesk just said about the ticket's place in the queue.
    pub async fn store_queue_facts(&self, ticket_id: i64, facts: QueueFacts) -> Result<()> {
        self.call(move |c| {
            c.execute(
                "INSERT INTO ticket_extras (ticket_id, queue_position, first_response_due_at,
                   queue_checked_at) VALUES (?1, ?2, ?3, ?4)
                 ON CONFLICT (ticket_id) DO UPDATE SET queue_position = excluded.queue_position,
                   first_response_due_at = excluded.first_response_due_at,
                   queue_checked_at = excluded.queue_checked_at",
                params![
                    ticket_id,
                    facts.position,
                    facts.first_response_due_at.as_ref().map(stamp),
                    stamp(&facts.checked_at),
                ],
            )?;
            Ok(())
        })
        .await
    }

    /// The last word on the ticket's place in the queue, if the helpdesk gave
    /// one. Nothing once the cache holds an answer of the provider (the
    /// ticket no longer waits, whatever the helpdesk said before).
    pub async fn queue_facts(&self, ticket_id: i64) -> Result<Option<QueueFacts>> {
        self.call(move |c| {
            let answered: i64 = c.query_row(NEWEST_ANSWER, [ticket_id], |r| r.get(0))?;
            if answered > 0 {
                return Ok(None);
            }
            let row: Option<(Option<i64>, Option<String>, Option<String>)> = c
                .query_row(
                    "SELECT queue_position, first_response_due_at, queue_checked_at
                     FROM ticket_extras WHERE ticket_id = ?1",
                    [ticket_id],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
                )
                .optional()?;
            let Some((position, due, Some(checked))) = row else {
                return Ok(None);
            };
            if position.is_none() && due.is_none() {
                return Ok(None);
            }
            Ok(Some(QueueFacts {
                position,
                first_response_due_at: due.as_deref().map(timestamp).transpose()?,
                checked_at: timestamp(&checked)?,
            }))
        })
        .await
    }

    /// Records that `account` has read the ticket as cached now: every answer
    /// of the provider there is counts as seen (never moves backwards).
    pub async fn mark_seen(&self, account: Account, ticket_id: i64) -> Result<()> {
        self.call(move |c| {
            let newest: i64 = c.query_row(NEWEST_ANSWER, [ticket_id], |r| r.get(0))?;
            c.execute(
                "INSERT INTO ticket_seen (server_url, user_id, ticket_id, last_message_id, seen_at)
                 VALUES (?1, ?2, ?3, ?4, ?5)
                 ON CONFLICT (server_url, user_id, ticket_id) DO UPDATE SET
                   last_message_id = MAX(last_message_id, excluded.last_message_id),
                   seen_at = excluded.seen_at",
                params![
                    account.server_url,
                    account.user_id,
                    ticket_id,
                    newest,
                    stamp(&Utc::now())
                ],
            )?;
            Ok(())
        })
        .await
    }

    /// The cached tickets `account` has not read, by id: those with an answer
    /// of the provider newer than when the account last opened them, and
    /// those filed by someone else that it never opened.
    pub async fn unread(&self, account: Account) -> Result<Vec<i64>> {
        self.call(move |c| {
            let mut stmt = c.prepare_cached(&format!(
                "SELECT t.id FROM tickets t {SEEN_BY} WHERE {UNREAD} ORDER BY t.id"
            ))?;
            let ids = stmt
                .query_map(
                    named_params! {":server_url": account.server_url, ":user_id": account.user_id},
                    |r| r.get(0),
                )?
                .collect::<rusqlite::Result<Vec<i64>>>()?;
            Ok(ids)
        })
        .await
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use deskmate_api::{AuthorKind, Department, Message, Priority, Ticket, TicketStatus};

    fn ticket(id: i64, requester_id: i64) -> Ticket {
        let at = Utc::now();
        Ticket {
            id,
            organisation_id: 1,
            requester_id,
            requester_name: "Someone".into(),
            department: Department::Technical,
            priority: Priority::Regular,
            status: TicketStatus::Open,
            subject: format!("ticket {id}"),
            body: "body".into(),
            details: Default::default(),
            created_at: at,
            updated_at: at,
            expedited: false,
            expedited_at: None,
            availability: None,
        }
    }

    fn message(id: i64, ticket_id: i64, kind: AuthorKind, internal: bool) -> Message {
        Message {
            id,
            ticket_id,
            author_id: 9,
            author_name: "Agnese".into(),
            author_kind: kind,
            body: format!("message {id}"),
            internal,
            created_at: Utc::now(),
        }
    }

    fn me() -> Account {
        Account {
            server_url: "http://helpdesk.test".into(),
            user_id: 7,
        }
    }

    async fn cache() -> (tempfile::TempDir, Cache) {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::open(dir.path().join("c.sqlite3")).await.unwrap();
        (dir, cache)
    }

    async fn add_message(cache: &Cache, m: Message) {
        cache
            .call(move |c| super::super::messages::upsert_message(c, &m))
            .await
            .unwrap();
    }

    #[tokio::test]
    async fn unread_follows_the_providers_answers_and_who_filed() {
        let (_dir, cache) = cache().await;
        cache.upsert_ticket(ticket(1, 7)).await.unwrap(); // mine
        cache.upsert_ticket(ticket(2, 8)).await.unwrap(); // a colleague's
        assert_eq!(cache.unread(me()).await.unwrap(), vec![2]);

        // A customer's message or an internal note is no answer to read.
        add_message(&cache, message(10, 1, AuthorKind::Customer, false)).await;
        add_message(&cache, message(11, 1, AuthorKind::Agent, true)).await;
        assert_eq!(cache.unread(me()).await.unwrap(), vec![2]);

        add_message(&cache, message(12, 1, AuthorKind::Agent, false)).await;
        assert_eq!(cache.unread(me()).await.unwrap(), vec![1, 2]);

        cache.mark_seen(me(), 1).await.unwrap();
        cache.mark_seen(me(), 2).await.unwrap();
        assert!(cache.unread(me()).await.unwrap().is_empty());
        // Another account on this computer has read nothing.
        let other = Account { user_id: 8, ..me() };
        assert_eq!(cache.unread(other).await.unwrap(), vec![1]);

        add_message(&cache, message(13, 2, AuthorKind::Agent, false)).await;
        assert_eq!(cache.unread(me()).await.unwrap(), vec![2]);
    }

    #[tokio::test]
    async fn queue_facts_are_kept_until_the_provider_answers() {
        let (_dir, cache) = cache().await;
        cache.upsert_ticket(ticket(1, 7)).await.unwrap();
        assert_eq!(cache.queue_facts(1).await.unwrap(), None);
        let facts = QueueFacts {
            position: Some(3),
            first_response_due_at: Some(Utc::now() + chrono::Duration::hours(4)),
            checked_at: Utc::now(),
        };
        cache.store_queue_facts(1, facts).await.unwrap();
        let kept = cache.queue_facts(1).await.unwrap().unwrap();
        assert_eq!(kept.position, Some(3));
        assert_eq!(
            kept.first_response_due_at.map(|t| t.timestamp_micros()),
            facts.first_response_due_at.map(|t| t.timestamp_micros())
        );
        add_message(&cache, message(12, 1, AuthorKind::Agent, false)).await;
        assert_eq!(cache.queue_facts(1).await.unwrap(), None);
    }
}
