import { createHash, timingSafeEqual } from 'node:crypto';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import { collectDefaultMetrics, Gauge, Histogram, Registry } from 'prom-client';
import { ConfigError } from '../../config/load';
import { listensOnLoopback } from '../../domain/loopback-host';
import { parseBindAddress } from '../../domain/operations-config';
import { registerGauges, type RegisterReader } from '../../register/operations';

/** The bearer token a scraper sends when /metrics listens off loopback (environment only, never the config file). */
export const METRICS_TOKEN_ENV = 'LEKDICHT_METRICS_TOKEN';

/**
 * The HTTP service's Prometheus metrics (prom-client): requests by route template and status, and gauges read
 * from the register at each scrape (register/operations.ts says why the register). Labels hold route templates
 * (`/api/breaches/:breachId`), methods, status codes, phases and fixed words: never a URL, id, name or address.
 */
export class HttpMetrics {
  readonly registry = new Registry();
  private readonly requests = new Histogram({
    name: 'lekdicht_http_request_duration_seconds',
    help: 'HTTP requests by method, route template and status code (_count is the number of requests)',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [this.registry],
  });
  private readonly up = new Gauge({
    name: 'lekdicht_register_up',
    help: 'Whether the last scrape could read the register (1) or not (0; the register gauges are then absent)',
    registers: [this.registry],
  });
  private readonly open = new Gauge({
    name: 'lekdicht_breaches_open',
    help: 'Breaches the register holds as not closed, by phase',
    labelNames: ['phase'] as const,
    registers: [this.registry],
  });
  private readonly dueSoon = new Gauge({
    name: 'lekdicht_deadlines_due_within_12h',
    help: 'Open breaches whose GDPR authority notification deadline (art. 33) falls within 12 hours, not yet notified',
    labelNames: ['kind'] as const,
    registers: [this.registry],
  });
  private readonly late = new Gauge({
    name: 'lekdicht_notifications_late',
    help: 'GDPR authority notifications late: overdue (deadline passed, not made, breach open) or notified (made after the deadline)',
    labelNames: ['state'] as const,
    registers: [this.registry],
  });
  private readonly failedEmails = new Gauge({
    name: 'lekdicht_emails_failed',
    help: 'Emails refused for good by the mail server on open breaches, by audience',
    labelNames: ['audience'] as const,
    registers: [this.registry],
  });

  constructor(
    private readonly register: RegisterReader,
    private readonly now: () => number = Date.now,
  ) {
    // The process's own health (memory, event-loop lag, open handles): what a slow service is asked first.
    collectDefaultMetrics({ register: this.registry });
  }

  /** An onResponse hook: one observation per request, under the route's template (404s under "unmatched"). */
  observe(request: FastifyRequest, reply: FastifyReply): void {
    const route = request.is404 ? 'unmatched' : (request.routeOptions.url ?? 'unmatched');
    this.requests.observe(
      { method: request.method, route, status: String(reply.statusCode) },
      reply.elapsedTime / 1000,
    );
  }

  /** The exposition text, with the register gauges as they are now. */
  async scrape(): Promise<string> {
    for (const gauge of [this.open, this.dueSoon, this.late, this.failedEmails]) gauge.reset();
    try {
      const g = await registerGauges(this.register, this.now());
      for (const [phase, n] of Object.entries(g.openByPhase)) this.open.set({ phase }, n);
      this.dueSoon.set({ kind: 'gdpr-authority' }, g.dueWithin12h);
      this.late.set({ state: 'overdue' }, g.late.overdue);
      this.late.set({ state: 'notified' }, g.late.notified);
      this.failedEmails.set({ audience: 'responders' }, g.failedEmails.responders);
      this.failedEmails.set({ audience: 'data-subjects' }, g.failedEmails.dataSubjects);
      this.up.set(1);
    } catch {
      // No stale numbers: a dashboard shows the gap, an alert on lekdicht_register_up fires.
      this.up.set(0);
    }
    return this.registry.metrics();
  }
}

export interface MetricsListener {
  /** e.g. http://127.0.0.1:9465 */
  url: string;
  close(): Promise<void>;
}

const digest = (text: string) => createHash('sha256').update(text).digest();

/**
 * /metrics on a listener of its own (operations.httpMetricsAddress), never on the public port. Fails closed: off
 * loopback it needs LEKDICHT_METRICS_TOKEN or it refuses to start; with a token, every scrape must bear it.
 */
export async function startMetricsListener(
  address: string,
  metrics: HttpMetrics,
  env: NodeJS.ProcessEnv = process.env,
): Promise<MetricsListener> {
  const { host, port } = parseBindAddress(address);
  const token = env[METRICS_TOKEN_ENV] || undefined;
  if (!token && !listensOnLoopback(host))
    throw new ConfigError(
      `operations.httpMetricsAddress (${address}) is not a loopback address: set ${METRICS_TOKEN_ENV} (a bearer token the scraper sends), or bind it to 127.0.0.1`,
    );
  const expected = token === undefined ? undefined : digest(`Bearer ${token}`);
  // A Fastify of its own: none of the service's hooks (sessions, CSRF, Host check) belong here, and its routes are
  // not reachable from the public port.
  const app: FastifyInstance = Fastify({ logger: false });
  app.get('/metrics', async (request, reply) => {
    const given = request.headers.authorization;
    if (expected && (given === undefined || !timingSafeEqual(digest(given), expected)))
      return reply.status(401).header('www-authenticate', 'Bearer').send({ error: 'unauthorized' });
    return reply
      .type(metrics.registry.contentType)
      .header('cache-control', 'no-store')
      .send(await metrics.scrape());
  });
  await app.listen({ host, port });
  const bound = app.server.address();
  const shownHost = host.includes(':') ? `[${host}]` : host;
  return {
    url: `http://${shownHost}:${typeof bound === 'object' && bound ? bound.port : port}`,
    close: () => app.close(),
  };
}
