//! The native file pickers: choosing files to attach and where to save one.
//!
//! The dialogs are opened from Rust (through `tauri-plugin-dialog`), so the
//! window needs no dialog permission and the UI gets back only what it shows:
//! each chosen file's name, size and kind ([`PickedFile`]).
//!
//! Test seam: WebDriver cannot drive a native dialog, so when the app was
//! started with `DESKMATE_E2E_PICK` (paths joined like `PATH`) or
//! `DESKMATE_E2E_SAVE_DIR` (see [`crate::StartOptions`]), these commands answer
//! with those instead of opening a dialog. Everything after the choice (the
//! checks, the copy into the outbox, the upload, the save) is the real path.

use std::io::Read;
use std::path::{Path, PathBuf};

use deskmate_api::{ErrorCode, ErrorResponse, PickedFile, sniff};
use tauri::State;
use tauri_plugin_dialog::{DialogExt, FilePath};

use crate::AppState;
use crate::commands::Reply;
use deskmate_api::rpc;

/// How much of a file is read to tell its kind.
const SNIFF_BYTES: u64 = 64 * 1024;

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
    tauri::async_runtime::spawn_blocking(move || paths.iter().map(|p| describe(p)).collect())
        .await
        .map_err(|e| {
            tracing::warn!(error = %e, "reading the chosen files stopped");
            ErrorResponse::new(ErrorCode::Internal, "the chosen files could not be read")
        })?
}

/// Asks where to save a file, offering `file_name`; `None` when cancelled.
#[tauri::command]
pub async fn pick_save_path(
    app: tauri::AppHandle,
    state: State<'_, AppState>,
    args: rpc::PickSavePathArgs,
) -> Reply<rpc::PickSavePathArgs> {
    let rpc::PickSavePathArgs { file_name } = args;
    if let Some(dir) = &state.options.e2e_save_dir {
        let name = deskmate_api::clean_file_name(&file_name)
            .map_err(|e| ErrorResponse::new(ErrorCode::Validation, e))?;
        return Ok(Some(dir.join(name)));
    }
    let (tx, rx) = tokio::sync::oneshot::channel();
    app.dialog()
        .file()
        .set_file_name(file_name)
        .save_file(move |chosen| {
            let _ = tx.send(chosen);
        });
    Ok(rx.await.ok().flatten().and_then(local_path))
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

/// Name, size and kind of a chosen file, from its metadata and first bytes.
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
        path: path.to_string_lossy().into_owned(),
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
