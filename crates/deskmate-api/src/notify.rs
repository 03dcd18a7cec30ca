//! Desktop notifications: what the app tells the user outside its window,
//! and the user's say over it (types muted, quiet hours, a pause).

use chrono::{DateTime, NaiveTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

/// Name of the app event that tells the window which screen to show (a
/// [`NotifyTarget`]): a click on a notification, a `deskmate://` link.
pub const OPEN_EVENT: &str = "deskmate://open";

wire_enum! {
    /// What a desktop notification is about; each can be switched off.
    NotifyKind {
        /// An agent answered one of the user's tickets.
        Reply => "reply",
        /// A ticket now waits for the user, or was resolved or closed.
        Status => "status",
        /// A consultant asks to start a remote-assistance session.
        RemoteSession => "remote_session",
        /// An expedited response on a ticket was accepted.
        Expedite => "expedite",
        /// An announcement or planned maintenance for the organisation.
        Announcement => "announcement",
        /// The provider needs information about a delayed order.
        OrderDelay => "order_delay",
    }
}

/// Hours of the day (in the user's time zone) when notifications wait and
/// are summed up in one when the hours end. `from` after `to` spans midnight.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct QuietHours {
    /// Start, "HH:MM" (24 h).
    #[ts(type = "string")]
    #[serde(with = "hhmm")]
    pub from: NaiveTime,
    /// End, "HH:MM" (24 h); equal to `from` means all day.
    #[ts(type = "string")]
    #[serde(with = "hhmm")]
    pub to: NaiveTime,
}

/// The user's say over desktop notifications.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "camelCase", default)]
#[ts(export)]
pub struct NotifySettings {
    /// Kinds never shown (what they announce still reaches the window).
    pub muted: Vec<NotifyKind>,
    /// When notifications wait, if ever.
    pub quiet_hours: Option<QuietHours>,
    /// IANA time zone of the quiet hours ("Europe/Rome"); `null`: the computer's.
    pub time_zone: Option<String>,
    /// Notifications wait until then (a pause the user chose).
    pub paused_until: Option<DateTime<Utc>>,
}

/// How long to pause notifications, as the tray and the settings offer it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(rename_all = "snake_case")]
#[ts(export)]
pub enum Pause {
    /// One hour from now.
    Hour,
    /// Until the start of tomorrow in the user's time zone.
    Tomorrow,
    /// Resume now (what waited is summed up at once).
    Resume,
}

/// Which screen a notification opens when clicked.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[serde(tag = "screen", rename_all = "snake_case")]
#[ts(export)]
pub enum NotifyTarget {
    Ticket {
        #[ts(type = "number")]
        id: i64,
    },
    Announcements,
    Requests,
    Tickets,
    /// The new-ticket form (the tray's "Report a problem").
    NewTicket,
}

/// One desktop notification, worded in the user's language.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[ts(export)]
pub struct Notification {
    /// `None` for the summary of what waited.
    pub kind: Option<NotifyKind>,
    pub title: String,
    pub body: String,
    pub target: NotifyTarget,
}

mod hhmm {
    use chrono::NaiveTime;
    use serde::{Deserialize, Deserializer, Serializer, de::Error};

    pub fn serialize<S: Serializer>(t: &NaiveTime, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&t.format("%H:%M").to_string())
    }

    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<NaiveTime, D::Error> {
        let text = String::deserialize(d)?;
        NaiveTime::parse_from_str(&text, "%H:%M")
            .map_err(|_| D::Error::custom(format!("{text:?} is not a time of day as HH:MM")))
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn quiet_hours_travel_as_hh_mm() {
        let json = r#"{"from":"22:30","to":"07:00"}"#;
        let q: QuietHours = serde_json::from_str(json).unwrap();
        assert_eq!(q.from, NaiveTime::from_hms_opt(22, 30, 0).unwrap());
        assert_eq!(serde_json::to_string(&q).unwrap(), json);
        assert!(serde_json::from_str::<QuietHours>(r#"{"from":"25:00","to":"07:00"}"#).is_err());
    }
}
