//! When the customer can be reached at their computer about a ticket: said
//! through the outbox like every write, so it works offline and for a
//! ticket that is itself still waiting to be filed. The arithmetic (is the
//! customer reachable now, when next) is deskmate-api's, re-exported here.

use chrono::Utc;
use deskmate_api::{Availability, FileOutcome, OutboxItem};

pub use deskmate_api::reachability::{
    Reachability, Span, local_instant, next_window, reachability, reachable_at,
};

use crate::cache::{Delivered, Write};
use crate::{Core, CoreError, Result};

/// What [`crate::backend::not_offered`] names.
const AVAILABILITY: &str = "availability windows";

impl Core {
    /// Says when the user can be reached about ticket `ticket_id` (`None`:
    /// takes it back). Committed to the outbox first, then sent at once
    /// when the helpdesk answers: `Sent` with the ticket as it is now, else
    /// `Queued` with the item (pending, or failed with the helpdesk's word).
    pub async fn set_availability(
        &self,
        ticket_id: i64,
        availability: Option<Availability>,
    ) -> Result<FileOutcome> {
        let availability = checked(availability)?;
        self.queue_availability(Write::SetAvailability {
            ticket_id: Some(ticket_id),
            after_item: None,
            availability,
        })
        .await
    }

    /// Like [`Core::set_availability`], for a ticket the user filed that
    /// still waits in the outbox as item `local_id`: sent once the helpdesk
    /// has filed the ticket.
    pub async fn set_pending_ticket_availability(
        &self,
        local_id: i64,
        availability: Option<Availability>,
    ) -> Result<FileOutcome> {
        let availability = checked(availability)?;
        let (session, _, _) = self.offering(|c| c.availability, AVAILABILITY).await?;
        let item = self
            .cache()
            .queue_availability_after(session.account(), local_id, availability)
            .await?
            .ok_or_else(|| {
                CoreError::NotFound(format!(
                    "no unsent ticket {local_id} on this computer: it may have been filed, \
                     see the ticket list"
                ))
            })?;
        self.send_availability(item).await
    }

    async fn queue_availability(&self, write: Write) -> Result<FileOutcome> {
        self.offering(|c| c.availability, AVAILABILITY).await?;
        let item = self.enqueue(write, None, &[]).await?;
        self.send_availability(item).await
    }

    /// Drains the outbox; `Sent` when the helpdesk took `item`.
    async fn send_availability(&self, item: OutboxItem) -> Result<FileOutcome> {
        if let Some(Delivered::Ticket(ticket)) = self.send_now(&item).await? {
            return Ok(FileOutcome::Sent { ticket });
        }
        Ok(FileOutcome::Queued {
            item: self.waiting(item).await?,
        })
    }
}

/// Tidied and checked as the helpdesk will (it checks again when it gets it).
fn checked(availability: Option<Availability>) -> Result<Option<Availability>> {
    let Some(availability) = availability.map(Availability::normalized) else {
        return Ok(None);
    };
    availability
        .validate(Utc::now())
        .map_err(|e| CoreError::Invalid(e.to_string()))?;
    Ok(Some(availability))
}
