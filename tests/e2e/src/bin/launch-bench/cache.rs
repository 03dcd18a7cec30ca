//! The cache the launch is measured with: a signed-in session and N tickets
//! written straight into it, as a long-used app would have them.

use std::path::Path;
use std::time::Instant;

use anyhow::{Context, Result, bail};
use chrono::{TimeZone, Utc};
use deskmate_api::{Department, Priority, SyncPage, Ticket, TicketStatus};
use deskmate_core::{Core, Sensitive};
use deskmate_e2e::DEMO_PASSWORD;

/// The sync cursor written with the generated tickets: far past the demo
/// server's, so the app's pull on start finds nothing new.
const HIGH_CURSOR: i64 = 1_000_000_000;

/// A fresh data directory signed in to `server_url` with `count` tickets cached.
pub async fn prepare(data_dir: &Path, server_url: &str, count: usize) -> Result<()> {
    let started = Instant::now();
    if data_dir.exists() {
        std::fs::remove_dir_all(data_dir)
            .with_context(|| format!("removing {}", data_dir.display()))?;
    }
    std::fs::create_dir_all(data_dir)?;
    let core = Core::open(data_dir).await?;
    let me = core
        .login(
            server_url,
            "user@acme.example",
            Sensitive::new(DEMO_PASSWORD.to_owned()),
        )
        .await?;
    let organisation_id = me.organisation.as_ref().map(|o| o.id).unwrap_or(1);
    let tickets = generate(count, organisation_id, me.id, &me.name)?;
    core.cache()
        .apply_sync_page(SyncPage {
            tickets,
            ..SyncPage::empty(HIGH_CURSOR)
        })
        .await?;
    let cached = core.cached_tickets().await?.len();
    if cached < count {
        bail!("wrote {count} tickets into the cache but it holds {cached}");
    }
    drop(core);
    println!(
        "launch-bench: signed in as {} into {}; {cached} tickets cached ({:.1} s)",
        me.email,
        data_dir.display(),
        started.elapsed().as_secs_f64()
    );
    Ok(())
}

/// `count` plausible tickets of one requester, one hour of activity apart.
fn generate(
    count: usize,
    organisation_id: i64,
    requester_id: i64,
    requester_name: &str,
) -> Result<Vec<Ticket>> {
    const SUBJECTS: [&str; 8] = [
        "VPN drops every few minutes",
        "Invoice shows the wrong VAT number",
        "Cannot reach the mail server from the branch office",
        "Request a quote for two more SIP trunks",
        "Backup job failed overnight",
        "Printer on floor 2 prints blank pages",
        "Managed VPS unreachable after reboot",
        "Contract renewal: change billing address",
    ];
    let departments = [
        Department::Technical,
        Department::Billing,
        Department::Technical,
        Department::Commercial,
    ];
    let statuses = [
        TicketStatus::Open,
        TicketStatus::WaitingForCustomer,
        TicketStatus::Resolved,
        TicketStatus::Closed,
    ];
    let base = Utc
        .with_ymd_and_hms(2026, 1, 1, 9, 0, 0)
        .single()
        .context("base date")?;
    let mut out = Vec::with_capacity(count);
    for i in 0..count {
        let n = i64::try_from(i)?;
        let created_at = base + chrono::Duration::hours(n);
        out.push(Ticket {
            id: 100_000 + n,
            organisation_id,
            requester_id,
            requester_name: requester_name.to_owned(),
            department: departments[i % departments.len()],
            priority: if i % 5 == 0 {
                Priority::High
            } else {
                Priority::Regular
            },
            status: statuses[i % statuses.len()],
            subject: format!("{} ({})", SUBJECTS[i % SUBJECTS.len()], i + 1),
            body: format!(
                "Generated ticket {} for the launch benchmark: what happened, since when, \
                 and what was tried already.",
                i + 1
            ),
            details: Default::default(),
            created_at,
            updated_at: created_at + chrono::Duration::minutes(30),
            expedited: false,
            expedited_at: None,
            availability: None,
        });
    }
    Ok(out)
}
