/**
 * The baseline: bare Temporal doing the least a breach does. One workflow that is started by signal-with-start,
 * answers a query, takes an update and waits on a signal to end. No domain code, no activities: what is left of
 * a lekdicht number divided by this one is lekdicht's own cost. Bundled on its own (bench/stack.ts).
 */
import { condition, defineQuery, defineSignal, defineUpdate, setHandler } from '@temporalio/workflow';

export const baselineWorkflowType = 'baselineWorkflow';
/** Carries the same report a breach is started with, so both pay for the same payload through the codec. */
export const baselineReportSignal = defineSignal<[unknown]>('report');
export const baselineEndSignal = defineSignal('end');
export const baselineStateQuery = defineQuery<string>('state');
/** Marks the one "task" done and returns it, as completeTask returns the task. */
export const baselineCompleteUpdate = defineUpdate<{ id: string; status: string }, [{ taskId: string }]>('complete');

export async function baselineWorkflow(): Promise<void> {
  let state = 'started';
  let ended = false;
  setHandler(baselineReportSignal, () => void (state = 'waiting'));
  setHandler(baselineEndSignal, () => void (ended = true));
  setHandler(baselineStateQuery, () => state);
  setHandler(baselineCompleteUpdate, ({ taskId }) => {
    state = 'done';
    return { id: taskId, status: 'done' };
  });
  await condition(() => ended);
}
