//! The provider's notices as the app shows them: announcements and planned
//! maintenance, remote-session requests and order-delay requests, from the
//! cache (instant, offline), and the user's answers through the outbox.

use std::collections::HashMap;

use chrono::Utc;
use deskmate_api::{
    Announcement, OrderDelayAnswer, OrderDelayRequest, OrderDelayStatus, OrderDelayView,
    OutboxItem, OutboxState, RemoteSession, RemoteSessionAnswer, RemoteSessionStatus,
    RemoteSessionView,
};

use crate::cache::Write;
use crate::{Core, CoreError, Result};

/// The signed-in account's unsent answers, by the id of what they answer;
/// the newest when there are several.
#[derive(Default)]
struct Answers {
    remote_sessions: HashMap<i64, (bool, OutboxItem)>,
    order_delays: HashMap<i64, (OrderDelayAnswer, OutboxItem)>,
    /// Who answers: shown on an order delay while its answer is pending.
    name: String,
}

impl Answers {
    fn remote_session(&self, mut session: RemoteSession) -> RemoteSessionView {
        let answer = self.remote_sessions.get(&session.id).map(|(accept, item)| {
            if item.state == OutboxState::Pending {
                session.status = if *accept {
                    RemoteSessionStatus::Accepted
                } else {
                    RemoteSessionStatus::Declined
                };
                session.answered_at = Some(item.created_at);
            }
            item.clone()
        });
        RemoteSessionView {
            remote_session: session,
            answer,
        }
    }

    fn order_delay(&self, mut request: OrderDelayRequest) -> OrderDelayView {
        let answer = self.order_delays.get(&request.id).map(|(answer, item)| {
            if item.state == OutboxState::Pending {
                request = request.clone().answered_with(answer);
                request.answered_by_name = Some(self.name.clone());
                request.answered_at = Some(item.created_at);
            }
            item.clone()
        });
        OrderDelayView {
            order_delay: request,
            answer,
        }
    }
}

impl Core {
    /// The announcements and planned maintenance that apply now or later:
    /// those in effect first, then the upcoming ones by start. Instant, offline.
    pub async fn announcements(&self) -> Result<Vec<Announcement>> {
        self.cache().announcements(Utc::now()).await
    }

    /// A ticket's remote-session requests, oldest first, with the user's
    /// unsent answers applied. Instant, offline.
    pub async fn remote_sessions(&self, ticket_id: i64) -> Result<Vec<RemoteSessionView>> {
        let answers = self.answers().await?;
        let sessions = self.cache().remote_sessions(ticket_id).await?;
        Ok(sessions
            .into_iter()
            .map(|s| answers.remote_session(s))
            .collect())
    }

    /// The remote-session requests waiting for the user's answer, and the
    /// sessions under way (accepted, not ended: the user may end them), on
    /// every ticket, oldest first; one answered but not yet sent is among
    /// them, shown with its answer. Instant, offline.
    pub async fn remote_session_requests(&self) -> Result<Vec<RemoteSessionView>> {
        let answers = self.answers().await?;
        let mut sessions = self
            .cache()
            .remote_sessions_in(RemoteSessionStatus::Requested)
            .await?;
        sessions.extend(
            self.cache()
                .remote_sessions_in(RemoteSessionStatus::Accepted)
                .await?,
        );
        sessions.sort_by_key(|s| (s.requested_at, s.id));
        Ok(sessions
            .into_iter()
            .map(|s| answers.remote_session(s))
            .collect())
    }

    /// The organisation's order-delay requests: open ones first (soonest due
    /// first), then answered ones, newest first; an answer waiting to be sent
    /// counts as given. Instant, offline.
    pub async fn order_delays(&self) -> Result<Vec<OrderDelayView>> {
        let answers = self.answers().await?;
        let mut views: Vec<OrderDelayView> = self
            .cache()
            .order_delays()
            .await?
            .into_iter()
            .map(|o| answers.order_delay(o))
            .collect();
        // Stable: the cache's order within each group stays.
        views.sort_by_key(|v| v.order_delay.status != OrderDelayStatus::Open);
        Ok(views)
    }

    /// Accepts or declines a remote-session request, through the outbox:
    /// committed here first, sent at once when the helpdesk answers, else
    /// later. Succeeds offline; the view shows the answer as pending, or the
    /// helpdesk's refusal as failed.
    pub async fn answer_remote_session(&self, id: i64, accept: bool) -> Result<RemoteSessionView> {
        let session = self.cache().remote_session(id).await?.ok_or_else(|| {
            CoreError::NotFound(format!("no remote session #{id} on this computer"))
        })?;
        if self
            .answers()
            .await?
            .remote_sessions
            .get(&id)
            .is_some_and(pending)
        {
            return Err(CoreError::Invalid(format!(
                "your answer to remote session #{id} is already waiting to be sent"
            )));
        }
        if session.status != RemoteSessionStatus::Requested {
            return Err(CoreError::Invalid(format!(
                "remote session #{id} is {} and takes no answer",
                session.status
            )));
        }
        let write = Write::AnswerRemoteSession {
            remote_session_id: id,
            answer: RemoteSessionAnswer {
                accept,
                connection: None,
            },
        };
        self.queue_and_send(write).await?;
        let session = self.cache().remote_session(id).await?.unwrap_or(session);
        Ok(self.answers().await?.remote_session(session))
    }

    /// Answers an order-delay information request with what its kind asks
    /// for (checked here first, and by the helpdesk again), through the
    /// outbox, like [`Core::answer_remote_session`].
    pub async fn answer_order_delay(
        &self,
        id: i64,
        answer: OrderDelayAnswer,
    ) -> Result<OrderDelayView> {
        let answer = answer.normalized();
        let request = self.cache().order_delay(id).await?.ok_or_else(|| {
            CoreError::NotFound(format!("no order-delay request #{id} on this computer"))
        })?;
        answer
            .validate_for(request.kind, Utc::now().date_naive())
            .map_err(CoreError::Invalid)?;
        if self
            .answers()
            .await?
            .order_delays
            .get(&id)
            .is_some_and(pending)
        {
            return Err(CoreError::Invalid(format!(
                "your answer to order-delay request #{id} is already waiting to be sent"
            )));
        }
        if request.status != OrderDelayStatus::Open {
            return Err(CoreError::Invalid(format!(
                "order-delay request #{id} was answered already"
            )));
        }
        let write = Write::AnswerOrderDelay {
            order_delay_id: id,
            answer,
        };
        self.queue_and_send(write).await?;
        let request = self.cache().order_delay(id).await?.unwrap_or(request);
        Ok(self.answers().await?.order_delay(request))
    }

    /// Commits `write` to the outbox, then drains it (the helpdesk's answer,
    /// or its absence, is in the outbox and the cache afterwards).
    async fn queue_and_send(&self, write: Write) -> Result<()> {
        match &write {
            Write::AnswerOrderDelay { .. } => {
                self.offering(|c| c.order_delays, "order-delay requests")
                    .await?
            }
            _ => {
                self.offering(|c| c.remote_sessions, "remote assistance")
                    .await?
            }
        };
        let item = self.enqueue(write, None, &[]).await?;
        self.send_now(&item).await.map(drop)
    }

    async fn answers(&self) -> Result<Answers> {
        let Some(session) = self.stored_session().await? else {
            return Ok(Answers::default());
        };
        let mut answers = Answers {
            name: session.user.name.clone(),
            ..Answers::default()
        };
        for (write, item) in self.cache().outbox_answers(session.account()).await? {
            match write {
                Write::AnswerRemoteSession {
                    remote_session_id,
                    answer,
                } => {
                    answers
                        .remote_sessions
                        .insert(remote_session_id, (answer.accept, item));
                }
                Write::AnswerOrderDelay {
                    order_delay_id,
                    answer,
                } => {
                    answers.order_delays.insert(order_delay_id, (answer, item));
                }
                _ => {}
            }
        }
        Ok(answers)
    }
}

fn pending<T>((_, item): &(T, OutboxItem)) -> bool {
    item.state == OutboxState::Pending
}
