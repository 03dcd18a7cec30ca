//! `POST /api/v1/auth/password-reset` and `.../confirm`: a forgotten
//! password, reset through a single-use, time-limited token mailed to the
//! account's address. The request answers alike whether or not the address
//! has an account, so it tells nobody which addresses do.

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use chrono::Utc;
use deskmate_api::{
    ErrorCode, ErrorResponse, PasswordResetConfirm, PasswordResetDone, PasswordResetRequest,
};

use crate::AppState;
use crate::auth;
use crate::db::OutgoingMail;
use crate::error::{ApiError, ApiResult};
use crate::json::ApiJson;
use crate::mail::{self, Mail};
use crate::openapi::responses::{BadJson, BodyTooLarge, ServerFailed};

/// Requests per address (known or not) within the window before 429.
pub const RESETS_PER_ADDRESS: i64 = 5;
/// Reset mails per account within the window; beyond, the request is
/// answered alike but no mail goes out (a 429 would tell the address has
/// an account).
pub const RESET_MAILS_PER_ACCOUNT: i64 = 3;
pub const RESET_WINDOW_MINUTES: i64 = 60;

/// The reset mail's subject and text.
pub fn reset_mail(mail: &Mail, token: &str, lifetime: chrono::Duration) -> (String, String) {
    let minutes = lifetime.num_minutes().max(1);
    let body = format!(
        "Someone (we hope you) asked to set a new password for your helpdesk account.\n\n\
         Open this link to choose it:\n{}/reset-password?token={token}\n\n\
         or enter this code in the Deskmate app (\"Forgot password?\" on the sign-in screen):\n\
         {token}\n\n\
         The link and the code work once, within {minutes} minutes. If you did not ask, \
         ignore this mail: your password stays as it is.\n",
        mail.public_url()
    );
    (
        "Set a new password for your helpdesk account".to_owned(),
        body,
    )
}

#[utoipa::path(
    post,
    path = "/api/v1/auth/password-reset",
    tag = "auth",
    operation_id = "request_password_reset",
    summary = "Ask for a password reset mail (public)",
    description = "Answers 202 whether or not the address has an account, and mails the account (if any) a single-use token, valid for a limited time (one hour unless the provider set otherwise), both as a link to the helpdesk's public URL and as the token itself to enter in the app. Confirm it with `POST /api/v1/auth/password-reset/confirm`. At most 5 requests per address within an hour (then 429, for any address) and 3 mails per account within an hour (further requests are answered alike and mail nothing).",
    request_body = PasswordResetRequest,
    responses(
        (status = 202, description = "Taken: if the address has an account, the mail is on its way."),
        BadJson,
        BodyTooLarge,
        (status = 422, description = "Not an e-mail address (`validation`).", body = ErrorResponse),
        (status = 429, description = "Too many reset requests for this address in the last hour (`rate_limited`).", body = ErrorResponse),
        (status = 503, description = "The helpdesk sends no e-mail: its operator configured no SMTP server (`mail_not_configured`).", body = ErrorResponse),
        ServerFailed,
    ),
)]
pub async fn request_reset(
    State(state): State<AppState>,
    ApiJson(request): ApiJson<PasswordResetRequest>,
) -> ApiResult<StatusCode> {
    let mail = mail::configured(state.mail.as_ref())?;
    deskmate_api::check_email(&request.email).map_err(ApiError::validation)?;
    let email = request.email.trim().to_lowercase();
    let now = Utc::now();
    let window_start = now - chrono::Duration::minutes(RESET_WINDOW_MINUTES);
    if state.db.reset_requests_since(&email, window_start).await? >= RESETS_PER_ADDRESS {
        return Err(ApiError::new(
            ErrorCode::RateLimited,
            "too many password reset requests for this address: try again in an hour",
        ));
    }
    let token = auth::new_token();
    let token_hash = auth::token_hash(&token);
    let lifetime = state.config.password_reset_lifetime;
    let (subject, body) = reset_mail(mail, &token, lifetime);
    let account = state.db.user_by_email(&email).await?;
    let issue = account.as_ref().map(|user| {
        let to = OutgoingMail {
            to: &user.email,
            subject: &subject,
            body: &body,
        };
        (user.id, token_hash.as_str(), now + lifetime, to)
    });
    let queued = state
        .db
        .request_password_reset(&email, window_start, RESET_MAILS_PER_ACCOUNT, issue)
        .await?;
    if queued {
        mail.queued();
    }
    tracing::info!(mailed = queued, "password reset requested");
    Ok(StatusCode::ACCEPTED)
}

#[utoipa::path(
    post,
    path = "/api/v1/auth/password-reset/confirm",
    tag = "auth",
    operation_id = "confirm_password_reset",
    summary = "Set a new password with the token of a reset mail (public)",
    description = "Spends the token (it works once, and any other unspent token of the account is void with it), sets the password, and ends every session of the account: sign in again with the new password.",
    request_body = PasswordResetConfirm,
    responses(
        (status = 200, description = "Set: the account's address, to sign in with.", body = PasswordResetDone),
        BadJson,
        BodyTooLarge,
        (status = 404, description = "The token is unknown, spent or expired: ask for a new mail (`not_found`).", body = ErrorResponse),
        (status = 422, description = "The password is shorter than 10 or longer than 1024 characters (`validation`).", body = ErrorResponse),
        ServerFailed,
    ),
)]
pub async fn confirm_reset(
    State(state): State<AppState>,
    ApiJson(request): ApiJson<PasswordResetConfirm>,
) -> ApiResult<Json<PasswordResetDone>> {
    deskmate_api::validate_new_password(&request.password).map_err(ApiError::validation)?;
    let spent = || {
        ApiError::not_found(
            "this password reset code is unknown, was used already or has expired: ask for a \
             new mail",
        )
    };
    let token = request.token.trim();
    if token.is_empty() || token.chars().count() > 200 {
        return Err(spent());
    }
    let token_hash = auth::token_hash(token);
    let password = request.password;
    let hash = tokio::task::spawn_blocking(move || auth::hash_password(&password)).await??;
    let email = state
        .db
        .reset_password(&token_hash, &hash, Utc::now())
        .await?
        .ok_or_else(spent)?;
    tracing::info!("password reset");
    Ok(Json(PasswordResetDone { email }))
}
