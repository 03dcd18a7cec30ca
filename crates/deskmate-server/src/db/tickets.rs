//! Tickets and their conversation: reading one, filing, replying (and the
//! status moves a message makes), setting the status.

use super::write::tx_ticket;
use super::*;

impl Db {
    /// One ticket, if the scope allows seeing it (else `None`, as if unknown).
    pub async fn ticket(&self, scope: Scope, id: i64) -> ApiResult<Option<StoredTicket>> {
        let (kind, viewer) = scope_params(scope);
        let row = self
            .fetch_optional(sql(TICKET_IN_SCOPE).bind(kind).bind(viewer).bind(id))
            .await?;
        row.as_ref().map(stored_ticket_from_row).transpose()
    }

    /// A ticket's conversation, oldest first; internal notes only when asked.
    pub async fn messages(&self, ticket_id: i64, with_internal: bool) -> ApiResult<Vec<Message>> {
        let rows = self
            .fetch_all(sql(MESSAGES_OF).bind(ticket_id).bind(with_internal))
            .await?;
        rows.iter().map(message_from_row).collect()
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
        self.write(author.id, idempotency, 201, async |tx| {
            let current = tx_ticket(tx, ticket_id).await?;
            let next = transition.decide(current.ticket.status, current.closed_at, now)?;
            let row = tx
                .fetch_one(
                    sql(INSERT)
                        .bind(ticket_id)
                        .bind(author.id)
                        .bind(body.to_owned())
                        .bind(internal)
                        .bind(millis(now)),
                )
                .await?;
            if transition == Transition::AgentReply {
                tx.execute(sql(FIRST_RESPONSE).bind(millis(now)).bind(ticket_id))
                    .await?;
            }
            if let Some(status) = next {
                tx.execute(
                    sql(SET_STATUS)
                        .bind(status.as_str())
                        .bind(millis(now))
                        .bind(ticket_id),
                )
                .await?;
            } else if !internal {
                tx.execute(sql(TOUCH).bind(millis(now)).bind(ticket_id))
                    .await?;
            }
            let mut events = Vec::new();
            if !internal {
                let seq = tx.stamp(STAMP_TICKET, ticket_id).await?;
                events.push(ChangeEvent::of_ticket(seq, &current.ticket));
            }
            let message_id = row.int("id")?;
            events.push(ChangeEvent {
                seq: tx.stamp(STAMP_MESSAGE, message_id).await?,
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
            Ok((message, events))
        })
        .await
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
        self.write(by.id, idempotency, 200, async |tx| {
            let changed = tx
                .execute(
                    sql(SET_STATUS)
                        .bind(status.as_str())
                        .bind(now)
                        .bind(ticket_id),
                )
                .await?
                .rows_affected();
            if changed == 0 {
                return Err(ApiError::not_found(format!("no ticket #{ticket_id}")));
            }
            let seq = tx.stamp(STAMP_TICKET, ticket_id).await?;
            let row = tx.fetch_one(sql(TICKET_BY_ID).bind(ticket_id)).await?;
            let ticket = ticket_from_row(&row)?;
            let events = vec![ChangeEvent::of_ticket(seq, &ticket)];
            Ok((ticket, events))
        })
        .await
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
        self.write(requester.id, idempotency, 201, async |tx| {
            let row = tx
                .fetch_one(
                    sql(INSERT)
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
                        .bind(availability_json.clone()),
                )
                .await?;
            let id = row.int("id")?;
            let seq = tx.stamp(STAMP_TICKET, id).await?;
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
            let events = vec![ChangeEvent::of_ticket(seq, &created)];
            Ok((created, events))
        })
        .await
    }

    /// Sets a ticket's status and last activity (demo seeding and, later, agents).
    pub async fn set_ticket_state(
        &self,
        id: i64,
        status: TicketStatus,
        updated_at: DateTime<Utc>,
    ) -> ApiResult<()> {
        self.transaction(async |tx| {
            tx.execute(
                sql(SET_STATUS)
                    .bind(status.as_str())
                    .bind(millis(updated_at))
                    .bind(id),
            )
            .await?;
            tx.stamp(STAMP_TICKET, id).await?;
            Ok(())
        })
        .await
    }

    pub async fn is_empty(&self) -> ApiResult<bool> {
        let row = self
            .fetch_one(sql("SELECT COUNT(*) AS n FROM organisations"))
            .await?;
        Ok(row.int("n")? == 0)
    }
}
