//! Expedited responses: a customer's consent to the provider's price marks
//! the ticket expedited (first in the queue) and records the charge the
//! provider bills the organisation, in one transaction.

use deskmate_api::{ExpediteRequest, Price};

use super::write::tx_ticket;
use super::*;
use crate::query::{Keyset, page};

macro_rules! request_query {
    ($tail:literal) => {
        concat!(
            "SELECT e.id, e.ticket_id, e.amount_minor, e.currency, e.terms, e.invoice_id, \
             e.requested_by, u.name AS requested_by_name, e.requested_ms \
             FROM expedite_requests e JOIN users u ON u.id = e.requested_by ",
            $tail
        )
    };
}

const REQUEST_OF: &str = request_query!("WHERE e.ticket_id = $1");
/// One page of organisation $1's charges before ($2, $3), newest first.
const CHARGES: &str = request_query!(
    "WHERE e.organisation_id = $1 AND (e.requested_ms < $2 OR (e.requested_ms = $2 AND e.id < $3)) \
     ORDER BY e.requested_ms DESC, e.id DESC LIMIT $4"
);
const INSERT_REQUEST: &str = "INSERT INTO expedite_requests (ticket_id, organisation_id, \
     requested_by, requested_ms, amount_minor, currency, terms) \
     VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id";
/// Marks ticket $3 expedited at $2 unless it is already (then nothing changes).
const SET_EXPEDITED: &str = "UPDATE tickets SET expedited = $1, expedited_ms = $2, \
     updated_ms = $2 WHERE id = $3 AND NOT expedited";

/// What the customer accepts: the provider's price now and its terms.
#[derive(Clone, Debug)]
pub struct ExpediteOffer {
    pub price: Price,
    pub terms: String,
}

fn request_from_row(row: &impl Columns) -> ApiResult<ExpediteRequest> {
    Ok(ExpediteRequest {
        id: row.int("id")?,
        ticket_id: row.int("ticket_id")?,
        price: Price::new(row.int("amount_minor")?, row.text("currency")?),
        requested_by_id: row.int("requested_by")?,
        requested_by_name: row.text("requested_by_name")?,
        requested_at: from_millis(row.int("requested_ms")?)?,
        terms: row.text("terms")?,
        invoice_id: row.opt_int("invoice_id")?,
    })
}

fn conflict(message: String) -> ApiError {
    ApiError::new(ErrorCode::Conflict, message)
}

/// Why ticket `stored` cannot be expedited at `offer` by someone who
/// accepted `accepted`, if it cannot: closed, expedited already (`by`: who
/// and when, when known), or the price changed since it was shown.
pub fn expedite_refusal(
    stored: &StoredTicket,
    by: Option<&ExpediteRequest>,
    offer: &ExpediteOffer,
    accepted: Option<&Price>,
) -> Option<String> {
    let id = stored.ticket.id;
    if stored.ticket.expedited {
        return Some(match by {
            Some(r) => format!(
                "ticket #{id} was expedited already, by {} on {}",
                r.requested_by_name,
                r.requested_at.format("%Y-%m-%d %H:%M UTC")
            ),
            None => format!("ticket #{id} is expedited already"),
        });
    }
    if stored.ticket.status == TicketStatus::Closed {
        return Some(format!(
            "ticket #{id} is closed: reopen it first, or file a new ticket"
        ));
    }
    match accepted {
        Some(accepted) if *accepted != offer.price => Some(format!(
            "the price of an expedited response is now {}, not {accepted}: look at the \
             quote again and accept the current price",
            offer.price
        )),
        _ => None,
    }
}

impl Db {
    /// One page of the organisation's expedite charges after `after`,
    /// newest first, and the cursor of the next page.
    pub async fn expedite_charges(
        &self,
        organisation_id: i64,
        after: Keyset,
        limit: i64,
    ) -> ApiResult<(Vec<ExpediteRequest>, Option<String>)> {
        let rows = self
            .fetch_all(
                sql(CHARGES)
                    .bind(organisation_id)
                    .bind(after.at)
                    .bind(after.id)
                    .bind(limit + 1),
            )
            .await?;
        let rows = rows
            .iter()
            .map(request_from_row)
            .collect::<ApiResult<Vec<_>>>()?;
        Ok(page(rows, limit, |r| Keyset {
            at: millis(r.requested_at),
            id: r.id,
        }))
    }

    /// The expedited response bought for ticket `ticket_id`, if any.
    pub async fn expedite_request(&self, ticket_id: i64) -> ApiResult<Option<ExpediteRequest>> {
        let row = self.fetch_optional(sql(REQUEST_OF).bind(ticket_id)).await?;
        row.as_ref().map(request_from_row).transpose()
    }

    /// Customer `by` accepts `accepted` for an expedited response of ticket
    /// `ticket_id`: unless the ticket is closed or expedited already, or the
    /// price is no longer `offer`'s, the ticket is expedited, the consent
    /// and the charge recorded and the change announced, in one transaction.
    pub async fn expedite(
        &self,
        ticket_id: i64,
        by: &User,
        offer: &ExpediteOffer,
        accepted: &Price,
        idempotency: Option<&Idempotency>,
        now: DateTime<Utc>,
    ) -> ApiResult<Written<ExpediteRequest>> {
        let at = millis(now);
        self.write(by.id, idempotency, 201, async |tx| {
            let current = tx_ticket(tx, ticket_id).await?;
            let earlier = tx.fetch_optional(sql(REQUEST_OF).bind(ticket_id)).await?;
            let earlier = earlier.as_ref().map(request_from_row).transpose()?;
            if let Some(why) = expedite_refusal(&current, earlier.as_ref(), offer, Some(accepted)) {
                return Err(conflict(why));
            }
            let changed = tx
                .execute(sql(SET_EXPEDITED).bind(true).bind(at).bind(ticket_id))
                .await?
                .rows_affected();
            if changed == 0 {
                return Err(conflict(format!(
                    "ticket #{ticket_id} is expedited already"
                )));
            }
            let row = tx
                .fetch_one(
                    sql(INSERT_REQUEST)
                        .bind(ticket_id)
                        .bind(current.ticket.organisation_id)
                        .bind(by.id)
                        .bind(at)
                        .bind(accepted.amount_minor)
                        .bind(accepted.currency.clone())
                        .bind(offer.terms.clone()),
                )
                .await?;
            let seq = tx.stamp(STAMP_TICKET, ticket_id).await?;
            let request = ExpediteRequest {
                id: row.int("id")?,
                ticket_id,
                price: accepted.clone(),
                requested_by_id: by.id,
                requested_by_name: by.name.clone(),
                requested_at: from_millis(at)?,
                terms: offer.terms.clone(),
                invoice_id: None,
            };
            let events = vec![ChangeEvent::of_ticket(seq, &current.ticket)];
            Ok((request, events))
        })
        .await
    }
}
