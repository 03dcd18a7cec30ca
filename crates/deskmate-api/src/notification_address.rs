//! An organisation's e-mail addresses per notification type (invoices and
//! orders, support, abuse), kept by its customer admins
//! (`/api/v1/notification-addresses`); each opts in to mail on its own.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

wire_enum!(
    /// What the provider writes to an address about.
    NotificationKind {
        /// Invoices, orders and their delays.
        InvoicesOrders => "invoices_orders",
        /// Support: agents' replies on the organisation's tickets.
        Support => "support",
        /// Abuse reports about the organisation's services.
        Abuse => "abuse",
    }
);

/// One address of an organisation for one kind of notification.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[ts(export)]
pub struct NotificationAddress {
    #[ts(type = "number")]
    pub id: i64,
    pub kind: NotificationKind,
    pub email: String,
    /// Whether the helpdesk mails this address (opt-in).
    pub mail: bool,
    pub created_at: DateTime<Utc>,
}

/// `GET /api/v1/notification-addresses` response.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[ts(export)]
pub struct NotificationAddressList {
    /// By kind, then oldest first.
    pub addresses: Vec<NotificationAddress>,
    /// The domains addresses must be in, as the provider set them; empty:
    /// any domain.
    pub allowed_domains: Vec<String>,
}

/// `POST /api/v1/notification-addresses` request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct NewNotificationAddress {
    pub kind: NotificationKind,
    /// In one of the organisation's allowed e-mail domains.
    #[cfg_attr(
        feature = "openapi",
        schema(max_length = 254, pattern = "^\\s*[^\\s@]+@\\S+\\s*$")
    )]
    pub email: String,
    /// Mail this address (opt-in); false when absent.
    #[serde(default)]
    pub mail: bool,
}

/// `PATCH /api/v1/notification-addresses/{id}` request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct NotificationAddressUpdate {
    /// Mail this address, or stop.
    pub mail: bool,
}

/// The domain of an address (lower case), if it has one.
pub fn email_domain(email: &str) -> Option<String> {
    email
        .trim()
        .rsplit_once('@')
        .map(|(_, domain)| domain.to_lowercase())
        .filter(|d| !d.is_empty())
}

/// Checks an allowed domain as the operator gives it: letters, digits,
/// '-' and '.', with a dot, no empty label. The domain in lower case.
pub fn check_email_domain(domain: &str) -> Result<String, String> {
    let domain = domain.trim().trim_start_matches('@').to_lowercase();
    let ok = domain.contains('.')
        && domain.len() <= 253
        && domain.split('.').all(|label| {
            !label.is_empty()
                && label.len() <= 63
                && label.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        });
    if ok {
        Ok(domain)
    } else {
        Err(format!(
            "{domain:?} is not an e-mail domain like example.com"
        ))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn domains_are_checked_and_lower_cased() {
        assert_eq!(
            check_email_domain(" @Acme.Example ").unwrap(),
            "acme.example"
        );
        for bad in ["acme", "acme..example", "ac me.example", ""] {
            assert!(check_email_domain(bad).is_err(), "{bad}");
        }
        assert_eq!(
            email_domain("Ops@ACME.example").as_deref(),
            Some("acme.example")
        );
        assert_eq!(email_domain("ops"), None);
    }
}
