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

    /// Failed sign-ins since `since` of an address (from `client` only,
    /// or from any client when `None`); all instances see them.
    pub async fn login_failures_since(
        &self,
        email: &str,
        client: Option<&str>,
        since: DateTime<Utc>,
    ) -> ApiResult<i64> {
        let email = email.trim().to_lowercase();
        let query = match client {
            Some(client) => sql("SELECT COUNT(*) AS n FROM login_failures \
                 WHERE email = $1 AND client = $2 AND at_ms > $3")
            .bind(email)
            .bind(client.to_owned()),
            None => sql("SELECT COUNT(*) AS n FROM login_failures WHERE email = $1 AND at_ms > $2")
                .bind(email),
        };
        self.fetch_one(query.bind(millis(since))).await?.int("n")
    }

    /// Failed sign-ins from `client` since `since`, whatever the address.
    pub async fn client_failures_since(
        &self,
        client: &str,
        since: DateTime<Utc>,
    ) -> ApiResult<i64> {
        let row = self
            .fetch_one(
                sql("SELECT COUNT(*) AS n FROM login_failures WHERE client = $1 AND at_ms > $2")
                    .bind(client.to_owned())
                    .bind(millis(since)),
            )
            .await?;
        row.int("n")
    }

    /// Records a failed sign-in of `email` from `client` at `at`, and
    /// forgets every failure, of any address, from before `keep_since`:
    /// guesses at random addresses leave nothing behind.
    pub async fn record_login_failure(
        &self,
        email: &str,
        client: &str,
        at: DateTime<Utc>,
        keep_since: DateTime<Utc>,
    ) -> ApiResult<()> {
        let email = email.trim().to_lowercase();
        self.transaction(async |tx| {
            tx.execute(
                sql("DELETE FROM login_failures WHERE at_ms <= $1").bind(millis(keep_since)),
            )
            .await?;
            tx.execute(
                sql("INSERT INTO login_failures (email, client, at_ms) VALUES ($1, $2, $3)")
                    .bind(email)
                    .bind(client.to_owned())
                    .bind(millis(at)),
            )
            .await?;
            Ok(())
        })
        .await
    }

    /// Forgets an address's failed sign-ins from `client` (after a
    /// successful one there; others' guesses still count).
    pub async fn clear_login_failures(&self, email: &str, client: &str) -> ApiResult<()> {
        let email = email.trim().to_lowercase();
        let _turn = self.write_turn().await;
        self.execute(
            sql("DELETE FROM login_failures WHERE email = $1 AND client = $2")
                .bind(email)
                .bind(client.to_owned()),
        )
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

    /// When the session with this token hash expires; `None` when it has.
    pub async fn session_expires_at(&self, token_hash: &str) -> ApiResult<Option<DateTime<Utc>>> {
        let row = self
            .fetch_optional(
                sql("SELECT expires_ms FROM sessions WHERE token_hash = $1 AND expires_ms > $2")
                    .bind(token_hash.to_owned())
                    .bind(millis(Utc::now())),
            )
            .await?;
        row.map(|r| r.int("expires_ms").and_then(from_millis))
            .transpose()
    }

    /// Ends the session of `user_id` with this token hash (signing out).
    pub async fn delete_session(&self, token_hash: &str, user_id: i64) -> ApiResult<()> {
        {
            let _turn = self.write_turn().await;
            self.execute(
                sql("DELETE FROM sessions WHERE token_hash = $1").bind(token_hash.to_owned()),
            )
            .await?;
        }
        self.sessions_ended(user_id).await
    }

    /// Ends every session of a user at once (tests use it to age sessions).
    pub async fn expire_sessions_of(&self, user_id: i64) -> ApiResult<()> {
        {
            let _turn = self.write_turn().await;
            self.execute(
                sql("UPDATE sessions SET expires_ms = $1 WHERE user_id = $2")
                    .bind(millis(Utc::now()) - 1)
                    .bind(user_id),
            )
            .await?;
        }
        self.sessions_ended(user_id).await
    }

    /// Tells the open event streams of `user_id`, on every instance, that
    /// sessions of theirs ended: each checks its own and ends when it is
    /// gone. Every change that ends sessions calls it after committing
    /// (sign-out, refresh, password change or reset, expiry, revocation).
    pub async fn sessions_ended(&self, user_id: i64) -> ApiResult<()> {
        let notice = ChangeEvent::sessions_ended(user_id);
        if self.is_postgres() {
            let payload = serde_json::to_string(&notice).map_err(ApiError::internal)?;
            self.execute(sql("SELECT pg_notify($1, $2)").bind(CHANNEL).bind(payload))
                .await?;
        } else {
            self.bus.publish(notice);
        }
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
        let ended = self
            .transaction(async |tx| {
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
            .await?;
        self.sessions_ended(user_id).await?;
        Ok(ended)
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
        let replaced = self
            .transaction(async |tx| {
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
            .await?;
        if replaced {
            self.sessions_ended(user_id).await?;
        }
        Ok(replaced)
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
