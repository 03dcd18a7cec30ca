use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// What the app shell tells the UI at start (`app_info` command).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct AppInfo {
    /// The app's version.
    pub version: String,
    /// The helpdesk to sign in to: the saved session's, or the one the app was started with.
    pub server_url: Option<String>,
    /// Demo accounts to list on the sign-in screen (only when started by `make run`).
    pub demo_accounts: Vec<String>,
}

/// Result of `refresh_tickets`: the cached list, and whether the server answered.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct RefreshOutcome {
    pub tickets: Vec<crate::Ticket>,
    /// `false` when the server could not be reached and the list is the cached one.
    pub online: bool,
}
