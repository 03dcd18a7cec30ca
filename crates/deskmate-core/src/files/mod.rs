//! Attachment files on this computer, under `<data dir>/attachments/`:
//!
//! - `outgoing/<uuid>`: copies of files the user attached, made before the
//!   outbox item that names them is committed and deleted once the helpdesk
//!   has them (or the item is discarded);
//! - `files/<sha256>`: downloaded attachments, by content, kept only when the
//!   bytes match the helpdesk's SHA-256;
//! - `thumbs/<sha256>.png`: thumbnails of pictures, by content;
//! - `open/<sha256>/<name>`: a copy named for the OS to open (its extension
//!   is the one of the kind the bytes are, never the one the sender chose).
//!
//! Every write goes to a temporary name, is flushed to disk and renamed, so a
//! crash leaves either the whole file or none. All of it is blocking file I/O:
//! [`crate::Core`] calls it on a blocking thread.

use std::collections::HashSet;
use std::fs::File;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::time::{Duration, SystemTime};

use deskmate_api::{AttachmentKind, clean_file_name, limits, sniff};
use sha2::{Digest, Sha256};

use crate::{CoreError, Result};

/// A user's file, copied into the outbox's folder and checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StagedFile {
    /// The copy's name in `outgoing/`.
    pub local_name: String,
    /// The name it is sent under, without directories.
    pub file_name: String,
    pub kind: AttachmentKind,
    pub size_bytes: i64,
    /// SHA-256 of the bytes, lower-case hex.
    pub sha256: String,
}

/// Where attachment files live; cheap to clone.
#[derive(Debug, Clone)]
pub struct FileStore {
    root: PathBuf,
}

/// Suffix of files being written; never read, removed when found stale.
const PART: &str = ".part";

impl FileStore {
    pub fn new(data_dir: &Path) -> Self {
        Self {
            root: data_dir.join("attachments"),
        }
    }

    /// Edited screenshots waiting to be attached (never the raw captures,
    /// which stay in memory; see [`crate::Core::save_screenshot`]).
    pub(crate) fn screenshots(&self) -> PathBuf {
        self.root.join("screenshots")
    }

    fn outgoing(&self) -> PathBuf {
        self.root.join("outgoing")
    }

    fn downloads(&self) -> PathBuf {
        self.root.join("files")
    }

    fn thumbs(&self) -> PathBuf {
        self.root.join("thumbs")
    }

    fn opened(&self) -> PathBuf {
        self.root.join("open")
    }

    /// Text the app wrote to attach (diagnostics, scrubbed copies).
    pub(crate) fn prepared(&self) -> PathBuf {
        self.root.join("prepared")
    }

    /// Checks the file at `source` (size, kind, name) and copies it into
    /// `outgoing/`, durably. A file refused here leaves nothing behind.
    pub fn stage(&self, source: &Path) -> Result<StagedFile> {
        let shown = source.display();
        let raw_name = source
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        let file_name =
            clean_file_name(&raw_name).map_err(|e| CoreError::Invalid(format!("{shown}: {e}")))?;
        let file = File::open(source)
            .map_err(|e| CoreError::Invalid(format!("cannot read {shown}: {e}")))?;
        let meta = file
            .metadata()
            .map_err(|e| CoreError::Invalid(format!("cannot read {shown}: {e}")))?;
        if !meta.is_file() {
            return Err(CoreError::Invalid(format!("{shown} is not a file")));
        }
        let max = limits::ATTACHMENT_MAX_BYTES;
        if meta.len() > max as u64 {
            return Err(too_large(&file_name));
        }
        // Read at most one byte past the limit: a file that grows while it is
        // read is still refused, and memory stays bounded.
        let mut bytes = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0));
        file.take(max as u64 + 1)
            .read_to_end(&mut bytes)
            .map_err(|e| CoreError::Invalid(format!("cannot read {shown}: {e}")))?;
        if bytes.len() > max {
            return Err(too_large(&file_name));
        }
        if bytes.is_empty() {
            return Err(CoreError::Invalid(format!("{file_name} is empty")));
        }
        let kind = sniff(&bytes).ok_or_else(|| {
            CoreError::Invalid(format!(
                "{file_name}: this kind of file is not accepted; attach PNG, JPEG, GIF or \
                 WebP pictures, PDF documents, UTF-8 text or ZIP archives"
            ))
        })?;
        let local_name = uuid::Uuid::new_v4().to_string();
        write_durably(&self.outgoing(), &local_name, &bytes)?;
        Ok(StagedFile {
            local_name,
            file_name,
            kind,
            size_bytes: i64::try_from(bytes.len()).unwrap_or(i64::MAX),
            sha256: sha256_hex(&bytes),
        })
    }

    /// The bytes of a staged copy; `None` when it is gone.
    pub fn read_outgoing(&self, local_name: &str) -> Result<Option<Vec<u8>>> {
        read_if_present(&self.outgoing().join(local_name))
    }

    /// Deletes staged copies (those already gone are fine).
    pub fn remove_outgoing<'a>(&self, local_names: impl IntoIterator<Item = &'a str>) {
        for name in local_names {
            remove_quietly(&self.outgoing().join(name));
        }
    }

    /// Deletes staged copies no outbox item names (`known`) and unfinished
    /// writes, if older than `grace`: a copy younger than that may belong to
    /// an item another process is committing right now.
    pub fn remove_orphans(&self, known: &HashSet<String>, grace: Duration) -> usize {
        let Ok(entries) = std::fs::read_dir(self.outgoing()) else {
            return 0;
        };
        let now = SystemTime::now();
        let mut removed = 0;
        for entry in entries.flatten() {
            let name = entry.file_name().to_string_lossy().into_owned();
            if known.contains(&name) {
                continue;
            }
            let old_enough = entry
                .metadata()
                .and_then(|m| m.modified())
                .is_ok_and(|at| now.duration_since(at).is_ok_and(|age| age >= grace));
            if old_enough {
                remove_quietly(&entry.path());
                removed += 1;
            }
        }
        removed
    }

    /// The downloaded attachment with this SHA-256, if kept here.
    pub fn download(&self, sha256: &str) -> Result<Option<PathBuf>> {
        let path = self.downloads().join(checked_hash(sha256)?);
        Ok(path.is_file().then_some(path))
    }

    /// Keeps downloaded bytes under their hash, if they are what `sha256`
    /// says; a mismatch keeps nothing.
    pub fn keep_download(&self, sha256: &str, bytes: &[u8]) -> Result<PathBuf> {
        let name = checked_hash(sha256)?;
        let actual = sha256_hex(bytes);
        if actual != name {
            return Err(CoreError::File(format!(
                "the downloaded file does not match its checksum (expected {name}, got {actual}); \
                 nothing was kept"
            )));
        }
        write_durably(&self.downloads(), &name, bytes)?;
        Ok(self.downloads().join(name))
    }

    /// The thumbnail of the picture with this hash, made from `bytes()` the
    /// first time and kept.
    pub fn thumbnail(
        &self,
        sha256: &str,
        bytes: impl FnOnce() -> Result<Vec<u8>>,
    ) -> Result<Vec<u8>> {
        let name = format!("{}.png", checked_hash(sha256)?);
        if let Some(kept) = read_if_present(&self.thumbs().join(&name))? {
            return Ok(kept);
        }
        let png = crate::thumbnail::make(&bytes()?)?;
        write_durably(&self.thumbs(), &name, &png)?;
        Ok(png)
    }

    /// A copy of the downloaded file `sha256` named for the OS to open: the
    /// name's stem with the extension of the kind the bytes really are.
    pub fn copy_to_open(&self, sha256: &str, file_name: &str) -> Result<PathBuf> {
        let source = self
            .download(sha256)?
            .ok_or_else(|| CoreError::File("the attachment has not been downloaded".to_owned()))?;
        let bytes = read_if_present(&source)?
            .ok_or_else(|| CoreError::File("the attachment has not been downloaded".to_owned()))?;
        let kind = sniff(&bytes).ok_or_else(|| {
            CoreError::Invalid("this file is not of a kind Deskmate opens".to_owned())
        })?;
        let name = name_to_open(file_name, kind);
        let dir = self.opened().join(checked_hash(sha256)?);
        let path = dir.join(&name);
        if !path.is_file() {
            write_durably(&dir, &name, &bytes)?;
        }
        Ok(path)
    }

    /// Forgets the downloaded files, thumbnails and opened copies whose
    /// SHA-256 is not in `keep` (the account may no longer see them);
    /// returns how many went.
    pub fn retain_downloads(&self, keep: &HashSet<String>) -> usize {
        let mut removed = 0;
        for dir in [self.downloads(), self.thumbs(), self.opened()] {
            let Ok(entries) = std::fs::read_dir(&dir) else {
                continue;
            };
            for entry in entries.flatten() {
                let name = entry.file_name().to_string_lossy().into_owned();
                let hash = name.strip_suffix(".png").unwrap_or(&name);
                if keep.contains(hash) {
                    continue;
                }
                let path = entry.path();
                let gone = if path.is_dir() {
                    std::fs::remove_dir_all(&path)
                } else {
                    std::fs::remove_file(&path)
                };
                match gone {
                    Ok(()) => removed += 1,
                    Err(e) if e.kind() == std::io::ErrorKind::NotFound => {}
                    Err(e) => {
                        tracing::warn!(path = %path.display(), error = %e, "cannot remove a downloaded attachment")
                    }
                }
            }
        }
        removed
    }

    /// Forgets every downloaded file, thumbnail and opened copy (sign-out,
    /// another account); the outbox's copies stay with their items.
    pub fn clear_downloads(&self) {
        for dir in [self.downloads(), self.thumbs(), self.opened()] {
            if let Err(e) = std::fs::remove_dir_all(&dir)
                && e.kind() != std::io::ErrorKind::NotFound
            {
                tracing::warn!(dir = %dir.display(), error = %e, "cannot remove downloaded attachments");
            }
        }
    }
}

/// Copies `source` to `dest` through a temporary file beside it, so `dest`
/// is either untouched or complete.
pub fn save_copy(source: &Path, dest: &Path) -> Result<()> {
    let bytes = read_if_present(source)?
        .ok_or_else(|| CoreError::File("the attachment has not been downloaded".to_owned()))?;
    let dir = match dest.parent() {
        Some(dir) if !dir.as_os_str().is_empty() => dir.to_path_buf(),
        _ => PathBuf::from("."),
    };
    let name = dest
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .ok_or_else(|| CoreError::Invalid(format!("{} is not a file name", dest.display())))?;
    write_durably(&dir, &name, &bytes)
}

/// SHA-256 of `bytes`, lower-case hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    format!("{:x}", Sha256::digest(bytes))
}

/// The hash as a file name: exactly 64 lower-case hex digits, nothing that
/// could climb out of the folder.
fn checked_hash(sha256: &str) -> Result<String> {
    let ok = sha256.len() == 64
        && sha256
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
    if ok {
        Ok(sha256.to_owned())
    } else {
        Err(CoreError::File(format!("{sha256:?} is not a SHA-256")))
    }
}

fn name_to_open(file_name: &str, kind: AttachmentKind) -> String {
    let extension = match kind {
        AttachmentKind::Png => "png",
        AttachmentKind::Jpeg => "jpg",
        AttachmentKind::Gif => "gif",
        AttachmentKind::Webp => "webp",
        AttachmentKind::Pdf => "pdf",
        AttachmentKind::Text => "txt",
        AttachmentKind::Zip => "zip",
    };
    let name = clean_file_name(file_name).unwrap_or_else(|_| "attachment".to_owned());
    // Hidden files and odd leading characters are not worth keeping.
    let name = name.trim_start_matches(['.', '-', ' ']);
    let stem = match name.rsplit_once('.') {
        Some((stem, ext)) if ext.eq_ignore_ascii_case(extension) => stem,
        Some((stem, "jpeg")) if kind == AttachmentKind::Jpeg => stem,
        _ => name,
    };
    let stem = if stem.is_empty() { "attachment" } else { stem };
    format!("{stem}.{extension}")
}

fn too_large(file_name: &str) -> CoreError {
    CoreError::TooLarge(format!(
        "{file_name} is larger than {} MiB, the most the helpdesk accepts",
        limits::ATTACHMENT_MAX_BYTES / (1024 * 1024)
    ))
}

fn read_if_present(path: &Path) -> Result<Option<Vec<u8>>> {
    match std::fs::read(path) {
        Ok(bytes) => Ok(Some(bytes)),
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
        Err(e) => Err(CoreError::File(format!(
            "cannot read {}: {e}",
            path.display()
        ))),
    }
}

fn remove_quietly(path: &Path) {
    if let Err(e) = std::fs::remove_file(path)
        && e.kind() != std::io::ErrorKind::NotFound
    {
        tracing::warn!(path = %path.display(), error = %e, "cannot remove a file");
    }
}

/// How long a file the app prepared to attach (diagnostics, a scrubbed copy,
/// an edited screenshot) is kept in its own folder: the form it was made for
/// is long filed or closed by then, and a queued item has its own copy.
pub(crate) const PREPARED_KEEP_FOR: Duration = Duration::from_secs(24 * 60 * 60);

/// Removes the folders in `dir` last changed more than
/// [`PREPARED_KEEP_FOR`] ago (each holds one prepared file).
pub(crate) fn remove_old_prepared(dir: &Path) {
    let Ok(entries) = std::fs::read_dir(dir) else {
        return;
    };
    let now = SystemTime::now();
    for entry in entries.flatten() {
        let old = entry.metadata().and_then(|m| m.modified()).is_ok_and(|at| {
            now.duration_since(at)
                .is_ok_and(|age| age > PREPARED_KEEP_FOR)
        });
        if old && let Err(e) = std::fs::remove_dir_all(entry.path()) {
            tracing::warn!(path = %entry.path().display(), error = %e, "cannot remove an old prepared file");
        }
    }
}

/// Writes `dir/name` whole or not at all: a temporary name, flushed to disk,
/// renamed, and the folder flushed so the rename survives a power cut.
pub(crate) fn write_durably(dir: &Path, name: &str, bytes: &[u8]) -> Result<()> {
    let failed = |e: std::io::Error| {
        CoreError::File(format!("cannot write {}: {e}", dir.join(name).display()))
    };
    std::fs::create_dir_all(dir).map_err(failed)?;
    let temp = dir.join(format!("{name}.{}{PART}", uuid::Uuid::new_v4()));
    let written = (|| {
        let mut file = File::create(&temp)?;
        file.write_all(bytes)?;
        file.sync_all()?;
        std::fs::rename(&temp, dir.join(name))?;
        sync_dir(dir)
    })();
    if written.is_err() {
        remove_quietly(&temp);
    }
    written.map_err(failed)
}

#[cfg(unix)]
fn sync_dir(dir: &Path) -> std::io::Result<()> {
    File::open(dir)?.sync_all()
}

#[cfg(not(unix))]
fn sync_dir(_dir: &Path) -> std::io::Result<()> {
    Ok(())
}

#[cfg(test)]
mod tests;
