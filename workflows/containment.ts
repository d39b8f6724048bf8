import { sleep } from '@temporalio/workflow';
import type { PlaybookSettings } from '../activities';
import { PlaybookRuntime } from './playbook';

export interface ContainmentInput {
  breachId: string;
  settings: PlaybookSettings;
}

export interface ContainmentResult {
  containedAt: string;
  rounds: number;
}

/**
 * Containment (beperken): ICT management takes the seed's measures, evidence first, and answers
 * "lekt het nog?". While it is still leaking the question comes back after the configured interval.
 */
export async function containmentWorkflow(input: ContainmentInput): Promise<ContainmentResult> {
  const playbook = new PlaybookRuntime(input.breachId, 'containment', input.settings, input.breachId);
  const { timing } = input.settings;
  for (let round = 1; ; round++) {
    const answer = await playbook.ask('containment', { id: `containment-${round}`, dueInMs: timing.containmentDue });
    const measures = answer.measures.length > 0 ? answer.measures.join(', ') : 'none';
    if (!answer.stillLeaking) {
      const containedAt = new Date().toISOString();
      playbook.facts.containment = { containedAt, rounds: round };
      await playbook.note('contained', `Leak stopped after ${round} round(s); measures: ${measures}`);
      return { containedAt, rounds: round };
    }
    await playbook.note('still-leaking', `Still leaking after round ${round}; measures so far: ${measures}`);
    await sleep(timing.containmentRecheck);
  }
}
