import { condition, sleep } from '@temporalio/workflow';
import type { PlaybookSettings } from '../activities';
import type { EvaluationResult } from '../domain/case';
import { PlaybookRuntime } from './playbook';

export interface EvaluationInput {
  breachId: string;
  settings: PlaybookSettings;
  containedAt: string;
}

export type { EvaluationResult } from '../domain/case';

/**
 * Evaluation (evalueren, verbeteren): lessons learned a set time after containment, then every improvement
 * action as a task for its owner, tracked (reminded, escalated) until done.
 */
export async function evaluationWorkflow(input: EvaluationInput): Promise<EvaluationResult> {
  const playbook = new PlaybookRuntime(input.breachId, 'evaluation', input.settings, input.breachId);
  const { timing } = input.settings;
  const wait = Date.parse(input.containedAt) + timing.evaluationAfter - Date.now();
  if (wait > 0) await sleep(wait);
  const answer = await playbook.ask('evaluation', { dueInMs: timing.evaluationDue });
  await playbook.note('evaluated', `Lessons learned recorded; approach still current: ${answer.approachStillCurrent ? 'yes' : 'no'}; ${answer.improvementActions.length} improvement action(s)`);

  const actions = await Promise.all(
    answer.improvementActions.map((action, index) =>
      playbook.openTask('improvement-action', { id: `improvement-${index + 1}`, due: action.due, assignee: action.owner, detail: action.description }),
    ),
  );
  await condition(() => actions.every((task) => task.status === 'done'));
  if (actions.length > 0) await playbook.note('improvements-done', `All ${actions.length} improvement action(s) done`);
  const result: EvaluationResult = {
    lessonsLearned: answer.lessonsLearned,
    improvementActions: answer.improvementActions.map((action, index) => ({ ...action, doneAt: actions[index]!.completedAt! })),
    approachStillCurrent: answer.approachStillCurrent,
  };
  playbook.facts.evaluation = result;
  await playbook.report();
  return playbook.finish(result);
}
