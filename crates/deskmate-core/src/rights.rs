//! Following what the signed-in account may see. The cache holds what the
//! account could see when it was pulled, and delta sync only brings what
//! changed since: when an administrator changes the account's rights
//! (`PATCH /api/v1/users/{id}`), the helpdesk ends its live stream, the core
//! asks who the account is now (`GET /api/v1/me`) on the next refresh, drops
//! the tickets it may no longer see with everything that belongs to them,
//! and pulls from the start, so tickets it may newly see arrive too. The
//! outbox, drafts and read marks stay: they are the user's own.

use deskmate_api::{ErrorCode, Me};

use crate::cache::{self, Cache, TicketScope};
use crate::{Core, CoreError, Result};

impl Core {
    /// Asks the helpdesk who the signed-in account is now and adopts the
    /// answer (see the module). An unreachable or failing helpdesk changes
    /// nothing (the next refresh asks again); a dead token signs out.
    pub(crate) async fn check_account(&self) -> Result<()> {
        let (session, client, token) = self.signed_in().await?;
        let me = match client.me(&token).await {
            Ok(me) => me,
            Err(e) if e.code() == ErrorCode::Unauthorized => {
                return Err(self.expire_on_unauthorized(e).await);
            }
            Err(e) => {
                tracing::debug!(error = %e, "cannot ask the helpdesk who the account is now");
                return Ok(());
            }
        };
        if me == session.user {
            return Ok(());
        }
        if me.id != session.user.id {
            return Err(CoreError::Protocol {
                url: session.server_url,
                detail: format!(
                    "the session of user {} belongs to user {}",
                    session.user.id, me.id
                ),
            });
        }
        self.adopt_user(&session.user, &me).await
    }

    /// Keeps `now` as the signed-in user in place of `before` (the same
    /// account); when the tickets it may see changed, in the same
    /// transaction the cache drops those it may no longer see and sync starts
    /// over, then the downloads of the dropped files go.
    pub(crate) async fn adopt_user(&self, before: &Me, now: &Me) -> Result<()> {
        let user = now.clone();
        let (old_scope, scope) = (TicketScope::of(before), TicketScope::of(now));
        let rescope = old_scope != scope;
        let kept = self
            .cache
            .call(move |c| {
                let tx = c.transaction()?;
                cache::set_session_user(&tx, &user)?;
                let kept = if rescope {
                    let dropped = cache::narrow(&tx, scope)?;
                    Cache::reset_sync_cursor(&tx)?;
                    tracing::info!(
                        ?old_scope,
                        ?scope,
                        dropped,
                        "the account's rights changed: syncing again from the start"
                    );
                    Some(cache::named_files(&tx)?)
                } else {
                    None
                };
                tx.commit()?;
                Ok(kept)
            })
            .await?;
        if let Some(kept) = kept {
            let files = self.files.clone();
            let removed =
                tokio::task::spawn_blocking(move || files.retain_downloads(&kept)).await?;
            tracing::debug!(removed, "downloads the account may no longer see removed");
        }
        Ok(())
    }
}
