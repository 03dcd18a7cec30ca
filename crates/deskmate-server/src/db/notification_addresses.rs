//! An organisation's notification addresses and allowed e-mail domains.

use deskmate_api::{NotificationAddress, NotificationKind};

use super::*;

fn address_from_row(row: &impl Columns) -> ApiResult<NotificationAddress> {
    let kind = row.text("kind")?;
    Ok(NotificationAddress {
        id: row.int("id")?,
        kind: stored("notification kind", &kind, NotificationKind::parse(&kind))?,
        email: row.text("email")?,
        mail: row.flag("mail")?,
        created_at: from_millis(row.int("created_ms")?)?,
    })
}

fn no_address(id: i64) -> ApiError {
    ApiError::not_found(format!(
        "no notification address #{id} in your organisation"
    ))
}

impl Db {
    /// The organisation's allowed e-mail domains, sorted; empty: any.
    pub async fn email_domains(&self, organisation_id: i64) -> ApiResult<Vec<String>> {
        const SQL: &str = "SELECT domain FROM organisation_email_domains \
             WHERE organisation_id = $1 ORDER BY domain";
        let rows = self.fetch_all(sql(SQL).bind(organisation_id)).await?;
        rows.iter().map(|r| r.text("domain")).collect()
    }

    /// Replaces the organisation's allowed e-mail domains (checked and
    /// lower-cased by the caller).
    pub async fn set_email_domains(
        &self,
        organisation_id: i64,
        domains: &[String],
    ) -> ApiResult<()> {
        if self.organisation_name(organisation_id).await?.is_none() {
            return Err(ApiError::not_found(format!(
                "no organisation with id {organisation_id}"
            )));
        }
        self.transaction(async |tx| {
            tx.execute(
                sql("DELETE FROM organisation_email_domains WHERE organisation_id = $1")
                    .bind(organisation_id),
            )
            .await?;
            for domain in domains {
                tx.execute(
                    sql(
                        "INSERT INTO organisation_email_domains (organisation_id, domain) \
                         VALUES ($1, $2) ON CONFLICT DO NOTHING",
                    )
                    .bind(organisation_id)
                    .bind(domain.clone()),
                )
                .await?;
            }
            Ok(())
        })
        .await
    }

    /// The organisation's notification addresses, by kind, oldest first.
    pub async fn notification_addresses(
        &self,
        organisation_id: i64,
    ) -> ApiResult<Vec<NotificationAddress>> {
        const SQL: &str = concat!(
            "SELECT id, kind, email, mail, created_ms FROM notification_addresses ",
            "WHERE organisation_id = $1 ORDER BY kind, id"
        );
        let rows = self.fetch_all(sql(SQL).bind(organisation_id)).await?;
        rows.iter().map(address_from_row).collect()
    }

    /// The addresses of `kind` that opted in to mail.
    pub async fn mailed_addresses(
        &self,
        organisation_id: i64,
        kind: NotificationKind,
    ) -> ApiResult<Vec<String>> {
        const SQL: &str = "SELECT email FROM notification_addresses \
             WHERE organisation_id = $1 AND kind = $2 AND mail ORDER BY id";
        let rows = self
            .fetch_all(sql(SQL).bind(organisation_id).bind(kind.as_str()))
            .await?;
        rows.iter().map(|r| r.text("email")).collect()
    }

    /// Adds an address (already checked against the allowed domains).
    pub async fn add_notification_address(
        &self,
        by: &User,
        organisation_id: i64,
        kind: NotificationKind,
        email: &str,
        mail: bool,
        idempotency: Option<&Idempotency>,
    ) -> ApiResult<Written<NotificationAddress>> {
        const INSERT: &str = "INSERT INTO notification_addresses (organisation_id, kind, email, \
             mail, created_ms) VALUES ($1, $2, $3, $4, $5) RETURNING id";
        let now = millis(Utc::now());
        let email = email.trim().to_lowercase();
        self.write(by.id, idempotency, 201, async |tx| {
            let row = tx
                .fetch_one(
                    sql(INSERT)
                        .bind(organisation_id)
                        .bind(kind.as_str())
                        .bind(email.clone())
                        .bind(mail)
                        .bind(now),
                )
                .await
                .map_err(|e| {
                    unique_as_conflict(e, "the organisation has this address for this kind already")
                })?;
            let address = NotificationAddress {
                id: row.int("id")?,
                kind,
                email,
                mail,
                created_at: from_millis(now)?,
            };
            Ok((address, Vec::new()))
        })
        .await
    }

    /// Turns an address's mail on or off.
    pub async fn set_notification_mail(
        &self,
        by: &User,
        organisation_id: i64,
        id: i64,
        mail: bool,
        idempotency: Option<&Idempotency>,
    ) -> ApiResult<Written<NotificationAddress>> {
        const UPDATE: &str =
            "UPDATE notification_addresses SET mail = $1 WHERE id = $2 AND organisation_id = $3";
        const ONE: &str = "SELECT id, kind, email, mail, created_ms FROM notification_addresses \
             WHERE id = $1";
        self.write(by.id, idempotency, 200, async |tx| {
            let changed = tx
                .execute(sql(UPDATE).bind(mail).bind(id).bind(organisation_id))
                .await?
                .rows_affected();
            if changed == 0 {
                return Err(no_address(id));
            }
            let row = tx.fetch_one(sql(ONE).bind(id)).await?;
            Ok((address_from_row(&row)?, Vec::new()))
        })
        .await
    }

    /// Removes an address.
    pub async fn remove_notification_address(
        &self,
        by: &User,
        organisation_id: i64,
        id: i64,
        idempotency: Option<&Idempotency>,
    ) -> ApiResult<Written<()>> {
        const DELETE: &str =
            "DELETE FROM notification_addresses WHERE id = $1 AND organisation_id = $2";
        self.write(by.id, idempotency, 204, async |tx| {
            let removed = tx
                .execute(sql(DELETE).bind(id).bind(organisation_id))
                .await?
                .rows_affected();
            if removed == 0 {
                return Err(no_address(id));
            }
            Ok(((), Vec::new()))
        })
        .await
    }
}
