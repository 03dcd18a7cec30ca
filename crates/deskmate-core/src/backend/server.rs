//! The HTTP client of deskmate-server's `/api/v1`: its [`Backend`].

use std::time::Duration;

use async_trait::async_trait;
use deskmate_api::{
    Attachment, AttachmentKind, Availability, Capabilities, ErrorCode, ErrorResponse,
    ExpediteQuote, ExpediteRequest, LoginRequest, LoginResponse, Me, Message, NewExpedite,
    NewMessage, NewTicket, OrderDelayAnswer, OrderDelayRequest, ReadyNow, ReadyNowRequest,
    RemoteSession, RemoteSessionAnswer, RemoteSessionEnd, ReopenTicket, SyncPage, Ticket,
    TicketDetail, TicketList,
};
use reqwest::{Method, RequestBuilder, Response, StatusCode};
use serde::Serialize;
use serde::de::DeserializeOwned;

mod accounts;

use super::server_events::EventStream;
use super::{AccountAdmin, AccountsBackend, Backend, ChangeFeed, normalize_url};

use crate::secrets::Sensitive;
use crate::{CoreError, Result};

/// Header that makes a write safe to retry: the server applies each key once.
pub const IDEMPOTENCY_KEY: &str = "Idempotency-Key";

/// Longest a file upload or download may take (10 MiB on a slow line).
const TRANSFER_TIMEOUT: Duration = Duration::from_secs(300);

/// A client of one deskmate-server.
#[derive(Debug, Clone)]
pub struct ServerClient {
    http: reqwest::Client,
    base: String,
}

impl ServerClient {
    /// `base_url` like `https://help.example.com` (a trailing slash is fine).
    pub fn new(base_url: &str) -> Result<Self> {
        let base = normalize_url(base_url)?;
        let http = reqwest::Client::builder()
            .connect_timeout(Duration::from_secs(5))
            .timeout(Duration::from_secs(30))
            .user_agent(concat!("deskmate/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| CoreError::Invalid(format!("cannot build an HTTP client: {e}")))?;
        Ok(Self { http, base })
    }

    pub(super) fn request(&self, method: Method, path: &str) -> RequestBuilder {
        self.http.request(method, format!("{}{path}", self.base))
    }

    pub(super) fn authed(
        &self,
        method: Method,
        path: &str,
        token: &Sensitive<String>,
    ) -> RequestBuilder {
        self.request(method, path).bearer_auth(token.expose())
    }

    pub(super) async fn execute(&self, request: RequestBuilder) -> Result<Response> {
        request.send().await.map_err(|e| {
            tracing::debug!(error = %e, "request failed");
            if e.is_builder() {
                CoreError::Invalid(format!("invalid helpdesk address {}", self.base))
            } else {
                CoreError::Network {
                    url: self.base.clone(),
                }
            }
        })
    }

    /// A write: `POST` of `body` with the write's idempotency key.
    async fn post<B: Serialize + Sync + ?Sized, T: DeserializeOwned>(
        &self,
        token: &Sensitive<String>,
        path: &str,
        body: &B,
        idempotency_key: &str,
    ) -> Result<T> {
        self.send(
            self.authed(Method::POST, path, token)
                .header(IDEMPOTENCY_KEY, idempotency_key)
                .json(body),
        )
        .await
    }

    pub(super) async fn send<T: DeserializeOwned>(&self, request: RequestBuilder) -> Result<T> {
        let response = check(self.execute(request).await?).await?;
        let bytes = response.bytes().await.map_err(|_| CoreError::Network {
            url: self.base.clone(),
        })?;
        serde_json::from_slice(&bytes).map_err(|e| CoreError::Protocol {
            url: self.base.clone(),
            detail: e.to_string(),
        })
    }
}

#[async_trait]
impl Backend for ServerClient {
    /// deskmate-server offers everything the core knows.
    fn capabilities(&self) -> Capabilities {
        Capabilities::ALL
    }

    fn base_url(&self) -> &str {
        &self.base
    }

    fn accounts(&self) -> Option<&dyn AccountAdmin> {
        Some(self)
    }

    fn self_service(&self) -> Option<&dyn AccountsBackend> {
        Some(self)
    }

    async fn login(&self, email: &str, password: &Sensitive<String>) -> Result<LoginResponse> {
        let body = LoginRequest {
            email: email.to_owned(),
            password: password.expose().clone(),
        };
        self.send(self.request(Method::POST, "/api/v1/auth/login").json(&body))
            .await
    }

    async fn logout(&self, token: &Sensitive<String>) -> Result<()> {
        let response = self
            .execute(self.authed(Method::POST, "/api/v1/auth/logout", token))
            .await?;
        check(response).await.map(drop)
    }

    async fn me(&self, token: &Sensitive<String>) -> Result<Me> {
        self.send(self.authed(Method::GET, "/api/v1/me", token))
            .await
    }

    /// `GET /api/v1/tickets`, every page: all the tickets the user may see.
    async fn tickets(&self, token: &Sensitive<String>) -> Result<Vec<Ticket>> {
        let mut tickets = Vec::new();
        let mut path = "/api/v1/tickets?limit=500".to_owned();
        loop {
            let page: TicketList = self.send(self.authed(Method::GET, &path, token)).await?;
            tickets.extend(page.tickets);
            match page.next_cursor {
                Some(cursor) => path = format!("/api/v1/tickets?limit=500&cursor={cursor}"),
                None => return Ok(tickets),
            }
        }
    }

    async fn create_ticket(
        &self,
        token: &Sensitive<String>,
        ticket: &NewTicket,
        idempotency_key: &str,
    ) -> Result<Ticket> {
        self.post(token, "/api/v1/tickets", ticket, idempotency_key)
            .await
    }

    /// `GET /api/v1/sync`: one page of what changed after `cursor`.
    async fn sync(&self, token: &Sensitive<String>, cursor: i64, limit: u32) -> Result<SyncPage> {
        self.send(self.authed(
            Method::GET,
            &format!("/api/v1/sync?cursor={cursor}&limit={limit}"),
            token,
        ))
        .await
    }

    /// `GET /api/v1/events`: the open Server-Sent Events stream. It has no
    /// overall time limit (it lasts as long as it can); a connection silent
    /// for longer than three heartbeats counts as dead.
    async fn events(
        &self,
        token: &Sensitive<String>,
        last_event_id: Option<i64>,
    ) -> Result<Box<dyn ChangeFeed>> {
        let http = reqwest::Client::builder()
            .connect_timeout(Duration::from_secs(5))
            .read_timeout(Duration::from_secs(45))
            .user_agent(concat!("deskmate/", env!("CARGO_PKG_VERSION")))
            .build()
            .map_err(|e| CoreError::Invalid(format!("cannot build an HTTP client: {e}")))?;
        let mut request = http
            .get(format!("{}/api/v1/events", self.base))
            .bearer_auth(token.expose())
            .header(reqwest::header::ACCEPT, "text/event-stream");
        if let Some(id) = last_event_id {
            request = request.header("Last-Event-ID", id.to_string());
        }
        let response = check(self.execute(request).await?).await?;
        Ok(Box::new(EventStream::new(response, self.base.clone())))
    }

    /// `GET /api/v1/tickets/{id}`: the ticket and its conversation.
    async fn ticket_detail(&self, token: &Sensitive<String>, id: i64) -> Result<TicketDetail> {
        self.send(self.authed(Method::GET, &format!("/api/v1/tickets/{id}"), token))
            .await
    }

    async fn reply(
        &self,
        token: &Sensitive<String>,
        ticket_id: i64,
        message: &NewMessage,
        idempotency_key: &str,
    ) -> Result<Message> {
        let path = format!("/api/v1/tickets/{ticket_id}/messages");
        self.post(token, &path, message, idempotency_key).await
    }

    async fn reopen(
        &self,
        token: &Sensitive<String>,
        ticket_id: i64,
        reopen: &ReopenTicket,
        idempotency_key: &str,
    ) -> Result<Message> {
        let path = format!("/api/v1/tickets/{ticket_id}/reopen");
        self.post(token, &path, reopen, idempotency_key).await
    }

    async fn answer_remote_session(
        &self,
        token: &Sensitive<String>,
        remote_session_id: i64,
        answer: &RemoteSessionAnswer,
        idempotency_key: &str,
    ) -> Result<RemoteSession> {
        let path = format!("/api/v1/remote-sessions/{remote_session_id}/answer");
        self.post(token, &path, answer, idempotency_key).await
    }

    async fn end_remote_session(
        &self,
        token: &Sensitive<String>,
        remote_session_id: i64,
        end: &RemoteSessionEnd,
        idempotency_key: &str,
    ) -> Result<RemoteSession> {
        let path = format!("/api/v1/remote-sessions/{remote_session_id}/end");
        self.post(token, &path, end, idempotency_key).await
    }

    async fn answer_order_delay(
        &self,
        token: &Sensitive<String>,
        order_delay_id: i64,
        answer: &OrderDelayAnswer,
        idempotency_key: &str,
    ) -> Result<OrderDelayRequest> {
        let path = format!("/api/v1/order-delays/{order_delay_id}/answer");
        self.post(token, &path, answer, idempotency_key).await
    }

    /// `GET /api/v1/tickets/{id}/expedite`.
    async fn expedite_quote(
        &self,
        token: &Sensitive<String>,
        ticket_id: i64,
    ) -> Result<ExpediteQuote> {
        let path = format!("/api/v1/tickets/{ticket_id}/expedite");
        self.send(self.authed(Method::GET, &path, token)).await
    }

    /// `POST /api/v1/tickets/{id}/expedite`.
    async fn expedite(
        &self,
        token: &Sensitive<String>,
        ticket_id: i64,
        consent: &NewExpedite,
        idempotency_key: &str,
    ) -> Result<ExpediteRequest> {
        let path = format!("/api/v1/tickets/{ticket_id}/expedite");
        self.post(token, &path, consent, idempotency_key).await
    }

    /// `GET /api/v1/tickets/{id}/ready-now`.
    async fn ready_now(&self, token: &Sensitive<String>, ticket_id: i64) -> Result<ReadyNow> {
        let path = format!("/api/v1/tickets/{ticket_id}/ready-now");
        self.send(self.authed(Method::GET, &path, token)).await
    }

    /// `PUT` (or, with `None`, `DELETE`) `/api/v1/tickets/{id}/ready-now`.
    async fn set_ready_now(
        &self,
        token: &Sensitive<String>,
        ticket_id: i64,
        minutes: Option<u32>,
        idempotency_key: &str,
    ) -> Result<ReadyNow> {
        let path = format!("/api/v1/tickets/{ticket_id}/ready-now");
        let request = match minutes {
            Some(minutes) => self
                .authed(Method::PUT, &path, token)
                .json(&ReadyNowRequest { minutes }),
            None => self.authed(Method::DELETE, &path, token),
        };
        self.send(request.header(IDEMPOTENCY_KEY, idempotency_key))
            .await
    }

    /// `PUT` (or, with `None`, `DELETE`) `/api/v1/tickets/{id}/availability`.
    async fn set_availability(
        &self,
        token: &Sensitive<String>,
        ticket_id: i64,
        availability: Option<&Availability>,
        idempotency_key: &str,
    ) -> Result<Ticket> {
        let path = format!("/api/v1/tickets/{ticket_id}/availability");
        let request = match availability {
            Some(availability) => self.authed(Method::PUT, &path, token).json(availability),
            None => self.authed(Method::DELETE, &path, token),
        };
        self.send(request.header(IDEMPOTENCY_KEY, idempotency_key))
            .await
    }

    /// `POST /api/v1/tickets/{id}/attachments`: one file, for the ticket or
    /// one of the caller's messages on it.
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
        let part = reqwest::multipart::Part::bytes(bytes)
            .file_name(file_name.to_owned())
            .mime_str(kind.content_type())
            .map_err(|e| CoreError::Invalid(format!("cannot send {file_name}: {e}")))?;
        let mut form = reqwest::multipart::Form::new().part("file", part);
        if let Some(message_id) = message_id {
            form = form.text("message_id", message_id.to_string());
        }
        self.send(
            self.authed(
                Method::POST,
                &format!("/api/v1/tickets/{ticket_id}/attachments"),
                token,
            )
            .timeout(TRANSFER_TIMEOUT)
            .header(IDEMPOTENCY_KEY, idempotency_key)
            .multipart(form),
        )
        .await
    }

    /// `GET /api/v1/tickets/{id}/attachments/{attachment_id}`: the bytes,
    /// refused as soon as they pass `max_bytes`.
    async fn download_attachment(
        &self,
        token: &Sensitive<String>,
        ticket_id: i64,
        attachment_id: i64,
        max_bytes: usize,
    ) -> Result<Vec<u8>> {
        let mut response = check(
            self.execute(
                self.authed(
                    Method::GET,
                    &format!("/api/v1/tickets/{ticket_id}/attachments/{attachment_id}"),
                    token,
                )
                .timeout(TRANSFER_TIMEOUT),
            )
            .await?,
        )
        .await?;
        let mut bytes = Vec::new();
        while let Some(chunk) = response.chunk().await.map_err(|_| CoreError::Network {
            url: self.base.clone(),
        })? {
            if bytes.len() + chunk.len() > max_bytes {
                return Err(CoreError::Protocol {
                    url: self.base.clone(),
                    detail: format!(
                        "the attachment is larger than the {max_bytes} bytes announced"
                    ),
                });
            }
            bytes.extend_from_slice(&chunk);
        }
        Ok(bytes)
    }
}

/// Turns an error status into [`CoreError::Server`], keeping the server's code
/// and message when the body is our `{code, message}` shape.
pub(super) async fn check(response: Response) -> Result<Response> {
    let status = response.status();
    if status.is_success() {
        return Ok(response);
    }
    let body = response.bytes().await.unwrap_or_default();
    let error = serde_json::from_slice::<ErrorResponse>(&body).unwrap_or_else(|_| {
        ErrorResponse::new(
            fallback_code(status),
            format!("the helpdesk answered {status}"),
        )
    });
    Err(CoreError::Server(error))
}

fn fallback_code(status: StatusCode) -> ErrorCode {
    match status.as_u16() {
        400 => ErrorCode::BadRequest,
        401 => ErrorCode::Unauthorized,
        403 => ErrorCode::Forbidden,
        404 => ErrorCode::NotFound,
        409 => ErrorCode::Conflict,
        413 => ErrorCode::PayloadTooLarge,
        422 => ErrorCode::Validation,
        429 => ErrorCode::RateLimited,
        _ => ErrorCode::Internal,
    }
}
