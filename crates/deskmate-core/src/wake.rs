//! Sending what waits in the outbox as soon as it can go: a try postponed
//! because the helpdesk could not be reached goes when it answers again (a
//! successful pull), and while the core follows the helpdesk live, a try
//! postponed for the helpdesk's own failure goes at its retry time, without
//! waiting for a reconnect or a refresh.

use std::time::Duration;

use chrono::Utc;
use deskmate_api::ErrorCode;

use crate::{Core, Result};

/// The shortest wait for a retry time, so an outbox that cannot record its
/// tries never spins.
const MIN_WAIT: Duration = Duration::from_millis(500);

impl Core {
    /// The helpdesk just answered: sends the items that waited only because
    /// it could not be reached. Best effort: the outbox keeps them otherwise.
    pub(crate) async fn wake_outbox(&self) {
        let Ok(Some(session)) = self.stored_session().await else {
            return;
        };
        match self.cache.wake_unreachable(session.account()).await {
            Ok(0) => return,
            Ok(woken) => tracing::debug!(woken, "the helpdesk answers again: sending what waited"),
            Err(e) => {
                tracing::warn!(error = %e, "cannot wake the outbox");
                return;
            }
        }
        if let Err(e) = self.drain(false).await {
            tracing::warn!(error = %e, "outbox not drained");
        }
    }

    /// How long until the signed-in account's next outbox try is due;
    /// `None` when nothing is pending.
    pub(crate) async fn outbox_retry_wait(&self) -> Result<Option<Duration>> {
        let Some(session) = self.stored_session().await? else {
            return Ok(None);
        };
        let Some(at) = self.cache.next_retry_at(session.account()).await? else {
            return Ok(None);
        };
        let wait = (at - Utc::now()).to_std().unwrap_or(Duration::ZERO);
        Ok(Some(wait.max(MIN_WAIT)))
    }

    /// Sends what is due in the outbox; whether anything changed.
    pub(crate) async fn send_due(&self) -> Result<bool> {
        match self.drain(false).await {
            Ok((report, _)) => Ok(report.sent + report.failed > 0),
            Err(e) if e.code() == ErrorCode::SignedOut => Err(e),
            Err(e) => {
                tracing::warn!(error = %e, "outbox not drained");
                Ok(false)
            }
        }
    }
}
