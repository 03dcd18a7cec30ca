// Instants as the user reads them: in the chosen locale and this computer's
// time zone, absolute ("14 Jan 2026, 02:10") or relative ("in 3 hours").

const MINUTE_MS = 60_000;
const HOUR_MS = 60 * MINUTE_MS;
const DAY_MS = 24 * HOUR_MS;

const absolute = new Map<string, Intl.DateTimeFormat>();
const relative = new Map<string, Intl.RelativeTimeFormat>();

/**
 * An instant (RFC 3339) as date and time, on this computer's clock or, given
 * `timeZone` (IANA), on that zone's; the input as given if it is no date.
 */
export function formatDateTime(iso: string, locale: string, timeZone?: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) {
    return iso;
  }
  const key = `${locale}|${timeZone ?? ''}`;
  let format = absolute.get(key);
  if (!format) {
    try {
      format = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short', timeZone });
    } catch {
      // A zone this computer does not know: its own clock.
      format = new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeStyle: 'short' });
    }
    absolute.set(key, format);
  }
  return format.format(date);
}

/** A calendar day (YYYY-MM-DD) in the chosen locale ("14 Jan 2026"); the input as given if it is no day. */
export function formatDay(day: string, locale: string): string {
  const date = new Date(`${day}T00:00:00Z`);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(day) || Number.isNaN(date.getTime())) {
    return day;
  }
  return new Intl.DateTimeFormat(locale, { dateStyle: 'medium', timeZone: 'UTC' }).format(date);
}

/**
 * How far an instant is from `now`, in the unit a person would use: "in 3
 * hours", "in 2 days", "5 minutes ago", "now". The input as given if it is no date.
 */
export function formatRelative(iso: string, locale: string, now: number = Date.now()): string {
  const at = Date.parse(iso);
  if (Number.isNaN(at)) {
    return iso;
  }
  let format = relative.get(locale);
  if (!format) {
    format = new Intl.RelativeTimeFormat(locale, { numeric: 'auto' });
    relative.set(locale, format);
  }
  const diff = at - now;
  const size = Math.abs(diff);
  if (size < HOUR_MS) {
    return format.format(Math.round(diff / MINUTE_MS), 'minute');
  }
  if (size < 2 * DAY_MS) {
    return format.format(Math.round(diff / HOUR_MS), 'hour');
  }
  return format.format(Math.round(diff / DAY_MS), 'day');
}
