import type { CaseView } from './case';
import { mayActFor, type Directory } from './roles';
import type { Task } from './tasks';

export interface MyTaskItem {
  breachId: string;
  task: Task;
}

/**
 * The open tasks a person may complete: those of roles they hold or deputise for (the workflow's own rule,
 * domain/roles.ts mayActFor), and those naming them as assignee. Earliest due first.
 */
export function openTasksFor(views: readonly CaseView[], directory: Directory, email: string): MyTaskItem[] {
  const me = email.trim().toLowerCase();
  return views
    .flatMap((view) => view.tasks.map((task) => ({ breachId: view.breachId, task })))
    .filter(
      ({ task }) =>
        task.status === 'open' && (task.assignee?.toLowerCase() === me || mayActFor(directory, task.role, me)),
    )
    .sort((a, b) => Date.parse(a.task.due) - Date.parse(b.task.due) || a.breachId.localeCompare(b.breachId));
}
