use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// Name of the app event that carries a [`LiveUpdate`] to the window.
pub const LIVE_EVENT: &str = "deskmate://live";

/// What the app shell tells the window as it follows the helpdesk live: what
/// changed in the cache, so the window re-reads only that. One pull may
/// produce several updates (`tickets`, then `notices`, then `outbox`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "kind", rename_all = "snake_case")]
#[ts(export)]
pub enum LiveUpdate {
    /// These tickets changed in the cache (new, moved, a message or file added): re-read them.
    Tickets {
        #[ts(type = "Array<number>")]
        ids: Vec<i64>,
    },
    /// Announcements, remote-session or order-delay requests changed: re-read the notices.
    Notices,
    /// The outbox changed (an item sent, refused or postponed): re-read the outbox.
    Outbox,
    /// The helpdesk became reachable or not.
    Online { online: bool },
    /// The saved session is no longer accepted (expired, revoked): the user must sign in again.
    SignedOut,
    /// Anything may have changed (first pull, a full resync): re-read everything shown.
    Resync,
}
