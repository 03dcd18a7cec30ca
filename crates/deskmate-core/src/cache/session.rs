//! Who is signed in here: one row, the token itself is in the keyring.

use chrono::{DateTime, SecondsFormat, Utc};
use deskmate_api::Me;
use rusqlite::OptionalExtension;

use super::{Account, Cache};
use crate::{CoreError, Result};

/// Who is signed in, to which helpdesk. The token is not here: it is in the keyring.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    pub server_url: String,
    pub user: Me,
    pub expires_at: DateTime<Utc>,
}

impl Session {
    /// The account its outbox, drafts and read marks belong to.
    pub fn account(&self) -> Account {
        Account {
            server_url: self.server_url.clone(),
            user_id: self.user.id,
        }
    }
}

/// Replaces the signed-in user's details (new rights, a new name), in `c`'s
/// transaction.
pub(crate) fn set_session_user(c: &rusqlite::Connection, user: &Me) -> Result<()> {
    let user_json = serde_json::to_string(user)
        .map_err(|e| CoreError::Cache(format!("cannot store the session: {e}")))?;
    c.execute(
        "UPDATE session SET user_json = ?1 WHERE id = 1",
        [user_json],
    )?;
    Ok(())
}

impl Cache {
    /// The saved session, if any (expired or not).
    pub async fn stored_session(&self) -> Result<Option<Session>> {
        let row: Option<(String, String, String)> = self
            .call(|c| {
                Ok(c.query_row(
                    "SELECT server_url, user_json, expires_at FROM session WHERE id = 1",
                    [],
                    |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
                )
                .optional()?)
            })
            .await?;
        let Some((server_url, user_json, expires_at)) = row else {
            return Ok(None);
        };
        let user = serde_json::from_str(&user_json)
            .map_err(|e| CoreError::Cache(format!("unreadable session: {e}")))?;
        let expires_at = DateTime::parse_from_rfc3339(&expires_at)
            .map_err(|e| CoreError::Cache(format!("unreadable session expiry: {e}")))?
            .with_timezone(&Utc);
        Ok(Some(Session {
            server_url,
            user,
            expires_at,
        }))
    }

    /// Saves the session, replacing the one before.
    pub async fn store_session(&self, session: &Session) -> Result<()> {
        let user_json = serde_json::to_string(&session.user)
            .map_err(|e| CoreError::Cache(format!("cannot store the session: {e}")))?;
        let server_url = session.server_url.clone();
        let expires_at = session
            .expires_at
            .to_rfc3339_opts(SecondsFormat::Micros, true);
        let now = Utc::now().to_rfc3339_opts(SecondsFormat::Micros, true);
        self.call(move |c| {
            c.execute(
                "INSERT INTO session (id, server_url, user_json, expires_at, signed_in_at)
                 VALUES (1, ?1, ?2, ?3, ?4)
                 ON CONFLICT (id) DO UPDATE SET server_url = excluded.server_url,
                   user_json = excluded.user_json, expires_at = excluded.expires_at,
                   signed_in_at = excluded.signed_in_at",
                (server_url, user_json, expires_at, now),
            )?;
            Ok(())
        })
        .await
    }

    /// Marks the saved session expired (its token is dead), keeping it and
    /// everything pulled with it for the same account's next sign-in.
    pub async fn expire_session(&self) -> Result<()> {
        let now = Utc::now().to_rfc3339_opts(SecondsFormat::Micros, true);
        self.call(move |c| {
            c.execute("UPDATE session SET expires_at = ?1 WHERE id = 1", [now])?;
            Ok(())
        })
        .await
    }

    /// Forgets the session and everything pulled with it (tickets, their
    /// conversations and files, notices, the sync cursor), in one
    /// transaction. The outbox, drafts and read marks stay: they are the
    /// user's own, kept per account.
    pub async fn forget_session(&self) -> Result<()> {
        self.call(|c| {
            let tx = c.transaction()?;
            tx.execute("DELETE FROM session", [])?;
            tx.execute("DELETE FROM tickets", [])?;
            tx.execute("DELETE FROM messages", [])?;
            tx.execute("DELETE FROM ticket_extras", [])?;
            tx.execute("DELETE FROM attachments", [])?;
            tx.execute("DELETE FROM notifications", [])?;
            Cache::clear_notices(&tx)?;
            Cache::reset_sync_cursor(&tx)?;
            tx.commit()?;
            Ok(())
        })
        .await
    }
}
