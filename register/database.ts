/**
 * Where lekdicht keeps what must outlive Temporal's histories and be shared by every process: the breach register,
 * the people's sessions and passwords, and the intake's replay cache and rate limits. One query builder (Kysely)
 * over two engines: SQLite files for a laptop or a pilot (the embedded default), PostgreSQL for production, where
 * several workers and HTTP instances share one database. The stores (register/store.ts, the auth and intake stores)
 * write their SQL once, for both; what differs between the engines is here.
 */
import Database from 'better-sqlite3';
import {
  CompiledQuery,
  Kysely,
  Migrator,
  PostgresDialect,
  SqliteAdapter,
  SqliteDialect,
  type DialectAdapter,
  sql,
  type DatabaseConnection,
  type Driver,
  type Migration,
  type SqliteDatabase,
  type Transaction,
} from 'kysely';
import pg from 'pg';
import { resolve } from 'node:path';
import { openPrivateDatabase } from './private-files';

export type Engine = 'sqlite' | 'postgres';

/** Where one store lives: a SQLite file of its own, or the shared PostgreSQL database. */
export type StoreTarget =
  { engine: 'sqlite'; path: string; readOnly?: boolean } | { engine: 'postgres'; url: string; readOnly?: boolean };

/** One store's database: its engine (for the few statements that differ) and the Kysely instance. */
export interface StoreDatabase<Tables> {
  readonly engine: Engine;
  readonly db: Kysely<Tables>;
  readonly readOnly: boolean;
  /** A label for errors and logs: the file's path, or the PostgreSQL host and database (never the password). */
  readonly where: string;
  close(): Promise<void>;
}

/** PostgreSQL's int8 (COUNT(*), BIGINT millisecond times) as a number: every such value here is far below 2^53. */
const INT8_OID = 20;

/** Per store and process: a few connections suffice (each request or activity runs a handful of short statements). */
const POOL_SIZE = 5;

/** pg's own parsers, but int8 as a number (this pool only: other users of pg in the process keep theirs). */
const typeParser = ((oid: number, format?: 'text' | 'binary') =>
  oid === INT8_OID && format !== 'binary'
    ? Number
    : (pg.types.getTypeParser as (oid: number, format?: 'text' | 'binary') => unknown)(
        oid,
        format,
      )) as typeof pg.types.getTypeParser;

/**
 * SQLite files open for writing in this process, one connection each, shared by every store handle on that file.
 * Two connections of one process on one file would deadlock: better-sqlite3 waits for a lock synchronously, so the
 * event loop that would let the other connection's transaction finish stands still until the busy timeout. One
 * connection serialises the process's statements and transactions instead (Kysely's connection mutex); other
 * processes wait on the file's lock as SQLite means them to.
 */
const sharedFiles = new Map<string, { db: Kysely<unknown>; handles: number }>();

function sqliteWriter(path: string): { db: Kysely<unknown>; release: () => Promise<void> } {
  const key = path === ':memory:' ? undefined : resolve(path);
  const shared = key === undefined ? undefined : sharedFiles.get(key);
  if (shared) {
    shared.handles += 1;
  } else {
    const db = new Kysely<unknown>({
      dialect: new ImmediateSqliteDialect({ database: withStatementCache(openPrivateDatabase(path)) }),
    });
    if (key === undefined) return { db, release: () => db.destroy() };
    sharedFiles.set(key, { db, handles: 1 });
  }
  const entry = sharedFiles.get(key!)!;
  let released = false;
  return {
    db: entry.db,
    release: async () => {
      if (released) return;
      released = true;
      if (--entry.handles > 0) return;
      sharedFiles.delete(key!);
      await entry.db.destroy();
    },
  };
}

export function openStoreDatabase<Tables>(target: StoreTarget): StoreDatabase<Tables> {
  if (target.engine === 'sqlite') {
    if (target.readOnly) {
      // A reader of a WAL file never waits on a writer: its own connection.
      const file = new Database(target.path, { readonly: true, fileMustExist: true });
      file.pragma('busy_timeout = 5000');
      const db = new Kysely<Tables>({ dialect: new ImmediateSqliteDialect({ database: withStatementCache(file) }) });
      return { engine: 'sqlite', db, readOnly: true, where: target.path, close: () => db.destroy() };
    }
    const writer = sqliteWriter(target.path);
    return {
      engine: 'sqlite',
      db: writer.db as Kysely<Tables>,
      readOnly: false,
      where: target.path,
      close: writer.release,
    };
  }
  const pool = new pg.Pool({
    connectionString: target.url,
    max: POOL_SIZE,
    types: { getTypeParser: typeParser },
  });
  // An idle connection that the server drops (restart, failover) must not crash the process: the pool replaces it.
  pool.on('error', () => {});
  const db = new Kysely<Tables>({ dialect: new PostgresDialect({ pool }) });
  return {
    engine: 'postgres',
    db,
    readOnly: target.readOnly === true,
    where: postgresLabel(target.url),
    close: () => db.destroy(),
  };
}

/** Prepared statements kept per SQLite connection: every statement the stores run, with room to spare. */
export const STATEMENT_CACHE_SIZE = 200;

/**
 * A better-sqlite3 connection that prepares each SQL text once. Kysely's SQLite driver prepares every query it runs
 * anew (parsing and planning the SQL each time); the stores run the same few statements over and over, with new
 * parameters. The least recently used statement goes when the cache is full (SQL with a varying number of
 * placeholders, such as IN lists, would otherwise grow it without end). A statement whose tables changed since is
 * prepared again by SQLite itself.
 */
export function withStatementCache(
  db: Database.Database,
  size = STATEMENT_CACHE_SIZE,
): SqliteDatabase & { readonly prepared: number } {
  const cache = new Map<string, Database.Statement>();
  let prepared = 0;
  return {
    get prepared() {
      return prepared;
    },
    close: () => db.close(),
    prepare: (text: string) => {
      let statement = cache.get(text);
      if (statement !== undefined) {
        // Most recently used last: Map keeps insertion order.
        cache.delete(text);
      } else {
        statement = db.prepare(text);
        prepared += 1;
        if (cache.size >= size) cache.delete(cache.keys().next().value!);
      }
      cache.set(text, statement);
      return statement;
    },
  };
}

/**
 * SQLite with every transaction BEGIN IMMEDIATE: it takes the file's write lock at the start and waits for it (busy
 * timeout), where a deferred transaction that read first fails at its first write if another process wrote in the
 * meantime. Two processes migrating one new file at once (the worker and the HTTP service of `npm start`) then run
 * one after the other, and the second finds the migrations applied.
 */
class ImmediateSqliteDialect extends SqliteDialect {
  /** SQLite's DDL is transactional: Kysely's migrator then runs each migration run inside one such transaction. */
  override createAdapter(): DialectAdapter {
    return new TransactionalDdlSqliteAdapter();
  }

  override createDriver(): Driver {
    const driver = super.createDriver();
    driver.beginTransaction = async (connection: DatabaseConnection) => {
      await connection.executeQuery(CompiledQuery.raw('BEGIN IMMEDIATE'));
    };
    return driver;
  }
}

class TransactionalDdlSqliteAdapter extends SqliteAdapter {
  override get supportsTransactionalDdl(): boolean {
    return true;
  }
}

/** host:port/database of a connection string, for messages: the user name and password stay out. */
export function postgresLabel(url: string): string {
  try {
    const u = new URL(url);
    return `postgresql://${u.hostname}${u.port ? `:${u.port}` : ''}${u.pathname}`;
  } catch {
    return 'postgresql (connection string not readable as a URL)';
  }
}

/**
 * Brings one store's tables to the newest version with Kysely's migrator: each migration once, in name order,
 * under a lock, so several processes starting at once against one PostgreSQL database migrate it once. Each store
 * has its own migration table: in PostgreSQL the three stores share a database.
 */
export async function migrateStore<Tables>(
  store: StoreDatabase<Tables>,
  name: 'register' | 'auth' | 'intake',
  migrations: Record<string, Migration>,
): Promise<string[]> {
  const migrator = new Migrator({
    db: store.db,
    provider: { getMigrations: async () => migrations },
    migrationTableName: `lekdicht_${name}_migrations`,
    migrationLockTableName: `lekdicht_${name}_migration_lock`,
  });
  const { error, results } = await migrator.migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName;
    throw new Error(
      `the ${name} store at ${store.where} could not be migrated${failed ? ` (migration ${failed})` : ''}: ${error instanceof Error ? error.message : JSON.stringify(error)}`,
    );
  }
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName);
}

/**
 * Opens one store and brings it to its newest migration (a read-only SQLite handle is never migrated); a failed
 * migration closes what was opened. A plain path is a SQLite file.
 */
export async function openMigratedStore<Tables>(
  target: StoreTarget | string,
  name: 'register' | 'auth' | 'intake',
  migrations: (engine: Engine) => Record<string, Migration>,
): Promise<StoreDatabase<Tables>> {
  const store = openStoreDatabase<Tables>(typeof target === 'string' ? { engine: 'sqlite', path: target } : target);
  if (store.readOnly) return store;
  try {
    await migrateStore(store, name, migrations(store.engine));
  } catch (err) {
    await store.close();
    throw err;
  }
  return store;
}

/**
 * A write transaction that reads before it writes (claims, leases, counters): all or nothing, and never two at once
 * over the same keys, also from other processes. SQLite: BEGIN IMMEDIATE takes the file's write lock at the start
 * (a deferred transaction that read first could fail at its first write when another process wrote meanwhile).
 * PostgreSQL: a transaction-scoped advisory lock per key, in a fixed order, so two writers of one breach or one
 * rate window queue instead of both acting on what they read.
 */
export async function writeTransaction<Tables, T>(
  store: StoreDatabase<Tables>,
  lockKeys: readonly string[],
  work: (trx: Kysely<Tables>) => Promise<T>,
): Promise<T> {
  if (store.engine === 'postgres') {
    return store.db.transaction().execute(async (trx: Transaction<Tables>) => {
      for (const key of [...new Set(lockKeys)].sort())
        await sql`SELECT pg_advisory_xact_lock(hashtextextended(${key}, 0))`.execute(trx);
      return work(trx);
    });
  }
  // BEGIN IMMEDIATE (ImmediateSqliteDialect): the write lock is taken first, and the one connection serialises this process.
  return store.db.transaction().execute((trx) => work(trx));
}

/** Rows a write changed, for inserts with ON CONFLICT DO NOTHING and guarded updates ("did I get it?"). */
export function changed(
  result: { numInsertedOrUpdatedRows?: bigint | undefined; numUpdatedRows?: bigint | undefined } | undefined,
): number {
  return Number(result?.numInsertedOrUpdatedRows ?? result?.numUpdatedRows ?? 0n);
}
