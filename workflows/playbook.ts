/*
 * Over ~350 lines, on purpose: PlaybookRuntime is one task runtime (open, ticket, email, watch the due time,
 * complete, cancel, reschedule, carry across continue-as-new), and its parts share each task's state and the
 * ticket work in flight. The timeline, tallies, emails and reports to the breach are its base class in
 * playbook-timeline.ts; acts and validated updates are in acts.ts.
 */
import { allHandlersFinished, condition, setCurrentDetails, setHandler, workflowInfo } from '@temporalio/workflow';
import type { PlaybookSettings } from '../activities';
import { checkCompletionCoded, type CompletionContext } from '../domain/completion';
import { checkAct, describeOperator, type ActMessage } from '../domain/act-proof';
import type { Refused } from '../domain/errors';
import type { Role } from '../domain/roles';
import {
  registerTicketRef,
  TASK_ROLES,
  type Answer,
  type Playbook,
  type Task,
  type TaskCompletion,
  type TaskKind,
} from '../domain/tasks';
import { TASK_TITLES } from '../domain/labels';
import { activities } from './activities';
import { completeTaskSignal, completeTaskUpdate, playbookViewQuery, refreshActKeysSignal } from './messages';
import { onRefusedSignal, refusedSignalCount } from './refusals';
import { Resumable, type Journal } from './resumable';
import { ACTS_PATCH, operatorActOf, setValidatedUpdate } from './acts';
import { PlaybookTimeline, applicationFailureOf, nowIso, type RuntimeSnapshot } from './playbook-timeline';
import { isPatched } from './patches';

export type { RuntimeSnapshot } from './playbook-timeline';

const ACT_KEYS_REFRESH_EVERY_MS = 60_000;
/** Guards the timeline line that counts refused (unencrypted) signals. */
export const REFUSALS_ON_TIMELINE_PATCH = 'refusals-on-timeline';
/** Guards the refreshActKeys signal's activity. */
export const ACT_KEYS_REFRESH_PATCH = 'act-keys-refresh';

export interface TaskOptions {
  /** Unique within the breach; defaults to the kind. */
  id?: string;
  dueInMs?: number;
  due?: string;
  assignee?: string;
  detail?: string;
  /** Instead of the kind's default role and title (e.g. the organisation's-interest tasks). */
  role?: Role;
  title?: string;
}

/**
 * What every playbook workflow shares: its tasks (assign to a role, ticket, email, remind when overdue,
 * complete by a validated update or signal), its timeline (each entry also written to the register), and —
 * for the child playbooks — reporting both to the breach workflow so its case view stays whole.
 */
export class PlaybookRuntime extends PlaybookTimeline {
  /** Lets a playbook tell the completion check which legal deadline stands behind a task. */
  deadlineFor: (task: Task) => string | undefined = () => undefined;

  private refreshingActKeys = false;
  private actKeysRefreshedAt = 0;
  /** Tickets being opened or closed beside the task (see openTask): a playbook finishes only after them. */
  private ticketWork: Promise<void>[] = [];
  /** Tasks whose ticket the ticket system refused for good: they go on without one. */
  private readonly ticketless = new Set<string>();
  /** Overdue tasks escalated to the FG: a run that continues as new does not escalate them again. */
  private readonly escalated = new Set<string>();
  /** Tickets being opened or closed right now (ticketWork not yet settled): the run does not move meanwhile. */
  private ticketsUnderWay = 0;
  /**
   * The run's journal, for a playbook that continues as new (resumable.ts): `ask` opens its task once across runs.
   * Set by the playbook right after construction.
   */
  journal: Resumable | undefined;

  constructor(
    breachId: string,
    playbook: Playbook,
    settings: PlaybookSettings,
    reportTo?: string,
    resume?: RuntimeSnapshot,
  ) {
    super(breachId, playbook, settings, reportTo, resume);
    if (resume) {
      if (resume.resumable) {
        for (const id of resume.resumable.escalated) this.escalated.add(id);
        // Open tasks are the same tasks: their due times and reminders go on from where they were.
        for (const task of this.tasks.values()) if (task.status === 'open') void this.watchDue(task, true);
      }
    }
    setValidatedUpdate(completeTaskUpdate, (completion) => this.complete(completion), [
      (completion) => this.check(completion),
      (completion) => this.checkAct(completion, 'completeTask'),
    ]);
    setHandler(completeTaskSignal, async (completion) => {
      let result: { ok: true } | Refused = this.check(completion);
      // Runs that took signals before acts were proven replay as they ran.
      if (result.ok && isPatched(ACTS_PATCH)) result = this.checkAct(completion, 'completeTaskAsync');
      if (result.ok) await this.complete(completion);
      else
        await this.note(
          'completion-rejected',
          `Completion of task ${String(completion?.taskId)} rejected: ${result.message}`,
          undefined,
          undefined,
          {
            taskId: String(completion?.taskId),
            ...(this.tasks.get(completion?.taskId) ? { taskKind: this.tasks.get(completion?.taskId)!.kind } : {}),
            ...(result.code ? { ...result.params, code: result.code } : {}),
          },
        );
    });
    setHandler(refreshActKeysSignal, async () => {
      // Only runs that get this signal after the deploy do anything with it (older histories never had it).
      if (!isPatched(ACT_KEYS_REFRESH_PATCH)) return;
      // It takes no payload, so anyone who reaches the frontend can send it: at most one load a minute (workflow
      // time), and one at a time, so a burst of them costs one activity, not one each.
      if (this.refreshingActKeys || Date.now() - this.actKeysRefreshedAt < ACT_KEYS_REFRESH_EVERY_MS) return;
      this.refreshingActKeys = true;
      this.actKeysRefreshedAt = Date.now();
      try {
        this.settings.acts = await activities.loadActSettings();
      } finally {
        this.refreshingActKeys = false;
      }
    });
    // Messages refused because they were not encrypted with the payload keys (workflows/interceptors.ts).
    onRefusedSignal((count) => {
      setCurrentDetails(this.currentDetails());
      // And one timeline line, updated in place (a flood of them costs one register write per interval, see
      // tally); behind a patch, as it writes to the register.
      if (isPatched(REFUSALS_ON_TIMELINE_PATCH))
        this.tally(
          'refused-unencrypted',
          'refused-unencrypted',
          `${count} message(s) refused: not encrypted with lekdicht's payload keys`,
          { count },
        );
    });
    setHandler(playbookViewQuery, () => this.state(this.timeline));
  }

  /** Who may act (domain/act-proof.ts): the HTTP service's proof, or an operator marker if those are allowed. */
  checkAct(completion: TaskCompletion, message: ActMessage) {
    return checkAct(
      completion,
      {
        breachId: this.breachId,
        workflowId: workflowInfo().workflowId,
        message,
        taskId: completion?.taskId,
        actor: completion?.actor,
        body: completion?.answer,
      },
      this.settings.acts,
      Date.now(),
    );
  }

  /** Opens a task for its kind's role: ticket, timeline, email; an overdue task escalates to the deputies. */
  async openTask(kind: TaskKind, options: TaskOptions): Promise<Task> {
    const id = options.id ?? kind;
    const due = options.due ?? new Date(Date.now() + (options.dueInMs ?? 0)).toISOString();
    const task: Task = {
      id,
      kind,
      role: options.role ?? TASK_ROLES[kind],
      title: options.title ?? TASK_TITLES[kind][this.settings.language],
      playbook: this.playbook,
      workflowId: workflowInfo().workflowId,
      createdAt: nowIso(),
      due,
      status: 'open',
      overdue: false,
      ...(options.assignee ? { assignee: options.assignee.toLowerCase() } : {}),
      ...(options.detail ? { detail: options.detail } : {}),
    };
    this.tasks.set(id, task);
    if (isPatched('task-before-ticket')) {
      if (this.ticketsQueued()) {
        // The register's own ticket system: a row written with the timeline, its reference known at once.
        task.ticketRef = registerTicketRef(this.breachId, id);
        this.queueTicket({ open: { taskId: id, role: task.role, title: task.title, due, createdAt: task.createdAt } });
      }
      // The ticket follows beside the task: a ticket system that is down must not hold up the task, its email or
      // the breach (the task is in the case view from here on; its ticketRef appears when the ticket exists).
      else this.ticketWork.push(this.underWay(this.openTicket(task)));
    } else {
      const { ref } = await activities.createTicket({ breachId: this.breachId, task });
      task.ticketRef = ref;
    }
    await this.note('task-opened', `Task ${id} opened for role ${task.role}, due ${due}`, undefined, undefined, {
      taskId: id,
      taskKind: kind,
      role: task.role,
      due,
    });
    // A task with a named assignee goes to that person; the role stays accountable and hears when it is late.
    await this.email(
      `task-assigned:${id}`,
      task.assignee ? [] : [task.role],
      { kind: 'task-assigned', taskId: id, taskKind: kind, due, ...(task.detail ? { detail: task.detail } : {}) },
      this.assigneeOf(task),
    );
    void this.watchDue(task);
    return task;
  }

  private async openTicket(task: Task): Promise<void> {
    try {
      const { ref } = await activities.createTicket({ breachId: this.breachId, task });
      task.ticketRef = ref;
    } catch (err) {
      // Only a refusal ends up here (a system that is down is retried until it is back): the task goes on without.
      this.ticketless.add(task.id);
      await this.note(
        'ticket-failed',
        `No ticket for task ${task.id}: ${applicationFailureOf(err)?.message ?? String(err)}; the task itself stands`,
        undefined,
        undefined,
        {
          taskId: task.id,
          taskKind: task.kind,
          stage: 'create',
          reason: applicationFailureOf(err)?.message ?? String(err),
        },
      );
      return;
    }
    // The breach's case view mirrors a playbook's tasks: let it see the ticket.
    await this.report();
  }

  /** Closes a task's ticket beside the workflow, once the ticket exists; the playbook finishes only after it. */
  closeTicketBeside(task: Task, resolution: 'done' | 'cancelled'): void {
    if (this.ticketsQueued() && task.ticketRef === registerTicketRef(this.breachId, task.id)) {
      this.queueTicket({ close: { taskId: task.id, resolution, at: nowIso() } });
      return;
    }
    this.ticketWork.push(this.underWay(this.closeTicket(task, resolution)));
  }

  /** Counts ticket work until it settles; the same promise back (no extra turn for whoever awaits it). */
  private underWay(work: Promise<void>): Promise<void> {
    this.ticketsUnderWay += 1;
    const settle = () => {
      this.ticketsUnderWay -= 1;
    };
    work.then(settle, settle);
    return work;
  }

  /**
   * Nothing of the runtime's own is half done: the run may continue as new (resumable.ts). Since timeline-queued
   * that includes the timeline: every entry written and, for a child, reported.
   */
  quiet(): boolean {
    return this.ticketsUnderWay === 0 && this.timelineIdle() && !this.closing;
  }

  private async closeTicket(task: Task, resolution: 'done' | 'cancelled'): Promise<void> {
    await condition(() => task.ticketRef !== undefined || this.ticketless.has(task.id));
    if (task.ticketRef === undefined) return;
    try {
      await activities.closeTicket({ breachId: this.breachId, taskId: task.id, resolution });
    } catch (err) {
      await this.note(
        'ticket-failed',
        `Ticket of task ${task.id} could not be closed: ${applicationFailureOf(err)?.message ?? String(err)}`,
        undefined,
        undefined,
        {
          taskId: task.id,
          taskKind: task.kind,
          stage: 'close',
          reason: applicationFailureOf(err)?.message ?? String(err),
        },
      );
    }
  }

  private assigneeOf(task: Task): { people?: string[] } {
    return task.assignee ? { people: [task.assignee] } : {};
  }

  async answerOf<K extends TaskKind>(task: Task & { kind: K }): Promise<Answer<K>> {
    await condition(() => task.status === 'done');
    return task.answer as Answer<K>;
  }

  /** Opens a task and waits for its answer. */
  async ask<K extends TaskKind>(kind: K, options: TaskOptions): Promise<Answer<K>> {
    const task = (await this.openTaskOnce(kind, options)) as Task & { kind: K };
    return this.answerOf(task);
  }

  /**
   * openTask, once across the runs of a resumable playbook: a task opened before the run continued as new is the same
   * task (carried with its state), not opened, ticketed and emailed again.
   */
  async openTaskOnce(kind: TaskKind, options: TaskOptions): Promise<Task> {
    if (!this.journal?.on) return this.openTask(kind, options);
    const id = options.id ?? kind;
    await this.journal.once(`task:${id}`, async () => {
      await this.openTask(kind, options);
    });
    return this.tasks.get(id)!;
  }

  /**
   * Everything needed to carry on in a new run after continue-as-new. A resumable playbook's snapshot carries its
   * open tasks, watched again in the new run; others (aftercare and data-subjects between rounds) have none open.
   */
  snapshot(): RuntimeSnapshot {
    const { tasks, deadlines, timeline, notifications, facts } = this.state(this.timeline);
    const resumable = this.journal?.on
      ? {
          escalated: [...this.escalated],
          talliesWritten: Object.fromEntries([...this.tallies].map(([id, t]) => [id, t.written ?? null])),
          refused: refusedSignalCount(),
        }
      : undefined;
    // A report still to be sent again goes with the run (report-again); the whole state is sent with it.
    const unreported = this.reportToCarry() ? { unreported: [...this.unreported] } : {};
    return {
      tasks,
      deadlines,
      timeline,
      notifications,
      facts,
      seq: this.seq,
      ...(resumable ? { resumable } : {}),
      ...unreported,
      ...this.reportNumber(),
    };
  }

  /**
   * Ends the playbook with its result. A resumable child reports the result to the breach workflow, which started it
   * apart (it may itself have continued as new since, so it cannot wait on the child's completion).
   */
  async finish<T>(result: T): Promise<T> {
    const last = this.journal?.on === true && this.reportTo !== undefined;
    // Since timeline-queued the last report waits only for the register: the result goes with the last changes.
    await this.settle(last ? 'written' : 'reported');
    if (last) await this.report({ result: result === undefined ? null : result });
    return result;
  }

  /**
   * Lets running update and signal handlers finish (ticket closed, timeline written) before the run ends or continues
   * as new; since timeline-queued, until every entry noted is in the register and (`reported`) a child has reported
   * it, and from then on the run is not moved by runResumable (closing).
   */
  async settle(until: 'written' | 'reported' = 'reported'): Promise<void> {
    if (this.queued) this.closing = true;
    await condition(allHandlersFinished);
    // The register gets every tally's last count before the run ends.
    await condition(() => [...this.tallies.values()].every((t) => t.entry.text === t.written));
    // Tickets still being opened or closed (a ticket system that was down): done before the playbook ends.
    while (this.ticketWork.length > 0) await Promise.all(this.ticketWork.splice(0));
    if (!this.queued) return;
    await condition(
      () => (until === 'reported' ? this.timelineIdle() : this.timelineWritten()) && allHandlersFinished(),
    );
    setCurrentDetails(this.currentDetails());
  }

  private check(completion: TaskCompletion) {
    const task = this.tasks.get(completion?.taskId);
    const deadline = task ? this.deadlineFor(task) : undefined;
    const ctx: CompletionContext = { now: Date.now(), ...(deadline ? { deadline } : {}) };
    return checkCompletionCoded(task, completion, this.settings.directory, ctx);
  }

  private async complete(completion: TaskCompletion): Promise<Task> {
    const result = this.check(completion);
    if (!result.ok) throw new Error(result.message);
    const task = this.tasks.get(completion.taskId)!;
    // Set before the first await, so a second completion in the same activation is refused.
    task.status = 'done';
    task.completedBy = result.actor;
    // Checked before it got here (validator, or the signal handler): the record says how the act came.
    const via = operatorActOf(completion);
    if (via) task.completedVia = via;
    task.completedAt = nowIso();
    task.answer = result.answer;
    await this.note(
      'task-completed',
      via
        ? `Task ${task.id} completed by ${describeOperator(result.actor, via)} (operator act)`
        : `Task ${task.id} completed`,
      result.actor,
      undefined,
      { taskId: task.id, taskKind: task.kind, ...(via ? { operatorAct: true } : {}) },
    );
    if (isPatched('task-before-ticket')) {
      // The person completing the task gets the answer now; the ticket is closed beside it, once it exists.
      this.closeTicketBeside(task, 'done');
    } else {
      await condition(() => task.ticketRef !== undefined);
      await activities.closeTicket({ breachId: this.breachId, taskId: task.id, resolution: 'done' });
    }
    // The person is answered once the breach's case view shows the task done (not once the register has it).
    if (this.queued) await this.heard();
    return { ...task };
  }

  /**
   * Cancels an open task at once, synchronously, so a completion in the same activation is refused. The task back,
   * or undefined when it is not open. The timeline line and closing its ticket are the caller's: they come after
   * the caller's own notes, and where they come in the run's order is part of the recorded history.
   */
  cancelTask(taskId: string): Task | undefined {
    const task = this.tasks.get(taskId);
    if (task?.status !== 'open') return undefined;
    task.status = 'cancelled';
    return task;
  }

  /**
   * Moves an open task's due time, e.g. when the deadline it serves moves. A task that was overdue and is no
   * longer is watched again from the new time.
   */
  async reschedule(taskId: string, due: string, why: string): Promise<void> {
    const task = this.tasks.get(taskId);
    if (task === undefined || task.status !== 'open' || task.due === due) return;
    const wasOverdue = task.overdue;
    task.due = due;
    task.overdue = wasOverdue && Date.parse(due) <= Date.now();
    await this.note('task-rescheduled', `Task ${taskId} now due ${due}: ${why}`, undefined, undefined, {
      taskId,
      taskKind: task.kind,
      due,
    });
    if (wasOverdue && !task.overdue) void this.watchDue(task);
  }

  /** Overdue: the role and its holders' deputies at once; the FG after `escalateToFgAfter` more. */
  private async watchDue(task: Task, carried = false): Promise<void> {
    const open = () => task.status === 'open';
    // A task carried overdue into a new run (resumable.ts) was noted and its role reminded: only the escalation is left.
    if (!(carried && task.overdue)) {
      for (;;) {
        const due = task.due;
        const left = Math.max(Date.parse(due) - Date.now(), 1);
        if (!(await condition(() => !open() || task.due !== due, left))) break;
        if (!open()) return;
        // Moved (see reschedule): wait for the new due time.
      }
      task.overdue = true;
      await this.note(
        'task-overdue',
        `Task ${task.id} is overdue (due ${task.due}); role ${task.role} and deputies reminded`,
        undefined,
        undefined,
        { taskId: task.id, taskKind: task.kind, due: task.due },
      );
      const notice = { kind: 'task-overdue', taskId: task.id, taskKind: task.kind, due: task.due } as const;
      await this.email(`task-overdue:${task.id}`, [task.role], notice, {
        escalateFrom: task.role,
        ...this.assigneeOf(task),
      });
    }
    if (task.role === 'fg' || this.escalated.has(task.id)) return;
    const escalateIn =
      carried && task.overdue
        ? Math.max(Date.parse(task.due) + this.settings.timing.escalateToFgAfter - Date.now(), 1)
        : this.settings.timing.escalateToFgAfter;
    if (await condition(() => !open(), escalateIn)) return;
    this.escalated.add(task.id);
    await this.note('task-escalated', `Task ${task.id} still open; escalated to the FG`, undefined, undefined, {
      taskId: task.id,
      taskKind: task.kind,
    });
    await this.email(`task-escalated:${task.id}`, ['fg'], {
      kind: 'task-overdue',
      taskId: task.id,
      taskKind: task.kind,
      due: task.due,
    });
  }
}

/**
 * A playbook's runtime and journal, made as every playbook starts: the runtime first (it registers the handlers),
 * then whether the run is resumable (a patch marker), then the journal. A run carried on without a journal is one
 * from before resumable runs, and replays as it ran.
 */
export function startPlaybook(
  breachId: string,
  name: Playbook,
  settings: PlaybookSettings,
  reportTo: string | undefined,
  resume: { runtime: RuntimeSnapshot; journal?: Journal | undefined } | undefined,
): { playbook: PlaybookRuntime; r: Resumable } {
  const playbook = new PlaybookRuntime(breachId, name, settings, reportTo, resume?.runtime);
  const r = new Resumable(
    Resumable.decide(resume?.journal !== undefined),
    resume?.journal,
    settings.history?.eventsPerRun,
  );
  playbook.journal = r;
  return { playbook, r };
}
