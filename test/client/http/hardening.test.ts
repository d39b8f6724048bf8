/**
 * Issue 11, the HTTP service's part: sessions (items 5), passwords (6), login throttling per account (7) and what
 * replies give away (10). Each test performs the attack against the real service (Fastify with `app.inject`, or
 * listening on loopback), its real SQLite auth database and the real CLI.
 */
import { mkdtempSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { AuthStore } from '../../../client/shared/auth-store';
import { checkLoginMethod, startHttpService } from '../../../client/http/service';
import { LOGIN_CSRF_COOKIE } from '../../../client/http/login-csrf';
import type { OidcLogin } from '../../../client/http/oidc';
import { OIDC_CHECKS_COOKIE } from '../../../client/http/oidc-checks';
import { ConfigError } from '../../../config/load';
import type { Config } from '../../../domain/config';
import { Harness } from '../../support/harness';
import { HttpFixture, PASSWORD, type Agent } from '../../support/http';
import { runLekdicht } from '../../support/cli';
import { FG, ICT } from '../../support/people';
import { signal } from '../../support/answers';

const HOUR = 3_600_000;

let h: Harness;
beforeAll(async () => {
  h = await Harness.start();
});
afterAll(async () => {
  await h?.close();
});

/** A clock the auth store reads; the rest of the service keeps real time. */
function clock() {
  let offset = 0;
  return { now: () => Date.now() + offset, advance: (ms: number) => (offset += ms) };
}

const who = async (agent: Agent) =>
  (await agent.get('/api/session')).json<{ user: { email: string } | null }>().user?.email ?? null;

describe('sessions (issue 11, item 5)', () => {
  it('anonymous visits store no session: 200 GET /login made 200 rows; now none, and the login form still works', async () => {
    const http = await HttpFixture.start(h);
    try {
      const rows = () => http.authStore.sessionCount();
      expect(await rows()).toBe(0);
      for (let i = 0; i < 200; i++) {
        const res = await http.app.inject({ method: 'GET', url: '/login' });
        expect(res.statusCode).toBe(200);
        // The form's token is bound to a cookie of its own, not to a stored session.
        expect(String(res.headers['set-cookie'])).not.toContain('lekdicht.sid');
      }
      for (const url of ['/api/session', '/', '/no-such-page', '/login/link?token=x'])
        await http.app.inject({ method: 'GET', url });
      expect(await rows()).toBe(0);

      // The login form still works, and its token still protects it: one session, made by the login.
      const agent = http.agent();
      expect((await agent.login(FG, PASSWORD)).statusCode).toBe(303);
      expect(await who(agent)).toBe(FG);
      expect(await rows()).toBe(1);
    } finally {
      await http.close();
    }
  });

  /**
   * The identity provider is a third-party service that cannot run here: a stand-in with the same interface
   * (client/http/oidc.ts OidcLogin) plays it, checking the state the callback brings like openid-client does. What is
   * tested is lekdicht's side of the round trip: where the checks are kept, and that the callback needs them.
   */
  const provider = (): OidcLogin => {
    let n = 0;
    return {
      start: async () => {
        n += 1;
        const state = `state-${n}`;
        return {
          url: `https://idp.test/authorize?state=${state}`,
          state,
          nonce: `nonce-${n}`,
          codeVerifier: `verifier-${n}`,
        };
      },
      finish: async (callback, checks) =>
        callback.searchParams.get('state') === checks.state && checks.codeVerifier.startsWith('verifier-')
          ? FG
          : undefined,
    };
  };
  const oidcConfig = (c: Config): Config => ({
    ...c,
    auth: {
      ...c.auth,
      method: 'oidc',
      oidc: { issuer: 'https://idp.test/', clientId: 'lekdicht', emailClaim: 'email', scopes: ['openid', 'email'] },
    },
  });

  it('an OIDC login stores no session until the person is in: 200 GET /auth/oidc/start made 200 rows; now none', async () => {
    const http = await HttpFixture.start(h, { config: oidcConfig, oidc: provider(), passwords: false });
    try {
      for (let i = 0; i < 200; i++) {
        const res = await http.app.inject({ method: 'GET', url: '/auth/oidc/start' });
        expect(res.statusCode).toBe(302);
        expect(String(res.headers['set-cookie'])).not.toContain('lekdicht.sid');
      }
      expect(await http.authStore.sessionCount()).toBe(0);

      // A browser's round trip: its checks come back in its own signed cookie, used once.
      const browser = http.agent();
      const start = await browser.get('/auth/oidc/start?next=/register');
      const state = new URL(String(start.headers.location)).searchParams.get('state')!;
      const cookie = String(start.headers['set-cookie']);
      expect(cookie).toContain(`${OIDC_CHECKS_COOKIE}=`);
      expect(cookie).toMatch(/Path=\/auth\/oidc/);
      expect(cookie).toMatch(/HttpOnly/i);
      const checks = browser.cookies.get(OIDC_CHECKS_COOKIE)!;
      const back = await browser.get(`/auth/oidc/callback?code=c&state=${state}`);
      expect(back.statusCode).toBe(303);
      expect(back.headers.location).toBe('/register');
      expect(await who(browser)).toBe(FG);
      expect(await http.authStore.sessionCount()).toBe(1);

      // Another browser cannot finish it without that cookie, or with it altered (the signature covers it all).
      // (The same cookie and code twice is the provider's to refuse: an authorization code is good once, RFC 6749.)
      const [payload, signature] = checks.split('.') as [string, string];
      const altered = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>;
      for (const forged of [
        undefined,
        `${payload}.${signature.replace(/^./, (c) => (c === 'A' ? 'B' : 'A'))}`,
        `${Buffer.from(JSON.stringify({ ...altered, next: 'https://evil.test/' })).toString('base64url')}.${signature}`,
      ]) {
        const other = http.agent();
        if (forged !== undefined) other.cookies.set(OIDC_CHECKS_COOKIE, forged);
        const res = await other.get(`/auth/oidc/callback?code=c&state=${state}`);
        expect(res.statusCode).toBe(401);
        expect(await who(other)).toBeNull();
      }
      expect(await http.authStore.sessionCount()).toBe(1);
    } finally {
      await http.close();
    }
  });

  it("a forged login form (no token, a token for another visitor's cookie, a made-up token) is refused with 403", async () => {
    const http = await HttpFixture.start(h);
    try {
      const victim = http.agent();
      await victim.get('/login');
      const attacker = http.agent();
      const page = await attacker.get('/login');
      const attackersToken = /name="_csrf" value="([^"]+)"/.exec(page.body)![1]!;
      for (const form of [{}, { _csrf: attackersToken }, { _csrf: 'A'.repeat(43) }] as Record<string, string>[]) {
        const res = await victim.request('POST', '/login', { form: { email: FG, password: PASSWORD, ...form } });
        expect(res.statusCode).toBe(403);
        expect(res.json()).toMatchObject({ error: 'csrf' });
      }
      expect(await who(victim)).toBeNull();
      // The cookie the token belongs to is httpOnly and SameSite.
      const cookie = String(page.headers['set-cookie']);
      expect(cookie).toContain(`${LOGIN_CSRF_COOKIE}=`);
      expect(cookie).toMatch(/HttpOnly/i);
      expect(cookie).toMatch(/SameSite=Lax/i);
      // A JSON client gets the login token from /api/session before it logs in, without a stored session.
      const api = http.agent();
      await api.refreshCsrf();
      expect(await http.authStore.sessionCount()).toBe(0);
      const login = await api.post('/login', { email: FG, password: PASSWORD });
      expect(login.statusCode).toBe(200);
      expect(await who(api)).toBe(FG);
    } finally {
      await http.close();
    }
  });

  it('ends a session 12 hours after the login however active it is (absolute lifetime), besides 8 idle hours', async () => {
    const time = clock();
    const http = await HttpFixture.start(h, { authNow: time.now });
    try {
      const agent = await http.as(FG);
      // Busy all day: a request every few hours keeps the sliding 8 hours from running out...
      for (const hours of [3, 3, 3, 2]) {
        time.advance(hours * HOUR);
        expect(await who(agent)).toBe(FG);
      }
      // ...but at 12 hours after the login the session is over, however active.
      time.advance(1.5 * HOUR);
      expect(await who(agent)).toBeNull();
      expect((await agent.get('/api/tasks')).statusCode).toBe(401);

      // The idle limit holds as before.
      const idle = await http.as(ICT);
      time.advance(8 * HOUR + 60_000);
      expect(await who(idle)).toBeNull();
    } finally {
      await http.close();
    }
  });

  it('a new password ends every session of that person, and only theirs', async () => {
    const http = await HttpFixture.start(h);
    try {
      const laptop = await http.as(FG);
      const phone = await http.as(FG);
      const other = await http.as(ICT);
      expect(await http.authStore.setPassword(FG, 'Een nieuw wachtwoord voor Fenna')).toBe(2);
      for (const agent of [laptop, phone]) {
        expect((await agent.get('/api/tasks')).statusCode).toBe(401);
        expect(await who(agent)).toBeNull();
      }
      expect((await other.get('/api/tasks')).statusCode).toBe(200);
      // The new password works; the old one does not.
      expect((await http.agent().login(FG, PASSWORD)).statusCode).toBe(401);
      expect((await http.agent().login(FG, 'Een nieuw wachtwoord voor Fenna')).statusCode).toBe(303);
    } finally {
      await http.close();
    }
  });

  it("`lekdicht user revoke EMAIL` ends all of a person's sessions at once and says how many; set-password does too", async () => {
    const http = await HttpFixture.start(h);
    try {
      const env = {
        ...process.env,
        LEKDICHT_CONFIG: 'config/example.yaml',
        LEKDICHT_AUTH_PATH: http.config.auth.path,
        TEMPORAL_ADDRESS: inject('temporalAddress'),
      };
      const sessions = [await http.as(FG), await http.as(FG)];
      const other = await http.as(ICT);
      const revoked = await runLekdicht(['user', 'revoke', FG.toUpperCase()], env);
      expect(revoked.stderr).toBe('');
      expect(revoked.code).toBe(0);
      expect(revoked.stdout.trim()).toBe(`2 sessions of ${FG} ended`);
      for (const agent of sessions) expect((await agent.get('/api/tasks')).statusCode).toBe(401);
      expect((await other.get('/api/tasks')).statusCode).toBe(200);
      expect((await runLekdicht(['user', 'revoke', FG], env)).stdout.trim()).toBe(`0 sessions of ${FG} ended`);

      // The CLI's set-password, against the same database, ends the sessions of a person of its own config.
      const store = await AuthStore.open(http.config.auth.path);
      try {
        await store.setPassword('fg@voorbeeld.nl', 'Een wachtwoord dat lang genoeg is');
      } finally {
        await store.close();
      }
      const set = await runLekdicht(
        ['user', 'set-password', 'fg@voorbeeld.nl'],
        env,
        'Weer een ander lang wachtwoord\n',
      );
      expect(set.code).toBe(0);
      expect(set.stdout).toContain('password set for fg@voorbeeld.nl; 0 sessions ended');
    } finally {
      await http.close();
    }
  });
});

describe('passwords (issue 11, item 6)', () => {
  it('refuses common, breached and trivially repetitive passwords of 12+ characters, naming the field in Dutch and English', async () => {
    const http = await HttpFixture.start(h, { passwords: false });
    try {
      const refused = {
        aaaaaaaaaaaa: /repeats or counts characters.*wachtwoord: herhaalt/,
        abababababab: /repeats or counts/,
        abcabcabcabc: /repeats or counts/,
        abcdefghijkl: /repeats or counts/,
        '123456789012': /repeats or counts/,
        qwerty123456: /common or breached.*wachtwoord: staat in lijsten/,
        '1qaz2wsx3edc': /common or breached/,
        passwordpassword: /common or breached|repeats/,
        'Password1234!': /common or breached/,
        'iloveyou 2026': /common or breached/,
        'Sunshine!!!!!!': /common or breached/,
      };
      for (const [password, message] of Object.entries(refused)) {
        await expect(http.authStore.setPassword(FG, password), password).rejects.toThrow(/^password: /);
        await expect(http.authStore.setPassword(FG, password), password).rejects.toThrow(message);
      }
      expect(await http.authStore.passwordHash(FG)).toBeUndefined();
      // Long unrelated words pass, whatever their case or spaces.
      for (const password of [PASSWORD, 'Zeven gele fietsen op de dijk', 'tr0ub4dor&3-paard-nietje'])
        await http.authStore.setPassword(FG, password);
    } finally {
      await http.close();
    }
  });

  it('the CLI refuses them too, with exit code 2 and the message', async () => {
    const authPath = join(mkdtempSync(join(tmpdir(), 'lekdicht-pw-')), 'auth.db');
    const env = {
      ...process.env,
      LEKDICHT_CONFIG: 'config/example.yaml',
      LEKDICHT_AUTH_PATH: authPath,
      TEMPORAL_ADDRESS: inject('temporalAddress'),
    };
    const res = await runLekdicht(['user', 'set-password', 'fg@voorbeeld.nl'], env, 'aaaaaaaaaaaa\n');
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/password: repeats or counts characters/);
    expect(res.stderr).toMatch(/wachtwoord:/);
  });

  it('refuses password login when the service would listen beyond loopback, naming the settings and OIDC with MFA', async () => {
    const open = { ...h.config, http: { ...h.config.http, host: '0.0.0.0', port: 0 } };
    await expect(startHttpService({ config: open, client: h.client, env: {} })).rejects.toThrow(ConfigError);
    let message = '';
    try {
      checkLoginMethod(open);
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toMatch(
      /^auth\.method: password login is refused while http\.host \(0\.0\.0\.0\) is not a loopback address/,
    );
    expect(message).toContain('auth.method: oidc');
    expect(message).toContain('multi-factor authentication');
    expect(message).toContain('auth.allowPasswordOffLoopback');
    // Loopback, OIDC, or the explicit exception for a container published on loopback only: no refusal.
    expect(() => checkLoginMethod({ ...open, http: { ...open.http, host: '127.0.0.1' } })).not.toThrow();
    expect(() => checkLoginMethod({ ...open, auth: { ...open.auth, allowPasswordOffLoopback: true } })).not.toThrow();
    expect(() => checkLoginMethod({ ...open, auth: { ...open.auth, method: 'oidc' } })).not.toThrow();
  });
});

describe('login throttling per account (issue 11, item 7)', () => {
  /** The login form as a browser at `ip` submits it. */
  async function attempt(http: HttpFixture, ip: string, email: string, password: string) {
    const page = await http.app.inject({ method: 'GET', url: '/login', remoteAddress: ip });
    const token = /name="_csrf" value="([^"]+)"/.exec(page.body)![1]!;
    const cookie = String(page.headers['set-cookie']).split(';')[0]!;
    return http.app.inject({
      method: 'POST',
      url: '/login',
      remoteAddress: ip,
      headers: { cookie, 'content-type': 'application/x-www-form-urlencoded' },
      payload: new URLSearchParams({ email, password, _csrf: token }).toString(),
    });
  }

  it('many addresses guessing one account are throttled; the real person gets in once the window has passed', async () => {
    const time = clock();
    const http = await HttpFixture.start(h, {
      authNow: time.now,
      loginRateLimit: { max: 5, timeWindowMs: 60_000 },
      accountRateLimit: { max: 5, timeWindowMs: 15 * 60_000 },
    });
    try {
      // Twenty addresses, one guess each: none reaches the per-address limit.
      const codes: number[] = [];
      for (let i = 0; i < 20; i++)
        codes.push((await attempt(http, `198.51.100.${i + 1}`, FG, `guess number ${i} for fenna`)).statusCode);
      expect(codes.slice(0, 5)).toEqual([401, 401, 401, 401, 401]);
      expect(new Set(codes.slice(5))).toEqual(new Set([429]));
      // Past the limit the password is not tried at all: even the right one gets no session (and tells nothing).
      const right = await attempt(http, '203.0.113.7', FG, PASSWORD);
      expect(right.statusCode).toBe(429);
      expect(right.body).toContain('Te veel mislukte pogingen voor dit account');
      expect(http.logs).toContainEqual({
        event: 'refused',
        action: 'login',
        reason: 'account-throttled',
        user: expect.stringMatching(/^u-/),
      });
      // Another account is not held up by it.
      expect((await attempt(http, '198.51.100.1', ICT, PASSWORD)).statusCode).toBe(303);

      // Bounded: the window slides, so once it has passed without failures the real person gets in.
      time.advance(15 * 60_000 + 1_000);
      expect((await attempt(http, '203.0.113.7', FG, PASSWORD)).statusCode).toBe(303);
      // A success clears the count: the next typo is just a typo.
      expect((await attempt(http, '203.0.113.7', FG, 'typo in the password')).statusCode).toBe(401);
    } finally {
      await http.close();
    }
  });

  it('the JSON login answers 429 with a code and a message, like the other limits', async () => {
    const http = await HttpFixture.start(h, { accountRateLimit: { max: 2, timeWindowMs: 60_000 } });
    try {
      const codes: number[] = [];
      for (let i = 0; i < 3; i++) {
        const agent = http.agent();
        await agent.refreshCsrf();
        const res = await agent.post('/login', { email: ICT, password: `wrong password ${i}` });
        codes.push(res.statusCode);
        if (res.statusCode === 429)
          expect(res.json()).toMatchObject({ error: 'rate-limited', message: expect.stringContaining('this account') });
      }
      expect(codes).toEqual([401, 401, 429]);
    } finally {
      await http.close();
    }
  });
});

describe('replies give nothing away (issue 11, item 10)', () => {
  let http: HttpFixture;
  let fg: Agent;
  beforeAll(async () => {
    http = await HttpFixture.start(h);
    fg = await http.as(FG);
  });
  afterAll(async () => {
    await http?.close();
  });

  const LEAKS =
    /Maximum call stack|FST_|Unexpected token|in JSON at position|SyntaxError|RangeError|application\/xml|stack/i;

  it('deeply nested JSON on an API route: a clear field error, not "Maximum call stack size exceeded"', async () => {
    // The attack: a task answer nested 40,000 objects deep (200 KB, under the API's body limit).
    const breachId = await h.report(signal());
    await expect
      .poll(async () => (await h.view(breachId)).tasks.some((t) => t.id === 'triage'), { timeout: 20_000 })
      .toBe(true);
    const depth = 40_000;
    const cookie = [...fg.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    for (const nested of [
      `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`,
      `${'['.repeat(depth)}${']'.repeat(depth)}`,
    ]) {
      const res = await http.app.inject({
        method: 'POST',
        url: `/api/breaches/${breachId}/tasks/triage`,
        headers: { 'content-type': 'application/json', 'x-csrf-token': fg.csrf!, cookie },
        payload: `{"answer":${nested}}`,
      });
      expect(res.statusCode).toBe(400);
      expect(res.body).not.toMatch(LEAKS);
      expect(res.json()).toEqual({ error: 'invalid-input', message: 'answer: cannot be sent: is nested too deeply' });
    }
    expect(http.logText()).not.toMatch(/Maximum call stack/);
    // Nothing was recorded: the triage is still open.
    expect((await h.view(breachId)).tasks.find((t) => t.id === 'triage')?.status).toBe('open');
  });

  it('a wrong content type, malformed JSON and an empty body: our words, no Fastify codes', async () => {
    const cookie = [...fg.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    const send = (contentType: string, payload: string) =>
      http.app.inject({
        method: 'POST',
        url: '/api/breaches/breach-0123456789abcdef0123/facts',
        headers: { 'content-type': contentType, 'x-csrf-token': fg.csrf!, cookie },
        payload,
      });
    const xml = await send('application/xml', '<facts/>');
    expect(xml.statusCode).toBe(415);
    expect(xml.json()).toEqual({
      error: 'unsupported-media-type',
      message: 'this endpoint does not accept that content type; send application/json',
    });
    const broken = await send('application/json', '{"summary": "x",,}');
    expect(broken.statusCode).toBe(400);
    expect(broken.json()).toMatchObject({ error: 'invalid-json' });
    const empty = await send('application/json', '');
    expect(empty.statusCode).toBe(400);
    for (const res of [xml, broken, empty]) expect(res.body).not.toMatch(LEAKS);
    // Bad input that can be read keeps its clear field errors.
    const field = await http.app.inject({ method: 'GET', url: '/api/register?from=yesterday', headers: { cookie } });
    expect(field.statusCode).toBe(400);
    expect(field.json<{ message: string }>().message).toMatch(/from/);
  });

  it('an unexpected error answers a generic message with a request id, and the log has the same id and the kind only', async () => {
    const failing = await HttpFixture.start(h, {
      // A register that fails the way a bug would, with a message that must go nowhere.
      register: {
        breaches: () => Promise.reject(new RangeError('Maximum call stack size exceeded near jan.jansen@test.example')),
        emails: () => Promise.resolve([]),
        breach: () => Promise.resolve(undefined),
        changeMarks: () => Promise.resolve(new Map()),
      },
    });
    try {
      const agent = await failing.as(FG);
      const res = await agent.get('/api/register');
      expect(res.statusCode).toBe(500);
      const body = res.json<{ error: string; message: string; requestId: string }>();
      expect(body.error).toBe('internal');
      expect(body.requestId).toMatch(/^[0-9a-f-]{36}$/);
      expect(body.message).toContain(body.requestId);
      expect(res.headers['x-request-id']).toBe(body.requestId);
      expect(res.body).not.toMatch(LEAKS);
      expect(res.body).not.toContain('jansen');
      expect(failing.logs).toContainEqual({
        event: 'error',
        requestId: body.requestId,
        method: 'GET',
        route: '/api/register',
        error: 'RangeError',
      });
      expect(failing.logText()).not.toContain('jansen');
      expect(failing.logText()).not.toContain('Maximum call stack');
    } finally {
      await failing.close();
    }
  });
});

describe('DNS rebinding: the service on loopback answers only to its own names (issue 11, item 10)', () => {
  /** A raw request with the Host header the attacker's page would send (fetch cannot set Host). */
  const get = (port: number, host: string, path = '/api/session') =>
    new Promise<{ status: number; body: string }>((resolve, reject) => {
      const req = httpRequest({ host: '127.0.0.1', port, path, headers: { host } }, (res) => {
        let body = '';
        res.on('data', (chunk) => (body += String(chunk)));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      });
      req.on('error', reject);
      req.end();
    });

  it('refuses Host: evil.example (and a loopback name with another port) with 421; serves its own names', async () => {
    const http = await HttpFixture.start(h);
    try {
      await http.app.listen({ host: '127.0.0.1', port: 0 });
      const { port } = http.app.server.address() as AddressInfo;
      for (const host of [
        `evil.example:${port}`,
        'evil.example',
        `127.0.0.1.evil.example:${port}`,
        `localhost.evil.example:${port}`,
        `localhost:${port + 1}`,
      ]) {
        const res = await get(port, host);
        expect(res.status, host).toBe(421);
        expect(JSON.parse(res.body)).toMatchObject({ error: 'misdirected' });
        expect(res.body).not.toContain('evil');
      }
      // The intake and the login page are refused the same way: no route is reached.
      expect((await get(port, `evil.example:${port}`, '/login')).status).toBe(421);
      for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`, 'lekdicht.test']) {
        const res = await get(port, host);
        expect(res.status, host).toBe(200);
      }
    } finally {
      await http.close();
    }
  });
});
