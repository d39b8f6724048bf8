import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startPostgres, type Postgres } from '../../devstack/postgres';
import type { StoreTarget } from '../../register/database';

/** The engines the stores run on: the SQLite files of the embedded default, and PostgreSQL for production. */
export const ENGINES = ['sqlite', 'postgres'] as const;
export type Engine = (typeof ENGINES)[number];

/** Where each store of one fresh database lives. */
export type StoreTargets = (store: 'register' | 'auth' | 'intake') => StoreTarget;

/**
 * Fresh, empty databases for a test file on either engine: a directory of SQLite files (one per store), or a new
 * database on one real PostgreSQL that the first PostgreSQL test starts (and `stop()` ends), shared by the stores
 * as in production.
 */
export class TestDatabases {
  private pg: Promise<Postgres> | undefined;
  private count = 0;

  async fresh(engine: Engine): Promise<StoreTargets> {
    if (engine === 'sqlite') {
      const dir = mkdtempSync(join(tmpdir(), 'lekdicht-stores-'));
      return (store) => ({ engine: 'sqlite', path: join(dir, `${store}.db`) });
    }
    const pg = await (this.pg ??= startPostgres());
    const name = `lekdicht_${++this.count}`;
    await pg.createDatabase(name);
    return () => ({ engine: 'postgres', url: pg.url(name) });
  }

  /** The PostgreSQL server, started if it was not yet (a test that needs it before its first database). */
  postgres(): Promise<Postgres> {
    return (this.pg ??= startPostgres());
  }

  async stop(): Promise<void> {
    await (await this.pg)?.stop();
  }
}
