import type { CaseView } from './case';
import { BREACH_TEAM, findPerson, mayActFor, type Directory, type Role } from './roles';
import type { Task } from './tasks';

/**
 * Who may see a breach, and why. The rule (docs/http-api.md, "Who may see a breach"):
 *
 * 1. the FG and whoever deputises for an FG: they coordinate every breach and triage every signal;
 * 2. the executive sponsor: the escalation point of every breach;
 * 3. the breach team (CISO, process owner, and their deputies) once triage confirmed a personal-data breach,
 *    because that is when the workflow forms the team and emails it;
 * 4. anyone who may act on one of the breach's tasks, open or closed (holder of its role, deputy of a holder,
 *    the task's named assignee) or who completed one.
 *
 * Nobody outside the directory is involved in anything. Everything else about a breach (even whether it
 * exists) stays hidden: the HTTP service answers 404.
 */
export type InvolvementReason = 'fg' | 'executive-sponsor' | 'breach-team' | 'task';

export function involvementIn(
  breach: Pick<CaseView, 'tasks' | 'facts'>,
  directory: Directory,
  email: string,
): InvolvementReason | undefined {
  const person = findPerson(directory, email);
  if (!person) return undefined;
  if (mayActFor(directory, 'fg', person.email)) return 'fg';
  if (person.roles.includes('executive-sponsor')) return 'executive-sponsor';
  if (
    breach.facts.isPersonalDataBreach === true &&
    BREACH_TEAM.some((role) => mayActFor(directory, role, person.email))
  )
    return 'breach-team';
  if (breach.tasks.some((task) => mayActOnTask(task, directory, person.email) || task.completedBy === person.email))
    return 'task';
  return undefined;
}

export function isInvolved(breach: Pick<CaseView, 'tasks' | 'facts'>, directory: Directory, email: string): boolean {
  return involvementIn(breach, directory, email) !== undefined;
}

/** The workflow's own rule for completing a task (domain/completion.ts): its role, a deputy of a holder, or its assignee. */
export function mayActOnTask(task: Pick<Task, 'role' | 'assignee'>, directory: Directory, email: string): boolean {
  const me = email.trim().toLowerCase();
  return (task.assignee !== undefined && task.assignee.toLowerCase() === me) || mayActFor(directory, task.role, me);
}

/** Acting for any of the roles, as holder or deputy. */
export function mayActForAny(directory: Directory, roles: readonly Role[], email: string): boolean {
  return roles.some((role) => mayActFor(directory, role, email));
}

/** Facts are amended by the breach team (the workflow's amendFacts validator checks the same). */
export function mayAmendFacts(directory: Directory, email: string): boolean {
  return mayActForAny(directory, BREACH_TEAM, email);
}

/** The roles each notification-playbook message needs (the notification workflow's validators check the same). */
export const NOTIFICATION_ACTION_ROLES = {
  classify: ['fg', 'ciso'],
  'correct-awareness': ['fg'],
  record: ['fg'],
} as const satisfies Record<string, readonly Role[]>;
export type NotificationAction = keyof typeof NOTIFICATION_ACTION_ROLES;

/**
 * The register (art. 33(5)) lists every breach, so it is for those who see every breach: the FG, their
 * deputies and the executive sponsor.
 */
export function mayReadRegister(directory: Directory, email: string): boolean {
  const person = findPerson(directory, email);
  return (
    person !== undefined && (mayActFor(directory, 'fg', person.email) || person.roles.includes('executive-sponsor'))
  );
}
