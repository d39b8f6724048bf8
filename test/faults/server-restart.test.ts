import { mkdtempSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { provisionTemporal, type TemporalTarget } from '../../devstack/temporal-server';
import { answers, signal } from '../support/answers';
import { FG } from '../support/people';
import { FaultRig } from './support/rig';
import { ALL_TASKS, FAST_TIMING, walkBreach } from './support/walk';

describe('the Temporal dev server stopped and restarted on its SQLite file in the middle of breaches', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'lekdicht-faults-temporal-'));
  const dbFile = join(dataDir, 'temporal.db');
  const env = { ...process.env };
  delete env.TEMPORAL_ADDRESS;
  let server: TemporalTarget;
  let port: number;
  let rig: FaultRig;
  let breachId: string;
  let waitingId: string;
  const restartedAt: string[] = [];

  const restart = async (during: string) => {
    await server.stop();
    // Down for a moment: the worker's polls and the client's calls fail meanwhile.
    await new Promise((r) => setTimeout(r, 2_000));
    server = await provisionTemporal({ env, port, uiPort: null, dbFile, dataDir });
    restartedAt.push(during);
  };

  beforeAll(async () => {
    server = await provisionTemporal({ env, port: 0, uiPort: null, dbFile, dataDir });
    port = Number(server.address.split(':').pop());
    rig = await FaultRig.start({
      timing: FAST_TIMING,
      worker: 'child',
      temporal: { address: server.address, namespace: server.namespace },
    });
    breachId = await rig.report(signal());
    // A second breach waits in triage through every restart.
    waitingId = await rig.report(signal());
    await walkBreach(rig, breachId, async (step) => {
      // Waiting for a person; right after an update, with the next task's ticket and email in flight; during
      // containment's and aftercare's timers.
      if (['first-picture', 'impact', 'containment-confirmation-1', 'aftercare-follow-up-1'].includes(step.taskId))
        await restart(step.taskId);
    });
  }, 600_000);

  afterAll(async () => {
    await rig?.close();
    await server?.stop();
  });

  it('restarted the server on the same database file, and the breach closed with every task done', async () => {
    expect(restartedAt).toHaveLength(4);
    expect(statSync(dbFile).size).toBeGreaterThan(0);
    const view = await rig.view(breachId);
    expect(view.phase).toBe('closed');
    expect(view.tasks.map((t) => t.id).sort()).toEqual(ALL_TASKS);
    expect(view.tasks.every((t) => t.status === 'done')).toBe(true);
    expect(await rig.register.tickets(breachId)).toHaveLength(ALL_TASKS.length);
  });

  it('kept the worker process running through the restarts (it reconnected by itself)', () => {
    expect(rig.workerStarts).toBe(1);
    expect(rig.workerRunning).toBe(true);
  });

  it('sent every email once, identical under its Message-ID', async () => {
    expect(rig.smtp.conflicts()).toEqual([]);
    const mine = rig.smtp.distinct().filter((m) => m.subject.startsWith(`[${breachId}]`));
    expect(mine.map((m) => m.messageId).sort()).toEqual(
      (await rig.register.emails(breachId)).map((e) => e.message_id).sort(),
    );
  });

  it('kept the breach that waited through every restart; it finishes when worked', async () => {
    const before = await rig.workflowsByStatus();
    expect(before.RUNNING).toBe(1);
    await rig.complete(waitingId, 'triage', FG, answers.triageNotABreach());
    await expect(rig.result(waitingId)).resolves.toMatchObject({ outcome: 'security-incident' });
    const after = await rig.workflowsByStatus();
    expect(Object.keys(after).sort()).toEqual(['COMPLETED', 'CONTINUED_AS_NEW']);
    // Visibility (SQLite) survived too: the FG's dashboard query finds both breaches by their phase.
    const { count } = await rig.client.workflow.count(`TaskQueue = '${rig.taskQueue}' AND BreachPhase = 'closed'`);
    expect(count).toBe(2);
  });
});
