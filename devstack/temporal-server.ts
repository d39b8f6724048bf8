import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import {
  accessSync,
  chmodSync,
  closeSync,
  constants,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  readFileSync,
  renameSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Connection } from '@temporalio/client';
import { encodeSearchAttributeIndexedValueType } from '@temporalio/common/lib/search-attributes';
import { SEARCH_ATTRIBUTES } from '../domain/search-attributes';
import { endpointFromEnv, type TemporalConnectionOptions } from '../config/temporal';
import { canConnect, freePort, portIsFree } from './ports';
import { startUiGate, type UiGate } from './ui-gate';
import { PRIVATE_FILE_MODE } from '../register/private-files';

export interface TemporalTarget {
  address: string;
  namespace: string;
  /** options for Connection.connect (client) and NativeConnection.connect (worker): address, tls, apiKey, metadata */
  connectionOptions: TemporalConnectionOptions;
  uiUrl?: string;
  embedded: boolean;
  /** Stops an embedded server (SIGTERM, then SIGKILL after a grace period); no-op for an external one. Idempotent. */
  stop(): Promise<void>;
}

export interface ProvisionOptions {
  env?: NodeJS.ProcessEnv;
  /** Default <repo root>/data; holds temporal.db, temporal.pid and temporal.log. */
  dataDir?: string;
  /** Default <dataDir>/temporal.db; null = in memory (tests). */
  dbFile?: string | null;
  /** gRPC port, default 7233; 0 = a free port. */
  port?: number;
  /** Default 8233; 0 = a free port; null = headless. */
  uiPort?: number | null;
  namespace?: string;
  /**
   * The UI's remote codec endpoint (lekdicht's /codec), so it shows decrypted payloads to a logged-in person.
   * The dev server's UI does not send cookies to it by default (see docs/security.md).
   */
  uiCodecEndpoint?: string;
  /** Progress lines (never personal data). */
  log?: (line: string) => void;
}

/** Pinned in scripts/install-temporal-cli too: later tags carry a `replace` directive that `go install` refuses. */
export const TEMPORAL_CLI_MODULE = 'github.com/temporalio/cli/cmd/temporal@v1.5.1';

const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));
const HOST = '127.0.0.1';
const READY_TIMEOUT_MS = 60_000;
const STOP_GRACE_MS = 10_000;
const EXE = process.platform === 'win32' ? 'temporal.exe' : 'temporal';

type CliSource = 'TEMPORAL_CLI_PATH' | 'PATH' | 'GOPATH';

/** Where the Temporal CLI lives: TEMPORAL_CLI_PATH, then PATH, then Go's bin directory (GOBIN, GOPATH, ~/go). */
export function findTemporalCli(env: NodeJS.ProcessEnv = process.env): string | undefined {
  return locateTemporalCli(env)?.path;
}

function locateTemporalCli(env: NodeJS.ProcessEnv): { path: string; source: CliSource } | undefined {
  if (env.TEMPORAL_CLI_PATH && isExecutable(env.TEMPORAL_CLI_PATH))
    return { path: env.TEMPORAL_CLI_PATH, source: 'TEMPORAL_CLI_PATH' };
  const onPath = searchPath(EXE, env);
  if (onPath) return { path: onPath, source: 'PATH' };
  for (const dir of goBinDirs(env)) {
    const candidate = join(dir, EXE);
    if (isExecutable(candidate)) return { path: candidate, source: 'GOPATH' };
  }
  return undefined;
}

function isExecutable(file: string): boolean {
  try {
    if (!statSync(file).isFile()) return false;
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
}

function searchPath(name: string, env: NodeJS.ProcessEnv): string | undefined {
  for (const dir of (env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, name);
    if (isExecutable(candidate)) return candidate;
  }
  return undefined;
}

function goBinDirs(env: NodeJS.ProcessEnv): string[] {
  const dirs: string[] = [];
  const go = searchPath(process.platform === 'win32' ? 'go.exe' : 'go', env);
  if (go) {
    try {
      // `go install` writes to GOBIN when set, else to the first GOPATH entry's bin.
      const [gobin = '', gopath = ''] = execFileSync(go, ['env', 'GOBIN', 'GOPATH'], {
        env,
        encoding: 'utf8',
        timeout: 10_000,
        stdio: ['ignore', 'pipe', 'ignore'],
      }).split(/\r?\n/);
      if (gobin.trim()) dirs.push(gobin.trim());
      for (const entry of gopath.trim().split(delimiter)) if (entry) dirs.push(join(entry, 'bin'));
    } catch {
      // A broken Go toolchain must not stop the search; ~/go/bin below is Go's default anyway.
    }
  }
  dirs.push(join(env.HOME ?? homedir(), 'go', 'bin'));
  return [...new Set(dirs)];
}

/**
 * The Temporal server lekdicht talks to. With TEMPORAL_ADDRESS the Temporal env-config conventions apply
 * (TEMPORAL_NAMESPACE, TEMPORAL_API_KEY, TEMPORAL_TLS*, TEMPORAL_PROFILE, config file) and nothing is started;
 * otherwise an embedded dev server is started with lekdicht's search attributes registered.
 */
export async function provisionTemporal(opts: ProvisionOptions = {}): Promise<TemporalTarget> {
  const env = opts.env ?? process.env;
  const log = opts.log ?? (() => {});
  if (env.TEMPORAL_ADDRESS) return externalTarget(env, opts.namespace, log);

  const namespace = opts.namespace ?? 'default';
  const dataDir = opts.dataDir ?? join(REPO_ROOT, 'data');
  mkdirSync(dataDir, { recursive: true });
  const dbFile = opts.dbFile === undefined ? join(dataDir, 'temporal.db') : opts.dbFile;
  if (dbFile) mkdirSync(dirname(dbFile), { recursive: true });

  if (env.TEMPORAL_CLI_PATH && !isExecutable(env.TEMPORAL_CLI_PATH)) {
    log(
      `TEMPORAL_CLI_PATH=${env.TEMPORAL_CLI_PATH} is not an executable file; looking on PATH and in Go's bin directory instead`,
    );
  }
  const cli = locateTemporalCli(env);
  if (cli) log(`Temporal CLI: ${cli.path} (found via ${cli.source})`);
  else
    log(
      'no Temporal CLI found (TEMPORAL_CLI_PATH, PATH, Go bin); letting the Temporal SDK download one (needs internet)',
    );

  // Before the port checks: a stale server of ours is what usually holds 7233 after a crash.
  await replaceStaleServer(join(dataDir, 'temporal.pid'), log);

  const port =
    opts.port === undefined ? 7233 : opts.port === 0 ? await freePort() : await requireFreePort(opts.port, 'gRPC');
  const uiRequested = opts.uiPort === undefined ? 8233 : opts.uiPort;
  const uiPort =
    uiRequested === null ? null : uiRequested === 0 ? await freePort() : await requireFreePort(uiRequested, 'UI');
  // The dev server would pick these itself, but between its check and its bind another server could take them.
  const httpPort = await freePort();
  const metricsPort = await freePort();

  // The dev server's own UI has write actions on and no login: it gets an unadvertised loopback port, and a
  // read-only gate takes the UI port people open (devstack/ui-gate.ts says why).
  const innerUiPort = uiPort === null ? null : await freePort();
  const base = {
    namespace,
    dbFile,
    port,
    uiPort: innerUiPort,
    httpPort,
    metricsPort,
    env,
    log,
    uiCodecEndpoint: opts.uiCodecEndpoint,
  };
  const target = await (cli ? startCliServer({ ...base, cli: cli.path, dataDir }) : startDownloadedServer(base));
  if (uiPort === null || innerUiPort === null) return target;
  let gate: UiGate;
  try {
    gate = await startUiGate(HOST, uiPort, HOST, innerUiPort);
  } catch (err) {
    await target.stop();
    throw err;
  }
  log(`Temporal UI (read-only: write actions are refused) at ${gate.url}`);
  return {
    ...target,
    uiUrl: gate.url,
    stop: async () => {
      await gate.close();
      await target.stop();
    },
  };
}

function externalTarget(
  env: NodeJS.ProcessEnv,
  fallbackNamespace: string | undefined,
  log: (line: string) => void,
): TemporalTarget {
  const { connectionOptions, namespace } = endpointFromEnv(env, fallbackNamespace);
  const address = connectionOptions.address ?? env.TEMPORAL_ADDRESS ?? '';
  log(
    `using the Temporal server at ${address} (namespace ${namespace}${connectionOptions.tls ? ', TLS' : ''}) from TEMPORAL_ADDRESS`,
  );
  return { address, namespace, connectionOptions, embedded: false, stop: async () => {} };
}

interface ServerPlan {
  namespace: string;
  dbFile: string | null;
  port: number;
  uiPort: number | null;
  httpPort: number;
  metricsPort: number;
  uiCodecEndpoint: string | undefined;
  env: NodeJS.ProcessEnv;
  log: (line: string) => void;
}

function codecArgs(plan: Pick<ServerPlan, 'uiPort' | 'uiCodecEndpoint'>): string[] {
  return plan.uiPort !== null && plan.uiCodecEndpoint ? ['--ui-codec-endpoint', plan.uiCodecEndpoint] : [];
}

function searchAttributeArgs(): string[] {
  return Object.entries(SEARCH_ATTRIBUTES).flatMap(([name, type]) => ['--search-attribute', `${name}=${type}`]);
}

async function startCliServer(plan: ServerPlan & { cli: string; dataDir: string }): Promise<TemporalTarget> {
  const { cli, dataDir, dbFile, namespace, port, uiPort, log } = plan;
  const address = `${HOST}:${port}`;
  const args = [
    'server',
    'start-dev',
    '--ip',
    HOST,
    '--port',
    String(port),
    '--namespace',
    namespace,
    '--http-port',
    String(plan.httpPort),
    '--metrics-port',
    String(plan.metricsPort),
    '--log-level',
    'warn',
    ...(dbFile ? ['--db-filename', dbFile] : []),
    ...(uiPort === null ? ['--headless'] : ['--ui-port', String(uiPort)]),
    ...codecArgs(plan),
    ...searchAttributeArgs(),
  ];

  // A persistent server logs next to its data (kept across runs, one generation back); a throwaway one to a temp file.
  let logFile: string;
  let tempLogDir: string | undefined;
  if (dbFile) {
    logFile = join(dataDir, 'temporal.log');
    if (existsSync(logFile)) renameSync(logFile, `${logFile}.1`);
  } else {
    tempLogDir = mkdtempSync(join(tmpdir(), 'lekdicht-temporal-log-'));
    logFile = join(tempLogDir, 'temporal.log');
  }
  const logFd = openSync(logFile, 'w', PRIVATE_FILE_MODE);
  const pidFile = join(dataDir, 'temporal.pid');
  // Files of an earlier run (before they were made private) become the owner's only as well.
  if (dbFile) tightenDatabaseFiles(dbFile);

  const started = Date.now();
  let child: ChildProcess;
  try {
    // A process group of its own: a terminal Ctrl-C reaches lekdicht only, which stops the worker first and the
    // server after, so a workflow task in flight can still be completed. stop() and the exit hook end it.
    // Through a shell that sets umask 077 and then becomes the server (exec: same pid): every file the server
    // creates (temporal.db and its -wal and -shm) is the owner's only, whatever the data directory's mode. The
    // file cannot be made beforehand: the dev server takes an existing file for a database that is set up.
    child = spawn('/bin/sh', ['-c', 'umask 077 && exec "$0" "$@"', cli, ...args], {
      stdio: ['ignore', logFd, logFd],
      env: plan.env,
      detached: true,
    });
  } finally {
    // The child holds its own copy of the descriptor.
    closeSync(logFd);
  }
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; error?: Error }>((resolve) => {
    child.once('error', (error) => resolve({ code: null, signal: null, error }));
    child.once('exit', (code, signal) => resolve({ code, signal }));
  });
  let dead = false;
  void exited.then(() => (dead = true));

  // Last resort when the owner exits without stop(); SIGTERM lets SQLite close cleanly after we are gone.
  const onExit = () => {
    if (!dead) child.kill('SIGTERM');
  };
  process.on('exit', onExit);

  if (child.pid !== undefined && dbFile)
    writeFileSync(pidFile, `${child.pid}\n${process.pid}\n`, { mode: PRIVATE_FILE_MODE });
  log(
    `starting Temporal dev server on ${address} (${dbFile ? `data in ${dbFile}` : 'in memory'}, ${uiPort === null ? 'no UI' : `UI on port ${uiPort}`}, log ${logFile})`,
  );

  let stopping: Promise<void> | undefined;
  const stop = (): Promise<void> => {
    stopping ??= (async () => {
      if (!dead) {
        child.kill('SIGTERM');
        const timer = setTimeout(() => {
          if (!dead) {
            log(`Temporal dev server did not stop within ${STOP_GRACE_MS / 1000} s; killing it`);
            child.kill('SIGKILL');
          }
        }, STOP_GRACE_MS);
        await exited;
        clearTimeout(timer);
      }
      process.removeListener('exit', onExit);
      if (dbFile && child.pid !== undefined && readPidFile(pidFile)?.serverPid === child.pid)
        rmSync(pidFile, { force: true });
      if (tempLogDir) rmSync(tempLogDir, { recursive: true, force: true });
      log('Temporal dev server stopped');
    })();
    return stopping;
  };

  try {
    await waitUntilReady(address, namespace, exited, logFile);
    await ensureSearchAttributes(address, namespace, log);
  } catch (err) {
    // Keep the throwaway log: the error message points at it.
    tempLogDir = undefined;
    await stop();
    throw err;
  }
  const uiUrl = uiPort === null ? undefined : `http://${HOST}:${uiPort}`;
  log(
    `Temporal dev server ready on ${address} after ${((Date.now() - started) / 1000).toFixed(1)} s${uiUrl ? `; UI at ${uiUrl}` : ''}`,
  );
  return { address, namespace, connectionOptions: { address }, ...(uiUrl ? { uiUrl } : {}), embedded: true, stop };
}

type ExitInfo = { code: number | null; signal: NodeJS.Signals | null; error?: Error };

/** Ready = the frontend answers and the namespace can be described (the dev server creates it just after binding). */
async function waitUntilReady(
  address: string,
  namespace: string,
  exited: Promise<ExitInfo>,
  logFile: string,
): Promise<void> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  let exit: ExitInfo | undefined;
  void exited.then((info) => (exit = info));
  let lastError = 'no answer yet';
  const [host = HOST, portText = ''] = address.split(':');
  while (Date.now() < deadline) {
    if (exit) {
      const how = exit.error
        ? `could not be started: ${exit.error.message}`
        : `exited (${exit.signal ?? `code ${exit.code}`}) before it was ready`;
      throw new Error(`Temporal dev server ${how}. Log ${logFile}:\n${tailOf(logFile)}`);
    }
    // A plain TCP probe first: gRPC connects back off between attempts, which would add seconds to each start.
    if (await canConnect(host, Number(portText))) {
      let connection: Connection | undefined;
      try {
        connection = await Connection.connect({ address, connectTimeout: 2_000 });
        await connection.healthService.check({});
        await connection.workflowService.describeNamespace({ namespace });
        return;
      } catch (err) {
        lastError = (err as Error).message;
      } finally {
        await connection?.close().catch(() => {});
      }
    }
    await sleep(100);
  }
  throw new Error(
    `Temporal dev server on ${address} was not ready within ${READY_TIMEOUT_MS / 1000} s (last error: ${lastError}). Log ${logFile}:\n${tailOf(logFile)}`,
  );
}

/**
 * The dev server registers search attributes only when it creates the namespace, so a temporal.db from an
 * earlier version of lekdicht lacks the newer ones: add what is missing.
 */
async function ensureSearchAttributes(address: string, namespace: string, log: (line: string) => void): Promise<void> {
  const connection = await Connection.connect({ address });
  try {
    const { customAttributes } = await connection.operatorService.listSearchAttributes({ namespace });
    const missing: Record<string, number> = {};
    for (const [name, type] of Object.entries(SEARCH_ATTRIBUTES)) {
      const wanted = encodeSearchAttributeIndexedValueType(toSdkType(type));
      const have = customAttributes?.[name];
      if (have === undefined || have === null) missing[name] = wanted as number;
      else if (have !== wanted) {
        throw new Error(
          `search attribute ${name} is registered with another type than ${type} on the embedded Temporal server; ` +
            'its database predates this version of lekdicht (move data/temporal.db aside to start afresh)',
        );
      }
    }
    if (Object.keys(missing).length > 0) {
      log(`registering search attributes ${Object.keys(missing).join(', ')}`);
      await connection.operatorService.addSearchAttributes({ namespace, searchAttributes: missing });
    }
  } finally {
    await connection.close();
  }
}

function toSdkType(type: string): 'TEXT' | 'KEYWORD' | 'INT' | 'DOUBLE' | 'BOOL' | 'DATETIME' | 'KEYWORD_LIST' {
  return type.replace(/([a-z])([A-Z])/g, '$1_$2').toUpperCase() as ReturnType<typeof toSdkType>;
}

/** temporal.db and its -wal and -shm: the owner's only (0600), like the register and the auth database. */
function tightenDatabaseFiles(dbFile: string): void {
  for (const file of [dbFile, `${dbFile}-wal`, `${dbFile}-shm`, `${dbFile}-journal`]) {
    if (existsSync(file)) chmodSync(file, PRIVATE_FILE_MODE);
  }
}

/** Fallback without a local CLI: the SDK downloads and caches one (needs internet) and owns the process. */
async function startDownloadedServer(plan: ServerPlan): Promise<TemporalTarget> {
  const { namespace, dbFile, port, uiPort, log } = plan;
  const [{ TestWorkflowEnvironment }, { defineSearchAttributeKey }] = await Promise.all([
    import('@temporalio/testing'),
    import('@temporalio/common'),
  ]);
  let testEnv: Awaited<ReturnType<typeof TestWorkflowEnvironment.createLocal>>;
  try {
    testEnv = await TestWorkflowEnvironment.createLocal({
      server: {
        executable: { type: 'cached-download' },
        ip: HOST,
        port,
        ...(dbFile ? { dbFilename: dbFile } : {}),
        ui: uiPort !== null,
        ...(uiPort !== null ? { uiPort } : {}),
        namespace,
        log: { format: 'pretty', level: 'warn' },
        searchAttributes: Object.entries(SEARCH_ATTRIBUTES).map(([name, type]) =>
          defineSearchAttributeKey(name, toSdkType(type)),
        ),
        extraArgs: [
          '--http-port',
          String(plan.httpPort),
          '--metrics-port',
          String(plan.metricsPort),
          ...codecArgs(plan),
        ],
      },
    });
  } catch (err) {
    throw new Error(
      `no Temporal CLI found and the Temporal SDK could not download one (${(err as Error).message}). ` +
        'Run scripts/install-temporal-cli, set TEMPORAL_CLI_PATH to a temporal binary, or set TEMPORAL_ADDRESS to use a running server.',
    );
  }
  const address = testEnv.address;
  // The SDK starts the downloaded server with our umask: make its files private once they exist.
  if (dbFile) tightenDatabaseFiles(dbFile);
  try {
    await ensureSearchAttributes(address, namespace, log);
  } catch (err) {
    await testEnv.teardown();
    throw err;
  }
  let stopping: Promise<void> | undefined;
  const uiUrl = uiPort === null ? undefined : `http://${HOST}:${uiPort}`;
  log(`Temporal dev server (SDK download) ready on ${address}${uiUrl ? `; UI at ${uiUrl}` : ''}`);
  return {
    address,
    namespace,
    connectionOptions: { address },
    ...(uiUrl ? { uiUrl } : {}),
    embedded: true,
    stop: () => (stopping ??= testEnv.teardown()),
  };
}

// ---- stale servers -------------------------------------------------------------------------------------------

/** temporal.pid: the server's pid, then the pid of the process that started it. */
function readPidFile(pidFile: string): { serverPid: number; ownerPid: number | undefined } | undefined {
  let text: string;
  try {
    text = readFileSync(pidFile, 'utf8');
  } catch {
    return undefined;
  }
  const [server, owner] = text.split(/\s+/).map(Number);
  if (!server || !Number.isInteger(server) || server <= 0) return undefined;
  return { serverPid: server, ownerPid: owner && Number.isInteger(owner) ? owner : undefined };
}

/**
 * A server whose owner died (SIGKILL, crash, closed terminal without SIGHUP) keeps its port and database;
 * it is terminated so the new run can start. One still owned by another live process is a second lekdicht
 * on the same data directory: that is refused rather than pulling the server from under it.
 */
async function replaceStaleServer(pidFile: string, log: (line: string) => void): Promise<void> {
  const recorded = readPidFile(pidFile);
  if (!recorded) return;
  const { serverPid, ownerPid } = recorded;
  const proc = readProcess(serverPid);
  if (!proc || proc.state === 'Z' || !isTemporalDevServer(proc.cmdline)) {
    // The pid is gone or now belongs to an unrelated process: nothing of ours is running.
    rmSync(pidFile, { force: true });
    return;
  }
  if (ownerPid !== undefined && ownerPid !== process.pid && proc.ppid === ownerPid) {
    throw new Error(
      `the Temporal dev server for ${dirname(pidFile)} (pid ${serverPid}) is in use by another running process (pid ${ownerPid}). ` +
        'Stop that process first, or point this one at the running server with TEMPORAL_ADDRESS.',
    );
  }
  log(`stopping a stale Temporal dev server from an earlier run (pid ${serverPid})`);
  await terminate(serverPid);
  rmSync(pidFile, { force: true });
}

function isTemporalDevServer(cmdline: string[]): boolean {
  const exe = cmdline[0] ?? '';
  return /(^|[/\\])temporal(\.exe)?$/.test(exe) && cmdline.includes('server') && cmdline.includes('start-dev');
}

interface ProcessInfo {
  cmdline: string[];
  ppid: number | undefined;
  state: string | undefined;
}

function readProcess(pid: number): ProcessInfo | undefined {
  try {
    process.kill(pid, 0);
  } catch (err) {
    // EPERM: alive but someone else's, so certainly not a server we started.
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return undefined;
    return { cmdline: [], ppid: undefined, state: undefined };
  }
  try {
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').filter(Boolean);
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name in parentheses may itself contain spaces and parentheses.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { cmdline, state: fields[0], ppid: Number(fields[1]) };
  } catch {
    // No /proc (macOS): ask ps. Arguments with spaces are split, which the start-dev check tolerates.
    try {
      const out = execFileSync('ps', ['-o', 'ppid=,stat=,command=', '-p', String(pid)], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
      }).trim();
      const [ppid, state, ...cmdline] = out.split(/\s+/);
      return { cmdline, ppid: Number(ppid), state: state?.[0] };
    } catch {
      return undefined;
    }
  }
}

function isRunning(pid: number): boolean {
  const proc = readProcess(pid);
  return proc !== undefined && proc.state !== 'Z';
}

async function terminate(pid: number): Promise<void> {
  const signal = (sig: NodeJS.Signals) => {
    try {
      process.kill(pid, sig);
    } catch {
      // Already gone.
    }
  };
  signal('SIGTERM');
  const deadline = Date.now() + STOP_GRACE_MS;
  while (isRunning(pid) && Date.now() < deadline) await sleep(100);
  if (isRunning(pid)) {
    signal('SIGKILL');
    const killDeadline = Date.now() + 5_000;
    while (isRunning(pid) && Date.now() < killDeadline) await sleep(50);
    if (isRunning(pid)) throw new Error(`could not stop the stale Temporal dev server (pid ${pid}); stop it by hand`);
  }
}

// ---- ports ---------------------------------------------------------------------------------------------------

async function requireFreePort(port: number, what: 'gRPC' | 'UI'): Promise<number> {
  if (!(await portIsFree(port, HOST))) {
    throw new Error(
      `port ${port} (Temporal ${what}) on ${HOST} is already in use by another program, so the embedded Temporal server cannot start. ` +
        `Free port ${port}, or set TEMPORAL_ADDRESS=host:port to use a Temporal server that is already running.`,
    );
  }
  return port;
}

// ---- helpers -------------------------------------------------------------------------------------------------

function tailOf(file: string, lines = 30): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-lines).join('\n') || '(empty)';
  } catch {
    return '(no log)';
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
