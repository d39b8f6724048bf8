import type { Config } from '../domain/config';
import { migrateStore, openStoreDatabase, type StoreTarget } from './database';
import { authMigrations, intakeMigrations, registerMigrations } from './migrations';

/** The configured database has no connection string: the message names the variable to set. */
export class DatabaseConfigError extends Error {}

/**
 * Where one store lives under this config: its own SQLite file (register.path, auth.path, intake.path), or the one
 * PostgreSQL database whose connection string is in the environment variable `database.urlEnv`.
 */
export function storeTarget(
  config: Pick<Config, 'database' | 'register' | 'auth' | 'intake'>,
  store: 'register' | 'auth' | 'intake',
  env: NodeJS.ProcessEnv = process.env,
  options: { readOnly?: boolean } = {},
): StoreTarget {
  const readOnly = options.readOnly === true;
  if (config.database.engine === 'postgres') {
    const url = env[config.database.urlEnv]?.trim();
    if (!url)
      throw new DatabaseConfigError(
        `database.engine is "postgres" but ${config.database.urlEnv} is not set: set it to a connection string, e.g. postgresql://lekdicht:PASSWORD@db.example.org:5432/lekdicht`,
      );
    return { engine: 'postgres', url, readOnly };
  }
  return { engine: 'sqlite', path: config[store].path, readOnly };
}

/** What `lekdicht db migrate` did to each store: the migrations it applied now (none when it was up to date). */
export interface MigrationReport {
  store: 'register' | 'auth' | 'intake';
  where: string;
  applied: string[];
}

/**
 * Brings the register, the auth store and the intake store to this version's schema, as start-up does: for a
 * deployment that migrates before it rolls out new workers and HTTP instances, or to check a database by hand.
 */
export async function migrateAll(
  config: Pick<Config, 'database' | 'register' | 'auth' | 'intake'>,
  env: NodeJS.ProcessEnv = process.env,
): Promise<MigrationReport[]> {
  const reports: MigrationReport[] = [];
  for (const [store, migrations] of [
    ['register', registerMigrations()],
    ['auth', authMigrations(config.database.engine)],
    ['intake', intakeMigrations(config.database.engine)],
  ] as const) {
    const database = openStoreDatabase<unknown>(storeTarget(config, store, env));
    try {
      reports.push({ store, where: database.where, applied: await migrateStore(database, store, migrations) });
    } finally {
      await database.close();
    }
  }
  return reports;
}
