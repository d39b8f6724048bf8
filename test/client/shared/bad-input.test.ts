import { testSigner } from '../../support/acts';
/**
 * Bad input through the client functions the CLI and the HTTP service share (client/shared/breaches.ts), against the
 * real Temporal dev server of the test run (issue 5, item 5): invalid and hostile signals, task answers and facts
 * amendments are refused with a message naming the field, and nothing is started, recorded or changed.
 * fast-check prints the counterexample (and its seed) of a failing property.
 */
import { readFileSync } from 'node:fs';
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { amendBreachFacts, completeTask, reportBreach } from '../../../client/shared/breaches';
import { InvalidInputError } from '../../../domain/errors';
import { breachSignalSchema } from '../../../domain/signal';
import { answerSchemas } from '../../../domain/tasks';
import { factsAmendmentSchema } from '../../../domain/facts';
import type { CaseView } from '../../../domain/case';
import { Harness } from '../../support/harness';
import { breachIdOfSignal, expectOnlyBreachStarted } from '../../support/nothing-started';
import { answers } from '../../support/answers';
import { FG } from '../../support/people';
import { expectNamesField, invalidMutations, type Json } from '../../support/bad-input-arbitraries';

const readJson = (path: string) => JSON.parse(readFileSync(path, 'utf8')) as Json;

async function refusal(promise: Promise<unknown>): Promise<string> {
  try {
    await promise;
  } catch (err) {
    expect(err).toBeInstanceOf(InvalidInputError);
    return (err as Error).message;
  }
  throw new Error('expected a refusal, but it was accepted');
}

/**
 * What a refused completion or amendment must leave as it was: the tasks, the facts, the decisions and the
 * timeline, apart from the emails and tickets that the worker reports in the background as they go out.
 */
const snapshot = (view: CaseView) => ({
  tasks: view.tasks,
  facts: view.facts,
  decisions: view.decisions,
  timeline: view.timeline.filter((e) => !['email-sent', 'ticket-failed'].includes(e.kind)),
});

describe('client functions refuse bad input on the real server, and change nothing', () => {
  let h: Harness;
  let breachId: string;
  const run = randomUUID();

  beforeAll(async () => {
    h = await Harness.start();
    breachId = await h.report({
      source: 'bad-input',
      eventId: `VALID-${run}`,
      summary: 'Laptop with case files stolen from a car',
    });
    await h.openTask(breachId, 'triage');
  });
  afterAll(() => h?.close());

  it('reportBreach: mutated signals are refused naming the field; no breach is started for any of them (100 runs)', async () => {
    const base = { ...(readJson('examples/signal-form.json') as Record<string, Json>), eventId: `BAD-${run}` };
    const tried = new Set<string>();
    await fc.assert(
      fc.asyncProperty(invalidMutations(breachSignalSchema, base), async (mutation) => {
        const message = await refusal(reportBreach(h.client, mutation.value, h.taskQueue));
        expectNamesField(message, '', mutation.path);
        const id = breachIdOfSignal(mutation.value);
        if (id) tried.add(id);
      }),
      { numRuns: 100 },
    );
    expect(tried.size).toBeGreaterThan(0);
    await expectOnlyBreachStarted(h, tried, breachId);
  });

  it('completeTask: mutated triage answers are refused naming answer.<field>; the task stays open and nothing is recorded (80 runs)', async () => {
    const before = snapshot(await h.view(breachId));
    await fc.assert(
      fc.asyncProperty(
        invalidMutations(answerSchemas.triage, answers.triageBreach() as unknown as Json),
        async (mutation) => {
          const message = await refusal(completeTask(h.client, breachId, 'triage', FG, mutation.value, testSigner()));
          expectNamesField(message, 'answer', mutation.path);
        },
      ),
      { numRuns: 80 },
    );
    expect(snapshot(await h.view(breachId))).toEqual(before);
    expect((await h.view(breachId)).tasks.find((t) => t.id === 'triage')?.status).toBe('open');
  });

  it('amendBreachFacts: mutated amendments are refused naming amendment.<field>; the facts stay as they were (80 runs)', async () => {
    await h.complete(breachId, 'triage', FG, answers.triageBreach());
    await h.waitForPhase(breachId, 'first-picture');
    const amendment = readJson('examples/facts/ransomware-exfiltration.json');
    await amendBreachFacts(h.client, breachId, FG, amendment, testSigner());
    const before = snapshot(await h.view(breachId));
    await fc.assert(
      fc.asyncProperty(invalidMutations(factsAmendmentSchema, amendment), async (mutation) => {
        const message = await refusal(amendBreachFacts(h.client, breachId, FG, mutation.value, testSigner()));
        expectNamesField(message, 'amendment', mutation.path);
      }),
      { numRuns: 80 },
    );
    expect(snapshot(await h.view(breachId))).toEqual(before);
  });
});
