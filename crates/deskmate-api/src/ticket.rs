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
    /// What the guided form asked beyond subject and description.
    pub details: TicketDetails,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
    /// The customer paid for an expedited response
    /// (`POST /api/v1/tickets/{id}/expedite`): the ticket comes before every
    /// ticket that is not in the agents' queue.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    #[serde(default)]
    pub expedited: bool,
    /// Since when it is expedited; absent while it is not.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    #[serde(default)]
    pub expedited_at: Option<DateTime<Utc>>,
    /// When the customer can be reached at their computer; absent until
    /// they say (`PUT /api/v1/tickets/{id}/availability`).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub availability: Option<crate::Availability>,
}

/// The guided form's answers: which apply depends on the department
/// (technical asks all of them; billing the invoice as `reference`;
/// commercial the service and the order or contract). All optional.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default, deny_unknown_fields)]
#[ts(export)]
pub struct TicketDetails {
    /// The service concerned, e.g. "Managed VPS", "SIP trunk".
    pub affected_service: Option<String>,
    /// Order number or server IP (technical, commercial), invoice number (billing).
    pub reference: Option<String>,
    /// When the problem started.
    pub incident_started_at: Option<DateTime<Utc>>,
    /// The customer's time zone for that moment (IANA name, e.g. "Europe/Rome").
    pub incident_time_zone: Option<String>,
    /// The error message, as shown.
    pub error_message: Option<String>,
    /// The steps that led to the problem.
    pub steps: Option<String>,
    /// What the customer already tried.
    pub tried: Option<String>,
}

impl TicketDetails {
    /// Blank answers become absent; surrounding space goes.
    pub fn normalized(self) -> Self {
        fn clean(v: Option<String>) -> Option<String> {
            v.map(|s| s.trim().to_owned()).filter(|s| !s.is_empty())
        }
        Self {
            affected_service: clean(self.affected_service),
            reference: clean(self.reference),
            incident_started_at: self.incident_started_at,
            incident_time_zone: clean(self.incident_time_zone),
            error_message: clean(self.error_message),
            steps: clean(self.steps),
            tried: clean(self.tried),
        }
    }

    /// Checks the limits; returns the first problem in plain words.
    pub fn validate(&self, now: DateTime<Utc>) -> Result<(), String> {
        use crate::limits::{BODY_MAX_CHARS, LINE_MAX_CHARS, REFERENCE_MAX_CHARS};
        let short = [
            ("affected service", &self.affected_service, LINE_MAX_CHARS),
            (
                "order number, server IP or invoice",
                &self.reference,
                REFERENCE_MAX_CHARS,
            ),
            ("error message", &self.error_message, BODY_MAX_CHARS),
            ("steps", &self.steps, BODY_MAX_CHARS),
            ("what was tried", &self.tried, BODY_MAX_CHARS),
        ];
        for (what, value, max) in short {
            if value.as_ref().is_some_and(|v| v.chars().count() > max) {
                return Err(format!("{what} must be at most {max} characters"));
            }
        }
        if let Some(zone) = &self.incident_time_zone {
            let plausible = zone.len() <= 64
                && zone
                    .chars()
                    .all(|c| c.is_ascii_alphanumeric() || "/_+-".contains(c));
            if !plausible {
                return Err(format!("{zone:?} is not a time zone name like Europe/Rome"));
            }
        }
        if let Some(at) = self.incident_started_at {
            // A few minutes of clock difference between computers is normal.
            if at > now + chrono::Duration::minutes(10) {
                return Err("the incident cannot start in the future".into());
            }
        }
        Ok(())
    }
}

/// `POST /api/v1/tickets` request.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct NewTicket {
    pub department: Department,
    pub priority: Priority,
    #[cfg_attr(
        feature = "openapi",
        schema(min_length = 1, max_length = 200, pattern = "\\S")
    )]
    pub subject: String,
    #[cfg_attr(
        feature = "openapi",
        schema(min_length = 1, max_length = 20000, pattern = "\\S")
    )]
    pub body: String,
    #[serde(default)]
    pub details: TicketDetails,
    /// When the customer can be reached at their computer (see
    /// `PUT /api/v1/tickets/{id}/availability`), if they say already.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[ts(optional)]
    pub availability: Option<crate::Availability>,
}

impl NewTicket {
    /// A ticket with only the required answers.
    pub fn new(
        department: Department,
        priority: Priority,
        subject: impl Into<String>,
        body: impl Into<String>,
    ) -> Self {
        Self {
            department,
            priority,
            subject: subject.into(),
            body: body.into(),
            details: TicketDetails::default(),
            availability: None,
        }
    }
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
        check_body(&self.body, "description")?;
        if let Some(availability) = &self.availability {
            availability
                .validate(Utc::now())
                .map_err(|e| e.to_string())?;
        }
        self.details.validate(Utc::now())
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
    /// Pass as `cursor` for the next page; `None` on the last page (and
    /// from a server older than paging, which sent every ticket at once).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub next_cursor: Option<String>,
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
        let mut t = NewTicket::new(Department::Technical, Priority::Regular, "  ", "x");
        assert!(t.validate().is_err());
        t.subject = "Mail down".into();
        assert!(t.validate().is_ok());
        t.body = "y".repeat(crate::limits::BODY_MAX_CHARS + 1);
        assert!(t.validate().is_err());
    }
}
