//! The commands of remote assistance, re-exported by `commands`: the tools
//! on this computer, the user's consent to one request (the core's consent
//! flow, its steps told to the window), the decline, the end, and "ready for
//! remote help now". Every tool call runs on the async runtime, never on the
//! UI thread, and is bounded by the core's time-outs.

use std::collections::HashMap;

use deskmate_api::{
    CONSENT_EVENT, ConsentProgress, ErrorCode, ErrorResponse, RemoteSessionView, RemoteTools, rpc,
};
use deskmate_core::remote::{self, Connection, Probe};
use tauri::{AppHandle, Emitter, Manager, State};

use crate::AppState;
use crate::commands::{Reply, fail};

/// What each consent of this run handed over (the tool Deskmate started,
/// the one-time password to make useless), by remote-session id, until the
/// session ends.
#[derive(Default)]
pub struct Handovers(tokio::sync::Mutex<HashMap<i64, Connection>>);

#[tauri::command]
pub async fn detect_remote_tools() -> Reply<rpc::DetectRemoteToolsArgs> {
    Ok(RemoteTools {
        found: Probe::default().detect().await,
        downloads: remote::downloads(),
    })
}

#[tauri::command]
pub async fn consent_remote_session(
    app: AppHandle,
    state: State<'_, AppState>,
    args: rpc::ConsentRemoteSessionArgs,
) -> Reply<rpc::ConsentRemoteSessionArgs> {
    let rpc::ConsentRemoteSessionArgs { id, tool } = args;
    let tell = |step| {
        let progress = ConsentProgress {
            remote_session_id: id,
            step,
        };
        if let Err(e) = app.emit(CONSENT_EVENT, progress) {
            tracing::warn!(error = %e, "cannot tell the window a consent step");
        }
    };
    let consented = state
        .core()?
        .consent_remote_session(id, tool, &Probe::default(), &tell)
        .await
        .map_err(fail)?;
    let earlier = state.remote.0.lock().await.insert(id, consented.connection);
    if let Some(earlier) = earlier {
        // Not expected (a request takes one answer); stop what it started.
        if let Some(launched) = earlier.launched {
            launched.stop().await;
        }
    }
    Ok(consented.view)
}

#[tauri::command]
pub async fn decline_remote_session(
    state: State<'_, AppState>,
    args: rpc::DeclineRemoteSessionArgs,
) -> Reply<rpc::DeclineRemoteSessionArgs> {
    let rpc::DeclineRemoteSessionArgs { id } = args;
    state
        .core()?
        .answer_remote_session(id, false)
        .await
        .map_err(fail)
}

#[tauri::command]
pub async fn end_remote_session(
    state: State<'_, AppState>,
    args: rpc::EndRemoteSessionArgs,
) -> Reply<rpc::EndRemoteSessionArgs> {
    let rpc::EndRemoteSessionArgs { id } = args;
    let core = state.core()?;
    let connection = state.remote.0.lock().await.remove(&id);
    let ended: RemoteSessionView = core
        .end_remote_session(id, connection, &Probe::default())
        .await
        .map_err(fail)?;
    Ok(ended)
}

#[tauri::command]
pub async fn open_tool_download(
    args: rpc::OpenToolDownloadArgs,
) -> Reply<rpc::OpenToolDownloadArgs> {
    let rpc::OpenToolDownloadArgs { tool } = args;
    let url = remote::vendor_page(tool).ok_or_else(|| {
        ErrorResponse::new(
            ErrorCode::Validation,
            "choose RustDesk, AnyDesk or TeamViewer",
        )
    })?;
    open::that_detached(url).map_err(|e| {
        tracing::warn!(url, error = %e, "cannot open a vendor's page");
        ErrorResponse::new(
            ErrorCode::Internal,
            format!("no web browser could be opened; visit {url}"),
        )
    })
}

#[tauri::command]
pub async fn ready_now(
    state: State<'_, AppState>,
    args: rpc::ReadyNowArgs,
) -> Reply<rpc::ReadyNowArgs> {
    let rpc::ReadyNowArgs { ticket_id } = args;
    state.core()?.ready_now(ticket_id).await.map_err(fail)
}

#[tauri::command]
pub async fn set_ready_now(
    state: State<'_, AppState>,
    args: rpc::SetReadyNowArgs,
) -> Reply<rpc::SetReadyNowArgs> {
    let rpc::SetReadyNowArgs { ticket_id, minutes } = args;
    state
        .core()?
        .set_ready_now(ticket_id, minutes)
        .await
        .map_err(fail)
}

/// The tray's "Ready for remote help now (1 h)": on the ticket of the
/// latest remote-session request waiting or under way, else on the most
/// recent open ticket (the entry shows only when there is one).
pub fn ready_now_from_tray(app: &AppHandle) {
    let app = app.clone();
    tauri::async_runtime::spawn(async move {
        let state = app.state::<AppState>();
        let Ok(core) = state.core() else {
            return;
        };
        let asked = core
            .remote_session_requests()
            .await
            .ok()
            .and_then(|r| r.last().map(|v| v.remote_session.ticket_id));
        let target = match asked {
            Some(id) => Some(id),
            None => core
                .tray_state()
                .await
                .ok()
                .and_then(|s| s.open_tickets.first().map(|t| t.id)),
        };
        let Some(ticket_id) = target else {
            return;
        };
        if let Err(e) = core.set_ready_now(ticket_id, Some(60)).await {
            tracing::warn!(error = %e, ticket_id, "cannot say ready for remote help now");
        }
    });
}
