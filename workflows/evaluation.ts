import { sleep } from '@temporalio/workflow';
import type { PlaybookSettings } from '../activities';
import { PlaybookRuntime } from './playbook';

export interface EvaluationInput {
  breachId: string;
  settings: PlaybookSettings;
  containedAt: string;
}

/** Evaluation (evalueren): lessons learned a set time after containment, improvement actions, final record. */
export async function evaluationWorkflow(input: EvaluationInput): Promise<{ improvementActions: number }> {
  const playbook = new PlaybookRuntime(input.breachId, 'evaluation', input.settings, input.breachId);
  const { timing } = input.settings;
  const wait = Date.parse(input.containedAt) + timing.evaluationAfter - Date.now();
  if (wait > 0) await sleep(wait);
  const answer = await playbook.ask('evaluation', { dueInMs: timing.evaluationDue });
  for (const [index, action] of answer.improvementActions.entries()) {
    await playbook.note('improvement-action', `Improvement action ${index + 1}: ${action.description} (owner ${action.owner}, due ${action.due})`);
  }
  await playbook.note('evaluated', `Evaluated; approach still current: ${answer.approachStillCurrent ? 'yes' : 'no'}`);
  return { improvementActions: answer.improvementActions.length };
}
