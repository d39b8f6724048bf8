import type { Session } from 'fastify';
import { afterAll, describe, expect, it } from 'vitest';
import { AuthStore } from '../../client/shared/auth-store';
import { IntakeStore } from '../../client/http/intake-store';
import { openStoreDatabase } from '../../register/database';
import { BreachRegister } from '../../register/store';
import { buildCli } from '../../client/cli/main';
import { ENGINES, TestDatabases, type Engine } from '../support/engines';

/**
 * The stores' behaviour on both engines: the SQLite files of the embedded default and one PostgreSQL database that
 * several workers and HTTP instances share. Two handles on one database stand for two processes: the claims,
 * leases, counters and sequence numbers that keep them from doing a thing twice must hold on each engine.
 */
const databases = new TestDatabases();
const freshTarget = (engine: Engine) => databases.fresh(engine);

afterAll(async () => {
  await databases.stop();
});

describe.each(ENGINES)('the stores on %s', (engine) => {
  describe('the register', () => {
    it('applies its migrations once, however many processes open it at the same moment', async () => {
      const target = await freshTarget(engine);
      const handles = await Promise.all([1, 2, 3].map(() => BreachRegister.open(target('register'))));
      const raw = openStoreDatabase<{ lekdicht_register_migrations: { name: string } }>(target('register'));
      const applied = await raw.db.selectFrom('lekdicht_register_migrations').select('name').orderBy('name').execute();
      expect(applied.map((m) => m.name)).toEqual(['0001-register', '0002-lasting-record', '0003-purges']);
      await raw.close();
      await Promise.all(handles.map((h) => h.close()));
    });

    it('upserts the breach row column by column, and writes an event once per key (a tally in place)', async () => {
      const register = await BreachRegister.open((await freshTarget(engine))('register'));
      await register.patchBreach('breach-1', { source: 'dlp', phase: 'triage', opened_at: '2026-12-01T09:00:00.000Z' });
      await register.patchBreach('breach-1', { phase: 'closed', notification_late: true });
      expect(await register.breach('breach-1')).toMatchObject({
        source: 'dlp',
        phase: 'closed',
        notification_late: 1,
      });
      const event = { breach_id: 'breach-1', at: '2026-12-01T09:00:01.000Z', actor: null, kind: 'note' };
      await register.recordEvent({ ...event, key: 'a', text: 'first' });
      await register.recordEvent({ ...event, key: 'a', text: 'again: ignored' });
      await register.recordEvent({ ...event, key: 'tally', text: '1 duplicate report' }, { replace: true });
      await register.recordEvent({ ...event, key: 'tally', text: '2 duplicate reports' }, { replace: true });
      expect((await register.events('breach-1')).map((e) => [e.key, e.text])).toEqual([
        ['a', 'first'],
        ['tally', '2 duplicate reports'],
      ]);
      await register.close();
    });

    it("marks each breach's changes (entries and the latest time) for many breaches at once", async () => {
      const register = await BreachRegister.open((await freshTarget(engine))('register'));
      // 1,200 breaches: more than one chunk of the query's bound parameters.
      const ids = Array.from({ length: 1_200 }, (_, i) => `breach-${String(i).padStart(4, '0')}`);
      for (const [i, id] of ids.entries())
        await register.recordEvent({
          breach_id: id,
          key: 'breach#1',
          at: `2026-12-01T09:00:${String(i % 60).padStart(2, '0')}.000Z`,
          actor: null,
          kind: 'signal-received',
          text: 'Signal received',
        });
      await register.recordEvent({
        breach_id: ids[1_100]!,
        key: 'breach#2',
        at: '2026-12-01T10:00:00.000Z',
        actor: null,
        kind: 'task-opened',
        text: 'Task triage opened',
      });
      const marks = await register.changeMarks([...ids, 'breach-without-entries']);
      expect(marks.size).toBe(1_200);
      expect(marks.get(ids[7]!)).toEqual({ count: 1, last: '2026-12-01T09:00:07.000Z' });
      expect(marks.get(ids[1_100]!)).toEqual({ count: 2, last: '2026-12-01T10:00:00.000Z' });
      expect(marks.has('breach-without-entries')).toBe(false);
      expect((await register.changeMarks([])).size).toBe(0);
      await register.close();
    });

    it('writes a record (row and event) all or nothing', async () => {
      const register = await BreachRegister.open((await freshTarget(engine))('register'));
      const bad = { key: 'x', breach_id: 'breach-1', at: '2026-12-01T09:00:00.000Z', actor: null, kind: 'note' };
      // An event without text breaks a NOT NULL constraint: the phase written before it in the same record goes too.
      await expect(
        register.record('breach-1', {
          breach: { phase: 'containment' },
          events: [bad as unknown as Parameters<BreachRegister['recordEvent']>[0]],
        }),
      ).rejects.toThrow();
      expect(await register.breach('breach-1')).toBeUndefined();
      await register.record('breach-1', { breach: { phase: 'containment' }, events: [{ ...bad, text: 'ok' }] });
      expect((await register.breach('breach-1'))?.phase).toBe('containment');
      expect(await register.events('breach-1')).toHaveLength(1);
      await register.close();
    });

    it("writes a playbook's queued timeline in the order noted, all or nothing, and again without doubling", async () => {
      const register = await BreachRegister.open((await freshTarget(engine))('register'));
      const entry = (key: string, text: string) => ({
        key,
        breach_id: 'breach-1',
        at: '2026-12-01T09:00:00.000Z',
        actor: null,
        kind: 'note',
        text,
      });
      const batch = [
        { breach: { phase: 'containment' }, event: entry('breach#1', 'Phase: containment') },
        { event: entry('breach~duplicates', '1 duplicate report'), replace: true },
        { breach: { phase: 'impact' }, event: entry('breach#2', 'Phase: impact') },
        { event: entry('breach~duplicates', '2 duplicate reports'), replace: true },
      ];
      await register.recordAll('breach-1', batch);
      // A retried activity writes the same batch again: nothing doubles, the later patch still wins.
      await register.recordAll('breach-1', batch);
      expect((await register.breach('breach-1'))?.phase).toBe('impact');
      expect((await register.events('breach-1')).map((e) => [e.key, e.text])).toEqual([
        ['breach#1', 'Phase: containment'],
        ['breach#2', 'Phase: impact'],
        ['breach~duplicates', '2 duplicate reports'],
      ]);
      // One entry that cannot be written: the batch's row changes before it are not kept either.
      const bad = { ...entry('breach#3', 'x'), text: null } as unknown as ReturnType<typeof entry>;
      await expect(register.recordAll('breach-1', [{ breach: { phase: 'closed' } }, { event: bad }])).rejects.toThrow();
      expect((await register.breach('breach-1'))?.phase).toBe('impact');

      // Tickets of the register's own system go in the same batches: opened, closed, each retried without effect.
      const opening = {
        open: {
          ref: 'breach-1/triage',
          breach_id: 'breach-1',
          task_id: 'triage',
          role: 'fg',
          title: 'Triage',
          due: '2026-12-01T13:00:00.000Z',
          created_at: '2026-12-01T09:00:00.000Z',
        },
      };
      const closing = { close: { task_id: 'triage', status: 'done' as const, at: '2026-12-01T10:00:00.000Z' } };
      await register.recordAll('breach-1', [{ ticket: opening }]);
      await register.recordAll('breach-1', [{ ticket: opening }]);
      expect(await register.ticket('breach-1', 'triage')).toMatchObject({ ref: 'breach-1/triage', status: 'open' });
      await register.recordAll('breach-1', [{ ticket: closing }, { ticket: opening }]);
      await register.recordAll('breach-1', [{ ticket: { close: { ...closing.close, status: 'cancelled' } } }]);
      expect(await register.ticket('breach-1', 'triage')).toMatchObject({
        status: 'done',
        closed_at: '2026-12-01T10:00:00.000Z',
      });
      await register.close();
    });

    it('lets exactly one of two processes claim an ended run, and one at a time hold the right to email', async () => {
      const target = (await freshTarget(engine))('register');
      const [a, b] = await Promise.all([BreachRegister.open(target), BreachRegister.open(target)]);
      await a.patchBreach('breach-1', { phase: 'containment', opened_at: '2026-12-01T09:00:00.000Z' });
      const run = {
        breachId: 'breach-1',
        workflowId: 'breach-1',
        runId: 'run-1',
        playbook: 'breach',
        status: 'TERMINATED',
        cause: 'terminated',
        endedAt: null,
      };
      const claims = await Promise.all(
        Array.from({ length: 10 }, (_, i) => (i % 2 ? a : b).claimEndedRun(run, `watch-${i}`)),
      );
      expect(claims.filter(Boolean)).toHaveLength(1);
      expect((await a.events('breach-1')).filter((e) => e.kind === 'ended-outside-lekdicht')).toHaveLength(1);
      const until = new Date(Date.now() + 60_000).toISOString();
      const leases = await Promise.all(
        Array.from({ length: 10 }, (_, i) => (i % 2 ? a : b).leaseEndedRun('breach-1', 'run-1', `watch-${i}`, until)),
      );
      expect(leases.filter(Boolean)).toHaveLength(1);
      await Promise.all([a.close(), b.close()]);
    });

    it('numbers the people to inform without gaps or losses when two lists are added at once', async () => {
      const target = (await freshTarget(engine))('register');
      const [a, b] = await Promise.all([BreachRegister.open(target), BreachRegister.open(target)]);
      const list = (who: string) =>
        Array.from({ length: 50 }, (_, i) => ({ name: `${who} ${i}`, email: `${who}.${i}@test.example` }));
      const [first, second] = await Promise.all([
        a.addRecipients('breach-1', list('a')),
        b.addRecipients('breach-1', list('b')),
      ]);
      expect([first.added, second.added]).toEqual([50, 50]);
      const rows = await a.recipients('breach-1');
      expect(rows.map((r) => r.seq)).toEqual(Array.from({ length: 100 }, (_, i) => i + 1));
      // The same address in another case, and a postal-only person twice: duplicates, skipped.
      expect(
        await a.addRecipients('breach-1', [
          { name: 'A 0', email: 'A.0@TEST.example' },
          { name: 'Post', address: 'Straat 1, Utrecht' },
          { name: 'Post', address: 'Straat 1, Utrecht' },
        ]),
      ).toEqual({ added: 1, duplicates: 2 });
      await a.markRecipient('breach-1', 1, 'sent', { message_id: '<m1@test>', sent_at: '2026-12-01T10:00:00.000Z' });
      await a.markRecipient('breach-1', 1, 'sent', {});
      expect((await a.recipients('breach-1', 'sent'))[0]).toMatchObject({ seq: 1, message_id: '<m1@test>' });
      expect(await b.recipientCounts('breach-1')).toEqual({ total: 101, pending: 100, sent: 1, failed: 0, toPrint: 0 });
      await Promise.all([a.close(), b.close()]);
    });

    it('keeps one ticket per task and counts every try to send an email', async () => {
      const register = await BreachRegister.open((await freshTarget(engine))('register'));
      const ticket = { ref: 'T-1', breach_id: 'breach-1', task_id: 'triage', role: 'fg', title: 'Triage', due: 'x' };
      await register.openTicket(ticket);
      expect((await register.openTicket({ ...ticket, ref: 'T-2' })).ref).toBe('T-1');
      await register.closeTicket('breach-1', 'triage', 'done');
      expect((await register.tickets('breach-1')).map((t) => [t.ref, t.status])).toEqual([['T-1', 'done']]);
      const attempt = { message_id: '<m@test>', breach_id: 'breach-1', purpose: 'p', recipient: 'fg@test.example' };
      for (let i = 0; i < 3; i++) await register.recordEmailAttempt(attempt);
      expect((await register.emailAttempts('breach-1'))[0]?.attempts).toBe(3);
      expect(await register.hasEmail('<m@test>')).toBe(false);
      await register.recordEmail({ ...attempt, subject: 's', sent_at: '2026-12-01T10:00:00.000Z' });
      await register.recordEmail({ ...attempt, subject: 'again', sent_at: '2026-12-01T10:00:01.000Z' });
      expect((await register.emails('breach-1')).map((e) => e.subject)).toEqual(['s']);
      await register.close();
    });

    it('counts the tries of a group of letters in one go, all or nothing, before they are sent', async () => {
      const register = await BreachRegister.open((await freshTarget(engine))('register'));
      const attempt = (n: number) => ({
        message_id: `<m${n}@test>`,
        breach_id: 'breach-1',
        purpose: 'data-subject',
        recipient: `p${n}@test.example`,
      });
      await register.recordEmailAttempt(attempt(1), '2026-12-01T10:00:00.000Z');
      // A new group: one letter tried before, one new, one twice in the group (two tries).
      await register.recordEmailAttempts([attempt(1), attempt(2), attempt(3), attempt(3)], '2026-12-01T10:05:00.000Z');
      expect(
        (await register.emailAttempts('breach-1')).map((a) => [a.message_id, a.attempts, a.first_at, a.last_at]),
      ).toEqual([
        ['<m1@test>', 2, '2026-12-01T10:00:00.000Z', '2026-12-01T10:05:00.000Z'],
        ['<m2@test>', 1, '2026-12-01T10:05:00.000Z', '2026-12-01T10:05:00.000Z'],
        ['<m3@test>', 2, '2026-12-01T10:05:00.000Z', '2026-12-01T10:05:00.000Z'],
      ]);
      // A group larger than one statement takes, with a broken row at its end: none of it is counted.
      const big = Array.from({ length: 1_200 }, (_, i) => attempt(100 + i));
      const broken = { ...attempt(9_999), recipient: null as unknown as string };
      await expect(register.recordEmailAttempts([...big, broken])).rejects.toThrow();
      expect(await register.emailAttempts('breach-1')).toHaveLength(3);
      await register.recordEmailAttempts(big);
      expect(await register.emailAttempts('breach-1')).toHaveLength(1_203);
      await register.close();
    });

    it('writes what became of a group of people in one go, all or nothing, keeping what a mark leaves out', async () => {
      const register = await BreachRegister.open((await freshTarget(engine))('register'));
      await register.addRecipients(
        'breach-1',
        Array.from({ length: 1_200 }, (_, i) => ({ name: `P ${i + 1}`, email: `p${i + 1}@test.example` })),
      );
      await register.addRecipients('breach-2', [{ name: 'Other', email: 'p1@test.example' }]);
      await register.markRecipient('breach-1', 4, 'failed', { message_id: '<m4@test>', error: 'first try' });
      await register.markRecipients('breach-1', [
        { seq: 1, status: 'sent', message_id: '<m1@test>', sent_at: '2026-12-01T10:00:00.000Z' },
        { seq: 2, status: 'failed', error: '550 no such user' },
        { seq: 3, status: 'to-print' },
        // Marked again: Message-ID kept, the earlier error gone.
        { seq: 4, status: 'sent', sent_at: '2026-12-01T10:00:01.000Z' },
        // The same person twice in one group: the later mark counts.
        { seq: 5, status: 'failed', error: 'stale' },
        { seq: 5, status: 'sent', message_id: '<m5@test>', sent_at: '2026-12-01T10:00:02.000Z' },
      ]);
      const row = async (seq: number) => {
        const { status, message_id, sent_at, error } = (await register.recipients('breach-1')).find(
          (r) => r.seq === seq,
        )!;
        return { status, message_id, sent_at, error };
      };
      expect(await row(1)).toEqual({
        status: 'sent',
        message_id: '<m1@test>',
        sent_at: '2026-12-01T10:00:00.000Z',
        error: null,
      });
      expect(await row(2)).toEqual({ status: 'failed', message_id: null, sent_at: null, error: '550 no such user' });
      expect(await row(3)).toEqual({ status: 'to-print', message_id: null, sent_at: null, error: null });
      expect(await row(4)).toEqual({
        status: 'sent',
        message_id: '<m4@test>',
        sent_at: '2026-12-01T10:00:01.000Z',
        error: null,
      });
      expect(await row(5)).toMatchObject({ status: 'sent', message_id: '<m5@test>', error: null });
      // Only the breach named: the other breach's person number 1 is still pending.
      expect(await register.recipientCounts('breach-2')).toMatchObject({ pending: 1, sent: 0 });
      // More people than one statement takes, the last mark invalid: nobody's row changes.
      const rest = Array.from({ length: 1_195 }, (_, i) => ({
        seq: 6 + i,
        status: 'sent' as const,
        sent_at: '2026-12-01T10:01:00.000Z',
      }));
      await expect(
        register.markRecipients('breach-1', [...rest, { seq: 1_200, status: 'lost' as 'sent' }]),
      ).rejects.toThrow();
      expect(await register.recipientCounts('breach-1')).toMatchObject({ pending: 1_195, sent: 3 });
      await register.markRecipients('breach-1', rest);
      expect(await register.recipientCounts('breach-1')).toEqual({
        total: 1_200,
        pending: 0,
        sent: 1_198,
        failed: 1,
        toPrint: 1,
      });
      await register.close();
    });
  });

  it('`lekdicht db migrate` brings all three stores to this version once, chosen by the configuration', async () => {
    const where = await freshTarget(engine);
    const env: NodeJS.ProcessEnv =
      engine === 'postgres'
        ? {
            LEKDICHT_DATABASE_ENGINE: 'postgres',
            LEKDICHT_DATABASE_URL: (where('register') as { url: string }).url,
          }
        : {
            LEKDICHT_REGISTER_PATH: (where('register') as { path: string }).path,
            LEKDICHT_AUTH_PATH: (where('auth') as { path: string }).path,
            LEKDICHT_INTAKE_PATH: (where('intake') as { path: string }).path,
          };
    const migrate = async () => {
      const out: string[] = [];
      await buildCli({ out: (line) => out.push(line), err: (line) => out.push(line) }, env).parseAsync(
        ['db', 'migrate', '--json'],
        { from: 'user' },
      );
      return JSON.parse(out.join('')) as { store: string; where: string; applied: string[] }[];
    };
    const first = await migrate();
    expect(first.map((r) => [r.store, r.applied])).toEqual([
      ['register', ['0001-register', '0002-lasting-record', '0003-purges']],
      ['auth', ['0001-auth']],
      ['intake', ['0001-intake']],
    ]);
    // The connection string's password never shows; the file or host and database do.
    for (const r of first)
      expect(r.where).toMatch(engine === 'postgres' ? /^postgresql:\/\/127\.0\.0\.1:\d+\/lekdicht_\d+$/ : /\.db$/);
    expect((await migrate()).map((r) => r.applied)).toEqual([[], [], []]);
    // And the stores open on what the command made.
    const register = await BreachRegister.open(where('register'));
    await register.patchBreach('breach-1', { phase: 'triage' });
    expect((await register.breach('breach-1'))?.phase).toBe('triage');
    await register.close();
  });

  describe('sessions and logins', () => {
    it('ends a session after its idle time and its lifetime, and on revoke, across instances', async () => {
      const target = (await freshTarget(engine))('auth');
      let now = Date.parse('2026-12-01T09:00:00Z');
      const [a, b] = await Promise.all([AuthStore.open(target, () => now), AuthStore.open(target, () => now)]);
      const limits = { idleMs: 60_000, lifetimeMs: 150_000 };
      const [storeA, storeB] = [a.sessionStore(limits), b.sessionStore(limits)];
      const session = { user: { email: 'FG@test.example' } } as unknown as Session;
      const set = (s: typeof storeA, sid: string) =>
        new Promise<void>((resolve, reject) => s.set(sid, session, (err) => (err ? reject(err) : resolve())));
      const get = (s: typeof storeA, sid: string) =>
        new Promise<Session | null | undefined>((resolve, reject) =>
          s.get(sid, (err, found) => (err ? reject(err) : resolve(found))),
        );
      await set(storeA, 'sid-1');
      // The other instance knows it: sessions are shared.
      expect(await get(storeB, 'sid-1')).toMatchObject({ user: { email: 'FG@test.example' } });
      now += 50_000;
      await set(storeB, 'sid-1'); // a request: idle time starts again
      now += 50_000;
      expect(await get(storeA, 'sid-1')).not.toBeNull();
      now += 30_000;
      await set(storeA, 'sid-1'); // touched, but never beyond the lifetime after the login
      now += 21_000;
      expect(await get(storeB, 'sid-1')).toBeNull();
      await set(storeA, 'sid-2');
      await set(storeA, 'sid-3');
      expect(await b.sessionCount('fg@test.example')).toBe(2);
      expect(await b.revokeSessions('fg@test.example')).toBe(2);
      expect(await get(storeA, 'sid-2')).toBeNull();
      await Promise.all([a.close(), b.close()]);
    });

    it('lets a login link be used once, also when two instances receive it at the same moment', async () => {
      const target = (await freshTarget(engine))('auth');
      const [a, b] = await Promise.all([AuthStore.open(target), AuthStore.open(target)]);
      const token = await a.createLoginLink('fg@test.example', 60_000);
      const used = await Promise.all(Array.from({ length: 6 }, (_, i) => (i % 2 ? a : b).consumeLoginLink(token)));
      expect(used.filter((email) => email !== undefined)).toEqual(['fg@test.example']);
      await Promise.all([a.close(), b.close()]);
    });

    it('counts failed logins per account in a window that all instances share, and keeps only hashes', async () => {
      const target = (await freshTarget(engine))('auth');
      let now = 1_000_000;
      const [a, b] = await Promise.all([AuthStore.open(target, () => now), AuthStore.open(target, () => now)]);
      await a.recordLoginFailure('fg@test.example', 10_000);
      await b.recordLoginFailure('FG@test.example', 10_000);
      expect(await a.loginFailures('fg@test.example', 10_000)).toBe(2);
      now += 10_001;
      expect(await b.loginFailures('fg@test.example', 10_000)).toBe(0);
      await a.setPassword('fg@test.example', 'correct horse battery staple 42');
      expect(await b.passwordHash('fg@test.example')).toMatch(/^\$argon2id\$/);
      expect(await b.verifyPassword('fg@test.example', 'correct horse battery staple 42')).toBe(true);
      expect(await b.verifyPassword('fg@test.example', 'wrong')).toBe(false);
      await a.recordDecode('fg@test.example', 3);
      expect(await b.decodes()).toEqual([expect.objectContaining({ email: 'fg@test.example', payloads: 3 })]);
      await Promise.all([a.close(), b.close()]);
    });
  });

  describe("the intake's replay cache and rate limits", () => {
    it('accepts a signed request once across instances, and no more requests than the limit', async () => {
      const target = (await freshTarget(engine))('intake');
      const now = 5_000_000;
      const [a, b] = await Promise.all([IntakeStore.open(target, () => now), IntakeStore.open(target, () => now)]);
      const claims = await Promise.all(Array.from({ length: 8 }, (_, i) => (i % 2 ? a : b).claim('hash-1', now + 1)));
      expect(claims.filter(Boolean)).toHaveLength(1);
      const limits = { perSource: { max: 5, window: 60_000 }, perEvent: { max: 100, window: 60_000 } };
      const admitted = await Promise.all(
        Array.from({ length: 12 }, (_, i) => (i % 2 ? a : b).admit('dlp', `breach-${i}`, limits)),
      );
      expect(admitted.filter((x) => x.ok)).toHaveLength(5);
      expect(admitted.find((x) => !x.ok)).toMatchObject({ ok: false, limit: 'source', retryAfterMs: 60_000 });
      await Promise.all([a.close(), b.close()]);
    });

    it('counts duplicate reports and lets one instance per interval tell the breach', async () => {
      const target = (await freshTarget(engine))('intake');
      const now = 7_000_000;
      const [a, b] = await Promise.all([IntakeStore.open(target, () => now), IntakeStore.open(target, () => now)]);
      await a.markStarted('breach-1', 'dlp');
      expect(await b.event('breach-1')).toEqual({ started: true, closed: false });
      const counted = await Promise.all(
        Array.from({ length: 6 }, (_, i) => (i % 2 ? a : b).countDuplicate('breach-1', 60_000)),
      );
      expect(counted.filter((c) => c.signal)).toHaveLength(1);
      expect(await a.duplicates('breach-1')).toMatchObject({ source: 'dlp', count: 6 });
      await b.markClosed('breach-1', 'dlp');
      expect(await a.event('breach-1')).toEqual({ started: true, closed: true });
      await Promise.all([a.close(), b.close()]);
    });
  });
});
