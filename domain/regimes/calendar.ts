import { instantAtWallClock, wallClock } from '../amsterdam-clock';
import { HOUR_MS } from '../duration';
import { InvalidInputError } from '../errors';

/** "One month": calendar time in Europe/Amsterdam, and the instants the regimes are given and give back. */

export const DAY_MS = 24 * HOUR_MS;

/** An instant as the UTC ISO string every regime gives back. */
export const iso = (ms: number) => new Date(ms).toISOString();

/** Parses an instant the caller passed in, naming the field when it is not one. */
export function instant(field: string, value: string): number {
  const ms = Date.parse(value);
  if (Number.isNaN(ms)) throw new InvalidInputError(`${field}: is not a date-time`);
  return ms;
}

/**
 * "One month" after an instant: the same day of the month, one calendar month later, at the same wall-clock
 * time in Europe/Amsterdam. A day the next month lacks becomes its last day (31 Jan → 28 or 29 Feb,
 * 31 Mar → 30 Apr). Across a change to or from summer time the wall clock stays and the elapsed time changes
 * by an hour.
 */
export function oneMonthAfter(at: string): string {
  const wall = new Date(wallClock(instant('at', at)));
  const year = wall.getUTCFullYear();
  const month = wall.getUTCMonth();
  const day = wall.getUTCDate();
  const timeOfDay = wall.getTime() - Date.UTC(year, month, day);
  const targetYear = month === 11 ? year + 1 : year;
  const targetMonth = (month + 1) % 12;
  const lastDay = new Date(Date.UTC(targetYear, targetMonth + 1, 0)).getUTCDate();
  return iso(instantAtWallClock(Date.UTC(targetYear, targetMonth, Math.min(day, lastDay)) + timeOfDay));
}

/** "2026-10-24 12:00": the Amsterdam wall clock, for text people read. */
export function amsterdamTime(at: string): string {
  return new Date(wallClock(instant('at', at))).toISOString().slice(0, 16).replace('T', ' ');
}
