/**
 * The Temporal server of `npm start` and the tests: the one TEMPORAL_ADDRESS names, or an embedded dev server
 * (the Temporal CLI's, or the SDK's download) with lekdicht's namespace and search attributes. One file (~360
 * lines): the plan, the start and the stop of a server share their ports, files and process; finding the CLI,
 * waiting until ready and replacing a stale server live beside it.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import {
  chmodSync,
  closeSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  openSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { SEARCH_ATTRIBUTES } from '../domain/search-attributes';
import { endpointFromEnv, type TemporalConnectionOptions } from '../config/temporal';
import { freePort, LOOPBACK as HOST, portIsFree } from './ports';
import { startUiGate, type UiGate } from './ui-gate';
import { isExecutable, locateTemporalCli } from './temporal-cli';
import { ensureSearchAttributes, toSdkType, waitUntilReady } from './server-ready';
import { readPidFile, replaceStaleServer, STOP_GRACE_MS } from './server-processes';
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

const REPO_ROOT = fileURLToPath(new URL('..', import.meta.url));

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
