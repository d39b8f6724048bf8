import { describe, expect, it } from 'vitest';
import { authorityDeadline, checkAwareAt, upcomingReminders } from '../../domain/deadlines';

const HOUR = 3_600_000;

describe('deadlines (GDPR art. 33(1): 72 hours after awareness)', () => {
  it('is 72 hours of elapsed time after awareness', () => {
    expect(authorityDeadline('2026-11-28T09:30:00.000Z')).toBe('2026-12-01T09:30:00.000Z');
  });

  it('stays 72 elapsed hours across the end of summer time (the wall clock shows 71)', () => {
    // 24 Oct 2026 12:00 CEST (UTC+2); the clocks go back on 25 Oct.
    const deadline = authorityDeadline('2026-10-24T10:00:00.000Z');
    expect(Date.parse(deadline) - Date.parse('2026-10-24T10:00:00.000Z')).toBe(72 * HOUR);
    expect(
      new Intl.DateTimeFormat('nl-NL', { timeZone: 'Europe/Amsterdam', timeStyle: 'short' }).format(new Date(deadline)),
    ).toBe('11:00');
  });

  it('accepts an awareness time with an offset and returns UTC', () => {
    expect(authorityDeadline('2026-11-28T10:30:00+01:00')).toBe('2026-12-01T09:30:00.000Z');
  });

  it('schedules the reminders still ahead, at 24, 48, 60 and 70 hours by default', () => {
    const awareAt = '2026-11-28T00:00:00.000Z';
    const deadline = authorityDeadline(awareAt);
    const offsets = [24, 48, 60, 70].map((h) => h * HOUR);
    const all = upcomingReminders(awareAt, deadline, offsets, Date.parse(awareAt));
    expect(all.map((r) => [r.at, r.hoursLeft])).toEqual([
      ['2026-11-29T00:00:00.000Z', 48],
      ['2026-11-30T00:00:00.000Z', 24],
      ['2026-11-30T12:00:00.000Z', 12],
      ['2026-11-30T22:00:00.000Z', 2],
    ]);
    // Started 50 hours in: only 60 h and 70 h remain.
    expect(
      upcomingReminders(awareAt, deadline, offsets, Date.parse(awareAt) + 50 * HOUR).map((r) => r.hoursLeft),
    ).toEqual([12, 2]);
    // Offsets at or past the deadline are never reminders.
    expect(upcomingReminders(awareAt, deadline, [72 * HOUR, 80 * HOUR], Date.parse(awareAt))).toEqual([]);
  });

  it('refuses an awareness time in the future, allows one in the past', () => {
    const now = Date.parse('2026-11-28T12:00:00Z');
    expect(checkAwareAt('2026-11-28T14:00:00Z', now)).toMatch(/future/);
    expect(checkAwareAt('2026-11-20T14:00:00Z', now)).toBeUndefined();
  });
});
