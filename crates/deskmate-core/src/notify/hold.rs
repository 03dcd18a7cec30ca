//! When notifications wait: a pause the user chose, and quiet hours in the
//! user's time zone.

use chrono::{DateTime, Days, LocalResult, NaiveDate, NaiveTime, TimeZone, Utc};
use chrono_tz::Tz;
use deskmate_api::{NotifySettings, QuietHours};

/// The time zone quiet hours and "until tomorrow" are read in.
#[derive(Debug, Clone, Copy)]
pub(crate) enum Zone {
    Named(Tz),
    /// The computer's.
    Local,
}

impl Zone {
    pub(crate) fn of(settings: &NotifySettings) -> Self {
        match settings
            .time_zone
            .as_deref()
            .and_then(|z| z.parse::<Tz>().ok())
        {
            Some(tz) => Self::Named(tz),
            None => Self::Local,
        }
    }

    /// The local date and time of day at `now`.
    fn local(self, now: DateTime<Utc>) -> (NaiveDate, NaiveTime) {
        let naive = match self {
            Self::Named(tz) => now.with_timezone(&tz).naive_local(),
            Self::Local => now.with_timezone(&chrono::Local).naive_local(),
        };
        (naive.date(), naive.time())
    }

    /// The first instant at or after `date` `time` locally (a time a clock
    /// change skips is taken an hour later).
    fn instant(self, date: NaiveDate, time: NaiveTime) -> Option<DateTime<Utc>> {
        fn first<T: TimeZone>(tz: &T, naive: chrono::NaiveDateTime) -> Option<DateTime<Utc>> {
            match tz.from_local_datetime(&naive) {
                LocalResult::Single(t) | LocalResult::Ambiguous(t, _) => {
                    Some(t.with_timezone(&Utc))
                }
                LocalResult::None => {
                    match tz.from_local_datetime(&(naive + chrono::Duration::hours(1))) {
                        LocalResult::Single(t) | LocalResult::Ambiguous(t, _) => {
                            Some(t.with_timezone(&Utc))
                        }
                        LocalResult::None => None,
                    }
                }
            }
        }
        let naive = date.and_time(time);
        match self {
            Self::Named(tz) => first(&tz, naive),
            Self::Local => first(&chrono::Local, naive),
        }
    }

    /// The start of the day after `now`'s, locally.
    pub(crate) fn tomorrow(self, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
        let (date, _) = self.local(now);
        self.instant(date.checked_add_days(Days::new(1))?, NaiveTime::MIN)
    }
}

/// Whether `time` falls in `quiet` (from inclusive, to exclusive; spanning
/// midnight when `from` is after `to`).
fn in_quiet_hours(quiet: &QuietHours, time: NaiveTime) -> bool {
    if quiet.from <= quiet.to {
        quiet.from <= time && time < quiet.to
    } else {
        time >= quiet.from || time < quiet.to
    }
}

/// Until when notifications wait at `now`, or `None` when they do not.
pub(crate) fn held_until(settings: &NotifySettings, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
    let paused = settings.paused_until.filter(|until| *until > now);
    let zone = Zone::of(settings);
    let quiet = settings.quiet_hours.as_ref().and_then(|quiet| {
        let (date, time) = zone.local(now);
        if !in_quiet_hours(quiet, time) {
            return None;
        }
        let day = if time < quiet.to {
            date
        } else {
            date.checked_add_days(Days::new(1))?
        };
        zone.instant(day, quiet.to)
    });
    // Both may hold: the later ends the wait (then it is looked at again).
    match (paused, quiet) {
        (Some(a), Some(b)) => Some(a.max(b)),
        (a, b) => a.or(b),
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn at(s: &str) -> DateTime<Utc> {
        DateTime::parse_from_rfc3339(s).unwrap().with_timezone(&Utc)
    }

    fn quiet(from: &str, to: &str, zone: &str) -> NotifySettings {
        NotifySettings {
            quiet_hours: Some(QuietHours {
                from: NaiveTime::parse_from_str(from, "%H:%M").unwrap(),
                to: NaiveTime::parse_from_str(to, "%H:%M").unwrap(),
            }),
            time_zone: Some(zone.into()),
            ..NotifySettings::default()
        }
    }

    #[test]
    fn quiet_hours_over_midnight_in_the_users_zone() {
        let s = quiet("22:00", "07:00", "Europe/Rome");
        // 23:30 in Rome (CET, UTC+1) waits until 07:00 Rome the next day.
        assert_eq!(
            held_until(&s, at("2026-12-04T22:30:00Z")),
            Some(at("2026-12-05T06:00:00Z"))
        );
        // 05:00 in Rome waits until 07:00 the same day.
        assert_eq!(
            held_until(&s, at("2026-12-05T04:00:00Z")),
            Some(at("2026-12-05T06:00:00Z"))
        );
        // 12:00 in Rome is not quiet.
        assert_eq!(held_until(&s, at("2026-12-05T11:00:00Z")), None);
    }

    #[test]
    fn quiet_hours_within_a_day_and_a_pause() {
        let mut s = quiet("12:00", "13:00", "UTC");
        assert_eq!(
            held_until(&s, at("2026-12-04T12:10:00Z")),
            Some(at("2026-12-04T13:00:00Z"))
        );
        assert_eq!(held_until(&s, at("2026-12-04T13:00:00Z")), None);
        s.paused_until = Some(at("2026-12-04T15:00:00Z"));
        assert_eq!(
            held_until(&s, at("2026-12-04T12:10:00Z")),
            Some(at("2026-12-04T15:00:00Z"))
        );
        assert_eq!(held_until(&s, at("2026-12-04T15:00:00Z")), None);
    }

    #[test]
    fn tomorrow_starts_at_local_midnight() {
        let zone = Zone::Named("Europe/Ljubljana".parse().unwrap());
        assert_eq!(
            zone.tomorrow(at("2026-12-04T23:30:00Z")),
            Some(at("2026-12-05T23:00:00Z"))
        );
    }
}
