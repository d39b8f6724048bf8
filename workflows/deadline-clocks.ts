import { condition } from '@temporalio/workflow';
import type { PlaybookSettings } from '../activities';
import type { Deadline, DeadlineStatus, NotificationRecord } from '../domain/case';
import { remindersFor } from '../domain/regimes/reminders';
import type { IncidentClassification, OrganisationProfile } from '../domain/regimes/profile';
import { deadlinesWithNotifications, type PhasedNotification } from '../domain/regimes/notifications';
import type { RegimeDeadline, RegimeDeadlineKind } from '../domain/regimes/deadlines';
import type { PlaybookRuntime } from './playbook';

/** What the deadlines are computed from, as the notification playbook knows it now. */
export interface ClockFacts {
  awareAt: string;
  classification: IncidentClassification;
  /** The FG's decision, once there: not notifying the authority makes its deadline not required. */
  notifyAuthority: boolean | undefined;
}

/** The notifications recorded in phases (regime and phase), which start and meet the regimes' deadlines. */
export function phasedOf(notifications: NotificationRecord[]): PhasedNotification[] {
  return notifications.flatMap((n) =>
    n.regime !== undefined && n.phase !== undefined
      ? [{ regime: n.regime, phase: n.phase, at: n.at, ...(n.reference ? { reference: n.reference } : {}) }]
      : [],
  );
}

/**
 * The notification playbook's legal clocks (domain/regimes/deadlines.ts: the GDPR authority deadline, the processor's towards
 * the controller, NIS2's and DORA's). Each deadline has one small timer loop: reminders to the FG and their deputy,
 * and at the deadline unmet a note and an escalation to the FG and the executive sponsor. The loop starts again
 * whenever the deadline moves (a corrected awareness, a classification, a notification that starts the next clock).
 */
export class DeadlineClocks {
  /** The regimes' deadlines as last computed, also those still waiting for a due time. */
  computed: RegimeDeadline[] = [];
  /** Those with a due time, as shown in the case (the objects in playbook.deadlines). */
  readonly tracked = new Map<RegimeDeadlineKind, Deadline>();
  /** Bumped whenever a deadline moves: the timer loop of an older generation stops. */
  private readonly generation = new Map<RegimeDeadlineKind, number>();
  /** The due instant that passed unmet, per deadline: late until met, or until the deadline moves. */
  readonly missed: Map<RegimeDeadlineKind, string>;
  /** Timer loops still going: the playbook ends only when none is. */
  running = 0;
  /** Off until the deadlines are on the timeline, so the first commands stay in the order they always had. */
  private started = false;
  /** The authority deadline as first set: its emails keep the message ids they always had. */
  private readonly firstAuthorityDue: string | undefined;

  constructor(
    private readonly playbook: PlaybookRuntime,
    private readonly profile: OrganisationProfile,
    private readonly language: PlaybookSettings['language'],
    /** The GDPR authority deadline's reminders (config timing.notificationReminders). */
    private readonly reminderOffsets: PlaybookSettings['timing']['notificationReminders'] | undefined,
    /** A resumable run (resumable.ts): a deadline missed in an earlier run is not noted again. */
    private readonly resumable: boolean,
    private readonly known: () => ClockFacts,
    missed: [RegimeDeadlineKind, string][],
  ) {
    this.missed = new Map(missed);
    this.firstAuthorityDue = deadlinesWithNotifications({ awareAt: known().awareAt, profile }, []).find(
      (d) => d.kind === 'gdpr-authority',
    )?.due;
  }

  english(kind: RegimeDeadlineKind): string {
    return this.computed.find((d) => d.kind === kind)?.label.en ?? kind;
  }

  private statusOf(deadline: Deadline): DeadlineStatus {
    if (deadline.metAt !== undefined) return Date.parse(deadline.metAt) > Date.parse(deadline.due) ? 'late' : 'met';
    if (deadline.kind === 'gdpr-authority' && this.known().notifyAuthority === false) return 'not-required';
    return this.missed.get(deadline.kind) === deadline.due ? 'late' : 'pending';
  }

  settled(kind: RegimeDeadlineKind): boolean {
    const deadline = this.computed.find((d) => d.kind === kind);
    return deadline === undefined || deadline.metAt !== undefined || this.tracked.get(kind)?.status === 'not-required';
  }

  allSettled(): boolean {
    return this.computed.every((d) => this.settled(d.kind));
  }

  /**
   * Recomputes every deadline from what is known now and updates the case's deadlines in place; restarts the
   * timer loop of each deadline that is new or moved. Synchronous, so handlers call it before their first await.
   * Returns what changed, for the timeline.
   */
  recompute(): string[] {
    const { awareAt, classification } = this.known();
    const changes: string[] = [];
    const next = deadlinesWithNotifications(
      { awareAt, profile: this.profile, classification },
      phasedOf(this.playbook.notifications),
    );
    const previous = this.computed;
    this.computed = next;
    const restart: RegimeDeadlineKind[] = [];
    for (const deadline of next) {
      if (deadline.due === undefined) {
        const isNew = !previous.some((d) => d.kind === deadline.kind);
        if (isNew && previous.length > 0)
          changes.push(
            `${deadline.label.en}: applies, no due time yet (waits for ${deadline.pendingOn?.text.en ?? 'an earlier step'})`,
          );
        continue;
      }
      let entry = this.tracked.get(deadline.kind);
      if (entry === undefined) {
        entry = { kind: deadline.kind, due: deadline.due, status: 'pending' };
        this.tracked.set(deadline.kind, entry);
        if (previous.length > 0)
          changes.push(`${deadline.label.en}: due ${deadline.due}${deadline.provisional ? ' (provisional)' : ''}`);
        restart.push(deadline.kind);
      } else if (entry.due !== deadline.due) {
        changes.push(`${deadline.label.en}: due ${entry.due} → ${deadline.due}`);
        entry.due = deadline.due;
        restart.push(deadline.kind);
      }
      entry.regime = deadline.regime;
      entry.label = deadline.label[this.language];
      entry.basis = deadline.basis;
      if (deadline.provisional) entry.provisional = true;
      else if (entry.provisional) {
        delete entry.provisional;
        changes.push(`${deadline.label.en}: no longer provisional`);
      }
      if (deadline.metAt !== undefined) entry.metAt = deadline.metAt;
      else delete entry.metAt;
      entry.status = this.statusOf(entry);
    }
    for (const kind of [...this.tracked.keys()]) {
      if (next.some((d) => d.kind === kind && d.due !== undefined)) continue;
      const gone = previous.find((d) => d.kind === kind);
      changes.push(`${gone?.label.en ?? kind}: no longer applies`);
      this.tracked.delete(kind);
      this.bump(kind);
    }
    // The regimes' deadlines in their fixed order, then the ones this playbook keeps otherwise (the people affected).
    const others = this.playbook.deadlines.filter((d) => d.kind === 'data-subjects');
    this.playbook.deadlines = [...next.flatMap((d) => this.tracked.get(d.kind) ?? []), ...others];
    const authority = this.tracked.get('gdpr-authority');
    if (authority) this.playbook.facts.notificationDeadline = authority.due;
    else delete this.playbook.facts.notificationDeadline;
    if (this.started) for (const kind of restart) this.startTimer(kind);
    return changes;
  }

  /** Starts every deadline's clock, once the deadlines are on the timeline; from then on a moved one restarts. */
  start(): void {
    this.started = true;
    for (const kind of this.tracked.keys()) this.startTimer(kind);
  }

  private bump(kind: RegimeDeadlineKind): number {
    const next = (this.generation.get(kind) ?? 0) + 1;
    this.generation.set(kind, next);
    return next;
  }

  private startTimer(kind: RegimeDeadlineKind): void {
    const gen = this.bump(kind);
    this.running++;
    void this.timer(kind, gen).finally(() => this.running--);
  }

  /** Emails about deadlines other than the AP's 72 hours name the deadline and its legal basis. */
  private which(
    kind: RegimeDeadlineKind,
    deadline: { label: { nl: string; en: string }; basis: string },
  ): { label?: string; basis?: string } {
    return kind === 'gdpr-authority' ? {} : { label: deadline.label[this.language], basis: deadline.basis };
  }

  /** One deadline's clock: its reminders, then its due instant. Stops when met, not required, or moved. */
  private async timer(kind: RegimeDeadlineKind, gen: number): Promise<void> {
    const entry = this.tracked.get(kind);
    const deadline = this.computed.find((d) => d.kind === kind);
    if (entry === undefined || deadline?.due === undefined) return;
    const due = deadline.due;
    const stop = () =>
      this.generation.get(kind) !== gen || entry.metAt !== undefined || entry.status === 'not-required';
    // A moved or other deadline gets message ids of its own, so its emails are not taken for ones already sent.
    const original = kind === 'gdpr-authority' && due === this.firstAuthorityDue;
    const offsets = kind === 'gdpr-authority' ? this.reminderOffsets : undefined;
    for (const reminder of remindersFor(deadline, offsets, Date.now())) {
      if (await condition(stop, Math.max(Date.parse(reminder.at) - Date.now(), 1))) return;
      const purpose = original
        ? `deadline-reminder:${reminder.afterMs}`
        : `deadline-reminder:${kind}:${due}:${reminder.afterMs}`;
      await this.playbook.email(
        purpose,
        ['fg'],
        { kind: 'deadline-reminder', deadline: due, hoursLeft: reminder.hoursLeft, ...this.which(kind, deadline) },
        { escalateFrom: 'fg' },
      );
    }
    if (await condition(stop, Math.max(Date.parse(due) - Date.now(), 1))) return;
    if (stop() || Date.now() < Date.parse(due)) return;
    // Missed, noted and emailed by an earlier run of this playbook (it continued as new since).
    if (this.resumable && this.missed.get(kind) === due) return;
    this.missed.set(kind, due);
    entry.status = 'late';
    const text =
      kind === 'gdpr-authority'
        ? `Authority notification deadline ${due} passed without a notification`
        : `${deadline.label.en} deadline ${due} (${deadline.basis}) passed without it being recorded${deadline.provisional ? '; provisional: applies if the incident is significant/major, which has not been assessed' : ''}`;
    await this.playbook.note(
      'deadline-missed',
      text,
      undefined,
      kind === 'gdpr-authority' ? { notification_late: true } : undefined,
      { deadline: kind, due },
    );
    await this.playbook.email(
      original ? 'deadline-missed' : `deadline-missed:${kind}:${due}`,
      ['fg', 'executive-sponsor'],
      { kind: 'deadline-missed', deadline: due, ...this.which(kind, deadline) },
    );
  }
}
