//! The commands of the app's life on the desktop (close-to-tray, start at
//! login), re-exported by `commands`.

use deskmate_api::{DesktopSettings, DesktopStatus, ErrorCode, ErrorResponse, rpc};
use tauri::{AppHandle, State};
use tauri_plugin_autostart::ManagerExt;

use crate::AppState;
use crate::closing;
use crate::commands::{Reply, fail};

#[tauri::command]
pub async fn desktop_settings(
    app: AppHandle,
    state: State<'_, AppState>,
) -> Reply<rpc::DesktopSettingsArgs> {
    status(&app, &state).await
}

#[tauri::command]
pub async fn set_desktop_settings(
    app: AppHandle,
    state: State<'_, AppState>,
    args: rpc::SetDesktopSettingsArgs,
) -> Reply<rpc::SetDesktopSettingsArgs> {
    let DesktopSettings {
        close_to_tray,
        start_at_login,
        screenshot_shortcut,
    } = args.settings;
    let core = state.core()?;
    if screenshot_shortcut.trim() != core.screenshot_shortcut().await.map_err(fail)?.trim() {
        // Registered first: a shortcut that cannot be used is refused, and kept nowhere.
        crate::shortcut::register(&app, &screenshot_shortcut)?;
        core.set_screenshot_shortcut(&screenshot_shortcut)
            .await
            .map_err(fail)?;
    }
    core.set_close_to_tray(close_to_tray).await.map_err(fail)?;
    state.closing.set_close_to_tray(close_to_tray);
    if start_at_login != starts_at_login(&app)? {
        let autostart = app.autolaunch();
        let done = if start_at_login {
            autostart.enable()
        } else {
            autostart.disable()
        };
        done.map_err(|e| {
            tracing::warn!(error = %e, start_at_login, "cannot change the start-at-login entry");
            ErrorResponse::new(
                ErrorCode::Internal,
                "the start-at-login entry could not be changed",
            )
        })?;
    }
    status(&app, &state).await
}

fn starts_at_login(app: &AppHandle) -> Result<bool, ErrorResponse> {
    app.autolaunch().is_enabled().map_err(|e| {
        tracing::warn!(error = %e, "cannot read the start-at-login entry");
        ErrorResponse::new(
            ErrorCode::Internal,
            "the start-at-login entry could not be read",
        )
    })
}

async fn status(app: &AppHandle, state: &AppState) -> Result<DesktopStatus, ErrorResponse> {
    let start_at_login = starts_at_login(app)?;
    // A D-Bus round trip: off the async workers.
    let app_handle = app.clone();
    let tray_shown =
        tauri::async_runtime::spawn_blocking(move || closing::tray_available(&app_handle))
            .await
            .unwrap_or(false);
    Ok(DesktopStatus {
        settings: DesktopSettings {
            close_to_tray: state.closing.close_to_tray(),
            start_at_login,
            screenshot_shortcut: match state.core() {
                Ok(core) => core.screenshot_shortcut().await.map_err(fail)?,
                Err(_) => String::new(),
            },
        },
        tray_shown,
        shortcut_active: crate::shortcut::active(app),
    })
}
