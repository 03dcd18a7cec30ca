//! The screenshot commands (re-exported by `commands`): what can be
//! captured, capturing it, a pasted picture, the editor's result, and the
//! files dropped on the window.

use deskmate_api::{DROP_EVENT, ErrorCode, ErrorResponse, PickedFile, limits, rpc};
use tauri::{AppHandle, Emitter, Manager, State};

use crate::AppState;
use crate::capture;
use crate::commands::{Reply, fail};

/// The monitors and windows that can be captured.
#[tauri::command]
pub async fn capture_sources() -> Reply<rpc::CaptureSourcesArgs> {
    tauri::async_runtime::spawn_blocking(capture::sources)
        .await
        .map_err(|e| internal("listing what can be captured", e))?
}

/// Captures `target` (hiding Deskmate's window meanwhile) for the editor.
#[tauri::command]
pub async fn capture_screen(
    app: AppHandle,
    state: State<'_, AppState>,
    args: rpc::CaptureScreenArgs,
) -> Reply<rpc::CaptureScreenArgs> {
    let picture = capture::grab(&app, args.target).await?;
    hold(&state, picture).await
}

/// A picture pasted in the window (the bytes of its file, base64), decoded
/// under the core's limits, for the editor.
#[tauri::command]
pub async fn capture_from_bytes(
    state: State<'_, AppState>,
    args: rpc::CaptureFromBytesArgs,
) -> Reply<rpc::CaptureFromBytesArgs> {
    use base64::Engine;
    // Base64 is 4/3 of the bytes: refuse what cannot fit before decoding it.
    if args.data.len() / 4 * 3 > limits::ATTACHMENT_MAX_BYTES {
        return Err(too_large());
    }
    let bytes = base64::engine::general_purpose::STANDARD
        .decode(args.data.as_bytes())
        .map_err(|e| ErrorResponse::new(ErrorCode::Validation, format!("not a picture: {e}")))?;
    if bytes.len() > limits::ATTACHMENT_MAX_BYTES {
        return Err(too_large());
    }
    let picture =
        tauri::async_runtime::spawn_blocking(move || deskmate_core::capture::decode(&bytes))
            .await
            .map_err(|e| internal("reading the picture", e))?
            .map_err(fail)?;
    hold(&state, picture).await
}

/// What the shortcut or the tray captured, once (`null` after).
#[tauri::command]
pub async fn take_capture(state: State<'_, AppState>) -> Reply<rpc::TakeCaptureArgs> {
    state.captures.take_waiting().transpose()
}

/// Applies the editor's edits to capture `id` and writes the picture
/// (PNG, no metadata) ready to attach; the capture is forgotten.
#[tauri::command]
pub async fn save_capture(
    state: State<'_, AppState>,
    args: rpc::SaveCaptureArgs,
) -> Reply<rpc::SaveCaptureArgs> {
    let core = state.core()?;
    let picture = state.captures.take(args.id).ok_or_else(|| {
        ErrorResponse::new(
            ErrorCode::NotFound,
            "this screenshot is gone; take it again",
        )
    })?;
    let path = core
        .save_screenshot(picture, args.edits)
        .await
        .map_err(fail)?;
    crate::pickers::choose(&state.chosen, vec![path])
        .await?
        .pop()
        .unwrap_or_else(|| Err(internal("reading the screenshot", "no answer")))
}

/// Forgets capture `id` (the editor was closed).
#[tauri::command]
pub async fn discard_capture(
    state: State<'_, AppState>,
    args: rpc::DiscardCaptureArgs,
) -> Reply<rpc::DiscardCaptureArgs> {
    state.captures.take(args.id);
    Ok(())
}

/// Files dropped on the window: described and handed to the window
/// (`deskmate://dropped`), which adds them to the form or reply box open.
pub fn dropped(app: &AppHandle, paths: Vec<std::path::PathBuf>) {
    let app = app.clone();
    tauri::async_runtime::spawn(async move {
        let state = app.state::<AppState>();
        let files: Vec<PickedFile> = crate::pickers::choose(&state.chosen, paths)
            .await
            .unwrap_or_default()
            .into_iter()
            .filter_map(Result::ok)
            .collect();
        if !files.is_empty()
            && let Err(e) = app.emit(DROP_EVENT, files)
        {
            tracing::warn!(error = %e, "cannot hand the dropped files to the window");
        }
    });
}

async fn hold(
    state: &AppState,
    picture: image::RgbaImage,
) -> Result<deskmate_api::Capture, ErrorResponse> {
    let captures = state.captures.clone();
    tauri::async_runtime::spawn_blocking(move || captures.hold(picture))
        .await
        .map_err(|e| internal("keeping the screenshot", e))?
}

fn too_large() -> ErrorResponse {
    ErrorResponse::new(
        ErrorCode::PayloadTooLarge,
        format!(
            "the picture is larger than {} MB",
            limits::ATTACHMENT_MAX_BYTES / (1024 * 1024)
        ),
    )
}

fn internal(what: &str, e: impl std::fmt::Display) -> ErrorResponse {
    tracing::warn!(error = %e, what, "a screenshot step stopped");
    ErrorResponse::new(ErrorCode::Internal, format!("{what} failed"))
}
