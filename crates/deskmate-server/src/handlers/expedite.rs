//! `GET` and `POST /api/v1/tickets/{id}/expedite`: the paid expedited
//! response. The provider sets the price (`--expedite-price`); a customer
//! reads the quote and consents to exactly that price, and the ticket goes
//! before every standard-response ticket in the agents' queue.

use axum::Json;
use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use axum::response::Response;
use chrono::Utc;
use deskmate_api::{
    ErrorCode, ErrorResponse, ExpediteChargeList, ExpediteQuote, NewExpedite, Role,
};

use super::billing::{list_query, organisation_of};
use super::{respond, visible_ticket};
use crate::AppState;
use crate::db::{ExpediteOffer, StoredTicket, expedite_refusal};
use crate::error::{ApiError, ApiResult};
use crate::extract::{Caller, IdempotencyKeyHeader, IdempotentJson, TicketId};
use crate::openapi::responses::{BadJsonOrKey, BodyTooLarge, SignedIn};
use crate::user::User;

/// What the customer agrees to, unless the provider words it otherwise.
pub const DEFAULT_TERMS: &str = "An expedited response is a paid service. Your ticket skips \
     the queue of every standard-response ticket and our consultants start on it as soon as \
     possible. The price is charged to your organisation on its next invoice; it is not \
     refunded once an agent has started on the ticket.";

/// The provider's offer, or the typed refusal when it sets no price.
fn offer(state: &AppState) -> ApiResult<&ExpediteOffer> {
    state.config.expedite.as_ref().ok_or_else(|| {
        ApiError::new(
            ErrorCode::NotOffered,
            "this helpdesk does not offer expedited responses",
        )
    })
}

/// Why `user` may not charge the organisation for `stored`'s expedited
/// response, if they may not: it needs the `expedite` right (which the
/// organisation's admins give or withhold), and then the ticket's author
/// may, and so may whoever has the `invoices` right (customer admins always
/// do); agents never.
fn not_theirs_to_pay(user: &User, stored: &StoredTicket) -> Option<ApiError> {
    if user.role == Role::Agent {
        return Some(ApiError::forbidden(
            "an expedited response is requested by the customer",
        ));
    }
    if !user.rights().expedite {
        return Some(ApiError::new(
            ErrorCode::RightWithheld,
            "your account may not request expedited responses: your organisation's \
             administrators can give you that right, or request it for you",
        ));
    }
    if stored.ticket.requester_id == user.id || user.rights().invoices {
        return None;
    }
    Some(ApiError::forbidden(
        "an expedited response is charged to your organisation: ask the ticket's author or \
         someone with the invoices right",
    ))
}

#[utoipa::path(
    get,
    path = "/api/v1/tickets/{id}/expedite",
    tag = "tickets",
    operation_id = "expedite_quote",
    summary = "What an expedited response of this ticket costs, and whether the caller can have it",
    description = "The price is the provider's now (in the currency's smallest unit); accept exactly it with `POST /api/v1/tickets/{id}/expedite`. `can_expedite` is false, with the reason in `refusal`, when the ticket is closed or expedited already, or when the caller may not charge the organisation (it takes the `expedite` right, which the organisation's admins give or withhold, and then the ticket's author and people with the `invoices` right may; agents never). Once expedited, `expedited` says by whom, when and at which price.",
    security(("bearer" = [])),
    params(
        ("id" = i64, Path, minimum = 1, description = "The ticket's id. Anything that is not a positive integer is a 404."),
    ),
    responses(
        (status = 200, description = "The quote.", body = ExpediteQuote),
        (status = 404, description = "No such ticket, or it belongs to another organisation: both are answered alike (`not_found`); or the helpdesk does not offer expedited responses: the provider set no price (`not_offered`).", body = ErrorResponse),
        SignedIn,
    ),
)]
pub async fn quote(
    State(state): State<AppState>,
    caller: Caller,
    ticket: TicketId,
) -> ApiResult<Json<ExpediteQuote>> {
    let stored = visible_ticket(&state, &caller.user, ticket).await?;
    let offer = offer(&state)?;
    let expedited = state.db.expedite_request(stored.ticket.id).await?;
    let refusal = expedite_refusal(&stored, expedited.as_ref(), offer, None)
        .or_else(|| not_theirs_to_pay(&caller.user, &stored).map(|e| e.to_string()));
    Ok(Json(ExpediteQuote {
        ticket_id: stored.ticket.id,
        price: offer.price.clone(),
        terms: offer.terms.clone(),
        can_expedite: refusal.is_none(),
        refusal,
        expedited,
    }))
}

#[utoipa::path(
    post,
    path = "/api/v1/tickets/{id}/expedite",
    tag = "tickets",
    operation_id = "expedite_ticket",
    summary = "Buy an expedited response: accept the quoted price (customers)",
    description = "The body is the customer's consent to the exact price `GET /api/v1/tickets/{id}/expedite` showed. Who may consent: someone with the `expedite` right (the organisation's admins give or withhold it) who is the ticket's author or has the `invoices` right (customer admins have both), since the organisation pays; agents never. On success the ticket is expedited at once (first in the agents' queue, `expedited` and `expedited_at` on the ticket in its detail and in `/sync`), the consent and a pending charge for the provider's next invoice are recorded, and a `ticket` change event reaches the ticket's viewers and the agents.",
    request_body = NewExpedite,
    security(("bearer" = [])),
    params(
        ("id" = i64, Path, minimum = 1, description = "The ticket's id. Anything that is not a positive integer is a 404."),
        IdempotencyKeyHeader,
    ),
    responses(
        (status = 201, description = "Expedited: the consent and charge as recorded; or, for a repeated `Idempotency-Key`, the first response replayed.", body = deskmate_api::ExpediteRequest),
        BadJsonOrKey,
        (status = 403, description = "An agent asked, or a customer who is neither the ticket's author nor has the `invoices` right (`forbidden`); or the account does not have the `expedite` right: the message says the organisation's admins can give it (`right_withheld`).", body = ErrorResponse),
        (status = 404, description = "No such ticket, or it belongs to another organisation: both are answered alike (`not_found`); or the helpdesk does not offer expedited responses (`not_offered`).", body = ErrorResponse),
        (status = 409, description = "The price is no longer the accepted one (the message says the current price; nothing was charged), the ticket is closed, or it is expedited already; or the `Idempotency-Key` was already used for a different request (`conflict`).", body = ErrorResponse),
        BodyTooLarge,
        (status = 422, description = "The accepted price is not a positive amount in a currency code like `EUR` (`validation`).", body = ErrorResponse),
        SignedIn,
    ),
)]
pub async fn expedite(
    State(state): State<AppState>,
    caller: Caller,
    ticket: TicketId,
    IdempotentJson { key, body: consent }: IdempotentJson<NewExpedite>,
) -> ApiResult<Response> {
    let stored = visible_ticket(&state, &caller.user, ticket).await?;
    caller.customers_only("an expedited response")?;
    let offer = offer(&state)?;
    if let Some(refusal) = not_theirs_to_pay(&caller.user, &stored) {
        return Err(refusal);
    }
    consent
        .accepted_price
        .validate()
        .map_err(ApiError::validation)?;
    let idempotency = key.bind(&consent)?;
    let written = state
        .db
        .expedite(
            stored.ticket.id,
            &caller.user,
            offer,
            &consent.accepted_price,
            idempotency.as_ref(),
            Utc::now(),
        )
        .await?;
    tracing::info!(
        ticket_id = stored.ticket.id,
        user_id = caller.user.id,
        "ticket expedited"
    );
    Ok(respond(written, StatusCode::CREATED))
}

#[utoipa::path(
    get,
    path = "/api/v1/expedite-charges",
    tag = "billing",
    operation_id = "expedite_charges",
    summary = "The organisation's expedited responses as charges, newest first (with the invoices right)",
    description = "Every expedited response bought for a ticket of the organisation: the price accepted, who accepted it and when, and the invoice that billed it (`invoice_id`, absent while the charge is pending). Who sees them: like invoices, customers with the `invoices` right (customer admins always) for their own organisation; an agent names the organisation. Pages of at most `limit`; ask again with `next_cursor` until it is null.",
    security(("bearer" = [])),
    params(
        ("organisation_id" = Option<i64>, Query, nullable = false, minimum = 1, description = "Agents: whose charges (required). Customers: their own organisation or absent."),
        ("limit" = Option<i64>, Query, nullable = false, minimum = 1, maximum = 500, description = "Charges per page, 1 to 500 (default 100)."),
        ("cursor" = Option<String>, Query, nullable = false, pattern = "^\\s*[0-9a-fA-F]{32}\\s*$", description = "The `next_cursor` of the previous page."),
    ),
    responses(
        (status = 200, description = "One page of charges.", body = ExpediteChargeList),
        (status = 400, description = "`limit`, `cursor` or `organisation_id` is not valid, an agent did not name the organisation, or an unknown parameter (`bad_request`).", body = ErrorResponse),
        (status = 403, description = "The account does not have the `invoices` right (`forbidden`).", body = ErrorResponse),
        (status = 404, description = "No such organisation, or not the customer's own (`not_found`).", body = ErrorResponse),
        SignedIn,
    ),
)]
pub async fn charges(
    State(state): State<AppState>,
    caller: Caller,
    RawQuery(raw): RawQuery,
) -> ApiResult<Json<ExpediteChargeList>> {
    let list = list_query(raw.as_deref(), &["organisation_id", "limit", "cursor"])?;
    if !caller.user.rights().invoices {
        return Err(ApiError::forbidden(
            "your account may not see the organisation's charges: ask your organisation's \
             administrator",
        ));
    }
    let organisation = organisation_of(&state, &caller.user, list.organisation.as_deref()).await?;
    let (charges, next_cursor) = state
        .db
        .expedite_charges(organisation, list.after, list.limit)
        .await?;
    Ok(Json(ExpediteChargeList {
        charges,
        next_cursor,
    }))
}
