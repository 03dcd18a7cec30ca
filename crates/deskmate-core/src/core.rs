//! [`Core`]: the facade the app shell calls.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use chrono::{DateTime, SecondsFormat, Utc};
use deskmate_api::{
    Draft, DraftInput, DrainReport, ErrorCode, FileOutcome, Me, NewMessage, NewTicket, OutboxItem,
    RefreshOutcome, ReopenTicket, Ticket, TicketAttachment, TicketListPage, TicketListQuery,
    TicketView, WriteOutcome,
};
use rusqlite::OptionalExtension;

use crate::backend::{self, Backend, Connector};
use crate::cache::{self, Account, Attempt, Cache, Delivered, Write};
use crate::files::FileStore;
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
    pub(crate) cache: Cache,
    /// Attachment files: the outbox's copies, downloads, thumbnails.
    pub(crate) files: FileStore,
    secrets: Arc<dyn SecretStore>,
    /// Keyring account of this cache's session token, unique per data directory.
    account: String,
    /// One outbox drain at a time in this process (the idempotency keys keep
    /// a second process on the same cache from filing twice).
    drain_lock: Arc<tokio::sync::Mutex<()>>,
    /// Told when an outbox try is postponed, so the live follower waits for
    /// its retry time too (`wake.rs`).
    pub(crate) outbox_postponed: Arc<tokio::sync::Notify>,
    /// Makes the client of the helpdesk at the session's address.
    connect: Connector,
}

/// Hits one search returns (the cache's maximum).
const SEARCH_HITS: usize = cache::MAX_SEARCH_HITS;

/// The longest wait between two tries of the same outbox item.
const MAX_BACKOFF_SECS: i64 = 300;

/// Wait before the next try after `attempts` tries: 2 s, 4 s, 8 s ... 5 min.
fn backoff(attempts: i64) -> chrono::Duration {
    let exponent = u32::try_from(attempts.clamp(1, 16)).unwrap_or(16);
    chrono::Duration::seconds(2_i64.saturating_pow(exponent).min(MAX_BACKOFF_SECS))
}

/// Whether a failed send is worth repeating as is (the helpdesk could not be
/// reached or could not answer now), as opposed to a refusal that repeating
/// would not change.
fn is_transient(error: &CoreError) -> bool {
    match error {
        CoreError::Network { .. } | CoreError::Protocol { .. } => true,
        CoreError::Server(e) => matches!(
            e.code,
            ErrorCode::Internal | ErrorCode::RateLimited | ErrorCode::Network
        ),
        _ => false,
    }
}

impl Session {
    pub(crate) fn account(&self) -> Account {
        Account {
            server_url: self.server_url.clone(),
            user_id: self.user.id,
        }
    }
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
            match (self.connect)(&session.server_url)?.logout(&token).await {
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

    /// The cached tickets matching what the user typed, best first, each once
    /// with a snippet of where it matched. Instant, works offline (no network).
    pub async fn search(&self, query: &str) -> Result<Vec<deskmate_api::SearchHit>> {
        self.cache.search(query, SEARCH_HITS).await
    }

    /// Checks the account's rights, sends what waits in the outbox, then pulls
    /// the visible tickets from the server into the cache ([`Core::refresh`]),
    /// and reads the whole cached list back. When the server cannot be
    /// reached the cached list comes back with `online: false`.
    pub async fn refresh_tickets(&self) -> Result<RefreshOutcome> {
        let online = self.refresh().await?;
        Ok(RefreshOutcome {
            tickets: self.cache.tickets().await?,
            online,
        })
    }

    /// Like [`Core::refresh_tickets`] without reading the list back: the
    /// window reads the page it shows ([`Core::ticket_page`]). `false` when
    /// the server could not be reached.
    pub async fn refresh(&self) -> Result<bool> {
        // Rights may have changed: then the cache keeps only what the account
        // may see now and the pull below starts over.
        self.check_account().await?;
        if let Err(e) = self.drain_outbox(false).await {
            match e.code() {
                ErrorCode::SignedOut => return Err(e),
                _ => tracing::warn!(error = %e, "outbox not drained"),
            }
        }
        self.pull_changes().await
    }

    /// One page of the cached list, newest activity first, with the counts
    /// the window shows (matching, cached, unread, per status); rows are
    /// marked unread for the signed-in (or last signed-in) account. Instant,
    /// works offline.
    pub async fn ticket_page(&self, query: TicketListQuery) -> Result<TicketListPage> {
        let account = self.stored_session().await?.map(|s| s.account());
        self.cache.ticket_page(account, query).await
    }

    /// Pulls what changed since the last pull (`/api/v1/sync` pages) into the
    /// cache, each page in one transaction. Returns `false` when the helpdesk
    /// could not be reached; what was pulled so far stays and the next pull
    /// resumes from there.
    pub async fn pull_changes(&self) -> Result<bool> {
        const PAGE: u32 = 500;
        let (_, client, token) = self.signed_in().await?;
        let mut cursor = self.cache.sync_cursor().await?;
        let pulled = loop {
            let page = match client.sync(&token, cursor, PAGE).await {
                Ok(page) => page,
                Err(CoreError::Network { .. }) => break Ok(false),
                Err(e) => break Err(self.expire_on_unauthorized(e).await),
            };
            let more = page.more;
            let next = page.cursor;
            match self.cache.apply_sync_page_from(cursor, page).await {
                Ok(true) => {}
                // Another pull moved the cursor, or sync started over: go on from there.
                Ok(false) => {
                    cursor = self.cache.sync_cursor().await?;
                    continue;
                }
                Err(e) => break Err(e),
            }
            if !more || next <= cursor {
                break Ok(true);
            }
            cursor = next;
        };
        // A first sync cut short still leaves a searchable cache.
        self.cache.finish_search_index().await?;
        if matches!(pulled, Ok(true)) {
            self.wake_outbox().await;
        }
        pulled
    }

    /// Files a ticket: commits it to the outbox first (so nothing is lost if
    /// the network, the helpdesk or this process dies), then tries to send it
    /// at once. Succeeds offline, with the ticket queued.
    pub async fn create_ticket(&self, ticket: NewTicket) -> Result<FileOutcome> {
        self.file_ticket(ticket, None).await
    }

    /// Like [`Core::create_ticket`], for a ticket written in the draft
    /// `draft_id`: the draft is deleted in the transaction that queues the
    /// ticket (a crash leaves one or the other, never both or neither).
    pub async fn file_ticket(
        &self,
        ticket: NewTicket,
        draft_id: Option<String>,
    ) -> Result<FileOutcome> {
        self.file_ticket_with_files(ticket, draft_id, &[]).await
    }

    /// Like [`Core::file_ticket`], with files attached: each is checked and
    /// copied into the data directory before the ticket is queued (a file
    /// refused here queues nothing), and sent once the ticket is filed.
    pub async fn file_ticket_with_files(
        &self,
        ticket: NewTicket,
        draft_id: Option<String>,
        files: &[PathBuf],
    ) -> Result<FileOutcome> {
        ticket.validate().map_err(CoreError::Invalid)?;
        let (session, _, _) = self.signed_in().await?;
        let item = self
            .queue_with_files(session.account(), Write::NewTicket(ticket), draft_id, files)
            .await?;
        let sent = match self.drain(true).await {
            Ok((_, sent)) => sent,
            // Still safe in the outbox; the next sign-in or sync sends it.
            Err(e) if e.code() == ErrorCode::SignedOut => Vec::new(),
            Err(e) => return Err(e),
        };
        match sent.into_iter().find(|(id, _)| *id == item.local_id) {
            Some((_, Delivered::Ticket(ticket))) => return Ok(FileOutcome::Sent { ticket }),
            // Its text was delivered by another process on this cache.
            Some((_, Delivered::Files { ticket_id, .. })) => {
                if let Some(ticket) = self.cache.ticket(ticket_id).await? {
                    return Ok(FileOutcome::Sent {
                        ticket: Box::new(ticket),
                    });
                }
            }
            _ => {}
        }
        let item = self.cache.outbox_item(item.local_id).await?.unwrap_or(item);
        Ok(FileOutcome::Queued {
            item: Box::new(item),
        })
    }

    /// Sends the signed-in account's pending writes, oldest first, each with
    /// its idempotency key. A refusal (4xx) marks the item failed and goes on;
    /// an unreachable or failing helpdesk stops the pass and schedules a retry
    /// with exponential backoff. `force` ignores the backoff (a user's "sync").
    pub async fn drain_outbox(&self, force: bool) -> Result<DrainReport> {
        self.drain(force).await.map(|(report, _)| report)
    }

    pub(crate) async fn drain(&self, force: bool) -> Result<(DrainReport, Vec<(i64, Delivered)>)> {
        let _one_at_a_time = self.drain_lock.lock().await;
        let (session, client, token) = self.signed_in().await?;
        let account = session.account();
        let mut report = DrainReport {
            sent: 0,
            failed: 0,
            pending: 0,
            online: true,
        };
        let mut sent = Vec::new();
        while let Some(write) = self.cache.next_due(account.clone(), force).await? {
            let result = self.deliver(client.as_ref(), &token, &write).await;
            let attempt = match result {
                Ok(delivered) => {
                    report.sent += 1;
                    sent.push((write.local_id, delivered.clone()));
                    Attempt::Sent(delivered)
                }
                Err(e) if e.code() == ErrorCode::Unauthorized => {
                    return Err(self.expire_on_unauthorized(e).await);
                }
                Err(e) if is_transient(&e) => {
                    report.online = !matches!(e, CoreError::Network { .. });
                    let retry_at = Utc::now() + backoff(write.attempts + 1);
                    tracing::info!(item = write.local_id, error = %e, %retry_at, "outbox send postponed");
                    self.cache
                        .record_attempt(
                            write.local_id,
                            Attempt::Postponed {
                                error: e.to_response(),
                                retry_at,
                            },
                        )
                        .await?;
                    self.outbox_postponed.notify_one();
                    break;
                }
                Err(e) => {
                    report.failed += 1;
                    tracing::info!(item = write.local_id, error = %e, "outbox item refused");
                    Attempt::Refused(e.to_response())
                }
            };
            let done = matches!(attempt, Attempt::Sent(_));
            self.cache.record_attempt(write.local_id, attempt).await?;
            if done {
                self.remove_copies(&write.files).await;
            }
        }
        report.pending = self.cache.pending_count(account).await?;
        Ok((report, sent))
    }

    /// A ticket with its conversation: from the helpdesk when `refresh` and it
    /// answers (the cache is updated), else from the cache (instant, offline).
    /// Viewing marks the ticket read.
    pub async fn ticket_view(&self, id: i64, refresh: bool) -> Result<TicketView> {
        let (session, client, token) = self.signed_in().await?;
        let mut online = false;
        if refresh {
            match client.ticket_detail(&token, id).await {
                Ok(detail) => {
                    self.cache.upsert_ticket(detail.ticket.clone()).await?;
                    self.cache
                        .replace_conversation(id, detail.messages, detail.reopen_until)
                        .await?;
                    let facts = cache::QueueFacts {
                        position: detail.queue_position,
                        first_response_due_at: detail.first_response_due_at,
                        checked_at: Utc::now(),
                    };
                    self.cache.store_queue_facts(id, facts).await?;
                    self.cache
                        .replace_attachments(id, detail.attachments)
                        .await?;
                    online = true;
                }
                Err(CoreError::Network { .. }) => {}
                Err(e) => return Err(self.expire_on_unauthorized(e).await),
            }
        }
        let ticket = self
            .cache
            .ticket(id)
            .await?
            .ok_or_else(|| CoreError::NotFound(format!("no ticket #{id} on this computer")))?;
        let (messages, reopen_until) = self.cache.conversation(id).await?;
        let pending = self.cache.outbox_for_ticket(session.account(), id).await?;
        let queue = self.cache.queue_facts(id).await?;
        // Shown to the user: every answer in it is read now.
        self.cache.mark_seen(session.account(), id).await?;
        let attachments = self
            .cache
            .attachments(id)
            .await?
            .into_iter()
            .map(TicketAttachment::Sent)
            .chain(
                pending
                    .iter()
                    .flat_map(|item| item.files.iter().cloned().map(TicketAttachment::Pending)),
            )
            .collect();
        Ok(TicketView {
            ticket,
            messages,
            reopen_until,
            queue_position: queue.and_then(|q| q.position),
            first_response_due_at: queue.and_then(|q| q.first_response_due_at),
            queue_checked_at: queue.map(|q| q.checked_at),
            pending,
            attachments,
            online,
        })
    }

    /// The cached tickets the signed-in (or last signed-in) account has not
    /// read, by id: an answer of the provider came after it last opened the
    /// ticket ([`Core::ticket_view`]), or someone else filed it and it was
    /// never opened. Instant, offline.
    pub async fn unread_tickets(&self) -> Result<Vec<i64>> {
        match self.stored_session().await? {
            Some(session) => self.cache.unread(session.account()).await,
            None => Ok(Vec::new()),
        }
    }

    /// Adds the user's reply to a ticket, through the outbox like every write.
    pub async fn reply(&self, ticket_id: i64, body: String) -> Result<WriteOutcome> {
        self.reply_from_draft(ticket_id, body, false).await
    }

    /// Like [`Core::reply`]; with `from_draft` the ticket's reply draft is
    /// deleted in the transaction that queues the reply.
    pub async fn reply_from_draft(
        &self,
        ticket_id: i64,
        body: String,
        from_draft: bool,
    ) -> Result<WriteOutcome> {
        self.reply_with_files(ticket_id, body, from_draft, &[])
            .await
    }

    /// Like [`Core::reply_from_draft`], with files attached to the reply
    /// (checked and copied before it is queued, sent after its text).
    pub async fn reply_with_files(
        &self,
        ticket_id: i64,
        body: String,
        from_draft: bool,
        files: &[PathBuf],
    ) -> Result<WriteOutcome> {
        let message = NewMessage {
            body,
            internal: false,
        };
        message.validate().map_err(CoreError::Invalid)?;
        let draft = from_draft.then(|| cache::reply_draft_id(ticket_id));
        self.send_write(Write::Reply { ticket_id, message }, draft, files)
            .await
    }

    /// Reopens a closed ticket with new details, through the outbox.
    pub async fn reopen(&self, ticket_id: i64, details: String) -> Result<WriteOutcome> {
        let reopen = ReopenTicket { details };
        reopen.validate().map_err(CoreError::Invalid)?;
        self.send_write(Write::Reopen { ticket_id, reopen }, None, &[])
            .await
    }

    async fn send_write(
        &self,
        write: Write,
        draft_id: Option<String>,
        files: &[PathBuf],
    ) -> Result<WriteOutcome> {
        let (session, _, _) = self.signed_in().await?;
        let item = self
            .queue_with_files(session.account(), write, draft_id, files)
            .await?;
        let sent = match self.drain(true).await {
            Ok((_, sent)) => sent,
            Err(e) if e.code() == ErrorCode::SignedOut => Vec::new(),
            Err(e) => return Err(e),
        };
        if let Some((_, Delivered::Message { message, .. })) =
            sent.into_iter().find(|(id, _)| *id == item.local_id)
        {
            return Ok(WriteOutcome::Sent { message });
        }
        let item = self.cache.outbox_item(item.local_id).await?.unwrap_or(item);
        Ok(WriteOutcome::Queued {
            item: Box::new(item),
        })
    }

    /// The signed-in (or last signed-in) account's writes not yet accepted,
    /// oldest first: pending and failed.
    pub async fn outbox(&self) -> Result<Vec<OutboxItem>> {
        match self.stored_session().await? {
            Some(session) => self.cache.outbox(session.account()).await,
            None => Ok(Vec::new()),
        }
    }

    /// Saves an unsent form of the signed-in account (replacing the draft with
    /// its id); cheap enough for every pause in typing. Works offline.
    pub async fn save_draft(&self, input: DraftInput) -> Result<Draft> {
        let session = self
            .stored_session()
            .await?
            .ok_or(CoreError::SignedOut(NOT_SIGNED_IN))?;
        self.cache.save_draft(session.account(), input).await
    }

    /// The signed-in (or last signed-in) account's drafts, most recent first.
    pub async fn drafts(&self) -> Result<Vec<Draft>> {
        match self.stored_session().await? {
            Some(session) => self.cache.drafts(session.account()).await,
            None => Ok(Vec::new()),
        }
    }

    /// Drops a draft; dropping one that is gone already is fine.
    pub async fn discard_draft(&self, id: &str) -> Result<()> {
        if let Some(session) = self.stored_session().await? {
            self.cache
                .discard_draft(session.account(), id.to_owned())
                .await?;
        }
        Ok(())
    }

    /// Open cached tickets like the one being written (subject and
    /// description), at most three, best first. Instant, offline.
    pub async fn similar_open_tickets(
        &self,
        subject: &str,
        body: &str,
    ) -> Result<Vec<deskmate_api::SearchHit>> {
        self.cache.similar_open_tickets(subject, body).await
    }

    /// Puts a failed item back in line (with a corrected ticket, if given) and
    /// tries to send it.
    pub async fn retry_outbox_item(
        &self,
        local_id: i64,
        corrected: Option<NewTicket>,
    ) -> Result<DrainReport> {
        if let Some(ticket) = &corrected {
            ticket.validate().map_err(CoreError::Invalid)?;
            let item = self.cache.outbox_item(local_id).await?;
            if item.is_some_and(|i| i.kind == deskmate_api::OutboxKind::Attachments) {
                return Err(CoreError::Invalid(
                    "the helpdesk has this ticket already; only its files wait, retry them as they are"
                        .to_owned(),
                ));
            }
        }
        if !self.cache.retry_item(local_id, corrected).await? {
            return Err(CoreError::Invalid(format!("no unsent item {local_id}")));
        }
        self.drain_outbox(true).await
    }

    /// Drops an unsent item for good, with the copies of its files.
    pub async fn discard_outbox_item(&self, local_id: i64) -> Result<()> {
        let Some(copies) = self.cache.discard_item(local_id).await? else {
            return Err(CoreError::Invalid(format!("no unsent item {local_id}")));
        };
        let files = self.files.clone();
        tokio::task::spawn_blocking(move || {
            files.remove_outgoing(copies.iter().map(String::as_str))
        })
        .await?;
        Ok(())
    }

    pub(crate) async fn signed_in(&self) -> Result<(Session, Arc<dyn Backend>, Sensitive<String>)> {
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
        let client = (self.connect)(&session.server_url)?;
        Ok((session, client, token))
    }

    /// A 401 on an authenticated call means the token is dead: forget it.
    pub(crate) async fn expire_on_unauthorized(&self, error: CoreError) -> CoreError {
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
                tx.execute("DELETE FROM messages", [])?;
                tx.execute("DELETE FROM ticket_extras", [])?;
                tx.execute("DELETE FROM attachments", [])?;
                Cache::clear_notices(&tx)?;
                Cache::reset_sync_cursor(&tx)?;
                tx.commit()?;
                Ok(())
            })
            .await?;
        self.clear_downloads().await
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

    pub(crate) async fn stored_session(&self) -> Result<Option<Session>> {
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
