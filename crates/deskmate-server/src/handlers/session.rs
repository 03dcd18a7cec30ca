//! Signing in and out, refreshing the token, changing the password, and who
//! is signed in.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use chrono::Utc;
use deskmate_api::{ChangePassword, ErrorResponse, LoginRequest, LoginResponse, Me, limits};

use crate::AppState;
use crate::auth;
use crate::error::{ApiError, ApiResult};
use crate::extract::{Caller, Client};
use crate::json::ApiJson;
use crate::openapi::responses::{BadJson, BodyTooLarge, ServerFailed, SignedIn};

#[utoipa::path(
    post,
    path = "/api/v1/auth/login",
    tag = "auth",
    operation_id = "login",
    summary = "Sign in with e-mail address and password",
    description = "Answers a bearer token for `Authorization: Bearer`, valid for 30 days. A wrong e-mail address and a wrong password are refused alike.",
    request_body = LoginRequest,
    responses(
        (status = 200, description = "Signed in.", body = LoginResponse),
        BadJson,
        (status = 401, description = "Wrong e-mail address or password (`unauthorized`).", body = ErrorResponse),
        BodyTooLarge,
        (status = 422, description = "The e-mail address or the password is empty (`validation`).", body = ErrorResponse),
        (status = 429, description = "Too many failed sign-ins lately, refused even with the right password (`rate_limited`): 10 for this address from this client (IP) in 15 minutes, 30 from this client for any addresses in 15 minutes (`--login-failures-per-client`), or 50 for this address from all clients in 5 minutes; or the server is too busy checking other sign-ins.", body = ErrorResponse),
        ServerFailed,
    ),
)]
pub async fn login(
    State(state): State<AppState>,
    Client(client): Client,
    ApiJson(request): ApiJson<LoginRequest>,
) -> ApiResult<Json<LoginResponse>> {
    let email = request.email.trim().to_owned();
    if email.is_empty() || request.password.is_empty() {
        return Err(ApiError::validation(
            "enter your e-mail address and password",
        ));
    }
    let wrong = || ApiError::unauthorized("wrong e-mail or password");
    if email.chars().count() > limits::EMAIL_MAX_CHARS
        || request.password.chars().count() > limits::PASSWORD_MAX_CHARS
    {
        return Err(wrong());
    }
    refuse_if_rate_limited(&state, &email, &client).await?;
    let user = state.db.user_by_email(&email).await?;
    let stored = user
        .as_ref()
        .map(|u| u.password_hash.clone())
        .unwrap_or_else(|| auth::decoy_hash().to_owned());
    let matches = verify_password(&state, stored, request.password).await?;
    let Some(user) = user.filter(|_| matches) else {
        tracing::info!(%client, "sign-in refused");
        record_failure(&state, &email, &client).await?;
        return Err(wrong());
    };
    state.db.clear_login_failures(&email, &client).await?;
    let token = auth::new_token();
    let expires_at = Utc::now() + chrono::Duration::days(auth::SESSION_DAYS);
    state
        .db
        .create_session(&auth::token_hash(&token), user.id, expires_at)
        .await?;
    tracing::info!(user_id = user.id, "signed in");
    Ok(Json(LoginResponse {
        token,
        expires_at,
        user: user.me(),
    }))
}

/// Checks a password with argon2, at most as many at once as the server
/// allows; a sign-in that waits too long for its turn gets a 429.
async fn verify_password(state: &AppState, stored: String, password: String) -> ApiResult<bool> {
    state
        .limits
        .check_password(crate::limits::PASSWORD_CHECK_WAIT, stored, password)
        .await
}

/// Refuses with 429 when this client failed at this address too often,
/// this client failed at any addresses too often (password spraying), or
/// the address failed from all clients together too often lately.
async fn refuse_if_rate_limited(state: &AppState, email: &str, client: &str) -> ApiResult<()> {
    let now = Utc::now();
    let window = now - chrono::Duration::minutes(auth::LOGIN_FAILURE_WINDOW_MINUTES);
    let short = now - chrono::Duration::minutes(auth::ADDRESS_FAILURE_WINDOW_MINUTES);
    let wait = |minutes: i64| format!("try again in {minutes} minutes");
    let db = &state.db;
    if db.login_failures_since(email, Some(client), window).await? >= auth::LOGIN_FAILURES_ALLOWED {
        tracing::warn!(%client, "sign-in refused: too many failures for one address");
        return Err(crate::limits::too_many(
            "too many failed sign-ins for this address",
            &wait(auth::LOGIN_FAILURE_WINDOW_MINUTES),
        ));
    }
    if db.client_failures_since(client, window).await?
        >= state.config.caps.login_failures_per_client
    {
        tracing::warn!(%client, "sign-in refused: too many failures from one client");
        return Err(crate::limits::too_many(
            "too many failed sign-ins from this computer",
            &wait(auth::LOGIN_FAILURE_WINDOW_MINUTES),
        ));
    }
    if db.login_failures_since(email, None, short).await? >= auth::ADDRESS_FAILURES_ALLOWED {
        tracing::warn!("sign-in refused: too many failures for one address from everywhere");
        return Err(crate::limits::too_many(
            "too many failed sign-ins for this address",
            &wait(auth::ADDRESS_FAILURE_WINDOW_MINUTES),
        ));
    }
    Ok(())
}

/// Counts a failed sign-in (rows past every window are purged with it).
async fn record_failure(state: &AppState, email: &str, client: &str) -> ApiResult<()> {
    let now = Utc::now();
    let keep_since = now - chrono::Duration::minutes(auth::LOGIN_FAILURE_WINDOW_MINUTES);
    state
        .db
        .record_login_failure(email, client, now, keep_since)
        .await
}

#[utoipa::path(
    post,
    path = "/api/v1/auth/refresh",
    tag = "auth",
    operation_id = "refresh",
    summary = "Swap the token sent for a new one valid for 30 more days",
    description = "Answers a new bearer token, as signing in does; the token sent stops working.",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The new token; the old one no longer works.", body = LoginResponse),
        (status = 401, description = "No `Authorization: Bearer` token, or the session has expired or was ended, also by a refresh already made with it (`unauthorized`).", body = ErrorResponse),
        ServerFailed,
    ),
)]
pub async fn refresh(
    State(state): State<AppState>,
    caller: Caller,
) -> ApiResult<Json<LoginResponse>> {
    let token = auth::new_token();
    let expires_at = Utc::now() + chrono::Duration::days(auth::SESSION_DAYS);
    let replaced = state
        .db
        .replace_session(
            &caller.token_hash,
            &auth::token_hash(&token),
            caller.user.id,
            expires_at,
        )
        .await?;
    if !replaced {
        return Err(ApiError::unauthorized(
            "the session has expired or was ended: sign in again",
        ));
    }
    tracing::info!(user_id = caller.user.id, "session refreshed");
    Ok(Json(LoginResponse {
        token,
        expires_at,
        user: caller.user.me(),
    }))
}

#[utoipa::path(
    post,
    path = "/api/v1/auth/password",
    tag = "auth",
    operation_id = "change_password",
    summary = "Change the signed-in user's password",
    description = "Ends every other session of the user; the token sent keeps working. A wrong current password counts as a failed sign-in of the user's address.",
    request_body = ChangePassword,
    security(("bearer" = [])),
    responses(
        (status = 204, description = "Changed: only the token sent still works."),
        BadJson,
        (status = 401, description = "No `Authorization: Bearer` token, the session has expired or was ended, or the current password is wrong (`unauthorized`).", body = ErrorResponse),
        BodyTooLarge,
        (status = 422, description = "The new password is shorter than 10 or longer than 1024 characters, or is the current one (`validation`).", body = ErrorResponse),
        (status = 429, description = "Too many failed sign-ins lately, as for signing in (`rate_limited`).", body = ErrorResponse),
        ServerFailed,
    ),
)]
pub async fn change_password(
    State(state): State<AppState>,
    caller: Caller,
    Client(client): Client,
    ApiJson(request): ApiJson<ChangePassword>,
) -> ApiResult<StatusCode> {
    request.validate().map_err(ApiError::validation)?;
    let user = caller.user;
    refuse_if_rate_limited(&state, &user.email, &client).await?;
    let stored = user.password_hash.clone();
    let ChangePassword {
        current_password,
        new_password,
    } = request;
    let matches = current_password.chars().count() <= limits::PASSWORD_MAX_CHARS
        && verify_password(&state, stored, current_password).await?;
    if !matches {
        tracing::info!(user_id = user.id, "password change refused");
        record_failure(&state, &user.email, &client).await?;
        return Err(ApiError::unauthorized("the current password is wrong"));
    }
    let hash = tokio::task::spawn_blocking(move || auth::hash_password(&new_password)).await??;
    let ended = state
        .db
        .change_password(user.id, &hash, &caller.token_hash)
        .await?;
    state.db.clear_login_failures(&user.email, &client).await?;
    tracing::info!(
        user_id = user.id,
        sessions_ended = ended,
        "password changed"
    );
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(
    post,
    path = "/api/v1/auth/logout",
    tag = "auth",
    operation_id = "logout",
    summary = "End the session of the token sent",
    security(("bearer" = [])),
    responses(
        (status = 204, description = "Signed out: the token no longer works."),
        SignedIn,
    ),
)]
pub async fn logout(State(state): State<AppState>, caller: Caller) -> ApiResult<StatusCode> {
    state
        .db
        .delete_session(&caller.token_hash, caller.user.id)
        .await?;
    Ok(StatusCode::NO_CONTENT)
}

#[utoipa::path(
    get,
    path = "/api/v1/me",
    tag = "auth",
    operation_id = "me",
    summary = "The signed-in user",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The user the token belongs to.", body = Me),
        SignedIn,
    ),
)]
pub async fn me(caller: Caller) -> Json<Me> {
    Json(caller.user.me())
}
