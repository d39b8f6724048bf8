import { hostname } from 'node:os';
import type { Transporter } from 'nodemailer';
import type { WorkflowService } from '@temporalio/client';
import { ApplicationFailure, type Logger } from '@temporalio/common';
import { optionalTsToDate } from '@temporalio/common/lib/time';
import type { Config } from '../domain/config';
import { RUN_PLAYBOOKS, runWorkflowId, type EndedRunStatus, type RunPlaybook } from '../domain/notices';
import { emailRoles, SMTP_PERMANENT_FAILURE, type SmtpPermanentFailureDetails } from '../activities/email';
import type { BreachRegister, EndedRun } from '../register/store';
import type { BreachRow, EndedRunRow } from '../domain/register';

/**
 * The watch: in every worker process, beside the Temporal Worker, every `timing.watchEvery`, it asks Temporal how
 * each breach the register holds as open is doing, and notices a run that ended by something outside lekdicht
 * (terminated by an operator or a server limit, timed out, failed, cancelled, deleted). The register marks it, and
 * the FG and their deputies are emailed once, so the 72-hour clock never stops silently.
 *
 * It is deliberately not a workflow or a schedule: whoever can reach Temporal's frontend could terminate or delete
 * those as quietly as the breach itself. It lives in the worker processes, and reads its list of breaches from the
 * register, which Temporal cannot touch.
 *
 * One file (~440 lines): the round, what it asks Temporal about each run, and the once-only email under a lease
 * are one mechanism, and each part's rules (what counts as ended outside, who waited on whom) explain the others.
 */
export interface WatchDeps {
  /** Raw gRPC: the watch needs no payload keys, it reads statuses and close events only. */
  connection: {
    workflowService: WorkflowService;
    withDeadline<T>(deadline: number | Date, fn: () => Promise<T>): Promise<T>;
  };
  namespace: string;
  register: BreachRegister;
  transport: Transporter;
  /** Read every round: the directory and timing as configured now. */
  config: () => Config;
  log: Logger;
  /** Who claims and emails, in the register (default `pid@host`, like a Temporal worker's identity). */
  identity?: string;
}

/** What one round did; for the tests and the log. */
export interface WatchRound {
  checked: number;
  /** Runs this watch claimed (others may have claimed more). */
  claimed: EndedRun[];
  /** Ended runs whose email this watch sent (or found refused for good). */
  notified: number;
  /** Breaches that could not be checked this round (Temporal or the register unavailable): tried again next round. */
  unchecked: number;
}

/** Temporal's execution statuses by number (temporal.api.enums.v1.WorkflowExecutionStatus). */
const STATUS_NAMES: Record<number, string> = {
  1: 'RUNNING',
  2: 'COMPLETED',
  3: 'FAILED',
  4: 'CANCELED',
  5: 'TERMINATED',
  6: 'CONTINUED_AS_NEW',
  7: 'TIMED_OUT',
};
const ENDED_OUTSIDE: ReadonlySet<string> = new Set<EndedRunStatus>(['TERMINATED', 'TIMED_OUT', 'FAILED', 'CANCELED']);
/** temporal.api.enums.v1.HistoryEventFilterType.HISTORY_EVENT_FILTER_TYPE_CLOSE_EVENT: only the last event, not a 50 MB history. */
const CLOSE_EVENT_ONLY = 2;
/** gRPC status NOT_FOUND: the run's history is gone (deleted, or past the namespace's retention). */
const GRPC_NOT_FOUND = 5;
/** Per Temporal call: an unreachable server fails this round quickly; the next round tries again. */
const CALL_DEADLINE_MS = 10_000;
/**
 * One watch emails at a time. A lease rather than a lock held forever: a watch that dies while sending frees it
 * by the clock. Longer than any send can take (nodemailer's own timeouts end a hanging SMTP exchange first).
 */
const NOTIFY_LEASE_MS = 15 * 60_000;

interface RunState {
  workflowId: string;
  /** Undefined: Temporal has no run under this id. */
  status?: string;
  runId?: string;
  closedAt?: string;
  /** The run of the breach that started this playbook run. */
  parentRunId?: string;
  /** Of a breach run: the playbooks it started and has not seen end (it waits for their result). */
  pendingChildren?: string[];
}

export class EndedOutsideWatch {
  readonly identity: string;
  private timer: NodeJS.Timeout | undefined;
  private current: Promise<WatchRound> | undefined;
  private stopped = false;
  /** Completed rounds, for tests that need "a few rounds later" without timing anything. */
  rounds = 0;

  constructor(private readonly deps: WatchDeps) {
    this.identity = deps.identity ?? `${process.pid}@${hostname()}`;
  }

  /** Runs a round now and then every `timing.watchEvery`, each after the previous one ended, until stop(). */
  start(): void {
    this.stopped = false;
    const next = () => {
      if (this.stopped) return;
      void this.round().finally(() => {
        if (!this.stopped) this.timer = setTimeout(next, this.deps.config().timing.watchEvery);
      });
    };
    next();
  }

  /** Stops the rounds; waits for one in progress (it uses the register and the connection, closed after this). */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.current?.catch(() => undefined);
  }

  /** One round; a round asked for while one runs is that round. Never throws: a watch must not stop a worker. */
  round(): Promise<WatchRound> {
    this.current ??= this.runRound().finally(() => {
      this.current = undefined;
      this.rounds += 1;
    });
    return this.current;
  }

  private async runRound(): Promise<WatchRound> {
    const result: WatchRound = { checked: 0, claimed: [], notified: 0, unchecked: 0 };
    let open: BreachRow[];
    try {
      open = await this.deps.register.openBreaches();
    } catch (err) {
      this.deps.log.warn(`ended-outside watch: register not readable this round (${errorName(err)})`);
      return result;
    }
    for (const breach of open) {
      if (this.stopped) break;
      try {
        const ended = await this.check(breach);
        result.checked += 1;
        for (const run of ended) {
          if (await this.deps.register.claimEndedRun(run, this.identity)) {
            result.claimed.push(run);
            this.deps.log.warn(
              `ended-outside watch: ${run.workflowId} ${run.status} (${run.cause}), breach ${run.breachId} open in the register; FG and deputies to be emailed`,
            );
          }
        }
      } catch (err) {
        result.unchecked += 1;
        this.deps.log.warn(
          `ended-outside watch: could not check breach ${breach.breach_id} this round (${errorName(err)})`,
        );
      }
    }
    result.notified = await this.notifyPending();
    return result;
  }

  /** The runs of one open breach that ended outside lekdicht; the breach row is cleared when it runs again. */
  private async check(breach: BreachRow): Promise<EndedRun[]> {
    const breachId = breach.breach_id;
    const main = await this.describe(breachId, breachId);
    if (main.status !== 'RUNNING') {
      const ended = await this.endedRun(breachId, 'breach', main);
      return ended ? [ended] : [];
    }
    // The breach runs: each playbook it waits on must be running or have completed. One that ended otherwise
    // leaves the breach waiting (for `.notification`: the 72-hour clock gone).
    const ended: EndedRun[] = [];
    for (const playbook of RUN_PLAYBOOKS) {
      if (playbook === 'breach') continue;
      const child = await this.describe(breachId, runWorkflowId(breachId, playbook));
      if (!(await this.waitedOnBy(main, child))) continue;
      const run = await this.endedRun(breachId, playbook, child);
      if (run) ended.push(run);
    }
    if (ended.length > 0) {
      // Ended between the two looks (an operator terminated the breach, its playbooks followed by the parent close
      // policy): what ended is the breach, one notice, not one per playbook.
      const again = await this.describe(breachId, breachId);
      if (again.status !== 'RUNNING') {
        const run = await this.endedRun(breachId, 'breach', again);
        return run ? [run] : [];
      }
    }
    // Marked before, and what was marked is fine now (an operator reset the breach): no longer shown as ended.
    // A playbook still ended is claimed after this, and then marks the row.
    if (breach.ended_outside_at && main.runId && !ended.some((run) => run.workflowId === breach.ended_outside_run)) {
      await this.deps.register.clearEndedOutside(breachId, main.runId);
    }
    return ended;
  }

  /**
   * Whether the breach's current run waits on this playbook run: the run started it (an operator ended it while the
   * breach ran), or still counts it as pending (a breach reset to after the playbook started waits for a playbook
   * that its earlier run's end took with it). A playbook run of an earlier breach run that the current one does not
   * wait on (a breach reset to before it started) is history, not a problem.
   */
  private async waitedOnBy(breach: RunState, child: RunState): Promise<boolean> {
    if (breach.pendingChildren?.includes(child.workflowId)) return true;
    const parentRunId =
      child.status !== undefined
        ? child.parentRunId
        : ((await this.deps.register.watchedRun(child.workflowId))?.parent_run_id ?? undefined);
    if (parentRunId === undefined) return false;
    if (parentRunId === breach.runId) return true;
    // A breach that continued as new (workflows/resumable.ts) waits on the playbooks its earlier runs started apart.
    return (await this.runStatus(breach.workflowId, parentRunId)) === 'CONTINUED_AS_NEW';
  }

  /** The status of one run of a workflow (its current run without `runId`), or undefined when Temporal has none. */
  private async runStatus(workflowId: string, runId?: string): Promise<string | undefined> {
    const { connection, namespace } = this.deps;
    try {
      const response = await connection.withDeadline(Date.now() + CALL_DEADLINE_MS, () =>
        connection.workflowService.describeWorkflowExecution({
          namespace,
          execution: { workflowId, ...(runId ? { runId } : {}) },
        }),
      );
      return STATUS_NAMES[Number(response.workflowExecutionInfo?.status ?? 0)];
    } catch (err) {
      if ((err as { code?: unknown })?.code === GRPC_NOT_FOUND) return undefined;
      throw err;
    }
  }

  private async describe(breachId: string, workflowId: string): Promise<RunState> {
    const { connection, namespace, register } = this.deps;
    let state: RunState;
    try {
      const response = await connection.withDeadline(Date.now() + CALL_DEADLINE_MS, () =>
        connection.workflowService.describeWorkflowExecution({ namespace, execution: { workflowId } }),
      );
      const info = response.workflowExecutionInfo;
      const closedAt = optionalTsToDate(info?.closeTime);
      state = {
        workflowId,
        status: STATUS_NAMES[Number(info?.status ?? 0)] ?? `STATUS_${String(info?.status)}`,
        ...(info?.execution?.runId ? { runId: info.execution.runId } : {}),
        ...(closedAt ? { closedAt: closedAt.toISOString() } : {}),
        ...(info?.parentExecution?.runId ? { parentRunId: info.parentExecution.runId } : {}),
        pendingChildren: (response.pendingChildren ?? []).map((c) => c.workflowId ?? '').filter((id) => id !== ''),
      };
    } catch (err) {
      if ((err as { code?: unknown })?.code !== GRPC_NOT_FOUND) throw err;
      // NOT_FOUND is also what a server answers whose namespace is not there (yet), e.g. while it restarts: only a
      // namespace that answers makes "no such run" true. Otherwise this breach is checked again next round.
      await connection.withDeadline(Date.now() + CALL_DEADLINE_MS, () =>
        connection.workflowService.describeNamespace({ namespace }),
      );
      return { workflowId };
    }
    // Remembered only on a change: a run seen running and later gone was deleted, not never started.
    const seen = await register.watchedRun(workflowId);
    if (state.runId && (seen?.run_id !== state.runId || seen.status !== state.status)) {
      await register.rememberRun({
        workflow_id: workflowId,
        breach_id: breachId,
        run_id: state.runId,
        status: state.status!,
        parent_run_id: state.parentRunId ?? null,
      });
    }
    return state;
  }

  /** The ended run to claim, or undefined when this run is fine (running, completed, never started). */
  private async endedRun(breachId: string, playbook: RunPlaybook, state: RunState): Promise<EndedRun | undefined> {
    const base = { breachId, workflowId: state.workflowId, playbook };
    if (state.status === undefined) {
      // The breach is open in the register, so its run existed; a playbook only counts when a watch saw it not yet
      // completed (a completed playbook's history goes by retention while the breach still runs, legitimately) or
      // the breach still counts it as pending.
      const seen = await this.deps.register.watchedRun(state.workflowId);
      if (playbook !== 'breach' && seen?.status === 'COMPLETED') return undefined;
      return { ...base, runId: seen?.run_id ?? '-', status: 'NOT_FOUND', cause: 'history-gone', endedAt: null };
    }
    if (!ENDED_OUTSIDE.has(state.status) || !state.runId) return undefined;
    // Claimed in an earlier round: its cause is known, no need to read the close event again every round.
    const known = await this.deps.register.endedRun(state.workflowId, state.runId);
    const cause = known?.cause ?? (await this.causeOf(state.workflowId, state.runId, state.status));
    return { ...base, runId: state.runId, status: state.status, cause, endedAt: state.closedAt ?? null };
  }

  /**
   * What ended the run, as one fixed word. Never the operator's free-text reason, nor a failure message (both may
   * name a person, and the message is encrypted anyway): the server's known reasons and failure types only.
   */
  private async causeOf(workflowId: string, runId: string, status: string): Promise<string> {
    const { connection, namespace } = this.deps;
    let response;
    try {
      response = await connection.withDeadline(Date.now() + CALL_DEADLINE_MS, () =>
        connection.workflowService.getWorkflowExecutionHistory({
          namespace,
          execution: { workflowId, runId },
          historyEventFilterType: CLOSE_EVENT_ONLY,
        }),
      );
    } catch {
      return status.toLowerCase().replace(/_/g, '-');
    }
    const event = response.history?.events?.at(-1);
    const terminated = event?.workflowExecutionTerminatedEventAttributes;
    if (terminated) return terminationCause(terminated.reason ?? '', terminated.identity ?? '');
    const failure = event?.workflowExecutionFailedEventAttributes?.failure;
    if (failure) {
      if (failure.applicationFailureInfo)
        return `failed:${safeWord(failure.applicationFailureInfo.type) ?? 'application'}`;
      if (failure.childWorkflowExecutionFailureInfo) return 'failed:child-workflow';
      if (failure.timeoutFailureInfo) return 'failed:timeout';
      if (failure.canceledFailureInfo) return 'failed:canceled';
      if (failure.terminatedFailureInfo) return 'failed:terminated';
      return 'failed';
    }
    if (event?.workflowExecutionTimedOutEventAttributes) return 'execution-timeout';
    if (event?.workflowExecutionCanceledEventAttributes) return 'cancel-requested';
    return status.toLowerCase().replace(/_/g, '-');
  }

  /** Emails the FG and deputies about every claimed run not yet told, one watch at a time per run. */
  private async notifyPending(): Promise<number> {
    let pending: EndedRunRow[];
    try {
      pending = await this.deps.register.endedRunsToNotify();
    } catch (err) {
      this.deps.log.warn(`ended-outside watch: register not readable for notices (${errorName(err)})`);
      return 0;
    }
    let notified = 0;
    for (const run of pending) {
      if (this.stopped) break;
      try {
        if (await this.notify(run)) notified += 1;
      } catch (err) {
        this.deps.log.warn(
          `ended-outside watch: notice for ${run.workflow_id} not sent this round (${errorName(err)}); retried next round`,
        );
      }
    }
    return notified;
  }

  private async notify(run: EndedRunRow): Promise<boolean> {
    const { register } = this.deps;
    const now = new Date();
    if (
      !(await register.leaseEndedRun(
        run.workflow_id,
        run.run_id,
        this.identity,
        new Date(now.getTime() + NOTIFY_LEASE_MS).toISOString(),
        now.toISOString(),
      ))
    )
      return false;
    const config = this.deps.config();
    const breach = await register.breach(run.breach_id);
    // A breach ended outside lekdicht may leave its 72-hour clock running (its playbooks are started apart).
    const clockRunning =
      run.playbook === 'breach' && (await this.runStatus(runWorkflowId(run.breach_id, 'notification'))) === 'RUNNING';
    try {
      // The emails table makes this idempotent per recipient: a retry after a partial failure sends only what is
      // missing, with the same Message-ID and content.
      await emailRoles(
        {
          transport: this.deps.transport,
          register,
          from: config.smtp.from,
          language: config.language,
          organisation: config.organisation.name,
          directory: () => config.directory,
        },
        {
          breachId: run.breach_id,
          purpose: `ended-outside:${run.playbook}:${run.run_id}`,
          roles: ['fg'],
          escalateFrom: 'fg',
          notice: {
            kind: 'run-ended-outside',
            workflowId: run.workflow_id,
            playbook: run.playbook as RunPlaybook,
            status: run.status as EndedRunStatus,
            cause: run.cause,
            ...(run.ended_at ? { endedAt: run.ended_at } : {}),
            noticedAt: run.noticed_at,
            ...(breach?.notification_deadline ? { deadline: breach.notification_deadline } : {}),
            ...(breach?.authority_notified_at ? { authorityNotifiedAt: breach.authority_notified_at } : {}),
            ...(clockRunning ? { clockRunning } : {}),
          },
        },
      );
    } catch (err) {
      if (err instanceof ApplicationFailure && err.type === SMTP_PERMANENT_FAILURE) {
        // Refused for good and recorded per recipient (email_failures): trying again would be refused again.
        const details = err.details?.[0] as SmtpPermanentFailureDetails | undefined;
        await register.endedRunNotified(
          run.workflow_id,
          run.run_id,
          this.identity,
          `refused ${details?.codes.join(', ') ?? ''}`.trim(),
        );
        this.deps.log.warn(
          `ended-outside watch: notice for ${run.workflow_id} refused for good by the mail server (${details?.codes.join(', ') ?? 'no code'})`,
        );
        return true;
      }
      await register.endedRunNotifyFailed(run.workflow_id, run.run_id, this.identity, errorName(err));
      throw err;
    }
    await register.endedRunNotified(run.workflow_id, run.run_id, this.identity);
    this.deps.log.warn(`ended-outside watch: FG and deputies emailed about ${run.workflow_id} (${run.status})`);
    return true;
  }
}

/** The server's own terminations carry fixed reasons; anything else is someone's act (reason text not kept). */
export function terminationCause(reason: string, identity: string): string {
  if (/history size exceeds limit/i.test(reason)) return 'history-size-limit';
  if (/history count exceeds limit/i.test(reason)) return 'history-count-limit';
  if (/mutable state size exceeds limit/i.test(reason)) return 'state-size-limit';
  if (/size exceeds limit|exceeds limit/i.test(reason)) return 'server-limit';
  if (/parent close policy/i.test(reason)) return 'parent-closed';
  if (/^history-service$/i.test(identity)) return 'server';
  return 'operator';
}

/** A failure type as a word (e.g. NondeterminismError); anything else is not repeated. */
function safeWord(text: string | null | undefined): string | undefined {
  return text && /^[A-Za-z][A-Za-z0-9_.-]{0,63}$/.test(text) ? text : undefined;
}

/** An error's kind for the log: its type, code or class, never its message (which may quote data). */
function errorName(err: unknown): string {
  if (err instanceof ApplicationFailure && err.type && safeWord(err.type)) return err.type;
  const code = (err as { code?: unknown })?.code;
  if (typeof code === 'string' && /^[A-Z0-9_]{1,40}$/.test(code)) return code;
  if (typeof code === 'number') return `code ${code}`;
  return err instanceof Error ? err.name : typeof err;
}
