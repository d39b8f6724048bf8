/**
 * The unit of work the scenarios repeat, for lekdicht and for the baseline: start one and wait until a person
 * could act on it. lekdicht's side goes through client/shared (reportBreach, the caseView query the CLI and the
 * HTTP service read a task from); the baseline's is signal-with-start and a query of the trivial workflow.
 */
import { randomUUID } from 'node:crypto';
import type { Client } from '@temporalio/client';
import type { CaseView } from '../domain/case';
import type { Task } from '../domain/tasks';
import type { PlaybookSettings } from '../activities';
import { completeTask, getCase, reportBreach } from '../client/shared/breaches';
import { signal } from '../test/support/answers';
import { baselineReportSignal, baselineStateQuery, baselineWorkflowType } from './baseline/workflows';
import type { Rig } from './stack';

/** How often a waiting client asks again: the same for both sides. */
export const POLL_MS = 50;
/** One breach (or baseline workflow) that takes longer than this is an error, not a number. */
const WAIT_LIMIT_MS = 300_000;

export const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Asks until `probe` gives a value; errors (a query before the first workflow task) count as "not yet". */
export async function until<T>(probe: () => Promise<T | undefined>, what: string, limitMs = WAIT_LIMIT_MS): Promise<T> {
  const deadline = Date.now() + limitMs;
  let last: unknown;
  for (;;) {
    try {
      const value = await probe();
      if (value !== undefined) return value;
    } catch (err) {
      last = err;
    }
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${what}${last instanceof Error ? `: ${last.message}` : ''}`);
    await sleep(POLL_MS);
  }
}

/** The task once it is open in the case view (as the CLI's `task list` and the pages see it). */
export function openTask(client: Client, breachId: string, taskId: string): Promise<Task> {
  return until(
    async () => (await getCase(client, breachId)).tasks.find((t) => t.id === taskId && t.status === 'open'),
    `task ${taskId} of ${breachId} to open`,
  );
}

export function caseOf(client: Client, breachId: string): Promise<CaseView> {
  return getCase(client, breachId);
}

/** A breach reported, until its triage task is open; its id. */
export async function reportToTriage(rig: Rig): Promise<string> {
  const { breachId } = await reportBreach(rig.client, signal({ source: 'bench' }), rig.queues.lekdicht);
  await openTask(rig.client, breachId, 'triage');
  return breachId;
}

/** The baseline's: signal-with-start with the same report, until its query answers that it waits. */
export async function baselineToWaiting(rig: Rig): Promise<string> {
  const workflowId = `baseline-${randomUUID()}`;
  const handle = await rig.client.workflow.signalWithStart(baselineWorkflowType, {
    workflowId,
    taskQueue: rig.queues.baseline,
    args: [],
    signal: baselineReportSignal,
    signalArgs: [signal({ source: 'bench' })],
  });
  await until(async () => ((await handle.query(baselineStateQuery)) === 'waiting' ? true : undefined), workflowId);
  return workflowId;
}

/** Completes a task as client/shared does for the CLI and the HTTP service: caseView query, then the update. */
export function complete(rig: Rig, breachId: string, taskId: string, actor: string, answer: unknown): Promise<Task> {
  return completeTask(rig.client, breachId, taskId, actor, answer, rig.signer);
}

/** What the worker's loadSettings gives a playbook, for starting one on its own (the letters). */
export function settingsOf(rig: Rig): PlaybookSettings {
  const { organisation, language, directory, timing, history, acts, thresholds } = rig.config;
  return {
    organisation: organisation.name,
    language,
    directory,
    timing,
    history,
    profile: organisation.profile,
    thresholds,
    acts: { publicKeys: acts.publicKeys, operatorActs: acts.operatorActs, maxAgeMs: acts.proofMaxAge },
  };
}

/** Milliseconds since `start` (performance.now()). */
export const since = (start: number) => performance.now() - start;
