//! Remote assistance on a ticket: an agent's request for a session, the
//! customer's answer (with the tool's ID, and a one-time password kept apart
//! from every record), its end, and "ready for remote help now".

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::ticket::check_body;

wire_enum! {
    /// The remote-assistance tool an agent asks to use.
    RemoteTool {
        Rustdesk => "rustdesk",
        Anydesk => "anydesk",
        Teamviewer => "teamviewer",
        Other => "other",
    }
}

wire_enum! {
    /// Where a remote-session request stands.
    RemoteSessionStatus {
        /// Waiting for the customer's answer.
        Requested => "requested",
        /// The customer agreed; the session may take place.
        Accepted => "accepted",
        /// The customer refused.
        Declined => "declined",
        /// The agent ended the session, with a summary.
        Ended => "ended",
        /// Withdrawn before it took place.
        Cancelled => "cancelled",
    }
}

/// An agent's request to connect to a customer's computer for a ticket.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[ts(export)]
pub struct RemoteSession {
    #[ts(type = "number")]
    pub id: i64,
    #[ts(type = "number")]
    pub ticket_id: i64,
    pub reason: String,
    pub tool: RemoteTool,
    pub status: RemoteSessionStatus,
    pub requested_by_name: String,
    pub requested_at: DateTime<Utc>,
    /// When the customer accepted or declined.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub answered_at: Option<DateTime<Utc>>,
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub ended_at: Option<DateTime<Utc>>,
    /// What the agent did, once ended.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub summary: Option<String>,
    /// When the customer consented (accepted): the time of their answer.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    #[serde(default)]
    pub consented_at: Option<DateTime<Utc>>,
    /// The tool the customer's app handed over (may differ from the one asked).
    #[cfg_attr(feature = "openapi", schema(required = true))]
    #[serde(default)]
    pub connect_tool: Option<RemoteTool>,
    /// The tool's ID to connect to, as the customer's app read it.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    #[serde(default)]
    pub tool_id: Option<String>,
    /// When the customer's app handed the ID over: the session could start.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    #[serde(default)]
    pub started_at: Option<DateTime<Utc>>,
    /// Who ended it: the customer (from the app) or the agent.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    #[serde(default)]
    pub ended_by: Option<crate::AuthorKind>,
    #[cfg_attr(feature = "openapi", schema(required = true))]
    #[serde(default)]
    pub ended_by_name: Option<String>,
}

/// Longest tool ID accepted, in characters.
pub const TOOL_ID_MAX_CHARS: usize = 64;
/// Longest one-time password accepted, in characters.
pub const TOOL_PASSWORD_MAX_CHARS: usize = 128;

/// What the consultant needs to connect, sent with the customer's consent.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct RemoteConnection {
    /// The tool the customer's app started (`other` is refused).
    pub tool: RemoteTool,
    /// Its ID: 1 to 64 letters, digits, `@ . _ -`.
    #[cfg_attr(
        feature = "openapi",
        schema(min_length = 1, max_length = 64, pattern = "^[A-Za-z0-9@._-]{1,64}$")
    )]
    pub tool_id: String,
    /// A one-time password set for this session only, where the tool takes
    /// one; shown only to the requesting agent and erased when the session
    /// ends or times out.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 128))]
    #[ts(optional)]
    pub password: Option<String>,
}

impl std::fmt::Debug for RemoteConnection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RemoteConnection")
            .field("tool", &self.tool)
            .field("tool_id", &self.tool_id)
            .field("password", &self.password.as_ref().map(|_| "<redacted>"))
            .finish()
    }
}

impl RemoteConnection {
    pub fn validate(&self) -> Result<(), String> {
        if self.tool == RemoteTool::Other {
            return Err("tool must be rustdesk, anydesk or teamviewer".into());
        }
        let id_ok = (1..=TOOL_ID_MAX_CHARS).contains(&self.tool_id.chars().count())
            && self
                .tool_id
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, '@' | '.' | '_' | '-'));
        if !id_ok {
            return Err(format!(
                "tool_id must be 1 to {TOOL_ID_MAX_CHARS} letters, digits, @ . _ or -"
            ));
        }
        if let Some(p) = &self.password
            && !(1..=TOOL_PASSWORD_MAX_CHARS).contains(&p.chars().count())
        {
            return Err(format!(
                "password must be 1 to {TOOL_PASSWORD_MAX_CHARS} characters"
            ));
        }
        Ok(())
    }
}

/// `GET /api/v1/remote-sessions/{id}/connection` (the requesting agent only).
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[ts(export)]
pub struct RemoteConnectionDetails {
    pub tool: RemoteTool,
    pub tool_id: String,
    /// The one-time password; absent when the tool gave none, or once it
    /// was erased (session ended, time-out).
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub password: Option<String>,
    /// When the password is erased at the latest.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub password_expires_at: Option<DateTime<Utc>>,
}

impl std::fmt::Debug for RemoteConnectionDetails {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RemoteConnectionDetails")
            .field("tool", &self.tool)
            .field("tool_id", &self.tool_id)
            .finish_non_exhaustive()
    }
}

/// `POST /api/v1/tickets/{id}/remote-sessions` request (agents).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct NewRemoteSession {
    #[cfg_attr(
        feature = "openapi",
        schema(min_length = 1, max_length = 20000, pattern = "\\S")
    )]
    pub reason: String,
    pub tool: RemoteTool,
}

impl NewRemoteSession {
    pub fn validate(&self) -> Result<(), String> {
        check_body(&self.reason, "reason")
    }
}

/// `POST /api/v1/remote-sessions/{id}/answer` request (customers).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct RemoteSessionAnswer {
    pub accept: bool,
    /// With `accept`: the tool and ID the consultant connects to. Refused
    /// with a decline (a decline sends nothing else).
    #[serde(default)]
    #[ts(optional)]
    pub connection: Option<RemoteConnection>,
}

impl RemoteSessionAnswer {
    pub fn validate(&self) -> Result<(), String> {
        match &self.connection {
            Some(_) if !self.accept => Err("a decline carries no connection".into()),
            Some(c) => c.validate(),
            None => Ok(()),
        }
    }

    /// The same answer without the password: what the idempotency key binds.
    pub fn without_password(&self) -> Self {
        let mut copy = self.clone();
        if let Some(c) = &mut copy.connection {
            c.password = None;
        }
        copy
    }
}

/// `POST /api/v1/remote-sessions/{id}/end` request (agents).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct RemoteSessionEnd {
    /// What was done: required from agents, optional for customers.
    #[serde(default)]
    #[ts(optional)]
    pub summary: Option<String>,
}

impl RemoteSessionEnd {
    /// `by_agent`: agents must say what they did.
    pub fn validate(&self, by_agent: bool) -> Result<(), String> {
        match &self.summary {
            Some(s) => check_body(s, "summary"),
            None if by_agent => Err("summary must not be empty".into()),
            None => Ok(()),
        }
    }
}

/// `PUT /api/v1/tickets/{id}/ready-now` request (customers): at the
/// computer and ready for remote help now, for this many minutes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct ReadyNowRequest {
    /// 30, 60 or 120.
    #[cfg_attr(feature = "openapi", schema(schema_with = ready_now_minutes))]
    pub minutes: u32,
}

/// The schema of [`ReadyNowRequest::minutes`]: one of [`READY_NOW_MINUTES`].
#[cfg(feature = "openapi")]
fn ready_now_minutes() -> utoipa::openapi::Object {
    utoipa::openapi::ObjectBuilder::new()
        .schema_type(utoipa::openapi::schema::Type::Integer)
        .enum_values(Some(READY_NOW_MINUTES))
        .description(Some("30, 60 or 120."))
        .build()
}

/// How long one may say they are ready now, in minutes.
pub const READY_NOW_MINUTES: [u32; 3] = [30, 60, 120];

impl ReadyNowRequest {
    pub fn validate(&self) -> Result<(), String> {
        if READY_NOW_MINUTES.contains(&self.minutes) {
            Ok(())
        } else {
            Err("minutes must be 30, 60 or 120".into())
        }
    }
}

/// `GET`/`PUT`/`DELETE /api/v1/tickets/{id}/ready-now`: until when the
/// customer said they are at the computer and ready for remote help.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[ts(export)]
pub struct ReadyNow {
    /// Absent: not ready now (never said, taken back, or expired).
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub ready_until: Option<DateTime<Utc>>,
}

/// `GET /api/v1/tickets/{id}/remote-sessions`, oldest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[ts(export)]
pub struct RemoteSessionList {
    pub remote_sessions: Vec<RemoteSession>,
}
