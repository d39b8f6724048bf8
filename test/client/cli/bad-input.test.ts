/**
 * Bad input through the real `lekdicht` CLI (issue 5, item 5), against the Temporal dev server of the test run:
 * invalid, hostile and broken signal files and task answers exit with code 2 and a one-line message naming the
 * field, print nothing on stdout, and start or record nothing. Each run spawns a process, so the runs are few.
 * fast-check prints the counterexample (and its seed) of a failing property.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { randomUUID } from 'node:crypto';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { breachSignalSchema } from '../../../domain/signal';
import { answerSchemas } from '../../../domain/tasks';
import { Harness } from '../../support/harness';
import { breachIdOfSignal, expectOnlyBreachStarted } from '../../support/nothing-started';
import { cliEnv, runLekdicht, type CliRun } from '../../support/cli';
import { answers } from '../../support/answers';
import { FG } from '../../support/people';
import {
  expectNamesField,
  hostileText,
  invalidMutations,
  type Json,
  type Mutation,
} from '../../support/bad-input-arbitraries';

/** What goes into a file: a mutated document as JSON, or text that is not JSON at all. */
type FileInput = { mutation: Mutation } | { garbage: string };

const fileInput = (mutations: fc.Arbitrary<Mutation>): fc.Arbitrary<FileInput> =>
  fc.oneof(
    { weight: 4, arbitrary: mutations.map((mutation) => ({ mutation })) },
    {
      weight: 1,
      arbitrary: fc
        .oneof(hostileText(10), fc.constantFrom('', '{', '{"source": ', '\uFEFF{}x', 'null garbage'))
        .filter((t) => !isJson(t))
        .map((garbage) => ({ garbage })),
    },
  );

function isJson(text: string): boolean {
  try {
    JSON.parse(text);
    return true;
  } catch {
    return false;
  }
}

/** Exit code 2, nothing on stdout, one line on stderr naming the field (or saying the file is not JSON). */
function expectRefused(run: CliRun, input: FileInput, prefix: string, fileOption: string) {
  expect(run.code, run.stderr).toBe(2);
  expect(run.stdout).toBe('');
  expect(run.stderr.endsWith('\n')).toBe(true);
  expect(run.stderr.trimEnd().split('\n')).toHaveLength(1);
  // Nothing from the file reaches the terminal raw: no escape sequence, no control character, no bidi override.
  // eslint-disable-next-line no-control-regex -- looking for raw control characters is the point
  expect(run.stderr.slice(0, -1)).not.toMatch(/[\u0000-\u001F\u007F-\u009F\u2028\u2029\u202A-\u202E\u2066-\u2069]/);
  if ('garbage' in input) {
    expect(run.stderr).toMatch(new RegExp(`^lekdicht: ${fileOption}: not valid JSON: `));
  } else {
    expect(run.stderr.startsWith('lekdicht: ')).toBe(true);
    expectNamesField(run.stderr.trimEnd().slice('lekdicht: '.length), prefix, input.mutation.path);
  }
}

describe('the CLI refuses bad input files, and starts or records nothing', () => {
  let h: Harness;
  let env: NodeJS.ProcessEnv;
  let dir: string;
  let breachId: string;
  const run = randomUUID();
  let n = 0;
  const write = (input: FileInput) => {
    const path = join(dir, `input-${n++}.json`);
    writeFileSync(path, 'garbage' in input ? input.garbage : JSON.stringify(input.mutation.value));
    return path;
  };

  beforeAll(async () => {
    h = await Harness.start();
    dir = mkdtempSync(join(tmpdir(), 'lekdicht-bad-cli-'));
    env = cliEnv(h);
    breachId = await h.report({
      source: 'bad-cli',
      eventId: `VALID-${run}`,
      summary: 'Backup tape missing after transport',
    });
    await h.openTask(breachId, 'triage');
  });
  afterAll(() => h?.close());

  it(
    'names the bad field of a signal or an amendment even when the Temporal server is down',
    { timeout: 60_000 },
    async () => {
      const offline = { ...env, TEMPORAL_ADDRESS: '127.0.0.1:1' };
      const signal = join(dir, 'offline-signal.json');
      writeFileSync(
        signal,
        JSON.stringify({ source: 'bad-cli', eventId: 'x', summary: '<script>', observedAt: 'gisteren' }),
      );
      const refused = await runLekdicht(['signal', '--file', signal], offline);
      expect(refused.code).toBe(2);
      expect(refused.stderr).toBe(
        'lekdicht: invalid signal: observedAt: must be an ISO 8601 date-time, e.g. 2026-11-28T09:30:00Z\n',
      );
      const amendment = join(dir, 'offline-amendment.json');
      writeFileSync(amendment, JSON.stringify({ approxPeople: -1, '<b>': 1 }));
      const amend = await runLekdicht(['facts', 'amend', breachId, '--as', FG, '--file', amendment], offline);
      expect(amend.code).toBe(2);
      expect(amend.stderr).toBe(
        'lekdicht: amendment.approxPeople: must be 0 or more; amendment."<b>": is not a known field\n',
      );
    },
  );

  it(
    'lekdicht signal --file: invalid, hostile or broken signals exit 2 naming the field; no breach is started (10 runs)',
    { timeout: 120_000 },
    async () => {
      const base = {
        ...(JSON.parse(readFileSync('examples/signal-dlp.json', 'utf8')) as Record<string, Json>),
        eventId: `BAD-${run}`,
      };
      const tried = new Set<string>();
      await fc.assert(
        fc.asyncProperty(fileInput(invalidMutations(breachSignalSchema, base)), async (input) => {
          const result = await runLekdicht(['signal', '--file', write(input)], env);
          expectRefused(result, input, '', '--file');
          const id = breachIdOfSignal('mutation' in input ? input.mutation.value : null);
          if (id) tried.add(id);
        }),
        { numRuns: 10 },
      );
      await expectOnlyBreachStarted(h, tried, breachId);
    },
  );

  it(
    'lekdicht task complete --answer-file: invalid, hostile or broken answers exit 2 naming answer.<field>; the task stays open (6 runs)',
    { timeout: 120_000 },
    async () => {
      const before = (await h.view(breachId)).tasks;
      await fc.assert(
        fc.asyncProperty(
          fileInput(invalidMutations(answerSchemas.triage, answers.triageBreach() as unknown as Json)),
          async (input) => {
            const result = await runLekdicht(
              ['task', 'complete', breachId, 'triage', '--as', FG, '--answer-file', write(input)],
              env,
            );
            expectRefused(result, input, 'answer', '--answer-file');
          },
        ),
        { numRuns: 6 },
      );
      const after = await h.view(breachId);
      expect(after.tasks).toEqual(before);
      expect(after.timeline.map((e) => e.kind)).not.toContain('task-completed');
    },
  );
});
