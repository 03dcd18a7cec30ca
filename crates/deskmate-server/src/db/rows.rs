//! Rows as the API's types: one reader per record, shared by the queries of
//! every module, and the stored form of times (UTC epoch milliseconds).

use super::*;

/// Column access shared by both engines' rows.
pub(super) trait Columns {
    fn int(&self, column: &str) -> ApiResult<i64>;
    fn opt_int(&self, column: &str) -> ApiResult<Option<i64>>;
    fn text(&self, column: &str) -> ApiResult<String>;
    fn opt_text(&self, column: &str) -> ApiResult<Option<String>>;
    fn flag(&self, column: &str) -> ApiResult<bool>;
    fn opt_flag(&self, column: &str) -> ApiResult<Option<bool>>;
}

/// A time as stored: UTC milliseconds since the epoch.
pub fn millis(t: DateTime<Utc>) -> i64 {
    t.timestamp_millis()
}

pub(super) fn from_millis(ms: i64) -> ApiResult<DateTime<Utc>> {
    DateTime::from_timestamp_millis(ms)
        .ok_or_else(|| ApiError::internal(format_args!("stored time {ms} out of range")))
}

pub(super) fn stored<T>(what: &str, value: &str, parsed: Option<T>) -> ApiResult<T> {
    parsed.ok_or_else(|| ApiError::internal(format_args!("stored {what} {value:?}")))
}

pub(super) fn user_from_row(row: &impl Columns) -> ApiResult<User> {
    let role = row.text("role")?;
    Ok(User {
        id: row.int("id")?,
        email: row.text("email")?,
        name: row.text("name")?,
        role: stored("role", &role, Role::parse(&role))?,
        organisation: row
            .opt_int("org_id")?
            .zip(row.opt_text("org_name")?)
            .map(|(id, name)| OrganisationRef { id, name }),
        stored_rights: rights_from_row(row)?,
        password_hash: row.text("password_hash")?,
        created_at: from_millis(row.int("created_ms")?)?,
    })
}

pub(super) fn rights_from_row(row: &impl Columns) -> ApiResult<Rights> {
    Ok(Rights {
        all_tickets: row.flag("right_all_tickets")?,
        invoices: row.flag("right_invoices")?,
        call_records: row.flag("right_call_records")?,
        manage_users: row.flag("right_manage_users")?,
        expedite: row.flag("right_expedite")?,
    })
}

pub(super) fn stored_ticket_from_row(row: &impl Columns) -> ApiResult<StoredTicket> {
    Ok(StoredTicket {
        ticket: ticket_from_row(row)?,
        closed_at: row.opt_int("closed_ms")?.map(from_millis).transpose()?,
        first_response_due_at: row
            .opt_int("first_response_due_ms")?
            .map(from_millis)
            .transpose()?,
        first_responded_at: row
            .opt_int("first_responded_ms")?
            .map(from_millis)
            .transpose()?,
    })
}

pub(super) fn message_from_row(row: &impl Columns) -> ApiResult<Message> {
    let role = row.text("author_role")?;
    Ok(Message {
        id: row.int("id")?,
        ticket_id: row.int("ticket_id")?,
        author_id: row.int("author_id")?,
        author_name: row.text("author_name")?,
        author_kind: author_kind(stored("role", &role, Role::parse(&role))?),
        body: row.text("body")?,
        internal: row.flag("internal")?,
        created_at: from_millis(row.int("created_ms")?)?,
    })
}

pub(super) fn author_kind(role: Role) -> AuthorKind {
    match role {
        Role::Agent => AuthorKind::Agent,
        Role::CustomerUser | Role::CustomerAdmin => AuthorKind::Customer,
    }
}

pub(super) fn ticket_from_row(row: &impl Columns) -> ApiResult<Ticket> {
    let department = row.text("department")?;
    let priority = row.text("priority")?;
    let status = row.text("status")?;
    Ok(Ticket {
        id: row.int("id")?,
        organisation_id: row.int("organisation_id")?,
        requester_id: row.int("requester_id")?,
        requester_name: row.text("requester_name")?,
        department: stored("department", &department, Department::parse(&department))?,
        priority: stored("priority", &priority, Priority::parse(&priority))?,
        status: stored("status", &status, TicketStatus::parse(&status))?,
        subject: row.text("subject")?,
        body: row.text("body")?,
        details: TicketDetails {
            affected_service: row.opt_text("affected_service")?,
            reference: row.opt_text("reference")?,
            incident_started_at: row
                .opt_int("incident_started_ms")?
                .map(from_millis)
                .transpose()?,
            incident_time_zone: row.opt_text("incident_time_zone")?,
            error_message: row.opt_text("error_message")?,
            steps: row.opt_text("steps")?,
            tried: row.opt_text("tried")?,
        },
        created_at: from_millis(row.int("created_ms")?)?,
        updated_at: from_millis(row.int("updated_ms")?)?,
        expedited: row.flag("expedited")?,
        expedited_at: row.opt_int("expedited_ms")?.map(from_millis).transpose()?,
        availability: row
            .opt_text("availability")?
            .map(|json| serde_json::from_str(&json))
            .transpose()
            .map_err(ApiError::internal)?,
    })
}

pub(super) fn opt_time(row: &impl Columns, column: &str) -> ApiResult<Option<DateTime<Utc>>> {
    row.opt_int(column)?.map(from_millis).transpose()
}
