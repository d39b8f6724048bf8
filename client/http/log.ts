import { createHmac } from 'node:crypto';

/**
 * What the HTTP service logs: events with breach ids, sources, status codes and pseudonymous user refs.
 * Never emails, names, request bodies, URLs with tokens or error messages (they may quote input).
 */
export type LogValue = string | number | boolean;
export type LogEntry = { event: string } & Record<string, LogValue>;
export type HttpLog = (entry: LogEntry) => void;

/** One line per entry on stderr, prefixed like the rest of `npm start`'s output. */
export const stderrLog: HttpLog = (entry) => {
  const { event, ...rest } = entry;
  const fields = Object.entries(rest).map(([k, v]) => `${k}=${String(v)}`);
  process.stderr.write(`lekdicht: http ${[event, ...fields].join(' ')}\n`);
};

/** A stable pseudonym for a person in logs: a keyed hash, so the log alone cannot be matched to an address. */
export function userRef(key: string, email: string): string {
  return `u-${createHmac('sha256', key).update(email.trim().toLowerCase()).digest('hex').slice(0, 12)}`;
}
