//! The paid expedited response: the quote is always the helpdesk's current
//! one (online only, a price is never shown from the cache); the customer's
//! consent to a price goes through the outbox like any write, and the
//! helpdesk refuses it (the item fails with its message) if the price
//! changed meanwhile.

use deskmate_api::{ExpediteQuote, NewExpedite, OutboxItem, OutboxKind, OutboxState, Price};

use crate::cache::Write;
use crate::{Core, CoreError, Result};

/// What [`crate::backend::not_offered`] names.
const EXPEDITE: &str = "an expedited response";

impl Core {
    /// What an expedited response of ticket `ticket_id` costs now, and
    /// whether the user can have it. Needs the helpdesk: offline it is a
    /// `network` error saying so.
    pub async fn expedite_quote(&self, ticket_id: i64) -> Result<ExpediteQuote> {
        let (_, client, token) = self.offering(|c| c.expedite, EXPEDITE).await?;
        match client.expedite_quote(&token, ticket_id).await {
            Ok(quote) => Ok(quote),
            Err(CoreError::Network { url }) => Err(CoreError::Offline(format!(
                "the current price of an expedited response needs a connection to the \
                 helpdesk at {url}: try again when online"
            ))),
            Err(e) => Err(self.expire_on_unauthorized(e).await),
        }
    }

    /// Queues the user's consent to `accepted_price` for ticket
    /// `ticket_id`'s expedited response and sends it at once if the helpdesk
    /// answers. The item is `None` once the helpdesk accepted it (the cached
    /// ticket is expedited), else pending (offline: sent by the next drain)
    /// or failed with the helpdesk's reason (a changed price: quote again
    /// and consent to the new price, which replaces the failed item, or
    /// discard it).
    pub async fn expedite(
        &self,
        ticket_id: i64,
        accepted_price: Price,
    ) -> Result<Option<OutboxItem>> {
        accepted_price.validate().map_err(CoreError::Invalid)?;
        let (session, _, _) = self.offering(|c| c.expedite, EXPEDITE).await?;
        let account = session.account();
        let ticket = self.cache().ticket(ticket_id).await?.ok_or_else(|| {
            CoreError::NotFound(format!(
                "no ticket #{ticket_id} on this computer: a ticket is expedited once the \
                 helpdesk has it (sync first)"
            ))
        })?;
        if ticket.expedited {
            return Err(CoreError::Invalid(format!(
                "ticket #{ticket_id} is expedited already"
            )));
        }
        let earlier: Vec<OutboxItem> = self
            .cache()
            .outbox_for_ticket(account.clone(), ticket_id)
            .await?
            .into_iter()
            .filter(|i| i.kind == OutboxKind::Expedite)
            .collect();
        if earlier.iter().any(|i| i.state == OutboxState::Pending) {
            return Err(CoreError::Invalid(format!(
                "your request to expedite ticket #{ticket_id} is already waiting to be sent"
            )));
        }
        // A refused consent (a price that changed) is superseded by this one.
        for refused in earlier {
            self.cache().discard_item(refused.local_id).await?;
        }
        let write = Write::Expedite {
            ticket_id,
            consent: NewExpedite { accepted_price },
        };
        let item = self.enqueue(write, None, &[]).await?;
        self.send_now(&item).await?;
        self.cache().outbox_item(item.local_id).await
    }
}
