/**
 * Every signal, update and query of the breach workflows. Clients import these definitions and nothing
 * else from workflows/.
 */
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { BreachSignal } from '../domain/signal';
import type { ActAuthority } from '../domain/act-proof';
import type { DataSubjectLetter } from '../domain/letters';
import type { BreachFacts, FactsAmendment } from '../domain/facts';
import type { CaseView, Deadline, DuplicateReports, Facts, NotificationRecord, TimelineEntry } from '../domain/case';
import type { Playbook, Task, TaskCompletion } from '../domain/tasks';
import type { RecordNotificationArgs } from '../domain/regimes/notifications';
import type { CorrectAwarenessArgs, DeadlineMove } from '../domain/regimes/awareness';
import type { ClassifyIncidentArgs } from '../domain/regimes/profile';
import { PLAYBOOK_REPORT_SIGNAL } from '../domain/playbook-report';

export const breachWorkflowType = 'breachWorkflow';

/** A report of the incident; the first one opens the breach, later ones with the same id are duplicates. */
export const reportSignal = defineSignal<[BreachSignal]>('report');

/**
 * HTTP intake → breach: the running totals of one source's duplicate reports, as the intake store counts them
 * (`{ source, count, firstAt, lastAt }`). Totals, not increments: a lost or repeated signal changes nothing, and
 * the intake sends one at most once a minute per event (config intake.duplicateSignalEvery), never a report body.
 */
export const duplicateReportsSignal = defineSignal<[DuplicateReports]>('duplicateReports');

/** Completes a task; the validator rejects unknown tasks, people without the role and invalid answers. */
export const completeTaskUpdate = defineUpdate<Task, [TaskCompletion]>('completeTask');

/**
 * Re-reads the worker's act-signing public keys into this run (a run keeps the settings it started with): sent by
 * a client whose signed act was refused for an unknown key, after a key was added (rotation, or a run from before
 * acts were signed). No arguments: it only loads what the worker's own config says.
 */
export const refreshActKeysSignal = defineSignal('refreshActKeys');

/** The same completion, fire-and-forget; a rejected one is noted on the timeline instead of returned. */
export const completeTaskSignal = defineSignal<[TaskCompletion]>('completeTaskAsync');

/** Changes the facts (breach team); the timeline says who changed what, and the severity is recomputed. */
export const amendFactsUpdate = defineUpdate<
  BreachFacts,
  [{ actor: string; amendment: FactsAmendment } & ActAuthority]
>('amendFacts');

/** The whole case: phase, facts, tasks, decisions, deadlines, notifications, timeline. */
export const caseViewQuery = defineQuery<CaseView>('caseView');

/** A playbook's own part of the case (tasks, deadlines, timeline), as its child workflow sees it. */
export const playbookViewQuery = defineQuery<PlaybookState>('playbookView');

export interface PlaybookState {
  playbook: Playbook;
  tasks: Task[];
  deadlines: Deadline[];
  timeline: TimelineEntry[];
  notifications: NotificationRecord[];
  facts: Partial<Facts>;
  /** The playbook's last report: it ended with this result (resumable runs, see workflows/resumable.ts). */
  finished?: { result: unknown };
  /** The breach's record only: the number of the last report it took from the playbook (see PlaybookChanges.seq). */
  reportSeq?: ReportNumber;
}

/** A report's number: rising within one playbook workflow (`chain`: its first run's id, the same across its runs). */
export interface ReportNumber {
  chain: string;
  seq: number;
}

/**
 * Child → breach, since `timeline-queued` (workflows/playbook-timeline.ts): what changed since the playbook's last
 * report, coalesced (one report for everything noted while the previous one was under way). Absent parts did not
 * change; a present part replaces what the breach holds of it as described per field.
 */
export interface PlaybookChanges {
  playbook: Playbook;
  /** Tells this form from the full PlaybookState that runs from before `timeline-queued` send. */
  changes: true;
  /** Tasks opened or changed, whole: the breach replaces the task with the same id, or adds it. */
  tasks?: Task[];
  /** The playbook's deadlines, whole, when any changed. */
  deadlines?: Deadline[];
  /** Timeline entries added, or updated in place (a tally: same id, new text). */
  timeline?: TimelineEntry[];
  /** The playbook's notifications, whole, when any changed. */
  notifications?: NotificationRecord[];
  /** The facts that changed (whole values, by key), and the keys the playbook no longer has. */
  facts?: Partial<Facts>;
  factsRemoved?: (keyof Facts)[];
  /** The playbook's last report: it ended with this result (resumable runs, see workflows/resumable.ts). */
  finished?: { result: unknown };
  /**
   * Since `reports-ride`: the report's number. Two reports may then be on their way at once (one by the `recordAll`
   * activity, one by signal), the later holding every part that differs from what the breach may hold; the breach
   * takes only a report newer than the last it took from that playbook, so an older one arriving late cannot undo.
   */
  seq?: ReportNumber;
}

/**
 * Child → breach: the playbook's tasks and deadlines as they are now and its new timeline entries (runs from before
 * `timeline-queued`), or what changed since its last report (PlaybookChanges). The breach takes both.
 */
export const playbookReportSignal = defineSignal<[PlaybookState | PlaybookChanges]>(PLAYBOOK_REPORT_SIGNAL);

/** Breach → notification playbook: the FG's decision whom to notify. */
export interface NotificationDecision {
  notifyAuthority: boolean;
  notifyDataSubjects: boolean;
  /** How: through the organisation's own channel (recorded by a task), by lekdicht's letters, or publicly. */
  dataSubjectsBy?: 'own-channel' | 'lekdicht' | 'public-communication';
  decidedAt: string;
}

/** Breach → notification playbook: the data-subjects playbook has informed the people affected. */
export interface DataSubjectsInformed {
  at: string;
  channel: 'email' | 'public-communication';
  recipients: number;
}
export const dataSubjectsInformedSignal = defineSignal<[DataSubjectsInformed]>('dataSubjectsInformed');
export const notificationDecisionSignal = defineSignal<[NotificationDecision]>('notificationDecision');

/**
 * Notification playbook → breach: the GDPR notifications the FG decided on are made (or not required). The
 * breach goes on to aftercare; NIS2 and DORA reports may keep the notification playbook running a month longer.
 */
export const gdprNotificationsSettledSignal = defineSignal<[GdprNotificationsSettled?]>('gdprNotificationsSettled');

/**
 * The breach's id, sent encrypted like every payload: a signal with no payload passes no codec, so anyone who reaches
 * Temporal's frontend could send one; a breach that continues as new (resumable runs) takes only this one.
 */
export interface GdprNotificationsSettled {
  breachId: string;
}

/**
 * Notification playbook: the FG or the CISO records the NIS2 and DORA assessment of the incident
 * (`{ actor, nis2Significant?, doraMajor?, doraMajorClassifiedAt? }`); the deadlines are recomputed and returned.
 */
export const classifyIncidentUpdate = defineUpdate<Deadline[], [ClassifyIncidentArgs]>('classifyIncident');

/** What a correction of the moment of awareness did: every deadline that moved, and the deadlines now. */
export interface AwarenessCorrected {
  from: string;
  to: string;
  /** Per moved deadline: from, to and the shift in ms (negative: earlier). */
  moves: { kind: DeadlineMove['kind']; from: string; to: string; shiftMs: number }[];
  deadlines: Deadline[];
}

/** Notification playbook: the FG corrects the moment of awareness (`{ actor, awareAt, reason }`); every clock moves. */
export const correctAwarenessUpdate = defineUpdate<AwarenessCorrected, [CorrectAwarenessArgs]>('correctAwareness');

/**
 * Notification playbook: the FG records a notification in phases (art. 33(4)) to a regime's authority
 * (`{ actor, regime, phase, at, reference, reasonsForDelay? }`); it meets the matching deadline.
 */
export const recordNotificationUpdate = defineUpdate<
  { notification: NotificationRecord; deadlines: Deadline[] },
  [RecordNotificationArgs]
>('recordNotification');

/** The data-subjects playbook's letter (no personal data: names are added per person), e.g. for printing. */
export const dataSubjectLetterQuery = defineQuery<DataSubjectLetter>('dataSubjectLetter');
