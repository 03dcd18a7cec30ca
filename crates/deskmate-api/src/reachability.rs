//! Availability arithmetic: is the customer reachable at an instant, and
//! when is their next window. Server (the agents' queue) and app use the
//! same code, so both say the same.
//!
//! Local times become instants the way JavaScript's Temporal does by
//! default ("compatible"): a wall time that happens twice (the hour the
//! clocks go back) means its first occurrence; a wall time that never
//! happens (the hour the clocks skip) moves forward by the gap, e.g. 02:30
//! on the night summer time starts in Europe/Prague is 03:30 summer time.

use chrono::{DateTime, Duration, LocalResult, NaiveDate, NaiveDateTime, Offset, TimeZone, Utc};
use chrono_tz::Tz;

use crate::availability::parse_clock;
use crate::{Availability, Weekday};

/// A window as two instants, start included, end excluded.
pub type Span = (DateTime<Utc>, DateTime<Utc>);

/// Where a customer stands at one instant.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Reachability {
    /// The instant falls in one of the windows.
    pub reachable_now: bool,
    /// The earliest moment from the instant on at which the customer can be
    /// reached: the instant itself while reachable, else the next window's
    /// start; `None` without a window ahead.
    pub next_reachable_at: Option<DateTime<Utc>>,
    /// While reachable: when the current window (merged with any it
    /// touches) ends.
    pub reachable_until: Option<DateTime<Utc>>,
}

/// Whether the customer can be reached at `at`.
pub fn reachable_at(availability: &Availability, at: DateTime<Utc>) -> bool {
    next_window(availability, at).is_some_and(|(start, _)| start <= at)
}

/// Reachability at `now` of a ticket's availability, if it has one.
pub fn reachability(availability: Option<&Availability>, now: DateTime<Utc>) -> Reachability {
    let Some(window) = availability.and_then(|a| next_window(a, now)) else {
        return Reachability::default();
    };
    let reachable_now = window.0 <= now;
    Reachability {
        reachable_now,
        next_reachable_at: Some(window.0.max(now)),
        reachable_until: reachable_now.then_some(window.1),
    }
}

/// The window the customer is in at `after`, or else the first one after
/// it; overlapping and touching windows (weekly and dated alike) count as
/// one. `None` without a window ahead or with an unknown time zone. A run
/// of windows without a gap is followed for a few years at most.
pub fn next_window(availability: &Availability, after: DateTime<Utc>) -> Option<Span> {
    let zone: Tz = availability.zone()?;
    let today = after.with_timezone(&zone).date_naive();
    let mut days_ahead = 16;
    loop {
        let mut spans = weekly_spans(availability, zone, today - Duration::days(2), days_ahead);
        spans.extend(
            availability
                .dated
                .iter()
                .filter(|w| w.ends_at > w.starts_at)
                .map(|w| (w.starts_at, w.ends_at)),
        );
        let found = first_merged(spans, after);
        // Weekly windows were laid out only so far: a run reaching past that
        // may go on.
        let laid_out_until = after + Duration::days(days_ahead - 2);
        match found {
            Some((_, end))
                if end > laid_out_until && !availability.weekly.is_empty() && days_ahead < 800 =>
            {
                days_ahead *= 4;
            }
            found => return found,
        }
    }
}

/// Every weekly window starting on a local day from `first` on, for
/// `days + 2` days.
fn weekly_spans(availability: &Availability, zone: Tz, first: NaiveDate, days: i64) -> Vec<Span> {
    let mut spans = Vec::new();
    for day in first
        .iter_days()
        .take(usize::try_from(days + 2).unwrap_or(0))
    {
        let weekday = Weekday::of(chrono::Datelike::weekday(&day));
        for window in &availability.weekly {
            if !window.days.contains(&weekday) {
                continue;
            }
            let (Some((from, _)), Some((to, midnight))) = (
                parse_clock(&window.from, false),
                parse_clock(&window.to, true),
            ) else {
                continue;
            };
            let end_day = if midnight || to <= from {
                day.succ_opt()
            } else {
                Some(day)
            };
            let start = local_instant(zone, day.and_time(from));
            let end = end_day.and_then(|d| local_instant(zone, d.and_time(to)));
            if let (Some(start), Some(end)) = (start, end)
                && end > start
            {
                spans.push((start, end));
            }
        }
    }
    spans
}

/// The instant a local wall time in `zone` stands for (see the module's
/// note on times that happen twice or never).
pub fn local_instant(zone: Tz, local: NaiveDateTime) -> Option<DateTime<Utc>> {
    match zone.from_local_datetime(&local) {
        LocalResult::Single(t) | LocalResult::Ambiguous(t, _) => Some(t.with_timezone(&Utc)),
        LocalResult::None => {
            // Skipped by the clock: read it with the offset in force just
            // before the gap, which moves it forward by the gap's length.
            let before = (1..=48).find_map(|h| {
                zone.from_local_datetime(&(local - Duration::hours(h)))
                    .earliest()
            })?;
            let offset = i64::from(before.offset().fix().local_minus_utc());
            Some((local - Duration::seconds(offset)).and_utc())
        }
    }
}

/// Of the spans merged where they overlap or touch, the first that ends
/// after `after`.
fn first_merged(mut spans: Vec<Span>, after: DateTime<Utc>) -> Option<Span> {
    spans.sort();
    let mut current: Option<Span> = None;
    for (start, end) in spans {
        match &mut current {
            Some((_, current_end)) if start <= *current_end => {
                *current_end = (*current_end).max(end);
            }
            _ => {
                if let Some(done) = current.filter(|(_, e)| *e > after) {
                    return Some(done);
                }
                current = Some((start, end));
            }
        }
    }
    current.filter(|(_, e)| *e > after)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::DatedWindow;

    fn utc(y: i32, mo: u32, d: u32, h: u32, mi: u32) -> DateTime<Utc> {
        Utc.with_ymd_and_hms(y, mo, d, h, mi, 0).unwrap()
    }

    fn prague(windows: &[&str]) -> Availability {
        Availability {
            time_zone: "Europe/Prague".into(),
            weekly: windows.iter().map(|w| w.parse().unwrap()).collect(),
            dated: vec![],
            note: None,
        }
    }

    #[test]
    fn office_hours_in_winter_time() {
        let a = prague(&["mon-fri 09:00-17:00"]);
        // Wednesday 2026-11-25, 13:00 in Prague (UTC+1).
        let wednesday_noon = utc(2026, 11, 25, 12, 0);
        assert!(reachable_at(&a, wednesday_noon));
        assert_eq!(
            next_window(&a, wednesday_noon),
            Some((utc(2026, 11, 25, 8, 0), utc(2026, 11, 25, 16, 0)))
        );
        // The start is in, the end is out.
        assert!(reachable_at(&a, utc(2026, 11, 25, 8, 0)));
        assert!(!reachable_at(&a, utc(2026, 11, 25, 16, 0)));
        assert_eq!(
            next_window(&a, utc(2026, 11, 25, 16, 0)),
            Some((utc(2026, 11, 26, 8, 0), utc(2026, 11, 26, 16, 0)))
        );
    }

    #[test]
    fn the_next_window_after_a_weekend_is_in_the_next_week() {
        let a = prague(&["mon-fri 09:00-17:00"]);
        let monday = Some((utc(2026, 11, 30, 8, 0), utc(2026, 11, 30, 16, 0)));
        // Friday evening, Saturday, and Sunday 23:30 UTC (Monday 00:30 local).
        for at in [
            utc(2026, 11, 27, 17, 0),
            utc(2026, 11, 28, 12, 0),
            utc(2026, 11, 29, 23, 30),
        ] {
            assert!(!reachable_at(&a, at));
            assert_eq!(next_window(&a, at), monday, "after {at}");
        }
    }

    #[test]
    fn overnight_windows_run_into_the_next_day_and_week() {
        let a = prague(&["fri 22:00-02:00"]);
        let friday_night = Some((utc(2026, 11, 27, 21, 0), utc(2026, 11, 28, 1, 0)));
        // Saturday 01:30 local is still Friday's window.
        assert!(reachable_at(&a, utc(2026, 11, 28, 0, 30)));
        assert_eq!(next_window(&a, utc(2026, 11, 28, 0, 30)), friday_night);
        assert!(!reachable_at(&a, utc(2026, 11, 28, 1, 30)));

        // Sunday night into Monday, seen from Monday 03:00 local.
        let a = prague(&["sun 22:00-06:00"]);
        let monday_early = utc(2026, 11, 30, 2, 0);
        assert!(reachable_at(&a, monday_early));
        assert_eq!(
            next_window(&a, monday_early),
            Some((utc(2026, 11, 29, 21, 0), utc(2026, 11, 30, 5, 0)))
        );

        // "24:00" is midnight.
        let a = prague(&["mon 20:00-24:00"]);
        assert_eq!(
            next_window(&a, utc(2026, 11, 30, 12, 0)),
            Some((utc(2026, 11, 30, 19, 0), utc(2026, 11, 30, 23, 0)))
        );
    }

    #[test]
    fn summer_time_starts_a_local_time_that_does_not_exist() {
        // Sunday 2026-03-29 in Prague: 02:00 winter time is 03:00 summer
        // time; 02:30 never shows on the clock.
        let a = prague(&["sun 02:30-04:00"]);
        let window = next_window(&a, utc(2026, 3, 28, 12, 0));
        // 02:30 moves forward by the hour skipped: 03:30 summer time.
        assert_eq!(
            window,
            Some((utc(2026, 3, 29, 1, 30), utc(2026, 3, 29, 2, 0)))
        );
        assert!(!reachable_at(&a, utc(2026, 3, 29, 1, 15)));
        assert!(reachable_at(&a, utc(2026, 3, 29, 1, 45)));

        // A window across the gap lasts an hour less.
        let a = prague(&["sun 01:00-03:30"]);
        assert_eq!(
            next_window(&a, utc(2026, 3, 28, 12, 0)),
            Some((utc(2026, 3, 29, 0, 0), utc(2026, 3, 29, 1, 30)))
        );

        // Office hours keep their local times on both sides.
        let a = prague(&["mon-fri 09:00-17:00"]);
        assert_eq!(
            next_window(&a, utc(2026, 3, 27, 16, 0)),
            Some((utc(2026, 3, 30, 7, 0), utc(2026, 3, 30, 15, 0)))
        );
        assert!(
            reachable_at(&a, utc(2026, 3, 27, 8, 0)),
            "09:00 winter time"
        );
        assert!(
            !reachable_at(&a, utc(2026, 3, 30, 6, 30)),
            "08:30 summer time"
        );
        assert!(
            reachable_at(&a, utc(2026, 3, 30, 7, 0)),
            "09:00 summer time"
        );
    }

    #[test]
    fn summer_time_ends_an_hour_that_happens_twice() {
        // Sunday 2026-10-25 in Prague: 03:00 summer time is 02:00 winter
        // time; 02:00-03:00 happens twice, and means its first occurrence.
        let a = prague(&["sun 02:30-05:00"]);
        let window = next_window(&a, utc(2026, 10, 24, 12, 0));
        // 02:30 summer time (00:30 UTC) to 05:00 winter time (04:00 UTC).
        assert_eq!(
            window,
            Some((utc(2026, 10, 25, 0, 30), utc(2026, 10, 25, 4, 0)))
        );
        // 02:15 the second time round is inside.
        assert!(reachable_at(&a, utc(2026, 10, 25, 1, 15)));

        // Ending at 02:30 ends the first time the clock shows it.
        let a = prague(&["sun 01:00-02:30"]);
        assert_eq!(
            next_window(&a, utc(2026, 10, 24, 12, 0)),
            Some((utc(2026, 10, 24, 23, 0), utc(2026, 10, 25, 0, 30)))
        );
        assert!(!reachable_at(&a, utc(2026, 10, 25, 1, 15)));

        let a = prague(&["mon-fri 09:00-17:00"]);
        assert_eq!(
            next_window(&a, utc(2026, 10, 23, 16, 0)),
            Some((utc(2026, 10, 26, 8, 0), utc(2026, 10, 26, 16, 0)))
        );
        assert!(
            reachable_at(&a, utc(2026, 10, 23, 7, 0)),
            "09:00 summer time"
        );
        assert!(
            !reachable_at(&a, utc(2026, 10, 26, 7, 30)),
            "08:30 winter time"
        );
    }

    #[test]
    fn overlapping_and_touching_windows_are_one() {
        let a = prague(&["mon 09:00-12:00", "mon 11:00-14:00", "mon 14:00-15:00"]);
        assert_eq!(
            next_window(&a, utc(2026, 11, 30, 0, 0)),
            Some((utc(2026, 11, 30, 8, 0), utc(2026, 11, 30, 14, 0)))
        );
        // Monday's evening runs into Tuesday's morning.
        let a = prague(&["mon 18:00-24:00", "tue 00:00-10:00"]);
        assert_eq!(
            next_window(&a, utc(2026, 11, 30, 20, 0)),
            Some((utc(2026, 11, 30, 17, 0), utc(2026, 12, 1, 9, 0)))
        );
    }

    #[test]
    fn dated_windows_count_and_merge_with_weekly_ones() {
        let mut a = prague(&["mon 09:00-12:00"]);
        a.dated = vec![
            // Already over: ignored.
            DatedWindow {
                starts_at: utc(2026, 11, 20, 8, 0),
                ends_at: utc(2026, 11, 20, 9, 0),
            },
            // Saturday afternoon.
            DatedWindow {
                starts_at: utc(2026, 11, 28, 13, 0),
                ends_at: utc(2026, 11, 28, 15, 0),
            },
            // Monday, right after the weekly window.
            DatedWindow {
                starts_at: utc(2026, 11, 30, 11, 0),
                ends_at: utc(2026, 11, 30, 13, 0),
            },
        ];
        let wednesday = utc(2026, 11, 25, 12, 0);
        assert_eq!(
            next_window(&a, wednesday),
            Some((utc(2026, 11, 28, 13, 0), utc(2026, 11, 28, 15, 0)))
        );
        assert_eq!(
            next_window(&a, utc(2026, 11, 28, 15, 0)),
            Some((utc(2026, 11, 30, 8, 0), utc(2026, 11, 30, 13, 0)))
        );

        let mut dated_only = a.clone();
        dated_only.weekly.clear();
        assert_eq!(next_window(&dated_only, utc(2026, 11, 30, 13, 0)), None);
    }

    #[test]
    fn nothing_ahead_and_never_ending_runs() {
        let mut a = prague(&[]);
        assert_eq!(next_window(&a, utc(2026, 11, 25, 12, 0)), None);
        assert_eq!(
            reachability(Some(&a), utc(2026, 11, 25, 12, 0)),
            Reachability::default()
        );
        assert_eq!(
            reachability(None, utc(2026, 11, 25, 12, 0)),
            Reachability::default()
        );

        a.weekly = vec!["mon-sun 00:00-24:00".parse().unwrap()];
        let now = utc(2026, 11, 25, 12, 0);
        let (start, end) = next_window(&a, now).unwrap();
        assert!(start <= now);
        assert!(end > now + Duration::days(365), "always reachable: {end}");

        a.time_zone = "Nowhere/Special".into();
        assert_eq!(next_window(&a, now), None);
        assert!(!reachable_at(&a, now));
    }

    #[test]
    fn reachability_says_now_or_when_next() {
        let a = prague(&["mon-fri 09:00-17:00"]);
        let noon = utc(2026, 11, 25, 12, 0);
        assert_eq!(
            reachability(Some(&a), noon),
            Reachability {
                reachable_now: true,
                next_reachable_at: Some(noon),
                reachable_until: Some(utc(2026, 11, 25, 16, 0)),
            }
        );
        assert_eq!(
            reachability(Some(&a), utc(2026, 11, 28, 12, 0)),
            Reachability {
                reachable_now: false,
                next_reachable_at: Some(utc(2026, 11, 30, 8, 0)),
                reachable_until: None,
            }
        );
    }

    #[test]
    fn other_zones_and_the_southern_summer() {
        // New York: summer time ends 2026-11-01; Sydney's starts 2026-10-04.
        let mut a = prague(&["mon-fri 09:00-17:00"]);
        a.time_zone = "America/New_York".into();
        assert_eq!(
            next_window(&a, utc(2026, 11, 2, 0, 0)),
            Some((utc(2026, 11, 2, 14, 0), utc(2026, 11, 2, 22, 0)))
        );
        a.time_zone = "Australia/Sydney".into();
        // Monday 2026-10-05 09:00 AEDT (UTC+11) is Sunday 22:00 UTC.
        assert_eq!(
            next_window(&a, utc(2026, 10, 4, 12, 0)),
            Some((utc(2026, 10, 4, 22, 0), utc(2026, 10, 5, 6, 0)))
        );
    }
}
