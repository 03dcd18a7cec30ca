// The days of the week as availability windows name them, Monday first, and
// their short names in the chosen language.
import type { Weekday } from '../../lib/platform';

export const WEEKDAYS: readonly Weekday[] = ['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'];

/** 2024-01-01 was a Monday: day `i` of the week is 2024-01-0(1+i). */
const MONDAY_MS = Date.UTC(2024, 0, 1, 12);
const DAY_MS = 86_400_000;
const names = new Map<string, Intl.DateTimeFormat>();

/** "Mon", "lun", "pon" ... in `locale`. */
export function weekdayName(day: Weekday, locale: string): string {
  let format = names.get(locale);
  if (!format) {
    format = new Intl.DateTimeFormat(locale, { weekday: 'short', timeZone: 'UTC' });
    names.set(locale, format);
  }
  return format.format(new Date(MONDAY_MS + WEEKDAYS.indexOf(day) * DAY_MS));
}
