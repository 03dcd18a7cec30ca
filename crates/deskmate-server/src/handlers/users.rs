//! `/api/v1/users`: an organisation's accounts, managed by the people with
//! the `manage_users` right (customer admins always). Agents do not manage
//! customers' accounts here: the provider uses `deskmate-server admin`.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use deskmate_api::{ErrorResponse, NewUser, Rights, Role, UserAccount, UserList, UserUpdate};
use serde::Serialize;

use super::respond;
use crate::AppState;
use crate::auth;
use crate::db::{NewAccount, Written};
use crate::error::{ApiError, ApiResult};
use crate::extract::{Caller, IdempotencyKey, IdempotencyKeyHeader, IdempotentJson, path_id};
use crate::openapi::responses::{BadJsonOrKey, BadKey, BodyTooLarge, KeyReused, SignedIn};
use crate::user::User;

/// The caller's organisation, if they may manage its accounts.
fn managed_organisation(user: &User) -> ApiResult<i64> {
    match (&user.organisation, user.rights().manage_users) {
        (Some(org), true) => Ok(org.id),
        (Some(_), false) => Err(ApiError::forbidden(
            "your account may not manage your organisation's accounts: ask its administrator",
        )),
        (None, _) => Err(ApiError::forbidden(
            "customers manage their own accounts; the provider uses deskmate-server admin",
        )),
    }
}

/// The organisation's account `raw_id` that `manager` may change: another
/// organisation's is a 404 like an unknown one; a customer admin's account
/// only another customer admin may change.
async fn changeable_account(state: &AppState, manager: &User, raw_id: &str) -> ApiResult<User> {
    let organisation = managed_organisation(manager)?;
    let id = path_id(raw_id, "user")?;
    let account = state
        .db
        .account(organisation, id)
        .await?
        .ok_or_else(|| ApiError::not_found(format!("no user #{id} in your organisation")))?;
    check_changeable(manager, &account)?;
    Ok(account)
}

/// A customer admin's account only another customer admin may change.
fn check_changeable(manager: &User, account: &User) -> ApiResult<()> {
    if account.role == Role::CustomerAdmin && manager.role != Role::CustomerAdmin {
        return Err(ApiError::forbidden(
            "only a customer admin changes a customer admin's account",
        ));
    }
    Ok(())
}

/// Refuses rights `manager` would give that they do not have themselves.
fn check_granted(manager: &User, before: Rights, after: Rights) -> ApiResult<()> {
    let granted = Rights {
        all_tickets: after.all_tickets && !before.all_tickets,
        invoices: after.invoices && !before.invoices,
        call_records: after.call_records && !before.call_records,
        manage_users: after.manage_users && !before.manage_users,
        expedite: after.expedite && !before.expedite,
    };
    if granted.within(manager.rights()) {
        Ok(())
    } else {
        Err(ApiError::forbidden(
            "you cannot give a right you do not have",
        ))
    }
}

#[utoipa::path(
    get,
    path = "/api/v1/users",
    tag = "users",
    operation_id = "list_users",
    summary = "The organisation's accounts with their role and rights (with the manage_users right)",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Every account of the caller's organisation, oldest first.", body = UserList),
        (status = 403, description = "The account does not have the `manage_users` right, or is an agent's (`forbidden`).", body = ErrorResponse),
        SignedIn,
    ),
)]
pub async fn list_users(
    State(state): State<AppState>,
    caller: Caller,
) -> ApiResult<Json<UserList>> {
    let organisation = managed_organisation(&caller.user)?;
    let users = state.db.accounts(organisation).await?;
    Ok(Json(UserList { users }))
}

/// What a new account's idempotency key is bound to: the request without
/// the password, which is kept nowhere but in its argon2 hash.
#[derive(Serialize)]
struct NewUserKey<'a> {
    email: &'a str,
    name: &'a str,
    rights: Option<Rights>,
}

#[utoipa::path(
    post,
    path = "/api/v1/users",
    tag = "users",
    operation_id = "create_user",
    summary = "Add a customer user to the organisation (with the manage_users right)",
    description = "The new account signs in at once with the password given. Only rights the caller has can be given.",
    request_body = NewUser,
    security(("bearer" = [])),
    params(IdempotencyKeyHeader),
    responses(
        (status = 201, description = "Added; or, for a repeated `Idempotency-Key`, the first response replayed.", body = UserAccount),
        BadJsonOrKey,
        (status = 403, description = "The account does not have the `manage_users` right or is an agent's, or it would give a right it does not have (`forbidden`).", body = ErrorResponse),
        (status = 409, description = "An account with this e-mail address exists; or the `Idempotency-Key` was already used for a different request (`conflict`).", body = ErrorResponse),
        BodyTooLarge,
        (status = 422, description = "Not an e-mail address, an empty name, or a password shorter than 10 or longer than 1024 characters (`validation`).", body = ErrorResponse),
        SignedIn,
    ),
)]
pub async fn create_user(
    State(state): State<AppState>,
    caller: Caller,
    IdempotentJson { key, body: new }: IdempotentJson<NewUser>,
) -> ApiResult<Response> {
    let organisation = managed_organisation(&caller.user)?;
    new.validate().map_err(ApiError::validation)?;
    let rights = new.rights.unwrap_or_default();
    check_granted(&caller.user, Rights::default(), rights)?;
    let asked = NewUserKey {
        email: &new.email,
        name: &new.name,
        rights: new.rights,
    };
    let idempotency = key.bind(&asked)?;
    let password = new.password;
    let hash = tokio::task::spawn_blocking(move || auth::hash_password(&password)).await??;
    let written = state
        .db
        .add_account(
            &caller.user,
            organisation,
            NewAccount {
                email: &new.email,
                name: &new.name,
                password_hash: &hash,
                rights,
            },
            idempotency.as_ref(),
        )
        .await?;
    if let Written::Created(account) = &written {
        tracing::info!(user_id = account.id, by = caller.user.id, "account added");
    }
    Ok(respond(written, StatusCode::CREATED))
}

#[utoipa::path(
    patch,
    path = "/api/v1/users/{id}",
    tag = "users",
    operation_id = "update_user",
    summary = "Rename an account of the organisation, set its rights, promote or demote it (with the manage_users right)",
    description = "New rights take effect on the account's next request. A customer admin always has every right; nobody takes away their own `manage_users`; only rights the caller has can be given. Only a customer admin promotes (`role: customer_admin`) or demotes (`role: customer_user`, keeping every right unless `rights` says otherwise); the organisation's last customer admin cannot be demoted.",
    request_body = UserUpdate,
    security(("bearer" = [])),
    params(
        ("id" = i64, Path, minimum = 1, description = "The account's id. Anything that is not a positive integer is a 404."),
        IdempotencyKeyHeader,
    ),
    responses(
        (status = 200, description = "The account as changed; or, for a repeated `Idempotency-Key`, the first response replayed.", body = UserAccount),
        BadJsonOrKey,
        (status = 403, description = "The account does not have the `manage_users` right or is an agent's, it would give a right it does not have, it is not a customer admin's and the account changed is, or it changes a role without being a customer admin's (`forbidden`).", body = ErrorResponse),
        (status = 404, description = "No such account, or it belongs to another organisation: both are answered alike (`not_found`).", body = ErrorResponse),
        KeyReused,
        BodyTooLarge,
        (status = 422, description = "An empty or too long name, rights less than all for a customer admin, the caller's own `manage_users` taken away, the `agent` role, or the organisation's last customer admin demoted (`validation`).", body = ErrorResponse),
        SignedIn,
    ),
)]
pub async fn update_user(
    State(state): State<AppState>,
    caller: Caller,
    Path(raw_id): Path<String>,
    IdempotentJson { key, body: update }: IdempotentJson<UserUpdate>,
) -> ApiResult<Response> {
    let account = changeable_account(&state, &caller.user, &raw_id).await?;
    update.validate().map_err(ApiError::validation)?;
    let role = update.role.filter(|r| *r != account.role);
    if role.is_some() && caller.user.role != Role::CustomerAdmin {
        return Err(ApiError::forbidden(
            "only a customer admin promotes or demotes an account",
        ));
    }
    let new_role = role.unwrap_or(account.role);
    if let Some(rights) = update.rights {
        if new_role == Role::CustomerAdmin && rights != Rights::ALL {
            return Err(ApiError::validation(
                "a customer admin has every right: none can be taken away",
            ));
        }
        if account.id == caller.user.id && !rights.manage_users {
            return Err(ApiError::validation(
                "you cannot take away your own right to manage users",
            ));
        }
        check_granted(&caller.user, account.rights(), rights)?;
    }
    let idempotency = key.bind(&update)?;
    // A promoted account has every right; a demoted one keeps them unless
    // the same request says which it keeps.
    let rights = match role {
        Some(Role::CustomerAdmin) => Some(Rights::ALL),
        Some(_) => update.rights.or(Some(Rights::ALL)),
        None => update.rights,
    };
    let change = UserUpdate {
        name: update.name.clone(),
        rights,
        role,
    };
    let written = state
        .db
        .change_account(
            &caller.user,
            account.organisation.as_ref().map_or(0, |o| o.id),
            account.id,
            &change,
            idempotency.as_ref(),
        )
        .await?;
    if let Written::Created(changed) = &written {
        tracing::info!(user_id = changed.id, by = caller.user.id, "account changed");
    }
    Ok(respond(written, StatusCode::OK))
}

#[utoipa::path(
    delete,
    path = "/api/v1/users/{id}",
    tag = "users",
    operation_id = "delete_user",
    summary = "Remove an account of the organisation (with the manage_users right)",
    description = "The account can no longer sign in and every session of it ends at once. Its tickets and messages stay, with its name.",
    security(("bearer" = [])),
    params(
        ("id" = i64, Path, minimum = 1, description = "The account's id. Anything that is not a positive integer is a 404."),
        IdempotencyKeyHeader,
    ),
    responses(
        (status = 204, description = "Removed; or, for a repeated `Idempotency-Key`, removed before."),
        BadKey,
        (status = 403, description = "The account does not have the `manage_users` right or is an agent's, or it is not a customer admin's and the account removed is (`forbidden`).", body = ErrorResponse),
        (status = 404, description = "No such account, or it belongs to another organisation: both are answered alike (`not_found`).", body = ErrorResponse),
        KeyReused,
        (status = 422, description = "The caller's own account (`validation`).", body = ErrorResponse),
        SignedIn,
    ),
)]
pub async fn delete_user(
    State(state): State<AppState>,
    caller: Caller,
    Path(raw_id): Path<String>,
    key: IdempotencyKey,
) -> ApiResult<Response> {
    let organisation = managed_organisation(&caller.user)?;
    let id = path_id(&raw_id, "user")?;
    let idempotency = key.bind_bodiless()?;
    // An account already removed is left to the removal below: a 404, or
    // for a repeated key the first answer.
    if let Some(account) = state.db.account(organisation, id).await? {
        check_changeable(&caller.user, &account)?;
        if account.id == caller.user.id {
            return Err(ApiError::validation("you cannot remove your own account"));
        }
    }
    let written = state
        .db
        .remove_account(&caller.user, organisation, id, idempotency.as_ref())
        .await?;
    if let Written::Created(()) = written {
        tracing::info!(user_id = id, by = caller.user.id, "account removed");
    }
    Ok(StatusCode::NO_CONTENT.into_response())
}
