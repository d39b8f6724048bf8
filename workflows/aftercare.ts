import { sleep } from '@temporalio/workflow';
import type { PlaybookSettings } from '../activities';
import { PlaybookRuntime } from './playbook';

export interface AftercareInput {
  breachId: string;
  settings: PlaybookSettings;
}

/**
 * Aftercare (nazorg): a contact point for the people affected and advice on what they can do themselves,
 * then a follow-up after some weeks, repeated while further action is needed.
 */
export async function aftercareWorkflow(input: AftercareInput): Promise<{ followUps: number }> {
  const playbook = new PlaybookRuntime(input.breachId, 'aftercare', input.settings, input.breachId);
  const { timing } = input.settings;
  await playbook.ask('aftercare', { dueInMs: timing.aftercareDue });
  await playbook.note('aftercare-started', 'Contact point set up and advice given to the people affected');
  for (let round = 1; ; round++) {
    await sleep(timing.aftercareFollowUpAfter);
    const answer = await playbook.ask('aftercare-follow-up', { id: `aftercare-follow-up-${round}`, dueInMs: timing.aftercareFollowUpDue });
    if (!answer.furtherActionNeeded) {
      await playbook.note('aftercare-finished', `Aftercare finished after ${round} follow-up(s)`);
      return { followUps: round };
    }
    await playbook.note('aftercare-continues', `Follow-up ${round}: further action needed; next follow-up scheduled`);
  }
}
