//! The helpdesk's storage: SQLite through sqlx, embedded migrations, runtime
//! queries only (no build-time database needed).
//!
//! Timestamps are stored as RFC 3339 text in UTC with millisecond precision, so
//! that text order is time order.

use std::str::FromStr;
use std::time::Duration;

use chrono::{DateTime, SecondsFormat, Utc};
use deskmate_api::{
    Department, ErrorCode, Me, NewTicket, OrganisationRef, Priority, Role, Ticket, TicketStatus,
};
use sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqlitePoolOptions, SqliteSynchronous};
use sqlx::{Row, SqlitePool};

use crate::error::{ApiError, ApiResult};

static MIGRATOR: sqlx::migrate::Migrator = sqlx::migrate!("./migrations/sqlite");

/// Why the database could not be opened.
#[derive(Debug, thiserror::Error)]
pub enum OpenError {
    #[error("unsupported database URL {0:?}: use sqlite://PATH")]
    UnsupportedUrl(String),
    #[error("cannot open the database: {0}")]
    Connect(#[from] sqlx::Error),
    #[error("cannot bring the database schema up to date: {0}")]
    Migrate(#[from] sqlx::migrate::MigrateError),
}

/// A handle on the database; cheap to clone.
#[derive(Clone, Debug)]
pub struct Db {
    pool: SqlitePool,
}

/// A signed-in person as the routes need them.
#[derive(Clone, Debug)]
pub struct User {
    pub id: i64,
    pub email: String,
    pub name: String,
    pub role: Role,
    pub organisation: Option<OrganisationRef>,
    pub can_see_org_tickets: bool,
    pub password_hash: String,
}

impl User {
    pub fn me(&self) -> Me {
        Me {
            id: self.id,
            email: self.email.clone(),
            name: self.name.clone(),
            role: self.role,
            organisation: self.organisation.clone(),
        }
    }

    /// Which tickets this person may see.
    pub fn ticket_scope(&self) -> Scope {
        match (self.role, &self.organisation) {
            (Role::Agent, _) => Scope::All,
            (Role::CustomerAdmin, Some(org)) => Scope::Organisation(org.id),
            (Role::CustomerUser, Some(org)) if self.can_see_org_tickets => {
                Scope::Organisation(org.id)
            }
            _ => Scope::Own(self.id),
        }
    }
}

/// The tickets a viewer may see.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Scope {
    All,
    Organisation(i64),
    Own(i64),
}

/// The answer to an idempotent write.
#[derive(Debug)]
pub enum Written<T> {
    /// Done now.
    Created(T),
    /// Done before under the same key: the first response, as stored.
    Replayed { status: u16, body: String },
}

pub fn timestamp(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Millis, true)
}

fn parse_timestamp(s: &str) -> ApiResult<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(s)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|e| ApiError::internal(format_args!("stored timestamp {s:?}: {e}")))
}

fn user_from_row(row: &sqlx::sqlite::SqliteRow) -> ApiResult<User> {
    let role: String = row.try_get("role")?;
    let org_id: Option<i64> = row.try_get("org_id")?;
    let org_name: Option<String> = row.try_get("org_name")?;
    Ok(User {
        id: row.try_get("id")?,
        email: row.try_get("email")?,
        name: row.try_get("name")?,
        role: Role::parse(&role)
            .ok_or_else(|| ApiError::internal(format_args!("stored role {role:?}")))?,
        organisation: org_id
            .zip(org_name)
            .map(|(id, name)| OrganisationRef { id, name }),
        can_see_org_tickets: row.try_get("can_see_org_tickets")?,
        password_hash: row.try_get("password_hash")?,
    })
}

fn ticket_from_row(row: &sqlx::sqlite::SqliteRow) -> ApiResult<Ticket> {
    fn stored<T>(what: &str, value: &str, parsed: Option<T>) -> ApiResult<T> {
        parsed.ok_or_else(|| ApiError::internal(format_args!("stored {what} {value:?}")))
    }
    let department: String = row.try_get("department")?;
    let priority: String = row.try_get("priority")?;
    let status: String = row.try_get("status")?;
    let created_at: String = row.try_get("created_at")?;
    let updated_at: String = row.try_get("updated_at")?;
    Ok(Ticket {
        id: row.try_get("id")?,
        organisation_id: row.try_get("organisation_id")?,
        requester_id: row.try_get("requester_id")?,
        requester_name: row.try_get("requester_name")?,
        department: stored("department", &department, Department::parse(&department))?,
        priority: stored("priority", &priority, Priority::parse(&priority))?,
        status: stored("status", &status, TicketStatus::parse(&status))?,
        subject: row.try_get("subject")?,
        body: row.try_get("body")?,
        created_at: parse_timestamp(&created_at)?,
        updated_at: parse_timestamp(&updated_at)?,
    })
}

impl Db {
    /// Opens (creating if missing) and migrates the database at `url`.
    pub async fn open(url: &str) -> Result<Self, OpenError> {
        let Some(path) = url
            .strip_prefix("sqlite://")
            .or_else(|| url.strip_prefix("sqlite:"))
        else {
            return Err(OpenError::UnsupportedUrl(url.to_owned()));
        };
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
        MIGRATOR.run(&pool).await?;
        Ok(Self { pool })
    }

    pub async fn close(&self) {
        self.pool.close().await;
    }

    // ---- organisations and people -------------------------------------------------

    pub async fn create_organisation(&self, name: &str) -> ApiResult<i64> {
        let row =
            sqlx::query("INSERT INTO organisations (name, created_at) VALUES (?, ?) RETURNING id")
                .bind(name.to_owned())
                .bind(timestamp(Utc::now()))
                .fetch_one(&self.pool)
                .await
                .map_err(|e| unique_as_conflict(e, "an organisation with this name exists"))?;
        Ok(row.try_get("id")?)
    }

    pub async fn create_user(
        &self,
        organisation_id: Option<i64>,
        email: &str,
        name: &str,
        role: Role,
        password_hash: &str,
        can_see_org_tickets: bool,
    ) -> ApiResult<i64> {
        let row = sqlx::query(
            "INSERT INTO users (organisation_id, email, name, role, password_hash, \
             can_see_org_tickets, created_at) VALUES (?, ?, ?, ?, ?, ?, ?) RETURNING id",
        )
        .bind(organisation_id)
        .bind(email.to_owned())
        .bind(name.to_owned())
        .bind(role.as_str())
        .bind(password_hash.to_owned())
        .bind(can_see_org_tickets)
        .bind(timestamp(Utc::now()))
        .fetch_one(&self.pool)
        .await
        .map_err(|e| unique_as_conflict(e, "a user with this e-mail address exists"))?;
        Ok(row.try_get("id")?)
    }

    pub async fn user_by_email(&self, email: &str) -> ApiResult<Option<User>> {
        let row = sqlx::query(sql_user_by_email())
            .bind(email.to_owned())
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(user_from_row).transpose()
    }

    // ---- sessions -----------------------------------------------------------------

    pub async fn create_session(
        &self,
        token_hash: &str,
        user_id: i64,
        expires_at: DateTime<Utc>,
    ) -> ApiResult<()> {
        sqlx::query(
            "INSERT INTO sessions (token_hash, user_id, created_at, expires_at) VALUES (?, ?, ?, ?)",
        )
        .bind(token_hash.to_owned())
        .bind(user_id)
        .bind(timestamp(Utc::now()))
        .bind(timestamp(expires_at))
        .execute(&self.pool)
        .await?;
        Ok(())
    }

    /// The user holding an unexpired session with this token hash.
    pub async fn user_by_session(&self, token_hash: &str) -> ApiResult<Option<User>> {
        let row = sqlx::query(sql_user_by_session())
            .bind(token_hash.to_owned())
            .bind(timestamp(Utc::now()))
            .fetch_optional(&self.pool)
            .await?;
        row.as_ref().map(user_from_row).transpose()
    }

    pub async fn delete_session(&self, token_hash: &str) -> ApiResult<()> {
        sqlx::query("DELETE FROM sessions WHERE token_hash = ?")
            .bind(token_hash.to_owned())
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    /// Drops sessions that expired; called now and then, not on the request path.
    pub async fn purge_expired_sessions(&self) -> ApiResult<u64> {
        let done = sqlx::query("DELETE FROM sessions WHERE expires_at <= ?")
            .bind(timestamp(Utc::now()))
            .execute(&self.pool)
            .await?;
        Ok(done.rows_affected())
    }

    // ---- tickets ------------------------------------------------------------------

    /// Every ticket the scope allows, newest activity first.
    pub async fn tickets(&self, scope: Scope) -> ApiResult<Vec<Ticket>> {
        let (kind, id) = match scope {
            Scope::All => ("all", 0),
            Scope::Organisation(id) => ("org", id),
            Scope::Own(id) => ("own", id),
        };
        let rows = sqlx::query(sql_tickets_in_scope())
            .bind(kind)
            .bind(id)
            .fetch_all(&self.pool)
            .await?;
        rows.iter().map(ticket_from_row).collect()
    }

    /// Files a ticket for `requester`. With an idempotency key, a repeat of
    /// the same request returns the first response and files nothing.
    pub async fn create_ticket(
        &self,
        requester: &User,
        ticket: &NewTicket,
        idempotency: Option<(&str, &str)>,
        created_at: DateTime<Utc>,
    ) -> ApiResult<Written<Ticket>> {
        let organisation_id = requester
            .organisation
            .as_ref()
            .map(|o| o.id)
            .ok_or_else(|| ApiError::forbidden("only customers file tickets"))?;
        // IMMEDIATE takes the write lock up front, so two requests with the same
        // key serialise here instead of both seeing "no such key".
        let mut tx = self.pool.begin_with("BEGIN IMMEDIATE").await?;
        if let Some((key, request_hash)) = idempotency {
            let seen = sqlx::query(
                "SELECT request_hash, status, response FROM idempotency_keys \
                 WHERE user_id = ? AND key = ?",
            )
            .bind(requester.id)
            .bind(key.to_owned())
            .fetch_optional(&mut *tx)
            .await?;
            if let Some(seen) = seen {
                let first_hash: String = seen.try_get("request_hash")?;
                if first_hash != request_hash {
                    return Err(ApiError::new(
                        ErrorCode::Conflict,
                        "this Idempotency-Key was already used for a different request",
                    ));
                }
                let status: i64 = seen.try_get("status")?;
                return Ok(Written::Replayed {
                    status: u16::try_from(status).unwrap_or(200),
                    body: seen.try_get("response")?,
                });
            }
        }
        let at = timestamp(created_at);
        let row = sqlx::query(
            "INSERT INTO tickets (organisation_id, requester_id, department, priority, status, \
             subject, body, created_at, updated_at) VALUES (?, ?, ?, ?, 'open', ?, ?, ?, ?) \
             RETURNING id",
        )
        .bind(organisation_id)
        .bind(requester.id)
        .bind(ticket.department.as_str())
        .bind(ticket.priority.as_str())
        .bind(ticket.subject.trim().to_owned())
        .bind(ticket.body.clone())
        .bind(at.clone())
        .bind(at)
        .fetch_one(&mut *tx)
        .await?;
        let id: i64 = row.try_get("id")?;
        let created = Ticket {
            id,
            organisation_id,
            requester_id: requester.id,
            requester_name: requester.name.clone(),
            department: ticket.department,
            priority: ticket.priority,
            status: TicketStatus::Open,
            subject: ticket.subject.trim().to_owned(),
            body: ticket.body.clone(),
            created_at: parse_timestamp(&timestamp(created_at))?,
            updated_at: parse_timestamp(&timestamp(created_at))?,
        };
        if let Some((key, request_hash)) = idempotency {
            let body = serde_json::to_string(&created).map_err(ApiError::internal)?;
            sqlx::query(
                "INSERT INTO idempotency_keys (user_id, key, request_hash, status, response, \
                 created_at) VALUES (?, ?, ?, 201, ?, ?)",
            )
            .bind(requester.id)
            .bind(key.to_owned())
            .bind(request_hash.to_owned())
            .bind(body)
            .bind(timestamp(Utc::now()))
            .execute(&mut *tx)
            .await?;
        }
        tx.commit().await?;
        Ok(Written::Created(created))
    }

    /// Sets a ticket's status and last activity (demo seeding and, later, agents).
    pub async fn set_ticket_state(
        &self,
        id: i64,
        status: TicketStatus,
        updated_at: DateTime<Utc>,
    ) -> ApiResult<()> {
        sqlx::query("UPDATE tickets SET status = ?, updated_at = ? WHERE id = ?")
            .bind(status.as_str())
            .bind(timestamp(updated_at))
            .bind(id)
            .execute(&self.pool)
            .await?;
        Ok(())
    }

    pub async fn is_empty(&self) -> ApiResult<bool> {
        let row = sqlx::query("SELECT COUNT(*) AS n FROM organisations")
            .fetch_one(&self.pool)
            .await?;
        Ok(row.try_get::<i64, _>("n")? == 0)
    }
}

// sqlx 0.9 takes only `&'static str` (or an explicit assertion) as SQL; these
// spell the shared column lists out once, at compile time.
macro_rules! user_query {
    ($tail:literal) => {
        concat!(
            "SELECT u.id, u.email, u.name, u.role, u.password_hash, u.can_see_org_tickets, ",
            "o.id AS org_id, o.name AS org_name ",
            "FROM users u LEFT JOIN organisations o ON o.id = u.organisation_id ",
            $tail
        )
    };
}

fn sql_user_by_email() -> &'static str {
    user_query!("WHERE u.email = ? COLLATE NOCASE")
}

fn sql_user_by_session() -> &'static str {
    user_query!("JOIN sessions s ON s.user_id = u.id WHERE s.token_hash = ? AND s.expires_at > ?")
}

fn sql_tickets_in_scope() -> &'static str {
    concat!(
        "SELECT t.id, t.organisation_id, t.requester_id, u.name AS requester_name, ",
        "t.department, t.priority, t.status, t.subject, t.body, t.created_at, t.updated_at ",
        "FROM tickets t JOIN users u ON u.id = t.requester_id ",
        "WHERE ?1 = 'all' OR (?1 = 'org' AND t.organisation_id = ?2) ",
        "OR (?1 = 'own' AND t.requester_id = ?2) ",
        "ORDER BY t.updated_at DESC, t.id DESC"
    )
}

fn unique_as_conflict(e: sqlx::Error, message: &str) -> ApiError {
    match &e {
        sqlx::Error::Database(db) if db.is_unique_violation() => {
            ApiError::new(ErrorCode::Conflict, message)
        }
        _ => e.into(),
    }
}
