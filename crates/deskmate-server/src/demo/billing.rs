//! The demo's billing: a year of monthly invoices for each organisation and
//! a month of calls on their voice services, made up but plausible.

use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use deskmate_api::{CallRecord, Invoice, InvoiceStatus};

use crate::db::Db;
use crate::error::ApiResult;

/// One organisation's bill and phones.
struct Account {
    /// The monthly fee, in cents, and what is added some months.
    monthly_cents: i64,
    extra_cents: i64,
    /// Which invoice (months ago) is still unpaid past its due date.
    overdue_months_ago: Option<u32>,
    /// The voice services that make calls.
    lines: &'static [&'static str],
    calls: usize,
}

const ACME: Account = Account {
    monthly_cents: 8_900,
    extra_cents: 4_000,
    overdue_months_ago: None,
    lines: &["+44 20 7946 0958"],
    calls: 24,
};

const GLOBEX: Account = Account {
    monthly_cents: 24_000,
    extra_cents: 6_750,
    overdue_months_ago: Some(2),
    lines: &["+39 040 555 0100", "+39 040 555 0101", "+39 040 555 0102"],
    calls: 90,
};

/// (number called, cents per started minute).
const DESTINATIONS: &[(&str, i64)] = &[
    ("+39 06 4821 7700", 2),
    ("+39 02 7634 1200", 2),
    ("+39 347 812 4490", 9),
    ("+39 333 204 1187", 9),
    ("+44 20 7123 4567", 4),
    ("+49 30 2267 8800", 4),
    ("+386 1 234 5600", 5),
    ("+1 212 555 0187", 6),
];

/// A small, fixed pseudo-random sequence: the same demo every time.
struct Dice(u64);

impl Dice {
    fn roll(&mut self, below: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) % below.max(1)
    }
}

fn months_before(day: NaiveDate, months: u32) -> NaiveDate {
    day.checked_sub_months(chrono::Months::new(months))
        .unwrap_or(day)
}

fn invoices(account: &Account, first_number: u32, today: NaiveDate) -> Vec<Invoice> {
    let this_month = today.with_day(1).unwrap_or(today);
    (0..12u32)
        .rev()
        .map(|ago| {
            let issued_on = months_before(this_month, ago);
            let due_on = issued_on + Duration::days(14);
            let status = if due_on >= today {
                InvoiceStatus::Unpaid
            } else if account.overdue_months_ago == Some(ago) {
                InvoiceStatus::Overdue
            } else {
                InvoiceStatus::Paid
            };
            let extra = if ago % 3 == 0 { account.extra_cents } else { 0 };
            Invoice {
                id: 0,
                number: format!("{}-{:04}", issued_on.year(), first_number + (11 - ago) * 2),
                issued_on,
                due_on,
                amount_cents: account.monthly_cents + extra,
                currency: "EUR".to_owned(),
                status,
                period: issued_on.format("%Y-%m").to_string(),
            }
        })
        .collect()
}

fn calls(account: &Account, now: DateTime<Utc>, dice: &mut Dice) -> Vec<CallRecord> {
    let mut calls: Vec<CallRecord> = (0..account.calls)
        .map(|_| {
            let line = account.lines[dice.roll(account.lines.len() as u64) as usize];
            let (destination, rate) = DESTINATIONS[dice.roll(DESTINATIONS.len() as u64) as usize];
            // Office hours over the last 30 days.
            let started_at = now - Duration::days(1 + dice.roll(30) as i64)
                + Duration::seconds(dice.roll(9 * 3600) as i64)
                - Duration::hours(8);
            let duration_seconds = 15 + dice.roll(1_200) as i64;
            let minutes = (duration_seconds + 59) / 60;
            CallRecord {
                id: 0,
                service: line.to_owned(),
                started_at: DateTime::from_timestamp(started_at.timestamp(), 0)
                    .unwrap_or(started_at),
                duration_seconds,
                destination: destination.to_owned(),
                cost_cents: minutes * rate,
                currency: "EUR".to_owned(),
            }
        })
        .collect();
    calls.sort_by_key(|c| c.started_at);
    calls
}

/// Seeds the demo organisations' invoices and call records.
pub async fn seed(db: &Db, acme: i64, globex: i64, now: DateTime<Utc>) -> ApiResult<()> {
    let today = now.date_naive();
    let mut dice = Dice(20_260_101);
    db.insert_invoices(acme, &invoices(&ACME, 1101, today))
        .await?;
    db.insert_invoices(globex, &invoices(&GLOBEX, 1102, today))
        .await?;
    db.insert_call_records(acme, &calls(&ACME, now, &mut dice))
        .await?;
    db.insert_call_records(globex, &calls(&GLOBEX, now, &mut dice))
        .await?;
    Ok(())
}
