//! What handlers take from a request besides the state: who calls
//! ([`Caller`], [`Agent`], [`Customer`]), which ticket the path names
//! ([`TicketId`]), and a JSON body with its `Idempotency-Key`
//! ([`IdempotentJson`]). Every refusal is an [`ApiError`], so it answers
//! `{code, message}` like the handlers' own.

use std::marker::PhantomData;

use axum::extract::{ConnectInfo, FromRequest, FromRequestParts, RawPathParams, Request};
use axum::http::request::Parts;
use axum::http::{Method, header};
use deskmate_api::Role;
use sha2::{Digest, Sha256};

use crate::AppState;
use crate::auth;
use crate::db::Idempotency;
use crate::error::{ApiError, ApiResult};
use crate::json::ApiJson;
use crate::user::User;

/// The signed-in person of a request; refuses with 401 otherwise.
pub struct Caller {
    pub user: User,
    /// What the database keeps of the token sent (sign-out ends it).
    pub token_hash: String,
}

/// Who connected: the peer's IP address as text, the same for every port
/// and for an IPv4 address mapped into IPv6 (`unknown` when the server was
/// not given it, e.g. a router served without [`crate::serve`]).
pub struct Client(pub String);

impl<S: Send + Sync> FromRequestParts<S> for Client {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        let peer = parts
            .extensions
            .get::<ConnectInfo<std::net::SocketAddr>>()
            .map_or_else(
                || "unknown".to_owned(),
                |ConnectInfo(peer)| peer.ip().to_canonical().to_string(),
            );
        Ok(Self(peer))
    }
}

/// The bearer token of a request, if it has one.
fn bearer(parts: &Parts) -> Option<&str> {
    let value = parts.headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then(|| token.trim())
        .filter(|t| !t.is_empty())
}

impl FromRequestParts<AppState> for Caller {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> ApiResult<Self> {
        let Some(token) = bearer(parts) else {
            return Err(ApiError::unauthorized(
                "sign in first: this request needs an Authorization: Bearer token",
            ));
        };
        let token_hash = auth::token_hash(token);
        let Some(user) = state.db.user_by_session(&token_hash).await? else {
            return Err(ApiError::unauthorized(
                "the session has expired or was ended: sign in again",
            ));
        };
        if counts_as_write(parts)
            && !state
                .limits
                .writes
                .allow(user.id, std::time::Instant::now())
        {
            tracing::warn!(user_id = user.id, "write refused: over the rate");
            return Err(crate::limits::too_many(
                &format!(
                    "this account made {} changes in the last minute",
                    state.limits.writes.limit()
                ),
                "wait a moment",
            ));
        }
        Ok(Self { user, token_hash })
    }
}

/// Whether a request is a write that counts toward the account's rate:
/// any method but reading, and not the session's own routes (signing out,
/// refreshing and changing the password are never refused for it).
fn counts_as_write(parts: &Parts) -> bool {
    let reads = matches!(parts.method, Method::GET | Method::HEAD | Method::OPTIONS);
    !reads && !parts.uri.path().contains("/auth/")
}

impl Caller {
    pub fn is_agent(&self) -> bool {
        self.user.role == Role::Agent
    }

    /// Refuses with 403 unless the caller is one of the provider's agents
    /// (`what`: the action, as the message's subject). For checks that come
    /// after others (e.g. after the ticket is found); else take [`Agent`].
    pub fn agents_only(&self, what: &str) -> ApiResult<()> {
        if self.is_agent() {
            Ok(())
        } else {
            Err(ApiError::forbidden(format!(
                "{what} is for the provider's agents"
            )))
        }
    }

    /// Refuses with 403 unless the caller is a customer (see [`Customer`]).
    pub fn customers_only(&self, what: &str) -> ApiResult<()> {
        if self.is_agent() {
            Err(ApiError::forbidden(format!("{what} is for the customer")))
        } else {
            Ok(())
        }
    }
}

/// An action one role may take; its name is the subject of the 403 the
/// other role gets ("posting announcements is for the provider's agents").
pub trait Action {
    const WHAT: &'static str;
}

/// The caller, one of the provider's agents, taking action `A`; anyone
/// else is refused with 403 before the body is read.
pub struct Agent<A> {
    pub user: User,
    action: PhantomData<A>,
}

/// The caller, a customer, taking action `A`; agents are refused with 403
/// before the body is read.
pub struct Customer<A> {
    pub user: User,
    action: PhantomData<A>,
}

impl<A: Action> FromRequestParts<AppState> for Agent<A> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> ApiResult<Self> {
        let caller = Caller::from_request_parts(parts, state).await?;
        caller.agents_only(A::WHAT)?;
        Ok(Self {
            user: caller.user,
            action: PhantomData,
        })
    }
}

impl<A: Action> FromRequestParts<AppState> for Customer<A> {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &AppState) -> ApiResult<Self> {
        let caller = Caller::from_request_parts(parts, state).await?;
        caller.customers_only(A::WHAT)?;
        Ok(Self {
            user: caller.user,
            action: PhantomData,
        })
    }
}

/// A record's id from the path (`what`: "ticket", "user"...); anything
/// that is not a positive integer is simply not one: 404.
pub fn path_id(raw: &str, what: &str) -> ApiResult<i64> {
    raw.parse::<i64>()
        .ok()
        .filter(|id| *id > 0)
        .ok_or_else(|| ApiError::not_found(format!("no {what} {raw:?}")))
}

/// The path's `{id}` of a `/tickets/{id}/...` or `/queue/{id}/...` route;
/// anything that is not a positive integer is simply not a ticket: 404.
#[derive(Clone, Copy, Debug)]
pub struct TicketId(pub i64);

impl<S: Send + Sync> FromRequestParts<S> for TicketId {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> ApiResult<Self> {
        let params = RawPathParams::from_request_parts(parts, state)
            .await
            .map_err(|e| ApiError::internal(format_args!("path parameters: {e}")))?;
        let raw = params
            .iter()
            .find(|(name, _)| *name == "id")
            .map(|(_, value)| value)
            .ok_or_else(|| ApiError::internal("a ticket route without {id}"))?;
        path_id(raw, "ticket").map(Self)
    }
}

/// Header carrying a client-chosen key that makes a write safe to repeat.
pub const IDEMPOTENCY_KEY: &str = "idempotency-key";
const IDEMPOTENCY_KEY_MAX: usize = 200;

/// The optional `Idempotency-Key` header of the writes, as the OpenAPI
/// document describes it ([`IdempotencyKey`] reads it).
#[derive(utoipa::IntoParams)]
#[into_params(parameter_in = Header)]
pub struct IdempotencyKeyHeader {
    /// Makes the write safe to repeat: a retry with the same key and the same
    /// request answers the first response again and changes nothing; the same
    /// key with a different request is a 409. 1 to 200 visible ASCII characters.
    #[param(
        rename = "Idempotency-Key",
        required = false,
        min_length = 1,
        max_length = 200
    )]
    pub idempotency_key: String,
}

/// A write's `Idempotency-Key` header, read once, with the method and path
/// it came with. Never refuses by itself: a malformed key is refused (400)
/// by [`IdempotencyKey::bind`], once the handler's own checks have passed.
#[derive(Debug)]
pub struct IdempotencyKey {
    /// `None`: no header; `Some(None)`: a header that is not a valid key.
    key: Option<Option<String>>,
    method: Method,
    path: String,
}

impl IdempotencyKey {
    fn read(parts: &Parts) -> Self {
        let key = parts.headers.get(IDEMPOTENCY_KEY).map(|value| {
            value
                .to_str()
                .ok()
                .map(str::trim)
                .filter(|k| !k.is_empty() && k.len() <= IDEMPOTENCY_KEY_MAX)
                .map(str::to_owned)
        });
        Self {
            key,
            method: parts.method.clone(),
            path: parts.uri.path().to_owned(),
        }
    }

    /// The key bound to what the request asks for (method, path and
    /// `request`, as the handler understood it), so the same key reused for
    /// something else is a conflict; `None` without a key.
    pub fn bind(&self, request: &impl serde::Serialize) -> ApiResult<Option<Idempotency>> {
        let key = match &self.key {
            None => return Ok(None),
            Some(Some(key)) => key,
            Some(None) => {
                return Err(ApiError::bad_request(format!(
                    "Idempotency-Key must be 1 to {IDEMPOTENCY_KEY_MAX} visible ASCII characters"
                )));
            }
        };
        let body = serde_json::to_vec(request).map_err(ApiError::internal)?;
        let mut hash = Sha256::new();
        hash.update(self.method.as_str().as_bytes());
        hash.update(b" ");
        hash.update(self.path.as_bytes());
        hash.update(b"\n");
        hash.update(&body);
        Ok(Some(Idempotency {
            key: key.clone(),
            request_hash: format!("{:x}", hash.finalize()),
        }))
    }

    /// [`IdempotencyKey::bind`] for a write without a body.
    pub fn bind_bodiless(&self) -> ApiResult<Option<Idempotency>> {
        self.bind(&())
    }
}

impl<S: Send + Sync> FromRequestParts<S> for IdempotencyKey {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _state: &S) -> Result<Self, Self::Rejection> {
        Ok(Self::read(parts))
    }
}

/// A JSON body (refused like [`ApiJson`]) and the write's `Idempotency-Key`.
pub struct IdempotentJson<T> {
    pub key: IdempotencyKey,
    pub body: T,
}

impl<S, T> FromRequest<S> for IdempotentJson<T>
where
    S: Send + Sync,
    T: serde::de::DeserializeOwned,
{
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> ApiResult<Self> {
        let (parts, body) = req.into_parts();
        let key = IdempotencyKey::read(&parts);
        let ApiJson(body) = ApiJson::from_request(Request::from_parts(parts, body), state).await?;
        Ok(Self { key, body })
    }
}

#[cfg(test)]
mod tests {
    use utoipa::IntoParams;

    #[test]
    fn the_documented_idempotency_key_limit_is_the_enforced_one() {
        let params = super::IdempotencyKeyHeader::into_params(|| None);
        let json = serde_json::to_value(&params).unwrap();
        assert_eq!(json[0]["name"], "Idempotency-Key");
        assert_eq!(json[0]["in"], "header");
        assert_eq!(json[0]["required"], false);
        assert_eq!(json[0]["schema"]["maxLength"], super::IDEMPOTENCY_KEY_MAX);
    }
}
