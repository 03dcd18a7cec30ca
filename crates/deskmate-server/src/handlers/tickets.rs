//! Tickets: the list, filing one, its detail, and (agents) its status.

use axum::Json;
use axum::extract::{RawQuery, State};
use axum::http::StatusCode;
use axum::response::Response;
use chrono::Utc;
use deskmate_api::{
    Department, ErrorResponse, NewTicket, Priority, Role, Ticket, TicketDetail, TicketDetails,
    TicketList, TicketStatus, TicketUpdate,
};
use serde::Deserialize;

use super::{list, respond, visible_ticket};
use crate::AppState;
use crate::db::Written;
use crate::error::{ApiError, ApiResult};
use crate::extract::{Caller, IdempotencyKeyHeader, IdempotentJson, TicketId};
use crate::openapi::responses::{BadJsonOrKey, BodyTooLarge, KeyReused, SignedIn};

#[utoipa::path(
    get,
    path = "/api/v1/tickets",
    tag = "tickets",
    operation_id = "list_tickets",
    summary = "The tickets the caller may see, newest activity first",
    description = "Agents see every ticket, a customer administrator and a customer user with the `all_tickets` right the organisation's, any other customer user the ones they filed. \
        Filters narrow the list; pages hold at most `limit` tickets: ask again with `cursor` set to `next_cursor` until it is null.",
    security(("bearer" = [])),
    params(
        ("status" = Option<Vec<TicketStatus>>, Query, explode = true, description = "Only tickets in one of these statuses: repeat the parameter or separate with commas."),
        ("department" = Option<Vec<Department>>, Query, explode = true, description = "Only tickets of one of these departments: repeat the parameter or separate with commas."),
        ("q" = Option<String>, Query, nullable = false, max_length = 200, description = "Only tickets whose subject, description or a message the caller may see (internal notes: agents only) contains this text. Letters A to Z match either case."),
        ("limit" = Option<i64>, Query, nullable = false, minimum = 1, maximum = 500, description = "Tickets per page, 1 to 500 (default 100)."),
        ("cursor" = Option<String>, Query, nullable = false, pattern = "^\\s*[0-9a-fA-F]{32}\\s*$", description = "The `next_cursor` of the previous page."),
    ),
    responses(
        (status = 200, description = "One page of tickets.", body = TicketList),
        (status = 400, description = "`limit` or `cursor` is not valid, or an unknown parameter (`bad_request`).", body = ErrorResponse),
        (status = 422, description = "Unknown status or department, or a search text longer than 200 characters (`validation`).", body = ErrorResponse),
        SignedIn,
    ),
)]
pub async fn list_tickets(
    State(state): State<AppState>,
    caller: Caller,
    RawQuery(query): RawQuery,
) -> ApiResult<Json<TicketList>> {
    let filter = crate::query::TicketFilter::from_query(query.as_deref())?;
    let (tickets, next_cursor) = state.db.ticket_page(&caller.user, &filter).await?;
    Ok(Json(TicketList {
        tickets,
        next_cursor,
    }))
}

/// `POST /api/v1/tickets` as sent: enums as text, so an unknown department is
/// a 422 that names the allowed values rather than a parse error.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NewTicketInput {
    department: String,
    priority: String,
    subject: String,
    body: String,
    #[serde(default)]
    details: TicketDetailsInput,
    #[serde(default)]
    availability: Option<deskmate_api::Availability>,
}

/// The guided form's answers as sent: the incident time as text, so a bad
/// one is a 422 that says what is expected.
#[derive(Debug, Default, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct TicketDetailsInput {
    affected_service: Option<String>,
    reference: Option<String>,
    incident_started_at: Option<String>,
    incident_time_zone: Option<String>,
    error_message: Option<String>,
    steps: Option<String>,
    tried: Option<String>,
}

impl TicketDetailsInput {
    fn parse(self) -> ApiResult<TicketDetails> {
        let incident_started_at = self
            .incident_started_at
            .filter(|s| !s.trim().is_empty())
            .map(|s| {
                chrono::DateTime::parse_from_rfc3339(s.trim())
                    .map(|t| t.with_timezone(&Utc))
                    .map_err(|_| {
                        ApiError::validation(format!(
                            "incident_started_at {s:?} is not a date and time like \
                             2026-11-25T09:30:00+01:00"
                        ))
                    })
            })
            .transpose()?;
        Ok(TicketDetails {
            affected_service: self.affected_service,
            reference: self.reference,
            incident_started_at,
            incident_time_zone: self.incident_time_zone,
            error_message: self.error_message,
            steps: self.steps,
            tried: self.tried,
        }
        .normalized())
    }
}

impl NewTicketInput {
    fn parse(self) -> ApiResult<NewTicket> {
        let department = Department::parse(&self.department).ok_or_else(|| {
            ApiError::validation(format!(
                "unknown department {:?}: use one of {}",
                self.department,
                list(Department::ALL.iter().map(|d| d.as_str()))
            ))
        })?;
        let priority = Priority::parse(&self.priority).ok_or_else(|| {
            ApiError::validation(format!(
                "unknown priority {:?}: use one of {}",
                self.priority,
                list(Priority::ALL.iter().map(|p| p.as_str()))
            ))
        })?;
        let ticket = NewTicket {
            department,
            priority,
            subject: self.subject,
            body: self.body,
            details: self.details.parse()?,
            availability: self.availability.map(|a| a.normalized()),
        };
        ticket.validate().map_err(ApiError::validation)?;
        Ok(ticket)
    }
}

#[utoipa::path(
    post,
    path = "/api/v1/tickets",
    tag = "tickets",
    operation_id = "create_ticket",
    summary = "File a ticket (customers)",
    request_body(
        content = NewTicket,
        description = "The department and priority are their wire spellings; an unknown one is a 422 that names the allowed values.",
    ),
    security(("bearer" = [])),
    params(
        IdempotencyKeyHeader,
    ),
    responses(
        (status = 201, description = "Filed; or, for a repeated `Idempotency-Key`, the first response replayed.", body = Ticket),
        BadJsonOrKey,
        (status = 403, description = "Agents answer tickets; only customers file them (`forbidden`).", body = ErrorResponse),
        KeyReused,
        BodyTooLarge,
        (status = 422, description = "Unknown department or priority, empty subject or description, or one longer than its limit, or an `availability` that `PUT /api/v1/tickets/{id}/availability` would refuse (`validation`).", body = ErrorResponse),
        SignedIn,
    ),
)]
pub async fn create_ticket(
    State(state): State<AppState>,
    caller: Caller,
    IdempotentJson { key, body: input }: IdempotentJson<NewTicketInput>,
) -> ApiResult<Response> {
    if caller.user.role == Role::Agent {
        return Err(ApiError::forbidden(
            "agents answer tickets; customers file them",
        ));
    }
    let ticket = input.parse()?;
    let idempotency = key.bind(&ticket)?;
    let written = state
        .db
        .create_ticket(
            &caller.user,
            &ticket,
            idempotency.as_ref(),
            Utc::now(),
            state.config.first_response_within(ticket.priority),
        )
        .await?;
    if let Written::Created(t) = &written {
        tracing::info!(ticket_id = t.id, user_id = caller.user.id, "ticket filed");
    }
    Ok(respond(written, StatusCode::CREATED))
}

#[utoipa::path(
    get,
    path = "/api/v1/tickets/{id}",
    tag = "tickets",
    operation_id = "ticket_detail",
    summary = "A ticket and its conversation, oldest message first",
    description = "Internal notes, and the files attached to them, are included for agents only. While no agent has answered a ticket that is not closed, `queue_position` and `first_response_due_at` say where it stands.",
    security(("bearer" = [])),
    params(
        ("id" = i64, Path, minimum = 1, description = "The ticket's id. Anything that is not a positive integer is a 404."),
    ),
    responses(
        (status = 200, description = "The ticket.", body = TicketDetail),
        (status = 404, description = "No such ticket, or it belongs to another organisation: both are answered alike (`not_found`).", body = ErrorResponse),
        SignedIn,
    ),
)]
pub async fn ticket_detail(
    State(state): State<AppState>,
    caller: Caller,
    ticket: TicketId,
) -> ApiResult<Json<TicketDetail>> {
    let stored = visible_ticket(&state, &caller.user, ticket).await?;
    let is_agent = caller.user.role == Role::Agent;
    let messages = state.db.messages(stored.ticket.id, is_agent).await?;
    let attachments = state.db.attachments(stored.ticket.id, is_agent).await?;
    let reopen_until = match stored.ticket.status {
        TicketStatus::Closed => stored.closed_at.map(|at| at + state.config.reopen_window),
        _ => None,
    };
    let queue_position = state.db.queue_position(&stored).await?;
    let first_response_due_at = stored
        .first_response_due_at
        .filter(|_| stored.awaits_first_response());
    Ok(Json(TicketDetail {
        ticket: stored.ticket,
        messages,
        reopen_until,
        queue_position,
        first_response_due_at,
        attachments,
    }))
}

#[utoipa::path(
    patch,
    path = "/api/v1/tickets/{id}",
    tag = "tickets",
    operation_id = "update_ticket",
    summary = "Set a ticket's status (agents)",
    request_body(
        content = TicketUpdate,
        description = "The status is its wire spelling; an unknown one is a 422 that names the allowed values.",
    ),
    security(("bearer" = [])),
    params(
        ("id" = i64, Path, minimum = 1, description = "The ticket's id. Anything that is not a positive integer is a 404."),
        IdempotencyKeyHeader,
    ),
    responses(
        (status = 200, description = "The ticket as updated; or, for a repeated `Idempotency-Key`, the first response replayed.", body = Ticket),
        BadJsonOrKey,
        (status = 403, description = "Only the provider's agents change a ticket's status; customers reply or reopen instead (`forbidden`).", body = ErrorResponse),
        (status = 404, description = "No such ticket, or it belongs to another organisation: both are answered alike (`not_found`).", body = ErrorResponse),
        KeyReused,
        BodyTooLarge,
        (status = 422, description = "Unknown status (`validation`).", body = ErrorResponse),
        SignedIn,
    ),
)]
pub async fn update_ticket(
    State(state): State<AppState>,
    caller: Caller,
    ticket: TicketId,
    IdempotentJson { key, body: update }: IdempotentJson<TicketUpdateInput>,
) -> ApiResult<Response> {
    let stored = visible_ticket(&state, &caller.user, ticket).await?;
    if caller.user.role != Role::Agent {
        return Err(ApiError::forbidden(
            "only the provider's agents change a ticket's status; reply or reopen instead",
        ));
    }
    let update = update.parse()?;
    let idempotency = key.bind(&update)?;
    let written = state
        .db
        .update_status(
            stored.ticket.id,
            &caller.user,
            update.status,
            idempotency.as_ref(),
        )
        .await?;
    Ok(respond(written, StatusCode::OK))
}

/// `PATCH /api/v1/tickets/{id}` as sent: the status as text, so an unknown
/// one is a 422 naming the allowed values.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TicketUpdateInput {
    status: String,
}

impl TicketUpdateInput {
    fn parse(self) -> ApiResult<TicketUpdate> {
        let status = TicketStatus::parse(&self.status).ok_or_else(|| {
            ApiError::validation(format!(
                "unknown status {:?}: use one of {}",
                self.status,
                list(TicketStatus::ALL.iter().map(|s| s.as_str()))
            ))
        })?;
        Ok(TicketUpdate { status })
    }
}
