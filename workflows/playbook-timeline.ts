import {
  ActivityFailure,
  ApplicationFailure,
  condition,
  getExternalWorkflowHandle,
  log,
  patched,
  setCurrentDetails,
  sleep,
} from '@temporalio/workflow';
import type { PlaybookSettings } from '../activities';
import type { SmtpPermanentFailureDetails } from '../activities/email';
import type { Deadline, Facts, NotificationRecord, TimelineEntry } from '../domain/case';
import type { Notice } from '../domain/notices';
import type { Role } from '../domain/roles';
import type { BreachPatch } from '../domain/register';
import { runDetails } from '../domain/run-details';
import type { Playbook, Task } from '../domain/tasks';
import { activities, emailActivities } from './activities';
import { playbookReportSignal, type PlaybookState } from './messages';
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

/** Refused signals counted by a new run before it read the carried count are added to it (refusals.ts). */
export const REFUSALS_CARRIED_IN_FULL_PATCH = 'refusals-carried-in-full';

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

  constructor(
    readonly breachId: string,
    readonly playbook: Playbook,
    readonly settings: PlaybookSettings,
    protected readonly reportTo?: string,
    resume?: RuntimeSnapshot,
  ) {
    if (!resume) return;
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
      this.reportingAgain = true;
      void this.reportAgain().finally(() => (this.reportingAgain = false));
    }
    if (!resume.resumable) return;
    carryRefusedSignals(resume.resumable.refused, patched(REFUSALS_CARRIED_IN_FULL_PATCH));
    // The tallies' entries are in the carried timeline; what the register holds of each decides whether to write.
    for (const [id, written] of Object.entries(resume.resumable.talliesWritten)) {
      const entry = this.timeline.find((e) => e.id === id);
      if (!entry) continue;
      const tally: Tally = { entry, written: written ?? undefined, lastWriteAt: -Infinity };
      this.tallies.set(id, tally);
      void this.writeTally(tally);
    }
  }

  /** Adds a timeline entry, writes it (and an optional change of the breach's register row) to the register. */
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
      if (failure?.type !== SMTP_PERMANENT_FAILURE || !patched('email-refusal-noted')) throw err;
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
   */
  async report(end?: { result: unknown }): Promise<void> {
    setCurrentDetails(this.currentDetails());
    if (this.reportTo === undefined) return;
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
      if (/not found/i.test(String(err)) || !patched(REPORT_AGAIN_PATCH)) return;
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
    for (let wait = REPORT_AGAIN_AFTER_MS; ; wait = Math.min(wait * 2, REPORT_AGAIN_AT_MOST_MS)) {
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
}
