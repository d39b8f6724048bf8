import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { request as httpRequest } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, portIsFree } from '../../devstack/ports';

/**
 * `npm start` end to end, as a newcomer meets it: the real script in a child process on free ports and a
 * throwaway data directory, driven with the real CLI.
 */

const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
const HOST = '127.0.0.1';
const START_TIMEOUT_MS = 120_000;
const STOP_TIMEOUT_MS = 20_000;
const run = promisify(execFile);

interface Ports {
  temporal: number;
  ui: number;
  smtp: number;
  mailWeb: number;
  http: number;
}

interface Stack {
  child: ChildProcess;
  output: () => string;
  stderr: () => string;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

let dir: string;
let ports: Ports;
const stacks: Stack[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'lekdicht-start-test-'));
  // A data directory that already exists and is world-readable, as a checkout's data/ often is (issue 11, item 9).
  chmodSync(dir, 0o755);
  mkdirSync(join(dir, 'data'), { mode: 0o755 });
  chmodSync(join(dir, 'data'), 0o755);
  ports = {
    temporal: await freePort(),
    ui: await freePort(),
    smtp: await freePort(),
    mailWeb: await freePort(),
    http: await freePort(),
  };
});

afterAll(async () => {
  // Also after a failed assertion: the whole group, including the Temporal server the script started.
  for (const stack of stacks) {
    if (stack.child.pid !== undefined && groupAlive(stack.child.pid)) {
      try {
        process.kill(-stack.child.pid, 'SIGKILL');
      } catch {
        // Gone in the meantime.
      }
      await stack.exited;
    }
  }
  rmSync(dir, { recursive: true, force: true });
});

/** The developer's shell may point at another server, queue or config; the test wants only its own. */
function baseEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!key.startsWith('TEMPORAL_') && !key.startsWith('LEKDICHT_')) env[key] = value;
  }
  return {
    ...env,
    LEKDICHT_CONFIG: join(REPO_ROOT, 'config/example.yaml'),
    LEKDICHT_SMTP_HOST: HOST,
    LEKDICHT_SMTP_PORT: String(ports.smtp),
    LEKDICHT_REGISTER_PATH: join(dir, 'register.db'),
    LEKDICHT_AUTH_PATH: join(dir, 'auth.db'),
    LEKDICHT_INTAKE_PATH: join(dir, 'intake.db'),
    LEKDICHT_HTTP_PORT: String(ports.http),
  };
}

function startStack(): Stack {
  const env = {
    ...baseEnv(),
    LEKDICHT_DATA_DIR: join(dir, 'data'),
    LEKDICHT_TEMPORAL_PORT: String(ports.temporal),
    LEKDICHT_TEMPORAL_UI_PORT: String(ports.ui),
    LEKDICHT_MAIL_WEB_PORT: String(ports.mailWeb),
  };
  // A process group of its own, so afterAll can take down everything it started, whatever happened.
  // Under the usual umask 022, whatever the test runner's: files are world-readable unless lekdicht says otherwise.
  const child = spawn('/bin/sh', ['-c', 'umask 022 && exec npx tsx devstack/start.ts'], {
    cwd: REPO_ROOT,
    env,
    detached: true,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  let err = '';
  child.stdout?.on('data', (chunk: Buffer) => (out += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (err += chunk.toString()));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  const stack = { child, output: () => out + err, stderr: () => err, exited };
  stacks.push(stack);
  return stack;
}

async function waitForBanner(stack: Stack): Promise<void> {
  const deadline = Date.now() + START_TIMEOUT_MS;
  let exit: unknown;
  void stack.exited.then((info) => (exit = info));
  while (!stack.output().includes('lekdicht is running — Ctrl-C to stop')) {
    if (exit) throw new Error(`npm start exited before it was ready (${JSON.stringify(exit)}):\n${stack.output()}`);
    if (Date.now() > deadline)
      throw new Error(`npm start was not ready within ${START_TIMEOUT_MS / 1000} s:\n${stack.output()}`);
    await sleep(200);
  }
}

async function cli(...args: string[]): Promise<string> {
  // The payload key npm start generated on its first run: the CLI needs it to read what the worker wrote.
  const env = {
    ...baseEnv(),
    TEMPORAL_ADDRESS: `${HOST}:${ports.temporal}`,
    LEKDICHT_CODEC_KEY_FILE: join(dir, 'data', 'dev-secrets', 'lekdicht_codec_keys'),
  };
  const { stdout } = await run('node', ['bin/lekdicht.js', ...args], { cwd: REPO_ROOT, env, timeout: 60_000 });
  return stdout;
}

async function stopWithin(stack: Stack, ms: number): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  const timeout = sleep(ms).then(() => 'timeout' as const);
  const result = await Promise.race([stack.exited, timeout]);
  if (result === 'timeout') throw new Error(`npm start did not stop within ${ms / 1000} s:\n${stack.output()}`);
  return result;
}

function expectNoStackTrace(stack: Stack): void {
  expect(stack.output()).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);
}

async function expectPortsFree(): Promise<void> {
  for (const [name, port] of Object.entries(ports) as [string, number][])
    expect({ name, free: await portIsFree(port) }).toEqual({ name, free: true });
}

describe('npm start', () => {
  let breachId: string;

  it(
    'starts mail catcher, Temporal server and worker, and tells a newcomer where to look',
    async () => {
      const stack = startStack();
      await waitForBanner(stack);
      const out = stack.output();
      expect(out).toContain(`http://${HOST}:${ports.ui}`);
      expect(out).toContain(`http://${HOST}:${ports.mailWeb}`);
      // Not the CLI's default port, so the banner has to tell the CLI where the server is.
      expect(out).toContain(`TEMPORAL_ADDRESS=${HOST}:${ports.temporal}`);
      expect(out).toContain('npx lekdicht signal --file examples/signal-dlp.json');
      expect(out).toContain(join(dir, 'register.db'));
      // The test's own data directory, never the developer's data/.
      expect(existsSync(join(dir, 'data', 'temporal.db'))).toBe(true);

      expect(out).toContain(`Dashboard      http://${HOST}:${ports.http}/`);
      expect(out).toContain('npx lekdicht user set-password fg@voorbeeld.nl');
      // The intake's development secret is generated into the test's data directory, never printed.
      expect(out).toContain(join(dir, 'data', 'dev-secrets', 'lekdicht_intake_dlp_secret'));
      expect(out).not.toContain(readFileSync(join(dir, 'data', 'dev-secrets', 'lekdicht_intake_dlp_secret'), 'utf8'));
      expect((await fetch(`http://${HOST}:${ports.http}/login`)).status).toBe(200);
      expect((await fetch(`http://${HOST}:${ports.ui}/`)).status).toBe(200);
      expect((await fetch(`http://${HOST}:${ports.mailWeb}/`)).status).toBe(200);

      // In an existing 0755 directory, under umask 022: the databases and the caught mail are the owner's only.
      const mode = (path: string) => (statSync(path).mode & 0o777).toString(8);
      for (const db of [join(dir, 'register.db'), join(dir, 'auth.db'), join(dir, 'data', 'temporal.db')]) {
        for (const file of [db, `${db}-wal`, `${db}-shm`].filter((f) => existsSync(f)))
          expect({ file, mode: mode(file) }).toEqual({ file, mode: '600' });
      }
      const mailDirs = readdirSync(join(dir, 'data')).filter((name) => /^mail-\d+$/.test(name));
      expect(mailDirs).toHaveLength(1);
      expect(mode(join(dir, 'data', mailDirs[0]!))).toBe('700');
    },
    START_TIMEOUT_MS + 30_000,
  );

  it('takes a breach reported with the CLI and mails the triage task to the catcher', async () => {
    const stdout = await cli('signal', '--file', 'examples/signal-dlp.json');
    breachId = stdout.trim().split('\n').at(-1) ?? '';
    expect(breachId).toMatch(/^breach-[0-9a-f]{20}$/);

    const deadline = Date.now() + 30_000;
    let subjects: string[] = [];
    while (!subjects.some((s) => s.includes(breachId)) && Date.now() < deadline) {
      await sleep(250);
      const emails = (await (await fetch(`http://${HOST}:${ports.mailWeb}/email`)).json()) as { subject?: string }[];
      subjects = emails.map((e) => e.subject ?? '');
    }
    expect(subjects.find((s) => s.includes(breachId))).toBeDefined();
  });

  it('the mail catcher and the Temporal UI answer no other site: a foreign Host (DNS rebinding) gets 421, a foreign Origin 403', async () => {
    // As a page on evil.example would reach them: by a rebound name (its own Host), or by fetch from its origin.
    const get = (port: number, path: string, headers: Record<string, string>) =>
      new Promise<{ status: number; body: string; cors: string | undefined }>((resolve, reject) => {
        const req = httpRequest({ host: HOST, port, path, headers }, (res) => {
          let body = '';
          res.on('data', (chunk: Buffer) => (body += chunk.toString()));
          res.on('end', () =>
            resolve({ status: res.statusCode ?? 0, body, cors: res.headers['access-control-allow-origin'] }),
          );
        });
        req.on('error', reject);
        req.end();
      });
    for (const [port, path] of [
      [ports.mailWeb, '/email'],
      [ports.ui, '/api/v1/namespaces/default/workflows'],
    ] as const) {
      const own = await get(port, path, { host: `${HOST}:${port}` });
      expect(own.status, `${path} on its own address`).toBe(200);
      const rebound = await get(port, path, { host: `evil.example:${port}` });
      expect(rebound.status, `${path} for evil.example`).toBe(421);
      expect(rebound.body).not.toContain(breachId);
      const foreign = await get(port, path, { host: `${HOST}:${port}`, origin: 'https://evil.example' });
      expect(foreign.status, `${path} from a page of evil.example`).toBe(403);
      expect(foreign.cors).toBeUndefined();
      expect(foreign.body).not.toContain(breachId);
    }
  });

  it("refuses writes through the Temporal UI's HTTP API (terminate, signal, update): the UI is read-only, the breach runs on", async () => {
    const ui = `http://${HOST}:${ports.ui}`;
    // As curl or a script would do it: the UI's CSRF cookie first, then each write with it, no login needed.
    const page = await fetch(`${ui}/`);
    expect(page.status).toBe(200);
    const csrf = /_csrf=([^;]+)/.exec(page.headers.get('set-cookie') ?? '')?.[1] ?? '';
    const headers = { 'content-type': 'application/json', cookie: `_csrf=${csrf}`, 'x-csrf-token': csrf };
    const workflow = `${ui}/api/v1/namespaces/default/workflows/${breachId}`;
    const forged = {
      taskId: 'triage',
      actor: 'fg@example.org',
      answer: { isPersonalDataBreach: false, reasoning: 'forged through the UI' },
    };
    const writes: [string, unknown][] = [
      ['terminate', { reason: 'forged through the UI' }],
      [
        'signal/completeTaskAsync',
        {
          input: {
            payloads: [
              {
                metadata: { encoding: 'anNvbi9wbGFpbg==' },
                data: Buffer.from(JSON.stringify(forged)).toString('base64'),
              },
            ],
          },
        },
      ],
      [
        'update/completeTask',
        {
          request: {
            input: {
              name: 'completeTask',
              args: {
                payloads: [
                  {
                    metadata: { encoding: 'anNvbi9wbGFpbg==' },
                    data: Buffer.from(JSON.stringify(forged)).toString('base64'),
                  },
                ],
              },
            },
          },
        },
      ],
    ];
    for (const [route, body] of writes) {
      const res = await fetch(`${workflow}/${route}`, { method: 'POST', headers, body: JSON.stringify(body) });
      expect(res.status, `${route}: ${await res.text()}`).toBe(403);
    }
    // The UI itself is told, so it offers no write buttons; reads still work.
    const settings = (await (await fetch(`${ui}/api/v1/settings`)).json()) as { DisableWriteActions?: boolean };
    expect(settings.DisableWriteActions).toBe(true);
    const described = (await (await fetch(workflow)).json()) as { workflowExecutionInfo?: { status?: string } };
    expect(described.workflowExecutionInfo?.status).toBe('WORKFLOW_EXECUTION_STATUS_RUNNING');
    const view = JSON.parse(await cli('show', breachId, '--json')) as {
      phase?: string;
      tasks?: { id: string; status: string }[];
    };
    expect(view.tasks?.find((t) => t.id === 'triage')?.status).toBe('open');
  });

  it(
    'stops on SIGINT in order — worker, Temporal server, mail catcher — exits 0 and frees its ports',
    async () => {
      const stack = stacks.at(-1)!;
      // The script's own process: npm and sh in between do not pass SIGINT on to it, only a terminal reaches it.
      process.kill(scriptPid(stack.child.pid!), 'SIGINT');
      const exit = await stopWithin(stack, STOP_TIMEOUT_MS);
      expect(exit, stack.output()).toEqual({ code: 0, signal: null });

      const out = stack.output();
      const order = [
        'lekdicht: worker stopped',
        'lekdicht: Temporal dev server stopped',
        'lekdicht: mail catcher stopped',
      ].map((line) => out.indexOf(line));
      expect(
        order.every((i) => i >= 0),
        out,
      ).toBe(true);
      expect([...order].sort((a, b) => a - b)).toEqual(order);
      expectNoStackTrace(stack);
      expect(livingGroupMembers(stack.child.pid!)).toEqual([]);
      await expectPortsFree();
    },
    STOP_TIMEOUT_MS + 10_000,
  );

  it(
    'still has the breach after a restart on the same data directory',
    async () => {
      const stack = startStack();
      await waitForBanner(stack);
      const view = JSON.parse(await cli('show', breachId, '--json')) as { breachId?: string; phase?: string };
      expect(view.phase).toBe('triage');
    },
    START_TIMEOUT_MS + 30_000,
  );

  it(
    'stops on a terminal Ctrl-C (SIGINT to the whole process group) without hanging or a stack trace',
    async () => {
      const stack = stacks.at(-1)!;
      // The Temporal server gets this SIGINT at the same moment as the script, as it would in a terminal.
      process.kill(-stack.child.pid!, 'SIGINT');
      const exit = await stopWithin(stack, STOP_TIMEOUT_MS);
      // npm re-raises a SIGINT it received on itself once its script is done; the script itself stopped cleanly.
      expect(exit.code === 0 || exit.signal === 'SIGINT', `${JSON.stringify(exit)}\n${stack.output()}`).toBe(true);
      expect(stack.output()).toMatch(/lekdicht: stopped in \d+\.\d s/);
      // Whatever the worker says while its server disappears, it says in single lines of its own.
      for (const line of stack.stderr().split('\n').filter(Boolean)) expect(line).toMatch(/^lekdicht: /);
      expectNoStackTrace(stack);
      expect(livingGroupMembers(stack.child.pid!)).toEqual([]);
      await expectPortsFree();
    },
    STOP_TIMEOUT_MS + 10_000,
  );
});

// ---- processes and ports -------------------------------------------------------------------------------------

function stat(pid: number): { ppid: number; pgid: number; state: string } | undefined {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name in parentheses may itself contain spaces.
    const fields = text.slice(text.lastIndexOf(')') + 2).split(' ');
    return { state: fields[0] ?? '', ppid: Number(fields[1]), pgid: Number(fields[2]) };
  } catch {
    return undefined;
  }
}

function allPids(): number[] {
  return readdirSync('/proc')
    .filter((name) => /^\d+$/.test(name))
    .map(Number);
}

/** Processes still running in the group; zombies are dead, merely unreaped by a container's init. */
function livingGroupMembers(pgid: number): number[] {
  return allPids().filter((pid) => {
    const info = stat(pid);
    return info !== undefined && info.pgid === pgid && info.state !== 'Z';
  });
}

function groupAlive(pgid: number): boolean {
  return livingGroupMembers(pgid).length > 0;
}

/** The node process that runs devstack/start.ts: the deepest descendant whose command line names it. */
function scriptPid(rootPid: number): number {
  const pids = allPids();
  const cmdline = (pid: number) => {
    try {
      return readFileSync(`/proc/${pid}/cmdline`, 'utf8');
    } catch {
      return '';
    }
  };
  let current = rootPid;
  for (;;) {
    const next = pids.find((pid) => stat(pid)?.ppid === current && cmdline(pid).includes('devstack/start.ts'));
    if (next === undefined) return current;
    current = next;
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
