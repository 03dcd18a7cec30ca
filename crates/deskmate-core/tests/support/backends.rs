//! Back-ends for the tests of the seam: deskmate-server's client counting
//! what the core asks of it, and a back-end that offers only what every
//! helpdesk must (as a second helpdesk would), both over a real server.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};

use async_trait::async_trait;
use deskmate_api::{
    Attachment, AttachmentKind, Availability, Capabilities, ExpediteQuote, ExpediteRequest,
    LoginResponse, Me, Message, NewExpedite, NewMessage, NewTicket, OrderDelayAnswer,
    OrderDelayRequest, RemoteSession, RemoteSessionAnswer, ReopenTicket, SyncPage, Ticket,
    TicketDetail,
};
use deskmate_core::backend::{Backend, ChangeFeed, Connector, ServerClient};
use deskmate_core::{CoreError, Result, Sensitive};

/// What the core asked of a back-end.
#[derive(Debug, Default)]
pub struct Calls {
    pub create_ticket: AtomicUsize,
    pub sync: AtomicUsize,
    pub events: AtomicUsize,
    /// While set, filing a ticket fails as if the helpdesk could not be reached.
    pub filing_unreachable: AtomicBool,
}

impl Calls {
    pub fn count(counter: &AtomicUsize) -> usize {
        counter.load(Ordering::SeqCst)
    }
}

/// deskmate-server's client, counting.
#[derive(Debug)]
pub struct Counting {
    inner: ServerClient,
    calls: Arc<Calls>,
}

/// Offers nothing optional: its methods are the ones every back-end has.
#[derive(Debug)]
pub struct Plain {
    inner: ServerClient,
    calls: Arc<Calls>,
}

pub fn counting(calls: &Arc<Calls>) -> Connector {
    let calls = Arc::clone(calls);
    Arc::new(move |url: &str| -> Result<Arc<dyn Backend>> {
        Ok(Arc::new(Counting {
            inner: ServerClient::new(url)?,
            calls: Arc::clone(&calls),
        }))
    })
}

pub fn plain(calls: &Arc<Calls>) -> Connector {
    let calls = Arc::clone(calls);
    Arc::new(move |url: &str| -> Result<Arc<dyn Backend>> {
        Ok(Arc::new(Plain {
            inner: ServerClient::new(url)?,
            calls: Arc::clone(&calls),
        }))
    })
}

/// A back-end `$ty` with the methods every back-end has, delegated to
/// deskmate-server's client, and `$more`.
macro_rules! backend {
    ($ty:ty, { $($more:tt)* }) => {
        #[async_trait]
        impl Backend for $ty {
        fn base_url(&self) -> &str {
            self.inner.base_url()
        }

        async fn login(&self, email: &str, password: &Sensitive<String>) -> Result<LoginResponse> {
            self.inner.login(email, password).await
        }

        async fn logout(&self, token: &Sensitive<String>) -> Result<()> {
            self.inner.logout(token).await
        }

        async fn me(&self, token: &Sensitive<String>) -> Result<Me> {
            self.inner.me(token).await
        }

        async fn tickets(&self, token: &Sensitive<String>) -> Result<Vec<Ticket>> {
            self.inner.tickets(token).await
        }

        async fn sync(
            &self,
            token: &Sensitive<String>,
            cursor: i64,
            limit: u32,
        ) -> Result<SyncPage> {
            self.calls.sync.fetch_add(1, Ordering::SeqCst);
            self.inner.sync(token, cursor, limit).await
        }

        async fn ticket_detail(&self, token: &Sensitive<String>, id: i64) -> Result<TicketDetail> {
            self.inner.ticket_detail(token, id).await
        }

        async fn create_ticket(
            &self,
            token: &Sensitive<String>,
            ticket: &NewTicket,
            idempotency_key: &str,
        ) -> Result<Ticket> {
            self.calls.create_ticket.fetch_add(1, Ordering::SeqCst);
            if self.calls.filing_unreachable.load(Ordering::SeqCst) {
                return Err(CoreError::Network {
                    url: self.inner.base_url().to_owned(),
                });
            }
            self.inner.create_ticket(token, ticket, idempotency_key).await
        }

        async fn reply(
            &self,
            token: &Sensitive<String>,
            ticket_id: i64,
            message: &NewMessage,
            idempotency_key: &str,
        ) -> Result<Message> {
            self.inner
                .reply(token, ticket_id, message, idempotency_key)
                .await
        }

        async fn reopen(
            &self,
            token: &Sensitive<String>,
            ticket_id: i64,
            reopen: &ReopenTicket,
            idempotency_key: &str,
        ) -> Result<Message> {
            self.inner
                .reopen(token, ticket_id, reopen, idempotency_key)
                .await
        }

        async fn upload_attachment(
            &self,
            token: &Sensitive<String>,
            ticket_id: i64,
            message_id: Option<i64>,
            file_name: &str,
            kind: AttachmentKind,
            bytes: Vec<u8>,
            idempotency_key: &str,
        ) -> Result<Attachment> {
            self.inner
                .upload_attachment(
                    token,
                    ticket_id,
                    message_id,
                    file_name,
                    kind,
                    bytes,
                    idempotency_key,
                )
                .await
        }

        async fn download_attachment(
            &self,
            token: &Sensitive<String>,
            ticket_id: i64,
            attachment_id: i64,
            max_bytes: usize,
        ) -> Result<Vec<u8>> {
            self.inner
                .download_attachment(token, ticket_id, attachment_id, max_bytes)
                .await
        }

        $($more)*
        }
    };
}

backend!(Plain, {
    fn capabilities(&self) -> Capabilities {
        Capabilities::NONE
    }
});

backend!(Counting, {
    fn capabilities(&self) -> Capabilities {
        self.inner.capabilities()
    }

    async fn events(
        &self,
        token: &Sensitive<String>,
        last_event_id: Option<i64>,
    ) -> Result<Box<dyn ChangeFeed>> {
        self.calls.events.fetch_add(1, Ordering::SeqCst);
        self.inner.events(token, last_event_id).await
    }

    async fn answer_remote_session(
        &self,
        token: &Sensitive<String>,
        remote_session_id: i64,
        answer: &RemoteSessionAnswer,
        idempotency_key: &str,
    ) -> Result<RemoteSession> {
        self.inner
            .answer_remote_session(token, remote_session_id, answer, idempotency_key)
            .await
    }

    async fn answer_order_delay(
        &self,
        token: &Sensitive<String>,
        order_delay_id: i64,
        answer: &OrderDelayAnswer,
        idempotency_key: &str,
    ) -> Result<OrderDelayRequest> {
        self.inner
            .answer_order_delay(token, order_delay_id, answer, idempotency_key)
            .await
    }

    async fn expedite_quote(
        &self,
        token: &Sensitive<String>,
        ticket_id: i64,
    ) -> Result<ExpediteQuote> {
        self.inner.expedite_quote(token, ticket_id).await
    }

    async fn expedite(
        &self,
        token: &Sensitive<String>,
        ticket_id: i64,
        consent: &NewExpedite,
        idempotency_key: &str,
    ) -> Result<ExpediteRequest> {
        self.inner
            .expedite(token, ticket_id, consent, idempotency_key)
            .await
    }

    async fn set_availability(
        &self,
        token: &Sensitive<String>,
        ticket_id: i64,
        availability: Option<&Availability>,
        idempotency_key: &str,
    ) -> Result<Ticket> {
        self.inner
            .set_availability(token, ticket_id, availability, idempotency_key)
            .await
    }
});
