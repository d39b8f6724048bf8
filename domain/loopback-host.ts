/**
 * DNS rebinding: a web page on evil.example can make its own name resolve to 127.0.0.1 and then talk to a service
 * on this machine's loopback as if it were its own origin (no CORS needed), with the Host header evil.example.
 * A service on loopback therefore answers only requests addressed to a loopback name or address with the port it
 * listens on (or to a configured public host). Used by the HTTP service, the Temporal UI gate and the mail catcher.
 */
const LOOPBACK_NAMES = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

/** Whether a service listening on `host` listens on loopback only (the default, and what `npm start` does). */
export function listensOnLoopback(host: string): boolean {
  return LOOPBACK_NAMES.has(host.toLowerCase()) || /^127(\.\d{1,3}){3}$/.test(host);
}

/**
 * Whether a request's Host header names this loopback service: a loopback name with the port it listens on
 * (`port` undefined: not listening, e.g. an injected test request, so any port), or exactly `publicHost`.
 */
export function isOwnLoopbackHost(
  hostHeader: string | undefined,
  port: number | undefined,
  publicHost?: string,
): boolean {
  const host = (hostHeader ?? '').toLowerCase();
  if (publicHost !== undefined && host === publicHost.toLowerCase()) return true;
  const match = /^(\[[0-9a-f:.]+\]|[^:]+)(?::(\d{1,5}))?$/.exec(host);
  if (!match || !LOOPBACK_NAMES.has(match[1]!)) return false;
  return port === undefined || Number(match[2] ?? '80') === port;
}

/** What a refused request gets: nothing of its Host header (the attacker's text) goes back or to a log. */
export const MISDIRECTED_MESSAGE =
  'this service answers only to its own address (127.0.0.1, localhost or http.publicUrl); the Host of this request is another';
