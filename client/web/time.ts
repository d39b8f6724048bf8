import { instantAtWallClock, LEGAL_TIME_ZONE, wallClock } from '../../domain/amsterdam-clock';
import type { Language } from '../../domain/language';

/** Pages show Europe/Amsterdam; payloads and storage stay UTC instants. */
export const PAGE_TIME_ZONE = LEGAL_TIME_ZONE;

/** Weekday, date, time and zone name, the same fields in both languages. */
const PAGE_TIME_FORMAT: Intl.DateTimeFormatOptions = {
  timeZone: PAGE_TIME_ZONE,
  weekday: 'short',
  day: 'numeric',
  month: 'short',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  timeZoneName: 'short',
};

const formatters = {
  nl: new Intl.DateTimeFormat('nl-NL', PAGE_TIME_FORMAT),
  en: new Intl.DateTimeFormat('en-GB', PAGE_TIME_FORMAT),
};

/** "za 28 nov 2026, 09:30 CET"; the zone name makes the summer/winter time explicit. */
export function formatDateTime(iso: string, lang: Language): string {
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? iso : formatters[lang].format(ms);
}

/** An instant as the value of `<input type="datetime-local">`, in Amsterdam time; seconds only when set. */
export function toLocalInput(iso: string): string | undefined {
  const ms = Date.parse(iso);
  if (Number.isNaN(ms)) return undefined;
  const wall = new Date(wallClock(ms)).toISOString();
  return wall.slice(17, 19) === '00' ? wall.slice(0, 16) : wall.slice(0, 19);
}

/** An instant as the date-time field shows it: Amsterdam wall clock, "28-11-2026 09:30" (seconds only when set). */
export function toDutchInput(iso: string): string | undefined {
  const local = toLocalInput(iso);
  if (!local) return undefined;
  return `${local.slice(8, 10)}-${local.slice(5, 7)}-${local.slice(0, 4)} ${local.slice(11)}`;
}

/**
 * A date-time field's value ("28-11-2026 09:30", or a `datetime-local` value) (Amsterdam wall clock) as a UTC instant, "2026-11-28T08:30:00Z"; undefined when it
 * is not a wall-clock time, so the caller can hand the raw text to the schema and let it say what is wrong.
 */
export function fromLocalInput(value: string): string | undefined {
  const iso = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2}))?$/.exec(value.trim());
  // The way the form asks for it: "28-11-2026 09:30" (day first, as written in the Netherlands).
  const dutch = /^(\d{1,2})-(\d{1,2})-(\d{4}),?\s+(\d{1,2})[:.](\d{2})(?::(\d{2}))?$/.exec(value.trim());
  const m = iso ?? (dutch ? [dutch[0], dutch[3], dutch[2], dutch[1], dutch[4], dutch[5], dutch[6]] : undefined);
  if (!m) return undefined;
  const [y, mo, d, h, mi, s] = m.slice(1).map((part) => Number(part ?? 0)) as [
    number,
    number,
    number,
    number,
    number,
    number,
  ];
  const wall = Date.UTC(y, mo - 1, d, h, mi, s);
  const check = new Date(wall);
  if (check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d || h > 23 || mi > 59 || s > 59) return undefined;
  return new Date(instantAtWallClock(wall)).toISOString().replace('.000Z', 'Z');
}

/** A calendar date in Amsterdam, "2026-11-28", for the register's period filter. */
export function localDate(iso: string): string | undefined {
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? undefined : new Date(wallClock(ms)).toISOString().slice(0, 10);
}

/**
 * "2 d 03 u 04 m 05 s": the time left, also what the countdown script writes (client/web/assets.ts keeps the
 * same arithmetic). Negative spans are shown as their size; the caller says "late".
 */
export function formatSpan(ms: number, units: { d: string; h: string; m: string; s: string }): string {
  const total = Math.floor(Math.abs(ms) / 1000);
  const d = Math.floor(total / 86_400);
  const h = Math.floor((total % 86_400) / 3_600);
  const m = Math.floor((total % 3_600) / 60);
  const s = total % 60;
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d > 0 ? `${d} ${units.d} ` : ''}${pad(h)} ${units.h} ${pad(m)} ${units.m} ${pad(s)} ${units.s}`;
}

/** An HTML duration string for `<time datetime>`: "P2DT3H4M5S". */
export function isoDuration(ms: number): string {
  const total = Math.floor(Math.abs(ms) / 1000);
  return `P${Math.floor(total / 86_400)}DT${Math.floor((total % 86_400) / 3_600)}H${Math.floor((total % 3_600) / 60)}M${total % 60}S`;
}
