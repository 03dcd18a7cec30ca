//! The mail outbox: mails queued in the transaction that decided to send
//! them, claimed and delivered by [`crate::mail`]'s task.

use super::*;

/// A mail waiting for delivery.
#[derive(Clone, Debug)]
pub struct QueuedMail {
    pub id: i64,
    pub recipient: String,
    pub subject: String,
    pub body: String,
    pub attempts: i64,
}

/// What one delivery attempt came to.
#[derive(Clone, Debug)]
pub enum Delivery {
    Sent,
    /// Try again at this time.
    Retry {
        at: DateTime<Utc>,
        error: String,
    },
    /// Given up for good.
    Failed {
        error: String,
    },
}

const QUEUE: &str = "INSERT INTO mail_outbox (recipient, subject, body, created_ms, \
     next_attempt_ms) VALUES ($1, $2, $3, $4, $4)";

/// Queues a mail in `tx`: it is sent only if the transaction commits.
pub(crate) async fn queue_mail(
    tx: &mut Tx,
    recipient: &str,
    subject: &str,
    body: &str,
    now: DateTime<Utc>,
) -> ApiResult<()> {
    tx.execute(
        sql(QUEUE)
            .bind(recipient.to_owned())
            .bind(subject.to_owned())
            .bind(body.to_owned())
            .bind(millis(now)),
    )
    .await?;
    Ok(())
}

impl Db {
    /// Queues mails on their own, all or none.
    pub async fn queue_mails(&self, mails: &[super::OutgoingMail<'_>]) -> ApiResult<()> {
        let now = Utc::now();
        self.transaction(async |tx| {
            for mail in mails {
                queue_mail(tx, mail.to, mail.subject, mail.body, now).await?;
            }
            Ok(())
        })
        .await
    }

    /// Claims up to `limit` mails due at `now`, oldest first: each one's
    /// next attempt moves `lease` on, so that another instance (or this
    /// one after a crash) takes it only if this delivery never reports.
    pub async fn claim_due_mail(
        &self,
        now: DateTime<Utc>,
        lease: chrono::Duration,
        limit: i64,
    ) -> ApiResult<Vec<QueuedMail>> {
        const DUE: &str = "SELECT id, recipient, subject, body, attempts, next_attempt_ms \
             FROM mail_outbox WHERE sent_ms IS NULL AND failed_ms IS NULL \
             AND next_attempt_ms <= $1 ORDER BY id LIMIT $2";
        const CLAIM: &str = "UPDATE mail_outbox SET next_attempt_ms = $1 \
             WHERE id = $2 AND next_attempt_ms = $3 AND sent_ms IS NULL AND failed_ms IS NULL";
        let rows = self
            .fetch_all(sql(DUE).bind(millis(now)).bind(limit))
            .await?;
        let mut claimed = Vec::with_capacity(rows.len());
        for row in rows {
            let id = row.int("id")?;
            let _turn = self.write_turn().await;
            let took = self
                .execute(
                    sql(CLAIM)
                        .bind(millis(now + lease))
                        .bind(id)
                        .bind(row.int("next_attempt_ms")?),
                )
                .await?
                .rows_affected();
            if took == 1 {
                claimed.push(QueuedMail {
                    id,
                    recipient: row.text("recipient")?,
                    subject: row.text("subject")?,
                    body: row.text("body")?,
                    attempts: row.int("attempts")?,
                });
            }
        }
        Ok(claimed)
    }

    /// Records how a claimed mail's delivery went.
    pub async fn record_delivery(
        &self,
        id: i64,
        delivery: &Delivery,
        now: DateTime<Utc>,
    ) -> ApiResult<()> {
        const SENT: &str = "UPDATE mail_outbox SET sent_ms = $1, attempts = attempts + 1, \
             last_error = NULL WHERE id = $2";
        const RETRY: &str = "UPDATE mail_outbox SET next_attempt_ms = $1, \
             attempts = attempts + 1, last_error = $2 WHERE id = $3";
        const FAILED: &str = "UPDATE mail_outbox SET failed_ms = $1, attempts = attempts + 1, \
             last_error = $2 WHERE id = $3";
        let statement = match delivery {
            Delivery::Sent => sql(SENT).bind(millis(now)).bind(id),
            Delivery::Retry { at, error } => {
                sql(RETRY).bind(millis(*at)).bind(error.clone()).bind(id)
            }
            Delivery::Failed { error } => {
                sql(FAILED).bind(millis(now)).bind(error.clone()).bind(id)
            }
        };
        let _turn = self.write_turn().await;
        self.execute(statement).await?;
        Ok(())
    }

    /// When the next queued mail is due, if any is waiting.
    pub async fn next_mail_due(&self) -> ApiResult<Option<DateTime<Utc>>> {
        const NEXT: &str = "SELECT MIN(next_attempt_ms) AS at FROM mail_outbox \
             WHERE sent_ms IS NULL AND failed_ms IS NULL";
        let row = self.fetch_one(sql(NEXT)).await?;
        row.opt_int("at")?.map(from_millis).transpose()
    }
}
