//! Sending the outbox: every write the user makes is committed to the cache
//! first ([`Core::enqueue`]), then delivered here, oldest first, each with
//! its idempotency key; a refusal marks the item failed, an unreachable or
//! failing helpdesk postpones it with exponential backoff.
//!
//! An item's files are sent after its text, each with a key derived from the
//! item's ([`file_key`]), so a resend after a crash or a lost answer is
//! answered with the first upload instead of a second one.

use std::path::PathBuf;

use chrono::Utc;
use deskmate_api::{DrainReport, ErrorCode, NewTicket, OutboxItem};

use crate::backend::Backend;
use crate::cache::{Attempt, Delivered, OutboxEntry, OutboxFile, QueuedWrite, Write};
use crate::secrets::Sensitive;
use crate::{Core, CoreError, Result};
use deskmate_api::LiveUpdate;

/// The longest wait between two tries of the same outbox item.
const MAX_BACKOFF_SECS: i64 = 300;

/// The idempotency key of file `position` of the item with key `item_key`.
pub fn file_key(item_key: &str, position: u32) -> String {
    format!("{item_key}/file/{position}")
}

/// Wait before the next try after `attempts` tries: 2 s, 4 s, 8 s ... 5 min.
fn backoff(attempts: i64) -> chrono::Duration {
    let exponent = u32::try_from(attempts.clamp(1, 16)).unwrap_or(16);
    chrono::Duration::seconds(2_i64.saturating_pow(exponent).min(MAX_BACKOFF_SECS))
}

/// Whether a failed send is worth repeating as is (the helpdesk could not be
/// reached or could not answer now), as opposed to a refusal that repeating
/// would not change.
fn is_transient(error: &CoreError) -> bool {
    match error {
        CoreError::Network { .. } | CoreError::Protocol { .. } => true,
        CoreError::Server(e) => matches!(
            e.code,
            ErrorCode::Internal | ErrorCode::RateLimited | ErrorCode::Network
        ),
        _ => false,
    }
}

/// What one pass over the outbox did.
#[derive(Debug)]
pub(crate) struct Drained {
    pub report: DrainReport,
    /// The items the helpdesk accepted, by local id, with what it made of them.
    pub sent: Vec<(i64, Delivered)>,
    /// A try was postponed (its item waits for its retry time).
    pub postponed: bool,
}

impl Drained {
    /// What the window should re-read: the tickets and notices the sent
    /// items changed in the cache, and the outbox itself.
    pub(crate) fn events(&self) -> Vec<LiveUpdate> {
        if self.report.sent + self.report.failed == 0 && !self.postponed {
            return Vec::new();
        }
        let mut tickets: Vec<i64> = Vec::new();
        let mut notices = false;
        for (_, delivered) in &self.sent {
            match delivered {
                Delivered::Ticket(ticket) => tickets.push(ticket.id),
                Delivered::Message { message, .. } => tickets.push(message.ticket_id),
                Delivered::Files { ticket_id, .. } => tickets.push(*ticket_id),
                Delivered::Expedited(request) => tickets.push(request.ticket_id),
                Delivered::RemoteSession(_) | Delivered::OrderDelay(_) => notices = true,
            }
        }
        tickets.sort_unstable();
        tickets.dedup();
        let mut events = Vec::new();
        if !tickets.is_empty() {
            events.push(LiveUpdate::Tickets { ids: tickets });
        }
        if notices {
            events.push(LiveUpdate::Notices);
        }
        events.push(LiveUpdate::Outbox);
        events
    }
}

impl Core {
    /// Sends the signed-in account's pending writes, oldest first, each with
    /// its idempotency key. A refusal (4xx) marks the item failed and goes on;
    /// an unreachable or failing helpdesk stops the pass and schedules a retry
    /// with exponential backoff. `force` ignores the backoff (a user's "sync").
    pub async fn drain_outbox(&self, force: bool) -> Result<DrainReport> {
        self.drain(force).await.map(|drained| drained.report)
    }

    /// The signed-in (or last signed-in) account's writes not yet accepted,
    /// oldest first: pending and failed.
    pub async fn outbox(&self) -> Result<Vec<OutboxItem>> {
        match self.stored_session().await? {
            Some(session) => self.cache.outbox(session.account()).await,
            None => Ok(Vec::new()),
        }
    }

    /// Puts a failed item back in line (with a corrected ticket, if given) and
    /// tries to send it.
    pub async fn retry_outbox_item(
        &self,
        local_id: i64,
        corrected: Option<NewTicket>,
    ) -> Result<DrainReport> {
        if let Some(ticket) = &corrected {
            ticket.validate().map_err(CoreError::Invalid)?;
            let item = self.cache.outbox_item(local_id).await?;
            if item.is_some_and(|i| i.kind == deskmate_api::OutboxKind::Attachments) {
                return Err(CoreError::Invalid(
                    "the helpdesk has this ticket already; only its files wait, retry them as they are"
                        .to_owned(),
                ));
            }
        }
        if !self.cache.retry_item(local_id, corrected).await? {
            return Err(CoreError::Invalid(format!("no unsent item {local_id}")));
        }
        self.drain_outbox(true).await
    }

    /// Drops an unsent item for good, with the copies of its files.
    pub async fn discard_outbox_item(&self, local_id: i64) -> Result<()> {
        let Some(copies) = self.cache.discard_item(local_id).await? else {
            return Err(CoreError::Invalid(format!("no unsent item {local_id}")));
        };
        self.remove_names(copies).await;
        Ok(())
    }

    /// Commits a write of the signed-in account to the outbox: its files are
    /// checked and copied first, and a draft it was written in is deleted in
    /// the same transaction. On any failure nothing is queued.
    pub(crate) async fn enqueue(
        &self,
        write: Write,
        draft_id: Option<String>,
        paths: &[PathBuf],
    ) -> Result<OutboxItem> {
        let (session, _, _) = self.signed_in().await?;
        let files = self.stage(write.ticket_id(), paths).await?;
        let names: Vec<String> = files.iter().map(|f| f.local_name.clone()).collect();
        let entry = OutboxEntry {
            write,
            draft_id,
            files,
        };
        let queued = self.cache.queue(session.account(), entry).await;
        if queued.is_err() {
            self.remove_names(names).await;
        }
        queued
    }

    /// Tries to send what waits, `item` included, at once, whatever the
    /// backoff: what the helpdesk made of `item`, if it took it.
    pub(crate) async fn send_now(&self, item: &OutboxItem) -> Result<Option<Delivered>> {
        let sent = match self.drain(true).await {
            Ok(drained) => drained.sent,
            // Still safe in the outbox; the next sign-in or sync sends it.
            Err(e) if e.code() == ErrorCode::SignedOut => Vec::new(),
            Err(e) => return Err(e),
        };
        Ok(sent
            .into_iter()
            .find(|(id, _)| *id == item.local_id)
            .map(|(_, delivered)| delivered))
    }

    /// `item` as it waits in the outbox now (pending, or failed with the
    /// helpdesk's word).
    pub(crate) async fn waiting(&self, item: OutboxItem) -> Result<Box<OutboxItem>> {
        let now = self.cache.outbox_item(item.local_id).await?;
        Ok(Box::new(now.unwrap_or(item)))
    }

    /// One pass over the outbox (see [`Core::drain_outbox`]).
    pub(crate) async fn drain(&self, force: bool) -> Result<Drained> {
        let _one_at_a_time = self.drain_lock.lock().await;
        let (session, client, token) = self.signed_in().await?;
        let account = session.account();
        let mut drained = Drained {
            report: DrainReport {
                sent: 0,
                failed: 0,
                pending: 0,
                online: true,
            },
            sent: Vec::new(),
            postponed: false,
        };
        while let Some(write) = self.cache.next_due(account.clone(), force).await? {
            let attempt = match self.deliver(client.as_ref(), &token, &write).await {
                Ok(delivered) => {
                    drained.report.sent += 1;
                    drained.sent.push((write.local_id, delivered.clone()));
                    Attempt::Sent(delivered)
                }
                Err(e) if e.code() == ErrorCode::Unauthorized => {
                    return Err(self.expire_on_unauthorized(e).await);
                }
                Err(e) if is_transient(&e) => {
                    drained.report.online = !matches!(e, CoreError::Network { .. });
                    drained.postponed = true;
                    let retry_at = Utc::now() + backoff(write.attempts + 1);
                    tracing::info!(item = write.local_id, error = %e, %retry_at, "outbox send postponed");
                    let attempt = Attempt::Postponed {
                        error: e.to_response(),
                        retry_at,
                    };
                    self.cache.record_attempt(write.local_id, attempt).await?;
                    self.outbox_postponed.notify_one();
                    break;
                }
                Err(e) => {
                    drained.report.failed += 1;
                    tracing::info!(item = write.local_id, error = %e, "outbox item refused");
                    Attempt::Refused(e.to_response())
                }
            };
            let done = matches!(attempt, Attempt::Sent(_));
            self.cache.record_attempt(write.local_id, attempt).await?;
            if done {
                self.remove_copies(&write.files).await;
            }
        }
        drained.report.pending = self.cache.pending_count(account).await?;
        Ok(drained)
    }

    /// The helpdesk just answered: sends the items that waited only because
    /// it could not be reached. Best effort: the outbox keeps them otherwise.
    pub(crate) async fn wake_outbox(&self) -> Vec<LiveUpdate> {
        let Ok(Some(session)) = self.stored_session().await else {
            return Vec::new();
        };
        match self.cache.wake_unreachable(session.account()).await {
            Ok(0) => return Vec::new(),
            Ok(woken) => tracing::debug!(woken, "the helpdesk answers again: sending what waited"),
            Err(e) => {
                tracing::warn!(error = %e, "cannot wake the outbox");
                return Vec::new();
            }
        }
        match self.drain(false).await {
            Ok(drained) => drained.events(),
            Err(e) => {
                tracing::warn!(error = %e, "outbox not drained");
                Vec::new()
            }
        }
    }

    /// Sends one outbox item: the answers to the provider's requests, an
    /// expedite consent and an availability carry no files; a ticket, a reply
    /// or a reopen sends its text (unless delivered before), then each of its
    /// files the helpdesk does not have yet.
    async fn deliver(
        &self,
        client: &dyn Backend,
        token: &Sensitive<String>,
        write: &QueuedWrite,
    ) -> Result<Delivered> {
        let key = &write.idempotency_key;
        let text = match &write.write {
            Write::AnswerRemoteSession {
                remote_session_id,
                answer,
            } => {
                return client
                    .answer_remote_session(token, *remote_session_id, answer, key)
                    .await
                    .map(Delivered::RemoteSession);
            }
            Write::AnswerOrderDelay {
                order_delay_id,
                answer,
            } => {
                return client
                    .answer_order_delay(token, *order_delay_id, answer, key)
                    .await
                    .map(|request| Delivered::OrderDelay(Box::new(request)));
            }
            Write::Expedite { ticket_id, consent } => {
                return client
                    .expedite(token, *ticket_id, consent, key)
                    .await
                    .map(Delivered::Expedited);
            }
            Write::SetAvailability {
                ticket_id,
                availability,
                ..
            } => {
                let ticket_id = ticket_id.ok_or_else(|| {
                    CoreError::Invalid(
                        "the ticket it is for was not filed: send or correct the ticket first"
                            .to_owned(),
                    )
                })?;
                return client
                    .set_availability(token, ticket_id, availability.as_ref(), key)
                    .await
                    .map(|ticket| Delivered::Ticket(Box::new(ticket)));
            }
            Write::NewTicket(ticket) => Some(Delivered::Ticket(Box::new(
                client.create_ticket(token, ticket, key).await?,
            ))),
            Write::Reply { ticket_id, message } => Some(Delivered::Message {
                message: client.reply(token, *ticket_id, message, key).await?,
                reopened: false,
            }),
            Write::Reopen { ticket_id, reopen } => Some(Delivered::Message {
                message: client.reopen(token, *ticket_id, reopen, key).await?,
                reopened: true,
            }),
            Write::Attachments { .. } => None,
        };
        let (ticket_id, message_id) = match (&text, &write.write) {
            (Some(Delivered::Ticket(ticket)), _) => (ticket.id, None),
            (Some(Delivered::Message { message, .. }), _) => (message.ticket_id, Some(message.id)),
            (
                _,
                Write::Attachments {
                    ticket_id,
                    message_id,
                },
            ) => (*ticket_id, *message_id),
            _ => {
                return Err(CoreError::Cache(format!(
                    "outbox item {} has nothing to send",
                    write.local_id
                )));
            }
        };
        let unsent: Vec<&OutboxFile> = write
            .files
            .iter()
            .filter(|f| f.attachment_id.is_none())
            .collect();
        let nothing_more = |attachments| {
            text.clone().unwrap_or(Delivered::Files {
                ticket_id,
                attachments,
            })
        };
        if unsent.is_empty() {
            return Ok(nothing_more(Vec::new()));
        }
        if let Some(text) = &text {
            // From here on a crash resumes with the files only.
            self.cache
                .record_progress(write.local_id, text.clone())
                .await?;
        }
        let mut attachments = Vec::new();
        for file in unsent {
            let Some(bytes) = self.outgoing_bytes(&file.local_name).await? else {
                if !self.cache.item_exists(write.local_id).await? {
                    // Another process on this cache finished the item.
                    return Ok(nothing_more(attachments));
                }
                return Err(CoreError::File(format!(
                    "the copy of {} is no longer on this computer",
                    file.file_name
                )));
            };
            let attachment = client
                .upload_attachment(
                    token,
                    ticket_id,
                    message_id,
                    &file.file_name,
                    file.kind,
                    bytes,
                    &file_key(key, file.position),
                )
                .await?;
            self.cache
                .record_upload(write.local_id, file.position, attachment.clone())
                .await?;
            attachments.push(attachment);
        }
        Ok(nothing_more(attachments))
    }
}
