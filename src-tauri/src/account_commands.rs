//! The commands of the account screen, re-exported by `commands`: the
//! password, the organisation's accounts and its notification addresses.
//! Each goes straight to the helpdesk through the core (online only).

use deskmate_api::rpc;
use deskmate_core::Sensitive;
use tauri::State;

use crate::AppState;
use crate::commands::{Reply, fail};

#[tauri::command]
pub async fn change_password(
    state: State<'_, AppState>,
    args: rpc::ChangePasswordArgs,
) -> Reply<rpc::ChangePasswordArgs> {
    let rpc::ChangePasswordArgs {
        current_password,
        new_password,
    } = args;
    state
        .core()?
        .change_password(
            Sensitive::new(current_password),
            Sensitive::new(new_password),
        )
        .await
        .map_err(fail)
}

#[tauri::command]
pub async fn list_users(state: State<'_, AppState>) -> Reply<rpc::ListUsersArgs> {
    state.core()?.users().await.map_err(fail)
}

#[tauri::command]
pub async fn add_user(
    state: State<'_, AppState>,
    args: rpc::AddUserArgs,
) -> Reply<rpc::AddUserArgs> {
    state.core()?.add_user(args.user).await.map_err(fail)
}

#[tauri::command]
pub async fn update_user(
    state: State<'_, AppState>,
    args: rpc::UpdateUserArgs,
) -> Reply<rpc::UpdateUserArgs> {
    let rpc::UpdateUserArgs { id, update } = args;
    state.core()?.update_user(id, update).await.map_err(fail)
}

#[tauri::command]
pub async fn remove_user(
    state: State<'_, AppState>,
    args: rpc::RemoveUserArgs,
) -> Reply<rpc::RemoveUserArgs> {
    state.core()?.remove_user(args.id).await.map_err(fail)
}

#[tauri::command]
pub async fn list_notification_addresses(
    state: State<'_, AppState>,
) -> Reply<rpc::ListNotificationAddressesArgs> {
    state.core()?.notification_addresses().await.map_err(fail)
}

#[tauri::command]
pub async fn add_notification_address(
    state: State<'_, AppState>,
    args: rpc::AddNotificationAddressArgs,
) -> Reply<rpc::AddNotificationAddressArgs> {
    state
        .core()?
        .add_notification_address(args.address)
        .await
        .map_err(fail)
}

#[tauri::command]
pub async fn set_notification_mail(
    state: State<'_, AppState>,
    args: rpc::SetNotificationMailArgs,
) -> Reply<rpc::SetNotificationMailArgs> {
    let rpc::SetNotificationMailArgs { id, mail } = args;
    state
        .core()?
        .set_notification_mail(id, mail)
        .await
        .map_err(fail)
}

#[tauri::command]
pub async fn remove_notification_address(
    state: State<'_, AppState>,
    args: rpc::RemoveNotificationAddressArgs,
) -> Reply<rpc::RemoveNotificationAddressArgs> {
    state
        .core()?
        .remove_notification_address(args.id)
        .await
        .map_err(fail)
}
