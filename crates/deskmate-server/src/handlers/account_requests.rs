//! `/api/v1/account-requests`: a person without an account asks for one
//! with their name, e-mail and the organisation's contract number
//! (public, rate-limited); the organisation's customer admins, or the
//! provider's agents when it has none, approve or reject. Approval creates
//! a customer user without rights and mails them a set-password link
//! (the password reset's token).

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use chrono::Utc;
use deskmate_api::{
    AccountRequestList, ErrorCode, ErrorResponse, NewAccountRequest, Role, UserAccount,
};

use super::password_reset::reset_mail;
use crate::AppState;
use crate::auth;
use crate::db::{Deciders, OutgoingMail};
use crate::error::{ApiError, ApiResult};
use crate::extract::{Caller, IdempotencyKey, IdempotencyKeyHeader, path_id};
use crate::json::ApiJson;
use crate::mail;
use crate::openapi::responses::{BadJsonOrKey, BadKey, BodyTooLarge, ServerFailed, SignedIn};
use crate::user::User;

/// Requests per address within an hour before 429.
pub const REQUESTS_PER_ADDRESS: i64 = 3;

fn deciders(user: &User) -> ApiResult<Deciders> {
    match (user.role, &user.organisation) {
        (Role::CustomerAdmin, Some(org)) => Ok(Deciders::Organisation(org.id)),
        (Role::Agent, _) => Ok(Deciders::Provider),
        _ => Err(ApiError::forbidden(
            "account requests are decided by your organisation's customer admins",
        )),
    }
}

#[utoipa::path(
    post,
    path = "/api/v1/account-requests",
    tag = "users",
    operation_id = "request_account",
    summary = "Ask for an account with the organisation's contract number (public)",
    description = "The organisation's customer admins (or the provider's agents, when it has none) see the request and approve or reject it; approval mails a link to set the password. At most 3 requests per address within an hour. An `Idempotency-Key` is checked for form only: a repeated request is recorded again (the admins see both).",
    request_body = NewAccountRequest,
    params(IdempotencyKeyHeader),
    responses(
        (status = 202, description = "Taken: the organisation's admins decide."),
        BadJsonOrKey,
        BodyTooLarge,
        (status = 422, description = "No organisation has this contract number, not an e-mail address, or an empty or too long name (`validation`).", body = ErrorResponse),
        (status = 429, description = "Too many requests for this address in the last hour (`rate_limited`).", body = ErrorResponse),
        ServerFailed,
    ),
)]
pub async fn request_account(
    State(state): State<AppState>,
    _key: IdempotencyKey,
    ApiJson(request): ApiJson<NewAccountRequest>,
) -> ApiResult<StatusCode> {
    request.validate().map_err(ApiError::validation)?;
    let email = request.email.trim().to_lowercase();
    let since = Utc::now() - chrono::Duration::hours(1);
    if state.db.account_requests_since(&email, since).await? >= REQUESTS_PER_ADDRESS {
        return Err(ApiError::new(
            ErrorCode::RateLimited,
            "too many account requests for this address: try again in an hour",
        ));
    }
    let organisation = state
        .db
        .organisation_by_contract(request.contract_number.trim())
        .await?
        .ok_or_else(|| {
            ApiError::validation(
                "no organisation has this contract number: check it on your contract with the \
                 provider, or ask your organisation's administrator",
            )
        })?;
    let id = state
        .db
        .add_account_request(organisation, request.name.trim(), &email)
        .await?;
    tracing::info!(request_id = id, organisation, "account requested");
    Ok(StatusCode::ACCEPTED)
}

#[utoipa::path(
    get,
    path = "/api/v1/account-requests",
    tag = "users",
    operation_id = "list_account_requests",
    summary = "The pending account requests the caller decides on",
    description = "A customer admin: their organisation's. An agent: those of organisations without a customer admin.",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Pending requests, oldest first.", body = AccountRequestList),
        (status = 403, description = "Neither a customer admin nor an agent (`forbidden`).", body = ErrorResponse),
        SignedIn,
    ),
)]
pub async fn list_requests(
    State(state): State<AppState>,
    caller: Caller,
) -> ApiResult<Json<AccountRequestList>> {
    let deciders = deciders(&caller.user)?;
    let requests = state.db.pending_account_requests(deciders).await?;
    Ok(Json(AccountRequestList { requests }))
}

#[utoipa::path(
    post,
    path = "/api/v1/account-requests/{id}/approve",
    tag = "users",
    operation_id = "approve_account_request",
    summary = "Approve an account request: the account is created and mailed a set-password link",
    description = "The new customer user has no rights until given; the mail carries a single-use link (and code) to set the password, valid like a password reset's. An `Idempotency-Key` is checked for form only: a repeat finds the request decided (404).",
    security(("bearer" = [])),
    params(
        ("id" = i64, Path, minimum = 1, description = "The request's id. Anything that is not a positive integer is a 404."),
        IdempotencyKeyHeader,
    ),
    responses(
        (status = 201, description = "The account created.", body = UserAccount),
        BadKey,
        (status = 403, description = "Neither a customer admin nor an agent (`forbidden`).", body = ErrorResponse),
        (status = 404, description = "No such pending request for the caller to decide (`not_found`).", body = ErrorResponse),
        (status = 409, description = "An account with this e-mail address exists (`conflict`).", body = ErrorResponse),
        (status = 503, description = "The helpdesk sends no e-mail, so the link cannot go out (`mail_not_configured`).", body = ErrorResponse),
        SignedIn,
    ),
)]
pub async fn approve(
    State(state): State<AppState>,
    caller: Caller,
    Path(raw_id): Path<String>,
    _key: IdempotencyKey,
) -> ApiResult<Response> {
    let deciders = deciders(&caller.user)?;
    let id = path_id(&raw_id, "account request")?;
    let request = state.db.pending_account_request(deciders, id).await?;
    let mail = mail::configured(state.mail.as_ref())?;
    let token = auth::new_token();
    let lifetime = state.config.password_reset_lifetime;
    let (_, body) = reset_mail(mail, &token, lifetime);
    let subject = "Your helpdesk account is ready: set its password";
    let outgoing = OutgoingMail {
        to: &request.email,
        subject,
        body: &body,
    };
    let user_id = state
        .db
        .decide_account_request(
            &caller.user,
            &request,
            Some((&auth::token_hash(&token), Utc::now() + lifetime, outgoing)),
        )
        .await?
        .ok_or_else(|| ApiError::internal("approval created no account"))?;
    mail.queued();
    let account = state
        .db
        .account(request.organisation.id, user_id)
        .await?
        .ok_or_else(|| ApiError::internal("the new account is missing"))?
        .account()?;
    tracing::info!(
        request_id = id,
        user_id,
        by = caller.user.id,
        "account request approved"
    );
    Ok((StatusCode::CREATED, Json(account)).into_response())
}

#[utoipa::path(
    post,
    path = "/api/v1/account-requests/{id}/reject",
    tag = "users",
    operation_id = "reject_account_request",
    summary = "Reject an account request",
    description = "An `Idempotency-Key` is checked for form only: a repeat finds the request decided (404).",
    security(("bearer" = [])),
    params(
        ("id" = i64, Path, minimum = 1, description = "The request's id. Anything that is not a positive integer is a 404."),
        IdempotencyKeyHeader,
    ),
    responses(
        (status = 204, description = "Rejected."),
        BadKey,
        (status = 403, description = "Neither a customer admin nor an agent (`forbidden`).", body = ErrorResponse),
        (status = 404, description = "No such pending request for the caller to decide (`not_found`).", body = ErrorResponse),
        SignedIn,
    ),
)]
pub async fn reject(
    State(state): State<AppState>,
    caller: Caller,
    Path(raw_id): Path<String>,
    _key: IdempotencyKey,
) -> ApiResult<StatusCode> {
    let deciders = deciders(&caller.user)?;
    let id = path_id(&raw_id, "account request")?;
    let request = state.db.pending_account_request(deciders, id).await?;
    state
        .db
        .decide_account_request(&caller.user, &request, None)
        .await?;
    tracing::info!(
        request_id = id,
        by = caller.user.id,
        "account request rejected"
    );
    Ok(StatusCode::NO_CONTENT)
}
