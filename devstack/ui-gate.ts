/**
 * The embedded dev server's Temporal UI, read-only. Temporal CLI v1.5.1 builds its UI server's configuration in
 * code (temporalcli/devserver/server.go, buildUIServer) and offers no flag, environment variable or config file
 * for the UI server's DisableWriteActions; with writes enabled and no login, anyone who reaches the UI can
 * terminate, signal, update or reset a breach from a browser or with curl. So the dev server's UI listens on a
 * loopback port of its own that is not advertised, and this gate listens where people open the UI: it passes
 * reads through, refuses every write route of the UI's HTTP API, and tells the UI that write actions are off
 * (its /api/v1/settings), so the buttons are not offered either; the same settings have the UI send the
 * session cookie to the codec endpoint (withGateSettings).
 */
import { createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { guardLoopbackHost } from './host-guard';

/** The UI's reads that use POST: queries (the stack trace, the current details); nothing else may be written. */
const READ_POSTS = [/^\/api\/v1\/namespaces\/[^/]+\/workflows\/[^/]+\/query\/[^/]+$/];
const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const SETTINGS = '/api/v1/settings';

/** Whether the gate lets this request through to the UI server. */
export function isReadOnlyRequest(method: string | undefined, url: string | undefined): boolean {
  const m = (method ?? 'GET').toUpperCase();
  if (READ_METHODS.has(m)) return true;
  const path = new URL(url ?? '/', 'http://ui.invalid').pathname;
  return m === 'POST' && READ_POSTS.some((re) => re.test(path));
}

export interface UiGate {
  url: string;
  close(): Promise<void>;
}

/** Starts the gate on host:port in front of the UI server at innerHost:innerPort. */
export async function startUiGate(host: string, port: number, innerHost: string, innerPort: number): Promise<UiGate> {
  const server: Server = createServer((req, res) => {
    if (!isReadOnlyRequest(req.method, req.url)) {
      res.writeHead(403, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          code: 7,
          message:
            'lekdicht: write actions are disabled in the Temporal UI of the embedded dev server (see docs/security.md, "Who may act")',
        }),
      );
      return;
    }
    forward(req, res, innerHost, innerPort);
  });
  // On loopback, and no login: a page elsewhere must not read breaches through it by DNS rebinding.
  guardLoopbackHost(server);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const bound = server.address();
  const actual = typeof bound === 'object' && bound ? bound.port : port;
  return {
    url: `http://${host}:${actual}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/**
 * The settings the UI starts from, as the gate serves them: write actions off, and the codec endpoint (from
 * `--ui-codec-endpoint`) called with the browser's credentials. The CLI has no flag for the UI's
 * codec.includeCredentials, and without it the UI calls lekdicht's /codec without the session cookie, gets 401
 * and shows "Codec Server could not connect" until each operator ticks "Include cross-origin credentials" by
 * hand. What a full UI deployment sets with TEMPORAL_CODEC_INCLUDE_CREDENTIALS=true; the endpoint still decodes
 * only for a logged-in person named in http.codecOperators.
 */
export function withGateSettings(settings: Record<string, unknown>): Record<string, unknown> {
  const codec = settings.Codec as Record<string, unknown> | undefined;
  const withCodec =
    codec && typeof codec.Endpoint === 'string' && codec.Endpoint !== ''
      ? { Codec: { ...codec, IncludeCredentials: true } }
      : {};
  return { ...settings, ...withCodec, DisableWriteActions: true };
}

function forward(req: IncomingMessage, res: ServerResponse, host: string, port: number): void {
  const isSettings = req.method === 'GET' && new URL(req.url ?? '/', 'http://ui.invalid').pathname === SETTINGS;
  const headers = { ...req.headers };
  // The settings are rewritten below: ask for them uncompressed.
  if (isSettings) headers['accept-encoding'] = 'identity';
  const upstream = request({ host, port, method: req.method, path: req.url, headers }, (up) => {
    if (!isSettings || (up.statusCode ?? 500) !== 200) {
      res.writeHead(up.statusCode ?? 502, up.headers);
      up.pipe(res);
      return;
    }
    const chunks: Buffer[] = [];
    up.on('data', (c: Buffer) => chunks.push(c));
    up.on('end', () => {
      let body = Buffer.concat(chunks).toString('utf8');
      try {
        body = JSON.stringify(withGateSettings(JSON.parse(body) as Record<string, unknown>));
      } catch {
        // Not JSON: passed on as it is; the routes stay refused whatever the UI thinks.
      }
      const outHeaders = { ...up.headers, 'content-length': String(Buffer.byteLength(body)) };
      delete outHeaders['transfer-encoding'];
      res.writeHead(200, outHeaders);
      res.end(body);
    });
  });
  upstream.on('error', () => {
    if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
    res.end('the Temporal UI server did not answer');
  });
  req.pipe(upstream);
}
