//! Tickets in the cache.

use chrono::{DateTime, SecondsFormat, Utc};
use deskmate_api::{Department, Priority, Ticket, TicketStatus};
use rusqlite::{Connection, OptionalExtension, Row, params};

use super::Cache;
use crate::{CoreError, Result};

pub(super) const COLUMNS: &str = "id, organisation_id, requester_id, requester_name, department, priority, \
                       status, subject, body, created_at, updated_at, details, expedited, expedited_at,
                       availability";

impl Cache {
    /// Every cached ticket, newest activity first.
    pub async fn tickets(&self) -> Result<Vec<Ticket>> {
        self.call(|c| {
            let mut stmt = c.prepare_cached(&format!(
                "SELECT {COLUMNS} FROM tickets ORDER BY updated_at DESC, id DESC"
            ))?;
            let rows = stmt.query_map([], read_row)?;
            rows.map(|r| r?).collect()
        })
        .await
    }

    /// Inserts or updates one ticket.
    pub async fn upsert_ticket(&self, ticket: Ticket) -> Result<()> {
        self.call(move |c| {
            upsert(c, &ticket)?;
            Ok(())
        })
        .await
    }

    /// Makes the cache hold exactly `tickets` (the server's complete visible
    /// list), in one transaction.
    pub async fn replace_tickets(&self, tickets: Vec<Ticket>) -> Result<()> {
        self.call(move |c| {
            let tx = c.transaction()?;
            tx.execute("DELETE FROM tickets", [])?;
            for t in &tickets {
                upsert(&tx, t)?;
            }
            tx.execute(
                "DELETE FROM messages WHERE ticket_id NOT IN (SELECT id FROM tickets)",
                [],
            )?;
            tx.execute(
                "DELETE FROM ticket_extras WHERE ticket_id NOT IN (SELECT id FROM tickets)",
                [],
            )?;
            tx.execute(
                "DELETE FROM attachments WHERE ticket_id NOT IN (SELECT id FROM tickets)",
                [],
            )?;
            tx.commit()?;
            Ok(())
        })
        .await
    }

    /// Forgets every ticket and conversation (another account signs in).
    pub async fn clear_tickets(&self) -> Result<()> {
        self.call(|c| {
            let tx = c.transaction()?;
            tx.execute_batch(
                "DELETE FROM tickets; DELETE FROM messages; DELETE FROM ticket_extras;
                 DELETE FROM attachments; DELETE FROM notifications;",
            )?;
            Cache::clear_notices(&tx)?;
            Cache::reset_sync_cursor(&tx)?;
            tx.commit()?;
            Ok(())
        })
        .await
    }

    /// One cached ticket.
    pub async fn ticket(&self, id: i64) -> Result<Option<Ticket>> {
        self.call(move |c| {
            c.query_row(
                &format!("SELECT {COLUMNS} FROM tickets WHERE id = ?1"),
                [id],
                read_row,
            )
            .optional()?
            .transpose()
        })
        .await
    }
}

pub(super) fn upsert(c: &Connection, t: &Ticket) -> Result<()> {
    c.prepare_cached(&format!(
        "INSERT INTO tickets ({COLUMNS}) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15)
         ON CONFLICT (id) DO UPDATE SET
           organisation_id = excluded.organisation_id, requester_id = excluded.requester_id,
           requester_name = excluded.requester_name, department = excluded.department,
           priority = excluded.priority, status = excluded.status, subject = excluded.subject,
           body = excluded.body, created_at = excluded.created_at, updated_at = excluded.updated_at,
           details = excluded.details, expedited = excluded.expedited,
           expedited_at = excluded.expedited_at, availability = excluded.availability"
    ))?
    .execute(params![
        t.id,
        t.organisation_id,
        t.requester_id,
        t.requester_name,
        t.department.as_str(),
        t.priority.as_str(),
        t.status.as_str(),
        t.subject,
        t.body,
        stamp(&t.created_at),
        stamp(&t.updated_at),
        serde_json::to_string(&t.details)
            .map_err(|e| CoreError::Cache(format!("cannot store ticket details: {e}")))?,
        t.expedited,
        t.expedited_at.as_ref().map(stamp),
        t.availability
            .as_ref()
            .map(serde_json::to_string)
            .transpose()
            .map_err(|e| CoreError::Cache(format!("cannot store availability: {e}")))?,
    ])?;
    Ok(())
}

/// Reads a row; a value this version cannot understand is a cache error, not a panic.
pub(super) fn read_row(r: &Row<'_>) -> rusqlite::Result<Result<Ticket>> {
    let department: String = r.get(4)?;
    let priority: String = r.get(5)?;
    let status: String = r.get(6)?;
    let created: String = r.get(9)?;
    let updated: String = r.get(10)?;
    let details: String = r.get(11)?;
    let expedited_at: Option<String> = r.get(13)?;
    let availability: Option<String> = r.get(14)?;
    let parsed = (|| {
        Ok(Ticket {
            id: r.get(0)?,
            organisation_id: r.get(1)?,
            requester_id: r.get(2)?,
            requester_name: r.get(3)?,
            department: Department::parse(&department)
                .ok_or_else(|| bad("department", &department))?,
            priority: Priority::parse(&priority).ok_or_else(|| bad("priority", &priority))?,
            status: TicketStatus::parse(&status).ok_or_else(|| bad("status", &status))?,
            subject: r.get(7)?,
            body: r.get(8)?,
            details: serde_json::from_str(&details).map_err(|_| bad("details", &details))?,
            created_at: timestamp(&created)?,
            updated_at: timestamp(&updated)?,
            expedited: r.get(12)?,
            expedited_at: expedited_at.as_deref().map(timestamp).transpose()?,
            availability: availability
                .as_deref()
                .map(serde_json::from_str)
                .transpose()
                .map_err(|_| bad("availability", availability.as_deref().unwrap_or("")))?,
        })
    })();
    Ok(parsed)
}

/// Fixed-width UTC text, so text order is time order.
pub(super) fn stamp(t: &DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Micros, true)
}

pub(super) fn bad(what: &str, value: &str) -> CoreError {
    CoreError::Cache(format!("unknown {what} {value:?} in the cache"))
}

pub(super) fn timestamp(s: &str) -> Result<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(s)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|_| bad("timestamp", s))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ticket(id: i64, minutes_ago: i64) -> Ticket {
        let at = Utc::now() - chrono::Duration::minutes(minutes_ago);
        Ticket {
            id,
            organisation_id: 1,
            requester_id: 2,
            requester_name: "Umberto".into(),
            department: Department::Technical,
            priority: Priority::High,
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

    #[tokio::test]
    async fn newest_activity_first_and_replace_is_exact() {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::open(dir.path().join("c.sqlite3")).await.unwrap();
        cache.upsert_ticket(ticket(1, 30)).await.unwrap();
        cache.upsert_ticket(ticket(2, 10)).await.unwrap();
        let ids: Vec<i64> = cache
            .tickets()
            .await
            .unwrap()
            .iter()
            .map(|t| t.id)
            .collect();
        assert_eq!(ids, vec![2, 1]);
        cache.replace_tickets(vec![ticket(3, 5)]).await.unwrap();
        let ids: Vec<i64> = cache
            .tickets()
            .await
            .unwrap()
            .iter()
            .map(|t| t.id)
            .collect();
        assert_eq!(ids, vec![3]);
    }
}
