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
    request_body = NewOrderDelay,
    security(("bearer" = [])),
    params(IdempotencyKeyHeader),
    responses(
        (status = 201, description = "Asked: it waits for the customer's answer; or, for a repeated `Idempotency-Key`, the first response replayed.", body = deskmate_api::OrderDelayRequest),
        BadJsonOrKey,
        (status = 403, description = "Order-delay requests are made by the provider's agents (`forbidden`).", body = ErrorResponse),
        KeyReused,
        BodyTooLarge,
        (status = 422, description = "Empty or too long order number or question, or an unknown organisation (`validation`).", body = ErrorResponse),
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
        (status = 409, description = "It was answered already; or the `Idempotency-Key` was already used for a different request (`conflict`).", body = ErrorResponse),
        BodyTooLarge,
        (status = 422, description = "The answer is empty or longer than its limit (`validation`).", body = ErrorResponse),
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
    answer.validate().map_err(ApiError::validation)?;
    let idempotency = key.bind(&answer)?;
    let written = state
        .db
        .answer_order_delay(
            id,
            &customer.user,
            &answer.answer,
            idempotency.as_ref(),
            Utc::now(),
        )
        .await?;
    Ok(respond(written, StatusCode::OK))
}
