import type { Role } from './roles';
import type { TaskKind } from './tasks';

/**
 * What lekdicht tells people by email. Notices carry ids, titles and times only: the facts of a breach stay
 * in the case, so a forwarded or misdirected notice leaks nothing about the people affected.
 */
export type Notice =
  | { kind: 'task-assigned'; taskId: string; taskKind: TaskKind; due: string; detail?: string }
  | { kind: 'task-overdue'; taskId: string; taskKind: TaskKind; due: string }
  | { kind: 'breach-confirmed'; awareAt: string; deadline: string }
  /** Without `label`, the AP's 72-hour deadline (GDPR art. 33(1)); with it, another regime's deadline (NIS2, DORA, processor). */
  | { kind: 'deadline-reminder'; deadline: string; hoursLeft: number; label?: string; basis?: string }
  | { kind: 'deadline-missed'; deadline: string; label?: string; basis?: string }
  /** The SMTP server refused an email for good (5xx): told to the FG, who reaches those people another way. */
  | { kind: 'email-undelivered'; purpose: string; failed: number; codes: string[] }
  | { kind: 'security-incident-closed' }
  | { kind: 'breach-closed' };

export interface EmailRequest {
  breachId: string;
  /** Unique per message within the breach ("task-assigned:triage"); with the recipient it fixes the Message-ID. */
  purpose: string;
  /** Everyone holding one of these roles. */
  roles: Role[];
  /** And these people by email (e.g. an improvement action's owner). */
  people?: string[];
  /** Also the deputies of this role's holders (or the FG when there are none): for escalations. */
  escalateFrom?: Role;
  notice: Notice;
}
