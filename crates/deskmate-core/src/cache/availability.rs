//! What the outbox needs for availability writes
//! ([`super::Write::SetAvailability`]): one said for a ticket that itself
//! still waits in the outbox learns the ticket's id when the helpdesk files it.

use deskmate_api::Availability;
use rusqlite::{Connection, OptionalExtension, params};

use super::outbox::{Delivered, Write};
use crate::Result;

/// Inside the transaction that records item `local_id` as delivered: when
/// it filed a ticket, the availability writes queued behind it for that
/// ticket now name it.
pub(super) fn adopt_filed_ticket(
    c: &Connection,
    local_id: i64,
    delivered: &Delivered,
) -> Result<()> {
    if let Delivered::Ticket(ticket) = delivered {
        c.execute(
            "UPDATE outbox SET ticket_id = ?2
             WHERE kind = 'set_availability' AND ticket_id IS NULL
               AND json_extract(payload, '$.after_item') = ?1",
            params![local_id, ticket.id],
        )?;
    }
    Ok(())
}

/// The outbox item's line: the windows, or that they are taken back.
pub(super) fn summary(availability: Option<&Availability>) -> String {
    let Some(a) = availability else {
        return "Availability taken back".to_owned();
    };
    let mut parts: Vec<String> = a.weekly.iter().map(ToString::to_string).collect();
    match a.dated.len() {
        0 => {}
        1 => parts.push("1 dated window".to_owned()),
        n => parts.push(format!("{n} dated windows")),
    }
    format!("Reachable: {} ({})", parts.join("; "), a.time_zone)
}

impl super::Cache {
    /// Queues `availability` for the ticket the account filed as outbox
    /// item `local_id`, in one transaction with looking the item up, so it
    /// cannot be filed in between unnoticed: while the item waits as a new
    /// ticket the write follows it; once only its files wait, the write
    /// names the ticket. `None` when the account has no such item.
    pub async fn queue_availability_after(
        &self,
        account: super::Account,
        local_id: i64,
        availability: Option<Availability>,
    ) -> Result<Option<deskmate_api::OutboxItem>> {
        self.call(move |c| {
            let tx = c.transaction()?;
            let found: Option<(String, Option<i64>)> = tx
                .query_row(
                    "SELECT kind, ticket_id FROM outbox
                     WHERE id = ?1 AND server_url = ?2 AND user_id = ?3",
                    params![local_id, account.server_url, account.user_id],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .optional()?;
            let (ticket_id, after_item) = match found {
                Some((kind, Some(ticket_id))) if kind == "attachments" => (Some(ticket_id), None),
                Some((kind, _)) if kind == "new_ticket" => (None, Some(local_id)),
                _ => return Ok(None),
            };
            let write = Write::SetAvailability {
                ticket_id,
                after_item,
                availability,
            };
            let id = super::outbox::insert_item(&tx, &account, &write)?;
            let queued = super::outbox::item(&tx, id)?;
            tx.commit()?;
            Ok(queued)
        })
        .await
    }
}
