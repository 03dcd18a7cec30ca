//! Remote-session requests on a ticket: an agent asks (or cancels), the
//! customer accepts with the tool's ID or declines, either ends an accepted
//! one. Each write stamps a change and announces it to whoever may see the
//! ticket. A one-time password is kept apart, in `remote_session_secrets`,
//! which no sync, event or record query reads (see [`Db::remote_connection`]).

use deskmate_api::{
    AuthorKind, NewRemoteSession, RemoteConnection, RemoteConnectionDetails, RemoteSessionStatus,
    RemoteTool,
};

use super::write::Changed;
use super::*;

macro_rules! remote_session_query {
    ($tail:literal) => {
        concat!(
            "SELECT r.id, r.ticket_id, r.reason, r.tool, r.status, u.name AS requested_by_name, ",
            "r.requested_ms, r.answered_ms, r.ended_ms, r.summary, r.change_seq, ",
            "r.requested_by, r.connect_tool, r.tool_id, r.started_ms, ",
            "e.name AS ended_by_name, e.role AS ended_by_role, ",
            "t.organisation_id, t.requester_id ",
            "FROM remote_sessions r JOIN users u ON u.id = r.requested_by ",
            "LEFT JOIN users e ON e.id = r.ended_by ",
            "JOIN tickets t ON t.id = r.ticket_id ",
            $tail
        )
    };
}

const REMOTE_SESSION_BY_ID: &str = remote_session_query!("WHERE r.id = $1");
const REMOTE_SESSIONS_OF: &str = remote_session_query!("WHERE r.ticket_id = $1 ORDER BY r.id");
pub(super) const SYNC_REMOTE_SESSIONS: &str = remote_session_query!(
    "WHERE ($1 = 'all' OR ($1 = 'org' AND t.organisation_id = $2) \
     OR ($1 = 'own' AND t.requester_id = $2)) AND r.change_seq > $3 AND r.change_seq <= $4 \
     ORDER BY r.change_seq LIMIT $5"
);
const STAMP_REMOTE_SESSION: &str = "UPDATE remote_sessions SET change_seq = $1 WHERE id = $2";
const KEEP_SECRET: &str = "INSERT INTO remote_session_secrets (remote_session_id, password, \
     expires_ms) VALUES ($1, $2, $3)";
const ERASE_SECRET: &str = "DELETE FROM remote_session_secrets WHERE remote_session_id = $1";
const ERASE_EXPIRED: &str = "DELETE FROM remote_session_secrets WHERE expires_ms <= $1";
const SECRET_OF: &str = "SELECT password, expires_ms FROM remote_session_secrets \
     WHERE remote_session_id = $1 AND expires_ms > $2";

/// How long a one-time password is kept at most: after that it is erased
/// even if nobody ended the session.
pub const PASSWORD_TTL: chrono::Duration = chrono::Duration::hours(2);

/// A remote session and whoever may see its ticket.
pub(super) fn remote_session_from_row(row: &impl Columns) -> ApiResult<(RemoteSession, Audience)> {
    let tool = row.text("tool")?;
    let status = row.text("status")?;
    let connect_tool = row
        .opt_text("connect_tool")?
        .map(|t| stored("remote tool", &t, RemoteTool::parse(&t)))
        .transpose()?;
    let ended_by = row
        .opt_text("ended_by_role")?
        .map(|role| {
            stored("role", &role, Role::parse(&role)).map(|r| match r {
                Role::Agent => AuthorKind::Agent,
                _ => AuthorKind::Customer,
            })
        })
        .transpose()?;
    let answered_at = opt_time(row, "answered_ms")?;
    let status = stored(
        "remote session status",
        &status,
        RemoteSessionStatus::parse(&status),
    )?;
    let consented = matches!(
        status,
        RemoteSessionStatus::Accepted | RemoteSessionStatus::Ended
    );
    let session = RemoteSession {
        id: row.int("id")?,
        ticket_id: row.int("ticket_id")?,
        reason: row.text("reason")?,
        tool: stored("remote tool", &tool, RemoteTool::parse(&tool))?,
        status,
        requested_by_name: row.text("requested_by_name")?,
        requested_at: from_millis(row.int("requested_ms")?)?,
        answered_at,
        ended_at: opt_time(row, "ended_ms")?,
        summary: row.opt_text("summary")?,
        consented_at: answered_at.filter(|_| consented),
        connect_tool,
        tool_id: row.opt_text("tool_id")?,
        started_at: opt_time(row, "started_ms")?,
        ended_by,
        ended_by_name: row.opt_text("ended_by_name")?,
    };
    let audience = Audience::Ticket {
        organisation_id: row.int("organisation_id")?,
        requester_id: row.int("requester_id")?,
        internal: false,
    };
    Ok((session, audience))
}

/// Stamps remote session `id` and reads it back: the write's answer, and
/// its change for whoever may see its ticket.
async fn stamped_remote_session(tx: &mut Tx, id: i64) -> ApiResult<Changed<RemoteSession>> {
    let seq = tx.stamp(STAMP_REMOTE_SESSION, id).await?;
    let row = tx.fetch_one(sql(REMOTE_SESSION_BY_ID).bind(id)).await?;
    let (session, audience) = remote_session_from_row(&row)?;
    let change = ChangeEvent {
        seq,
        kind: ChangeKind::RemoteSession,
        id: session.id,
        ticket_id: Some(session.ticket_id),
        audience,
    };
    Ok((session, vec![change]))
}

impl Db {
    /// An agent asks to connect for `ticket`; refused on a closed ticket.
    pub async fn request_remote_session(
        &self,
        ticket: &Ticket,
        by: &User,
        new: &NewRemoteSession,
        idempotency: Option<&Idempotency>,
        now: DateTime<Utc>,
    ) -> ApiResult<Written<RemoteSession>> {
        const INSERT: &str = "INSERT INTO remote_sessions (ticket_id, reason, tool, status, \
             requested_by, requested_ms) VALUES ($1, $2, $3, 'requested', $4, $5) RETURNING id";
        self.write(by.id, idempotency, 201, async |tx| {
            let status = tx
                .fetch_optional(sql("SELECT status FROM tickets WHERE id = $1").bind(ticket.id))
                .await?;
            match status.as_ref().map(|r| r.text("status")).transpose()? {
                None => return Err(ApiError::not_found(format!("no ticket #{}", ticket.id))),
                Some(s) if s == TicketStatus::Closed.as_str() => {
                    return Err(ApiError::new(
                        ErrorCode::Conflict,
                        "this ticket is closed: no remote session for it",
                    ));
                }
                Some(_) => {}
            }
            let id = tx
                .fetch_one(
                    sql(INSERT)
                        .bind(ticket.id)
                        .bind(new.reason.clone())
                        .bind(new.tool.as_str())
                        .bind(by.id)
                        .bind(millis(now)),
                )
                .await?
                .int("id")?;
            stamped_remote_session(tx, id).await
        })
        .await
    }

    /// Moves a remote session on as `step` says, if `by` may see its
    /// ticket (else 404, as if unknown) and it stands where `step` starts
    /// (else 409). Ending or cancelling erases its one-time password.
    pub async fn move_remote_session(
        &self,
        id: i64,
        by: &User,
        step: SessionStep,
        idempotency: Option<&Idempotency>,
        now: DateTime<Utc>,
    ) -> ApiResult<Written<RemoteSession>> {
        const MOVE: &str = "UPDATE remote_sessions SET status = $1, \
             answered_by = CASE WHEN $2 THEN $3 ELSE answered_by END, \
             answered_ms = CASE WHEN $2 THEN $4 ELSE answered_ms END, \
             ended_ms = CASE WHEN $5 THEN $4 ELSE ended_ms END, \
             ended_by = CASE WHEN $5 THEN $3 ELSE ended_by END, \
             summary = COALESCE($6, summary), \
             connect_tool = COALESCE($7, connect_tool), \
             tool_id = COALESCE($8, tool_id), \
             started_ms = CASE WHEN $9 THEN $4 ELSE started_ms END WHERE id = $10";
        let (from, to) = step.moves();
        let answers = matches!(step, SessionStep::Answer { .. });
        let ends = !answers;
        let (summary, connection) = match step {
            SessionStep::End { summary } => (summary, None),
            SessionStep::Answer { connection, .. } => (None, connection),
            SessionStep::Cancel => (None, None),
        };
        self.write(by.id, idempotency, 200, async |tx| {
            tx.execute(sql(ERASE_EXPIRED).bind(millis(now))).await?;
            let row = tx
                .fetch_optional(sql(REMOTE_SESSION_BY_ID).bind(id))
                .await?;
            let current = row.as_ref().map(remote_session_from_row).transpose()?;
            let current = match current {
                Some((session, audience)) if audience.includes(by) => session,
                _ => return Err(ApiError::not_found(format!("no remote session #{id}"))),
            };
            if current.status != from {
                return Err(ApiError::new(
                    ErrorCode::Conflict,
                    format!(
                        "this remote session is {}: only a {} one can be {}",
                        current.status, from, to
                    ),
                ));
            }
            tx.execute(
                sql(MOVE)
                    .bind(to.as_str())
                    .bind(answers)
                    .bind(by.id)
                    .bind(millis(now))
                    .bind(ends)
                    .bind(summary.clone())
                    .bind(connection.as_ref().map(|c| c.tool.as_str().to_owned()))
                    .bind(connection.as_ref().map(|c| c.tool_id.clone()))
                    .bind(connection.is_some())
                    .bind(id),
            )
            .await?;
            if ends {
                tx.execute(sql(ERASE_SECRET).bind(id)).await?;
            }
            if let Some(password) = connection.as_ref().and_then(|c| c.password.clone()) {
                tx.execute(
                    sql(KEEP_SECRET)
                        .bind(id)
                        .bind(password)
                        .bind(millis(now + PASSWORD_TTL)),
                )
                .await?;
            }
            stamped_remote_session(tx, id).await
        })
        .await
    }

    /// What the requesting agent needs to connect: the tool, its ID and the
    /// one-time password while it is kept. Anyone else: 404, as if unknown.
    pub async fn remote_connection(
        &self,
        id: i64,
        by: &User,
        now: DateTime<Utc>,
    ) -> ApiResult<RemoteConnectionDetails> {
        self.execute(sql(ERASE_EXPIRED).bind(millis(now))).await?;
        let row = self
            .fetch_optional(sql(REMOTE_SESSION_BY_ID).bind(id))
            .await?;
        let unknown = || ApiError::not_found(format!("no remote session #{id}"));
        let row = row.ok_or_else(unknown)?;
        if row.int("requested_by")? != by.id {
            return Err(unknown());
        }
        let (session, _) = remote_session_from_row(&row)?;
        let (Some(tool), Some(tool_id)) = (session.connect_tool, session.tool_id) else {
            return Err(ApiError::new(
                ErrorCode::Conflict,
                "the customer has not handed over a connection for this session",
            ));
        };
        let secret = self
            .fetch_optional(sql(SECRET_OF).bind(id).bind(millis(now)))
            .await?;
        let (password, password_expires_at) = match secret {
            Some(r) => (
                Some(r.text("password")?),
                Some(from_millis(r.int("expires_ms")?)?),
            ),
            None => (None, None),
        };
        Ok(RemoteConnectionDetails {
            tool,
            tool_id,
            password,
            password_expires_at,
        })
    }

    /// Erases every one-time password past its time-out (run periodically).
    pub async fn erase_expired_remote_passwords(&self, now: DateTime<Utc>) -> ApiResult<u64> {
        Ok(self
            .execute(sql(ERASE_EXPIRED).bind(millis(now)))
            .await?
            .rows_affected())
    }

    /// A ticket's remote sessions, oldest first.
    pub async fn remote_sessions(&self, ticket_id: i64) -> ApiResult<Vec<RemoteSession>> {
        let rows = self
            .fetch_all(sql(REMOTE_SESSIONS_OF).bind(ticket_id))
            .await?;
        rows.iter()
            .map(|r| remote_session_from_row(r).map(|(session, _)| session))
            .collect()
    }
}

/// How a remote session moves on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum SessionStep {
    /// The customer accepts (with what the consultant connects to) or
    /// declines a requested session.
    Answer {
        accept: bool,
        connection: Option<RemoteConnection>,
    },
    /// The agent (with a summary) or the customer ends an accepted session.
    End { summary: Option<String> },
    /// The agent withdraws a request not answered yet.
    Cancel,
}

impl SessionStep {
    /// The status it starts from and the one it leads to.
    fn moves(&self) -> (RemoteSessionStatus, RemoteSessionStatus) {
        use RemoteSessionStatus::*;
        match self {
            Self::Answer { accept: true, .. } => (Requested, Accepted),
            Self::Answer { accept: false, .. } => (Requested, Declined),
            Self::End { .. } => (Accepted, Ended),
            Self::Cancel => (Requested, Cancelled),
        }
    }
}
