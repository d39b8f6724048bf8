import type { AddressInfo } from 'node:net';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { isOwnLoopbackHost, listensOnLoopback, MISDIRECTED_MESSAGE } from '../../domain/loopback-host';
import type { HttpConfig } from '../../domain/service-config';

export { listensOnLoopback };

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
    const address = bound();
    // Not listening (app.inject in tests): no port to compare with.
    const port = address !== null && typeof address === 'object' ? address.port : undefined;
    if (isOwnLoopbackHost(request.headers.host, port, publicHost)) return undefined;
    // Nothing of the Host header goes back or to the log: it is the attacker's text.
    return reply
      .status(421)
      .type('application/json; charset=utf-8')
      .send({ error: 'misdirected', message: MISDIRECTED_MESSAGE });
  };
}
