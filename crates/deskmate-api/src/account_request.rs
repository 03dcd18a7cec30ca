//! Account requests: a person without an account asks for one with their
//! name, e-mail and their organisation's contract number; the
//! organisation's customer admins (or the provider, when it has none)
//! approve or reject it.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// `POST /api/v1/account-requests` request (public).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct NewAccountRequest {
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 200))]
    pub name: String,
    #[cfg_attr(
        feature = "openapi",
        schema(max_length = 254, pattern = "^\\s*[^\\s@]+@\\S+\\s*$")
    )]
    pub email: String,
    /// As printed on the organisation's contract with the provider.
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 100))]
    pub contract_number: String,
}

impl NewAccountRequest {
    /// Checks the name, the address and that a contract number is given.
    pub fn validate(&self) -> Result<(), String> {
        crate::check_email(&self.email)?;
        if self.name.trim().is_empty() || self.name.chars().count() > 200 {
            return Err("the name must be 1 to 200 characters".to_owned());
        }
        if self.contract_number.trim().is_empty() || self.contract_number.chars().count() > 100 {
            return Err("the contract number must be 1 to 100 characters".to_owned());
        }
        Ok(())
    }
}

/// A pending account request, as its deciders see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[ts(export)]
pub struct AccountRequest {
    #[ts(type = "number")]
    pub id: i64,
    pub name: String,
    pub email: String,
    pub organisation: crate::OrganisationRef,
    pub created_at: DateTime<Utc>,
}

/// `GET /api/v1/account-requests` response: the pending ones, oldest first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[ts(export)]
pub struct AccountRequestList {
    pub requests: Vec<AccountRequest>,
}
