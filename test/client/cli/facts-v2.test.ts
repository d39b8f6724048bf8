import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Harness } from '../../support/harness';
import { cliEnv, runLekdicht } from '../../support/cli';
import { answers, signal } from '../../support/answers';
import { FG } from '../../support/people';

/** The CLI takes the facts of v2 wherever it takes facts: `facts amend` and `assess`, and its help names them. */
describe('lekdicht and the facts of v2', () => {
  const example = join('examples', 'facts', 'misdirected-mailing-v2.json');
  let h: Harness;
  let env: NodeJS.ProcessEnv;
  let dir: string;
  let breachId: string;

  beforeAll(async () => {
    h = await Harness.start();
    env = cliEnv(h);
    dir = mkdtempSync(join(tmpdir(), 'lekdicht-facts-v2-'));
    breachId = await h.report(signal());
    await h.complete(breachId, 'triage', FG, answers.triageBreach());
  }, 60_000);
  afterAll(() => h?.close());

  it('amends a breach with every v2 field of the example, and refuses an end before the recorded start', async () => {
    const amended = await runLekdicht(['facts', 'amend', breachId, '--as', FG, '--file', example, '--json'], env);
    expect(amended.stderr).toBe('');
    expect(amended.code).toBe(0);
    const expected = JSON.parse(readFileSync(example, 'utf8')) as Record<string, unknown>;
    expect(JSON.parse(amended.stdout)).toMatchObject(expected);
    expect((await h.view(breachId)).facts.known).toMatchObject({
      breachType: 'misdirected-email',
      recipients: 'known-untrusted',
      peoplePerCategory: { special: 2 },
      subjects: { kinds: ['job-seekers'] },
    });

    writeFileSync(join(dir, 'early.json'), JSON.stringify({ endedAt: '2026-03-01T09:00:00+01:00' }));
    const early = await runLekdicht(['facts', 'amend', breachId, '--as', FG, '--file', join(dir, 'early.json')], env);
    expect(early.code).toBe(2);
    expect(early.stderr).toMatch(/amendment\.endedAt: is before startedAt/);
    expect((await h.view(breachId)).facts.known?.endedAt).toBe(expected.endedAt);
  });

  it('assesses the v2 example without a server, and the help lists the v2 fields', async () => {
    const offline = { ...process.env, TEMPORAL_ADDRESS: '127.0.0.1:1' };
    const run = await runLekdicht(['assess', '--file', example, '--json'], offline);
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ notifyAuthority: true, notifyDataSubjects: true });
    const help = await runLekdicht(['facts', 'amend', '--help'], offline);
    for (const field of ['breachType', 'startedAt', 'peoplePerCategory', 'recipientCount', 'recovery', 'outage'])
      expect(help.stdout).toContain(field);
    expect(help.stdout).toContain('examples/facts/misdirected-mailing-v2.json');
  });
});
