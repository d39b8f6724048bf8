import {
  ApplicationFailure,
  WorkflowExecutionAlreadyStartedError,
  WorkflowNotFoundError,
  WorkflowUpdateFailedError,
  type Client,
} from '@temporalio/client';
import type { UpdateDefinition } from '@temporalio/common';
import type { BreachSummary, CaseView } from '../../domain/case';
import type { DataSubjectLetter } from '../../domain/letters';
import type { BreachFacts, FactsAmendment } from '../../domain/facts';
import { escapeUnprintable, InvalidInputError, isDomainErrorCode, parseOrThrow } from '../../domain/errors';
import { breachSignalSchema } from '../../domain/signal';
import type { Task } from '../../domain/tasks';
import type { RecordNotificationArgs } from '../../domain/regimes/notifications';
import type { CorrectAwarenessArgs } from '../../domain/regimes/awareness';
import type { ClassifyIncidentArgs } from '../../domain/regimes/profile';
import {
  amendFactsUpdate,
  breachWorkflowType,
  caseViewQuery,
  classifyIncidentUpdate,
  completeTaskUpdate,
  correctAwarenessUpdate,
  dataSubjectLetterQuery,
  recordNotificationUpdate,
  refreshActKeysSignal,
  reportSignal,
} from '../../workflows/messages';
import { breachIdFor } from './breach-id';
import { actBody, type ActMessage } from '../../domain/act-proof';
import type { ActAuthenticator } from './act-signing';
import { queryWhileStarting } from './starting';

/**
 * The most lekdicht sends to Temporal in one signal, update or start, as serialized JSON (UTF-8 bytes). The
 * server refuses a payload over its blob size limit (`limit.blobSize.error`, 2 MB by default) with an error that
 * says nothing about which field was too big, after the request has travelled; the payload codec adds its own
 * envelope (key id, nonce, tag) and the request its metadata on top. 1.5 MB stays safely under that limit and is
 * still far above anything a valid answer, signal or amendment holds (their longest text fields are 20,000
 * characters), so only input that is broken or hostile reaches it.
 */
export const MAX_PAYLOAD_BYTES = 1_536 * 1_024;

const utf8 = new TextEncoder();

/** Bytes of `value` as the JSON payload converter writes it; an InvalidInputError if it is not JSON at all. */
function jsonBytes(value: unknown, what: string): number {
  let json: string | undefined;
  try {
    json = JSON.stringify(value);
  } catch (err) {
    // The engine's own words ("Maximum call stack size exceeded", "Converting circular structure…") name internals
    // and would reach an HTTP reply: say what is wrong with the input instead.
    const why =
      err instanceof RangeError ? 'is nested too deeply' : 'is not JSON (a cycle or a value JSON cannot hold)';
    throw new InvalidInputError(`${what || '(input)'}: cannot be sent: ${why}`);
  }
  return json === undefined ? 0 : utf8.encode(json).length;
}

const megabytes = (bytes: number) => `${(bytes / 1_048_576).toFixed(1)} MB`;

/**
 * Refuses a payload whose JSON is larger than MAX_PAYLOAD_BYTES before anything is sent, naming the field that
 * makes it so: the path follows the largest part as long as that part holds most of the bytes (a 5 MB `summary`
 * is named, not the answer around it; a thousand medium fields name their parent).
 */
export function assertPayloadSize(value: unknown, what: string): void {
  const total = jsonBytes(value, what);
  if (total <= MAX_PAYLOAD_BYTES) return;
  const path: string[] = [what];
  let current: unknown = value;
  let size = total;
  for (;;) {
    if (current === null || typeof current !== 'object') break;
    const entries: [string, unknown][] = Array.isArray(current)
      ? current.map((v, i) => [String(i), v])
      : Object.entries(current);
    let largest: [string, unknown, number] | undefined;
    for (const [key, child] of entries) {
      const bytes = jsonBytes(child, what);
      if (!largest || bytes > largest[2]) largest = [key, child, bytes];
    }
    if (!largest || largest[2] * 2 < size) break;
    path.push(
      /^[A-Za-z0-9_-]{1,60}$/.test(largest[0])
        ? largest[0]
        : escapeUnprintable(JSON.stringify(largest[0].slice(0, 60))),
    );
    [, current, size] = largest;
  }
  const field = path.filter(Boolean).join('.') || '(input)';
  throw new InvalidInputError(
    `${field}: is too large to send (${megabytes(size)}${size < total ? ` of ${megabytes(total)} in all` : ''}; at most ${megabytes(MAX_PAYLOAD_BYTES)} goes to the workflow server): shorten it, or keep large documents elsewhere and refer to them; nothing was sent`,
  );
}

/**
 * A validator's refusal as an InvalidInputError with its message; a coded refusal (workflows/coded-failure.ts)
 * arrives as an ApplicationFailure whose `type` is the code and whose first detail holds the parameters.
 */
function refusalOf(err: WorkflowUpdateFailedError): InvalidInputError {
  const cause = err.cause;
  const message = cause?.message ?? err.message;
  if (!(cause instanceof ApplicationFailure) || !isDomainErrorCode(cause.type)) return new InvalidInputError(message);
  const [details] = cause.details ?? [];
  const params = Object.fromEntries(
    Object.entries(typeof details === 'object' && details !== null ? details : {}).filter(
      (entry): entry is [string, string | number] => typeof entry[1] === 'string' || typeof entry[1] === 'number',
    ),
  );
  return new InvalidInputError(message, { code: cause.type, params });
}

/** The validator's refusal of a proof signed with a key the run does not know (domain/act-proof.ts). */
const UNKNOWN_ACT_KEY = /^proof\.keyId: /;
const REFRESH_ATTEMPTS = 10;
const REFRESH_PAUSE_MS = 300;

/**
 * Sends an act; when the run refuses the proof's key as unknown (it keeps the keys it started with, and a key was
 * added since), asks the run to re-read the worker's keys (refreshActKeys) and sends again, signed afresh, until
 * the run knows the key or the attempts are used up. Any other refusal is returned at once.
 */
async function sendAct<T>(client: Client, workflowId: string, send: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await send();
    } catch (err) {
      const message = err instanceof WorkflowUpdateFailedError ? (err.cause?.message ?? '') : '';
      if (!UNKNOWN_ACT_KEY.test(message) || attempt >= REFRESH_ATTEMPTS) throw err;
      if (attempt === 0) await client.workflow.getHandle(workflowId).signal(refreshActKeysSignal);
      await new Promise((resolve) => setTimeout(resolve, REFRESH_PAUSE_MS));
    }
  }
}

export interface ReportResult {
  breachId: string;
  /** The breach was already closed: the report is refused rather than reopening or duplicating it. */
  alreadyClosed: boolean;
}

/**
 * Starts the breach for a signal, or joins the running one: signal-with-start is atomic on the server, so
 * two reports of the same event arriving together still make one breach. A closed breach is never reopened
 * by a late duplicate (REJECT_DUPLICATE).
 */
export async function reportBreach(client: Client, input: unknown, taskQueue: string): Promise<ReportResult> {
  const signal = parseOrThrow(breachSignalSchema, input, 'signal');
  assertPayloadSize(signal, 'signal');
  const breachId = breachIdFor(signal.source, signal.eventId);
  try {
    await client.workflow.signalWithStart(breachWorkflowType, {
      workflowId: breachId,
      taskQueue,
      args: [],
      signal: reportSignal,
      signalArgs: [signal],
      workflowIdReusePolicy: 'REJECT_DUPLICATE',
      // Shown in the Temporal UI to everyone who can list workflows: the reporting system, never the report.
      staticSummary: `Breach reported by ${signal.source}`,
      staticDetails:
        'One personal-data breach (datalek) from signal to closure. Its current details list the phase, open tasks and deadlines; the case itself: `lekdicht show <id>`.',
    });
    return { breachId, alreadyClosed: false };
  } catch (err) {
    if (err instanceof WorkflowExecutionAlreadyStartedError) return { breachId, alreadyClosed: true };
    throw err;
  }
}

/** The case; a breach that has just started is asked again briefly (client/shared/starting.ts). */
export async function getCase(client: Client, breachId: string): Promise<CaseView> {
  return queryWhileStarting(breachId, () => client.workflow.getHandle(breachId).query(caseViewQuery));
}

/** The letter lekdicht sends the people affected of a breach (its data-subjects playbook), e.g. to print it. */
export async function getDataSubjectLetter(client: Client, breachId: string): Promise<DataSubjectLetter> {
  // The playbook has a letter only once the FG approved it (workflows/letter-approval.ts).
  const letter = (await getCase(client, breachId).catch(() => undefined))?.facts.letter;
  if (letter !== undefined && letter.approvedBy === undefined) {
    throw new InvalidInputError(`breachId: ${breachId} has no approved letter yet: the FG approves it first`);
  }
  try {
    return await client.workflow.getHandle(`${breachId}.data-subjects`).query(dataSubjectLetterQuery);
  } catch (err) {
    if (err instanceof WorkflowNotFoundError) {
      throw new InvalidInputError(
        `breachId: ${breachId} has no letters: lekdicht informs the people affected only when the FG decides it does (dataSubjectsBy "lekdicht")`,
      );
    }
    throw err;
  }
}

/**
 * Completes a task through the update of the workflow that owns it (the breach or one of its playbooks).
 * A refusal by the workflow's validator comes back as an InvalidInputError with its message.
 *
 * `known`: the task as the caller read it from the case view just now (the HTTP service reads it to check the
 * person's role), so the case is not asked again: one query less before the update. Its workflow must be one of
 * this breach's; the workflow's validator still decides whether the task is open.
 */
export async function completeTask(
  client: Client,
  breachId: string,
  taskId: string,
  actor: string,
  answer: unknown,
  auth: ActAuthenticator,
  known?: Pick<Task, 'id' | 'workflowId'>,
): Promise<Task> {
  assertPayloadSize(answer, 'answer');
  assertPayloadSize({ taskId, actor, answer }, 'completion');
  const task = known ?? (await taskOf(client, breachId, taskId));
  if (task.id !== taskId || (task.workflowId !== breachId && !task.workflowId.startsWith(`${breachId}.`)))
    throw new InvalidInputError(
      `taskId: task "${task.id}" of ${task.workflowId} is not task "${taskId}" of ${breachId}`,
    );
  try {
    return await sendAct(client, task.workflowId, () => {
      const authority = auth({
        breachId,
        workflowId: task.workflowId,
        message: 'completeTask',
        taskId,
        actor,
        body: answer,
      });
      return client.workflow
        .getHandle(task.workflowId)
        .executeUpdate(completeTaskUpdate, { args: [{ taskId, actor, answer, ...authority }] });
    });
  } catch (err) {
    if (err instanceof WorkflowUpdateFailedError) throw refusalOf(err);
    throw err;
  }
}

/** The task as the breach's case view shows it; an InvalidInputError naming the open tasks if there is none. */
async function taskOf(client: Client, breachId: string, taskId: string): Promise<Task> {
  const view = await getCase(client, breachId);
  const task = view.tasks.find((t) => t.id === taskId);
  if (task) return task;
  const open = view.tasks.filter((t) => t.status === 'open').map((t) => t.id);
  throw new InvalidInputError(`taskId: no task "${taskId}" in ${breachId}; open tasks: ${open.join(', ') || 'none'}`);
}

/**
 * Sends an update to one of the breach's playbooks (`${breachId}.${playbookSuffix}`, e.g. "notification").
 * A refusal by the workflow's validator comes back as an InvalidInputError with its message (which names the
 * field); a playbook that is not running (not started yet, or finished) as an InvalidInputError saying so.
 */
export async function updatePlaybook<Ret, Arg extends { actor: string }>(
  client: Client,
  breachId: string,
  playbookSuffix: string,
  update: UpdateDefinition<Ret, [Arg]>,
  arg: Arg,
  auth: ActAuthenticator,
): Promise<Ret> {
  const workflowId = `${breachId}.${playbookSuffix}`;
  // Named as the playbook's validator names fields: `reason`, not `args.0.reason`.
  assertPayloadSize(arg, '');
  try {
    return await sendAct(client, workflowId, () => {
      const args: [Arg] = [
        {
          ...arg,
          ...auth({ breachId, workflowId, message: update.name as ActMessage, actor: arg.actor, body: actBody(arg) }),
        },
      ];
      return client.workflow.getHandle(workflowId).executeUpdate(update, { args });
    });
  } catch (err) {
    if (err instanceof WorkflowUpdateFailedError) throw refusalOf(err);
    if (err instanceof WorkflowNotFoundError) {
      throw new InvalidInputError(
        `breachId: ${breachId} has no running ${playbookSuffix} playbook (not a confirmed breach yet, or the playbook has finished)`,
      );
    }
    throw err;
  }
}

/** The FG or the CISO records the NIS2/DORA classification of the incident; returns the deadlines as they now stand. */
export function classifyIncident(client: Client, breachId: string, args: ClassifyIncidentArgs, auth: ActAuthenticator) {
  return updatePlaybook(client, breachId, 'notification', classifyIncidentUpdate, args, auth);
}

/** The FG corrects the moment of awareness; every deadline counted from it moves. */
export function correctAwareness(client: Client, breachId: string, args: CorrectAwarenessArgs, auth: ActAuthenticator) {
  return updatePlaybook(client, breachId, 'notification', correctAwarenessUpdate, args, auth);
}

/** The FG records a notification (initial, supplement, withdrawal, NIS2/DORA reports) to a regime's authority. */
export function recordNotification(
  client: Client,
  breachId: string,
  args: RecordNotificationArgs,
  auth: ActAuthenticator,
) {
  return updatePlaybook(client, breachId, 'notification', recordNotificationUpdate, args, auth);
}

/**
 * Breaches as the server's visibility store lists them (eventually consistent: a new one may lag a second).
 * `running`: only those still running, asked of the store rather than filtered here, so the closed breaches kept for
 * the namespace's retention (thousands, over a month) cost the dashboard nothing.
 */
export async function listBreaches(client: Client, options: { running?: boolean } = {}): Promise<BreachSummary[]> {
  const result: BreachSummary[] = [];
  const query = `WorkflowType = '${breachWorkflowType}'${options.running ? " AND ExecutionStatus = 'Running'" : ''}`;
  for await (const wf of client.workflow.list({ query })) {
    const attrs = wf.searchAttributes as Record<string, unknown[] | undefined>;
    const phase = attrs.BreachPhase?.[0];
    const deadline = attrs.NotificationDeadline?.[0];
    const notified = attrs.AuthorityNotified?.[0];
    result.push({
      breachId: wf.workflowId,
      status: wf.status.name,
      ...(typeof phase === 'string' ? { phase } : {}),
      ...(deadline ? { notificationDeadline: new Date(deadline as string | Date).toISOString() } : {}),
      ...(typeof notified === 'boolean' ? { authorityNotified: notified } : {}),
      startedAt: wf.startTime.toISOString(),
    });
  }
  return result;
}

/** Amends the facts of a breach (breach team only); returns the facts as they now stand. */
export async function amendBreachFacts(
  client: Client,
  breachId: string,
  actor: string,
  amendment: unknown,
  auth: ActAuthenticator,
): Promise<BreachFacts> {
  assertPayloadSize(amendment, 'amendment');
  assertPayloadSize({ actor, amendment }, 'amendment');
  try {
    return await sendAct(client, breachId, () => {
      const authority = auth({ breachId, workflowId: breachId, message: 'amendFacts', actor, body: { amendment } });
      return client.workflow
        .getHandle(breachId)
        .executeUpdate(amendFactsUpdate, { args: [{ actor, amendment: amendment as FactsAmendment, ...authority }] });
    });
  } catch (err) {
    if (err instanceof WorkflowUpdateFailedError) throw refusalOf(err);
    throw err;
  }
}
