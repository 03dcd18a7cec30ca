//! Announcements and planned maintenance: what agents post for every
//! customer or one organisation, optionally only for the organisations
//! with one of the services it names, and the tombstones of withdrawn ones.
//! Each write stamps a change and announces it to whoever may see it.

use std::collections::HashMap;

use deskmate_api::{AffectedService, AnnouncementKind, DeletionKind, NewAnnouncement};

use super::write::Changed;
use super::*;

macro_rules! announcement_query {
    ($tail:literal) => {
        concat!(
            "SELECT a.id, a.kind, a.title, a.body, a.affected_services, a.service_refs, ",
            "a.starts_ms, a.ends_ms, a.organisation_id, a.created_ms, a.updated_ms, a.change_seq ",
            "FROM announcements a ",
            $tail
        )
    };
}

/// Announcements a viewer may see: $1 agent, $2 the viewer's organisation.
/// One that names services is for the organisations with one of them.
macro_rules! announcement_visible {
    () => {
        concat!(
            "($1 OR ((a.organisation_id IS NULL OR a.organisation_id = $2) AND (",
            "NOT EXISTS (SELECT 1 FROM announcement_services x WHERE x.announcement_id = a.id) ",
            "OR EXISTS (SELECT 1 FROM announcement_services x JOIN services s ",
            "ON s.reference = x.reference WHERE x.announcement_id = a.id ",
            "AND s.organisation_id = $2))))"
        )
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
/// Agents get the tombstones of what is gone, not of what one organisation
/// no longer sees (a service it stopped having).
pub(super) const SYNC_DELETIONS: &str = "SELECT d.kind, d.record_id, d.change_seq FROM deletions d \
     WHERE (($1 AND NOT EXISTS (SELECT 1 FROM announcements a WHERE a.id = d.record_id)) \
     OR d.organisation_id IS NULL OR d.organisation_id = $2) \
     AND d.change_seq > $3 AND d.change_seq <= $4 ORDER BY d.change_seq LIMIT $5";
pub(super) const STAMP_ANNOUNCEMENT: &str =
    "UPDATE announcements SET change_seq = $1 WHERE id = $2";
const STAMP_DELETION: &str = "UPDATE deletions SET change_seq = $1 WHERE id = $2";
const TOMBSTONE: &str = "INSERT INTO deletions (kind, record_id, organisation_id, \
     deleted_ms) VALUES ($1, $2, $3, $4) RETURNING id";
/// The organisations that have one of the services announcement $1 names.
const ORGANISATIONS_WITH_SERVICES: &str = "SELECT DISTINCT s.organisation_id FROM services s \
     JOIN announcement_services x ON x.reference = s.reference WHERE x.announcement_id = $1 \
     ORDER BY s.organisation_id";

/// An announcement as its row says: its services by reference, unnamed
/// (see [`Db::name_services`]).
pub(super) fn announcement_from_row(row: &impl Columns) -> ApiResult<Announcement> {
    let kind = row.text("kind")?;
    let services = row.text("affected_services")?;
    let refs = row.text("service_refs")?;
    let refs: Vec<String> = stored(
        "service references",
        &refs,
        serde_json::from_str(&refs).ok(),
    )?;
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
        services: refs
            .into_iter()
            .map(|reference| AffectedService {
                reference,
                name: None,
            })
            .collect(),
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
    let changes = audiences(tx, &announcement)
        .await?
        .into_iter()
        .map(|audience| ChangeEvent::of(seq, ChangeKind::Announcement, announcement.id, audience))
        .collect();
    Ok((announcement, changes))
}

/// Records that announcement `id` is gone for `organisation_id`'s people
/// (`None`: everyone's), stamped: its change for them.
pub(super) async fn tombstone(
    tx: &mut Tx,
    id: i64,
    organisation_id: Option<i64>,
    now: DateTime<Utc>,
) -> ApiResult<ChangeEvent> {
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
    Ok(ChangeEvent::of(
        seq,
        ChangeKind::Announcement,
        id,
        Audience::of_organisation(organisation_id),
    ))
}

/// Who may see `announcement`: everyone or its organisation; when it names
/// services, each organisation with one of them (within its organisation).
async fn audiences(tx: &mut Tx, announcement: &Announcement) -> ApiResult<Vec<Audience>> {
    if announcement.services.is_empty() {
        return Ok(vec![Audience::of_organisation(
            announcement.organisation_id,
        )]);
    }
    let rows = tx
        .fetch_all(sql(ORGANISATIONS_WITH_SERVICES).bind(announcement.id))
        .await?;
    let mut audiences = Vec::new();
    for row in rows {
        let organisation_id = row.int("organisation_id")?;
        if announcement
            .organisation_id
            .is_none_or(|only| only == organisation_id)
        {
            audiences.push(Audience::Organisation { organisation_id });
        }
    }
    Ok(audiences)
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
        let mut announcements = rows
            .iter()
            .map(announcement_from_row)
            .collect::<ApiResult<Vec<_>>>()?;
        self.name_services(viewer, &mut announcements).await?;
        Ok(announcements)
    }

    /// Names the services `announcements` affect as `viewer`'s organisation
    /// does, and keeps only those it has; agents see every reference, unnamed.
    pub(super) async fn name_services(
        &self,
        viewer: &User,
        announcements: &mut [Announcement],
    ) -> ApiResult<()> {
        const NAMES: &str = "SELECT reference, name FROM services WHERE organisation_id = $1";
        let (is_agent, org) = org_params(viewer);
        if is_agent || announcements.iter().all(|a| a.services.is_empty()) {
            return Ok(());
        }
        let names = match org {
            Some(org) => self
                .fetch_all(sql(NAMES).bind(org))
                .await?
                .iter()
                .map(|r| Ok((r.text("reference")?, r.text("name")?)))
                .collect::<ApiResult<HashMap<_, _>>>()?,
            None => HashMap::new(),
        };
        for announcement in announcements {
            announcement.services.retain_mut(|service| {
                service.name = names.get(&service.reference).cloned();
                service.name.is_some()
            });
        }
        Ok(())
    }

    /// Posts an announcement (validated by the caller); an unknown
    /// organisation is a 422. A service reference no organisation has yet
    /// is kept: it reaches the organisations given it later.
    pub async fn create_announcement(
        &self,
        by: &User,
        new: &NewAnnouncement,
        idempotency: Option<&Idempotency>,
        now: DateTime<Utc>,
    ) -> ApiResult<Written<Announcement>> {
        const INSERT: &str = "INSERT INTO announcements (kind, title, body, affected_services, \
             starts_ms, ends_ms, organisation_id, created_by, created_ms, updated_ms, \
             service_refs) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9, $10) RETURNING id";
        const NAME_SERVICE: &str =
            "INSERT INTO announcement_services (announcement_id, reference) VALUES ($1, $2)";
        let services = services_json(&new.affected_services)?;
        let refs = services_json(&new.services)?;
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
                        .bind(millis(now))
                        .bind(refs),
                )
                .await?
                .int("id")?;
            for reference in &new.services {
                tx.execute(sql(NAME_SERVICE).bind(id).bind(reference.clone()))
                    .await?;
            }
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
        self.write(by.id, idempotency, 204, async |tx| {
            let row = tx.fetch_optional(sql(DELETE).bind(id)).await?;
            let Some(row) = row else {
                return Err(ApiError::not_found(format!("no announcement #{id}")));
            };
            let organisation_id = row.opt_int("organisation_id")?;
            let events = vec![tombstone(tx, id, organisation_id, now).await?];
            Ok(((), events))
        })
        .await
    }
}
