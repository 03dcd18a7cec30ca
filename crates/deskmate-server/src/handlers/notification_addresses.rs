//! `/api/v1/notification-addresses`: where the provider writes to an
//! organisation per notification type (invoices and orders, support,
//! abuse), kept by its customer admins. Addresses must be in the
//! organisation's allowed e-mail domains (`deskmate-server admin
//! set-email-domains`); each one opts in to mail.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use deskmate_api::{
    Announcement, AnnouncementKind, ErrorCode, ErrorResponse, NewNotificationAddress,
    NotificationAddress, NotificationAddressList, NotificationAddressUpdate, NotificationKind,
    Role,
};

use super::respond;
use crate::AppState;
use crate::db::{OutgoingMail, StoredTicket};
use crate::error::{ApiError, ApiResult};
use crate::extract::{Caller, IdempotencyKey, IdempotencyKeyHeader, IdempotentJson, path_id};
use crate::mail::Mail;
use crate::openapi::responses::{BadJsonOrKey, BadKey, BodyTooLarge, KeyReused, SignedIn};
use crate::user::User;

/// The organisation a customer admin keeps the addresses of.
fn admins_organisation(user: &User) -> ApiResult<i64> {
    match (&user.organisation, user.role) {
        (Some(org), Role::CustomerAdmin) => Ok(org.id),
        _ => Err(ApiError::forbidden(
            "only your organisation's customer admins keep its notification addresses",
        )),
    }
}

/// Refuses an address outside the organisation's allowed domains.
async fn check_domain(state: &AppState, organisation: i64, email: &str) -> ApiResult<()> {
    deskmate_api::check_email(email).map_err(ApiError::validation)?;
    let allowed = state.db.email_domains(organisation).await?;
    let domain = deskmate_api::email_domain(email).unwrap_or_default();
    if allowed.is_empty() || allowed.contains(&domain) {
        return Ok(());
    }
    Err(ApiError::new(
        ErrorCode::InvalidEmailDomain,
        format!(
            "invalid e-mail domain: {domain} is not one of your organisation's ({})",
            super::list(allowed.iter().map(String::as_str))
        ),
    ))
}

#[utoipa::path(
    get,
    path = "/api/v1/notification-addresses",
    tag = "users",
    operation_id = "list_notification_addresses",
    summary = "The organisation's notification addresses and allowed e-mail domains (customer admins)",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "Every address, by kind then oldest first, and the domains they must be in (empty: any).", body = NotificationAddressList),
        (status = 403, description = "Not a customer admin (`forbidden`).", body = ErrorResponse),
        SignedIn,
    ),
)]
pub async fn list_addresses(
    State(state): State<AppState>,
    caller: Caller,
) -> ApiResult<Json<NotificationAddressList>> {
    let organisation = admins_organisation(&caller.user)?;
    Ok(Json(NotificationAddressList {
        addresses: state.db.notification_addresses(organisation).await?,
        allowed_domains: state.db.email_domains(organisation).await?,
    }))
}

#[utoipa::path(
    post,
    path = "/api/v1/notification-addresses",
    tag = "users",
    operation_id = "add_notification_address",
    summary = "Add an address for one kind of notification (customer admins)",
    description = "The address must be in one of the organisation's allowed e-mail domains, when the provider set any. With `mail` the helpdesk mails it what its kind covers (support: agents' replies on the organisation's tickets).",
    request_body = NewNotificationAddress,
    security(("bearer" = [])),
    params(IdempotencyKeyHeader),
    responses(
        (status = 201, description = "Added; or, for a repeated `Idempotency-Key`, the first response replayed.", body = NotificationAddress),
        BadJsonOrKey,
        (status = 403, description = "Not a customer admin (`forbidden`).", body = ErrorResponse),
        (status = 409, description = "The organisation has this address for this kind already; or the `Idempotency-Key` was already used for a different request (`conflict`).", body = ErrorResponse),
        BodyTooLarge,
        (status = 422, description = "Not an e-mail address (`validation`), or one outside the organisation's allowed e-mail domains (`invalid_email_domain`).", body = ErrorResponse),
        SignedIn,
    ),
)]
pub async fn add_address(
    State(state): State<AppState>,
    caller: Caller,
    IdempotentJson { key, body: new }: IdempotentJson<NewNotificationAddress>,
) -> ApiResult<Response> {
    let organisation = admins_organisation(&caller.user)?;
    check_domain(&state, organisation, &new.email).await?;
    let idempotency = key.bind(&new)?;
    let written = state
        .db
        .add_notification_address(
            &caller.user,
            organisation,
            new.kind,
            &new.email,
            new.mail,
            idempotency.as_ref(),
        )
        .await?;
    Ok(respond(written, StatusCode::CREATED))
}

#[utoipa::path(
    patch,
    path = "/api/v1/notification-addresses/{id}",
    tag = "users",
    operation_id = "update_notification_address",
    summary = "Turn an address's mail on or off (customer admins)",
    request_body = NotificationAddressUpdate,
    security(("bearer" = [])),
    params(
        ("id" = i64, Path, minimum = 1, description = "The address's id. Anything that is not a positive integer is a 404."),
        IdempotencyKeyHeader,
    ),
    responses(
        (status = 200, description = "The address as changed; or, for a repeated `Idempotency-Key`, the first response replayed.", body = NotificationAddress),
        BadJsonOrKey,
        (status = 403, description = "Not a customer admin (`forbidden`).", body = ErrorResponse),
        (status = 404, description = "No such address, or another organisation's: both are answered alike (`not_found`).", body = ErrorResponse),
        KeyReused,
        BodyTooLarge,
        SignedIn,
    ),
)]
pub async fn update_address(
    State(state): State<AppState>,
    caller: Caller,
    Path(raw_id): Path<String>,
    IdempotentJson { key, body: update }: IdempotentJson<NotificationAddressUpdate>,
) -> ApiResult<Response> {
    let organisation = admins_organisation(&caller.user)?;
    let id = path_id(&raw_id, "notification address")?;
    let idempotency = key.bind(&update)?;
    let written = state
        .db
        .set_notification_mail(
            &caller.user,
            organisation,
            id,
            update.mail,
            idempotency.as_ref(),
        )
        .await?;
    Ok(respond(written, StatusCode::OK))
}

#[utoipa::path(
    delete,
    path = "/api/v1/notification-addresses/{id}",
    tag = "users",
    operation_id = "remove_notification_address",
    summary = "Remove a notification address (customer admins)",
    security(("bearer" = [])),
    params(
        ("id" = i64, Path, minimum = 1, description = "The address's id. Anything that is not a positive integer is a 404."),
        IdempotencyKeyHeader,
    ),
    responses(
        (status = 204, description = "Removed; or, for a repeated `Idempotency-Key`, removed before."),
        BadKey,
        (status = 403, description = "Not a customer admin (`forbidden`).", body = ErrorResponse),
        (status = 404, description = "No such address, or another organisation's: both are answered alike (`not_found`).", body = ErrorResponse),
        KeyReused,
        SignedIn,
    ),
)]
pub async fn remove_address(
    State(state): State<AppState>,
    caller: Caller,
    Path(raw_id): Path<String>,
    key: IdempotencyKey,
) -> ApiResult<Response> {
    let organisation = admins_organisation(&caller.user)?;
    let id = path_id(&raw_id, "notification address")?;
    let idempotency = key.bind_bodiless()?;
    state
        .db
        .remove_notification_address(&caller.user, organisation, id, idempotency.as_ref())
        .await?;
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// Queues `subject` and `text` for the opted-in `kind` addresses of
/// `organisations`; whether any was queued.
async fn queue_for(
    state: &AppState,
    organisations: &[i64],
    kind: NotificationKind,
    subject: &str,
    text: &str,
) -> ApiResult<bool> {
    let mut to = Vec::new();
    for &organisation in organisations {
        to.extend(state.db.mailed_addresses(organisation, kind).await?);
    }
    if to.is_empty() {
        return Ok(false);
    }
    let mails: Vec<OutgoingMail<'_>> = to
        .iter()
        .map(|address| OutgoingMail {
            to: address,
            subject,
            body: text,
        })
        .collect();
    state.db.queue_mails(&mails).await?;
    Ok(true)
}

/// Wakes the mail task once something was queued; a failure is logged (the
/// write that asked for the mail stands).
fn queued(mail: &Mail, outcome: ApiResult<bool>, what: &str) {
    match outcome {
        Ok(true) => mail.queued(),
        Ok(false) => {}
        Err(e) => tracing::warn!(error = %e, "{what} not mailed"),
    }
}

/// An agent's reply on `stored`: mailed to the organisation's support
/// addresses that opted in (queued; a failure is logged, the reply stands).
pub async fn mail_support_reply(state: &AppState, stored: &StoredTicket, agent: &User, body: &str) {
    let Some(mail) = state.mail.as_ref() else {
        return;
    };
    let ticket = &stored.ticket;
    let subject = format!("[Ticket #{}] {}", ticket.id, ticket.subject);
    let text = format!(
        "{} replied on ticket #{} \"{}\":\n\n{body}\n\nOpen it in Deskmate or at {}/\n",
        agent.name,
        ticket.id,
        ticket.subject,
        mail.public_url()
    );
    let outcome = queue_for(
        state,
        &[ticket.organisation_id],
        NotificationKind::Support,
        &subject,
        &text,
    )
    .await;
    queued(mail, outcome, "support reply");
}

/// A new announcement or planned maintenance: mailed to the support
/// addresses that opted in of every organisation it reaches (its own
/// organisation, or all; with services, only those having one of them).
pub async fn mail_announcement(state: &AppState, announcement: &Announcement, services: &[String]) {
    let Some(mail) = state.mail.as_ref() else {
        return;
    };
    let outcome = async {
        let reached: Vec<i64> = state
            .db
            .organisations()
            .await?
            .into_iter()
            .filter(|o| announcement.organisation_id.is_none_or(|id| id == o.id))
            .filter(|o| {
                services.is_empty() || o.services.iter().any(|s| services.contains(&s.reference))
            })
            .map(|o| o.id)
            .collect();
        let (subject, text) = announcement_mail(announcement, mail.public_url());
        queue_for(state, &reached, NotificationKind::Support, &subject, &text).await
    }
    .await;
    queued(mail, outcome, "announcement");
}

/// The subject and text of the mail announcing `a`.
fn announcement_mail(a: &Announcement, public_url: &str) -> (String, String) {
    let label = match a.kind {
        AnnouncementKind::Announcement => "Announcement",
        AnnouncementKind::Maintenance => "Planned maintenance",
    };
    let mut text = format!("{}\n\n{}\n", a.title, a.body);
    let when = |t: Option<chrono::DateTime<chrono::Utc>>| {
        t.map(|t| t.format("%Y-%m-%d %H:%M UTC").to_string())
    };
    match (when(a.starts_at), when(a.ends_at)) {
        (Some(from), Some(to)) => text.push_str(&format!("\nWhen: {from} to {to}\n")),
        (Some(from), None) => text.push_str(&format!("\nFrom: {from}\n")),
        (None, Some(to)) => text.push_str(&format!("\nUntil: {to}\n")),
        (None, None) => {}
    }
    if !a.affected_services.is_empty() {
        text.push_str(&format!("Affected: {}\n", a.affected_services.join(", ")));
    }
    text.push_str(&format!("\nSee it in Deskmate or at {public_url}/\n"));
    (format!("[{label}] {}", a.title), text)
}
