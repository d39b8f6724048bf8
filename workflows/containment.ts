import { continueAsNew } from '@temporalio/workflow';
import type { PlaybookSettings } from '../activities';
import { CONTAINMENT_MEASURES, type Answer } from '../domain/tasks';
import { startPlaybook, type RuntimeSnapshot } from './playbook';
import { runResumable, type Journal } from './resumable';

export interface ContainmentInput {
  breachId: string;
  settings: PlaybookSettings;
  /** Set when a previous run continued as new (workflows/resumable.ts). */
  resume?: { runtime: RuntimeSnapshot; journal: Journal };
}

export interface ContainmentResult {
  containedAt: string;
  rounds: number;
}

function describeRound(round: number, measures: Answer<'containment'>['measures']): string {
  const by = (status: string) => CONTAINMENT_MEASURES.filter((m) => measures[m].status === status);
  const part = (label: string, list: string[]) => (list.length > 0 ? `${label}: ${list.join(', ')}` : undefined);
  return [
    `Round ${round}`,
    part('done', by('done')),
    part('not applicable', by('not-applicable')),
    part('pending', by('pending')),
  ]
    .filter(Boolean)
    .join('; ');
}

/**
 * Containment (beperken): ICT management works through the seed's checklist, evidence first, and answers
 * "lekt het nog?". While it is still leaking the question comes back after the configured interval; once ICT
 * says it has stopped, the CISO (or the FG as deputy) confirms before the playbook ends.
 */
export async function containmentWorkflow(input: ContainmentInput): Promise<ContainmentResult> {
  const { playbook, r } = startPlaybook(input.breachId, 'containment', input.settings, input.breachId, input.resume);
  const { timing } = input.settings;
  return runResumable(
    r,
    () => playbook.quiet(),
    async () => {
      for (let round = 1; ; round++) {
        const answer = await playbook.ask('containment', {
          id: `containment-${round}`,
          dueInMs: timing.containmentDue,
        });
        playbook.facts.containment = { rounds: round, measures: answer.measures };
        await r.once(`round-${round}`, () =>
          playbook.note(
            'containment-round',
            `${describeRound(round, answer.measures)}; still leaking: ${answer.stillLeaking ? 'yes' : 'no'}`,
            undefined,
            undefined,
            { round, stillLeaking: answer.stillLeaking },
          ),
        );
        if (answer.stillLeaking) {
          await r.sleepUntil(`recheck-${round}`, () => Date.now() + timing.containmentRecheck);
          continue;
        }
        const confirmation = await playbook.ask('containment-confirmation', {
          id: `containment-confirmation-${round}`,
          dueInMs: timing.containmentDue,
        });
        if (confirmation.contained) {
          const containedAt = await r.once('contained', async () => {
            const at = new Date().toISOString();
            playbook.facts.containment = { rounds: round, measures: answer.measures, containedAt: at };
            await playbook.note(
              'contained',
              `Containment confirmed after ${round} round(s)`,
              playbook.tasks.get(`containment-confirmation-${round}`)?.completedBy,
              undefined,
              { rounds: round },
            );
            return at;
          });
          return playbook.finish({ containedAt, rounds: round });
        }
        await r.once(`not-confirmed-${round}`, () =>
          playbook.note(
            'containment-not-confirmed',
            `Containment not confirmed: ${confirmation.note}`,
            undefined,
            undefined,
            {
              note: confirmation.note ?? '',
            },
          ),
        );
      }
    },
    (journal) =>
      continueAsNew<typeof containmentWorkflow>({ ...input, resume: { runtime: playbook.snapshot(), journal } }),
  );
}
