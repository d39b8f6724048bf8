/**
 * The Amsterdam wall clock, for the rules that count in calendar terms (a month ends at the same time of day)
 * and for pages that show and read local times. Pure: Intl only, no clock.
 */
export const LEGAL_TIME_ZONE = 'Europe/Amsterdam';

const DAY_MS = 86_400_000;
const AMSTERDAM = new Intl.DateTimeFormat('en-GB', {
  timeZone: LEGAL_TIME_ZONE,
  hourCycle: 'h23',
  year: 'numeric',
  month: '2-digit',
  day: '2-digit',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
});

/** Amsterdam's offset from UTC at an instant, in ms: +1 h in winter (CET), +2 h in summer (CEST). */
function offsetAt(ms: number): number {
  const whole = Math.floor(ms / 1000) * 1000;
  const field: Partial<Record<Intl.DateTimeFormatPartTypes, number>> = {};
  for (const part of AMSTERDAM.formatToParts(whole)) field[part.type] = Number(part.value);
  const asUtc = Date.UTC(
    field.year ?? 0,
    (field.month ?? 1) - 1,
    field.day ?? 1,
    field.hour ?? 0,
    field.minute ?? 0,
    field.second ?? 0,
  );
  return asUtc - whole;
}

/** The Amsterdam wall clock at an instant, as if it were UTC (so the getUTC* methods read local fields). */
export function wallClock(ms: number): number {
  return ms + offsetAt(ms);
}

/**
 * The instant at which the Amsterdam wall clock first shows `wall` (or later). An ambiguous time (the hour
 * that repeats when summer time ends) gives its first occurrence; a time that does not exist (the hour skipped
 * when summer time starts) gives the moment the clock jumps past it. Both are the earlier reading.
 */
export function instantAtWallClock(wall: number): number {
  const offsets = [...new Set([offsetAt(wall - DAY_MS), offsetAt(wall), offsetAt(wall + DAY_MS)])];
  const matches = offsets.map((offset) => wall - offset).filter((at) => wallClock(at) === wall);
  if (matches.length > 0) return Math.min(...matches);
  let lo = wall - Math.max(...offsets); // the clock still shows earlier than `wall`
  let hi = wall - Math.min(...offsets); // the clock already shows `wall` or later
  while (hi - lo > 1) {
    const mid = Math.floor((lo + hi) / 2);
    if (wallClock(mid) >= wall) hi = mid;
    else lo = mid;
  }
  return hi;
}
