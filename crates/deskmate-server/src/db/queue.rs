//! The queue: the tickets waiting for an agent's first answer, in the one
//! order agents and customers both see, and the agents' claims on them.
//! Claims are the provider's business: they change nothing a customer could
//! notice, so they stamp no change and announce nothing (agents poll).

use deskmate_api::QueuedTicket;

use super::*;

/// Whether ticket `$alias` waits for an agent's first answer: not closed, no
/// agent reply yet.
macro_rules! in_queue {
    ($alias:literal) => {
        concat!(
            $alias,
            ".first_responded_ms IS NULL AND ",
            $alias,
            ".status <> 'closed'"
        )
    };
}

/// The queue's order, as a row value: expedited first, then the earliest
/// first-response deadline (high priority has the shorter one), then the
/// oldest (the id breaks ties). A ticket without a deadline (none is filed
/// so) counts as due when filed.
macro_rules! queue_order {
    ($alias:literal) => {
        concat!(
            "(CASE WHEN ",
            $alias,
            ".expedited THEN 0 ELSE 1 END), COALESCE(",
            $alias,
            ".first_response_due_ms, ",
            $alias,
            ".created_ms), ",
            $alias,
            ".created_ms, ",
            $alias,
            ".id"
        )
    };
}

/// A ticket as the queue shows it: with its flag, its organisation's name
/// and who holds it.
macro_rules! queued_query {
    ($tail:literal) => {
        ticket_query!(
            ", c.name AS claimed_by_name, t.claimed_ms, o.name AS organisation_name, t.ready_until_ms",
            "LEFT JOIN users c ON c.id = t.claimed_by ",
            "JOIN organisations o ON o.id = t.organisation_id ",
            $tail
        )
    };
}

const QUEUE: &str = concat!(
    queued_query!("WHERE "),
    in_queue!("t"),
    " ORDER BY ",
    queue_order!("t")
);
/// The queue's first $1 tickets.
const QUEUE_HEAD: &str = concat!(
    queued_query!("WHERE "),
    in_queue!("t"),
    " ORDER BY ",
    queue_order!("t"),
    " LIMIT $1"
);
const QUEUE_LENGTH: &str = concat!("SELECT COUNT(*) AS n FROM tickets t WHERE ", in_queue!("t"));
const QUEUED_BY_ID: &str = queued_query!("WHERE t.id = $1");
/// Ticket $1's 1-based place in the queue; 0 when it is not in it.
const QUEUE_POSITION: &str = concat!(
    "SELECT COUNT(*) AS n FROM tickets q JOIN tickets me ON me.id = $1 WHERE ",
    in_queue!("q"),
    " AND ",
    in_queue!("me"),
    " AND (",
    queue_order!("q"),
    ") <= (",
    queue_order!("me"),
    ")"
);
/// Agent $1 takes ticket $3 at $2, unless another agent holds it or it left
/// the queue; taking it again keeps the first time.
const CLAIM: &str = concat!(
    "UPDATE tickets SET claimed_by = $1, ",
    "claimed_ms = CASE WHEN claimed_by = $1 THEN claimed_ms ELSE $2 END ",
    "WHERE id = $3 AND (claimed_by IS NULL OR claimed_by = $1) AND ",
    in_queue!("tickets")
);
const RELEASE: &str =
    "UPDATE tickets SET claimed_by = NULL, claimed_ms = NULL WHERE id = $1 AND claimed_by = $2";
/// Why a claim or a release of ticket $1 changed nothing.
const CLAIM_STATE: &str = concat!(
    "SELECT CAST(CASE WHEN ",
    in_queue!("t"),
    " THEN 1 ELSE 0 END AS BIGINT) AS queued, c.name AS claimed_by_name ",
    "FROM tickets t LEFT JOIN users c ON c.id = t.claimed_by WHERE t.id = $1"
);

fn queued_ticket_from_row(row: &impl Columns, position: i64) -> ApiResult<QueuedTicket> {
    let stored = stored_ticket_from_row(row)?;
    let reach =
        deskmate_api::reachability::reachability(stored.ticket.availability.as_ref(), Utc::now());
    Ok(QueuedTicket {
        position,
        first_response_due_at: stored
            .first_response_due_at
            .unwrap_or(stored.ticket.created_at),
        expedited: stored.ticket.expedited,
        ticket: stored.ticket,
        organisation_name: row.text("organisation_name")?,
        claimed_by_name: row.opt_text("claimed_by_name")?,
        claimed_at: row.opt_int("claimed_ms")?.map(from_millis).transpose()?,
        reachable_now: reach.reachable_now,
        next_reachable_at: reach.next_reachable_at,
        ready_until: super::ready_now::still_ready(row.opt_int("ready_until_ms")?, Utc::now())?,
    })
}

fn no_ticket(id: i64) -> ApiError {
    ApiError::not_found(format!("no ticket #{id}"))
}

/// Why ticket `id` cannot be claimed (`claiming`) or released: it is
/// unknown (404), not queued, or held by someone else (409).
async fn claim_refusal(tx: &mut Tx, id: i64, claiming: bool) -> ApiResult<ApiError> {
    let Some(row) = tx.fetch_optional(sql(CLAIM_STATE).bind(id)).await? else {
        return Ok(no_ticket(id));
    };
    let queued = row.int("queued")? != 0;
    let message = match row.opt_text("claimed_by_name")? {
        _ if claiming && !queued => {
            format!("ticket #{id} is not in the queue: an agent has answered it, or it is closed")
        }
        Some(name) => format!("ticket #{id} is held by {name}"),
        None => format!("nobody holds ticket #{id}"),
    };
    Ok(ApiError::new(ErrorCode::Conflict, message))
}

impl Db {
    /// The tickets waiting for an agent's first answer, next first: all,
    /// or the first `limit`; and how many wait in all.
    pub async fn queue(&self, limit: Option<i64>) -> ApiResult<(Vec<QueuedTicket>, i64)> {
        let rows = match limit {
            Some(limit) => self.fetch_all(sql(QUEUE_HEAD).bind(limit)).await?,
            None => self.fetch_all(sql(QUEUE)).await?,
        };
        let tickets = rows
            .iter()
            .zip(1i64..)
            .map(|(row, position)| queued_ticket_from_row(row, position))
            .collect::<ApiResult<Vec<_>>>()?;
        let shown = i64::try_from(tickets.len()).unwrap_or(i64::MAX);
        let total = match limit {
            Some(limit) if shown >= limit => self.fetch_one(sql(QUEUE_LENGTH)).await?.int("n")?,
            _ => shown,
        };
        Ok((tickets, total))
    }

    /// The ticket's 1-based place in the queue; `None` when it is not
    /// waiting for an agent's first answer.
    pub async fn queue_position(&self, stored: &StoredTicket) -> ApiResult<Option<i64>> {
        if !stored.awaits_first_response() {
            return Ok(None);
        }
        let row = self
            .fetch_one(sql(QUEUE_POSITION).bind(stored.ticket.id))
            .await?;
        // 0 only if it was answered or closed since it was read.
        Ok(Some(row.int("n")?).filter(|n| *n > 0))
    }

    /// Agent `by` takes queued ticket `id` (again: nothing changes); a
    /// ticket another agent holds, or that left the queue, is a conflict.
    pub async fn claim(
        &self,
        id: i64,
        by: &User,
        idempotency: Option<&Idempotency>,
        now: DateTime<Utc>,
    ) -> ApiResult<Written<QueuedTicket>> {
        self.write(by.id, idempotency, 200, async |tx| {
            let claimed = tx
                .execute(sql(CLAIM).bind(by.id).bind(millis(now)).bind(id))
                .await?
                .rows_affected();
            if claimed == 0 {
                return Err(claim_refusal(tx, id, true).await?);
            }
            let row = tx.fetch_one(sql(QUEUED_BY_ID).bind(id)).await?;
            let position = tx.fetch_one(sql(QUEUE_POSITION).bind(id)).await?.int("n")?;
            let queued = queued_ticket_from_row(&row, position)?;
            let event = ChangeEvent::claim_changed(&queued.ticket);
            Ok((queued, vec![event]))
        })
        .await
    }

    /// Agent `by` lets go of ticket `id`; only the agent who holds it may.
    pub async fn release(
        &self,
        id: i64,
        by: &User,
        idempotency: Option<&Idempotency>,
    ) -> ApiResult<Written<()>> {
        self.write(by.id, idempotency, 204, async |tx| {
            let released = tx
                .execute(sql(RELEASE).bind(id).bind(by.id))
                .await?
                .rows_affected();
            if released == 0 {
                return Err(claim_refusal(tx, id, false).await?);
            }
            let stored = super::write::tx_ticket(tx, id).await?;
            Ok(((), vec![ChangeEvent::claim_changed(&stored.ticket)]))
        })
        .await
    }
}
