import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { breachSignalSchema } from '../../../domain/signal';
import { buildCli } from '../../../client/cli/main';
import { CODEC_KEYS_ENV, generateKeyEntry } from '../../../codec/keys';
import { Harness, eventually } from '../../support/harness';
import { cliEnv, runLekdicht } from '../../support/cli';
import { answers } from '../../support/answers';
import { FG, ICT } from '../../support/people';

const lekdicht = runLekdicht;

const lastLine = (text: string) => text.trimEnd().split('\n').at(-1) ?? '';

describe('the lekdicht CLI', () => {
  let h: Harness;
  let env: NodeJS.ProcessEnv;
  let dir: string;
  let breachId: string;
  const eventId = `CLI-${Date.now()}`;

  beforeAll(async () => {
    h = await Harness.start();
    dir = mkdtempSync(join(tmpdir(), 'lekdicht-cli-'));
    env = cliEnv(h);
    writeFileSync(
      join(dir, 'signal.json'),
      JSON.stringify({ source: 'cli-test', eventId, summary: 'USB stick with client files lost on the train' }),
    );
  });
  afterAll(() => h?.close());

  it('documents only valid example signals', () => {
    const files = readdirSync('examples').filter((f) => f.startsWith('signal') && f.endsWith('.json'));
    expect(files.length).toBeGreaterThanOrEqual(2);
    for (const file of files) {
      const result = breachSignalSchema.safeParse(JSON.parse(readFileSync(join('examples', file), 'utf8')));
      expect(result.error, file).toBeUndefined();
    }
  });

  it('reports a breach and prints its id on the last line; the same event again gives the same id', async () => {
    const first = await lekdicht(['signal', '--file', join(dir, 'signal.json')], env);
    expect(first.stderr).toBe('');
    expect(first.code).toBe(0);
    breachId = lastLine(first.stdout);
    expect(breachId).toMatch(/^breach-[0-9a-f]{20}$/);
    const again = await lekdicht(['signal', '--file', join(dir, 'signal.json'), '--json'], env);
    expect(again.code).toBe(0);
    expect(lastLine(again.stdout)).toBe(breachId);
    expect(JSON.parse(again.stdout.trimEnd().split('\n')[0]!)).toEqual({ breachId, alreadyClosed: false });
  });

  it('refuses bad signal files with exit code 2 and a message naming the field', async () => {
    writeFileSync(join(dir, 'bad.json'), JSON.stringify({ source: 'cli test', eventId: 'x', observedAt: 'gisteren' }));
    const bad = await lekdicht(['signal', '--file', join(dir, 'bad.json')], env);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/invalid signal: source: .*summary: .*observedAt: must be an ISO 8601 date-time/);
    expect(bad.stdout).toBe('');

    writeFileSync(join(dir, 'broken.json'), '{ "source": ');
    const broken = await lekdicht(['signal', '--file', join(dir, 'broken.json')], env);
    expect(broken.code).toBe(2);
    expect(broken.stderr).toMatch(/--file: not valid JSON/);

    const missing = await lekdicht(['signal', '--file', join(dir, 'nope.json')], env);
    expect(missing.code).toBe(2);
    expect(missing.stderr).toMatch(/--file: cannot read .*nope\.json: ENOENT/);

    const noFile = await lekdicht(['signal'], env);
    expect(noFile.code).toBe(2);
    expect(noFile.stderr).toMatch(/required option '--file <path>'/);
  });

  it('shows the case as JSON with phase, tasks and deadlines', async () => {
    await h.openTask(breachId, 'triage');
    const shown = await lekdicht(['show', breachId, '--json'], env);
    expect(shown.code).toBe(0);
    const view = JSON.parse(shown.stdout) as { phase: string; tasks: Record<string, unknown>[]; deadlines: unknown[] };
    expect(view.phase).toBe('triage');
    expect(view.tasks).toEqual([
      expect.objectContaining({
        id: 'triage',
        role: 'fg',
        status: 'open',
        title: expect.any(String),
        due: expect.any(String),
      }),
    ]);
    expect(view.deadlines).toEqual([]);
    const human = await lekdicht(['show', breachId], env);
    expect(human.stdout).toContain('Beoordeel het signaal: is er sprake van een datalek?');
  });

  it('completes a task, refusing the wrong person and an invalid answer with exit code 2', async () => {
    const wrong = await lekdicht(
      ['task', 'complete', breachId, 'triage', '--as', ICT, '--answer', JSON.stringify(answers.triageBreach())],
      env,
    );
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toMatch(/actor: ict@test\.example does not hold the role "fg"/);

    const invalid = await lekdicht(
      ['task', 'complete', breachId, 'triage', '--as', FG, '--answer', '{"isPersonalDataBreach": "ja"}'],
      env,
    );
    expect(invalid.code).toBe(2);
    expect(invalid.stderr).toMatch(/answer\.isPersonalDataBreach: must be true or false/);

    const notJson = await lekdicht(['task', 'complete', breachId, 'triage', '--as', FG, '--answer', '{oops'], env);
    expect(notJson.code).toBe(2);
    expect(notJson.stderr).toMatch(/--answer: not valid JSON/);

    writeFileSync(join(dir, 'triage.json'), JSON.stringify(answers.triageBreach()));
    const done = await lekdicht(
      ['task', 'complete', breachId, 'triage', '--as', FG, '--answer-file', join(dir, 'triage.json'), '--json'],
      env,
    );
    expect(done.stderr).toBe('');
    expect(done.code).toBe(0);
    expect(JSON.parse(done.stdout)).toMatchObject({ id: 'triage', status: 'done', completedBy: FG });
  });

  it('amends facts and renders the AP notification draft in Dutch, marking what is unknown', async () => {
    writeFileSync(
      join(dir, 'amend.json'),
      JSON.stringify({ approxPeople: 350, dataCategories: ['ordinary', 'national-id'] }),
    );
    const amended = await lekdicht(
      ['facts', 'amend', breachId, '--as', FG, '--file', join(dir, 'amend.json'), '--json'],
      env,
    );
    expect(amended.stderr).toBe('');
    expect(JSON.parse(amended.stdout)).toMatchObject({ approxPeople: 350 });
    const refused = await lekdicht(['facts', 'amend', breachId, '--as', ICT, '--file', join(dir, 'amend.json')], env);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/actor: ict@test\.example is not on the breach team/);

    const draft = await lekdicht(['notification-draft', breachId], env);
    expect(draft.code).toBe(0);
    expect(draft.stdout).toContain(`# Concept melding datalek aan de Autoriteit Persoonsgegevens — ${breachId}`);
    expect(draft.stdout).toContain('- **Aantal betrokkenen (bij benadering):** 350');
    expect(draft.stdout).toContain('burgerservicenummer (BSN)');
    expect(draft.stdout).toContain('- **Oorzaak:** [ONBEKEND — nog aanvullen]');
    expect(draft.stdout).toContain(
      '- **Functionaris gegevensbescherming / contactpersoon:** Fenna Gerritsen <fg@voorbeeld.nl>',
    );
    // The example config gives the FG's function and phone, as the AP's form asks.
    expect(draft.stdout).toContain('- **Functie contactpersoon:** Functionaris gegevensbescherming');
    expect(draft.stdout).toContain('- **Telefoonnummer contactpersoon:** +31 70 123 4567');
    expect(draft.stdout).toContain('## Vervolgmelding');
    const json = await lekdicht(['notification-draft', breachId, '--format', 'json'], env);
    const sections = JSON.parse(json.stdout) as { id: string; fields: { label: string; value: string | null }[] }[];
    expect(sections.map((s) => s.id)).toEqual([
      'contact',
      'timeline',
      'nature',
      'data',
      'measures-before',
      'consequences',
      'measures-after',
      'data-subjects',
      'cross-border',
      'follow-up',
    ]);

    const report = await lekdicht(['report', breachId], env);
    expect(report.stdout).toMatch(new RegExp(`^# Breach report ${breachId}`));
    expect(report.stdout).toContain('## Register record (GDPR art. 33(5))');
  });

  it('corrects the awareness time and records a notification through the notification commands', async () => {
    const awareAt = new Date(Date.now() - 3 * 3_600_000).toISOString();
    writeFileSync(
      join(dir, 'aware.json'),
      JSON.stringify({ awareAt, reason: 'The DLP log shows the email left an hour earlier.' }),
    );
    const corrected = await lekdicht(
      ['notification', 'correct-awareness', breachId, '--as', FG, '--file', join(dir, 'aware.json')],
      env,
    );
    expect(corrected.stderr).toBe('');
    expect(corrected.code).toBe(0);
    const view = await eventually(async () => {
      const v = JSON.parse((await lekdicht(['show', breachId, '--json'], env)).stdout) as {
        facts: { awareAt?: string };
        deadlines: { kind: string; due: string }[];
      };
      return v.facts.awareAt === awareAt ? v : undefined;
    }, 'awareness corrected');
    expect(view.deadlines.find((d) => d.kind === 'gdpr-authority')?.due).toBe(
      new Date(Date.parse(awareAt) + 72 * 3_600_000).toISOString(),
    );

    writeFileSync(
      join(dir, 'future.json'),
      JSON.stringify({ awareAt: new Date(Date.now() + 86_400_000).toISOString(), reason: 'x' }),
    );
    const future = await lekdicht(
      ['notification', 'correct-awareness', breachId, '--as', FG, '--file', join(dir, 'future.json')],
      env,
    );
    expect(future.code).toBe(2);
    expect(future.stderr).toMatch(/awareAt: .*future/);

    writeFileSync(
      join(dir, 'record.json'),
      JSON.stringify({ regime: 'gdpr', phase: 'early-warning', at: new Date().toISOString(), reference: 'AP-1' }),
    );
    const wrongPhase = await lekdicht(
      ['notification', 'record', breachId, '--as', FG, '--file', join(dir, 'record.json')],
      env,
    );
    expect(wrongPhase.code).toBe(2);
    expect(wrongPhase.stderr).toMatch(/phase/);
  });

  it('lists breaches with phase and deadline', async () => {
    const listed = await eventually(async () => {
      const run = await lekdicht(['list', '--json'], env);
      const rows = JSON.parse(run.stdout) as { breachId: string; phase?: string; notificationDeadline?: string }[];
      return rows.find((r) => r.breachId === breachId && r.notificationDeadline);
    }, 'breach listed with its deadline');
    expect(listed.phase).toBe('first-picture');
  });

  it("connects with the env given to buildCli, not with this process's: its server and its codec keys", async () => {
    /** The CLI in this process, as runCli builds it, with its own env; returns what it printed. */
    const inProcess = async (args: string[], cliEnvironment: NodeJS.ProcessEnv) => {
      const out: string[] = [];
      await buildCli({ out: (s) => out.push(s), err: (s) => out.push(s) }, cliEnvironment).parseAsync(args, {
        from: 'user',
      });
      return out.join('\n');
    };
    const id = await h.report({
      source: 'cli-test',
      eventId: `${eventId}-env`,
      summary: 'Printout with client files left in the printer',
    });
    await h.openTask(id, 'triage');
    const showsTheCase = async () => {
      const view = JSON.parse(await inProcess(['show', id, '--json'], env)) as { breachId: string; phase: string };
      expect(view).toMatchObject({ breachId: id, phase: expect.any(String) });
    };
    const saved = { address: process.env.TEMPORAL_ADDRESS, keys: process.env[CODEC_KEYS_ENV] };
    const restore = () => {
      for (const [name, value] of [
        ['TEMPORAL_ADDRESS', saved.address],
        [CODEC_KEYS_ENV, saved.keys],
      ] as const) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    };
    try {
      // This process points at a port nobody listens on; the env given to the CLI at the run's server.
      process.env.TEMPORAL_ADDRESS = '127.0.0.1:1';
      await showsTheCase();
      // This process has keys the worker never had; the env given to the CLI has the run's keys.
      process.env.TEMPORAL_ADDRESS = env.TEMPORAL_ADDRESS;
      process.env[CODEC_KEYS_ENV] = generateKeyEntry('not-the-run');
      await showsTheCase();
    } finally {
      restore();
    }
  });

  it('exports the register as CSV and JSON', async () => {
    const csv = await lekdicht(['register', 'export', '--format', 'csv'], env);
    expect(csv.code).toBe(0);
    const [header, ...rows] = csv.stdout.trimEnd().split('\n');
    expect(header).toMatch(/^breach_id,source,opened_at,phase,outcome,aware_at,notification_deadline/);
    expect(rows.find((r) => r.startsWith(`${breachId},cli-test,`))).toMatch(/,breach,/);

    const json = await lekdicht(['register', 'export', '--format', 'json'], env);
    const breaches = JSON.parse(json.stdout) as { breach_id: string; events: { kind: string }[] }[];
    expect(breaches.find((b) => b.breach_id === breachId)?.events.map((e) => e.kind)).toContain('breach-confirmed');

    const wrong = await lekdicht(['register', 'export', '--format', 'xml'], env);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toMatch(/--format <format>' argument 'xml' is invalid/);
  });

  it('stops on an invalid config, naming the key', async () => {
    writeFileSync(
      join(dir, 'bad.yaml'),
      'organisation: { name: X }\nsmtp: { from: "x <x@example.org>", port: "twenty-five" }\ndirectory: []\n',
    );
    const run = await lekdicht(['register', 'export'], { ...env, LEKDICHT_CONFIG: join(dir, 'bad.yaml') });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(
      /config .*bad\.yaml: smtp\.port: .*; directory: the directory needs at least one person/,
    );
  });
});
