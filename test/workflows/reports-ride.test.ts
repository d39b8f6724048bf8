import nodemailer from 'nodemailer';
import proto from '@temporalio/proto';
import { decodeFromPayloadsAtIndex } from '@temporalio/common/lib/internal-non-workflow';
import { MockActivityEnvironment } from '@temporalio/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createActivities, type RecordAllRequest, type RecordAllResult } from '../../activities';
import { LocalTicketSystem } from '../../activities/tickets';
import type { Task } from '../../domain/tasks';
import { playbookReportSignal, playbookViewQuery, type PlaybookChanges } from '../../workflows/messages';
import { answers, signal } from '../support/answers';
import { Harness, eventually } from '../support/harness';
import { createLekdichtWorker } from '../../worker/create-worker';
import type { ActivityInterceptorsFactory } from '@temporalio/worker';
import { CISO, FG, ICT } from '../support/people';

// A child playbook's change reports ride with its register batches (workflows/playbook-timeline.ts, patch
// reports-ride): the `recordAll` activity sends them to the breach, so the child spends no signal on most of them.

const { EventType } = proto.temporal.api.enums.v1;

/** How many signals of `name` a workflow's run received, and how many it sent. */
async function signals(h: Harness, workflowId: string, name: string) {
  const history = await h.client.workflow.getHandle(workflowId).fetchHistory();
  let received = 0;
  let sent = 0;
  for (const e of history.events ?? []) {
    if (e.eventType === EventType.EVENT_TYPE_WORKFLOW_EXECUTION_SIGNALED)
      received += e.workflowExecutionSignaledEventAttributes?.signalName === name ? 1 : 0;
    if (e.eventType === EventType.EVENT_TYPE_SIGNAL_EXTERNAL_WORKFLOW_EXECUTION_INITIATED)
      sent += e.signalExternalWorkflowExecutionInitiatedEventAttributes?.signalName === name ? 1 : 0;
  }
  return { received, sent };
}

/** A containment task as a report carries it (whole). */
const task = (id: string, status: Task['status']): Task => ({
  id,
  kind: 'containment',
  role: 'ict',
  title: 'Containment',
  playbook: 'containment',
  workflowId: 'not-a-workflow',
  createdAt: '2026-12-05T08:00:00.000Z',
  due: '2026-12-05T12:00:00.000Z',
  status,
  overdue: false,
});

const PLAYBOOKS = ['containment', 'notification', 'aftercare', 'evaluation', 'data-subjects'];

describe("a child playbook's reports to the breach", () => {
  let h: Harness;
  beforeAll(async () => {
    h = await Harness.start();
  });
  afterAll(() => h?.close());

  it('mostly ride with its register writes, and the case view still shows exactly what the playbook holds', async () => {
    const breachId = await h.report(signal());
    await h.complete(breachId, 'triage', FG, answers.triageBreach());
    await h.complete(breachId, 'first-picture', CISO, answers.firstPicture());
    await h.openTask(breachId, 'containment-1');
    await h.complete(breachId, 'containment-1', ICT, answers.containment(false));

    const child = `${breachId}.containment`;
    const state = await eventually(async () => {
      const own = await h.client.workflow.getHandle(child).query(playbookViewQuery);
      const view = await h.view(breachId);
      const ids = new Set(view.timeline.map((e) => e.id));
      return own.timeline.every((e) => ids.has(e.id)) && { own, view };
    }, "the containment playbook's timeline in the case view");
    expect(state.own.tasks.map((t) => t.id)).toContain('containment-1');
    for (const t of state.own.tasks) expect(state.view.tasks.find((v) => v.id === t.id)).toEqual(t);

    // The breach heard more reports than its playbooks sent as signals: the rest came with their register batches.
    let sent = 0;
    for (const playbook of PLAYBOOKS)
      sent += await signals(h, `${breachId}.${playbook}`, 'playbookReport').then(
        (s) => s.sent,
        () => 0, // not started
      );
    const { received } = await signals(h, breachId, 'playbookReport');
    expect(received).toBeGreaterThan(0);
    expect(sent).toBeLessThan(received);

    // Someone on Temporal's frontend copies the first, encrypted report (containment-1 open) from the breach's
    // history and sends it again: it is older than the last the breach took, so the task stays done.
    const history = await h.client.workflow.getHandle(breachId).fetchHistory();
    let first: proto.temporal.api.history.v1.IWorkflowExecutionSignaledEventAttributes | undefined;
    for (const e of history.events ?? []) {
      const signalled = e.workflowExecutionSignaledEventAttributes;
      if (signalled?.signalName !== 'playbookReport') continue;
      const report = await decodeFromPayloadsAtIndex<PlaybookChanges>(
        h.client.options.loadedDataConverter,
        0,
        signalled.input?.payloads,
      );
      if (report.tasks?.some((t) => t.id === 'containment-1' && t.status === 'open')) {
        first = signalled;
        break;
      }
    }
    if (!first) throw new Error('no report with containment-1 open in the history');
    await h.client.workflowService.signalWorkflowExecution({
      namespace: h.client.options.namespace,
      workflowExecution: { workflowId: breachId },
      signalName: 'playbookReport',
      input: first.input ?? null,
      identity: 'someone on the frontend',
    });
    await eventually(
      async () => (await signals(h, breachId, 'playbookReport')).received === received + 1 || undefined,
      'the copied report in the history',
    );
    expect((await h.view(breachId)).tasks.find((t) => t.id === 'containment-1')?.status).toBe('done');
  });

  it('never goes back: an older report that arrives after a newer one is dropped, a new playbook run is heard', async () => {
    const breachId = await h.report(signal());
    await h.openTask(breachId, 'triage');
    const send = (changes: Omit<PlaybookChanges, 'playbook' | 'changes'>) =>
      h.client.workflow
        .getHandle(breachId)
        .signal(playbookReportSignal, { playbook: 'containment', changes: true, ...changes });
    const statusOf = async () => (await h.view(breachId)).tasks.find((t) => t.id === 'containment-9')?.status;

    await send({ tasks: [task('containment-9', 'done')], seq: { chain: 'run-a', seq: 5 } });
    await eventually(async () => (await statusOf()) === 'done', 'the newer report');
    // The older report, late (its activity ran after the child's own signal, or was retried), then a newer one of
    // another task: once that shows, the older one has been handled, and must have changed nothing.
    await send({ tasks: [task('containment-9', 'open')], seq: { chain: 'run-a', seq: 4 } });
    await send({ tasks: [task('containment-10', 'open')], seq: { chain: 'run-a', seq: 6 } });
    await eventually(
      async () => (await h.view(breachId)).tasks.some((t) => t.id === 'containment-10'),
      'the report after the late one',
    );
    expect(await statusOf()).toBe('done');
    // Another workflow of the same playbook counts from 1 again: heard.
    await send({ tasks: [task('containment-9', 'open')], seq: { chain: 'run-b', seq: 1 } });
    await eventually(async () => (await statusOf()) === 'open', "the new workflow's report");
  });

  describe('the recordAll activity that carries one', () => {
    const activities = () =>
      createActivities({
        config: () => h.config,
        transport: nodemailer.createTransport({ jsonTransport: true }),
        register: h.register,
        tickets: new LocalTicketSystem(h.register),
      });
    const write = (key: string): RecordAllRequest['writes'][number] => ({
      event: { key, at: new Date().toISOString(), kind: 'note', text: `Entry ${key}` },
    });
    const run = (request: RecordAllRequest, heartbeatDetails?: unknown): Promise<RecordAllResult> =>
      new MockActivityEnvironment(heartbeatDetails ? { heartbeatDetails } : {}, { client: h.client }).run(
        (r: RecordAllRequest) => activities().recordAll(r),
        request,
      );
    const changes = (id: string): PlaybookChanges => ({
      playbook: 'containment',
      changes: true,
      tasks: [task(id, 'open')],
      seq: { chain: `chain-${id}`, seq: 1 },
    });

    it('sends it to the breach before writing the batch; a retry whose first attempt sent it does not send it again', async () => {
      const breachId = await h.report(signal());
      await h.openTask(breachId, 'triage');
      const before = (await signals(h, breachId, 'playbookReport')).received;
      const result = await run({
        breachId,
        writes: [write('containment#90')],
        report: { to: breachId, changes: changes('containment-8') },
      });
      expect(result).toEqual({ report: 'heard' });
      expect((await h.register.events(breachId)).map((e) => e.key)).toContain('containment#90');
      await eventually(
        async () => (await h.view(breachId)).tasks.some((t) => t.id === 'containment-8'),
        'the carried report in the case view',
      );
      expect((await signals(h, breachId, 'playbookReport')).received).toBe(before + 1);

      const retried = await run(
        { breachId, writes: [write('containment#90')], report: { to: breachId, changes: changes('x-1') } },
        { report: 'heard' },
      );
      expect(retried).toEqual({ report: 'heard' });
      expect((await signals(h, breachId, 'playbookReport')).received).toBe(before + 1);
    });

    it('answers "gone" for a breach that has ended, and still writes the batch', async () => {
      const breachId = await h.report(signal());
      await h.complete(breachId, 'triage', FG, answers.triageNotABreach());
      await h.result(breachId);
      const result = await run({
        breachId,
        writes: [write('containment#91')],
        report: { to: breachId, changes: changes('containment-7') },
      });
      expect(result).toEqual({ report: 'gone' });
      expect((await h.register.events(breachId)).map((e) => e.key)).toContain('containment#91');
    });

    it('writes a batch without a report as before, and says nothing of a report', async () => {
      const breachId = await h.report(signal());
      expect(await run({ breachId, writes: [write('containment#92')] })).toEqual({});
      expect((await h.register.events(breachId)).map((e) => e.key)).toContain('containment#92');
    });
  });

  describe('with a register batch held by a worker that froze (it took the activity and never answers)', () => {
    let frozen: Harness;
    /** Workflow IDs whose every recordAll freezes, and those whose first attempt of a recordAll does. */
    const freezeAll = new Set<string>();
    const freezeFirst = new Set<string>();
    const thawed: (() => void)[] = [];
    /** The SDK's activity interceptor on the product's worker: the attempt neither heartbeats nor completes. */
    const freezer: ActivityInterceptorsFactory = (ctx) => ({
      inbound: {
        async execute(input, next) {
          const { activityType, attempt, workflowExecution } = ctx.info;
          const id = workflowExecution?.workflowId ?? '';
          const freeze = activityType === 'recordAll' && (freezeAll.has(id) || (attempt === 1 && freezeFirst.has(id)));
          if (!freeze) return next(input);
          freezeFirst.delete(id);
          await new Promise<void>((resolve) => thawed.push(resolve));
          throw new Error('thawed after the test: the server has long given this attempt up');
        },
      },
    });

    beforeAll(async () => {
      frozen = await Harness.start(
        {},
        { createWorker: (options) => createLekdichtWorker({ ...options, activityInterceptors: [freezer] }) },
      );
    });
    afterAll(async () => {
      for (const thaw of thawed) thaw();
      await frozen?.close();
    });

    it('the notification deadline reaches the case view at once: a change of deadlines does not wait for a batch', async () => {
      const breachId = await frozen.report(signal());
      // Every register batch of the notification playbook freezes: what rides with one never arrives.
      freezeAll.add(`${breachId}.notification`);
      await frozen.complete(breachId, 'triage', FG, answers.triageBreach());
      const view = await eventually(async () => {
        const v = await frozen.view(breachId);
        return v.deadlines.some((d) => d.kind === 'gdpr-authority') && v;
      }, 'the authority deadline in the case view');
      expect(view.facts.notificationDeadline).toBe(view.deadlines.find((d) => d.kind === 'gdpr-authority')?.due);
      // Frozen indeed: none of the notification playbook's entries reached the register.
      expect((await frozen.register.events(breachId)).filter((e) => e.key.startsWith('notification#'))).toEqual([]);
    });

    it('a batch whose worker froze is taken for dead after its heartbeat timeout, and its report arrives then', async () => {
      const breachId = await frozen.report(signal());
      const child = `${breachId}.containment`;
      freezeFirst.add(child);
      await frozen.complete(breachId, 'triage', FG, answers.triageBreach());
      await frozen.complete(breachId, 'first-picture', CISO, answers.firstPicture());
      // containment-1's opening rides with the containment playbook's first batch, the one that froze.
      await frozen.openTask(breachId, 'containment-1');
      expect(freezeFirst.has(child)).toBe(false);

      // The second attempt followed the first's heartbeat timeout, not its start-to-close minute.
      const history = await frozen.client.workflow.getHandle(child).fetchHistory();
      const retried = (history.events ?? [])
        .map((e) => e.activityTaskStartedEventAttributes)
        .filter((a) => (a?.attempt ?? 1) > 1);
      expect(retried.length).toBeGreaterThan(0);
      expect(retried[0]!.lastFailure?.timeoutFailureInfo?.timeoutType).toBe(
        proto.temporal.api.enums.v1.TimeoutType.TIMEOUT_TYPE_HEARTBEAT,
      );
      // And the case view has the playbook's task as the playbook holds it.
      const own = await frozen.client.workflow.getHandle(child).query(playbookViewQuery);
      const view = await frozen.view(breachId);
      expect(view.tasks.find((t) => t.id === 'containment-1')).toEqual(own.tasks.find((t) => t.id === 'containment-1'));
    });
  });
});
