import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { canConnect } from '../../devstack/ports';
import { postgresBinDir, startPostgres, type Postgres } from '../../devstack/postgres';

/** SQL through psql and the cluster's connection string, as any client would connect. */
const sql = (url: string, statement: string) =>
  execFileSync(join(postgresBinDir()!, 'psql'), [url, '-v', 'ON_ERROR_STOP=1', '-qAt', '-c', statement], {
    encoding: 'utf8',
  }).trim();

describe('devstack/postgres.ts: a throwaway PostgreSQL cluster', () => {
  const started: Postgres[] = [];
  afterAll(async () => {
    for (const pg of started) await pg.stop();
  });

  it('starts on a free loopback port, creates databases reachable by url(), and stops with its directory', async () => {
    const pg = await startPostgres();
    started.push(pg);
    expect(pg.host).toBe('127.0.0.1');
    expect(await canConnect(pg.host, pg.port)).toBe(true);
    await pg.createDatabase('register_test');
    expect(pg.url('register_test')).toBe(`postgres://postgres@127.0.0.1:${pg.port}/register_test`);
    sql(pg.url('register_test'), 'CREATE TABLE breaches (id text PRIMARY KEY); INSERT INTO breaches VALUES ($$b-1$$)');
    expect(sql(pg.url('register_test'), 'SELECT id FROM breaches')).toBe('b-1');
    expect(sql(pg.url('postgres'), 'SHOW listen_addresses')).toBe('127.0.0.1');
    await expect(pg.createDatabase('register_test')).rejects.toThrow(/already exists/);
    await expect(pg.createDatabase('x"; DROP DATABASE postgres; --')).rejects.toThrow(/not a plain identifier/);

    await pg.stop();
    await pg.stop(); // idempotent
    expect(await canConnect(pg.host, pg.port)).toBe(false);
    expect(existsSync(pg.dir)).toBe(false);
  });

  it('runs two clusters side by side, and keeps a cluster in a given directory across a restart', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lekdicht-pg-test-'));
    try {
      const [a, b] = await Promise.all([startPostgres({ dir }), startPostgres()]);
      started.push(a, b);
      expect(a.port).not.toBe(b.port);
      await a.createDatabase('kept');
      sql(a.url('kept'), 'CREATE TABLE t (v int); INSERT INTO t VALUES (42)');
      await a.stop();
      // A directory the caller gave stays theirs: stop() leaves it, and the next start finds the cluster in it.
      expect(existsSync(join(dir, 'data', 'PG_VERSION'))).toBe(true);
      const again = await startPostgres({ dir });
      started.push(again);
      expect(sql(again.url('kept'), 'SELECT v FROM t')).toBe('42');
      await expect(b.createDatabase('kept')).resolves.toBeUndefined();
    } finally {
      for (const pg of started) await pg.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
