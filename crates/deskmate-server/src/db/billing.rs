//! What billing knows about an organisation: invoices and call records,
//! read in pages, newest first. Billing writes them; the helpdesk only reads
//! (and the demo seeds some).

use chrono::{DateTime, Datelike, NaiveDate, Utc};
use deskmate_api::{CallRecord, Invoice, InvoiceStatus};

use super::sql::sql;
use super::{Columns, Db, from_millis, millis, stored};
use crate::error::ApiResult;
use crate::query::{Keyset, page};

const INVOICES: &str = "SELECT id, number, issued_on, due_on, amount_cents, currency, status, \
     period FROM invoices WHERE organisation_id = $1 \
     AND (issued_on < $2 OR (issued_on = $2 AND id < $3)) \
     ORDER BY issued_on DESC, id DESC LIMIT $4";
const CALL_RECORDS: &str = "SELECT id, service, started_ms, duration_seconds, destination, \
     cost_cents, currency FROM call_records WHERE organisation_id = $1 \
     AND started_ms >= $2 AND started_ms < $3 \
     AND (started_ms < $4 OR (started_ms = $4 AND id < $5)) \
     ORDER BY started_ms DESC, id DESC LIMIT $6";

/// Dates are stored as `YYYY-MM-DD`.
const DATE: &str = "%Y-%m-%d";
/// Later than any invoice: where the first page starts.
const LAST_DAY: &str = "9999-12-31";
/// Before every day an invoice can have.
const FIRST_DAY: &str = "0000-01-01";

fn date(row: &impl Columns, column: &str) -> ApiResult<NaiveDate> {
    let text = row.text(column)?;
    stored(column, &text, NaiveDate::parse_from_str(&text, DATE).ok())
}

/// An invoice's place in the list: its issue date (days since 1 January of
/// year 1) and id.
fn invoice_key(invoice: &Invoice) -> Keyset {
    Keyset {
        at: invoice.issued_on.num_days_from_ce().into(),
        id: invoice.id,
    }
}

fn invoice_from_row(row: &impl Columns) -> ApiResult<Invoice> {
    let status = row.text("status")?;
    Ok(Invoice {
        id: row.int("id")?,
        number: row.text("number")?,
        issued_on: date(row, "issued_on")?,
        due_on: date(row, "due_on")?,
        amount_cents: row.int("amount_cents")?,
        currency: row.text("currency")?,
        status: stored("invoice status", &status, InvoiceStatus::parse(&status))?,
        period: row.text("period")?,
    })
}

fn call_record_from_row(row: &impl Columns) -> ApiResult<CallRecord> {
    Ok(CallRecord {
        id: row.int("id")?,
        service: row.text("service")?,
        started_at: from_millis(row.int("started_ms")?)?,
        duration_seconds: row.int("duration_seconds")?,
        destination: row.text("destination")?,
        cost_cents: row.int("cost_cents")?,
        currency: row.text("currency")?,
    })
}

impl Db {
    /// One page of the organisation's invoices after `after`, newest first,
    /// and the cursor of the next page.
    pub async fn invoices(
        &self,
        organisation_id: i64,
        after: Keyset,
        limit: i64,
    ) -> ApiResult<(Vec<Invoice>, Option<String>)> {
        let (before_day, before_id) = if after == Keyset::START {
            (LAST_DAY.to_owned(), after.id)
        } else {
            // A position past either end of the calendar is a position all
            // the same: before every invoice, or after the last one.
            let day = i32::try_from(after.at)
                .ok()
                .and_then(NaiveDate::from_num_days_from_ce_opt)
                .map_or_else(
                    || if after.at > 0 { LAST_DAY } else { FIRST_DAY }.to_owned(),
                    |day| day.format(DATE).to_string(),
                );
            (day, after.id)
        };
        let rows = self
            .fetch_all(
                sql(INVOICES)
                    .bind(organisation_id)
                    .bind(before_day)
                    .bind(before_id)
                    .bind(limit + 1),
            )
            .await?;
        let rows = rows
            .iter()
            .map(invoice_from_row)
            .collect::<ApiResult<Vec<_>>>()?;
        Ok(page(rows, limit, invoice_key))
    }

    /// One page of the organisation's calls started in `[from, to)` after
    /// `after`, newest first, and the cursor of the next page.
    pub async fn call_records(
        &self,
        organisation_id: i64,
        from: DateTime<Utc>,
        to: DateTime<Utc>,
        after: Keyset,
        limit: i64,
    ) -> ApiResult<(Vec<CallRecord>, Option<String>)> {
        let rows = self
            .fetch_all(
                sql(CALL_RECORDS)
                    .bind(organisation_id)
                    .bind(millis(from))
                    .bind(millis(to))
                    .bind(after.at)
                    .bind(after.id)
                    .bind(limit + 1),
            )
            .await?;
        let rows = rows
            .iter()
            .map(call_record_from_row)
            .collect::<ApiResult<Vec<_>>>()?;
        Ok(page(rows, limit, |c| Keyset {
            at: millis(c.started_at),
            id: c.id,
        }))
    }

    /// Stores invoices as billing would (the demo seed).
    pub async fn insert_invoices(
        &self,
        organisation_id: i64,
        invoices: &[Invoice],
    ) -> ApiResult<()> {
        const INSERT: &str = "INSERT INTO invoices (organisation_id, number, issued_on, due_on, \
             amount_cents, currency, status, period) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)";
        self.transaction(async |tx| {
            for i in invoices {
                tx.execute(
                    sql(INSERT)
                        .bind(organisation_id)
                        .bind(i.number.clone())
                        .bind(i.issued_on.format(DATE).to_string())
                        .bind(i.due_on.format(DATE).to_string())
                        .bind(i.amount_cents)
                        .bind(i.currency.clone())
                        .bind(i.status.as_str())
                        .bind(i.period.clone()),
                )
                .await?;
            }
            Ok(())
        })
        .await
    }

    /// Stores call records as billing would (the demo seed).
    pub async fn insert_call_records(
        &self,
        organisation_id: i64,
        calls: &[CallRecord],
    ) -> ApiResult<()> {
        const INSERT: &str = "INSERT INTO call_records (organisation_id, service, started_ms, \
             duration_seconds, destination, cost_cents, currency) \
             VALUES ($1, $2, $3, $4, $5, $6, $7)";
        self.transaction(async |tx| {
            for c in calls {
                tx.execute(
                    sql(INSERT)
                        .bind(organisation_id)
                        .bind(c.service.clone())
                        .bind(millis(c.started_at))
                        .bind(c.duration_seconds)
                        .bind(c.destination.clone())
                        .bind(c.cost_cents)
                        .bind(c.currency.clone()),
                )
                .await?;
            }
            Ok(())
        })
        .await
    }
}
