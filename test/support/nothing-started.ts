import { WorkflowNotFoundError } from '@temporalio/client';
import { expect } from 'vitest';
import { breachIdFor } from '../../client/shared/breach-id';
import { eventually, type Harness } from './harness';

/** The breach id a refused signal would have opened, when it names a source and an event id. */
export function breachIdOfSignal(value: unknown): string | undefined {
  const signal = value as Record<string, unknown> | null;
  return signal && typeof signal === 'object' && typeof signal.source === 'string' && typeof signal.eventId === 'string'
    ? breachIdFor(signal.source, signal.eventId)
    : undefined;
}

/** No refused signal started a breach: none of their ids exists, and the task queue lists the one valid breach only. */
export async function expectOnlyBreachStarted(h: Harness, refused: Iterable<string>, breachId: string): Promise<void> {
  for (const id of refused) {
    await expect(h.client.workflow.getHandle(id).describe(), id).rejects.toBeInstanceOf(WorkflowNotFoundError);
  }
  // The visibility store, once it lists the one valid breach, lists nothing else on this task queue.
  const listed = await eventually(async () => {
    const ids: string[] = [];
    for await (const wf of h.client.workflow.list({ query: `TaskQueue = '${h.taskQueue}'` })) ids.push(wf.workflowId);
    return ids.includes(breachId) ? ids : undefined;
  }, 'the valid breach to be listed');
  expect(listed).toEqual([breachId]);
}
