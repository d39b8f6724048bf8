/**
 * What operations read from the register: readiness and the gauges of the HTTP service's /metrics. The one place
 * that does, through the store's public methods only.
 *
 * The register, not Temporal's visibility: it is the lasting record, it holds closed breaches long after the
 * namespace's retention dropped their histories, and it answers while the Temporal server does not.
 */
import { PHASES } from '../domain/case';
import type { BreachRegister } from './store';

export type RegisterReader = Pick<BreachRegister, 'breach' | 'breaches' | 'failedEmailsOnOpenBreaches'>;

/** Any id: the lookup proves the register can be read, whether or not the row exists. */
const PROBE_ID = 'readiness-probe';
const HOUR_MS = 3_600_000;
/** The dashboard's "critical" filter uses the same window (client/web/dashboard.ts). */
export const DUE_SOON_MS = 12 * HOUR_MS;

export async function registerReadable(register: Pick<RegisterReader, 'breach'>): Promise<boolean> {
  try {
    await register.breach(PROBE_ID);
    return true;
  } catch {
    return false;
  }
}

export interface RegisterGauges {
  /** Breaches the register holds as not closed, by phase (every phase, zeros included). */
  openByPhase: Record<string, number>;
  /**
   * Open breaches whose GDPR authority deadline (art. 33) falls within the next 12 hours, not yet notified and not
   * decided against: the FG's decision not to notify stops that clock.
   */
  dueWithin12h: number;
  /** Notifications late: still not made after the deadline passed (`overdue`), or made after it (`notified`). */
  late: { overdue: number; notified: number };
  /** Emails refused for good on open breaches: to responders (tasks, reminders) and to the people affected. */
  failedEmails: { responders: number; dataSubjects: number };
}

export async function registerGauges(register: RegisterReader, now: number): Promise<RegisterGauges> {
  const rows = await register.breaches();
  const openByPhase: Record<string, number> = Object.fromEntries(
    PHASES.filter((phase) => phase !== 'closed').map((phase) => [phase, 0]),
  );
  const gauges: RegisterGauges = {
    openByPhase,
    dueWithin12h: 0,
    late: { overdue: 0, notified: 0 },
    failedEmails: { responders: 0, dataSubjects: 0 },
  };
  for (const row of rows) {
    const late = row.notification_late === 1;
    if (late && row.authority_notified_at !== null) gauges.late.notified += 1;
    if (row.closed_at !== null) continue;
    // A phase outside the known list (a newer worker's) still counts, under its own name: the list is bounded.
    const phase = row.phase ?? 'unknown';
    openByPhase[phase] = (openByPhase[phase] ?? 0) + 1;
    // The workflow sets notification_late when the deadline passes without a notification; a decision not to
    // notify stops the clock, so a passed deadline alone is not "late".
    if (late && row.authority_notified_at === null) gauges.late.overdue += 1;
    const due = row.notification_deadline === null ? NaN : Date.parse(row.notification_deadline);
    const decidedNotTo = row.notify_authority === 0;
    if (!late && !decidedNotTo && row.authority_notified_at === null && due >= now && due - now < DUE_SOON_MS)
      gauges.dueWithin12h += 1;
  }
  gauges.failedEmails = await register.failedEmailsOnOpenBreaches();
  return gauges;
}
