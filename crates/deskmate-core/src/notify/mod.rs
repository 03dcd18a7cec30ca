//! Desktop notifications from what the core follows: which events to tell
//! the user about (decided in the cache as sync pages arrive,
//! `cache/notify.rs`, so a restart, a reconnect or a full resync repeats
//! nothing), whether they are shown now, wait (a pause, quiet hours) or are
//! dropped (a muted kind), and their wording in the user's language. The
//! shell only shows what [`Core::notify`] hands it.

mod hold;
mod text;

pub use text::TrayWords;

use chrono::{DateTime, Duration, Utc};
use deskmate_api::{
    Notification, NotifyKind, NotifySettings, NotifyTarget, Pause, QuietHours, TicketStatus,
};

use crate::cache::Noted;
use crate::{Core, CoreError, Result};
use hold::{Zone, held_until};
use text::Lang;

/// Meta key of the user's [`NotifySettings`] (JSON).
const SETTINGS: &str = "notify_settings";

/// The longest text a notification's body carries, in characters.
const BODY_MAX_CHARS: usize = 180;

impl Core {
    /// The user's notification settings (defaults: everything on, no quiet
    /// hours, not paused).
    pub async fn notify_settings(&self) -> Result<NotifySettings> {
        Ok(match self.cache.meta(SETTINGS).await? {
            Some(json) => serde_json::from_str(&json).unwrap_or_else(|e| {
                tracing::warn!(error = %e, "unreadable notification settings: using the defaults");
                NotifySettings::default()
            }),
            None => NotifySettings::default(),
        })
    }

    /// Keeps the user's notification settings, refusing an unknown time
    /// zone or quiet hours that start when they end.
    pub async fn set_notify_settings(
        &self,
        mut settings: NotifySettings,
    ) -> Result<NotifySettings> {
        if let Some(zone) = settings.time_zone.as_deref()
            && zone.parse::<chrono_tz::Tz>().is_err()
        {
            return Err(CoreError::Invalid(format!("{zone:?} is not a time zone")));
        }
        if let Some(QuietHours { from, to }) = settings.quiet_hours
            && from == to
        {
            return Err(CoreError::Invalid(
                "quiet hours must end at another time than they start".into(),
            ));
        }
        settings.muted.sort_by_key(|k| k.as_str());
        settings.muted.dedup();
        let json = serde_json::to_string(&settings)
            .map_err(|e| CoreError::Cache(format!("cannot store the settings: {e}")))?;
        self.cache.set_meta(SETTINGS, json).await?;
        Ok(settings)
    }

    /// Pauses notifications for an hour or until tomorrow, or resumes them
    /// (what waited is summed up with the next [`Core::take_notifications`]).
    pub async fn pause_notifications(&self, pause: Pause) -> Result<NotifySettings> {
        let mut settings = self.notify_settings().await?;
        let now = Utc::now();
        settings.paused_until = match pause {
            Pause::Hour => Some(now + Duration::hours(1)),
            Pause::Tomorrow => Zone::of(&settings).tomorrow(now),
            Pause::Resume => None,
        };
        self.set_notify_settings(settings).await
    }

    /// Whether notifications wait now, and until when.
    pub async fn notifications_held_until(&self) -> Result<Option<DateTime<Utc>>> {
        Ok(held_until(&self.notify_settings().await?, Utc::now()))
    }

    /// What to show now, worded: each new event not muted, then (when the
    /// wait is over) one summary of what waited. Muted kinds are dropped
    /// and, while paused or in quiet hours, events wait. Nothing returned
    /// here is ever returned again.
    pub async fn take_notifications(&self) -> Result<Vec<Notification>> {
        let settings = self.notify_settings().await?;
        let hold = held_until(&settings, Utc::now()).is_some();
        let taken = self
            .cache
            .take_notifications(settings.muted.clone(), hold)
            .await?;
        let lang = self.notify_language().await;
        let mut shown = Vec::new();
        if !taken.waited.is_empty() {
            shown.push(summary(lang, &taken.waited));
        }
        // An agent's answer puts the ticket in waiting for the customer: the
        // reply says so already.
        let replied: Vec<i64> = taken
            .show
            .iter()
            .filter(|n| n.kind == NotifyKind::Reply)
            .filter_map(|n| n.ticket_id)
            .collect();
        let implied = |n: &&Noted| {
            n.kind == NotifyKind::Status
                && n.detail.as_deref() == Some(TicketStatus::WaitingForCustomer.as_str())
                && n.ticket_id.is_some_and(|id| replied.contains(&id))
        };
        shown.extend(
            taken
                .show
                .iter()
                .filter(|n| !implied(n))
                .map(|n| word(lang, n)),
        );
        Ok(shown)
    }

    /// Hands `show` every notification as it becomes due, until dropped:
    /// when `wake` is told (the follower pulled something) and when a wait
    /// ends (then with the summary).
    pub async fn notify(&self, wake: &tokio::sync::Notify, mut show: impl FnMut(Notification)) {
        loop {
            match self.take_notifications().await {
                Ok(all) => all.into_iter().for_each(&mut show),
                Err(e) => tracing::warn!(error = %e, "cannot decide on notifications"),
            }
            let until = match self.notifications_held_until().await {
                Ok(Some(until)) if self.cache.notifications_held().await.unwrap_or(false) => {
                    Some(until)
                }
                _ => None,
            };
            let wait = async {
                match until {
                    // A second past the end, so the wait is over when looked at.
                    Some(until) => {
                        let wait = (until - Utc::now()).to_std().unwrap_or_default();
                        tokio::time::sleep(wait + std::time::Duration::from_secs(1)).await;
                    }
                    None => std::future::pending().await,
                }
            };
            tokio::select! {
                () = wake.notified() => {}
                () = wait => {}
            }
        }
    }

    /// The tray's words in the user's language.
    pub async fn tray_words(&self) -> TrayWords {
        self.notify_language().await.tray()
    }

    /// The language the user chose in the app, else the system's.
    async fn notify_language(&self) -> Lang {
        if let Ok(Some(tag)) = self.language().await {
            return Lang::of(&tag);
        }
        ["LC_ALL", "LC_MESSAGES", "LANG"]
            .iter()
            .filter_map(|name| std::env::var(name).ok())
            .find(|v| !v.is_empty())
            .map_or(Lang::En, |v| Lang::of(&v))
    }
}

/// `text` cut to [`BODY_MAX_CHARS`], on one line.
fn excerpt(text: &str) -> String {
    let line = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if line.chars().count() <= BODY_MAX_CHARS {
        return line;
    }
    let cut: String = line.chars().take(BODY_MAX_CHARS - 1).collect();
    format!("{}…", cut.trim_end())
}

/// One event, worded.
fn word(lang: Lang, n: &Noted) -> Notification {
    let status = n.detail.as_deref().and_then(TicketStatus::parse);
    let maintenance = n.detail.as_deref() == Some("maintenance");
    let label = lang.label(n.kind, status, maintenance);
    let text = n.text.as_deref().map(excerpt).unwrap_or_default();
    let said = |who: &Option<String>| match who {
        Some(who) if !text.is_empty() => format!("{who}: {text}"),
        _ => text.clone(),
    };
    let (title, body) = match (n.kind, n.ticket_id) {
        (NotifyKind::OrderDelay, _) => {
            let order = n.who.as_deref().unwrap_or_default();
            (format!("{label} · {} {order}", lang.order()), text.clone())
        }
        (NotifyKind::Announcement, _) => (label.to_owned(), text.clone()),
        (kind, Some(id)) => {
            let ticket = match &n.subject {
                Some(subject) => format!("#{id} {subject}"),
                None => format!("#{id}"),
            };
            let body = match kind {
                NotifyKind::Status => lang.status_body(status).to_owned(),
                NotifyKind::Expedite => lang.expedite_body().to_owned(),
                _ => said(&n.who),
            };
            (format!("{label} · {ticket}"), body)
        }
        (_, None) => (label.to_owned(), said(&n.who)),
    };
    let target = match (n.kind, n.ticket_id) {
        (NotifyKind::Announcement, _) => NotifyTarget::Announcements,
        (NotifyKind::OrderDelay, _) => NotifyTarget::Requests,
        (_, Some(id)) => NotifyTarget::Ticket { id },
        (_, None) => NotifyTarget::Tickets,
    };
    Notification {
        kind: Some(n.kind),
        title,
        body,
        target,
    }
}

/// The one notification for everything that waited.
fn summary(lang: Lang, waited: &[NotifyKind]) -> Notification {
    let counts: Vec<String> = NotifyKind::ALL
        .iter()
        .filter_map(|kind| {
            let count = waited.iter().filter(|k| *k == kind).count();
            (count > 0).then(|| format!("{}: {count}", lang.counted(*kind)))
        })
        .collect();
    let only = |kind| waited.iter().all(|k| *k == kind);
    let target = if only(NotifyKind::Announcement) {
        NotifyTarget::Announcements
    } else if only(NotifyKind::OrderDelay) {
        NotifyTarget::Requests
    } else {
        NotifyTarget::Tickets
    };
    Notification {
        kind: None,
        title: format!("{}: {}", lang.summary_title(), waited.len()),
        body: counts.join(" · "),
        target,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_reply_is_titled_with_its_ticket() {
        let n = Noted {
            kind: NotifyKind::Reply,
            ticket_id: Some(7),
            subject: Some("VPN drops".into()),
            detail: None,
            who: Some("Ana".into()),
            text: Some("Try   this\nnow".into()),
        };
        let shown = word(Lang::It, &n);
        assert_eq!(shown.title, "Nuova risposta · #7 VPN drops");
        assert_eq!(shown.body, "Ana: Try this now");
        assert_eq!(shown.target, NotifyTarget::Ticket { id: 7 });
        assert!(excerpt(&"x".repeat(500)).chars().count() <= BODY_MAX_CHARS);
    }

    #[test]
    fn the_summary_counts_by_kind() {
        let s = summary(
            Lang::En,
            &[
                NotifyKind::Reply,
                NotifyKind::Announcement,
                NotifyKind::Reply,
            ],
        );
        assert_eq!(s.title, "Notifications that waited: 3");
        assert_eq!(s.body, "Replies: 2 · Announcements: 1");
        assert_eq!(s.target, NotifyTarget::Tickets);
    }
}
