import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { signal } from '../support/answers';
import { eventually } from '../support/harness';
import { FaultRig } from './support/rig';
import { ALL_TASKS, FAST_TIMING, walkBreach } from './support/walk';

const LOCK_MS = 15_000;

describe('the register locked by another process (an EXCLUSIVE transaction) for longer than its busy timeout', () => {
  let rig: FaultRig;
  let breachId: string;
  const locks: { during: string; heldMs: number }[] = [];

  /** Another connection (as a backup job or a long export would) holds the write lock for `ms`. */
  const holdLock = (during: string, ms: number) => {
    const other = new Database(rig.config.register.path);
    other.exec('BEGIN EXCLUSIVE');
    const started = Date.now();
    return new Promise<void>((resolve) =>
      setTimeout(() => {
        other.exec('COMMIT');
        other.close();
        locks.push({ during, heldMs: Date.now() - started });
        resolve();
      }, ms),
    );
  };

  beforeAll(async () => {
    rig = await FaultRig.start({ timing: FAST_TIMING, worker: 'child' });
    breachId = await rig.report(signal());
    const released: Promise<void>[] = [];
    await walkBreach(rig, breachId, async (step) => {
      // While triage is completed (timeline, ticket, the first-picture task's email all write), and while the
      // FG's decision starts the notification playbook.
      if (step.taskId === 'triage' || step.taskId === 'notification-decision') {
        // Once the task's own email is out: a lock that falls between "accepted by the SMTP server" and "recorded
        // as sent" would resend that one email (identically, same Message-ID); that window is the SMTP test's.
        await eventually(
          () => rig.smtp.withPurpose(`task-assigned:${step.taskId}`).length > 0 || undefined,
          `the ${step.taskId} email`,
        );
        await new Promise((r) => setTimeout(r, 500));
        released.push(holdLock(step.taskId, LOCK_MS));
      }
    });
    await Promise.all(released);
  }, 600_000);

  afterAll(() => rig?.close());

  it('held the lock longer than the busy timeout, so activities failed and were retried by Temporal', async () => {
    expect(locks.map((l) => l.during)).toEqual(['triage', 'notification-decision']);
    expect(locks.every((l) => l.heldMs >= LOCK_MS)).toBe(true);
    const retried: string[] = [];
    for (const id of [breachId, `${breachId}.notification`]) {
      const history = await rig.client.workflow.getHandle(id).fetchHistory();
      for (const event of history.events ?? []) {
        const started = event.activityTaskStartedEventAttributes;
        if (started && (started.attempt ?? 1) > 1) retried.push(`${id}#${String(event.eventId)}`);
      }
    }
    expect(retried.length).toBeGreaterThan(0);
  });

  it('lost nothing: the breach closed, every timeline entry, ticket and email is in the register', async () => {
    const view = await rig.view(breachId);
    expect(view.phase).toBe('closed');
    expect(view.tasks.map((t) => t.id).sort()).toEqual(ALL_TASKS);
    const keys = new Set((await rig.register.events(breachId)).map((e) => e.key));
    expect(view.timeline.filter((e) => !keys.has(e.id))).toEqual([]);
    expect((await rig.register.tickets(breachId)).map((t) => [t.task_id, t.status]).sort()).toEqual(
      ALL_TASKS.map((id) => [id, 'done']),
    );
    expect(await rig.register.breach(breachId)).toMatchObject({
      phase: 'closed',
      outcome: 'breach',
      authority_reference: 'AP-2026-12345',
    });
  });

  it('sent no email twice: the attempt is written before sending, so a locked register stops it before the SMTP server', async () => {
    const mine = rig.smtp.mails.filter((m) => m.subject.startsWith(`[${breachId}]`));
    expect(rig.smtp.conflicts()).toEqual([]);
    expect(new Set(mine.map((m) => m.messageId)).size).toBe(mine.length);
    expect(mine.map((m) => m.messageId).sort()).toEqual(
      (await rig.register.emails(breachId)).map((e) => e.message_id).sort(),
    );
  });
});
