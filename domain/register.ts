import type {
  LastingColumns,
  LastingDecision,
  LastingImprovement,
  LastingInterest,
  LastingMeasure,
  LastingNotification,
  LastingRecord,
} from './lasting-record';
import { SEVERITY_BANDS, type SeverityBand } from './severity';
import { wallClock } from './amsterdam-clock';
import type { Language } from './language';

/**
 * The breach register (art. 33(5) GDPR): every breach, notified or not, with its events, tickets and emails.
 * It outlives the workflows. These are its records as register/store.ts keeps them; pages, exports and filters
 * read them as written here.
 */
export interface BreachRow {
  breach_id: string;
  source: string | null;
  opened_at: string | null;
  phase: string | null;
  outcome: string | null;
  aware_at: string | null;
  notification_deadline: string | null;
  notification_late: number;
  authority_notified_at: string | null;
  authority_reference: string | null;
  data_subjects_notified_at: string | null;
  facts_summary: string | null;
  effects: string | null;
  remedial_action: string | null;
  closed_at: string | null;
  /**
   * Set by the worker's watch when a run of this breach ended outside lekdicht while the register had it open
   * (worker/watch.ts): when it was noticed, Temporal's status, which run, and what ended it (a fixed word). Cleared
   * when the breach runs again (reset). Absent in a register no worker of this version has opened yet.
   */
  ended_outside_at?: string | null;
  ended_outside_status?: string | null;
  ended_outside_run?: string | null;
  ended_outside_cause?: string | null;
  updated_at: string;
}

/**
 * The register row as it is read: the columns above, and the lasting record's (domain/lasting-record.ts), null until
 * the breach is assessed or closed (and in a register no worker of this version has opened yet).
 */
export type BreachRecordRow = BreachRow & { [K in keyof LastingColumns]?: LastingColumns[K] | null };

/** Everything the register keeps of one breach, for the JSON export and the register's own record page. */
export interface BreachDossier {
  breach: BreachRecordRow;
  events: EventRow[];
  measures: LastingMeasure[];
  decisions: LastingDecision[];
  notifications: LastingNotification[];
  improvements: LastingImprovement[];
  interests: LastingInterest[];
}

/** What a record changes on the breach row: a key left out (or undefined) is left as it is. */
export type BreachPatch = {
  [K in Exclude<keyof BreachRow, 'breach_id' | 'updated_at' | 'notification_late'>]?: BreachRow[K] | undefined;
} & {
  notification_late?: boolean | undefined;
  /** Written with the assessment, so the register's severity filter needs no workflow. */
  severity_score?: number | undefined;
  severity_band?: string | undefined;
  /**
   * Written with the FG's notification decision (1 notify/inform, 0 not), so the register's gauges know at once that
   * a decision not to notify stopped the authority clock, long before the final record.
   */
  notify_authority?: number | undefined;
  notify_data_subjects?: number | undefined;
  /** The whole lasting record: at the final record and a "not a breach" triage (replaces its child rows). */
  lasting?: LastingRecord | undefined;
};

export interface EventRow {
  key: string;
  breach_id: string;
  at: string;
  kind: string;
  actor: string | null;
  text: string;
}

export interface TicketRow {
  ref: string;
  breach_id: string;
  task_id: string;
  role: string;
  title: string;
  due: string;
  status: string;
  created_at: string;
  closed_at: string | null;
}

export interface EmailRow {
  message_id: string;
  breach_id: string;
  purpose: string;
  recipient: string;
  subject: string;
  sent_at: string;
}

/** Every try to send one email (art. 33(5) audit trail); written before the SMTP server is contacted. */
export interface EmailAttemptRow {
  message_id: string;
  breach_id: string;
  purpose: string;
  recipient: string;
  attempts: number;
  first_at: string;
  last_at: string;
}

/** An email the SMTP server refused for good (5xx): never retried, shown on the breach's timeline. */
export interface EmailFailureRow {
  message_id: string;
  breach_id: string;
  purpose: string;
  recipient: string;
  /** SMTP reply code and the step that failed, e.g. "550 RCPT TO". */
  code: string;
  error: string;
  failed_at: string;
}

/**
 * One run that ended outside lekdicht, noticed once (the row is the claim: its primary key makes a second watch's
 * insert a no-op). The FG and deputies are emailed under a lease, so one watch at a time sends, and a failed
 * send is retried by a later round; an email already sent is never sent again (the emails table).
 */
export interface EndedRunRow {
  workflow_id: string;
  /** Temporal's run id; '-' when the run is gone and no watch ever saw its id. */
  run_id: string;
  breach_id: string;
  playbook: string;
  status: string;
  cause: string;
  ended_at: string | null;
  noticed_at: string;
  noticed_by: string;
  notify_attempts: number;
  notify_lease_until: string | null;
  notify_lease_by: string | null;
  notified_at: string | null;
  /** Why the last try to email failed (an SMTP code or error name, no addresses). */
  notify_error: string | null;
}

/** The last state a watch saw of a run: so a run seen running and then gone is told apart from one never started. */
export interface WatchedRunRow {
  workflow_id: string;
  breach_id: string;
  run_id: string;
  status: string;
  /** The breach run that started this playbook run (null for the breach itself). */
  parent_run_id: string | null;
  seen_at: string;
}

export type RecipientStatus = 'pending' | 'sent' | 'failed' | 'to-print';

/** One person affected by a breach, to be informed (art. 34). Personal data: kept here, never in a workflow. */
export interface RecipientRow {
  breach_id: string;
  seq: number;
  name: string;
  email: string | null;
  address: string | null;
  language: Language;
  status: RecipientStatus;
  message_id: string | null;
  sent_at: string | null;
  error: string | null;
}

export interface NewRecipient {
  name: string;
  email?: string | null;
  address?: string | null;
  language?: Language;
}

export interface RecipientCounts {
  total: number;
  pending: number;
  sent: number;
  failed: number;
  toPrint: number;
}

/** The breach row's columns that a record may set (besides its id and updated_at). */
export const BREACH_COLUMNS = [
  'source',
  'opened_at',
  'phase',
  'outcome',
  'aware_at',
  'notification_deadline',
  'notification_late',
  'authority_notified_at',
  'authority_reference',
  'data_subjects_notified_at',
  'facts_summary',
  'effects',
  'remedial_action',
  'closed_at',
  'severity_score',
  'severity_band',
  'notify_authority',
  'notify_data_subjects',
] as const;

/** The breach row's columns the worker's watch sets (not a workflow): shown on the register page and in the CSV. */
export const ENDED_OUTSIDE_COLUMNS = [
  'ended_outside_at',
  'ended_outside_status',
  'ended_outside_run',
  'ended_outside_cause',
] as const;

/** open, ended-outside (a run ended outside lekdicht: nobody watches its deadlines), or closed. */
export function registerStatusOf(row: BreachRow): 'open' | 'ended-outside' | 'closed' {
  if (row.closed_at !== null) return 'closed';
  return row.ended_outside_at != null ? 'ended-outside' : 'open';
}

/** A register row as the page, the filters and the exports read it: the severity band is a column since 0002. */
export type RegisterRow = BreachRecordRow;

export const REGISTER_STATUSES = ['open', 'ended-outside', 'closed', 'late', 'security-incident'] as const;
export type RegisterStatus = (typeof REGISTER_STATUSES)[number];

export interface RegisterFilter {
  /** Opened on or after this Amsterdam date, "2026-11-01". */
  from?: string | undefined;
  /** Opened on or before this Amsterdam date (inclusive). */
  to?: string | undefined;
  status?: RegisterStatus | undefined;
  severity?: SeverityBand | undefined;
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The filter from a query string; values that are not one of the options are ignored rather than refused. */
export function parseRegisterFilter(query: URLSearchParams | Readonly<Record<string, unknown>>): RegisterFilter {
  const get = (key: string): string | undefined => {
    const value = query instanceof URLSearchParams ? query.get(key) : query[key];
    return typeof value === 'string' ? value : undefined;
  };
  const from = get('from');
  const to = get('to');
  const status = get('status');
  const severity = get('severity');
  return {
    ...(from && DATE.test(from) ? { from } : {}),
    ...(to && DATE.test(to) ? { to } : {}),
    ...(status && (REGISTER_STATUSES as readonly string[]).includes(status)
      ? { status: status as RegisterStatus }
      : {}),
    ...(severity && (SEVERITY_BANDS as readonly string[]).includes(severity)
      ? { severity: severity as SeverityBand }
      : {}),
  };
}

/** A run of the breach ended outside lekdicht (worker/watch.ts) and it is not closed: nobody watches its clock. */
export function endedOutside(row: RegisterRow): boolean {
  return row.closed_at === null && row.ended_outside_at != null;
}

function hasStatus(row: RegisterRow, status: RegisterStatus): boolean {
  switch (status) {
    case 'open':
      return row.closed_at === null && !endedOutside(row);
    case 'ended-outside':
      return endedOutside(row);
    case 'closed':
      return row.closed_at !== null;
    case 'late':
      return row.notification_late === 1;
    case 'security-incident':
      return row.outcome === 'security-incident';
  }
}

/** The Amsterdam calendar date of an instant, "2026-11-01" (the filter's dates are the reader's). */
function amsterdamDate(iso: string): string | undefined {
  const ms = Date.parse(iso);
  return Number.isNaN(ms) ? undefined : new Date(wallClock(ms)).toISOString().slice(0, 10);
}

/** The rows the filter keeps; the same for the page and the CSV export, so both show the same breaches. */
export function filterRegister<R extends RegisterRow>(rows: readonly R[], filter: RegisterFilter): R[] {
  return rows.filter((row) => {
    const opened = row.opened_at ? amsterdamDate(row.opened_at) : undefined;
    if (filter.from && (!opened || opened < filter.from)) return false;
    if (filter.to && (!opened || opened > filter.to)) return false;
    if (filter.status && !hasStatus(row, filter.status)) return false;
    if (filter.severity && row.severity_band !== filter.severity) return false;
    return true;
  });
}

/**
 * The instant before which a breach must have closed to be past a retention of `years` calendar years at `now`:
 * closed 2020-03-01, five years, purgeable from 2025-03-01 (29 February counts to 28 February / 1 March as the
 * calendar does: Date's own arithmetic).
 */
export function retentionCutoff(now: Date, years: number): string {
  const cutoff = new Date(now.getTime());
  cutoff.setUTCFullYear(cutoff.getUTCFullYear() - years);
  return cutoff.toISOString();
}
