//! The helpdesk's storage on SQLite or PostgreSQL, chosen by the database URL.
//!
//! Both engines run the same SQL (numbered `$n` parameters, times as UTC epoch
//! milliseconds, lower-cased e-mail addresses), each with its own embedded
//! migrations; [`Db`] dispatches every operation to the engine's pool.

use std::str::FromStr;
use std::time::Duration;

use chrono::{DateTime, Utc};
use deskmate_api::{
    Announcement, Attachment, AuthorKind, Deletion, Department, ErrorCode, Message, NewTicket,
    OrderDelayRequest, OrganisationRef, Priority, RemoteSession, Rights, Role, SyncPage, Ticket,
    TicketDetails, TicketStatus,
};
use sqlx::postgres::{PgConnectOptions, PgPoolOptions};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{PgPool, SqlitePool};

use crate::error::{ApiError, ApiResult};
use crate::events::{Audience, Bus, CHANNEL, ChangeEvent, ChangeKind};
pub use crate::user::{Scope, User};

async fn relay(pool: &PgPool, bus: &Bus) -> Result<(), sqlx::Error> {
    let mut listener = sqlx::postgres::PgListener::connect_with(pool).await?;
    listener.listen(CHANNEL).await?;
    loop {
        let notification = listener.recv().await?;
        match serde_json::from_str::<ChangeEvent>(notification.payload()) {
            Ok(event) => bus.publish(event),
            Err(e) => tracing::warn!(error = %e, "unreadable change notification"),
        }
    }
}

static SQLITE_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");
static POSTGRES_MIGRATIONS: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/postgres");

/// Why the database could not be opened.
#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    #[error("unsupported database URL {0:?}: use sqlite://PATH or postgres://...")]
    UnsupportedUrl(String),
    #[error("cannot open the database: {0}")]
    Connect(#[from] sqlx::Error),
    #[error("cannot bring the database schema up to date: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
}

#[derive(Clone, Debug)]
enum Pool {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

/// A handle on the database; cheap to clone.
#[derive(Clone, Debug)]
pub struct Db {
    pool: Pool,
    bus: Bus,
    /// SQLite's one writer at a time, queued here (see [`Db::write_turn`]).
    writer: std::sync::Arc<tokio::sync::Mutex<()>>,
}

/// The answer to an idempotent write.
#[derive(Debug)]
pub enum Written<T> {
    /// Done now.
    Created(T),
    /// Done before under the same key: the first response, as stored.
    Replayed { status: u16, body: String },
}

/// A client's `Idempotency-Key` and a hash of what it asked for.
#[derive(Clone, Debug)]
pub struct Idempotency {
    pub key: String,
    pub request_hash: String,
}

/// A ticket with what only the server needs to know about it.
#[derive(Clone, Debug)]
pub struct StoredTicket {
    pub ticket: Ticket,
    pub closed_at: Option<DateTime<Utc>>,
    /// When an agent's first answer is due (`None` for tickets stored
    /// without one).
    pub first_response_due_at: Option<DateTime<Utc>>,
    /// When an agent first answered (not counting internal notes).
    pub first_responded_at: Option<DateTime<Utc>>,
}

impl StoredTicket {
    /// Whether the ticket waits in the queue for an agent's first answer.
    pub fn awaits_first_response(&self) -> bool {
        self.first_responded_at.is_none() && self.ticket.status != TicketStatus::Closed
    }
}

/// What a new message does to its ticket.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Transition {
    /// A customer answers: the ticket goes back to the provider (open);
    /// refused on a closed ticket, which must be reopened with new details.
    CustomerReply,
    /// An agent answers: the ticket waits for the customer (a closed one stays closed).
    AgentReply,
    /// An agent's internal note: no change the customer could notice.
    InternalNote,
    /// A customer reopens a closed ticket within the window after its closing.
    Reopen { window: chrono::Duration },
}

impl Transition {
    /// The status the ticket moves to (`None`: unchanged), or why not.
    fn decide(
        self,
        status: TicketStatus,
        closed_at: Option<DateTime<Utc>>,
        now: DateTime<Utc>,
    ) -> ApiResult<Option<TicketStatus>> {
        let closed = status == TicketStatus::Closed;
        match self {
            Self::CustomerReply if closed => Err(ApiError::new(
                ErrorCode::Conflict,
                "this ticket is closed: reopen it with the new details instead",
            )),
            Self::CustomerReply => Ok(Some(TicketStatus::Open)),
            Self::AgentReply if closed => Ok(None),
            Self::AgentReply => Ok(Some(TicketStatus::WaitingForCustomer)),
            Self::InternalNote => Ok(None),
            Self::Reopen { .. } if !closed => Err(ApiError::new(
                ErrorCode::Conflict,
                "only a closed ticket can be reopened: reply to it instead",
            )),
            Self::Reopen { window } => match closed_at {
                Some(at) if now <= at + window => Ok(Some(TicketStatus::Open)),
                _ => Err(ApiError::new(
                    ErrorCode::Conflict,
                    format!(
                        "this ticket was closed more than {} days ago: file a new ticket",
                        window.num_days()
                    ),
                )),
            },
        }
    }
}

// sqlx 0.9 takes SQL only as `&'static str`; shared parts are spliced in at
// compile time.
macro_rules! user_query {
    ($tail:literal) => {
        concat!(
            "SELECT u.id, u.email, u.name, u.role, u.password_hash, u.created_ms, ",
            "u.right_all_tickets, u.right_invoices, u.right_call_records, u.right_manage_users, ",
            "u.right_expedite, ",
            "o.id AS org_id, o.name AS org_name ",
            "FROM users u LEFT JOIN organisations o ON o.id = u.organisation_id ",
            $tail
        )
    };
}

const USER_BY_EMAIL: &str = user_query!("WHERE u.email = $1 AND u.deleted_ms IS NULL");
const USER_BY_SESSION: &str = user_query!(
    "JOIN sessions s ON s.user_id = u.id \
     WHERE s.token_hash = $1 AND s.expires_ms > $2 AND u.deleted_ms IS NULL"
);
macro_rules! ticket_query {
    ($tail:literal) => {
        ticket_query!("", $tail)
    };
    // `$columns`: more to select, each after a comma; the tail may come in parts.
    ($columns:literal, $($tail:expr),+) => {
        concat!(
            "SELECT t.id, t.organisation_id, t.requester_id, u.name AS requester_name, ",
            "t.department, t.priority, t.status, t.subject, t.body, t.created_ms, t.updated_ms, ",
            "t.closed_ms, t.change_seq, t.affected_service, t.reference, t.incident_started_ms, ",
            "t.incident_time_zone, t.error_message, t.steps, t.tried, ",
            "t.first_response_due_ms, t.first_responded_ms, t.expedited, t.expedited_ms, ",
            "t.availability",
            $columns,
            " FROM tickets t JOIN users u ON u.id = t.requester_id ",
            $($tail),+
        )
    };
}

const TICKET_IN_SCOPE: &str = ticket_query!(
    "WHERE ($1 = 'all' OR ($1 = 'org' AND t.organisation_id = $2) \
     OR ($1 = 'own' AND t.requester_id = $2)) AND t.id = $3"
);
const TICKET_BY_ID: &str = ticket_query!("WHERE t.id = $1");
const MESSAGES_OF: &str = "SELECT m.id, m.ticket_id, m.author_id, u.name AS author_name, \
     u.role AS author_role, m.body, m.internal, m.created_ms \
     FROM messages m JOIN users u ON u.id = m.author_id \
     WHERE m.ticket_id = $1 AND (NOT m.internal OR $2) ORDER BY m.id";
const SYNC_TICKETS: &str = ticket_query!(
    "WHERE ($1 = 'all' OR ($1 = 'org' AND t.organisation_id = $2) \
     OR ($1 = 'own' AND t.requester_id = $2)) AND t.change_seq > $3 AND t.change_seq <= $4 \
     ORDER BY t.change_seq LIMIT $5"
);
const SYNC_MESSAGES: &str = "SELECT m.id, m.ticket_id, m.author_id, u.name AS author_name, \
     u.role AS author_role, m.body, m.internal, m.created_ms, m.change_seq \
     FROM messages m JOIN users u ON u.id = m.author_id JOIN tickets t ON t.id = m.ticket_id \
     WHERE ($1 = 'all' OR ($1 = 'org' AND t.organisation_id = $2) \
     OR ($1 = 'own' AND t.requester_id = $2)) AND (NOT m.internal OR $3) \
     AND m.change_seq > $4 AND m.change_seq <= $5 ORDER BY m.change_seq LIMIT $6";

/// Takes the next change number. On PostgreSQL the counter row stays locked
/// until the transaction ends, so numbers follow commit order.
const NEXT_CHANGE: &str = "UPDATE change_counter SET seq = seq + 1 WHERE id = 1 RETURNING seq";
/// The last change number taken by a committed write: every change up to it
/// is committed, since numbers follow commit order.
const LAST_CHANGE: &str = "SELECT seq FROM change_counter WHERE id = 1";
const STAMP_TICKET: &str = "UPDATE tickets SET change_seq = $1 WHERE id = $2";
const STAMP_MESSAGE: &str = "UPDATE messages SET change_seq = $1 WHERE id = $2";

const SET_STATUS: &str = "UPDATE tickets SET status = $1, updated_ms = $2, \
     closed_ms = CASE WHEN $1 = 'closed' THEN $2 ELSE NULL END WHERE id = $3";

const CLAIM_KEY: &str = "INSERT INTO idempotency_keys (user_id, key, request_hash, status, \
     response, created_ms) VALUES ($1, $2, $3, 0, '', $4) ON CONFLICT (user_id, key) DO NOTHING";
const SEEN_KEY: &str = "SELECT request_hash, status, response FROM idempotency_keys \
     WHERE user_id = $1 AND key = $2";
const KEEP_RESPONSE: &str = "UPDATE idempotency_keys SET status = $1, response = $2 \
     WHERE user_id = $3 AND key = $4";

impl Db {
    /// Opens (creating a SQLite file if missing) and migrates the database at
    /// `url`: `sqlite://PATH` or `postgres://...`.
    pub async fn open(url: &str) -> Result<Self, OpenError> {
        let pool = if let Some(path) = url
            .strip_prefix("sqlite://")
            .or_else(|| url.strip_prefix("sqlite:"))
        {
            if path.is_empty() {
                return Err(OpenError::UnsupportedUrl(url.to_owned()));
            }
            let options = SqliteConnectOptions::from_str(&format!("sqlite://{path}"))?
                .create_if_missing(true)
                .journal_mode(SqliteJournalMode::Wal)
                .synchronous(SqliteSynchronous::Normal)
                .foreign_keys(true)
                .busy_timeout(Duration::from_secs(10));
            let pool = SqlitePoolOptions::new()
                .max_connections(8)
                .connect_with(options)
                .await?;
            SQLITE_MIGRATIONS.run(&pool).await?;
            Pool::Sqlite(pool)
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            let options = PgConnectOptions::from_str(url)?;
            let pool = PgPoolOptions::new()
                .max_connections(16)
                .acquire_timeout(Duration::from_secs(10))
                .connect_with(options)
                .await?;
            POSTGRES_MIGRATIONS.run(&pool).await?;
            Pool::Postgres(pool)
        } else {
            return Err(OpenError::UnsupportedUrl(url.to_owned()));
        };
        Ok(Self {
            pool,
            bus: Bus::default(),
            writer: std::sync::Arc::default(),
        })
    }

    /// SQLite lets one transaction write at a time and makes the others sleep
    /// and retry; under load that busy-waiting is what makes slow requests
    /// slow. Queuing writers here, first come first served, is cheaper and
    /// fairer. PostgreSQL needs no queue.
    async fn write_turn(&self) -> Option<tokio::sync::MutexGuard<'_, ()>> {
        match self.pool {
            Pool::Sqlite(_) => Some(self.writer.lock().await),
            Pool::Postgres(_) => None,
        }
    }

    /// Where committed changes are announced (see [`crate::events`]).
    pub fn bus(&self) -> &Bus {
        &self.bus
    }

    fn is_postgres(&self) -> bool {
        matches!(self.pool, Pool::Postgres(_))
    }

    /// On PostgreSQL: relays every instance's `NOTIFY` to this process's bus
    /// until aborted. On SQLite there is nothing to relay.
    pub fn relay_notifications(&self) -> Option<tokio::task::JoinHandle<()>> {
        let Pool::Postgres(pool) = &self.pool else {
            return None;
        };
        let pool = pool.clone();
        let bus = self.bus.clone();
        Some(tokio::spawn(async move {
            loop {
                match relay(&pool, &bus).await {
                    Ok(()) => return,
                    Err(e) => {
                        tracing::warn!(error = %e, "change notifications interrupted; reconnecting");
                        // Whatever was missed: every listener resyncs.
                        bus.publish(ChangeEvent::resync_all());
                        tokio::time::sleep(Duration::from_secs(1)).await;
                    }
                }
            }
        }))
    }

    /// After a commit: on SQLite the announcements go to this process's bus
    /// (on PostgreSQL the transaction's NOTIFY did it, for every instance).
    fn announce_committed(&self, events: Vec<ChangeEvent>) {
        if !self.is_postgres() {
            for event in events {
                self.bus.publish(event);
            }
        }
    }

    /// `sqlite` or `postgres`.
    pub fn engine(&self) -> &'static str {
        match self.pool {
            Pool::Sqlite(_) => "sqlite",
            Pool::Postgres(_) => "postgres",
        }
    }

    pub async fn close(&self) {
        match &self.pool {
            Pool::Sqlite(pool) => pool.close().await,
            Pool::Postgres(pool) => pool.close().await,
        }
    }
}

/// Whether `viewer` is an agent, and their organisation: the parameters of
/// the organisation-wide visibility checks.
fn org_params(viewer: &User) -> (bool, Option<i64>) {
    (
        viewer.role == Role::Agent,
        viewer.organisation.as_ref().map(|o| o.id),
    )
}

const ORGANISATION_EXISTS: &str = "SELECT COUNT(*) AS n FROM organisations WHERE id = $1";

fn scope_params(scope: Scope) -> (&'static str, i64) {
    match scope {
        Scope::All => ("all", 0),
        Scope::Organisation(id) => ("org", id),
        Scope::Own(id) => ("own", id),
    }
}

/// The stored answer to a repeated idempotency key, or a conflict when the key
/// was first used for a different request.
fn replay<T>(seen: &impl Columns, request_hash: &str) -> ApiResult<Written<T>> {
    if seen.text("request_hash")? != request_hash {
        return Err(ApiError::new(
            ErrorCode::Conflict,
            "this Idempotency-Key was already used for a different request",
        ));
    }
    let status = seen.int("status")?;
    Ok(Written::Replayed {
        status: u16::try_from(status)
            .ok()
            .filter(|s| *s >= 200)
            .ok_or_else(|| ApiError::internal(format_args!("stored status {status}")))?,
        body: seen.text("response")?,
    })
}

fn unique_as_conflict(e: sqlx::Error, message: &str) -> ApiError {
    match &e {
        sqlx::Error::Database(db) if db.is_unique_violation() => {
            ApiError::new(ErrorCode::Conflict, message)
        }
        _ => e.into(),
    }
}

mod rows;
use rows::*;
mod sql;
use sql::{Arg, Row, Tx, sql};
mod write;

// Declared after the query macros above, which are in scope there.
mod accounts;
pub use accounts::NewAccount;
mod account_requests;
pub use account_requests::Deciders;
mod announcements;
mod attachments;
pub use attachments::{AttachmentContent, NewAttachment};
mod availability;
mod billing;
mod expedite;
pub use expedite::{ExpediteOffer, expedite_refusal};
mod mail;
pub(crate) use mail::queue_mail;
pub use mail::{Delivery, QueuedMail};
mod notification_addresses;
mod order_delays;
mod password_reset;
pub use password_reset::OutgoingMail;
pub(crate) use password_reset::issue_reset_token;
mod people;
mod queue;
mod ready_now;
mod remote_sessions;
pub use remote_sessions::SessionStep;
mod services;
mod sync;
mod ticket_list;
mod tickets;
