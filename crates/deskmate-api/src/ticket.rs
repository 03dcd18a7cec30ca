use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

wire_enum! {
    /// Which team a ticket goes to.
    Department {
        /// Faults, outages, configuration.
        Technical => "technical",
        /// Invoices, payments.
        Billing => "billing",
        /// Offers, orders, contracts.
        Commercial => "commercial",
    }
}

wire_enum! {
    /// How urgent the customer says the ticket is.
    Priority {
        Regular => "regular",
        /// A service is down or badly degraded.
        High => "high",
    }
}

wire_enum! {
    /// Where a ticket stands.
    TicketStatus {
        /// Waiting for the provider.
        Open => "open",
        /// The provider asked the customer something.
        WaitingForCustomer => "waiting_for_customer",
        /// The provider considers it solved; the customer may still answer.
        Resolved => "resolved",
        /// Done; may be reopened with new details within the reopen window.
        Closed => "closed",
    }
}

/// A support ticket as its requester's organisation sees it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[ts(export)]
pub struct Ticket {
    #[ts(type = "number")]
    pub id: i64,
    #[ts(type = "number")]
    pub organisation_id: i64,
    #[ts(type = "number")]
    pub requester_id: i64,
    pub requester_name: String,
    pub department: Department,
    pub priority: Priority,
    pub status: TicketStatus,
    pub subject: String,
    pub body: String,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// `POST /api/v1/tickets` request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct NewTicket {
    pub department: Department,
    pub priority: Priority,
    pub subject: String,
    pub body: String,
}

impl NewTicket {
    /// Checks the limits in [`crate::limits`]; returns the first problem in plain words.
    pub fn validate(&self) -> Result<(), String> {
        use crate::limits::SUBJECT_MAX_CHARS;
        let subject = self.subject.trim();
        if subject.is_empty() {
            return Err("subject must not be empty".into());
        }
        if subject.chars().count() > SUBJECT_MAX_CHARS {
            return Err(format!(
                "subject must be at most {SUBJECT_MAX_CHARS} characters"
            ));
        }
        check_body(&self.body, "description")
    }
}

/// A free-text field that must say something and fit [`crate::limits::BODY_MAX_CHARS`].
pub(crate) fn check_body(text: &str, what: &str) -> Result<(), String> {
    use crate::limits::BODY_MAX_CHARS;
    if text.trim().is_empty() {
        return Err(format!("{what} must not be empty"));
    }
    if text.chars().count() > BODY_MAX_CHARS {
        return Err(format!(
            "{what} must be at most {BODY_MAX_CHARS} characters"
        ));
    }
    Ok(())
}

/// `GET /api/v1/tickets` response, newest activity first.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[ts(export)]
pub struct TicketList {
    pub tickets: Vec<Ticket>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn enums_round_trip_their_spelling() {
        for d in Department::ALL {
            assert_eq!(Department::parse(d.as_str()), Some(*d));
        }
        for s in TicketStatus::ALL {
            let json = serde_json::to_string(s).unwrap();
            assert_eq!(json, format!("\"{}\"", s.as_str()));
        }
        assert_eq!(Department::parse("sales"), None);
    }

    #[test]
    fn validation_rejects_blank_and_oversized() {
        let mut t = NewTicket {
            department: Department::Technical,
            priority: Priority::Regular,
            subject: "  ".into(),
            body: "x".into(),
        };
        assert!(t.validate().is_err());
        t.subject = "Mail down".into();
        assert!(t.validate().is_ok());
        t.body = "y".repeat(crate::limits::BODY_MAX_CHARS + 1);
        assert!(t.validate().is_err());
    }
}
