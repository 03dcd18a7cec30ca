//! What the outbox needs for availability writes
//! ([`super::Write::SetAvailability`]): one said for a ticket that itself
//! still waits in the outbox learns the ticket's id when the helpdesk files it.

use deskmate_api::Availability;
use rusqlite::{Connection, params};

use super::outbox::Delivered;
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
