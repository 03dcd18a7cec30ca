//! `/api/v1/organisations/{id}/services`: the services each organisation
//! has from the provider, by reference. Agents set and remove them; an
//! organisation's people read their own. Announcements that name services
//! reach only the organisations with one of them.

use axum::Json;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use chrono::Utc;
use deskmate_api::{
    ErrorResponse, OrganisationList, Role, ServiceList, ServiceName, check_service_reference,
};

use super::respond;
use crate::AppState;
use crate::error::{ApiError, ApiResult};
use crate::extract::{
    Action, Agent, Caller, IdempotencyKey, IdempotencyKeyHeader, IdempotentJson, path_id,
};
use crate::openapi::responses::{BadKey, BodyTooLarge, KeyReused, SignedIn};

/// Setting an organisation's services (the provider's agents).
pub struct SettingServices;
impl Action for SettingServices {
    const WHAT: &'static str = "setting an organisation's services";
}

/// Listing the customer organisations (the provider's agents).
pub struct ListingOrganisations;

impl Action for ListingOrganisations {
    const WHAT: &'static str = "listing the organisations";
}

#[utoipa::path(
    get,
    path = "/api/v1/organisations",
    tag = "notices",
    operation_id = "list_organisations",
    summary = "Every customer organisation with its services (agents)",
    description = "By name; each organisation's services by reference. Agents choose an announcement's audience and affected services from it.",
    security(("bearer" = [])),
    responses(
        (status = 200, description = "The organisations.", body = OrganisationList),
        (status = 403, description = "Customers have no list of organisations (`forbidden`).", body = ErrorResponse),
        SignedIn,
    ),
)]
pub async fn list_organisations(
    State(state): State<AppState>,
    _agent: Agent<ListingOrganisations>,
) -> ApiResult<Json<OrganisationList>> {
    let organisations = state.db.organisations().await?;
    Ok(Json(OrganisationList { organisations }))
}

/// The organisation id and the service reference of the path; a reference
/// that cannot be one is simply not there: 404.
fn service_path(raw_org: &str, reference: &str) -> ApiResult<(i64, String)> {
    let org = path_id(raw_org, "organisation")?;
    check_service_reference(reference)
        .map_err(|_| ApiError::not_found(format!("no service {reference:?}")))?;
    Ok((org, reference.to_owned()))
}

#[utoipa::path(
    get,
    path = "/api/v1/organisations/{id}/services",
    tag = "notices",
    operation_id = "list_services",
    summary = "An organisation's services, by reference",
    description = "Agents read any organisation's; an organisation's people read their own.",
    security(("bearer" = [])),
    params(
        ("id" = i64, Path, minimum = 1, description = "The organisation's id. Anything that is not a positive integer is a 404."),
    ),
    responses(
        (status = 200, description = "The services.", body = ServiceList),
        (status = 404, description = "No such organisation, or another organisation than the caller's: both are answered alike (`not_found`).", body = ErrorResponse),
        SignedIn,
    ),
)]
pub async fn list_services(
    State(state): State<AppState>,
    caller: Caller,
    Path(raw_org): Path<String>,
) -> ApiResult<Json<ServiceList>> {
    let org = path_id(&raw_org, "organisation")?;
    let own = caller.user.organisation.as_ref().map(|o| o.id) == Some(org);
    if caller.user.role != Role::Agent && !own {
        return Err(ApiError::not_found(format!("no organisation #{org}")));
    }
    let services = state.db.services(org).await?;
    Ok(Json(ServiceList { services }))
}

#[utoipa::path(
    put,
    path = "/api/v1/organisations/{id}/services/{reference}",
    tag = "notices",
    operation_id = "set_service",
    summary = "Give an organisation a service, or rename it (agents)",
    description = "Its people see the announcements that name the service from now on (a live event and `/api/v1/sync` bring them).",
    request_body = ServiceName,
    security(("bearer" = [])),
    params(
        ("id" = i64, Path, minimum = 1, description = "The organisation's id. Anything that is not a positive integer is a 404."),
        ("reference" = String, Path, min_length = 1, max_length = 100, pattern = "^[A-Za-z0-9][A-Za-z0-9._-]*$", description = "The provider's reference of the service, unique within the organisation."),
        IdempotencyKeyHeader,
    ),
    responses(
        (status = 200, description = "The service as set; or, for a repeated `Idempotency-Key`, the first response replayed.", body = deskmate_api::Service),
        (status = 400, description = "The body is not JSON (or not sent as `application/json`), is malformed, or has missing, unknown or mistyped fields, or the `Idempotency-Key` is not 1 to 200 visible ASCII characters (`bad_request`).", body = ErrorResponse),
        (status = 403, description = "Services are set by the provider's agents (`forbidden`).", body = ErrorResponse),
        (status = 404, description = "No such organisation, or a reference that does not match its pattern (`not_found`).", body = ErrorResponse),
        KeyReused,
        BodyTooLarge,
        (status = 422, description = "The name is empty or longer than 200 characters (`validation`).", body = ErrorResponse),
        SignedIn,
    ),
)]
pub async fn set_service(
    State(state): State<AppState>,
    agent: Agent<SettingServices>,
    Path((raw_org, reference)): Path<(String, String)>,
    IdempotentJson { key, body }: IdempotentJson<ServiceName>,
) -> ApiResult<Response> {
    let (org, reference) = service_path(&raw_org, &reference)?;
    body.validate().map_err(ApiError::validation)?;
    let name = body.name.trim().to_owned();
    let idempotency = key.bind(&body)?;
    let written = state
        .db
        .set_service(
            org,
            &reference,
            &name,
            Some(&agent.user),
            idempotency.as_ref(),
            Utc::now(),
        )
        .await?;
    tracing::info!(organisation_id = org, %reference, user_id = agent.user.id, "service set");
    Ok(respond(written, StatusCode::OK))
}

#[utoipa::path(
    delete,
    path = "/api/v1/organisations/{id}/services/{reference}",
    tag = "notices",
    operation_id = "remove_service",
    summary = "Take a service from an organisation (agents)",
    description = "The announcements only this service brought its people are withdrawn from them (`/api/v1/sync` lists them under `deleted`).",
    security(("bearer" = [])),
    params(
        ("id" = i64, Path, minimum = 1, description = "The organisation's id. Anything that is not a positive integer is a 404."),
        ("reference" = String, Path, min_length = 1, max_length = 100, pattern = "^[A-Za-z0-9][A-Za-z0-9._-]*$", description = "The provider's reference of the service."),
        IdempotencyKeyHeader,
    ),
    responses(
        (status = 204, description = "Removed; or, for a repeated `Idempotency-Key`, removed before."),
        BadKey,
        (status = 403, description = "Services are removed by the provider's agents (`forbidden`).", body = ErrorResponse),
        (status = 404, description = "No such organisation, or it has no service with this reference (`not_found`).", body = ErrorResponse),
        KeyReused,
        SignedIn,
    ),
)]
pub async fn remove_service(
    State(state): State<AppState>,
    agent: Agent<SettingServices>,
    Path((raw_org, reference)): Path<(String, String)>,
    key: IdempotencyKey,
) -> ApiResult<Response> {
    let (org, reference) = service_path(&raw_org, &reference)?;
    let idempotency = key.bind_bodiless()?;
    state
        .db
        .remove_service(
            org,
            &reference,
            Some(&agent.user),
            idempotency.as_ref(),
            Utc::now(),
        )
        .await?;
    tracing::info!(organisation_id = org, %reference, user_id = agent.user.id, "service removed");
    Ok(StatusCode::NO_CONTENT.into_response())
}
