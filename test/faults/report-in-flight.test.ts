import proto from '@temporalio/proto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CaseView } from '../../domain/case';
import { playbookViewQuery } from '../../workflows/messages';
import { answers, signal } from '../support/answers';
import { eventually } from '../support/harness';
import { CISO, FG } from '../support/people';
import { FaultRig } from './support/rig';
import { FAST_TIMING } from './support/walk';

const { TimeoutType } = proto.temporal.api.enums.v1;

// The fault CI's production suite found in the first reports-ride: a worker SIGKILLed while a register batch, with
// the child's change report riding in it, was in flight and unsent. The case view then lacked the report until the
// activity's start-to-close minute was up, and the notification deadline with it.
describe('the worker SIGKILLed while register batches, and the reports they carry, are in flight', () => {
  let rig: FaultRig;
  let breachId: string;
  /** The case view while the notification playbook's first batch was held, before the kill. */
  let whileHeld: CaseView;
  let held: string[] = [];

  beforeAll(async () => {
    rig = await FaultRig.start({
      timing: FAST_TIMING,
      worker: 'child',
      holdBatchesOf: ['.notification', '.containment'],
    });
    breachId = await rig.report(signal({ eventId: `in-flight-${Date.now()}` }));
    await rig.complete(breachId, 'triage', FG, answers.triageBreach());
    await eventually(
      () => rig.workerOutput.includes(`holding ${breachId}.notification`),
      'the notification batch held',
    );
    whileHeld = await eventually(async () => {
      const view = await rig.view(breachId);
      return view.deadlines.some((d) => d.kind === 'gdpr-authority') && view;
    }, 'the authority deadline in the case view while the batch is held');
    await rig.complete(breachId, 'first-picture', CISO, answers.firstPicture());
    await eventually(() => rig.workerOutput.includes(`holding ${breachId}.containment`), 'the containment batch held');
    held = [...rig.workerOutput.matchAll(/^holding (\S+) (with|without) a report$/gm)].map((m) => `${m[1]} ${m[2]}`);
    await rig.killWorker();
    await rig.startWorker();
  }, 300_000);

  afterAll(() => rig?.close());

  it('held both batches in the worker that was killed; the containment batch carried a report', () => {
    expect(held).toEqual([`${breachId}.notification without`, `${breachId}.containment with`]);
    expect(rig.workerStarts).toBe(2);
  });

  it("showed the notification deadline at once, though the notification playbook's first batch was held", () => {
    const deadline = whileHeld.deadlines.find((d) => d.kind === 'gdpr-authority');
    expect(deadline?.due).toBe(whileHeld.facts.notificationDeadline);
  });

  it('another worker took the held batches up after their heartbeat timeout and sent the report', async () => {
    // containment-1's opening was in the report the killed worker held.
    await eventually(
      async () => (await rig.view(breachId)).tasks.some((t) => t.id === 'containment-1' && t.status === 'open'),
      'containment-1 open in the case view',
      40_000,
    );
    for (const playbook of ['notification', 'containment']) {
      const history = await rig.client.workflow.getHandle(`${breachId}.${playbook}`).fetchHistory();
      const retried = (history.events ?? [])
        .map((e) => e.activityTaskStartedEventAttributes)
        .filter((a) => a && (a.attempt ?? 1) > 1);
      expect(retried.length, playbook).toBeGreaterThan(0);
      expect(retried[0]!.lastFailure?.timeoutFailureInfo?.timeoutType, playbook).toBe(
        TimeoutType.TIMEOUT_TYPE_HEARTBEAT,
      );
    }
    const own = await rig.client.workflow.getHandle(`${breachId}.containment`).query(playbookViewQuery);
    const view = await rig.view(breachId);
    for (const task of own.tasks) expect(view.tasks.find((t) => t.id === task.id)).toEqual(task);
  });

  it('lost nothing: every entry of both playbooks is in the register', async () => {
    const entries = async () => {
      const own = await Promise.all(
        ['notification', 'containment'].map((p) =>
          rig.client.workflow.getHandle(`${breachId}.${p}`).query(playbookViewQuery),
        ),
      );
      const keys = new Set((await rig.register.events(breachId)).map((e) => e.key));
      return own.flatMap((o) => o.timeline).filter((e) => !keys.has(e.id));
    };
    expect(await eventually(async () => (await entries()).length === 0 && [], 'every entry in the register')).toEqual(
      [],
    );
  });
});
