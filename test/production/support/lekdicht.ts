/**
 * lekdicht as it is deployed: worker and HTTP service each in processes of their own (worker/main.ts,
 * client/http/main.ts), configured by a config file and the environment only, against the production-shaped
 * stack of the global setup.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { inject } from 'vitest';
import { stringify as toYaml } from 'yaml';
import type { ConfigInput } from '../../../domain/config';
import { signIntake } from '../../../client/http/signature';
import { parseSigningKey, publicKeyOf } from '../../../client/shared/act-signing';
import { AuthStore } from '../../../client/shared/auth-store';
import { BreachRegister } from '../../../register/store';
import { directory } from '../../support/people';

const REPO_ROOT = fileURLToPath(new URL('../../..', import.meta.url));
export const INTAKE_SECRET = 'production-intake-secret-0123456789abcdef012345';
const SESSION_SECRET = 'production-session-secret-0123456789abcdef01234';
export const PASSWORD = 'correct horse battery staple';
const INTAKE_SECRET_ENV = 'LEKDICHT_PRODUCTION_DLP_SECRET';

interface StoreEnv {
  LEKDICHT_DATABASE_ENGINE: 'postgres';
  LEKDICHT_DATABASE_URL: string;
}

/**
 * Where the processes keep the register, sessions and the intake's memory: the one place that says so. As in
 * production, one PostgreSQL database (the cluster's `lekdicht` database) that every worker and HTTP instance shares.
 */
export function storeEnv(): StoreEnv {
  return { LEKDICHT_DATABASE_ENGINE: 'postgres', LEKDICHT_DATABASE_URL: inject('databaseUrl') };
}

const target = () => ({ engine: 'postgres' as const, url: inject('databaseUrl') });

/**
 * Before the processes start: gives every person of the directory the test password, as `lekdicht user
 * set-password` would. The stores' migrations are not run here: the four processes start at once and migrate the
 * empty database themselves, one of them (the migrator's lock), which is part of what this suite shows.
 */
export async function prepareStores(): Promise<void> {
  const store = await AuthStore.open(target());
  try {
    for (const person of directory) await store.setPassword(person.email, PASSWORD);
  } finally {
    await store.close();
  }
}

/** What the register holds for a breach: its row, its events and the emails it recorded as sent. */
export async function registerRecords(breachIds: readonly string[]) {
  const register = await BreachRegister.open(target());
  try {
    const records = [];
    for (const breachId of breachIds)
      records.push({
        breachId,
        row: await register.breach(breachId),
        events: await register.events(breachId),
        emails: await register.emails(breachId),
        tickets: await register.tickets(breachId),
        attempts: await register.emailAttempts(breachId),
      });
    return records;
  } finally {
    await register.close();
  }
}

/** The config file every process reads (LEKDICHT_CONFIG); what differs per process comes from the environment. */
export function writeConfig(dir: string, options: { smtpPort: number; taskQueue: string }): string {
  const config: ConfigInput = {
    organisation: { name: 'Testgemeente' },
    taskQueue: options.taskQueue,
    smtp: { host: '127.0.0.1', port: options.smtpPort, from: 'lekdicht <lekdicht@test.example>' },
    directory,
    intake: { sources: { dlp: { secretEnv: INTAKE_SECRET_ENV } } },
    practice: false,
  };
  const file = join(dir, 'lekdicht.yaml');
  writeFileSync(file, toYaml(config));
  return file;
}

/** The environment of every lekdicht process: the server, the codec keys, the config, the stores. */
function baseEnv(dir: string, configFile: string): NodeJS.ProcessEnv {
  const actSigningKey = inject('productionActSigningKey');
  return {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    TEMPORAL_ADDRESS: inject('clusterAddress'),
    TEMPORAL_NAMESPACE: inject('clusterNamespace'),
    LEKDICHT_CONFIG: configFile,
    LEKDICHT_CODEC_KEYS: inject('productionCodecKeys'),
    // Public only: the worker verifies what the HTTP instances sign.
    LEKDICHT_ACT_PUBLIC_KEYS: publicKeyOf(parseSigningKey(actSigningKey, 'test')).hex,
    ...storeEnv(),
  };
}

export type Kind = 'worker' | 'http';

/**
 * One lekdicht process as the Docker image runs it: `node` on the compiled code in dist/ (built by the global
 * setup), the worker on the prebuilt workflow bundle. One process, so a SIGKILL hits lekdicht itself.
 */
export class LekdichtProcess {
  readonly logFile: string;
  exitCode: number | null | undefined;
  exitSignal: NodeJS.Signals | null | undefined;
  private readonly child: ChildProcess;
  private readonly exit: Promise<void>;

  private constructor(
    readonly name: string,
    readonly kind: Kind,
    dir: string,
    env: NodeJS.ProcessEnv,
    readonly url?: string,
  ) {
    this.logFile = join(dir, `${name}.log`);
    const log = createWriteStream(this.logFile);
    const script = kind === 'worker' ? 'dist/worker/main.js' : 'dist/client/http/main.js';
    this.child = spawn(process.execPath, [script], {
      cwd: REPO_ROOT,
      env:
        kind === 'worker' ? { ...env, LEKDICHT_WORKFLOW_BUNDLE: join(REPO_ROOT, 'dist', 'workflow-bundle.js') } : env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child.stdout!.pipe(log);
    this.child.stderr!.pipe(log);
    this.exit = new Promise((resolve) =>
      this.child.once('exit', (code, signal) => {
        this.exitCode = code;
        this.exitSignal = signal;
        resolve();
      }),
    );
  }

  get pid(): number {
    return this.child.pid!;
  }

  get running(): boolean {
    return this.exitCode === undefined;
  }

  static async worker(name: string, dir: string, configFile: string): Promise<LekdichtProcess> {
    const proc = new LekdichtProcess(name, 'worker', dir, baseEnv(dir, configFile));
    await proc.ready(/lekdicht worker on task queue/);
    return proc;
  }

  static async http(name: string, dir: string, configFile: string, port: number): Promise<LekdichtProcess> {
    const url = `http://127.0.0.1:${port}`;
    const proc = new LekdichtProcess(
      name,
      'http',
      dir,
      {
        ...baseEnv(dir, configFile),
        LEKDICHT_HTTP_HOST: '127.0.0.1',
        LEKDICHT_HTTP_PORT: String(port),
        LEKDICHT_PUBLIC_URL: url,
        LEKDICHT_SESSION_SECRET: SESSION_SECRET,
        LEKDICHT_ACT_SIGNING_KEY: inject('productionActSigningKey'),
        [INTAKE_SECRET_ENV]: INTAKE_SECRET,
      },
      url,
    );
    await proc.ready(/HTTP service on/);
    return proc;
  }

  /** Waits for the line a process prints once it serves (the worker: after bundling its workflows). */
  private async ready(line: RegExp): Promise<void> {
    const until = Date.now() + 120_000;
    while (Date.now() < until) {
      if (line.test(this.log())) return;
      if (!this.running)
        throw new Error(
          `${this.name} exited (${this.exitSignal ?? this.exitCode}) before it was ready:\n${this.log()}`,
        );
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`${this.name} was not ready within 120 s:\n${this.log()}`);
  }

  log(): string {
    try {
      return readFileSync(this.logFile, 'utf8');
    } catch {
      return '';
    }
  }

  /** SIGKILL: no shutdown, whatever it was doing dies with it. */
  async kill(): Promise<void> {
    if (this.running) this.child.kill('SIGKILL');
    await this.exit;
  }

  /** SIGTERM: the process's own graceful stop. */
  async stop(): Promise<void> {
    if (this.running) this.child.kill('SIGTERM');
    await this.exit;
  }
}

/** A browser's share of HTTP against a running instance: cookies, the CSRF token, a session made by logging in. */
export class WebSession {
  private readonly cookies = new Map<string, string>();
  private csrf: string | undefined;

  /** Logs in through `instance` (the login form, as a browser submits it). */
  static async login(instance: LekdichtProcess, email: string): Promise<WebSession> {
    const session = new WebSession();
    const page = await session.request(instance, 'GET', '/login');
    const token = /name="_csrf" value="([^"]+)"/.exec(await page.text())?.[1];
    if (!token) throw new Error('no CSRF token on the login page');
    const res = await session.request(instance, 'POST', '/login', {
      form: { email, password: PASSWORD, _csrf: token, next: '/' },
    });
    if (res.status !== 303) throw new Error(`login as ${email} failed: ${res.status} ${await res.text()}`);
    const me = await session.request(instance, 'GET', '/api/session');
    session.csrf = ((await me.json()) as { csrfToken: string }).csrfToken;
    return session;
  }

  async request(
    instance: LekdichtProcess,
    method: 'GET' | 'POST',
    path: string,
    body: { json?: unknown; form?: Record<string, string> } = {},
  ): Promise<Response> {
    const headers: Record<string, string> = {};
    if (this.cookies.size > 0) headers.cookie = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    let payload: string | undefined;
    if (body.json !== undefined) {
      headers['content-type'] = 'application/json';
      if (this.csrf) headers['x-csrf-token'] = this.csrf;
      payload = JSON.stringify(body.json);
    } else if (body.form !== undefined) {
      headers['content-type'] = 'application/x-www-form-urlencoded';
      payload = new URLSearchParams(body.form).toString();
    }
    const res = await fetch(`${instance.url}${path}`, {
      method,
      headers,
      redirect: 'manual',
      ...(payload !== undefined ? { body: payload } : {}),
    });
    for (const cookie of res.headers.getSetCookie()) {
      const [pair = '', ...attributes] = cookie.split(';');
      const eq = pair.indexOf('=');
      const name = pair.slice(0, eq).trim();
      const value = pair.slice(eq + 1).trim();
      const expired = attributes.some((a) => /^\s*max-age=0\s*$/i.test(a));
      if (value === '' || expired) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    return res;
  }

  async json<T>(instance: LekdichtProcess, method: 'GET' | 'POST', path: string, json?: unknown): Promise<T> {
    const res = await this.request(instance, method, path, json === undefined ? {} : { json });
    const text = await res.text();
    if (!res.ok) throw new Error(`${method} ${path} on ${instance.name}: ${res.status} ${text}`);
    return JSON.parse(text) as T;
  }
}

/** A signed intake request, as a DLP system sends it. */
export async function reportThrough(
  instance: LekdichtProcess,
  signal: object,
): Promise<{ breachId: string; duplicate: boolean }> {
  const body = JSON.stringify(signal);
  const ts = Math.floor(Date.now() / 1000);
  const res = await fetch(`${instance.url}/api/intake/dlp`, {
    method: 'POST',
    headers: {
      'content-type': 'application/json',
      'x-lekdicht-timestamp': String(ts),
      'x-lekdicht-signature': signIntake(INTAKE_SECRET, ts, body),
    },
    body,
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`intake on ${instance.name}: ${res.status} ${text}`);
  return JSON.parse(text) as { breachId: string; duplicate: boolean };
}
