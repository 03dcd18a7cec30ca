//! Storage of what the provider tells its customers outside a ticket's
//! conversation: announcements, remote-session requests, order-delay
//! requests, and the tombstones of withdrawn announcements. Every write
//! claims its idempotency key, stamps a change number and announces the
//! change to the audience that may see it, in one transaction.

use deskmate_api::{
    AnnouncementKind, DeletionKind, NewAnnouncement, NewOrderDelay, NewRemoteSession,
    OrderDelayStatus, RemoteSessionStatus, RemoteTool,
};

use super::*;

macro_rules! announcement_query {
    ($tail:literal) => {
        concat!(
            "SELECT a.id, a.kind, a.title, a.body, a.affected_services, a.starts_ms, a.ends_ms, ",
            "a.organisation_id, a.created_ms, a.updated_ms, a.change_seq FROM announcements a ",
            $tail
        )
    };
}

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

macro_rules! order_delay_query {
    ($tail:literal) => {
        concat!(
            "SELECT d.id, d.organisation_id, d.order_number, d.question, d.due_ms, d.status, ",
            "d.answer, a.name AS answered_by_name, d.created_ms, d.answered_ms, d.change_seq ",
            "FROM order_delays d LEFT JOIN users a ON a.id = d.answered_by ",
            $tail
        )
    };
}

/// Announcements a viewer may see: $1 agent, $2 the viewer's organisation.
macro_rules! announcement_visible {
    () => {
        "($1 OR a.organisation_id IS NULL OR a.organisation_id = $2)"
    };
}

const ANNOUNCEMENT_BY_ID: &str = announcement_query!("WHERE a.id = $1");
/// Current and upcoming first (by start), then past ones (latest end first).
const ANNOUNCEMENTS_VISIBLE: &str = concat!(
    announcement_query!("WHERE "),
    announcement_visible!(),
    " ORDER BY CASE WHEN a.ends_ms IS NULL OR a.ends_ms > $3 THEN 0 ELSE 1 END, \
     CASE WHEN a.ends_ms IS NULL OR a.ends_ms > $3 THEN COALESCE(a.starts_ms, a.created_ms) \
     ELSE -a.ends_ms END, a.id"
);
const SYNC_ANNOUNCEMENTS: &str = concat!(
    announcement_query!("WHERE "),
    announcement_visible!(),
    " AND a.change_seq > $3 AND a.change_seq <= $4 ORDER BY a.change_seq LIMIT $5"
);
const SYNC_DELETIONS: &str = "SELECT d.kind, d.record_id, d.change_seq FROM deletions d \
     WHERE ($1 OR d.organisation_id IS NULL OR d.organisation_id = $2) \
     AND d.change_seq > $3 AND d.change_seq <= $4 ORDER BY d.change_seq LIMIT $5";
const REMOTE_SESSION_BY_ID: &str = remote_session_query!("WHERE r.id = $1");
const REMOTE_SESSIONS_OF: &str = remote_session_query!("WHERE r.ticket_id = $1 ORDER BY r.id");
const SYNC_REMOTE_SESSIONS: &str = remote_session_query!(
    "WHERE ($1 = 'all' OR ($1 = 'org' AND t.organisation_id = $2) \
     OR ($1 = 'own' AND t.requester_id = $2)) AND r.change_seq > $3 AND r.change_seq <= $4 \
     ORDER BY r.change_seq LIMIT $5"
);
const ORDER_DELAY_BY_ID: &str = order_delay_query!("WHERE d.id = $1");
const ORDER_DELAYS_VISIBLE: &str = order_delay_query!(
    "WHERE ($1 OR d.organisation_id = $2) ORDER BY d.created_ms DESC, d.id DESC"
);
const SYNC_ORDER_DELAYS: &str = order_delay_query!(
    "WHERE ($1 OR d.organisation_id = $2) AND d.change_seq > $3 AND d.change_seq <= $4 \
     ORDER BY d.change_seq LIMIT $5"
);

const STAMP_ANNOUNCEMENT: &str = "UPDATE announcements SET change_seq = $1 WHERE id = $2";
const STAMP_REMOTE_SESSION: &str = "UPDATE remote_sessions SET change_seq = $1 WHERE id = $2";
const STAMP_ORDER_DELAY: &str = "UPDATE order_delays SET change_seq = $1 WHERE id = $2";
const STAMP_DELETION: &str = "UPDATE deletions SET change_seq = $1 WHERE id = $2";
const ORGANISATION_EXISTS: &str = "SELECT COUNT(*) AS n FROM organisations WHERE id = $1";

fn opt_time(row: &impl Columns, column: &str) -> ApiResult<Option<DateTime<Utc>>> {
    row.opt_int(column)?.map(from_millis).transpose()
}

fn announcement_from_row(row: &impl Columns) -> ApiResult<Announcement> {
    let kind = row.text("kind")?;
    let services = row.text("affected_services")?;
    Ok(Announcement {
        id: row.int("id")?,
        kind: stored("announcement kind", &kind, AnnouncementKind::parse(&kind))?,
        title: row.text("title")?,
        body: row.text("body")?,
        affected_services: stored(
            "affected services",
            &services,
            serde_json::from_str(&services).ok(),
        )?,
        starts_at: opt_time(row, "starts_ms")?,
        ends_at: opt_time(row, "ends_ms")?,
        organisation_id: row.opt_int("organisation_id")?,
        created_at: from_millis(row.int("created_ms")?)?,
        updated_at: from_millis(row.int("updated_ms")?)?,
    })
}

/// A remote session and whoever may see its ticket.
fn remote_session_from_row(row: &impl Columns) -> ApiResult<(RemoteSession, Audience)> {
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

fn order_delay_from_row(row: &impl Columns) -> ApiResult<OrderDelayRequest> {
    let status = row.text("status")?;
    Ok(OrderDelayRequest {
        id: row.int("id")?,
        organisation_id: row.int("organisation_id")?,
        order_number: row.text("order_number")?,
        question: row.text("question")?,
        due_at: opt_time(row, "due_ms")?,
        status: stored(
            "order delay status",
            &status,
            OrderDelayStatus::parse(&status),
        )?,
        answer: row.opt_text("answer")?,
        answered_by_name: row.opt_text("answered_by_name")?,
        created_at: from_millis(row.int("created_ms")?)?,
        answered_at: opt_time(row, "answered_ms")?,
    })
}

fn services_json(services: &[String]) -> ApiResult<String> {
    serde_json::to_string(services).map_err(ApiError::internal)
}

/// Whether `viewer` is an agent, and their organisation: the parameters of
/// the organisation-wide visibility checks.
fn org_params(viewer: &User) -> (bool, Option<i64>) {
    (
        viewer.role == Role::Agent,
        viewer.organisation.as_ref().map(|o| o.id),
    )
}

/// Rolls back `$tx` and returns `$err` from the enclosing function.
macro_rules! refuse {
    ($tx:ident, $err:expr) => {{
        $tx.rollback().await?;
        return Err($err);
    }};
}

/// Inside transaction `$tx`, after announcement `$id` was written: stamps
/// it, keeps the response, announces it to whoever may see it, commits and
/// returns the announcement.
macro_rules! finish_announcement {
    ($db:expr, $tx:ident, $id:expr, $by:expr, $idempotency:expr, $status:expr) => {{
        let seq = stamp_change!($tx, STAMP_ANNOUNCEMENT, $id);
        let row = sqlx::query(ANNOUNCEMENT_BY_ID)
            .bind($id)
            .fetch_one(&mut *$tx)
            .await?;
        let announcement = announcement_from_row(&row)?;
        keep_response!($tx, $by.id, $idempotency, $status, &announcement);
        let events = vec![ChangeEvent::of(
            seq,
            ChangeKind::Announcement,
            announcement.id,
            Audience::of_organisation(announcement.organisation_id),
        )];
        notify_in_tx!($db, $tx, events);
        $tx.commit().await?;
        $db.announce_committed(events);
        Ok(Written::Created(announcement))
    }};
}

/// Inside transaction `$tx`, after remote session `$id` was written:
/// stamps it, keeps the response, announces it to whoever may see its
/// ticket, commits and returns the session.
macro_rules! finish_remote_session {
    ($db:expr, $tx:ident, $id:expr, $by:expr, $idempotency:expr, $status:expr) => {{
        let seq = stamp_change!($tx, STAMP_REMOTE_SESSION, $id);
        let row = sqlx::query(REMOTE_SESSION_BY_ID)
            .bind($id)
            .fetch_one(&mut *$tx)
            .await?;
        let (session, audience) = remote_session_from_row(&row)?;
        keep_response!($tx, $by.id, $idempotency, $status, &session);
        let events = vec![ChangeEvent {
            seq,
            kind: ChangeKind::RemoteSession,
            id: session.id,
            ticket_id: Some(session.ticket_id),
            audience,
        }];
        notify_in_tx!($db, $tx, events);
        $tx.commit().await?;
        $db.announce_committed(events);
        Ok(Written::Created(session))
    }};
}

/// Inside transaction `$tx`, after order-delay request `$id` was written:
/// stamps it, keeps the response, announces it to the organisation,
/// commits and returns the request.
macro_rules! finish_order_delay {
    ($db:expr, $tx:ident, $id:expr, $by:expr, $idempotency:expr, $status:expr) => {{
        let seq = stamp_change!($tx, STAMP_ORDER_DELAY, $id);
        let row = sqlx::query(ORDER_DELAY_BY_ID)
            .bind($id)
            .fetch_one(&mut *$tx)
            .await?;
        let delay = order_delay_from_row(&row)?;
        keep_response!($tx, $by.id, $idempotency, $status, &delay);
        let events = vec![ChangeEvent::of(
            seq,
            ChangeKind::OrderDelay,
            delay.id,
            Audience::of_organisation(Some(delay.organisation_id)),
        )];
        notify_in_tx!($db, $tx, events);
        $tx.commit().await?;
        $db.announce_committed(events);
        Ok(Written::Created(delay))
    }};
}

impl Db {
    /// Changes of announcements, remote sessions, order delays and
    /// deletions that `viewer` may see, numbered in (`cursor`, `high`]: at
    /// most `fetch` of each kind, oldest first.
    pub(super) async fn notice_changes(
        &self,
        viewer: &User,
        cursor: i64,
        high: i64,
        fetch: i64,
    ) -> ApiResult<Vec<(i64, Change)>> {
        let (is_agent, org) = org_params(viewer);
        let (scope, scope_id) = scope_params(viewer.ticket_scope());
        /// Runs sync query `$sql` for the viewer (`$a`, `$b`) and adds
        /// each row as `$change`.
        macro_rules! add {
            ($changes:ident, $pool:ident, $sql:expr, $a:expr, $b:expr, |$r:ident| $change:expr) => {
                for $r in sqlx::query($sql)
                    .bind($a)
                    .bind($b)
                    .bind(cursor)
                    .bind(high)
                    .bind(fetch)
                    .fetch_all($pool)
                    .await?
                    .iter()
                {
                    $changes.push(($r.int("change_seq")?, $change));
                }
            };
        }
        on_pool!(self, |pool| {
            let mut changes = Vec::new();
            add!(changes, pool, SYNC_ANNOUNCEMENTS, is_agent, org, |r| {
                Change::Announcement(announcement_from_row(r)?)
            });
            add!(changes, pool, SYNC_REMOTE_SESSIONS, scope, scope_id, |r| {
                Change::RemoteSession(remote_session_from_row(r)?.0)
            });
            add!(changes, pool, SYNC_ORDER_DELAYS, is_agent, org, |r| {
                Change::OrderDelay(order_delay_from_row(r)?)
            });
            add!(changes, pool, SYNC_DELETIONS, is_agent, org, |r| {
                let kind = r.text("kind")?;
                Change::Deleted(Deletion {
                    kind: stored("deletion kind", &kind, DeletionKind::parse(&kind))?,
                    id: r.int("record_id")?,
                })
            });
            Ok(changes)
        })
    }

    // ---- announcements ------------------------------------------------------------

    /// The announcements `viewer` may see, current and upcoming first.
    pub async fn announcements(
        &self,
        viewer: &User,
        now: DateTime<Utc>,
    ) -> ApiResult<Vec<Announcement>> {
        let (is_agent, org) = org_params(viewer);
        on_pool!(self, |pool| {
            let rows = sqlx::query(ANNOUNCEMENTS_VISIBLE)
                .bind(is_agent)
                .bind(org)
                .bind(millis(now))
                .fetch_all(pool)
                .await?;
            rows.iter().map(announcement_from_row).collect()
        })
    }

    /// Posts an announcement (validated by the caller); an unknown
    /// organisation is a 422.
    pub async fn create_announcement(
        &self,
        by: &User,
        new: &NewAnnouncement,
        idempotency: Option<&Idempotency>,
        now: DateTime<Utc>,
    ) -> ApiResult<Written<Announcement>> {
        const INSERT: &str = "INSERT INTO announcements (kind, title, body, affected_services, \
             starts_ms, ends_ms, organisation_id, created_by, created_ms, updated_ms) \
             VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $9) RETURNING id";
        let services = services_json(&new.affected_services)?;
        let _turn = self.write_turn().await;
        on_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            claim_or_replay!(tx, by.id, idempotency);
            if let Some(org) = new.organisation_id {
                let n = sqlx::query(ORGANISATION_EXISTS)
                    .bind(org)
                    .fetch_one(&mut *tx)
                    .await?
                    .int("n")?;
                if n == 0 {
                    refuse!(tx, ApiError::validation(format!("no organisation #{org}")));
                }
            }
            let id = sqlx::query(INSERT)
                .bind(new.kind.as_str())
                .bind(new.title.clone())
                .bind(new.body.clone())
                .bind(services)
                .bind(new.starts_at.map(millis))
                .bind(new.ends_at.map(millis))
                .bind(new.organisation_id)
                .bind(by.id)
                .bind(millis(now))
                .fetch_one(&mut *tx)
                .await?
                .int("id")?;
            finish_announcement!(self, tx, id, by, idempotency, 201u16)
        })
    }

    /// Changes an announcement: `change` gets the current one and answers
    /// the new content, or why not (the transaction is then undone).
    pub async fn update_announcement(
        &self,
        id: i64,
        by: &User,
        change: impl FnOnce(&Announcement) -> ApiResult<NewAnnouncement>,
        idempotency: Option<&Idempotency>,
        now: DateTime<Utc>,
    ) -> ApiResult<Written<Announcement>> {
        const UPDATE: &str = "UPDATE announcements SET kind = $1, title = $2, body = $3, \
             affected_services = $4, starts_ms = $5, ends_ms = $6, updated_ms = $7 WHERE id = $8";
        let _turn = self.write_turn().await;
        on_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            claim_or_replay!(tx, by.id, idempotency);
            let row = sqlx::query(ANNOUNCEMENT_BY_ID)
                .bind(id)
                .fetch_optional(&mut *tx)
                .await?;
            let Some(current) = row.as_ref().map(announcement_from_row).transpose()? else {
                refuse!(tx, ApiError::not_found(format!("no announcement #{id}")));
            };
            let next = match change(&current) {
                Ok(next) => next,
                Err(e) => refuse!(tx, e),
            };
            sqlx::query(UPDATE)
                .bind(next.kind.as_str())
                .bind(next.title.clone())
                .bind(next.body.clone())
                .bind(services_json(&next.affected_services)?)
                .bind(next.starts_at.map(millis))
                .bind(next.ends_at.map(millis))
                .bind(millis(now))
                .bind(id)
                .execute(&mut *tx)
                .await?;
            finish_announcement!(self, tx, id, by, idempotency, 200u16)
        })
    }

    /// Withdraws an announcement: it is gone, and delta sync tells those who
    /// could see it.
    pub async fn withdraw_announcement(
        &self,
        id: i64,
        by: &User,
        idempotency: Option<&Idempotency>,
        now: DateTime<Utc>,
    ) -> ApiResult<Written<()>> {
        const DELETE: &str = "DELETE FROM announcements WHERE id = $1 RETURNING organisation_id";
        const TOMBSTONE: &str = "INSERT INTO deletions (kind, record_id, organisation_id, \
             deleted_ms) VALUES ($1, $2, $3, $4) RETURNING id";
        let _turn = self.write_turn().await;
        on_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            claim_or_replay!(tx, by.id, idempotency);
            let row = sqlx::query(DELETE)
                .bind(id)
                .fetch_optional(&mut *tx)
                .await?;
            let Some(row) = row else {
                refuse!(tx, ApiError::not_found(format!("no announcement #{id}")));
            };
            let organisation_id = row.opt_int("organisation_id")?;
            let tombstone = sqlx::query(TOMBSTONE)
                .bind(DeletionKind::Announcement.as_str())
                .bind(id)
                .bind(organisation_id)
                .bind(millis(now))
                .fetch_one(&mut *tx)
                .await?
                .int("id")?;
            let seq = stamp_change!(tx, STAMP_DELETION, tombstone);
            keep_response!(tx, by.id, idempotency, 204u16, &());
            let events = vec![ChangeEvent::of(
                seq,
                ChangeKind::Announcement,
                id,
                Audience::of_organisation(organisation_id),
            )];
            notify_in_tx!(self, tx, events);
            tx.commit().await?;
            self.announce_committed(events);
            Ok(Written::Created(()))
        })
    }

    // ---- remote sessions ----------------------------------------------------------

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
        let _turn = self.write_turn().await;
        on_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            claim_or_replay!(tx, by.id, idempotency);
            let status = sqlx::query("SELECT status FROM tickets WHERE id = $1")
                .bind(ticket.id)
                .fetch_optional(&mut *tx)
                .await?;
            match status.as_ref().map(|r| r.text("status")).transpose()? {
                None => refuse!(tx, ApiError::not_found(format!("no ticket #{}", ticket.id))),
                Some(s) if s == TicketStatus::Closed.as_str() => refuse!(
                    tx,
                    ApiError::new(
                        ErrorCode::Conflict,
                        "this ticket is closed: no remote session for it",
                    )
                ),
                Some(_) => {}
            }
            let id = sqlx::query(INSERT)
                .bind(ticket.id)
                .bind(new.reason.clone())
                .bind(new.tool.as_str())
                .bind(by.id)
                .bind(millis(now))
                .fetch_one(&mut *tx)
                .await?
                .int("id")?;
            finish_remote_session!(self, tx, id, by, idempotency, 201u16)
        })
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
        let _turn = self.write_turn().await;
        on_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            claim_or_replay!(tx, by.id, idempotency);
            let row = sqlx::query(REMOTE_SESSION_BY_ID)
                .bind(id)
                .fetch_optional(&mut *tx)
                .await?;
            let current = row.as_ref().map(remote_session_from_row).transpose()?;
            let current = match current {
                Some((session, audience)) if audience.includes(by) => session,
                _ => refuse!(tx, ApiError::not_found(format!("no remote session #{id}"))),
            };
            if current.status != from {
                refuse!(
                    tx,
                    ApiError::new(
                        ErrorCode::Conflict,
                        format!(
                            "this remote session is {}: only a {} one can be {}",
                            current.status, from, to
                        ),
                    )
                );
            }
            sqlx::query(MOVE)
                .bind(to.as_str())
                .bind(answers)
                .bind(by.id)
                .bind(millis(now))
                .bind(!answers)
                .bind(summary)
                .bind(id)
                .execute(&mut *tx)
                .await?;
            finish_remote_session!(self, tx, id, by, idempotency, 200u16)
        })
    }

    /// A ticket's remote sessions, oldest first.
    pub async fn remote_sessions(&self, ticket_id: i64) -> ApiResult<Vec<RemoteSession>> {
        on_pool!(self, |pool| {
            let rows = sqlx::query(REMOTE_SESSIONS_OF)
                .bind(ticket_id)
                .fetch_all(pool)
                .await?;
            rows.iter()
                .map(|r| remote_session_from_row(r).map(|(session, _)| session))
                .collect()
        })
    }

    // ---- order delays -------------------------------------------------------------

    /// The order-delay requests `viewer` may see, newest first.
    pub async fn order_delays(&self, viewer: &User) -> ApiResult<Vec<OrderDelayRequest>> {
        let (is_agent, org) = org_params(viewer);
        on_pool!(self, |pool| {
            let rows = sqlx::query(ORDER_DELAYS_VISIBLE)
                .bind(is_agent)
                .bind(org)
                .fetch_all(pool)
                .await?;
            rows.iter().map(order_delay_from_row).collect()
        })
    }

    /// An agent asks an organisation about a delayed order; an unknown
    /// organisation is a 422.
    pub async fn create_order_delay(
        &self,
        by: &User,
        new: &NewOrderDelay,
        idempotency: Option<&Idempotency>,
        now: DateTime<Utc>,
    ) -> ApiResult<Written<OrderDelayRequest>> {
        const INSERT: &str = "INSERT INTO order_delays (organisation_id, order_number, question, \
             due_ms, status, created_by, created_ms) VALUES ($1, $2, $3, $4, 'open', $5, $6) \
             RETURNING id";
        let _turn = self.write_turn().await;
        on_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            claim_or_replay!(tx, by.id, idempotency);
            let n = sqlx::query(ORGANISATION_EXISTS)
                .bind(new.organisation_id)
                .fetch_one(&mut *tx)
                .await?
                .int("n")?;
            if n == 0 {
                refuse!(
                    tx,
                    ApiError::validation(format!("no organisation #{}", new.organisation_id))
                );
            }
            let id = sqlx::query(INSERT)
                .bind(new.organisation_id)
                .bind(new.order_number.trim().to_owned())
                .bind(new.question.clone())
                .bind(new.due_at.map(millis))
                .bind(by.id)
                .bind(millis(now))
                .fetch_one(&mut *tx)
                .await?
                .int("id")?;
            finish_order_delay!(self, tx, id, by, idempotency, 201u16)
        })
    }

    /// A customer of the organisation answers an open request, once.
    pub async fn answer_order_delay(
        &self,
        id: i64,
        by: &User,
        answer: &str,
        idempotency: Option<&Idempotency>,
        now: DateTime<Utc>,
    ) -> ApiResult<Written<OrderDelayRequest>> {
        const ANSWER: &str = "UPDATE order_delays SET status = 'answered', answer = $1, \
             answered_by = $2, answered_ms = $3 WHERE id = $4";
        let _turn = self.write_turn().await;
        on_pool!(self, |pool| {
            let mut tx = pool.begin().await?;
            claim_or_replay!(tx, by.id, idempotency);
            let row = sqlx::query(ORDER_DELAY_BY_ID)
                .bind(id)
                .fetch_optional(&mut *tx)
                .await?;
            let current = row.as_ref().map(order_delay_from_row).transpose()?;
            let current = match current {
                Some(d) if Audience::of_organisation(Some(d.organisation_id)).includes(by) => d,
                _ => refuse!(
                    tx,
                    ApiError::not_found(format!("no order-delay request #{id}"))
                ),
            };
            if current.status != OrderDelayStatus::Open {
                refuse!(
                    tx,
                    ApiError::new(ErrorCode::Conflict, "this request was already answered")
                );
            }
            sqlx::query(ANSWER)
                .bind(answer.to_owned())
                .bind(by.id)
                .bind(millis(now))
                .bind(id)
                .execute(&mut *tx)
                .await?;
            finish_order_delay!(self, tx, id, by, idempotency, 200u16)
        })
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
