//! Remote assistance on the command line: `deskmate remote detect` (which
//! tools are installed, their IDs), and the consent flow of `deskmate
//! remote-session answer ID --accept` and `remote-session end ID`.

use std::io::{self, Write};

use clap::{Subcommand, ValueEnum};
use deskmate_api::{ConsentStep, DetectedTool, RemoteSession, RemoteTool};
use deskmate_core::Core;
use deskmate_core::remote::Probe;

use crate::commands::require_session;
use crate::output::one_line;
use crate::{Failure, Outcome};

#[derive(Debug, Subcommand)]
pub enum RemoteCommand {
    /// Which of RustDesk, AnyDesk and TeamViewer are installed, their
    /// versions, whether they run and their IDs (exit 0 even when none is).
    Detect {
        /// Print a JSON array (`tool`, `path`, `version`, `running`, `id`,
        /// `error`) instead of text
        #[arg(long)]
        json: bool,
    },
}

/// A tool the user may choose for a session.
#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum ToolChoice {
    Rustdesk,
    Anydesk,
    Teamviewer,
}

impl From<ToolChoice> for RemoteTool {
    fn from(t: ToolChoice) -> Self {
        match t {
            ToolChoice::Rustdesk => Self::Rustdesk,
            ToolChoice::Anydesk => Self::Anydesk,
            ToolChoice::Teamviewer => Self::Teamviewer,
        }
    }
}

pub async fn remote(command: RemoteCommand) -> Outcome {
    let RemoteCommand::Detect { json } = command;
    let found = Probe::default().detect().await;
    let mut out = io::stdout().lock();
    if json {
        let text = serde_json::to_string(&found)
            .map_err(|e| Failure::Message(format!("cannot write JSON: {e}")))?;
        writeln!(out, "{text}")?;
    } else {
        write_detected(&mut out, &found)?;
    }
    out.flush()?;
    Ok(())
}

fn write_detected(out: &mut impl Write, found: &[DetectedTool]) -> io::Result<()> {
    if found.is_empty() {
        writeln!(
            out,
            "No remote-assistance tool found (RustDesk, AnyDesk or TeamViewer)."
        )?;
        for tool in deskmate_core::remote::TOOLS {
            if let Some(page) = deskmate_core::remote::vendor_page(tool) {
                writeln!(out, "  {tool}: {page}")?;
            }
        }
        return Ok(());
    }
    for d in found {
        let state = if d.running { "running" } else { "not running" };
        let version = d.version.as_deref().unwrap_or("version unknown");
        writeln!(out, "{}  {version}  {state}  {}", d.tool, d.path)?;
        match (&d.id, &d.error) {
            (Some(id), _) => writeln!(out, "  ID: {id}")?,
            (None, Some(e)) => writeln!(out, "  ID unreadable: {}", one_line(e))?,
            (None, None) => writeln!(out, "  ID unreadable")?,
        }
    }
    Ok(())
}

/// What the consultant asks, said before anything happens.
pub fn describe(session: &RemoteSession, out: &mut impl Write) -> io::Result<()> {
    writeln!(
        out,
        "{} asks to connect to this computer for ticket #{} with {}.",
        one_line(&session.requested_by_name),
        session.ticket_id,
        session.tool
    )?;
    writeln!(out, "Why: {}", one_line(&session.reason))?;
    writeln!(
        out,
        "While connected the consultant sees your screen and can use your mouse and keyboard; \
         you can end the session at any time (`deskmate remote-session end {}`).",
        session.id
    )
}

/// `remote-session answer ID --accept`: the user's consent for this request
/// only; the tool's ID (and a one-time password where the tool offers one)
/// goes to the helpdesk for it.
pub async fn consent(core: &Core, id: i64, tool: Option<ToolChoice>) -> Outcome {
    require_session(core).await?;
    let session = core.cache().remote_session(id).await?.ok_or_else(|| {
        Failure::Message(format!(
            "no remote session #{id} on this computer (run `deskmate sync`)"
        ))
    })?;
    let mut out = io::stdout().lock();
    describe(&session, &mut out)?;
    out.flush()?;
    drop(out);
    let consented = core
        .consent_remote_session(id, tool.map(Into::into), &Probe::default(), &|step| {
            let _ = writeln!(io::stdout(), "{}", step_line(step));
        })
        .await?;
    let mut out = io::stdout().lock();
    let s = &consented.view.remote_session;
    writeln!(
        out,
        "sent: {} ID {}{}",
        consented.connection.tool,
        consented.connection.tool_id,
        if consented.connection.password.is_some() {
            " with a one-time password for the consultant only"
        } else {
            ""
        }
    )?;
    writeln!(out, "status: {}", s.status)?;
    Ok(())
}

/// What the consent flow does at `step`, as it begins.
fn step_line(step: ConsentStep) -> &'static str {
    match step {
        ConsentStep::Detect => "looking for the installed tools...",
        ConsentStep::StartTool => "starting the tool...",
        ConsentStep::ReadId => "reading its ID...",
        ConsentStep::Send => "sending it for this request only...",
    }
}

/// `remote-session end ID`: recorded as ended by the customer.
pub async fn end(core: &Core, id: i64) -> Outcome {
    require_session(core).await?;
    let view = core.end_remote_session(id, None, &Probe::default()).await?;
    writeln!(io::stdout(), "{}", view.remote_session.status)?;
    Ok(())
}
