//! Writing to the helpdesk: a ticket, a reply, a reopen. Every write is
//! committed to the outbox first (so nothing is lost if the network, the
//! helpdesk or this process dies), then sent at once if the helpdesk
//! answers ([`crate::sync`]); the drafts the user writes them in.

use std::path::PathBuf;

use deskmate_api::{
    Draft, DraftInput, FileOutcome, NewMessage, NewTicket, ReopenTicket, WriteOutcome,
};

use crate::cache::{self, Delivered, Write};
use crate::core::NOT_SIGNED_IN;
use crate::{Core, CoreError, Result};

/// What goes with a write besides its text.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct WriteOptions {
    /// The draft it was written in: deleted in the transaction that queues
    /// the write (a crash leaves one or the other, never both or neither).
    pub draft_id: Option<String>,
    /// Files attached to it: each is checked and copied into the data
    /// directory before the write is queued (a file refused here queues
    /// nothing), and sent once its text is.
    pub files: Vec<PathBuf>,
}

impl WriteOptions {
    /// Written in draft `draft_id`.
    pub fn from_draft(draft_id: impl Into<String>) -> Self {
        Self {
            draft_id: Some(draft_id.into()),
            files: Vec::new(),
        }
    }

    /// With `files` attached.
    pub fn with_files(mut self, files: Vec<PathBuf>) -> Self {
        self.files = files;
        self
    }
}

impl Core {
    /// Files a ticket through the outbox. Succeeds offline, with the ticket queued.
    pub async fn file_ticket(
        &self,
        ticket: NewTicket,
        options: WriteOptions,
    ) -> Result<FileOutcome> {
        ticket.validate().map_err(CoreError::Invalid)?;
        let item = self
            .enqueue(Write::NewTicket(ticket), options.draft_id, &options.files)
            .await?;
        match self.send_now(&item).await? {
            Some(Delivered::Ticket(ticket)) => return Ok(FileOutcome::Sent { ticket }),
            // Its text was delivered by another process on this cache.
            Some(Delivered::Files { ticket_id, .. }) => {
                if let Some(ticket) = self.cache.ticket(ticket_id).await? {
                    return Ok(FileOutcome::Sent {
                        ticket: Box::new(ticket),
                    });
                }
            }
            _ => {}
        }
        Ok(FileOutcome::Queued {
            item: self.waiting(item).await?,
        })
    }

    /// Adds the user's reply to a ticket, through the outbox like every
    /// write. A reply is only ever written in its ticket's reply draft
    /// ([`cache::reply_draft_id`]): with any `draft_id`, that one is deleted.
    pub async fn reply(
        &self,
        ticket_id: i64,
        body: String,
        options: WriteOptions,
    ) -> Result<WriteOutcome> {
        let message = NewMessage {
            body,
            internal: false,
        };
        message.validate().map_err(CoreError::Invalid)?;
        let options = WriteOptions {
            draft_id: options.draft_id.map(|_| cache::reply_draft_id(ticket_id)),
            ..options
        };
        self.send_message(Write::Reply { ticket_id, message }, options)
            .await
    }

    /// Reopens a closed ticket with new details, through the outbox.
    pub async fn reopen(&self, ticket_id: i64, details: String) -> Result<WriteOutcome> {
        let reopen = ReopenTicket { details };
        reopen.validate().map_err(CoreError::Invalid)?;
        self.send_message(Write::Reopen { ticket_id, reopen }, WriteOptions::default())
            .await
    }

    async fn send_message(&self, write: Write, options: WriteOptions) -> Result<WriteOutcome> {
        let item = self
            .enqueue(write, options.draft_id, &options.files)
            .await?;
        if let Some(Delivered::Message { message, .. }) = self.send_now(&item).await? {
            return Ok(WriteOutcome::Sent { message });
        }
        Ok(WriteOutcome::Queued {
            item: self.waiting(item).await?,
        })
    }

    /// Saves an unsent form of the signed-in account (replacing the draft with
    /// its id); cheap enough for every pause in typing. Works offline.
    pub async fn save_draft(&self, input: DraftInput) -> Result<Draft> {
        let session = self
            .stored_session()
            .await?
            .ok_or(CoreError::SignedOut(NOT_SIGNED_IN))?;
        self.cache.save_draft(session.account(), input).await
    }

    /// The signed-in (or last signed-in) account's drafts, most recent first.
    pub async fn drafts(&self) -> Result<Vec<Draft>> {
        match self.stored_session().await? {
            Some(session) => self.cache.drafts(session.account()).await,
            None => Ok(Vec::new()),
        }
    }

    /// Drops a draft; dropping one that is gone already is fine.
    pub async fn discard_draft(&self, id: &str) -> Result<()> {
        if let Some(session) = self.stored_session().await? {
            self.cache
                .discard_draft(session.account(), id.to_owned())
                .await?;
        }
        Ok(())
    }
}
