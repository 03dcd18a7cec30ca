//! [`Core`]: the one value the app shell, the CLI and the tests hold. Its
//! methods are grouped by what they do, one file each: signing in
//! (`session.rs`), reading tickets (`tickets.rs`), writing (`writes.rs`,
//! `attachments.rs`, `notices.rs`, `availability.rs`, `expedite.rs`),
//! keeping in step with the helpdesk (`sync/`).

use std::path::Path;
use std::sync::Arc;

use chrono::Utc;
use deskmate_api::{Capabilities, ErrorCode};

use crate::backend::{self, Backend, Connector, not_offered};
use crate::cache::{self, Cache, Session};
use crate::files::FileStore;
use crate::secrets::{KeyringStore, SecretStore, Sensitive};
use crate::{CoreError, Result};

pub(crate) const EXPIRED: &str = "your session has expired; please sign in again";
pub(crate) const NOT_SIGNED_IN: &str = "not signed in";

/// The app's brain: cache, session and helpdesk client.
#[derive(Clone)]
pub struct Core {
    pub(crate) cache: Cache,
    /// Attachment files: the outbox's copies, downloads, thumbnails.
    pub(crate) files: FileStore,
    pub(crate) secrets: Arc<dyn SecretStore>,
    /// Keyring account of this cache's session token, unique per data directory.
    pub(crate) account: String,
    /// One outbox drain at a time in this process (the idempotency keys keep
    /// a second process on the same cache from filing twice).
    pub(crate) drain_lock: Arc<tokio::sync::Mutex<()>>,
    /// Told when an outbox try is postponed, so the live follower waits for
    /// its retry time too (`sync/live.rs`).
    pub(crate) outbox_postponed: Arc<tokio::sync::Notify>,
    /// Makes the client of the helpdesk at the session's address.
    pub(crate) connect: Connector,
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
        let files = FileStore::new(data_dir);
        remove_orphaned_copies(&cache, &files).await;
        Ok(Self {
            cache,
            files,
            secrets,
            account: format!("session:{installation}"),
            drain_lock: Arc::new(tokio::sync::Mutex::new(())),
            outbox_postponed: Arc::new(tokio::sync::Notify::new()),
            connect: Arc::new(backend::connect),
        })
    }

    /// This core talking to helpdesks through `connect` instead of
    /// [`backend::connect`] (another kind of helpdesk, a test double).
    pub fn with_connector(mut self, connect: Connector) -> Self {
        self.connect = connect;
        self
    }

    pub fn cache(&self) -> &Cache {
        &self.cache
    }

    /// What the signed-in account's helpdesk offers beyond tickets and their
    /// conversations; `signed_out` when nobody is signed in.
    pub async fn capabilities(&self) -> Result<Capabilities> {
        let (_, client, _) = self.signed_in().await?;
        Ok(client.capabilities())
    }

    /// [`Core::signed_in`], refusing with `not_offered` when the helpdesk
    /// does not offer `what` (before anything is queued for it).
    pub(crate) async fn offering(
        &self,
        offers: impl Fn(&Capabilities) -> bool,
        what: &str,
    ) -> Result<(Session, Arc<dyn Backend>, Sensitive<String>)> {
        let signed_in = self.signed_in().await?;
        if !offers(&signed_in.1.capabilities()) {
            return Err(not_offered(what));
        }
        Ok(signed_in)
    }

    pub(crate) async fn signed_in(&self) -> Result<(Session, Arc<dyn Backend>, Sensitive<String>)> {
        let session = self
            .stored_session()
            .await?
            .ok_or(CoreError::SignedOut(NOT_SIGNED_IN))?;
        if session.expires_at <= Utc::now() {
            return Err(CoreError::SignedOut(EXPIRED));
        }
        let token = self
            .token()
            .await?
            .ok_or(CoreError::SignedOut(NOT_SIGNED_IN))?;
        let client = (self.connect)(&session.server_url)?;
        Ok((session, client, token))
    }

    /// A 401 on an authenticated call means the token is dead (expired,
    /// revoked by a sign-out or a password change elsewhere): forget it and
    /// mark the session expired, keeping the cache, so signing in again as
    /// the same account carries on where it was (`Core::login` keeps the
    /// cache of the same account; the outbox and drafts are kept per account
    /// in any case).
    pub(crate) async fn expire_on_unauthorized(&self, error: CoreError) -> CoreError {
        if error.code() != ErrorCode::Unauthorized {
            return error;
        }
        match self.end_session_keeping_cache().await {
            Ok(()) => CoreError::SignedOut(EXPIRED),
            Err(e) => e,
        }
    }

    /// `answer`, with a 401 handled as [`Core::expire_on_unauthorized`] does.
    pub(crate) async fn unless_unauthorized<T>(&self, answer: Result<T>) -> Result<T> {
        match answer {
            Ok(value) => Ok(value),
            Err(e) => Err(self.expire_on_unauthorized(e).await),
        }
    }
}

/// How long a copy in the outbox's folder that no item names is left alone:
/// younger, it may belong to an item another process is committing now.
const ORPHAN_GRACE: std::time::Duration = std::time::Duration::from_secs(3600);

/// Removes copies of files left by a crash between copying and queueing (or
/// between sending and deleting); a failure only costs disk space.
async fn remove_orphaned_copies(cache: &Cache, files: &FileStore) {
    let known = match cache.outgoing_names().await {
        Ok(known) => known,
        Err(e) => {
            tracing::warn!(error = %e, "cannot list the outbox's files");
            return;
        }
    };
    let files = files.clone();
    match tokio::task::spawn_blocking(move || files.remove_orphans(&known, ORPHAN_GRACE)).await {
        Ok(0) => {}
        Ok(removed) => tracing::info!(removed, "removed copies of files no outbox item needs"),
        Err(e) => tracing::warn!(error = %e, "cannot remove orphaned copies"),
    }
}
