//! A ticket's availability: when the customer can be reached at their
//! computer. Kept as JSON on the ticket row; setting or clearing it stamps
//! the ticket, so sync and live events carry it like any ticket change.

use deskmate_api::Availability;

use super::write::tx_ticket;
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
        self.write(by.id, idempotency, 200, async |tx| {
            let current = tx_ticket(tx, ticket_id).await?.ticket;
            if current.status == TicketStatus::Closed {
                return Err(ApiError::new(
                    ErrorCode::Conflict,
                    "this ticket is closed: reopen it first to say when you can be reached",
                ));
            }
            tx.execute(sql(SET_AVAILABILITY).bind(json.clone()).bind(ticket_id))
                .await?;
            let seq = tx.stamp(STAMP_TICKET, ticket_id).await?;
            let ticket = Ticket {
                availability: availability.cloned(),
                ..current
            };
            let events = vec![ChangeEvent::of_ticket(seq, &ticket)];
            Ok((ticket, events))
        })
        .await
    }
}
