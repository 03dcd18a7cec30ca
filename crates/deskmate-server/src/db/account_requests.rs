//! Account requests and organisations' contract numbers.

use deskmate_api::AccountRequest;

use super::*;

/// Who decides on requests: an organisation's customer admins, or the
/// provider's agents for the organisations without one.
#[derive(Clone, Copy, Debug)]
pub enum Deciders {
    Organisation(i64),
    Provider,
}

// The pending requests `$1`/`$2` decide on (see [`deciders_params`]).
macro_rules! pending_query {
    ($tail:literal) => {
        concat!(
            "SELECT r.id, r.name, r.email, r.created_ms, o.id AS org_id, o.name AS org_name ",
            "FROM account_requests r JOIN organisations o ON o.id = r.organisation_id ",
            "WHERE r.status = 'pending' AND (($1 = 'org' AND r.organisation_id = $2) ",
            "OR ($1 = 'provider' AND NOT EXISTS (SELECT 1 FROM users a ",
            "WHERE a.organisation_id = r.organisation_id AND a.role = 'customer_admin' ",
            "AND a.deleted_ms IS NULL))) ",
            $tail
        )
    };
}

fn deciders_params(deciders: Deciders) -> (&'static str, i64) {
    match deciders {
        Deciders::Organisation(id) => ("org", id),
        Deciders::Provider => ("provider", 0),
    }
}

fn request_from_row(row: &impl Columns) -> ApiResult<AccountRequest> {
    Ok(AccountRequest {
        id: row.int("id")?,
        name: row.text("name")?,
        email: row.text("email")?,
        organisation: OrganisationRef {
            id: row.int("org_id")?,
            name: row.text("org_name")?,
        },
        created_at: from_millis(row.int("created_ms")?)?,
    })
}

fn no_request(id: i64) -> ApiError {
    ApiError::not_found(format!(
        "no pending account request #{id} for you to decide"
    ))
}

impl Db {
    /// Sets (or with `None` clears) an organisation's contract number.
    pub async fn set_contract_number(
        &self,
        organisation_id: i64,
        number: Option<&str>,
    ) -> ApiResult<()> {
        let _turn = self.write_turn().await;
        let changed = self
            .execute(
                sql("UPDATE organisations SET contract_number = $1 WHERE id = $2")
                    .bind(number.map(str::to_owned))
                    .bind(organisation_id),
            )
            .await
            .map_err(|e| unique_as_conflict(e, "another organisation has this contract number"))?
            .rows_affected();
        if changed == 0 {
            return Err(ApiError::not_found(format!(
                "no organisation with id {organisation_id}"
            )));
        }
        Ok(())
    }

    /// The organisation with this contract number, if any.
    pub async fn organisation_by_contract(&self, number: &str) -> ApiResult<Option<i64>> {
        let row = self
            .fetch_optional(
                sql("SELECT id FROM organisations WHERE contract_number = $1")
                    .bind(number.to_owned()),
            )
            .await?;
        row.as_ref().map(|r| r.int("id")).transpose()
    }

    /// Requests made for `email` since `since`.
    pub async fn account_requests_since(
        &self,
        email: &str,
        since: DateTime<Utc>,
    ) -> ApiResult<i64> {
        let row = self
            .fetch_one(
                sql("SELECT COUNT(*) AS n FROM account_requests WHERE email = $1 AND created_ms > $2")
                    .bind(email.to_owned())
                    .bind(millis(since)),
            )
            .await?;
        row.int("n")
    }

    /// Records a pending request.
    pub async fn add_account_request(
        &self,
        organisation_id: i64,
        name: &str,
        email: &str,
    ) -> ApiResult<i64> {
        const INSERT: &str = "INSERT INTO account_requests (organisation_id, name, email, \
             created_ms) VALUES ($1, $2, $3, $4) RETURNING id";
        let _turn = self.write_turn().await;
        let row = self
            .fetch_one(
                sql(INSERT)
                    .bind(organisation_id)
                    .bind(name.to_owned())
                    .bind(email.to_owned())
                    .bind(millis(Utc::now())),
            )
            .await?;
        row.int("id")
    }

    /// The pending requests `deciders` decide on, oldest first.
    pub async fn pending_account_requests(
        &self,
        deciders: Deciders,
    ) -> ApiResult<Vec<AccountRequest>> {
        const SQL: &str = pending_query!("ORDER BY r.id");
        let (kind, id) = deciders_params(deciders);
        let rows = self.fetch_all(sql(SQL).bind(kind).bind(id)).await?;
        rows.iter().map(request_from_row).collect()
    }

    /// One pending request `deciders` decide on.
    pub async fn pending_account_request(
        &self,
        deciders: Deciders,
        id: i64,
    ) -> ApiResult<AccountRequest> {
        const SQL: &str = pending_query!("AND r.id = $3");
        let (kind, org) = deciders_params(deciders);
        let row = self
            .fetch_optional(sql(SQL).bind(kind).bind(org).bind(id))
            .await?;
        row.as_ref()
            .map(request_from_row)
            .transpose()?
            .ok_or_else(|| no_request(id))
    }

    /// Decides a pending request: approved, it becomes a customer user
    /// without rights and without a usable password, with a set-password
    /// token whose mail is queued, all in one transaction.
    pub async fn decide_account_request(
        &self,
        by: &User,
        request: &AccountRequest,
        approve: Option<(&str, DateTime<Utc>, OutgoingMail<'_>)>,
    ) -> ApiResult<Option<i64>> {
        const DECIDE: &str = "UPDATE account_requests SET status = $1, decided_ms = $2, \
             decided_by = $3 WHERE id = $4 AND status = 'pending'";
        const INSERT: &str = "INSERT INTO users (organisation_id, email, name, role, \
             password_hash, right_all_tickets, right_invoices, right_call_records, \
             right_manage_users, right_expedite, created_ms) \
             VALUES ($1, $2, $3, 'customer_user', '', FALSE, FALSE, FALSE, FALSE, FALSE, $4) \
             RETURNING id";
        let now = Utc::now();
        let status = if approve.is_some() {
            "approved"
        } else {
            "rejected"
        };
        self.transaction(async |tx| {
            let decided = tx
                .execute(
                    sql(DECIDE)
                        .bind(status)
                        .bind(millis(now))
                        .bind(by.id)
                        .bind(request.id),
                )
                .await?
                .rows_affected();
            if decided == 0 {
                return Err(no_request(request.id));
            }
            let Some((token_hash, expires_at, mail)) = approve else {
                return Ok(None);
            };
            let row = tx
                .fetch_one(
                    sql(INSERT)
                        .bind(request.organisation.id)
                        .bind(request.email.clone())
                        .bind(request.name.clone())
                        .bind(millis(now)),
                )
                .await
                .map_err(|e| unique_as_conflict(e, "an account with this e-mail address exists"))?;
            let user_id = row.int("id")?;
            super::issue_reset_token(tx, user_id, token_hash, now, expires_at, mail).await?;
            Ok(Some(user_id))
        })
        .await
    }
}
