//! Remote-session requests on a ticket: an agent asks, the customer
//! accepts or declines, the agent ends an accepted one. Each write stamps
//! a change and announces it to whoever may see the ticket.

use deskmate_api::{NewRemoteSession, RemoteSessionStatus, RemoteTool};

use super::write::Changed;
use super::*;

macro_rules! remote_session_query {
    ($tail:literal) => {
        concat!(
            "SELECT r.id, r.ticket_id, r.reason, r.tool, r.status, u.name AS requested_by_name, ",
            "r.requested_ms, r.answered_ms, r.ended_ms, r.summary, r.change_seq, ",
            "t.organisation_id, t.requester_id ",
            "FROM remote_sessions r JOIN users u ON u.id = r.requested_by ",
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

/// A remote session and whoever may see its ticket.
pub(super) fn remote_session_from_row(row: &impl Columns) -> ApiResult<(RemoteSession, Audience)> {
    let tool = row.text("tool")?;
    let status = row.text("status")?;
    let session = RemoteSession {
        id: row.int("id")?,
        ticket_id: row.int("ticket_id")?,
        reason: row.text("reason")?,
        tool: stored("remote tool", &tool, RemoteTool::parse(&tool))?,
        status: stored(
            "remote session status",
            &status,
            RemoteSessionStatus::parse(&status),
        )?,
        requested_by_name: row.text("requested_by_name")?,
        requested_at: from_millis(row.int("requested_ms")?)?,
        answered_at: opt_time(row, "answered_ms")?,
        ended_at: opt_time(row, "ended_ms")?,
        summary: row.opt_text("summary")?,
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
    /// (else 409).
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
             summary = COALESCE($6, summary) WHERE id = $7";
        let (from, to, summary) = match &step {
            SessionStep::Answer { accept: true } => (
                RemoteSessionStatus::Requested,
                RemoteSessionStatus::Accepted,
                None,
            ),
            SessionStep::Answer { accept: false } => (
                RemoteSessionStatus::Requested,
                RemoteSessionStatus::Declined,
                None,
            ),
            SessionStep::End { summary } => (
                RemoteSessionStatus::Accepted,
                RemoteSessionStatus::Ended,
                Some(summary.clone()),
            ),
        };
        let answers = matches!(step, SessionStep::Answer { .. });
        self.write(by.id, idempotency, 200, async |tx| {
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
                    .bind(!answers)
                    .bind(summary)
                    .bind(id),
            )
            .await?;
            stamped_remote_session(tx, id).await
        })
        .await
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
    /// The customer accepts or declines a requested session.
    Answer { accept: bool },
    /// The agent ends an accepted session, saying what was done.
    End { summary: String },
}
