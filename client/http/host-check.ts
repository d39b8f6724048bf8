import type { AddressInfo } from 'node:net';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { HttpConfig } from '../../domain/service-config';

const LOOPBACK_NAMES = new Set(['localhost', '127.0.0.1', '[::1]', '::1']);

/** Whether the service listens on loopback only (the default, and what `npm start` does). */
export function listensOnLoopback(host: string): boolean {
  return LOOPBACK_NAMES.has(host.toLowerCase()) || /^127(\.\d{1,3}){3}$/.test(host);
}

/**
 * DNS rebinding: a web page on evil.example can make its own name resolve to 127.0.0.1 and then talk to a service
 * on this machine's loopback as if it were its own origin (no CORS needed), with the Host header evil.example.
 * A service on loopback therefore answers only requests addressed to a loopback name or address (with the port it
 * listens on) or to its configured public URL's host; anything else gets 421 before a session or route is touched.
 * A service on another address sits behind a proxy that picks the host; there the proxy's configuration decides.
 */
export function hostCheck(http: Pick<HttpConfig, 'host' | 'publicUrl'>, bound: () => AddressInfo | string | null) {
  const publicHost = http.publicUrl ? new URL(http.publicUrl).host.toLowerCase() : undefined;
  const onLoopback = listensOnLoopback(http.host);
  return async (request: FastifyRequest, reply: FastifyReply): Promise<FastifyReply | undefined> => {
    if (!onLoopback) return undefined;
    const host = (request.headers.host ?? '').toLowerCase();
    if (publicHost !== undefined && host === publicHost) return undefined;
    const match = /^(\[[0-9a-f:.]+\]|[^:]+)(?::(\d{1,5}))?$/.exec(host);
    if (match && LOOPBACK_NAMES.has(match[1]!)) {
      const address = bound();
      // Not listening (app.inject in tests): no port to compare with.
      const port = address !== null && typeof address === 'object' ? address.port : undefined;
      if (port === undefined || Number(match[2] ?? '80') === port) return undefined;
    }
    // Nothing of the Host header goes back or to the log: it is the attacker's text.
    return reply
      .status(421)
      .type('application/json; charset=utf-8')
      .send({ error: 'misdirected', message: 'this service answers only to its own address (127.0.0.1, localhost or http.publicUrl); the Host of this request is another' });
  };
}
