import { describe, expect, it } from 'vitest';
import { formatInZone, timeZoneChoices, todayIn, zonedTimeToUtc, zoneOffsetMs } from './zoned';

describe('zonedTimeToUtc', () => {
  it('reads the time on the wall clock of the given zone, not of this computer', () => {
    expect(zonedTimeToUtc('2026-01-14', '02:10', 'Europe/Rome')).toBe('2026-01-14T01:10:00Z');
    expect(zonedTimeToUtc('2026-01-14', '02:10', 'America/New_York')).toBe('2026-01-14T07:10:00Z');
    expect(zonedTimeToUtc('2026-01-14', '02:10', 'Asia/Kolkata')).toBe('2026-01-13T20:40:00Z');
    expect(zonedTimeToUtc('2026-01-14', '02:10', 'UTC')).toBe('2026-01-14T02:10:00Z');
  });

  it('uses summer time on a summer date', () => {
    expect(zonedTimeToUtc('2026-07-14', '02:10', 'Europe/Rome')).toBe('2026-07-14T00:10:00Z');
    expect(zonedTimeToUtc('2026-07-14', '14:30:15', 'Europe/Ljubljana')).toBe(
      '2026-07-14T12:30:15Z',
    );
  });

  it('switches offset exactly on the day clocks go forward', () => {
    // Europe/Rome, 29 March 2026: 02:00 CET becomes 03:00 CEST (01:00 UTC).
    expect(zonedTimeToUtc('2026-03-29', '01:59', 'Europe/Rome')).toBe('2026-03-29T00:59:00Z');
    expect(zonedTimeToUtc('2026-03-29', '03:00', 'Europe/Rome')).toBe('2026-03-29T01:00:00Z');
    // 02:30 never happens that night: it moves forward by the hour skipped.
    expect(zonedTimeToUtc('2026-03-29', '02:30', 'Europe/Rome')).toBe('2026-03-29T01:30:00Z');
  });

  it('takes the earlier of a time that happens twice when clocks go back', () => {
    // Europe/Rome, 25 October 2026: 03:00 CEST becomes 02:00 CET (01:00 UTC).
    expect(zonedTimeToUtc('2026-10-25', '02:30', 'Europe/Rome')).toBe('2026-10-25T00:30:00Z');
    expect(zonedTimeToUtc('2026-10-25', '03:30', 'Europe/Rome')).toBe('2026-10-25T02:30:00Z');
  });

  it('handles the southern hemisphere and the date line', () => {
    expect(zonedTimeToUtc('2026-01-14', '12:00', 'Australia/Sydney')).toBe('2026-01-14T01:00:00Z');
    expect(zonedTimeToUtc('2026-01-01', '00:30', 'Pacific/Kiritimati')).toBe(
      '2025-12-31T10:30:00Z',
    );
  });

  it('refuses what is not a date, a time or a zone', () => {
    expect(zonedTimeToUtc('2026-04-31', '10:00', 'Europe/Rome')).toBeNull();
    expect(zonedTimeToUtc('2026-13-01', '10:00', 'Europe/Rome')).toBeNull();
    expect(zonedTimeToUtc('2026-01-14', '24:00', 'Europe/Rome')).toBeNull();
    expect(zonedTimeToUtc('14/01/2026', '10:00', 'Europe/Rome')).toBeNull();
    expect(zonedTimeToUtc('2026-01-14', '', 'Europe/Rome')).toBeNull();
    expect(zonedTimeToUtc('2026-01-14', '10:00', 'Mars/Olympus_Mons')).toBeNull();
  });
});

describe('time zone helpers', () => {
  it('gives the offset of a zone at an instant', () => {
    expect(zoneOffsetMs(Date.parse('2026-01-14T00:00:00Z'), 'Europe/Rome')).toBe(3_600_000);
    expect(zoneOffsetMs(Date.parse('2026-07-14T00:00:00Z'), 'Europe/Rome')).toBe(7_200_000);
  });

  it("gives today's date in a zone", () => {
    const now = new Date('2026-01-13T23:30:00Z');
    expect(todayIn('Europe/Rome', now)).toBe('2026-01-14');
    expect(todayIn('America/New_York', now)).toBe('2026-01-13');
  });

  it('offers the zones sorted, with the own zone and UTC', () => {
    const zones = timeZoneChoices('Europe/Rome');
    expect(zones).toContain('Europe/Rome');
    expect(zones).toContain('UTC');
    expect([...zones].sort((a, b) => a.localeCompare(b, 'en'))).toEqual(zones);
    expect(new Set(zones).size).toBe(zones.length);
  });

  it('formats an instant on the wall clock of the reported zone', () => {
    expect(formatInZone('2026-01-14T01:10:00Z', 'Europe/Rome', 'en-GB')).toBe(
      '14 Jan 2026, 02:10 (Europe/Rome)',
    );
    expect(formatInZone('2026-01-14T01:10:00Z', 'America/New_York', 'en-GB')).toBe(
      '13 Jan 2026, 20:10 (America/New_York)',
    );
    expect(formatInZone('not a date', 'Europe/Rome', 'en')).toBe('not a date');
  });
});
