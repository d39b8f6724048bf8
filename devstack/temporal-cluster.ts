/**
 * The production-shaped stack: the real Temporal server (not the dev server) on PostgreSQL, with SQL visibility,
 * the `default` namespace and lekdicht's search attributes, plus a `lekdicht` database for the register. For
 * `npm run test:production` and `npm run stack:production -- up|down`. The binaries come from
 * scripts/install-temporal-server.
 *
 * The server runs all four services (frontend, history, matching, worker) in one process on loopback, with free
 * ports; the membership ports stay at or below 32767 because the server stores them in a SMALLINT column
 * (cluster_membership.rpc_port).
 */
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Connection } from '@temporalio/client';
import { msToTs } from '@temporalio/common/lib/time';
import { stringify as toYaml } from 'yaml';
import { LOOPBACK, canConnect, freePort, portIsFree } from './ports';
import { startPostgres, stopPostgresAt, POSTGRES_USER, type Postgres } from './postgres';
import { ensureSearchAttributes, sleep, tailOf } from './server-ready';
import { SEARCH_ATTRIBUTES } from '../domain/search-attributes';

/** Keep in step with VERSION in scripts/install-temporal-server. */
export const TEMPORAL_SERVER_VERSION = 'v1.29.1';
/** The database lekdicht's own stores can use (the register on PostgreSQL). */
export const LEKDICHT_DATABASE = 'lekdicht';
const TEMPORAL_DATABASE = 'temporal';
const VISIBILITY_DATABASE = 'temporal_visibility';
const READY_TIMEOUT_MS = 90_000;
const STOP_GRACE_MS = 15_000;
/** How long closed workflows stay on the server; the register is the lasting record. */
const RETENTION_DAYS = 3;

export interface TemporalCluster {
  /** host:port of the frontend: TEMPORAL_ADDRESS. */
  address: string;
  namespace: string;
  postgres: Pick<Postgres, 'host' | 'port' | 'url' | 'createDatabase'>;
  /** postgres://…/lekdicht */
  databaseUrl: string;
  /** The server's config, log and cluster.json. */
  dir: string;
  /** Stops the server (SIGTERM, SIGKILL after a grace period) and PostgreSQL, and removes the stack's files. Idempotent. */
  stop(): Promise<void>;
}

export interface ClusterOptions {
  /** Where the server's config and log go; default a new temp dir. */
  dir?: string;
  /** Default `default`. */
  namespace?: string;
  /**
   * Leave the server and PostgreSQL running when this process exits (`stack:production up`); stop them later with
   * stopTemporalClusterAt(dir). Default false: they die with this process.
   */
  detached?: boolean;
  log?: (line: string) => void;
}

/** What cluster.json records, so another process can stop the stack. */
interface ClusterState {
  serverPid: number;
  postgresDir: string;
  address: string;
  namespace: string;
  databaseUrl: string;
}

/** Where scripts/install-temporal-server puts `server`, `sql` and `schema/`. */
export function temporalServerDir(env: NodeJS.ProcessEnv = process.env): string {
  return (
    env.LEKDICHT_TEMPORAL_SERVER_DIR ??
    join(env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'lekdicht', `temporal-server-${TEMPORAL_SERVER_VERSION}`)
  );
}

export async function startTemporalCluster(options: ClusterOptions = {}): Promise<TemporalCluster> {
  const log = options.log ?? (() => {});
  const namespace = options.namespace ?? 'default';
  const bin = temporalServerDir();
  const schema = join(bin, 'schema', 'postgresql', 'v12');
  for (const needed of [join(bin, 'server'), join(bin, 'sql'), join(schema, 'visibility', 'versioned')]) {
    if (!existsSync(needed))
      throw new Error(
        `${needed} is missing: run scripts/install-temporal-server (builds Temporal ${TEMPORAL_SERVER_VERSION})`,
      );
  }
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'lekdicht-cluster-'));
  mkdirSync(dir, { recursive: true });
  const started = Date.now();

  const postgres = await startPostgres({ detached: options.detached ?? false });
  log(`PostgreSQL on ${postgres.host}:${postgres.port} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  let server: ChildProcess | undefined;
  try {
    await prepareDatabases(bin, schema, postgres);
    await postgres.createDatabase(LEKDICHT_DATABASE);
    log(`schemas ready (${((Date.now() - started) / 1000).toFixed(1)} s)`);

    const ports = await serverPorts();
    const configDir = join(dir, 'config');
    mkdirSync(configDir, { recursive: true });
    writeFileSync(join(configDir, 'lekdicht.yaml'), toYaml(serverConfig(postgres, ports)));
    const logFile = join(dir, 'temporal-server.log');
    const logFd = openSync(logFile, 'w', 0o600);
    try {
      // A process group of its own: a Ctrl-C in the terminal reaches the owner, which stops the server in order.
      // --config is relative to --root.
      server = spawn(
        join(bin, 'server'),
        ['--root', dir, '--config', 'config', '--env', 'lekdicht', '--allow-no-auth', 'start'],
        { cwd: dir, stdio: ['ignore', logFd, logFd], detached: true },
      );
    } finally {
      closeSync(logFd);
    }
    const address = `${LOOPBACK}:${ports.frontend}`;
    const exited = new Promise<string>((resolve) => {
      server!.once('error', (err) => resolve(err.message));
      server!.once('exit', (code, signal) => resolve(signal ?? `code ${code}`));
    });
    // Last resort when the owner exits without stop() (PostgreSQL has its own hook in postgres.ts).
    const onExit = () => void (server?.exitCode === null && server.kill('SIGKILL'));
    if (options.detached) server.unref();
    else process.on('exit', onExit);
    log(`Temporal server ${TEMPORAL_SERVER_VERSION} starting on ${address} (log ${logFile})`);

    await waitForFrontend(address, exited, logFile);
    await registerNamespace(address, namespace);
    await ensureSearchAttributes(address, namespace, log);
    await waitForVisibility(address, namespace);
    log(`Temporal server ready on ${address} after ${((Date.now() - started) / 1000).toFixed(1)} s`);

    const state: ClusterState = {
      serverPid: server.pid!,
      postgresDir: postgres.dir,
      address,
      namespace,
      databaseUrl: postgres.url(LEKDICHT_DATABASE),
    };
    writeFileSync(join(dir, 'cluster.json'), `${JSON.stringify(state, null, 2)}\n`, { mode: 0o600 });

    let stopping: Promise<void> | undefined;
    const child = server;
    return {
      address,
      namespace,
      postgres,
      databaseUrl: state.databaseUrl,
      dir,
      stop: () =>
        (stopping ??= (async () => {
          await terminate(child, exited);
          process.removeListener('exit', onExit);
          await postgres.stop();
          if (!options.dir) rmSync(dir, { recursive: true, force: true });
        })()),
    };
  } catch (err) {
    if (server && server.exitCode === null) server.kill('SIGKILL');
    await postgres.stop();
    // The server's log stays for the error message to point at; a directory we made goes once it is read.
    if (!options.dir) process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
    throw err;
  }
}

/** Stops a stack that another process started with `detached` (cluster.json in `dir`), and removes its files. */
export async function stopTemporalClusterAt(dir: string, log: (line: string) => void = () => {}): Promise<boolean> {
  const file = join(dir, 'cluster.json');
  if (!existsSync(file)) return false;
  const state = JSON.parse(readFileSync(file, 'utf8')) as ClusterState;
  if (isOurServer(state.serverPid)) {
    log(`stopping the Temporal server (pid ${state.serverPid})`);
    process.kill(state.serverPid, 'SIGTERM');
    const until = Date.now() + STOP_GRACE_MS;
    while (isOurServer(state.serverPid) && Date.now() < until) await sleep(100);
    if (isOurServer(state.serverPid)) process.kill(state.serverPid, 'SIGKILL');
  }
  log('stopping PostgreSQL');
  await stopPostgresAt(state.postgresDir);
  rmSync(state.postgresDir, { recursive: true, force: true });
  rmSync(dir, { recursive: true, force: true });
  return true;
}

/** The pid is still a Temporal server of ours (not reused by another program since). */
function isOurServer(pid: number): boolean {
  try {
    const cmdline = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0');
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return /\) Z /.test(stat) ? false : /[/]server$/.test(cmdline[0] ?? '') && cmdline.includes('--allow-no-auth');
  } catch {
    return false;
  }
}

async function terminate(child: ChildProcess, exited: Promise<string>): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), STOP_GRACE_MS);
  await exited;
  clearTimeout(timer);
}

/** temporal-sql-tool: create both databases, the base schema, then every versioned update shipped with the server. */
async function prepareDatabases(bin: string, schema: string, postgres: Postgres): Promise<void> {
  const sql = (database: string, ...args: string[]) =>
    run(join(bin, 'sql'), [
      '--plugin',
      'postgres12',
      '--ep',
      postgres.host,
      '-p',
      String(postgres.port),
      '-u',
      POSTGRES_USER,
      '--db',
      database,
      ...args,
    ]);
  await Promise.all(
    [
      [TEMPORAL_DATABASE, 'temporal'],
      [VISIBILITY_DATABASE, 'visibility'],
    ].map(async ([database, kind]) => {
      await sql(database!, 'create-database');
      await sql(database!, 'setup-schema', '-v', '0.0');
      await sql(database!, 'update-schema', '-d', join(schema, kind!, 'versioned'));
    }),
  );
}

interface ServerPorts {
  frontend: number;
  frontendHttp: number;
  history: number;
  matching: number;
  worker: number;
  membership: { frontend: number; history: number; matching: number; worker: number };
}

async function serverPorts(): Promise<ServerPorts> {
  const taken = new Set<number>();
  const free = async () => {
    for (;;) {
      const port = await freePort();
      if (!taken.has(port)) return taken.add(port) && port;
    }
  };
  // The OS picks from its ephemeral range (32768 and up on Linux): too high for cluster_membership.rpc_port.
  const membership = async () => {
    for (;;) {
      const port = 20_000 + Math.floor(Math.random() * 12_000);
      if (!taken.has(port) && (await portIsFree(port))) return taken.add(port) && port;
    }
  };
  return {
    frontend: await free(),
    frontendHttp: await free(),
    history: await free(),
    matching: await free(),
    worker: await free(),
    membership: {
      frontend: await membership(),
      history: await membership(),
      matching: await membership(),
      worker: await membership(),
    },
  };
}

function serverConfig(postgres: Postgres, ports: ServerPorts): Record<string, unknown> {
  const store = (databaseName: string, maxConns: number) => ({
    sql: {
      pluginName: 'postgres12',
      databaseName,
      connectAddr: `${postgres.host}:${postgres.port}`,
      connectProtocol: 'tcp',
      user: POSTGRES_USER,
      password: '',
      maxConns,
      maxIdleConns: maxConns,
      maxConnLifetime: '1h',
    },
  });
  const rpc = (grpcPort: number, membershipPort: number, extra: Record<string, unknown> = {}) => ({
    rpc: { grpcPort, membershipPort, bindOnLocalHost: true, ...extra },
  });
  return {
    log: { stdout: true, level: 'warn' },
    persistence: {
      defaultStore: 'postgres-default',
      visibilityStore: 'postgres-visibility',
      // A production cluster has hundreds; four keep the throwaway one light, and the number is fixed for good.
      numHistoryShards: 4,
      datastores: {
        'postgres-default': store(TEMPORAL_DATABASE, 20),
        'postgres-visibility': store(VISIBILITY_DATABASE, 10),
      },
    },
    global: { membership: { maxJoinDuration: '30s', broadcastAddress: LOOPBACK } },
    services: {
      frontend: rpc(ports.frontend, ports.membership.frontend, { httpPort: ports.frontendHttp }),
      history: rpc(ports.history, ports.membership.history),
      matching: rpc(ports.matching, ports.membership.matching),
      worker: rpc(ports.worker, ports.membership.worker),
    },
    clusterMetadata: {
      enableGlobalNamespace: false,
      failoverVersionIncrement: 10,
      masterClusterName: 'active',
      currentClusterName: 'active',
      clusterInformation: {
        active: {
          enabled: true,
          initialFailoverVersion: 1,
          rpcName: 'frontend',
          rpcAddress: `${LOOPBACK}:${ports.frontend}`,
        },
      },
    },
    dcRedirectionPolicy: { policy: 'noop' },
  };
}

async function waitForFrontend(address: string, exited: Promise<string>, logFile: string): Promise<void> {
  let exit: string | undefined;
  void exited.then((how) => (exit = how));
  const [host = LOOPBACK, port = ''] = address.split(':');
  const deadline = Date.now() + READY_TIMEOUT_MS;
  let lastError = 'no answer yet';
  while (Date.now() < deadline) {
    if (exit !== undefined)
      throw new Error(`Temporal server exited (${exit}) before it was ready. Log ${logFile}:\n${tailOf(logFile)}`);
    if (await canConnect(host, Number(port))) {
      const connection = await Connection.connect({ address, connectTimeout: 2_000 }).catch((err: Error) => {
        lastError = err.message;
        return undefined;
      });
      try {
        // The system namespace answers once history and matching have joined the ring.
        await connection?.workflowService.describeNamespace({ namespace: 'temporal-system' });
        if (connection) return;
      } catch (err) {
        lastError = (err as Error).message;
      } finally {
        await connection?.close().catch(() => {});
      }
    }
    await sleep(250);
  }
  throw new Error(
    `Temporal server on ${address} not ready within ${READY_TIMEOUT_MS / 1000} s (last error: ${lastError}). Log ${logFile}:\n${tailOf(logFile)}`,
  );
}

/** The real server, unlike the dev server, starts with no namespace of its own to run workflows in. */
async function registerNamespace(address: string, namespace: string): Promise<void> {
  const connection = await Connection.connect({ address });
  try {
    await retry(async () => {
      try {
        await connection.workflowService.registerNamespace({
          namespace,
          workflowExecutionRetentionPeriod: msToTs(RETENTION_DAYS * 86_400_000),
        });
      } catch (err) {
        // ALREADY_EXISTS: a retry after a lost answer, or a cluster that kept its database.
        if ((err as { code?: number }).code !== 6) throw err;
      }
      await connection.workflowService.describeNamespace({ namespace });
    }, `namespace ${namespace}`);
  } finally {
    await connection.close();
  }
}

/**
 * Visibility knows the search attributes once a query naming each of them is accepted (the frontend's cache of the
 * namespace and of its attributes refreshes on its own schedule): before that a breach could not record its phase.
 */
async function waitForVisibility(address: string, namespace: string): Promise<void> {
  const connection = await Connection.connect({ address });
  const query = Object.keys(SEARCH_ATTRIBUTES)
    .map((name) => `${name} IS NULL`)
    .join(' AND ');
  try {
    await retry(
      () => connection.workflowService.countWorkflowExecutions({ namespace, query }),
      'search attributes in visibility',
    );
  } finally {
    await connection.close();
  }
}

async function retry<T>(attempt: () => Promise<T>, what: string): Promise<T> {
  const deadline = Date.now() + READY_TIMEOUT_MS;
  for (;;) {
    try {
      return await attempt();
    } catch (err) {
      if (Date.now() > deadline)
        throw new Error(`${what}: not ready within ${READY_TIMEOUT_MS / 1000} s: ${(err as Error).message}`);
      await sleep(250);
    }
  }
}

function run(file: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(file, args, { maxBuffer: 16 * 1024 * 1024 }, (err, stdout, stderr) => {
      if (err)
        reject(
          new Error(`${file.split('/').pop()} ${args.slice(-3).join(' ')} failed: ${stderr.trim() || stdout.trim()}`),
        );
      else resolve(stdout);
    });
  });
}
