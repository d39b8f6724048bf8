import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyInstance, type FastifyRequest } from 'fastify';
import fastifyCookie from '@fastify/cookie';
import fastifySession from '@fastify/session';
import fastifyCsrf from '@fastify/csrf-protection';
import fastifyFormbody from '@fastify/formbody';
import fastifyRateLimit from '@fastify/rate-limit';
import type { Client } from '@temporalio/client';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import type { Config } from '../../domain/config';
import type { BreachRegister } from '../../register/store';
import { apiRoutes } from './api';
import { codecRoutes } from './codec-routes';
import type { AuthStore } from '../shared/auth-store';
import { errorHandler, HttpError } from './errors';
import { hostCheck } from './host-check';
import { healthRoutes } from './health';
import type { HttpMetrics } from './metrics';
import { intakeRoutes } from './intake';
import { storeTarget } from '../../register/targets';
import { IntakeStore } from './intake-store';
import { loginRoutes, type LoginDeps } from './login';
import { LoginCsrf } from './login-csrf';
import { OidcChecksCookie } from './oidc-checks';
import { stderrLog, type HttpLog } from './log';
import type { OidcLogin } from './oidc';
import { registerOpenApi } from './openapi';
import type { PagePlugin, PageServices } from './pages';
import { webPages } from './web-pages';
import type { CaseViewCache } from './case-cache';
import { Responder } from './responder';
import type { HttpSecrets } from './secrets';
import { actSigner, parseSigningKey } from '../shared/act-signing';
import { sessionPerson } from './session';

export const SESSION_COOKIE = 'lekdicht.sid';
/** Bodies of the responders' API; intake has its own, smaller limit (config intake.maxBodyBytes). */
const API_BODY_LIMIT = 256 * 1024;
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

/** A form's `_csrf` field or the X-CSRF-Token header. */
function csrfTokenOf(request: FastifyRequest): string | undefined {
  const header = request.headers['x-csrf-token'];
  if (typeof header === 'string') return header;
  const body = request.body as { _csrf?: unknown } | undefined;
  return typeof body?._csrf === 'string' ? body._csrf : undefined;
}

export interface AppDeps {
  client: Client;
  config: Config;
  authStore: AuthStore;
  register: Pick<BreachRegister, 'breaches' | 'breach' | 'emails' | 'changeMarks'>;
  /** Where the web's recipient upload stores the people affected; without it the upload page says to use the CLI. */
  recipients?: Pick<BreachRegister, 'addRecipients' | 'recipientCounts'>;
  secrets: HttpSecrets;
  /** Default: config.taskQueue. */
  taskQueue?: string;
  log?: HttpLog;
  now?: () => number;
  /** Page routes (client/web/); default: the list in client/http/pages.ts. */
  pages?: readonly PagePlugin[];
  /** Login attempts per client address and window; default 10 a minute. */
  loginRateLimit?: LoginDeps['rateLimit'];
  /** Failed password logins per account and window, from any address; default 10 in 15 minutes. */
  accountRateLimit?: LoginDeps['accountRateLimit'];
  /** The discovered OIDC provider when auth.method is oidc (startHttpService discovers it). */
  oidc?: OidcLogin;
  renderLogin?: LoginDeps['renderLogin'];
  version?: string;
  /** How long one case-view query, and all those of one list page together, may take (default 5 s). */
  queryDeadlineMs?: number;
  /** The case views of the list pages (client/http/case-cache.ts); by default one for this app. */
  caseCache?: CaseViewCache;
  /** Default: opened where the config says (intake.path, or the PostgreSQL database), and closed with the app. */
  intakeStore?: IntakeStore;
  /** Where a PostgreSQL connection string is read from (default process.env). */
  env?: NodeJS.ProcessEnv;
  /** Counts every request by route template and status (operations.httpMetricsAddress; client/http/metrics.ts). */
  metrics?: HttpMetrics;
}

/** The HTTP service without listening: `app.inject()` in tests, `listen` in startHttpService. */
export async function buildApp(deps: AppDeps): Promise<FastifyInstance> {
  const { config } = deps;
  const log = deps.log ?? stderrLog;
  const now = deps.now ?? Date.now;
  const secureCookies = (config.http.publicUrl ?? '').startsWith('https:');

  // No Fastify logger: its request logging would write URLs (login-link tokens) and errors (input) to the log.
  // A random request id: an unexpected error's reply and its log line carry the same one, and nothing else.
  const app = Fastify({
    logger: false,
    bodyLimit: API_BODY_LIMIT,
    trustProxy: config.http.trustProxy,
    genReqId: () => randomUUID(),
  });
  // First of all hooks: a request for another host name (DNS rebinding) reaches no session, route or log.
  app.addHook(
    'onRequest',
    hostCheck(config.http, () => app.server.address()),
  );
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  app.setErrorHandler(errorHandler(log));
  app.setNotFoundHandler((_request, reply) => reply.status(404).send({ error: 'not-found', message: 'no such page' }));

  await registerOpenApi(app, deps.version ?? '0.1.0');
  await app.register(fastifyCookie);
  await app.register(fastifySession, {
    secret: deps.secrets.sessionSecret,
    cookieName: SESSION_COOKIE,
    store: deps.authStore.sessionStore({ idleMs: config.auth.sessionTtl, lifetimeMs: config.auth.sessionLifetime }),
    saveUninitialized: false,
    cookie: { path: '/', httpOnly: true, sameSite: 'lax', secure: secureCookies, maxAge: config.auth.sessionTtl },
  });
  await app.register(fastifyCsrf, {
    sessionPlugin: '@fastify/session',
    getToken: csrfTokenOf,
  });
  const loginCsrf = new LoginCsrf(deps.secrets.sessionSecret, secureCookies);
  const oidcChecks = new OidcChecksCookie(deps.secrets.sessionSecret, secureCookies);
  await app.register(fastifyFormbody);
  await app.register(fastifyRateLimit, {
    global: false,
    onExceeded: (request) =>
      log({ event: 'refused', action: request.routeOptions.url ?? 'unknown', reason: 'rate-limited' }),
  });

  // Every state-changing request made with a cookie session carries a CSRF token; intake is signed instead.
  app.addHook('preValidation', (request, reply, done) => {
    const csrf = request.routeOptions.config.csrf;
    // No route, nothing to protect: an unknown path answers 404 whatever the token.
    if (SAFE_METHODS.has(request.method) || csrf === false || request.is404) return done();
    // The login forms are posted before there is a session: their token is bound to a cookie instead.
    if (csrf === 'login') {
      return done(
        loginCsrf.valid(request, csrfTokenOf(request))
          ? undefined
          : new HttpError(
              403,
              'csrf',
              'the login form has expired or did not come from this site: load the login page again',
            ),
      );
    }
    app.csrfProtection(request, reply, done);
  });
  app.addHook('onSend', async (_request, reply, payload) => {
    reply.header('x-content-type-options', 'nosniff');
    reply.header('referrer-policy', 'no-referrer');
    reply.header('x-frame-options', 'DENY');
    reply.header('cache-control', 'no-store');
    return payload;
  });
  app.addHook('onResponse', async (request, reply) => {
    if (reply.statusCode >= 400)
      log({
        event: 'response',
        method: request.method,
        route: request.routeOptions.url ?? 'unknown',
        status: reply.statusCode,
      });
  });

  const metrics = deps.metrics;
  if (metrics) app.addHook('onResponse', async (request, reply) => metrics.observe(request, reply));
  await app.register(async (scope) => healthRoutes(scope, { client: deps.client, register: deps.register }));

  const logKey = deps.secrets.sessionSecret;
  const responder = new Responder({
    client: deps.client,
    config,
    register: deps.register,
    log,
    logKey,
    ...(deps.queryDeadlineMs ? { queryDeadlineMs: deps.queryDeadlineMs } : {}),
    ...(deps.caseCache ? { cache: deps.caseCache } : {}),
    signer: actSigner(parseSigningKey(deps.secrets.actSigningKey, 'the act signing key')),
  });

  const intakeStore = deps.intakeStore ?? (await IntakeStore.open(storeTarget(config, 'intake', deps.env), now));
  if (!deps.intakeStore) app.addHook('onClose', async () => intakeStore.close());
  await app.register(async (scope) =>
    intakeRoutes(scope, {
      client: deps.client,
      config,
      taskQueue: deps.taskQueue ?? config.taskQueue,
      secrets: deps.secrets.intake,
      log,
      now,
      store: intakeStore,
    }),
  );
  await app.register(async (scope) =>
    loginRoutes(scope, {
      config,
      authStore: deps.authStore,
      log,
      logKey,
      rateLimit: deps.loginRateLimit ?? { max: 10, timeWindowMs: 60_000 },
      accountRateLimit: deps.accountRateLimit ?? { max: 10, timeWindowMs: 15 * 60_000 },
      loginCsrf,
      oidcChecks,
      ...(deps.oidc ? { oidc: deps.oidc } : {}),
      ...(deps.renderLogin ? { renderLogin: deps.renderLogin } : {}),
    }),
  );
  await app.register(async (scope) => apiRoutes(scope, { config, responder }));
  await app.register(async (scope) =>
    codecRoutes(scope, { client: deps.client, config, log, logKey, authStore: deps.authStore, now }),
  );

  const services: PageServices = {
    config,
    client: deps.client,
    responder,
    person: (request) => sessionPerson(request, config.directory),
    loginUrl: (request) =>
      `/login?next=${encodeURIComponent(request.url)}${(request.query as { lang?: unknown }).lang === 'en' ? '&lang=en' : ''}`,
    // Only a logged-in person's pages carry forms that change something; an anonymous page gets no token, which
    // would otherwise store a session for every visitor.
    csrfToken: (reply) => (sessionPerson(reply.request, config.directory) ? reply.generateCsrf() : ''),
    log,
    taskQueue: deps.taskQueue ?? config.taskQueue,
    ...(deps.recipients ? { recipients: deps.recipients } : {}),
  };
  // The web pages unless the caller says otherwise (API-only tests pass none).
  for (const plugin of deps.pages ?? [webPages]) await app.register(async (scope) => plugin(scope, services));
  await app.after();
  if (!app.hasRoute({ method: 'GET', url: '/' })) {
    app.get('/', { schema: { hide: true } }, async (request, reply) => {
      const person = services.person(request);
      if (!person) return reply.redirect(services.loginUrl(request), 303);
      return reply
        .type('text/html; charset=utf-8')
        .send(
          '<!doctype html><html lang="nl"><meta charset="utf-8"><title>lekdicht</title><h1>lekdicht</h1><p>Ingelogd. De webpagina\'s volgen; tot dan: <a href="/api/tasks">mijn taken (JSON)</a>, <a href="/openapi.json">API</a>.</p>',
        );
    });
  }
  return app;
}
