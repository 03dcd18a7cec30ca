//! The commands of accounts beyond signing in (re-exported by `commands`):
//! the address remembered per helpdesk, password reset and account
//! requests from the sign-in screen, the account requests a customer admin
//! decides on, and the organisation's billing.

use deskmate_api::rpc;
use deskmate_core::Sensitive;
use tauri::State;

use crate::AppState;
use crate::commands::{Reply, fail};

/// The e-mail address last signed in with at `server_url` (`None`: none yet).
#[tauri::command]
pub async fn remembered_email(
    state: State<'_, AppState>,
    args: rpc::RememberedEmailArgs,
) -> Reply<rpc::RememberedEmailArgs> {
    let rpc::RememberedEmailArgs { server_url } = args;
    state
        .core()?
        .remembered_email(&server_url)
        .await
        .map_err(fail)
}

#[tauri::command]
pub async fn request_password_reset(
    state: State<'_, AppState>,
    args: rpc::RequestPasswordResetArgs,
) -> Reply<rpc::RequestPasswordResetArgs> {
    let rpc::RequestPasswordResetArgs { server_url, email } = args;
    state
        .core()?
        .request_password_reset(&server_url, &email)
        .await
        .map_err(fail)
}

#[tauri::command]
pub async fn confirm_password_reset(
    state: State<'_, AppState>,
    args: rpc::ConfirmPasswordResetArgs,
) -> Reply<rpc::ConfirmPasswordResetArgs> {
    let rpc::ConfirmPasswordResetArgs {
        server_url,
        token,
        password,
    } = args;
    state
        .core()?
        .confirm_password_reset(&server_url, Sensitive::new(token), Sensitive::new(password))
        .await
        .map_err(fail)
}

#[tauri::command]
pub async fn request_account(
    state: State<'_, AppState>,
    args: rpc::RequestAccountArgs,
) -> Reply<rpc::RequestAccountArgs> {
    let rpc::RequestAccountArgs {
        server_url,
        request,
    } = args;
    state
        .core()?
        .request_account(&server_url, request)
        .await
        .map_err(fail)
}

#[tauri::command]
pub async fn account_requests(state: State<'_, AppState>) -> Reply<rpc::AccountRequestsArgs> {
    state.core()?.account_requests().await.map_err(fail)
}

#[tauri::command]
pub async fn approve_account_request(
    state: State<'_, AppState>,
    args: rpc::ApproveAccountRequestArgs,
) -> Reply<rpc::ApproveAccountRequestArgs> {
    let rpc::ApproveAccountRequestArgs { id } = args;
    state
        .core()?
        .approve_account_request(id)
        .await
        .map_err(fail)
}

#[tauri::command]
pub async fn reject_account_request(
    state: State<'_, AppState>,
    args: rpc::RejectAccountRequestArgs,
) -> Reply<rpc::RejectAccountRequestArgs> {
    let rpc::RejectAccountRequestArgs { id } = args;
    state.core()?.reject_account_request(id).await.map_err(fail)
}

#[tauri::command]
pub async fn invoices(
    state: State<'_, AppState>,
    args: rpc::InvoicesArgs,
) -> Reply<rpc::InvoicesArgs> {
    let rpc::InvoicesArgs { cursor } = args;
    state.core()?.invoices(cursor).await.map_err(fail)
}

#[tauri::command]
pub async fn call_records(
    state: State<'_, AppState>,
    args: rpc::CallRecordsArgs,
) -> Reply<rpc::CallRecordsArgs> {
    let rpc::CallRecordsArgs { cursor } = args;
    state.core()?.call_records(cursor).await.map_err(fail)
}

#[tauri::command]
pub async fn expedite_charges(
    state: State<'_, AppState>,
    args: rpc::ExpediteChargesArgs,
) -> Reply<rpc::ExpediteChargesArgs> {
    let rpc::ExpediteChargesArgs { cursor } = args;
    state.core()?.expedite_charges(cursor).await.map_err(fail)
}
