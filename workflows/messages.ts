/**
 * Every signal, update and query of the breach workflows. Clients import these definitions and nothing
 * else from workflows/.
 */
import { defineQuery, defineSignal, defineUpdate } from '@temporalio/workflow';
import type { BreachSignal } from '../domain/signal';
import type { CaseView, Deadline, Facts, NotificationRecord, TimelineEntry } from '../domain/case';
import type { Playbook, Task, TaskCompletion } from '../domain/tasks';

export const breachWorkflowType = 'breachWorkflow';

/** A report of the incident; the first one opens the breach, later ones with the same id are duplicates. */
export const reportSignal = defineSignal<[BreachSignal]>('report');

/** Completes a task; the validator rejects unknown tasks, people without the role and invalid answers. */
export const completeTaskUpdate = defineUpdate<Task, [TaskCompletion]>('completeTask');

/** The same completion, fire-and-forget; a rejected one is noted on the timeline instead of returned. */
export const completeTaskSignal = defineSignal<[TaskCompletion]>('completeTaskAsync');

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
}

/** Child → breach: the playbook's tasks and deadlines as they are now, and its new timeline entries. */
export const playbookReportSignal = defineSignal<[PlaybookState]>('playbookReport');

/** Breach → notification playbook: the FG's decision whom to notify. */
export interface NotificationDecision {
  notifyAuthority: boolean;
  notifyDataSubjects: boolean;
  decidedAt: string;
}
export const notificationDecisionSignal = defineSignal<[NotificationDecision]>('notificationDecision');
