import { HOUR_MS } from './duration';
import type { DomainErrorCode } from './errors';

/** GDPR art. 33(1): notify the supervisory authority not later than 72 hours after becoming aware. */
export const GDPR_AUTHORITY_HOURS = 72;

/**
 * The authority deadline as an exact instant: 72 hours of elapsed time after awareness, so a DST change
 * in between neither adds nor removes an hour.
 */
export function authorityDeadline(awareAt: string): string {
  return new Date(Date.parse(awareAt) + GDPR_AUTHORITY_HOURS * HOUR_MS).toISOString();
}

export interface Reminder {
  /** The offset after awareness, as configured, e.g. 24 h. */
  afterMs: number;
  at: string;
  /** Whole hours left until the deadline at the moment of the reminder. */
  hoursLeft: number;
}

/**
 * Reminders still ahead of `now`: configured offsets after awareness that fall before the deadline.
 * Offsets already passed when the clock is (re)started are dropped instead of all firing at once.
 */
export function upcomingReminders(
  awareAt: string,
  deadline: string,
  offsetsMs: readonly number[],
  now: number,
): Reminder[] {
  const start = Date.parse(awareAt);
  const end = Date.parse(deadline);
  return [...offsetsMs]
    .sort((a, b) => a - b)
    .map((afterMs) => ({ afterMs, atMs: start + afterMs }))
    .filter(({ atMs }) => atMs > now && atMs < end)
    .map(({ afterMs, atMs }) => ({
      afterMs,
      at: new Date(atMs).toISOString(),
      hoursLeft: Math.round((end - atMs) / HOUR_MS),
    }));
}

/** Awareness can lie before the report, but not in the future, and not before anything could have leaked. */
export function checkAwareAt(awareAt: string, now: number): string | undefined {
  return awareAtProblem(awareAt, now)?.message;
}

/** checkAwareAt's problem with its code, for a refusal a page translates. */
export function awareAtProblem(awareAt: string, now: number): { code: DomainErrorCode; message: string } | undefined {
  const at = Date.parse(awareAt);
  if (Number.isNaN(at)) return { code: 'not-a-date-time', message: 'is not a date-time' };
  if (at > now + 60_000)
    return {
      code: 'awareness-in-future',
      message: 'lies in the future; enter the moment the organisation became aware',
    };
  return undefined;
}
