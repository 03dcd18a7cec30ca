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
use sqlx::postgres::{PgConnectOptions, PgPoolOptions, PgRow};
use sqlx::sqlite::{
    SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteRow, SqliteSynchronous,
};
use sqlx::{PgPool, Row, SqlitePool};

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

/// Runs the same body against whichever pool the database has; the body sees
/// the engine's pool as `$pool`.
macro_rules! on_pool {
    ($db:expr, |$pool:ident| $body:expr) => {
        match &$db.pool {
            Pool::Sqlite($pool) => $body,
            Pool::Postgres($pool) => $body,
        }
    };
}

/// Column access shared by both engines' rows.
trait Columns {
    fn int(&self, column: &str) -> ApiResult<i64>;
    fn opt_int(&self, column: &str) -> ApiResult<Option<i64>>;
    fn text(&self, column: &str) -> ApiResult<String>;
    fn opt_text(&self, column: &str) -> ApiResult<Option<String>>;
    fn flag(&self, column: &str) -> ApiResult<bool>;
}

macro_rules! columns_for {
    ($row:ty) => {
        impl Columns for $row {
            fn int(&self, column: &str) -> ApiResult<i64> {
                Ok(self.try_get(column)?)
            }
            fn opt_int(&self, column: &str) -> ApiResult<Option<i64>> {
                Ok(self.try_get(column)?)
            }
            fn text(&self, column: &str) -> ApiResult<String> {
                Ok(self.try_get(column)?)
            }
            fn opt_text(&self, column: &str) -> ApiResult<Option<String>> {
                Ok(self.try_get(column)?)
            }
            fn flag(&self, column: &str) -> ApiResult<bool> {
                Ok(self.try_get(column)?)
            }
        }
    };
}
columns_for!(SqliteRow);
columns_for!(PgRow);

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

/// A time as stored: UTC milliseconds since the epoch.
pub fn millis(t: DateTime<Utc>) -> i64 {
    t.timestamp_millis()
}

fn from_millis(ms: i64) -> ApiResult<DateTime<Utc>> {
    DateTime::from_timestamp_millis(ms)
        .ok_or_else(|| ApiError::internal(format_args!("stored time {ms} out of range")))
}

fn stored<T>(what: &str, value: &str, parsed: Option<T>) -> ApiResult<T> {
    parsed.ok_or_else(|| ApiError::internal(format_args!("stored {what} {value:?}")))
}

fn user_from_row(row: &impl Columns) -> ApiResult<User> {
    let role = row.text("role")?;
    Ok(User {
        id: row.int("id")?,
        email: row.text("email")?,
        name: row.text("name")?,
        role: stored("role", &role, Role::parse(&role))?,
        organisation: row
            .opt_int("org_id")?
            .zip(row.opt_text("org_name")?)
            .map(|(id, name)| OrganisationRef { id, name }),
        stored_rights: rights_from_row(row)?,
        password_hash: row.text("password_hash")?,
        created_at: from_millis(row.int("created_ms")?)?,
    })
}

fn rights_from_row(row: &impl Columns) -> ApiResult<Rights> {
    Ok(Rights {
        all_tickets: row.flag("right_all_tickets")?,
        invoices: row.flag("right_invoices")?,
        call_records: row.flag("right_call_records")?,
        manage_users: row.flag("right_manage_users")?,
    })
}

fn stored_ticket_from_row(row: &impl Columns) -> ApiResult<StoredTicket> {
    Ok(StoredTicket {
        ticket: ticket_from_row(row)?,
        closed_at: row.opt_int("closed_ms")?.map(from_millis).transpose()?,
        first_response_due_at: row
            .opt_int("first_response_due_ms")?
            .map(from_millis)
            .transpose()?,
        first_responded_at: row
            .opt_int("first_responded_ms")?
            .map(from_millis)
            .transpose()?,
    })
}

fn message_from_row(row: &impl Columns) -> ApiResult<Message> {
    let role = row.text("author_role")?;
    Ok(Message {
        id: row.int("id")?,
        ticket_id: row.int("ticket_id")?,
        author_id: row.int("author_id")?,
        author_name: row.text("author_name")?,
        author_kind: author_kind(stored("role", &role, Role::parse(&role))?),
        body: row.text("body")?,
        internal: row.flag("internal")?,
        created_at: from_millis(row.int("created_ms")?)?,
    })
}

fn author_kind(role: Role) -> AuthorKind {
    match role {
        Role::Agent => AuthorKind::Agent,
        Role::CustomerUser | Role::CustomerAdmin => AuthorKind::Customer,
    }
}

fn ticket_from_row(row: &impl Columns) -> ApiResult<Ticket> {
    let department = row.text("department")?;
    let priority = row.text("priority")?;
    let status = row.text("status")?;
    Ok(Ticket {
        id: row.int("id")?,
        organisation_id: row.int("organisation_id")?,
        requester_id: row.int("requester_id")?,
        requester_name: row.text("requester_name")?,
        department: stored("department", &department, Department::parse(&department))?,
        priority: stored("priority", &priority, Priority::parse(&priority))?,
        status: stored("status", &status, TicketStatus::parse(&status))?,
        subject: row.text("subject")?,
        body: row.text("body")?,
        details: TicketDetails {
            affected_service: row.opt_text("affected_service")?,
            reference: row.opt_text("reference")?,
            incident_started_at: row
                .opt_int("incident_started_ms")?
                .map(from_millis)
                .transpose()?,
            incident_time_zone: row.opt_text("incident_time_zone")?,
            error_message: row.opt_text("error_message")?,
            steps: row.opt_text("steps")?,
            tried: row.opt_text("tried")?,
        },
        created_at: from_millis(row.int("created_ms")?)?,
        updated_at: from_millis(row.int("updated_ms")?)?,
        expedited: row.flag("expedited")?,
        expedited_at: row.opt_int("expedited_ms")?.map(from_millis).transpose()?,
        availability: row
            .opt_text("availability")?
            .map(|json| serde_json::from_str(&json))
            .transpose()
            .map_err(ApiError::internal)?,
    })
}

// sqlx 0.9 takes SQL only as `&'static str`; shared parts are spliced in at
// compile time.
macro_rules! user_query {
    ($tail:literal) => {
        concat!(
            "SELECT u.id, u.email, u.name, u.role, u.password_hash, u.created_ms, ",
            "u.right_all_tickets, u.right_invoices, u.right_call_records, u.right_manage_users, ",
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

/// Inside transaction `$tx`: stamps row `$id` via `$stamp` with the next
/// change number, so delta sync hands it out again.
macro_rules! stamp_change {
    ($tx:ident, $stamp:expr, $id:expr) => {{
        let seq = sqlx::query(NEXT_CHANGE)
            .fetch_one(&mut *$tx)
            .await?
            .int("seq")?;
        sqlx::query($stamp)
            .bind(seq)
            .bind($id)
            .execute(&mut *$tx)
            .await?;
        seq
    }};
}

/// Inside transaction `$tx`, just before commit: on PostgreSQL, NOTIFY every
/// instance of the changes (delivered only if the transaction commits).
macro_rules! notify_in_tx {
    ($db:expr, $tx:ident, $events:expr) => {
        if $db.is_postgres() {
            for event in &$events {
                let payload = serde_json::to_string(event).map_err(ApiError::internal)?;
                sqlx::query("SELECT pg_notify($1, $2)")
                    .bind(CHANNEL)
                    .bind(payload)
                    .execute(&mut *$tx)
                    .await?;
            }
        }
    };
}

const SET_STATUS: &str = "UPDATE tickets SET status = $1, updated_ms = $2, \
     closed_ms = CASE WHEN $1 = 'closed' THEN $2 ELSE NULL END WHERE id = $3";

const CLAIM_KEY: &str = "INSERT INTO idempotency_keys (user_id, key, request_hash, status, \
     response, created_ms) VALUES ($1, $2, $3, 0, '', $4) ON CONFLICT (user_id, key) DO NOTHING";
const SEEN_KEY: &str = "SELECT request_hash, status, response FROM idempotency_keys \
     WHERE user_id = $1 AND key = $2";
const KEEP_RESPONSE: &str = "UPDATE idempotency_keys SET status = $1, response = $2 \
     WHERE user_id = $3 AND key = $4";

/// Inside transaction `$tx`: claims the idempotency key, or rolls back and
/// returns the first answer from the enclosing function. Claiming first makes
/// a concurrent repeat wait for this transaction, then find the key taken.
macro_rules! claim_or_replay {
    ($tx:ident, $user_id:expr, $idempotency:expr) => {
        if let Some(idempotency) = $idempotency {
            let claimed = sqlx::query(CLAIM_KEY)
                .bind($user_id)
                .bind(idempotency.key.clone())
                .bind(idempotency.request_hash.clone())
                .bind(millis(Utc::now()))
                .execute(&mut *$tx)
                .await?
                .rows_affected();
            if claimed == 0 {
                let seen = sqlx::query(SEEN_KEY)
                    .bind($user_id)
                    .bind(idempotency.key.clone())
                    .fetch_one(&mut *$tx)
                    .await?;
                $tx.rollback().await?;
                return replay(&seen, &idempotency.request_hash);
            }
        }
    };
}

/// Inside transaction `$tx`: reads ticket `$ticket_id` with `$from_row`, or
/// rolls back and returns 404 from the enclosing function.
macro_rules! ticket_or_not_found {
    ($tx:ident, $ticket_id:expr, $from_row:path) => {{
        let row = sqlx::query(TICKET_BY_ID)
            .bind($ticket_id)
            .fetch_optional(&mut *$tx)
            .await?;
        match row.as_ref().map($from_row).transpose()? {
            Some(ticket) => ticket,
            None => {
                $tx.rollback().await?;
                return Err(ApiError::not_found(format!("no ticket #{}", $ticket_id)));
            }
        }
    }};
}

/// Inside transaction `$tx`: stores the answer under the claimed key.
macro_rules! keep_response {
    ($tx:ident, $user_id:expr, $idempotency:expr, $status:expr, $value:expr) => {
        if let Some(idempotency) = $idempotency {
            let body = serde_json::to_string($value).map_err(ApiError::internal)?;
            sqlx::query(KEEP_RESPONSE)
                .bind(i64::from($status))
                .bind(body)
                .bind($user_id)
                .bind(idempotency.key.clone())
                .execute(&mut *$tx)
                .await?;
        }
    };
}

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
        on_pool!(self, |pool| pool.close().await)
    }

    // ---- organisations and people -------------------------------------------------

    pub async fn create_organisation(&self, name: &str) -> ApiResult<i64> {
        const SQL: &str =
            "INSERT INTO organisations (name, created_ms) VALUES ($1, $2) RETURNING id";
        let now = millis(Utc::now());
        let _turn = self.write_turn().await;
        on_pool!(self, |pool| {
            let row = sqlx::query(SQL)
                .bind(name.to_owned())
                .bind(now)
                .fetch_one(pool)
                .await
                .map_err(|e| unique_as_conflict(e, "an organisation with this name exists"))?;
            row.int("id")
        })
    }

    pub async fn create_user(
        &self,
        organisation_id: Option<i64>,
        email: &str,
        name: &str,
        role: Role,
        password_hash: &str,
        rights: Rights,
    ) -> ApiResult<i64> {
        const SQL: &str = "INSERT INTO users (organisation_id, email, name, role, password_hash, \
             right_all_tickets, right_invoices, right_call_records, right_manage_users, \
             created_ms) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) RETURNING id";
        // Customer admins have every right; agents none of a customer's.
        let rights = match role {
            Role::CustomerAdmin => Rights::ALL,
            Role::CustomerUser => rights,
            Role::Agent => Rights::default(),
        };
        let now = millis(Utc::now());
        let _turn = self.write_turn().await;
        on_pool!(self, |pool| {
            let row = sqlx::query(SQL)
                .bind(organisation_id)
                .bind(email.trim().to_lowercase())
                .bind(name.to_owned())
                .bind(role.as_str())
                .bind(password_hash.to_owned())
                .bind(rights.all_tickets)
                .bind(rights.invoices)
                .bind(rights.call_records)
                .bind(rights.manage_users)
                .bind(now)
                .fetch_one(pool)
                .await
                .map_err(|e| unique_as_conflict(e, "a user with this e-mail address exists"))?;
            row.int("id")
        })
    }

    /// An organisation's name, if it exists.
    pub async fn organisation_name(&self, id: i64) -> ApiResult<Option<String>> {
        on_pool!(self, |pool| {
            let row = sqlx::query("SELECT name FROM organisations WHERE id = $1")
                .bind(id)
                .fetch_optional(pool)
                .await?;
            row.as_ref().map(|r| r.text("name")).transpose()
        })
    }

    pub async fn user_by_email(&self, email: &str) -> ApiResult<Option<User>> {
        let email = email.trim().to_lowercase();
        on_pool!(self, |pool| {
            let row = sqlx::query(USER_BY_EMAIL)
                .bind(email)
                .fetch_optional(pool)
                .await?;
            row.as_ref().map(user_from_row).transpose()
        })
    }

    /// Failed sign-ins for an address since `since` (all instances see them).
    pub async fn login_failures_since(&self, email: &str, since: DateTime<Utc>) -> ApiResult<i64> {
        let email = email.trim().to_lowercase();
        on_pool!(self, |pool| {
            let row = sqlx::query(
                "SELECT COUNT(*) AS n FROM login_failures WHERE email = $1 AND at_ms > $2",
            )
            .bind(email)
            .bind(millis(since))
            .fetch_one(pool)
            .await?;
            row.int("n")
        })
    }

    /// Records a failed sign-in and forgets those older than `keep_since`.
    pub async fn record_login_failure(
        &self,
        email: &str,
        keep_since: DateTime<Utc>,
    ) -> ApiResult<()> {
        let email = email.trim().to_lowercase();
        let now = millis(Utc::now());
        let _turn = self.write_turn().await;
        on_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            sqlx::query("DELETE FROM login_failures WHERE email = $1 AND at_ms <= $2")
                .bind(email.clone())
                .bind(millis(keep_since))
                .execute(&mut *tx)
                .await?;
            sqlx::query("INSERT INTO login_failures (email, at_ms) VALUES ($1, $2)")
                .bind(email)
                .bind(now)
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
            Ok(())
        })
    }

    /// Forgets an address's failed sign-ins (after a successful one).
    pub async fn clear_login_failures(&self, email: &str) -> ApiResult<()> {
        let email = email.trim().to_lowercase();
        let _turn = self.write_turn().await;
        on_pool!(self, |pool| {
            sqlx::query("DELETE FROM login_failures WHERE email = $1")
                .bind(email)
                .execute(pool)
                .await?;
            Ok(())
        })
    }

    // ---- sessions -----------------------------------------------------------------

    pub async fn create_session(
        &self,
        token_hash: &str,
        user_id: i64,
        expires_at: DateTime<Utc>,
    ) -> ApiResult<()> {
        const SQL: &str = "INSERT INTO sessions (token_hash, user_id, created_ms, expires_ms) \
             VALUES ($1, $2, $3, $4)";
        let now = millis(Utc::now());
        let _turn = self.write_turn().await;
        on_pool!(self, |pool| {
            sqlx::query(SQL)
                .bind(token_hash.to_owned())
                .bind(user_id)
                .bind(now)
                .bind(millis(expires_at))
                .execute(pool)
                .await?;
            Ok(())
        })
    }

    /// The user holding an unexpired session with this token hash.
    pub async fn user_by_session(&self, token_hash: &str) -> ApiResult<Option<User>> {
        let now = millis(Utc::now());
        on_pool!(self, |pool| {
            let row = sqlx::query(USER_BY_SESSION)
                .bind(token_hash.to_owned())
                .bind(now)
                .fetch_optional(pool)
                .await?;
            row.as_ref().map(user_from_row).transpose()
        })
    }

    pub async fn delete_session(&self, token_hash: &str) -> ApiResult<()> {
        let _turn = self.write_turn().await;
        on_pool!(self, |pool| {
            sqlx::query("DELETE FROM sessions WHERE token_hash = $1")
                .bind(token_hash.to_owned())
                .execute(pool)
                .await?;
            Ok(())
        })
    }

    /// Ends every session of a user at once (tests use it to age sessions).
    pub async fn expire_sessions_of(&self, user_id: i64) -> ApiResult<()> {
        let _turn = self.write_turn().await;
        on_pool!(self, |pool| {
            sqlx::query("UPDATE sessions SET expires_ms = $1 WHERE user_id = $2")
                .bind(millis(Utc::now()) - 1)
                .bind(user_id)
                .execute(pool)
                .await?;
            Ok(())
        })
    }

    /// Sets a user's password hash and ends every session of theirs but the
    /// one with `keep_token_hash`, in one transaction.
    pub async fn change_password(
        &self,
        user_id: i64,
        password_hash: &str,
        keep_token_hash: &str,
    ) -> ApiResult<u64> {
        let _turn = self.write_turn().await;
        on_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            sqlx::query("UPDATE users SET password_hash = $1 WHERE id = $2")
                .bind(password_hash.to_owned())
                .bind(user_id)
                .execute(&mut *tx)
                .await?;
            let ended = sqlx::query("DELETE FROM sessions WHERE user_id = $1 AND token_hash <> $2")
                .bind(user_id)
                .bind(keep_token_hash.to_owned())
                .execute(&mut *tx)
                .await?
                .rows_affected();
            tx.commit().await?;
            Ok(ended)
        })
    }

    /// Swaps a session for a new one of the same user in one transaction;
    /// `false` (and nothing changed) when the old one had already ended, e.g.
    /// by a concurrent refresh.
    pub async fn replace_session(
        &self,
        old_token_hash: &str,
        new_token_hash: &str,
        user_id: i64,
        expires_at: DateTime<Utc>,
    ) -> ApiResult<bool> {
        const INSERT: &str = "INSERT INTO sessions (token_hash, user_id, created_ms, expires_ms) \
             VALUES ($1, $2, $3, $4)";
        let now = millis(Utc::now());
        let _turn = self.write_turn().await;
        on_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            let ended = sqlx::query(
                "DELETE FROM sessions WHERE token_hash = $1 AND user_id = $2 AND expires_ms > $3",
            )
            .bind(old_token_hash.to_owned())
            .bind(user_id)
            .bind(now)
            .execute(&mut *tx)
            .await?
            .rows_affected();
            if ended == 0 {
                tx.rollback().await?;
                return Ok(false);
            }
            sqlx::query(INSERT)
                .bind(new_token_hash.to_owned())
                .bind(user_id)
                .bind(now)
                .bind(millis(expires_at))
                .execute(&mut *tx)
                .await?;
            tx.commit().await?;
            Ok(true)
        })
    }

    /// Drops sessions that expired; called now and then, not on the request path.
    pub async fn purge_expired_sessions(&self) -> ApiResult<u64> {
        let now = millis(Utc::now());
        let _turn = self.write_turn().await;
        on_pool!(self, |pool| {
            let done = sqlx::query("DELETE FROM sessions WHERE expires_ms <= $1")
                .bind(now)
                .execute(pool)
                .await?;
            Ok(done.rows_affected())
        })
    }

    // ---- tickets ------------------------------------------------------------------

    /// What `viewer` may see that changed after `cursor`: at most `limit`
    /// changes of every kind together, oldest change first.
    pub async fn changes_since(
        &self,
        viewer: &User,
        cursor: i64,
        limit: i64,
    ) -> ApiResult<SyncPage> {
        let (kind, id) = scope_params(viewer.ticket_scope());
        let with_internal = viewer.role == Role::Agent;
        // One more than asked says whether more wait.
        let fetch = limit + 1;
        let (high, mut changes) = on_pool!(self, |pool| {
            // Only what is committed: a change numbered below one that is
            // handed out now must not show up later, behind the cursor.
            let high = sqlx::query(LAST_CHANGE).fetch_one(pool).await?.int("seq")?;
            let mut changes = Vec::new();
            for r in sqlx::query(SYNC_TICKETS)
                .bind(kind)
                .bind(id)
                .bind(cursor)
                .bind(high)
                .bind(fetch)
                .fetch_all(pool)
                .await?
                .iter()
            {
                changes.push((
                    r.int("change_seq")?,
                    Change::Ticket(Box::new(ticket_from_row(r)?)),
                ));
            }
            for r in sqlx::query(SYNC_MESSAGES)
                .bind(kind)
                .bind(id)
                .bind(with_internal)
                .bind(cursor)
                .bind(high)
                .bind(fetch)
                .fetch_all(pool)
                .await?
                .iter()
            {
                changes.push((r.int("change_seq")?, Change::Message(message_from_row(r)?)));
            }
            Ok::<_, ApiError>((high, changes))
        })?;
        changes.extend(
            self.attachments_changed((kind, id), with_internal, (cursor, high), fetch)
                .await?
                .into_iter()
                .map(|(seq, a)| (seq, Change::Attachment(a))),
        );
        changes.extend(self.notice_changes(viewer, cursor, high, fetch).await?);
        Ok(merge_changes(changes, cursor, limit))
    }

    /// One ticket, if the scope allows seeing it (else `None`, as if unknown).
    pub async fn ticket(&self, scope: Scope, id: i64) -> ApiResult<Option<StoredTicket>> {
        let (kind, viewer) = scope_params(scope);
        on_pool!(self, |pool| {
            let row = sqlx::query(TICKET_IN_SCOPE)
                .bind(kind)
                .bind(viewer)
                .bind(id)
                .fetch_optional(pool)
                .await?;
            row.as_ref().map(stored_ticket_from_row).transpose()
        })
    }

    /// A ticket's conversation, oldest first; internal notes only when asked.
    pub async fn messages(&self, ticket_id: i64, with_internal: bool) -> ApiResult<Vec<Message>> {
        on_pool!(self, |pool| {
            let rows = sqlx::query(MESSAGES_OF)
                .bind(ticket_id)
                .bind(with_internal)
                .fetch_all(pool)
                .await?;
            rows.iter().map(message_from_row).collect()
        })
    }

    /// Adds a message to a ticket the author may see, moving the ticket as
    /// `transition` says, all in one transaction.
    pub async fn add_message(
        &self,
        ticket_id: i64,
        author: &User,
        body: &str,
        transition: Transition,
        idempotency: Option<&Idempotency>,
        now: DateTime<Utc>,
    ) -> ApiResult<Written<Message>> {
        const INSERT: &str = "INSERT INTO messages (ticket_id, author_id, body, internal, \
             created_ms) VALUES ($1, $2, $3, $4, $5) RETURNING id";
        const TOUCH: &str = "UPDATE tickets SET updated_ms = $1 WHERE id = $2";
        const FIRST_RESPONSE: &str = "UPDATE tickets SET first_responded_ms = \
             COALESCE(first_responded_ms, $1) WHERE id = $2";
        let internal = transition == Transition::InternalNote;
        let _turn = self.write_turn().await;
        on_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            claim_or_replay!(tx, author.id, idempotency);
            let current = ticket_or_not_found!(tx, ticket_id, stored_ticket_from_row);
            let next = match transition.decide(current.ticket.status, current.closed_at, now) {
                Ok(next) => next,
                Err(e) => {
                    tx.rollback().await?;
                    return Err(e);
                }
            };
            let row = sqlx::query(INSERT)
                .bind(ticket_id)
                .bind(author.id)
                .bind(body.to_owned())
                .bind(internal)
                .bind(millis(now))
                .fetch_one(&mut *tx)
                .await?;
            if transition == Transition::AgentReply {
                sqlx::query(FIRST_RESPONSE)
                    .bind(millis(now))
                    .bind(ticket_id)
                    .execute(&mut *tx)
                    .await?;
            }
            if let Some(status) = next {
                sqlx::query(SET_STATUS)
                    .bind(status.as_str())
                    .bind(millis(now))
                    .bind(ticket_id)
                    .execute(&mut *tx)
                    .await?;
            } else if !internal {
                sqlx::query(TOUCH)
                    .bind(millis(now))
                    .bind(ticket_id)
                    .execute(&mut *tx)
                    .await?;
            }
            let mut events = Vec::new();
            if !internal {
                let seq = stamp_change!(tx, STAMP_TICKET, ticket_id);
                events.push(ChangeEvent::of_ticket(seq, &current.ticket));
            }
            let message_id = row.int("id")?;
            events.push(ChangeEvent {
                seq: stamp_change!(tx, STAMP_MESSAGE, message_id),
                kind: ChangeKind::Message,
                id: message_id,
                ticket_id: Some(ticket_id),
                audience: Audience::Ticket {
                    organisation_id: current.ticket.organisation_id,
                    requester_id: current.ticket.requester_id,
                    internal,
                },
            });
            let message = Message {
                id: message_id,
                ticket_id,
                author_id: author.id,
                author_name: author.name.clone(),
                author_kind: author_kind(author.role),
                body: body.to_owned(),
                internal,
                created_at: from_millis(millis(now))?,
            };
            keep_response!(tx, author.id, idempotency, 201u16, &message);
            notify_in_tx!(self, tx, events);
            tx.commit().await?;
            self.announce_committed(events);
            Ok(Written::Created(message))
        })
    }

    /// Sets a ticket's status (agents), remembering when it was closed.
    pub async fn update_status(
        &self,
        ticket_id: i64,
        by: &User,
        status: TicketStatus,
        idempotency: Option<&Idempotency>,
    ) -> ApiResult<Written<Ticket>> {
        let now = millis(Utc::now());
        let _turn = self.write_turn().await;
        on_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            claim_or_replay!(tx, by.id, idempotency);
            let changed = sqlx::query(SET_STATUS)
                .bind(status.as_str())
                .bind(now)
                .bind(ticket_id)
                .execute(&mut *tx)
                .await?
                .rows_affected();
            if changed == 0 {
                tx.rollback().await?;
                return Err(ApiError::not_found(format!("no ticket #{ticket_id}")));
            }
            let seq = stamp_change!(tx, STAMP_TICKET, ticket_id);
            let row = sqlx::query(TICKET_BY_ID)
                .bind(ticket_id)
                .fetch_one(&mut *tx)
                .await?;
            let ticket = ticket_from_row(&row)?;
            keep_response!(tx, by.id, idempotency, 200u16, &ticket);
            let events = vec![ChangeEvent::of_ticket(seq, &ticket)];
            notify_in_tx!(self, tx, events);
            tx.commit().await?;
            self.announce_committed(events);
            Ok(Written::Created(ticket))
        })
    }

    /// Files a ticket for `requester`. With an idempotency key, a repeat of
    /// the same request returns the first response and files nothing.
    /// `first_response_within` is how long agents have for their first
    /// answer (by the ticket's priority; see [`crate::Config`]).
    pub async fn create_ticket(
        &self,
        requester: &User,
        ticket: &NewTicket,
        idempotency: Option<&Idempotency>,
        created_at: DateTime<Utc>,
        first_response_within: chrono::Duration,
    ) -> ApiResult<Written<Ticket>> {
        const INSERT: &str = "INSERT INTO tickets (organisation_id, requester_id, department, \
             priority, status, subject, body, created_ms, updated_ms, affected_service, \
             reference, incident_started_ms, incident_time_zone, error_message, steps, tried, \
             first_response_due_ms, availability) \
             VALUES ($1, $2, $3, $4, 'open', $5, $6, $7, $7, $8, $9, $10, $11, $12, $13, $14, \
             $15, $16) RETURNING id";

        let organisation_id = requester
            .organisation
            .as_ref()
            .map(|o| o.id)
            .ok_or_else(|| ApiError::forbidden("only customers file tickets"))?;
        let at = millis(created_at);
        let subject = ticket.subject.trim().to_owned();
        let details = ticket.details.clone().normalized();
        let availability = ticket.availability.clone().map(|a| a.normalized());
        let availability_json = availability::availability_column(availability.as_ref())?;
        let _turn = self.write_turn().await;
        on_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            claim_or_replay!(tx, requester.id, idempotency);
            let row = sqlx::query(INSERT)
                .bind(organisation_id)
                .bind(requester.id)
                .bind(ticket.department.as_str())
                .bind(ticket.priority.as_str())
                .bind(subject.clone())
                .bind(ticket.body.clone())
                .bind(at)
                .bind(details.affected_service.clone())
                .bind(details.reference.clone())
                .bind(details.incident_started_at.map(millis))
                .bind(details.incident_time_zone.clone())
                .bind(details.error_message.clone())
                .bind(details.steps.clone())
                .bind(details.tried.clone())
                .bind(at + first_response_within.num_milliseconds())
                .bind(availability_json.clone())
                .fetch_one(&mut *tx)
                .await?;
            let id = row.int("id")?;
            let seq = stamp_change!(tx, STAMP_TICKET, id);
            let created = Ticket {
                id,
                organisation_id,
                requester_id: requester.id,
                requester_name: requester.name.clone(),
                department: ticket.department,
                priority: ticket.priority,
                status: TicketStatus::Open,
                subject,
                body: ticket.body.clone(),
                details,
                created_at: from_millis(at)?,
                updated_at: from_millis(at)?,
                expedited: false,
                expedited_at: None,
                availability: availability.clone(),
            };
            keep_response!(tx, requester.id, idempotency, 201u16, &created);
            let events = vec![ChangeEvent::of_ticket(seq, &created)];
            notify_in_tx!(self, tx, events);
            tx.commit().await?;
            self.announce_committed(events);
            Ok(Written::Created(created))
        })
    }

    /// Sets a ticket's status and last activity (demo seeding and, later, agents).
    pub async fn set_ticket_state(
        &self,
        id: i64,
        status: TicketStatus,
        updated_at: DateTime<Utc>,
    ) -> ApiResult<()> {
        let _turn = self.write_turn().await;
        on_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            sqlx::query(SET_STATUS)
                .bind(status.as_str())
                .bind(millis(updated_at))
                .bind(id)
                .execute(&mut *tx)
                .await?;
            stamp_change!(tx, STAMP_TICKET, id);
            tx.commit().await?;
            Ok(())
        })
    }

    pub async fn is_empty(&self) -> ApiResult<bool> {
        on_pool!(self, |pool| {
            let row = sqlx::query("SELECT COUNT(*) AS n FROM organisations")
                .fetch_one(pool)
                .await?;
            Ok(row.int("n")? == 0)
        })
    }
}

/// One row of the sync feed.
enum Change {
    Ticket(Box<Ticket>),
    Message(Message),
    Attachment(Attachment),
    Announcement(Announcement),
    RemoteSession(RemoteSession),
    OrderDelay(OrderDelayRequest),
    Deleted(Deletion),
}

/// The first `limit` changes in change order, the cursor after the last one
/// taken, and whether any were left. Each kind's list holds its first
/// `limit + 1` changes after the cursor, so none of the first `limit` of
/// all is missing.
fn merge_changes(mut changes: Vec<(i64, Change)>, cursor: i64, limit: i64) -> SyncPage {
    changes.sort_by_key(|(seq, _)| *seq);
    let limit = usize::try_from(limit).unwrap_or(0);
    let mut page = SyncPage::empty(cursor);
    page.more = changes.len() > limit;
    for (seq, change) in changes.into_iter().take(limit) {
        page.cursor = seq;
        match change {
            Change::Ticket(t) => page.tickets.push(*t),
            Change::Message(m) => page.messages.push(m),
            Change::Attachment(a) => page.attachments.push(a),
            Change::Announcement(a) => page.announcements.push(a),
            Change::RemoteSession(r) => page.remote_sessions.push(r),
            Change::OrderDelay(d) => page.order_delays.push(d),
            Change::Deleted(d) => page.deleted.push(d),
        }
    }
    page
}

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

// Declared last: the query macros above are in scope there.
mod accounts;
pub use accounts::NewAccount;
mod attachments;
pub use attachments::{AttachmentContent, NewAttachment};
mod availability;
mod billing;
mod expedite;
pub use expedite::{ExpediteOffer, expedite_refusal};
mod notices;
pub use notices::SessionStep;
mod queue;
mod ticket_list;
