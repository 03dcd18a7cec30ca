//! Order-delay information requests: an agent asks an organisation about a
//! delayed order; its people answer once.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::Response;
use chrono::Utc;
use deskmate_api::{ErrorResponse, NewOrderDelay, OrderDelayAnswer, OrderDelayList};

use super::respond;
use crate::AppState;
use crate::error::{ApiError, ApiResult};
use crate::extract::{
    Action, Agent, Caller, Customer, IdempotencyKeyHeader, IdempotentJson, path_id,
};
use crate::openapi::responses::{BadJsonOrKey, BodyTooLarge, KeyReused, SignedIn};

/// Asking about a delayed order (the provider's agents).
pub struct AskingAboutDelays;
impl Action for AskingAboutDelays {
    const WHAT: &'static str = "asking about a delayed order";
}

/// Answering an order-delay request (customers).
pub struct AnsweringDelays;
impl Action for AnsweringDelays {
    const WHAT: &'static str = "answering an order-delay request";
}

#[utoipa::path(
    get,
    path = "/api/v1/order-delays",
    tag = "notices",
    operation_id = "list_order_delays",
    summary = "Order-delay information requests, newest first",
    description = "The caller's organisation's; agents see every organisation's.",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The requests.", body = OrderDelayList),
        SignedIn,
    ),
)]
pub async fn list_order_delays(
    State(state): State<AppState>,
    caller: Caller,
) -> ApiResult<Json<OrderDelayList>> {
    let order_delays = state.db.order_delays(&caller.user).await?;
    Ok(Json(OrderDelayList { order_delays }))
}

#[utoipa::path(
    post,
    path = "/api/v1/order-delays",
    tag = "notices",
    operation_id = "create_order_delay",
    summary = "Ask an organisation for information about a delayed order (agents)",
    description = "`kind` says what the customer answers: `information` in words (the default), a `resolution_date`, a `site_access` contact, or whether it accepts the `extra_charge` given in `charge`.",
    request_body = NewOrderDelay,
    security(("bearer" = [])),
    params(IdempotencyKeyHeader),
    responses(
        (status = 201, description = "Asked: it waits for the customer's answer; or, for a repeated `Idempotency-Key`, the first response replayed.", body = deskmate_api::OrderDelayRequest),
        BadJsonOrKey,
        (status = 403, description = "Order-delay requests are made by the provider's agents (`forbidden`).", body = ErrorResponse),
        KeyReused,
        BodyTooLarge,
        (status = 422, description = "Empty or too long order number or question, an unknown organisation, an `extra_charge` request without its charge (or a charge that is not positive or whose currency is not three capital letters), or a charge on another kind (`validation`).", body = ErrorResponse),
        SignedIn,
    ),
)]
pub async fn create_order_delay(
    State(state): State<AppState>,
    agent: Agent<AskingAboutDelays>,
    IdempotentJson { key, body: new }: IdempotentJson<NewOrderDelay>,
) -> ApiResult<Response> {
    new.validate().map_err(ApiError::validation)?;
    let idempotency = key.bind(&new)?;
    let written = state
        .db
        .create_order_delay(&agent.user, &new, idempotency.as_ref(), Utc::now())
        .await?;
    Ok(respond(written, StatusCode::CREATED))
}

#[utoipa::path(
    post,
    path = "/api/v1/order-delays/{id}/answer",
    tag = "notices",
    operation_id = "answer_order_delay",
    summary = "Answer an order-delay information request, once (customers)",
    description = "With the field the request's `kind` asks for: `answer` in words (`information`), `resolution_date` (`resolution_date`), `site_contact` with an optional `resolution_date` (`site_access`), `charge_accepted` (`extra_charge`); `answer` is an optional note beside a typed answer. The answer is recorded on the request as given and the provider's agents see it in `GET /api/v1/order-delays`.",
    request_body = OrderDelayAnswer,
    security(("bearer" = [])),
    params(
        ("id" = i64, Path, minimum = 1, description = "The request's id. Anything that is not a positive integer is a 404."),
        IdempotencyKeyHeader,
    ),
    responses(
        (status = 200, description = "Answered; or, for a repeated `Idempotency-Key`, the first response replayed.", body = deskmate_api::OrderDelayRequest),
        BadJsonOrKey,
        (status = 403, description = "The customer answers, not the provider's agents (`forbidden`).", body = ErrorResponse),
        (status = 404, description = "No such request, or it is another organisation's: both are answered alike (`not_found`).", body = ErrorResponse),
        (status = 409, description = "It was answered already (the first answer stays as it was); or the `Idempotency-Key` was already used for a different request (`conflict`).", body = ErrorResponse),
        BodyTooLarge,
        (status = 422, description = "Not the kind of answer the request asks for (a field of another kind, or the one it asks for missing), an empty `answer` to an `information` request or a note longer than 20000 characters, a resolution date before yesterday or more than 730 days ahead, or a site contact without a name or with a phone number that is not 3 to 40 characters of digits, spaces and `( ) . / -` (optional `+` first), or an e-mail address that is not one (`validation`).", body = ErrorResponse),
        SignedIn,
    ),
)]
pub async fn answer_order_delay(
    State(state): State<AppState>,
    customer: Customer<AnsweringDelays>,
    Path(raw_id): Path<String>,
    IdempotentJson { key, body: answer }: IdempotentJson<OrderDelayAnswer>,
) -> ApiResult<Response> {
    let id = path_id(&raw_id, "order-delay request")?;
    let idempotency = key.bind(&answer)?;
    let written = state
        .db
        .answer_order_delay(
            id,
            &customer.user,
            &answer,
            idempotency.as_ref(),
            Utc::now(),
        )
        .await?;
    Ok(respond(written, StatusCode::OK))
}
