import { upcomingReminders, type Reminder } from '../deadlines';
import type { RegimeDeadline, RegimeDeadlineKind } from './deadlines';

/** The deadline the dashboard shows first, and the reminders of each deadline. */

/** Default reminders: when half and when 90 % of a deadline's window has passed. */
export const DEFAULT_REMINDER_FRACTIONS: readonly number[] = [0.5, 0.9];

export interface NextDeadline {
  deadline: RegimeDeadline & { due: string };
  /** The due instant has passed and the deadline is still open. */
  overdue: boolean;
  /** Until due; negative when overdue. */
  msLeft: number;
}

const isOpen = (deadline: RegimeDeadline): deadline is RegimeDeadline & { due: string } =>
  deadline.due !== undefined && deadline.metAt === undefined;

/**
 * The deadline to show first: of those with a due instant and not yet met, the earliest — so an open overdue
 * one comes before one still ahead. Ties keep the order of the list. Undefined when nothing is open.
 */
export function nextDeadline(deadlines: readonly RegimeDeadline[], now: number): NextDeadline | undefined {
  let best: (RegimeDeadline & { due: string }) | undefined;
  for (const deadline of deadlines) {
    if (isOpen(deadline) && (best === undefined || Date.parse(deadline.due) < Date.parse(best.due))) best = deadline;
  }
  if (best === undefined) return undefined;
  const msLeft = Date.parse(best.due) - now;
  return { deadline: best, overdue: msLeft < 0, msLeft };
}

export interface RegimeReminder extends Reminder {
  kind: RegimeDeadlineKind;
  /** Exact time left at the reminder (hoursLeft is rounded, which says 0 for a 4-hour window). */
  msLeft: number;
}

/** Default reminder offsets for a deadline: at 50 % and at 90 % of its window (countsFrom → due). */
export function defaultReminderOffsets(deadline: RegimeDeadline): number[] {
  if (deadline.due === undefined || deadline.countsFrom === undefined) return [];
  const window = Date.parse(deadline.due) - Date.parse(deadline.countsFrom);
  return DEFAULT_REMINDER_FRACTIONS.map((fraction) => Math.round(window * fraction));
}

/**
 * Reminders still ahead of `now` for one deadline, generalising upcomingReminders: offsets count from the
 * deadline's `countsFrom` (awareness for gdpr-authority, so the configured 24/48/60/70 h fit as they are);
 * without offsets, defaultReminderOffsets. None for a deadline that is met or not yet computable.
 */
export function remindersFor(
  deadline: RegimeDeadline,
  offsetsMs: readonly number[] | undefined,
  now: number,
): RegimeReminder[] {
  if (deadline.due === undefined || deadline.countsFrom === undefined || deadline.metAt !== undefined) return [];
  const due = Date.parse(deadline.due);
  return upcomingReminders(deadline.countsFrom, deadline.due, offsetsMs ?? defaultReminderOffsets(deadline), now).map(
    (reminder) => ({
      ...reminder,
      kind: deadline.kind,
      msLeft: due - Date.parse(reminder.at),
    }),
  );
}
