use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// Name of the app event that carries a [`LiveUpdate`] to the window.
pub const LIVE_EVENT: &str = "deskmate://live";

/// What the app shell tells the window as it follows the helpdesk live.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[ts(export)]
pub enum LiveUpdate {
    /// The cache changed (an agent answered, a ticket moved, the outbox was
    /// sent): show it again from the cache.
    Changed,
    /// The helpdesk became reachable or not.
    Online { online: bool },
}
