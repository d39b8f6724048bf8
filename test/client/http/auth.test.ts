import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { AuthStore } from '../../../client/shared/auth-store';
import { Harness } from '../../support/harness';
import { HttpFixture, PASSWORD } from '../../support/http';
import { runLekdicht } from '../../support/cli';
import { ENGINES, TestDatabases } from '../../support/engines';
import { FG, ICT } from '../../support/people';

/**
 * Passwords, sessions, login links and the login throttle live in the auth store: on both engines, SQLite (the
 * embedded default) and PostgreSQL (shared by several HTTP instances in production).
 */
const databases = new TestDatabases();
afterAll(async () => {
  await databases.stop();
});

describe.each(ENGINES)('logging in to the HTTP service (sessions on %s)', (engine) => {
  let h: Harness;
  let http: HttpFixture;

  beforeAll(async () => {
    h = await Harness.start();
    http = await HttpFixture.start(h, { stores: await databases.fresh(engine) });
  }, 120_000);
  afterAll(async () => {
    await http?.close();
    await h?.close();
  });

  it('logs in with a password: a new HttpOnly, SameSite=Lax session cookie, and the API knows who it is', async () => {
    const agent = http.agent();
    const page = await agent.get('/login');
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('<html lang="nl"');
    expect(page.body).toContain('Wachtwoord');
    const before = agent.cookies.get('lekdicht.sid');

    const res = await agent.login(FG, PASSWORD);
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/');
    const cookie = String(res.headers['set-cookie']);
    expect(cookie).toMatch(/lekdicht\.sid=/);
    expect(cookie).toMatch(/HttpOnly/i);
    expect(cookie).toMatch(/SameSite=Lax/i);
    // http public URL in the tests: no Secure flag (it would be set for https).
    expect(cookie).not.toMatch(/Secure/i);
    // A new session id at login (no fixation).
    expect(agent.cookies.get('lekdicht.sid')).not.toBe(before);

    const session = await agent.get('/api/session');
    expect(session.json()).toMatchObject({
      user: { email: FG, name: 'Fenna FG', roles: ['fg'] },
      csrfToken: expect.any(String),
    });
    expect((await agent.get('/api/tasks')).statusCode).toBe(200);
    expect(http.logs).toContainEqual({
      event: 'login',
      method: 'password',
      user: expect.stringMatching(/^u-[0-9a-f]{12}$/),
    });
  });

  it('stores only an argon2id hash of the password', async () => {
    const stored = await http.authStore.passwordHash(FG);
    expect(stored).toMatch(/^\$argon2id\$/);
    expect(stored).not.toContain(PASSWORD);
  });

  it('refuses a wrong password and an unknown address alike with 401, logging no address', async () => {
    for (const [email, password] of [
      [FG, 'not the password at all'],
      ['nobody@test.example', PASSWORD],
      [FG, ''],
    ] as const) {
      const agent = http.agent();
      const res = await agent.login(email, password);
      expect(res.statusCode).toBe(401);
      expect(res.body).toContain('E-mailadres of wachtwoord klopt niet.');
      expect((await agent.get('/api/tasks')).statusCode).toBe(401);
    }
    expect(http.logs.filter((l) => l.event === 'login-failed')).toHaveLength(3);
    expect(http.logText()).not.toMatch(/@test\.example|Fenna/);
  });

  it('refuses the API without a session with 401', async () => {
    const res = await http.agent().get('/api/tasks');
    expect(res.statusCode).toBe(401);
    expect(res.json()).toMatchObject({ error: 'unauthenticated' });
  });

  it('refuses state-changing requests without a valid CSRF token with 403, also the login form', async () => {
    const agent = await http.as(FG);
    const breachId = await h.report({ source: 'form', eventId: `csrf-${Date.now()}`, summary: 'Laptop lost' });
    await h.openTask(breachId, 'triage');
    const answer = { isPersonalDataBreach: false, reasoning: 'Encrypted laptop; no personal data exposed.' };

    const without = await agent.post(`/api/breaches/${breachId}/tasks/triage`, { answer }, { csrf: false });
    expect(without.statusCode).toBe(403);
    expect(without.json()).toMatchObject({ error: 'csrf' });
    const forged = await agent.request('POST', `/api/breaches/${breachId}/tasks/triage`, {
      json: { answer },
      headers: { 'x-csrf-token': 'forged' },
      csrf: false,
    });
    expect(forged.statusCode).toBe(403);
    // Nothing reached the workflow.
    expect((await h.view(breachId)).tasks.find((t) => t.id === 'triage')).toMatchObject({ status: 'open' });

    // Another person's token is no good either: it belongs to their session.
    const other = await http.as(ICT);
    const stolen = await agent.request('POST', `/api/breaches/${breachId}/tasks/triage`, {
      json: { answer },
      headers: { 'x-csrf-token': other.csrf! },
      csrf: false,
    });
    expect(stolen.statusCode).toBe(403);

    const login = await http.agent().request('POST', '/login', { form: { email: FG, password: PASSWORD } });
    expect(login.statusCode).toBe(403);

    const ok = await agent.post(`/api/breaches/${breachId}/tasks/triage`, { answer });
    expect(ok.statusCode, ok.body).toBe(200);
    expect(ok.json()).toMatchObject({ id: 'triage', status: 'done', completedBy: FG });
  });

  it('logs out: the session ends on the server too', async () => {
    const agent = await http.as(FG);
    const cookie = agent.cookies.get('lekdicht.sid')!;
    const res = await agent.request('POST', '/logout', { form: { _csrf: agent.csrf! } });
    expect(res.statusCode).toBe(303);
    expect(res.headers.location).toBe('/login?loggedOut');
    // Replaying the old cookie does not bring the session back.
    const replay = await http.app.inject({
      method: 'GET',
      url: '/api/tasks',
      headers: { cookie: `lekdicht.sid=${cookie}` },
    });
    expect(replay.statusCode).toBe(401);
  });

  it('logs in once with a login link, and never with a used or expired one', async () => {
    const token = await http.authStore.createLoginLink(ICT, 60_000);
    const agent = http.agent();
    // Following the link only shows a button: a mail scanner fetching it does not use it up.
    const page = await agent.get(`/login/link?token=${token}`);
    expect(page.statusCode).toBe(200);
    const csrf = /name="_csrf" value="([^"]+)"/.exec(page.body)![1]!;
    const again = await http.agent().get(`/login/link?token=${token}`);
    expect(again.statusCode).toBe(200);

    const used = await agent.request('POST', '/login/link', { form: { token, _csrf: csrf } });
    expect(used.statusCode).toBe(303);
    expect((await agent.get('/api/session')).json()).toMatchObject({ user: { email: ICT } });

    const second = http.agent();
    const secondPage = await second.get(`/login/link?token=${token}`);
    const secondCsrf = /name="_csrf" value="([^"]+)"/.exec(secondPage.body)![1]!;
    const reused = await second.request('POST', '/login/link', { form: { token, _csrf: secondCsrf } });
    expect(reused.statusCode).toBe(401);
    expect(reused.body).toContain('ongeldig, al gebruikt of verlopen');
    expect((await second.get('/api/session')).json()).toMatchObject({ user: null });

    const expiring = await http.authStore.createLoginLink(ICT, 1);
    await new Promise((r) => setTimeout(r, 20));
    const third = http.agent();
    const thirdPage = await third.get(`/login/link?token=${expiring}`);
    const thirdCsrf = /name="_csrf" value="([^"]+)"/.exec(thirdPage.body)![1]!;
    expect(
      (await third.request('POST', '/login/link', { form: { token: expiring, _csrf: thirdCsrf } })).statusCode,
    ).toBe(401);
    expect(http.logText()).not.toContain(token);
  });

  it('rate-limits login attempts with 429', async () => {
    const limited = await HttpFixture.start(h, {
      loginRateLimit: { max: 3, timeWindowMs: 60_000 },
      passwords: false,
      stores: await databases.fresh(engine),
    });
    try {
      const codes: number[] = [];
      for (let i = 0; i < 5; i++) codes.push((await limited.agent().login(FG, `wrong-password-${i}`)).statusCode);
      expect(codes).toEqual([401, 401, 401, 429, 429]);
      expect(limited.logs).toContainEqual({ event: 'refused', action: '/login', reason: 'rate-limited' });
    } finally {
      await limited.close();
    }
  });
});

describe('lekdicht user (CLI)', () => {
  it('sets a password from stdin and prints a one-time login link; refuses people outside the directory', async () => {
    const authPath = join(mkdtempSync(join(tmpdir(), 'lekdicht-user-cli-')), 'auth.db');
    const env = {
      ...process.env,
      LEKDICHT_CONFIG: 'config/example.yaml',
      LEKDICHT_AUTH_PATH: authPath,
      TEMPORAL_ADDRESS: inject('temporalAddress'),
    };
    const set = await runLekdicht(['user', 'set-password', 'fg@voorbeeld.nl'], env, 'a long enough password\n');
    expect(set.stderr).toBe('');
    expect(set.code).toBe(0);
    expect(set.stdout).toContain('password set for fg@voorbeeld.nl');

    const short = await runLekdicht(['user', 'set-password', 'fg@voorbeeld.nl'], env, 'short\n');
    expect(short.code).toBe(2);
    expect(short.stderr).toMatch(/password: is shorter than 12 characters/);
    const stranger = await runLekdicht(['user', 'set-password', 'x@elders.nl'], env, 'a long enough password\n');
    expect(stranger.code).toBe(2);
    expect(stranger.stderr).toMatch(/x@elders\.nl is not in the directory/);

    const link = await runLekdicht(['user', 'login-link', 'FG@voorbeeld.nl'], env);
    expect(link.code).toBe(0);
    const url = new URL(link.stdout.trim());
    expect(url.origin + url.pathname).toBe('http://127.0.0.1:8080/login/link');

    const store = await AuthStore.open(authPath);
    try {
      expect(await store.verifyPassword('fg@voorbeeld.nl', 'a long enough password')).toBe(true);
      expect(await store.passwordHash('fg@voorbeeld.nl')).toMatch(/^\$argon2id\$/);
      expect(await store.consumeLoginLink(url.searchParams.get('token')!)).toBe('fg@voorbeeld.nl');
      expect(await store.consumeLoginLink(url.searchParams.get('token')!)).toBeUndefined();
    } finally {
      await store.close();
    }
  });
});
