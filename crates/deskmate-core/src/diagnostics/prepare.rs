//! Text the app makes to attach: the diagnostics as shown, and a scrubbed
//! copy of a text file the user chose. Each is written whole to
//! `<data dir>/attachments/prepared/<uuid>/<name>`, where the outbox copies
//! it from like any chosen file; copies older than a day are removed.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use deskmate_api::clean_file_name;

use super::{Context, Diagnostics, ScrubOptions, SecretKind, read_text_file, scrub};
use crate::files::sha256_hex;
use crate::{Core, CoreError, Result};

/// A text file written to be attached.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Prepared {
    pub path: PathBuf,
    /// The name it is sent under.
    pub file_name: String,
    pub size_bytes: u64,
    /// SHA-256 of its bytes, lower-case hex.
    pub sha256: String,
}

/// What scrubbing a file would remove, and the copy without it (only when
/// something was removed).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScrubbedFile {
    pub removed: BTreeMap<SecretKind, usize>,
    pub copy: Option<Prepared>,
}

impl Core {
    /// The diagnostics for this core's helpdesk, the signed-in account's own
    /// address kept by the scrubber; `context` says the rest.
    pub async fn collect_diagnostics(&self, mut context: Context) -> Result<Diagnostics> {
        if context.server_url.is_none() {
            context.server_url = self.last_server_url().await?;
        }
        context.scrub.own_email = self.account_email().await?;
        Ok(Diagnostics::collect(&context).await)
    }

    /// Writes `text` to a new file named `file_name`, to attach.
    pub async fn prepare_text(&self, file_name: &str, text: String) -> Result<Prepared> {
        let file_name = clean_file_name(file_name).map_err(CoreError::Invalid)?;
        let dir = self.files.prepared();
        tokio::task::spawn_blocking(move || write_prepared(&dir, &file_name, text.as_bytes()))
            .await?
    }

    /// What the scrubber would remove from the text file at `path` and, if
    /// anything, a scrubbed copy to attach instead; `None` for a file that
    /// is not text. The original is only read.
    pub async fn scrub_file(
        &self,
        path: &Path,
        ip_addresses: bool,
    ) -> Result<Option<ScrubbedFile>> {
        let options = ScrubOptions {
            own_email: self.account_email().await?,
            ip_addresses,
        };
        let source = path.to_owned();
        let dir = self.files.prepared();
        tokio::task::spawn_blocking(move || {
            let text = match read_text_file(&source) {
                Ok(text) => text,
                Err(CoreError::Invalid(_)) => return Ok(None),
                Err(e) => return Err(e),
            };
            let scrubbed = scrub(&text, &options);
            let copy = if scrubbed.total_removed() == 0 {
                None
            } else {
                let raw = source
                    .file_name()
                    .map(|n| n.to_string_lossy().into_owned())
                    .unwrap_or_default();
                let name = clean_file_name(&raw).map_err(CoreError::Invalid)?;
                Some(write_prepared(&dir, &name, scrubbed.text.as_bytes())?)
            };
            Ok(Some(ScrubbedFile {
                removed: scrubbed.removed,
                copy,
            }))
        })
        .await?
    }
}

fn write_prepared(root: &Path, file_name: &str, bytes: &[u8]) -> Result<Prepared> {
    crate::files::remove_old_prepared(root);
    let dir = root.join(uuid::Uuid::new_v4().to_string());
    let path = dir.join(file_name);
    let failed =
        |e: std::io::Error| CoreError::File(format!("cannot write {}: {e}", path.display()));
    std::fs::create_dir_all(&dir).map_err(failed)?;
    std::fs::write(&path, bytes).map_err(failed)?;
    Ok(Prepared {
        file_name: file_name.to_owned(),
        size_bytes: bytes.len() as u64,
        sha256: sha256_hex(bytes),
        path,
    })
}
