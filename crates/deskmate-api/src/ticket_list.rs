//! The app's ticket list over IPC, a page at a time: the window asks for the
//! rows it draws, never for the whole cache (`ticket_page` command).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::{Department, Priority, TicketStatus};

/// Rows a page holds at most; a larger `limit` asks for this many.
pub const TICKET_PAGE_MAX: u32 = 500;

/// One row of the ticket list: only what the row shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct TicketSummary {
    #[ts(type = "number")]
    pub id: i64,
    pub subject: String,
    pub status: TicketStatus,
    pub department: Department,
    pub priority: Priority,
    pub requester_name: String,
    pub updated_at: DateTime<Utc>,
    /// The signed-in account has not read it (see `Core::unread_tickets`).
    pub unread: bool,
}

/// Where a page ended: the next one starts after this row (the list runs
/// newest activity first, ties by the higher id).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct TicketListCursor {
    pub updated_at: DateTime<Utc>,
    #[ts(type = "number")]
    pub id: i64,
}

/// Which rows to send: the filters, and where to start.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(default)]
#[ts(export)]
pub struct TicketListQuery {
    /// Only tickets in this status (none: every status).
    #[ts(optional)]
    pub status: Option<TicketStatus>,
    /// Only tickets of this department (none: every department).
    #[ts(optional)]
    pub department: Option<Department>,
    /// The `next` of the previous page (none: from the top).
    #[ts(optional)]
    pub after: Option<TicketListCursor>,
    /// Rows wanted: 1 to [`TICKET_PAGE_MAX`] (0 is taken as 1, more as the maximum).
    pub limit: u32,
}

/// A page of the list and the counts the window shows around it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct TicketListPage {
    pub tickets: Vec<TicketSummary>,
    /// Where the next page starts; none when this page reaches the end.
    pub next: Option<TicketListCursor>,
    /// Tickets the filters match, in every page.
    pub matching: u32,
    /// Tickets cached, whatever the filters.
    pub cached: u32,
    /// Cached tickets the signed-in account has not read, whatever the filters.
    pub unread: u32,
    /// Tickets per status among those of the department filter (a status
    /// with none is left out).
    pub by_status: Vec<StatusCount>,
}

/// How many tickets are in one status.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct StatusCount {
    pub status: TicketStatus,
    pub count: u32,
}

/// Result of the app's `refresh_tickets` command: whether the helpdesk answered
/// (the window then reads the pages it shows again).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct RefreshStatus {
    /// `false` when the helpdesk could not be reached and the cache is as it was.
    pub online: bool,
}
