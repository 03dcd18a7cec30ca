//! The command line, as clap reads it.

use std::path::PathBuf;

use clap::builder::{PossibleValuesParser, TypedValueParser};
use clap::{Parser, Subcommand};
use deskmate_api::{Department, Priority};

/// Deskmate helpdesk client: sign in, sync and file tickets from a terminal.
#[derive(Debug, Parser)]
#[command(name = "deskmate", version)]
pub struct Cli {
    /// Where the local cache lives [default: the desktop app's data directory]
    #[arg(long, global = true, env = "DESKMATE_DATA_DIR", value_name = "DIR")]
    pub data_dir: Option<PathBuf>,

    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Sign in to a helpdesk (password from DESKMATE_PASSWORD, else stdin).
    Login {
        /// The helpdesk address, e.g. https://help.example.com
        #[arg(long, value_name = "URL")]
        server: String,
        /// Your e-mail address
        #[arg(long, value_name = "E-MAIL")]
        email: String,
    },
    /// Sign out and clear the local cache.
    Logout,
    /// Send what waits in the outbox, then fetch the tickets into the local
    /// cache; fails unless everything was accepted.
    Sync,
    /// Reply to a ticket; prints `sent`, or `pending:<local id>` when the
    /// helpdesk cannot be reached (it is sent by the next `sync`).
    Reply {
        /// The ticket number
        id: i64,
        /// Your reply
        #[arg(long)]
        body: String,
        /// A file to attach (repeat for more); copied into the outbox at once
        #[arg(long = "attach", value_name = "FILE")]
        attach: Vec<PathBuf>,
    },
    /// Writes not yet accepted by the helpdesk (pending or refused).
    Outbox {
        #[command(subcommand)]
        command: Option<OutboxCommand>,
    },
    /// The cached tickets.
    Tickets {
        #[command(subcommand)]
        command: TicketsCommand,
    },
    /// Search the cached tickets (subjects, descriptions, conversations);
    /// instant and offline, best match first.
    Search {
        /// Words to find; the last one also matches as a prefix
        query: String,
        /// Print a JSON array of hits (`ticket`, `snippet`) instead of text
        #[arg(long)]
        json: bool,
    },
    /// One ticket: file a new one or show a cached one.
    Ticket {
        #[command(subcommand)]
        command: TicketCommand,
    },
    /// Files attached to tickets.
    Attachment {
        #[command(subcommand)]
        command: AttachmentCommand,
    },
    /// The provider's announcements and planned maintenance that apply now
    /// or later, from the local cache.
    Announcements {
        /// Print a JSON array of announcements instead of text
        #[arg(long)]
        json: bool,
    },
    /// The provider's questions about delayed orders, open ones first, from
    /// the local cache.
    OrderDelays {
        /// Print a JSON array (`order_delay`, `answer`) instead of text
        #[arg(long)]
        json: bool,
    },
    /// Answer the provider's question about a delayed order.
    OrderDelay {
        #[command(subcommand)]
        command: crate::notices::OrderDelayCommand,
    },
    /// Print FILE as it would be attached: without secrets (tokens,
    /// passwords, keys, cookies, other people's e-mail addresses).
    Scrub {
        /// A text file (UTF-8, or UTF-16 with its byte-order mark)
        file: PathBuf,
        /// Remove IPv4 and IPv6 addresses too
        #[arg(long)]
        ip_addresses: bool,
    },
    /// Print the diagnostics exactly as they would be attached to a ticket
    /// (system, language and time zone, display, memory and disk, the
    /// connection to the helpdesk, remote-assistance tools), scrubbed.
    Diagnostics {
        /// Print `{"sections": [{"id", "title", "text"}], "text"}` instead
        #[arg(long)]
        json: bool,
        /// Leave a section out (repeat for more)
        #[arg(long, value_name = "SECTION", value_parser = PossibleValuesParser::new(
            deskmate_core::diagnostics::SectionId::ALL.map(|s| s.as_str())
        ))]
        without: Vec<String>,
        /// Remove IPv4 and IPv6 addresses too
        #[arg(long)]
        ip_addresses: bool,
    },
    /// Remote-assistance tools on this computer.
    Remote {
        #[command(subcommand)]
        command: crate::remote::RemoteCommand,
    },
    /// Answer an agent's request to connect to your computer.
    RemoteSession {
        #[command(subcommand)]
        command: crate::notices::RemoteSessionCommand,
    },
}

#[derive(Debug, Subcommand)]
pub enum AttachmentCommand {
    /// Download an attachment (checked against its SHA-256) to a file;
    /// works offline once downloaded.
    Get {
        /// The ticket number
        ticket_id: i64,
        /// The attachment's id (see `ticket show`)
        attachment_id: i64,
        /// Where to write it (replaced if it exists)
        #[arg(long, short, value_name = "PATH")]
        output: PathBuf,
    },
    /// Add files to a ticket; prints `sent`, or `pending:<local id>` when the
    /// helpdesk cannot be reached (they are sent by the next `sync`).
    Add {
        /// The ticket number
        ticket_id: i64,
        /// The files to attach
        #[arg(required = true, value_name = "FILE")]
        files: Vec<PathBuf>,
    },
}

#[derive(Debug, Subcommand)]
pub enum OutboxCommand {
    /// List the unsent writes (the default).
    List,
    /// Put a refused write back in line and try it now.
    Retry {
        /// The local id (`pending:<id>`)
        id: i64,
    },
    /// Drop an unsent write for good.
    Discard {
        /// The local id (`pending:<id>`)
        id: i64,
    },
}

#[derive(Debug, Subcommand)]
pub enum TicketsCommand {
    /// List the cached tickets, newest activity first.
    List {
        /// Print a JSON array of tickets instead of a table
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Subcommand)]
pub enum TicketCommand {
    /// File a new ticket; prints its number, or `pending:<local id>` when the
    /// helpdesk cannot be reached (it is sent by the next `sync`).
    New {
        /// Which team the ticket goes to
        #[arg(long, value_parser = department_parser())]
        department: Department,
        /// How urgent it is
        #[arg(long, value_parser = priority_parser())]
        priority: Priority,
        /// A one-line summary
        #[arg(long)]
        subject: String,
        /// The description
        #[arg(long)]
        body: String,
        /// A file to attach (repeat for more): PNG, JPEG, GIF, WebP, PDF,
        /// UTF-8 text or ZIP, at most 10 MiB; copied into the outbox at once
        #[arg(long = "attach", value_name = "FILE")]
        attach: Vec<PathBuf>,
        #[command(flatten)]
        details: Box<DetailsArgs>,
    },
    /// Show every field of a cached ticket and its conversation.
    Show {
        /// The ticket number
        id: i64,
    },
    /// Show the price of an expedited response (a paid service: the ticket
    /// skips the queue); with --accept-price, request it. Prints `sent`, or
    /// `pending:<local id>` when the helpdesk cannot be reached.
    Expedite {
        /// The ticket number
        id: i64,
        /// Your consent to the price shown, e.g. 49.00EUR; anything else is
        /// refused before it leaves this computer
        #[arg(long, value_name = "PRICE", value_parser = crate::expedite::price_parser)]
        accept_price: Option<deskmate_api::Price>,
    },
    /// Say when you can be reached at your computer about a ticket (or take
    /// it back with --clear); prints `sent`, or `pending:<local id>` when the
    /// helpdesk cannot be reached (it is sent by the next `sync`).
    Availability(crate::availability::AvailabilityArgs),
}

/// The guided form's optional answers.
#[derive(Debug, Default, clap::Args)]
pub struct DetailsArgs {
    /// The service concerned, e.g. "Managed VPS"
    #[arg(long, value_name = "SERVICE")]
    pub service: Option<String>,
    /// Order number or server IP (technical, commercial), invoice number (billing)
    #[arg(long, value_name = "REF")]
    pub reference: Option<String>,
    /// When the problem started, RFC 3339 (e.g. 2026-11-25T09:30:00+01:00)
    #[arg(long, value_name = "TIME", value_parser = incident_time)]
    pub started_at: Option<chrono::DateTime<chrono::Utc>>,
    /// Your time zone for that moment (e.g. Europe/Rome)
    #[arg(long, value_name = "ZONE")]
    pub time_zone: Option<String>,
    /// The error message, as shown
    #[arg(long, value_name = "TEXT")]
    pub error_message: Option<String>,
    /// The steps that led to the problem
    #[arg(long, value_name = "TEXT")]
    pub steps: Option<String>,
    /// What you already tried
    #[arg(long, value_name = "TEXT")]
    pub tried: Option<String>,
}

impl DetailsArgs {
    pub fn into_details(self) -> deskmate_api::TicketDetails {
        deskmate_api::TicketDetails {
            affected_service: self.service,
            reference: self.reference,
            incident_started_at: self.started_at,
            incident_time_zone: self.time_zone,
            error_message: self.error_message,
            steps: self.steps,
            tried: self.tried,
        }
        .normalized()
    }
}

fn incident_time(s: &str) -> Result<chrono::DateTime<chrono::Utc>, String> {
    chrono::DateTime::parse_from_rfc3339(s)
        .map(|t| t.with_timezone(&chrono::Utc))
        .map_err(|_| "expected a date and time like 2026-11-25T09:30:00+01:00".to_owned())
}

/// Accepts exactly the wire spellings in [`Department::ALL`]; clap lists them
/// when given anything else.
fn department_parser() -> impl TypedValueParser<Value = Department> {
    PossibleValuesParser::new(Department::ALL.iter().map(|d| d.as_str()))
        .try_map(|s| Department::parse(&s).ok_or("unknown department"))
}

/// Accepts exactly the wire spellings in [`Priority::ALL`].
fn priority_parser() -> impl TypedValueParser<Value = Priority> {
    PossibleValuesParser::new(Priority::ALL.iter().map(|p| p.as_str()))
        .try_map(|s| Priority::parse(&s).ok_or("unknown priority"))
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    use super::*;

    #[test]
    fn the_command_line_is_well_formed() {
        Cli::command().debug_assert();
    }

    #[test]
    fn enums_parse_their_wire_spelling_and_list_the_rest() {
        let cli = Cli::try_parse_from([
            "deskmate",
            "ticket",
            "new",
            "--department",
            "billing",
            "--priority",
            "high",
            "--subject",
            "s",
            "--body",
            "b",
        ])
        .unwrap();
        match cli.command {
            Command::Ticket {
                command:
                    TicketCommand::New {
                        department,
                        priority,
                        ..
                    },
            } => {
                assert_eq!(department, Department::Billing);
                assert_eq!(priority, Priority::High);
            }
            other => panic!("parsed as {other:?}"),
        }
        let err = Cli::try_parse_from([
            "deskmate",
            "ticket",
            "new",
            "--department",
            "sales",
            "--priority",
            "high",
            "--subject",
            "s",
            "--body",
            "b",
        ])
        .unwrap_err();
        assert_eq!(err.exit_code(), 2);
        let text = err.to_string();
        for d in Department::ALL {
            assert!(text.contains(d.as_str()), "{text}");
        }
    }

    #[test]
    fn attach_repeats() {
        let cli = Cli::try_parse_from([
            "deskmate", "reply", "7", "--body", "b", "--attach", "a.png", "--attach", "b.txt",
        ])
        .unwrap();
        match cli.command {
            Command::Reply { attach, .. } => {
                assert_eq!(attach, vec![PathBuf::from("a.png"), PathBuf::from("b.txt")]);
            }
            other => panic!("parsed as {other:?}"),
        }
    }

    #[test]
    fn data_dir_is_global() {
        let cli = Cli::try_parse_from(["deskmate", "sync", "--data-dir", "/tmp/x"]).unwrap();
        assert_eq!(cli.data_dir, Some(PathBuf::from("/tmp/x")));
    }
}
