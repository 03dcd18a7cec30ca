//! Attachments on the [`Core`]: files queued with the write they belong to
//! (sent after it by [`crate::sync::outbox`]), downloaded on demand and
//! shown as thumbnails.
//!
//! A file is checked and copied into the data directory before the outbox
//! item naming it is committed, and the copy is deleted only once the
//! helpdesk has it (or the user discards the item).

use std::path::{Path, PathBuf};

use deskmate_api::{AttachOutcome, Attachment, limits};

use crate::cache::{Delivered, OutboxFile, Write};
use crate::files::StagedFile;
use crate::{Core, CoreError, Result};

impl Core {
    /// Adds files to a ticket, through the outbox like every write.
    pub async fn attach_files(&self, ticket_id: i64, files: &[PathBuf]) -> Result<AttachOutcome> {
        if files.is_empty() {
            return Err(CoreError::Invalid("choose at least one file".to_owned()));
        }
        let write = Write::Attachments {
            ticket_id,
            message_id: None,
        };
        let item = self.enqueue(write, None, files).await?;
        if let Some(Delivered::Files { attachments, .. }) = self.send_now(&item).await? {
            return Ok(AttachOutcome::Sent { attachments });
        }
        Ok(AttachOutcome::Queued {
            item: self.waiting(item).await?,
        })
    }

    /// The downloaded attachment, fetched from the helpdesk the first time
    /// (and kept only if its bytes match the SHA-256 the helpdesk announced);
    /// afterwards it works offline.
    pub async fn attachment_file(&self, ticket_id: i64, attachment_id: i64) -> Result<PathBuf> {
        let attachment = self.attachment(ticket_id, attachment_id).await?;
        let files = self.files.clone();
        let sha256 = attachment.sha256.clone();
        if let Some(path) = tokio::task::spawn_blocking(move || files.download(&sha256)).await?? {
            return Ok(path);
        }
        let (_, client, token) = self.signed_in().await?;
        let max = usize::try_from(attachment.size_bytes)
            .unwrap_or(0)
            .min(limits::ATTACHMENT_MAX_BYTES);
        let bytes = match client
            .download_attachment(&token, ticket_id, attachment_id, max)
            .await
        {
            Ok(bytes) => bytes,
            Err(e) => return Err(self.expire_on_unauthorized(e).await),
        };
        let files = self.files.clone();
        tokio::task::spawn_blocking(move || files.keep_download(&attachment.sha256, &bytes)).await?
    }

    /// The name an attachment was sent under (what a save dialog offers).
    pub async fn attachment_name(&self, ticket_id: i64, attachment_id: i64) -> Result<String> {
        Ok(self.attachment(ticket_id, attachment_id).await?.file_name)
    }

    /// What the cache knows of an attachment, asking the helpdesk for the
    /// ticket's detail when it is not cached yet.
    async fn attachment(&self, ticket_id: i64, attachment_id: i64) -> Result<Attachment> {
        if let Some(a) = self.cache.attachment(ticket_id, attachment_id).await? {
            return Ok(a);
        }
        // Not cached yet: the ticket's detail names its files.
        self.ticket_view(ticket_id, true).await?;
        self.cache
            .attachment(ticket_id, attachment_id)
            .await?
            .ok_or_else(|| {
                CoreError::NotFound(format!(
                    "ticket #{ticket_id} has no attachment {attachment_id}"
                ))
            })
    }

    /// Writes the attachment to `dest` (downloading it first if needed);
    /// `dest` is replaced whole or left untouched.
    pub async fn save_attachment(
        &self,
        ticket_id: i64,
        attachment_id: i64,
        dest: &Path,
    ) -> Result<()> {
        let source = self.attachment_file(ticket_id, attachment_id).await?;
        let dest = dest.to_path_buf();
        tokio::task::spawn_blocking(move || crate::files::save_copy(&source, &dest)).await?
    }

    /// A copy of the attachment for the OS to open, named with the extension
    /// of the kind its bytes are (never just the sender's name).
    pub async fn attachment_to_open(&self, ticket_id: i64, attachment_id: i64) -> Result<PathBuf> {
        self.attachment_file(ticket_id, attachment_id).await?;
        let attachment = self
            .cache
            .attachment(ticket_id, attachment_id)
            .await?
            .ok_or_else(|| CoreError::NotFound(format!("no attachment {attachment_id}")))?;
        let files = self.files.clone();
        tokio::task::spawn_blocking(move || {
            files.copy_to_open(&attachment.sha256, &attachment.file_name)
        })
        .await?
    }

    /// A PNG thumbnail (at most 256 pixels on the long side) of a picture
    /// attached to a ticket; kept, so it works offline afterwards.
    pub async fn thumbnail(&self, ticket_id: i64, attachment_id: i64) -> Result<Vec<u8>> {
        let attachment = self
            .cache
            .attachment(ticket_id, attachment_id)
            .await?
            .ok_or_else(|| {
                CoreError::NotFound(format!(
                    "ticket #{ticket_id} has no attachment {attachment_id} on this computer"
                ))
            })?;
        if attachment.width.is_none() || !attachment.content_type.starts_with("image/") {
            return Err(CoreError::Invalid(format!(
                "{} is not a picture",
                attachment.file_name
            )));
        }
        let files = self.files.clone();
        let sha256 = attachment.sha256.clone();
        let kept = tokio::task::spawn_blocking(move || files.thumbnail(&sha256, || Err(missing())))
            .await?;
        match kept {
            Ok(png) => return Ok(png),
            Err(CoreError::NotFound(_)) => {}
            Err(e) => return Err(e),
        }
        let path = self.attachment_file(ticket_id, attachment_id).await?;
        let files = self.files.clone();
        tokio::task::spawn_blocking(move || {
            files.thumbnail(&attachment.sha256, || {
                std::fs::read(&path)
                    .map_err(|e| CoreError::File(format!("cannot read {}: {e}", path.display())))
            })
        })
        .await?
    }

    /// A PNG thumbnail of a picture still waiting in the outbox (file
    /// `index` of item `local_id`), made from its copy on this computer.
    pub async fn pending_thumbnail(&self, local_id: i64, index: u32) -> Result<Vec<u8>> {
        let file = self
            .cache
            .outgoing_file(local_id, index)
            .await?
            .ok_or_else(|| {
                CoreError::NotFound(format!("no file {index} in unsent item {local_id}"))
            })?;
        if !file.kind.is_image() {
            return Err(CoreError::Invalid("this file is not a picture".to_owned()));
        }
        let files = self.files.clone();
        tokio::task::spawn_blocking(move || {
            files.thumbnail(&file.sha256, || {
                files.read_outgoing(&file.local_name)?.ok_or_else(missing)
            })
        })
        .await?
    }

    /// Checks `paths` and copies them into the outbox's folder; on any
    /// failure the copies made so far are removed.
    pub(crate) async fn stage(&self, paths: &[PathBuf]) -> Result<Vec<StagedFile>> {
        if paths.is_empty() {
            return Ok(Vec::new());
        }
        if paths.len() > limits::TICKET_ATTACHMENTS_MAX_COUNT {
            return Err(CoreError::Invalid(format!(
                "a ticket holds at most {} files",
                limits::TICKET_ATTACHMENTS_MAX_COUNT
            )));
        }
        let files = self.files.clone();
        let paths = paths.to_vec();
        tokio::task::spawn_blocking(move || {
            let mut staged: Vec<StagedFile> = Vec::new();
            let result = (|| {
                for path in &paths {
                    staged.push(files.stage(path)?);
                }
                let total: i64 = staged.iter().map(|f| f.size_bytes).sum();
                if total > limits::TICKET_ATTACHMENTS_MAX_BYTES as i64 {
                    return Err(CoreError::TooLarge(format!(
                        "together the files are larger than {} MiB, the most a ticket holds",
                        limits::TICKET_ATTACHMENTS_MAX_BYTES / (1024 * 1024)
                    )));
                }
                Ok(())
            })();
            match result {
                Ok(()) => Ok(staged),
                Err(e) => {
                    files.remove_outgoing(staged.iter().map(|f| f.local_name.as_str()));
                    Err(e)
                }
            }
        })
        .await?
    }

    /// The bytes of an outbox copy; `None` when it is gone.
    pub(crate) async fn outgoing_bytes(&self, local_name: &str) -> Result<Option<Vec<u8>>> {
        let files = self.files.clone();
        let name = local_name.to_owned();
        tokio::task::spawn_blocking(move || files.read_outgoing(&name)).await?
    }

    /// Deletes the copies of a delivered item's files.
    pub(crate) async fn remove_copies(&self, files: &[OutboxFile]) {
        self.remove_names(files.iter().map(|f| f.local_name.clone()).collect())
            .await;
    }

    pub(crate) async fn remove_names(&self, names: Vec<String>) {
        if names.is_empty() {
            return;
        }
        let files = self.files.clone();
        let removed = tokio::task::spawn_blocking(move || {
            files.remove_outgoing(names.iter().map(String::as_str))
        })
        .await;
        if let Err(e) = removed {
            tracing::warn!(error = %e, "cannot remove the copies of sent files");
        }
    }

    /// Forgets every downloaded attachment and thumbnail.
    pub(crate) async fn clear_downloads(&self) -> Result<()> {
        let files = self.files.clone();
        tokio::task::spawn_blocking(move || files.clear_downloads()).await?;
        Ok(())
    }
}

fn missing() -> CoreError {
    CoreError::NotFound("the file is not on this computer".to_owned())
}
