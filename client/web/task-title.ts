import { INTEREST_KINDS, INTEREST_TITLES, type InterestKind } from '../../domain/interests';
import { PROCEDURE_REVIEW, taskTitle } from '../../domain/labels';
import type { Language } from '../../domain/language';
import { findPerson, holdersOf, type Directory } from '../../domain/roles';
import type { Task } from '../../domain/tasks';

/**
 * A task's title on a page. Most kinds have one title per kind; the organisation's-interest tasks each have their
 * own (legal, insurer, press, …), kept in the task id (`interest-<kind>`), so the page shows that one in its
 * language rather than the kind's general "Borg het organisatiebelang".
 */
export function displayTaskTitle(task: Pick<Task, 'id' | 'kind' | 'title'>, lang: Language): string {
  if (task.kind === 'organisation-interest') {
    const kind = task.id.replace(/^interest-/, '');
    if (INTEREST_KINDS.includes(kind as InterestKind)) return INTEREST_TITLES[kind as InterestKind][lang];
    if (task.title) return task.title;
  }
  if (task.id === 'procedure-review') return PROCEDURE_REVIEW.title[lang];
  return taskTitle(task.kind, lang);
}

/** Who may complete a task, by name: its assignee, else the holders of its role (emails without a directory). */
export function holderNames(task: Pick<Task, 'role' | 'assignee'>, directory: Directory | undefined): string[] {
  if (!directory) return task.assignee ? [task.assignee] : [];
  if (task.assignee) return [findPerson(directory, task.assignee)?.name ?? task.assignee];
  return holdersOf(directory, task.role).map((p) => p.name);
}
