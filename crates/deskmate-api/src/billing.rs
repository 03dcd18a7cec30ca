//! What billing knows about an organisation, read-only for its people:
//! invoices (`/api/v1/invoices`) and the call records of its voice services
//! (`/api/v1/call-records`).

use chrono::{DateTime, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

wire_enum! {
    /// Where an invoice stands.
    InvoiceStatus {
        Paid => "paid",
        /// Not paid yet, not due yet.
        Unpaid => "unpaid",
        /// Not paid and past its due date.
        Overdue => "overdue",
    }
}

/// One invoice of an organisation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[ts(export)]
pub struct Invoice {
    #[ts(type = "number")]
    pub id: i64,
    /// The number printed on it, e.g. `2026-1142`.
    pub number: String,
    #[ts(type = "string")]
    pub issued_on: NaiveDate,
    #[ts(type = "string")]
    pub due_on: NaiveDate,
    /// The total, in the currency's smallest unit.
    #[ts(type = "number")]
    pub amount_cents: i64,
    /// ISO 4217, e.g. `EUR`.
    pub currency: String,
    pub status: InvoiceStatus,
    /// The month billed, `YYYY-MM`.
    pub period: String,
}

/// `GET /api/v1/invoices` response: newest first, one page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[ts(export)]
pub struct InvoiceList {
    pub invoices: Vec<Invoice>,
    /// Pass as `cursor` for the next page; `None` on the last page.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub next_cursor: Option<String>,
}

/// One call made on a voice service.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[ts(export)]
pub struct CallRecord {
    #[ts(type = "number")]
    pub id: i64,
    /// The service that made the call, e.g. the VoIP line's number.
    pub service: String,
    pub started_at: DateTime<Utc>,
    #[ts(type = "number")]
    pub duration_seconds: i64,
    /// The number called.
    pub destination: String,
    /// What the call cost, in the currency's smallest unit.
    #[ts(type = "number")]
    pub cost_cents: i64,
    /// ISO 4217, e.g. `EUR`.
    pub currency: String,
}

/// `GET /api/v1/call-records` response: newest first, one page.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[ts(export)]
pub struct CallRecordList {
    pub call_records: Vec<CallRecord>,
    /// Pass as `cursor` for the next page; `None` on the last page.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub next_cursor: Option<String>,
}
