import type { Answer, Task } from './tasks';

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

export type DeadlineKind = 'gdpr-authority' | 'data-subjects';
/** `late`: passed unmet; it stays late after a late notification, with `metAt` set. */
export type DeadlineStatus = 'pending' | 'met' | 'late' | 'not-required';

export interface Deadline {
  kind: DeadlineKind;
  due: string;
  status: DeadlineStatus;
  metAt?: string;
}

export interface Report {
  source: string;
  eventId: string;
  receivedAt: string;
  duplicate: boolean;
  summary: string;
}

export interface Decision {
  kind: 'triage' | 'notification';
  by: string;
  at: string;
  summary: string;
}

export interface NotificationRecord {
  to: 'authority' | 'data-subjects';
  at: string;
  recordedBy: string;
  late: boolean;
  reference?: string;
  channel?: string;
  reasonsForDelay?: string;
}

export interface TimelineEntry {
  /** Unique within the breach, also across playbooks: "<playbook>#<n>". */
  id: string;
  at: string;
  kind: string;
  text: string;
  actor?: string;
}

export interface EvaluationResult {
  lessonsLearned: string;
  improvementActions: { description: string; owner: string; due: string; doneAt: string }[];
  approachStillCurrent: boolean;
}

export interface Facts {
  isPersonalDataBreach?: boolean;
  awareAt?: string;
  firstPicture?: Answer<'first-picture'>;
  containment?: { rounds: number; measures: Answer<'containment'>['measures']; containedAt?: string };
  impact?: Answer<'impact'>;
  evaluation?: EvaluationResult;
}

/** The whole case as one typed view: what the query returns and the CLI prints. */
export interface CaseView {
  breachId: string;
  phase: Phase;
  outcome?: Outcome;
  openedAt: string;
  closedAt?: string;
  reports: Report[];
  facts: Facts;
  tasks: Task[];
  decisions: Decision[];
  deadlines: Deadline[];
  notifications: NotificationRecord[];
  timeline: TimelineEntry[];
}
