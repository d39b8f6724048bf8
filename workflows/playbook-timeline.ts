import {
  ActivityFailure,
  ApplicationFailure,
  condition,
  getExternalWorkflowHandle,
  log,
  setCurrentDetails,
  sleep,
  workflowInfo,
} from '@temporalio/workflow';
import type { PlaybookSettings, RecordTicket, RecordWrite } from '../activities';
import type { SmtpPermanentFailureDetails } from '../activities/email';
import type { Deadline, Facts, NotificationRecord, TimelineEntry } from '../domain/case';
import type { Notice } from '../domain/notices';
import type { ReportOutcome } from '../domain/playbook-report';
import type { Role } from '../domain/roles';
import type { BreachPatch } from '../domain/register';
import { runDetails } from '../domain/run-details';
import type { Playbook, Task } from '../domain/tasks';
import { activities, batchActivities, emailActivities } from './activities';
import { playbookReportSignal, type PlaybookChanges, type PlaybookState, type ReportNumber } from './messages';
import { isPatched, onBaseline } from './patches';
import { carryRefusedSignals, refusedSignalCount } from './refusals';

/** activities/email.ts SMTP_PERMANENT_FAILURE (workflow code imports activities as types only). */
const SMTP_PERMANENT_FAILURE = 'SmtpPermanentFailure';
/** The purpose of the FG's email about an undelivered one. */
const UNDELIVERED_PREFIX = 'email-undelivered:';

/** The application failure under an activity failure, if that is what `err` is. */
export function applicationFailureOf(err: unknown): ApplicationFailure | undefined {
  return err instanceof ActivityFailure && err.cause instanceof ApplicationFailure ? err.cause : undefined;
}

export const nowIso = () => new Date().toISOString();

/**
 * How often, at most, a tally's entry is written to the register (and reported to the breach workflow): a flood
 * of occurrences costs one activity (and one timer) per interval, however many there are.
 */
export const TALLY_WRITE_EVERY_MS = 30_000;

/**
 * A child's report that Temporal refused (the breach's run full of signals: history.maximumSignalsPerExecution,
 * reached by a flood from anyone on the frontend) is sent again, first after this long, then twice as long each
 * time up to REPORT_AGAIN_AT_MOST_MS. Runs recorded before it never sent a report again.
 */
export const REPORT_AGAIN_PATCH = 'report-again';
export const REPORT_AGAIN_AFTER_MS = 5_000;
export const REPORT_AGAIN_AT_MOST_MS = 5 * 60_000;
/**
 * Runs with this patch wait at most a tally's interval (TALLY_WRITE_EVERY_MS) before sending a refused report again:
 * a full breach run moves on as soon as it can, and once a tally stops changing only this retry sends its count, so
 * with waits of minutes the case view lacked it for minutes after the breach had room (CI, the flood test). Asked
 * only where the wait would be longer, so histories that never waited that long replay without its marker.
 */
export const REPORT_AGAIN_SOON_PATCH = 'report-again-soon';

/** The wait before the next try at a refused report: twice the last, capped (see REPORT_AGAIN_SOON_PATCH). */
function nextReportWait(wait: number): number {
  const next = Math.min(wait * 2, REPORT_AGAIN_AT_MOST_MS);
  return next > TALLY_WRITE_EVERY_MS && isPatched(REPORT_AGAIN_SOON_PATCH) ? TALLY_WRITE_EVERY_MS : next;
}

/** Refused signals counted by a new run before it read the carried count are added to it (refusals.ts). */
export const REFUSALS_CARRIED_IN_FULL_PATCH = 'refusals-carried-in-full';

/**
 * Guards the queued timeline (see PlaybookTimeline.note): entries written by one writer per run in batches, and
 * child playbooks reporting their changes. Decided once per run, as the runtime is made: a run from before it
 * replays (and goes on) awaiting each entry's `record` activity and reporting its whole state.
 */
export const TIMELINE_QUEUED_PATCH = 'timeline-queued';

/**
 * A child's change report rides with the register batch that `recordAll` writes: the activity sends it to the breach
 * (activities/index.ts), so the child spends no signal on it, nor a workflow task on the signal's answer: about a
 * third of a lifecycle's events were these (issue 16). A report due while no batch is about to go (or while one is
 * under way: a slow register must not keep the breach's case view behind) is still a signal of the child's own.
 * Decided once per run, as the runtime is made; runs before it replay with every report a signal.
 */
export const REPORTS_RIDE_PATCH = 'reports-ride';

/** At most this many queued writes per `recordAll` activity: its input stays far below Temporal's payload limit. */
export const WRITES_PER_BATCH = 100;

/** What the breach last heard of a child playbook's parts (JSON, to compare): the base of the next change report. */
interface Reported {
  tasks: Map<string, string>;
  deadlines: string;
  notifications: string;
  facts: Map<string, string>;
}

/** A report on its way (reports-ride): what it makes of the breach's parts, its entries, what it settles. */
interface RidingReport {
  seq: number;
  changes: PlaybookChanges;
  reported: Reported;
  timeline: TimelineEntry[];
  /** Every change counted up to this one is in it (see heard). */
  upTo: number;
  ending: { result: unknown; sent: boolean } | undefined;
}

/** The register's fields of a timeline entry (the activity's input; params stay in the workflow's state). */
function eventOf(entry: TimelineEntry, replace?: boolean): NonNullable<RecordWrite['event']> {
  return {
    key: entry.id,
    at: entry.at,
    kind: entry.kind,
    text: entry.text,
    ...(entry.actor ? { actor: entry.actor } : {}),
    ...(replace ? { replace } : {}),
  };
}

export interface Tally {
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
  /** A child's report Temporal refused, not yet sent again (report-again): sent again by the next run. */
  unreported?: TimelineEntry[];
  /** The number of the run's last report (reports-ride): the next run's reports follow it. */
  reportsMade?: number;
}

/**
 * What a playbook shows of the case and how it gets there, under its tasks (PlaybookRuntime, playbook.ts): the
 * case's parts it keeps (tasks, deadlines, notifications, facts), its timeline with every entry written to the
 * register, tallies, emails, and — for the child playbooks — the reports that keep the breach's case view whole.
 */
export class PlaybookTimeline {
  readonly tasks = new Map<string, Task>();
  readonly timeline: TimelineEntry[] = [];
  deadlines: Deadline[] = [];
  notifications: NotificationRecord[] = [];
  facts: Partial<Facts> = {};
  /** What the Temporal UI shows as the run's current details; the breach workflow shows the whole case. */
  details: () => string = () => runDetails({ tasks: [...this.tasks.values()], deadlines: this.deadlines });
  protected unreported: TimelineEntry[] = [];
  /** A refused report is to be sent again (see REPORT_AGAIN_PATCH); a run that moves on first carries it. */
  protected reportingAgain = false;
  /** The last report was refused: the breach lacks this playbook's state (a ticket's reference, say). */
  private stateUnsent = false;
  protected seq = 0;
  /** Emails the SMTP server refused for good, by purpose: shown in the run's current details (Temporal UI). */
  private readonly undelivered: string[] = [];
  /** Timeline entries that count repeated occurrences, by entry id (see tally). */
  protected readonly tallies = new Map<string, Tally>();
  /** TIMELINE_QUEUED_PATCH: notes are queued for one writer (writeQueue); children report changes (reportChanges). */
  readonly queued: boolean;
  /**
   * The run is ending (finish) or about to continue as new by itself (settle): it must not also be moved by
   * runResumable meanwhile, which would run its last steps again in a new run. Only ever set in queued runs.
   */
  protected closing = false;
  /** Register writes noted and not yet taken by the writer, in the order noted, each with its number. */
  private readonly queue: { write: RecordWrite; seq: number }[] = [];
  private queuedSeq = 0;
  /** Every write numbered up to this one is in the register. */
  private writtenSeq = 0;
  /** A batch is being written. */
  private writing = false;
  /** Something changed since the last report to the breach workflow (children only). */
  private reportDue = false;
  /** A report is on its way to the breach workflow. */
  private reporting = false;
  /** The playbook's result, for its last report (finish); `sent` once the breach has it (or has ended). */
  private ending: { result: unknown; sent: boolean } | undefined;
  /** What the breach has heard (undefined: nothing yet, or unsure: the next report carries every part). */
  private reported: Reported | undefined;
  /**
   * A report Temporal refused is waiting to be sent again (report-again): the run may move on meanwhile, carrying
   * what is unreported, and the next run reports every part (queued runs).
   */
  private refusedReport = false;
  /** REPORTS_RIDE_PATCH: a child whose reports ride with its register batches (see reportRiding). */
  readonly riding: boolean;
  /** The number of the last report made, and of the last the breach has heard of (reports-ride). */
  private reportSeq = 0;
  private heardSeq = 0;
  /** Reports on their way whose fate is not known: the breach may hold any of their states. */
  private onTheirWay: RidingReport[] = [];
  /** Changes counted (changed) and how many of them the breach has heard: for heard(). */
  private changeCount = 0;
  private heardUpTo = 0;
  /** The changes someone waits for the breach to hear (heard): sent at once, by signal. */
  private awaited = 0;
  /** The wait before a refused report is sent again (reports-ride). */
  private again = REPORT_AGAIN_AFTER_MS;
  /** The deadlines and notifications as last seen by changed() (reports-ride: a change of them goes at once). */
  private watched = '';

  constructor(
    readonly breachId: string,
    readonly playbook: Playbook,
    readonly settings: PlaybookSettings,
    protected readonly reportTo?: string,
    resume?: RuntimeSnapshot,
  ) {
    this.queued = isPatched(TIMELINE_QUEUED_PATCH);
    this.riding = this.queued && reportTo !== undefined && isPatched(REPORTS_RIDE_PATCH);
    if (resume) this.resume(resume);
    if (!this.queued) return;
    // What the Temporal UI shows from the run's start (a run carried on may not note anything before it waits).
    setCurrentDetails(this.currentDetails());
    void this.writeQueue();
    if (this.reportTo === undefined) return;
    // A run carried on starts from what the run before reported (it moves only with nothing left to report), unless
    // that run was still sending a refused report again: then the breach may lack any part, and hears them all.
    if (resume?.unreported) this.reportDue = true;
    else this.reported = this.reportedNow().reported;
    if (this.riding) {
      this.reportSeq = this.heardSeq = resume?.reportsMade ?? 0;
      this.watched = this.watchedNow();
      void this.reportRiding();
    } else void this.reportChanges();
  }

  private resume(resume: RuntimeSnapshot): void {
    for (const task of resume.tasks) this.tasks.set(task.id, task);
    this.timeline.push(...resume.timeline);
    this.deadlines = resume.deadlines;
    this.notifications = resume.notifications;
    this.facts = resume.facts;
    this.seq = resume.seq;
    // A report the previous run was still sending again: this run goes on with it (only runs with report-again
    // carry one, so older histories replay as they ran).
    if (resume.unreported) {
      this.unreported = [...resume.unreported];
      this.stateUnsent = true;
      // A queued run's reporter sends it (see the constructor); this is the reporter of runs before it.
      if (!this.queued) {
        this.reportingAgain = true;
        void this.reportAgain().finally(() => (this.reportingAgain = false));
      }
    }
    if (!resume.resumable) return;
    carryRefusedSignals(resume.resumable.refused, isPatched(REFUSALS_CARRIED_IN_FULL_PATCH));
    // The tallies' entries are in the carried timeline; what the register holds of each decides whether to write.
    for (const [id, written] of Object.entries(resume.resumable.talliesWritten)) {
      const entry = this.timeline.find((e) => e.id === id);
      if (!entry) continue;
      const tally: Tally = { entry, written: written ?? undefined, lastWriteAt: -Infinity };
      this.tallies.set(id, tally);
      void this.writeTally(tally);
    }
  }

  /**
   * Adds a timeline entry, writes it (and an optional change of the breach's register row) to the register.
   *
   * Since TIMELINE_QUEUED_PATCH it waits for nothing: the entry is in the timeline (and the case view) at once and
   * queued for the register, which one writer per run (writeQueue) fills in batches, one `recordAll` activity each,
   * in the order noted; a child playbook's change report follows (reportChanges). The run ends, or continues as
   * new, only once the queue is written and reported (settle, quiet), so nothing noted is lost.
   */
  async note(
    kind: string,
    text: string,
    actor?: string,
    breach?: BreachPatch,
    params?: TimelineEntry['params'],
  ): Promise<void> {
    // `params` only adds to the activity's payload: replay-safe, and older entries simply lack it.
    const entry: TimelineEntry = {
      id: `${this.playbook}#${++this.seq}`,
      at: nowIso(),
      kind,
      text,
      ...(actor ? { actor } : {}),
      ...(params ? { params } : {}),
    };
    this.timeline.push(entry);
    this.unreported.push(entry);
    if (this.queued) {
      this.enqueue({ event: eventOf(entry), ...(breach ? { breach } : {}) });
      this.changed();
      return;
    }
    await activities.record({ breachId: this.breachId, event: { key: entry.id, ...entry }, breach });
    await this.report();
  }

  /**
   * Tickets of the register's own ticket system are rows written with the timeline's batches, in order: no activity
   * per opening and closing (two of a task's four activities; issue 16). Runs on the baseline only (patches.ts).
   */
  protected ticketsQueued(): boolean {
    return this.queued && this.settings.ticketsInRegister === true && onBaseline();
  }

  /** Queues a ticket's opening or closing (ticketsQueued) behind what was noted before it. */
  protected queueTicket(ticket: RecordTicket): void {
    this.enqueue({ ticket });
  }

  /** Queues a register write; its number, written once `writtenSeq` reaches it. */
  private enqueue(write: RecordWrite): number {
    const seq = ++this.queuedSeq;
    this.queue.push({ write, seq });
    return seq;
  }

  /** The one writer of the run's register writes: everything queued so far in one activity, then the next batch. */
  private async writeQueue(): Promise<void> {
    for (;;) {
      await condition(() => this.queue.length > 0);
      const batch = this.queue.splice(0, WRITES_PER_BATCH);
      // A report due rides with the batch (reports-ride), unless a refused one is waiting its time to go again, or
      // someone waits for the breach to hear it (reportRiding sends that at once).
      const report =
        this.riding && this.reportDue && !this.refusedReport && !this.hearingAwaited() ? this.takeReport() : undefined;
      this.writing = true;
      setCurrentDetails(this.currentDetails());
      const result = await (this.riding ? batchActivities : activities).recordAll({
        breachId: this.breachId,
        writes: batch.map((w) => w.write),
        ...(report ? { report: { to: this.reportTo!, changes: report.changes } } : {}),
      });
      this.writtenSeq = batch[batch.length - 1]!.seq;
      this.writing = false;
      if (report) this.reportWent(report, result?.report ?? 'refused');
    }
  }

  /**
   * Everything queued is in the register and, for a child, reported to the breach workflow, or waiting to be sent
   * again after Temporal refused it (which the run carries when it moves on: see snapshot's `unreported`).
   */
  protected timelineIdle(): boolean {
    return !this.queued || (this.timelineWritten() && !this.reporting && (!this.reportDue || this.refusedReport));
  }

  /** The number of the last report, for the next run to follow (reports-ride; nothing in runs before it). */
  protected reportNumber(): { reportsMade?: number } {
    return this.riding ? { reportsMade: this.reportSeq } : {};
  }

  /** A refused report is waiting to be sent again: a run that moves on now carries what is unreported. */
  protected reportToCarry(): boolean {
    return this.reportingAgain || this.refusedReport;
  }

  /** Everything queued is in the register. */
  protected timelineWritten(): boolean {
    return this.queue.length === 0 && !this.writing;
  }

  /**
   * Resolves once the breach workflow has heard every change noted so far (timeline-queued runs; call it only in
   * those, `if (playbook.queued)`): before telling it something that its case view should already reflect, as a
   * report sent on each note did before.
   */
  async heard(): Promise<void> {
    if (this.reportTo === undefined) return;
    // Not while the breach refuses reports (its run full of signals): the answer is in, the case view follows.
    if (this.riding) {
      // Reports may be on their way at once: the breach has heard once one made after the last change has arrived.
      const upTo = this.changeCount;
      this.awaited = Math.max(this.awaited, upTo);
      await condition(() => this.heardUpTo >= upTo || this.refusedReport);
    } else await condition(() => (!this.reportDue && !this.reporting) || this.refusedReport);
  }

  /** A child playbook's state changed: the breach workflow hears of it in the next report. */
  private changed(): void {
    if (this.reportTo === undefined) return;
    this.reportDue = true;
    this.changeCount += 1;
    if (!this.riding) return;
    // The deadlines and notifications are what the FG watches (the dashboard's late and critical lists, the case's
    // clock): a change of them does not wait behind a register batch (slow, locked, or held by a worker that died
    // with it) but goes at once, as a person's answer does (heard).
    const watched = this.watchedNow();
    if (watched === this.watched) return;
    this.watched = watched;
    this.awaited = Math.max(this.awaited, this.changeCount);
  }

  private watchedNow(): string {
    return JSON.stringify([this.deadlines, this.notifications]);
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
  tally(key: string, kind: string, text: string, params?: TimelineEntry['params']): void {
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
    if (params) tally.entry.params = params;
  }

  private async writeTally(tally: Tally): Promise<void> {
    for (;;) {
      await condition(() => tally.entry.text !== tally.written);
      const wait = tally.lastWriteAt + TALLY_WRITE_EVERY_MS - Date.now();
      if (wait > 0) await sleep(wait);
      const entry = { ...tally.entry };
      tally.lastWriteAt = Date.now();
      if (this.queued) {
        const seq = this.enqueue({ event: eventOf(entry, true) });
        this.unreported = [...this.unreported.filter((e) => e.id !== entry.id), entry];
        this.changed();
        await condition(() => this.writtenSeq >= seq);
        tally.written = entry.text;
        continue;
      }
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
      if (failure?.type !== SMTP_PERMANENT_FAILURE || !isPatched('email-refusal-noted')) throw err;
      const details = failure.details?.[0] as SmtpPermanentFailureDetails | undefined;
      this.undelivered.push(purpose);
      if (details && details.sent > 0)
        await this.note('email-sent', `Email "${purpose}" sent to ${details.sent} recipient(s)`, undefined, undefined, {
          purpose,
          count: details.sent,
        });
      await this.note(
        'email-failed',
        `Email "${purpose}" could not be delivered to ${details?.failed ?? 'some'} recipient(s): the mail server refused it for good (${details?.codes.join(', ') ?? 'SMTP 5xx'}). ` +
          'Not retried; the addresses are in the register (email failures). Reach them another way, or correct the address in the directory.',
        undefined,
        undefined,
        { purpose, failed: details?.failed ?? 0, codes: details?.codes.join(', ') ?? 'SMTP 5xx' },
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
    if (sent.length > 0)
      await this.note('email-sent', `Email "${purpose}" sent to ${sent.length} recipient(s)`, undefined, undefined, {
        purpose,
        count: sent.length,
      });
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

  /**
   * Child playbooks tell the breach workflow what changed. A report Temporal refuses while the breach runs is sent
   * again until it gets through: its entries would otherwise be missing from the case view for good, and the last
   * one (`end`) is the only way a resumable child's result reaches the breach. Once the breach has ended, nobody
   * is left to tell.
   *
   * Since TIMELINE_QUEUED_PATCH this only says that something changed: the reporter (reportChanges) sends what did.
   * With `end`, the playbook's last report: everything noted is written first, and the result goes with the last
   * changes; it resolves once that report is in.
   */
  async report(end?: { result: unknown }): Promise<void> {
    setCurrentDetails(this.currentDetails());
    if (this.reportTo === undefined) return;
    if (this.queued) {
      if (end) {
        await condition(() => this.timelineWritten());
        const ending = { result: end.result, sent: false };
        this.ending = ending;
        this.reportDue = true;
        await condition(() => ending.sent);
      } else this.changed();
      return;
    }
    const fresh = this.unreported.splice(0);
    try {
      await getExternalWorkflowHandle(this.reportTo).signal(playbookReportSignal, {
        ...this.state(fresh),
        ...(end ? { finished: end } : {}),
      });
      this.stateUnsent = false;
    } catch (err) {
      log.warn('Could not report to the breach workflow', { playbook: this.playbook, error: String(err) });
      this.stateUnsent = true;
      if (/not found/i.test(String(err)) || !isPatched(REPORT_AGAIN_PATCH)) return;
      // With the next report; an entry updated since (a tally) is already there with its newer text.
      this.unreported = [...fresh.filter((e) => !this.unreported.some((u) => u.id === e.id)), ...this.unreported];
      if (end) {
        await this.reportAgain(end);
        return;
      }
      if (!this.reportingAgain) {
        this.reportingAgain = true;
        void this.reportAgain().finally(() => (this.reportingAgain = false));
      }
    }
  }

  /** Sends the report again after a while, and again, until Temporal takes it or the breach has ended. */
  private async reportAgain(end?: { result: unknown }): Promise<void> {
    for (let wait = REPORT_AGAIN_AFTER_MS; ; wait = nextReportWait(wait)) {
      await sleep(wait);
      // A report since has carried everything (the last one is always sent here).
      if (!end && this.unreported.length === 0 && !this.stateUnsent) return;
      const fresh = this.unreported.splice(0);
      try {
        await getExternalWorkflowHandle(this.reportTo!).signal(playbookReportSignal, {
          ...this.state(fresh),
          ...(end ? { finished: end } : {}),
        });
        this.stateUnsent = false;
        return;
      } catch (err) {
        this.unreported = [...fresh.filter((e) => !this.unreported.some((u) => u.id === e.id)), ...this.unreported];
        if (/not found/i.test(String(err))) return;
      }
    }
  }

  /**
   * The one reporter of a child playbook (TIMELINE_QUEUED_PATCH): whenever something changed, one signal with every
   * change since the last report, one at a time; what changes while one is on its way goes in the next. Not tied to
   * the register's writes: a slow register does not keep the breach's case view from showing a task done.
   */
  private async reportChanges(): Promise<void> {
    let again = REPORT_AGAIN_AFTER_MS;
    for (;;) {
      await condition(() => this.reportDue);
      this.reportDue = false;
      const ending = this.ending;
      const { changes, reported } = this.reportedNow();
      const timeline = this.unreported.splice(0);
      if (timeline.length > 0) changes.timeline = timeline;
      if (!ending && !hasChanges(changes)) continue;
      if (ending) changes.finished = { result: ending.result };
      this.reporting = true;
      let refused = false;
      try {
        await getExternalWorkflowHandle(this.reportTo!).signal(playbookReportSignal, changes);
        this.reported = reported;
        this.stateUnsent = false;
      } catch (err) {
        // Told again in the next report; an entry updated since (a tally) is already there with its newer text.
        this.unreported = [...timeline.filter((e) => !this.unreported.some((u) => u.id === e.id)), ...this.unreported];
        log.warn('Could not report to the breach workflow', { playbook: this.playbook, error: String(err) });
        // The breach has ended: nobody is left to tell. Otherwise Temporal refused it (the breach's run full of
        // signals): the same changes, and any since, are sent again after a while (report-again).
        refused = !/not found/i.test(String(err)) && isPatched(REPORT_AGAIN_PATCH);
      } finally {
        this.reporting = false;
      }
      if (refused) {
        this.stateUnsent = true;
        this.reportDue = true;
        this.refusedReport = true;
        await sleep(again);
        // On the baseline at most a tally's interval apart (as report-again-soon for the runs before it): the case
        // view has the report soon after the breach's run has room again.
        again = Math.min(again * 2, onBaseline() ? TALLY_WRITE_EVERY_MS : REPORT_AGAIN_AT_MOST_MS);
        this.refusedReport = false;
        continue;
      }
      again = REPORT_AGAIN_AFTER_MS;
      if (ending) ending.sent = true;
    }
  }

  /** Someone waits (heard) for changes the breach has not heard: a person's answer. */
  private hearingAwaited(): boolean {
    return this.awaited > this.heardUpTo;
  }

  /**
   * The one reporter of a child playbook whose reports ride with its register batches (REPORTS_RIDE_PATCH). A change
   * noted with a register write goes with a batch (writeQueue): the next one, or, while one is under way, the one
   * after it. This sends, as a signal of the child's own, what no batch will take (a change without a write; the
   * last report), and at once what someone waits for (heard: a person's answer), which a slow or locked register
   * must not hold up. Two reports can then be on their way at once; each is numbered and holds every part that
   * differs from any state the breach may hold, and the breach drops one older than the last it took. A refused
   * report (the breach's run full of signals) is sent again after a while.
   */
  private async reportRiding(): Promise<void> {
    for (;;) {
      await condition(
        () =>
          this.refusedReport ||
          (this.reportDue && !this.reporting && (this.hearingAwaited() || (!this.writing && this.queue.length === 0))),
      );
      if (this.refusedReport) {
        await sleep(this.again);
        this.again = Math.min(this.again * 2, TALLY_WRITE_EVERY_MS);
        this.refusedReport = false;
        continue;
      }
      const report = this.takeReport();
      if (!report) continue;
      this.reporting = true;
      let outcome: ReportOutcome = 'heard';
      try {
        await getExternalWorkflowHandle(this.reportTo!).signal(playbookReportSignal, report.changes);
      } catch (err) {
        log.warn('Could not report to the breach workflow', { playbook: this.playbook, error: String(err) });
        outcome = /not found/i.test(String(err)) ? 'gone' : 'refused';
      } finally {
        this.reporting = false;
      }
      this.reportWent(report, outcome);
    }
  }

  /**
   * The next report (reports-ride): every part that differs from what the breach has heard or from any report still
   * on its way, and every entry it has not heard; undefined when there is nothing it may lack.
   */
  private takeReport(): RidingReport | undefined {
    this.reportDue = false;
    const upTo = this.changeCount;
    const ending = this.ending;
    const { changes, reported } = this.reportedNow([this.reported, ...this.onTheirWay.map((r) => r.reported)]);
    const timeline = [...this.unreported];
    if (timeline.length > 0) changes.timeline = timeline;
    if (!ending && !hasChanges(changes)) {
      this.heardUpTo = Math.max(this.heardUpTo, upTo);
      return undefined;
    }
    if (ending) changes.finished = { result: ending.result };
    const seq = ++this.reportSeq;
    changes.seq = { chain: workflowInfo().firstExecutionRunId, seq } satisfies ReportNumber;
    const report: RidingReport = { seq, changes, reported, timeline, upTo, ending };
    this.onTheirWay.push(report);
    return report;
  }

  /** What became of a report (reports-ride): heard (or the breach has ended), or refused and to be sent again. */
  private reportWent(report: RidingReport, outcome: ReportOutcome): void {
    // Not a splice at its index: a newer report heard first has already dropped this one from the list.
    this.onTheirWay = this.onTheirWay.filter((r) => r !== report);
    if (outcome === 'refused') {
      // Its parts and entries are still unheard: the next report has them. Not before a while (reportRiding).
      this.reportDue = true;
      this.refusedReport = true;
      return;
    }
    if (report.seq > this.heardSeq) {
      this.heardSeq = report.seq;
      this.reported = report.reported;
      // The breach holds this report's state or a later one: older reports on their way no longer matter.
      this.onTheirWay = this.onTheirWay.filter((r) => r.seq > report.seq);
    }
    const sent = new Set(report.timeline);
    // An entry updated since (a tally, a new object) stays unheard.
    this.unreported = this.unreported.filter((e) => !sent.has(e));
    this.heardUpTo = Math.max(this.heardUpTo, report.upTo);
    this.again = REPORT_AGAIN_AFTER_MS;
    if (report.ending) report.ending.sent = true;
  }

  /**
   * The playbook's parts as they are now (the next `reported`), and what of them differs from any of `bases` (what
   * the breach may hold; undefined: unknown, so every part).
   */
  private reportedNow(bases: (Reported | undefined)[] = [this.reported]): {
    changes: PlaybookChanges;
    reported: Reported;
  } {
    const changes: PlaybookChanges = { playbook: this.playbook, changes: true };
    const reported: Reported = {
      tasks: new Map(),
      deadlines: JSON.stringify(this.deadlines),
      notifications: JSON.stringify(this.notifications),
      facts: new Map(),
    };
    const differs = (now: string, then: (before: Reported | undefined) => string | undefined) =>
      bases.some((before) => now !== then(before));
    for (const task of this.tasks.values()) {
      const json = JSON.stringify(task);
      reported.tasks.set(task.id, json);
      if (differs(json, (b) => b?.tasks.get(task.id))) (changes.tasks ??= []).push(JSON.parse(json) as Task);
    }
    if (differs(reported.deadlines, (b) => b?.deadlines))
      changes.deadlines = JSON.parse(reported.deadlines) as Deadline[];
    if (differs(reported.notifications, (b) => b?.notifications))
      changes.notifications = JSON.parse(reported.notifications) as NotificationRecord[];
    for (const [key, value] of Object.entries(this.facts)) {
      if (value === undefined) continue;
      const json = JSON.stringify(value);
      reported.facts.set(key, json);
      if (differs(json, (b) => b?.facts.get(key)))
        (changes.facts ??= {})[key as keyof Facts] = JSON.parse(json) as never;
    }
    const removed = new Set(bases.flatMap((b) => [...(b?.facts.keys() ?? [])]));
    for (const key of removed) if (!reported.facts.has(key)) (changes.factsRemoved ??= []).push(key as keyof Facts);
    return { changes, reported };
  }
}

/** Whether a change report has anything in it. */
function hasChanges(changes: PlaybookChanges): boolean {
  return (
    changes.tasks !== undefined ||
    changes.deadlines !== undefined ||
    changes.timeline !== undefined ||
    changes.notifications !== undefined ||
    changes.facts !== undefined ||
    changes.factsRemoved !== undefined
  );
}
