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
