import proto from '@temporalio/proto';
import type { Task } from '../../domain/tasks';
import { reportBreach } from '../../client/shared/breaches';
import { signal } from '../../test/support/answers';
import { completeWholeBreach } from '../../test/support/lifecycle';
import { caseOf, complete, openTask, sleep, until } from '../breaches';
import { row } from '../results';
import type { Scenario } from '../scenario';
import { Rig } from '../stack';

/** Short enough that a whole lifecycle takes a minute (the tests' timing for it). */
const TIMING = { containmentRecheck: '1s', aftercareFollowUps: ['1s', '2s'], evaluationAfter: '1s' };

/** Every run of every workflow of the breach (the breach, its playbooks, their continued runs): events and bytes. */
async function historiesOf(rig: Rig, breachId: string) {
  const ours = (id: string) => id === breachId || id.startsWith(`${breachId}.`);
  let runs: { workflowId: string; runId: string }[] = [];
  // The visibility store lags: asked until every run is closed and two answers agree.
  for (let previous = -1; ; await sleep(500)) {
    runs = [];
    let running = 0;
    for await (const wf of rig.client.workflow.list({ query: `TaskQueue = '${rig.queues.lekdicht}'` })) {
      if (!ours(wf.workflowId)) continue;
      runs.push({ workflowId: wf.workflowId, runId: wf.runId });
      if (wf.status.name === 'RUNNING') running += 1;
    }
    if (running === 0 && runs.length === previous) break;
    previous = runs.length;
  }
  let events = 0;
  let bytes = 0;
  // Where the events go, to see what to cut: by workflow (the breach, each playbook) and by event type.
  const byWorkflow: Record<string, number> = {};
  const byType: Record<string, number> = {};
  for (const run of runs) {
    const history = await rig.client.workflow.getHandle(run.workflowId, run.runId).fetchHistory();
    events += history.events?.length ?? 0;
    bytes += proto.temporal.api.history.v1.History.encode(history).finish().length;
    const workflow = run.workflowId.slice(breachId.length + 1) || 'breach';
    byWorkflow[workflow] = (byWorkflow[workflow] ?? 0) + (history.events?.length ?? 0);
    for (const event of history.events ?? []) {
      const type = proto.temporal.api.enums.v1.EventType[event.eventType ?? 0] ?? String(event.eventType);
      // Activities and signals by their name: which of them to batch or leave out.
      const named =
        event.activityTaskScheduledEventAttributes?.activityType?.name ??
        event.signalExternalWorkflowExecutionInitiatedEventAttributes?.signalName ??
        event.workflowExecutionSignaledEventAttributes?.signalName ??
        Object.keys(event.upsertWorkflowSearchAttributesEventAttributes?.searchAttributes?.indexedFields ?? {}).join(
          '+',
        );
      const name = type.replace(/^EVENT_TYPE_/, '') + (named ? `:${named}` : '');
      byType[name] = (byType[name] ?? 0) + 1;
    }
  }
  return { events, bytes, runs: runs.length, byWorkflow, byType };
}

/**
 * One whole lifecycle (test/support/lifecycle.ts: every task answered once its email went out), then the
 * histories of all its workflows' runs: events and bytes. No baseline: the goal is absolute (< 1,000 events).
 */
export const history: Scenario = async (options) => {
  const rig = await Rig.start(options.target, { timing: TIMING });
  const events: number[] = [];
  const kilobytes: number[] = [];
  const perTask: number[] = [];
  let runs = 0;
  let tasks = 0;
  try {
    await rig.startWorker('lekdicht');
    for (let rep = 0; rep < options.reps; rep++) {
      const { breachId } = await reportBreach(rig.client, signal({ source: 'bench' }), rig.queues.lekdicht);
      await completeWholeBreach(
        {
          completeAtRest: async (id: string, taskId: string, actor: string, answer: unknown): Promise<Task> => {
            await until(
              async () => (rig.sink.withPurpose(`task-assigned:${taskId}`, id).length > 0 ? true : undefined),
              `the email of task ${taskId}`,
            );
            await openTask(rig.client, id, taskId);
            return complete(rig, id, taskId, actor, answer);
          },
          result: (id: string) => rig.client.workflow.getHandle(id).result(),
        },
        breachId,
      );
      tasks = (await caseOf(rig.client, breachId)).tasks.length;
      const measured = await historiesOf(rig, breachId);
      runs = measured.runs;
      events.push(measured.events);
      kilobytes.push(measured.bytes / 1_024);
      perTask.push(measured.events / tasks);
      options.log(`history rep ${rep + 1}: ${measured.events} events, ${measured.runs} runs, ${tasks} tasks`);
      options.log(`  by workflow: ${JSON.stringify(measured.byWorkflow)}`);
      options.log(
        `  by type: ${JSON.stringify(Object.fromEntries(Object.entries(measured.byType).sort(([, a], [, b]) => b - a)))}`,
      );
    }
  } finally {
    await rig.close();
  }
  const detail = { runs, tasks, reps: options.reps };
  return [
    row({
      scenario: 'history',
      what: 'one full lifecycle: events over all runs',
      unit: 'events',
      lekdicht: events,
      goal: '< 1,000',
      check: ({ lekdicht }) => lekdicht < 1_000,
      detail,
    }),
    row({ scenario: 'history', what: 'one full lifecycle: history size', unit: 'KiB', lekdicht: kilobytes, detail }),
    row({
      scenario: 'history',
      what: 'one full lifecycle: events per task',
      unit: 'events',
      lekdicht: perTask,
      detail,
    }),
  ];
};
