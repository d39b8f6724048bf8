import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { messageIdFor } from '../../activities/email';
import type { Phase } from '../../domain/case';
import { answers, signal } from '../support/answers';
import { eventually } from '../support/harness';
import { FG, PROCESS_OWNER } from '../support/people';
import { FaultRig } from './support/rig';
import { ALL_TASKS, FAST_TIMING, walkBreach } from './support/walk';

describe('the worker process SIGKILLed in every phase, and in the middle of sending an email', () => {
  let rig: FaultRig;
  let breachId: string;
  let lateBreachId: string;
  const killedIn: string[] = [];

  const killAndRestart = async (during: string, meanwhile?: () => Promise<void>) => {
    await rig.killWorker();
    killedIn.push(during);
    await meanwhile?.();
    await rig.startWorker();
  };

  beforeAll(async () => {
    rig = await FaultRig.start({ timing: FAST_TIMING, worker: 'child' });
    breachId = await rig.report(signal({ eventId: `kill-${Date.now()}` }));
    const phasesKilled = new Set<Phase>();
    await walkBreach(rig, breachId, async (step) => {
      if (step.taskId === 'impact') {
        // The email announcing the impact task is accepted by the SMTP server's DATA, which then never answers:
        // the worker dies while the email activity waits for the "250".
        await eventually(
          () => rig.smtp.withPurpose('task-assigned:impact').some((m) => m.answered === 'never') || undefined,
          'the impact email in flight',
        );
        await killAndRestart('impact (email in flight)', async () => rig.smtp.release());
        phasesKilled.add(step.phase);
        return;
      }
      if (step.taskId === 'containment-confirmation-1') {
        rig.smtp.dataFault = (mail) => (mail.purpose === 'task-assigned:impact' ? 'hang' : undefined);
      }
      if (phasesKilled.has(step.phase)) return;
      await rig.waitForPhase(breachId, step.phase);
      phasesKilled.add(step.phase);
      await killAndRestart(step.phase, async () => {
        // A breach reported while no worker runs is not lost: it waits on the server.
        if (step.phase === 'triage') lateBreachId = await rig.report(signal({ eventId: `kill-late-${Date.now()}` }));
      });
    });
  }, 600_000);

  afterAll(() => rig?.close());

  it('killed the worker for real in each phase, and the breach closed with every task done', async () => {
    expect(killedIn).toEqual([
      'triage',
      'first-picture',
      'containment',
      'impact (email in flight)',
      'decision',
      'notification',
      'aftercare',
      'evaluation',
    ]);
    expect(rig.workerStarts).toBe(killedIn.length + 1);
    const view = await rig.view(breachId);
    expect(view.phase).toBe('closed');
    expect(view.tasks.map((t) => t.id).sort()).toEqual(ALL_TASKS);
    expect(view.tasks.every((t) => t.status === 'done' && t.ticketRef)).toBe(true);
    expect((await rig.register.tickets(breachId)).map((t) => t.status)).toEqual(ALL_TASKS.map(() => 'done'));
    expect(await rig.register.breach(breachId)).toMatchObject({
      phase: 'closed',
      outcome: 'breach',
      authority_reference: 'AP-2026-12345',
    });
  });

  it('sent the email interrupted by the kill again, identical under the same Message-ID; every other email once', async () => {
    const copies = rig.smtp.withPurpose('task-assigned:impact');
    expect(copies.map((c) => c.answered)).toEqual(['never', 'ok']);
    expect(new Set(copies.map((c) => c.messageId))).toEqual(
      new Set([messageIdFor(breachId, 'task-assigned:impact', PROCESS_OWNER)]),
    );
    expect(new Set(copies.map((c) => `${c.subject}\n${c.text}`)).size).toBe(1);
    expect(rig.smtp.conflicts()).toEqual([]);
    // A kill while the breach "waits" can still catch an email in flight (e.g. the tasks a phase opens all at
    // once): it comes again, identical (checked above), under its Message-ID. At most one kill's worth of them.
    const mine = rig.smtp.mails.filter((m) => m.subject.startsWith(`[${breachId}]`));
    const repeated = mine
      .filter((m, i) => mine.findIndex((o) => o.messageId === m.messageId) !== i)
      .map((m) => `${m.purpose} → ${m.to.join()}`);
    console.log(`emails repeated after a kill (identical, same Message-ID): ${repeated.join('; ') || 'none'}`);
    expect(repeated.length).toBeLessThanOrEqual(killedIn.length * 4);
    expect(
      rig.smtp
        .distinct()
        .filter((m) => m.subject.startsWith(`[${breachId}]`))
        .map((m) => m.messageId)
        .sort(),
    ).toEqual((await rig.register.emails(breachId)).map((e) => e.message_id).sort());
  });

  it('kept the breach reported while no worker ran, and it finishes when worked', async () => {
    await rig.complete(lateBreachId, 'triage', FG, answers.triageNotABreach());
    await expect(rig.result(lateBreachId)).resolves.toMatchObject({ outcome: 'security-incident' });
    expect(
      rig.smtp.withPurpose('task-assigned:triage').filter((m) => m.subject.startsWith(`[${lateBreachId}]`)),
    ).toHaveLength(2);
  });

  it('left no workflow of the task queue failed, timed out or running', async () => {
    const statuses = await rig.workflowsByStatus();
    expect(Object.keys(statuses).sort()).toEqual(['COMPLETED', 'CONTINUED_AS_NEW']);
  });
});
