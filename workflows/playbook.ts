import {
  ActivityFailure,
  ApplicationFailure,
  allHandlersFinished,
  condition,
  getExternalWorkflowHandle,
  log,
  patched,
  setCurrentDetails,
  setHandler,
  sleep,
  workflowInfo,
} from '@temporalio/workflow';
import type { PlaybookSettings } from '../activities';
import type { SmtpPermanentFailureDetails } from '../activities/email';
import type { Deadline, Facts, NotificationRecord, TimelineEntry } from '../domain/case';
import { checkCompletion, type CompletionContext } from '../domain/completion';
import { checkAct, describeOperator, type ActMessage } from '../domain/act-proof';
import type { Notice } from '../domain/notices';
import type { Role } from '../domain/roles';
import type { BreachPatch } from '../domain/register';
import { runDetails } from '../domain/run-details';
import {
  TASK_ROLES,
  TASK_TITLES,
  type Answer,
  type Playbook,
  type Task,
  type TaskCompletion,
  type TaskKind,
} from '../domain/tasks';
import { activities, emailActivities } from './activities';
import {
  completeTaskSignal,
  completeTaskUpdate,
  playbookReportSignal,
  playbookViewQuery,
  refreshActKeysSignal,
  type PlaybookState,
} from './messages';
import { carryRefusedSignals, onRefusedSignal, refusedSignalCount } from './refusals';
import { Resumable, type Journal } from './resumable';
import { ACTS_PATCH, operatorActOf, setValidatedUpdate } from './acts';

const ACT_KEYS_REFRESH_EVERY_MS = 60_000;
/** Guards the timeline line that counts refused (unencrypted) signals. */
export const REFUSALS_ON_TIMELINE_PATCH = 'refusals-on-timeline';
/** Guards the refreshActKeys signal's activity. */
export const ACT_KEYS_REFRESH_PATCH = 'act-keys-refresh';

/** activities/email.ts SMTP_PERMANENT_FAILURE (workflow code imports activities as types only). */
const SMTP_PERMANENT_FAILURE = 'SmtpPermanentFailure';
/** The purpose of the FG's email about an undelivered one. */
const UNDELIVERED_PREFIX = 'email-undelivered:';

/** The application failure under an activity failure, if that is what `err` is. */
function applicationFailureOf(err: unknown): ApplicationFailure | undefined {
  return err instanceof ActivityFailure && err.cause instanceof ApplicationFailure ? err.cause : undefined;
}

const nowIso = () => new Date().toISOString();

/**
 * How often, at most, a tally's entry is written to the register (and reported to the breach workflow): a flood
 * of occurrences costs one activity (and one timer) per interval, however many there are.
 */
export const TALLY_WRITE_EVERY_MS = 30_000;

interface Tally {
  entry: TimelineEntry;
  /** The text the register holds (undefined: not written yet). */
  written: string | undefined;
  lastWriteAt: number;
}

export interface RuntimeSnapshot extends Omit<PlaybookState, 'playbook'> {
  seq: number;
  /**
   * Set by resumable runs (resumable.ts), whose open tasks are carried and watched again: the overdue tasks already
   * escalated to the FG, what the register holds of each tally, and the refused signals counted so far.
   */
  resumable?: { escalated: string[]; talliesWritten: Record<string, string | null>; refused: number };
}

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
export class PlaybookRuntime {
  readonly tasks = new Map<string, Task>();
  readonly timeline: TimelineEntry[] = [];
  deadlines: Deadline[] = [];
  notifications: NotificationRecord[] = [];
  facts: Partial<Facts> = {};
  /** What the Temporal UI shows as the run's current details; the breach workflow shows the whole case. */
  details: () => string = () => runDetails({ tasks: [...this.tasks.values()], deadlines: this.deadlines });
  /** Lets a playbook tell the completion check which legal deadline stands behind a task. */
  deadlineFor: (task: Task) => string | undefined = () => undefined;

  private unreported: TimelineEntry[] = [];
  private refreshingActKeys = false;
  private actKeysRefreshedAt = 0;
  private seq = 0;
  /** Tickets being opened or closed beside the task (see openTask): a playbook finishes only after them. */
  private ticketWork: Promise<void>[] = [];
  /** Tasks whose ticket the ticket system refused for good: they go on without one. */
  private readonly ticketless = new Set<string>();
  /** Emails the SMTP server refused for good, by purpose: shown in the run's current details (Temporal UI). */
  private readonly undelivered: string[] = [];
  /** Timeline entries that count repeated occurrences, by entry id (see tally). */
  private readonly tallies = new Map<string, Tally>();
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
    readonly breachId: string,
    readonly playbook: Playbook,
    readonly settings: PlaybookSettings,
    private readonly reportTo?: string,
    resume?: RuntimeSnapshot,
  ) {
    if (resume) {
      for (const task of resume.tasks) this.tasks.set(task.id, task);
      this.timeline.push(...resume.timeline);
      this.deadlines = resume.deadlines;
      this.notifications = resume.notifications;
      this.facts = resume.facts;
      this.seq = resume.seq;
      if (resume.resumable) {
        for (const id of resume.resumable.escalated) this.escalated.add(id);
        carryRefusedSignals(resume.resumable.refused);
        // The tallies' entries are in the carried timeline; what the register holds of each decides whether to write.
        for (const [id, written] of Object.entries(resume.resumable.talliesWritten)) {
          const entry = this.timeline.find((e) => e.id === id);
          if (!entry) continue;
          const tally: Tally = { entry, written: written ?? undefined, lastWriteAt: -Infinity };
          this.tallies.set(id, tally);
          void this.writeTally(tally);
        }
        // Open tasks are the same tasks: their due times and reminders go on from where they were.
        for (const task of this.tasks.values()) if (task.status === 'open') void this.watchDue(task, true);
      }
    }
    setValidatedUpdate(completeTaskUpdate, (completion) => this.complete(completion), [
      (completion) => this.check(completion),
      (completion) => this.checkAct(completion, 'completeTask'),
    ]);
    setHandler(completeTaskSignal, async (completion) => {
      let result: { ok: true } | { ok: false; message: string } = this.check(completion);
      // Runs that took signals before acts were proven replay as they ran.
      if (result.ok && patched(ACTS_PATCH)) result = this.checkAct(completion, 'completeTaskAsync');
      if (result.ok) await this.complete(completion);
      else
        await this.note(
          'completion-rejected',
          `Completion of task ${String(completion?.taskId)} rejected: ${result.message}`,
        );
    });
    setHandler(refreshActKeysSignal, async () => {
      // Only runs that get this signal after the deploy do anything with it (older histories never had it).
      if (!patched(ACT_KEYS_REFRESH_PATCH)) return;
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
      if (patched(REFUSALS_ON_TIMELINE_PATCH))
        this.tally(
          'refused-unencrypted',
          'refused-unencrypted',
          `${count} message(s) refused: not encrypted with lekdicht's payload keys`,
        );
    });
    setHandler(playbookViewQuery, () => this.state(this.timeline));
  }

  /** Adds a timeline entry, writes it (and an optional change of the breach's register row) to the register. */
  async note(kind: string, text: string, actor?: string, breach?: BreachPatch): Promise<void> {
    const entry: TimelineEntry = {
      id: `${this.playbook}#${++this.seq}`,
      at: nowIso(),
      kind,
      text,
      ...(actor ? { actor } : {}),
    };
    this.timeline.push(entry);
    this.unreported.push(entry);
    await activities.record({ breachId: this.breachId, event: { key: entry.id, ...entry }, breach });
    await this.report();
  }

  /**
   * One timeline entry for something that happens again and again (duplicate reports, refused signals, …), updated
   * in place instead of one entry per occurrence: a flood must not grow the timeline, the register or the history.
   *
   * - The entry's id is stable, `<playbook>~<key>`, so the register row (same key) is overwritten, not added to,
   *   and a run resumed after continue-as-new (timeline carried in the snapshot) finds and updates the same entry.
   * - Synchronous, so any handler may call it: the in-memory timeline (the case view) shows `text` at once.
   * - The register (activity `record` with `replace`) and, for a child playbook, the breach workflow hear of it
   *   at most once per TALLY_WRITE_EVERY_MS, always with the latest text; `finish()` waits for the last write.
   * - `at` stays the first occurrence; put the count and the last time in `text` (written in full each time).
   */
  tally(key: string, kind: string, text: string): void {
    const id = `${this.playbook}~${key}`;
    let tally = this.tallies.get(id);
    if (!tally) {
      const carried = this.timeline.find((e) => e.id === id);
      const entry: TimelineEntry = carried ?? { id, at: nowIso(), kind, text };
      if (!carried) this.timeline.push(entry);
      tally = { entry, written: carried?.text, lastWriteAt: -Infinity };
      this.tallies.set(id, tally);
      void this.writeTally(tally);
    }
    tally.entry.kind = kind;
    tally.entry.text = text;
  }

  private async writeTally(tally: Tally): Promise<void> {
    for (;;) {
      await condition(() => tally.entry.text !== tally.written);
      const wait = tally.lastWriteAt + TALLY_WRITE_EVERY_MS - Date.now();
      if (wait > 0) await sleep(wait);
      const entry = { ...tally.entry };
      tally.lastWriteAt = Date.now();
      await activities.record({ breachId: this.breachId, event: { key: entry.id, ...entry, replace: true } });
      tally.written = entry.text;
      this.unreported = [...this.unreported.filter((e) => e.id !== entry.id), entry];
      await this.report();
    }
  }

  /** What the Temporal UI shows for this run: `details()` and any email the SMTP server refused for good. */
  currentDetails(): string {
    const details = this.details();
    const refused = refusedSignalCount();
    return [
      details,
      ...(this.undelivered.length > 0 ? [`**Undelivered email (see timeline):** ${this.undelivered.join(', ')}`] : []),
      ...(refused > 0 ? [`**Refused, not encrypted with lekdicht's payload keys:** ${refused} signal(s)`] : []),
    ].join('\n');
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

  async email(
    purpose: string,
    roles: Role[],
    notice: Notice,
    also: { escalateFrom?: Role; people?: string[] } = {},
  ): Promise<void> {
    let sent: string[];
    try {
      ({ sent } = await emailActivities.emailRoles({ breachId: this.breachId, purpose, roles, notice, ...also }));
    } catch (err) {
      // A 5xx is not retried (activities/email.ts): the register has who; the case says so to the people on it,
      // and the breach goes on instead of failing or waiting forever on a message that will never go through.
      const failure = applicationFailureOf(err);
      if (failure?.type !== SMTP_PERMANENT_FAILURE || !patched('email-refusal-noted')) throw err;
      const details = failure.details?.[0] as SmtpPermanentFailureDetails | undefined;
      this.undelivered.push(purpose);
      if (details && details.sent > 0)
        await this.note('email-sent', `Email "${purpose}" sent to ${details.sent} recipient(s)`);
      await this.note(
        'email-failed',
        `Email "${purpose}" could not be delivered to ${details?.failed ?? 'some'} recipient(s): the mail server refused it for good (${details?.codes.join(', ') ?? 'SMTP 5xx'}). ` +
          'Not retried; the addresses are in the register (email failures). Reach them another way, or correct the address in the directory.',
      );
      // And the FG hears of it by email (unless this was that email: no loop when the FG's own address bounces).
      if (!purpose.startsWith(UNDELIVERED_PREFIX)) {
        await this.email(
          `${UNDELIVERED_PREFIX}${purpose}`,
          ['fg'],
          { kind: 'email-undelivered', purpose, failed: details?.failed ?? 0, codes: details?.codes ?? [] },
          { escalateFrom: 'fg' },
        );
      }
      return;
    }
    if (sent.length > 0) await this.note('email-sent', `Email "${purpose}" sent to ${sent.length} recipient(s)`);
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
    if (patched('task-before-ticket')) {
      // The ticket follows beside the task: a ticket system that is down must not hold up the task, its email or
      // the breach (the task is in the case view from here on; its ticketRef appears when the ticket exists).
      this.ticketWork.push(this.underWay(this.openTicket(task)));
    } else {
      const { ref } = await activities.createTicket({ breachId: this.breachId, task });
      task.ticketRef = ref;
    }
    await this.note('task-opened', `Task ${id} opened for role ${task.role}, due ${due}`);
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
      );
      return;
    }
    // The breach's case view mirrors a playbook's tasks: let it see the ticket.
    await this.report();
  }

  /** Closes a task's ticket beside the workflow, once the ticket exists; the playbook finishes only after it. */
  closeTicketBeside(task: Task, resolution: 'done' | 'cancelled'): void {
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

  /** Nothing of the runtime's own is half done: the run may continue as new (resumable.ts). */
  quiet(): boolean {
    return this.ticketsUnderWay === 0;
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
    return { tasks, deadlines, timeline, notifications, facts, seq: this.seq, ...(resumable ? { resumable } : {}) };
  }

  /**
   * Ends the playbook with its result. A resumable child reports the result to the breach workflow, which started it
   * apart (it may itself have continued as new since, so it cannot wait on the child's completion).
   */
  async finish<T>(result: T): Promise<T> {
    await this.settle();
    if (this.journal?.on && this.reportTo !== undefined)
      await this.report({ result: result === undefined ? null : result });
    return result;
  }

  /** Lets running update and signal handlers finish (ticket closed, timeline written) before the run ends. */
  async settle(): Promise<void> {
    await condition(allHandlersFinished);
    // The register gets every tally's last count before the run ends.
    await condition(() => [...this.tallies.values()].every((t) => t.entry.text === t.written));
    // Tickets still being opened or closed (a ticket system that was down): done before the playbook ends.
    while (this.ticketWork.length > 0) await Promise.all(this.ticketWork.splice(0));
  }

  state(timeline: TimelineEntry[]): PlaybookState {
    return {
      playbook: this.playbook,
      tasks: [...this.tasks.values()].map((t) => ({ ...t })),
      deadlines: this.deadlines.map((d) => ({ ...d })),
      timeline: [...timeline],
      notifications: [...this.notifications],
      facts: { ...this.facts },
    };
  }

  /** Child playbooks tell the breach workflow what changed; a lost report only costs the mirror freshness. */
  async report(end?: { result: unknown }): Promise<void> {
    setCurrentDetails(this.currentDetails());
    if (this.reportTo === undefined) return;
    const fresh = this.unreported.splice(0);
    try {
      await getExternalWorkflowHandle(this.reportTo).signal(playbookReportSignal, {
        ...this.state(fresh),
        ...(end ? { finished: end } : {}),
      });
    } catch (err) {
      log.warn('Could not report to the breach workflow', { playbook: this.playbook, error: String(err) });
    }
  }

  private check(completion: TaskCompletion) {
    const task = this.tasks.get(completion?.taskId);
    const deadline = task ? this.deadlineFor(task) : undefined;
    const ctx: CompletionContext = { now: Date.now(), ...(deadline ? { deadline } : {}) };
    return checkCompletion(task, completion, this.settings.directory, ctx);
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
    );
    if (patched('task-before-ticket')) {
      // The person completing the task gets the answer now; the ticket is closed beside it, once it exists.
      this.closeTicketBeside(task, 'done');
    } else {
      await condition(() => task.ticketRef !== undefined);
      await activities.closeTicket({ breachId: this.breachId, taskId: task.id, resolution: 'done' });
    }
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
    await this.note('task-rescheduled', `Task ${taskId} now due ${due}: ${why}`);
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
    await this.note('task-escalated', `Task ${task.id} still open; escalated to the FG`);
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
