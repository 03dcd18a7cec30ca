//! A ticket's availability: when the customer can be reached at their
//! computer. Kept as JSON on the ticket row; setting or clearing it stamps
//! the ticket, so sync and live events carry it like any ticket change.

use deskmate_api::Availability;

use super::*;

const SET_AVAILABILITY: &str = "UPDATE tickets SET availability = $1 WHERE id = $2";

/// What the ticket row's `availability` column holds: the JSON, or NULL.
pub(super) fn availability_column(
    availability: Option<&Availability>,
) -> ApiResult<Option<String>> {
    availability
        .map(serde_json::to_string)
        .transpose()
        .map_err(ApiError::internal)
}

impl Db {
    /// Sets (`Some`) or clears (`None`) the availability of ticket
    /// `ticket_id` for `by`, who may see it; a closed ticket is a conflict.
    pub async fn set_availability(
        &self,
        ticket_id: i64,
        by: &User,
        availability: Option<&Availability>,
        idempotency: Option<&Idempotency>,
    ) -> ApiResult<Written<Ticket>> {
        let json = availability_column(availability)?;
        let _turn = self.write_turn().await;
        on_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            claim_or_replay!(tx, by.id, idempotency);
            let current = ticket_or_not_found!(tx, ticket_id, ticket_from_row);
            if current.status == TicketStatus::Closed {
                tx.rollback().await?;
                return Err(ApiError::new(
                    ErrorCode::Conflict,
                    "this ticket is closed: reopen it first to say when you can be reached",
                ));
            }
            sqlx::query(SET_AVAILABILITY)
                .bind(json.clone())
                .bind(ticket_id)
                .execute(&mut *tx)
                .await?;
            let seq = stamp_change!(tx, STAMP_TICKET, ticket_id);
            let ticket = Ticket {
                availability: availability.cloned(),
                ..current
            };
            keep_response!(tx, by.id, idempotency, 200u16, &ticket);
            let events = vec![ChangeEvent::of_ticket(seq, &ticket)];
            notify_in_tx!(self, tx, events);
            tx.commit().await?;
            self.announce_committed(events);
            Ok(Written::Created(ticket))
        })
    }
}
