/**
 * Issue 11, item 9: the register, the auth database and the dev server's database were created world-readable
 * when the data directory already existed (0755) under the usual umask 022. Each is created here as lekdicht
 * creates it, in such a directory, and every file SQLite made beside it (-wal, -shm) is checked.
 */
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BreachRegister } from '../../register/store';
import { privateDir } from '../../register/private-files';
import { AuthStore } from '../../client/shared/auth-store';
import { IntakeStore } from '../../client/http/intake-store';
import { provisionTemporal } from '../../devstack/temporal-server';

const mode = (path: string) => statSync(path).mode & 0o777;

/** The database and every companion file that exists, with its mode. */
function modesOf(db: string): Record<string, number> {
  return Object.fromEntries(
    [db, `${db}-wal`, `${db}-shm`, `${db}-journal`]
      .filter((f) => existsSync(f))
      .map((f) => [f.slice(db.length) || 'db', mode(f)]),
  );
}

let previousUmask: number;
let dataDir: string;

beforeAll(() => {
  // The usual umask, whatever the test runner's: files would be 0644 and directories 0755 by default.
  previousUmask = process.umask(0o022);
  dataDir = join(mkdtempSync(join(tmpdir(), 'lekdicht-private-')), 'data');
  mkdirSync(dataDir);
  chmodSync(dataDir, 0o755);
});
afterAll(() => {
  process.umask(previousUmask);
});

describe("files holding breach data, passwords and sessions are their owner's only (0600, directories 0700)", () => {
  it('the register: register.db, -wal and -shm, in a data directory that already exists with 0755', async () => {
    const path = join(dataDir, 'register.db');
    const register = await BreachRegister.open(path);
    try {
      await register.patchBreach('breach-0123456789abcdef0123', { source: 'dlp', phase: 'triage' });
      const modes = modesOf(path);
      expect(Object.keys(modes)).toEqual(expect.arrayContaining(['db', '-wal', '-shm']));
      for (const [file, m] of Object.entries(modes))
        expect({ file, mode: m.toString(8) }).toEqual({ file, mode: '600' });
      // The directory that was there keeps its mode: lekdicht does not change a directory it did not make.
      expect(mode(dataDir)).toBe(0o755);
    } finally {
      await register.close();
    }
  });

  it('the auth database: auth.db, -wal and -shm, also in a directory lekdicht creates (0700)', async () => {
    const path = join(dataDir, 'http', 'auth.db');
    const store = await AuthStore.open(path);
    try {
      await store.setPassword('fg@test.example', 'correct horse battery staple');
      const modes = modesOf(path);
      expect(Object.keys(modes)).toEqual(expect.arrayContaining(['db', '-wal', '-shm']));
      for (const [file, m] of Object.entries(modes))
        expect({ file, mode: m.toString(8) }).toEqual({ file, mode: '600' });
      expect(mode(join(dataDir, 'http'))).toBe(0o700);
    } finally {
      await store.close();
    }
  });

  it('the intake store: intake.db (replay cache, rate counters, duplicate counts), -wal and -shm', async () => {
    const path = join(dataDir, 'intake', 'intake.db');
    const store = await IntakeStore.open(path);
    try {
      expect(await store.claim('a'.repeat(64), Date.now() + 60_000)).toBe(true);
      const modes = modesOf(path);
      expect(Object.keys(modes)).toEqual(expect.arrayContaining(['db', '-wal', '-shm']));
      for (const [file, m] of Object.entries(modes))
        expect({ file, mode: m.toString(8) }).toEqual({ file, mode: '600' });
      expect(mode(join(dataDir, 'intake'))).toBe(0o700);
    } finally {
      await store.close();
    }
  });

  it('a world-readable database from an earlier version is made private when it is opened', async () => {
    const path = join(dataDir, 'old-register.db');
    writeFileSync(path, '', { mode: 0o644 });
    expect(mode(path)).toBe(0o644);
    await (await BreachRegister.open(path)).close();
    expect(mode(path)).toBe(0o600);
  });

  it("the mail catcher's folder (npm start: data/mail-<pid>) is 0700, also when it existed with 0755", () => {
    const dir = join(dataDir, 'mail-test');
    mkdirSync(dir, { mode: 0o755 });
    privateDir(dir);
    expect(mode(dir)).toBe(0o700);
  });

  it("the embedded Temporal dev server's temporal.db (and its log) in an existing 0755 data directory", async () => {
    const dir = join(dataDir, 'temporal');
    mkdirSync(dir);
    chmodSync(dir, 0o755);
    const temporal = await provisionTemporal({
      env: { ...process.env, TEMPORAL_ADDRESS: '' },
      dataDir: dir,
      port: 0,
      uiPort: null,
      namespace: 'default',
    });
    try {
      const db = join(dir, 'temporal.db');
      const modes = modesOf(db);
      expect(modes.db).toBeDefined();
      for (const [file, m] of Object.entries(modes))
        expect({ file, mode: m.toString(8) }).toEqual({ file, mode: '600' });
      expect(mode(join(dir, 'temporal.log'))).toBe(0o600);
      // Nothing else the server made in the directory is readable by others.
      for (const name of readdirSync(dir))
        expect({ name, others: mode(join(dir, name)) & 0o007 }).toEqual({ name, others: 0 });
    } finally {
      await temporal.stop();
    }
  }, 120_000);
});
