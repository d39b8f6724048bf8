import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { inject } from 'vitest';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import type { Config } from '../../domain/config';
import { buildApp, type AppDeps } from '../../client/http/app';
import { AuthStore } from '../../client/shared/auth-store';
import { IntakeStore } from '../../client/http/intake-store';
import type { StoreTargets } from './engines';
import type { LogEntry } from '../../client/http/log';
import { signIntake } from '../../client/http/signature';
import type { Harness } from './harness';
import { directory } from './people';

export const INTAKE_SECRET = 'test-intake-secret-0123456789abcdef0123456789';
export const SESSION_SECRET = 'test-session-secret-0123456789abcdef012345678';
export const PASSWORD = 'correct horse battery staple';

/** The HTTP service on the Harness's Temporal server, task queue and register, with its own auth database. */
export class HttpFixture {
  logs: LogEntry[] = [];
  private constructor(
    readonly app: FastifyInstance,
    readonly authStore: AuthStore,
    readonly config: Config,
    /** Opened here (not by the app, which closes only what it opened itself). */
    private readonly intakeStore?: IntakeStore,
  ) {}

  static async start(
    h: Harness,
    options: Partial<Omit<AppDeps, 'config'>> & {
      config?: (c: Config) => Config;
      passwords?: boolean;
      /** The auth store's clock (sessions, throttling). */ authNow?: () => number;
      /** Where the auth and intake stores live (test/support/engines.ts); default: SQLite files of their own. */
      stores?: StoreTargets;
    } = {},
  ): Promise<HttpFixture> {
    const dir = mkdtempSync(join(tmpdir(), 'lekdicht-auth-'));
    const authPath = join(dir, 'auth.db');
    const base: Config = {
      ...h.config,
      http: { ...h.config.http, publicUrl: 'http://lekdicht.test' },
      auth: { ...h.config.auth, path: authPath },
      intake: {
        ...h.config.intake,
        sources: { dlp: { secretEnv: 'LEKDICHT_TEST_DLP_SECRET' } },
        path: join(dir, 'intake.db'),
      },
    };
    const { config: adjust, passwords, authNow, stores, ...deps } = options;
    const config = adjust ? adjust(base) : base;
    const authStore = await AuthStore.open(stores?.('auth') ?? authPath, authNow);
    const intakeStore = stores && !deps.intakeStore ? await IntakeStore.open(stores('intake')) : undefined;
    const logs: LogEntry[] = [];
    const app = await buildApp({
      client: h.client,
      config,
      authStore,
      register: h.register,
      secrets: {
        sessionSecret: SESSION_SECRET,
        intake: { dlp: INTAKE_SECRET },
        actSigningKey: inject('actSigningKey'),
      },
      taskQueue: h.taskQueue,
      log: (entry) => logs.push(entry),
      pages: [],
      loginRateLimit: { max: 1_000, timeWindowMs: 60_000 },
      // The run's server holds other test files' breaches too, whose workers may be gone: do not wait on them long.
      queryDeadlineMs: 4_000,
      ...(intakeStore ? { intakeStore } : {}),
      ...deps,
    });
    const fixture = new HttpFixture(app, authStore, config, intakeStore);
    fixture.logs = logs;
    if (passwords !== false) for (const person of directory) await authStore.setPassword(person.email, PASSWORD);
    return fixture;
  }

  agent(): Agent {
    return new Agent(this.app, new URL(this.config.http.publicUrl ?? 'http://localhost').host);
  }

  /** A logged-in agent with a CSRF token. */
  async as(email: string): Promise<Agent> {
    const agent = this.agent();
    const res = await agent.login(email, PASSWORD);
    if (res.statusCode !== 303) throw new Error(`login as ${email} failed: ${res.statusCode} ${res.body}`);
    await agent.refreshCsrf();
    return agent;
  }

  /** A signed intake request, as a SIEM or DLP system would send it. */
  intake(
    body: string | object,
    opts: { secret?: string; timestamp?: number; source?: string; headers?: Record<string, string> } = {},
  ) {
    const raw = typeof body === 'string' ? body : JSON.stringify(body);
    const ts = opts.timestamp ?? Math.floor(Date.now() / 1000);
    return this.app.inject({
      method: 'POST',
      url: `/api/intake/${opts.source ?? 'dlp'}`,
      headers: {
        // The configured public host: accepted also once the app listens on loopback (the Host check).
        host: new URL(this.config.http.publicUrl ?? 'http://localhost').host,
        'content-type': 'application/json',
        'x-lekdicht-timestamp': String(ts),
        'x-lekdicht-signature': signIntake(opts.secret ?? INTAKE_SECRET, ts, raw),
        ...opts.headers,
      },
      payload: raw,
    });
  }

  /** Everything logged, as one string: for "no personal data in the logs". */
  logText(): string {
    return JSON.stringify(this.logs);
  }

  async close(): Promise<void> {
    await this.app.close();
    await this.authStore.close();
    await this.intakeStore?.close();
  }
}

type Method = 'GET' | 'POST';

/** A browser-like client: keeps cookies, sends the CSRF token it was given. */
export class Agent {
  cookies = new Map<string, string>();
  csrf: string | undefined;
  constructor(
    private readonly app: FastifyInstance,
    private readonly host = 'localhost',
  ) {}

  async request(
    method: Method,
    url: string,
    opts: { json?: unknown; form?: Record<string, string>; headers?: Record<string, string>; csrf?: boolean } = {},
  ): Promise<LightMyRequestResponse> {
    // The fixture's public host (http.publicUrl), as a browser that followed a link would send it: accepted by the
    // Host check also once the app listens on loopback on some port.
    const headers: Record<string, string> = { host: this.host, ...opts.headers };
    if (this.cookies.size > 0) headers.cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    if (method === 'POST' && opts.csrf !== false && this.csrf && opts.form === undefined)
      headers['x-csrf-token'] = this.csrf;
    let payload: string | undefined;
    if (opts.json !== undefined) {
      headers['content-type'] = 'application/json';
      payload = JSON.stringify(opts.json);
    } else if (opts.form !== undefined) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      payload = new URLSearchParams(opts.form).toString();
    }
    const res = await this.app.inject({ method, url, headers, ...(payload !== undefined ? { payload } : {}) });
    for (const cookie of res.cookies as { name: string; value: string; maxAge?: number; expires?: Date }[]) {
      if (cookie.value === '' || (cookie.expires && cookie.expires.getTime() < Date.now()))
        this.cookies.delete(cookie.name);
      else this.cookies.set(cookie.name, cookie.value);
    }
    return res;
  }

  get(url: string) {
    return this.request('GET', url);
  }

  post(url: string, json: unknown = {}, opts: { csrf?: boolean } = {}) {
    return this.request('POST', url, { json, ...opts });
  }

  /** The login form as a browser submits it: the page first (session + CSRF token), then the form. */
  async login(email: string, password: string): Promise<LightMyRequestResponse> {
    const page = await this.get('/login');
    const token = /name="_csrf" value="([^"]+)"/.exec(page.body)?.[1];
    if (!token) throw new Error('no CSRF token on the login page');
    return this.request('POST', '/login', { form: { email, password, _csrf: token, next: '/' } });
  }

  async refreshCsrf(): Promise<string> {
    const res = await this.get('/api/session');
    this.csrf = (JSON.parse(res.body) as { csrfToken: string }).csrfToken;
    return this.csrf;
  }
}
