//! Remote-assistance tools on the customer's computer, as the app found
//! them (`deskmate remote detect`, the window's consent prompt).

use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::RemoteTool;

/// One installed remote-assistance tool: where it is, its version, whether
/// its service runs, and the ID a consultant connects to.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct DetectedTool {
    /// `rustdesk`, `anydesk` or `teamviewer`.
    pub tool: RemoteTool,
    /// The program that was found.
    pub path: String,
    /// As the tool reports it; `null` when it could not be read.
    pub version: Option<String>,
    /// Whether the tool's service or program is running now.
    pub running: bool,
    /// The ID to connect to, as the tool's own interface reports it; `null`
    /// when it could not be read (then `error` says why).
    pub id: Option<String>,
    /// Why the ID (or the version) could not be read: not running, timed
    /// out, unreadable output, the tool failed.
    pub error: Option<String>,
}

wire_enum! {
    /// A step of the consent flow, in order, as the app reports it while it
    /// runs (the window's step list, the CLI's lines).
    ConsentStep {
        /// Looking for the installed tools.
        Detect => "detect",
        /// Starting the tool, or bringing it up when it runs already.
        StartTool => "start_tool",
        /// Reading the tool's ID (and setting a one-time password where the
        /// tool takes one).
        ReadId => "read_id",
        /// Sending them to the helpdesk for this request only.
        Send => "send",
    }
}

/// The window's event [`CONSENT_EVENT`]: the consent to remote session
/// `remote_session_id` reached `step`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ConsentProgress {
    #[ts(type = "number")]
    pub remote_session_id: i64,
    pub step: ConsentStep,
}

/// The name of the window's event carrying [`ConsentProgress`].
pub const CONSENT_EVENT: &str = "deskmate://remote-consent";

/// Where a tool is had from its vendor (Deskmate downloads nothing).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct ToolDownload {
    pub tool: RemoteTool,
    pub url: String,
}

/// The remote-assistance tools on this computer, and where to get one.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct RemoteTools {
    /// The installed ones, in the order they are offered.
    pub found: Vec<DetectedTool>,
    /// Each supported tool's vendor download page.
    pub downloads: Vec<ToolDownload>,
}
