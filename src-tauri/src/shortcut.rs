//! The global screenshot shortcut (`tauri-plugin-global-shortcut`, Ctrl+Alt+S
//! unless the user chose another in Settings): it works while the app sits
//! in the tray, captures the screen and opens the new-ticket form with the
//! picture in the editor. The tray's "Report a problem with a screenshot"
//! runs the same [`capture_into_new_ticket`].

use std::str::FromStr;
use std::sync::Mutex;

use deskmate_api::{CAPTURE_EVENT, CaptureTarget, ErrorCode, ErrorResponse, NotifyTarget};
use tauri::{AppHandle, Emitter, Manager};
use tauri_plugin_global_shortcut::{GlobalShortcutExt, Shortcut, ShortcutState};

use crate::{AppState, capture, desktop};

/// The shortcut registered now, if any.
#[derive(Default)]
pub struct Registered(Mutex<Option<Shortcut>>);

/// Captures every monitor (the window out of the way) and opens the
/// new-ticket form with the picture in the editor; when capture is
/// impossible the form opens saying so, with the file picker.
pub fn capture_into_new_ticket(app: &AppHandle) {
    let app = app.clone();
    tauri::async_runtime::spawn(async move {
        let state = app.state::<AppState>();
        let held = match capture::grab(&app, CaptureTarget::Screen).await {
            Ok(picture) => {
                let captures = state.captures.clone();
                tauri::async_runtime::spawn_blocking(move || captures.hold(picture))
                    .await
                    .unwrap_or_else(|e| Err(ErrorResponse::new(ErrorCode::Internal, e.to_string())))
            }
            Err(e) => Err(e),
        };
        state.captures.set_waiting(held);
        desktop::open(&app, &NotifyTarget::NewTicket);
        if let Err(e) = app.emit(CAPTURE_EVENT, ()) {
            tracing::warn!(error = %e, "cannot tell the window about the screenshot");
        }
    });
}

/// Whether a screenshot shortcut is registered now.
pub fn active(app: &AppHandle) -> bool {
    let state = app.state::<AppState>();
    let registered = state.shortcut.0.lock().unwrap_or_else(|e| e.into_inner());
    registered.is_some()
}

/// Registers `keys` ("Ctrl+Alt+S"; empty: none) in place of the shortcut
/// registered before. A shortcut that cannot be read or is taken by another
/// app is a `validation` error, and the one before stays.
pub fn register(app: &AppHandle, keys: &str) -> Result<(), ErrorResponse> {
    let state = app.state::<AppState>();
    let mut registered = state.shortcut.0.lock().unwrap_or_else(|e| e.into_inner());
    let wanted = match keys.trim() {
        "" => None,
        keys => Some(Shortcut::from_str(keys).map_err(|e| {
            ErrorResponse::new(
                ErrorCode::Validation,
                format!("{keys:?} is not a keyboard shortcut ({e}); try Ctrl+Alt+S"),
            )
        })?),
    };
    if wanted == *registered {
        return Ok(());
    }
    let shortcuts = app.global_shortcut();
    if let Some(new) = wanted {
        shortcuts
            .on_shortcut(new, |app, _shortcut, event| {
                if event.state == ShortcutState::Pressed {
                    tracing::info!("screenshot shortcut");
                    capture_into_new_ticket(app);
                }
            })
            .map_err(|e| {
                tracing::info!(error = %e, keys, "cannot register the screenshot shortcut");
                ErrorResponse::new(
                    ErrorCode::Validation,
                    format!("{keys} cannot be used here ({e}); choose another shortcut"),
                )
            })?;
    }
    if let Some(old) = registered.take()
        && let Err(e) = shortcuts.unregister(old)
    {
        tracing::warn!(error = %e, "cannot release the old screenshot shortcut");
    }
    *registered = wanted;
    tracing::info!(keys, "screenshot shortcut registered");
    Ok(())
}
