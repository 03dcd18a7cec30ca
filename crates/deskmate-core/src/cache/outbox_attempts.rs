//! Recording how each try at sending an outbox item went, and putting what
//! the helpdesk made of a delivered write into the cache.

use deskmate_api::Attachment;
use rusqlite::params;

use super::Cache;
use super::attachments::upsert_attachment;
use super::messages::upsert_message;
use super::outbox::{Attempt, Delivered, Write, code_text};
use super::tickets::{stamp, upsert};
use crate::{CoreError, Result};

impl Cache {
    /// Records how a try ended; a sent item leaves the outbox and its ticket
    /// enters the cache in the same transaction.
    pub async fn record_attempt(&self, local_id: i64, attempt: Attempt) -> Result<()> {
        self.call(move |c| {
            let tx = c.transaction()?;
            match attempt {
                Attempt::Sent(delivered) => {
                    store_delivered(&tx, &delivered)?;
                    super::availability::adopt_filed_ticket(&tx, local_id, &delivered)?;
                    tx.execute("DELETE FROM outbox WHERE id = ?1", [local_id])?;
                }
                Attempt::Refused(error) => {
                    tx.execute(
                        "UPDATE outbox SET state = 'failed', attempts = attempts + 1,
                           error_code = ?2, error_message = ?3 WHERE id = ?1",
                        params![local_id, code_text(error.code), error.message],
                    )?;
                }
                Attempt::Postponed { error, retry_at } => {
                    tx.execute(
                        "UPDATE outbox SET attempts = attempts + 1, error_code = ?2,
                           error_message = ?3, next_attempt_at = ?4 WHERE id = ?1",
                        params![
                            local_id,
                            code_text(error.code),
                            error.message,
                            stamp(&retry_at)
                        ],
                    )?;
                }
            }
            tx.commit()?;
            Ok(())
        })
        .await
    }

    /// The helpdesk has the text of an item that also sends files: what it
    /// made enters the cache and the item becomes the sending of the rest of
    /// its files ([`Write::Attachments`]), keeping its key and its place in
    /// line, in one transaction.
    pub async fn record_progress(&self, local_id: i64, delivered: Delivered) -> Result<()> {
        let (ticket_id, message_id) = match &delivered {
            Delivered::Ticket(ticket) => (ticket.id, None),
            Delivered::Message { message, .. } => (message.ticket_id, Some(message.id)),
            Delivered::Files { ticket_id, .. } => (*ticket_id, None),
            Delivered::RemoteSession(_) | Delivered::OrderDelay(_) | Delivered::Expedited(_) => {
                return Err(CoreError::Cache(format!(
                    "outbox item {local_id} sends no files"
                )));
            }
        };
        let write = Write::Attachments {
            ticket_id,
            message_id,
        };
        let payload = write.payload()?;
        self.call(move |c| {
            let tx = c.transaction()?;
            store_delivered(&tx, &delivered)?;
            super::availability::adopt_filed_ticket(&tx, local_id, &delivered)?;
            tx.execute(
                "UPDATE outbox SET kind = ?2, ticket_id = ?3, payload = ?4
                 WHERE id = ?1 AND kind <> ?2",
                params![local_id, write.kind().as_str(), ticket_id, payload],
            )?;
            tx.commit()?;
            Ok(())
        })
        .await
    }

    /// The helpdesk has file `position` of the item: it is marked sent and
    /// its metadata enters the cache, in one transaction.
    pub async fn record_upload(
        &self,
        local_id: i64,
        position: u32,
        attachment: Attachment,
    ) -> Result<()> {
        self.call(move |c| {
            let tx = c.transaction()?;
            upsert_attachment(&tx, &attachment)?;
            tx.execute(
                "UPDATE outbox_files SET attachment_id = ?3 WHERE outbox_id = ?1 AND position = ?2",
                params![local_id, position, attachment.id],
            )?;
            tx.commit()?;
            Ok(())
        })
        .await
    }
}

/// Puts in what the helpdesk made of a delivered write (a sent item's text,
/// or the text of an item whose files follow).
fn store_delivered(c: &rusqlite::Connection, delivered: &Delivered) -> Result<()> {
    match delivered {
        Delivered::Ticket(ticket) => upsert(c, ticket)?,
        Delivered::Message { message, reopened } => {
            upsert_message(c, message)?;
            // The list shows the new activity (and a reopened ticket as
            // open) before the next pull confirms it.
            let status = if *reopened { Some("open") } else { None };
            c.execute(
                "UPDATE tickets SET updated_at = ?2, status = COALESCE(?3, status)
                 WHERE id = ?1",
                params![message.ticket_id, stamp(&message.created_at), status],
            )?;
            if *reopened {
                c.execute(
                    "UPDATE ticket_extras SET reopen_until = NULL WHERE ticket_id = ?1",
                    [message.ticket_id],
                )?;
            }
        }
        Delivered::Files { .. } => {}
        Delivered::RemoteSession(session) => super::notices::upsert_remote_session(c, session)?,
        Delivered::OrderDelay(request) => super::notices::upsert_order_delay(c, request)?,
        // The ticket shows it before the next pull confirms it.
        Delivered::Expedited(request) => {
            c.execute(
                "UPDATE tickets SET expedited = 1, expedited_at = COALESCE(expedited_at, ?2)
                 WHERE id = ?1",
                params![request.ticket_id, stamp(&request.requested_at)],
            )?;
        }
    }
    Ok(())
}
