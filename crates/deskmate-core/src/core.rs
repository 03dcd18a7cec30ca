//! [`Core`]: the facade the app shell calls.

use std::path::Path;
use std::sync::Arc;

use chrono::{DateTime, SecondsFormat, Utc};
use deskmate_api::{ErrorCode, Me, NewTicket, RefreshOutcome, Ticket};
use rusqlite::OptionalExtension;

use crate::backend::ServerClient;
use crate::cache::{self, Cache};
use crate::secrets::{KeyringStore, SecretStore, Sensitive};
use crate::{CoreError, Result};

/// Who is signed in, to which helpdesk. The token is not here: it is in the keyring.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    pub server_url: String,
    pub user: Me,
    pub expires_at: DateTime<Utc>,
}

const EXPIRED: &str = "your session has expired; please sign in again";
const NOT_SIGNED_IN: &str = "not signed in";

/// The app's brain: cache, session and helpdesk client.
#[derive(Clone)]
pub struct Core {
    cache: Cache,
    secrets: Arc<dyn SecretStore>,
    /// Keyring account of this cache's session token, unique per data directory.
    account: String,
}

impl std::fmt::Debug for Core {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Core")
            .field("cache", &self.cache)
            .finish_non_exhaustive()
    }
}

impl Core {
    /// Opens the cache in `data_dir` and uses the OS keyring for the token.
    pub async fn open(data_dir: &Path) -> Result<Self> {
        Self::open_with(data_dir, Arc::new(KeyringStore::default())).await
    }

    /// Like [`Core::open`] with another secret store.
    pub async fn open_with(data_dir: &Path, secrets: Arc<dyn SecretStore>) -> Result<Self> {
        let cache = Cache::open(data_dir.join(cache::FILE_NAME)).await?;
        let installation = match cache.meta("installation_id").await? {
            Some(id) => id,
            None => {
                let id = uuid::Uuid::new_v4().to_string();
                cache.set_meta("installation_id", id.clone()).await?;
                id
            }
        };
        Ok(Self {
            cache,
            secrets,
            account: format!("session:{installation}"),
        })
    }

    pub fn cache(&self) -> &Cache {
        &self.cache
    }

    /// The helpdesk address last used here (kept after sign-out to prefill the form).
    pub async fn last_server_url(&self) -> Result<Option<String>> {
        self.cache.meta("last_server_url").await
    }

    /// The current session, or `None` when signed out (no session, no token in
    /// the keyring, or past its expiry).
    pub async fn session(&self) -> Result<Option<Session>> {
        let Some(session) = self.stored_session().await? else {
            return Ok(None);
        };
        if session.expires_at <= Utc::now() || self.token().await?.is_none() {
            return Ok(None);
        }
        Ok(Some(session))
    }

    /// Signs in and keeps the token in the keyring. Switching helpdesk or user
    /// clears what the previous one cached.
    pub async fn login(
        &self,
        server_url: &str,
        email: &str,
        password: Sensitive<String>,
    ) -> Result<Me> {
        let email = email.trim();
        if email.is_empty() || password.expose().is_empty() {
            return Err(CoreError::Invalid(
                "e-mail and password are required".into(),
            ));
        }
        let client = ServerClient::new(server_url)?;
        let login = client.login(email, &password).await?;
        let previous = self.stored_session().await?;
        let same_account = previous
            .as_ref()
            .is_some_and(|p| p.server_url == client.base_url() && p.user.id == login.user.id);
        if !same_account {
            self.cache.clear_tickets().await?;
        }
        self.set_token(Sensitive::new(login.token)).await?;
        let session = Session {
            server_url: client.base_url().to_owned(),
            user: login.user.clone(),
            expires_at: login.expires_at,
        };
        self.store_session(&session).await?;
        self.cache
            .set_meta("last_server_url", session.server_url.clone())
            .await?;
        tracing::info!(user = %session.user.email, server = %session.server_url, "signed in");
        Ok(login.user)
    }

    /// Signs out: tells the server (best effort), forgets the token and clears
    /// the cached tickets so the next person at this desk sees nothing.
    pub async fn logout(&self) -> Result<()> {
        if let (Some(session), Some(token)) = (self.stored_session().await?, self.token().await?) {
            match ServerClient::new(&session.server_url)?.logout(&token).await {
                Ok(()) => {}
                Err(e) => {
                    tracing::warn!(error = %e, "server-side sign-out failed; forgetting the token anyway")
                }
            }
        }
        self.forget_session().await
    }

    /// The cached tickets, newest activity first. Instant, works offline.
    pub async fn cached_tickets(&self) -> Result<Vec<Ticket>> {
        self.cache.tickets().await
    }

    /// Pulls the visible tickets from the server into the cache. When the server
    /// cannot be reached the cached list comes back with `online: false`.
    pub async fn refresh_tickets(&self) -> Result<RefreshOutcome> {
        let (client, token) = self.signed_in().await?;
        match client.tickets(&token).await {
            Ok(tickets) => {
                self.cache.replace_tickets(tickets).await?;
                Ok(RefreshOutcome {
                    tickets: self.cache.tickets().await?,
                    online: true,
                })
            }
            Err(CoreError::Network { .. }) => Ok(RefreshOutcome {
                tickets: self.cache.tickets().await?,
                online: false,
            }),
            Err(e) => Err(self.expire_on_unauthorized(e).await),
        }
    }

    /// Files a ticket with the server and caches it.
    pub async fn create_ticket(&self, ticket: NewTicket) -> Result<Ticket> {
        ticket.validate().map_err(CoreError::Invalid)?;
        let (client, token) = self.signed_in().await?;
        let key = uuid::Uuid::new_v4().to_string();
        let created = match client.create_ticket(&token, &ticket, &key).await {
            Ok(t) => t,
            Err(e) => return Err(self.expire_on_unauthorized(e).await),
        };
        self.cache.upsert_ticket(created.clone()).await?;
        Ok(created)
    }

    async fn signed_in(&self) -> Result<(ServerClient, Sensitive<String>)> {
        let session = self
            .stored_session()
            .await?
            .ok_or(CoreError::SignedOut(NOT_SIGNED_IN))?;
        let token = self
            .token()
            .await?
            .ok_or(CoreError::SignedOut(NOT_SIGNED_IN))?;
        if session.expires_at <= Utc::now() {
            return Err(CoreError::SignedOut(EXPIRED));
        }
        Ok((ServerClient::new(&session.server_url)?, token))
    }

    /// A 401 on an authenticated call means the token is dead: forget it.
    async fn expire_on_unauthorized(&self, error: CoreError) -> CoreError {
        if error.code() != ErrorCode::Unauthorized {
            return error;
        }
        match self.forget_session().await {
            Ok(()) => CoreError::SignedOut(EXPIRED),
            Err(e) => e,
        }
    }

    async fn forget_session(&self) -> Result<()> {
        let secrets = Arc::clone(&self.secrets);
        let account = self.account.clone();
        tokio::task::spawn_blocking(move || secrets.delete(&account)).await??;
        self.cache
            .call(|c| {
                let tx = c.transaction()?;
                tx.execute("DELETE FROM session", [])?;
                tx.execute("DELETE FROM tickets", [])?;
                tx.commit()?;
                Ok(())
            })
            .await
    }

    async fn token(&self) -> Result<Option<Sensitive<String>>> {
        let secrets = Arc::clone(&self.secrets);
        let account = self.account.clone();
        tokio::task::spawn_blocking(move || secrets.get(&account)).await?
    }

    async fn set_token(&self, token: Sensitive<String>) -> Result<()> {
        let secrets = Arc::clone(&self.secrets);
        let account = self.account.clone();
        tokio::task::spawn_blocking(move || secrets.set(&account, &token)).await?
    }

    async fn stored_session(&self) -> Result<Option<Session>> {
        let row: Option<(String, String, String)> = self
            .cache
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

    async fn store_session(&self, session: &Session) -> Result<()> {
        let user_json = serde_json::to_string(&session.user)
            .map_err(|e| CoreError::Cache(format!("cannot store the session: {e}")))?;
        let server_url = session.server_url.clone();
        let expires_at = session
            .expires_at
            .to_rfc3339_opts(SecondsFormat::Micros, true);
        let now = Utc::now().to_rfc3339_opts(SecondsFormat::Micros, true);
        self.cache
            .call(move |c| {
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
}
