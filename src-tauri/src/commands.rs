//! Tauri commands: parse input, call the core, map the error to `{code, message}`.
//! The UI reaches them only through `ui/src/lib/platform`.

use deskmate_api::{AppInfo, ErrorCode, ErrorResponse, Me, NewTicket, RefreshOutcome, Ticket};
use deskmate_core::{CoreError, Sensitive};
use tauri::State;

use crate::AppState;

type CommandResult<T> = Result<T, ErrorResponse>;

fn fail(error: CoreError) -> ErrorResponse {
    match error.code() {
        ErrorCode::Validation
        | ErrorCode::Unauthorized
        | ErrorCode::SignedOut
        | ErrorCode::Network => {
            tracing::info!(error = %error, "command refused")
        }
        _ => tracing::warn!(error = %error, "command failed"),
    }
    error.to_response()
}

#[tauri::command]
pub async fn app_info(state: State<'_, AppState>) -> CommandResult<AppInfo> {
    // Answers even when the cache could not open, so the window can say why.
    let saved = match state.core() {
        Ok(core) => core.last_server_url().await.map_err(fail)?,
        Err(_) => None,
    };
    Ok(AppInfo {
        version: env!("CARGO_PKG_VERSION").to_owned(),
        server_url: state.options.server_url.clone().or(saved),
        demo_accounts: state.options.demo_accounts.clone(),
    })
}

#[tauri::command]
pub async fn session(state: State<'_, AppState>) -> CommandResult<Option<Me>> {
    let session = state.core()?.session().await.map_err(fail)?;
    Ok(session.map(|s| s.user))
}

#[tauri::command]
pub async fn login(
    state: State<'_, AppState>,
    server_url: String,
    email: String,
    password: String,
) -> CommandResult<Me> {
    state
        .core()?
        .login(&server_url, &email, Sensitive::new(password))
        .await
        .map_err(fail)
}

#[tauri::command]
pub async fn logout(state: State<'_, AppState>) -> CommandResult<()> {
    state.core()?.logout().await.map_err(fail)
}

#[tauri::command]
pub async fn list_tickets(state: State<'_, AppState>) -> CommandResult<Vec<Ticket>> {
    state.core()?.cached_tickets().await.map_err(fail)
}

#[tauri::command]
pub async fn refresh_tickets(state: State<'_, AppState>) -> CommandResult<RefreshOutcome> {
    state.core()?.refresh_tickets().await.map_err(fail)
}

#[tauri::command]
pub async fn create_ticket(state: State<'_, AppState>, ticket: NewTicket) -> CommandResult<Ticket> {
    state.core()?.create_ticket(ticket).await.map_err(fail)
}
