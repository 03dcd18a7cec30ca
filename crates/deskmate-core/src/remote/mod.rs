//! Remote-assistance tools on this computer: which of RustDesk, AnyDesk and
//! TeamViewer are installed (PATH, the vendors' install places, the Windows
//! registry, macOS application bundles), their versions, whether they run,
//! and the ID a consultant connects to, read through each tool's own
//! command line. Every program is started by [`run::run`]: an argument
//! array, never a shell; killed after [`run::TIMEOUT`]; bounded output; a
//! secret only on stdin.

mod connect;
mod parse;
mod platform;
pub mod run;

use std::ffi::OsString;
use std::path::{Path, PathBuf};
use std::time::Duration;

use deskmate_api::{DetectedTool, RemoteTool};

pub use connect::{
    Connection, HandOverError, Launched, hand_over, hand_over_with, revoke_password,
};
pub use parse::tool_id;
pub use run::{RunError, TIMEOUT};

/// The tools Deskmate knows, in the order they are offered.
pub const TOOLS: [RemoteTool; 3] = [
    RemoteTool::Rustdesk,
    RemoteTool::Anydesk,
    RemoteTool::Teamviewer,
];

/// Where and how to look.
#[derive(Debug, Clone)]
pub struct Probe {
    /// The directories searched first, as in `PATH`.
    pub path: Option<OsString>,
    /// Whether the vendors' install places and the registry are searched
    /// after `path`.
    pub known_places: bool,
    /// How long one query of a tool may take.
    pub timeout: Duration,
}

impl Default for Probe {
    /// This process's `PATH`, then the install places, 5 s per query.
    fn default() -> Self {
        Self {
            path: std::env::var_os("PATH"),
            known_places: true,
            timeout: TIMEOUT,
        }
    }
}

impl Probe {
    /// Only the directories of `path` (as in `PATH`), nothing else.
    pub fn only(path: impl Into<OsString>) -> Self {
        Self {
            path: Some(path.into()),
            known_places: false,
            timeout: TIMEOUT,
        }
    }

    /// Where `tool`'s program is, if it is installed.
    pub async fn locate(&self, tool: RemoteTool) -> Option<PathBuf> {
        let file = platform::program_file(tool)?;
        let on_path = self
            .path
            .iter()
            .flat_map(std::env::split_paths)
            .map(|dir| dir.join(file));
        let mut candidates: Vec<PathBuf> = on_path.collect();
        if self.known_places {
            candidates.extend(platform::known_places(tool));
            candidates.extend(platform::registry_places(tool, self.timeout).await);
        }
        candidates.into_iter().find(|p| is_program(p))
    }

    /// Every known tool that is installed, each with what could be read.
    /// Never fails: what could not be read is `null` with its `error`.
    pub async fn detect(&self) -> Vec<DetectedTool> {
        self.inspect_all()
            .await
            .into_iter()
            .map(|i| i.detected)
            .collect()
    }

    /// Every installed tool, with whether reading its ID timed out.
    async fn inspect_all(&self) -> Vec<Inspected> {
        let processes = platform::running_processes(self.timeout)
            .await
            .unwrap_or_default();
        let found = TOOLS.map(|tool| self.inspect(tool, &processes));
        let [a, b, c] = found;
        let (a, b, c) = tokio::join!(a, b, c);
        [a, b, c].into_iter().flatten().collect()
    }

    /// One tool, if installed.
    pub async fn detect_one(&self, tool: RemoteTool) -> Option<DetectedTool> {
        let processes = platform::running_processes(self.timeout)
            .await
            .unwrap_or_default();
        self.inspect(tool, &processes).await.map(|i| i.detected)
    }

    async fn inspect(&self, tool: RemoteTool, processes: &[String]) -> Option<Inspected> {
        let path = self.locate(tool).await?;
        let running = platform::process_names(tool)
            .iter()
            .any(|name| processes.iter().any(|p| p == name));
        let (version, id) = tokio::join!(
            platform::read_version(tool, &path, self.timeout),
            platform::read_id(tool, &path, self.timeout)
        );
        let mut errors = Vec::new();
        let hung = matches!(id, Err(platform::IdError::Run(RunError::TimedOut { .. })));
        let id = match id {
            Ok(id) => Some(id),
            Err(e) if !running => {
                errors.push(format!("not running ({e})"));
                None
            }
            Err(e) => {
                errors.push(e.to_string());
                None
            }
        };
        let version = version.unwrap_or_else(|e| {
            if id.is_some() {
                errors.push(format!("version: {e}"));
            }
            None
        });
        let detected = DetectedTool {
            tool,
            path: path.to_string_lossy().into_owned(),
            version,
            running,
            id,
            error: (!errors.is_empty()).then(|| errors.join("; ")),
        };
        Some(Inspected { detected, hung })
    }
}

/// A tool as detected, and whether it hung when asked for its ID (then it
/// is not asked again: the user hears so within [`TIMEOUT`]).
struct Inspected {
    detected: DetectedTool,
    hung: bool,
}

/// A file this user may run.
fn is_program(path: &Path) -> bool {
    let Ok(meta) = std::fs::metadata(path) else {
        return false;
    };
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        meta.is_file() && meta.permissions().mode() & 0o111 != 0
    }
    #[cfg(not(unix))]
    {
        meta.is_file()
    }
}

/// Every supported tool's vendor download page.
pub fn downloads() -> Vec<deskmate_api::ToolDownload> {
    TOOLS
        .into_iter()
        .filter_map(|tool| {
            vendor_page(tool).map(|url| deskmate_api::ToolDownload {
                tool,
                url: url.to_owned(),
            })
        })
        .collect()
}

/// Where to get each tool from its vendor (Deskmate downloads nothing).
pub fn vendor_page(tool: RemoteTool) -> Option<&'static str> {
    match tool {
        RemoteTool::Rustdesk => Some("https://rustdesk.com/download"),
        RemoteTool::Anydesk => Some("https://anydesk.com/en/downloads"),
        RemoteTool::Teamviewer => Some("https://www.teamviewer.com/en/download/"),
        RemoteTool::Other => None,
    }
}
