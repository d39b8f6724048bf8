import { describeIssues, type Refused } from './errors';
import { findPerson, mayActFor, type Directory } from './roles';
import { answerSchemas, type Task, type TaskCompletion } from './tasks';
import { awareAtProblem } from './deadlines';

export interface CompletionContext {
  now: number;
  /** The legal deadline behind the task, if any: a notification after it must give the reasons for the delay. */
  deadline?: string;
}

/**
 * Checks a completion against the task, the directory and the answer schema. Returns the parsed answer,
 * or an error message that names the field and the problem. Pure, so the update validator can call it.
 */
export function checkCompletion(
  task: Task | undefined,
  completion: TaskCompletion,
  directory: Directory,
  ctx: CompletionContext,
): { ok: true; answer: unknown; actor: string } | { ok: false; message: string } {
  const result = checkCompletionCoded(task, completion, directory, ctx);
  return result.ok ? result : { ok: false, message: result.message };
}

/**
 * checkCompletion with the refusal's code and parameters where a page translates it (the answer's own field
 * problems are placed and translated by the form before it is sent): what the update validator throws.
 */
export function checkCompletionCoded(
  task: Task | undefined,
  completion: TaskCompletion,
  directory: Directory,
  ctx: CompletionContext,
): { ok: true; answer: unknown; actor: string } | Refused {
  if (!task) {
    return {
      ok: false,
      code: 'task-not-found',
      params: { taskId: String(completion.taskId) },
      message: `taskId: no task "${completion.taskId}" in this breach`,
    };
  }
  if (task.status !== 'open') {
    return {
      ok: false,
      code: 'task-not-open',
      params: { taskId: task.id, status: task.status },
      message: `taskId: task "${task.id}" is already ${task.status}`,
    };
  }
  const isAssignee =
    typeof completion.actor === 'string' &&
    task.assignee !== undefined &&
    completion.actor.trim().toLowerCase() === task.assignee;
  if (!isAssignee && (typeof completion.actor !== 'string' || !findPerson(directory, completion.actor))) {
    return {
      ok: false,
      code: 'actor-unknown',
      params: { actor: String(completion.actor) },
      message: `actor: ${String(completion.actor)} is not in the directory`,
    };
  }
  if (!isAssignee && !mayActFor(directory, task.role, completion.actor)) {
    return {
      ok: false,
      code: 'actor-lacks-role',
      params: { actor: completion.actor, roles: task.role, taskId: task.id },
      message: `actor: ${completion.actor} does not hold the role "${task.role}" that task "${task.id}" needs`,
    };
  }
  const parsed = answerSchemas[task.kind].safeParse(completion.answer);
  if (!parsed.success) return { ok: false, message: describeIssues(parsed.error, 'answer') };
  const answer = parsed.data as Record<string, unknown>;

  for (const field of ['awareAt', 'notifiedAt'] as const) {
    const value = answer[field];
    if (typeof value === 'string') {
      const problem = awareAtProblem(value, ctx.now);
      if (problem)
        return { ok: false, code: problem.code, params: { field }, message: `answer.${field}: ${problem.message}` };
    }
  }
  // An improvement action becomes a task for its owner, who must be able to log in and be reminded: someone
  // outside the directory never could, so the owner is one of its people.
  if (task.kind === 'evaluation' && Array.isArray(answer.improvementActions)) {
    const actions = answer.improvementActions as { owner: string }[];
    const i = actions.findIndex((action) => !findPerson(directory, action.owner));
    if (i >= 0) {
      const field = `improvementActions.${i}.owner`;
      return {
        ok: false,
        code: 'owner-not-in-directory',
        params: { field, owner: actions[i]!.owner },
        message: `answer.${field}: ${actions[i]!.owner} is not in the directory; choose the owner from the directory`,
      };
    }
  }
  if (
    task.kind === 'authority-notification' &&
    ctx.deadline !== undefined &&
    typeof answer.notifiedAt === 'string' &&
    Date.parse(answer.notifiedAt) > Date.parse(ctx.deadline) &&
    answer.reasonsForDelay === undefined
  ) {
    return {
      ok: false,
      code: 'reasons-for-delay-required',
      params: { deadline: ctx.deadline },
      message: `answer.reasonsForDelay: is required because the notification came after the 72-hour deadline (${ctx.deadline}; GDPR art. 33(1))`,
    };
  }
  return {
    ok: true,
    answer: parsed.data,
    actor: isAssignee ? task.assignee! : findPerson(directory, completion.actor)!.email,
  };
}
