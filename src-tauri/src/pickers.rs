//! The native file pickers: choosing files to attach and where to save one.
//!
//! The dialogs are opened from Rust (through `tauri-plugin-dialog`), so the
//! window needs no dialog permission and the page never handles a path: each
//! chosen file reaches it as a [`PickedFile`] (name, size, kind and an opaque
//! id), and the commands that send files take those ids only ([`Chosen`]).
//! A script in the page therefore cannot upload a file the user did not
//! choose, nor write anywhere but where the user said to save.
//!
//! Test seam: WebDriver cannot drive a native dialog, so when a debug build
//! (release builds compile the seam out) was started with
//! `DESKMATE_E2E_PICK` (paths joined like `PATH`) or
//! `DESKMATE_E2E_SAVE_DIR` (see [`crate::StartOptions`]), these commands answer
//! with those instead of opening a dialog. Everything after the choice (the
//! checks, the copy into the outbox, the upload, the save) is the real path.

use std::collections::HashMap;
use std::io::Read;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use deskmate_api::{ErrorCode, ErrorResponse, PickedFile, sniff};
use tauri::State;
use tauri_plugin_dialog::{DialogExt, FilePath};

use crate::AppState;
use crate::commands::{Reply, fail};
use deskmate_api::rpc;

/// How much of a file is read to tell its kind.
const SNIFF_BYTES: u64 = 64 * 1024;

/// The files the user chose in this run, by the id the page got for each.
/// The same file chosen twice keeps its id.
#[derive(Debug, Default)]
pub struct Chosen(Mutex<HashMap<String, PathBuf>>);

impl Chosen {
    /// The id of `path`, new unless it was chosen before.
    pub fn remember(&self, path: &Path) -> String {
        let mut chosen = self.0.lock().unwrap_or_else(|e| e.into_inner());
        if let Some((id, _)) = chosen.iter().find(|(_, p)| p.as_path() == path) {
            return id.clone();
        }
        let id = format!("file-{}", chosen.len() + 1);
        chosen.insert(id.clone(), path.to_path_buf());
        id
    }

    /// The files behind `ids`; an id the user's choices did not give is
    /// refused, and then nothing is sent.
    pub fn paths(&self, ids: &[String]) -> Result<Vec<PathBuf>, ErrorResponse> {
        let chosen = self.0.lock().unwrap_or_else(|e| e.into_inner());
        ids.iter()
            .map(|id| {
                chosen.get(id).cloned().ok_or_else(|| {
                    tracing::warn!(id, "a file id no picker gave");
                    ErrorResponse::new(
                        ErrorCode::Validation,
                        "only files chosen with \"Attach files\" can be sent; choose the file again",
                    )
                })
            })
            .collect()
    }
}

/// Lets the user choose files to attach; empty when the dialog was cancelled.
#[tauri::command]
pub async fn pick_files(
    app: tauri::AppHandle,
    state: State<'_, AppState>,
) -> Reply<rpc::PickFilesArgs> {
    let paths = match &state.options.e2e_pick {
        Some(paths) => paths.clone(),
        None => {
            let (tx, rx) = tokio::sync::oneshot::channel();
            app.dialog().file().pick_files(move |chosen| {
                let _ = tx.send(chosen.unwrap_or_default());
            });
            rx.await
                .unwrap_or_default()
                .into_iter()
                .filter_map(local_path)
                .collect()
        }
    };
    choose(&state.chosen, paths).await?.into_iter().collect()
}

/// Asks where to save an attachment (offering its name), then writes it
/// there, downloading it first unless kept; the file is replaced whole or
/// left untouched. Answers where it went; `None` when the user cancelled.
#[tauri::command]
pub async fn save_attachment(
    app: tauri::AppHandle,
    state: State<'_, AppState>,
    args: rpc::SaveAttachmentArgs,
) -> Reply<rpc::SaveAttachmentArgs> {
    let rpc::SaveAttachmentArgs {
        ticket_id,
        attachment_id,
    } = args;
    let core = state.core()?;
    let file_name = core
        .attachment_name(ticket_id, attachment_id)
        .await
        .map_err(fail)?;
    let target = if let Some(dir) = &state.options.e2e_save_dir {
        let name = deskmate_api::clean_file_name(&file_name)
            .map_err(|e| ErrorResponse::new(ErrorCode::Validation, e))?;
        Some(dir.join(name))
    } else {
        let (tx, rx) = tokio::sync::oneshot::channel();
        app.dialog()
            .file()
            .set_file_name(file_name)
            .save_file(move |chosen| {
                let _ = tx.send(chosen);
            });
        rx.await.ok().flatten().and_then(local_path)
    };
    let Some(target) = target else {
        return Ok(None);
    };
    core.save_attachment(ticket_id, attachment_id, &target)
        .await
        .map_err(fail)?;
    Ok(Some(target.display().to_string()))
}

fn local_path(path: FilePath) -> Option<PathBuf> {
    match path.into_path() {
        Ok(path) => Some(path),
        Err(e) => {
            tracing::warn!(error = %e, "the dialog answered with something not a local file");
            None
        }
    }
}

/// Files the user gave the app (chosen in the picker, a screenshot the
/// editor saved, files dropped on the window), each described and
/// remembered, so the page gets its id and never its path. The files are
/// read off the async runtime.
pub(crate) async fn choose(
    chosen: &Chosen,
    paths: Vec<PathBuf>,
) -> Result<Vec<Result<PickedFile, ErrorResponse>>, ErrorResponse> {
    let described: Vec<_> = tauri::async_runtime::spawn_blocking(move || {
        paths
            .into_iter()
            .map(|path| describe(&path).map(|picked| (path, picked)))
            .collect()
    })
    .await
    .map_err(|e| {
        tracing::warn!(error = %e, "reading the chosen files stopped");
        ErrorResponse::new(ErrorCode::Internal, "the chosen files could not be read")
    })?;
    Ok(described
        .into_iter()
        .map(|d| {
            let (path, mut picked): (PathBuf, PickedFile) = d?;
            picked.id = chosen.remember(&path);
            Ok(picked)
        })
        .collect())
}

/// Name, size and kind of a chosen file, from its metadata and first bytes;
/// its id is given by [`Chosen::remember`].
pub(crate) fn describe(path: &Path) -> Result<PickedFile, ErrorResponse> {
    let unreadable = |e: std::io::Error| {
        tracing::info!(path = %path.display(), error = %e, "cannot read a chosen file");
        ErrorResponse::new(
            ErrorCode::Validation,
            format!("cannot read {}: {e}", path.display()),
        )
    };
    let file = std::fs::File::open(path).map_err(unreadable)?;
    let size_bytes = file.metadata().map_err(unreadable)?.len();
    let mut head = Vec::new();
    file.take(SNIFF_BYTES)
        .read_to_end(&mut head)
        .map_err(unreadable)?;
    Ok(PickedFile {
        id: String::new(),
        file_name: path
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_else(|| path.to_string_lossy().into_owned()),
        size_bytes,
        kind: sniff(complete_utf8(&head)),
    })
}

/// `head` without a UTF-8 character cut in two at its end, so a text file
/// read in part still reads as text.
fn complete_utf8(head: &[u8]) -> &[u8] {
    match std::str::from_utf8(head) {
        Err(e) if e.error_len().is_none() => &head[..e.valid_up_to()],
        _ => head,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_chosen_file_is_described_by_its_bytes() {
        let dir = tempfile::tempdir().unwrap();
        let png = dir.path().join("shot.txt");
        std::fs::write(&png, b"\x89PNG\r\n\x1a\n0000").unwrap();
        let picked = describe(&png).unwrap();
        assert_eq!(picked.file_name, "shot.txt");
        assert_eq!(picked.size_bytes, 12);
        assert_eq!(picked.kind, Some(deskmate_api::AttachmentKind::Png));

        let binary = dir.path().join("a.bin");
        std::fs::write(&binary, [0u8, 1, 2, 3]).unwrap();
        assert_eq!(describe(&binary).unwrap().kind, None);

        assert_eq!(
            describe(&dir.path().join("gone")).unwrap_err().code,
            ErrorCode::Validation
        );
    }

    #[test]
    fn only_chosen_files_can_be_named() {
        let chosen = Chosen::default();
        let a = chosen.remember(Path::new("/home/u/a.png"));
        let b = chosen.remember(Path::new("/home/u/b.log"));
        assert_ne!(a, b);
        assert_eq!(
            chosen.remember(Path::new("/home/u/a.png")),
            a,
            "same file, same id"
        );
        assert_eq!(
            chosen.paths(&[b.clone(), a.clone()]).unwrap(),
            [
                PathBuf::from("/home/u/b.log"),
                PathBuf::from("/home/u/a.png")
            ]
        );
        for forged in ["/home/u/.ssh/id_rsa", "file-3", ""] {
            let err = chosen.paths(&[a.clone(), forged.to_owned()]).unwrap_err();
            assert_eq!(err.code, ErrorCode::Validation, "{forged}");
        }
    }

    #[test]
    fn text_cut_inside_a_character_is_still_text() {
        // "é" is two bytes: cut after the first one.
        let mut long = "a".repeat(SNIFF_BYTES as usize - 1).into_bytes();
        long.push(0xC3);
        assert_eq!(
            sniff(complete_utf8(&long)),
            Some(deskmate_api::AttachmentKind::Text)
        );
        assert_eq!(complete_utf8(&[0xFF, b'a']), &[0xFF, b'a']);
    }
}
