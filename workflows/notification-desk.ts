import { ApplicationFailure, condition, setHandler } from '@temporalio/workflow';
import type { PlaybookSettings } from '../activities';
import type { BreachPatch } from '../domain/register';
import type { Deadline, NotificationRecord } from '../domain/case';
import { describeIssues, type Refused } from '../domain/errors';
import {
  classifyIncidentArgsSchema,
  describeClassification,
  mergeClassification,
  type ClassifyIncidentArgs,
  type IncidentClassification,
  type OrganisationProfile,
} from '../domain/regimes/profile';
import {
  checkNotification,
  deadlineKindFor,
  describeNotification,
  recordNotificationArgsSchema,
  regimeMomentsFrom,
  type RecordedNotificationArgs,
  type RecordNotificationArgs,
} from '../domain/regimes/notifications';
import type { RegimeDeadlineKind } from '../domain/regimes/deadlines';
import {
  correctAwareness,
  correctAwarenessArgsSchema,
  type AwarenessContext,
  type AwarenessCorrection,
  type CorrectAwarenessArgs,
} from '../domain/regimes/awareness';
import { findPerson, mayActFor, type Role } from '../domain/roles';
import { describeOperator } from '../domain/act-proof';
import {
  classifyIncidentUpdate,
  correctAwarenessUpdate,
  dataSubjectsInformedSignal,
  notificationDecisionSignal,
  recordNotificationUpdate,
  type AwarenessCorrected,
  type DataSubjectsInformed,
  type NotificationDecision,
} from './messages';
import { activities } from './activities';
import { DeadlineClocks, phasedOf } from './deadline-clocks';
import type { PlaybookRuntime } from './playbook';
import { actProven, operatorActOf, setValidatedUpdate } from './acts';
import { isPatched } from './patches';

type Checked<T> = ({ ok: true; actor: string } & T) | Refused;

/** What the desk knows that a run carries on when it continues as new (NotificationInput.resume). */
export interface DeskCarry {
  awareAt: string;
  classification: IncidentClassification;
  decision?: NotificationDecision;
  informed?: DataSubjectsInformed;
  /** The due instants that passed unmet, per deadline. */
  missed: [RegimeDeadlineKind, string][];
}

/**
 * The notification playbook's messages beside its procedure (workflows/notification.ts): the FG's decision and
 * the people informed (signals from the breach), and the FG's classification, correction of awareness and
 * notifications in phases (validated updates), with the legal clocks they move. The constructor registers the
 * handlers, so it comes before the workflow's first await. Over 350 lines on purpose: three updates whose checks and
 * handlers share this state read best together, and recordNotification is also the task's way in.
 */
export class NotificationDesk {
  decision: NotificationDecision | undefined;
  awareAt: string;
  classification: IncidentClassification;
  informed: DataSubjectsInformed | undefined;
  readonly clocks: DeadlineClocks;

  constructor(
    private readonly breachId: string,
    private readonly settings: PlaybookSettings,
    private readonly playbook: PlaybookRuntime,
    private readonly profile: OrganisationProfile,
    /** A resumable run (resumable.ts). */
    resumable: boolean,
    awareAt: string,
    carried: Partial<DeskCarry> | undefined,
  ) {
    this.decision = carried?.decision;
    this.awareAt = carried?.awareAt ?? awareAt;
    this.classification = carried?.classification ?? {};
    this.clocks = new DeadlineClocks(
      playbook,
      profile,
      settings.language,
      settings.timing.notificationReminders,
      resumable,
      () => ({
        awareAt: this.awareAt,
        classification: this.classification,
        notifyAuthority: this.decision?.notifyAuthority,
      }),
      carried?.missed ?? [],
    );

    this.informed = carried?.informed;
    setHandler(dataSubjectsInformedSignal, (i) => {
      this.informed = i;
    });
    setHandler(notificationDecisionSignal, (d) => {
      this.decision = d;
    });
    // Each handler returns its method's promise as it is: no extra async layer, which replay would notice.
    setValidatedUpdate(classifyIncidentUpdate, (args) => this.classify(args), [
      (args) => this.checkClassification(args),
      actProven(breachId, settings, 'classifyIncident'),
    ]);
    setValidatedUpdate(correctAwarenessUpdate, (args) => this.correct(args), [
      (args) => this.checkCorrection(args),
      actProven(breachId, settings, 'correctAwareness'),
    ]);
    setValidatedUpdate(recordNotificationUpdate, (args) => this.record(args), [
      (args) => this.checkRecord(args),
      actProven(breachId, settings, 'recordNotification'),
    ]);
  }

  /** What a run that continues as new carries on. */
  carry(): DeskCarry {
    return {
      awareAt: this.awareAt,
      classification: this.classification,
      ...(this.decision ? { decision: this.decision } : {}),
      ...(this.informed ? { informed: this.informed } : {}),
      missed: [...this.clocks.missed],
    };
  }

  private phased() {
    return phasedOf(this.playbook.notifications);
  }

  private checkActor(actor: string, roles: Role[]): Refused | undefined {
    const { directory } = this.settings;
    const person = findPerson(directory, actor);
    if (!person)
      return {
        ok: false,
        code: 'actor-unknown',
        params: { actor },
        message: `actor: ${actor} is not in the directory`,
      };
    if (!roles.some((role) => mayActFor(directory, role, actor)))
      return {
        ok: false,
        code: 'actor-lacks-role',
        params: { actor, roles: roles.join(',') },
        message: `actor: ${actor} does not hold the role ${roles.map((r) => `"${r}"`).join(' or ')} this needs`,
      };
    return undefined;
  }

  private emailOf(actor: string): string {
    return findPerson(this.settings.directory, actor)?.email ?? actor;
  }

  private deadlinesNow(): Deadline[] {
    return this.playbook.deadlines.map((d) => ({ ...d }));
  }

  /** How an operator act reads in the timeline: " (by … via CLI, OS user …; operator act)". */
  private operatorSuffix(args: unknown, actor: string): string {
    const via = operatorActOf(args);
    return via ? ` (by ${describeOperator(actor, via)}; operator act)` : '';
  }

  private checkClassification(args: unknown): Checked<{ classification: IncidentClassification }> {
    const parsed = classifyIncidentArgsSchema.safeParse(args);
    if (!parsed.success) return { ok: false, message: describeIssues(parsed.error) };
    const who = this.checkActor(parsed.data.actor, ['fg', 'ciso']);
    if (who) return who;
    const merged = mergeClassification(this.classification, parsed.data, this.awareAt, Date.now());
    if (!merged.ok) return merged;
    return { ok: true, actor: this.emailOf(parsed.data.actor), classification: merged.classification };
  }

  private async classify(args: ClassifyIncidentArgs): Promise<Deadline[]> {
    const checked = this.checkClassification(args);
    if (!checked.ok) throw ApplicationFailure.nonRetryable(checked.message);
    const before = describeClassification(this.classification);
    this.classification = checked.classification;
    this.playbook.facts.classification = { ...this.classification };
    const changes = this.clocks.recompute();
    await this.playbook.note(
      'incident-classified',
      `Incident classified by ${checked.actor}${this.operatorSuffix(args, checked.actor)}: ${describeClassification(this.classification)} (before: ${before}). ${changes.length > 0 ? `Deadlines: ${changes.join('; ')}` : 'No deadline changes.'}`,
      checked.actor,
      undefined,
      {
        ...(this.classification.nis2Significant !== undefined ? { nis2: this.classification.nis2Significant } : {}),
        ...(this.classification.doraMajor !== undefined ? { dora: this.classification.doraMajor } : {}),
        ...(this.classification.doraMajorClassifiedAt ? { doraAt: this.classification.doraMajorClassifiedAt } : {}),
        deadlinesChanged: changes.length,
      },
    );
    // Answered once the breach's case view shows it (timeline-queued runs; the register follows).
    if (this.playbook.queued) await this.playbook.heard();
    return this.deadlinesNow();
  }

  private awarenessContext(by?: string): AwarenessContext {
    return {
      profile: this.profile,
      classification: this.classification,
      ...(this.decision?.notifyDataSubjects ? { decidedAt: this.decision.decidedAt } : {}),
      ...regimeMomentsFrom(this.phased()),
      ...(by ? { by } : {}),
    };
  }

  private checkCorrection(args: unknown): Checked<{ correction: AwarenessCorrection & { ok: true }; reason: string }> {
    const parsed = correctAwarenessArgsSchema.safeParse(args);
    if (!parsed.success) return { ok: false, message: describeIssues(parsed.error) };
    const who = this.checkActor(parsed.data.actor, ['fg']);
    if (who) return who;
    const actor = this.emailOf(parsed.data.actor);
    const correction = correctAwareness(this.awareAt, parsed.data.awareAt, Date.now(), this.awarenessContext(actor));
    if (!correction.ok)
      return { ok: false, message: correction.message.replace(/^(newAwareAt|oldAwareAt):/, 'awareAt:') };
    return { ok: true, actor, correction, reason: parsed.data.reason };
  }

  private async correct(args: CorrectAwarenessArgs): Promise<AwarenessCorrected> {
    const checked = this.checkCorrection(args);
    if (!checked.ok) throw ApplicationFailure.nonRetryable(checked.message);
    const { correction, actor, reason } = checked;
    const wasLate = this.clocks.tracked.get('gdpr-authority')?.status === 'late';
    this.awareAt = correction.to;
    this.playbook.facts.awareAt = this.awareAt;
    this.clocks.recompute();
    const authority = this.clocks.tracked.get('gdpr-authority');
    const patch: BreachPatch = {
      aware_at: this.awareAt,
      ...(authority ? { notification_deadline: authority.due } : {}),
      ...(wasLate && authority?.status !== 'late' ? { notification_late: false } : {}),
    };
    await this.playbook.note(
      'awareness-corrected',
      `${correction.summary.en} (UTC: from ${correction.from} to ${correction.to}). Reason: ${reason}${this.operatorSuffix(args, actor)}`,
      actor,
      patch,
      { from: correction.from, to: correction.to, reason },
    );
    // The FG's open notification task follows its deadline (past it: still due, within the hour).
    if (authority !== undefined && isPatched('authority-task-follows-deadline')) {
      const due =
        Date.now() >= Date.parse(authority.due) ? new Date(Date.now() + 3_600_000).toISOString() : authority.due;
      await this.playbook.reschedule('authority-notification', due, 'the moment of awareness was corrected');
    }
    // Answered once the breach's case view shows it (timeline-queued runs; the register follows).
    if (this.playbook.queued) await this.playbook.heard();
    return {
      from: correction.from,
      to: correction.to,
      moves: correction.moves.map(({ kind, from, to, shiftMs }) => ({ kind, from, to, shiftMs })),
      deadlines: this.deadlinesNow(),
    };
  }

  private checkRecord(args: unknown): Checked<{ notification: RecordedNotificationArgs }> {
    const parsed = recordNotificationArgsSchema.safeParse(args);
    if (!parsed.success) return { ok: false, message: describeIssues(parsed.error) };
    const who = this.checkActor(parsed.data.actor, ['fg']);
    if (who) return who;
    // The FG's task was just answered and its notification is about to be recorded: it is the initial one.
    const task = this.playbook.tasks.get('authority-notification');
    if (
      parsed.data.regime === 'gdpr' &&
      parsed.data.phase === 'initial' &&
      task?.status === 'done' &&
      this.clocks.computed.find((d) => d.kind === 'gdpr-authority')?.metAt === undefined
    ) {
      return {
        ok: false,
        message:
          'phase: the initial GDPR notification is being recorded from task authority-notification; try again in a moment, as a supplement',
      };
    }
    const problem = checkNotification(parsed.data, {
      now: Date.now(),
      awareAt: this.awareAt,
      recorded: this.phased(),
      deadlines: this.clocks.computed,
    });
    if (problem) return { ok: false, message: problem };
    return { ok: true, actor: this.emailOf(parsed.data.actor), notification: parsed.data };
  }

  private async record(
    args: RecordNotificationArgs,
  ): Promise<{ notification: NotificationRecord; deadlines: Deadline[] }> {
    const checked = this.checkRecord(args);
    if (!checked.ok) throw ApplicationFailure.nonRetryable(checked.message);
    const record = await this.recordNotification(
      checked.notification,
      checked.actor,
      this.operatorSuffix(args, checked.actor),
    );
    // Answered once the breach's case view shows it (timeline-queued runs; the register follows).
    if (this.playbook.queued) await this.playbook.heard();
    return { notification: { ...record }, deadlines: this.deadlinesNow() };
  }

  /**
   * Records a notification and meets its deadline. Everything up to the first await is synchronous, so a
   * second message in the same activation sees it. An initial GDPR notification recorded this way closes the
   * FG's open `authority-notification` task, which would otherwise ask for it a second time.
   */
  async recordNotification(
    notification: RecordedNotificationArgs,
    actor: string,
    how = '',
  ): Promise<NotificationRecord> {
    const { playbook, clocks } = this;
    const { regime, phase, at, reference, reasonsForDelay } = notification;
    const kind = deadlineKindFor(regime, phase);
    const due = kind === undefined ? undefined : clocks.computed.find((d) => d.kind === kind)?.due;
    const late = due !== undefined && Date.parse(at) > Date.parse(due);
    const record: NotificationRecord = {
      to: regime === 'processor' ? 'controller' : 'authority',
      regime,
      phase,
      at,
      recordedBy: actor,
      late,
      reference,
      ...(reasonsForDelay ? { reasonsForDelay } : {}),
    };
    playbook.notifications.push(record);
    const changes = clocks.recompute();
    // Set before the first await: a completion of the task in the same activation is refused.
    const cancelled = kind === 'gdpr-authority' ? playbook.cancelTask('authority-notification') : undefined;

    const what = describeNotification(regime, phase);
    const delay = reasonsForDelay ? `; reasons for the delay: ${reasonsForDelay}` : '';
    const moved = changes.length > 0 ? `. Deadlines: ${changes.join('; ')}` : '';
    if (kind === 'gdpr-authority') {
      await playbook.note(
        'authority-notified',
        `Authority notified at ${at}, reference ${reference}${late ? ' (late)' : ''}${delay}${moved}${how}`,
        actor,
        {
          authority_notified_at: at,
          authority_reference: reference,
          notification_late: late,
        },
        { at, reference, late },
      );
    } else {
      const meets = kind === undefined ? '' : `; meets ${clocks.english(kind)}${late ? ' (late)' : ''}`;
      await playbook.note(
        'notification-recorded',
        `${what.charAt(0).toUpperCase()}${what.slice(1)} recorded: submitted ${at}, reference ${reference}${meets}${delay}${moved}${how}`,
        actor,
        undefined,
        { regime, phase, at, reference, late, ...(reasonsForDelay ? { reasonsForDelay } : {}) },
      );
    }
    if (cancelled) {
      await playbook.note(
        'task-cancelled',
        `Task ${cancelled.id} closed: the initial notification to the authority was recorded directly`,
        actor,
        undefined,
        { taskId: cancelled.id, taskKind: cancelled.kind },
      );
      if (isPatched('task-before-ticket')) playbook.closeTicketBeside(cancelled, 'cancelled');
      else {
        await condition(() => cancelled.ticketRef !== undefined);
        await activities.closeTicket({ breachId: this.breachId, taskId: cancelled.id, resolution: 'cancelled' });
      }
    }
    return record;
  }
}
