import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { isOwnLoopbackHost, MISDIRECTED_MESSAGE } from '../domain/loopback-host';

/**
 * Puts the loopback Host check (domain/loopback-host.ts, DNS rebinding) in front of an HTTP server that some other
 * code built (the Temporal UI gate's, the mail catcher's): every request and websocket upgrade whose Host is not
 * this server's own loopback address gets 421 before the server's own handlers see it. And one that a page of
 * another origin sends (its `Origin` is not this server) gets 403: the mail catcher answers every origin with CORS
 * headers, so any web page the developer opens could otherwise read the caught login links. Call it after the
 * server has all its handlers (also a websocket library's); it reads the port it listens on at each request.
 */
export function guardLoopbackHost(server: Server): void {
  const port = () => {
    const address = server.address();
    return address !== null && typeof address === 'object' ? address.port : undefined;
  };
  const foreignOrigin = (req: IncomingMessage) => {
    const origin = req.headers.origin;
    if (origin === undefined) return false;
    try {
      return !isOwnLoopbackHost(new URL(origin).host, port());
    } catch {
      return true;
    }
  };
  const onRequest = server.listeners('request') as ((req: IncomingMessage, res: ServerResponse) => void)[];
  server.removeAllListeners('request');
  server.on('request', (req: IncomingMessage, res: ServerResponse) => {
    if (!isOwnLoopbackHost(req.headers.host, port())) {
      res.writeHead(421, { 'content-type': 'application/json; charset=utf-8' });
      res.end(JSON.stringify({ error: 'misdirected', message: MISDIRECTED_MESSAGE }));
      return;
    }
    if (foreignOrigin(req)) {
      res.writeHead(403, { 'content-type': 'application/json; charset=utf-8' });
      res.end(JSON.stringify({ error: 'cross-origin', message: 'requests from pages of another origin are refused' }));
      return;
    }
    for (const listener of onRequest) listener.call(server, req, res);
  });
  const onUpgrade = server.listeners('upgrade') as ((req: IncomingMessage, socket: Duplex, head: Buffer) => void)[];
  server.removeAllListeners('upgrade');
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    if (!isOwnLoopbackHost(req.headers.host, port()) || foreignOrigin(req)) {
      socket.end('HTTP/1.1 421 Misdirected Request\r\nconnection: close\r\ncontent-length: 0\r\n\r\n');
      return;
    }
    for (const listener of onUpgrade) listener.call(server, req, socket, head);
  });
}
