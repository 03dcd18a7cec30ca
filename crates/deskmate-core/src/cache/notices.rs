//! The provider's notices in the cache: announcements and planned
//! maintenance, remote-session requests, order-delay requests. Sync pages
//! bring them ([`apply_page`]); an accepted answer from the outbox updates its
//! record at once ([`upsert_remote_session`], [`upsert_order_delay`]).

use chrono::{DateTime, Utc};
use deskmate_api::{
    Announcement, DeletionKind, OrderDelayRequest, RemoteSession, RemoteSessionStatus, SyncPage,
};
use rusqlite::{Connection, OptionalExtension, params};
use serde::Serialize;
use serde::de::DeserializeOwned;

use super::Cache;
use super::tickets::stamp;
use crate::{CoreError, Result};

impl Cache {
    /// The announcements and planned maintenance that apply now or later
    /// (not ended by `now`): those in effect first, then the upcoming ones by
    /// start.
    pub async fn announcements(&self, now: DateTime<Utc>) -> Result<Vec<Announcement>> {
        self.call(move |c| {
            records(
                c,
                "SELECT record FROM announcements WHERE ends_at IS NULL OR ends_at > ?1
                 ORDER BY COALESCE(starts_at, created_at), id",
                params![stamp(&now)],
            )
        })
        .await
    }

    /// The remote-session requests of one ticket, oldest first.
    pub async fn remote_sessions(&self, ticket_id: i64) -> Result<Vec<RemoteSession>> {
        self.call(move |c| {
            records(
                c,
                "SELECT record FROM remote_sessions WHERE ticket_id = ?1 ORDER BY id",
                params![ticket_id],
            )
        })
        .await
    }

    /// The remote-session requests of every cached ticket in one status,
    /// oldest request first.
    pub async fn remote_sessions_in(
        &self,
        status: RemoteSessionStatus,
    ) -> Result<Vec<RemoteSession>> {
        self.call(move |c| {
            records(
                c,
                "SELECT record FROM remote_sessions WHERE status = ?1 ORDER BY requested_at, id",
                params![status.as_str()],
            )
        })
        .await
    }

    pub async fn remote_session(&self, id: i64) -> Result<Option<RemoteSession>> {
        self.call(move |c| record(c, "SELECT record FROM remote_sessions WHERE id = ?1", id))
            .await
    }

    /// Keeps a remote session as the helpdesk just answered it.
    pub async fn put_remote_session(&self, session: RemoteSession) -> Result<()> {
        self.call(move |c| upsert_remote_session(c, &session)).await
    }

    /// The order-delay requests: open ones first (the soonest due first, those
    /// without a due date after them), then answered ones; newest first within.
    pub async fn order_delays(&self) -> Result<Vec<OrderDelayRequest>> {
        self.call(|c| {
            records(
                c,
                "SELECT record FROM order_delays
                 ORDER BY status <> 'open', status = 'open' AND due_at IS NULL,
                   CASE WHEN status = 'open' THEN due_at END, created_at DESC, id DESC",
                [],
            )
        })
        .await
    }

    pub async fn order_delay(&self, id: i64) -> Result<Option<OrderDelayRequest>> {
        self.call(move |c| record(c, "SELECT record FROM order_delays WHERE id = ?1", id))
            .await
    }

    /// Forgets every notice (signing out, another account).
    pub(crate) fn clear_notices(c: &Connection) -> Result<()> {
        c.execute_batch(
            "DELETE FROM announcements; DELETE FROM remote_sessions; DELETE FROM order_delays;",
        )?;
        Ok(())
    }
}

/// Stores a sync page's notices and drops what it says is gone, inside the
/// page's transaction.
pub(super) fn apply_page(c: &Connection, page: &SyncPage) -> Result<()> {
    for a in &page.announcements {
        upsert_announcement(c, a)?;
    }
    for s in &page.remote_sessions {
        upsert_remote_session(c, s)?;
    }
    for o in &page.order_delays {
        upsert_order_delay(c, o)?;
    }
    for gone in &page.deleted {
        match gone.kind {
            DeletionKind::Announcement => {
                c.execute("DELETE FROM announcements WHERE id = ?1", [gone.id])?;
            }
        }
    }
    Ok(())
}

fn upsert_announcement(c: &Connection, a: &Announcement) -> Result<()> {
    c.prepare_cached(
        "INSERT OR REPLACE INTO announcements (id, starts_at, ends_at, created_at, record)
         VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![
        a.id,
        a.starts_at.as_ref().map(stamp),
        a.ends_at.as_ref().map(stamp),
        stamp(&a.created_at),
        json(a)?,
    ])?;
    Ok(())
}

pub(super) fn upsert_remote_session(c: &Connection, s: &RemoteSession) -> Result<()> {
    c.prepare_cached(
        "INSERT OR REPLACE INTO remote_sessions (id, ticket_id, status, requested_at, record)
         VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![
        s.id,
        s.ticket_id,
        s.status.as_str(),
        stamp(&s.requested_at),
        json(s)?,
    ])?;
    Ok(())
}

pub(super) fn upsert_order_delay(c: &Connection, o: &OrderDelayRequest) -> Result<()> {
    c.prepare_cached(
        "INSERT OR REPLACE INTO order_delays (id, status, due_at, created_at, record)
         VALUES (?1, ?2, ?3, ?4, ?5)",
    )?
    .execute(params![
        o.id,
        o.status.as_str(),
        o.due_at.as_ref().map(stamp),
        stamp(&o.created_at),
        json(o)?,
    ])?;
    Ok(())
}

fn json(record: &impl Serialize) -> Result<String> {
    serde_json::to_string(record).map_err(|e| CoreError::Cache(format!("cannot store: {e}")))
}

fn parse<T: DeserializeOwned>(text: &str) -> Result<T> {
    serde_json::from_str(text)
        .map_err(|e| CoreError::Cache(format!("an unreadable notice in the cache: {e}")))
}

fn records<T: DeserializeOwned>(
    c: &Connection,
    sql: &str,
    params: impl rusqlite::Params,
) -> Result<Vec<T>> {
    let mut stmt = c.prepare_cached(sql)?;
    let rows = stmt.query_map(params, |r| r.get::<_, String>(0))?;
    rows.map(|r| parse(&r?)).collect()
}

fn record<T: DeserializeOwned>(c: &Connection, sql: &str, id: i64) -> Result<Option<T>> {
    c.query_row(sql, [id], |r| r.get::<_, String>(0))
        .optional()?
        .map(|text| parse(&text))
        .transpose()
}

#[cfg(test)]
mod tests {
    use chrono::Duration;
    use deskmate_api::{
        AnnouncementKind, Deletion, OrderDelayStatus, RemoteSessionStatus, RemoteTool,
    };

    use super::*;

    fn announcement(
        id: i64,
        starts_in_hours: Option<i64>,
        ends_in_hours: Option<i64>,
    ) -> Announcement {
        let now = Utc::now();
        Announcement {
            id,
            kind: AnnouncementKind::Maintenance,
            title: format!("notice {id}"),
            body: "body".into(),
            affected_services: vec!["Managed VPS".into()],
            services: Vec::new(),
            starts_at: starts_in_hours.map(|h| now + Duration::hours(h)),
            ends_at: ends_in_hours.map(|h| now + Duration::hours(h)),
            organisation_id: None,
            created_at: now - Duration::days(1),
            updated_at: now - Duration::days(1),
        }
    }

    fn order_delay(
        id: i64,
        status: OrderDelayStatus,
        due_in_hours: Option<i64>,
    ) -> OrderDelayRequest {
        let now = Utc::now();
        OrderDelayRequest {
            id,
            organisation_id: 1,
            order_number: format!("HST-{id}"),
            question: "EPP code?".into(),
            kind: deskmate_api::OrderDelayKind::Information,
            charge: None,
            due_at: due_in_hours.map(|h| now + Duration::hours(h)),
            status,
            answer: None,
            resolution_date: None,
            site_contact: None,
            charge_accepted: None,
            answered_by_name: None,
            created_at: now - Duration::minutes(id),
            answered_at: None,
        }
    }

    fn page(cursor: i64) -> SyncPage {
        SyncPage::empty(cursor)
    }

    async fn cache() -> (tempfile::TempDir, Cache) {
        let dir = tempfile::tempdir().unwrap();
        let cache = Cache::open(dir.path().join("c.sqlite3")).await.unwrap();
        (dir, cache)
    }

    #[tokio::test]
    async fn records_cached_before_services_and_typed_requests_still_read() {
        let (_dir, cache) = cache().await;
        let mut old = serde_json::to_value(order_delay(7, OrderDelayStatus::Open, None)).unwrap();
        for field in [
            "kind",
            "charge",
            "resolution_date",
            "site_contact",
            "charge_accepted",
        ] {
            old.as_object_mut().unwrap().remove(field);
        }
        let mut announcement = serde_json::to_value(announcement(8, None, None)).unwrap();
        announcement.as_object_mut().unwrap().remove("services");
        let (old, announcement) = (old.to_string(), announcement.to_string());
        cache
            .call(move |c| {
                c.execute(
                    "INSERT INTO order_delays (id, status, due_at, created_at, record)
                     VALUES (7, 'open', NULL, '2026-01-01T00:00:00Z', ?1)",
                    [old],
                )?;
                c.execute(
                    "INSERT INTO announcements (id, starts_at, ends_at, created_at, record)
                     VALUES (8, NULL, NULL, '2026-01-01T00:00:00Z', ?1)",
                    [announcement],
                )?;
                Ok(())
            })
            .await
            .unwrap();
        let delay = cache.order_delay(7).await.unwrap().unwrap();
        assert_eq!(delay.kind, deskmate_api::OrderDelayKind::Information);
        assert_eq!(delay.site_contact, None);
        let list = cache.announcements(Utc::now()).await.unwrap();
        assert!(list.iter().any(|a| a.id == 8 && a.services.is_empty()));
    }

    #[tokio::test]
    async fn current_and_upcoming_announcements_by_start_and_withdrawals_remove_them() {
        let (_dir, cache) = cache().await;
        let mut first = page(5);
        first.announcements = vec![
            announcement(1, Some(48), Some(52)),
            announcement(2, Some(-2), Some(2)),
            announcement(3, Some(-10), Some(-8)),
            announcement(4, None, None),
        ];
        cache.apply_sync_page(first).await.unwrap();
        let ids = |list: Vec<Announcement>| list.iter().map(|a| a.id).collect::<Vec<_>>();
        let now = Utc::now();
        // 4 applies since its creation a day ago, 2 is in progress, 1 is
        // upcoming; 3 is over.
        assert_eq!(ids(cache.announcements(now).await.unwrap()), [4, 2, 1]);

        let mut second = page(9);
        second.deleted = vec![Deletion {
            kind: DeletionKind::Announcement,
            id: 2,
        }];
        let mut changed = announcement(1, Some(24), Some(26));
        changed.title = "moved".into();
        second.announcements = vec![changed];
        cache.apply_sync_page(second).await.unwrap();
        let list = cache.announcements(now).await.unwrap();
        assert_eq!(ids(list.clone()), [4, 1]);
        assert_eq!(list[1].title, "moved");
        assert_eq!(cache.sync_cursor().await.unwrap(), 9);
    }

    #[tokio::test]
    async fn open_order_delays_come_first_and_sessions_by_ticket_and_status() {
        let (_dir, cache) = cache().await;
        let mut p = page(3);
        p.order_delays = vec![
            order_delay(1, OrderDelayStatus::Answered, Some(1)),
            order_delay(2, OrderDelayStatus::Open, None),
            order_delay(3, OrderDelayStatus::Open, Some(72)),
            order_delay(4, OrderDelayStatus::Open, Some(24)),
        ];
        let session = |id, ticket_id, status| RemoteSession {
            id,
            ticket_id,
            reason: "look at it".into(),
            tool: RemoteTool::Rustdesk,
            status,
            requested_by_name: "Agent".into(),
            requested_at: Utc::now() - Duration::minutes(10 - id),
            answered_at: None,
            ended_at: None,
            summary: None,
            consented_at: None,
            connect_tool: None,
            tool_id: None,
            started_at: None,
            ended_by: None,
            ended_by_name: None,
        };
        p.remote_sessions = vec![
            session(1, 7, RemoteSessionStatus::Declined),
            session(2, 7, RemoteSessionStatus::Requested),
            session(3, 8, RemoteSessionStatus::Requested),
        ];
        cache.apply_sync_page(p).await.unwrap();
        let order: Vec<i64> = cache
            .order_delays()
            .await
            .unwrap()
            .iter()
            .map(|o| o.id)
            .collect();
        assert_eq!(order, [4, 3, 2, 1]);
        let of_7: Vec<i64> = cache
            .remote_sessions(7)
            .await
            .unwrap()
            .iter()
            .map(|s| s.id)
            .collect();
        assert_eq!(of_7, [1, 2]);
        let waiting: Vec<i64> = cache
            .remote_sessions_in(RemoteSessionStatus::Requested)
            .await
            .unwrap()
            .iter()
            .map(|s| s.id)
            .collect();
        assert_eq!(waiting, [2, 3]);
        assert_eq!(cache.order_delay(3).await.unwrap().unwrap().id, 3);
        assert!(cache.remote_session(99).await.unwrap().is_none());

        cache.clear_tickets().await.unwrap();
        assert!(cache.order_delays().await.unwrap().is_empty());
        assert!(cache.remote_sessions(7).await.unwrap().is_empty());
    }

    #[tokio::test]
    async fn a_page_that_fails_leaves_nothing_of_itself() {
        let (_dir, cache) = cache().await;
        let mut p = page(4);
        p.announcements = vec![announcement(1, None, None)];
        cache.apply_sync_page(p).await.unwrap();
        // A page that cannot be stored whole (its order delays have nowhere
        // to go) leaves nothing: not its announcement, not its cursor.
        cache
            .call(|c| Ok(c.execute_batch("DROP TABLE order_delays")?))
            .await
            .unwrap();
        let mut broken = page(8);
        broken.announcements = vec![announcement(2, None, None)];
        broken.order_delays = vec![order_delay(1, OrderDelayStatus::Open, None)];
        assert!(cache.apply_sync_page(broken).await.is_err());
        let ids: Vec<i64> = cache
            .announcements(Utc::now())
            .await
            .unwrap()
            .iter()
            .map(|a| a.id)
            .collect();
        assert_eq!(ids, [1]);
        assert_eq!(cache.sync_cursor().await.unwrap(), 4);
    }
}
