//! Password reset tokens (stored as SHA-256 only, single use, time-limited)
//! and the requests for them, counted for the rate limits.

use super::*;

/// A mail to queue with a write, in its transaction.
#[derive(Clone, Copy, Debug)]
pub struct OutgoingMail<'a> {
    pub to: &'a str,
    pub subject: &'a str,
    pub body: &'a str,
}

/// Ends every session of the account `user_id`, in `tx`.
pub(crate) async fn end_sessions_of(tx: &mut Tx, user_id: i64) -> ApiResult<u64> {
    let ended = tx
        .execute(sql("DELETE FROM sessions WHERE user_id = $1").bind(user_id))
        .await?
        .rows_affected();
    Ok(ended)
}

/// Stores a new reset token of `user_id` and queues its mail, in `tx`.
pub(crate) async fn issue_reset_token(
    tx: &mut Tx,
    user_id: i64,
    token_hash: &str,
    now: DateTime<Utc>,
    expires_at: DateTime<Utc>,
    mail: OutgoingMail<'_>,
) -> ApiResult<()> {
    const INSERT: &str = "INSERT INTO password_resets (token_hash, user_id, created_ms, \
         expires_ms) VALUES ($1, $2, $3, $4)";
    tx.execute(
        sql(INSERT)
            .bind(token_hash.to_owned())
            .bind(user_id)
            .bind(millis(now))
            .bind(millis(expires_at)),
    )
    .await?;
    super::queue_mail(tx, mail.to, mail.subject, mail.body, now).await
}

impl Db {
    /// Reset requests for `email` since `since`, known address or not.
    pub async fn reset_requests_since(&self, email: &str, since: DateTime<Utc>) -> ApiResult<i64> {
        const COUNT: &str =
            "SELECT COUNT(*) AS n FROM password_reset_requests WHERE email = $1 AND at_ms > $2";
        let row = self
            .fetch_one(sql(COUNT).bind(email.to_owned()).bind(millis(since)))
            .await?;
        row.int("n")
    }

    /// Records a reset request for `email` (forgetting those before
    /// `keep_since`) and, when `issue` names the account, stores its token
    /// and queues the mail, unless the account had `per_account_limit`
    /// tokens since `keep_since` already. Whether a mail was queued.
    pub async fn request_password_reset(
        &self,
        email: &str,
        keep_since: DateTime<Utc>,
        per_account_limit: i64,
        issue: Option<(i64, &str, DateTime<Utc>, OutgoingMail<'_>)>,
    ) -> ApiResult<bool> {
        const FORGET: &str = "DELETE FROM password_reset_requests WHERE at_ms <= $1";
        const RECORD: &str = "INSERT INTO password_reset_requests (email, at_ms) VALUES ($1, $2)";
        const ISSUED: &str =
            "SELECT COUNT(*) AS n FROM password_resets WHERE user_id = $1 AND created_ms > $2";
        let now = Utc::now();
        self.transaction(async |tx| {
            tx.execute(sql(FORGET).bind(millis(keep_since))).await?;
            tx.execute(sql(RECORD).bind(email.to_owned()).bind(millis(now)))
                .await?;
            let Some((user_id, token_hash, expires_at, mail)) = issue else {
                return Ok(false);
            };
            let issued = tx
                .fetch_one(sql(ISSUED).bind(user_id).bind(millis(keep_since)))
                .await?
                .int("n")?;
            if issued >= per_account_limit {
                return Ok(false);
            }
            issue_reset_token(tx, user_id, token_hash, now, expires_at, mail).await?;
            Ok(true)
        })
        .await
    }

    /// Spends the reset token with this hash, if it is unused, unexpired
    /// and its account not removed: sets the password, voids every other
    /// token of the account and ends every session of it. The account's
    /// address, or `None` (nothing changed).
    pub async fn reset_password(
        &self,
        token_hash: &str,
        password_hash: &str,
        now: DateTime<Utc>,
    ) -> ApiResult<Option<String>> {
        let reset = self
            .spend_reset_token(token_hash, password_hash, now)
            .await?;
        let Some((email, user_id)) = reset else {
            return Ok(None);
        };
        // Its open event streams check their sessions now, and end.
        self.sessions_ended(user_id).await?;
        Ok(Some(email))
    }

    async fn spend_reset_token(
        &self,
        token_hash: &str,
        password_hash: &str,
        now: DateTime<Utc>,
    ) -> ApiResult<Option<(String, i64)>> {
        const TOKEN: &str = "SELECT r.user_id, u.email FROM password_resets r \
             JOIN users u ON u.id = r.user_id \
             WHERE r.token_hash = $1 AND r.used_ms IS NULL AND r.expires_ms > $2 \
             AND u.deleted_ms IS NULL";
        const SPEND: &str =
            "UPDATE password_resets SET used_ms = $1 WHERE user_id = $2 AND used_ms IS NULL";
        const SET: &str = "UPDATE users SET password_hash = $1 WHERE id = $2";
        self.transaction(async |tx| {
            let Some(row) = tx
                .fetch_optional(sql(TOKEN).bind(token_hash.to_owned()).bind(millis(now)))
                .await?
            else {
                return Ok(None);
            };
            let user_id = row.int("user_id")?;
            let spent = tx
                .execute(sql(SPEND).bind(millis(now)).bind(user_id))
                .await?
                .rows_affected();
            if spent == 0 {
                // A concurrent confirmation took it first.
                return Ok(None);
            }
            tx.execute(sql(SET).bind(password_hash.to_owned()).bind(user_id))
                .await?;
            end_sessions_of(tx, user_id).await?;
            tx.execute(sql("DELETE FROM login_failures WHERE email = $1").bind(row.text("email")?))
                .await?;
            Ok(Some((row.text("email")?, user_id)))
        })
        .await
    }
}
