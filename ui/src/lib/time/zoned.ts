// Wall-clock times in a named (IANA) time zone, independent of the browser's own zone.

const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const TIME = /^(\d{2}):(\d{2})(?::(\d{2}))?$/;
const DAY_MS = 86_400_000;

const partsFormats = new Map<string, Intl.DateTimeFormat>();

/** A formatter giving the numeric wall-clock fields in `zone` (throws RangeError for an unknown zone). */
function partsFormat(zone: string): Intl.DateTimeFormat {
  let format = partsFormats.get(zone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
      era: 'short',
    });
    partsFormats.set(zone, format);
  }
  return format;
}

/** Milliseconds since the epoch of a wall-clock reading taken as if it were UTC. */
function utcMs(year: number, month: number, day: number, hour = 0, minute = 0, second = 0): number {
  const date = new Date(Date.UTC(2000, month - 1, day, hour, minute, second));
  date.setUTCFullYear(year); // Date.UTC maps years 0–99 to 1900–1999
  return date.getTime();
}

/** The wall clock in `zone` at `instant`, as milliseconds read as if UTC. */
function wallClockMs(instant: number, zone: string): number {
  const fields: Record<string, string> = {};
  for (const part of partsFormat(zone).formatToParts(new Date(instant))) {
    fields[part.type] = part.value;
  }
  let year = Number(fields.year);
  if (fields.era === 'BC' || fields.era === 'B') {
    year = 1 - year;
  }
  return utcMs(
    year,
    Number(fields.month),
    Number(fields.day),
    Number(fields.hour) % 24,
    Number(fields.minute),
    Number(fields.second),
  );
}

/** The offset of `zone` from UTC at `instant`, in milliseconds (east positive). */
export function zoneOffsetMs(instant: number, zone: string): number {
  const whole = Math.floor(instant / 1000) * 1000;
  return wallClockMs(whole, zone) - whole;
}

/** Whether `zone` is a time zone name this computer knows. */
export function isKnownTimeZone(zone: string): boolean {
  try {
    partsFormat(zone);
    return true;
  } catch {
    return false;
  }
}

/**
 * The UTC instant (RFC 3339, e.g. "2026-01-14T01:10:00Z") of the wall-clock
 * `date` ("YYYY-MM-DD") and `time` ("HH:MM" or "HH:MM:SS") in the IANA `zone`.
 *
 * Around daylight-saving changes it resolves like Temporal's "compatible":
 * a time that occurs twice (clocks going back) is the earlier one; a time
 * that does not exist (clocks going forward) moves forward by the gap.
 * Null when the date, time or zone is not valid.
 */
export function zonedTimeToUtc(date: string, time: string, zone: string): string | null {
  const d = DATE.exec(date);
  const t = TIME.exec(time);
  if (!d || !t || !isKnownTimeZone(zone)) {
    return null;
  }
  const [year, month, day] = [Number(d[1]), Number(d[2]), Number(d[3])];
  const [hour, minute, second] = [Number(t[1]), Number(t[2]), Number(t[3] ?? 0)];
  if (month < 1 || month > 12 || hour > 23 || minute > 59 || second > 59) {
    return null;
  }
  const wall = utcMs(year, month, day, hour, minute, second);
  if (new Date(wall).getUTCDate() !== day) {
    return null; // e.g. 31 April
  }
  // No zone moves its clocks by more than a day: the offsets a day before and
  // after bracket every transition near this wall-clock time.
  const before = zoneOffsetMs(wall - DAY_MS, zone);
  const after = zoneOffsetMs(wall + DAY_MS, zone);
  const candidates = [...new Set([before, after])]
    .map((offset) => wall - offset)
    .filter((instant) => wallClockMs(instant, zone) === wall)
    .sort((a, b) => a - b);
  const instant = candidates[0] ?? wall - before;
  return new Date(instant).toISOString().replace(/\.000Z$/, 'Z');
}

/** Today's date ("YYYY-MM-DD") on the wall calendar of `zone` (UTC for an unknown zone). */
export function todayIn(zone: string, now: Date = new Date()): string {
  const known = isKnownTimeZone(zone) ? zone : 'UTC';
  return new Date(wallClockMs(now.getTime(), known)).toISOString().slice(0, 10);
}

/** The time zone of this computer (IANA name), else "UTC". */
export function localTimeZone(): string {
  try {
    return Intl.DateTimeFormat().resolvedOptions().timeZone || 'UTC';
  } catch {
    return 'UTC';
  }
}

/**
 * The IANA zones to choose from, sorted, always including `mine` (some
 * engines leave out "UTC" or list a zone under a newer name).
 */
export function timeZoneChoices(mine: string = localTimeZone()): string[] {
  let zones: string[] = [];
  try {
    zones = typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
  } catch {
    zones = [];
  }
  const all = new Set([...zones, 'UTC', mine]);
  return [...all].sort((a, b) => a.localeCompare(b, 'en'));
}

/**
 * An instant formatted in `locale` as seen on the wall clock of `zone`, e.g.
 * "14 Jan 2026, 02:10 (Europe/Rome)". Without a (known) zone, in this
 * computer's zone and without the suffix. The input as given if it is no date.
 */
export function formatInZone(iso: string, zone: string | null, locale: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) {
    return iso;
  }
  const style = { dateStyle: 'medium', timeStyle: 'short' } as const;
  if (zone && isKnownTimeZone(zone)) {
    const text = new Intl.DateTimeFormat(locale, { ...style, timeZone: zone }).format(date);
    return `${text} (${zone})`;
  }
  return new Intl.DateTimeFormat(locale, style).format(date);
}

/**
 * The wall-clock date ("YYYY-MM-DD") and time ("HH:MM") of the instant `iso`
 * in `zone`: the inverse of `zonedTimeToUtc`. Null for an unreadable instant.
 */
export function utcToZonedTime(iso: string, zone: string): { date: string; time: string } | null {
  const instant = Date.parse(iso);
  if (Number.isNaN(instant)) {
    return null;
  }
  const known = isKnownTimeZone(zone) ? zone : 'UTC';
  const wall = new Date(wallClockMs(instant, known)).toISOString();
  return { date: wall.slice(0, 10), time: wall.slice(11, 16) };
}
