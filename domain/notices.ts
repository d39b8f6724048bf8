import type { Role } from './roles';
import type { Playbook, TaskKind } from './tasks';

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
  /**
   * A breach or playbook run ended by something outside lekdicht (an operator, a server limit, a timeout), noticed
   * by the worker's watch (worker/watch.ts): what ended, how, and the deadline nobody watches any more.
   */
  | {
      kind: 'run-ended-outside';
      workflowId: string;
      playbook: RunPlaybook;
      /** Temporal's status of the run (TERMINATED, TIMED_OUT, FAILED, CANCELED) or NOT_FOUND. */
      status: EndedRunStatus;
      /** What ended it, as a fixed word (e.g. history-size-limit, operator): never the free-text reason. */
      cause: string;
      endedAt?: string;
      noticedAt: string;
      /** The AP's 72-hour deadline from the register, when triage set it. */
      deadline?: string;
      /** When the register recorded the notification to the AP, if it did. */
      authorityNotifiedAt?: string;
      /**
       * The breach ended but its notification playbook still runs (started apart, workflows/resumable.ts): the
       * deadline's reminders and escalation go on.
       */
      clockRunning?: boolean;
    }
  | { kind: 'security-incident-closed' }
  | { kind: 'breach-closed' };

/** The runs of one breach: the breach workflow itself and its child playbooks (`${breachId}.${playbook}`). */
export const RUN_PLAYBOOKS = [
  'breach',
  'notification',
  'containment',
  'evaluation',
  'data-subjects',
  'aftercare',
] as const satisfies readonly Playbook[];
export type RunPlaybook = (typeof RUN_PLAYBOOKS)[number];

/** The run's workflow id: the breach's own id, or the child playbook's `${breachId}.${playbook}` (workflows/breach.ts). */
export function runWorkflowId(breachId: string, playbook: RunPlaybook): string {
  return playbook === 'breach' ? breachId : `${breachId}.${playbook}`;
}

/** How a run ended outside lekdicht: Temporal's closed statuses that lekdicht never chooses, or gone altogether. */
export const ENDED_RUN_STATUSES = ['TERMINATED', 'TIMED_OUT', 'FAILED', 'CANCELED', 'NOT_FOUND'] as const;
export type EndedRunStatus = (typeof ENDED_RUN_STATUSES)[number];

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
