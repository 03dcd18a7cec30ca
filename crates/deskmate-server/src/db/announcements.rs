//! Announcements and planned maintenance: what agents post for every
//! customer or one organisation, and the tombstones of withdrawn ones.
//! Each write stamps a change and announces it to whoever may see it.

use deskmate_api::{AnnouncementKind, DeletionKind, NewAnnouncement};

use super::write::Changed;
use super::*;

macro_rules! announcement_query {
    ($tail:literal) => {
        concat!(
            "SELECT a.id, a.kind, a.title, a.body, a.affected_services, a.starts_ms, a.ends_ms, ",
            "a.organisation_id, a.created_ms, a.updated_ms, a.change_seq FROM announcements a ",
            $tail
        )
    };
}

/// Announcements a viewer may see: $1 agent, $2 the viewer's organisation.
macro_rules! announcement_visible {
    () => {
        "($1 OR a.organisation_id IS NULL OR a.organisation_id = $2)"
    };
}

const ANNOUNCEMENT_BY_ID: &str = announcement_query!("WHERE a.id = $1");
/// Current and upcoming first (by start), then past ones (latest end first).
const ANNOUNCEMENTS_VISIBLE: &str = concat!(
    announcement_query!("WHERE "),
    announcement_visible!(),
    " ORDER BY CASE WHEN a.ends_ms IS NULL OR a.ends_ms > $3 THEN 0 ELSE 1 END, \
     CASE WHEN a.ends_ms IS NULL OR a.ends_ms > $3 THEN COALESCE(a.starts_ms, a.created_ms) \
     ELSE -a.ends_ms END, a.id"
);
pub(super) const SYNC_ANNOUNCEMENTS: &str = concat!(
    announcement_query!("WHERE "),
    announcement_visible!(),
    " AND a.change_seq > $3 AND a.change_seq <= $4 ORDER BY a.change_seq LIMIT $5"
);
pub(super) const SYNC_DELETIONS: &str = "SELECT d.kind, d.record_id, d.change_seq FROM deletions d \
     WHERE ($1 OR d.organisation_id IS NULL OR d.organisation_id = $2) \
     AND d.change_seq > $3 AND d.change_seq <= $4 ORDER BY d.change_seq LIMIT $5";
const STAMP_ANNOUNCEMENT: &str = "UPDATE announcements SET change_seq = $1 WHERE id = $2";
const STAMP_DELETION: &str = "UPDATE deletions SET change_seq = $1 WHERE id = $2";

pub(super) fn announcement_from_row(row: &impl Columns) -> ApiResult<Announcement> {
    let kind = row.text("kind")?;
    let services = row.text("affected_services")?;
    Ok(Announcement {
        id: row.int("id")?,
        kind: stored("announcement kind", &kind, AnnouncementKind::parse(&kind))?,
        title: row.text("title")?,
        body: row.text("body")?,
        affected_services: stored(
            "affected services",
            &services,
            serde_json::from_str(&services).ok(),
        )?,
        starts_at: opt_time(row, "starts_ms")?,
        ends_at: opt_time(row, "ends_ms")?,
        organisation_id: row.opt_int("organisation_id")?,
        created_at: from_millis(row.int("created_ms")?)?,
        updated_at: from_millis(row.int("updated_ms")?)?,
    })
}

fn services_json(services: &[String]) -> ApiResult<String> {
    serde_json::to_string(services).map_err(ApiError::internal)
}

/// Stamps announcement `id` and reads it back: the write's answer, and its
/// change for whoever may see it.
async fn stamped_announcement(tx: &mut Tx, id: i64) -> ApiResult<Changed<Announcement>> {
    let seq = tx.stamp(STAMP_ANNOUNCEMENT, id).await?;
    let row = tx.fetch_one(sql(ANNOUNCEMENT_BY_ID).bind(id)).await?;
    let announcement = announcement_from_row(&row)?;
    let change = ChangeEvent::of(
        seq,
        ChangeKind::Announcement,
        announcement.id,
        Audience::of_organisation(announcement.organisation_id),
    );
    Ok((announcement, vec![change]))
}

impl Db {
    /// The announcements `viewer` may see, current and upcoming first.
    pub async fn announcements(
        &self,
        viewer: &User,
        now: DateTime<Utc>,
    ) -> ApiResult<Vec<Announcement>> {
        let (is_agent, org) = org_params(viewer);
        let rows = self
            .fetch_all(
                sql(ANNOUNCEMENTS_VISIBLE)
                    .bind(is_agent)
                    .bind(org)
                    .bind(millis(now)),
            )
            .await?;
        rows.iter().map(announcement_from_row).collect()
    }

    /// Posts an announcement (validated by the caller); an unknown
    /// organisation is a 422.
    pub async fn create_announcement(
        &self,
        by: &User,
        new: &NewAnnouncement,
        idempotency: Option<&Idempotency>,
        now: DateTime<Utc>,
    ) -> ApiResult<Written<Announcement>> {
        const INSERT: &str = "INSERT INTO announcements (kind, title, body, affected_services, \
             starts_ms, ends_ms, organisation_id, created_by, created_ms, updated_ms) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) RETURNING id";
        let services = services_json(&new.affected_services)?;
        self.write(by.id, idempotency, 201, async |tx| {
            if let Some(org) = new.organisation_id {
                let n = tx
                    .fetch_one(sql(ORGANISATION_EXISTS).bind(org))
                    .await?
                    .int("n")?;
                if n == 0 {
                    return Err(ApiError::validation(format!("no organisation #{org}")));
                }
            }
            let id = tx
                .fetch_one(
                    sql(INSERT)
                        .bind(new.kind.as_str())
                        .bind(new.title.clone())
                        .bind(new.body.clone())
                        .bind(services)
                        .bind(new.starts_at.map(millis))
                        .bind(new.ends_at.map(millis))
                        .bind(new.organisation_id)
                        .bind(by.id)
                        .bind(millis(now)),
                )
                .await?
                .int("id")?;
            stamped_announcement(tx, id).await
        })
        .await
    }

    /// Changes an announcement: `change` gets the current one and answers
    /// the new content, or why not (the transaction is then undone).
    pub async fn update_announcement(
        &self,
        id: i64,
        by: &User,
        change: impl FnOnce(&Announcement) -> ApiResult<NewAnnouncement>,
        idempotency: Option<&Idempotency>,
        now: DateTime<Utc>,
    ) -> ApiResult<Written<Announcement>> {
        const UPDATE: &str = "UPDATE announcements SET kind = $1, title = $2, body = $3, \
             affected_services = $4, starts_ms = $5, ends_ms = $6, updated_ms = $7 WHERE id = $8";
        self.write(by.id, idempotency, 200, async |tx| {
            let row = tx.fetch_optional(sql(ANNOUNCEMENT_BY_ID).bind(id)).await?;
            let Some(current) = row.as_ref().map(announcement_from_row).transpose()? else {
                return Err(ApiError::not_found(format!("no announcement #{id}")));
            };
            let next = change(&current)?;
            tx.execute(
                sql(UPDATE)
                    .bind(next.kind.as_str())
                    .bind(next.title.clone())
                    .bind(next.body.clone())
                    .bind(services_json(&next.affected_services)?)
                    .bind(next.starts_at.map(millis))
                    .bind(next.ends_at.map(millis))
                    .bind(millis(now))
                    .bind(id),
            )
            .await?;
            stamped_announcement(tx, id).await
        })
        .await
    }

    /// Withdraws an announcement: it is gone, and delta sync tells those who
    /// could see it.
    pub async fn withdraw_announcement(
        &self,
        id: i64,
        by: &User,
        idempotency: Option<&Idempotency>,
        now: DateTime<Utc>,
    ) -> ApiResult<Written<()>> {
        const DELETE: &str = "DELETE FROM announcements WHERE id = $1 RETURNING organisation_id";
        const TOMBSTONE: &str = "INSERT INTO deletions (kind, record_id, organisation_id, \
             deleted_ms) VALUES ($1, $2, $3, $4) RETURNING id";
        self.write(by.id, idempotency, 204, async |tx| {
            let row = tx.fetch_optional(sql(DELETE).bind(id)).await?;
            let Some(row) = row else {
                return Err(ApiError::not_found(format!("no announcement #{id}")));
            };
            let organisation_id = row.opt_int("organisation_id")?;
            let tombstone = tx
                .fetch_one(
                    sql(TOMBSTONE)
                        .bind(DeletionKind::Announcement.as_str())
                        .bind(id)
                        .bind(organisation_id)
                        .bind(millis(now)),
                )
                .await?
                .int("id")?;
            let seq = tx.stamp(STAMP_DELETION, tombstone).await?;
            let events = vec![ChangeEvent::of(
                seq,
                ChangeKind::Announcement,
                id,
                Audience::of_organisation(organisation_id),
            )];
            Ok(((), events))
        })
        .await
    }
}
