/**
 * A throwaway PostgreSQL cluster on loopback, for tests and the production-shaped stack
 * (devstack/temporal-cluster.ts). Not for production data: trust authentication on 127.0.0.1 and fsync off.
 *
 *   const pg = await startPostgres();          // initdb, pg_ctl start on a free port
 *   await pg.createDatabase('register');
 *   connect to pg.url('register')              // postgres://postgres@127.0.0.1:PORT/register
 *   await pg.stop();                           // pg_ctl -m fast stop; the directory is removed if we made it
 *
 * The binaries come from LEKDICHT_PG_BIN, else the newest /usr/lib/postgresql/<version>/bin (Debian), else PATH.
 * PostgreSQL refuses to run as root: as root every PostgreSQL command runs as the `postgres` user (runuser),
 * and the directory is handed to that user.
 */
import { execFile, execFileSync } from 'node:child_process';
import { chownSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir, userInfo } from 'node:os';
import { join } from 'node:path';
import { freePort, LOOPBACK } from './ports';

export interface PostgresOptions {
  /** Where the cluster lives (data in <dir>/data, log in <dir>/postgres.log). Default: a new temp dir, removed by stop(). */
  dir?: string;
  /** Default: a free port. */
  port?: number;
  /** Keep running after this process exits (stop later with stopPostgresAt(dir)). Default false: stopped at exit. */
  detached?: boolean;
}

export interface Postgres {
  host: string;
  port: number;
  /** The directory given or made; the data directory is <dir>/data. */
  dir: string;
  /** A connection string for a database of this cluster, as the superuser `postgres` (trust on loopback). */
  url(database: string): string;
  /** CREATE DATABASE; the name is a plain identifier (lower case letters, digits, underscores). */
  createDatabase(name: string): Promise<void>;
  /** Stops the server (fast shutdown: sessions are ended) and removes the directory if startPostgres made it. Idempotent. */
  stop(): Promise<void>;
}

export const POSTGRES_USER = 'postgres';
const START_TIMEOUT_S = 60;

/** The directory with initdb, pg_ctl and psql, or undefined when none is installed. */
export function postgresBinDir(env: NodeJS.ProcessEnv = process.env): string | undefined {
  if (env.LEKDICHT_PG_BIN) return existsSync(join(env.LEKDICHT_PG_BIN, 'initdb')) ? env.LEKDICHT_PG_BIN : undefined;
  const debian = '/usr/lib/postgresql';
  if (existsSync(debian)) {
    const versions = readdirSync(debian)
      .filter((v) => existsSync(join(debian, v, 'bin', 'initdb')))
      .sort((a, b) => Number(b) - Number(a));
    if (versions[0]) return join(debian, versions[0], 'bin');
  }
  for (const dir of (env.PATH ?? '').split(':')) if (dir && existsSync(join(dir, 'initdb'))) return dir;
  return undefined;
}

/** Starts a new cluster (or the one already in `dir`) and returns once it accepts connections. */
export async function startPostgres(options: PostgresOptions = {}): Promise<Postgres> {
  const bin = postgresBinDir();
  if (!bin)
    throw new Error(
      'no PostgreSQL found (initdb in LEKDICHT_PG_BIN, /usr/lib/postgresql/*/bin or PATH): run scripts/install-temporal-server, or apt-get install postgresql',
    );
  const ownDir = options.dir === undefined;
  const dir = options.dir ?? mkdtempSync(join(tmpdir(), 'lekdicht-pg-'));
  mkdirSync(dir, { recursive: true });
  const asRoot = userInfo().uid === 0;
  // As root the commands run as `postgres`, which must own the directory (and be able to reach it).
  if (asRoot) handToPostgres(dir);
  const dataDir = join(dir, 'data');
  const logFile = join(dir, 'postgres.log');
  const port = options.port ?? (await freePort());
  const run = (tool: string, args: string[]) => runAs(asRoot, join(bin, tool), args);

  if (!existsSync(join(dataDir, 'PG_VERSION'))) {
    // Trust: a cluster for tests on loopback only, with nothing worth a password in it.
    await run('initdb', ['-D', dataDir, '-U', POSTGRES_USER, '-A', 'trust', '-E', 'UTF8', '--locale=C', '--no-sync']);
  }
  // The socket stays in the data directory (not /var/run/postgresql, which may be missing or another cluster's);
  // fsync off: a crash of this machine may lose a throwaway cluster, and tests run faster without the flushes.
  const serverOptions = [
    `-c listen_addresses=${LOOPBACK}`,
    `-p ${port}`,
    `-c unix_socket_directories=${dataDir}`,
    '-c fsync=off',
    '-c synchronous_commit=off',
    '-c full_page_writes=off',
    // Two Temporal databases, four lekdicht processes and the tests: more than the default 100 connections.
    '-c max_connections=300',
  ].join(' ');
  try {
    await run('pg_ctl', [
      '-D',
      dataDir,
      '-l',
      logFile,
      '-w',
      '-t',
      String(START_TIMEOUT_S),
      '-o',
      serverOptions,
      'start',
    ]);
  } catch (err) {
    throw new Error(`PostgreSQL did not start: ${(err as Error).message}\nlog ${logFile}:\n${tail(logFile)}`);
  }

  // Last resort when the owner exits without stop(): a synchronous immediate stop, nothing else can run then.
  const onExit = () => {
    try {
      execFileSync(...command(asRoot, join(bin, 'pg_ctl'), ['-D', dataDir, '-m', 'immediate', 'stop']), {
        stdio: 'ignore',
      });
    } catch {
      // already stopped
    }
  };
  if (!options.detached) process.on('exit', onExit);

  let stopping: Promise<void> | undefined;
  return {
    host: LOOPBACK,
    port,
    dir,
    url: (database) => `postgres://${POSTGRES_USER}@${LOOPBACK}:${port}/${encodeURIComponent(database)}`,
    createDatabase: async (name) => {
      if (!/^[a-z_][a-z0-9_]{0,62}$/.test(name))
        throw new Error(`database name ${JSON.stringify(name)}: not a plain identifier`);
      await runAs(false, psqlPath(bin), [
        '-h',
        LOOPBACK,
        '-p',
        String(port),
        '-U',
        POSTGRES_USER,
        '-d',
        'postgres',
        '-v',
        'ON_ERROR_STOP=1',
        '-q',
        '-c',
        `CREATE DATABASE "${name}"`,
      ]);
    },
    stop: () =>
      (stopping ??= (async () => {
        process.removeListener('exit', onExit);
        await stopPostgresAt(dir);
        if (ownDir) rmSync(dir, { recursive: true, force: true });
      })()),
  };
}

/** Stops the cluster in `dir` (as startPostgres laid it out), e.g. from another process than the one that started it. */
export async function stopPostgresAt(dir: string): Promise<void> {
  const bin = postgresBinDir();
  const dataDir = join(dir, 'data');
  if (!bin || !existsSync(join(dataDir, 'postmaster.pid'))) return;
  await runAs(userInfo().uid === 0, join(bin, 'pg_ctl'), ['-D', dataDir, '-m', 'fast', '-w', 'stop']);
}

function psqlPath(bin: string): string {
  return existsSync(join(bin, 'psql')) ? join(bin, 'psql') : 'psql';
}

function handToPostgres(dir: string): void {
  const uid = Number(execFileSync('id', ['-u', POSTGRES_USER]).toString().trim());
  const gid = Number(execFileSync('id', ['-g', POSTGRES_USER]).toString().trim());
  // A directory under a path only root can enter (e.g. /root) stays unreachable: initdb then says so itself.
  chownSync(dir, uid, gid);
}

function command(asRoot: boolean, file: string, args: string[]): [string, string[]] {
  return asRoot ? ['runuser', ['-u', POSTGRES_USER, '--', file, ...args]] : [file, args];
}

function runAs(asRoot: boolean, file: string, args: string[]): Promise<string> {
  const [cmd, cmdArgs] = command(asRoot, file, args);
  return new Promise((resolve, reject) => {
    // cwd /: as `postgres`, the caller's working directory may not be readable, which initdb complains about.
    execFile(cmd, cmdArgs, { cwd: '/', env: { ...process.env, LC_ALL: 'C' } }, (err, stdout, stderr) => {
      if (err)
        reject(
          new Error(`${file.split('/').pop()} failed (${err.code ?? err.signal}): ${stderr.trim() || stdout.trim()}`),
        );
      else resolve(stdout);
    });
  });
}

function tail(file: string): string {
  try {
    return readFileSync(file, 'utf8').trimEnd().split('\n').slice(-20).join('\n');
  } catch {
    return '(no log)';
  }
}
