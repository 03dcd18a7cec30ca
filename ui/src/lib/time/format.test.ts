import { describe, expect, it } from 'vitest';
import { formatDateTime, formatDay, formatRelative } from './format';

const NOW = Date.parse('2026-03-10T12:00:00Z');

describe('formatRelative', () => {
  it('picks minutes, hours or days as a person would', () => {
    expect(formatRelative('2026-03-10T15:00:00Z', 'en', NOW)).toBe('in 3 hours');
    expect(formatRelative('2026-03-10T12:20:00Z', 'en', NOW)).toBe('in 20 minutes');
    expect(formatRelative('2026-03-10T11:55:00Z', 'en', NOW)).toBe('5 minutes ago');
    expect(formatRelative('2026-03-11T12:00:00Z', 'en', NOW)).toBe('in 24 hours');
    expect(formatRelative('2026-03-13T12:00:00Z', 'en', NOW)).toBe('in 3 days');
    expect(formatRelative('2026-03-10T12:00:10Z', 'en', NOW)).toBe('this minute');
  });

  it('speaks the chosen language', () => {
    expect(formatRelative('2026-03-10T15:00:00Z', 'it', NOW)).toBe('tra 3 ore');
    expect(formatRelative('2026-03-10T15:00:00Z', 'cs', NOW)).toBe('za 3 hodiny');
  });

  it('gives back what is no date', () => {
    expect(formatRelative('soon', 'en', NOW)).toBe('soon');
    expect(formatDateTime('soon', 'en')).toBe('soon');
  });
});

describe('formatDateTime', () => {
  it('writes the date in the chosen locale', () => {
    const iso = '2026-03-10T12:00:00Z';
    expect(formatDateTime(iso, 'en')).toBe(
      new Intl.DateTimeFormat('en', { dateStyle: 'medium', timeStyle: 'short' }).format(new Date(iso)),
    );
    expect(formatDateTime(iso, 'it')).not.toBe(formatDateTime(iso, 'en'));
  });
});

describe('formatDateTime in a named zone', () => {
  it("reads the instant on that zone's clock", () => {
    const iso = '2026-03-10T12:00:00Z';
    expect(formatDateTime(iso, 'en', 'Asia/Tokyo')).toContain('9:00');
    expect(formatDateTime(iso, 'en', 'Europe/Rome')).toContain('1:00');
    expect(formatDateTime(iso, 'en', 'Not/AZone')).toBe(formatDateTime(iso, 'en'));
  });
});

describe('formatDay', () => {
  it('writes a calendar day in the chosen locale, whatever the clock', () => {
    expect(formatDay('2026-12-05', 'en')).toBe('Dec 5, 2026');
    expect(formatDay('2026-12-05', 'it')).toContain('2026');
    expect(formatDay('next week', 'en')).toBe('next week');
  });
});
