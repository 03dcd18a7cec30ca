//! What to notify the user about, decided as sync pages are applied, and
//! kept so that nothing is notified twice (`0014_notifications.sql`).
//!
//! A page is compared with the cache before it is applied, inside the page's
//! transaction: an agent's message the cache did not have, a ticket whose
//! status moved to waiting for the customer, resolved or closed, a ticket
//! that became expedited, an announcement, a remote-session request or an
//! order-delay request the cache did not have. The user's own writes are
//! never among them (customers' messages are never notified; customers
//! cannot set those statuses; the user's own writes reach the cache with the
//! helpdesk's answer, before any pull brings them). Until a sync has once
//! reached the end (a fresh cache, or sync started over) nothing is noted:
//! what it brings is old.

use chrono::Utc;
use deskmate_api::{
    AuthorKind, NotifyKind, OrderDelayStatus, RemoteSessionStatus, SyncPage, TicketStatus,
};
use rusqlite::{Connection, OptionalExtension, params};

use super::Cache;
use super::tickets::stamp;
use crate::Result;

/// Meta key set once a sync has reached its end: from then on, what a page
/// brings is news.
pub(super) const READY: &str = "notify_ready";

/// Notes, inside the transaction of `page` and before it is applied, what
/// in it deserves a notification.
pub(super) fn note_page(c: &Connection, page: &SyncPage) -> Result<()> {
    let ready: bool = c
        .query_row("SELECT 1 FROM meta WHERE key = ?1", [READY], |_| Ok(()))
        .optional()?
        .is_some();
    if !ready {
        if !page.more {
            c.execute(
                "INSERT OR REPLACE INTO meta (key, value) VALUES (?1, '1')",
                [READY],
            )?;
        }
        return Ok(());
    }
    let known = |sql: &str, id: i64| -> Result<bool> {
        Ok(c.prepare_cached(sql)?
            .query_row([id], |_| Ok(()))
            .optional()?
            .is_some())
    };
    // An agent's answer puts its ticket in waiting for the customer: the reply says so.
    let mut answered = Vec::new();
    for m in &page.messages {
        if m.author_kind == AuthorKind::Agent
            && !m.internal
            && !known("SELECT 1 FROM messages WHERE id = ?1", m.id)?
        {
            answered.push(m.ticket_id);
            note(
                c,
                &format!("reply:{}", m.id),
                NotifyKind::Reply,
                Some(m.ticket_id),
                Some(m.id),
                None,
            )?;
        }
    }
    for t in &page.tickets {
        let before: Option<(String, bool)> = c
            .prepare_cached("SELECT status, expedited FROM tickets WHERE id = ?1")?
            .query_row([t.id], |r| Ok((r.get(0)?, r.get(1)?)))
            .optional()?;
        let Some((status, expedited)) = before else {
            continue;
        };
        let told = matches!(
            t.status,
            TicketStatus::WaitingForCustomer | TicketStatus::Resolved | TicketStatus::Closed
        );
        let implied = t.status == TicketStatus::WaitingForCustomer && answered.contains(&t.id);
        if told && !implied && status != t.status.as_str() {
            let key = format!("status:{}:{}:{}", t.id, t.status, stamp(&t.updated_at));
            note(
                c,
                &key,
                NotifyKind::Status,
                Some(t.id),
                None,
                Some(t.status.as_str()),
            )?;
        }
        if t.expedited && !expedited {
            let since = t.expedited_at.as_ref().map(stamp).unwrap_or_default();
            let key = format!("expedite:{}:{since}", t.id);
            note(c, &key, NotifyKind::Expedite, Some(t.id), None, None)?;
        }
    }
    let now = Utc::now();
    for a in &page.announcements {
        let over = a.ends_at.is_some_and(|end| end <= now);
        if !over && !known("SELECT 1 FROM announcements WHERE id = ?1", a.id)? {
            let key = format!("announcement:{}", a.id);
            note(
                c,
                &key,
                NotifyKind::Announcement,
                None,
                Some(a.id),
                Some(a.kind.as_str()),
            )?;
        }
    }
    for s in &page.remote_sessions {
        if s.status == RemoteSessionStatus::Requested
            && !known("SELECT 1 FROM remote_sessions WHERE id = ?1", s.id)?
        {
            let key = format!("remote_session:{}", s.id);
            note(
                c,
                &key,
                NotifyKind::RemoteSession,
                Some(s.ticket_id),
                Some(s.id),
                None,
            )?;
        }
    }
    for o in &page.order_delays {
        if o.status == OrderDelayStatus::Open
            && !known("SELECT 1 FROM order_delays WHERE id = ?1", o.id)?
        {
            let key = format!("order_delay:{}", o.id);
            note(c, &key, NotifyKind::OrderDelay, None, Some(o.id), None)?;
        }
    }
    Ok(())
}

/// Keeps one event to notify; a key seen before adds nothing.
fn note(
    c: &Connection,
    key: &str,
    kind: NotifyKind,
    ticket_id: Option<i64>,
    record_id: Option<i64>,
    detail: Option<&str>,
) -> Result<()> {
    c.prepare_cached(
        "INSERT OR IGNORE INTO notifications (key, kind, ticket_id, record_id, detail, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
    )?
    .execute(params![
        key,
        kind.as_str(),
        ticket_id,
        record_id,
        detail,
        stamp(&Utc::now())
    ])?;
    Ok(())
}

/// One event to tell the user about, with what its wording needs from the cache.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Noted {
    pub kind: NotifyKind,
    pub ticket_id: Option<i64>,
    /// The ticket's subject, when it is about a cached ticket.
    pub subject: Option<String>,
    /// The new status of a status change; the announcement's kind.
    pub detail: Option<String>,
    /// Who: the agent who answered, the consultant asking.
    pub who: Option<String>,
    /// What: the answer, the reason, the question, the announcement's title.
    pub text: Option<String>,
}

/// What [`Cache::take_notifications`] found.
#[derive(Debug, Default, Clone, PartialEq, Eq)]
pub struct Taken {
    /// To show now, oldest first.
    pub show: Vec<Noted>,
    /// What waited (paused, quiet hours) and is over now: one summary.
    pub waited: Vec<NotifyKind>,
}

impl Cache {
    /// Decides, in one transaction, what happens to the events not yet
    /// looked at: muted kinds are dropped, and while `hold` they wait; else
    /// they are marked shown and returned, with what waited before (marked
    /// summarised). What is returned is never returned again.
    pub async fn take_notifications(&self, muted: Vec<NotifyKind>, hold: bool) -> Result<Taken> {
        self.call(move |c| {
            let tx = c.transaction()?;
            for kind in &muted {
                tx.execute(
                    "UPDATE notifications SET state = 'muted'
                     WHERE state IN ('pending', 'held') AND kind = ?1",
                    [kind.as_str()],
                )?;
            }
            if hold {
                tx.execute(
                    "UPDATE notifications SET state = 'held' WHERE state = 'pending'",
                    [],
                )?;
                tx.commit()?;
                return Ok(Taken::default());
            }
            let mut taken = Taken::default();
            {
                let mut stmt = tx.prepare(
                    "SELECT kind FROM notifications WHERE state = 'held' ORDER BY created_at, key",
                )?;
                let kinds = stmt.query_map([], |r| r.get::<_, String>(0))?;
                for kind in kinds {
                    taken.waited.extend(NotifyKind::parse(&kind?));
                }
                let mut stmt = tx.prepare(
                    "SELECT n.kind, n.ticket_id, n.record_id, n.detail, t.subject
                     FROM notifications n LEFT JOIN tickets t ON t.id = n.ticket_id
                     WHERE n.state = 'pending' ORDER BY n.created_at, n.key",
                )?;
                let rows = stmt.query_map([], |r| {
                    Ok((
                        r.get::<_, String>(0)?,
                        r.get::<_, Option<i64>>(1)?,
                        r.get::<_, Option<i64>>(2)?,
                        r.get::<_, Option<String>>(3)?,
                        r.get::<_, Option<String>>(4)?,
                    ))
                })?;
                for row in rows {
                    let (kind, ticket_id, record_id, detail, subject) = row?;
                    let Some(kind) = NotifyKind::parse(&kind) else {
                        continue;
                    };
                    let (who, text) = facts(&tx, kind, record_id)?;
                    taken.show.push(Noted {
                        kind,
                        ticket_id,
                        subject,
                        detail,
                        who,
                        text,
                    });
                }
            }
            tx.execute(
                "UPDATE notifications SET state = 'summarised' WHERE state = 'held'",
                [],
            )?;
            tx.execute(
                "UPDATE notifications SET state = 'shown' WHERE state = 'pending'",
                [],
            )?;
            tx.commit()?;
            Ok(taken)
        })
        .await
    }

    /// Whether events wait for a pause or quiet hours to end.
    pub async fn notifications_held(&self) -> Result<bool> {
        self.call(|c| {
            Ok(c.query_row(
                "SELECT 1 FROM notifications WHERE state = 'held' LIMIT 1",
                [],
                |_| Ok(()),
            )
            .optional()?
            .is_some())
        })
        .await
    }
}

/// Who and what of the record an event names, from the cache.
fn facts(
    c: &Connection,
    kind: NotifyKind,
    record_id: Option<i64>,
) -> Result<(Option<String>, Option<String>)> {
    let Some(id) = record_id else {
        return Ok((None, None));
    };
    let sql = match kind {
        NotifyKind::Reply => "SELECT author_name, body FROM messages WHERE id = ?1",
        NotifyKind::RemoteSession => {
            "SELECT json_extract(record, '$.requested_by_name'), json_extract(record, '$.reason')
             FROM remote_sessions WHERE id = ?1"
        }
        NotifyKind::Announcement => {
            "SELECT NULL, json_extract(record, '$.title') FROM announcements WHERE id = ?1"
        }
        NotifyKind::OrderDelay => {
            "SELECT json_extract(record, '$.order_number'), json_extract(record, '$.question')
             FROM order_delays WHERE id = ?1"
        }
        NotifyKind::Status | NotifyKind::Expedite => return Ok((None, None)),
    };
    Ok(c.prepare_cached(sql)?
        .query_row([id], |r| Ok((r.get(0)?, r.get(1)?)))
        .optional()?
        .unwrap_or((None, None)))
}
