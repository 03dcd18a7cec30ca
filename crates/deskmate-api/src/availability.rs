//! When a customer can be reached at their computer about a ticket: weekly
//! windows in their time zone, one-off windows, a note. The arithmetic on
//! them (reachable now? next when?) is in [`crate::reachability`].

use chrono::{DateTime, Duration, NaiveTime, Utc};
use serde::{Deserialize, Serialize};
use ts_rs::TS;

wire_enum! {
    /// A day of the week, as weekly availability windows name them.
    Weekday {
        Mon => "mon",
        Tue => "tue",
        Wed => "wed",
        Thu => "thu",
        Fri => "fri",
        Sat => "sat",
        Sun => "sun",
    }
}

impl Weekday {
    /// The same day as chrono names it.
    pub fn of(day: chrono::Weekday) -> Self {
        Self::ALL[day.num_days_from_monday() as usize]
    }
}

/// `PUT /api/v1/tickets/{id}/availability`, and a ticket's `availability`:
/// when the customer can be reached at their computer.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct Availability {
    /// The IANA name of the customer's time zone (e.g. "Europe/Prague"); the
    /// weekly windows are in its local time, daylight saving included.
    #[cfg_attr(feature = "openapi", schema(schema_with = time_zone_names))]
    pub time_zone: String,
    /// Every week, on these days, between these local times (at most 14).
    #[serde(default)]
    pub weekly: Vec<WeeklyWindow>,
    /// One-off windows (at most 20, none ended, none starting more than 90
    /// days ahead).
    #[serde(default)]
    pub dated: Vec<DatedWindow>,
    /// Anything else the agent should know (at most 500 characters).
    #[serde(default)]
    #[cfg_attr(feature = "openapi", schema(required = false))]
    pub note: Option<String>,
}

/// A window that comes back every week, e.g. Monday to Friday, 09:00-17:00.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct WeeklyWindow {
    /// The days the window starts on (at least one).
    #[cfg_attr(feature = "openapi", schema(min_items = 1))]
    pub days: Vec<Weekday>,
    /// Local start time, "HH:MM".
    #[cfg_attr(
        feature = "openapi",
        schema(example = "09:00", pattern = "^([01][0-9]|2[0-3]):[0-5][0-9]$")
    )]
    pub from: String,
    /// Local end time, "HH:MM" ("24:00": midnight); earlier than `from`, the
    /// window runs past midnight into the next day.
    #[cfg_attr(
        feature = "openapi",
        schema(example = "17:00", pattern = "^(([01][0-9]|2[0-3]):[0-5][0-9]|24:00)$")
    )]
    pub to: String,
}

/// A one-off window between two instants.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, TS)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
#[ts(export)]
pub struct DatedWindow {
    pub starts_at: DateTime<Utc>,
    pub ends_at: DateTime<Utc>,
}

/// Most weekly windows in one availability.
pub const WEEKLY_MAX: usize = 14;
/// Most one-off windows in one availability.
pub const DATED_MAX: usize = 20;
/// How far ahead a one-off window may start, in days.
pub const DATED_AHEAD_MAX_DAYS: i64 = 90;
/// Longest note, in characters.
pub const NOTE_MAX_CHARS: usize = 500;

/// Why an availability cannot be kept; the message says it in plain words.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum AvailabilityError {
    #[error("{0:?} is not a time zone name like Europe/Prague")]
    UnknownTimeZone(String),
    #[error("give at least one window, weekly or dated (to clear the availability, delete it)")]
    NoWindows,
    #[error("at most {WEEKLY_MAX} weekly windows")]
    TooManyWeekly,
    #[error("at most {DATED_MAX} dated windows")]
    TooManyDated,
    #[error("weekly window {0}: name at least one day")]
    NoDays(usize),
    #[error("weekly window {window}: {value:?} is not a time like 09:00")]
    BadTime { window: usize, value: String },
    #[error("weekly window {0}: it starts and ends at the same time")]
    EmptyWindow(usize),
    #[error("dated window {0}: it must end after it starts")]
    EndsBeforeStart(usize),
    #[error("dated window {0}: it has already ended")]
    AlreadyEnded(usize),
    #[error("dated window {0}: it must start within {DATED_AHEAD_MAX_DAYS} days")]
    TooFarAhead(usize),
    #[error("the note must be at most {NOTE_MAX_CHARS} characters")]
    NoteTooLong,
}

/// A local time of day as windows give it: "HH:MM", "24:00" only as an end.
/// `Some((time, next_day))`: "24:00" is midnight of the next day.
pub(crate) fn parse_clock(text: &str, is_end: bool) -> Option<(NaiveTime, bool)> {
    let (h, m) = text.split_once(':')?;
    let two_digits = |s: &str| s.len() == 2 && s.bytes().all(|b| b.is_ascii_digit());
    if !two_digits(h) || !two_digits(m) {
        return None;
    }
    let (h, m) = (h.parse::<u32>().ok()?, m.parse::<u32>().ok()?);
    if is_end && h == 24 && m == 0 {
        return Some((NaiveTime::MIN, true));
    }
    NaiveTime::from_hms_opt(h, m, 0).map(|t| (t, false))
}

/// The schema of [`Availability::time_zone`]: one of the IANA names the
/// server knows (those of its `chrono-tz`).
#[cfg(feature = "openapi")]
fn time_zone_names() -> utoipa::openapi::Object {
    utoipa::openapi::ObjectBuilder::new()
        .schema_type(utoipa::openapi::schema::Type::String)
        .enum_values(Some(chrono_tz::TZ_VARIANTS.iter().map(|tz| tz.name())))
        .description(Some("An IANA time zone name, e.g. `Europe/Prague`."))
        .build()
}

impl Availability {
    /// The parsed time zone; `None` when it is not a known IANA name.
    pub fn zone(&self) -> Option<chrono_tz::Tz> {
        self.time_zone.parse().ok()
    }

    /// Surrounding space goes, a blank note becomes absent, each window's
    /// days are in week order without repeats.
    pub fn normalized(mut self) -> Self {
        self.time_zone = self.time_zone.trim().to_owned();
        self.note = self
            .note
            .map(|n| n.trim().to_owned())
            .filter(|n| !n.is_empty());
        for window in &mut self.weekly {
            window
                .days
                .sort_by_key(|d| Weekday::ALL.iter().position(|x| x == d));
            window.days.dedup();
            window.from = window.from.trim().to_owned();
            window.to = window.to.trim().to_owned();
        }
        self
    }

    /// Checks everything a client can check before sending (the server
    /// checks again); `now` decides which dated windows are over.
    pub fn validate(&self, now: DateTime<Utc>) -> Result<(), AvailabilityError> {
        use AvailabilityError as E;
        if self.zone().is_none() {
            return Err(E::UnknownTimeZone(self.time_zone.clone()));
        }
        if self.weekly.is_empty() && self.dated.is_empty() {
            return Err(E::NoWindows);
        }
        if self.weekly.len() > WEEKLY_MAX {
            return Err(E::TooManyWeekly);
        }
        if self.dated.len() > DATED_MAX {
            return Err(E::TooManyDated);
        }
        for (i, window) in self.weekly.iter().enumerate() {
            let n = i + 1;
            if window.days.is_empty() {
                return Err(E::NoDays(n));
            }
            let bad = |value: &str| E::BadTime {
                window: n,
                value: value.to_owned(),
            };
            let (from, _) = parse_clock(&window.from, false).ok_or_else(|| bad(&window.from))?;
            let (to, next_day) = parse_clock(&window.to, true).ok_or_else(|| bad(&window.to))?;
            if from == to && !next_day {
                return Err(E::EmptyWindow(n));
            }
        }
        for (i, window) in self.dated.iter().enumerate() {
            let n = i + 1;
            if window.ends_at <= window.starts_at {
                return Err(E::EndsBeforeStart(n));
            }
            if window.ends_at <= now {
                return Err(E::AlreadyEnded(n));
            }
            if window.starts_at > now + Duration::days(DATED_AHEAD_MAX_DAYS) {
                return Err(E::TooFarAhead(n));
            }
        }
        if self
            .note
            .as_ref()
            .is_some_and(|n| n.chars().count() > NOTE_MAX_CHARS)
        {
            return Err(E::NoteTooLong);
        }
        Ok(())
    }
}

/// Why a weekly window written as text could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0:?} is not a weekly window like \"mon-fri 09:00-17:00\" or \"sat,sun 10:00-12:00\"")]
pub struct WeeklyWindowSyntax(pub String);

impl std::str::FromStr for WeeklyWindow {
    type Err = WeeklyWindowSyntax;

    /// "mon-fri 09:00-17:00", "sat,sun 10:00-12:00", "fri 22:00-02:00".
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let wrong = || WeeklyWindowSyntax(text.to_owned());
        let (days_text, times) = text.trim().split_once(' ').ok_or_else(wrong)?;
        let (from, to) = times.trim().split_once('-').ok_or_else(wrong)?;
        let day = |s: &str| Weekday::parse(&s.trim().to_ascii_lowercase()).ok_or_else(wrong);
        let mut days = Vec::new();
        for part in days_text.split(',') {
            match part.split_once('-') {
                Some((first, last)) => {
                    let (first, last) = (day(first)?, day(last)?);
                    let index = |d| Weekday::ALL.iter().position(|x| *x == d).unwrap_or(0);
                    let (a, b) = (index(first), index(last));
                    // "sat-mon" wraps around the week's end.
                    let span = (b + 7 - a) % 7;
                    days.extend((0..=span).map(|k| Weekday::ALL[(a + k) % 7]));
                }
                None => days.push(day(part)?),
            }
        }
        let window = Self {
            days,
            from: from.trim().to_owned(),
            to: to.trim().to_owned(),
        };
        if parse_clock(&window.from, false).is_none() || parse_clock(&window.to, true).is_none() {
            return Err(wrong());
        }
        Ok(window)
    }
}

impl std::fmt::Display for WeeklyWindow {
    /// The text form [`std::str::FromStr`] reads, runs of days shortened:
    /// "mon-fri 09:00-17:00".
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let index = |d: &Weekday| Weekday::ALL.iter().position(|x| x == d).unwrap_or(0);
        let mut indexes: Vec<usize> = self.days.iter().map(index).collect();
        indexes.sort_unstable();
        indexes.dedup();
        let mut runs: Vec<(usize, usize)> = Vec::new();
        for i in indexes {
            match runs.last_mut() {
                Some((_, last)) if *last + 1 == i => *last = i,
                _ => runs.push((i, i)),
            }
        }
        let days: Vec<String> = runs
            .iter()
            .map(|&(a, b)| match b - a {
                0 => Weekday::ALL[a].to_string(),
                1 => format!("{},{}", Weekday::ALL[a], Weekday::ALL[b]),
                _ => format!("{}-{}", Weekday::ALL[a], Weekday::ALL[b]),
            })
            .collect();
        write!(f, "{} {}-{}", days.join(","), self.from, self.to)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    fn at(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, mo, d, h, mi, 0).unwrap()
    }

    fn weekly(text: &str) -> Availability {
        Availability {
            time_zone: "Europe/Prague".into(),
            weekly: vec![text.parse().unwrap()],
            dated: vec![],
            note: None,
        }
    }

    #[test]
    fn weekly_windows_read_and_write_their_text_form() {
        let w: WeeklyWindow = "mon-fri 09:00-17:00".parse().unwrap();
        assert_eq!(w.days, &Weekday::ALL[..5]);
        assert_eq!(w.to_string(), "mon-fri 09:00-17:00");
        let w: WeeklyWindow = "Sat,sun 10:00-12:00".parse().unwrap();
        assert_eq!(w.days, vec![Weekday::Sat, Weekday::Sun]);
        assert_eq!(w.to_string(), "sat,sun 10:00-12:00");
        let w: WeeklyWindow = "sat-mon 22:00-02:00".parse().unwrap();
        assert_eq!(w.days, vec![Weekday::Sat, Weekday::Sun, Weekday::Mon]);
        assert_eq!(w.to_string(), "mon,sat,sun 22:00-02:00");
        let w: WeeklyWindow = "mon,wed,fri 08:00-24:00".parse().unwrap();
        assert_eq!(w.to_string(), "mon,wed,fri 08:00-24:00");
        for bad in [
            "",
            "mon",
            "09:00-17:00",
            "mon 9:00-17:00",
            "mon 09:00",
            "funday 09:00-10:00",
            "mon 25:00-26:00",
            "mon 24:00-10:00",
            "mon 09:60-10:00",
        ] {
            assert!(bad.parse::<WeeklyWindow>().is_err(), "{bad:?} was read");
        }
    }

    #[test]
    fn validation_names_the_first_problem() {
        let now = at(2026, 11, 25, 12, 0);
        assert_eq!(weekly("mon-fri 09:00-17:00").validate(now), Ok(()));
        assert_eq!(weekly("fri 22:00-02:00").validate(now), Ok(()));

        let mut a = weekly("mon 09:00-17:00");
        a.time_zone = "Mars/Olympus".into();
        assert_eq!(
            a.validate(now),
            Err(AvailabilityError::UnknownTimeZone("Mars/Olympus".into()))
        );

        let mut a = weekly("mon 09:00-17:00");
        a.weekly[0].from = "25:00".into();
        assert!(matches!(
            a.validate(now),
            Err(AvailabilityError::BadTime { window: 1, .. })
        ));
        a.weekly[0].from = "24:00".into();
        assert!(a.validate(now).is_err(), "24:00 is an end only");

        let mut a = weekly("mon 09:00-09:00");
        assert_eq!(a.validate(now), Err(AvailabilityError::EmptyWindow(1)));
        a.weekly[0].days.clear();
        assert_eq!(a.validate(now), Err(AvailabilityError::NoDays(1)));

        let mut a = weekly("mon 09:00-10:00");
        a.weekly = vec![a.weekly[0].clone(); WEEKLY_MAX + 1];
        assert_eq!(a.validate(now), Err(AvailabilityError::TooManyWeekly));
        a.weekly.clear();
        assert_eq!(a.validate(now), Err(AvailabilityError::NoWindows));

        let window = |from: DateTime<Utc>, hours: i64| DatedWindow {
            starts_at: from,
            ends_at: from + Duration::hours(hours),
        };
        a.dated = vec![window(now + Duration::hours(1), 2)];
        assert_eq!(a.validate(now), Ok(()));
        a.dated = vec![window(now - Duration::hours(3), 4)];
        assert_eq!(a.validate(now), Ok(()), "an ongoing window is fine");
        a.dated = vec![window(now, -1)];
        assert_eq!(a.validate(now), Err(AvailabilityError::EndsBeforeStart(1)));
        a.dated = vec![window(now, 0)];
        assert_eq!(a.validate(now), Err(AvailabilityError::EndsBeforeStart(1)));
        a.dated = vec![window(now - Duration::hours(3), 2)];
        assert_eq!(a.validate(now), Err(AvailabilityError::AlreadyEnded(1)));
        a.dated = vec![window(now + Duration::days(DATED_AHEAD_MAX_DAYS + 1), 1)];
        assert_eq!(a.validate(now), Err(AvailabilityError::TooFarAhead(1)));
        a.dated = vec![window(now + Duration::hours(1), 1); DATED_MAX + 1];
        assert_eq!(a.validate(now), Err(AvailabilityError::TooManyDated));

        let mut a = weekly("mon 09:00-10:00");
        a.note = Some("x".repeat(NOTE_MAX_CHARS));
        assert_eq!(a.validate(now), Ok(()));
        a.note = Some("é".repeat(NOTE_MAX_CHARS + 1));
        assert_eq!(a.validate(now), Err(AvailabilityError::NoteTooLong));
    }

    #[test]
    fn normalizing_tidies_without_changing_the_meaning() {
        let mut a = weekly("mon 09:00-10:00");
        a.time_zone = " Europe/Prague ".into();
        a.note = Some("   ".into());
        a.weekly[0].days = vec![Weekday::Fri, Weekday::Mon, Weekday::Fri];
        let a = a.normalized();
        assert_eq!(a.time_zone, "Europe/Prague");
        assert_eq!(a.note, None);
        assert_eq!(a.weekly[0].days, vec![Weekday::Mon, Weekday::Fri]);
    }

    #[test]
    fn the_wire_form_is_plain_json() {
        let a = weekly("mon-fri 09:00-17:00");
        let json = serde_json::to_value(&a).unwrap();
        assert_eq!(json["weekly"][0]["days"][0], "mon");
        assert_eq!(json["weekly"][0]["from"], "09:00");
        let back: Availability = serde_json::from_value(json).unwrap();
        assert_eq!(back, a);
        let minimal: Availability =
            serde_json::from_str(r#"{"time_zone":"UTC","dated":[]}"#).unwrap();
        assert!(minimal.weekly.is_empty());
        assert!(serde_json::from_str::<Availability>(r#"{"time_zone":"UTC","x":1}"#).is_err());
        assert!(
            serde_json::from_str::<Availability>(
                r#"{"time_zone":"UTC","weekly":[{"days":["someday"],"from":"09:00","to":"10:00"}]}"#
            )
            .is_err()
        );
    }
}
