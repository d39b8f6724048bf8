import { execFile } from 'node:child_process';
import { readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AuthStore } from '../../client/shared/auth-store';
import { IntakeStore } from '../../client/http/intake-store';
import { postgresBinDir, startPostgres, POSTGRES_USER, type Postgres } from '../../devstack/postgres';
import { compose, root, scalar, splitImage } from '../../devstack/compose-check/compose-file';
import type { StoreTarget } from '../../register/database';
import { BreachRegister } from '../../register/store';

/**
 * deploy/postgres-init/*.sh as the postgres image runs them on the first start of an empty volume: in name order,
 * with psql as the administrator (POSTGRES_USER) and the roles' passwords in the environment. Then lekdicht's three
 * stores open as the `lekdicht` role, the way docker-compose.yml's worker and http services connect, and the role is
 * shown to be confined: its own database only, no roles, no databases. The cluster checks passwords for every role
 * but the administrator, so a role whose password the script did not set could not log in at all.
 */

const SCRIPTS_DIR = join(root, 'deploy', 'postgres-init');
// A quote, a backslash and URL characters: the scripts must pass the password to PostgreSQL as one literal.
const LEKDICHT_DB_PASSWORD = `lek'dicht "db" \\ p@ss:/word?#1`;
const TEMPORAL_DB_PASSWORD = `temporal's own password`;

let cluster: Postgres;

function runScript(file: string, env: Record<string, string | undefined>): Promise<{ code: number; stderr: string }> {
  const bin = postgresBinDir();
  return new Promise((resolve) => {
    execFile(
      'sh',
      [join(SCRIPTS_DIR, file)],
      {
        env: {
          PATH: `${bin}:${process.env.PATH}`,
          POSTGRES_USER,
          // The image connects through the Unix socket; this cluster's administrator is trusted on loopback TCP.
          PGHOST: cluster.host,
          PGPORT: String(cluster.port),
          ...env,
        },
      },
      (err, _stdout, stderr) => resolve({ code: err ? Number(err.code ?? 1) : 0, stderr }),
    );
  });
}

function url(user: string, password: string, database: string): string {
  return `postgresql://${user}:${encodeURIComponent(password)}@${cluster.host}:${cluster.port}/${database}`;
}

async function asRole(user: string, password: string, database: string, statement: string): Promise<void> {
  const client = new pg.Client({ connectionString: url(user, password, database) });
  await client.connect();
  try {
    await client.query(statement);
  } finally {
    await client.end();
  }
}

beforeAll(async () => {
  cluster = await startPostgres();
  // Passwords for everyone but the administrator, as in the image (which trusts only its local socket).
  writeFileSync(
    join(cluster.dir, 'data', 'pg_hba.conf'),
    [
      `local all ${POSTGRES_USER} trust`,
      `host all ${POSTGRES_USER} ${cluster.host}/32 trust`,
      `host all all ${cluster.host}/32 scram-sha-256`,
      '',
    ].join('\n'),
  );
  await asRole(POSTGRES_USER, '', 'postgres', 'SELECT pg_reload_conf()');
}, 120_000);

afterAll(async () => {
  await cluster?.stop();
});

describe('deploy/postgres-init on a real PostgreSQL', () => {
  it('refuses to create the lekdicht role without its password, naming the variable', async () => {
    const result = await runScript('20-lekdicht-role.sh', { LEKDICHT_DB_PASSWORD: '' });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('LEKDICHT_DB_PASSWORD is not set');
  });

  it("runs on the PostgreSQL major of docker-compose.yml's image", async () => {
    const client = new pg.Client({ connectionString: cluster.url('postgres') });
    await client.connect();
    try {
      const { rows } = await client.query<{ v: string }>("SELECT current_setting('server_version_num') AS v");
      const major = String(Math.floor(Number(rows[0]?.v) / 10_000));
      expect(splitImage(scalar(compose.services.postgresql?.image)).tag).toBe(major);
    } finally {
      await client.end();
    }
  });

  it('runs every script in name order, as the image does', async () => {
    const scripts = readdirSync(SCRIPTS_DIR)
      .filter((f) => f.endsWith('.sh'))
      .sort();
    expect(scripts).toEqual(['10-temporal-role.sh', '20-lekdicht-role.sh']);
    for (const script of scripts) {
      const result = await runScript(script, { TEMPORAL_DB_PASSWORD, LEKDICHT_DB_PASSWORD });
      expect(result, script).toMatchObject({ code: 0 });
    }
  });

  it("opens lekdicht's three stores as the lekdicht role: they migrate and work", async () => {
    const target: StoreTarget = { engine: 'postgres', url: url('lekdicht', LEKDICHT_DB_PASSWORD, 'lekdicht') };
    const register = await BreachRegister.open(target);
    const auth = await AuthStore.open(target);
    const intake = await IntakeStore.open(target);
    try {
      await register.patchBreach('breach-1', { source: 'dlp', phase: 'triage', opened_at: '2026-12-01T09:00:00.000Z' });
      expect(await register.breach('breach-1')).toMatchObject({ source: 'dlp', phase: 'triage' });

      await auth.setPassword('fg@test.example', 'correct horse battery staple 42');
      expect(await auth.verifyPassword('fg@test.example', 'correct horse battery staple 42')).toBe(true);
      expect(await auth.verifyPassword('fg@test.example', 'wrong')).toBe(false);

      const expires = Date.now() + 60_000;
      expect(await intake.claim('request-1', expires)).toBe(true);
      expect(await intake.claim('request-1', expires), 'a replay is refused').toBe(false);
    } finally {
      await Promise.all([register.close(), auth.close(), intake.close()]);
    }
    // The tables are the role's own: created by it, in its database.
    const client = new pg.Client({ connectionString: target.url });
    await client.connect();
    try {
      const owners = await client.query<{ owner: string }>(
        "SELECT DISTINCT tableowner AS owner FROM pg_tables WHERE schemaname = 'public'",
      );
      expect(owners.rows).toEqual([{ owner: 'lekdicht' }]);
    } finally {
      await client.end();
    }
  });

  it('lets the lekdicht role in with its own password only', async () => {
    await expect(asRole('lekdicht', 'not the password', 'lekdicht', 'SELECT 1')).rejects.toThrow(
      /password authentication failed/,
    );
    await expect(asRole('lekdicht', TEMPORAL_DB_PASSWORD, 'lekdicht', 'SELECT 1')).rejects.toThrow(
      /password authentication failed/,
    );
  });

  it("keeps the lekdicht role out of Temporal's databases, and Temporal's role out of lekdicht's", async () => {
    for (const database of ['temporal', 'temporal_visibility'])
      await expect(asRole('lekdicht', LEKDICHT_DB_PASSWORD, database, 'SELECT 1'), database).rejects.toThrow(
        /permission denied for database/,
      );
    await expect(asRole('temporal', TEMPORAL_DB_PASSWORD, 'lekdicht', 'SELECT 1')).rejects.toThrow(
      /permission denied for database/,
    );
    // Temporal's role itself works: the refusal above is the REVOKE, not a broken role.
    await asRole('temporal', TEMPORAL_DB_PASSWORD, 'temporal', 'SELECT 1');
  });

  it('gives the lekdicht role no power to create roles or databases, or to become another role', async () => {
    const as = (statement: string) => asRole('lekdicht', LEKDICHT_DB_PASSWORD, 'lekdicht', statement);
    await expect(as("CREATE ROLE intruder LOGIN PASSWORD 'x'")).rejects.toThrow(/permission denied to create role/);
    await expect(as('CREATE DATABASE elsewhere')).rejects.toThrow(/permission denied to create database/);
    await expect(as(`SET ROLE ${POSTGRES_USER}`)).rejects.toThrow(/permission denied to set role/);
    await expect(as('ALTER ROLE lekdicht SUPERUSER')).rejects.toThrow(/permission denied|must be superuser/);
  });
});
