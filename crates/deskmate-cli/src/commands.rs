//! What each command does, on top of [`Core`].

use std::io::{BufRead, IsTerminal, Write};
use std::path::{Path, PathBuf};

use deskmate_api::{
    AttachOutcome, ErrorCode, FileOutcome, NewTicket, OutboxItem, OutboxState, WriteOutcome,
};
use deskmate_core::{Core, Sensitive, Session, WriteOptions};

use crate::cli::{AttachmentCommand, Command, OutboxCommand, TicketCommand, TicketsCommand};
use crate::notices;
use crate::output;
use crate::{Failure, Outcome};

/// Where the password comes from when not typed in.
const PASSWORD_ENV: &str = "DESKMATE_PASSWORD";

pub async fn run(data_dir: &Path, command: Command) -> Outcome {
    if let Command::Remote { command } = command {
        // Only this computer is asked: no cache, no helpdesk.
        return crate::remote::remote(command).await;
    }
    let core = Core::open(data_dir).await?;
    match command {
        Command::Login { server, email } => login(&core, &server, &email).await,
        Command::Logout => logout(&core).await,
        Command::Sync => sync(&core).await,
        Command::Reply { id, body, attach } => reply(&core, id, body, &attach).await,
        Command::Outbox { command } => outbox(&core, command.unwrap_or(OutboxCommand::List)).await,
        Command::Tickets {
            command: TicketsCommand::List { json },
        } => list(&core, json).await,
        Command::Ticket {
            command:
                TicketCommand::New {
                    department,
                    priority,
                    subject,
                    body,
                    attach,
                    details,
                },
        } => {
            let mut ticket = NewTicket::new(department, priority, subject, body);
            ticket.details = details.into_details();
            new_ticket(&core, ticket, &attach).await
        }
        Command::Ticket {
            command: TicketCommand::Show { id },
        } => show(&core, id).await,
        Command::Ticket {
            command: TicketCommand::Expedite { id, accept_price },
        } => crate::expedite::expedite(&core, id, accept_price).await,
        Command::Ticket {
            command: TicketCommand::Availability(args),
        } => crate::availability::set(&core, args).await,
        Command::Search { query, json } => search(&core, &query, json).await,
        Command::Attachment {
            command:
                AttachmentCommand::Get {
                    ticket_id,
                    attachment_id,
                    output,
                },
        } => get_attachment(&core, ticket_id, attachment_id, &output).await,
        Command::Attachment {
            command: AttachmentCommand::Add { ticket_id, files },
        } => add_attachments(&core, ticket_id, &files).await,
        Command::Announcements { json } => notices::announcements(&core, json).await,
        Command::OrderDelays { json } => notices::order_delays(&core, json).await,
        Command::OrderDelay { command } => notices::order_delay(&core, command).await,
        Command::RemoteSession { command } => notices::remote_session(&core, command).await,
        Command::Remote { command } => crate::remote::remote(command).await,
        Command::Scrub { file, ip_addresses } => {
            crate::diagnostics::scrub(&core, &file, ip_addresses).await
        }
        Command::Diagnostics {
            json,
            without,
            ip_addresses,
        } => crate::diagnostics::diagnostics(&core, data_dir, json, &without, ip_addresses).await,
    }
}

async fn login(core: &Core, server: &str, email: &str) -> Outcome {
    let password = read_password()?;
    let me = core
        .login(server, email, password)
        .await
        .map_err(|e| match e.code() {
            // Wrong credentials are a failed sign-in, not "signed out".
            ErrorCode::Unauthorized => Failure::Message(e.to_string()),
            _ => Failure::from(e),
        })?;
    let org = match &me.organisation {
        Some(org) => org.name.clone(),
        None => me.role.as_str().to_owned(),
    };
    // Fill the cache right away so `tickets list` works after a sign-in; a
    // failure here is not a failed sign-in.
    match core.refresh_tickets().await {
        Ok(outcome) if outcome.online => {}
        Ok(_) => {
            tracing::warn!("signed in, but the tickets could not be fetched; run `deskmate sync`")
        }
        Err(e) => tracing::warn!(error = %e, "signed in, but the tickets could not be fetched"),
    }
    let mut out = std::io::stdout().lock();
    writeln!(
        out,
        "Signed in as {} ({})",
        output::one_line(&me.name),
        output::one_line(&org)
    )?;
    Ok(())
}

async fn logout(core: &Core) -> Outcome {
    core.logout().await?;
    writeln!(std::io::stdout().lock(), "Signed out")?;
    Ok(())
}

/// Sends what waits in the outbox (now, whatever the backoff), then pulls.
/// Succeeds only when the helpdesk answered and nothing is left unsent.
async fn sync(core: &Core) -> Outcome {
    let session = require_session(core).await?;
    let drained = core.drain_outbox(true).await?;
    let outcome = core.refresh_tickets().await?;
    let count = count_tickets(outcome.tickets.len());
    if !outcome.online || !drained.online {
        let waiting = match drained.pending {
            0 => String::new(),
            n => format!("; {n} unsent write(s) stay queued"),
        };
        return Err(Failure::Message(format!(
            "cannot reach the helpdesk at {}; the local cache ({count}) is unchanged{waiting}",
            session.server_url
        )));
    }
    let mut out = std::io::stdout().lock();
    if drained.sent > 0 {
        writeln!(out, "sent {}", drained.sent)?;
    }
    writeln!(out, "{count}")?;
    let failed = core
        .outbox()
        .await?
        .into_iter()
        .filter(|item| item.state == OutboxState::Failed)
        .count();
    if drained.pending > 0 || failed > 0 {
        return Err(Failure::Message(format!(
            "not everything was accepted: {} pending, {failed} refused (see `deskmate outbox`)",
            drained.pending
        )));
    }
    Ok(())
}

async fn outbox(core: &Core, command: OutboxCommand) -> Outcome {
    require_session(core).await?;
    match command {
        OutboxCommand::List => {
            let items = core.outbox().await?;
            let mut out = std::io::stdout().lock();
            for item in items {
                let error = item
                    .error
                    .map(|e| format!("  ({})", output::one_line(&e.message)))
                    .unwrap_or_default();
                writeln!(
                    out,
                    "pending:{}  {}  tries {}  {}{error}",
                    item.local_id,
                    item.state,
                    item.attempts,
                    output::one_line(&item.summary)
                )?;
            }
            out.flush()?;
            Ok(())
        }
        OutboxCommand::Retry { id } => {
            let report = core.retry_outbox_item(id, None).await?;
            writeln!(
                std::io::stdout().lock(),
                "sent {}, refused {}, pending {}",
                report.sent,
                report.failed,
                report.pending
            )?;
            if report.failed > 0 || report.pending > 0 {
                return Err(Failure::Message("not everything was accepted".into()));
            }
            Ok(())
        }
        OutboxCommand::Discard { id } => {
            core.discard_outbox_item(id).await?;
            writeln!(std::io::stdout().lock(), "discarded pending:{id}")?;
            Ok(())
        }
    }
}

async fn list(core: &Core, json: bool) -> Outcome {
    require_session(core).await?;
    let tickets = core.cached_tickets().await?;
    let mut out = std::io::stdout().lock();
    if json {
        let text = serde_json::to_string(&tickets)
            .map_err(|e| Failure::Message(format!("cannot write the tickets as JSON: {e}")))?;
        writeln!(out, "{text}")?;
    } else {
        output::table(&mut out, &tickets)?;
    }
    out.flush()?;
    Ok(())
}

/// The cached tickets matching `query`, from the local index (no network).
async fn search(core: &Core, query: &str, json: bool) -> Outcome {
    require_session(core).await?;
    let hits = core.search(query).await?;
    let mut out = std::io::stdout().lock();
    if json {
        let text = serde_json::to_string(&hits)
            .map_err(|e| Failure::Message(format!("cannot write the hits as JSON: {e}")))?;
        writeln!(out, "{text}")?;
    } else {
        output::hits(&mut out, &hits)?;
    }
    out.flush()?;
    Ok(())
}

/// Prints the ticket number once the helpdesk has it, or `pending:<local id>`
/// when it waits in the outbox (offline); a refusal is an error that names
/// the local id so it can be retried or discarded.
async fn new_ticket(core: &Core, ticket: NewTicket, files: &[PathBuf]) -> Outcome {
    match core
        .file_ticket(ticket, WriteOptions::default().with_files(files.to_vec()))
        .await?
    {
        FileOutcome::Sent { ticket } => {
            writeln!(std::io::stdout().lock(), "{}", ticket.id)?;
            Ok(())
        }
        FileOutcome::Queued { item } if item.state == OutboxState::Failed => {
            Err(refused("the ticket", &item))
        }
        FileOutcome::Queued { item } => {
            writeln!(std::io::stdout().lock(), "pending:{}", item.local_id)?;
            if let Some(e) = item.error {
                tracing::info!(error = %e.message, "ticket queued");
            }
            Ok(())
        }
    }
}

async fn show(core: &Core, id: i64) -> Outcome {
    require_session(core).await?;
    let tickets = core.cached_tickets().await?;
    let Some(ticket) = tickets.iter().find(|t| t.id == id) else {
        return Err(Failure::Message(format!(
            "no ticket #{id} in the local cache"
        )));
    };
    // The conversation: fresh when the helpdesk answers, else as cached.
    let view = core.ticket_view(id, true).await.ok();
    let mut out = std::io::stdout().lock();
    let shown = view.as_ref().map_or(ticket, |v| &v.ticket);
    output::details(&mut out, shown)?;
    crate::availability::show(&mut out, shown.availability.as_ref())?;
    if let Some(view) = view {
        output::conversation(&mut out, &view)?;
    }
    out.flush()?;
    Ok(())
}

/// Adds a reply; prints `sent` or `pending:<local id>` when it waits offline.
async fn reply(core: &Core, id: i64, body: String, files: &[PathBuf]) -> Outcome {
    require_session(core).await?;
    match core
        .reply(id, body, WriteOptions::default().with_files(files.to_vec()))
        .await?
    {
        WriteOutcome::Sent { .. } => writeln!(std::io::stdout().lock(), "sent")?,
        WriteOutcome::Queued { item } if item.state == OutboxState::Failed => {
            return Err(refused("the reply", &item));
        }
        WriteOutcome::Queued { item } => {
            writeln!(std::io::stdout().lock(), "pending:{}", item.local_id)?;
        }
    }
    Ok(())
}

/// Adds files to a ticket; prints `sent` or `pending:<local id>`.
async fn add_attachments(core: &Core, ticket_id: i64, files: &[PathBuf]) -> Outcome {
    require_session(core).await?;
    match core.attach_files(ticket_id, files).await? {
        AttachOutcome::Sent { .. } => writeln!(std::io::stdout().lock(), "sent")?,
        AttachOutcome::Queued { item } if item.state == OutboxState::Failed => {
            return Err(refused("the files", &item));
        }
        AttachOutcome::Queued { item } => {
            writeln!(std::io::stdout().lock(), "pending:{}", item.local_id)?;
        }
    }
    Ok(())
}

/// Writes an attachment to `output`, downloading it unless it is kept here.
async fn get_attachment(core: &Core, ticket_id: i64, attachment_id: i64, output: &Path) -> Outcome {
    require_session(core).await?;
    core.save_attachment(ticket_id, attachment_id, output)
        .await?;
    writeln!(std::io::stdout().lock(), "{}", output.display())?;
    Ok(())
}

/// A write the helpdesk refused, naming the item that keeps it.
pub(crate) fn refused(what: &str, item: &OutboxItem) -> Failure {
    let reason = item
        .error
        .as_ref()
        .map(|e| e.message.as_str())
        .unwrap_or_default();
    Failure::Message(format!(
        "the helpdesk refused {what}: {reason} (kept as pending:{})",
        item.local_id
    ))
}

/// The cache is only shown to whoever is signed in: after a sign-out or a
/// failed sign-in there is nothing to show.
pub(crate) async fn require_session(core: &Core) -> Result<Session, Failure> {
    core.session().await?.ok_or(Failure::SignedOut(None))
}

fn count_tickets(n: usize) -> String {
    if n == 1 {
        "1 ticket".to_owned()
    } else {
        format!("{n} tickets")
    }
}

/// `DESKMATE_PASSWORD`, else a prompt without echo on a terminal, else one
/// line of stdin.
fn read_password() -> Result<Sensitive<String>, Failure> {
    let password = match std::env::var(PASSWORD_ENV) {
        Ok(p) => p,
        Err(std::env::VarError::NotUnicode(_)) => {
            return Err(Failure::Message(format!(
                "{PASSWORD_ENV} is not valid UTF-8"
            )));
        }
        Err(std::env::VarError::NotPresent) if std::io::stdin().is_terminal() => {
            rpassword::prompt_password("Password: ")
                .map_err(|e| Failure::Message(format!("cannot read the password: {e}")))?
        }
        Err(std::env::VarError::NotPresent) => {
            let mut line = String::new();
            std::io::stdin().lock().read_line(&mut line).map_err(|e| {
                Failure::Message(format!("cannot read the password from stdin: {e}"))
            })?;
            let trimmed = line.trim_end_matches(['\n', '\r']).len();
            line.truncate(trimmed);
            line
        }
    };
    if password.is_empty() {
        return Err(Failure::Message(format!(
            "no password: set {PASSWORD_ENV} or write it on stdin"
        )));
    }
    Ok(Sensitive::new(password))
}
