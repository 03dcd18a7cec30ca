//! After the user's consent: bring the tool up, read its ID, and where the
//! tool takes one on stdin (AnyDesk's `--set-password`) set a one-time
//! password; after the session, make that password useless and stop what
//! Deskmate started.

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::time::Duration;

use deskmate_api::{ConsentStep, RemoteTool};

use super::run::{RunError, run};
use super::{Probe, platform};
use crate::Sensitive;

/// How long a tool just started may take before its ID can be read.
const START_DEADLINE: Duration = Duration::from_secs(20);
const START_RETRY: Duration = Duration::from_millis(500);

/// What the consultant needs to connect, for one request.
#[derive(Debug)]
pub struct Connection {
    pub tool: RemoteTool,
    pub path: PathBuf,
    pub tool_id: String,
    /// A one-time password set for this session only (AnyDesk); never
    /// printed, logged or stored on this computer.
    pub password: Option<Sensitive<String>>,
    /// The tool's process if Deskmate started it (stopped when the session ends).
    pub launched: Option<Launched>,
}

/// A tool's window that Deskmate started.
#[derive(Debug)]
pub struct Launched {
    child: tokio::process::Child,
}

impl Launched {
    /// Stops it (and with it any incoming session it carries).
    pub async fn stop(mut self) {
        let _ = self.child.start_kill();
        let _ = tokio::time::timeout(Duration::from_secs(2), self.child.wait()).await;
    }
}

/// Why nothing could be handed over.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum HandOverError {
    #[error("no remote-assistance tool is installed (RustDesk, AnyDesk or TeamViewer)")]
    NoTool,
    #[error("{tool} is not installed")]
    NotInstalled { tool: RemoteTool },
    #[error("cannot start {tool}: {reason}")]
    Start { tool: RemoteTool, reason: String },
    #[error("cannot read the ID of {tool}: {reason}")]
    NoId { tool: RemoteTool, reason: String },
}

/// [`hand_over_with`] without reporting its steps.
pub async fn hand_over(
    probe: &Probe,
    chosen: Option<RemoteTool>,
    asked: Option<RemoteTool>,
) -> Result<Connection, HandOverError> {
    hand_over_with(probe, chosen, asked, &|_| {}).await
}

/// Picks the tool (`chosen`, else the one the consultant asked for if it is
/// installed, else the first installed one that gives an ID), starts it if
/// it does not run, reads its ID, and sets a one-time password where the
/// tool takes one on stdin; tells `step` as each step begins. A tool that
/// hung when asked for its ID is reported at once, not asked again.
pub async fn hand_over_with(
    probe: &Probe,
    chosen: Option<RemoteTool>,
    asked: Option<RemoteTool>,
    step: &(dyn Fn(ConsentStep) + Send + Sync),
) -> Result<Connection, HandOverError> {
    step(ConsentStep::Detect);
    let found = probe.inspect_all().await;
    let pick = |tool: RemoteTool| found.iter().find(|i| i.detected.tool == tool);
    let inspected = match chosen {
        Some(tool) => pick(tool).ok_or(HandOverError::NotInstalled { tool })?,
        None => asked
            .and_then(pick)
            .or_else(|| found.iter().find(|i| i.detected.id.is_some()))
            .or_else(|| found.first())
            .ok_or(HandOverError::NoTool)?,
    };
    let detected = &inspected.detected;
    let tool = detected.tool;
    let path = PathBuf::from(&detected.path);
    if inspected.hung {
        return Err(HandOverError::NoId {
            tool,
            reason: hung(tool, probe.timeout),
        });
    }
    step(ConsentStep::StartTool);
    let mut launched = None;
    if detected.id.is_none() && !detected.running {
        launched = Some(launch(tool, &path)?);
    }
    step(ConsentStep::ReadId);
    let tool_id = match &detected.id {
        Some(id) => id.clone(),
        None => wait_for_id(tool, &path, probe.timeout).await?,
    };
    let password = match tool {
        RemoteTool::Anydesk => set_one_time_password(&path, probe.timeout).await.ok(),
        _ => None,
    };
    Ok(Connection {
        tool,
        path,
        tool_id,
        password,
        launched,
    })
}

/// Starts the tool's program without arguments (its window), not waited for.
fn launch(tool: RemoteTool, path: &Path) -> Result<Launched, HandOverError> {
    let child = tokio::process::Command::new(path)
        .stdin(Stdio::null())
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .map_err(|e| HandOverError::Start {
            tool,
            reason: e.to_string(),
        })?;
    Ok(Launched { child })
}

/// Reads the ID again until the tool gives one or [`START_DEADLINE`] passes.
async fn wait_for_id(
    tool: RemoteTool,
    path: &Path,
    timeout: Duration,
) -> Result<String, HandOverError> {
    let deadline = tokio::time::Instant::now() + START_DEADLINE;
    loop {
        match platform::read_id(tool, path, timeout).await {
            Ok(id) => return Ok(id),
            Err(e) if tokio::time::Instant::now() + START_RETRY >= deadline => {
                return Err(HandOverError::NoId {
                    tool,
                    reason: e.to_string(),
                });
            }
            Err(platform::IdError::Run(RunError::TimedOut { .. })) => {
                return Err(HandOverError::NoId {
                    tool,
                    reason: hung(tool, timeout),
                });
            }
            Err(_) => tokio::time::sleep(START_RETRY).await,
        }
    }
}

/// What the user hears of a tool that did not answer.
fn hung(tool: RemoteTool, timeout: Duration) -> String {
    format!(
        "{tool} did not answer within {} s and was stopped; restart it, or the computer, and try again",
        timeout.as_secs().max(1)
    )
}

/// A fresh random password, piped to `anydesk --set-password` (never on
/// its command line).
async fn set_one_time_password(
    anydesk: &Path,
    timeout: Duration,
) -> Result<Sensitive<String>, RunError> {
    let password = Sensitive::new(random_password());
    run(anydesk, &["--set-password"], Some(&password), timeout).await?;
    Ok(password)
}

/// After the session: the one-time password is replaced by one nobody
/// knows, so it cannot be used again (AnyDesk; the other tools got none).
pub async fn revoke_password(tool: RemoteTool, path: &Path, timeout: Duration) {
    if tool == RemoteTool::Anydesk {
        let _ = set_one_time_password(path, timeout).await;
    }
}

/// 20 characters from the OS's random source (UUID v4 draws on it).
fn random_password() -> String {
    let a = uuid::Uuid::new_v4().simple().to_string();
    let b = uuid::Uuid::new_v4().simple().to_string();
    a.chars()
        .zip(b.chars())
        .take(20)
        .map(|(x, y)| if y < '8' { x.to_ascii_uppercase() } else { x })
        .collect()
}
