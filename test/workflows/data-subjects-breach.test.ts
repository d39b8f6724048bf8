import { mkdtempSync, readFileSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { runLekdicht } from '../support/cli';
import { Harness, eventually } from '../support/harness';
import { answers, signal } from '../support/answers';
import { CISO, COMMS, FG, ICT, PROCESS_OWNER } from '../support/people';

describe('a breach whose people affected lekdicht informs itself (art. 34)', () => {
  let h: Harness;
  let breachId: string;
  const people = [
    { name: 'Anna de Wit', email: 'anna@example.org' },
    { name: 'Bas Kok', email: 'bas@example.org', language: 'en' as const },
    { name: 'Cor Bos', address: 'Dorpsstraat 1, 1234 AB Voorbeeld' },
  ];

  beforeAll(async () => {
    // The organisation's own target for telling people: 48 hours after the FG's decision.
    h = await Harness.start({}, { organisation: { profile: { dataSubjectTarget: '48h' } } });
    breachId = await h.report(signal());
    await h.complete(breachId, 'triage', FG, answers.triageBreach());
    await h.complete(breachId, 'first-picture', CISO, answers.firstPicture());
    await h.complete(breachId, 'containment-1', ICT, answers.containment(false));
    await h.complete(breachId, 'containment-confirmation-1', CISO, answers.confirmContainment());
    await h.complete(breachId, 'impact', PROCESS_OWNER, answers.impact());
    await h.complete(breachId, 'notification-decision', FG, answers.decision(true, true, 'lekdicht'));
    await h.complete(breachId, 'authority-notification', FG, answers.authorityNotification());
    // What `lekdicht recipients upload` does: the list into the register, then the task completed.
    await h.openTask(breachId, 'recipient-list');
    expect(h.register.addRecipients(breachId, people)).toEqual({ added: 3, duplicates: 0 });
    await h.complete(breachId, 'recipient-list', COMMS, { uploaded: 3 });
    await h.waitForPhase(breachId, 'aftercare');
  }, 120_000);
  afterAll(() => h?.close());

  it('emails each person the art. 34 letter in their language, with the FG as contact and advice for a BSN', () => {
    const anna = h.mailbox.to('anna@example.org');
    expect(anna).toHaveLength(1);
    expect(anna[0]?.text).toContain('Anna de Wit');
    expect(anna[0]?.text).toContain('fg@test.example');
    expect(anna[0]?.text).toContain('Centraal Meldpunt Identiteitsfraude');
    expect(anna[0]?.text).toContain('Risk of identity fraud.');
    const bas = h.mailbox.to('bas@example.org');
    expect(bas).toHaveLength(1);
    expect(bas[0]?.text).toContain('identity fraud (CMI)');
    expect(bas[0]?.text).toContain('data protection officer, fg@test.example');
    expect(bas[0]?.text).not.toContain('Wees alert');
  });

  it('records the notification once, meets the data-subjects deadline, and sets postal-only people aside for print', async () => {
    const view = await eventually(async () => {
      const v = await h.view(breachId);
      return v.deadlines.find((d) => d.kind === 'data-subjects')?.status === 'met' ? v : undefined;
    }, 'data-subjects deadline met');
    expect(view.notifications.filter((n) => n.to === 'data-subjects')).toEqual([
      expect.objectContaining({ channel: 'email', late: false }),
    ]);
    const decidedAt = view.decisions.find((d) => d.kind === 'notification')!.at;
    expect(view.deadlines.find((d) => d.kind === 'data-subjects')?.due).toBe(
      new Date(Date.parse(decidedAt) + 48 * 3_600_000).toISOString(),
    );
    expect(view.facts.dataSubjects).toMatchObject({ total: 3, sent: 2, toPrint: 1, failed: 0 });
    expect(h.register.recipientCounts(breachId)).toMatchObject({ sent: 2, toPrint: 1 });
    expect(h.register.breach(breachId)?.data_subjects_notified_at).toBeTruthy();
  });

  it('exports the letters to post, personalised, as CSV for a mail merge (lekdicht recipients export)', async () => {
    const env = {
      ...process.env,
      TEMPORAL_ADDRESS: inject('temporalAddress'),
      TEMPORAL_NAMESPACE: inject('temporalNamespace'),
      LEKDICHT_CONFIG: 'config/example.yaml',
      LEKDICHT_REGISTER_PATH: h.config.register.path,
    };
    const out = join(mkdtempSync(join(tmpdir(), 'lekdicht-letters-')), 'letters.csv');
    const run = await runLekdicht(['recipients', 'export', breachId, '--out', out, '--json'], env);
    expect(run.stderr).toBe('');
    expect(JSON.parse(run.stdout)).toEqual({ breachId, status: 'to-print', exported: 1, out });
    const rows = parse(readFileSync(out, 'utf8'), { columns: true }) as Record<string, string>[];
    expect(rows).toEqual([
      expect.objectContaining({
        name: 'Cor Bos',
        address: 'Dorpsstraat 1, 1234 AB Voorbeeld',
        status: 'to-print',
        language: 'nl',
      }),
    ]);
    expect(rows[0]?.letter).toContain('Cor Bos');
    expect(rows[0]?.letter).toContain('Centraal Meldpunt Identiteitsfraude');
    // Names and addresses: readable by its owner only.
    expect(statSync(out).mode & 0o077).toBe(0);

    const all = await runLekdicht(['recipients', 'export', breachId, '--status', 'all', '--out', out, '--json'], env);
    expect(JSON.parse(all.stdout)).toMatchObject({ exported: 3 });
    const wrong = await runLekdicht(['recipients', 'export', breachId, '--status', 'lost', '--out', out], env);
    expect(wrong.code).toBe(2);
    expect(wrong.stderr).toMatch(/--status: must be one of to-print, failed, pending, sent, all, not "lost"/);
    const none = await runLekdicht(['recipients', 'export', 'breach-00000000000000000000', '--out', out], env);
    expect(none.code).toBe(2);
    expect(none.stderr).toMatch(/breachId: breach-00000000000000000000 has no letters/);
  });
});
