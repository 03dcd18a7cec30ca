//! A forgotten password, reset by e-mail: the request names the address,
//! the mail carries a single-use token, the confirmation sets the password.

use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// `POST /api/v1/auth/password-reset` request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct PasswordResetRequest {
    /// The address the account signs in with.
    #[cfg_attr(
        feature = "openapi",
        schema(max_length = 254, pattern = "^\\s*[^\\s@]+@\\S+\\s*$")
    )]
    pub email: String,
}

/// `POST /api/v1/auth/password-reset/confirm` request: the token the mail
/// carried and the new password.
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct PasswordResetConfirm {
    #[cfg_attr(feature = "openapi", schema(max_length = 200))]
    pub token: String,
    /// 10 to 1024 characters.
    #[cfg_attr(feature = "openapi", schema(min_length = 10, max_length = 1024))]
    pub password: String,
}

impl std::fmt::Debug for PasswordResetConfirm {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PasswordResetConfirm")
            .finish_non_exhaustive()
    }
}

/// `POST /api/v1/auth/password-reset/confirm` response: whose password it
/// was, so the app can offer to sign in with it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[ts(export)]
pub struct PasswordResetDone {
    pub email: String,
}
