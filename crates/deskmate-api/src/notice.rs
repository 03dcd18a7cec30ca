//! What the provider tells its customers outside a ticket's conversation:
//! announcements and planned maintenance (remote-session requests are in
//! `remote_session.rs`, order-delay requests in `order_delay.rs`); and how a
//! withdrawal reaches the clients ([`Deletion`]).

use chrono::{DateTime, Utc};
use serde::{Deserialize, Deserializer, Serialize};
use ts_rs::TS;

use crate::AffectedService;
use crate::limits::{LINE_MAX_CHARS, SUBJECT_MAX_CHARS};
use crate::ticket::check_body;

/// The most affected services one announcement lists (names in
/// `affected_services`, references in `services`, each).
pub const SERVICES_MAX: usize = 20;

wire_enum! {
    /// What an announcement is.
    AnnouncementKind {
        /// News: new features, changed terms.
        Announcement => "announcement",
        /// Planned work on services, with a time window.
        Maintenance => "maintenance",
    }
}

/// A notice from the provider to every customer, or to one organisation;
/// when it names services (`services`), only to the organisations that have
/// one of them.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[ts(export)]
pub struct Announcement {
    #[ts(type = "number")]
    pub id: i64,
    pub kind: AnnouncementKind,
    pub title: String,
    pub body: String,
    /// The services concerned in words, e.g. "Managed VPS", "SIP trunk".
    pub affected_services: Vec<String>,
    /// The organisations' services it affects, by reference; empty: a
    /// general announcement. Customers see only their own among them,
    /// with their organisation's names.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub services: Vec<AffectedService>,
    /// When it starts to apply (a maintenance window's start).
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub starts_at: Option<DateTime<Utc>>,
    /// When it stops applying (a maintenance window's end).
    #[cfg_attr(feature = "openapi", schema(required = true))]
    pub ends_at: Option<DateTime<Utc>>,
    /// Absent: every customer; else only this organisation's people.
    #[cfg_attr(feature = "openapi", schema(required = true))]
    #[ts(type = "number | null")]
    pub organisation_id: Option<i64>,
    pub created_at: DateTime<Utc>,
    pub updated_at: DateTime<Utc>,
}

/// `POST /api/v1/announcements` request (agents).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct NewAnnouncement {
    pub kind: AnnouncementKind,
    #[cfg_attr(
        feature = "openapi",
        schema(min_length = 1, max_length = 200, pattern = "\\S")
    )]
    pub title: String,
    #[cfg_attr(
        feature = "openapi",
        schema(min_length = 1, max_length = 20000, pattern = "\\S")
    )]
    pub body: String,
    #[serde(default)]
    pub affected_services: Vec<String>,
    /// The references of the services it affects (see
    /// `/api/v1/organisations/{id}/services`): only organisations with one
    /// of them see it. Empty: general. It cannot be changed later. At most
    /// 20, each 1 to 100 characters matching `^[A-Za-z0-9][A-Za-z0-9._-]*$`.
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(max_items = 20))]
    pub services: Vec<String>,
    /// Required for maintenance.
    #[serde(default)]
    pub starts_at: Option<DateTime<Utc>>,
    /// Required for maintenance; after `starts_at`.
    #[serde(default)]
    pub ends_at: Option<DateTime<Utc>>,
    /// Absent: every customer; else only this organisation's people.
    /// It cannot be changed later: withdraw and post anew.
    #[serde(default)]
    #[ts(type = "number | null")]
    pub organisation_id: Option<i64>,
}

impl NewAnnouncement {
    /// Surrounding space goes from the title and the services.
    pub fn normalized(mut self) -> Self {
        self.title = self.title.trim().to_owned();
        self.affected_services = self
            .affected_services
            .iter()
            .map(|s| s.trim().to_owned())
            .collect();
        self.services.sort();
        self.services.dedup();
        self
    }

    /// Checks the limits; returns the first problem in plain words.
    pub fn validate(&self) -> Result<(), String> {
        let title = self.title.trim();
        if title.is_empty() {
            return Err("title must not be empty".into());
        }
        if title.chars().count() > SUBJECT_MAX_CHARS {
            return Err(format!(
                "title must be at most {SUBJECT_MAX_CHARS} characters"
            ));
        }
        check_body(&self.body, "body")?;
        if self.affected_services.len() > SERVICES_MAX {
            return Err(format!(
                "at most {SERVICES_MAX} affected services per announcement"
            ));
        }
        for service in &self.affected_services {
            let service = service.trim();
            if service.is_empty() {
                return Err("an affected service must not be empty".into());
            }
            if service.chars().count() > LINE_MAX_CHARS {
                return Err(format!(
                    "an affected service must be at most {LINE_MAX_CHARS} characters"
                ));
            }
        }
        if self.services.len() > SERVICES_MAX {
            return Err(format!(
                "at most {SERVICES_MAX} service references per announcement"
            ));
        }
        for reference in &self.services {
            crate::check_service_reference(reference)?;
        }
        if self.kind == AnnouncementKind::Maintenance
            && (self.starts_at.is_none() || self.ends_at.is_none())
        {
            return Err("planned maintenance needs its window: starts_at and ends_at".into());
        }
        if let (Some(starts), Some(ends)) = (self.starts_at, self.ends_at)
            && ends <= starts
        {
            return Err("ends_at must be after starts_at".into());
        }
        Ok(())
    }
}

/// `PATCH /api/v1/announcements/{id}` request (agents): only the fields
/// sent change; `null` clears a time. Who sees it (its organisation, its
/// services) cannot change.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(default, deny_unknown_fields)]
#[ts(export)]
pub struct AnnouncementUpdate {
    #[ts(optional)]
    pub kind: Option<AnnouncementKind>,
    #[ts(optional)]
    #[cfg_attr(
        feature = "openapi",
        schema(min_length = 1, max_length = 200, pattern = "\\S")
    )]
    pub title: Option<String>,
    #[ts(optional)]
    pub body: Option<String>,
    #[ts(optional)]
    pub affected_services: Option<Vec<String>>,
    #[serde(deserialize_with = "present")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<DateTime<Utc>>))]
    #[ts(optional, type = "string | null")]
    pub starts_at: Option<Option<DateTime<Utc>>>,
    #[serde(deserialize_with = "present")]
    #[cfg_attr(feature = "openapi", schema(value_type = Option<DateTime<Utc>>))]
    #[ts(optional, type = "string | null")]
    pub ends_at: Option<Option<DateTime<Utc>>>,
}

/// A field that is present, even as `null`, is `Some`.
fn present<'de, D, T>(d: D) -> Result<Option<Option<T>>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(d).map(Some)
}

impl AnnouncementUpdate {
    /// `current` with this update applied, to be validated as a whole.
    pub fn apply(self, current: &Announcement) -> NewAnnouncement {
        NewAnnouncement {
            kind: self.kind.unwrap_or(current.kind),
            title: self.title.unwrap_or_else(|| current.title.clone()),
            body: self.body.unwrap_or_else(|| current.body.clone()),
            affected_services: self
                .affected_services
                .unwrap_or_else(|| current.affected_services.clone()),
            starts_at: self.starts_at.unwrap_or(current.starts_at),
            ends_at: self.ends_at.unwrap_or(current.ends_at),
            services: current
                .services
                .iter()
                .map(|s| s.reference.clone())
                .collect(),
            organisation_id: current.organisation_id,
        }
    }
}

/// `GET /api/v1/announcements`: current and upcoming first (by start), then
/// past ones (most recently ended first).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[ts(export)]
pub struct AnnouncementList {
    pub announcements: Vec<Announcement>,
}

wire_enum! {
    /// What kind of record a [`Deletion`] removes.
    DeletionKind {
        /// A withdrawn announcement or planned maintenance.
        Announcement => "announcement",
    }
}

/// A record the caller could see that is gone: drop it from the cache.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[ts(export)]
pub struct Deletion {
    pub kind: DeletionKind,
    #[ts(type = "number")]
    pub id: i64,
}

#[cfg(test)]
mod tests {
    use super::*;

    fn maintenance() -> NewAnnouncement {
        let starts = Utc::now();
        NewAnnouncement {
            kind: AnnouncementKind::Maintenance,
            title: "Storage upgrade".into(),
            body: "Short interruptions.".into(),
            affected_services: vec!["Managed VPS".into()],
            services: vec!["VPS-1".into()],
            starts_at: Some(starts),
            ends_at: Some(starts + chrono::Duration::hours(2)),
            organisation_id: None,
        }
    }

    #[test]
    fn maintenance_needs_a_window_that_ends_after_it_starts() {
        assert!(maintenance().validate().is_ok());
        let mut m = maintenance();
        m.ends_at = None;
        assert!(m.validate().is_err());
        let mut m = maintenance();
        m.ends_at = m.starts_at;
        assert!(m.validate().is_err());
        let mut m = maintenance();
        m.affected_services = vec!["x".into(); SERVICES_MAX + 1];
        assert!(m.validate().is_err());
        m.affected_services = vec!["  ".into()];
        assert!(m.validate().is_err());
        let mut m = maintenance();
        m.services = vec!["no spaces".into()];
        assert!(m.validate().is_err());
    }

    #[test]
    fn an_update_tells_absent_from_null() {
        let u: AnnouncementUpdate = serde_json::from_str(r#"{"ends_at": null}"#).unwrap();
        assert_eq!(u.ends_at, Some(None));
        assert_eq!(u.starts_at, None);
        let u: AnnouncementUpdate = serde_json::from_str("{}").unwrap();
        assert_eq!(u, AnnouncementUpdate::default());
    }
}
