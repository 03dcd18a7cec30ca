//! `deskmate ticket availability`: say when you can be reached at your
//! computer about a ticket (through the outbox, like every write), and how
//! `ticket show` prints it.

use std::io::{self, Write};

use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
use deskmate_api::{Availability, DatedWindow, FileOutcome, OutboxState, WeeklyWindow};
use deskmate_core::Core;
use deskmate_core::availability::{local_instant, reachability};

use crate::commands::{refused, require_session};
use crate::output::{local_time, multi_line, one_line};
use crate::{Failure, Outcome};

/// What `ticket availability` was told.
#[derive(Debug, clap::Args)]
pub struct AvailabilityArgs {
    /// The ticket number, or `pending:<local id>` for a ticket not yet filed
    #[arg(value_name = "ID")]
    pub id: String,
    /// Your time zone, an IANA name (e.g. Europe/Prague); the windows are
    /// in its local time
    #[arg(long, value_name = "ZONE", required_unless_present = "clear")]
    pub time_zone: Option<String>,
    /// Every week, e.g. "mon-fri 09:00-17:00" or "sat,sun 10:00-12:00"
    /// (an end before the start runs past midnight); repeat for more
    #[arg(long, value_name = "WINDOW", value_parser = weekly_window)]
    pub weekly: Vec<WeeklyWindow>,
    /// Once, e.g. "2026-12-01 13:00-15:00", in --time-zone; repeat for more
    #[arg(long = "on", value_name = "WINDOW")]
    pub on: Vec<String>,
    /// Anything else the agent should know
    #[arg(long, value_name = "TEXT")]
    pub note: Option<String>,
    /// Take back what you said instead
    #[arg(long, conflicts_with_all = ["time_zone", "weekly", "on", "note"])]
    pub clear: bool,
}

fn weekly_window(s: &str) -> Result<WeeklyWindow, String> {
    s.parse()
        .map_err(|e: deskmate_api::WeeklyWindowSyntax| e.to_string())
}

/// Where the write goes: a filed ticket, or one still in the outbox.
enum Target {
    Ticket(i64),
    Pending(i64),
}

fn target(id: &str) -> Result<Target, Failure> {
    let number = |s: &str| s.trim().parse::<i64>().ok().filter(|n| *n > 0);
    match id.strip_prefix("pending:") {
        Some(local) => number(local).map(Target::Pending),
        None => number(id).map(Target::Ticket),
    }
    .ok_or_else(|| {
        Failure::Message(format!(
            "{id:?} is not a ticket number or pending:<local id>"
        ))
    })
}

/// Sets or clears; prints `sent`, or `pending:<local id>` when it waits.
pub async fn set(core: &Core, args: AvailabilityArgs) -> Outcome {
    require_session(core).await?;
    let target = target(&args.id)?;
    let availability = if args.clear {
        None
    } else {
        Some(availability(&args)?)
    };
    let outcome = match target {
        Target::Ticket(id) => core.set_availability(id, availability).await?,
        Target::Pending(local) => {
            core.set_pending_ticket_availability(local, availability)
                .await?
        }
    };
    let mut out = io::stdout().lock();
    match outcome {
        FileOutcome::Sent { .. } => writeln!(out, "sent")?,
        FileOutcome::Queued { item } if item.state == OutboxState::Failed => {
            return Err(refused("the availability", &item));
        }
        FileOutcome::Queued { item } => writeln!(out, "pending:{}", item.local_id)?,
    }
    Ok(())
}

fn availability(args: &AvailabilityArgs) -> Result<Availability, Failure> {
    let time_zone = args.time_zone.clone().unwrap_or_default();
    let mut availability = Availability {
        time_zone,
        weekly: args.weekly.clone(),
        dated: Vec::new(),
        note: args.note.clone(),
    };
    let zone = availability.zone().ok_or_else(|| {
        Failure::Message(format!(
            "{:?} is not a time zone name like Europe/Prague",
            availability.time_zone
        ))
    })?;
    for text in &args.on {
        let wrong = || {
            Failure::Message(format!(
                "{text:?} is not a window like \"2026-12-01 13:00-15:00\""
            ))
        };
        let (date, times) = text.trim().split_once(' ').ok_or_else(wrong)?;
        let (from, to) = times.trim().split_once('-').ok_or_else(wrong)?;
        let date = NaiveDate::parse_from_str(date, "%Y-%m-%d").map_err(|_| wrong())?;
        let time = |s: &str| NaiveTime::parse_from_str(s.trim(), "%H:%M").map_err(|_| wrong());
        let (from, to) = (time(from)?, time(to)?);
        // An end before the start is the next day's.
        let end_date = if to <= from {
            date.succ_opt().ok_or_else(wrong)?
        } else {
            date
        };
        let starts_at = local_instant(zone, date.and_time(from)).ok_or_else(wrong)?;
        let ends_at = local_instant(zone, end_date.and_time(to)).ok_or_else(wrong)?;
        availability.dated.push(DatedWindow { starts_at, ends_at });
    }
    Ok(availability)
}

/// The ticket's windows, then whether the customer is reachable now or
/// when next; nothing when the ticket has none.
pub fn show(out: &mut impl Write, availability: Option<&Availability>) -> io::Result<()> {
    show_at(out, availability, Utc::now())
}

fn show_at(
    out: &mut impl Write,
    availability: Option<&Availability>,
    now: DateTime<Utc>,
) -> io::Result<()> {
    let Some(a) = availability else {
        return Ok(());
    };
    writeln!(out)?;
    writeln!(
        out,
        "Reachable at the computer ({}):",
        one_line(&a.time_zone)
    )?;
    for window in &a.weekly {
        writeln!(out, "  every {}", one_line(&window.to_string()))?;
    }
    for window in &a.dated {
        writeln!(
            out,
            "  from {} to {}",
            local_time(window.starts_at),
            local_time(window.ends_at)
        )?;
    }
    if let Some(note) = &a.note {
        writeln!(out, "  note: {}", multi_line(note).trim_end())?;
    }
    let reach = reachability(Some(a), now);
    match (reach.reachable_until, reach.next_reachable_at) {
        (Some(until), _) => writeln!(out, "Reachable now, until {}", local_time(until)),
        (None, Some(next)) => writeln!(out, "Next reachable {}", local_time(next)),
        (None, None) => writeln!(out, "No window ahead"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::Parser;

    fn parsed(args: &[&str]) -> AvailabilityArgs {
        let mut all = vec!["deskmate", "ticket", "availability"];
        all.extend_from_slice(args);
        match crate::cli::Cli::try_parse_from(all).unwrap().command {
            crate::cli::Command::Ticket {
                command: crate::cli::TicketCommand::Availability(args),
            } => args,
            other => panic!("parsed as {other:?}"),
        }
    }

    #[test]
    fn windows_are_read_in_the_time_zone() {
        let args = parsed(&[
            "7",
            "--time-zone",
            "Europe/Prague",
            "--weekly",
            "mon-fri 09:00-17:00",
            "--weekly",
            "sat 10:00-12:00",
            "--on",
            "2026-12-01 13:00-15:00",
            "--on",
            "2026-12-02 23:00-01:00",
            "--note",
            "Front desk",
        ]);
        let a = availability(&args).unwrap();
        assert_eq!(a.weekly.len(), 2);
        assert_eq!(a.weekly[0].to_string(), "mon-fri 09:00-17:00");
        let utc = |s: &str| s.parse::<DateTime<Utc>>().unwrap();
        assert_eq!(
            a.dated,
            vec![
                DatedWindow {
                    starts_at: utc("2026-12-01T12:00:00Z"),
                    ends_at: utc("2026-12-01T14:00:00Z"),
                },
                DatedWindow {
                    starts_at: utc("2026-12-02T22:00:00Z"),
                    ends_at: utc("2026-12-03T00:00:00Z"),
                },
            ]
        );
        assert_eq!(a.note.as_deref(), Some("Front desk"));
    }

    #[test]
    fn bad_windows_and_missing_zones_are_refused() {
        let all = |args: &[&str]| {
            let mut all = vec!["deskmate", "ticket", "availability"];
            all.extend_from_slice(args);
            crate::cli::Cli::try_parse_from(all)
        };
        assert!(
            all(&["7", "--weekly", "mon 09:00-10:00"]).is_err(),
            "no zone"
        );
        assert!(all(&["7", "--time-zone", "UTC", "--weekly", "mon 9-10"]).is_err());
        assert!(all(&["7", "--clear", "--time-zone", "UTC"]).is_err());
        assert!(all(&["7", "--clear"]).is_ok());
        let args = parsed(&["7", "--time-zone", "UTC", "--on", "tomorrow"]);
        assert!(availability(&args).is_err());
        let args = parsed(&["7", "--time-zone", "Mars/Olympus"]);
        assert!(availability(&args).is_err());
        assert!(matches!(target("pending:3"), Ok(Target::Pending(3))));
        assert!(matches!(target("12"), Ok(Target::Ticket(12))));
        assert!(target("pending:").is_err());
        assert!(target("-4").is_err());
    }

    #[test]
    fn show_says_now_or_next() {
        let a = Availability {
            time_zone: "UTC".into(),
            weekly: vec!["mon-fri 09:00-17:00".parse().unwrap()],
            dated: vec![],
            note: Some("Ring\u{1b}[2J twice".into()),
        };
        // Wednesday noon, then Saturday.
        let text = |at: &str| {
            let mut out = Vec::new();
            show_at(&mut out, Some(&a), at.parse().unwrap()).unwrap();
            String::from_utf8(out).unwrap()
        };
        let wednesday = text("2026-11-25T12:00:00Z");
        assert!(
            wednesday.contains("every mon-fri 09:00-17:00"),
            "{wednesday}"
        );
        assert!(wednesday.contains("Reachable now, until "), "{wednesday}");
        assert!(!wednesday.contains('\u{1b}'), "no escape sequences");
        let saturday = text("2026-11-28T12:00:00Z");
        assert!(saturday.contains("Next reachable "), "{saturday}");
        let mut out = Vec::new();
        show_at(&mut out, None, Utc::now()).unwrap();
        assert!(out.is_empty());
    }
}
