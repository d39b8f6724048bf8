import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { completeTask } from '../../client/shared/breaches';
import { startPostgres, type Postgres } from '../../devstack/postgres';
import { BreachRegister } from '../../register/store';
import { createLekdichtWorker } from '../../worker/create-worker';
import { testSigner } from '../support/acts';
import { answers, signal } from '../support/answers';
import { Harness, eventually } from '../support/harness';
import { CISO, FG, ICT } from '../support/people';

/** How long the register's events table stays locked: beyond a register batch's heartbeat timeout. */
const LOCK_HELD_MS = 13_000;

// Timeline entries do not hold up the playbook (workflows/playbook-timeline.ts, patch timeline-queued): they are
// in the case view at once, and written to the register by one writer per run, in batches, in the order noted.

describe('a security incident closes with its whole timeline in the register', () => {
  let h: Harness;
  beforeAll(async () => {
    h = await Harness.start();
  });
  afterAll(() => h?.close());

  it('writes every entry, the last ones included, before the run ends: the register has them when the result is in', async () => {
    const breachId = await h.report(signal());
    await h.complete(breachId, 'triage', FG, answers.triageNotABreach());
    await h.result(breachId);
    // Read at once, no waiting: the run ends only after its queue is written ("closed" is noted right before).
    const keys = new Set((await h.register.events(breachId)).map((e) => e.key));
    const view = await h.view(breachId);
    expect(view.timeline.map((e) => e.kind)).toContain('closed');
    expect(view.timeline.filter((e) => !keys.has(e.id))).toEqual([]);
    expect(await h.register.breach(breachId)).toMatchObject({
      phase: 'closed',
      outcome: 'security-incident',
      closed_at: expect.any(String),
    });
  });
});

describe('completing tasks while the register cannot take a timeline entry (PostgreSQL, events table locked)', () => {
  const URL_ENV = 'LEKDICHT_TIMELINE_TEST_DATABASE_URL';
  let postgres: Postgres;
  let url: string;
  let h: Harness;
  let register: BreachRegister;

  beforeAll(async () => {
    postgres = await startPostgres();
    await postgres.createDatabase('timeline_queue');
    url = postgres.url('timeline_queue');
    h = await Harness.start(
      {},
      {
        // The product's worker on a PostgreSQL register: a lock there makes a write wait without stopping the
        // worker's event loop (SQLite's driver waits synchronously), as a busy production database would.
        createWorker: (options) =>
          createLekdichtWorker({
            ...options,
            env: { ...process.env, [URL_ENV]: url },
            config: { ...options.config, database: { engine: 'postgres', urlEnv: URL_ENV } },
          }),
      },
    );
    register = await BreachRegister.open({ engine: 'postgres', url });
  }, 120_000);

  afterAll(async () => {
    await h?.close();
    await register?.close();
    await postgres?.stop();
  });

  it("returns each update without the register and shows the task done in the breach's case view; the entries follow once the register is free", async () => {
    const breachId = await h.report(signal());
    await h.complete(breachId, 'triage', FG, answers.triageBreach());
    await h.openTask(breachId, 'first-picture');
    await eventually(
      async () => (await register.events(breachId)).some((e) => e.text === 'Task triage completed'),
      "triage's completion in the register",
    );

    // Another session holds the events table: every timeline write waits (reads go on).
    const locker = new pg.Client({ connectionString: url });
    await locker.connect();
    try {
      await locker.query('BEGIN');
      await locker.query('LOCK TABLE events IN EXCLUSIVE MODE');
      const lockedAt = Date.now();
      const completeNow = (taskId: string, actor: string, answer: unknown) =>
        Promise.race([
          completeTask(h.client, breachId, taskId, actor, answer, testSigner()),
          new Promise<'still waiting'>((resolve) => setTimeout(() => resolve('still waiting'), 15_000)),
        ]);

      // The breach's own task.
      expect(await completeNow('first-picture', CISO, answers.firstPicture())).toMatchObject({ status: 'done' });
      expect((await h.view(breachId)).tasks.find((t) => t.id === 'first-picture')?.status).toBe('done');
      // A child playbook's task: opened, reported to the breach and completed, all while the register is locked.
      await h.openTask(breachId, 'containment-1');
      expect(await completeNow('containment-1', ICT, answers.containment(false))).toMatchObject({ status: 'done' });
      // Answered once the breach has heard it: the next read of the case view shows it, as before.
      expect((await h.view(breachId)).tasks.find((t) => t.id === 'containment-1')?.status).toBe('done');
      const completed = (await register.events(breachId)).filter((e) => e.kind === 'task-completed');
      expect(completed.map((e) => e.text)).toEqual(['Task triage completed']);
      // Held beyond a batch's heartbeat timeout (10 s, workflows/activities.ts): a batch that waits on the lock keeps
      // beating, so it is not taken for dead and run a second time beside the first.
      await new Promise((r) => setTimeout(r, Math.max(0, lockedAt + LOCK_HELD_MS - Date.now())));
    } finally {
      await locker.query('COMMIT');
      await locker.end();
    }

    // The register catches up, nothing lost, each playbook's entries in the order noted.
    const view = await h.view(breachId);
    const events = await eventually(async () => {
      const rows = await register.events(breachId);
      const keys = new Set(rows.map((e) => e.key));
      return view.timeline.every((e) => keys.has(e.id)) && rows;
    }, 'every entry of the case view in the register');
    const attempts: string[] = [];
    for (const playbook of ['containment', 'notification']) {
      const history = await h.client.workflow.getHandle(`${breachId}.${playbook}`).fetchHistory();
      for (const e of history.events ?? [])
        if ((e.activityTaskStartedEventAttributes?.attempt ?? 1) > 1) attempts.push(`${playbook}#${String(e.eventId)}`);
    }
    expect(attempts).toEqual([]);
    expect(events.filter((e) => e.kind === 'task-completed').map((e) => e.text)).toEqual([
      'Task triage completed',
      'Task first-picture completed',
      'Task containment-1 completed',
    ]);
  });
});
