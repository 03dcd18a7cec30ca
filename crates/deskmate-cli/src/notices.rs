//! The provider's notices on the command line: announcements and planned
//! maintenance, order-delay requests, and the answers to them and to
//! remote-session requests (through the outbox, like every write).

use std::io::{self, Write};

use clap::{ArgGroup, Subcommand};
use deskmate_api::{
    Announcement, OrderDelayAnswer, OrderDelayView, OutboxItem, OutboxState, SiteContact,
};
use deskmate_core::Core;

use crate::commands::require_session;
use crate::output::{local_time, multi_line, one_line};
use crate::{Failure, Outcome};

#[derive(Debug, Subcommand)]
pub enum OrderDelayCommand {
    /// Answer it; prints `sent`, or `pending:<local id>` when the helpdesk
    /// cannot be reached (it is sent by the next `sync`).
    #[command(group(ArgGroup::new("charge").args(["accept_charge", "reject_charge"])))]
    Answer {
        /// The request's number (see `deskmate order-delays`)
        id: i64,
        /// The answer in words (an information request), or a note beside a
        /// typed answer
        #[arg(long, value_name = "TEXT", default_value = "")]
        answer: String,
        /// The resolution date a request asks for (or, with a site contact,
        /// from when access is possible)
        #[arg(long, value_name = "YYYY-MM-DD")]
        resolution_date: Option<chrono::NaiveDate>,
        /// The site-access contact's name (with --contact-phone)
        #[arg(long, value_name = "NAME", requires = "contact_phone")]
        contact_name: Option<String>,
        /// The site-access contact's phone number
        #[arg(long, value_name = "PHONE", requires = "contact_name")]
        contact_phone: Option<String>,
        /// The site-access contact's e-mail address
        #[arg(long, value_name = "EMAIL", requires = "contact_name")]
        contact_email: Option<String>,
        /// Accept the extra charge the request names
        #[arg(long)]
        accept_charge: bool,
        /// Reject the extra charge the request names
        #[arg(long)]
        reject_charge: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum RemoteSessionCommand {
    /// Accept or decline it; prints `sent`, or `pending:<local id>` when the
    /// helpdesk cannot be reached (it is sent by the next `sync`).
    #[command(group(ArgGroup::new("choice").required(true).args(["accept", "decline"])))]
    Answer {
        /// The remote session's number
        id: i64,
        /// Let the agent connect
        #[arg(long)]
        accept: bool,
        /// Refuse the connection (sends nothing else)
        #[arg(long)]
        decline: bool,
        /// With --accept: the tool to use [default: the one asked for if
        /// installed, else the first found]
        #[arg(long, value_enum, requires = "accept")]
        tool: Option<crate::remote::ToolChoice>,
    },
    /// End an accepted session: recorded on the ticket as ended by you.
    End {
        /// The remote session's number
        id: i64,
    },
}

pub async fn announcements(core: &Core, json: bool) -> Outcome {
    require_session(core).await?;
    let list = core.announcements().await?;
    let mut out = io::stdout().lock();
    if json {
        print_json(&mut out, serde_json::to_string(&list))?;
    } else {
        write_announcements(&mut out, &list)?;
    }
    out.flush()?;
    Ok(())
}

pub async fn order_delays(core: &Core, json: bool) -> Outcome {
    require_session(core).await?;
    let list = core.order_delays().await?;
    let mut out = io::stdout().lock();
    if json {
        print_json(&mut out, serde_json::to_string(&list))?;
    } else {
        write_order_delays(&mut out, &list)?;
    }
    out.flush()?;
    Ok(())
}

pub async fn order_delay(core: &Core, command: OrderDelayCommand) -> Outcome {
    require_session(core).await?;
    let OrderDelayCommand::Answer {
        id,
        answer,
        resolution_date,
        contact_name,
        contact_phone,
        contact_email,
        accept_charge,
        reject_charge,
    } = command;
    let site_contact = contact_name
        .zip(contact_phone)
        .map(|(name, phone)| SiteContact {
            name,
            phone,
            email: contact_email,
        });
    let answer = OrderDelayAnswer {
        answer,
        resolution_date,
        site_contact,
        charge_accepted: (accept_charge || reject_charge).then_some(accept_charge),
    };
    let view = core.answer_order_delay(id, answer).await?;
    report_answer(view.answer, "answer")
}

pub async fn remote_session(core: &Core, command: RemoteSessionCommand) -> Outcome {
    require_session(core).await?;
    match command {
        RemoteSessionCommand::Answer {
            id,
            accept: true,
            tool,
            ..
        } => crate::remote::consent(core, id, tool).await,
        RemoteSessionCommand::Answer { id, .. } => {
            let view = core.answer_remote_session(id, false).await?;
            report_answer(view.answer, "answer")
        }
        RemoteSessionCommand::End { id } => crate::remote::end(core, id).await,
    }
}

/// `sent` when nothing waits, `pending:<id>` when queued, an error naming the
/// local id when the helpdesk refused it.
fn report_answer(item: Option<OutboxItem>, what: &str) -> Outcome {
    let mut out = io::stdout().lock();
    match item {
        None => writeln!(out, "sent")?,
        Some(item) if item.state == OutboxState::Failed => {
            let reason = item.error.map(|e| e.message).unwrap_or_default();
            return Err(Failure::Message(format!(
                "the helpdesk refused the {what}: {reason} (kept as pending:{})",
                item.local_id
            )));
        }
        Some(item) => writeln!(out, "pending:{}", item.local_id)?,
    }
    Ok(())
}

fn print_json(
    out: &mut impl Write,
    json: Result<String, serde_json::Error>,
) -> Result<(), Failure> {
    let text = json.map_err(|e| Failure::Message(format!("cannot write JSON: {e}")))?;
    writeln!(out, "{text}")?;
    Ok(())
}

/// Each announcement: kind and title, its window, the services, the text.
fn write_announcements(out: &mut impl Write, list: &[Announcement]) -> io::Result<()> {
    if list.is_empty() {
        return writeln!(out, "No announcements (run `deskmate sync` to check).");
    }
    for (i, a) in list.iter().enumerate() {
        if i > 0 {
            writeln!(out)?;
        }
        writeln!(out, "#{}  {}  {}", a.id, a.kind, one_line(&a.title))?;
        match (a.starts_at, a.ends_at) {
            (Some(s), Some(e)) => {
                writeln!(out, "When:     {} to {}", local_time(s), local_time(e))?
            }
            (Some(s), None) => writeln!(out, "From:     {}", local_time(s))?,
            (None, Some(e)) => writeln!(out, "Until:    {}", local_time(e))?,
            (None, None) => {}
        }
        if !a.affected_services.is_empty() {
            let services: Vec<String> = a.affected_services.iter().map(|s| one_line(s)).collect();
            writeln!(out, "Services: {}", services.join(", "))?;
        }
        if !a.services.is_empty() {
            let yours: Vec<String> = a
                .services
                .iter()
                .map(|s| one_line(s.name.as_deref().unwrap_or(&s.reference)))
                .collect();
            writeln!(out, "Your services affected: {}", yours.join(", "))?;
        }
        writeln!(out, "{}", multi_line(&a.body).trim_end())?;
    }
    Ok(())
}

/// Each request: number, status, order, due date; the question; the answer.
fn write_order_delays(out: &mut impl Write, list: &[OrderDelayView]) -> io::Result<()> {
    if list.is_empty() {
        return writeln!(
            out,
            "No order-delay requests (run `deskmate sync` to check)."
        );
    }
    for (i, view) in list.iter().enumerate() {
        let o = &view.order_delay;
        if i > 0 {
            writeln!(out)?;
        }
        let due = o
            .due_at
            .map(|d| format!("  due {}", local_time(d)))
            .unwrap_or_default();
        writeln!(
            out,
            "#{}  {}  order {}{due}",
            o.id,
            o.status,
            one_line(&o.order_number)
        )?;
        writeln!(out, "{}", multi_line(&o.question).trim_end())?;
        let charge = o
            .charge
            .as_ref()
            .map(|c| format!(" of {c}"))
            .unwrap_or_default();
        writeln!(out, "Asks for: {}{charge}", o.kind)?;
        if let Some(accepted) = o.charge_accepted {
            let verb = if accepted { "accepted" } else { "rejected" };
            writeln!(out, "Charge {verb}")?;
        }
        if let Some(date) = o.resolution_date {
            writeln!(out, "Resolution date: {date}")?;
        }
        if let Some(c) = &o.site_contact {
            let email = c
                .email
                .as_deref()
                .map(|e| format!(", {e}"))
                .unwrap_or_default();
            writeln!(
                out,
                "Site contact: {} ({}{email})",
                one_line(&c.name),
                one_line(&c.phone)
            )?;
        }
        match &view.answer {
            Some(item) if item.state == OutboxState::Failed => {
                let reason = item.error.as_ref().map(|e| e.message.as_str());
                writeln!(
                    out,
                    "Your answer was refused (pending:{}): {}",
                    item.local_id,
                    one_line(reason.unwrap_or_default())
                )?;
            }
            Some(item) => writeln!(
                out,
                "Your answer is not sent yet (pending:{})",
                item.local_id
            )?,
            None => {}
        }
        if let Some(answer) = &o.answer {
            let by = o
                .answered_by_name
                .as_deref()
                .map(one_line)
                .unwrap_or_default();
            writeln!(out, "Answer by {by}: {}", one_line(answer))?;
        }
    }
    Ok(())
}
