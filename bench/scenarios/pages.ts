import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { SETTLE_MS } from '../../client/http/case-cache';
import { startHttpService, type HttpService } from '../../client/http/service';
import { SESSION_SECRET_ENV } from '../../client/http/secrets';
import { ACT_SIGNING_KEY_ENV } from '../../client/shared/act-signing';
import { AuthStore } from '../../client/shared/auth-store';
import { breachWorkflowType } from '../../workflows/messages';
import { FG } from '../../test/support/people';
import { reportToTriage, since } from '../breaches';
import { percentile, row } from '../results';
import { countOf, interleaved, type Scenario } from '../scenario';
import { inParallel, Rig } from '../stack';

const PASSWORD = 'bench horse battery staple';

/** A browser's part: keeps the cookies it is given and sends them back. */
class Browser {
  private cookies = new Map<string, string>();
  constructor(private readonly base: string) {}

  async fetch(path: string, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.cookies.size > 0) headers.set('cookie', [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; '));
    const res = await fetch(`${this.base}${path}`, { ...init, headers, redirect: 'manual' });
    for (const cookie of res.headers.getSetCookie()) {
      const [pair] = cookie.split(';');
      const eq = pair!.indexOf('=');
      this.cookies.set(pair!.slice(0, eq).trim(), pair!.slice(eq + 1).trim());
    }
    return res;
  }

  /** The login form as a person submits it. */
  async login(email: string, password: string): Promise<void> {
    const page = await (await this.fetch('/login')).text();
    const token = /name="_csrf" value="([^"]+)"/.exec(page)?.[1];
    if (!token) throw new Error('no CSRF token on the login page');
    const res = await this.fetch('/login', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ email, password, _csrf: token, next: '/' }).toString(),
    });
    if (res.status !== 303) throw new Error(`login as ${email} failed: ${res.status}`);
  }

  /** One page, timed until its whole body is in; refuses anything but 200. */
  async timed(path: string): Promise<{ ms: number; body: string }> {
    const start = performance.now();
    const res = await this.fetch(path);
    const body = await res.text();
    if (res.status !== 200) throw new Error(`GET ${path}: ${res.status}`);
    return { ms: since(start), body };
  }
}

/** The HTTP service of production (client/http/service.ts) on a free loopback port, over the rig's register. */
async function startService(rig: Rig): Promise<HttpService> {
  const config = {
    ...rig.config,
    http: { ...rig.config.http, host: '127.0.0.1', port: 0 },
    auth: { ...rig.config.auth, path: join(rig.dir, 'auth.db') },
    intake: { ...rig.config.intake, path: join(rig.dir, 'intake.db') },
  };
  const auth = await AuthStore.open(config.auth.path);
  await auth.setPassword(FG, PASSWORD);
  await auth.close();
  return startHttpService({
    config,
    client: rig.client,
    env: { [SESSION_SECRET_ENV]: randomBytes(32).toString('hex'), [ACT_SIGNING_KEY_ENV]: rig.target.actSigningKey },
    log: () => {},
  });
}

/** Register rows of closed breaches, written as the worker's final record writes them. */
async function writeClosed(rig: Rig, n: number): Promise<void> {
  const day = 86_400_000;
  for (let i = 0; i < n; i++) {
    const opened = new Date(Date.now() - (i + 30) * day).toISOString();
    await rig.register.patchBreach(`breach-${randomBytes(10).toString('hex')}`, {
      source: 'bench',
      opened_at: opened,
      aware_at: opened,
      phase: 'closed',
      outcome: i % 3 === 0 ? 'security-incident' : 'breach',
      facts_summary: 'Outgoing email with client records sent to the wrong recipient',
      closed_at: new Date(Date.parse(opened) + 20 * day).toISOString(),
    });
  }
}

/**
 * The FG's dashboard and the register page with N open breaches (started for real, at triage) and 10·N closed
 * ones (rows in the register), each page loaded through the real HTTP service: p95 page time. Baselines: the bare
 * visibility list the dashboard starts from (every breach workflow), and a bare read of the register's rows.
 */
export const pages: Scenario = async (options) => {
  const open = countOf(options, 'open', 1_000);
  const closed = countOf(options, 'closed', 10_000);
  const loads = countOf(options, 'loads', 20);
  const rig = await Rig.start(options.target);
  const p95 = {
    dashboard: { lekdicht: [] as number[], baseline: [] as number[] },
    register: { lekdicht: [] as number[], baseline: [] as number[] },
  };
  const first = { lekdicht: [] as number[], baseline: [] as number[] };
  let shown = 0;
  try {
    await rig.startWorker('lekdicht');
    const ids = await inParallel(Array.from({ length: open }), 20, () => reportToTriage(rig));
    await writeClosed(rig, closed);
    const rows = new Database(rig.config.register.path, { readonly: true });
    const list = async () => {
      const listed: string[] = [];
      for await (const wf of rig.client.workflow.list({ query: `WorkflowType = '${breachWorkflowType}'` }))
        listed.push(wf.workflowId);
      return listed.length;
    };
    const times = async (load: () => Promise<unknown>) => {
      const ms: number[] = [];
      for (let i = 0; i < loads; i++) {
        const start = performance.now();
        await load();
        ms.push(since(start));
      }
      return percentile(ms, 95);
    };
    try {
      for (let rep = 0; rep < options.reps; rep++) {
        // A service of its own each repetition: its first dashboard has nothing cached.
        const service = await startService(rig);
        try {
          const browser = new Browser(service.address);
          await browser.login(FG, PASSWORD);
          await interleaved(
            rep,
            async () => {
              first.lekdicht.push((await browser.timed('/')).ms);
              // Quiet breaches, as most are most of the time: the service asks a breach's workflow at every read
              // for SETTLE_MS after it first saw the breach's change mark (client/http/case-cache.ts).
              await new Promise((resolve) => setTimeout(resolve, options.counts?.settleMs ?? SETTLE_MS));
              p95.dashboard.lekdicht.push(await times(() => browser.timed('/')));
              p95.register.lekdicht.push(await times(() => browser.timed('/register')));
            },
            async () => {
              const start = performance.now();
              await list();
              first.baseline.push(since(start));
              p95.dashboard.baseline.push(await times(list));
              p95.register.baseline.push(await times(async () => rows.prepare('SELECT * FROM breaches').all()));
            },
          );
          options.log(
            `pages rep ${rep + 1}: dashboard first ${first.lekdicht.at(-1)!.toFixed(0)} ms, p95 ${p95.dashboard.lekdicht.at(-1)!.toFixed(0)} ms, register ${p95.register.lekdicht.at(-1)!.toFixed(0)} ms`,
          );
          if (rep === options.reps - 1) {
            const dashboard = (await browser.timed('/')).body;
            shown = ids.filter((id) => dashboard.includes(`/breaches/${id}`)).length;
          }
        } finally {
          await service.stop();
        }
      }
    } finally {
      rows.close();
    }
  } finally {
    await rig.close();
  }
  const detail = { open, closed, loads, shownOnDashboard: shown, reps: options.reps };
  return [
    row({
      scenario: 'pages',
      what: `dashboard, ${open} open and ${closed} closed breaches, p95`,
      unit: 'ms',
      lekdicht: p95.dashboard.lekdicht,
      baseline: p95.dashboard.baseline,
      detail,
    }),
    row({
      scenario: 'pages',
      what: `dashboard, ${open} open, the first load after the service started (every case view asked)`,
      unit: 'ms',
      lekdicht: first.lekdicht,
      baseline: first.baseline,
      detail,
    }),
    row({
      scenario: 'pages',
      what: `register page, ${open + closed} rows, p95`,
      unit: 'ms',
      lekdicht: p95.register.lekdicht,
      baseline: p95.register.baseline,
      detail,
    }),
  ];
};
