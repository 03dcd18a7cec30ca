//! The recipe every write follows, written once: in one transaction (on
//! SQLite, in this process's writer turn) claim the idempotency key, run
//! the write's own body, keep its answer under the key, `NOTIFY` the
//! changes it stamped (PostgreSQL), commit, and announce them (SQLite).
//! A body refuses by returning `Err`: the transaction is rolled back and
//! the error answered; nothing returns from the middle of the recipe.

use serde::Serialize;

use super::sql::{Tx, sql};
use super::{
    CLAIM_KEY, Columns, Db, Idempotency, KEEP_RESPONSE, NEXT_CHANGE, SEEN_KEY, StoredTicket,
    TICKET_BY_ID, Written, millis, replay, stored_ticket_from_row,
};
use crate::error::{ApiError, ApiResult};
use crate::events::{CHANNEL, ChangeEvent};

/// What a write's body answers: its result and the changes it stamped,
/// which go to whoever may see them once the transaction commits.
pub(crate) type Changed<T> = (T, Vec<ChangeEvent>);

impl Db {
    /// Runs `body` in a transaction of its own and commits; an `Err` from
    /// it rolls everything back. For writes without an idempotency key
    /// and without changes to announce (see [`Db::write`] for those).
    pub(crate) async fn transaction<T>(
        &self,
        body: impl AsyncFnOnce(&mut Tx) -> ApiResult<T>,
    ) -> ApiResult<T> {
        let _turn = self.write_turn().await;
        let mut tx = self.begin().await?;
        let value = match body(&mut tx).await {
            Ok(value) => value,
            Err(e) => return Err(rolled_back(tx, e).await),
        };
        tx.commit().await?;
        Ok(value)
    }

    /// The idempotent write of `by`: claims the key (a repeat answers the
    /// first response, or 409 for another request under the same key),
    /// runs `body`, keeps its answer with `status` under the key, notifies,
    /// commits and announces. Claiming first makes a concurrent repeat
    /// wait for this transaction, then find the key taken.
    pub(crate) async fn write<T: Serialize>(
        &self,
        by: i64,
        idempotency: Option<&Idempotency>,
        status: u16,
        body: impl AsyncFnOnce(&mut Tx) -> ApiResult<Changed<T>>,
    ) -> ApiResult<Written<T>> {
        let _turn = self.write_turn().await;
        let mut tx = self.begin().await?;
        if let Some(key) = idempotency
            && let Some(seen) = claim(&mut tx, by, key).await?
        {
            tx.rollback().await?;
            return replay(&seen, &key.request_hash);
        }
        let (value, events) = match body(&mut tx).await {
            Ok(done) => done,
            Err(e) => return Err(rolled_back(tx, e).await),
        };
        if let Some(key) = idempotency {
            keep_response(&mut tx, by, key, status, &value).await?;
        }
        self.notify(&mut tx, &events).await?;
        tx.commit().await?;
        self.announce_committed(events);
        Ok(Written::Created(value))
    }

    /// On PostgreSQL, just before commit: NOTIFY every instance of the
    /// changes (delivered only if the transaction commits).
    async fn notify(&self, tx: &mut Tx, events: &[ChangeEvent]) -> ApiResult<()> {
        if self.is_postgres() {
            for event in events {
                let payload = serde_json::to_string(event).map_err(ApiError::internal)?;
                tx.execute(sql("SELECT pg_notify($1, $2)").bind(CHANNEL).bind(payload))
                    .await?;
            }
        }
        Ok(())
    }
}

/// Rolls back after `e`, which is what the write answers (a failed
/// rollback is only logged: the connection drops the transaction anyway).
async fn rolled_back(tx: Tx, e: ApiError) -> ApiError {
    if let Err(rollback) = tx.rollback().await {
        tracing::warn!(error = %rollback, "rolling back a refused write failed");
    }
    e
}

/// Claims `key` for `user_id`; `Some(the stored first answer)` when it was
/// taken before.
async fn claim(tx: &mut Tx, user_id: i64, key: &Idempotency) -> ApiResult<Option<super::Row>> {
    let claimed = tx
        .execute(
            sql(CLAIM_KEY)
                .bind(user_id)
                .bind(key.key.clone())
                .bind(key.request_hash.clone())
                .bind(millis(chrono::Utc::now())),
        )
        .await?
        .rows_affected();
    if claimed > 0 {
        return Ok(None);
    }
    let seen = tx
        .fetch_one(sql(SEEN_KEY).bind(user_id).bind(key.key.clone()))
        .await?;
    Ok(Some(seen))
}

/// Stores the answer under the claimed key.
async fn keep_response(
    tx: &mut Tx,
    user_id: i64,
    key: &Idempotency,
    status: u16,
    value: &impl Serialize,
) -> ApiResult<()> {
    let body = serde_json::to_string(value).map_err(ApiError::internal)?;
    tx.execute(
        sql(KEEP_RESPONSE)
            .bind(i64::from(status))
            .bind(body)
            .bind(user_id)
            .bind(key.key.clone()),
    )
    .await?;
    Ok(())
}

impl Tx {
    /// Stamps row `id` through `stamp` (an `UPDATE ... SET change_seq = $1
    /// WHERE id = $2`) with the next change number, so delta sync hands it
    /// out again; answers the number. On PostgreSQL the counter row stays
    /// locked until the transaction ends, so numbers follow commit order.
    pub(crate) async fn stamp(&mut self, stamp: &'static str, id: i64) -> ApiResult<i64> {
        let seq = self.fetch_one(sql(NEXT_CHANGE)).await?.int("seq")?;
        self.execute(sql(stamp).bind(seq).bind(id)).await?;
        Ok(seq)
    }
}

/// Ticket `ticket_id` as this transaction sees it, or 404.
pub(crate) async fn tx_ticket(tx: &mut Tx, ticket_id: i64) -> ApiResult<StoredTicket> {
    let row = tx.fetch_optional(sql(TICKET_BY_ID).bind(ticket_id)).await?;
    row.as_ref()
        .map(stored_ticket_from_row)
        .transpose()?
        .ok_or_else(|| ApiError::not_found(format!("no ticket #{ticket_id}")))
}
