use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// `GET /api/health`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[ts(export)]
pub struct Health {
    /// Always `"ok"` when the server answers and its database is reachable.
    pub status: String,
    /// The server's version.
    pub version: String,
}

/// Who a user is to the helpdesk.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum Role {
    /// A customer's employee who files and follows tickets.
    CustomerUser,
    /// A customer's administrator: a user who also manages the organisation's accounts.
    CustomerAdmin,
    /// The provider's consultant who works the queue.
    Agent,
}

impl Role {
    pub fn as_str(self) -> &'static str {
        match self {
            Self::CustomerUser => "customer_user",
            Self::CustomerAdmin => "customer_admin",
            Self::Agent => "agent",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "customer_user" => Some(Self::CustomerUser),
            "customer_admin" => Some(Self::CustomerAdmin),
            "agent" => Some(Self::Agent),
            _ => None,
        }
    }
}

/// `POST /api/v1/auth/login` request.
#[derive(Debug, Clone, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[ts(export)]
pub struct LoginRequest {
    #[cfg_attr(feature = "openapi", schema(min_length = 1, pattern = "\\S"))]
    pub email: String,
    #[cfg_attr(feature = "openapi", schema(min_length = 1))]
    pub password: String,
}

/// `POST /api/v1/auth/login` response: a bearer token for `Authorization: Bearer`.
#[derive(Clone, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[ts(export)]
pub struct LoginResponse {
    pub token: String,
    pub expires_at: DateTime<Utc>,
    pub user: Me,
}

impl std::fmt::Debug for LoginResponse {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("LoginResponse")
            .field("token", &"<redacted>")
            .field("expires_at", &self.expires_at)
            .field("user", &self.user)
            .finish()
    }
}

/// `POST /api/v1/auth/password` request: the signed-in user's new password.
#[derive(Clone, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct ChangePassword {
    pub current_password: String,
    /// 10 to 1024 characters, different from the current one.
    #[cfg_attr(feature = "openapi", schema(min_length = 10, max_length = 1024))]
    pub new_password: String,
}

impl std::fmt::Debug for ChangePassword {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ChangePassword").finish_non_exhaustive()
    }
}

impl ChangePassword {
    /// Checks the new password: long enough, not too long, not the current one.
    pub fn validate(&self) -> Result<(), String> {
        crate::validate_new_password(&self.new_password)?;
        if self.new_password == self.current_password {
            return Err("the new password must differ from the current one".to_owned());
        }
        Ok(())
    }
}

/// An organisation as a user sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[ts(export)]
pub struct OrganisationRef {
    #[ts(type = "number")]
    pub id: i64,
    pub name: String,
}

/// The signed-in user (`GET /api/v1/me`, and part of the login response).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[ts(export)]
pub struct Me {
    #[ts(type = "number")]
    pub id: i64,
    pub email: String,
    pub name: String,
    pub role: Role,
    /// The customer organisation; `None` for agents.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub organisation: Option<OrganisationRef>,
    /// What the user may do; all false from a server older than rights.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub rights: crate::Rights,
}
