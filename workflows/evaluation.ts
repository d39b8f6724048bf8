import { condition, continueAsNew } from '@temporalio/workflow';
import type { PlaybookSettings } from '../activities';
import type { EvaluationResult } from '../domain/case';
import { PROCEDURE_REVIEW } from '../domain/labels';
import { startPlaybook, type RuntimeSnapshot } from './playbook';
import { runResumable, type Journal } from './resumable';
import { isPatched } from './patches';

export interface EvaluationInput {
  breachId: string;
  settings: PlaybookSettings;
  containedAt: string;
  /** Set when a previous run continued as new (workflows/resumable.ts): improvement actions can take months. */
  resume?: { runtime: RuntimeSnapshot; journal: Journal };
}

export type { EvaluationResult } from '../domain/case';

/** Time for the FG to update the procedure after an evaluation found it out of date. */
const PROCEDURE_REVIEW_MS = 30 * 24 * 3_600_000;

/**
 * Evaluation (evalueren, verbeteren): lessons learned a set time after containment, then every improvement
 * action as a task for its owner, tracked (reminded, escalated) until done.
 */
export async function evaluationWorkflow(input: EvaluationInput): Promise<EvaluationResult> {
  const { playbook, r } = startPlaybook(input.breachId, 'evaluation', input.settings, input.breachId, input.resume);
  const { timing } = input.settings;
  return runResumable(
    r,
    () => playbook.quiet(),
    async () => {
      await r.sleepUntil('lessons-due', () => Date.parse(input.containedAt) + timing.evaluationAfter);
      const answer = await playbook.ask('evaluation', { dueInMs: timing.evaluationDue });
      await r.once('evaluated', () =>
        playbook.note(
          'evaluated',
          `Lessons learned recorded; approach still current: ${answer.approachStillCurrent ? 'yes' : 'no'}; ${answer.improvementActions.length} improvement action(s)`,
          undefined,
          undefined,
          { current: answer.approachStillCurrent, actions: answer.improvementActions.length },
        ),
      );

      const actions = await Promise.all(
        answer.improvementActions.map((action, index) =>
          playbook.openTaskOnce('improvement-action', {
            id: `improvement-${index + 1}`,
            due: action.due,
            assignee: action.owner,
            detail: action.description,
          }),
        ),
      );
      // "Is our approach still current? No" must lead somewhere: the FG, who owns the procedure, gets updating it
      // as an improvement action of its own. Runs evaluated before this was added replay without it.
      const lang = input.settings.language;
      const review =
        !answer.approachStillCurrent && isPatched('procedure-review')
          ? await playbook.openTaskOnce('improvement-action', {
              id: 'procedure-review',
              role: 'fg',
              dueInMs: PROCEDURE_REVIEW_MS,
              title: PROCEDURE_REVIEW.title[lang],
              detail: PROCEDURE_REVIEW.detail[lang],
            })
          : undefined;
      if (review) actions.push(review);
      await condition(() => actions.every((task) => task.status === 'done'));
      if (actions.length > 0)
        await r.once('improvements-done', () =>
          playbook.note('improvements-done', `All ${actions.length} improvement action(s) done`, undefined, undefined, {
            actions: actions.length,
          }),
        );
      const result: EvaluationResult = {
        lessonsLearned: answer.lessonsLearned,
        improvementActions: [
          ...answer.improvementActions.map((action, index) => ({
            ...action,
            doneAt: actions[index]!.completedAt!,
          })),
          ...(review
            ? [
                {
                  description: PROCEDURE_REVIEW.title[lang],
                  owner: review.completedBy!,
                  due: review.due,
                  doneAt: review.completedAt!,
                },
              ]
            : []),
        ],
        approachStillCurrent: answer.approachStillCurrent,
      };
      playbook.facts.evaluation = result;
      await r.once('reported', () => playbook.report());
      return playbook.finish(result);
    },
    (journal) =>
      continueAsNew<typeof evaluationWorkflow>({ ...input, resume: { runtime: playbook.snapshot(), journal } }),
  );
}
