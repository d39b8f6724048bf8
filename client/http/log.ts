import { createHmac } from 'node:crypto';

/**
 * What the HTTP service logs: events with breach ids, sources, status codes and pseudonymous user refs.
 * Never emails, names, request bodies, URLs with tokens or error messages (they may quote input).
 */
export type LogValue = string | number | boolean;
export type LogEntry = { event: string } & Record<string, LogValue>;
export type HttpLog = (entry: LogEntry) => void;

// eslint-disable-next-line no-control-regex -- matching control characters is the point
const LINE_BREAKING = /[\u0000-\u001F\u007F-\u009F\u2028\u2029]/g;
/** A value that would split into two fields, or be read as one, goes in quotes. */
const NEEDS_QUOTES = /[\s"=\\]|^$/;

/**
 * One log value as text that can neither end the line nor fake a field: every control character (C0, DEL, C1)
 * and the Unicode line and paragraph separators become `\uXXXX` escapes, and a value with spaces, quotes, `=`
 * or backslashes is quoted. Whatever a caller passes, one entry is one line.
 */
export function logValue(value: LogValue): string {
  const text = String(value);
  const escaped = text
    .replace(/\\/g, '\\\\')
    .replace(/"/g, '\\"')
    .replace(LINE_BREAKING, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
  return NEEDS_QUOTES.test(text) || escaped !== text ? `"${escaped}"` : text;
}

/** One line per entry, `lekdicht: http <event> key=value …`, handed to `write`. */
export function lineLog(write: (line: string) => void): HttpLog {
  return (entry) => {
    const { event, ...rest } = entry;
    const fields = Object.entries(rest).map(([k, v]) => `${logKey(k)}=${logValue(v)}`);
    write(`lekdicht: http ${[logValue(event), ...fields].join(' ')}\n`);
  };
}

/** Keys are the code's own words; still, one that is not a plain word is escaped like a value. */
function logKey(key: string): string {
  return /^[A-Za-z0-9_.-]+$/.test(key) ? key : logValue(key);
}

/** One line per entry on stderr, prefixed like the rest of `npm start`'s output. */
export const stderrLog: HttpLog = lineLog((line) => process.stderr.write(line));

/** A stable pseudonym for a person in logs: a keyed hash, so the log alone cannot be matched to an address. */
export function userRef(key: string, email: string): string {
  return `u-${createHmac('sha256', key).update(email.trim().toLowerCase()).digest('hex').slice(0, 12)}`;
}

/**
 * The production format (operations.logFormat: json): one JSON object per line, `{"time", "service":"http", "level",
 * "event", …}`, the same entries as the text lines. JSON.stringify escapes every control character, so one entry
 * stays one line.
 */
export function jsonLog(write: (line: string) => void): HttpLog {
  return (entry) => {
    const level = entry.event === 'error' ? 'ERROR' : 'INFO';
    write(`${JSON.stringify({ time: new Date().toISOString(), service: 'http', level, ...entry })}\n`);
  };
}

/** The log of the configured format: text lines on stderr (`npm start`), or JSON lines on stdout. */
export function logFor(format: 'text' | 'json'): HttpLog {
  return format === 'json' ? jsonLog((line) => process.stdout.write(line)) : stderrLog;
}
