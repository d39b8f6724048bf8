import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { ZodTypeProvider } from 'fastify-type-provider-zod';
import { z } from 'zod';
import type { Config } from '../../domain/config';
import { findPerson, type Person } from '../../domain/roles';
import { publicUrlOf } from '../../domain/service-config';
import type { AuthStore } from '../shared/auth-store';
import { HttpError } from './errors';
import type { LoginCsrf } from './login-csrf';
import { LOGIN_PAGE_CSP, loginLang, renderLoginLinkPage, renderLoginPage, type LoginPageState } from './login-page';
import { userRef, type HttpLog } from './log';
import type { OidcLogin } from './oidc';
import type { OidcChecksCookie } from './oidc-checks';
import { safeNext, sessionPerson } from './session';

export interface LoginDeps {
  config: Config;
  authStore: AuthStore;
  log: HttpLog;
  logKey: string;
  /** Attempts per client address and window on the login endpoints. */
  rateLimit: { max: number; timeWindowMs: number };
  /** Failed password logins per account and window, whatever the address (kept in the auth database). */
  accountRateLimit: { max: number; timeWindowMs: number };
  /** Tokens for the login forms, which are shown before there is a session. */
  loginCsrf: LoginCsrf;
  /** The OIDC round trip's checks, kept in a signed cookie rather than a stored session. */
  oidcChecks: OidcChecksCookie;
  oidc?: OidcLogin;
  /** The web pages may bring a login page in their own layout. */
  renderLogin?: (state: LoginPageState) => string;
}

const loginBody = z.object({
  email: z.string().max(320).default(''),
  password: z.string().max(1_024).default(''),
  next: z.string().max(2_000).optional(),
  _csrf: z.string().optional(),
});
const linkBody = z.object({ token: z.string().max(200).default(''), _csrf: z.string().optional() });
const langQuery = z.looseObject({ lang: z.string().optional(), next: z.string().optional() });

export const sessionInfoSchema = z.object({
  user: z.object({ email: z.string(), name: z.string(), roles: z.array(z.string()) }).nullable(),
  csrfToken: z.string().describe('send as X-CSRF-Token header (or _csrf form field) with every POST'),
});

const wantsJson = (request: FastifyRequest) => (request.headers['content-type'] ?? '').startsWith('application/json');

/** Login and logout for the cookie session: password or login link (auth.method password), or OIDC. */
export async function loginRoutes(app: FastifyInstance, deps: LoginDeps): Promise<void> {
  const renderPage = deps.renderLogin ?? renderLoginPage;
  // In practice mode the login page says so too: the first page someone sees of an exercise.
  const render = (state: LoginPageState) => renderPage(deps.config.practice ? { ...state, practice: true } : state);
  const { method } = deps.config.auth;
  const limited = { rateLimit: { max: deps.rateLimit.max, timeWindow: deps.rateLimit.timeWindowMs } };
  const loginForm = { ...limited, csrf: 'login' as const };
  const formToken = (request: FastifyRequest, reply: FastifyReply) => deps.loginCsrf.token(request, reply);
  const account = deps.accountRateLimit;
  const html = (reply: FastifyReply, status: number, body: string) =>
    reply.status(status).header('content-security-policy', LOGIN_PAGE_CSP).type('text/html; charset=utf-8').send(body);

  const logIn = async (request: FastifyRequest, person: Person, via: string) => {
    // A new session id at login: a session planted before it (fixation) is worth nothing after.
    await request.session.regenerate();
    request.session.user = { email: person.email };
    deps.log({ event: 'login', method: via, user: userRef(deps.logKey, person.email) });
  };
  const api = app.withTypeProvider<ZodTypeProvider>();

  api.get('/login', { schema: { hide: true, querystring: langQuery } }, async (request, reply) => {
    const lang = loginLang(request.query);
    return html(
      reply,
      200,
      render({
        lang,
        method,
        csrfToken: formToken(request, reply),
        next: safeNext(request.query.next),
        loggedOut: 'loggedOut' in request.query,
      }),
    );
  });

  api.get(
    '/api/session',
    {
      schema: {
        summary: 'Who is logged in, and a CSRF token for POST requests',
        tags: ['session'],
        response: { 200: sessionInfoSchema },
      },
    },
    async (request, reply) => {
      const person = sessionPerson(request, deps.config.directory);
      // Logged in: the session's token. Not logged in: the login form's, so asking stores no session.
      return reply.send({
        user: person ? { email: person.email, name: person.name, roles: person.roles } : null,
        csrfToken: person ? reply.generateCsrf() : formToken(request, reply),
      });
    },
  );

  if (method === 'password') {
    api.post(
      '/login',
      { config: loginForm, schema: { hide: true, body: loginBody, querystring: langQuery } },
      async (request, reply) => {
        const { email, password } = request.body;
        const next = safeNext(request.body.next);
        // Per account, from any number of addresses: past the limit the password is not even tried, so guessing
        // goes no faster by spreading over addresses. The window slides: once it passes without failures, the real
        // person gets in again (and a login link, set by an administrator, is not throttled this way).
        if ((await deps.authStore.loginFailures(email, account.timeWindowMs)) >= account.max) {
          deps.log({
            event: 'refused',
            action: 'login',
            reason: 'account-throttled',
            user: userRef(deps.logKey, email),
          });
          const minutes = Math.ceil(account.timeWindowMs / 60_000);
          if (wantsJson(request))
            throw new HttpError(
              429,
              'rate-limited',
              `too many failed logins for this account; try again in ${minutes} minutes`,
            );
          return html(
            reply,
            429,
            render({
              lang: loginLang(request.query),
              method,
              csrfToken: formToken(request, reply),
              next,
              error: 'throttled',
              email,
            }),
          );
        }
        const person = findPerson(deps.config.directory, email);
        // Verified even for an unknown address, so the answer takes as long either way.
        const ok = (await deps.authStore.verifyPassword(email, password)) && person !== undefined;
        if (!ok || !person) {
          await deps.authStore.recordLoginFailure(email, account.timeWindowMs);
          deps.log({ event: 'login-failed', method: 'password', user: userRef(deps.logKey, email) });
          if (wantsJson(request)) throw new HttpError(401, 'unauthenticated', 'email address or password is not right');
          return html(
            reply,
            401,
            render({
              lang: loginLang(request.query),
              method,
              csrfToken: formToken(request, reply),
              next,
              error: 'failed',
              email,
            }),
          );
        }
        await deps.authStore.clearLoginFailures(email);
        await logIn(request, person, 'password');
        if (wantsJson(request))
          return reply.send({
            user: { email: person.email, name: person.name, roles: person.roles },
            csrfToken: reply.generateCsrf(),
          });
        return reply.redirect(next, 303);
      },
    );

    // The link only shows a button: mail scanners that follow links must not use up the one-time token.
    api.get(
      '/login/link',
      {
        schema: {
          hide: true,
          querystring: z.looseObject({ token: z.string().max(200).default(''), lang: z.string().optional() }),
        },
      },
      async (request, reply) =>
        html(
          reply,
          200,
          renderLoginLinkPage({
            lang: loginLang(request.query),
            csrfToken: formToken(request, reply),
            token: request.query.token,
          }),
        ),
    );

    api.post('/login/link', { config: loginForm, schema: { hide: true, body: linkBody } }, async (request, reply) => {
      const email = await deps.authStore.consumeLoginLink(request.body.token);
      const person = email === undefined ? undefined : findPerson(deps.config.directory, email);
      if (!person) {
        deps.log({ event: 'login-failed', method: 'link' });
        return html(
          reply,
          401,
          renderLoginLinkPage({
            lang: loginLang(request.query),
            csrfToken: formToken(request, reply),
            token: '',
            failed: true,
          }),
        );
      }
      await logIn(request, person, 'link');
      return reply.redirect('/', 303);
    });
  }

  if (method === 'oidc' && deps.oidc) {
    const provider = deps.oidc;
    const base = publicUrlOf(deps.config.http);
    api.get(
      '/auth/oidc/start',
      { config: limited, schema: { hide: true, querystring: langQuery } },
      async (request, reply) => {
        const { url, ...checks } = await provider.start();
        // An anonymous visit: the checks go in a signed cookie, not in a stored session (auth-store.ts).
        deps.oidcChecks.set(reply, { ...checks, next: safeNext(request.query.next) });
        return reply.redirect(url, 302);
      },
    );
    api.get('/auth/oidc/callback', { config: limited, schema: { hide: true } }, async (request, reply) => {
      const checks = deps.oidcChecks.take(request, reply);
      let email: string | undefined;
      try {
        email = checks ? await provider.finish(new URL(request.url, base), checks) : undefined;
      } catch {
        email = undefined;
      }
      const person = email === undefined ? undefined : findPerson(deps.config.directory, email);
      if (!person || !checks) {
        deps.log({ event: 'login-failed', method: 'oidc', ...(email ? { user: userRef(deps.logKey, email) } : {}) });
        return html(
          reply,
          401,
          render({ lang: 'nl', method, csrfToken: formToken(request, reply), next: '/', error: 'oidc-failed' }),
        );
      }
      await logIn(request, person, 'oidc');
      return reply.redirect(checks.next, 303);
    });
  }

  app.post('/logout', { schema: { hide: true } }, async (request, reply) => {
    await request.session.destroy();
    if (wantsJson(request)) return reply.status(204).send();
    return reply.redirect('/login?loggedOut', 303);
  });
}
