import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sql } from 'kysely';
import { afterAll, describe, expect, it } from 'vitest';
import { openStoreDatabase, type StoreTarget } from '../../register/database';
import { BreachRegister } from '../../register/store';
import { retentionCutoff } from '../../domain/register';
import { runLekdicht } from '../support/cli';
import { ENGINES, TestDatabases, type Engine } from '../support/engines';

/**
 * Retention: `register.retentionYears` and `lekdicht register purge`. A breach closed longer ago than the retention
 * goes with every row that holds its data, on both engines; open breaches, breaches whose run ended outside
 * lekdicht, and breaches closed within the retention stay whole; each purged breach leaves its id and dates.
 */
const databases = new TestDatabases();
const freshRegister = async (engine: Engine) => (await databases.fresh(engine))('register');

afterAll(async () => {
  await databases.stop();
});

/** A breach with a row in every table that holds breach data (the lasting record's child rows included). */
async function breachWithEverything(register: BreachRegister, id: string, closedAt: string | null): Promise<void> {
  const at = '2019-01-10T09:00:00.000Z';
  await register.record(id, {
    breach: {
      source: 'dlp',
      phase: closedAt ? 'closed' : 'containment',
      opened_at: at,
      ...(closedAt ? { closed_at: closedAt } : {}),
      lasting: {
        row: {
          summary: 'Een USB-stick met klantgegevens verloren',
          breach_type: 'lost-device',
          breach_started_at: at,
          breach_ended_at: at,
          cause: 'human-error',
          data_categories: 'contact',
          subject_kinds: 'customers',
          vulnerable_subjects: 0,
          approx_people: 120,
          approx_records: 120,
          cross_border: 0,
          severity_score: 2,
          severity_band: 'medium',
          severity_dpc: 1,
          severity_ei: 1,
          severity_cb: 1,
          risk_to_people: 'risk',
          notify_authority: 1,
          notify_data_subjects: 0,
          contained_at: at,
          aftercare_contact: 'privacy@org.test',
          aftercare_advice: 'Let op phishing',
          lessons_learned: 'Versleutel sticks',
        },
        measures: [{ measure: 'revoke-access', status: 'done', note: null }],
        decisions: [
          {
            seq: 1,
            kind: 'notify-authority',
            decided_by: 'fg@org.test',
            decided_at: at,
            is_breach: null,
            notify_authority: 1,
            notify_data_subjects: 0,
            override: 0,
            suggested_authority: 1,
            suggested_data_subjects: 0,
            justification: 'the data is readable',
          },
        ],
        notifications: [
          {
            seq: 1,
            recipient: 'AP',
            regime: 'gdpr',
            phase: 'complete',
            reference: 'AP-1',
            channel: 'meldloket',
            notified_at: at,
            late: 0,
            reasons_for_delay: null,
            recorded_by: 'fg@org.test',
          },
        ],
        improvements: [{ seq: 1, description: 'train staff', owner: 'ciso', due: at, done_at: null }],
        interests: [{ task_id: 'interest-1', title: 'press', outcome: 'none', decided_by: null, decided_at: null }],
      },
    },
    events: [{ breach_id: id, key: 'triage#1', at, kind: 'note', actor: null, text: 'opened' }],
  });
  await register.openTicket({ ref: `T-${id}`, breach_id: id, task_id: 'triage', role: 'fg', title: 'Triage', due: at });
  const email = { message_id: `<${id}@test>`, breach_id: id, purpose: 'task', recipient: 'fg@org.test' };
  await register.recordEmailAttempt(email, at);
  await register.recordEmail({ ...email, subject: 'Taak', sent_at: at });
  await register.recordEmailFailure({
    ...email,
    message_id: `<${id}-2@test>`,
    code: '550',
    error: 'no',
    failed_at: at,
  });
  await register.addRecipients(id, [{ name: 'Jan Jansen', email: 'jan@example.test', address: null }]);
  await register.rememberRun({
    workflow_id: `${id}-run`,
    breach_id: id,
    run_id: 'r1',
    status: 'running',
    parent_run_id: null,
  });
  const ended = { breachId: id, workflowId: `${id}-aftercare`, runId: 'r2', playbook: 'aftercare' };
  await register.claimEndedRun({ ...ended, status: 'terminated', cause: 'terminated', endedAt: at }, 'test');
}

/**
 * Rows per table, for every table of the register that has a breach_id column (found, not listed: a new table that
 * holds breach data fails here until purging covers it), but the purge's own trace.
 */
async function rowsOf(target: StoreTarget, breachId: string): Promise<Record<string, number>> {
  const raw = openStoreDatabase<Record<string, { breach_id: string }>>(target);
  try {
    const tables = (await raw.db.introspection.getTables()).filter(
      (t) => t.name !== 'register_purges' && t.columns.some((c) => c.name === 'breach_id'),
    );
    const counts: Record<string, number> = {};
    for (const t of tables) {
      const { rows } = await sql<{
        n: number | string;
      }>`SELECT COUNT(*) AS n FROM ${sql.table(t.name)} WHERE breach_id = ${breachId}`.execute(raw.db);
      counts[t.name] = Number(rows[0]?.n ?? 0);
    }
    return counts;
  } finally {
    await raw.close();
  }
}

function envFor(target: StoreTarget, retentionYears?: number): NodeJS.ProcessEnv {
  const dir = mkdtempSync(join(tmpdir(), 'lekdicht-retention-config-'));
  const example = readFileSync('config/example.yaml', 'utf8');
  const config = join(dir, 'lekdicht.config.yaml');
  writeFileSync(
    config,
    retentionYears === undefined
      ? example
      : example.replace('  # retentionYears: 5', `  retentionYears: ${retentionYears}`),
  );
  return {
    ...process.env,
    LEKDICHT_CONFIG: config,
    ...(target.engine === 'postgres'
      ? { LEKDICHT_DATABASE_ENGINE: 'postgres', LEKDICHT_DATABASE_URL: target.url }
      : { LEKDICHT_REGISTER_PATH: target.path }),
  };
}

describe('the retention cutoff', () => {
  it('counts calendar years back from now', () => {
    expect(retentionCutoff(new Date('2026-12-03T10:00:00.000Z'), 5)).toBe('2021-12-03T10:00:00.000Z');
    expect(retentionCutoff(new Date('2028-02-29T12:00:00.000Z'), 1)).toBe('2027-03-01T12:00:00.000Z');
  });
});

describe.each(ENGINES)('purging the register on %s', (engine) => {
  it('deletes every row of the breaches closed before the cutoff, keeps the rest whole, and leaves a trace', async () => {
    const target = await freshRegister(engine);
    const register = await BreachRegister.open(target);
    await breachWithEverything(register, 'old-closed', '2019-02-01T12:00:00.000Z');
    await breachWithEverything(register, 'recent-closed', '2026-06-01T12:00:00.000Z');
    await breachWithEverything(register, 'old-open', null);
    await register.patchBreach('old-open', { ended_outside_at: null });
    // Its run ended outside lekdicht (the fixture's claimEndedRun) and it never closed: a person must look at it.
    await breachWithEverything(register, 'old-ended-outside', null);

    const before = await rowsOf(target, 'old-closed');
    // The fixture reaches every table that holds breach data, so "all gone" below proves something for each.
    for (const [table, n] of Object.entries(before)) expect(n, table).toBeGreaterThan(0);

    const purged = await register.purgeClosedBefore('2021-12-03T00:00:00.000Z', 5, '2026-12-03T10:00:00.000Z');
    expect(purged).toEqual([
      {
        breach_id: 'old-closed',
        closed_at: '2019-02-01T12:00:00.000Z',
        purged_at: '2026-12-03T10:00:00.000Z',
        retention_years: 5,
      },
    ]);
    for (const [table, n] of Object.entries(await rowsOf(target, 'old-closed'))) expect(n, table).toBe(0);
    for (const kept of ['recent-closed', 'old-open', 'old-ended-outside'])
      expect(await rowsOf(target, kept), kept).toEqual(before);
    expect(await register.dossier('old-closed')).toBeUndefined();
    expect((await register.breaches()).map((b) => b.breach_id).sort()).toEqual([
      'old-ended-outside',
      'old-open',
      'recent-closed',
    ]);
    expect(await register.purges()).toEqual(purged);
    // Again: nothing more goes, and the trace is not doubled.
    expect(await register.purgeClosedBefore('2021-12-03T00:00:00.000Z', 5)).toEqual([]);
    expect(await register.purges()).toHaveLength(1);
    await register.close();
  });

  it('`lekdicht register purge` lists what would go, deletes it only with --yes, and refuses without a retention', async () => {
    const target = await freshRegister(engine);
    const register = await BreachRegister.open(target);
    await breachWithEverything(register, 'old-closed', '2019-02-01T12:00:00.000Z');
    await breachWithEverything(register, 'recent-closed', new Date().toISOString());
    await register.close();

    const unset = await runLekdicht(['register', 'purge', '--yes'], envFor(target));
    expect(unset.code).toBe(2);
    expect(unset.stderr).toContain('register.retentionYears');

    const dry = await runLekdicht(['register', 'purge'], envFor(target, 5));
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain('1 breach(es) closed before');
    expect(dry.stdout).toContain('would be purged');
    expect(dry.stdout).toContain('old-closed closed 2019-02-01T12:00:00.000Z');
    expect(dry.stdout).toContain('run again with --yes');

    const reopened = await BreachRegister.open(target);
    expect(await reopened.breach('old-closed')).toBeDefined();
    await reopened.close();

    const run = await runLekdicht(['register', 'purge', '--yes', '--json'], envFor(target, 5));
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout) as {
      purged: boolean;
      retentionYears: number;
      breaches: { breach_id: string }[];
    };
    expect(result).toMatchObject({ purged: true, retentionYears: 5 });
    expect(result.breaches.map((b) => b.breach_id)).toEqual(['old-closed']);

    const after = await BreachRegister.open(target);
    expect((await after.breaches()).map((b) => b.breach_id)).toEqual(['recent-closed']);
    expect((await after.purges()).map((p) => p.breach_id)).toEqual(['old-closed']);
    await after.close();
  }, 60_000);
});
