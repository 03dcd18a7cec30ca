//! "Ready for remote help now": until when the customer is at the computer,
//! kept on the ticket row. It expires by itself: a time in the past reads
//! as not ready. Setting or clearing it stamps the ticket, so whoever may
//! see it hears of it live.

use deskmate_api::ReadyNow;

use super::write::tx_ticket;
use super::*;

const READY_UNTIL: &str = "SELECT ready_until_ms FROM tickets WHERE id = $1";
const SET_READY_UNTIL: &str = "UPDATE tickets SET ready_until_ms = $1 WHERE id = $2";

/// `ready_until_ms` as the API says it: `None` once it passed.
pub(super) fn still_ready(
    stored: Option<i64>,
    now: DateTime<Utc>,
) -> ApiResult<Option<DateTime<Utc>>> {
    Ok(stored
        .map(from_millis)
        .transpose()?
        .filter(|until| *until > now))
}

impl Db {
    /// Until when the customer of ticket `ticket_id` is ready now.
    pub async fn ready_now(&self, ticket_id: i64, now: DateTime<Utc>) -> ApiResult<ReadyNow> {
        let row = self
            .fetch_optional(sql(READY_UNTIL).bind(ticket_id))
            .await?
            .ok_or_else(|| ApiError::not_found(format!("no ticket #{ticket_id}")))?;
        Ok(ReadyNow {
            ready_until: still_ready(row.opt_int("ready_until_ms")?, now)?,
        })
    }

    /// Sets (`Some`) or clears (`None`) until when `by` is ready now for
    /// ticket `ticket_id`; setting it on a closed ticket is a conflict.
    pub async fn set_ready_now(
        &self,
        ticket_id: i64,
        by: &User,
        until: Option<DateTime<Utc>>,
        idempotency: Option<&Idempotency>,
    ) -> ApiResult<Written<ReadyNow>> {
        // As stored: to the millisecond.
        let until = until.map(millis).map(from_millis).transpose()?;
        self.write(by.id, idempotency, 200, async |tx| {
            let current = tx_ticket(tx, ticket_id).await?.ticket;
            if until.is_some() && current.status == TicketStatus::Closed {
                return Err(ApiError::new(
                    ErrorCode::Conflict,
                    "this ticket is closed: reopen it first",
                ));
            }
            tx.execute(sql(SET_READY_UNTIL).bind(until.map(millis)).bind(ticket_id))
                .await?;
            let seq = tx.stamp(STAMP_TICKET, ticket_id).await?;
            let events = vec![ChangeEvent::of_ticket(seq, &current)];
            Ok((ReadyNow { ready_until: until }, events))
        })
        .await
    }
}
