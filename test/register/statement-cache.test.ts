import Database from 'better-sqlite3';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Kysely, SqliteDialect, sql } from 'kysely';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { withStatementCache } from '../../register/database';
import { BreachRegister } from '../../register/store';

/**
 * Kysely's SQLite driver prepares (parses and plans) every query it runs; the stores run the same statements over
 * and over. register/database.ts keeps them prepared per connection.
 */
describe('prepared statements on SQLite', () => {
  afterEach(() => vi.restoreAllMocks());

  it('are prepared once per statement, not once per write: 200 events and 200 letters marked', async () => {
    const register = await BreachRegister.open(join(mkdtempSync(join(tmpdir(), 'lekdicht-stmt-')), 'register.db'));
    await register.addRecipients(
      'breach-1',
      Array.from({ length: 200 }, (_, i) => ({ name: `P ${i}`, email: `p${i}@test.example` })),
    );
    const prepare = vi.spyOn(Database.prototype, 'prepare');
    const event = { breach_id: 'breach-1', at: '2026-12-01T09:00:00.000Z', actor: null, kind: 'note', text: 'x' };
    for (let i = 0; i < 200; i++) await register.recordEvent({ ...event, key: `e${i}` });
    for (let seq = 1; seq <= 200; seq++)
      await register.markRecipient('breach-1', seq, 'sent', { message_id: `<${seq}>` });
    // One INSERT and one UPDATE: prepared at most once each.
    expect(prepare.mock.calls.length).toBeLessThanOrEqual(2);
    expect(await register.events('breach-1')).toHaveLength(200);
    expect(await register.recipientCounts('breach-1')).toMatchObject({ sent: 200, pending: 0 });
    await register.close();
  });

  it('keep the most recently used ones when the cache is full', async () => {
    const cached = withStatementCache(new Database(':memory:'), 2);
    const db = new Kysely<{ t: { a: number; b?: number } }>({ dialect: new SqliteDialect({ database: cached }) });
    await sql`CREATE TABLE t (a INTEGER)`.execute(db);
    const insert = (a: number) => db.insertInto('t').values({ a }).execute();
    const all = () => db.selectFrom('t').selectAll().orderBy('a').execute();
    await insert(1);
    await insert(2);
    expect(await all()).toEqual([{ a: 1 }, { a: 2 }]);
    const warm = cached.prepared;
    await insert(3);
    await all();
    expect(cached.prepared).toBe(warm);
    // A third statement pushes out the least recently used (the INSERT), which is prepared again when needed.
    await db.selectFrom('t').select('a').where('a', '=', 1).execute();
    await all();
    await insert(4);
    expect(cached.prepared).toBe(warm + 2);
    expect(await all()).toEqual([1, 2, 3, 4].map((a) => ({ a })));
    await db.destroy();
  });

  it('follow a change of their table: a column added after a SELECT was prepared comes back from it', async () => {
    const cached = withStatementCache(new Database(':memory:'));
    const db = new Kysely<{ t: { a: number; b?: number } }>({ dialect: new SqliteDialect({ database: cached }) });
    await sql`CREATE TABLE t (a INTEGER)`.execute(db);
    await db.insertInto('t').values({ a: 1 }).execute();
    const all = () => db.selectFrom('t').selectAll().execute();
    expect(await all()).toEqual([{ a: 1 }]);
    await sql`ALTER TABLE t ADD COLUMN b INTEGER DEFAULT 7`.execute(db);
    const before = cached.prepared;
    expect(await all()).toEqual([{ a: 1, b: 7 }]);
    expect(cached.prepared).toBe(before);
    await db.destroy();
  });
});
