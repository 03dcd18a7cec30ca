//! Each organisation's services, by the provider's reference. Giving an
//! organisation a service (or renaming it) hands it the announcements that
//! name it; taking it away withdraws them from that organisation alone
//! (a tombstone for its people), unless another of its services keeps them.

use deskmate_api::{DeletionKind, OrganisationSummary, Service};

use super::announcements::{STAMP_ANNOUNCEMENT, tombstone};
use super::write::Changed;
use super::*;

const SERVICES_OF: &str = "SELECT id, organisation_id, reference, name, created_ms, updated_ms \
     FROM services WHERE organisation_id = $1 ORDER BY reference";
const SERVICE: &str = "SELECT id, organisation_id, reference, name, created_ms, updated_ms \
     FROM services WHERE organisation_id = $1 AND reference = $2";
const ORGANISATIONS: &str = "SELECT id, name FROM organisations ORDER BY name, id";
const ALL_SERVICES: &str = "SELECT id, organisation_id, reference, name, created_ms, updated_ms \
     FROM services ORDER BY organisation_id, reference";
/// The announcements naming service $1 that organisation $2 may be meant to see.
const NAMING: &str = "SELECT a.id FROM announcements a \
     JOIN announcement_services x ON x.announcement_id = a.id \
     WHERE x.reference = $1 AND (a.organisation_id IS NULL OR a.organisation_id = $2) \
     ORDER BY a.id";
/// How many of organisation $2's services announcement $1 names.
const NAMED_OF: &str = "SELECT COUNT(*) AS n FROM announcement_services x \
     JOIN services s ON s.reference = x.reference \
     WHERE x.announcement_id = $1 AND s.organisation_id = $2";
const UNTOMBSTONE: &str = "DELETE FROM deletions WHERE kind = $1 AND record_id = $2 \
     AND organisation_id = $3";

fn service_from_row(row: &impl Columns) -> ApiResult<Service> {
    Ok(Service {
        id: row.int("id")?,
        organisation_id: row.int("organisation_id")?,
        reference: row.text("reference")?,
        name: row.text("name")?,
        created_at: from_millis(row.int("created_ms")?)?,
        updated_at: from_millis(row.int("updated_ms")?)?,
    })
}

/// 404 unless organisation `id` exists.
async fn organisation_exists(tx: &mut Tx, id: i64) -> ApiResult<()> {
    let n = tx
        .fetch_one(sql(ORGANISATION_EXISTS).bind(id))
        .await?
        .int("n")?;
    if n == 0 {
        return Err(ApiError::not_found(format!("no organisation #{id}")));
    }
    Ok(())
}

/// The ids of the announcements naming `reference` meant for `org`'s people.
async fn naming(tx: &mut Tx, reference: &str, org: i64) -> ApiResult<Vec<i64>> {
    let rows = tx
        .fetch_all(sql(NAMING).bind(reference.to_owned()).bind(org))
        .await?;
    rows.iter().map(|r| r.int("id")).collect()
}

/// Stamps announcement `id` again for `org`, whose view of it changed.
async fn restamp(tx: &mut Tx, id: i64, org: i64) -> ApiResult<ChangeEvent> {
    tx.execute(
        sql(UNTOMBSTONE)
            .bind(DeletionKind::Announcement.as_str())
            .bind(id)
            .bind(org),
    )
    .await?;
    let seq = tx.stamp(STAMP_ANNOUNCEMENT, id).await?;
    Ok(ChangeEvent::of(
        seq,
        ChangeKind::Announcement,
        id,
        Audience::of_organisation(Some(org)),
    ))
}

impl Db {
    /// Every customer organisation by name, each with its services.
    pub async fn organisations(&self) -> ApiResult<Vec<OrganisationSummary>> {
        // Two reads, no transaction: a service given meanwhile to an
        // organisation created meanwhile is all that could fall between.
        let orgs = self.fetch_all(sql(ORGANISATIONS)).await?;
        let services = self.fetch_all(sql(ALL_SERVICES)).await?;
        let mut by_org: std::collections::HashMap<i64, Vec<Service>> = Default::default();
        for row in &services {
            let service = service_from_row(row)?;
            by_org
                .entry(service.organisation_id)
                .or_default()
                .push(service);
        }
        orgs.iter()
            .map(|row| {
                let id = row.int("id")?;
                Ok(OrganisationSummary {
                    id,
                    name: row.text("name")?,
                    services: by_org.remove(&id).unwrap_or_default(),
                })
            })
            .collect()
    }

    /// Organisation `organisation_id`'s services by reference; 404 when
    /// there is no such organisation.
    pub async fn services(&self, organisation_id: i64) -> ApiResult<Vec<Service>> {
        if self.organisation_name(organisation_id).await?.is_none() {
            return Err(ApiError::not_found(format!(
                "no organisation #{organisation_id}"
            )));
        }
        let rows = self
            .fetch_all(sql(SERVICES_OF).bind(organisation_id))
            .await?;
        rows.iter().map(service_from_row).collect()
    }

    /// Gives organisation `organisation_id` the service `reference` named
    /// `name`, or renames it (both checked by the caller); its people get
    /// the announcements that name it. `by`: the agent, `None` for the
    /// admin command (which sends no idempotency key).
    pub async fn set_service(
        &self,
        organisation_id: i64,
        reference: &str,
        name: &str,
        by: Option<&User>,
        idempotency: Option<&Idempotency>,
        now: DateTime<Utc>,
    ) -> ApiResult<Written<Service>> {
        const INSERT: &str = "INSERT INTO services (organisation_id, reference, name, \
             created_ms, updated_ms) VALUES ($1, $2, $3, $4, $4)";
        const RENAME: &str = "UPDATE services SET name = $1, updated_ms = $2 \
             WHERE organisation_id = $3 AND reference = $4";
        let by = by.map_or(0, |u| u.id);
        self.write(by, idempotency, 200, async |tx| {
            organisation_exists(tx, organisation_id).await?;
            let reference = reference.to_owned();
            let current = tx
                .fetch_optional(sql(SERVICE).bind(organisation_id).bind(reference.clone()))
                .await?;
            match current.as_ref().map(service_from_row).transpose()? {
                Some(same) if same.name == name => return Ok((same, Vec::new())),
                Some(_) => {
                    tx.execute(
                        sql(RENAME)
                            .bind(name.to_owned())
                            .bind(millis(now))
                            .bind(organisation_id)
                            .bind(reference.clone()),
                    )
                    .await?
                }
                None => {
                    tx.execute(
                        sql(INSERT)
                            .bind(organisation_id)
                            .bind(reference.clone())
                            .bind(name.to_owned())
                            .bind(millis(now)),
                    )
                    .await?
                }
            };
            let mut events = Vec::new();
            for id in naming(tx, &reference, organisation_id).await? {
                events.push(restamp(tx, id, organisation_id).await?);
            }
            let row = tx
                .fetch_one(sql(SERVICE).bind(organisation_id).bind(reference))
                .await?;
            Ok((service_from_row(&row)?, events))
        })
        .await
    }

    /// Takes service `reference` from organisation `organisation_id` (404
    /// when it has none such): the announcements only it brought are
    /// withdrawn from its people.
    pub async fn remove_service(
        &self,
        organisation_id: i64,
        reference: &str,
        by: Option<&User>,
        idempotency: Option<&Idempotency>,
        now: DateTime<Utc>,
    ) -> ApiResult<Written<()>> {
        const DELETE: &str = "DELETE FROM services WHERE organisation_id = $1 AND reference = $2";
        let by = by.map_or(0, |u| u.id);
        self.write(by, idempotency, 204, async |tx| -> ApiResult<Changed<()>> {
            organisation_exists(tx, organisation_id).await?;
            let named = naming(tx, reference, organisation_id).await?;
            let removed = tx
                .execute(sql(DELETE).bind(organisation_id).bind(reference.to_owned()))
                .await?
                .rows_affected();
            if removed == 0 {
                return Err(ApiError::not_found(format!(
                    "organisation #{organisation_id} has no service {reference:?}"
                )));
            }
            let mut events = Vec::new();
            for id in named {
                let still = tx
                    .fetch_one(sql(NAMED_OF).bind(id).bind(organisation_id))
                    .await?
                    .int("n")?;
                if still > 0 {
                    // Still seen, through another service: its list changed.
                    events.push(restamp(tx, id, organisation_id).await?);
                    continue;
                }
                events.push(tombstone(tx, id, Some(organisation_id), now).await?);
            }
            Ok(((), events))
        })
        .await
    }
}
