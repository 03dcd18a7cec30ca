//! Signing in and out: the session in the cache, its token in the keyring.

use std::sync::Arc;

use chrono::Utc;
use deskmate_api::Me;

use crate::cache::Session;
use crate::secrets::Sensitive;
use crate::{Core, CoreError, Result};

impl Core {
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
        let client = (self.connect)(server_url)?;
        let login = client.login(email, &password).await?;
        let previous = self.stored_session().await?;
        let same_account = previous
            .as_ref()
            .is_some_and(|p| p.server_url == client.base_url() && p.user.id == login.user.id);
        match &previous {
            Some(previous) if same_account => self.adopt_user(&previous.user, &login.user).await?,
            _ => {
                self.cache.clear_tickets().await?;
                self.clear_downloads().await?;
            }
        }
        self.set_token(Sensitive::new(login.token)).await?;
        let session = Session {
            server_url: client.base_url().to_owned(),
            user: login.user.clone(),
            expires_at: login.expires_at,
        };
        self.cache.store_session(&session).await?;
        self.cache
            .set_meta("last_server_url", session.server_url.clone())
            .await?;
        self.remember_email(&session.server_url, &session.user.email)
            .await?;
        tracing::info!(user = %session.user.email, server = %session.server_url, "signed in");
        Ok(login.user)
    }

    /// Signs out: tells the server (best effort), forgets the token and clears
    /// the cached tickets so the next person at this desk sees nothing.
    pub async fn logout(&self) -> Result<()> {
        if let (Some(session), Some(token)) = (self.stored_session().await?, self.token().await?) {
            match (self.connect)(&session.server_url)?.logout(&token).await {
                Ok(()) => {}
                Err(e) => {
                    tracing::warn!(error = %e, "server-side sign-out failed; forgetting the token anyway")
                }
            }
        }
        self.forget_session().await
    }

    /// Forgets the token and what was pulled with the session.
    pub(crate) async fn forget_session(&self) -> Result<()> {
        let secrets = Arc::clone(&self.secrets);
        let account = self.account.clone();
        tokio::task::spawn_blocking(move || secrets.delete(&account)).await??;
        self.cache.forget_session().await?;
        self.clear_downloads().await
    }

    /// Forgets the dead token and marks the session expired, keeping what
    /// was pulled with it for the same account's next sign-in.
    pub(crate) async fn end_session_keeping_cache(&self) -> Result<()> {
        let secrets = Arc::clone(&self.secrets);
        let account = self.account.clone();
        tokio::task::spawn_blocking(move || secrets.delete(&account)).await??;
        self.cache.expire_session().await?;
        tracing::info!("the helpdesk no longer accepts the session: sign in again");
        Ok(())
    }

    /// The e-mail address last signed in with (or whose password was reset)
    /// at the helpdesk `server_url`, to prefill the sign-in form.
    pub async fn remembered_email(&self, server_url: &str) -> Result<Option<String>> {
        let Ok(url) = crate::backend::normalize_url(server_url) else {
            return Ok(None);
        };
        self.cache.meta(remembered_key(&url)).await
    }

    pub(crate) async fn remember_email(&self, server_url: &str, email: &str) -> Result<()> {
        self.cache
            .set_meta(remembered_key(server_url), email.to_owned())
            .await
    }

    pub(crate) async fn token(&self) -> Result<Option<Sensitive<String>>> {
        let secrets = Arc::clone(&self.secrets);
        let account = self.account.clone();
        tokio::task::spawn_blocking(move || secrets.get(&account)).await?
    }

    async fn set_token(&self, token: Sensitive<String>) -> Result<()> {
        let secrets = Arc::clone(&self.secrets);
        let account = self.account.clone();
        tokio::task::spawn_blocking(move || secrets.set(&account, &token)).await?
    }

    /// The e-mail address of the account signed in last, read from the
    /// cache alone (no keyring, no helpdesk): the address the scrubber keeps.
    pub async fn account_email(&self) -> Result<Option<String>> {
        Ok(self.stored_session().await?.map(|s| s.user.email))
    }

    pub(crate) async fn stored_session(&self) -> Result<Option<Session>> {
        self.cache.stored_session().await
    }
}

/// The cache's meta key of the address remembered for a helpdesk (by its
/// normalized address).
fn remembered_key(server_url: &str) -> String {
    format!("last_email:{server_url}")
}
