//! Order-delay information requests: an agent asks an organisation for one
//! typed thing about a delayed order, one of its people answers once, in
//! those typed fields. Each write stamps a change and announces it to the
//! organisation.

use chrono::NaiveDate;
use deskmate_api::{
    NewOrderDelay, OrderDelayAnswer, OrderDelayKind, OrderDelayStatus, Price, SiteContact,
};

use super::write::Changed;
use super::*;

macro_rules! order_delay_query {
    ($tail:literal) => {
        concat!(
            "SELECT d.id, d.organisation_id, d.order_number, d.question, d.due_ms, d.status, ",
            "d.answer, a.name AS answered_by_name, d.created_ms, d.answered_ms, d.change_seq, ",
            "d.kind, d.charge_minor, d.charge_currency, d.resolution_date, d.contact_name, ",
            "d.contact_phone, d.contact_email, d.charge_accepted ",
            "FROM order_delays d LEFT JOIN users a ON a.id = d.answered_by ",
            $tail
        )
    };
}

const ORDER_DELAY_BY_ID: &str = order_delay_query!("WHERE d.id = $1");
const ORDER_DELAYS_VISIBLE: &str = order_delay_query!(
    "WHERE ($1 OR d.organisation_id = $2) ORDER BY d.created_ms DESC, d.id DESC"
);
pub(super) const SYNC_ORDER_DELAYS: &str = order_delay_query!(
    "WHERE ($1 OR d.organisation_id = $2) AND d.change_seq > $3 AND d.change_seq <= $4 \
     ORDER BY d.change_seq LIMIT $5"
);
const STAMP_ORDER_DELAY: &str = "UPDATE order_delays SET change_seq = $1 WHERE id = $2";

pub(super) fn order_delay_from_row(row: &impl Columns) -> ApiResult<OrderDelayRequest> {
    let status = row.text("status")?;
    let kind = row.text("kind")?;
    let charge = match (
        row.opt_int("charge_minor")?,
        row.opt_text("charge_currency")?,
    ) {
        (Some(amount), Some(currency)) => Some(Price::new(amount, currency)),
        _ => None,
    };
    let resolution_date = row
        .opt_text("resolution_date")?
        .map(|d| {
            stored(
                "resolution date",
                &d,
                NaiveDate::parse_from_str(&d, "%Y-%m-%d").ok(),
            )
        })
        .transpose()?;
    let site_contact = match (
        row.opt_text("contact_name")?,
        row.opt_text("contact_phone")?,
    ) {
        (Some(name), Some(phone)) => Some(SiteContact {
            name,
            phone,
            email: row.opt_text("contact_email")?,
        }),
        _ => None,
    };
    Ok(OrderDelayRequest {
        id: row.int("id")?,
        organisation_id: row.int("organisation_id")?,
        order_number: row.text("order_number")?,
        question: row.text("question")?,
        kind: stored("order delay kind", &kind, OrderDelayKind::parse(&kind))?,
        charge,
        due_at: opt_time(row, "due_ms")?,
        status: stored(
            "order delay status",
            &status,
            OrderDelayStatus::parse(&status),
        )?,
        answer: row.opt_text("answer")?,
        resolution_date,
        site_contact,
        charge_accepted: row.opt_flag("charge_accepted")?,
        answered_by_name: row.opt_text("answered_by_name")?,
        created_at: from_millis(row.int("created_ms")?)?,
        answered_at: opt_time(row, "answered_ms")?,
    })
}

/// Stamps order-delay request `id` and reads it back: the write's answer,
/// and its change for the organisation.
async fn stamped_order_delay(tx: &mut Tx, id: i64) -> ApiResult<Changed<OrderDelayRequest>> {
    let seq = tx.stamp(STAMP_ORDER_DELAY, id).await?;
    let row = tx.fetch_one(sql(ORDER_DELAY_BY_ID).bind(id)).await?;
    let delay = order_delay_from_row(&row)?;
    let change = ChangeEvent::of(
        seq,
        ChangeKind::OrderDelay,
        delay.id,
        Audience::of_organisation(Some(delay.organisation_id)),
    );
    Ok((delay, vec![change]))
}

impl Db {
    /// The order-delay requests `viewer` may see, newest first.
    pub async fn order_delays(&self, viewer: &User) -> ApiResult<Vec<OrderDelayRequest>> {
        let (is_agent, org) = org_params(viewer);
        let rows = self
            .fetch_all(sql(ORDER_DELAYS_VISIBLE).bind(is_agent).bind(org))
            .await?;
        rows.iter().map(order_delay_from_row).collect()
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
             due_ms, status, created_by, created_ms, kind, charge_minor, charge_currency) \
             VALUES ($1, $2, $3, $4, 'open', $5, $6, $7, $8, $9) RETURNING id";
        self.write(by.id, idempotency, 201, async |tx| {
            let n = tx
                .fetch_one(sql(ORGANISATION_EXISTS).bind(new.organisation_id))
                .await?
                .int("n")?;
            if n == 0 {
                return Err(ApiError::validation(format!(
                    "no organisation #{}",
                    new.organisation_id
                )));
            }
            let id = tx
                .fetch_one(
                    sql(INSERT)
                        .bind(new.organisation_id)
                        .bind(new.order_number.trim().to_owned())
                        .bind(new.question.clone())
                        .bind(new.due_at.map(millis))
                        .bind(by.id)
                        .bind(millis(now))
                        .bind(new.kind.as_str())
                        .bind(new.charge.as_ref().map(|c| c.amount_minor))
                        .bind(new.charge.as_ref().map(|c| c.currency.clone())),
                )
                .await?
                .int("id")?;
            stamped_order_delay(tx, id).await
        })
        .await
    }

    /// A customer of the organisation answers an open request, once, with
    /// what its kind asks for: another organisation's request is a 404, a
    /// second answer a 409, the wrong kind of answer a 422.
    pub async fn answer_order_delay(
        &self,
        id: i64,
        by: &User,
        answer: &OrderDelayAnswer,
        idempotency: Option<&Idempotency>,
        now: DateTime<Utc>,
    ) -> ApiResult<Written<OrderDelayRequest>> {
        const ANSWER: &str = "UPDATE order_delays SET status = 'answered', answer = $1, \
             answered_by = $2, answered_ms = $3, resolution_date = $4, contact_name = $5, \
             contact_phone = $6, contact_email = $7, charge_accepted = $8 WHERE id = $9";
        let answer = answer.normalized();
        self.write(by.id, idempotency, 200, async |tx| {
            let row = tx.fetch_optional(sql(ORDER_DELAY_BY_ID).bind(id)).await?;
            let current = row.as_ref().map(order_delay_from_row).transpose()?;
            let current = match current {
                Some(d) if Audience::of_organisation(Some(d.organisation_id)).includes(by) => d,
                _ => return Err(ApiError::not_found(format!("no order-delay request #{id}"))),
            };
            if current.status != OrderDelayStatus::Open {
                return Err(ApiError::new(
                    ErrorCode::Conflict,
                    "this request was already answered",
                ));
            }
            answer
                .validate_for(current.kind, now.date_naive())
                .map_err(ApiError::validation)?;
            let contact = answer.site_contact.clone();
            tx.execute(
                sql(ANSWER)
                    .bind(Some(answer.answer.clone()).filter(|a| !a.is_empty()))
                    .bind(by.id)
                    .bind(millis(now))
                    .bind(
                        answer
                            .resolution_date
                            .map(|d| d.format("%Y-%m-%d").to_string()),
                    )
                    .bind(contact.as_ref().map(|c| c.name.clone()))
                    .bind(contact.as_ref().map(|c| c.phone.clone()))
                    .bind(contact.and_then(|c| c.email))
                    .bind(answer.charge_accepted)
                    .bind(id),
            )
            .await?;
            stamped_order_delay(tx, id).await
        })
        .await
    }
}
