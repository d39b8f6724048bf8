import type { BreachFacts } from './facts';
import type { LetterRecord } from './letter-draft';
import type { SeverityAssessment } from './severity';
import type { NotificationSuggestion } from './decision';
import type { Answer, Task } from './tasks';
import type { NotificationPhase } from './regimes/notifications';
import type { Regime, RegimeDeadlineKind } from './regimes/deadlines';
import type { IncidentClassification } from './regimes/profile';

/** The phases of the procedure ("Help, een datalek"), in order. */
export const PHASES = [
  'triage',
  'first-picture',
  'containment',
  'impact',
  'decision',
  'notification',
  'aftercare',
  'evaluation',
  'closed',
] as const;
export type Phase = (typeof PHASES)[number];

/** How a case ended: a personal-data breach, or a security incident that was not one. */
export type Outcome = 'breach' | 'security-incident';

/** Every legal clock (domain/regimes/deadlines.ts): the GDPR's 'gdpr-authority' and 'data-subjects', the processor's, NIS2's, DORA's. */
export type DeadlineKind = RegimeDeadlineKind;
/** `late`: passed unmet; it stays late after a late notification, with `metAt` set. */
export type DeadlineStatus = 'pending' | 'met' | 'late' | 'not-required';

export interface Deadline {
  kind: DeadlineKind;
  due: string;
  status: DeadlineStatus;
  metAt?: string;
  /** The regime it belongs to (gdpr, processor, nis2, dora). */
  regime?: Regime;
  /** For people, in the configured language, e.g. "NIS2 vroegtijdige waarschuwing". */
  label?: string;
  /** Where the figure comes from, e.g. "NIS2 art. 23(4)(a)". */
  basis?: string;
  /** Applies only if the pending assessment (NIS2 significance, DORA "major") comes out yes. */
  provisional?: boolean;
}

export interface Report {
  source: string;
  eventId: string;
  receivedAt: string;
  duplicate: boolean;
  summary: string;
  /** What the source sent besides the summary (first report only): shown at triage to those who see the case. */
  details?: string;
  /** When the source observed the event: offered at triage as the moment of awareness. */
  observedAt?: string;
  reporter?: { name?: string | undefined; email?: string | undefined };
  systems?: string[];
}

/**
 * Later reports of the same event, per source, as counts and times only: what a duplicate adds to a case. The
 * report itself (summary, details, reporter) is kept of the first report only.
 */
export interface DuplicateReports {
  source: string;
  count: number;
  /** UTC instants of the first and the last duplicate. */
  firstAt: string;
  lastAt: string;
}

export interface Decision {
  kind: 'triage' | 'notification';
  by: string;
  at: string;
  summary: string;
  /** For the notification decision: whether the FG departed from lekdicht's suggestion, and what it was. */
  override?: boolean;
  suggestion?: { notifyAuthority: boolean; notifyDataSubjects: boolean; band: string };
  /**
   * What `summary` says in English, as data (domain/timeline-text.ts renders it in each reader's language); absent
   * in decisions recorded before it existed.
   */
  isPersonalDataBreach?: boolean;
  notifyAuthority?: boolean;
  notifyDataSubjects?: boolean;
  justification?: string;
}

export interface NotificationRecord {
  /** 'controller': the processor's notification to the controller (art. 33(2)). */
  to: 'authority' | 'data-subjects' | 'controller';
  /** Whose authority: the GDPR's (the AP), NIS2's (the CSIRT), DORA's, or the controller for a processor. */
  regime?: Regime;
  /** Art. 33(4) phases, NIS2's early warning and reports, DORA's reports. */
  phase?: NotificationPhase;
  at: string;
  recordedBy: string;
  late: boolean;
  reference?: string;
  channel?: string;
  reasonsForDelay?: string;
}

export interface TimelineEntry {
  /**
   * Unique within the breach, also across playbooks: "<playbook>#<n>"; or "<playbook>~<key>" for a tally, one entry
   * updated in place that counts something repeated (workflows/playbook.ts tally), e.g. "breach~duplicates".
   */
  id: string;
  at: string;
  kind: string;
  /** In English, as recorded; pages render the entry from its kind and params (domain/timeline-text.ts). */
  text: string;
  actor?: string;
  /** What the text says, as data, for each reader's language; absent in entries recorded before it existed. */
  params?: Record<string, string | number | boolean>;
}

export interface EvaluationResult {
  lessonsLearned: string;
  improvementActions: { description: string; owner: string; due: string; doneAt: string }[];
  approachStillCurrent: boolean;
}

export interface Facts {
  isPersonalDataBreach?: boolean;
  awareAt?: string;
  /** Everything known of the breach: the first picture, then every amendment. */
  known?: BreachFacts;
  containment?: { rounds: number; measures: Answer<'containment'>['measures']; containedAt?: string };
  impact?: Answer<'impact'>;
  evaluation?: EvaluationResult;
  /** The authority deadline (GDPR art. 33(1)) as it stands, also after a corrected awareness; for the search attribute. */
  notificationDeadline?: string;
  /** The NIS2 and DORA assessment of the incident (not yet assessed: absent fields). */
  classification?: IncidentClassification;
  /** Progress of informing the people affected one by one (art. 34); counts only, never who. */
  dataSubjects?: DataSubjectProgress;
  /** The art. 34 letter: contact point, the version written by communications, the FG's approval. */
  letter?: LetterRecord;
}

export interface DataSubjectProgress {
  total: number;
  sent: number;
  failed: number;
  toPrint: number;
}

/** The whole case as one typed view: what the query returns and the CLI prints. */
export interface CaseView {
  breachId: string;
  phase: Phase;
  outcome?: Outcome;
  openedAt: string;
  closedAt?: string;
  reports: Report[];
  /** Duplicates counted, not kept (breaches since the patch duplicates-compacted; older ones list them in `reports`). */
  duplicates?: DuplicateReports[];
  facts: Facts;
  tasks: Task[];
  decisions: Decision[];
  deadlines: Deadline[];
  notifications: NotificationRecord[];
  timeline: TimelineEntry[];
  /** ENISA severity and the suggested notification, recomputed whenever the facts change. */
  assessment?: Assessment;
}

export interface Assessment {
  severity: SeverityAssessment;
  suggestion: NotificationSuggestion;
}

/** A breach as Temporal's visibility store lists it: what the search attributes say, without a query. */
export interface BreachSummary {
  breachId: string;
  status: string;
  phase?: string;
  notificationDeadline?: string;
  authorityNotified?: boolean;
  startedAt: string;
}

/**
 * One breach on the dashboard: its case view (the query), or only what the visibility store lists when the
 * query could not be answered (phase and notification deadline, no tasks or severity).
 */
export type DashboardItem = { view: CaseView } | { summary: BreachSummary };
