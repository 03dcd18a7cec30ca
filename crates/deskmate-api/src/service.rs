//! The services an organisation has from the provider (a VPS, a SIP trunk,
//! an Ethernet line), each with the provider's reference; announcements name
//! the services they affect by those references.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

use crate::limits::{LINE_MAX_CHARS, REFERENCE_MAX_CHARS};

/// What a service reference may contain: a letter or digit first, then
/// letters, digits, `.`, `_` or `-` (it is a path segment of the API).
pub const SERVICE_REFERENCE_PATTERN: &str = "^[A-Za-z0-9][A-Za-z0-9._-]*$";

/// Checks a service reference (1 to 100 characters of
/// [`SERVICE_REFERENCE_PATTERN`]); the problem in plain words.
pub fn check_service_reference(reference: &str) -> Result<(), String> {
    let mut chars = reference.chars();
    let first_ok = chars.next().is_some_and(|c| c.is_ascii_alphanumeric());
    let rest_ok = chars.all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'));
    if !first_ok || !rest_ok {
        return Err(format!(
            "{reference:?} is not a service reference: letters, digits, '.', '_' or '-', \
             starting with a letter or digit"
        ));
    }
    if reference.len() > REFERENCE_MAX_CHARS {
        return Err(format!(
            "a service reference must be at most {REFERENCE_MAX_CHARS} characters"
        ));
    }
    Ok(())
}

/// One of an organisation's services.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[ts(export)]
pub struct Service {
    #[ts(type = "number")]
    pub id: i64,
    #[ts(type = "number")]
    pub organisation_id: i64,
    /// The provider's reference, unique within the organisation.
    pub reference: String,
    /// What the organisation calls it, e.g. "SIP trunk Milan".
    pub name: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// `PUT /api/v1/organisations/{id}/services/{reference}` request (agents).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct ServiceName {
    /// 1 to 200 characters, surrounding space removed.
    #[cfg_attr(feature = "openapi", schema(min_length = 1, max_length = 200))]
    pub name: String,
}

impl ServiceName {
    /// Checks the name; the problem in plain words.
    pub fn validate(&self) -> Result<(), String> {
        let name = self.name.trim();
        if name.is_empty() {
            return Err("the service's name must not be empty".into());
        }
        if name.chars().count() > LINE_MAX_CHARS {
            return Err(format!(
                "the service's name must be at most {LINE_MAX_CHARS} characters"
            ));
        }
        Ok(())
    }
}

/// `GET /api/v1/organisations/{id}/services`, by reference.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[ts(export)]
pub struct ServiceList {
    pub services: Vec<Service>,
}

/// One of the provider's customer organisations with its services, as the
/// provider's agents see it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[ts(export)]
pub struct OrganisationSummary {
    #[ts(type = "number")]
    pub id: i64,
    pub name: String,
    /// By reference.
    pub services: Vec<Service>,
}

/// `GET /api/v1/organisations` (agents): every customer organisation, by name.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[ts(export)]
pub struct OrganisationList {
    pub organisations: Vec<OrganisationSummary>,
}

/// A service an announcement affects, as the viewer knows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[ts(export)]
pub struct AffectedService {
    pub reference: String,
    /// The viewer's organisation's name for it; `null` for the provider's
    /// agents, who see every reference the announcement names.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub name: Option<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn references_are_path_segments() {
        assert!(check_service_reference("SIP-MI-0042").is_ok());
        assert!(check_service_reference("vps.acme_1").is_ok());
        for bad in ["", "-x", "a/b", "a b", "é", ".x"] {
            assert!(check_service_reference(bad).is_err(), "{bad:?}");
        }
        assert!(check_service_reference(&"a".repeat(REFERENCE_MAX_CHARS + 1)).is_err());
    }

    #[test]
    fn a_name_is_one_line_of_text() {
        let name = |n: &str| ServiceName { name: n.into() }.validate();
        assert!(name("SIP trunk").is_ok());
        assert!(name("  ").is_err());
        assert!(name(&"x".repeat(LINE_MAX_CHARS + 1)).is_err());
    }
}
