//! Organisations, people, failed sign-ins and sessions.

use super::*;

impl Db {
    pub async fn create_organisation(&self, name: &str) -> ApiResult<i64> {
        const SQL: &str =
            "INSERT INTO organisations (name, created_ms) VALUES ($1, $2) RETURNING id";
        let now = millis(Utc::now());
        let _turn = self.write_turn().await;
        let row = self
            .fetch_one(sql(SQL).bind(name.to_owned()).bind(now))
            .await
            .map_err(|e| unique_as_conflict(e, "an organisation with this name exists"))?;
        row.int("id")
    }

    pub async fn create_user(
        &self,
        organisation_id: Option<i64>,
        email: &str,
        name: &str,
        role: Role,
        password_hash: &str,
        rights: Rights,
    ) -> ApiResult<i64> {
        const SQL: &str = "INSERT INTO users (organisation_id, email, name, role, password_hash, \
             right_all_tickets, right_invoices, right_call_records, right_manage_users, \
             right_expedite, created_ms) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11) RETURNING id";
        // Customer admins have every right; agents none of a customer's.
        let rights = match role {
            Role::CustomerAdmin => Rights::ALL,
            Role::CustomerUser => rights,
            Role::Agent => Rights::default(),
        };
        let now = millis(Utc::now());
        let _turn = self.write_turn().await;
        let row = self
            .fetch_one(
                sql(SQL)
                    .bind(organisation_id)
                    .bind(email.trim().to_lowercase())
                    .bind(name.to_owned())
                    .bind(role.as_str())
                    .bind(password_hash.to_owned())
                    .bind(rights.all_tickets)
                    .bind(rights.invoices)
                    .bind(rights.call_records)
                    .bind(rights.manage_users)
                    .bind(rights.expedite)
                    .bind(now),
            )
            .await
            .map_err(|e| unique_as_conflict(e, "a user with this e-mail address exists"))?;
        row.int("id")
    }

    /// An organisation's name, if it exists.
    pub async fn organisation_name(&self, id: i64) -> ApiResult<Option<String>> {
        let row = self
            .fetch_optional(sql("SELECT name FROM organisations WHERE id = $1").bind(id))
            .await?;
        row.as_ref().map(|r| r.text("name")).transpose()
    }

    pub async fn user_by_email(&self, email: &str) -> ApiResult<Option<User>> {
        let email = email.trim().to_lowercase();
        let row = self.fetch_optional(sql(USER_BY_EMAIL).bind(email)).await?;
        row.as_ref().map(user_from_row).transpose()
    }

    /// Failed sign-ins for an address since `since` (all instances see them).
    pub async fn login_failures_since(&self, email: &str, since: DateTime<Utc>) -> ApiResult<i64> {
        let email = email.trim().to_lowercase();
        let row = self
            .fetch_one(
                sql("SELECT COUNT(*) AS n FROM login_failures WHERE email = $1 AND at_ms > $2")
                    .bind(email)
                    .bind(millis(since)),
            )
            .await?;
        row.int("n")
    }

    /// Records a failed sign-in and forgets those older than `keep_since`.
    pub async fn record_login_failure(
        &self,
        email: &str,
        keep_since: DateTime<Utc>,
    ) -> ApiResult<()> {
        let email = email.trim().to_lowercase();
        let now = millis(Utc::now());
        self.transaction(async |tx| {
            tx.execute(
                sql("DELETE FROM login_failures WHERE email = $1 AND at_ms <= $2")
                    .bind(email.clone())
                    .bind(millis(keep_since)),
            )
            .await?;
            tx.execute(
                sql("INSERT INTO login_failures (email, at_ms) VALUES ($1, $2)")
                    .bind(email)
                    .bind(now),
            )
            .await?;
            Ok(())
        })
        .await
    }

    /// Forgets an address's failed sign-ins (after a successful one).
    pub async fn clear_login_failures(&self, email: &str) -> ApiResult<()> {
        let email = email.trim().to_lowercase();
        let _turn = self.write_turn().await;
        self.execute(sql("DELETE FROM login_failures WHERE email = $1").bind(email))
            .await?;
        Ok(())
    }

    // ---- sessions -----------------------------------------------------------------

    pub async fn create_session(
        &self,
        token_hash: &str,
        user_id: i64,
        expires_at: DateTime<Utc>,
    ) -> ApiResult<()> {
        const SQL: &str = "INSERT INTO sessions (token_hash, user_id, created_ms, expires_ms) \
             VALUES ($1, $2, $3, $4)";
        let now = millis(Utc::now());
        let _turn = self.write_turn().await;
        self.execute(
            sql(SQL)
                .bind(token_hash.to_owned())
                .bind(user_id)
                .bind(now)
                .bind(millis(expires_at)),
        )
        .await?;
        Ok(())
    }

    /// The user holding an unexpired session with this token hash.
    pub async fn user_by_session(&self, token_hash: &str) -> ApiResult<Option<User>> {
        let now = millis(Utc::now());
        let row = self
            .fetch_optional(sql(USER_BY_SESSION).bind(token_hash.to_owned()).bind(now))
            .await?;
        row.as_ref().map(user_from_row).transpose()
    }

    pub async fn delete_session(&self, token_hash: &str) -> ApiResult<()> {
        let _turn = self.write_turn().await;
        self.execute(sql("DELETE FROM sessions WHERE token_hash = $1").bind(token_hash.to_owned()))
            .await?;
        Ok(())
    }

    /// Ends every session of a user at once (tests use it to age sessions).
    pub async fn expire_sessions_of(&self, user_id: i64) -> ApiResult<()> {
        let _turn = self.write_turn().await;
        self.execute(
            sql("UPDATE sessions SET expires_ms = $1 WHERE user_id = $2")
                .bind(millis(Utc::now()) - 1)
                .bind(user_id),
        )
        .await?;
        Ok(())
    }

    /// Sets a user's password hash and ends every session of theirs but the
    /// one with `keep_token_hash`, in one transaction.
    pub async fn change_password(
        &self,
        user_id: i64,
        password_hash: &str,
        keep_token_hash: &str,
    ) -> ApiResult<u64> {
        self.transaction(async |tx| {
            tx.execute(
                sql("UPDATE users SET password_hash = $1 WHERE id = $2")
                    .bind(password_hash.to_owned())
                    .bind(user_id),
            )
            .await?;
            let ended = tx
                .execute(
                    sql("DELETE FROM sessions WHERE user_id = $1 AND token_hash <> $2")
                        .bind(user_id)
                        .bind(keep_token_hash.to_owned()),
                )
                .await?
                .rows_affected();
            Ok(ended)
        })
        .await
    }

    /// Swaps a session for a new one of the same user in one transaction;
    /// `false` (and nothing changed) when the old one had already ended, e.g.
    /// by a concurrent refresh.
    pub async fn replace_session(
        &self,
        old_token_hash: &str,
        new_token_hash: &str,
        user_id: i64,
        expires_at: DateTime<Utc>,
    ) -> ApiResult<bool> {
        const INSERT: &str = "INSERT INTO sessions (token_hash, user_id, created_ms, expires_ms) \
             VALUES ($1, $2, $3, $4)";
        let now = millis(Utc::now());
        self.transaction(async |tx| {
            let ended = tx.execute(sql(
                "DELETE FROM sessions WHERE token_hash = $1 AND user_id = $2 AND expires_ms > $3",
            ).bind(old_token_hash.to_owned()).bind(user_id).bind(now)).await?
            .rows_affected();
            if ended == 0 {
                // Nothing changed: committing is as good as rolling back.
                return Ok(false);
            }
            tx.execute(
                sql(INSERT)
                    .bind(new_token_hash.to_owned())
                    .bind(user_id)
                    .bind(now)
                    .bind(millis(expires_at)),
            )
            .await?;
            Ok(true)
        })
        .await
    }

    /// Drops sessions that expired; called now and then, not on the request path.
    pub async fn purge_expired_sessions(&self) -> ApiResult<u64> {
        let now = millis(Utc::now());
        let _turn = self.write_turn().await;
        let done = self
            .execute(sql("DELETE FROM sessions WHERE expires_ms <= $1").bind(now))
            .await?;
        Ok(done.rows_affected())
    }
}
