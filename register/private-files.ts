import { chmodSync, closeSync, existsSync, mkdirSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';

/**
 * Files that hold breach data, password hashes or sessions are their owner's alone (0600), and directories
 * lekdicht creates for them are 0700, whatever the umask and whatever the mode of a data directory that already
 * exists: a world-readable `data/` must not make the register or the auth database world-readable.
 */
export const PRIVATE_FILE_MODE = 0o600;
export const PRIVATE_DIR_MODE = 0o700;

/** A directory lekdicht owns (mail catcher, dev secrets): created 0700, and made 0700 if it was there already. */
export function privateDir(path: string): void {
  mkdirSync(path, { recursive: true, mode: PRIVATE_DIR_MODE });
  chmodSync(path, PRIVATE_DIR_MODE);
}

/**
 * Before SQLite opens `path`: the parent is created (0700 for directories made here; an existing one keeps its
 * mode), the file is created empty with 0600 if it is new and set to 0600 if it is old. SQLite creates its
 * `-wal`, `-shm` and `-journal` files with the mode of the database file, so they are 0600 too; ones left by an
 * earlier version are tightened here as well.
 */
export function privateDatabaseFile(path: string): void {
  if (path === ':memory:' || path === '') return;
  mkdirSync(dirname(path), { recursive: true, mode: PRIVATE_DIR_MODE });
  // O_CREAT with the mode: never a moment in which the new file exists with the umask's mode.
  closeSync(openSync(path, 'a', PRIVATE_FILE_MODE));
  for (const file of [path, `${path}-wal`, `${path}-shm`, `${path}-journal`]) {
    if (existsSync(file)) chmodSync(file, PRIVATE_FILE_MODE);
  }
}

/**
 * A SQLite database that lekdicht writes (register, auth, intake): private as above, WAL so readers (the CLI's
 * export, another HTTP instance) read while one process writes, and a busy timeout that rides out short locks
 * instead of failing the request or the activity.
 */
export function openPrivateDatabase(path: string): Database.Database {
  privateDatabaseFile(path);
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('busy_timeout = 5000');
  return db;
}
