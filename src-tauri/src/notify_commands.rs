//! The commands of desktop notifications and links, re-exported by `commands`.

use deskmate_api::rpc;
use tauri::State;

use crate::AppState;
use crate::commands::{Reply, fail};

#[tauri::command]
pub async fn notify_settings(state: State<'_, AppState>) -> Reply<rpc::NotifySettingsArgs> {
    state.core()?.notify_settings().await.map_err(fail)
}

#[tauri::command]
pub async fn set_notify_settings(
    state: State<'_, AppState>,
    args: rpc::SetNotifySettingsArgs,
) -> Reply<rpc::SetNotifySettingsArgs> {
    let settings = state
        .core()?
        .set_notify_settings(args.settings)
        .await
        .map_err(fail)?;
    wake(&state);
    Ok(settings)
}

/// What waited may be due now: the notifier looks again.
fn wake(state: &AppState) {
    if let Some(notifier) = &state.notifier {
        notifier.notify_one();
    }
}

#[tauri::command]
pub async fn pause_notifications(
    state: State<'_, AppState>,
    args: rpc::PauseNotificationsArgs,
) -> Reply<rpc::PauseNotificationsArgs> {
    let settings = state
        .core()?
        .pause_notifications(args.pause)
        .await
        .map_err(fail)?;
    wake(&state);
    Ok(settings)
}

#[tauri::command]
pub async fn take_open_request(state: State<'_, AppState>) -> Reply<rpc::TakeOpenRequestArgs> {
    Ok(state
        .pending_open
        .lock()
        .map(|mut pending| pending.take())
        .unwrap_or_default())
}
