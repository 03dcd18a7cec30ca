//! `GET /api/v1/invoices` and `GET /api/v1/call-records`: an organisation's
//! billing, read-only, for the people given the right (and agents).

use axum::Json;
use axum::extract::{RawQuery, State};
use chrono::{DateTime, NaiveDate, Utc};
use deskmate_api::{CallRecordList, ErrorResponse, InvoiceList, Role};

use crate::AppState;
use crate::error::{ApiError, ApiResult};
use crate::extract::Caller;
use crate::openapi::responses::{DateOrDateTime, SignedIn};
use crate::query::{self, Keyset};
use crate::user::User;

/// Rows per page when the client does not say.
pub const PAGE_DEFAULT: i64 = 100;
/// The most rows one page holds.
pub const PAGE_MAX: i64 = 500;

/// The organisation whose billing `viewer` asked for: a customer's own
/// (naming another is a 404, as if it did not exist), the one an agent names.
pub(crate) async fn organisation_of(
    state: &AppState,
    viewer: &User,
    asked: Option<&str>,
) -> ApiResult<i64> {
    let asked = asked
        .map(|raw| {
            raw.trim()
                .parse::<i64>()
                .ok()
                .filter(|id| *id > 0)
                .ok_or_else(|| ApiError::bad_request("organisation_id must be a positive number"))
        })
        .transpose()?;
    let unknown = |id: i64| ApiError::not_found(format!("no organisation #{id}"));
    match (viewer.role, &viewer.organisation, asked) {
        (Role::Agent, _, None) => Err(ApiError::bad_request(
            "agents name the organisation: add ?organisation_id=",
        )),
        (Role::Agent, _, Some(id)) => match state.db.organisation_name(id).await? {
            Some(_) => Ok(id),
            None => Err(unknown(id)),
        },
        (_, Some(own), Some(id)) if own.id != id => Err(unknown(id)),
        (_, Some(own), _) => Ok(own.id),
        (_, None, _) => Err(ApiError::forbidden("only customers and agents see billing")),
    }
}

/// `limit`, `cursor` and `organisation_id` of a billing list, and the
/// route's own parameters.
pub(crate) struct ListQuery {
    pub limit: i64,
    pub after: Keyset,
    pub organisation: Option<String>,
    pub rest: Vec<(String, String)>,
}

pub(crate) fn list_query(raw: Option<&str>, known: &[&str]) -> ApiResult<ListQuery> {
    let mut list = ListQuery {
        limit: PAGE_DEFAULT,
        after: Keyset::START,
        organisation: None,
        rest: Vec::new(),
    };
    for (key, value) in query::pairs(raw, known)? {
        match key.as_str() {
            "limit" => list.limit = query::limit(&value, PAGE_MAX)?,
            "cursor" => list.after = Keyset::decode(&value)?,
            "organisation_id" => list.organisation = Some(value),
            _ => list.rest.push((key, value)),
        }
    }
    Ok(list)
}

#[utoipa::path(
    get,
    path = "/api/v1/invoices",
    tag = "billing",
    operation_id = "invoices",
    summary = "The organisation's invoices, newest first (with the invoices right)",
    description = "A customer sees their own organisation's invoices if their account has the `invoices` right (a customer admin always has it); an agent names the organisation. Pages of at most `limit`; ask again with `next_cursor` until it is null.",
    security(("bearer" = [])),
    params(
        ("organisation_id" = Option<i64>, Query, nullable = false, minimum = 1, description = "Agents: whose invoices (required). Customers: their own organisation or absent."),
        ("limit" = Option<i64>, Query, nullable = false, minimum = 1, maximum = 500, description = "Invoices per page, 1 to 500 (default 100)."),
        ("cursor" = Option<String>, Query, nullable = false, pattern = "^\\s*[0-9a-fA-F]{32}\\s*$", description = "The `next_cursor` of the previous page."),
    ),
    responses(
        (status = 200, description = "One page of invoices.", body = InvoiceList),
        (status = 400, description = "`limit`, `cursor` or `organisation_id` is not valid, an agent did not name the organisation, or an unknown parameter (`bad_request`).", body = ErrorResponse),
        (status = 403, description = "The account does not have the `invoices` right (`forbidden`).", body = ErrorResponse),
        (status = 404, description = "No such organisation, or not the customer's own (`not_found`).", body = ErrorResponse),
        SignedIn,
    ),
)]
pub async fn invoices(
    State(state): State<AppState>,
    caller: Caller,
    RawQuery(raw): RawQuery,
) -> ApiResult<Json<InvoiceList>> {
    let list = list_query(raw.as_deref(), &["organisation_id", "limit", "cursor"])?;
    if !caller.user.rights().invoices {
        return Err(ApiError::forbidden(
            "your account may not see invoices: ask your organisation's administrator",
        ));
    }
    let organisation = organisation_of(&state, &caller.user, list.organisation.as_deref()).await?;
    let (invoices, next_cursor) = state
        .db
        .invoices(organisation, list.after, list.limit)
        .await?;
    Ok(Json(InvoiceList {
        invoices,
        next_cursor,
    }))
}

/// A bound of a call-record period: a date and time (RFC 3339), or a date,
/// which means the start of that day (UTC) for `from` and its end for `to`.
fn bound(name: &str, value: &str, end_of_day: bool) -> ApiResult<DateTime<Utc>> {
    let value = value.trim();
    if let Ok(at) = DateTime::parse_from_rfc3339(value) {
        return Ok(at.with_timezone(&Utc));
    }
    NaiveDate::parse_from_str(value, "%Y-%m-%d")
        .ok()
        .and_then(|day| {
            if end_of_day {
                day.succ_opt()
            } else {
                Some(day)
            }
        })
        .and_then(|day| day.and_hms_opt(0, 0, 0))
        .map(|at| at.and_utc())
        .ok_or_else(|| {
            ApiError::validation(format!(
                "{name} {value:?} is not a date like 2026-11-01 or a date and time like \
                 2026-11-01T00:00:00Z"
            ))
        })
}

#[utoipa::path(
    get,
    path = "/api/v1/call-records",
    tag = "billing",
    operation_id = "call_records",
    summary = "Calls made on the organisation's voice services, newest first (with the call records right)",
    description = "A customer sees their own organisation's calls if their account has the `call_records` right (a customer admin always has it); an agent names the organisation. `from` and `to` bound the start of the call (`from` included, `to` not); a bare date means the whole day. Pages of at most `limit`; ask again with `next_cursor` until it is null.",
    security(("bearer" = [])),
    params(
        ("from" = Option<DateOrDateTime>, Query, nullable = false, description = "Calls started at or after: a date (`2026-11-01`, its start in UTC) or a date and time (RFC 3339)."),
        ("to" = Option<DateOrDateTime>, Query, nullable = false, description = "Calls started before: a date (`2026-11-30`, up to its end in UTC) or a date and time (RFC 3339)."),
        ("organisation_id" = Option<i64>, Query, nullable = false, minimum = 1, description = "Agents: whose calls (required). Customers: their own organisation or absent."),
        ("limit" = Option<i64>, Query, nullable = false, minimum = 1, maximum = 500, description = "Calls per page, 1 to 500 (default 100)."),
        ("cursor" = Option<String>, Query, nullable = false, pattern = "^\\s*[0-9a-fA-F]{32}\\s*$", description = "The `next_cursor` of the previous page."),
    ),
    responses(
        (status = 200, description = "One page of call records.", body = CallRecordList),
        (status = 400, description = "`limit`, `cursor` or `organisation_id` is not valid, an agent did not name the organisation, or an unknown parameter (`bad_request`).", body = ErrorResponse),
        (status = 403, description = "The account does not have the `call_records` right (`forbidden`).", body = ErrorResponse),
        (status = 404, description = "No such organisation, or not the customer's own (`not_found`).", body = ErrorResponse),
        (status = 422, description = "`from` or `to` is not a date or a date and time, or `from` is not before `to` (`validation`).", body = ErrorResponse),
        SignedIn,
    ),
)]
pub async fn call_records(
    State(state): State<AppState>,
    caller: Caller,
    RawQuery(raw): RawQuery,
) -> ApiResult<Json<CallRecordList>> {
    let list = list_query(
        raw.as_deref(),
        &["from", "to", "organisation_id", "limit", "cursor"],
    )?;
    let (mut from, mut to) = (DateTime::<Utc>::MIN_UTC, DateTime::<Utc>::MAX_UTC);
    for (key, value) in &list.rest {
        match key.as_str() {
            "from" => from = bound("from", value, false)?,
            _ => to = bound("to", value, true)?,
        }
    }
    if from >= to {
        return Err(ApiError::validation("from must be before to"));
    }
    if !caller.user.rights().call_records {
        return Err(ApiError::forbidden(
            "your account may not see call records: ask your organisation's administrator",
        ));
    }
    let organisation = organisation_of(&state, &caller.user, list.organisation.as_deref()).await?;
    let (call_records, next_cursor) = state
        .db
        .call_records(organisation, from, to, list.after, list.limit)
        .await?;
    Ok(Json(CallRecordList {
        call_records,
        next_cursor,
    }))
}
